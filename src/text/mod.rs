//! Text for the metadata model and for matching imported listening data to the library: folding
//! (case, diacritics, width), tokenising that works across scripts, and match keys for artist/title.

pub mod fold;
pub mod match_key;
pub mod tokenize;
