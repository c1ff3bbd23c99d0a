//! The library's writes and the scan's reads: `folders`, `tracks` (file facts and tags), `covers` and
//! `scan_failures`.

use std::collections::HashMap;

use rusqlite::{named_params, params, Connection, OptionalExtension};
use serde::Serialize;

use super::meta::TrackMeta;
use super::sort_name;
use crate::db::now_unix;

pub fn add_folder(conn: &Connection, path: &str) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO folders (path, added_at) VALUES (?1, ?2) ON CONFLICT(path) DO NOTHING",
        params![path, now_unix()],
    )?;
    conn.query_row("SELECT id FROM folders WHERE path = ?1", [path], |r| {
        r.get(0)
    })
}

/// Takes a folder out of the library: its tracks are marked missing (their history, likes and
/// playlist entries stay, and come back if the folder is added again). `false`: no such folder.
pub fn remove_folder(conn: &Connection, path: &str) -> rusqlite::Result<bool> {
    let tx = conn.unchecked_transaction()?;
    tx.execute(
        "UPDATE tracks SET missing = 1 WHERE folder_id = (SELECT id FROM folders WHERE path = ?1)",
        [path],
    )?;
    let removed = tx.execute("DELETE FROM folders WHERE path = ?1", [path])? > 0;
    tx.commit()?;
    Ok(removed)
}

#[derive(Debug, Clone, Serialize)]
pub struct Folder {
    pub id: i64,
    pub path: String,
}

pub fn folders(conn: &Connection) -> rusqlite::Result<Vec<Folder>> {
    let mut stmt = conn.prepare("SELECT id, path FROM folders ORDER BY path")?;
    let rows = stmt.query_map([], |r| {
        Ok(Folder {
            id: r.get(0)?,
            path: r.get(1)?,
        })
    })?;
    rows.collect()
}

/// What a rescan needs to know about a stored track to decide whether to re-read it.
#[derive(Debug, Clone)]
pub struct KnownFile {
    pub id: i64,
    pub size: u64,
    pub mtime_ns: i64,
    pub missing: bool,
}

pub fn known_files(conn: &Connection) -> rusqlite::Result<HashMap<String, KnownFile>> {
    let mut stmt = conn.prepare("SELECT path, id, size, mtime_ns, missing FROM tracks")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            KnownFile {
                id: r.get(1)?,
                size: r.get::<_, i64>(2)? as u64,
                mtime_ns: r.get(3)?,
                missing: r.get(4)?,
            },
        ))
    })?;
    rows.collect()
}

/// (size, mtime) of every file recorded as unreadable or not audio, by path.
pub fn known_failures(conn: &Connection) -> rusqlite::Result<HashMap<String, (u64, i64)>> {
    let mut stmt = conn.prepare("SELECT path, size, mtime_ns FROM scan_failures")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            (r.get::<_, i64>(1)? as u64, r.get(2)?),
        ))
    })?;
    rows.collect()
}

/// The file facts stored with a track besides its tags.
pub struct FileFacts<'a> {
    pub path: &'a str,
    pub folder_id: i64,
    pub size: u64,
    pub mtime_ns: i64,
    pub fingerprint: &'a str,
    pub cover_id: Option<i64>,
}

