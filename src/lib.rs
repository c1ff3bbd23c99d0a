//! Sonare's core: every piece of logic of the player and recommender, with no Tauri dependency.
//! The desktop shell (`src-tauri/`) and the `sonare` command line are thin layers over it.

pub mod audio;
pub mod data_dir;
pub mod db;
pub mod library;
pub mod playback;
