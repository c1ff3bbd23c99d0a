//! The listener's history as the recommender reads it: plays with their outcome, likes and hides,
//! all cut at a point in time ("as of"), so a day's list depends only on what happened before it.

use std::collections::{BTreeMap, HashMap};

use rusqlite::Connection;

use super::catalog::Catalog;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Completed,
    /// Stopped by the listener part-way, or the app closed.
    Stopped,
    Skipped,
    /// The file could not be played.
    Failed,
    /// Imported plays without an end, or a play still running.
    Unknown,
}

impl Outcome {
    pub fn from_end_reason(end: Option<&str>) -> Self {
        match end {
            Some("completed") => Outcome::Completed,
            Some("stopped") => Outcome::Stopped,
            Some("skipped") => Outcome::Skipped,
            Some("error") => Outcome::Failed,
            _ => Outcome::Unknown,
        }
    }

    /// How much a play of this kind says the listener likes the track (skips count against it).
    pub fn taste_weight(self) -> f32 {
        match self {
            Outcome::Completed => 1.0,
            Outcome::Stopped => 0.5,
            Outcome::Unknown => 0.6,
            Outcome::Skipped => -0.4,
            Outcome::Failed => 0.0,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Play {
    /// Catalog index.
    pub track: usize,
    /// Unix seconds.
    pub at: i64,
    pub outcome: Outcome,
}

pub use crate::feedback::Verdict;

#[derive(Debug, Clone, Default)]
pub struct History {
    /// In time order.
    pub plays: Vec<Play>,
    /// Catalog index → (verdict, Unix seconds).
    pub feedback: HashMap<usize, (Verdict, i64)>,
}

/// Taste fades: a play half a year ago counts half as much as one today.
const HALF_LIFE_DAYS: f64 = 180.0;
const LIKE_WEIGHT: f32 = 3.0;
const HIDE_WEIGHT: f32 = -3.0;

impl History {
    /// Every play of a present track and every verdict, from the database.
    pub fn load(conn: &Connection, catalog: &Catalog) -> rusqlite::Result<Self> {
        let mut history = History::default();
        let mut stmt = conn.prepare(
            "SELECT track_id, started_at, end_reason FROM plays ORDER BY started_at, id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            if let Some(&track) = catalog.index.get(&r.get::<_, i64>(0)?) {
                history.plays.push(Play {
                    track,
                    at: r.get(1)?,
                    outcome: Outcome::from_end_reason(r.get::<_, Option<String>>(2)?.as_deref()),
                });
            }
        }
        for (track_id, verdict, at) in crate::feedback::verdicts(conn)? {
            if let Some(&track) = catalog.index.get(&track_id) {
                history.feedback.insert(track, (verdict, at));
            }
        }
        Ok(history)
    }

    /// Plays before `as_of`.
    pub fn plays_before(&self, as_of: i64) -> &[Play] {
        let end = self.plays.partition_point(|p| p.at < as_of);
        &self.plays[..end]
    }

    /// Each track's taste weight from what happened before `as_of`: plays by outcome, fading with
    /// their age at `reference` (the day's start, so the weights do not change during the day), plus
    /// likes and hides. Positive = the listener likes it; negative = skipped more than played, or hidden.
    /// Ordered by track, so that sums over it come out the same on every run (a list is
    /// deterministic for the same state and day).
    pub fn taste_weights(&self, as_of: i64, reference: i64) -> BTreeMap<usize, f32> {
        let mut weights: BTreeMap<usize, f32> = BTreeMap::new();
        for p in self.plays_before(as_of) {
            let days = (reference - p.at).max(0) as f64 / 86_400.0;
            let fade = 0.5f64.powf(days / HALF_LIFE_DAYS) as f32;
            *weights.entry(p.track).or_default() += p.outcome.taste_weight() * fade;
        }
        for (&track, &(verdict, at)) in &self.feedback {
            if at <= as_of {
                *weights.entry(track).or_default() += match verdict {
                    Verdict::Like => LIKE_WEIGHT,
                    Verdict::Hide => HIDE_WEIGHT,
                };
            }
        }
        weights.retain(|_, w| *w != 0.0);
        weights
    }

    /// The last play of each track before `as_of` (Unix seconds).
    pub fn last_played(&self, as_of: i64) -> HashMap<usize, (i64, Outcome)> {
        let mut last = HashMap::new();
        for p in self.plays_before(as_of) {
            last.insert(p.track, (p.at, p.outcome));
        }
        last
    }
}
