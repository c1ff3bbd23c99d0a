//! Importers of listening history and shared co-listening data, on a real library (tagged FLAC files
//! scanned into a real SQLite file): reports, matching, idempotence, bad input.

mod common;

use std::path::{Path, PathBuf};

use common::taste::{count, library, snapshot, taste};
use common::*;
use rusqlite::Connection;
use sonare::cf::import::{self, HistoryFormat, ImportError, SharedFormat};

/// Imports the Spotify fixture (five entries: two in the library, one not, a podcast, one without time).
fn import_spotify(conn: &mut Connection) -> sonare::cf::import::ImportReport {
    import::import_history(
        conn,
        &taste("spotify_extended.json"),
        HistoryFormat::Spotify,
    )
    .unwrap()
}

fn plays_of(conn: &Connection, lib: &TempLibrary, file: &str) -> Vec<(String, String)> {
    let id = lib.track_id(file);
    conn.prepare("SELECT source, end_reason FROM plays WHERE track_id = ?1 ORDER BY started_at")
        .unwrap()
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn spotify_history_is_matched_reported_and_idempotent() {
    let lib = library();
    let mut conn = sonare::db::open(&lib.db).unwrap();
    let report = import_spotify(&mut conn);
    assert_eq!(report.read, 5);
    assert_eq!(report.imported, 3);
    assert_eq!(report.skipped, 2);
    let reasons: Vec<(&str, &str)> = report
        .skipped_lines
        .iter()
        .map(|s| (s.at.as_str(), s.reason.as_str()))
        .collect();
    assert_eq!(reasons[0].0, "entry 3");
    assert!(reasons[0].1.contains("podcast"), "{reasons:?}");
    assert_eq!(reasons[1].0, "entry 4");
    assert!(reasons[1].1.contains("ts"), "{reasons:?}");
    // Björk/Jóga matched through diacritic folding, the remastered Beatles through the variant
    // suffix; "Nobody Here" is not in the library.
    assert_eq!((report.items, report.matched), (3, 2));
    assert!((report.match_rate - 2.0 / 3.0).abs() < 1e-9);
    assert_eq!(
        plays_of(&conn, &lib, "bjork.flac"),
        vec![("spotify".into(), "completed".into())]
    );
    assert_eq!(
        plays_of(&conn, &lib, "beatles.flac"),
        vec![("spotify".into(), "skipped".into())]
    );
    // `ts` is when the play ended: it started ms_played earlier.
    let started: i64 = conn
        .query_row(
            "SELECT started_at FROM plays WHERE track_id = ?1",
            [lib.track_id("bjork.flac")],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(started, 1_672_913_040 - 240);

    let before = snapshot(&conn);
    let again = import_spotify(&mut conn);
    assert!(again.already_imported);
    assert_eq!(snapshot(&conn), before);
    // The same plays inside a different file (a later, overlapping export) are not duplicated.
    let copy_path = lib.tmp.path().join("export2.json");
    let text = std::fs::read_to_string(taste("spotify_extended.json")).unwrap();
    std::fs::write(
        &copy_path,
        text.replace("\"platform\": \"linux\"", "\"platform\": \"osx\""),
    )
    .unwrap();
    let overlap = import::import_history(&mut conn, &copy_path, HistoryFormat::Spotify).unwrap();
    assert!(!overlap.already_imported);
    assert_eq!(snapshot(&conn)[..4], before[..4]);
}

#[test]
fn listenbrainz_and_lastfm_logs_match_by_mbid_and_by_normalised_names() {
    let lib = library();
    let mut conn = sonare::db::open(&lib.db).unwrap();
    let lb = import::import_history(
        &mut conn,
        &taste("listenbrainz.jsonl"),
        HistoryFormat::Listenbrainz,
    )
    .unwrap();
    assert_eq!((lb.read, lb.imported, lb.skipped), (4, 2, 2), "{lb:?}");
    assert_eq!(lb.skipped_lines[0].at, "line 2");
    assert!(lb.skipped_lines[0].reason.contains("malformed JSON"));
    assert_eq!(lb.skipped_lines[1].at, "line 5");
    // "Daft Punk feat. Romanthony – One More Time (Radio Edit)" by names; the live Björk listen by
    // its recording MBID although its names differ.
    assert_eq!(lb.matched, 2);
    assert_eq!(plays_of(&conn, &lib, "daft punk.flac").len(), 1);
    assert_eq!(plays_of(&conn, &lib, "bjork.flac")[0].0, "listenbrainz");

    let tsv =
        import::import_history(&mut conn, &taste("scrobbles.tsv"), HistoryFormat::Lastfm).unwrap();
    assert_eq!((tsv.read, tsv.imported, tsv.skipped), (3, 1, 2), "{tsv:?}");
    assert_eq!(tsv.skipped_lines[0].at, "line 3");
    assert!(tsv.skipped_lines[0].reason.contains("timestamp"));
    assert_eq!(tsv.skipped_lines[1].at, "line 4");
    let csv =
        import::import_history(&mut conn, &taste("scrobbles.csv"), HistoryFormat::Lastfm).unwrap();
    // CJK names, a comma inside a quoted title, full-width Latin letters and "＆".
    assert_eq!((csv.read, csv.imported, csv.matched), (2, 2, 2), "{csv:?}");
    assert_eq!(plays_of(&conn, &lib, "simon.flac").len(), 2);
    assert_eq!(
        plays_of(&conn, &lib, "sakamoto.flac"),
        vec![("lastfm".into(), "completed".into())]
    );
}

#[test]
fn playlists_match_by_path_or_by_the_names_they_carry() {
    let lib = library();
    let mut conn = sonare::db::open(&lib.db).unwrap();
    let m3u = lib.tmp.path().join("mix.m3u8");
    std::fs::write(
        &m3u,
        "#EXTM3U\n#EXTINF:320,Daft Punk - One More Time\nmusic/daft punk.flac\n\
         #EXTINF:100,Bob Dylan - Hurricane\n/nowhere/hurricane.mp3\n/nowhere/unknown.mp3\n",
    )
    .unwrap();
    let report = import::import_history(&mut conn, &m3u, HistoryFormat::M3u).unwrap();
    assert_eq!(
        (report.read, report.imported, report.skipped),
        (3, 2, 1),
        "{report:?}"
    );
    assert_eq!(report.skipped_lines[0].at, "line 6");
    assert_eq!(report.matched, 1);

    let xspf = lib.tmp.path().join("mix.xspf");
    let daft = lib.music.join("daft punk.flac").canonicalize().unwrap();
    std::fs::write(
        &xspf,
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<playlist version="1" xmlns="http://xspf.org/ns/0/">
  <trackList>
    <track><location>file://{}</location></track>
    <track><creator>Simon &amp; Garfunkel</creator><title>The Boxer</title></track>
    <track><creator>Nobody</creator></track>
  </trackList>
</playlist>"#,
            daft.display().to_string().replace(' ', "%20")
        ),
    )
    .unwrap();
    let report = import::import_history(&mut conn, &xspf, HistoryFormat::Xspf).unwrap();
    assert_eq!(
        (report.read, report.imported, report.matched),
        (3, 2, 2),
        "{report:?}"
    );
    assert_eq!(report.skipped_lines[0].at, "track 3");
    assert_eq!(count(&conn, "SELECT count(*) FROM playlist_entries"), 4);
}

#[test]
fn a_file_of_another_format_or_cut_short_stops_before_writing_anything() {
    let lib = library();
    let mut conn = sonare::db::open(&lib.db).unwrap();
    import::import_history(&mut conn, &taste("scrobbles.tsv"), HistoryFormat::Lastfm).unwrap();
    let before = snapshot(&conn);
    let cases: Vec<(PathBuf, HistoryFormat)> = vec![
        (taste("listenbrainz.jsonl"), HistoryFormat::Spotify),
        (taste("spotify_extended.json"), HistoryFormat::Listenbrainz),
        (minimal("full_test.flac"), HistoryFormat::Lastfm),
        (taste("mpd_slice.json"), HistoryFormat::Spotify),
        (taste("hetrec/artists.dat"), HistoryFormat::Xspf),
    ];
    for (path, format) in cases {
        let err = import::import_history(&mut conn, &path, format).unwrap_err();
        assert!(
            matches!(err, ImportError::WrongFormat { .. }),
            "{path:?} as {format:?}: {err}"
        );
        assert!(
            err.to_string().contains(&path.display().to_string()),
            "{err}"
        );
        assert_eq!(snapshot(&conn), before, "{path:?}");
    }
    // Cut off in the middle of the third entry: the first two must not be imported on their own.
    let text = std::fs::read_to_string(taste("spotify_extended.json")).unwrap();
    let cut = lib.tmp.path().join("cut.json");
    std::fs::write(&cut, &text[..text.find("A Podcast").unwrap()]).unwrap();
    let err = import::import_history(&mut conn, &cut, HistoryFormat::Spotify).unwrap_err();
    assert!(matches!(err, ImportError::Broken { .. }), "{err}");
    let message = err.to_string();
    assert!(
        message.contains("cut.json") && message.contains("line"),
        "{message}"
    );
    assert_eq!(snapshot(&conn), before);
    // A missing file names itself.
    let err = import::import_history(
        &mut conn,
        Path::new("/nowhere/x.json"),
        HistoryFormat::Spotify,
    )
    .unwrap_err();
    assert!(err.to_string().contains("/nowhere/x.json"), "{err}");
}

#[test]
fn shared_data_imports_with_tags_and_feeds_recommendations_with_reasons() {
    let lib = library();
    let mut conn = sonare::db::open(&lib.db).unwrap();
    let report = import::import_shared(&mut conn, &taste("hetrec"), SharedFormat::Hetrec).unwrap();
    assert_eq!(
        (report.read, report.imported, report.skipped),
        (18, 16, 2),
        "{report:?}"
    );
    assert!(report
        .skipped_lines
        .iter()
        .any(|s| s.at == "line 18" && s.reason.contains("weight")));
    assert!(report
        .skipped_lines
        .iter()
        .any(|s| s.at == "line 19" && s.reason.contains("artists.dat")));
    // Artists: Björk, Daft Punk, The Beatles and Simon & Garfunkel are in the library.
    assert_eq!((report.items, report.matched), (6, 4));
    assert_eq!(count(&conn, "SELECT count(*) FROM shared_users"), 7);
    assert!(count(&conn, "SELECT count(*) FROM item_tags") >= 10);
    // The tags reach the shared model as side information: rows of tags on two or more artists.
    let data = sonare::cf::shared_model::SharedData::read(&conn).unwrap();
    let tags = data.tags.expect("tag rows");
    assert_eq!(tags.cols, data.matrix.cols);
    assert!(tags.rows >= 1 && (0..tags.rows).all(|t| tags.row(t).0.len() >= 2));
    let again = import::import_shared(&mut conn, &taste("hetrec"), SharedFormat::Hetrec).unwrap();
    assert!(again.already_imported);

    // Without any history there is nothing to fold in.
    let listener = sonare::cf::listener::Listener::load(&conn).unwrap();
    let model = sonare::cf::shared_model::SharedModel::load(&conn)
        .unwrap()
        .unwrap();
    assert!(
        sonare::cf::for_you::scores(&conn, Some(&model), &listener, 10)
            .unwrap()
            .is_empty()
    );

    // The listener played Björk: the electronic side of the shared data answers.
    import_spotify(&mut conn);
    let listener = sonare::cf::listener::Listener::load(&conn).unwrap();
    let scores = sonare::cf::for_you::scores(&conn, Some(&model), &listener, 10).unwrap();
    let top = &scores[0];
    assert_eq!(top.track_id, lib.track_id("daft punk.flac"), "{scores:?}");
    assert!(top.cf > 0.0);
    assert_eq!(top.because.as_deref(), Some("Björk"), "{scores:?}");
    assert!(
        !scores
            .iter()
            .any(|s| s.track_id == lib.track_id("bjork.flac")),
        "played tracks are not recommended"
    );
}

#[test]
fn listening_logs_and_playlist_datasets_become_shared_interactions() {
    let lib = library();
    let mut conn = sonare::db::open(&lib.db).unwrap();
    let log =
        import::import_shared(&mut conn, &taste("lastfm_1k.tsv"), SharedFormat::LastfmLog).unwrap();
    assert_eq!((log.read, log.imported, log.skipped), (5, 4, 1), "{log:?}");
    assert_eq!(log.skipped_lines[0].at, "line 4");
    assert_eq!((log.items, log.matched), (4, 4));
    let mpd =
        import::import_shared(&mut conn, &taste("mpd_slice.json"), SharedFormat::Mpd).unwrap();
    assert_eq!((mpd.read, mpd.imported, mpd.skipped), (4, 3, 1), "{mpd:?}");
    assert_eq!(mpd.skipped_lines[0].at, "playlist 2 track 2");
    assert_eq!(count(&conn, "SELECT count(*) FROM shared_users"), 4);
    // The playlist and the log name the same songs: one item each.
    assert_eq!(count(&conn, "SELECT count(*) FROM ext_items"), 4);
    let err = import::import_shared(
        &mut conn,
        &taste("spotify_extended.json"),
        SharedFormat::Mpd,
    )
    .unwrap_err();
    assert!(matches!(err, ImportError::WrongFormat { .. }), "{err}");
    let err = import::import_shared(&mut conn, &taste("hetrec/tags.dat"), SharedFormat::Hetrec)
        .unwrap_err();
    assert!(err.to_string().contains("userID"), "{err}");
}

#[test]
fn factor_files_are_checked_and_replace_the_same_models_factors() {
    let lib = library();
    let mut conn = sonare::db::open(&lib.db).unwrap();
    let path = lib.tmp.path().join("factors.jsonl");
    std::fs::write(
        &path,
        "{\"format\": \"sonare-factors\", \"version\": 1, \"model\": \"test-als\", \"rank\": 2, \"regularization\": 0.1, \"alpha\": 1.0}\n\
         {\"artist\": \"Björk\", \"title\": \"Jóga\", \"factors\": [1.0, 0.0]}\n\
         {\"artist\": \"Daft Punk\", \"title\": \"One More Time\", \"factors\": [0.9, 0.1]}\n\
         {\"artist\": \"The Beatles\", \"title\": \"Let It Be\", \"factors\": [0.0, 1.0]}\n\
         not json\n",
    )
    .unwrap();
    let report = import::import_shared(&mut conn, &path, SharedFormat::Factors).unwrap();
    assert_eq!(
        (report.read, report.imported, report.skipped),
        (4, 3, 1),
        "{report:?}"
    );
    assert_eq!(report.skipped_lines[0].at, "line 5");
    assert_eq!(count(&conn, "SELECT count(*) FROM item_factors"), 3);
    // A file that contradicts its header is refused whole, naming the line; nothing is stored
    // and the factors already imported stay as they were.
    let header = |rank: &str| {
        format!(
            "{{\"format\": \"sonare-factors\", \"version\": 1, \"model\": \"other\", \"rank\": {rank}}}\n"
        )
    };
    let refused = [
        (header("0"), "line 1", "rank 0"),
        (header("20000"), "line 1", "rank 20000"),
        (
            header("2") + "{\"artist\": \"A\", \"factors\": [1.0, 2.0]}\n{\"artist\": \"B\", \"factors\": [1.0]}\n",
            "line 3",
            "1 factors where the header's rank is 2",
        ),
        (
            header("2") + "{\"artist\": \"A\", \"factors\": [1.0, null]}\n",
            "line 2",
            "not a finite number",
        ),
        (
            "{\"format\": \"sonare-factors\", \"version\": 1, \"model\": \"m\", \"rank\": 2, \"alpha\": -1}\n".to_string(),
            "line 1",
            "alpha -1",
        ),
    ];
    for (text, line, reason) in refused {
        let file = lib.tmp.path().join("refused.jsonl");
        std::fs::write(&file, &text).unwrap();
        let err = import::import_shared(&mut conn, &file, SharedFormat::Factors).unwrap_err();
        let message = err.to_string();
        assert!(
            message.contains("refused.jsonl") && message.contains(line) && message.contains(reason),
            "{message}"
        );
        assert_eq!(count(&conn, "SELECT count(*) FROM item_factors"), 3);
        assert_eq!(count(&conn, "SELECT count(*) FROM factor_models"), 1);
    }
    let bad = lib.tmp.path().join("bad.jsonl");
    std::fs::write(&bad, "{\"format\": \"something else\"}\n").unwrap();
    let err = import::import_shared(&mut conn, &bad, SharedFormat::Factors).unwrap_err();
    assert!(matches!(err, ImportError::WrongFormat { .. }), "{err}");

    // The listener who played Björk is folded in against these fixed factors.
    import_spotify(&mut conn);
    let model = sonare::cf::shared_model::SharedModel::load(&conn)
        .unwrap()
        .unwrap();
    assert!(model.name.contains("test-als"), "{}", model.name);
    let listener = sonare::cf::listener::Listener::load(&conn).unwrap();
    let scores = sonare::cf::for_you::scores(&conn, Some(&model), &listener, 10).unwrap();
    assert_eq!(
        scores[0].track_id,
        lib.track_id("daft punk.flac"),
        "{scores:?}"
    );
    assert_eq!(scores[0].because.as_deref(), Some("Björk – Jóga"));
}

#[test]
fn matcher_precision_on_the_hand_checked_sample() {
    use sonare::cf::import::store::{item_key, ItemKind};
    let text = std::fs::read_to_string(taste("match_sample.tsv")).unwrap();
    // (tp, fp, fn, tn) for the part the rules were developed on, and for the held-out part.
    let mut counts = [[0usize; 4]; 2];
    let mut part = 0;
    let mut wrong = Vec::new();
    for line in text.lines().skip(3) {
        if line.starts_with("# Held out") {
            part = 1;
        }
        if line.starts_with('#') || line.starts_with("library_artist") {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        let same = f[4] == "1";
        let matched = item_key(ItemKind::Track, f[0], Some(f[1]))
            == item_key(ItemKind::Track, f[2], Some(f[3]));
        let cell = match (matched, same) {
            (true, true) => 0,
            (true, false) => 1,
            (false, true) => 2,
            (false, false) => 3,
        };
        if cell == 1 {
            wrong.push(line);
        }
        counts[part][cell] += 1;
    }
    for (name, [tp, fp, fn_, tn]) in ["development", "held-out"].iter().zip(counts) {
        println!(
            "matcher, {name} pairs ({}): precision {:.3}, recall {:.3} (tp {tp}, fp {fp}, fn {fn_}, tn {tn})",
            tp + fp + fn_ + tn,
            tp as f64 / (tp + fp) as f64,
            tp as f64 / (tp + fn_) as f64,
        );
    }
    println!("false matches: {wrong:?}");
    let [tp, fp, fn_, _] = [0, 1, 2, 3].map(|c| counts[0][c] + counts[1][c]);
    let precision = tp as f64 / (tp + fp) as f64;
    assert!(precision >= 0.95, "precision {precision}: {wrong:?}");
    assert!(tp as f64 / (tp + fn_) as f64 >= 0.75);
}

#[test]
fn plays_of_songs_not_yet_in_the_library_join_the_history_when_the_song_arrives() {
    let lib = library();
    let mut conn = sonare::db::open(&lib.db).unwrap();
    let report = import_spotify(&mut conn);
    assert_eq!(report.matched, 2);
    let plays = |conn: &Connection| count(conn, "SELECT count(*) FROM plays");
    assert_eq!(plays(&conn), 2);
    // "Unknown Song" by "Nobody Here" is added to the library later.
    let new = lib.music.join("nobody.flac");
    copy(&minimal("full_test.flac"), &new);
    retag(&new, |tag| {
        use lofty::tag::Accessor;
        tag.set_artist("Nobody Here".into());
        tag.set_title("Unknown Song".into());
    });
    let covers = sonare::library::CoverCache::new(&lib.tmp.path().join("covers")).unwrap();
    let report =
        sonare::library::scan(&mut conn, &covers, &Default::default(), &mut |_| {}).unwrap();
    assert_eq!(
        sonare::cf::matching::rematch_after_scan(&mut conn, report.tracks_changed()).unwrap(),
        1
    );
    assert_eq!(plays(&conn), 3);
    assert_eq!(
        plays_of(&conn, &lib, "nobody.flac"),
        vec![("spotify".into(), "completed".into())]
    );
    // Running it again changes nothing.
    assert_eq!(sonare::cf::matching::rematch_library(&mut conn).unwrap(), 0);
    assert_eq!(plays(&conn), 3);
}

#[test]
fn a_cancelled_import_writes_nothing_and_progress_counts_the_bytes() {
    use std::sync::{Arc, Mutex};
    let lib = library();
    let mut conn = sonare::db::open(&lib.db).unwrap();
    // A listening log of about 3 MB: 40,000 plays of ten listeners.
    let log = lib.tmp.path().join("big-log.tsv");
    let mut text = String::new();
    for n in 0..40_000u64 {
        text += &format!(
            "user_{:03}\t2009-05-04T{:02}:{:02}:{:02}Z\t\tArtist {}\t\tA rather long song title number {}\n",
            n % 10,
            n / 3600 % 24,
            n / 60 % 60,
            n % 60,
            n % 500,
            n % 3_000
        );
    }
    std::fs::write(&log, &text).unwrap();
    let before = snapshot(&conn);

    // Cancelled once past the first mebibyte: an error naming the file, and nothing written.
    let seen = Arc::new(Mutex::new(Vec::new()));
    let control = Arc::new_cyclic(|me: &std::sync::Weak<import::ImportControl>| {
        let (me, seen) = (me.clone(), seen.clone());
        import::ImportControl::with_progress(move |bytes| {
            seen.lock().unwrap().push(bytes);
            if let Some(control) = me.upgrade() {
                control.cancel();
            }
        })
    });
    let err =
        import::import_shared_with(&mut conn, &log, SharedFormat::LastfmLog, control).unwrap_err();
    assert!(matches!(err, ImportError::Cancelled { .. }), "{err}");
    assert!(err.to_string().contains("big-log.tsv"), "{err}");
    assert_eq!(seen.lock().unwrap().len(), 1);
    assert_eq!(snapshot(&conn), before);

    // Not cancelled: progress rises every mebibyte up to the whole file, and everything is there.
    let seen = Arc::new(Mutex::new(Vec::new()));
    let reports = seen.clone();
    let control = Arc::new(import::ImportControl::with_progress(move |bytes| {
        reports.lock().unwrap().push(bytes)
    }));
    let report =
        import::import_shared_with(&mut conn, &log, SharedFormat::LastfmLog, control.clone())
            .unwrap();
    assert_eq!(report.imported, 40_000, "{report:?}");
    let seen = seen.lock().unwrap().clone();
    let size = text.len() as u64;
    assert_eq!(seen.len() as u64, size >> 20, "{seen:?}");
    assert!(seen.windows(2).all(|w| w[0] < w[1]), "{seen:?}");
    assert_eq!(control.bytes_read(), size);
    assert_eq!(import::input_size(&log), size);
}

/// A HetRec folder `name` holding these two files.
fn hetrec_dir(lib: &TempLibrary, name: &str, artists: &str, user_artists: &str) -> PathBuf {
    let dir = lib.tmp.path().join(name);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("artists.dat"), artists).unwrap();
    std::fs::write(dir.join("user_artists.dat"), user_artists).unwrap();
    dir
}

#[test]
fn hetrec_artists_whose_names_fold_together_have_their_counts_summed() {
    let lib = library();
    let mut conn = sonare::db::open(&lib.db).unwrap();
    let dir = hetrec_dir(
        &lib,
        "hetrec-folds",
        "id\tname\turl\tpictureURL\n1\tScorpions\t\t\n2\tThe Scorpions\t\t\n3\tBjörk\t\t\n",
        "userID\tartistID\tweight\n7\t1\t2372\n7\t2\t768\n7\t3\t10\n",
    );
    import::import_shared(&mut conn, &dir, SharedFormat::Hetrec).unwrap();
    let weights: Vec<f64> = conn
        .prepare("SELECT weight FROM shared_interactions ORDER BY weight")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(weights, [10.0, 3140.0]);
}

#[test]
fn a_hetrec_file_cut_short_mid_line_is_refused_whole() {
    let lib = library();
    let mut conn = sonare::db::open(&lib.db).unwrap();
    let dir = hetrec_dir(
        &lib,
        "hetrec-cut",
        "id\tname\n1\tScorpions\n2\tBjörk\n",
        "userID\tartistID\tweight\n7\t1\t2372\n7\t2",
    );
    let err = import::import_shared(&mut conn, &dir, SharedFormat::Hetrec).unwrap_err();
    let message = err.to_string();
    assert!(message.contains("hetrec-cut: line 3"), "{message}");
    assert!(message.contains("cut short"), "{message}");
    assert_eq!(count(&conn, "SELECT count(*) FROM shared_interactions"), 0);
}