pub fn insert_track(
    conn: &Connection,
    file: &FileFacts,
    meta: &TrackMeta,
) -> rusqlite::Result<i64> {
    let now = now_unix();
    conn.prepare_cached(&format!(
        "INSERT INTO tracks (path, folder_id, size, mtime_ns, fingerprint, missing, title, artist, album,
            album_artist, track_no, track_total, disc_no, disc_total, year, genre, composer, comment,
            duration_ms, codec, sample_rate, channels, bitrate_kbps, mb_recording_id, mb_track_id,
            mb_album_id, mb_artist_id, rg_track_gain, rg_track_peak, rg_album_gain, rg_album_peak,
            cover_id, search_text, added_at, updated_at, artist_sort, album_sort, title_sort)
         VALUES (:path, :folder_id, :size, :mtime_ns, :fingerprint, 0, :title, :artist, :album,
            :album_artist, :track_no, :track_total, :disc_no, :disc_total, :year, :genre, :composer,
            :comment, :duration_ms, :codec, :sample_rate, :channels, :bitrate_kbps, :mb_recording_id,
            :mb_track_id, :mb_album_id, :mb_artist_id, :rg_track_gain, :rg_track_peak, :rg_album_gain,
            :rg_album_peak, :cover_id, :search_text, :now, :now, {}, {}, {})",
        sort_name::sql(":artist"),
        sort_name::sql(":album"),
        sort_name::sql(":title"),
    ))?
    .execute(named_params! {
            ":path": file.path, ":folder_id": file.folder_id, ":size": file.size as i64,
            ":mtime_ns": file.mtime_ns, ":fingerprint": file.fingerprint, ":title": meta.title,
            ":artist": meta.artist, ":album": meta.album, ":album_artist": meta.album_artist,
            ":track_no": meta.track_no, ":track_total": meta.track_total, ":disc_no": meta.disc_no,
            ":disc_total": meta.disc_total, ":year": meta.year, ":genre": meta.genre,
            ":composer": meta.composer, ":comment": meta.comment,
            ":duration_ms": meta.duration_ms.map(|d| d as i64), ":codec": meta.codec,
            ":sample_rate": meta.sample_rate, ":channels": meta.channels,
            ":bitrate_kbps": meta.bitrate_kbps, ":mb_recording_id": meta.mb_recording_id,
            ":mb_track_id": meta.mb_track_id, ":mb_album_id": meta.mb_album_id,
            ":mb_artist_id": meta.mb_artist_id, ":rg_track_gain": meta.rg_track_gain,
            ":rg_track_peak": meta.rg_track_peak, ":rg_album_gain": meta.rg_album_gain,
            ":rg_album_peak": meta.rg_album_peak, ":cover_id": file.cover_id,
            ":search_text": meta.search_text(), ":now": now,
    })?;
    let id = conn.last_insert_rowid();
    put_lyrics(conn, id, meta.lyrics.as_ref())?;
    Ok(id)
}

/// Stores a track's lyrics as the scan read them (none: any stored ones are removed).
pub fn put_lyrics(
    conn: &Connection,
    track_id: i64,
    lyrics: Option<&super::lyrics::Lyrics>,
) -> rusqlite::Result<()> {
    match lyrics {
        None => {
            conn.prepare_cached("DELETE FROM track_lyrics WHERE track_id = ?1")?
                .execute([track_id])?;
        }
        Some(l) => {
            let timed = l
                .timed
                .as_ref()
                .map(|t| serde_json::to_string(t).unwrap_or_default());
            conn.prepare_cached(
                "INSERT INTO track_lyrics (track_id, source, text, timed) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(track_id) DO UPDATE SET source = ?2, text = ?3, timed = ?4",
            )?
            .execute(rusqlite::params![track_id, l.source, l.text, timed])?;
        }
    }
    Ok(())
}

/// A track's stored lyrics.
pub fn lyrics(conn: &Connection, track_id: i64) -> rusqlite::Result<Option<super::lyrics::Lyrics>> {
    use rusqlite::OptionalExtension;
    conn.query_row(
        "SELECT source, text, timed FROM track_lyrics WHERE track_id = ?1",
        [track_id],
        |r| {
            let timed: Option<String> = r.get(2)?;
            Ok(super::lyrics::Lyrics {
                source: r.get(0)?,
                text: r.get(1)?,
                timed: timed.and_then(|t| serde_json::from_str(&t).ok()),
            })
        },
    )
    .optional()
}

/// Rewrites a track's file facts and tags in place: the id (and so its history) is kept. Used for a
/// changed file, a file that reappeared, and a moved file (new path).
pub fn update_track(
    conn: &Connection,
    id: i64,
    file: &FileFacts,
    meta: &TrackMeta,
) -> rusqlite::Result<()> {
    conn.prepare_cached(&format!(
        "UPDATE tracks SET path = :path, folder_id = :folder_id, size = :size, mtime_ns = :mtime_ns,
            fingerprint = :fingerprint, missing = 0, title = :title, artist = :artist, album = :album,
            album_artist = :album_artist, track_no = :track_no, track_total = :track_total,
            disc_no = :disc_no, disc_total = :disc_total, year = :year, genre = :genre,
            composer = :composer, comment = :comment, duration_ms = :duration_ms, codec = :codec,
            sample_rate = :sample_rate, channels = :channels, bitrate_kbps = :bitrate_kbps,
            mb_recording_id = :mb_recording_id, mb_track_id = :mb_track_id, mb_album_id = :mb_album_id,
            mb_artist_id = :mb_artist_id, rg_track_gain = :rg_track_gain, rg_track_peak = :rg_track_peak,
            rg_album_gain = :rg_album_gain, rg_album_peak = :rg_album_peak, cover_id = :cover_id,
            search_text = :search_text, updated_at = :now, artist_sort = {}, album_sort = {},
            title_sort = {}
         WHERE id = :id",
        sort_name::sql(":artist"),
        sort_name::sql(":album"),
        sort_name::sql(":title"),
    ))?
    .execute(named_params! {
            ":id": id, ":path": file.path, ":folder_id": file.folder_id, ":size": file.size as i64,
            ":mtime_ns": file.mtime_ns, ":fingerprint": file.fingerprint, ":title": meta.title,
            ":artist": meta.artist, ":album": meta.album, ":album_artist": meta.album_artist,
            ":track_no": meta.track_no, ":track_total": meta.track_total, ":disc_no": meta.disc_no,
            ":disc_total": meta.disc_total, ":year": meta.year, ":genre": meta.genre,
            ":composer": meta.composer, ":comment": meta.comment,
            ":duration_ms": meta.duration_ms.map(|d| d as i64), ":codec": meta.codec,
            ":sample_rate": meta.sample_rate, ":channels": meta.channels,
            ":bitrate_kbps": meta.bitrate_kbps, ":mb_recording_id": meta.mb_recording_id,
            ":mb_track_id": meta.mb_track_id, ":mb_album_id": meta.mb_album_id,
            ":mb_artist_id": meta.mb_artist_id, ":rg_track_gain": meta.rg_track_gain,
            ":rg_track_peak": meta.rg_track_peak, ":rg_album_gain": meta.rg_album_gain,
            ":rg_album_peak": meta.rg_album_peak, ":cover_id": file.cover_id,
            ":search_text": meta.search_text(), ":now": now_unix(),
    })?;
    put_lyrics(conn, id, meta.lyrics.as_ref())
}

