//! Playback: one named thread owns the audio output; commands arrive as [`Command`]s on a channel and
//! state changes leave as [`PlayerEvent`]s. Every play is recorded in the listening history.

mod engine;
pub mod history;
pub mod queue;
pub mod source;

pub use engine::{Command, NowPlaying, Player, PlayerErrorKind, PlayerEvent, Status};
pub use history::{EndReason, PlayContext};
pub use queue::{Queue, Repeat};
