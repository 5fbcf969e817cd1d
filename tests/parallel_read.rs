//! A file decoded on several threads (`sluice run`'s default) gives what one thread gives:
//! the same changes in the same order, the same late drops, the same error at the same row,
//! over the reference input (out of order, with late records) as JSON and as CSV, cut into
//! chunks small enough that every window spans many of them.
#![cfg(not(target_arch = "wasm32"))]

use sluice::connectors::FileReading;
use sluice::session::{Outcome, Session};

const INPUT: &str = include_str!("data/sensor_input.jsonl");

/// What one run of `query` over the table gives: every change as text, then the job's records
/// in, late drops and skipped records, and the error it ended with.
#[derive(Debug, PartialEq)]
struct Run {
    changes: Vec<String>,
    records_in: u64,
    late_dropped: u64,
    skipped: u64,
    error: Option<String>,
    /// The late ledger's what-if under a minute more delay: a replay of what the job recorded.
    what_if: String,
}

fn run(ddl: &str, query: &str, reading: FileReading) -> Run {
    let mut session = Session::empty();
    session.set_file_reading(reading);
    session.execute(ddl, 0).unwrap();
    let Some(Outcome::Query { job, .. }) = session.execute(query, 0).unwrap().pop() else { panic!("not a query") };
    let mut changes = Vec::new();
    let result = session.run_to_end(job, &mut |batch| {
        changes.extend(batch.iter().map(|c| format!("{} {:?}", c.kind.short(), c.row)));
    });
    let info = session.jobs().into_iter().find(|j| j.id == job).unwrap();
    Run {
        changes,
        records_in: info.records_in,
        late_dropped: info.late_records_dropped,
        skipped: info.skipped_records,
        error: result.err(),
        what_if: format!("{:?}", session.what_if_delay(job, 65_000)),
    }
}

fn table(path: &std::path::Path, format: &str) -> String {
    let options = match format {
        "json" => "'format' = 'json', 'json.timestamp-format.standard' = 'ISO-8601', 'json.ignore-parse-errors' = 'false'",
        _ => "'format' = 'csv'",
    };
    format!(
        "CREATE TABLE sensor_data (sensor_id INT, current_temperature DOUBLE, status STRING, event_time TIMESTAMP(3),
           WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND)
         WITH ('connector' = 'filesystem', 'path' = '{}', {options})",
        path.display()
    )
}

const QUERIES: &[&str] = &[
    // The walkthrough's Q1: hopping windows; rows behind the watermark are dropped.
    "SELECT status, COUNT(*) AS num, AVG(current_temperature) AS avg_t,
            HOP_ROWTIME(event_time, INTERVAL '10' SECOND, INTERVAL '1' MINUTE) AS hop_time
       FROM sensor_data GROUP BY HOP(event_time, INTERVAL '10' SECOND, INTERVAL '1' MINUTE), status",
    // An updating aggregate: every row's change in arrival order.
    "SELECT sensor_id, MAX(current_temperature) AS hottest FROM sensor_data GROUP BY sensor_id",
];

/// Chunks from a few records long to many: the readings are ~100 bytes a line.
const CHUNKS: &[usize] = &[333, 4096, 65_536];

fn compare(path: &std::path::Path, format: &str) {
    let ddl = table(path, format);
    for query in QUERIES {
        let one = run(&ddl, query, FileReading { threads: 1, chunk_bytes: 1 << 20 });
        assert_eq!(one.error, None);
        assert_eq!(one.records_in, 10_000);
        assert!(!one.changes.is_empty());
        for threads in [2, 3] {
            for &chunk_bytes in CHUNKS {
                let many = run(&ddl, query, FileReading { threads, chunk_bytes });
                assert_eq!(many, one, "{format}, {threads} threads, {chunk_bytes}-byte chunks: {query}");
            }
        }
    }
    let q1 = run(&ddl, QUERIES[0], FileReading { threads: 3, chunk_bytes: 333 });
    assert!(q1.late_dropped > 0, "the reference input has late records");
    assert!(q1.what_if.contains("records_replayed: 10000"), "the what-if replays every record read: {}", q1.what_if);
}

#[test]
fn json_decoded_on_several_threads_gives_the_one_thread_changes_and_late_drops() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("readings.jsonl");
    std::fs::write(&path, INPUT).unwrap();
    compare(&path, "json");
}

#[test]
fn csv_decoded_on_several_threads_gives_the_one_thread_changes_and_late_drops() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("readings.csv");
    let csv: String = INPUT
        .lines()
        .map(|line| {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let ts = v["event_time"].as_str().unwrap().replace('T', " ");
            format!("{},{},{},{}\n", v["sensor_id"], v["current_temperature"], v["status"].as_str().unwrap(), ts)
        })
        .collect();
    std::fs::write(&path, csv).unwrap();
    compare(&path, "csv");
}

#[test]
fn a_bad_record_stops_the_query_at_the_same_row_with_the_same_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("readings.jsonl");
    let mut lines: Vec<&str> = INPUT.lines().collect();
    lines.insert(6_000, "{\"sensor_id\": 7, \"current_temperature\": hot}");
    std::fs::write(&path, lines.join("\n")).unwrap();
    let ddl = table(&path, "json");
    let query = QUERIES[1];
    let one = run(&ddl, query, FileReading::default());
    assert!(one.error.as_deref().is_some_and(|e| e.contains("hot")), "{:?}", one.error);
    assert_eq!(one.records_in, 6_000);
    for &chunk_bytes in CHUNKS {
        assert_eq!(run(&ddl, query, FileReading { threads: 2, chunk_bytes }), one, "{chunk_bytes}-byte chunks");
    }

    let skipping = ddl.replace("'json.ignore-parse-errors' = 'false'", "'json.ignore-parse-errors' = 'true'");
    let one = run(&skipping, query, FileReading::default());
    assert_eq!((one.records_in, one.skipped, one.error.as_deref()), (10_000, 1, None));
    assert_eq!(run(&skipping, query, FileReading { threads: 3, chunk_bytes: 333 }), one);
}
