//! Weighted term vectors: BM25 term weights (saturating term frequency, length-normalised, IDF over
//! the collection) as L2-normalised sparse vectors for cosine similarity, and BM25 scoring of a
//! query against every document.

use std::collections::{BTreeMap, HashMap};

use super::tokenize::tokenize;

/// Raw weighted term counts of one document (fields add their words with their own weight). Ordered,
/// so that term ids, and the sums taken in their order, are the same on every run.
#[derive(Debug, Clone, Default)]
pub struct Bag {
    pub terms: BTreeMap<String, f32>,
}

impl Bag {
    /// Adds every token of `text` with `weight`.
    pub fn add_text(&mut self, text: &str, weight: f32) {
        for token in tokenize(text) {
            *self.terms.entry(token).or_default() += weight;
        }
    }

    /// Adds one already-normalised term.
    pub fn add_term(&mut self, term: &str, weight: f32) {
        *self.terms.entry(term.to_owned()).or_default() += weight;
    }

    pub fn merge(&mut self, other: &Bag) {
        for (t, w) in &other.terms {
            *self.terms.entry(t.clone()).or_default() += w;
        }
    }
}

/// Term ids, given out in order of first sight.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    ids: HashMap<String, u32>,
}

impl Vocabulary {
    /// The id of `term`, new if it was not seen before.
    pub fn id(&mut self, term: &str) -> u32 {
        if let Some(&id) = self.ids.get(term) {
            return id;
        }
        let id = self.ids.len() as u32;
        self.ids.insert(term.to_owned(), id);
        id
    }

    /// Ids of every token of `text`.
    pub fn ids_of(&mut self, text: &str) -> Vec<u32> {
        tokenize(text).iter().map(|t| self.id(t)).collect()
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}

/// Weighted term ids of one document: cheap to fill and merge (no strings, no hashing); `finish`
/// sorts it and adds up repeated terms.
#[derive(Debug, Clone, Default)]
pub struct IdBag(pub Vec<(u32, f32)>);

impl IdBag {
    pub fn add(&mut self, ids: &[u32], weight: f32) {
        self.0.extend(ids.iter().map(|&id| (id, weight)));
    }

    pub fn extend(&mut self, other: &IdBag) {
        self.0.extend_from_slice(&other.0);
    }

    /// Sorted by id, one entry per term, positive weights only.
    pub fn finish(&mut self) {
        self.0.sort_unstable_by_key(|e| e.0);
        let mut out: Vec<(u32, f32)> = Vec::with_capacity(self.0.len());
        for &(id, w) in &self.0 {
            match out.last_mut() {
                Some(last) if last.0 == id => last.1 += w,
                _ => out.push((id, w)),
            }
        }
        out.retain(|e| e.1 > 0.0);
        self.0 = out;
    }
}

/// A sparse vector over a corpus vocabulary, sorted by term id, L2-normalised.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TermVector(pub Vec<(u32, f32)>);

impl TermVector {
    pub fn cosine(&self, other: &TermVector) -> f32 {
        let (mut i, mut j, mut sum) = (0, 0, 0.0);
        let (a, b) = (&self.0, &other.0);
        while i < a.len() && j < b.len() {
            match a[i].0.cmp(&b[j].0) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    sum += a[i].1 * b[j].1;
                    i += 1;
                    j += 1;
                }
            }
        }
        sum
    }
}

const K1: f32 = 1.2;
const B: f32 = 0.75;

/// A collection of documents with its vocabulary and statistics.
#[derive(Debug, Clone, Default)]
pub struct Corpus {
    vocabulary: HashMap<String, u32>,
    /// Documents holding each term.
    df: Vec<u32>,
    docs: Vec<Vec<(u32, f32)>>,
    lengths: Vec<f32>,
    mean_length: f32,
}

impl Corpus {
    pub fn new(bags: &[Bag]) -> Self {
        let mut vocabulary = Vocabulary::default();
        let id_bags = bags
            .iter()
            .map(|bag| {
                let mut ids = IdBag(
                    bag.terms
                        .iter()
                        .map(|(t, &w)| (vocabulary.id(t), w))
                        .collect(),
                );
                ids.finish();
                ids
            })
            .collect();
        Self::from_ids(vocabulary, id_bags)
    }

    /// A corpus of documents already turned into term ids of `vocabulary`.
    pub fn from_ids(vocabulary: Vocabulary, mut bags: Vec<IdBag>) -> Self {
        let mut df = vec![0u32; vocabulary.len()];
        let mut lengths = Vec::with_capacity(bags.len());
        let mut docs = Vec::with_capacity(bags.len());
        for bag in &mut bags {
            bag.finish();
            for &(id, _) in &bag.0 {
                df[id as usize] += 1;
            }
            lengths.push(bag.0.iter().map(|e| e.1).sum::<f32>());
            docs.push(std::mem::take(&mut bag.0));
        }
        let mean_length = lengths.iter().sum::<f32>() / docs.len().max(1) as f32;
        Corpus {
            vocabulary: vocabulary.ids,
            df,
            docs,
            lengths,
            mean_length,
        }
    }

    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    fn idf(&self, term: u32) -> f32 {
        let n = self.docs.len() as f32;
        let df = self.df[term as usize] as f32;
        ((n - df + 0.5) / (df + 0.5) + 1.0).ln()
    }

