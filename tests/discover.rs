//! Discover Daily on a real SQLite library: candidates, list shape, stability, feedback, cold start,
//! learning from outcomes, the CLI, and the offline evaluation on a small world.
//!
//! The library here is written straight into the database (80 tracks of 8 artists in four sound and
//! genre groups, with analysis rows carrying embeddings), since what is tested is the recommender,
//! not the scanner or the CNN (tested on real files elsewhere).

mod common;

use std::path::{Path, PathBuf};

use common::{sonare_cli, stdout_ok as ok};
use rusqlite::{params, Connection};
use serde_json::Value;
use sonare::discover::{self, engine::Options, local_start, Feedback};

/// `sonare --data-dir data ARGS…`.
fn run(data: &Path, args: &[&str]) -> std::process::Output {
    sonare_cli(Some(data), args)
}

const GROUPS: [&str; 4] = ["ambient", "punk", "jazz", "techno"];
const DAY: &str = "2026-06-15";

fn day(text: &str) -> chrono::NaiveDate {
    discover::parse_day(text).unwrap()
}

/// Track ids are 1..=80: artist a = (id-1)/10 in group a % 4, albums of 5.
fn group_of(id: i64) -> usize {
    (((id - 1) / 10) % 4) as usize
}

fn artist_of(id: i64) -> i64 {
    (id - 1) / 10
}

fn library(dir: &Path) -> PathBuf {
    let db = dir.join("library.sqlite3");
    let conn = sonare::db::open(&db).unwrap();
    for id in 1..=80i64 {
        let (artist, group) = (artist_of(id), group_of(id));
        let album = (id - 1) / 5;
        conn.execute(
            "INSERT INTO tracks (id, path, size, mtime_ns, fingerprint, title, artist, album, genre,
                 duration_ms, codec, search_text, added_at, updated_at)
             VALUES (?1, ?2, 1, 1, ?3, ?4, ?5, ?6, ?7, 200000, 'flac', '', 0, 0)",
            params![
                id,
                format!("/music/{id}.flac"),
                format!("fp{id}"),
                format!("Song {id}"),
                format!("Artist {artist}"),
                format!("Album {album}"),
                GROUPS[group],
            ],
        )
        .unwrap();
        // Sound: the group's direction, plus a little of the artist's own and of the track's.
        let mut e = [0f32; 8];
        e[group] = 1.0;
        e[4 + (artist % 4) as usize] += 0.3;
        e[(id % 8) as usize] += 0.1;
        let blob: Vec<u8> = e.iter().flat_map(|v| v.to_le_bytes()).collect();
        conn.execute(
            "INSERT INTO track_analysis (track_id, version, analyzed_at, tempo_bpm, key_camelot,
                 loudness_lufs, embedding)
             VALUES (?1, 'test', 0, ?2, ?3, ?4, ?5)",
            params![
                id,
                80.0 + 20.0 * group as f64 + (id % 5) as f64,
                2 + 2 * (id % 12),
                -20.0 + 3.0 * group as f64,
                blob
            ],
        )
        .unwrap();
    }
    db
}

/// Completed plays of `ids`, on the days before `before` (one a day, oldest first).
fn play(conn: &Connection, ids: &[i64], before: i64, end: &str) {
    for (n, id) in ids.iter().enumerate() {
        let at = before - (ids.len() - n) as i64 * 3_600 * 5;
        conn.execute(
            "INSERT INTO plays (track_id, started_at, ended_at, end_reason, context, heard_ms)
             VALUES (?1, ?2, ?2 + 200, ?3, 'library', 200000)",
            params![id, at, end],
        )
        .unwrap();
    }
}

fn ids(list: &discover::DailyList) -> Vec<i64> {
    list.tracks.iter().map(|t| t.track.id).collect()
}

fn options(size: usize) -> Options {
    Options {
        size,
        ..Options::default()
    }
}

