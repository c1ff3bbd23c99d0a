//! Keeping and moving what Sonare learned, on real SQLite libraries of real files: the export of
//! history, likes, hides, exclusions, settings and playlists restored exactly on a fresh data folder
//! whose music sits at other paths (and restored twice adds nothing); the online backup; the
//! settings the CLI and the facade share.

mod common;

use common::{sonare_cli, stdout_ok, TempLibrary};
use sonare::app::Sonare;
use sonare::data_dir::DataDir;
use sonare::exclusions::ExclusionKind;
use sonare::feedback::{self, Feedback};
use sonare::playback::history::{self, StoredPlay};

const SONGS: [(&str, &str, &str); 4] = [
    ("a.flac", "Nina Simone", "Feeling Good"),
    ("b.flac", "Miles Davis", "So What"),
    ("c.flac", "Björk", "Jóga"),
    ("d.flac", "Sigur Rós", "Hoppípolla"),
];

/// The four songs (one fixture, retagged) in a new library of their own.
fn library() -> TempLibrary {
    TempLibrary::of_songs(&SONGS, None)
}

fn app(lib: &TempLibrary) -> Sonare {
    lib.app()
}

fn title_of(app: &Sonare, id: i64) -> String {
    sonare::library::browse::track_by_id(&app.db(), id)
        .unwrap()
        .unwrap()
        .title
}

/// A play as the test compares it: title, start, end, position, heard, end reason, context, source.
type PlayFacts = (
    String,
    i64,
    Option<i64>,
    i64,
    i64,
    Option<String>,
    String,
    String,
);

/// Everything a restore must bring back, with tracks named by title (ids differ between machines).
#[derive(Debug, PartialEq)]
struct Learned {
    plays: Vec<PlayFacts>,
    verdicts: Vec<(String, String, i64)>,
    playlists: Vec<(String, Vec<String>)>,
    exclusions: Vec<String>,
    settings: sonare::settings::Settings,
}

fn learned(app: &Sonare) -> Learned {
    let plays = history::all_plays(&app.db()).unwrap();
    let stored = feedback::verdicts(&app.db()).unwrap();
    let mut verdicts: Vec<(String, String, i64)> = stored
        .into_iter()
        .map(|(id, v, at)| (title_of(app, id), format!("{v:?}"), at))
        .collect();
    verdicts.sort();
    let mut playlists: Vec<(String, Vec<String>)> = app
        .playlists()
        .unwrap()
        .into_iter()
        .map(|p| {
            let entries = app.playlist(p.id).unwrap().entries;
            let titles = entries
                .into_iter()
                .map(|e| e.track.map(|t| t.title).unwrap_or(e.title))
                .collect();
            (p.name, titles)
        })
        .collect();
    playlists.sort();
    Learned {
        plays: plays
            .into_iter()
            .map(|p| {
                (
                    title_of(app, p.track_id),
                    p.started_at,
                    p.ended_at,
                    p.position_ms,
                    p.heard_ms,
                    p.end_reason,
                    p.context,
                    p.source,
                )
            })
            .collect(),
        verdicts,
        playlists,
        exclusions: app
            .exclusions()
            .unwrap()
            .into_iter()
            .map(|e| e.label)
            .collect(),
        settings: app.settings().unwrap(),
    }
}

fn play(app: &Sonare, id: i64, at: i64, heard: i64, end: &str, source: &str) {
    let restored = history::restore_play(
        &app.db(),
        &StoredPlay {
            track_id: id,
            started_at: at,
            ended_at: Some(at + heard / 1000),
            position_ms: heard,
            heard_ms: heard,
            duration_ms: Some(200_000),
            end_reason: Some(end.into()),
            context: "album".into(),
            source: source.into(),
            error: None,
        },
    )
    .unwrap();
    assert!(restored);
}

