//! The listener's taste as of a moment, in the terms each model scores by: liked tracks grouped into
//! sound clusters (with their text and tempo/loudness), disliked tracks, affinity per artist, and
//! session co-occurrence.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::catalog::{dot, Catalog};
use super::clusters::{cluster, cluster_count};
use super::history::{History, Outcome};
use crate::cf::sessions::CoOccurrence;
use crate::text::vectors::TermVector;

/// At most this many taste clusters (Daily Mixes come in about six).
pub const MAX_CLUSTERS: usize = 6;
/// Clustering and nearest-neighbour reasons look at the listener's strongest tracks only.
const MAX_POSITIVES: usize = 2_000;
const MAX_NEGATIVES: usize = 300;

/// One mode of the listener's taste.
#[derive(Debug, Clone)]
pub struct TasteCluster {
    /// Unit centre in embedding space (empty for the group of tracks without embeddings).
    pub centre: Vec<f32>,
    /// Share of the listener's positive weight (0–1).
    pub share: f32,
    /// Normalised sum of the members' text vectors.
    pub text: TermVector,
    /// Unit mean of the members' sentence embeddings, where their texts were embedded.
    pub meaning: Option<Vec<f32>>,
    /// Weighted means of the members' tempo (log₂ BPM) and loudness, if known.
    pub log_tempo: Option<f32>,
    pub loudness: Option<f32>,
    /// Catalog indices of the members, strongest first.
    pub members: Vec<usize>,
}

#[derive(Debug, Clone, Default)]
pub struct Taste {
    /// Catalog index and weight of every track the listener likes, strongest first.
    pub positives: Vec<(usize, f32)>,
    /// Tracks hidden or skipped more than played.
    pub negatives: Vec<usize>,
    pub clusters: Vec<TasteCluster>,
    /// Artist group → the listener's positive weight on that artist.
    pub artist_weight: HashMap<u32, f32>,
    /// Artists the listener has any history with (liked or not): not novel.
    pub artists_known: HashSet<u32>,
    /// Artists skipped or hidden more than played: never a wildcard.
    pub artists_disliked: HashSet<u32>,
    /// Catalog index → session co-occurrence with the listener's tracks (0–1).
    pub session: HashMap<usize, f32>,
    /// Catalog index → the listener's track it was most played next to.
    pub session_because: HashMap<usize, usize>,
}

