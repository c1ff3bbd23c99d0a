//! Whole-track analysis: EBU R128 loudness at the native rate, and the CNN over resampled 16 kHz audio.

mod common;

use sonare::analysis::cnn::AudioCnn;
use sonare::analysis::track::{analyze_track, analyze_track_with};

/// A 16-bit mono WAV of a 1 kHz sine with the given peak amplitude.
fn sine_wav(path: &std::path::Path, amplitude: f32, seconds: u32) {
    let rate = 44_100u32;
    let samples: Vec<i16> = (0..rate * seconds)
        .map(|n| {
            ((2.0 * std::f32::consts::PI * 1000.0 * n as f32 / rate as f32).sin()
                * amplitude
                * 32767.0) as i16
        })
        .collect();
    let data_len = samples.len() as u32 * 2;
    let mut bytes = Vec::new();
    bytes.extend_from_slice(b"RIFF");
    bytes.extend_from_slice(&(36 + data_len).to_le_bytes());
    bytes.extend_from_slice(b"WAVEfmt ");
    bytes.extend_from_slice(&16u32.to_le_bytes()); // fmt chunk size
    bytes.extend_from_slice(&1u16.to_le_bytes()); // PCM
    bytes.extend_from_slice(&1u16.to_le_bytes()); // mono
    bytes.extend_from_slice(&rate.to_le_bytes());
    bytes.extend_from_slice(&(rate * 2).to_le_bytes());
    bytes.extend_from_slice(&2u16.to_le_bytes());
    bytes.extend_from_slice(&16u16.to_le_bytes());
    bytes.extend_from_slice(b"data");
    bytes.extend_from_slice(&data_len.to_le_bytes());
    for s in samples {
        bytes.extend_from_slice(&s.to_le_bytes());
    }
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn loudness_follows_the_signal_level() {
    let tmp = tempfile::tempdir().unwrap();
    let (loud, quiet) = (tmp.path().join("loud.wav"), tmp.path().join("quiet.wav"));
    sine_wav(&loud, 0.5, 5);
    sine_wav(&quiet, 0.05, 5);
    let a = analyze_track(&loud, None).unwrap();
    let b = analyze_track(&quiet, None).unwrap();
    let (la, lb) = (a.loudness_lufs.unwrap(), b.loudness_lufs.unwrap());
    // A mono 1 kHz sine of peak 0.5 (-6 dBFS peak, -9 dB RMS) reads about -9.4 LUFS after K-weighting.
    assert!((la + 9.4).abs() < 0.5, "{la}");
    assert!(((la - lb) - 20.0).abs() < 0.1, "{la} vs {lb}");
    assert!(
        a.loudness_range_lu.unwrap() < 1.0,
        "a steady tone has no loudness range"
    );
    assert!(a.tags.is_empty() && a.patches == 0, "no CNN, no tags");
}

#[test]
fn the_cnn_tags_and_embeds_a_whole_real_track() {
    let mut cnn = AudioCnn::load(
        &common::onnxruntime(),
        &common::repo().join("assets/models/musicnn_msd.onnx"),
    )
    .unwrap();
    let track = common::demo_file("battle.ogg");
    let analysis = analyze_track_with(&track, Some(&mut cnn), None).unwrap();
    let seconds = {
        let (samples, rate, channels) = sonare::audio::TrackDecoder::decode_all(&track).unwrap();
        samples.len() as f64 / rate as f64 / channels as f64
    };
    assert!((analysis.seconds - seconds).abs() < 0.01);
    assert_eq!(
        analysis.patches,
        (seconds / 3.0) as usize,
        "one patch per 3 s"
    );
    // The default spread of 16 patches gives nearly the same tags as all of them.
    let spread = analyze_track(&track, Some(&mut cnn)).unwrap();
    assert_eq!(spread.patches, sonare::analysis::track::DEFAULT_MAX_PATCHES);
    let cosine = |a: &[f32], b: &[f32]| {
        let dot: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
        dot / (a.iter().map(|x| x * x).sum::<f32>().sqrt()
            * b.iter().map(|x| x * x).sum::<f32>().sqrt())
    };
    let similarity = cosine(&spread.tags, &analysis.tags);
    eprintln!(
        "tags cosine, 16-patch spread vs all {}: {similarity}",
        analysis.patches
    );
    assert!(similarity > 0.97, "{similarity}");
    assert_eq!(
        (spread.tempo, spread.key),
        (analysis.tempo.clone(), analysis.key.clone())
    );
    assert_eq!((analysis.tags.len(), analysis.embedding.len()), (50, 200));
    assert!(analysis.tags.iter().all(|t| (0.0..=1.0).contains(t)));
    assert!(analysis.embedding.iter().any(|e| *e != 0.0));
    let loudness = analysis.loudness_lufs.unwrap();
    assert!((-40.0..-5.0).contains(&loudness), "{loudness}");
}

fn sonare(
    data: &std::path::Path,
    runtime: &std::path::Path,
    args: &[&str],
) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_sonare"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env("ORT_DYLIB_PATH", runtime)
        .output()
        .unwrap()
}

