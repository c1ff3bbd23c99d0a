//! One interface over the CF models, so the evaluation CLI, the benchmarks and the app treat them
//! alike: fit on a user × item matrix, then score every item for a user.

use ndarray::Array2;

use super::als::{AlsModel, AlsParams, FoldIn};
use super::ease::{EaseError, EaseModel};
use super::matrix::Csr;
use super::neighbours::{item_knn, ItemItem, KnnParams};
use super::rp3::{self, Rp3Params};

/// How ALS turns play counts into confidence weights (`confidence = 1 + alpha · weight`).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Weighting {
    /// The counts as they are.
    Raw,
    /// `ln(1 + count)`: Hu, Koren & Volinsky's log scaling, which keeps a 350k-play artist from
    /// outweighing everything else; on binary data a constant.
    Log,
    /// BM25 (saturating counts, normalised by the listener's total, rare items up-weighted).
    Bm25 { k1: f32, b: f32 },
}

impl Weighting {
    pub fn apply(&self, ratings: &Csr) -> Csr {
        match *self {
            Weighting::Raw => ratings.clone(),
            Weighting::Log => ratings.map_values(|v| v.max(0.0).ln_1p()),
            Weighting::Bm25 { k1, b } => ratings.bm25(k1, b),
        }
    }

    /// One listener's weight as folded in: exact for `Raw` and `Log`; BM25's normalisations need
    /// the whole matrix, so a new listener gets its saturation only.
    pub fn one(&self, v: f32) -> f32 {
        match *self {
            Weighting::Raw => v,
            Weighting::Log => v.max(0.0).ln_1p(),
            Weighting::Bm25 { k1, .. } => v * (k1 + 1.0) / (k1 + v),
        }
    }

    pub fn by_name(name: &str) -> Option<Self> {
        Some(match name {
            "raw" => Weighting::Raw,
            "log" => Weighting::Log,
            "bm25" => Weighting::Bm25 { k1: 100.0, b: 0.8 },
            _ => return None,
        })
    }
}

/// Which model, with its hyper-parameters. `Default` is the model the app uses, chosen by measured
/// quality (BENCHMARKS.md, "Taste models").
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case", tag = "model")]
pub enum ModelSpec {
    /// Implicit ALS on weighted counts. `tags` > 0: item tags join as pseudo-listeners whose
    /// every item has this weight (confidence `1 + alpha · tags`), when the data has tags.
    Als {
        params: AlsParams,
        weighting: Weighting,
        #[serde(default)]
        tags: f32,
    },
    /// EASE on binary interactions (`dropout` > 0: the denoising EDLAE variant); `tags` as for
    /// item-kNN, from tags on three or more items (see [`prepare`]).
    Ease {
        lambda: f64,
        dropout: f64,
        #[serde(default)]
        tags: f32,
    },
    /// RP3beta on binary interactions.
    Rp3 { params: Rp3Params },
    /// Item-kNN (shrunk cosine) on binary interactions; `tags` as for ALS (a tag row's value
    /// beside the listeners' 1).
    Knn {
        params: KnnParams,
        #[serde(default)]
        tags: f32,
    },
    /// Most-played items first: the floor every model must beat.
    Popular,
}

impl Default for ModelSpec {
    fn default() -> Self {
        ModelSpec::Ease {
            lambda: 200.0,
            dropout: 0.9,
            tags: 0.0,
        }
    }
}

