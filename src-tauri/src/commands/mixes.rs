//! Daily Mixes, Rediscover, radio and paths: each command calls one facade function, off the UI
//! thread where it reads the whole library.

use sonare::app::{Mix, MixTrack, RadioBatch, Seed};
use tauri::State;

use crate::error::{off_ui_thread, CommandResult};
use crate::state::AppState;

/// Today's Daily Mixes and Rediscover (made on first call of the day, then the same all day).
#[tauri::command]
pub async fn daily_mixes(state: State<'_, AppState>) -> CommandResult<Vec<Mix>> {
    let sonare = state.0.clone();
    off_ui_thread(move || Ok(sonare.mixes(None)?)).await
}

/// Saves today's mix `slot` as a playlist → its id.
#[tauri::command]
pub fn save_mix_playlist(
    state: State<'_, AppState>,
    slot: i64,
    name: Option<String>,
) -> CommandResult<i64> {
    Ok(state.save_mix_as_playlist(None, slot, name.as_deref())?)
}

/// Starts a radio from `seeds` → its first tracks (the window queues and plays them).
#[tauri::command]
pub async fn start_radio(
    state: State<'_, AppState>,
    seeds: Vec<Seed>,
) -> CommandResult<RadioBatch> {
    let sonare = state.0.clone();
    off_ui_thread(move || Ok(sonare.radio_start(&seeds, sonare::app::RADIO_START)?)).await
}

/// The running radio's next tracks, steered by what was skipped and liked since it started.
#[tauri::command]
pub async fn radio_more(state: State<'_, AppState>) -> CommandResult<RadioBatch> {
    let sonare = state.0.clone();
    off_ui_thread(move || Ok(sonare.radio_more(sonare::app::RADIO_BATCH)?)).await
}

/// A list of `length` songs from `from` to `to` in small steps of sound.
#[tauri::command]
pub async fn path_between(
    state: State<'_, AppState>,
    from: i64,
    to: i64,
    length: usize,
) -> CommandResult<Vec<MixTrack>> {
    let sonare = state.0.clone();
    off_ui_thread(move || Ok(sonare.path_between(from, to, length)?)).await
}
