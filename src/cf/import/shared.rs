//! Readers of shared co-listening data: HetRec Last.fm play counts (with its user tags), Last.fm
//! style listening logs of many users, Million Playlist Dataset slices, and item factor files.

use std::collections::HashMap;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use rusqlite::params;
use serde_json::Value;

use super::json_stream::for_each_element;
use super::lines::{Line, Lines};
use super::store::ItemKind;
use super::time::parse_timestamp;
use super::{ImportError, Importer, Result};

/// Shared users by name, cached for the import.
#[derive(Default)]
struct Users(HashMap<String, i64>);

impl Users {
    fn id(&mut self, imp: &Importer, source: &str, name: &str) -> Result<i64> {
        if let Some(&id) = self.0.get(name) {
            return Ok(id);
        }
        let id: i64 = imp
            .conn
            .prepare_cached(
                "INSERT INTO shared_users (source, name) VALUES (?1, ?2)
                 ON CONFLICT(source, name) DO UPDATE SET name = excluded.name RETURNING id",
            )?
            .query_row(params![source, name], |r| r.get(0))?;
        if self.0.len() > 1_000_000 {
            self.0.clear();
        }
        self.0.insert(name.to_owned(), id);
        Ok(id)
    }
}

/// Adds `weight` to a user's count for an item (`replace`: sets it instead).
fn add_interaction(imp: &Importer, user: i64, item: i64, weight: f64, replace: bool) -> Result<()> {
    let sql = if replace {
        "INSERT INTO shared_interactions (user_id, item_id, weight) VALUES (?1, ?2, ?3)
         ON CONFLICT(user_id, item_id) DO UPDATE SET weight = excluded.weight"
    } else {
        "INSERT INTO shared_interactions (user_id, item_id, weight) VALUES (?1, ?2, ?3)
         ON CONFLICT(user_id, item_id) DO UPDATE SET weight = weight + excluded.weight"
    };
    imp.conn
        .prepare_cached(sql)?
        .execute(params![user, item, weight])?;
    Ok(())
}

/// Numbered non-blank lines of `path` (invalid UTF-8 decoded lossily, CR dropped, each held to
/// [`MAX_LINE`](super::lines::MAX_LINE)); blank lines mean nothing in any of these formats.
fn lines(imp: &Importer, path: &Path) -> Result<impl Iterator<Item = (usize, Result<Line>)>> {
    let file = imp.open_file(path)?;
    let owned = path.to_owned();
    Ok(Lines::new(BufReader::new(file)).map(move |(n, line)| {
        let line = line.map_err(|source| ImportError::Io {
            path: owned.clone(),
            source,
        });
        (n, line)
    }))
}

/// Reads a two-or-more-column `id<TAB>value` file with a header into a map.
fn id_map(imp: &Importer, path: &Path, header: &str) -> Result<HashMap<String, String>> {
    let mut map = HashMap::new();
    for (n, line) in lines(imp, path)? {
        // A line too long to be a name names nothing: the rows that point at it are skipped.
        let Line::Text { text: line, .. } = line? else {
            continue;
        };
        if n == 1 {
            if !line.to_lowercase().starts_with(header) {
                return Err(ImportError::WrongFormat {
                    path: path.to_owned(),
                    format: "HetRec Last.fm",
                    reason: format!("line 1 should start with {header:?}"),
                });
            }
            continue;
        }
        if let Some((id, rest)) = line.split_once('\t') {
            let value = rest.split('\t').next().unwrap_or("").trim();
            map.insert(id.trim().to_owned(), value.to_owned());
        }
    }
    Ok(map)
}

