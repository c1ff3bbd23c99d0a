//! The facade's mixes: the day's Daily Mixes and Rediscover (made once a day, stored), radio
//! sessions that extend themselves from the same models, and paths from one song to another. Every
//! track comes with its reason, as in Discover.

use std::collections::HashSet;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{lock, Error, Result, Sonare};
use crate::discover::engine::ReasonKind;
use crate::discover::history::{History, Verdict};
use crate::discover::{self, left_out_of, Prepared};
use crate::library::browse::{album_track_ids, hydrate, TrackRow};
use crate::mixes::day::{self, day_key};
use crate::mixes::path::{path, PathError};
use crate::mixes::radio::{extend, Radio, RadioInputs};
use crate::mixes::store::{self, MixHeader, StoredEntry};
use crate::mixes::MixEntry;

/// One track of a mix or radio, as shown.
#[derive(Debug, Clone, Serialize)]
pub struct MixTrack {
    pub track: TrackRow,
    pub reason_kind: ReasonKind,
    pub reason: String,
    pub reason_track: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Mix {
    #[serde(flatten)]
    pub header: MixHeader,
    pub tracks: Vec<MixTrack>,
}

/// What a radio starts from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Seed {
    Track {
        id: i64,
    },
    Album {
        album: String,
        album_artist: Option<String>,
    },
    Artist {
        name: String,
    },
    Playlist {
        id: i64,
    },
}

/// Tracks a radio queues at once.
pub const RADIO_BATCH: usize = 10;
/// Tracks a radio starts with in the app: few, so it starts at once; more follow before they run out.
pub const RADIO_START: usize = 5;

/// A radio as the facade runs it: track ids (the catalog may be read again between extensions).
#[derive(Debug, Clone)]
pub struct RadioSession {
    pub title: String,
    seeds: Vec<i64>,
    queued: Vec<i64>,
    started_at: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct RadioBatch {
    pub title: String,
    pub tracks: Vec<MixTrack>,
}

impl Sonare {
    /// Reads the prepared library (the one Discover uses) and runs `f` on it.
    fn with_prepared<T>(
        &self,
        conn: &rusqlite::Connection,
        f: impl FnOnce(&Prepared) -> Result<T>,
    ) -> Result<T> {
        let mut prepared = lock(&self.discover);
        discover::prepare(conn, &mut prepared, &|c| self.model_for_discover(c))?;
        f(prepared.as_ref().expect("just prepared"))
    }

    /// The Daily Mixes and Rediscover of `day` (default today), made on first ask from the history
    /// before the day began and then the same all day. A listener whose history all began today
    /// gets mixes of what they played so far, made again on each ask until the next day.
    pub fn mixes(&self, day: Option<NaiveDate>) -> Result<Vec<Mix>> {
        let day = day.unwrap_or_else(discover::today);
        let mut conn = self.connection()?;
        if !store::made(&conn, &day_key(day))? {
            let conn2 = self.connection()?;
            let first_day = self.with_prepared(&conn2, |ready| {
                day::ensure(&mut conn, ready, day)?;
                if store::made(&conn, &day_key(day))? || day != discover::today() {
                    return Ok(None);
                }
                let made = day::generate(&conn, ready, day, crate::db::now_unix())?;
                Ok(Some(ids_of_made(ready, made)))
            })?;
            if let Some(made) = first_day {
                return made
                    .into_iter()
                    .map(|(header, entries)| {
                        Ok(Mix {
                            header,
                            tracks: self.hydrate_entries(&conn, entries)?,
                        })
                    })
                    .collect();
            }
        }
        let headers = store::headers(&conn, &day_key(day))?;
        headers
            .into_iter()
            .map(|h| {
                let tracks = self.stored_mix_tracks(&conn, &h)?;
                Ok(Mix { header: h, tracks })
            })
            .collect()
    }

    /// One of the day's mixes by its slot.
    pub fn mix(&self, day: Option<NaiveDate>, slot: i64) -> Result<Mix> {
        self.mixes(day)?
            .into_iter()
            .find(|m| m.header.slot == slot)
            .ok_or_else(|| Error::NotFound(format!("no mix {slot} today")))
    }

    fn stored_mix_tracks(
        &self,
        conn: &rusqlite::Connection,
        h: &MixHeader,
    ) -> Result<Vec<MixTrack>> {
        self.hydrate_entries(conn, store::entries(conn, &h.day, h.slot)?)
    }

    /// Saves one of the day's mixes as a playlist (named after the mix unless `name` is given).
    pub fn save_mix_as_playlist(
        &self,
        day: Option<NaiveDate>,
        slot: i64,
        name: Option<&str>,
    ) -> Result<i64> {
        let mix = self.mix(day, slot)?;
        let ids: Vec<i64> = mix.tracks.iter().map(|t| t.track.id).collect();
        let name = name
            .map(str::to_owned)
            .unwrap_or_else(|| format!("{} ({})", mix.header.title, mix.header.day));
        self.create_playlist(&name, &ids)
    }

