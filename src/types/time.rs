//! Dates and timestamps without a calendar crate: parsing the forms Flink reads
//! (`2021-05-19T11:20:00.978328`, `2021-05-19 11:20:00.978`) and printing Flink's form
//! (`2021-05-19T11:20:09.999`). Timestamps are milliseconds since the epoch, no zone.

use std::fmt::Write;

const MS_PER_DAY: i64 = 86_400_000;

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn digits(bytes: &[u8]) -> Option<i64> {
    if bytes.is_empty() || bytes.len() > 9 {
        return None;
    }
    let mut n = 0i64;
    for &b in bytes {
        if !b.is_ascii_digit() {
            return None;
        }
        n = n * 10 + (b - b'0') as i64;
    }
    Some(n)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// `YYYY-MM-DD` → days since the epoch.
pub fn parse_date(s: &str) -> Option<i32> {
    let b = s.trim().as_bytes();
    let (y, rest) = split_at_byte(b, b'-')?;
    let (m, d) = split_at_byte(rest, b'-')?;
    let (y, m, d) = (digits(y)?, digits(m)? as u32, digits(d)? as u32);
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    i32::try_from(days_from_civil(y, m, d)).ok()
}

/// `HH:MM[:SS[.fff…]]` → milliseconds of the day (digits past milliseconds are truncated).
pub fn parse_time(s: &str) -> Option<i32> {
    let b = s.trim().as_bytes();
    let (h, rest) = split_at_byte(b, b':')?;
    let (mi, sec) = match split_at_byte(rest, b':') {
        Some((mi, sec)) => (mi, Some(sec)),
        None => (rest, None),
    };
    let (h, mi) = (digits(h)?, digits(mi)?);
    let (s, ms) = match sec {
        None => (0, 0),
        Some(sec) => match split_at_byte(sec, b'.') {
            Some((s, frac)) => (digits(s)?, fraction_ms(frac)?),
            None => (digits(sec)?, 0),
        },
    };
    if h > 23 || mi > 59 || s > 59 {
        return None;
    }
    Some(((h * 3600 + mi * 60 + s) * 1000 + ms) as i32)
}

fn fraction_ms(frac: &[u8]) -> Option<i64> {
    if frac.is_empty() || frac.len() > 9 || !frac.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut ms = 0i64;
    for i in 0..3 {
        ms = ms * 10 + frac.get(i).map_or(0, |b| (b - b'0') as i64);
    }
    Some(ms)
}

fn split_at_byte(b: &[u8], sep: u8) -> Option<(&[u8], &[u8])> {
    let i = b.iter().position(|&c| c == sep)?;
    Some((&b[..i], &b[i + 1..]))
}

/// A timestamp in ISO-8601 (`T`) or SQL (space) form, optional fraction of up to 9 digits,
/// optional trailing `Z` → milliseconds since the epoch (sub-millisecond digits truncated).
/// Milliseconds since the epoch cut to a TIMESTAMP(`precision`)'s fraction digits, floored as
/// Flink cuts a value cast to, or computed as, a precision below milliseconds
/// (`23:59:59.996` as TIMESTAMP(0) is `23:59:59`, before 1970 too).
pub fn truncate_to_precision(ms: i64, precision: u8) -> i64 {
    if precision >= 3 {
        return ms;
    }
    let unit = 10i64.pow(3 - u32::from(precision));
    ms.div_euclid(unit) * unit
}

pub fn parse_timestamp(s: &str) -> Option<i64> {
    let s = s.trim();
    let s = s.strip_suffix('Z').unwrap_or(s);
    let split = s.find(['T', ' '])?;
    let days = parse_date(&s[..split])? as i64;
    let time = parse_time(&s[split + 1..])? as i64;
    Some(days * MS_PER_DAY + time)
}

/// A Flink duration option (`'1 h'`, `'30min'`, `'10 s'`, `'500 ms'`, `'2d'`, plain milliseconds)
/// in milliseconds.
pub fn parse_duration(text: &str) -> Option<i64> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let n: i64 = t[..split].parse().ok()?;
    let unit_ms = match t[split..].trim().to_ascii_lowercase().as_str() {
        "" | "ms" | "milli" | "millis" | "millisecond" | "milliseconds" => 1,
        "s" | "sec" | "secs" | "second" | "seconds" => 1_000,
        "min" | "m" | "minute" | "minutes" => 60_000,
        "h" | "hour" | "hours" => 3_600_000,
        "d" | "day" | "days" => 86_400_000,
        _ => return None,
    };
    n.checked_mul(unit_ms)
}

pub fn format_date(days: i32) -> String {
    let (y, m, d) = civil_from_days(days as i64);
    format!("{y:04}-{m:02}-{d:02}")
}

pub fn format_time(ms_of_day: i32) -> String {
    let ms = ms_of_day as i64;
    format!("{:02}:{:02}:{:02}", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60)
}

/// Flink's rendering of a `TIMESTAMP(3)`: `2021-05-19T11:20:09.999`.
pub fn format_timestamp(ms: i64) -> String {
    let mut out = String::with_capacity(23);
    write_timestamp(&mut out, ms);
    out
}

pub fn write_timestamp(out: &mut String, ms: i64) {
    let days = ms.div_euclid(MS_PER_DAY);
    let t = ms.rem_euclid(MS_PER_DAY);
    let (y, m, d) = civil_from_days(days);
    if !(0..=9999).contains(&y) {
        let _ = write!(out, "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}", t / 3_600_000, t / 60_000 % 60, t / 1000 % 60, t % 1000);
        return;
    }
    // Digits by hand: results and the generator's records format a timestamp per row, and the
    // formatting machinery was a tenth of the page's ingest time.
    let mut buf = *b"0000-00-00T00:00:00.000";
    let mut put = |at: usize, width: usize, mut v: i64| {
        for i in (at..at + width).rev() {
            buf[i] = b'0' + (v % 10) as u8;
            v /= 10;
        }
    };
    put(0, 4, y);
    put(5, 2, m as i64);
    put(8, 2, d as i64);
    put(11, 2, t / 3_600_000);
    put(14, 2, t / 60_000 % 60);
    put(17, 2, t / 1000 % 60);
    put(20, 3, t % 1000);
    // ASCII digits and separators only: pushed as chars, with no UTF-8 check to pay for.
    out.extend(buf.iter().map(|&b| char::from(b)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walkthrough_microsecond_timestamps_truncate_to_milliseconds() {
        let ms = parse_timestamp("2021-05-19T11:20:00.978328").unwrap();
        assert_eq!(format_timestamp(ms), "2021-05-19T11:20:00.978");
        assert_eq!(parse_timestamp("2021-05-19 11:20:00.978"), Some(ms));
    }

    #[test]
    fn dates_round_trip_across_eras() {
        for s in ["1970-01-01", "1969-12-31", "2000-02-29", "2400-12-31", "0001-01-01"] {
            assert_eq!(format_date(parse_date(s).unwrap()), s);
        }
        assert_eq!(parse_date("2021-02-29"), None);
        assert_eq!(parse_timestamp("2021-05-19T25:00:00"), None);
        assert_eq!(parse_timestamp("garbage"), None);
        assert_eq!(format_timestamp(-1), "1969-12-31T23:59:59.999");
    }
}
