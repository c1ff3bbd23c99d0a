//! Importing listening data: the listener picks files, the job runner imports them (progress as
//! `job` events; `job_control` cancel rolls back the file under way).

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
    let picked = off_ui_thread(move || Ok(app.dialog().file().blocking_pick_files())).await?;
    let files: Vec<_> = picked
        .into_iter()
        .flatten()
        .filter_map(|f| f.into_path().ok())
        .collect();
    if files.is_empty() {
        return Ok(None);
    }
    match report_of(jobs.submit(Job::Import(ImportRequest { files, kind }))).await? {
        JobEvent::Imported(outcome) => Ok(Some(outcome)),
        other => Err(CommandError::new(
            "internal",
            format!("no import: {other:?}"),
        )),
    }
}
