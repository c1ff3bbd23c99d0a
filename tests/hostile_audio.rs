//! The regression corpus of hostile files (`tests/fixtures/hostile/`) through everything that reads
//! audio: the scan, the analysis, playback and the decoder itself. None may take a process down;
//! each is a clean per-file error naming the file.

mod common;

use std::path::PathBuf;

use common::{fixtures, minimal, no_signal, sonare_cli, stdout_ok};
use serde_json::Value;

fn corpus() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(fixtures().join("hostile"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 3, "{files:?}");
    files
}

#[test]
fn the_decoder_refuses_every_hostile_file_with_the_reason() {
    for file in corpus() {
        let err = sonare::audio::TrackDecoder::open(&file)
            .err()
            .unwrap_or_else(|| panic!("{} opened", file.display()));
        let text = err.to_string();
        assert!(text.contains(&*file.to_string_lossy()), "{text}");
        assert!(text.contains("claims") || text.contains("bytes"), "{text}");
    }
    // The file they were made from still plays.
    assert!(sonare::audio::TrackDecoder::open(&minimal("m4a_codec_aac.m4a")).is_ok());
}

#[test]
fn scan_analyze_and_play_store_each_hostile_file_as_failed_and_go_on() {
    let tmp = tempfile::tempdir().unwrap();
    let (music, data) = (tmp.path().join("music"), tmp.path().join("data"));
    std::fs::create_dir_all(&music).unwrap();
    for file in corpus() {
        std::fs::copy(&file, music.join(file.file_name().unwrap())).unwrap();
    }
    std::fs::copy(minimal("m4a_codec_aac.m4a"), music.join("zz good.m4a")).unwrap();
    let scan = sonare_cli(Some(&data), &["scan", music.to_str().unwrap(), "--json"]);
    no_signal(&scan, "sonare scan");
    stdout_ok(&scan);

    let analyze = sonare_cli(Some(&data), &["analyze", "--json", "--threads", "1"]);
    no_signal(&analyze, "sonare analyze");
    let summary: Value = serde_json::from_str(stdout_ok(&analyze).trim()).unwrap();
    let failed = summary["failed"].as_array().unwrap();
    assert_eq!(failed.len(), corpus().len(), "{summary}");
    for f in failed {
        assert!(f["reason"].as_str().unwrap().contains("claims"), "{f}");
    }
    assert_eq!(
        summary["analysed"], 1,
        "the good file is analysed: {summary}"
    );
    // A second run does not try them again.
    let again = sonare_cli(Some(&data), &["analyze", "--json"]);
    let again: Value = serde_json::from_str(stdout_ok(&again).trim()).unwrap();
    assert_eq!(again["analysed"], 0, "{again}");

    // Playback: each hostile file is an error of its own and the queue goes on to the good one.
    let tracks = stdout_ok(&sonare_cli(
        Some(&data),
        &["tracks", "--json", "--sort", "title"],
    ));
    let mut ids: Vec<(String, String)> = tracks
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .map(|t| (t["path"].as_str().unwrap().to_owned(), t["id"].to_string()))
        .collect();
    ids.sort();
    let args: Vec<&str> = ["play"]
        .into_iter()
        .chain(ids.iter().map(|(_, id)| id.as_str()))
        .chain(["--seconds", "3"])
        .collect();
    let play = sonare_cli(Some(&data), &args);
    no_signal(&play, "sonare play");
    let history = stdout_ok(&sonare_cli(Some(&data), &["history", "--json"]));
    let ends: Vec<(String, String)> = history
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .map(|p| {
            let path = p["path"].as_str().unwrap().to_owned();
            (path, p["end"].as_str().unwrap_or("unfinished").to_owned())
        })
        .collect();
    for (path, _) in ids.iter().filter(|(p, _)| !p.ends_with("zz good.m4a")) {
        assert!(
            ends.iter().any(|(p, end)| p == path && end == "error"),
            "{path} in {ends:?}"
        );
    }
    assert!(
        ends.iter()
            .any(|(p, end)| p.ends_with("zz good.m4a") && end != "error"),
        "the good file played after them: {ends:?}"
    );
}
