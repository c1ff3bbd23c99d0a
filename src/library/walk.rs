//! Walks the music folders and lists candidate files with their size and mtime. Unreadable folders and
//! symlink loops become [`ScanError::Walk`] entries, never an abort.

use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use walkdir::WalkDir;

use super::ScanError;

/// A file found on disk that may be audio.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub path: PathBuf,
    pub folder_id: i64,
    /// The library folder the file was found in.
    pub root: std::sync::Arc<Path>,
    pub size: u64,
    pub mtime_ns: i64,
    /// The extension names an audio format, so failing to read it is worth reporting.
    pub audio_extension: bool,
}

const AUDIO_EXTENSIONS: &[&str] = &[
    "mp3", "mp2", "mp1", "m4a", "m4b", "mp4", "aac", "adts", "alac", "flac", "ogg", "oga", "opus",
    "spx", "wav", "wave", "aif", "aiff", "aifc", "caf", "webm", "mka", "wv", "ape", "mpc", "wma",
    "dsf", "dff", "tta", "tak", "ofr", "ofs",
];

/// Extensions that are never audio: skipped without opening the file.
const NON_AUDIO_EXTENSIONS: &[&str] = &[
    "jpg", "jpeg", "png", "gif", "bmp", "webp", "tif", "tiff", "svg", "ico", "txt", "md", "nfo",
    "log", "cue", "m3u", "m3u8", "pls", "xspf", "pdf", "html", "htm", "xml", "json", "ini", "cfg",
    "conf", "csv", "sfv", "md5", "sha1", "sha256", "db", "sqlite", "sqlite3", "mid", "midi",
    "chart", "exe", "dll", "so", "zip", "rar", "7z", "gz", "tar", "xz", "deb", "lrc", "doc",
    "docx", "rtf", "py", "rs", "js", "sh", "toml", "yaml", "yml", "lock", "mkv", "avi", "mov",
];

pub(super) fn extension_kind(path: &Path) -> Option<bool> {
    let ext = path.extension()?.to_string_lossy().to_ascii_lowercase();
    if AUDIO_EXTENSIONS.contains(&ext.as_str()) {
        Some(true)
    } else if NON_AUDIO_EXTENSIONS.contains(&ext.as_str()) {
        Some(false)
    } else {
        None
    }
}

fn mtime_ns(meta: &std::fs::Metadata) -> i64 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map(|d| d.as_nanos() as i64)
        .unwrap_or(0)
}

/// Walks `root` (following symlinks, which walkdir checks for loops).
pub fn walk_folder(
    root: &Path,
    folder_id: i64,
    files: &mut Vec<Candidate>,
    errors: &mut Vec<ScanError>,
) {
    let shared_root: std::sync::Arc<Path> = root.into();
    let entries = WalkDir::new(root)
        .follow_links(true)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let path = err
                    .path()
                    .map(Path::to_owned)
                    .unwrap_or_else(|| root.to_owned());
                let reason = if err.loop_ancestor().is_some() {
                    "symbolic link loop: skipped".to_owned()
                } else {
                    err.io_error()
                        .map(|e| e.to_string())
                        .unwrap_or_else(|| err.to_string())
                };
                errors.push(ScanError::Walk { path, reason });
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let audio_extension = match extension_kind(entry.path()) {
            Some(false) => continue,
            Some(true) => true,
            None => false,
        };
        match entry.metadata() {
            Ok(meta) => {
                let path = entry.into_path();
                // An .lrc beside the file is part of it: adding, changing or removing one makes
                // the file read again.
                let lrc_mtime = audio_extension
                    .then(|| std::fs::metadata(super::lyrics::lrc_path(&path)).ok())
                    .flatten()
                    .map_or(0, |m| mtime_ns(&m));
                files.push(Candidate {
                    path,
                    folder_id,
                    root: shared_root.clone(),
                    size: meta.len(),
                    mtime_ns: mtime_ns(&meta).max(lrc_mtime),
                    audio_extension,
                })
            }
            Err(err) => errors.push(ScanError::Walk {
                path: entry.into_path(),
                reason: err.to_string(),
            }),
        }
    }
}
