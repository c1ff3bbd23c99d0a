//! What the rhythm is read from, one value per analysis frame (~86 per second): an onset envelope
//! (spectral flux of log band energies over quarter-octave bands, so the many high-frequency bins do
//! not outvote the bass), a bass-only flux (kick drums mark downbeats), and a coarse chroma every few
//! frames (chord changes mark bar lines).

use super::super::{Framer, Spectrum};

/// Frames per stored chroma block.
pub(super) const CHROMA_BLOCK: usize = 4;
/// Quarter-octave bands from here up.
const LOWEST_HZ: f32 = 30.0;
/// Bands below this are the bass.
const BASS_HZ: f32 = 150.0;

pub(super) struct OnsetFrames {
    framer: Framer,
    spectrum: Spectrum,
    /// Band of each FFT bin (None outside the bands).
    band_of_bin: Vec<Option<usize>>,
    bands: usize,
    bass_bands: usize,
    /// Pitch class of each bin between 100 Hz and 2 kHz.
    class_of_bin: Vec<Option<usize>>,
    energies: Vec<f32>,
    previous: Vec<f32>,
    block: [f32; 12],
    block_frames: usize,
    pub(super) onset: Vec<f32>,
    pub(super) bass: Vec<f32>,
    /// One normalised 12-class chroma per `CHROMA_BLOCK` frames.
    pub(super) chroma: Vec<[f32; 12]>,
    pub(super) frame_rate: f32,
}

impl OnsetFrames {
    pub(super) fn new(rate: u32) -> Self {
        // About 46 ms windows and 11.6 ms hops whatever the sample rate.
        let n_fft = if rate > 32_000 { 2048 } else { 1024 };
        let hop = n_fft / 4;
        let bin_hz = rate as f32 / n_fft as f32;
        let top = (rate as f32 / 2.0).min(16_000.0);
        // At least one band, whatever rate a (possibly lying) header claims.
        let bands = ((4.0 * (top / LOWEST_HZ).log2()).floor() as usize).max(1);
        let band_of_bin = (0..n_fft / 2 + 1)
            .map(|k| {
                let f = k as f32 * bin_hz;
                (LOWEST_HZ..top)
                    .contains(&f)
                    .then(|| ((4.0 * (f / LOWEST_HZ).log2()) as usize).min(bands - 1))
            })
            .collect();
        let bass_bands = ((4.0 * (BASS_HZ / LOWEST_HZ).log2()).ceil() as usize).min(bands);
        let class_of_bin = (0..n_fft / 2 + 1)
            .map(|k| {
                let f = k as f32 * bin_hz;
                (100.0..2000.0).contains(&f).then(|| {
                    let midi = 69.0 + 12.0 * (f / 440.0).log2();
                    (midi.round() as i64).rem_euclid(12) as usize
                })
            })
            .collect();
        Self {
            framer: Framer::new(n_fft, hop),
            spectrum: Spectrum::new(n_fft),
            band_of_bin,
            bands,
            bass_bands,
            class_of_bin,
            energies: vec![0.0; bands],
            previous: Vec::new(),
            block: [0.0; 12],
            block_frames: 0,
            onset: Vec::new(),
            bass: Vec::new(),
            chroma: Vec::new(),
            frame_rate: rate as f32 / hop as f32,
        }
    }

    pub(super) fn push(&mut self, mono: &[f32]) {
        let Self {
            framer,
            spectrum,
            band_of_bin,
            bands,
            bass_bands,
            class_of_bin,
            energies,
            previous,
            block,
            block_frames,
            onset,
            bass,
            chroma,
            ..
        } = self;
        framer.push(mono, |frame| {
            let mags = spectrum.of(frame);
            energies.iter_mut().for_each(|e| *e = 0.0);
            for ((m, band), class) in mags.iter().zip(band_of_bin.iter()).zip(class_of_bin.iter()) {
                if let Some(b) = band {
                    energies[*b] += m * m;
                }
                if let Some(c) = class {
                    block[*c] += m * m;
                }
            }
            for e in energies.iter_mut() {
                *e = (1.0 + 100.0 * e.sqrt()).ln();
            }
            if previous.is_empty() {
                previous.extend_from_slice(energies);
            } else {
                let (mut all, mut low) = (0.0, 0.0);
                for (b, (e, p)) in energies.iter().zip(previous.iter_mut()).enumerate() {
                    let rise = (e - *p).max(0.0);
                    all += rise;
                    if b < *bass_bands {
                        low += rise;
                    }
                    *p = *e;
                }
                onset.push(all / *bands as f32);
                bass.push(low / *bass_bands as f32);
            }
            *block_frames += 1;
            if *block_frames == CHROMA_BLOCK {
                let norm = block.iter().map(|x| x * x).sum::<f32>().sqrt();
                chroma.push(if norm > 0.0 {
                    block.map(|x| x / norm)
                } else {
                    [0.0; 12]
                });
                *block = [0.0; 12];
                *block_frames = 0;
            }
        });
    }
}
