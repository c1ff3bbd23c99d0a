//! Reading an export back, in one transaction (all or nothing, like every import) and idempotent:
//! a play already stored (same track, start and source), a verdict, an exclusion or a playlist
//! with the same name and entries is not added twice.

use std::io::BufRead;
use std::path::Path;

use rusqlite::{Connection, TransactionBehavior};
use serde::Serialize;

use super::*;
use crate::cf::items::{item_key, ItemKind};
use crate::cf::matching::LibraryIndex;
use crate::feedback::{self, Feedback};
use crate::playback::history::{self, StoredPlay};
use crate::playlists::{self, StoredEntry};

/// A line of `listens.jsonl` that was not read, and why.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SkippedLine {
    pub line: usize,
    pub reason: String,
}

/// What a restore put back.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct RestoreReport {
    pub plays_added: usize,
    pub plays_already_there: usize,
    /// Plays of songs this library does not hold (not stored).
    pub plays_unmatched: usize,
    pub verdicts: usize,
    pub verdicts_unmatched: usize,
    pub exclusions: usize,
    pub playlists_added: usize,
    pub playlists_already_there: usize,
    pub settings: usize,
    /// Settings this build refused (`key: reason`).
    pub settings_refused: Vec<String>,
    pub skipped_lines: Vec<SkippedLine>,
}

/// The library track an exported track is: at the same path, else by artist and title.
fn find(index: &LibraryIndex, path: Option<&str>, artist: &str, title: &str) -> Option<i64> {
    path.and_then(|p| index.track_at_path(p))
        .or_else(|| index.track_for(&item_key(ItemKind::Track, artist, Some(title)), None))
}

fn read_learned(path: &Path) -> Result<Learned, PortableError> {
    let text = std::fs::read(path).map_err(|source| PortableError::Io {
        path: path.to_owned(),
        source,
    })?;
    let learned: Learned = serde_json::from_slice(&text).map_err(|e| PortableError::Format {
        path: path.to_owned(),
        reason: e.to_string(),
    })?;
    if learned.format != FORMAT || learned.version > VERSION {
        return Err(PortableError::Format {
            path: path.to_owned(),
            reason: format!(
                "not a {FORMAT} export of version {VERSION} or older (format {:?}, version {})",
                learned.format, learned.version
            ),
        });
    }
    Ok(learned)
}

/// Puts back what `folder` (written by [`export`](super::export)) holds, matching tracks to this
/// library.
pub fn restore(conn: &mut Connection, folder: &Path) -> Result<RestoreReport, PortableError> {
    let learned = read_learned(&folder.join(LEARNED_FILE))?;
    let listens_path = folder.join(LISTENS_FILE);
    let listens = std::fs::File::open(&listens_path).map_err(|source| PortableError::Io {
        path: listens_path.clone(),
        source,
    })?;
    let mut report = RestoreReport::default();
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let index = LibraryIndex::load(&tx)?;

    for (n, line) in std::io::BufReader::new(listens).lines().enumerate() {
        let line = line.map_err(|source| PortableError::Io {
            path: listens_path.clone(),
            source,
        })?;
        if line.trim().is_empty() {
            continue;
        }
        let listen: Listen = match serde_json::from_str(&line) {
            Ok(listen) => listen,
            Err(e) => {
                report.skipped_lines.push(SkippedLine {
                    line: n + 1,
                    reason: e.to_string(),
                });
                continue;
            }
        };
        let meta = &listen.track_metadata;
        let facts = &meta.additional_info.sonare;
        let Some(track_id) = find(
            &index,
            Some(&facts.path),
            &meta.artist_name,
            &meta.track_name,
        ) else {
            report.plays_unmatched += 1;
            continue;
        };
        let play = StoredPlay {
            track_id,
            started_at: listen.listened_at,
            ended_at: facts.ended_at,
            position_ms: facts.position_ms.max(0),
            heard_ms: facts.heard_ms.max(0),
            duration_ms: meta.additional_info.duration_ms,
            end_reason: facts.end_reason.clone(),
            context: facts.context.clone(),
            source: facts.source.clone(),
            error: facts.error.clone(),
        };
        if history::restore_play(&tx, &play)? {
            report.plays_added += 1;
        } else {
            report.plays_already_there += 1;
        }
    }

    for v in &learned.verdicts {
        let track = &v.track;
        let kind = match v.kind.as_str() {
            "like" => Feedback::Like,
            "hide" => Feedback::Hide,
            _ => continue,
        };
        match find(&index, Some(&track.path), &track.artist, &track.title) {
            Some(id) => {
                feedback::set(&tx, id, kind, v.at)?;
                report.verdicts += 1;
            }
            None => report.verdicts_unmatched += 1,
        }
    }

    for e in &learned.exclusions {
        if crate::exclusions::add(&tx, e.kind, &e.label)?.is_some() {
            report.exclusions += 1;
        }
    }

    let mut current = serde_json::to_value(crate::settings::load(&tx)?).unwrap_or_default();
    for (key, value) in &learned.settings {
        if current.get(key) == Some(value) {
            continue;
        }
        match crate::settings::set(&tx, key, value.clone()) {
            Ok(now) => {
                current = serde_json::to_value(now).unwrap_or_default();
                report.settings += 1;
            }
            Err(crate::settings::SettingsError::Sql(e)) => return Err(e.into()),
            Err(e) => report.settings_refused.push(e.to_string()),
        }
    }

    for saved in &learned.playlists {
        let entries: Vec<StoredEntry> = saved
            .entries
            .iter()
            .map(|e| {
                let track_id = find(&index, e.path.as_deref(), &e.artist, &e.title);
                StoredEntry {
                    track_id,
                    item_id: None,
                    // As a playlist made here stores a track; a song not here keeps its path,
                    // which matches once a file arrives there.
                    location: e.path.clone().filter(|_| track_id.is_none()),
                    artist: e.artist.clone(),
                    title: e.title.clone(),
                }
            })
            .collect();
        match playlists::create_or_find(&tx, &saved.name, &entries)? {
            (_, true) => report.playlists_added += 1,
            (_, false) => report.playlists_already_there += 1,
        }
    }
    tx.commit()?;
    Ok(report)
}
