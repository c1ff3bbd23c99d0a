//! Player commands: each sends one command to the player thread. What happened comes back as
//! `player` events (see `sonare::playback` for what follows what).

use sonare::library::browse::{self, TrackQuery, TrackRow};
use sonare::playback::{Action, Command, PlayContext};
use tauri::State;

use crate::error::{CommandError, CommandResult};
use crate::state::{AppState, PlayerHandle};

/// Plays the tracks of a library view (its search and sort) starting at row `index`.
#[tauri::command]
pub fn play_view(
    state: State<'_, AppState>,
    player: State<'_, PlayerHandle>,
    query: TrackQuery,
    index: usize,
    context: PlayContext,
) -> CommandResult<()> {
    player.send(state.play_view(&query, index, context)?);
    Ok(())
}

/// Plays an album from its first track.
#[tauri::command]
pub fn play_album(
    state: State<'_, AppState>,
    player: State<'_, PlayerHandle>,
    album: String,
    album_artist: Option<String>,
) -> CommandResult<()> {
    player.send(state.play_album(&album, album_artist.as_deref())?);
    Ok(())
}

/// Plays the given tracks (e.g. a "more like this sound" list) from `index`.
#[tauri::command]
pub fn play_tracks(
    player: State<'_, PlayerHandle>,
    ids: Vec<i64>,
    index: usize,
    context: PlayContext,
) -> CommandResult<()> {
    let command = Command::play_list(ids, index, context)
        .map_err(|message| CommandError::new("not_found", message))?;
    player.send(command);
    Ok(())
}

/// Rows of the given tracks, in the given order (for the queue panel).
#[tauri::command]
pub fn tracks_by_ids(state: State<'_, AppState>, ids: Vec<i64>) -> CommandResult<Vec<TrackRow>> {
    Ok(browse::tracks_by_ids(&state.db(), &ids)?)
}

/// Everything the now-playing bar and the queue panel ask of the player.
#[tauri::command]
pub fn player_control(player: State<'_, PlayerHandle>, action: Action) {
    player.send(action.into());
}

/// Asks the player to announce its state again (a reloaded UI catches up).
#[tauri::command]
pub fn player_refresh(player: State<'_, PlayerHandle>) {
    player.send(Command::Announce);
}
