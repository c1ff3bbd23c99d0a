//! Watched library folders on a real file system (inotify): a file read is no change, a file copied in
//! while the app runs is in the library within a few seconds, a deleted one is marked missing, and
//! turning the setting off stops the watch.

mod common;

use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{copy, minimal, TempLibrary};
use sonare::app::Sonare;
use sonare::data_dir::DataDir;

/// Longer than the watch's settling time plus a slow machine's inotify delivery.
const PATIENCE: Duration = Duration::from_secs(10);

fn present_tracks(app: &Sonare) -> i64 {
    app.db()
        .query_row("SELECT COUNT(*) FROM tracks WHERE missing = 0", [], |r| {
            r.get(0)
        })
        .unwrap()
}

#[test]
fn a_watched_folder_picks_up_new_and_deleted_files_and_stops_when_asked() {
    let lib = TempLibrary::with_files(&[(&minimal("full_test.flac"), "one.flac")]);
    let app = Sonare::open(DataDir::resolve(Some(lib.db.parent().unwrap())).unwrap()).unwrap();
    let (changed, heard) = mpsc::channel();
    let watching = app
        .watch_library(Arc::new(move || {
            let _ = changed.send(Instant::now());
        }))
        .unwrap();
    assert!(watching);

    // Reading a file (the player and the analysis do) is not a change.
    let read = std::fs::read(lib.music.join("one.flac")).unwrap();
    assert!(!read.is_empty());
    assert!(
        heard.recv_timeout(Duration::from_secs(3)).is_err(),
        "a read was reported"
    );

    let started = Instant::now();
    copy(&minimal("full_test.mp3"), &lib.music.join("sub/two.mp3"));
    heard.recv_timeout(PATIENCE).expect("no change reported");
    app.scan(None, &Default::default(), &mut |_| {}).unwrap();
    assert_eq!(present_tracks(&app), 2);
    eprintln!("new file in the library after {:?}", started.elapsed());

    while heard.try_recv().is_ok() {}
    std::fs::remove_file(lib.music.join("one.flac")).unwrap();
    heard.recv_timeout(PATIENCE).expect("no deletion reported");
    app.scan(None, &Default::default(), &mut |_| {}).unwrap();
    assert_eq!(present_tracks(&app), 1);

    app.set_setting("watch_folders", false.into()).unwrap();
    while heard.try_recv().is_ok() {}
    copy(&minimal("full_test.flac"), &lib.music.join("three.flac"));
    assert!(heard.recv_timeout(Duration::from_secs(4)).is_err());
}
