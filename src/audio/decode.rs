//! Decodes one file to interleaved `f32` samples with symphonia, packet by packet.
//!
//! Bad packets are skipped (as symphonia-play does); a decoder or demuxer panic on a malformed file is
//! caught and becomes [`DecodeError::Panicked`]. Encoder delay and padding are trimmed
//! (`enable_gapless`) so consecutive tracks join without a gap.

use std::fs::File;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::Duration;

use symphonia::core::audio::SampleBuffer;
use symphonia::core::codecs::{DecoderOptions, CODEC_TYPE_NULL};
use symphonia::core::errors::Error as SymError;
use symphonia::core::formats::{FormatOptions, FormatReader, SeekMode, SeekTo};
use symphonia::core::io::MediaSourceStream;
use symphonia::core::meta::MetadataOptions;
use symphonia::core::probe::Hint;
use symphonia::core::units::Time;

/// Consecutive undecodable packets after which a file is declared broken rather than skipped over.
const MAX_BAD_PACKETS: usize = 64;

#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: unsupported: {reason}")]
    Unsupported { path: PathBuf, reason: String },
    #[error("{path}: cannot decode: {reason}")]
    Broken { path: PathBuf, reason: String },
    #[error("{path}: the decoder crashed on this file: {message}")]
    Panicked { path: PathBuf, message: String },
    /// The decoder process died or stopped answering (see [`super::isolated`]).
    #[error("{path}: {reason}")]
    Died { path: PathBuf, reason: String },
}

impl DecodeError {
    pub fn path(&self) -> &Path {
        match self {
            DecodeError::Io { path, .. }
            | DecodeError::Unsupported { path, .. }
            | DecodeError::Broken { path, .. }
            | DecodeError::Panicked { path, .. }
            | DecodeError::Died { path, .. } => path,
        }
    }
}

/// An open file being decoded.
pub struct TrackDecoder {
    path: PathBuf,
    format: Box<dyn FormatReader>,
    decoder: Box<dyn symphonia::core::codecs::Decoder>,
    track_id: u32,
    sample_rate: u32,
    channels: u16,
    duration: Option<Duration>,
    /// Frames still to drop after an accurate seek landed before the requested time.
    skip_frames: u64,
    buffer: Option<SampleBuffer<f32>>,
    /// Samples decoded ahead (while learning the channel layout), returned by the next read.
    pending: Vec<f32>,
}

impl TrackDecoder {
    pub fn open(path: &Path) -> Result<Self, DecodeError> {
        catch_unwind(AssertUnwindSafe(|| Self::open_inner(path))).unwrap_or_else(|payload| {
            Err(DecodeError::Panicked {
                path: path.to_owned(),
                message: crate::panic_message(payload),
            })
        })
    }

