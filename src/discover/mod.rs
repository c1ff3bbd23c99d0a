//! Discover Daily: once per local day, about 30 library tracks the listener has not played lately,
//! chosen by blending the three models (co-listening, audio, metadata text) with weights learned from
//! the listener's own outcomes, shaped for variety and flow, each with a reason; stored, so the day's
//! list is stable and past days stay browsable.
//!
//! `catalog` and `history` read the library and the listener; `taste`, `clusters` and `features`
//! score candidates per model; `blend` and `outcomes` learn the weights; `shape` builds the list;
//! `engine` ties them together (pure, also used by the offline evaluation in `replay`); `store`
//! persists lists and feedback.

pub mod ablation;
pub mod blend;
pub mod catalog;
pub mod clusters;
pub mod engine;
pub mod features;
pub mod history;
pub mod outcomes;
pub mod replay;
pub mod rng;
pub mod shape;
pub mod store;
pub mod taste;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::{Days, Local, NaiveDate, TimeZone};
use rusqlite::Connection;
use serde::Serialize;

use crate::cf::listener::Listener;
use crate::cf::shared_model::{self, SharedModel, SharedModelError};
pub use crate::db::DataVersion;
pub use crate::feedback::Feedback;
use crate::library::browse::{hydrate, TrackRow};
use crate::text::match_key::artist_key;
use blend::{Blend, Features, FEATURES};
use catalog::Catalog;
use engine::{generate, Inputs, Options, Ranking, ReasonKind};
use features::{popularity, SharedScores};
use history::History;
use store::ListHeader;

#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    #[error("database: {0}")]
    Db(#[from] rusqlite::Error),
    #[error("co-listening model: {0}")]
    SharedModel(#[from] SharedModelError),
    #[error("no track with id {0} in the library")]
    UnknownTrack(i64),
    #[error("not a date (YYYY-MM-DD): {0:?}")]
    BadDate(String),
}

pub type Result<T> = std::result::Result<T, DiscoverError>;

/// The listener's local date today.
pub fn today() -> NaiveDate {
    Local::now().date_naive()
}

pub fn parse_day(text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| DiscoverError::BadDate(text.into()))
}

