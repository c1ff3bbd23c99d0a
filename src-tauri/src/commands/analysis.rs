//! A track's analysis, and tracks that sound like it.

use sonare::app::{SimilarTrack, TrackDetails};
use tauri::State;

use crate::error::{off_ui_thread, CommandResult};
use crate::state::AppState;

/// What the track view shows: the track, its analysis (if any) and its most probable sound tags.
#[tauri::command]
pub fn track_details(state: State<'_, AppState>, id: i64) -> CommandResult<TrackDetails> {
    Ok(state.track_details(id)?)
}

/// "More like this sound": the `k` tracks nearest to `id` by the audio embedding (off the UI
/// thread: it reads every embedding, about 0.1 s on 100k tracks).
#[tauri::command]
pub async fn similar_tracks(
    state: State<'_, AppState>,
    id: i64,
    k: usize,
) -> CommandResult<Vec<SimilarTrack>> {
    let sonare = state.0.clone();
    off_ui_thread(move || Ok(sonare.similar(id, k)?)).await
}
