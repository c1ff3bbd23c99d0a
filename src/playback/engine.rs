//! The player thread and its protocol.
//!
//! Protocol (what follows what):
//! * Every command that changes what plays or how ([`Command::PlayQueue`], `PlayIndex`, `Next`,
//!   `Previous`, `Stop`, `Pause`, `Resume`, `SetVolume`, `SetShuffle`, `SetRepeat`) is followed by a
//!   [`PlayerEvent::State`]; one that changes the current track also by [`PlayerEvent::TrackChanged`].
//! * Queue edits (`PlayQueue`, `Enqueue`, `Remove`, `Move`, `SetShuffle`) are followed by
//!   [`PlayerEvent::QueueChanged`].
//! * While playing, [`PlayerEvent::Position`] arrives at most 4 times a second, and right after a seek.
//! * When a track ends, the next one starts in the same output stream (gapless) and
//!   `TrackChanged` follows; at the end of the queue `State { status: Stopped }` follows.
//! * `Audible` follows when the track's first samples reach the output.
//! * On start the player emits `State`, and for a restored queue `QueueChanged`, `TrackChanged` and
//!   `Position` (stopped at the saved position; `Resume` continues there).
//! * A file that cannot be decoded gives [`PlayerEvent::Error`] with `kind: Decode` and its track id;
//!   playback moves on to the next track. No or a lost output device gives `kind: Device`; the player
//!   keeps its queue and retries the device every 2 s while it should be playing.

use std::path::Path;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;

use super::history::{self, EndReason, PlayContext};
use super::queue::{Queue, Repeat};
use super::source::{Loaded, PlaybackSource, Shared, SourceEvent};
use crate::audio::TrackDecoder;

const POSITION_INTERVAL: Duration = Duration::from_millis(250);
const SAVE_INTERVAL: Duration = Duration::from_secs(5);
const DEVICE_RETRY: Duration = Duration::from_secs(2);
/// An output that takes no audio for this long while playing is treated as lost.
const STALL_LIMIT: Duration = Duration::from_secs(3);
/// "Previous" restarts the current track when it has played longer than this.
const RESTART_THRESHOLD: Duration = Duration::from_secs(3);

/// What the player is asked to do.
#[derive(Debug, Clone)]
pub enum Command {
    /// Replace the queue with `tracks` and play from `start` (an index into `tracks`).
    PlayQueue {
        tracks: Vec<i64>,
        start: usize,
        context: PlayContext,
    },
    /// Play the queue item at this index.
    PlayIndex(usize),
    Pause,
    Resume,
    TogglePause,
    Stop,
    Seek(Duration),
    /// Seek forward (positive) or back (negative) by this many seconds.
    SeekBy(f64),
    Next,
    Previous,
    /// 0.0–1.0.
    SetVolume(f32),
    SetShuffle(bool),
    SetRepeat(Repeat),
    Enqueue(Vec<i64>),
    Remove(usize),
    Move {
        from: usize,
        to: usize,
    },
    /// Emit `State`, `QueueChanged`, `TrackChanged` and `Position` again (a new UI catching up).
    Announce,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Playing,
    Paused,
    Stopped,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlayerErrorKind {
    /// A file could not be decoded (it is skipped).
    Decode,
    /// No audio output device, or it was lost.
    Device,
    /// A queued track is no longer in the library.
    NotFound,
    /// The history or queue could not be saved.
    Storage,
}

/// The current track, as the now-playing bar shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NowPlaying {
    pub id: i64,
    pub path: String,
    pub title: String,
    pub artist: String,
    pub album: String,
    pub duration_ms: Option<u64>,
    pub cover: Option<String>,
}

/// What the player reports. See the module documentation for what follows what.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum PlayerEvent {
    State {
        status: Status,
        volume: f32,
        shuffle: bool,
        repeat: Repeat,
    },
    TrackChanged {
        track: Option<NowPlaying>,
        /// Index of the track in the queue.
        index: Option<usize>,
    },
    Position {
        position_ms: u64,
        duration_ms: Option<u64>,
    },
    QueueChanged {
        tracks: Vec<i64>,
        current: Option<usize>,
    },
    /// The first samples of the current track reached the output (follows `TrackChanged`).
    Audible { track_id: i64 },
    Error {
        kind: PlayerErrorKind,
        message: String,
        track_id: Option<i64>,
    },
}

