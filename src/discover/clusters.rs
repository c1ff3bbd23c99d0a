//! Taste is multi-modal (someone who plays both ambient and punk does not want their average), so the
//! listener's liked sounds are grouped into a few clusters, as Spotify's Daily Mixes are: weighted
//! spherical k-means over unit embeddings, seeded with k-means++ from a fixed seed (same input, same
//! clusters).

use super::catalog::dot;
use super::rng::SplitMix;

#[derive(Debug, Clone)]
pub struct Cluster {
    /// Unit-length centre.
    pub centre: Vec<f32>,
    /// Sum of the members' weights.
    pub weight: f32,
    /// Indices into the points given to [`cluster`].
    pub members: Vec<usize>,
}

/// How many clusters `n` weighted points support: one per ~4 points, at most `max` (a listener
/// with a handful of plays in two styles already has two tastes).
pub fn cluster_count(n: usize, max: usize) -> usize {
    n.div_ceil(4).clamp(1, max.max(1)).min(n.max(1))
}

/// Groups unit vectors (`points[i]`, weight `weights[i] > 0`) into at most `k` clusters.
pub fn cluster(points: &[&[f32]], weights: &[f32], k: usize, seed: u64) -> Vec<Cluster> {
    let n = points.len();
    if n == 0 || k == 0 {
        return Vec::new();
    }
    let dim = points[0].len();
    let mut rng = SplitMix::new(seed);
    // k-means++: each next centre drawn with probability ∝ weight × distance² to the nearest centre.
    let first = rng.weighted(weights).unwrap_or(0);
    let mut centres: Vec<Vec<f32>> = vec![points[first].to_vec()];
    let mut nearest: Vec<f32> = points.iter().map(|p| 1.0 - dot(p, &centres[0])).collect();
    while centres.len() < k.min(n) {
        let scores: Vec<f32> = nearest
            .iter()
            .zip(weights)
            .map(|(d, w)| d.max(0.0).powi(2) * w)
            .collect();
        let Some(next) = rng.weighted(&scores) else {
            break; // every point sits on a centre already
        };
        centres.push(points[next].to_vec());
        let c = centres.last().unwrap();
        for (d, p) in nearest.iter_mut().zip(points) {
            *d = d.min(1.0 - dot(p, c));
        }
    }
    let mut assignment = vec![0usize; n];
    for _ in 0..20 {
        let mut changed = false;
        for (i, p) in points.iter().enumerate() {
            let best = (0..centres.len())
                .max_by(|&a, &b| {
                    dot(p, &centres[a])
                        .total_cmp(&dot(p, &centres[b]))
                        .then(b.cmp(&a))
                })
                .unwrap_or(0);
            changed |= best != assignment[i];
            assignment[i] = best;
        }
        for (c, centre) in centres.iter_mut().enumerate() {
            let mut sum = vec![0f32; dim];
            for i in (0..n).filter(|&i| assignment[i] == c) {
                sum.iter_mut()
                    .zip(points[i])
                    .for_each(|(s, x)| *s += x * weights[i]);
            }
            let norm = sum.iter().map(|x| x * x).sum::<f32>().sqrt();
            if norm > 0.0 {
                *centre = sum.into_iter().map(|x| x / norm).collect();
            }
        }
        if !changed {
            break;
        }
    }
    let mut clusters: Vec<Cluster> = centres
        .into_iter()
        .enumerate()
        .map(|(c, centre)| {
            let members: Vec<usize> = (0..n).filter(|&i| assignment[i] == c).collect();
            Cluster {
                centre,
                weight: members.iter().map(|&i| weights[i]).sum(),
                members,
            }
        })
        .filter(|c| !c.members.is_empty())
        .collect();
    clusters.sort_by(|a, b| b.weight.total_cmp(&a.weight));
    clusters
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(v: &[f32]) -> Vec<f32> {
        let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        v.iter().map(|x| x / n).collect()
    }

    #[test]
    fn two_tastes_make_two_clusters_not_one_average() {
        let mut points = Vec::new();
        for i in 0..6 {
            let e = i as f32 * 0.05;
            points.push(unit(&[1.0, e, 0.0]));
            points.push(unit(&[0.0, e, 1.0]));
        }
        let refs: Vec<&[f32]> = points.iter().map(Vec::as_slice).collect();
        let weights = vec![1.0; refs.len()];
        let clusters = cluster(&refs, &weights, 2, 7);
        assert_eq!(clusters.len(), 2);
        for c in &clusters {
            assert_eq!(c.members.len(), 6);
            // Members of one cluster are all of one taste.
            let first = points[c.members[0]][0] > 0.5;
            assert!(c.members.iter().all(|&m| (points[m][0] > 0.5) == first));
        }
        // Deterministic for the same seed.
        let again = cluster(&refs, &weights, 2, 7);
        assert_eq!(again[0].members, clusters[0].members);
        assert_eq!(cluster_count(3, 6), 1);
        assert_eq!(cluster_count(7, 6), 2);
        assert_eq!(cluster_count(400, 6), 6);
    }
}
