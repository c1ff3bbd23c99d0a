//! The library commands: scan, list tracks, failures and folders, the demo library, play headless,
//! the listening history.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use rusqlite::Connection;
use sonare::app::Sonare;
use sonare::jobs::JobControl;
use sonare::library::browse::{self, SortKey, TrackQuery};
use sonare::library::{self, store};

/// `sonare scan [DIR…]`: adds the folders, rescans every library folder.
pub fn scan(
    app: &Sonare,
    dirs: &[PathBuf],
    json: bool,
    batch_size: usize,
    out: &mut impl Write,
) -> Result<()> {
    for dir in dirs {
        library::add_folder(&app.db(), dir)?;
    }
    let show_progress = !json && std::io::stderr().is_terminal();
    let report = app.scan(Some(batch_size), &JobControl::default(), &mut |p| {
        if show_progress {
            eprint!(
                "\r{:?} {}/{}   ",
                p.phase, p.progress.done, p.progress.total
            );
        }
    })?;
    if show_progress {
        eprintln!();
    }
    if json {
        serde_json::to_writer(&mut *out, &report)?;
        writeln!(out)?;
        return Ok(());
    }
    writeln!(
        out,
        "added {}, updated {}, unchanged {}, moved {}, missing {}, unreadable {} ({:.2} s)",
        report.added,
        report.updated,
        report.unchanged,
        report.moved,
        report.missing,
        report.failed.len(),
        report.seconds
    )?;
    for failure in report.failed.iter().chain(&report.walk_errors) {
        writeln!(out, "  {}: {}", failure.path, failure.error)?;
    }
    Ok(())
}

/// `sonare tracks`: the library view as lines (or JSON lines).
pub fn tracks(
    app: &Sonare,
    search: String,
    sort: SortKey,
    all: bool,
    json: bool,
    out: &mut impl Write,
) -> Result<()> {
    let query = TrackQuery {
        search,
        sort,
        include_missing: all,
        ..Default::default()
    };
    for track in browse::list_tracks(&app.db(), &query)? {
        if json {
            serde_json::to_writer(&mut *out, &track)?;
            writeln!(out)?;
        } else {
            writeln!(
                out,
                "{}\t{}\t{}\t{}",
                track.id, track.artist, track.album, track.title
            )?;
        }
    }
    Ok(())
}

pub fn failures(app: &Sonare, json: bool, out: &mut impl Write) -> Result<()> {
    for failure in store::failures(&app.db())? {
        if json {
            serde_json::to_writer(&mut *out, &failure)?;
            writeln!(out)?;
        } else {
            writeln!(out, "{}\t{}", failure.path, failure.error)?;
        }
    }
    Ok(())
}

pub fn folders(app: &Sonare, out: &mut impl Write) -> Result<()> {
    for folder in store::folders(&app.db())? {
        writeln!(out, "{}", folder.path)?;
    }
    Ok(())
}

pub fn data_dir(app: &Sonare, out: &mut impl Write) -> Result<()> {
    writeln!(out, "{}", app.data().root().display())?;
    Ok(())
}

/// `sonare demo`: fetches the demo library and adds it (the next `sonare scan` reads it).
pub fn demo(app: &Sonare, out: &mut impl Write) -> Result<()> {
    let target = app.data().demo_music();
    let dir = library::demo::fetch_demo(&target, &mut |done, total, pkg| {
        if !pkg.is_empty() {
            eprintln!("demo: fetching {pkg} ({}/{total})", done + 1);
        }
    })?;
    library::add_folder(&app.db(), &dir)?;
    writeln!(out, "{}", dir.display())?;
    Ok(())
}

pub fn history(app: &Sonare, json: bool, limit: u32, out: &mut impl Write) -> Result<()> {
    for play in sonare::playback::history::recent_plays(&app.db(), limit)? {
        if json {
            serde_json::to_writer(&mut *out, &play)?;
            writeln!(out)?;
        } else {
            writeln!(
                out,
                "{}\t{}\t{} - {}\t{:.1} s heard\t{}",
                play.started_at,
                play.end.as_deref().unwrap_or("unfinished"),
                play.artist,
                play.title,
                play.heard_ms as f64 / 1000.0,
                play.context
            )?;
        }
    }
    Ok(())
}

/// `sonare play TRACK…`: the tracks (ids or library paths) through the real output, in order.
pub fn play(app: &Sonare, tracks: &[String], seconds: Option<f64>, json: bool) -> Result<()> {
    let ids = {
        let conn = app.db();
        tracks
            .iter()
            .map(|arg| resolve_track(&conn, arg))
            .collect::<Result<Vec<_>>>()?
    };
    play_ids(&app.data().database(), ids, seconds, json)
}

/// A track id, or the path of a file in the library.
pub(crate) fn resolve_track(conn: &Connection, arg: &str) -> Result<i64> {
    if let Ok(id) = arg.parse::<i64>() {
        if browse::track_by_id(conn, id)?.is_some() {
            return Ok(id);
        }
        anyhow::bail!("no track with id {id} in the library");
    }
    let path = Path::new(arg)
        .canonicalize()
        .with_context(|| format!("track {arg}: neither a track id nor a readable path"))?;
    browse::track_id_by_path(conn, &sonare::library::path_text::to_text(&path))?.with_context(
        || {
            format!(
                "{} is not in the library: add its folder with `sonare scan DIR`",
                path.display()
            )
        },
    )
}
/// Plays `ids` through the real output until the queue ends or `seconds` pass.
fn play_ids(db_path: &Path, ids: Vec<i64>, seconds: Option<f64>, json: bool) -> Result<()> {
    use sonare::playback::{Command as Cmd, PlayContext, Player, PlayerEvent, Status};
    let (done_tx, done_rx) = std::sync::mpsc::channel::<Option<String>>();
    // The player announces its (stopped) state on start: only a stop after playing ends the command.
    let started = std::cell::Cell::new(false);
    // Each track is decoded by a worker process: a file the decoder cannot survive fails alone.
    let decoding =
        sonare::audio::Decoding::Isolated(sonare::sandbox::WorkerCommand::current_exe_decoder()?);
    let player = Player::spawn(db_path, decoding, move |event| {
        if json {
            if let Ok(line) = serde_json::to_string(&event) {
                println!("{line}");
            }
        }
        match &event {
            PlayerEvent::TrackChanged { track: Some(t), .. } if !json => {
                eprintln!("playing: {} - {}", t.artist, t.title)
            }
            PlayerEvent::Error { kind, message, .. } => {
                if !json {
                    eprintln!("sonare: {message}");
                }
                if *kind == sonare::playback::PlayerErrorKind::Device {
                    let _ = done_tx.send(Some(message.clone()));
                }
            }
            PlayerEvent::State {
                status: Status::Playing,
                ..
            } => started.set(true),
            PlayerEvent::State {
                status: Status::Stopped,
                ..
            } if started.get() => {
                let _ = done_tx.send(None);
            }
            _ => {}
        }
    })?;
    player.send(Cmd::PlayQueue {
        tracks: ids,
        start: 0,
        context: PlayContext::Cli,
    });
    let outcome = match seconds {
        Some(s) => done_rx
            .recv_timeout(std::time::Duration::from_secs_f64(s))
            .ok(),
        None => done_rx.recv().ok(),
    };
    player.send(Cmd::Stop);
    drop(player);
    match outcome.flatten() {
        Some(device_error) => anyhow::bail!(device_error),
        None => Ok(()),
    }
}
