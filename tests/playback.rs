//! The playback engine on real files through a real audio output. CI has no sound card: the test
//! command starts a PulseAudio null sink (`scripts/null-sound.sh`), which ALSA's default device plays
//! into in real time.

mod common;

use std::sync::mpsc::channel;
use std::time::{Duration, Instant};

use common::player::{spawn_player, Events};
use common::*;
use sonare::audio::{Decoding, PlaybackDecoder, TrackDecoder};
use sonare::playback::source::{Loaded, PlaybackSource, Shared, SourceEvent};
use sonare::playback::{Command, PlayContext, Player, PlayerErrorKind, PlayerEvent, Status};

fn player(lib: &TempLibrary) -> (Player, Events) {
    spawn_player(lib, Decoding::InProcess)
}

fn plays(lib: &TempLibrary) -> Vec<sonare::playback::history::PlayRow> {
    let conn = sonare::db::open(&lib.db).unwrap();
    let mut rows = sonare::playback::history::recent_plays(&conn, 100).unwrap();
    rows.reverse();
    rows
}

fn play(player: &Player, tracks: Vec<i64>) {
    player.send(Command::PlayQueue {
        tracks,
        start: 0,
        context: PlayContext::Library,
    });
}

#[test]
fn consecutive_tracks_join_sample_exactly() {
    consecutive_tracks_join_sample_exactly_with(&Decoding::InProcess);
    // The app's way: each track in a decoder process of its own.
    let worker = sonare::sandbox::WorkerCommand {
        program: env!("CARGO_BIN_EXE_sonare").into(),
        args: vec![sonare::sandbox::DECODE_WORKER_FLAG.into()],
    };
    consecutive_tracks_join_sample_exactly_with(&Decoding::Isolated(worker));
}

fn consecutive_tracks_join_sample_exactly_with(decoding: &Decoding) {
    let a = demo_file("victory.ogg");
    let b = demo_file("defeat.ogg");
    let (decoded_a, rate_a, ch_a) = TrackDecoder::decode_all(&a).unwrap();
    let (decoded_b, rate_b, ch_b) = TrackDecoder::decode_all(&b).unwrap();
    assert_eq!((rate_a, ch_a), (rate_b, ch_b));

    let (tx, rx) = channel();
    let shared = Shared::new(move |e| {
        let _ = tx.send(e);
    });
    let load = |path: &std::path::Path, play_id| Loaded {
        decoder: PlaybackDecoder::open(path, decoding).unwrap(),
        play_id,
        gain: 1.0,
        position_frames: 0,
        heard_frames: 0,
        album: None,
        fade_in_frames: 0,
    };
    {
        let mut deck = shared.deck();
        deck.current = Some(load(&a, 1));
        deck.next = Some(load(&b, 2));
    }
    // Exactly what the output receives.
    let source = PlaybackSource::new(shared.clone());
    let handed: Vec<f32> = source
        .take(decoded_a.len() + decoded_b.len() + 4096)
        .collect();
    let expected: Vec<f32> = decoded_a.iter().chain(&decoded_b).copied().collect();
    assert_eq!(
        &handed[..expected.len()],
        &expected[..],
        "no sample inserted, dropped or changed"
    );
    assert!(
        handed[expected.len()..].iter().all(|&s| s == 0.0),
        "silence once the queue is empty"
    );
    let events: Vec<SourceEvent> = rx.try_iter().collect();
    assert!(
        matches!(
            events.as_slice(),
            [
                SourceEvent::Audible { play_id: 1 },
                SourceEvent::Finished {
                    play_id: 1,
                    next: Some(2),
                    ..
                },
                SourceEvent::Audible { play_id: 2 },
                SourceEvent::Finished {
                    play_id: 2,
                    next: None,
                    ..
                },
            ]
        ),
        "{events:?}"
    );
}

/// What the output receives for `a` then `b` with a crossfade of `seconds`, each tagged `album`.
fn handed_with_crossfade(seconds: u64, albums: [Option<&str>; 2]) -> (Vec<f32>, Vec<SourceEvent>) {
    let (tx, rx) = channel();
    let shared = Shared::new(move |e| {
        let _ = tx.send(e);
    });
    shared.set_crossfade(Duration::from_secs(seconds));
    let load = |name: &str, play_id, album: Option<&str>| Loaded {
        decoder: PlaybackDecoder::InProcess(TrackDecoder::open(&demo_file(name)).unwrap()),
        play_id,
        gain: 1.0,
        position_frames: 0,
        heard_frames: 0,
        album: album.map(str::to_owned),
        fade_in_frames: 0,
    };
    {
        let mut deck = shared.deck();
        deck.current = Some(load("victory.ogg", 1, albums[0]));
        deck.next = Some(load("defeat.ogg", 2, albums[1]));
    }
    let n = 3_000_000;
    let handed: Vec<f32> = PlaybackSource::new(shared).take(n).collect();
    (handed, rx.try_iter().collect())
}

