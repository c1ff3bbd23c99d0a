//! The core facade (`sonare::app::Sonare`) on a real data folder: what it keeps between calls, and the
//! pipeline that chains a job's stages.

mod common;

use std::sync::{Arc, Mutex};

use common::taste::{library, taste};
use sonare::app::{ImportKind, ImportRequest, Job, JobEvent, Sonare};
use sonare::cf::import::{HistoryFormat, SharedFormat};
use sonare::data_dir::DataDir;
use sonare::jobs::JobControl;

fn open(lib: &common::TempLibrary) -> Sonare {
    Sonare::open(DataDir::resolve(Some(lib.db.parent().unwrap())).unwrap()).unwrap()
}

/// Runs `job` to its end and returns the names of its events, in order.
fn run(app: &Sonare, job: Job) -> Vec<String> {
    run_under(app, job, &Arc::new(JobControl::default()))
}

/// As [`run`], under `control`.
fn run_under(app: &Sonare, job: Job, control: &Arc<JobControl>) -> Vec<String> {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    let events: sonare::app::Events = Arc::new(move |e: JobEvent| {
        let name = serde_json::to_value(&e).unwrap()["event"]
            .as_str()
            .unwrap()
            .to_owned();
        sink.lock().unwrap().push(name);
    });
    app.run(&job, control, &events).unwrap();
    let names = seen.lock().unwrap().clone();
    names
}

fn import(kind: ImportKind, file: &str) -> Job {
    Job::Import(ImportRequest {
        files: vec![taste(file)],
        kind,
    })
}

#[test]
fn shared_data_is_modelled_once_by_its_import_and_no_view_or_start_trains_again() {
    let lib = library();
    let app = open(&lib);
    let events = run(
        &app,
        import(ImportKind::Shared(SharedFormat::Hetrec), "hetrec"),
    );
    // The import job chose (here: too few listeners to tune on, so the default) and trained the
    // model, before it reported, and kept it in the data folder.
    let imported = events.iter().position(|e| e == "imported").unwrap();
    assert!(events[..imported].iter().any(|e| e == "tuning") || app.trainings() == 1);
    assert_eq!(app.trainings(), 1);
    assert!(lib
        .db
        .parent()
        .unwrap()
        .join("models/shared-cf.bin")
        .is_file());
    run(
        &app,
        import(
            ImportKind::History(HistoryFormat::Spotify),
            "spotify_extended.json",
        ),
    );
    // A new facade on the same folder, as at the app's next start: the kept model is read, not
    // trained.
    let app = open(&lib);
    let first = app.for_you(10).unwrap();
    assert_eq!(app.trainings(), 0);
    let second = app.for_you(10).unwrap();
    assert_eq!(
        app.trainings(),
        0,
        "\"For you\" opened twice trains nothing"
    );
    assert_eq!(
        first.iter().map(|f| f.track.id).collect::<Vec<_>>(),
        second.iter().map(|f| f.track.id).collect::<Vec<_>>()
    );
    assert_eq!(first[0].track.id, lib.track_id("daft punk.flac"));
    assert_eq!(first[0].because.as_deref(), Some("Björk"));
    // Discover Daily uses the same model: no training of its own.
    app.discover_daily(&Default::default()).unwrap();
    assert_eq!(app.trainings(), 0);
    // New shared data is a new model, trained once by the import and kept for For you.
    run(
        &app,
        import(ImportKind::Shared(SharedFormat::LastfmLog), "lastfm_1k.tsv"),
    );
    assert_eq!(app.trainings(), 1);
    app.for_you(10).unwrap();
    app.discover_daily(&Default::default()).unwrap();
    assert_eq!(app.trainings(), 1);
    // A model file that does not read back (cut short, another version) is trained again once.
    let file = lib.db.parent().unwrap().join("models/shared-cf.bin");
    let bytes = std::fs::read(&file).unwrap();
    std::fs::write(&file, &bytes[..bytes.len() / 2]).unwrap();
    let app = open(&lib);
    app.for_you(10).unwrap();
    app.for_you(10).unwrap();
    assert_eq!(app.trainings(), 1);
}

