//! The blend: a logistic regression over the models' scores, learned from the listener's own outcomes
//! (a track from an earlier list, or a logged candidate, that was then completed, liked, skipped,
//! hidden or ignored), pulled towards prior weights so that a new listener starts from sensible
//! weights and a few outcomes cannot swing it far. Weights are kept non-negative (a model liking a
//! track more never counts against it): without that, a bad day's list teaches the blend to prefer
//! what the models dislike, and it never recovers, since it only sees the outcomes of its own lists.
//! Fitted by projected Newton steps (eight parameters), so the same samples give the same weights.

use serde::{Deserialize, Serialize};

/// The model scores every candidate gets, in this order (all 0–1).
pub const FEATURES: [&str; 7] = [
    "cf",      // the shared co-listening model, the listener folded in
    "session", // played in the same sessions as the listener's tracks
    "artist",  // the listener's plays of the artist
    "audio",   // sound (CNN embedding + tempo/loudness) near one of the listener's taste clusters
    "text",    // metadata text near the listener's tracks
    "popular", // listeners in the shared data who play it
    "novelty", // an artist (or track) the listener does not know yet
];
pub const N: usize = FEATURES.len();
pub type Features = [f32; N];

/// Which features belong to which of the three models (for ablations and "each model alone").
pub const CF_MODEL: &[usize] = &[0, 1, 2];
pub const AUDIO_MODEL: &[usize] = &[3];
pub const NLP_MODEL: &[usize] = &[4];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Blend {
    pub weights: Features,
    pub bias: f32,
    /// Outcomes it was trained on (0 = the priors).
    pub samples: usize,
    pub positives: usize,
}

/// One outcome: a candidate's scores then, and whether the listener took to it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    pub x: Features,
    pub positive: bool,
    /// How much the outcome says (a like says more than an ignored candidate).
    pub weight: f32,
}

/// The prior weights. Co-listening's was chosen on real data (`benches/discover_real.py`, MPD
/// validation listeners, BENCHMARKS.md): with its score log-rank scaled, 20 keeps the list within
/// noise of the co-listening model's own top 30 (3 gave 4.7 hits@30 against its 6.4; 8 gave 5.6,
/// 12 gave 6.0–6.1, 20 gave 6.25 ± 0.5), so the weaker models reorder only its tail, and decide
/// alone where it has no opinion (no shared data, or songs it does not know). The others are the
/// priors of the synthetic offline evaluation: real co-listening data carries no audio to tune them.
pub const PRIOR_WEIGHTS: Features = [20.0, 2.0, 2.0, 3.0, 2.0, 1.0, 0.5];
/// The priors before the real-data replay (issue 18), for its ablation.
pub const PRIOR_WEIGHTS_BEFORE: Features = [3.0, 2.0, 2.0, 3.0, 2.0, 1.0, 0.5];

/// How strongly the weights are pulled to the priors (in units of one full-weight outcome).
const PRIOR_STRENGTH: f32 = 4.0;

impl Blend {
    /// Before any outcome: co-listening leads where it has an opinion (see [`PRIOR_WEIGHTS`]); sound,
    /// the listener's artists, scene and sessions order the rest; popularity and novelty tip the
    /// balance.
    pub fn prior() -> Self {
        Blend {
            weights: PRIOR_WEIGHTS,
            bias: -5.0,
            samples: 0,
            positives: 0,
        }
    }

    /// Only the given features, at their prior weights (a single model on its own).
    pub fn only(features: &[usize]) -> Self {
        let prior = Self::prior();
        let mut weights = [0.0; N];
        for &f in features {
            weights[f] = prior.weights[f];
        }
        Blend { weights, ..prior }
    }

    /// The log-odds that the listener takes to a candidate with these scores.
    pub fn logit(&self, x: &Features) -> f32 {
        self.bias + self.weights.iter().zip(x).map(|(w, x)| w * x).sum::<f32>()
    }

    /// What each feature adds to the log-odds.
    pub fn contributions(&self, x: &Features) -> Features {
        let mut c = [0.0; N];
        for f in 0..N {
            c[f] = self.weights[f] * x[f];
        }
        c
    }

