//! RP3beta (Paudel et al. 2017): item-item weights from a three-step random walk item → user → item,
//! with transition probabilities raised to `alpha` and the arrival item's popularity divided out
//! (`pop^beta`) so that the walk does not always end on the hits. Each item keeps its `neighbours`
//! strongest successors. A strong, cheap baseline on implicit data.

use rayon::prelude::*;

use super::matrix::Csr;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rp3Params {
    pub alpha: f32,
    pub beta: f32,
    pub neighbours: usize,
}

impl Default for Rp3Params {
    fn default() -> Self {
        Rp3Params {
            alpha: 1.0,
            beta: 0.5,
            neighbours: 200,
        }
    }
}

/// Sparse item-item weights: row `i` lists the neighbours of item `i`.
#[derive(Debug, Clone)]
pub struct Rp3Model {
    pub similarity: Csr,
}

impl Rp3Model {
    pub fn fit(ratings: &Csr, params: Rp3Params) -> Self {
        let n = ratings.cols;
        let by_item = ratings.transpose();
        // Row-normalised transition probabilities, raised to alpha.
        let normalise = |m: &Csr| {
            let mut out = m.clone();
            for r in 0..m.rows {
                let span = m.indptr[r]..m.indptr[r + 1];
                let sum: f32 = m.values[span.clone()].iter().sum();
                for at in span {
                    out.values[at] = (m.values[at] / sum.max(f32::MIN_POSITIVE)).powf(params.alpha);
                }
            }
            out
        };
        let p_ui = normalise(ratings);
        let p_iu = normalise(&by_item);
        let popularity: Vec<f32> = (0..n)
            .map(|i| (by_item.indptr[i + 1] - by_item.indptr[i]) as f32)
            .collect();
        let rows: Vec<Vec<(u32, f32)>> = (0..n)
            .into_par_iter()
            .map_init(
                || vec![0f32; n],
                |acc, i| {
                    let mut touched = Vec::new();
                    let (users, pu) = p_iu.row(i);
                    for (&u, &w_iu) in users.iter().zip(pu) {
                        let (items, pj) = p_ui.row(u as usize);
                        for (&j, &w_uj) in items.iter().zip(pj) {
                            if acc[j as usize] == 0.0 {
                                touched.push(j);
                            }
                            acc[j as usize] += w_iu * w_uj;
                        }
                    }
                    let mut row: Vec<(u32, f32)> = touched
                        .iter()
                        .filter(|&&j| j as usize != i)
                        .map(|&j| {
                            (
                                j,
                                acc[j as usize] / popularity[j as usize].max(1.0).powf(params.beta),
                            )
                        })
                        .collect();
                    for &j in &touched {
                        acc[j as usize] = 0.0;
                    }
                    if row.len() > params.neighbours {
                        row.select_nth_unstable_by(params.neighbours, |a, b| b.1.total_cmp(&a.1));
                        row.truncate(params.neighbours);
                    }
                    row
                },
            )
            .collect();
        let triples: Vec<(u32, u32, f32)> = rows
            .iter()
            .enumerate()
            .flat_map(|(i, row)| row.iter().map(move |&(j, w)| (i as u32, j, w)))
            .collect();
        Rp3Model {
            similarity: Csr::from_triples(n, n, &triples),
        }
    }

    /// Scores of every item for a listener's `(item, weight)` interactions (the weights are used as
    /// given; pass 1.0 for a plain walk from each item).
    pub fn scores(&self, items: &[u32], weights: &[f32]) -> Vec<f32> {
        let mut out = vec![0f32; self.similarity.cols];
        for (&i, &w) in items.iter().zip(weights) {
            let (cols, vals) = self.similarity.row(i as usize);
            for (&j, &s) in cols.iter().zip(vals) {
                out[j as usize] += w * s;
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_walk_reaches_co_played_items_and_discounts_the_hit() {
        // Item 0 is played by everyone; items 1 and 2 by the same few users.
        let mut t = vec![];
        for u in 0..20u32 {
            t.push((u, 0, 1.0));
            if u < 4 {
                t.push((u, 1, 1.0));
                t.push((u, 2, 1.0));
            } else if u < 6 {
                t.push((u, 3, 1.0));
            }
        }
        let model = Rp3Model::fit(&Csr::from_triples(20, 4, &t), Rp3Params::default());
        let s = model.scores(&[1], &[1.0]);
        assert!(s[2] > s[0], "co-played item should beat the hit: {s:?}");
        assert_eq!(s[1], 0.0, "an item is not its own neighbour");
    }
}