    fn open_inner(path: &Path) -> Result<Self, DecodeError> {
        super::bounds::check(path).map_err(|reason| DecodeError::Broken {
            path: path.to_owned(),
            reason,
        })?;
        let file = File::open(path).map_err(|source| DecodeError::Io {
            path: path.to_owned(),
            source,
        })?;
        let stream = MediaSourceStream::new(Box::new(file), Default::default());
        let mut hint = Hint::new();
        if let Some(ext) = path.extension().and_then(|e| e.to_str()) {
            hint.with_extension(ext);
        }
        let options = FormatOptions {
            enable_gapless: true,
            ..Default::default()
        };
        let probed = symphonia::default::get_probe()
            .format(&hint, stream, &options, &MetadataOptions::default())
            .map_err(|e| match e {
                SymError::Unsupported(what) => DecodeError::Unsupported {
                    path: path.to_owned(),
                    reason: format!("container not supported ({what})"),
                },
                other => DecodeError::Broken {
                    path: path.to_owned(),
                    reason: other.to_string(),
                },
            })?;
        let format = probed.format;
        let track = format
            .tracks()
            .iter()
            .find(|t| t.codec_params.codec != CODEC_TYPE_NULL)
            .ok_or_else(|| DecodeError::Unsupported {
                path: path.to_owned(),
                reason: "no audio track".into(),
            })?;
        let params = track.codec_params.clone();
        let track_id = track.id;
        let decoder = super::codecs()
            .make(&params, &DecoderOptions::default())
            .map_err(|_| DecodeError::Unsupported {
                path: path.to_owned(),
                reason: format!("no decoder for codec {}", codec_name(params.codec)),
            })?;
        let mut this = Self {
            path: path.to_owned(),
            format,
            decoder,
            track_id,
            sample_rate: params.sample_rate.unwrap_or(0),
            channels: params.channels.map(|c| c.count() as u16).unwrap_or(0),
            duration: None,
            skip_frames: 0,
            buffer: None,
            pending: Vec::new(),
        };
        if this.sample_rate == 0 || this.channels == 0 {
            // Some containers (AAC in MP4, Vorbis in WebM) leave the layout to the codec: decode the
            // first packet to learn it, and keep its samples for the first read.
            let mut first = Vec::new();
            if !this.next_chunk_inner(&mut first)? || this.sample_rate == 0 || this.channels == 0 {
                return Err(DecodeError::Broken {
                    path: path.to_owned(),
                    reason: "no audio could be decoded".into(),
                });
            }
            this.pending = first;
        }
        this.duration = params
            .n_frames
            .map(|frames| Duration::from_secs_f64(frames as f64 / this.sample_rate as f64));
        Ok(this)
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

    /// Appends the next packet's interleaved samples to `out`. Returns `Ok(false)` at the end of the file.
    pub fn next_chunk(&mut self, out: &mut Vec<f32>) -> Result<bool, DecodeError> {
        let path = self.path.clone();
        catch_unwind(AssertUnwindSafe(|| self.next_chunk_inner(out))).unwrap_or_else(|payload| {
            Err(DecodeError::Panicked {
                path,
                message: crate::panic_message(payload),
            })
        })
    }

    fn next_chunk_inner(&mut self, out: &mut Vec<f32>) -> Result<bool, DecodeError> {
        if !self.pending.is_empty() {
            out.append(&mut self.pending);
            return Ok(true);
        }
        let mut bad_packets = 0;
        loop {
            let packet = match self.format.next_packet() {
                Ok(packet) => packet,
                Err(SymError::IoError(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                    return Ok(false)
                }
                Err(SymError::ResetRequired) => return Ok(false),
                Err(e) => {
                    return Err(DecodeError::Broken {
                        path: self.path.clone(),
                        reason: e.to_string(),
                    })
                }
            };
            if packet.track_id() != self.track_id {
                continue;
            }
            match self.decoder.decode(&packet) {
                Ok(decoded) => {
                    if decoded.frames() == 0 {
                        continue;
                    }
                    let spec = *decoded.spec();
                    if self.channels == 0 || self.sample_rate == 0 {
                        self.channels = spec.channels.count() as u16;
                        self.sample_rate = spec.rate;
                    }
                    if spec.channels.count() as u16 != self.channels {
                        return Err(DecodeError::Unsupported {
                            path: self.path.clone(),
                            reason: "the channel count changes mid-stream".into(),
                        });
                    }
                    let needed = decoded.capacity() as u64;
                    let buffer = match &mut self.buffer {
                        Some(b) if b.capacity() as u64 >= needed * spec.channels.count() as u64 => {
                            b
                        }
                        slot => slot.insert(SampleBuffer::new(needed, spec)),
                    };
                    buffer.copy_interleaved_ref(decoded);
                    let mut samples = buffer.samples();
                    if self.skip_frames > 0 {
                        let frames = samples.len() as u64 / self.channels as u64;
                        let skip = self.skip_frames.min(frames);
                        self.skip_frames -= skip;
                        samples = &samples[(skip * self.channels as u64) as usize..];
                        if samples.is_empty() {
                            continue;
                        }
                    }
                    out.extend_from_slice(samples);
                    return Ok(true);
                }
                Err(SymError::DecodeError(reason)) => {
                    log::debug!("{}: skipping a bad packet: {reason}", self.path.display());
                    bad_packets += 1;
                    if bad_packets > MAX_BAD_PACKETS {
                        return Err(DecodeError::Broken {
                            path: self.path.clone(),
                            reason: format!("too many undecodable packets ({reason})"),
                        });
                    }
                }
                Err(SymError::IoError(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                    return Ok(false)
                }
                Err(e) => {
                    return Err(DecodeError::Broken {
                        path: self.path.clone(),
                        reason: e.to_string(),
                    })
                }
            }
        }
    }

    /// Seeks to `to` exactly (frames before it are dropped). Returns the position reached.
    pub fn seek(&mut self, to: Duration) -> Result<Duration, DecodeError> {
        let path = self.path.clone();
        catch_unwind(AssertUnwindSafe(|| self.seek_inner(to))).unwrap_or_else(|payload| {
            Err(DecodeError::Panicked {
                path,
                message: crate::panic_message(payload),
            })
        })
    }

    fn seek_inner(&mut self, to: Duration) -> Result<Duration, DecodeError> {
        let target = match self.duration {
            Some(d) if to > d => d,
            _ => to,
        };
        let seeked = self
            .format
            .seek(
                SeekMode::Accurate,
                SeekTo::Time {
                    time: Time::from(target.as_secs_f64()),
                    track_id: Some(self.track_id),
                },
            )
            .map_err(|e| DecodeError::Broken {
                path: self.path.clone(),
                reason: format!("seek failed: {e}"),
            })?;
        self.decoder.reset();
        self.pending.clear();
        let time_base = self
            .format
            .tracks()
            .iter()
            .find(|t| t.id == self.track_id)
            .and_then(|t| t.codec_params.time_base);
        // Timestamps are in the track's time base; convert the distance to frames at the sample rate.
        let to_frames = |ts: u64| match time_base {
            Some(tb) => {
                let t = tb.calc_time(ts);
                ((t.seconds as f64 + t.frac) * self.sample_rate as f64).round() as u64
            }
            None => ts,
        };
        self.skip_frames =
            to_frames(seeked.required_ts).saturating_sub(to_frames(seeked.actual_ts));
        Ok(Duration::from_secs_f64(
            to_frames(seeked.required_ts) as f64 / self.sample_rate as f64,
        ))
    }

    /// Decodes the whole file. For tests, analysis and benchmarks.
    pub fn decode_all(path: &Path) -> Result<(Vec<f32>, u32, u16), DecodeError> {
        let mut decoder = Self::open(path)?;
        let mut samples = Vec::new();
        while decoder.next_chunk(&mut samples)? {}
        Ok((samples, decoder.sample_rate, decoder.channels))
    }
}

fn codec_name(codec: symphonia::core::codecs::CodecType) -> String {
    super::codecs()
        .get_codec(codec)
        .map(|d| d.short_name.to_owned())
        .unwrap_or_else(|| {
            use symphonia::core::codecs::*;
            match codec {
                CODEC_TYPE_OPUS => "opus".into(),
                CODEC_TYPE_WMA => "wma".into(),
                CODEC_TYPE_ATRAC3 => "atrac3".into(),
                other => format!("{other}"),
            }
        })
}
