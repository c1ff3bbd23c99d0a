//! The items imported data names (songs and artists, the `ext_items` table) and their match keys:
//! shared by the importers, the matcher and the listener's scores.

use crate::text::match_key::{artist_key, title_key};

/// Kinds of item imported data names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    Track,
    Artist,
}

/// The match key of a song or an artist (see the `ext_items` table).
pub fn item_key(kind: ItemKind, artist: &str, title: Option<&str>) -> String {
    match kind {
        ItemKind::Track => format!(
            "t:{}\u{1f}{}",
            artist_key(artist),
            title_key(title.unwrap_or(""))
        ),
        ItemKind::Artist => format!("a:{}", artist_key(artist)),
    }
}
