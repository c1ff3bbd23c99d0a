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

impl From<sonare::db::Error> for CommandError {
    fn from(e: sonare::db::Error) -> Self {
        let kind = match e {
            sonare::db::Error::TooNew { .. } => "database_too_new",
            _ => "database",
        };
        Self::new(kind, e)
    }
}

impl From<rusqlite::Error> for CommandError {
    fn from(e: rusqlite::Error) -> Self {
        Self::new("database", e)
    }
}

impl From<sonare::library::Error> for CommandError {
    fn from(e: sonare::library::Error) -> Self {
        let kind = match e {
            sonare::library::Error::Folder { .. }
            | sonare::library::Error::NotADirectory { .. } => "folder",
            _ => "library",
        };
        Self::new(kind, e)
    }
}

impl From<sonare::library::demo::DemoError> for CommandError {
    fn from(e: sonare::library::demo::DemoError) -> Self {
        Self::new("demo", e)
    }
}

pub type CommandResult<T> = Result<T, CommandError>;
