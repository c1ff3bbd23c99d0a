//! Tempo and key on real renders of labelled MIDI (labels in tests/fixtures/midi/*/labels.midi-meta.csv).
//! The full accuracy figures over all fixtures are a benchmark (`cargo bench --bench dsp_accuracy`);
//! these pieces guard against regressions.

mod common;

use sonare::analysis::dsp::{estimate_key, estimate_tempo};
use sonare::audio::TrackDecoder;

fn mono(path: &std::path::Path) -> (Vec<f32>, u32) {
    let (samples, rate, channels) = TrackDecoder::decode_all(path).unwrap();
    let mono = samples
        .chunks_exact(channels as usize)
        .map(|f| f.iter().sum::<f32>() / channels as f32)
        .collect();
    (mono, rate)
}

#[test]
fn labelled_pieces_get_their_tempo_and_key() {
    for (set, name, bpm, key) in [
        (
            "openttd-openmsx",
            "boogi_marabi_redfarn.mid",
            153.0,
            "C major",
        ),
        (
            "openttd-openmsx",
            "careless_perc_redfarn.mid",
            64.0,
            "C major",
        ),
        ("goldberg-mutopia", "bwv-988-v12.mid", 94.0, "G major"),
    ] {
        let (audio, rate) = mono(&common::rendered_midi(set, name));
        let tempo = estimate_tempo(&audio, rate).unwrap();
        assert!(
            (tempo.bpm - bpm).abs() <= 0.04 * bpm,
            "{name}: {} BPM, label {bpm}",
            tempo.bpm
        );
        let estimate = estimate_key(&audio, rate).unwrap();
        assert_eq!(estimate.key, key, "{name}");
    }
}
