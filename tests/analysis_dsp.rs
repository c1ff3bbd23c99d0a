//! Tempo, key and metre on a few labelled pieces of every check set: rendered classical MIDI (Goldberg
//! Variations), General MIDI with drums (OpenMSX), the popular-style grooves (benches/make_grooves.py)
//! and real recordings of the demo library (labels in tests/fixtures/real/labels.csv, made as
//! benches/label_real.py says). The full figures over every piece are a benchmark
//! (`cargo bench --bench dsp_accuracy`, BENCHMARKS.md); these guard against regressions, each set's
//! thresholds a little below what the shipped method scores on these pieces (measured: classical key
//! 0.917, tempo 0.833, metre 0.50; General MIDI 0.800, 1.000, 0.67; grooves 1.000, 1.000, 0.57; real
//! 0.783, 1.000, 1.00).

mod common;

use std::path::PathBuf;

use sonare::analysis::dsp::{estimate_key, estimate_rhythm};
use sonare::audio::TrackDecoder;

const PITCHES: [&str; 12] = [
    "C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B",
];

fn mono(path: &std::path::Path) -> (Vec<f32>, u32) {
    let (samples, rate, channels) = TrackDecoder::decode_all(path).unwrap();
    let mono = samples
        .chunks_exact(channels as usize)
        .map(|f| f.iter().sum::<f32>() / channels as f32)
        .collect();
    (mono, rate)
}

fn parse_key(text: &str) -> (u8, bool) {
    let (tonic, mode) = text.split_once(' ').unwrap();
    let tonic = PITCHES.iter().position(|p| *p == tonic).unwrap() as u8;
    (tonic, mode == "minor")
}

/// MIREX weighted key score: 1 same, 0.5 a fifth above, 0.3 relative, 0.2 parallel.
fn mirex(label: (u8, bool), estimate: (u8, bool)) -> f64 {
    let up = (estimate.0 + 12 - label.0) % 12;
    match (up, label.1 == estimate.1) {
        (0, true) => 1.0,
        (7, true) => 0.5,
        (9, false) if !label.1 => 0.3,
        (3, false) if label.1 => 0.3,
        (0, false) => 0.2,
        _ => 0.0,
    }
}

struct Piece {
    audio: PathBuf,
    /// The felt beat, or None where the tempo changes.
    bpm: Option<f32>,
    key: String,
    beats_per_bar: Option<u8>,
}

struct Scores {
    key: f64,
    tempo_acc2: f64,
    metre: f64,
}

impl Scores {
    /// Fails unless every score reaches its threshold.
    fn at_least(&self, key: f64, tempo_acc2: f64, metre: f64) {
        assert!(self.key >= key, "key {:.3}", self.key);
        assert!(
            self.tempo_acc2 >= tempo_acc2,
            "tempo {:.3}",
            self.tempo_acc2
        );
        assert!(self.metre >= metre, "metre {:.3}", self.metre);
    }
}

/// Mean MIREX key score, tempo Accuracy2 (±4 %, also ×2, ×½, ×3, ×⅓) and share of forced metre
/// answers that are right; prints every piece so a failure shows which moved.
fn score(pieces: &[Piece]) -> Scores {
    let (mut key, mut tempo, mut tempo_n, mut metre, mut metre_n) = (0.0, 0, 0, 0, 0);
    for piece in pieces {
        let (audio, rate) = mono(&piece.audio);
        let rhythm = estimate_rhythm(&audio, rate);
        let estimate = estimate_key(&audio, rate).unwrap();
        key += mirex(parse_key(&piece.key), (estimate.tonic, estimate.minor));
        let bpm = rhythm.tempo.as_ref().map(|t| t.bpm);
        if let (Some(label), Some(bpm)) = (piece.bpm, bpm) {
            tempo_n += 1;
            let within = |target: f32| (bpm - target).abs() <= 0.04 * target;
            tempo += [1.0, 2.0, 0.5, 3.0, 1.0 / 3.0]
                .iter()
                .any(|f| within(label * f)) as u32;
        }
        let answer = rhythm.metre.as_ref().map(|m| m.beats_per_bar);
        if let Some(label) = piece.beats_per_bar {
            metre_n += 1;
            metre += (answer == Some(label)) as u32;
        }
        println!(
            "{}: {:?} BPM (label {:?}), {} (label {}), {:?} beats per bar (label {:?})",
            piece.audio.display(),
            bpm,
            piece.bpm,
            estimate.key,
            piece.key,
            answer,
            piece.beats_per_bar
        );
    }
    let scores = Scores {
        key: key / pieces.len() as f64,
        tempo_acc2: tempo as f64 / tempo_n.max(1) as f64,
        metre: metre as f64 / metre_n.max(1) as f64,
    };
    println!(
        "key {:.3}, tempo Accuracy2 {:.3}, metre {:.3}",
        scores.key, scores.tempo_acc2, scores.metre
    );
    scores
}

