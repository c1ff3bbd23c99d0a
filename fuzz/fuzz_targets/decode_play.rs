//! The player's decoder: open, decode, seek (where the second byte says), decode on.
#![no_main]

use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use sonare::audio::TrackDecoder;

/// Packets decoded per input at most, so one long stream does not slow the run.
const MAX_CHUNKS: usize = 4000;

fuzz_target!(|data: &[u8]| {
    sonare_fuzz::product_panics();
    let Some(&seek_byte) = data.get(1) else {
        return;
    };
    let Some(path) = sonare_fuzz::audio_file(data) else {
        return;
    };
    let Ok(mut decoder) = TrackDecoder::open(&path) else {
        return;
    };
    let mut out = Vec::new();
    for n in 0..MAX_CHUNKS {
        out.clear();
        if n == 8 && seek_byte & 1 == 1 {
            let _ = decoder.seek(Duration::from_millis(u64::from(seek_byte) * 40));
        }
        match decoder.next_chunk(&mut out) {
            Ok(true) => {}
            _ => break,
        }
    }
});
