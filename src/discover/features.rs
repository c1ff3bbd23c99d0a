//! Each model's score for a candidate, on a 0–1 scale (the engine turns the dense ones into
//! percentiles among the day's candidates): collaborative filtering (shared co-listening,
//! sessions, the listener's artists), audio (closeness to the nearest taste cluster by embedding and
//! tempo/loudness, minus closeness to what the listener hid or skips), metadata text (closeness to the
//! clusters' text), popularity in shared data, and novelty.

use std::collections::HashMap;

use super::blend::{Features, N};
use super::catalog::{blend_text, dot, Catalog};
use super::clusters::cluster;
use super::taste::{dsp_closeness, nearest_cluster, text_centre, Taste};
use crate::text::vectors::TermVector;

/// What the shared co-listening data says per catalog track (empty vectors: no shared data).
#[derive(Debug, Clone, Default)]
pub struct SharedScores {
    /// The listener folded into the shared model, scaled to at most 1.
    pub cf: Vec<f32>,
    /// The listener's song or artist that contributes most to `cf` ("because you played …").
    pub because: Vec<Option<String>>,
    /// Listeners in the shared data who play the track (or its artist), scaled to at most 1.
    pub popular: Vec<f32>,
}

impl SharedScores {
    pub fn cf(&self, i: usize) -> f32 {
        self.cf.get(i).copied().unwrap_or(0.0)
    }
    pub fn popular(&self, i: usize) -> f32 {
        self.popular.get(i).copied().unwrap_or(0.0)
    }
}

/// What the scorer precomputes once per list.
pub struct Scorer<'a> {
    catalog: &'a Catalog,
    taste: &'a Taste,
    shared: &'a SharedScores,
    /// Each cluster's text centre as a dense vector over the vocabulary (a sparse-by-dense product
    /// per candidate instead of a merge over thousands of terms).
    text_centres: Vec<Vec<f32>>,
    /// The clusters' sentence-embedding centres (where their members' texts were embedded).
    meaning_centres: Vec<Vec<f32>>,
    negative_meaning: Option<Vec<f32>>,
    /// Centres of what the listener hid or skips, by sound.
    negative_centres: Vec<Vec<f32>>,
    /// The text of what the listener hid or skips, dense.
    negative_text: Vec<f32>,
    max_artist: f32,
}

impl<'a> Scorer<'a> {
    pub fn new(
        catalog: &'a Catalog,
        taste: &'a Taste,
        shared: &'a SharedScores,
        seed: u64,
    ) -> Self {
        let vocabulary = catalog
            .text
            .iter()
            .flat_map(|v| v.0.last().map(|e| e.0 as usize + 1))
            .max()
            .unwrap_or(0);
        let text_centres = taste
            .clusters
            .iter()
            .map(|c| dense(&c.text, vocabulary))
            .collect();
        let negatives: Vec<&[f32]> = taste
            .negatives
            .iter()
            .filter_map(|&t| catalog.embedding(t))
            .collect();
        let negative_centres = cluster(&negatives, &vec![1.0; negatives.len()], 3, seed)
            .into_iter()
            .map(|c| c.centre)
            .collect();
        let disliked: Vec<(usize, f32)> = taste.negatives.iter().map(|&t| (t, 1.0)).collect();
        let negative_text = dense(&text_centre(catalog, &disliked), vocabulary);
        let meaning_centres = taste
            .clusters
            .iter()
            .filter_map(|c| c.meaning.clone())
            .collect();
        let negative_meaning = catalog.meaning_centre(taste.negatives.iter().copied());
        let max_artist = taste.artist_weight.values().cloned().fold(0.0, f32::max);
        Scorer {
            catalog,
            taste,
            shared,
            text_centres,
            meaning_centres,
            negative_meaning,
            negative_centres,
            negative_text,
            max_artist,
        }
    }

