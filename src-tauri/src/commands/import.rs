//! Importing listening data: the listener picks files, the job runner imports them (progress as
//! `job` events; `job_control` cancel rolls back the file under way).

use std::path::PathBuf;

use sonare::app::{ImportKind, ImportOutcome, ImportRequest, Job, JobEvent};
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;

use crate::error::{off_ui_thread, CommandError, CommandResult};
use crate::jobs::report_of;
use crate::state::Jobs;

/// Imports files the listener picks as `kind` ("history" or "shared") in `format`; `None` if they
/// picked nothing. An unknown format is refused before the picker opens.
#[tauri::command]
pub async fn import_listening_data<R: Runtime>(
    app: AppHandle<R>,
    jobs: State<'_, Jobs>,
    kind: String,
    format: String,
) -> CommandResult<Option<ImportOutcome>> {
    let kind = ImportKind::from_names(&kind, &format)?;
    let files = pick_files(app).await?;
    if files.is_empty() {
        return Ok(None);
    }
    match report_of(jobs.submit(Job::Import(ImportRequest { files, kind }))).await? {
        JobEvent::Imported(outcome) => Ok(Some(outcome)),
        other => Err(CommandError::new("internal", format!("{other:?}"))),
    }
}

/// The files the listener picks (none if they close the picker).
async fn pick_files<R: Runtime>(app: AppHandle<R>) -> CommandResult<Vec<PathBuf>> {
    let picked = off_ui_thread(move || Ok(app.dialog().file().blocking_pick_files())).await?;
    let paths = picked
        .into_iter()
        .flatten()
        .filter_map(|f| f.into_path().ok());
    Ok(paths.collect())
}
