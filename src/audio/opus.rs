//! An Opus decoder for symphonia, backed by the system's libopus (Debian `libopus-dev`): symphonia
//! demuxes Ogg and WebM/Matroska Opus but has no Opus decoder of its own.

use std::ffi::c_int;
use std::ptr::NonNull;

use symphonia::core::audio::{
    AsAudioBufferRef, AudioBuffer, AudioBufferRef, Channels, Signal, SignalSpec,
};
use symphonia::core::codecs::{
    CodecDescriptor, CodecParameters, Decoder, DecoderOptions, FinalizeResult, CODEC_TYPE_OPUS,
};
use symphonia::core::errors::{decode_error, unsupported_error, Result};
use symphonia::core::formats::Packet;
use symphonia::core::support_codec;

/// Opus always decodes at 48 kHz.
const RATE: u32 = 48_000;
/// The longest Opus packet: 120 ms.
const MAX_FRAMES: usize = 5_760;

/// libopus decoder state, freed on drop.
struct State(NonNull<opusic_sys::OpusDecoder>);

// The state is plain memory owned by this value and only used through `&mut self`.
unsafe impl Send for State {}
unsafe impl Sync for State {}

impl Drop for State {
    fn drop(&mut self) {
        // SAFETY: created by opus_decoder_create and freed exactly once.
        unsafe { opusic_sys::opus_decoder_destroy(self.0.as_ptr()) }
    }
}

pub struct OpusDecoder {
    params: CodecParameters,
    state: State,
    channels: usize,
    interleaved: Vec<f32>,
    buffer: AudioBuffer<f32>,
}

impl OpusDecoder {
    fn create(channels: usize) -> Result<State> {
        let mut error: c_int = 0;
        // SAFETY: plain constructor; the error code is written to `error`.
        let raw =
            unsafe { opusic_sys::opus_decoder_create(RATE as i32, channels as c_int, &mut error) };
        match NonNull::new(raw) {
            Some(ptr) if error == opusic_sys::OPUS_OK => Ok(State(ptr)),
            _ => decode_error("opus: cannot create a decoder"),
        }
    }
}

impl Decoder for OpusDecoder {
    fn try_new(params: &CodecParameters, _options: &DecoderOptions) -> Result<Self> {
        // OpusHead (Ogg identification header / Matroska CodecPrivate): byte 9 is the channel count.
        let channels = params
            .channels
            .map(|c| c.count())
            .or_else(|| {
                params
                    .extra_data
                    .as_ref()
                    .and_then(|head| head.get(9))
                    .map(|&c| c as usize)
            })
            .unwrap_or(2);
        let layout = match channels {
            1 => Channels::FRONT_LEFT,
            2 => Channels::FRONT_LEFT | Channels::FRONT_RIGHT,
            _ => {
                return unsupported_error(
                    "opus: more than two channels (multistream) is not supported",
                )
            }
        };
        let state = Self::create(channels)?;
        let mut params = params.clone();
        params.with_sample_rate(RATE).with_channels(layout);
        Ok(Self {
            params,
            state,
            channels,
            interleaved: vec![0.0; MAX_FRAMES * channels],
            buffer: AudioBuffer::new(MAX_FRAMES as u64, SignalSpec::new(RATE, layout)),
        })
    }

    fn supported_codecs() -> &'static [CodecDescriptor] {
        &[support_codec!(CODEC_TYPE_OPUS, "opus", "Opus (libopus)")]
    }

    fn reset(&mut self) {
        if let Ok(state) = Self::create(self.channels) {
            self.state = state;
        }
    }

    fn codec_params(&self) -> &CodecParameters {
        &self.params
    }

    fn decode(&mut self, packet: &Packet) -> Result<AudioBufferRef<'_>> {
        let data = packet.buf();
        // SAFETY: `interleaved` holds MAX_FRAMES frames of `channels` samples, as passed.
        let frames = unsafe {
            opusic_sys::opus_decode_float(
                self.state.0.as_ptr(),
                data.as_ptr(),
                data.len() as i32,
                self.interleaved.as_mut_ptr(),
                MAX_FRAMES as c_int,
                0,
            )
        };
        if frames < 0 {
            return decode_error("opus: invalid packet");
        }
        let frames = frames as usize;
        self.buffer.clear();
        self.buffer.render_reserved(Some(frames));
        for channel in 0..self.channels {
            let plane = self.buffer.chan_mut(channel);
            for (frame, sample) in plane.iter_mut().enumerate() {
                *sample = self.interleaved[frame * self.channels + channel];
            }
        }
        // Encoder delay (pre-skip) and end padding, as the demuxer reports them.
        self.buffer
            .trim(packet.trim_start() as usize, packet.trim_end() as usize);
        Ok(self.buffer.as_audio_buffer_ref())
    }

    fn finalize(&mut self) -> FinalizeResult {
        FinalizeResult::default()
    }

    fn last_decoded(&self) -> AudioBufferRef<'_> {
        self.buffer.as_audio_buffer_ref()
    }
}
