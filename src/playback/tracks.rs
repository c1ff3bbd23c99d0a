//! What the player reads about a track: what the now-playing bar shows, and its gain.

use rusqlite::{Connection, OptionalExtension};

use super::gain::{replaygain_factor, REPLAYGAIN_REFERENCE_LUFS};
use super::protocol::NowPlaying;

/// The track's display data and its gain as a linear factor: the ReplayGain track gain and peak
/// from its tags, else the analysed loudness brought to ReplayGain 2's reference of -18 LUFS,
/// limited by the analysed sample peak. `None` if the track is not in the library.
pub fn track_info(conn: &Connection, track_id: i64) -> Option<(NowPlaying, f32)> {
    conn.query_row(
        "SELECT t.id, t.path, t.title, t.artist, t.album, t.duration_ms, c.file,
                COALESCE(t.rg_track_gain, ?2 - a.loudness_lufs),
                CASE WHEN t.rg_track_gain IS NULL THEN a.sample_peak ELSE t.rg_track_peak END
         FROM tracks t LEFT JOIN covers c ON c.id = t.cover_id
         LEFT JOIN track_analysis a ON a.track_id = t.id WHERE t.id = ?1",
        rusqlite::params![track_id, REPLAYGAIN_REFERENCE_LUFS],
        |r| {
            let gain_db: Option<f64> = r.get(7)?;
            let peak: Option<f64> = r.get(8)?;
            Ok((
                NowPlaying {
                    id: r.get(0)?,
                    path: r.get(1)?,
                    title: r.get(2)?,
                    artist: r.get(3)?,
                    album: r.get(4)?,
                    duration_ms: r.get::<_, Option<i64>>(5)?.map(|d| d as u64),
                    cover: r.get(6)?,
                },
                replaygain_factor(gain_db, peak),
            ))
        },
    )
    .optional()
    .ok()
    .flatten()
}
