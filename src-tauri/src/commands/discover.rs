//! Discover Daily commands: the day's list (stored, or generated on first call of the day), past
//! days, and like/hide feedback.

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

/// The Discover Daily of `day` (default today): the stored list, or a new one when there is none or
/// `refresh` is set. Generation runs off the UI thread, reusing the prepared catalog while the
/// library is unchanged.
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
    let prepared = state.discover.clone();
    tauri::async_runtime::spawn_blocking(move || {
        // A stored list never waits for a generation or the background preparation.
        if !refresh {
            if let Some(list) = discover::load(&conn, day)? {
                return Ok(list);
            }
        }
        let mut prepared = prepared.lock().unwrap_or_else(|e| e.into_inner());
        discover::daily_cached(&mut conn, day, &options, refresh, &mut prepared)
            .map_err(CommandError::from)
    })
    .await
    .map_err(|e| CommandError::new("discover", e))?
}

/// The days that have a stored list, newest first.
#[tauri::command]
pub fn discover_days(state: State<'_, AppState>) -> CommandResult<Vec<DaySummary>> {
    Ok(discover::days(&state.db())?)
}

/// Reads what Discover Daily is made from in the background, on a thread of its own (at start:
/// the window shows the stored list meanwhile).
pub fn prepare_in_background(state: &AppState) -> Option<std::thread::JoinHandle<()>> {
    let prepared = state.discover.clone();
    let database = state.data.database();
    let spawned = std::thread::Builder::new()
        .name("sonare-discover-prepare".into())
        .spawn(move || {
            let started = std::time::Instant::now();
            let mut prepared = prepared.lock().unwrap_or_else(|e| e.into_inner());
            let done = sonare::db::open(&database)
                .map_err(anyhow::Error::from)
                .and_then(|conn| Ok(discover::prepare(&conn, &mut prepared)?));
            match done {
                Ok(()) => log::info!("discover: prepared in {:?}", started.elapsed()),
                // Not fatal: the next list prepares again and reports its error to the window.
                Err(e) => log::warn!("discover: preparing in the background failed: {e:#}"),
            }
        });
    spawned
        .inspect_err(|e| log::warn!("discover: no background preparation: {e}"))
        .ok()
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
