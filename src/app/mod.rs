//! The core facade: one [`Sonare`] per data folder, called alike by the desktop shell and the CLI.
//! It owns the data folder, a connection for short reads, and what is derived from the library and
//! kept between calls (Discover's prepared inputs, the search index, the trained shared model), each
//! keyed by the one [`DataVersion`] in `db`; and it holds the defaults of every operation, so the
//! window and the command line make the same lists.
//!
//! `pipeline` runs long work as jobs (scan → re-match → analysis → refresh); `import` brings in
//! listening data file by file; `lists` are the read operations that return track rows.

mod import;
mod lists;
mod mixes;
mod pipeline;
mod places;
mod play;
mod settings;
mod text;
mod tune;
mod watch;

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use rusqlite::Connection;

use crate::analysis::worker::WorkerCommand;
use crate::cf::shared_model::{SharedModel, SharedModelError};
use crate::data_dir::DataDir;
use crate::db::DataVersion;
use crate::discover::{self, Prepared};
use crate::text::profile::LibraryText;

pub use import::{ImportKind, ImportOutcome, ImportProgress, ImportRequest};
pub use lists::{DiscoverRequest, ForYou, Found, SimilarTrack, TrackDetails};
pub use mixes::{Mix, MixTrack, RadioBatch, RadioSession, Seed, RADIO_BATCH, RADIO_START};
pub use pipeline::{Events, Job, JobEvent};
pub use places::{ArtistPage, HistoryEntry, LikedTrack, MAX_HISTORY};
pub use settings::BackupReport;
pub use tune::{TasteModel, TuneOutcome};
pub use watch::OnLibraryChange;

/// Longest list any operation returns (find, for you, similar, Discover Daily).
pub const MAX_LIST: usize = 500;

