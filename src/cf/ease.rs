//! EASE (Steck 2019): a closed-form item-item linear model. With `P = (XᵀX + Λ)⁻¹` the weights are
//! `B = I - P · diag(1/diag(P))` (zero diagonal), and a listener's scores are `x · B`
//! `= x - (x P) ⊘ diag(P)`.
//!
//! `P` is found in whichever space is smaller. With fewer items than listeners (the primal form) it
//! is one dense `items × items` inverse and `B` is kept. With fewer listeners (HetRec: 1.9k users,
//! 15k artists; MPD: 5k playlists, 147k songs) the Woodbury identity
//! `P = Λ⁻¹ - Λ⁻¹Xᵀ K⁻¹ X Λ⁻¹` with `K = I + X Λ⁻¹ Xᵀ` needs only the `users × users` inverse, and
//! `B` is never formed: a listener's scores cost one `users²` product and one pass over `X`.
//!
//! `Λ = λI` is plain EASE. With `dropout > 0` it is the denoising variant (EDLAE, Steck 2020):
//! `Λ = λI + p/(1-p) · diag(XᵀX)` regularises popular items more, as training with dropout of the
//! input would, which keeps the model from leaning on the hits.

use rayon::prelude::*;

use super::linalg::symmetric_product;
use super::matrix::Csr;
use faer::linalg::solvers::DenseSolveCore;
use faer::{Mat, Side};

#[derive(Debug, thiserror::Error)]
pub enum EaseError {
    #[error(
        "EASE needs a dense {side} × {side} matrix ({users} listeners, {items} items); at most \
         {max} are supported (use ALS or RP3beta)"
    )]
    TooLarge {
        users: usize,
        items: usize,
        side: usize,
        max: usize,
    },
    #[error("the Gram matrix is not positive definite; raise the regularisation")]
    NotPositiveDefinite,
}

/// Above this the dense matrix (of the smaller side) alone would need gigabytes.
pub const MAX_SIDE: usize = 20_000;

#[derive(Debug, Clone)]
pub struct EaseModel {
    pub items: usize,
    pub(super) form: Form,
}

#[derive(Debug, Clone)]
pub(super) enum Form {
    /// Row-major `items × items` weights, zero diagonal.
    Primal {
        weights: Vec<f32>,
    },
    Dual(Box<Dual>),
}

/// What the Woodbury form keeps: the training matrix both ways, `Λ⁻¹`, `K⁻¹` and `diag(P)`.
#[derive(Debug, Clone)]
pub(super) struct Dual {
    pub(super) by_user: Csr,
    pub(super) by_item: Csr,
    /// `1/Λ_j`.
    pub(super) inv_lambda: Vec<f32>,
    /// Row-major `users × users` `K⁻¹`.
    pub(super) k_inv: Vec<f32>,
    pub(super) diag_p: Vec<f32>,
}

/// The diagonal of `Λ` for item counts `counts` (`diag(XᵀX)` of binary input).
fn regulariser(counts: &[f64], lambda: f64, dropout: f64) -> Vec<f64> {
    let p = dropout.clamp(0.0, 0.95);
    let emphasis = p / (1.0 - p);
    counts.iter().map(|&c| lambda + emphasis * c).collect()
}

fn inverse<T: faer::traits::RealField>(g: faer::MatRef<T>) -> Result<Mat<T>, EaseError> {
    // faer's blocked, multi-threaded Cholesky and inverse (a 4000 × 4000 inverse takes about a
    // second here, against minutes for a plain triple loop).
    Ok(g.llt(Side::Lower)
        .map_err(|_| EaseError::NotPositiveDefinite)?
        .inverse())
}

impl EaseModel {
    pub fn fit(ratings: &Csr, lambda: f64, dropout: f64) -> Result<Self, EaseError> {
        let (m, n) = (ratings.rows, ratings.cols);
        let side = m.min(n);
        if side > MAX_SIDE {
            return Err(EaseError::TooLarge {
                users: m,
                items: n,
                side,
                max: MAX_SIDE,
            });
        }
        let by_item = ratings.transpose();
        let counts: Vec<f64> = (0..n)
            .map(|j| by_item.row(j).1.iter().map(|&v| (v * v) as f64).sum())
            .collect();
        let reg = regulariser(&counts, lambda, dropout);
        let form = if n <= m {
            Self::primal(ratings, &reg)?
        } else {
            Self::dual(ratings, by_item, &reg)?
        };
        Ok(EaseModel { items: n, form })
    }

