//! Tag reading and probing, as the scan does it: lofty, then symphonia's probe for what lofty
//! cannot parse. A clean error is fine; a panic, an abort or an allocation past libFuzzer's limit is
//! a finding.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    sonare_fuzz::product_panics();
    if let Some(path) = sonare_fuzz::audio_file(data) {
        // As the scan reads a file: behind `isolate`, which turns a reader's panic into an error.
        let _ = sonare::library::isolate(&path, || sonare::library::read::read_track(&path));
    }
});
