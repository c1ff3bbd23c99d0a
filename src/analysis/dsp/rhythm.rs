//! Tempo (autocorrelation of a spectral-flux onset envelope, with a prior around 120 BPM) and metre
//! (whether the onset envelope repeats every three beats or every two/four).

use serde::{Deserialize, Serialize};

use super::{Framer, Spectrum};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TempoEstimate {
    pub bpm: f32,
    /// Height of the chosen autocorrelation peak relative to the envelope's energy (0–1).
    pub confidence: f32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetreEstimate {
    /// "3/4" for triple metre, "4/4" for duple or quadruple (the envelope cannot tell 2/4 from 4/4).
    pub metre: String,
    pub beats_per_bar: u8,
    /// |ln(triple evidence / duple evidence)|: 0 = undecided.
    pub confidence: f32,
}

/// Tempo and metre, both read from the onset envelope.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Rhythm {
    pub tempo: Option<TempoEstimate>,
    /// Only when the evidence is clear enough (see `METRE_MIN_CONFIDENCE`).
    pub metre: Option<MetreEstimate>,
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
