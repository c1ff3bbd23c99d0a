//! Matching imported songs to library tracks: MusicBrainz recording id when both sides have one,
//! else the normalised artist + title key (`text::match_key`: case, diacritics, punctuation,
//! "feat.", release-variant suffixes, any script). Album artist counts as a second artist name.

use std::collections::{HashMap, HashSet};

use rusqlite::{params, Connection};

use super::items::{item_key, ItemKind};
use crate::text::match_key::artist_key;

/// Library tracks by every key an import can name them by.
#[derive(Debug, Default)]
pub struct LibraryIndex {
    by_mbid: HashMap<String, i64>,
    by_key: HashMap<String, i64>,
    by_path: HashMap<String, i64>,
    artists: HashSet<String>,
}

impl LibraryIndex {
    pub fn load(conn: &Connection) -> rusqlite::Result<Self> {
        let mut index = LibraryIndex::default();
        let mut stmt = conn.prepare(
            "SELECT id, path, artist, album_artist, title, mb_recording_id, mb_track_id
             FROM tracks WHERE missing = 0 ORDER BY id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let path: String = r.get(1)?;
            let artist: String = r.get(2)?;
            let album_artist: Option<String> = r.get(3)?;
            let title: String = r.get(4)?;
            for mbid in [r.get::<_, Option<String>>(5)?, r.get(6)?]
                .into_iter()
                .flatten()
            {
                index
                    .by_mbid
                    .entry(mbid.trim().to_lowercase())
                    .or_insert(id);
            }
            index.by_path.insert(path, id);
            for name in std::iter::once(&artist).chain(album_artist.as_ref()) {
                index
                    .by_key
                    .entry(item_key(ItemKind::Track, name, Some(&title)))
                    .or_insert(id);
                index.artists.insert(artist_key(name));
            }
        }
        Ok(index)
    }

    /// The library track an imported song is, if any.
    pub fn track_for(&self, key: &str, mbid: Option<&str>) -> Option<i64> {
        mbid.and_then(|m| self.by_mbid.get(&m.trim().to_lowercase()))
            .or_else(|| self.by_key.get(key))
            .copied()
    }

    pub fn track_at_path(&self, path: &str) -> Option<i64> {
        self.by_path.get(path).copied()
    }

    /// True if the library holds a track by this artist (for artist-level shared data).
    pub fn has_artist(&self, artist: &str) -> bool {
        self.artists.contains(&artist_key(artist))
    }

    pub fn is_empty(&self) -> bool {
        self.by_path.is_empty()
    }
}

/// After a scan: matches imported songs to tracks that arrived (or changed tags), in one
/// transaction. Returns how many items changed their match.
pub fn rematch_library(conn: &mut Connection) -> rusqlite::Result<usize> {
    let tx = conn.transaction()?;
    let index = LibraryIndex::load(&tx)?;
    let changed = rematch(&tx, &index)?;
    tx.commit()?;
    Ok(changed)
}

/// `rematch_library` after a scan, skipped (it indexes the whole library) when the scan changed no
/// track (`tracks_changed`) or nothing has been imported.
pub fn rematch_after_scan(conn: &mut Connection, tracks_changed: bool) -> rusqlite::Result<usize> {
    let imported: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM ext_items WHERE kind = 'track')",
        [],
        |r| r.get(0),
    )?;
    if !tracks_changed || !imported {
        return Ok(0);
    }
    rematch_library(conn)
}

/// Re-matches every imported song against the library and adds the imported plays of newly matched
/// songs to the listening history. Safe to run at any time (after an import, after a scan).
pub fn rematch(conn: &Connection, index: &LibraryIndex) -> rusqlite::Result<usize> {
    let items: Vec<(i64, String, Option<String>, Option<i64>)> = conn
        .prepare("SELECT id, key, mbid, track_id FROM ext_items WHERE kind = 'track'")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut update = conn.prepare("UPDATE ext_items SET track_id = ?2 WHERE id = ?1")?;
    let mut changed = 0;
    for (id, key, mbid, current) in items {
        let found = index.track_for(&key, mbid.as_deref());
        if found != current {
            update.execute(params![id, found])?;
            changed += 1;
        }
    }
    // An imported play is 'skipped' when the source says so or it stopped before min(30 s, half the
    // track) — the player's own definition; 'completed' when it reached 90 % of the track or the
    // source does not say how long it played (a scrobble means the track was listened to).
    conn.execute(
        "INSERT OR IGNORE INTO plays (track_id, started_at, ended_at, position_ms, heard_ms,
                                      duration_ms, end_reason, context, source)
         SELECT e.track_id, h.played_at, h.played_at + coalesce(h.ms_played, t.duration_ms, 0) / 1000,
                coalesce(h.ms_played, t.duration_ms, 0), coalesce(h.ms_played, t.duration_ms, 0),
                t.duration_ms,
                CASE
                  WHEN h.skipped = 1 THEN 'skipped'
                  WHEN h.ms_played IS NULL THEN 'completed'
                  WHEN t.duration_ms IS NOT NULL AND h.ms_played >= t.duration_ms * 9 / 10 THEN 'completed'
                  WHEN h.ms_played < min(30000, coalesce(t.duration_ms, 60000) / 2) THEN 'skipped'
                  ELSE 'stopped'
                END,
                'import', h.source
         FROM history_events h
         JOIN ext_items e ON e.id = h.item_id
         JOIN tracks t ON t.id = e.track_id",
        [],
    )?;
    Ok(changed)
}