#[test]
fn a_scan_job_goes_on_to_the_analysis_and_the_refresh_without_being_asked() {
    let lib = library();
    let app = open(&lib);
    let events = run(&app, Job::Scan);
    let stage = |name: &str| events.iter().position(|e| e == name);
    let (scanned, analysed, prepared) = (
        stage("scanned").expect("scanned"),
        stage("analysed").expect("analysed"),
        stage("prepared").expect("prepared"),
    );
    assert!(stage("scanning").unwrap() < scanned);
    assert!(scanned < stage("analysing").unwrap());
    assert!(stage("analysing").unwrap() < analysed && analysed < prepared);
    // Every track was analysed by the job (DSP only here, without ONNX Runtime in this process).
    let conn = app.connection().unwrap();
    let analysed: i64 = conn
        .query_row("SELECT count(*) FROM track_analysis", [], |r| r.get(0))
        .unwrap();
    assert_eq!(analysed, 6);
    // The catch-up at start rescans and finds nothing left to analyse.
    let again = run(&app, Job::CatchUp);
    assert_eq!(again.first().map(String::as_str), Some("prepared"));
    assert!(again.iter().any(|e| e == "scanned"), "{again:?}");
    assert!(!again.iter().any(|e| e == "analysing"), "{again:?}");
    assert_eq!(again.last().map(String::as_str), Some("prepared"));
}

#[test]
fn a_cancelled_job_stops_before_its_follow_up() {
    let lib = library();
    let app = open(&lib);
    let control = Arc::new(JobControl::default());
    control.cancel();
    let seen = run_under(&app, Job::Scan, &control);
    assert!(seen.iter().any(|e| e.contains("scanned")), "{seen:?}");
    assert!(!seen.iter().any(|e| e.contains("analys")), "{seen:?}");
}

#[test]
fn the_apps_analysis_survives_a_file_that_aborts_the_decoder_and_says_which_it_was() {
    // The stsc-count M4A made symphonia allocate 34 GB and abort the app at every start. Now the
    // bounds check refuses it inside a worker process (this crate's binary, as the app uses its own),
    // which would take the blow if a decoder still died on it.
    let hostile = common::fixtures().join("hostile/aac-stsc-count-2g.m4a");
    let lib = common::TempLibrary::with_files(&[
        (hostile.as_path(), "hostile.m4a"),
        (&common::demo_file("victory.ogg"), "good.ogg"),
    ]);
    let worker = sonare::sandbox::WorkerCommand {
        program: env!("CARGO_BIN_EXE_sonare").into(),
        args: vec![sonare::sandbox::ANALYSIS_WORKER_FLAG.into()],
    };
    let app = open(&lib).with_analysis_worker(worker);
    let summaries = Arc::new(Mutex::new(Vec::new()));
    let sink = summaries.clone();
    let events: sonare::app::Events = Arc::new(move |e: JobEvent| {
        if let JobEvent::Analysed(summary) = e {
            sink.lock().unwrap().push(summary);
        }
    });
    app.run(&Job::CatchUp, &Arc::new(JobControl::default()), &events)
        .unwrap();
    let summary = summaries.lock().unwrap().pop().expect("the analysis ran");
    assert_eq!(summary.analysed, 1, "{summary:?}");
    assert_eq!(summary.failed.len(), 1, "{summary:?}");
    let failure = serde_json::to_value(&summary.failed[0]).unwrap();
    let reason = failure["reason"].as_str().unwrap();
    assert!(reason.contains("hostile.m4a"), "{reason}");
    // Still here, and the library still answers.
    let conn = app.connection().unwrap();
    let tracks: i64 = conn
        .query_row("SELECT count(*) FROM tracks", [], |r| r.get(0))
        .unwrap();
    assert_eq!(tracks, 2);
}
