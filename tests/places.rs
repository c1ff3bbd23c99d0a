//! The listener's own places on a real SQLite library: playlists (made, edited, imported from M3U and
//! XSPF with unmatched entries kept, exported and read back) that follow their tracks through a rescan
//! and a file move; likes and history through the facade; and the generated lists' rules: one entry
//! per duplicated song, a compilation counted as one album, exclusions applied from the next list.

mod common;

use std::path::{Path, PathBuf};

use common::{copy, minimal, retag, TempLibrary};
use lofty::tag::Accessor;
use rusqlite::params;
use sonare::app::Sonare;
use sonare::cf::import::{import_history, HistoryFormat};
use sonare::data_dir::DataDir;
use sonare::discover::{self, engine::Options};
use sonare::exclusions::ExclusionKind;
use sonare::playlists::export::Format;

/// Four tagged FLAC files (one fixture, retagged), scanned.
fn library() -> TempLibrary {
    TempLibrary::of_songs(
        &[
            ("a.flac", "Nina Simone", "Feeling Good"),
            ("b.flac", "Miles Davis", "So What"),
            ("c.flac", "Björk", "Jóga"),
            ("d.flac", "Sigur Rós", "Hoppípolla"),
        ],
        Some("Various Artists"),
    )
}

fn app(lib: &TempLibrary) -> Sonare {
    lib.app()
}

fn rescan(app: &Sonare) -> sonare::library::ScanReport {
    app.scan(None, &Default::default(), &mut |_| {}).unwrap()
}

fn titles(app: &Sonare, id: i64) -> Vec<String> {
    app.playlist(id)
        .unwrap()
        .entries
        .into_iter()
        .map(|e| e.track.map(|t| t.title).unwrap_or(e.title))
        .collect()
}

#[test]
fn a_playlist_is_edited_and_follows_its_tracks_through_a_rescan_and_a_move() {
    let lib = library();
    let app = app(&lib);
    let (a, b, c, d) = (
        lib.track_id("a.flac"),
        lib.track_id("b.flac"),
        lib.track_id("c.flac"),
        lib.track_id("d.flac"),
    );
    let id = app.create_playlist("  Evening  ", &[a, b]).unwrap();
    assert_eq!(app.playlist(id).unwrap().summary.name, "Evening");
    assert_eq!(app.add_to_playlist(id, &[c, d], Some(1)).unwrap(), 4);
    assert_eq!(
        titles(&app, id),
        ["Feeling Good", "Jóga", "Hoppípolla", "So What"]
    );
    app.move_in_playlist(id, 3, 0).unwrap();
    assert_eq!(app.remove_from_playlist(id, &[2]).unwrap(), 3);
    assert_eq!(titles(&app, id), ["So What", "Feeling Good", "Hoppípolla"]);
    // Edits that name what is not there change nothing.
    assert_eq!(
        app.add_to_playlist(id, &[9999], None).unwrap_err().kind(),
        "unknown_track"
    );
    assert_eq!(
        app.move_in_playlist(id, 0, 3).unwrap_err().kind(),
        "bad_argument"
    );
    assert_eq!(
        app.rename_playlist(id, " \t").unwrap_err().kind(),
        "bad_argument"
    );
    assert_eq!(app.playlist(42).unwrap_err().kind(), "not_found");
    assert_eq!(titles(&app, id), ["So What", "Feeling Good", "Hoppípolla"]);

    // Move a file and rescan: the entry follows the track (same id, new path).
    let moved = lib.music.join("moved/d-renamed.flac");
    std::fs::create_dir_all(moved.parent().unwrap()).unwrap();
    std::fs::rename(lib.music.join("d.flac"), &moved).unwrap();
    let report = rescan(&app);
    assert_eq!(report.moved, 1, "{report:?}");
    let shown = app.playlist(id).unwrap();
    let last = shown.entries[2].track.as_ref().unwrap();
    assert_eq!(last.id, d);
    assert!(last.path.ends_with("moved/d-renamed.flac"), "{}", last.path);
    // A missing file keeps its entry (shown as missing, not played).
    std::fs::remove_file(lib.music.join("a.flac")).unwrap();
    rescan(&app);
    let shown = app.playlist(id).unwrap();
    assert!(shown.entries[1].track.as_ref().unwrap().missing);
    assert_eq!(app.playlist_track_ids(id).unwrap(), [b, d]);

    // Duplicate and delete.
    let copy = app.duplicate_playlist(id, None).unwrap();
    assert_eq!(app.playlist(copy).unwrap().summary.name, "Evening (copy)");
    app.delete_playlist(id).unwrap();
    assert_eq!(
        titles(&app, copy),
        ["So What", "Feeling Good", "Hoppípolla"]
    );
    let names: Vec<String> = app
        .playlists()
        .unwrap()
        .into_iter()
        .map(|p| p.name)
        .collect();
    assert_eq!(names, ["Evening (copy)"]);
}

