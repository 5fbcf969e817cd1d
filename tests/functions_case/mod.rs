//! The function conformance suite's checking, shared by the native run
//! (`tests/function_conformance.rs`, reading `tests/functions/`) and the wasm run
//! (`tests/wasm_functions.rs`, the same files compiled in): each golden case of
//! `tests/functions/*.jsonl` (what `tests/functions/generate.py` recorded from Apache Flink 2.3)
//! run as `SELECT <expr> AS v FROM <from>` through Sluice's session and compared.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value as Json;
use sluice::session::{Outcome, Session};
use sluice::types::{RowKind, Value};

const ONE: &str = "(VALUES (1)) AS t(x)";

pub struct Case {
    pub family: String,
    pub function: String,
    pub sql: String,
    from: String,
    /// Flink's result type, when Flink planned the call.
    ty: Option<String>,
    /// Flink's rows (one value each, as Java prints it), when it ran.
    values: Option<Vec<Option<String>>>,
    /// Flink's error, when it refused.
    error: Option<String>,
    /// The session time zone (`table.local-time-zone`) the case ran in, when not UTC's default.
    zone: Option<String>,
    /// A streaming case's table (`CREATE TABLE …`, `{input}` standing for its file's path) and
    /// that file's lines: Flink ran it in streaming mode, a watermark after every record.
    table: Option<(String, String)>,
}

/// Where a streaming case's input file is given to the session.
const INPUT: &str = "/functions/input.jsonl";

/// The cases of the golden files, given as (file stem, text) pairs.
pub fn cases(files: &[(&str, &str)]) -> Vec<Case> {
    let mut out = Vec::new();
    for (file, text) in files {
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let j: Json = serde_json::from_str(line).unwrap_or_else(|e| panic!("{file}: {e}: {line}"));
            let text = |k: &str| j.get(k).and_then(Json::as_str).map(str::to_string);
            let zone = text("zone");
            out.push(Case {
                family: zone.as_ref().map_or_else(|| file.to_string(), |z| format!("{file} in {z}")),
                function: text("function").unwrap(),
                sql: text("sql").unwrap(),
                from: text("from").unwrap_or_else(|| ONE.to_string()),
                ty: text("type"),
                values: j.get("values").and_then(Json::as_array).map(|a| a.iter().map(|v| v.as_str().map(str::to_string)).collect()),
                error: text("error"),
                zone,
                table: text("table").zip(text("input")),
            });
        }
    }
    out
}

/// What Sluice gives for a case: the result type and the final rows, or the error.
fn sluice(case: &Case, now: i64) -> Result<(String, Vec<Value>), String> {
    let mut session = Session::empty();
    let sql = format!("SELECT {} AS v FROM {}", case.sql, case.from);
    if let Some(zone) = &case.zone {
        session.execute(&format!("SET 'table.local-time-zone' = '{zone}'"), now).map_err(|e| e.to_string())?;
    }
    if let Some((table, input)) = &case.table {
        session.add_file(INPUT, input.as_bytes().to_vec());
        session.execute(&table.replace("{input}", INPUT), now).map_err(|e| format!("the case's table: {e}"))?;
    }
    let outcome = session.execute(&sql, now).map_err(|e| e.to_string())?.pop();
    let Some(Outcome::Query { job, columns, .. }) = outcome else { return Err(format!("not a query: {outcome:?}")) };
    let mut rows: Vec<Value> = Vec::new();
    session.run_to_end(job, &mut |changes| {
        for c in changes {
            let v = c.row.into_iter().next().unwrap_or(Value::Null);
            match c.kind {
                RowKind::Insert | RowKind::UpdateAfter => rows.push(v),
                RowKind::UpdateBefore | RowKind::Delete => {
                    if let Some(i) = rows.iter().position(|r| *r == v) {
                        rows.remove(i);
                    }
                }
            }
        }
    })?;
    Ok((columns[0].ty.to_string(), rows))
}

