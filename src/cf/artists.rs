//! "Listeners of this artist also play": artists of the library that the same shared listeners
//! (or playlists) hold, by co-occurrence normalised for popularity (cosine over listener sets).

use std::collections::{HashMap, HashSet};

use rusqlite::Connection;

use crate::text::match_key::artist_key;

const SHRINK: f32 = 3.0;

/// The artist key of an `ext_items` key ('a:' key, or 't:' key U+001F title key).
fn artist_of_item(key: &str) -> Option<&str> {
    let rest = key.strip_prefix("a:").or_else(|| key.strip_prefix("t:"))?;
    Some(rest.split('\u{1f}').next().unwrap_or(rest))
}

/// Up to `k` library artists (display names) most co-listened with `artist` in the shared data,
/// with a 0–1 score; empty without shared data or when no shared listener plays the artist.
pub fn co_listened(
    conn: &Connection,
    artist: &str,
    k: usize,
) -> rusqlite::Result<Vec<(String, f32)>> {
    let me = artist_key(artist);
    if me.is_empty() {
        return Ok(Vec::new());
    }
    // Library artists by key (the first spelling met names them).
    let mut library: HashMap<String, String> = HashMap::new();
    let mut stmt = conn.prepare(
        "SELECT DISTINCT COALESCE(NULLIF(TRIM(album_artist), ''), artist) FROM tracks WHERE missing = 0
         UNION SELECT DISTINCT artist FROM tracks WHERE missing = 0",
    )?;
    for name in stmt.query_map([], |r| r.get::<_, String>(0))? {
        let name = name?;
        library.entry(artist_key(&name)).or_insert(name);
    }
    // Each shared listener's set of artists.
    let mut stmt = conn.prepare(
        "SELECT si.user_id, x.key FROM shared_interactions si JOIN ext_items x ON x.id = si.item_id",
    )?;
    let mut listeners: HashMap<i64, HashSet<String>> = HashMap::new();
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let key: String = r.get(1)?;
        if let Some(a) = artist_of_item(&key) {
            listeners.entry(r.get(0)?).or_default().insert(a.to_owned());
        }
    }
    let mut fans: HashMap<&str, u32> = HashMap::new();
    let mut together: HashMap<&str, u32> = HashMap::new();
    for artists in listeners.values() {
        let mine = artists.contains(&me);
        for a in artists {
            *fans.entry(a.as_str()).or_default() += 1;
            if mine && *a != me {
                *together.entry(a.as_str()).or_default() += 1;
            }
        }
    }
    let Some(&my_fans) = fans.get(me.as_str()) else {
        return Ok(Vec::new());
    };
    let mut ranked: Vec<(String, f32)> = together
        .into_iter()
        .filter_map(|(a, both)| {
            let name = library.get(a)?;
            // Shrunk, so that two artists one listener shares do not outrank well-attested pairs.
            let score = both as f32 / (((my_fans * fans[a]) as f32).sqrt() + SHRINK);
            Some((name.clone(), score))
        })
        .collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    ranked.truncate(k);
    Ok(ranked)
}
