//! Readers of the listener's playlists (M3U/M3U8, XSPF): entries by file path or by the names they
//! carry; every entry is a sign of taste.

use std::io::BufReader;
use std::path::{Path, PathBuf};

use rusqlite::params;

use super::lines::Lines;
use super::store::{ItemKind, MAX_NAME_BYTES};
use super::{ImportError, Importer, Result};
use crate::playlists::StoredEntry;

/// A playlist entry: a file path (or URL) and/or the artist and title it names.
#[derive(Default)]
struct Entry {
    location: Option<String>,
    artist: Option<String>,
    title: Option<String>,
    mbid: Option<String>,
    /// A name or location longer than [`MAX_NAME_BYTES`] was given (and not kept).
    too_long: bool,
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The library path an entry's location names, relative locations taken from the playlist's folder.
fn resolve_location(playlist: &Path, location: &str) -> PathBuf {
    let location = location.trim();
    let local = match location.strip_prefix("file://") {
        Some(rest) => percent_decode(rest.strip_prefix("localhost").unwrap_or(rest)),
        None => location.to_owned(),
    };
    let path = Path::new(&local);
    let joined = if path.is_absolute() {
        path.to_owned()
    } else {
        playlist.parent().unwrap_or(Path::new(".")).join(path)
    };
    joined
        .canonicalize()
        .unwrap_or_else(|_| normalised(&joined))
}

/// A path that does not exist (yet), as the scan will store it once it does: `..` and `.` resolved
/// lexically, and the deepest folder that exists canonicalised (symbolic links followed).
fn normalised(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    let mut rest = Vec::new();
    let mut base = out.clone();
    while !base.exists() {
        match (base.file_name().map(|n| n.to_owned()), base.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                base = parent.to_owned();
            }
            _ => return out,
        }
    }
    let mut resolved = base.canonicalize().unwrap_or(base);
    resolved.extend(rest.iter().rev());
    resolved
}

