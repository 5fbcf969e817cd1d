//! `sluice run` against a real Kafka-protocol broker (tansu): kafka-python produces the seed's
//! sensor records into a 4-partition topic as the walkthrough's sender would (its `put_record`
//! replaced by a produce, key = sensor_id), the walkthrough's HOP INSERT INTO runs with its
//! tables on Kafka topics, and reading the output topic back with kafka-python gives exactly the
//! rows `sluice run` computes from the same records in a file — again with the broker restarted
//! while the query reads.
//!
//! Why the file's rows: the records of one sensor share a key, so a partition; Flink's Kafka
//! source keeps a watermark per partition and emits their minimum, so a record is late only
//! behind the slowest partition — never more than in the file, where one watermark follows every
//! record. The seed's late records are late within their own sensor's order as well, so both
//! drop the same ones (the check below would show any row that differs). The flush record, a day
//! later, goes to every partition, so every window fires.
//!
//! The broker is started by `scripts/test.sh`'s `kafka` tier; these tests are `#[ignore]`d
//! without it.

mod common;

use std::process::{Command, Stdio};
use std::time::Duration;

use common::kafka::*;
use common::kinesis::{assert_same_rows, finish, row_key, rows_from_file, stderr_lines, wait_for, SENSOR_RECORDS};

/// The walkthrough's tables and INSERT (steps 1, 4 and 5 of src/views/note/walkthrough.sql) with
/// their Kinesis options replaced by Kafka's: the same columns, watermark, format and query.
fn note(input: &str, output: &str, bootstrap: &str, startup: &str) -> tempfile::TempPath {
    let steps = sluice::views::note::seed::walkthrough();
    let text = [steps[0], steps[3], steps[4]]
        .join("\n\n")
        .replace("PARTITIONED BY (sensor_id)\n", "")
        .replace("'connector' = 'kinesis'", "'connector' = 'kafka'")
        .replace("'stream' = 'my-input-stream'", &format!("'topic' = '{input}', 'properties.bootstrap.servers' = '{bootstrap}'"))
        .replace("'stream' = 'my-output-stream'", &format!("'topic' = '{output}', 'properties.bootstrap.servers' = '{bootstrap}'"))
        .replace("'aws.region' = 'us-east-1',", "")
        .replace("'scan.stream.initpos' = 'LATEST'", &format!("'scan.startup.mode' = '{startup}'"));
    let path = tempfile::Builder::new().prefix(&format!("sluice-kafka-{input}-")).suffix(".sql").tempfile().unwrap().into_temp_path();
    std::fs::write(&path, text).unwrap();
    path
}

fn start_sluice(note: &std::path::Path) -> (std::process::Child, std::sync::mpsc::Receiver<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sluice"))
        .args(["run", "--exit-when-idle", "6", "--kafka", "tables"])
        .arg(note)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let lines = stderr_lines(&mut child, "sluice: ");
    (child, lines)
}

fn rows_from_topic(b: &Broker, topic: &str) -> Vec<(String, i64, String, String)> {
    let mut rows: Vec<_> = b.tool(&["read", topic]).lines().map(|l| row_key(&serde_json::from_str(l).unwrap())).collect();
    rows.sort();
    rows
}

#[test]
#[ignore = "needs the Kafka broker of scripts/test.sh's kafka tier"]
fn the_walkthrough_insert_reads_and_writes_kafka_with_the_files_rows() {
    let b = broker();
    let (input, output) = (topic("walk-in"), topic("walk-out"));
    b.tool(&["create", &input, "4"]);
    b.tool(&["create", &output, "2"]);
    let note = note(&input, &output, &b.bootstrap, "latest-offset");
    let (child, lines) = start_sluice(&note);
    wait_for(&lines, &format!("kafka: reading `{input}`: 4 partitions from latest-offset"), Duration::from_secs(30));
    b.tool(&["put", &input, repo().join(SENSOR_RECORDS).to_str().unwrap(), "--flush-record"]);
    let stderr = finish(child, &lines);
    assert!(stderr.iter().any(|l| l.contains("job 1: 10004 records in")), "every record read once: {stderr:#?}");
    assert_same_rows(&rows_from_topic(&b, &output), &rows_from_file());
}

#[test]
#[ignore = "needs the Kafka broker of scripts/test.sh's kafka tier"]
fn a_broker_restart_mid_query_changes_no_row() {
    let pb = private_broker();
    let b = &pb.broker;
    let (input, output) = (topic("restart-in"), topic("restart-out"));
    b.tool(&["create", &input, "4"]);
    b.tool(&["create", &output, "2"]);
    let path = repo().join(SENSOR_RECORDS);
    b.tool(&["put", &input, path.to_str().unwrap(), "--lines", "0:5000"]);
    let note = note(&input, &output, &b.bootstrap, "earliest-offset");
    let (child, lines) = start_sluice(&note);
    wait_for(&lines, &format!("kafka: reading `{input}`: 4 partitions from earliest-offset"), Duration::from_secs(30));
    std::thread::sleep(Duration::from_millis(500));
    pb.relay.restart_broker(Duration::from_secs(2));
    b.tool(&["put", &input, path.to_str().unwrap(), "--lines", "5000:100000", "--flush-record"]);
    let stderr = finish(child, &lines);
    assert!(stderr.iter().any(|l| l.contains("job 1: 10004 records in")), "every record read once: {stderr:#?}");
    assert_same_rows(&rows_from_topic(b, &output), &rows_from_file());
}
