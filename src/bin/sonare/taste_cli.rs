//! The taste commands: free-text search, similar artists by text, CF recommendations for the
//! listener, and the text/co-listening agreement check.

use std::io::Write;

use anyhow::{Context, Result};
use rusqlite::Connection;
use sonare::cf::taste::{self, Listener, SharedModel};
use sonare::db;
use sonare::text::profile::LibraryText;

/// `sonare find QUERY`: tracks ranked by text and sound tags together.
pub fn find(
    conn: &Connection,
    query: &str,
    k: usize,
    json: bool,
    out: &mut impl Write,
) -> Result<()> {
    let text = LibraryText::load_tracks(conn).context("building the text profiles")?;
    let hits = text.search(query, k);
    let ids: Vec<i64> = hits.iter().map(|h| h.0).collect();
    let rows = db::tracks::tracks_by_ids(conn, &ids)?;
    for ((id, score), row) in hits.iter().zip(rows) {
        if json {
            let line = serde_json::json!({"id": id, "score": score, "title": row.title, "artist": row.artist, "album": row.album, "path": row.path});
            writeln!(out, "{line}")?;
        } else {
            writeln!(out, "{id}\t{score:.3}\t{} — {}", row.artist, row.title)?;
        }
    }
    Ok(())
}

/// `sonare artists-like NAME`: artists of the library closest by text profile.
pub fn artists_like(
    conn: &Connection,
    name: &str,
    k: usize,
    json: bool,
    out: &mut impl Write,
) -> Result<()> {
    let text = LibraryText::load(conn).context("building the text profiles")?;
    let Some(similar) = text.similar_artists(name, k) else {
        anyhow::bail!("no artist {name:?} in the library");
    };
    for (artist, score) in similar {
        if json {
            writeln!(
                out,
                "{}",
                serde_json::json!({"artist": artist, "similarity": score})
            )?;
        } else {
            writeln!(out, "{score:.3}\t{artist}")?;
        }
    }
    Ok(())
}

/// `sonare cf for-me`: library tracks the listener has not played, by CF evidence.
pub fn for_me(conn: &Connection, k: usize, json: bool, out: &mut impl Write) -> Result<()> {
    let listener = Listener::load(conn)?;
    let shared = SharedModel::load(conn).context("training the shared co-listening model")?;
    if !json {
        match &shared {
            Some(m) => writeln!(out, "# model: {}", m.name)?,
            None => writeln!(out, "# no shared data imported: session co-occurrence only")?,
        }
    }
    let scores = taste::scores(conn, shared.as_ref(), &listener, k)?;
    let ids: Vec<i64> = scores.iter().map(|s| s.track_id).collect();
    let rows = db::tracks::tracks_by_ids(conn, &ids)?;
    for (s, row) in scores.iter().zip(rows) {
        if json {
            let mut v = serde_json::to_value(s)?;
            v["title"] = row.title.into();
            v["artist"] = row.artist.into();
            writeln!(out, "{v}")?;
        } else {
            writeln!(
                out,
                "{}\tcf {:.3}\tsession {:.3}\t{} — {}\tbecause you played {}",
                s.track_id,
                s.cf,
                s.session,
                row.artist,
                row.title,
                s.because.as_deref().unwrap_or("—")
            )?;
        }
    }
    Ok(())
}

/// `sonare cf text-agreement`: text vs co-listening similarity of the shared data's artists.
pub fn text_agreement(conn: &Connection, k: usize, out: &mut impl Write) -> Result<()> {
    let a = sonare::text::agreement::artist_agreement(conn, k)?;
    writeln!(out, "{}", serde_json::to_string(&a)?)?;
    Ok(())
}
