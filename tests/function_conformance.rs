//! Every built-in function and operator against real Apache Flink 2.3: `tests/functions/*.jsonl`
//! hold what Flink computed (`tests/functions/generate.py` ran each case in PyFlink 2.3 — value,
//! result type, or the error Flink raised), and this test runs the same `SELECT <expr> FROM …`
//! through Sluice's session and compares. It prints `covered N of M`: M is the named functions of
//! Flink's reference (`tests/functions/flink_functions.txt`), N those whose every case matches.
//! A mismatch fails the test unless `tests/functions/exceptions.txt` lists the case with the
//! reason (each one a difference DIFFERENCES.md documents).
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value as Json;
use sluice::session::{Outcome, Session};
use sluice::types::{RowKind, Value};

const ONE: &str = "(VALUES (1)) AS t(x)";

struct Case {
    family: String,
    function: String,
    sql: String,
    from: String,
    /// Flink's result type, when Flink planned the call.
    ty: Option<String>,
    /// Flink's rows (one value each, as Java prints it), when it ran.
    values: Option<Vec<Option<String>>>,
    /// Flink's error, when it refused.
    error: Option<String>,
    /// The session time zone (`table.local-time-zone`) the case ran in, when not UTC's default.
    zone: Option<String>,
}

fn cases() -> Vec<Case> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/functions");
    let mut files: Vec<_> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "jsonl")).collect();
    files.sort();
    let mut out = Vec::new();
    for path in files {
        let file = path.file_stem().unwrap().to_string_lossy().to_string();
        for line in std::fs::read_to_string(&path).unwrap().lines().filter(|l| !l.trim().is_empty()) {
            let j: Json = serde_json::from_str(line).unwrap_or_else(|e| panic!("{}: {e}: {line}", path.display()));
            let text = |k: &str| j.get(k).and_then(Json::as_str).map(str::to_string);
            let zone = text("zone");
            out.push(Case {
                family: zone.as_ref().map_or_else(|| file.clone(), |z| format!("{file} in {z}")),
                function: text("function").unwrap(),
                sql: text("sql").unwrap(),
                from: text("from").unwrap_or_else(|| ONE.to_string()),
                ty: text("type"),
                values: j.get("values").and_then(Json::as_array).map(|a| a.iter().map(|v| v.as_str().map(str::to_string)).collect()),
                error: text("error"),
                zone,
            });
        }
    }
    out
}

/// What Sluice gives for a case: the result type and the final rows, or the error.
fn sluice(case: &Case) -> Result<(String, Vec<Value>), String> {
    let mut session = Session::empty();
    let sql = format!("SELECT {} AS v FROM {}", case.sql, case.from);
    // The processing-time clock reads the real time, as Flink's does.
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64);
    if let Some(zone) = &case.zone {
        session.execute(&format!("SET 'table.local-time-zone' = '{zone}'"), now).map_err(|e| e.to_string())?;
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
        return *flink == sluice.to_string() || flink.parse::<f64>().ok() == sluice.as_f64();
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

/// Why a case does not match, or `None` when it does.
fn mismatch(case: &Case) -> Option<String> {
    let got = sluice(case);
    match (&case.error, got) {
        (Some(_), Err(_)) => None,
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

fn listed(file: &str) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/functions").join(file);
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

#[test]
fn every_function_gives_flinks_values() {
    let exceptions: BTreeMap<String, String> = listed("exceptions.txt")
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
    let all = cases();
    for case in &all {
        tested.insert(case.function.clone());
        if let Some(why) = mismatch(case) {
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
    let flink = listed("flink_functions.txt");
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
