//! The events the state machine sends (see `protocol` for what follows what).

use std::time::Instant;

use super::Engine;
use crate::playback::protocol::{PlayerErrorKind, PlayerEvent};
use crate::playback::tracks::track_info;

impl Engine {
    /// Everything a new window needs: state, and for a non-empty queue the queue, track and position.
    pub(super) fn announce(&mut self) {
        self.emit_state();
        if !self.queue.items().is_empty() {
            self.emit_queue();
            self.emit_track();
            self.emit_position();
        }
    }

    pub(super) fn current_track_id(&self) -> Option<i64> {
        self.current.as_ref().map(|c| c.track.id)
    }

    pub(super) fn emit_state(&self) {
        (self.emit)(PlayerEvent::State {
            status: self.status,
            volume: self.shared.volume(),
            shuffle: self.queue.shuffle(),
            repeat: self.queue.repeat(),
        });
    }

    pub(super) fn emit_track(&self) {
        let track = match &self.current {
            Some(c) => Some(c.track.clone()),
            None => self
                .queue
                .current()
                .and_then(|id| track_info(&self.conn, id))
                .map(|(t, _)| t),
        };
        (self.emit)(PlayerEvent::TrackChanged {
            track,
            index: self.queue.current_index(),
        });
    }

    pub(super) fn emit_queue(&self) {
        (self.emit)(PlayerEvent::QueueChanged {
            tracks: self.queue.items().to_vec(),
            current: self.queue.current_index(),
        });
    }

    pub(super) fn emit_position(&mut self) {
        self.last_position = Instant::now();
        let duration_ms = self
            .current
            .as_ref()
            .and_then(|c| c.track.duration_ms)
            .or_else(|| {
                self.queue
                    .current()
                    .and_then(|id| track_info(&self.conn, id))
                    .and_then(|(t, _)| t.duration_ms)
            });
        (self.emit)(PlayerEvent::Position {
            position_ms: self.position().as_millis() as u64,
            duration_ms,
        });
    }

    pub(super) fn emit_error(&self, kind: PlayerErrorKind, message: String, track_id: Option<i64>) {
        log::warn!("{message}");
        (self.emit)(PlayerEvent::Error {
            kind,
            message,
            track_id,
        });
    }
}
