//! Append-only migrations. Never edit a shipped file: add the next number.

use std::path::Path;

use rusqlite::Connection;

use super::{Error, Result};

#[path = "migrations/0006_refold.rs"]
mod m0006_refold;

/// A schema step: SQL, or Rust for what SQL cannot compute (e.g. Unicode folding).
enum Migration {
    Sql(&'static str),
    Code(fn(&rusqlite::Transaction) -> rusqlite::Result<()>),
}

const MIGRATIONS: &[Migration] = &[
    Migration::Sql(include_str!("migrations/0001_library.sql")),
    Migration::Sql(include_str!("migrations/0002_playback.sql")),
    Migration::Sql(include_str!("migrations/0003_sort_indexes.sql")),
    Migration::Sql(include_str!("migrations/0004_analysis.sql")),
    Migration::Sql(include_str!("migrations/0005_analysis_more.sql")),
    // 6: search text folded without diacritics or width ("Björk" is found by "bjork").
    Migration::Code(m0006_refold::refold_search_text),
    Migration::Sql(include_str!("migrations/0007_taste.sql")),
    Migration::Sql(include_str!("migrations/0008_discover.sql")),
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
    for (index, migration) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        let version = index as i64 + 1;
        let apply = |conn: &mut Connection| -> rusqlite::Result<()> {
            let tx = conn.transaction()?;
            match migration {
                Migration::Sql(sql) => tx.execute_batch(sql)?,
                Migration::Code(step) => step(&tx)?,
            }
            tx.pragma_update(None, "user_version", version)?;
            tx.commit()
        };
        apply(conn).map_err(|source| Error::Migration { version, source })?;
        log::info!("database migrated to schema version {version}");
    }
    Ok(())
}