/// HetRec 2011 Last.fm: `user_artists.dat` (`userID artistID weight`, tab-separated, header line),
/// with `artists.dat` beside it for names, and `user_taggedartists.dat` + `tags.dat` for tags.
/// `imp.path` is the user_artists file or the folder holding it.
pub fn hetrec(imp: &mut Importer) -> Result<()> {
    const FORMAT: &str = "HetRec Last.fm";
    let (dir, counts): (PathBuf, PathBuf) = if imp.path.is_dir() {
        (imp.path.clone(), imp.path.join("user_artists.dat"))
    } else {
        (
            imp.path.parent().unwrap_or(Path::new(".")).to_owned(),
            imp.path.clone(),
        )
    };
    let artists_file = dir.join("artists.dat");
    if !artists_file.is_file() {
        return Err(imp.wrong_format(
            FORMAT,
            format!(
                "{} (artist names) is missing beside it",
                artists_file.display()
            ),
        ));
    }
    let mut rows = lines(imp, &counts)?;
    match rows.next() {
        Some((_, Ok(Line::Text { text: head, .. })))
            if head.to_lowercase().split('\t').collect::<Vec<_>>()
                == ["userid", "artistid", "weight"] => {}
        Some((_, Err(e))) => return Err(e),
        _ => {
            return Err(imp.wrong_format(
                FORMAT,
                "line 1 should be the header userID<TAB>artistID<TAB>weight",
            ))
        }
    }
    let names = id_map(imp, &artists_file, "id\tname")?;
    let mut users = Users::default();
    let mut artist_items: HashMap<String, i64> = HashMap::new();
    // Artist ids whose names fold to one key ("Scorpions", "The Scorpions") are one item: their
    // counts are summed here, then stored once (replacing what an earlier version of the file gave).
    let mut counts_of: HashMap<(i64, i64), f64> = HashMap::new();
    for (n, line) in rows {
        imp.report.read += 1;
        let at = format!("line {n}");
        let Some((line, ended)) = imp.line_text(&at, line?) else {
            continue;
        };
        let f: Vec<&str> = line.split('\t').map(str::trim).collect();
        if f.len() < 3 {
            if !ended {
                return Err(imp.cut_short(at));
            }
            imp.skip(
                at,
                format!("{} fields, expected userID, artistID, weight", f.len()),
            );
            continue;
        }
        let Some(weight) = f[2]
            .parse::<f64>()
            .ok()
            .filter(|w| w.is_finite() && *w > 0.0)
        else {
            imp.skip(at, format!("weight {:?} is not a positive number", f[2]));
            continue;
        };
        let Some(name) = names.get(f[1]) else {
            imp.skip(at, format!("artist {} is not in artists.dat", f[1]));
            continue;
        };
        let item = match imp.items.id(imp.conn, ItemKind::Artist, name, None, None)? {
            Ok(item) => item,
            Err(why) => {
                imp.skip(at, why.reason("the artist has no name"));
                continue;
            }
        };
        artist_items.insert(f[1].to_owned(), item);
        let user = users.id(imp, "hetrec", f[0])?;
        *counts_of.entry((user, item)).or_default() += weight;
        imp.report.imported += 1;
    }
    let mut summed: Vec<((i64, i64), f64)> = counts_of.into_iter().collect();
    summed.sort_unstable_by_key(|&(key, _)| key);
    for ((user, item), weight) in summed {
        add_interaction(imp, user, item, weight, true)?;
    }
    let (tagged, tag_names) = (dir.join("user_taggedartists.dat"), dir.join("tags.dat"));
    if tagged.is_file() && tag_names.is_file() {
        let tags = id_map(imp, &tag_names, "tagid\ttagvalue")?;
        let mut per_item: HashMap<(i64, String), f64> = HashMap::new();
        for (n, line) in lines(imp, &tagged)?.skip(1) {
            let Line::Text { text: line, .. } = line? else {
                continue;
            };
            let f: Vec<&str> = line.split('\t').collect();
            let (Some(item), Some(tag)) = (
                f.get(1).and_then(|a| artist_items.get(a.trim())),
                f.get(2).and_then(|t| tags.get(t.trim())),
            ) else {
                log::debug!("{}: line {n}: unknown artist or tag", tagged.display());
                continue;
            };
            *per_item.entry((*item, tag.clone())).or_default() += 1.0;
        }
        let mut insert = imp.conn.prepare(
            "INSERT INTO item_tags (item_id, tag, weight) VALUES (?1, ?2, ?3)
             ON CONFLICT(item_id, tag) DO UPDATE SET weight = excluded.weight",
        )?;
        for ((item, tag), weight) in per_item {
            insert.execute(params![item, tag, weight])?;
        }
    }
    Ok(())
}

