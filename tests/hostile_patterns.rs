//! Hostile patterns: the LIKE, SIMILAR TO and regular-expression cases of `tests/hostile/like/`
//! and `tests/hostile/regex/`, each run through `sluice run` over a table `t (s STRING)`.
//!
//! A case is a JSON file: `values` (strings, nulls, or `{"repeat": "ab", "times": n, "then":
//! "c"}` for long ones), a `query`, and either the `rows` it must give or the `error` text the
//! job must fail with. Pathological cases assert their answer; how fast they are is printed by
//! `sluice bench` (the "patterns" lines), never timed here.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::path::Path;

use serde_json::{json, Value};

fn value_of(spec: &Value) -> Value {
    match spec {
        Value::Object(o) if o.contains_key("repeat") => {
            let unit = o["repeat"].as_str().expect("repeat is a string");
            let times = o["times"].as_u64().expect("times is a number") as usize;
            let then = o.get("then").and_then(Value::as_str).unwrap_or("");
            Value::String(unit.repeat(times) + then)
        }
        other => other.clone(),
    }
}

fn run_case(path: &Path) -> Result<(), String> {
    let case: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let dir = common::temp_dir("hostile-patterns");
    let input = dir.join("t.jsonl");
    let lines: Vec<String> = case["values"].as_array().expect("values").iter().map(|v| json!({ "s": value_of(v) }).to_string()).collect();
    std::fs::write(&input, lines.join("\n") + "\n").unwrap();
    let script = format!(
        "CREATE TABLE t (s STRING) WITH ('connector'='filesystem', 'path'='{}', 'format'='json');\n{};\n",
        input.display(),
        case["query"].as_str().expect("query")
    );
    let run = common::sluice_run(&script);
    let _ = std::fs::remove_dir_all(&dir);
    if run.stderr.contains("panicked") || run.stderr.contains("overflow") {
        return Err(format!("crashed: {}", run.stderr));
    }
    match (case.get("rows"), case.get("error").and_then(Value::as_str)) {
        (Some(rows), None) => {
            if run.code != 0 {
                return Err(format!("failed: {}", run.stderr));
            }
            let got: Vec<Value> = run.changes.into_iter().map(|(_, row)| Value::Object(row)).collect();
            if &Value::Array(got.clone()) != rows {
                return Err(format!("rows differ:\n  expected {rows}\n  got      {}", Value::Array(got)));
            }
        }
        (None, Some(error)) => {
            if run.code == 0 {
                return Err(format!("expected the error `{error}`, got rows {:?}", run.changes));
            }
            if !run.stderr.contains(error) {
                return Err(format!("expected the error `{error}`, got: {}", run.stderr));
            }
        }
        _ => panic!("{}: a case has `rows` or `error`", path.display()),
    }
    Ok(())
}

fn run_folder(folder: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile").join(folder);
    let mut paths: Vec<_> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|x| x == "json")).collect();
    paths.sort();
    assert!(!paths.is_empty(), "no cases in {}", dir.display());
    let failures: Vec<String> =
        paths.iter().filter_map(|p| run_case(p).err().map(|e| format!("{}: {e}", p.file_name().unwrap().to_string_lossy()))).collect();
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), paths.len(), failures.join("\n"));
}

#[test]
fn like_and_similar_to_cases_give_flinks_answers_without_backtracking() {
    run_folder("like");
}

#[test]
fn regex_cases_give_javas_answers_and_never_freeze() {
    run_folder("regex");
}
