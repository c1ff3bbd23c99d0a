//! Files lofty misreads or whose container does not say how long they are (audio-lena's 12.3 s clip).

mod common;

use std::path::PathBuf;

use common::{audio_lena, TempLibrary};
use sonare::analysis::job::{self, JobControl, JobOptions};
use sonare::library::browse::{list_tracks, TrackQuery};

#[test]
fn a_caf_lofty_misreads_is_read_by_symphonia_and_webm_lengths_come_from_the_decoder() {
    let lena = audio_lena();
    let files: Vec<(PathBuf, &str)> = ["lena.caf", "lena.webm", "lena-vorbis.webm", "lena.wav"]
        .iter()
        .map(|n| (lena.join(n), *n))
        .collect();
    let refs: Vec<(&std::path::Path, &str)> =
        files.iter().map(|(p, n)| (p.as_path(), *n)).collect();
    let lib = TempLibrary::with_files(&refs);
    let conn = sonare::db::open(&lib.db).unwrap();
    let duration = |name: &str| {
        list_tracks(&conn, &TrackQuery::default())
            .unwrap()
            .into_iter()
            .find(|t| t.path.ends_with(name))
            .unwrap_or_else(|| panic!("{name} is not in the library"))
            .duration_s
            .unwrap()
    };
    // lofty takes this 16-bit LPCM CAF for MPEG and fails; symphonia reads it.
    assert!(
        (duration("lena.caf") - 12.27).abs() < 0.05,
        "{}",
        duration("lena.caf")
    );
    let reference = duration("lena.wav");
    job::run(
        &conn,
        std::path::Path::new("/nonexistent/libonnxruntime.so.1.32.0"),
        &JobOptions::default(),
        &JobControl::default(),
        |_| {},
    )
    .unwrap();
    // The WebM container said about 0.26 s; decoding the whole file says 12.3 s.
    for webm in ["lena.webm", "lena-vorbis.webm"] {
        assert!(
            (duration(webm) - reference).abs() < 0.1,
            "{webm}: {} s, the WAV {reference} s",
            duration(webm)
        );
    }
    assert_eq!(
        duration("lena.wav"),
        reference,
        "a right length is left alone"
    );
}

#[test]
fn an_ima_adpcm_aiff_is_as_long_as_its_packets_say() {
    let lena = audio_lena();
    let lib = TempLibrary::with_files(&[
        (
            &lena.join("audacity/lena-ima-adpcm.aiff"),
            "lena-ima-adpcm.aiff",
        ),
        (&lena.join("lena.wav"), "lena.wav"),
    ]);
    let conn = sonare::db::open(&lib.db).unwrap();
    let tracks = list_tracks(&conn, &TrackQuery::default()).unwrap();
    let length = |name: &str| {
        tracks
            .iter()
            .find(|t| t.path.ends_with(name))
            .and_then(|t| t.duration_s)
            .unwrap()
    };
    // lofty read 0.19 s: the COMM chunk counts 64-frame packets.
    let (adpcm, wav) = (length("lena-ima-adpcm.aiff"), length("lena.wav"));
    assert!((adpcm - wav).abs() < 0.05, "ADPCM {adpcm} s, WAV {wav} s");
}

