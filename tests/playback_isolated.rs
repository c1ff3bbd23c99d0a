//! The player's decoder in a worker process (`--decode-worker`): the same samples as in-process
//! decoding, seeks that land alike, and a worker that aborts or hangs failing only its track.

mod common;

use std::time::Duration;

use common::player::spawn_player;
use common::*;
use sonare::audio::{Decoding, IsolatedDecoder, TrackDecoder};
use sonare::playback::{Command, PlayContext, PlayerEvent};
use sonare::sandbox::{WorkerCommand, DECODE_WORKER_FLAG};

fn real_worker() -> WorkerCommand {
    WorkerCommand {
        program: env!("CARGO_BIN_EXE_sonare").into(),
        args: vec![DECODE_WORKER_FLAG.into()],
    }
}

fn drain(decoder: &mut IsolatedDecoder) -> Vec<f32> {
    let mut out = Vec::new();
    while decoder.next_chunk(&mut out).unwrap() {}
    out
}

#[test]
fn the_worker_hands_out_exactly_what_the_decoder_in_this_process_gives() {
    for file in [
        demo_file("victory.ogg"),
        minimal("full_test.flac"),
        minimal("full_test.mp3"),
    ] {
        let (expected, rate, channels) = TrackDecoder::decode_all(&file).unwrap();
        let mut isolated = IsolatedDecoder::open(&file, &real_worker()).unwrap();
        assert_eq!(
            (isolated.sample_rate(), isolated.channels()),
            (rate, channels)
        );
        assert_eq!(
            isolated.duration(),
            TrackDecoder::open(&file).unwrap().duration()
        );
        let got = drain(&mut isolated);
        assert_eq!(got.len(), expected.len(), "{}", file.display());
        assert!(got == expected, "{}: samples differ", file.display());
    }
}

#[test]
fn a_seek_in_the_worker_lands_where_the_decoder_in_this_process_lands() {
    let file = demo_file("victory.ogg");
    let mut here = TrackDecoder::open(&file).unwrap();
    let mut there = IsolatedDecoder::open(&file, &real_worker()).unwrap();
    // Some audio first, so the worker has decoded well ahead when the seek arrives.
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for _ in 0..4 {
        here.next_chunk(&mut a).unwrap();
        there.next_chunk(&mut b).unwrap();
    }
    assert_eq!(a, b);
    let to = Duration::from_millis(1_250);
    assert_eq!(here.seek(to).unwrap(), there.seek(to).unwrap());
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for _ in 0..8 {
        here.next_chunk(&mut a).unwrap();
        there.next_chunk(&mut b).unwrap();
    }
    assert!(!a.is_empty() && a == b, "the audio after the seek differs");
    // And back to the start after the end.
    drain(&mut there);
    there.seek(Duration::ZERO).unwrap();
    let (whole, _, _) = TrackDecoder::decode_all(&file).unwrap();
    assert!(drain(&mut there) == whole);
}

#[test]
fn a_file_the_worker_cannot_open_is_the_decoders_own_error() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("not audio.ogg");
    std::fs::write(&file, b"OggS\0garbage that is not a stream").unwrap();
    let here = TrackDecoder::open(&file).err().unwrap().to_string();
    let there = IsolatedDecoder::open(&file, &real_worker())
        .err()
        .unwrap()
        .to_string();
    assert_eq!(here, there);
    for hostile in std::fs::read_dir(fixtures().join("hostile")).unwrap() {
        let path = hostile.unwrap().path();
        let err = IsolatedDecoder::open(&path, &real_worker()).err().unwrap();
        assert!(err.to_string().contains("claims"), "{err}");
    }
}

/// A stand-in worker: the real one, except on files named to abort at open, abort mid-stream or hang
/// mid-stream (what a decoder does on a hostile file: SIGABRT on an allocation failure, or a loop).
fn unreliable_worker() -> WorkerCommand {
    let real = env!("CARGO_BIN_EXE_sonare");
    let script = format!(
        r#"case "$1" in
             *abort-open*) kill -ABRT $$ ;;
             *abort-mid*) '{real}' {DECODE_WORKER_FLAG} "$1" | head -c 60000; kill -ABRT $$ ;;
             *hang-mid*) '{real}' {DECODE_WORKER_FLAG} "$1" | head -c 60000; exec sleep 60 ;;
             *) exec '{real}' {DECODE_WORKER_FLAG} "$1" ;;
           esac"#
    );
    WorkerCommand {
        program: "/bin/sh".into(),
        args: vec!["-c".into(), script.into(), "worker".into()],
    }
}

#[test]
fn a_decoder_that_aborts_or_hangs_fails_its_track_and_the_next_one_plays() {
    let song = demo_file("victory.ogg");
    let names = [
        "1 abort-open.ogg",
        "2 abort-mid.ogg",
        "3 hang-mid.ogg",
        "4 good.ogg",
    ];
    let lib = TempLibrary::with_files(&names.map(|n| (song.as_path(), n)));
    let ids: Vec<i64> = names.iter().map(|n| lib.track_id(n)).collect();
    let (player, events) = spawn_player(&lib, Decoding::Isolated(unreliable_worker()));
    player.send(Command::PlayQueue {
        tracks: ids.clone(),
        start: 0,
        context: PlayContext::Library,
    });
    let mut errors = Vec::new();
    events.wait_for("the good track", Duration::from_secs(20), |e| {
        if let PlayerEvent::Error {
            kind,
            message,
            track_id,
            ..
        } = e
        {
            eprintln!("{kind:?} {track_id:?}: {message}");
        }
        matches!(e, PlayerEvent::TrackChanged { track: Some(t), .. } if t.id == ids[3])
    });
    events.position_at_least(500, Duration::from_secs(10));
    player.send(Command::Stop);
    drop(player);
    let conn = sonare::db::open(&lib.db).unwrap();
    let mut rows = sonare::playback::history::recent_plays(&conn, 10).unwrap();
    rows.reverse();
    for row in &rows {
        errors.push((row.track_id, row.end.clone(), row.error.clone()));
    }
    let error_of = |id: i64| {
        errors
            .iter()
            .find(|(t, end, _)| *t == id && end.as_deref() == Some("error"))
            .and_then(|(_, _, e)| e.clone())
            .unwrap_or_else(|| panic!("no error recorded for track {id}: {errors:?}"))
    };
    let aborted_at_open = error_of(ids[0]);
    assert!(
        aborted_at_open.contains("1 abort-open.ogg"),
        "{aborted_at_open}"
    );
    assert!(
        aborted_at_open.contains("the decoder aborted"),
        "{aborted_at_open}"
    );
    let aborted_mid = error_of(ids[1]);
    assert!(aborted_mid.contains("the decoder aborted"), "{aborted_mid}");
    let hung = error_of(ids[2]);
    assert!(hung.contains("stopped answering"), "{hung}");
    assert!(
        rows.iter()
            .any(|r| r.track_id == ids[3] && r.end.as_deref() != Some("error")),
        "{errors:?}"
    );
}
