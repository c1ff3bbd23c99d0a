//! Importers: the listener's own past (streaming-service exports, scrobble logs, playlists) and
//! optional shared co-listening data (other listeners' play counts, listening logs, playlist
//! datasets, item factors trained elsewhere).
//!
//! Every import streams its file (memory stays flat on multi-gigabyte files) inside one transaction:
//! a file that turns out not to be the announced format, or is cut off, leaves the database as it
//! was, and the error names the file and the line or entry. A malformed line or entry is skipped and
//! reported. Importing the same content twice changes nothing (the content hash is remembered, and
//! every row has a natural key).

mod control;
mod history;
mod json_stream;
mod lines;
mod playlists;
mod shared;
pub mod store;
pub mod time;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::matching::{self, LibraryIndex};
use control::Tracked;
pub use control::{input_size, ImportControl};
use store::Items;

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not a {format} file: {reason}")]
    WrongFormat {
        path: PathBuf,
        format: &'static str,
        reason: String,
    },
    #[error("{path}: {at}: {reason}; nothing was imported from this file")]
    Broken {
        path: PathBuf,
        at: String,
        reason: String,
    },
    #[error("import of {path} cancelled; nothing was imported from this file")]
    Cancelled { path: PathBuf },
    #[error("database: {0}")]
    Db(#[from] rusqlite::Error),
}

pub type Result<T, E = ImportError> = std::result::Result<T, E>;

/// Formats of the listener's own history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum HistoryFormat {
    /// Spotify "Extended streaming history" (or the older StreamingHistory) JSON.
    Spotify,
    /// ListenBrainz export, one JSON listen per line.
    Listenbrainz,
    /// Last.fm scrobble log: user, timestamp, artist, track[, artist MBID, track MBID] (TSV or CSV).
    Lastfm,
    /// M3U / M3U8 playlist.
    M3u,
    /// XSPF playlist.
    Xspf,
}

/// Formats of shared co-listening data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SharedFormat {
    /// HetRec 2011 Last.fm: user_artists.dat (userID artistID weight) with artists.dat beside it,
    /// and user_taggedartists.dat + tags.dat when present.
    Hetrec,
    /// Listening logs of many users (Last.fm 1K layout): user, timestamp, artist MBID, artist,
    /// track MBID, track.
    LastfmLog,
    /// Spotify Million Playlist Dataset slice (JSON with a "playlists" array).
    Mpd,
    /// Item factors written by `scripts/spark_als.py` (JSON lines: header, then one item per line).
    Factors,
}

impl HistoryFormat {
    /// The format of this name (as the CLI spells it), if any.
    pub fn from_name(name: &str) -> Option<Self> {
        <Self as clap::ValueEnum>::from_str(name, true).ok()
    }
}

impl SharedFormat {
    /// The format of this name (as the CLI spells it), if any.
    pub fn from_name(name: &str) -> Option<Self> {
        <Self as clap::ValueEnum>::from_str(name, true).ok()
    }
}

/// A line or entry that was skipped, and why.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Skipped {
    pub at: String,
    pub reason: String,
}

/// What an import did.
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct ImportReport {
    pub path: String,
    pub format: String,
    /// Lines (or JSON entries) read.
    pub read: u64,
    pub imported: u64,
    pub skipped: u64,
    /// The first skipped lines with their reasons (all are counted in `skipped`).
    pub skipped_lines: Vec<Skipped>,
    /// Distinct songs or artists the file names, and how many of them are in the library.
    pub items: u64,
    pub matched: u64,
    pub match_rate: f64,
    /// The same content was imported before: nothing changed.
    pub already_imported: bool,
    pub seconds: f64,
}

/// How many skipped lines a report lists in full.
const SKIPPED_LISTED: usize = 100;

/// The state of one running import, handed to the format readers.
pub(crate) struct Importer<'a> {
    pub conn: &'a Connection,
    pub items: Items,
    pub index: &'a LibraryIndex,
    pub report: ImportReport,
    pub path: PathBuf,
    pub control: std::sync::Arc<ImportControl>,
}

