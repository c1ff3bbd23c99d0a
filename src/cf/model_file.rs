//! A trained model on disk: the shared co-listening model is trained when the shared data or the
//! tuned choice changes and kept in the data folder, so that no view, start or CLI call trains it
//! again. Little-endian arrays behind a JSON header; a file that does not read back whole (another
//! version, cut short, corrupt) is an error, and the caller trains again.

use std::io::{Read, Write};

use ndarray::Array2;
use serde::{de::DeserializeOwned, Serialize};

use super::als::FoldIn;
use super::ease::{Dual, EaseModel, Form};
use super::matrix::Csr;
use super::model::{Trained, Weighting};
use super::neighbours::ItemItem;

const MAGIC: &[u8; 8] = b"SONARECF";
/// Bumped whenever the layout below or a model's meaning changes: older files are then retrained.
pub const FORMAT: u32 = 1;

#[derive(Debug, thiserror::Error)]
pub enum ModelFileError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("not a model file of this version ({0})")]
    Format(String),
}

type Result<T> = std::result::Result<T, ModelFileError>;

fn bad<T>(why: impl Into<String>) -> Result<T> {
    Err(ModelFileError::Format(why.into()))
}

struct Out<W: Write>(W);

impl<W: Write> Out<W> {
    fn u64(&mut self, v: u64) -> Result<()> {
        Ok(self.0.write_all(&v.to_le_bytes())?)
    }
    fn f32(&mut self, v: f32) -> Result<()> {
        Ok(self.0.write_all(&v.to_le_bytes())?)
    }
    fn f32s(&mut self, v: &[f32]) -> Result<()> {
        self.u64(v.len() as u64)?;
        let bytes: Vec<u8> = v.iter().flat_map(|x| x.to_le_bytes()).collect();
        Ok(self.0.write_all(&bytes)?)
    }
    fn u32s(&mut self, v: &[u32]) -> Result<()> {
        self.u64(v.len() as u64)?;
        let bytes: Vec<u8> = v.iter().flat_map(|x| x.to_le_bytes()).collect();
        Ok(self.0.write_all(&bytes)?)
    }
    fn u64s(&mut self, v: impl ExactSizeIterator<Item = u64>) -> Result<()> {
        self.u64(v.len() as u64)?;
        let bytes: Vec<u8> = v.flat_map(|x| x.to_le_bytes()).collect();
        Ok(self.0.write_all(&bytes)?)
    }
    fn csr(&mut self, m: &Csr) -> Result<()> {
        self.u64(m.rows as u64)?;
        self.u64(m.cols as u64)?;
        self.u64s(m.indptr.iter().map(|&v| v as u64))?;
        self.u32s(&m.indices)?;
        self.f32s(&m.values)
    }
    fn json(&mut self, v: &impl Serialize) -> Result<()> {
        let text = serde_json::to_vec(v).map_err(|e| ModelFileError::Format(e.to_string()))?;
        self.u64(text.len() as u64)?;
        Ok(self.0.write_all(&text)?)
    }
    fn model(&mut self, m: &Trained) -> Result<()> {
        match m {
            Trained::Als {
                fold, weighting, ..
            } => {
                self.u64(0)?;
                self.json(weighting)?;
                self.f32(fold.regularization)?;
                self.f32(fold.alpha)?;
                let (rows, rank) = fold.item_factors.dim();
                self.u64(rows as u64)?;
                self.u64(rank as u64)?;
                self.f32s(fold.item_factors.as_slice().unwrap_or(&[]))
            }
            Trained::Ease(e) => match &e.form {
                Form::Primal { weights } => {
                    self.u64(1)?;
                    self.u64(e.items as u64)?;
                    self.f32s(weights)
                }
                Form::Dual(d) => {
                    self.u64(2)?;
                    self.csr(&d.by_user)?;
                    self.f32s(&d.inv_lambda)?;
                    self.f32s(&d.k_inv)?;
                    self.f32s(&d.diag_p)
                }
            },
            Trained::Neighbours(n) => {
                self.u64(3)?;
                self.csr(&n.similarity)
            }
            Trained::Popular(p) => {
                self.u64(4)?;
                self.f32s(p)
            }
            Trained::Blend(parts) => {
                self.u64(5)?;
                self.u64(parts.len() as u64)?;
                for (w, part) in parts {
                    self.f32(*w)?;
                    self.model(part)?;
                }
                Ok(())
            }
        }
    }
}