/// Why an operation failed. [`Error::kind`] is the short name the UI branches on.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Database(#[from] crate::db::Error),
    #[error("database: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error(transparent)]
    Library(#[from] crate::library::Error),
    #[error(transparent)]
    Demo(#[from] crate::library::demo::DemoError),
    #[error(transparent)]
    Discover(#[from] discover::DiscoverError),
    #[error("co-listening model: {0}")]
    SharedModel(#[from] SharedModelError),
    #[error(transparent)]
    Similar(#[from] crate::analysis::similar::SimilarError),
    #[error(transparent)]
    Analysis(#[from] crate::analysis::job::JobError),
    #[error(transparent)]
    Playlist(#[from] crate::playlists::PlaylistError),
    #[error(transparent)]
    Export(#[from] crate::playlists::export::ExportError),
    #[error(transparent)]
    Settings(#[from] crate::settings::SettingsError),
    #[error(transparent)]
    Portable(#[from] crate::portable::PortableError),
    #[error(transparent)]
    Watch(#[from] crate::library::watch::WatchError),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    BadArgument(String),
    #[error("{0}")]
    UnknownFormat(String),
}

impl Error {
    /// What kind of failure this is, for a UI that shows each differently.
    pub fn kind(&self) -> &'static str {
        use crate::analysis::similar::SimilarError;
        use crate::playlists::PlaylistError;
        use discover::DiscoverError;
        match self {
            Error::Database(crate::db::Error::TooNew { .. }) => "database_too_new",
            Error::Database(_) | Error::Sql(_) => "database",
            Error::Library(
                crate::library::Error::Folder { .. } | crate::library::Error::NotADirectory { .. },
            ) => "folder",
            Error::Library(_) => "library",
            Error::Demo(_) => "demo",
            Error::Discover(DiscoverError::UnknownTrack(_)) => "unknown_track",
            Error::Discover(DiscoverError::BadDate(_)) => "bad_date",
            Error::Discover(_) => "discover",
            Error::SharedModel(_) => "taste",
            Error::Similar(SimilarError::NotAnalysed(_)) => "not_analysed",
            Error::Similar(_) => "database",
            Error::Analysis(_) => "analysis",
            Error::Playlist(PlaylistError::NoSuchPlaylist(_)) => "not_found",
            Error::Playlist(PlaylistError::NoSuchTrack(_)) => "unknown_track",
            Error::Playlist(PlaylistError::Sql(_)) => "database",
            Error::Playlist(_) => "bad_argument",
            Error::Export(_) => "export",
            Error::Settings(crate::settings::SettingsError::Sql(_)) => "database",
            Error::Settings(_) => "setting",
            Error::Portable(crate::portable::PortableError::Format { .. }) => "format",
            Error::Portable(_) => "export",
            Error::Watch(_) => "folder",
            Error::NotFound(_) => "not_found",
            Error::BadArgument(_) => "bad_argument",
            Error::UnknownFormat(_) => "format",
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The trained shared model, with the data it was made from (`None`: no shared data).
type ModelCache = Option<(DataVersion, Option<Arc<SharedModel>>)>;

/// One library and everything derived from it that is worth keeping between calls.
pub struct Sonare {
    data: DataDir,
    /// For short reads (browsing); long work opens a connection of its own.
    reader: Mutex<Connection>,
    /// What Discover Daily is made from; held while a list is made, so two requests never make the
    /// same list twice.
    discover: Mutex<Option<Prepared>>,
    /// The library's text index for "find by words".
    search: Mutex<Option<(DataVersion, Arc<LibraryText>)>>,
    /// The sentence model, once loaded.
    sentence: Mutex<Option<Arc<crate::text::embed::SentenceModel>>>,
    /// The library's text embeddings, for search by meaning and similar artists.
    meaning: Mutex<Option<(DataVersion, Arc<crate::text::embed::index::TrackEmbeddings>)>>,
    /// Tracks not offered for their song (duplicates, stems), for lists made outside Discover.
    not_offered: Mutex<Option<(DataVersion, Arc<HashSet<i64>>)>>,
    shared: Mutex<ModelCache>,
    /// The radio playing now, if any.
    radio: Mutex<Option<RadioSession>>,
    /// The watch over the library folders (see `watch`).
    watching: Mutex<watch::Watching>,
    /// Times the shared model was trained here (not read from imported factors).
    trainings: AtomicUsize,
    /// Tuning runs: views use the model they have instead of training one for data in flux.
    tuning: std::sync::atomic::AtomicBool,
    /// How the analysis starts its worker processes (`None`: it analyses in this process).
    analysis_worker: Option<WorkerCommand>,
    /// How the scan starts its probe processes (`None`: it probes in this process).
    probe_worker: Option<WorkerCommand>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// What `slot` keeps for the data as it is now on `conn`, made by `load` when the data changed.
fn kept_for_version<T>(
    slot: &Mutex<Option<(DataVersion, Arc<T>)>>,
    conn: &Connection,
    load: impl FnOnce(&Connection) -> rusqlite::Result<T>,
) -> Result<Arc<T>> {
    let version = DataVersion::read(conn)?;
    let mut kept = lock(slot);
    match kept.as_ref() {
        Some((v, value)) if *v == version => Ok(value.clone()),
        _ => {
            let value = Arc::new(load(conn)?);
            *kept = Some((version, value.clone()));
            Ok(value)
        }
    }
}

impl Sonare {
    /// Opens (creating and migrating if needed) the library in `data`.
    pub fn open(data: DataDir) -> Result<Self> {
        let reader = crate::db::open(&data.database())?;
        Ok(Sonare {
            data,
            reader: Mutex::new(reader),
            discover: Mutex::default(),
            search: Mutex::default(),
            sentence: Mutex::default(),
            meaning: Mutex::default(),
            not_offered: Mutex::default(),
            shared: Mutex::default(),
            radio: Mutex::default(),
            watching: Mutex::default(),
            trainings: AtomicUsize::new(0),
            tuning: Default::default(),
            analysis_worker: None,
            probe_worker: None,
        })
    }

    /// Analyses each track in a worker process started by `command` (the app and the CLI pass
    /// their own binary), so a file that kills its decoder fails alone.
    pub fn with_analysis_worker(mut self, command: WorkerCommand) -> Self {
        self.analysis_worker = Some(command);
        self
    }

    /// Probes files lofty cannot read in a worker process started by `command` (see
    /// `library::probe_worker`).
    pub fn with_probe_worker(mut self, command: WorkerCommand) -> Self {
        self.probe_worker = Some(command);
        self
    }

    pub fn data(&self) -> &DataDir {
        &self.data
    }

    /// The connection for short reads. Do not hold it across long work.
    pub fn db(&self) -> MutexGuard<'_, Connection> {
        lock(&self.reader)
    }

    /// A new connection, for long work or work on another thread.
    pub fn connection(&self) -> Result<Connection> {
        Ok(crate::db::open(&self.data.database())?)
    }

    pub fn covers(&self) -> Result<crate::library::CoverCache> {
        Ok(crate::library::CoverCache::new(&self.data.covers())?)
    }

    /// How many times the shared co-listening model has been trained by this facade.
    pub fn trainings(&self) -> usize {
        self.trainings.load(Ordering::Relaxed)
    }

    fn count_training(&self) {
        self.trainings.fetch_add(1, Ordering::Relaxed);
    }

    /// Marks tuning as running until the guard is dropped.
    fn tuning_guard(&self) -> impl Drop + '_ {
        struct Guard<'a>(&'a std::sync::atomic::AtomicBool);
        impl Drop for Guard<'_> {
            fn drop(&mut self) {
                self.0.store(false, Ordering::SeqCst);
            }
        }
        self.tuning.store(true, Ordering::SeqCst);
        Guard(&self.tuning)
    }

    /// The shared model for the data as it is now on `conn`: kept while the data is unchanged, so
    /// it is trained at most once per data version.
    pub fn shared_model(
        &self,
        conn: &Connection,
    ) -> Result<Option<Arc<SharedModel>>, SharedModelError> {
        let version = DataVersion::read(conn)?;
        let mut kept = lock(&self.shared);
        if let Some((v, model)) = kept.as_ref() {
            if *v == version || self.tuning.load(Ordering::SeqCst) {
                return Ok(model.clone());
            }
        }
        let model = SharedModel::load(conn)?.map(Arc::new);
        if model.as_ref().is_some_and(|m| m.trained_here) {
            self.count_training();
        }
        *kept = Some((version, model.clone()));
        Ok(model)
    }

    /// The text index of the library as it is now (track and artist profiles), built when the
    /// library changed.
    pub fn search_index(&self, conn: &Connection) -> Result<Arc<LibraryText>> {
        kept_for_version(&self.search, conn, LibraryText::load)
    }

    /// The present tracks that are not offered for their song (see `library::duplicates`).
    pub fn not_offered(&self, conn: &Connection) -> Result<Arc<HashSet<i64>>> {
        kept_for_version(
            &self.not_offered,
            conn,
            crate::library::duplicates::not_offered,
        )
    }

    /// Whether what Discover Daily is made from has been read (and is kept).
    pub fn discover_prepared(&self) -> bool {
        lock(&self.discover).is_some()
    }

    /// Reads what Discover Daily is made from, if the library changed since it was last read (at
    /// start and after long work, so that the next list does not wait for it).
    pub fn prepare_discover(&self) -> Result<()> {
        let conn = self.connection()?;
        let mut prepared = lock(&self.discover);
        discover::prepare(&conn, &mut prepared, &|c| self.model_for_discover(c))?;
        Ok(())
    }

    /// The shared model as Discover's preparation asks for it (the one cached model).
    pub(super) fn model_for_discover(
        &self,
        conn: &Connection,
    ) -> discover::Result<Option<Arc<SharedModel>>> {
        Ok(self.shared_model(conn)?)
    }
}
