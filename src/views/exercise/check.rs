//! Checks a learner's query against an exercise: the exercise's files and setup in a session of
//! their own (the page's session is not touched), the query run as a streaming job until its
//! bounded inputs end, its changelog applied to a final table, and that table compared with the
//! expected rows and assertions. The verdict's hint names the first difference.

use super::{Assertion, EventTime, Exercise, ExpectedRows};
use crate::session::{Outcome, Session};
use crate::types::{RowKind, Value};

/// The session clock an exercise starts at (2021-05-19 11:20:00, the walkthrough's morning).
const START_MS: i64 = 1_621_423_200_000;
/// Most clock steps (of a second) a learner's job is given to finish.
const MAX_STEPS: usize = 3_600;
/// Most result rows kept (a query that returns more is wrong anyway).
const MAX_ROWS: usize = 100_000;

/// Pass or fail, and why.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Verdict {
    pub passed: bool,
    /// One sentence: what was checked, or the first difference.
    pub hint: String,
    /// Rows in the learner's final result, and records it dropped as late.
    pub rows: usize,
    pub late: u64,
}

impl Verdict {
    fn fail(hint: impl Into<String>) -> Verdict {
        Verdict { passed: false, hint: hint.into(), rows: 0, late: 0 }
    }
}

/// Runs `query` (a paragraph's text: an interpreter line, statements, the last one a query) for
/// `exercise`.
pub fn check(exercise: &Exercise, query: &str) -> Verdict {
    let mut session = Session::empty();
    session.set_now(START_MS);
    for (name, content) in &exercise.files {
        session.add_file(name, content.as_bytes().to_vec());
    }
    if !exercise.setup.trim().is_empty() {
        if let Err(e) = session.execute(&exercise.setup, START_MS) {
            return Verdict::fail(format!("the exercise itself is broken (its setup fails: {e}); tell its author"));
        }
    }
    let outcomes = match session.execute(query, START_MS) {
        Ok(o) => o,
        Err(e) => return Verdict::fail(format!("your query does not run: {e}")),
    };
    let (columns, rows, late) = match outcomes.into_iter().last() {
        Some(Outcome::Table { columns, rows }) => (columns, rows, 0),
        Some(Outcome::Query { job, columns, .. }) => {
            let mut table: Vec<Vec<Value>> = Vec::new();
            let mut now = START_MS;
            for _ in 0..MAX_STEPS {
                now += 1000;
                session.advance(now);
                for change in session.take_changes(job) {
                    apply(&mut table, change.kind, change.row);
                }
                if table.len() > MAX_ROWS {
                    return Verdict::fail(format!("your query returns more than {MAX_ROWS} rows"));
                }
                if session.job(job).is_none_or(|j| !j.running) {
                    break;
                }
            }
            let Some(info) = session.job(job) else { return Verdict::fail("your query's job went away") };
            if let Some(e) = info.error {
                return Verdict::fail(format!("your query failed: {e}"));
            }
            session.stop_job(job);
            (columns, table, info.late_records_dropped)
        }
        _ => return Verdict::fail("the last statement of your paragraph must be a query (SELECT …)"),
    };
    let names: Vec<String> = columns.iter().map(|c| c.name.clone()).collect();
    let verdict = |passed: bool, hint: String| Verdict { passed, hint, rows: rows.len(), late };
    for assertion in &exercise.assertions {
        match *assertion {
            Assertion::Late(want) if late != want => {
                return verdict(
                    false,
                    format!("{late} record{} dropped as late; the exercise wants {want}", if late == 1 { " was" } else { "s were" }),
                )
            }
            Assertion::Rows(want) if rows.len() != want => {
                return verdict(false, format!("your result has {} rows; the exercise wants {want}", rows.len()))
            }
            Assertion::Windows { count, by } => {
                let cells: Vec<Vec<String>> = rows.iter().map(|r| r.iter().map(Value::to_string).collect()).collect();
                if let Err(hint) = windows_by(&names, &cells, exercise.expect_rows.as_ref(), count, by) {
                    return verdict(false, hint);
                }
            }
            _ => {}
        }
    }
    if let Some(expected) = &exercise.expect_rows {
        let same_columns =
            expected.columns.len() == names.len() && expected.columns.iter().zip(&names).all(|(a, b)| a.eq_ignore_ascii_case(b));
        if !same_columns {
            return verdict(
                false,
                format!("your result's columns are {}; the exercise expects {}", names.join(", "), expected.columns.join(", ")),
            );
        }
        let mut theirs: Vec<Vec<String>> = rows.iter().map(|r| r.iter().map(|v| canonical(&v.to_string())).collect()).collect();
        let mut missing = Vec::new();
        for row in &expected.rows {
            let want: Vec<String> = row.iter().map(|c| canonical(c)).collect();
            match theirs.iter().position(|r| *r == want) {
                Some(i) => {
                    theirs.swap_remove(i);
                }
                None => missing.push(row),
            }
        }
        let shown = |cells: &[String]| -> String {
            expected.columns.iter().zip(cells).map(|(c, v)| format!("{c} = {v}")).collect::<Vec<_>>().join(", ")
        };
        let matched = expected.rows.len() - missing.len();
        if let Some(row) = missing.first() {
            return verdict(
                false,
                format!("{matched} of {} expected rows match; the first one missing is ({})", expected.rows.len(), shown(row)),
            );
        }
        if let Some(extra) = rows.iter().find(|r| {
            let cells: Vec<String> = r.iter().map(|v| canonical(&v.to_string())).collect();
            theirs.contains(&cells)
        }) {
            let cells: Vec<String> = extra.iter().map(|v| v.to_string()).collect();
            return verdict(
                false,
                format!(
                    "every expected row is there, but {} more {}: the first is ({})",
                    theirs.len(),
                    if theirs.len() == 1 { "is too" } else { "are too" },
                    shown(&cells)
                ),
            );
        }
    }
    let late_text = match late {
        0 => "none late".to_string(),
        1 => "1 late".to_string(),
        n => format!("{n} late"),
    };
    verdict(true, format!("{} row{}, {late_text}: as expected", rows.len(), if rows.len() == 1 { "" } else { "s" }))
}

