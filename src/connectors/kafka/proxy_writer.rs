//! Writing a real topic through `sluice proxy`, for the page: what the native producer thread
//! (`mirror.rs`) does, as a state machine told the time, so the page's task and a native test
//! run the same code. Records produced on a forwarded local topic are handed over in order
//! ([`ProxyWriter::push`]); each step sends up to [`PRODUCE_BATCH`] of them, one `produce` per
//! real partition ([`real_partition`]). A retriable failure re-sends what was not acknowledged
//! after a back-off (at-least-once, as `sink.delivery-guarantee` = `at-least-once`); any other
//! ends writing.

use std::collections::BTreeMap;

use super::backoff::{Backoff, DEFAULT_BASE, DEFAULT_MAX};
use super::partitioner::real_partition;
use super::proxy_api::{produce_record, ProxyClient, ProxyError, WireRecord};
use super::topic::ProducerRecord;
use crate::connectors::kinesis::transport::Transport;

/// Records per step (the native producer's batch).
pub const PRODUCE_BATCH: usize = 500;

pub struct ProxyWriter {
    topic: String,
    queue: Vec<ProducerRecord>,
    /// Partitions of the local topic when the queued records were produced.
    local_partitions: i32,
    /// Partitions of the real topic, once asked.
    real_partitions: Option<i32>,
    backoff: Backoff,
}

impl ProxyWriter {
    pub fn new(topic: &str) -> Self {
        ProxyWriter {
            topic: topic.to_string(),
            queue: Vec::new(),
            local_partitions: 1,
            real_partitions: None,
            backoff: Backoff::new(DEFAULT_BASE, DEFAULT_MAX),
        }
    }

    /// Queues `records`, produced on a local topic of `local_partitions` partitions.
    pub fn push(&mut self, local_partitions: i32, records: Vec<ProducerRecord>) {
        self.local_partitions = local_partitions;
        self.queue.extend(records);
    }

    /// Records queued and not yet acknowledged.
    pub fn pending(&self) -> usize {
        self.queue.len()
    }

    /// Sends one batch of what is queued. Answers how many records the broker stored and when to
    /// step again (ms, the caller's clock), or the error that ends writing. `now_ms` also stamps
    /// records produced without a timestamp.
    pub async fn poll<T: Transport>(
        &mut self,
        client: &mut ProxyClient<T>,
        now_ms: i64,
        log: &mut Vec<String>,
    ) -> Result<(usize, i64), String> {
        if self.queue.is_empty() {
            return Ok((0, now_ms));
        }
        let topic = self.topic.clone();
        let n = match self.real_partitions {
            Some(n) => n,
            None => match client.partitions(&topic).await {
                Ok(p) if !p.is_empty() => *self.real_partitions.insert(p.len() as i32),
                Ok(_) => return Err(format!("kafka: writing `{topic}`: the topic has no partitions")),
                Err(e) => return self.failed(e, now_ms, log).map(|next| (0, next)),
            },
        };
        let take = self.queue.len().min(PRODUCE_BATCH);
        let local = self.local_partitions;
        let mut by_partition: BTreeMap<i32, Vec<WireRecord>> = BTreeMap::new();
        for r in &self.queue[..take] {
            let wire = produce_record(&r.key, &r.value, r.timestamp_ms.unwrap_or(now_ms), &r.headers);
            by_partition.entry(real_partition(r, local, n)).or_default().push(wire);
        }
        let mut sent = Vec::new();
        for (p, records) in &by_partition {
            match client.produce(&topic, *p, records).await {
                Ok(_) => sent.push(*p),
                Err(e) => {
                    // Keep only what was not acknowledged, in order; send it again later.
                    let before = self.queue.len();
                    let mut i = 0;
                    self.queue.retain(|r| {
                        i += 1;
                        i > take || !sent.contains(&real_partition(r, local, n))
                    });
                    let stored = before - self.queue.len();
                    self.real_partitions = None;
                    return self.failed(e, now_ms, log).map(|next| (stored, next));
                }
            }
        }
        self.backoff.succeeded();
        self.queue.drain(..take);
        Ok((take, now_ms))
    }

    fn failed(&mut self, e: ProxyError, now_ms: i64, log: &mut Vec<String>) -> Result<i64, String> {
        if !e.retriable {
            return Err(format!("kafka: writing `{}`: {e}", self.topic));
        }
        let wait = self.backoff.failed();
        if self.backoff.worth_saying() {
            log.push(format!("kafka: writing `{}`: {e}; trying again in {} ms", self.topic, wait.as_millis()));
        }
        Ok(now_ms + wait.as_millis() as i64)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::*;
    use crate::connectors::kinesis::transport::{block_on, Reply};

    /// A proxy for a topic of 2 partitions whose `fail_on`-th produce fails (retriably).
    struct FakeProxy {
        produced: Vec<(i64, Vec<String>)>,
        calls: usize,
        fail_on: usize,
    }

    impl Transport for FakeProxy {
        async fn send(&mut self, route: &str, body: &[u8]) -> Result<Reply, String> {
            let body: Value = serde_json::from_slice(body).unwrap();
            let answer = match route {
                "partitions" => json!({ "partitions": [0, 1] }),
                "produce" => {
                    self.calls += 1;
                    if self.calls == self.fail_on {
                        return Ok(Reply { status: 502, body: br#"{"error": "NOT_LEADER_OR_FOLLOWER", "retriable": true}"#.to_vec() });
                    }
                    let values = body["records"].as_array().unwrap().iter().map(|r| r["value"].as_str().unwrap().to_string()).collect();
                    self.produced.push((body["partition"].as_i64().unwrap(), values));
                    json!({ "base_offset": 0 })
                }
                other => panic!("unexpected route {other}"),
            };
            Ok(Reply { status: 200, body: answer.to_string().into_bytes() })
        }
    }

    fn record(partition: i32, value: &str) -> ProducerRecord {
        ProducerRecord { partition: Some(partition), value: Some(value.as_bytes().to_vec()), ..Default::default() }
    }

    #[test]
    fn a_failed_produce_resends_only_what_was_not_acknowledged_in_order() {
        let mut writer = ProxyWriter::new("t");
        writer.push(2, vec![record(0, "a"), record(1, "b"), record(0, "c"), record(1, "d")]);
        let mut client = ProxyClient::new(FakeProxy { produced: vec![], calls: 0, fail_on: 2 }, "http://proxy");
        let mut log = Vec::new();
        // Partition 0 stored, partition 1 refused: two records left, a back-off.
        assert_eq!(block_on(writer.poll(&mut client, 0, &mut log)).unwrap(), (2, 50));
        assert_eq!(writer.pending(), 2);
        assert_eq!(block_on(writer.poll(&mut client, 50, &mut log)).unwrap(), (2, 50));
        assert_eq!(writer.pending(), 0);
        let b64 = |s: &str| produce_record(&None, &Some(s.as_bytes().to_vec()), 0, &[]).value.unwrap();
        assert_eq!(client.transport_produced(), vec![(0, vec![b64("a"), b64("c")]), (1, vec![b64("b"), b64("d")])]);
        assert!(log[0].contains("NOT_LEADER_OR_FOLLOWER; trying again in 50 ms"), "{log:?}");
    }

    impl ProxyClient<FakeProxy> {
        fn transport_produced(&self) -> Vec<(i64, Vec<String>)> {
            self.transport().produced.clone()
        }
    }
}
