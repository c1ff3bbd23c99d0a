//! Queries over `folders`, `tracks`, `covers` and `scan_failures`.

use std::collections::HashMap;

use rusqlite::{named_params, params, Connection, OptionalExtension, Row};
use serde::Serialize;

use crate::library::meta::TrackMeta;

pub fn add_folder(conn: &Connection, path: &str) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO folders (path, added_at) VALUES (?1, ?2) ON CONFLICT(path) DO NOTHING",
        params![path, super::now_unix()],
    )?;
    conn.query_row("SELECT id FROM folders WHERE path = ?1", [path], |r| {
        r.get(0)
    })
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
    let now = super::now_unix();
    conn.prepare_cached(
        "INSERT INTO tracks (path, folder_id, size, mtime_ns, fingerprint, missing, title, artist, album,
            album_artist, track_no, track_total, disc_no, disc_total, year, genre, composer, comment,
            duration_ms, codec, sample_rate, channels, bitrate_kbps, mb_recording_id, mb_track_id,
            mb_album_id, mb_artist_id, rg_track_gain, rg_track_peak, rg_album_gain, rg_album_peak,
            cover_id, search_text, added_at, updated_at)
         VALUES (:path, :folder_id, :size, :mtime_ns, :fingerprint, 0, :title, :artist, :album,
            :album_artist, :track_no, :track_total, :disc_no, :disc_total, :year, :genre, :composer,
            :comment, :duration_ms, :codec, :sample_rate, :channels, :bitrate_kbps, :mb_recording_id,
            :mb_track_id, :mb_album_id, :mb_artist_id, :rg_track_gain, :rg_track_peak, :rg_album_gain,
            :rg_album_peak, :cover_id, :search_text, :now, :now)",
    )?
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
    Ok(conn.last_insert_rowid())
}

/// Rewrites a track's file facts and tags in place: the id (and so its history) is kept. Used for a
/// changed file, a file that reappeared, and a moved file (new path).
pub fn update_track(
    conn: &Connection,
    id: i64,
    file: &FileFacts,
    meta: &TrackMeta,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE tracks SET path = :path, folder_id = :folder_id, size = :size, mtime_ns = :mtime_ns,
            fingerprint = :fingerprint, missing = 0, title = :title, artist = :artist, album = :album,
            album_artist = :album_artist, track_no = :track_no, track_total = :track_total,
            disc_no = :disc_no, disc_total = :disc_total, year = :year, genre = :genre,
            composer = :composer, comment = :comment, duration_ms = :duration_ms, codec = :codec,
            sample_rate = :sample_rate, channels = :channels, bitrate_kbps = :bitrate_kbps,
            mb_recording_id = :mb_recording_id, mb_track_id = :mb_track_id, mb_album_id = :mb_album_id,
            mb_artist_id = :mb_artist_id, rg_track_gain = :rg_track_gain, rg_track_peak = :rg_track_peak,
            rg_album_gain = :rg_album_gain, rg_album_peak = :rg_album_peak, cover_id = :cover_id,
            search_text = :search_text, updated_at = :now
         WHERE id = :id",
    )?
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
            ":search_text": meta.search_text(), ":now": super::now_unix(),
    })?;
    Ok(())
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

pub fn mark_missing(conn: &Connection, id: i64) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE tracks SET missing = 1, updated_at = ?2 WHERE id = ?1",
        params![id, super::now_unix()],
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
        super::now_unix()
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

/// One row of the library view and of `sonare tracks --json`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TrackRow {
    pub id: i64,
    pub path: String,
    pub title: String,
    pub artist: String,
    pub album: String,
    pub album_artist: Option<String>,
    pub track_no: Option<u32>,
    pub disc_no: Option<u32>,
    pub year: Option<i32>,
    pub genre: Option<String>,
    pub duration_s: Option<f64>,
    pub codec: String,
    pub sample_rate: Option<u32>,
    pub channels: Option<u8>,
    pub bitrate_kbps: Option<u32>,
    pub cover: Option<String>,
    pub missing: bool,
    /// From the audio analysis, once made.
    pub bpm: Option<f64>,
    /// e.g. "G major".
    pub key: Option<String>,
    /// e.g. "9B" (Camelot wheel).
    pub camelot: Option<String>,
}

const TRACK_COLUMNS: &str = "t.id, t.path, t.title, t.artist, t.album, t.album_artist, t.track_no, t.disc_no,
    t.year, t.genre, t.duration_ms, t.codec, t.sample_rate, t.channels, t.bitrate_kbps, c.file, t.missing,
    a.tempo_bpm, a.key, a.key_camelot";
/// The tables behind TRACK_COLUMNS.
const TRACK_FROM: &str = "tracks t LEFT JOIN covers c ON c.id = t.cover_id
    LEFT JOIN track_analysis a ON a.track_id = t.id";

