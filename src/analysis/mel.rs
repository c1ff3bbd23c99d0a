//! The log-mel spectrogram musicnn was trained on, computed exactly as its preprocessing does
//! (librosa 0.10 defaults): 16 kHz mono, STFT with n_fft 512 and hop 256, periodic Hann window,
//! centred with 256 zeros each side, power spectrum over 257 bins, 96 Slaney-scale mel bands from 0 to
//! 8000 Hz with Slaney area normalisation, then `log10(10000·x + 1)`.

use std::sync::Arc;

use realfft::{RealFftPlanner, RealToComplex};

pub const SAMPLE_RATE: u32 = 16_000;
pub const N_FFT: usize = 512;
pub const HOP: usize = 256;
pub const N_MELS: usize = 96;
/// Frames in one 3 s model input patch.
pub const PATCH_FRAMES: usize = 187;

/// One mel band: the first FFT bin it covers and the weights from there on.
struct Band {
    first_bin: usize,
    weights: Vec<f32>,
}

pub struct MelFrontEnd {
    window: Vec<f32>,
    bands: Vec<Band>,
    fft: Arc<dyn RealToComplex<f32>>,
}

impl Default for MelFrontEnd {
    fn default() -> Self {
        Self::new()
    }
}

/// Slaney's mel scale (librosa's default, `htk=False`): linear below 1 kHz, logarithmic above.
fn hz_to_mel(hz: f64) -> f64 {
    const F_SP: f64 = 200.0 / 3.0;
    let log_step = 6.4f64.ln() / 27.0;
    if hz < 1000.0 {
        hz / F_SP
    } else {
        15.0 + (hz / 1000.0).ln() / log_step
    }
}

fn mel_to_hz(mel: f64) -> f64 {
    const F_SP: f64 = 200.0 / 3.0;
    let log_step = 6.4f64.ln() / 27.0;
    if mel < 15.0 {
        mel * F_SP
    } else {
        1000.0 * (log_step * (mel - 15.0)).exp()
    }
}

impl MelFrontEnd {
    pub fn new() -> Self {
        // Periodic Hann (scipy's get_window('hann', N, fftbins=True)).
        let window = (0..N_FFT)
            .map(|n| {
                (0.5 - 0.5 * (2.0 * std::f64::consts::PI * n as f64 / N_FFT as f64).cos()) as f32
            })
            .collect();
        let bins = N_FFT / 2 + 1;
        let fft_freqs: Vec<f64> = (0..bins)
            .map(|k| k as f64 * SAMPLE_RATE as f64 / N_FFT as f64)
            .collect();
        let (mel_min, mel_max) = (hz_to_mel(0.0), hz_to_mel(SAMPLE_RATE as f64 / 2.0));
        let edges: Vec<f64> = (0..N_MELS + 2)
            .map(|i| mel_to_hz(mel_min + (mel_max - mel_min) * i as f64 / (N_MELS + 1) as f64))
            .collect();
        let bands = (0..N_MELS)
            .map(|m| {
                let (lo, centre, hi) = (edges[m], edges[m + 1], edges[m + 2]);
                let norm = 2.0 / (hi - lo); // Slaney: constant energy per band
                let weights: Vec<(usize, f32)> = fft_freqs
                    .iter()
                    .enumerate()
                    .map(|(k, &f)| {
                        let rising = (f - lo) / (centre - lo);
                        let falling = (hi - f) / (hi - centre);
                        (k, (rising.min(falling).max(0.0) * norm) as f32)
                    })
                    .filter(|&(_, w)| w > 0.0)
                    .collect();
                Band {
                    first_bin: weights.first().map(|&(k, _)| k).unwrap_or(0),
                    weights: weights.into_iter().map(|(_, w)| w).collect(),
                }
            })
            .collect();
        let fft = RealFftPlanner::<f32>::new().plan_fft_forward(N_FFT);
        Self { window, bands, fft }
    }

    /// Frames of the log-mel spectrogram of 16 kHz mono `samples`: `1 + len / 256` frames of 96 values.
    pub fn log_mel(&self, samples: &[f32]) -> Vec<[f32; N_MELS]> {
        let mut stream = MelStream::new(self);
        let mut out = Vec::with_capacity(1 + samples.len() / HOP);
        stream.push(samples, |row| out.push(*row));
        stream.finish(|row| out.push(*row));
        out
    }

    /// The log-mel row of one 512-sample frame.
    fn row(&self, frame: &[f32], buffers: &mut FftBuffers) -> [f32; N_MELS] {
        for ((slot, sample), w) in buffers.input.iter_mut().zip(frame).zip(&self.window) {
            *slot = sample * w;
        }
        // The buffers have the planner's exact sizes, so this cannot fail.
        let _ = self.fft.process_with_scratch(
            &mut buffers.input,
            &mut buffers.spectrum,
            &mut buffers.scratch,
        );
        for (p, c) in buffers.power.iter_mut().zip(&buffers.spectrum) {
            *p = c.norm_sqr();
        }
        let mut row = [0f32; N_MELS];
        for (value, band) in row.iter_mut().zip(&self.bands) {
            let energy: f32 = band
                .weights
                .iter()
                .zip(&buffers.power[band.first_bin..])
                .map(|(w, p)| w * p)
                .sum();
            *value = (10_000.0 * energy + 1.0).log10();
        }
        row
    }

