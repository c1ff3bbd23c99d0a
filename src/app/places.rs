//! The listener's own places: playlists, artists, recently played, liked songs and what to leave
//! out of generated lists. Each is a short read or edit on the facade's connection.

use std::path::Path;

use serde::Serialize;

use super::{Error, Result, Sonare};
use crate::exclusions::{self, Exclusion, ExclusionKind};
use crate::library::artists::{self, ArtistLibrary, ArtistRow, ArtistSort};
use crate::library::browse::{hydrate, TrackRow};
use crate::playlists::export::{self, ExportReport, Format};
use crate::playlists::{self, Playlist, PlaylistSummary};

/// Most plays "Recently played" returns at once.
pub const MAX_HISTORY: u32 = 5_000;

/// An artist's page: the library's side and the artists like them, each list labelled by the
/// model it comes from.
#[derive(Debug, Clone, Serialize)]
pub struct ArtistPage {
    #[serde(flatten)]
    pub library: ArtistLibrary,
    /// By names, genres and tags (the metadata text model).
    pub like_by_text: Vec<(String, f32)>,
    /// By shared co-listening data (empty without it).
    pub like_by_listeners: Vec<(String, f32)>,
}

/// One play of "Recently played".
#[derive(Debug, Clone, Serialize)]
pub struct HistoryEntry {
    pub track: TrackRow,
    pub play_id: i64,
    pub started_at: i64,
    pub heard_ms: i64,
    /// completed | skipped | stopped | error; `None` while playing or when the source does not say.
    pub end: Option<String>,
    /// local (this player) or the importer's name (spotify, listenbrainz, lastfm…).
    pub source: String,
    pub context: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct LikedTrack {
    pub track: TrackRow,
    pub liked_at: i64,
}

impl Sonare {
    pub fn playlists(&self) -> Result<Vec<PlaylistSummary>> {
        Ok(playlists::list(&self.db())?)
    }

    pub fn playlist(&self, id: i64) -> Result<Playlist> {
        Ok(playlists::show(&self.db(), id)?)
    }

    /// A new playlist of `track_ids` (in that order); returns its id.
    pub fn create_playlist(&self, name: &str, track_ids: &[i64]) -> Result<i64> {
        Ok(playlists::create(&self.db(), name, track_ids)?)
    }

    pub fn rename_playlist(&self, id: i64, name: &str) -> Result<()> {
        Ok(playlists::rename(&self.db(), id, name)?)
    }

    pub fn delete_playlist(&self, id: i64) -> Result<()> {
        Ok(playlists::delete(&self.db(), id)?)
    }

    pub fn duplicate_playlist(&self, id: i64, name: Option<&str>) -> Result<i64> {
        Ok(playlists::duplicate(&self.db(), id, name)?)
    }

    /// Adds tracks at `at` (default: the end); returns the new length.
    pub fn add_to_playlist(&self, id: i64, track_ids: &[i64], at: Option<usize>) -> Result<usize> {
        Ok(playlists::add(&self.db(), id, track_ids, at)?)
    }

    /// Removes the entries at `positions`; returns the new length.
    pub fn remove_from_playlist(&self, id: i64, positions: &[usize]) -> Result<usize> {
        Ok(playlists::remove(&self.db(), id, positions)?)
    }

    pub fn move_in_playlist(&self, id: i64, from: usize, to: usize) -> Result<()> {
        Ok(playlists::move_entry(&self.db(), id, from, to)?)
    }

    /// The playable tracks of a playlist, in order.
    pub fn playlist_track_ids(&self, id: i64) -> Result<Vec<i64>> {
        Ok(playlists::track_ids(&self.db(), id)?)
    }

    /// Writes a playlist to `path` as M3U8 or XSPF (default: by the file's extension).
    pub fn export_playlist(
        &self,
        id: i64,
        path: &Path,
        format: Option<Format>,
    ) -> Result<ExportReport> {
        let format = format.or_else(|| Format::from_path(path)).ok_or_else(|| {
            Error::UnknownFormat(format!(
                "{}: say m3u8 or xspf (or name the file .m3u8 or .xspf)",
                path.display()
            ))
        })?;
        let playlist = self.playlist(id)?;
        Ok(export::write(&playlist, path, format)?)
    }