/// Java's `LocalDateTime`/`Instant` text (`2020-02-29T10:00`, `1970-01-01T00:00:00.001Z`) as
/// milliseconds since the epoch.
fn java_timestamp_ms(text: &str) -> Option<i64> {
    let text = text.trim_end_matches('Z').replace('T', " ");
    let (main, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let main = if main.matches(':').count() == 1 { format!("{main}:00") } else { main.to_string() };
    let millis: String = fraction.chars().chain("000".chars()).take(3).collect();
    Some(sluice::types::parse_timestamp(&main)? + millis.parse::<i64>().ok()?)
}

/// Whether Sluice's value is the one Flink printed, read by Flink's type.
fn same_value(flink: &Option<String>, ty: &str, sluice: &Value) -> bool {
    let Some(flink) = flink else { return sluice.is_null() };
    if sluice.is_null() {
        return false;
    }
    let base = ty.trim_end_matches(" NOT NULL");
    if base.starts_with("DOUBLE") || base.starts_with("FLOAT") {
        let (Ok(f), Some(s)) = (flink.parse::<f64>(), sluice.as_f64()) else { return false };
        return (f.is_nan() && s.is_nan()) || f == s || (f - s).abs() <= 1e-14 * f.abs().max(1.0);
    }
    if base.starts_with("DECIMAL") {
        // Digit for digit, scale included: DECIMAL arithmetic is exact in both.
        return matches!(sluice, Value::Decimal(..)) && plain_decimal(flink).is_some_and(|f| f == sluice.to_string());
    }
    if base.starts_with("MULTISET") {
        // A multiset has no order: Flink prints a Java HashMap's, Sluice the first arrivals'.
        let entries = |text: &str| {
            let mut e: Vec<String> = text.trim_matches(['{', '}']).split(", ").map(str::to_string).collect();
            e.sort();
            e
        };
        return entries(flink) == entries(&sluice.to_string());
    }
    if base.starts_with("BOOLEAN") {
        return *flink == sluice.to_string().to_lowercase();
    }
    if base.starts_with("TIMESTAMP") {
        return matches!(sluice, Value::Timestamp(t) if java_timestamp_ms(flink) == Some(*t));
    }
    if base.starts_with("TIME") {
        let text = if flink.matches(':').count() == 1 { format!("{flink}:00") } else { flink.clone() };
        return matches!(sluice, Value::Time(t) if sluice::types::parse_time(&text) == Some(*t));
    }
    *flink == sluice.to_string()
}

/// A decimal as Python's `str(Decimal)` writes it (`1E-7`, `-2.50`) in plain digits with its
/// scale (`0.0000001`, `-2.50`), as Sluice prints a DECIMAL.
fn plain_decimal(text: &str) -> Option<String> {
    let (mantissa, exponent) = match text.split_once(['E', 'e']) {
        Some((m, e)) => (m, e.parse::<i32>().ok()?),
        None => (text, 0),
    };
    let (sign, mantissa) = mantissa.strip_prefix('-').map_or(("", mantissa), |m| ("-", m));
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = format!("{int}{frac}");
    let scale = frac.len() as i32 - exponent;
    if scale <= 0 {
        return Some(format!("{sign}{digits}{}", "0".repeat((-scale) as usize)));
    }
    let digits = format!("{:0>width$}", digits, width = scale as usize + 1);
    let (i, f) = digits.split_at(digits.len() - scale as usize);
    let i = i.trim_start_matches('0');
    Some(format!("{sign}{}.{f}", if i.is_empty() { "0" } else { i }))
}

/// Why a case does not match, or `None` when it does.
pub fn mismatch(case: &Case, now: i64) -> Option<String> {
    let got = sluice(case, now);
    match (&case.error, got) {
        (Some(e), Err(got)) => match flinks_words(e) {
            Some(words) if case.table.is_some() && !got.contains(words) => {
                Some(format!("Flink refuses with \"{words}\"; Sluice refuses otherwise: {got}"))
            }
            _ => None,
        },
        (Some(e), Ok((_, rows))) => Some(format!("Flink refuses ({e}); Sluice gives {rows:?}")),
        (None, Err(e)) => Some(format!("Flink gives {:?}; Sluice fails: {e}", case.values)),
        (None, Ok((ty, rows))) => {
            let flink_ty = case.ty.clone().unwrap_or_default();
            let values = case.values.clone().unwrap_or_default();
            let same = values.len() == rows.len() && values.iter().zip(&rows).all(|(f, s)| same_value(f, &flink_ty, s));
            if !same {
                Some(format!("Flink gives {values:?} ({flink_ty}); Sluice gives {rows:?} ({ty})"))
            } else if ty != flink_ty {
                Some(format!("same value, but the type is {ty}, Flink's is {flink_ty}"))
            } else {
                None
            }
        }
    }
}

/// The message of Flink's error without its Java exception class, when it says why on its own
/// (`LEAD Function is not supported in stream mode.`); `None` for a first line that only
/// introduces the lines after it (`Invalid function call:`). A streaming case's refusal must
/// carry these words: those cases stand for functions Flink's streaming planner refuses.
fn flinks_words(error: &str) -> Option<&str> {
    let words = error.split_once("Exception: ").map_or(error, |(_, w)| w).trim();
    (!words.ends_with(':') && !words.is_empty()).then_some(words)
}

fn listed(text: &str) -> Vec<String> {
    text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(str::to_string).collect()
}

/// Runs every case of `files` through Sluice with the clock at `now`, compares with Flink's
/// golden values and prints `covered N of M`; panics listing the cases that differ and are not
/// in `exceptions` (the text of `exceptions.txt`), or exceptions that are stale.
/// `flink_functions` is the text of `flink_functions.txt`.
pub fn check_all(files: &[(&str, &str)], exceptions: &str, flink_functions: &str, now: i64) {
    let exceptions: BTreeMap<String, String> = listed(exceptions)
        .into_iter()
        .map(|l| {
            let (sql, reason) = l.split_once(" -- ").unwrap_or_else(|| panic!("exceptions.txt: `{l}` needs ` -- reason`"));
            (sql.trim().to_string(), reason.trim().to_string())
        })
        .collect();
    let mut failures = Vec::new();
    let mut excepted = Vec::new();
    let mut failed_functions = BTreeSet::new();
    let mut tested = BTreeSet::new();
    let mut used = BTreeSet::new();
    let all = cases(files);
    for case in &all {
        tested.insert(case.function.clone());
        if let Some(why) = mismatch(case, now) {
            failed_functions.insert(case.function.clone());
            match exceptions.get(&case.sql) {
                Some(reason) => {
                    used.insert(case.sql.clone());
                    excepted.push(format!("  {} [{}]: {reason}", case.sql, case.family))
                }
                None => failures.push(format!("  {} [{}]: {why}", case.sql, case.family)),
            }
        }
    }
    let flink = listed(flink_functions);
    let covered: Vec<&String> = flink.iter().filter(|f| tested.contains(*f) && !failed_functions.contains(*f)).collect();
    let uncovered: Vec<&String> = flink.iter().filter(|f| !covered.contains(f)).collect();
    println!("{} cases; {} excepted:\n{}", all.len(), excepted.len(), excepted.join("\n"));
    println!("not covered: {}", uncovered.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", "));
    println!("covered {} of {}", covered.len(), flink.len());
    assert!(failures.is_empty(), "{} cases differ from Flink:\n{}", failures.len(), failures.join("\n"));
    let stale: Vec<&String> = exceptions.keys().filter(|sql| !all.iter().any(|c| &c.sql == *sql)).collect();
    assert!(stale.is_empty(), "exceptions.txt names cases that no longer exist: {stale:?}");
    let fixed: Vec<&String> = exceptions.keys().filter(|sql| !used.contains(*sql)).collect();
    assert!(fixed.is_empty(), "exceptions.txt names cases that now give Flink's values (drop them): {fixed:?}");
}
