//! What the commands share: the core facade and the job runner (the player has its own handle).

use std::sync::Arc;

use sonare::app::Sonare;

use crate::jobs::JobRunner;

/// The library, opened once at start.
pub struct AppState(pub Arc<Sonare>);

impl std::ops::Deref for AppState {
    type Target = Sonare;

    fn deref(&self) -> &Sonare {
        &self.0
    }
}

/// The job runner, started once the window exists (its events go to the window).
pub struct Jobs(pub Arc<JobRunner>);

impl std::ops::Deref for Jobs {
    type Target = JobRunner;

    fn deref(&self) -> &JobRunner {
        &self.0
    }
}

/// The player thread, shared by the player commands and the media-key bridge.
pub struct PlayerHandle(pub Arc<sonare::playback::Player>);

impl std::ops::Deref for PlayerHandle {
    type Target = sonare::playback::Player;

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}
