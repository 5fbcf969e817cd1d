//! A `topic-pattern` table against a real Kafka-protocol broker (tansu): the cluster's topics are
//! listed (Metadata for every topic) and each whose WHOLE name matches the Java regular expression
//! is read, as Flink's Kafka source subscribes to a pattern; topics that match only in part, or
//! not at all, are not read.
//!
//! The broker is started by `scripts/test.sh`'s `kafka` tier; these tests are `#[ignore]`d
//! without it.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use sluice::connectors::kafka::mirror::{KafkaAccess, KafkaRemote};
use sluice::session::{Outcome, Session};

use common::kafka::*;

fn put(b: &Broker, topic: &str, range: &str) {
    b.tool(&["put", topic, repo().join("tests/data/sensor_input.jsonl").to_str().unwrap(), "--lines", range]);
}

#[test]
#[ignore = "needs the Kafka broker of scripts/test.sh's kafka tier"]
fn a_topic_pattern_reads_every_matching_topic_of_the_broker_and_no_other() {
    let b = broker();
    let base = topic("pattern");
    let (a, c, other, partial) = (format!("{base}-in-a"), format!("{base}-in-c"), format!("{base}-out"), format!("x{base}-in-b"));
    b.tool(&["create", &a, "2"]);
    b.tool(&["create", &c, "3"]);
    b.tool(&["create", &other, "1"]);
    b.tool(&["create", &partial, "1"]);
    put(&b, &a, "0:30");
    put(&b, &c, "30:50");
    put(&b, &other, "50:60");
    put(&b, &partial, "60:70");

    let mut session = Session::empty();
    session.switch_remote_topics(Some(Box::new(KafkaRemote::new(KafkaAccess::Bootstrap(b.bootstrap.clone())))));
    session
        .execute(
            &format!(
                "CREATE TABLE t (sensor_id INT, src STRING METADATA FROM 'topic' VIRTUAL) WITH ('connector' = 'kafka', \
                 'topic-pattern' = '{base}-in-.*', 'properties.bootstrap.servers' = 'not-used:9092', \
                 'properties.fetch.max.wait.ms' = '100', 'scan.startup.mode' = 'earliest-offset', 'format' = 'json')"
            ),
            0,
        )
        .unwrap();
    let job = match session.execute("SELECT src, sensor_id FROM t", 0).unwrap().pop() {
        Some(Outcome::Query { job, .. }) => job,
        other => panic!("expected a streaming query, got {other:?}"),
    };
    let mut per_topic: BTreeMap<String, usize> = BTreeMap::new();
    let (mut clock, deadline) = (0, Instant::now() + Duration::from_secs(30));
    let mut quiet_since = None;
    // Until 50 rows came and then 2 s passed with nothing more (a wrong topic would add rows).
    while quiet_since.is_none_or(|q: Instant| q.elapsed() < Duration::from_secs(2)) {
        assert!(Instant::now() < deadline, "rows so far {per_topic:?}: {:?}", session.job(job));
        clock += 100;
        session.advance(clock);
        let changes = session.take_changes(job);
        for c in &changes {
            *per_topic.entry(c.row[0].to_string()).or_default() += 1;
        }
        if !changes.is_empty() {
            quiet_since = None;
        }
        if quiet_since.is_none() && per_topic.values().sum::<usize>() >= 50 {
            quiet_since = Some(Instant::now());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(session.job(job).unwrap().error, None);
    assert_eq!(per_topic, BTreeMap::from([(a, 30), (c, 20)]), "every record of the matching topics, none of the others");
}
