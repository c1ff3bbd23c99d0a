//! Accuracy of the DSP tempo, key and metre estimates on every labelled check set, per set:
//! - `classical`: Bach's Goldberg Variations (tests/fixtures/midi/goldberg-mutopia), rendered MIDI;
//! - `openmsx`: OpenTTD's OpenMSX set (General MIDI, most with drums and bass), rendered MIDI;
//! - `grooves`: ten popular styles with drums and bass (benches/make_grooves.py), rendered MIDI;
//! - `real`: the demo library's recordings (Debian packages), labels in tests/fixtures/real/labels.csv
//!   (how each was made: benches/label_real.py).
//!
//! MIDI renders use fluidsynth with FluidR3_GM at 44.1 kHz (cached in target/test-cache/midi-render).
//! Reports tempo Accuracy1 (±4 %) and Accuracy2 (also ×2, ×½, ×3, ×⅓), the MIREX weighted key score
//! (1 same, 0.5 fifth above, 0.3 relative, 0.2 parallel) and beats per bar (answered: share answered and
//! right among those; forced: right when made to answer), and the DSP's speed (× real time, one core).
//! The real set is also scored in halves (`real-dev`, `real-check`: alternate rows of its labels).
//! Run: `cargo bench --bench dsp_accuracy [-- SET…] [-- --files]` (needs fluidsynth, fluid-soundfont-gm).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use sonare::analysis::dsp::{KeyEstimator, KeyOptions, KeyProfile, RhythmEstimator};
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
    let text = text.split('|').next()?.trim();
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

/// Beats per bar as the estimator answers it (2, 3, 4 or 6 = compound duple) from a time signature:
/// 2/4 2/2 → 2, 3/4 3/8 9/8 → 3, 4/4 12/8 → 4, 6/8 6/4 → 6; others (5/4, 7/8) have no answer.
fn beats_per_bar(signature: &str) -> Option<u8> {
    let (n, d) = signature.trim().split_once('/')?;
    match (n, d) {
        ("2", _) => Some(2),
        ("3", _) | ("9", "8") => Some(3),
        ("4", _) | ("12", "8") => Some(4),
        ("6", _) => Some(6),
        _ => None,
    }
}

/// The key method's options, from `DSP_KEY="profile=edma,harmonics=2,…"` (the defaults otherwise), so
/// variants can be compared on every set.
fn key_options() -> KeyOptions {
    let mut options = KeyOptions::default();
    for pair in std::env::var("DSP_KEY").unwrap_or_default().split(',') {
        let Some((name, value)) = pair.split_once('=') else {
            continue;
        };
        match name {
            "profile" => {
                options.profile = *KeyProfile::ALL
                    .iter()
                    .find(|p| format!("{p:?}").eq_ignore_ascii_case(value))
                    .unwrap_or_else(|| panic!("profile {value}: one of {:?}", KeyProfile::ALL))
            }
            "harmonics" => options.harmonics = value.parse().unwrap(),
            "decay" => options.harmonic_decay = value.parse().unwrap(),
            "min_hz" => options.min_hz = value.parse().unwrap(),
            "max_hz" => options.max_hz = value.parse().unwrap(),
            "floor_db" => options.peak_floor_db = value.parse().unwrap(),
            "normalise" => options.normalise_frames = value == "1",
            "tuning" => options.tuning = value == "1",
            _ => panic!("DSP_KEY: unknown option {name}"),
        }
    }
    options
}

struct Item {
    audio: PathBuf,
    name: String,
    /// The felt beat's tempo, when constant.
    bpm: Option<f32>,
    key: Option<(u8, bool)>,
    beats_per_bar: Option<u8>,
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

/// Rows of a CSV without quoted commas (the label files), as maps of column to value.
fn read_csv(path: &Path) -> Vec<std::collections::HashMap<String, String>> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut lines = text.lines();
    let header: Vec<String> = lines
        .next()
        .unwrap()
        .split(',')
        .map(str::to_owned)
        .collect();
    lines
        .map(|line| {
            header
                .iter()
                .cloned()
                .zip(line.split(',').map(str::to_owned))
                .collect()
        })
        .collect()
}