struct In<R: Read> {
    r: R,
    /// Bytes left in the file: no length read from it may claim more.
    left: u64,
}

impl<R: Read> In<R> {
    fn bytes(&mut self, n: u64) -> Result<Vec<u8>> {
        if n > self.left {
            return bad("cut short");
        }
        self.left -= n;
        let mut buf = vec![0u8; n as usize];
        self.r.read_exact(&mut buf)?;
        Ok(buf)
    }
    fn u64(&mut self) -> Result<u64> {
        let b = self.bytes(8)?;
        Ok(u64::from_le_bytes(b.try_into().expect("8 bytes")))
    }
    fn usize(&mut self) -> Result<usize> {
        usize::try_from(self.u64()?).or_else(|_| bad("size out of range"))
    }
    fn f32(&mut self) -> Result<f32> {
        let b = self.bytes(4)?;
        Ok(f32::from_le_bytes(b.try_into().expect("4 bytes")))
    }
    fn array<const N: usize>(&mut self) -> Result<Vec<[u8; N]>> {
        let n = self.u64()?;
        let bytes = self.bytes(n.saturating_mul(N as u64))?;
        Ok(bytes
            .chunks_exact(N)
            .map(|c| c.try_into().expect("N bytes"))
            .collect())
    }
    fn f32s(&mut self) -> Result<Vec<f32>> {
        Ok(self
            .array::<4>()?
            .into_iter()
            .map(f32::from_le_bytes)
            .collect())
    }
    fn u32s(&mut self) -> Result<Vec<u32>> {
        Ok(self
            .array::<4>()?
            .into_iter()
            .map(u32::from_le_bytes)
            .collect())
    }
    fn csr(&mut self) -> Result<Csr> {
        let (rows, cols) = (self.usize()?, self.usize()?);
        let indptr: Vec<usize> = self
            .array::<8>()?
            .into_iter()
            .map(|b| u64::from_le_bytes(b) as usize)
            .collect();
        let (indices, values) = (self.u32s()?, self.f32s()?);
        let sound = indptr.len() == rows + 1
            && indptr.first() == Some(&0)
            && indptr.windows(2).all(|w| w[0] <= w[1])
            && indptr.last() == Some(&indices.len())
            && values.len() == indices.len()
            && indices.iter().all(|&c| (c as usize) < cols);
        if !sound {
            return bad("inconsistent sparse matrix");
        }
        Ok(Csr {
            rows,
            cols,
            indptr,
            indices,
            values,
        })
    }
    fn json<T: DeserializeOwned>(&mut self) -> Result<T> {
        let n = self.u64()?;
        let text = self.bytes(n)?;
        serde_json::from_slice(&text).map_err(|e| ModelFileError::Format(e.to_string()))
    }
    fn model(&mut self, depth: usize) -> Result<Trained> {
        Ok(match self.u64()? {
            0 => {
                let weighting: Weighting = self.json()?;
                let (reg, alpha) = (self.f32()?, self.f32()?);
                let (rows, rank) = (self.usize()?, self.usize()?);
                let data = self.f32s()?;
                let factors = Array2::from_shape_vec((rows, rank), data)
                    .or_else(|_| bad("factor matrix of the wrong size"))?;
                Trained::Als {
                    user_factors: Array2::zeros((0, rank)),
                    fold: Box::new(FoldIn::new(factors, reg, alpha)),
                    weighting,
                }
            }
            1 => {
                let items = self.usize()?;
                let weights = self.f32s()?;
                if Some(weights.len()) != items.checked_mul(items) {
                    return bad("EASE weights of the wrong size");
                }
                Trained::Ease(EaseModel {
                    items,
                    form: Form::Primal { weights },
                })
            }
            2 => {
                let by_user = self.csr()?;
                let (inv_lambda, k_inv, diag_p) = (self.f32s()?, self.f32s()?, self.f32s()?);
                let (m, n) = (by_user.rows, by_user.cols);
                if inv_lambda.len() != n
                    || diag_p.len() != n
                    || Some(k_inv.len()) != m.checked_mul(m)
                {
                    return bad("EASE dual parts of the wrong size");
                }
                Trained::Ease(EaseModel {
                    items: n,
                    form: Form::Dual(Box::new(Dual {
                        by_item: by_user.transpose(),
                        by_user,
                        inv_lambda,
                        k_inv,
                        diag_p,
                    })),
                })
            }
            3 => Trained::Neighbours(ItemItem {
                similarity: self.csr()?,
            }),
            4 => Trained::Popular(self.f32s()?),
            5 if depth == 0 => {
                let parts = self.usize()?;
                if parts > 16 {
                    return bad("too many blend parts");
                }
                let mut out = Vec::with_capacity(parts);
                for _ in 0..parts {
                    out.push((self.f32()?, self.model(depth + 1)?));
                }
                Trained::Blend(out)
            }
            tag => return bad(format!("unknown model kind {tag}")),
        })
    }
}

