//! DSP features from the decoded audio, computed while it streams past (memory does not grow with the
//! track's length): key and mode (chroma against Temperley's key profiles), tempo
//! (autocorrelation of a spectral-flux onset envelope, with a prior around 120 BPM) and metre (whether
//! the onset envelope repeats every three beats or every two/four).

use std::sync::Arc;

use realfft::{RealFftPlanner, RealToComplex};
use serde::Serialize;

const PITCH_CLASSES: [&str; 12] = [
    "C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B",
];
/// Temperley's (1999) key profiles from the Kostka–Payne corpus, tonic first. On the MIDI fixtures
/// (MIREX weighted): Krumhansl–Kessler 0.680, Albrecht–Shanahan 0.834, Temperley 0.839.
const MAJOR_PROFILE: [f32; 12] = [5.0, 2.0, 3.5, 2.0, 4.5, 4.0, 2.0, 4.5, 2.0, 3.5, 1.5, 4.0];
const MINOR_PROFILE: [f32; 12] = [5.0, 2.0, 3.5, 4.5, 2.0, 4.0, 2.0, 4.5, 3.5, 2.0, 1.5, 4.0];

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeyEstimate {
    /// e.g. "G major", "Eb minor".
    pub key: String,
    /// Pitch class of the tonic, C = 0.
    pub tonic: u8,
    pub minor: bool,
    /// Correlation of the best key profile minus the second best (0 = undecided).
    pub confidence: f32,
}

impl KeyEstimate {
    /// The key's place on the Camelot wheel as DJs write it: "8B" is C major, "8A" A minor; keys one
    /// step apart share all but one note.
    pub fn camelot(&self) -> String {
        camelot_code(camelot_order(self.tonic, self.minor))
    }
}

/// Sort order on the Camelot wheel: 2·number + 1 for major (1A = 2, 1B = 3, …, 12B = 25).
pub fn camelot_order(tonic: u8, minor: bool) -> i64 {
    // Minor keys sit with their relative major (three semitones up); C major is 8B and each step round
    // the wheel is a fifth (7 semitones).
    let major_tonic = if minor { (tonic + 3) % 12 } else { tonic } as i64;
    let number = match (major_tonic * 7 + 8) % 12 {
        0 => 12,
        n => n,
    };
    2 * number + i64::from(!minor)
}

