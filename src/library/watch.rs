//! Watching the library folders while the app runs: new, changed, moved and deleted files are
//! reported once they settle (inotify on Linux through `notify`, debounced), and the caller rescans.
//! The incremental scan then reads only what changed; a rescan at start catches what happened while
//! the app was closed.

use std::path::{Path, PathBuf};
use std::time::Duration;

use notify_debouncer_mini::notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_mini::{new_debouncer, DebounceEventResult, Debouncer};

/// How long the files must be quiet before a change is reported: long enough for a copy of an
/// album to land as one change, short enough that a new file shows within a few seconds.
pub const SETTLE: Duration = Duration::from_millis(1500);

#[derive(Debug, thiserror::Error)]
#[error("cannot watch {path}: {reason}")]
pub struct WatchError {
    pub path: PathBuf,
    pub reason: String,
}

/// Watches folders until dropped.
pub struct FolderWatch {
    _debouncer: Debouncer<RecommendedWatcher>,
    folders: Vec<PathBuf>,
}

impl FolderWatch {
    /// Watches every folder of `folders` (recursively); `on_change` hears the changed paths, from
    /// the watcher's thread, once they settle. A folder that cannot be watched (gone, or the
    /// system's watch limit reached) is an error naming it; the others are not watched either.
    pub fn start(
        folders: &[PathBuf],
        settle: Duration,
        mut on_change: impl FnMut(Vec<PathBuf>) + Send + 'static,
    ) -> Result<FolderWatch, WatchError> {
        let mut debouncer =
            new_debouncer(settle, move |result: DebounceEventResult| match result {
                Ok(events) => {
                    let paths: Vec<PathBuf> = events.into_iter().map(|e| e.path).collect();
                    if !paths.is_empty() {
                        on_change(paths);
                    }
                }
                Err(e) => log::warn!("watching the library folders: {e}"),
            })
            .map_err(|e| WatchError {
                path: PathBuf::new(),
                reason: e.to_string(),
            })?;
        for folder in folders {
            debouncer
                .watcher()
                .watch(folder, RecursiveMode::Recursive)
                .map_err(|e| WatchError {
                    path: folder.clone(),
                    reason: e.to_string(),
                })?;
        }
        Ok(FolderWatch {
            _debouncer: debouncer,
            folders: folders.to_vec(),
        })
    }

    pub fn folders(&self) -> &[PathBuf] {
        &self.folders
    }

    pub fn watches(&self, folder: &Path) -> bool {
        self.folders.iter().any(|f| f == folder)
    }
}
