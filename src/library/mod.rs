//! Folder import: walk the listener's folders, read tags and cover art, keep the library in SQLite, and
//! rescan incrementally (unchanged files are not re-read; moved files keep their identity and history).

mod aifc;
pub mod artists;
pub mod browse;
mod covers;
pub mod demo;
pub mod duplicates;
pub mod lyrics;
pub mod meta;
pub mod path_guess;
pub mod path_text;
pub mod probe_worker;
pub mod read;
mod scan;
pub mod sort_name;
pub mod store;
mod walk;
pub mod watch;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

pub use covers::CoverCache;
pub use scan::{scan, Phase, ScanOptions, ScanProgress, ScanReport};

/// Why one file or folder could not be imported. Always names the path it concerns.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: not a recognised audio format")]
    NotAudio { path: PathBuf },
    #[error("{path}: unreadable: {reason}")]
    Unreadable { path: PathBuf, reason: String },
    #[error("{path}: the reader crashed on this file: {message}")]
    Panicked { path: PathBuf, message: String },
    #[error("{path}: {reason}")]
    Walk { path: PathBuf, reason: String },
}

impl ScanError {
    pub fn path(&self) -> &Path {
        match self {
            ScanError::Io { path, .. }
            | ScanError::NotAudio { path }
            | ScanError::Unreadable { path, .. }
            | ScanError::Panicked { path, .. }
            | ScanError::Walk { path, .. } => path,
        }
    }

    /// The message without the path, as stored next to the path in the database.
    pub fn reason(&self) -> String {
        match self {
            ScanError::Io { source, .. } => source.to_string(),
            ScanError::NotAudio { .. } => "not a recognised audio format".into(),
            ScanError::Unreadable { reason, .. } => format!("unreadable: {reason}"),
            ScanError::Panicked { message, .. } => {
                format!("the reader crashed on this file: {message}")
            }
            ScanError::Walk { reason, .. } => reason.clone(),
        }
    }
}

/// Errors of library operations other than per-file scan failures.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("music folder {path}: {source}")]
    Folder {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("music folder {path} is not a directory")]
    NotADirectory { path: PathBuf },
    #[error("cover cache {path}: {source}")]
    CoverCache {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Db(#[from] crate::db::Error),
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Error::Db(e.into())
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Adds a music folder to the library (idempotent). The path is stored canonicalised.
pub fn add_folder(conn: &rusqlite::Connection, path: &Path) -> Result<PathBuf> {
    let canonical = path.canonicalize().map_err(|source| Error::Folder {
        path: path.to_owned(),
        source,
    })?;
    if !canonical.is_dir() {
        return Err(Error::NotADirectory {
            path: path.to_owned(),
        });
    }
    store::add_folder(conn, &path_text::to_text(&canonical)).map_err(crate::db::Error::from)?;
    Ok(canonical)
}

/// Runs `f` and turns a panic inside it into [`ScanError::Panicked`] for `path`.
/// Tag readers and decoders can panic on malformed files; one file must never take the scan down.
pub fn isolate<T>(path: &Path, f: impl FnOnce() -> Result<T, ScanError>) -> Result<T, ScanError> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|payload| {
        Err(ScanError::Panicked {
            path: path.to_owned(),
            message: crate::panic_message(payload),
        })
    })
}
