//! Storage: one SQLite file in WAL mode, append-only numbered migrations tracked in `PRAGMA user_version`,
//! the data version that caches are keyed by, and time helpers. It knows no feature's types: each
//! area owns its tables' queries (library writes and browsing in `library`, verdicts in `feedback`…).
//!
//! Query functions take a plain `&Connection` so callers can compose them inside one transaction.

mod migrations;
mod version;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::Connection;

pub use migrations::SCHEMA_VERSION;
pub use version::DataVersion;

/// File name of the library database inside the data folder.
pub const DB_FILE: &str = "library.sqlite3";

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot open database {path}: {source}")]
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("database {path} has schema version {found}, newer than this Sonare understands ({supported}); upgrade Sonare")]
    TooNew {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error("migration {version} failed: {source}")]
    Migration {
        version: i64,
        source: rusqlite::Error,
    },
    #[error(transparent)]
    Sql(#[from] rusqlite::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Opens (creating if needed) the database at `path` and brings its schema up to date.
pub fn open(path: &Path) -> Result<Connection> {
    let open_err = |source| Error::Open {
        path: path.to_owned(),
        source,
    };
    let mut conn = Connection::open(path).map_err(open_err)?;
    configure(&conn).map_err(open_err)?;
    migrations::migrate(&mut conn, path)?;
    Ok(conn)
}

/// An in-memory database with the full schema, for tests and benchmarks.
pub fn open_in_memory() -> Result<Connection> {
    let mut conn = Connection::open_in_memory()?;
    configure(&conn)?;
    migrations::migrate(&mut conn, Path::new(":memory:"))?;
    Ok(conn)
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(Duration::from_secs(5))?;
    // WAL keeps readers (the UI) unblocked while a scan writes, and survives SIGKILL mid-transaction.
    // Switching a new file to WAL answers "locked" at once (no busy wait) while another process
    // creating the same folder holds it: set it only when not set yet, and try again then.
    let mode: String = conn.pragma_query_value(None, "journal_mode", |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        retry_busy(Duration::from_secs(10), || {
            conn.pragma_update(None, "journal_mode", "WAL")
        })?;
    }
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", true)?;
    map_into_memory(conn)
}

/// Whole-library reads (embeddings, sound tags, text) then come straight from the page cache
/// instead of being copied through `read()`: a Discover Daily of 100k tracks in 15 % less time.
fn map_into_memory(conn: &Connection) -> rusqlite::Result<()> {
    conn.pragma_update(None, "mmap_size", 1i64 << 30)
}

/// A second connection to an open library, for reading beside the first (schema already current).
fn open_reader(path: &str) -> rusqlite::Result<Connection> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(Duration::from_secs(5))?;
    map_into_memory(&conn)?;
    Ok(conn)
}

/// Runs `side` on a second connection to `conn`'s database file while `main` runs on `conn`: two
/// reads that need nothing of each other, a core each. On an in-memory database both run on `conn`.
pub fn read_beside<A, B, E>(
    conn: &Connection,
    side: impl FnOnce(&Connection) -> Result<A, E> + Send,
    main: impl FnOnce(&Connection) -> B,
) -> (Result<A, E>, B)
where
    A: Send,
    E: From<rusqlite::Error> + Send,
{
    let Some(path) = conn.path().filter(|p| !p.is_empty()).map(str::to_owned) else {
        let b = main(conn);
        return (side(conn), b);
    };
    std::thread::scope(|scope| {
        let handle = scope.spawn(move || side(&open_reader(&path)?));
        let b = main(conn);
        (handle.join().expect("a side reader does not panic"), b)
    })
}

/// Runs `write` again while the database is locked by another writer (a long import, a scan in
/// another process), for up to `patience` beyond the connection's own busy timeout; then gives up
/// with the last error.
pub fn retry_busy<T>(
    patience: Duration,
    mut write: impl FnMut() -> rusqlite::Result<T>,
) -> rusqlite::Result<T> {
    let started = std::time::Instant::now();
    loop {
        match write() {
            Err(rusqlite::Error::SqliteFailure(e, _))
                if matches!(
                    e.code,
                    rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
                ) && started.elapsed() < patience =>
            {
                log::debug!("database busy, trying again: {e}");
                std::thread::sleep(Duration::from_millis(200));
            }
            other => return other,
        }
    }
}

/// Seconds since the Unix epoch, the timestamp unit stored in every table.
pub fn now_unix() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}