/// "8B" from [`camelot_order`].
pub fn camelot_code(order: i64) -> String {
    format!("{}{}", order / 2, if order % 2 == 1 { 'B' } else { 'A' })
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TempoEstimate {
    pub bpm: f32,
    /// Height of the chosen autocorrelation peak relative to the envelope's energy (0–1).
    pub confidence: f32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetreEstimate {
    /// "3/4" for triple metre, "4/4" for duple or quadruple (the envelope cannot tell 2/4 from 4/4).
    pub metre: String,
    pub beats_per_bar: u8,
    /// |ln(triple evidence / duple evidence)|: 0 = undecided.
    pub confidence: f32,
}

/// Tempo and metre, both read from the onset envelope.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Rhythm {
    pub tempo: Option<TempoEstimate>,
    /// Only when the evidence is clear enough (see `METRE_MIN_CONFIDENCE`).
    pub metre: Option<MetreEstimate>,
}

/// Cuts a stream of samples into frames of `size` samples every `hop` samples, keeping only the tail
/// that the next frame still needs.
struct Framer {
    size: usize,
    hop: usize,
    buffer: Vec<f32>,
}

impl Framer {
    fn new(size: usize, hop: usize) -> Self {
        Self {
            size,
            hop,
            buffer: Vec::with_capacity(size * 2),
        }
    }

    fn push(&mut self, samples: &[f32], mut each: impl FnMut(&[f32])) {
        self.buffer.extend_from_slice(samples);
        let mut start = 0;
        while self.buffer.len() - start >= self.size {
            each(&self.buffer[start..start + self.size]);
            start += self.hop;
        }
        self.buffer.drain(..start.min(self.buffer.len()));
    }
}

/// Hann-windowed magnitude spectrum of one frame.
struct Spectrum {
    fft: Arc<dyn RealToComplex<f32>>,
    window: Vec<f32>,
    input: Vec<f32>,
    output: Vec<realfft::num_complex::Complex<f32>>,
    magnitudes: Vec<f32>,
}

impl Spectrum {
    fn new(n_fft: usize) -> Self {
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

    fn of(&mut self, frame: &[f32]) -> &[f32] {
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

fn correlation(a: &[f32; 12], b: &[f32; 12]) -> f32 {
    let (ma, mb) = (a.iter().sum::<f32>() / 12.0, b.iter().sum::<f32>() / 12.0);
    let (mut num, mut da, mut db) = (0.0, 0.0, 0.0);
    for i in 0..12 {
        num += (a[i] - ma) * (b[i] - mb);
        da += (a[i] - ma).powi(2);
        db += (b[i] - mb).powi(2);
    }
    if da == 0.0 || db == 0.0 {
        0.0
    } else {
        num / (da * db).sqrt()
    }
}

/// Key and mode, accumulated over a stream of mono samples.
pub struct KeyEstimator {
    framer: Framer,
    spectrum: Spectrum,
    /// Pitch class of each FFT bin between 55 Hz and 1 kHz.
    classes: Vec<Option<usize>>,
    chroma: [f32; 12],
    frames: usize,
}

impl KeyEstimator {
    const N_FFT: usize = 8192;

    pub fn new(rate: u32) -> Self {
        let bin_hz = rate as f32 / Self::N_FFT as f32;
        let classes = (0..Self::N_FFT / 2 + 1)
            .map(|k| {
                let f = k as f32 * bin_hz;
                (55.0..1000.0).contains(&f).then(|| {
                    let midi = 69.0 + 12.0 * (f / 440.0).log2();
                    (midi.round() as i64).rem_euclid(12) as usize
                })
            })
            .collect();
        Self {
            framer: Framer::new(Self::N_FFT, Self::N_FFT / 2),
            spectrum: Spectrum::new(Self::N_FFT),
            classes,
            chroma: [0.0; 12],
            frames: 0,
        }
    }

    pub fn push(&mut self, mono: &[f32]) {
        let Self {
            framer,
            spectrum,
            classes,
            chroma,
            frames,
        } = self;
        // Weighted by power: overtones pull towards the dominant (a note's third harmonic is its
        // fifth); log magnitudes up to 5 kHz scored 0.37 (MIREX) on the MIDI fixtures, linear to 1 kHz
        // 0.52, power to 1 kHz 0.68.
        framer.push(mono, |frame| {
            *frames += 1;
            for (m, class) in spectrum.of(frame).iter().zip(classes.iter()) {
                if let Some(c) = class {
                    chroma[*c] += m * m;
                }
            }
        });
    }

    pub fn finish(self) -> Option<KeyEstimate> {
        let chroma = self.chroma;
        if self.frames == 0 || chroma.iter().all(|&c| c == 0.0) {
            return None;
        }
        let mut scores: Vec<(f32, usize, bool)> = Vec::with_capacity(24);
        for tonic in 0..12 {
            for (minor, profile) in [(false, &MAJOR_PROFILE), (true, &MINOR_PROFILE)] {
                let mut rotated = [0f32; 12];
                for i in 0..12 {
                    rotated[(tonic + i) % 12] = profile[i];
                }
                scores.push((correlation(&chroma, &rotated), tonic, minor));
            }
        }
        scores.sort_by(|a, b| b.0.total_cmp(&a.0));
        let (best, tonic, minor) = scores[0];
        Some(KeyEstimate {
            key: format!(
                "{} {}",
                PITCH_CLASSES[tonic],
                if minor { "minor" } else { "major" }
            ),
            tonic: tonic as u8,
            minor,
            confidence: best - scores[1].0,
        })
    }
}

/// Key and mode of mono audio at `rate`.
pub fn estimate_key(mono: &[f32], rate: u32) -> Option<KeyEstimate> {
    let mut estimator = KeyEstimator::new(rate);
    estimator.push(mono);
    estimator.finish()
}

/// Below this, metre is not reported (tuned on the MIDI fixtures, see BENCHMARKS.md).
pub const METRE_MIN_CONFIDENCE: f32 = 0.1;

/// Tempo and metre, from a spectral-flux onset envelope accumulated over a stream of mono samples
/// (86 values per second at 44.1 kHz).
pub struct RhythmEstimator {
    rate: u32,
    framer: Framer,
    spectrum: Spectrum,
    previous: Vec<f32>,
    onset: Vec<f32>,
}

impl RhythmEstimator {
    const N_FFT: usize = 2048;
    const HOP: usize = 512;

    pub fn new(rate: u32) -> Self {
        Self {
            rate,
            framer: Framer::new(Self::N_FFT, Self::HOP),
            spectrum: Spectrum::new(Self::N_FFT),
            previous: Vec::new(),
            onset: Vec::new(),
        }
    }

    pub fn push(&mut self, mono: &[f32]) {
        let Self {
            framer,
            spectrum,
            previous,
            onset,
            ..
        } = self;
        // Spectral flux of log magnitudes: how much new energy each frame brings.
        framer.push(mono, |frame| {
            let mags = spectrum.of(frame);
            if previous.is_empty() {
                previous.extend(mags.iter().map(|m| (1.0 + 1000.0 * m).ln()));
                return;
            }
            let mut flux = 0.0;
            for (m, prev) in mags.iter().zip(previous.iter_mut()) {
                let log = (1.0 + 1000.0 * m).ln();
                flux += (log - *prev).max(0.0);
                *prev = log;
            }
            onset.push(flux);
        });
    }

    pub fn finish(self) -> Rhythm {
        let onset = self.onset;
        if onset.len() < 64 {
            return Rhythm::default();
        }
        // Remove the slow trend (a moving average) so sustained loudness does not count as beats.
        let window = 16;
        let detrended: Vec<f32> = (0..onset.len())
            .map(|i| {
                let lo = i.saturating_sub(window);
                let hi = (i + window + 1).min(onset.len());
                let mean = onset[lo..hi].iter().sum::<f32>() / (hi - lo) as f32;
                (onset[i] - mean).max(0.0)
            })
            .collect();
        let frame_rate = self.rate as f32 / Self::HOP as f32;
        let energy: f32 = detrended.iter().map(|x| x * x).sum();
        if energy == 0.0 {
            return Rhythm::default();
        }
        let acf = |lag: usize| -> f32 {
            if lag >= detrended.len() {
                return 0.0;
            }
            detrended
                .iter()
                .zip(&detrended[lag..])
                .map(|(a, b)| a * b)
                .sum::<f32>()
                / energy
        };
        let lag_for = |bpm: f32| (60.0 * frame_rate / bpm).round() as usize;
        let (min_lag, max_lag) = (
            lag_for(240.0).max(1),
            lag_for(40.0).min(detrended.len() - 1),
        );
        let mut best: Option<(f32, f32, f32)> = None; // (weighted score, bpm, raw)
        for lag in min_lag..=max_lag {
            let raw = acf(lag);
            let bpm = 60.0 * frame_rate / lag as f32;
            // Listeners' tempo prior: log-normal around 120 BPM, one octave wide.
            let octaves = (bpm / 120.0).log2();
            let weighted = raw * (-0.5 * (octaves / 1.0).powi(2)).exp();
            if best.is_none_or(|(w, _, _)| weighted > w) {
                best = Some((weighted, bpm, raw));
            }
        }
        let Some((_, bpm, raw)) = best else {
            return Rhythm::default();
        };
        // The beat period to a fraction of a frame (parabola through the peak and its neighbours), so
        // that multiples of it still land on the bar-length peaks.
        let lag = 60.0 * frame_rate / bpm;
        let (l, c, r) = (
            acf((lag as usize).saturating_sub(1)),
            raw,
            acf(lag as usize + 1),
        );
        let curvature = l - 2.0 * c + r;
        let beat = if curvature < 0.0 {
            lag + (0.5 * (l - r) / curvature).clamp(-0.5, 0.5)
        } else {
            lag
        };
        Rhythm {
            tempo: Some(TempoEstimate {
                bpm,
                confidence: raw.clamp(0.0, 1.0),
            }),
            metre: estimate_metre(beat, acf),
        }
    }
}

/// Triple or duple metre from how strongly the onset envelope repeats at bar lengths: every 3 and 9
/// beats (not multiples of 2) against every 4 and 8 beats. A peak may sit a frame or 2 % off the
/// rounded lag.
fn estimate_metre(beat: f32, acf: impl Fn(usize) -> f32) -> Option<MetreEstimate> {
    let peak = |beats: f32| {
        let lag = (beat * beats).round() as usize;
        let slack = (lag / 50).max(1);
        (lag.saturating_sub(slack)..=lag + slack)
            .map(&acf)
            .fold(0f32, f32::max)
    };
    let triple = peak(3.0) + peak(9.0);
    let duple = peak(4.0) + peak(8.0);
    if triple <= 0.0 || duple <= 0.0 {
        return None;
    }
    let ratio = (triple / duple).ln();
    (ratio.abs() >= METRE_MIN_CONFIDENCE).then(|| {
        let beats_per_bar = if ratio > 0.0 { 3 } else { 4 };
        MetreEstimate {
            metre: format!("{beats_per_bar}/4"),
            beats_per_bar,
            confidence: ratio.abs(),
        }
    })
}

/// Tempo (between 40 and 240 BPM) and metre of mono audio at `rate`.
pub fn estimate_rhythm(mono: &[f32], rate: u32) -> Rhythm {
    let mut estimator = RhythmEstimator::new(rate);
    estimator.push(mono);
    estimator.finish()
}

/// Tempo of mono audio at `rate`, between 40 and 240 BPM.
pub fn estimate_tempo(mono: &[f32], rate: u32) -> Option<TempoEstimate> {
    estimate_rhythm(mono, rate).tempo
}
#[cfg(test)]
mod tests {
    use super::*;

    fn tone(freqs: &[f32], rate: u32, seconds: f32) -> Vec<f32> {
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
    fn a_major_triad_scale_reads_as_its_key() {
        // G major scale tones, tonic and fifth weighted.
        let g = [
            196.0, 220.0, 246.94, 261.63, 293.66, 329.63, 369.99, 392.0, 392.0, 293.66,
        ];
        let key = estimate_key(&tone(&g, 22_050, 4.0), 22_050).unwrap();
        assert_eq!(key.key, "G major", "{key:?}");
    }

    #[test]
    fn camelot_codes_follow_the_wheel() {
        let code = |tonic, minor| camelot_code(camelot_order(tonic, minor));
        assert_eq!(code(0, false), "8B"); // C major
        assert_eq!(code(9, true), "8A"); // A minor
        assert_eq!(code(7, false), "9B"); // G major
        assert_eq!(code(11, false), "1B"); // B major
        assert_eq!(code(8, true), "1A"); // Ab minor
        assert_eq!(code(4, false), "12B"); // E major
        assert!(camelot_order(8, true) < camelot_order(11, false));
    }

    #[test]
    fn clicks_at_100_bpm_read_as_100_bpm() {
        let rate = 22_050;
        let mut clicks = vec![0f32; rate as usize * 20];
        let period = (rate as f32 * 60.0 / 100.0) as usize;
        for start in (0..clicks.len()).step_by(period) {
            for (i, s) in clicks[start..].iter_mut().take(200).enumerate() {
                *s = (1.0 - i as f32 / 200.0) * if i % 2 == 0 { 1.0 } else { -1.0 };
            }
        }
        let tempo = estimate_tempo(&clicks, rate).unwrap();
        assert!((tempo.bpm - 100.0).abs() < 2.0, "{tempo:?}");
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
    fn accents_every_third_beat_read_as_triple_metre_and_every_fourth_as_quadruple() {
        let rate = 22_050;
        let waltz = |beats_per_bar: usize| {
            let period = rate as usize / 2; // 120 BPM
            let mut audio = vec![0f32; period * 96];
            for (beat, start) in (0..audio.len()).step_by(period).enumerate() {
                let gain = if beat % beats_per_bar == 0 { 1.0 } else { 0.01 };
                for (i, s) in audio[start..].iter_mut().take(400).enumerate() {
                    *s = gain * (1.0 - i as f32 / 400.0) * if i % 2 == 0 { 1.0 } else { -1.0 };
                }
            }
            estimate_rhythm(&audio, rate).metre.map(|m| m.beats_per_bar)
        };
        assert_eq!(waltz(3), Some(3));
        assert_eq!(waltz(4), Some(4));
    }
}
