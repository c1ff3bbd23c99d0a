//! Following and stopping an import: every file an import reads goes through [`Tracked`], which
//! counts the bytes (for a progress bar), waits while the import's job is paused and fails once it is
//! cancelled, so a stopped import rolls back like a broken file and writes nothing.

use std::io::Read;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crate::jobs::JobControl;

/// Progress is reported each time another mebibyte has been read.
const REPORT_EVERY: u64 = 1 << 20;

type OnProgress = Box<dyn Fn(u64) + Send + Sync>;

/// Shared between an import and whoever follows it (the app's progress bar and cancel button).
#[derive(Default)]
pub struct ImportControl {
    read: AtomicU64,
    job: Arc<JobControl>,
    on_progress: Option<OnProgress>,
}

impl ImportControl {
    /// A control that calls `on_progress(bytes read so far)` every mebibyte.
    pub fn with_progress(on_progress: impl Fn(u64) + Send + Sync + 'static) -> Self {
        ImportControl {
            on_progress: Some(Box::new(on_progress)),
            ..Default::default()
        }
    }

    /// As [`ImportControl::with_progress`], paused and cancelled through `job`.
    pub fn under(job: Arc<JobControl>, on_progress: impl Fn(u64) + Send + Sync + 'static) -> Self {
        ImportControl {
            job,
            ..Self::with_progress(on_progress)
        }
    }

    /// Stops the import at its next read; nothing it read is kept.
    pub fn cancel(&self) {
        self.job.cancel();
    }

    pub fn is_cancelled(&self) -> bool {
        self.job.is_cancelled()
    }

    /// Bytes read so far, over every file of the import.
    pub fn bytes_read(&self) -> u64 {
        self.read.load(Ordering::Relaxed)
    }

    fn add(&self, n: u64) {
        let before = self.read.fetch_add(n, Ordering::Relaxed);
        if let Some(report) = &self.on_progress {
            if before / REPORT_EVERY != (before + n) / REPORT_EVERY {
                report(before + n);
            }
        }
    }
}

/// A file read by an import.
pub struct Tracked<R> {
    inner: R,
    control: Arc<ImportControl>,
}

impl<R> Tracked<R> {
    pub fn new(inner: R, control: Arc<ImportControl>) -> Self {
        Tracked { inner, control }
    }
}

impl<R: Read> Read for Tracked<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if !self.control.job.proceed() {
            return Err(std::io::Error::other("the import was cancelled"));
        }
        let n = self.inner.read(buf)?;
        self.control.add(n as u64);
        Ok(n)
    }
}

/// Bytes an import of `path` reads: the file, or a dataset folder's files.
pub fn input_size(path: &Path) -> u64 {
    if path.is_dir() {
        std::fs::read_dir(path)
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok()?.metadata().ok())
                    .filter(|m| m.is_file())
                    .map(|m| m.len())
                    .sum()
            })
            .unwrap_or(0)
    } else {
        std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
    }
}
