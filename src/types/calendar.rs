//! Calendar arithmetic for the temporal functions (`plan/functions/temporal.rs`): EXTRACT, DATE_FORMAT, TO_TIMESTAMP,
//! TIMESTAMPADD and TIMESTAMPDIFF. Timestamps are milliseconds since the epoch without a zone
//! (Flink's TIMESTAMP), dates are days since the epoch. Patterns are Java's `SimpleDateFormat`
//! letters, the ones Flink's documentation uses.

pub use crate::types::{civil_from_days, days_from_civil};

const MS_PER_DAY: i64 = 86_400_000;

/// A broken-down timestamp.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Civil {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    pub milli: u32,
}

pub fn civil(ms: i64) -> Civil {
    let (year, month, day) = civil_from_days(ms.div_euclid(MS_PER_DAY));
    let t = ms.rem_euclid(MS_PER_DAY);
    Civil {
        year,
        month,
        day,
        hour: (t / 3_600_000) as u32,
        minute: (t / 60_000 % 60) as u32,
        second: (t / 1000 % 60) as u32,
        milli: (t % 1000) as u32,
    }
}

pub fn from_civil(c: &Civil) -> i64 {
    days_from_civil(c.year, c.month, c.day) * MS_PER_DAY
        + c.hour as i64 * 3_600_000
        + c.minute as i64 * 60_000
        + c.second as i64 * 1000
        + c.milli as i64
}

fn leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if leap(y) => 29,
        2 => 28,
        _ => 31,
    }
}

/// The units TIMESTAMPADD, TIMESTAMPDIFF and EXTRACT take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    Millisecond,
    Second,
    Minute,
    Hour,
    Day,
    Week,
    Month,
    Quarter,
    Year,
    /// EXTRACT only.
    DayOfWeek,
    DayOfYear,
}

