//! Fusing the two rankings of "Find by words": BM25 over the words of the library's texts, and the
//! sentence embedding's cosine (which matches meaning across languages). Reciprocal rank fusion
//! (Cormack, Clarke and Büttcher, SIGIR 2009) needs no weight between scores of different scales,
//! and its constant 60 is the paper's, not tuned here.

/// The constant of reciprocal rank fusion: a document ranked r-th in a list scores 1 / (60 + r).
pub const RRF_K: f32 = 60.0;

/// How deep each list is read before fusing: beyond this, a rank adds next to nothing.
const DEPTH: usize = 200;

/// Indices of the `k` best documents by `lexical` scores (only positive ones rank) and `semantic`
/// scores fused by reciprocal rank, best first. Ties go to the lower index.
pub fn reciprocal_rank_fusion(lexical: &[f32], semantic: &[f32], k: usize) -> Vec<usize> {
    fused(lexical, semantic, k)
        .into_iter()
        .map(|(i, _)| i)
        .collect()
}

/// As [`reciprocal_rank_fusion`], with the fused scores. Ties (a document first by words alone
/// against one first by meaning alone, as while a library's texts are still being embedded) go to
/// the better match by words, then to the lower index.
pub fn fused(lexical: &[f32], semantic: &[f32], k: usize) -> Vec<(usize, f32)> {
    // Per document: fused score, rank by words (usize::MAX when none).
    let mut score: std::collections::HashMap<usize, (f32, usize)> =
        std::collections::HashMap::new();
    let depth = DEPTH.max(k);
    for (list, by_words) in [(lexical, true), (semantic, false)] {
        for (rank, i) in ranked(list, depth, by_words).into_iter().enumerate() {
            let entry = score.entry(i).or_insert((0.0, usize::MAX));
            entry.0 += 1.0 / (RRF_K + rank as f32 + 1.0);
            if by_words {
                entry.1 = rank;
            }
        }
    }
    let mut out: Vec<(usize, (f32, usize))> = score.into_iter().collect();
    out.sort_by(|(i, (s, r)), (j, (t, q))| t.total_cmp(s).then(r.cmp(q)).then(i.cmp(j)));
    out.truncate(k);
    out.into_iter().map(|(i, (s, _))| (i, s)).collect()
}

/// The `depth` best indices of `scores`, best first.
fn ranked(scores: &[f32], depth: usize, positive_only: bool) -> Vec<usize> {
    let mut v: Vec<(usize, f32)> = scores
        .iter()
        .copied()
        .enumerate()
        .filter(|&(_, s)| s.is_finite() && (!positive_only || s > 0.0))
        .collect();
    let by = |a: &(usize, f32), b: &(usize, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
    if v.len() > depth {
        v.select_nth_unstable_by(depth, by);
        v.truncate(depth);
    }
    v.sort_by(by);
    v.into_iter().map(|(i, _)| i).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_high_in_both_lists_wins_and_words_alone_still_count() {
        // 0: words only; 1: meaning only; 2: both, second in each.
        let lexical = [3.0, 0.0, 2.0, 0.0];
        let semantic = [0.1, 0.9, 0.8, 0.2];
        assert_eq!(
            reciprocal_rank_fusion(&lexical, &semantic, 4),
            vec![2, 0, 1, 3]
        );
    }

    #[test]
    fn a_match_by_words_wins_a_tie_with_a_match_by_meaning() {
        // 1 is first by meaning; 2 is first by words but has no vector yet (NaN).
        let lexical = [0.0, 0.0, 1.5];
        let semantic = [0.3, 0.9, f32::NAN];
        assert_eq!(reciprocal_rank_fusion(&lexical, &semantic, 2), vec![2, 1]);
    }

    #[test]
    fn with_no_word_in_common_the_meaning_decides() {
        let lexical = [0.0; 4];
        let semantic = [0.2, 0.7, f32::NAN, 0.5];
        assert_eq!(
            reciprocal_rank_fusion(&lexical, &semantic, 3),
            vec![1, 3, 0]
        );
    }
}
