//! Forwards the player's events to the UI (the `player` event) and to the desktop's media controls
//! (MPRIS on Linux through souvlaki), and turns media keys into player commands.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use sonare::audio::Decoding;
use sonare::playback::{Command, Player, PlayerEvent, Status};
use sonare::sandbox::WorkerCommand;
use souvlaki::{
    MediaControlEvent, MediaControls, MediaMetadata, MediaPlayback, MediaPosition, PlatformConfig,
    SeekDirection,
};
use tauri::{AppHandle, Emitter, Runtime};

/// Name of the Tauri event that carries [`PlayerEvent`]s to the UI.
pub const PLAYER_EVENT: &str = "player";

/// What the media controls last showed, to send them whole updates.
#[derive(Default)]
struct Shown {
    status: Option<Status>,
    position: Duration,
    /// Where cover thumbnails live: desktops get them as `file://` URLs.
    covers_dir: std::path::PathBuf,
}

/// Starts the player with its events bridged to `app` and the media controls.
pub fn start_player<R: Runtime>(
    app: &AppHandle<R>,
    data: &sonare::data_dir::DataDir,
) -> anyhow::Result<Arc<Player>> {
    let db_path = data.database();
    let controls = Arc::new(Mutex::new(media_controls()));
    let shown = Mutex::new(Shown {
        covers_dir: data.covers(),
        ..Default::default()
    });
    let emitter = app.clone();
    let mpris = controls.clone();
    // Each track is decoded by a worker process (this binary): a file the decoder cannot survive
    // fails alone and the next track plays.
    let decoding = Decoding::Isolated(WorkerCommand::current_exe_decoder()?);
    let player = Arc::new(Player::spawn(&db_path, decoding, move |event| {
        if let Err(e) = emitter.emit(PLAYER_EVENT, &event) {
            log::warn!("cannot forward a player event to the UI: {e}");
        }
        if let PlayerEvent::State { status, .. } = &event {
            hold_analysis(&emitter, *status == Status::Playing);
        }
        if let Some(controls) = mpris.lock().unwrap_or_else(|e| e.into_inner()).as_mut() {
            update_media_controls(
                controls,
                &mut shown.lock().unwrap_or_else(|e| e.into_inner()),
                &event,
            );
        }
    })?);
    if let Some(controls) = controls.lock().unwrap_or_else(|e| e.into_inner()).as_mut() {
        let target = Arc::downgrade(&player);
        let attached = controls.attach(move |event| {
            if let (Some(player), Some(command)) = (target.upgrade(), media_command(event)) {
                player.send(command);
            }
        });
        if let Err(e) = attached {
            log::warn!("media keys unavailable: {e:?}");
        }
    }
    Ok(player)
}

/// Lets the background analysis wait while music plays, when the settings ask for it.
fn hold_analysis<R: Runtime>(app: &AppHandle<R>, playing: bool) {
    use tauri::Manager;
    if let (Some(state), Some(jobs)) = (
        app.try_state::<crate::state::AppState>(),
        app.try_state::<crate::state::Jobs>(),
    ) {
        jobs.hold_background(state.analysis_waits(playing));
    }
}

fn media_controls() -> Option<MediaControls> {
    let config = PlatformConfig {
        display_name: "Sonare",
        dbus_name: "sonare",
        hwnd: None,
    };
    match MediaControls::new(config) {
        Ok(controls) => Some(controls),
        Err(e) => {
            // No session bus (a bare X server, CI): playback works without desktop media controls.
            log::warn!("desktop media controls unavailable: {e:?}");
            None
        }
    }
}

fn media_command(event: MediaControlEvent) -> Option<Command> {
    const STEP: Duration = Duration::from_secs(10);
    Some(match event {
        MediaControlEvent::Play => Command::Resume,
        MediaControlEvent::Pause => Command::Pause,
        MediaControlEvent::Toggle => Command::TogglePause,
        MediaControlEvent::Next => Command::Next,
        MediaControlEvent::Previous => Command::Previous,
        MediaControlEvent::Stop => Command::Stop,
        MediaControlEvent::SetPosition(MediaPosition(at)) => Command::Seek(at),
        MediaControlEvent::SetVolume(v) => Command::SetVolume(v as f32),
        MediaControlEvent::SetShuffle(on) => Command::SetShuffle(on),
        MediaControlEvent::Seek(direction) | MediaControlEvent::SeekBy(direction, _) => {
            Command::SeekBy(match direction {
                SeekDirection::Forward => STEP.as_secs_f64(),
                SeekDirection::Backward => -STEP.as_secs_f64(),
            })
        }
        _ => return None,
    })
}

fn update_media_controls(controls: &mut MediaControls, shown: &mut Shown, event: &PlayerEvent) {
    let result = match event {
        PlayerEvent::TrackChanged { track: Some(t), .. } => {
            let cover = t
                .cover
                .as_ref()
                .map(|file| format!("file://{}", shown.covers_dir.join(file).display()));
            controls.set_metadata(MediaMetadata {
                title: Some(&t.title),
                artist: Some(&t.artist),
                album: Some(&t.album),
                cover_url: cover.as_deref(),
                duration: t.duration_ms.map(Duration::from_millis),
            })
        }
        PlayerEvent::State { status, volume, .. } => {
            shown.status = Some(*status);
            let _ = controls.set_volume(*volume as f64);
            controls.set_playback(playback(*status, shown.position))
        }
        // Desktops interpolate the position themselves: remember it for the next state change only.
        PlayerEvent::Position { position_ms, .. } => {
            shown.position = Duration::from_millis(*position_ms);
            Ok(())
        }
        _ => Ok(()),
    };
    if let Err(e) = result {
        log::debug!("media controls update failed: {e:?}");
    }
}

fn playback(status: Status, position: Duration) -> MediaPlayback {
    let progress = Some(MediaPosition(position));
    match status {
        Status::Playing => MediaPlayback::Playing { progress },
        Status::Paused => MediaPlayback::Paused { progress },
        Status::Stopped => MediaPlayback::Stopped,
    }
}
