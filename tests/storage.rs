//! The database file: migrations, refusing newer schemas, and surviving a scan killed with SIGKILL.

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use rusqlite::Connection;
use sonare::db;

#[test]
fn a_fresh_database_gets_the_full_schema_in_wal_mode() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("library.sqlite3");
    let conn = db::open(&path).unwrap();
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, db::SCHEMA_VERSION);
    let mode: String = conn
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let fk: bool = conn
        .pragma_query_value(None, "foreign_keys", |r| r.get(0))
        .unwrap();
    assert!(fk);
    drop(conn);
    // Opening again applies nothing and keeps the version.
    let conn = db::open(&path).unwrap();
    let again: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(again, version);
}

#[test]
fn a_database_newer_than_the_app_is_refused_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("library.sqlite3");
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE future (x); PRAGMA user_version = 999;")
            .unwrap();
    }
    let err = db::open(&path).unwrap_err();
    assert!(matches!(err, db::Error::TooNew { found: 999, .. }), "{err}");
    assert!(err.to_string().contains("library.sqlite3"));
    let conn = Connection::open(&path).unwrap();
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, 999);
}

fn count_tracks(path: &std::path::Path) -> i64 {
    let conn = Connection::open(path).unwrap();
    conn.busy_timeout(Duration::from_secs(5)).unwrap();
    conn.query_row("SELECT COUNT(*) FROM tracks", [], |r| r.get(0))
        .unwrap_or(0)
}

#[test]
fn a_scan_killed_with_sigkill_leaves_a_usable_database_that_the_next_scan_completes() {
    const FILES: usize = 4000;
    let tmp = tempfile::tempdir().unwrap();
    let music = tmp.path().join("music");
    let data = tmp.path().join("data");
    let original = std::fs::read(minimal("full_test.mp3")).unwrap();
    for i in 0..FILES {
        // Distinct content per file (a trailing marker), so each is its own track.
        let mut bytes = original.clone();
        bytes.extend_from_slice(format!("unique-{i:06}").as_bytes());
        let dir = music.join(format!("album{:03}", i / 100));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{:03} Song {i}.mp3", i % 100)), bytes).unwrap();
    }
    let sonare = env!("CARGO_BIN_EXE_sonare");
    let mut child = Command::new(sonare)
        .arg("--data-dir")
        .arg(&data)
        .args(["scan", "--batch-size", "8"])
        .arg(&music)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let db_path = data.join("library.sqlite3");
    let started = Instant::now();
    while !(db_path.exists() && count_tracks(&db_path) >= 40) {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "scan never wrote a batch"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL on Unix
    child.wait().unwrap();

    let conn = db::open(&db_path).expect("the database opens after SIGKILL");
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
    let kept = count_tracks(&db_path) as usize;
    assert!(
        (40..FILES).contains(&kept),
        "killed mid-scan: {kept} of {FILES} stored"
    );
    drop(conn);

    let out = Command::new(sonare)
        .arg("--data-dir")
        .arg(&data)
        .args(["scan", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["unchanged"].as_u64().unwrap() as usize, kept);
    assert_eq!(report["added"].as_u64().unwrap() as usize, FILES - kept);
    assert_eq!(count_tracks(&db_path) as usize, FILES);
}

#[test]
fn upgrading_refolds_stored_search_text_so_diacritics_no_longer_matter() {
    let lib = TempLibrary::with_files(&[(&minimal("full_test.mp3"), "a.mp3")]);
    {
        // As schema 5 stored it: lower case only, and none of the later tables.
        let conn = Connection::open(&lib.db).unwrap();
        conn.execute_batch(
            "UPDATE tracks SET title = 'Jóga', artist = 'Björk', album = 'Homogenic',
                 search_text = 'jóga' || char(31) || 'björk' || char(31) || 'homogenic' || char(31);
             DROP TABLE factor_models; DROP TABLE item_factors; DROP TABLE item_tags;
             DROP TABLE shared_interactions; DROP TABLE shared_users; DROP TABLE playlist_entries;
             DROP TABLE history_events; DROP INDEX plays_imported; DROP TABLE imports;
             DROP TABLE ext_items; DROP TABLE discover_items; DROP TABLE discover_lists;
             DROP TABLE feedback; DROP TABLE cf_choice; DROP TABLE playlist_tracks;
             DROP TABLE playlists; DROP TABLE exclusions; DROP TABLE mix_tracks;
             DROP TABLE mixes; DROP TABLE settings; DROP TABLE track_lyrics; DROP TABLE text_embeddings;
             DROP INDEX tracks_by_artist; DROP INDEX tracks_by_album; DROP INDEX tracks_by_title;
             DROP INDEX tracks_by_year; ALTER TABLE tracks DROP COLUMN artist_sort;
             ALTER TABLE tracks DROP COLUMN album_sort; ALTER TABLE tracks DROP COLUMN title_sort;
             CREATE INDEX tracks_by_artist ON tracks(artist COLLATE NOCASE, album COLLATE NOCASE, disc_no, track_no) WHERE missing = 0;
             CREATE INDEX tracks_by_album ON tracks(album COLLATE NOCASE, disc_no, track_no) WHERE missing = 0;
             CREATE INDEX tracks_by_title ON tracks(title COLLATE NOCASE) WHERE missing = 0;
             CREATE INDEX tracks_by_year ON tracks(year, artist COLLATE NOCASE, album COLLATE NOCASE, disc_no, track_no) WHERE missing = 0;
             UPDATE tracks SET title = 'The Jóga';
             PRAGMA user_version = 5;",
        )
        .unwrap();
    }
    let conn = db::open(&lib.db).unwrap();
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, db::SCHEMA_VERSION);
    for search in ["bjork joga", "BJÖRK", "Ｊｏｇａ"] {
        let query = sonare::library::browse::TrackQuery {
            search: search.into(),
            ..Default::default()
        };
        let rows = sonare::library::browse::list_tracks(&conn, &query).unwrap();
        assert_eq!(rows.len(), 1, "search {search:?}");
        assert_eq!(rows[0].artist, "Björk");
    }
    // Migration 14 gave the stored tracks their sort names.
    let title_sort: String = conn
        .query_row("SELECT title_sort FROM tracks", [], |r| r.get(0))
        .unwrap();
    assert_eq!(title_sort, "Jóga");
}
