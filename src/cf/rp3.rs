//! RP3beta (Paudel et al. 2017): item-item weights from a three-step random walk item → user → item,
//! with transition probabilities raised to `alpha` and the arrival item's popularity divided out
//! (`pop^beta`) so that the walk does not always end on the hits. Each item keeps its `neighbours`
//! strongest successors. A strong, cheap baseline on implicit data.

use super::matrix::Csr;
use super::neighbours::ItemItem;

#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Rp3Params {
    pub alpha: f32,
    pub beta: f32,
    pub neighbours: usize,
}

impl Default for Rp3Params {
    fn default() -> Self {
        Rp3Params {
            alpha: 1.0,
            beta: 0.5,
            neighbours: 200,
        }
    }
}

/// RP3beta's item-item weights.
pub type Rp3Model = ItemItem;

/// RP3beta weights of binary `ratings`: `W[i, j] = Σ_u P(u | i)^α · P(j | u)^α / pop(j)^β`.
pub fn fit(ratings: &Csr, params: Rp3Params) -> Rp3Model {
    let by_item = ratings.transpose();
    // Row-normalised transition probabilities, raised to alpha.
    let transitions = |m: &Csr| {
        let mut out = m.clone();
        for r in 0..m.rows {
            let span = m.indptr[r]..m.indptr[r + 1];
            let sum: f32 = m.values[span.clone()].iter().sum();
            for at in span {
                out.values[at] = (m.values[at] / sum.max(f32::MIN_POSITIVE)).powf(params.alpha);
            }
        }
        out
    };
    let (p_iu, p_ui) = (transitions(&by_item), transitions(ratings));
    let penalty: Vec<f32> = (0..by_item.rows)
        .map(|j| (by_item.row(j).0.len() as f32).max(1.0).powf(params.beta))
        .collect();
    ItemItem::build(&p_iu, &p_ui, params.neighbours, |_, j, walk| {
        walk / penalty[j]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_walk_reaches_co_played_items_and_discounts_the_hit() {
        // Item 0 is played by everyone; items 1 and 2 by the same few users.
        let mut t = vec![];
        for u in 0..20u32 {
            t.push((u, 0, 1.0));
            if u < 4 {
                t.push((u, 1, 1.0));
                t.push((u, 2, 1.0));
            } else if u < 6 {
                t.push((u, 3, 1.0));
            }
        }
        let model = fit(&Csr::from_triples(20, 4, &t), Rp3Params::default());
        let s = model.scores(&[1], &[1.0]);
        assert!(s[2] > s[0], "co-played item should beat the hit: {s:?}");
        assert_eq!(s[1], 0.0, "an item is not its own neighbour");
    }
}
