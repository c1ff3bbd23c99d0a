//! The app's one job runner: a thread (`sonare-jobs`) that runs the core's jobs one after another
//! (`Sonare::run`: a scan, the demo, an import, or the catch-up at start, each followed by the
//! analysis and the refresh of Discover's inputs). Every event goes to the window as a `job` event;
//! the command that asked for a job hears back when the job's own stage ends (its report), not when
//! the analysis that follows it does.
//!
//! A request that arrives while a job runs waits for it, and asks its background stage (the
//! analysis) to make way: the analysis stops after its current tracks and the next job analyses
//! whatever is still waiting, so a scan or an import never waits hours behind the analysis.

use std::collections::VecDeque;
use std::sync::{mpsc, Arc, Condvar, Mutex, MutexGuard};

use sonare::app::{Events, Job, JobEvent, Sonare};
use sonare::jobs::JobControl;

use crate::error::CommandError;

/// What the command that asked for a job hears: the stage's report, or why the job failed.
pub type Reply = Result<JobEvent, CommandError>;

struct Request {
    job: Job,
    replies: Vec<mpsc::Sender<Reply>>,
}

#[derive(Default)]
struct Queue {
    waiting: VecDeque<Request>,
    running: Option<Arc<JobControl>>,
    closed: bool,
    /// Background work waits (the settings ask it to while music plays).
    held: bool,
}

pub struct JobRunner {
    queue: Mutex<Queue>,
    wake: Condvar,
    events: Events,
}

/// Pause, resume or cancel: what the window may do to the running job.
#[derive(Debug, Clone, Copy, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobAction {
    Pause,
    Resume,
    Cancel,
}

impl JobRunner {
    /// Starts the runner's thread over `sonare`; `events` hears every job's events.
    pub fn start(sonare: Arc<Sonare>, events: Events) -> std::io::Result<Arc<JobRunner>> {
        let runner = Arc::new(JobRunner {
            queue: Mutex::default(),
            wake: Condvar::new(),
            events,
        });
        let worker = runner.clone();
        std::thread::Builder::new()
            .name("sonare-jobs".into())
            .spawn(move || worker.work(&sonare))?;
        Ok(runner)
    }

    fn lock(&self) -> MutexGuard<'_, Queue> {
        self.queue.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Queues `job`; the receiver hears when its own stage ends. The same job already waiting is
    /// not queued twice (both askers hear the one result).
    pub fn submit(&self, job: Job) -> mpsc::Receiver<Reply> {
        let (reply, receiver) = mpsc::channel();
        let mut queue = self.lock();
        if let Some(running) = &queue.running {
            running.make_way();
        }
        let same = |waiting: &Request| {
            matches!(
                (&waiting.job, &job),
                (Job::Scan, Job::Scan) | (Job::Demo, Job::Demo) | (Job::CatchUp, Job::CatchUp)
            )
        };
        match queue.waiting.iter_mut().find(|w| same(w)) {
            Some(waiting) => waiting.replies.push(reply),
            None => queue.waiting.push_back(Request {
                job,
                replies: vec![reply],
            }),
        }
        self.wake.notify_all();
        receiver
    }

    /// Applies `action` to the running job (nothing runs: nothing to do).
    pub fn control(&self, action: JobAction) {
        let Some(control) = self.lock().running.clone() else {
            return;
        };
        match action {
            JobAction::Pause => control.pause(),
            JobAction::Resume => control.resume(),
            JobAction::Cancel => control.cancel(),
        }
        (self.events)(JobEvent::State {
            state: control.state(),
        });
    }

    /// Holds the background stage of the running job and of every later one, or lets it go on.
    pub fn hold_background(&self, held: bool) {
        let mut queue = self.lock();
        queue.held = held;
        if let Some(control) = &queue.running {
            control.hold(held);
        }
    }

    /// Stops the running job (what it finished is stored) and drops the waiting ones, at quit.
    pub fn shutdown(&self) {
        let mut queue = self.lock();
        queue.closed = true;
        queue.waiting.clear();
        if let Some(control) = &queue.running {
            control.cancel();
        }
        self.wake.notify_all();
    }

    fn next(&self) -> Option<(Request, Arc<JobControl>)> {
        let mut queue = self.lock();
        loop {
            if queue.closed {
                return None;
            }
            if let Some(request) = queue.waiting.pop_front() {
                let control = Arc::new(JobControl::default());
                control.hold(queue.held);
                queue.running = Some(control.clone());
                return Some((request, control));
            }
            queue = self.wake.wait(queue).unwrap_or_else(|e| e.into_inner());
        }
    }

    fn work(&self, sonare: &Sonare) {
        while let Some((request, control)) = self.next() {
            let replies = Arc::new(Mutex::new(request.replies));
            let answer = replies.clone();
            let forward = self.events.clone();
            let events: Events = Arc::new(move |event: JobEvent| {
                if matches!(event, JobEvent::Scanned(_) | JobEvent::Imported(_)) {
                    let waiting =
                        std::mem::take(&mut *answer.lock().unwrap_or_else(|e| e.into_inner()));
                    for reply in waiting {
                        let _ = reply.send(Ok(event.clone()));
                    }
                }
                forward(event);
            });
            let result = sonare.run(&request.job, &control, &events);
            let waiting = std::mem::take(&mut *replies.lock().unwrap_or_else(|e| e.into_inner()));
            for reply in waiting {
                let _ = reply.send(match &result {
                    Err(e) => Err(CommandError::new(e.kind(), e)),
                    // A catch-up has no report of its own: it answers when done.
                    Ok(()) => Ok(JobEvent::Prepared),
                });
            }
            if let Err(e) = result {
                log::error!("job {:?}: {e}", request.job);
            }
            self.lock().running = None;
        }
    }
}

/// Waits (off the UI thread) for the report a submitted job answers with.
pub async fn report_of(receiver: mpsc::Receiver<Reply>) -> Result<JobEvent, CommandError> {
    crate::error::off_ui_thread(move || {
        receiver
            .recv()
            .map_err(|_| CommandError::new("internal", "the job runner stopped"))?
    })
    .await
}
