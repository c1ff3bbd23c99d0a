//! Playback: one named thread owns the audio output; commands arrive as [`Command`]s on a channel and
//! state changes leave as [`PlayerEvent`]s (`protocol` documents what follows what). Every play is
//! recorded in the listening history.
//!
//! `player` is the handle, `engine` the state machine on the player thread, `output` the device
//! behind a trait, `source` the one gapless stream the device pulls, `gain` and `tracks` what a
//! track plays at, `queue` the queue, `history` the recorded plays.

mod engine;
mod gain;
pub mod history;
pub mod output;
mod player;
mod protocol;
pub mod queue;
pub mod source;
mod tracks;

pub use history::{EndReason, PlayContext};
pub use player::Player;
pub use protocol::{Action, Command, NowPlaying, PlayerErrorKind, PlayerEvent, Status};
pub use queue::{Queue, Repeat};
