//! "More like this sound": nearest tracks by the CNN embedding. Embeddings are centred on the library's
//! mean before the cosine, since every musicnn embedding shares a large common component that would
//! otherwise make everything look alike.

use rusqlite::Connection;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Neighbour {
    pub track_id: i64,
    /// Cosine similarity of the centred embeddings (1 = same direction).
    pub similarity: f32,
}

#[derive(Debug, thiserror::Error)]
pub enum SimilarError {
    #[error("track {0} has no audio embedding yet: run the analysis (with ONNX Runtime) first")]
    NotAnalysed(i64),
    #[error("reading embeddings: {0}")]
    Db(#[from] rusqlite::Error),
}

/// Unit vectors of the centred embeddings, in the order given.
fn centred_unit(embeddings: &[(i64, Vec<f32>)]) -> Vec<Vec<f32>> {
    let dim = embeddings.first().map_or(0, |(_, e)| e.len());
    let mut mean = vec![0f32; dim];
    for (_, e) in embeddings.iter().filter(|(_, e)| e.len() == dim) {
        mean.iter_mut().zip(e).for_each(|(m, x)| *m += x);
    }
    mean.iter_mut()
        .for_each(|m| *m /= embeddings.len().max(1) as f32);
    embeddings
        .iter()
        .map(|(_, e)| {
            if e.len() != dim {
                return vec![0.0; dim];
            }
            let mut v: Vec<f32> = e.iter().zip(&mean).map(|(x, m)| x - m).collect();
            let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
            if norm > 0.0 {
                v.iter_mut().for_each(|x| *x /= norm);
            }
            v
        })
        .collect()
}

/// The `k` tracks nearest to `track_id` among `embeddings` (itself excluded), most similar first.
pub fn nearest(embeddings: &[(i64, Vec<f32>)], track_id: i64, k: usize) -> Option<Vec<Neighbour>> {
    let at = embeddings.iter().position(|(id, _)| *id == track_id)?;
    let units = centred_unit(embeddings);
    let query = &units[at];
    let mut scored: Vec<Neighbour> = embeddings
        .iter()
        .zip(&units)
        .filter(|((id, _), _)| *id != track_id)
        .map(|((id, _), v)| Neighbour {
            track_id: *id,
            similarity: v.iter().zip(query).map(|(a, b)| a * b).sum(),
        })
        .collect();
    let k = k.min(scored.len());
    if k == 0 {
        return Some(Vec::new());
    }
    scored.select_nth_unstable_by(k - 1, |a, b| b.similarity.total_cmp(&a.similarity));
    scored.truncate(k);
    scored.sort_by(|a, b| {
        b.similarity
            .total_cmp(&a.similarity)
            .then(a.track_id.cmp(&b.track_id))
    });
    Some(scored)
}

/// The `k` present tracks that sound most like `track_id`.
pub fn more_like(
    conn: &Connection,
    track_id: i64,
    k: usize,
) -> Result<Vec<Neighbour>, SimilarError> {
    let embeddings = super::store::embeddings(conn)?;
    nearest(&embeddings, track_id, k).ok_or(SimilarError::NotAnalysed(track_id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_ranks_by_direction_after_removing_the_common_part() {
        // A large shared component (10, 10) plus a small distinguishing one.
        let e = |id, x: f32, y: f32| (id, vec![10.0 + x, 10.0 + y, 5.0]);
        let all = vec![
            e(1, 1.0, 0.0),
            e(2, 0.9, 0.1),
            e(3, 0.0, 1.0),
            e(4, -1.0, 0.0),
        ];
        let near = nearest(&all, 1, 2).unwrap();
        assert_eq!(near.iter().map(|n| n.track_id).collect::<Vec<_>>(), [2, 3]);
        assert!(
            near[0].similarity > 0.9 && near[1].similarity < 0.5,
            "{near:?}"
        );
        assert!(nearest(&all, 99, 2).is_none());
        assert_eq!(nearest(&all, 4, 10).unwrap().len(), 3);
    }
}
