//! What a scan learns about one audio file: tags, stream properties and cover art.

use serde::{Deserialize, Serialize};

/// Tag and stream data read from one file, already cleaned (see [`clean_text`]).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TrackMeta {
    pub title: String,
    pub artist: String,
    pub album: String,
    pub album_artist: Option<String>,
    pub track_no: Option<u32>,
    pub track_total: Option<u32>,
    pub disc_no: Option<u32>,
    pub disc_total: Option<u32>,
    pub year: Option<i32>,
    pub genre: Option<String>,
    pub composer: Option<String>,
    pub comment: Option<String>,
    pub duration_ms: Option<u64>,
    /// Short codec/container name decided from the content, e.g. `vorbis`, `mp3`, `flac`.
    pub codec: String,
    pub sample_rate: Option<u32>,
    pub channels: Option<u8>,
    pub bitrate_kbps: Option<u32>,
    pub mb_recording_id: Option<String>,
    pub mb_track_id: Option<String>,
    pub mb_album_id: Option<String>,
    pub mb_artist_id: Option<String>,
    pub rg_track_gain: Option<f64>,
    pub rg_track_peak: Option<f64>,
    pub rg_album_gain: Option<f64>,
    pub rg_album_peak: Option<f64>,
    /// From the tags or an `.lrc` file beside the audio (see `lyrics`).
    #[serde(default)]
    pub lyrics: Option<super::lyrics::Lyrics>,
}

impl TrackMeta {
    /// Lower-cased title/artist/album/album artist, the text that search-as-you-type matches.
    pub fn search_text(&self) -> String {
        let mut text = String::new();
        for part in [
            Some(&self.title),
            Some(&self.artist),
            Some(&self.album),
            self.album_artist.as_ref(),
        ]
        .into_iter()
        .flatten()
        {
            text.push_str(&fold(part));
            text.push('\u{1f}');
        }
        text
    }
}

/// Folding used for both stored search text and queries, so they always agree: case, diacritics and
/// width (see `text::fold`). Changing it needs a migration that refolds the stored text.
pub fn fold(text: &str) -> String {
    crate::text::fold::fold(text)
}

/// Cleans tag text: removes NULs and other control characters (tabs and newlines become spaces), trims,
/// and turns an empty result into `None`.
pub fn clean_text(raw: &str) -> Option<String> {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            '\0' => {}
            '\t' | '\n' | '\r' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    let trimmed = out.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

/// Decodes bytes that should be UTF-8 without ever dropping them: invalid sequences become U+FFFD.
pub fn clean_bytes(raw: &[u8]) -> Option<String> {
    clean_text(&String::from_utf8_lossy(raw))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_text_removes_nul_and_trims() {
        assert_eq!(clean_text("  Abc\0 def \n").as_deref(), Some("Abc def"));
        assert_eq!(clean_text(" \0 "), None);
    }

    #[test]
    fn clean_bytes_keeps_invalid_utf8_lossily() {
        let cleaned = clean_bytes(b"Caf\xe9 Noir").unwrap();
        assert_eq!(cleaned, "Caf\u{fffd} Noir");
    }

    #[test]
    fn search_text_is_folded() {
        let meta = TrackMeta {
            title: "Élan".into(),
            artist: "ABBA".into(),
            album: "Gold".into(),
            ..Default::default()
        };
        assert!(meta.search_text().contains("elan"));
        assert!(meta.search_text().contains("abba"));
    }
}
