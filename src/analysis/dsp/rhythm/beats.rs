//! Beat times by dynamic programming (Ellis 2007): the beats are the frames that together collect the
//! most onset strength while keeping their spacing close to the beat period.

/// How strongly spacing away from the period is penalised (Ellis' "tightness").
const TIGHTNESS: f32 = 100.0;

/// Frames of the beats in `onset` (any envelope, larger = more onset) given the period in frames.
pub(super) fn track(onset: &[f32], period: f32) -> Vec<usize> {
    let n = onset.len();
    if n == 0 || period < 2.0 {
        return Vec::new();
    }
    let sd = {
        let mean = onset.iter().sum::<f32>() / n as f32;
        (onset.iter().map(|x| (x - mean).powi(2)).sum::<f32>() / n as f32).sqrt()
    };
    let norm: Vec<f32> = onset
        .iter()
        .map(|x| if sd > 0.0 { x / sd } else { 0.0 })
        .collect();
    let (near, far) = (
        (period / 2.0).round() as usize,
        (2.0 * period).round() as usize,
    );
    let penalty: Vec<f32> = (0..=far)
        .map(|gap| {
            if gap < near.max(1) {
                f32::NEG_INFINITY
            } else {
                -TIGHTNESS * (gap as f32 / period).ln().powi(2)
            }
        })
        .collect();
    let mut score = vec![0f32; n];
    let mut previous = vec![usize::MAX; n];
    for t in 0..n {
        let mut best = (0f32, usize::MAX); // starting a new chain costs nothing
        for gap in near.max(1)..=far.min(t) {
            let candidate = score[t - gap] + penalty[gap];
            if candidate > best.0 {
                best = (candidate, t - gap);
            }
        }
        score[t] = norm[t] + best.0;
        previous[t] = best.1;
    }
    // The last beat: the best-scoring frame within the last period.
    let tail = n.saturating_sub(period.ceil() as usize);
    let mut t = (tail..n)
        .max_by(|&a, &b| score[a].total_cmp(&score[b]))
        .unwrap_or(0);
    let mut beats = vec![t];
    while previous[t] != usize::MAX {
        t = previous[t];
        beats.push(t);
    }
    beats.reverse();
    beats
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beats_land_on_the_pulses_even_with_a_missing_one() {
        let mut onset = vec![0.1f32; 400];
        for beat in (10..400).step_by(20) {
            if beat != 110 {
                onset[beat] = 1.0;
            }
        }
        let beats = track(&onset, 20.0);
        assert!(beats.contains(&110), "the gap is bridged: {beats:?}");
        for pair in beats.windows(2) {
            assert_eq!(pair[1] - pair[0], 20, "{beats:?}");
        }
        assert!(beats.len() >= 18, "{beats:?}");
    }
}
