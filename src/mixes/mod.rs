//! Mixes made from the listener's own taste, beside Discover Daily: up to six Daily Mixes (one per
//! taste cluster: favourites of the cluster with a share of songs not played yet), Rediscover (songs
//! loved but not heard for a while), an endless radio from any seeds, and a path from one song to
//! another through the library's sound.
//!
//! Like `discover::engine`, every generator here is pure and seeded: the same catalog, history and
//! seed give the same mix. `store` keeps a day's Daily Mixes and Rediscover so they stay stable
//! within the day; the facade (`app::mixes`) reads the library and runs the radio sessions.

pub mod anchor;
pub mod daily;
pub mod day;
pub mod path;
pub mod radio;
pub mod rediscover;
pub mod store;

use std::collections::HashSet;

use crate::discover::catalog::Catalog;
use crate::discover::engine::{Reason, ReasonKind};
use crate::discover::history::{History, Outcome, Verdict};

/// One track of a mix, with why it is there.
#[derive(Debug, Clone, PartialEq)]
pub struct MixEntry {
    /// Catalog index.
    pub track: usize,
    pub reason: Reason,
}

/// A generated mix before it is stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Made {
    pub kind: MixKind,
    pub title: String,
    pub subtitle: String,
    pub entries: Vec<MixEntry>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MixKind {
    Daily,
    Rediscover,
}

impl MixKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MixKind::Daily => "daily",
            MixKind::Rediscover => "rediscover",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        [MixKind::Daily, MixKind::Rediscover]
            .into_iter()
            .find(|k| k.as_str() == name)
    }
}

/// What every generator reads: the library, the listener and their exclusions.
pub struct MixInputs<'a> {
    pub catalog: &'a Catalog,
    pub history: &'a History,
    /// Catalog indices the listener's exclusions leave out.
    pub left_out: &'a HashSet<usize>,
    /// The listener folded into the shared co-listening model (0–1 per catalog track; empty
    /// without shared data).
    pub cf: &'a [f32],
    /// Unix seconds: history from here on is not used.
    pub as_of: i64,
    pub seed: u64,
}

impl MixInputs<'_> {
    pub fn cf(&self, i: usize) -> f32 {
        self.cf.get(i).copied().unwrap_or(0.0)
    }
}

/// Which catalog tracks a mix may hold: the file offered for its song, not left out, not hidden,
/// not failing to play when last tried.
pub struct Offerable {
    ok: Vec<bool>,
}

impl Offerable {
    pub fn new(catalog: &Catalog, history: &History, left_out: &HashSet<usize>) -> Self {
        let mut ok: Vec<bool> = catalog
            .tracks
            .iter()
            .enumerate()
            .map(|(i, t)| t.offered && !left_out.contains(&i))
            .collect();
        for (&i, (verdict, _)) in &history.feedback {
            if *verdict == Verdict::Hide {
                ok[i] = false;
            }
        }
        for (i, (_, outcome)) in history.last_played(i64::MAX) {
            if outcome == Outcome::Failed {
                ok[i] = false;
            }
        }
        Offerable { ok }
    }

    pub fn allows(&self, i: usize) -> bool {
        self.ok.get(i).copied().unwrap_or(false)
    }
}

fn reason(kind: ReasonKind, text: String, track: Option<usize>) -> Reason {
    Reason { kind, text, track }
}

/// Orders picks so that no artist comes twice within `gap` tracks where the picks allow it (the
/// best-placed remaining track of another artist moves up).
pub fn space_artists(catalog: &Catalog, entries: Vec<MixEntry>, gap: usize) -> Vec<MixEntry> {
    let mut rest = entries;
    let mut out: Vec<MixEntry> = Vec::with_capacity(rest.len());
    while !rest.is_empty() {
        let recent: Vec<u32> = out
            .iter()
            .rev()
            .take(gap)
            .map(|e| catalog.tracks[e.track].artist_group)
            .collect();
        let at = rest
            .iter()
            .position(|e| !recent.contains(&catalog.tracks[e.track].artist_group))
            .unwrap_or(0);
        out.push(rest.remove(at));
    }
    out
}

#[cfg(test)]
mod tests;
