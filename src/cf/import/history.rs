//! Readers of the listener's own past: Spotify and ListenBrainz exports, Last.fm scrobble logs, and
//! M3U/XSPF playlists.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use rusqlite::params;
use serde_json::Value;

use super::json_stream::{for_each_element, StreamError};
use super::store::ItemKind;
use super::time::parse_timestamp;
use super::{ImportError, Importer, Result};

/// One imported play.
struct Play<'a> {
    artist: &'a str,
    title: &'a str,
    mbid: Option<&'a str>,
    played_at: i64,
    ms_played: Option<i64>,
    skipped: Option<bool>,
}

fn add_play(imp: &mut Importer, source: &str, at: &str, play: Play) -> Result<()> {
    let Some(item) = imp.items.id(
        imp.conn,
        ItemKind::Track,
        play.artist,
        Some(play.title),
        play.mbid,
    )?
    else {
        imp.skip(at, "no artist or no title");
        return Ok(());
    };
    imp.conn
        .prepare_cached(
            "INSERT OR IGNORE INTO history_events (source, item_id, played_at, ms_played, skipped)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![
            source,
            item,
            play.played_at,
            play.ms_played,
            play.skipped
        ])?;
    imp.report.imported += 1;
    Ok(())
}

fn str_at<'v>(v: &'v Value, keys: &[&str]) -> Option<&'v str> {
    keys.iter()
        .find_map(|k| v.get(k).and_then(Value::as_str))
        .filter(|s| !s.trim().is_empty())
}

fn json_failure(
    imp: &Importer,
    format: &'static str,
    seen: usize,
    e: serde_json::Error,
) -> ImportError {
    if seen == 0 {
        imp.wrong_format(format, e.to_string())
    } else {
        imp.broken(
            format!("line {}, column {}", e.line(), e.column()),
            e.to_string(),
        )
    }
}

/// Spotify's "Extended streaming history" (`ts`, `ms_played`, `master_metadata_*`, `skipped`) or the
/// older account-data "StreamingHistory" (`endTime`, `artistName`, `trackName`, `msPlayed`).
pub fn spotify(imp: &mut Importer) -> Result<()> {
    const FORMAT: &str = "Spotify streaming history";
    let file = imp.open()?;
    let mut seen = 0usize;
    let result = for_each_element(file, None, |i, entry| -> Result<()> {
        seen = i + 1;
        imp.report.read += 1;
        let at = format!("entry {}", i + 1);
        let Some(time) = str_at(&entry, &["ts", "endTime"]) else {
            if i == 0 {
                return Err(
                    imp.wrong_format(FORMAT, "the first entry has no \"ts\" or \"endTime\"")
                );
            }
            imp.skip(at, "no \"ts\" or \"endTime\"");
            return Ok(());
        };
        let Some(played_at) = parse_timestamp(time) else {
            imp.skip(at, format!("unreadable time {time:?}"));
            return Ok(());
        };
        if str_at(&entry, &["episode_name", "episode_show_name"]).is_some() {
            imp.skip(at, "podcast episode, not music");
            return Ok(());
        }
        let artist = str_at(&entry, &["master_metadata_album_artist_name", "artistName"]);
        let title = str_at(&entry, &["master_metadata_track_name", "trackName"]);
        let (Some(artist), Some(title)) = (artist, title) else {
            imp.skip(at, "no artist or track name (podcast, audiobook or video)");
            return Ok(());
        };
        let ms_played = ["ms_played", "msPlayed"]
            .iter()
            .find_map(|k| entry.get(k).and_then(Value::as_i64));
        // `ts` is when the play ended: the play started ms_played earlier.
        let played_at = played_at - ms_played.unwrap_or(0) / 1000;
        let skipped = entry.get("skipped").and_then(Value::as_bool);
        add_play(
            imp,
            "spotify",
            &at,
            Play {
                artist,
                title,
                mbid: None,
                played_at,
                ms_played,
                skipped,
            },
        )
    });
    match result {
        Ok(()) => Ok(()),
        Err(StreamError::Callback(e)) => Err(e),
        Err(StreamError::Json(e)) => Err(json_failure(imp, FORMAT, seen, e)),
    }
}

