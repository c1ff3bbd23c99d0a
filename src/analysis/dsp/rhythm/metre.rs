//! Beats per bar from the tracked beats: downbeats are where accents (all onsets, and the bass's) and
//! chord changes gather, so that evidence repeats with the bar. Its autocorrelation over 1–12 beats
//! tells threes from twos, then 3 from 6 and 4 from 2; the smaller of the two decisions' margins is the
//! confidence. A beat divided in three and grouped in twos is compound duple time (6/8).

use super::super::standardise;
use super::onset::CHROMA_BLOCK;

/// Per-beat evidence that a bar starts there.
pub(super) struct BeatFeatures {
    /// Onset strength at the beat.
    pub(super) accent: Vec<f32>,
    /// Bass onset strength at the beat.
    pub(super) bass: Vec<f32>,
    /// How much the harmony changed from the previous beat to this one (0 = same chroma).
    pub(super) change: Vec<f32>,
}

fn peak_near(envelope: &[f32], frame: usize, reach: usize) -> f32 {
    let lo = frame.saturating_sub(reach);
    let hi = (frame + reach + 1).min(envelope.len());
    envelope[lo.min(hi)..hi].iter().copied().fold(0.0, f32::max)
}

/// The chroma of the frames from `start` to `end`, normalised.
fn chroma_between(chroma: &[[f32; 12]], start: usize, end: usize) -> [f32; 12] {
    let (lo, hi) = (
        start / CHROMA_BLOCK,
        (end / CHROMA_BLOCK).max(start / CHROMA_BLOCK + 1),
    );
    let mut sum = [0f32; 12];
    for block in chroma.iter().take(hi.min(chroma.len())).skip(lo) {
        for (s, v) in sum.iter_mut().zip(block) {
            *s += v;
        }
    }
    let norm = sum.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        sum.map(|x| x / norm)
    } else {
        sum
    }
}

impl BeatFeatures {
    pub(super) fn at(beats: &[usize], onset: &[f32], bass: &[f32], chroma: &[[f32; 12]]) -> Self {
        let accent = beats.iter().map(|&b| peak_near(onset, b, 2)).collect();
        let bass = beats.iter().map(|&b| peak_near(bass, b, 2)).collect();
        let spans: Vec<[f32; 12]> = beats
            .iter()
            .enumerate()
            .map(|(i, &b)| {
                let end = beats.get(i + 1).copied().unwrap_or(b + 1);
                chroma_between(chroma, b, end)
            })
            .collect();
        let change = (0..spans.len())
            .map(|i| {
                if i == 0 {
                    return 0.0;
                }
                let cos: f32 = spans[i].iter().zip(&spans[i - 1]).map(|(a, b)| a * b).sum();
                1.0 - cos
            })
            .collect();
        Self {
            accent,
            bass,
            change,
        }
    }
}

/// How much (in units of the autocorrelation's spread) threes must lead twos to be heard as threes.
const TRIPLE_BIAS: f32 = 0.3;

/// How much (same units) bar-length lags must lead group-length lags for groups of three to pair up.
const ALTERNATION: f32 = 0.35;

/// Lags (in beats) of the downbeat evidence's autocorrelation that are read.
const LAGS: usize = 12;

/// Beats per bar from the autocorrelation of the downbeat evidence at lags 1..=12 (`acf[lag - 1]`),
/// decided in two steps, each with its margin in units of the autocorrelation's spread:
/// 1. threes or twos: lags that are multiples of 3 but not of 2 against multiples of 2 but not of 3;
/// 2. within threes, 3 or 6 (groups that alternate: compound time with the beat tracked at the eighth
///    note); within twos, 4 unless the bar clearly repeats every two beats (2) or every six beats in
///    groups of two (3: triple time with the beat tracked at the eighth note).
///
/// Lags are compared rather than the beats folded at a phase, so a dropped or doubled beat does not
/// shift every bar after it.
fn grouping(acf: &[f32; LAGS]) -> (u8, f32) {
    let at = |lags: &[usize]| lags.iter().map(|&l| acf[l - 1]).sum::<f32>() / lags.len() as f32;
    let mean = acf.iter().sum::<f32>() / LAGS as f32;
    let spread = (acf.iter().map(|a| (a - mean).powi(2)).sum::<f32>() / LAGS as f32)
        .sqrt()
        .max(1e-6);
    let (threes, twos) = (at(&[3, 9]), at(&[2, 4, 8, 10]));
    // Most music is in four: twos win ties, and within twos four wins unless two clearly does.
    let family = (threes - twos) / spread - TRIPLE_BIAS;
    let (answer, margin) = if family > 0.0 {
        let alternation = (at(&[6, 12]) - threes) / spread;
        if alternation > ALTERNATION {
            (6, alternation - ALTERNATION)
        } else {
            (3, ALTERNATION - alternation)
        }
    } else {
        let (bar4, bar6) = (
            at(&[4, 8]) - at(&[2, 6, 10]),
            at(&[6, 12]) - at(&[2, 4, 8, 10]),
        );
        let (bar4, bar6) = (bar4 / spread, bar6 / spread);
        if bar6 > 0.5 && bar6 > bar4 {
            (3, (bar6 - bar4.max(0.5)).max(0.0))
        } else if bar4 > -0.25 {
            (4, bar4 + 0.25)
        } else {
            (2, -0.25 - bar4)
        }
    };
    (answer, family.abs().min(margin.max(0.0)))
}

