//! Offline evaluation of recommenders on `user<TAB>item<TAB>weight` files: the same protocol for
//! Sonare's models and for anyone else's (their RECS file can be scored against the same TEST file).

use std::collections::HashMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

use super::matrix::{Csr, Interner};
use super::model::{top_k, ModelSpec, Trained};
use super::tune::{self, Recipe, TuneOptions, Tuned};
use crate::jobs::JobControl;

#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}:{line}: {reason}")]
    Line {
        path: PathBuf,
        line: usize,
        reason: String,
    },
    #[error(transparent)]
    Ease(#[from] super::ease::EaseError),
    #[error(transparent)]
    Tune(#[from] tune::TuneError),
}

/// Which model a command trains: a fixed one, or the one tuning picks on the training data (what
/// the app does with shared data).
#[derive(Debug, Clone)]
pub enum Choice {
    Fixed(Recipe),
    Tuned(TuneOptions),
}

impl Choice {
    /// The recipe to train on `matrix` (and its items' `tags`), and the tuning report when it was
    /// tuned.
    pub fn recipe(
        &self,
        matrix: &Csr,
        tags: Option<&Csr>,
    ) -> Result<(Recipe, Option<Tuned>), EvalError> {
        match self {
            Choice::Fixed(recipe) => Ok((recipe.clone(), None)),
            Choice::Tuned(options) => {
                match tune::tune(matrix, tags, options, &JobControl::default(), |_| {}) {
                    Ok(tuned) => Ok((tuned.winner.recipe.clone(), Some(tuned))),
                    // As the app does: too little data to choose on gets the default model.
                    Err(e @ (tune::TuneError::TooLittle { .. } | tune::TuneError::NoModel)) => {
                        log::warn!("{e}: using the default model");
                        Ok((tune::default_recipe(matrix), None))
                    }
                    Err(e) => Err(e.into()),
                }
            }
        }
    }
}

/// Interactions read from a TSV file, users and items interned, with the items' tags if a tag
/// file was read.
#[derive(Debug, Default)]
pub struct Interactions {
    pub users: Interner,
    pub items: Interner,
    pub triples: Vec<(u32, u32, f32)>,
    /// `(item, tag)` pairs of items in `items`.
    pub item_tags: Vec<(u32, String)>,
}

impl Interactions {
    pub fn matrix(&self) -> Csr {
        Csr::from_triples(self.users.len(), self.items.len(), &self.triples)
    }

    /// The tag rows over the items (see [`super::tags`]), if any tag links two items.
    pub fn tags(&self) -> Option<Csr> {
        super::tags::tag_rows(
            self.item_tags.iter().map(|(i, t)| (*i, t.as_str())),
            self.items.len(),
        )
    }
}

fn io_err(path: &Path) -> impl Fn(std::io::Error) -> EvalError + '_ {
    move |source| EvalError::Io {
        path: path.to_owned(),
        source,
    }
}

/// Calls `each(fields, bad)` for every line of the TSV file at `path` but blank lines and `#`
/// comments; `bad(reason)` makes the error that names the file and line.
fn for_each_line(
    path: &Path,
    mut each: impl FnMut(
        std::str::Split<'_, char>,
        &dyn Fn(String) -> EvalError,
    ) -> Result<(), EvalError>,
) -> Result<(), EvalError> {
    let file = std::fs::File::open(path).map_err(io_err(path))?;
    for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.map_err(io_err(path))?;
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let bad = |reason: String| EvalError::Line {
            path: path.to_owned(),
            line: n + 1,
            reason,
        };
        each(line.split('\t'), &bad)?;
    }
    Ok(())
}

/// A positive, finite number in `field`, or the error `bad` makes, naming `what`.
fn positive(field: &str, what: &str, bad: &dyn Fn(String) -> EvalError) -> Result<f32, EvalError> {
    field
        .trim()
        .parse::<f32>()
        .ok()
        .filter(|w| w.is_finite() && *w > 0.0)
        .ok_or_else(|| bad(format!("{what} {field:?} is not a positive number")))
}

/// Reads `user<TAB>item[<TAB>weight]` lines (weight defaults to 1; blank lines and `#` comments are
/// skipped) into `into`, interning new users and items.
pub fn read_triples(path: &Path, into: &mut Interactions) -> Result<(), EvalError> {
    for_each_line(path, |mut fields, bad| {
        let (Some(user), Some(item)) = (fields.next(), fields.next()) else {
            return Err(bad("expected user<TAB>item<TAB>weight".into()));
        };
        let weight = match fields.next() {
            None => 1.0,
            Some(w) => positive(w, "weight", bad)?,
        };
        let (u, i) = (into.users.id(user), into.items.id(item));
        into.triples.push((u, i, weight));
        Ok(())
    })
}

/// Reads `item<TAB>tag[<TAB>count]` lines (blank lines and `#` comments skipped): the tags of
/// items already read into `into`; tags of items it does not have are ignored.
pub fn read_item_tags(path: &Path, into: &mut Interactions) -> Result<(), EvalError> {
    for_each_line(path, |mut fields, bad| {
        let (Some(item), Some(tag)) = (fields.next(), fields.next().map(str::trim)) else {
            return Err(bad("expected item<TAB>tag<TAB>count".into()));
        };
        if tag.is_empty() {
            return Err(bad("the tag is empty".into()));
        }
        if let Some(count) = fields.next() {
            positive(count, "count", bad)?;
        }
        if let Some(i) = into.items.get(item) {
            into.item_tags.push((i, tag.to_owned()));
        }
        Ok(())
    })
}

