//! The listener's settings, and keeping what was learned: the database backup, the export of
//! history, verdicts and playlists, and its restore on another machine.

use std::path::Path;

use serde_json::Value;

use super::{Error, Result, Sonare};
use crate::portable::{self, ExportSummary, RestoreReport};
use crate::settings::{self, Settings};

/// What a backup wrote.
#[derive(Debug, Clone, serde::Serialize)]
pub struct BackupReport {
    pub path: String,
    pub bytes: u64,
    pub seconds: f64,
}

impl Sonare {
    pub fn settings(&self) -> Result<Settings> {
        Ok(settings::load(&self.db())?)
    }

    /// Sets one setting (checked) and returns them all.
    pub fn set_setting(&self, key: &str, value: Value) -> Result<Settings> {
        let settings = settings::set(&self.db(), key, value)?;
        self.refresh_watch()?;
        Ok(settings)
    }

    /// Puts one setting back to its default and returns them all.
    pub fn reset_setting(&self, key: &str) -> Result<Settings> {
        let settings = settings::reset(&self.db(), key)?;
        self.refresh_watch()?;
        Ok(settings)
    }

    /// Takes a library folder out (as listed, or as typed: the path is tried as given and
    /// canonicalised); its tracks are marked missing and keep their history.
    pub fn remove_folder(&self, path: &str) -> Result<()> {
        let conn = self.db();
        let canonical = std::fs::canonicalize(path)
            .ok()
            .map(|p| crate::library::path_text::to_text(&p));
        for candidate in std::iter::once(path.to_owned()).chain(canonical) {
            if crate::library::store::remove_folder(&conn, &candidate)? {
                drop(conn);
                self.refresh_watch()?;
                return Ok(());
            }
        }
        Err(Error::NotFound(format!("{path} is not a library folder")))
    }

    /// Whether the background analysis should wait now, by the setting, playback and the power.
    pub fn analysis_waits(&self, playing: bool) -> bool {
        self.settings().is_ok_and(|s| {
            s.analysis_pause
                .holds(playing, playing && crate::power::on_battery())
        })
    }

    /// Marks every track's analysis to be made again; the next analysis job does it (in the app:
    /// the catch-up job the shell starts next).
    pub fn reanalyse_all(&self) -> Result<usize> {
        Ok(crate::analysis::store::mark_all_stale(&self.db())?)
    }

    /// Writes the history, likes, hides, exclusions, settings and playlists into `folder`.
    pub fn export_learned(&self, folder: &Path) -> Result<ExportSummary> {
        Ok(portable::export(&self.db(), folder)?)
    }

    /// Puts back an export (from this machine or another), matching its tracks to this library.
    pub fn restore_learned(&self, folder: &Path) -> Result<RestoreReport> {
        let mut conn = self.connection()?;
        Ok(portable::restore(&mut conn, folder)?)
    }

    /// A consistent copy of the whole database at `to` (SQLite's online backup: the app may go on
    /// playing and scanning meanwhile). An existing file is replaced only once the copy is whole.
    pub fn backup(&self, to: &Path) -> Result<BackupReport> {
        let started = std::time::Instant::now();
        if to.is_dir() {
            return Err(Error::BadArgument(format!(
                "{} is a folder; name the backup file",
                to.display()
            )));
        }
        let part = to.with_extension("sqlite3-part");
        let conn = self.connection()?;
        let copy = || -> std::result::Result<(), String> {
            let progress = None::<fn(rusqlite::backup::Progress)>;
            conn.backup(rusqlite::MAIN_DB, &part, progress)
                .map_err(|e| e.to_string())?;
            let check: String = rusqlite::Connection::open(&part)
                .and_then(|c| c.query_row("PRAGMA integrity_check", [], |r| r.get(0)))
                .map_err(|e| e.to_string())?;
            if check != "ok" {
                return Err(format!("the copy fails its integrity check: {check}"));
            }
            std::fs::rename(&part, to).map_err(|e| e.to_string())
        };
        if let Err(reason) = copy() {
            let _ = std::fs::remove_file(&part);
            return Err(Error::BadArgument(format!(
                "backup to {}: {reason}",
                to.display()
            )));
        }
        Ok(BackupReport {
            path: to.display().to_string(),
            bytes: std::fs::metadata(to).map(|m| m.len()).unwrap_or(0),
            seconds: started.elapsed().as_secs_f64(),
        })
    }
}
