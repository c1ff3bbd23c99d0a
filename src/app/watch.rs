//! The library's folders watched while the app runs, as the `watch_folders` setting asks: the
//! facade keeps one watch over the current folders and starts, moves or stops it whenever the
//! folders or the setting change.

use std::path::PathBuf;
use std::sync::Arc;

use super::{lock, Result, Sonare};
use crate::library::watch::{FolderWatch, SETTLE};

/// What a watch calls once changed files settle (the shell queues a scan).
pub type OnLibraryChange = Arc<dyn Fn() + Send + Sync>;

#[derive(Default)]
pub(super) struct Watching {
    on_change: Option<OnLibraryChange>,
    watch: Option<FolderWatch>,
}

impl Sonare {
    /// Watches the library folders from now on (while the setting says so), calling `on_change`
    /// after changes. Returns whether a watch runs.
    pub fn watch_library(&self, on_change: OnLibraryChange) -> Result<bool> {
        lock(&self.watching).on_change = Some(on_change);
        self.refresh_watch()
    }

    /// Makes the watch match the folders and the setting as they are now (nothing to do when they
    /// did not change, or when no one asked for a watch).
    pub(super) fn refresh_watch(&self) -> Result<bool> {
        let mut watching = lock(&self.watching);
        let Some(on_change) = watching.on_change.clone() else {
            return Ok(false);
        };
        let wanted: Vec<PathBuf> = if self.settings()?.watch_folders {
            crate::library::store::folders(&self.db())?
                .into_iter()
                .map(|f| crate::library::path_text::to_path(&f.path))
                .filter(|p| p.is_dir())
                .collect()
        } else {
            Vec::new()
        };
        if watching.watch.as_ref().map(|w| w.folders()) == Some(wanted.as_slice()) {
            return Ok(true);
        }
        watching.watch = None;
        if wanted.is_empty() {
            return Ok(false);
        }
        // A data folder inside a music folder changes with every scan: that is no change of music.
        let data = self.data.root().to_owned();
        let watch = FolderWatch::start(&wanted, SETTLE, move |paths| {
            if paths.iter().all(|p| p.starts_with(&data)) {
                return;
            }
            log::info!(
                "library folders changed ({} paths): rescanning",
                paths.len()
            );
            on_change();
        })?;
        watching.watch = Some(watch);
        Ok(true)
    }
}
