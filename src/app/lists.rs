//! The facade's read operations that return tracks: Discover Daily, find by words, "for you",
//! "more like this sound", a track's details and artists alike. Each scores ids, then joins the rows
//! by id ([`hydrate`]), so a track that left the library meanwhile is dropped, never mislabelled.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::{lock, Error, Result, Sonare, MAX_LIST};
use crate::analysis::{cnn, similar, store};
use crate::cf::{for_you, listener::Listener};
use crate::discover::{self, engine::Options, DailyList, DaySummary, Feedback};
use crate::exclusions::{names_of, LeaveOut};
use crate::library::browse::{hydrate, track_by_id, TrackRow};
use crate::settings::Settings;

/// Which Discover Daily to show.
#[derive(Debug, Clone, Default)]
pub struct DiscoverRequest {
    /// The local day; today when `None`.
    pub day: Option<NaiveDate>,
    /// Tracks in the list (1 to [`MAX_LIST`]; default: the listener's setting); a stored list of
    /// another size is made again.
    pub size: Option<usize>,
    /// Leave out tracks played in the last N days (default: the listener's setting).
    pub fresh_days: Option<u32>,
    /// Make the list again from the current history and feedback.
    pub refresh: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Found {
    pub track: TrackRow,
    pub score: f32,
}

#[derive(Debug, Clone, Serialize)]
pub struct ForYou {
    pub track: TrackRow,
    pub cf: f32,
    pub session: f32,
    pub because: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SimilarTrack {
    pub track: TrackRow,
    pub similarity: f32,
}

/// What the track view shows: the track, its analysis (if any), its most probable sound tags and
/// its lyrics (timed ones follow playback in the lyrics panel).
#[derive(Debug, Clone, Serialize)]
pub struct TrackDetails {
    pub track: TrackRow,
    pub analysis: Option<store::StoredAnalysis>,
    pub top_tags: Vec<(String, f32)>,
    pub lyrics: Option<crate::library::lyrics::Lyrics>,
}

/// A list length the caller asked for, within what any list holds.
fn list_len(k: usize) -> usize {
    k.clamp(1, MAX_LIST)
}

impl DiscoverRequest {
    /// The list's options: the request's size and freshness, the listener's settings otherwise.
    fn options(&self, settings: &Settings) -> Options {
        Options {
            size: list_len(self.size.unwrap_or(settings.discover_size)),
            fresh_days: self.fresh_days.unwrap_or(settings.fresh_days),
            ..Options::default()
        }
    }
}

impl Sonare {
    /// The Discover Daily of a day: the stored list, or a new one when there is none (or it is to be
    /// made again). A stored list never waits for a list being made or for the preparation.
    pub fn discover_daily(&self, request: &DiscoverRequest) -> Result<DailyList> {
        let day = request.day.unwrap_or_else(discover::today);
        let mut conn = self.connection()?;
        let mut regenerate = request.refresh;
        if !regenerate {
            if let Some(stored) = discover::load(&conn, day)? {
                match request.size {
                    Some(size) if stored.tracks.len() != list_len(size) => regenerate = true,
                    _ => return Ok(stored),
                }
            }
        }
        let options = request.options(&self.settings()?);
        let mut prepared = lock(&self.discover);
        let model = |c: &rusqlite::Connection| self.model_for_discover(c);
        Ok(discover::daily_cached(
            &mut conn,
            day,
            &options,
            regenerate,
            &mut prepared,
            &model,
        )?)
    }

    /// The day's list made by each evaluation variant (the app's blend, unshaped, each model alone,
    /// popularity), nothing stored: for comparing them on a real listener.
    pub fn discover_ablation(
        &self,
        request: &DiscoverRequest,
    ) -> Result<BTreeMap<String, discover::ablation::VariantList>> {
        let day = request.day.unwrap_or_else(discover::today);
        let conn = self.connection()?;
        let options = request.options(&self.settings()?);
        let mut prepared = lock(&self.discover);
        let model = |c: &rusqlite::Connection| self.model_for_discover(c);
        Ok(discover::ablation::ablation(
            &conn,
            day,
            &options,
            &mut prepared,
            &model,
        )?)
    }

