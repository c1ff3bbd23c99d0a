//! The validation slice tuning judges models on, cut by the evaluation protocols of
//! `../shared/data/cf-dev/README.md` with a fixed seed: play counts (HetRec-like) have 20 % of each
//! listener's items hidden at random and NDCG@10 decides; binary data (playlists, MPD-like) keeps
//! 10 items of each list of 20 or more, hides the rest, and R-precision decides.

use rayon::prelude::*;
use serde::Serialize;

use super::matrix::Csr;
use super::model::{top_k, Trained};

/// Depth of NDCG.
const K: usize = 10;

/// How a validation listener's items are split (see the module's documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Protocol {
    /// 20 % hidden at random; NDCG@10.
    HideFifth,
    /// 10 kept at random, the rest hidden; R-precision.
    KeepTen,
}

impl Protocol {
    /// Binary data is playlist-like; anything with counts is a listening history.
    pub fn for_data(ratings: &Csr) -> Self {
        let first = ratings.values.first().copied().unwrap_or(1.0);
        if ratings.values.iter().all(|&v| v == first) {
            Protocol::KeepTen
        } else {
            Protocol::HideFifth
        }
    }

    fn min_items(self) -> usize {
        match self {
            Protocol::HideFifth => 5,
            Protocol::KeepTen => 20,
        }
    }

    fn hidden_count(self, items: usize) -> usize {
        match self {
            Protocol::HideFifth => ((items as f64 * 0.2).round() as usize).max(1),
            Protocol::KeepTen => items - 10,
        }
    }

    /// How many of the ranking's top items the metric looks at.
    pub(super) fn depth(self, hidden: usize) -> usize {
        match self {
            Protocol::HideFifth => K,
            Protocol::KeepTen => hidden,
        }
    }

    /// NDCG@10, or R-precision (hits in the top |hidden| over |hidden|).
    pub(super) fn score(self, list: &[u32], hidden: &[u32]) -> f64 {
        match self {
            Protocol::HideFifth => Holdout::ndcg(list, hidden),
            Protocol::KeepTen => {
                let hits = list
                    .iter()
                    .take(hidden.len())
                    .filter(|i| hidden.binary_search(i).is_ok())
                    .count();
                hits as f64 / hidden.len().max(1) as f64
            }
        }
    }

    pub fn metric(self) -> &'static str {
        match self {
            Protocol::HideFifth => "NDCG@10",
            Protocol::KeepTen => "R-precision",
        }
    }
}

/// The validation slice: the training matrix without the hidden items, and each validation
/// listener's hidden items (sorted).
pub struct Holdout {
    pub protocol: Protocol,
    pub train: Csr,
    pub users: Vec<(usize, Vec<u32>)>,
}

impl Holdout {
    pub fn cut(ratings: &Csr, max_users: usize, seed: u64) -> Self {
        let protocol = Protocol::for_data(ratings);
        let mut rng = fastrand::Rng::with_seed(seed);
        let mut eligible: Vec<usize> = (0..ratings.rows)
            .filter(|&u| ratings.row(u).0.len() >= protocol.min_items())
            .collect();
        rng.shuffle(&mut eligible);
        eligible.truncate(max_users);
        eligible.sort_unstable();
        let mut hidden_of = vec![None::<Vec<u32>>; ratings.rows];
        for &u in &eligible {
            let mut items = ratings.row(u).0.to_vec();
            rng.shuffle(&mut items);
            let cut = protocol.hidden_count(items.len());
            let mut hidden = items[..cut].to_vec();
            hidden.sort_unstable();
            hidden_of[u] = Some(hidden);
        }
        let mut triples = Vec::with_capacity(ratings.nnz());
        for (u, hidden_items) in hidden_of.iter().enumerate() {
            let (items, weights) = ratings.row(u);
            for (&i, &w) in items.iter().zip(weights) {
                let hidden = hidden_items
                    .as_ref()
                    .is_some_and(|h| h.binary_search(&i).is_ok());
                if !hidden {
                    triples.push((u as u32, i, w));
                }
            }
        }
        Holdout {
            protocol,
            train: Csr::from_triples(ratings.rows, ratings.cols, &triples),
            users: eligible
                .into_iter()
                .map(|u| (u, hidden_of[u].take().unwrap_or_default()))
                .collect(),
        }
    }