    /// Fits the weights to `samples`, starting from and regularised towards `prior`.
    pub fn train(samples: &[Sample], prior: &Blend) -> Blend {
        const P: usize = N + 1;
        let theta0: Vec<f64> = prior
            .weights
            .iter()
            .map(|&w| w as f64)
            .chain([prior.bias as f64])
            .collect();
        let mut theta = theta0.clone();
        let lambda = PRIOR_STRENGTH as f64;
        for _ in 0..25 {
            let mut grad = [0f64; P];
            let mut hess = [[0f64; P]; P];
            for s in samples {
                let x: Vec<f64> = s.x.iter().map(|&v| v as f64).chain([1.0]).collect();
                let z: f64 = x.iter().zip(&theta).map(|(a, b)| a * b).sum();
                let p = 1.0 / (1.0 + (-z).exp());
                let y = if s.positive { 1.0 } else { 0.0 };
                let w = s.weight as f64;
                for a in 0..P {
                    grad[a] += w * (p - y) * x[a];
                    for b in 0..P {
                        hess[a][b] += w * p * (1.0 - p) * x[a] * x[b];
                    }
                }
            }
            for a in 0..P {
                grad[a] += lambda * (theta[a] - theta0[a]);
                hess[a][a] += lambda;
            }
            // Projected Newton: a weight held at zero stays out of the step while its gradient
            // would push it negative.
            let free: Vec<usize> = (0..P)
                .filter(|&a| a == N || theta[a] > 0.0 || grad[a] < 0.0)
                .collect();
            let Some(step) = solve_free(&hess, &grad, &free) else {
                break;
            };
            // Backtracking: halve the step until the objective falls (a full Newton step can overshoot
            // far on nearly separable outcomes).
            let before = objective(samples, &theta, &theta0, lambda);
            let mut t = 1.0;
            let mut next = theta.clone();
            let mut accepted = false;
            for _ in 0..30 {
                next.clone_from(&theta);
                for (k, &a) in free.iter().enumerate() {
                    next[a] -= t * step[k];
                    if a != N {
                        next[a] = next[a].max(0.0);
                    }
                }
                if objective(samples, &next, &theta0, lambda) <= before {
                    accepted = true;
                    break;
                }
                t *= 0.5;
            }
            if !accepted {
                break;
            }
            let size: f64 = next.iter().zip(&theta).map(|(a, b)| (a - b).abs()).sum();
            theta = next;
            if size < 1e-7 {
                break;
            }
        }
        let mut weights = [0.0; N];
        weights
            .iter_mut()
            .zip(&theta)
            .for_each(|(w, t)| *w = *t as f32);
        Blend {
            weights,
            bias: theta[N] as f32,
            samples: samples.len(),
            positives: samples.iter().filter(|s| s.positive).count(),
        }
    }
}

/// Weighted log-loss plus the pull towards the priors.
fn objective(samples: &[Sample], theta: &[f64], theta0: &[f64], lambda: f64) -> f64 {
    let mut loss = 0.0;
    for s in samples {
        let z: f64 =
            s.x.iter()
                .zip(theta)
                .map(|(&x, t)| x as f64 * t)
                .sum::<f64>()
                + theta[N];
        // log(1 + e^z) - y·z, computed stably.
        let softplus = if z > 0.0 {
            z + (-z).exp().ln_1p()
        } else {
            z.exp().ln_1p()
        };
        loss += s.weight as f64 * (softplus - if s.positive { z } else { 0.0 });
    }
    let pull: f64 = theta.iter().zip(theta0).map(|(a, b)| (a - b).powi(2)).sum();
    loss + 0.5 * lambda * pull
}

/// Solves the Newton system restricted to the `free` parameters.
fn solve_free<const P: usize>(
    hess: &[[f64; P]; P],
    grad: &[f64; P],
    free: &[usize],
) -> Option<Vec<f64>> {
    let a: Vec<Vec<f64>> = free
        .iter()
        .map(|&i| free.iter().map(|&j| hess[i][j]).collect())
        .collect();
    let b: Vec<f64> = free.iter().map(|&i| grad[i]).collect();
    solve(a, b)
}

/// Solves `a · x = b` by Gaussian elimination with partial pivoting (`a` is positive definite here).
fn solve(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Option<Vec<f64>> {
    let p = b.len();
    for col in 0..p {
        let pivot = (col..p).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[pivot][col].abs() < 1e-12 {
            return None;
        }
        a.swap(col, pivot);
        b.swap(col, pivot);
        for row in col + 1..p {
            let f = a[row][col] / a[col][col];
            let (top, bottom) = a.split_at_mut(row);
            for (target, source) in bottom[0][col..].iter_mut().zip(&top[col][col..]) {
                *target -= f * source;
            }
            b[row] -= f * b[col];
        }
    }
    let mut x = vec![0f64; p];
    for row in (0..p).rev() {
        let rest: f64 = (row + 1..p).map(|k| a[row][k] * x[k]).sum();
        x[row] = (b[row] - rest) / a[row][row];
    }
    Some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(f: usize, value: f32, positive: bool) -> Sample {
        let mut x = [0.0; N];
        x[f] = value;
        Sample {
            x,
            positive,
            weight: 1.0,
        }
    }

    #[test]
    fn no_outcomes_keep_the_priors() {
        let blend = Blend::train(&[], &Blend::prior());
        assert_eq!(blend.weights, Blend::prior().weights);
        assert_eq!(blend.samples, 0);
    }

    #[test]
    fn outcomes_move_weight_to_the_feature_that_predicts_them() {
        // Text predicts what the listener plays; high audio scores go with what they do not.
        let mut samples = Vec::new();
        for i in 0..400 {
            let v = (i % 10) as f32 / 10.0;
            samples.push(sample(4, v, i % 10 >= 7));
            samples.push(sample(3, v, i % 10 <= 2));
        }
        let prior = Blend::prior();
        let blend = Blend::train(&samples, &prior);
        assert!(blend.weights[4] > prior.weights[4] + 0.5, "{blend:?}");
        // Held at zero: a model's liking never counts against a track.
        assert_eq!(blend.weights[3], 0.0, "{blend:?}");
        assert_eq!(blend.samples, 800);
        // Same samples, same weights.
        assert_eq!(Blend::train(&samples, &prior), blend);
    }
}
