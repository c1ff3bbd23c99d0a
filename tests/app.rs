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
fn for_you_opened_twice_trains_the_shared_model_once_and_again_after_new_data() {
    let lib = library();
    let app = open(&lib);
    run(
        &app,
        import(ImportKind::Shared(SharedFormat::Hetrec), "hetrec"),
    );
    run(
        &app,
        import(
            ImportKind::History(HistoryFormat::Spotify),
            "spotify_extended.json",
        ),
    );
    // A new facade on the same folder, as at the app's next start.
    let app = open(&lib);
    let first = app.for_you(10).unwrap();
    assert_eq!(app.trainings(), 1);
    let second = app.for_you(10).unwrap();
    assert_eq!(app.trainings(), 1, "\"For you\" opened twice trains once");
    assert_eq!(
        first.iter().map(|f| f.track.id).collect::<Vec<_>>(),
        second.iter().map(|f| f.track.id).collect::<Vec<_>>()
    );
    assert_eq!(first[0].track.id, lib.track_id("daft punk.flac"));
    assert_eq!(first[0].because.as_deref(), Some("Björk"));
    // Discover Daily uses the same model: no training of its own.
    app.discover_daily(&Default::default()).unwrap();
    assert_eq!(app.trainings(), 1);
    // New shared data is a new model, trained once by the import's refresh and kept for For you.
    run(
        &app,
        import(ImportKind::Shared(SharedFormat::LastfmLog), "lastfm_1k.tsv"),
    );
    assert_eq!(app.trainings(), 2);
    app.for_you(10).unwrap();
    assert_eq!(app.trainings(), 2);
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
