//! Taste commands: importing listening data, search by words, recommendations for the listener.

use std::sync::Arc;

use serde::Serialize;
use sonare::cf::import::{
    self, HistoryFormat, ImportControl, ImportError, ImportReport, SharedFormat,
};
use sonare::cf::taste::{self, Listener, SharedModel};
use sonare::db::tracks::{self as q, TrackRow};
use sonare::discover::DataVersion;
use sonare::text::profile::LibraryText;
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;

use crate::error::{CommandError, CommandResult};
use crate::state::AppState;

#[derive(Serialize)]
pub struct FoundTrack {
    pub track: TrackRow,
    pub score: f32,
}

/// Tracks for a free-text query, by text and sound tags together. Off the UI thread: the text index
/// of a large library takes a while to build, and is kept while the library is unchanged.
#[tauri::command]
pub async fn find_tracks(
    state: State<'_, AppState>,
    query: String,
    k: usize,
) -> CommandResult<Vec<FoundTrack>> {
    let conn = state.writer()?;
    let index = state.search_index.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let version = DataVersion::read(&conn)?;
        let text = {
            let mut kept = index.lock().unwrap_or_else(|e| e.into_inner());
            match kept.as_ref() {
                Some((v, text)) if *v == version => text.clone(),
                _ => {
                    let text = Arc::new(LibraryText::load_tracks(&conn)?);
                    *kept = Some((version, text.clone()));
                    text
                }
            }
        };
        let hits = text.search(&query, k.clamp(1, 500));
        let ids: Vec<i64> = hits.iter().map(|h| h.0).collect();
        let rows = q::tracks_by_ids(&conn, &ids)?;
        Ok(rows
            .into_iter()
            .zip(hits)
            .map(|(track, (_, score))| FoundTrack { track, score })
            .collect())
    })
    .await
    .map_err(|e| CommandError::new("find", e))?
}

#[derive(Serialize)]
pub struct ForYou {
    pub track: TrackRow,
    pub cf: f32,
    pub session: f32,
    pub because: Option<String>,
}

/// Unplayed library tracks by co-listening evidence, with the reason (off the UI thread: the shared
/// model may be trained here on first use).
#[tauri::command]
pub async fn taste_for_me(state: State<'_, AppState>, k: usize) -> CommandResult<Vec<ForYou>> {
    let conn = state.writer()?;
    tauri::async_runtime::spawn_blocking(move || {
        let listener = Listener::load(&conn)?;
        let shared = SharedModel::load(&conn).map_err(|e| CommandError::new("taste", e))?;
        let scores = taste::scores(&conn, shared.as_ref(), &listener, k.clamp(1, 500))
            .map_err(|e| CommandError::new("taste", e))?;
        let ids: Vec<i64> = scores.iter().map(|s| s.track_id).collect();
        let rows = q::tracks_by_ids(&conn, &ids)?;
        Ok(rows
            .into_iter()
            .zip(scores)
            .map(|(track, s)| ForYou {
                track,
                cf: s.cf,
                session: s.session,
                because: s.because,
            })
            .collect())
    })
    .await
    .map_err(|e| CommandError::new("taste", e))?
}

#[derive(Serialize)]
pub struct ImportOutcome {
    pub reports: Vec<ImportReport>,
    /// Files that could not be imported, with the reason (naming the file and line).
    pub errors: Vec<String>,
    /// The listener stopped the import: the file under way and those after it were not imported.
    pub cancelled: bool,
}

/// How far an import has come, sent to the window while it runs.
#[derive(Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportProgress {
    pub file: String,
    /// 1-based, of `files`.
    pub index: usize,
    pub files: usize,
    pub bytes_read: u64,
    pub bytes_total: u64,
}

/// Lets the listener pick files, then imports them as `kind` ("history" or "shared") in `format`,
/// reporting progress; `cancel_import` stops it (the file under way is rolled back).
#[tauri::command]
pub async fn import_listening_data<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    kind: String,
    format: String,
    on_progress: Channel<ImportProgress>,
) -> CommandResult<Option<ImportOutcome>> {
    enum Which {
        History(HistoryFormat),
        Shared(SharedFormat),
    }
    let which = match kind.as_str() {
        "history" => HistoryFormat::from_name(&format).map(Which::History),
        "shared" => SharedFormat::from_name(&format).map(Which::Shared),
        _ => None,
    }
    .ok_or_else(|| CommandError::new("format", format!("unknown {kind} format {format:?}")))?;
    let dialog = app.clone();
    let picked =
        tauri::async_runtime::spawn_blocking(move || dialog.dialog().file().blocking_pick_files())
            .await
            .map_err(|e| CommandError::new("dialog", e))?;
    let Some(files) = picked else {
        return Ok(None);
    };
    let mut conn = state.writer()?;
    let paths: Vec<_> = files
        .into_iter()
        .filter_map(|f| f.into_path().ok())
        .collect();
    let running = state.import.clone();
    let outcome = tauri::async_runtime::spawn_blocking(move || {
        let mut outcome = ImportOutcome {
            reports: Vec::new(),
            errors: Vec::new(),
            cancelled: false,
        };
        let files = paths.len();
        for (i, path) in paths.iter().enumerate() {
            let progress = ImportProgress {
                file: path.display().to_string(),
                index: i + 1,
                files,
                bytes_read: 0,
                bytes_total: import::input_size(path),
            };
            let _ = on_progress.send(progress.clone());
            let channel = on_progress.clone();
            let control = Arc::new(ImportControl::with_progress(move |bytes_read| {
                let _ = channel.send(ImportProgress {
                    bytes_read,
                    ..progress.clone()
                });
            }));
            *running.lock().unwrap_or_else(|e| e.into_inner()) = Some(control.clone());
            let result = match which {
                Which::History(f) => import::import_history_with(&mut conn, path, f, control),
                Which::Shared(f) => import::import_shared_with(&mut conn, path, f, control),
            };
            match result {
                Ok(report) => outcome.reports.push(report),
                Err(ImportError::Cancelled { .. }) => {
                    outcome.cancelled = true;
                    break;
                }
                Err(e) => outcome.errors.push(e.to_string()),
            }
        }
        *running.lock().unwrap_or_else(|e| e.into_inner()) = None;
        outcome
    })
    .await
    .map_err(|e| CommandError::new("import", e))?;
    Ok(Some(outcome))
}

/// Stops the running import, if any.
#[tauri::command]
pub fn cancel_import(state: State<'_, AppState>) {
    if let Some(control) = state
        .import
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .as_ref()
    {
        control.cancel();
    }
}
