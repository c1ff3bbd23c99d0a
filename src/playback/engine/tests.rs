//! The state machine without a sound device: a fake output hands the test the one source the
//! device would pull, so each test decides how much is "played" and when.

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};

use super::{Engine, Msg};
use crate::library::meta::TrackMeta;
use crate::library::store::{self, FileFacts};
use crate::playback::history::{recent_plays, PlayContext};
use crate::playback::output::Output;
use crate::playback::protocol::{Command, PlayerErrorKind, PlayerEvent, Status};
use crate::playback::source::{PlaybackSource, Shared};

const RATE: u32 = 8_000;

/// The device, played by hand: `pull(n)` takes n samples as a device callback would.
#[derive(Clone, Default)]
struct FakeOutput {
    source: Rc<RefCell<Option<PlaybackSource>>>,
    refuse: Rc<RefCell<bool>>,
}

impl Output for FakeOutput {
    fn open(&mut self, source: &mut dyn FnMut() -> PlaybackSource) -> Result<(), String> {
        if *self.refuse.borrow() {
            return Err("no such device".into());
        }
        *self.source.borrow_mut() = Some(source());
        Ok(())
    }

    fn is_open(&self) -> bool {
        self.source.borrow().is_some()
    }

    fn close(&mut self) {
        *self.source.borrow_mut() = None;
    }
}

impl FakeOutput {
    /// Takes `n` samples; returns how many of them were not silence.
    fn pull(&self, n: usize) -> usize {
        let mut source = self.source.borrow_mut();
        let source = source.as_mut().expect("the output is open");
        source.by_ref().take(n).filter(|s| *s != 0.0).count()
    }
}

struct Rig {
    _tmp: tempfile::TempDir,
    engine: Engine,
    output: FakeOutput,
    reports: Receiver<Msg>,
    events: Arc<Mutex<Vec<PlayerEvent>>>,
    tracks: Vec<i64>,
}

/// A mono 16-bit WAV of `seconds` of a loud square wave (never a zero sample).
fn write_wav(path: &Path, seconds: f64) {
    let frames = (seconds * RATE as f64) as u32;
    let mut bytes = Vec::new();
    let data_len = frames * 2;
    bytes.extend_from_slice(b"RIFF");
    bytes.extend_from_slice(&(36 + data_len).to_le_bytes());
    bytes.extend_from_slice(b"WAVEfmt ");
    bytes.extend_from_slice(&16u32.to_le_bytes());
    bytes.extend_from_slice(&1u16.to_le_bytes()); // PCM
    bytes.extend_from_slice(&1u16.to_le_bytes()); // mono
    bytes.extend_from_slice(&RATE.to_le_bytes());
    bytes.extend_from_slice(&(RATE * 2).to_le_bytes());
    bytes.extend_from_slice(&2u16.to_le_bytes());
    bytes.extend_from_slice(&16u16.to_le_bytes());
    bytes.extend_from_slice(b"data");
    bytes.extend_from_slice(&data_len.to_le_bytes());
    for n in 0..frames {
        let sample: i16 = if (n / 20) % 2 == 0 { 8_000 } else { -8_000 };
        bytes.extend_from_slice(&sample.to_le_bytes());
    }
    std::fs::write(path, bytes).unwrap();
}

