//! Cover art thumbnails, stored once per distinct image under `<data>/covers/<hash>.jpg`.

use std::collections::HashMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use image::imageops::FilterType;
use image::ImageReader;

use super::{Error, Result};

/// Longest side of a stored thumbnail, in pixels.
pub const THUMB_SIZE: u32 = 256;

/// Refuse to decode images larger than this: cover art is never this big, a lying header may claim it.
const MAX_IMAGE_BYTES: u64 = 64 * 1024 * 1024;

/// A thumbnail on disk, identified by the hash of the original image bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoverRef {
    pub hash: String,
    pub width: u32,
    pub height: u32,
    pub file: String,
}

/// Makes thumbnails at most once per distinct image, shared by the scan's worker threads.
pub struct CoverCache {
    dir: PathBuf,
    made: Mutex<HashMap<String, Option<CoverRef>>>,
    /// Beside-the-files covers (`cover.jpg`, `folder.jpg`…) already looked up, per directory.
    folder_covers: Mutex<HashMap<PathBuf, Option<CoverRef>>>,
}

const FOLDER_COVER_NAMES: &[&str] = &[
    "cover.jpg",
    "cover.jpeg",
    "cover.png",
    "folder.jpg",
    "folder.jpeg",
    "folder.png",
    "front.jpg",
    "front.png",
    "albumart.jpg",
];

impl CoverCache {
    pub fn new(dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(dir).map_err(|source| Error::CoverCache {
            path: dir.to_owned(),
            source,
        })?;
        Ok(Self {
            dir: dir.to_owned(),
            made: Mutex::default(),
            folder_covers: Mutex::default(),
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The thumbnail of `bytes`, made if it does not exist yet. `None` if the bytes are not an image.
    pub fn thumbnail(&self, bytes: &[u8]) -> Option<CoverRef> {
        let hash = format!("{:032x}", xxhash_rust::xxh3::xxh3_128(bytes));
        if let Some(known) = lock(&self.made).get(&hash) {
            return known.clone();
        }
        let made = self.make_thumbnail(&hash, bytes);
        lock(&self.made).insert(hash, made.clone());
        made
    }

    /// The cover image lying beside the files of `dir`, if any.
    pub fn folder_cover(&self, dir: &Path) -> Option<CoverRef> {
        if let Some(known) = lock(&self.folder_covers).get(dir) {
            return known.clone();
        }
        let found = find_folder_cover(dir)
            .and_then(|p| std::fs::read(p).ok())
            .and_then(|bytes| self.thumbnail(&bytes));
        lock(&self.folder_covers).insert(dir.to_owned(), found.clone());
        found
    }

    fn make_thumbnail(&self, hash: &str, bytes: &[u8]) -> Option<CoverRef> {
        let file = format!("{hash}.jpg");
        let target = self.dir.join(&file);
        let reader = ImageReader::new(Cursor::new(bytes))
            .with_guessed_format()
            .ok()?;
        let (width, height) = reader.into_dimensions().ok()?;
        if width == 0 || height == 0 || (width as u64) * (height as u64) * 4 > MAX_IMAGE_BYTES {
            return None;
        }
        if !target.exists() {
            let mut limits = image::Limits::default();
            limits.max_alloc = Some(MAX_IMAGE_BYTES);
            let mut reader = ImageReader::new(Cursor::new(bytes))
                .with_guessed_format()
                .ok()?;
            reader.limits(limits);
            let image = reader.decode().ok()?;
            let thumb = image
                .resize(THUMB_SIZE, THUMB_SIZE, FilterType::Triangle)
                .into_rgb8();
            // Write to a temporary name and rename, so a killed scan never leaves half a file.
            // Two workers may race on the same new image: each writes its own partial file and the
            // renames (atomic, same content) both succeed.
            let worker = std::thread::current().id();
            let partial = self
                .dir
                .join(format!("{hash}.{worker:?}.part").replace(['(', ')'], ""));
            thumb
                .save_with_format(&partial, image::ImageFormat::Jpeg)
                .ok()?;
            std::fs::rename(&partial, &target).ok()?;
        }
        Some(CoverRef {
            hash: hash.to_owned(),
            width,
            height,
            file,
        })
    }
}

fn find_folder_cover(dir: &Path) -> Option<PathBuf> {
    let entries = std::fs::read_dir(dir).ok()?;
    let mut best: Option<(usize, PathBuf)> = None;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_ascii_lowercase();
        if let Some(rank) = FOLDER_COVER_NAMES.iter().position(|n| *n == name) {
            if best.as_ref().is_none_or(|(r, _)| rank < *r) {
                best = Some((rank, entry.path()));
            }
        }
    }
    best.map(|(_, p)| p)
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A poisoned lock only means another worker panicked mid-insert; the map is still usable.
    m.lock().unwrap_or_else(|e| e.into_inner())
}
