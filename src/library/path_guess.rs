//! Fills tags a file lacks from its path, read as `Artist/Album/01 Title.ext`.

use std::path::Path;

use super::meta::{clean_text, TrackMeta};

/// Fills empty title/artist/album and a missing track number from `path`, using only the folders
/// below the library folder `root` (the folders above it say nothing about the music).
pub fn fill_from_path(meta: &mut TrackMeta, path: &Path, root: &Path) {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (number, rest) = split_track_number(&stem);
    if meta.track_no.is_none() {
        meta.track_no = number;
    }
    // Folder names between the library folder and the file, innermost first.
    let relative = path.strip_prefix(root).unwrap_or(path);
    let mut dirs = relative
        .parent()
        .into_iter()
        .flat_map(Path::components)
        .filter_map(|c| match c {
            std::path::Component::Normal(name) => clean_text(&name.to_string_lossy()),
            _ => None,
        })
        .collect::<Vec<_>>();
    dirs.reverse();
    let album_dir = dirs.first().cloned();
    let artist_dir = dirs.get(1).cloned();
    // "Artist - Title" in the file name wins over the folder for the artist.
    let (name_artist, title) = match rest.split_once(" - ") {
        Some((a, t)) if !a.trim().is_empty() && !t.trim().is_empty() => (clean_text(a), t),
        _ => (None, rest),
    };
    if meta.title.is_empty() {
        meta.title = clean_text(&title.replace('_', " ")).unwrap_or_else(|| stem.clone());
    }
    if meta.album.is_empty() {
        meta.album = album_dir.unwrap_or_else(|| UNKNOWN_ALBUM.into());
    }
    if meta.artist.is_empty() {
        meta.artist = name_artist
            .or_else(|| meta.album_artist.clone())
            .or(artist_dir)
            .unwrap_or_else(|| "Unknown artist".into());
    }
}

/// The album of a file with no album tag in no folder of its own.
pub const UNKNOWN_ALBUM: &str = "Unknown album";

/// "01 Title", "01. Title", "01 - Title", "1-03 Title" → (Some(n), "Title").
fn split_track_number(stem: &str) -> (Option<u32>, &str) {
    let trimmed = stem.trim_start();
    let digits_end = trimmed
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(trimmed.len());
    if digits_end == 0 || digits_end > 3 || digits_end == trimmed.len() {
        return (None, stem);
    }
    let mut rest = &trimmed[digits_end..];
    let mut number: Option<u32> = trimmed[..digits_end].parse().ok();
    // Disc-track form "1-03".
    if let Some(after_dash) = rest.strip_prefix('-') {
        let d2 = after_dash
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(after_dash.len());
        if (1..=3).contains(&d2) {
            number = after_dash[..d2].parse().ok();
            rest = &after_dash[d2..];
        }
    }
    let title =
        rest.trim_start_matches(|c: char| c == '.' || c == '-' || c == '_' || c.is_whitespace());
    if title.is_empty() {
        return (None, stem);
    }
    (number, title)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guess(path: &str) -> TrackMeta {
        let mut meta = TrackMeta::default();
        fill_from_path(&mut meta, Path::new(path), Path::new("/"));
        meta
    }

    #[test]
    fn artist_album_number_title() {
        let m = guess("/music/Nina Simone/Pastel Blues/03 Be My Husband.flac");
        assert_eq!(m.artist, "Nina Simone");
        assert_eq!(m.album, "Pastel Blues");
        assert_eq!(m.title, "Be My Husband");
        assert_eq!(m.track_no, Some(3));
    }

    #[test]
    fn artist_in_file_name() {
        let m = guess("/x/Mix/07. Daft Punk - Da Funk.mp3");
        assert_eq!(m.artist, "Daft Punk");
        assert_eq!(m.title, "Da Funk");
        assert_eq!(m.track_no, Some(7));
    }

    #[test]
    fn disc_track_and_numeric_titles() {
        assert_eq!(guess("/a/b/1-04 Song.ogg").track_no, Some(4));
        let m = guess("/a/b/1999.ogg");
        assert_eq!(m.title, "1999");
        assert_eq!(m.track_no, None);
    }

    #[test]
    fn folders_above_the_library_folder_are_not_used() {
        let mut meta = TrackMeta::default();
        fill_from_path(
            &mut meta,
            Path::new("/home/me/Music/song.mp3"),
            Path::new("/home/me/Music"),
        );
        assert_eq!(
            (meta.artist.as_str(), meta.album.as_str()),
            ("Unknown artist", "Unknown album")
        );
        let mut meta = TrackMeta::default();
        fill_from_path(
            &mut meta,
            Path::new("/home/me/Music/Live/song.mp3"),
            Path::new("/home/me/Music"),
        );
        assert_eq!(
            (meta.artist.as_str(), meta.album.as_str()),
            ("Unknown artist", "Live")
        );
    }

    #[test]
    fn tags_are_not_overwritten() {
        let mut meta = TrackMeta {
            title: "Real".into(),
            ..Default::default()
        };
        fill_from_path(&mut meta, Path::new("/A/B/01 Other.mp3"), Path::new("/"));
        assert_eq!(meta.title, "Real");
        assert_eq!(meta.artist, "A");
    }
}
