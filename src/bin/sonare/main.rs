//! The `sonare` command line: the same core functions as the app, headless.

//! Each area's commands live in their own module (`library_cli`, `analysis_cli`, `search_cli`,
//! `import_cli`, `discover_cli`, `cf_cli`); they call the core facade (`sonare::app::Sonare`), so
//! the command line and the app make the same lists with the same defaults.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use sonare::analysis::worker;
use sonare::app::Sonare;
use sonare::data_dir::DataDir;
use sonare::library::browse::SortKey;

mod analysis_cli;
mod cf_cli;
mod discover_cli;
mod import_cli;
mod library_cli;
mod mixes_cli;
mod places_cli;
mod search_cli;
mod settings_cli;

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
    Folders {
        /// Take this folder out of the library (its tracks keep their history).
        #[arg(long, value_name = "PATH")]
        remove: Option<String>,
    },
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
        /// Worker threads (default: the analysis_threads setting, 0 = one per core).
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
    /// Decode files to the end with the player's decoder, as fast as possible (no output device):
    /// one JSON line per file with the frames decoded or the error. For the mutant benchmark.
    #[command(hide = true)]
    Decode {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Embed the text of every track whose text changed (names, genre, tags, sound tags, lyrics)
    /// with the multilingual sentence model ($SONARE_TEXT_MODEL or <data>/models/; fetched by
    /// scripts/fetch_text_model.sh). Prints a summary.
    Embed {
        /// Print the summary as one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Tracks for a free-text query in any language ("calm piano", "잔잔한 피아노"), by its words
    /// (text and sound tags) and, once texts are embedded, by its meaning.
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
    /// Recommendations for the listener from listening data (collaborative filtering).
    Taste {
        #[command(subcommand)]
        command: search_cli::TasteCommand,
    },
    /// Import listening history, playlists or shared co-listening data.
    Import {
        #[command(subcommand)]
        command: import_cli::ImportCommand,
    },
    /// Collaborative filtering on interaction files: offline evaluation of the models.
    Cf {
        #[command(subcommand)]
        command: Box<cf_cli::CfCommand>,
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
    /// Playlists: list, show, create, add, remove, move, rename, duplicate, delete, export.
    Playlist {
        #[command(subcommand)]
        command: places_cli::PlaylistCommand,
    },
    /// The liked songs, most recently liked first.
    Likes {
        #[arg(long)]
        json: bool,
    },
    /// The library's artists (album artists: a compilation stands under its album artist).
    Artists {
        #[arg(long, default_value = "")]
        search: String,
        #[arg(long, value_enum, default_value = "name")]
        sort: sonare::library::artists::ArtistSort,
        #[arg(long)]
        json: bool,
    },
    /// An artist's page: albums, most played songs, artists like them (by text, by co-listening).
    Artist {
        name: String,
        #[arg(long)]
        json: bool,
    },
    /// Today's Daily Mixes (one per taste cluster) and Rediscover, with each track's reason.
    Mixes {
        /// The local day (YYYY-MM-DD); default today.
        #[arg(long)]
        date: Option<String>,
        /// One JSON object per mix.
        #[arg(long)]
        json: bool,
    },
    /// A radio from seeds (track:ID or ID, album:NAME[@ALBUM ARTIST], artist:NAME, playlist:ID):
    /// prints its first tracks, extended as the app extends it.
    Radio {
        #[arg(required = true)]
        seeds: Vec<String>,
        #[arg(long, default_value_t = 20)]
        count: usize,
        #[arg(long)]
        json: bool,
    },
    /// A list that moves from one song to another in small steps of sound.
    Path {
        from: i64,
        to: i64,
        /// Songs in the list, both ends included.
        #[arg(long, default_value_t = 12)]
        length: usize,
        /// Also save it as a playlist of this name.
        #[arg(long)]
        save: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Keep artists, genres or folders out of Discover Daily, For you and mixes.
    Exclude {
        #[command(subcommand)]
        command: places_cli::ExcludeCommand,
    },
    /// The settings (the same as the app's Settings view): list, get, set, reset.
    Settings {
        #[command(subcommand)]
        command: Option<settings_cli::SettingsCommand>,
    },
    /// The audio output devices present (names for `settings set output_device NAME`).
    Devices,
    /// A consistent copy of the whole database (safe while the app runs).
    Backup {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Write the listening history (ListenBrainz JSON lines), likes, hides, exclusions, settings
    /// and playlists (XSPF) into a folder, to keep or to restore on another machine.
    Export {
        folder: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Read back a folder written by `sonare export` (idempotent: nothing is added twice).
    Restore {
        folder: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

fn main() {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("sonare=warn"))
        .format_timestamp(None)
        .init();
    // `--analysis-worker …` or `--decode-worker FILE`: one of the worker processes that decode
    // untrusted files (see `sonare::sandbox`), not the command line.
    if let Some(code) = sonare::sandbox::run_if_worker() {
        std::process::exit(code);
    }
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
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let data = match cli.command {
        Command::Cf { command } if !command.needs_library() => {
            return cf_cli::run(*command, &mut out)
        }
        Command::Decode { files } => return analysis_cli::decode(&files, &mut out),
        Command::DiscoverEval(args) => return discover_cli::eval(args, &mut out),
        _ => DataDir::resolve(cli.data_dir.as_deref())?,
    };
    let db_path = data.database();
    let app = Sonare::open(data)
        .with_context(|| format!("opening {}", db_path.display()))?
        // Files lofty cannot read are probed by symphonia in a worker process of this binary.
        .with_probe_worker(sonare::sandbox::WorkerCommand::current_exe_prober()?);
    match cli.command {
        Command::Scan {
            dirs,
            json,
            batch_size,
        } => library_cli::scan(&app, &dirs, json, batch_size, &mut out)?,
        Command::Tracks {
            json,
            search,
            sort,
            all,
        } => library_cli::tracks(&app, search, sort, all, json, &mut out)?,
        Command::Failures { json } => library_cli::failures(&app, json, &mut out)?,
        Command::Folders { remove: None } => library_cli::folders(&app, &mut out)?,
        Command::Folders { remove: Some(path) } => app.remove_folder(&path)?,
        Command::Settings { command } => settings_cli::settings(&app, command, &mut out)?,
        Command::Devices => {
            for name in sonare::playback::output::device_names() {
                use std::io::Write;
                writeln!(out, "{name}")?;
            }
        }
        Command::Backup { file, json } => settings_cli::backup(&app, &file, json, &mut out)?,
        Command::Export { folder, json } => settings_cli::export(&app, &folder, json, &mut out)?,
        Command::Restore { folder, json } => settings_cli::restore(&app, &folder, json, &mut out)?,
        Command::Demo => library_cli::demo(&app, &mut out)?,
        Command::Play {
            tracks,
            seconds,
            json,
        } => {
            drop(out);
            library_cli::play(&app, &tracks, seconds, json)?
        }
        Command::History { json, limit } => library_cli::history(&app, json, limit, &mut out)?,
        Command::DataDir => library_cli::data_dir(&app, &mut out)?,
        Command::Playlist { command } => places_cli::playlist(&app, command, &mut out)?,
        Command::Likes { json } => places_cli::likes(&app, json, &mut out)?,
        Command::Artists { search, sort, json } => {
            places_cli::artists(&app, &search, sort, json, &mut out)?
        }
        Command::Artist { name, json } => places_cli::artist(&app, &name, json, &mut out)?,
        Command::Exclude { command } => places_cli::exclude(&app, command, &mut out)?,
        Command::Mixes { date, json } => mixes_cli::mixes(&app, date, json, &mut out)?,
        Command::Radio { seeds, count, json } => {
            mixes_cli::radio(&app, &seeds, count, json, &mut out)?
        }
        Command::Path {
            from,
            to,
            length,
            save,
            json,
        } => mixes_cli::path(&app, from, to, length, save, json, &mut out)?,
        Command::Analyze {
            json,
            limit,
            threads,
            all_patches,
        } => {
            // Each track in a worker process: a file no decoder survives fails alone.
            let mut options = sonare::analysis::job::JobOptions {
                limit,
                background: false,
                worker: Some(worker::WorkerCommand::current_exe()?),
                ..Default::default()
            };
            options.threads = threads.unwrap_or(app.settings()?.analysis_threads());
            if all_patches {
                options.max_patches = None;
            }
            analysis_cli::analyze(&app, json, &options, &mut out)?
        }
        Command::Track { track_id, json } => {
            analysis_cli::show_track(&app, track_id, json, &mut out)?
        }
        Command::Similar { track_id, k, json } => {
            analysis_cli::similar(&app, track_id, k, json, &mut out)?
        }
        Command::Embed { json } => search_cli::embed(&app, json, &mut out)?,
        Command::Find { query, k, json } => search_cli::find(&app, &query, k, json, &mut out)?,
        Command::ArtistsLike { name, k, json } => {
            search_cli::artists_like(&app, &name, k, json, &mut out)?
        }
        Command::Taste { command } => search_cli::taste(&app, command, &mut out)?,
        Command::Import { command } => import_cli::run(&app, command, &mut out)?,
        Command::Discover(args) => discover_cli::discover(&app, args, &mut out)?,
        Command::Feedback { track_id, verdict } => {
            discover_cli::feedback(&app, track_id, &verdict)?
        }
        Command::Cf { command } => match *command {
            cf_cli::CfCommand::Tune {
                budget,
                no_blend,
                json,
                ..
            } => cf_cli::tune_library(&app, budget, no_blend, json, &mut out)?,
            _ => unreachable!("the other cf commands need no library"),
        },
        Command::DiscoverEval(_) | Command::Decode { .. } => {
            unreachable!("handled before the library is opened")
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
