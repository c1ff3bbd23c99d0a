//! The inner kernels of the ALS conjugate-gradient solver: a dot product the compiler vectorises and
//! `axpy`. (Factorisations and inverses come from faer.)

/// Accumulator lanes of [`dot`]: four 8-wide registers, so that consecutive additions do not wait
/// on each other (a single register would make the loop latency-bound, about 4× slower).
const LANES: usize = 16;

/// Dot product with `LANES` independent accumulators, so LLVM keeps them in SIMD registers (a plain
/// `zip().sum()` is one serial float chain it may not reorder). With `FMA`, multiply-adds are fused
/// (only call it so from code compiled with the `fma` target feature).
#[inline(always)]
pub fn dot_with<const FMA: bool>(a: &[f32], b: &[f32]) -> f32 {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let mut acc = [0f32; LANES];
    let chunks = n / LANES * LANES;
    for (ca, cb) in a[..chunks]
        .chunks_exact(LANES)
        .zip(b[..chunks].chunks_exact(LANES))
    {
        for k in 0..LANES {
            acc[k] = if FMA {
                ca[k].mul_add(cb[k], acc[k])
            } else {
                acc[k] + ca[k] * cb[k]
            };
        }
    }
    // Halve the lanes pairwise (vector adds) rather than summing them one by one (a shuffle each).
    let mut width = LANES;
    while width > 1 {
        width /= 2;
        for k in 0..width {
            acc[k] += acc[k + width];
        }
    }
    let mut sum = acc[0];
    for k in chunks..n {
        sum += a[k] * b[k];
    }
    sum
}

/// [`dot_with`] without fused multiply-adds (any CPU).
#[inline(always)]
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    dot_with::<false>(a, b)
}

/// `out = A v` for a row-major `n × n` symmetric `A` (so also `Aᵀ v`), as a sum of `A`'s rows
/// scaled by `v`, four rows at a time: each pass over `out` does four multiply-adds per element
/// instead of one, and there are no horizontal reductions.
#[inline(always)]
pub fn symmetric_product<const FMA: bool>(a: &[f32], n: usize, v: &[f32], out: &mut [f32]) {
    let fma = |x: f32, y: f32, acc: f32| if FMA { x.mul_add(y, acc) } else { acc + x * y };
    out[..n].fill(0.0);
    let mut k = 0;
    while k + 4 <= n {
        let (r0, r1, r2, r3) = (
            &a[k * n..(k + 1) * n],
            &a[(k + 1) * n..(k + 2) * n],
            &a[(k + 2) * n..(k + 3) * n],
            &a[(k + 3) * n..(k + 4) * n],
        );
        let (v0, v1, v2, v3) = (v[k], v[k + 1], v[k + 2], v[k + 3]);
        for j in 0..n {
            out[j] = fma(
                v3,
                r3[j],
                fma(v2, r2[j], fma(v1, r1[j], fma(v0, r0[j], out[j]))),
            );
        }
        k += 4;
    }
    for k in k..n {
        let row = &a[k * n..(k + 1) * n];
        for j in 0..n {
            out[j] = fma(v[k], row[j], out[j]);
        }
    }
}

/// `y += alpha * x`
#[inline(always)]
pub fn axpy(alpha: f32, x: &[f32], y: &mut [f32]) {
    for (yi, xi) in y.iter_mut().zip(x) {
        *yi += alpha * xi;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symmetric_product_matches_the_naive_one() {
        for n in [1, 3, 4, 5, 8, 13] {
            let mut a = vec![0f32; n * n];
            for i in 0..n {
                for j in 0..n {
                    a[i * n + j] =
                        ((i + 1) * (j + 1)) as f32 * 0.1 + if i == j { 1.0 } else { 0.0 };
                }
            }
            let v: Vec<f32> = (0..n).map(|i| 1.0 - i as f32 * 0.3).collect();
            let mut out = vec![9f32; n];
            symmetric_product::<false>(&a, n, &v, &mut out);
            for i in 0..n {
                let naive: f32 = (0..n).map(|j| a[i * n + j] * v[j]).sum();
                assert!((out[i] - naive).abs() < 1e-4, "n {n} row {i}");
            }
        }
    }

    #[test]
    fn dot_matches_the_naive_sum_at_every_length() {
        for n in [0, 1, 7, 8, 9, 31, 32, 33, 64, 67, 128] {
            let a: Vec<f32> = (0..n).map(|i| i as f32 * 0.5).collect();
            let b: Vec<f32> = (0..n).map(|i| 1.0 - i as f32 * 0.25).collect();
            let naive: f32 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
            assert!((dot(&a, &b) - naive).abs() < 1e-3 * (1.0 + naive.abs()));
            assert!((dot_with::<true>(&a, &b) - naive).abs() < 1e-3 * (1.0 + naive.abs()));
        }
    }
}
