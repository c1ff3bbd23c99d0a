//! Sparse user × item interactions in compressed rows (CSR), the input of every CF model.

use std::collections::HashMap;

/// A sparse matrix in compressed-row form: row `r` holds `indices[indptr[r]..indptr[r+1]]` (sorted,
/// distinct columns) with the matching `values`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Csr {
    pub rows: usize,
    pub cols: usize,
    pub indptr: Vec<usize>,
    pub indices: Vec<u32>,
    pub values: Vec<f32>,
}

impl Csr {
    /// Builds from `(row, col, value)` triples; repeated cells are summed.
    pub fn from_triples(rows: usize, cols: usize, triples: &[(u32, u32, f32)]) -> Self {
        let mut sorted = triples.to_vec();
        sorted.sort_unstable_by_key(|&(r, c, _)| (r, c));
        let mut indptr = vec![0usize; rows + 1];
        let mut indices = Vec::with_capacity(sorted.len());
        let mut values: Vec<f32> = Vec::with_capacity(sorted.len());
        let mut last: Option<(u32, u32)> = None;
        for (r, c, v) in sorted {
            if last == Some((r, c)) {
                if let Some(x) = values.last_mut() {
                    *x += v;
                }
                continue;
            }
            last = Some((r, c));
            indptr[r as usize + 1] += 1;
            indices.push(c);
            values.push(v);
        }
        for r in 0..rows {
            indptr[r + 1] += indptr[r];
        }
        Csr {
            rows,
            cols,
            indptr,
            indices,
            values,
        }
    }

    pub fn nnz(&self) -> usize {
        self.indices.len()
    }

    /// Columns and values of row `r`.
    pub fn row(&self, r: usize) -> (&[u32], &[f32]) {
        let span = self.indptr[r]..self.indptr[r + 1];
        (&self.indices[span.clone()], &self.values[span])
    }

    pub fn transpose(&self) -> Csr {
        let mut counts = vec![0usize; self.cols + 1];
        for &c in &self.indices {
            counts[c as usize + 1] += 1;
        }
        for c in 0..self.cols {
            counts[c + 1] += counts[c];
        }
        let indptr = counts.clone();
        let mut next = counts;
        let mut indices = vec![0u32; self.nnz()];
        let mut values = vec![0f32; self.nnz()];
        for r in 0..self.rows {
            let (cols, vals) = self.row(r);
            for (&c, &v) in cols.iter().zip(vals) {
                let at = next[c as usize];
                indices[at] = r as u32;
                values[at] = v;
                next[c as usize] += 1;
            }
        }
        Csr {
            rows: self.cols,
            cols: self.rows,
            indptr,
            indices,
            values,
        }
    }

    /// The same pattern with every value replaced by `f(value)`.
    pub fn map_values(&self, f: impl Fn(f32) -> f32) -> Csr {
        Csr {
            values: self.values.iter().map(|&v| f(v)).collect(),
            ..self.clone()
        }
    }

    /// This matrix with `below`'s rows appended (same columns), each of their entries set to
    /// `value`: side-information rows (tags as pseudo-listeners) under the listeners.
    pub fn stacked(&self, below: &Csr, value: f32) -> Csr {
        assert_eq!(self.cols, below.cols, "stacked rows must share the columns");
        let mut out = self.clone();
        out.rows += below.rows;
        let base = *self.indptr.last().unwrap_or(&0);
        out.indptr
            .extend(below.indptr.iter().skip(1).map(|&at| base + at));
        out.indices.extend_from_slice(&below.indices);
        out.values.extend(std::iter::repeat_n(value, below.nnz()));
        out
    }

    /// BM25 weighting of a user × item matrix (as the `implicit` library applies it before ALS): an
    /// item's weight grows with the user's count but saturates (`k1`), is normalised by how much the
    /// user plays overall (`b`), and is scaled up for rare items (IDF over users). Keeps a few heavy
    /// listeners or one looped track from dominating the confidence.
    pub fn bm25(&self, k1: f32, b: f32) -> Csr {
        let users = self.rows as f32;
        let mut item_users = vec![0f32; self.cols];
        for &c in &self.indices {
            item_users[c as usize] += 1.0;
        }
        let idf: Vec<f32> = item_users
            .iter()
            .map(|&n| (users / (1.0 + n)).ln().max(0.0) + 1e-3)
            .collect();
        let row_len: Vec<f32> = (0..self.rows)
            .map(|r| self.row(r).1.iter().sum::<f32>())
            .collect();
        let mean_len = row_len.iter().sum::<f32>() / users.max(1.0);
        let mut out = self.clone();
        for (r, len) in row_len.iter().enumerate() {
            let norm = k1 * (1.0 - b + b * len / mean_len.max(f32::MIN_POSITIVE));
            let span = self.indptr[r]..self.indptr[r + 1];
            for at in span {
                let v = self.values[at];
                out.values[at] = v * (k1 + 1.0) / (norm + v) * idf[self.indices[at] as usize];
            }
        }
        out
    }
}

/// Dense ids for string keys, in first-seen order (users and items of TSV files and imports).
#[derive(Debug, Default, Clone)]
pub struct Interner {
    ids: HashMap<String, u32>,
    names: Vec<String>,
}

impl Interner {
    pub fn id(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = self.names.len() as u32;
        self.ids.insert(name.to_owned(), id);
        self.names.push(name.to_owned());
        id
    }
    pub fn get(&self, name: &str) -> Option<u32> {
        self.ids.get(name).copied()
    }
    pub fn name(&self, id: u32) -> &str {
        &self.names[id as usize]
    }
    pub fn len(&self) -> usize {
        self.names.len()
    }
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn triples_become_sorted_rows_with_repeats_summed_and_transpose_round_trips() {
        let m = Csr::from_triples(3, 4, &[(2, 1, 1.0), (0, 3, 2.0), (0, 1, 1.0), (0, 3, 1.0)]);
        assert_eq!(m.row(0), (&[1u32, 3][..], &[1.0f32, 3.0][..]));
        assert_eq!(m.row(1).0.len(), 0);
        assert_eq!(m.row(2), (&[1u32][..], &[1.0f32][..]));
        let t = m.transpose();
        assert_eq!(t.row(1), (&[0u32, 2][..], &[1.0f32, 1.0][..]));
        assert_eq!(t.transpose(), m);
    }

    #[test]
    fn stacked_rows_follow_with_the_given_value() {
        let m = Csr::from_triples(2, 3, &[(0, 0, 5.0), (1, 2, 1.0)]);
        let tags = Csr::from_triples(2, 3, &[(0, 1, 1.0), (0, 2, 1.0), (1, 0, 1.0)]);
        let s = m.stacked(&tags, 0.5);
        assert_eq!((s.rows, s.cols, s.nnz()), (4, 3, 5));
        assert_eq!(s.row(1), m.row(1));
        assert_eq!(s.row(2), (&[1u32, 2][..], &[0.5f32, 0.5][..]));
        assert_eq!(s.row(3), (&[0u32][..], &[0.5f32][..]));
    }

    #[test]
    fn bm25_saturates_counts_and_favours_rare_items() {
        // Item 0 is played by every user, item 1 by one; user 0 plays item 1 once and item 0 100 times.
        let mut triples = vec![(0, 0, 100.0), (0, 1, 1.0)];
        triples.extend((1..10).map(|u| (u, 0, 1.0)));
        let w = Csr::from_triples(10, 2, &triples).bm25(1.2, 0.75);
        let (_, v) = w.row(0);
        assert!(
            v[1] > v[0],
            "rare item should outweigh a looped popular one: {v:?}"
        );
    }
}
