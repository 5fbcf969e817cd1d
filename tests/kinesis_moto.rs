//! `sluice run` against a real Kinesis API server: the walkthrough's sender puts the seeded sensor
//! records on `my-input-stream` (four shards) with boto3, the walkthrough's INSERT INTO writes its
//! window results to `my-output-stream`, and reading that stream back with boto3 gives exactly
//! the rows `sluice run` computes from the same records in a file — nothing lost, nothing twice.
//! The fault test does the same through a faulty HTTP layer (throttling, expired iterators,
//! 500s, PutRecords entries that fail).
//!
//! The server is moto, started by `scripts/test.sh`'s `kinesis` tier, which sets
//! `SLUICE_KINESIS_ENDPOINT` (its URL) and `SLUICE_KINESIS_PYTHON` (a Python with boto3). Without
//! them these tests say so and pass: plain `cargo test` needs no server.
//!
//! Why the sender puts 10 records per `put_records` call: a query reads a stream's shards merged
//! in arrival order, and moto stamps arrival times to the millisecond, so the records of one call
//! (which it stores within the same millisecond or so) have no order across shards. Ten records
//! span one second of event time, well inside the 5-second watermark delay, so no record's
//! lateness depends on that order; with 500 per call a record can move 6 s and become late.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::Value;

use common::kinesis::*;

#[test]
#[ignore = "needs the Kinesis server of scripts/test.sh's kinesis tier"]
fn the_walkthrough_insert_reads_and_writes_kinesis_with_the_files_rows() {
    let server = server();
    server.tool(&server.endpoint, &["create", "my-input-stream", "4"]);
    server.tool(&server.endpoint, &["create", "my-output-stream", "2"]);
    // The walkthrough's tables read from LATEST: start the query, then the sender.
    let note = note("my-input-stream", "my-output-stream", "LATEST");
    let (child, lines) = start_sluice(&note, &server.endpoint);
    wait_for(&lines, "kinesis: reading `my-input-stream`: 4 shards from LATEST", Duration::from_secs(30));
    let path = repo().join(SENSOR_RECORDS);
    server.tool(&server.endpoint, &["put", "my-input-stream", path.to_str().unwrap(), "--batch", SENDER_BATCH, "--flush-record"]);
    let stderr = finish(child, &lines);
    assert!(stderr.iter().any(|l| l.contains("job 1: 10001 records in")), "every record read once: {stderr:#?}");
    assert_same_rows(&rows_from_stream(&server, "my-output-stream"), &rows_from_file());
}

#[test]
#[ignore = "needs the Kinesis server of scripts/test.sh's kinesis tier"]
fn throttling_expired_iterators_and_server_errors_change_no_row() {
    let server = server();
    server.tool(&server.endpoint, &["create", "faulty-input", "4"]);
    server.tool(&server.endpoint, &["create", "faulty-output", "2"]);
    let path = repo().join(SENSOR_RECORDS);
    // Written first, read from TRIM_HORIZON: a backlog read in big pages.
    server.tool(&server.endpoint, &["put", "faulty-input", path.to_str().unwrap(), "--batch", SENDER_BATCH, "--flush-record"]);
    let mut proxy = Command::new(&server.python)
        .arg(repo().join("tests/kinesis/faulty_proxy.py"))
        .arg(&server.endpoint)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(proxy.stdout.take().unwrap()).read_line(&mut first).unwrap();
    let proxy_url = first.trim().strip_prefix("listening on ").expect("the proxy says where it listens").to_string();
    let note = note("faulty-input", "faulty-output", "TRIM_HORIZON");
    let (child, lines) = start_sluice(&note, &proxy_url);
    let stderr = finish(child, &lines);
    let faults = Command::new(&server.python)
        .args([
            "-c",
            "import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1]).read().decode())",
            &format!("{proxy_url}/faults"),
        ])
        .output()
        .unwrap();
    let faults = String::from_utf8_lossy(&faults.stdout).into_owned();
    let _ = proxy.kill();
    let _ = proxy.wait();
    eprintln!("faults injected: {faults}");
    let faults: Value = serde_json::from_str(&faults).unwrap_or(Value::Null);
    for kind in ["GetRecords:throttle", "GetRecords:expired", "GetRecords:500", "PutRecords:partial", "PutRecords:500"] {
        assert!(faults[kind].as_u64().unwrap_or(0) > 0, "no {kind} was injected: {faults}");
    }
    assert!(stderr.iter().any(|l| l.contains("job 1: 10001 records in")), "every record read once: {stderr:#?}");
    assert_same_rows(&rows_from_stream(&server, "faulty-output"), &rows_from_file());
}
