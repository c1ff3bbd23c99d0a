//! Sonare's core: every piece of logic of the player and recommender, with no Tauri dependency.
//! The desktop shell (`src-tauri/`) and the `sonare` command line are thin layers over it.

pub mod analysis;
pub mod app;
pub mod audio;
pub mod camelot;
pub mod cf;
pub mod data_dir;
pub mod db;
pub mod discover;
pub mod exclusions;
pub mod feedback;
pub mod jobs;
pub mod library;
pub mod mixes;
pub mod playback;
pub mod playlists;
pub mod portable;
pub mod power;
pub mod sandbox;
pub mod settings;
pub mod text;

/// The text of a caught panic (tag readers and decoders can panic on malformed files).
pub(crate) fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}
