//! The `cover:` URI scheme: serves thumbnails from the cover cache to `<img>` elements.
//! Only plain file names of the cache are served; anything else is a 404.

use std::path::Path;

use tauri::http::{Request, Response, StatusCode};

pub fn serve(covers_dir: &Path, request: &Request<Vec<u8>>) -> Response<Vec<u8>> {
    let name = request.uri().path().trim_start_matches('/');
    let valid = !name.is_empty()
        && name.len() <= 80
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '.')
        && !name.starts_with('.');
    let body = valid
        .then(|| std::fs::read(covers_dir.join(name)).ok())
        .flatten();
    match body {
        Some(bytes) => Response::builder()
            .header("Content-Type", "image/jpeg")
            .header("Cache-Control", "max-age=31536000, immutable")
            .body(bytes),
        None => Response::builder()
            .status(StatusCode::NOT_FOUND)
            .body(Vec::new()),
    }
    .unwrap_or_else(|_| Response::new(Vec::new()))
}
