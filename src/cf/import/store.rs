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

impl Items {
    pub fn new() -> Self {
        Self::default()
    }

    /// The id of the item, creating it if new. `None` if the names reduce to nothing.
    pub fn id(
        &mut self,
        conn: &Connection,
        kind: ItemKind,
        artist: &str,
        title: Option<&str>,
        mbid: Option<&str>,
    ) -> rusqlite::Result<Option<i64>> {
        let key = item_key(kind, artist, title);
        let empty = match kind {
            ItemKind::Track => key.starts_with("t:\u{1f}") || key.ends_with('\u{1f}'),
            ItemKind::Artist => key == "a:",
        };
        if empty {
            return Ok(None);
        }
        if let Some(&id) = self.cache.get(&key) {
            self.touched.insert(id);
            return Ok(Some(id));
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
        Ok(Some(id))
    }
}
