//! Sluice's Kafka wire client (src/connectors/kafka/wire/) against a real Kafka-protocol broker
//! (tansu), checked by a client that is not ours (kafka-python): what one writes the other reads,
//! partition by partition, offset by offset; group offsets agree; a broker restart costs a
//! failed call and nothing else.
//!
//! The broker is started by `scripts/test.sh`'s `kafka` tier (`SLUICE_KAFKA_BOOTSTRAP`,
//! `SLUICE_KAFKA_PYTHON`, `SLUICE_TANSU`); these tests are `#[ignore]`d without it.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use serde_json::Value;
use sluice::connectors::kafka::wire::messages::{EARLIEST, LATEST};
use sluice::connectors::kafka::wire::{ClientConfig, KafkaClient, ProduceRecord};
use sluice::connectors::kafka::KafkaRecord;

use common::kafka::*;

fn client(bootstrap: &str) -> KafkaClient {
    let props: HashMap<&str, &str> =
        [("bootstrap.servers", bootstrap), ("request.timeout.ms", "5000"), ("fetch.max.wait.ms", "100")].into();
    KafkaClient::new(ClientConfig::from_properties(|k| props.get(k).copied()).unwrap())
}

/// Every record of `partitions` from `from` up to the partitions' ends.
fn fetch_all(c: &mut KafkaClient, topic: &str, from: &[(i32, i64)]) -> Vec<KafkaRecord> {
    let parts: Vec<i32> = from.iter().map(|p| p.0).collect();
    let ends: HashMap<i32, i64> = c.list_offsets(topic, &parts, LATEST).unwrap().into_iter().collect();
    let mut pos: Vec<(i32, i64)> = from.to_vec();
    let mut out = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    while pos.iter().any(|(p, o)| *o < ends[p]) {
        assert!(Instant::now() < deadline, "fetching {topic} did not reach {ends:?}: at {pos:?}");
        let want: Vec<(i32, i64)> = pos.iter().copied().filter(|(p, o)| *o < ends[p]).collect();
        for f in c.fetch(topic, &want).unwrap() {
            assert_eq!(f.error_code, 0, "partition {}", f.partition);
            out.extend(f.records);
            pos.iter_mut().find(|(p, _)| *p == f.partition).unwrap().1 = f.next_offset;
        }
    }
    out
}

fn produced(value: &str, ts: i64) -> ProduceRecord {
    ProduceRecord { key: Some(b"k".to_vec()), value: Some(value.as_bytes().to_vec()), timestamp_ms: ts, headers: vec![] }
}

#[test]
#[ignore = "needs the Kafka broker of scripts/test.sh's kafka tier"]
fn the_client_reads_what_kafka_python_produced_partition_by_partition() {
    let b = broker();
    let topic = topic("wire-read");
    b.tool(&["create", &topic, "4"]);
    b.tool(&["put", &topic, repo().join("tests/data/sensor_input.jsonl").to_str().unwrap(), "--lines", "0:300"]);
    let mut c = client(&b.bootstrap);
    assert_eq!(c.partitions(&topic).unwrap(), [0, 1, 2, 3]);
    let starts = c.list_offsets(&topic, &[0, 1, 2, 3], EARLIEST).unwrap();
    assert_eq!(starts, [(0, 0), (1, 0), (2, 0), (3, 0)]);
    let mut ours: Vec<Value> = fetch_all(&mut c, &topic, &starts)
        .into_iter()
        .map(|r| {
            serde_json::json!({
                "partition": r.partition, "offset": r.offset, "timestamp": r.timestamp_ms,
                "key": r.key.map(|k| String::from_utf8(k).unwrap()),
                "value": r.value.map(|v| String::from_utf8(v).unwrap()),
                "headers": [],
            })
        })
        .collect();
    let mut theirs: Vec<Value> = b.tool(&["records", &topic]).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let key = |v: &Value| (v["partition"].as_i64(), v["offset"].as_i64());
    ours.sort_by_key(key);
    theirs.sort_by_key(key);
    assert_eq!(theirs.len(), 300);
    assert_eq!(ours, theirs);
    let used: std::collections::BTreeSet<i64> = ours.iter().map(|v| v["partition"].as_i64().unwrap()).collect();
    assert!(used.len() > 1, "the keys spread over partitions: {used:?}");
}

