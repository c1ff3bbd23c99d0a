//! `sonare mixes`, `sonare radio SEED…` and `sonare path FROM TO`: the day's Daily Mixes and
//! Rediscover, a radio's first tracks, and a path from one song to another. Mixes are numbered
//! from 1, as `playlist create --from-mix N` takes them.

use std::io::Write;

use anyhow::{bail, Context, Result};
use sonare::app::{MixTrack, Seed, Sonare};

fn print_tracks(tracks: &[MixTrack], out: &mut impl Write) -> Result<()> {
    for (n, t) in tracks.iter().enumerate() {
        writeln!(
            out,
            "{:>3}  {}\t{} — {}\t{}",
            n + 1,
            t.track.id,
            t.track.artist,
            t.track.title,
            t.reason
        )?;
    }
    Ok(())
}

fn tracks_json(tracks: &[MixTrack]) -> serde_json::Value {
    serde_json::Value::Array(
        tracks
            .iter()
            .map(|t| {
                serde_json::json!({
                    "track_id": t.track.id, "artist": t.track.artist, "title": t.track.title,
                    "reason_kind": t.reason_kind, "reason": t.reason, "reason_track": t.reason_track,
                })
            })
            .collect(),
    )
}

pub fn mixes(app: &Sonare, date: Option<String>, json: bool, out: &mut impl Write) -> Result<()> {
    let day = date.map(|d| sonare::discover::parse_day(&d)).transpose()?;
    let mixes = app.mixes(day).context("making the day's mixes")?;
    if mixes.is_empty() && !json {
        writeln!(
            out,
            "No mixes yet: they are made from the listening history before today"
        )?;
    }
    for (n, m) in mixes.iter().enumerate() {
        if json {
            let value = serde_json::json!({
                "number": n + 1, "day": m.header.day, "kind": m.header.kind,
                "title": m.header.title, "subtitle": m.header.subtitle,
                "tracks": tracks_json(&m.tracks),
            });
            writeln!(out, "{value}")?;
        } else {
            writeln!(out, "{}. {} ({})", n + 1, m.header.title, m.header.subtitle)?;
            print_tracks(&m.tracks, out)?;
        }
    }
    Ok(())
}

/// `track:ID` (or a bare id), `album:NAME` or `album:NAME@ALBUM ARTIST`, `artist:NAME`,
/// `playlist:ID`.
pub fn parse_seed(text: &str) -> Result<Seed> {
    let (kind, value) = text.split_once(':').unwrap_or(("track", text));
    let id = |v: &str| {
        v.trim()
            .parse::<i64>()
            .with_context(|| format!("{text:?}: not an id"))
    };
    Ok(match kind {
        "track" => Seed::Track { id: id(value)? },
        "playlist" => Seed::Playlist { id: id(value)? },
        "artist" => Seed::Artist {
            name: value.to_owned(),
        },
        "album" => match value.rsplit_once('@') {
            Some((album, artist)) => Seed::Album {
                album: album.to_owned(),
                album_artist: Some(artist.to_owned()),
            },
            None => Seed::Album {
                album: value.to_owned(),
                album_artist: None,
            },
        },
        other => bail!("{text:?}: a seed is track:, album:, artist: or playlist:, not {other}:"),
    })
}

pub fn radio(
    app: &Sonare,
    seeds: &[String],
    count: usize,
    json: bool,
    out: &mut impl Write,
) -> Result<()> {
    let seeds = seeds
        .iter()
        .map(|s| parse_seed(s))
        .collect::<Result<Vec<_>>>()?;
    if count == 0 {
        bail!("--count must be at least 1");
    }
    // The radio as the app runs it: a first batch, then extensions until COUNT.
    let first = app.radio_start(&seeds, count.min(sonare::app::RADIO_BATCH))?;
    let mut tracks = first.tracks;
    while tracks.len() < count {
        let more = app.radio_more((count - tracks.len()).min(sonare::app::RADIO_BATCH))?;
        if more.tracks.is_empty() {
            break;
        }
        tracks.extend(more.tracks);
    }
    if json {
        let value = serde_json::json!({"title": first.title, "tracks": tracks_json(&tracks)});
        writeln!(out, "{value}")?;
    } else {
        writeln!(out, "{}", first.title)?;
        print_tracks(&tracks, out)?;
    }
    Ok(())
}

pub fn path(
    app: &Sonare,
    from: i64,
    to: i64,
    length: usize,
    save: Option<String>,
    json: bool,
    out: &mut impl Write,
) -> Result<()> {
    let tracks = app.path_between(from, to, length)?;
    if let Some(name) = save {
        let ids: Vec<i64> = tracks.iter().map(|t| t.track.id).collect();
        let id = app.create_playlist(&name, &ids)?;
        writeln!(out, "saved as playlist {id}")?;
    }
    if json {
        writeln!(out, "{}", tracks_json(&tracks))?;
    } else {
        print_tracks(&tracks, out)?;
    }
    Ok(())
}
