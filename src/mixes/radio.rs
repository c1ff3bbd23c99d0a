//! Radio: an endless queue from one or more seed tracks. Each extension scores the library against
//! the seeds (co-listening, sound, text, session neighbours, the seeds' artists), steers by what
//! happened since the radio started (a skipped track pushes away from its sound, a like pulls
//! towards it), never repeats a track within [`NO_REPEAT`], keeps an artist [`ARTIST_GAP`] tracks apart
//! unless only a jump to another sound would, and takes each next track by flow (tempo, key, loudness) from the one before.

use rayon::prelude::*;

use super::anchor::{vocabulary, Anchor};
use super::{reason, MixEntry, Offerable};
use crate::discover::catalog::{dot, Catalog};
use crate::discover::engine::ReasonKind;
use crate::discover::history::History;
use crate::discover::rng::SplitMix;
use crate::discover::shape::transition_cost;
use std::collections::HashSet;

/// A track is not played again within this many tracks of the same radio.
pub const NO_REPEAT: usize = 500;
/// The same artist comes back after at least this many other tracks (when the library allows).
pub const ARTIST_GAP: usize = 3;
/// Only the best this many candidates are weighed for flow (the rest cannot win).
const SHORTLIST: usize = 400;

/// A radio as it stands: its seeds, what it queued so far, and what the listener did since.
#[derive(Debug, Clone, Default)]
pub struct Radio {
    /// Catalog indices of the seed tracks (an album's, artist's or playlist's tracks).
    pub seeds: Vec<usize>,
    /// Everything the radio queued, in order (seeds played first included).
    pub queued: Vec<usize>,
    /// Tracks of this radio the listener skipped.
    pub skipped: Vec<usize>,
    /// Tracks of this radio the listener liked.
    pub liked: Vec<usize>,
}

pub struct RadioInputs<'a> {
    pub catalog: &'a Catalog,
    pub history: &'a History,
    pub left_out: &'a HashSet<usize>,
    /// Co-listening with the seeds in the shared data (0–1 per catalog track; empty without it).
    pub co_listened: &'a [f32],
    /// Session co-occurrence with the seeds in the listener's own history (0–1; may be empty).
    pub sessions: &'a [f32],
    pub seed: u64,
}

/// Weights of the terms of a candidate's score.
const W_CO_LISTENED: f32 = 2.5;
const W_SOUND: f32 = 2.0;
const W_TEXT: f32 = 1.0;
const W_SESSION: f32 = 0.8;
const W_ARTIST: f32 = 0.6;
const W_SKIPPED: f32 = 3.0;
const W_LIKED: f32 = 1.0;
const W_FLOW: f32 = 0.15;
/// What an artist heard 1, 2 or 3 tracks ago costs.
const W_RECENT_ARTIST: [f32; ARTIST_GAP] = [2.0, 1.5, 1.0];