    fn bm25(&self, doc: usize, tf: f32) -> f32 {
        let norm = K1 * (1.0 - B + B * self.lengths[doc] / self.mean_length.max(f32::MIN_POSITIVE));
        tf * (K1 + 1.0) / (tf + norm)
    }

    /// The BM25-weighted, L2-normalised vector of document `doc`.
    pub fn vector(&self, doc: usize) -> TermVector {
        let mut v: Vec<(u32, f32)> = self.docs[doc]
            .iter()
            .map(|&(t, tf)| (t, self.bm25(doc, tf) * self.idf(t)))
            .collect();
        let norm = v.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
        if norm > 0.0 {
            v.iter_mut().for_each(|(_, w)| *w /= norm);
        }
        TermVector(v)
    }

    /// BM25 score of every document for weighted query terms (unknown terms score nothing).
    pub fn query(&self, terms: &[(String, f32)]) -> Vec<f32> {
        self.score(terms, false)
    }

    /// As [`Corpus::query`], leaving out terms that most documents hold ("music" when every file
    /// lives under ~/Music): they cannot tell documents apart, and when this ranking is fused with
    /// another, a near-tie over every document would count as much as a real match.
    pub fn query_discriminative(&self, terms: &[(String, f32)]) -> Vec<f32> {
        self.score(terms, true)
    }

    fn score(&self, terms: &[(String, f32)], discriminative: bool) -> Vec<f32> {
        let half = self.docs.len() as u32 / 2;
        let ids: Vec<(u32, f32)> = terms
            .iter()
            .filter_map(|(t, w)| self.vocabulary.get(t).map(|&id| (id, *w)))
            .filter(|&(id, _)| !discriminative || self.df[id as usize] <= half)
            .collect();
        (0..self.docs.len())
            .map(|d| {
                let doc = &self.docs[d];
                ids.iter()
                    .filter_map(|&(id, w)| {
                        doc.binary_search_by_key(&id, |&(t, _)| t)
                            .ok()
                            .map(|at| w * self.idf(id) * self.bm25(d, doc[at].1))
                    })
                    .sum()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bag(text: &str) -> Bag {
        let mut b = Bag::default();
        b.add_text(text, 1.0);
        b
    }

    #[test]
    fn shared_rare_words_make_documents_similar() {
        let corpus = Corpus::new(&[
            bag("ambient drone music"),
            bag("ambient drone soundscape music"),
            bag("punk rock music"),
        ]);
        let v: Vec<TermVector> = (0..3).map(|d| corpus.vector(d)).collect();
        assert!((v[0].cosine(&v[0]) - 1.0).abs() < 1e-5);
        assert!(v[0].cosine(&v[1]) > v[0].cosine(&v[2]) + 0.3);
        let scores = corpus.query(&[("drone".into(), 1.0)]);
        assert!(scores[0] > 0.0 && scores[1] > 0.0 && scores[2] == 0.0);
        // The shorter document that matches ranks higher (length normalisation).
        assert!(scores[0] > scores[1]);
    }

    #[test]
    fn a_term_most_documents_hold_does_not_rank_for_fusion() {
        let corpus = Corpus::new(&[bag("music piano"), bag("music drums"), bag("music voice")]);
        let terms = [("music".to_owned(), 1.0), ("piano".to_owned(), 1.0)];
        assert!(corpus.query(&terms).iter().all(|&s| s > 0.0));
        let fused = corpus.query_discriminative(&terms);
        assert!(
            fused[0] > 0.0 && fused[1] == 0.0 && fused[2] == 0.0,
            "{fused:?}"
        );
    }

    #[test]
    fn the_same_documents_give_the_same_vectors_every_time() {
        // Built twice from scratch (as two runs of the app would): same term ids, same bits.
        let texts = [
            "ambient drone music for late nights",
            "dub techno with deep chords and tape hiss",
            "Кино группа крови 坂本龍一 ambient",
        ];
        let build = || {
            let bags: Vec<Bag> = texts.iter().map(|t| bag(t)).collect();
            let corpus = Corpus::new(&bags);
            (0..texts.len())
                .map(|d| corpus.vector(d))
                .collect::<Vec<_>>()
        };
        let first = build();
        for _ in 0..5 {
            assert_eq!(build(), first);
        }
    }
}