#[test]
fn a_crossfade_overlaps_the_end_and_the_start_with_equal_power_fades() {
    let (a, rate, channels) = TrackDecoder::decode_all(&demo_file("victory.ogg")).unwrap();
    let (b, _, _) = TrackDecoder::decode_all(&demo_file("defeat.ogg")).unwrap();
    let ch = channels as usize;
    let estimated_end = (TrackDecoder::open(&demo_file("victory.ogg"))
        .unwrap()
        .duration()
        .unwrap()
        .as_secs_f64()
        * rate as f64)
        .round() as usize;
    let length = 2 * rate as usize;
    let fade_start = estimated_end - length;
    let (a_frames, b_frames) = (a.len() / ch, b.len() / ch);
    assert!(fade_start < a_frames && a_frames <= estimated_end + rate as usize);
    let gain = |x: f64| (std::f64::consts::FRAC_PI_2 * x).sin();
    let mut expected = Vec::new();
    for f in 0..fade_start + b_frames {
        for c in 0..ch {
            let from_a = a.get(f * ch + c).map_or(0.0, |&s| {
                let remaining = estimated_end.saturating_sub(f);
                s as f64
                    * if remaining >= length {
                        1.0
                    } else {
                        gain(remaining as f64 / length as f64)
                    }
            });
            let from_b = f.checked_sub(fade_start).map_or(0.0, |k| {
                let fade = if k >= length {
                    1.0
                } else {
                    gain(k as f64 / length as f64)
                };
                b[k * ch + c] as f64 * fade
            });
            expected.push((from_a + from_b) as f32);
        }
    }
    let (handed, events) = handed_with_crossfade(2, [Some("Battle"), Some("Defeat")]);
    let worst = handed
        .iter()
        .zip(&expected)
        .map(|(h, e)| (h - e).abs())
        .fold(0.0f32, f32::max);
    assert!(
        worst < 1e-5,
        "largest difference from the fade's formula: {worst}"
    );
    assert!(
        handed[expected.len()..].iter().all(|&s| s == 0.0),
        "the overlap shortened the pair by its length, then silence"
    );
    // The next track is audible from the fade on, and the first one finishes after it.
    assert!(
        matches!(
            events.as_slice(),
            [
                SourceEvent::Audible { play_id: 1 },
                SourceEvent::Audible { play_id: 2 },
                SourceEvent::Finished {
                    play_id: 1,
                    next: Some(2),
                    ..
                },
                SourceEvent::Finished {
                    play_id: 2,
                    next: None,
                    ..
                },
            ]
        ),
        "{events:?}"
    );
}

#[test]
fn tracks_of_one_album_join_gaplessly_even_with_a_crossfade_set() {
    let (a, _, _) = TrackDecoder::decode_all(&demo_file("victory.ogg")).unwrap();
    let (b, _, _) = TrackDecoder::decode_all(&demo_file("defeat.ogg")).unwrap();
    let (handed, _) = handed_with_crossfade(5, [Some("Battle"), Some("Battle")]);
    let expected: Vec<f32> = a.iter().chain(&b).copied().collect();
    assert_eq!(&handed[..expected.len()], &expected[..]);
}

#[test]
fn replaygain_and_volume_scale_the_samples() {
    let path = demo_file("victory.ogg");
    let (decoded, _, _) = TrackDecoder::decode_all(&path).unwrap();
    let shared = Shared::new(|_| {});
    shared.set_volume(0.5);
    shared.deck().current = Some(Loaded {
        decoder: PlaybackDecoder::InProcess(TrackDecoder::open(&path).unwrap()),
        play_id: 1,
        gain: 0.5,
        position_frames: 0,
        heard_frames: 0,
        album: None,
        fade_in_frames: 0,
    });
    let handed: Vec<f32> = PlaybackSource::new(shared).take(decoded.len()).collect();
    for (out, original) in handed.iter().zip(&decoded) {
        assert!((out - original * 0.25).abs() < 1e-6);
    }
}

#[test]
fn playing_advances_the_position_and_records_the_play() {
    let lib = TempLibrary::with_files(&[(&demo_file("main_menu.ogg"), "a/main.ogg")]);
    let id = lib.track_id("a/main.ogg");
    let (player, events) = player(&lib);
    play(&player, vec![id]);
    events.wait_for("playing", Duration::from_secs(5), |e| {
        matches!(
            e,
            PlayerEvent::State {
                status: Status::Playing,
                ..
            }
        )
    });
    let started = Instant::now();
    let reached = events.position_at_least(1500, Duration::from_secs(5));
    let wall = started.elapsed().as_millis() as u64;
    assert!(
        reached <= wall + 300,
        "position {reached} ms runs ahead of wall time {wall} ms"
    );
    player.send(Command::Stop);
    drop(player);
    let rows = plays(&lib);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].track_id, id);
    assert_eq!(
        rows[0].end.as_deref(),
        Some("skipped"),
        "stopped before 30 s counts as a skip"
    );
    assert!(
        rows[0].heard_ms >= 1500 && rows[0].heard_ms < 4000,
        "{rows:?}"
    );
}

