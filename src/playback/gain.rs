//! How loud a track plays: its ReplayGain track gain (from tags, else from the analysed loudness),
//! limited by its peak so it never clips.

/// ReplayGain 2.0's reference loudness (EBU R128 integrated), which analysed tracks are brought to.
pub const REPLAYGAIN_REFERENCE_LUFS: f64 = -18.0;

/// ReplayGain track gain as a linear factor, limited so the track's peak does not clip.
pub fn replaygain_factor(gain_db: Option<f64>, peak: Option<f64>) -> f32 {
    let Some(db) = gain_db else {
        return 1.0;
    };
    let mut factor = 10f64.powf(db / 20.0);
    if let Some(peak) = peak.filter(|p| *p > 0.0) {
        factor = factor.min(1.0 / peak);
    }
    factor.clamp(0.05, 4.0) as f32
}

#[cfg(test)]
mod tests {
    use super::replaygain_factor;

    #[test]
    fn gain_is_linear_limited_by_the_peak_and_bounded() {
        assert_eq!(replaygain_factor(None, Some(0.5)), 1.0);
        assert!((replaygain_factor(Some(-6.0), None) - 0.501).abs() < 0.001);
        // +6 dB would push a 0.8 peak past full scale: held at 1 / 0.8.
        assert!((replaygain_factor(Some(6.0), Some(0.8)) - 1.25).abs() < 1e-6);
        assert_eq!(replaygain_factor(Some(-60.0), None), 0.05);
        assert_eq!(replaygain_factor(Some(30.0), None), 4.0);
    }
}
