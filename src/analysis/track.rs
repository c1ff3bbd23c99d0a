//! Analyses one track in a single streaming pass over its decoded audio: EBU R128 loudness at the
//! native rate, tempo/metre and key from the native-rate mono signal, and (when the CNN is available)
//! musicnn's tags and embedding from 16 kHz mono, averaged over a spread of 3 s patches. Memory stays
//! flat whatever the track's length.

use std::path::{Path, PathBuf};

use rubato::{FftFixedIn, Resampler};
use serde::{Deserialize, Serialize};

use super::cnn::{AudioCnn, CnnError};
use super::dsp::{KeyEstimate, KeyEstimator, MetreEstimate, RhythmEstimator, TempoEstimate};
use super::mel::{MelFrontEnd, MelStream, N_MELS, PATCH_FRAMES, SAMPLE_RATE};
use crate::audio::{DecodeError, TrackDecoder};

/// Bumped whenever the analysis changes, so stored results of an older analysis are redone.
pub const DSP_VERSION: &str = "dsp5";
/// Input frames per resampler call.
const RESAMPLE_CHUNK: usize = 4096;
/// Patches per model call.
const BATCH: usize = 8;
/// At most this many 3 s patches per track go through the CNN, spread evenly over the track; the
/// accuracy cost of the spread is measured in BENCHMARKS.md ("Analysis speed").
pub const DEFAULT_MAX_PATCHES: usize = 16;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrackAnalysis {
    /// Integrated loudness (EBU R128), LUFS.
    pub loudness_lufs: Option<f64>,
    /// Loudness range (EBU R128 LRA), LU.
    pub loudness_range_lu: Option<f64>,
    /// Largest absolute sample value over all channels (1.0 = full scale).
    pub sample_peak: Option<f64>,
    pub tempo: Option<TempoEstimate>,
    pub metre: Option<MetreEstimate>,
    pub key: Option<KeyEstimate>,
    /// Mean tag probabilities over the analysed patches (empty without the CNN).
    pub tags: Vec<f32>,
    /// Mean embedding over the analysed patches (empty without the CNN).
    pub embedding: Vec<f32>,
    /// 3 s patches the CNN saw.
    pub patches: usize,
    /// Seconds of audio decoded.
    pub seconds: f64,
}

