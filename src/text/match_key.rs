//! Match keys: the artist and title of an imported play or playlist entry and of a library track reduce
//! to the same key when a listener would call them the same song. Folded (case, diacritics, width),
//! featured artists dropped ("feat.", "ft.", "featuring", "with" in brackets), release-variant suffixes
//! dropped ("(Remastered 2011)", "- 2011 Remaster", "[Explicit]", "(Single Version)", "(Mono)"), "&" and
//! "and" made equal, punctuation and spacing ignored. Versions that are different recordings ("Live",
//! "Acoustic", "Remix", "Demo") are kept apart.

use super::fold::fold;
use super::tokenize::tokenize;

/// Words that mark a bracketed or dashed suffix as a release variant of the same recording.
const VARIANT_WORDS: &[&str] = &[
    "remaster",
    "remastered",
    "remasterizado",
    "explicit",
    "clean",
    "mono",
    "stereo",
    "single",
    "album",
    "version",
    "edit",
    "radio",
    "deluxe",
    "bonus",
    "track",
    "digital",
    "original",
    "mix",
    "feat",
    "ft",
    "featuring",
    "with",
    "from",
];
/// Words that mark a suffix as a different recording: such a suffix is kept.
const RECORDING_WORDS: &[&str] = &[
    "live",
    "acoustic",
    "remix",
    "demo",
    "instrumental",
    "unplugged",
    "karaoke",
    "cover",
    "reprise",
    "extended",
    "dub",
    "rehearsal",
    "session",
    "take",
];

/// Words that may sit in a release-variant suffix without naming anything ("The Single Version").
const FILLER_WORDS: &[&str] = &[
    "the",
    "a",
    "short",
    "long",
    "edition",
    "anniversary",
    "expanded",
    "re",
];

/// Words after which a suffix only names other people ("feat. Jay-Z", "From \"Frozen\"").
const CREDIT_WORDS: &[&str] = &["feat", "ft", "featuring", "with", "from"];

/// True if `part` (a bracketed or dashed suffix, folded) only names a release variant: every word
/// is a variant word, a year or a filler ("Remastered 2011", "Single Version"), or it credits other
/// people ("feat. X"). A suffix with any other word ("Naked Version", "Butch Vig Mix") names a
/// different mix and is kept.
fn is_variant(part: &str) -> bool {
    let words = tokenize(part);
    let is_year = |w: &str| w.len() == 4 && w.chars().all(|c| c.is_ascii_digit());
    let Some(first) = words.first() else {
        return false;
    };
    if words.iter().any(|w| RECORDING_WORDS.contains(&w.as_str())) {
        return false;
    }
    CREDIT_WORDS.contains(&first.as_str())
        || words.iter().all(|w| {
            VARIANT_WORDS.contains(&w.as_str()) || FILLER_WORDS.contains(&w.as_str()) || is_year(w)
        })
}

/// Removes bracketed parts and " - " suffixes that name a release variant or a featured artist.
fn strip_variants(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    // Bracketed parts: (...) [...] {...}
    while let Some(open) = rest.find(['(', '[', '{']) {
        let close_char = match rest[open..].chars().next() {
            Some('(') => ')',
            Some('[') => ']',
            _ => '}',
        };
        let Some(len) = rest[open + 1..].find(close_char) else {
            break;
        };
        let inner = &rest[open + 1..open + 1 + len];
        out.push_str(&rest[..open]);
        if !is_variant(inner) {
            out.push(' ');
            out.push_str(inner);
        }
        rest = &rest[open + 1 + len + 1..];
    }
    out.push_str(rest);
    // Dashed suffixes: "Title - 2011 Remaster", "Title - Live at Wembley" (kept).
    let mut text = out;
    while let Some(at) = text.rfind(" - ") {
        if is_variant(&text[at + 3..]) {
            text.truncate(at);
        } else {
            break;
        }
    }
    text
}

