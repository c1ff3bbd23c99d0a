//! The model of the shared co-listening data (or imported item factors) that the listener is folded
//! into, without retraining anything per play, and its scores of library tracks with the reason
//! ("because you played …").

use std::collections::{HashMap, HashSet};

use ndarray::Array2;
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use std::path::{Path, PathBuf};

use super::als::FoldIn;
use super::listener::Listener;
use super::matrix::Csr;
use super::model::Trained;
use super::model_file::{self, ModelFileError};
use super::tune::{Recipe, Tuned};
use crate::text::match_key::artist_key;

#[derive(Debug, thiserror::Error)]
pub enum SharedModelError {
    #[error("database: {0}")]
    Db(#[from] rusqlite::Error),
    #[error(transparent)]
    Model(#[from] super::ease::EaseError),
    #[error("shared model file: {0}")]
    File(#[from] ModelFileError),
}

fn column_ids(items: &[i64]) -> HashMap<i64, u32> {
    items
        .iter()
        .enumerate()
        .map(|(c, &id)| (id, c as u32))
        .collect()
}

/// Writes the model beside its final name and renames it into place, so that a reader (another
/// process) never sees half a file.
fn write_atomically(
    path: &Path,
    header: &impl Serialize,
    model: &Trained,
) -> Result<(), ModelFileError> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let partial = path.with_extension(format!("partial-{}", std::process::id()));
    let file = std::fs::File::create(&partial)?;
    let written = model_file::write(&file, header, model).and_then(|()| Ok(file.sync_all()?));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&partial);
        return Err(e);
    }
    std::fs::rename(&partial, path)?;
    Ok(())
}

/// Tracks (best CF score first) that get a "because you played …"; lists never show more.
const EXPLAINED: usize = 500;

/// The shared-data model (or imported factors) the listener is folded into.
pub struct SharedModel {
    pub name: String,
    /// Trained by this load (false when read from the data folder, and for imported factors):
    /// what a cache of the model saves.
    pub trained_here: bool,
    /// Column → ext_items id.
    pub items: Vec<i64>,
    columns: HashMap<i64, u32>,
    /// Column → what the item is (read once with the model: a query per item costs seconds on
    /// 100k items).
    info: Vec<ItemInfo>,
    model: Trained,
}

/// A shared item as the scores need it: a song matched to a library track, or an artist.
#[derive(Debug, Clone, Default)]
struct ItemInfo {
    is_track: bool,
    artist: String,
    track_id: Option<i64>,
}

/// What each column's item is.
fn item_info(conn: &Connection, columns: &HashMap<i64, u32>) -> rusqlite::Result<Vec<ItemInfo>> {
    let mut info = vec![ItemInfo::default(); columns.len()];
    let mut stmt = conn.prepare("SELECT id, kind, artist, track_id FROM ext_items")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        if let Some(&c) = columns.get(&r.get::<_, i64>(0)?) {
            info[c as usize] = ItemInfo {
                is_track: r.get::<_, String>(1)? == "track",
                artist: r.get(2)?,
                track_id: r.get(3)?,
            };
        }
    }
    Ok(info)
}

/// The shared interactions as a matrix, with the ext_items id of each column and the tag rows of
/// those items (imported Last.fm tags, see [`super::tags`]).
pub struct SharedData {
    pub items: Vec<i64>,
    pub matrix: Csr,
    pub tags: Option<Csr>,
}

impl SharedData {
    pub fn read(conn: &Connection) -> rusqlite::Result<Self> {
        let mut items: Vec<i64> = Vec::new();
        let mut columns: HashMap<i64, u32> = HashMap::new();
        let mut users: HashMap<i64, u32> = HashMap::new();
        let mut triples = Vec::new();
        let mut stmt = conn.prepare("SELECT user_id, item_id, weight FROM shared_interactions")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let (user, item, weight): (i64, i64, f64) = (r.get(0)?, r.get(1)?, r.get(2)?);
            let next = users.len() as u32;
            let u = *users.entry(user).or_insert(next);
            let c = *columns.entry(item).or_insert_with(|| {
                items.push(item);
                items.len() as u32 - 1
            });
            triples.push((u, c, weight as f32));
        }
        let mut pairs: Vec<(u32, String)> = Vec::new();
        let mut stmt = conn.prepare("SELECT item_id, tag FROM item_tags")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            if let Some(&c) = columns.get(&r.get::<_, i64>(0)?) {
                pairs.push((c, r.get(1)?));
            }
        }
        Ok(SharedData {
            matrix: Csr::from_triples(users.len(), items.len(), &triples),
            tags: super::tags::tag_rows(pairs.iter().map(|(c, t)| (*c, t.as_str())), items.len()),
            items,
        })
    }
}