enum Msg {
    Command(Command),
    Source(SourceEvent),
    DeviceLost(String),
    Shutdown,
}

/// Handle to the player thread. [`Player::shutdown`] (or dropping it) stops playback and saves the queue.
pub struct Player {
    sender: Sender<Msg>,
    thread: std::sync::Mutex<Option<JoinHandle<()>>>,
}

impl Player {
    /// Starts the player thread on the library at `db_path`. `on_event` runs on the player thread.
    pub fn spawn(
        db_path: &Path,
        on_event: impl Fn(PlayerEvent) + Send + 'static,
    ) -> Result<Self, crate::db::Error> {
        let conn = crate::db::open(db_path)?;
        let (sender, receiver) = mpsc::channel();
        let source_sender = sender.clone();
        let shared = Shared::new(move |event| {
            let _ = source_sender.send(Msg::Source(event));
        });
        let engine_sender = sender.clone();
        let thread = std::thread::Builder::new()
            .name("sonare-player".into())
            .spawn(move || {
                let mut engine = Engine::new(conn, shared, engine_sender, Box::new(on_event));
                engine.run(receiver);
            })
            .expect("spawning the player thread");
        Ok(Self {
            sender,
            thread: std::sync::Mutex::new(Some(thread)),
        })
    }

    pub fn send(&self, command: Command) {
        let _ = self.sender.send(Msg::Command(command));
    }

    /// Stops playback, records the play under way, saves the queue and position, and ends the thread.
    pub fn shutdown(&self) {
        let _ = self.sender.send(Msg::Shutdown);
        let thread = self.thread.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(thread) = thread {
            let _ = thread.join();
        }
    }
}

impl Drop for Player {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// The play under way: its history row and what is needed to close it.
struct CurrentPlay {
    play_id: u64,
    history_id: Option<i64>,
    track: NowPlaying,
}

/// A track preloaded for a gapless start.
struct Preloaded {
    play_id: u64,
    track: NowPlaying,
}

struct Engine {
    conn: Connection,
    shared: Arc<Shared>,
    sender: Sender<Msg>,
    emit: Box<dyn Fn(PlayerEvent) + Send>,
    output: Option<rodio::MixerDeviceSink>,
    queue: Queue,
    context: PlayContext,
    status: Status,
    current: Option<CurrentPlay>,
    preloaded: Option<Preloaded>,
    next_play_id: u64,
    /// Where to resume a restored queue from.
    resume_at: Duration,
    last_position: Instant,
    last_save: Instant,
    last_device_try: Instant,
    /// Frames heard of the current track and when that count last changed (stall detection).
    progress: Option<(u64, Instant)>,
}

impl Engine {
    fn new(
        conn: Connection,
        shared: Arc<Shared>,
        sender: Sender<Msg>,
        emit: Box<dyn Fn(PlayerEvent) + Send>,
    ) -> Self {
        let now = Instant::now();
        let mut engine = Self {
            conn,
            shared,
            sender,
            emit,
            output: None,
            queue: Queue::default(),
            context: PlayContext::Queue,
            status: Status::Stopped,
            current: None,
            preloaded: None,
            next_play_id: 1,
            resume_at: Duration::ZERO,
            last_position: now,
            last_save: now,
            last_device_try: now,
            progress: None,
        };
        engine.restore();
        engine
    }

