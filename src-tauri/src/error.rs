//! The error every command returns: `{kind, message}`, so the UI can branch on `kind`.

use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct CommandError {
    pub kind: &'static str,
    pub message: String,
}

impl CommandError {
    pub fn new(kind: &'static str, message: impl ToString) -> Self {
        Self {
            kind,
            message: message.to_string(),
        }
    }
}

/// The core names the kind of each of its errors.
impl From<sonare::app::Error> for CommandError {
    fn from(e: sonare::app::Error) -> Self {
        Self::new(e.kind(), e)
    }
}

impl From<rusqlite::Error> for CommandError {
    fn from(e: rusqlite::Error) -> Self {
        sonare::app::Error::from(e).into()
    }
}

impl From<sonare::library::Error> for CommandError {
    fn from(e: sonare::library::Error) -> Self {
        sonare::app::Error::from(e).into()
    }
}

pub type CommandResult<T> = Result<T, CommandError>;

/// Runs blocking work off the UI thread (a read of the whole library, a wait for a job's report).
pub async fn off_ui_thread<T: Send + 'static>(
    work: impl FnOnce() -> CommandResult<T> + Send + 'static,
) -> CommandResult<T> {
    tauri::async_runtime::spawn_blocking(work)
        .await
        .map_err(|e| CommandError::new("internal", e))?
}
