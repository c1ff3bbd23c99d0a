//! The background analysis job in the app: one at a time, started by the UI (at launch and after each
//! scan), progress streamed to the UI's latest channel, pausable and cancellable. A start request
//! while a job runs is remembered, so tracks added meanwhile are analysed by a follow-up run.

use std::sync::{Arc, Mutex};

use serde::Serialize;
use sonare::analysis::job::{self, JobControl, JobOptions, JobProgress, JobState, JobSummary};
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, Runtime};

use crate::state::AppState;

/// Messages on the analysis progress channel.
#[derive(Clone, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum AnalysisEvent {
    /// A track was analysed (or failed).
    Progress(JobProgress),
    /// Paused, resumed or cancelled.
    State { state: JobState },
    /// A run ended; another may follow if tracks were added meanwhile.
    Finished(JobSummary),
    /// The job could not run at all (e.g. the database could not be opened).
    Failed { message: String },
}

#[derive(Default)]
struct Inner {
    control: Option<Arc<JobControl>>,
    channel: Option<Channel<AnalysisEvent>>,
    again: bool,
}

#[derive(Default)]
pub struct AnalysisService {
    inner: Mutex<Inner>,
}

impl AnalysisService {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn send(&self, event: AnalysisEvent) {
        if let Some(channel) = self.lock().channel.clone() {
            let _ = channel.send(event);
        }
    }

    /// Starts the job unless one is running (then it runs again when done); `channel` receives the
    /// progress from now on. Returns whether a new job was started.
    pub fn start<R: Runtime>(&self, app: &AppHandle<R>, channel: Channel<AnalysisEvent>) -> bool {
        let mut inner = self.lock();
        inner.channel = Some(channel);
        if inner.control.is_some() {
            inner.again = true;
            return false;
        }
        inner.control = Some(Arc::new(JobControl::default()));
        drop(inner);
        let app = app.clone();
        std::thread::Builder::new()
            .name("sonare-analysis".into())
            .spawn(move || run_until_done(&app))
            .expect("spawning the analysis thread");
        true
    }

    fn control(&self) -> Option<Arc<JobControl>> {
        self.lock().control.clone()
    }

    pub fn pause(&self) {
        if let Some(control) = self.control() {
            control.pause();
            self.send(AnalysisEvent::State {
                state: control.state(),
            });
        }
    }

    pub fn resume(&self) {
        if let Some(control) = self.control() {
            control.resume();
            self.send(AnalysisEvent::State {
                state: control.state(),
            });
        }
    }

    pub fn cancel(&self) {
        if let Some(control) = self.control() {
            self.lock().again = false;
            control.cancel();
            self.send(AnalysisEvent::State {
                state: control.state(),
            });
        }
    }

    /// Stops the job at quit (each finished track is already stored).
    pub fn shutdown(&self) {
        self.cancel();
    }
}

fn run_until_done<R: Runtime>(app: &AppHandle<R>) {
    let state = app.state::<AppState>();
    let service = app.state::<AnalysisService>();
    let runtime = sonare::analysis::cnn::runtime_path(&state.data);
    loop {
        let Some(control) = service.control() else {
            return;
        };
        let result = state.writer().map_err(|e| e.message).and_then(|conn| {
            job::run(&conn, &runtime, &JobOptions::default(), &control, |p| {
                service.send(AnalysisEvent::Progress(p.clone()))
            })
            .map_err(|e| e.to_string())
        });
        match result {
            Ok(summary) => {
                if let Some(why) = &summary.cnn_unavailable {
                    log::warn!("analysis without the audio CNN: {why}");
                }
                service.send(AnalysisEvent::Finished(summary));
            }
            Err(message) => {
                log::error!("analysis job: {message}");
                service.send(AnalysisEvent::Failed { message });
            }
        }
        let mut inner = service.lock();
        if inner.again && control.state() != JobState::Cancelled {
            inner.again = false;
            inner.control = Some(Arc::new(JobControl::default()));
        } else {
            inner.control = None;
            inner.again = false;
            let cancelled = control.state() == JobState::Cancelled;
            drop(inner);
            // The analysis changed what Discover Daily is made from: read it again now rather than
            // when the listener next asks for a list (not at quit, which cancels the job).
            if !cancelled {
                crate::commands::discover::prepare_in_background(&state);
            }
            return;
        }
    }
}
