//! The one place that decides what runs after what: a job's own stage (scan, demo, import), then
//! the re-match of imported plays, the audio analysis of whatever is new or stale, and the refresh of
//! what Discover Daily is made from. The shell and the CLI start jobs; neither chains stages itself.
//!
//! Events of one job, in order: the stage's progress (`fetching`, `scanning` or `importing`, then
//! `tuning` after new shared data), its result (`scanned` or `imported`), then `analysing` per track
//! and `analysed`, then `embedding` per batch of texts and `embedded`, then `prepared`.
//! `failed` ends a job early; `state` follows a pause, resume or cancel at any time.

use std::sync::Arc;

use serde::Serialize;

use super::import::{ImportOutcome, ImportProgress, ImportRequest};
use super::{Result, Sonare};
use crate::analysis::job::{self, JobOptions, JobProgress, JobSummary};
use crate::jobs::{JobControl, JobState, Progress};
use crate::library::{self, ScanOptions, ScanProgress, ScanReport};

/// Long work the listener (or the app's start) asks for.
#[derive(Debug, Clone)]
pub enum Job {
    /// Rescan every library folder.
    Scan,
    /// Fetch the demo library (free music from Debian's archive), add it and scan.
    Demo,
    /// Import listening data.
    Import(ImportRequest),
    /// What a start does: read Discover's inputs, rescan the library folders (files changed while
    /// the app was closed), then analyse whatever is new or stale.
    CatchUp,
}

/// What a job reports while it runs (see the module's documentation for the order).
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum JobEvent {
    /// The demo packages are being fetched: `done` of `total`, now `package`.
    Fetching {
        done: usize,
        total: usize,
        package: String,
    },
    Scanning(ScanProgress),
    Scanned(ScanReport),
    Importing(ImportProgress),
    /// After shared data arrived: the model search (`done` of `total` candidates, `current` the
    /// one being tried).
    Tuning(Progress),
    Imported(ImportOutcome),
    /// A track was analysed (or failed).
    Analysing(JobProgress),
    Analysed(JobSummary),
    /// Track texts were embedded by the sentence model (`done` of `total`).
    Embedding(Progress),
    Embedded(crate::text::embed::job::EmbedSummary),
    /// What Discover Daily is made from was read again.
    Prepared,
    /// Paused, resumed or cancelled.
    State {
        state: JobState,
    },
    /// The job stopped on an error (the stage's own results so far are kept).
    Failed {
        stage: &'static str,
        message: String,
    },
}

/// Where a job's events go; called from the job's threads.
pub type Events = Arc<dyn Fn(JobEvent) + Send + Sync>;

impl Sonare {
    /// Rescans every library folder, then lets imported plays of songs that just arrived join the
    /// history.
    pub fn scan(
        &self,
        batch_size: Option<usize>,
        control: &JobControl,
        on_progress: &mut dyn FnMut(&ScanProgress),
    ) -> Result<ScanReport> {
        let mut conn = self.connection()?;
        let covers = self.covers()?;
        let defaults = ScanOptions::default();
        let options = ScanOptions {
            batch_size: batch_size.unwrap_or(defaults.batch_size),
            control: Some(control),
            probe_worker: self.probe_worker.as_ref(),
        };
        let report = library::scan(&mut conn, &covers, &options, on_progress)?;
        crate::cf::matching::rematch_after_scan(&mut conn, report.tracks_changed())?;
        // A folder added before this scan is watched from now on.
        if let Err(e) = self.refresh_watch() {
            log::warn!("{e}");
        }
        Ok(report)
    }

    /// Analyses every present track without an up-to-date analysis.
    pub fn analyse(
        &self,
        options: &JobOptions,
        control: &JobControl,
        on_progress: impl FnMut(&JobProgress),
    ) -> Result<JobSummary> {
        let conn = self.connection()?;
        let runtime = crate::analysis::cnn::runtime_path(&self.data);
        let summary = job::run(&conn, &runtime, options, control, on_progress)?;
        if let Some(why) = &summary.cnn_unavailable {
            log::warn!("analysis without the audio CNN: {why}");
        }
        Ok(summary)
    }

    /// Runs `job` and everything that follows it. A cancelled job stops at once; one asked to make
    /// way stops after its own stage (the analysis carries on in the next job).
    pub fn run(&self, job: &Job, control: &Arc<JobControl>, events: &Events) -> Result<()> {
        let failed = |stage: &'static str| {
            let events = events.clone();
            move |e: super::Error| {
                events(JobEvent::Failed {
                    stage,
                    message: e.to_string(),
                });
                e
            }
        };
        match job {
            Job::Scan => self.scan_stage(control, events).map_err(failed("scan"))?,
            Job::Demo => self.demo_stage(control, events).map_err(failed("demo"))?,
            Job::Import(request) => {
                let to_events = events.clone();
                let outcome = self
                    .import_and_model(
                        request,
                        control,
                        move |p| to_events(JobEvent::Importing(p)),
                        |p| events(JobEvent::Tuning(p)),
                    )
                    .map_err(failed("import"))?;
                events(JobEvent::Imported(outcome));
            }
            Job::CatchUp => {
                self.prepare_discover().map_err(failed("prepare"))?;
                events(JobEvent::Prepared);
                let has_folders = !crate::library::store::folders(&self.db())?.is_empty();
                if has_folders {
                    self.scan_stage(control, events).map_err(failed("scan"))?;
                }
            }
        }
        if control.is_cancelled() {
            return Ok(());
        }
        let options = JobOptions {
            worker: self.analysis_worker.clone(),
            threads: self.settings()?.analysis_threads(),
            ..Default::default()
        };
        let summary = self
            .analyse(&options, control, |p| {
                events(JobEvent::Analysing(p.clone()))
            })
            .map_err(failed("analysis"))?;
        // Made way for the next job: that job analyses the rest and refreshes.
        let mut stopped = summary.cancelled || control.making_way();
        events(JobEvent::Analysed(summary));
        if !stopped {
            // After the analysis: a track's text includes its sound tags.
            let embedded = self
                .embed_texts(control, |p| events(JobEvent::Embedding(p.clone())))
                .map_err(failed("embedding"))?;
            stopped = embedded.cancelled || control.making_way();
            events(JobEvent::Embedded(embedded));
        }
        // Reads again only what changed since the last preparation (nothing: nothing is read).
        if !stopped {
            self.prepare_discover().map_err(failed("prepare"))?;
            events(JobEvent::Prepared);
        }
        Ok(())
    }

    fn scan_stage(&self, control: &JobControl, events: &Events) -> Result<()> {
        let report = self.scan(None, control, &mut |p| {
            events(JobEvent::Scanning(p.clone()))
        })?;
        events(JobEvent::Scanned(report));
        Ok(())
    }

    fn demo_stage(&self, control: &JobControl, events: &Events) -> Result<()> {
        let dir =
            library::demo::fetch_demo(&self.data.demo_music(), &mut |done, total, package| {
                events(JobEvent::Fetching {
                    done,
                    total,
                    package: package.to_owned(),
                })
            })?;
        library::add_folder(&self.db(), &dir)?;
        self.scan_stage(control, events)
    }
}