/// How a day keys stored lists and mixes: "2026-11-29".
pub fn day_key(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

/// Unix seconds of local midnight starting `day` (the first, if the clocks change at midnight).
pub fn local_start(day: NaiveDate) -> i64 {
    let midnight = day.and_hms_opt(0, 0, 0).expect("midnight exists");
    Local
        .from_local_datetime(&midnight)
        .earliest()
        .map(|t| t.timestamp())
        .unwrap_or_else(|| midnight.and_utc().timestamp())
}

/// One track of a day's list, as shown.
#[derive(Debug, Clone, Serialize)]
pub struct DailyTrack {
    pub position: i64,
    pub track: TrackRow,
    /// The blend's log-odds.
    pub score: f32,
    /// Each model's score (0–1), by feature name.
    pub scores: HashMap<&'static str, f32>,
    pub reason_kind: ReasonKind,
    pub reason: String,
    pub reason_track: Option<i64>,
    /// The listener's current verdict: "like", "hide", or none.
    pub feedback: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DailyList {
    #[serde(flatten)]
    pub header: ListHeader,
    pub tracks: Vec<DailyTrack>,
}

fn named(x: &Features) -> HashMap<&'static str, f32> {
    FEATURES.iter().copied().zip(x.iter().copied()).collect()
}

/// The stored list of `day`, if there is one.
pub fn load(conn: &Connection, day: NaiveDate) -> Result<Option<DailyList>> {
    let key = day_key(day);
    let Some(header) = store::header(conn, &key)? else {
        return Ok(None);
    };
    let entries = store::entries(conn, &key)?;
    let tracks = hydrate(conn, entries, |e| e.track_id)?
        .into_iter()
        .map(|(track, e)| DailyTrack {
            position: e.position,
            track,
            score: e.score,
            scores: named(&e.features),
            reason_kind: e.reason_kind,
            reason: e.reason,
            reason_track: e.reason_track,
            feedback: e.feedback,
        })
        .collect();
    Ok(Some(DailyList { header, tracks }))
}

/// The list of `day`: the stored one, or (when there is none, or `regenerate`) a new one, generated
/// and stored in one transaction.
pub fn daily(
    conn: &mut Connection,
    day: NaiveDate,
    options: &Options,
    regenerate: bool,
) -> Result<DailyList> {
    daily_cached(conn, day, options, regenerate, &mut None, &load_model)
}

/// What lists are made from that changes only with the library or the imported data: the catalog
/// (tracks, analysis, text profiles), the shared co-listening model and popularity. The app keeps it
/// between generations, so a refresh does not read and tokenise the whole library again.
pub struct Prepared {
    version: DataVersion,
    catalog: Catalog,
    model: Option<Arc<SharedModel>>,
    popular: Vec<f32>,
}

/// Where a preparation gets the shared model from: trained (or read) on the connection it is given,
/// or taken from a cache that does so at most once per data version.
pub type ModelSource<'a> = &'a (dyn Fn(&Connection) -> Result<Option<Arc<SharedModel>>> + Sync);

/// Reads (or trains) the shared model on `conn`, with no cache.
pub fn load_model(conn: &Connection) -> Result<Option<Arc<SharedModel>>> {
    Ok(SharedModel::load(conn)?.map(Arc::new))
}

impl Prepared {
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    pub fn model(&self) -> Option<&SharedModel> {
        self.model.as_deref()
    }

    /// Reads everything for the library as it is at `version`.
    fn load(conn: &Connection, version: DataVersion, model: ModelSource) -> Result<Self> {
        // The shared model is read (or trained) beside the catalog: neither needs the other.
        let (model, catalog) = crate::db::read_beside(conn, model, Catalog::load);
        let (catalog, model) = (catalog?, model?);
        let popular = popularity_of(conn, &catalog)?;
        Ok(Prepared {
            version,
            catalog,
            model,
            popular,
        })
    }
}

/// Fills `prepared` when it is empty or the library or imported data changed since. The app calls
/// it in the background after a start, so the first list of a new day or a refresh does not wait
/// for the whole library to be read.
pub fn prepare(
    conn: &Connection,
    prepared: &mut Option<Prepared>,
    model: ModelSource,
) -> Result<()> {
    let version = DataVersion::read(conn)?;
    if prepared.as_ref().is_none_or(|p| p.version != version) {
        *prepared = Some(Prepared::load(conn, version, model)?);
    }
    Ok(())
}

/// As [`daily`], reusing `prepared` while the library and imported data are unchanged (and filling
/// it when empty or stale).
pub fn daily_cached(
    conn: &mut Connection,
    day: NaiveDate,
    options: &Options,
    regenerate: bool,
    prepared: &mut Option<Prepared>,
    model: ModelSource,
) -> Result<DailyList> {
    if !regenerate {
        if let Some(list) = load(conn, day)? {
            return Ok(list);
        }
    }
    prepare(conn, prepared, model)?;
    let ready = prepared.as_ref().expect("just prepared");
    let key = day_key(day);
    let day_inputs = DayInputs::read(conn, ready, day)?;
    let inputs = day_inputs.inputs(ready);
    let (as_of, blend, catalog) = (day_inputs.as_of, &day_inputs.blend, &ready.catalog);
    let generated = generate(&inputs, &Ranking::Blend(blend.clone()), options);
    let tx = conn.transaction()?;
    store::save(&tx, &key, as_of, blend, catalog, &generated)?;
    store::forget_logged(&tx, learning_since(as_of))?;
    tx.commit()?;
    Ok(load(conn, day)?.expect("the list was just stored"))
}

/// Everything a day's list is made from besides the prepared library: the listener as of the day,
/// their shared-model scores, the learned blend and what they left out.
pub struct DayInputs {
    pub history: History,
    pub shared: SharedScores,
    pub blend: Blend,
    pub left_out: HashSet<usize>,
    pub as_of: i64,
    pub day_start: i64,
    pub seed: u64,
}

impl DayInputs {
    pub fn read(conn: &Connection, ready: &Prepared, day: NaiveDate) -> Result<Self> {
        let key = day_key(day);
        let next = local_start(day + Days::new(1));
        let as_of = crate::db::now_unix().min(next);
        let catalog = &ready.catalog;
        let history = History::load(conn, catalog)?;
        let (cf, because) = cf_scores(conn, catalog, ready.model.as_deref(), as_of)?;
        let shared = SharedScores {
            cf,
            because,
            popular: ready.popular.clone(),
        };
        let blend = learned_blend(conn, catalog, &history, &key, as_of)?;
        Ok(DayInputs {
            left_out: left_out_of(conn, catalog)?,
            history,
            shared,
            blend,
            as_of,
            day_start: local_start(day),
            seed: rng::seed_of(&[&key]),
        })
    }

    pub fn inputs<'a>(&'a self, ready: &'a Prepared) -> Inputs<'a> {
        Inputs {
            catalog: &ready.catalog,
            left_out: &self.left_out,
            history: &self.history,
            shared: &self.shared,
            as_of: self.as_of,
            day_start: self.day_start,
            seed: self.seed,
        }
    }
}

/// The catalog tracks the listener's exclusions leave out (read for every list: an exclusion
/// applies from the next list on).
pub fn left_out_of(conn: &Connection, catalog: &Catalog) -> Result<HashSet<usize>> {
    let leave_out = crate::exclusions::LeaveOut::load(conn)?;
    if leave_out.is_empty() {
        return Ok(HashSet::new());
    }
    Ok((0..catalog.len())
        .filter(|&i| leave_out.excludes(&catalog.tracks[i].meta.names()))
        .collect())
}

/// How many days of logged candidates the blend learns from.
const LEARN_DAYS: i64 = 120;

/// The earliest list cut-off the blend of a list made `as_of` learns from (older logged
/// candidates are forgotten when a list is stored).
fn learning_since(as_of: i64) -> i64 {
    as_of - LEARN_DAYS * 86_400
}

/// The blend trained on the outcomes of earlier days' lists (the priors when there are none).
pub fn learned_blend(
    conn: &Connection,
    catalog: &Catalog,
    history: &History,
    day: &str,
    as_of: i64,
) -> Result<Blend> {
    let logged: Vec<outcomes::Logged> = store::logged_before(conn, day, learning_since(as_of))?
        .into_iter()
        .filter_map(|l| {
            Some(outcomes::Logged {
                as_of: l.as_of,
                track: *catalog.index.get(&l.track_id)?,
                shown: l.shown,
                features: l.features,
            })
        })
        .collect();
    let samples = outcomes::samples(&logged, history, as_of);
    Ok(Blend::train(&samples, &Blend::prior()))
}

/// The shared co-listening model's scores for the listener (folded in, not retrained per play) and
/// each track's popularity in the shared data.
pub fn shared_scores(conn: &Connection, catalog: &Catalog) -> Result<SharedScores> {
    let model = SharedModel::load(conn)?;
    let (cf, because) = cf_scores(conn, catalog, model.as_ref(), i64::MAX)?;
    Ok(SharedScores {
        cf,
        because,
        popular: popularity_of(conn, catalog)?,
    })
}

type CfScores = (Vec<f32>, Vec<Option<String>>);

/// The listener as of `as_of` folded into `model`: a score per catalog track, with the reason for
/// the best ones.
pub fn cf_scores(
    conn: &Connection,
    catalog: &Catalog,
    model: Option<&SharedModel>,
    as_of: i64,
) -> Result<CfScores> {
    let n = catalog.len();
    let (mut cf, mut because) = (vec![0.0; n], vec![None; n]);
    if let Some(model) = model {
        let listener = Listener::load_until(conn, as_of)?;
        // Sessions are scored by the engine from the same history; only the shared model here.
        let unplayed = shared_model::shared_scores(conn, model, &listener)?
            .into_iter()
            .filter(|s| !listener.tracks.contains_key(&s.track_id));
        for s in unplayed {
            if let (Some(&i), true) = (catalog.index.get(&s.track_id), s.cf > 0.0) {
                cf[i] = s.cf;
                because[i] = s.because;
            }
        }
        same_song_alike(catalog, &mut cf, &mut because);
    }
    Ok((cf, because))
}

/// Gives every file of a song the best score any of them got: the shared data names a song once
/// and matching ties it to one file ("Get Lucky" and "Get Lucky - Radio Edit" share a key), while
/// lists offer one file per song, not always that one.
fn same_song_alike(catalog: &Catalog, cf: &mut [f32], because: &mut [Option<String>]) {
    // The best of each title group, then of each song; both passes are linear.
    let groups = catalog
        .tracks
        .iter()
        .map(|t| t.title_group as usize + 1)
        .max()
        .unwrap_or(0);
    let mut best: Vec<Option<usize>> = vec![None; groups];
    for (i, t) in catalog.tracks.iter().enumerate() {
        let slot = &mut best[t.title_group as usize];
        if cf[i] > 0.0 && slot.is_none_or(|b| cf[i] > cf[b]) {
            *slot = Some(i);
        }
    }
    for (i, t) in catalog.tracks.iter().enumerate() {
        if let Some(b) = best[t.title_group as usize].filter(|&b| cf[b] > cf[i]) {
            cf[i] = cf[b];
            because[i] = because[b].clone();
        }
    }
    for i in 0..catalog.tracks.len() {
        let song = catalog.tracks[i].song;
        if cf[i] > cf[song] {
            cf[song] = cf[i];
            because[song] = because[i].clone();
        }
    }
}

/// Listeners in the shared data who play each catalog track (or its artist), scaled to at most 1.
fn popularity_of(conn: &Connection, catalog: &Catalog) -> Result<Vec<f32>> {
    let mut per_track: HashMap<usize, f32> = HashMap::new();
    let mut stmt = conn.prepare(
        "SELECT e.track_id, count(DISTINCT s.user_id) FROM shared_interactions s
         JOIN ext_items e ON e.id = s.item_id
         WHERE e.kind = 'track' AND e.track_id IS NOT NULL GROUP BY e.track_id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        if let Some(&i) = catalog.index.get(&r.get::<_, i64>(0)?) {
            per_track.insert(i, r.get::<_, i64>(1)? as f32);
        }
    }
    let mut per_artist: HashMap<u32, f32> = HashMap::new();
    let mut stmt = conn.prepare(
        "SELECT e.artist, count(DISTINCT s.user_id) FROM shared_interactions s
         JOIN ext_items e ON e.id = s.item_id WHERE e.kind = 'artist' GROUP BY e.id",
    )?;
    let mut rows = stmt.query([])?;
    let mut groups: Option<HashMap<String, u32>> = None;
    while let Some(r) = rows.next()? {
        // Artist keys of the library, made only when the shared data has artists.
        let groups = groups.get_or_insert_with(|| {
            catalog
                .tracks
                .iter()
                .map(|t| (artist_key(&t.meta.artist), t.artist_group))
                .collect()
        });
        if let Some(&g) = groups.get(&artist_key(&r.get::<_, String>(0)?)) {
            *per_artist.entry(g).or_default() += r.get::<_, i64>(1)? as f32;
        }
    }
    Ok(popularity(catalog, &per_track, &per_artist))
}

/// Records a like, hide or unhide of a library track.
pub fn feedback(conn: &Connection, track_id: i64, verdict: Feedback) -> Result<()> {
    if crate::feedback::set(conn, track_id, verdict, crate::db::now_unix())? {
        Ok(())
    } else {
        Err(DiscoverError::UnknownTrack(track_id))
    }
}

pub use store::{days, DaySummary};

#[cfg(test)]
mod tests {
    use super::catalog::TrackFacts;
    use super::*;

    #[test]
    fn every_file_of_a_song_gets_its_co_listening_score() {
        let file = |id: i64, title: &str, codec: &str, kbps: u32| TrackFacts {
            id,
            title: title.into(),
            artist: "Daft Punk".into(),
            path: format!("/music/{id}.{codec}"),
            duration_ms: Some(248_000),
            codec: codec.into(),
            bitrate_kbps: Some(kbps),
            ..Default::default()
        };
        let catalog = Catalog::new(
            vec![
                file(1, "Get Lucky", "mp3", 128),
                file(2, "Get Lucky - Radio Edit", "flac", 900),
                file(3, "Get Lucky", "flac", 1000),
                file(4, "Instant Crush", "flac", 900),
            ],
            Vec::new(),
            Vec::new(),
        );
        // The import matched the shared song to the lowest id, a lossy copy no list offers.
        let mut cf = vec![0.8, 0.0, 0.0, 0.3];
        let mut because = vec![Some("One More Time".to_owned()), None, None, None];
        same_song_alike(&catalog, &mut cf, &mut because);
        assert_eq!(cf, [0.8, 0.8, 0.8, 0.3]);
        assert_eq!(because[2].as_deref(), Some("One More Time"));
        assert!(!catalog.tracks[0].offered && catalog.tracks[2].offered);
    }
}
