//! Generating one list from the library, the listener's history as of a moment, the shared scores
//! and a blend: candidates → per-model scores → blended ranking → shape (caps, variety, wildcards,
//! flow) → reasons. Pure: the same inputs and seed give the same list (the app stores it; the offline
//! evaluation replays it day by day).

use std::collections::HashSet;

use rayon::prelude::*;
use serde::Serialize;

use super::blend::{Blend, Features};
use super::catalog::{dot, Catalog};
use super::clusters::cluster;
use super::features::{nearest_liked, Explain, Scorer, SharedScores};
use super::history::{History, Outcome, Verdict};
use super::rng::SplitMix;
use super::shape::{flow_order, select, Pick};
use super::taste::Taste;

#[derive(Debug, Clone)]
pub struct Options {
    /// Tracks in the list.
    pub size: usize,
    /// Tracks played in the last this many days are not candidates.
    pub fresh_days: u32,
    /// Share of the list drawn as wildcards from further down the ranking.
    pub exploration: f32,
    /// Variety (MMR), wildcards and flow ordering; off only for ablations.
    pub shape: bool,
    /// Candidates not shown that are logged with their scores for the blend to learn from.
    pub log_candidates: usize,
    /// Relevance against variety when shaping (1 = relevance only).
    pub mmr_lambda: f32,
    /// How the co-listening score is put on the blend's 0–1 scale.
    pub cf_scale: Scale,
}

/// How a dense score becomes a 0–1 feature among the day's candidates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// Its percentile: the top hundred of thousands differ by a few hundredths.
    Percentile,
    /// 1 − ln(1 + rank) / ln(1 + n): the head stays apart (rank 1 → 1, 10 → ~0.7, 100 → ~0.4).
    LogRank,
}

/// One wildcard in a list of 30: on real co-listening data each wildcard cost about a tenth of a hit
/// (10 % wildcards: 5.69 hits@30, 5 %: 5.82, one in 30: 6.13, MPD validation listeners).
pub const EXPLORATION: f32 = 1.0 / 30.0;

impl Default for Options {
    fn default() -> Self {
        Options {
            size: 30,
            fresh_days: 30,
            exploration: EXPLORATION,
            shape: true,
            log_candidates: 120,
            mmr_lambda: super::shape::MMR_LAMBDA,
            cf_scale: Scale::LogRank,
        }
    }
}

