//! The commands through Tauri's real IPC layer on the mock runtime: a real data folder, real files,
//! the same JSON the UI sends.

use serde_json::{json, Value};
use sonare::data_dir::DataDir;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, mock_context, noop_assets, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{Manager, WebviewWindowBuilder};

use std::sync::Arc;

use crate::state::AppState;

fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/broken-tags/lofty-rs/lofty/tests/files/assets/minimal")
        .join(name)
}

struct Harness {
    _tmp: tempfile::TempDir,
    music: std::path::PathBuf,
    _app: tauri::App<tauri::test::MockRuntime>,
    webview: tauri::WebviewWindow<tauri::test::MockRuntime>,
}

impl Harness {
    fn new() -> Self {
        let tmp = tempfile::tempdir().unwrap();
        let music = tmp.path().join("music");
        std::fs::create_dir_all(music.join("Artist/Album")).unwrap();
        let data = DataDir::resolve(Some(&tmp.path().join("data"))).unwrap();
        let sonare = Arc::new(sonare::app::Sonare::open(data).unwrap());
        let app = super::with_commands(mock_builder())
            .manage(AppState(sonare.clone()))
            .build(mock_context(noop_assets()))
            .unwrap();
        super::start_jobs(app.handle(), sonare).unwrap();
        let webview = WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .unwrap();
        Self {
            _tmp: tmp,
            music,
            _app: app,
            webview,
        }
    }

    /// Copies `(fixture, name)` files into the music folder, adds it and scans it with the core call
    /// the scan command uses; returns a connection to the scanned library.
    fn library_of(&self, files: &[(&str, &str)]) -> rusqlite::Connection {
        for (from, name) in files {
            std::fs::copy(fixture(from), self.music.join("Artist/Album").join(name)).unwrap();
        }
        self.call("add_folder", json!({ "path": self.music }))
            .unwrap();
        let state = self.webview.state::<AppState>();
        let mut conn = state.connection().unwrap();
        let covers = state.covers().unwrap();
        sonare::library::scan(&mut conn, &covers, &Default::default(), &mut |_| {}).unwrap();
        conn
    }

    fn call(&self, cmd: &str, body: Value) -> Result<Value, Value> {
        get_ipc_response(
            &self.webview,
            InvokeRequest {
                cmd: cmd.into(),
                callback: CallbackFn(0),
                error: CallbackFn(1),
                url: "tauri://localhost".parse().unwrap(),
                body: InvokeBody::Json(body),
                headers: Default::default(),
                invoke_key: INVOKE_KEY.to_string(),
            },
        )
        .map(|r| r.deserialize::<Value>().unwrap())
    }
}

#[test]
fn add_folder_then_list_tracks_returns_the_scanned_library() {
    let h = Harness::new();
    std::fs::copy(
        fixture("full_test.mp3"),
        h.music.join("Artist/Album/01 First.mp3"),
    )
    .unwrap();
    std::fs::copy(
        fixture("full_test.flac"),
        h.music.join("Artist/Album/02 Second.flac"),
    )
    .unwrap();

    let added = h.call("add_folder", json!({ "path": h.music })).unwrap();
    assert!(added.as_str().unwrap().ends_with("music"));
    let folders = h.call("list_folders", json!({})).unwrap();
    assert_eq!(folders.as_array().unwrap().len(), 1);

    // The scan itself is exercised by the core tests; here through the same core call the command uses.
    let state = h.webview.state::<AppState>();
    let mut conn = state.connection().unwrap();
    let covers = state.covers().unwrap();
    let report =
        sonare::library::scan(&mut conn, &covers, &Default::default(), &mut |_| {}).unwrap();
    assert_eq!(report.added, 2);

    let page = h
        .call(
            "list_tracks",
            json!({ "query": { "search": "", "sort": "title", "descending": true, "offset": 0, "limit": 1 } }),
        )
        .unwrap();
    assert_eq!(page["total"], 2);
    assert_eq!(page["rows"].as_array().unwrap().len(), 1);
    let overview = h.call("library_overview", json!({})).unwrap();
    assert_eq!(overview["tracks"], 2);
    assert_eq!(overview["folders"], 1);
}

