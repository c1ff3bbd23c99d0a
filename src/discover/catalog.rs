//! The library as the recommender sees it: one row per present track with its artist and album
//! groups, DSP features for flow ordering, the audio embedding (centred on the library mean and
//! scaled to unit length, so a dot product is a cosine) and the metadata text vector.

use std::collections::HashMap;

use rusqlite::Connection;

use crate::library::duplicates::{self, SongFile};
use crate::library::path_guess::UNKNOWN_ALBUM;
use crate::text::embed::index::TrackEmbeddings;
use crate::text::match_key::{artist_key, title_key};
use crate::text::profile::LibraryText;
use crate::text::vectors::TermVector;

/// Closeness by words (BM25 cosine) blended with closeness by meaning (the sentence embeddings'
/// cosine) as artist similarity blends them (`WORDS_WEIGHT`, chosen on real tags); words alone
/// where a text was not embedded.
pub fn blend_text(words: f32, meaning: Option<f32>) -> f32 {
    use crate::text::profile::WORDS_WEIGHT;
    match meaning {
        Some(m) => WORDS_WEIGHT * words + (1.0 - WORDS_WEIGHT) * m.max(0.0),
        None => words,
    }
}

/// What the catalog needs of a track.
#[derive(Debug, Clone, Default)]
pub struct TrackFacts {
    pub id: i64,
    pub title: String,
    pub artist: String,
    pub album: String,
    pub tempo_bpm: Option<f32>,
    /// `Camelot::order`: 2 × wheel number, + 1 for major.
    pub camelot: Option<u8>,
    pub loudness_lufs: Option<f32>,
    pub album_artist: Option<String>,
    pub genre: Option<String>,
    pub path: String,
    pub duration_ms: Option<i64>,
    pub codec: String,
    pub bitrate_kbps: Option<u32>,
    pub sample_rate: Option<u32>,
}

impl TrackFacts {
    /// The names the listener's exclusions are tested on.
    pub fn names(&self) -> crate::exclusions::TrackNames<'_> {
        crate::exclusions::TrackNames {
            artist: &self.artist,
            album_artist: self.album_artist.as_deref(),
            genre: self.genre.as_deref(),
            path: &self.path,
        }
    }

    fn song_file(&self) -> SongFile {
        SongFile {
            path: self.path.clone(),
            artist: self.artist.clone(),
            title: self.title.clone(),
            duration_ms: self.duration_ms,
            codec: self.codec.clone(),
            bitrate_kbps: self.bitrate_kbps,
            sample_rate: self.sample_rate,
        }
    }
}

/// Who an album belongs to, for the per-album cap: its album artist when tagged, else its folder
/// ("CD 2" folders counted with their parent), so a soundtrack of many composers is one album.
fn album_owner(meta: &TrackFacts, artist_group: u32) -> String {
    // Loose files with no album tag are the scanner's "Unknown album": each artist's own, not one
    // album of the whole folder (whose cap of two would leave two tracks of a library of singles).
    if meta.album.trim().is_empty() || meta.album == UNKNOWN_ALBUM {
        return format!("artist {artist_group}");
    }
    if let Some(aa) = meta
        .album_artist
        .as_deref()
        .filter(|a| !a.trim().is_empty())
    {
        return format!("album artist {}", artist_key(aa));
    }
    let mut folder = std::path::Path::new(&meta.path).parent();
    if let Some(f) = folder {
        let name = f
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_lowercase();
        let disc = ["cd", "disc", "disk"].iter().any(|p| {
            name.strip_prefix(p)
                .is_some_and(|rest| rest.trim().chars().all(|c| c.is_ascii_digit()))
        });
        if disc {
            folder = f.parent();
        }
    }
    match folder {
        Some(f) => format!("folder {}", f.display()),
        None => format!("artist {artist_group}"),
    }
}

#[derive(Debug, Clone)]
pub struct CatalogTrack {
    pub meta: TrackFacts,
    /// Same artist (by match key: case, diacritics and "feat." do not split an artist).
    pub artist_group: u32,
    /// Same album (of one album artist or in one folder: a compilation is one album).
    pub album_group: u32,
    /// Whether this file is offered for its song: `false` for a worse copy or a stem of a song
    /// another file of the library holds (see `library::duplicates`).
    pub offered: bool,
    /// Catalog index of the file offered for this track's song (its own index when offered).
    pub song: usize,
    /// Tracks of the same artist and title keys share this number (versions the duplicate rules
    /// keep apart, such as "Get Lucky" and "Get Lucky - Radio Edit", included).
    pub title_group: u32,
}

