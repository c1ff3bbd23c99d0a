//! Daily Mixes: one per taste cluster of the listener (their strongest sound or scene), each about
//! fifty tracks: favourites of the cluster, rotated daily, with a share of songs the listener has not
//! played that sit near it (by sound, text and co-listening), named from the cluster's genres and
//! artists.

use std::collections::{HashMap, HashSet};

use super::anchor::{vocabulary, Anchor};
use super::{reason, space_artists, Made, MixEntry, MixInputs, MixKind, Offerable};
use crate::discover::engine::ReasonKind;
use crate::discover::rng::SplitMix;
use crate::discover::taste::{Taste, TasteCluster};

/// Tracks in a Daily Mix.
pub const MIX_SIZE: usize = 50;
/// Share of a mix that is songs the listener has not played.
pub const NEW_SHARE: f32 = 0.4;
/// A cluster needs this many of the listener's tracks to make a mix of its own.
const MIN_MEMBERS: usize = 3;
/// A new song scores at least this share of what the cluster's own members score on average.
const RELEVANCE_FLOOR: f32 = 0.5;
/// New songs of one artist in one mix.
const MAX_NEW_PER_ARTIST: usize = 4;

/// The day's Daily Mixes, strongest cluster first (at most six, as the taste has clusters).
pub fn daily_mixes(inputs: &MixInputs, taste: &Taste, size: usize) -> Vec<Made> {
    let catalog = inputs.catalog;
    let offerable = Offerable::new(catalog, inputs.history, inputs.left_out);
    let played: HashSet<usize> = inputs
        .history
        .plays_before(inputs.as_of)
        .iter()
        .map(|p| catalog.tracks[p.track].song)
        .collect();
    let vocabulary = vocabulary(catalog);
    let mut clusters: Vec<&TasteCluster> = taste
        .clusters
        .iter()
        .filter(|c| c.members.len() >= MIN_MEMBERS)
        .collect();
    clusters.sort_by(|a, b| b.share.total_cmp(&a.share));
    // A new listener's few favourites split into clusters too small for a mix each: one mix of all.
    let everything;
    if clusters.is_empty() && taste.positives.len() >= MIN_MEMBERS {
        everything = TasteCluster {
            centre: Vec::new(),
            share: 1.0,
            text: Default::default(),
            meaning: catalog.meaning_centre(taste.positives.iter().map(|p| p.0)),
            log_tempo: None,
            loudness: None,
            members: taste.positives.iter().map(|p| p.0).collect(),
        };
        clusters.push(&everything);
    }
    let mut used: HashSet<usize> = HashSet::new();
    let mut rng = SplitMix::new(inputs.seed);
    let mut mixes = Vec::new();
    for cluster in clusters {
        let favourites: Vec<usize> = cluster
            .members
            .iter()
            .map(|&m| catalog.tracks[m].song)
            .filter(|&m| offerable.allows(m) && !used.contains(&m))
            .fold(Vec::new(), |mut out, m| {
                if !out.contains(&m) {
                    out.push(m);
                }
                out
            });
        if favourites.len() < MIN_MEMBERS {
            continue;
        }
        let weighted: Vec<(usize, f32)> = cluster.members.iter().map(|&m| (m, 1.0)).collect();
        let anchor = Anchor::new(catalog, &weighted, vocabulary);
        let new_wanted = ((size as f32) * NEW_SHARE).round() as usize;
        let new_wanted = new_wanted.max(size.saturating_sub(favourites.len()));
        let new = new_songs(inputs, &anchor, &offerable, &played, &used, new_wanted);
        let chosen_favourites = rotate(&favourites, size - new.len(), &mut rng);
        let mut entries = interleave(chosen_favourites, new.clone(), &anchor, inputs);
        entries = space_artists(catalog, entries, 2);
        used.extend(entries.iter().map(|e| e.track));
        let (title, artists) = name_of(inputs, cluster, mixes.len() + 1);
        mixes.push(Made {
            kind: MixKind::Daily,
            title,
            subtitle: format!(
                "{artists} · {} favourites and {} new",
                entries.len() - new.len(),
                new.len()
            ),
            entries,
        });
    }
    mixes
}

/// `count` of the favourites, the strongest more often: each day draws afresh from the top of the
/// cluster (three times as many as are needed), so a mix changes from day to day.
fn rotate(favourites: &[usize], count: usize, rng: &mut SplitMix) -> Vec<usize> {
    let pool: Vec<usize> = favourites.iter().take(count * 3).copied().collect();
    let mut weights: Vec<f32> = (0..pool.len())
        .map(|r| 1.0 / (1.0 + r as f32 / 8.0))
        .collect();
    let mut out = Vec::with_capacity(count);
    while out.len() < count {
        let Some(k) = rng.weighted(&weights) else {
            break;
        };
        out.push(pool[k]);
        weights[k] = 0.0;
    }
    out
}