#[test]
fn a_day_list_follows_taste_keeps_its_shape_and_is_stable() {
    let tmp = tempfile::tempdir().unwrap();
    let mut conn = sonare::db::open(&library(tmp.path())).unwrap();
    let start = local_start(day(DAY));
    // The listener plays ambient (group 0) and jazz (group 2), weeks ago and yesterday.
    let loved: Vec<i64> = (1..=80)
        .filter(|&i| matches!(group_of(i), 0 | 2) && i % 3 == 0)
        .collect();
    play(&conn, &loved, start - 40 * 86_400, "completed");
    play(&conn, &[1, 2], start, "completed");

    let list = discover::daily(&mut conn, day(DAY), &options(12), false).unwrap();
    assert_eq!(list.tracks.len(), 12);
    assert_eq!(list.header.mode, "learned");
    let got = ids(&list);
    // Nothing played in the last 30 days; at most two per artist and per album.
    assert!(!got.contains(&1) && !got.contains(&2), "{got:?}");
    for key in [artist_of as fn(i64) -> i64, |i| (i - 1) / 5] {
        let mut counts = std::collections::HashMap::new();
        for &i in &got {
            *counts.entry(key(i)).or_insert(0) += 1;
        }
        assert!(counts.values().all(|&n| n <= 2), "{got:?}");
    }
    // Taste shows: most of the list is ambient or jazz, and every track has a reason.
    let liked = got
        .iter()
        .filter(|&&i| matches!(group_of(i), 0 | 2))
        .count();
    assert!(
        liked >= 8,
        "{liked} of 12 from the listener's groups: {got:?}"
    );
    for t in &list.tracks {
        assert!(!t.reason.is_empty());
        assert_eq!(t.scores.len(), 7);
    }
    let named: Vec<&str> = list.tracks.iter().map(|t| t.reason.as_str()).collect();
    assert!(
        named.iter().any(|r| r.starts_with("sounds like")
            || r.starts_with("because you played")
            || r.starts_with("same scene as")),
        "{named:?}"
    );
    assert!(
        named.contains(&"a wildcard"),
        "exploration share: {named:?}"
    );

    // Stored: asking again gives the same list; regenerating from the same state too.
    assert_eq!(
        ids(&discover::daily(&mut conn, day(DAY), &options(12), false).unwrap()),
        got
    );
    assert_eq!(
        ids(&discover::daily(&mut conn, day(DAY), &options(12), true).unwrap()),
        got
    );
    // Another day is another list, and both days stay.
    let next = discover::daily(&mut conn, day("2026-06-16"), &options(12), false).unwrap();
    assert_ne!(ids(&next), got);
    let days: Vec<String> = discover::days(&conn)
        .unwrap()
        .into_iter()
        .map(|d| d.day)
        .collect();
    assert_eq!(days, ["2026-06-16", DAY]);
    assert_eq!(ids(&discover::load(&conn, day(DAY)).unwrap().unwrap()), got);
}

