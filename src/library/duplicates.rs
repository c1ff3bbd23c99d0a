//! Which library files are the same song, and which file stands for it in generated lists: the
//! same artist and title (by match key) with a similar duration, or a stem ("guitar.ogg",
//! "vocals.flac") beside the full mix in its folder. The file offered is the best one: complete over
//! stem, lossless over lossy, then the higher bit rate and sample rate.

use std::collections::HashMap;
use std::path::Path;

use crate::text::match_key::{artist_key, title_key};

/// What deciding needs of a file.
#[derive(Debug, Clone, Default)]
pub struct SongFile {
    pub path: String,
    pub artist: String,
    pub title: String,
    pub duration_ms: Option<i64>,
    pub codec: String,
    pub bitrate_kbps: Option<u32>,
    pub sample_rate: Option<u32>,
}

/// Names of a part of a song, as rhythm-game and remix packs name their files.
const STEM_WORDS: &[&str] = &[
    "guitar",
    "guitars",
    "rhythm",
    "bass",
    "drums",
    "drum",
    "vocals",
    "vocal",
    "instrumental",
    "acapella",
    "a cappella",
    "karaoke",
    "stem",
    "stems",
];

fn words_of(text: &str) -> String {
    text.to_lowercase()
        .replace(['_', '-', '.', '(', ')', '[', ']'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// What a file's name says it is a part of: `Some("")` for a bare part ("guitar.ogg"),
/// `Some("song title")` for "Song Title - Drums.flac", `None` for a song.
fn stem_of(path: &str) -> Option<String> {
    let name = Path::new(path)
        .file_stem()
        .map(|s| words_of(&s.to_string_lossy()))
        .unwrap_or_default();
    STEM_WORDS.iter().find_map(|w| {
        if name == *w {
            Some(String::new())
        } else {
            name.strip_suffix(&format!(" {w}")).map(str::to_owned)
        }
    })
}

/// Whether a file's name says it is one part of a song rather than the song.
pub fn is_stem_name(path: &str) -> bool {
    stem_of(path).is_some()
}

const LOSSLESS: &[&str] = &["flac", "wav", "aiff", "alac", "ape", "wavpack"];

/// Higher is better: complete, lossless, bit rate, sample rate.
fn quality(file: &SongFile) -> (bool, bool, u32, u32) {
    (
        !is_stem_name(&file.path),
        LOSSLESS.contains(&file.codec.to_lowercase().as_str()),
        file.bitrate_kbps.unwrap_or(0),
        file.sample_rate.unwrap_or(0),
    )
}

/// Two durations are of the same recording within 3 s or 3 %.
fn same_length(a: Option<i64>, b: Option<i64>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() <= 3_000.max(a.max(b) * 3 / 100),
        _ => true,
    }
}

/// For each file, the index of the file offered for its song (its own index when it is the best
/// file of its song, or alone).
pub fn offered(files: &[SongFile]) -> Vec<usize> {
    let n = files.len();
    // Union-find over files that are the same song.
    let mut parent: Vec<usize> = (0..n).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let join = |parent: &mut Vec<usize>, a: usize, b: usize| {
        let (ra, rb) = (root(parent, a), root(parent, b));
        if ra != rb {
            parent[ra.max(rb)] = ra.min(rb);
        }
    };
    // Same artist and title, similar length.
    let mut by_key: HashMap<(String, String), Vec<usize>> = HashMap::new();
    for (i, f) in files.iter().enumerate() {
        let key = (artist_key(&f.artist), title_key(&f.title));
        if !key.0.is_empty() && !key.1.is_empty() {
            by_key.entry(key).or_default().push(i);
        }
    }
    for group in by_key.values().filter(|g| g.len() > 1) {
        for (x, &a) in group.iter().enumerate() {
            for &b in &group[x + 1..] {
                if same_length(files[a].duration_ms, files[b].duration_ms) {
                    join(&mut parent, a, b);
                }
            }
        }
    }
    // A stem beside its full mix in the same folder belongs to it: a bare part ("guitar.ogg") to
    // the one full file there (or the one of its title), "Song - Drums" to the file named "Song".
    let mut by_folder: HashMap<&Path, Vec<usize>> = HashMap::new();
    for (i, f) in files.iter().enumerate() {
        if let Some(folder) = Path::new(&f.path).parent() {
            by_folder.entry(folder).or_default().push(i);
        }
    }
    let named = |i: usize| {
        let stem = Path::new(&files[i].path).file_stem().unwrap_or_default();
        words_of(&stem.to_string_lossy())
    };
    for members in by_folder.values().filter(|m| m.len() > 1) {
        let full: Vec<usize> = members
            .iter()
            .copied()
            .filter(|&i| !is_stem_name(&files[i].path))
            .collect();
        for &s in members {
            let Some(part_of) = stem_of(&files[s].path) else {
                continue;
            };
            let same_title = |f: &usize| title_key(&files[*f].title) == title_key(&files[s].title);
            let song = if part_of.is_empty() {
                match full.as_slice() {
                    [one] => Some(*one),
                    many => many.iter().copied().find(same_title),
                }
            } else {
                full.iter()
                    .copied()
                    .find(|&f| named(f) == part_of || words_of(&files[f].title) == part_of)
            };
            if let Some(song) = song {
                join(&mut parent, s, song);
            }
        }
    }
    let mut best: HashMap<usize, usize> = HashMap::new();
    for i in 0..n {
        let r = root(&mut parent, i);
        let current = best.entry(r).or_insert(i);
        if quality(&files[i]) > quality(&files[*current]) {
            *current = i;
        }
    }
    (0..n).map(|i| best[&root(&mut parent, i)]).collect()
}

/// Ids of present tracks that are not offered for their song (a worse copy, or a stem beside its
/// full mix).
pub fn not_offered(
    conn: &rusqlite::Connection,
) -> rusqlite::Result<std::collections::HashSet<i64>> {
    let mut stmt = conn.prepare(
        "SELECT id, path, artist, title, duration_ms, codec, bitrate_kbps, sample_rate
         FROM tracks WHERE missing = 0 ORDER BY id",
    )?;
    let mut ids = Vec::new();
    let mut files = Vec::new();
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        ids.push(r.get::<_, i64>(0)?);
        files.push(SongFile {
            path: r.get(1)?,
            artist: r.get(2)?,
            title: r.get(3)?,
            duration_ms: r.get(4)?,
            codec: r.get(5)?,
            bitrate_kbps: r.get(6)?,
            sample_rate: r.get(7)?,
        });
    }
    Ok(offered(&files)
        .into_iter()
        .enumerate()
        .filter(|&(i, best)| i != best)
        .map(|(i, _)| ids[i])
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, artist: &str, title: &str, secs: i64, codec: &str, kbps: u32) -> SongFile {
        SongFile {
            path: path.into(),
            artist: artist.into(),
            title: title.into(),
            duration_ms: Some(secs * 1000),
            codec: codec.into(),
            bitrate_kbps: Some(kbps),
            sample_rate: Some(44_100),
        }
    }

    #[test]
    fn a_stem_beside_its_full_mix_stands_for_nothing() {
        let files = [
            file(
                "/m/chaos_god/song.ogg",
                "Muldjord",
                "Chaos God",
                200,
                "vorbis",
                160,
            ),
            file(
                "/m/chaos_god/guitar.ogg",
                "Muldjord",
                "Chaos God",
                200,
                "vorbis",
                160,
            ),
            file(
                "/m/feelings/guitar.ogg",
                "Sectoid",
                "guitar",
                100,
                "vorbis",
                160,
            ),
            file(
                "/m/feelings/song.ogg",
                "Sectoid",
                "song",
                100,
                "vorbis",
                160,
            ),
        ];
        assert_eq!(offered(&files), vec![0, 0, 3, 3]);
    }

    #[test]
    fn the_same_song_in_two_files_is_offered_once_in_the_better_file() {
        let files = [
            file(
                "/a/1.mp3",
                "The Band",
                "Song - Remastered 2009",
                181,
                "mp3",
                320,
            ),
            file("/b/1.flac", "Band", "Song", 180, "flac", 900),
            file("/c/1.mp3", "Band", "Song", 240, "mp3", 320),
            file("/d/1.ogg", "Band", "Song (Live)", 181, "vorbis", 320),
        ];
        assert_eq!(offered(&files), vec![1, 1, 2, 3]);
    }

    #[test]
    fn a_lone_file_named_like_a_stem_is_still_a_song() {
        let files = [file("/m/x/vocals.ogg", "A", "B", 100, "vorbis", 128)];
        assert_eq!(offered(&files), vec![0]);
        assert!(is_stem_name("/m/x/Song Title - Drums.flac"));
        assert!(!is_stem_name("/m/x/Bass Odyssey (Extended Club Mix).flac"));
        // A song whose name ends like a part, beside another song, stays a song of its own.
        let files = [
            file(
                "/m/al/01 Moonlight Bass.flac",
                "A",
                "Moonlight Bass",
                100,
                "flac",
                900,
            ),
            file("/m/al/02 Other.flac", "A", "Other", 200, "flac", 900),
            file(
                "/m/al/Other - Drums.flac",
                "A",
                "Other (drums)",
                200,
                "flac",
                900,
            ),
        ];
        assert_eq!(offered(&files), vec![0, 1, 1]);
    }
}