#[test]
fn an_export_restores_exactly_on_a_fresh_data_folder_and_twice_adds_nothing() {
    let here = library();
    let app = app(&here);
    let id = |name| here.track_id(name);
    play(
        &app,
        id("a.flac"),
        1_700_000_000,
        200_000,
        "completed",
        "local",
    );
    play(
        &app,
        id("b.flac"),
        1_700_000_300,
        12_000,
        "skipped",
        "local",
    );
    play(
        &app,
        id("a.flac"),
        1_700_086_400,
        150_000,
        "stopped",
        "spotify",
    );
    // A track that played with the player here, the same start as another source's play.
    play(
        &app,
        id("c.flac"),
        1_700_000_000,
        90_000,
        "completed",
        "local",
    );
    feedback::set(&app.db(), id("a.flac"), Feedback::Like, 1_700_000_500).unwrap();
    feedback::set(&app.db(), id("d.flac"), Feedback::Like, 1_700_000_600).unwrap();
    feedback::set(&app.db(), id("b.flac"), Feedback::Hide, 1_700_000_700).unwrap();
    app.create_playlist("Evening", &[id("c.flac"), id("a.flac")])
        .unwrap();
    app.create_playlist("Night ☾", &[id("d.flac"), id("b.flac"), id("d.flac")])
        .unwrap();
    app.exclude(ExclusionKind::Genre, "Audiobook").unwrap();
    app.set_setting("normalisation", "album".into()).unwrap();
    app.set_setting("fresh_days", 7.into()).unwrap();
    let before = learned(&app);

    let export = tempfile::tempdir().unwrap();
    let summary = app.export_learned(export.path()).unwrap();
    assert_eq!(
        (
            summary.plays,
            summary.likes,
            summary.hides,
            summary.playlists
        ),
        (4, 2, 1, 2)
    );
    // Other tools read the history as a ListenBrainz export; the playlists as XSPF.
    let listens = std::fs::read_to_string(export.path().join("listens.jsonl")).unwrap();
    let first: serde_json::Value = serde_json::from_str(listens.lines().next().unwrap()).unwrap();
    assert_eq!(first["listened_at"], 1_700_000_000);
    assert!(first["track_metadata"]["artist_name"].is_string());
    {
        // The ListenBrainz importer of another data folder reads it as a ListenBrainz export.
        let elsewhere = tempfile::tempdir().unwrap();
        let mut conn = sonare::db::open(&elsewhere.path().join("l.sqlite3")).unwrap();
        let path = export.path().join("listens.jsonl");
        let report = sonare::cf::import::import_history(
            &mut conn,
            &path,
            sonare::cf::import::HistoryFormat::Listenbrainz,
        )
        .unwrap();
        assert_eq!(report.imported, 4, "{report:?}");
    }
    let lists: Vec<_> = std::fs::read_dir(export.path().join("playlists"))
        .unwrap()
        .collect();
    assert_eq!(lists.len(), 2);

    // Another machine: the same songs at other paths, nothing learned yet.
    let there = library();
    assert_ne!(there.music, here.music);
    let other = self::app(&there);
    assert_ne!(learned(&other), before);
    let report = other.restore_learned(export.path()).unwrap();
    assert_eq!(report.plays_added, 4, "{report:?}");
    assert_eq!((report.verdicts, report.playlists_added), (3, 2));
    assert!(report.skipped_lines.is_empty() && report.settings_refused.is_empty());
    assert_eq!(learned(&other), before);

    // Again: nothing is added twice.
    let again = other.restore_learned(export.path()).unwrap();
    assert_eq!((again.plays_added, again.plays_already_there), (0, 4));
    assert_eq!(
        (again.playlists_added, again.playlists_already_there),
        (0, 2)
    );
    assert_eq!(learned(&other), before);
}

#[test]
fn a_restore_names_a_bad_line_and_refuses_a_file_that_is_not_an_export() {
    let here = library();
    let app = app(&here);
    play(
        &app,
        here.track_id("a.flac"),
        1_700_000_000,
        5_000,
        "skipped",
        "local",
    );
    let export = tempfile::tempdir().unwrap();
    app.export_learned(export.path()).unwrap();
    let listens = export.path().join("listens.jsonl");
    let mut text = std::fs::read_to_string(&listens).unwrap();
    text.push_str("{\"listened_at\": \"yesterday\"}\n");
    std::fs::write(&listens, text).unwrap();

    let there = library();
    let other = self::app(&there);
    let report = other.restore_learned(export.path()).unwrap();
    assert_eq!(report.plays_added, 1);
    assert_eq!(report.skipped_lines.len(), 1);
    assert_eq!(report.skipped_lines[0].line, 2);

    std::fs::write(export.path().join("sonare.json"), "{\"format\": \"other\"}").unwrap();
    let err = other.restore_learned(export.path()).unwrap_err();
    assert!(err.to_string().contains("sonare.json"), "{err}");
    assert_eq!(history::all_plays(&other.db()).unwrap().len(), 1);
}

#[test]
fn a_backup_is_a_whole_consistent_copy_taken_while_the_library_is_open() {
    let here = library();
    let app = app(&here);
    play(
        &app,
        here.track_id("b.flac"),
        1_700_000_000,
        5_000,
        "skipped",
        "local",
    );
    // Another connection reads meanwhile, as the app's views do.
    let reader = sonare::db::open(&here.db).unwrap();
    let _held: i64 = reader
        .query_row("SELECT COUNT(*) FROM tracks", [], |r| r.get(0))
        .unwrap();
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("sonare-backup.sqlite3");
    let report = app.backup(&file).unwrap();
    assert!(report.bytes > 0);
    let copy = rusqlite::Connection::open(&file).unwrap();
    let (tracks, plays): (i64, i64) = copy
        .query_row(
            "SELECT (SELECT COUNT(*) FROM tracks), (SELECT COUNT(*) FROM plays)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((tracks, plays), (4, 1));
    // The copy opens as a library of its own.
    assert!(sonare::db::open(&file).is_ok());
    assert!(app.backup(out.path()).is_err());
}

#[test]
fn the_command_line_reads_and_changes_the_settings_the_app_uses() {
    let data = tempfile::tempdir().unwrap();
    let d = Some(data.path());
    stdout_ok(&sonare_cli(
        d,
        &["settings", "set", "normalisation", "album"],
    ));
    stdout_ok(&sonare_cli(
        d,
        &["settings", "set", "analysis_threads", "1"],
    ));
    assert_eq!(
        stdout_ok(&sonare_cli(d, &["settings", "get", "normalisation"])).trim(),
        "\"album\""
    );
    let bad = sonare_cli(d, &["settings", "set", "discover_size", "9000"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("discover_size"));
    let list: serde_json::Value =
        serde_json::from_str(&stdout_ok(&sonare_cli(d, &["settings", "list", "--json"]))).unwrap();
    let keys: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["key"].as_str().unwrap())
        .collect();
    assert!(keys.contains(&"watch_folders") && keys.contains(&"analysis_pause"));
    let app = Sonare::open(DataDir::resolve(d).unwrap()).unwrap();
    let settings = app.settings().unwrap();
    assert_eq!(
        settings.normalisation,
        sonare::settings::Normalisation::Album
    );
    assert_eq!(settings.analysis_threads(), 1);
}