#[test]
fn hides_leave_the_list_and_likes_and_skips_move_it() {
    let tmp = tempfile::tempdir().unwrap();
    let mut conn = sonare::db::open(&library(tmp.path())).unwrap();
    // Feedback is given now, so this list is today's.
    let today = discover::today();
    let start = local_start(today);
    play(&conn, &[1, 3, 41, 43], start - 35 * 86_400, "completed");
    let before = discover::daily(&mut conn, today, &options(10), false).unwrap();
    let hidden = before.tracks[0].track.id;
    discover::feedback(&conn, hidden, Feedback::Hide).unwrap();
    let after = discover::daily(&mut conn, today, &options(10), true).unwrap();
    assert!(!ids(&after).contains(&hidden));

    // Liking jazz (group 2) and skipping techno (group 3) tilts the list to jazz.
    let count =
        |list: &discover::DailyList, g| ids(list).iter().filter(|&&i| group_of(i) == g).count();
    for id in [22, 23, 24] {
        discover::feedback(&conn, id, Feedback::Like).unwrap();
    }
    play(&conn, &[32, 33, 34, 35, 36], start, "skipped");
    let tilted = discover::daily(&mut conn, today, &options(10), true).unwrap();
    assert!(
        count(&tilted, 2) > count(&after, 2) && count(&tilted, 2) >= 3,
        "jazz {} → {}: {:?}",
        count(&after, 2),
        count(&tilted, 2),
        ids(&tilted)
    );
    assert!(
        count(&tilted, 3) <= 1,
        "techno after skips: {:?}",
        ids(&tilted)
    );
    assert_eq!(
        tilted
            .tracks
            .iter()
            .filter(|t| t.feedback.as_deref() == Some("like"))
            .count(),
        tilted
            .tracks
            .iter()
            .filter(|t| [22, 23, 24].contains(&t.track.id))
            .count()
    );

    // Likes count in the co-listening model's view of the listener too; a hidden track, even a
    // played one, does not.
    discover::feedback(&conn, 1, Feedback::Hide).unwrap();
    let listener = sonare::cf::listener::Listener::load(&conn).unwrap();
    assert_eq!(listener.tracks.get(&22), Some(&3.0));
    assert!(listener.tracks.contains_key(&3) && !listener.tracks.contains_key(&1));
    discover::feedback(&conn, 1, Feedback::Clear).unwrap();

    // Unhiding makes the track a candidate again; feedback on an unknown track is an error.
    discover::feedback(&conn, hidden, Feedback::Clear).unwrap();
    let n: i64 = conn
        .query_row(
            "SELECT count(*) FROM feedback WHERE kind = 'hide'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n, 0);
    let err = discover::feedback(&conn, 999, Feedback::Like).unwrap_err();
    assert!(err.to_string().contains("999"), "{err}");
}

#[test]
fn a_new_listener_gets_a_spread_of_the_library() {
    let tmp = tempfile::tempdir().unwrap();
    let mut conn = sonare::db::open(&library(tmp.path())).unwrap();
    let list = discover::daily(&mut conn, day(DAY), &options(12), false).unwrap();
    assert_eq!(list.header.mode, "cold start");
    assert_eq!(list.tracks.len(), 12);
    let groups: std::collections::HashSet<usize> =
        ids(&list).iter().map(|&i| group_of(i)).collect();
    assert_eq!(groups.len(), 4, "every sound group: {:?}", ids(&list));
    assert!(list.tracks.iter().all(|t| t.reason == "to start you off"));
}

#[test]
fn the_blend_learns_from_what_became_of_earlier_lists() {
    let tmp = tempfile::tempdir().unwrap();
    let mut conn = sonare::db::open(&library(tmp.path())).unwrap();
    let first = day("2026-06-01");
    play(
        &conn,
        &[1, 21, 41, 61],
        local_start(first) - 40 * 86_400,
        "completed",
    );
    let list = discover::daily(&mut conn, first, &options(10), false).unwrap();
    assert_eq!(list.header.blend.samples, 0, "no outcomes yet: the priors");
    // Over the next days the listener completes some of the list's tracks and skips the rest.
    let next_day = local_start(day("2026-06-02")) + 12 * 3_600;
    for (n, t) in list.tracks.iter().enumerate() {
        let end = if n % 2 == 0 { "completed" } else { "skipped" };
        play(&conn, &[t.track.id], next_day + n as i64 * 600, end);
    }
    let later = discover::daily(&mut conn, day("2026-06-04"), &options(10), false).unwrap();
    let blend = &later.header.blend;
    assert!(blend.samples >= 10, "{blend:?}");
    assert!(blend.positives >= 5, "{blend:?}");
    assert_ne!(blend.weights, discover::blend::Blend::prior().weights);

    // Months later the old lists' logged candidates are forgotten (nothing learns from them any
    // more), while their shown tracks stay browsable.
    let rows = |conn: &Connection, day: &str, shown: bool| -> i64 {
        conn.query_row(
            "SELECT count(*) FROM discover_items WHERE day = ?1 AND (position IS NOT NULL) = ?2",
            params![day, shown],
            |r| r.get(0),
        )
        .unwrap()
    };
    assert!(
        rows(&conn, "2026-06-04", false) > 0,
        "candidates are logged"
    );
    discover::daily(&mut conn, day("2026-07-01"), &options(10), false).unwrap();
    assert!(rows(&conn, "2026-06-04", false) > 0, "still learned from");
    discover::daily(&mut conn, day("2026-10-15"), &options(10), false).unwrap();
    for old in ["2026-06-01", "2026-06-04"] {
        assert_eq!(rows(&conn, old, false), 0, "{old}");
        assert_eq!(rows(&conn, old, true), 10, "{old}");
    }
    assert!(rows(&conn, "2026-07-01", false) > 0);
    let kept = discover::load(&conn, first).unwrap().unwrap();
    assert_eq!(ids(&kept), ids(&list));
}

#[test]
fn cli_prints_the_list_with_scores_reasons_and_the_blend() {
    let tmp = tempfile::tempdir().unwrap();
    let conn = sonare::db::open(&library(tmp.path())).unwrap();
    play(
        &conn,
        &[1, 11, 21],
        local_start(day(DAY)) - 40 * 86_400,
        "completed",
    );
    drop(conn);
    let data = tmp.path();
    let json: Value = serde_json::from_str(&ok(&run(
        data,
        &[
            "discover",
            "--date",
            DAY,
            "--size",
            "8",
            "--json",
            "--explain",
        ],
    )))
    .unwrap();
    assert_eq!(json["day"], DAY);
    let tracks = json["tracks"].as_array().unwrap();
    assert_eq!(tracks.len(), 8);
    for t in tracks {
        assert!(
            t["scores"]["audio"].is_number() && t["scores"]["cf"].is_number(),
            "{t}"
        );
        assert!(t["reason"].as_str().is_some_and(|r| !r.is_empty()));
        assert!(t["track"]["title"].is_string());
    }
    assert_eq!(json["explain"]["features"].as_array().unwrap().len(), 7);
    let refreshed = || -> Value {
        let args = [
            "discover",
            "--date",
            DAY,
            "--size",
            "8",
            "--json",
            "--refresh",
        ];
        serde_json::from_str(&ok(&run(data, &args))).unwrap()
    };
    // Made again in another process (other hash seeds) from the same state: the same list.
    let remade = refreshed();
    let list = |v: &Value| -> Vec<(Value, Value, Value)> {
        v["tracks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                (
                    t["track"]["id"].clone(),
                    t["score"].clone(),
                    t["reason"].clone(),
                )
            })
            .collect()
    };
    assert_eq!(list(&remade), list(&json));

    let text = ok(&run(data, &["discover", "--date", DAY, "--explain"]));
    assert!(text.contains("Discover Daily 2026-06-15"), "{text}");
    assert!(text.contains("prior\tweight"), "{text}");
    // Without --size the stored list (8 tracks) is shown as it was.
    assert!(
        text.lines().filter(|l| l.contains(". ")).count() == 8,
        "{text}"
    );

    let first = tracks[0]["track"]["id"].as_i64().unwrap().to_string();
    ok(&run(data, &["feedback", &first, "hide"]));
    let again = refreshed();
    assert!(again["tracks"]
        .as_array()
        .unwrap()
        .iter()
        .all(|t| t["track"]["id"].as_i64().map(|i| i.to_string()) != Some(first.clone())));
    ok(&run(data, &["feedback", &first, "unhide"]));
    let days = ok(&run(data, &["discover", "--days"]));
    assert!(days.starts_with(DAY), "{days}");

    for (args, needle) in [
        (vec!["feedback", "12345", "like"], "12345"),
        (vec!["feedback", "1", "love"], "love"),
        (vec!["discover", "--date", "2026-13-01"], "2026-13-01"),
    ] {
        let out = run(data, &args);
        assert!(!out.status.success());
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(needle),
            "{args:?}"
        );
    }
}

