//! The generators on a small world: four sound regions (one genre each) of six artists, a listener
//! who plays two of them, a like long ago in a third, a duplicate file and an excluded artist.

use std::collections::{HashMap, HashSet};

use super::daily::daily_mixes;
use super::path::{path, PathError};
use super::radio::{extend, Radio, RadioInputs, ARTIST_GAP};
use super::rediscover::rediscover;
use super::MixInputs;
use crate::discover::catalog::{Catalog, TrackFacts};
use crate::discover::history::{History, Outcome, Play, Verdict};
use crate::discover::rng::SplitMix;
use crate::discover::taste::Taste;
use crate::text::vectors::{Bag, Corpus};

const GENRES: [&str; 4] = ["ambient", "techno", "jazz", "metal"];
const PER_REGION: usize = 30;
const DAY: i64 = 86_400;
const NOW: i64 = 1_000 * DAY;
/// Catalog index of the worse copy of track 0 (same song, lossy).
const COPY: usize = 4 * PER_REGION;

fn region(i: usize) -> usize {
    (i % COPY) / PER_REGION
}

fn world() -> Catalog {
    let mut rng = SplitMix::new(7);
    let mut metas = Vec::new();
    let mut embeddings = Vec::new();
    let mut bags = Vec::new();
    for i in 0..=COPY {
        let r = region(i);
        let n = i % COPY;
        let artist = format!("{} artist {}", GENRES[r], (n % PER_REGION) / 5);
        let meta = TrackFacts {
            id: i as i64 + 1,
            title: format!("song {n}"),
            artist: artist.clone(),
            album: format!("{artist} album"),
            genre: Some(GENRES[r].to_owned()),
            tempo_bpm: Some(70.0 + 20.0 * r as f32 + (n % 5) as f32),
            path: format!("/music/{r}/{i}.{}", if i == COPY { "mp3" } else { "flac" }),
            duration_ms: Some(200_000 + 1_000 * n as i64),
            codec: if i == COPY { "mp3" } else { "flac" }.into(),
            bitrate_kbps: Some(if i == COPY { 128 } else { 900 }),
            ..Default::default()
        };
        // Each region a direction; within it a drift by position so neighbours are nearer.
        let mut e = vec![0f32; 8];
        e[r] = 1.0;
        e[4 + r] = (n % PER_REGION) as f32 / PER_REGION as f32;
        e.iter_mut().for_each(|x| *x += 0.05 * rng.next_f32());
        embeddings.push((meta.id, e));
        let mut bag = Bag::default();
        bag.add_text(&meta.artist, 1.5);
        bag.add_text(GENRES[r], 2.0);
        bags.push(bag);
        metas.push(meta);
    }
    let corpus = Corpus::new(&bags);
    let text = (0..bags.len())
        .map(|d| (d as i64 + 1, corpus.vector(d)))
        .collect();
    Catalog::new(metas, embeddings, text)
}

/// Plays the first fifteen tracks of regions 0 and 1 often, one region-2 track liked long ago.
fn history() -> History {
    let mut h = History::default();
    for day in (10..200).step_by(3) {
        for r in 0..2 {
            for k in 0..15 {
                if (k + day as usize).is_multiple_of(4) {
                    h.plays.push(Play {
                        track: r * PER_REGION + k,
                        at: NOW - day * DAY + k as i64,
                        outcome: Outcome::Completed,
                    });
                }
            }
        }
    }
    h.plays.sort_by_key(|p| p.at);
    h.feedback
        .insert(2 * PER_REGION + 3, (Verdict::Like, NOW - 300 * DAY));
    h
}

fn inputs<'a>(
    catalog: &'a Catalog,
    history: &'a History,
    left_out: &'a HashSet<usize>,
    seed: u64,
) -> MixInputs<'a> {
    MixInputs {
        catalog,
        history,
        left_out,
        cf: &[],
        as_of: NOW,
        seed,
    }
}

#[test]
fn daily_mixes_follow_the_taste_clusters_and_are_the_same_for_the_same_day() {
    let (catalog, history) = (world(), history());
    let none = HashSet::new();
    let taste = Taste::build(&catalog, &history, NOW, NOW, 1);
    let mixes = daily_mixes(&inputs(&catalog, &history, &none, 11), &taste, 20);
    assert!(mixes.len() >= 2, "{} mixes", mixes.len());
    for m in &mixes {
        let regions: HashMap<usize, usize> = m.entries.iter().fold(HashMap::new(), |mut c, e| {
            *c.entry(region(e.track)).or_default() += 1;
            c
        });
        let main = regions.values().max().copied().unwrap_or(0);
        assert!(main * 10 >= m.entries.len() * 8, "{}: {regions:?}", m.title);
        assert!(
            m.title.contains('—'),
            "named with genre and artists: {}",
            m.title
        );
        assert!(m.entries.iter().all(|e| !e.reason.text.is_empty()));
    }
    // Songs not played, each near its own mix (a region split in two clusters shares its new songs).
    let new: Vec<usize> = mixes
        .iter()
        .flat_map(|m| m.entries.iter())
        .filter(|e| e.reason.text != "one of your favourites")
        .map(|e| e.track)
        .collect();
    assert!(new.len() >= 8, "{new:?}");
    let played: HashSet<usize> = history.plays.iter().map(|p| p.track).collect();
    assert!(new.iter().all(|t| !played.contains(t)));
    let again = daily_mixes(&inputs(&catalog, &history, &none, 11), &taste, 20);
    assert_eq!(mixes, again, "the same day makes the same mixes");
    let tomorrow = daily_mixes(&inputs(&catalog, &history, &none, 12), &taste, 20);
    assert_ne!(mixes, tomorrow, "another day draws the favourites afresh");
}

