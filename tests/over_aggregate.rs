//! OVER aggregation beyond the two Flink reference cases: which input lines the reference
//! queries drop as late (against Flink's `late.jsonl`), and small hand-worked streams for the
//! emit and drop rules of each frame kind, written out in the comments as Flink 2.3 behaves
//! (`RowTime{Rows,Range}{Bounded,Unbounded}PrecedingFunction`). The watermark is always the
//! largest event time so far − 5 s.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::path::PathBuf;

use common::{run_over, sensor_table, Run};
use serde_json::{json, Value};
use sluice::session::{Outcome, Session};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs a reference case in a session and returns (sensor_id, event_time) of every line the
/// query dropped, plus the result's column types.
fn dropped_and_types(case: &str) -> (Vec<(i64, String)>, Vec<String>) {
    let query = std::fs::read_to_string(root().join("tests/flink").join(case).join("query.sql")).unwrap();
    let mut session = Session::empty();
    let script = format!("{}{};", sensor_table(&root().join("tests/data/sensor_input.jsonl")), query.trim().trim_end_matches(';'));
    let outcomes = session.execute(&script, 0).unwrap_or_else(|e| panic!("{case}: {e}"));
    let Some(Outcome::Query { job, columns, .. }) = outcomes.last() else { panic!("{case}: no query job in {outcomes:?}") };
    let job = *job;
    session.run_to_end(job, &mut |_| {}).unwrap();
    let dropped = session
        .late_records(job)
        .into_iter()
        .map(|r| {
            let sensor = match &r.row[0] {
                sluice::types::Value::Int(v) => *v,
                other => panic!("sensor_id is {other:?}"),
            };
            (sensor, sluice::types::format_timestamp(r.event_time))
        })
        .collect();
    (dropped, columns.iter().map(|c| c.ty.to_string()).collect())
}

fn flink_late_lines(case: &str) -> Vec<(i64, String)> {
    let input: Vec<Value> = std::fs::read_to_string(root().join("tests/data/sensor_input.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    std::fs::read_to_string(root().join("tests/flink").join(case).join("late.jsonl"))
        .unwrap()
        .lines()
        .map(|l| {
            let late: Value = serde_json::from_str(l).unwrap();
            // `line` counts input lines from 0.
            let record = &input[late["line"].as_u64().unwrap() as usize];
            assert_eq!(record["event_time"], late["event_time"]);
            (record["sensor_id"].as_i64().unwrap(), record["event_time"].as_str().unwrap().to_string())
        })
        .collect()
}

fn check_drops_and_types(case: &str) {
    let (mut dropped, types) = dropped_and_types(case);
    let mut expected = flink_late_lines(case);
    dropped.sort();
    expected.sort();
    assert_eq!(dropped, expected, "{case}: dropped lines");
    let meta: Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("tests/flink").join(case).join("meta.json")).unwrap()).unwrap();
    let flink_types: Vec<&str> = meta["columns"].as_array().unwrap().iter().map(|c| c["type"].as_str().unwrap()).collect();
    assert_eq!(types, flink_types, "{case}: column types");
}

#[test]
fn over_rows_drops_the_lines_flink_dropped_and_keeps_flinks_types() {
    check_drops_and_types("over_rows_avg");
}

#[test]
fn over_range_drops_the_lines_flink_dropped_including_the_cleanup_timer_one() {
    check_drops_and_types("over_range_1min");
}

// ---------------------------------------------------------------------------------------------
// Hand-worked streams, run through `sluice run`.

fn run(records: &[Value], query: &str) -> Run {
    run_over(records, query)
}

/// The rows of an insert-only result, in emission order.
fn rows(records: &[Value], query: &str) -> Vec<Value> {
    let r = run(records, query);
    assert_eq!(r.code, 0, "sluice run failed:\n{}", r.stderr);
    r.changes
        .into_iter()
        .map(|(op, row)| {
            assert_eq!(op, "+I");
            Value::Object(row)
        })
        .collect()
}

fn rejected(query: &str) -> String {
    let r = run(&[rec(1, 1.0, "20:00.000")], query);
    assert_ne!(r.code, 0, "expected an error, got {:?}", r.changes);
    assert!(!r.stderr.contains("panicked"), "panicked: {}", r.stderr);
    r.stderr
}

/// A record at 11:`time` (`mm:ss.fff`).
fn rec(sensor: i64, temp: f64, time: &str) -> Value {
    json!({"sensor_id": sensor, "current_temperature": temp, "status": "OK", "event_time": format!("2021-05-19T11:{time}")})
}

fn at(time: &str) -> String {
    format!("2021-05-19T11:{time}")
}

