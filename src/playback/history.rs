//! The listening history the recommender learns from (`plays` table), and how a play's end is named.
//!
//! Definitions (the recommender relies on them):
//! * `completed`: the track played to its end.
//! * `skipped`: the listener ended it (next, previous, another track, stop) before reaching
//!   `min(30 s, 50 % of the track)`.
//! * `stopped`: the listener ended it after that point, but before the end.
//! * `error`: the file could not be decoded; `error` holds the reason.
//! * no end (NULL): still playing, or the app died during the play.
//!
//! `heard_ms` counts audio actually sent to the output: pauses and seeked-over parts are excluded.

use std::time::Duration;

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

/// A listener must reach this far into a track for ending it to count as `stopped`, not `skipped`.
pub const SKIP_BEFORE: Duration = Duration::from_secs(30);
/// ... or this fraction of a track shorter than a minute.
pub const SKIP_FRACTION: f64 = 0.5;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndReason {
    Completed,
    Skipped,
    Stopped,
    Error,
}

impl EndReason {
    pub fn as_str(self) -> &'static str {
        match self {
            EndReason::Completed => "completed",
            EndReason::Skipped => "skipped",
            EndReason::Stopped => "stopped",
            EndReason::Error => "error",
        }
    }

    /// How a play the listener ended at `position` of a `duration`-long track is named.
    pub fn ended_by_listener(position: Duration, duration: Option<Duration>) -> Self {
        let threshold = match duration {
            Some(d) => SKIP_BEFORE.min(d.mul_f64(SKIP_FRACTION)),
            None => SKIP_BEFORE,
        };
        if position < threshold {
            EndReason::Skipped
        } else {
            EndReason::Stopped
        }
    }
}

/// Where a play was started from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlayContext {
    #[default]
    Library,
    Album,
    Search,
    Queue,
    Discover,
    /// "More like this sound".
    Similar,
    Playlist,
    Artist,
    Liked,
    History,
    /// A radio from seed songs, albums, artists or playlists.
    Radio,
    /// A Daily Mix, Rediscover or a path from one song to another.
    Mix,
    Cli,
}

impl PlayContext {
    pub fn as_str(self) -> &'static str {
        match self {
            PlayContext::Library => "library",
            PlayContext::Album => "album",
            PlayContext::Search => "search",
            PlayContext::Queue => "queue",
            PlayContext::Discover => "discover",
            PlayContext::Similar => "similar",
            PlayContext::Playlist => "playlist",
            PlayContext::Artist => "artist",
            PlayContext::Liked => "liked",
            PlayContext::History => "history",
            PlayContext::Radio => "radio",
            PlayContext::Mix => "mix",
            PlayContext::Cli => "cli",
        }
    }
}

pub fn start_play(
    conn: &Connection,
    track_id: i64,
    duration: Option<Duration>,
    context: PlayContext,
) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO plays (track_id, started_at, duration_ms, context) VALUES (?1, ?2, ?3, ?4)",
        params![
            track_id,
            crate::db::now_unix(),
            duration.map(|d| d.as_millis() as i64),
            context.as_str()
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn end_play(
    conn: &Connection,
    play: i64,
    reason: EndReason,
    position: Duration,
    heard: Duration,
    error: Option<&str>,
) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE plays SET ended_at = ?2, end_reason = ?3, position_ms = ?4, heard_ms = ?5, error = ?6
         WHERE id = ?1 AND end_reason IS NULL",
        params![
            play,
            crate::db::now_unix(),
            reason.as_str(),
            position.as_millis() as i64,
            heard.as_millis() as i64,
            error
        ],
    )?;
    Ok(())
}

/// One play, as `sonare history --json` prints it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PlayRow {
    pub id: i64,
    pub track_id: i64,
    pub path: String,
    pub title: String,
    pub artist: String,
    pub started_at: i64,
    pub heard_ms: i64,
    pub position_ms: i64,
    pub end: Option<String>,
    pub context: String,
    pub source: String,
    pub error: Option<String>,
}