#[test]
fn an_imported_m3u_becomes_a_playlist_whose_missing_songs_match_when_they_arrive() {
    let lib = library();
    let app = app(&lib);
    let later = lib.tmp.path().join("later");
    let m3u = lib.tmp.path().join("lists/road_trip.m3u");
    std::fs::create_dir_all(m3u.parent().unwrap()).unwrap();
    std::fs::write(
        &m3u,
        "#EXTM3U\n#EXTINF:200,Nina Simone - Feeling Good\n../music/a.flac\n\
         #EXTINF:180,Daft Punk - One More Time\n/nowhere/one_more_time.mp3\n\
         ../later/e.flac\n\
         #EXTINF:100,Björk - Jóga\nc.flac\n",
    )
    .unwrap();
    {
        let mut conn = app.connection().unwrap();
        import_history(&mut conn, &m3u, HistoryFormat::M3u).unwrap();
        // Importing the same file again changes nothing.
        import_history(&mut conn, &m3u, HistoryFormat::M3u).unwrap();
    }
    let lists = app.playlists().unwrap();
    assert_eq!(lists.len(), 1);
    let list = &lists[0];
    assert_eq!(list.name, "road trip");
    assert_eq!((list.entries, list.unmatched), (4, 2));
    let shown = app.playlist(list.id).unwrap();
    assert_eq!(
        shown.entries[0].track.as_ref().unwrap().title,
        "Feeling Good"
    );
    assert!(shown.entries[1].track.is_none());
    assert_eq!(
        (
            shown.entries[1].artist.as_str(),
            shown.entries[1].title.as_str()
        ),
        ("Daft Punk", "One More Time")
    );
    // "c.flac" beside the playlist is not the library's c.flac, but its names match the library's Jóga.
    assert_eq!(shown.entries[3].track.as_ref().unwrap().title, "Jóga");

    // The song named only by its location arrives: a new folder is added and scanned.
    copy(&minimal("full_test.flac"), &later.join("e.flac"));
    retag(&later.join("e.flac"), |tag| {
        tag.set_artist("Daft Punk".into());
        tag.set_title("Digital Love".into());
    });
    sonare::library::add_folder(&app.db(), &later).unwrap();
    rescan(&app);
    let shown = app.playlist(list.id).unwrap();
    assert_eq!(
        shown.entries[2].track.as_ref().unwrap().title,
        "Digital Love"
    );
    assert_eq!(shown.summary.unmatched, 1);
    // The song named by artist and title arrives: the re-match after the scan finds it.
    copy(&minimal("full_test.flac"), &later.join("f.flac"));
    retag(&later.join("f.flac"), |tag| {
        tag.set_artist("Daft Punk".into());
        tag.set_title("One More Time".into());
    });
    rescan(&app);
    let shown = app.playlist(list.id).unwrap();
    assert_eq!(shown.summary.unmatched, 0);
    assert_eq!(
        shown.entries[1].track.as_ref().unwrap().title,
        "One More Time"
    );
}

