//! The walkthrough's Q1 compiled to wasm32 and run in headless Chromium over the reference
//! input gives the rows Apache Flink 2.3 gave (tests/flink/q1_hop_legacy), as natively.
#![cfg(target_arch = "wasm32")]

use sluice::session::{Outcome, Session};
use sluice::types::{RowKind, Value};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const INPUT: &str = include_str!("data/sensor_input.jsonl");
const QUERY: &str = include_str!("flink/q1_hop_legacy/query.sql");
const EXPECTED: &str = include_str!("flink/q1_hop_legacy/expected_exact.jsonl");

const TABLE: &str = "CREATE TABLE sensor_data (sensor_id INTEGER, current_temperature DOUBLE, status VARCHAR(6),
    event_time TIMESTAMP(3), WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND)
  WITH ('connector' = 'filesystem', 'path' = '/reference/input.jsonl', 'format' = 'json',
        'json.timestamp-format.standard' = 'ISO-8601')";

/// A row as comparable text, doubles to 9 significant digits (the reference allows 1e-9).
fn key(values: impl Iterator<Item = (String, serde_json::Value)>) -> String {
    values
        .map(|(name, v)| match v.as_f64() {
            Some(d) if !v.is_i64() => format!("{name}={d:.9e}"),
            _ => format!("{name}={v}"),
        })
        .collect::<Vec<_>>()
        .join(",")
}

#[wasm_bindgen_test]
fn q1_in_the_browser_matches_flink() {
    let mut session = Session::empty();
    session.add_file("/reference/input.jsonl", INPUT.as_bytes().to_vec());
    session.execute(TABLE, 0).unwrap_or_else(|e| panic!("CREATE TABLE: {e}"));
    let outcomes = session.execute(QUERY, 0).unwrap_or_else(|e| panic!("Q1: {e}"));
    let Some(Outcome::Query { job, columns, .. }) = outcomes.into_iter().last() else { panic!("Q1 started no job") };
    let mut changes = Vec::new();
    session.run_to_end(job, &mut |c| changes.extend(c)).unwrap_or_else(|e| panic!("Q1 failed: {e}"));

    assert!(changes.iter().all(|c| c.kind == RowKind::Insert), "a window aggregate only inserts");
    let mut got: Vec<String> = changes
        .iter()
        .map(|c| {
            key(columns.iter().zip(&c.row).map(|(col, v)| {
                let json = match v {
                    Value::Timestamp(_) => serde_json::Value::String(v.to_string()),
                    v => v.to_json(),
                };
                (col.name.clone(), json)
            }))
        })
        .collect();
    let mut expected: Vec<String> = EXPECTED
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let row: serde_json::Map<String, serde_json::Value> = serde_json::from_str(l).expect("expected rows are JSON objects");
            key(row.into_iter())
        })
        .collect();
    got.sort();
    expected.sort();
    assert_eq!(got.len(), 317, "Flink gave 317 rows");
    assert_eq!(got, expected);
}

#[wasm_bindgen_test]
fn batch_mode_folds_the_changelog_in_the_browser() {
    let mut session = Session::empty();
    session.add_file("/reference/input.jsonl", INPUT.as_bytes().to_vec());
    session.execute(TABLE, 0).unwrap_or_else(|e| panic!("CREATE TABLE: {e}"));
    let outcomes = session
        .execute("%flink.bsql\nSELECT status, COUNT(*) AS num FROM sensor_data GROUP BY status", 0)
        .unwrap_or_else(|e| panic!("batch query: {e}"));
    let Some(Outcome::Table { rows, .. }) = outcomes.into_iter().last() else { panic!("a batch query returns a table") };
    let total: i64 = rows.iter().map(|r| if let Value::Int(n) = r[1] { n } else { 0 }).sum();
    assert_eq!(rows.len(), 3);
    assert_eq!(total, 10_000, "every reference record is counted once");
}
