//! A small real library for the taste tests: six tagged FLAC files (one fixture, retagged) in
//! several scripts, one with a MusicBrainz recording id.

use std::path::PathBuf;

use lofty::tag::{Accessor, ItemKey};

use super::{fixtures, TempLibrary};

pub fn taste(name: &str) -> PathBuf {
    fixtures().join("taste").join(name)
}

/// (file name, artist, title, genre, year, MusicBrainz recording id)
type Song = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    u32,
    Option<&'static str>,
);

pub const SONGS: &[Song] = &[
    (
        "bjork.flac",
        "Björk",
        "Jóga",
        "Electronic",
        1997,
        Some("9a2b1f8e-1111-4c1e-9b7a-000000000001"),
    ),
    (
        "beatles.flac",
        "The Beatles",
        "Let It Be",
        "Rock",
        1970,
        None,
    ),
    (
        "simon.flac",
        "Simon & Garfunkel",
        "The Boxer",
        "Folk",
        1969,
        None,
    ),
    ("snsd.flac", "소녀시대", "Gee", "K-Pop", 2009, None),
    (
        "sakamoto.flac",
        "坂本龍一",
        "Merry Christmas Mr. Lawrence",
        "Soundtrack",
        1983,
        None,
    ),
    (
        "daft punk.flac",
        "Daft Punk",
        "One More Time",
        "French House",
        2000,
        None,
    ),
];

/// A scanned library of the six songs above (one small FLAC, retagged).
pub fn library() -> TempLibrary {
    let names: Vec<&str> = SONGS.iter().map(|s| s.0).collect();
    TempLibrary::retagged(&names, |i, tag| {
        let (_, artist, title, genre, year, mbid) = SONGS[i];
        tag.set_artist(artist.to_string());
        tag.set_title(title.to_string());
        tag.set_genre(genre.to_string());
        tag.set_album(format!("{title} album"));
        tag.insert_text(ItemKey::Year, year.to_string());
        if let Some(mbid) = mbid {
            tag.insert_text(ItemKey::MusicBrainzRecordingId, mbid.to_string());
        }
    })
}

pub fn count(conn: &rusqlite::Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

/// Row counts of every table an import writes.
pub fn snapshot(conn: &rusqlite::Connection) -> Vec<i64> {
    [
        "plays",
        "ext_items",
        "history_events",
        "playlist_entries",
        "shared_users",
        "shared_interactions",
        "item_tags",
        "item_factors",
        "imports",
    ]
    .iter()
    .map(|t| count(conn, &format!("SELECT count(*) FROM {t}")))
    .collect()
}
