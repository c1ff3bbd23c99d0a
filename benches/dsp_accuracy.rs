//! Accuracy of the DSP tempo and key estimates on labelled audio: the MIDI fixtures
//! (tests/fixtures/midi, labels in their CSVs) rendered with fluidsynth and FluidR3_GM.
//! Reports tempo Accuracy1 (±4 %) and Accuracy2 (also ×2, ×½, ×3, ×⅓) on constant-tempo pieces, and
//! the MIREX weighted key score (1 same, 0.5 fifth above, 0.3 relative, 0.2 parallel).
//! Run: `cargo bench --bench dsp_accuracy` (needs fluidsynth and fluid-soundfont-gm).

use std::path::{Path, PathBuf};
use std::process::Command;

use sonare::analysis::dsp::{estimate_key, estimate_rhythm};
use sonare::audio::TrackDecoder;

const SOUNDFONT: &str = "/usr/share/sounds/sf2/FluidR3_GM.sf2";
const PITCHES: [&str; 12] = [
    "C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B",
];

fn pitch_class(name: &str) -> Option<u8> {
    let aliases = [
        ("Db", "C#"),
        ("D#", "Eb"),
        ("Gb", "F#"),
        ("G#", "Ab"),
        ("A#", "Bb"),
    ];
    let name = aliases
        .iter()
        .find(|(a, _)| *a == name)
        .map(|(_, b)| *b)
        .unwrap_or(name);
    PITCHES.iter().position(|p| *p == name).map(|p| p as u8)
}

/// "G major" / "G minor" (key_true) or "G" / "Cm" (MIDI key signature).
fn parse_key(text: &str) -> Option<(u8, bool)> {
    let text = text.trim();
    if let Some((tonic, mode)) = text.split_once(' ') {
        return Some((pitch_class(tonic)?, mode == "minor"));
    }
    match text.strip_suffix('m') {
        Some(tonic) if !tonic.is_empty() => Some((pitch_class(tonic)?, true)),
        _ => Some((pitch_class(text)?, false)),
    }
}

fn mirex(reference: (u8, bool), estimate: (u8, bool)) -> f64 {
    let up = (estimate.0 + 12 - reference.0) % 12;
    match (up, reference.1 == estimate.1) {
        (0, true) => 1.0,
        (7, true) => 0.5,
        (9, false) if !reference.1 => 0.3, // C major -> A minor
        (3, false) if reference.1 => 0.3,  // A minor -> C major
        (0, false) => 0.2,
        _ => 0.0,
    }
}

fn render(midi: &Path, cache: &Path) -> PathBuf {
    let wav = cache.join(midi.file_name().unwrap()).with_extension("wav");
    if !wav.exists() {
        let partial = wav.with_extension("wav.part");
        let status = Command::new("fluidsynth")
            .args(["-ni", "-g", "0.6", "-r", "44100", "-F"])
            .arg(&partial)
            .arg(SOUNDFONT)
            .arg(midi)
            .output()
            .expect("fluidsynth (Debian fluidsynth + fluid-soundfont-gm)");
        assert!(
            status.status.success(),
            "{}",
            String::from_utf8_lossy(&status.stderr)
        );
        std::fs::rename(&partial, &wav).unwrap();
    }
    wav
}

