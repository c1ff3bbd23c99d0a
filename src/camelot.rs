//! Keys on the Camelot wheel, the notation DJs mix by: harmonic neighbours are one step apart, and
//! sorting by it puts compatible keys together. Shared by the analysis (which finds the key) and the
//! library's read model (which shows and sorts by it).

use std::fmt;

/// A position on the wheel: number 1–12 and letter A (minor) or B (major).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Camelot {
    number: u8,
    major: bool,
}

impl Camelot {
    /// The wheel position of a key whose tonic is `tonic` semitones above C.
    pub fn of_key(tonic: u8, minor: bool) -> Self {
        // C major is 8B; each fifth up (7 semitones) is one step clockwise. A minor (the relative
        // minor of C) is 8A, i.e. a minor tonic sits where the major three semitones up sits.
        let from_c = if minor { (tonic + 3) % 12 } else { tonic % 12 };
        let fifths = (from_c as u32 * 7) % 12;
        let number = ((7 + fifths) % 12 + 1) as u8;
        Camelot {
            number,
            major: !minor,
        }
    }

    /// The stored sort order: 2 × number, + 1 for major (so 1A < 1B < 2A …).
    pub fn order(self) -> i64 {
        2 * self.number as i64 + self.major as i64
    }

    /// The inverse of [`Camelot::order`]; `None` for a value that is no wheel position.
    pub fn from_order(order: i64) -> Option<Self> {
        let number = order / 2;
        (1..=12).contains(&number).then_some(Camelot {
            number: number as u8,
            major: order % 2 == 1,
        })
    }

    pub fn number(self) -> u8 {
        self.number
    }

    pub fn is_major(self) -> bool {
        self.major
    }
}

impl fmt::Display for Camelot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.number, if self.major { 'B' } else { 'A' })
    }
}

#[cfg(test)]
mod tests {
    use super::Camelot;

    #[test]
    fn codes_follow_the_wheel_and_round_trip_through_the_stored_order() {
        let code = |tonic, minor| Camelot::of_key(tonic, minor).to_string();
        assert_eq!(code(0, false), "8B"); // C major
        assert_eq!(code(9, true), "8A"); // A minor
        assert_eq!(code(7, false), "9B"); // G major
        assert_eq!(code(11, false), "1B"); // B major
        assert_eq!(code(8, true), "1A"); // Ab minor
        assert_eq!(code(4, false), "12B"); // E major
        for tonic in 0..12 {
            for minor in [false, true] {
                let key = Camelot::of_key(tonic, minor);
                assert_eq!(Camelot::from_order(key.order()), Some(key));
            }
        }
        assert!(Camelot::of_key(8, true) < Camelot::of_key(11, false));
        assert_eq!(Camelot::from_order(0), None);
        assert_eq!(Camelot::from_order(26), None);
    }
}
