//! The `sonare` command line: the same core functions as the app, headless.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use sonare::data_dir::DataDir;
use sonare::db::{self, tracks::SortKey, tracks::TrackQuery};
use sonare::library::{self, CoverCache, ScanOptions};

mod cf_cli;
mod discover_cli;
mod import_cli;
mod taste_cli;

#[derive(Parser)]
#[command(
    name = "sonare",
    version,
    about = "Sonare: a music player that learns its listener, on-device"
)]
struct Cli {
    /// Data folder (database, cover cache, models). Default: $SONARE_DATA_DIR, else the OS data folder.
    #[arg(long, global = true, value_name = "D")]
    data_dir: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Add folders (if given) to the library and rescan every library folder.
    Scan {
        dirs: Vec<PathBuf>,
        /// Print one JSON object with the scan report.
        #[arg(long)]
        json: bool,
        /// Files per transaction (tests use small batches to interrupt a scan between them).
        #[arg(long, default_value_t = 256, hide = true)]
        batch_size: usize,
    },
    /// List the library.
    Tracks {
        /// One JSON object per line.
        #[arg(long)]
        json: bool,
        /// Only tracks whose title, artist or album contain every word.
        #[arg(long, default_value = "")]
        search: String,
        #[arg(long, value_enum, default_value = "artist")]
        sort: SortKey,
        /// Include tracks whose files are missing.
        #[arg(long)]
        all: bool,
    },
    /// List files that could not be imported, with the reason.
    Failures {
        #[arg(long)]
        json: bool,
    },
    /// List the library folders.
    Folders,
    /// Fetch the demo library (free music from Debian's archive) into the data folder and add it.
    Demo,
    /// Play tracks headless (by library id or path), recording history as the app does.
    Play {
        /// Track ids or paths of library files, played in order.
        #[arg(required = true)]
        tracks: Vec<String>,
        /// Stop after this many seconds (default: play to the end).
        #[arg(long)]
        seconds: Option<f64>,
        /// Print player events as JSON lines.
        #[arg(long)]
        json: bool,
    },
    /// Analyse every track not yet analysed by the current analysis (tempo, metre, key, loudness, and
    /// the audio CNN's tags and embedding when ONNX Runtime is available: $ORT_DYLIB_PATH or
    /// <data>/runtime/). Prints a summary.
    Analyze {
        /// Print the summary as one JSON object.
        #[arg(long)]
        json: bool,
        /// Analyse at most this many tracks.
        #[arg(long)]
        limit: Option<usize>,
        /// Worker threads (default: one per core).
        #[arg(long)]
        threads: Option<usize>,
        /// Give the CNN every 3 s patch instead of an even spread of at most 16 per track.
        #[arg(long)]
        all_patches: bool,
    },
    /// Show one track with its analysis: tempo, metre, key and mode, loudness, top CNN tags.
    Track {
        track_id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Tracks that sound most like a track (nearest by the audio CNN's embedding).
    Similar {
        track_id: i64,
        /// How many.
        #[arg(long, default_value_t = 10)]
        k: usize,
        #[arg(long)]
        json: bool,
    },
    /// Print the data folder.
    DataDir,
    /// Tracks for a free-text query ("calm piano", "90s hip hop"), by text and sound tags together.
    Find {
        query: String,
        #[arg(long, default_value_t = 20)]
        k: usize,
        #[arg(long)]
        json: bool,
    },
    /// Artists of the library whose text profile (tags, genres, sound tags…) is closest to NAME's.
    ArtistsLike {
        name: String,
        #[arg(long, default_value_t = 10)]
        k: usize,
        #[arg(long)]
        json: bool,
    },
    /// Taste from listening data: recommendations for the listener by collaborative filtering.
    Taste {
        #[command(subcommand)]
        command: TasteCommand,
    },
    /// Import listening history, playlists or shared co-listening data.
    Import {
        #[command(subcommand)]
        command: import_cli::ImportCommand,
    },
    /// Collaborative filtering on interaction files: offline evaluation of the models.
    Cf {
        #[command(subcommand)]
        command: cf_cli::CfCommand,
    },
    /// Today's Discover Daily (or another day's): tracks with per-model scores and the reason.
    Discover(discover_cli::DiscoverArgs),
    /// Tell Discover Daily what you think of a track: like, hide ("not for me"), or unhide.
    Feedback {
        track_id: i64,
        /// like | hide | unhide
        verdict: String,
    },
    /// Offline evaluation of Discover Daily: replay a listening log day by day (see BENCHMARKS.md).
    DiscoverEval(discover_cli::EvalArgs),
    /// List the listening history, newest first.
    History {
        #[arg(long)]
        json: bool,
        #[arg(long, default_value_t = 100)]
        limit: u32,
    },
}

#[derive(Subcommand)]
enum TasteCommand {
    /// Library tracks the listener has not played, by co-listening evidence, with the reason.
    ForMe {
        #[arg(long, default_value_t = 20)]
        k: usize,
        #[arg(long)]
        json: bool,
    },
    /// How far text similarity of the shared data's artists agrees with co-listening similarity.
    TextAgreement {
        #[arg(long, default_value_t = 10)]
        k: usize,
    },
}

fn main() {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("sonare=warn"))
        .format_timestamp(None)
        .init();
    if let Err(err) = run(Cli::parse()) {
        // `sonare tracks | head` closes the pipe early: that is not an error.
        let broken_pipe = err.chain().any(|cause| {
            cause
                .downcast_ref::<std::io::Error>()
                .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
        });
        if broken_pipe {
            return;
        }
        eprintln!("sonare: {}", describe(&err));
        std::process::exit(1);
    }
}

fn run(cli: Cli) -> Result<()> {
    if let Command::Cf { command } = cli.command {
        return cf_cli::run(command, &mut std::io::stdout().lock());
    }
    if let Command::DiscoverEval(args) = cli.command {
        return discover_cli::eval(args, &mut std::io::stdout().lock());
    }
    let data = DataDir::resolve(cli.data_dir.as_deref())?;
    let db_path = data.database();
    let mut conn = db::open(&db_path).with_context(|| format!("opening {}", db_path.display()))?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match cli.command {
        Command::Scan {
            dirs,
            json,
            batch_size,
        } => {
            for dir in &dirs {
                library::add_folder(&conn, dir)?;
            }
            let covers = CoverCache::new(&data.covers())?;
            let show_progress = !json && std::io::stderr().is_terminal();
            let options = ScanOptions {
                batch_size,
                ..Default::default()
            };
            let report = library::scan(&mut conn, &covers, &options, &mut |p| {
                if show_progress {
                    eprint!("\r{:?} {}/{}   ", p.phase, p.done, p.total);
                }
            })?;
            // Imported plays of songs that just arrived join the history.
            sonare::cf::matching::rematch_after_scan(&mut conn, &report)?;
            if show_progress {
                eprintln!();
            }
            if json {
                serde_json::to_writer(&mut out, &report)?;
                writeln!(out)?;
            } else {
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
            }
        }
        Command::Tracks {
            json,
            search,
            sort,
            all,
        } => {
            let query = TrackQuery {
                search,
                sort,
                include_missing: all,
                ..Default::default()
            };
            for track in db::tracks::list_tracks(&conn, &query)? {
                if json {
                    serde_json::to_writer(&mut out, &track)?;
                    writeln!(out)?;
                } else {
                    writeln!(
                        out,
                        "{}\t{}\t{}\t{}",
                        track.id, track.artist, track.album, track.title
                    )?;
                }
            }
        }
        Command::Failures { json } => {
            for failure in db::tracks::failures(&conn)? {
                if json {
                    serde_json::to_writer(&mut out, &failure)?;
                    writeln!(out)?;
                } else {
                    writeln!(out, "{}\t{}", failure.path, failure.error)?;
                }
            }
        }
        Command::Folders => {
            for folder in db::tracks::folders(&conn)? {
                writeln!(out, "{}", folder.path)?;
            }
        }
        Command::Demo => {
            let dir = library::demo::fetch_demo(&data.demo_music(), &mut |done, total, pkg| {
                if !pkg.is_empty() {
                    eprintln!("demo: fetching {pkg} ({}/{total})", done + 1);
                }
            })?;
            library::add_folder(&conn, &dir)?;
            writeln!(out, "{}", dir.display())?;
        }
        Command::Play {
            tracks,
            seconds,
            json,
        } => {
            let ids = tracks
                .iter()
                .map(|arg| resolve_track(&conn, arg))
                .collect::<Result<Vec<_>>>()?;
            drop(out);
            play(&db_path, ids, seconds, json)?;
        }
        Command::DataDir => writeln!(out, "{}", data.root().display())?,
        Command::Analyze {
            json,
            limit,
            threads,
            all_patches,
        } => {
            let mut options = sonare::analysis::job::JobOptions {
                limit,
                background: false,
                ..Default::default()
            };
            if let Some(threads) = threads {
                options.threads = threads;
            }
            if all_patches {
                options.max_patches = None;
            }
            analyze(&conn, &data, json, &options, &mut out)?
        }
        Command::Track { track_id, json } => show_track(&conn, track_id, json, &mut out)?,
        Command::Similar { track_id, k, json } => similar(&conn, track_id, k, json, &mut out)?,
        Command::History { json, limit } => {
            for play in sonare::playback::history::recent_plays(&conn, limit)? {
                if json {
                    serde_json::to_writer(&mut out, &play)?;
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
        }
        Command::Find { query, k, json } => taste_cli::find(&conn, &query, k, json, &mut out)?,
        Command::ArtistsLike { name, k, json } => {
            taste_cli::artists_like(&conn, &name, k, json, &mut out)?
        }
        Command::Taste { command } => match command {
            TasteCommand::ForMe { k, json } => taste_cli::for_me(&conn, k, json, &mut out)?,
            TasteCommand::TextAgreement { k } => taste_cli::text_agreement(&conn, k, &mut out)?,
        },
        Command::Import { command } => import_cli::run(command, &mut conn, &mut out)?,
        Command::Discover(args) => discover_cli::discover(&mut conn, args, &mut out)?,
        Command::Feedback { track_id, verdict } => {
            discover_cli::feedback(&conn, track_id, &verdict)?
        }
        Command::Cf { .. } | Command::DiscoverEval(_) => {
            unreachable!("handled before the database is opened")
        }
    }
    Ok(())
}

/// A track id, or the path of a file in the library.
fn resolve_track(conn: &rusqlite::Connection, arg: &str) -> Result<i64> {
    if let Ok(id) = arg.parse::<i64>() {
        if db::tracks::track_by_id(conn, id)?.is_some() {
            return Ok(id);
        }
        anyhow::bail!("no track with id {id} in the library");
    }
    let path = std::path::Path::new(arg)
        .canonicalize()
        .with_context(|| format!("track {arg}: neither a track id nor a readable path"))?;
    db::tracks::track_id_by_path(conn, &path.to_string_lossy())?.with_context(|| {
        format!(
            "{} is not in the library: add its folder with `sonare scan DIR`",
            path.display()
        )
    })
}

/// Plays `ids` through the real output until the queue ends or `seconds` pass.
fn play(db_path: &std::path::Path, ids: Vec<i64>, seconds: Option<f64>, json: bool) -> Result<()> {
    use sonare::playback::{Command as Cmd, PlayContext, Player, PlayerEvent, Status};
    let (done_tx, done_rx) = std::sync::mpsc::channel::<Option<String>>();
    // The player announces its (stopped) state on start: only a stop after playing ends the command.
    let started = std::cell::Cell::new(false);
    let player = Player::spawn(db_path, move |event| {
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

/// The error chain on one line, leaving out causes the message before already includes.
fn describe(err: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in err.chain() {
        let message = cause.to_string();
        if !text.contains(&message) {
            if !text.is_empty() {
                text.push_str(": ");
            }
            text.push_str(&message);
        }
    }
    text
}

/// Analyses pending tracks one by one, storing each result as it goes (an interrupted run resumes).
fn analyze(
    conn: &rusqlite::Connection,
    data: &DataDir,
    json: bool,
    options: &sonare::analysis::job::JobOptions,
    out: &mut impl Write,
) -> Result<()> {
    use sonare::analysis::job::{self, JobControl};
    let runtime = sonare::analysis::cnn::runtime_path(data);
    let show_progress = !json && std::io::stderr().is_terminal();
    let summary = job::run(conn, &runtime, options, &JobControl::default(), |p| {
        if show_progress {
            eprint!("\ranalysed {}/{} ({} failed)   ", p.done, p.total, p.failed);
        }
    })?;
    if show_progress {
        eprintln!();
    }
    if let Some(why) = &summary.cnn_unavailable {
        eprintln!(
            "sonare: audio CNN unavailable, analysed tempo, metre, key and loudness only: {why} \
             (fix: scripts/fetch_onnxruntime.sh {})",
            data.runtime().display()
        );
    }
    for failure in &summary.failed {
        eprintln!("sonare: track {}: {}", failure.track_id, failure.reason);
    }
    if json {
        writeln!(out, "{}", serde_json::to_string(&summary)?)?;
    } else {
        writeln!(
            out,
            "analysed {}, up to date {}, failed {}, remaining {} in {:.1} s ({:.0} s of audio, version {})",
            summary.analysed,
            summary.up_to_date,
            summary.failed.len(),
            summary.remaining,
            summary.seconds,
            summary.audio_seconds,
            summary.version
        )?;
    }
    Ok(())
}

fn show_track(
    conn: &rusqlite::Connection,
    track_id: i64,
    json: bool,
    out: &mut impl Write,
) -> Result<()> {
    let track = db::tracks::track_by_id(conn, track_id)?
        .with_context(|| format!("no track with id {track_id}"))?;
    let analysis = sonare::analysis::store::get(conn, track_id)?;
    let labels = sonare::analysis::cnn::tag_labels();
    let top_tags = analysis
        .as_ref()
        .map(|a| sonare::analysis::cnn::top_tags(&a.tags, 5))
        .unwrap_or_default();
    let mode = |a: &sonare::analysis::store::StoredAnalysis| {
        a.key
            .as_deref()
            .and_then(|k| k.split_once(' '))
            .map(|(_, m)| m.to_owned())
    };
    if json {
        let value = serde_json::json!({
            "track": track,
            "analysis": analysis.as_ref().map(|a| serde_json::json!({
                "version": a.version,
                "model": a.version.split_once('+').map(|(_, m)| m),
                "error": a.error,
                "tempo_bpm": a.tempo_bpm,
                "tempo_confidence": a.tempo_confidence,
                "key": a.key,
                "mode": mode(a),
                "camelot": a.camelot,
                "key_confidence": a.key_confidence,
                "metre": a.metre,
                "metre_confidence": a.metre_confidence,
                "loudness_lufs": a.loudness_lufs,
                "loudness_range_lu": a.loudness_range_lu,
                "sample_peak": a.sample_peak,
                "tags": labels.iter().zip(&a.tags).map(|(l, p)| (l.clone(), serde_json::json!(p))).collect::<serde_json::Map<_, _>>(),
                "top_tags": top_tags,
                "embedding_dim": a.embedding.len(),
                "patches": a.patches,
            })),
        });
        writeln!(out, "{value}")?;
        return Ok(());
    }
    writeln!(out, "{} — {} ({})", track.artist, track.title, track.album)?;
    writeln!(out, "{}", track.path)?;
    match &analysis {
        None => writeln!(out, "not analysed yet (run `sonare analyze`)")?,
        Some(a) if a.error.is_some() => writeln!(
            out,
            "analysis failed: {}",
            a.error.as_deref().unwrap_or_default()
        )?,
        Some(a) => {
            let opt = |v: Option<f64>, unit: &str| {
                v.map(|v| format!("{v:.1} {unit}"))
                    .unwrap_or_else(|| "?".into())
            };
            writeln!(out, "tempo     {}", opt(a.tempo_bpm, "BPM"))?;
            writeln!(
                out,
                "key       {} {}",
                a.key.as_deref().unwrap_or("?"),
                a.camelot.as_deref().unwrap_or("")
            )?;
            writeln!(
                out,
                "metre     {}",
                a.metre.as_deref().unwrap_or("not clear")
            )?;
            writeln!(
                out,
                "loudness  {}, range {}",
                opt(a.loudness_lufs, "LUFS"),
                opt(a.loudness_range_lu, "LU")
            )?;
            let tags: Vec<String> = top_tags
                .iter()
                .map(|(t, p)| format!("{t} {:.0}%", p * 100.0))
                .collect();
            writeln!(out, "tags      {}", tags.join(", "))?;
            writeln!(out, "analysis  {}", a.version)?;
        }
    }
    Ok(())
}

fn similar(
    conn: &rusqlite::Connection,
    track_id: i64,
    k: usize,
    json: bool,
    out: &mut impl Write,
) -> Result<()> {
    let neighbours = sonare::analysis::similar::more_like(conn, track_id, k)?;
    let ids: Vec<i64> = neighbours.iter().map(|n| n.track_id).collect();
    let rows = db::tracks::tracks_by_ids(conn, &ids)?;
    for (n, row) in neighbours.iter().zip(rows) {
        if json {
            let line = serde_json::json!({"id": n.track_id, "similarity": n.similarity, "title": row.title, "artist": row.artist, "path": row.path});
            writeln!(out, "{line}")?;
        } else {
            writeln!(
                out,
                "{}\t{:.3}\t{} — {}",
                n.track_id, n.similarity, row.artist, row.title
            )?;
        }
    }
    Ok(())
}
