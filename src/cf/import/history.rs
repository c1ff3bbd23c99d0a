//! Readers of the listener's own plays: Spotify and ListenBrainz exports, Last.fm scrobble logs.

use std::io::{BufReader, Read, Seek, SeekFrom};

use rusqlite::params;
use serde_json::Value;

use super::json_stream::for_each_element;
use super::lines::{CappedLines, Line, Lines};
use super::store::{ItemKind, MAX_NAME_BYTES};
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

/// Plays before 2000-01-01 are no real plays of a music service's history.
const EARLIEST_PLAY: i64 = 946_684_800;
/// A play longer than a day is no play.
const MAX_MS_PLAYED: i64 = 24 * 3_600_000;

/// Why a play cannot be true, if it cannot.
fn implausible(play: &Play) -> Option<String> {
    let latest = crate::db::now_unix() + 86_400;
    if play.artist.len() > MAX_NAME_BYTES || play.title.len() > MAX_NAME_BYTES {
        return Some(format!(
            "artist or title longer than {MAX_NAME_BYTES} bytes"
        ));
    }
    if !(EARLIEST_PLAY..=latest).contains(&play.played_at) {
        return Some(format!(
            "played at {} (Unix seconds): before 2000 or in the future",
            play.played_at
        ));
    }
    match play.ms_played {
        Some(ms) if !(0..=MAX_MS_PLAYED).contains(&ms) => {
            Some(format!("ms_played {ms} is not between 0 and 24 hours"))
        }
        _ => None,
    }
}

fn add_play(imp: &mut Importer, source: &str, at: &str, play: Play) -> Result<()> {
    if let Some(why) = implausible(&play) {
        imp.skip(at, why);
        return Ok(());
    }
    let item = match imp.items.id(
        imp.conn,
        ItemKind::Track,
        play.artist,
        Some(play.title),
        play.mbid,
    )? {
        Ok(item) => item,
        Err(why) => {
            imp.skip(at, why.reason("no artist or no title"));
            return Ok(());
        }
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
    imp.finish_stream(FORMAT, seen, result)
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
    for (n, line) in Lines::new(reader) {
        let line = line.map_err(|source| ImportError::Io {
            path: imp.path.clone(),
            source,
        })?;
        imp.report.read += 1;
        let at = format!("line {n}");
        let Some((text, _)) = imp.line_text(&at, line) else {
            continue;
        };
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
        .from_reader(CappedLines::new(imp.open()?));
    let cut_lines = reader.get_ref().cut_lines();
    let mut record = csv::ByteRecord::new();
    let mut data_seen = false;
    // The last record, if it had too few fields: at the end of a file with no final newline, the
    // file was cut off mid-line and is refused whole.
    let mut short_last: Option<String> = None;
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
        short_last = None;
        // Only the first MAX_LINE bytes of a longer line reached the parser: not a scrobble.
        if cut_lines
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .contains(&line)
        {
            imp.report.read += 1;
            imp.skip(format!("line {line}"), Line::too_long_unmeasured());
            data_seen = true;
            continue;
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
            short_last = Some(at.clone());
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
    if let Some(at) = short_last {
        let file = std::fs::File::open(&imp.path);
        if !file.is_ok_and(|mut f| ends_with_newline(&mut f)) {
            return Err(imp.cut_short(at));
        }
    }
    if !data_seen && imp.report.skipped == 0 {
        return Err(imp.wrong_format(FORMAT, "no scrobbles in the file"));
    }
    Ok(())
}

/// Whether the file's last byte is a newline (an empty or unreadable file counts as ended).
fn ends_with_newline(file: &mut (impl Read + Seek)) -> bool {
    let mut last = [0u8; 1];
    match file.seek(SeekFrom::End(-1)) {
        Ok(_) => file.read_exact(&mut last).is_err() || last[0] == b'\n',
        Err(_) => true,
    }
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
