//! The listener's own places: playlists, artists, recently played, liked songs, exclusions.

use sonare::app::{ArtistPage, HistoryEntry, LikedTrack};
use sonare::exclusions::{Exclusion, ExclusionKind};
use sonare::library::artists::{ArtistRow, ArtistSort};
use sonare::playlists::export::ExportReport;
use sonare::playlists::{Playlist, PlaylistSummary};
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_dialog::DialogExt;

use crate::error::{off_ui_thread, CommandResult};
use crate::state::AppState;

#[tauri::command]
pub fn list_playlists(state: State<'_, AppState>) -> CommandResult<Vec<PlaylistSummary>> {
    Ok(state.playlists()?)
}

#[tauri::command]
pub fn show_playlist(state: State<'_, AppState>, id: i64) -> CommandResult<Playlist> {
    Ok(state.playlist(id)?)
}

/// A new playlist of `track_ids` (possibly none) → its id.
#[tauri::command]
pub fn create_playlist(
    state: State<'_, AppState>,
    name: String,
    track_ids: Vec<i64>,
) -> CommandResult<i64> {
    Ok(state.create_playlist(&name, &track_ids)?)
}

#[tauri::command]
pub fn rename_playlist(state: State<'_, AppState>, id: i64, name: String) -> CommandResult<()> {
    Ok(state.rename_playlist(id, &name)?)
}

#[tauri::command]
pub fn delete_playlist(state: State<'_, AppState>, id: i64) -> CommandResult<()> {
    Ok(state.delete_playlist(id)?)
}

#[tauri::command]
pub fn duplicate_playlist(state: State<'_, AppState>, id: i64) -> CommandResult<i64> {
    Ok(state.duplicate_playlist(id, None)?)
}

/// Adds tracks at `at` (default: the end) → the new length.
#[tauri::command]
pub fn add_to_playlist(
    state: State<'_, AppState>,
    id: i64,
    track_ids: Vec<i64>,
    at: Option<usize>,
) -> CommandResult<usize> {
    Ok(state.add_to_playlist(id, &track_ids, at)?)
}

#[tauri::command]
pub fn remove_from_playlist(
    state: State<'_, AppState>,
    id: i64,
    positions: Vec<usize>,
) -> CommandResult<usize> {
    Ok(state.remove_from_playlist(id, &positions)?)
}

#[tauri::command]
pub fn move_in_playlist(
    state: State<'_, AppState>,
    id: i64,
    from: usize,
    to: usize,
) -> CommandResult<()> {
    Ok(state.move_in_playlist(id, from, to)?)
}

/// Writes a playlist as M3U8 or XSPF (by the name's extension) to the file the listener picks in
/// the save dialog; `None` if they cancelled it.
#[tauri::command]
pub async fn export_playlist<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: i64,
    name: String,
) -> CommandResult<Option<ExportReport>> {
    let picked = off_ui_thread(move || {
        Ok(app
            .dialog()
            .file()
            .set_file_name(format!("{name}.m3u8"))
            .add_filter("Playlist", &["m3u8", "m3u", "xspf"])
            .blocking_save_file())
    })
    .await?;
    let Some(path) = picked.and_then(|p| p.into_path().ok()) else {
        return Ok(None);
    };
    Ok(Some(state.export_playlist(id, &path, None)?))
}

/// Saves a day's Discover Daily (today when `None`) as a playlist → its id.
#[tauri::command]
pub async fn save_discover_playlist(
    state: State<'_, AppState>,
    day: Option<String>,
) -> CommandResult<i64> {
    let day = day.as_deref().map(sonare::discover::parse_day).transpose();
    let day = day.map_err(sonare::app::Error::from)?;
    let sonare = state.0.clone();
    off_ui_thread(move || Ok(sonare.save_discover_as_playlist(day, None)?)).await
}

#[tauri::command]
pub fn list_artists(
    state: State<'_, AppState>,
    search: String,
    sort: ArtistSort,
) -> CommandResult<Vec<ArtistRow>> {
    Ok(state.artists(&search, sort)?)
}

/// An artist's page (reads the text index, built once per library version): off the UI thread.
#[tauri::command]
pub async fn artist_page(state: State<'_, AppState>, name: String) -> CommandResult<ArtistPage> {
    let sonare = state.0.clone();
    off_ui_thread(move || Ok(sonare.artist(&name)?)).await
}

#[tauri::command]
pub fn recent_plays(state: State<'_, AppState>, limit: u32) -> CommandResult<Vec<HistoryEntry>> {
    Ok(state.recent_plays(limit)?)
}

#[tauri::command]
pub fn liked_tracks(state: State<'_, AppState>) -> CommandResult<Vec<LikedTrack>> {
    Ok(state.liked()?)
}

/// Which of `ids` are liked.
#[tauri::command]
pub fn liked_among(state: State<'_, AppState>, ids: Vec<i64>) -> CommandResult<Vec<i64>> {
    Ok(state.liked_among(&ids)?)
}

#[tauri::command]
pub fn list_exclusions(state: State<'_, AppState>) -> CommandResult<Vec<Exclusion>> {
    Ok(state.exclusions()?)
}

/// Leaves an artist, genre or folder out of generated lists → the exclusion's id.
#[tauri::command]
pub fn exclude(
    state: State<'_, AppState>,
    kind: ExclusionKind,
    label: String,
) -> CommandResult<i64> {
    Ok(state.exclude(kind, &label)?)
}

#[tauri::command]
pub fn include(state: State<'_, AppState>, id: i64) -> CommandResult<()> {
    Ok(state.include(id)?)
}
