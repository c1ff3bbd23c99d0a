//! Every history and playlist format: the first byte picks the format, the rest is the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sonare::cf::import::{import_history, HistoryFormat};

const FORMATS: &[(HistoryFormat, &str)] = &[
    (HistoryFormat::Spotify, "json"),
    (HistoryFormat::Listenbrainz, "jsonl"),
    (HistoryFormat::Lastfm, "csv"),
    (HistoryFormat::M3u, "m3u8"),
    (HistoryFormat::Xspf, "xspf"),
];

fuzz_target!(|data: &[u8]| {
    sonare_fuzz::product_panics();
    let Some((&pick, body)) = data.split_first() else {
        return;
    };
    let (format, ext) = FORMATS[pick as usize % FORMATS.len()];
    let path = sonare_fuzz::input_file(&format!("history.{ext}"), body);
    sonare_fuzz::with_library(|conn| {
        let _ = import_history(conn, &path, format);
    });
});
