//! Opening tracks, preloading the next one, recording each play in the history, and keeping the
//! queue and position across restarts.

use std::time::Duration;

use super::{CurrentPlay, Ending, Engine, Preloaded};
use crate::audio::PlaybackDecoder;
use crate::library::path_text::to_path;
use crate::playback::history::{self, EndReason};
use crate::playback::protocol::{NowPlaying, PlayerErrorKind, Status};
use crate::playback::queue::Queue;
use crate::playback::source::Loaded;
use crate::playback::tracks::track_info;

type OpenError = (PlayerErrorKind, String);

impl Engine {
    /// Starts the queue's current track at `at`, skipping (and reporting) files that cannot be opened.
    pub(super) fn start_current(&mut self, at: Duration) {
        self.finish_current(None);
        let mut attempts = self.queue.items().len();
        while attempts > 0 {
            attempts -= 1;
            let Some(track_id) = self.queue.current() else {
                break;
            };
            match self.load(track_id) {
                Ok((mut loaded, track)) => {
                    if at > Duration::ZERO {
                        // Landing a little early is fine; a failed seek plays from the start.
                        let _ = loaded.seek(at);
                    }
                    let play_id = loaded.play_id;
                    {
                        let mut deck = self.shared.deck();
                        deck.current = Some(loaded);
                        deck.next = None;
                    }
                    self.begin_play(play_id, track);
                    self.preload();
                    self.shared.set_paused(false);
                    self.status = Status::Playing;
                    self.ensure_output();
                    self.emit_state();
                    self.emit_track();
                    self.emit_position();
                    self.save();
                    return;
                }
                Err((kind, message)) => {
                    self.emit_error(kind, message, Some(track_id));
                    if !self.queue.advance(true) {
                        break;
                    }
                }
            }
        }
        self.stop_at_end();
    }

    /// Opens a track's decoder, with its gain, under a new play id.
    fn open_track(&mut self, track_id: i64) -> Result<(Loaded, NowPlaying), OpenError> {
        let (track, gain) = track_info(&self.conn, track_id).ok_or_else(|| {
            let message = format!("track {track_id} is not in the library");
            (PlayerErrorKind::NotFound, message)
        })?;
        let decoder = PlaybackDecoder::open(&to_path(&track.path), &self.decoding)
            .map_err(|e| (PlayerErrorKind::Decode, e.to_string()))?;
        let play_id = self.next_play_id;
        self.next_play_id += 1;
        // The crossfade as the settings say now (read with every track, so a change applies from
        // the next join).
        let crossfade = crate::settings::load(&self.conn).map_or(0, |s| s.crossfade_seconds);
        self.shared
            .set_crossfade(Duration::from_secs(u64::from(crossfade)));
        let album = Some(track.album.clone())
            .filter(|a| !a.is_empty() && a != crate::library::path_guess::UNKNOWN_ALBUM);
        let loaded = Loaded {
            decoder,
            play_id,
            gain,
            position_frames: 0,
            heard_frames: 0,
            album,
            fade_in_frames: 0,
        };
        Ok((loaded, track))
    }

    /// As [`Engine::open_track`], recording a file that cannot be decoded in the history.
    fn load(&mut self, track_id: i64) -> Result<(Loaded, NowPlaying), OpenError> {
        let opened = self.open_track(track_id);
        if let Err((PlayerErrorKind::Decode, message)) = &opened {
            if let Ok(id) = history::start_play(&self.conn, track_id, None, self.context) {
                let (zero, error) = (Duration::ZERO, Some(message.as_str()));
                let _ = history::end_play(&self.conn, id, EndReason::Error, zero, zero, error);
            }
        }
        opened
    }

    /// Loads the track after the current one so it starts without a gap. A file that fails to
    /// open here is reported when the queue reaches it.
    pub(super) fn preload(&mut self) {
        self.shared.deck().next = None;
        self.preloaded = None;
        if self.current.is_none() {
            return;
        }
        let Some(index) = self.queue.next_index() else {
            return;
        };
        if let Ok((loaded, track)) = self.open_track(self.queue.items()[index]) {
            self.preloaded = Some(Preloaded {
                play_id: loaded.play_id,
                track,
            });
            self.shared.deck().next = Some(loaded);
        }
    }

    pub(super) fn begin_play(&mut self, play_id: u64, track: NowPlaying) {
        let duration = track.duration_ms.map(Duration::from_millis);
        let history_id = match history::start_play(&self.conn, track.id, duration, self.context) {
            Ok(id) => Some(id),
            Err(e) => {
                self.emit_error(PlayerErrorKind::Storage, e.to_string(), Some(track.id));
                None
            }
        };
        self.current = Some(CurrentPlay {
            play_id,
            history_id,
            track,
        });
    }

    /// Ends the current play: `ending` when the source reported the end, else the listener ended it.
    pub(super) fn finish_current(&mut self, ending: Option<Ending>) {
        let Some(current) = self.current.take() else {
            return;
        };
        let (reason, position, heard, error) = match ending {
            Some(ending) => ending,
            None => {
                let mut deck = self.shared.deck();
                let loaded = deck.current.take();
                deck.next = None;
                let (position, heard) = loaded
                    .map(|l| (l.position(), l.heard()))
                    .unwrap_or_default();
                let duration = current.track.duration_ms.map(Duration::from_millis);
                if !self.output.is_open() && heard.is_zero() {
                    // Nothing could be heard: not a judgement of the listener's.
                    let reason = Some("no audio output device".to_owned());
                    (EndReason::Error, position, heard, reason)
                } else {
                    let reason = EndReason::ended_by_listener(position, duration);
                    (reason, position, heard, None)
                }
            }
        };
        self.preloaded = None;
        if let Some(id) = current.history_id {
            if let Err(e) =
                history::end_play(&self.conn, id, reason, position, heard, error.as_deref())
            {
                let track = Some(current.track.id);
                self.emit_error(PlayerErrorKind::Storage, e.to_string(), track);
            }
        }
    }

    pub(super) fn restore(&mut self) {
        let Ok(Some((queue_json, position_ms, volume))) = history::load_player_state(&self.conn)
        else {
            return;
        };
        match serde_json::from_str::<Queue>(&queue_json) {
            Ok(queue) => {
                self.queue = queue;
                self.resume_at = Duration::from_millis(position_ms.max(0) as u64);
                self.shared.set_volume(volume as f32);
            }
            Err(e) => log::warn!("ignoring the saved queue: {e}"),
        }
    }

    pub(super) fn save(&mut self) {
        self.last_save = std::time::Instant::now();
        let position = if self.current.is_some() {
            self.position()
        } else {
            self.resume_at
        };
        let saved = serde_json::to_string(&self.queue)
            .map_err(|e| e.to_string())
            .and_then(|json| {
                history::save_player_state(&self.conn, &json, position, self.shared.volume())
                    .map_err(|e| e.to_string())
            });
        if let Err(e) = saved {
            self.emit_error(PlayerErrorKind::Storage, e, None);
        }
    }
}