/// The next `count` tracks of the radio.
pub fn extend(inputs: &RadioInputs, radio: &Radio, count: usize) -> Vec<MixEntry> {
    let catalog = inputs.catalog;
    let offerable = Offerable::new(catalog, inputs.history, inputs.left_out);
    let vocabulary = vocabulary(catalog);
    let mut weighted: Vec<(usize, f32)> = radio.seeds.iter().map(|&s| (s, 1.0)).collect();
    weighted.extend(radio.liked.iter().map(|&l| (l, 0.5)));
    let anchor = Anchor::new(catalog, &weighted, vocabulary);
    let skipped: Vec<&[f32]> = radio
        .skipped
        .iter()
        .filter_map(|&t| catalog.embedding(t))
        .collect();
    let liked: Vec<&[f32]> = radio
        .liked
        .iter()
        .filter_map(|&t| catalog.embedding(t))
        .collect();
    let recent: HashSet<usize> = radio
        .queued
        .iter()
        .rev()
        .take(NO_REPEAT)
        .map(|&t| catalog.tracks[t].song)
        .collect();
    let skipped_songs: HashSet<usize> = radio
        .skipped
        .iter()
        .map(|&t| catalog.tracks[t].song)
        .collect();
    let get = |v: &[f32], i: usize| v.get(i).copied().unwrap_or(0.0);
    let mut scored: Vec<(usize, f32, [f32; 5])> = (0..catalog.len())
        .into_par_iter()
        .filter(|&i| offerable.allows(i) && !recent.contains(&i) && !skipped_songs.contains(&i))
        .map(|i| {
            let terms = [
                W_CO_LISTENED * get(inputs.co_listened, i),
                W_SOUND * anchor.sound(catalog, i),
                W_TEXT * anchor.text(catalog, i),
                W_SESSION * get(inputs.sessions, i),
                if anchor.artists.contains(&catalog.tracks[i].artist_group) {
                    W_ARTIST
                } else {
                    0.0
                },
            ];
            let near = |set: &[&[f32]]| match catalog.embedding(i) {
                Some(e) => set.iter().map(|s| dot(e, s)).fold(0f32, f32::max),
                None => 0.0,
            };
            let steer = W_LIKED * near(&liked) - W_SKIPPED * near(&skipped);
            (i, terms.iter().sum::<f32>() + steer, terms)
        })
        .collect();
    let by_score = |a: &(usize, f32, [f32; 5]), b: &(usize, f32, [f32; 5])| {
        b.1.total_cmp(&a.1).then(a.0.cmp(&b.0))
    };
    let keep = SHORTLIST.max(count * 4);
    if scored.len() > keep {
        scored.select_nth_unstable_by(keep, by_score);
        scored.truncate(keep);
    }
    scored.sort_by(by_score);
    // A little seeded jitter: two radios from the same seed on different days are not the same.
    let mut rng = SplitMix::new(inputs.seed ^ radio.queued.len() as u64);
    for s in &mut scored {
        s.1 += 0.05 * rng.next_f32();
    }
    let mut artists: Vec<u32> = radio
        .queued
        .iter()
        .rev()
        .take(ARTIST_GAP)
        .map(|&t| catalog.tracks[t].artist_group)
        .collect();
    let mut last = radio.queued.last().copied();
    let mut out: Vec<MixEntry> = Vec::with_capacity(count);
    while out.len() < count && !scored.is_empty() {
        let value = |s: &(usize, f32, [f32; 5])| {
            s.1 - last.map_or(0.0, |l| W_FLOW * transition_cost(catalog, l, s.0))
        };
        // An artist heard in the last few tracks costs more than a small step away in sound, less
        // than a jump to another sound: a seed with two artists does not wander off to keep spacing.
        let spaced = |s: &(usize, f32, [f32; 5])| {
            let group = catalog.tracks[s.0].artist_group;
            let back = artists.iter().position(|&a| a == group);
            value(s) - back.map_or(0.0, |b| W_RECENT_ARTIST[b])
        };
        let pick = scored
            .iter()
            .enumerate()
            .max_by(|a, b| {
                spaced(a.1)
                    .total_cmp(&spaced(b.1))
                    .then(b.1 .0.cmp(&a.1 .0))
            })
            .map(|(k, _)| k)
            .expect("not empty");
        let (i, _, terms) = scored.remove(pick);
        out.push(MixEntry {
            track: i,
            reason: reason_of(catalog, &anchor, i, &terms),
        });
        artists.insert(0, catalog.tracks[i].artist_group);
        artists.truncate(ARTIST_GAP);
        last = Some(i);
    }
    out
}

/// The strongest term names the seed it comes from.
fn reason_of(
    catalog: &Catalog,
    anchor: &Anchor,
    i: usize,
    terms: &[f32; 5],
) -> crate::discover::engine::Reason {
    let best = (0..terms.len())
        .filter(|&k| terms[k] > 0.0)
        .max_by(|&a, &b| terms[a].total_cmp(&terms[b]).then(b.cmp(&a)));
    let seed_name = |by_sound: bool| {
        anchor
            .nearest(catalog, i, by_sound)
            .map(|t| (catalog.name(t), t))
    };
    match best {
        Some(0) | Some(3) => {
            let (name, t) = seed_name(catalog.has_embedding[i]).unzip();
            let verb = if best == Some(0) {
                "often played with"
            } else {
                "played next to"
            };
            match name {
                Some(name) => reason(ReasonKind::Played, format!("{verb} {name}"), t),
                None => reason(
                    ReasonKind::Played,
                    "often played with the seeds".into(),
                    None,
                ),
            }
        }
        Some(1) => match seed_name(true) {
            Some((name, t)) => reason(ReasonKind::Sounds, format!("sounds like {name}"), Some(t)),
            None => reason(ReasonKind::Sounds, "sounds like the seeds".into(), None),
        },
        Some(2) => match seed_name(false) {
            Some((name, t)) => reason(ReasonKind::Scene, format!("same scene as {name}"), Some(t)),
            None => reason(ReasonKind::Scene, "same scene as the seeds".into(), None),
        },
        Some(_) => reason(
            ReasonKind::Played,
            format!(
                "by {}, an artist of the seeds",
                catalog.tracks[i].meta.artist
            ),
            None,
        ),
        None => reason(ReasonKind::Wildcard, "a wildcard".into(), None),
    }
}
