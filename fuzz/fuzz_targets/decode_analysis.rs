//! The analysis path without the CNN: decode the whole file, resample, loudness, tempo, key.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    sonare_fuzz::product_panics();
    if let Some(path) = sonare_fuzz::audio_file(data) {
        let _ = sonare::analysis::track::analyze_track_with(&path, None, Some(1));
    }
});
