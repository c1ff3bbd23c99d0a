//! Stored analysis results (`track_analysis`), versioned by the analysis and model that made them.

use rusqlite::{params, Connection, OptionalExtension, Row};
use serde::Serialize;

use super::dsp::METRE_MIN_CONFIDENCE;
use super::track::{TrackAnalysis, DSP_VERSION};
use crate::camelot::Camelot;

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

/// Marks every stored analysis as made by an older analysis, so the job makes each again ("re-analyse
/// all"); the old results serve until their track's turn comes.
pub fn mark_all_stale(conn: &Connection) -> rusqlite::Result<usize> {
    conn.execute(
        "UPDATE track_analysis SET version = 'stale:' || version WHERE version NOT LIKE 'stale:%'",
        [],
    )
}

/// Present tracks, and how many of them have an analysis of `version` (with or without an error).
pub fn coverage(conn: &Connection, version: &str) -> rusqlite::Result<(u64, u64)> {
    conn.query_row(
        "SELECT COUNT(*), COUNT(a.track_id) FROM tracks t
         LEFT JOIN track_analysis a ON a.track_id = t.id AND a.version = ?1 WHERE t.missing = 0",
        [version],
        |r| Ok((r.get::<_, i64>(0)? as u64, r.get::<_, i64>(1)? as u64)),
    )
}

fn to_blob(values: &[f32]) -> Option<Vec<u8>> {
    (!values.is_empty()).then(|| values.iter().flat_map(|v| v.to_le_bytes()).collect())
}

/// Little-endian f32s; a length that is not a multiple of 4 drops the ragged end.
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
             key, key_confidence, tags, embedding, error, metre, metre_confidence, key_camelot,
             sample_peak, audio_seconds, patches)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, NULL, ?12, ?13, ?14, ?15, ?16, ?17)",
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
            to_blob(&analysis.embedding),
            analysis.metre.as_ref().map(|m| m.metre.as_str()),
            analysis.metre.as_ref().map(|m| m.confidence),
            analysis
                .key
                .as_ref()
                .map(|k| k.camelot().order()),
            analysis.sample_peak,
            analysis.seconds,
            analysis.patches as i64,
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
    pub analyzed_at: i64,
    pub loudness_lufs: Option<f64>,
    pub loudness_range_lu: Option<f64>,
    pub sample_peak: Option<f64>,
    pub tempo_bpm: Option<f64>,
    pub tempo_confidence: Option<f64>,
    /// e.g. "G major".
    pub key: Option<String>,
    pub key_confidence: Option<f64>,
    /// e.g. "9B".
    pub camelot: Option<String>,
    /// "2/4", "3/4", "4/4" or "6/8": the best answer, however sure.
    pub metre: Option<String>,
    pub metre_confidence: Option<f64>,
    /// Whether the metre is sure enough to be shown as known (its confidence reaches
    /// `METRE_MIN_CONFIDENCE`); views say "not clear" otherwise.
    pub metre_confident: bool,
    pub audio_seconds: Option<f64>,
    pub patches: Option<i64>,
    pub tags: Vec<f32>,
    pub embedding: Vec<f32>,
    pub error: Option<String>,
}

const COLUMNS: &str =
    "track_id, version, analyzed_at, loudness_lufs, loudness_range_lu, sample_peak,
    tempo_bpm, tempo_confidence, key, key_confidence, key_camelot, metre, metre_confidence,
    audio_seconds, patches, tags, embedding, error";

fn stored(r: &Row) -> rusqlite::Result<StoredAnalysis> {
    Ok(StoredAnalysis {
        track_id: r.get(0)?,
        version: r.get(1)?,
        analyzed_at: r.get(2)?,
        loudness_lufs: r.get(3)?,
        loudness_range_lu: r.get(4)?,
        sample_peak: r.get(5)?,
        tempo_bpm: r.get(6)?,
        tempo_confidence: r.get(7)?,
        key: r.get(8)?,
        key_confidence: r.get(9)?,
        camelot: r
            .get::<_, Option<i64>>(10)?
            .and_then(Camelot::from_order)
            .map(|c| c.to_string()),
        metre: r.get(11)?,
        metre_confidence: r.get(12)?,
        metre_confident: r
            .get::<_, Option<f64>>(12)?
            .is_some_and(|c| c >= f64::from(METRE_MIN_CONFIDENCE)),
        audio_seconds: r.get(13)?,
        patches: r.get(14)?,
        tags: from_blob(r.get(15)?),
        embedding: from_blob(r.get(16)?),
        error: r.get(17)?,
    })
}

pub fn get(conn: &Connection, track_id: i64) -> rusqlite::Result<Option<StoredAnalysis>> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM track_analysis WHERE track_id = ?1"),
        [track_id],
        stored,
    )
    .optional()
}

/// The vector blob `column` ("embedding" or "tags") of every present track that has one.
fn present_vectors(
    conn: &Connection,
    column: &'static str,
) -> rusqlite::Result<Vec<(i64, Vec<f32>)>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT a.track_id, a.{column} FROM track_analysis a JOIN tracks t ON t.id = a.track_id
         WHERE t.missing = 0 AND a.{column} IS NOT NULL ORDER BY t.id"
    ))?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, from_blob(r.get(1)?))))?;
    rows.collect()
}

/// Every present track's stored embedding (tracks analysed without the CNN are left out).
pub fn embeddings(conn: &Connection) -> rusqlite::Result<Vec<(i64, Vec<f32>)>> {
    present_vectors(conn, "embedding")
}

/// Every present track's CNN tag probabilities (in `cnn::tag_labels()` order).
pub fn all_tags(conn: &Connection) -> rusqlite::Result<Vec<(i64, Vec<f32>)>> {
    present_vectors(conn, "tags")
}
