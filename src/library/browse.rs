//! The library's read model: track rows as every list shows them, the library view's pages (search,
//! sort), albums, and [`hydrate`], the one join from scored ids to rows.

use std::collections::HashMap;

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;

use crate::camelot::Camelot;

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

pub(super) const TRACK_COLUMNS: &str = "t.id, t.path, t.title, t.artist, t.album, t.album_artist, t.track_no, t.disc_no,
    t.year, t.genre, t.duration_ms, t.codec, t.sample_rate, t.channels, t.bitrate_kbps, c.file, t.missing,
    a.tempo_bpm, a.key, a.key_camelot";
/// The tables behind TRACK_COLUMNS.
pub(super) const TRACK_FROM: &str = "tracks t LEFT JOIN covers c ON c.id = t.cover_id
    LEFT JOIN track_analysis a ON a.track_id = t.id";

pub(super) fn track_row(r: &Row) -> rusqlite::Result<TrackRow> {
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
            .and_then(Camelot::from_order)
            .map(|c| c.to_string()),
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
                "t.artist_sort COLLATE NOCASE",
                "t.album_sort COLLATE NOCASE",
                "t.disc_no",
                "t.track_no",
                "t.id",
            ],
            SortKey::Album => &[
                "t.album_sort COLLATE NOCASE",
                "t.disc_no",
                "t.track_no",
                "t.id",
            ],
            SortKey::Title => &["t.title_sort COLLATE NOCASE", "t.id"],
            SortKey::Year => &[
                "t.year",
                "t.artist_sort COLLATE NOCASE",
                "t.album_sort COLLATE NOCASE",
                "t.disc_no",
                "t.track_no",
                "t.id",
            ],
            SortKey::Duration => &["t.duration_ms", "t.id"],
            SortKey::Added => &["t.added_at", "t.id"],
            SortKey::Bpm => &[
                "a.tempo_bpm",
                "t.artist_sort COLLATE NOCASE",
                "t.title_sort COLLATE NOCASE",
                "t.id",
            ],
            SortKey::Key => &[
                "a.key_camelot",
                "a.tempo_bpm",
                "t.artist_sort COLLATE NOCASE",
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
pub(super) fn like_pattern(search: &str) -> String {
    let folded = super::meta::fold(search);
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

/// Each scored item with its track's row, in the items' order, joined by id: an item whose track
/// left the library between scoring and reading is dropped, never paired with another track's row.
pub fn hydrate<T>(
    conn: &Connection,
    scored: Vec<T>,
    id_of: impl Fn(&T) -> i64,
) -> rusqlite::Result<Vec<(TrackRow, T)>> {
    let ids: Vec<i64> = scored.iter().map(&id_of).collect();
    let rows: HashMap<i64, TrackRow> = tracks_by_ids(conn, &ids)?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    Ok(scored
        .into_iter()
        .filter_map(|item| Some((rows.get(&id_of(&item))?.clone(), item)))
        .collect())
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
         ORDER BY {} COLLATE NOCASE, MIN(t.album_sort) COLLATE NOCASE",
        super::sort_name::sql("COALESCE(t.album_artist, MIN(t.artist))"),
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(words.iter()), album_row)?;
    rows.collect()
}

/// An album row from `album, album_artist, shown artist, count, year, cover`.
pub(super) fn album_row(r: &Row) -> rusqlite::Result<AlbumRow> {
    Ok(AlbumRow {
        album: r.get(0)?,
        album_artist: r.get(1)?,
        artist: r.get(2)?,
        tracks: r.get(3)?,
        year: r.get(4)?,
        cover: r.get(5)?,
    })
}
