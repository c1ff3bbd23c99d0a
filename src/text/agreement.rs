//! How far text similarity of artists (their imported tags, as BM25 vectors) agrees with
//! co-listening similarity (cosine of their listeners in the shared data): the check that the
//! metadata model captures taste, not noise. Used by the benchmarks (`sonare cf text-agreement`).

use std::collections::HashMap;

use rusqlite::Connection;
use serde::Serialize;

use super::profile::tag_bag;
use super::vectors::Corpus;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Agreement {
    /// Artists with both tags and listeners.
    pub artists: usize,
    pub k: usize,
    /// Share of an artist's k nearest by text that are among its k nearest by co-listening.
    pub precision: f64,
    /// The same share for k artists drawn at random.
    pub chance: f64,
    /// Mean co-listening cosine of an artist and its k nearest by text …
    pub colisten_cosine_text_neighbours: f64,
    /// … and of an artist and k random artists.
    pub colisten_cosine_random: f64,
}

/// Top `k` by value, excluding `me`.
fn top(scores: &HashMap<usize, f64>, me: usize, k: usize) -> Vec<usize> {
    let mut v: Vec<(usize, f64)> = scores
        .iter()
        .filter(|(&j, &s)| j != me && s > 0.0)
        .map(|(&j, &s)| (j, s))
        .collect();
    v.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    v.into_iter().take(k).map(|(j, _)| j).collect()
}

pub fn artist_agreement(conn: &Connection, k: usize) -> rusqlite::Result<Agreement> {
    // Tags per artist item.
    let mut tags: HashMap<i64, Vec<(String, f32)>> = HashMap::new();
    let mut stmt = conn.prepare(
        "SELECT g.item_id, g.tag, g.weight FROM item_tags g JOIN ext_items e ON e.id = g.item_id
         WHERE e.kind = 'artist'",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        tags.entry(r.get(0)?)
            .or_default()
            .push((r.get(1)?, r.get::<_, f64>(2)? as f32));
    }
    // Listeners per artist (log-damped counts), only for tagged artists.
    let mut index: HashMap<i64, usize> = HashMap::new();
    let mut ids: Vec<i64> = Vec::new();
    let mut listeners: HashMap<i64, Vec<(usize, f64)>> = HashMap::new();
    let mut stmt = conn.prepare("SELECT user_id, item_id, weight FROM shared_interactions")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let (user, item, w): (i64, i64, f64) = (r.get(0)?, r.get(1)?, r.get(2)?);
        if !tags.contains_key(&item) {
            continue;
        }
        let a = *index.entry(item).or_insert_with(|| {
            ids.push(item);
            ids.len() - 1
        });
        listeners.entry(user).or_default().push((a, (1.0 + w).ln()));
    }
    let n = ids.len();
    let mut norm = vec![0f64; n];
    for list in listeners.values() {
        for &(a, w) in list {
            norm[a] += w * w;
        }
    }
    let mut by_artist: Vec<Vec<(i64, f64)>> = vec![Vec::new(); n];
    for (&user, list) in &listeners {
        for &(a, w) in list {
            by_artist[a].push((user, w));
        }
    }
    let colisten = |a: usize| -> HashMap<usize, f64> {
        let mut acc: HashMap<usize, f64> = HashMap::new();
        for &(user, wa) in &by_artist[a] {
            for &(b, wb) in &listeners[&user] {
                *acc.entry(b).or_default() += wa * wb;
            }
        }
        for (b, s) in acc.iter_mut() {
            *s /= (norm[a] * norm[*b]).sqrt().max(f64::MIN_POSITIVE);
        }
        acc
    };
    // Text vectors and an inverted index over their terms.
    let bags: Vec<_> = ids.iter().map(|id| tag_bag(&tags[id], 1.0)).collect();
    let corpus = Corpus::new(&bags);
    let vectors: Vec<_> = (0..n).map(|a| corpus.vector(a)).collect();
    let mut postings: HashMap<u32, Vec<(usize, f32)>> = HashMap::new();
    for (a, v) in vectors.iter().enumerate() {
        for &(t, w) in &v.0 {
            postings.entry(t).or_default().push((a, w));
        }
    }
    let mut rng = fastrand::Rng::with_seed(11);
    let (mut precision, mut cos_text, mut cos_random, mut counted) = (0.0, 0.0, 0.0, 0usize);
    for (a, vector) in vectors.iter().enumerate() {
        let mut text: HashMap<usize, f64> = HashMap::new();
        for &(t, w) in &vector.0 {
            for &(b, wb) in &postings[&t] {
                *text.entry(b).or_default() += (w * wb) as f64;
            }
        }
        let by_text = top(&text, a, k);
        let co = colisten(a);
        let by_listen = top(&co, a, k);
        if by_text.is_empty() || by_listen.is_empty() || n < 2 {
            continue;
        }
        counted += 1;
        precision += by_text.iter().filter(|b| by_listen.contains(b)).count() as f64 / k as f64;
        cos_text += by_text
            .iter()
            .map(|b| co.get(b).copied().unwrap_or(0.0))
            .sum::<f64>()
            / by_text.len() as f64;
        let random: Vec<usize> = (0..k)
            .map(|_| {
                let b = rng.usize(0..n - 1);
                if b >= a {
                    b + 1
                } else {
                    b
                }
            })
            .collect();
        cos_random += random
            .iter()
            .map(|b| co.get(b).copied().unwrap_or(0.0))
            .sum::<f64>()
            / k as f64;
    }
    let c = counted.max(1) as f64;
    Ok(Agreement {
        artists: counted,
        k,
        precision: precision / c,
        chance: if n > 1 {
            (k as f64 / (n - 1) as f64).min(1.0)
        } else {
            0.0
        },
        colisten_cosine_text_neighbours: cos_text / c,
        colisten_cosine_random: cos_random / c,
    })
}
