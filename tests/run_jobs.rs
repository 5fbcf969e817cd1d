//! `sluice run` with independent queries side by side (`--jobs`): a script prints, byte for
//! byte, what it prints with `--jobs 1` (one statement after the other), stops where it would
//! when a query fails, and an INSERT is a barrier that the queries around it see.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{sensor_table, temp_dir};

fn sensor_input() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sensor_input.jsonl")
}

/// Runs `script` (written to `dir`) with these flags: stdout, stderr and the exit code.
fn run(dir: &Path, script: &str, flags: &[&str]) -> (String, String, i32) {
    let path = dir.join("script.sql");
    std::fs::write(&path, script).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_sluice")).arg("run").args(flags).arg(&path).output().expect("sluice runs");
    (String::from_utf8(out.stdout).expect("UTF-8"), String::from_utf8_lossy(&out.stderr).into_owned(), out.status.code().unwrap_or(-1))
}

/// The queries whose changes stdout holds, in the order they print: each line's column names,
/// runs of the same query collapsed.
fn queries_in_order(stdout: &str) -> Vec<String> {
    let mut order: Vec<String> = Vec::new();
    for line in stdout.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("not a JSON line ({e}): {line}"));
        let columns: Vec<&str> = v["row"].as_object().expect("row").keys().map(String::as_str).collect();
        let columns = columns.join(",");
        if order.last() != Some(&columns) {
            order.push(columns);
        }
    }
    order
}

/// Five queries (a file twice, a view defined after the first, bounded datagen under a SET
/// that changes its rows, VALUES) with DDL, SHOW and EXPLAIN output between them; the datagen
/// query prints far more than a query may hold waiting for its turn.
fn mixed_script() -> String {
    format!(
        "{}\
         SELECT status, COUNT(*) AS n FROM sensor_data GROUP BY status;\n\
         CREATE VIEW hot AS SELECT * FROM sensor_data WHERE current_temperature > 30;\n\
         SELECT window_start, COUNT(*) AS hot_readings FROM TABLE(TUMBLE(TABLE hot, DESCRIPTOR(event_time), INTERVAL '10' SECOND))\n\
           GROUP BY window_start, window_end;\n\
         CREATE TABLE gen (id BIGINT, v INT) WITH ('connector' = 'datagen', 'number-of-rows' = '40000',\n\
           'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '40000');\n\
         SET 'sluice.datagen.seed' = '7';\n\
         SELECT id, v FROM gen;\n\
         SHOW TABLES;\n\
         EXPLAIN SELECT a FROM (VALUES (1)) AS t(a);\n\
         SELECT a, COUNT(*) AS c FROM (VALUES (1), (2), (1)) AS t(a) GROUP BY a;\n\
         SELECT sensor_id, current_temperature FROM sensor_data WHERE sensor_id = 3;\n",
        sensor_table(&sensor_input())
    )
}

#[test]
fn queries_side_by_side_print_what_one_after_the_other_prints() {
    let dir = temp_dir("jobs-mixed");
    let script = mixed_script();
    let (one, one_err, one_code) = run(&dir, &script, &["--jobs", "1", "--metrics", "10"]);
    let (many, many_err, many_code) = run(&dir, &script, &["--jobs", "4", "--metrics", "10"]);
    assert_eq!(one_code, 0, "{one_err}");
    assert_eq!(many_code, 0, "{many_err}");
    // The datagen query alone prints more than it may keep waiting (CHUNK_BYTES × CHUNKS_IN_FLIGHT).
    let datagen_bytes: usize = one.lines().filter(|l| l.contains("\"id\":")).map(|l| l.len() + 1).sum();
    assert!(datagen_bytes > 1 << 20, "{datagen_bytes} bytes");
    assert!(one == many, "stdout differs: {} bytes one after the other, {} side by side", one.len(), many.len());
    assert_eq!(one_err, many_err);
    // In statement order, SHOW TABLES and EXPLAIN between them, and the late ledgers of
    // `--metrics` in job order at the end.
    let order = [
        "status,n",
        "window_start,hot_readings",
        "id,v",
        "table name",
        // EXPLAIN's text is not a JSON line: checked below.
    ];
    let json: String = many.lines().filter(|l| l.starts_with('{')).map(|l| format!("{l}\n")).collect();
    assert_eq!(queries_in_order(&json), [&order[..], &["a,c", "sensor_id,current_temperature"]].concat());
    let explain = many.find("== Physical").or_else(|| many.find("Values")).expect("EXPLAIN printed");
    assert!(many.find("\"table name\"").unwrap() < explain && explain < many.find("\"a\":").unwrap());
    assert!(many_err.contains("late"), "the window query's late ledger: {many_err}");
}