fn track_row(r: &Row) -> rusqlite::Result<TrackRow> {
    Ok(TrackRow {
        id: r.get(0)?,
        path: r.get(1)?,
        title: r.get(2)?,
        artist: r.get(3)?,
        album: r.get(4)?,
        album_artist: r.get(5)?,
        track_no: r.get(6)?,
        disc_no: r.get(7)?,
        year: r.get(8)?,
        genre: r.get(9)?,
        duration_s: r.get::<_, Option<i64>>(10)?.map(|ms| ms as f64 / 1000.0),
        codec: r.get(11)?,
        sample_rate: r.get(12)?,
        channels: r.get(13)?,
        bitrate_kbps: r.get(14)?,
        cover: r.get(15)?,
        missing: r.get(16)?,
        bpm: r.get(17)?,
        key: r.get(18)?,
        camelot: r
            .get::<_, Option<i64>>(19)?
            .map(crate::analysis::dsp::camelot_code),
    })
}

/// Sort orders offered by the library view. Each maps to a fixed ORDER BY: never built from input text.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize, Serialize, clap::ValueEnum,
)]
#[serde(rename_all = "snake_case")]
pub enum SortKey {
    #[default]
    Artist,
    Album,
    Title,
    Year,
    Duration,
    Added,
    /// Tempo from the audio analysis; tracks not analysed yet come last either way.
    Bpm,
    /// Key on the Camelot wheel (harmonic neighbours together); not analysed last.
    Key,
}

impl SortKey {
    /// The ORDER BY terms. Descending reverses every term, so SQLite can walk the matching index
    /// (migration 0003) backwards instead of sorting.
    fn order_by(self, descending: bool) -> String {
        let terms: &[&str] = match self {
            SortKey::Artist => &[
                "t.artist COLLATE NOCASE",
                "t.album COLLATE NOCASE",
                "t.disc_no",
                "t.track_no",
                "t.id",
            ],
            SortKey::Album => &["t.album COLLATE NOCASE", "t.disc_no", "t.track_no", "t.id"],
            SortKey::Title => &["t.title COLLATE NOCASE", "t.id"],
            SortKey::Year => &[
                "t.year",
                "t.artist COLLATE NOCASE",
                "t.album COLLATE NOCASE",
                "t.disc_no",
                "t.track_no",
                "t.id",
            ],
            SortKey::Duration => &["t.duration_ms", "t.id"],
            SortKey::Added => &["t.added_at", "t.id"],
            SortKey::Bpm => &[
                "a.tempo_bpm",
                "t.artist COLLATE NOCASE",
                "t.title COLLATE NOCASE",
                "t.id",
            ],
            SortKey::Key => &[
                "a.key_camelot",
                "a.tempo_bpm",
                "t.artist COLLATE NOCASE",
                "t.id",
            ],
        };
        let dir = if descending { " DESC" } else { "" };
        // Unanalysed rows last in both directions (this term is not reversed).
        let nulls_last = match self {
            SortKey::Bpm => Some("a.tempo_bpm IS NULL"),
            SortKey::Key => Some("a.key_camelot IS NULL"),
            _ => None,
        };
        nulls_last
            .into_iter()
            .map(str::to_owned)
            .chain(terms.iter().map(|term| format!("{term}{dir}")))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The analysis table is joined only for the sorts that need it, so the others keep their index.
    fn from(self) -> &'static str {
        match self {
            SortKey::Bpm | SortKey::Key => {
                "tracks t LEFT JOIN track_analysis a ON a.track_id = t.id"
            }
            _ => "tracks t",
        }
    }
}

/// A page of the library: optional search text, sort, and window.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct TrackQuery {
    pub search: String,
    pub sort: SortKey,
    pub descending: bool,
    pub offset: u32,
    pub limit: Option<u32>,
    pub include_missing: bool,
}

/// A LIKE pattern matching `word` anywhere, with LIKE's wildcards escaped.
fn like_pattern(search: &str) -> String {
    let folded = crate::library::meta::fold(search);
    let mut pattern = String::from("%");
    for word in folded.split_whitespace() {
        for c in word.chars() {
            if matches!(c, '%' | '_' | '\\') {
                pattern.push('\\');
            }
            pattern.push(c);
        }
        pattern.push('%');
    }
    pattern
}

/// Matches search words in any order by chaining one LIKE per word.
fn search_clauses(query: &TrackQuery) -> (String, Vec<String>) {
    let base = if query.include_missing {
        "1"
    } else {
        "t.missing = 0"
    };
    let words: Vec<String> = query.search.split_whitespace().map(like_pattern).collect();
    let mut sql = base.to_owned();
    for i in 0..words.len() {
        sql.push_str(&format!(" AND t.search_text LIKE ?{} ESCAPE '\\'", i + 1));
    }
    (sql, words)
}

