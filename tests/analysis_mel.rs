//! The Rust log-mel front end against musicnn's own preprocessing (librosa), on real music.
//! Reference arrays: tests/fixtures/musicnn/ (made by scripts/make_musicnn_reference.py).

mod common;

use sonare::analysis::mel::{MelFrontEnd, N_MELS, PATCH_FRAMES};

/// Largest absolute difference allowed per mel value (values span 0–5). Measured: 1.3e-6, float32
/// rounding between numpy's FFT and realfft.
const TOLERANCE: f32 = 1e-5;

#[test]
fn log_mel_matches_musicnns_preprocessing() {
    let audio = common::musicnn_reference("audio_16k.f32");
    let reference = common::musicnn_reference("logmel.f32");
    let frames = MelFrontEnd::new().log_mel(&audio);
    assert_eq!(frames.len() * N_MELS, reference.len());
    let mut worst = 0f32;
    for (frame, expected) in frames.iter().zip(reference.chunks_exact(N_MELS)) {
        for (got, want) in frame.iter().zip(expected) {
            worst = worst.max((got - want).abs());
        }
    }
    println!("largest difference to librosa: {worst:e}");
    assert!(worst < TOLERANCE, "largest difference {worst}");
    let patches = MelFrontEnd::patches(&frames);
    assert_eq!(patches.len(), 1);
    assert_eq!(patches[0].len(), PATCH_FRAMES);
}
