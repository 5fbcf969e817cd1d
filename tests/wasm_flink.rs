//! The engine compiled to wasm32 and run in headless Chromium over the reference input gives
//! the rows Apache Flink 2.3 gave, as natively: the walkthrough's Q1 (tests/flink/q1_hop_legacy),
//! an interval self-join, a FULL JOIN of two updating aggregates, LIMIT and ORDER BY.
#![cfg(target_arch = "wasm32")]

use sluice::session::{Outcome, Session};
use sluice::types::Value;
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

/// Runs `query` over the reference input to its end; its final rows (changelog folded) as
/// comparable text, sorted.
fn final_rows(query: &str) -> Vec<String> {
    let mut session = Session::empty();
    session.add_file("/reference/input.jsonl", INPUT.as_bytes().to_vec());
    session.execute(TABLE, 0).unwrap_or_else(|e| panic!("CREATE TABLE: {e}"));
    let outcomes = session.execute(query, 0).unwrap_or_else(|e| panic!("{query}: {e}"));
    let Some(Outcome::Query { job, columns, .. }) = outcomes.into_iter().last() else { panic!("{query} started no job") };
    let mut changes = Vec::new();
    session.run_to_end(job, &mut |c| changes.extend(c)).unwrap_or_else(|e| panic!("{query} failed: {e}"));
    let mut rows: Vec<String> = Vec::new();
    for c in &changes {
        let row = key(columns.iter().zip(&c.row).map(|(col, v)| {
            let json = match v {
                Value::Timestamp(_) => serde_json::Value::String(v.to_string()),
                v => v.to_json(),
            };
            (col.name.clone(), json)
        }));
        if c.kind.is_accumulate() {
            rows.push(row);
        } else {
            let i = rows.iter().position(|r| *r == row).unwrap_or_else(|| panic!("{:?} of a row not in the result: {row}", c.kind));
            rows.remove(i);
        }
    }
    rows.sort();
    rows
}

fn expected_rows(expected: &str) -> Vec<String> {
    let mut rows: Vec<String> = expected
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let row: serde_json::Map<String, serde_json::Value> = serde_json::from_str(l).expect("expected rows are JSON objects");
            key(row.into_iter())
        })
        .collect();
    rows.sort();
    rows
}

#[wasm_bindgen_test]
fn q1_in_the_browser_matches_flink() {
    let got = final_rows(QUERY);
    assert_eq!(got.len(), 317, "Flink gave 317 rows");
    assert_eq!(got, expected_rows(EXPECTED));
}

#[wasm_bindgen_test]
fn interval_join_in_the_browser_matches_flink() {
    let got = final_rows(include_str!("flink/interval_join_self/query.sql"));
    assert_eq!(got, expected_rows(include_str!("flink/interval_join_self/expected_exact.jsonl")));
}

#[wasm_bindgen_test]
fn full_join_of_aggregates_in_the_browser_matches_flink() {
    let got = final_rows(include_str!("flink/join_full_of_aggregates/query.sql"));
    assert_eq!(got, expected_rows(include_str!("flink/join_full_of_aggregates/expected_exact.jsonl")));
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

/// Issue 16's first rows in the browser: SELECT without FROM, LIMIT, ORDER BY … LIMIT (a Top-N)
/// and ORDER BY a time attribute with its late rows dropped, each as Flink 2.3 gave them.
#[wasm_bindgen_test]
fn limit_order_by_and_select_without_from_in_the_browser_match_flink() {
    let cases: [(&str, &str); 5] = [
        (include_str!("flink/select_without_from/query.sql"), include_str!("flink/select_without_from/expected_exact.jsonl")),
        (include_str!("flink/limit_10/query.sql"), include_str!("flink/limit_10/expected_exact.jsonl")),
        (include_str!("flink/limit_offset_filtered/query.sql"), include_str!("flink/limit_offset_filtered/expected_exact.jsonl")),
        (include_str!("flink/order_by_limit_hottest/query.sql"), include_str!("flink/order_by_limit_hottest/expected_exact.jsonl")),
        (include_str!("flink/order_by_rowtime_then_id/query.sql"), include_str!("flink/order_by_rowtime_then_id/expected_exact.jsonl")),
    ];
    for (query, expected) in cases {
        assert_eq!(final_rows(query), expected_rows(expected), "{query}");
    }
}
