//! Finding tracks by words, and "For you" (unplayed tracks by co-listening evidence). Both run off
//! the UI thread: the text index and the shared model are made on first use, then kept.

use sonare::app::{ForYou, Found};
use tauri::State;

use crate::error::{off_ui_thread, CommandResult};
use crate::state::AppState;

#[tauri::command]
pub async fn find_tracks(
    state: State<'_, AppState>,
    query: String,
    k: usize,
) -> CommandResult<Vec<Found>> {
    let sonare = state.0.clone();
    off_ui_thread(move || Ok(sonare.find(&query, k)?)).await
}

#[tauri::command]
pub async fn for_you(state: State<'_, AppState>, k: usize) -> CommandResult<Vec<ForYou>> {
    let sonare = state.0.clone();
    off_ui_thread(move || Ok(sonare.for_you(k)?)).await
}
