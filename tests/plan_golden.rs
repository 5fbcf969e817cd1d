//! Plan golden tests: SQL in, EXPLAIN out. Each `tests/plan/*.sql` file is a script of blocks,
//! run in order in one fresh session:
//!
//! ```text
//! # A comment (kept as written).
//! SELECT status FROM sensor_data WHERE sensor_id > 3;
//! ----
//! <what the statement gave>
//! ```
//!
//! A block is one statement, a `----` line, then the output up to the next blank line (a blank
//! line inside the output is written as a line holding only `.`). A query (`SELECT`, `WITH`,
//! `VALUES`) gives its `EXPLAIN`; an `INSERT` is started for real (so the sink checks run; the
//! session never advances, so nothing is read) and gives its warnings, then its `EXPLAIN`; any
//! other statement gives its confirmation or table. An error gives `error: line:col: message`
//! (the place in the statement as written), and its hint.
//!
//! The runner knows nothing of EXPLAIN's format: on a mismatch it prints a diff per block, and
//! `UPDATE_GOLDEN=1 cargo test --test plan_golden` rewrites the files with what the planner gives
//! (review the diff before committing). `PLAN_GOLDEN=file` runs only `tests/plan/file.sql`.
#![cfg(not(target_arch = "wasm32"))]

use std::fmt::Write;
use std::path::PathBuf;

use sluice::session::{Outcome, Session};

/// The reference input, given to the session as a file so tables over it can be read.
const INPUT_PATH: &str = "/plan/sensor_input.jsonl";

fn plan_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/plan")
}

/// One block of a script: the lines before it (comments, blank lines), the statement, and the
/// output the file expects.
struct Block {
    lead: Vec<String>,
    sql: String,
    /// Where the statement starts in the file (1-based), for messages.
    line: usize,
    expected: Vec<String>,
}

/// Splits a script into blocks; the error names the line that breaks the form.
fn parse(text: &str) -> Result<(Vec<Block>, Vec<String>), String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut blocks = Vec::new();
    let mut i = 0;
    let mut lead = Vec::new();
    while i < lines.len() {
        let line = lines[i];
        if line.trim().is_empty() || line.starts_with('#') {
            lead.push(line.to_string());
            i += 1;
            continue;
        }
        let start = i;
        let mut sql = Vec::new();
        while i < lines.len() && lines[i] != "----" {
            if lines[i].trim().is_empty() {
                return Err(format!("line {}: a blank line inside a statement, or a statement without `----` after it", i + 1));
            }
            sql.push(lines[i]);
            i += 1;
        }
        if i == lines.len() {
            return Err(format!("line {}: the statement has no `----` line after it", start + 1));
        }
        i += 1;
        let mut expected = Vec::new();
        while i < lines.len() && !lines[i].trim().is_empty() {
            expected.push(if lines[i] == "." { String::new() } else { lines[i].to_string() });
            i += 1;
        }
        blocks.push(Block { lead: std::mem::take(&mut lead), sql: sql.join("\n"), line: start + 1, expected });
    }
    Ok((blocks, lead))
}

/// The first keyword of a statement, upper-cased.
fn first_word(sql: &str) -> String {
    sql.trim_start().split(|c: char| !c.is_ascii_alphabetic()).next().unwrap_or("").to_ascii_uppercase()
}

fn outcome_text(outcome: Outcome, out: &mut Vec<String>) {
    match outcome {
        Outcome::Done { message, warnings } => {
            out.push(message);
            out.extend(warnings.into_iter().map(|w| format!("warning: {w}")));
        }
        Outcome::Table { columns, rows } => {
            out.push(columns.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(" | "));
            for row in rows {
                out.push(row.iter().map(ToString::to_string).collect::<Vec<_>>().join(" | "));
            }
        }
        Outcome::Text(text) => out.extend(text.trim_end().lines().map(str::to_string)),
        Outcome::Diagnosis(d) => out.extend(sluice::views::diagnosis::render(&d).trim_end().lines().map(str::to_string)),
        Outcome::Query { columns, warnings, .. } => {
            out.push(format!("query started: {}", columns.iter().map(|c| format!("{} {}", c.name, c.ty)).collect::<Vec<_>>().join(", ")));
            out.extend(warnings.into_iter().map(|w| format!("warning: {w}")));
        }
        Outcome::Insert { target, warnings, .. } => {
            out.push(format!("insert started into {target}"));
            out.extend(warnings.into_iter().map(|w| format!("warning: {w}")));
        }
    }
}

/// Runs `sql` (with `prefix` lines before it, which a location must not count) and appends
/// what it gave; false if it failed.
fn run(session: &mut Session, prefix: &str, sql: &str, out: &mut Vec<String>) -> bool {
    match session.execute(&format!("{prefix}{sql}"), 0) {
        Ok(outcomes) => {
            for o in outcomes {
                outcome_text(o, out);
            }
            true
        }
        Err(mut e) => {
            if let Some(loc) = &mut e.location {
                loc.line = loc.line.saturating_sub(prefix.matches('\n').count() as _);
            }
            out.extend(format!("error: {e}").lines().map(str::to_string));
            false
        }
    }
}

