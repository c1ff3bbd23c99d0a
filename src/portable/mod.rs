//! What the listener taught Sonare, written out to keep or to move to another machine, and read
//! back: the listening history as ListenBrainz JSON lines (`listens.jsonl`, readable by any tool
//! that takes a ListenBrainz export, and by `sonare import history --format listenbrainz`), each
//! playlist as XSPF (`playlists/`), and the rest in one JSON file (`sonare.json`: likes, hides,
//! exclusions, settings, and the playlists' entries for an exact restore).
//!
//! A track is named by its path and its names, so a restore on another machine finds it at the
//! same path or, failing that, by artist and title, as imports match.

mod export;
mod restore;

use serde::{Deserialize, Serialize};

pub use export::{export, ExportSummary};
pub use restore::{restore, RestoreReport};

/// `sonare.json`'s format name and version.
pub const FORMAT: &str = "sonare-learned";
pub const VERSION: u32 = 1;

pub const LISTENS_FILE: &str = "listens.jsonl";
pub const LEARNED_FILE: &str = "sonare.json";
pub const PLAYLISTS_DIR: &str = "playlists";

/// A track as an export names it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrackRef {
    pub path: String,
    pub artist: String,
    pub title: String,
    #[serde(default)]
    pub album: String,
}

/// One like or hide.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    pub kind: String,
    pub at: i64,
    pub track: TrackRef,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExcludedName {
    pub kind: crate::exclusions::ExclusionKind,
    pub label: String,
}

/// A playlist entry: a library track, or a song that matched none when it was made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlaylistEntry {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    pub artist: String,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedPlaylist {
    /// The id it had where it was exported: a restore keeps one playlist per exported id.
    pub id: i64,
    pub name: String,
    pub entries: Vec<PlaylistEntry>,
}

/// `sonare.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Learned {
    pub format: String,
    pub version: u32,
    pub exported_at: i64,
    pub verdicts: Vec<Verdict>,
    pub exclusions: Vec<ExcludedName>,
    pub settings: serde_json::Map<String, serde_json::Value>,
    pub playlists: Vec<SavedPlaylist>,
}

/// One play, as `listens.jsonl` holds it: ListenBrainz's listen, Sonare's own fields in
/// `additional_info.sonare`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Listen {
    pub listened_at: i64,
    pub track_metadata: ListenMetadata,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListenMetadata {
    pub artist_name: String,
    pub track_name: String,
    #[serde(default)]
    pub release_name: String,
    pub additional_info: ListenInfo,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListenInfo {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<i64>,
    pub submission_client: String,
    pub sonare: PlayFacts,
}

/// What Sonare's history knows of a play beyond ListenBrainz's fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlayFacts {
    pub path: String,
    #[serde(default)]
    pub ended_at: Option<i64>,
    pub position_ms: i64,
    pub heard_ms: i64,
    #[serde(default)]
    pub end_reason: Option<String>,
    pub context: String,
    pub source: String,
    #[serde(default)]
    pub error: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum PortableError {
    #[error("{path}: {source}")]
    Io {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {reason}")]
    Format {
        path: std::path::PathBuf,
        reason: String,
    },
    #[error("database: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error(transparent)]
    Playlist(#[from] crate::playlists::PlaylistError),
}
