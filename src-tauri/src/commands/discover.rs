//! Discover Daily commands: the day's list (stored, or made on first call of the day), past days,
//! and like/hide feedback.

use sonare::app::DiscoverRequest;
use sonare::discover::{self, DailyList, DaySummary, Feedback};
use tauri::State;

use crate::error::{off_ui_thread, CommandError, CommandResult};
use crate::state::AppState;

/// The Discover Daily of `day` (default today): the stored list, or a new one when there is none or
/// `refresh` is set; made off the UI thread.
#[tauri::command]
pub async fn discover_daily(
    state: State<'_, AppState>,
    day: Option<String>,
    refresh: bool,
    size: Option<usize>,
) -> CommandResult<DailyList> {
    let day = day.as_deref().map(discover::parse_day).transpose();
    let request = DiscoverRequest {
        day: day.map_err(sonare::app::Error::from)?,
        size,
        refresh,
        ..Default::default()
    };
    let sonare = state.0.clone();
    off_ui_thread(move || Ok(sonare.discover_daily(&request)?)).await
}

/// The days that have a stored list, newest first.
#[tauri::command]
pub fn discover_days(state: State<'_, AppState>) -> CommandResult<Vec<DaySummary>> {
    Ok(state.discover_days()?)
}

/// Records "like", "hide" (not for me) or "unhide" (takes either back) for a track.
#[tauri::command]
pub fn discover_feedback(
    state: State<'_, AppState>,
    track_id: i64,
    verdict: String,
) -> CommandResult<()> {
    let verdict = Feedback::from_name(&verdict).ok_or_else(|| {
        CommandError::new("bad_feedback", format!("unknown feedback {verdict:?}"))
    })?;
    Ok(state.feedback(track_id, verdict)?)
}
