//! The listener's playlists: made in the app or imported from M3U/XSPF files, stored in SQLite. An
//! entry follows its track id (rescans and moves keep it); an imported entry that names no library
//! track is kept with its names and matches when the song arrives. `export` writes M3U8 and XSPF.
//!
//! Every edit rewrites the playlist's entries in one transaction: positions stay 0..n with no gaps,
//! and a failed edit changes nothing.

pub mod export;

use std::collections::HashMap;

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use crate::library::browse::{tracks_by_ids, TrackRow};

/// Longest playlist name (characters).
pub const MAX_NAME_CHARS: usize = 200;
/// Most entries a playlist holds.
pub const MAX_ENTRIES: usize = 100_000;

#[derive(Debug, thiserror::Error)]
pub enum PlaylistError {
    #[error("no playlist with id {0}")]
    NoSuchPlaylist(i64),
    #[error("no track with id {0}")]
    NoSuchTrack(i64),
    #[error("a playlist needs a name (1 to {MAX_NAME_CHARS} characters)")]
    BadName,
    #[error("playlist {playlist} has {len} entries: there is no position {position}")]
    BadPosition {
        playlist: i64,
        position: usize,
        len: usize,
    },
    #[error("a playlist holds at most {MAX_ENTRIES} entries")]
    TooLong,
    #[error("playlists: {0}")]
    Sql(#[from] rusqlite::Error),
}

pub type Result<T, E = PlaylistError> = std::result::Result<T, E>;

/// A playlist as the list of playlists shows it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PlaylistSummary {
    pub id: i64,
    pub name: String,
    /// Entries, playable or not.
    pub entries: usize,
    /// Entries that name no track of the library (yet).
    pub unmatched: usize,
    pub duration_s: f64,
    /// Up to four cover thumbnails of its tracks, for a mosaic.
    pub covers: Vec<String>,
    /// The file it was imported from, if any.
    pub source: Option<String>,
    pub updated_at: i64,
}

/// One entry: the library track when it is there, else the names the playlist gave.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Entry {
    pub position: usize,
    pub track: Option<TrackRow>,
    pub artist: String,
    pub title: String,
    pub location: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Playlist {
    #[serde(flatten)]
    pub summary: PlaylistSummary,
    pub entries: Vec<Entry>,
}

/// An entry as stored: what it names, and how to find its track.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredEntry {
    pub track_id: Option<i64>,
    pub item_id: Option<i64>,
    pub location: Option<String>,
    pub artist: String,
    pub title: String,
}

fn checked_name(name: &str) -> Result<String> {
    let name = name.trim();
    let chars = name.chars().count();
    if chars == 0 || chars > MAX_NAME_CHARS || name.chars().any(char::is_control) {
        return Err(PlaylistError::BadName);
    }
    Ok(name.to_owned())
}

fn touch(conn: &Connection, id: i64) -> Result<()> {
    let changed = conn.execute(
        "UPDATE playlists SET updated_at = ?2 WHERE id = ?1",
        params![id, crate::db::now_unix()],
    )?;
    if changed == 0 {
        return Err(PlaylistError::NoSuchPlaylist(id));
    }
    Ok(())
}

/// Entries of library tracks, with their names, in the order given; unknown ids are an error.
fn entries_of_tracks(conn: &Connection, track_ids: &[i64]) -> Result<Vec<StoredEntry>> {
    let mut stmt = conn.prepare_cached("SELECT artist, title FROM tracks WHERE id = ?1")?;
    track_ids
        .iter()
        .map(|&id| {
            let (artist, title) = stmt
                .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?
                .ok_or(PlaylistError::NoSuchTrack(id))?;
            Ok(StoredEntry {
                track_id: Some(id),
                item_id: None,
                location: None,
                artist,
                title,
            })
        })
        .collect()
}

