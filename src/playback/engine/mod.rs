//! The player's state machine, run on the player thread: it turns [`Command`]s and the source's
//! reports into what plays, the history rows and [`PlayerEvent`]s (what follows what is documented
//! in `protocol`). `plays` opens, preloads and records plays; `device` keeps the output open;
//! `announce` sends the events.

mod announce;
mod device;
mod plays;
#[cfg(test)]
mod tests;

use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rusqlite::Connection;

use crate::audio::Decoding;

use super::history::PlayContext;
use super::output::Output;
use super::protocol::{Command, NowPlaying, PlayerErrorKind, PlayerEvent, Status};
use super::queue::Queue;
use super::source::{Shared, SourceEvent};
use crate::playback::history::EndReason;

const POSITION_INTERVAL: Duration = Duration::from_millis(250);
const SAVE_INTERVAL: Duration = Duration::from_secs(5);
const DEVICE_RETRY: Duration = Duration::from_secs(2);
/// An output that takes no audio for this long while playing is treated as lost.
const STALL_LIMIT: Duration = Duration::from_secs(3);
/// "Previous" restarts the current track when it has played longer than this.
const RESTART_THRESHOLD: Duration = Duration::from_secs(3);

/// What arrives on the player thread's channel.
pub(super) enum Msg {
    Command(Command),
    Source(SourceEvent),
    DeviceLost(String),
    Shutdown,
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

/// How a play ended, as the history records it: reason, position reached, time heard, error.
type Ending = (EndReason, Duration, Duration, Option<String>);

pub(super) struct Engine {
    conn: Connection,
    /// Where tracks are decoded (a worker process per track in the app).
    decoding: Decoding,
    shared: Arc<Shared>,
    output: Box<dyn Output>,
    emit: Box<dyn Fn(PlayerEvent) + Send>,
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
    pub(super) fn new(
        conn: Connection,
        decoding: Decoding,
        shared: Arc<Shared>,
        output: Box<dyn Output>,
        emit: Box<dyn Fn(PlayerEvent) + Send>,
    ) -> Self {
        let now = Instant::now();
        let mut engine = Self {
            conn,
            decoding,
            shared,
            output,
            emit,
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

    pub(super) fn run(&mut self, receiver: Receiver<Msg>) {
        // Announce what was restored, so a new UI shows the queue and position at once.
        self.announce();
        loop {
            match receiver.recv_timeout(POSITION_INTERVAL) {
                Ok(Msg::Shutdown) | Err(RecvTimeoutError::Disconnected) => break,
                Ok(msg) => self.on(msg),
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

    fn on(&mut self, msg: Msg) {
        match msg {
            Msg::Command(command) => self.handle(command),
            Msg::Source(event) => self.on_source(event),
            Msg::DeviceLost(reason) => self.on_device_lost(reason),
            Msg::Shutdown => {}
        }
    }

    fn tick(&mut self) {
        if self.status != Status::Playing {
            self.progress = None;
            return;
        }
        self.watch_output();
        if !self.output.is_open()
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
                if self.position() > RESTART_THRESHOLD && self.current.is_some() {
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
                if self.queue.remove(index) {
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
            Command::SwitchOutput => self.switch_output(),
            Command::Move { from, to } => {
                self.queue.move_item(from, to);
                self.after_queue_edit();
            }
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
        let result = self.shared.deck().current.as_mut().map(|l| l.seek(to));
        if let Some(Err(error)) = result {
            self.emit_error(
                PlayerErrorKind::Decode,
                error.to_string(),
                self.current_track_id(),
            );
        }
        self.emit_position();
    }

    fn stop_at_end(&mut self) {
        self.finish_current(None);
        self.status = Status::Stopped;
        self.resume_at = Duration::ZERO;
        self.emit_state();
        self.emit_track();
        self.save();
    }

    /// What the source reported: a track became audible, ended, or failed mid-way.
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
                let ending = (EndReason::Error, position, heard, Some(message));
                (play_id, next, ending)
            }
        };
        if self.current.as_ref().map(|c| c.play_id) != Some(ended) {
            return; // a stale event of a play already ended by the listener
        }
        // Taken first: ending the play forgets what was preloaded, and the source may already be
        // playing it (gapless).
        let preloaded = self.preloaded.take();
        self.finish_current(Some(outcome));
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
}
