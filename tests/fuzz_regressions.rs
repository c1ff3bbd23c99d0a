//! The fuzzers' regression corpus (`fuzz/regressions/<target>/`: every input that ever crashed a
//! target or got past a check it should not have, in the target's own format) through the real thing on every test run: audio inputs
//! through scan, analysis (worker processes) and playback (decoder processes), import inputs through
//! the importers. No process may die; each failure is stored or returned with its reason.

mod common;

use std::path::{Path, PathBuf};

use common::{no_signal, repo, sonare_cli, stdout_ok};
use serde_json::Value;
use sonare::cf::import::{self, HistoryFormat, SharedFormat};

/// As `AUDIO_EXTENSIONS` in fuzz/src/lib.rs: an audio input's first byte picks its extension.
const AUDIO_EXTENSIONS: &[&str] = &[
    "mp3", "flac", "m4a", "ogg", "opus", "wav", "aiff", "caf", "wv", "ape", "mpc", "aac", "mka",
    "webm", "spx", "mp4",
];

fn regressions(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = repo().join("fuzz/regressions").join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut files: Vec<(PathBuf, Vec<u8>)> = entries
        .map(|e| e.unwrap().path())
        .map(|p| {
            let data = std::fs::read(&p).unwrap();
            (p, data)
        })
        .collect();
    files.sort();
    files
}

#[test]
fn every_audio_input_that_crashed_a_fuzzer_is_a_clean_per_file_failure() {
    let tmp = tempfile::tempdir().unwrap();
    let (music, data) = (tmp.path().join("music"), tmp.path().join("data"));
    std::fs::create_dir_all(&music).unwrap();
    let mut count = 0;
    for target in ["tags", "decode_play", "decode_analysis"] {
        for (path, input) in regressions(target) {
            let Some((&pick, body)) = input.split_first() else {
                continue;
            };
            let ext = AUDIO_EXTENSIONS[pick as usize % AUDIO_EXTENSIONS.len()];
            let stem = path.file_name().unwrap().to_string_lossy();
            std::fs::write(music.join(format!("{target}-{stem}.{ext}")), body).unwrap();
            count += 1;
        }
    }
    assert!(count >= 3, "the corpus holds the known crashers: {count}");
    let scan = sonare_cli(Some(&data), &["scan", music.to_str().unwrap(), "--json"]);
    no_signal(&scan, "sonare scan");
    let scan: Value = serde_json::from_str(stdout_ok(&scan).trim()).unwrap();
    let analyze = sonare_cli(Some(&data), &["analyze", "--json", "--threads", "1"]);
    no_signal(&analyze, "sonare analyze");
    let summary: Value = serde_json::from_str(stdout_ok(&analyze).trim()).unwrap();
    for failure in summary["failed"].as_array().unwrap() {
        assert!(!failure["reason"].as_str().unwrap().is_empty(), "{failure}");
    }
    // Every file the scan took is played (each in a decoder process): the player goes on to the end.
    let tracks = stdout_ok(&sonare_cli(Some(&data), &["tracks", "--json"]));
    let ids: Vec<String> = tracks
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["id"].to_string())
        .collect();
    let refused = scan["failed"].as_array().unwrap().len();
    assert_eq!(ids.len() + refused, count, "{scan}");
    if !ids.is_empty() {
        let mut args = vec!["play"];
        args.extend(ids.iter().map(String::as_str));
        args.extend(["--seconds", "20"]);
        let play = sonare_cli(Some(&data), &args);
        no_signal(&play, "sonare play");
    }
}

#[test]
fn every_import_input_that_crashed_a_fuzzer_is_imported_or_refused_with_the_reason() {
    let tmp = tempfile::tempdir().unwrap();
    let mut conn = sonare::db::open(&tmp.path().join("library.sqlite3")).unwrap();
    let history = [
        (HistoryFormat::Spotify, "json"),
        (HistoryFormat::Listenbrainz, "jsonl"),
        (HistoryFormat::Lastfm, "csv"),
        (HistoryFormat::M3u, "m3u8"),
        (HistoryFormat::Xspf, "xspf"),
    ];
    let shared = [
        (SharedFormat::Hetrec, "dat"),
        (SharedFormat::LastfmLog, "tsv"),
        (SharedFormat::Mpd, "json"),
    ];
    let write = |name: &str, body: &[u8]| -> PathBuf {
        let path = tmp.path().join(name);
        std::fs::write(&path, body).unwrap();
        path
    };
    let mut count = 0;
    let mut check = |path: &Path, result: Result<import::ImportReport, import::ImportError>| {
        count += 1;
        if let Err(e) = result {
            assert!(e.to_string().contains(&*path.to_string_lossy()), "{e}");
        }
    };
    for (_, input) in regressions("import_history") {
        let Some((&pick, body)) = input.split_first() else {
            continue;
        };
        let (format, ext) = history[pick as usize % history.len()];
        let path = write(&format!("history.{ext}"), body);
        check(&path, import::import_history(&mut conn, &path, format));
    }
    for (_, input) in regressions("import_shared") {
        let Some((&pick, body)) = input.split_first() else {
            continue;
        };
        let (format, ext) = shared[pick as usize % shared.len()];
        let path = write(&format!("shared.{ext}"), body);
        check(&path, import::import_shared(&mut conn, &path, format));
    }
    for (_, input) in regressions("factors") {
        let path = write("factors.jsonl", &input);
        check(
            &path,
            import::import_shared(&mut conn, &path, SharedFormat::Factors),
        );
        let _ = sonare::cf::shared_model::SharedModel::load(&conn);
    }
    assert!(count >= 5, "the corpus holds the known cases: {count}");
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
}