/// The stored entries of a playlist, in order.
pub fn stored_entries(conn: &Connection, id: i64) -> Result<Vec<StoredEntry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT track_id, item_id, location, artist, title FROM playlist_tracks
         WHERE playlist_id = ?1 ORDER BY position",
    )?;
    let rows = stmt.query_map([id], |r| {
        Ok(StoredEntry {
            track_id: r.get(0)?,
            item_id: r.get(1)?,
            location: r.get(2)?,
            artist: r.get(3)?,
            title: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Replaces the entries of playlist `id` (inside the caller's transaction).
fn write_entries(conn: &Connection, id: i64, entries: &[StoredEntry]) -> Result<()> {
    if entries.len() > MAX_ENTRIES {
        return Err(PlaylistError::TooLong);
    }
    conn.execute("DELETE FROM playlist_tracks WHERE playlist_id = ?1", [id])?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO playlist_tracks (playlist_id, position, track_id, item_id, location, artist, title)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for (position, e) in entries.iter().enumerate() {
        insert.execute(params![
            id,
            position as i64,
            e.track_id,
            e.item_id,
            e.location,
            e.artist,
            e.title
        ])?;
    }
    Ok(())
}

/// Applies `edit` to the entries of playlist `id` in one transaction.
fn edit_entries<T>(
    conn: &Connection,
    id: i64,
    edit: impl FnOnce(&Connection, &mut Vec<StoredEntry>) -> Result<T>,
) -> Result<T> {
    let tx = conn.unchecked_transaction()?;
    touch(&tx, id)?;
    let mut entries = stored_entries(&tx, id)?;
    let out = edit(&tx, &mut entries)?;
    write_entries(&tx, id, &entries)?;
    tx.commit()?;
    Ok(out)
}

fn insert_playlist(conn: &Connection, name: &str, source: Option<&str>) -> Result<i64> {
    let now = crate::db::now_unix();
    conn.execute(
        "INSERT INTO playlists (name, source, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)",
        params![name, source, now],
    )?;
    Ok(conn.last_insert_rowid())
}

/// A new playlist holding `track_ids` in that order (none: an empty playlist).
pub fn create(conn: &Connection, name: &str, track_ids: &[i64]) -> Result<i64> {
    let name = checked_name(name)?;
    let tx = conn.unchecked_transaction()?;
    let entries = entries_of_tracks(&tx, track_ids)?;
    let id = insert_playlist(&tx, &name, None)?;
    write_entries(&tx, id, &entries)?;
    tx.commit()?;
    Ok(id)
}

/// A new playlist of `entries` as given (entries that match no track are kept, and match when the
/// song arrives), unless a playlist of that name holds exactly these entries already: its id, and
/// whether it was made now. For restoring an export, inside the restore's transaction.
pub fn create_or_find(
    conn: &Connection,
    name: &str,
    entries: &[StoredEntry],
) -> Result<(i64, bool)> {
    let name = checked_name(name)?;
    let same_name: Vec<i64> = conn
        .prepare("SELECT id FROM playlists WHERE name = ?1 ORDER BY id")?
        .query_map([&name], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for id in same_name {
        if stored_entries(conn, id)? == entries {
            return Ok((id, false));
        }
    }
    let id = insert_playlist(conn, &name, None)?;
    write_entries(conn, id, entries)?;
    Ok((id, true))
}

pub fn rename(conn: &Connection, id: i64, name: &str) -> Result<()> {
    let name = checked_name(name)?;
    touch(conn, id)?;
    conn.execute(
        "UPDATE playlists SET name = ?2 WHERE id = ?1",
        params![id, name],
    )?;
    Ok(())
}

pub fn delete(conn: &Connection, id: i64) -> Result<()> {
    if conn.execute("DELETE FROM playlists WHERE id = ?1", [id])? == 0 {
        return Err(PlaylistError::NoSuchPlaylist(id));
    }
    Ok(())
}

/// A copy of playlist `id` named `name` (default: "<name> (copy)"); not tied to an imported file.
pub fn duplicate(conn: &Connection, id: i64, name: Option<&str>) -> Result<i64> {
    let tx = conn.unchecked_transaction()?;
    let original: String = tx
        .query_row("SELECT name FROM playlists WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?
        .ok_or(PlaylistError::NoSuchPlaylist(id))?;
    let name = match name {
        Some(name) => checked_name(name)?,
        None => {
            let base: String = original.chars().take(MAX_NAME_CHARS - 7).collect();
            format!("{base} (copy)")
        }
    };
    let entries = stored_entries(&tx, id)?;
    let copy = insert_playlist(&tx, &name, None)?;
    write_entries(&tx, copy, &entries)?;
    tx.commit()?;
    Ok(copy)
}

/// Adds tracks at `at` (default: the end); returns the playlist's new length.
pub fn add(conn: &Connection, id: i64, track_ids: &[i64], at: Option<usize>) -> Result<usize> {
    edit_entries(conn, id, |tx, entries| {
        let at = at.unwrap_or(entries.len());
        if at > entries.len() {
            return Err(PlaylistError::BadPosition {
                playlist: id,
                position: at,
                len: entries.len(),
            });
        }
        let new = entries_of_tracks(tx, track_ids)?;
        entries.splice(at..at, new);
        Ok(entries.len())
    })
}

/// Removes the entries at `positions` (0-based, any order); returns the new length.
pub fn remove(conn: &Connection, id: i64, positions: &[usize]) -> Result<usize> {
    edit_entries(conn, id, |_, entries| {
        let len = entries.len();
        if let Some(&bad) = positions.iter().find(|&&p| p >= len) {
            return Err(PlaylistError::BadPosition {
                playlist: id,
                position: bad,
                len,
            });
        }
        let mut index = 0;
        entries.retain(|_| {
            let keep = !positions.contains(&index);
            index += 1;
            keep
        });
        Ok(entries.len())
    })
}

/// Moves the entry at `from` so that it ends at position `to` (both 0-based).
pub fn move_entry(conn: &Connection, id: i64, from: usize, to: usize) -> Result<()> {
    edit_entries(conn, id, |_, entries| {
        let len = entries.len();
        if let Some(bad) = [from, to].into_iter().find(|&p| p >= len) {
            return Err(PlaylistError::BadPosition {
                playlist: id,
                position: bad,
                len,
            });
        }
        let entry = entries.remove(from);
        entries.insert(to, entry);
        Ok(())
    })
}

/// Creates or replaces the playlist imported from the file `source` (inside the import's
/// transaction): importing a changed file again updates the same playlist.
pub fn save_imported(
    conn: &Connection,
    source: &str,
    name: &str,
    entries: &[StoredEntry],
) -> Result<i64> {
    let name = checked_name(name).unwrap_or_else(|_| "Imported playlist".to_owned());
    let existing: Option<i64> = conn
        .query_row(
            "SELECT id FROM playlists WHERE source = ?1",
            [source],
            |r| r.get(0),
        )
        .optional()?;
    let id = match existing {
        Some(id) => {
            touch(conn, id)?;
            id
        }
        None => insert_playlist(conn, &name, Some(source))?,
    };
    write_entries(conn, id, entries)?;
    Ok(id)
}

/// Each entry's library track: its own, the item's (set when the song arrived after the import),
/// or the track at its location.
const RESOLVED: &str = "SELECT p.position, COALESCE(p.track_id, x.track_id,
            (SELECT t.id FROM tracks t WHERE t.path = p.location)), p.artist, p.title, p.location
     FROM playlist_tracks p LEFT JOIN ext_items x ON x.id = p.item_id
     WHERE p.playlist_id = ?1 ORDER BY p.position";

type Resolved = (usize, Option<i64>, String, String, Option<String>);

fn resolved(conn: &Connection, id: i64) -> Result<Vec<Resolved>> {
    let mut stmt = conn.prepare_cached(RESOLVED)?;
    let rows = stmt.query_map([id], |r| {
        Ok((
            r.get::<_, i64>(0)? as usize,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn summary_of(
    conn: &Connection,
    (id, name, source, updated_at): (i64, String, Option<String>, i64),
) -> Result<(PlaylistSummary, Vec<Entry>)> {
    let rows = resolved(conn, id)?;
    let ids: Vec<i64> = rows.iter().filter_map(|r| r.1).collect();
    let tracks: HashMap<i64, TrackRow> = tracks_by_ids(conn, &ids)?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    let entries: Vec<Entry> = rows
        .into_iter()
        .map(|(position, track, artist, title, location)| Entry {
            position,
            track: track.and_then(|t| tracks.get(&t).cloned()),
            artist,
            title,
            location,
        })
        .collect();
    let mut covers: Vec<String> = Vec::new();
    for cover in entries
        .iter()
        .filter_map(|e| e.track.as_ref()?.cover.clone())
    {
        if covers.len() < 4 && !covers.contains(&cover) {
            covers.push(cover);
        }
    }
    let summary = PlaylistSummary {
        id,
        name,
        entries: entries.len(),
        unmatched: entries.iter().filter(|e| e.track.is_none()).count(),
        duration_s: entries
            .iter()
            .filter_map(|e| e.track.as_ref()?.duration_s)
            .sum(),
        covers,
        source,
        updated_at,
    };
    Ok((summary, entries))
}

const HEADS: &str = "SELECT id, name, source, updated_at FROM playlists";

type Head = (i64, String, Option<String>, i64);

fn head(r: &rusqlite::Row) -> rusqlite::Result<Head> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
}

/// Every playlist, by name.
pub fn list(conn: &Connection) -> Result<Vec<PlaylistSummary>> {
    let heads: Vec<Head> = conn
        .prepare(&format!("{HEADS} ORDER BY name COLLATE NOCASE, id"))?
        .query_map([], head)?
        .collect::<rusqlite::Result<_>>()?;
    heads
        .into_iter()
        .map(|h| Ok(summary_of(conn, h)?.0))
        .collect()
}

/// A playlist with its entries.
pub fn show(conn: &Connection, id: i64) -> Result<Playlist> {
    let head = conn
        .query_row(&format!("{HEADS} WHERE id = ?1"), [id], head)
        .optional()?
        .ok_or(PlaylistError::NoSuchPlaylist(id))?;
    let (summary, entries) = summary_of(conn, head)?;
    Ok(Playlist { summary, entries })
}

/// The playable tracks of a playlist, in order (entries with no library track left out).
pub fn track_ids(conn: &Connection, id: i64) -> Result<Vec<i64>> {
    Ok(show(conn, id)?
        .entries
        .into_iter()
        .filter_map(|e| e.track.filter(|t| !t.missing).map(|t| t.id))
        .collect())
}
