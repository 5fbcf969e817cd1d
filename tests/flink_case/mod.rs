//! One golden case of `tests/flink/<case>/` checked against the changes a run produced, shared by
//! the native runner (`tests/flink_reference.rs`, which finds the cases by reading the folder) and
//! the wasm one (`tests/wasm_flink.rs`, which lists them, since a wasm test cannot read folders).
//!
//! A case is its folder's files:
//! - `query.sql`: the query, run over a `sensor_data` table reading `tests/data/sensor_input.jsonl`,
//!   or, for a case with an input of its own, over the table of its `table.sql` (`{input}` stands
//!   for the path of its `input.jsonl`, `{dir}` for its folder, where any other file it reads is;
//!   it may create several tables, `;` between them; natively only);
//! - `expected_exact.jsonl`: the final rows Apache Flink 2.3 produced (a multiset);
//! - `meta.json` (written by `generate.py`): Flink's columns in order, and its count of each change
//!   kind, compared unless `changes_not_compared` says why not;
//! - for an INSERT case, `sink.sql` (the print sink `query.sql` writes into; none for a
//!   CREATE TABLE … AS, which makes its own) and `printed.txt`
//!   (every line Flink's print sink wrote, in order, compared line by line; `meta.json` then
//!   counts the lines per change kind);
//! - `case.json` (written by hand): what the case tests (`about`), and optionally `tolerance` (the
//!   relative tolerance on doubles, default 1e-9: Flink sums window slices in another order),
//!   `changelog` (a file of every change in Flink's emission order, `{"op":…,"row":…}`, compared
//!   change by change, to `changelog_tolerance`, default 5e-6 as it is printed to 6 digits) and
//!   `variants` (further expected-row files, for a case whose rows Flink varies from run to run:
//!   matching any one passes) and `wasm` (true: `tests/wasm_flink.rs` runs it in the browser too;
//!   a debug wasm build in headless Chromium is slow, and a case that keeps the page busy for
//!   30 s trips ChromeDriver's timeout, so only a few cases do).
#![allow(dead_code)]

use std::collections::HashMap;

use serde_json::{Map, Value};

pub type Row = Map<String, Value>;
/// A change as a run prints it: `+I`, `-U`, `+U` or `-D`, and the row.
pub type Change = (String, Row);

/// How many differing rows a failure lists.
const SHOWN: usize = 8;

/// A case's notes, from its `case.json`.
#[derive(Debug, Clone)]
pub struct Notes {
    pub about: String,
    pub tolerance: f64,
    pub changelog: Option<String>,
    pub changelog_tolerance: f64,
    pub variants: Vec<String>,
    pub wasm: bool,
}

impl Notes {
    pub fn parse(text: &str) -> Result<Notes, String> {
        let v: Value = serde_json::from_str(text).map_err(|e| format!("case.json: {e}"))?;
        let obj = v.as_object().ok_or("case.json: not a JSON object")?;
        for key in obj.keys() {
            if !["about", "tolerance", "changelog", "changelog_tolerance", "variants", "wasm"].contains(&key.as_str()) {
                return Err(format!("case.json: unknown key `{key}`"));
            }
        }
        let about = obj.get("about").and_then(Value::as_str).filter(|s| !s.trim().is_empty());
        let number = |key: &str, default: f64| match obj.get(key) {
            None => Ok(default),
            Some(v) => v.as_f64().ok_or(format!("case.json: `{key}` is not a number")),
        };
        Ok(Notes {
            about: about.ok_or("case.json: `about` (what the case tests) is missing")?.to_string(),
            tolerance: number("tolerance", 1e-9)?,
            changelog: obj.get("changelog").and_then(Value::as_str).map(str::to_string),
            changelog_tolerance: number("changelog_tolerance", 5e-6)?,
            variants: match obj.get("variants") {
                None => Vec::new(),
                Some(v) => v
                    .as_array()
                    .and_then(|a| a.iter().map(|f| f.as_str().map(str::to_string)).collect::<Option<Vec<_>>>())
                    .ok_or("case.json: `variants` is not a list of file names")?,
            },
            wasm: match obj.get("wasm") {
                None => false,
                Some(v) => v.as_bool().ok_or("case.json: `wasm` is not true or false")?,
            },
        })
    }
}

