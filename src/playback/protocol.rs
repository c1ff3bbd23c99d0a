//! What the player is told and what it tells: [`Command`]s in, [`PlayerEvent`]s out.
//!
//! Protocol (what follows what):
//! * Every command that changes what plays or how ([`Command::PlayQueue`], `PlayIndex`, `Next`,
//!   `Previous`, `Stop`, `Pause`, `Resume`, `SetVolume`, `SetShuffle`, `SetRepeat`) is followed by a
//!   [`PlayerEvent::State`]; one that changes the current track also by [`PlayerEvent::TrackChanged`].
//! * Queue edits (`PlayQueue`, `Enqueue`, `Remove`, `Move`, `SetShuffle`) are followed by
//!   [`PlayerEvent::QueueChanged`].
//! * While playing, [`PlayerEvent::Position`] arrives at most 4 times a second, and right after a seek.
//! * When a track ends, the next one starts in the same output stream (gapless) and
//!   `TrackChanged` follows; at the end of the queue `State { status: Stopped }` follows.
//! * `Audible` follows when the track's first samples reach the output.
//! * On start the player emits `State`, and for a restored queue `QueueChanged`, `TrackChanged` and
//!   `Position` (stopped at the saved position; `Resume` continues there).
//! * A file that cannot be decoded gives [`PlayerEvent::Error`] with `kind: Decode` and its track id;
//!   playback moves on to the next track. No or a lost output device gives `kind: Device`; the player
//!   keeps its queue and retries the device every 2 s while it should be playing.

use std::time::Duration;

use serde::Serialize;

use super::history::PlayContext;
use super::queue::Repeat;

/// What the player is asked to do.
#[derive(Debug, Clone)]
pub enum Command {
    /// Replace the queue with `tracks` and play from `start` (an index into `tracks`).
    PlayQueue {
        tracks: Vec<i64>,
        start: usize,
        context: PlayContext,
    },
    /// Play the queue item at this index.
    PlayIndex(usize),
    Pause,
    Resume,
    TogglePause,
    Stop,
    Seek(Duration),
    /// Seek forward (positive) or back (negative) by this many seconds.
    SeekBy(f64),
    Next,
    Previous,
    /// 0.0–1.0.
    SetVolume(f32),
    SetShuffle(bool),
    SetRepeat(Repeat),
    Enqueue(Vec<i64>),
    Remove(usize),
    Move {
        from: usize,
        to: usize,
    },
    /// Emit `State`, `QueueChanged`, `TrackChanged` and `Position` again (a new UI catching up).
    Announce,
    /// Reopen the output on the device the settings name now; playback goes on where it was.
    SwitchOutput,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Playing,
    Paused,
    Stopped,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlayerErrorKind {
    /// A file could not be decoded (it is skipped).
    Decode,
    /// No audio output device, or it was lost.
    Device,
    /// A queued track is no longer in the library.
    NotFound,
    /// The history or queue could not be saved.
    Storage,
}

/// The current track, as the now-playing bar shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NowPlaying {
    pub id: i64,
    pub path: String,
    pub title: String,
    pub artist: String,
    pub album: String,
    pub duration_ms: Option<u64>,
    pub cover: Option<String>,
}

/// What the player reports. See the module documentation for what follows what.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum PlayerEvent {
    State {
        status: Status,
        volume: f32,
        shuffle: bool,
        repeat: Repeat,
    },
    TrackChanged {
        track: Option<NowPlaying>,
        /// Index of the track in the queue.
        index: Option<usize>,
    },
    Position {
        position_ms: u64,
        duration_ms: Option<u64>,
    },
    QueueChanged {
        tracks: Vec<i64>,
        current: Option<usize>,
    },
    /// The first samples of the current track reached the output (follows `TrackChanged`).
    Audible { track_id: i64 },
    Error {
        kind: PlayerErrorKind,
        message: String,
        track_id: Option<i64>,
    },
}

/// What the now-playing bar and the queue panel ask of the player, as the window sends it
/// (`{"action": "seek", "seconds": 12.5}`); each becomes one [`Command`].
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
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

impl From<Action> for Command {
    fn from(action: Action) -> Self {
        match action {
            Action::Pause => Command::Pause,
            Action::Resume => Command::Resume,
            Action::TogglePause => Command::TogglePause,
            Action::Stop => Command::Stop,
            Action::Next => Command::Next,
            Action::Previous => Command::Previous,
            Action::Seek { seconds } => Command::Seek(Duration::from_secs_f64(seconds.max(0.0))),
            Action::SeekBy { seconds } => Command::SeekBy(seconds),
            Action::SetVolume { volume } => Command::SetVolume(volume),
            Action::SetShuffle { on } => Command::SetShuffle(on),
            Action::SetRepeat { repeat } => Command::SetRepeat(repeat),
            Action::PlayIndex { index } => Command::PlayIndex(index),
            Action::Enqueue { tracks } => Command::Enqueue(tracks),
            Action::Remove { index } => Command::Remove(index),
            Action::Move { from, to } => Command::Move { from, to },
        }
    }
}

impl Command {
    /// Plays `tracks` from `index`; an index past the end is an error naming the list's length.
    pub fn play_list(
        tracks: Vec<i64>,
        index: usize,
        context: PlayContext,
    ) -> Result<Command, String> {
        if index >= tracks.len() {
            return Err(format!("no track {index} in a list of {}", tracks.len()));
        }
        Ok(Command::PlayQueue {
            tracks,
            start: index,
            context,
        })
    }
}