fn midi_set(repo: &Path, set: &str) -> Vec<Item> {
    let cache = repo.join("target/test-cache/midi-render");
    std::fs::create_dir_all(&cache).unwrap();
    let dir = repo.join("tests/fixtures/midi").join(set);
    read_csv(&dir.join("labels.midi-meta.csv"))
        .into_iter()
        .map(|row| {
            let get = |k: &str| row.get(k).map(String::as_str).unwrap_or("");
            let midi = walkdir::WalkDir::new(&dir)
                .into_iter()
                .filter_map(Result::ok)
                .find(|e| e.file_name().to_string_lossy() == get("file"))
                .unwrap_or_else(|| panic!("{} not under {}", get("file"), dir.display()))
                .into_path();
            let constant = get("tempo_constant") == "True" && get("n_tempo_events") != "0";
            let bpm = if !get("beat_bpm").is_empty() {
                get("beat_bpm").parse().ok()
            } else {
                get("bpm_first").parse().ok()
            };
            let key = if get("key_true").is_empty() {
                get("midi_key_signatures")
            } else {
                get("key_true")
            };
            Item {
                audio: render(&midi, &cache),
                name: get("file").to_owned(),
                bpm: bpm.filter(|_| constant),
                key: parse_key(key),
                beats_per_bar: beats_per_bar(
                    get("time_signatures").split('|').next().unwrap_or(""),
                ),
            }
        })
        .collect()
}

fn real_set(repo: &Path) -> Vec<Item> {
    let demo = repo.join("target/test-cache/demo-music");
    let labels = repo.join("tests/fixtures/real/labels.csv");
    if !demo.exists() {
        eprintln!(
            "real: no demo library in {} (run the Rust tests once)",
            demo.display()
        );
        return Vec::new();
    }
    read_csv(&labels)
        .into_iter()
        .map(|row| {
            let get = |k: &str| row.get(k).map(String::as_str).unwrap_or("");
            Item {
                audio: demo.join(get("file")),
                name: get("file")
                    .rsplit('/')
                    .take(2)
                    .collect::<Vec<_>>()
                    .join(" < "),
                bpm: get("bpm").parse().ok(),
                key: parse_key(get("key")),
                beats_per_bar: get("beats_per_bar").parse().ok().filter(|&b| b > 0),
            }
        })
        .collect()
}

#[derive(Default)]
struct Tally {
    tempo_n: u32,
    acc1: u32,
    acc2: u32,
    key_n: u32,
    key_score: f64,
    metre_n: u32,
    metre_told: u32,
    metre_right: u32,
    metre_forced_right: u32,
    audio: f64,
    time: Duration,
    /// (confidence, right) of every forced metre answer, for the threshold table.
    metres: Vec<(f32, bool)>,
}

fn evaluate(item: &Item, tally: &mut Tally, verbose: bool) {
    let decoder = TrackDecoder::decode_all(&item.audio);
    let (samples, rate, channels) =
        decoder.unwrap_or_else(|e| panic!("{}: {e}", item.audio.display()));
    let mono: Vec<f32> = samples
        .chunks_exact(channels as usize)
        .map(|f| f.iter().sum::<f32>() / channels as f32)
        .collect();
    tally.audio += mono.len() as f64 / rate as f64;
    let start = Instant::now();
    let (mut key, mut rhythm) = (
        KeyEstimator::with_options(rate, key_options()),
        RhythmEstimator::new(rate),
    );
    for chunk in mono.chunks(4096) {
        key.push(chunk);
        rhythm.push(chunk);
    }
    let (key, rhythm) = (key.finish(), rhythm.finish());
    tally.time += start.elapsed();
    let tempo = rhythm.tempo.as_ref().map(|t| t.bpm);
    if let (Some(label), Some(bpm)) = (item.bpm, tempo) {
        tally.tempo_n += 1;
        let within = |target: f32| (bpm - target).abs() <= 0.04 * target;
        tally.acc1 += within(label) as u32;
        tally.acc2 += [1.0, 2.0, 0.5, 3.0, 1.0 / 3.0]
            .iter()
            .any(|f| within(label * f)) as u32;
    }
    if let (Some(reference), Some(k)) = (item.key, &key) {
        tally.key_n += 1;
        tally.key_score += mirex(reference, (k.tonic, k.minor));
    }
    if let Some(label) = item.beats_per_bar {
        tally.metre_n += 1;
        let forced = rhythm.metre.as_ref().map(|m| m.beats_per_bar);
        tally.metre_forced_right += (forced == Some(label)) as u32;
        if let Some(m) = &rhythm.metre {
            tally.metres.push((m.confidence, m.beats_per_bar == label));
        }
        if let Some(m) = rhythm.metre.as_ref().filter(|m| m.is_confident()) {
            tally.metre_told += 1;
            tally.metre_right += (m.beats_per_bar == label) as u32;
        }
    }
    if verbose {
        println!(
            "| {} | {} | {} | {} | {} | {} | {} |",
            item.name,
            item.bpm.map(|b| format!("{b:.1}")).unwrap_or_default(),
            tempo.map(|b| format!("{b:.1}")).unwrap_or_default(),
            item.key
                .map(|(t, m)| format!(
                    "{} {}",
                    PITCHES[t as usize],
                    if m { "minor" } else { "major" }
                ))
                .unwrap_or_default(),
            key.map(|k| format!("{} ({:.2})", k.key, k.confidence))
                .unwrap_or_default(),
            item.beats_per_bar
                .map(|b| b.to_string())
                .unwrap_or_default(),
            rhythm
                .metre
                .map(|m| format!(
                    "{} ({:.2}){}",
                    m.beats_per_bar,
                    m.confidence,
                    if m.is_confident() { "" } else { " not told" }
                ))
                .unwrap_or_default()
        );
    }
}