/// Names the shared data as it is now: shared imports and interaction rows. A stored choice or
/// model file made on another version is stale.
pub fn shared_version(conn: &Connection) -> rusqlite::Result<String> {
    conn.query_row(
        "SELECT (SELECT count(*) FROM imports WHERE kind = 'shared'),
                (SELECT coalesce(max(id), 0) FROM imports WHERE kind = 'shared'),
                (SELECT count(*) FROM shared_interactions)",
        [],
        |r| {
            Ok(format!(
                "{}:{}:{}",
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?
            ))
        },
    )
}

/// The stored choice, if it was made on the shared data as it is now.
pub fn stored_choice(conn: &Connection, version: &str) -> rusqlite::Result<Option<Recipe>> {
    let row: Option<(String, String)> = conn
        .query_row(
            "SELECT shared_version, recipe FROM cf_choice WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    Ok(row
        .filter(|(v, _)| v == version)
        .and_then(|(_, recipe)| serde_json::from_str(&recipe).ok()))
}

/// Stores tuning's choice for the shared data at `version`.
pub fn store_choice(conn: &Connection, version: &str, tuned: &Tuned) -> rusqlite::Result<()> {
    let recipe = serde_json::to_string(&tuned.winner.recipe).expect("a recipe serialises");
    let report = serde_json::to_string(tuned).expect("a report serialises");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0);
    conn.execute(
        "INSERT INTO cf_choice (id, shared_version, recipe, report, tuned_at)
         VALUES (1, ?1, ?2, ?3, ?4)
         ON CONFLICT (id) DO UPDATE SET shared_version = ?1, recipe = ?2, report = ?3,
             tuned_at = max(tuned_at + 1, ?4)",
        rusqlite::params![version, recipe, report, now],
    )?;
    Ok(())
}

/// What tuning chose and when (the report's JSON and the time in Unix milliseconds), if it is
/// for the shared data as it is now.
pub fn tuning_report(conn: &Connection) -> rusqlite::Result<Option<(serde_json::Value, i64)>> {
    let version = shared_version(conn)?;
    let row: Option<(String, String, i64)> = conn
        .query_row(
            "SELECT shared_version, report, tuned_at FROM cf_choice WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    Ok(row
        .filter(|(v, _, _)| *v == version)
        .and_then(|(_, report, at)| Some((serde_json::from_str(&report).ok()?, at))))
}

/// Where the trained shared model is kept: `models/shared-cf.bin` beside the database (none for an
/// in-memory database).
pub fn model_path(conn: &Connection) -> Option<PathBuf> {
    let db = conn.path().filter(|p| !p.is_empty())?;
    Some(Path::new(db).parent()?.join("models").join("shared-cf.bin"))
}

/// The model file's header.
#[derive(Serialize, Deserialize)]
struct FileHeader {
    shared_version: String,
    recipe: Recipe,
    name: String,
    items: Vec<i64>,
}

impl SharedModel {
    /// Imported factors if there are any (the most recently imported model); else the model
    /// trained on the shared interactions, read from the data folder when it is current, or
    /// trained now (the stored choice, or the default) and kept there; `None` without shared data.
    pub fn load(conn: &Connection) -> Result<Option<Self>, SharedModelError> {
        if let Some(model) = Self::imported_factors(conn)? {
            return Ok(Some(model));
        }
        let version = shared_version(conn)?;
        let choice = stored_choice(conn, &version)?;
        if let Some(path) = model_path(conn) {
            match Self::read_file(conn, &path, &version, choice.as_ref()) {
                Ok(Some(model)) => return Ok(Some(model)),
                Ok(None) => {}
                Err(e) => log::warn!("{}: {e}; training the shared model again", path.display()),
            }
        }
        let data = SharedData::read(conn)?;
        if data.matrix.nnz() == 0 {
            return Ok(None);
        }
        let recipe = choice.unwrap_or_else(|| super::tune::default_recipe(&data.matrix));
        Self::train(conn, data, &recipe, &version).map(Some)
    }