    fn primal(ratings: &Csr, reg: &[f64]) -> Result<Form, EaseError> {
        let n = ratings.cols;
        let mut g = Mat::<f64>::zeros(n, n);
        for u in 0..ratings.rows {
            let (cols, vals) = ratings.row(u);
            for (&i, &vi) in cols.iter().zip(vals) {
                for (&j, &vj) in cols.iter().zip(vals) {
                    g[(i as usize, j as usize)] += (vi * vj) as f64;
                }
            }
        }
        for (i, r) in reg.iter().enumerate() {
            g[(i, i)] += r;
        }
        let p = inverse(g.as_ref())?;
        let mut weights = vec![0f32; n * n];
        weights
            .par_chunks_mut(n.max(1))
            .enumerate()
            .for_each(|(i, row)| {
                for (j, w) in row.iter_mut().enumerate() {
                    if i != j {
                        *w = (-p[(i, j)] / p[(j, j)]) as f32;
                    }
                }
            });
        Ok(Form::Primal { weights })
    }

    fn dual(ratings: &Csr, by_item: Csr, reg: &[f64]) -> Result<Form, EaseError> {
        let m = ratings.rows;
        let inv_lambda: Vec<f32> = reg.iter().map(|r| (1.0 / r) as f32).collect();
        // K = I + X Λ⁻¹ Xᵀ, one listener's row at a time: K[u, v] = Σ_j x_uj x_vj / Λ_j. Single
        // precision: K's eigenvalues lie in [1, 1 + max count / λ], so it is well conditioned, and
        // at MPD's 5k listeners f32 halves the peak memory (three m² matrices at most).
        let mut k = vec![0f32; m * m];
        k.par_chunks_mut(m.max(1)).enumerate().for_each(|(u, row)| {
            let (items, xu) = ratings.row(u);
            for (&j, &x) in items.iter().zip(xu) {
                let (users, xj) = by_item.row(j as usize);
                let s = x * inv_lambda[j as usize];
                for (&v, &y) in users.iter().zip(xj) {
                    row[v as usize] += s * y;
                }
            }
            row[u] += 1.0;
        });
        // Symmetric, so the row-major rows are also the columns.
        let k_inv = inverse(faer::MatRef::from_column_major_slice(&k, m, m))?;
        drop(k);
        // diag(P)_j = 1/Λ_j - (x_jᵀ K⁻¹ x_j) / Λ_j², over the item's listeners only.
        let diag_p: Vec<f32> = (0..ratings.cols)
            .into_par_iter()
            .map(|j| {
                let (users, xj) = by_item.row(j);
                let mut quad = 0f64;
                for (&u, &a) in users.iter().zip(xj) {
                    for (&v, &b) in users.iter().zip(xj) {
                        quad += (a * b * k_inv[(u as usize, v as usize)]) as f64;
                    }
                }
                let il = inv_lambda[j] as f64;
                (il - quad * il * il) as f32
            })
            .collect();
        let mut flat = vec![0f32; m * m];
        flat.par_chunks_mut(m.max(1))
            .enumerate()
            .for_each(|(i, row)| {
                for (j, v) in row.iter_mut().enumerate() {
                    *v = k_inv[(i, j)];
                }
            });
        drop(k_inv);
        Ok(Form::Dual(Box::new(Dual {
            by_user: ratings.clone(),
            by_item,
            inv_lambda,
            k_inv: flat,
            diag_p,
        })))
    }

    /// Scores of every item for a listener's `(item, weight)` interactions.
    pub fn scores(&self, items: &[u32], weights: &[f32]) -> Vec<f32> {
        let n = self.items;
        match &self.form {
            Form::Primal { weights: b } => {
                let mut out = vec![0f32; n];
                for (&i, &w) in items.iter().zip(weights) {
                    super::linalg::axpy(w, &b[i as usize * n..(i as usize + 1) * n], &mut out);
                }
                out
            }
            Form::Dual(d) => d.scores(items, weights),
        }
    }

    /// `B[from[f], to[t]]` for every pair, row-major `from × to`: what each of a listener's items
    /// adds to each target's score.
    pub fn weights_between(&self, from: &[u32], to: &[u32]) -> Vec<f32> {
        let n = self.items;
        match &self.form {
            Form::Primal { weights } => from
                .iter()
                .flat_map(|&f| {
                    to.iter()
                        .map(move |&t| weights[f as usize * n + t as usize])
                })
                .collect(),
            Form::Dual(d) => d.weights_between(from, to),
        }
    }
}

impl Dual {
    fn users(&self) -> usize {
        self.by_user.rows
    }

    /// `K⁻¹ v`.
    fn k_inv_times(&self, v: &[f32]) -> Vec<f32> {
        let mut out = vec![0f32; self.users()];
        symmetric_product::<false>(&self.k_inv, self.users(), v, &mut out);
        out
    }

    /// `X Λ⁻¹ xᵀ` for a listener `x`: one value per training listener.
    fn through_users(&self, items: &[u32], weights: &[f32]) -> Vec<f32> {
        let mut a = vec![0f32; self.users()];
        for (&i, &w) in items.iter().zip(weights) {
            let s = w * self.inv_lambda[i as usize];
            let (users, xi) = self.by_item.row(i as usize);
            for (&u, &x) in users.iter().zip(xi) {
                a[u as usize] += s * x;
            }
        }
        a
    }