/// What `recommend` made: `(user, items best first)`, and the tuning report if it tuned.
pub type Recommendations = (Vec<(String, Vec<String>)>, Option<Tuned>);

/// Top-`k` items for each of `users` (names; unknown users get the most popular items), train items
/// excluded.
pub fn recommend(
    train: &Interactions,
    users: &[String],
    k: usize,
    choice: &Choice,
) -> Result<Recommendations, EvalError> {
    let (matrix, tags) = (train.matrix(), train.tags());
    let (recipe, tuned) = choice.recipe(&matrix, tags.as_ref())?;
    let model = recipe.fit(&matrix, tags.as_ref())?;
    let popular = Trained::fit(&ModelSpec::Popular, &matrix)?;
    let lists = users
        .par_iter()
        .map(|name| {
            let items = match train.users.get(name) {
                Some(u) => {
                    let scores = model.scores_for_user(u as usize, &matrix);
                    top_k(&scores, k, matrix.row(u as usize).0)
                }
                None => top_k(&popular.scores_for_new(&[], &[]), k, &[]),
            };
            let names = items
                .iter()
                .map(|&i| train.items.name(i).to_owned())
                .collect();
            (name.clone(), names)
        })
        .collect();
    Ok((lists, tuned))
}

/// Ranking quality at `k`, averaged over the test users who also appear in the train file.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct Metrics {
    pub k: usize,
    /// Held-out items found in the top k, over the user's held-out items.
    pub recall: f64,
    /// Discounted cumulative gain of the hits over the best possible for min(k, held-out items).
    pub ndcg: f64,
    /// Share of users with at least one hit.
    pub hit_rate: f64,
    pub users: usize,
    /// Test users absent from the train file (not scored).
    pub cold_users: usize,
}

/// Scores recommendations (`user → items best first`) against held-out `test` items per user.
pub fn score(
    recs: &HashMap<String, Vec<String>>,
    test: &HashMap<String, Vec<String>>,
    k: usize,
) -> Metrics {
    let (mut recall, mut ndcg, mut hits, mut users) = (0.0, 0.0, 0.0, 0usize);
    let mut cold = 0;
    for (user, held_out) in test {
        let Some(list) = recs.get(user) else {
            cold += 1;
            continue;
        };
        if held_out.is_empty() {
            continue;
        }
        users += 1;
        let mut found = 0usize;
        let mut dcg = 0.0;
        for (rank, item) in list.iter().take(k).enumerate() {
            if held_out.contains(item) {
                found += 1;
                dcg += 1.0 / ((rank + 2) as f64).log2();
            }
        }
        let ideal: f64 = (0..held_out.len().min(k))
            .map(|r| 1.0 / ((r + 2) as f64).log2())
            .sum();
        recall += found as f64 / held_out.len() as f64;
        ndcg += dcg / ideal;
        hits += (found > 0) as u8 as f64;
    }
    let n = users.max(1) as f64;
    Metrics {
        k,
        recall: recall / n,
        ndcg: ndcg / n,
        hit_rate: hits / n,
        users,
        cold_users: cold,
    }
}

/// Trains `spec` on `train`, recommends `k` items to every test user, and scores them.
pub fn evaluate(
    train_path: &Path,
    tags_path: Option<&Path>,
    test_path: &Path,
    k: usize,
    choice: &Choice,
) -> Result<Metrics, EvalError> {
    let mut train = Interactions::default();
    read_triples(train_path, &mut train)?;
    if let Some(tags) = tags_path {
        read_item_tags(tags, &mut train)?;
    }
    let mut test_raw = Interactions::default();
    read_triples(test_path, &mut test_raw)?;
    let mut test: HashMap<String, Vec<String>> = HashMap::new();
    for &(u, i, _) in &test_raw.triples {
        test.entry(test_raw.users.name(u).to_owned())
            .or_default()
            .push(test_raw.items.name(i).to_owned());
    }
    let known: Vec<String> = test
        .keys()
        .filter(|u| train.users.get(u).is_some())
        .cloned()
        .collect();
    let recs: HashMap<String, Vec<String>> = recommend(&train, &known, k, choice)?
        .0
        .into_iter()
        .collect();
    Ok(score(&recs, &test, k))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_follow_their_definitions() {
        let recs: HashMap<String, Vec<String>> = [
            ("a".to_string(), vec!["x".into(), "y".into(), "z".into()]),
            ("b".to_string(), vec!["p".into(), "q".into(), "r".into()]),
        ]
        .into();
        let test: HashMap<String, Vec<String>> = [
            ("a".to_string(), vec!["y".to_string(), "w".to_string()]),
            ("b".to_string(), vec!["s".to_string()]),
            ("c".to_string(), vec!["x".to_string()]),
        ]
        .into();
        let m = score(&recs, &test, 3);
        assert_eq!(m.users, 2);
        assert_eq!(m.cold_users, 1);
        assert!((m.recall - 0.25).abs() < 1e-12);
        assert!((m.hit_rate - 0.5).abs() < 1e-12);
        // a: hit at rank 2 → 1/log2(3), ideal 1 + 1/log2(3).
        let a = (1.0 / 3f64.log2()) / (1.0 + 1.0 / 3f64.log2());
        assert!((m.ndcg - a / 2.0).abs() < 1e-12);
    }
}