/// Songs the listener has not played, nearest the cluster: sound, text and co-listening, with a
/// little for the cluster's own artists; at most four per artist.
fn new_songs(
    inputs: &MixInputs,
    anchor: &Anchor,
    offerable: &Offerable,
    played: &HashSet<usize>,
    used: &HashSet<usize>,
    count: usize,
) -> Vec<(usize, f32, ReasonKind)> {
    let catalog = inputs.catalog;
    let mut scored: Vec<(usize, f32, ReasonKind)> = (0..catalog.len())
        .filter(|&i| offerable.allows(i) && !played.contains(&i) && !used.contains(&i))
        .filter_map(|i| {
            let terms = [
                (2.0 * anchor.sound(catalog, i), ReasonKind::Sounds),
                (1.0 * anchor.text(catalog, i), ReasonKind::Scene),
                (2.0 * inputs.cf(i), ReasonKind::Played),
            ];
            let artist = if anchor.artists.contains(&catalog.tracks[i].artist_group) {
                0.3
            } else {
                0.0
            };
            let total: f32 = terms.iter().map(|t| t.0).sum::<f32>() + artist;
            let (_, kind) = terms
                .iter()
                .copied()
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .expect("three terms");
            (total > 0.0).then_some((i, total, kind))
        })
        .collect();
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    // Only songs about as near the cluster as its own members are: past that, a mix would drift into
    // other clusters' sound (it takes more favourites instead).
    let members: Vec<f32> = anchor
        .tracks
        .iter()
        .map(|&(m, _)| {
            2.0 * anchor.sound(catalog, m) + anchor.text(catalog, m) + 2.0 * inputs.cf(m)
        })
        .collect();
    let typical = members.iter().sum::<f32>() / members.len().max(1) as f32;
    let floor = typical * RELEVANCE_FLOOR;
    scored.retain(|s| s.1 >= floor);
    let mut per_artist: HashMap<u32, usize> = HashMap::new();
    let mut out = Vec::with_capacity(count);
    for s in scored {
        if out.len() == count {
            break;
        }
        let n = per_artist
            .entry(catalog.tracks[s.0].artist_group)
            .or_default();
        if *n < MAX_NEW_PER_ARTIST {
            *n += 1;
            out.push(s);
        }
    }
    out
}

/// Favourites with the new songs spread among them (not bunched at the end), each with its reason.
fn interleave(
    favourites: Vec<usize>,
    new: Vec<(usize, f32, ReasonKind)>,
    anchor: &Anchor,
    inputs: &MixInputs,
) -> Vec<MixEntry> {
    let catalog = inputs.catalog;
    let total = favourites.len() + new.len();
    let share = new.len() as f32 / total.max(1) as f32;
    let (mut f, mut n) = (favourites.into_iter(), new.into_iter());
    let mut out: Vec<MixEntry> = Vec::with_capacity(total);
    let mut new_taken = 0usize;
    while out.len() < total {
        let due = (new_taken as f32) < share * (out.len() + 1) as f32;
        let next_new = if due { n.next() } else { None };
        match next_new {
            Some((i, _, kind)) => {
                new_taken += 1;
                let by_sound = kind == ReasonKind::Sounds;
                let near = anchor.nearest(catalog, i, by_sound);
                let entry = match (kind, near) {
                    (ReasonKind::Sounds, Some(t)) => reason(
                        ReasonKind::Sounds,
                        format!("sounds like {}", catalog.name(t)),
                        Some(t),
                    ),
                    (ReasonKind::Played, _) => reason(
                        ReasonKind::Played,
                        "listeners of this mix's songs play it".into(),
                        None,
                    ),
                    (_, Some(t)) => reason(
                        ReasonKind::Scene,
                        format!("same scene as {}", catalog.name(t)),
                        Some(t),
                    ),
                    _ => reason(ReasonKind::Wildcard, "new to you".into(), None),
                };
                out.push(MixEntry {
                    track: i,
                    reason: entry,
                });
            }
            None => match f.next() {
                Some(i) => out.push(MixEntry {
                    track: i,
                    reason: reason(ReasonKind::Played, "one of your favourites".into(), None),
                }),
                None => match n.next() {
                    Some((i, _, _)) => out.push(MixEntry {
                        track: i,
                        reason: reason(ReasonKind::Wildcard, "new to you".into(), None),
                    }),
                    None => break,
                },
            },
        }
    }
    out
}

/// "Orchestral · Epic — Doug Kaufman, Mattias Westlund": the cluster's commonest genre words and its
/// strongest artists (returned apart too, for the subtitle).
fn name_of(inputs: &MixInputs, cluster: &TasteCluster, number: usize) -> (String, String) {
    let catalog = inputs.catalog;
    let mut genres: HashMap<String, (usize, String)> = HashMap::new();
    let mut artists: Vec<(String, usize)> = Vec::new();
    for (rank, &m) in cluster.members.iter().enumerate() {
        let meta = &catalog.tracks[m].meta;
        for g in meta
            .genre
            .as_deref()
            .unwrap_or("")
            .split([';', ',', '/', '|'])
            .map(str::trim)
            .filter(|g| !g.is_empty() && g.len() <= 40)
        {
            genres
                .entry(g.to_lowercase())
                .or_insert((0, title_case(g)))
                .0 += 1;
        }
        let artist = meta.artist.trim();
        if artist.is_empty() {
            continue;
        }
        match artists.iter_mut().find(|a| a.0 == artist) {
            Some(a) => a.1 += cluster.members.len() - rank,
            None => artists.push((artist.to_owned(), cluster.members.len() - rank)),
        }
    }
    let mut genres: Vec<(usize, String)> = genres.into_values().collect();
    genres.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    artists.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let artists: Vec<String> = artists.into_iter().take(3).map(|a| a.0).collect();
    let artists = artists.join(", ");
    let genre: Vec<String> = genres.into_iter().take(2).map(|g| g.1).collect();
    let title = match (genre.is_empty(), artists.is_empty()) {
        (false, false) => format!("{} — {}", genre.join(" · "), artists),
        (false, true) => genre.join(" · "),
        (true, false) => format!("Daily Mix {number} — {artists}"),
        (true, true) => format!("Daily Mix {number}"),
    };
    (title, artists)
}

fn title_case(text: &str) -> String {
    text.split_whitespace()
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(first) => first.to_uppercase().chain(c).collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}