    /// Saves a day's Discover Daily (today when `None`) as a new playlist; returns its id.
    pub fn save_discover_as_playlist(
        &self,
        day: Option<chrono::NaiveDate>,
        name: Option<&str>,
    ) -> Result<i64> {
        let list = self.discover_daily(&super::DiscoverRequest {
            day,
            ..Default::default()
        })?;
        let ids: Vec<i64> = list.tracks.iter().map(|t| t.track.id).collect();
        let name = name
            .map(str::to_owned)
            .unwrap_or_else(|| format!("Discover Daily {}", list.header.day));
        self.create_playlist(&name, &ids)
    }

    pub fn artists(&self, search: &str, sort: ArtistSort) -> Result<Vec<ArtistRow>> {
        Ok(artists::list_artists(&self.db(), search, sort)?)
    }

    /// An artist's page, with artists like them by text and (with shared data) by co-listening.
    pub fn artist(&self, name: &str) -> Result<ArtistPage> {
        let conn = self.connection()?;
        let library = artists::artist_library(&conn, name)?
            .ok_or_else(|| Error::NotFound(format!("no artist {name:?} in the library")))?;
        let meaning = self.text_embeddings(&conn)?;
        let like_by_text = self
            .search_index(&conn)?
            .similar_artists(&library.name, 8, Some(&meaning))
            .unwrap_or_default();
        let like_by_listeners = crate::cf::artists::co_listened(&conn, &library.name, 8)?;
        Ok(ArtistPage {
            library,
            like_by_text,
            like_by_listeners,
        })
    }

    /// The latest plays, newest first: the player's and imported ones.
    pub fn recent_plays(&self, limit: u32) -> Result<Vec<HistoryEntry>> {
        let conn = self.db();
        let plays = crate::playback::history::recent_plays(&conn, limit.clamp(1, MAX_HISTORY))?;
        Ok(hydrate(&conn, plays, |p| p.track_id)?
            .into_iter()
            .map(|(track, p)| HistoryEntry {
                track,
                play_id: p.id,
                started_at: p.started_at,
                heard_ms: p.heard_ms,
                end: p.end,
                source: p.source,
                context: p.context,
            })
            .collect())
    }

    /// The liked songs, most recently liked first.
    pub fn liked(&self) -> Result<Vec<LikedTrack>> {
        let conn = self.db();
        let liked = crate::feedback::liked(&conn)?;
        Ok(hydrate(&conn, liked, |l| l.0)?
            .into_iter()
            .map(|(track, (_, at))| LikedTrack {
                track,
                liked_at: at,
            })
            .collect())
    }

    /// Which of `ids` are liked (for hearts on any list).
    pub fn liked_among(&self, ids: &[i64]) -> Result<Vec<i64>> {
        let verdicts = crate::feedback::verdicts_of(&self.db(), ids)?;
        Ok(ids
            .iter()
            .copied()
            .filter(|id| matches!(verdicts.get(id), Some(crate::feedback::Verdict::Like)))
            .collect())
    }

    pub fn exclusions(&self) -> Result<Vec<Exclusion>> {
        Ok(exclusions::list(&self.db())?)
    }

    /// Leaves an artist, genre or folder out of every generated list from the next one on;
    /// returns the exclusion's id.
    pub fn exclude(&self, kind: ExclusionKind, label: &str) -> Result<i64> {
        exclusions::add(&self.db(), kind, label)?
            .ok_or_else(|| Error::BadArgument(format!("nothing to leave out in {label:?}")))
    }

    /// Takes an exclusion back.
    pub fn include(&self, exclusion_id: i64) -> Result<()> {
        if !exclusions::remove(&self.db(), exclusion_id)? {
            return Err(Error::NotFound(format!(
                "no exclusion with id {exclusion_id}"
            )));
        }
        Ok(())
    }
}
