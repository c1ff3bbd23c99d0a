//! "For you": library tracks the listener has not played, by co-listening evidence: the shared
//! model's scores plus session co-occurrence with the listener's own plays.

use std::collections::HashMap;

use rusqlite::Connection;

use super::listener::Listener;
use super::sessions::CoOccurrence;
use super::shared_model::{add_shared_scores, SharedModel, SharedModelError, TrackScore};

/// CF scores of library tracks the listener has not played, best first (by `cf + session`).
pub fn scores(
    conn: &Connection,
    shared: Option<&SharedModel>,
    listener: &Listener,
    k: usize,
) -> Result<Vec<TrackScore>, SharedModelError> {
    let mut by_track: HashMap<i64, TrackScore> = HashMap::new();
    if let Some(shared) = shared {
        add_shared_scores(conn, shared, listener, &mut by_track)?;
    }
    let co = CoOccurrence::load(conn)?;
    let mut session_best: HashMap<i64, (f32, i64)> = HashMap::new();
    for (&played, &w) in &listener.tracks {
        for (t, c) in co.neighbours(played) {
            let score = by_track.entry(t).or_insert_with(|| TrackScore::new(t));
            score.session += w * c;
            let best = session_best.entry(t).or_insert((0.0, played));
            if w * c > best.0 {
                *best = (w * c, played);
            }
        }
    }
    let max_session = by_track
        .values()
        .map(|s| s.session)
        .fold(f32::MIN_POSITIVE, f32::max);
    let mut out: Vec<TrackScore> = by_track
        .into_values()
        .filter(|s| !listener.tracks.contains_key(&s.track_id))
        .map(|mut s| {
            s.session /= max_session;
            s
        })
        .collect();
    out.sort_by(|a, b| {
        (b.cf + b.session)
            .total_cmp(&(a.cf + a.session))
            .then(a.track_id.cmp(&b.track_id))
    });
    out.truncate(k);
    // Tracks found only through sessions are explained by the track they were played next to.
    let mut title_of = conn.prepare("SELECT artist, title FROM tracks WHERE id = ?1")?;
    for s in out.iter_mut().filter(|s| s.because.is_none()) {
        if let Some(&(_, played)) = session_best.get(&s.track_id) {
            let (artist, title): (String, String) =
                title_of.query_row([played], |r| Ok((r.get(0)?, r.get(1)?)))?;
            s.because = Some(format!("{artist} – {title}"));
        }
    }
    Ok(out)
}
