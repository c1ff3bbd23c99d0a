//! Timestamps as exports write them: Unix seconds or milliseconds, ISO 8601 ("2021-03-04T12:34:56Z",
//! with an optional fraction and offset) or "2021-03-04 12:34[:56]" (UTC).

/// Days from 1970-01-01 to a civil date (proleptic Gregorian; Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Unix seconds of `text`, or `None` if it is not a timestamp.
pub fn parse_timestamp(text: &str) -> Option<i64> {
    let t = text.trim();
    if let Ok(n) = t.parse::<i64>() {
        // Milliseconds since 1970 pass 10^11 in 1973; seconds will not until the year 5138.
        return Some(if n.abs() >= 100_000_000_000 {
            n / 1000
        } else {
            n
        });
    }
    let b = t.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let s = t.get(r)?;
        s.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| s.parse().ok())?
    };
    if b.len() < 16 || b[4] != b'-' || b[7] != b'-' || !(b[10] == b'T' || b[10] == b' ') {
        return None;
    }
    let (y, mo, d, h, mi) = (
        num(0..4)?,
        num(5..7)?,
        num(8..10)?,
        num(11..13)?,
        num(14..16)?,
    );
    let mut rest = &t[16..];
    let mut s = 0;
    if let Some(r) = rest.strip_prefix(':') {
        s = num(17..19)?;
        rest = &r[2.min(r.len())..];
    }
    if let Some(r) = rest.strip_prefix('.') {
        rest = r.trim_start_matches(|c: char| c.is_ascii_digit());
    }
    let offset = match rest {
        "" | "Z" | "z" | " UTC" => 0,
        o if (o.starts_with('+') || o.starts_with('-')) && o.len() == 6 => {
            let sign = if o.starts_with('-') { -1 } else { 1 };
            let oh: i64 = o.get(1..3)?.parse().ok()?;
            let om: i64 = o.get(4..6)?.parse().ok()?;
            sign * (oh * 3600 + om * 60)
        }
        _ => return None,
    };
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || s > 60 {
        return None;
    }
    Some(days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + s - offset)
}

#[cfg(test)]
mod tests {
    use super::parse_timestamp;

    #[test]
    fn export_timestamps_parse_to_unix_seconds() {
        assert_eq!(parse_timestamp("2021-03-04T12:34:56Z"), Some(1_614_861_296));
        assert_eq!(
            parse_timestamp("2021-03-04T12:34:56.789Z"),
            Some(1_614_861_296)
        );
        assert_eq!(
            parse_timestamp("2021-03-04T14:34:56+02:00"),
            Some(1_614_861_296)
        );
        assert_eq!(parse_timestamp("2021-03-04 12:34"), Some(1_614_861_240));
        assert_eq!(parse_timestamp("1614861296"), Some(1_614_861_296));
        assert_eq!(parse_timestamp("1614861296000"), Some(1_614_861_296));
        assert_eq!(parse_timestamp("1970-01-01T00:00:00Z"), Some(0));
        for bad in [
            "",
            "yesterday",
            "2021-13-04T00:00:00Z",
            "2021-03-04T12:34:56 CET",
        ] {
            assert_eq!(parse_timestamp(bad), None, "{bad}");
        }
    }
}