    /// Non-overlapping 3 s patches (187 frames each) for the model; a tail shorter than a patch is dropped
    /// unless it is the only one, which is zero-padded.
    pub fn patches(frames: &[[f32; N_MELS]]) -> Vec<Vec<[f32; N_MELS]>> {
        if frames.is_empty() {
            return Vec::new();
        }
        if frames.len() < PATCH_FRAMES {
            let mut only = frames.to_vec();
            only.resize(PATCH_FRAMES, [0.0; N_MELS]);
            return vec![only];
        }
        frames
            .chunks_exact(PATCH_FRAMES)
            .map(|chunk| chunk.to_vec())
            .collect()
    }
}

struct FftBuffers {
    input: Vec<f32>,
    spectrum: Vec<realfft::num_complex::Complex<f32>>,
    scratch: Vec<realfft::num_complex::Complex<f32>>,
    power: Vec<f32>,
}

/// The log-mel spectrogram of a stream of 16 kHz samples, row by row, identical to
/// [`MelFrontEnd::log_mel`] over the whole stream; holds less than one frame of audio.
pub struct MelStream<'a> {
    front: &'a MelFrontEnd,
    buffers: FftBuffers,
    /// The centred signal (256 leading zeros, then the samples) not yet behind every next frame.
    pending: Vec<f32>,
    samples: usize,
    rows: usize,
}

impl<'a> MelStream<'a> {
    pub fn new(front: &'a MelFrontEnd) -> Self {
        let buffers = FftBuffers {
            input: front.fft.make_input_vec(),
            spectrum: front.fft.make_output_vec(),
            scratch: front.fft.make_scratch_vec(),
            power: vec![0f32; N_FFT / 2 + 1],
        };
        Self {
            front,
            buffers,
            pending: vec![0.0; N_FFT / 2],
            samples: 0,
            rows: 0,
        }
    }

    fn emit(&mut self, limit: usize, each: &mut impl FnMut(&[f32; N_MELS])) {
        let mut start = 0;
        while self.pending.len() - start >= N_FFT && self.rows < limit {
            let row = self
                .front
                .row(&self.pending[start..start + N_FFT], &mut self.buffers);
            each(&row);
            self.rows += 1;
            start += HOP;
        }
        self.pending.drain(..start);
    }

    pub fn push(&mut self, samples: &[f32], mut each: impl FnMut(&[f32; N_MELS])) {
        self.samples += samples.len();
        self.pending.extend_from_slice(samples);
        self.emit(usize::MAX, &mut each);
    }

    /// The last rows, over the trailing 256 zeros: `1 + samples / 256` rows in all.
    pub fn finish(mut self, mut each: impl FnMut(&[f32; N_MELS])) {
        self.pending.resize(self.pending.len() + N_FFT / 2, 0.0);
        let total = 1 + self.samples / HOP;
        self.emit(total, &mut each);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slaney_scale_round_trips_and_is_linear_below_1khz() {
        for hz in [0.0, 200.0, 999.0, 1000.0, 4000.0, 8000.0] {
            assert!((mel_to_hz(hz_to_mel(hz)) - hz).abs() < 1e-6);
        }
        assert!((hz_to_mel(500.0) - 7.5).abs() < 1e-9);
        assert!((hz_to_mel(1000.0) - 15.0).abs() < 1e-9);
    }

    #[test]
    fn streaming_in_odd_chunks_gives_the_same_rows_as_one_buffer() {
        let front = MelFrontEnd::new();
        let noise: Vec<f32> = (0..20_000u32)
            .map(|n| ((n.wrapping_mul(2_654_435_761) >> 8) as f32 / 8_388_608.0) - 1.0)
            .collect();
        let whole = front.log_mel(&noise);
        assert_eq!(whole.len(), 1 + noise.len() / HOP);
        let mut stream = MelStream::new(&front);
        let mut rows = Vec::new();
        for chunk in noise.chunks(777) {
            stream.push(chunk, |row| rows.push(*row));
        }
        stream.finish(|row| rows.push(*row));
        assert_eq!(rows, whole);
        assert_eq!(front.log_mel(&[]).len(), 1);
    }

    #[test]
    fn a_tone_lights_the_band_around_its_frequency() {
        let front = MelFrontEnd::new();
        let tone: Vec<f32> = (0..16_000)
            .map(|n| (2.0 * std::f32::consts::PI * 440.0 * n as f32 / 16_000.0).sin())
            .collect();
        let frames = front.log_mel(&tone);
        assert_eq!(frames.len(), 1 + 16_000 / HOP);
        let middle = frames[30];
        let loudest = (0..N_MELS)
            .max_by(|&a, &b| middle[a].total_cmp(&middle[b]))
            .unwrap();
        // 440 Hz is mel 6.6: between the 6th and 7th band edges of 96 bands over 0–8 kHz.
        let centre_hz = mel_to_hz((loudest + 1) as f64 * hz_to_mel(8000.0) / 97.0);
        assert!(
            (centre_hz - 440.0).abs() < 60.0,
            "band {loudest} at {centre_hz} Hz"
        );
    }
}