#[cfg(unix)]
#[test]
fn a_file_whose_name_is_not_utf8_is_played_analysed_and_rescanned_as_itself() {
    use common::{demo_file, sonare_cli, stdout_ok};
    use serde_json::Value;
    use std::os::unix::ffi::OsStrExt;

    let tmp = tempfile::tempdir().unwrap();
    let (music, data) = (tmp.path().join("music"), tmp.path().join("data"));
    // Latin-1 names, as an old rip or a Windows archive leaves them: "Café/été.ogg".
    let folder = music.join(std::ffi::OsStr::from_bytes(b"Caf\xe9"));
    std::fs::create_dir_all(&folder).unwrap();
    let file = folder.join(std::ffi::OsStr::from_bytes(b"\xe9t\xe9.ogg"));
    std::fs::copy(demo_file("victory.ogg"), &file).unwrap();
    let music_arg = music.to_str().unwrap();

    let scan: Value = serde_json::from_str(&stdout_ok(&sonare_cli(
        Some(&data),
        &["scan", music_arg, "--json"],
    )))
    .unwrap();
    assert_eq!(scan["added"], 1, "{scan}");
    let tracks = stdout_ok(&sonare_cli(Some(&data), &["tracks", "--json"]));
    let track: Value = serde_json::from_str(tracks.lines().next().unwrap()).unwrap();
    let stored = track["path"].as_str().unwrap();
    assert_eq!(
        sonare::library::path_text::to_path(stored),
        file,
        "the stored text names the very file"
    );
    assert_eq!(
        sonare::library::path_text::display(stored),
        file.to_string_lossy(),
        "and reads as the lossy name"
    );

    // Analysed in a worker process (the path crosses a pipe) and played through the decoder process.
    let analyze: Value = serde_json::from_str(
        stdout_ok(&sonare_cli(
            Some(&data),
            &["analyze", "--json", "--threads", "1"],
        ))
        .trim(),
    )
    .unwrap();
    assert_eq!(analyze["analysed"], 1, "{analyze}");
    let id = track["id"].to_string();
    stdout_ok(&sonare_cli(Some(&data), &["play", &id, "--seconds", "1"]));
    let history = stdout_ok(&sonare_cli(Some(&data), &["history", "--json"]));
    let play: Value = serde_json::from_str(history.lines().next().unwrap()).unwrap();
    assert_ne!(play["end"], "error", "{play}");
    assert!(play["heard_ms"].as_i64().unwrap() > 0, "{play}");

    // A rescan finds it unchanged, not missing and new.
    let again: Value = serde_json::from_str(&stdout_ok(&sonare_cli(
        Some(&data),
        &["scan", music_arg, "--json"],
    )))
    .unwrap();
    assert_eq!(
        (
            again["unchanged"].as_u64(),
            again["added"].as_u64(),
            again["missing"].as_u64()
        ),
        (Some(1), Some(0), Some(0)),
        "{again}"
    );
}

#[test]
fn files_lofty_cannot_read_are_probed_in_a_worker_that_may_die_alone() {
    use sonare::app::Sonare;
    use sonare::data_dir::DataDir;
    use sonare::jobs::JobControl;
    use sonare::sandbox::{WorkerCommand, PROBE_WORKER_FLAG};

    let lena = audio_lena();
    let scan_with = |worker: WorkerCommand| {
        let tmp = tempfile::tempdir().unwrap();
        let music = tmp.path().join("music");
        std::fs::create_dir_all(&music).unwrap();
        for name in ["lena.caf", "lena.webm", "lena.wav"] {
            std::fs::copy(lena.join(name), music.join(name)).unwrap();
        }
        let app = Sonare::open(DataDir::resolve(Some(&tmp.path().join("data"))).unwrap())
            .unwrap()
            .with_probe_worker(worker);
        sonare::library::add_folder(&app.db(), &music).unwrap();
        let report = app.scan(None, &JobControl::default(), &mut |_| {}).unwrap();
        let tracks = list_tracks(&app.db(), &TrackQuery::default()).unwrap();
        (tmp, report, tracks)
    };
    // The real prober: what it reads is what the in-process probe reads.
    let real = WorkerCommand {
        program: env!("CARGO_BIN_EXE_sonare").into(),
        args: vec![PROBE_WORKER_FLAG.into()],
    };
    let (_tmp, report, tracks) = scan_with(real);
    assert_eq!((report.added, report.failed.len()), (3, 0), "{report:?}");
    let caf = tracks
        .iter()
        .find(|t| t.path.ends_with("lena.caf"))
        .unwrap();
    assert!((caf.duration_s.unwrap() - 12.27).abs() < 0.05, "{caf:?}");
    let here = sonare::library::read::read_track(&lena.join("lena.webm")).unwrap();
    let webm = tracks
        .iter()
        .find(|t| t.path.ends_with("lena.webm"))
        .unwrap();
    assert_eq!(webm.codec, here.meta.codec);

    // A prober that aborts, as symphonia does on a header claiming gigabytes: those files are
    // unreadable with the reason, the WAV (read by lofty) is added, and the scan ends normally.
    let aborting = WorkerCommand {
        program: "/bin/sh".into(),
        args: vec!["-c".into(), "kill -ABRT $$".into(), "prober".into()],
    };
    let (_tmp, report, tracks) = scan_with(aborting);
    assert_eq!(report.added, 1, "{report:?}");
    assert_eq!(tracks.len(), 1);
    assert!(tracks[0].path.ends_with("lena.wav"));
    assert_eq!(report.failed.len(), 2, "{report:?}");
    for failure in &report.failed {
        assert!(failure.error.contains("the decoder aborted"), "{failure:?}");
    }
}