impl Taste {
    pub fn build(
        catalog: &Catalog,
        history: &History,
        as_of: i64,
        reference: i64,
        seed: u64,
    ) -> Self {
        let weights = history.taste_weights(as_of, reference);
        let mut positives: Vec<(usize, f32)> = weights
            .iter()
            .filter(|(_, w)| **w > 0.0)
            .map(|(&t, &w)| (t, w))
            .collect();
        positives.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut negatives: Vec<(usize, f32)> = weights
            .iter()
            .filter(|(_, w)| **w < 0.0)
            .map(|(&t, &w)| (t, w))
            .collect();
        negatives.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        negatives.truncate(MAX_NEGATIVES);

        let mut artist_weight: HashMap<u32, f32> = HashMap::new();
        for (&t, &w) in &weights {
            *artist_weight
                .entry(catalog.tracks[t].artist_group)
                .or_default() += w;
        }
        let artists_known = artist_weight.keys().copied().collect();
        let artists_disliked = artist_weight
            .iter()
            .filter(|(_, w)| **w <= -1.0)
            .map(|(a, _)| *a)
            .collect();
        artist_weight.retain(|_, w| *w > 0.0);

        let strongest = &positives[..positives.len().min(MAX_POSITIVES)];
        let clusters = taste_clusters(catalog, strongest, seed);
        let (session, session_because) = sessions(history, as_of, &weights);
        Taste {
            negatives: negatives.into_iter().map(|(t, _)| t).collect(),
            positives,
            clusters,
            artist_weight,
            artists_known,
            artists_disliked,
            session,
            session_because,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.positives.is_empty()
    }
}

/// Sound clusters of the listener's tracks, plus one group for liked tracks without an embedding.
fn taste_clusters(catalog: &Catalog, positives: &[(usize, f32)], seed: u64) -> Vec<TasteCluster> {
    let total: f32 = positives
        .iter()
        .map(|p| p.1)
        .sum::<f32>()
        .max(f32::MIN_POSITIVE);
    type Weighted = Vec<(usize, f32)>;
    let (with, without): (Weighted, Weighted) = positives
        .iter()
        .partition(|(t, _)| catalog.has_embedding[*t]);
    let points: Vec<&[f32]> = with
        .iter()
        .filter_map(|(t, _)| catalog.embedding(*t))
        .collect();
    let weights: Vec<f32> = with.iter().map(|p| p.1).collect();
    let k = cluster_count(points.len(), MAX_CLUSTERS);
    let mut out: Vec<TasteCluster> = cluster(&points, &weights, k, seed)
        .into_iter()
        .map(|c| {
            let members: Vec<(usize, f32)> = c.members.iter().map(|&m| with[m]).collect();
            group(catalog, c.centre, &members, total)
        })
        .collect();
    if !without.is_empty() {
        out.push(group(catalog, Vec::new(), &without, total));
    }
    out
}

fn group(
    catalog: &Catalog,
    centre: Vec<f32>,
    members: &[(usize, f32)],
    total: f32,
) -> TasteCluster {
    let weight: f32 = members.iter().map(|m| m.1).sum();
    let (mut tempo, mut tempo_w, mut loud, mut loud_w) = (0f32, 0f32, 0f32, 0f32);
    for &(t, w) in members {
        let meta = &catalog.tracks[t].meta;
        if let Some(bpm) = meta.tempo_bpm.filter(|b| *b > 0.0) {
            tempo += bpm.log2() * w;
            tempo_w += w;
        }
        if let Some(l) = meta.loudness_lufs {
            loud += l * w;
            loud_w += w;
        }
    }
    let mut sorted = members.to_vec();
    sorted.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    TasteCluster {
        centre,
        share: weight / total,
        text: text_centre(catalog, members),
        meaning: catalog.meaning_centre(members.iter().map(|m| m.0)),
        log_tempo: (tempo_w > 0.0).then(|| tempo / tempo_w),
        loudness: (loud_w > 0.0).then(|| loud / loud_w),
        members: sorted.into_iter().map(|m| m.0).collect(),
    }
}

/// The normalised weighted sum of the tracks' text vectors.
pub fn text_centre(catalog: &Catalog, tracks: &[(usize, f32)]) -> TermVector {
    let mut sum: HashMap<u32, f32> = HashMap::new();
    for &(t, w) in tracks {
        for &(term, v) in &catalog.text[t].0 {
            *sum.entry(term).or_default() += v * w;
        }
    }
    let mut text: Vec<(u32, f32)> = sum.into_iter().collect();
    text.sort_unstable_by_key(|e| e.0);
    let norm = text.iter().map(|e| e.1 * e.1).sum::<f32>().sqrt();
    if norm > 0.0 {
        text.iter_mut().for_each(|e| e.1 /= norm);
    }
    TermVector(text)
}

/// Session co-occurrence of every track with the listener's liked tracks, scaled to at most 1.
fn sessions(
    history: &History,
    as_of: i64,
    weights: &BTreeMap<usize, f32>,
) -> (HashMap<usize, f32>, HashMap<usize, usize>) {
    let plays: Vec<(i64, i64)> = history
        .plays_before(as_of)
        .iter()
        .filter(|p| !matches!(p.outcome, Outcome::Skipped | Outcome::Failed))
        .map(|p| (p.track as i64, p.at))
        .collect();
    let co = CoOccurrence::from_plays(&plays);
    let mut score: HashMap<usize, f32> = HashMap::new();
    let mut because: HashMap<usize, (f32, usize)> = HashMap::new();
    for (&played, &w) in weights.iter().filter(|(_, w)| **w > 0.0) {
        for (t, c) in co.neighbours(played as i64) {
            let t = t as usize;
            *score.entry(t).or_default() += w * c;
            let best = because.entry(t).or_insert((0.0, played));
            if w * c > best.0 || (w * c == best.0 && played < best.1) {
                *best = (w * c, played);
            }
        }
    }
    let max = score.values().cloned().fold(f32::MIN_POSITIVE, f32::max);
    score.values_mut().for_each(|s| *s /= max);
    (
        score,
        because.into_iter().map(|(t, (_, p))| (t, p)).collect(),
    )
}

/// Closeness of a track's tempo and loudness to a cluster's (1 = same; tempo octaves count as near,
/// since a half-time feel is the same groove).
pub fn dsp_closeness(catalog: &Catalog, track: usize, cluster: &TasteCluster) -> Option<f32> {
    let meta = &catalog.tracks[track].meta;
    let mut closeness = 1.0;
    let mut known = false;
    if let (Some(bpm), Some(centre)) = (meta.tempo_bpm.filter(|b| *b > 0.0), cluster.log_tempo) {
        let d = bpm.log2() - centre;
        let folded = d.abs().min((d - 1.0).abs()).min((d + 1.0).abs());
        closeness *= (-0.5 * (folded / 0.15).powi(2)).exp();
        known = true;
    }
    if let (Some(l), Some(centre)) = (meta.loudness_lufs, cluster.loudness) {
        closeness *= (-0.5 * ((l - centre) / 5.0).powi(2)).exp();
        known = true;
    }
    known.then_some(closeness)
}

/// The best cluster for a track by sound, with its cosine.
pub fn nearest_cluster(taste: &Taste, embedding: &[f32]) -> Option<(usize, f32)> {
    taste
        .clusters
        .iter()
        .enumerate()
        .filter(|(_, c)| !c.centre.is_empty())
        .map(|(i, c)| (i, dot(embedding, &c.centre) * (0.8 + 0.2 * c.share.sqrt())))
        .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
}
