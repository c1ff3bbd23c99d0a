//! Mixes, radio and paths on a real SQLite library through the facade and the CLI: a day's mixes are
//! stored and the same all day, and drawn afresh the next; a radio starts with its song, never
//! repeats, keeps exclusions and extends itself; a path runs from one song to the other; a mix
//! saves as a playlist; a song with no sound analysis gets a clear refusal for a path.

mod common;

use std::collections::HashSet;
use std::path::Path;

use chrono::{Days, NaiveDate};
use common::{sonare_cli, stdout_ok};
use rusqlite::params;
use sonare::app::{Seed, Sonare};
use sonare::data_dir::DataDir;
use sonare::exclusions::ExclusionKind;

const GENRES: [&str; 4] = ["Ambient", "Techno", "Jazz", "Metal"];
const PER_GENRE: i64 = 15;

/// 60 tracks (four genres of three artists), each with an embedding pointing its genre's way; the
/// listener played the first eight of Ambient and Techno often, long before `day`.
fn library(dir: &Path, day: NaiveDate) {
    let conn = sonare::db::open(&dir.join("library.sqlite3")).unwrap();
    for id in 1..=(4 * PER_GENRE) {
        let g = ((id - 1) / PER_GENRE) as usize;
        let n = (id - 1) % PER_GENRE;
        let artist = format!("{} Artist {}", GENRES[g], n / 5);
        conn.execute(
            "INSERT INTO tracks (id, path, size, mtime_ns, fingerprint, title, artist, album, genre,
                 duration_ms, codec, bitrate_kbps, search_text, added_at, updated_at)
             VALUES (?1, ?2, 1, 1, ?3, ?4, ?5, ?6, ?7, ?8, 'flac', 900, '', 0, 0)",
            params![
                id,
                format!("/music/{g}/{id}.flac"),
                format!("fp{id}"),
                format!("Song {id}"),
                artist,
                format!("{artist} Album"),
                GENRES[g],
                200_000 + id * 1_000
            ],
        )
        .unwrap();
        let mut e = [0f32; 8];
        e[g] = 1.0;
        e[4 + g] = n as f32 / PER_GENRE as f32;
        let blob: Vec<u8> = e.iter().flat_map(|v| v.to_le_bytes()).collect();
        conn.execute(
            "INSERT INTO track_analysis (track_id, version, analyzed_at, tempo_bpm, key_camelot,
                 loudness_lufs, embedding)
             VALUES (?1, 'test', 0, ?2, 4, -14.0, ?3)",
            params![id, 80.0 + 20.0 * g as f64, blob],
        )
        .unwrap();
    }
    let start = sonare::discover::local_start(day);
    for back in (10..150).step_by(4) {
        for id in (1..=8).chain(PER_GENRE + 1..=PER_GENRE + 8) {
            conn.execute(
                "INSERT INTO plays (track_id, started_at, duration_ms, heard_ms, end_reason, context)
                 VALUES (?1, ?2, 200000, 200000, 'completed', 'library')",
                params![id, start - back * 86_400 + id],
            )
            .unwrap();
        }
    }
}

fn open(dir: &Path) -> Sonare {
    Sonare::open(DataDir::resolve(Some(dir)).unwrap()).unwrap()
}

fn genre_of(id: i64) -> usize {
    ((id - 1) / PER_GENRE) as usize
}

fn ids(tracks: &[sonare::app::MixTrack]) -> Vec<i64> {
    tracks.iter().map(|t| t.track.id).collect()
}

