//! A track's lyrics, from wherever the listener keeps them: an `.lrc` file beside the audio (same
//! base name; it wins, being the listener's own), an ID3v2 `SYLT` frame (timed), or the tags every
//! format has for plain lyrics (ID3v2 `USLT`, Vorbis `LYRICS`/`UNSYNCEDLYRICS`, MP4 `©lyr`, APE
//! `Lyrics`). Lyrics in LRC form inside a tag are read as timed too.
//!
//! Untrusted text: lines are cleaned and bounded, and only text is kept (the UI shows it with
//! `textContent`).

use std::path::{Path, PathBuf};

use lofty::tag::{ItemKey, Tag};
use serde::{Deserialize, Serialize};

/// Lyrics longer than this are cut (a tag can claim megabytes; no song needs more).
const MAX_BYTES: usize = 64 * 1024;
/// An `.lrc` file larger than this is not lyrics.
const MAX_LRC_FILE: u64 = 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lyrics {
    /// Where they were read: `lrc`, `sylt`, `uslt`, `vorbis`, `mp4`, `ape` or `tag`.
    pub source: String,
    /// The words, one line per line, without time stamps.
    pub text: String,
    /// (milliseconds from the start, line) when the lyrics are timed, in time order.
    pub timed: Option<Vec<(u32, String)>>,
}

impl Lyrics {
    fn from_text(source: &str, raw: &str) -> Option<Lyrics> {
        let raw = bounded(raw);
        if let Some(timed) = parse_lrc(raw) {
            return Some(Lyrics {
                source: source.to_owned(),
                text: lines_of(&timed),
                timed: Some(timed),
            });
        }
        let text = clean_lines(raw.lines());
        (!text.trim().is_empty()).then(|| Lyrics {
            source: source.to_owned(),
            text,
            timed: None,
        })
    }

    fn from_timed(source: &str, mut timed: Vec<(u32, String)>) -> Option<Lyrics> {
        timed.retain(|(_, l)| !l.trim().is_empty());
        if timed.is_empty() {
            return None;
        }
        timed.sort_by_key(|(at, _)| *at);
        Some(Lyrics {
            source: source.to_owned(),
            text: lines_of(&timed),
            timed: Some(timed),
        })
    }
}

