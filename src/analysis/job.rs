//! The analysis job: every present track without an up-to-date analysis, analysed on worker threads at
//! the lowest CPU priority (so playback never waits for it), results written as they arrive. Pausing
//! lets each worker finish its current track; cancelling stops after it. Nothing is lost on a crash or
//! quit: each result is stored when it is made, and the next run starts from what is still stale.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use rusqlite::Connection;
use serde::Serialize;

use super::cnn::AudioCnn;
use super::store;
use super::track::{analyze_track_with, TrackAnalysis, DEFAULT_MAX_PATCHES};
use super::worker::{Worker, WorkerCommand};
use crate::jobs::Progress;
use crate::library::path_text::to_path;

pub use crate::jobs::{JobControl, JobState};

/// How long a result waits for another writer (an import of a long history holds the database for
/// seconds) before the job gives up.
const WRITE_PATIENCE: std::time::Duration = std::time::Duration::from_secs(120);

#[derive(Debug, Clone)]
pub struct JobOptions {
    /// Worker threads (default: one per core).
    pub threads: usize,
    /// Analyse at most this many tracks.
    pub limit: Option<usize>,
    /// CNN patches per track (`None`: all).
    pub max_patches: Option<usize>,
    /// Run the workers at the lowest CPU priority.
    pub background: bool,
    /// Analyse each track in a worker process started so (`None`: in this process, for tests and
    /// trusted files). A file that kills its worker is then only that track's failure.
    pub worker: Option<WorkerCommand>,
    /// A track that takes longer than this in a worker is stopped and stored as failed.
    pub track_timeout: Duration,
}

impl Default for JobOptions {
    fn default() -> Self {
        Self {
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
            limit: None,
            max_patches: Some(DEFAULT_MAX_PATCHES),
            background: true,
            worker: None,
            track_timeout: Duration::from_secs(600),
        }
    }
}

/// Reported after every track: tracks done of total, `current` the path of the track just finished.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct JobProgress {
    #[serde(flatten)]
    pub progress: Progress,
    pub failed: usize,
    pub state: JobState,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FailedTrack {
    pub track_id: i64,
    pub path: String,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct JobSummary {
    /// The analysis version written (see [`store::current_version`]).
    pub version: String,
    pub analysed: usize,
    /// Present tracks already analysed by this version before the run.
    pub up_to_date: usize,
    pub failed: Vec<FailedTrack>,
    /// Tracks still waiting (cancelled, or beyond `limit`).
    pub remaining: usize,
    pub cancelled: bool,
    /// Why the CNN did not run, and how to fix it (tags and embeddings are then missing).
    pub cnn_unavailable: Option<String>,
    pub seconds: f64,
    /// Seconds of audio analysed.
    pub audio_seconds: f64,
}

#[derive(Debug, thiserror::Error)]
pub enum JobError {
    #[error("analysis job: reading or writing the library: {0}")]
    Db(#[from] rusqlite::Error),
}

/// Lowers the calling thread to the idle scheduling class (Linux), else to the lowest nice value, so
/// the job only uses CPU time nobody else wants.
pub(super) fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: plain system calls on the calling thread with a valid parameter struct.
    unsafe {
        let param = libc::sched_param { sched_priority: 0 };
        if libc::sched_setscheduler(0, libc::SCHED_IDLE, &param) != 0 {
            libc::setpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t, 19);
        }
    }
}

/// Analyses tracks in this process (with its CNN session, if any) or in a worker process.
enum Analyser {
    InProcess(Option<AudioCnn>),
    Isolated(Worker),
}

impl Analyser {
    fn analyse(&mut self, path: &str, max_patches: Option<usize>) -> Result<TrackAnalysis, String> {
        match self {
            Analyser::Isolated(worker) => worker.analyse(path),
            Analyser::InProcess(cnn) => {
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    analyze_track_with(&to_path(path), cnn.as_mut(), max_patches)
                }))
                .map_err(|panic| {
                    format!("{path}: analysis panicked: {}", crate::panic_message(panic))
                })
                .and_then(|r| r.map_err(|e| e.to_string()))
            }
        }
    }
}