impl Importer<'_> {
    pub fn skip(&mut self, at: impl Into<String>, reason: impl Into<String>) {
        self.report.skipped += 1;
        if self.report.skipped_lines.len() < SKIPPED_LISTED {
            self.report.skipped_lines.push(Skipped {
                at: at.into(),
                reason: reason.into(),
            });
        }
    }

    /// A line's text and whether a newline ended it; a line too long to hold is skipped here.
    pub fn line_text(&mut self, at: &str, line: lines::Line) -> Option<(String, bool)> {
        match line {
            lines::Line::Text { text, ended } => Some((text, ended)),
            lines::Line::TooLong { bytes } => {
                self.skip(at, lines::Line::too_long_reason(bytes));
                None
            }
        }
    }

    pub fn wrong_format(&self, format: &'static str, reason: impl Into<String>) -> ImportError {
        ImportError::WrongFormat {
            path: self.path.clone(),
            format,
            reason: reason.into(),
        }
    }

    /// The error for a tab-separated file whose last line lacks fields and a final newline: it was
    /// cut off mid-line (a partial download) and is refused whole.
    pub fn cut_short(&self, at: impl Into<String>) -> ImportError {
        self.broken(
            at,
            "the last line is incomplete: the file was cut short (nothing was imported)",
        )
    }

    pub fn broken(&self, at: impl Into<String>, reason: impl Into<String>) -> ImportError {
        ImportError::Broken {
            path: self.path.clone(),
            at: at.into(),
            reason: reason.into(),
        }
    }

    /// The outcome of streaming a JSON array: malformed JSON before the first element means the
    /// file is not `format`; after it, the file is broken at the line and column serde names.
    pub fn finish_stream(
        &self,
        format: &'static str,
        elements_seen: usize,
        result: std::result::Result<(), json_stream::StreamError<ImportError>>,
    ) -> Result<()> {
        match result {
            Ok(()) => Ok(()),
            Err(json_stream::StreamError::Callback(e)) => Err(e),
            Err(json_stream::StreamError::Json(e)) if elements_seen == 0 => {
                Err(self.wrong_format(format, e.to_string()))
            }
            Err(json_stream::StreamError::Json(e)) => Err(self.broken(
                format!("line {}, column {}", e.line(), e.column()),
                e.to_string(),
            )),
        }
    }

    /// The file being imported, read through the import's control.
    pub fn open(&self) -> Result<Tracked<std::fs::File>> {
        self.open_file(&self.path)
    }

    /// Another file of the import (a dataset folder's), read through the import's control.
    pub fn open_file(&self, path: &Path) -> Result<Tracked<std::fs::File>> {
        let file = std::fs::File::open(path).map_err(|source| ImportError::Io {
            path: path.to_owned(),
            source,
        })?;
        Ok(Tracked::new(file, self.control.clone()))
    }
}

/// xxh3-128 of the file's content; of a folder (a dataset of several files), of its files' names
/// and contents in name order.
fn content_hash(path: &Path) -> Result<String> {
    let io = |source| ImportError::Io {
        path: path.to_owned(),
        source,
    };
    let mut files = vec![path.to_owned()];
    if path.is_dir() {
        files = std::fs::read_dir(path)
            .map_err(io)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file())
            .collect();
        files.sort();
    }
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    let mut buf = vec![0u8; 1 << 16];
    for file in files {
        hasher.update(file.file_name().unwrap_or_default().as_encoded_bytes());
        let mut f = std::fs::File::open(&file).map_err(|source| ImportError::Io {
            path: file.clone(),
            source,
        })?;
        loop {
            let n = f.read(&mut buf).map_err(io)?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
        }
    }
    Ok(format!("{:032x}", hasher.digest128()))
}

