//! Writing a playlist as M3U8 or XSPF, with paths relative to the playlist file where the track and
//! the file share a folder above the root (so a music folder moved with its playlists still plays).

use std::fmt::Write as _;
use std::path::{Component, Path, PathBuf};

use serde::Serialize;

use super::Playlist;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    M3u8,
    Xspf,
}

impl Format {
    /// The format a file name asks for (`.m3u`, `.m3u8`, `.xspf`).
    pub fn from_path(path: &Path) -> Option<Self> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "m3u" | "m3u8" => Some(Format::M3u8),
            "xspf" => Some(Format::Xspf),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ExportReport {
    pub path: String,
    pub written: usize,
    /// Entries with no file to point at (unmatched and without a location): left out.
    pub left_out: usize,
}

#[derive(Debug, thiserror::Error)]
#[error("cannot write playlist {path}: {source}")]
pub struct ExportError {
    pub path: PathBuf,
    pub source: std::io::Error,
}

/// `target` as seen from the folder `base`: relative when they share more than the root.
pub fn relative_to(base: &Path, target: &Path) -> PathBuf {
    let (b, t): (Vec<Component>, Vec<Component>) =
        (base.components().collect(), target.components().collect());
    let common = b.iter().zip(&t).take_while(|(x, y)| x == y).count();
    let only_root = b
        .iter()
        .take(common)
        .all(|c| matches!(c, Component::RootDir | Component::Prefix(_)));
    if common == 0 || only_root || !target.is_absolute() {
        return target.to_owned();
    }
    let mut out = PathBuf::new();
    for _ in common..b.len() {
        out.push("..");
    }
    for c in &t[common..] {
        out.push(c.as_os_str());
    }
    out
}

/// The entries' locations (library path, else the imported location) and names.
fn located(playlist: &Playlist) -> Vec<(Option<&str>, &str, &str, Option<f64>)> {
    playlist
        .entries
        .iter()
        .map(|e| match &e.track {
            Some(t) => (
                Some(t.path.as_str()),
                t.artist.as_str(),
                t.title.as_str(),
                t.duration_s,
            ),
            None => (
                e.location.as_deref(),
                e.artist.as_str(),
                e.title.as_str(),
                None,
            ),
        })
        .collect()
}

/// One line of text: no newline or carriage return may end an M3U line early.
fn one_line(text: &str) -> String {
    text.replace(['\n', '\r'], " ")
}

fn m3u8(playlist: &Playlist, base: &Path) -> (String, usize, usize) {
    let mut out = String::from("#EXTM3U\n");
    let _ = writeln!(out, "#PLAYLIST:{}", one_line(&playlist.summary.name));
    let (mut written, mut left_out) = (0, 0);
    for (location, artist, title, duration) in located(playlist) {
        let Some(location) = location else {
            left_out += 1;
            continue;
        };
        let seconds = duration.map(|d| d.round() as i64).unwrap_or(-1);
        let names = if artist.is_empty() {
            one_line(title)
        } else {
            format!("{} - {}", one_line(artist), one_line(title))
        };
        let _ = writeln!(out, "#EXTINF:{seconds},{names}");
        let path = relative_to(base, Path::new(location));
        let _ = writeln!(out, "{}", one_line(&path.to_string_lossy()));
        written += 1;
    }
    (out, written, left_out)
}

fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot hold at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// A path as a URI reference: each byte outside the unreserved set and '/' percent-encoded.
fn uri_path(path: &Path) -> String {
    let text = path.to_string_lossy();
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    if path.is_absolute() {
        format!("file://{out}")
    } else {
        out
    }
}

fn xspf(playlist: &Playlist, base: &Path) -> (String, usize, usize) {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<playlist version=\"1\" xmlns=\"http://xspf.org/ns/0/\">\n",
    );
    let _ = writeln!(
        out,
        "  <title>{}</title>",
        xml_escape(&playlist.summary.name)
    );
    out.push_str("  <trackList>\n");
    let (mut written, left_out) = (0, 0);
    for (location, artist, title, duration) in located(playlist) {
        out.push_str("    <track>\n");
        if let Some(location) = location {
            let path = relative_to(base, Path::new(location));
            let _ = writeln!(
                out,
                "      <location>{}</location>",
                xml_escape(&uri_path(&path))
            );
        }
        if !artist.is_empty() {
            let _ = writeln!(out, "      <creator>{}</creator>", xml_escape(artist));
        }
        let _ = writeln!(out, "      <title>{}</title>", xml_escape(title));
        if let Some(d) = duration {
            let _ = writeln!(
                out,
                "      <duration>{}</duration>",
                (d * 1000.0).round() as i64
            );
        }
        out.push_str("    </track>\n");
        written += 1;
    }
    out.push_str("  </trackList>\n</playlist>\n");
    (out, written, left_out)
}

/// Writes `playlist` to `path` (replacing it atomically: a failed export leaves no half file).
pub fn write(
    playlist: &Playlist,
    path: &Path,
    format: Format,
) -> Result<ExportReport, ExportError> {
    let err = |source| ExportError {
        path: path.to_owned(),
        source,
    };
    let absolute = std::path::absolute(path).map_err(err)?;
    let base = absolute.parent().unwrap_or(Path::new("/"));
    let (text, written, left_out) = match format {
        Format::M3u8 => m3u8(playlist, base),
        Format::Xspf => xspf(playlist, base),
    };
    let temporary = absolute.with_extension("partial");
    std::fs::write(&temporary, text).map_err(err)?;
    std::fs::rename(&temporary, &absolute).map_err(err)?;
    Ok(ExportReport {
        path: absolute.to_string_lossy().into_owned(),
        written,
        left_out,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_relative_when_they_share_a_folder_above_the_root() {
        let base = Path::new("/home/me/Music/lists");
        assert_eq!(
            relative_to(base, Path::new("/home/me/Music/a/b.ogg")),
            Path::new("../a/b.ogg")
        );
        assert_eq!(
            relative_to(base, Path::new("/home/me/Music/lists/c.ogg")),
            Path::new("c.ogg")
        );
        assert_eq!(
            relative_to(base, Path::new("/srv/x.ogg")),
            Path::new("/srv/x.ogg")
        );
    }

    #[test]
    fn xml_and_uris_are_escaped() {
        assert_eq!(xml_escape("a<b>&\"c'\u{1}"), "a&lt;b&gt;&amp;&quot;c&apos;");
        assert_eq!(uri_path(Path::new("a b/ü#.ogg")), "a%20b/%C3%BC%23.ogg");
        assert_eq!(uri_path(Path::new("/x y.ogg")), "file:///x%20y.ogg");
    }
}
