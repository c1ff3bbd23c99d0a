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
    "install_demo",
    "job_control",
    "play_view",
    "play_album",
    "tracks_by_ids",
    "player_control",
    "player_refresh",
    "play_tracks",
    "track_details",
    "similar_tracks",
    "find_tracks",
    "for_you",
    "import_listening_data",
    "discover_daily",
    "discover_days",
    "discover_feedback",
    "list_playlists",
    "show_playlist",
    "create_playlist",
    "rename_playlist",
    "delete_playlist",
    "duplicate_playlist",
    "add_to_playlist",
    "remove_from_playlist",
    "move_in_playlist",
    "export_playlist",
    "save_discover_playlist",
    "list_artists",
    "artist_page",
    "recent_plays",
    "liked_tracks",
    "liked_among",
    "list_exclusions",
    "exclude",
    "include",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build script");
}
