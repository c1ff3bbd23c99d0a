//! Taste commands: importing listening data, search by words, recommendations for the listener.

use std::sync::Arc;

use serde::Serialize;
use sonare::cf::import::{self, HistoryFormat, ImportReport, SharedFormat};
use sonare::cf::taste::{self, Listener, SharedModel};
use sonare::db::tracks::{self as q, TrackRow};
use sonare::discover::DataVersion;
use sonare::text::profile::LibraryText;
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
                    let text = Arc::new(LibraryText::load(&conn)?);
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
}

/// Lets the listener pick files, then imports them as `kind` ("history" or "shared") in `format`.
#[tauri::command]
pub async fn import_listening_data<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    kind: String,
    format: String,
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
    let outcome = tauri::async_runtime::spawn_blocking(move || {
        let mut outcome = ImportOutcome {
            reports: Vec::new(),
            errors: Vec::new(),
        };
        for path in paths {
            let result = match which {
                Which::History(f) => import::import_history(&mut conn, &path, f),
                Which::Shared(f) => import::import_shared(&mut conn, &path, f),
            };
            match result {
                Ok(report) => outcome.reports.push(report),
                Err(e) => outcome.errors.push(e.to_string()),
            }
        }
        outcome
    })
    .await
    .map_err(|e| CommandError::new("import", e))?;
    Ok(Some(outcome))
}