/// Drops "feat. X", "ft. X", "featuring X" outside brackets (the featured artists are not part of the
/// main artist or title).
fn strip_featuring(tokens: Vec<String>) -> Vec<String> {
    match tokens
        .iter()
        .position(|t| matches!(t.as_str(), "feat" | "ft" | "featuring"))
    {
        Some(0) | None => tokens,
        Some(at) => tokens[..at].to_vec(),
    }
}

fn key_of(text: &str) -> String {
    let tokens = strip_featuring(tokenize(&strip_variants(&fold(text))));
    tokens
        .into_iter()
        .map(|t| if t == "and" { "&".to_owned() } else { t })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The key an artist name matches on. A leading "The" is ignored ("The Beatles" = "Beatles").
pub fn artist_key(artist: &str) -> String {
    let key = key_of(&fold(artist).replace('&', " and "));
    let key = match key.strip_prefix("the ") {
        // "The The" is not "The".
        Some(rest) if rest != "the" => rest.to_owned(),
        _ => key,
    };
    or_symbols(key, artist)
}

/// The key a track title matches on.
pub fn title_key(title: &str) -> String {
    or_symbols(key_of(&fold(title).replace('&', " and ")), title)
}

/// Names made only of punctuation or symbols are names too ("!!!", "$", "†‡†"): when the key
/// would be empty, the folded text itself (spaces collapsed) is the key.
fn or_symbols(key: String, text: &str) -> String {
    if !key.is_empty() {
        return key;
    }
    fold(text).split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_made_of_symbols_are_keys_of_their_own() {
        assert_eq!(artist_key("!!!"), "!!!");
        assert_eq!(artist_key("$"), "$");
        assert_eq!(artist_key(" †‡† "), "†‡†");
        assert_eq!(title_key("*******"), "*******");
        assert_ne!(artist_key("!!!"), artist_key("$"));
        assert_eq!(artist_key("   "), "");
        assert_eq!(artist_key("Björk!"), artist_key("bjork"));
    }

    #[test]
    fn release_variants_and_featured_artists_match_the_plain_title() {
        for (a, b) in [
            ("Come Together - Remastered 2009", "Come Together"),
            ("Come Together (2019 Mix)", "Come together"),
            ("Bohemian Rhapsody [Remastered 2011]", "Bohemian Rhapsody"),
            ("Stay (feat. Justin Bieber)", "STAY"),
            ("Lose Yourself - Single Version", "Lose Yourself"),
            ("Hey Ya! [Explicit]", "Hey Ya"),
            ("Jóga", "Joga"),
            ("Rock & Roll", "Rock and Roll"),
            ("Ｌｏｖｅ", "love"),
        ] {
            assert_eq!(title_key(a), title_key(b), "{a} vs {b}");
        }
    }

    #[test]
    fn different_recordings_stay_apart() {
        for (a, b) in [
            ("Creep (Acoustic)", "Creep"),
            ("Yellow - Live in Buenos Aires", "Yellow"),
            ("Around the World (Remix)", "Around the World"),
            ("Heroes", "Heroes (Demo)"),
        ] {
            assert_ne!(title_key(a), title_key(b), "{a} vs {b}");
        }
    }

    #[test]
    fn artists_match_across_case_articles_ampersands_and_scripts() {
        assert_eq!(artist_key("The Beatles"), artist_key("beatles"));
        assert_eq!(
            artist_key("Simon & Garfunkel"),
            artist_key("Simon and Garfunkel")
        );
        assert_eq!(artist_key("Beyoncé feat. Jay-Z"), artist_key("Beyonce"));
        assert_eq!(artist_key("Sigur Rós"), "sigur ros");
        assert_eq!(artist_key("소녀시대"), "소녀시대");
        assert_eq!(artist_key("坂本龍一"), "坂本 本龍 龍一");
        assert_ne!(artist_key("The The"), "");
    }
}
