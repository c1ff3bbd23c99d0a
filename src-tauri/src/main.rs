//! Sonare's desktop shell: wires the core's functions to Tauri commands and serves the UI in `ui/`.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod analysis;
mod bridge;
mod commands;
mod covers;
mod error;
mod state;

use anyhow::Context;
use sonare::data_dir::DataDir;
use tauri::Manager;

fn main() -> anyhow::Result<()> {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("sonare=info"))
        .init();
    let data = DataDir::resolve(None).context("resolving the data folder")?;
    let covers_dir = data.covers();
    let state = state::AppState::open(data).context("opening the library database")?;
    with_commands(tauri::Builder::default())
        .plugin(tauri_plugin_dialog::init())
        .manage(state)
        .manage(analysis::AnalysisService::default())
        .register_uri_scheme_protocol("cover", move |_ctx, request| {
            covers::serve(&covers_dir, &request)
        })
        .setup(|app| {
            let state = app.state::<state::AppState>();
            log::info!("data folder: {}", state.data.root().display());
            let player = bridge::start_player(app.handle(), &state.data)?;
            app.manage(state::PlayerHandle(player));
            commands::discover::prepare_in_background(&state);
            Ok(())
        })
        .build(tauri::generate_context!())
        .context("building the Sonare window")?
        .run(|app, event| {
            if let tauri::RunEvent::Exit = event {
                // Stop the analysis (finished tracks are stored), record the play under way and save
                // the queue and position before leaving.
                app.state::<analysis::AnalysisService>().shutdown();
                if let Some(player) = app.try_state::<state::PlayerHandle>() {
                    player.shutdown();
                }
            }
        });
    Ok(())
}

/// Registers every command the UI may call (the same list as `build.rs` and the capability file).
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
        commands::library::cancel_scan,
        commands::library::install_demo,
        commands::player::play_view,
        commands::player::play_album,
        commands::player::tracks_by_ids,
        commands::player::player_control,
        commands::player::player_refresh,
        commands::player::play_tracks,
        commands::analysis::start_analysis,
        commands::analysis::pause_analysis,
        commands::analysis::resume_analysis,
        commands::analysis::cancel_analysis,
        commands::analysis::track_details,
        commands::analysis::similar_tracks,
        commands::taste::find_tracks,
        commands::taste::taste_for_me,
        commands::taste::cancel_import,
        commands::taste::import_listening_data,
        commands::discover::discover_daily,
        commands::discover::discover_days,
        commands::discover::discover_feedback,
    ])
}

#[cfg(test)]
mod tests;
