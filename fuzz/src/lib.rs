//! What the fuzz targets share: each input becomes a real file (the readers under test take paths,
//! as the app's do), and the import targets write into a real SQLite library.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, Once, OnceLock};

use rusqlite::Connection;

/// Lets panics unwind to the product's own `catch_unwind` (the scan's `isolate`, the decoder's
/// per-call guard, the analysis worker's), as they do in the app, instead of libFuzzer's hook that
/// aborts at once: what is hunted is what takes the app down (aborts, allocations past the limit,
/// stack overflows, hangs, panics nothing catches). Each distinct panic site is printed once, for
/// the report. `SONARE_FUZZ_PANICS=abort` keeps libFuzzer's hook, to hunt caught panics too.
pub fn product_panics() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        if std::env::var_os("SONARE_FUZZ_PANICS").is_some_and(|v| v == "abort") {
            return;
        }
        let seen = Mutex::new(HashSet::new());
        std::panic::set_hook(Box::new(move |info| {
            let site = info
                .location()
                .map(|l| format!("{}:{}", l.file(), l.line()))
                .unwrap_or_default();
            let mut seen = seen.lock().unwrap_or_else(|e| e.into_inner());
            if seen.insert(site.clone()) {
                eprintln!("caught panic #{} at {site}: {info}", seen.len());
            }
        }));
    });
}

/// Extensions an audio input is given, chosen by its first byte. Content decides the format (the
/// readers probe), but the extension is a hint symphonia and lofty both take, so it is varied too.
pub const AUDIO_EXTENSIONS: &[&str] = &[
    "mp3", "flac", "m4a", "ogg", "opus", "wav", "aiff", "caf", "wv", "ape", "mpc", "aac", "mka",
    "webm", "spx", "mp4",
];

fn scratch() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("sonare-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a scratch folder for fuzz inputs");
        dir
    })
}

/// Writes `data` to this process's scratch file named `name` and returns its path.
pub fn input_file(name: &str, data: &[u8]) -> PathBuf {
    let path = scratch().join(name);
    std::fs::write(&path, data).expect("the scratch file is writable");
    path
}

/// An audio input: the first byte picks the extension, the rest is the file.
pub fn audio_file(data: &[u8]) -> Option<PathBuf> {
    let (&pick, body) = data.split_first()?;
    let ext = AUDIO_EXTENSIONS[pick as usize % AUDIO_EXTENSIONS.len()];
    Some(input_file(&format!("input.{ext}"), body))
}

/// A library database (in memory, with the full schema), made once per process and replaced every
/// few thousand inputs so it does not grow without end.
pub fn with_library(run: impl FnOnce(&mut Connection)) {
    use std::sync::Mutex;
    static DB: OnceLock<Mutex<(Connection, u32)>> = OnceLock::new();
    let open = || sonare::db::open_in_memory().expect("an in-memory library");
    let db = DB.get_or_init(|| Mutex::new((open(), 0)));
    let mut guard = db.lock().unwrap_or_else(|e| e.into_inner());
    guard.1 += 1;
    if guard.1 % 5000 == 0 {
        guard.0 = open();
    }
    run(&mut guard.0);
}