/// A case's files, read from its folder (natively) or included (in wasm). `file` gives a file
/// of the folder by name, `None` if it is not there.
pub struct Case<'a> {
    pub name: &'a str,
    pub query: String,
    pub notes: Notes,
    pub meta: Value,
    pub file: &'a dyn Fn(&str) -> Option<String>,
}

impl<'a> Case<'a> {
    pub fn load(name: &'a str, file: &'a dyn Fn(&str) -> Option<String>) -> Result<Case<'a>, String> {
        let need = |f: &str| file(f).ok_or(format!("{f} is missing"));
        let meta = serde_json::from_str(&need("meta.json")?).map_err(|e| format!("meta.json: {e}"))?;
        Ok(Case { name, query: need("query.sql")?, notes: Notes::parse(&need("case.json")?)?, meta, file })
    }

    /// Checks what an INSERT case's print sink wrote against Flink's lines (`printed.txt`), line
    /// by line in order; the error names the first line that differs.
    pub fn check_printed(&self, printed: &str) -> Result<(), String> {
        let expected = (self.file)("printed.txt").ok_or("printed.txt is missing")?;
        let (got, want): (Vec<&str>, Vec<&str>) = (printed.lines().collect(), expected.lines().collect());
        if let Some(at) = (0..got.len().max(want.len())).find(|&i| got.get(i) != want.get(i)) {
            return Err(format!(
                "printed line {} is {:?}, Flink printed {:?} ({} lines printed, Flink {})",
                at + 1,
                got.get(at).copied().unwrap_or("nothing"),
                want.get(at).copied().unwrap_or("nothing"),
                got.len(),
                want.len()
            ));
        }
        Ok(())
    }

    /// Checks a run's changes against the case; the error says what differs.
    pub fn check(&self, changes: &[Change]) -> Result<(), String> {
        let meta = &self.meta;
        if meta["changes_not_compared"].is_null() {
            for op in ["+I", "-U", "+U", "-D"] {
                let got = changes.iter().filter(|(o, _)| o == op).count() as u64;
                let want = meta["ops"][op].as_u64().ok_or(format!("meta.json: no count of {op}"))?;
                if got != want {
                    return Err(format!("{got} {op} changes, Flink emitted {want}"));
                }
            }
        }
        let columns: Vec<&str> =
            meta["columns"].as_array().ok_or("meta.json: no columns")?.iter().filter_map(|c| c["name"].as_str()).collect();
        if let Some((_, first)) = changes.first() {
            let got: Vec<&str> = first.keys().map(String::as_str).collect();
            if got != columns {
                return Err(format!("columns {got:?}, Flink's are {columns:?}"));
            }
        }
        let rows = final_rows(changes)?;
        let mut expected_files = vec!["expected_exact.jsonl".to_string()];
        expected_files.extend(self.notes.variants.iter().cloned());
        let mut first_error = None;
        for f in &expected_files {
            let expected = read_jsonl(&(self.file)(f).ok_or(format!("{f} is missing"))?).map_err(|e| format!("{f}: {e}"))?;
            match same_rows(&rows, &expected, self.notes.tolerance) {
                Ok(()) => {
                    first_error = None;
                    break;
                }
                Err(e) => {
                    first_error.get_or_insert(format!("final rows differ from {f}: {e}"));
                }
            }
        }
        if let Some(e) = first_error {
            return Err(e);
        }
        if let Some(f) = &self.notes.changelog {
            let text = (self.file)(f).ok_or(format!("{f} is missing"))?;
            same_changelog(changes, &text, self.notes.changelog_tolerance).map_err(|e| format!("{f}: {e}"))?;
        }
        Ok(())
    }
}

