//! Imports of files that are cut short or hold values that cannot be true.

mod common;

use common::taste::{count, library, snapshot};
use sonare::cf::import::{self, HistoryFormat, ImportError};

#[test]
fn an_xspf_cut_short_is_an_error_for_the_whole_file_and_stores_nothing() {
    let lib = library();
    let mut conn = sonare::db::open(&lib.db).unwrap();
    let before = snapshot(&conn);
    let cut = lib.tmp.path().join("cut.xspf");
    std::fs::write(
        &cut,
        r#"<?xml version="1.0"?>
<playlist version="1" xmlns="http://xspf.org/ns/0/">
  <trackList>
    <track><creator>Björk</creator><title>Jóga</title></track>
    <track><creator>Daft Punk</creator><title>One More"#,
    )
    .unwrap();
    let err = import::import_history(&mut conn, &cut, HistoryFormat::Xspf).unwrap_err();
    assert!(matches!(err, ImportError::Broken { .. }), "{err}");
    assert!(err.to_string().contains("cut.xspf") && err.to_string().contains("cut short"));
    assert_eq!(snapshot(&conn), before);
}

#[test]
fn plays_that_cannot_be_true_are_skipped_with_the_reason_and_symbol_names_are_names() {
    let lib = library();
    let mut conn = sonare::db::open(&lib.db).unwrap();
    let long = "x".repeat(5000);
    let entry = |ts: &str, ms: i64, artist: &str, title: &str| {
        serde_json::json!({"ts": ts, "ms_played": ms, "master_metadata_album_artist_name": artist,
            "master_metadata_track_name": title, "skipped": false})
    };
    let history = serde_json::json!([
        entry("2023-01-05T10:04:00Z", -5_000_000, "Björk", "Jóga"),
        entry("2023-01-05T10:04:00Z", 90_000_000, "Björk", "Jóga"),
        entry("1971-01-05T10:04:00Z", 60_000, "Björk", "Jóga"),
        entry("2999-01-05T10:04:00Z", 60_000, "Björk", "Jóga"),
        entry("2023-01-05T10:04:00Z", 60_000, &long, "Jóga"),
        entry("2023-01-05T10:04:00Z", 60_000, "!!!", "Heart of Hearts"),
        entry("2023-01-05T10:09:00Z", 60_000, "$", "*******"),
        entry("2023-01-05T10:14:00Z", 60_000, "Björk", "Jóga"),
    ]);
    let path = lib.tmp.path().join("odd.json");
    std::fs::write(&path, history.to_string()).unwrap();
    let report = import::import_history(&mut conn, &path, HistoryFormat::Spotify).unwrap();
    assert_eq!((report.read, report.imported), (8, 3), "{report:?}");
    let reasons: Vec<&str> = report
        .skipped_lines
        .iter()
        .map(|s| s.reason.as_str())
        .collect();
    assert!(reasons[0].contains("ms_played -5000000"), "{reasons:?}");
    assert!(reasons[1].contains("ms_played 90000000"), "{reasons:?}");
    assert!(reasons[2].contains("before 2000"), "{reasons:?}");
    assert!(reasons[3].contains("in the future"), "{reasons:?}");
    assert!(reasons[4].contains("4096 bytes"), "{reasons:?}");
    // "!!!" and "$" are two artists of their own, not one empty name.
    let artists = count(
        &conn,
        "SELECT count(DISTINCT key) FROM ext_items WHERE key IN ('t:!!!\u{1f}heart of hearts', 't:$\u{1f}*******')",
    );
    assert_eq!(artists, 2);
}