/// A small world with planted taste: 6 scenes of 5 artists × 6 tracks; the listener lives in scenes
/// 0 and 1, discovering tracks of their artists over 60 days; other listeners play within scenes.
fn write_world(dir: &Path) {
    let mut tracks = String::new();
    let mut embeddings = String::new();
    let mut id = 0;
    let mut rng = sonare::discover::rng::SplitMix::new(3);
    for scene in 0..6 {
        for artist in 0..5 {
            for _ in 0..6 {
                id += 1;
                tracks += &format!("{id}\tArtist {scene}-{artist}\tAlbum {scene}-{artist}\tSong {id}\tgenre{scene}\t{}\t{}\t-12\n", 90 + scene * 10, 2 + id % 24);
                let e: Vec<String> = (0..6)
                    .map(|d| {
                        format!(
                            "{:.3}",
                            if d == scene { 1.0 } else { 0.0 } + 0.4 * rng.next_f32()
                        )
                    })
                    .collect();
                embeddings += &format!("{id}\t{}\n", e.join(" "));
            }
        }
    }
    let mut shared = String::new();
    for u in 0..60 {
        let scene = u % 6;
        for t in 1..=180 {
            if (t - 1) / 30 == scene && rng.next_f32() < 0.5 {
                shared += &format!("u{u}\t{t}\t{}\n", 1 + (rng.next_u64() % 5));
            }
        }
    }
    let mut log = String::new();
    let start = 1_780_000_000 / 86_400 * 86_400;
    for d in 0..70 {
        for k in 0..4 {
            let scene = (d + k) % 2;
            let t = 1 + scene * 30 + (rng.next_u64() % 30) as usize;
            let end = if rng.next_f32() < 0.1 {
                "skipped"
            } else {
                "completed"
            };
            log += &format!("{}\t{t}\t{end}\n", start + d * 86_400 + 3_600 * (9 + k));
        }
    }
    log += "not a line\n";
    for (name, text) in [
        ("tracks.tsv", tracks),
        ("embeddings.tsv", embeddings),
        ("shared.tsv", shared),
        ("log.tsv", log),
    ] {
        std::fs::write(dir.join(name), text).unwrap();
    }
}

