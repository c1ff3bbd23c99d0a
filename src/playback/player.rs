//! The handle to the player thread (`sonare-player`), which owns the audio output: commands go in
//! over a channel, events come out through the callback given at spawn.

use std::path::Path;
use std::sync::mpsc::{self, Sender};
use std::thread::JoinHandle;

use super::engine::{Engine, Msg};
use super::output::DeviceOutput;
use super::protocol::{Command, PlayerEvent};
use super::source::Shared;
use crate::audio::Decoding;

/// Handle to the player thread. [`Player::shutdown`] (or dropping it) stops playback and saves the queue.
pub struct Player {
    sender: Sender<Msg>,
    thread: std::sync::Mutex<Option<JoinHandle<()>>>,
}

impl Player {
    /// Starts the player thread on the library at `db_path`, decoding as `decoding` says. `on_event`
    /// runs on the player thread.
    pub fn spawn(
        db_path: &Path,
        decoding: Decoding,
        on_event: impl Fn(PlayerEvent) + Send + 'static,
    ) -> Result<Self, crate::db::Error> {
        let conn = crate::db::open(db_path)?;
        // The output reads the device setting on its own connection, at every open.
        let settings_conn = crate::db::open(db_path)?;
        let (sender, receiver) = mpsc::channel();
        let source_sender = sender.clone();
        let shared = Shared::new(move |event| {
            let _ = source_sender.send(Msg::Source(event));
        });
        let lost_sender = sender.clone();
        let thread = std::thread::Builder::new()
            .name("sonare-player".into())
            .spawn(move || {
                // The device is opened on this thread, which owns it for good.
                let output = DeviceOutput::new(
                    std::sync::Arc::new(move |reason| {
                        let _ = lost_sender.send(Msg::DeviceLost(reason));
                    }),
                    Box::new(move || {
                        crate::settings::load(&settings_conn)
                            .ok()
                            .and_then(|s| s.output_device)
                    }),
                );
                let mut engine =
                    Engine::new(conn, decoding, shared, Box::new(output), Box::new(on_event));
                engine.run(receiver);
            })
            .expect("spawning the player thread");
        Ok(Self {
            sender,
            thread: std::sync::Mutex::new(Some(thread)),
        })
    }

    pub fn send(&self, command: Command) {
        let _ = self.sender.send(Msg::Command(command));
    }

    /// Stops playback, records the play under way, saves the queue and position, and ends the thread.
    pub fn shutdown(&self) {
        let _ = self.sender.send(Msg::Shutdown);
        let thread = self.thread.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(thread) = thread {
            let _ = thread.join();
        }
    }
}

impl Drop for Player {
    fn drop(&mut self) {
        self.shutdown();
    }
}