/// What a block's statement gives in `session`.
fn actual(session: &mut Session, sql: &str) -> Vec<String> {
    let mut out = Vec::new();
    match first_word(sql).as_str() {
        "SELECT" | "WITH" | "VALUES" => {
            run(session, "EXPLAIN\n", sql, &mut out);
        }
        "INSERT" => {
            let mut started = Vec::new();
            if run(session, "", sql, &mut started) {
                // The job's own line says nothing the EXPLAIN below does not; its warnings do.
                out.extend(started.into_iter().filter(|l| l.starts_with("warning: ")));
                run(session, "EXPLAIN\n", sql, &mut out);
            } else {
                out.extend(started);
            }
        }
        _ => {
            run(session, "", sql, &mut out);
        }
    }
    // A trailing blank line would end the block early; the `.` form keeps one inside.
    while out.last().is_some_and(|l| l.trim().is_empty()) {
        out.pop();
    }
    out.into_iter().map(|l| l.trim_end().to_string()).collect()
}

fn render(blocks: &[Block], outputs: &[Vec<String>], tail: &[String]) -> String {
    let mut text = String::new();
    for (b, out) in blocks.iter().zip(outputs) {
        for l in &b.lead {
            writeln!(text, "{l}").unwrap();
        }
        writeln!(text, "{}\n----", b.sql).unwrap();
        for l in out {
            writeln!(text, "{}", if l.is_empty() { "." } else { l }).unwrap();
        }
    }
    for l in tail {
        writeln!(text, "{l}").unwrap();
    }
    text
}

/// A small line diff of one block: expected lines `-`, actual `+`, common ` `.
fn diff(expected: &[String], actual: &[String]) -> String {
    // Longest common subsequence: blocks are short.
    let (n, m) = (expected.len(), actual.len());
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if expected[i] == actual[j] { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, String::new());
    while i < n || j < m {
        if i < n && j < m && expected[i] == actual[j] {
            writeln!(out, "   {}", expected[i]).unwrap();
            (i, j) = (i + 1, j + 1);
        } else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) {
            writeln!(out, "  -{}", expected[i]).unwrap();
            i += 1;
        } else {
            writeln!(out, "  +{}", actual[j]).unwrap();
            j += 1;
        }
    }
    out
}

#[test]
fn plans_match_the_golden_files() {
    let update = std::env::var("UPDATE_GOLDEN").is_ok_and(|v| v == "1");
    let only = std::env::var("PLAN_GOLDEN").ok();
    let mut files: Vec<PathBuf> = std::fs::read_dir(plan_dir())
        .expect("tests/plan is readable")
        .map(|e| e.expect("tests/plan lists").path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .filter(|p| only.as_ref().is_none_or(|o| p.file_stem().is_some_and(|s| s == o.as_str())))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no .sql file in tests/plan (PLAN_GOLDEN={only:?})");
    let input = std::fs::read(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/sensor_input.jsonl")).unwrap();
    let mut failures = Vec::new();
    for path in &files {
        let name = path.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap_or(path).display().to_string();
        let text = std::fs::read_to_string(path).unwrap();
        let (blocks, tail) = parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let mut session = Session::empty();
        session.add_file(INPUT_PATH, input.clone());
        let outputs: Vec<Vec<String>> = blocks.iter().map(|b| actual(&mut session, &b.sql)).collect();
        if update {
            let new = render(&blocks, &outputs, &tail);
            if new != text {
                std::fs::write(path, new).unwrap();
                eprintln!("rewrote {name}");
            }
            continue;
        }
        for (b, out) in blocks.iter().zip(&outputs) {
            if *out != b.expected {
                failures.push(format!("{name}:{}: {}\n{}", b.line, b.sql.lines().next().unwrap_or(""), diff(&b.expected, out)));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} plan blocks differ (`-` expected, `+` got; UPDATE_GOLDEN=1 rewrites the files):\n\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The file form itself: a block's output ends at a blank line, `.` stands for a blank line
/// inside it, and rendering what was parsed gives the file back.
#[test]
fn the_golden_form_round_trips() {
    let text = "# setup\nSELECT 1;\n----\na\n.\nb\n\nSELECT\n  2;\n----\nerror: 1:8: x\n\n# end\n";
    let (blocks, tail) = parse(text).unwrap();
    assert_eq!(blocks.len(), 2);
    assert_eq!(blocks[0].expected, ["a", "", "b"]);
    assert_eq!(blocks[1].sql, "SELECT\n  2;");
    assert_eq!(blocks[1].line, 8);
    let outputs: Vec<Vec<String>> = blocks.iter().map(|b| b.expected.clone()).collect();
    assert_eq!(render(&blocks, &outputs, &tail), text);
    assert!(parse("SELECT 1;\n\n----\n").is_err(), "a blank line inside a statement is refused");
    assert!(parse("SELECT 1;\n").is_err(), "a statement needs its ----");
}
