//! Text profiles of the library: one document per track (title, artist, album, genre, composer,
//! comment, decade, folder names, the audio CNN's sound tags, imported user tags) and one per artist
//! (everything but the titles, over all the artist's tracks). Search ranks tracks against a query by
//! BM25 over text and sound tags together; similar artists and tracks by cosine of BM25 vectors.

use std::collections::HashMap;

use rusqlite::Connection;

use super::embed::index::TrackEmbeddings;
use super::match_key::{artist_key, title_key};
use super::vectors::{Bag, Corpus, IdBag, TermVector, Vocabulary};

/// The weight of the words' (BM25) cosine against the sentence embeddings' in artist similarity:
/// chosen on the validation half of real artists' tags for agreement with co-listening
/// (`cargo bench --bench text_models`; 0.4–0.7 are within one standard error of each other).
pub const WORDS_WEIGHT: f32 = 0.5;

/// Sound tags below this probability say little about a track.
const MIN_TAG_PROBABILITY: f32 = 0.1;

/// Words a listener uses for moods and situations, mapped onto the sound-tag vocabulary the audio
/// CNN knows (its 50 Million Song Dataset tags), so "calm piano" finds mellow, chilled tracks even
/// when no title says "calm". Expansions count half as much as the words typed.
const EXPANSIONS: &[(&str, &[&str])] = &[
    (
        "calm",
        &[
            "mellow",
            "chill",
            "chillout",
            "ambient",
            "easy",
            "beautiful",
        ],
    ),
    (
        "relaxing",
        &["mellow", "chill", "chillout", "ambient", "easy"],
    ),
    ("relax", &["mellow", "chill", "chillout", "ambient", "easy"]),
    ("quiet", &["mellow", "acoustic", "easy"]),
    ("soft", &["mellow", "acoustic", "easy", "beautiful"]),
    ("peaceful", &["mellow", "ambient", "beautiful"]),
    ("sleep", &["ambient", "mellow", "instrumental"]),
    ("study", &["instrumental", "ambient", "chillout"]),
    ("focus", &["instrumental", "ambient", "chillout"]),
    (
        "energetic",
        &["dance", "party", "catchy", "rock", "electro"],
    ),
    ("upbeat", &["happy", "catchy", "dance", "party"]),
    ("workout", &["dance", "electronic", "party", "hard", "rock"]),
    ("party", &["dance", "party", "catchy"]),
    ("melancholic", &["sad", "mellow", "beautiful"]),
    ("melancholy", &["sad", "mellow", "beautiful"]),
    ("sad", &["sad", "mellow"]),
    ("cheerful", &["happy", "catchy"]),
    ("hiphop", &["hip", "hop"]),
    ("rap", &["hip", "hop"]),
    ("heavy", &["metal", "hard", "rock"]),
    ("vocal", &["vocalists", "vocalist"]),
    ("female", &["female"]),
    ("male", &["male"]),
];

/// Decade words of a year: 1994 → "1990s", "90s".
fn decade_terms(year: i64) -> [String; 2] {
    let decade = year / 10 * 10;
    [format!("{decade}s"), format!("{:02}s", decade % 100)]
}

struct TrackFacts {
    id: i64,
    path: String,
    title: String,
    artist: String,
    album: String,
    genre: Option<String>,
    composer: Option<String>,
    comment: Option<String>,
    year: Option<i64>,
}

/// Imported tags (Last.fm user tags and the like) per item key, weights scaled to at most 1.
pub(crate) fn imported_tags(
    conn: &Connection,
) -> rusqlite::Result<HashMap<String, Vec<(String, f32)>>> {
    let mut out: HashMap<String, Vec<(String, f32)>> = HashMap::new();
    let mut stmt = conn.prepare(
        "SELECT e.key, g.tag, g.weight FROM item_tags g JOIN ext_items e ON e.id = g.item_id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        out.entry(r.get(0)?)
            .or_default()
            .push((r.get(1)?, r.get::<_, f64>(2)? as f32));
    }
    for tags in out.values_mut() {
        let max = tags.iter().map(|t| t.1).fold(0f32, f32::max).max(1e-6);
        tags.iter_mut().for_each(|t| t.1 /= max);
    }
    Ok(out)
}

/// A bag of an item's imported tags.
pub fn tag_bag(tags: &[(String, f32)], weight: f32) -> Bag {
    let mut bag = Bag::default();
    for (tag, w) in tags {
        bag.add_text(tag, weight * w);
    }
    bag
}