    /// The library tracks a seed stands for, and how to name it.
    fn seed_tracks(&self, seed: &Seed) -> Result<(Vec<i64>, String)> {
        let conn = self.db();
        match seed {
            Seed::Track { id } => {
                let t = crate::library::browse::track_by_id(&conn, *id)?
                    .ok_or_else(|| Error::NotFound(format!("no track with id {id}")))?;
                Ok((vec![*id], format!("{} – {}", t.artist, t.title)))
            }
            Seed::Album {
                album,
                album_artist,
            } => Ok((
                album_track_ids(&conn, album, album_artist.as_deref())?,
                album.clone(),
            )),
            Seed::Artist { name } => {
                drop(conn);
                self.artist_seed(name)
            }
            Seed::Playlist { id } => {
                let playlist = crate::playlists::show(&conn, *id)?;
                Ok((
                    crate::playlists::track_ids(&conn, *id)?,
                    playlist.summary.name,
                ))
            }
        }
    }

    /// An artist's tracks as radio seeds: their 20 most played, or all when none was played. Read
    /// from the prepared catalog (an artist page's queries scan the library: a tenth of a second on
    /// 100k tracks). Names match as the artist page matches them: artist or album artist, case aside.
    fn artist_seed(&self, name: &str) -> Result<(Vec<i64>, String)> {
        let conn = self.connection()?;
        let (ids, shown) = self.with_prepared(&conn, |ready| {
            let wanted = name.trim();
            let mut shown = None;
            let ids: Vec<i64> = ready
                .catalog()
                .tracks
                .iter()
                .filter(|t| {
                    let by = |n: &str| n.trim().eq_ignore_ascii_case(wanted);
                    let hit = by(&t.meta.artist) || t.meta.album_artist.as_deref().is_some_and(by);
                    if hit && shown.is_none() {
                        shown = Some(t.meta.artist.clone());
                    }
                    hit
                })
                .map(|t| t.meta.id)
                .collect();
            Ok((ids, shown))
        })?;
        let Some(shown) = shown else {
            return Err(Error::NotFound(format!(
                "no artist {name:?} in the library"
            )));
        };
        let mut count = conn.prepare_cached("SELECT count(*) FROM plays WHERE track_id = ?1")?;
        let mut played: Vec<(i64, i64)> = Vec::new();
        for &id in &ids {
            let n: i64 = count.query_row([id], |r| r.get(0))?;
            if n > 0 {
                played.push((id, n));
            }
        }
        played.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        if played.is_empty() {
            return Ok((ids, shown));
        }
        Ok((played.into_iter().take(20).map(|p| p.0).collect(), shown))
    }

    /// Starts a radio from `seeds` (replacing the one running): its first tracks. A single song
    /// starts the radio itself; an album, artist or playlist starts from one of its tracks.
    pub fn radio_start(&self, seeds: &[Seed], count: usize) -> Result<RadioBatch> {
        if seeds.is_empty() {
            return Err(Error::BadArgument("a radio needs at least one seed".into()));
        }
        let mut ids = Vec::new();
        let mut names = Vec::new();
        for seed in seeds {
            let (tracks, name) = self.seed_tracks(seed)?;
            if tracks.is_empty() {
                return Err(Error::NotFound(format!(
                    "{name} has no tracks in the library"
                )));
            }
            ids.extend(tracks);
            names.push(name);
        }
        let mut seen = HashSet::new();
        ids.retain(|id| seen.insert(*id));
        let title = format!("Radio: {}", names.join(" + "));
        let first_track = matches!(seeds, [Seed::Track { .. }]).then(|| ids[0]);
        let session = RadioSession {
            title: title.clone(),
            seeds: ids,
            queued: first_track.into_iter().collect(),
            started_at: crate::db::now_unix(),
        };
        *lock(&self.radio) = Some(session);
        let more = count.saturating_sub(usize::from(first_track.is_some()));
        let mut batch = self.radio_more(more)?;
        if let Some(id) = first_track {
            let start = StoredEntry {
                position: 0,
                track_id: id,
                reason_kind: ReasonKind::Start,
                reason: "where the radio starts".into(),
                reason_track: None,
            };
            let first = self.hydrate_entries(&self.db(), vec![start])?;
            batch.tracks = first.into_iter().chain(batch.tracks).collect();
        }
        Ok(batch)
    }