/// A library of files (name, seconds; a negative length writes a file that is no audio at all).
fn rig(files: &[(&str, f64)]) -> Rig {
    let tmp = tempfile::tempdir().unwrap();
    let conn = crate::db::open(&tmp.path().join("library.sqlite3")).unwrap();
    let folder = store::add_folder(&conn, &tmp.path().to_string_lossy()).unwrap();
    let mut tracks = Vec::new();
    for (name, seconds) in files {
        let path: PathBuf = tmp.path().join(name);
        if *seconds < 0.0 {
            std::fs::write(&path, b"this is no audio file").unwrap();
        } else {
            write_wav(&path, *seconds);
        }
        let meta = TrackMeta {
            title: name.to_string(),
            artist: "Tester".into(),
            album: "Tests".into(),
            duration_ms: Some((seconds.max(0.0) * 1000.0) as u64),
            codec: "wav".into(),
            ..Default::default()
        };
        let facts = FileFacts {
            path: &path.to_string_lossy(),
            folder_id: folder,
            size: 1,
            mtime_ns: 0,
            fingerprint: name,
            cover_id: None,
        };
        tracks.push(store::insert_track(&conn, &facts, &meta).unwrap());
    }
    let (sender, reports) = mpsc::channel();
    let shared = Shared::new(move |event| {
        let _ = sender.send(Msg::Source(event));
    });
    let output = FakeOutput::default();
    let events = Arc::new(Mutex::new(Vec::new()));
    let sink = events.clone();
    let emit = Box::new(move |e: PlayerEvent| sink.lock().unwrap().push(e));
    let engine = Engine::new(
        conn,
        crate::audio::Decoding::InProcess,
        shared,
        Box::new(output.clone()),
        emit,
    );
    Rig {
        _tmp: tmp,
        engine,
        output,
        reports,
        events,
        tracks,
    }
}

impl Rig {
    fn send(&mut self, command: Command) {
        self.engine.handle(command);
        self.pump();
    }

    /// Hands what the source reported to the engine, as the player thread's loop does.
    fn pump(&mut self) {
        while let Ok(msg) = self.reports.try_recv() {
            self.engine.on(msg);
        }
    }

    /// Plays `seconds` of audio through the fake device.
    fn play_for(&mut self, seconds: f64) -> usize {
        let mut heard = 0;
        // In small steps, as a device callback would, so the engine hears each end as it comes.
        for _ in 0..(seconds * RATE as f64 / 256.0).ceil() as usize {
            heard += self.output.pull(256);
            self.pump();
        }
        heard
    }

    fn take_events(&self) -> Vec<PlayerEvent> {
        std::mem::take(&mut *self.events.lock().unwrap())
    }

    fn plays(&self) -> Vec<(i64, String)> {
        let mut plays: Vec<(i64, String)> = recent_plays(&self.engine.conn, 100)
            .unwrap()
            .into_iter()
            .map(|p| (p.track_id, p.end.unwrap_or_default()))
            .collect();
        plays.reverse();
        plays
    }
}

fn play_all(tracks: &[i64]) -> Command {
    Command::PlayQueue {
        tracks: tracks.to_vec(),
        start: 0,
        context: PlayContext::Album,
    }
}

fn track_changes(events: &[PlayerEvent]) -> Vec<Option<i64>> {
    events
        .iter()
        .filter_map(|e| match e {
            PlayerEvent::TrackChanged { track, .. } => Some(track.as_ref().map(|t| t.id)),
            _ => None,
        })
        .collect()
}

fn last_status(events: &[PlayerEvent]) -> Option<Status> {
    events.iter().rev().find_map(|e| match e {
        PlayerEvent::State { status, .. } => Some(*status),
        _ => None,
    })
}

#[test]
fn a_queue_plays_through_without_a_gap_and_every_play_is_recorded() {
    let mut rig = rig(&[("one.wav", 0.5), ("two.wav", 0.25)]);
    let tracks = rig.tracks.clone();
    rig.send(play_all(&tracks));
    let events = rig.take_events();
    assert!(
        matches!(events[0], PlayerEvent::QueueChanged { .. }),
        "{events:?}"
    );
    assert_eq!(last_status(&events), Some(Status::Playing));
    assert_eq!(track_changes(&events), [Some(tracks[0])]);
    // Every sample of both files reaches the output, back to back (square waves: none is zero).
    let heard = rig.play_for(1.5);
    assert_eq!(heard, (0.75 * RATE as f64) as usize);
    let events = rig.take_events();
    // Gapless into the second; at the end the bar keeps showing it, stopped.
    assert_eq!(track_changes(&events), [Some(tracks[1]), Some(tracks[1])]);
    assert_eq!(last_status(&events), Some(Status::Stopped));
    let audible: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            PlayerEvent::Audible { track_id } => Some(*track_id),
            _ => None,
        })
        .collect();
    assert_eq!(
        audible,
        [tracks[1]],
        "the first was audible before: {events:?}"
    );
    assert_eq!(
        rig.plays(),
        [
            (tracks[0], "completed".to_string()),
            (tracks[1], "completed".to_string())
        ]
    );
}

