//! Offline evaluation: replays a listener's log day by day against a library that holds its tracks.
//! For each day D the history before D is all there is; every variant (the learned blend, ablations,
//! each model alone, baselines) generates its list, learns from its own earlier lists' outcomes, and
//! is scored by how many of its tracks the listener played in the days after D.
//!
//! The world is a folder of plain files:
//! `tracks.tsv` (id, artist, album, title, genre, tempo BPM, Camelot order, loudness LUFS),
//! `embeddings.tsv` (id, then the vector, space-separated), `shared.tsv` (user, track id, plays: other
//! listeners' co-listening data) and `log.tsv` (Unix time, track id, completed|skipped).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::blend::{Blend, Sample, AUDIO_MODEL, CF_MODEL, N, NLP_MODEL};
use super::catalog::{Catalog, TrackFacts};
use super::engine::{generate, Inputs, Options, Ranking};
use super::features::{popularity, SharedScores};
use super::history::{History, Outcome, Play};
use super::outcomes::{self, Logged, OUTCOME_DAYS};
use super::taste::Taste;
use crate::cf::matrix::Csr;
use crate::cf::model::{ModelSpec, Trained};
use crate::text::vectors::{Bag, Corpus};

#[derive(Debug, thiserror::Error)]
pub enum ReplayError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} line {line}: {reason}")]
    Line {
        path: PathBuf,
        line: usize,
        reason: String,
    },
    #[error("shared model: {0}")]
    Model(#[from] crate::cf::ease::EaseError),
    #[error("the log has fewer than {0} days after the warm-up")]
    TooShort(i64),
}

/// A library, shared data and a listener's log, read from a world folder.
pub struct World {
    pub catalog: Catalog,
    pub history: History,
    shared: Csr,
    /// Shared-model column → catalog index.
    columns: Vec<usize>,
    column_of: HashMap<usize, u32>,
    popular: Vec<f32>,
}

fn read_rows(dir: &Path, name: &str) -> Result<Vec<(usize, Vec<String>)>, ReplayError> {
    let path = dir.join(name);
    let text = std::fs::read_to_string(&path).map_err(|source| ReplayError::Io {
        path: path.clone(),
        source,
    })?;
    Ok(text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|(n, l)| (n + 1, l.split('\t').map(str::to_owned).collect()))
        .collect())
}

fn field<T: std::str::FromStr>(
    dir: &Path,
    name: &str,
    line: usize,
    fields: &[String],
    at: usize,
) -> Result<T, ReplayError> {
    fields
        .get(at)
        .and_then(|f| f.trim().parse().ok())
        .ok_or_else(|| ReplayError::Line {
            path: dir.join(name),
            line,
            reason: format!("field {} missing or not a number", at + 1),
        })
}

impl World {
    pub fn load(dir: &Path) -> Result<Self, ReplayError> {
        let mut metas = Vec::new();
        let mut bags = Vec::new();
        for (line, f) in read_rows(dir, "tracks.tsv")? {
            let text = |i: usize| f.get(i).cloned().unwrap_or_default();
            let meta = TrackFacts {
                id: field(dir, "tracks.tsv", line, &f, 0)?,
                artist: text(1),
                album: text(2),
                title: text(3),
                tempo_bpm: f.get(5).and_then(|v| v.parse().ok()),
                camelot: f.get(6).and_then(|v| v.parse().ok()),
                loudness_lufs: f.get(7).and_then(|v| v.parse().ok()),
                ..Default::default()
            };
            let mut bag = Bag::default();
            bag.add_text(&meta.artist, 1.5);
            bag.add_text(&meta.album, 0.8);
            bag.add_text(&meta.title, 1.0);
            bag.add_text(&text(4), 2.0);
            bags.push((meta.id, bag));
            metas.push(meta);
        }
        let corpus = Corpus::new(&bags.iter().map(|b| b.1.clone()).collect::<Vec<_>>());
        let text = bags
            .iter()
            .enumerate()
            .map(|(d, (id, _))| (*id, corpus.vector(d)))
            .collect();
        let mut embeddings = Vec::new();
        for (line, f) in read_rows(dir, "embeddings.tsv")? {
            let id: i64 = field(dir, "embeddings.tsv", line, &f, 0)?;
            let values: Option<Vec<f32>> = f
                .get(1)
                .map(|v| v.split(' ').map(|x| x.parse().ok()).collect())
                .unwrap_or(None);
            let values = values.ok_or_else(|| ReplayError::Line {
                path: dir.join("embeddings.tsv"),
                line,
                reason: "the vector is not space-separated numbers".into(),
            })?;
            embeddings.push((id, values));
        }
        let catalog = Catalog::new(metas, embeddings, text);

        let mut users: HashMap<String, u32> = HashMap::new();
        let mut columns: Vec<usize> = Vec::new();
        let mut column_of: HashMap<usize, u32> = HashMap::new();
        let mut triples = Vec::new();
        let mut listeners_of: HashMap<usize, f32> = HashMap::new();
        for (line, f) in read_rows(dir, "shared.tsv")? {
            let item: i64 = field(dir, "shared.tsv", line, &f, 1)?;
            let weight: f32 = field(dir, "shared.tsv", line, &f, 2)?;
            let Some(&track) = catalog.index.get(&item) else {
                continue;
            };
            let next = users.len() as u32;
            let user = *users.entry(f[0].clone()).or_insert(next);
            let column = *column_of.entry(track).or_insert_with(|| {
                columns.push(track);
                columns.len() as u32 - 1
            });
            triples.push((user, column, weight));
            *listeners_of.entry(track).or_default() += 1.0;
        }
        let shared = Csr::from_triples(users.len(), columns.len(), &triples);
        let popular = popularity(&catalog, &listeners_of, &HashMap::new());

        let mut history = History::default();
        for (line, f) in read_rows(dir, "log.tsv")? {
            let at: i64 = field(dir, "log.tsv", line, &f, 0)?;
            let id: i64 = field(dir, "log.tsv", line, &f, 1)?;
            let Some(&track) = catalog.index.get(&id) else {
                continue;
            };
            let outcome = Outcome::from_end_reason(f.get(2).map(|s| s.trim()));
            history.plays.push(Play { track, at, outcome });
        }
        history.plays.sort_by_key(|p| p.at);
        Ok(World {
            catalog,
            history,
            shared,
            columns,
            column_of,
            popular,
        })
    }
}