/// Listening logs of many users, one play per line: `user, timestamp, artist MBID, artist, track
/// MBID, track` (the Last.fm 1K layout). Plays are summed per user and song.
pub fn lastfm_log(imp: &mut Importer) -> Result<()> {
    const FORMAT: &str = "Last.fm listening log";
    let path = imp.path.clone();
    let mut users = Users::default();
    let mut data_seen = false;
    for (n, line) in lines(imp, &path)? {
        let at = format!("line {n}");
        let Some((line, ended)) = imp.line_text(&at, line?) else {
            imp.report.read += 1;
            continue;
        };
        let f: Vec<&str> = line.split('\t').map(str::trim).collect();
        let time = f.get(1).and_then(|t| parse_timestamp(t));
        if !data_seen && (f.len() < 6 || time.is_none()) {
            if n == 1 && f.get(1).is_some_and(|h| h.to_lowercase().contains("time")) {
                continue;
            }
            return Err(imp.wrong_format(
                FORMAT,
                format!("{at}: expected user, timestamp, artist MBID, artist, track MBID, track"),
            ));
        }
        data_seen = true;
        imp.report.read += 1;
        if f.len() < 6 {
            if !ended {
                return Err(imp.cut_short(at));
            }
            imp.skip(at, format!("{} fields, expected 6", f.len()));
            continue;
        }
        if time.is_none() {
            imp.skip(at, format!("unreadable timestamp {:?}", f[1]));
            continue;
        }
        let mbid = Some(f[4]).filter(|m| !m.is_empty());
        let item = match imp
            .items
            .id(imp.conn, ItemKind::Track, f[3], Some(f[5]), mbid)?
        {
            Ok(item) => item,
            Err(why) => {
                imp.skip(at, why.reason("no artist or no title"));
                continue;
            }
        };
        let user = users.id(imp, "lastfm-log", f[0])?;
        add_interaction(imp, user, item, 1.0, false)?;
        imp.report.imported += 1;
    }
    if !data_seen {
        return Err(imp.wrong_format(FORMAT, "no plays in the file"));
    }
    Ok(())
}

/// A Million Playlist Dataset slice: `{"info": …, "playlists": [{"pid", "name", "tracks": [{"artist_name",
/// "track_name", …}]}]}`. Each playlist is one shared "listener".
pub fn mpd(imp: &mut Importer) -> Result<()> {
    const FORMAT: &str = "Million Playlist Dataset slice";
    let file = imp.open()?;
    let mut users = Users::default();
    let mut seen = 0usize;
    let result = for_each_element(file, Some("playlists"), |i, playlist| -> Result<()> {
        seen = i + 1;
        let at = format!("playlist {}", i + 1);
        let Some(tracks) = playlist.get("tracks").and_then(Value::as_array) else {
            if i == 0 {
                return Err(imp.wrong_format(FORMAT, "the first playlist has no \"tracks\" array"));
            }
            imp.report.read += 1;
            imp.skip(at, "no \"tracks\" array");
            return Ok(());
        };
        let pid = match &playlist["pid"] {
            Value::Number(n) => n.to_string(),
            Value::String(s) => s.clone(),
            _ => format!("{}#{}", imp.report.path, i),
        };
        let user = users.id(imp, "mpd", &pid)?;
        for (t, track) in tracks.iter().enumerate() {
            imp.report.read += 1;
            let (Some(artist), Some(title)) = (
                track.get("artist_name").and_then(Value::as_str),
                track.get("track_name").and_then(Value::as_str),
            ) else {
                imp.skip(
                    format!("{at} track {}", t + 1),
                    "no artist_name or track_name",
                );
                continue;
            };
            let item = match imp
                .items
                .id(imp.conn, ItemKind::Track, artist, Some(title), None)?
            {
                Ok(item) => item,
                Err(why) => {
                    let reason = why.reason("empty artist or title");
                    imp.skip(format!("{at} track {}", t + 1), reason);
                    continue;
                }
            };
            add_interaction(imp, user, item, 1.0, true)?;
            imp.report.imported += 1;
        }
        Ok(())
    });
    imp.finish_stream(FORMAT, seen, result)
}

/// The largest factor rank a factor file may declare.
pub const MAX_FACTOR_RANK: usize = 1024;

