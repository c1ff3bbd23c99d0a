//! Files lofty misreads or whose container does not say how long they are (audio-lena's 12.3 s clip).

mod common;

use std::path::PathBuf;

use common::{audio_lena, TempLibrary};
use sonare::analysis::job::{self, JobControl, JobOptions};
use sonare::library::browse::{list_tracks, TrackQuery};

#[test]
fn a_caf_lofty_misreads_is_read_by_symphonia_and_webm_lengths_come_from_the_decoder() {
    let lena = audio_lena();
    let files: Vec<(PathBuf, &str)> = ["lena.caf", "lena.webm", "lena-vorbis.webm", "lena.wav"]
        .iter()
        .map(|n| (lena.join(n), *n))
        .collect();
    let refs: Vec<(&std::path::Path, &str)> =
        files.iter().map(|(p, n)| (p.as_path(), *n)).collect();
    let lib = TempLibrary::with_files(&refs);
    let conn = sonare::db::open(&lib.db).unwrap();
    let duration = |name: &str| {
        list_tracks(&conn, &TrackQuery::default())
            .unwrap()
            .into_iter()
            .find(|t| t.path.ends_with(name))
            .unwrap_or_else(|| panic!("{name} is not in the library"))
            .duration_s
            .unwrap()
    };
    // lofty takes this 16-bit LPCM CAF for MPEG and fails; symphonia reads it.
    assert!(
        (duration("lena.caf") - 12.27).abs() < 0.05,
        "{}",
        duration("lena.caf")
    );
    let reference = duration("lena.wav");
    job::run(
        &conn,
        std::path::Path::new("/nonexistent/libonnxruntime.so.1.32.0"),
        &JobOptions::default(),
        &JobControl::default(),
        |_| {},
    )
    .unwrap();
    // The WebM container said about 0.26 s; decoding the whole file says 12.3 s.
    for webm in ["lena.webm", "lena-vorbis.webm"] {
        assert!(
            (duration(webm) - reference).abs() < 0.1,
            "{webm}: {} s, the WAV {reference} s",
            duration(webm)
        );
    }
    assert_eq!(
        duration("lena.wav"),
        reference,
        "a right length is left alone"
    );
}