#[derive(Debug, Default)]
pub struct Catalog {
    pub tracks: Vec<CatalogTrack>,
    pub index: HashMap<i64, usize>,
    pub dim: usize,
    /// `tracks.len() × dim`, zero rows for tracks without an embedding.
    embeddings: Vec<f32>,
    pub has_embedding: Vec<bool>,
    /// Metadata text vector per track (empty when unknown).
    pub text: Vec<TermVector>,
    /// The tracks' sentence embeddings (by track id), where the texts were embedded.
    pub meaning: TrackEmbeddings,
}

impl Catalog {
    /// Builds the catalog; embeddings and text vectors are matched to tracks by id (others ignored).
    pub fn new(
        metas: Vec<TrackFacts>,
        embeddings: Vec<(i64, Vec<f32>)>,
        text: Vec<(i64, TermVector)>,
    ) -> Self {
        let mut artists: HashMap<String, u32> = HashMap::new();
        let mut albums: HashMap<(String, String), u32> = HashMap::new();
        let mut titles: HashMap<(u32, String), u32> = HashMap::new();
        let mut tracks = Vec::with_capacity(metas.len());
        let mut index = HashMap::with_capacity(metas.len());
        let files: Vec<SongFile> = metas.iter().map(TrackFacts::song_file).collect();
        let offered = duplicates::offered(&files);
        for (i, meta) in metas.into_iter().enumerate() {
            let next = artists.len() as u32;
            let artist_group = *artists.entry(artist_key(&meta.artist)).or_insert(next);
            let next = albums.len() as u32;
            let album_group = *albums
                .entry((album_owner(&meta, artist_group), meta.album.to_lowercase()))
                .or_insert(next);
            let next = titles.len() as u32;
            let title_group = *titles
                .entry((artist_group, title_key(&meta.title)))
                .or_insert(next);
            index.insert(meta.id, tracks.len());
            tracks.push(CatalogTrack {
                meta,
                artist_group,
                album_group,
                offered: offered[i] == i,
                song: offered[i],
                title_group,
            });
        }
        let dim = embeddings
            .iter()
            .map(|(_, e)| e.len())
            .find(|&d| d > 0)
            .unwrap_or(0);
        let mut flat = vec![0f32; tracks.len() * dim];
        let mut has_embedding = vec![false; tracks.len()];
        let mut mean = vec![0f64; dim];
        let mut count = 0usize;
        for (id, e) in &embeddings {
            if let (Some(&i), true) = (index.get(id), e.len() == dim) {
                flat[i * dim..(i + 1) * dim].copy_from_slice(e);
                has_embedding[i] = true;
                mean.iter_mut().zip(e).for_each(|(m, &x)| *m += x as f64);
                count += 1;
            }
        }
        // Every musicnn embedding shares a large common part: without centring everything looks alike.
        mean.iter_mut().for_each(|m| *m /= count.max(1) as f64);
        for i in (0..tracks.len()).filter(|&i| has_embedding[i]) {
            let row = &mut flat[i * dim..(i + 1) * dim];
            row.iter_mut().zip(&mean).for_each(|(x, m)| *x -= *m as f32);
            let norm = row.iter().map(|x| x * x).sum::<f32>().sqrt();
            if norm > 0.0 {
                row.iter_mut().for_each(|x| *x /= norm);
            }
        }
        let mut text_vectors = vec![TermVector::default(); tracks.len()];
        for (id, v) in text {
            if let Some(&i) = index.get(&id) {
                text_vectors[i] = v;
            }
        }
        Catalog {
            tracks,
            index,
            dim,
            embeddings: flat,
            has_embedding,
            text: text_vectors,
            meaning: TrackEmbeddings::default(),
        }
    }

    /// The catalog with the tracks' sentence embeddings.
    pub fn with_meaning(mut self, meaning: TrackEmbeddings) -> Self {
        self.meaning = meaning;
        self
    }

    /// The cosine of track `i`'s sentence embedding with the unit vector `centre`, if it has one.
    pub fn meaning_cosine(&self, i: usize, centre: &[f32]) -> Option<f32> {
        self.meaning.dot(self.tracks[i].meta.id, centre)
    }

