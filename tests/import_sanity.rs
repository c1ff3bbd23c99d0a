//! Imports of files that are cut short or hold values that cannot be true.

mod common;

use common::taste::{count, library, snapshot};
use sonare::cf::import::{self, HistoryFormat, ImportError, SharedFormat};

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

type ImportFn = dyn Fn(
    &mut rusqlite::Connection,
    &std::path::Path,
) -> Result<import::ImportReport, ImportError>;

#[test]
fn a_tab_separated_file_cut_mid_line_is_refused_whole_and_one_without_a_final_newline_is_not() {
    let lib = library();
    let mut conn = sonare::db::open(&lib.db).unwrap();
    let before = snapshot(&conn);
    let log = "u1\t2009-05-04T23:08:57Z\t\tDaft Punk\t\tOne More Time\n\
               u1\t2009-05-04T23:12:57Z\t\tBjörk\t\tJóga\n";
    let scrobbles = "me\t2023-05-01T10:00:00Z\tDaft Punk\tOne More Time\n\
                     me\t2023-05-01T10:05:00Z\tBjörk\tJóga\n";
    let hetrec_dir = lib.tmp.path().join("hetrec");
    std::fs::create_dir_all(&hetrec_dir).unwrap();
    std::fs::write(
        hetrec_dir.join("artists.dat"),
        "id\tname\turl\tpictureURL\n1\tBjörk\t\t\n",
    )
    .unwrap();
    let counts = "userID\tartistID\tweight\n1\t1\t10\n2\t1\t3\n";
    // Each file cut inside its last line (a partial download).
    let cases: [(&str, &str, Box<ImportFn>); 3] = [
        (
            "log.tsv",
            log,
            Box::new(|c, p| import::import_shared(c, p, SharedFormat::LastfmLog)),
        ),
        (
            "scrobbles.tsv",
            scrobbles,
            Box::new(|c, p| import::import_history(c, p, HistoryFormat::Lastfm)),
        ),
        (
            "hetrec/user_artists.dat",
            counts,
            Box::new(|c, p| import::import_shared(c, p, SharedFormat::Hetrec)),
        ),
    ];
    for (name, text, run) in &cases {
        let path = lib.tmp.path().join(name);
        let cut_at = text.trim_end().rfind('\t').unwrap();
        std::fs::write(&path, &text[..cut_at]).unwrap();
        let err = run(&mut conn, &path).unwrap_err();
        assert!(matches!(err, ImportError::Broken { .. }), "{name}: {err}");
        assert!(err.to_string().contains("cut short"), "{err}");
        assert_eq!(snapshot(&conn), before, "{name}: nothing stored");
    }
    // The same files whole but without their final newline import as usual.
    for (name, text, run) in &cases {
        let path = lib.tmp.path().join(name);
        std::fs::write(&path, text.trim_end()).unwrap();
        let report = run(&mut conn, &path).unwrap();
        assert_eq!(
            (report.imported, report.skipped),
            (2, 0),
            "{name}: {report:?}"
        );
    }
}

#[test]
fn a_line_or_name_too_long_to_be_true_is_skipped_and_the_rest_of_the_file_imported() {
    let lib = library();
    let mut conn = sonare::db::open(&lib.db).unwrap();
    let huge = "x".repeat(2 << 20);
    let long = "y".repeat(5000);
    let good = "u1\t2009-05-04T23:08:57Z\t\tDaft Punk\t\tOne More Time\n";
    let log = format!(
        "{good}u1\t2009-05-04T23:09:57Z\t\tDaft Punk\t\t{huge}\nu1\t2009-05-04T23:10:57Z\t\t{long}\t\tTitle\n{good}"
    );
    let path = lib.tmp.path().join("log.tsv");
    std::fs::write(&path, log).unwrap();
    let report = import::import_shared(&mut conn, &path, SharedFormat::LastfmLog).unwrap();
    assert_eq!(
        (report.read, report.imported, report.skipped),
        (4, 2, 2),
        "{report:?}"
    );
    assert!(report.skipped_lines[0]
        .reason
        .contains("longer than the 1048576 bytes"));
    assert_eq!(report.skipped_lines[0].at, "line 2");
    assert!(report.skipped_lines[1]
        .reason
        .contains("longer than 4096 bytes"));
    // A playlist whose title runs on.
    let xspf = format!(
        r#"<?xml version="1.0"?><playlist version="1" xmlns="http://xspf.org/ns/0/"><trackList>
        <track><creator>Daft Punk</creator><title>{long}</title></track>
        <track><creator>Daft Punk</creator><title>One More Time</title></track></trackList></playlist>"#
    );
    let path = lib.tmp.path().join("long.xspf");
    std::fs::write(&path, xspf).unwrap();
    let report = import::import_history(&mut conn, &path, HistoryFormat::Xspf).unwrap();
    assert_eq!((report.imported, report.skipped), (1, 1), "{report:?}");
    assert!(report.skipped_lines[0]
        .reason
        .contains("longer than 4096 bytes"));
    let longest = count(
        &conn,
        "SELECT coalesce(max(length(artist) + length(title)), 0) FROM ext_items",
    );
    assert!(longest < 200, "nothing long was stored: {longest}");
}