#[test]
fn rediscover_brings_back_what_was_loved_long_ago_not_what_is_played_now() {
    let (catalog, mut history) = (world(), history());
    // Loved long ago: completed five times a year ago, never since.
    for k in 0..5 {
        history.plays.insert(
            0,
            Play {
                track: 3 * PER_REGION + 7,
                at: NOW - 400 * DAY + k,
                outcome: Outcome::Completed,
            },
        );
    }
    let none = HashSet::new();
    let mix = rediscover(&inputs(&catalog, &history, &none, 3), 30).expect("a mix");
    let tracks: Vec<usize> = mix.entries.iter().map(|e| e.track).collect();
    assert!(tracks.contains(&(2 * PER_REGION + 3)), "the old like");
    assert!(tracks.contains(&(3 * PER_REGION + 7)), "the old favourite");
    let recent: HashSet<usize> = history
        .plays
        .iter()
        .filter(|p| p.at > NOW - 60 * DAY)
        .map(|p| p.track)
        .collect();
    assert!(tracks.iter().all(|t| !recent.contains(t)), "{tracks:?}");
}

fn radio_inputs<'a>(
    catalog: &'a Catalog,
    history: &'a History,
    left_out: &'a HashSet<usize>,
) -> RadioInputs<'a> {
    RadioInputs {
        catalog,
        history,
        left_out,
        co_listened: &[],
        sessions: &[],
        seed: 5,
    }
}

#[test]
fn radio_never_repeats_and_spaces_artists() {
    let (catalog, history) = (world(), History::default());
    let none = HashSet::new();
    let mut radio = Radio {
        seeds: vec![PER_REGION + 2],
        queued: vec![PER_REGION + 2],
        ..Default::default()
    };
    for _ in 0..8 {
        let batch = extend(&radio_inputs(&catalog, &history, &none), &radio, 10);
        assert_eq!(batch.len(), 10);
        radio.queued.extend(batch.iter().map(|e| e.track));
    }
    let distinct: HashSet<usize> = radio.queued.iter().copied().collect();
    assert_eq!(distinct.len(), radio.queued.len(), "no track twice");
    let artist = |t: usize| catalog.tracks[t].artist_group;
    // The seed's sound has six artists: at first no artist comes twice within ARTIST_GAP tracks, and
    // while the radio stays in that sound never twice in a row (spacing is a cost, so it gives way
    // as the sound's other artists run out).
    let distinct = |w: &[usize]| w.iter().map(|&t| artist(t)).collect::<HashSet<u32>>().len();
    for w in radio.queued[..15].windows(ARTIST_GAP) {
        assert_eq!(distinct(w), w.len(), "{w:?}");
    }
    for w in radio.queued[..30].windows(2) {
        assert_eq!(distinct(w), 2, "{w:?}");
    }
    // The seed's region comes first.
    let first: Vec<usize> = radio.queued[1..11].iter().map(|&t| region(t)).collect();
    assert!(first.iter().filter(|&&r| r == 1).count() >= 8, "{first:?}");
}

#[test]
fn radio_moves_away_from_a_skipped_sound() {
    let (catalog, history) = (world(), History::default());
    let none = HashSet::new();
    // Two seeds: one ambient (region 0), one jazz (region 2).
    let mut radio = Radio {
        seeds: vec![5, 2 * PER_REGION + 5],
        queued: vec![5],
        ..Default::default()
    };
    let first = extend(&radio_inputs(&catalog, &history, &none), &radio, 10);
    let jazz = |batch: &[super::MixEntry]| batch.iter().filter(|e| region(e.track) == 2).count();
    assert!(jazz(&first) >= 3, "both seeds play at first");
    radio.queued.extend(first.iter().map(|e| e.track));
    radio.skipped = first
        .iter()
        .map(|e| e.track)
        .filter(|&t| region(t) == 2)
        .take(2)
        .collect();
    let after = extend(&radio_inputs(&catalog, &history, &none), &radio, 10);
    assert!(
        jazz(&after) < jazz(&first) && jazz(&after) <= 1,
        "skipping jazz twice steers away from it: {} → {}",
        jazz(&first),
        jazz(&after)
    );
}

