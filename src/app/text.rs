//! The sentence model in the facade: loaded once when first needed, the library's texts embedded
//! as a stage of every job, and the stored embeddings kept in memory per library version for "Find
//! by words" and similar artists. Without the model, both fall back to words alone.

use std::sync::Arc;

use rusqlite::Connection;

use super::{kept_for_version, lock, Result, Sonare};
use crate::jobs::{JobControl, Progress};
use crate::text::embed::index::TrackEmbeddings;
use crate::text::embed::job::{self, EmbedSummary};
use crate::text::embed::{model_dir, EmbedError, SentenceModel};

impl Sonare {
    /// The sentence model, loaded on first use (a missing model is tried again on the next call:
    /// it may have been fetched since).
    pub fn sentence_model(&self) -> std::result::Result<Arc<SentenceModel>, EmbedError> {
        let mut kept = lock(&self.sentence);
        if let Some(model) = kept.as_ref() {
            return Ok(model.clone());
        }
        let model = Arc::new(SentenceModel::load(&model_dir(&self.data))?);
        *kept = Some(model.clone());
        Ok(model)
    }

    /// Embeds the text of every track whose text changed since (see `text::embed::job`).
    pub fn embed_texts(
        &self,
        control: &JobControl,
        on_progress: impl FnMut(&Progress),
    ) -> Result<EmbedSummary> {
        let model = match self.sentence_model() {
            Ok(model) => model,
            Err(e) => {
                log::warn!("texts are not embedded: {e}");
                return Ok(EmbedSummary {
                    unavailable: Some(e.to_string()),
                    ..Default::default()
                });
            }
        };
        let conn = self.connection()?;
        Ok(job::run(&conn, &model, control, on_progress)?)
    }

    /// The library's stored text embeddings as they are now.
    pub fn text_embeddings(&self, conn: &Connection) -> Result<Arc<TrackEmbeddings>> {
        kept_for_version(&self.meaning, conn, TrackEmbeddings::load)
    }

    /// The stored embeddings and the sentence model, when there are both: what search by meaning
    /// needs.
    pub(super) fn meaning(
        &self,
        conn: &Connection,
    ) -> Result<Option<(Arc<TrackEmbeddings>, Arc<SentenceModel>)>> {
        let embeddings = self.text_embeddings(conn)?;
        if embeddings.is_empty() {
            return Ok(None);
        }
        Ok(self.sentence_model().ok().map(|m| (embeddings, m)))
    }
}
