//! Golden tests against Apache Flink 2.3: every folder of `tests/flink/` is a case (a query, the
//! rows real Flink produced for `tests/data/sensor_input.jsonl`, the changes it emitted, and the
//! case's notes in `case.json`; `tests/flink_case/mod.rs` says what each file means). One test
//! runs them all with `sluice run`, so a new folder runs without a wrapper; a failure names the
//! case and the rows that differ. `FLINK_CASE=name,…` runs only those cases.
#![cfg(not(target_arch = "wasm32"))]

mod common;
mod flink_case;

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use common::{sensor_table, sluice_run, sluice_run_text};
use flink_case::Case;

fn cases_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/flink")
}

/// The case folders, by name.
fn case_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(cases_dir())
        .expect("tests/flink is readable")
        .map(|e| e.expect("tests/flink lists"))
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.') && n != "__pycache__")
        .collect();
    names.sort();
    names
}

/// Runs one case; the error says what differs.
fn run_case(name: &str) -> Result<(), String> {
    let dir = cases_dir().join(name);
    let file = |f: &str| std::fs::read_to_string(dir.join(f)).ok();
    let case = Case::load(name, &file)?;
    // A case with an input of its own has its tables too (`table.sql`, `{input}`: the input's
    // path, `{dir}`: the case's folder, where other files it reads are).
    let table = match file("table.sql") {
        Some(table) => format!(
            "{};\n",
            table
                .trim()
                .trim_end_matches(';')
                .replace("{input}", &dir.join("input.jsonl").display().to_string())
                .replace("{dir}", &dir.display().to_string())
        ),
        None => sensor_table(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sensor_input.jsonl")),
    };
    // An INSERT case writes into the print sink of its `sink.sql` (a CREATE TABLE … AS case
    // makes its own): what it prints is compared with `printed.txt`.
    if file("printed.txt").is_some() {
        let sink = file("sink.sql").map_or_else(String::new, |sink| format!("{};\n", sink.trim().trim_end_matches(';')));
        let script = format!("{table}{sink}{};\n", case.query.trim().trim_end_matches(';'));
        let (stdout, stderr, code) = sluice_run_text(&script);
        if code != 0 {
            return Err(format!("sluice run failed:\n{stderr}"));
        }
        return case.check_printed(&stdout);
    }
    let script = format!("{table}{};\n", case.query.trim().trim_end_matches(';'));
    let run = sluice_run(&script);
    if run.code != 0 {
        return Err(format!("sluice run failed:\n{}", run.stderr));
    }
    case.check(&run.changes)
}

#[test]
fn every_case_folder_matches_flink() {
    let only: Option<Vec<String>> = std::env::var("FLINK_CASE").ok().map(|s| s.split(',').map(str::to_string).collect());
    let names: Vec<String> = case_names().into_iter().filter(|n| only.as_ref().is_none_or(|o| o.contains(n))).collect();
    assert!(!names.is_empty(), "no case folder in tests/flink (FLINK_CASE={only:?})");
    // Each case is a `sluice run` process: a few at a time.
    let next = Mutex::new(names.iter());
    let failures = Mutex::new(Vec::new());
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get()).min(4);
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| loop {
                let Some(name) = next.lock().unwrap().next() else { break };
                if let Err(e) = run_case(name) {
                    failures.lock().unwrap().push(format!("tests/flink/{name}: {e}"));
                }
            });
        }
    });
    let mut failures = failures.into_inner().unwrap();
    failures.sort();
    assert!(failures.is_empty(), "{} of {} Flink cases differ:\n\n{}", failures.len(), names.len(), failures.join("\n\n"));
}

/// The wasm runner cannot read the folder, so it lists the cases it runs: exactly those whose
/// case.json says `"wasm": true`.
#[test]
fn the_wasm_runner_lists_the_cases_marked_for_wasm() {
    let listing = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/wasm_flink.rs")).unwrap();
    // `cases! { … }` over the reference input, `own_input_cases! { … }` over their own.
    let blocks: Vec<&str> = listing.split("cases! {").skip(1).filter_map(|rest| rest.split('}').next()).collect();
    assert!(!blocks.is_empty(), "tests/wasm_flink.rs has a `cases! {{ … }}` list");
    let listed: Vec<&str> = blocks.iter().flat_map(|b| b.split(',')).map(str::trim).filter(|n| !n.is_empty()).collect();
    let marked: Vec<String> = case_names()
        .into_iter()
        .filter(|n| {
            let notes = std::fs::read_to_string(cases_dir().join(n).join("case.json")).unwrap_or_default();
            flink_case::Notes::parse(&notes).is_ok_and(|notes| notes.wasm)
        })
        .collect();
    let missing: Vec<&String> = marked.iter().filter(|n| !listed.contains(&n.as_str())).collect();
    let stale: Vec<&&str> = listed.iter().filter(|n| !marked.iter().any(|m| m == *n)).collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "tests/wasm_flink.rs's `cases!` list: add {missing:?}; remove {stale:?} (or mark it \"wasm\": true in its case.json)"
    );
}
