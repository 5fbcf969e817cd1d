//! Real topics mirrored into local topics and local topics forwarded to real ones
//! (src/connectors/kafka/mirror.rs, `KafkaRemote`) against a real Kafka-protocol broker (tansu),
//! checked with kafka-python: every record at its own partition and offset, once, through a
//! broker restart; group offsets as Flink starts from them.
//!
//! The broker is started by `scripts/test.sh`'s `kafka` tier; these tests are `#[ignore]`d
//! without it.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde_json::Value;
use sluice::connectors::kafka::mirror::{KafkaAccess, KafkaRemote};
use sluice::connectors::kafka::remote_start::options_table;
use sluice::connectors::kafka::{LocalTopics, ProducerRecord, RemoteTopics};
use sluice::connectors::RemoteEvent;
use sluice::plan::catalog::TableDef;

use common::kafka::*;

fn table(topic: &str, options: &[(&str, &str)]) -> TableDef {
    let mut opts = vec![
        ("connector", "kafka"),
        ("topic", topic),
        ("properties.bootstrap.servers", "not-used:9092"),
        ("properties.fetch.max.wait.ms", "100"),
        ("properties.reconnect.backoff.max.ms", "200"),
    ];
    opts.extend_from_slice(options);
    options_table(&opts)
}

/// Pumps until `done` holds (or fails the test after 30 s); returns the events seen.
fn pump_until(
    remote: &mut KafkaRemote,
    topics: &mut LocalTopics,
    mut done: impl FnMut(&LocalTopics, &[RemoteEvent]) -> bool,
) -> Vec<RemoteEvent> {
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut events = Vec::new();
    loop {
        remote.pump(topics, &mut events);
        if done(topics, &events) {
            return events;
        }
        assert!(Instant::now() < deadline, "not done after 30 s; events: {events:#?}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// (partition, offset, value) of every record a local topic holds.
fn held(topics: &LocalTopics, name: &str) -> Vec<(i64, i64, String)> {
    let topic = topics.get(name).unwrap();
    let mut out: Vec<_> = topic
        .recent(usize::MAX)
        .into_iter()
        .map(|r| (r.record.partition as i64, r.record.offset, String::from_utf8(r.record.value.clone().unwrap()).unwrap()))
        .collect();
    out.sort();
    out
}

fn theirs(b: &Broker, topic: &str) -> Vec<(i64, i64, String)> {
    let mut out: Vec<_> = b
        .tool(&["records", topic])
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            (v["partition"].as_i64().unwrap(), v["offset"].as_i64().unwrap(), v["value"].as_str().unwrap().to_string())
        })
        .collect();
    out.sort();
    out
}

/// Produces lines `range` (`A:B`) of the seed's sensor records with kafka-python.
fn put(b: &Broker, topic: &str, range: &str) {
    b.tool(&["put", topic, repo().join("tests/data/sensor_input.jsonl").to_str().unwrap(), "--lines", range]);
}

#[test]
#[ignore = "needs the Kafka broker of scripts/test.sh's kafka tier"]
fn a_mirror_holds_every_record_of_the_real_topic_at_its_partition_and_offset_through_a_restart() {
    let pb = private_broker();
    let b = &pb.broker;
    let topic = topic("mirror");
    b.tool(&["create", &topic, "4"]);
    put(b, &topic, "0:150");
    let mut remote = KafkaRemote::new(KafkaAccess::Bootstrap(b.bootstrap.clone()));
    let mut topics = LocalTopics::default();
    assert!(remote.attach_source(&table(&topic, &[("scan.startup.mode", "earliest-offset")]), &mut topics).unwrap());
    let events = pump_until(&mut remote, &mut topics, |t, _| t.get(&topic).unwrap().record_count() == 150);
    assert!(events.contains(&RemoteEvent::Info(format!("kafka: reading `{topic}`: 4 partitions from earliest-offset"))), "{events:#?}");
    // The broker goes away and comes back while the mirror is reading; more records arrive.
    pb.relay.restart_broker(Duration::from_millis(500));
    put(b, &topic, "150:300");
    let events = pump_until(&mut remote, &mut topics, |t, _| t.get(&topic).unwrap().record_count() >= 300);
    assert!(events.iter().all(|e| !matches!(e, RemoteEvent::Failed { .. })), "{events:#?}");
    std::thread::sleep(Duration::from_millis(500));
    let mut events = Vec::new();
    remote.pump(&mut topics, &mut events);
    assert_eq!(held(&topics, &topic), theirs(b, &topic), "every record once, at its own partition and offset");
}

#[test]
#[ignore = "needs the Kafka broker of scripts/test.sh's kafka tier"]
fn what_a_sink_produces_on_a_forwarded_topic_reaches_the_real_one_in_order() {
    let b = broker();
    let topic = topic("forward");
    b.tool(&["create", &topic, "2"]);
    let mut remote = KafkaRemote::new(KafkaAccess::Bootstrap(b.bootstrap.clone()));
    let mut topics = LocalTopics::default();
    assert!(remote.attach_sink(&table(&topic, &[]), &mut topics).unwrap());
    for i in 0..40 {
        let key = format!("k{}", i % 5).into_bytes();
        let record = ProducerRecord { key: Some(key), value: Some(format!("v{i}").into_bytes()), ..Default::default() };
        topics.get_mut(&topic).unwrap().produce(record, 1_621_500_000_000 + i).unwrap();
    }
    let mut events = Vec::new();
    remote.pump(&mut topics, &mut events);
    let deadline = Instant::now() + Duration::from_secs(30);
    while remote.pending_writes() > 0 {
        assert!(Instant::now() < deadline, "{} records not written", remote.pending_writes());
        std::thread::sleep(Duration::from_millis(20));
    }
    let got = theirs(&b, &topic);
    assert_eq!(got.len(), 40);
    // Per key (so per partition), in the order produced.
    let mut by_partition: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for (p, _, v) in &got {
        by_partition.entry(*p).or_default().push(v[1..].parse().unwrap());
    }
    for (p, values) in &by_partition {
        let mut sorted = values.clone();
        sorted.sort();
        assert_eq!(values, &sorted, "partition {p} in produce order");
    }
    assert_eq!(by_partition.len(), 2, "the keys spread over both real partitions");
}

#[test]
#[ignore = "needs the Kafka broker of scripts/test.sh's kafka tier"]
fn group_offsets_start_where_the_group_committed_and_fail_as_flink_does_without_one() {
    let b = broker();
    let topic = topic("group");
    let group = format!("{topic}-g");
    b.tool(&["create", &topic, "2"]);
    put(&b, &topic, "0:100");
    let t = table(&topic, &[("properties.group.id", group.as_str())]);
    // Nothing committed, no reset policy: Flink's error, naming the partitions.
    let mut remote = KafkaRemote::new(KafkaAccess::Bootstrap(b.bootstrap.clone()));
    let mut topics = LocalTopics::default();
    remote.attach_source(&t, &mut topics).unwrap();
    let events = pump_until(&mut remote, &mut topics, |_, e| e.iter().any(|e| matches!(e, RemoteEvent::Failed { .. })));
    let failed = events.iter().find_map(|e| if let RemoteEvent::Failed { error, .. } = e { Some(error) } else { None }).unwrap();
    assert!(failed.contains(&format!("Undefined offset with no reset policy for partitions: [{topic}-0, {topic}-1]")), "{failed}");
    // Committed as a stopping job commits: each partition's next offset to read.
    let ends: BTreeMap<i32, i64> = theirs(&b, &topic).iter().fold(BTreeMap::new(), |mut m, (p, o, _)| {
        let e = m.entry(*p as i32).or_insert(0);
        *e = (*e).max(o + 1);
        m
    });
    let committed: BTreeMap<i32, i64> = ends.iter().map(|(&p, &e)| (p, e - 10)).collect();
    remote.commit(&t, &topic, &committed).unwrap();
    let mut remote = KafkaRemote::new(KafkaAccess::Bootstrap(b.bootstrap.clone()));
    let mut topics = LocalTopics::default();
    remote.attach_source(&t, &mut topics).unwrap();
    pump_until(&mut remote, &mut topics, |t, _| t.get(&topic).unwrap().record_count() == 20);
    std::thread::sleep(Duration::from_millis(300));
    let mut events = Vec::new();
    remote.pump(&mut topics, &mut events);
    let first: BTreeMap<i32, i64> = topics.get(&topic).unwrap().recent(usize::MAX).iter().fold(BTreeMap::new(), |mut m, r| {
        m.entry(r.record.partition).or_insert(r.record.offset);
        m
    });
    assert_eq!(first, committed, "reading starts at the committed offsets");
    assert_eq!(topics.get(&topic).unwrap().record_count(), 20);
}