#[test]
fn exported_m3u8_and_xspf_read_back_as_the_same_playlist() {
    let lib = library();
    let app = app(&lib);
    let ids = [
        lib.track_id("c.flac"),
        lib.track_id("a.flac"),
        lib.track_id("d.flac"),
    ];
    let id = app.create_playlist("Ünïcode & <friends>", &ids).unwrap();
    let out = lib.tmp.path().join("exports");
    std::fs::create_dir_all(&out).unwrap();
    for (file, format) in [
        ("list.m3u8", HistoryFormat::M3u),
        ("list.xspf", HistoryFormat::Xspf),
    ] {
        let path = out.join(file);
        let report = app.export_playlist(id, &path, None).unwrap();
        assert_eq!((report.written, report.left_out), (3, 0));
        let text = std::fs::read_to_string(&path).unwrap();
        // Paths relative to the playlist's folder: the music folder is a sibling.
        assert!(text.contains("../music/"), "{text}");
        assert!(!text.contains(lib.music.to_str().unwrap()), "{text}");
        if file.ends_with("xspf") {
            assert!(
                text.contains("<title>Ünïcode &amp; &lt;friends&gt;</title>"),
                "{text}"
            );
            assert!(
                text.contains("Hopp%C3%ADpolla") || text.contains("../music/d.flac"),
                "{text}"
            );
        }
        let mut conn = app.connection().unwrap();
        let imported = import_history(&mut conn, &path, format).unwrap();
        assert_eq!(imported.imported, 3, "{file}: {imported:?}");
        drop(conn);
        let back = app
            .playlists()
            .unwrap()
            .into_iter()
            .find(|p| p.source.as_deref().is_some_and(|s| s.ends_with(file)))
            .unwrap();
        assert_eq!(back.unmatched, 0, "{file}");
        assert_eq!(app.playlist_track_ids(back.id).unwrap(), ids, "{file}");
    }
    // A name the format cannot tell is refused with the reason.
    let err = app
        .export_playlist(id, &out.join("list.txt"), None)
        .unwrap_err();
    assert_eq!(err.kind(), "format");
    assert!(app
        .export_playlist(id, &out.join("list.txt"), Some(Format::M3u8))
        .is_ok());
}

#[test]
fn likes_and_recent_plays_come_through_the_facade() {
    let lib = library();
    let app = app(&lib);
    let (a, b) = (lib.track_id("a.flac"), lib.track_id("b.flac"));
    app.feedback(a, sonare::feedback::Feedback::Like).unwrap();
    app.feedback(b, sonare::feedback::Feedback::Hide).unwrap();
    let liked: Vec<i64> = app.liked().unwrap().iter().map(|l| l.track.id).collect();
    assert_eq!(liked, [a]);
    assert_eq!(app.liked_among(&[a, b]).unwrap(), [a]);
    {
        let conn = app.db();
        conn.execute(
            "INSERT INTO plays (track_id, started_at, heard_ms, end_reason, context, source)
             VALUES (?1, 100, 5000, 'skipped', 'library', 'local'), (?2, 200, 0, NULL, 'import', 'spotify')",
            params![a, b],
        )
        .unwrap();
    }
    let plays = app.recent_plays(10).unwrap();
    let seen: Vec<(i64, Option<&str>, &str)> = plays
        .iter()
        .map(|p| (p.track.id, p.end.as_deref(), p.source.as_str()))
        .collect();
    assert_eq!(seen, [(b, None, "spotify"), (a, Some("skipped"), "local")]);
}

/// One track of a library written straight into the database.
struct Row {
    id: i64,
    path: String,
    artist: String,
    album: String,
    album_artist: Option<&'static str>,
    title: String,
    duration_s: i64,
}

