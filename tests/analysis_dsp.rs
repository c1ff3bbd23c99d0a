//! Tempo, metre and key on real renders of labelled MIDI (labels in tests/fixtures/midi/*/labels.midi-meta.csv).
//! The full accuracy figures over all fixtures are a benchmark (`cargo bench --bench dsp_accuracy`);
//! these pieces guard against regressions.

mod common;

use sonare::analysis::dsp::{estimate_key, estimate_rhythm};
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
fn labelled_pieces_get_their_tempo_key_and_metre() {
    // (set, file, label BPM, label key, metre where the estimate is confident enough to say)
    for (set, name, bpm, key, metre) in [
        (
            "openttd-openmsx",
            "boogi_marabi_redfarn.mid",
            153.0,
            "C major",
            None,
        ),
        (
            "openttd-openmsx",
            "moo_redfarn.mid",
            120.0,
            "G major",
            Some("4/4"),
        ),
        ("goldberg-mutopia", "bwv-988-v12.mid", 94.0, "G major", None),
        (
            "goldberg-mutopia",
            "bwv-988-v26.mid",
            85.0,
            "G major",
            Some("3/4"),
        ),
    ] {
        let (audio, rate) = mono(&common::rendered_midi(set, name));
        let rhythm = estimate_rhythm(&audio, rate);
        let tempo = rhythm.tempo.unwrap();
        assert!(
            (tempo.bpm - bpm).abs() <= 0.04 * bpm,
            "{name}: {} BPM, label {bpm}",
            tempo.bpm
        );
        assert_eq!(rhythm.metre.map(|m| m.metre).as_deref(), metre, "{name}");
        let estimate = estimate_key(&audio, rate).unwrap();
        assert_eq!(estimate.key, key, "{name}");
    }
}