fn main() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let verbose = args.iter().any(|a| a == "--files");
    let wanted: Vec<&str> = args
        .iter()
        .filter(|a| !a.starts_with("--"))
        .map(String::as_str)
        .collect();
    let mut summary = Vec::new();
    // The real set is also scored in two halves (alternate rows): choices are made on the first with
    // the MIDI sets, and checked on the second and the grooves.
    for set in [
        "classical",
        "openmsx",
        "grooves",
        "real",
        "real-dev",
        "real-check",
    ] {
        if !wanted.is_empty() && !wanted.contains(&set) {
            continue;
        }
        let items = match set {
            "classical" => midi_set(repo, "goldberg-mutopia"),
            "openmsx" => midi_set(repo, "openttd-openmsx"),
            "grooves" => midi_set(repo, "grooves"),
            "real-dev" | "real-check" => real_set(repo)
                .into_iter()
                .enumerate()
                .filter(|(i, _)| (i % 2 == 0) == (set == "real-dev"))
                .map(|(_, item)| item)
                .collect(),
            _ => real_set(repo),
        };
        if verbose {
            println!("\n{set}\n\n| file | label BPM | BPM | label key | key | label beats/bar | beats/bar |");
            println!("|---|---|---|---|---|---|---|");
        }
        let mut tally = Tally::default();
        for item in &items {
            evaluate(item, &mut tally, verbose);
        }
        summary.push((set, items.len(), tally));
    }
    let pct = |a: u32, n: u32| 100.0 * a as f64 / n.max(1) as f64;
    println!("\nBeats per bar by confidence threshold (answered / right when answered):\n");
    let thresholds = [0.0f32, 0.1, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0];
    println!(
        "| set | {} |",
        thresholds.map(|t| format!("≥ {t}")).join(" | ")
    );
    println!("|---|{}", "---|".repeat(thresholds.len()));
    for (set, _, t) in &summary {
        let cells = thresholds.map(|threshold| {
            let told: Vec<bool> = t
                .metres
                .iter()
                .filter(|(c, _)| *c >= threshold)
                .map(|(_, right)| *right)
                .collect();
            let right = told.iter().filter(|r| **r).count() as u32;
            format!(
                "{:.0} % / {:.0} %",
                pct(told.len() as u32, t.metres.len() as u32),
                pct(right, told.len() as u32)
            )
        });
        println!("| {set} | {} |", cells.join(" | "));
    }
    println!("\n| set | files | key MIREX (n) | tempo Acc1 | tempo Acc2 (n) | beats/bar answered | right when answered | forced (n) | DSP × real time |");
    println!("|---|---|---|---|---|---|---|---|---|");
    for (set, files, t) in summary {
        println!(
            "| {set} | {files} | {:.3} ({}) | {:.1} % | {:.1} % ({}) | {:.1} % | {:.1} % | {:.1} % ({}) | {:.0}× |",
            t.key_score / t.key_n.max(1) as f64,
            t.key_n,
            pct(t.acc1, t.tempo_n),
            pct(t.acc2, t.tempo_n),
            t.tempo_n,
            pct(t.metre_told, t.metre_n),
            pct(t.metre_right, t.metre_told),
            pct(t.metre_forced_right, t.metre_n),
            t.metre_n,
            t.audio / t.time.as_secs_f64(),
        );
    }
}
