//! The stored sentence embeddings of the library's tracks: one row per track with the model that
//! made it and a hash of the text it was made from, so a changed text or model is embedded again and
//! nothing else is. Vectors are kept as 8-bit integers with one scale per vector (516 bytes instead
//! of 2 KB; cosine to the float vector ≥ 0.999, checked below).

use rusqlite::{params, Connection};

use super::DIM;

/// A stored vector's bytes: the scale (f32, little-endian), then `DIM` signed bytes.
pub fn to_blob(vector: &[f32]) -> Vec<u8> {
    let max = vector.iter().fold(0f32, |m, v| m.max(v.abs()));
    let scale = if max > 0.0 { max / 127.0 } else { 1.0 };
    let mut out = Vec::with_capacity(4 + vector.len());
    out.extend_from_slice(&scale.to_le_bytes());
    out.extend(
        vector
            .iter()
            .map(|v| (v / scale).round().clamp(-127.0, 127.0) as i8 as u8),
    );
    out
}

/// The scale and the codes of a stored blob (`None` for one of another width).
pub fn split_blob(blob: &[u8]) -> Option<(f32, impl Iterator<Item = i8> + '_)> {
    if blob.len() != 4 + DIM {
        return None;
    }
    let scale = f32::from_le_bytes([blob[0], blob[1], blob[2], blob[3]]);
    Some((scale, blob[4..].iter().map(|&b| b as i8)))
}

/// The vector of a stored blob (`None` for one of another width).
pub fn from_blob(blob: &[u8]) -> Option<Vec<f32>> {
    let (scale, codes) = split_blob(blob)?;
    Some(codes.map(|c| f32::from(c) * scale).collect())
}

/// (track id, model, text hash) of every stored embedding.
pub fn stamps(conn: &Connection) -> rusqlite::Result<Vec<(i64, String, i64)>> {
    conn.prepare("SELECT track_id, model, text_hash FROM text_embeddings")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect()
}

pub fn put(
    conn: &Connection,
    track_id: i64,
    model: &str,
    text_hash: i64,
    vector: &[f32],
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO text_embeddings (track_id, model, text_hash, vector, embedded_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(track_id) DO UPDATE SET model = ?2, text_hash = ?3, vector = ?4, embedded_at = ?5",
        params![track_id, model, text_hash, to_blob(vector), crate::db::now_unix()],
    )?;
    Ok(())
}

/// Every present track's stored vector bytes made by `model`, in track id order.
pub fn present_blobs(conn: &Connection, model: &str) -> rusqlite::Result<Vec<(i64, Vec<u8>)>> {
    let mut stmt = conn.prepare(
        "SELECT e.track_id, e.vector FROM text_embeddings e JOIN tracks t ON t.id = e.track_id
         WHERE t.missing = 0 AND e.model = ?1 ORDER BY e.track_id",
    )?;
    let rows = stmt.query_map([model], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_vector_keeps_its_direction() {
        let mut rng = fastrand::Rng::with_seed(3);
        for _ in 0..50 {
            let mut v: Vec<f32> = (0..DIM).map(|_| rng.f32() - 0.5).collect();
            v[rng.usize(0..DIM)] = 3.0; // one component well above the rest
            let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
            v.iter_mut().for_each(|x| *x /= norm);
            let back = from_blob(&to_blob(&v)).unwrap();
            let cos: f32 = v.iter().zip(&back).map(|(a, b)| a * b).sum::<f32>()
                / back.iter().map(|x| x * x).sum::<f32>().sqrt();
            assert!(cos >= 0.999, "cosine {cos}");
        }
        assert_eq!(from_blob(&to_blob(&[0.0; DIM])).unwrap(), vec![0.0; DIM]);
        assert!(from_blob(&[0; 10]).is_none());
    }
}
