//! What the listener leaves out of generated lists (Discover Daily, For you, mixes): artists, genres
//! and folders. Read by `cf` and `discover` alike, so it lives below both (as `feedback` does).
//! Matching is on keys: an artist by its match key ("The Beatles" = "beatles"), a genre folded
//! (each of a track's genres, "Rock; Audiobook" holds "audiobook"), a folder by path prefix.

use std::collections::HashSet;

use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};

use crate::text::fold::fold;
use crate::text::match_key::artist_key;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum ExclusionKind {
    Artist,
    Genre,
    Folder,
}

impl ExclusionKind {
    fn as_str(self) -> &'static str {
        match self {
            ExclusionKind::Artist => "artist",
            ExclusionKind::Genre => "genre",
            ExclusionKind::Folder => "folder",
        }
    }

    fn from_str(s: &str) -> Self {
        match s {
            "artist" => ExclusionKind::Artist,
            "genre" => ExclusionKind::Genre,
            _ => ExclusionKind::Folder,
        }
    }

    /// The stored key of a name of this kind.
    fn key(self, label: &str) -> String {
        match self {
            ExclusionKind::Artist => artist_key(label),
            ExclusionKind::Genre => fold(label.trim()),
            ExclusionKind::Folder => label.trim_end_matches('/').to_owned(),
        }
    }
}

/// One stored exclusion.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Exclusion {
    pub id: i64,
    pub kind: ExclusionKind,
    /// As the listener named it.
    pub label: String,
    pub at: i64,
}

/// Leaves out `label` (an artist name, a genre, a folder path); returns the exclusion's id (the
/// existing one when it was already left out). `None` when the label makes no key.
pub fn add(conn: &Connection, kind: ExclusionKind, label: &str) -> rusqlite::Result<Option<i64>> {
    let label = label.trim();
    let key = kind.key(label);
    if key.is_empty() || label.len() > 4096 {
        return Ok(None);
    }
    conn.execute(
        "INSERT INTO exclusions (kind, value, label, at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(kind, value) DO NOTHING",
        params![kind.as_str(), key, label, crate::db::now_unix()],
    )?;
    conn.query_row(
        "SELECT id FROM exclusions WHERE kind = ?1 AND value = ?2",
        params![kind.as_str(), key],
        |r| r.get(0),
    )
    .map(Some)
}

/// Takes an exclusion back (`false` if there was none with that id).
pub fn remove(conn: &Connection, id: i64) -> rusqlite::Result<bool> {
    Ok(conn.execute("DELETE FROM exclusions WHERE id = ?1", [id])? > 0)
}

/// Every exclusion, newest first.
pub fn list(conn: &Connection) -> rusqlite::Result<Vec<Exclusion>> {
    conn.prepare("SELECT id, kind, label, at FROM exclusions ORDER BY at DESC, id DESC")?
        .query_map([], |r| {
            Ok(Exclusion {
                id: r.get(0)?,
                kind: ExclusionKind::from_str(&r.get::<_, String>(1)?),
                label: r.get(2)?,
                at: r.get(3)?,
            })
        })?
        .collect()
}

/// The exclusions as a test on tracks.
#[derive(Debug, Clone, Default)]
pub struct LeaveOut {
    artists: HashSet<String>,
    genres: HashSet<String>,
    folders: Vec<String>,
}

/// What a test needs of a track.
pub struct TrackNames<'a> {
    pub artist: &'a str,
    pub album_artist: Option<&'a str>,
    pub genre: Option<&'a str>,
    pub path: &'a str,
}

/// The names of a track row.
pub fn names_of(t: &crate::library::browse::TrackRow) -> TrackNames<'_> {
    TrackNames {
        artist: &t.artist,
        album_artist: t.album_artist.as_deref(),
        genre: t.genre.as_deref(),
        path: &t.path,
    }
}

impl LeaveOut {
    pub fn load(conn: &Connection) -> rusqlite::Result<Self> {
        let mut out = LeaveOut::default();
        let mut stmt = conn.prepare("SELECT kind, value FROM exclusions")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (kind, value) = row?;
            match ExclusionKind::from_str(&kind) {
                ExclusionKind::Artist => out.artists.insert(value),
                ExclusionKind::Genre => out.genres.insert(value),
                ExclusionKind::Folder => {
                    out.folders.push(value);
                    true
                }
            };
        }
        Ok(out)
    }

    pub fn is_empty(&self) -> bool {
        self.artists.is_empty() && self.genres.is_empty() && self.folders.is_empty()
    }

    /// Whether a track with these names is left out.
    pub fn excludes(&self, t: &TrackNames) -> bool {
        if self.is_empty() {
            return false;
        }
        let artist_out = |name: &str| self.artists.contains(&artist_key(name));
        artist_out(t.artist)
            || t.album_artist.is_some_and(artist_out)
            || t.genre.is_some_and(|g| {
                g.split([';', ',', '/', '\0'])
                    .any(|one| self.genres.contains(&fold(one.trim())))
            })
            || self.folders.iter().any(|f| {
                t.path
                    .strip_prefix(f.as_str())
                    .is_some_and(|rest| rest.starts_with('/') || rest.is_empty())
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names<'a>(artist: &'a str, genre: Option<&'a str>, path: &'a str) -> TrackNames<'a> {
        TrackNames {
            artist,
            album_artist: None,
            genre,
            path,
        }
    }

    #[test]
    fn artists_genres_and_folders_match_by_key() {
        let conn = crate::db::open_in_memory().unwrap();
        add(&conn, ExclusionKind::Artist, "The Beatles").unwrap();
        add(&conn, ExclusionKind::Genre, "Audiobook").unwrap();
        add(&conn, ExclusionKind::Folder, "/music/books/").unwrap();
        let out = LeaveOut::load(&conn).unwrap();
        assert!(out.excludes(&names("beatles", None, "/music/a.ogg")));
        assert!(out.excludes(&names("X", Some("Spoken; AUDIOBOOK"), "/music/a.ogg")));
        assert!(out.excludes(&names("X", None, "/music/books/one.mp3")));
        assert!(!out.excludes(&names("X", None, "/music/booksellers/one.mp3")));
        assert!(!out.excludes(&names("Beatles Tribute Band", Some("Rock"), "/m/a.ogg")));
    }

    #[test]
    fn adding_twice_keeps_one_and_removing_takes_it_back() {
        let conn = crate::db::open_in_memory().unwrap();
        let a = add(&conn, ExclusionKind::Genre, "Jazz").unwrap().unwrap();
        let b = add(&conn, ExclusionKind::Genre, "jazz ").unwrap().unwrap();
        assert_eq!(a, b);
        assert_eq!(list(&conn).unwrap().len(), 1);
        assert_eq!(add(&conn, ExclusionKind::Artist, "  ").unwrap(), None);
        assert!(remove(&conn, a).unwrap());
        assert!(!remove(&conn, a).unwrap());
        assert!(LeaveOut::load(&conn).unwrap().is_empty());
    }
}