    fn run(&mut self, receiver: Receiver<Msg>) {
        // Announce what was restored, so a new UI shows the queue and position at once.
        self.announce();
        loop {
            match receiver.recv_timeout(POSITION_INTERVAL) {
                Ok(Msg::Command(command)) => self.handle(command),
                Ok(Msg::Source(event)) => self.on_source(event),
                Ok(Msg::DeviceLost(reason)) => self.on_device_lost(reason),
                Ok(Msg::Shutdown) | Err(RecvTimeoutError::Disconnected) => break,
                Err(RecvTimeoutError::Timeout) => {}
            }
            self.tick();
        }
        // Closing keeps the place: the next start resumes here.
        if self.current.is_some() {
            self.resume_at = self.position();
        }
        self.finish_current(None);
        self.save();
    }

    fn tick(&mut self) {
        if self.status != Status::Playing {
            self.progress = None;
            return;
        }
        self.watch_output();
        if self.output.is_none()
            && self.last_device_try.elapsed() >= DEVICE_RETRY
            && self.ensure_output()
        {
            log::info!("audio output is back; playback continues");
        }
        if self.last_position.elapsed() >= POSITION_INTERVAL {
            self.emit_position();
        }
        if self.last_save.elapsed() >= SAVE_INTERVAL {
            self.save();
        }
    }

    fn handle(&mut self, command: Command) {
        match command {
            Command::PlayQueue {
                tracks,
                start,
                context,
            } => {
                self.finish_current(None);
                let shuffle = self.queue.shuffle();
                let repeat = self.queue.repeat();
                self.queue = Queue::new(tracks, start);
                self.queue.set_repeat(repeat);
                if shuffle {
                    self.queue.set_shuffle(true);
                }
                self.context = context;
                self.emit_queue();
                self.start_current(Duration::ZERO);
            }
            Command::PlayIndex(index) => {
                self.finish_current(None);
                if self.queue.jump(index) {
                    self.start_current(Duration::ZERO);
                }
            }
            Command::Pause => self.pause(),
            Command::Resume => self.resume(),
            Command::TogglePause => match self.status {
                Status::Playing => self.pause(),
                _ => self.resume(),
            },
            Command::Stop => {
                self.finish_current(None);
                self.status = Status::Stopped;
                self.resume_at = Duration::ZERO;
                self.emit_state();
                self.emit_position();
                self.save();
            }
            Command::Seek(to) => self.seek(to),
            Command::SeekBy(delta) => {
                let target = (self.position().as_secs_f64() + delta).max(0.0);
                self.seek(Duration::from_secs_f64(target));
            }
            Command::Next => {
                self.finish_current(None);
                if self.queue.advance(true) {
                    self.start_current(Duration::ZERO);
                } else {
                    self.stop_at_end();
                }
            }
            Command::Previous => {
                let position = self.position();
                if position > RESTART_THRESHOLD && self.current.is_some() {
                    self.seek(Duration::ZERO);
                } else {
                    self.finish_current(None);
                    self.queue.back();
                    self.start_current(Duration::ZERO);
                }
            }
            Command::SetVolume(volume) => {
                self.shared.set_volume(volume);
                self.emit_state();
            }
            Command::SetShuffle(on) => {
                self.queue.set_shuffle(on);
                self.after_queue_edit();
            }
            Command::SetRepeat(repeat) => {
                self.queue.set_repeat(repeat);
                self.after_queue_edit();
            }
            Command::Enqueue(tracks) => {
                let was_empty = self.queue.current().is_none();
                self.queue.enqueue(&tracks);
                self.after_queue_edit();
                if was_empty && self.status == Status::Stopped {
                    self.emit_track();
                }
            }
            Command::Remove(index) => {
                let was_current = self.queue.remove(index);
                if was_current {
                    self.finish_current(None);
                    if self.queue.current().is_some() && self.status == Status::Playing {
                        self.start_current(Duration::ZERO);
                    } else {
                        self.stop_at_end();
                    }
                }
                self.after_queue_edit();
            }
            Command::Announce => self.announce(),
            Command::Move { from, to } => {
                self.queue.move_item(from, to);
                self.after_queue_edit();
            }
        }
    }

    fn announce(&mut self) {
        self.emit_state();
        if !self.queue.items().is_empty() {
            self.emit_queue();
            self.emit_track();
            self.emit_position();
        }
    }

