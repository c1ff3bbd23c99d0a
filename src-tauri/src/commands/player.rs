//! Player commands: each sends one command to the player thread. What happened comes back as
//! `player` events (see `sonare::playback` for what follows what).

use std::time::Duration;

use sonare::library::browse::{self as q, TrackQuery};
use sonare::playback::{Command, PlayContext, Repeat};
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
    let tracks = q::list_track_ids(&state.db(), &query)?;
    if index >= tracks.len() {
        return Err(CommandError::new(
            "not_found",
            format!("no row {index} in this view"),
        ));
    }
    player.send(Command::PlayQueue {
        tracks,
        start: index,
        context,
    });
    Ok(())
}

/// Plays an album from its first track (or from `track_id`).
#[tauri::command]
pub fn play_album(
    state: State<'_, AppState>,
    player: State<'_, PlayerHandle>,
    album: String,
    album_artist: Option<String>,
) -> CommandResult<()> {
    let tracks = q::album_track_ids(&state.db(), &album, album_artist.as_deref())?;
    if tracks.is_empty() {
        return Err(CommandError::new(
            "not_found",
            format!("no tracks in album {album}"),
        ));
    }
    player.send(Command::PlayQueue {
        tracks,
        start: 0,
        context: PlayContext::Album,
    });
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
    if index >= ids.len() {
        return Err(CommandError::new(
            "not_found",
            format!("no track {index} in a list of {}", ids.len()),
        ));
    }
    player.send(Command::PlayQueue {
        tracks: ids,
        start: index,
        context,
    });
    Ok(())
}

/// Rows of the given tracks, in the given order (for the queue panel).
#[tauri::command]
pub fn tracks_by_ids(state: State<'_, AppState>, ids: Vec<i64>) -> CommandResult<Vec<q::TrackRow>> {
    Ok(q::tracks_by_ids(&state.db(), &ids)?)
}

#[derive(serde::Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum PlayerAction {
    Pause,
    Resume,
    TogglePause,
    Stop,
    Next,
    Previous,
    Seek { seconds: f64 },
    SeekBy { seconds: f64 },
    SetVolume { volume: f32 },
    SetShuffle { on: bool },
    SetRepeat { repeat: Repeat },
    PlayIndex { index: usize },
    Enqueue { tracks: Vec<i64> },
    Remove { index: usize },
    Move { from: usize, to: usize },
}

/// Everything the now-playing bar and the queue panel ask of the player.
#[tauri::command]
pub fn player_control(player: State<'_, PlayerHandle>, action: PlayerAction) {
    player.send(match action {
        PlayerAction::Pause => Command::Pause,
        PlayerAction::Resume => Command::Resume,
        PlayerAction::TogglePause => Command::TogglePause,
        PlayerAction::Stop => Command::Stop,
        PlayerAction::Next => Command::Next,
        PlayerAction::Previous => Command::Previous,
        PlayerAction::Seek { seconds } => Command::Seek(Duration::from_secs_f64(seconds.max(0.0))),
        PlayerAction::SeekBy { seconds } => Command::SeekBy(seconds),
        PlayerAction::SetVolume { volume } => Command::SetVolume(volume),
        PlayerAction::SetShuffle { on } => Command::SetShuffle(on),
        PlayerAction::SetRepeat { repeat } => Command::SetRepeat(repeat),
        PlayerAction::PlayIndex { index } => Command::PlayIndex(index),
        PlayerAction::Enqueue { tracks } => Command::Enqueue(tracks),
        PlayerAction::Remove { index } => Command::Remove(index),
        PlayerAction::Move { from, to } => Command::Move { from, to },
    });
}

/// Asks the player to announce its state again (a reloaded UI catches up).
#[tauri::command]
pub fn player_refresh(player: State<'_, PlayerHandle>) {
    player.send(Command::Announce);
}
