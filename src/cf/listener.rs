//! The listener's taste signals for collaborative filtering: local plays (weighted by how they
//! ended), likes (hidden tracks left out), imported plays and playlists, as weights over imported
//! items and over library tracks.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension};

use super::items::{item_key, ItemKind};
use crate::feedback::Verdict;

/// How much each kind of play says about taste (completed plays count fully; skips not at all).
fn play_weight(end: Option<&str>) -> f32 {
    match end {
        Some("completed") => 1.0,
        Some("stopped") => 0.5,
        Some("skipped") | Some("error") => 0.0,
        _ => 0.3,
    }
}

/// The listener's taste signals as imported-item weights, and per library track.
#[derive(Debug, Default, Clone)]
pub struct Listener {
    /// ext_items id → weight (songs and artists the listener played or listed).
    pub items: HashMap<i64, f32>,
    /// Library tracks the listener played, with weights.
    pub tracks: HashMap<i64, f32>,
}

impl Listener {
    /// Plays (by outcome), likes (hidden tracks left out), imported plays and playlists.
    pub fn load(conn: &Connection) -> rusqlite::Result<Self> {
        Self::load_until(conn, i64::MAX)
    }

    /// The listener as they were before `until` (Unix seconds): a past day's list made again sees
    /// only what was known that day. Playlists carry no date and always count.
    pub fn load_until(conn: &Connection, until: i64) -> rusqlite::Result<Self> {
        let mut me = Listener::default();
        let mut per_track: HashMap<i64, f32> = HashMap::new();
        let mut stmt =
            conn.prepare("SELECT track_id, end_reason FROM plays WHERE started_at < ?1")?;
        let mut rows = stmt.query([until])?;
        while let Some(r) = rows.next()? {
            let end: Option<String> = r.get(1)?;
            *per_track.entry(r.get(0)?).or_default() += play_weight(end.as_deref());
        }
        // A like counts as three completed plays; a hidden track says nothing good.
        for (track, verdict, _) in crate::feedback::verdicts_until(conn, until)? {
            match verdict {
                Verdict::Like => *per_track.entry(track).or_default() += 3.0,
                Verdict::Hide => {
                    per_track.remove(&track);
                }
            }
        }
        per_track.retain(|_, w| *w > 0.0);
        me.add_tracks(conn, per_track)?;
        // Imported plays of songs not in the library still tell taste (they are bridges in the
        // shared data); matched ones are already counted through `plays`.
        let mut stmt = conn.prepare(
            "SELECT h.item_id, count(*) FROM history_events h JOIN ext_items e ON e.id = h.item_id
             WHERE e.track_id IS NULL AND coalesce(h.skipped, 0) = 0 AND h.played_at < ?1
             GROUP BY h.item_id",
        )?;
        let mut rows = stmt.query([until])?;
        while let Some(r) = rows.next()? {
            *me.items.entry(r.get(0)?).or_default() += r.get::<_, i64>(1)? as f32;
        }
        let mut stmt = conn.prepare("SELECT item_id FROM playlist_entries")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            *me.items.entry(r.get(0)?).or_default() += 1.0;
        }
        Ok(me)
    }

    /// A listener who played only these library tracks (a radio's seeds, to score what goes with
    /// them).
    pub fn of_tracks(conn: &Connection, tracks: &[(i64, f32)]) -> rusqlite::Result<Self> {
        let mut me = Listener::default();
        me.add_tracks(conn, tracks.iter().copied().collect())?;
        Ok(me)
    }

    /// Adds library tracks with weights, and their song and artist items.
    fn add_tracks(
        &mut self,
        conn: &Connection,
        per_track: HashMap<i64, f32>,
    ) -> rusqlite::Result<()> {
        let mut key_of = conn.prepare("SELECT artist, title FROM tracks WHERE id = ?1")?;
        let mut item_by_key = conn.prepare("SELECT id FROM ext_items WHERE key = ?1")?;
        // In track order: an artist's item sums the weights of its tracks, and the same sum in
        // another order can differ in the last bit (and so tip a tie in the list).
        let mut ordered: Vec<(i64, f32)> = per_track.iter().map(|(&t, &w)| (t, w)).collect();
        ordered.sort_unstable_by_key(|e| e.0);
        for (track, w) in ordered {
            let Some((artist, title)) = key_of
                .query_row([track], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
                })
                .optional()?
            else {
                continue;
            };
            for key in [
                item_key(ItemKind::Track, &artist, Some(&title)),
                item_key(ItemKind::Artist, &artist, None),
            ] {
                if let Some(id) = item_by_key
                    .query_row([&key], |r| r.get::<_, i64>(0))
                    .optional()?
                {
                    *self.items.entry(id).or_default() += w;
                }
            }
        }
        self.tracks.extend(per_track);
        Ok(())
    }
}
