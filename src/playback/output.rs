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

/// Which device to open: a name, or `None` for the system's default. Asked at every open.
pub type PreferredDevice = Box<dyn Fn() -> Option<String> + Send>;

/// The output device the settings name (the default when they name none, or one not present).
pub struct DeviceOutput {
    sink: Option<rodio::MixerDeviceSink>,
    on_lost: OnLost,
    preferred: PreferredDevice,
}

impl DeviceOutput {
    pub fn new(on_lost: OnLost, preferred: PreferredDevice) -> Self {
        DeviceOutput {
            sink: None,
            on_lost,
            preferred,
        }
    }
}

fn device_name(device: &rodio::Device) -> Option<String> {
    use rodio::DeviceTrait;
    device.description().ok().map(|d| d.name().to_string())
}

/// The names of the output devices present now (what the settings offer).
pub fn device_names() -> Vec<String> {
    use rodio::cpal::traits::HostTrait;
    let mut names: Vec<String> = rodio::cpal::default_host()
        .output_devices()
        .map(|devices| devices.filter_map(|d| device_name(&d)).collect())
        .unwrap_or_default();
    names.dedup();
    names
}

/// A sink builder on the device named `name`, else on the default device.
fn builder(name: Option<String>) -> Result<rodio::DeviceSinkBuilder, rodio::DeviceSinkError> {
    use rodio::cpal::traits::HostTrait;
    if let Some(name) = name {
        let found = rodio::cpal::default_host()
            .output_devices()
            .ok()
            .and_then(|mut devices| devices.find(|d| device_name(d).as_deref() == Some(&name)));
        match found {
            Some(device) => return rodio::DeviceSinkBuilder::from_device(device),
            None => log::warn!("output device {name:?} is not present: using the default"),
        }
    }
    rodio::DeviceSinkBuilder::from_default_device()
}

impl Output for DeviceOutput {
    fn open(&mut self, source: &mut dyn FnMut() -> PlaybackSource) -> Result<(), String> {
        let on_lost = self.on_lost.clone();
        let opened = builder((self.preferred)()).and_then(|builder| {
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
