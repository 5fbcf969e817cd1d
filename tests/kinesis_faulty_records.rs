//! A Kinesis record whose `Data` cannot be taken (not base64, more than Kinesis's 1 MiB), read by
//! a job through the real client, poller, mirror and session, with a scripted Kinesis in place
//! of the HTTP layer: it is a record-level error. Under `'json.ignore-parse-errors'` it is skipped
//! like any bad record and the records around it are read; otherwise the job stops with an error
//! naming the stream, the shard and the sequence number. Before, the page of records was an error
//! the poller retried for ever, and the job saw nothing.
#![cfg(not(target_arch = "wasm32"))]

use base64::Engine as _;
use serde_json::{json, Value};

use sluice::connectors::kinesis::client::KinesisClient;
use sluice::connectors::kinesis::poller::StreamPoller;
use sluice::connectors::kinesis::transport::{block_on, Reply, Transport};
use sluice::connectors::kinesis::{mirror, mirror_poller, RemoteEvent, RemoteStreams};
use sluice::connectors::LocalStreams;
use sluice::plan::catalog::TableDef;
use sluice::session::{Outcome, Session};
use sluice::types::Value as Cell;

/// One open shard holding `records` (each a `Data` field as sent), then nothing more.
struct OneShard {
    records: Vec<String>,
    get_records_calls: usize,
    /// Answers every `GetRecords` with this `200` body instead.
    garbage: Option<&'static str>,
}

impl Transport for OneShard {
    async fn send(&mut self, action: &str, _body: &[u8]) -> Result<Reply, String> {
        let answer = match action {
            "ListShards" => {
                json!({"Shards": [{"ShardId": "shardId-000000000007", "SequenceNumberRange": {"StartingSequenceNumber": "0"}}]})
            }
            "GetShardIterator" => json!({"ShardIterator": "it"}),
            "GetRecords" if self.garbage.is_some() => {
                self.get_records_calls += 1;
                return Ok(Reply { status: 200, body: self.garbage.unwrap_or_default().as_bytes().to_vec() });
            }
            "GetRecords" => {
                self.get_records_calls += 1;
                let page: Vec<Value> =
                    if self.get_records_calls == 1 { self.records.iter().enumerate().map(record).collect() } else { vec![] };
                json!({"Records": page, "NextShardIterator": "it", "MillisBehindLatest": 0})
            }
            other => return Err(format!("unexpected {other}")),
        };
        Ok(Reply { status: 200, body: answer.to_string().into_bytes() })
    }
}

fn record((i, data): (usize, &String)) -> Value {
    json!({"SequenceNumber": format!("4959000000000000000{i}"), "PartitionKey": "k", "Data": data, "ApproximateArrivalTimestamp": 1_000.0 + i as f64})
}

/// The session's remote streams, polled on the calling thread.
struct Scripted {
    records: Vec<String>,
    garbage: Option<&'static str>,
    readers: Vec<(String, StreamPoller, KinesisClient<OneShard>)>,
    now_ms: i64,
}

impl RemoteStreams for Scripted {
    fn attach_source(&mut self, table: &TableDef, streams: &mut LocalStreams) -> Result<bool, String> {
        if let Some((name, poller)) = mirror_poller(table, streams, |_| false)? {
            let client = KinesisClient::new(OneShard { records: self.records.clone(), get_records_calls: 0, garbage: self.garbage });
            self.readers.push((name, poller, client));
        }
        Ok(true)
    }

    fn attach_sink(&mut self, _table: &TableDef, _streams: &mut LocalStreams) -> Result<bool, String> {
        Ok(false)
    }

    fn pump(&mut self, streams: &mut LocalStreams, events: &mut Vec<RemoteEvent>) {
        self.now_ms += 1_000;
        for (name, poller, client) in &mut self.readers {
            let (mut out, mut log) = (Vec::new(), Vec::new());
            match block_on(poller.poll(client, self.now_ms, &mut out, &mut log)) {
                Ok(_) => mirror(streams, name, out),
                Err(e) => events.push(RemoteEvent::Failed { stream: name.clone(), error: e.to_string() }),
            }
        }
    }