/// 20:00 and 20:10 on time, 20:02 behind the watermark (20:05) but after the last row emitted
/// for sensor 1 (20:00), then 20:20.
fn behind_the_watermark() -> Vec<Value> {
    vec![rec(1, 10.0, "20:00.000"), rec(1, 20.0, "20:10.000"), rec(1, 30.0, "20:02.000"), rec(1, 40.0, "20:20.000")]
}

#[test]
fn unbounded_over_drops_rows_behind_the_watermark() {
    // RowTime*UnboundedPrecedingFunction drops a row whose time is ≤ the watermark it arrived
    // under: 20:02 arrives under 20:05.
    let got = rows(
        &behind_the_watermark(),
        "SELECT event_time, COUNT(*) OVER w AS cnt, SUM(current_temperature) OVER w AS total FROM sensor_data \
         WINDOW w AS (PARTITION BY sensor_id ORDER BY event_time ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW);",
    );
    assert_eq!(
        got,
        vec![
            json!({"event_time": at("20:00.000"), "cnt": 1, "total": 10.0}),
            json!({"event_time": at("20:10.000"), "cnt": 2, "total": 30.0}),
            json!({"event_time": at("20:20.000"), "cnt": 3, "total": 70.0}),
        ]
    );
}

#[test]
fn bounded_rows_over_takes_a_row_behind_the_watermark_if_its_partition_has_not_passed_it() {
    // Bounded frames drop only rows at or before the partition's last fired timestamp (20:00),
    // so 20:02 is taken and comes out, in time order, before 20:10.
    let got = rows(
        &behind_the_watermark(),
        "SELECT event_time, COUNT(*) OVER w AS cnt, SUM(current_temperature) OVER w AS total FROM sensor_data \
         WINDOW w AS (PARTITION BY sensor_id ORDER BY event_time ROWS BETWEEN 1 PRECEDING AND CURRENT ROW);",
    );
    assert_eq!(
        got,
        vec![
            json!({"event_time": at("20:00.000"), "cnt": 1, "total": 10.0}),
            json!({"event_time": at("20:02.000"), "cnt": 2, "total": 40.0}),
            json!({"event_time": at("20:10.000"), "cnt": 2, "total": 50.0}),
            json!({"event_time": at("20:20.000"), "cnt": 2, "total": 60.0}),
        ]
    );
}

#[test]
fn bounded_range_over_drops_rows_before_an_outdated_cleanup_timer() {
    // RANGE 10 s: sensor 1 at 20:00 registers a clean-up timer at 20:15.001, 20:08 moves the
    // clean-up point to 20:23.001. Sensor 2 at 20:22 lifts the watermark to 20:17: sensor 1's
    // 20:08 fires, then the outdated 20:15.001 timer fires and becomes the partition's last
    // fired time. So 20:12 and 20:14 are dropped although only 20:08 was emitted; 20:16 is
    // taken (behind the watermark, but after 20:15.001) and sees 20:08 in its frame.
    let got = rows(
        &[
            rec(1, 1.0, "20:00.000"),
            rec(1, 2.0, "20:08.000"),
            rec(2, 100.0, "20:22.000"),
            rec(1, 3.0, "20:12.000"),
            rec(1, 4.0, "20:14.000"),
            rec(1, 5.0, "20:16.000"),
        ],
        "SELECT sensor_id, event_time, COUNT(*) OVER w AS cnt, SUM(current_temperature) OVER w AS total FROM sensor_data \
         WINDOW w AS (PARTITION BY sensor_id ORDER BY event_time RANGE BETWEEN INTERVAL '10' SECOND PRECEDING AND CURRENT ROW);",
    );
    let mut got: Vec<String> = got.iter().map(Value::to_string).collect();
    got.sort();
    let mut want: Vec<String> = [
        json!({"sensor_id": 1, "event_time": at("20:00.000"), "cnt": 1, "total": 1.0}),
        json!({"sensor_id": 1, "event_time": at("20:08.000"), "cnt": 2, "total": 3.0}),
        json!({"sensor_id": 1, "event_time": at("20:16.000"), "cnt": 2, "total": 7.0}),
        json!({"sensor_id": 2, "event_time": at("20:22.000"), "cnt": 1, "total": 100.0}),
    ]
    .iter()
    .map(Value::to_string)
    .collect();
    want.sort();
    assert_eq!(got, want);
}

#[test]
fn range_frames_give_rows_of_one_timestamp_the_same_result_and_rows_frames_do_not() {
    let records = [rec(1, 10.0, "20:00.000"), rec(1, 20.0, "20:00.000"), rec(1, 30.0, "20:01.000")];
    // Without a frame, ORDER BY means RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW.
    let range = rows(&records, "SELECT COUNT(*) OVER (PARTITION BY sensor_id ORDER BY event_time) AS cnt FROM sensor_data;");
    assert_eq!(range, vec![json!({"cnt": 2}), json!({"cnt": 2}), json!({"cnt": 3})]);
    let rows_frame = rows(
        &records,
        "SELECT COUNT(*) OVER (PARTITION BY sensor_id ORDER BY event_time ROWS UNBOUNDED PRECEDING) AS cnt FROM sensor_data;",
    );
    assert_eq!(rows_frame, vec![json!({"cnt": 1}), json!({"cnt": 2}), json!({"cnt": 3})]);
}

