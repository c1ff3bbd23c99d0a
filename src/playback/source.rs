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
    /// The album it belongs to (`None`: none known): two tracks of one album in a row join
    /// gaplessly even with a crossfade set, as the album was mastered.
    pub album: Option<String>,
    /// Frames it fades in over, when a crossfade started it (0: none).
    pub fade_in_frames: u64,
}

impl Loaded {
    pub fn position(&self) -> Duration {
        frames_to_duration(self.position_frames, self.decoder.sample_rate())
    }

    pub fn heard(&self) -> Duration {
        frames_to_duration(self.heard_frames, self.decoder.sample_rate())
    }

    /// The frame its decoder says the file ends at (`None`: not known).
    fn end_frame(&self) -> Option<u64> {
        let rate = f64::from(self.decoder.sample_rate());
        self.decoder
            .duration()
            .map(|d| (d.as_secs_f64() * rate).round() as u64)
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
    /// Crossfade between tracks in milliseconds (0: off, the tracks join gaplessly).
    crossfade_ms: AtomicU32,
    notify: Box<dyn Fn(SourceEvent) + Send + Sync>,
}

impl Shared {
    pub fn new(notify: impl Fn(SourceEvent) + Send + Sync + 'static) -> Arc<Self> {
        Arc::new(Self {
            deck: Mutex::default(),
            paused: AtomicBool::new(false),
            volume_bits: AtomicU32::new(1.0f32.to_bits()),
            crossfade_ms: AtomicU32::new(0),
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

    /// Sets the crossfade between tracks (zero: off).
    pub fn set_crossfade(&self, length: Duration) {
        let ms = length.as_millis().min(u128::from(u32::MAX)) as u32;
        self.crossfade_ms.store(ms, Ordering::Relaxed);
    }

    fn crossfade_frames(&self, rate: u32) -> u64 {
        u64::from(self.crossfade_ms.load(Ordering::Relaxed)) * u64::from(rate) / 1000
    }
}

/// Equal-power fade: the gain `frames` away from the silent end of a fade `length` frames long (1
/// beyond it). A fade-in counts the frames played, a fade-out the frames still to play.
fn fade_gain(frames: u64, length: u64) -> f32 {
    if length == 0 || frames >= length {
        return 1.0;
    }
    (std::f64::consts::FRAC_PI_2 * frames as f64 / length as f64).sin() as f32
}

/// Whether `next` may fade into `current`: same format (else they only join), and not the next
/// track of the same album.
fn crossfades(current: &Loaded, next: &Loaded) -> bool {
    let same_format = current.decoder.sample_rate() == next.decoder.sample_rate()
        && current.decoder.channels() == next.decoder.channels();
    let same_album = matches!((&current.album, &next.album), (Some(a), Some(b)) if a == b);
    same_format && !same_album
}

/// Counts `samples` as handed out for `track` and scales them by its gain and fade-in (and its
/// fade-out, `fade_out` frames long, when a crossfade follows). Returns the frames.
fn hand_out(track: &mut Loaded, samples: &mut [f32], volume: f32, fade_out: u64) -> u64 {
    let channels = track.decoder.channels().max(1) as usize;
    let frames = (samples.len() / channels) as u64;
    let gain = track.gain * volume;
    let end = track.end_frame();
    let fading_in = track.heard_frames < track.fade_in_frames;
    let fading_out = fade_out > 0
        && end.is_some_and(|end| end.saturating_sub(track.position_frames + frames) < fade_out);
    if fading_in || fading_out {
        for (i, frame) in samples.chunks_mut(channels).enumerate() {
            let mut g = gain * fade_gain(track.heard_frames + i as u64, track.fade_in_frames);
            if fading_out {
                let at = track.position_frames + i as u64;
                g *= fade_gain(end.unwrap_or(0).saturating_sub(at), fade_out);
            }
            frame.iter_mut().for_each(|s| *s *= g);
        }
    } else if gain != 1.0 {
        samples.iter_mut().for_each(|s| *s *= gain);
    }
    track.position_frames += frames;
    track.heard_frames += frames;
    frames
}

/// The stream handed to rodio's mixer.
pub struct PlaybackSource {
    shared: Arc<Shared>,
    buffer: Vec<f32>,
    read: usize,
    sample_rate: u32,
    channels: u16,
    /// Samples of the next track decoded during a crossfade and not handed out yet, with its play
    /// id: they come first once it is the current track.
    pending: Vec<f32>,
    pending_play: Option<u64>,
    /// Scratch for the next track's share of a crossfaded chunk.
    mix: Vec<f32>,
}

impl PlaybackSource {
    pub fn new(shared: Arc<Shared>) -> Self {
        let mut source = Self {
            shared,
            buffer: Vec::with_capacity(16 * 1024),
            read: 0,
            sample_rate: 44_100,
            channels: 2,
            pending: Vec::new(),
            pending_play: None,
            mix: Vec::new(),
        };
        source.refill();
        source
    }

    /// Loads the next chunk: decoded samples of the current track (moving on to the preloaded next
    /// track when it ends, or fading into it over its last seconds when a crossfade is set), or
    /// silence when paused or idle.
    fn refill(&mut self) {
        self.buffer.clear();
        self.read = 0;
        if !self.shared.paused() {
            let shared = self.shared.clone();
            let mut deck = shared.deck();
            while let Some(current) = deck.current.as_mut() {
                let outcome = if self.pending_play == Some(current.play_id) {
                    // Decoded while it faded in: hand those out before decoding more.
                    std::mem::swap(&mut self.buffer, &mut self.pending);
                    self.pending.clear();
                    self.pending_play = None;
                    Ok(true)
                } else {
                    current.decoder.next_chunk(&mut self.buffer)
                };
                match outcome {
                    Ok(true) if !self.buffer.is_empty() => {
                        if current.heard_frames == 0 {
                            (self.shared.notify)(SourceEvent::Audible {
                                play_id: current.play_id,
                            });
                        }
                        self.sample_rate = current.decoder.sample_rate();
                        self.channels = current.decoder.channels();
                        self.crossfade(&mut deck);
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

    /// Hands out the current track's chunk in `buffer`; within the crossfade's length of its end it
    /// fades out while the next track fades in, mixed into the same chunk.
    fn crossfade(&mut self, deck: &mut Deck) {
        let volume = self.shared.volume();
        let Some(current) = deck.current.as_mut() else {
            return;
        };
        let length = self.shared.crossfade_frames(current.decoder.sample_rate());
        let next = deck
            .next
            .as_mut()
            .filter(|next| length > 0 && crossfades(current, next));
        let Some(next) = next else {
            hand_out(current, &mut self.buffer, volume, 0);
            return;
        };
        let channels = current.decoder.channels().max(1) as usize;
        let start = current.position_frames;
        let end = current.end_frame();
        let frames = hand_out(current, &mut self.buffer, volume, length);
        // The chunk's frames within `length` of the end: the next track plays under those.
        let overlap = match end {
            Some(end) => (start + frames).saturating_sub(end.saturating_sub(length)),
            None => 0,
        }
        .min(frames);
        if overlap == 0 {
            // Not in the fade (any more: a seek went back): the next track starts afresh later.
            if next.heard_frames > 0 && next.decoder.seek(Duration::ZERO).is_ok() {
                next.position_frames = 0;
                next.heard_frames = 0;
                self.pending.clear();
                self.pending_play = None;
            }
            return;
        }
        if self.pending_play != Some(next.play_id) {
            self.pending.clear();
            self.pending_play = Some(next.play_id);
            next.fade_in_frames = length;
        }
        let wanted = overlap as usize * channels;
        while self.pending.len() < wanted {
            match next.decoder.next_chunk(&mut self.pending) {
                Ok(true) => {}
                // Its end or its error is met when it is the current track.
                _ => break,
            }
        }
        let take = wanted.min(self.pending.len() / channels * channels);
        self.mix.clear();
        self.mix.extend(self.pending.drain(..take));
        if next.heard_frames == 0 && take > 0 {
            (self.shared.notify)(SourceEvent::Audible {
                play_id: next.play_id,
            });
        }
        hand_out(next, &mut self.mix, volume, 0);
        let from = self.buffer.len() - wanted;
        for (out, add) in self.buffer[from..].iter_mut().zip(&self.mix) {
            *out += *add;
        }
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