#[test]
fn seeking_lands_within_100_ms() {
    let lib = TempLibrary::with_files(&[(&demo_file("main_menu.ogg"), "main.ogg")]);
    let id = lib.track_id("main.ogg");
    let (player, events) = player(&lib);
    play(&player, vec![id]);
    events.position_at_least(200, Duration::from_secs(5));
    player.send(Command::Seek(Duration::from_millis(20_000)));
    let landed = events.position_at_least(19_000, Duration::from_secs(5));
    assert!(landed.abs_diff(20_000) <= 100, "landed at {landed} ms");
    let later = events.position_at_least(20_600, Duration::from_secs(5));
    assert!(later < 22_000);
    player.send(Command::Stop);
    drop(player);
    let row = &plays(&lib)[0];
    assert!(row.position_ms >= 20_500, "{row:?}");
    assert!(
        row.heard_ms < 3_000,
        "seeking over 20 s does not count as heard: {row:?}"
    );
}

#[test]
fn paused_time_is_not_heard() {
    let lib = TempLibrary::with_files(&[(&demo_file("main_menu.ogg"), "main.ogg")]);
    let id = lib.track_id("main.ogg");
    let (player, events) = player(&lib);
    play(&player, vec![id]);
    events.position_at_least(1000, Duration::from_secs(5));
    player.send(Command::Pause);
    events.wait_for("paused", Duration::from_secs(2), |e| {
        matches!(
            e,
            PlayerEvent::State {
                status: Status::Paused,
                ..
            }
        )
    });
    std::thread::sleep(Duration::from_millis(2000));
    player.send(Command::Resume);
    events.position_at_least(2000, Duration::from_secs(5));
    player.send(Command::Stop);
    drop(player);
    let row = &plays(&lib)[0];
    assert!(
        row.heard_ms >= 1900 && row.heard_ms < 3000,
        "2 s paused excluded: {row:?}"
    );
}

#[test]
fn next_records_a_skip_and_plays_the_following_track() {
    let lib = TempLibrary::with_files(&[
        (&demo_file("main_menu.ogg"), "1.ogg"),
        (&demo_file("victory.ogg"), "2.ogg"),
    ]);
    let (first, second) = (lib.track_id("1.ogg"), lib.track_id("2.ogg"));
    let (player, events) = player(&lib);
    play(&player, vec![first, second]);
    events.position_at_least(500, Duration::from_secs(5));
    player.send(Command::Next);
    events.wait_for(
        "second track",
        Duration::from_secs(5),
        |e| matches!(e, PlayerEvent::TrackChanged { track: Some(t), .. } if t.id == second),
    );
    // The second track plays to its end: completed, then the queue stops.
    events.wait_for("end of queue", Duration::from_secs(10), |e| {
        matches!(
            e,
            PlayerEvent::State {
                status: Status::Stopped,
                ..
            }
        )
    });
    drop(player);
    let rows = plays(&lib);
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(
        (rows[0].track_id, rows[0].end.as_deref()),
        (first, Some("skipped"))
    );
    assert_eq!(
        (rows[1].track_id, rows[1].end.as_deref()),
        (second, Some("completed"))
    );
    assert!(rows[1].heard_ms > 5000, "{rows:?}");
}

#[test]
fn a_broken_file_in_the_queue_is_reported_skipped_and_recorded() {
    let lib = TempLibrary::with_files(&[
        (&demo_file("victory.ogg"), "broken.ogg"),
        (&demo_file("defeat.ogg"), "good.ogg"),
    ]);
    let (broken, good) = (lib.track_id("broken.ogg"), lib.track_id("good.ogg"));
    // The file breaks after it was imported.
    std::fs::write(
        lib.music.join("broken.ogg"),
        b"OggS\0garbage that is not a stream",
    )
    .unwrap();
    let (player, events) = player(&lib);
    play(&player, vec![broken, good]);
    let error = events.wait_for("decode error", Duration::from_secs(5), |e| {
        matches!(
            e,
            PlayerEvent::Error {
                kind: PlayerErrorKind::Decode,
                ..
            }
        )
    });
    match error {
        PlayerEvent::Error {
            message, track_id, ..
        } => {
            assert_eq!(track_id, Some(broken));
            assert!(message.contains("broken.ogg"), "{message}");
        }
        _ => unreachable!(),
    }
    events.wait_for(
        "the next track",
        Duration::from_secs(5),
        |e| matches!(e, PlayerEvent::TrackChanged { track: Some(t), .. } if t.id == good),
    );
    player.send(Command::Stop);
    drop(player);
    let rows = plays(&lib);
    assert_eq!(rows[0].track_id, broken);
    assert_eq!(rows[0].end.as_deref(), Some("error"));
    assert!(rows[0].error.as_deref().unwrap().contains("broken.ogg"));
    assert_eq!(rows[1].track_id, good);
}