#[derive(Debug, thiserror::Error)]
pub enum AnalysisError {
    #[error(transparent)]
    Decode(#[from] DecodeError),
    #[error(transparent)]
    Cnn(#[from] CnnError),
    #[error("{path}: {reason}")]
    Dsp { path: PathBuf, reason: String },
}

/// Analyses `path` with at most [`DEFAULT_MAX_PATCHES`] CNN patches. Without `cnn` only the DSP
/// features are computed.
pub fn analyze_track(
    path: &Path,
    cnn: Option<&mut AudioCnn>,
) -> Result<TrackAnalysis, AnalysisError> {
    analyze_track_with(path, cnn, Some(DEFAULT_MAX_PATCHES))
}

/// Which 3 s patches the CNN sees: all of them, or `max` spread evenly over an expected `total`.
struct PatchPicker {
    chosen: Option<Vec<usize>>,
}

impl PatchPicker {
    fn new(expected_total: Option<usize>, max: Option<usize>) -> Self {
        let chosen = match (expected_total, max) {
            (Some(total), Some(max)) if total > max && max > 0 => {
                Some((0..max).map(|i| (2 * i + 1) * total / (2 * max)).collect())
            }
            _ => None,
        };
        Self { chosen }
    }

    fn wants(&self, patch: usize) -> bool {
        self.chosen
            .as_ref()
            .is_none_or(|c| c.binary_search(&patch).is_ok())
    }
}

/// Sums the CNN's outputs over patches, batching the model calls.
struct CnnAccumulator<'a> {
    cnn: &'a mut AudioCnn,
    batch: Vec<Vec<[f32; N_MELS]>>,
    tags: Vec<f32>,
    embedding: Vec<f32>,
    patches: usize,
}

impl CnnAccumulator<'_> {
    fn add(&mut self, patch: Vec<[f32; N_MELS]>) -> Result<(), CnnError> {
        self.batch.push(patch);
        if self.batch.len() == BATCH {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), CnnError> {
        if self.batch.is_empty() {
            return Ok(());
        }
        for out in self.cnn.run(&self.batch)? {
            if self.tags.is_empty() {
                self.tags = vec![0.0; out.tags.len()];
                self.embedding = vec![0.0; out.embedding.len()];
            }
            self.tags
                .iter_mut()
                .zip(&out.tags)
                .for_each(|(t, x)| *t += x);
            self.embedding
                .iter_mut()
                .zip(&out.embedding)
                .for_each(|(e, x)| *e += x);
            self.patches += 1;
        }
        self.batch.clear();
        Ok(())
    }

    fn mean(mut self) -> Result<(Vec<f32>, Vec<f32>, usize), CnnError> {
        self.flush()?;
        let n = self.patches.max(1) as f32;
        self.tags.iter_mut().for_each(|t| *t /= n);
        self.embedding.iter_mut().for_each(|e| *e /= n);
        Ok((self.tags, self.embedding, self.patches))
    }
}

/// Analyses `path`, giving the CNN at most `max_patches` patches (`None`: every patch).
pub fn analyze_track_with(
    path: &Path,
    cnn: Option<&mut AudioCnn>,
    max_patches: Option<usize>,
) -> Result<TrackAnalysis, AnalysisError> {
    let dsp = |reason: String| AnalysisError::Dsp {
        path: path.to_owned(),
        reason,
    };
    let mut decoder = TrackDecoder::open(path)?;
    let (rate, channels) = (decoder.sample_rate(), decoder.channels() as usize);
    let mut meter = ebur128::EbuR128::new(
        channels as u32,
        rate,
        ebur128::Mode::I | ebur128::Mode::LRA | ebur128::Mode::SAMPLE_PEAK,
    )
    .map_err(|e| dsp(format!("loudness meter: {e}")))?;
    let mut key = KeyEstimator::new(rate);
    let mut rhythm = RhythmEstimator::new(rate);

    let front = MelFrontEnd::new();
    let mut model = match cnn {
        Some(cnn) => {
            let resampler =
                FftFixedIn::<f32>::new(rate as usize, SAMPLE_RATE as usize, RESAMPLE_CHUNK, 2, 1)
                    .map_err(|e| dsp(format!("resampler: {e}")))?;
            let expected_patches = decoder.duration().map(|d| {
                (d.as_secs_f64() * SAMPLE_RATE as f64 / super::mel::HOP as f64) as usize
                    / PATCH_FRAMES
            });
            Some((
                resampler,
                MelStream::new(&front),
                PatchPicker::new(expected_patches, max_patches),
                CnnAccumulator {
                    cnn,
                    batch: Vec::new(),
                    tags: Vec::new(),
                    embedding: Vec::new(),
                    patches: 0,
                },
            ))
        }
        None => None,
    };
    // The FFT resampler delays its output: that many leading samples are dropped so patches start with
    // the music.
    let mut delay = model.as_ref().map_or(0, |m| m.0.output_delay());
    let mut rows = 0usize;
    let mut patch: Vec<[f32; N_MELS]> = Vec::with_capacity(PATCH_FRAMES);
    let mut patch_error = None;

    let mut chunk = Vec::new();
    // Mono samples not yet fed to the resampler; each decoded chunk is appended, measured, then fed.
    let mut unresampled: Vec<f32> = Vec::new();
    let mut frames = 0u64;
    loop {
        chunk.clear();
        let more = decoder.next_chunk(&mut chunk)?;
        if !chunk.is_empty() {
            meter
                .add_frames_f32(&chunk)
                .map_err(|e| dsp(format!("loudness meter: {e}")))?;
            let start = unresampled.len();
            unresampled.extend(
                chunk
                    .chunks_exact(channels)
                    .map(|f| f.iter().sum::<f32>() / channels as f32),
            );
            let mono = &unresampled[start..];
            frames += mono.len() as u64;
            key.push(mono);
            rhythm.push(mono);
        }
        if let Some((resampler, mel, picker, acc)) = model.as_mut() {
            let mut fed = 0;
            while unresampled.len() - fed >= RESAMPLE_CHUNK || (!more && unresampled.len() > fed) {
                let take = (unresampled.len() - fed).min(RESAMPLE_CHUNK);
                let input = &unresampled[fed..fed + take];
                fed += take;
                let out = if take == RESAMPLE_CHUNK {
                    resampler.process(&[input], None)
                } else {
                    resampler.process_partial(Some(&[input]), None)
                }
                .map_err(|e| dsp(format!("resampler: {e}")))?;
                let skip = delay.min(out[0].len());
                delay -= skip;
                let mut on_row = |row: &[f32; N_MELS]| {
                    if picker.wants(rows / PATCH_FRAMES) {
                        patch.push(*row);
                        if patch.len() == PATCH_FRAMES && patch_error.is_none() {
                            let full =
                                std::mem::replace(&mut patch, Vec::with_capacity(PATCH_FRAMES));
                            patch_error = acc.add(full).err();
                        }
                    }
                    rows += 1;
                };
                mel.push(&out[0][skip..], &mut on_row);
            }
            unresampled.drain(..fed);
        } else {
            unresampled.clear();
        }
        if !more {
            break;
        }
    }
    if let Some(e) = patch_error {
        return Err(e.into());
    }
    if frames == 0 {
        return Err(dsp("no audio could be decoded".into()));
    }
    let finite = |v: Result<f64, ebur128::Error>| v.ok().filter(|x| x.is_finite());
    let rhythm = rhythm.finish();
    let mut analysis = TrackAnalysis {
        loudness_lufs: finite(meter.loudness_global()),
        loudness_range_lu: finite(meter.loudness_range()),
        sample_peak: (0..channels as u32)
            .filter_map(|c| meter.sample_peak(c).ok())
            .reduce(f64::max),
        tempo: rhythm.tempo,
        metre: rhythm.metre,
        key: key.finish(),
        tags: Vec::new(),
        embedding: Vec::new(),
        patches: 0,
        seconds: frames as f64 / rate as f64,
    };
    if let Some((_, mel, picker, mut acc)) = model {
        mel.finish(|row| {
            if picker.wants(rows / PATCH_FRAMES) {
                patch.push(*row);
            }
            rows += 1;
        });
        // A track shorter than one patch is zero-padded into one; a longer track's partial tail is
        // dropped.
        if patch.len() == PATCH_FRAMES || (rows < PATCH_FRAMES && !patch.is_empty()) {
            patch.resize(PATCH_FRAMES, [0.0; N_MELS]);
            acc.add(patch)?;
        }
        (analysis.tags, analysis.embedding, analysis.patches) = acc.mean()?;
    }
    Ok(analysis)
}

#[cfg(test)]
mod tests {
    use super::PatchPicker;

    #[test]
    fn long_tracks_spread_their_patches_and_short_ones_use_all() {
        let picker = PatchPicker::new(Some(100), Some(4));
        let chosen: Vec<usize> = (0..100).filter(|&p| picker.wants(p)).collect();
        assert_eq!(chosen, vec![12, 37, 62, 87]);
        let all = PatchPicker::new(Some(10), Some(16));
        assert!((0..10).all(|p| all.wants(p)));
        let unknown = PatchPicker::new(None, Some(16));
        assert!((0..100).all(|p| unknown.wants(p)));
    }
}
