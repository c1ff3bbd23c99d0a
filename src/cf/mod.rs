//! Collaborative filtering: "listeners who play A also play B", learned from the listener's own
//! history and from optional shared co-listening data, plus the importers that bring both in.

pub mod als;
pub mod ease;
pub mod eval;
pub mod import;
pub mod linalg;
pub mod matching;
pub mod matrix;
pub mod model;
pub mod rp3;
pub mod sessions;
pub mod taste;
