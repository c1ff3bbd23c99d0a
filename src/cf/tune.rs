//! Self-tuning: the model and hyper-parameters that rank best on a validation slice of the
//! listener's own shared data, found within a time budget.
//!
//! The slice follows the evaluation protocols of `../shared/data/cf-dev/README.md` (fixed seed, up
//! to [`TuneOptions::max_users`] validation listeners), chosen by what the data is: play counts
//! (HetRec-like) have 20 % of each listener's items hidden at random and NDCG@10 decides; binary
//! data (playlists, MPD-like) keeps 10 items of each list of 20 or more, hides the rest, and
//! R-precision decides. The two regimes want different models (a weak EASE λ for the first, a
//! strong one for the second: BENCHMARKS.md), so judging one by the other's protocol picks wrong. Candidates are tried best-known first, one family after
//! another (see [`candidates`]), so a short budget still compares every family's usual winner.
//! A blend of the families' winners is kept only if it beats the best single model on the half of
//! the validation listeners its weights were not chosen on.

use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde::Serialize;

use super::als::AlsParams;
use super::ease::EaseError;
use super::holdout::{mean_se, Holdout, Protocol};
use super::matrix::Csr;
use super::model::{standardised, top_k, ModelSpec, Trained, Weighting};
use super::neighbours::KnnParams;
use super::rp3::Rp3Params;
use crate::jobs::{JobControl, Progress};

#[derive(Debug, thiserror::Error)]
pub enum TuneError {
    #[error(
        "too little shared data to tune on: {users} listeners with five or more items (at least \
         {needed} are needed)"
    )]
    TooLittle { users: usize, needed: usize },
    #[error("tuning was cancelled")]
    Cancelled,
    #[error("no candidate model can be trained on this data")]
    NoModel,
    #[error(transparent)]
    Model(#[from] EaseError),
}

#[derive(Debug, Clone, Copy)]
pub struct TuneOptions {
    /// The search stops starting new candidates after this long (the first candidate of each
    /// family always runs).
    pub budget: Duration,
    pub seed: u64,
    /// Validation listeners at most (more cost time and change little: the standard error at
    /// 1,000 listeners is about 0.004 NDCG).
    pub max_users: usize,
    /// Also try a blend of the families' winners.
    pub blend: bool,
}

impl Default for TuneOptions {
    fn default() -> Self {
        TuneOptions {
            budget: Duration::from_secs(60),
            seed: 2026,
            max_users: 1000,
            blend: true,
        }
    }
}

/// Fewer validation listeners than this make a choice by noise.
const MIN_USERS: usize = 30;

/// A model to train: one spec, or a weighted blend of standardised scores of several.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Recipe {
    Single(ModelSpec),
    Blend(Vec<(f32, ModelSpec)>),
}

impl Recipe {
    /// Trains on the listeners' `ratings`, with the items' tag rows (see [`super::tags`]) for the
    /// parts that weigh them.
    pub fn fit(&self, ratings: &Csr, tags: Option<&Csr>) -> Result<Trained, EaseError> {
        match self {
            Recipe::Single(spec) => Trained::fit_with_tags(spec, ratings, tags),
            Recipe::Blend(parts) => Ok(Trained::Blend(
                parts
                    .iter()
                    .map(|(w, spec)| Ok((*w, Trained::fit_with_tags(spec, ratings, tags)?)))
                    .collect::<Result<_, EaseError>>()?,
            )),
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Recipe::Single(spec) => spec.describe(),
            Recipe::Blend(parts) => parts
                .iter()
                .map(|(w, s)| format!("{w:.2}·{}", s.describe()))
                .collect::<Vec<_>>()
                .join(" + "),
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Recipe::Single(spec) => spec.name(),
            Recipe::Blend(_) => "blend",
        }
    }
}

/// One candidate's validation result.
#[derive(Debug, Clone, Serialize)]
pub struct Trial {
    pub model: String,
    pub params: String,
    /// The protocol's metric on the validation listeners (see [`Tuned::metric`]).
    pub score: f64,
    /// Standard error of `score` over validation listeners.
    pub se: f64,
    pub seconds: f64,
    pub recipe: Recipe,
}

/// What tuning chose, and how sure it is.
#[derive(Debug, Clone, Serialize)]
pub struct Tuned {
    /// The validation metric: NDCG@10 or R-precision (see [`Protocol`]).
    pub metric: &'static str,
    pub winner: Trial,
    /// The best candidate of another family (or the best single model, when a blend won).
    pub runner_up: Option<Trial>,
    pub trials: Vec<Trial>,
    pub validation_users: usize,
    pub seconds: f64,
}