fn listenbrainz_listen(imp: &mut Importer, at: &str, listen: &Value) -> Result<bool> {
    let meta = &listen["track_metadata"];
    let time = match &listen["listened_at"] {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => parse_timestamp(s),
        _ => None,
    };
    let (Some(artist), Some(title)) = (
        str_at(meta, &["artist_name"]),
        str_at(meta, &["track_name"]),
    ) else {
        return Ok(false);
    };
    let Some(played_at) = time else {
        imp.skip(at, "no readable \"listened_at\"");
        return Ok(true);
    };
    let mbid = str_at(&meta["mbid_mapping"], &["recording_mbid"])
        .or_else(|| str_at(&meta["additional_info"], &["recording_mbid"]));
    add_play(
        imp,
        "listenbrainz",
        at,
        Play {
            artist,
            title,
            mbid,
            played_at,
            ms_played: None,
            skipped: None,
        },
    )?;
    Ok(true)
}

/// ListenBrainz export: one listen per line (`listened_at`, `track_metadata.artist_name`,
/// `track_name`, recording MBID in `mbid_mapping` or `additional_info`).
pub fn listenbrainz(imp: &mut Importer) -> Result<()> {
    const FORMAT: &str = "ListenBrainz export";
    let reader = BufReader::new(imp.open()?);
    let mut first = true;
    for (n, line) in reader.split(b'\n').enumerate() {
        let line = line.map_err(|source| ImportError::Io {
            path: imp.path.clone(),
            source,
        })?;
        let text = String::from_utf8_lossy(&line);
        if text.trim().is_empty() {
            continue;
        }
        imp.report.read += 1;
        let at = format!("line {}", n + 1);
        let parsed = serde_json::from_str::<Value>(&text);
        match parsed {
            Ok(listen) if listen.is_object() => {
                let ok = listenbrainz_listen(imp, &at, &listen)?;
                if !ok {
                    if first {
                        return Err(imp.wrong_format(
                            FORMAT,
                            "line 1 has no track_metadata.artist_name / track_name",
                        ));
                    }
                    imp.skip(at, "no track_metadata.artist_name or track_name");
                }
            }
            Ok(_) | Err(_) if first => {
                return Err(imp.wrong_format(FORMAT, "line 1 is not a JSON object"));
            }
            Ok(_) => imp.skip(at, "not a JSON object"),
            Err(e) => imp.skip(at, format!("malformed JSON: {e}")),
        }
        first = false;
    }
    Ok(())
}

/// Last.fm scrobble log: `user, timestamp, artist, track[, artist MBID, track MBID]`, tab- or
/// comma-separated, with or without a header line.
pub fn lastfm(imp: &mut Importer) -> Result<()> {
    const FORMAT: &str = "Last.fm scrobble log";
    let mut head = [0u8; 4096];
    let n = read_up_to(&mut imp.open()?, &mut head).map_err(|source| ImportError::Io {
        path: imp.path.clone(),
        source,
    })?;
    let first_line = head[..n].split(|&b| b == b'\n').next().unwrap_or(&[]);
    let tsv = first_line.contains(&b'\t');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(if tsv { b'\t' } else { b',' })
        .quoting(!tsv)
        .from_reader(imp.open()?);
    let mut record = csv::ByteRecord::new();
    let mut data_seen = false;
    loop {
        let line = reader.position().line();
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                if !data_seen {
                    return Err(imp.wrong_format(FORMAT, e.to_string()));
                }
                imp.report.read += 1;
                imp.skip(format!("line {line}"), e.to_string());
                continue;
            }
        }
        let field = |i: usize| -> String {
            record
                .get(i)
                .map(|b| String::from_utf8_lossy(b).trim().to_owned())
                .unwrap_or_default()
        };
        let at = format!("line {line}");
        let time = parse_timestamp(&field(1));
        if !data_seen && time.is_none() {
            let header = field(1).to_lowercase();
            if line == 1 && (header.contains("time") || header.contains("date")) {
                continue; // a header line
            }
            return Err(imp.wrong_format(
                FORMAT,
                format!(
                    "{at}: expected user, timestamp, artist, track; found {:?}",
                    field(1)
                ),
            ));
        }
        data_seen = true;
        imp.report.read += 1;
        if record.len() < 4 {
            imp.skip(at, format!("{} fields, expected at least 4", record.len()));
            continue;
        }
        let Some(played_at) = time else {
            imp.skip(at, format!("unreadable timestamp {:?}", field(1)));
            continue;
        };
        let (artist, title, mbid) = (field(2), field(3), field(5));
        add_play(
            imp,
            "lastfm",
            &at,
            Play {
                artist: &artist,
                title: &title,
                mbid: Some(mbid.as_str()).filter(|m| !m.is_empty()),
                played_at,
                ms_played: None,
                skipped: None,
            },
        )?;
    }
    if !data_seen && imp.report.skipped == 0 {
        return Err(imp.wrong_format(FORMAT, "no scrobbles in the file"));
    }
    Ok(())
}

fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

/// A playlist entry: a file path (or URL) and/or the artist and title it names.
#[derive(Default)]
struct Entry {
    location: Option<String>,
    artist: Option<String>,
    title: Option<String>,
    mbid: Option<String>,
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
    joined.canonicalize().unwrap_or(joined)
}

fn add_playlist_entries(imp: &mut Importer, entries: Vec<(String, Entry)>) -> Result<()> {
    let playlist = imp.path.canonicalize().unwrap_or_else(|_| imp.path.clone());
    let playlist_name = playlist.display().to_string();
    imp.conn.execute(
        "DELETE FROM playlist_entries WHERE playlist = ?1",
        [&playlist_name],
    )?;
    let mut position = 0;
    for (at, entry) in entries {
        imp.report.read += 1;
        let track = entry.location.as_deref().and_then(|loc| {
            let path = resolve_location(&playlist, loc);
            imp.index.track_at_path(&path.to_string_lossy())
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
        let Some((artist, title)) = names else {
            let what = entry.location.as_deref().unwrap_or("entry");
            imp.skip(
                at,
                format!("{what}: not in the library and no artist/title given"),
            );
            continue;
        };
        let Some(item) = imp.items.id(
            imp.conn,
            ItemKind::Track,
            &artist,
            Some(&title),
            entry.mbid.as_deref(),
        )?
        else {
            imp.skip(at, "no artist or no title");
            continue;
        };
        imp.conn.execute(
            "INSERT INTO playlist_entries (playlist, position, item_id) VALUES (?1, ?2, ?3)",
            params![playlist_name, position, item],
        )?;
        position += 1;
        imp.report.imported += 1;
    }
    Ok(())
}

/// M3U / M3U8: one location per line; `#EXTINF:seconds,Artist - Title` names the next entry.
pub fn m3u(imp: &mut Importer) -> Result<()> {
    const FORMAT: &str = "M3U playlist";
    let reader = BufReader::new(imp.open()?);
    let mut entries = Vec::new();
    let mut pending = Entry::default();
    for (n, line) in reader.split(b'\n').enumerate() {
        let line = line.map_err(|source| ImportError::Io {
            path: imp.path.clone(),
            source,
        })?;
        if line.contains(&0) {
            return Err(imp.wrong_format(FORMAT, format!("line {} holds binary data", n + 1)));
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim().trim_start_matches('\u{feff}');
        if text.is_empty() {
            continue;
        }
        if entries.is_empty()
            && pending.artist.is_none()
            && (text.starts_with('<') || text.starts_with('{') || text.starts_with('['))
        {
            return Err(imp.wrong_format(FORMAT, format!("line {} looks like XML or JSON", n + 1)));
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
        entries.push((format!("line {}", n + 1), std::mem::take(&mut pending)));
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
                    value.push_str(&text.xml10_content());
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
                let name = tag.local_name().as_ref().to_owned();
                if name == "track" {
                    if let Some(entry) = current.take() {
                        entries.push((format!("track {count}"), entry));
                    }
                } else if let (Some(entry), Some((f, value))) = (current.as_mut(), field.take()) {
                    let value = value.trim().to_owned();
                    match f.as_str() {
                        "location" if entry.location.is_none() => entry.location = Some(value),
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
    add_playlist_entries(imp, entries)
}
