//! Append-only migrations. Never edit a shipped file: add the next number.

use std::path::Path;

use rusqlite::Connection;

use super::{Error, Result};

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
    Migration::Code(refold_search_text),
    Migration::Sql(include_str!("migrations/0007_taste.sql")),
    Migration::Sql(include_str!("migrations/0008_discover.sql")),
];

/// Recomputes every track's search text with the current folding.
fn refold_search_text(tx: &rusqlite::Transaction) -> rusqlite::Result<()> {
    let rows: Vec<(i64, String, String, String, Option<String>)> = tx
        .prepare("SELECT id, title, artist, album, album_artist FROM tracks")?
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut update = tx.prepare("UPDATE tracks SET search_text = ?2 WHERE id = ?1")?;
    for (id, title, artist, album, album_artist) in rows {
        let meta = crate::library::meta::TrackMeta {
            title,
            artist,
            album,
            album_artist,
            ..Default::default()
        };
        update.execute(rusqlite::params![id, meta.search_text()])?;
    }
    Ok(())
}

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