    /// The days that have a stored list, newest first.
    pub fn discover_days(&self) -> Result<Vec<DaySummary>> {
        Ok(discover::days(&self.db())?)
    }

    /// Records a like, a hide, or takes either back.
    pub fn feedback(&self, track_id: i64, verdict: Feedback) -> Result<()> {
        Ok(discover::feedback(&self.db(), track_id, verdict)?)
    }

    /// Tracks for a free-text query, best first: by its words (text and sound tags) and, once the
    /// library's texts are embedded, by its meaning in any language.
    pub fn find(&self, query: &str, k: usize) -> Result<Vec<Found>> {
        let conn = self.connection()?;
        let index = self.search_index(&conn)?;
        let hits = match self.meaning(&conn)? {
            Some((embeddings, model)) if !query.trim().is_empty() => {
                let q = model.embed(&[query]);
                let q = q.row(0).to_vec();
                index.search_with_meaning(query, list_len(k), &embeddings, &q)
            }
            _ => index.search(query, list_len(k)),
        };
        Ok(hydrate(&conn, hits, |h| h.0)?
            .into_iter()
            .map(|(track, (_, score))| Found { track, score })
            .collect())
    }

    /// Unplayed library tracks by co-listening evidence, with the reason.
    pub fn for_you(&self, k: usize) -> Result<Vec<ForYou>> {
        let conn = self.connection()?;
        let listener = Listener::load(&conn)?;
        let shared = self.shared_model(&conn)?;
        // Asked for more than shown: duplicates and what the listener left out are dropped here.
        let wanted = list_len(k);
        let scores = for_you::scores(&conn, shared.as_deref(), &listener, wanted * 2 + 20)?;
        let not_offered = self.not_offered(&conn)?;
        let leave_out = LeaveOut::load(&conn)?;
        Ok(hydrate(&conn, scores, |s| s.track_id)?
            .into_iter()
            .filter(|(track, _)| {
                !not_offered.contains(&track.id) && !leave_out.excludes(&names_of(track))
            })
            .take(wanted)
            .map(|(track, s)| ForYou {
                track,
                cf: s.cf,
                session: s.session,
                because: s.because,
            })
            .collect())
    }

    /// "More like this sound": the tracks nearest to `track_id` by the audio embedding.
    pub fn similar(&self, track_id: i64, k: usize) -> Result<Vec<SimilarTrack>> {
        let conn = self.connection()?;
        let neighbours = similar::more_like(&conn, track_id, list_len(k))?;
        Ok(hydrate(&conn, neighbours, |n| n.track_id)?
            .into_iter()
            .map(|(track, n)| SimilarTrack {
                track,
                similarity: n.similarity,
            })
            .collect())
    }

    /// A track with its analysis and its most probable sound tags (not the raw vectors).
    pub fn track_details(&self, track_id: i64) -> Result<TrackDetails> {
        let conn = self.db();
        let track = track_by_id(&conn, track_id)?
            .ok_or_else(|| Error::NotFound(format!("no track with id {track_id}")))?;
        let mut analysis = store::get(&conn, track_id)?;
        let top_tags = analysis
            .as_ref()
            .map(|a| cnn::top_tags(&a.tags, 8))
            .unwrap_or_default();
        if let Some(a) = analysis.as_mut() {
            a.tags.clear();
            a.embedding.clear();
        }
        let lyrics = crate::library::store::lyrics(&conn, track_id)?;
        Ok(TrackDetails {
            track,
            analysis,
            top_tags,
            lyrics,
        })
    }

    /// Artists of the library closest to `name` by text (words and meaning).
    pub fn artists_like(&self, name: &str, k: usize) -> Result<Vec<(String, f32)>> {
        let conn = self.connection()?;
        let meaning = self.text_embeddings(&conn)?;
        self.search_index(&conn)?
            .similar_artists(name, list_len(k), Some(&meaning))
            .ok_or_else(|| Error::NotFound(format!("no artist {name:?} in the library")))
    }
}
