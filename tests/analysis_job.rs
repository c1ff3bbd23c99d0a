//! The analysis job: all tracks on worker threads at idle priority, bad files stored as errors without
//! stopping the job, pause/cancel, and a later run that picks up exactly what is left.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use sonare::analysis::job::{self, JobControl, JobOptions, JobState};
use sonare::analysis::store;

fn library(n: usize) -> common::TempLibrary {
    let sources = ["victory.ogg", "defeat.ogg", "silence.ogg"];
    let files: Vec<(std::path::PathBuf, String)> = (0..n)
        .map(|i| {
            (
                common::demo_file(sources[i % sources.len()]),
                format!("t{i:02}.ogg"),
            )
        })
        .collect();
    let refs: Vec<(&std::path::Path, &str)> = files
        .iter()
        .map(|(p, n)| (p.as_path(), n.as_str()))
        .collect();
    common::TempLibrary::with_files(&refs)
}

const NO_RUNTIME: &str = "/nonexistent/libonnxruntime.so.1.32.0";

#[test]
fn bad_files_are_stored_as_errors_and_the_job_goes_on() {
    let lib = library(4);
    // Damaged after the scan: emptied, cut short, and replaced by text with an audio name.
    std::fs::write(lib.music.join("t00.ogg"), b"").unwrap();
    let whole = std::fs::read(lib.music.join("t01.ogg")).unwrap();
    std::fs::write(lib.music.join("t01.ogg"), &whole[..whole.len().min(3000)]).unwrap();
    std::fs::write(
        lib.music.join("t02.ogg"),
        b"this is not audio at all\n".repeat(100),
    )
    .unwrap();

    let conn = sonare::db::open(&lib.db).unwrap();
    let options = JobOptions {
        threads: 2,
        ..Default::default()
    };
    let mut progress = Vec::new();
    let summary = job::run(
        &conn,
        std::path::Path::new(NO_RUNTIME),
        &options,
        &JobControl::default(),
        |p| progress.push(p.clone()),
    )
    .unwrap();
    assert!(summary
        .cnn_unavailable
        .as_deref()
        .is_some_and(|why| why.contains(NO_RUNTIME)));
    assert_eq!(summary.analysed, 1, "{summary:?}");
    assert_eq!(summary.failed.len(), 3, "{summary:?}");
    for name in ["t00.ogg", "t01.ogg", "t02.ogg"] {
        let failure = summary
            .failed
            .iter()
            .find(|f| f.path.ends_with(name))
            .unwrap_or_else(|| panic!("{name} not among {:?}", summary.failed));
        assert!(failure.reason.contains(name), "{failure:?}");
        let stored = store::get(&conn, failure.track_id).unwrap().unwrap();
        assert_eq!(stored.error.as_deref(), Some(failure.reason.as_str()));
    }
    let good = store::get(&conn, lib.track_id("t03.ogg")).unwrap().unwrap();
    assert!(good.error.is_none() && good.tempo_bpm.is_some() && good.loudness_lufs.is_some());
    assert_eq!(progress.len(), 4);
    assert_eq!(progress.last().unwrap().progress.done, 4);

    // Nothing stale is left: a second run does nothing.
    let again = job::run(
        &conn,
        std::path::Path::new(NO_RUNTIME),
        &options,
        &JobControl::default(),
        |_| {},
    )
    .unwrap();
    assert_eq!(
        (again.analysed, again.up_to_date, again.failed.len()),
        (0, 4, 0)
    );
}

