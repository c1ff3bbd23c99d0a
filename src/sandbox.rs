//! Child processes for work on untrusted files. Decoders can abort the process on hostile input (an
//! allocation failure is not a panic), so the analysis and the player decode in workers: a worker's
//! death fails one file, never the app. This module holds what both kinds share: how a worker is
//! started, the memory limit it puts on itself, what its death is called, and the dispatch that turns
//! the app or CLI binary into a worker.

use std::ffi::{OsStr, OsString};
use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

/// The first argument that makes a Sonare binary an analysis worker.
pub const ANALYSIS_WORKER_FLAG: &str = "--analysis-worker";
/// The first argument that makes a Sonare binary a playback decoder (`--decode-worker FILE`).
pub const DECODE_WORKER_FLAG: &str = "--decode-worker";
/// The first argument that makes a Sonare binary the scan's prober (`--probe-worker FILE`).
pub const PROBE_WORKER_FLAG: &str = "--probe-worker";

/// Heap a worker may allocate (decoding streams; the CNN needs a few hundred MB). A header that asks
/// for more fails the allocation in the worker instead of swapping the machine.
const MEMORY_LIMIT: u64 = 4 << 30;
/// What is kept of a dead worker's last words.
const STDERR_TAIL: usize = 4096;

/// How to start a worker: the program and the arguments before the worker's own.
#[derive(Debug, Clone)]
pub struct WorkerCommand {
    pub program: PathBuf,
    pub args: Vec<OsString>,
}

impl WorkerCommand {
    /// This very program as an analysis worker (the app and the CLI both answer to the flag).
    pub fn current_exe() -> std::io::Result<Self> {
        Self::current_exe_as(ANALYSIS_WORKER_FLAG)
    }

    /// This very program as a playback decoder.
    pub fn current_exe_decoder() -> std::io::Result<Self> {
        Self::current_exe_as(DECODE_WORKER_FLAG)
    }

    /// This very program as the scan's prober.
    pub fn current_exe_prober() -> std::io::Result<Self> {
        Self::current_exe_as(PROBE_WORKER_FLAG)
    }

    /// Starts the worker with its own `args` after the command's, stdout and stderr piped.
    pub(crate) fn spawn<A: AsRef<OsStr>>(
        &self,
        args: impl IntoIterator<Item = A>,
        stdin: Stdio,
    ) -> std::io::Result<Child> {
        Command::new(&self.program)
            .args(&self.args)
            .args(args)
            .stdin(stdin)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
    }

    fn current_exe_as(flag: &str) -> std::io::Result<Self> {
        Ok(WorkerCommand {
            program: std::env::current_exe()?,
            args: vec![flag.into()],
        })
    }
}

/// Runs the worker this process was started as, if its first argument asks for one: the exit code
/// to leave with. The app's and the CLI's `main` call this first.
pub fn run_if_worker() -> Option<i32> {
    let mut args = std::env::args_os().skip(1);
    let flag = args.next()?;
    if flag == OsStr::new(ANALYSIS_WORKER_FLAG) {
        Some(crate::analysis::worker::main_from_args(args))
    } else if flag == OsStr::new(DECODE_WORKER_FLAG) {
        Some(crate::audio::isolated::main_from_args(args))
    } else if flag == OsStr::new(PROBE_WORKER_FLAG) {
        Some(crate::library::probe_worker::main_from_args(args))
    } else {
        None
    }
}

/// Caps this process's heap at [`MEMORY_LIMIT`]; called by a worker before it touches a file.
pub(crate) fn limit_memory() {
    #[cfg(target_os = "linux")]
    // SAFETY: setrlimit on this process with a valid struct; failure leaves the limit as it was.
    unsafe {
        let limit = libc::rlimit {
            rlim_cur: MEMORY_LIMIT,
            rlim_max: MEMORY_LIMIT,
        };
        libc::setrlimit(libc::RLIMIT_DATA, &limit);
    }
}

/// The last [`STDERR_TAIL`] bytes a worker wrote to stderr, collected by a thread of its own.
pub(crate) struct StderrTail {
    text: Arc<Mutex<String>>,
    reader: Option<JoinHandle<()>>,
}

impl StderrTail {
    pub(crate) fn collect(pipe: impl Read + Send + 'static) -> Self {
        let text = Arc::new(Mutex::new(String::new()));
        let tail = text.clone();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines() {
                let Ok(line) = line else { break };
                let mut tail = tail.lock().unwrap_or_else(|e| e.into_inner());
                tail.push_str(&line);
                tail.push('\n');
                if tail.len() > STDERR_TAIL {
                    let cut = tail.len() - STDERR_TAIL;
                    let cut = (cut..tail.len())
                        .find(|&i| tail.is_char_boundary(i))
                        .unwrap_or(0);
                    tail.drain(..cut);
                }
            }
        });
        StderrTail {
            text,
            reader: Some(reader),
        }
    }

    /// Everything collected, once the worker has closed its stderr (it has exited).
    pub(crate) fn finish(mut self) -> String {
        if let Some(reader) = self.reader.take() {
            let _ = reader.join();
        }
        self.text.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// Why a worker (`who`: "the analysis worker", "the decoder process") died, in the listener's words.
pub(crate) fn death(who: &str, status: Option<ExitStatus>, last_words: &str) -> String {
    if last_words.contains("memory allocation of") {
        return "the decoder ran out of memory on this file (its headers ask for more than any \
                real file needs)"
            .into();
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        match status.and_then(|s| s.signal()) {
            Some(libc::SIGABRT) => return "the decoder aborted on this file".into(),
            Some(libc::SIGSEGV) | Some(libc::SIGBUS) => {
                return "the decoder crashed on this file".into()
            }
            Some(libc::SIGKILL) => return format!("{who} was killed (out of memory?)"),
            Some(signal) => return format!("{who} died of signal {signal}"),
            None => {}
        }
    }
    let code = status.and_then(|s| s.code()).unwrap_or(-1);
    format!("{who} stopped (exit status {code})")
}