/// Term ids of texts seen before: artist, album, genre, folder and sound-tag names repeat across a
/// library, and folding, tokenising and hashing each again was most of the time of building the
/// profiles (seconds for 100k tracks).
#[derive(Default)]
struct TokenCache {
    vocabulary: Vocabulary,
    seen: HashMap<String, Vec<u32>>,
}

impl TokenCache {
    fn add(&mut self, bag: &mut IdBag, text: &str, weight: f32) {
        if let Some(ids) = self.seen.get(text) {
            bag.add(ids, weight);
            return;
        }
        let ids = self.ids(text);
        bag.add(&ids, weight);
    }

    /// The term ids of `text`, remembered.
    fn ids(&mut self, text: &str) -> Vec<u32> {
        if let Some(ids) = self.seen.get(text) {
            return ids.clone();
        }
        let ids = self.vocabulary.ids_of(text);
        self.seen.insert(text.to_owned(), ids.clone());
        ids
    }

    /// Text that does not repeat (titles, comments): not remembered.
    fn add_once(&mut self, bag: &mut IdBag, text: &str, weight: f32) {
        let ids = self.vocabulary.ids_of(text);
        bag.add(&ids, weight);
    }

    fn add_bag(&mut self, bag: &mut IdBag, other: &Bag) {
        for (term, &w) in &other.terms {
            let id = self.vocabulary.id(term);
            bag.0.push((id, w));
        }
    }
}

/// The library's artists as the profiles see them: one slot per artist key (case, diacritics and
/// "feat." do not split an artist), found by display name without folding it again on every track.
#[derive(Default)]
struct Artists<'a> {
    by_name: HashMap<&'a str, usize>,
    by_key: HashMap<String, usize>,
    /// The first display name seen of each artist.
    names: Vec<String>,
    keys: Vec<String>,
    /// Each artist's imported user tags, as term ids.
    tags: Vec<IdBag>,
}

impl<'a> Artists<'a> {
    fn slot(
        &mut self,
        name: &'a str,
        cache: &mut TokenCache,
        tags: &HashMap<String, Vec<(String, f32)>>,
    ) -> usize {
        if let Some(&a) = self.by_name.get(name) {
            return a;
        }
        let key = artist_key(name);
        let a = match self.by_key.get(&key) {
            Some(&a) => a,
            None => {
                let mut tag_ids = IdBag::default();
                if let Some(t) = tags.get(&format!("a:{key}")) {
                    cache.add_bag(&mut tag_ids, &tag_bag(t, 2.0));
                }
                self.names.push(name.to_owned());
                self.keys.push(key.clone());
                self.tags.push(tag_ids);
                self.by_key.insert(key, self.names.len() - 1);
                self.names.len() - 1
            }
        };
        self.by_name.insert(name, a);
        a
    }
}

/// The text model of the library.
pub struct LibraryText {
    pub track_ids: Vec<i64>,
    /// Artist (display name) of each track, as an index into `artists`.
    pub track_artist: Vec<usize>,
    pub artists: Vec<String>,
    pub tracks: Corpus,
    pub artist_corpus: Corpus,
}

impl LibraryText {
    pub fn load(conn: &Connection) -> rusqlite::Result<Self> {
        Self::load_with(conn, true)
    }

    /// The track profiles only (the artist corpus left empty): what the recommender needs, in
    /// less time, since artist profiles merge every track's terms again.
    pub fn load_tracks(conn: &Connection) -> rusqlite::Result<Self> {
        Self::load_with(conn, false)
    }

