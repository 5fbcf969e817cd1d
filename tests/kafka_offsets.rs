//! Consumer-group offsets committed as Flink's Kafka source commits them (`session/offsets.rs`),
//! against a real Kafka-protocol broker (tansu), read back with kafka-python: a job that stops
//! commits the offsets after the records it read, `group-offsets` then resumes there, and with
//! `execution.checkpointing.interval` SET a running job commits at each interval.
//!
//! The broker is started by `scripts/test.sh`'s `kafka` tier; these tests are `#[ignore]`d
//! without it.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use sluice::connectors::kafka::mirror::{KafkaAccess, KafkaRemote};
use sluice::session::{JobId, Outcome, Session};

use common::kafka::*;

fn put(b: &Broker, topic: &str, range: &str) {
    b.tool(&["put", topic, repo().join("tests/data/sensor_input.jsonl").to_str().unwrap(), "--lines", range]);
}

/// The group's committed offset per partition (`None`: nothing committed).
fn committed(b: &Broker, group: &str, topic: &str) -> BTreeMap<i32, Option<i64>> {
    let v: serde_json::Value = serde_json::from_str(&b.tool(&["committed", group, topic])).unwrap();
    v.as_object().unwrap().iter().map(|(p, o)| (p.parse().unwrap(), o.as_i64())).collect()
}

/// Per partition, the offset after its last record.
fn ends(b: &Broker, topic: &str) -> BTreeMap<i32, Option<i64>> {
    let mut out = BTreeMap::new();
    for line in b.tool(&["records", topic]).lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let (p, o) = (v["partition"].as_i64().unwrap() as i32, v["offset"].as_i64().unwrap());
        let e = out.entry(p).or_insert(Some(0));
        *e = Some(e.unwrap_or(0).max(o + 1));
    }
    out
}

fn session(b: &Broker, topic: &str, group: &str, settings: &str) -> Session {
    let mut session = Session::empty();
    session.switch_remote_topics(Some(Box::new(KafkaRemote::new(KafkaAccess::Bootstrap(b.bootstrap.clone())))));
    if !settings.is_empty() {
        session.execute(settings, 0).unwrap();
    }
    session
        .execute(
            &format!(
                "CREATE TABLE t (sensor_id INT, status STRING) WITH ('connector' = 'kafka', 'topic' = '{topic}', \
                 'properties.bootstrap.servers' = 'not-used:9092', 'properties.group.id' = '{group}', \
                 'properties.auto.offset.reset' = 'earliest', 'properties.fetch.max.wait.ms' = '100', 'format' = 'json')"
            ),
            0,
        )
        .unwrap();
    session
}

fn start(session: &mut Session) -> JobId {
    match session.execute("SELECT sensor_id FROM t", 0).unwrap().pop() {
        Some(Outcome::Query { job, .. }) => job,
        other => panic!("expected a streaming query, got {other:?}"),
    }
}

/// Advances the clock (100 ms a turn) until the job has read `rows` rows; returns the clock.
fn read_rows(session: &mut Session, job: JobId, rows: usize, mut clock: i64) -> i64 {
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut got = 0;
    while got < rows {
        assert!(Instant::now() < deadline, "read {got} of {rows} rows in 30 s: {:?}", session.job(job));
        clock += 100;
        session.advance(clock);
        got += session.take_changes(job).len();
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(got, rows);
    clock
}

#[test]
#[ignore = "needs the Kafka broker of scripts/test.sh's kafka tier"]
fn a_stopped_job_commits_its_offsets_and_group_offsets_resumes_there() {
    let b = broker();
    let topic = topic("offsets");
    let group = format!("{topic}-g");
    b.tool(&["create", &topic, "2"]);
    put(&b, &topic, "0:40");
    let mut s = session(&b, &topic, &group, "");
    let job = start(&mut s);
    read_rows(&mut s, job, 40, 0);
    assert!(committed(&b, &group, &topic).values().all(Option::is_none), "nothing committed while it runs without checkpoints");
    s.stop_job(job);
    assert_eq!(committed(&b, &group, &topic), ends(&b, &topic), "the offsets after the last records read");
    // A new job of the group starts where the last one stopped: only the new records.
    put(&b, &topic, "40:50");
    let mut s = session(&b, &topic, &group, "");
    let job = start(&mut s);
    let clock = read_rows(&mut s, job, 10, 0);
    for t in 1..5 {
        s.advance(clock + t * 100);
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(s.take_changes(job).is_empty(), "nothing read twice");
    s.commit_offsets();
    assert_eq!(committed(&b, &group, &topic), ends(&b, &topic));
}

#[test]
#[ignore = "needs the Kafka broker of scripts/test.sh's kafka tier"]
fn with_a_checkpoint_interval_a_running_job_commits_at_each_checkpoint() {
    let b = broker();
    let topic = topic("checkpoints");
    let group = format!("{topic}-g");
    b.tool(&["create", &topic, "2"]);
    put(&b, &topic, "0:30");
    let mut s = session(&b, &topic, &group, "SET 'execution.checkpointing.interval' = '10 s'");
    let job = start(&mut s);
    let clock = read_rows(&mut s, job, 30, 0);
    assert!(clock < 10_000, "read before the first checkpoint ({clock} ms)");
    assert!(committed(&b, &group, &topic).values().all(Option::is_none));
    s.advance(10_000);
    assert_eq!(committed(&b, &group, &topic), ends(&b, &topic), "committed at the checkpoint, still running");
    assert!(s.job(job).unwrap().running);
}