    fn after_queue_edit(&mut self) {
        self.preload();
        self.emit_queue();
        self.emit_state();
        self.save();
    }

    fn pause(&mut self) {
        if self.status == Status::Playing {
            self.shared.set_paused(true);
            self.status = Status::Paused;
            self.emit_state();
            self.save();
        }
    }

    fn resume(&mut self) {
        match self.status {
            Status::Paused if self.current.is_some() => {
                self.ensure_output();
                self.shared.set_paused(false);
                self.status = Status::Playing;
                self.emit_state();
            }
            _ if self.queue.current().is_some() => {
                let at = std::mem::take(&mut self.resume_at);
                self.start_current(at);
            }
            _ => {}
        }
    }

    fn position(&self) -> Duration {
        match self.shared.deck().current.as_ref() {
            Some(loaded) => loaded.position(),
            None => self.resume_at,
        }
    }

    fn seek(&mut self, to: Duration) {
        if self.current.is_none() {
            self.resume_at = to;
            self.emit_position();
            return;
        }
        let result: Option<Result<Duration, crate::audio::DecodeError>> = {
            let mut deck = self.shared.deck();
            deck.current.as_mut().map(|loaded| {
                let reached = loaded.decoder.seek(to)?;
                loaded.position_frames =
                    (reached.as_secs_f64() * loaded.decoder.sample_rate() as f64).round() as u64;
                Ok(reached)
            })
        };
        if let Some(Err(error)) = result {
            self.emit_error(
                PlayerErrorKind::Decode,
                error.to_string(),
                self.current_track_id(),
            );
        }
        self.emit_position();
    }

    fn current_track_id(&self) -> Option<i64> {
        self.current.as_ref().map(|c| c.track.id)
    }

    /// Starts the queue's current track at `at`, skipping (and reporting) files that cannot be opened.
    fn start_current(&mut self, at: Duration) {
        self.finish_current(None);
        let mut attempts = self.queue.items().len();
        while attempts > 0 {
            attempts -= 1;
            let Some(track_id) = self.queue.current() else {
                break;
            };
            match self.load(track_id) {
                Ok((mut loaded, track)) => {
                    if at > Duration::ZERO {
                        if let Ok(reached) = loaded.decoder.seek(at) {
                            loaded.position_frames =
                                (reached.as_secs_f64() * loaded.decoder.sample_rate() as f64)
                                    .round() as u64;
                        }
                    }
                    let play_id = loaded.play_id;
                    {
                        let mut deck = self.shared.deck();
                        deck.current = Some(loaded);
                        deck.next = None;
                    }
                    self.begin_play(play_id, track);
                    self.preload();
                    self.shared.set_paused(false);
                    self.status = Status::Playing;
                    self.ensure_output();
                    self.emit_state();
                    self.emit_track();
                    self.emit_position();
                    self.save();
                    return;
                }
                Err((kind, message)) => {
                    self.emit_error(kind, message, Some(track_id));
                    if !self.queue.advance(true) {
                        break;
                    }
                }
            }
        }
        self.stop_at_end();
    }

    /// Opens a track's decoder. Errors are recorded in the history when the track exists.
    fn load(&mut self, track_id: i64) -> Result<(Loaded, NowPlaying), (PlayerErrorKind, String)> {
        let (track, gain) = match self.track_info(track_id) {
            Some(found) => found,
            None => {
                return Err((
                    PlayerErrorKind::NotFound,
                    format!("track {track_id} is not in the library"),
                ))
            }
        };
        match TrackDecoder::open(Path::new(&track.path)) {
            Ok(decoder) => {
                let play_id = self.next_play_id;
                self.next_play_id += 1;
                Ok((
                    Loaded {
                        decoder,
                        play_id,
                        gain,
                        position_frames: 0,
                        heard_frames: 0,
                    },
                    track,
                ))
            }
            Err(error) => {
                let message = error.to_string();
                if let Ok(id) = history::start_play(&self.conn, track_id, None, self.context) {
                    let _ = history::end_play(
                        &self.conn,
                        id,
                        EndReason::Error,
                        Duration::ZERO,
                        Duration::ZERO,
                        Some(&message),
                    );
                }
                Err((PlayerErrorKind::Decode, message))
            }
        }
    }