#[test]
#[ignore = "needs the Kafka broker of scripts/test.sh's kafka tier"]
fn what_the_client_produces_kafka_python_reads_with_headers_and_timestamps() {
    let b = broker();
    let topic = topic("wire-produce");
    b.tool(&["create", &topic, "4"]);
    let mut c = client(&b.bootstrap);
    let mut r = produced("first", 1_621_500_000_000);
    r.headers = vec![("source".into(), Some(b"sluice".to_vec())), ("empty".into(), None)];
    let base = c.produce(&topic, 2, &[r, produced("second", 1_621_500_000_500)]).unwrap();
    assert_eq!(base, 0);
    assert_eq!(c.produce(&topic, 2, &[produced("third", 1_621_500_001_000)]).unwrap(), 2);
    let got: Vec<Value> = b.tool(&["records", &topic]).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(got.len(), 3);
    assert_eq!(got[0]["partition"], 2);
    assert_eq!(got[0]["value"], "first");
    assert_eq!(got[0]["timestamp"], 1_621_500_000_000i64);
    assert_eq!(got[0]["headers"], serde_json::json!([["source", "sluice"], ["empty", null]]));
    assert_eq!((got[2]["offset"].as_i64(), got[2]["value"].as_str()), (Some(2), Some("third")));
}

#[test]
#[ignore = "needs the Kafka broker of scripts/test.sh's kafka tier"]
fn list_offsets_by_timestamp_finds_the_first_record_at_or_after_it() {
    let b = broker();
    let topic = topic("wire-timestamp");
    b.tool(&["create", &topic, "1"]);
    let mut c = client(&b.bootstrap);
    // Timestamps of now, 300 ms apart: tansu looks offsets up by the time it stored a record
    // (Kafka by the record's own timestamp), and both are the same here.
    let mut marks = Vec::new();
    for v in ["a", "b", "c"] {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64;
        c.produce(&topic, 0, &[produced(v, now)]).unwrap();
        marks.push(now);
        std::thread::sleep(Duration::from_millis(300));
    }
    assert_eq!(c.list_offsets(&topic, &[0], marks[1] - 100).unwrap(), [(0, 1)]);
    assert_eq!(c.list_offsets(&topic, &[0], marks[2] - 100).unwrap(), [(0, 2)]);
    // After every record: the end, where new records will be.
    assert_eq!(c.list_offsets(&topic, &[0], marks[2] + 60_000).unwrap(), [(0, 3)]);
}

#[test]
#[ignore = "needs the Kafka broker of scripts/test.sh's kafka tier"]
fn group_offsets_committed_by_the_client_are_the_groups_for_kafka_python() {
    let b = broker();
    let topic = topic("wire-group");
    let group = format!("{topic}-group");
    b.tool(&["create", &topic, "4"]);
    let mut c = client(&b.bootstrap);
    assert_eq!(c.committed(&group, &topic, &[0, 1]).unwrap(), [(0, None), (1, None)]);
    c.commit(&group, &topic, &[(0, 5), (1, 7)]).unwrap();
    assert_eq!(c.committed(&group, &topic, &[0, 1, 2]).unwrap(), [(0, Some(5)), (1, Some(7)), (2, None)]);
    let theirs: Value = serde_json::from_str(b.tool(&["committed", &group, &topic]).trim()).unwrap();
    assert_eq!(theirs, serde_json::json!({"0": 5, "1": 7, "2": null, "3": null}));
}

#[test]
#[ignore = "needs the Kafka broker of scripts/test.sh's kafka tier"]
fn a_broker_restart_costs_one_failed_call_and_reading_goes_on_from_the_offset_held() {
    let pb = private_broker();
    let topic = topic("wire-restart");
    pb.broker.tool(&["create", &topic, "2"]);
    let mut c = client(&pb.broker.bootstrap);
    c.produce(&topic, 0, &(0..10).map(|i| produced(&format!("v{i}"), 1000 + i)).collect::<Vec<_>>()).unwrap();
    let first = fetch_all(&mut c, &topic, &[(0, 0), (1, 0)]);
    assert_eq!(first.len(), 10);
    pb.relay.restart_broker(Duration::from_millis(300));
    // The connection the client held is gone: the next call fails, retriably.
    let e = c.fetch(&topic, &[(0, 10)]).unwrap_err();
    assert!(e.retriable(), "{e}");
    // The one after reconnects (metadata first) and goes on.
    c.produce(&topic, 0, &(10..15).map(|i| produced(&format!("v{i}"), 1000 + i)).collect::<Vec<_>>()).unwrap();
    let rest = fetch_all(&mut c, &topic, &[(0, 10), (1, 0)]);
    assert_eq!(rest.iter().map(|r| r.offset).collect::<Vec<_>>(), (10..15).collect::<Vec<_>>());
}
