//! Tauri commands: each parses its arguments, calls one core function and maps the error.

pub mod analysis;
pub mod discover;
pub mod import;
pub mod jobs;
pub mod library;
pub mod mixes;
pub mod places;
pub mod player;
pub mod search;
pub mod settings;
