//! The Spark job (`jobs/spark_als.py`, Apache Spark MLlib implicit ALS in local mode) trains item
//! factors from shared data; the app imports them and folds the listener in against them.

mod common;

use std::process::Command;

use common::taste::{library, taste};
use common::*;
use serde_json::Value;

/// The Python with PySpark that `scripts/setup.sh test` installs.
fn spark_python() -> std::path::PathBuf {
    let python = repo().join(".cache/bench-venv/bin/python");
    assert!(
        python.exists(),
        "{} is missing: run scripts/setup.sh test (it installs PySpark and a Java runtime)",
        python.display()
    );
    python
}

fn sonare(data: &std::path::Path, args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_sonare"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    Value::Array(lines)
}

#[test]
fn spark_als_factors_import_and_drive_the_listeners_recommendations() {
    let lib = library();
    let factors = lib.tmp.path().join("factors.jsonl");
    let job = Command::new(spark_python())
        .arg(repo().join("jobs/spark_als.py"))
        .args(["--format", "hetrec", "--input"])
        .arg(taste("hetrec"))
        .arg("--out")
        .arg(&factors)
        .args([
            "--rank",
            "4",
            "--iterations",
            "10",
            "--master",
            "local[2]",
            "--model",
            "spark-test",
        ])
        .output()
        .unwrap();
    assert!(
        job.status.success(),
        "spark job: {}",
        String::from_utf8_lossy(&job.stderr)
    );
    let summary: Value = serde_json::from_slice(
        job.stdout
            .trim_ascii_end()
            .rsplit(|&b| b == b'\n')
            .next()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(summary["items"], 6, "{summary}");
    assert_eq!(summary["interactions"], 16, "{summary}");

    let text = std::fs::read_to_string(&factors).unwrap();
    let header: Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    assert_eq!(header["format"], "sonare-factors");
    assert_eq!(header["rank"], 4);
    assert!(header["trained_by"].as_str().unwrap().contains("Spark"));

    let data = lib.db.parent().unwrap();
    let report = &sonare(
        data,
        &[
            "import",
            "shared",
            factors.to_str().unwrap(),
            "--format",
            "factors",
            "--json",
        ],
    )[0];
    assert_eq!(report["imported"], 6, "{report}");
    assert_eq!(report["matched"], 4, "{report}");
    sonare(
        data,
        &[
            "import",
            "history",
            taste("spotify_extended.json").to_str().unwrap(),
            "--format",
            "spotify",
            "--json",
        ],
    );
    let recs = sonare(data, &["taste", "for-me", "--json"]);
    let first = &recs[0];
    assert_eq!(first["track_id"], lib.track_id("daft punk.flac"), "{recs}");
    assert_eq!(first["because"], "Björk", "{recs}");
    // The played tracks are not recommended again.
    assert!(recs
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["track_id"] != lib.track_id("bjork.flac")));
}
