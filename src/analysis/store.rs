//! Stored analysis results (`track_analysis`), versioned by the analysis and model that made them.

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use super::track::{TrackAnalysis, DSP_VERSION};

/// The version string of an analysis made now, with or without the CNN.
pub fn current_version(with_cnn: bool) -> String {
    if with_cnn {
        format!("{DSP_VERSION}+{}", super::cnn::MUSICNN_MSD_ID)
    } else {
        DSP_VERSION.to_owned()
    }
}

/// Present tracks without an analysis of `version` (never analysed, or by an older analysis).
pub fn pending(conn: &Connection, version: &str) -> rusqlite::Result<Vec<(i64, String)>> {
    let mut stmt = conn.prepare(
        "SELECT t.id, t.path FROM tracks t LEFT JOIN track_analysis a ON a.track_id = t.id
         WHERE t.missing = 0 AND (a.version IS NULL OR a.version != ?1) ORDER BY t.id",
    )?;
    let rows = stmt.query_map([version], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
}

fn to_blob(values: &[f32]) -> Option<Vec<u8>> {
    (!values.is_empty()).then(|| values.iter().flat_map(|v| v.to_le_bytes()).collect())
}

fn from_blob(bytes: Option<Vec<u8>>) -> Vec<f32> {
    bytes
        .unwrap_or_default()
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect()
}

pub fn save(
    conn: &Connection,
    track_id: i64,
    version: &str,
    analysis: &TrackAnalysis,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT OR REPLACE INTO track_analysis
            (track_id, version, analyzed_at, loudness_lufs, loudness_range_lu, tempo_bpm, tempo_confidence,
             key, key_confidence, tags, embedding, error)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, NULL)",
        params![
            track_id,
            version,
            crate::db::now_unix(),
            analysis.loudness_lufs,
            analysis.loudness_range_lu,
            analysis.tempo.as_ref().map(|t| t.bpm),
            analysis.tempo.as_ref().map(|t| t.confidence),
            analysis.key.as_ref().map(|k| k.key.as_str()),
            analysis.key.as_ref().map(|k| k.confidence),
            to_blob(&analysis.tags),
            to_blob(&analysis.embedding)
        ],
    )?;
    Ok(())
}

/// Records that `track_id` could not be analysed, so the same version does not retry it every run.
pub fn save_error(
    conn: &Connection,
    track_id: i64,
    version: &str,
    error: &str,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT OR REPLACE INTO track_analysis (track_id, version, analyzed_at, error) VALUES (?1, ?2, ?3, ?4)",
        params![track_id, version, crate::db::now_unix(), error],
    )?;
    Ok(())
}

/// A stored analysis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredAnalysis {
    pub track_id: i64,
    pub version: String,
    pub loudness_lufs: Option<f64>,
    pub loudness_range_lu: Option<f64>,
    pub tempo_bpm: Option<f64>,
    pub key: Option<String>,
    pub tags: Vec<f32>,
    pub embedding: Vec<f32>,
    pub error: Option<String>,
}

pub fn get(conn: &Connection, track_id: i64) -> rusqlite::Result<Option<StoredAnalysis>> {
    conn.query_row(
        "SELECT track_id, version, loudness_lufs, loudness_range_lu, tags, embedding, error, tempo_bpm, key
         FROM track_analysis WHERE track_id = ?1",
        [track_id],
        |r| {
            Ok(StoredAnalysis {
                track_id: r.get(0)?,
                version: r.get(1)?,
                loudness_lufs: r.get(2)?,
                loudness_range_lu: r.get(3)?,
                tempo_bpm: r.get(7)?,
                key: r.get(8)?,
                tags: from_blob(r.get(4)?),
                embedding: from_blob(r.get(5)?),
                error: r.get(6)?,
            })
        },
    )
    .optional()
}