    /// Trains `recipe` on `data` and keeps the model in the data folder (a failure to write is
    /// logged: the model is still used).
    pub fn train(
        conn: &Connection,
        data: SharedData,
        recipe: &Recipe,
        version: &str,
    ) -> Result<Self, SharedModelError> {
        let model = recipe.fit(&data.matrix, data.tags.as_ref())?;
        let name = format!(
            "{} on {} shared listeners",
            recipe.describe(),
            data.matrix.rows
        );
        if let Some(path) = model_path(conn) {
            let header = FileHeader {
                shared_version: version.to_owned(),
                recipe: recipe.clone(),
                name: name.clone(),
                items: data.items.clone(),
            };
            if let Err(e) = write_atomically(&path, &header, &model) {
                log::warn!("cannot keep the shared model in {}: {e}", path.display());
            }
        }
        let columns = column_ids(&data.items);
        Ok(SharedModel {
            name,
            trained_here: true,
            info: item_info(conn, &columns)?,
            items: data.items,
            columns,
            model,
        })
    }

    /// The kept model, if it was trained on the shared data at `version` with the stored `choice`
    /// (any recipe when nothing was chosen); the header decides before the model is decoded.
    fn read_file(
        conn: &Connection,
        path: &Path,
        version: &str,
        choice: Option<&Recipe>,
    ) -> Result<Option<Self>, SharedModelError> {
        let file = match std::fs::File::open(path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(ModelFileError::Io(e).into()),
        };
        let len = file.metadata().map_err(ModelFileError::Io)?.len();
        let current =
            |h: &FileHeader| h.shared_version == version && choice.is_none_or(|r| *r == h.recipe);
        let Some((header, model)) = model_file::read(file, len, current)? else {
            return Ok(None);
        };
        let columns = column_ids(&header.items);
        Ok(Some(SharedModel {
            name: header.name,
            trained_here: false,
            info: item_info(conn, &columns)?,
            items: header.items,
            columns,
            model,
        }))
    }

    fn imported_factors(conn: &Connection) -> Result<Option<Self>, SharedModelError> {
        let Some((model, rank, reg, alpha)): Option<(String, i64, f64, f64)> = conn
            .query_row(
                "SELECT model, rank, regularization, alpha FROM factor_models
                 ORDER BY imported_at DESC, model LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?
        else {
            return Ok(None);
        };
        let rank = rank as usize;
        let mut items = Vec::new();
        let mut data = Vec::new();
        let mut stmt = conn.prepare("SELECT item_id, vector FROM item_factors WHERE model = ?1")?;
        let mut rows = stmt.query([&model])?;
        while let Some(r) = rows.next()? {
            let blob: Vec<u8> = r.get(1)?;
            if blob.len() != rank * 4 {
                continue;
            }
            items.push(r.get::<_, i64>(0)?);
            data.extend(
                blob.chunks_exact(4)
                    .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])),
            );
        }
        if items.is_empty() {
            return Ok(None);
        }
        let factors =
            Array2::from_shape_vec((items.len(), rank), data).expect("rows of `rank` floats each");
        let fold = FoldIn::new(factors, reg as f32, alpha as f32);
        let columns = items
            .iter()
            .enumerate()
            .map(|(c, &id)| (id, c as u32))
            .collect();
        Ok(Some(SharedModel {
            name: format!("imported factors {model}"),
            trained_here: false,
            items,
            info: item_info(conn, &columns)?,
            columns,
            model: Trained::from_factors(fold),
        }))
    }

    /// The listener's items that the model knows, as (column, weight), sorted by column.
    fn listener_row(&self, listener: &Listener) -> (Vec<u32>, Vec<f32>) {
        let mut row: Vec<(u32, f32)> = listener
            .items
            .iter()
            .filter_map(|(id, &w)| self.columns.get(id).map(|&c| (c, w)))
            .collect();
        row.sort_unstable_by_key(|&(c, _)| c);
        row.into_iter().unzip()
    }
}

/// One library track's CF evidence.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TrackScore {
    pub track_id: i64,
    /// From the shared-data model (0 when it has no opinion).
    pub cf: f32,
    /// From session co-occurrence with the listener's own plays.
    pub session: f32,
    /// The listener's song or artist that contributes most ("because you played …").
    pub because: Option<String>,
}

