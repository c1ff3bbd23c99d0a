//! Sparse item-item models (RP3beta, item-kNN): each item keeps its strongest neighbours, and a
//! listener's scores are the sum of their items' neighbour rows.

use rayon::prelude::*;

use super::matrix::Csr;

/// Sparse item-item weights: row `i` lists the neighbours of item `i`.
#[derive(Debug, Clone)]
pub struct ItemItem {
    pub similarity: Csr,
}

impl ItemItem {
    /// For every item `i`, the two-step products `Σ_u from_item[i, u] · from_user[u, j]` of every
    /// reachable `j ≠ i`, turned into a weight by `finish(i, j, product)`; the `neighbours` largest
    /// positive weights are kept.
    pub fn build(
        from_item: &Csr,
        from_user: &Csr,
        neighbours: usize,
        finish: impl Fn(usize, usize, f32) -> f32 + Sync,
    ) -> Self {
        let n = from_item.rows;
        let rows: Vec<Vec<(u32, f32)>> = (0..n)
            .into_par_iter()
            .map_init(
                || vec![0f32; from_user.cols],
                |acc, i| {
                    let mut touched = Vec::new();
                    let (users, w_iu) = from_item.row(i);
                    for (&u, &a) in users.iter().zip(w_iu) {
                        let (items, w_uj) = from_user.row(u as usize);
                        for (&j, &b) in items.iter().zip(w_uj) {
                            if acc[j as usize] == 0.0 {
                                touched.push(j);
                            }
                            acc[j as usize] += a * b;
                        }
                    }
                    let mut row: Vec<(u32, f32)> = touched
                        .iter()
                        .filter(|&&j| j as usize != i)
                        .map(|&j| (j, finish(i, j as usize, acc[j as usize])))
                        .filter(|&(_, w)| w > 0.0)
                        .collect();
                    for &j in &touched {
                        acc[j as usize] = 0.0;
                    }
                    if row.len() > neighbours {
                        row.select_nth_unstable_by(neighbours, |a, b| b.1.total_cmp(&a.1));
                        row.truncate(neighbours);
                    }
                    row.sort_unstable_by_key(|&(j, _)| j);
                    row.shrink_to_fit();
                    row
                },
            )
            .collect();
        // Straight into compressed rows (each row is sorted): no copy of all the triples.
        let mut similarity = Csr {
            rows: n,
            cols: from_user.cols,
            indptr: Vec::with_capacity(n + 1),
            ..Default::default()
        };
        let nnz: usize = rows.iter().map(Vec::len).sum();
        similarity.indices.reserve_exact(nnz);
        similarity.values.reserve_exact(nnz);
        similarity.indptr.push(0);
        for row in rows {
            similarity.indices.extend(row.iter().map(|&(j, _)| j));
            similarity.values.extend(row.iter().map(|&(_, w)| w));
            similarity.indptr.push(similarity.indices.len());
        }
        ItemItem { similarity }
    }

    /// Scores of every item for a listener's `(item, weight)` interactions.
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

    /// The weight of `to` in `from`'s neighbour row (0 when it is not a neighbour).
    pub fn weight(&self, from: u32, to: u32) -> f32 {
        let (cols, vals) = self.similarity.row(from as usize);
        cols.binary_search(&to).map(|at| vals[at]).unwrap_or(0.0)
    }
}

/// Item-kNN: cosine similarity of items' listener sets, shrunk towards 0 for items with few
/// listeners (`co / (‖i‖‖j‖ + shrink)`, Sarwar et al. 2001 with the usual shrinkage).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct KnnParams {
    pub neighbours: usize,
    pub shrink: f32,
}

impl Default for KnnParams {
    fn default() -> Self {
        KnnParams {
            neighbours: 200,
            shrink: 10.0,
        }
    }
}

/// Item-kNN weights of binary `ratings`.
pub fn item_knn(ratings: &Csr, params: KnnParams) -> ItemItem {
    let by_item = ratings.transpose();
    let norm: Vec<f32> = (0..by_item.rows)
        .map(|i| by_item.row(i).1.iter().map(|v| v * v).sum::<f32>().sqrt())
        .collect();
    ItemItem::build(&by_item, ratings, params.neighbours, |i, j, co| {
        co / (norm[i] * norm[j] + params.shrink)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knn_is_the_shrunk_cosine_and_keeps_the_nearest() {
        // Items 0 and 1 share 3 of their 4 and 3 listeners; item 2 shares one listener with 0.
        let t = [
            (0, 0, 1.0),
            (1, 0, 1.0),
            (2, 0, 1.0),
            (3, 0, 1.0),
            (0, 1, 1.0),
            (1, 1, 1.0),
            (2, 1, 1.0),
            (3, 2, 1.0),
            (4, 2, 1.0),
        ];
        let m = Csr::from_triples(5, 3, &t);
        let knn = item_knn(
            &m,
            KnnParams {
                neighbours: 1,
                shrink: 1.0,
            },
        );
        let want = 3.0 / (2.0 * 3f32.sqrt() + 1.0);
        assert!((knn.weight(0, 1) - want).abs() < 1e-6);
        assert_eq!(knn.weight(0, 2), 0.0, "only the nearest neighbour is kept");
        assert_eq!(knn.weight(0, 0), 0.0);
        let s = knn.scores(&[1], &[2.0]);
        assert!((s[0] - 2.0 * want).abs() < 1e-6 && s[2] == 0.0, "{s:?}");
    }
}