    /// The scores of catalog track `i`; `played_before` when the listener has played it (not lately).
    pub fn features(&self, i: usize, played_before: bool) -> Features {
        let mut x = [0.0; N];
        let track = &self.catalog.tracks[i];
        x[0] = self.shared.cf(i);
        x[1] = self.taste.session.get(&i).copied().unwrap_or(0.0);
        let artist = self
            .taste
            .artist_weight
            .get(&track.artist_group)
            .copied()
            .unwrap_or(0.0);
        // ln_1p: plays decayed over decades leave weights so small that ln(1 + w) rounds to 0
        // (0 / 0 made the score NaN, and a NaN score dropped the track from the stored list).
        let scale = self.max_artist.ln_1p();
        if scale > 0.0 {
            x[2] = artist.ln_1p() / scale;
        }
        x[3] = self.audio(i);
        x[4] = self.text(i);
        x[5] = self.shared.popular(i);
        x[6] = if played_before {
            0.1
        } else if self.taste.artists_known.contains(&track.artist_group) {
            0.4
        } else {
            1.0
        };
        x
    }

    fn audio(&self, i: usize) -> f32 {
        let Some(e) = self.catalog.embedding(i) else {
            return 0.0;
        };
        let Some((c, cos)) = nearest_cluster(self.taste, e) else {
            return 0.0;
        };
        let base = match dsp_closeness(self.catalog, i, &self.taste.clusters[c]) {
            Some(d) => 0.85 * cos + 0.15 * d,
            None => cos,
        };
        let against = self
            .negative_centres
            .iter()
            .map(|n| dot(e, n))
            .fold(0f32, f32::max);
        (base - 0.5 * against).clamp(0.0, 1.0)
    }

    fn text(&self, i: usize) -> f32 {
        let v = &self.catalog.text[i].0;
        let near = |c: &[f32]| v.iter().map(|&(t, w)| w * c[t as usize]).sum::<f32>();
        let best = self
            .text_centres
            .iter()
            .map(|c| near(c))
            .fold(0f32, f32::max);
        let words = (best - 0.5 * near(&self.negative_text)).clamp(0.0, 1.0);
        let cosine = |c: &[f32]| self.catalog.meaning_cosine(i, c);
        let meaning = self
            .meaning_centres
            .iter()
            .filter_map(|c| cosine(c))
            .reduce(f32::max)
            .map(|best| {
                let against = self.negative_meaning.as_deref().and_then(cosine);
                (best - 0.5 * against.unwrap_or(0.0).max(0.0)).clamp(0.0, 1.0)
            });
        blend_text(words, meaning)
    }
}

fn dense(v: &TermVector, len: usize) -> Vec<f32> {
    let mut out = vec![0f32; len];
    for &(t, w) in &v.0 {
        if let Some(slot) = out.get_mut(t as usize) {
            *slot = w;
        }
    }
    out
}

/// The listener's track that best explains a candidate for a model: by sound, by text, or the
/// artist's most liked track. `None` when the listener has nothing close.
pub fn nearest_liked(catalog: &Catalog, taste: &Taste, i: usize, by: Explain) -> Option<usize> {
    let candidates = taste.positives.iter().take(500).map(|p| p.0);
    match by {
        Explain::Sound => {
            let e = catalog.embedding(i)?;
            candidates
                .filter_map(|t| catalog.embedding(t).map(|f| (t, dot(e, f))))
                .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
                .map(|b| b.0)
        }
        Explain::Text => candidates
            .map(|t| (t, catalog.text_similarity(i, t)))
            .filter(|b| b.1 > 0.0)
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
            .map(|b| b.0),
        Explain::Artist => {
            let group = catalog.tracks[i].artist_group;
            taste
                .positives
                .iter()
                .find(|p| catalog.tracks[p.0].artist_group == group)
                .map(|p| p.0)
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub enum Explain {
    Sound,
    Text,
    Artist,
}

/// Popularity per catalog track from shared user counts per track and per artist group.
pub fn popularity(
    catalog: &Catalog,
    per_track: &HashMap<usize, f32>,
    per_artist: &HashMap<u32, f32>,
) -> Vec<f32> {
    let raw: Vec<f32> = (0..catalog.len())
        .map(|i| {
            let t = per_track.get(&i).copied().unwrap_or(0.0);
            let a = per_artist
                .get(&catalog.tracks[i].artist_group)
                .copied()
                .unwrap_or(0.0);
            (1.0 + t).ln() + 0.5 * (1.0 + a).ln()
        })
        .collect();
    let max = raw.iter().cloned().fold(0f32, f32::max);
    if max <= 0.0 {
        return vec![0.0; raw.len()];
    }
    raw.into_iter().map(|r| r / max).collect()
}
