//! Keeping the output open: opened when something should play, watched for a stall, reopened every
//! `DEVICE_RETRY` after it was lost.

use std::time::Instant;

use super::{Engine, STALL_LIMIT};
use crate::playback::protocol::PlayerErrorKind;
use crate::playback::source::PlaybackSource;

impl Engine {
    /// Opens the output if it is not open. Returns whether it is open.
    pub(super) fn ensure_output(&mut self) -> bool {
        if self.output.is_open() {
            return true;
        }
        self.last_device_try = Instant::now();
        let shared = self.shared.clone();
        match self
            .output
            .open(&mut || PlaybackSource::new(shared.clone()))
        {
            Ok(()) => true,
            Err(e) => {
                let message = format!("no audio output device: {e}");
                self.emit_error(PlayerErrorKind::Device, message, None);
                false
            }
        }
    }

    /// Some backends report a vanished device only as silence (ALSA through a PulseAudio server that
    /// died, for one): if the output stops pulling samples while playing, treat it as lost.
    pub(super) fn watch_output(&mut self) {
        if !self.output.is_open() || self.current.is_none() {
            self.progress = None;
            return;
        }
        let heard = self
            .shared
            .deck()
            .current
            .as_ref()
            .map(|l| l.heard_frames)
            .unwrap_or(0);
        match self.progress {
            Some((frames, since)) if frames == heard => {
                if since.elapsed() >= STALL_LIMIT {
                    self.progress = None;
                    self.on_device_lost("the output stopped taking audio".into());
                }
            }
            _ => self.progress = Some((heard, Instant::now())),
        }
    }

    /// Moves an open output to the device the settings name now (the source goes on from the
    /// same frame, as after a lost device).
    pub(super) fn switch_output(&mut self) {
        if self.output.is_open() {
            self.output.close();
            self.ensure_output();
        }
    }

    pub(super) fn on_device_lost(&mut self, reason: String) {
        if self.output.is_open() {
            self.output.close();
            let message = format!("the audio output device was lost: {reason}");
            self.emit_error(PlayerErrorKind::Device, message, None);
            self.last_device_try = Instant::now();
        }
    }
}
