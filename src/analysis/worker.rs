//! Analysis in a worker process, so that a file no decoder survives kills only the worker.
//!
//! Decoders can abort the process on hostile input (an allocation failure is not a panic), and a
//! library holds whatever its listener downloaded. The job therefore sends each track's path to a
//! worker (`sonare analysis-worker …`, or the app's own binary with `--analysis-worker`), which
//! analyses it under a memory limit and answers with one JSON line. A worker that dies or takes too
//! long is replaced, and its track is stored as failed with why ("the decoder aborted", "ran out of
//! memory", "timed out after N s"): the next run does not try it again.
//!
//! Protocol: the worker reads one stored path (a JSON string, see `library::path_text`) per line on stdin and writes one [`Answer`] per line on
//! stdout, in order; it exits at the end of its input.

use std::ffi::OsString;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::cnn::AudioCnn;
use super::track::{analyze_track_with, TrackAnalysis};

use crate::sandbox::{death, limit_memory, StderrTail};
pub use crate::sandbox::{WorkerCommand, ANALYSIS_WORKER_FLAG as WORKER_FLAG};

/// One track's outcome, as the worker writes it.
#[derive(Debug, Serialize, Deserialize)]
pub struct Answer {
    pub result: Result<TrackAnalysis, String>,
}

/// The worker's side: `args` are what follows [`WORKER_FLAG`] (`--runtime PATH`, `--cnn`,
/// `--max-patches N`). Returns the process's exit code.
pub fn main_from_args(args: impl IntoIterator<Item = OsString>) -> i32 {
    let mut args = args.into_iter();
    let (mut runtime, mut use_cnn, mut background, mut max_patches) =
        (PathBuf::new(), false, false, None);
    while let Some(arg) = args.next() {
        match arg.to_str() {
            Some("--runtime") => runtime = args.next().map(PathBuf::from).unwrap_or_default(),
            Some("--cnn") => use_cnn = true,
            Some("--background") => background = true,
            Some("--max-patches") => {
                max_patches = args.next().and_then(|n| n.to_str()?.parse().ok());
            }
            _ => {
                eprintln!("analysis worker: unknown argument {arg:?}");
                return 2;
            }
        }
    }
    match serve(&runtime, use_cnn, background, max_patches) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("analysis worker: {e}");
            1
        }
    }
}

/// Analyses each path read from stdin, answering on stdout.
fn serve(
    runtime: &Path,
    use_cnn: bool,
    background: bool,
    max_patches: Option<usize>,
) -> std::io::Result<()> {
    limit_memory();
    if background {
        super::job::lower_priority();
    }
    // The job chose a version with the CNN: results without it would be stored under that version.
    let (mut cnn, cnn_error) = match use_cnn.then(|| AudioCnn::load_bundled(runtime)) {
        Some(Ok(cnn)) => (Some(cnn), None),
        Some(Err(e)) => (
            None,
            Some(format!("the audio CNN could not be loaded: {e}")),
        ),
        None => (None, None),
    };
    let stdout = std::io::stdout();
    for line in std::io::stdin().lock().lines() {
        // One JSON string per line: a stored path may hold any character, a newline too.
        let line = line?;
        let text: String = serde_json::from_str(&line).map_err(std::io::Error::other)?;
        let path = crate::library::path_text::to_path(&text);
        let result = match &cnn_error {
            Some(why) => Err(format!("{}: {why}", path.display())),
            None => analyse_caught(&path, cnn.as_mut(), max_patches),
        };
        let mut out = stdout.lock();
        serde_json::to_writer(&mut out, &Answer { result })?;
        out.write_all(b"\n")?;
        out.flush()?;
    }
    Ok(())
}

fn analyse_caught(
    path: &Path,
    cnn: Option<&mut AudioCnn>,
    max_patches: Option<usize>,
) -> Result<TrackAnalysis, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        analyze_track_with(path, cnn, max_patches)
    }))
    .map_err(|panic| {
        let why = crate::panic_message(panic);
        format!("{}: analysis panicked: {why}", path.display())
    })
    .and_then(|r| r.map_err(|e| e.to_string()))
}

/// A running worker, from the job's side.
struct Running {
    child: Child,
    stdin: ChildStdin,
    answers: Receiver<String>,
    stderr: StderrTail,
}

/// The job's handle on one worker process, started on first use and again after each death.
pub(super) struct Worker {
    command: WorkerCommand,
    own_args: Vec<OsString>,
    timeout: Duration,
    running: Option<Running>,
}

impl Worker {
    pub(super) fn new(
        command: WorkerCommand,
        runtime: &Path,
        use_cnn: bool,
        options: &super::job::JobOptions,
    ) -> Self {
        let mut own_args: Vec<OsString> = vec!["--runtime".into(), runtime.into()];
        if use_cnn {
            own_args.push("--cnn".into());
        }
        if options.background {
            own_args.push("--background".into());
        }
        if let Some(n) = options.max_patches {
            own_args.extend(["--max-patches".into(), n.to_string().into()]);
        }
        Worker {
            command,
            own_args,
            timeout: options.track_timeout,
            running: None,
        }
    }

    fn start(&self) -> std::io::Result<Running> {
        let mut child = self.command.spawn(&self.own_args, Stdio::piped())?;
        let (stdin, stdout, stderr_pipe) = (
            child.stdin.take().expect("piped"),
            child.stdout.take().expect("piped"),
            child.stderr.take().expect("piped"),
        );
        let (send, answers) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        let stderr = StderrTail::collect(stderr_pipe);
        Ok(Running {
            child,
            stdin,
            answers,
            stderr,
        })
    }

    /// Analyses `path` in the worker; a dead or stuck worker is the track's error, and is replaced
    /// for the next one.
    pub(super) fn analyse(&mut self, path: &str) -> Result<TrackAnalysis, String> {
        if self.running.is_none() {
            let started = self
                .start()
                .map_err(|e| format!("{path}: cannot start the analysis worker: {e}"))?;
            self.running = Some(started);
        }
        let running = self.running.as_mut().expect("just started");
        let line = serde_json::to_string(path).expect("a string serialises");
        let sent = writeln!(running.stdin, "{line}").and_then(|()| running.stdin.flush());
        let answer = match sent {
            Ok(()) => running.answers.recv_timeout(self.timeout),
            Err(_) => Err(RecvTimeoutError::Disconnected),
        };
        match answer {
            Ok(line) => match serde_json::from_str::<Answer>(&line) {
                Ok(answer) => answer.result,
                Err(e) => Err(format!(
                    "{path}: the analysis worker answered nonsense: {e}"
                )),
            },
            Err(RecvTimeoutError::Timeout) => {
                let mut dead = self.running.take().expect("running");
                let _ = dead.child.kill();
                let _ = dead.child.wait();
                let seconds = self.timeout.as_secs();
                Err(format!("{path}: the analysis timed out after {seconds} s"))
            }
            Err(RecvTimeoutError::Disconnected) => {
                let mut dead = self.running.take().expect("running");
                let status = dead.child.wait();
                let last_words = dead.stderr.finish();
                let why = death("the analysis worker", status.ok(), &last_words);
                Err(format!("{path}: {why}"))
            }
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        if let Some(mut running) = self.running.take() {
            // Closing its input ends the worker; a stuck one is killed.
            drop(running.stdin);
            if !matches!(running.child.try_wait(), Ok(Some(_))) {
                std::thread::sleep(Duration::from_millis(20));
                if !matches!(running.child.try_wait(), Ok(Some(_))) {
                    let _ = running.child.kill();
                }
            }
            let _ = running.child.wait();
        }
    }
}