/// 120 tracks round a circle of sound (3° apart), four per artist.
fn ring() -> Catalog {
    let mut rng = SplitMix::new(3);
    let metas = (0..120)
        .map(|i| TrackFacts {
            id: i + 1,
            title: format!("ring {i}"),
            artist: format!("ring artist {}", i / 4),
            path: format!("/ring/{i}.flac"),
            duration_ms: Some(200_000 + i * 1_000),
            tempo_bpm: Some(90.0 + (i % 7) as f32),
            ..Default::default()
        })
        .collect();
    let embeddings = (0..120)
        .map(|i| {
            let angle = (i as f32 * 3.0).to_radians();
            let mut e = vec![angle.cos(), angle.sin()];
            e.extend((0..6).map(|_| 0.02 * rng.next_f32()));
            (i as i64 + 1, e)
        })
        .collect();
    Catalog::new(metas, embeddings, Vec::new())
}

#[test]
fn a_path_starts_and_ends_at_the_chosen_songs_in_small_steps() {
    let (catalog, history) = (ring(), History::default());
    let none = HashSet::new();
    let (a, b) = (0, 50);
    let steps = path(&catalog, &history, &none, a, b, 10).expect("a path");
    let tracks: Vec<usize> = steps.iter().map(|e| e.track).collect();
    assert_eq!(tracks.len(), 10);
    assert_eq!((tracks[0], tracks[9]), (a, b));
    assert_eq!(
        tracks.iter().collect::<HashSet<_>>().len(),
        10,
        "no repeats"
    );
    let sound = |t: usize| catalog.embedding(t).expect("analysed");
    let distance = |x: usize, y: usize| 1.0 - crate::discover::catalog::dot(sound(x), sound(y));
    let direct = distance(a, b);
    let longest = tracks
        .windows(2)
        .map(|w| distance(w[0], w[1]))
        .fold(0f32, f32::max);
    assert!(
        longest < direct / 10.0,
        "longest step {longest} of {direct}"
    );
    // It goes the short way round, closer to b at every step.
    let to_b: Vec<f32> = tracks.iter().map(|&t| distance(t, b)).collect();
    assert!(to_b.windows(2).all(|w| w[1] < w[0]), "{to_b:?}");
    assert_eq!(
        path(&catalog, &history, &none, a, a, 10),
        Err(PathError::SameSong)
    );
    assert_eq!(
        path(&catalog, &history, &none, a, b, 1),
        Err(PathError::BadLength(1))
    );
}

#[test]
fn exclusions_hides_and_duplicates_are_respected_by_every_mix() {
    let (catalog, mut history) = (world(), history());
    // The listener left out one artist of each region and hid one track.
    let left_out: HashSet<usize> = (0..COPY).filter(|&i| (i % PER_REGION) / 5 == 1).collect();
    let hidden = PER_REGION + 20;
    history.feedback.insert(hidden, (Verdict::Hide, NOW - DAY));
    assert!(
        !catalog.tracks[COPY].offered,
        "the lossy copy stands for nothing"
    );
    let banned = |t: usize| left_out.contains(&t) || t == COPY || t == hidden;
    let taste = Taste::build(&catalog, &history, NOW, NOW, 1);
    let mixes = daily_mixes(&inputs(&catalog, &history, &left_out, 2), &taste, 30);
    let mut all: Vec<usize> = mixes
        .iter()
        .flat_map(|m| m.entries.iter().map(|e| e.track))
        .collect();
    all.extend(
        rediscover(&inputs(&catalog, &history, &left_out, 2), 30)
            .into_iter()
            .flat_map(|m| m.entries.into_iter().map(|e| e.track)),
    );
    let mut radio = Radio {
        seeds: vec![0, PER_REGION],
        queued: vec![0],
        ..Default::default()
    };
    for _ in 0..6 {
        let batch = extend(&radio_inputs(&catalog, &history, &left_out), &radio, 10);
        radio.queued.extend(batch.iter().map(|e| e.track));
    }
    all.extend(&radio.queued[1..]);
    let p = path(&catalog, &history, &left_out, 0, 3 * PER_REGION, 12).expect("a path");
    all.extend(p[1..11].iter().map(|e| e.track));
    assert!(all.len() > 100, "{} tracks checked", all.len());
    let wrong: Vec<usize> = all.into_iter().filter(|&t| banned(t)).collect();
    assert!(wrong.is_empty(), "{wrong:?}");
}

#[test]
fn a_new_listeners_few_favourites_make_one_mix() {
    let catalog = world();
    let mut history = History::default();
    // Four likes in four sounds: too few for a mix per sound, one mix of them all.
    for (k, r) in (0..4).enumerate() {
        history
            .feedback
            .insert(r * PER_REGION + k, (Verdict::Like, NOW - DAY));
    }
    let none = HashSet::new();
    let taste = Taste::build(&catalog, &history, NOW, NOW, 1);
    let mixes = daily_mixes(&inputs(&catalog, &history, &none, 4), &taste, 20);
    assert_eq!(mixes.len(), 1);
    let tracks: HashSet<usize> = mixes[0].entries.iter().map(|e| e.track).collect();
    assert!(
        (0..4).all(|r| tracks.contains(&(r * PER_REGION + r))),
        "{tracks:?}"
    );
    assert!(tracks.len() > 4, "with songs near them");
}
