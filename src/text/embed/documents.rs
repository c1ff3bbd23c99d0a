//! The text of each track that the sentence model embeds: what describes it (genre, the listener's
//! imported tags for the song and the artist, the audio CNN's most likely sound tags) and the first
//! lines of its lyrics. The format was chosen on real tags (`cargo bench --bench text_models`,
//! BENCHMARKS.md "Text in any language").

use std::collections::HashMap;

use rusqlite::Connection;

use crate::text::match_key::{artist_key, title_key};

/// Sound tags below this probability do not describe a track.
const MIN_SOUND_TAG: f32 = 0.15;
const SOUND_TAGS: usize = 5;
/// Descriptors per track, most telling first (as the benchmark's ten-tag lists).
const DESCRIPTORS: usize = 10;
const LYRICS_LINES: usize = 2;

pub struct TrackDocument {
    pub track_id: i64,
    pub text: String,
}

/// The first `LYRICS_LINES` non-empty lines of `lyrics`.
pub fn lyrics_head(lyrics: &str) -> String {
    lyrics
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(LYRICS_LINES)
        .collect::<Vec<_>>()
        .join(" / ")
}

/// One track's text: its descriptors as a comma-separated list ("jazz, piano, mellow"), then the
/// head of its lyrics; the title and artist stand in when nothing describes the track. On real tags
/// the list with the artist's name in front agreed with co-listening as well (within one standard
/// error) but found less across languages, so the name is left out.
pub fn compose(title: &str, artist: &str, descriptors: &[String], lyrics: Option<&str>) -> String {
    let mut seen: Vec<String> = Vec::new();
    for d in descriptors {
        let d = d.trim();
        if !d.is_empty() && !seen.iter().any(|s| s.eq_ignore_ascii_case(d)) {
            seen.push(d.to_owned());
        }
        if seen.len() == DESCRIPTORS {
            break;
        }
    }
    let mut text = if seen.is_empty() {
        format!("{}, {}", title.trim(), artist.trim())
    } else {
        seen.join(", ")
    };
    if let Some(head) = lyrics.map(lyrics_head).filter(|h| !h.is_empty()) {
        text.push_str(". ");
        text.push_str(&head);
    }
    text
}

/// Every present track's document, in track id order.
pub fn track_documents(conn: &Connection) -> rusqlite::Result<Vec<TrackDocument>> {
    let imported = crate::text::profile::imported_tags(conn)?;
    let sound: HashMap<i64, Vec<f32>> = crate::analysis::store::all_tags(conn)?
        .into_iter()
        .collect();
    let labels = crate::analysis::cnn::tag_labels();
    let lyrics: HashMap<i64, String> = conn
        .prepare("SELECT track_id, text FROM track_lyrics")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt =
        conn.prepare("SELECT id, title, artist, genre FROM tracks WHERE missing = 0 ORDER BY id")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, Option<String>>(3)?,
        ))
    })?;
    let by_weight = |tags: &[(String, f32)]| {
        let mut t = tags.to_vec();
        t.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        t.into_iter().map(|(tag, _)| tag)
    };
    let mut out = Vec::new();
    for row in rows {
        let (id, title, artist, genre) = row?;
        let mut descriptors: Vec<String> = genre
            .iter()
            .flat_map(|g| g.split([';', '/', ',']))
            .map(str::to_owned)
            .collect();
        let key = artist_key(&artist);
        if let Some(t) = imported.get(&format!("t:{key}\u{1f}{}", title_key(&title))) {
            descriptors.extend(by_weight(t));
        }
        if let Some(t) = imported.get(&format!("a:{key}")) {
            descriptors.extend(by_weight(t));
        }
        if let Some(p) = sound.get(&id) {
            let mut likely: Vec<(usize, f32)> = p
                .iter()
                .copied()
                .enumerate()
                .filter(|&(_, p)| p >= MIN_SOUND_TAG)
                .collect();
            likely.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            descriptors.extend(
                likely
                    .iter()
                    .take(SOUND_TAGS)
                    .filter_map(|&(i, _)| labels.get(i).cloned()),
            );
        }
        let text = compose(
            &title,
            &artist,
            &descriptors,
            lyrics.get(&id).map(String::as_str),
        );
        out.push(TrackDocument { track_id: id, text });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptors_come_first_once_each_then_the_lyrics() {
        let d: Vec<String> = ["Jazz", "piano", "jazz", " ", "mellow"]
            .map(String::from)
            .to_vec();
        let text = compose(
            "Blue",
            "Someone",
            &d,
            Some("\n  First line\n\nSecond line\nThird"),
        );
        assert_eq!(text, "Jazz, piano, mellow. First line / Second line");
        assert_eq!(compose("Blue", "Someone", &[], None), "Blue, Someone");
        assert_eq!(
            compose("Blue", "Someone", &[], Some("La la")),
            "Blue, Someone. La la"
        );
    }
}