#[test]
fn workers_run_at_idle_priority_pause_and_cancel_and_a_later_run_resumes() {
    let lib = library(8);
    let conn = sonare::db::open(&lib.db).unwrap();
    let control = Arc::new(JobControl::default());
    let idle_workers = Arc::new(Mutex::new(Vec::new()));
    let options = JobOptions {
        threads: 2,
        ..Default::default()
    };
    let summary = std::thread::scope(|scope| {
        let (job_control, idle) = (control.clone(), idle_workers.clone());
        let (db, options) = (&lib.db, &options);
        let job = scope.spawn(move || {
            let conn = sonare::db::open(db).unwrap();
            job::run(
                &conn,
                std::path::Path::new(NO_RUNTIME),
                options,
                &job_control,
                |p| {
                    // The workers' scheduling class, read from the kernel while they exist.
                    if p.progress.done == 1 {
                        *idle.lock().unwrap() = worker_policies();
                        job_control.pause();
                    }
                },
            )
            .unwrap()
        });
        // If an assertion below fails, the paused job must still end or the scope would wait forever.
        struct CancelOnDrop(Arc<JobControl>);
        impl Drop for CancelOnDrop {
            fn drop(&mut self) {
                self.0.cancel();
            }
        }
        let _guard = CancelOnDrop(control.clone());
        // Paused after the first track: the tracks already started (one per thread, and any finished
        // but not yet stored) finish, then nothing moves. Under load the idle-priority workers can
        // take a while to finish theirs, so wait for the count to settle, not for a fixed time.
        let done = || {
            store::coverage(&conn, sonare::analysis::track::DSP_VERSION)
                .unwrap()
                .1
        };
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        // First the pause itself (the first track must finish, at idle priority).
        while control.state() != JobState::Paused {
            assert!(
                std::time::Instant::now() < deadline,
                "the first track never finished"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        let (mut last, mut since) = (done(), std::time::Instant::now());
        while since.elapsed() < Duration::from_millis(2000) {
            assert!(
                std::time::Instant::now() < deadline,
                "the paused job never settled"
            );
            std::thread::sleep(Duration::from_millis(100));
            let now = done();
            assert!(
                now < 8,
                "the pause at the first track did not hold: {now} done"
            );
            if now != last {
                (last, since) = (now, std::time::Instant::now());
            }
        }
        assert_eq!(control.state(), JobState::Paused);
        std::thread::sleep(Duration::from_millis(1000));
        // Only the tracks already under way when the pause came may still finish: the first, one
        // finished per worker whose result was not yet stored, and one started per worker (as the
        // settling above says). Idle-priority workers on a busy machine can be starved past any
        // settling time, so this bounds what moved rather than timing it.
        let bound = 1 + 2 * options.threads as u64;
        assert!(
            done() <= bound,
            "the pause did not hold: {} done, at most {bound} were under way",
            done()
        );
        control.cancel();
        job.join().unwrap()
    });
    let policies = idle_workers.lock().unwrap().clone();
    assert!(policies.len() >= 2, "{policies:?}");
    assert!(
        policies.iter().all(|p| *p == libc::SCHED_IDLE),
        "{policies:?}"
    );
    assert!(summary.cancelled);
    assert!(
        summary.analysed >= 1 && summary.remaining >= 1,
        "{summary:?}"
    );
    assert_eq!(summary.analysed + summary.remaining, 8);

    // After a restart the job carries on with what is left, and only that.
    let rest = job::run(
        &conn,
        std::path::Path::new(NO_RUNTIME),
        &JobOptions::default(),
        &JobControl::default(),
        |_| {},
    )
    .unwrap();
    assert_eq!(rest.analysed, summary.remaining);
    assert_eq!(rest.up_to_date, summary.analysed);
    assert_eq!(
        store::coverage(&conn, sonare::analysis::track::DSP_VERSION).unwrap(),
        (8, 8)
    );
}

/// Scheduling policy of each live `analysis-N` worker thread of this process.
fn worker_policies() -> Vec<i32> {
    std::fs::read_dir("/proc/self/task")
        .unwrap()
        .filter_map(Result::ok)
        .filter(|task| {
            std::fs::read_to_string(task.path().join("comm"))
                .is_ok_and(|name| name.starts_with("analysis-"))
        })
        .map(|task| {
            let tid: i32 = task.file_name().to_string_lossy().parse().unwrap();
            // SAFETY: a plain query of another thread's policy by id.
            unsafe { libc::sched_getscheduler(tid) }
        })
        .collect()
}
