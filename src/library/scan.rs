//! The incremental scan: walk → decide what to (re)read → read in parallel → write in batches.
//!
//! Each batch is one transaction, so a scan killed at any point leaves every earlier batch stored and
//! the next scan continues from there (its files are then "unchanged"). Tracks are marked missing only
//! after a complete walk.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;
use std::time::Instant;

use rayon::prelude::*;
use rusqlite::{Connection, TransactionBehavior};
use serde::Serialize;

use super::covers::{CoverCache, CoverRef};
use super::meta::TrackMeta;
use super::path_text::to_text;
use super::read::read_track_with;
use super::store::{self as q, Failure, FileFacts};
use super::walk::{walk_folder, Candidate};
use super::{isolate, path_guess, Result, ScanError};
use crate::jobs::{JobControl, Progress};
use crate::sandbox::WorkerCommand;

/// Bytes hashed from each end of a file for its fingerprint.
const FINGERPRINT_SPAN: u64 = 64 * 1024;

pub struct ScanOptions<'a> {
    /// Files read and written per transaction.
    pub batch_size: usize,
    /// Cancelling stops the scan after the current batch; pausing holds it between batches.
    pub control: Option<&'a JobControl>,
    /// Runs symphonia's probe of files lofty cannot read in a worker process (the app and the CLI).
    pub probe_worker: Option<&'a WorkerCommand>,
}

impl Default for ScanOptions<'_> {
    fn default() -> Self {
        Self {
            batch_size: 256,
            control: None,
            probe_worker: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Walking,
    Reading,
    Finishing,
}

/// Progress of a running scan: files read of those to read, `current` the file just handled.
#[derive(Debug, Clone, Serialize)]
pub struct ScanProgress {
    pub phase: Phase,
    #[serde(flatten)]
    pub progress: Progress,
}

impl ScanProgress {
    fn new(phase: Phase, done: usize, total: usize, current: Option<&Path>) -> Self {
        let current = current.map(|p| p.to_string_lossy().into_owned());
        ScanProgress {
            phase,
            progress: Progress::new(done as u64, total as u64, current),
        }
    }
}

/// The outcome of a scan, printed by `sonare scan --json`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ScanReport {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub moved: usize,
    pub missing: usize,
    /// Every file currently known to be unreadable, with its reason (also those from earlier scans).
    pub failed: Vec<Failure>,
    /// Folders that could not be walked and symlink loops.
    pub walk_errors: Vec<Failure>,
    pub seconds: f64,
    pub cancelled: bool,
}

impl ScanReport {
    /// Whether the scan added, changed, moved or lost any track.
    pub fn tracks_changed(&self) -> bool {
        self.added + self.updated + self.moved + self.missing > 0
    }
}

/// What reading one file produced.
struct ReadOutcome {
    candidate: Candidate,
    result: std::result::Result<(TrackMeta, String, Option<CoverRef>), ScanError>,
}