/// The words of timed lyrics, a line each.
fn lines_of(timed: &[(u32, String)]) -> String {
    timed
        .iter()
        .map(|(_, l)| l.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

fn bounded(text: &str) -> &str {
    if text.len() <= MAX_BYTES {
        return text;
    }
    let mut end = MAX_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

fn clean_line(line: &str) -> String {
    line.chars()
        .filter(|c| !c.is_control() || *c == '\t')
        .collect::<String>()
        .trim()
        .to_owned()
}

/// Lines without control characters, blank runs collapsed to one empty line, trimmed at both ends.
fn clean_lines<'a>(lines: impl Iterator<Item = &'a str>) -> String {
    let mut out: Vec<String> = Vec::new();
    for line in lines.map(clean_line) {
        if line.is_empty() && out.last().is_none_or(|l| l.is_empty()) {
            continue;
        }
        out.push(line);
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out.join("\n")
}

/// `[mm:ss]`, `[mm:ss.xx]` or `[mm:ss:xx]` → milliseconds.
fn time_stamp(stamp: &str) -> Option<u32> {
    let (minutes, rest) = stamp.split_once(':')?;
    let minutes: u32 = minutes.trim().parse().ok()?;
    let (seconds, fraction) = match rest.split_once(['.', ':']) {
        Some((s, f)) => (s, f),
        None => (rest, ""),
    };
    let seconds: u32 = seconds.trim().parse().ok()?;
    if seconds >= 60 || !fraction.chars().all(|c| c.is_ascii_digit()) || fraction.len() > 3 {
        return None;
    }
    let ms = match fraction.len() {
        0 => 0,
        1 => fraction.parse::<u32>().ok()? * 100,
        2 => fraction.parse::<u32>().ok()? * 10,
        _ => fraction.parse::<u32>().ok()?,
    };
    minutes
        .checked_mul(60_000)?
        .checked_add(seconds * 1000 + ms)
}

/// Timed lines of LRC text (`[01:02.50]words`, several stamps per line allowed, `[offset:±ms]`
/// applied, `[ar:…]`-style headers skipped), or `None` when fewer than two lines are timed.
pub fn parse_lrc(text: &str) -> Option<Vec<(u32, String)>> {
    let mut offset: i64 = 0;
    let mut timed: Vec<(u32, String)> = Vec::new();
    for line in bounded(text).lines() {
        let mut rest = line.trim();
        let mut stamps = Vec::new();
        while let Some(inner) = rest.strip_prefix('[') {
            let Some(end) = inner.find(']') else { break };
            let tag = &inner[..end];
            if let Some(ms) = time_stamp(tag) {
                stamps.push(ms);
            } else if let Some(value) = tag.strip_prefix("offset:") {
                offset = value.trim().parse().unwrap_or(0);
            }
            rest = &inner[end + 1..];
        }
        let words = clean_line(rest);
        for at in stamps {
            // A positive offset shows the lines earlier (the LRC convention).
            let at = (i64::from(at) - offset).clamp(0, i64::from(u32::MAX)) as u32;
            timed.push((at, words.clone()));
        }
    }
    timed.sort_by_key(|(at, _)| *at);
    (timed.iter().filter(|(_, l)| !l.is_empty()).count() >= 2).then_some(timed)
}

/// The lyrics a tag holds, named by the tag's kind.
pub fn from_tag(tag: &Tag) -> Option<Lyrics> {
    use lofty::tag::TagType;
    let source = match tag.tag_type() {
        TagType::Id3v2 => "uslt",
        TagType::VorbisComments => "vorbis",
        TagType::Mp4Ilst => "mp4",
        TagType::Ape => "ape",
        _ => "tag",
    };
    [ItemKey::Lyrics, ItemKey::UnsyncLyrics]
        .into_iter()
        .filter_map(|key| tag.get_string(key))
        .find_map(|text| Lyrics::from_text(source, text))
}

/// Timed lyrics from an MP3's ID3v2 `SYLT` frame (time stamps in milliseconds; frame-counted ones
/// are left out, as they need the stream's frame rate).
pub fn from_sylt(path: &Path) -> Option<Lyrics> {
    use lofty::config::ParseOptions;
    use lofty::file::AudioFile;
    use lofty::id3::v2::{Frame, SynchronizedTextFrame, TimestampFormat};

    let mut file = std::fs::File::open(path).ok()?;
    let options = ParseOptions::new().read_properties(false);
    let mpeg = lofty::mpeg::MpegFile::read_from(&mut file, options).ok()?;
    let tag = mpeg.id3v2()?;
    tag.into_iter().find_map(|frame| {
        let Frame::Binary(binary) = frame else {
            return None;
        };
        if binary.id().as_str() != "SYLT" {
            return None;
        }
        let sylt = SynchronizedTextFrame::parse(&binary.data, binary.flags()).ok()?;
        if sylt.timestamp_format != TimestampFormat::MS {
            return None;
        }
        let lines = sylt
            .content
            .into_iter()
            .take(10_000)
            .map(|(at, line)| (at, clean_line(bounded(&line))))
            .collect();
        Lyrics::from_timed("sylt", lines)
    })
}

/// The `.lrc` file beside `audio` (same base name), if there is one.
pub fn lrc_path(audio: &Path) -> PathBuf {
    audio.with_extension("lrc")
}

/// Lyrics from the `.lrc` file beside `audio`; plain text in it counts too.
pub fn from_lrc_file(audio: &Path) -> Option<Lyrics> {
    let path = lrc_path(audio);
    let meta = std::fs::metadata(&path).ok()?;
    if !meta.is_file() || meta.len() > MAX_LRC_FILE {
        return None;
    }
    let bytes = std::fs::read(&path).ok()?;
    let text = String::from_utf8_lossy(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes));
    Lyrics::from_text("lrc", &text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lrc_lines_are_timed_with_offsets_and_repeats() {
        let lrc = "[ar:Someone]\n[offset:500]\n[00:12.00]First line\n[00:15.5]Second\n\
                   [00:20.123][01:02.00]Chorus\n[00:30]\n";
        let timed = parse_lrc(lrc).unwrap();
        assert_eq!(
            timed,
            vec![
                (11_500, "First line".to_owned()),
                (15_000, "Second".to_owned()),
                (19_623, "Chorus".to_owned()),
                (29_500, String::new()),
                (61_500, "Chorus".to_owned()),
            ]
        );
        assert!(parse_lrc("just words\nno stamps").is_none());
        assert!(parse_lrc("[99:99.99]bad seconds\n[xx:00]bad").is_none());
    }

    #[test]
    fn plain_lyrics_are_cleaned_and_bounded() {
        let l = Lyrics::from_text("uslt", "\n\n  Hello\u{0}\n\n\n world \n\n").unwrap();
        assert_eq!(l.text, "Hello\n\nworld");
        assert_eq!(l.timed, None);
        assert!(Lyrics::from_text("uslt", " \n\t\n").is_none());
        let long = "가".repeat(MAX_BYTES);
        assert!(Lyrics::from_text("uslt", &long).unwrap().text.len() <= MAX_BYTES);
    }
}