#[test]
fn the_days_mixes_are_stored_stable_all_day_and_drawn_afresh_the_next() {
    let tmp = tempfile::tempdir().unwrap();
    let day = NaiveDate::from_ymd_opt(2026, 6, 15).unwrap();
    library(tmp.path(), day);
    let app = open(tmp.path());
    let mixes = app.mixes(Some(day)).unwrap();
    let daily: Vec<_> = mixes
        .iter()
        .filter(|m| m.header.kind == sonare::mixes::MixKind::Daily)
        .collect();
    assert!(
        daily.len() >= 2,
        "one mix per side of the taste: {}",
        daily.len()
    );
    for m in &daily {
        let genres: HashSet<usize> = m.tracks.iter().map(|t| genre_of(t.track.id)).collect();
        assert_eq!(
            genres.len(),
            1,
            "{} keeps to its sound: {genres:?}",
            m.header.title
        );
        assert!(m.header.title.contains(" — "), "{}", m.header.title);
        assert!(m.tracks.iter().all(|t| !t.reason.is_empty()));
    }
    let new = daily
        .iter()
        .flat_map(|m| m.tracks.iter())
        .filter(|t| t.reason != "one of your favourites")
        .count();
    assert!(new >= 4, "the mixes bring songs not played: {new}");
    // The same day again, from another process: the stored mixes, unchanged.
    let again = open(tmp.path()).mixes(Some(day)).unwrap();
    let order = |ms: &[sonare::app::Mix]| ms.iter().map(|m| ids(&m.tracks)).collect::<Vec<_>>();
    assert_eq!(order(&mixes), order(&again));
    // New plays today do not change today's mixes (they are made from the history before it).
    let next = app.mixes(Some(day + Days::new(1))).unwrap();
    assert_ne!(order(&mixes), order(&next), "the next day draws afresh");
    // Saved as a playlist: the mix's songs in its order.
    let playlist = app.save_mix_as_playlist(Some(day), 0, None).unwrap();
    assert_eq!(
        app.playlist_track_ids(playlist).unwrap(),
        ids(&mixes[0].tracks)
    );
    assert!(app
        .playlist(playlist)
        .unwrap()
        .summary
        .name
        .starts_with(&mixes[0].header.title));
}

#[test]
fn a_radio_starts_with_its_song_never_repeats_keeps_exclusions_and_steers_by_skips() {
    let tmp = tempfile::tempdir().unwrap();
    library(tmp.path(), NaiveDate::from_ymd_opt(2026, 6, 15).unwrap());
    let app = open(tmp.path());
    app.exclude(ExclusionKind::Artist, "Jazz Artist 1").unwrap();
    let first = app.radio_start(&[Seed::Track { id: 33 }], 5).unwrap();
    assert_eq!(
        first.tracks[0].track.id, 33,
        "a song's radio starts with it"
    );
    assert_eq!(first.tracks[0].reason, "where the radio starts");
    let mut queued = ids(&first.tracks);
    for _ in 0..4 {
        queued.extend(ids(&app.radio_more(10).unwrap().tracks));
    }
    assert_eq!(queued.len(), 45);
    let distinct: HashSet<i64> = queued.iter().copied().collect();
    assert_eq!(distinct.len(), queued.len(), "no song twice: {queued:?}");
    assert!(
        queued.iter().all(|&id| !(36..=40).contains(&id)),
        "the excluded artist is left out: {queued:?}"
    );
    // The seed's sound first: jazz fills the start of the radio.
    assert!(
        queued[..8].iter().all(|&id| genre_of(id) == 2),
        "{queued:?}"
    );

    // Two skips of one sound steer the next tracks away from it.
    let radio = app
        .radio_start(&[Seed::Track { id: 3 }, Seed::Track { id: 48 }], 10)
        .unwrap();
    let metal = |ts: &[i64]| ts.iter().filter(|&&id| genre_of(id) == 3).count();
    let batch = ids(&radio.tracks);
    assert!(metal(&batch) >= 3, "both seeds play at first: {batch:?}");
    let conn = sonare::db::open(&tmp.path().join("library.sqlite3")).unwrap();
    for &id in batch.iter().filter(|&&id| genre_of(id) == 3).take(2) {
        conn.execute(
            "INSERT INTO plays (track_id, started_at, duration_ms, heard_ms, end_reason, context)
             VALUES (?1, strftime('%s','now'), 200000, 5000, 'skipped', 'radio')",
            [id],
        )
        .unwrap();
    }
    let after = ids(&app.radio_more(10).unwrap().tracks);
    assert!(
        metal(&after) <= 1,
        "after two skips of metal: {after:?} (before {batch:?})"
    );
}

