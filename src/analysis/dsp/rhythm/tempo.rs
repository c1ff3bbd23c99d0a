//! The beat period: autocorrelation of the detrended onset envelope, weighted by listeners' tempo prior.

/// Lowest and highest tempo considered (BPM).
const SLOWEST: f32 = 40.0;
const FASTEST: f32 = 240.0;

/// The onset envelope without its slow trend (a moving average), so sustained loudness is not beats.
pub(super) fn detrend(onset: &[f32]) -> Vec<f32> {
    let window = 16;
    let mut prefix = Vec::with_capacity(onset.len() + 1);
    prefix.push(0f64);
    for x in onset {
        prefix.push(prefix.last().unwrap() + *x as f64);
    }
    (0..onset.len())
        .map(|i| {
            let lo = i.saturating_sub(window);
            let hi = (i + window + 1).min(onset.len());
            let mean = (prefix[hi] - prefix[lo]) / (hi - lo) as f64;
            (onset[i] - mean as f32).max(0.0)
        })
        .collect()
}

/// Normalised autocorrelation of `x` (lag 0 = 1) for lags up to `max_lag`.
pub(super) fn autocorrelation(x: &[f32], max_lag: usize) -> Vec<f32> {
    let energy: f32 = x.iter().map(|v| v * v).sum();
    (0..=max_lag.min(x.len().saturating_sub(1)))
        .map(|lag| {
            if energy == 0.0 {
                return 0.0;
            }
            x.iter().zip(&x[lag..]).map(|(a, b)| a * b).sum::<f32>() / energy
        })
        .collect()
}

pub(super) struct Period {
    /// Beat period in frames, to a fraction of a frame.
    pub(super) frames: f32,
    pub(super) bpm: f32,
    /// Height of the chosen autocorrelation peak (0–1).
    pub(super) strength: f32,
}

/// The beat period of a detrended onset envelope at `frame_rate` frames per second.
pub(super) fn beat_period(acf: &[f32], frame_rate: f32) -> Option<Period> {
    let lag_for = |bpm: f32| (60.0 * frame_rate / bpm).round() as usize;
    let (min_lag, max_lag) = (lag_for(FASTEST).max(1), lag_for(SLOWEST).min(acf.len() - 2));
    let mut best: Option<(f32, usize)> = None; // (weighted score, lag)
    for (lag, height) in acf.iter().enumerate().take(max_lag + 1).skip(min_lag) {
        let bpm = 60.0 * frame_rate / lag as f32;
        // Listeners' tempo prior: log-normal around 120 BPM, one octave wide.
        let octaves = (bpm / 120.0).log2();
        let weighted = height * (-0.5 * octaves.powi(2)).exp();
        if best.is_none_or(|(w, _)| weighted > w) {
            best = Some((weighted, lag));
        }
    }
    let (_, lag) = best?;
    // The period to a fraction of a frame (parabola through the peak and its neighbours), so that
    // multiples of it still land on bar-length peaks.
    let (l, c, r) = (acf[lag - 1], acf[lag], acf[lag + 1]);
    let curvature = l - 2.0 * c + r;
    let frames = if curvature < 0.0 {
        lag as f32 + (0.5 * (l - r) / curvature).clamp(-0.5, 0.5)
    } else {
        lag as f32
    };
    Some(Period {
        frames,
        bpm: 60.0 * frame_rate / lag as f32,
        strength: c.clamp(0.0, 1.0),
    })
}
