//! The running job (scan, import or analysis): pause, resume or cancel it. Its progress reaches the
//! window as `job` events.

use tauri::State;

use crate::jobs::JobAction;
use crate::state::Jobs;

#[tauri::command]
pub fn job_control(jobs: State<'_, Jobs>, action: JobAction) {
    jobs.control(action);
}
