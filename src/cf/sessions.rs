//! Session co-occurrence from the listener's own history: tracks played close together (same
//! session, a few plays apart) are related, whatever any model thinks. Skips and failed plays do not
//! count: skipping B after A says the opposite.

use std::collections::HashMap;

use rusqlite::Connection;

/// A gap longer than this between two plays starts a new session.
pub const SESSION_GAP_SECS: i64 = 30 * 60;
/// Plays at most this many places apart in a session count as played together.
pub const WINDOW: usize = 5;

/// Symmetric co-occurrence weights between library tracks: the sum over sessions of 1/distance for
/// each pair of (non-skipped) plays at most `WINDOW` apart.
#[derive(Debug, Default, Clone)]
pub struct CoOccurrence {
    pub pairs: HashMap<i64, HashMap<i64, f32>>,
}

impl CoOccurrence {
    pub fn from_plays(plays: &[(i64, i64)]) -> Self {
        let mut co = CoOccurrence::default();
        let mut session: Vec<i64> = Vec::new();
        let mut last_time = i64::MIN;
        let flush = |session: &mut Vec<i64>, co: &mut CoOccurrence| {
            for (a, &ta) in session.iter().enumerate() {
                for (d, &tb) in session.iter().skip(a + 1).take(WINDOW).enumerate() {
                    if ta != tb {
                        let w = 1.0 / (d + 1) as f32;
                        *co.pairs.entry(ta).or_default().entry(tb).or_default() += w;
                        *co.pairs.entry(tb).or_default().entry(ta).or_default() += w;
                    }
                }
            }
            session.clear();
        };
        for &(track, at) in plays {
            if at.saturating_sub(last_time) > SESSION_GAP_SECS {
                flush(&mut session, &mut co);
            }
            session.push(track);
            last_time = at;
        }
        flush(&mut session, &mut co);
        co
    }

    /// From every play in the history that was not skipped or failed, in time order.
    pub fn load(conn: &Connection) -> rusqlite::Result<Self> {
        let plays: Vec<(i64, i64)> = conn
            .prepare(
                "SELECT track_id, started_at FROM plays
                 WHERE coalesce(end_reason, 'stopped') NOT IN ('skipped', 'error')
                 ORDER BY started_at, id",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Self::from_plays(&plays))
    }

    pub fn neighbours(&self, track: i64) -> impl Iterator<Item = (i64, f32)> + '_ {
        self.pairs
            .get(&track)
            .into_iter()
            .flat_map(|m| m.iter().map(|(&t, &w)| (t, w)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plays_close_in_a_session_co_occur_and_a_long_gap_separates_sessions() {
        let plays = [
            (1, 0),
            (2, 60),
            (3, 120),
            (4, 120 + SESSION_GAP_SECS + 1),
            (1, 10_000),
        ];
        let co = CoOccurrence::from_plays(&plays);
        assert_eq!(co.pairs[&1][&2], 1.0);
        assert_eq!(co.pairs[&1][&3], 0.5);
        assert_eq!(co.pairs[&2][&1], 1.0);
        assert!(!co.pairs.get(&3).is_some_and(|m| m.contains_key(&4)));
        assert!(!co.pairs.contains_key(&4));
    }
}
