//! The audio output the player plays into, behind a small trait so the player's state machine can
//! be tested without a sound device. [`DeviceOutput`] is the real one: the system's default device
//! through rodio (cpal).

use super::source::PlaybackSource;

/// Where the player's one [`PlaybackSource`] goes.
pub trait Output {
    /// Opens the output, then starts pulling samples from the source `source` makes. The source is
    /// made only once the output is open: making it takes the track's first samples.
    fn open(&mut self, source: &mut dyn FnMut() -> PlaybackSource) -> Result<(), String>;
    fn is_open(&self) -> bool;
    /// Drops the output (it was lost); the next `open` starts afresh.
    fn close(&mut self);
}

/// Told why the output was lost (from the audio backend's thread).
pub type OnLost = std::sync::Arc<dyn Fn(String) + Send + Sync>;

/// The default output device.
pub struct DeviceOutput {
    sink: Option<rodio::MixerDeviceSink>,
    on_lost: OnLost,
}

impl DeviceOutput {
    pub fn new(on_lost: OnLost) -> Self {
        DeviceOutput {
            sink: None,
            on_lost,
        }
    }
}

impl Output for DeviceOutput {
    fn open(&mut self, source: &mut dyn FnMut() -> PlaybackSource) -> Result<(), String> {
        let on_lost = self.on_lost.clone();
        let opened = rodio::DeviceSinkBuilder::from_default_device().and_then(|builder| {
            builder
                .with_error_callback(move |e: rodio::CpalError| {
                    use rodio::CpalErrorKind as Kind;
                    match e.kind() {
                        Kind::DeviceNotAvailable
                        | Kind::HostUnavailable
                        | Kind::StreamInvalidated => on_lost(e.to_string()),
                        // Underruns and passing backend hiccups: the stream goes on.
                        _ => log::debug!("audio output: {e}"),
                    }
                })
                .open_stream()
        });
        let mut sink = opened.map_err(|e| e.to_string())?;
        sink.log_on_drop(false);
        sink.mixer().add(source());
        self.sink = Some(sink);
        Ok(())
    }

    fn is_open(&self) -> bool {
        self.sink.is_some()
    }

    fn close(&mut self) {
        self.sink = None;
    }
}
