//! `sonare playlist …`, `likes`, `artists`, `artist`, `exclude …`: the listener's own places.
//! Positions are 1-based here, as `playlist show` prints them.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::Subcommand;
use serde::Serialize;
use sonare::app::Sonare;
use sonare::exclusions::ExclusionKind;
use sonare::library::artists::ArtistSort;
use sonare::playlists::export::Format;

#[derive(Subcommand)]
pub enum PlaylistCommand {
    /// Every playlist: id, name, entries.
    List {
        #[arg(long)]
        json: bool,
    },
    /// A playlist's entries (unmatched ones marked "not in the library").
    Show {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// A new playlist of tracks (ids or library paths), or of a day's Discover Daily; prints its id.
    Create {
        name: String,
        tracks: Vec<String>,
        /// Fill it with Discover Daily of this day (YYYY-MM-DD, or "today").
        #[arg(long, value_name = "DAY")]
        from_discover: Option<String>,
        /// Fill it with today's mix number N (as `sonare mixes` numbers them).
        #[arg(long, value_name = "N")]
        from_mix: Option<usize>,
    },
    /// Add tracks (ids or library paths), at the end or before position --at.
    Add {
        id: i64,
        #[arg(required = true)]
        tracks: Vec<String>,
        #[arg(long)]
        at: Option<usize>,
    },
    /// Remove the entries at these positions.
    Remove {
        id: i64,
        #[arg(required = true)]
        positions: Vec<usize>,
    },
    /// Move the entry at FROM to position TO.
    Move {
        id: i64,
        from: usize,
        to: usize,
    },
    Rename {
        id: i64,
        name: String,
    },
    /// A copy (named "<name> (copy)" unless --name); prints its id.
    Duplicate {
        id: i64,
        #[arg(long)]
        name: Option<String>,
    },
    Delete {
        id: i64,
    },
    /// Write it as M3U8 or XSPF (default: by the file's extension), paths relative where possible.
    Export {
        id: i64,
        path: PathBuf,
        #[arg(long, value_enum)]
        format: Option<Format>,
    },
}

#[derive(Subcommand)]
pub enum ExcludeCommand {
    /// Leave an artist, a genre or a folder out of Discover Daily, For you and mixes.
    Add {
        #[arg(value_enum)]
        kind: ExclusionKind,
        label: String,
    },
    /// What is left out, with ids.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Take an exclusion back.
    Remove { id: i64 },
}

fn json_line(out: &mut impl Write, value: &impl Serialize) -> Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    writeln!(out)?;
    Ok(())
}

/// A 1-based position from the command line, 0-based for the core.
fn index(position: usize) -> Result<usize> {
    position
        .checked_sub(1)
        .context("positions start at 1 (as `playlist show` prints them)")
}

pub fn track_ids(app: &Sonare, tracks: &[String]) -> Result<Vec<i64>> {
    let conn = app.db();
    tracks
        .iter()
        .map(|t| super::library_cli::resolve_track(&conn, t))
        .collect()
}

