//! Today's list made by every variant of the evaluation (the app's blend, unshaped, each model
//! alone, popularity) from the listener's real database, nothing stored: the real-data replay
//! (`benches/discover_real.py`) compares them on the same listener and day.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;

use super::blend::{Blend, AUDIO_MODEL, CF_MODEL, NLP_MODEL};
use super::engine::{generate, Options, Ranking, Scale};
use super::{prepare, DayInputs, ModelSource, Prepared, Result};

#[derive(Debug, Clone, Serialize)]
pub struct VariantList {
    /// Library track ids, in the list's order.
    pub tracks: Vec<i64>,
    pub reasons: Vec<String>,
    pub cold_start: bool,
}

/// Each variant's list of `day` for the listener as stored, by variant name.
pub fn ablation(
    conn: &Connection,
    day: NaiveDate,
    options: &Options,
    prepared: &mut Option<Prepared>,
    model: ModelSource,
) -> Result<BTreeMap<String, VariantList>> {
    prepare(conn, prepared, model)?;
    let ready = prepared.as_ref().expect("just prepared");
    let day_inputs = DayInputs::read(conn, ready, day)?;
    let inputs = day_inputs.inputs(ready);
    let with = |f: &dyn Fn(&mut Options)| {
        let mut o = options.clone();
        f(&mut o);
        o
    };
    let blend = Ranking::Blend(day_inputs.blend.clone());
    let cf_only = Ranking::Blend(Blend::only(&[0]));
    let weighted = |w: f32, novelty: f32| {
        let mut b = day_inputs.blend.clone();
        b.weights[0] = w;
        b.weights[6] = novelty;
        Ranking::Blend(b)
    };
    let shaped = |lambda: f32, exploration: f32| {
        with(&|o| {
            o.cf_scale = Scale::LogRank;
            o.mmr_lambda = lambda;
            o.exploration = exploration;
        })
    };
    let variants: Vec<(&str, Ranking, Options)> = vec![
        ("discover (the app)", blend.clone(), options.clone()),
        ("G cf12 .9 .05", weighted(12.0, 0.5), shaped(0.9, 0.05)),
        ("H cf12 .9 .033", weighted(12.0, 0.5), shaped(0.9, 0.033)),
        ("I cf20 .9 .033", weighted(20.0, 0.5), shaped(0.9, 0.033)),
        (
            "J cf12 .9 .033 novelty 0",
            weighted(12.0, 0.0),
            shaped(0.9, 0.033),
        ),
        (
            "cf score alone, caps only",
            cf_only.clone(),
            with(&|o| o.shape = false),
        ),
        ("shared co-listening score alone", cf_only, options.clone()),
        (
            "co-listening model alone (cf, session, artist)",
            Ranking::Blend(Blend::only(CF_MODEL)),
            options.clone(),
        ),
        (
            "audio alone",
            Ranking::Blend(Blend::only(AUDIO_MODEL)),
            options.clone(),
        ),
        (
            "text alone",
            Ranking::Blend(Blend::only(NLP_MODEL)),
            options.clone(),
        ),
        (
            "most popular (shared data)",
            Ranking::Popular,
            options.clone(),
        ),
    ];
    Ok(variants
        .into_iter()
        .map(|(name, ranking, options)| {
            let generated = generate(&inputs, &ranking, &options);
            let list = VariantList {
                tracks: generated
                    .entries
                    .iter()
                    .map(|e| ready.catalog.tracks[e.track].meta.id)
                    .collect(),
                reasons: generated
                    .entries
                    .iter()
                    .map(|e| e.reason.text.clone())
                    .collect(),
                cold_start: generated.cold_start,
            };
            (name.to_owned(), list)
        })
        .collect())
}
