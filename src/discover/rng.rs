//! A small seeded generator (SplitMix64): the same day and state must give the same list, on every
//! platform and crate version, which a library RNG does not promise.

pub struct SplitMix(u64);

impl SplitMix {
    pub fn new(seed: u64) -> Self {
        SplitMix(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn next_f32(&mut self) -> f32 {
        (self.next_u64() >> 40) as f32 / (1u64 << 24) as f32
    }

    /// An index drawn with probability ∝ `weights` (non-positive weights never); `None` if all are.
    pub fn weighted(&mut self, weights: &[f32]) -> Option<usize> {
        let total: f64 = weights
            .iter()
            .filter(|w| **w > 0.0)
            .map(|&w| w as f64)
            .sum();
        if total <= 0.0 {
            return None;
        }
        let mut target = self.next_f32() as f64 * total;
        for (i, &w) in weights.iter().enumerate().filter(|(_, w)| **w > 0.0) {
            target -= w as f64;
            if target < 0.0 {
                return Some(i);
            }
        }
        weights.iter().rposition(|w| *w > 0.0)
    }
}

/// A seed from a day ("2026-11-29") and anything else that should change the draw.
pub fn seed_of(parts: &[&str]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(parts.join("\u{1f}").as_bytes())
}
