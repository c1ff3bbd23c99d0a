//! The text models on real tags (issue 19), from `../shared/data/cf-dev/` (HetRec 2011 Last.fm:
//! free-text tags in many languages and the co-listening of 1,892 listeners).
//!
//! 1. Agreement: how often an artist's 10 nearest by text are among its 10 nearest by co-listening,
//!    for BM25 alone, the sentence embedding alone and both (`α·BM25 cosine + (1 − α)·embedding
//!    cosine`). The artists are split in two halves (seed 19): the document format and α are chosen
//!    on the validation half and reported on the test half, with the standard error over artists.
//! 2. Cross-lingual retrieval: the hand-written queries of `benches/data/text_queries.tsv` (Korean,
//!    Japanese, English, Spanish) against every tagged artist; an artist is relevant when one of the
//!    query's tags is among its five most given. Precision@10 for BM25, embedding and both (fused
//!    by reciprocal rank, as "Find by words" does).
//! 3. Speed: texts per second on one core.
//!
//! Run: `cargo bench --bench text_models` (fetches the model into target/test-cache/models unless
//! `SONARE_TEXT_MODEL` names it; skips when the cf-dev data is missing).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use ndarray::{s, Array2, Axis};
use sonare::text::embed::SentenceModel;
use sonare::text::profile::{expand_query, tag_bag};
use sonare::text::search::reciprocal_rank_fusion;
use sonare::text::vectors::Corpus;

const K: usize = 10;
const ALPHAS: [f32; 12] = [0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0];

fn lines(path: &Path) -> Vec<String> {
    let out = std::process::Command::new("zcat")
        .arg(path)
        .output()
        .expect("zcat");
    String::from_utf8(out.stdout)
        .expect("UTF-8")
        .lines()
        .skip(1)
        .map(str::to_owned)
        .collect()
}

fn model_dir(repo: &Path) -> PathBuf {
    if let Some(dir) = std::env::var_os("SONARE_TEXT_MODEL") {
        return dir.into();
    }
    let out = std::process::Command::new(repo.join("scripts/fetch_text_model.sh"))
        .arg(repo.join("target/test-cache/models"))
        .output()
        .expect("scripts/fetch_text_model.sh");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    PathBuf::from(String::from_utf8_lossy(&out.stdout).trim())
}

/// Mean and standard error.
fn mean_se(values: &[f64]) -> (f64, f64) {
    let n = values.len().max(1) as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0).max(1.0);
    (mean, (var / n).sqrt())
}

