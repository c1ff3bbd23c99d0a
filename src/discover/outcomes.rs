//! What became of earlier candidates: the blend's training samples. A candidate logged on a day with
//! its model scores is a positive if the listener then played it through or liked it, and a negative
//! if they skipped it, hid it, or let it pass; shown tracks and explicit verdicts say the most.

use std::collections::HashMap;

use super::blend::{Features, Sample};
use super::history::{History, Outcome, Verdict};

/// Plays this many days after a list count as its outcome.
pub const OUTCOME_DAYS: i64 = 7;

/// A candidate as it was logged: its day's history cut-off, catalog index, whether it was in the
/// list, and its scores then.
#[derive(Debug, Clone, Copy)]
pub struct Logged {
    pub as_of: i64,
    pub track: usize,
    pub shown: bool,
    pub features: Features,
}

/// Training samples from logged candidates, judged by what happened before `now`.
pub fn samples(logged: &[Logged], history: &History, now: i64) -> Vec<Sample> {
    let mut plays: HashMap<usize, Vec<(i64, Outcome)>> = HashMap::new();
    for p in history.plays_before(now) {
        plays.entry(p.track).or_default().push((p.at, p.outcome));
    }
    logged
        .iter()
        .filter(|l| l.as_of < now)
        .map(|l| {
            let end = (l.as_of + OUTCOME_DAYS * 86_400).min(now);
            let verdict = history
                .feedback
                .get(&l.track)
                .filter(|(_, at)| *at >= l.as_of && *at < now)
                .map(|(v, _)| *v);
            let (mut played, mut skipped) = (false, false);
            for &(at, outcome) in plays.get(&l.track).map(Vec::as_slice).unwrap_or(&[]) {
                if at >= l.as_of && at < end {
                    match outcome {
                        Outcome::Completed | Outcome::Stopped | Outcome::Unknown => played = true,
                        Outcome::Skipped => skipped = true,
                        Outcome::Failed => {}
                    }
                }
            }
            let (positive, weight) = match verdict {
                Some(Verdict::Like) => (true, 3.0),
                Some(Verdict::Hide) => (false, 3.0),
                None if played => (true, if l.shown { 2.0 } else { 1.0 }),
                None if skipped => (false, if l.shown { 1.5 } else { 1.0 }),
                None => (false, if l.shown { 0.3 } else { 0.1 }),
            };
            Sample {
                x: l.features,
                positive,
                weight,
            }
        })
        .collect()
}