/// Item factors: JSON lines, the first a header `{"format": "sonare-factors", "version": 1, "model",
/// "rank", "regularization", "alpha", …}`, then `{"artist", "title"?, "mbid"?, "factors": [rank floats]}`
/// (no title: an artist-level factor). Replaces earlier factors of the same model.
pub fn factors(imp: &mut Importer) -> Result<()> {
    const FORMAT: &str = "Sonare factor file";
    let path = imp.path.clone();
    let mut rows = lines(imp, &path)?;
    let header: Value = match rows.next() {
        Some((_, line)) => match line? {
            Line::Text { text, .. } => serde_json::from_str(&text).map_err(|e| {
                imp.wrong_format(FORMAT, format!("line 1 is not a JSON header: {e}"))
            })?,
            Line::TooLong { bytes } => {
                return Err(imp.wrong_format(FORMAT, Line::too_long_reason(bytes)))
            }
        },
        None => return Err(imp.wrong_format(FORMAT, "the file is empty")),
    };
    if header["format"] != "sonare-factors" || header["version"] != 1 {
        return Err(imp.wrong_format(
            FORMAT,
            "line 1 is not {\"format\": \"sonare-factors\", \"version\": 1, …}",
        ));
    }
    let (Some(model), Some(rank)) = (header["model"].as_str(), header["rank"].as_u64()) else {
        return Err(imp.wrong_format(FORMAT, "the header has no \"model\" or \"rank\""));
    };
    // A rank of 0 scores nothing; a huge one would need gigabytes per thousand items.
    if rank == 0 || rank > MAX_FACTOR_RANK as u64 {
        return Err(imp.broken(
            "line 1",
            format!("rank {rank} is outside 1..={MAX_FACTOR_RANK} (nothing was imported)"),
        ));
    }
    let rank = rank as usize;
    for key in ["regularization", "alpha"] {
        let value = &header[key];
        if !value.is_null() && !value.as_f64().is_some_and(|v| v.is_finite() && v >= 0.0) {
            return Err(imp.broken(
                "line 1",
                format!("{key} {value} is not a non-negative number (nothing was imported)"),
            ));
        }
    }
    let model = model.to_owned();
    imp.conn
        .execute("DELETE FROM item_factors WHERE model = ?1", [&model])?;
    imp.conn.execute(
        "INSERT OR REPLACE INTO factor_models (model, rank, regularization, alpha, meta, imported_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            model,
            rank as i64,
            header["regularization"].as_f64().unwrap_or(0.1),
            header["alpha"].as_f64().unwrap_or(1.0),
            header.to_string(),
            crate::db::now_unix()
        ],
    )?;
    let mut insert = imp.conn.prepare(
        "INSERT OR REPLACE INTO item_factors (item_id, model, vector) VALUES (?1, ?2, ?3)",
    )?;
    for (n, line) in rows {
        imp.report.read += 1;
        let at = format!("line {n}");
        let Some((line, _)) = imp.line_text(&at, line?) else {
            continue;
        };
        let row: Value = match serde_json::from_str(&line) {
            Ok(v) => v,
            Err(e) => {
                imp.skip(at, format!("malformed JSON: {e}"));
                continue;
            }
        };
        // A vector that does not fit the header means the file is not what it says: refused
        // whole, as a model with holes or infinities would rank nonsense.
        let Some(values) = row["factors"].as_array() else {
            return Err(imp.broken(at, "no \"factors\" array (nothing was imported)"));
        };
        if values.len() != rank {
            return Err(imp.broken(
                at,
                format!(
                    "{} factors where the header's rank is {rank} (nothing was imported)",
                    values.len()
                ),
            ));
        }
        let vector: Option<Vec<f32>> = values
            .iter()
            .map(|x| x.as_f64().map(|v| v as f32).filter(|v| v.is_finite()))
            .collect();
        let Some(vector) = vector else {
            return Err(imp.broken(at, "a factor is not a finite number (nothing was imported)"));
        };
        let Some(artist) = row["artist"].as_str() else {
            imp.skip(at, "no \"artist\"");
            continue;
        };
        let title = row["title"].as_str();
        let kind = if title.is_some() {
            ItemKind::Track
        } else {
            ItemKind::Artist
        };
        let item = match imp
            .items
            .id(imp.conn, kind, artist, title, row["mbid"].as_str())?
        {
            Ok(item) => item,
            Err(why) => {
                imp.skip(at, why.reason("empty artist or title"));
                continue;
            }
        };
        let blob: Vec<u8> = vector.iter().flat_map(|v| v.to_le_bytes()).collect();
        insert.execute(params![item, model, blob])?;
        imp.report.imported += 1;
    }
    Ok(())
}