impl Unit {
    pub fn parse(name: &str) -> Option<Unit> {
        Some(match name.to_ascii_uppercase().as_str() {
            "MILLISECOND" | "FRAC_SECOND" => Unit::Millisecond,
            "SECOND" | "SQL_TSI_SECOND" => Unit::Second,
            "MINUTE" | "SQL_TSI_MINUTE" => Unit::Minute,
            "HOUR" | "SQL_TSI_HOUR" => Unit::Hour,
            "DAY" | "SQL_TSI_DAY" | "DAYOFMONTH" => Unit::Day,
            "WEEK" | "SQL_TSI_WEEK" => Unit::Week,
            "MONTH" | "SQL_TSI_MONTH" => Unit::Month,
            "QUARTER" | "SQL_TSI_QUARTER" => Unit::Quarter,
            "YEAR" | "SQL_TSI_YEAR" => Unit::Year,
            "DOW" | "DAYOFWEEK" => Unit::DayOfWeek,
            "DOY" | "DAYOFYEAR" => Unit::DayOfYear,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Unit::Millisecond => "MILLISECOND",
            Unit::Second => "SECOND",
            Unit::Minute => "MINUTE",
            Unit::Hour => "HOUR",
            Unit::Day => "DAY",
            Unit::Week => "WEEK",
            Unit::Month => "MONTH",
            Unit::Quarter => "QUARTER",
            Unit::Year => "YEAR",
            Unit::DayOfWeek => "DOW",
            Unit::DayOfYear => "DOY",
        }
    }

    fn fixed_ms(self) -> Option<i64> {
        Some(match self {
            Unit::Millisecond => 1,
            Unit::Second => 1000,
            Unit::Minute => 60_000,
            Unit::Hour => 3_600_000,
            Unit::Day => MS_PER_DAY,
            Unit::Week => 7 * MS_PER_DAY,
            _ => return None,
        })
    }
}

/// `EXTRACT(unit FROM ts)`, as Calcite computes it (DOW: 1 = Sunday; WEEK: ISO-8601 week).
pub fn extract(unit: Unit, ms: i64) -> i64 {
    let c = civil(ms);
    let days = ms.div_euclid(MS_PER_DAY);
    match unit {
        Unit::Millisecond => c.milli as i64,
        Unit::Second => c.second as i64,
        Unit::Minute => c.minute as i64,
        Unit::Hour => c.hour as i64,
        Unit::Day => c.day as i64,
        Unit::Month => c.month as i64,
        Unit::Quarter => (c.month as i64 - 1) / 3 + 1,
        Unit::Year => c.year,
        // 1970-01-01 was a Thursday (5 when Sunday is 1).
        Unit::DayOfWeek => (days + 4).rem_euclid(7) + 1,
        Unit::DayOfYear => days - days_from_civil(c.year, 1, 1) + 1,
        Unit::Week => iso_week(days),
    }
}

fn iso_week(days: i64) -> i64 {
    // Monday = 0.
    let weekday = (days + 3).rem_euclid(7);
    let thursday = days - weekday + 3;
    let (year, _, _) = civil_from_days(thursday);
    (thursday - days_from_civil(year, 1, 1)) / 7 + 1
}

/// `TIMESTAMPADD(unit, n, ts)`: months and years keep the day, clamped to the month's end.
pub fn add(unit: Unit, n: i64, ms: i64) -> Option<i64> {
    if let Some(step) = unit.fixed_ms() {
        return n.checked_mul(step)?.checked_add(ms);
    }
    let months = match unit {
        Unit::Month => n,
        Unit::Quarter => n.checked_mul(3)?,
        Unit::Year => n.checked_mul(12)?,
        _ => return None,
    };
    let mut c = civil(ms);
    let total = c.year.checked_mul(12)? + (c.month as i64 - 1) + months;
    c.year = total.div_euclid(12);
    c.month = (total.rem_euclid(12) + 1) as u32;
    c.day = c.day.min(days_in_month(c.year, c.month));
    Some(from_civil(&c))
}

/// `TIMESTAMPDIFF(unit, a, b)`: whole units from `a` to `b`, truncated toward zero.
pub fn diff(unit: Unit, a: i64, b: i64) -> Option<i64> {
    if let Some(step) = unit.fixed_ms() {
        return Some(b.checked_sub(a)? / step);
    }
    let months = subtract_months(b, a)?;
    Some(match unit {
        Unit::Month => months,
        Unit::Quarter => months / 3,
        Unit::Year => months / 12,
        _ => return None,
    })
}

/// Whole months from `t1` to `t0`, as Calcite's `SqlFunctions.subtractMonths` counts them:
/// the most months that, added to `t1`'s date (the day clamped to the month's length), do not
/// pass `t0`'s — one fewer when they land on it but `t0`'s time of day is earlier.
fn subtract_months(t0: i64, t1: i64) -> Option<i64> {
    let (d0, ms0) = (t0.div_euclid(MS_PER_DAY), t0.rem_euclid(MS_PER_DAY));
    let (d1, ms1) = (t1.div_euclid(MS_PER_DAY), t1.rem_euclid(MS_PER_DAY));
    let add_months = |day: i64, m: i64| add(Unit::Month, m, day.checked_mul(MS_PER_DAY)?).map(|t| t.div_euclid(MS_PER_DAY));
    let whole = |d0: i64, d1: i64| -> Option<i64> {
        // d0 >= d1; no month has more than 31 days, so the estimate is at most the answer,
        // and the answer at most a couple more.
        let mut m = (d0 - d1) / 31;
        for _ in 0..4 {
            if add_months(d1, m)? >= d0 || add_months(d1, m + 1)? > d0 {
                return Some(m);
            }
            m += 1;
        }
        Some(m)
    };
    let mut x = if d0 < d1 { -whole(d1, d0)? } else { whole(d0, d1)? };
    if add_months(d1, x)? == d0 && ms0 < ms1 {
        x -= 1;
    }
    Some(x)
}

const MONTHS: [&str; 12] =
    ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const WEEKDAYS: [&str; 7] = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/// One piece of a `SimpleDateFormat` pattern: a run of one letter, or literal text.
enum Piece {
    Field(char, usize),
    Text(String),
}

fn pieces(pattern: &str) -> Result<Vec<Piece>, String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\'' {
            // Quoted text; '' is a quote.
            let mut text = String::new();
            i += 1;
            if chars.get(i) == Some(&'\'') {
                out.push(Piece::Text("'".into()));
                i += 1;
                continue;
            }
            while i < chars.len() {
                if chars[i] == '\'' {
                    if chars.get(i + 1) == Some(&'\'') {
                        text.push('\'');
                        i += 2;
                        continue;
                    }
                    break;
                }
                text.push(chars[i]);
                i += 1;
            }
            i += 1;
            out.push(Piece::Text(text));
        } else if c.is_ascii_alphabetic() {
            let mut n = 1;
            while chars.get(i + n) == Some(&c) {
                n += 1;
            }
            if !"yMdHhmsSaEDkKu".contains(c) {
                return Err(format!("pattern letter '{c}' is not supported (Sluice knows y M d H h k K m s S a E D u)"));
            }
            out.push(Piece::Field(c, n));
            i += n;
        } else {
            out.push(Piece::Text(c.to_string()));
            i += 1;
        }
    }
    Ok(out)
}