/// (beats per bar, confidence) from the beats' features; `ternary` when the beats divide in three.
/// A track too short to compare bars gets 4 with confidence 0.
pub(super) fn beats_per_bar(features: &BeatFeatures, ternary: bool) -> (u8, f32) {
    if features.accent.len() < 2 * LAGS {
        // Too few bars to compare: the commonest answer, with no confidence.
        return (4, 0.0);
    }
    let (a, b, c) = (
        standardise(&features.accent),
        standardise(&features.bass),
        standardise(&features.change),
    );
    let evidence: Vec<f32> = (0..a.len()).map(|i| a[i] + b[i] + c[i]).collect();
    let acf: [f32; LAGS] = std::array::from_fn(|i| {
        let lag = i + 1;
        let pairs = evidence.len() - lag;
        evidence
            .iter()
            .zip(&evidence[lag..])
            .map(|(x, y)| x * y)
            .sum::<f32>()
            / pairs as f32
    });
    let (answer, confidence) = grouping(&acf);
    let beats = match (answer, ternary) {
        // Two or four beats that each divide in three: 6/8 (a bar or a pair of bars).
        (2 | 4, true) => 6,
        (n, _) => n,
    };
    (beats, confidence)
}

/// Whether the beats divide in three: the onset envelope is stronger at a third and two thirds of the
/// way between beats than halfway.
pub(super) fn divides_in_three(onset: &[f32], beats: &[usize]) -> bool {
    let (mut thirds, mut half, mut n) = (0.0, 0.0, 0);
    for pair in beats.windows(2) {
        let (start, span) = (pair[0] as f32, (pair[1] - pair[0]) as f32);
        if span < 6.0 {
            continue;
        }
        let at = |fraction: f32| peak_near(onset, (start + fraction * span).round() as usize, 1);
        thirds += 0.5 * (at(1.0 / 3.0) + at(2.0 / 3.0));
        half += at(0.5);
        n += 1;
    }
    n > 0 && thirds > 1.2 * half
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The autocorrelation of a bar pattern repeated many times.
    fn acf_of(bar: &[f32]) -> [f32; LAGS] {
        let evidence: Vec<f32> = bar.iter().copied().cycle().take(bar.len() * 40).collect();
        let mean = evidence.iter().sum::<f32>() / evidence.len() as f32;
        let centred: Vec<f32> = evidence.iter().map(|e| e - mean).collect();
        std::array::from_fn(|i| {
            let lag = i + 1;
            centred
                .iter()
                .zip(&centred[lag..])
                .map(|(x, y)| x * y)
                .sum::<f32>()
                / (centred.len() - lag) as f32
        })
    }

    #[test]
    fn bar_patterns_read_as_their_beats_per_bar() {
        assert_eq!(grouping(&acf_of(&[3.0, 0.0, 0.0])).0, 3);
        assert_eq!(grouping(&acf_of(&[3.0, 0.0, 1.0, 0.0])).0, 4);
        assert_eq!(grouping(&acf_of(&[3.0, 0.0, 0.0, 1.5, 0.0, 0.0])).0, 6);
        // Triple time with the beat tracked at the eighth note: six beats in groups of two.
        assert_eq!(grouping(&acf_of(&[3.0, 0.0, 1.0, 0.0, 1.0, 0.0])).0, 3);
        let (answer, confidence) = grouping(&acf_of(&[3.0, 0.0, 0.0]));
        assert_eq!(answer, 3);
        assert!(
            confidence >= super::super::METRE_MIN_CONFIDENCE,
            "a clean waltz is sure: {confidence}"
        );
    }

    #[test]
    fn no_pattern_is_read_as_four_without_confidence() {
        let (answer, confidence) = grouping(&[0.0; LAGS]);
        assert_eq!(answer, 4);
        assert!(confidence < 0.3, "{confidence}");
    }

    #[test]
    fn beats_split_in_three_are_told_from_beats_split_in_two() {
        let beats: Vec<usize> = (0..20).map(|b| b * 30).collect();
        let mut triplets = vec![0f32; 620];
        let mut eighths = vec![0f32; 620];
        for &b in &beats {
            triplets[b] = 1.0;
            triplets[b + 10] = 0.6;
            triplets[b + 20] = 0.6;
            eighths[b] = 1.0;
            eighths[b + 15] = 0.6;
        }
        assert!(divides_in_three(&triplets, &beats));
        assert!(!divides_in_three(&eighths, &beats));
    }
}