#[test]
fn errors_reach_the_ui_as_kind_and_message() {
    let h = Harness::new();
    let err = h
        .call("add_folder", json!({ "path": "/no/such/folder" }))
        .unwrap_err();
    assert_eq!(err["kind"], "folder");
    assert!(err["message"].as_str().unwrap().contains("/no/such/folder"));

    // A sort key is an enum, never SQL text: anything else is refused before reaching the database.
    let err = h
        .call(
            "list_tracks",
            json!({ "query": { "sort": "path; DROP TABLE tracks" } }),
        )
        .unwrap_err();
    assert!(err.as_str().unwrap().contains("unknown variant"), "{err}");
    let page = h.call("list_tracks", json!({ "query": {} })).unwrap();
    assert_eq!(page["total"], 0);
}

#[test]
fn track_details_and_similar_tracks_follow_the_stored_analysis() {
    let h = Harness::new();
    let conn = h.library_of(&[("full_test.flac", "a.flac")]);
    let id = h.call("list_tracks", json!({ "query": {} })).unwrap()["rows"][0]["id"]
        .as_i64()
        .unwrap();

    let details = h.call("track_details", json!({ "id": id })).unwrap();
    assert!(details["analysis"].is_null(), "{details}");

    // Analysed without ONNX Runtime: DSP features, no embedding, so no "more like this" yet.
    let summary = sonare::analysis::job::run(
        &conn,
        std::path::Path::new("/nonexistent/libonnxruntime.so"),
        &Default::default(),
        &Default::default(),
        |_| {},
    )
    .unwrap();
    assert_eq!(summary.analysed + summary.failed.len(), 1, "{summary:?}");
    let details = h.call("track_details", json!({ "id": id })).unwrap();
    assert_eq!(
        details["analysis"]["version"],
        sonare::analysis::track::DSP_VERSION,
        "{details}"
    );
    assert!(details["analysis"]["embedding"]
        .as_array()
        .unwrap()
        .is_empty());
    let err = h
        .call("similar_tracks", json!({ "id": id, "k": 5 }))
        .unwrap_err();
    assert_eq!(err["kind"], "not_analysed", "{err}");
    let page = h
        .call("list_tracks", json!({ "query": { "sort": "bpm" } }))
        .unwrap();
    assert_eq!(page["total"], 1);
    let err = h.call("track_details", json!({ "id": 999 })).unwrap_err();
    assert_eq!(err["kind"], "not_found");
}

