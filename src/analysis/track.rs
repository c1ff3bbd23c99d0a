//! Analyses one track: decode once, measure EBU R128 loudness at the native rate, and (when the CNN is
//! available) resample to 16 kHz mono for musicnn's tags and embedding, averaged over 3 s patches.

use std::path::{Path, PathBuf};

use rubato::{FftFixedIn, Resampler};
use serde::Serialize;

use super::cnn::{AudioCnn, CnnError};
use super::mel::{MelFrontEnd, SAMPLE_RATE};
use crate::audio::{DecodeError, TrackDecoder};

/// Bumped whenever the analysis changes, so stored results of an older analysis are redone.
pub const DSP_VERSION: &str = "dsp2";
/// Input frames per resampler call.
const RESAMPLE_CHUNK: usize = 4096;
/// Patches per model call.
const BATCH: usize = 8;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrackAnalysis {
    /// Integrated loudness (EBU R128), LUFS.
    pub loudness_lufs: Option<f64>,
    /// Loudness range (EBU R128 LRA), LU.
    pub loudness_range_lu: Option<f64>,
    pub tempo: Option<super::dsp::TempoEstimate>,
    pub key: Option<super::dsp::KeyEstimate>,
    /// Mean tag probabilities over the track's patches (empty without the CNN).
    pub tags: Vec<f32>,
    /// Mean embedding over the track's patches (empty without the CNN).
    pub embedding: Vec<f32>,
    pub patches: usize,
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

/// Analyses `path`. Without `cnn` only the DSP features are computed.
pub fn analyze_track(
    path: &Path,
    cnn: Option<&mut AudioCnn>,
) -> Result<TrackAnalysis, AnalysisError> {
    let dsp = |reason: String| AnalysisError::Dsp {
        path: path.to_owned(),
        reason,
    };
    let mut decoder = TrackDecoder::open(path)?;
    let (rate, channels) = (decoder.sample_rate(), decoder.channels() as usize);
    let mut meter =
        ebur128::EbuR128::new(channels as u32, rate, ebur128::Mode::I | ebur128::Mode::LRA)
            .map_err(|e| dsp(format!("loudness meter: {e}")))?;
    let mut resampler = match cnn.is_some() {
        true => Some(
            FftFixedIn::<f32>::new(rate as usize, SAMPLE_RATE as usize, RESAMPLE_CHUNK, 2, 1)
                .map_err(|e| dsp(format!("resampler: {e}")))?,
        ),
        false => None,
    };
    let mut chunk = Vec::new();
    // The whole track in mono at its own rate, for tempo and key; the resampler reads it from `fed` on.
    let mut native = Vec::new();
    let mut fed = 0;
    let mut resampled = Vec::new();
    loop {
        chunk.clear();
        let more = decoder.next_chunk(&mut chunk)?;
        if !chunk.is_empty() {
            meter
                .add_frames_f32(&chunk)
                .map_err(|e| dsp(format!("loudness meter: {e}")))?;
            native.extend(
                chunk
                    .chunks_exact(channels)
                    .map(|f| f.iter().sum::<f32>() / channels as f32),
            );
        }
        if let Some(r) = resampler.as_mut() {
            while native.len() - fed >= RESAMPLE_CHUNK || (!more && native.len() > fed) {
                let take = (native.len() - fed).min(RESAMPLE_CHUNK);
                let input = &native[fed..fed + take];
                fed += take;
                let out = if take == RESAMPLE_CHUNK {
                    r.process(&[input], None)
                } else {
                    r.process_partial(Some(&[input]), None)
                }
                .map_err(|e| dsp(format!("resampler: {e}")))?;
                resampled.extend_from_slice(&out[0]);
            }
        }
        if !more {
            break;
        }
    }
    let finite = |v: Result<f64, ebur128::Error>| v.ok().filter(|x| x.is_finite());
    let mut analysis = TrackAnalysis {
        loudness_lufs: finite(meter.loudness_global()),
        loudness_range_lu: finite(meter.loudness_range()),
        tempo: super::dsp::estimate_tempo(&native, rate),
        key: super::dsp::estimate_key(&native, rate),
        tags: Vec::new(),
        embedding: Vec::new(),
        patches: 0,
    };
    if let (Some(cnn), Some(r)) = (cnn, resampler.as_ref()) {
        // The FFT resampler delays its output: drop the delay so patches start with the music.
        let delay = r.output_delay().min(resampled.len());
        let frames = MelFrontEnd::new().log_mel(&resampled[delay..]);
        let patches = MelFrontEnd::patches(&frames);
        let mut tags = vec![0f32; 50];
        let mut embedding = vec![0f32; 200];
        for batch in patches.chunks(BATCH) {
            for out in cnn.run(batch)? {
                tags.iter_mut().zip(&out.tags).for_each(|(t, x)| *t += x);
                embedding
                    .iter_mut()
                    .zip(&out.embedding)
                    .for_each(|(e, x)| *e += x);
            }
        }
        let n = patches.len().max(1) as f32;
        tags.iter_mut().for_each(|t| *t /= n);
        embedding.iter_mut().for_each(|e| *e /= n);
        analysis.tags = tags;
        analysis.embedding = embedding;
        analysis.patches = patches.len();
    }
    Ok(analysis)
}