    /// The next `count` tracks of the running radio, steered by what the listener skipped and
    /// liked of it since it started.
    pub fn radio_more(&self, count: usize) -> Result<RadioBatch> {
        let Some(mut session) = lock(&self.radio).clone() else {
            return Err(Error::NotFound("no radio is playing".into()));
        };
        let conn = self.connection()?;
        let entries = self.with_prepared(&conn, |ready| {
            let catalog = ready.catalog();
            let index = |ids: &[i64]| -> Vec<usize> {
                ids.iter()
                    .filter_map(|id| catalog.index.get(id).copied())
                    .collect()
            };
            let seeds = index(&session.seeds);
            let history = History::load(&conn, catalog)?;
            let skipped = radio_skips(&conn, &session)?;
            let liked: Vec<usize> = history
                .feedback
                .iter()
                .filter(|(_, (v, at))| *v == Verdict::Like && *at >= session.started_at)
                .map(|(&t, _)| t)
                .collect();
            let radio = Radio {
                seeds: seeds.clone(),
                queued: index(&session.queued),
                skipped: index(&skipped),
                liked,
            };
            let scores = day::seed_scores(&conn, ready, &history, &seeds)?;
            let left_out = left_out_of(&conn, catalog)?;
            let inputs = RadioInputs {
                catalog,
                history: &history,
                left_out: &left_out,
                co_listened: &scores.co_listened,
                sessions: &scores.sessions,
                seed: crate::discover::rng::seed_of(&[
                    &session.title,
                    &session.started_at.to_string(),
                ]),
            };
            let made = extend(&inputs, &radio, count);
            Ok(ids_of(ready, made))
        })?;
        session.queued.extend(entries.iter().map(|e| e.track_id));
        let batch = RadioBatch {
            title: session.title.clone(),
            tracks: self.hydrate_entries(&conn, entries)?,
        };
        // Kept only if no other radio started meanwhile.
        let mut running = lock(&self.radio);
        if running
            .as_ref()
            .is_some_and(|r| r.started_at == session.started_at && r.title == session.title)
        {
            *running = Some(session);
        }
        Ok(batch)
    }

    /// A list of `length` songs from `from` to `to` in small steps of sound.
    pub fn path_between(&self, from: i64, to: i64, length: usize) -> Result<Vec<MixTrack>> {
        let conn = self.connection()?;
        let entries = self.with_prepared(&conn, |ready| {
            let catalog = ready.catalog();
            let at = |id: i64| {
                catalog
                    .index
                    .get(&id)
                    .copied()
                    .ok_or_else(|| Error::NotFound(format!("no track with id {id}")))
            };
            let (a, b) = (at(from)?, at(to)?);
            let history = History::load(&conn, catalog)?;
            let left_out = left_out_of(&conn, catalog)?;
            let made = path(catalog, &history, &left_out, a, b, length).map_err(|e| match e {
                PathError::NoSound(_) => Error::NotFound(e.to_string()),
                _ => Error::BadArgument(e.to_string()),
            })?;
            Ok(ids_of(ready, made))
        })?;
        self.hydrate_entries(&conn, entries)
    }

    fn hydrate_entries(
        &self,
        conn: &rusqlite::Connection,
        entries: Vec<StoredEntry>,
    ) -> Result<Vec<MixTrack>> {
        Ok(hydrate(conn, entries, |e| e.track_id)?
            .into_iter()
            .map(|(track, e)| MixTrack {
                track,
                reason_kind: e.reason_kind,
                reason: e.reason,
                reason_track: e.reason_track,
            })
            .collect())
    }
}

/// Mixes not stored, as headers (numbered in order) and entries by track id.
fn ids_of_made(
    ready: &Prepared,
    made: Vec<crate::mixes::Made>,
) -> Vec<(MixHeader, Vec<StoredEntry>)> {
    let day = day_key(discover::today());
    made.into_iter()
        .enumerate()
        .map(|(slot, m)| {
            let header = MixHeader {
                day: day.clone(),
                slot: slot as i64,
                kind: m.kind,
                title: m.title,
                subtitle: m.subtitle,
            };
            (header, ids_of(ready, m.entries))
        })
        .collect()
}

/// Entries by track id, as stored mixes hold them.
fn ids_of(ready: &Prepared, made: Vec<MixEntry>) -> Vec<StoredEntry> {
    let catalog = ready.catalog();
    made.into_iter()
        .enumerate()
        .map(|(position, e)| StoredEntry {
            position: position as i64,
            track_id: catalog.tracks[e.track].meta.id,
            reason_kind: e.reason.kind,
            reason: e.reason.text,
            reason_track: e.reason.track.map(|t| catalog.tracks[t].meta.id),
        })
        .collect()
}

/// Tracks of the radio the listener skipped since it started.
fn radio_skips(conn: &rusqlite::Connection, session: &RadioSession) -> rusqlite::Result<Vec<i64>> {
    let queued: HashSet<i64> = session.queued.iter().copied().collect();
    let mut stmt = conn.prepare(
        "SELECT DISTINCT track_id FROM plays WHERE started_at >= ?1 AND end_reason = 'skipped'",
    )?;
    let rows = stmt.query_map([session.started_at], |r| r.get::<_, i64>(0))?;
    Ok(rows
        .collect::<rusqlite::Result<Vec<i64>>>()?
        .into_iter()
        .filter(|t| queued.contains(t))
        .collect())
}
