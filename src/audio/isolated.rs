//! The player's decoder in a process of its own (`sonare --decode-worker FILE`), so that a file the
//! decoder cannot survive (an abort on a huge allocation, a crash, a hang) fails that track only: the
//! player reports it and goes on with the next one.
//!
//! One process per open track. The worker opens the file under the sandbox's memory limit, sends a
//! header, then decodes ahead as fast as the pipe takes it; seeks go the other way as text lines
//! (`seek GENERATION NANOS`), and what was decoded before a seek is dropped by its generation.
//! Frames on stdout: one tag byte, a little-endian `u32` length, the payload (`f32` samples for a
//! chunk, JSON otherwise). Samples cross as bytes, so the player hears exactly what the in-process
//! decoder gives (gapless joins stay sample-exact).

use std::ffi::OsString;
use std::io::{BufRead, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::{DecodeError, TrackDecoder};
use crate::sandbox::{death, limit_memory, StderrTail, WorkerCommand};

/// How long opening a file may take (probing a large file over a slow disk included).
const OPEN_LIMIT: Duration = Duration::from_secs(20);
/// How long the next chunk may be late. The worker decodes ahead, so a chunk is normally waiting;
/// this stays under the player's stalled-output limit (3 s), so a hang is this track's error and
/// not taken for a lost device.
const CHUNK_LIMIT: Duration = Duration::from_secs(2);
/// How long a seek may take.
const SEEK_LIMIT: Duration = Duration::from_secs(10);
/// Chunks read ahead of the player, besides what the pipe holds (~0.5–3 s of audio).
const READ_AHEAD: usize = 32;
/// The largest frame a worker may send (a chunk is a packet: tens of kB).
const MAX_FRAME: u32 = 64 << 20;

const WHO: &str = "the decoder process";

/// What the worker reports about the opened stream.
#[derive(Debug, Serialize, Deserialize)]
struct Header {
    sample_rate: u32,
    channels: u16,
    duration_ns: Option<u64>,
}

/// A [`DecodeError`] as it crosses the pipe: its kind and what follows the path.
#[derive(Debug, Serialize, Deserialize)]
struct WireError {
    kind: String,
    reason: String,
}

impl WireError {
    fn from_error(error: &DecodeError) -> Self {
        let (kind, reason) = match error {
            DecodeError::Io { source, .. } => ("io", source.to_string()),
            DecodeError::Unsupported { reason, .. } => ("unsupported", reason.clone()),
            DecodeError::Broken { reason, .. } => ("broken", reason.clone()),
            DecodeError::Panicked { message, .. } => ("panicked", message.clone()),
            DecodeError::Died { reason, .. } => ("died", reason.clone()),
        };
        WireError {
            kind: kind.into(),
            reason,
        }
    }

    fn into_error(self, path: &Path) -> DecodeError {
        let path = path.to_owned();
        let reason = self.reason;
        match self.kind.as_str() {
            "io" => DecodeError::Io {
                path,
                source: std::io::Error::other(reason),
            },
            "unsupported" => DecodeError::Unsupported { path, reason },
            "broken" => DecodeError::Broken { path, reason },
            "panicked" => DecodeError::Panicked {
                path,
                message: reason,
            },
            _ => DecodeError::Died { path, reason },
        }
    }
}

/// The answer to one seek.
#[derive(Debug, Serialize, Deserialize)]
struct Seeked {
    generation: u64,
    result: Result<u64, WireError>,
}

/// What arrives from the worker, in order.
enum Frame {
    Header(Header),
    Chunk(Vec<f32>),
    End,
    Failed(WireError),
    Seeked(Seeked),
    /// The worker is gone: why, in the listener's words.
    Gone(String),
}

const TAG_HEADER: u8 = b'H';
const TAG_CHUNK: u8 = b'C';
const TAG_END: u8 = b'E';
const TAG_FAILED: u8 = b'F';
const TAG_SEEKED: u8 = b'S';

/// A track decoded in a worker process; the same calls as [`TrackDecoder`].
pub struct IsolatedDecoder {
    path: PathBuf,
    sample_rate: u32,
    channels: u16,
    duration: Option<Duration>,
    stdin: ChildStdin,
    frames: Receiver<Frame>,
    child: Arc<Mutex<Child>>,
    generation: u64,
    finished: bool,
}

impl IsolatedDecoder {
    /// Starts `command` on `path` and waits for the stream's header (or the worker's error).
    pub fn open(path: &Path, command: &WorkerCommand) -> Result<Self, DecodeError> {
        let died = |reason: String| DecodeError::Died {
            path: path.to_owned(),
            reason,
        };
        let mut child = command
            .spawn([path], Stdio::piped())
            .map_err(|e| died(format!("cannot start the decoder process: {e}")))?;
        let (stdin, stdout, stderr) = (
            child.stdin.take().expect("piped"),
            child.stdout.take().expect("piped"),
            child.stderr.take().expect("piped"),
        );
        let child = Arc::new(Mutex::new(child));
        let (send, frames) = mpsc::sync_channel(READ_AHEAD);
        let stderr = StderrTail::collect(stderr);
        let reaped = child.clone();
        std::thread::Builder::new()
            .name("sonare-decoder-pipe".into())
            .spawn(move || read_frames(stdout, send, reaped, stderr))
            .map_err(|e| died(format!("cannot start the decoder's reader: {e}")))?;
        let mut decoder = IsolatedDecoder {
            path: path.to_owned(),
            sample_rate: 0,
            channels: 0,
            duration: None,
            stdin,
            frames,
            child,
            generation: 0,
            finished: false,
        };
        match decoder.frames.recv_timeout(OPEN_LIMIT) {
            Ok(Frame::Header(header)) => {
                decoder.sample_rate = header.sample_rate;
                decoder.channels = header.channels;
                decoder.duration = header.duration_ns.map(Duration::from_nanos);
                Ok(decoder)
            }
            Ok(Frame::Failed(error)) => Err(error.into_error(path)),
            Ok(Frame::Gone(why)) => Err(died(why)),
            Ok(_) => Err(died(format!("{WHO} answered out of turn"))),
            Err(RecvTimeoutError::Timeout) => Err(died(format!(
                "opening the file timed out after {} s",
                OPEN_LIMIT.as_secs()
            ))),
            Err(RecvTimeoutError::Disconnected) => Err(died(format!("{WHO} ended"))),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn sample_rate(&self) -> u32 {
        self.sample_rate
    }

    pub fn channels(&self) -> u16 {
        self.channels
    }

    pub fn duration(&self) -> Option<Duration> {
        self.duration
    }

    fn died(&self, reason: String) -> DecodeError {
        DecodeError::Died {
            path: self.path.clone(),
            reason,
        }
    }

    /// Appends the next packet's samples to `out`. Returns `Ok(false)` at the end of the file.
    pub fn next_chunk(&mut self, out: &mut Vec<f32>) -> Result<bool, DecodeError> {
        if self.finished {
            return Ok(false);
        }
        loop {
            let frame = match self.frames.recv_timeout(CHUNK_LIMIT) {
                Ok(frame) => frame,
                Err(RecvTimeoutError::Timeout) => {
                    self.finished = true;
                    let seconds = CHUNK_LIMIT.as_secs();
                    return Err(self.died(format!("{WHO} stopped answering for {seconds} s")));
                }
                Err(RecvTimeoutError::Disconnected) => {
                    self.finished = true;
                    return Err(self.died(format!("{WHO} ended")));
                }
            };
            match frame {
                Frame::Chunk(samples) => {
                    out.extend_from_slice(&samples);
                    return Ok(true);
                }
                Frame::End => {
                    self.finished = true;
                    return Ok(false);
                }
                Frame::Failed(error) => {
                    self.finished = true;
                    return Err(error.into_error(&self.path));
                }
                Frame::Gone(why) => {
                    self.finished = true;
                    return Err(self.died(why));
                }
                // A late answer to an abandoned seek, or a second header: nothing to hand out.
                Frame::Seeked(_) | Frame::Header(_) => {}
            }
        }
    }

    /// Seeks to `to` exactly. Returns the position reached.
    pub fn seek(&mut self, to: Duration) -> Result<Duration, DecodeError> {
        self.generation += 1;
        let generation = self.generation;
        let sent = writeln!(self.stdin, "seek {generation} {}", to.as_nanos())
            .and_then(|()| self.stdin.flush());
        if let Err(e) = sent {
            return Err(self.died(format!("{WHO} is gone ({e})")));
        }
        let deadline = Instant::now() + SEEK_LIMIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.frames.recv_timeout(left) {
                Ok(Frame::Seeked(answer)) if answer.generation == generation => {
                    return match answer.result {
                        Ok(nanos) => {
                            self.finished = false;
                            Ok(Duration::from_nanos(nanos))
                        }
                        Err(error) => Err(error.into_error(&self.path)),
                    };
                }
                Ok(Frame::Gone(why)) => {
                    self.finished = true;
                    return Err(self.died(why));
                }
                // Audio decoded before the seek.
                Ok(_) => {}
                Err(RecvTimeoutError::Timeout) => {
                    let seconds = SEEK_LIMIT.as_secs();
                    return Err(self.died(format!("seeking timed out after {seconds} s")));
                }
                Err(RecvTimeoutError::Disconnected) => {
                    self.finished = true;
                    return Err(self.died(format!("{WHO} ended")));
                }
            }
        }
    }
}

impl Drop for IsolatedDecoder {
    fn drop(&mut self) {
        // The reader thread reaps it. This may run on the audio callback: no waiting here.
        let _ = self.child.lock().unwrap_or_else(|e| e.into_inner()).kill();
    }
}

/// The reader thread: frames off the worker's stdout into the channel, then the worker's death.
fn read_frames(
    stdout: impl Read,
    send: SyncSender<Frame>,
    child: Arc<Mutex<Child>>,
    stderr: StderrTail,
) {
    let mut stdout = std::io::BufReader::with_capacity(256 * 1024, stdout);
    let ended_cleanly = loop {
        match read_frame(&mut stdout) {
            Ok(Some(frame)) => {
                if send.send(frame).is_err() {
                    // The player let go of the track: stop the worker.
                    let _ = child.lock().unwrap_or_else(|e| e.into_inner()).kill();
                    break true;
                }
            }
            Ok(None) => break false,
            Err(why) => {
                let _ = child.lock().unwrap_or_else(|e| e.into_inner()).kill();
                let _ = send.send(Frame::Gone(format!("{WHO} answered nonsense: {why}")));
                break true;
            }
        }
    };
    let status = wait(&child);
    let last_words = stderr.finish();
    if !ended_cleanly {
        let _ = send.send(Frame::Gone(death(WHO, status, &last_words)));
    }
}

/// Waits for the worker to exit without holding its lock for long (the drop may want to kill it).
fn wait(child: &Mutex<Child>) -> Option<std::process::ExitStatus> {
    let started = Instant::now();
    loop {
        let mut child = child.lock().unwrap_or_else(|e| e.into_inner());
        match child.try_wait() {
            Ok(Some(status)) => return Some(status),
            Ok(None) if started.elapsed() > Duration::from_secs(2) => {
                let _ = child.kill();
                return child.wait().ok();
            }
            Ok(None) => {}
            Err(_) => return None,
        }
        drop(child);
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn read_frame(input: &mut impl Read) -> Result<Option<Frame>, String> {
    // The pipe's end, even in the middle of a frame, is the worker's death: its exit status says why.
    let mut head = [0u8; 5];
    match input.read_exact(&mut head) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e.to_string()),
    }
    let len = u32::from_le_bytes([head[1], head[2], head[3], head[4]]);
    if len > MAX_FRAME {
        return Err(format!("a frame of {len} bytes"));
    }
    let mut payload = vec![0u8; len as usize];
    match input.read_exact(&mut payload) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e.to_string()),
    }
    let json_err = |e: serde_json::Error| e.to_string();
    Ok(Some(match head[0] {
        TAG_HEADER => Frame::Header(serde_json::from_slice(&payload).map_err(json_err)?),
        TAG_CHUNK => Frame::Chunk(
            payload
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect(),
        ),
        TAG_END => Frame::End,
        TAG_FAILED => Frame::Failed(serde_json::from_slice(&payload).map_err(json_err)?),
        TAG_SEEKED => Frame::Seeked(serde_json::from_slice(&payload).map_err(json_err)?),
        other => return Err(format!("an unknown frame {other:#04x}")),
    }))
}

