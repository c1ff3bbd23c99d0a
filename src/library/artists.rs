//! Artists as the listener browses them: one entry per album artist (a compilation's tracks stand
//! under its album artist, not under each of their own artists), with songs, albums, covers and
//! the listener's plays; and an artist's page.

use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};

use super::browse::{
    album_row, like_pattern, track_row, AlbumRow, TrackRow, TRACK_COLUMNS, TRACK_FROM,
};

/// Who a track is listed under: its album artist when tagged, else its artist.
const OWNER: &str = "COALESCE(NULLIF(TRIM(t.album_artist), ''), t.artist)";

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum ArtistSort {
    #[default]
    Name,
    Songs,
    Albums,
    /// The listener's plays, most first.
    Plays,
}

impl ArtistSort {
    /// The ORDER BY terms; names sort as the library does (see `sort_name`).
    fn order_by(self) -> String {
        let name = format!("{} COLLATE NOCASE", super::sort_name::sql("name"));
        match self {
            ArtistSort::Name => name,
            ArtistSort::Songs => format!("songs DESC, {name}"),
            ArtistSort::Albums => format!("albums DESC, {name}"),
            ArtistSort::Plays => format!("plays DESC, {name}"),
        }
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ArtistRow {
    pub name: String,
    pub songs: u32,
    pub albums: u32,
    pub plays: u32,
    /// Up to four cover thumbnails, for a mosaic.
    pub covers: Vec<String>,
}

fn covers_of(list: Option<String>) -> Vec<String> {
    list.unwrap_or_default()
        .split(',')
        .filter(|c| !c.is_empty())
        .take(4)
        .map(str::to_owned)
        .collect()
}

/// The library's artists (present tracks), filtered by `search` (words of the name, any order).
pub fn list_artists(
    conn: &Connection,
    search: &str,
    sort: ArtistSort,
) -> rusqlite::Result<Vec<ArtistRow>> {
    let words: Vec<String> = search.split_whitespace().map(like_pattern).collect();
    let filter: String = (1..=words.len())
        .map(|i| format!(" AND name LIKE ?{i} ESCAPE '\\'"))
        .collect();
    // Cover files are content hashes (no commas): GROUP_CONCAT's own separator splits them.
    let sql = format!(
        "SELECT * FROM (
             SELECT {OWNER} AS name, COUNT(*) AS songs, COUNT(DISTINCT lower(t.album)) AS albums,
                    COALESCE(SUM(p.n), 0) AS plays, GROUP_CONCAT(DISTINCT c.file) AS covers
             FROM tracks t LEFT JOIN covers c ON c.id = t.cover_id
                  LEFT JOIN (SELECT track_id, COUNT(*) AS n FROM plays GROUP BY track_id) p
                         ON p.track_id = t.id
             WHERE t.missing = 0
             GROUP BY {OWNER} COLLATE NOCASE)
         WHERE 1{filter} ORDER BY {}",
        sort.order_by()
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(words.iter()), |r| {
        Ok(ArtistRow {
            name: r.get(0)?,
            songs: r.get(1)?,
            albums: r.get(2)?,
            plays: r.get(3)?,
            covers: covers_of(r.get(4)?),
        })
    })?;
    rows.collect()
}

/// A track of the artist with the listener's plays of it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PlayedTrack {
    pub track: TrackRow,
    pub plays: u32,
}

/// What an artist's page shows from the library (the similar artists come from the models).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ArtistLibrary {
    pub name: String,
    /// Albums the artist owns (as album artist, or as the artist of untagged albums).
    pub albums: Vec<AlbumRow>,
    /// Albums of others (compilations) with a track of the artist.
    pub appears_on: Vec<AlbumRow>,
    /// The listener's most played songs of the artist, most first (played at least once).
    pub most_played: Vec<PlayedTrack>,
    /// Every song, by album, disc and track number.
    pub tracks: Vec<TrackRow>,
}

fn albums_where(conn: &Connection, filter: &str, name: &str) -> rusqlite::Result<Vec<AlbumRow>> {
    let sql = format!(
        "SELECT t.album, t.album_artist, {OWNER}, COUNT(*), MIN(t.year), MIN(c.file)
         FROM tracks t LEFT JOIN covers c ON c.id = t.cover_id
         WHERE t.missing = 0 AND {filter}
         GROUP BY t.album COLLATE NOCASE, COALESCE(t.album_artist, '')
         ORDER BY MIN(t.year), t.album COLLATE NOCASE"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([name], album_row)?;
    rows.collect()
}

/// The library's side of an artist's page; `None` when no present track is theirs.
pub fn artist_library(conn: &Connection, name: &str) -> rusqlite::Result<Option<ArtistLibrary>> {
    let mine = format!("({OWNER} = ?1 COLLATE NOCASE OR t.artist = ?1 COLLATE NOCASE)");
    let sql = format!(
        "SELECT {TRACK_COLUMNS}, (SELECT COUNT(*) FROM plays p WHERE p.track_id = t.id)
         FROM {TRACK_FROM} WHERE t.missing = 0 AND {mine}
         ORDER BY t.album COLLATE NOCASE, t.disc_no, t.track_no, t.title COLLATE NOCASE, t.id"
    );
    let mut stmt = conn.prepare(&sql)?;
    let played: Vec<PlayedTrack> = stmt
        .query_map(params![name], |r| {
            Ok(PlayedTrack {
                track: track_row(r)?,
                plays: r.get(20)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    if played.is_empty() {
        return Ok(None);
    }
    let canonical = played
        .iter()
        .map(|p| {
            p.track
                .album_artist
                .clone()
                .filter(|a| !a.trim().is_empty())
        })
        .find_map(|a| a.filter(|a| a.eq_ignore_ascii_case(name)))
        .unwrap_or_else(|| {
            played
                .iter()
                .map(|p| &p.track.artist)
                .find(|a| a.eq_ignore_ascii_case(name))
                .cloned()
                .unwrap_or_else(|| name.to_owned())
        });
    let albums = albums_where(conn, &format!("{OWNER} = ?1 COLLATE NOCASE"), name)?;
    let appears_on = albums_where(
        conn,
        &format!("t.artist = ?1 COLLATE NOCASE AND {OWNER} <> ?1 COLLATE NOCASE"),
        name,
    )?;
    let mut most_played: Vec<PlayedTrack> =
        played.iter().filter(|p| p.plays > 0).cloned().collect();
    most_played.sort_by(|a, b| b.plays.cmp(&a.plays).then(a.track.id.cmp(&b.track.id)));
    most_played.truncate(10);
    Ok(Some(ArtistLibrary {
        name: canonical,
        albums,
        appears_on,
        most_played,
        tracks: played.into_iter().map(|p| p.track).collect(),
    }))
}
