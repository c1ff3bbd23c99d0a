//! Every shared co-listening format but factors (which has a target of its own).
#![no_main]

use libfuzzer_sys::fuzz_target;
use sonare::cf::import::{import_shared, SharedFormat};

const FORMATS: &[(SharedFormat, &str)] = &[
    (SharedFormat::Hetrec, "dat"),
    (SharedFormat::LastfmLog, "tsv"),
    (SharedFormat::Mpd, "json"),
];

fuzz_target!(|data: &[u8]| {
    sonare_fuzz::product_panics();
    let Some((&pick, body)) = data.split_first() else {
        return;
    };
    let (format, ext) = FORMATS[pick as usize % FORMATS.len()];
    let path = sonare_fuzz::input_file(&format!("shared.{ext}"), body);
    sonare_fuzz::with_library(|conn| {
        let _ = import_shared(conn, &path, format);
    });
});
