//! The factor-file reader: import item factors, then load them as the model the app would use.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sonare::cf::import::{import_shared, SharedFormat};
use sonare::cf::shared_model::SharedModel;

fuzz_target!(|data: &[u8]| {
    sonare_fuzz::product_panics();
    let path = sonare_fuzz::input_file("factors.jsonl", data);
    sonare_fuzz::with_library(|conn| {
        if import_shared(conn, &path, SharedFormat::Factors).is_ok() {
            let _ = SharedModel::load(conn);
        }
    });
});
