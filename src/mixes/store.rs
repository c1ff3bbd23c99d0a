//! A day's Daily Mixes and Rediscover, kept so they are the same every time that day.

use rusqlite::{params, Connection, Transaction};

use super::{Made, MixKind};
use crate::discover::catalog::Catalog;
use crate::discover::engine::ReasonKind;

/// Days of mixes kept (older ones are forgotten when a day's mixes are stored).
const KEEP_DAYS: i64 = 14;

/// A stored mix without its tracks.
#[derive(Debug, Clone, serde::Serialize)]
pub struct MixHeader {
    pub day: String,
    pub slot: i64,
    pub kind: MixKind,
    pub title: String,
    pub subtitle: String,
}

#[derive(Debug, Clone)]
pub struct StoredEntry {
    pub position: i64,
    pub track_id: i64,
    pub reason_kind: ReasonKind,
    pub reason: String,
    pub reason_track: Option<i64>,
}

/// Replaces the mixes of `day` with `made` and forgets days older than a fortnight before it.
pub fn save(tx: &Transaction, day: &str, catalog: &Catalog, made: &[Made]) -> rusqlite::Result<()> {
    tx.execute("DELETE FROM mixes WHERE day = ?1", [day])?;
    tx.execute(
        "DELETE FROM mixes WHERE day < date(?1, ?2)",
        params![day, format!("-{KEEP_DAYS} days")],
    )?;
    let now = crate::db::now_unix();
    let mut mix = tx.prepare(
        "INSERT INTO mixes (day, slot, kind, title, subtitle, made_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    let mut entry = tx.prepare(
        "INSERT INTO mix_tracks (day, slot, position, track_id, reason_kind, reason, reason_track)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for (slot, m) in made.iter().enumerate() {
        mix.execute(params![
            day,
            slot as i64,
            m.kind.as_str(),
            m.title,
            m.subtitle,
            now
        ])?;
        for (position, e) in m.entries.iter().enumerate() {
            entry.execute(params![
                day,
                slot as i64,
                position as i64,
                catalog.tracks[e.track].meta.id,
                e.reason.kind.as_str(),
                e.reason.text,
                e.reason.track.map(|t| catalog.tracks[t].meta.id),
            ])?;
        }
    }
    Ok(())
}

/// The mixes stored for `day` (none when the day has none yet).
pub fn headers(conn: &Connection, day: &str) -> rusqlite::Result<Vec<MixHeader>> {
    let mut stmt =
        conn.prepare("SELECT slot, kind, title, subtitle FROM mixes WHERE day = ?1 ORDER BY slot")?;
    let rows = stmt.query_map([day], |r| {
        Ok(MixHeader {
            day: day.to_owned(),
            slot: r.get(0)?,
            kind: MixKind::from_name(&r.get::<_, String>(1)?).unwrap_or(MixKind::Daily),
            title: r.get(2)?,
            subtitle: r.get(3)?,
        })
    })?;
    rows.collect()
}

/// Whether `day` has its mixes made (possibly none, when the listener had too little history).
pub fn made(conn: &Connection, day: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM mixes WHERE day = ?1)",
        [day],
        |r| r.get(0),
    )
}

pub fn entries(conn: &Connection, day: &str, slot: i64) -> rusqlite::Result<Vec<StoredEntry>> {
    let mut stmt = conn.prepare(
        "SELECT position, track_id, reason_kind, reason, reason_track FROM mix_tracks
         WHERE day = ?1 AND slot = ?2 ORDER BY position",
    )?;
    let rows = stmt.query_map(params![day, slot], |r| {
        Ok(StoredEntry {
            position: r.get(0)?,
            track_id: r.get(1)?,
            reason_kind: ReasonKind::from_name(&r.get::<_, String>(2)?)
                .unwrap_or(ReasonKind::Wildcard),
            reason: r.get(3)?,
            reason_track: r.get(4)?,
        })
    })?;
    rows.collect()
}
