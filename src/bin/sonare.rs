//! The `sonare` command line: the same core functions as the app, headless.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use sonare::data_dir::DataDir;
use sonare::db::{self, tracks::SortKey, tracks::TrackQuery};
use sonare::library::{self, CoverCache, ScanOptions};

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
        sort: SortArg,
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
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum SortArg {
    Artist,
    Album,
    Title,
    Year,
    Duration,
    Added,
}

impl From<SortArg> for SortKey {
    fn from(s: SortArg) -> Self {
        match s {
            SortArg::Artist => SortKey::Artist,
            SortArg::Album => SortKey::Album,
            SortArg::Title => SortKey::Title,
            SortArg::Year => SortKey::Year,
            SortArg::Duration => SortKey::Duration,
            SortArg::Added => SortKey::Added,
        }
    }
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
                sort: sort.into(),
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
    }
    Ok(())
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
