//! Rediscover: songs the listener loved (liked, or completed again and again) but has not heard for
//! a while, drawn afresh each day from the most loved and longest unheard.

use std::collections::HashMap;

use super::{reason, space_artists, Made, MixEntry, MixInputs, MixKind, Offerable};
use crate::discover::engine::ReasonKind;
use crate::discover::history::{Outcome, Verdict};
use crate::discover::rng::SplitMix;

/// Not heard for this many days: a song is "a while ago".
pub const UNHEARD_DAYS: i64 = 60;
/// Completed plays that make a song loved without a like.
pub const LOVED_PLAYS: u32 = 3;
pub const REDISCOVER_SIZE: usize = 30;
const MAX_PER_ARTIST: usize = 3;

/// The day's Rediscover mix, or `None` when nothing loved is old enough.
pub fn rediscover(inputs: &MixInputs, size: usize) -> Option<Made> {
    let catalog = inputs.catalog;
    let offerable = Offerable::new(catalog, inputs.history, inputs.left_out);
    // Per song (the file offered for it): completions, last time heard, liked.
    let mut songs: HashMap<usize, (u32, i64, bool)> = HashMap::new();
    for p in inputs.history.plays_before(inputs.as_of) {
        let song = catalog.tracks[p.track].song;
        let entry = songs.entry(song).or_insert((0, i64::MIN, false));
        if p.outcome == Outcome::Completed {
            entry.0 += 1;
        }
        entry.1 = entry.1.max(p.at);
    }
    for (&t, &(verdict, at)) in &inputs.history.feedback {
        if verdict == Verdict::Like && at < inputs.as_of {
            let entry = songs
                .entry(catalog.tracks[t].song)
                .or_insert((0, i64::MIN, false));
            entry.2 = true;
            // A like with no play counts as heard when it was given.
            entry.1 = entry.1.max(at);
        }
    }
    let cutoff = inputs.as_of - UNHEARD_DAYS * 86_400;
    let mut loved: Vec<(usize, f32, u32, i64, bool)> = songs
        .into_iter()
        .filter(|(song, (plays, last, liked))| {
            offerable.allows(*song) && (*liked || *plays >= LOVED_PLAYS) && *last <= cutoff
        })
        .map(|(song, (plays, last, liked))| {
            let love = plays as f32 + if liked { 3.0 } else { 0.0 };
            let days = ((inputs.as_of - last) / 86_400) as f32;
            (
                song,
                love.ln_1p() * (days / 30.0).ln_1p(),
                plays,
                last,
                liked,
            )
        })
        .collect();
    if loved.is_empty() {
        return None;
    }
    loved.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    loved.truncate(size * 3);
    let mut rng = SplitMix::new(inputs.seed ^ 0x02ED_15C0);
    let mut weights: Vec<f32> = loved.iter().map(|l| l.1.max(0.01)).collect();
    let mut per_artist: HashMap<u32, usize> = HashMap::new();
    let mut entries = Vec::new();
    while entries.len() < size {
        let Some(k) = rng.weighted(&weights) else {
            break;
        };
        weights[k] = 0.0;
        let (song, _, plays, last, liked) = loved[k];
        let n = per_artist
            .entry(catalog.tracks[song].artist_group)
            .or_default();
        if *n >= MAX_PER_ARTIST {
            continue;
        }
        *n += 1;
        let ago = ago((inputs.as_of - last) / 86_400);
        let text = match (liked, plays) {
            (true, 0) => format!("you liked it {ago}"),
            (true, _) => format!("you liked it; last played {ago}"),
            _ => format!("you played it {plays} times; last {ago}"),
        };
        entries.push(MixEntry {
            track: song,
            reason: reason(ReasonKind::Played, text, None),
        });
    }
    let entries = space_artists(catalog, entries, 2);
    Some(Made {
        kind: MixKind::Rediscover,
        title: "Rediscover".into(),
        subtitle: format!(
            "{} songs you loved and have not heard for {UNHEARD_DAYS} days or more",
            entries.len()
        ),
        entries,
    })
}

/// "3 months ago", "over a year ago".
fn ago(days: i64) -> String {
    match days {
        d if d >= 730 => format!("{} years ago", d / 365),
        d if d >= 365 => "over a year ago".into(),
        d if d >= 60 => format!("{} months ago", d / 30),
        d => format!("{d} days ago"),
    }
}