fn midi(set: &str, name: &str, bpm: Option<f32>, key: &str, beats: Option<u8>) -> Piece {
    Piece {
        audio: common::rendered_midi(set, name),
        bpm,
        key: key.to_owned(),
        beats_per_bar: beats,
    }
}

/// A demo recording with its row of tests/fixtures/real/labels.csv.
fn real(file_end: &str) -> Piece {
    let labels = std::fs::read_to_string(common::fixtures().join("real/labels.csv")).unwrap();
    let row: Vec<&str> = labels
        .lines()
        .find(|l| l.split(',').next().unwrap().ends_with(file_end))
        .unwrap_or_else(|| panic!("{file_end} not in labels.csv"))
        .split(',')
        .collect();
    // file,seconds,bpm,bpm_source,bpm_strength,key,key_probability,beats_per_bar
    Piece {
        audio: common::demo_music().join(row[0]),
        bpm: row[2].parse().ok(),
        key: row[5].to_owned(),
        beats_per_bar: row[7].parse().ok().filter(|b| *b > 0),
    }
}

#[test]
fn classical_midi_keeps_its_key_tempo_and_metre() {
    let set = "goldberg-mutopia";
    let scores = score(&[
        midi(set, "bwv-988-v01.mid", Some(60.0), "G major", Some(3)),
        midi(set, "bwv-988-v10.mid", Some(60.0), "G major", Some(2)),
        midi(set, "bwv-988-v12.mid", Some(94.0), "G major", Some(3)),
        midi(set, "bwv-988-v21.mid", Some(34.0), "G minor", Some(4)),
        midi(set, "bwv-988-v22.mid", Some(180.0), "G major", Some(2)),
        midi(set, "bwv-988-v26.mid", Some(85.0), "G major", Some(3)),
    ]);
    scores.at_least(0.85, 0.8, 0.45);
}

#[test]
fn general_midi_with_drums_keeps_its_key_tempo_and_metre() {
    let set = "openttd-openmsx";
    let scores = score(&[
        midi(
            set,
            "boogi_marabi_redfarn.mid",
            Some(153.0),
            "C major",
            Some(3),
        ),
        midi(set, "moo_redfarn.mid", Some(120.0), "G major", Some(4)),
        midi(set, "5432gone_redfarn.mid", Some(120.0), "G major", None),
        midi(set, "be_sharp_bw_redfarn.mid", None, "C minor", Some(4)),
    ]);
    scores.at_least(0.7, 0.9, 0.6);
}

#[test]
fn popular_grooves_keep_their_key_tempo_and_metre() {
    let set = "grooves";
    let scores = score(&[
        midi(set, "pop-1.mid", Some(97.0), "B major", Some(4)),
        midi(set, "rock-1.mid", Some(146.0), "B major", Some(4)),
        midi(set, "funk-2.mid", Some(99.0), "B minor", Some(4)),
        midi(set, "waltz-2.mid", Some(180.0), "G major", Some(3)),
        midi(set, "jazzwaltz-1.mid", Some(140.0), "C major", Some(3)),
        midi(set, "ballad68-3.mid", Some(59.0), "Eb major", Some(6)),
        midi(set, "march-2.mid", Some(109.0), "G major", Some(2)),
    ]);
    scores.at_least(0.9, 0.85, 0.55);
}

#[test]
fn real_recordings_keep_their_key_tempo_and_metre() {
    let scores = score(&[
        real("sectoid/Feelings/song.ogg"),
        real("sectoid/Escape from chaosland/song.ogg"),
        real("muldjord/chaos_god/song.ogg"),
        real("music/time_to_strike.mp3"),
        real("music/battle-epic.ogg"),
        real("music/casualties_of_war.ogg"),
    ]);
    scores.at_least(0.7, 0.8, 0.8);
}
