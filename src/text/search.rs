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

/// As [`reciprocal_rank_fusion`], with the fused scores.
pub fn fused(lexical: &[f32], semantic: &[f32], k: usize) -> Vec<(usize, f32)> {
    let mut score: std::collections::HashMap<usize, f32> = std::collections::HashMap::new();
    for (list, positive_only) in [(lexical, true), (semantic, false)] {
        for (rank, i) in ranked(list, DEPTH.max(k), positive_only)
            .into_iter()
            .enumerate()
        {
            *score.entry(i).or_default() += 1.0 / (RRF_K + rank as f32 + 1.0);
        }
    }
    let mut out: Vec<(usize, f32)> = score.into_iter().collect();
    out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    out.truncate(k);
    out
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
    fn with_no_word_in_common_the_meaning_decides() {
        let lexical = [0.0; 4];
        let semantic = [0.2, 0.7, f32::NAN, 0.5];
        assert_eq!(
            reciprocal_rank_fusion(&lexical, &semantic, 3),
            vec![1, 3, 0]
        );
    }
}
