//! Migration 6: every track's search text folded without diacritics or width ("Björk" is found by
//! "bjork"). Frozen code: the folding is written out here as it was when this migration shipped, so
//! the migration does the same on every database whatever later versions of `text::fold` do.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// The folding of schema version 6: lower case, no combining marks, compatibility forms replaced.
fn fold(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    let stripped: String = text.nfkd().filter(|c| !is_combining_mark(*c)).collect();
    stripped.nfc().flat_map(char::to_lowercase).collect()
}

/// Title, artist, album and album artist folded, each followed by U+001F (the search text's layout).
fn search_text(parts: [Option<&str>; 4]) -> String {
    let mut text = String::new();
    for part in parts.into_iter().flatten() {
        text.push_str(&fold(part));
        text.push('\u{1f}');
    }
    text
}

pub(super) fn refold_search_text(tx: &rusqlite::Transaction) -> rusqlite::Result<()> {
    let rows: Vec<(i64, String, String, String, Option<String>)> = tx
        .prepare("SELECT id, title, artist, album, album_artist FROM tracks")?
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut update = tx.prepare("UPDATE tracks SET search_text = ?2 WHERE id = ?1")?;
    for (id, title, artist, album, album_artist) in rows {
        let text = search_text([
            Some(&title),
            Some(&artist),
            Some(&album),
            album_artist.as_deref(),
        ]);
        update.execute(rusqlite::params![id, text])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::search_text;

    #[test]
    fn folds_as_the_live_search_text_did_when_it_shipped() {
        assert_eq!(
            search_text([Some("Élan"), Some("Björk"), Some("Ｇｏｌｄ"), None]),
            "elan\u{1f}bjork\u{1f}gold\u{1f}"
        );
    }
}
