//! Text for the metadata model and for matching imported listening data to the library: folding
//! (case, diacritics, width), tokenising that works across scripts, match keys for artist/title,
//! BM25 term vectors, and the library's text profiles (search, similar artists).

pub mod agreement;
pub mod embed;
pub mod fold;
pub mod match_key;
pub mod profile;
pub mod search;
pub mod tokenize;
pub mod vectors;