fn row(
    id: i64,
    path: String,
    artist: String,
    album: &str,
    album_artist: Option<&'static str>,
    title: String,
    duration_s: i64,
) -> Row {
    Row {
        id,
        path,
        artist,
        album: album.to_owned(),
        album_artist,
        title,
        duration_s,
    }
}

/// A library written straight into the database, as in tests/discover.rs: the rows, each with a
/// sound embedding and tempo, so that Discover can score them.
fn recommender_library(dir: &Path, rows: &[Row]) -> PathBuf {
    let db = dir.join("library.sqlite3");
    let conn = sonare::db::open(&db).unwrap();
    for r in rows {
        let (id, duration_s) = (r.id, r.duration_s);
        let (path, artist, album, album_artist, title) =
            (&r.path, &r.artist, &r.album, r.album_artist, &r.title);
        conn.execute(
            "INSERT INTO tracks (id, path, size, mtime_ns, fingerprint, title, artist, album, album_artist,
                 genre, duration_ms, codec, bitrate_kbps, search_text, added_at, updated_at)
             VALUES (?1, ?2, 1, 1, ?3, ?4, ?5, ?6, ?7, 'Soundtrack', ?8, 'vorbis', 160, '', 0, 0)",
            params![id, path, format!("fp{id}"), title, artist, album, album_artist, duration_s * 1000],
        )
        .unwrap();
        let mut e = [0f32; 8];
        e[(id % 8) as usize] = 1.0;
        e[((id / 8) % 8) as usize] += 0.5;
        let blob: Vec<u8> = e.iter().flat_map(|v| v.to_le_bytes()).collect();
        conn.execute(
            "INSERT INTO track_analysis (track_id, version, analyzed_at, tempo_bpm, key_camelot,
                 loudness_lufs, embedding)
             VALUES (?1, 'test', 0, ?2, 4, -14.0, ?3)",
            params![id, 90.0 + (id % 7) as f64, blob],
        )
        .unwrap();
    }
    db
}

fn daily_ids(db: &Path, size: usize) -> Vec<i64> {
    let mut conn = sonare::db::open(db).unwrap();
    let day = discover::parse_day("2026-06-15").unwrap();
    let options = Options {
        size,
        ..Default::default()
    };
    discover::daily(&mut conn, day, &options, true)
        .unwrap()
        .tracks
        .iter()
        .map(|t| t.track.id)
        .collect()
}

#[test]
fn discover_offers_each_song_once_and_counts_a_compilation_as_one_album() {
    let tmp = tempfile::tempdir().unwrap();
    let mut rows: Vec<Row> = Vec::new();
    // A soundtrack of 18 tracks by six composers, tagged with its album artist (as Wesnoth's is not:
    // the second one has no album artist, only its folder).
    for i in 0..18 {
        rows.push(row(
            1 + i,
            format!("/m/ost/{i}.ogg"),
            format!("Composer {}", i % 6),
            "Game OST",
            Some("Game Team"),
            format!("Theme {i}"),
            120 + i,
        ));
        rows.push(row(
            101 + i,
            format!("/m/ost2/{i}.ogg"),
            format!("Writer {}", i % 6),
            "Other OST",
            None,
            format!("Cue {i}"),
            150 + i,
        ));
    }
    // Rhythm-game songs: the full mix and its guitar stem in one folder.
    for i in 0..6 {
        rows.push(row(
            201 + 2 * i,
            format!("/m/fof/song{i}/song.ogg"),
            format!("Band {i}"),
            "",
            None,
            format!("Anthem {i}"),
            200,
        ));
        rows.push(row(
            202 + 2 * i,
            format!("/m/fof/song{i}/guitar.ogg"),
            format!("Band {i}"),
            "",
            None,
            format!("Anthem {i}"),
            200,
        ));
    }
    // The same song in two files: a lossy copy and a better one.
    rows.push(row(
        301,
        "/m/a/x.mp3".into(),
        "Solo".into(),
        "One",
        None,
        "Same Song".into(),
        181,
    ));
    rows.push(row(
        302,
        "/m/b/x.flac".into(),
        "Solo".into(),
        "One (Deluxe)",
        None,
        "Same Song - Remastered".into(),
        180,
    ));
    let db = recommender_library(tmp.path(), &rows);
    sonare::db::open(&db)
        .unwrap()
        .execute(
            "UPDATE tracks SET codec = 'flac', bitrate_kbps = 900 WHERE id = 302",
            [],
        )
        .unwrap();
    let list = daily_ids(&db, 60);
    assert!(list.len() >= 10, "{list:?}");
    let from = |lo: i64, hi: i64| list.iter().filter(|&&id| (lo..=hi).contains(&id)).count();
    assert!(
        from(1, 18) <= 2,
        "the tagged soundtrack is one album: {list:?}"
    );
    assert!(
        from(101, 118) <= 2,
        "the untagged soundtrack in one folder is one album: {list:?}"
    );
    assert!(
        list.iter()
            .all(|id| !(202..=212).contains(id) || id % 2 == 1),
        "no stem: {list:?}"
    );
    assert!(
        !list.contains(&301),
        "the worse copy is not offered: {list:?}"
    );
    assert!(list.contains(&302) || list.len() < 60, "{list:?}");
}

