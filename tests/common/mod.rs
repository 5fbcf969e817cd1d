//! Shared by the tests that drive the `sluice` binary: run a script, read its JSON lines.
#![allow(dead_code)]

pub mod kafka;
pub mod kinesis;
#[cfg(not(target_arch = "wasm32"))]
pub mod tls;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Map, Value};

/// What `sluice run` printed: each change's op and row, stderr, and the exit code.
pub struct Run {
    pub changes: Vec<(String, Map<String, Value>)>,
    pub stderr: String,
    pub code: i32,
}

/// A new empty directory under the system's temp dir, unique to this test process and call.
pub fn temp_dir(prefix: &str) -> PathBuf {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let dir = std::env::temp_dir().join(format!("sluice-{prefix}-{}-{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed)));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The reference `sensor_data` table over the JSON lines at `input`.
pub fn sensor_table(input: &Path) -> String {
    format!(
        "CREATE TABLE sensor_data (sensor_id INTEGER, current_temperature DOUBLE, status VARCHAR(6),\n\
         event_time TIMESTAMP(3), WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND)\n\
         WITH ('connector'='filesystem', 'path'='{}', 'format'='json',\n\
         'json.timestamp-format.standard'='ISO-8601');\n",
        input.display()
    )
}

/// Runs `script` with `sluice run` and parses its output.
pub fn sluice_run(script: &str) -> Run {
    let (stdout, stderr, code) = sluice_run_text(script);
    let changes = stdout
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap_or_else(|e| panic!("not a JSON line ({e}): {l}"));
            (v["op"].as_str().expect("op").to_string(), v["row"].as_object().expect("row").clone())
        })
        .collect();
    Run { changes, stderr, code }
}

/// Runs `script` with `sluice run`: its stdout, its stderr and its exit code.
pub fn sluice_run_text(script: &str) -> (String, String, i32) {
    let dir = temp_dir("run");
    let path = dir.join("script.sql");
    std::fs::write(&path, script).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_sluice")).arg("run").arg(&path).output().expect("sluice runs");
    let _ = std::fs::remove_dir_all(&dir);
    let stdout = String::from_utf8(output.stdout).expect("stdout is UTF-8");
    (stdout, String::from_utf8_lossy(&output.stderr).into_owned(), output.status.code().unwrap_or(-1))
}

/// Runs `queries` over a `sensor_data` table holding `records` (written as JSON lines).
pub fn run_over(records: &[Value], queries: &str) -> Run {
    let dir = temp_dir("input");
    let input = dir.join("input.jsonl");
    let lines: Vec<String> = records.iter().map(Value::to_string).collect();
    std::fs::write(&input, lines.join("\n") + "\n").unwrap();
    let run = sluice_run(&format!("{}{queries}\n", sensor_table(&input)));
    let _ = std::fs::remove_dir_all(&dir);
    run
}