fn write_frame(out: &mut impl Write, tag: u8, payload: &[u8]) -> std::io::Result<()> {
    out.write_all(&[tag])?;
    out.write_all(&(payload.len() as u32).to_le_bytes())?;
    out.write_all(payload)
}

fn write_json(out: &mut impl Write, tag: u8, value: &impl Serialize) -> std::io::Result<()> {
    let json = serde_json::to_vec(value).map_err(std::io::Error::other)?;
    write_frame(out, tag, &json)?;
    out.flush()
}

/// The worker's side: `args` is the file to decode. Returns the process's exit code.
pub fn main_from_args(args: impl IntoIterator<Item = OsString>) -> i32 {
    let mut args = args.into_iter();
    let (Some(path), None) = (args.next(), args.next()) else {
        eprintln!("decode worker: expected one file");
        return 2;
    };
    limit_memory();
    // A closed pipe means the player let go of the track: nothing to report.
    let _ = serve(Path::new(&path));
    0
}

enum Request {
    Seek { generation: u64, to: Duration },
}

fn serve(path: &Path) -> std::io::Result<()> {
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(64 * 1024, stdout.lock());
    let mut decoder = match TrackDecoder::open(path) {
        Ok(decoder) => decoder,
        Err(e) => return write_json(&mut out, TAG_FAILED, &WireError::from_error(&e)),
    };
    let header = Header {
        sample_rate: decoder.sample_rate(),
        channels: decoder.channels(),
        duration_ns: decoder.duration().map(|d| d.as_nanos() as u64),
    };
    write_json(&mut out, TAG_HEADER, &header)?;
    // Requests come on stdin; its end (the player closed the track) ends the worker.
    let (send, requests) = mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            let Ok(line) = line else { break };
            let mut words = line.split_whitespace();
            let (Some("seek"), Some(generation), Some(nanos)) =
                (words.next(), words.next(), words.next())
            else {
                continue;
            };
            let (Ok(generation), Ok(nanos)) = (generation.parse(), nanos.parse::<u64>()) else {
                continue;
            };
            let to = Duration::from_nanos(nanos);
            if send.send(Request::Seek { generation, to }).is_err() {
                break;
            }
        }
    });
    let mut samples = Vec::with_capacity(16 * 1024);
    let mut bytes = Vec::with_capacity(64 * 1024);
    let mut ended = false;
    loop {
        let request = if ended {
            match requests.recv() {
                Ok(request) => Some(request),
                Err(_) => return Ok(()),
            }
        } else {
            match requests.try_recv() {
                Ok(request) => Some(request),
                Err(mpsc::TryRecvError::Empty) => None,
                Err(mpsc::TryRecvError::Disconnected) => return Ok(()),
            }
        };
        if let Some(Request::Seek { generation, to }) = request {
            let result = decoder
                .seek(to)
                .map(|d| d.as_nanos() as u64)
                .map_err(|e| WireError::from_error(&e));
            ended = result.is_err();
            write_json(&mut out, TAG_SEEKED, &Seeked { generation, result })?;
            continue;
        }
        samples.clear();
        match decoder.next_chunk(&mut samples) {
            Ok(true) => {
                bytes.clear();
                bytes.extend(samples.iter().flat_map(|s| s.to_le_bytes()));
                write_frame(&mut out, TAG_CHUNK, &bytes)?;
            }
            Ok(false) => {
                write_frame(&mut out, TAG_END, &[])?;
                out.flush()?;
                ended = true;
            }
            Err(e) => {
                write_json(&mut out, TAG_FAILED, &WireError::from_error(&e))?;
                ended = true;
            }
        }
    }
}