pub fn read_jsonl(text: &str) -> Result<Vec<Row>, String> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| match serde_json::from_str::<Value>(l) {
            Ok(Value::Object(row)) => Ok(row),
            Ok(_) => Err(format!("line {}: not a JSON object", i + 1)),
            Err(e) => Err(format!("line {}: {e}", i + 1)),
        })
        .collect()
}

/// Applies a changelog: the final rows (+I/+U add a row, -U/-D remove an equal one).
pub fn final_rows(changes: &[Change]) -> Result<Vec<Row>, String> {
    let mut rows: Vec<Row> = Vec::new();
    for (i, (op, row)) in changes.iter().enumerate() {
        match op.as_str() {
            "+I" | "+U" => rows.push(row.clone()),
            "-U" | "-D" => {
                let at = rows
                    .iter()
                    .position(|r| r == row)
                    .ok_or(format!("change {i}: {op} of a row not in the result: {}", Value::from(row.clone())))?;
                rows.swap_remove(at);
            }
            other => return Err(format!("change {i}: unknown op {other}")),
        }
    }
    Ok(rows)
}

fn values_match(a: &Value, b: &Value, rel: f64) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) if a.is_f64() || b.is_f64() => x == y || (x - y).abs() <= rel * x.abs().max(y.abs()),
        _ => a == b,
    }
}

pub fn rows_match(a: &Row, b: &Row, rel: f64) -> bool {
    a.len() == b.len() && a.iter().all(|(k, v)| b.get(k).is_some_and(|w| values_match(v, w, rel)))
}

/// Multiset equality with a tolerance on doubles; the error lists the rows that differ.
pub fn same_rows(actual: &[Row], expected: &[Row], rel: f64) -> Result<(), String> {
    // Bucket by the row's non-double values so matching stays fast on thousands of rows.
    let key = |r: &Row| r.iter().filter(|(_, v)| !v.is_f64()).map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",");
    let mut buckets: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, r) in expected.iter().enumerate() {
        buckets.entry(key(r)).or_default().push(i);
    }
    let mut used = vec![false; expected.len()];
    let mut extra = Vec::new();
    for row in actual {
        let hit = buckets.get(&key(row)).and_then(|c| c.iter().copied().find(|&i| !used[i] && rows_match(row, &expected[i], rel)));
        match hit {
            Some(i) => used[i] = true,
            None => extra.push(row),
        }
    }
    let missing: Vec<&Row> = expected.iter().zip(&used).filter(|(_, u)| !**u).map(|(r, _)| r).collect();
    if missing.is_empty() && extra.is_empty() {
        return Ok(());
    }
    let mut out = format!("{} rows, {} expected: {} missing, {} unexpected", actual.len(), expected.len(), missing.len(), extra.len());
    for (sign, rows) in [("- missing   ", &missing), ("+ unexpected", &extra)] {
        for r in rows.iter().take(SHOWN) {
            out.push_str(&format!("\n  {sign} {}", Value::from((*r).clone())));
        }
        if rows.len() > SHOWN {
            out.push_str(&format!("\n  {sign} … and {} more", rows.len() - SHOWN));
        }
    }
    Err(out)
}

/// Change-by-change equality with Flink's emission order.
pub fn same_changelog(changes: &[Change], expected: &str, rel: f64) -> Result<(), String> {
    let expected: Vec<Value> = expected
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()
        .map_err(|e| format!("not JSON lines: {e}"))?;
    for (i, ((op, row), want)) in changes.iter().zip(&expected).enumerate() {
        let same = want["op"].as_str() == Some(op.as_str()) && want["row"].as_object().is_some_and(|w| rows_match(row, w, rel));
        if !same {
            return Err(format!(
                "change {i} differs:\n  - expected   {want}\n  + got        {{\"op\":\"{op}\",\"row\":{}}}",
                Value::from(row.clone())
            ));
        }
    }
    if changes.len() != expected.len() {
        return Err(format!("{} changes, Flink emitted {}", changes.len(), expected.len()));
    }
    Ok(())
}
