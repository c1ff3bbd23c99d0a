//! Losing the audio output mid-play and getting it back: the player reports it and plays on.
//! This test stops and restarts the PulseAudio null sink, so it lives in its own test binary
//! (cargo runs test binaries one after another).

mod common;

use std::process::Command as Process;
use std::sync::mpsc::channel;
use std::time::{Duration, Instant};

use common::*;
use sonare::playback::{Command, PlayContext, Player, PlayerErrorKind, PlayerEvent};

fn null_sound(action: &str) {
    let script = repo().join("scripts/null-sound.sh");
    let status = Process::new("bash")
        .arg("-c")
        .arg(match action {
            // Only the test's own null-sink server (never a desktop's sound server).
            "stop" => "pkill -f 'sink_name=ci_nul[l]' && for _ in $(seq 50); do pactl info >/dev/null 2>&1 || exit 0; sleep 0.1; done; exit 1".to_owned(),
            _ => format!(". {}", script.display()),
        })
        .status()
        .unwrap();
    assert!(status.success(), "null sound {action} failed");
}

#[test]
fn losing_the_output_is_reported_and_playback_resumes_when_it_is_back() {
    let lib = TempLibrary::with_files(&[(&demo_file("main_menu.ogg"), "main.ogg")]);
    let id = lib.track_id("main.ogg");
    let (tx, rx) = channel();
    let player = Player::spawn(&lib.db, sonare::audio::Decoding::InProcess, move |e| {
        let _ = tx.send(e);
    })
    .unwrap();
    player.send(Command::PlayQueue {
        tracks: vec![id],
        start: 0,
        context: PlayContext::Library,
    });
    let position = |rx: &std::sync::mpsc::Receiver<PlayerEvent>,
                    at_least: u64,
                    within: Duration| {
        let deadline = Instant::now() + within;
        while let Ok(event) = rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            if let PlayerEvent::Position { position_ms, .. } = event {
                if position_ms >= at_least {
                    return position_ms;
                }
            }
        }
        panic!("position never reached {at_least} ms");
    };
    let before = position(&rx, 1000, Duration::from_secs(5));

    null_sound("stop");
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut reported = false;
    while Instant::now() < deadline && !reported {
        if let Ok(PlayerEvent::Error {
            kind: PlayerErrorKind::Device,
            ..
        }) = rx.recv_timeout(Duration::from_millis(200))
        {
            reported = true;
        }
    }
    assert!(reported, "losing the output is reported");

    null_sound("start");
    // Playback continues from where it was (a little ahead: the output's buffer was lost).
    let after = position(&rx, before + 1500, Duration::from_secs(15));
    assert!(
        after < before + 8000,
        "resumed near where it stopped: {before} -> {after}"
    );
    player.send(Command::Stop);
}