/// Whether Sluice can use a `SimpleDateFormat` pattern; the error names the letter it cannot.
pub fn check_pattern(pattern: &str) -> Result<(), String> {
    pieces(pattern).map(|_| ())
}

/// `DATE_FORMAT(ts, pattern)`.
pub fn format(ms: i64, pattern: &str) -> Result<String, String> {
    let c = civil(ms);
    let days = ms.div_euclid(MS_PER_DAY);
    let mut out = String::new();
    for piece in pieces(pattern)? {
        let (letter, n) = match piece {
            Piece::Text(t) => {
                out.push_str(&t);
                continue;
            }
            Piece::Field(l, n) => (l, n),
        };
        let num = |v: i64, out: &mut String| out.push_str(&format!("{v:0n$}"));
        match letter {
            'y' if n == 2 => num(c.year.rem_euclid(100), &mut out),
            'y' => num(c.year, &mut out),
            'M' if n >= 4 => out.push_str(MONTHS[c.month as usize - 1]),
            'M' if n == 3 => out.push_str(&MONTHS[c.month as usize - 1][..3]),
            'M' => num(c.month as i64, &mut out),
            'd' => num(c.day as i64, &mut out),
            'D' => num(extract(Unit::DayOfYear, ms), &mut out),
            'H' => num(c.hour as i64, &mut out),
            'k' => num(if c.hour == 0 { 24 } else { c.hour as i64 }, &mut out),
            'K' => num((c.hour % 12) as i64, &mut out),
            'h' => num(if c.hour.is_multiple_of(12) { 12 } else { (c.hour % 12) as i64 }, &mut out),
            'm' => num(c.minute as i64, &mut out),
            's' => num(c.second as i64, &mut out),
            // Fractions print as a number of milliseconds, padded, as SimpleDateFormat does.
            'S' => num(c.milli as i64, &mut out),
            'a' => out.push_str(if c.hour < 12 { "AM" } else { "PM" }),
            'E' => {
                let name = WEEKDAYS[(days + 4).rem_euclid(7) as usize];
                out.push_str(if n >= 4 { name } else { &name[..3] });
            }
            'u' => num((days + 3).rem_euclid(7) + 1, &mut out),
            _ => {}
        }
    }
    Ok(out)
}

