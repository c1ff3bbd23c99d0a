//! Audio decoding shared by playback, analysis and the scan's fallback probe.

pub mod bounds;
pub mod decode;
mod opus;

pub use decode::{DecodeError, TrackDecoder};

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
