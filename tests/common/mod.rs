//! Shared helpers of the integration tests: real music from Debian's archive (fetched once and cached
//! under `target/test-cache/`), the copied fixtures, and temporary libraries.
#![allow(dead_code)]

use std::fs::File;
use std::path::{Path, PathBuf};

use lofty::config::WriteOptions;
use lofty::file::{AudioFile, TaggedFileExt};
use lofty::tag::Tag;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixtures() -> PathBuf {
    repo().join("tests/fixtures")
}

/// Small tagged files of many formats, from lofty's own test suite.
pub fn minimal(name: &str) -> PathBuf {
    fixtures()
        .join("broken-tags/lofty-rs/lofty/tests/files/assets/minimal")
        .join(name)
}

/// The demo library (Debian packages of free music), fetched with the app's own code on first use.
/// A file lock keeps parallel test processes from fetching twice.
pub fn demo_music() -> PathBuf {
    let cache = repo().join("target/test-cache");
    std::fs::create_dir_all(&cache).unwrap();
    let lock = File::create(cache.join("demo.lock")).unwrap();
    lock.lock().unwrap();
    let dir = sonare::library::demo::fetch_demo(&cache.join("demo-music"), &mut |_, _, _| {})
        .expect("fetching the demo music from Debian's archive (apt-get download)");
    lock.unlock().unwrap();
    dir
}

/// One demo file by its name, e.g. `victory.ogg` or `frontiers.mp3`.
pub fn demo_file(name: &str) -> PathBuf {
    walkdir::WalkDir::new(demo_music())
        .into_iter()
        .filter_map(Result::ok)
        .find(|e| e.file_name().to_string_lossy() == name)
        .unwrap_or_else(|| panic!("{name} not in the demo music"))
        .into_path()
}

pub fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to.parent().unwrap()).unwrap();
    std::fs::copy(from, to)
        .unwrap_or_else(|e| panic!("copy {} -> {}: {e}", from.display(), to.display()));
}

/// Rewrites the primary tag of `path` with `edit`.
pub fn retag(path: &Path, edit: impl FnOnce(&mut Tag)) {
    let mut file = lofty::read_from_path(path).unwrap();
    if file.primary_tag().is_none() {
        let tag_type = file.primary_tag_type();
        file.insert_tag(Tag::new(tag_type));
    }
    edit(file.primary_tag_mut().unwrap());
    file.save_to_path(path, WriteOptions::default()).unwrap();
}
