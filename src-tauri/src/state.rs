//! State shared by the commands: the data folder, a read connection, and the running scan's cancel flag.

use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, MutexGuard};

use rusqlite::Connection;
use sonare::data_dir::DataDir;

use crate::error::{CommandError, CommandResult};

pub struct AppState {
    pub data: DataDir,
    /// Connection for the UI's short reads; scans open their own so reads never wait on a scan.
    reader: Mutex<Connection>,
    /// Set by `cancel_scan`; the running scan stops after its current batch.
    pub cancel_scan: Arc<AtomicBool>,
    /// Held while a scan runs: a second scan request waits instead of racing the first.
    pub scan_lock: Mutex<()>,
    /// What Discover Daily is made from (catalog, shared model), kept while the library is unchanged;
    /// held while a list is generated, so two requests never build the same list twice.
    pub discover: Arc<Mutex<Option<sonare::discover::Prepared>>>,
    /// The library's text index for "find by words", with the library state it was built from.
    pub search_index: SearchIndex,
    /// The running import's control (progress, cancel), if one runs.
    pub import: Arc<Mutex<Option<Arc<sonare::cf::import::ImportControl>>>>,
}

pub type SearchIndex = Arc<
    Mutex<
        Option<(
            sonare::discover::DataVersion,
            Arc<sonare::text::profile::LibraryText>,
        )>,
    >,
>;

impl AppState {
    pub fn open(data: DataDir) -> anyhow::Result<Self> {
        let reader = sonare::db::open(&data.database())?;
        Ok(Self {
            data,
            reader: Mutex::new(reader),
            cancel_scan: Arc::default(),
            scan_lock: Mutex::new(()),
            discover: Arc::default(),
            search_index: Arc::default(),
            import: Arc::default(),
        })
    }

    pub fn db(&self) -> MutexGuard<'_, Connection> {
        self.reader.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A fresh connection for long work on another thread.
    pub fn writer(&self) -> CommandResult<Connection> {
        Ok(sonare::db::open(&self.data.database())?)
    }

    pub fn covers(&self) -> CommandResult<sonare::library::CoverCache> {
        sonare::library::CoverCache::new(&self.data.covers()).map_err(CommandError::from)
    }
}

/// The player thread, shared by the player commands and the media-key bridge.
pub struct PlayerHandle(pub std::sync::Arc<sonare::playback::Player>);

impl std::ops::Deref for PlayerHandle {
    type Target = sonare::playback::Player;

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}
