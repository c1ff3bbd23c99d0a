//! From A to B: a list that starts at one song and ends at another, moving through the library in
//! small steps of sound. Step k aims at the point k/(n−1) of the way along the great circle between
//! the two songs' embeddings (tempo on a log scale in between, too); the track taken is the one
//! nearest that point and the previous step, with flow (tempo, key, loudness) from the one before.

use std::collections::HashSet;

use rayon::prelude::*;

use super::{reason, MixEntry, Offerable};
use crate::discover::catalog::{dot, Catalog};
use crate::discover::engine::ReasonKind;
use crate::discover::history::History;
use crate::discover::shape::transition_cost;

pub const MIN_LENGTH: usize = 3;
pub const MAX_LENGTH: usize = 100;

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum PathError {
    #[error("{0} has no sound analysis yet: a path is made by sound (run the analysis first)")]
    NoSound(String),
    #[error("a path needs two different songs")]
    SameSong,
    #[error("a path has {MIN_LENGTH} to {MAX_LENGTH} songs, not {0}")]
    BadLength(usize),
}

/// The path from `a` to `b` (catalog indices) of `length` tracks, both ends included.
pub fn path(
    catalog: &Catalog,
    history: &History,
    left_out: &HashSet<usize>,
    a: usize,
    b: usize,
    length: usize,
) -> Result<Vec<MixEntry>, PathError> {
    if !(MIN_LENGTH..=MAX_LENGTH).contains(&length) {
        return Err(PathError::BadLength(length));
    }
    if catalog.tracks[a].song == catalog.tracks[b].song {
        return Err(PathError::SameSong);
    }
    let (Some(ea), Some(eb)) = (catalog.embedding(a), catalog.embedding(b)) else {
        let missing = if catalog.has_embedding[a] { b } else { a };
        return Err(PathError::NoSound(catalog.name(missing)));
    };
    let offerable = Offerable::new(catalog, history, left_out);
    let pool: Vec<usize> = (0..catalog.len())
        .filter(|&i| offerable.allows(i) && catalog.has_embedding[i] && i != a && i != b)
        .filter(|&i| catalog.tracks[i].song != catalog.tracks[a].song)
        .filter(|&i| catalog.tracks[i].song != catalog.tracks[b].song)
        .collect();
    let tempo = |i: usize| {
        catalog.tracks[i]
            .meta
            .tempo_bpm
            .filter(|t| *t > 0.0)
            .map(f32::log2)
    };
    let omega = dot(ea, eb).clamp(-1.0, 1.0).acos();
    let mut used: HashSet<usize> = HashSet::new();
    let mut out = vec![MixEntry {
        track: a,
        reason: reason(ReasonKind::Start, "where the path starts".into(), None),
    }];
    let mut previous = a;
    for k in 1..length - 1 {
        let t = k as f32 / (length - 1) as f32;
        let target = slerp(ea, eb, omega, t);
        let target_tempo = match (tempo(a), tempo(b)) {
            (Some(x), Some(y)) => Some(x + t * (y - x)),
            _ => None,
        };
        let prev = catalog.embedding(previous).expect("path tracks have sound");
        let best = pool
            .par_iter()
            .filter(|i| !used.contains(i))
            .map(|&i| {
                let e = catalog.embedding(i).expect("pool has sound");
                let mut cost = (1.0 - dot(e, &target)) + 0.5 * (1.0 - dot(e, prev));
                if let (Some(x), Some(y)) = (tempo(i), target_tempo) {
                    cost += 0.5 * (x - y).abs();
                }
                (i, cost + 0.05 * transition_cost(catalog, previous, i))
            })
            .min_by(|x, y| x.1.total_cmp(&y.1).then(x.0.cmp(&y.0)));
        let Some((i, _)) = best else {
            break;
        };
        used.insert(i);
        out.push(MixEntry {
            track: i,
            reason: reason(
                ReasonKind::Sounds,
                format!(
                    "{}% of the way from {} to {}",
                    (t * 100.0).round(),
                    catalog.name(a),
                    catalog.name(b)
                ),
                Some(previous),
            ),
        });
        previous = i;
    }
    out.push(MixEntry {
        track: b,
        reason: reason(ReasonKind::Sounds, "where the path ends".into(), None),
    });
    Ok(out)
}

/// The point `t` of the way from `a` to `b` on the unit sphere (`omega` the angle between them).
fn slerp(a: &[f32], b: &[f32], omega: f32, t: f32) -> Vec<f32> {
    if omega.abs() < 1e-4 {
        return a.to_vec();
    }
    let (sa, sb) = (
        ((1.0 - t) * omega).sin() / omega.sin(),
        (t * omega).sin() / omega.sin(),
    );
    let mut v: Vec<f32> = a.iter().zip(b).map(|(x, y)| sa * x + sb * y).collect();
    let norm = v
        .iter()
        .map(|x| x * x)
        .sum::<f32>()
        .sqrt()
        .max(f32::MIN_POSITIVE);
    v.iter_mut().for_each(|x| *x /= norm);
    v
}