/// The candidates for `ratings`, best-known first within each family, families interleaved. The
/// orders come from the grids of `benches/cf_real.py` (BENCHMARKS.md, "Taste models on real
/// data"): play counts (HetRec) want a weak EASE λ and a strong ALS L2, binary playlists (MPD) the
/// reverse, so each kind starts from its dataset's winners and the other's come later. With item
/// tags, ALS, EASE and item-kNN start from their tag-weighted variants (on HetRec's tags: ALS
/// 0.2186 against 0.2016 without, EASE 0.208 against 0.185, item-kNN 0.197 against 0.183).
pub fn candidates(ratings: &Csr, has_tags: bool) -> Vec<ModelSpec> {
    let users = ratings.rows;
    let ease_tagged = |lambda: f64, tags: f32| ModelSpec::Ease {
        lambda,
        dropout: 0.0,
        tags,
    };
    let ease = |lambda: f64| ease_tagged(lambda, 0.0);
    // 128 factors with a strong L2 (implicit's reference setting) won on both datasets; 64 on a
    // big matrix costs half.
    let als = |regularization: f32, alpha: f32| ModelSpec::Als {
        params: AlsParams {
            factors: if users > 20_000 { 64 } else { 128 },
            regularization,
            alpha,
            ..AlsParams::default()
        },
        weighting: Weighting::Log,
        tags: 0.0,
    };
    let rp3 = |alpha: f32, beta: f32| ModelSpec::Rp3 {
        params: Rp3Params {
            alpha,
            beta,
            neighbours: 200,
        },
    };
    let knn_tagged = |neighbours: usize, shrink: f32, tags: f32| ModelSpec::Knn {
        params: KnnParams { neighbours, shrink },
        tags,
    };
    let knn = |neighbours: usize, shrink: f32| knn_tagged(neighbours, shrink, 0.0);
    let mut families: Vec<Vec<ModelSpec>> = match Protocol::for_data(ratings) {
        Protocol::HideFifth => vec![
            vec![
                ease(100.0),
                ease(200.0),
                ease(50.0),
                ease(400.0),
                ease(1600.0),
            ],
            vec![rp3(1.0, 0.2), rp3(0.8, 0.3), rp3(0.8, 0.2), rp3(0.6, 0.05)],
            vec![
                als(100.0, 4.0),
                als(50.0, 4.0),
                als(100.0, 8.0),
                als(15.0, 40.0),
            ],
            vec![knn(200, 5.0), knn(400, 5.0), knn(400, 30.0)],
        ],
        Protocol::KeepTen => vec![
            vec![
                ease(1600.0),
                ease(800.0),
                ease(3200.0),
                ease(400.0),
                ease(100.0),
            ],
            vec![
                rp3(0.6, 0.05),
                rp3(0.8, 0.05),
                rp3(0.6, 0.15),
                rp3(1.0, 0.2),
            ],
            vec![
                als(15.0, 40.0),
                als(5.0, 20.0),
                als(5.0, 40.0),
                als(100.0, 4.0),
            ],
            vec![knn(400, 30.0), knn(200, 30.0), knn(200, 5.0)],
        ],
    };
    if has_tags {
        // Tags' weights from the HetRec grid (BENCHMARKS.md); the untagged winners stay in the
        // race, right after.
        for family in &mut families {
            let tagged: Vec<ModelSpec> = match family[0] {
                // The tag rows add ~9k pseudo-listeners on HetRec, and twice the factors pay
                // for them there (0.2186 against 0.2148 at 128); 128 factors come next.
                ModelSpec::Als { params, .. } => {
                    let wide = AlsParams {
                        factors: params.factors * 2,
                        ..params
                    };
                    let tagged = |params: AlsParams, tags: f32| ModelSpec::Als {
                        params,
                        weighting: Weighting::Log,
                        tags,
                    };
                    vec![tagged(wide, 10.0), tagged(params, 6.0)]
                }
                ModelSpec::Knn { params, .. } => {
                    vec![knn_tagged(params.neighbours, params.shrink, 0.5)]
                }
                ModelSpec::Ease { lambda, .. } => vec![ease_tagged(lambda, 1.5)],
                _ => continue,
            };
            family.splice(0..0, tagged);
        }
    }
    let longest = families.iter().map(Vec::len).max().unwrap_or(0);
    (0..longest)
        .flat_map(|at| families.iter().filter_map(move |f| f.get(at).copied()))
        .collect()
}