/// How a variant ranks.
#[derive(Debug, Clone)]
pub enum Kind {
    /// The blend over these features, learned from the variant's own outcomes.
    Learned(Vec<usize>),
    /// The prior weights, never learned.
    Prior,
    Popular,
    Random,
}

#[derive(Debug, Clone)]
pub struct Variant {
    pub name: &'static str,
    pub kind: Kind,
    pub shape: bool,
}

/// The variants of the evaluation: the app's blend, ablations, each model alone, baselines.
pub fn variants() -> Vec<Variant> {
    let all: Vec<usize> = (0..N).collect();
    let without = |model: &[usize]| all.iter().copied().filter(|f| !model.contains(f)).collect();
    let v = |name, kind, shape| Variant { name, kind, shape };
    vec![
        v("blend (the app)", Kind::Learned(all.clone()), true),
        v(
            "blend, unshaped (no MMR, wildcards, flow)",
            Kind::Learned(all.clone()),
            false,
        ),
        v("blend with prior weights (not learned)", Kind::Prior, true),
        v("blend without CF", Kind::Learned(without(CF_MODEL)), true),
        v(
            "blend without audio",
            Kind::Learned(without(AUDIO_MODEL)),
            true,
        ),
        v("blend without NLP", Kind::Learned(without(NLP_MODEL)), true),
        v("CF alone", Kind::Learned(CF_MODEL.to_vec()), true),
        v("audio alone", Kind::Learned(AUDIO_MODEL.to_vec()), true),
        v("NLP alone", Kind::Learned(NLP_MODEL.to_vec()), true),
        v("most popular (shared data)", Kind::Popular, true),
        v("random unplayed", Kind::Random, true),
    ]
}

#[derive(Debug, Clone, Serialize)]
pub struct Score {
    pub variant: String,
    pub lists: usize,
    /// Lists with at least one track played in the following days.
    pub hit_rate: f64,
    /// Tracks per list played in the following days.
    pub hits_per_list: f64,
    pub ndcg: f64,
    /// Distinct tracks recommended over all days / (lists × size).
    pub coverage: f64,
    /// The learned weights at the end (for learned variants).
    pub final_weights: Option<Blend>,
}

#[derive(Debug, Clone)]
pub struct ReplayOptions {
    pub list: Options,
    /// Days of log before the first list (history to start from).
    pub warmup_days: i64,
    /// Generate every this many days.
    pub step_days: i64,
}

impl Default for ReplayOptions {
    fn default() -> Self {
        ReplayOptions {
            list: Options::default(),
            warmup_days: 28,
            step_days: 1,
        }
    }
}

fn mask(x: &[f32; N], keep: &[usize]) -> [f32; N] {
    let mut out = [0.0; N];
    for &f in keep {
        out[f] = x[f];
    }
    out
}

/// The listener's CF scores from the shared model, as of a moment (the listener folded in).
fn shared_scores(world: &World, model: &Trained, as_of: i64, day_start: i64) -> SharedScores {
    let n = world.catalog.len();
    let weights = world.history.taste_weights(as_of, day_start);
    let mut row: Vec<(u32, f32)> = weights
        .iter()
        .filter(|(_, w)| **w > 0.0)
        .filter_map(|(t, w)| world.column_of.get(t).map(|&c| (c, *w)))
        .collect();
    row.sort_unstable_by_key(|r| r.0);
    let (cols, vals): (Vec<u32>, Vec<f32>) = row.into_iter().unzip();
    let mut cf = vec![0.0; n];
    if !cols.is_empty() {
        let scores = model.scores_for_new(&cols, &vals);
        let max = scores.iter().cloned().fold(f32::MIN_POSITIVE, f32::max);
        for (c, s) in scores.into_iter().enumerate() {
            cf[world.columns[c]] = (s / max).max(0.0);
        }
    }
    SharedScores {
        cf,
        because: vec![None; n],
        popular: world.popular.clone(),
    }
}

