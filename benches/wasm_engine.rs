//! The engine benchmark in WebAssembly: Q1 over decoded sensor records, and the JSON decoder over
//! the same records as lines, the same workloads as `sluice bench` (src/workload.rs). It prints figures and checks nothing about speed; run it
//! with `scripts/bench.sh` (it is not part of the test tiers).
#![cfg(target_arch = "wasm32")]

use sluice::workload::{batch_codec_round_trip, decode_json_lines, decoded_batches, json_lines, run_q1};
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
    // A decoded 1 MiB chunk (about 10,000 records) crosses from a decode worker to the engine's
    // worker as bytes: what SharedArrayBuffer could save at most, beside the decoding.
    let batches = decoded_batches(records, 10_000);
    let mut codec = f64::INFINITY;
    for _ in 0..3 {
        codec = codec.min(batch_codec_round_trip(&batches, &now_seconds).unwrap_or_else(|e| panic!("codec failed: {e}")));
    }
    console_log!(
        "wasm codec  decoded chunks -> bytes -> batches, {records} records: {codec:.3} s, {:.1} M records/s, {:.0} % of decoding them",
        records as f64 / codec / 1e6,
        codec / best * 100.0
    );
}

/// The page's own path, end to end: the sensor generator writes JSON records into the local
/// stream, and the walkthrough's Q1 job reads, decodes and aggregates them, moved on by
/// `Session::advance` as the page's timer does (issue 5's target: 1 M records/s).
#[wasm_bindgen_test]
fn generator_decoder_and_engine_in_wasm() {
    // The generator tops out at 100,000 records a second of the session's clock; the clock here
    // runs as fast as the work allows, so the figure is records per second of real time.
    let (records, seconds) = sluice::workload::run_page_path(90_000.0, 20, &now_seconds).unwrap_or_else(|e| panic!("{e}"));
    console_log!(
        "wasm page path  generator -> JSON -> decoder -> Q1, 20 s of the clock at 90,000 records/s: {records} records in {seconds:.3} s, {:.2} M records/s",
        records as f64 / seconds / 1e6
    );
}