/// Checks `windows: count by T` over the final result: its distinct windows (the
/// `window_start`/`window_end` pairs, or `window_end` alone) ending at or before `T`. The hint
/// names the first window the expected rows have and the result lacks (when the exercise has
/// expected rows with a `window_end`), else the windows counted.
fn windows_by(
    names: &[String],
    rows: &[Vec<String>],
    expected: Option<&ExpectedRows>,
    count: usize,
    by: Option<EventTime>,
) -> Result<(), String> {
    let Some(mut windows) = windows_of(names, rows) else {
        return Err(format!(
            "your result has no window_end column, so its windows cannot be counted (its columns are {})",
            names.join(", ")
        ));
    };
    let first_end = windows.first().map(|w| w.0);
    let limit = |first_end: Option<i64>| match by {
        None => i64::MAX,
        Some(EventTime::At(ms)) => ms,
        Some(EventTime::OfDay(ms)) => first_end.map_or(i64::MIN, |first| first.div_euclid(MS_PER_DAY) * MS_PER_DAY + ms as i64),
    };
    let mine = limit(first_end);
    windows.retain(|w| w.0 <= mine);
    if windows.len() == count {
        return Ok(());
    }
    let by_text = match by {
        None => String::new(),
        Some(EventTime::OfDay(ms)) => format!(" ending by {}", time_of(ms as i64)),
        Some(EventTime::At(ms)) => {
            format!(" ending by {} {}", crate::types::format_date(ms.div_euclid(MS_PER_DAY) as i32), time_of(ms))
        }
    };
    let counted = format!("your result has {} window{}{by_text}", windows.len(), if windows.len() == 1 { "" } else { "s" });
    let wanted = expected.and_then(|e| windows_of(&e.columns, &e.rows)).unwrap_or_default();
    let theirs = limit(wanted.first().map(|w| w.0));
    let missing = wanted.iter().filter(|w| w.0 <= theirs).find(|w| !windows.contains(w));
    if let Some((end, start)) = missing {
        let start = start.map(|s| format!("{} – ", time_of(s))).unwrap_or_default();
        return Err(format!("{counted}; the exercise wants {count}: the first one missing is {start}{}", time_of(*end)));
    }
    let ends: Vec<String> = windows.iter().map(|w| time_of(w.0)).collect();
    let listed = match ends.len() {
        0 => String::new(),
        n if n <= 8 => format!(" (their ends: {})", ends.join(", ")),
        n => format!(" (their ends: {}, … {})", ends[..3].join(", "), ends[n - 1]),
    };
    Err(format!("{counted}{listed}; the exercise wants {count}"))
}

/// The distinct windows of a result, ordered by their end: `(window_end, window_start)`, or
/// `None` when it has no `window_end` column. Cells that are not timestamps are skipped.
fn windows_of(names: &[String], rows: &[Vec<String>]) -> Option<Vec<(i64, Option<i64>)>> {
    let column = |name: &str| names.iter().position(|n| n.eq_ignore_ascii_case(name));
    let end = column("window_end")?;
    let start = column("window_start");
    let instant = |row: &Vec<String>, i: usize| row.get(i).and_then(|c| crate::types::parse_timestamp(c));
    let mut windows: Vec<(i64, Option<i64>)> =
        rows.iter().filter_map(|r| Some((instant(r, end)?, start.and_then(|s| instant(r, s))))).collect();
    windows.sort_unstable();
    windows.dedup();
    Some(windows)
}

const MS_PER_DAY: i64 = 86_400_000;

/// A window end's time of day, `HH:MM:SS`.
fn time_of(ms: i64) -> String {
    crate::types::format_time(ms.rem_euclid(MS_PER_DAY) as i32)
}

/// Applies one change of the changelog to the final table.
fn apply(table: &mut Vec<Vec<Value>>, kind: RowKind, row: Vec<Value>) {
    match kind {
        RowKind::Insert | RowKind::UpdateAfter => table.push(row),
        RowKind::UpdateBefore | RowKind::Delete => {
            if let Some(i) = table.iter().position(|r| *r == row) {
                table.remove(i);
            }
        }
    }
}

/// A cell as compared: timestamps by their instant, numbers by value, `NULL` and booleans in
/// any case, other text as written.
fn canonical(cell: &str) -> String {
    let cell = cell.trim();
    if cell.eq_ignore_ascii_case("null") {
        return "NULL".into();
    }
    if cell.eq_ignore_ascii_case("true") || cell.eq_ignore_ascii_case("false") {
        return cell.to_ascii_lowercase();
    }
    if cell.len() >= 19 {
        if let Some(ms) = crate::types::parse_timestamp(cell) {
            return format!("ts:{ms}");
        }
    }
    if let Ok(x) = cell.parse::<f64>() {
        if x.is_finite() {
            return format!("n:{}", (x * 1e6).round() / 1e6);
        }
    }
    cell.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_compare_by_value() {
        assert_eq!(canonical("2021-05-19 11:20:00"), canonical("2021-05-19T11:20:00.000"));
        assert_eq!(canonical("2.50"), canonical("2.5"));
        assert_eq!(canonical("TRUE"), canonical("true"));
        assert_ne!(canonical("2.5"), canonical("2.6"));
        assert_eq!(canonical(" OK "), "OK");
    }
}
