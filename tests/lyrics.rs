//! Lyrics through the scan and the core facade: from every tag type (ID3v2 USLT and SYLT, Vorbis
//! LYRICS and UNSYNCEDLYRICS, MP4 ©lyr, APE) and from an .lrc file beside the audio, which is
//! noticed when it is added or removed later; hostile lyrics are bounded and never break a scan.

mod common;

use std::path::PathBuf;

use common::{copy, minimal, retag, TempLibrary};
use lofty::config::WriteOptions;
use lofty::id3::v2::{
    BinaryFrame, Frame, FrameId, Id3v2Tag, SyncTextContentType, SynchronizedTextFrame,
    TimestampFormat,
};
use lofty::tag::{ItemKey, TagExt};
use lofty::TextEncoding;

fn lyrics_of(lib: &TempLibrary, name: &str) -> Option<sonare::library::lyrics::Lyrics> {
    lib.app().track_details(lib.track_id(name)).unwrap().lyrics
}

/// A copy of a minimal fixture in a temporary folder, edited.
fn tagged(tmp: &tempfile::TempDir, fixture: &str, name: &str, key: ItemKey, text: &str) -> PathBuf {
    let path = tmp.path().join(name);
    copy(&minimal(fixture), &path);
    retag(&path, |tag| {
        tag.remove_key(ItemKey::Lyrics);
        tag.remove_key(ItemKey::UnsyncLyrics);
        tag.insert_text(key, text.to_owned());
    });
    path
}

fn with_sylt(tmp: &tempfile::TempDir, name: &str) -> PathBuf {
    let path = tmp.path().join(name);
    copy(&minimal("full_test.mp3"), &path);
    let frame = SynchronizedTextFrame::new(
        TextEncoding::UTF8,
        *b"kor",
        TimestampFormat::MS,
        SyncTextContentType::Lyrics,
        None,
        vec![
            (500, "첫 줄".into()),
            (4200, "둘째 줄".into()),
            (9000, "끝".into()),
        ],
    );
    let bytes = frame.as_bytes(WriteOptions::default()).unwrap();
    let mut tag = Id3v2Tag::new();
    tag.insert(Frame::Binary(BinaryFrame::new(
        FrameId::Valid("SYLT".into()),
        bytes,
    )));
    tag.save_to_path(&path, WriteOptions::default()).unwrap();
    path
}

#[test]
fn lyrics_are_read_from_every_tag_type_and_shown_with_the_track() {
    let tmp = tempfile::tempdir().unwrap();
    let files = [
        tagged(
            &tmp,
            "full_test.mp3",
            "uslt.mp3",
            ItemKey::UnsyncLyrics,
            "Hello from USLT\nline two",
        ),
        with_sylt(&tmp, "sylt.mp3"),
        tagged(
            &tmp,
            "full_test.flac",
            "vorbis.flac",
            ItemKey::Lyrics,
            "Vorbis words",
        ),
        tagged(
            &tmp,
            "full_test.ogg",
            "unsynced.ogg",
            ItemKey::UnsyncLyrics,
            "Unsynced words",
        ),
        tagged(
            &tmp,
            "m4a_codec_aac.m4a",
            "itunes.m4a",
            ItemKey::Lyrics,
            "MP4 words",
        ),
        tagged(
            &tmp,
            "full_test.ape",
            "ape.ape",
            ItemKey::Lyrics,
            "APE words",
        ),
        tagged(
            &tmp,
            "full_test.flac",
            "lrc-in-tag.flac",
            ItemKey::Lyrics,
            "[00:01.00]One\n[00:02.50]Two",
        ),
    ];
    let names: Vec<String> = files
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    let pairs: Vec<(&std::path::Path, &str)> = files
        .iter()
        .zip(&names)
        .map(|(p, n)| (p.as_path(), n.as_str()))
        .collect();
    let lib = TempLibrary::with_files(&pairs);

    let uslt = lyrics_of(&lib, "uslt.mp3").expect("USLT");
    assert_eq!(
        (uslt.source.as_str(), uslt.text.as_str()),
        ("uslt", "Hello from USLT\nline two")
    );
    let sylt = lyrics_of(&lib, "sylt.mp3").expect("SYLT");
    assert_eq!(sylt.source, "sylt");
    assert_eq!(
        sylt.timed.unwrap(),
        vec![
            (500, "첫 줄".to_owned()),
            (4200, "둘째 줄".to_owned()),
            (9000, "끝".to_owned())
        ]
    );
    for (name, source, text) in [
        ("vorbis.flac", "vorbis", "Vorbis words"),
        ("unsynced.ogg", "vorbis", "Unsynced words"),
        ("itunes.m4a", "mp4", "MP4 words"),
        ("ape.ape", "ape", "APE words"),
    ] {
        let l = lyrics_of(&lib, name).unwrap_or_else(|| panic!("{name}: no lyrics"));
        assert_eq!(
            (l.source.as_str(), l.text.as_str(), l.timed),
            (source, text, None),
            "{name}"
        );
    }
    let lrc = lyrics_of(&lib, "lrc-in-tag.flac").unwrap();
    assert_eq!(
        lrc.timed.unwrap(),
        vec![(1000, "One".to_owned()), (2500, "Two".to_owned())]
    );

    // The lyrics' first lines are part of the text the sentence model embeds.
    let conn = sonare::db::open(&lib.db).unwrap();
    let docs = sonare::text::embed::documents::track_documents(&conn).unwrap();
    let uslt_doc = docs
        .iter()
        .find(|d| d.track_id == lib.track_id("uslt.mp3"))
        .unwrap();
    assert!(
        uslt_doc.text.ends_with("Hello from USLT / line two"),
        "{}",
        uslt_doc.text
    );
}