    /// NDCG@10 of one top-10 list.
    pub(super) fn ndcg(list: &[u32], hidden: &[u32]) -> f64 {
        let dcg: f64 = list
            .iter()
            .enumerate()
            .filter(|(_, i)| hidden.binary_search(i).is_ok())
            .map(|(r, _)| 1.0 / ((r + 2) as f64).log2())
            .sum();
        let ideal: f64 = (0..hidden.len().min(K))
            .map(|r| 1.0 / ((r + 2) as f64).log2())
            .sum();
        dcg / ideal
    }

    /// Each validation listener's score under `model`.
    pub fn per_user(&self, model: &Trained) -> Vec<f64> {
        self.users
            .par_iter()
            .map(|(u, hidden)| {
                let scores = model.scores_for_user(*u, &self.train);
                let depth = self.protocol.depth(hidden.len());
                self.protocol
                    .score(&top_k(&scores, depth, self.train.row(*u).0), hidden)
            })
            .collect()
    }
}

/// Mean and its standard error (s.d. / √n).
pub(super) fn mean_se(v: &[f64]) -> (f64, f64) {
    let n = v.len().max(1) as f64;
    let mean = v.iter().sum::<f64>() / n;
    let var = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0).max(1.0);
    (mean, (var / n).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_holdout_hides_a_fifth_of_each_chosen_listeners_items() {
        // Play counts: a listening history.
        let t: Vec<(u32, u32, f32)> = (0..50u32)
            .flat_map(|u| (0..10).map(move |k| (u, (u + k * 3) % 40, 1.0 + k as f32)))
            .collect();
        let m = Csr::from_triples(50, 40, &t);
        let h = Holdout::cut(&m, 20, 1);
        assert_eq!(h.protocol, Protocol::HideFifth);
        assert_eq!(h.users.len(), 20);
        for (u, hidden) in &h.users {
            assert_eq!(hidden.len(), 2);
            assert_eq!(h.train.row(*u).0.len(), 8);
            assert!(hidden
                .iter()
                .all(|i| h.train.row(*u).0.binary_search(i).is_err()));
        }
        assert_eq!(h.train.nnz(), m.nnz() - 40);
        assert_eq!(
            Holdout::cut(&m, 20, 1).users,
            h.users,
            "deterministic for a seed"
        );
    }

    #[test]
    fn binary_lists_keep_ten_items_and_are_judged_by_r_precision() {
        // Playlists of 25 (validation candidates) and of 12 (too short to validate on).
        let t: Vec<(u32, u32, f32)> = (0..40u32)
            .flat_map(|u| {
                let len = if u % 2 == 0 { 25 } else { 12 };
                (0..len).map(move |k| (u, (u * 7 + k) % 60, 1.0))
            })
            .collect();
        let m = Csr::from_triples(40, 60, &t);
        let h = Holdout::cut(&m, 1000, 2);
        assert_eq!(h.protocol, Protocol::KeepTen);
        assert_eq!(h.users.len(), 20);
        for (u, hidden) in &h.users {
            assert_eq!(u % 2, 0);
            assert_eq!((hidden.len(), h.train.row(*u).0.len()), (15, 10));
        }
        // R-precision: hits in the top |hidden| over |hidden|.
        assert_eq!(Protocol::KeepTen.score(&[1, 9, 2, 3], &[1, 2]), 0.5);
        assert_eq!(Protocol::KeepTen.depth(7), 7);
    }
}