#[test]
fn previous_restarts_a_track_past_three_seconds_and_goes_back_before() {
    let mut rig = rig(&[("one.wav", 1.0), ("two.wav", 5.0)]);
    let tracks = rig.tracks.clone();
    rig.send(Command::PlayQueue {
        tracks: tracks.clone(),
        start: 1,
        context: PlayContext::Album,
    });
    rig.play_for(3.5);
    rig.take_events();
    rig.send(Command::Previous);
    let events = rig.take_events();
    assert!(
        track_changes(&events).is_empty(),
        "restarted in place: {events:?}"
    );
    assert!(matches!(
        events.last(),
        Some(PlayerEvent::Position { position_ms: 0, .. })
    ));
    rig.play_for(1.0);
    rig.send(Command::Previous);
    assert_eq!(track_changes(&rig.take_events()), [Some(tracks[0])]);
    // A restart is the same play; the listener left it 1 s after the restart: a skip. The first
    // track now plays.
    assert_eq!(
        rig.plays(),
        [
            (tracks[1], "skipped".to_string()),
            (tracks[0], String::new())
        ]
    );
}

#[test]
fn a_file_that_cannot_be_decoded_is_reported_and_skipped() {
    let mut rig = rig(&[("broken.wav", -1.0), ("good.wav", 0.25)]);
    let tracks = rig.tracks.clone();
    rig.send(play_all(&tracks));
    let events = rig.take_events();
    let error = events.iter().find_map(|e| match e {
        PlayerEvent::Error { kind, track_id, .. } => Some((*kind, *track_id)),
        _ => None,
    });
    assert_eq!(error, Some((PlayerErrorKind::Decode, Some(tracks[0]))));
    assert_eq!(track_changes(&events), [Some(tracks[1])]);
    assert_eq!(last_status(&events), Some(Status::Playing));
    assert_eq!(rig.plays()[0], (tracks[0], "error".to_string()));
}

#[test]
fn without_a_device_the_queue_is_kept_and_a_play_nobody_heard_is_no_skip() {
    let mut rig = rig(&[("one.wav", 1.0)]);
    *rig.output.refuse.borrow_mut() = true;
    let tracks = rig.tracks.clone();
    rig.send(play_all(&tracks));
    let events = rig.take_events();
    let device_errors = |events: &[PlayerEvent]| {
        events
            .iter()
            .filter(|e| {
                matches!(
                    e,
                    PlayerEvent::Error {
                        kind: PlayerErrorKind::Device,
                        ..
                    }
                )
            })
            .count()
    };
    assert_eq!(device_errors(&events), 1, "{events:?}");
    // Still meant to play: the player retries the device (every 2 s on its thread).
    assert_eq!(last_status(&events), Some(Status::Playing));
    rig.send(Command::Stop);
    assert_eq!(rig.plays(), [(tracks[0], "error".to_string())]);

    // The device comes back: the track plays; a lost device is reported once.
    *rig.output.refuse.borrow_mut() = false;
    rig.send(Command::Resume);
    assert!(
        rig.play_for(0.1) > 0,
        "the device came back and the track plays"
    );
    rig.take_events();
    rig.engine.on_device_lost("unplugged".into());
    rig.engine.on_device_lost("unplugged again".into());
    assert_eq!(device_errors(&rig.take_events()), 1);
    assert!(!rig.output.is_open());
}
