//! Tuning the shared co-listening model: after shared data is imported (or when asked with
//! `sonare cf tune`), the model and hyper-parameters that rank best on a validation slice of that
//! data are chosen, stored with their score, and the winner is trained and kept in the data folder.

use serde::Serialize;

use super::{Result, Sonare};
use crate::cf::shared_model::{self, SharedData, SharedModel};
use crate::cf::tune::{self, Recipe, TuneError, TuneOptions, Tuned};
use crate::jobs::{JobControl, Progress};

/// What tuning did.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum TuneOutcome {
    /// A choice was made and stored; the model is trained and kept.
    Tuned(Box<Tuned>),
    /// Too little shared data to choose on: the default model is trained instead.
    Default {
        model: String,
        reason: String,
    },
    /// No shared interactions (none imported, or only item factors, which need no training).
    NothingToTune,
    Cancelled,
}

impl Sonare {
    /// Tunes on the shared data as it is now, stores the choice and trains the winner.
    pub fn tune_shared(
        &self,
        options: &TuneOptions,
        control: &JobControl,
        on_progress: impl FnMut(Progress),
    ) -> Result<TuneOutcome> {
        // Views keep the model they have until the new one is ready (they would train one).
        let _tuning = self.tuning_guard();
        let conn = self.connection()?;
        let version = shared_model::shared_version(&conn)?;
        let data = SharedData::read(&conn)?;
        if data.matrix.nnz() == 0 {
            return Ok(TuneOutcome::NothingToTune);
        }
        let (recipe, outcome) = match tune::tune(
            &data.matrix,
            data.tags.as_ref(),
            options,
            control,
            on_progress,
        ) {
            Ok(tuned) => {
                shared_model::store_choice(&conn, &version, &tuned)?;
                (
                    tuned.winner.recipe.clone(),
                    TuneOutcome::Tuned(Box::new(tuned)),
                )
            }
            Err(TuneError::Cancelled) => return Ok(TuneOutcome::Cancelled),
            Err(e @ (TuneError::TooLittle { .. } | TuneError::NoModel)) => {
                let recipe: Recipe = tune::default_recipe(&data.matrix);
                let outcome = TuneOutcome::Default {
                    model: recipe.describe(),
                    reason: e.to_string(),
                };
                (recipe, outcome)
            }
            Err(TuneError::Model(e)) => return Err(shared_model::SharedModelError::from(e).into()),
        };
        SharedModel::train(&conn, data, &recipe, &version)?;
        self.count_training();
        Ok(outcome)
    }
}

/// The co-listening model in use and how it was chosen (`discover --explain`, "For you").
#[derive(Debug, Clone, Serialize)]
pub struct TasteModel {
    /// What the model is and what it was trained on.
    pub model: String,
    /// The tuning report (metric, winner, runner-up, trials) if the model was tuned for the shared
    /// data as it is now.
    pub tuning: Option<serde_json::Value>,
    /// When it was tuned (Unix milliseconds).
    pub tuned_at: Option<i64>,
}

impl Sonare {
    /// The model Discover Daily and "For you" use (read, or trained once, through the cache).
    pub fn taste_model(&self) -> Result<Option<TasteModel>> {
        let conn = self.connection()?;
        let Some(model) = self.shared_model(&conn)? else {
            return Ok(None);
        };
        let report = shared_model::tuning_report(&conn)?;
        Ok(Some(TasteModel {
            model: model.name.clone(),
            tuned_at: report.as_ref().map(|(_, at)| *at),
            tuning: report.map(|(r, _)| r),
        }))
    }
}