/// How candidates are ranked.
#[derive(Debug, Clone)]
pub enum Ranking {
    Blend(Blend),
    /// Most popular in the shared data (a baseline).
    Popular,
    /// Random unplayed tracks (a baseline).
    Random,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ReasonKind {
    /// "because you played X": co-listening, sessions, the listener's artists.
    Played,
    /// "sounds like X": the audio model.
    Sounds,
    /// "same scene as X": the metadata model.
    Scene,
    /// "a wildcard": exploration.
    Wildcard,
    /// "popular with other listeners": shared data, for a listener with little history.
    Popular,
    /// "to start you off": a spread across the library's sound for a listener with no history.
    Start,
}

impl ReasonKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ReasonKind::Played => "played",
            ReasonKind::Sounds => "sounds",
            ReasonKind::Scene => "scene",
            ReasonKind::Wildcard => "wildcard",
            ReasonKind::Popular => "popular",
            ReasonKind::Start => "start",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        [
            ReasonKind::Played,
            ReasonKind::Sounds,
            ReasonKind::Scene,
            ReasonKind::Wildcard,
            ReasonKind::Popular,
            ReasonKind::Start,
        ]
        .into_iter()
        .find(|k| k.as_str() == name)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Reason {
    pub kind: ReasonKind,
    /// Shown to the listener, e.g. "sounds like Artist – Title".
    pub text: String,
    /// The listener's track the reason names (catalog index), if any.
    pub track: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct Entry {
    /// Catalog index.
    pub track: usize,
    /// The blend's log-odds (or the baseline's score).
    pub score: f32,
    pub features: Features,
    pub reason: Reason,
}

#[derive(Debug, Clone)]
pub struct Generated {
    /// The list, in play order.
    pub entries: Vec<Entry>,
    /// Other candidates with their scores, for learning (not shown).
    pub logged: Vec<(usize, f32, Features)>,
    pub candidates: usize,
    /// No history yet: a spread of the library, popular first.
    pub cold_start: bool,
}

pub struct Inputs<'a> {
    pub catalog: &'a Catalog,
    /// Catalog indices the listener left out (their exclusions): never offered.
    pub left_out: &'a HashSet<usize>,
    pub history: &'a History,
    pub shared: &'a SharedScores,
    /// Unix seconds: history from this moment on is not used.
    pub as_of: i64,
    /// The start of the list's day: ages of plays are taken from here, so a list regenerated later
    /// the same day with no new history is the same list.
    pub day_start: i64,
    pub seed: u64,
}

/// Catalog indices that may be recommended: not hidden, not played lately, not failing to play.
pub fn candidates(inputs: &Inputs, taste: &Taste, fresh_days: u32) -> Vec<(usize, bool)> {
    let last = inputs.history.last_played(inputs.as_of);
    let fresh_since = inputs.as_of - i64::from(fresh_days) * 86_400;
    let catalog = inputs.catalog;
    (0..catalog.len())
        // A hide is for good, whenever it was given (even for a past day's list made again).
        .filter(|i| !matches!(inputs.history.feedback.get(i), Some((Verdict::Hide, _))))
        // One file per song, and nothing the listener left out.
        .filter(|&i| catalog.tracks[i].offered && !inputs.left_out.contains(&i))
        .filter_map(|i| match last.get(&i) {
            Some(&(_, Outcome::Failed)) => None,
            Some(&(at, _)) if at >= fresh_since => None,
            Some(_) => Some((i, true)),
            None => Some((i, false)),
        })
        .filter(|&(i, _)| {
            catalog.has_embedding[i]
                || !catalog.text[i].0.is_empty()
                || inputs.shared.cf(i) > 0.0
                || inputs.shared.popular(i) > 0.0
                || taste.session.contains_key(&i)
        })
        .collect()
}

pub fn generate(inputs: &Inputs, ranking: &Ranking, options: &Options) -> Generated {
    let catalog = inputs.catalog;
    let taste = Taste::build(
        catalog,
        inputs.history,
        inputs.as_of,
        inputs.day_start,
        inputs.seed,
    );
    let pool = candidates(inputs, &taste, options.fresh_days);
    let scorer = Scorer::new(catalog, &taste, inputs.shared, inputs.seed);
    let mut scored: Vec<(usize, Features)> = pool
        .par_iter()
        .map(|&(i, played)| {
            let mut x = scorer.features(i, played);
            // A score no model could make (NaN, ∞) counts as no evidence, never as a dropped track.
            x.iter_mut()
                .filter(|v| !v.is_finite())
                .for_each(|v| *v = 0.0);
            (i, x)
        })
        .collect();
    // Dense scores become percentiles among today's candidates: the blend's weights then mean the
    // same on every day and library (a raw cosine's scale shifts with the library; in the offline
    // evaluation this lifted NDCG by a fifth).
    match options.cf_scale {
        Scale::Percentile => to_percentiles(&mut scored, &[0, 3, 4, 5]),
        Scale::LogRank => {
            to_log_ranks(&mut scored, 0);
            to_percentiles(&mut scored, &[3, 4, 5]);
        }
    }
    let mut rng = SplitMix::new(inputs.seed);
    // Cold only when nothing is known: an imported history that matches no library track still
    // folds into the co-listening model, and its scores beat a spread of popular songs.
    let cold = taste.is_empty()
        && matches!(ranking, Ranking::Blend(_))
        && !pool.iter().any(|&(i, _)| inputs.shared.cf(i) > 0.0);
    let mut ranked: Vec<(usize, f32)> = match ranking {
        _ if cold => cold_ranking(catalog, &scored, inputs.seed),
        Ranking::Blend(blend) => scored.iter().map(|(i, x)| (*i, blend.logit(x))).collect(),
        Ranking::Popular => scored.iter().map(|(i, x)| (*i, x[5])).collect(),
        Ranking::Random => scored.iter().map(|(i, _)| (*i, rng.next_f32())).collect(),
    };
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));

    let picks = if cold {
        // The cold ranking already interleaves the library's sound clusters; keep that order
        // under the caps.
        select(catalog, &ranked, options.size, 0, None, &|_| true, &mut rng)
    } else {
        // At least one wildcard in any list that explores, however short.
        let wildcards =
            if options.shape && matches!(ranking, Ranking::Blend(_)) && options.exploration > 0.0 {
                ((options.size as f32 * options.exploration).round() as usize).max(1)
            } else {
                0
            };
        let wildcard_ok = |t: usize| {
            !taste
                .artists_disliked
                .contains(&catalog.tracks[t].artist_group)
        };
        select(
            catalog,
            &ranked,
            options.size,
            wildcards,
            options.shape.then_some(options.mmr_lambda),
            &wildcard_ok,
            &mut rng,
        )
    };
    let picks = if options.shape {
        flow_order(catalog, picks)
    } else {
        picks
    };

    let features_of: std::collections::HashMap<usize, &Features> =
        scored.iter().map(|(i, x)| (*i, x)).collect();
    let score_of: std::collections::HashMap<usize, f32> = ranked.iter().copied().collect();
    let entries: Vec<Entry> = picks
        .iter()
        .map(|p| {
            let x = *features_of[&p.track];
            Entry {
                track: p.track,
                score: score_of[&p.track],
                features: x,
                reason: reason(inputs, &taste, ranking, p, &x, cold),
            }
        })
        .collect();

    // Log the best unshown candidates and a random handful: tomorrow's blend learns both what the
    // models liked that was not played, and what they did not like that was.
    let shown: std::collections::HashSet<usize> = picks.iter().map(|p| p.track).collect();
    let mut logged: Vec<(usize, f32, Features)> = ranked
        .iter()
        .filter(|r| !shown.contains(&r.0))
        .take(options.log_candidates)
        .map(|&(i, s)| (i, s, *features_of[&i]))
        .collect();
    if ranked.len() > options.log_candidates {
        let mut draws = SplitMix::new(inputs.seed ^ 0x5EED);
        for _ in 0..options.log_candidates / 2 {
            let (i, s) = ranked[(draws.next_u64() % ranked.len() as u64) as usize];
            if !shown.contains(&i) && !logged.iter().any(|l| l.0 == i) {
                logged.push((i, s, *features_of[&i]));
            }
        }
    }
    Generated {
        entries,
        logged,
        candidates: pool.len(),
        cold_start: cold,
    }
}

