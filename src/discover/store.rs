//! Stored lists and feedback: one list per local day with every shown track's scores and reason, the
//! logged candidates, and the listener's likes and hides.

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::Serialize;

use super::blend::{Blend, Features, N};
use super::catalog::Catalog;
use super::engine::{Generated, ReasonKind};

/// What a stored list says about itself.
#[derive(Debug, Clone, Serialize)]
pub struct ListHeader {
    pub day: String,
    pub generated_at: i64,
    pub as_of: i64,
    pub mode: String,
    pub blend: Blend,
    pub candidates: i64,
}

/// One stored entry of a list.
#[derive(Debug, Clone, Serialize)]
pub struct StoredEntry {
    pub position: i64,
    pub track_id: i64,
    pub score: f32,
    pub features: Features,
    pub reason_kind: ReasonKind,
    pub reason: String,
    pub reason_track: Option<i64>,
    /// The listener's current verdict on the track: "like", "hide", or none.
    pub feedback: Option<String>,
}

/// Replaces the list of `day` with `generated` (one transaction: a failure keeps the old list).
pub fn save(
    tx: &Transaction,
    day: &str,
    as_of: i64,
    blend: &Blend,
    catalog: &Catalog,
    generated: &Generated,
) -> rusqlite::Result<()> {
    tx.execute("DELETE FROM discover_lists WHERE day = ?1", [day])?;
    tx.execute(
        "INSERT INTO discover_lists (day, generated_at, as_of, mode, blend, candidates)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            day,
            crate::db::now_unix(),
            as_of,
            if generated.cold_start {
                "cold start"
            } else {
                "learned"
            },
            serde_json::to_string(blend).expect("a blend serialises"),
            generated.candidates as i64,
        ],
    )?;
    let mut insert = tx.prepare(
        "INSERT OR IGNORE INTO discover_items (day, track_id, position, score, cf, session, artist,
             audio, text, popular, novelty, reason_kind, reason, reason_track)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )?;
    let id = |i: usize| catalog.tracks[i].meta.id;
    for (position, e) in generated.entries.iter().enumerate() {
        let x = e.features;
        insert.execute(params![
            day,
            id(e.track),
            position as i64,
            e.score,
            x[0],
            x[1],
            x[2],
            x[3],
            x[4],
            x[5],
            x[6],
            e.reason.kind.as_str(),
            e.reason.text,
            e.reason.track.map(id),
        ])?;
    }
    for &(i, score, x) in &generated.logged {
        insert.execute(params![
            day,
            id(i),
            Option::<i64>::None,
            score,
            x[0],
            x[1],
            x[2],
            x[3],
            x[4],
            x[5],
            x[6],
            Option::<String>::None,
            Option::<String>::None,
            Option::<i64>::None,
        ])?;
    }
    Ok(())
}

pub fn header(conn: &Connection, day: &str) -> rusqlite::Result<Option<ListHeader>> {
    conn.query_row(
        "SELECT day, generated_at, as_of, mode, blend, candidates FROM discover_lists WHERE day = ?1",
        [day],
        |r| {
            let blend: String = r.get(4)?;
            Ok(ListHeader {
                day: r.get(0)?,
                generated_at: r.get(1)?,
                as_of: r.get(2)?,
                mode: r.get(3)?,
                blend: serde_json::from_str(&blend).unwrap_or_else(|_| Blend::prior()),
                candidates: r.get(5)?,
            })
        },
    )
    .optional()
}

fn features_at(r: &rusqlite::Row, first: usize) -> rusqlite::Result<Features> {
    let mut x = [0.0; N];
    for (f, slot) in x.iter_mut().enumerate() {
        *slot = r.get::<_, f64>(first + f)? as f32;
    }
    Ok(x)
}

/// The shown entries of a day's list, in order (tracks deleted since are gone with them).
pub fn entries(conn: &Connection, day: &str) -> rusqlite::Result<Vec<StoredEntry>> {
    let mut stmt = conn.prepare(
        "SELECT i.position, i.track_id, i.score, i.cf, i.session, i.artist, i.audio, i.text,
                i.popular, i.novelty, i.reason_kind, i.reason, i.reason_track, f.kind
         FROM discover_items i LEFT JOIN feedback f ON f.track_id = i.track_id
         WHERE i.day = ?1 AND i.position IS NOT NULL ORDER BY i.position",
    )?;
    let rows = stmt.query_map([day], |r| {
        Ok(StoredEntry {
            position: r.get(0)?,
            track_id: r.get(1)?,
            score: r.get::<_, f64>(2)? as f32,
            features: features_at(r, 3)?,
            reason_kind: ReasonKind::from_name(&r.get::<_, String>(10)?)
                .unwrap_or(ReasonKind::Wildcard),
            reason: r.get(11)?,
            reason_track: r.get(12)?,
            feedback: r.get(13)?,
        })
    })?;
    rows.collect()
}

/// A past list in the history of days.
#[derive(Debug, Clone, Serialize)]
pub struct DaySummary {
    pub day: String,
    pub generated_at: i64,
    pub tracks: i64,
}

/// Every stored day, newest first.
pub fn days(conn: &Connection) -> rusqlite::Result<Vec<DaySummary>> {
    let mut stmt = conn.prepare(
        "SELECT l.day, l.generated_at,
                (SELECT count(*) FROM discover_items i WHERE i.day = l.day AND i.position IS NOT NULL)
         FROM discover_lists l ORDER BY l.day DESC",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(DaySummary {
            day: r.get(0)?,
            generated_at: r.get(1)?,
            tracks: r.get(2)?,
        })
    })?;
    rows.collect()
}

/// A logged item of an earlier day: (day's as_of, track id, shown, features).
pub struct LoggedItem {
    pub as_of: i64,
    pub track_id: i64,
    pub shown: bool,
    pub features: Features,
}

/// Forgets the logged candidates (not the shown tracks) of lists whose history cut-off is before
/// `before`: the blend no longer learns from them, and each day logs about a thousand.
pub fn forget_logged(tx: &Transaction, before: i64) -> rusqlite::Result<usize> {
    tx.execute(
        "DELETE FROM discover_items WHERE position IS NULL
           AND day IN (SELECT day FROM discover_lists WHERE as_of < ?1)",
        [before],
    )
}

/// Items of lists generated for days before `day` whose history cut-off is at least `since`.
pub fn logged_before(
    conn: &Connection,
    day: &str,
    since: i64,
) -> rusqlite::Result<Vec<LoggedItem>> {
    let mut stmt = conn.prepare(
        "SELECT l.as_of, i.track_id, i.position IS NOT NULL, i.cf, i.session, i.artist, i.audio,
                i.text, i.popular, i.novelty
         FROM discover_items i JOIN discover_lists l ON l.day = i.day
         WHERE l.day < ?1 AND l.as_of >= ?2 AND l.mode = 'learned'",
    )?;
    let rows = stmt.query_map(params![day, since], |r| {
        Ok(LoggedItem {
            as_of: r.get(0)?,
            track_id: r.get(1)?,
            shown: r.get(2)?,
            features: features_at(r, 3)?,
        })
    })?;
    rows.collect()
}