#[test]
fn an_lrc_file_beside_the_audio_wins_and_is_noticed_when_added_or_removed() {
    let tmp = tempfile::tempdir().unwrap();
    let song = tagged(
        &tmp,
        "full_test.flac",
        "song.flac",
        ItemKey::Lyrics,
        "From the tag",
    );
    let lib = TempLibrary::with_files(&[(&song, "song.flac")]);
    assert_eq!(lyrics_of(&lib, "song.flac").unwrap().source, "vorbis");

    let app = lib.app();
    let control = sonare::jobs::JobControl::default();
    // Saved with a byte-order mark, as some editors do; the header lines are not lyrics.
    std::fs::write(
        lib.music.join("song.lrc"),
        "\u{feff}[ar:Someone]\n[ti:Song]\n[00:10.00]열 초\n[00:20.00]스무 초\n",
    )
    .unwrap();
    let report = app.scan(None, &control, &mut |_| {}).unwrap();
    assert_eq!(report.updated, 1, "{report:?}");
    let l = lyrics_of(&lib, "song.flac").unwrap();
    assert_eq!(l.source, "lrc");
    assert_eq!(l.text, "열 초\n스무 초");
    assert_eq!(l.timed.unwrap()[1], (20_000, "스무 초".to_owned()));

    std::fs::remove_file(lib.music.join("song.lrc")).unwrap();
    app.scan(None, &control, &mut |_| {}).unwrap();
    assert_eq!(lyrics_of(&lib, "song.flac").unwrap().source, "vorbis");
}

#[test]
fn hostile_lyrics_are_bounded_and_a_broken_lrc_is_plain_text() {
    let tmp = tempfile::tempdir().unwrap();
    let huge = "가나다라마바사\n".repeat(40_000); // ~880 KB
    let song = tagged(&tmp, "full_test.flac", "huge.flac", ItemKey::Lyrics, &huge);
    let other = tmp.path().join("other.flac");
    copy(&minimal("full_test.flac"), &other);
    std::fs::write(
        tmp.path().join("other.lrc"),
        b"[00:aa]\xff\xfe not utf-8 \x00 [99:99]\n",
    )
    .unwrap();
    let lib = TempLibrary::with_files(&[(&song, "huge.flac"), (&other, "other.flac")]);
    let l = lyrics_of(&lib, "huge.flac").unwrap();
    assert!(l.text.len() <= 64 * 1024, "{} bytes kept", l.text.len());
    // Copied into the library, the .lrc beside other.flac is there from the first scan.
    std::fs::copy(tmp.path().join("other.lrc"), lib.music.join("other.lrc")).unwrap();
    lib.app()
        .scan(None, &sonare::jobs::JobControl::default(), &mut |_| {})
        .unwrap();
    let l = lyrics_of(&lib, "other.flac").unwrap();
    assert_eq!(l.source, "lrc");
    assert_eq!(l.timed, None);
    assert!(!l.text.contains('\u{0}'));
}