/// `TO_TIMESTAMP(s, pattern)`: `None` when the text does not fit the pattern (Flink: NULL).
pub fn parse(text: &str, pattern: &str) -> Result<Option<i64>, String> {
    let mut c = Civil { year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0, milli: 0 };
    let mut pm = None;
    let mut twelve = false;
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    let pieces = pieces(pattern)?;
    for (k, piece) in pieces.iter().enumerate() {
        match piece {
            Piece::Text(t) => {
                for tc in t.chars() {
                    if chars.get(i) != Some(&tc) {
                        return Ok(None);
                    }
                    i += 1;
                }
            }
            Piece::Field(letter, n) => {
                if *letter == 'a' {
                    let rest: String = chars[i.min(chars.len())..].iter().take(2).collect::<String>().to_ascii_uppercase();
                    pm = match rest.as_str() {
                        "AM" => Some(false),
                        "PM" => Some(true),
                        _ => return Ok(None),
                    };
                    i += 2;
                    continue;
                }
                // A field followed directly by another numeric field takes exactly its width.
                let adjacent = matches!(pieces.get(k + 1), Some(Piece::Field(..)));
                let max = if adjacent { *n } else { usize::MAX };
                let start = i;
                while i < chars.len() && i - start < max && chars[i].is_ascii_digit() {
                    i += 1;
                }
                if i == start {
                    return Ok(None);
                }
                let digits: String = chars[start..i].iter().collect();
                let Ok(v) = digits.parse::<i64>() else { return Ok(None) };
                match letter {
                    'y' => c.year = if *n == 2 && digits.len() == 2 { 2000 + v } else { v },
                    'M' => c.month = v as u32,
                    'd' => c.day = v as u32,
                    'H' | 'k' => c.hour = (v % 24) as u32,
                    'h' | 'K' => {
                        c.hour = (v % 12) as u32;
                        twelve = true;
                    }
                    'm' => c.minute = v as u32,
                    's' => c.second = v as u32,
                    'S' => {
                        // Digits beyond milliseconds are dropped (TIMESTAMP(3)).
                        let ms: String = digits.chars().chain("000".chars()).take(3).collect();
                        c.milli = if *n >= 3 { ms.parse().unwrap_or(0) } else { v.min(999) as u32 };
                    }
                    _ => return Ok(None),
                }
            }
        }
    }
    if i != chars.len() {
        return Ok(None);
    }
    if twelve && pm == Some(true) {
        c.hour += 12;
    }
    let valid = (1..=12).contains(&c.month)
        && c.day >= 1
        && c.day <= days_in_month(c.year, c.month)
        && c.hour < 24
        && c.minute < 60
        && c.second < 60;
    Ok(valid.then(|| from_civil(&c)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> i64 {
        parse(s, "yyyy-MM-dd HH:mm:ss.SSS").unwrap().unwrap()
    }

    #[test]
    fn formats_and_parses_java_patterns() {
        let t = ts("2021-05-19 11:20:09.038");
        assert_eq!(format(t, "yyyy-MM-dd HH:mm:ss").unwrap(), "2021-05-19 11:20:09");
        assert_eq!(format(t, "yy/M/d h:mm a, EEE MMM ''yy 'at' SSS").unwrap(), "21/5/19 11:20 AM, Wed May '21 at 038");
        assert_eq!(parse("2021-05-19 11:20:09", "yyyy-MM-dd HH:mm:ss").unwrap(), Some(t - 38));
        assert_eq!(parse("20210519", "yyyyMMdd").unwrap(), Some(days_from_civil(2021, 5, 19) * MS_PER_DAY));
        assert_eq!(parse("2021-02-30 00:00:00", "yyyy-MM-dd HH:mm:ss").unwrap(), None);
        assert_eq!(parse("garbage", "yyyy-MM-dd").unwrap(), None);
        assert!(format(t, "yyyy QQ").is_err());
    }

    #[test]
    fn extracts_and_does_calendar_arithmetic() {
        let t = ts("2021-05-19 11:20:09.038");
        assert_eq!(extract(Unit::Year, t), 2021);
        assert_eq!(extract(Unit::Quarter, t), 2);
        assert_eq!(extract(Unit::DayOfWeek, t), 4, "a Wednesday");
        assert_eq!(extract(Unit::DayOfYear, t), 139);
        assert_eq!(extract(Unit::Week, t), 20);
        assert_eq!(extract(Unit::Week, ts("2021-01-01 00:00:00.000")), 53);
        assert_eq!(add(Unit::Month, 1, ts("2021-01-31 10:00:00.000")), Some(ts("2021-02-28 10:00:00.000")));
        assert_eq!(add(Unit::Year, -1, ts("2020-02-29 00:00:00.000")), Some(ts("2019-02-28 00:00:00.000")));
        // Calcite's month count clamps the day: Jan 31 + 1 month is Feb 28, so a whole month has
        // passed (Flink 2.3 gives 1; tests/functions/temporal.jsonl).
        assert_eq!(diff(Unit::Month, ts("2021-01-31 00:00:00.000"), ts("2021-02-28 00:00:00.000")), Some(1));
        assert_eq!(diff(Unit::Month, ts("2021-01-15 00:00:00.000"), ts("2021-03-15 00:00:00.000")), Some(2));
        assert_eq!(diff(Unit::Second, ts("2021-01-01 00:00:10.000"), ts("2021-01-01 00:00:00.500")), Some(-9));
        assert_eq!(diff(Unit::Year, ts("2020-06-01 00:00:00.000"), ts("2021-05-31 00:00:00.000")), Some(0));
    }
}