/// Replays the log and scores every variant.
pub fn replay(world: &World, options: &ReplayOptions) -> Result<Vec<Score>, ReplayError> {
    let model = Trained::fit(&ModelSpec::default(), &world.shared)?;
    let plays = &world.history.plays;
    let (Some(first), Some(last)) = (plays.first(), plays.last()) else {
        return Err(ReplayError::TooShort(1));
    };
    let day0 = first.at.div_euclid(86_400) + options.warmup_days;
    let last_day = last.at.div_euclid(86_400) - OUTCOME_DAYS;
    if last_day <= day0 {
        return Err(ReplayError::TooShort(OUTCOME_DAYS + 1));
    }
    let variants = variants();
    let mut logs: Vec<Vec<Logged>> = vec![Vec::new(); variants.len()];
    let mut totals = vec![(0usize, 0usize, 0usize, 0f64, HashSet::new()); variants.len()];
    let mut finals: Vec<Option<Blend>> = vec![None; variants.len()];
    let mut day = day0;
    while day <= last_day {
        let start = day * 86_400;
        let shared = shared_scores(world, &model, start, start);
        let inputs = Inputs {
            catalog: &world.catalog,
            left_out: &HashSet::new(),
            history: &world.history,
            shared: &shared,
            as_of: start,
            day_start: start,
            seed: super::rng::seed_of(&[&day.to_string()]),
        };
        // What the listener went on to play (not skipped) in the following days.
        let later: HashSet<usize> = plays
            .iter()
            .filter(|p| p.at >= start && p.at < start + OUTCOME_DAYS * 86_400)
            .filter(|p| !matches!(p.outcome, Outcome::Skipped | Outcome::Failed))
            .map(|p| p.track)
            .collect();
        let taste = Taste::build(&world.catalog, &world.history, start, start, inputs.seed);
        let eligible: HashSet<usize> =
            super::engine::candidates(&inputs, &taste, options.list.fresh_days)
                .into_iter()
                .map(|c| c.0)
                .collect();
        let relevant = later.intersection(&eligible).count();
        for (v, variant) in variants.iter().enumerate() {
            let ranking = match &variant.kind {
                Kind::Learned(keep) => {
                    let samples: Vec<Sample> = outcomes::samples(&logs[v], &world.history, start)
                        .into_iter()
                        .map(|s| Sample {
                            x: mask(&s.x, keep),
                            ..s
                        })
                        .collect();
                    let mut prior = Blend::prior();
                    prior.weights = mask(&prior.weights, keep);
                    let blend = Blend::train(&samples, &prior);
                    finals[v] = Some(blend.clone());
                    Ranking::Blend(blend)
                }
                Kind::Prior => Ranking::Blend(Blend::prior()),
                Kind::Popular => Ranking::Popular,
                Kind::Random => Ranking::Random,
            };
            let list_options = Options {
                shape: variant.shape,
                ..options.list.clone()
            };
            let generated = generate(&inputs, &ranking, &list_options);
            if let Kind::Learned(_) = variant.kind {
                let shown = generated
                    .entries
                    .iter()
                    .map(|e| (e.track, true, e.features));
                let unshown = generated.logged.iter().map(|l| (l.0, false, l.2));
                for (track, shown, features) in shown.chain(unshown) {
                    logs[v].push(Logged {
                        as_of: start,
                        track,
                        shown,
                        features,
                    });
                }
            }
            // NDCG by the ranking the list was chosen by (flow order is for listening, not rank).
            let mut by_score: Vec<(usize, f32)> = generated
                .entries
                .iter()
                .map(|e| (e.track, e.score))
                .collect();
            by_score.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            let hits: Vec<bool> = by_score.iter().map(|e| later.contains(&e.0)).collect();
            let dcg: f64 = hits
                .iter()
                .enumerate()
                .filter(|(_, h)| **h)
                .map(|(r, _)| 1.0 / ((r + 2) as f64).log2())
                .sum();
            let ideal: f64 = (0..relevant.min(hits.len()))
                .map(|r| 1.0 / ((r + 2) as f64).log2())
                .sum();
            let t = &mut totals[v];
            t.0 += 1;
            let n_hits = hits.iter().filter(|h| **h).count();
            t.1 += usize::from(n_hits > 0);
            t.2 += n_hits;
            t.3 += if ideal > 0.0 { dcg / ideal } else { 0.0 };
            t.4.extend(generated.entries.iter().map(|e| e.track));
        }
        day += options.step_days.max(1);
    }
    Ok(variants
        .iter()
        .zip(totals)
        .zip(finals)
        .map(
            |((variant, (lists, hit_lists, hits, ndcg, seen)), final_weights)| Score {
                variant: variant.name.to_owned(),
                lists,
                hit_rate: hit_lists as f64 / lists.max(1) as f64,
                hits_per_list: hits as f64 / lists.max(1) as f64,
                ndcg: ndcg / lists.max(1) as f64,
                coverage: seen.len() as f64 / (lists * options.list.size).max(1) as f64,
                final_weights,
            },
        )
        .collect())
}