pub fn list_tracks(conn: &Connection, query: &TrackQuery) -> rusqlite::Result<Vec<TrackRow>> {
    let (filter, words) = search_clauses(query);
    // The page's ids come from the sort index alone (skipping OFFSET rows there is cheap); only
    // the page's own rows are then read and joined with their covers.
    let order = query.sort.order_by(query.descending);
    let sql = format!(
        "SELECT {TRACK_COLUMNS} FROM {TRACK_FROM}
         WHERE t.id IN (SELECT t.id FROM {} WHERE {filter} ORDER BY {order} LIMIT {} OFFSET {})
         ORDER BY {order}",
        query.sort.from(),
        query.limit.map(i64::from).unwrap_or(-1),
        query.offset
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(words.iter()), track_row)?;
    rows.collect()
}

/// Ids of every row of a view, in its order (to play the view as a queue).
pub fn list_track_ids(conn: &Connection, query: &TrackQuery) -> rusqlite::Result<Vec<i64>> {
    let (filter, words) = search_clauses(query);
    let sql = format!(
        "SELECT t.id FROM {} WHERE {filter} ORDER BY {}",
        query.sort.from(),
        query.sort.order_by(query.descending)
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(words.iter()), |r| r.get(0))?;
    rows.collect()
}

/// An album's tracks in disc/track order. Albums are told apart by title and album artist (none for
/// most untagged albums), as the album grid groups them.
pub fn album_track_ids(
    conn: &Connection,
    album: &str,
    album_artist: Option<&str>,
) -> rusqlite::Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM tracks WHERE missing = 0 AND album = ?1 COLLATE NOCASE AND album_artist IS ?2
         ORDER BY disc_no, track_no, title COLLATE NOCASE, id",
    )?;
    let rows = stmt.query_map(params![album, album_artist], |r| r.get(0))?;
    rows.collect()
}

/// The rows of `ids` in that order; ids not in the library are left out.
pub fn tracks_by_ids(conn: &Connection, ids: &[i64]) -> rusqlite::Result<Vec<TrackRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {TRACK_COLUMNS} FROM {TRACK_FROM} WHERE t.id = ?1"
    ))?;
    let mut rows = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(row) = stmt.query_row([id], track_row).optional()? {
            rows.push(row);
        }
    }
    Ok(rows)
}

pub fn count_tracks(conn: &Connection, query: &TrackQuery) -> rusqlite::Result<u64> {
    let (filter, words) = search_clauses(query);
    let sql = format!("SELECT COUNT(*) FROM tracks t WHERE {filter}");
    conn.query_row(&sql, rusqlite::params_from_iter(words.iter()), |r| {
        r.get::<_, i64>(0).map(|n| n as u64)
    })
}

pub fn track_by_id(conn: &Connection, id: i64) -> rusqlite::Result<Option<TrackRow>> {
    conn.query_row(
        &format!("SELECT {TRACK_COLUMNS} FROM {TRACK_FROM} WHERE t.id = ?1"),
        [id],
        track_row,
    )
    .optional()
}

pub fn track_id_by_path(conn: &Connection, path: &str) -> rusqlite::Result<Option<i64>> {
    conn.query_row("SELECT id FROM tracks WHERE path = ?1", [path], |r| {
        r.get(0)
    })
    .optional()
}

/// One album of the album grid.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AlbumRow {
    pub album: String,
    /// The album artist tag, which with the title identifies the album.
    pub album_artist: Option<String>,
    /// Who the grid shows: the album artist, else a track artist.
    pub artist: String,
    pub tracks: u32,
    pub year: Option<i32>,
    pub cover: Option<String>,
}

pub fn list_albums(conn: &Connection, search: &str) -> rusqlite::Result<Vec<AlbumRow>> {
    let query = TrackQuery {
        search: search.to_owned(),
        ..Default::default()
    };
    let (filter, words) = search_clauses(&query);
    let sql = format!(
        "SELECT t.album, t.album_artist, COALESCE(t.album_artist, MIN(t.artist)), COUNT(*), MIN(t.year),
                MIN(c.file)
         FROM tracks t LEFT JOIN covers c ON c.id = t.cover_id
         WHERE {filter}
         GROUP BY t.album COLLATE NOCASE, COALESCE(t.album_artist, '')
         ORDER BY 3 COLLATE NOCASE, t.album COLLATE NOCASE"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(words.iter()), |r| {
        Ok(AlbumRow {
            album: r.get(0)?,
            album_artist: r.get(1)?,
            artist: r.get(2)?,
            tracks: r.get(3)?,
            year: r.get(4)?,
            cover: r.get(5)?,
        })
    })?;
    rows.collect()
}
