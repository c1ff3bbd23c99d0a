//! Key and mode from a harmonic pitch-class profile (HPCP-like) accumulated over the stream, matched
//! against key profiles; also as a place on the Camelot wheel.
//!
//! Per frame, only spectral peaks count (drums and noise are broadband and give few stable peaks), each
//! at its interpolated frequency, credited to the pitch it may be the fundamental of and to the pitches
//! it may be the 2nd–4th harmonic of (decaying weights), on a 10-cent grid. Every frame is normalised
//! before it is added, so loud passages and hits do not outvote the rest. At the end the tuning is read
//! from where the energy sits within the semitone, the grid is folded into 12 classes around it, and the
//! classes are correlated with rotated key profiles.

use serde::{Deserialize, Serialize};

use super::{standardise, Framer, Spectrum};
use crate::camelot::Camelot;

const PITCH_CLASSES: [&str; 12] = [
    "C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B",
];
/// Cents per cell of the fine pitch-class grid.
const CELL_CENTS: usize = 10;
const CELLS: usize = 1200 / CELL_CENTS;

/// Published major and minor key profiles, tonic first.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyProfile {
    /// Krumhansl & Kessler (1982), probe-tone ratings.
    Krumhansl,
    /// Temperley (1999), from the Kostka–Payne corpus.
    Temperley,
    /// Albrecht & Shanahan (2013), from a corpus of classical pieces.
    AlbrechtShanahan,
    /// Shaath (2011), Krumhansl's tuned to popular and electronic music.
    Shaath,
    /// Faraldo et al. (2016) "edma", from a corpus of electronic dance music.
    Edma,
    /// The mean of the standardised profiles above but Krumhansl–Kessler's: classical, popular and
    /// electronic corpora together, so no one genre decides.
    Blend,
}

impl KeyProfile {
    pub const ALL: [KeyProfile; 6] = [
        KeyProfile::Krumhansl,
        KeyProfile::Temperley,
        KeyProfile::AlbrechtShanahan,
        KeyProfile::Shaath,
        KeyProfile::Edma,
        KeyProfile::Blend,
    ];

    fn major_minor(self) -> ([f32; 12], [f32; 12]) {
        match self {
            KeyProfile::Blend => {
                let parts = [
                    KeyProfile::Temperley,
                    KeyProfile::AlbrechtShanahan,
                    KeyProfile::Shaath,
                    KeyProfile::Edma,
                ];
                let (mut major, mut minor) = ([0f32; 12], [0f32; 12]);
                for part in parts {
                    let (a, b) = part.major_minor();
                    for (sum, profile) in [(&mut major, a), (&mut minor, b)] {
                        for (s, z) in sum.iter_mut().zip(standardise(&profile)) {
                            *s += z / parts.len() as f32;
                        }
                    }
                }
                (major, minor)
            }
            KeyProfile::Krumhansl => (
                [
                    6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88,
                ],
                [
                    6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17,
                ],
            ),
            KeyProfile::Temperley => (
                [5.0, 2.0, 3.5, 2.0, 4.5, 4.0, 2.0, 4.5, 2.0, 3.5, 1.5, 4.0],
                [5.0, 2.0, 3.5, 4.5, 2.0, 4.0, 2.0, 4.5, 3.5, 2.0, 1.5, 4.0],
            ),
            KeyProfile::AlbrechtShanahan => (
                [
                    0.238, 0.006, 0.111, 0.006, 0.137, 0.094, 0.016, 0.214, 0.009, 0.080, 0.008,
                    0.081,
                ],
                [
                    0.220, 0.006, 0.104, 0.123, 0.019, 0.103, 0.012, 0.214, 0.062, 0.022, 0.061,
                    0.052,
                ],
            ),
            KeyProfile::Shaath => (
                [6.6, 2.0, 3.5, 2.3, 4.6, 4.0, 2.5, 5.2, 2.4, 3.7, 2.3, 3.4],
                [6.5, 2.7, 3.5, 5.4, 2.6, 3.5, 2.5, 5.2, 4.0, 2.7, 4.3, 3.2],
            ),
            KeyProfile::Edma => (
                [
                    0.1652, 0.0475, 0.0829, 0.0669, 0.0999, 0.0927, 0.0529, 0.1316, 0.0522, 0.0744,
                    0.0694, 0.0643,
                ],
                [
                    0.1724, 0.0534, 0.0761, 0.1004, 0.0562, 0.0853, 0.0498, 0.1345, 0.0746, 0.0500,
                    0.0919, 0.0555,
                ],
            ),
        }
    }
}