#[test]
fn exclusions_leave_the_next_list_and_for_you_and_taking_one_back_restores_it() {
    let tmp = tempfile::tempdir().unwrap();
    let rows: Vec<Row> = (0..40)
        .map(|i| {
            let folder = if i < 10 { "books" } else { "music" };
            let album = format!("Album {}", i / 4);
            row(
                1 + i,
                format!("/m/{folder}/{i}.ogg"),
                format!("Artist {}", i % 8),
                &album,
                None,
                format!("Title {}", i + 1),
                101 + i,
            )
        })
        .collect();
    let db = recommender_library(tmp.path(), &rows);
    let app = Sonare::open(DataDir::resolve(Some(tmp.path())).unwrap()).unwrap();
    let before = daily_ids(&db, 30);
    assert!(before.iter().any(|&id| id <= 10), "{before:?}");
    let folder = app.exclude(ExclusionKind::Folder, "/m/books/").unwrap();
    let artist = app.exclude(ExclusionKind::Artist, "artist 3").unwrap();
    let after = daily_ids(&db, 30);
    assert!(after.len() >= 10, "{after:?}");
    let conn = sonare::db::open(&db).unwrap();
    let day = discover::parse_day("2026-06-15").unwrap();
    let stored = discover::load(&conn, day).unwrap().unwrap();
    assert_eq!(
        stored.header.candidates,
        40 - 10 - 4,
        "books and artist 3 are no candidates"
    );
    drop(conn);
    assert!(after.iter().all(|&id| id > 10), "{after:?}");
    assert!(after.iter().all(|&id| (id - 1) % 8 != 3), "{after:?}");
    assert_eq!(app.exclusions().unwrap().len(), 2);
    // For you: shared listeners who play what the listener plays, and the left-out tracks too.
    {
        let conn = app.db();
        for t in 1..=40i64 {
            let key = sonare::cf::items::item_key(
                sonare::cf::items::ItemKind::Track,
                &rows[t as usize - 1].artist,
                Some(&rows[t as usize - 1].title),
            );
            conn.execute(
                "INSERT INTO ext_items (id, kind, key, artist, title, track_id) VALUES (?1, 'track', ?2, ?3, ?4, ?1)",
                params![t, key, rows[t as usize - 1].artist, rows[t as usize - 1].title],
            )
            .unwrap();
        }
        for u in 0..30i64 {
            conn.execute(
                "INSERT INTO shared_users (id, source, name) VALUES (?1, 'test', ?2)",
                params![u + 1, format!("user {u}")],
            )
            .unwrap();
            // Each listener plays a block of the library and a few of the left-out tracks.
            for t in (0..8)
                .map(|k| 11 + (u + 3 * k) % 30)
                .chain([1 + u % 10, 1 + (u + 4) % 8 * 5 % 40])
            {
                conn.execute(
                    "INSERT OR IGNORE INTO shared_interactions (user_id, item_id, weight) VALUES (?1, ?2, 1)",
                    params![u + 1, t],
                )
                .unwrap();
            }
        }
        conn.execute(
            "INSERT INTO imports (kind, format, path, content_hash, imported_at, report)
             VALUES ('shared', 'test', 'test', 'h', 0, '{}')",
            [],
        )
        .unwrap();
        for (n, id) in [12, 13, 20, 21, 22].into_iter().enumerate() {
            conn.execute(
                "INSERT INTO plays (track_id, started_at, heard_ms, end_reason, context, source)
                 VALUES (?1, ?2, 100000, 'completed', 'library', 'local')",
                params![id, 1_000_000 + n as i64 * 200],
            )
            .unwrap();
        }
    }
    let for_you: Vec<i64> = app
        .for_you(30)
        .unwrap()
        .iter()
        .map(|f| f.track.id)
        .collect();
    assert!(for_you.len() >= 5, "{for_you:?}");
    assert!(
        for_you.iter().all(|&id| id > 10 && (id - 1) % 8 != 3),
        "{for_you:?}"
    );
    app.include(folder).unwrap();
    app.include(artist).unwrap();
    assert_eq!(app.include(artist).unwrap_err().kind(), "not_found");
    // Every track is a candidate again (which make the list is the listener's taste's business).
    let mut conn = sonare::db::open(&db).unwrap();
    let day = discover::parse_day("2026-06-15").unwrap();
    let restored = discover::daily(&mut conn, day, &Options::default(), true).unwrap();
    assert_eq!(restored.header.candidates, 40);
    let for_you: Vec<i64> = app
        .for_you(30)
        .unwrap()
        .iter()
        .map(|f| f.track.id)
        .collect();
    assert!(for_you.iter().any(|&id| id <= 10), "{for_you:?}");
}

