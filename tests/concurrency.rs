//! Two processes on one data folder: opening a new folder at once, scanning the same folder at once,
//! and a long write (an import) while the analysis stores its results. Each side succeeds.

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{minimal, stdout_ok};

fn sonare(data: &std::path::Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sonare"));
    cmd.arg("--data-dir")
        .arg(data)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

#[test]
fn processes_opening_a_new_data_folder_at_once_all_succeed() {
    for round in 0..4 {
        let tmp = tempfile::tempdir().unwrap();
        let data = tmp.path().join("data");
        let children: Vec<_> = (0..6)
            .map(|_| sonare(&data, &["folders"]).spawn().unwrap())
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "round {round}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let conn = sonare::db::open(&data.join("library.sqlite3")).unwrap();
        let version: i64 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, sonare::db::SCHEMA_VERSION);
    }
}

#[test]
fn two_scans_of_the_same_folder_at_once_both_succeed_and_store_each_file_once() {
    let tmp = tempfile::tempdir().unwrap();
    let (music, data) = (tmp.path().join("music"), tmp.path().join("data"));
    std::fs::create_dir_all(&music).unwrap();
    for (i, name) in [
        "full_test.flac",
        "full_test.mp3",
        "full_test.ogg",
        "full_test.opus",
    ]
    .iter()
    .cycle()
    .take(24)
    .enumerate()
    {
        let ext = name.rsplit('.').next().unwrap();
        std::fs::copy(minimal(name), music.join(format!("{i:02}.{ext}"))).unwrap();
    }
    stdout_ok(&sonare(&data, &["folders"]).output().unwrap());
    let music = music.to_str().unwrap();
    // Small batches, so the two scans interleave their writes.
    let args = ["scan", music, "--json", "--batch-size", "2"];
    let children: Vec<_> = (0..2)
        .map(|_| sonare(&data, &args).spawn().unwrap())
        .collect();
    let mut added = 0;
    for child in children {
        let out = child.wait_with_output().unwrap();
        let report: serde_json::Value = serde_json::from_str(stdout_ok(&out).trim()).unwrap();
        added += report["added"].as_u64().unwrap();
    }
    let conn = sonare::db::open(&data.join("library.sqlite3")).unwrap();
    let tracks: i64 = conn
        .query_row("SELECT count(*) FROM tracks", [], |r| r.get(0))
        .unwrap();
    assert_eq!(tracks, 24);
    assert!(added <= 24, "each file is added once: {added}");
}

#[test]
fn the_analysis_waits_for_a_long_write_instead_of_failing() {
    let tmp = tempfile::tempdir().unwrap();
    let (music, data) = (tmp.path().join("music"), tmp.path().join("data"));
    std::fs::create_dir_all(&music).unwrap();
    std::fs::copy(minimal("full_test.flac"), music.join("a.flac")).unwrap();
    stdout_ok(
        &sonare(&data, &["scan", music.to_str().unwrap()])
            .output()
            .unwrap(),
    );
    // This process holds the write lock for longer than the busy timeout (5 s), as a long import
    // of a streaming history does.
    let mut conn = sonare::db::open(&data.join("library.sqlite3")).unwrap();
    let tx = conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .unwrap();
    tx.execute("UPDATE folders SET added_at = added_at", [])
        .unwrap();
    let started = Instant::now();
    let analysis = sonare(&data, &["analyze", "--json", "--threads", "1"])
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_secs(8));
    tx.commit().unwrap();
    let out = analysis.wait_with_output().unwrap();
    let summary: serde_json::Value = serde_json::from_str(stdout_ok(&out).trim()).unwrap();
    assert_eq!(summary["analysed"], 1, "{summary}");
    assert!(started.elapsed() >= Duration::from_secs(8));
}
