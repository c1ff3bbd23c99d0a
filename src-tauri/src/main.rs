//! Sonare's desktop shell: wires the core's functions to Tauri commands and serves the UI in `ui/`.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

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
        .register_uri_scheme_protocol("cover", move |_ctx, request| {
            covers::serve(&covers_dir, &request)
        })
        .setup(|app| {
            let state = app.state::<state::AppState>();
            log::info!("data folder: {}", state.data.root().display());
            Ok(())
        })
        .run(tauri::generate_context!())
        .context("running the Sonare window")
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
    ])
}

#[cfg(test)]
mod tests;
