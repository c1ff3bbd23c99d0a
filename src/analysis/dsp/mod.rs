//! DSP features from the decoded audio, computed while it streams past (what is kept grows by a few
//! dozen bytes per second of audio, never with the samples): key and mode (`key`: a harmonic
//! pitch-class profile against blended key profiles), tempo, beats and metre (`rhythm`: an onset
//! envelope, its autocorrelation, beat tracking and bar grouping). This module holds what both share:
//! framing and the magnitude spectrum.

mod key;
mod rhythm;

use std::sync::Arc;

use realfft::{RealFftPlanner, RealToComplex};

pub use key::{estimate_key, KeyEstimate, KeyEstimator, KeyOptions, KeyProfile};
pub use rhythm::{
    estimate_rhythm, estimate_tempo, MetreEstimate, Rhythm, RhythmEstimator, TempoEstimate,
    METRE_MIN_CONFIDENCE,
};

/// Cuts a stream of samples into frames of `size` samples every `hop` samples, keeping only the tail
/// that the next frame still needs.
pub(super) struct Framer {
    size: usize,
    hop: usize,
    buffer: Vec<f32>,
}

impl Framer {
    pub(super) fn new(size: usize, hop: usize) -> Self {
        Self {
            size,
            hop,
            buffer: Vec::with_capacity(size * 2),
        }
    }

    pub(super) fn push(&mut self, samples: &[f32], mut each: impl FnMut(&[f32])) {
        self.buffer.extend_from_slice(samples);
        let mut start = 0;
        while self.buffer.len() - start >= self.size {
            each(&self.buffer[start..start + self.size]);
            start += self.hop;
        }
        self.buffer.drain(..start.min(self.buffer.len()));
    }
}

/// z-scores of `x` (all 0 when it is constant).
pub(super) fn standardise(x: &[f32]) -> Vec<f32> {
    let n = x.len().max(1) as f32;
    let mean = x.iter().sum::<f32>() / n;
    let sd = (x.iter().map(|v| (v - mean).powi(2)).sum::<f32>() / n).sqrt();
    x.iter()
        .map(|v| if sd > 1e-9 { (v - mean) / sd } else { 0.0 })
        .collect()
}

/// Hann-windowed magnitude spectrum of one frame.
pub(super) struct Spectrum {
    fft: Arc<dyn RealToComplex<f32>>,
    window: Vec<f32>,
    input: Vec<f32>,
    output: Vec<realfft::num_complex::Complex<f32>>,
    magnitudes: Vec<f32>,
}

impl Spectrum {
    pub(super) fn new(n_fft: usize) -> Self {
        let fft = RealFftPlanner::<f32>::new().plan_fft_forward(n_fft);
        let window = (0..n_fft)
            .map(|n| 0.5 - 0.5 * (2.0 * std::f32::consts::PI * n as f32 / n_fft as f32).cos())
            .collect();
        let (input, output) = (fft.make_input_vec(), fft.make_output_vec());
        let magnitudes = vec![0f32; output.len()];
        Self {
            fft,
            window,
            input,
            output,
            magnitudes,
        }
    }

    pub(super) fn of(&mut self, frame: &[f32]) -> &[f32] {
        for ((slot, sample), w) in self.input.iter_mut().zip(frame).zip(&self.window) {
            *slot = sample * w;
        }
        // The buffers have the planner's exact sizes, so this cannot fail.
        let _ = self.fft.process(&mut self.input, &mut self.output);
        for (m, c) in self.magnitudes.iter_mut().zip(&self.output) {
            *m = c.norm();
        }
        &self.magnitudes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn tone(freqs: &[f32], rate: u32, seconds: f32) -> Vec<f32> {
        (0..(rate as f32 * seconds) as usize)
            .map(|n| {
                freqs
                    .iter()
                    .map(|f| (2.0 * std::f32::consts::PI * f * n as f32 / rate as f32).sin())
                    .sum::<f32>()
                    / freqs.len() as f32
            })
            .collect()
    }

    #[test]
    fn streaming_in_small_chunks_gives_the_same_estimates_as_one_buffer() {
        let rate = 22_050;
        let audio: Vec<f32> = (0..rate as usize * 12)
            .map(|n| {
                let t = n as f32 / rate as f32;
                let beat = (t * 2.0).fract(); // 120 BPM bursts of a 330 Hz tone
                (2.0 * std::f32::consts::PI * 330.0 * t).sin() * (-20.0 * beat).exp()
            })
            .collect();
        let (mut key, mut rhythm) = (KeyEstimator::new(rate), RhythmEstimator::new(rate));
        for chunk in audio.chunks(1000) {
            key.push(chunk);
            rhythm.push(chunk);
        }
        assert_eq!(key.finish(), estimate_key(&audio, rate));
        let streamed = rhythm.finish();
        assert_eq!(streamed, estimate_rhythm(&audio, rate));
        let bpm = streamed.tempo.unwrap().bpm;
        assert!((bpm - 120.0).abs() < 3.0, "{bpm}");
    }

    #[test]
    fn any_sample_rate_a_header_claims_gives_an_answer_or_none_but_never_a_panic() {
        for rate in [1, 50, 400, 8_000, 384_000] {
            let audio = tone(&[220.0, 330.0], rate.max(8_000), 3.0);
            let (mut key, mut rhythm) = (KeyEstimator::new(rate), RhythmEstimator::new(rate));
            key.push(&audio);
            rhythm.push(&audio);
            let _ = (key.finish(), rhythm.finish());
        }
    }
}