/// Rescans every library folder. `progress` is called from this thread only.
pub fn scan(
    conn: &mut Connection,
    covers: &CoverCache,
    options: &ScanOptions,
    progress: &mut dyn FnMut(&ScanProgress),
) -> Result<ScanReport> {
    let started = Instant::now();
    let mut report = ScanReport::default();
    progress(&ScanProgress::new(Phase::Walking, 0, 0, None));

    let mut candidates = Vec::new();
    let mut walk_errors = Vec::new();
    for folder in q::folders(conn)? {
        walk_folder(
            &super::path_text::to_path(&folder.path),
            folder.id,
            &mut candidates,
            &mut walk_errors,
        );
    }
    report.walk_errors = walk_errors
        .iter()
        .map(|e| Failure {
            path: e.path().to_string_lossy().into_owned(),
            error: e.reason(),
        })
        .collect();
    for error in &walk_errors {
        log::warn!("{error}");
    }

    let known = q::known_files(conn)?;
    let known_failures = q::known_failures(conn)?;
    let seen: HashSet<String> = candidates.iter().map(|c| to_text(&c.path)).collect();

    let mut to_read = Vec::new();
    for candidate in candidates {
        let key = to_text(&candidate.path);
        let same = |size, mtime| size == candidate.size && mtime == candidate.mtime_ns;
        let unchanged_track = known
            .get(&key)
            .is_some_and(|k| !k.missing && same(k.size, k.mtime_ns));
        let unchanged_failure = known_failures
            .get(&key)
            .is_some_and(|&(size, mtime)| same(size, mtime));
        if unchanged_track || unchanged_failure {
            report.unchanged += 1;
        } else {
            to_read.push(candidate);
        }
    }

    let total = to_read.len();
    let mut done = 0;
    let batch_size = options.batch_size.max(1);
    let proceed = || options.control.is_none_or(JobControl::proceed);
    let cancelled = || options.control.is_some_and(JobControl::is_cancelled);
    // Reading (parallel, on rayon's pool) runs one batch ahead of writing (this thread, SQLite).
    std::thread::scope(|scope| -> Result<()> {
        let (sender, batches) = std::sync::mpsc::sync_channel::<Vec<ReadOutcome>>(1);
        let to_read = &to_read;
        scope.spawn(move || {
            for batch in to_read.chunks(batch_size) {
                if !proceed() {
                    break;
                }
                let outcomes = batch
                    .par_iter()
                    .map(|candidate| ReadOutcome {
                        candidate: candidate.clone(),
                        result: read_one(candidate, covers, options.probe_worker),
                    })
                    .collect();
                if sender.send(outcomes).is_err() {
                    break;
                }
            }
        });
        for outcomes in batches {
            let current = outcomes.last().map(|o| o.candidate.path.clone());
            let count = outcomes.len();
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            for outcome in outcomes {
                store(&tx, &known, &known_failures, &seen, outcome, &mut report)?;
            }
            tx.commit()?;
            done += count;
            progress(&ScanProgress::new(
                Phase::Reading,
                done,
                total,
                current.as_deref(),
            ));
        }
        Ok(())
    })?;
    report.cancelled = done < total && cancelled();

    if !report.cancelled {
        progress(&ScanProgress::new(Phase::Finishing, done, total, None));
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Re-read: moves during this scan changed paths of some rows.
        for (path, file) in q::known_files(&tx)? {
            if !file.missing && !seen.contains(&path) {
                q::mark_missing(&tx, file.id)?;
                report.missing += 1;
            }
        }
        for path in known_failures.keys() {
            if !seen.contains(path) {
                q::clear_failure(&tx, path)?;
            }
        }
        tx.commit()?;
    }
    report.failed = q::failures(conn)?;
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

fn read_one(
    candidate: &Candidate,
    covers: &CoverCache,
    probe_worker: Option<&WorkerCommand>,
) -> std::result::Result<(TrackMeta, String, Option<CoverRef>), ScanError> {
    let path = &candidate.path;
    isolate(path, || {
        let read = read_track_with(path, probe_worker)?;
        let fingerprint = fingerprint(path, candidate.size)?;
        let mut meta = read.meta;
        path_guess::fill_from_path(&mut meta, path, &candidate.root);
        // The listener's own .lrc beside the file wins over lyrics in the tags.
        if let Some(lrc) = super::lyrics::from_lrc_file(path) {
            meta.lyrics = Some(lrc);
        }
        let cover = read
            .embedded_cover
            .and_then(|bytes| covers.thumbnail(&bytes))
            .or_else(|| path.parent().and_then(|dir| covers.folder_cover(dir)));
        Ok((meta, fingerprint, cover))
    })
}

/// A content fingerprint that survives renames and moves: size plus the first and last 64 KiB.
fn fingerprint(path: &Path, size: u64) -> std::result::Result<String, ScanError> {
    let io = |source| ScanError::Io {
        path: path.to_owned(),
        source,
    };
    let mut file = File::open(path).map_err(io)?;
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(&size.to_le_bytes());
    let mut buf = vec![0u8; FINGERPRINT_SPAN as usize];
    let n = read_up_to(&mut file, &mut buf).map_err(io)?;
    hasher.update(&buf[..n]);
    if size > 2 * FINGERPRINT_SPAN {
        file.seek(SeekFrom::End(-(FINGERPRINT_SPAN as i64)))
            .map_err(io)?;
        let n = read_up_to(&mut file, &mut buf).map_err(io)?;
        hasher.update(&buf[..n]);
    }
    Ok(format!("{:032x}", hasher.digest128()))
}

fn read_up_to(file: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match file.read(&mut buf[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

fn store(
    tx: &Connection,
    known: &HashMap<String, q::KnownFile>,
    known_failures: &HashMap<String, (u64, i64)>,
    seen: &HashSet<String>,
    outcome: ReadOutcome,
    report: &mut ScanReport,
) -> Result<()> {
    let candidate = outcome.candidate;
    let path = to_text(&candidate.path);
    let (meta, fingerprint, cover) = match outcome.result {
        Ok(read) => read,
        Err(error) => {
            let not_audio =
                matches!(error, ScanError::NotAudio { .. }) && !candidate.audio_extension;
            if !not_audio {
                log::warn!("{error}");
            }
            q::record_failure(
                tx,
                &path,
                candidate.size,
                candidate.mtime_ns,
                &error.reason(),
                not_audio,
            )?;
            return Ok(());
        }
    };
    let cover_id = match &cover {
        Some(c) => Some(q::cover_id(tx, &c.hash, c.width, c.height, &c.file)?),
        None => None,
    };
    let facts = FileFacts {
        path: &path,
        folder_id: candidate.folder_id,
        size: candidate.size,
        mtime_ns: candidate.mtime_ns,
        fingerprint: &fingerprint,
        cover_id,
    };
    if known_failures.contains_key(path.as_str()) {
        q::clear_failure(tx, &path)?;
    }
    // Known before the scan, or added meanwhile by another process scanning the same folder.
    let existing = match known.get(path.as_str()) {
        Some(known) => Some(known.id),
        None => crate::library::browse::track_id_by_path(tx, &path)?,
    };
    if let Some(id) = existing {
        q::update_track(tx, id, &facts, &meta)?;
        report.updated += 1;
        return Ok(());
    }
    // A track with the same content whose old path is gone: the file was moved or renamed.
    let moved_from = q::by_fingerprint(tx, &fingerprint)?
        .into_iter()
        .find(|(_, old_path)| !seen.contains(old_path));
    match moved_from {
        Some((id, old_path)) => {
            log::info!("moved: {old_path} -> {path}");
            q::update_track(tx, id, &facts, &meta)?;
            report.moved += 1;
        }
        None => {
            q::insert_track(tx, &facts, &meta)?;
            report.added += 1;
        }
    }
    Ok(())
}