fn main() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cache = repo.join("target/test-cache/midi-render");
    std::fs::create_dir_all(&cache).unwrap();
    let (mut tempo_n, mut acc1, mut acc2) = (0, 0, 0);
    let (mut key_n, mut key_score) = (0, 0.0);
    let (mut metre_n, mut metre_told, mut metre_right) = (0, 0, 0);
    println!("| file | label BPM | estimated BPM | label key | estimated key | label metre | estimated metre |");
    println!("|---|---|---|---|---|---|---|");
    for set in ["goldberg-mutopia", "openttd-openmsx"] {
        let dir = repo.join("tests/fixtures/midi").join(set);
        let csv = std::fs::read_to_string(dir.join("labels.midi-meta.csv")).unwrap();
        let mut lines = csv.lines();
        let header: Vec<&str> = lines.next().unwrap().split(',').collect();
        let col = |name: &str| header.iter().position(|h| *h == name);
        for line in lines {
            let fields: Vec<&str> = line.split(',').collect();
            let get = |name: &str| col(name).and_then(|i| fields.get(i).copied()).unwrap_or("");
            let midi = walkdir::WalkDir::new(&dir)
                .into_iter()
                .filter_map(Result::ok)
                .find(|e| e.file_name().to_string_lossy() == get("file"))
                .unwrap_or_else(|| panic!("{} not under {}", get("file"), dir.display()))
                .into_path();
            let wav = render(&midi, &cache);
            let (samples, rate, channels) = TrackDecoder::decode_all(&wav).unwrap();
            let mono: Vec<f32> = samples
                .chunks_exact(channels as usize)
                .map(|f| f.iter().sum::<f32>() / channels as f32)
                .collect();
            let rhythm = estimate_rhythm(&mono, rate);
            let tempo = rhythm.tempo.as_ref().map(|t| t.bpm);
            // Triple (3/4, 3/8, 9/8) against duple and quadruple (2/4, 4/4, 2/2, 6/8, 12/8).
            let label_metre = get("time_signatures")
                .split('|')
                .next()
                .unwrap_or("")
                .trim();
            let triple = match label_metre.split('/').next() {
                Some("3" | "9") => Some(true),
                Some("2" | "4" | "6" | "12") => Some(false),
                _ => None,
            };
            if let Some(triple) = triple {
                metre_n += 1;
                if let Some(m) = &rhythm.metre {
                    metre_told += 1;
                    metre_right += ((m.beats_per_bar == 3) == triple) as u32;
                }
            }
            let key = estimate_key(&mono, rate);
            let label_bpm: f32 = get("bpm_first").parse().unwrap_or(0.0);
            if get("tempo_constant") == "True" {
                if let Some(bpm) = tempo {
                    tempo_n += 1;
                    let within = |target: f32| (bpm - target).abs() <= 0.04 * target;
                    acc1 += within(label_bpm) as u32;
                    acc2 += [1.0, 2.0, 0.5, 3.0, 1.0 / 3.0]
                        .iter()
                        .any(|f| within(label_bpm * f)) as u32;
                }
            }
            let label_key = if !get("key_true").is_empty() {
                get("key_true")
            } else {
                get("midi_key_signatures")
            };
            let reference = parse_key(label_key.split('|').next().unwrap_or(""));
            if let (Some(reference), Some(k)) = (reference, &key) {
                key_n += 1;
                key_score += mirex(reference, (k.tonic, k.minor));
            }
            println!(
                "| {} | {} | {} | {} | {} | {} | {} |",
                get("file"),
                label_bpm,
                tempo.map(|b| format!("{b:.1}")).unwrap_or_default(),
                label_key,
                key.map(|k| k.key).unwrap_or_default(),
                label_metre,
                rhythm
                    .metre
                    .map(|m| format!("{} ({:.2})", m.metre, m.confidence))
                    .unwrap_or_default()
            );
        }
    }
    println!(
        "\ntempo (constant-tempo pieces, n = {tempo_n}): Accuracy1 {:.1} %, Accuracy2 {:.1} %",
        100.0 * acc1 as f64 / tempo_n.max(1) as f64,
        100.0 * acc2 as f64 / tempo_n.max(1) as f64
    );
    println!(
        "metre (triple vs duple, n = {metre_n}): told for {:.1} %, right on {:.1} % of those",
        100.0 * metre_told as f64 / metre_n.max(1) as f64,
        100.0 * metre_right as f64 / metre_told.max(1) as f64
    );
    println!(
        "key (labelled pieces, n = {key_n}): MIREX weighted score {:.3}",
        key_score / key_n.max(1) as f64
    );
}