/// Runs the job over the library in `conn`, loading the CNN from `runtime` (without it, DSP features
/// only and `cnn_unavailable` says why). `on_progress` is called on this thread after each track.
pub fn run(
    conn: &Connection,
    runtime: &Path,
    options: &JobOptions,
    control: &JobControl,
    mut on_progress: impl FnMut(&JobProgress),
) -> Result<JobSummary, JobError> {
    let started = Instant::now();
    // One session per worker; loading the first also tells whether the CNN is usable at all.
    let first_cnn = AudioCnn::load_bundled(runtime);
    let cnn_unavailable = first_cnn.as_ref().err().map(|e| e.to_string());
    let version = store::current_version(cnn_unavailable.is_none());
    let (_, up_to_date) = store::coverage(conn, &version)?;
    let mut pending = store::pending(conn, &version)?;
    let remaining_after_limit = pending
        .len()
        .saturating_sub(options.limit.unwrap_or(usize::MAX));
    pending.truncate(options.limit.unwrap_or(usize::MAX));

    let next = AtomicUsize::new(0);
    let (send, receive) = mpsc::channel::<(usize, Result<TrackAnalysis, String>)>();
    let mut summary = JobSummary {
        version: version.clone(),
        analysed: 0,
        up_to_date: up_to_date as usize,
        failed: Vec::new(),
        remaining: 0,
        cancelled: false,
        cnn_unavailable,
        seconds: 0.0,
        audio_seconds: 0.0,
    };
    let threads = options.threads.max(1).min(pending.len().max(1));
    let mut first_cnn = first_cnn.ok();
    let mut done = 0;
    std::thread::scope(|scope| -> Result<(), JobError> {
        for worker in 0..threads {
            let send = send.clone();
            let (next, pending) = (&next, &pending);
            let uses_cnn = summary.cnn_unavailable.is_none();
            let mut analyser = match &options.worker {
                // The worker loads its own session.
                Some(command) => {
                    Analyser::Isolated(Worker::new(command.clone(), runtime, uses_cnn, options))
                }
                None => Analyser::InProcess(match worker {
                    0 => first_cnn.take(),
                    _ if uses_cnn => AudioCnn::load_bundled(runtime).ok(),
                    _ => None,
                }),
            };
            std::thread::Builder::new()
                .name(format!("analysis-{worker}"))
                .spawn_scoped(scope, move || {
                    if options.background {
                        lower_priority();
                    }
                    // A worker whose own session failed to load leaves the tracks to the others.
                    if uses_cnn && matches!(analyser, Analyser::InProcess(None)) {
                        return;
                    }
                    while control.proceed_in_background() {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some((_, path)) = pending.get(index) else {
                            break;
                        };
                        let result = analyser.analyse(path, options.max_patches);
                        if send.send((index, result)).is_err() {
                            break;
                        }
                    }
                })
                .expect("spawning an analysis thread");
        }
        drop(send);
        for (index, result) in receive {
            let (track_id, path) = &pending[index];
            match result {
                Ok(analysis) => {
                    summary.audio_seconds += analysis.seconds;
                    crate::db::retry_busy(WRITE_PATIENCE, || {
                        store::save(conn, *track_id, &version, &analysis)?;
                        // The decoder's own count is the track's true length.
                        let decoded_ms = (analysis.seconds * 1000.0).round() as u64;
                        if decoded_ms > 0 {
                            crate::library::store::correct_duration(conn, *track_id, decoded_ms)?;
                        }
                        Ok(())
                    })?;
                    summary.analysed += 1;
                }
                Err(reason) => {
                    log::warn!("analysis: {reason}");
                    crate::db::retry_busy(WRITE_PATIENCE, || {
                        store::save_error(conn, *track_id, &version, &reason)
                    })?;
                    summary.failed.push(FailedTrack {
                        track_id: *track_id,
                        path: path.clone(),
                        reason,
                    });
                }
            }
            done += 1;
            on_progress(&JobProgress {
                progress: Progress::new(done as u64, pending.len() as u64, Some(path.clone())),
                failed: summary.failed.len(),
                state: control.state(),
            });
        }
        Ok(())
    })?;
    summary.cancelled = control.is_cancelled();
    summary.remaining = pending.len() - done + remaining_after_limit;
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}
