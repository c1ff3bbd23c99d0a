//! symphonia's probe of a file lofty could not read, in a worker process (`--probe-worker FILE`).
//! lofty bounds its own allocations (16 MiB by default); symphonia's demuxers allocate what a header
//! claims, and `audio::bounds` checks only the MP4 and CAF tables. So the scan asks the probe in a
//! process of its own binary, under the sandbox's memory limit: a file that makes it abort, crash or
//! hang is stored as unreadable with why ("the reader crashed on this file: the decoder aborted on
//! this file"), and the scan (and the app) go on.

use std::ffi::OsString;
use std::io::Read;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::meta::TrackMeta;
use super::read::{read_with_symphonia, ReadTrack};
use super::{isolate, ScanError};
use crate::sandbox::{death, limit_memory, StderrTail, WorkerCommand};

/// How long one probe may take: reading headers, not decoding.
const PROBE_LIMIT: Duration = Duration::from_secs(30);
/// The largest answer read back (tags and one cover).
const MAX_ANSWER: u64 = 64 << 20;
const WHO: &str = "the probe process";

/// What the probe read: the track's metadata and its embedded cover, if any.
type Probed = (TrackMeta, Option<Vec<u8>>);

/// The worker's answer: the track, or the error without its path (and whether it is "not audio").
#[derive(Serialize, Deserialize)]
struct Answer {
    result: Result<Probed, (bool, String)>,
}

/// The worker's side: `args` is the file to probe. Returns the process's exit code.
pub fn main_from_args(args: impl IntoIterator<Item = OsString>) -> i32 {
    let mut args = args.into_iter();
    let (Some(path), None) = (args.next(), args.next()) else {
        eprintln!("probe worker: expected one file");
        return 2;
    };
    limit_memory();
    let path = Path::new(&path);
    let result = isolate(path, || read_with_symphonia(path))
        .map(|read| (read.meta, read.embedded_cover))
        .map_err(|e| (matches!(e, ScanError::NotAudio { .. }), e.reason()));
    match serde_json::to_writer(std::io::stdout().lock(), &Answer { result }) {
        Ok(()) => 0,
        Err(_) => 1,
    }
}

/// Probes `path` in a worker started by `command`.
pub(super) fn probe(path: &Path, command: &WorkerCommand) -> Result<ReadTrack, ScanError> {
    let unreadable = |reason: String| ScanError::Unreadable {
        path: path.to_owned(),
        reason,
    };
    let mut child = command
        .spawn([path], Stdio::null())
        .map_err(|e| unreadable(format!("cannot start {WHO}: {e}")))?;
    let stdout = child.stdout.take().expect("piped");
    let stderr = StderrTail::collect(child.stderr.take().expect("piped"));
    let reader = std::thread::spawn(move || {
        let mut answer = Vec::new();
        let _ = stdout.take(MAX_ANSWER).read_to_end(&mut answer);
        answer
    });
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if started.elapsed() > PROBE_LIMIT => {
                let _ = child.kill();
                let _ = child.wait();
                let seconds = PROBE_LIMIT.as_secs();
                return Err(ScanError::Panicked {
                    path: path.to_owned(),
                    message: format!("probing timed out after {seconds} s"),
                });
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(2)),
            Err(_) => break None,
        }
    };
    let answer = reader.join().unwrap_or_default();
    let last_words = stderr.finish();
    let parsed = serde_json::from_slice::<Answer>(&answer);
    match parsed {
        Ok(Answer {
            result: Ok((meta, embedded_cover)),
        }) if status.is_some_and(|s| s.success()) => Ok(ReadTrack {
            meta,
            embedded_cover,
        }),
        Ok(Answer {
            result: Err((true, _)),
        }) => Err(ScanError::NotAudio {
            path: path.to_owned(),
        }),
        Ok(Answer {
            result: Err((false, reason)),
        }) => Err(unreadable(
            reason.trim_start_matches("unreadable: ").to_owned(),
        )),
        // A death is the reader crashing, whatever lofty said about the file.
        _ => Err(ScanError::Panicked {
            path: path.to_owned(),
            message: death(WHO, status, &last_words),
        }),
    }
}