impl ModelSpec {
    pub fn name(&self) -> &'static str {
        match self {
            ModelSpec::Als { .. } => "als",
            ModelSpec::Ease { .. } => "ease",
            ModelSpec::Rp3 { .. } => "rp3beta",
            ModelSpec::Knn { .. } => "item-knn",
            ModelSpec::Popular => "popular",
        }
    }

    /// The model named `name` with default hyper-parameters.
    pub fn by_name(name: &str) -> Option<Self> {
        Some(match name {
            "als" => ModelSpec::Als {
                params: AlsParams::default(),
                weighting: Weighting::Log,
                tags: 0.0,
            },
            "ease" => ModelSpec::default(),
            "rp3beta" | "rp3" => ModelSpec::Rp3 {
                params: Rp3Params::default(),
            },
            "item-knn" | "knn" => ModelSpec::Knn {
                params: KnnParams::default(),
                tags: 0.0,
            },
            "popular" | "pop" => ModelSpec::Popular,
            _ => return None,
        })
    }

    /// The model with the hyper-parameters that matter, as `sonare cf recommend` flags would say it.
    pub fn describe(&self) -> String {
        match self {
            ModelSpec::Als {
                params,
                weighting,
                tags,
            } => format!(
                "als factors {} reg {} alpha {} {}{}",
                params.factors,
                params.regularization,
                params.alpha,
                match weighting {
                    Weighting::Raw => "raw",
                    Weighting::Log => "log",
                    Weighting::Bm25 { .. } => "bm25",
                },
                tags_described(*tags)
            ),
            ModelSpec::Ease {
                lambda,
                dropout,
                tags,
            } => format!(
                "ease lambda {lambda} dropout {dropout}{}",
                tags_described(*tags)
            ),
            ModelSpec::Rp3 { params } => format!(
                "rp3beta alpha {} beta {} neighbours {}",
                params.alpha, params.beta, params.neighbours
            ),
            ModelSpec::Knn { params, tags } => format!(
                "item-knn neighbours {} shrink {}{}",
                params.neighbours,
                params.shrink,
                tags_described(*tags)
            ),
            ModelSpec::Popular => "popular".into(),
        }
    }

    pub const NAMES: &'static [&'static str] = &["als", "ease", "rp3beta", "item-knn", "popular"];

    /// The weight of tag pseudo-listeners, for the families that take them.
    pub fn tags(&self) -> f32 {
        match *self {
            ModelSpec::Als { tags, .. }
            | ModelSpec::Knn { tags, .. }
            | ModelSpec::Ease { tags, .. } => tags,
            _ => 0.0,
        }
    }
}

fn tags_described(tags: f32) -> String {
    if tags > 0.0 {
        format!(" tags {tags}")
    } else {
        String::new()
    }
}

/// A fitted model.
#[derive(Debug, Clone)]
pub enum Trained {
    /// Trained users' factors (empty for imported item factors), and the item factors they fold
    /// new listeners into.
    Als {
        user_factors: Array2<f32>,
        fold: Box<FoldIn>,
        weighting: Weighting,
    },
    Ease(EaseModel),
    /// RP3beta and item-kNN.
    Neighbours(ItemItem),
    Popular(Vec<f32>),
    /// A weighted sum of standardised scores (see `tune`).
    Blend(Vec<(f32, Trained)>),
}

fn binary(m: &Csr) -> Csr {
    m.map_values(|_| 1.0)
}

/// The input a model trains on: the listeners' rows weighted as the model wants them, and, for a
/// spec with a tag weight, the `tags` rows (see [`super::tags`]) under them at that weight.
pub fn prepare(spec: &ModelSpec, ratings: &Csr, tags: Option<&Csr>) -> Csr {
    let input = match spec {
        ModelSpec::Als { weighting, .. } => weighting.apply(ratings),
        ModelSpec::Popular => ratings.clone(),
        ModelSpec::Ease { .. } | ModelSpec::Rp3 { .. } | ModelSpec::Knn { .. } => binary(ratings),
    };
    match tags {
        // Tags on two items add nothing to EASE on HetRec (0.2084 with or without them) but
        // would triple its listeners² inverse: EASE takes the tags on three or more.
        Some(tags) if matches!(spec, ModelSpec::Ease { .. }) && spec.tags() > 0.0 => {
            input.stacked(&super::tags::on_at_least(tags, 3), spec.tags())
        }
        Some(tags) if spec.tags() > 0.0 => input.stacked(tags, spec.tags()),
        _ => input,
    }
}

impl Trained {
    /// Fits `spec` on the listeners' `ratings` alone.
    pub fn fit(spec: &ModelSpec, ratings: &Csr) -> Result<Self, EaseError> {
        Self::fit_with_tags(spec, ratings, None)
    }