fn add_playlist_entries(imp: &mut Importer, entries: Vec<(String, Entry)>) -> Result<()> {
    let playlist = imp.path.canonicalize().unwrap_or_else(|_| imp.path.clone());
    let playlist_name = playlist.display().to_string();
    imp.conn.execute(
        "DELETE FROM playlist_entries WHERE playlist = ?1",
        [&playlist_name],
    )?;
    let mut position = 0;
    // The playlist as the listener sees it: every entry, matched or not.
    let mut listed: Vec<StoredEntry> = Vec::with_capacity(entries.len());
    for (at, entry) in entries {
        imp.report.read += 1;
        let location_too_long = entry
            .location
            .as_ref()
            .is_some_and(|l| l.len() > MAX_NAME_BYTES);
        if entry.too_long || location_too_long {
            imp.skip(
                at,
                format!("a name or location longer than {MAX_NAME_BYTES} bytes"),
            );
            continue;
        }
        let track = entry.location.as_deref().and_then(|loc| {
            let path = resolve_location(&playlist, loc);
            imp.index
                .track_at_path(&crate::library::path_text::to_text(&path))
        });
        // A file in the library is named by its own tags; otherwise by what the playlist says.
        let names: Option<(String, String)> = match track {
            Some(id) => imp
                .conn
                .query_row(
                    "SELECT artist, title FROM tracks WHERE id = ?1",
                    [id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .ok(),
            None => entry.artist.clone().zip(entry.title.clone()),
        };
        if let Some(shown) = listed_entry(&playlist, &entry, track, names.as_ref()) {
            listed.push(shown);
        }
        let Some((artist, title)) = names else {
            let what = entry.location.as_deref().unwrap_or("entry");
            imp.skip(
                at,
                format!("{what}: not in the library and no artist/title given"),
            );
            continue;
        };
        let item = match imp.items.id(
            imp.conn,
            ItemKind::Track,
            &artist,
            Some(&title),
            entry.mbid.as_deref(),
        )? {
            Ok(item) => item,
            Err(why) => {
                imp.skip(at, why.reason("no artist or no title"));
                continue;
            }
        };
        if let Some(shown) = listed.last_mut() {
            shown.item_id = Some(item);
        }
        imp.conn.execute(
            "INSERT INTO playlist_entries (playlist, position, item_id) VALUES (?1, ?2, ?3)",
            params![playlist_name, position, item],
        )?;
        position += 1;
        imp.report.imported += 1;
    }
    let name = playlist
        .file_stem()
        .map(|n| n.to_string_lossy().replace('_', " "))
        .unwrap_or_default();
    crate::playlists::save_imported(imp.conn, &playlist_name, &name, &listed).map_err(
        |e| match e {
            crate::playlists::PlaylistError::Sql(e) => ImportError::from(e),
            other => imp.broken("playlist", other.to_string()),
        },
    )?;
    Ok(())
}

/// How an entry is kept in the listener's playlist: its library track, or what it names (greyed
/// until the song arrives). An entry with neither names nor a location is not kept.
fn listed_entry(
    playlist: &Path,
    entry: &Entry,
    track: Option<i64>,
    names: Option<&(String, String)>,
) -> Option<StoredEntry> {
    let location = entry
        .location
        .as_deref()
        .map(|loc| crate::library::path_text::to_text(&resolve_location(playlist, loc)));
    let (artist, title) = match (names, &location) {
        (Some((artist, title)), _) => (artist.clone(), title.clone()),
        (None, Some(location)) => {
            let stem = Path::new(location).file_stem()?;
            (String::new(), stem.to_string_lossy().into_owned())
        }
        (None, None) => return None,
    };
    Some(StoredEntry {
        track_id: track,
        item_id: None,
        location,
        artist,
        title,
    })
}

/// M3U / M3U8: one location per line; `#EXTINF:seconds,Artist - Title` names the next entry.
pub fn m3u(imp: &mut Importer) -> Result<()> {
    const FORMAT: &str = "M3U playlist";
    let reader = BufReader::new(imp.open()?);
    let mut entries = Vec::new();
    let mut pending = Entry::default();
    for (n, line) in Lines::new(reader) {
        let line = line.map_err(|source| ImportError::Io {
            path: imp.path.clone(),
            source,
        })?;
        let Some((line, _)) = imp.line_text(&format!("line {n}"), line) else {
            imp.report.read += 1;
            pending = Entry::default();
            continue;
        };
        if line.contains('\0') {
            return Err(imp.wrong_format(FORMAT, format!("line {n} holds binary data")));
        }
        let text = line.trim().trim_start_matches('\u{feff}');
        if text.is_empty() {
            continue;
        }
        if entries.is_empty()
            && pending.artist.is_none()
            && (text.starts_with('<') || text.starts_with('{') || text.starts_with('['))
        {
            return Err(imp.wrong_format(FORMAT, format!("line {n} looks like XML or JSON")));
        }
        if let Some(info) = text.strip_prefix("#EXTINF:") {
            let names = info.split_once(',').map(|(_, n)| n).unwrap_or("");
            if let Some((artist, title)) = names.split_once(" - ") {
                pending.artist = Some(artist.trim().to_owned());
                pending.title = Some(title.trim().to_owned());
            }
            continue;
        }
        if text.starts_with('#') {
            continue;
        }
        pending.location = Some(text.to_owned());
        entries.push((format!("line {n}"), std::mem::take(&mut pending)));
    }
    add_playlist_entries(imp, entries)
}

/// XSPF: `<playlist><trackList><track>` with `location`, `creator`, `title`, `identifier`.
pub fn xspf(imp: &mut Importer) -> Result<()> {
    use quick_xml::events::Event;
    const FORMAT: &str = "XSPF playlist";
    let mut reader = quick_xml::Reader::from_reader(BufReader::new(imp.open()?));
    let mut buf = Vec::new();
    let mut entries = Vec::new();
    let mut current: Option<Entry> = None;
    // The element whose text is being read, and its text so far (entity references arrive as
    // separate events).
    let mut field: Option<(String, String)> = None;
    let mut root_seen = false;
    let mut count = 0;
    // Elements open at the reader's position: a document cut short ends with some still open.
    let mut open = 0usize;
    loop {
        let event = reader.read_event_into(&mut buf);
        let pos = reader.buffer_position();
        match event {
            Err(e) => {
                let at = format!("byte {pos}");
                return Err(if root_seen {
                    imp.broken(at, e.to_string())
                } else {
                    imp.wrong_format(FORMAT, format!("{at}: {e}"))
                });
            }
            Ok(Event::Eof) => break,
            Ok(Event::Start(tag)) => {
                open += 1;
                let name = tag.local_name().as_ref().to_owned();
                if !root_seen {
                    if name != "playlist" {
                        return Err(imp.wrong_format(
                            FORMAT,
                            format!("the root element is <{name}>, not <playlist>"),
                        ));
                    }
                    root_seen = true;
                }
                match name.as_str() {
                    "track" => {
                        count += 1;
                        current = Some(Entry::default());
                    }
                    "location" | "creator" | "title" | "identifier" if current.is_some() => {
                        field = Some((name, String::new()))
                    }
                    _ => field = None,
                }
            }
            Ok(Event::Text(text)) => {
                if let Some((_, value)) = field.as_mut() {
                    // Measured before decoding: a 50 MB title is not copied, only noted.
                    if value.len() + text.len() > MAX_NAME_BYTES {
                        field = None;
                        if let Some(entry) = current.as_mut() {
                            entry.too_long = true;
                        }
                    } else {
                        value.push_str(&text.xml10_content());
                    }
                }
            }
            Ok(Event::GeneralRef(r)) => {
                if let Some((_, value)) = field.as_mut() {
                    let resolved = match r.resolve_char_ref() {
                        Ok(Some(c)) => Some(c),
                        _ => match r.xml10_content().as_ref() {
                            "amp" => Some('&'),
                            "lt" => Some('<'),
                            "gt" => Some('>'),
                            "quot" => Some('"'),
                            "apos" => Some('\''),
                            _ => None,
                        },
                    };
                    value.extend(resolved);
                }
            }
            Ok(Event::End(tag)) => {
                open = open.saturating_sub(1);
                let name = tag.local_name().as_ref().to_owned();
                if name == "track" {
                    if let Some(entry) = current.take() {
                        entries.push((format!("track {count}"), entry));
                    }
                } else if let (Some(entry), Some((f, value))) = (current.as_mut(), field.take()) {
                    let value = value.trim().to_owned();
                    match f.as_str() {
                        // A location is a URI: a relative one is percent-encoded too.
                        "location" if entry.location.is_none() => {
                            entry.location = Some(if value.contains("://") {
                                value
                            } else {
                                percent_decode(&value)
                            })
                        }
                        "creator" => entry.artist = Some(value),
                        "title" => entry.title = Some(value),
                        "identifier" => entry.mbid = value.rsplit('/').next().map(str::to_owned),
                        _ => {}
                    }
                }
                field = None;
            }
            Ok(_) => {}
        }
        buf.clear();
    }
    if !root_seen {
        return Err(imp.wrong_format(FORMAT, "no <playlist> element"));
    }
    if open > 0 {
        let at = format!("byte {}", reader.buffer_position());
        return Err(imp.broken(at, "the document is cut short: <playlist> is never closed"));
    }
    add_playlist_entries(imp, entries)
}