pub fn playlist(app: &Sonare, command: PlaylistCommand, out: &mut impl Write) -> Result<()> {
    match command {
        PlaylistCommand::List { json } => {
            for p in app.playlists()? {
                if json {
                    json_line(out, &p)?;
                } else {
                    let unmatched = match p.unmatched {
                        0 => String::new(),
                        n => format!(" ({n} not in the library)"),
                    };
                    writeln!(
                        out,
                        "{}\t{}\t{} entries{unmatched}",
                        p.id, p.name, p.entries
                    )?;
                }
            }
        }
        PlaylistCommand::Show { id, json } => {
            let playlist = app.playlist(id)?;
            if json {
                return json_line(out, &playlist);
            }
            writeln!(out, "{}", playlist.summary.name)?;
            for e in &playlist.entries {
                let (artist, title) = match &e.track {
                    Some(t) => (t.artist.as_str(), t.title.as_str()),
                    None => (e.artist.as_str(), e.title.as_str()),
                };
                let note = match &e.track {
                    None => "\t(not in the library)",
                    Some(t) if t.missing => "\t(file missing)",
                    Some(_) => "",
                };
                writeln!(out, "{}\t{artist} - {title}{note}", e.position + 1)?;
            }
        }
        PlaylistCommand::Create {
            name,
            tracks,
            from_discover,
            from_mix,
        } => {
            if from_mix.is_some() && (from_discover.is_some() || !tracks.is_empty()) {
                bail!("give tracks, --from-discover or --from-mix, one of them");
            }
            let id = match from_discover {
                None if from_mix.is_some() => {
                    let slot = index(from_mix.expect("checked"))?;
                    app.save_mix_as_playlist(None, slot as i64, Some(&name))?
                }
                Some(day) => {
                    if !tracks.is_empty() {
                        bail!("give tracks or --from-discover, not both");
                    }
                    let day = match day.as_str() {
                        "today" => None,
                        day => Some(sonare::discover::parse_day(day)?),
                    };
                    app.save_discover_as_playlist(day, Some(&name))?
                }
                None => app.create_playlist(&name, &track_ids(app, &tracks)?)?,
            };
            writeln!(out, "{id}")?;
        }
        PlaylistCommand::Add { id, tracks, at } => {
            let at = at.map(index).transpose()?;
            let len = app.add_to_playlist(id, &track_ids(app, &tracks)?, at)?;
            writeln!(out, "{len} entries")?;
        }
        PlaylistCommand::Remove { id, positions } => {
            let positions = positions
                .into_iter()
                .map(index)
                .collect::<Result<Vec<_>>>()?;
            let len = app.remove_from_playlist(id, &positions)?;
            writeln!(out, "{len} entries")?;
        }
        PlaylistCommand::Move { id, from, to } => {
            app.move_in_playlist(id, index(from)?, index(to)?)?
        }
        PlaylistCommand::Rename { id, name } => app.rename_playlist(id, &name)?,
        PlaylistCommand::Duplicate { id, name } => {
            writeln!(out, "{}", app.duplicate_playlist(id, name.as_deref())?)?
        }
        PlaylistCommand::Delete { id } => app.delete_playlist(id)?,
        PlaylistCommand::Export { id, path, format } => {
            let report = app.export_playlist(id, &path, format)?;
            let left_out = match report.left_out {
                0 => String::new(),
                n => format!(" ({n} with no file left out)"),
            };
            writeln!(
                out,
                "{} entries written to {}{left_out}",
                report.written, report.path
            )?;
        }
    }
    Ok(())
}

pub fn likes(app: &Sonare, json: bool, out: &mut impl Write) -> Result<()> {
    for liked in app.liked()? {
        if json {
            json_line(out, &liked)?;
        } else {
            let t = &liked.track;
            writeln!(out, "{}\t{} - {}\t{}", t.id, t.artist, t.title, t.album)?;
        }
    }
    Ok(())
}

pub fn artists(
    app: &Sonare,
    search: &str,
    sort: ArtistSort,
    json: bool,
    out: &mut impl Write,
) -> Result<()> {
    for a in app.artists(search, sort)? {
        if json {
            json_line(out, &a)?;
        } else {
            writeln!(
                out,
                "{}\t{} songs\t{} albums\t{} plays",
                a.name, a.songs, a.albums, a.plays
            )?;
        }
    }
    Ok(())
}

pub fn artist(app: &Sonare, name: &str, json: bool, out: &mut impl Write) -> Result<()> {
    let page = app.artist(name)?;
    if json {
        return json_line(out, &page);
    }
    let lib = &page.library;
    writeln!(out, "{}: {} songs", lib.name, lib.tracks.len())?;
    for a in &lib.albums {
        writeln!(out, "album\t{}\t{} songs", a.album, a.tracks)?;
    }
    for a in &lib.appears_on {
        writeln!(
            out,
            "appears on\t{} ({})\t{} songs",
            a.album, a.artist, a.tracks
        )?;
    }
    for p in &lib.most_played {
        writeln!(out, "most played\t{}\t{} plays", p.track.title, p.plays)?;
    }
    for (name, score) in &page.like_by_text {
        writeln!(out, "like (by tags and names)\t{name}\t{score:.3}")?;
    }
    for (name, score) in &page.like_by_listeners {
        writeln!(out, "like (by co-listening)\t{name}\t{score:.3}")?;
    }
    Ok(())
}

pub fn exclude(app: &Sonare, command: ExcludeCommand, out: &mut impl Write) -> Result<()> {
    match command {
        ExcludeCommand::Add { kind, label } => writeln!(out, "{}", app.exclude(kind, &label)?)?,
        ExcludeCommand::List { json } => {
            for e in app.exclusions()? {
                if json {
                    json_line(out, &e)?;
                } else {
                    writeln!(out, "{}\t{:?}\t{}", e.id, e.kind, e.label)?;
                }
            }
        }
        ExcludeCommand::Remove { id } => app.include(id)?,
    }
    Ok(())
}