    /// The track's display data and its gain as a linear factor: the ReplayGain track gain and peak
    /// from its tags, else the analysed loudness brought to ReplayGain 2's reference of -18 LUFS,
    /// limited by the analysed sample peak.
    fn track_info(&self, track_id: i64) -> Option<(NowPlaying, f32)> {
        self.conn
            .query_row(
                "SELECT t.id, t.path, t.title, t.artist, t.album, t.duration_ms, c.file,
                        COALESCE(t.rg_track_gain, ?2 - a.loudness_lufs),
                        CASE WHEN t.rg_track_gain IS NULL THEN a.sample_peak ELSE t.rg_track_peak END
                 FROM tracks t LEFT JOIN covers c ON c.id = t.cover_id
                 LEFT JOIN track_analysis a ON a.track_id = t.id WHERE t.id = ?1",
                rusqlite::params![track_id, REPLAYGAIN_REFERENCE_LUFS],
                |r| {
                    let gain_db: Option<f64> = r.get(7)?;
                    let peak: Option<f64> = r.get(8)?;
                    Ok((
                        NowPlaying {
                            id: r.get(0)?,
                            path: r.get(1)?,
                            title: r.get(2)?,
                            artist: r.get(3)?,
                            album: r.get(4)?,
                            duration_ms: r.get::<_, Option<i64>>(5)?.map(|d| d as u64),
                            cover: r.get(6)?,
                        },
                        replaygain_factor(gain_db, peak),
                    ))
                },
            )
            .optional()
            .ok()
            .flatten()
    }

    /// Loads the track after the current one so it starts without a gap.
    fn preload(&mut self) {
        self.shared.deck().next = None;
        self.preloaded = None;
        if self.current.is_none() {
            return;
        }
        let Some(index) = self.queue.next_index() else {
            return;
        };
        let track_id = self.queue.items()[index];
        let Some((track, gain)) = self.track_info(track_id) else {
            return;
        };
        // A file that fails to open here is reported when the queue reaches it.
        if let Ok(decoder) = TrackDecoder::open(Path::new(&track.path)) {
            let play_id = self.next_play_id;
            self.next_play_id += 1;
            self.shared.deck().next = Some(Loaded {
                decoder,
                play_id,
                gain,
                position_frames: 0,
                heard_frames: 0,
            });
            self.preloaded = Some(Preloaded { play_id, track });
        }
    }

    fn begin_play(&mut self, play_id: u64, track: NowPlaying) {
        let duration = track.duration_ms.map(Duration::from_millis);
        let history_id = match history::start_play(&self.conn, track.id, duration, self.context) {
            Ok(id) => Some(id),
            Err(e) => {
                self.emit_error(PlayerErrorKind::Storage, e.to_string(), Some(track.id));
                None
            }
        };
        self.current = Some(CurrentPlay {
            play_id,
            history_id,
            track,
        });
    }

    /// Ends the current play: `reason` when the source reported the end, else the listener ended it.
    fn finish_current(&mut self, reason: Option<(EndReason, Duration, Duration, Option<String>)>) {
        let Some(current) = self.current.take() else {
            return;
        };
        let (reason, position, heard, error) = match reason {
            Some(r) => r,
            None => {
                let mut deck = self.shared.deck();
                let loaded = deck.current.take();
                deck.next = None;
                let (position, heard) = loaded
                    .map(|l| (l.position(), l.heard()))
                    .unwrap_or_default();
                let duration = current.track.duration_ms.map(Duration::from_millis);
                if self.output.is_none() && heard.is_zero() {
                    // Nothing could be heard: not a judgement of the listener's.
                    let reason = Some("no audio output device".to_owned());
                    (EndReason::Error, position, heard, reason)
                } else {
                    let reason = EndReason::ended_by_listener(position, duration);
                    (reason, position, heard, None)
                }
            }
        };
        self.preloaded = None;
        if let Some(id) = current.history_id {
            if let Err(e) =
                history::end_play(&self.conn, id, reason, position, heard, error.as_deref())
            {
                self.emit_error(
                    PlayerErrorKind::Storage,
                    e.to_string(),
                    Some(current.track.id),
                );
            }
        }
    }