#[test]
fn offline_evaluation_scores_the_blend_against_baselines() {
    let tmp = tempfile::tempdir().unwrap();
    write_world(tmp.path());
    // The bad line is named.
    let world = tmp.path().to_str().unwrap();
    let out = sonare_cli(None, &["discover-eval", world, "--json"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("log.tsv line 281"), "{err}");
    let log = std::fs::read_to_string(tmp.path().join("log.tsv")).unwrap();
    std::fs::write(tmp.path().join("log.tsv"), log.replace("not a line\n", "")).unwrap();

    let eval = || {
        let out = sonare_cli(
            None,
            &[
                "discover-eval",
                world,
                "--json",
                "--size",
                "10",
                "--warmup",
                "14",
                "--step",
                "3",
            ],
        );
        ok(&out)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect::<Vec<Value>>()
    };
    let scores = eval();
    // Deterministic: another process (other hash seeds) replays to the same figures.
    assert_eq!(eval(), scores);
    let get = |name: &str| {
        scores
            .iter()
            .find(|s| s["variant"].as_str().unwrap().starts_with(name))
            .unwrap()["hits_per_list"]
            .as_f64()
            .unwrap()
    };
    assert_eq!(scores.len(), 11);
    assert!(
        get("blend (the app)") > 2.0 * get("random unplayed"),
        "{scores:?}"
    );
    assert!(get("blend (the app)") > get("most popular"), "{scores:?}");
    assert!(scores[0]["lists"].as_u64().unwrap() >= 10);
}

#[test]
fn a_past_day_made_again_sees_only_the_listener_of_that_day() {
    let tmp = tempfile::tempdir().unwrap();
    let conn = sonare::db::open(&library(tmp.path())).unwrap();
    let start = local_start(day(DAY));
    play(&conn, &[1, 2], start - 86_400, "completed");
    play(&conn, &[3], start + 86_400, "completed");
    discover::feedback(&conn, 4, Feedback::Like).unwrap(); // now, long after DAY
    let then = sonare::cf::listener::Listener::load_until(&conn, start).unwrap();
    let mut known: Vec<i64> = then.tracks.keys().copied().collect();
    known.sort();
    assert_eq!(known, [1, 2]);
    let now = sonare::cf::listener::Listener::load(&conn).unwrap();
    let mut known: Vec<i64> = now.tracks.keys().copied().collect();
    known.sort();
    assert_eq!(known, [1, 2, 3, 4]);
}
