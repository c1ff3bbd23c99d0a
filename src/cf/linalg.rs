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
    let mut sum: f32 = acc.iter().sum();
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
