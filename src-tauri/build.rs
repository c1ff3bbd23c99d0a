/// Commands the UI may call. Listing them turns on Tauri's per-command permissions, so the capability
/// file (`capabilities/default.json`) grants each one explicitly.
const COMMANDS: &[&str] = &[
    "library_overview",
    "list_tracks",
    "list_albums",
    "list_failures",
    "list_folders",
    "add_folder",
    "pick_folder",
    "scan_library",
    "cancel_scan",
    "install_demo",
    "play_view",
    "play_album",
    "tracks_by_ids",
    "player_control",
    "player_refresh",
    "play_tracks",
    "start_analysis",
    "pause_analysis",
    "resume_analysis",
    "cancel_analysis",
    "track_details",
    "similar_tracks",
    "find_tracks",
    "taste_for_me",
    "import_listening_data",
    "cancel_import",
    "discover_daily",
    "discover_days",
    "discover_feedback",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build script");
}
