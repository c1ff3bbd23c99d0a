//! One number-like value that changes whenever the library, its analysis or the imported data
//! change: every cache of derived data (Discover's prepared inputs, the search index, the trained
//! shared model) is keyed by it.

use rusqlite::Connection;

/// Says whether the library or the imported data changed: track rows, analysis rows, imports, the
/// tuned choice of co-listening model, and the text embeddings.
/// Counts, highest ids and latest change times (whole seconds) of those tables: every scan, analysis
/// or import that stores something moves at least one of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataVersion([i64; 10]);

impl DataVersion {
    pub fn read(conn: &Connection) -> rusqlite::Result<Self> {
        conn.query_row(
            "SELECT (SELECT count(*) FROM tracks), (SELECT coalesce(max(id), 0) FROM tracks),
                    (SELECT coalesce(max(updated_at), 0) FROM tracks),
                    (SELECT count(*) FROM track_analysis),
                    (SELECT coalesce(max(analyzed_at), 0) FROM track_analysis),
                    (SELECT count(*) FROM imports), (SELECT coalesce(max(id), 0) FROM imports),
                    (SELECT coalesce(max(tuned_at), 0) FROM cf_choice),
                    (SELECT count(*) FROM text_embeddings),
                    (SELECT coalesce(max(embedded_at), 0) FROM text_embeddings)",
            [],
            |r| {
                let mut v = [0i64; 10];
                for (i, slot) in v.iter_mut().enumerate() {
                    *slot = r.get(i)?;
                }
                Ok(DataVersion(v))
            },
        )
    }
}