fn summary(out: &std::process::Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn analyze_stores_versioned_results_and_redoes_only_stale_ones() {
    let lib = common::TempLibrary::with_files(&[
        (&common::demo_file("victory.ogg"), "a.ogg"),
        (&common::demo_file("defeat.ogg"), "b.ogg"),
    ]);
    let data = lib.db.parent().unwrap();

    // Without ONNX Runtime: a clear message naming the missing library and the fix; DSP features only.
    let missing = std::path::Path::new("/nonexistent/libonnxruntime.so.1.32.0");
    let out = sonare(data, missing, &["analyze", "--json"]);
    let first = summary(&out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("audio CNN unavailable")
            && stderr.contains("/nonexistent/libonnxruntime")
            && stderr.contains("scripts/fetch_onnxruntime.sh"),
        "{stderr}"
    );
    assert_eq!(
        (first["analysed"].as_u64(), first["up_to_date"].as_u64()),
        (Some(2), Some(0))
    );
    assert!(first["cnn_unavailable"].is_string() && first["seconds"].as_f64().unwrap() > 0.0);
    let conn = sonare::db::open(&lib.db).unwrap();
    let stored = sonare::analysis::store::get(&conn, lib.track_id("a.ogg"))
        .unwrap()
        .unwrap();
    assert_eq!(stored.version, sonare::analysis::track::DSP_VERSION);
    assert!(stored.tempo_bpm.is_some() && stored.key.is_some() && stored.camelot.is_some());
    assert!(stored.loudness_lufs.is_some() && stored.tags.is_empty());

    // With the runtime, the DSP-only rows are stale: both are redone, now with tags.
    let runtime = common::onnxruntime();
    let second = summary(&sonare(data, &runtime, &["analyze", "--json"]));
    assert_eq!(second["analysed"], 2, "{second}");
    assert!(second["cnn_unavailable"].is_null());
    let stored = sonare::analysis::store::get(&conn, lib.track_id("a.ogg"))
        .unwrap()
        .unwrap();
    assert_eq!(
        stored.version,
        sonare::analysis::store::current_version(true)
    );
    assert_eq!((stored.tags.len(), stored.embedding.len()), (50, 200));

    // Up to date: nothing to do.
    let third = summary(&sonare(data, &runtime, &["analyze", "--json"]));
    assert_eq!(
        (third["analysed"].as_u64(), third["up_to_date"].as_u64()),
        (Some(0), Some(2))
    );

    // The track view of the CLI.
    let id = lib.track_id("a.ogg").to_string();
    let out = sonare(data, &runtime, &["track", &id, "--json"]);
    let track = summary(&out);
    let a = &track["analysis"];
    assert_eq!(a["embedding_dim"], 200);
    assert_eq!(a["model"], sonare::analysis::cnn::MUSICNN_MSD_ID);
    assert!(a["tempo_bpm"].as_f64().unwrap() > 40.0);
    assert!(matches!(a["mode"].as_str(), Some("major" | "minor")), "{a}");
    assert!(a["loudness_lufs"].as_f64().unwrap() < 0.0);
    assert_eq!(a["top_tags"].as_array().unwrap().len(), 5);
    assert_eq!(a["tags"].as_object().unwrap().len(), 50);
    assert!(a.get("metre").is_some());

    // More like this sound: the other track, with a similarity.
    let out = sonare(data, &runtime, &["similar", &id, "--json"]);
    let near: serde_json::Value =
        serde_json::from_str(String::from_utf8_lossy(&out.stdout).lines().next().unwrap()).unwrap();
    assert_eq!(near["id"].as_i64(), Some(lib.track_id("b.ogg")));
    assert!(near["similarity"].as_f64().unwrap().abs() <= 1.0001);
}
