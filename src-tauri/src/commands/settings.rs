//! Settings commands: the Settings view's values and choices, changing one, the library folders'
//! removal, re-analysis, and keeping what was learned (backup, export, restore).

use std::path::PathBuf;

use serde::Serialize;
use sonare::app::{BackupReport, Job};
use sonare::portable::{ExportSummary, RestoreReport};
use sonare::settings::{Described, Settings};
use tauri::{AppHandle, Manager, Runtime, State};

use crate::error::{off_ui_thread, CommandResult};
use crate::state::{AppState, Jobs, PlayerHandle};

/// What the Settings view shows.
#[derive(Serialize)]
pub struct SettingsView {
    settings: Vec<Described>,
    data_dir: String,
    devices: Vec<String>,
    cores: usize,
}

#[tauri::command]
pub fn settings_view(state: State<'_, AppState>) -> CommandResult<SettingsView> {
    Ok(SettingsView {
        settings: sonare::settings::describe(&state.settings()?),
        data_dir: state.data().root().display().to_string(),
        devices: sonare::playback::output::device_names(),
        cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
    })
}

/// Changes one setting (`value` null with `reset`: back to its default); a new output device is
/// taken at once.
#[tauri::command]
pub fn set_setting<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    key: String,
    value: serde_json::Value,
    reset: Option<bool>,
) -> CommandResult<Settings> {
    let settings = match reset {
        Some(true) => state.reset_setting(&key)?,
        _ => state.set_setting(&key, value)?,
    };
    if let (true, Some(player)) = (key == "output_device", app.try_state::<PlayerHandle>()) {
        player.send(sonare::playback::Command::SwitchOutput);
    }
    Ok(settings)
}

#[tauri::command]
pub fn remove_folder(state: State<'_, AppState>, path: String) -> CommandResult<()> {
    Ok(state.remove_folder(&path)?)
}

/// Marks every analysis to be made again and starts the job that makes them; → tracks marked.
#[tauri::command]
pub fn reanalyse_all(state: State<'_, AppState>, jobs: State<'_, Jobs>) -> CommandResult<usize> {
    let marked = state.reanalyse_all()?;
    drop(jobs.submit(Job::CatchUp));
    Ok(marked)
}

/// A backup of the database into `folder`, named by the day.
#[tauri::command]
pub async fn backup_library(
    state: State<'_, AppState>,
    folder: PathBuf,
) -> CommandResult<BackupReport> {
    let app = state.0.clone();
    let name = format!("sonare-backup-{}.sqlite3", sonare::discover::today());
    off_ui_thread(move || Ok(app.backup(&folder.join(name))?)).await
}

#[tauri::command]
pub async fn export_learned(
    state: State<'_, AppState>,
    folder: PathBuf,
) -> CommandResult<ExportSummary> {
    let app = state.0.clone();
    off_ui_thread(move || Ok(app.export_learned(&folder)?)).await
}

#[tauri::command]
pub async fn restore_learned(
    state: State<'_, AppState>,
    folder: PathBuf,
) -> CommandResult<RestoreReport> {
    let app = state.0.clone();
    off_ui_thread(move || Ok(app.restore_learned(&folder)?)).await
}