/// Replaces each of `features` by its percentile among the candidates that have it (0 stays 0), so
/// a score means the same on every day whatever its raw scale.
fn to_percentiles(scored: &mut [(usize, Features)], features: &[usize]) {
    for &f in features {
        let mut values: Vec<f32> = scored.iter().map(|s| s.1[f]).filter(|v| *v > 0.0).collect();
        values.sort_by(f32::total_cmp);
        let n = values.len().max(1) as f32;
        for s in scored.iter_mut().filter(|s| s.1[f] > 0.0) {
            let below = values.partition_point(|v| *v < s.1[f]);
            s.1[f] = (below as f32 + 1.0) / n;
        }
    }
}

/// Replaces `feature` by 1 − ln(1 + rank) / ln(1 + n) among the candidates that have it (rank 0
/// the best; 0 stays 0): rank-based like a percentile, so its scale is the same on every day, but
/// the best few stay well apart.
fn to_log_ranks(scored: &mut [(usize, Features)], feature: usize) {
    let mut order: Vec<usize> = (0..scored.len())
        .filter(|&k| scored[k].1[feature] > 0.0)
        .collect();
    order.sort_by(|&a, &b| {
        scored[b].1[feature]
            .total_cmp(&scored[a].1[feature])
            .then(scored[a].0.cmp(&scored[b].0))
    });
    let scale = (1.0 + order.len() as f32).ln().max(f32::MIN_POSITIVE);
    for (rank, k) in order.into_iter().enumerate() {
        scored[k].1[feature] = 1.0 - (1.0 + rank as f32).ln() / scale;
    }
}

