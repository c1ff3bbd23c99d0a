//! Tempo, beats and metre from the onset envelope: the beat period by autocorrelation with a prior
//! around 120 BPM (`tempo`), the beats by dynamic programming (`beats`), and the beats per bar from where
//! accents, bass onsets and chord changes gather along the beats (`metre`).

mod beats;
mod metre;
mod onset;
mod tempo;

use serde::{Deserialize, Serialize};

use onset::OnsetFrames;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TempoEstimate {
    pub bpm: f32,
    /// Height of the chosen autocorrelation peak relative to the envelope's energy (0–1).
    pub confidence: f32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetreEstimate {
    /// "2/4", "3/4", "4/4" or "6/8" (compound duple).
    pub metre: String,
    /// 2, 3, 4 or 6.
    pub beats_per_bar: u8,
    /// How far the chosen grouping's downbeat evidence leads the runner-up's (0 = undecided); shown as
    /// known from `METRE_MIN_CONFIDENCE` up.
    pub confidence: f32,
}

impl MetreEstimate {
    fn new(beats_per_bar: u8, confidence: f32) -> Self {
        let metre = match beats_per_bar {
            6 => "6/8".to_owned(),
            n => format!("{n}/4"),
        };
        Self {
            metre,
            beats_per_bar,
            confidence,
        }
    }

    /// Whether the evidence is clear enough to show the metre as known.
    pub fn is_confident(&self) -> bool {
        self.confidence >= METRE_MIN_CONFIDENCE
    }
}

/// Tempo and metre, both read from the onset envelope.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Rhythm {
    pub tempo: Option<TempoEstimate>,
    /// The best answer whenever there is a tempo, with its confidence (see
    /// `MetreEstimate::is_confident`; a track too short to compare bars gets 4/4 with confidence 0).
    pub metre: Option<MetreEstimate>,
}

/// Below this, the metre is not shown as known (chosen on the MIDI sets, see BENCHMARKS.md).
pub const METRE_MIN_CONFIDENCE: f32 = 0.3;

/// Tempo and metre from a stream of mono samples.
pub struct RhythmEstimator {
    frames: OnsetFrames,
}

impl RhythmEstimator {
    pub fn new(rate: u32) -> Self {
        Self {
            frames: OnsetFrames::new(rate),
        }
    }

    pub fn push(&mut self, mono: &[f32]) {
        self.frames.push(mono);
    }

    pub fn finish(self) -> Rhythm {
        let frames = self.frames;
        if frames.onset.len() < 64 {
            return Rhythm::default();
        }
        let detrended = tempo::detrend(&frames.onset);
        let max_lag = (60.0 * frames.frame_rate / 30.0) as usize;
        let acf = tempo::autocorrelation(&detrended, max_lag);
        if acf.len() < 8 || acf[0] == 0.0 {
            return Rhythm::default();
        }
        let Some(period) = tempo::beat_period(&acf, frames.frame_rate) else {
            return Rhythm::default();
        };
        let beats = beats::track(&detrended, period.frames);
        let features = metre::BeatFeatures::at(&beats, &detrended, &frames.bass, &frames.chroma);
        let ternary = metre::divides_in_three(&detrended, &beats);
        let (beats_per_bar, confidence) = metre::beats_per_bar(&features, ternary);
        let metre = Some(MetreEstimate::new(beats_per_bar, confidence));
        Rhythm {
            tempo: Some(TempoEstimate {
                bpm: period.bpm,
                confidence: period.strength,
            }),
            metre,
        }
    }
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
    fn a_track_too_short_to_compare_bars_still_gets_a_metre_but_not_a_sure_one() {
        let rate = 22_050;
        let mut clicks = vec![0f32; rate as usize * 8];
        for start in (0..clicks.len()).step_by(rate as usize / 2) {
            for (i, s) in clicks[start..].iter_mut().take(200).enumerate() {
                *s = (1.0 - i as f32 / 200.0) * if i % 2 == 0 { 1.0 } else { -1.0 };
            }
        }
        let metre = estimate_rhythm(&clicks, rate).metre.unwrap();
        assert_eq!((metre.metre.as_str(), metre.confidence), ("4/4", 0.0));
        assert!(!metre.is_confident());
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
            estimate_rhythm(&audio, rate)
                .metre
                .filter(|m| m.is_confident())
                .map(|m| m.beats_per_bar)
        };
        assert_eq!(waltz(3), Some(3));
        assert_eq!(waltz(4), Some(4));
    }
}