/// How the pitch-class profile is made; the defaults are the shipped method (chosen in BENCHMARKS.md,
/// "Key, tempo and metre on every kind of music"). Exposed for the accuracy benchmark's comparisons.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KeyOptions {
    pub profile: KeyProfile,
    /// Harmonics a peak is credited to (1 = only its own pitch).
    pub harmonics: usize,
    /// Weight of each further harmonic relative to the one before.
    pub harmonic_decay: f32,
    /// Peaks are read between these frequencies (Hz).
    pub min_hz: f32,
    pub max_hz: f32,
    /// Peaks quieter than this below the frame's loudest are ignored (dB).
    pub peak_floor_db: f32,
    /// Each frame's profile is normalised to its largest class before it is added.
    pub normalise_frames: bool,
    /// Read the tuning from the spectrum instead of assuming A = 440 Hz.
    pub tuning: bool,
}

impl Default for KeyOptions {
    fn default() -> Self {
        Self {
            profile: KeyProfile::Blend,
            harmonics: 4,
            harmonic_decay: 0.6,
            min_hz: 40.0,
            max_hz: 3500.0,
            peak_floor_db: 60.0,
            normalise_frames: true,
            tuning: true,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
    pub fn camelot(&self) -> Camelot {
        Camelot::of_key(self.tonic, self.minor)
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
    options: KeyOptions,
    framer: Framer,
    spectrum: Spectrum,
    bin_hz: f32,
    /// The whole stream's profile on the fine grid (cell 0 = C at A = 440 Hz).
    fine: Vec<f32>,
    /// One frame's profile on the fine grid.
    frame: Vec<f32>,
    frames: usize,
}

impl KeyEstimator {
    const N_FFT: usize = 8192;

    pub fn new(rate: u32) -> Self {
        Self::with_options(rate, KeyOptions::default())
    }

    #[doc(hidden)]
    pub fn with_options(rate: u32, options: KeyOptions) -> Self {
        Self {
            options,
            framer: Framer::new(Self::N_FFT, Self::N_FFT / 2),
            spectrum: Spectrum::new(Self::N_FFT),
            bin_hz: rate as f32 / Self::N_FFT as f32,
            fine: vec![0.0; CELLS],
            frame: vec![0.0; CELLS],
            frames: 0,
        }
    }

    pub fn push(&mut self, mono: &[f32]) {
        let Self {
            options,
            framer,
            spectrum,
            bin_hz,
            fine,
            frame,
            frames,
        } = self;
        let (lo, hi) = (
            ((options.min_hz / *bin_hz).floor() as usize).max(1),
            (options.max_hz / *bin_hz).ceil() as usize,
        );
        let floor_ratio = 10f32.powf(-options.peak_floor_db / 20.0);
        framer.push(mono, |samples| {
            let mags = spectrum.of(samples);
            let hi = hi.min(mags.len() - 2);
            if lo > hi {
                return; // a sample rate too low to hold the pitches read
            }
            let loudest = mags[lo..=hi].iter().copied().fold(0f32, f32::max);
            if loudest <= 1e-6 {
                return; // silence
            }
            let floor = loudest * floor_ratio;
            frame.iter_mut().for_each(|c| *c = 0.0);
            for k in lo..=hi {
                let c = mags[k];
                if c < floor || c <= mags[k - 1] || c < mags[k + 1] {
                    continue;
                }
                // The peak's frequency to a fraction of a bin (parabola through log magnitudes).
                let (l, m, r) = (mags[k - 1].ln(), c.ln(), mags[k + 1].max(1e-12).ln());
                let curvature = l - 2.0 * m + r;
                let offset = if curvature < 0.0 {
                    (0.5 * (l - r) / curvature).clamp(-0.5, 0.5)
                } else {
                    0.0
                };
                let hz = (k as f32 + offset) * *bin_hz;
                let power = c * c;
                let mut weight = 1.0;
                for h in 1..=options.harmonics {
                    let f0 = hz / h as f32;
                    if f0 < options.min_hz {
                        break;
                    }
                    // Cents above C (at A = 440 Hz), on the 10-cent grid, shared linearly between the
                    // two nearest cells.
                    let cents = (1200.0 * (f0 / 440.0).log2() + 900.0).rem_euclid(1200.0);
                    let position = cents / CELL_CENTS as f32;
                    let below = position.floor() as usize % CELLS;
                    let share = position.fract();
                    frame[below] += power * weight * (1.0 - share);
                    frame[(below + 1) % CELLS] += power * weight * share;
                    weight *= options.harmonic_decay;
                }
            }
            let largest = frame.iter().copied().fold(0f32, f32::max);
            if largest <= 0.0 {
                return;
            }
            let scale = if options.normalise_frames {
                1.0 / largest
            } else {
                1.0
            };
            for (total, value) in fine.iter_mut().zip(frame.iter()) {
                *total += value * scale;
            }
            *frames += 1;
        });
    }

    /// The tuning's offset from A = 440 Hz in cents (−50..50): the circular mean of where the energy
    /// sits within the semitone.
    fn tuning_cents(fine: &[f32]) -> f32 {
        let per_semitone = 100 / CELL_CENTS;
        let (mut x, mut y) = (0f32, 0f32);
        for (cell, value) in fine.iter().enumerate() {
            let phase =
                2.0 * std::f32::consts::PI * (cell % per_semitone) as f32 / per_semitone as f32;
            x += value * phase.cos();
            y += value * phase.sin();
        }
        if x == 0.0 && y == 0.0 {
            return 0.0;
        }
        y.atan2(x) / (2.0 * std::f32::consts::PI) * 100.0
    }

    /// Twelve pitch classes from the fine grid: each class gathers the cells within a semitone of its
    /// (tuned) centre with a cos² weight.
    fn fold(fine: &[f32], tuning_cents: f32) -> [f32; 12] {
        let mut chroma = [0f32; 12];
        for (cell, value) in fine.iter().enumerate() {
            let cents = cell as f32 * CELL_CENTS as f32 - tuning_cents;
            for (class, slot) in chroma.iter_mut().enumerate() {
                let mut distance = (cents - 100.0 * class as f32).rem_euclid(1200.0);
                if distance > 600.0 {
                    distance -= 1200.0;
                }
                if distance.abs() < 100.0 {
                    let w = (std::f32::consts::FRAC_PI_2 * distance / 100.0).cos();
                    *slot += value * w * w;
                }
            }
        }
        chroma
    }

    pub fn finish(self) -> Option<KeyEstimate> {
        if self.frames == 0 || self.fine.iter().all(|&c| c == 0.0) {
            return None;
        }
        let tuning = if self.options.tuning {
            Self::tuning_cents(&self.fine)
        } else {
            0.0
        };
        let chroma = Self::fold(&self.fine, tuning);
        let (major, minor_profile) = self.options.profile.major_minor();
        let mut scores: Vec<(f32, usize, bool)> = Vec::with_capacity(24);
        for tonic in 0..12 {
            for (minor, profile) in [(false, &major), (true, &minor_profile)] {
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

#[cfg(test)]
mod tests {
    use super::super::tests::tone;
    use super::*;

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
    fn a_detuned_recording_reads_in_its_key_and_the_tuning_is_found() {
        // The same G major tones 40 cents sharp: the classes must follow the tuning, not split.
        let sharp = 2f32.powf(40.0 / 1200.0);
        let g: Vec<f32> = [
            196.0, 220.0, 246.94, 261.63, 293.66, 329.63, 369.99, 392.0, 392.0, 293.66,
        ]
        .iter()
        .map(|f| f * sharp)
        .collect();
        let mut estimator = KeyEstimator::new(22_050);
        estimator.push(&tone(&g, 22_050, 4.0));
        let tuning = KeyEstimator::tuning_cents(&estimator.fine);
        assert!((tuning - 40.0).abs() < 8.0, "{tuning}");
        assert_eq!(estimator.finish().unwrap().key, "G major");
    }
}
