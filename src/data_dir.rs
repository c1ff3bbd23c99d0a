//! Where Sonare keeps its files: `--data-dir`, else `$SONARE_DATA_DIR`, else the OS data folder.

use std::path::{Path, PathBuf};

/// Environment variable that overrides the data folder.
pub const DATA_DIR_ENV: &str = "SONARE_DATA_DIR";

#[derive(Debug, Clone)]
pub struct DataDir {
    root: PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("no data folder: the OS reports none; pass --data-dir or set {DATA_DIR_ENV}")]
    NoDefault,
    #[error("cannot create data folder {path}: {source}")]
    Create {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl DataDir {
    /// Resolves the data folder (explicit path, then the environment, then the OS default) and creates it.
    pub fn resolve(explicit: Option<&Path>) -> Result<Self, Error> {
        let root = match explicit {
            Some(path) => path.to_owned(),
            None => match std::env::var_os(DATA_DIR_ENV).filter(|v| !v.is_empty()) {
                Some(env) => PathBuf::from(env),
                None => dirs::data_dir().ok_or(Error::NoDefault)?.join("sonare"),
            },
        };
        std::fs::create_dir_all(&root).map_err(|source| Error::Create {
            path: root.clone(),
            source,
        })?;
        Ok(Self { root })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn database(&self) -> PathBuf {
        self.root.join(crate::db::DB_FILE)
    }

    pub fn covers(&self) -> PathBuf {
        self.root.join("covers")
    }

    /// Where `scripts/fetch_onnxruntime.sh` puts ONNX Runtime's library for the audio CNN.
    pub fn runtime(&self) -> PathBuf {
        self.root.join("runtime")
    }

    /// Where `scripts/fetch_text_model.sh` puts the multilingual sentence model.
    pub fn models(&self) -> PathBuf {
        self.root.join("models")
    }

    /// Where the demo library (freely licensed music from Debian's archive) is unpacked.
    pub fn demo_music(&self) -> PathBuf {
        self.root.join("demo-music")
    }
}
