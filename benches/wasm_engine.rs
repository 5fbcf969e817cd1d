//! The engine benchmark in WebAssembly: Q1 over decoded sensor records, and the JSON decoder over
//! the same records as lines, the same workloads as `sluice bench` (src/workload.rs). It prints figures and checks nothing about speed; run it
//! with `scripts/bench.sh` (it is not part of the test tiers).
#![cfg(target_arch = "wasm32")]

use sluice::workload::{decode_json_lines, decoded_batches, json_lines, run_q1};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn now_seconds() -> f64 {
    js_sys::Date::now() / 1000.0
}

#[wasm_bindgen_test]
fn q1_engine_throughput_in_wasm() {
    let records: u64 = option_env!("SLUICE_BENCH_RECORDS").and_then(|n| n.parse().ok()).unwrap_or(5_000_000);
    let batches = decoded_batches(records, 8192);
    let mut best = f64::INFINITY;
    let mut rows = 0;
    for _ in 0..3 {
        let run = run_q1(&batches, &now_seconds).unwrap_or_else(|e| panic!("Q1 failed: {e}"));
        best = best.min(run.seconds);
        rows = run.result_rows;
    }
    console_log!(
        "wasm engine  Q1 over {records} decoded records: {best:.3} s, {:.1} M records/s (best of 3; {rows} result rows)",
        records as f64 / best / 1e6
    );
}

#[wasm_bindgen_test]
fn json_decode_throughput_in_wasm() {
    let records: u64 = option_env!("SLUICE_BENCH_RECORDS").and_then(|n| n.parse().ok()).unwrap_or(5_000_000).min(2_000_000);
    let data = json_lines(records);
    let mut best = f64::INFINITY;
    for _ in 0..3 {
        best = best.min(decode_json_lines(&data, 8192, &now_seconds).unwrap_or_else(|e| panic!("decoding failed: {e}")));
    }
    console_log!(
        "wasm decoder  JSON lines -> columns, {records} records ({:.0} MB): {best:.3} s, {:.1} M records/s, {:.0} MB/s (best of 3)",
        data.len() as f64 / 1e6,
        records as f64 / best / 1e6,
        data.len() as f64 / best / 1e6
    );
}

/// The page's own path, end to end: the sensor generator writes JSON records into the local
/// stream, and the walkthrough's Q1 job reads, decodes and aggregates them, moved on by
/// `Session::advance` as the page's timer does (issue 5's target: 1 M records/s).
#[wasm_bindgen_test]
fn generator_decoder_and_engine_in_wasm() {
    use sluice::session::{Outcome, Session};
    const TABLE: &str = "CREATE TABLE sensor_data (sensor_id INTEGER, current_temperature DOUBLE, status VARCHAR(6),
        event_time TIMESTAMP(3), WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND)
      WITH ('connector' = 'kinesis', 'stream' = 'my-input-stream', 'format' = 'json', 'json.timestamp-format.standard' = 'ISO-8601')";
    let mut session = Session::new();
    session.execute(TABLE, 0).unwrap_or_else(|e| panic!("CREATE TABLE: {e}"));
    let Some(Outcome::Query { job, .. }) = session.execute(sluice::workload::Q1, 0).unwrap_or_else(|e| panic!("Q1: {e}")).pop() else {
        panic!("Q1 started no job")
    };
    let rate = 1_000_000.0;
    session.set_generator("my-input-stream", true, rate);
    let start = now_seconds();
    let mut rows = 0;
    for step in 1..=50 {
        session.advance(step * 100);
        rows += session.take_changes(job).len();
    }
    let seconds = now_seconds() - start;
    let info = session.job(job).unwrap_or_else(|| panic!("the job is gone"));
    console_log!(
        "wasm page path  generator -> JSON -> decoder -> Q1, 5 s at {rate} records/s: {} records in {seconds:.3} s, {:.2} M records/s ({rows} result rows)",
        info.records_in,
        info.records_in as f64 / seconds / 1e6
    );
}