    /// Fits `spec` on `ratings`, with the items' `tags` rows if the spec weighs them. Users are
    /// the rows of `ratings` either way.
    pub fn fit_with_tags(
        spec: &ModelSpec,
        ratings: &Csr,
        tags: Option<&Csr>,
    ) -> Result<Self, EaseError> {
        let input = prepare(spec, ratings, tags);
        Ok(match *spec {
            ModelSpec::Als {
                params, weighting, ..
            } => {
                let AlsModel {
                    mut user_factors,
                    item_factors,
                    ..
                } = AlsModel::fit(&input, params);
                // The tags' pseudo-listeners are not kept.
                if user_factors.nrows() > ratings.rows {
                    user_factors = user_factors
                        .slice(ndarray::s![..ratings.rows, ..])
                        .to_owned();
                }
                let fold = FoldIn::new(item_factors, params.regularization, params.alpha);
                Trained::Als {
                    user_factors,
                    fold: Box::new(fold),
                    weighting,
                }
            }
            ModelSpec::Ease {
                lambda, dropout, ..
            } => Trained::Ease(EaseModel::fit(&input, lambda, dropout)?),
            ModelSpec::Rp3 { params } => Trained::Neighbours(rp3::fit(&input, params)),
            ModelSpec::Knn { params, .. } => Trained::Neighbours(item_knn(&input, params)),
            ModelSpec::Popular => {
                let mut pop = vec![0f32; input.cols];
                for &i in &input.indices {
                    pop[i as usize] += 1.0;
                }
                Trained::Popular(pop)
            }
        })
    }

    /// Item factors trained elsewhere (e.g. by the Spark job): new listeners are folded in.
    pub fn from_factors(fold: FoldIn) -> Self {
        let rank = fold.item_factors.ncols();
        Trained::Als {
            user_factors: Array2::zeros((0, rank)),
            fold: Box::new(fold),
            weighting: Weighting::Raw,
        }
    }

    /// Scores of every item for training user `user` (row of `ratings` as given to `fit`).
    pub fn scores_for_user(&self, user: usize, ratings: &Csr) -> Vec<f32> {
        let (items, weights) = ratings.row(user);
        match self {
            Trained::Als {
                user_factors, fold, ..
            } => fold.scores(user_factors.row(user).as_slice().unwrap_or(&[])),
            Trained::Blend(parts) => blend(parts, |m| m.scores_for_user(user, ratings)),
            _ => self.scores_for_new(items, weights),
        }
    }

    /// Scores of every item for a listener who was not in the training data (folded in), from
    /// their raw weights (play counts), weighted as the model was trained.
    pub fn scores_for_new(&self, items: &[u32], weights: &[f32]) -> Vec<f32> {
        let ones = vec![1.0; items.len()];
        match self {
            Trained::Als {
                fold, weighting, ..
            } => {
                let weighted: Vec<f32> = weights.iter().map(|&w| weighting.one(w)).collect();
                fold.scores(&fold.user_vector(items, &weighted))
            }
            // Trained on binary input (see `prepare`).
            Trained::Ease(m) => m.scores(items, &ones),
            Trained::Neighbours(m) => m.scores(items, &ones),
            Trained::Popular(pop) => pop.clone(),
            Trained::Blend(parts) => blend(parts, |m| m.scores_for_new(items, weights)),
        }
    }
}

/// `(s - mean) / sd`: models' scores live on different scales.
pub fn standardised(s: &[f32]) -> Vec<f32> {
    let n = s.len().max(1) as f64;
    let mean = s.iter().map(|&x| x as f64).sum::<f64>() / n;
    let sd = (s.iter().map(|&x| (x as f64 - mean).powi(2)).sum::<f64>() / n).sqrt();
    let sd = if sd > 0.0 { sd } else { 1.0 };
    s.iter().map(|&x| ((x as f64 - mean) / sd) as f32).collect()
}

fn blend(parts: &[(f32, Trained)], scores: impl Fn(&Trained) -> Vec<f32>) -> Vec<f32> {
    let mut out: Vec<f32> = Vec::new();
    for (w, model) in parts {
        let s = standardised(&scores(model));
        if out.is_empty() {
            out = vec![0.0; s.len()];
        }
        super::linalg::axpy(*w, &s, &mut out);
    }
    out
}