    /// How close tracks `a` and `b` are by text: words and meaning blended (see [`blend_text`]).
    pub fn text_similarity(&self, a: usize, b: usize) -> f32 {
        let words = self.text[a].cosine(&self.text[b]);
        let meaning = self
            .meaning
            .vector(self.tracks[a].meta.id)
            .and_then(|v| self.meaning_cosine(b, &v));
        blend_text(words, meaning)
    }

    /// The unit mean of the tracks' sentence embeddings (`None` when none has one).
    pub fn meaning_centre(&self, tracks: impl IntoIterator<Item = usize>) -> Option<Vec<f32>> {
        self.meaning
            .centroid(tracks.into_iter().map(|t| self.tracks[t].meta.id))
    }

    /// The present tracks of the library with their analysis, embeddings and text profiles. With a
    /// database file, the track rows and embeddings are read on a second connection while the text
    /// profiles are built (a third of the time on 100k tracks).
    pub fn load(conn: &Connection) -> rusqlite::Result<Self> {
        let started = std::time::Instant::now();
        let (rows, text) = crate::db::read_beside(
            conn,
            |other| -> rusqlite::Result<_> {
                Ok((
                    track_metas(other)?,
                    crate::analysis::store::embeddings(other)?,
                    TrackEmbeddings::load(other)?,
                ))
            },
            LibraryText::load_tracks,
        );
        let ((metas, embeddings, meaning), text) = (rows?, text?);
        log::debug!("catalog: read by {:?}", started.elapsed());
        let vectors = text.track_vectors();
        let catalog = Self::new(
            metas,
            embeddings,
            text.track_ids.into_iter().zip(vectors).collect(),
        )
        .with_meaning(meaning);
        log::debug!("catalog: built by {:?}", started.elapsed());
        Ok(catalog)
    }

    pub fn len(&self) -> usize {
        self.tracks.len()
    }

    pub fn is_empty(&self) -> bool {
        self.tracks.is_empty()
    }

    /// The centred unit embedding of track `i`, if it was analysed with the CNN.
    pub fn embedding(&self, i: usize) -> Option<&[f32]> {
        self.has_embedding[i].then(|| &self.embeddings[i * self.dim..(i + 1) * self.dim])
    }

    /// How alike two tracks are, 0–1: by sound when both have embeddings, else by text.
    pub fn similarity(&self, i: usize, j: usize) -> f32 {
        match (self.embedding(i), self.embedding(j)) {
            (Some(a), Some(b)) => dot(a, b).max(0.0),
            _ => self.text[i].cosine(&self.text[j]).max(0.0),
        }
    }

    /// A display name: "Artist – Title".
    pub fn name(&self, i: usize) -> String {
        let m = &self.tracks[i].meta;
        format!("{} – {}", m.artist, m.title)
    }
}

/// Present tracks with the analysis fields the recommender uses, by id.
fn track_metas(conn: &Connection) -> rusqlite::Result<Vec<TrackFacts>> {
    conn.prepare(
        "SELECT t.id, t.title, t.artist, t.album, a.tempo_bpm, a.key_camelot, a.loudness_lufs,
                t.album_artist, t.genre, t.path, t.duration_ms, t.codec, t.bitrate_kbps, t.sample_rate
         FROM tracks t LEFT JOIN track_analysis a ON a.track_id = t.id
         WHERE t.missing = 0 ORDER BY t.id",
    )?
    .query_map([], |r| {
        Ok(TrackFacts {
            id: r.get(0)?,
            title: r.get(1)?,
            artist: r.get(2)?,
            album: r.get(3)?,
            tempo_bpm: r.get::<_, Option<f64>>(4)?.map(|v| v as f32),
            camelot: r.get::<_, Option<i64>>(5)?.map(|v| v as u8),
            loudness_lufs: r.get::<_, Option<f64>>(6)?.map(|v| v as f32),
            album_artist: r.get(7)?,
            genre: r.get(8)?,
            path: r.get(9)?,
            duration_ms: r.get(10)?,
            codec: r.get(11)?,
            bitrate_kbps: r.get(12)?,
            sample_rate: r.get(13)?,
        })
    })?
    .collect()
}

pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}