#[test]
fn a_failing_query_stops_the_script_where_it_would_one_after_the_other() {
    let dir = temp_dir("jobs-fail");
    let bad = dir.join("bad.json");
    std::fs::write(&bad, "{\"a\":1}\n{\"a\":2}\nnot json\n{\"a\":3}\n").unwrap();
    let script = format!(
        "{}\
         CREATE TABLE bad (a INT) WITH ('connector' = 'filesystem', 'path' = '{}', 'format' = 'json');\n\
         SELECT sensor_id, status FROM sensor_data WHERE sensor_id < 10;\n\
         SELECT a FROM bad;\n\
         CREATE VIEW after_it AS SELECT a FROM bad;\n\
         SELECT x, COUNT(*) AS c FROM (VALUES (1), (2), (1)) AS t(x) GROUP BY x;\n",
        sensor_table(&sensor_input()),
        bad.display()
    );
    let (one, one_err, one_code) = run(&dir, &script, &["--jobs", "1"]);
    let (many, many_err, many_code) = run(&dir, &script, &["--jobs", "3"]);
    assert_eq!((one_code, many_code), (1, 1));
    assert!(one == many, "stdout differs");
    assert_eq!(one_err, many_err);
    assert!(
        many_err.trim_end().ends_with(
            "error: a record of `bad` could not be read: cannot decode JSON record `not json` at byte 0: a record must be a JSON object"
        ),
        "{many_err}"
    );
    assert!(!many_err.contains("after_it"), "a statement after the failure ran: {many_err}");
    assert_eq!(queries_in_order(&many), ["sensor_id,status", "a"], "the rows before the bad record, nothing after");
    assert_eq!(many.lines().filter(|l| l.contains("\"a\":")).count(), 2);
}

/// Rows the INSERT's file holds before it runs.
const BEFORE: i64 = 100_000;

#[test]
fn an_insert_is_a_barrier_for_the_queries_around_it() {
    let dir = temp_dir("jobs-insert");
    let target = dir.join("out.json");
    // Enough rows before the INSERT that the query before it is still reading them if the
    // INSERT did not wait for it.
    let before: String = (0..BEFORE).map(|i| format!("{{\"sensor_id\":{i},\"status\":\"OK\"}}\n")).collect();
    let script = format!(
        "{}\
         CREATE TABLE written (sensor_id INT, status STRING) WITH ('connector' = 'filesystem', 'path' = '{}', 'format' = 'json');\n\
         SELECT COUNT(*) AS before_insert FROM written;\n\
         INSERT INTO written SELECT sensor_id, status FROM sensor_data WHERE sensor_id = 3;\n\
         SELECT COUNT(*) AS after_insert FROM written;\n",
        sensor_table(&sensor_input()),
        target.display()
    );
    let inserted = std::fs::read_to_string(sensor_input()).unwrap().lines().filter(|l| l.contains("\"sensor_id\":3,")).count() as i64;
    assert!(inserted > 0);
    // One decoding thread: the file is read as it grows, not up to its length when opened.
    for flags in [&["--jobs", "1"][..], &["--jobs", "2"], &["--jobs", "2", "--threads", "1"], &[]] {
        std::fs::write(&target, &before).unwrap();
        let (out, err, code) = run(&dir, &script, flags);
        assert_eq!(code, 0, "{flags:?}: {err}");
        let last = |column: &str| {
            out.lines().rev().filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok()).find_map(|v| v["row"][column].as_i64())
        };
        assert_eq!(last("before_insert"), Some(BEFORE), "{flags:?}: the SELECT before the INSERT reads none of its rows");
        assert_eq!(last("after_insert"), Some(BEFORE + inserted), "{flags:?}: the SELECT after the INSERT reads its rows: {out}");
    }
}