impl Trained {
    /// For each item of `to`, the listener's item (an index into `from`, weighted by `weights`)
    /// that adds most to its score, if any adds something: the "because you played …" of an
    /// explanation. For factor models, contribution is the weighted cosine of the two items'
    /// factors, taken as one matrix product for all pairs.
    pub fn strongest_contributors(
        &self,
        from: &[u32],
        weights: &[f32],
        to: &[u32],
    ) -> Vec<Option<usize>> {
        let best_of = |contribution: &dyn Fn(usize, usize) -> f32, target: usize| {
            (0..from.len())
                .map(|f| (f, contribution(f, target)))
                .filter(|&(_, c)| c > 0.0)
                .max_by(|a, b| a.1.total_cmp(&b.1))
                .map(|(f, _)| f)
        };
        match self {
            Trained::Ease(m) => {
                let between = m.weights_between(from, to);
                let c = |f: usize, t: usize| weights[f] * between[f * to.len() + t];
                (0..to.len()).map(|t| best_of(&c, t)).collect()
            }
            Trained::Neighbours(m) => {
                let c = |f: usize, t: usize| weights[f] * m.weight(from[f], to[t]);
                (0..to.len()).map(|t| best_of(&c, t)).collect()
            }
            Trained::Als { fold, .. } => {
                let unit_rows = |items: &[u32], scale: &dyn Fn(usize) -> f32| {
                    let y = &fold.item_factors;
                    let mut out = Array2::<f32>::zeros((items.len(), y.ncols()));
                    for (r, &i) in items.iter().enumerate() {
                        let row = y.row(i as usize);
                        let norm = row.dot(&row).sqrt();
                        if norm > 0.0 {
                            let s = scale(r) / norm;
                            out.row_mut(r).assign(&row.mapv(|x| x * s));
                        }
                    }
                    out
                };
                let listener = unit_rows(from, &|r| weights[r]);
                let targets = unit_rows(to, &|_| 1.0);
                let contributions = targets.dot(&listener.t());
                contributions
                    .rows()
                    .into_iter()
                    .map(|row| {
                        row.iter()
                            .enumerate()
                            .filter(|&(_, &c)| c > 0.0)
                            .max_by(|a, b| a.1.total_cmp(b.1))
                            .map(|(f, _)| f)
                    })
                    .collect()
            }
            Trained::Popular(_) => vec![None; to.len()],
            // The reasons of the most weighted part.
            Trained::Blend(parts) => parts
                .iter()
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .map(|(_, m)| m.strongest_contributors(from, weights, to))
                .unwrap_or_else(|| vec![None; to.len()]),
        }
    }
}