#[test]
fn the_cli_prints_mixes_a_radio_and_a_path_and_refuses_a_path_without_sound() {
    let tmp = tempfile::tempdir().unwrap();
    library(tmp.path(), sonare::discover::today());
    let data = tmp.path();
    let mixes = stdout_ok(&sonare_cli(Some(data), &["mixes", "--json"]));
    let first: serde_json::Value = serde_json::from_str(mixes.lines().next().unwrap()).unwrap();
    assert_eq!(first["number"], 1);
    assert!(first["tracks"].as_array().unwrap().len() >= 10);
    assert_eq!(
        stdout_ok(&sonare_cli(Some(data), &["mixes", "--json"])),
        mixes
    );
    let made = stdout_ok(&sonare_cli(
        Some(data),
        &["playlist", "create", "From my mix", "--from-mix", "1"],
    ));
    let playlist: i64 = made.trim().parse().unwrap();
    let shown = stdout_ok(&sonare_cli(
        Some(data),
        &["playlist", "show", &playlist.to_string(), "--json"],
    ));
    assert_eq!(
        shown.matches("\"track\":{").count(),
        first["tracks"].as_array().unwrap().len()
    );

    let radio = stdout_ok(&sonare_cli(
        Some(data),
        &["radio", "artist:Techno Artist 2", "--count", "25", "--json"],
    ));
    let radio: serde_json::Value = serde_json::from_str(&radio).unwrap();
    let tracks = radio["tracks"].as_array().unwrap();
    assert_eq!(tracks.len(), 25, "extended past its first batch");
    assert!(tracks
        .iter()
        .all(|t| !t["reason"].as_str().unwrap().is_empty()));
    let seen: HashSet<i64> = tracks
        .iter()
        .map(|t| t["track_id"].as_i64().unwrap())
        .collect();
    assert_eq!(seen.len(), 25);

    let path = stdout_ok(&sonare_cli(
        Some(data),
        &["path", "2", "50", "--length", "6", "--json"],
    ));
    let path: Vec<serde_json::Value> = serde_json::from_str(&path).unwrap();
    let path: Vec<i64> = path
        .iter()
        .map(|t| t["track_id"].as_i64().unwrap())
        .collect();
    assert_eq!(path.len(), 6);
    assert_eq!((path[0], path[5]), (2, 50));

    // A song with no analysis: the refusal names it and says what to do.
    let conn = sonare::db::open(&data.join("library.sqlite3")).unwrap();
    conn.execute("DELETE FROM track_analysis WHERE track_id = 50", [])
        .unwrap();
    drop(conn);
    let out = sonare_cli(Some(data), &["path", "2", "50"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("Metal Artist 0 – Song 50") && err.contains("no sound analysis"),
        "{err}"
    );
    let out = sonare_cli(Some(data), &["radio", "planet:Mars"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("a seed is track:"));
}

#[test]
fn a_listener_whose_history_began_today_gets_mixes_of_today_not_stored() {
    let tmp = tempfile::tempdir().unwrap();
    // All of the history a week from now: none of it before today, as for a new listener.
    let later = sonare::discover::today() + Days::new(200);
    library(tmp.path(), later);
    let conn = sonare::db::open(&tmp.path().join("library.sqlite3")).unwrap();
    let midnight = sonare::discover::local_start(sonare::discover::today());
    conn.execute(
        "UPDATE plays SET started_at = max(?1, strftime('%s','now') - 60) + (id % 30)",
        [midnight],
    )
    .unwrap();
    let app = open(tmp.path());
    let mixes = app.mixes(None).unwrap();
    assert!(!mixes.is_empty(), "mixes of what was played so far");
    let day = sonare::discover::today().format("%Y-%m-%d").to_string();
    let stored: i64 = conn
        .query_row("SELECT count(*) FROM mixes WHERE day = ?1", [&day], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(
        stored, 0,
        "not kept: tomorrow's are made from the whole day"
    );
}