    fn on_source(&mut self, event: SourceEvent) {
        let (ended, next, outcome) = match event {
            SourceEvent::Audible { play_id } => {
                let track = self.current.as_ref().filter(|c| c.play_id == play_id);
                let track_id = match (track, &self.preloaded) {
                    (Some(c), _) => c.track.id,
                    // A gapless start is reported before the end of the previous track arrives.
                    (None, Some(p)) if p.play_id == play_id => p.track.id,
                    _ => return,
                };
                (self.emit)(PlayerEvent::Audible { track_id });
                return;
            }
            SourceEvent::Finished {
                play_id,
                heard,
                next,
            } => {
                let duration = self
                    .current
                    .as_ref()
                    .and_then(|c| c.track.duration_ms)
                    .map(Duration::from_millis)
                    .unwrap_or(heard);
                (play_id, next, (EndReason::Completed, duration, heard, None))
            }
            SourceEvent::Failed {
                play_id,
                position,
                heard,
                error,
                next,
            } => {
                let message = error.to_string();
                let track_id = self.current_track_id();
                self.emit_error(PlayerErrorKind::Decode, message.clone(), track_id);
                (
                    play_id,
                    next,
                    (EndReason::Error, position, heard, Some(message)),
                )
            }
        };
        if self.current.as_ref().map(|c| c.play_id) != Some(ended) {
            return; // a stale event of a play already ended by the listener
        }
        self.finish_current(Some(outcome));
        let preloaded = self.preloaded.take();
        match (next, preloaded) {
            (Some(next), Some(p)) if p.play_id == next => {
                // Already playing, gapless: just account for it.
                if self.queue.advance(false) {
                    self.begin_play(p.play_id, p.track);
                    self.preload();
                    self.emit_track();
                    self.emit_queue();
                    self.save();
                }
            }
            _ => {
                if self.queue.advance(false) {
                    self.start_current(Duration::ZERO);
                } else {
                    self.stop_at_end();
                }
            }
        }
    }

    fn stop_at_end(&mut self) {
        self.finish_current(None);
        self.status = Status::Stopped;
        self.resume_at = Duration::ZERO;
        self.emit_state();
        self.emit_track();
        self.save();
    }

    /// Opens the default output if it is not open. Returns whether it is open.
    fn ensure_output(&mut self) -> bool {
        if self.output.is_some() {
            return true;
        }
        self.last_device_try = Instant::now();
        let sender = self.sender.clone();
        let opened = rodio::DeviceSinkBuilder::from_default_device().and_then(|builder| {
            builder
                .with_error_callback(move |e: rodio::CpalError| {
                    use rodio::CpalErrorKind as Kind;
                    match e.kind() {
                        Kind::DeviceNotAvailable
                        | Kind::HostUnavailable
                        | Kind::StreamInvalidated => {
                            let _ = sender.send(Msg::DeviceLost(e.to_string()));
                        }
                        // Underruns and passing backend hiccups: the stream goes on.
                        _ => log::debug!("audio output: {e}"),
                    }
                })
                .open_stream()
        });
        match opened {
            Ok(mut sink) => {
                sink.log_on_drop(false);
                sink.mixer().add(PlaybackSource::new(self.shared.clone()));
                self.output = Some(sink);
                true
            }
            Err(e) => {
                self.emit_error(
                    PlayerErrorKind::Device,
                    format!("no audio output device: {e}"),
                    None,
                );
                false
            }
        }
    }

