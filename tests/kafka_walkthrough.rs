//! `sluice run` against a real Kafka-protocol broker (tansu): kafka-python produces the seed's
//! sensor records into a 4-partition topic as the walkthrough's sender would (its `put_record`
//! replaced by a produce, key = sensor_id), the walkthrough's HOP INSERT INTO runs with its
//! tables on Kafka topics, and reading the output topic back with kafka-python gives the windows
//! `sluice run` computes from the same records in a file, each with at least the file's count —
//! again with the broker restarted while the query reads.
//!
//! Why "at least" and not the same rows: Flink's Kafka source keeps a watermark per partition and
//! emits their minimum. The records of one sensor share a key, so a partition, and within a
//! partition they arrive in the file's order; so when a record arrives, its own partition's
//! watermark is at most the file's watermark at that record, and the emitted minimum at most
//! that. A record late on Kafka is therefore late in the file too, but not the other way round:
//! records the file drops can be counted on Kafka (how many depends on how the partitions'
//! records interleave as they are fetched, so no exact count is expected). Every window the file
//! has is there with at least its count; a window the file lacks holds only records the file
//! dropped. The flush record, a day later, goes to every partition, so
//! every window fires. Kinesis tables keep one watermark per table (DIFFERENCES.md, "Sources"),
//! which is why tests/kinesis_moto.rs expects the file's rows exactly.
//!
//! The broker restart comes two ways: a relay in front of the broker cut and reconnected (every
//! connection dropped, new ones refused: what a client sees), and the broker's own process
//! stopped and started again on storage that outlives it (tansu on S3, moto's).
//!
//! The broker is started by `scripts/test.sh`'s `kafka` tier; these tests are `#[ignore]`d
//! without it.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::process::{Command, Stdio};
use std::time::Duration;

use common::kafka::*;
use common::kinesis::{finish, row_key, rows_from_file, stderr_lines, wait_for, walkthrough_rows, EXPECTED_ROWS, SENSOR_RECORDS};

type Row = (String, i64, String, String);

/// Every window (status, hop_time) of the file, each once and counting at least the file's
/// records.
fn assert_files_windows_with_at_least_its_counts(got: &[Row], file: &[Row]) {
    assert_eq!(file.len(), EXPECTED_ROWS, "the file's rows (tests/flink/q1_hop_legacy)");
    assert_windows_with_at_least_counts(got, file);
}

/// Every window of `file`'s rows, each once in `got` and counting at least as many records.
fn assert_windows_with_at_least_counts(got: &[Row], file: &[Row]) {
    let window = |r: &Row| (r.0.clone(), r.3.clone());
    let mut got_windows: Vec<_> = got.iter().map(window).collect();
    got_windows.sort();
    got_windows.dedup();
    assert_eq!(got_windows.len(), got.len(), "a window written twice");
    let missing: Vec<_> = file.iter().filter(|f| !got.iter().any(|g| window(g) == window(f))).collect();
    assert!(missing.is_empty(), "windows of the file missing from the topic: {missing:#?}");
    let fewer: Vec<_> = file.iter().filter(|f| got.iter().any(|g| window(g) == window(f) && g.1 < f.1)).collect();
    assert!(fewer.is_empty(), "windows counting fewer records than the file: {fewer:#?}");
    let same = got.iter().filter(|g| file.contains(g)).count();
    eprintln!("{same} of {} rows equal the file's; the others count records the file dropped as late", file.len());
}

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
    start_sluice_idle(note, "6")
}

/// `sluice run` of `note`, stopping once no record came for `idle` seconds.
fn start_sluice_idle(note: &std::path::Path, idle: &str) -> (std::process::Child, std::sync::mpsc::Receiver<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sluice"))
        .args(["run", "--exit-when-idle", idle, "--kafka", "tables"])
        .arg(note)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let lines = stderr_lines(&mut child, "sluice: ");
    (child, lines)
}

fn rows_from_topic(b: &Broker, topic: &str) -> Vec<Row> {
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
    assert_files_windows_with_at_least_its_counts(&rows_from_topic(&b, &output), &rows_from_file());
}

