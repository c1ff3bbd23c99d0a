//! Library commands: browse, search, add folders, scan with progress, the demo library.

use std::path::PathBuf;
use std::sync::atomic::Ordering;

use serde::Serialize;
use sonare::db::tracks::{self as q, AlbumRow, Failure, Folder, TrackQuery, TrackRow};
use sonare::library::{self, ScanOptions, ScanProgress, ScanReport};
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, Runtime, State};
use tauri_plugin_dialog::DialogExt;

use crate::error::{CommandError, CommandResult};
use crate::state::AppState;

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
        tracks: q::count_tracks(&conn, &TrackQuery::default())?,
        folders: q::folders(&conn)?.len(),
        failures: q::failures(&conn)?.len(),
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
        total: q::count_tracks(&conn, &query)?,
        rows: q::list_tracks(&conn, &query)?,
    })
}

#[tauri::command]
pub fn list_albums(state: State<'_, AppState>, search: String) -> CommandResult<Vec<AlbumRow>> {
    Ok(q::list_albums(&state.db(), &search)?)
}

#[tauri::command]
pub fn list_failures(state: State<'_, AppState>) -> CommandResult<Vec<Failure>> {
    Ok(q::failures(&state.db())?)
}

#[tauri::command]
pub fn list_folders(state: State<'_, AppState>) -> CommandResult<Vec<Folder>> {
    Ok(q::folders(&state.db())?)
}

#[tauri::command]
pub fn add_folder(state: State<'_, AppState>, path: PathBuf) -> CommandResult<String> {
    let added = library::add_folder(&state.db(), &path)?;
    Ok(added.to_string_lossy().into_owned())
}

/// Opens the system folder dialog; `None` if the listener cancelled it.
#[tauri::command]
pub async fn pick_folder<R: Runtime>(app: AppHandle<R>) -> CommandResult<Option<String>> {
    let picked =
        tauri::async_runtime::spawn_blocking(move || app.dialog().file().blocking_pick_folder())
            .await
            .map_err(|e| CommandError::new("dialog", e))?;
    Ok(picked
        .and_then(|p| p.into_path().ok())
        .map(|p| p.to_string_lossy().into_owned()))
}

/// Progress messages of a scan or demo install, in order; the command's return value follows the last.
#[derive(Clone, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum JobEvent {
    /// The demo packages are being fetched: `done` of `total`, now `package`.
    Fetching {
        done: usize,
        total: usize,
        package: String,
    },
    /// The scan advanced.
    Scanning(ScanProgress),
}

fn run_scan<R: Runtime>(
    app: &AppHandle<R>,
    on_progress: &Channel<JobEvent>,
) -> CommandResult<ScanReport> {
    let state = app.state::<AppState>();
    let _running = state.scan_lock.lock().unwrap_or_else(|e| e.into_inner());
    state.cancel_scan.store(false, Ordering::Relaxed);
    let mut conn = state.writer()?;
    let covers = state.covers()?;
    let options = ScanOptions {
        cancel: Some(&state.cancel_scan),
        ..Default::default()
    };
    let report = library::scan(&mut conn, &covers, &options, &mut |p| {
        let _ = on_progress.send(JobEvent::Scanning(p.clone()));
    })?;
    // Imported plays of songs that just arrived join the history.
    sonare::cf::matching::rematch_after_scan(&mut conn, &report)?;
    Ok(report)
}

/// Rescans every library folder on a worker thread, streaming progress to `on_progress`.
#[tauri::command]
pub async fn scan_library<R: Runtime>(
    app: AppHandle<R>,
    on_progress: Channel<JobEvent>,
) -> CommandResult<ScanReport> {
    tauri::async_runtime::spawn_blocking(move || run_scan(&app, &on_progress))
        .await
        .map_err(|e| CommandError::new("internal", e))?
}

#[tauri::command]
pub fn cancel_scan(state: State<'_, AppState>) {
    state.cancel_scan.store(true, Ordering::Relaxed);
}

/// Fetches the demo library (free music from Debian's archive), adds it and scans.
#[tauri::command]
pub async fn install_demo<R: Runtime>(
    app: AppHandle<R>,
    on_progress: Channel<JobEvent>,
) -> CommandResult<ScanReport> {
    tauri::async_runtime::spawn_blocking(move || {
        let state = app.state::<AppState>();
        let dir =
            library::demo::fetch_demo(&state.data.demo_music(), &mut |done, total, package| {
                let _ = on_progress.send(JobEvent::Fetching {
                    done,
                    total,
                    package: package.to_owned(),
                });
            })?;
        library::add_folder(&state.db(), &dir)?;
        run_scan(&app, &on_progress)
    })
    .await
    .map_err(|e| CommandError::new("internal", e))?
}
