//! What a mix is built around — seed songs, a taste cluster, a point on a path — and how close a
//! candidate is to it by each model: sound (the CNN embedding), text (names, genres, tags) and artist.

use std::collections::HashSet;

use crate::discover::catalog::{blend_text, dot, Catalog};
use crate::discover::taste::text_centre;

/// A weighted set of tracks seen as one point per model.
pub struct Anchor {
    /// Catalog indices and weights of the tracks it is made of.
    pub tracks: Vec<(usize, f32)>,
    /// Unit mean of the tracks' embeddings (empty when none has one).
    pub centre: Vec<f32>,
    /// Their normalised text centre, dense over the vocabulary.
    text: Vec<f32>,
    /// Unit mean of their sentence embeddings, where their texts were embedded.
    meaning: Option<Vec<f32>>,
    pub artists: HashSet<u32>,
}

/// Terms in the catalog's text vectors (the length of a dense text vector).
pub fn vocabulary(catalog: &Catalog) -> usize {
    catalog
        .text
        .iter()
        .flat_map(|v| v.0.last().map(|e| e.0 as usize + 1))
        .max()
        .unwrap_or(0)
}

/// The unit mean of the tracks' embeddings, weighted (empty when none has one).
pub fn embedding_centre(catalog: &Catalog, tracks: &[(usize, f32)]) -> Vec<f32> {
    let mut centre = vec![0f32; catalog.dim];
    for &(t, w) in tracks {
        if let Some(e) = catalog.embedding(t) {
            centre.iter_mut().zip(e).for_each(|(c, x)| *c += w * x);
        }
    }
    let norm = centre.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm == 0.0 {
        return Vec::new();
    }
    centre.iter_mut().for_each(|x| *x /= norm);
    centre
}

impl Anchor {
    pub fn new(catalog: &Catalog, tracks: &[(usize, f32)], vocabulary: usize) -> Self {
        let mut text = vec![0f32; vocabulary];
        for &(term, w) in &text_centre(catalog, tracks).0 {
            if let Some(slot) = text.get_mut(term as usize) {
                *slot = w;
            }
        }
        Anchor {
            tracks: tracks.to_vec(),
            centre: embedding_centre(catalog, tracks),
            text,
            meaning: catalog.meaning_centre(tracks.iter().map(|&(t, _)| t)),
            artists: tracks
                .iter()
                .map(|&(t, _)| catalog.tracks[t].artist_group)
                .collect(),
        }
    }

    /// Cosine of the candidate's sound with the anchor's (0 when either is unknown or opposite).
    pub fn sound(&self, catalog: &Catalog, i: usize) -> f32 {
        match catalog.embedding(i) {
            Some(e) if !self.centre.is_empty() => dot(e, &self.centre).max(0.0),
            _ => 0.0,
        }
    }

    /// Closeness of the candidate's text to the anchor's: words and meaning (see `blend_text`).
    pub fn text(&self, catalog: &Catalog, i: usize) -> f32 {
        let words = catalog.text[i]
            .0
            .iter()
            .map(|&(t, w)| w * self.text.get(t as usize).copied().unwrap_or(0.0))
            .sum::<f32>()
            .max(0.0);
        let meaning = self
            .meaning
            .as_ref()
            .and_then(|m| catalog.meaning_cosine(i, m));
        blend_text(words, meaning)
    }

    /// The anchor's track nearest to the candidate by sound, or else by text (for reasons).
    pub fn nearest(&self, catalog: &Catalog, i: usize, by_sound: bool) -> Option<usize> {
        self.tracks
            .iter()
            .map(|&(t, _)| t)
            .filter(|&t| t != i)
            .map(|t| {
                let closeness = if by_sound {
                    catalog.similarity(t, i)
                } else {
                    catalog.text_similarity(t, i)
                };
                (t, closeness)
            })
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
            .map(|(t, _)| t)
    }
}
