//! The library's stored sentence embeddings in memory, for "Find by words" and similar artists:
//! 8-bit codes with a scale per track (51 MB for 100k tracks), read once per library version.

use std::collections::HashMap;

use rusqlite::Connection;

use super::{store, DIM, MODEL_ID};

#[derive(Default)]
pub struct TrackEmbeddings {
    at: HashMap<i64, usize>,
    scales: Vec<f32>,
    codes: Vec<i8>,
}

impl std::fmt::Debug for TrackEmbeddings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TrackEmbeddings({} tracks)", self.len())
    }
}

impl TrackEmbeddings {
    /// Every present track's embedding made by the current model.
    pub fn load(conn: &Connection) -> rusqlite::Result<Self> {
        let mut out = TrackEmbeddings::default();
        for (id, blob) in store::present_blobs(conn, MODEL_ID)? {
            if let Some((scale, codes)) = store::split_blob(&blob) {
                out.at.insert(id, out.scales.len());
                out.scales.push(scale);
                out.codes.extend(codes);
            }
        }
        Ok(out)
    }

    pub fn len(&self) -> usize {
        self.scales.len()
    }

    pub fn is_empty(&self) -> bool {
        self.scales.is_empty()
    }

    fn row(&self, slot: usize) -> impl Iterator<Item = f32> + '_ {
        let scale = self.scales[slot];
        self.codes[slot * DIM..(slot + 1) * DIM]
            .iter()
            .map(move |&c| f32::from(c) * scale)
    }

    /// The track's vector, if it has one.
    pub fn vector(&self, track_id: i64) -> Option<Vec<f32>> {
        self.at.get(&track_id).map(|&slot| self.row(slot).collect())
    }

    /// The unit mean of the tracks' vectors (`None` when none of them has one).
    pub fn centroid(&self, track_ids: impl IntoIterator<Item = i64>) -> Option<Vec<f32>> {
        let mut sum = vec![0f32; DIM];
        let mut any = false;
        for id in track_ids {
            if let Some(&slot) = self.at.get(&id) {
                sum.iter_mut()
                    .zip(self.row(slot))
                    .for_each(|(s, v)| *s += v);
                any = true;
            }
        }
        let norm = sum.iter().map(|v| v * v).sum::<f32>().sqrt();
        (any && norm > 0.0).then(|| sum.into_iter().map(|v| v / norm).collect())
    }

    /// The dot product of the track's vector with `query`, if the track has one (a cosine when
    /// `query` is a unit vector).
    pub fn dot(&self, track_id: i64, query: &[f32]) -> Option<f32> {
        let &slot = self.at.get(&track_id)?;
        let codes = &self.codes[slot * DIM..(slot + 1) * DIM];
        let dot: f32 = codes
            .iter()
            .zip(query)
            .map(|(&c, &q)| f32::from(c) * q)
            .sum();
        Some(dot * self.scales[slot])
    }

    /// The cosine of `query` (a unit vector) with each of `track_ids`, in order; NaN for a track
    /// without an embedding.
    pub fn cosines(&self, track_ids: &[i64], query: &[f32]) -> Vec<f32> {
        track_ids
            .iter()
            .map(|&id| self.dot(id, query).unwrap_or(f32::NAN))
            .collect()
    }
}