#[test]
fn taste_commands_find_by_words_recommend_nothing_without_history_and_refuse_unknown_formats() {
    let h = Harness::new();
    let conn = h.library_of(&[("full_test.flac", "a.flac"), ("full_test.mp3", "b.mp3")]);

    // The fixture files carry their own tags; the words below are in one file's title only.
    let titles: Vec<String> = conn
        .prepare("SELECT title FROM tracks ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let word = titles[0].split_whitespace().next().unwrap().to_owned();
    let found = h
        .call("find_tracks", json!({ "query": word, "k": 10 }))
        .unwrap();
    let found = found.as_array().unwrap();
    assert!(!found.is_empty(), "{titles:?}");
    assert_eq!(found[0]["track"]["title"], titles[0]);
    assert!(found[0]["score"].as_f64().unwrap() > 0.0);
    // The index is kept for the next search, and made again once the library changes.
    let state = h.webview.state::<AppState>();
    let index = || state.search_index(&conn).unwrap();
    let kept = index();
    h.call("find_tracks", json!({ "query": word, "k": 10 }))
        .unwrap();
    assert!(std::sync::Arc::ptr_eq(&kept, &index()));
    conn.execute(
        "UPDATE tracks SET title = 'Zyzzyva Nocturne',
             updated_at = (SELECT max(updated_at) + 1 FROM tracks) WHERE id = ?1",
        [found[0]["track"]["id"].as_i64().unwrap()],
    )
    .unwrap();
    let renamed = h
        .call("find_tracks", json!({ "query": "zyzzyva", "k": 10 }))
        .unwrap();
    assert_eq!(
        renamed[0]["track"]["title"], "Zyzzyva Nocturne",
        "{renamed}"
    );

    // Nothing played and no shared data: an empty list, not an error.
    let recs = h.call("for_you", json!({ "k": 10 })).unwrap();
    assert_eq!(recs, json!([]));
    // An unknown format is refused before any file picker opens.
    let err = h
        .call(
            "import_listening_data",
            json!({ "kind": "history", "format": "winamp" }),
        )
        .unwrap_err();
    assert_eq!(err["kind"], "format");
    assert!(err["message"].as_str().unwrap().contains("winamp"));
    // Stopping when no job runs does nothing.
    assert_eq!(
        h.call("job_control", json!({ "action": "cancel" }))
            .unwrap(),
        Value::Null
    );
}

#[test]
fn discover_commands_make_keep_and_take_feedback_on_the_day_list() {
    let h = Harness::new();
    let conn = h.library_of(&[
        ("full_test.flac", "a.flac"),
        ("full_test.mp3", "b.mp3"),
        ("full_test.ogg", "c.ogg"),
        ("wav_format_pcm.wav", "d.wav"),
    ]);
    let tracks: i64 = conn
        .query_row("SELECT count(*) FROM tracks", [], |r| r.get(0))
        .unwrap();
    assert_eq!(tracks, 4);
    // What lists are made from is read in the background (as at start), then kept.
    let state = h.webview.state::<AppState>();
    assert!(!state.discover_prepared());
    state.prepare_discover().unwrap();
    assert!(state.discover_prepared());

    // No history: a cold-start list of the library (the files share one artist: at most two).
    let list = h
        .call("discover_daily", json!({ "refresh": false }))
        .unwrap();
    assert_eq!(list["mode"], "cold start");
    let shown = list["tracks"].as_array().unwrap();
    assert!((1..=2).contains(&shown.len()), "{list}");
    assert!(shown[0]["reason"].as_str().is_some_and(|r| !r.is_empty()));
    assert!(shown[0]["scores"]["audio"].is_number());
    let day = list["day"].as_str().unwrap().to_owned();
    let days = h.call("discover_days", json!({})).unwrap();
    assert_eq!(days[0]["day"], day);

    // Hidden: gone from the regenerated list, and the stored list is what the next call returns.
    let hidden = shown[0]["track"]["id"].as_i64().unwrap();
    h.call(
        "discover_feedback",
        json!({ "trackId": hidden, "verdict": "hide" }),
    )
    .unwrap();
    let again = h
        .call("discover_daily", json!({ "refresh": true }))
        .unwrap();
    let ids: Vec<i64> = again["tracks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["track"]["id"].as_i64().unwrap())
        .collect();
    assert!(!ids.contains(&hidden), "{again}");
    let stored = h
        .call("discover_daily", json!({ "day": day, "refresh": false }))
        .unwrap();
    assert_eq!(stored["tracks"], again["tracks"]);

    // Bad input is an error the UI can branch on.
    let err = h
        .call(
            "discover_feedback",
            json!({ "trackId": hidden, "verdict": "love" }),
        )
        .unwrap_err();
    assert_eq!(err["kind"], "bad_feedback");
    let err = h
        .call(
            "discover_feedback",
            json!({ "trackId": 9999, "verdict": "like" }),
        )
        .unwrap_err();
    assert_eq!(err["kind"], "unknown_track");
    let err = h
        .call(
            "discover_daily",
            json!({ "day": "yesterday", "refresh": false }),
        )
        .unwrap_err();
    assert_eq!(err["kind"], "bad_date");
}

#[test]
fn a_scan_through_the_job_runner_answers_with_its_report_and_the_analysis_follows() {
    let h = Harness::new();
    std::fs::copy(
        fixture("full_test.flac"),
        h.music.join("Artist/Album/a.flac"),
    )
    .unwrap();
    // A file whose sample table claims 2³¹ entries once aborted the whole app at every start.
    let hostile = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/hostile/aac-stsc-count-2g.m4a");
    std::fs::copy(hostile, h.music.join("Artist/Album/b.m4a")).unwrap();
    h.call("add_folder", json!({ "path": h.music })).unwrap();
    let report = h.call("scan_library", json!({})).unwrap();
    assert_eq!(report["added"], 2, "{report}");
    // The runner goes on to analyse the new track by itself (no command asks for it).
    let state = h.webview.state::<AppState>();
    let conn = state.connection().unwrap();
    let analysed = || -> i64 {
        conn.query_row("SELECT count(*) FROM track_analysis", [], |r| r.get(0))
            .unwrap()
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while analysed() < 2 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(analysed(), 2);
    // The app is still here, and says which file failed and why.
    let error: String = conn
        .query_row(
            "SELECT a.error FROM track_analysis a JOIN tracks t ON t.id = a.track_id
             WHERE t.path LIKE '%b.m4a'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        error.contains("b.m4a") && error.contains("claims"),
        "{error}"
    );
    // A bad action is refused by its type.
    let err = h
        .call("job_control", json!({ "action": "explode" }))
        .unwrap_err();
    assert!(err.as_str().unwrap().contains("unknown variant"), "{err}");
}

#[test]
fn settings_commands_check_store_and_reset_and_folders_are_removed() {
    let h = Harness::new();
    let view = h.call("settings_view", json!({})).unwrap();
    let keys: Vec<&str> = view["settings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, sonare::settings::keys());
    assert!(view["data_dir"].as_str().unwrap().ends_with("data"));
    let set = h
        .call(
            "set_setting",
            json!({ "key": "normalisation", "value": "album" }),
        )
        .unwrap();
    assert_eq!(set["normalisation"], "album");
    let err = h
        .call(
            "set_setting",
            json!({ "key": "crossfade_seconds", "value": 60 }),
        )
        .unwrap_err();
    assert_eq!(err["kind"], "setting", "{err}");
    let back = h
        .call(
            "set_setting",
            json!({ "key": "normalisation", "value": null, "reset": true }),
        )
        .unwrap();
    assert_eq!(back["normalisation"], "track");

    h.library_of(&[("full_test.flac", "a.flac")]);
    let folder = h.call("list_folders", json!({})).unwrap()[0]["path"].clone();
    h.call("remove_folder", json!({ "path": folder })).unwrap();
    assert_eq!(h.call("list_folders", json!({})).unwrap(), json!([]));
    let err = h
        .call("remove_folder", json!({ "path": "/nowhere" }))
        .unwrap_err();
    assert_eq!(err["kind"], "not_found", "{err}");
}

#[test]
fn held_background_work_waits_until_released() {
    let h = Harness::new();
    let jobs = h.webview.state::<crate::state::Jobs>();
    jobs.hold_background(true);
    std::fs::copy(
        fixture("full_test.flac"),
        h.music.join("Artist/Album/a.flac"),
    )
    .unwrap();
    h.call("add_folder", json!({ "path": h.music })).unwrap();
    // The scan is never held; the analysis after it is.
    let report = h.call("scan_library", json!({})).unwrap();
    assert_eq!(report["added"], 1, "{report}");
    let state = h.webview.state::<AppState>();
    let conn = state.connection().unwrap();
    let analysed = || -> i64 {
        conn.query_row("SELECT count(*) FROM track_analysis", [], |r| r.get(0))
            .unwrap()
    };
    std::thread::sleep(std::time::Duration::from_secs(2));
    assert_eq!(analysed(), 0, "the analysis ran while held");
    jobs.hold_background(false);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while analysed() < 1 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(analysed(), 1);
}

/// Names of the commands in `text` between `start` and the next `end`, each read by `name`.
fn names_between(
    text: &str,
    start: &str,
    end: &str,
    name: impl Fn(&str) -> Option<String>,
) -> Vec<String> {
    let from = text
        .find(start)
        .unwrap_or_else(|| panic!("{start:?} not found"))
        + start.len();
    let to = from + text[from..].find(end).unwrap();
    let mut names: Vec<String> = text[from..to]
        .lines()
        .filter_map(|l| name(l.trim()))
        .collect();
    names.sort();
    names
}

#[test]
fn the_four_command_lists_agree() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let read = |p: &str| std::fs::read_to_string(dir.join(p)).unwrap();
    let quoted = |l: &str| {
        let l = l.trim_end_matches(',');
        (l.starts_with('"') && l.ends_with('"')).then(|| l.trim_matches('"').to_owned())
    };
    let registered = names_between(&read("src/main.rs"), "generate_handler![", "])", |l| {
        l.strip_prefix("commands::")
            .and_then(|p| p.trim_end_matches(',').rsplit("::").next())
            .map(str::to_owned)
    });
    let built = names_between(&read("build.rs"), "COMMANDS: &[&str] = &[", "];", quoted);
    let granted = names_between(
        &read("capabilities/default.json"),
        "\"permissions\": [",
        "]",
        |l| {
            quoted(l)?
                .strip_prefix("allow-")
                .map(|n| n.replace('-', "_"))
        },
    );
    let api = read("../ui/js/api/index.js");
    let mut called: Vec<String> = api
        .split("call('")
        .skip(1)
        .filter_map(|rest| rest.split('\'').next().map(str::to_owned))
        .collect();
    called.sort();
    called.dedup();
    assert!(registered.len() > 20, "{registered:?}");
    assert_eq!(registered, built, "generate_handler! and build.rs");
    assert_eq!(
        registered, granted,
        "generate_handler! and the capability file"
    );
    assert_eq!(
        registered, called,
        "generate_handler! and ui/js/api/index.js"
    );
}
