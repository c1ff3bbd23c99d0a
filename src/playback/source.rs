//! The one `rodio::Source` the output plays: it pulls decoded packets from the current track and, when
//! that ends, continues at once with the preloaded next track in the same stream, so consecutive tracks
//! join sample-exactly (gapless). The player thread loads tracks into the shared [`Deck`]; this side
//! runs on the audio callback and only reports what happened through `notify`.

use std::num::NonZero;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use rodio::Source;

use crate::audio::{DecodeError, PlaybackDecoder};

/// Frames of silence produced per chunk while paused or idle. Small, because a new track can only
/// start once the current silence chunk has been handed out: 256 frames is 5.8 ms at 44.1 kHz.
const SILENCE_FRAMES: usize = 256;

/// A track loaded into the deck.
pub struct Loaded {
    pub decoder: PlaybackDecoder,
    /// Identifies this play of the track in events.
    pub play_id: u64,
    /// Linear gain from ReplayGain, applied on top of the volume.
    pub gain: f32,
    /// Frames handed to the output since the start of the file (seeks move it).
    pub position_frames: u64,
    /// Frames actually handed to the output (never advanced by a seek).
    pub heard_frames: u64,
}

impl Loaded {
    pub fn position(&self) -> Duration {
        frames_to_duration(self.position_frames, self.decoder.sample_rate())
    }

    pub fn heard(&self) -> Duration {
        frames_to_duration(self.heard_frames, self.decoder.sample_rate())
    }

    /// Moves to `to` (the decoder may land a little before it) and returns where it landed.
    pub fn seek(&mut self, to: Duration) -> Result<Duration, DecodeError> {
        let reached = self.decoder.seek(to)?;
        self.position_frames =
            (reached.as_secs_f64() * self.decoder.sample_rate() as f64).round() as u64;
        Ok(reached)
    }
}

pub fn frames_to_duration(frames: u64, rate: u32) -> Duration {
    Duration::from_secs_f64(frames as f64 / rate.max(1) as f64)
}

/// What the source reports to the player thread.
#[derive(Debug)]
pub enum SourceEvent {
    /// The first samples of `play_id` were handed to the output.
    Audible { play_id: u64 },
    /// The track `play_id` reached its end; `next` started right after it (gapless), if one was loaded.
    Finished {
        play_id: u64,
        heard: Duration,
        next: Option<u64>,
    },
    /// The track `play_id` failed mid-way; `next` started right after it, if one was loaded.
    Failed {
        play_id: u64,
        position: Duration,
        heard: Duration,
        error: DecodeError,
        next: Option<u64>,
    },
}

#[derive(Default)]
pub struct Deck {
    pub current: Option<Loaded>,
    pub next: Option<Loaded>,
}

/// State shared between the player thread and the audio callback.
pub struct Shared {
    deck: Mutex<Deck>,
    paused: AtomicBool,
    volume_bits: AtomicU32,
    notify: Box<dyn Fn(SourceEvent) + Send + Sync>,
}

impl Shared {
    pub fn new(notify: impl Fn(SourceEvent) + Send + Sync + 'static) -> Arc<Self> {
        Arc::new(Self {
            deck: Mutex::default(),
            paused: AtomicBool::new(false),
            volume_bits: AtomicU32::new(1.0f32.to_bits()),
            notify: Box::new(notify),
        })
    }

    pub fn deck(&self) -> MutexGuard<'_, Deck> {
        // A panic while holding the lock cannot leave the deck inconsistent beyond one chunk.
        self.deck.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn set_paused(&self, paused: bool) {
        self.paused.store(paused, Ordering::Relaxed);
    }

    pub fn paused(&self) -> bool {
        self.paused.load(Ordering::Relaxed)
    }

    pub fn set_volume(&self, volume: f32) {
        self.volume_bits
            .store(volume.clamp(0.0, 1.0).to_bits(), Ordering::Relaxed);
    }

    pub fn volume(&self) -> f32 {
        f32::from_bits(self.volume_bits.load(Ordering::Relaxed))
    }
}

/// The stream handed to rodio's mixer.
pub struct PlaybackSource {
    shared: Arc<Shared>,
    buffer: Vec<f32>,
    read: usize,
    sample_rate: u32,
    channels: u16,
}

impl PlaybackSource {
    pub fn new(shared: Arc<Shared>) -> Self {
        let mut source = Self {
            shared,
            buffer: Vec::with_capacity(16 * 1024),
            read: 0,
            sample_rate: 44_100,
            channels: 2,
        };
        source.refill();
        source
    }

    /// Loads the next chunk: decoded samples of the current track (moving on to the preloaded next
    /// track when it ends), or silence when paused or idle.
    fn refill(&mut self) {
        self.buffer.clear();
        self.read = 0;
        if !self.shared.paused() {
            let mut deck = self.shared.deck();
            while let Some(current) = deck.current.as_mut() {
                match current.decoder.next_chunk(&mut self.buffer) {
                    Ok(true) if !self.buffer.is_empty() => {
                        if current.heard_frames == 0 {
                            (self.shared.notify)(SourceEvent::Audible {
                                play_id: current.play_id,
                            });
                        }
                        let frames =
                            (self.buffer.len() / current.decoder.channels() as usize) as u64;
                        current.position_frames += frames;
                        current.heard_frames += frames;
                        self.sample_rate = current.decoder.sample_rate();
                        self.channels = current.decoder.channels();
                        let gain = current.gain * self.shared.volume();
                        if gain != 1.0 {
                            self.buffer.iter_mut().for_each(|s| *s *= gain);
                        }
                        return;
                    }
                    Ok(true) => continue,
                    outcome => {
                        let ended = deck.current.take();
                        let (play_id, position, heard) = ended
                            .map(|l| (l.play_id, l.position(), l.heard()))
                            .unwrap_or_default();
                        deck.current = deck.next.take();
                        let next = deck.current.as_ref().map(|l| l.play_id);
                        (self.shared.notify)(match outcome {
                            Err(error) => SourceEvent::Failed {
                                play_id,
                                position,
                                heard,
                                error,
                                next,
                            },
                            _ => SourceEvent::Finished {
                                play_id,
                                heard,
                                next,
                            },
                        });
                    }
                }
            }
        }
        self.buffer
            .resize(SILENCE_FRAMES * self.channels as usize, 0.0);
    }
}

impl Iterator for PlaybackSource {
    type Item = f32;

    fn next(&mut self) -> Option<f32> {
        let sample = self.buffer[self.read];
        self.read += 1;
        if self.read == self.buffer.len() {
            self.refill();
        }
        Some(sample)
    }
}

impl Source for PlaybackSource {
    fn current_span_len(&self) -> Option<usize> {
        Some(self.buffer.len() - self.read)
    }

    fn channels(&self) -> rodio::ChannelCount {
        NonZero::new(self.channels).unwrap_or(NonZero::<u16>::MIN)
    }

    fn sample_rate(&self) -> rodio::SampleRate {
        NonZero::new(self.sample_rate).unwrap_or(NonZero::<u32>::MIN)
    }

    fn total_duration(&self) -> Option<Duration> {
        None
    }
}
