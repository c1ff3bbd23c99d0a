//! Library commands: browse, search, add folders, scan, the demo library.

use std::path::PathBuf;

use serde::Serialize;
use sonare::app::{Job, JobEvent};
use sonare::library::browse::{self, AlbumRow, TrackQuery, TrackRow};
use sonare::library::store::{self, Failure, Folder};
use sonare::library::{self, ScanReport};
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;

use crate::error::{off_ui_thread, CommandError, CommandResult};
use crate::jobs::report_of;
use crate::state::{AppState, Jobs};

#[derive(Serialize)]
pub struct Overview {
    tracks: u64,
    folders: usize,
    failures: usize,
}

#[tauri::command]
pub fn library_overview(state: State<'_, AppState>) -> CommandResult<Overview> {
    let conn = state.db();
    Ok(Overview {
        tracks: browse::count_tracks(&conn, &TrackQuery::default())?,
        folders: store::folders(&conn)?.len(),
        failures: store::failures(&conn)?.len(),
    })
}

#[derive(Serialize)]
pub struct TrackPage {
    total: u64,
    rows: Vec<TrackRow>,
}

#[tauri::command]
pub fn list_tracks(state: State<'_, AppState>, query: TrackQuery) -> CommandResult<TrackPage> {
    let conn = state.db();
    Ok(TrackPage {
        total: browse::count_tracks(&conn, &query)?,
        rows: browse::list_tracks(&conn, &query)?,
    })
}

#[tauri::command]
pub fn list_albums(state: State<'_, AppState>, search: String) -> CommandResult<Vec<AlbumRow>> {
    Ok(browse::list_albums(&state.db(), &search)?)
}

#[tauri::command]
pub fn list_failures(state: State<'_, AppState>) -> CommandResult<Vec<Failure>> {
    Ok(store::failures(&state.db())?)
}

#[tauri::command]
pub fn list_folders(state: State<'_, AppState>) -> CommandResult<Vec<Folder>> {
    Ok(store::folders(&state.db())?)
}

#[tauri::command]
pub fn add_folder(state: State<'_, AppState>, path: PathBuf) -> CommandResult<String> {
    let added = library::add_folder(&state.db(), &path)?;
    Ok(added.to_string_lossy().into_owned())
}

/// Opens the system folder dialog; `None` if the listener cancelled it.
#[tauri::command]
pub async fn pick_folder<R: Runtime>(app: AppHandle<R>) -> CommandResult<Option<String>> {
    let picked = off_ui_thread(move || Ok(app.dialog().file().blocking_pick_folder())).await?;
    Ok(picked
        .and_then(|p| p.into_path().ok())
        .map(|p| p.to_string_lossy().into_owned()))
}

/// The scan report a scan or demo job answers with.
async fn scanned(jobs: &Jobs, job: Job) -> CommandResult<ScanReport> {
    match report_of(jobs.submit(job)).await? {
        JobEvent::Scanned(report) => Ok(report),
        other => Err(CommandError::new("internal", format!("no scan: {other:?}"))),
    }
}

/// Rescans every library folder (progress as `job` events); returns the scan's report. The
/// analysis of what changed follows in the background.
#[tauri::command]
pub async fn scan_library(jobs: State<'_, Jobs>) -> CommandResult<ScanReport> {
    scanned(&jobs, Job::Scan).await
}

/// Fetches the demo library (free music from Debian's archive), adds it and scans.
#[tauri::command]
pub async fn install_demo(jobs: State<'_, Jobs>) -> CommandResult<ScanReport> {
    scanned(&jobs, Job::Demo).await
}