    fn load_with(conn: &Connection, with_artists: bool) -> rusqlite::Result<Self> {
        let facts: Vec<TrackFacts> = conn
            .prepare(
                "SELECT id, path, title, artist, album, genre, composer, comment, year
                 FROM tracks WHERE missing = 0 ORDER BY id",
            )?
            .query_map([], |r| {
                Ok(TrackFacts {
                    id: r.get(0)?,
                    path: r.get(1)?,
                    title: r.get(2)?,
                    artist: r.get(3)?,
                    album: r.get(4)?,
                    genre: r.get(5)?,
                    composer: r.get(6)?,
                    comment: r.get(7)?,
                    year: r.get(8)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let sound: HashMap<i64, Vec<f32>> = crate::analysis::store::all_tags(conn)?
            .into_iter()
            .collect();
        let labels = crate::analysis::cnn::tag_labels();
        let tags = imported_tags(conn)?;

        let mut cache = TokenCache::default();
        // Interned once: the sound-tag labels, decade words per year, and each artist's slot and
        // imported tags (names and labels repeat on every track).
        let label_ids: Vec<Vec<u32>> = labels.iter().map(|l| cache.ids(l)).collect();
        let mut decades: HashMap<i64, [u32; 2]> = HashMap::new();
        let mut artists = Artists::default();
        let mut artist_bags: Vec<IdBag> = Vec::new();
        let mut artist_tracks: Vec<f32> = Vec::new();
        let mut track_bags = Vec::with_capacity(facts.len());
        let mut track_artist = Vec::with_capacity(facts.len());
        for f in &facts {
            let a = artists.slot(&f.artist, &mut cache, &tags);
            if a == artist_bags.len() {
                artist_bags.push(IdBag::default());
                artist_tracks.push(0.0);
            }
            // Everything but the title describes the artist too.
            let mut context = IdBag::default();
            cache.add(&mut context, &f.artist, 1.5);
            cache.add(&mut context, &f.album, 0.8);
            if let Some(genre) = &f.genre {
                cache.add(&mut context, genre, 2.0);
            }
            if let Some(composer) = &f.composer {
                cache.add(&mut context, composer, 0.8);
            }
            if let Some(comment) = &f.comment {
                cache.add_once(&mut context, comment, 0.3);
            }
            if let Some(year) = f.year.filter(|y| (1000..3000).contains(y)) {
                let ids = decades
                    .entry(year)
                    .or_insert_with(|| decade_terms(year).map(|t| cache.vocabulary.id(&t)));
                context.add(ids, 1.0);
            }
            let path = crate::library::path_text::to_path(&f.path);
            let folders = path.ancestors().skip(1).take(2);
            for folder in folders.filter_map(|p| p.file_name()) {
                cache.add(&mut context, &folder.to_string_lossy(), 0.3);
            }
            if let Some(probabilities) = sound.get(&f.id) {
                for (ids, &p) in label_ids.iter().zip(probabilities) {
                    if p >= MIN_TAG_PROBABILITY {
                        context.add(ids, 2.0 * p);
                    }
                }
            }
            context.extend(&artists.tags[a]);
            let mut bag = context.clone();
            cache.add_once(&mut bag, &f.title, 1.0);
            let title_tags = (!tags.is_empty())
                .then(|| {
                    tags.get(&format!(
                        "t:{}\u{1f}{}",
                        artists.keys[a],
                        title_key(&f.title)
                    ))
                })
                .flatten();
            if let Some(t) = title_tags {
                cache.add_bag(&mut bag, &tag_bag(t, 2.0));
            }
            track_bags.push(bag);
            if with_artists {
                artist_bags[a].extend(&context);
            }
            artist_tracks[a] += 1.0;
            track_artist.push(a);
        }
        // An artist's profile is the mean of their tracks' (prolific artists are not just longer).
        for (bag, n) in artist_bags.iter_mut().zip(&artist_tracks) {
            bag.finish();
            bag.0.iter_mut().for_each(|e| e.1 /= n);
        }
        let (track_terms, artist_terms) = if with_artists {
            (cache.vocabulary.clone(), cache.vocabulary)
        } else {
            (cache.vocabulary, Vocabulary::default())
        };
        Ok(LibraryText {
            track_ids: facts.iter().map(|f| f.id).collect(),
            track_artist,
            artists: artists.names,
            tracks: Corpus::from_ids(track_terms, track_bags),
            artist_corpus: Corpus::from_ids(artist_terms, artist_bags),
        })
    }

    /// Tracks ranked for a free-text query ("calm piano", "90s hip hop"), best first, with scores.
    pub fn search(&self, query: &str, k: usize) -> Vec<(i64, f32)> {
        let terms = expand_query(query);
        let scores = self.tracks.query(&terms);
        let mut ranked: Vec<(i64, f32)> = self
            .track_ids
            .iter()
            .zip(scores)
            .filter(|(_, s)| *s > 0.0)
            .map(|(&id, s)| (id, s))
            .collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked.truncate(k);
        ranked
    }

    /// Tracks ranked for a query by its words (BM25, as [`LibraryText::search`]) and its meaning
    /// (the cosine of `query_vector`, the query's sentence embedding, with each track's), fused by
    /// reciprocal rank: a query in Korean finds tracks tagged in English. Scores are the fused ones.
    pub fn search_with_meaning(
        &self,
        query: &str,
        k: usize,
        meaning: &TrackEmbeddings,
        query_vector: &[f32],
    ) -> Vec<(i64, f32)> {
        let words = self.tracks.query_discriminative(&expand_query(query));
        let cosines = meaning.cosines(&self.track_ids, query_vector);
        crate::text::search::fused(&words, &cosines, k)
            .into_iter()
            .map(|(i, score)| (self.track_ids[i], score))
            .collect()
    }

    /// Artists whose text is closest to `artist`'s, best first: the cosine of their BM25 profiles,
    /// blended with the cosine of their tracks' mean sentence embeddings when `meaning` holds them
    /// (`WORDS_WEIGHT` of the first, chosen on real tags).
    pub fn similar_artists(
        &self,
        artist: &str,
        k: usize,
        meaning: Option<&TrackEmbeddings>,
    ) -> Option<Vec<(String, f32)>> {
        let key = artist_key(artist);
        let me = self.artists.iter().position(|a| artist_key(a) == key)?;
        let vectors: Vec<TermVector> = (0..self.artists.len())
            .map(|a| self.artist_corpus.vector(a))
            .collect();
        let centroids = meaning.map(|m| self.artist_centroids(m));
        let mine = centroids.as_ref().and_then(|c| c[me].as_ref());
        let mut ranked: Vec<(String, f32)> = (0..self.artists.len())
            .filter(|&a| a != me)
            .map(|a| {
                let words = vectors[me].cosine(&vectors[a]);
                let theirs = centroids.as_ref().and_then(|c| c[a].as_ref());
                let score = match (mine, theirs) {
                    (Some(x), Some(y)) => {
                        let cos: f32 = x.iter().zip(y).map(|(p, q)| p * q).sum();
                        WORDS_WEIGHT * words + (1.0 - WORDS_WEIGHT) * cos
                    }
                    (Some(_), None) => WORDS_WEIGHT * words,
                    _ => words,
                };
                (self.artists[a].clone(), score)
            })
            .filter(|(_, s)| *s > 0.0)
            .collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked.truncate(k);
        Some(ranked)
    }

    /// Each artist's mean track embedding (unit length), if any of their tracks has one.
    fn artist_centroids(&self, meaning: &TrackEmbeddings) -> Vec<Option<Vec<f32>>> {
        let mut tracks: Vec<Vec<i64>> = vec![Vec::new(); self.artists.len()];
        for (&id, &a) in self.track_ids.iter().zip(&self.track_artist) {
            tracks[a].push(id);
        }
        tracks
            .into_iter()
            .map(|ids| meaning.centroid(ids))
            .collect()
    }

    /// The text vector of every track (for the recommender's "same scene" similarity).
    pub fn track_vectors(&self) -> Vec<TermVector> {
        (0..self.track_ids.len())
            .map(|d| self.tracks.vector(d))
            .collect()
    }
}

/// Query terms with their weights: the typed words, plus their sound-tag expansions at half weight.
pub fn expand_query(query: &str) -> Vec<(String, f32)> {
    let mut terms: Vec<(String, f32)> = Vec::new();
    let mut add = |t: &str, w: f32| match terms.iter_mut().find(|(x, _)| x == t) {
        Some((_, old)) => *old = old.max(w),
        None => terms.push((t.to_owned(), w)),
    };
    for word in super::tokenize::tokenize(query) {
        add(&word, 1.0);
        if let Some((_, more)) = EXPANSIONS.iter().find(|(w, _)| *w == word) {
            for m in *more {
                add(m, 0.5);
            }
        }
    }
    terms
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decades_and_moods_become_searchable_terms() {
        assert_eq!(decade_terms(1994), ["1990s".to_string(), "90s".to_string()]);
        assert_eq!(decade_terms(2003), ["2000s".to_string(), "00s".to_string()]);
        let terms = expand_query("Calm piano");
        assert!(terms.contains(&("calm".into(), 1.0)));
        assert!(terms.contains(&("piano".into(), 1.0)));
        assert!(terms.contains(&("mellow".into(), 0.5)));
    }
}