/// The model without tuning (shared data imported before tuning existed, or too little of it to
/// tune): EASE, the most accurate family on both real datasets' validation splits after ALS (within
/// its standard error) and far cheaper to tune around (BENCHMARKS.md, "Taste models on real data");
/// RP3beta when both sides are too large for EASE's dense matrix.
pub fn default_recipe(matrix: &Csr) -> Recipe {
    if matrix.rows.min(matrix.cols) <= super::ease::MAX_SIDE {
        Recipe::Single(ModelSpec::default())
    } else {
        Recipe::Single(ModelSpec::Rp3 {
            params: Rp3Params::default(),
        })
    }
}

/// Searches the candidates on a validation slice of `ratings` within the budget. Progress counts
/// candidates; `control` can pause or cancel between them.
pub fn tune(
    ratings: &Csr,
    tags: Option<&Csr>,
    options: &TuneOptions,
    control: &JobControl,
    on_progress: impl FnMut(Progress),
) -> Result<Tuned, TuneError> {
    let specs = candidates(ratings, tags.is_some());
    tune_among(ratings, tags, &specs, options, control, on_progress)
}

/// [`tune`] over the given candidates (tried in order; each family's first always runs).
pub fn tune_among(
    ratings: &Csr,
    tags: Option<&Csr>,
    specs: &[ModelSpec],
    options: &TuneOptions,
    control: &JobControl,
    mut on_progress: impl FnMut(Progress),
) -> Result<Tuned, TuneError> {
    let started = Instant::now();
    let holdout = Holdout::cut(ratings, options.max_users, options.seed);
    if holdout.users.len() < MIN_USERS {
        return Err(TuneError::TooLittle {
            users: holdout.users.len(),
            needed: MIN_USERS,
        });
    }
    let total = specs.len() as u64 + options.blend as u64;
    let mut trials: Vec<(Trial, Vec<f64>)> = Vec::new();
    // Each family's best model so far, kept for the blend (refitting would double the cost).
    let mut best_models: Vec<(&'static str, f64, Trained)> = Vec::new();
    for (at, spec) in specs.iter().enumerate() {
        // The first of each family always runs; the others while the budget lasts.
        let family_tried = trials.iter().any(|(t, _)| t.model == spec.name());
        if family_tried && started.elapsed() >= options.budget {
            continue;
        }
        if !control.proceed() {
            return Err(TuneError::Cancelled);
        }
        on_progress(Progress::new(at as u64, total, Some(spec.describe())));
        let t = Instant::now();
        let recipe = Recipe::Single(*spec);
        let model = match recipe.fit(&holdout.train, tags) {
            Ok(model) => model,
            // A family that cannot run on this data (EASE on a huge square matrix) is skipped.
            Err(EaseError::TooLarge { .. }) => continue,
            Err(e) => return Err(e.into()),
        };
        let per_user = holdout.per_user(&model);
        let (score, se) = mean_se(&per_user);
        match best_models.iter_mut().find(|b| b.0 == spec.name()) {
            Some(b) if b.1 >= score => {}
            Some(b) => *b = (spec.name(), score, model),
            None => best_models.push((spec.name(), score, model)),
        }
        trials.push((
            Trial {
                model: spec.name().into(),
                params: spec.describe(),
                score,
                se,
                seconds: t.elapsed().as_secs_f64(),
                recipe,
            },
            per_user,
        ));
    }
    let best_of_family = |trials: &[(Trial, Vec<f64>)]| {
        let mut best: Vec<&(Trial, Vec<f64>)> = Vec::new();
        for t in trials {
            match best.iter_mut().find(|b| b.0.model == t.0.model) {
                Some(b) if b.0.score >= t.0.score => {}
                Some(b) => *b = t,
                None => best.push(t),
            }
        }
        best.sort_by(|a, b| b.0.score.total_cmp(&a.0.score));
        best.into_iter().cloned().collect::<Vec<_>>()
    };
    let ranked = best_of_family(&trials);
    let Some(first) = ranked.first() else {
        return Err(TuneError::NoModel);
    };
    let (mut winner, mut runner_up) = (first.0.clone(), ranked.get(1).map(|r| r.0.clone()));
    if options.blend && ranked.len() >= 2 && control.proceed() {
        on_progress(Progress::new(total - 1, total, Some("blend".into())));
        let models: Vec<&Trained> = ranked
            .iter()
            .take(3)
            .filter_map(|r| best_models.iter().find(|b| b.0 == r.0.model).map(|b| &b.2))
            .collect();
        if let Some(blend) = try_blend(&holdout, &ranked, &models) {
            runner_up = Some(winner);
            winner = blend;
        }
    }
    on_progress(Progress::new(total, total, None));
    Ok(Tuned {
        metric: holdout.protocol.metric(),
        winner,
        runner_up,
        trials: trials.into_iter().map(|(t, _)| t).collect(),
        validation_users: holdout.users.len(),
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// One validation listener's candidate pool, each model's standardised scores of it, and the
/// hidden items.
type Candidates<'a> = (Vec<u32>, Vec<Vec<f32>>, &'a [u32]);

/// Blend weights on a simplex grid (step 0.1) over the best three families' standardised scores,
/// chosen on the even validation listeners and judged on the odd ones against the best single
/// model there: kept only if it wins on the listeners it was not fitted to.
fn try_blend(
    holdout: &Holdout,
    ranked: &[(Trial, Vec<f64>)],
    models: &[&Trained],
) -> Option<Trial> {
    let t = Instant::now();
    let parts: Vec<&(Trial, Vec<f64>)> = ranked.iter().take(models.len()).collect();
    // Per validation listener, each model's standardised scores of the listener's top candidates
    // (the union of every model's top 50), which is all NDCG@10 can see.
    let listeners: Vec<Candidates> = holdout
        .users
        .par_iter()
        .map(|(u, hidden)| {
            let seen = holdout.train.row(*u).0;
            let all: Vec<Vec<f32>> = models
                .iter()
                .map(|m| standardised(&m.scores_for_user(*u, &holdout.train)))
                .collect();
            let depth = holdout.protocol.depth(hidden.len());
            let mut pool: Vec<u32> = all
                .iter()
                .flat_map(|s| top_k(s, (depth * 3).max(50), seen))
                .collect();
            pool.sort_unstable();
            pool.dedup();
            let cut = all
                .iter()
                .map(|s| pool.iter().map(|&i| s[i as usize]).collect())
                .collect();
            (pool, cut, hidden.as_slice())
        })
        .collect();
    let grid = simplex(parts.len(), 10);
    let score = |w: &[f32], parity: usize| -> Vec<f64> {
        listeners
            .iter()
            .enumerate()
            .filter(|(n, _)| n % 2 == parity)
            .map(|(_, (pool, cut, hidden))| {
                let mix: Vec<f32> = (0..pool.len())
                    .map(|c| w.iter().zip(cut).map(|(w, s)| w * s[c]).sum())
                    .collect();
                let top: Vec<u32> = top_k(&mix, holdout.protocol.depth(hidden.len()), &[])
                    .into_iter()
                    .map(|c| pool[c as usize])
                    .collect();
                holdout.protocol.score(&top, hidden)
            })
            .collect()
    };
    let fitted = grid
        .par_iter()
        .map(|w| (w, mean_se(&score(w, 0)).0))
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(w, _)| w.clone())
        .unwrap_or_default();
    if fitted.iter().filter(|&&w| w > 0.0).count() < 2 {
        return None;
    }
    let odd = |v: &[f64]| -> Vec<f64> { v.iter().skip(1).step_by(2).copied().collect() };
    let (blend_odd, _) = mean_se(&score(&fitted, 1));
    let (single_odd, _) = mean_se(&odd(&parts[0].1));
    if blend_odd <= single_odd {
        return None;
    }
    let recipe = Recipe::Blend(
        fitted
            .iter()
            .zip(&parts)
            .filter(|(w, _)| **w > 0.0)
            .map(|(w, p)| match p.0.recipe {
                Recipe::Single(spec) => (*w, spec),
                Recipe::Blend(_) => unreachable!("only single models are blended"),
            })
            .collect(),
    );
    // Reported on all validation listeners, as the single models are.
    let all: Vec<f64> = {
        let mut v = score(&fitted, 0);
        v.extend(score(&fitted, 1));
        v
    };
    let (score, se) = mean_se(&all);
    Some(Trial {
        model: "blend".into(),
        params: recipe.describe(),
        score,
        se,
        seconds: t.elapsed().as_secs_f64(),
        recipe,
    })
}

/// Every weight vector of `parts` non-negative entries in steps of 1/`steps` summing to 1.
fn simplex(parts: usize, steps: usize) -> Vec<Vec<f32>> {
    fn go(left: usize, parts: usize, prefix: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        if parts == 1 {
            prefix.push(left);
            out.push(prefix.clone());
            prefix.pop();
            return;
        }
        for k in 0..=left {
            prefix.push(k);
            go(left - k, parts - 1, prefix, out);
            prefix.pop();
        }
    }
    let mut out = Vec::new();
    go(steps, parts, &mut Vec::new(), &mut out);
    out.into_iter()
        .map(|v| v.into_iter().map(|k| k as f32 / steps as f32).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_simplex_grid_sums_to_one() {
        let g = simplex(3, 10);
        assert_eq!(g.len(), 66);
        assert!(g.iter().all(|w| (w.iter().sum::<f32>() - 1.0).abs() < 1e-5));
    }
}
