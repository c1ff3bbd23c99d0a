//! Discover Daily commands: the day's list (stored, or generated on first call of the day), past
//! days, and like/hide feedback.

use std::sync::Mutex;

use sonare::discover::{self, engine::Options, DailyList, DaySummary, DiscoverError, Feedback};
use tauri::State;

use crate::error::{CommandError, CommandResult};
use crate::state::AppState;

impl From<DiscoverError> for CommandError {
    fn from(e: DiscoverError) -> Self {
        let kind = match e {
            DiscoverError::UnknownTrack(_) => "unknown_track",
            DiscoverError::BadDate(_) => "bad_date",
            _ => "discover",
        };
        Self::new(kind, e)
    }
}

/// One generation at a time: the home view and a refresh click must not build the same list twice.
static GENERATING: Mutex<()> = Mutex::new(());

/// The Discover Daily of `day` (default today): the stored list, or a new one when there is none or
/// `refresh` is set. Generation runs off the UI thread.
#[tauri::command]
pub async fn discover_daily(
    state: State<'_, AppState>,
    day: Option<String>,
    refresh: bool,
    size: Option<usize>,
) -> CommandResult<DailyList> {
    let day = match day {
        Some(text) => discover::parse_day(&text)?,
        None => discover::today(),
    };
    let options = Options {
        size: size.unwrap_or(30).clamp(1, 200),
        ..Options::default()
    };
    let mut conn = state.writer()?;
    tauri::async_runtime::spawn_blocking(move || {
        let _one = GENERATING.lock().unwrap_or_else(|e| e.into_inner());
        discover::daily(&mut conn, day, &options, refresh).map_err(CommandError::from)
    })
    .await
    .map_err(|e| CommandError::new("discover", e))?
}

/// The days that have a stored list, newest first.
#[tauri::command]
pub fn discover_days(state: State<'_, AppState>) -> CommandResult<Vec<DaySummary>> {
    Ok(discover::days(&state.db())?)
}

/// Records "like", "hide" (not for me) or "unhide" for a track.
#[tauri::command]
pub fn discover_feedback(
    state: State<'_, AppState>,
    track_id: i64,
    verdict: String,
) -> CommandResult<()> {
    let verdict = Feedback::from_name(&verdict).ok_or_else(|| {
        CommandError::new("bad_feedback", format!("unknown feedback {verdict:?}"))
    })?;
    discover::feedback(&state.db(), track_id, verdict)?;
    Ok(())
}
