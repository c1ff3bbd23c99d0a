//! The embedding job: every present track whose text (or the model) changed since its embedding was
//! stored is embedded again, in batches, each batch stored in one transaction as it is made. Like the
//! audio analysis it can be paused, cancelled or asked to make way, and it starts again from what is
//! still stale.

use std::collections::HashMap;
use std::time::Instant;

use rusqlite::Connection;
use serde::Serialize;

use super::documents::track_documents;
use super::{store, SentenceModel, MODEL_ID};
use crate::jobs::{JobControl, Progress};

/// Texts per batch: the model's flat batches fill up at a few dozen short texts, and a batch is
/// what a pause or cancel waits for (well under a second).
const BATCH: usize = 64;

#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct EmbedSummary {
    /// Tracks embedded now.
    pub embedded: usize,
    /// Tracks whose stored embedding was still current.
    pub current: usize,
    pub seconds: f64,
    pub cancelled: bool,
    /// Why there is no sentence model (nothing was embedded), when there is none.
    pub unavailable: Option<String>,
}

/// The hash of a document as stored beside its vector.
pub fn text_hash(text: &str) -> i64 {
    xxhash_rust::xxh3::xxh3_64(text.as_bytes()) as i64
}

pub fn run(
    conn: &Connection,
    model: &SentenceModel,
    control: &JobControl,
    mut on_progress: impl FnMut(&Progress),
) -> rusqlite::Result<EmbedSummary> {
    let started = Instant::now();
    let stored: HashMap<i64, (String, i64)> = store::stamps(conn)?
        .into_iter()
        .map(|(id, model, hash)| (id, (model, hash)))
        .collect();
    let documents = track_documents(conn)?;
    let total = documents.len();
    let stale: Vec<_> = documents
        .into_iter()
        .map(|d| {
            let hash = text_hash(&d.text);
            (d, hash)
        })
        .filter(|(d, hash)| {
            stored
                .get(&d.track_id)
                .is_none_or(|(m, h)| m != MODEL_ID || h != hash)
        })
        .collect();
    let mut summary = EmbedSummary {
        current: total - stale.len(),
        ..Default::default()
    };
    for batch in stale.chunks(BATCH) {
        if !control.proceed_in_background() {
            summary.cancelled = true;
            break;
        }
        let texts: Vec<&str> = batch.iter().map(|(d, _)| d.text.as_str()).collect();
        let vectors = model.embed(&texts);
        let tx = conn.unchecked_transaction()?;
        for ((d, hash), v) in batch.iter().zip(vectors.rows()) {
            store::put(&tx, d.track_id, MODEL_ID, *hash, &v.to_vec())?;
        }
        tx.commit()?;
        summary.embedded += batch.len();
        let current = batch.last().map(|(d, _)| d.text.clone());
        on_progress(&Progress::new(
            (summary.current + summary.embedded) as u64,
            total as u64,
            current,
        ));
    }
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}