/// Runs `read` over `path` in one transaction, unless the same content was imported before; a
/// cancelled import rolls back.
fn run_import(
    conn: &mut Connection,
    path: &Path,
    kind: &str,
    format: &str,
    control: std::sync::Arc<ImportControl>,
    read: impl FnOnce(&mut Importer) -> Result<()>,
) -> Result<ImportReport> {
    let cancelled = || ImportError::Cancelled {
        path: path.to_owned(),
    };
    if control.is_cancelled() {
        return Err(cancelled());
    }
    let started = Instant::now();
    let hash = content_hash(path)?;
    let previous: Option<String> = conn
        .query_row(
            "SELECT report FROM imports WHERE kind = ?1 AND format = ?2 AND content_hash = ?3",
            params![kind, format, hash],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(previous) = previous {
        // What the first import found; nothing was imported this time.
        let mut report: ImportReport = serde_json::from_str(&previous).unwrap_or_default();
        report.imported = 0;
        report.skipped = 0;
        report.skipped_lines.clear();
        report.path = path.display().to_string();
        report.format = format.to_owned();
        report.already_imported = true;
        report.seconds = started.elapsed().as_secs_f64();
        return Ok(report);
    }
    // The write lock from the start: a long import never fails half-way on another writer's commit.
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let index = LibraryIndex::load(&tx)?;
    let mut importer = Importer {
        conn: &tx,
        items: Items::new(),
        index: &index,
        report: ImportReport {
            path: path.display().to_string(),
            format: format.to_owned(),
            ..Default::default()
        },
        path: path.to_owned(),
        control: control.clone(),
    };
    // A cancelled read fails wherever it was; whatever the error says, it was the cancel.
    let read = read(&mut importer);
    if control.is_cancelled() {
        return Err(cancelled());
    }
    read?;
    let mut report = importer.report;
    let touched = importer.items.touched;
    matching::rematch(&tx, &index)?;
    report.items = touched.len() as u64;
    report.matched = count_matched(&tx, &index, &touched)?;
    report.match_rate = if report.items == 0 {
        0.0
    } else {
        report.matched as f64 / report.items as f64
    };
    report.seconds = started.elapsed().as_secs_f64();
    tx.execute(
        "INSERT INTO imports (kind, format, path, content_hash, imported_at, report)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            kind,
            format,
            report.path,
            hash,
            crate::db::now_unix(),
            serde_json::to_string(&report).unwrap_or_default()
        ],
    )?;
    if control.is_cancelled() {
        return Err(cancelled());
    }
    tx.commit()?;
    Ok(report)
}

fn count_matched(
    conn: &Connection,
    index: &LibraryIndex,
    touched: &std::collections::HashSet<i64>,
) -> rusqlite::Result<u64> {
    let mut stmt =
        conn.prepare_cached("SELECT kind, artist, track_id FROM ext_items WHERE id = ?1")?;
    let mut n = 0;
    for id in touched {
        let (kind, artist, track): (String, String, Option<i64>) =
            stmt.query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        let hit = match kind.as_str() {
            "artist" => index.has_artist(&artist),
            _ => track.is_some(),
        };
        n += hit as u64;
    }
    Ok(n)
}

fn format_name<T: clap::ValueEnum>(format: T) -> String {
    format
        .to_possible_value()
        .map(|v| v.get_name().to_owned())
        .unwrap_or_default()
}

/// Imports the listener's own history or playlists from `path`.
pub fn import_history(
    conn: &mut Connection,
    path: &Path,
    format: HistoryFormat,
) -> Result<ImportReport> {
    import_history_with(conn, path, format, Default::default())
}

/// As [`import_history`], followed and cancellable through `control`.
pub fn import_history_with(
    conn: &mut Connection,
    path: &Path,
    format: HistoryFormat,
    control: std::sync::Arc<ImportControl>,
) -> Result<ImportReport> {
    run_import(
        conn,
        path,
        "history",
        &format_name(format),
        control,
        |imp| match format {
            HistoryFormat::Spotify => history::spotify(imp),
            HistoryFormat::Listenbrainz => history::listenbrainz(imp),
            HistoryFormat::Lastfm => history::lastfm(imp),
            HistoryFormat::M3u => playlists::m3u(imp),
            HistoryFormat::Xspf => playlists::xspf(imp),
        },
    )
}

/// Imports shared co-listening data from `path`.
pub fn import_shared(
    conn: &mut Connection,
    path: &Path,
    format: SharedFormat,
) -> Result<ImportReport> {
    import_shared_with(conn, path, format, Default::default())
}

/// As [`import_shared`], followed and cancellable through `control`.
pub fn import_shared_with(
    conn: &mut Connection,
    path: &Path,
    format: SharedFormat,
    control: std::sync::Arc<ImportControl>,
) -> Result<ImportReport> {
    run_import(
        conn,
        path,
        "shared",
        &format_name(format),
        control,
        |imp| match format {
            SharedFormat::Hetrec => shared::hetrec(imp),
            SharedFormat::LastfmLog => shared::lastfm_log(imp),
            SharedFormat::Mpd => shared::mpd(imp),
            SharedFormat::Factors => shared::factors(imp),
        },
    )
}
