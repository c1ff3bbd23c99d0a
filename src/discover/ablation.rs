//! Today's list made by every variant of the evaluation (the app's blend, unshaped, each model
//! alone, popularity) from the listener's real database, nothing stored: the real-data replay
//! (`benches/discover_real.py`) compares them on the same listener and day.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;

use super::blend::{Blend, AUDIO_MODEL, CF_MODEL, NLP_MODEL, PRIOR_WEIGHTS_BEFORE};
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
    // The steps from the list before issue 18 to the app's: percentile scaling, the old priors, MMR
    // 0.7 and 10 % wildcards; then log-rank scaling; then co-listening's prior weight; then the
    // lighter shape.
    let before_weights = || {
        let mut b = day_inputs.blend.clone();
        b.weights[0] = PRIOR_WEIGHTS_BEFORE[0];
        Ranking::Blend(b)
    };
    let old_shape = |scale: Scale| {
        with(&|o| {
            o.cf_scale = scale;
            o.mmr_lambda = 0.7;
            o.exploration = 0.1;
        })
    };
    let blend = Ranking::Blend(day_inputs.blend.clone());
    let cf_only = Ranking::Blend(Blend::only(&[0]));
    let variants: Vec<(&str, Ranking, Options)> = vec![
        ("discover (the app)", blend.clone(), options.clone()),
        (
            "blend, unshaped (caps only)",
            blend.clone(),
            with(&|o| o.shape = false),
        ),
        (
            "before: percentile cf, cf weight 3, MMR 0.7, 10 % wildcards",
            before_weights(),
            old_shape(Scale::Percentile),
        ),
        (
            "step 1: log-rank cf",
            before_weights(),
            old_shape(Scale::LogRank),
        ),
        (
            "step 2: and cf weight 20",
            blend.clone(),
            old_shape(Scale::LogRank),
        ),
        ("co-listening score alone", cf_only.clone(), options.clone()),
        (
            "co-listening score alone, caps only",
            cf_only,
            with(&|o| o.shape = false),
        ),
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