/// Tracks with this fingerprint whose path was not seen by the current walk: candidates for a move.
pub fn by_fingerprint(
    conn: &Connection,
    fingerprint: &str,
) -> rusqlite::Result<Vec<(i64, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, path FROM tracks WHERE fingerprint = ?1 ORDER BY missing DESC, id LIMIT 64",
    )?;
    let rows = stmt.query_map([fingerprint], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
}

/// Sets a track's duration to what decoding it to the end found, when the container said nothing
/// or something else (by more than a second and 2 %: WebM files often carry no usable duration).
/// Returns whether it changed.
pub fn correct_duration(conn: &Connection, id: i64, decoded_ms: u64) -> rusqlite::Result<bool> {
    let decoded = decoded_ms as i64;
    let changed = conn.execute(
        "UPDATE tracks SET duration_ms = ?2, updated_at = ?3
         WHERE id = ?1 AND (duration_ms IS NULL OR abs(duration_ms - ?2) > max(1000, ?2 / 50))",
        params![id, decoded, now_unix()],
    )?;
    Ok(changed > 0)
}

pub fn mark_missing(conn: &Connection, id: i64) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE tracks SET missing = 1, updated_at = ?2 WHERE id = ?1",
        params![id, now_unix()],
    )?;
    Ok(())
}

pub fn cover_id(
    conn: &Connection,
    hash: &str,
    width: u32,
    height: u32,
    file: &str,
) -> rusqlite::Result<i64> {
    if let Some(id) = conn
        .query_row("SELECT id FROM covers WHERE hash = ?1", [hash], |r| {
            r.get(0)
        })
        .optional()?
    {
        return Ok(id);
    }
    conn.execute(
        "INSERT INTO covers (hash, width, height, file) VALUES (?1, ?2, ?3, ?4)",
        params![hash, width, height, file],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn record_failure(
    conn: &Connection,
    path: &str,
    size: u64,
    mtime_ns: i64,
    error: &str,
    not_audio: bool,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO scan_failures (path, size, mtime_ns, error, not_audio, seen_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime_ns = excluded.mtime_ns,
            error = excluded.error, not_audio = excluded.not_audio, seen_at = excluded.seen_at",
    )?
    .execute(params![
        path,
        size as i64,
        mtime_ns,
        error,
        not_audio,
        now_unix()
    ])?;
    Ok(())
}

pub fn clear_failure(conn: &Connection, path: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM scan_failures WHERE path = ?1")?
        .execute([path])?;
    Ok(())
}

/// A file the library could not import, with the reason.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Failure {
    pub path: String,
    pub error: String,
}

/// Files that look like audio but could not be read (files that are not audio at all are left out).
pub fn failures(conn: &Connection) -> rusqlite::Result<Vec<Failure>> {
    let mut stmt =
        conn.prepare("SELECT path, error FROM scan_failures WHERE not_audio = 0 ORDER BY path")?;
    let rows = stmt.query_map([], |r| {
        Ok(Failure {
            path: r.get(0)?,
            error: r.get(1)?,
        })
    })?;
    rows.collect()
}