/// Writes `header` and `model` (header first, so that a reader can decide from it alone whether the
/// file is current).
pub fn write(w: impl Write, header: &impl Serialize, model: &Trained) -> Result<()> {
    let mut out = Out(std::io::BufWriter::new(w));
    out.0.write_all(MAGIC)?;
    out.u64(FORMAT as u64)?;
    out.json(header)?;
    out.model(model)?;
    out.0.flush()?;
    Ok(())
}

/// Reads the header of a file of `len` bytes, and the model if `want(&header)` says so.
pub fn read<H: DeserializeOwned>(
    r: impl Read,
    len: u64,
    want: impl FnOnce(&H) -> bool,
) -> Result<Option<(H, Trained)>> {
    let mut input = In {
        r: std::io::BufReader::new(r),
        left: len,
    };
    if input.bytes(8)? != MAGIC || input.u64()? != FORMAT as u64 {
        return bad("another format");
    }
    let header: H = input.json()?;
    if !want(&header) {
        return Ok(None);
    }
    let model = input.model(0)?;
    Ok(Some((header, model)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cf::model::ModelSpec;

    fn data() -> Csr {
        let t: Vec<(u32, u32, f32)> = (0..30u32)
            .flat_map(|u| (0..5).map(move |k| (u, (u * 7 + k * 3) % 40, 1.0 + k as f32)))
            .collect();
        Csr::from_triples(30, 40, &t)
    }

    #[test]
    fn every_model_reads_back_with_the_same_scores() {
        let m = data();
        let mut models: Vec<Trained> = ModelSpec::NAMES
            .iter()
            .map(|n| Trained::fit(&ModelSpec::by_name(n).unwrap(), &m).unwrap())
            .collect();
        // The primal EASE too (more listeners than items).
        models.push(Trained::fit(&ModelSpec::default(), &m.transpose()).unwrap());
        let blend = Trained::Blend(vec![(0.3, models[0].clone()), (0.7, models[1].clone())]);
        models.push(blend);
        for model in models {
            let mut file = Vec::new();
            write(&mut file, &"header", &model).unwrap();
            let (h, back): (String, Trained) = read(&file[..], file.len() as u64, |_| true)
                .unwrap()
                .unwrap();
            assert_eq!(h, "header");
            let items = [1u32, 4, 9];
            let n = model.scores_for_new(&items, &[1.0, 2.0, 1.0]);
            assert_eq!(n, back.scores_for_new(&items, &[1.0, 2.0, 1.0]));
            // Cut anywhere, the file is an error, never a panic or a huge allocation.
            for cut in [0, 7, 20, file.len() / 2, file.len() - 1] {
                assert!(read::<String>(&file[..cut], cut as u64, |_| true).is_err());
            }
        }
    }
}
