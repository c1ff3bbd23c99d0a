//! How loud a track plays: a ReplayGain gain (from tags, else from the analysed loudness), limited
//! by the peak so it never clips; for an album, one gain from all its tracks.

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

/// What an album's loudness is made from: one analysed track.
#[derive(Debug, Clone, Copy)]
pub struct AlbumTrack {
    pub lufs: f64,
    pub peak: Option<f64>,
    pub duration_ms: u64,
}

/// An album's integrated loudness from its tracks' (their mean energy, each weighted by its
/// length, as one integrated measurement over the whole album would give, gating aside) and its
/// loudest peak. `None` for no tracks.
pub fn album_loudness(tracks: &[AlbumTrack]) -> Option<(f64, Option<f64>)> {
    let finite: Vec<&AlbumTrack> = tracks.iter().filter(|t| t.lufs.is_finite()).collect();
    if finite.is_empty() {
        return None;
    }
    // A track of unknown length counts as one second rather than not at all.
    let weight = |t: &AlbumTrack| t.duration_ms.max(1000) as f64;
    let total: f64 = finite.iter().map(|t| weight(t)).sum();
    let energy: f64 = finite
        .iter()
        .map(|t| weight(t) * 10f64.powf(t.lufs / 10.0))
        .sum::<f64>()
        / total;
    let peak = finite
        .iter()
        .filter_map(|t| t.peak)
        .fold(None, |m: Option<f64>, p| Some(m.map_or(p, |m| m.max(p))));
    Some((10.0 * energy.log10(), peak))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn album_loudness_is_the_length_weighted_energy_and_the_loudest_peak() {
        let t = |lufs, peak, duration_ms| AlbumTrack {
            lufs,
            peak,
            duration_ms,
        };
        assert_eq!(album_loudness(&[]), None);
        let (l, p) = album_loudness(&[t(-14.0, Some(0.9), 200_000)]).unwrap();
        assert!((l + 14.0).abs() < 1e-9 && p == Some(0.9));
        // Equal lengths at -10 and -20 LUFS: energy mean, 10·log10((0.1 + 0.01) / 2) = -12.6.
        let (l, p) = album_loudness(&[t(-10.0, Some(0.5), 1000), t(-20.0, None, 1000)]).unwrap();
        assert!((l + 12.596).abs() < 0.001, "{l}");
        assert_eq!(p, Some(0.5));
        // The long quiet track weighs more.
        let (long_quiet, _) =
            album_loudness(&[t(-10.0, None, 1000), t(-20.0, None, 9000)]).unwrap();
        assert!(long_quiet < l);
    }

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
