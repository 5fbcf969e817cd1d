//! Every built-in function and operator against real Apache Flink 2.3: `tests/functions/*.jsonl`
//! hold what Flink computed (`tests/functions/generate.py` ran each case in PyFlink 2.3 — value,
//! result type, or the error Flink raised), and this test runs the same `SELECT <expr> FROM …`
//! through Sluice's session and compares. It prints `covered N of M`: M is the named functions of
//! Flink's reference (`tests/functions/flink_functions.txt`), N those whose every case matches.
//! A mismatch fails the test unless `tests/functions/exceptions.txt` lists the case with the
//! reason (each one a difference DIFFERENCES.md documents). `tests/wasm_functions.rs` runs the
//! same cases in wasm.
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;

mod functions_case;

#[test]
fn every_function_gives_flinks_values() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/functions");
    let mut paths: Vec<_> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "jsonl")).collect();
    paths.sort();
    let texts: Vec<(String, String)> =
        paths.iter().map(|p| (p.file_stem().unwrap().to_string_lossy().to_string(), std::fs::read_to_string(p).unwrap())).collect();
    let files: Vec<(&str, &str)> = texts.iter().map(|(f, t)| (f.as_str(), t.as_str())).collect();
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap();
    // The processing-time clock reads the real time, as Flink's does.
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64);
    functions_case::check_all(&files, &read("exceptions.txt"), &read("flink_functions.txt"), now);
}

/// The wasm run (`tests/wasm_functions.rs`) compiles the golden files in by name: it must list
/// every one of them.
#[test]
fn the_wasm_run_lists_every_golden_file() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let wasm = std::fs::read_to_string(dir.join("wasm_functions.rs")).unwrap();
    for entry in std::fs::read_dir(dir.join("functions")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "jsonl") {
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            assert!(wasm.contains(&format!("\"functions/{name}\"")), "tests/wasm_functions.rs does not include {name}");
        }
    }
}
