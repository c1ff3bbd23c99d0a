//! The listener's verdicts on tracks (like, hide): one table read by the co-listening scores (`cf`)
//! and by Discover Daily (`discover`), so it lives below both.

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

/// What the listener asks for a track.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Feedback {
    Like,
    Hide,
    /// Takes back whatever verdict the track had (a like or a hide).
    Clear,
}

impl Feedback {
    /// "like", "hide", or one of "unhide", "unlike", "clear" (all take the verdict back).
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "like" => Some(Feedback::Like),
            "hide" => Some(Feedback::Hide),
            "unhide" | "unlike" | "clear" => Some(Feedback::Clear),
            _ => None,
        }
    }
}

/// A stored verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Like,
    Hide,
}

/// Records a verdict on a track (`false` if there is no such track).
pub fn set(
    conn: &Connection,
    track_id: i64,
    feedback: Feedback,
    at: i64,
) -> rusqlite::Result<bool> {
    let exists: bool = conn
        .query_row("SELECT 1 FROM tracks WHERE id = ?1", [track_id], |_| Ok(()))
        .optional()?
        .is_some();
    if !exists {
        return Ok(false);
    }
    let kind = match feedback {
        Feedback::Clear => {
            conn.execute("DELETE FROM feedback WHERE track_id = ?1", [track_id])?;
            return Ok(true);
        }
        Feedback::Like => "like",
        Feedback::Hide => "hide",
    };
    conn.execute(
        "INSERT INTO feedback (track_id, kind, at) VALUES (?1, ?2, ?3)
         ON CONFLICT(track_id) DO UPDATE SET kind = excluded.kind, at = excluded.at",
        params![track_id, kind, at],
    )?;
    Ok(true)
}

/// Every verdict given at or before `until` (Unix seconds), as (track, verdict, when).
pub fn verdicts_until(conn: &Connection, until: i64) -> rusqlite::Result<Vec<(i64, Verdict, i64)>> {
    let mut stmt = conn.prepare("SELECT track_id, kind, at FROM feedback WHERE at <= ?1")?;
    let rows = stmt.query_map([until], |r| {
        let verdict = match r.get::<_, String>(1)?.as_str() {
            "like" => Verdict::Like,
            _ => Verdict::Hide,
        };
        Ok((r.get(0)?, verdict, r.get(2)?))
    })?;
    rows.collect()
}

/// Every verdict, whenever given.
pub fn verdicts(conn: &Connection) -> rusqlite::Result<Vec<(i64, Verdict, i64)>> {
    verdicts_until(conn, i64::MAX)
}

/// The liked tracks with when they were liked, newest first.
pub fn liked(conn: &Connection) -> rusqlite::Result<Vec<(i64, i64)>> {
    conn.prepare(
        "SELECT track_id, at FROM feedback WHERE kind = 'like' ORDER BY at DESC, track_id",
    )?
    .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
    .collect()
}

/// The verdict on each of `ids` that has one.
pub fn verdicts_of(
    conn: &Connection,
    ids: &[i64],
) -> rusqlite::Result<std::collections::HashMap<i64, Verdict>> {
    let mut stmt = conn.prepare_cached("SELECT kind FROM feedback WHERE track_id = ?1")?;
    let mut out = std::collections::HashMap::new();
    for &id in ids {
        if let Some(kind) = stmt.query_row([id], |r| r.get::<_, String>(0)).optional()? {
            out.insert(
                id,
                if kind == "like" {
                    Verdict::Like
                } else {
                    Verdict::Hide
                },
            );
        }
    }
    Ok(out)
}