#[test]
fn several_aggregates_over_one_inline_window_without_partition_by() {
    let records = [rec(1, 5.0, "20:00.000"), rec(2, 1.0, "20:01.000"), rec(1, 9.0, "20:02.000"), rec(3, 3.0, "20:03.000")];
    let got = rows(
        &records,
        "SELECT sensor_id,\n\
           MIN(current_temperature) OVER (ORDER BY event_time ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS lo,\n\
           MAX(current_temperature) OVER (ORDER BY event_time ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS hi,\n\
           current_temperature - AVG(current_temperature) OVER (ORDER BY event_time ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS diff,\n\
           SUM(current_temperature * 2) OVER (ORDER BY event_time ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS twice\n\
         FROM sensor_data;",
    );
    assert_eq!(
        got,
        vec![
            json!({"sensor_id": 1, "lo": 5.0, "hi": 5.0, "diff": 0.0, "twice": 10.0}),
            json!({"sensor_id": 2, "lo": 1.0, "hi": 5.0, "diff": -2.0, "twice": 12.0}),
            json!({"sensor_id": 1, "lo": 1.0, "hi": 9.0, "diff": 4.0, "twice": 30.0}),
            json!({"sensor_id": 3, "lo": 1.0, "hi": 9.0, "diff": -1.333333333333333, "twice": 26.0}),
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// What Flink rejects in streaming mode: clear, located errors, never a panic.

fn assert_error(query: &str, needle: &str) {
    let err = rejected(query);
    assert!(err.contains(needle), "expected `{needle}` in:\n{err}");
    // `script.sql:<line>:<column>: …` — the error points into the query.
    assert!(
        err.lines().any(|l| l.contains("script.sql:") && l.split(':').nth(1).is_some_and(|n| n.parse::<u32>().is_ok())),
        "no location in:\n{err}"
    );
}

#[test]
fn ordering_by_a_non_time_column_is_rejected() {
    assert_error(
        "SELECT COUNT(*) OVER (PARTITION BY sensor_id ORDER BY current_temperature ROWS 2 PRECEDING) FROM sensor_data;",
        "must be defined on a time attribute",
    );
    assert_error("SELECT COUNT(*) OVER (PARTITION BY sensor_id) FROM sensor_data;", "must be defined on a time attribute");
}

#[test]
fn descending_order_is_rejected() {
    assert_error("SELECT COUNT(*) OVER (PARTITION BY sensor_id ORDER BY event_time DESC ROWS 2 PRECEDING) FROM sensor_data;", "ASCENDING");
}

#[test]
fn following_bounds_are_rejected() {
    assert_error("SELECT COUNT(*) OVER (ORDER BY event_time ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM sensor_data;", "FOLLOWING");
    assert_error(
        "SELECT COUNT(*) OVER (ORDER BY event_time ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) FROM sensor_data;",
        "FOLLOWING",
    );
}

#[test]
fn different_windows_in_one_select_are_rejected() {
    assert_error(
        "SELECT COUNT(*) OVER (ORDER BY event_time ROWS 2 PRECEDING), SUM(current_temperature) OVER (ORDER BY event_time ROWS 3 PRECEDING) FROM sensor_data;",
        "same window",
    );
}

#[test]
fn malformed_windows_are_rejected() {
    assert_error("SELECT COUNT(*) OVER v FROM sensor_data WINDOW w AS (ORDER BY event_time);", "window `v` is not defined");
    assert_error("SELECT COUNT(*) OVER (ORDER BY event_time RANGE 5 PRECEDING) FROM sensor_data;", "interval");
    assert_error("SELECT COUNT(*) OVER (ORDER BY event_time ROWS INTERVAL '1' SECOND PRECEDING) FROM sensor_data;", "integer");
    assert_error("SELECT UPPER(status) OVER (ORDER BY event_time) FROM sensor_data;", "not an aggregate function");
    assert_error("SELECT sensor_id FROM sensor_data WHERE COUNT(*) OVER (ORDER BY event_time) > 1;", "only allowed in the SELECT list");
    assert_error(
        "SELECT sensor_id, COUNT(*), COUNT(*) OVER (ORDER BY event_time) FROM sensor_data GROUP BY sensor_id;",
        "cannot be mixed with GROUP BY",
    );
}
