//! The library scan on real files in a real SQLite database: tags, path fallback, content probing,
//! covers, incremental rescans (unchanged, changed, moved, missing, back again) and broken files.

mod common;

use std::path::Path;

use common::*;
use lofty::picture::{MimeType, Picture, PictureType};
use lofty::tag::{Accessor, ItemKey};
use rusqlite::Connection;
use sonare::db;
use sonare::library::browse::{self, TrackQuery, TrackRow};
use sonare::library::{self, CoverCache, ScanOptions, ScanReport};

struct Library {
    _tmp: tempfile::TempDir,
    music: std::path::PathBuf,
    data: std::path::PathBuf,
    conn: Connection,
}

impl Library {
    fn new() -> Self {
        let tmp = tempfile::tempdir().unwrap();
        let music = tmp.path().join("music");
        let data = tmp.path().join("data");
        std::fs::create_dir_all(&music).unwrap();
        let conn = db::open(&data_db(&data)).unwrap();
        library::add_folder(&conn, &music).unwrap();
        Self {
            _tmp: tmp,
            music,
            data,
            conn,
        }
    }

    fn scan(&mut self) -> ScanReport {
        let covers = CoverCache::new(&self.data.join("covers")).unwrap();
        library::scan(
            &mut self.conn,
            &covers,
            &ScanOptions::default(),
            &mut |_| {},
        )
        .unwrap()
    }

    fn tracks(&self) -> Vec<TrackRow> {
        browse::list_tracks(
            &self.conn,
            &TrackQuery {
                include_missing: true,
                ..Default::default()
            },
        )
        .unwrap()
    }

    fn track_at(&self, rel: &str) -> TrackRow {
        let path = self.music.join(rel).canonicalize().unwrap();
        self.tracks()
            .into_iter()
            .find(|t| Path::new(&t.path) == path)
            .unwrap_or_else(|| panic!("no track at {rel}"))
    }
}

fn data_db(data: &Path) -> std::path::PathBuf {
    std::fs::create_dir_all(data).unwrap();
    data.join("library.sqlite3")
}

#[test]
fn tags_are_read_and_missing_tags_fall_back_to_the_path() {
    let mut lib = Library::new();
    copy(
        &demo_file("victory.ogg"),
        &lib.music.join("wesnoth/victory.ogg"),
    );
    copy(
        &demo_file("machine_wars.mp3"),
        &lib.music.join("ASC Crew/Game Music/07 Machine Wars.mp3"),
    );
    let report = lib.scan();
    assert_eq!((report.added, report.failed.len()), (2, 0), "{report:?}");

    let victory = lib.track_at("wesnoth/victory.ogg");
    assert_eq!(victory.title, "Victory");
    assert_eq!(victory.artist, "Timothy Pinkham");
    assert_eq!(victory.album, "The Battle for Wesnoth OST");
    assert_eq!(victory.codec, "vorbis");
    assert_eq!(victory.sample_rate, Some(44100));
    assert!((victory.duration_s.unwrap() - 5.457).abs() < 0.01);
    assert!(victory.year.is_some() && victory.genre.is_some());

    // asc-music's MP3s carry no tags at all.
    let untagged = lib.track_at("ASC Crew/Game Music/07 Machine Wars.mp3");
    assert_eq!(untagged.title, "Machine Wars");
    assert_eq!(untagged.artist, "ASC Crew");
    assert_eq!(untagged.album, "Game Music");
    assert_eq!(untagged.track_no, Some(7));
    assert_eq!(untagged.codec, "mp3");
}

#[test]
fn the_format_is_probed_from_content_not_the_extension() {
    let mut lib = Library::new();
    copy(
        &demo_file("victory.ogg"),
        &lib.music.join("really-ogg.flac"),
    );
    copy(
        &minimal("full_test.flac"),
        &lib.music.join("really-flac.mp3"),
    );
    copy(&minimal("full_test.mp3"), &lib.music.join("no-extension"));
    let report = lib.scan();
    assert_eq!(report.added, 3, "{report:?}");
    assert_eq!(lib.track_at("really-ogg.flac").codec, "vorbis");
    assert_eq!(lib.track_at("really-flac.mp3").codec, "flac");
    assert_eq!(lib.track_at("no-extension").codec, "mp3");
}