#[test]
fn the_command_line_edits_playlists_and_lists_likes_artists_and_exclusions() {
    use common::{sonare_cli, stdout_ok};
    let lib = library();
    let data = lib.db.parent().unwrap().to_owned();
    let run = |args: &[&str]| stdout_ok(&sonare_cli(Some(&data), args));
    let fails = |args: &[&str]| {
        let out = sonare_cli(Some(&data), args);
        assert!(!out.status.success(), "{args:?} should fail");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let a = lib.music.join("a.flac").canonicalize().unwrap();
    let c = lib.track_id("c.flac").to_string();
    let d = lib.track_id("d.flac").to_string();
    let id = run(&["playlist", "create", "Mix", a.to_str().unwrap(), &c])
        .trim()
        .to_owned();
    assert_eq!(
        run(&["playlist", "add", &id, &d, "--at", "1"]).trim(),
        "3 entries"
    );
    run(&["playlist", "move", &id, "1", "3"]);
    assert_eq!(
        run(&["playlist", "show", &id]),
        "Mix\n1\tNina Simone - Feeling Good\n2\tBjörk - Jóga\n3\tSigur Rós - Hoppípolla\n"
    );
    assert_eq!(run(&["playlist", "remove", &id, "2"]).trim(), "2 entries");
    run(&["playlist", "rename", &id, "Night mix"]);
    let copy = run(&["playlist", "duplicate", &id]).trim().to_owned();
    let listed = run(&["playlist", "list"]);
    assert_eq!(
        listed,
        format!("{id}\tNight mix\t2 entries\n{copy}\tNight mix (copy)\t2 entries\n")
    );
    let shown: serde_json::Value =
        serde_json::from_str(&run(&["playlist", "show", &id, "--json"])).unwrap();
    assert_eq!(shown["name"], "Night mix");
    assert_eq!(shown["entries"][1]["track"]["title"], "Hoppípolla");
    let out = lib.tmp.path().join("night.xspf");
    assert!(
        run(&["playlist", "export", &id, out.to_str().unwrap()]).starts_with("2 entries written")
    );
    assert!(std::fs::read_to_string(&out)
        .unwrap()
        .contains("<creator>Sigur Rós</creator>"));
    run(&["playlist", "delete", &copy]);
    // Bad arguments name what is wrong, and change nothing.
    assert!(fails(&["playlist", "move", &id, "0", "1"]).contains("positions start at 1"));
    assert!(fails(&["playlist", "add", &id, "/no/such/file.flac"]).contains("/no/such/file.flac"));
    assert!(fails(&["playlist", "show", "999"]).contains("no playlist with id 999"));
    assert!(fails(&["playlist", "export", &id, "/tmp/x.txt"]).contains("m3u8 or xspf"));
    assert_eq!(
        run(&["playlist", "list"]),
        format!("{id}\tNight mix\t2 entries\n")
    );

    run(&["feedback", &c, "like"]);
    assert!(run(&["likes"]).contains("Björk - Jóga"));
    let artists = run(&["artists"]);
    assert_eq!(
        artists, "Various Artists\t4 songs\t1 albums\t0 plays\n",
        "a compilation: one album artist"
    );
    let page = run(&["artist", "Various Artists"]);
    assert!(
        page.starts_with("Various Artists: 4 songs\nalbum\tMixed\t4 songs\n"),
        "{page}"
    );
    let bjork: serde_json::Value =
        serde_json::from_str(&run(&["artist", "björk", "--json"])).unwrap();
    assert_eq!(bjork["name"], "Björk");
    assert_eq!(bjork["appears_on"][0]["album"], "Mixed");
    let ex = run(&["exclude", "add", "genre", "Audiobook"])
        .trim()
        .to_owned();
    assert_eq!(
        run(&["exclude", "list"]),
        format!("{ex}\tGenre\tAudiobook\n")
    );
    run(&["exclude", "remove", &ex]);
    assert_eq!(run(&["exclude", "list"]), "");
    assert!(fails(&["exclude", "remove", &ex]).contains(&format!("no exclusion with id {ex}")));
}

#[test]
fn names_sort_with_articles_set_aside_and_hangul_in_order() {
    let lib = TempLibrary::of_songs(
        &[
            ("1.flac", "나비", "Song"),
            ("2.flac", "The Zombies", "The Tune"),
            ("3.flac", "가을", "A Melody"),
            ("4.flac", "Abba", "Zebra"),
            ("5.flac", "다람쥐", "노래"),
            ("6.flac", "coldplay", "Anthem"),
        ],
        None,
    );
    let app = lib.app();
    let names: Vec<String> = app
        .artists("", sonare::library::artists::ArtistSort::Name)
        .unwrap()
        .into_iter()
        .map(|a| a.name)
        .collect();
    assert_eq!(
        names,
        ["Abba", "coldplay", "The Zombies", "가을", "나비", "다람쥐"]
    );
    let conn = sonare::db::open(&lib.db).unwrap();
    let view = |sort| {
        let query = sonare::library::browse::TrackQuery {
            sort,
            ..Default::default()
        };
        sonare::library::browse::list_tracks(&conn, &query)
            .unwrap()
            .into_iter()
            .map(|t| (t.artist, t.title))
            .collect::<Vec<_>>()
    };
    let by_artist: Vec<String> = view(sonare::library::browse::SortKey::Artist)
        .into_iter()
        .map(|(a, _)| a)
        .collect();
    assert_eq!(by_artist, names);
    let by_title: Vec<String> = view(sonare::library::browse::SortKey::Title)
        .into_iter()
        .map(|(_, t)| t)
        .collect();
    assert_eq!(
        by_title,
        ["Anthem", "A Melody", "Song", "The Tune", "Zebra", "노래"]
    );
}
