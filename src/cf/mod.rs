//! Collaborative filtering: "listeners who play A also play B", learned from the listener's own
//! history and from optional shared co-listening data, plus the importers that bring both in.

pub mod als;
pub mod artists;
pub mod ease;
pub mod eval;
pub mod for_you;
pub mod holdout;
pub mod import;
pub mod items;
pub mod linalg;
pub mod listener;
pub mod matching;
pub mod matrix;
pub mod model;
pub mod model_file;
pub mod neighbours;
pub mod rp3;
pub mod sessions;
pub mod shared_model;
pub mod tags;
pub mod tune;
