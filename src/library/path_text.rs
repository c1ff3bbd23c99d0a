//! File paths as the library stores them: text that gives back the exact bytes of the name.
//!
//! A Unix file name is any bytes but `/` and NUL, and not every name is UTF-8 (an old Latin-1 rip,
//! a name from a Windows archive). The database and the UI deal in text, so a name is stored as its
//! UTF-8 where it is UTF-8, and each byte that is not as U+FFFD (the replacement character, what a
//! lossy conversion shows) followed by the byte in two invisible Unicode tag characters (`U+E0030`…
//! spelling its hex digits). So the stored text reads like the usual lossy text wherever it is shown,
//! and [`to_path`] gives back the very file. A U+FFFD that is really in a name is stored as its
//! three bytes, escaped the same way, so the encoding is one-to-one. Valid UTF-8 names (without
//! U+FFFD) are stored unchanged, so older databases read as before, and a path's text starts with its
//! folder's text (prefix queries on folders hold).

use std::path::{Path, PathBuf};

const REPLACEMENT: char = '\u{FFFD}';
/// Tag characters for the hex digits `0-9` and `A-F`.
const TAG_DIGIT_ZERO: u32 = 0xE0030;
const TAG_LETTER_A: u32 = 0xE0041;

/// The text the library stores for `path`.
pub fn to_text(path: &Path) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        bytes_to_text(path.as_os_str().as_bytes())
    }
    // Windows names are UTF-16; one that is not valid Unicode (an unpaired surrogate) is rare
    // enough there to be stored lossily.
    #[cfg(not(unix))]
    {
        bytes_to_text(path.to_string_lossy().as_bytes())
    }
}

/// The path whose stored text is `text`.
pub fn to_path(text: &str) -> PathBuf {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        PathBuf::from(std::ffi::OsString::from_vec(text_to_bytes(text)))
    }
    #[cfg(not(unix))]
    {
        PathBuf::from(String::from_utf8_lossy(&text_to_bytes(text)).into_owned())
    }
}

/// Stored text as shown to the listener: the tag characters dropped, each escaped byte a U+FFFD.
pub fn display(text: &str) -> String {
    text.chars()
        .filter(|&c| !(TAG_DIGIT_ZERO..TAG_LETTER_A + 6).contains(&(c as u32)))
        .collect()
}

fn bytes_to_text(bytes: &[u8]) -> String {
    let mut text = String::with_capacity(bytes.len());
    let escape = |text: &mut String, byte: u8| {
        text.push(REPLACEMENT);
        text.push(hex_tag(byte >> 4));
        text.push(hex_tag(byte & 0xF));
    };
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            if c == REPLACEMENT {
                let mut utf8 = [0u8; 4];
                for &byte in c.encode_utf8(&mut utf8).as_bytes() {
                    escape(&mut text, byte);
                }
            } else {
                text.push(c);
            }
        }
        for &byte in chunk.invalid() {
            escape(&mut text, byte);
        }
    }
    text
}

fn text_to_bytes(text: &str) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == REPLACEMENT {
            let mut ahead = chars.clone();
            if let (Some(high), Some(low)) = (
                ahead.next().and_then(tag_value),
                ahead.next().and_then(tag_value),
            ) {
                bytes.push(high << 4 | low);
                chars.next();
                chars.next();
                continue;
            }
        }
        // Plain text, or a U+FFFD stored by an older version (a lossy name): taken as it is.
        let mut utf8 = [0u8; 4];
        bytes.extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
    }
    bytes
}

fn hex_tag(nibble: u8) -> char {
    let code = match nibble {
        0..=9 => TAG_DIGIT_ZERO + nibble as u32,
        _ => TAG_LETTER_A + (nibble as u32 - 10),
    };
    char::from_u32(code).expect("tag characters are scalar values")
}

fn tag_value(c: char) -> Option<u8> {
    match c as u32 {
        code @ TAG_DIGIT_ZERO..=0xE0039 => Some((code - TAG_DIGIT_ZERO) as u8),
        code if (TAG_LETTER_A..TAG_LETTER_A + 6).contains(&code) => {
            Some((code - TAG_LETTER_A) as u8 + 10)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(bytes: &[u8]) -> String {
        let text = bytes_to_text(bytes);
        assert_eq!(text_to_bytes(&text), bytes, "{bytes:?} via {text:?}");
        text
    }

    #[test]
    fn utf8_names_are_stored_unchanged() {
        for name in [
            "/music/Björk/Jóga.flac",
            "/音楽/잔잔한 피아노.mp3",
            "a\nb",
            "",
        ] {
            assert_eq!(round_trip(name.as_bytes()), name);
        }
    }

    #[test]
    fn other_bytes_come_back_exactly_and_show_as_replacement_characters() {
        let latin1 = b"/music/Caf\xe9 del Mar/01 \xc0 la plage.mp3";
        let text = round_trip(latin1);
        assert_eq!(
            display(&text),
            String::from_utf8_lossy(latin1),
            "shown as a lossy conversion shows it"
        );
        assert!(text.starts_with("/music/Caf"));
        round_trip(b"\xff\xfe\x00\x80 \xed\xa0\x80 \xf4\x90\x80\x80");
    }

    #[test]
    fn the_encoding_is_one_to_one_even_with_replacement_and_tag_characters_in_names() {
        let real_fffd = "x\u{FFFD}\u{E0034}\u{E0031}y".as_bytes();
        let escaped_a = b"x\x41y";
        let texts = [
            round_trip(real_fffd),
            round_trip(escaped_a),
            round_trip(b"x\xe9y"),
        ];
        assert_ne!(texts[0], texts[1]);
        assert_ne!(texts[1], texts[2]);
        // Every byte sequence of up to two bytes, and some of three.
        let mut seen = std::collections::HashSet::new();
        for a in 0..=255u8 {
            for b in 0..=255u8 {
                assert!(seen.insert(round_trip(&[a, b])));
            }
            round_trip(&[a, 0xBF, 0xBD]);
        }
    }

    #[test]
    fn a_lossy_name_from_an_older_version_reads_as_it_was_stored() {
        let old = "/music/Caf\u{FFFD}.mp3";
        assert_eq!(text_to_bytes(old), old.as_bytes());
    }

    #[cfg(unix)]
    #[test]
    fn paths_round_trip() {
        use std::os::unix::ffi::OsStrExt;
        let path = Path::new(std::ffi::OsStr::from_bytes(b"/tmp/\xe9t\xe9.ogg"));
        assert_eq!(to_path(&to_text(path)), path);
    }
}
