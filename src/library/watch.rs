//! Watching the library folders while the app runs: new, changed, moved and deleted files are
//! reported once they settle (inotify on Linux through `notify`), and the caller rescans. The
//! incremental scan then reads only what changed; a rescan at start catches what happened while the
//! app was closed.
//!
//! Opening and reading a file is not a change: the player and the analysis open every file, and
//! inotify reports those opens. Counting them would rescan after every track played and loop with
//! the analysis, so only writes, creations, removals, renames and attribute changes count.

use std::path::PathBuf;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use notify::event::{AccessKind, AccessMode};
use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};

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
    _watcher: RecommendedWatcher,
    folders: Vec<PathBuf>,
}

/// Whether an event changes what a scan would find (a read does not; a write that closes does).
fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

impl FolderWatch {
    /// Watches every folder of `folders` (recursively); `on_change` hears the changed paths, from
    /// the watch's own thread, once no change came for `settle`. A folder that cannot be watched
    /// (gone, or the system's watch limit reached) is an error naming it.
    pub fn start(
        folders: &[PathBuf],
        settle: Duration,
        mut on_change: impl FnMut(Vec<PathBuf>) + Send + 'static,
    ) -> Result<FolderWatch, WatchError> {
        let (events, heard) = mpsc::channel::<notify::Result<notify::Event>>();
        let mut watcher = notify::recommended_watcher(events).map_err(|e| WatchError {
            path: folders.first().cloned().unwrap_or_default(),
            reason: e.to_string(),
        })?;
        for folder in folders {
            watcher
                .watch(folder, RecursiveMode::Recursive)
                .map_err(|e| WatchError {
                    path: folder.clone(),
                    reason: e.to_string(),
                })?;
        }
        // Ends when the watcher is dropped (its sender goes with it).
        std::thread::Builder::new()
            .name("sonare-watch".into())
            .spawn(move || {
                let mut changed: Vec<PathBuf> = Vec::new();
                loop {
                    let next = if changed.is_empty() {
                        heard.recv().map_err(|_| RecvTimeoutError::Disconnected)
                    } else {
                        heard.recv_timeout(settle)
                    };
                    match next {
                        Ok(Ok(event)) if is_change(&event.kind) => changed.extend(event.paths),
                        Ok(Ok(_)) => {}
                        Ok(Err(e)) => log::warn!("watching the library folders: {e}"),
                        Err(RecvTimeoutError::Timeout) => {
                            changed.sort();
                            changed.dedup();
                            on_change(std::mem::take(&mut changed));
                        }
                        Err(RecvTimeoutError::Disconnected) => return,
                    }
                }
            })
            .map_err(|e| WatchError {
                path: folders.first().cloned().unwrap_or_default(),
                reason: e.to_string(),
            })?;
        Ok(FolderWatch {
            _watcher: watcher,
            folders: folders.to_vec(),
        })
    }

    pub fn folders(&self) -> &[PathBuf] {
        &self.folders
    }
}