#[test]
fn queue_and_position_survive_a_restart() {
    let lib = TempLibrary::with_files(&[
        (&demo_file("victory.ogg"), "1.ogg"),
        (&demo_file("main_menu.ogg"), "2.ogg"),
        (&demo_file("defeat.ogg"), "3.ogg"),
    ]);
    let ids = vec![
        lib.track_id("1.ogg"),
        lib.track_id("2.ogg"),
        lib.track_id("3.ogg"),
    ];
    {
        let (player, events) = player(&lib);
        player.send(Command::PlayQueue {
            tracks: ids.clone(),
            start: 1,
            context: PlayContext::Album,
        });
        events.position_at_least(100, Duration::from_secs(5));
        player.send(Command::Seek(Duration::from_secs(12)));
        events.position_at_least(12_000, Duration::from_secs(5));
        player.send(Command::Pause);
        events.wait_for("paused", Duration::from_secs(2), |e| {
            matches!(
                e,
                PlayerEvent::State {
                    status: Status::Paused,
                    ..
                }
            )
        });
    } // dropped: the app closes

    let (player, events) = player(&lib);
    match events.wait_for("restored queue", Duration::from_secs(5), |e| {
        matches!(e, PlayerEvent::QueueChanged { .. })
    }) {
        PlayerEvent::QueueChanged { tracks, current } => {
            assert_eq!(tracks, ids);
            assert_eq!(current, Some(1));
        }
        _ => unreachable!(),
    }
    let restored = events.position_at_least(11_000, Duration::from_secs(5));
    assert!(
        restored.abs_diff(12_000) <= 300,
        "restored at {restored} ms"
    );
    player.send(Command::Resume);
    events.wait_for(
        "playing again",
        Duration::from_secs(5),
        |e| matches!(e, PlayerEvent::TrackChanged { track: Some(t), .. } if t.id == ids[1]),
    );
    let resumed = events.position_at_least(11_000, Duration::from_secs(5));
    assert!(resumed.abs_diff(12_000) <= 500, "resumed at {resumed} ms");
}

#[test]
fn the_codec_matrix_plays_or_refuses_clearly() {
    let lena = audio_lena();
    let mut files: Vec<_> = std::fs::read_dir(&lena)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("lena"))
        .collect();
    files.sort();
    assert!(files.len() >= 15, "audio-lena files: {files:?}");
    let mut played = Vec::new();
    let mut refused = Vec::new();
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let (tx, rx) = channel();
        let path = file.clone();
        // A hang would block the thread forever: give each file a deadline.
        std::thread::spawn(move || {
            let _ = tx.send(TrackDecoder::decode_all(&path).map(|(s, r, c)| (s.len(), r, c)));
        });
        match rx
            .recv_timeout(Duration::from_secs(20))
            .unwrap_or_else(|_| panic!("{name}: decoding hung"))
        {
            Ok((samples, rate, channels)) => {
                let seconds = samples as f64 / rate as f64 / channels as f64;
                assert!(
                    seconds > 10.0 && seconds < 14.0,
                    "{name}: {seconds:.2} s decoded"
                );
                played.push(format!("{name} ({rate} Hz, {channels} ch, {seconds:.2} s)"));
            }
            Err(error) => {
                let text = error.to_string();
                assert!(text.contains(&name), "the error names the file: {text}");
                assert!(
                    text.contains("unsupported") || text.contains("cannot decode"),
                    "{text}"
                );
                refused.push(format!("{name}: {text}"));
            }
        }
    }
    println!(
        "plays:\n  {}\nrefused:\n  {}",
        played.join("\n  "),
        refused.join("\n  ")
    );
    for must in [
        "lena.wav",
        "lena.flac",
        "lena.mp3",
        "lena.ogg",
        "lena.m4a",
        "lena.aac",
        "lena.opus",
        "lena.webm",
        "lena-vorbis.webm",
        "lena.caf",
        "lena.aiff",
        "lena-alaw.caf",
    ] {
        assert!(
            played.iter().any(|p| p.starts_with(must)),
            "{must} must play: {played:?}"
        );
    }
}
