//! Audio decoding shared by playback, analysis and the scan's fallback probe.

pub mod bounds;
pub mod decode;
pub mod isolated;
mod opus;

use std::path::Path;
use std::time::Duration;

pub use decode::{DecodeError, TrackDecoder};
pub use isolated::IsolatedDecoder;

use crate::sandbox::WorkerCommand;

/// Where the player decodes: in a worker process per track (the app and the CLI, so that a hostile
/// file fails only its track), or in this process (tests of the player's own logic, benchmarks).
#[derive(Debug, Clone)]
pub enum Decoding {
    InProcess,
    Isolated(WorkerCommand),
}

/// A track being decoded for playback, wherever [`Decoding`] put it.
pub enum PlaybackDecoder {
    InProcess(TrackDecoder),
    Isolated(IsolatedDecoder),
}

impl PlaybackDecoder {
    pub fn open(path: &Path, decoding: &Decoding) -> Result<Self, DecodeError> {
        Ok(match decoding {
            Decoding::InProcess => Self::InProcess(TrackDecoder::open(path)?),
            Decoding::Isolated(command) => Self::Isolated(IsolatedDecoder::open(path, command)?),
        })
    }

    pub fn sample_rate(&self) -> u32 {
        match self {
            Self::InProcess(d) => d.sample_rate(),
            Self::Isolated(d) => d.sample_rate(),
        }
    }

    pub fn channels(&self) -> u16 {
        match self {
            Self::InProcess(d) => d.channels(),
            Self::Isolated(d) => d.channels(),
        }
    }

    pub fn duration(&self) -> Option<Duration> {
        match self {
            Self::InProcess(d) => d.duration(),
            Self::Isolated(d) => d.duration(),
        }
    }

    /// Appends the next packet's interleaved samples to `out`; `Ok(false)` at the end of the file.
    pub fn next_chunk(&mut self, out: &mut Vec<f32>) -> Result<bool, DecodeError> {
        match self {
            Self::InProcess(d) => d.next_chunk(out),
            Self::Isolated(d) => d.next_chunk(out),
        }
    }

    /// Seeks to `to` exactly; returns the position reached.
    pub fn seek(&mut self, to: Duration) -> Result<Duration, DecodeError> {
        match self {
            Self::InProcess(d) => d.seek(to),
            Self::Isolated(d) => d.seek(to),
        }
    }
}

/// symphonia's codecs plus the libopus-backed Opus decoder.
pub fn codecs() -> &'static symphonia::core::codecs::CodecRegistry {
    static REGISTRY: std::sync::OnceLock<symphonia::core::codecs::CodecRegistry> =
        std::sync::OnceLock::new();
    REGISTRY.get_or_init(|| {
        let mut registry = symphonia::core::codecs::CodecRegistry::new();
        symphonia::default::register_enabled_codecs(&mut registry);
        registry.register_all::<opus::OpusDecoder>();
        registry
    })
}