impl TrackScore {
    pub(super) fn new(track_id: i64) -> Self {
        TrackScore {
            track_id,
            cf: 0.0,
            session: 0.0,
            because: None,
        }
    }
}

/// Library track ids per artist key (artist-level shared data scores every track by the artist).
fn tracks_by_artist(conn: &Connection) -> rusqlite::Result<HashMap<String, Vec<i64>>> {
    let mut out: HashMap<String, Vec<i64>> = HashMap::new();
    let mut stmt = conn.prepare("SELECT id, artist FROM tracks WHERE missing = 0")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        out.entry(artist_key(&r.get::<_, String>(1)?))
            .or_default()
            .push(r.get(0)?);
    }
    Ok(out)
}

/// Adds the shared model's scores (normalised to at most 1) to `by_track`, with the listener's item
/// that contributes most to each ("because you played …").
pub(super) fn add_shared_scores(
    conn: &Connection,
    shared: &SharedModel,
    listener: &Listener,
    by_track: &mut HashMap<i64, TrackScore>,
) -> Result<(), SharedModelError> {
    let (cols, weights) = shared.listener_row(listener);
    if cols.is_empty() {
        return Ok(());
    }
    let item_scores = shared.model.scores_for_new(&cols, &weights);
    let max = item_scores
        .iter()
        .cloned()
        .fold(f32::MIN_POSITIVE, f32::max);
    let mut artists: Option<HashMap<String, Vec<i64>>> = None;
    let mine: HashSet<u32> = cols.iter().copied().collect();
    // Library track → the column that gave it its score.
    let mut best_column: HashMap<i64, u32> = HashMap::new();
    for (c, &s) in item_scores.iter().enumerate() {
        if s <= 0.0 || mine.contains(&(c as u32)) {
            continue;
        }
        let ItemInfo {
            is_track,
            artist,
            track_id,
        } = &shared.info[c];
        let targets: &[i64] = match (is_track, track_id) {
            (true, Some(t)) => std::slice::from_ref(t),
            (false, _) => {
                // The library's tracks by artist, made once and only for artist-level data.
                if artists.is_none() {
                    artists = Some(tracks_by_artist(conn)?);
                }
                artists
                    .as_ref()
                    .and_then(|a| a.get(&artist_key(artist)))
                    .map(Vec::as_slice)
                    .unwrap_or(&[])
            }
            _ => &[],
        };
        for &t in targets {
            let score = by_track.entry(t).or_insert_with(|| TrackScore::new(t));
            if s / max > score.cf {
                score.cf = s / max;
                best_column.insert(t, c as u32);
            }
        }
    }
    // Reasons for the best-scored tracks only: finding the listener's item that contributes most
    // is a pass over all their items per track.
    let mut explained: Vec<(i64, u32)> = best_column.into_iter().collect();
    explained.sort_by(|a, b| {
        let (x, y) = (by_track[&a.0].cf, by_track[&b.0].cf);
        y.total_cmp(&x).then(a.0.cmp(&b.0))
    });
    explained.truncate(EXPLAINED);
    let targets: Vec<u32> = explained.iter().map(|&(_, column)| column).collect();
    let strongest = shared
        .model
        .strongest_contributors(&cols, &weights, &targets);
    let mut name_of = conn.prepare("SELECT artist, title FROM ext_items WHERE id = ?1")?;
    for ((track, _), from) in explained.into_iter().zip(strongest) {
        if let (Some(f), Some(score)) = (from, by_track.get_mut(&track)) {
            let (artist, title): (String, Option<String>) = name_of
                .query_row([shared.items[cols[f] as usize]], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?;
            score.because = Some(match title {
                Some(t) => format!("{artist} – {t}"),
                None => artist,
            });
        }
    }
    Ok(())
}

/// The shared model's scores of library tracks (no session evidence), in no order.
pub fn shared_scores(
    conn: &Connection,
    shared: &SharedModel,
    listener: &Listener,
) -> Result<Vec<TrackScore>, SharedModelError> {
    let mut by_track: HashMap<i64, TrackScore> = HashMap::new();
    add_shared_scores(conn, shared, listener, &mut by_track)?;
    Ok(by_track.into_values().collect())
}
