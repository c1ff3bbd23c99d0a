//! Append-only migrations. Never edit a shipped file: add the next number.

use std::path::Path;

use rusqlite::Connection;

use super::{Error, Result};

const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_library.sql"),
    include_str!("migrations/0002_playback.sql"),
    include_str!("migrations/0003_sort_indexes.sql"),
    include_str!("migrations/0004_analysis.sql"),
    include_str!("migrations/0005_analysis_more.sql"),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

pub(super) fn migrate(conn: &mut Connection, path: &Path) -> Result<()> {
    let current: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if current > SCHEMA_VERSION {
        return Err(Error::TooNew {
            path: path.to_owned(),
            found: current,
            supported: SCHEMA_VERSION,
        });
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let version = index as i64 + 1;
        let apply = |conn: &mut Connection| -> rusqlite::Result<()> {
            let tx = conn.transaction()?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", version)?;
            tx.commit()
        };
        apply(conn).map_err(|source| Error::Migration { version, source })?;
        log::info!("database migrated to schema version {version}");
    }
    Ok(())
}
