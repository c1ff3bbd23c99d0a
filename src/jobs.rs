//! Long work (scan, analysis, import) is a job: it reports [`Progress`] (done of total, the item at
//! hand) and obeys one [`JobControl`] (pause, resume, cancel). Whoever started the job keeps the
//! control; the job checks it between items, so stopping never leaves an item half-written.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex};

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    Running,
    Paused,
    Cancelled,
}

/// How far a job has come. The unit is the job's own: files for a scan, tracks for the analysis,
/// bytes for an import.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Progress {
    pub done: u64,
    pub total: u64,
    /// The file or track at hand (just finished, or being read), if any.
    pub current: Option<String>,
}

impl Progress {
    pub fn new(done: u64, total: u64, current: Option<String>) -> Self {
        Progress {
            done,
            total,
            current,
        }
    }
}

/// Shared between a job and whoever pauses or cancels it.
pub struct JobControl {
    state: Mutex<JobState>,
    changed: Condvar,
    /// Set when other work waits for a background stage (the analysis) to make way: the stage stops
    /// after its current items as if cancelled, and runs again after that work.
    make_way: AtomicBool,
    /// Set while the listener's settings want background work to wait (for playback): only
    /// [`JobControl::proceed_in_background`] waits for it, a scan or an import never does.
    held: AtomicBool,
}

impl Default for JobControl {
    fn default() -> Self {
        Self {
            state: Mutex::new(JobState::Running),
            changed: Condvar::new(),
            make_way: AtomicBool::new(false),
            held: AtomicBool::new(false),
        }
    }
}

impl JobControl {
    fn set(&self, to: JobState) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        // A cancelled job stays cancelled.
        if *state != JobState::Cancelled {
            *state = to;
        }
        self.changed.notify_all();
    }

    pub fn pause(&self) {
        self.set(JobState::Paused);
    }

    pub fn resume(&self) {
        self.set(JobState::Running);
    }

    pub fn cancel(&self) {
        self.set(JobState::Cancelled);
    }

    pub fn state(&self) -> JobState {
        *self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn is_cancelled(&self) -> bool {
        self.state() == JobState::Cancelled
    }

    /// Asks a background stage to stop soon so that other work can run first (see
    /// [`JobControl::proceed_in_background`]). Wakes it if paused.
    pub fn make_way(&self) {
        self.make_way.store(true, Ordering::SeqCst);
        let _state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        self.changed.notify_all();
    }

    /// Holds background work between items (`true`) or lets it go on (`false`).
    pub fn hold(&self, held: bool) {
        self.held.store(held, Ordering::SeqCst);
        let _state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        self.changed.notify_all();
    }

    pub fn making_way(&self) -> bool {
        self.make_way.load(Ordering::SeqCst)
    }

    /// Blocks while paused; false once cancelled. Called by a job between items.
    pub fn proceed(&self) -> bool {
        self.wait_while_paused(false)
    }

    /// As [`JobControl::proceed`], and false as well once asked to make way: for work that can
    /// always be taken up again later (each finished item is stored).
    pub fn proceed_in_background(&self) -> bool {
        self.wait_while_paused(true)
    }

    fn wait_while_paused(&self, background: bool) -> bool {
        let stop = || background && self.making_way();
        let held = || background && self.held.load(Ordering::SeqCst);
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        while (*state == JobState::Paused || (held() && *state == JobState::Running)) && !stop() {
            state = self.changed.wait(state).unwrap_or_else(|e| e.into_inner());
        }
        *state != JobState::Cancelled && !stop()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::Duration;

    use super::*;

    #[test]
    fn pause_blocks_until_resumed_and_cancel_is_final() {
        let control = Arc::new(JobControl::default());
        assert!(control.proceed());
        control.pause();
        let waiter = {
            let control = control.clone();
            std::thread::spawn(move || control.proceed())
        };
        std::thread::sleep(Duration::from_millis(50));
        assert!(!waiter.is_finished(), "a paused job waits");
        control.resume();
        assert!(waiter.join().unwrap());
        control.cancel();
        control.resume();
        assert_eq!(control.state(), JobState::Cancelled);
        assert!(!control.proceed());
    }

    #[test]
    fn making_way_stops_only_background_work_and_wakes_a_paused_one() {
        let control = Arc::new(JobControl::default());
        control.pause();
        let waiter = {
            let control = control.clone();
            std::thread::spawn(move || control.proceed_in_background())
        };
        std::thread::sleep(Duration::from_millis(50));
        control.make_way();
        assert!(!waiter.join().unwrap());
        control.resume();
        assert!(control.proceed(), "foreground work goes on");
        assert!(!control.proceed_in_background());
    }

    #[test]
    fn a_hold_waits_background_work_only_until_released_or_cancelled() {
        let control = Arc::new(JobControl::default());
        control.hold(true);
        assert!(control.proceed(), "a scan or an import is never held");
        let waiter = |c: &Arc<JobControl>| {
            let control = c.clone();
            std::thread::spawn(move || control.proceed_in_background())
        };
        let held = waiter(&control);
        std::thread::sleep(Duration::from_millis(50));
        assert!(!held.is_finished(), "held background work waits");
        control.hold(false);
        assert!(held.join().unwrap());

        control.hold(true);
        let held = waiter(&control);
        std::thread::sleep(Duration::from_millis(50));
        control.cancel();
        assert!(!held.join().unwrap());
    }
}
