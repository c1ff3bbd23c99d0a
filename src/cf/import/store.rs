//! Writing imported items inside the import's transaction: songs and artists keyed by their match
//! key, so the same song named by two sources (or two imports) is one row.

use std::collections::{HashMap, HashSet};

use rusqlite::{params, Connection};

pub use crate::cf::items::{item_key, ItemKind};

/// Item ids of one import, cached (bounded, so memory stays flat on huge files), and the distinct
/// items the import touched (for the match rate).
#[derive(Default)]
pub struct Items {
    cache: HashMap<String, i64>,
    pub touched: HashSet<i64>,
}

const CACHE_LIMIT: usize = 500_000;

/// Longest artist or title an item may have: longer is not a name but a broken or hostile file.
pub const MAX_NAME_BYTES: usize = 4096;

/// Why names make no item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unnamed {
    /// The names reduce to nothing.
    Empty,
    /// An artist or title longer than [`MAX_NAME_BYTES`].
    TooLong,
}

impl Unnamed {
    /// The reason a skipped line gives: `empty` in the format's own words, or the length limit.
    pub fn reason(self, empty: &str) -> String {
        match self {
            Unnamed::Empty => empty.to_owned(),
            Unnamed::TooLong => format!("artist or title longer than {MAX_NAME_BYTES} bytes"),
        }
    }
}

impl Items {
    pub fn new() -> Self {
        Self::default()
    }

    /// The id of the item, creating it if new, or why the names make none.
    pub fn id(
        &mut self,
        conn: &Connection,
        kind: ItemKind,
        artist: &str,
        title: Option<&str>,
        mbid: Option<&str>,
    ) -> rusqlite::Result<Result<i64, Unnamed>> {
        // Checked before folding: a 50 MB "title" would otherwise be normalised and stored.
        let too_long = |text: &str| text.len() > MAX_NAME_BYTES;
        if too_long(artist) || title.is_some_and(too_long) || mbid.is_some_and(too_long) {
            return Ok(Err(Unnamed::TooLong));
        }
        let key = item_key(kind, artist, title);
        let empty = match kind {
            ItemKind::Track => key.starts_with("t:\u{1f}") || key.ends_with('\u{1f}'),
            ItemKind::Artist => key == "a:",
        };
        if empty {
            return Ok(Err(Unnamed::Empty));
        }
        if let Some(&id) = self.cache.get(&key) {
            self.touched.insert(id);
            return Ok(Ok(id));
        }
        let kind_name = match kind {
            ItemKind::Track => "track",
            ItemKind::Artist => "artist",
        };
        let mbid = mbid.map(str::trim).filter(|m| !m.is_empty());
        let id: i64 = conn
            .prepare_cached(
                "INSERT INTO ext_items (kind, key, artist, title, mbid) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(key) DO UPDATE SET mbid = coalesce(ext_items.mbid, excluded.mbid)
                 RETURNING id",
            )?
            .query_row(
                params![kind_name, key, artist.trim(), title.map(str::trim), mbid],
                |r| r.get(0),
            )?;
        if self.cache.len() >= CACHE_LIMIT {
            self.cache.clear();
        }
        self.cache.insert(key, id);
        self.touched.insert(id);
        Ok(Ok(id))
    }
}
