//! The player with its events, for the playback tests.

use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

use sonare::audio::Decoding;
use sonare::playback::{Player, PlayerErrorKind, PlayerEvent};

use super::TempLibrary;

pub struct Events(pub Receiver<PlayerEvent>);

impl Events {
    /// Waits for the first event matching `pred` (events before it are dropped).
    pub fn wait_for(
        &self,
        what: &str,
        timeout: Duration,
        pred: impl Fn(&PlayerEvent) -> bool,
    ) -> PlayerEvent {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.0.recv_timeout(left) {
                Ok(event) if pred(&event) => return event,
                Ok(PlayerEvent::Error {
                    kind: PlayerErrorKind::Device,
                    message,
                    ..
                }) => {
                    panic!("no audio output ({message}): run the tests through scripts/test.sh, which starts a null sink")
                }
                Ok(other) => eprintln!("(while waiting for {what}: {other:?})"),
                Err(_) => panic!("timed out waiting for {what}"),
            }
        }
    }

    pub fn position_at_least(&self, ms: u64, timeout: Duration) -> u64 {
        match self.wait_for(
            &format!("position >= {ms} ms"),
            timeout,
            |e| matches!(e, PlayerEvent::Position { position_ms, .. } if *position_ms >= ms),
        ) {
            PlayerEvent::Position { position_ms, .. } => position_ms,
            _ => unreachable!(),
        }
    }
}

/// The player on `lib`'s database, decoding as `decoding` says, with its events collected.
pub fn spawn_player(lib: &TempLibrary, decoding: Decoding) -> (Player, Events) {
    let (tx, rx) = channel();
    let player = Player::spawn(&lib.db, decoding, move |e| {
        let _ = tx.send(e);
    })
    .unwrap();
    (player, Events(rx))
}
