//! The analysis in worker processes: the real worker (the `sonare` binary) stores what the in-process
//! analysis stores, and a worker that aborts or hangs costs only its track, which is stored as failed
//! with the reason and not tried again.

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use sonare::analysis::job::{self, JobControl, JobOptions};
use sonare::analysis::worker::WorkerCommand;

const NO_RUNTIME: &str = "/nonexistent/libonnxruntime.so.1.32.0";

fn library(names: &[&str]) -> common::TempLibrary {
    let sources = ["victory.ogg", "defeat.ogg"];
    let files: Vec<(PathBuf, &str)> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (common::demo_file(sources[i % 2]), *n))
        .collect();
    let refs: Vec<(&Path, &str)> = files.iter().map(|(p, n)| (p.as_path(), *n)).collect();
    common::TempLibrary::with_files(&refs)
}

type Stored = (
    String,
    Option<f64>,
    Option<String>,
    Option<f64>,
    Option<String>,
    Option<Vec<u8>>,
);

/// (file name, tempo, key, loudness, error, sound tags) of every stored analysis, by file name.
fn stored(db: &Path) -> Vec<Stored> {
    let conn = sonare::db::open(db).unwrap();
    let mut rows: Vec<_> = conn
        .prepare(
            "SELECT t.path, a.tempo_bpm, a.key, a.loudness_lufs, a.error, a.tags
             FROM track_analysis a JOIN tracks t ON t.id = a.track_id",
        )
        .unwrap()
        .query_map([], |r| {
            let path: String = r.get(0)?;
            let name = path.rsplit('/').next().unwrap().to_owned();
            Ok((name, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    rows
}

fn run(db: &Path, options: &JobOptions) -> job::JobSummary {
    run_with(db, Path::new(NO_RUNTIME), options)
}

fn run_with(db: &Path, runtime: &Path, options: &JobOptions) -> job::JobSummary {
    let conn = sonare::db::open(db).unwrap();
    job::run(&conn, runtime, options, &JobControl::default(), |_| {}).unwrap()
}

#[test]
fn the_worker_process_stores_what_the_analysis_in_this_process_stores() {
    let names = ["a.ogg", "b.ogg"];
    let (here, there) = (library(&names), library(&names));
    // With the audio CNN (ONNX Runtime), whose session the worker loads for itself.
    let runtime = common::onnxruntime();
    run_with(&here.db, &runtime, &JobOptions::default());
    let worker = WorkerCommand {
        program: env!("CARGO_BIN_EXE_sonare").into(),
        args: vec![sonare::analysis::worker::WORKER_FLAG.into()],
    };
    let summary = run_with(
        &there.db,
        &runtime,
        &JobOptions {
            worker: Some(worker),
            ..Default::default()
        },
    );
    assert_eq!(summary.analysed, 2, "{summary:?}");
    assert_eq!(summary.cnn_unavailable, None);
    let (a, b) = (stored(&here.db), stored(&there.db));
    assert_eq!(a.len(), 2);
    assert_eq!(a, b, "bit for bit");
    let has_tags = |r: &Stored| r.5.as_ref().is_some_and(|t| t.len() == 50 * 4);
    assert!(
        a.iter()
            .all(|r| r.1.is_some() && r.4.is_none() && has_tags(r)),
        "{a:?}"
    );
}

#[test]
fn a_worker_that_aborts_or_hangs_fails_only_its_track_and_is_not_tried_again() {
    let lib = library(&["a abort.ogg", "b hang.ogg", "c fine.ogg", "d abort.ogg"]);
    // A stand-in worker (each path arrives as a JSON string): dies of SIGABRT on some files (as a
    // decoder does on an allocation failure), never answers on others, and answers the rest.
    let script = r#"
        while IFS= read -r path; do
          case "$path" in
            *abort*) kill -ABRT $$ ;;
            *hang*) exec sleep 60 ;;
            *) printf '{"result":{"Err":"stand-in worker read %s"}}\n' "$(printf %s "$path" | tr -d '"')" ;;
          esac
        done"#;
    let worker = WorkerCommand {
        program: "/bin/sh".into(),
        args: vec!["-c".into(), script.into(), "worker".into()],
    };
    let options = JobOptions {
        threads: 1,
        worker: Some(worker),
        track_timeout: Duration::from_secs(2),
        ..Default::default()
    };
    let summary = run(&lib.db, &options);
    assert_eq!(summary.failed.len(), 4, "{summary:?}");
    let rows = stored(&lib.db);
    let reason = |name: &str| {
        rows.iter()
            .find(|r| r.0 == name)
            .and_then(|r| r.4.clone())
            .unwrap_or_else(|| panic!("{name} not stored: {rows:?}"))
    };
    assert!(
        reason("a abort.ogg").ends_with("the decoder aborted on this file"),
        "{rows:?}"
    );
    assert!(
        reason("b hang.ogg").ends_with("timed out after 2 s"),
        "{rows:?}"
    );
    assert!(
        reason("c fine.ogg").contains("stand-in worker read"),
        "{rows:?}"
    );
    assert!(reason("d abort.ogg").contains("aborted"), "{rows:?}");
    assert!(
        reason("a abort.ogg").contains("a abort.ogg"),
        "the reason names the file"
    );
    // The next run leaves them alone: nothing is retried in a loop.
    let again = run(&lib.db, &options);
    assert_eq!((again.analysed, again.failed.len()), (0, 0), "{again:?}");
}