/// For a listener with no history: the library's sound clusters in turn, popular tracks first in each,
/// then those nearest the cluster's centre; tracks without embeddings by popularity after them.
fn cold_ranking(catalog: &Catalog, scored: &[(usize, Features)], seed: u64) -> Vec<(usize, f32)> {
    let with: Vec<usize> = scored
        .iter()
        .map(|s| s.0)
        .filter(|&i| catalog.has_embedding[i])
        .collect();
    // Cluster a spread sample (at most 3,000 tracks) into up to eight sound regions.
    let step = with.len().div_ceil(3_000).max(1);
    let sample: Vec<&[f32]> = with
        .iter()
        .step_by(step)
        .filter_map(|&i| catalog.embedding(i))
        .collect();
    let k = (sample.len() / 10).clamp(1, 8);
    let centres: Vec<Vec<f32>> = cluster(&sample, &vec![1.0; sample.len()], k, seed)
        .into_iter()
        .map(|c| c.centre)
        .collect();
    let mut groups: Vec<Vec<(usize, f32)>> = vec![Vec::new(); centres.len() + 1];
    for (i, x) in scored {
        let (group, closeness) = match catalog.embedding(*i) {
            Some(e) if !centres.is_empty() => centres
                .iter()
                .enumerate()
                .map(|(c, centre)| (c, dot(e, centre)))
                .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
                .unwrap_or((0, 0.0)),
            _ => (centres.len(), 0.0),
        };
        groups[group].push((*i, 2.0 * x[5] + closeness));
    }
    for g in &mut groups {
        g.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    }
    // Interleave: the first of every group, then the second of every group, … as descending scores.
    let longest = groups.iter().map(Vec::len).max().unwrap_or(0);
    let total = scored.len() as f32;
    let mut out = Vec::with_capacity(scored.len());
    for rank in 0..longest {
        for g in &groups {
            if let Some(&(i, _)) = g.get(rank) {
                out.push((i, 1.0 - out.len() as f32 / total.max(1.0)));
            }
        }
    }
    out
}

fn reason(
    inputs: &Inputs,
    taste: &Taste,
    ranking: &Ranking,
    pick: &Pick,
    x: &Features,
    cold: bool,
) -> Reason {
    let catalog = inputs.catalog;
    let simple = |kind: ReasonKind, text: &str| Reason {
        kind,
        text: text.to_owned(),
        track: None,
    };
    if cold {
        return if x[5] > 0.0 {
            simple(ReasonKind::Popular, "popular with other listeners")
        } else {
            simple(ReasonKind::Start, "to start you off")
        };
    }
    if pick.wildcard {
        return simple(ReasonKind::Wildcard, "a wildcard");
    }
    let prior;
    let blend = match ranking {
        Ranking::Blend(b) => b,
        _ => {
            prior = Blend::prior();
            &prior
        }
    };
    let contributions = blend.contributions(x);
    let mut order: Vec<usize> = (0..5).filter(|&f| contributions[f] > 0.0).collect();
    order.sort_by(|&a, &b| {
        contributions[b]
            .total_cmp(&contributions[a])
            .then(a.cmp(&b))
    });
    let i = pick.track;
    for f in order {
        let named = |kind: ReasonKind, prefix: &str, t: usize| Reason {
            kind,
            text: format!("{prefix} {}", catalog.name(t)),
            track: Some(t),
        };
        match f {
            0 => {
                if let Some(because) = inputs.shared.because.get(i).cloned().flatten() {
                    return Reason {
                        kind: ReasonKind::Played,
                        text: format!("because you played {because}"),
                        track: None,
                    };
                }
            }
            1 => {
                if let Some(&t) = taste.session_because.get(&i) {
                    return named(ReasonKind::Played, "because you played", t);
                }
            }
            2 => {
                if let Some(t) = nearest_liked(catalog, taste, i, Explain::Artist) {
                    return named(ReasonKind::Played, "because you played", t);
                }
            }
            3 => {
                if let Some(t) = nearest_liked(catalog, taste, i, Explain::Sound) {
                    return named(ReasonKind::Sounds, "sounds like", t);
                }
            }
            _ => {
                if let Some(t) = nearest_liked(catalog, taste, i, Explain::Text) {
                    return named(ReasonKind::Scene, "same scene as", t);
                }
            }
        }
    }
    if x[5] > 0.0 {
        simple(ReasonKind::Popular, "popular with other listeners")
    } else {
        simple(ReasonKind::Wildcard, "a wildcard")
    }
}
