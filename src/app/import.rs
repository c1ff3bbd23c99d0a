//! Importing listening data, file by file: each file is one transaction (see `cf::import`), so a
//! broken file is reported and skipped, and a stop rolls back only the file under way.

use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;

use super::{Error, Result, Sonare};
use crate::cf::import::{
    self, input_size, HistoryFormat, ImportControl, ImportError, ImportReport, SharedFormat,
};
use crate::jobs::{JobControl, Progress};

/// What the files hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    /// The listener's own past: streaming-service exports, scrobble logs, playlists.
    History(HistoryFormat),
    /// Other listeners' co-listening data, or item factors trained elsewhere.
    Shared(SharedFormat),
}

impl ImportKind {
    /// `kind` is "history" or "shared"; `format` one of that kind's format names.
    pub fn from_names(kind: &str, format: &str) -> Result<Self> {
        match kind {
            "history" => HistoryFormat::from_name(format).map(ImportKind::History),
            "shared" => SharedFormat::from_name(format).map(ImportKind::Shared),
            _ => None,
        }
        .ok_or_else(|| Error::UnknownFormat(format!("unknown {kind} format {format:?}")))
    }
}

#[derive(Debug, Clone)]
pub struct ImportRequest {
    pub files: Vec<PathBuf>,
    pub kind: ImportKind,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportOutcome {
    pub reports: Vec<ImportReport>,
    /// Files that could not be imported, with the reason (naming the file and line).
    pub errors: Vec<String>,
    /// The listener stopped the import: the file under way and those after it were not imported.
    pub cancelled: bool,
    /// New shared data: the model tuning chose and trained for it.
    pub tuning: Option<super::TuneOutcome>,
}

/// How far an import has come: bytes read of the file's size, `current` the file.
#[derive(Debug, Clone, Serialize)]
pub struct ImportProgress {
    #[serde(flatten)]
    pub progress: Progress,
    /// 1-based, of `files`.
    pub index: usize,
    pub files: usize,
}

impl Sonare {
    /// Imports the files, then, if new shared data arrived, chooses and trains its model (once,
    /// here, not when a view opens). `on_tuning` hears of each candidate model tried.
    pub fn import_and_model(
        &self,
        request: &ImportRequest,
        control: &Arc<JobControl>,
        on_progress: impl Fn(ImportProgress) + Send + Sync + Clone + 'static,
        on_tuning: impl FnMut(Progress),
    ) -> Result<ImportOutcome> {
        let mut outcome = self.import(request, control, on_progress)?;
        // Item factors are a model already: nothing to choose or train.
        let interactions =
            matches!(request.kind, ImportKind::Shared(f) if f != SharedFormat::Factors);
        let new_shared = interactions && outcome.reports.iter().any(|r| !r.already_imported);
        if new_shared && !control.is_cancelled() {
            let options = crate::cf::tune::TuneOptions::default();
            outcome.tuning = Some(self.tune_shared(&options, control, on_tuning)?);
        }
        Ok(outcome)
    }

    /// Imports every file of `request` in turn; `on_progress` hears of each file and then of every
    /// mebibyte read (from the importing thread).
    pub fn import(
        &self,
        request: &ImportRequest,
        control: &Arc<JobControl>,
        on_progress: impl Fn(ImportProgress) + Send + Sync + Clone + 'static,
    ) -> Result<ImportOutcome> {
        let mut conn = self.connection()?;
        let mut outcome = ImportOutcome::default();
        let files = request.files.len();
        for (i, path) in request.files.iter().enumerate() {
            let at = ImportProgress {
                progress: Progress::new(0, input_size(path), Some(path.display().to_string())),
                index: i + 1,
                files,
            };
            on_progress(at.clone());
            let report = on_progress.clone();
            let file_control = Arc::new(ImportControl::under(control.clone(), move |read| {
                let mut now = at.clone();
                now.progress.done = read;
                report(now);
            }));
            let result = match request.kind {
                ImportKind::History(f) => {
                    import::import_history_with(&mut conn, path, f, file_control)
                }
                ImportKind::Shared(f) => {
                    import::import_shared_with(&mut conn, path, f, file_control)
                }
            };
            match result {
                Ok(report) => outcome.reports.push(report),
                Err(ImportError::Cancelled { .. }) => {
                    outcome.cancelled = true;
                    break;
                }
                Err(e) => outcome.errors.push(e.to_string()),
            }
        }
        Ok(outcome)
    }
}
