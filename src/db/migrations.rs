//! Append-only migrations. Never edit a shipped file: add the next number.

use std::path::Path;

use rusqlite::{Connection, TransactionBehavior};

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
    Migration::Sql(include_str!("migrations/0009_cf_choice.sql")),
    Migration::Sql(include_str!("migrations/0010_playlists.sql")),
    Migration::Sql(include_str!("migrations/0011_mixes.sql")),
    Migration::Sql(include_str!("migrations/0012_settings.sql")),
    Migration::Sql(include_str!("migrations/0013_text.sql")),
    Migration::Sql(include_str!("migrations/0014_sort_names.sql")),
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
        // Each step takes the write lock first (waiting for another process's step up to the busy
        // timeout) and looks again: a second process opening a new folder at the same moment finds
        // the step done and skips it, instead of creating the same tables twice.
        let apply = |conn: &mut Connection| -> rusqlite::Result<bool> {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let now: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
            if now >= version {
                return Ok(false);
            }
            match migration {
                Migration::Sql(sql) => tx.execute_batch(sql)?,
                Migration::Code(step) => step(&tx)?,
            }
            tx.pragma_update(None, "user_version", version)?;
            tx.commit()?;
            Ok(true)
        };
        if apply(conn).map_err(|source| Error::Migration { version, source })? {
            log::info!("database migrated to schema version {version}");
        }
    }
    Ok(())
}
