//! Playback benchmarks behind BENCHMARKS.md:
//! * latency from the play command to the first samples handed to the output device, per format
//!   (the device pulls audio once per callback period, so this includes up to one period of waiting);
//! * CPU time of the whole process while playing, as a share of one core.
//!
//! Needs an audio output: run under `. scripts/null-sound.sh` (a PulseAudio null sink, real time).
//! Files: audio-lena's FLAC/MP3/Ogg clips (12 s, fetched by the tests into target/test-cache).
//! Run: `cargo bench --bench playback`; with `WITH_ANALYSIS=1` the analysis job (idle priority, one
//! worker per core, the CNN when `ORT_DYLIB_PATH` is set) re-analyses the demo library the whole time.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

use sonare::playback::{Command, PlayContext, Player, PlayerEvent};

const RUNS: usize = 40;

fn lena(name: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/test-cache/audio-lena/package")
        .join(name);
    assert!(
        path.exists(),
        "{} missing: run the tests first (they fetch audio-lena)",
        path.display()
    );
    path
}

fn library(files: &[PathBuf]) -> (tempfile::TempDir, PathBuf, Vec<i64>) {
    let tmp = tempfile::tempdir().unwrap();
    let music = tmp.path().join("music");
    std::fs::create_dir_all(&music).unwrap();
    for file in files {
        std::fs::copy(file, music.join(file.file_name().unwrap())).unwrap();
    }
    let db = tmp.path().join("library.sqlite3");
    let mut conn = sonare::db::open(&db).unwrap();
    sonare::library::add_folder(&conn, &music).unwrap();
    let covers = sonare::library::CoverCache::new(&tmp.path().join("covers")).unwrap();
    sonare::library::scan(&mut conn, &covers, &Default::default(), &mut |_| {}).unwrap();
    let ids = files
        .iter()
        .map(|f| {
            let path = music.join(f.file_name().unwrap()).canonicalize().unwrap();
            sonare::library::browse::track_id_by_path(&conn, &path.to_string_lossy())
                .unwrap()
                .unwrap()
        })
        .collect();
    (tmp, db, ids)
}

fn wait_audible(events: &Receiver<PlayerEvent>) {
    loop {
        match events
            .recv_timeout(Duration::from_secs(5))
            .expect("no audio within 5 s")
        {
            PlayerEvent::Audible { .. } => return,
            PlayerEvent::TrackChanged { .. } if std::env::var_os("TRACE").is_some() => {
                eprintln!("track changed at {:?}", Instant::now())
            }
            PlayerEvent::Error { message, .. } => panic!("{message}"),
            _ => {}
        }
    }
}

/// CPU seconds (user + system) this process has used.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap();
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .unwrap()
        .1
        .split_whitespace()
        .collect();
    let ticks: f64 = fields[11].parse::<f64>().unwrap() + fields[12].parse::<f64>().unwrap();
    ticks / 100.0 // USER_HZ is 100 on Linux
}

/// Keeps every core busy with the analysis job (as after a large import) until the returned guard drops.
fn analysis_load() -> impl Drop {
    use sonare::analysis::job::{self, JobControl, JobOptions};
    use std::sync::Arc;
    struct Load(Arc<JobControl>, Arc<std::sync::atomic::AtomicBool>);
    impl Drop for Load {
        fn drop(&mut self) {
            self.1.store(true, std::sync::atomic::Ordering::Relaxed);
            self.0.cancel();
        }
    }
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-cache/demo-music");
    let files: Vec<PathBuf> = walkdir::WalkDir::new(&demo)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "ogg"))
        .map(|e| e.into_path())
        .collect();
    assert!(
        !files.is_empty(),
        "{} has no demo music: run the tests first",
        demo.display()
    );
    let (tmp, db, _) = library(&files);
    let runtime = PathBuf::from(std::env::var_os("ORT_DYLIB_PATH").unwrap_or_default());
    let control = Arc::new(JobControl::default());
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let (c, s) = (control.clone(), stop.clone());
    std::thread::spawn(move || {
        let _keep = tmp;
        let conn = sonare::db::open(&db).unwrap();
        while !s.load(std::sync::atomic::Ordering::Relaxed) {
            conn.execute("DELETE FROM track_analysis", []).unwrap();
            job::run(&conn, &runtime, &JobOptions::default(), &c, |_| {}).unwrap();
        }
    });
    std::thread::sleep(Duration::from_secs(2));
    Load(control, stop)
}

fn main() {
    let _load = std::env::var_os("WITH_ANALYSIS").map(|_| {
        println!("(while the analysis job keeps every core busy)\n");
        analysis_load()
    });
    let files = [lena("lena.flac"), lena("lena.mp3"), lena("lena.ogg")];
    let (_tmp, db, ids) = library(&files);
    let (tx, rx) = channel();
    let player = Player::spawn(&db, sonare::audio::Decoding::InProcess, move |e| {
        let _ = tx.send(e);
    })
    .unwrap();
    // Open the output once, as the app does at its first play.
    player.send(Command::PlayQueue {
        tracks: vec![ids[0]],
        start: 0,
        context: PlayContext::Cli,
    });
    wait_audible(&rx);
    player.send(Command::Stop);
    std::thread::sleep(Duration::from_millis(300));

    println!("| format | median | p95 | max |");
    println!("|---|---|---|---|");
    for (file, &id) in files.iter().zip(&ids) {
        let mut times = Vec::with_capacity(RUNS);
        for _ in 0..RUNS {
            while rx.try_recv().is_ok() {}
            let started = Instant::now();
            if std::env::var_os("TRACE").is_some() {
                eprintln!("sent at {started:?}");
            }
            player.send(Command::PlayQueue {
                tracks: vec![id],
                start: 0,
                context: PlayContext::Cli,
            });
            wait_audible(&rx);
            times.push(started.elapsed());
            player.send(Command::Stop);
            // A random pause, so the command lands at every phase of the device's callback period.
            std::thread::sleep(Duration::from_millis(150 + fastrand::u64(0..50)));
        }
        times.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        println!(
            "| {} | {:.1} ms | {:.1} ms | {:.1} ms |",
            file.extension().unwrap().to_string_lossy(),
            ms(times[RUNS / 2]),
            ms(times[RUNS * 95 / 100]),
            ms(times[RUNS - 1])
        );
    }

    if _load.is_some() {
        // The process's CPU time now includes the analysis workers.
        return;
    }
    println!("\n| format | CPU while playing 10 s (share of one core) |");
    println!("|---|---|");
    for (file, &id) in files.iter().zip(&ids) {
        player.send(Command::PlayQueue {
            tracks: vec![id],
            start: 0,
            context: PlayContext::Cli,
        });
        wait_audible(&rx);
        let (cpu0, wall0) = (cpu_seconds(), Instant::now());
        std::thread::sleep(Duration::from_secs(10));
        let share = (cpu_seconds() - cpu0) / wall0.elapsed().as_secs_f64();
        player.send(Command::Stop);
        println!(
            "| {} | {:.2} % |",
            file.extension().unwrap().to_string_lossy(),
            share * 100.0
        );
        std::thread::sleep(Duration::from_millis(300));
    }
}