    /// Some backends report a vanished device only as silence (ALSA through a PulseAudio server that
    /// died, for one): if the output stops pulling samples while playing, treat it as lost.
    fn watch_output(&mut self) {
        if self.output.is_none() || self.current.is_none() {
            self.progress = None;
            return;
        }
        let heard = self
            .shared
            .deck()
            .current
            .as_ref()
            .map(|l| l.heard_frames)
            .unwrap_or(0);
        match self.progress {
            Some((frames, since)) if frames == heard => {
                if since.elapsed() >= STALL_LIMIT {
                    self.progress = None;
                    self.on_device_lost("the output stopped taking audio".into());
                }
            }
            _ => self.progress = Some((heard, Instant::now())),
        }
    }

    fn on_device_lost(&mut self, reason: String) {
        if self.output.take().is_some() {
            self.emit_error(
                PlayerErrorKind::Device,
                format!("the audio output device was lost: {reason}"),
                None,
            );
            self.last_device_try = Instant::now();
        }
    }

    fn restore(&mut self) {
        let Ok(Some((queue_json, position_ms, volume))) = history::load_player_state(&self.conn)
        else {
            return;
        };
        match serde_json::from_str::<Queue>(&queue_json) {
            Ok(queue) => {
                self.queue = queue;
                self.resume_at = Duration::from_millis(position_ms.max(0) as u64);
                self.shared.set_volume(volume as f32);
            }
            Err(e) => log::warn!("ignoring the saved queue: {e}"),
        }
    }

    fn save(&mut self) {
        self.last_save = Instant::now();
        let position = if self.current.is_some() {
            self.position()
        } else {
            self.resume_at
        };
        let saved = serde_json::to_string(&self.queue)
            .map_err(|e| e.to_string())
            .and_then(|json| {
                history::save_player_state(&self.conn, &json, position, self.shared.volume())
                    .map_err(|e| e.to_string())
            });
        if let Err(e) = saved {
            self.emit_error(PlayerErrorKind::Storage, e, None);
        }
    }

    fn emit_state(&self) {
        (self.emit)(PlayerEvent::State {
            status: self.status,
            volume: self.shared.volume(),
            shuffle: self.queue.shuffle(),
            repeat: self.queue.repeat(),
        });
    }

    fn emit_track(&self) {
        let track = match &self.current {
            Some(c) => Some(c.track.clone()),
            None => self
                .queue
                .current()
                .and_then(|id| self.track_info(id))
                .map(|(t, _)| t),
        };
        (self.emit)(PlayerEvent::TrackChanged {
            track,
            index: self.queue.current_index(),
        });
    }

    fn emit_queue(&self) {
        (self.emit)(PlayerEvent::QueueChanged {
            tracks: self.queue.items().to_vec(),
            current: self.queue.current_index(),
        });
    }

    fn emit_position(&mut self) {
        self.last_position = Instant::now();
        let duration_ms = self
            .current
            .as_ref()
            .and_then(|c| c.track.duration_ms)
            .or_else(|| {
                self.queue
                    .current()
                    .and_then(|id| self.track_info(id))
                    .and_then(|(t, _)| t.duration_ms)
            });
        (self.emit)(PlayerEvent::Position {
            position_ms: self.position().as_millis() as u64,
            duration_ms,
        });
    }

    fn emit_error(&self, kind: PlayerErrorKind, message: String, track_id: Option<i64>) {
        log::warn!("{message}");
        (self.emit)(PlayerEvent::Error {
            kind,
            message,
            track_id,
        });
    }
}

/// ReplayGain 2.0's reference loudness (EBU R128 integrated), which analysed tracks are brought to.
const REPLAYGAIN_REFERENCE_LUFS: f64 = -18.0;

/// ReplayGain track gain as a linear factor, limited so the track's peak does not clip.
fn replaygain_factor(gain_db: Option<f64>, peak: Option<f64>) -> f32 {
    let Some(db) = gain_db else {
        return 1.0;
    };
    let mut factor = 10f64.powf(db / 20.0);
    if let Some(peak) = peak.filter(|p| *p > 0.0) {
        factor = factor.min(1.0 / peak);
    }
    factor.clamp(0.05, 4.0) as f32
}
