//! Audio decoding shared by playback and (later) analysis.

pub mod decode;

pub use decode::{DecodeError, TrackDecoder};
