//! The `sonare` command line contract that scripts and later features rely on.

mod common;

use std::process::{Command, Output};

use common::*;
use serde_json::Value;

fn sonare(data: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sonare"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn scan_and_tracks_print_the_documented_json() {
    let tmp = tempfile::tempdir().unwrap();
    let music = tmp.path().join("music");
    copy(&demo_file("victory.ogg"), &music.join("victory.ogg"));
    copy(&minimal("full_test.flac"), &music.join("a/song.flac"));
    std::fs::write(
        music.join("broken.mp3"),
        b"ID3\x04\x00\x00\x00\x00\x00\x10not really",
    )
    .unwrap();
    let data = tmp.path().join("data");

    let out = sonare(&data, &["scan", music.to_str().unwrap(), "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    for key in [
        "added",
        "updated",
        "unchanged",
        "moved",
        "missing",
        "failed",
        "seconds",
    ] {
        assert!(report.get(key).is_some(), "missing {key} in {report}");
    }
    assert_eq!(report["added"], 2);
    let failed = report["failed"].as_array().unwrap();
    assert_eq!(failed.len(), 1);
    assert!(failed[0]["path"].as_str().unwrap().ends_with("broken.mp3"));
    assert!(!failed[0]["error"].as_str().unwrap().is_empty());

    let out = sonare(&data, &["tracks", "--json"]);
    assert!(out.status.success());
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    for track in &lines {
        for key in [
            "id",
            "path",
            "title",
            "artist",
            "album",
            "duration_s",
            "codec",
        ] {
            assert!(track.get(key).is_some(), "missing {key} in {track}");
        }
    }
    assert!(lines
        .iter()
        .any(|t| t["title"] == "Victory" && t["codec"] == "vorbis"));
}

#[test]
fn the_data_folder_comes_from_the_environment_when_not_given() {
    let tmp = tempfile::tempdir().unwrap();
    let music = tmp.path().join("music");
    copy(&minimal("full_test.mp3"), &music.join("x.mp3"));
    let out = Command::new(env!("CARGO_BIN_EXE_sonare"))
        .env("SONARE_DATA_DIR", tmp.path().join("env-data"))
        .args(["scan", music.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(tmp.path().join("env-data/library.sqlite3").exists());
}

#[test]
fn errors_go_to_stderr_with_a_nonzero_exit_and_name_the_culprit() {
    let tmp = tempfile::tempdir().unwrap();
    let out = sonare(tmp.path(), &["scan", "/no/such/folder"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("/no/such/folder"), "{stderr}");
    assert!(out.stdout.is_empty());

    // A database from a newer Sonare is refused with its path named.
    let db = tmp.path().join("library.sqlite3");
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch("PRAGMA user_version = 999;")
        .unwrap();
    let out = sonare(tmp.path(), &["tracks"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("library.sqlite3") && stderr.contains("newer"),
        "{stderr}"
    );
}

#[test]
fn the_core_crate_does_not_depend_on_tauri() {
    let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .current_dir(repo())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: Value = serde_json::from_slice(&out.stdout).unwrap();
    let core = meta["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "sonare")
        .expect("the sonare package");
    let deps: Vec<&str> = core["dependencies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    assert!(
        deps.contains(&"rusqlite"),
        "metadata lists the core's dependencies: {deps:?}"
    );
    assert!(
        !deps.iter().any(|d| d.starts_with("tauri")),
        "core depends on Tauri: {deps:?}"
    );
}

#[test]
fn play_records_history_that_history_lists() {
    let lib = TempLibrary::with_files(&[(&demo_file("main_menu.ogg"), "main.ogg")]);
    let data = lib.db.parent().unwrap();
    let path = lib.music.join("main.ogg");
    let out = sonare(data, &["play", path.to_str().unwrap(), "--seconds", "1.5"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = sonare(data, &["history", "--json"]);
    assert!(out.status.success());
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1, "{lines:?}");
    let play = &lines[0];
    for key in [
        "track_id",
        "path",
        "started_at",
        "heard_ms",
        "position_ms",
        "end",
        "context",
    ] {
        assert!(play.get(key).is_some(), "missing {key} in {play}");
    }
    assert_eq!(play["context"], "cli");
    assert_eq!(play["end"], "skipped");
    let heard = play["heard_ms"].as_i64().unwrap();
    assert!((1000..3000).contains(&heard), "{play}");
}

#[test]
fn with_no_output_device_play_fails_clearly_and_records_no_skip() {
    let lib = TempLibrary::with_files(&[(&demo_file("victory.ogg"), "v.ogg")]);
    let data = lib.db.parent().unwrap();
    // An empty ALSA configuration: no device at all.
    let empty = lib.tmp.path().join("empty-asound.conf");
    std::fs::write(&empty, "").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_sonare"))
        .arg("--data-dir")
        .arg(data)
        .args([
            "play",
            lib.music.join("v.ogg").to_str().unwrap(),
            "--seconds",
            "3",
        ])
        .env("ALSA_CONFIG_PATH", &empty)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no audio output device"), "{stderr}");
    let out = sonare(data, &["history", "--json"]);
    let text = String::from_utf8(out.stdout).unwrap();
    let play: Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert_eq!(play["end"], "error", "not a listener's skip: {play}");
}
