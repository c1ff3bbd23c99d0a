//! Reading what the generators need from the database: a day's mixes (made from the history before
//! the day began, so they are the same all day, and stored), and a radio's scores against its seeds.

use std::collections::HashSet;

use chrono::NaiveDate;
use rusqlite::Connection;

use super::daily::{daily_mixes, MIX_SIZE};
use super::rediscover::{rediscover, REDISCOVER_SIZE};
use super::{store, Made, MixInputs};
use crate::cf::listener::Listener;
use crate::cf::sessions::CoOccurrence;
use crate::cf::shared_model;
pub use crate::discover::day_key;
use crate::discover::history::{History, Outcome};
use crate::discover::taste::Taste;
use crate::discover::{cf_scores, left_out_of, local_start, rng, Prepared, Result};

/// The mixes of `day` as generated from the history before `as_of` (nothing stored).
pub fn generate(
    conn: &Connection,
    ready: &Prepared,
    day: NaiveDate,
    as_of: i64,
) -> Result<Vec<Made>> {
    let catalog = ready.catalog();
    let key = day_key(day);
    let history = History::load(conn, catalog)?;
    let (cf, _) = cf_scores(conn, catalog, ready.model(), as_of)?;
    let left_out = left_out_of(conn, catalog)?;
    let seed = rng::seed_of(&["mixes", &key]);
    let inputs = MixInputs {
        catalog,
        history: &history,
        left_out: &left_out,
        cf: &cf,
        as_of,
        seed,
    };
    // Taste as of the day's start, clustered with a seed of its own: the clusters (and so the mixes'
    // themes) move only as the history does, not with the day.
    let taste = Taste::build(catalog, &history, as_of, as_of, rng::seed_of(&["mixes"]));
    let mut made = daily_mixes(&inputs, &taste, MIX_SIZE);
    made.extend(rediscover(&inputs, REDISCOVER_SIZE));
    Ok(made)
}

/// Makes and stores the mixes of `day` (from the history before it began) unless they are stored
/// already.
pub fn ensure(conn: &mut Connection, ready: &Prepared, day: NaiveDate) -> Result<()> {
    let key = day_key(day);
    if store::made(conn, &key)? {
        return Ok(());
    }
    let made = generate(conn, ready, day, local_start(day))?;
    let tx = conn.transaction()?;
    store::save(&tx, &key, ready.catalog(), &made)?;
    tx.commit()?;
    Ok(())
}

/// What a radio scores against its seeds besides their sound and text: co-listening in the shared
/// data and session neighbours in the listener's own history, 0–1 per catalog track.
pub struct SeedScores {
    pub co_listened: Vec<f32>,
    pub sessions: Vec<f32>,
}

pub fn seed_scores(
    conn: &Connection,
    ready: &Prepared,
    history: &History,
    seeds: &[usize],
) -> Result<SeedScores> {
    let catalog = ready.catalog();
    let mut co_listened = vec![0f32; catalog.len()];
    if let Some(model) = ready.model() {
        let ids: Vec<(i64, f32)> = seeds
            .iter()
            .map(|&s| (catalog.tracks[s].meta.id, 1.0))
            .collect();
        let listener = Listener::of_tracks(conn, &ids)?;
        for s in shared_model::shared_scores(conn, model, &listener)? {
            if let Some(&i) = catalog.index.get(&s.track_id) {
                let song = catalog.tracks[i].song;
                co_listened[song] = co_listened[song].max(s.cf);
            }
        }
    }
    let plays: Vec<(i64, i64)> = history
        .plays
        .iter()
        .filter(|p| !matches!(p.outcome, Outcome::Skipped | Outcome::Failed))
        .map(|p| (p.track as i64, p.at))
        .collect();
    let co = CoOccurrence::from_plays(&plays);
    let mut sessions = vec![0f32; catalog.len()];
    let seeds: HashSet<usize> = seeds.iter().copied().collect();
    for &s in &seeds {
        for (t, c) in co.neighbours(s as i64) {
            if let Some(v) = sessions.get_mut(t as usize) {
                *v += c;
            }
        }
    }
    let max = sessions.iter().cloned().fold(f32::MIN_POSITIVE, f32::max);
    sessions.iter_mut().for_each(|v| *v /= max);
    Ok(SeedScores {
        co_listened,
        sessions,
    })
}