    fn pending_writes(&self) -> usize {
        0
    }
}

/// Runs `SELECT a FROM t` over a Kinesis table holding `records`; returns the rows the job gave
/// and its error.
fn read(records: &[&str], ignore_parse_errors: bool) -> (Vec<i64>, Option<String>) {
    let (rows, error, _) = read_from(records, None, ignore_parse_errors);
    (rows, error)
}

/// [`read`], from a stream that may hold `garbage`, with the count of records the job skipped.
fn read_from(records: &[&str], garbage: Option<&'static str>, ignore_parse_errors: bool) -> (Vec<i64>, Option<String>, u64) {
    let mut session = Session::empty();
    let remote = Scripted { records: records.iter().map(|r| r.to_string()).collect(), garbage, readers: vec![], now_ms: 1_000_000 };
    session.switch_remote(Some(Box::new(remote)));
    let lenient = if ignore_parse_errors { ", 'json.ignore-parse-errors' = 'true'" } else { "" };
    let table = format!(
        "CREATE TABLE t (a INT) WITH ('connector' = 'kinesis', 'stream' = 'in', 'format' = 'json', 'scan.stream.initpos' = 'TRIM_HORIZON'{lenient})"
    );
    session.execute(&table, 0).unwrap();
    let job = match session.execute("SELECT a FROM t", 0).unwrap().pop() {
        Some(Outcome::Query { job, .. }) => job,
        other => panic!("expected a streaming query, got {other:?}"),
    };
    let mut rows = Vec::new();
    for t in 1..20 {
        session.advance(t * 1_000);
        for change in session.take_changes(job) {
            if let Cell::Int(a) = change.row[0] {
                rows.push(a);
            }
        }
    }
    let info = session.job(job).unwrap();
    (rows, info.error, info.skipped_records)
}

fn data(json: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(json)
}

#[test]
fn a_record_that_is_not_base64_is_skipped_under_ignore_parse_errors() {
    let (one, three) = (data(r#"{"a": 1}"#), data(r#"{"a": 3}"#));
    let (rows, error, skipped) = read_from(&[&one, "%%% not base64 %%%", &three], None, true);
    assert_eq!(error, None);
    assert_eq!(rows, [1, 3], "the records beside the bad one are read");
    assert_eq!(skipped, 1, "the jobs panel counts the record skipped");
}

#[test]
fn a_record_that_is_not_base64_stops_the_job_naming_stream_shard_and_sequence_number() {
    let one = data(r#"{"a": 1}"#);
    let (rows, error) = read(&[&one, "%%% not base64 %%%", &one], false);
    assert_eq!(rows, [1], "the record before the bad one is read, none after");
    let error = error.expect("the job stops");
    for part in ["Kinesis stream `in`", "shard `shardId-000000000007`", "sequence number 49590000000000000001", "not base64"] {
        assert!(error.contains(part), "{part:?} is not in {error:?}");
    }
}

#[test]
fn a_record_larger_than_kinesis_stores_is_a_record_error_too() {
    let huge = "A".repeat((1 << 20) / 3 * 4 + 8);
    let two = data(r#"{"a": 2}"#);
    let (rows, error) = read(&[&huge, &two], true);
    assert_eq!((rows, error), (vec![2], None));
    let (rows, error) = read(&[&huge, &two], false);
    assert!(rows.is_empty());
    assert!(error.is_some_and(|e| e.contains("sequence number 49590000000000000000") && e.contains("1048576-byte records")));
}

#[test]
fn an_answer_that_is_not_kinesis_json_stops_the_job_instead_of_being_asked_for_again() {
    for garbage in [
        "<html><body><h1>Welcome to the hotel network</h1></body></html>",
        r#"{"Records": [{"SequenceNumber": "1", "Data": "eA=="#,
        r#"{"Records": {"a": 1}}"#,
    ] {
        let (rows, error, _) = read_from(&[], Some(garbage), true);
        assert!(rows.is_empty());
        let error = error.unwrap_or_else(|| panic!("the job goes on after {garbage:?}"));
        assert!(error.contains("GetRecords answered with something that is not its JSON"), "{error}");
    }
}
