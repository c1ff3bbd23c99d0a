//! Analysis commands: run, pause, resume or cancel the background job; a track's analysis; tracks that
//! sound like it.

use serde::Serialize;
use sonare::analysis::{cnn, similar, store};
use sonare::db::tracks::{self as q, TrackRow};
use tauri::ipc::Channel;
use tauri::{AppHandle, Runtime, State};

use crate::analysis::{AnalysisEvent, AnalysisService};
use crate::error::{CommandError, CommandResult};
use crate::state::AppState;

/// Starts the analysis of every track not analysed yet (or joins the running one); progress goes to
/// `on_progress`. Returns false if a job was already running.
#[tauri::command]
pub fn start_analysis<R: Runtime>(
    app: AppHandle<R>,
    service: State<'_, AnalysisService>,
    on_progress: Channel<AnalysisEvent>,
) -> bool {
    service.start(&app, on_progress)
}

#[tauri::command]
pub fn pause_analysis(service: State<'_, AnalysisService>) {
    service.pause();
}

#[tauri::command]
pub fn resume_analysis(service: State<'_, AnalysisService>) {
    service.resume();
}

#[tauri::command]
pub fn cancel_analysis(service: State<'_, AnalysisService>) {
    service.cancel();
}

/// What the track view shows: the track, its analysis (if any) and its most probable CNN tags.
#[derive(Serialize)]
pub struct TrackDetails {
    track: TrackRow,
    analysis: Option<store::StoredAnalysis>,
    top_tags: Vec<(String, f32)>,
}

#[tauri::command]
pub fn track_details(state: State<'_, AppState>, id: i64) -> CommandResult<TrackDetails> {
    let conn = state.db();
    let track = q::track_by_id(&conn, id)?
        .ok_or_else(|| CommandError::new("not_found", format!("no track with id {id}")))?;
    let mut analysis = store::get(&conn, id)?;
    let top_tags = analysis
        .as_ref()
        .map(|a| cnn::top_tags(&a.tags, 8))
        .unwrap_or_default();
    // The UI needs neither the raw vectors nor the 50 probabilities.
    if let Some(a) = analysis.as_mut() {
        a.tags.clear();
        a.embedding.clear();
    }
    Ok(TrackDetails {
        track,
        analysis,
        top_tags,
    })
}

#[derive(Serialize)]
pub struct SimilarTrack {
    track: TrackRow,
    similarity: f32,
}

/// "More like this sound": the `k` tracks nearest to `id` by the audio embedding. Off the UI thread:
/// it reads every embedding (about 0.1 s on 100k tracks).
#[tauri::command]
pub async fn similar_tracks(
    state: State<'_, AppState>,
    id: i64,
    k: usize,
) -> CommandResult<Vec<SimilarTrack>> {
    let conn = state.writer()?;
    tauri::async_runtime::spawn_blocking(move || {
        let neighbours = similar::more_like(&conn, id, k.clamp(1, 200)).map_err(|e| match e {
            similar::SimilarError::NotAnalysed(_) => CommandError::new("not_analysed", e),
            similar::SimilarError::Db(e) => CommandError::from(e),
        })?;
        let ids: Vec<i64> = neighbours.iter().map(|n| n.track_id).collect();
        let rows = q::tracks_by_ids(&conn, &ids)?;
        Ok(rows
            .into_iter()
            .zip(neighbours)
            .map(|(track, n)| SimilarTrack {
                track,
                similarity: n.similarity,
            })
            .collect())
    })
    .await
    .map_err(|e| CommandError::new("similar", e))?
}
