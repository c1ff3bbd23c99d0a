//! What to play for a library view or an album: the player command, with the library read here so
//! the window and the CLI queue the same tracks.

use super::{Error, Result, Sonare};
use crate::library::browse::{album_track_ids, list_track_ids, TrackQuery};
use crate::playback::{Command, PlayContext};

impl Sonare {
    /// Plays the tracks of a library view (its search and sort) from row `index`.
    pub fn play_view(
        &self,
        query: &TrackQuery,
        index: usize,
        context: PlayContext,
    ) -> Result<Command> {
        let tracks = list_track_ids(&self.db(), query)?;
        Command::play_list(tracks, index, context)
            .map_err(|_| Error::NotFound(format!("no row {index} in this view")))
    }

    /// Plays an album from its first track. Albums are told apart by title and album artist.
    pub fn play_album(&self, album: &str, album_artist: Option<&str>) -> Result<Command> {
        let tracks = album_track_ids(&self.db(), album, album_artist)?;
        Command::play_list(tracks, 0, PlayContext::Album)
            .map_err(|_| Error::NotFound(format!("no tracks in album {album}")))
    }
}
