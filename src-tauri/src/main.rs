//! Sonare's desktop shell: wires the core facade (`sonare::app::Sonare`) to Tauri commands, forwards
//! the player's and the jobs' events to the window, and serves the UI in `ui/`.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod bridge;
mod commands;
mod covers;
mod error;
mod jobs;
mod state;

use std::sync::Arc;

use anyhow::Context;
use sonare::analysis::worker;
use sonare::app::{Events, Job, JobEvent, Sonare};
use sonare::data_dir::DataDir;
use tauri::{Emitter, Manager};

/// Name of the Tauri event that carries the jobs' [`JobEvent`]s to the window.
pub const JOB_EVENT: &str = "job";

fn main() -> anyhow::Result<()> {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("sonare=info"))
        .init();
    // `--analysis-worker …` or `--decode-worker FILE`: one of the worker processes that decode
    // untrusted files (see `sonare::sandbox`), not the window.
    if let Some(code) = sonare::sandbox::run_if_worker() {
        std::process::exit(code);
    }
    let data = DataDir::resolve(None).context("resolving the data folder")?;
    let covers_dir = data.covers();
    let worker = worker::WorkerCommand::current_exe().context("finding the app's own binary")?;
    let sonare = Sonare::open(data).context("opening the library database")?;
    let prober = sonare::sandbox::WorkerCommand::current_exe_prober()
        .context("finding the app's own binary")?;
    let sonare = Arc::new(
        sonare
            .with_analysis_worker(worker)
            .with_probe_worker(prober),
    );
    with_commands(tauri::Builder::default())
        .plugin(tauri_plugin_dialog::init())
        .manage(state::AppState(sonare))
        .register_uri_scheme_protocol("cover", move |_ctx, request| {
            covers::serve(&covers_dir, &request)
        })
        .setup(|app| {
            let state = app.state::<state::AppState>();
            log::info!("data folder: {}", state.data().root().display());
            let player = bridge::start_player(app.handle(), state.data())?;
            app.manage(state::PlayerHandle(player));
            let jobs = start_jobs(app.handle(), state.0.clone())?;
            // Discover's inputs, then whatever is new or stale since the last run is analysed.
            drop(jobs.submit(Job::CatchUp));
            // Changes in the library folders while the app runs are scanned as they settle.
            let runner = jobs.clone();
            if let Err(e) = state.watch_library(Arc::new(move || drop(runner.submit(Job::Scan)))) {
                log::warn!("the library folders are not watched: {e}");
            }
            Ok(())
        })
        .build(tauri::generate_context!())
        .context("building the Sonare window")?
        .run(|app, event| {
            if let tauri::RunEvent::Exit = event {
                // Stop the running job (finished tracks are stored), record the play under way and
                // save the queue and position before leaving.
                if let Some(jobs) = app.try_state::<state::Jobs>() {
                    jobs.shutdown();
                }
                if let Some(player) = app.try_state::<state::PlayerHandle>() {
                    player.shutdown();
                }
            }
        });
    Ok(())
}

/// Starts the job runner with its events forwarded to the window, and manages it.
fn start_jobs<R: tauri::Runtime>(
    app: &tauri::AppHandle<R>,
    sonare: Arc<Sonare>,
) -> anyhow::Result<Arc<jobs::JobRunner>> {
    let emitter = app.clone();
    let events: Events = Arc::new(move |event: JobEvent| {
        if let Err(e) = emitter.emit(JOB_EVENT, &event) {
            log::warn!("cannot forward a job event to the window: {e}");
        }
    });
    let runner = jobs::JobRunner::start(sonare, events).context("starting the job runner")?;
    app.manage(state::Jobs(runner.clone()));
    Ok(runner)
}

/// Registers every command the window may call. The same list is in `build.rs`, the capability
/// file and `ui/js/api/index.js`; a test (`tests::the_four_command_lists_agree`) checks they agree.
fn with_commands<R: tauri::Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder.invoke_handler(tauri::generate_handler![
        commands::library::library_overview,
        commands::library::list_tracks,
        commands::library::list_albums,
        commands::library::list_failures,
        commands::library::list_folders,
        commands::library::add_folder,
        commands::library::pick_folder,
        commands::library::scan_library,
        commands::library::install_demo,
        commands::jobs::job_control,
        commands::player::play_view,
        commands::player::play_album,
        commands::player::tracks_by_ids,
        commands::player::player_control,
        commands::player::player_refresh,
        commands::player::play_tracks,
        commands::analysis::track_details,
        commands::analysis::similar_tracks,
        commands::search::find_tracks,
        commands::search::for_you,
        commands::import::import_listening_data,
        commands::discover::discover_daily,
        commands::discover::discover_days,
        commands::discover::discover_feedback,
        commands::places::list_playlists,
        commands::places::show_playlist,
        commands::places::create_playlist,
        commands::places::rename_playlist,
        commands::places::delete_playlist,
        commands::places::duplicate_playlist,
        commands::places::add_to_playlist,
        commands::places::remove_from_playlist,
        commands::places::move_in_playlist,
        commands::places::export_playlist,
        commands::places::save_discover_playlist,
        commands::places::list_artists,
        commands::places::artist_page,
        commands::places::recent_plays,
        commands::places::liked_tracks,
        commands::places::liked_among,
        commands::places::list_exclusions,
        commands::places::exclude,
        commands::places::include,
        commands::mixes::daily_mixes,
        commands::mixes::save_mix_playlist,
        commands::mixes::start_radio,
        commands::mixes::radio_more,
        commands::mixes::path_between,
        commands::settings::settings_view,
        commands::settings::set_setting,
        commands::settings::remove_folder,
        commands::settings::reanalyse_all,
        commands::settings::backup_library,
        commands::settings::export_learned,
        commands::settings::restore_learned,
    ])
}

#[cfg(test)]
mod tests;