/// The latest `limit` plays, newest first.
pub fn recent_plays(conn: &Connection, limit: u32) -> rusqlite::Result<Vec<PlayRow>> {
    let mut stmt = conn.prepare(
        "SELECT p.id, p.track_id, t.path, t.title, t.artist, p.started_at, p.heard_ms, p.position_ms,
                p.end_reason, p.context, p.source, p.error
         FROM plays p JOIN tracks t ON t.id = p.track_id
         ORDER BY p.started_at DESC, p.id DESC LIMIT ?1",
    )?;
    let rows = stmt.query_map([limit], |r| {
        Ok(PlayRow {
            id: r.get(0)?,
            track_id: r.get(1)?,
            path: r.get(2)?,
            title: r.get(3)?,
            artist: r.get(4)?,
            started_at: r.get(5)?,
            heard_ms: r.get(6)?,
            position_ms: r.get(7)?,
            end: r.get(8)?,
            context: r.get(9)?,
            source: r.get(10)?,
            error: r.get(11)?,
        })
    })?;
    rows.collect()
}

/// One stored play with everything the history keeps of it (for a full export and its restore).
#[derive(Debug, Clone, PartialEq)]
pub struct StoredPlay {
    pub track_id: i64,
    pub started_at: i64,
    pub ended_at: Option<i64>,
    pub position_ms: i64,
    pub heard_ms: i64,
    pub duration_ms: Option<i64>,
    pub end_reason: Option<String>,
    pub context: String,
    pub source: String,
    pub error: Option<String>,
}

/// Every play, oldest first.
pub fn all_plays(conn: &Connection) -> rusqlite::Result<Vec<StoredPlay>> {
    let mut stmt = conn.prepare(
        "SELECT track_id, started_at, ended_at, position_ms, heard_ms, duration_ms, end_reason,
                context, source, error
         FROM plays ORDER BY started_at, id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(StoredPlay {
            track_id: r.get(0)?,
            started_at: r.get(1)?,
            ended_at: r.get(2)?,
            position_ms: r.get(3)?,
            heard_ms: r.get(4)?,
            duration_ms: r.get(5)?,
            end_reason: r.get(6)?,
            context: r.get(7)?,
            source: r.get(8)?,
            error: r.get(9)?,
        })
    })?;
    rows.collect()
}

/// Puts back a play read from an export, unless the same play (track, start, source) is stored:
/// `true` when it was added.
pub fn restore_play(conn: &Connection, play: &StoredPlay) -> rusqlite::Result<bool> {
    let exists = conn
        .prepare_cached(
            "SELECT 1 FROM plays WHERE track_id = ?1 AND started_at = ?2 AND source = ?3",
        )?
        .exists(params![play.track_id, play.started_at, play.source])?;
    if exists {
        return Ok(false);
    }
    conn.prepare_cached(
        "INSERT INTO plays (track_id, started_at, ended_at, position_ms, heard_ms, duration_ms,
                            end_reason, context, source, error)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        play.track_id,
        play.started_at,
        play.ended_at,
        play.position_ms,
        play.heard_ms,
        play.duration_ms,
        play.end_reason,
        play.context,
        play.source,
        play.error
    ])?;
    Ok(true)
}

/// The saved queue (JSON), position and volume.
pub fn load_player_state(conn: &Connection) -> rusqlite::Result<Option<(String, i64, f64)>> {
    conn.query_row(
        "SELECT queue, position_ms, volume FROM player_state WHERE id = 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
    .optional()
}

pub fn save_player_state(
    conn: &Connection,
    queue_json: &str,
    position: Duration,
    volume: f32,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO player_state (id, queue, position_ms, volume, updated_at) VALUES (1, ?1, ?2, ?3, ?4)
         ON CONFLICT(id) DO UPDATE SET queue = excluded.queue, position_ms = excluded.position_ms,
            volume = excluded.volume, updated_at = excluded.updated_at",
        params![
            queue_json,
            position.as_millis() as i64,
            volume as f64,
            crate::db::now_unix()
        ],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skip_threshold_is_30_seconds_or_half_a_short_track() {
        let s = Duration::from_secs;
        assert_eq!(
            EndReason::ended_by_listener(s(29), Some(s(300))),
            EndReason::Skipped
        );
        assert_eq!(
            EndReason::ended_by_listener(s(31), Some(s(300))),
            EndReason::Stopped
        );
        assert_eq!(
            EndReason::ended_by_listener(s(9), Some(s(20))),
            EndReason::Skipped
        );
        assert_eq!(
            EndReason::ended_by_listener(s(11), Some(s(20))),
            EndReason::Stopped
        );
        assert_eq!(
            EndReason::ended_by_listener(s(40), None),
            EndReason::Stopped
        );
    }
}
