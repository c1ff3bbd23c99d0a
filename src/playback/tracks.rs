//! What the player reads about a track: what the now-playing bar shows, and its gain.

use rusqlite::{Connection, OptionalExtension};

use super::gain::{album_loudness, replaygain_factor, AlbumTrack, REPLAYGAIN_REFERENCE_LUFS};
use super::protocol::NowPlaying;
use crate::library::path_guess::UNKNOWN_ALBUM;
use crate::settings::{self, Normalisation};

/// What the tags and the analysis say about a track's level.
struct Levels {
    track_gain: Option<f64>,
    track_peak: Option<f64>,
    album_gain: Option<f64>,
    album_peak: Option<f64>,
    lufs: Option<f64>,
    peak: Option<f64>,
    album: String,
    album_artist: String,
}

/// The track's display data and its gain as a linear factor, by the listener's normalisation
/// setting. `None` if the track is not in the library.
pub fn track_info(conn: &Connection, track_id: i64) -> Option<(NowPlaying, f32)> {
    let mode = settings::load(conn)
        .map(|s| s.normalisation)
        .unwrap_or(Normalisation::Track);
    let (now, levels) = conn
        .query_row(
            "SELECT t.id, t.path, t.title, t.artist, t.album, t.duration_ms, c.file,
                    t.rg_track_gain, t.rg_track_peak, t.rg_album_gain, t.rg_album_peak,
                    a.loudness_lufs, a.sample_peak, COALESCE(t.album_artist, t.artist)
             FROM tracks t LEFT JOIN covers c ON c.id = t.cover_id
             LEFT JOIN track_analysis a ON a.track_id = t.id WHERE t.id = ?1",
            [track_id],
            |r| {
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
                    Levels {
                        track_gain: r.get(7)?,
                        track_peak: r.get(8)?,
                        album_gain: r.get(9)?,
                        album_peak: r.get(10)?,
                        lufs: r.get(11)?,
                        peak: r.get(12)?,
                        album: r.get(4)?,
                        album_artist: r.get(13)?,
                    },
                ))
            },
        )
        .optional()
        .ok()
        .flatten()?;
    let gain = match mode {
        Normalisation::Off => 1.0,
        Normalisation::Track => track_gain(&levels),
        Normalisation::Album => album_gain(conn, &levels).unwrap_or_else(|| track_gain(&levels)),
    };
    Some((now, gain))
}

/// The ReplayGain track gain and peak from the tags, else the analysed loudness brought to
/// ReplayGain 2's reference of -18 LUFS, limited by the analysed sample peak.
fn track_gain(levels: &Levels) -> f32 {
    match levels.track_gain {
        Some(gain) => replaygain_factor(Some(gain), levels.track_peak),
        None => replaygain_factor(
            levels.lufs.map(|l| REPLAYGAIN_REFERENCE_LUFS - l),
            levels.peak,
        ),
    }
}

/// One gain for every track of the album, so their levels stay as mastered: the album gain from
/// the tags, else the album's analysed loudness (its tracks' energy, weighted by length) limited by
/// the loudest peak among them. `None` when the track has no album (the scanner's "Unknown album")
/// or nothing of the album is known.
fn album_gain(conn: &Connection, levels: &Levels) -> Option<f32> {
    if levels.album == UNKNOWN_ALBUM {
        return None;
    }
    if let Some(gain) = levels.album_gain {
        return Some(replaygain_factor(Some(gain), levels.album_peak));
    }
    let mut stmt = conn
        .prepare_cached(
            "SELECT a.loudness_lufs, a.sample_peak, t.duration_ms FROM tracks t
             JOIN track_analysis a ON a.track_id = t.id
             WHERE t.album = ?1 AND COALESCE(t.album_artist, t.artist) = ?2 AND t.missing = 0
               AND a.loudness_lufs IS NOT NULL",
        )
        .ok()?;
    let tracks: Vec<AlbumTrack> = stmt
        .query_map([&levels.album, &levels.album_artist], |r| {
            Ok(AlbumTrack {
                lufs: r.get(0)?,
                peak: r.get(1)?,
                duration_ms: r.get::<_, Option<i64>>(2)?.unwrap_or(0).max(0) as u64,
            })
        })
        .ok()?
        .filter_map(Result::ok)
        .collect();
    let (lufs, peak) = album_loudness(&tracks)?;
    Some(replaygain_factor(
        Some(REPLAYGAIN_REFERENCE_LUFS - lufs),
        peak,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A library of one album of a loud and a quiet track (analysed, no gain tags) and a single.
    fn library() -> (tempfile::TempDir, Connection) {
        let dir = tempfile::tempdir().unwrap();
        let conn = crate::db::open(&dir.path().join("g.sqlite3")).unwrap();
        for (id, album, lufs, peak) in [
            (1, "Dynamics", -10.0, 0.5),
            (2, "Dynamics", -20.0, 0.1),
            (3, UNKNOWN_ALBUM, -20.0, 0.1),
        ] {
            conn.execute(
                "INSERT INTO tracks (id, path, size, mtime_ns, fingerprint, title, artist, album,
                     duration_ms, codec, search_text, added_at, updated_at)
                 VALUES (?1, ?2, 1, 1, ?2, 't', 'Band', ?3, 180000, 'flac', '', 0, 0)",
                rusqlite::params![id, format!("/m/{id}.flac"), album],
            )
            .unwrap();
            conn.execute(
                "INSERT INTO track_analysis (track_id, version, analyzed_at, loudness_lufs, sample_peak)
                 VALUES (?1, 'v', 0, ?2, ?3)",
                rusqlite::params![id, lufs, peak],
            )
            .unwrap();
        }
        (dir, conn)
    }

    fn gain(conn: &Connection, id: i64) -> f32 {
        track_info(conn, id).unwrap().1
    }

    #[test]
    fn album_mode_keeps_an_albums_relative_levels_and_track_mode_evens_them() {
        let (_dir, conn) = library();
        // Track mode: each track to -18 LUFS, the quiet one brought up 10 dB more than the loud one.
        let (loud, quiet) = (gain(&conn, 1), gain(&conn, 2));
        assert!((loud - 10f32.powf(-8.0 / 20.0)).abs() < 1e-4, "{loud}");
        assert!((quiet / loud - 10f32.powf(10.0 / 20.0)).abs() < 1e-3);

        settings::set_text(&conn, "normalisation", "album").unwrap();
        let (loud, quiet) = (gain(&conn, 1), gain(&conn, 2));
        // One gain for both: the quiet track stays 10 dB below the loud one, as mastered.
        assert_eq!(loud, quiet);
        // The album's loudness is -12.6 LUFS: -5.4 dB brings it to -18.
        assert!((loud - 10f32.powf(-5.404 / 20.0)).abs() < 1e-3, "{loud}");
        // A track of no album is normalised as a track.
        assert!((gain(&conn, 3) - 10f32.powf(2.0 / 20.0)).abs() < 1e-3);

        // Album gain tags win over the analysis.
        conn.execute(
            "UPDATE tracks SET rg_album_gain = -3.0, rg_album_peak = 0.2 WHERE album = 'Dynamics'",
            [],
        )
        .unwrap();
        assert!((gain(&conn, 2) - 10f32.powf(-3.0 / 20.0)).abs() < 1e-4);

        settings::set_text(&conn, "normalisation", "off").unwrap();
        assert_eq!((gain(&conn, 1), gain(&conn, 2)), (1.0, 1.0));
    }
}