/// On a topic of one partition there is one watermark, as on a Kinesis table: the walkthrough's
/// rows are exactly the file's, which are the Kinesis variant's (tests/kinesis_moto.rs) — the
/// differences of the 4-partition test above come from Flink's per-partition watermarks alone.
#[test]
#[ignore = "needs the Kafka broker of scripts/test.sh's kafka tier"]
fn on_one_partition_the_walkthrough_gives_exactly_the_files_rows() {
    let b = broker();
    let (input, output) = (topic("walk1-in"), topic("walk1-out"));
    b.tool(&["create", &input, "1"]);
    b.tool(&["create", &output, "1"]);
    let note = note(&input, &output, &b.bootstrap, "latest-offset");
    let (child, lines) = start_sluice(&note);
    wait_for(&lines, &format!("kafka: reading `{input}`: 1 partitions from latest-offset"), Duration::from_secs(30));
    b.tool(&["put", &input, repo().join(SENSOR_RECORDS).to_str().unwrap(), "--flush-record"]);
    let stderr = finish(child, &lines);
    assert!(stderr.iter().any(|l| l.contains("job 1: 10001 records in")), "every record read once: {stderr:#?}");
    let file = rows_from_file();
    assert_eq!(file.len(), EXPECTED_ROWS, "the file's rows (tests/flink/q1_hop_legacy)");
    // The flush record, a day later, may close windows of its own: only the data's are compared.
    let last = file.iter().map(|r| r.3.clone()).max().unwrap();
    let got: Vec<Row> = rows_from_topic(&b, &output).into_iter().filter(|r| r.3 <= last).collect();
    let mut file = file;
    file.sort();
    assert_eq!(got, file, "the rows of a one-partition topic are not the file's");
}

#[test]
#[ignore = "needs the Kafka broker of scripts/test.sh's kafka tier"]
fn a_broker_restart_mid_query_loses_and_repeats_no_record() {
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
    assert_files_windows_with_at_least_its_counts(&rows_from_topic(b, &output), &rows_from_file());
}

/// The walkthrough query's rows over the first `lines` records of the seed's file.
fn rows_from_file_head(lines: usize) -> Vec<Row> {
    let text = std::fs::read_to_string(repo().join(SENSOR_RECORDS)).unwrap();
    let head: String = text.lines().take(lines).map(|l| format!("{l}\n")).collect();
    let data = tempfile::Builder::new().prefix("sluice-kafka-head-").suffix(".jsonl").tempfile().unwrap().into_temp_path();
    std::fs::write(&data, head).unwrap();
    walkthrough_rows(&data)
}

/// The broker's process itself stopped and started again while the INSERT reads and writes:
/// tansu keeps its records in S3 here, as a real cluster keeps them on disk, so the restarted
/// broker has every record and offset, and the query reads each once and writes every window.
/// (The first 300 records: tansu on S3 stores each record as an object of its own, about 15 a
/// second, and fetches them one by one.)
#[test]
#[ignore = "needs the Kafka broker and moto of scripts/test.sh's kafka tier"]
fn the_broker_process_restarted_mid_query_loses_and_repeats_no_record() {
    let db = durable_broker();
    let b = &db.broker;
    let (input, output) = (topic("real-restart-in"), topic("real-restart-out"));
    b.tool(&["create", &input, "4"]);
    b.tool(&["create", &output, "2"]);
    let path = repo().join(SENSOR_RECORDS);
    b.tool(&["put", &input, path.to_str().unwrap(), "--lines", "0:150"]);
    let note = note(&input, &output, &b.bootstrap, "earliest-offset");
    let (child, lines) = start_sluice_idle(&note, "30");
    wait_for(&lines, &format!("kafka: reading `{input}`: 4 partitions from earliest-offset"), Duration::from_secs(30));
    std::thread::sleep(Duration::from_millis(500));
    db.restart(Duration::from_secs(2));
    b.tool(&["put", &input, path.to_str().unwrap(), "--lines", "150:300", "--flush-record"]);
    let stderr = finish(child, &lines);
    assert!(stderr.iter().any(|l| l.contains("job 1: 304 records in")), "every record read once: {stderr:#?}");
    assert!(stderr.iter().any(|l| l.contains("kafka: `") && l.contains("reconnecting")), "the restart was not seen: {stderr:#?}");
    let file = rows_from_file_head(300);
    assert!(file.len() > 10, "{file:?}");
    assert_windows_with_at_least_counts(&rows_from_topic(b, &output), &file);
}