#[test]
fn every_tag_field_is_stored_and_text_is_cleaned() {
    let mut lib = Library::new();
    let file = lib.music.join("tagged.flac");
    copy(&minimal("full_test.flac"), &file);
    retag(&file, |tag| {
        tag.set_title("  Spaced\0 Title  ".into());
        tag.set_artist("Artist".into());
        tag.set_album("Album".into());
        tag.insert_text(ItemKey::AlbumArtist, "Various".into());
        tag.set_track(3);
        tag.set_track_total(9);
        tag.set_disk(2);
        tag.set_genre("Jazz".into());
        tag.insert_text(ItemKey::RecordingDate, "1959-08-17".into());
        tag.insert_text(ItemKey::Composer, "Miles Davis".into());
        tag.insert_text(
            ItemKey::MusicBrainzRecordingId,
            "8f3471b5-7e6a-48da-86a9-c1c07a0f47ae".into(),
        );
        tag.insert_text(ItemKey::ReplayGainTrackGain, "-6.50 dB".into());
        tag.insert_text(ItemKey::ReplayGainAlbumPeak, "0.988".into());
    });
    lib.scan();
    let row = lib.track_at("tagged.flac");
    assert_eq!(row.title, "Spaced Title");
    assert_eq!(row.album_artist.as_deref(), Some("Various"));
    assert_eq!(
        (row.track_no, row.disc_no, row.year),
        (Some(3), Some(2), Some(1959))
    );
    let (composer, mbid, gain, peak): (String, String, f64, f64) = lib
        .conn
        .query_row(
            "SELECT composer, mb_recording_id, rg_track_gain, rg_album_peak FROM tracks WHERE id = ?1",
            [row.id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!(composer, "Miles Davis");
    assert_eq!(mbid, "8f3471b5-7e6a-48da-86a9-c1c07a0f47ae");
    assert_eq!((gain, peak), (-6.5, 0.988));
}

#[test]
fn tag_text_that_looks_like_html_is_stored_verbatim() {
    let mut lib = Library::new();
    let file = lib.music.join("xss.flac");
    copy(&minimal("full_test.flac"), &file);
    retag(&file, |tag| {
        tag.set_title("<img src=x onerror=alert(1)>".into())
    });
    lib.scan();
    assert_eq!(
        lib.track_at("xss.flac").title,
        "<img src=x onerror=alert(1)>"
    );
}

fn png(color: [u8; 3]) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(600, 600, image::Rgb(color));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

#[test]
fn cover_art_is_stored_once_per_distinct_image() {
    let mut lib = Library::new();
    let art = png([200, 30, 30]);
    for name in ["a/1.flac", "a/2.flac"] {
        let file = lib.music.join(name);
        copy(&minimal("full_test.flac"), &file);
        let art = art.clone();
        retag(&file, move |tag| {
            tag.push_picture(
                Picture::unchecked(art)
                    .pic_type(PictureType::CoverFront)
                    .mime_type(MimeType::Png)
                    .build(),
            )
        });
    }
    // A folder with no embedded art but a cover.jpg beside the files.
    copy(&minimal("full_test.mp3"), &lib.music.join("b/1.mp3"));
    let jpg = image::RgbImage::from_pixel(300, 300, image::Rgb([10, 10, 200]));
    jpg.save(lib.music.join("b/cover.jpg")).unwrap();
    lib.scan();

    let one = lib.track_at("a/1.flac").cover.expect("embedded cover");
    assert_eq!(
        lib.track_at("a/2.flac").cover.as_deref(),
        Some(one.as_str())
    );
    let beside = lib
        .track_at("b/1.mp3")
        .cover
        .expect("cover.jpg beside the file");
    assert_ne!(one, beside);
    let covers: i64 = lib
        .conn
        .query_row("SELECT COUNT(*) FROM covers", [], |r| r.get(0))
        .unwrap();
    assert_eq!(covers, 2);
    let thumb = image::open(lib.data.join("covers").join(&one)).unwrap();
    assert_eq!((thumb.width(), thumb.height()), (256, 256));
}

#[test]
fn rescans_are_incremental_and_files_keep_their_identity() {
    let mut lib = Library::new();
    copy(&demo_file("victory.ogg"), &lib.music.join("x/victory.ogg"));
    copy(&demo_file("defeat.ogg"), &lib.music.join("x/defeat.ogg"));
    copy(&demo_file("silence.ogg"), &lib.music.join("x/silence.ogg"));
    assert_eq!(lib.scan().added, 3);
    let victory_id = lib.track_at("x/victory.ogg").id;
    let defeat_id = lib.track_at("x/defeat.ogg").id;
    let silence_id = lib.track_at("x/silence.ogg").id;

    let report = lib.scan();
    assert_eq!((report.unchanged, report.added, report.updated), (3, 0, 0));

    // Changed content: re-read, same id.
    retag(&lib.music.join("x/silence.ogg"), |tag| {
        tag.set_title("Hush".into())
    });
    let report = lib.scan();
    assert_eq!((report.updated, report.unchanged), (1, 2), "{report:?}");
    assert_eq!(lib.track_at("x/silence.ogg").title, "Hush");
    assert_eq!(lib.track_at("x/silence.ogg").id, silence_id);

    // Moved and renamed: same id, new path.
    std::fs::create_dir_all(lib.music.join("y")).unwrap();
    std::fs::rename(
        lib.music.join("x/victory.ogg"),
        lib.music.join("y/renamed.ogg"),
    )
    .unwrap();
    let report = lib.scan();
    assert_eq!(
        (report.moved, report.added, report.missing),
        (1, 0, 0),
        "{report:?}"
    );
    assert_eq!(lib.track_at("y/renamed.ogg").id, victory_id);

    // Deleted: marked missing, not removed, and hidden from the default listing.
    let kept = std::fs::read(lib.music.join("x/defeat.ogg")).unwrap();
    std::fs::remove_file(lib.music.join("x/defeat.ogg")).unwrap();
    let report = lib.scan();
    assert_eq!(report.missing, 1);
    let gone = lib
        .tracks()
        .into_iter()
        .find(|t| t.id == defeat_id)
        .unwrap();
    assert!(gone.missing);
    let visible = browse::list_tracks(&lib.conn, &TrackQuery::default()).unwrap();
    assert!(visible.iter().all(|t| t.id != defeat_id));

    // Back again under another name: the same track, with its history.
    std::fs::write(lib.music.join("y/defeat-restored.ogg"), kept).unwrap();
    let report = lib.scan();
    assert_eq!((report.moved, report.added), (1, 0), "{report:?}");
    let back = lib.track_at("y/defeat-restored.ogg");
    assert_eq!((back.id, back.missing), (defeat_id, false));
}

#[test]
fn broken_files_never_abort_a_scan_and_each_failure_has_a_reason() {
    let mut lib = Library::new();
    let broken = fixtures().join("broken-tags");
    library::add_folder(&lib.conn, &broken).unwrap();
    let report = lib.scan();
    assert!(!report.cancelled);
    assert!(
        report.added > 50,
        "real files among the fixtures import: {report:?}"
    );
    assert!(
        report.failed.len() > 20,
        "broken files are reported: {}",
        report.failed.len()
    );
    for failure in &report.failed {
        assert!(failure
            .path
            .starts_with(broken.canonicalize().unwrap().to_str().unwrap()));
        assert!(!failure.error.is_empty());
    }
    // Every file with an audio extension is accounted for: imported or listed with its reason.
    let tracks = lib.tracks();
    let failed: Vec<&str> = report.failed.iter().map(|f| f.path.as_str()).collect();
    for entry in walkdir::WalkDir::new(broken.canonicalize().unwrap())
        .into_iter()
        .filter_map(Result::ok)
    {
        let ext = entry
            .path()
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase());
        if !matches!(
            ext.as_deref(),
            Some("mp3" | "flac" | "ogg" | "wav" | "m4a" | "opus" | "aiff" | "aac")
        ) {
            continue;
        }
        let path = entry.path().to_string_lossy();
        assert!(
            tracks.iter().any(|t| t.path == path) || failed.contains(&path.as_ref()),
            "{path} neither imported nor reported"
        );
    }
    // The second scan re-reads none of them.
    let again = lib.scan();
    assert_eq!((again.added, again.updated), (0, 0));
    assert_eq!(again.failed, report.failed);
}

#[test]
fn a_panicking_reader_becomes_that_files_error() {
    let path = Path::new("/music/evil.mp3");
    let result: Result<(), _> = library::isolate(path, || panic!("index out of bounds"));
    let err = result.unwrap_err();
    assert!(matches!(err, library::ScanError::Panicked { .. }));
    assert!(err.to_string().contains("/music/evil.mp3"));
    assert!(err.reason().contains("index out of bounds"));
}

#[test]
fn symlink_loops_are_reported_not_fatal() {
    let mut lib = Library::new();
    copy(&minimal("full_test.mp3"), &lib.music.join("a/song.mp3"));
    std::os::unix::fs::symlink(lib.music.join("a"), lib.music.join("a/loop")).unwrap();
    let report = lib.scan();
    assert_eq!(report.added, 1);
    assert!(
        report.walk_errors.iter().any(|e| e.error.contains("loop")),
        "{:?}",
        report.walk_errors
    );
}

#[test]
fn search_and_sort_work_on_the_library() {
    let mut lib = Library::new();
    for (name, title, artist) in [
        ("1.flac", "Blue in Green", "Miles Davis"),
        ("2.flac", "Naima", "John Coltrane"),
        ("3.flac", "So What", "Miles Davis"),
    ] {
        let file = lib.music.join(name);
        copy(&minimal("full_test.flac"), &file);
        retag(&file, |tag| {
            tag.set_title(title.into());
            tag.set_artist(artist.into());
        });
    }
    lib.scan();
    let query = |search: &str, sort| {
        browse::list_tracks(
            &lib.conn,
            &TrackQuery {
                search: search.into(),
                sort,
                ..Default::default()
            },
        )
        .unwrap()
        .into_iter()
        .map(|t| t.title)
        .collect::<Vec<_>>()
    };
    use sonare::library::browse::SortKey;
    assert_eq!(
        query("", SortKey::Title),
        ["Blue in Green", "Naima", "So What"]
    );
    assert_eq!(query("davis", SortKey::Title), ["Blue in Green", "So What"]);
    assert_eq!(query("what MILES", SortKey::Title), ["So What"]);
    assert_eq!(query("100%_", SortKey::Title), Vec::<String>::new());
    assert_eq!(query("", SortKey::Artist)[0], "Naima");
}