/// The `k` best indices of `scores` other than `me`, best first (only positive scores when
/// `positive`).
fn top(scores: &[f32], me: usize, k: usize, positive: bool) -> Vec<usize> {
    let mut v: Vec<(usize, f32)> = scores
        .iter()
        .enumerate()
        .filter(|&(j, &s)| j != me && (!positive || s > 0.0))
        .map(|(j, &s)| (j, s))
        .collect();
    let by = |a: &(usize, f32), b: &(usize, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
    if v.len() > k {
        v.select_nth_unstable_by(k, by);
        v.truncate(k);
    }
    v.sort_by(by);
    v.into_iter().map(|(j, _)| j).collect()
}

struct Artists {
    ids: Vec<u32>,
    names: Vec<String>,
    /// Tags by count, most given first.
    tags: Vec<Vec<(String, u32)>>,
}

/// The three document formats tried for an artist's embedding.
#[derive(Clone, Copy, Debug)]
enum Format {
    /// "rock, indie, british, …": the ten most given tags.
    TagList,
    /// The count-weighted mean of each tag's own embedding (twenty most given).
    TagMean,
    /// "Name: rock, indie, …".
    NameAndTags,
}

const FORMATS: [Format; 3] = [Format::TagList, Format::TagMean, Format::NameAndTags];

fn tag_list(tags: &[(String, u32)]) -> String {
    tags.iter()
        .take(10)
        .map(|t| t.0.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn embed_artists(model: &SentenceModel, a: &Artists, format: Format) -> Array2<f32> {
    match format {
        Format::TagList => {
            let docs: Vec<String> = a.tags.iter().map(|t| tag_list(t)).collect();
            model.embed(&docs)
        }
        Format::NameAndTags => {
            let docs: Vec<String> = a
                .names
                .iter()
                .zip(&a.tags)
                .map(|(n, t)| format!("{n}: {}", tag_list(t)))
                .collect();
            model.embed(&docs)
        }
        Format::TagMean => {
            let mut vocabulary: HashMap<&str, usize> = HashMap::new();
            for t in a.tags.iter().flat_map(|t| t.iter().take(20)) {
                let next = vocabulary.len();
                vocabulary.entry(t.0.as_str()).or_insert(next);
            }
            let mut words = vec![""; vocabulary.len()];
            for (w, &i) in &vocabulary {
                words[i] = w;
            }
            let tag_vectors = model.embed(&words);
            let mut out = Array2::zeros((a.tags.len(), tag_vectors.ncols()));
            for (mut row, tags) in out.rows_mut().into_iter().zip(&a.tags) {
                for (tag, count) in tags.iter().take(20) {
                    row.scaled_add(*count as f32, &tag_vectors.row(vocabulary[tag.as_str()]));
                }
                let norm = row.dot(&row).sqrt().max(1e-9);
                row /= norm;
            }
            out
        }
    }
}

fn main() {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let data = repo.join("../shared/data/cf-dev");
    if !data.join("hetrec-artist-tags.tsv.gz").exists() {
        println!("text_models: {} is missing: skipped", data.display());
        return;
    }
    let started = Instant::now();
    let model = SentenceModel::load(&model_dir(&repo)).expect("the sentence model");
    println!("model loaded in {:.2} s", started.elapsed().as_secs_f64());

    let names: HashMap<u32, String> = lines(&data.join("hetrec-artists.tsv.gz"))
        .into_iter()
        .filter_map(|l| {
            let (id, name) = l.split_once('\t')?;
            Some((id.parse().ok()?, name.to_owned()))
        })
        .collect();
    let mut tags: HashMap<u32, Vec<(String, u32)>> = HashMap::new();
    for l in lines(&data.join("hetrec-artist-tags.tsv.gz")) {
        let f: Vec<&str> = l.split('\t').collect();
        if let [id, tag, count] = f[..] {
            tags.entry(id.parse().unwrap())
                .or_default()
                .push((tag.to_owned(), count.parse().unwrap()));
        }
    }
    let mut plays: Vec<(u32, u32, f64)> = Vec::new();
    for l in lines(&data.join("hetrec-train.tsv.gz")) {
        let f: Vec<&str> = l.split('\t').collect();
        if let [user, artist, n] = f[..] {
            plays.push((
                user.parse().unwrap(),
                artist.parse().unwrap(),
                n.parse().unwrap(),
            ));
        }
    }
    // Every tagged artist is a document; the agreement is measured on those with listeners too.
    let mut ids: Vec<u32> = tags.keys().copied().collect();
    ids.sort_unstable();
    let artists = Artists {
        names: ids
            .iter()
            .map(|id| names.get(id).cloned().unwrap_or_default())
            .collect(),
        tags: ids
            .iter()
            .map(|id| {
                let mut t = tags[id].clone();
                t.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
                t
            })
            .collect(),
        ids,
    };
    let n = artists.ids.len();
    let index: HashMap<u32, usize> = artists
        .ids
        .iter()
        .enumerate()
        .map(|(i, &id)| (id, i))
        .collect();

    // Co-listening: cosine of log-damped play counts over listeners.
    let mut by_user: HashMap<u32, Vec<(usize, f64)>> = HashMap::new();
    for &(user, artist, count) in &plays {
        if let Some(&a) = index.get(&artist) {
            by_user
                .entry(user)
                .or_default()
                .push((a, (1.0 + count).ln()));
        }
    }
    let mut listeners: Vec<Vec<(u32, f64)>> = vec![Vec::new(); n];
    let mut norm = vec![0f64; n];
    for (&user, list) in &by_user {
        for &(a, w) in list {
            listeners[a].push((user, w));
            norm[a] += w * w;
        }
    }
    let mut colisten_top: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut acc = vec![0f32; n];
    for a in 0..n {
        acc.iter_mut().for_each(|v| *v = 0.0);
        for &(user, wa) in &listeners[a] {
            for &(b, wb) in &by_user[&user] {
                acc[b] += (wa * wb / (norm[a] * norm[b]).sqrt()) as f32;
            }
        }
        colisten_top[a] = top(&acc, a, K, true);
    }
    // Artists measured: tags, listeners and at least one co-listened neighbour; halves by seed.
    let mut measured: Vec<usize> = (0..n).filter(|&a| !colisten_top[a].is_empty()).collect();
    fastrand::Rng::with_seed(19).shuffle(&mut measured);
    let half = measured.len() / 2;
    let (validation, test) = measured.split_at(half);
    println!(
        "{n} tagged artists, {} with co-listened neighbours: {} validation, {} test; chance {:.4}",
        measured.len(),
        validation.len(),
        test.len(),
        K as f64 / (n - 1) as f64
    );

    // BM25 over the tags (weights scaled to the artist's most given tag, as the app imports them).
    let bags: Vec<_> = artists
        .tags
        .iter()
        .map(|t| {
            let max = t.iter().map(|e| e.1).max().unwrap_or(1).max(1) as f32;
            let scaled: Vec<(String, f32)> = t
                .iter()
                .map(|(s, c)| (s.clone(), *c as f32 / max))
                .collect();
            tag_bag(&scaled, 1.0)
        })
        .collect();
    let corpus = Corpus::new(&bags);
    let vectors: Vec<_> = (0..n).map(|a| corpus.vector(a)).collect();
    let mut postings: HashMap<u32, Vec<(usize, f32)>> = HashMap::new();
    for (a, v) in vectors.iter().enumerate() {
        for &(t, w) in &v.0 {
            postings.entry(t).or_default().push((a, w));
        }
    }
    let bm25_row = |a: usize, row: &mut Vec<f32>| {
        row.iter_mut().for_each(|v| *v = 0.0);
        for &(t, w) in &vectors[a].0 {
            for &(b, wb) in &postings[&t] {
                row[b] += w * wb;
            }
        }
    };

    // Embeddings of every format, timed (one core: ndarray's GEMM is single-threaded here).
    let mut embeddings = Vec::new();
    for format in FORMATS {
        let started = Instant::now();
        let e = embed_artists(&model, &artists, format);
        let secs = started.elapsed().as_secs_f64();
        println!("embedded {n} artists as {format:?} in {secs:.1} s");
        embeddings.push(e);
    }
    let docs: Vec<String> = artists.tags.iter().map(|t| tag_list(t)).collect();
    let started = Instant::now();
    let _ = model.embed(&docs[..2000]);
    let speed = 2000.0 / started.elapsed().as_secs_f64();
    let lengths: Vec<usize> = docs[..2000]
        .iter()
        .map(|d| model.tokenizer().encode(d).len())
        .collect();
    println!(
        "speed: {speed:.0} texts/s on one core (ten-tag lists, {:.1} tokens on average)",
        lengths.iter().sum::<usize>() as f64 / lengths.len() as f64
    );

    // Agreement per artist, per format and α, on both halves.
    let in_validation: Vec<bool> = {
        let mut v = vec![false; n];
        validation.iter().for_each(|&a| v[a] = true);
        v
    };
    // precision[format][alpha] → per-artist values (validation, test)
    let mut scores: Vec<Vec<(Vec<f64>, Vec<f64>)>> =
        vec![vec![(Vec::new(), Vec::new()); ALPHAS.len()]; FORMATS.len()];
    let mut bm25 = vec![0f32; n];
    let mut blend = vec![0f32; n];
    for block in measured.chunks(256) {
        for (f, e) in embeddings.iter().enumerate() {
            let rows = e.select(Axis(0), block);
            let cos = rows.dot(&e.t());
            for (r, &a) in block.iter().enumerate() {
                bm25_row(a, &mut bm25);
                let emb = cos.slice(s![r, ..]);
                for (i, &alpha) in ALPHAS.iter().enumerate() {
                    if f > 0 && alpha == 1.0 {
                        continue; // BM25 alone is the same for every format
                    }
                    for ((b, &x), &y) in blend.iter_mut().zip(&bm25).zip(emb.iter()) {
                        *b = alpha * x + (1.0 - alpha) * y;
                    }
                    let by_text = top(&blend, a, K, alpha == 1.0);
                    let hits = by_text
                        .iter()
                        .filter(|b| colisten_top[a].contains(b))
                        .count();
                    let p = hits as f64 / K as f64;
                    let slot = &mut scores[f][i];
                    if in_validation[a] {
                        slot.0.push(p)
                    } else {
                        slot.1.push(p)
                    }
                }
            }
        }
    }
    println!("\nagreement (precision@10 of text neighbours among co-listening neighbours)");
    println!("| format | α | validation ± s.e. | test ± s.e. |");
    println!("|---|---|---|---|");
    let mut best = (0usize, 0usize, f64::MIN);
    let mut best_emb = (0usize, f64::MIN);
    for (f, format) in FORMATS.iter().enumerate() {
        for (i, &alpha) in ALPHAS.iter().enumerate() {
            let (v, t) = &scores[f][i];
            if v.is_empty() {
                continue;
            }
            let (vm, vs) = mean_se(v);
            let (tm, ts) = mean_se(t);
            println!("| {format:?} | {alpha} | {vm:.4} ± {vs:.4} | {tm:.4} ± {ts:.4} |");
            if vm > best.2 && alpha < 1.0 && alpha > 0.0 {
                best = (f, i, vm);
            }
            if alpha == 0.0 && vm > best_emb.1 {
                best_emb = (f, vm);
            }
        }
    }
    let chance = K as f64 / (n - 1) as f64;
    let report = |label: &str, f: usize, i: usize| {
        let (tm, ts) = mean_se(&scores[f][i].1);
        println!(
            "| {label} | {:?}, α {} | {tm:.4} ± {ts:.4} | {:.0}× |",
            FORMATS[f],
            ALPHAS[i],
            tm / chance
        );
        scores[f][i].1.clone()
    };
    println!(
        "\nchosen on validation, measured on the test half ({} artists):",
        test.len()
    );
    println!("| text | choice | precision@10 ± s.e. | × chance |");
    println!("|---|---|---|---|");
    let bm25_alone = report("BM25 alone", 0, ALPHAS.len() - 1);
    let emb_alone = report("embedding alone", best_emb.0, 0);
    let both = report("both", best.0, best.1);
    let diff: Vec<f64> = both.iter().zip(&bm25_alone).map(|(a, b)| a - b).collect();
    let (dm, ds) = mean_se(&diff);
    println!("both − BM25 alone, paired: {dm:+.4} ± {ds:.4}");
    let diff: Vec<f64> = emb_alone
        .iter()
        .zip(&bm25_alone)
        .map(|(a, b)| a - b)
        .collect();
    let (dm, ds) = mean_se(&diff);
    println!("embedding − BM25 alone, paired: {dm:+.4} ± {ds:.4}");

    // Cross-lingual retrieval.
    let queries = std::fs::read_to_string(repo.join("benches/data/text_queries.tsv")).unwrap();
    let queries: Vec<(String, String, Vec<String>)> = queries
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("lang\t"))
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            let tags = f.get(2)?.split(',').map(str::to_owned).collect();
            Some((f[0].to_owned(), f[1].to_owned(), tags))
        })
        .collect();
    let texts: Vec<&str> = queries.iter().map(|q| q.1.as_str()).collect();
    let q = model.embed(&texts);
    // Twelve concepts of four queries each: the first six help choose the document format, the
    // last six report.
    let choosing = |qi: usize| qi < queries.len() / 2;
    let relevant_to = |qi: usize, a: usize| {
        artists.tags[a]
            .iter()
            .take(5)
            .any(|(t, _)| queries[qi].2.iter().any(|r| r == t))
    };
    let lexical: Vec<Vec<f32>> = queries
        .iter()
        .map(|(_, query, _)| corpus.query_discriminative(&expand_query(query)))
        .collect();
    let mut by_format: Vec<[Vec<f64>; 2]> = vec![Default::default(); FORMATS.len()];
    for (f, e) in embeddings.iter().enumerate() {
        for qi in 0..queries.len() {
            let cos: Vec<f32> = e.dot(&q.row(qi)).to_vec();
            let fused = reciprocal_rank_fusion(&lexical[qi], &cos, K);
            let p = fused.iter().filter(|&&a| relevant_to(qi, a)).count() as f64 / K as f64;
            by_format[f][usize::from(!choosing(qi))].push(p);
        }
    }
    println!("\ncross-lingual precision@10 of words + meaning (RRF), by document format");
    println!("| format | agreement (both, best α, validation) | choosing half (24 queries) | reporting half (24 queries) |");
    println!("|---|---|---|---|");
    let best_alpha_of = |f: usize| {
        (0..ALPHAS.len() - 1)
            .map(|i| mean_se(&scores[f][i].0))
            .fold((0.0, 0.0), |b, x| if x.0 > b.0 { x } else { b })
    };
    for (f, format) in FORMATS.iter().enumerate() {
        let (am, as_) = best_alpha_of(f);
        let (cm, cs) = mean_se(&by_format[f][0]);
        let (rm, rs) = mean_se(&by_format[f][1]);
        println!("| {format:?} | {am:.4} ± {as_:.4} | {cm:.3} ± {cs:.3} | {rm:.3} ± {rs:.3} |");
    }
    // The app stores one document per track: among the formats whose agreement is within one
    // standard error of the best, the one that retrieves best across languages on the choosing half.
    let (top_agreement, top_se) = best_alpha_of(best.0);
    let app_format = (0..FORMATS.len())
        .filter(|&f| best_alpha_of(f).0 >= top_agreement - top_se)
        .max_by(|&a, &b| {
            mean_se(&by_format[a][0])
                .0
                .total_cmp(&mean_se(&by_format[b][0]).0)
        })
        .unwrap_or(best.0);
    println!("the app's documents: {:?}", FORMATS[app_format]);
    // The app blends words and meaning with α = WORDS_WEIGHT on these documents.
    let app_alpha = ALPHAS
        .iter()
        .position(|&a| a == sonare::text::profile::WORDS_WEIGHT)
        .expect("WORDS_WEIGHT is on the grid");
    let app_scores = &scores[app_format][app_alpha].1;
    let (am, as_) = mean_se(app_scores);
    let paired: Vec<f64> = app_scores
        .iter()
        .zip(&bm25_alone)
        .map(|(a, b)| a - b)
        .collect();
    let (pm, ps) = mean_se(&paired);
    println!(
        "the app ({:?}, α {}) on the test half: {am:.4} ± {as_:.4} ({:.0}× chance); minus BM25 alone, paired: {pm:+.4} ± {ps:.4}",
        FORMATS[app_format],
        ALPHAS[app_alpha],
        am / chance
    );
    let e = &embeddings[app_format];
    let mut by_lang: HashMap<&str, [Vec<f64>; 3]> = HashMap::new();
    let mut all: [Vec<f64>; 3] = Default::default();
    let mut reported: [Vec<f64>; 3] = Default::default();
    for (qi, (lang, _, _)) in queries.iter().enumerate() {
        let cos: Vec<f32> = e.dot(&q.row(qi)).to_vec();
        let by_bm25 = top(&lexical[qi], usize::MAX, K, true);
        let by_emb = top(&cos, usize::MAX, K, false);
        let fused = reciprocal_rank_fusion(&lexical[qi], &cos, K);
        for (m, list) in [by_bm25, by_emb, fused].iter().enumerate() {
            let p = list.iter().filter(|&&a| relevant_to(qi, a)).count() as f64 / K as f64;
            by_lang.entry(lang.as_str()).or_default()[m].push(p);
            all[m].push(p);
            if !choosing(qi) {
                reported[m].push(p);
            }
        }
    }
    println!(
        "\ncross-lingual retrieval, precision@10 ± s.e. ({} queries)",
        queries.len()
    );
    println!("| queries | BM25 | embedding | both (RRF) |");
    println!("|---|---|---|---|");
    let mut langs: Vec<_> = by_lang.keys().copied().collect();
    langs.sort_unstable();
    let row = |label: &str, m: &[Vec<f64>; 3]| {
        let cells: Vec<String> = m
            .iter()
            .map(|v| {
                let (mean, se) = mean_se(v);
                format!("{mean:.3} ± {se:.3}")
            })
            .collect();
        println!("| {label} ({}) | {} |", m[0].len(), cells.join(" | "));
    };
    for lang in langs {
        row(lang, &by_lang[lang]);
    }
    row("all", &all);
    row("reporting half", &reported);
}