/// The `k` best items by score, best first, leaving out `exclude` (sorted ascending).
pub fn top_k(scores: &[f32], k: usize, exclude: &[u32]) -> Vec<u32> {
    let mut candidates: Vec<u32> = (0..scores.len() as u32)
        .filter(|i| exclude.binary_search(i).is_err())
        .collect();
    let by_score = |a: &u32, b: &u32| {
        scores[*b as usize]
            .total_cmp(&scores[*a as usize])
            .then(a.cmp(b))
    };
    if candidates.len() > k {
        candidates.select_nth_unstable_by(k, by_score);
        candidates.truncate(k);
    }
    candidates.sort_unstable_by(by_score);
    candidates
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_spec_from_before_tags_reads_as_untagged() {
        let old = r#"{"model":"knn","params":{"neighbours":200,"shrink":5.0}}"#;
        let spec: ModelSpec = serde_json::from_str(old).unwrap();
        assert_eq!(spec.tags(), 0.0);
        let mut tagged = spec;
        if let ModelSpec::Knn { tags, .. } = &mut tagged {
            *tags = 0.5;
        }
        let json = serde_json::to_string(&tagged).unwrap();
        assert_eq!(serde_json::from_str::<ModelSpec>(&json).unwrap(), tagged);
        assert!(
            tagged.describe().ends_with("tags 0.5"),
            "{}",
            tagged.describe()
        );
    }

    #[test]
    fn top_k_is_ordered_skips_excluded_and_breaks_ties_by_id() {
        let s = [0.5, 0.9, 0.1, 0.9, 0.7];
        assert_eq!(top_k(&s, 3, &[]), vec![1, 3, 4]);
        assert_eq!(top_k(&s, 3, &[1]), vec![3, 4, 0]);
        assert_eq!(top_k(&s, 10, &[0, 1, 2, 3, 4]), Vec::<u32>::new());
    }

    #[test]
    fn every_model_ranks_the_unseen_co_played_item_first() {
        // Conformance check for every model: users play items 0,1,2 or 3,4,5 (one left out each).
        let mut t = vec![];
        for u in 0..30u32 {
            let base = if u % 2 == 0 { 0 } else { 3 };
            for i in 0..3 {
                if (u / 2 + i) % 3 != 0 {
                    t.push((u, base + i, 1.0 + (u % 3) as f32));
                }
            }
        }
        t.push((30, 6, 1.0)); // a lone item nobody else plays
        let m = Csr::from_triples(31, 7, &t);
        for name in ModelSpec::NAMES.iter().filter(|n| **n != "popular") {
            let mut spec = ModelSpec::by_name(name).unwrap();
            if let ModelSpec::Als { params, .. } = &mut spec {
                params.factors = 4;
            }
            if let ModelSpec::Ease { lambda, .. } = &mut spec {
                *lambda = 1.0;
            }
            let model = Trained::fit(&spec, &m).unwrap();
            let (seen, _) = m.row(0);
            let best = top_k(&model.scores_for_user(0, &m), 1, seen);
            assert_eq!(best.len(), 1);
            assert!(best[0] < 3, "{name} recommended {best:?} to a 0-2 listener");
            let new = top_k(&model.scores_for_new(&[3, 4], &[1.0, 1.0]), 1, &[3, 4]);
            assert_eq!(new, vec![5], "{name} fold-in");
        }
    }

    #[test]
    fn the_strongest_contributor_is_the_most_alike_weighted_item() {
        // Item factors: 0 and 1 point the same way as 3, 2 the opposite way.
        let y = ndarray::array![[1.0, 0.0], [2.0, 0.2], [-1.0, 0.0], [1.0, 0.1], [0.0, 0.0]];
        let model = Trained::from_factors(FoldIn::new(y, 0.1, 1.0));
        let from = [0, 1, 2];
        // Same direction, so the weight decides; nothing adds to item 2 but item 2 itself (cosine
        // 1), and the zero vector gets no explanation.
        assert_eq!(
            model.strongest_contributors(&from, &[1.0, 3.0, 1.0], &[3, 4, 2]),
            vec![Some(1), None, Some(2)]
        );
        assert_eq!(
            model.strongest_contributors(&from, &[3.0, 1.0, 1.0], &[3]),
            vec![Some(0)]
        );
        // The batched form agrees with the definition on a model trained here.
        let t: Vec<(u32, u32, f32)> = (0..40u32)
            .flat_map(|u| (0..4).map(move |k| (u, (u * 7 + k * 5) % 23, 1.0 + k as f32)))
            .collect();
        let m = Csr::from_triples(40, 23, &t);
        let spec = ModelSpec::by_name("als").unwrap();
        let Trained::Als { fold, .. } = Trained::fit(&spec, &m).unwrap() else {
            unreachable!()
        };
        let model = Trained::from_factors(*fold.clone());
        let (from, weights) = ([1, 4, 9, 16], [1.0, 0.5, 2.0, 1.5]);
        let to: Vec<u32> = (0..23).collect();
        let cosine = |a: u32, b: u32| {
            let (a, b) = (
                fold.item_factors.row(a as usize),
                fold.item_factors.row(b as usize),
            );
            a.dot(&b) / (a.dot(&a) * b.dot(&b)).sqrt()
        };
        for (t, got) in to
            .iter()
            .zip(model.strongest_contributors(&from, &weights, &to))
        {
            let want = (0..from.len())
                .map(|f| (f, weights[f] * cosine(from[f], *t)))
                .filter(|&(_, c)| c > 0.0)
                .max_by(|a, b| a.1.total_cmp(&b.1))
                .map(|(f, _)| f);
            assert_eq!(got, want, "item {t}");
        }
    }
}