    fn scores(&self, items: &[u32], weights: &[f32]) -> Vec<f32> {
        let n = self.diag_p.len();
        let c = self.k_inv_times(&self.through_users(items, weights));
        // y = cᵀ X, then x P = (x - y) Λ⁻¹.
        let mut y = vec![0f32; n];
        for (u, &cu) in c.iter().enumerate() {
            if cu != 0.0 {
                let (cols, xu) = self.by_user.row(u);
                for (&j, &x) in cols.iter().zip(xu) {
                    y[j as usize] += cu * x;
                }
            }
        }
        let mut x = vec![0f32; n];
        for (&i, &w) in items.iter().zip(weights) {
            x[i as usize] += w;
        }
        // s_j = x_j - (x P)_j / P_jj (B's zero diagonal is in the x_j term).
        (0..n)
            .map(|j| x[j] - (x[j] - y[j]) * self.inv_lambda[j] / self.diag_p[j])
            .collect()
    }

    fn weights_between(&self, from: &[u32], to: &[u32]) -> Vec<f32> {
        let mut out = Vec::with_capacity(from.len() * to.len());
        for &f in from {
            // P[f, t] = δ/Λ_f - (x_fᵀ K⁻¹ x_t) / (Λ_f Λ_t), and B[f, t] = -P[f, t] / P[t, t].
            let v = self.k_inv_times(&self.through_users(&[f], &[1.0]));
            for &t in to {
                if f == t {
                    out.push(0.0);
                    continue;
                }
                let (users, xt) = self.by_item.row(t as usize);
                let quad: f32 = users.iter().zip(xt).map(|(&u, &x)| v[u as usize] * x).sum();
                let p = -quad * self.inv_lambda[t as usize];
                out.push(-p / self.diag_p[t as usize]);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(users: u32) -> Csr {
        // Items 0-2 usually together, 3-5 usually together.
        let mut t = vec![];
        for u in 0..users {
            let base = if u % 2 == 0 { 0 } else { 3 };
            for i in 0..3 {
                if (u + i) % 4 != 0 {
                    t.push((u, base + i, 1.0));
                }
            }
        }
        Csr::from_triples(users as usize, 6, &t)
    }

    #[test]
    fn items_played_together_predict_each_other() {
        let m = blocks(20);
        let model = EaseModel::fit(&m, 1.0, 0.0).unwrap();
        let s = model.scores(&[0, 1], &[1.0, 1.0]);
        assert!(s[2] > s[3] && s[2] > s[4] && s[2] > s[5], "{s:?}");
        assert_eq!(model.weights_between(&[0], &[0]), vec![0.0]);
    }

    #[test]
    fn the_dual_form_gives_the_primal_scores_and_weights() {
        // 5 listeners, 6 items: the dual form; its transpose-sized twin of 30 listeners: primal.
        let few = {
            let mut t = vec![];
            for u in 0..5u32 {
                for i in 0..6u32 {
                    if (u * 3 + i * 5) % 4 != 0 {
                        t.push((u, i, 1.0));
                    }
                }
            }
            Csr::from_triples(5, 6, &t)
        };
        for dropout in [0.0, 0.5] {
            let dual = EaseModel::fit(&few, 2.0, dropout).unwrap();
            assert!(matches!(dual.form, Form::Dual(_)));
            // The same data padded with empty listeners makes the primal form; empty rows change
            // neither XᵀX nor Λ.
            let mut padded = few.clone();
            padded.rows = 8;
            padded.indptr.resize(9, few.nnz());
            let primal = EaseModel::fit(&padded, 2.0, dropout).unwrap();
            assert!(matches!(primal.form, Form::Primal { .. }));
            let (items, weights) = ([0u32, 2, 5], [1.0f32, 1.0, 2.0]);
            let (a, b) = (
                dual.scores(&items, &weights),
                primal.scores(&items, &weights),
            );
            for j in 0..6 {
                assert!(
                    (a[j] - b[j]).abs() < 1e-4,
                    "item {j}: dual {a:?} primal {b:?}"
                );
            }
            let all: Vec<u32> = (0..6).collect();
            let (a, b) = (
                dual.weights_between(&all, &all),
                primal.weights_between(&all, &all),
            );
            for (x, y) in a.iter().zip(&b) {
                assert!((x - y).abs() < 1e-4, "dual {a:?} primal {b:?}");
            }
        }
    }

    #[test]
    fn a_matrix_too_large_both_ways_is_refused_by_name() {
        let m = Csr {
            rows: MAX_SIDE + 1,
            cols: MAX_SIDE + 1,
            indptr: vec![0; MAX_SIDE + 2],
            ..Default::default()
        };
        let err = EaseModel::fit(&m, 1.0, 0.0).unwrap_err();
        assert!(err.to_string().contains("use ALS"), "{err}");
    }
}
