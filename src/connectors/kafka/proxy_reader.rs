//! Reading a real topic through `sluice proxy`, for the page (which cannot open TCP): what the
//! native fetcher (`mirror.rs`) does on its thread, as a state machine told the time and awaited
//! between naps, so the page's task and a native test run the very same code. Its records go into
//! the local topic of the same name at their own partitions and offsets
//! ([`super::LocalTopic::mirror_record`]); queries read them as they read any local topic.
//!
//! As natively: where reading starts is the table's `scan.startup.mode` ([`RemoteStart`]),
//! resolved once against the real topic, partitions the mirror already holds going on after its
//! last record; an offset out of range (retention passed it) starts the partition again at the
//! earliest; a retriable failure (no answer from the proxy, the broker restarting, a leader
//! moving) costs a back-off and goes on from the offsets held; any other ends reading.

use std::collections::BTreeMap;

use super::backoff::{Backoff, DEFAULT_BASE, DEFAULT_MAX};
use super::proxy_api::{ProxyClient, ProxyError};
use super::record::KafkaRecord;
use super::remote_start::{RemoteStart, EARLIEST};
use crate::connectors::kinesis::transport::Transport;

/// Wait after a fetch that brought nothing (the proxy's fetch already waits for records up to
/// `fetch.max.wait.ms`; this keeps a broker that answers at once from being asked in a loop).
const IDLE_MS: i64 = 100;

pub struct ProxyReader {
    topic: String,
    start: RemoteStart,
    /// Where the local mirror's records end, per partition.
    resume: BTreeMap<i32, i64>,
    /// The next offset to read per partition, once known.
    positions: Option<BTreeMap<i32, i64>>,
    backoff: Backoff,
}

impl ProxyReader {
    /// A reader of `topic` from `start`; partitions in `resume` go on from there.
    pub fn new(topic: &str, start: RemoteStart, resume: BTreeMap<i32, i64>) -> Self {
        ProxyReader { topic: topic.to_string(), start, resume, positions: None, backoff: Backoff::new(DEFAULT_BASE, DEFAULT_MAX) }
    }

    pub fn topic(&self) -> &str {
        &self.topic
    }

    /// The next offset to read per partition (empty until reading has started).
    pub fn positions(&self) -> BTreeMap<i32, i64> {
        self.positions.clone().unwrap_or_default()
    }

    /// How many partitions the real topic has, once reading has started.
    pub fn partition_count(&self) -> Option<usize> {
        self.positions.as_ref().map(BTreeMap::len)
    }

    /// One step: finds where each partition starts, or fetches once. Records go to `out`,
    /// progress and trouble to `log`; answers when to step again (ms, the caller's clock), or
    /// the error that ends reading.
    pub async fn poll<T: Transport>(
        &mut self,
        client: &mut ProxyClient<T>,
        now_ms: i64,
        out: &mut Vec<KafkaRecord>,
        log: &mut Vec<String>,
    ) -> Result<i64, String> {
        let topic = self.topic.clone();
        let Some(positions) = &mut self.positions else {
            return match start_positions(client, &topic, &self.start, &self.resume, log).await {
                Ok(p) => {
                    self.backoff.succeeded();
                    log.push(format!(
                        "kafka: reading `{topic}`: {} partitions from {} through {}",
                        p.len(),
                        self.start.describe(),
                        client.url
                    ));
                    self.positions = Some(p);
                    Ok(now_ms)
                }
                Err(e) => self.failed(e, now_ms, log, "finding where to start"),
            };
        };
        let asked: Vec<(i32, i64)> = positions.iter().map(|(&p, &o)| (p, o)).collect();
        let parts = match client.fetch(&topic, &asked).await {
            Ok(parts) => parts,
            Err(e) => return self.failed(e, now_ms, log, "reading"),
        };
        self.backoff.succeeded();
        let before = out.len();
        let mut reset = Vec::new();
        for part in parts {
            if !positions.contains_key(&part.partition) {
                continue;
            }
            match part.error_code {
                0 => {}
                // OFFSET_OUT_OF_RANGE: retention passed us; go on from the earliest.
                1 => {
                    reset.push(part.partition);
                    continue;
                }
                code => {
                    let what = part.error.unwrap_or_else(|| format!("error {code}"));
                    let e = format!("kafka: `{topic}` partition {}: {what}", part.partition);
                    if !part.retriable {
                        return Err(e);
                    }
                    log.push(format!("{e}; trying again"));
                    continue;
                }
            }
            for r in &part.records {
                out.push(r.to_record().map_err(|e| format!("kafka: `{topic}` partition {}: {e}", part.partition))?);
            }
            positions.insert(part.partition, part.next_offset);
        }
        if !reset.is_empty() {
            match client.list_offsets(&topic, &reset, EARLIEST).await {
                Ok(found) => {
                    for (p, off) in found {
                        let was = positions.insert(p, off).unwrap_or(-1);
                        log.push(format!("kafka: `{topic}` partition {p}: offset {was} is out of range; reading from the earliest, {off}"));
                    }
                }
                Err(e) => log.push(format!("kafka: `{topic}`: {e}")),
            }
        }
        Ok(if out.len() > before { now_ms } else { now_ms + IDLE_MS })
    }

    fn failed(&mut self, e: ProxyError, now_ms: i64, log: &mut Vec<String>, doing: &str) -> Result<i64, String> {
        if !e.retriable {
            return Err(format!("kafka: {doing} `{}`: {e}", self.topic));
        }
        let wait = self.backoff.failed();
        if self.backoff.worth_saying() {
            log.push(format!("kafka: `{}`: {e}; trying again in {} ms", self.topic, wait.as_millis()));
        }
        Ok(now_ms + wait.as_millis() as i64)
    }
}

/// Where each partition starts: the mirror's end where it has one, else `start`.
async fn start_positions<T: Transport>(
    client: &mut ProxyClient<T>,
    topic: &str,
    start: &RemoteStart,
    resume: &BTreeMap<i32, i64>,
    log: &mut Vec<String>,
) -> Result<BTreeMap<i32, i64>, ProxyError> {
    let partitions = client.partitions(topic).await?;
    let fresh: Vec<i32> = partitions.iter().copied().filter(|p| !resume.contains_key(p)).collect();
    let mut out: BTreeMap<i32, i64> = partitions.iter().filter_map(|p| resume.get(p).map(|&o| (*p, o))).collect();
    if !out.is_empty() {
        log.push(format!("kafka: `{topic}`: {} partitions going on after the last record read before", out.len()));
    }
    if fresh.is_empty() {
        return Ok(out);
    }
    let found: Vec<(i32, i64)> = match start {
        RemoteStart::Earliest => client.list_offsets(topic, &fresh, EARLIEST).await?,
        RemoteStart::Latest => client.list_offsets(topic, &fresh, super::remote_start::LATEST).await?,
        RemoteStart::Timestamp(ms) => client.list_offsets(topic, &fresh, *ms).await?,
        RemoteStart::Offsets(given) => {
            let rest: Vec<i32> = fresh.iter().copied().filter(|p| !given.contains_key(p)).collect();
            let mut v: Vec<(i32, i64)> = fresh.iter().filter_map(|p| given.get(p).map(|&o| (*p, o))).collect();
            if !rest.is_empty() {
                v.extend(client.list_offsets(topic, &rest, EARLIEST).await?);
            }
            v
        }
        RemoteStart::Group { group, reset } => {
            let committed = client.committed(group, topic, &fresh).await?;
            let missing: Vec<i32> = committed.iter().filter(|c| c.1.is_none()).map(|c| c.0).collect();
            let mut v: Vec<(i32, i64)> = committed.iter().filter_map(|&(p, o)| o.map(|o| (p, o))).collect();
            if !missing.is_empty() {
                let Some(reset) = reset else {
                    let list: Vec<String> = missing.iter().map(|p| format!("{topic}-{p}")).collect();
                    return Err(ProxyError {
                        message: format!(
                            "Undefined offset with no reset policy for partitions: [{}] (group `{group}` has committed no offset for them; set 'properties.auto.offset.reset' to 'earliest' or 'latest', or choose another 'scan.startup.mode')",
                            list.join(", ")
                        ),
                        retriable: false,
                    });
                };
                v.extend(client.list_offsets(topic, &missing, *reset).await?);
            }
            v
        }
    };
    out.extend(found);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::super::proxy_api::WireRecord;
    use super::*;
    use crate::connectors::kinesis::transport::{block_on, Reply};

    /// A proxy in front of a topic of two partitions: partition 0 holds offsets 0..3, partition 1
    /// starts at 10 (retention dropped what was before) and holds 10..12. `down` requests are
    /// not answered first (a proxy or broker restarting).
    struct FakeProxy {
        down: usize,
        asked: Vec<String>,
    }

    fn record(partition: i32, offset: i64) -> Value {
        let r = KafkaRecord {
            partition,
            offset,
            timestamp_ms: 1000 + offset,
            timestamp_type: super::super::TimestampType::CreateTime,
            key: None,
            value: Some(format!("{partition}:{offset}").into_bytes()),
            headers: vec![],
            leader_epoch: None,
        };
        serde_json::to_value(WireRecord::from_record(&r)).unwrap()
    }

    impl Transport for FakeProxy {
        async fn send(&mut self, route: &str, body: &[u8]) -> Result<Reply, String> {
            self.asked.push(route.to_string());
            if self.down > 0 {
                self.down -= 1;
                return Err("connection refused".into());
            }
            let body: Value = serde_json::from_slice(body).unwrap();
            let (earliest, end) = ([0i64, 10], [3i64, 12]);
            let answer = match route {
                "partitions" => json!({ "partitions": [0, 1] }),
                "offsets" => {
                    let at = &body["at"];
                    let list: Vec<Value> = body["partitions"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|p| {
                            let p = p.as_i64().unwrap() as usize;
                            json!([p, if at == "earliest" { earliest[p] } else { end[p] }])
                        })
                        .collect();
                    json!({ "offsets": list })
                }
                "fetch" => {
                    let parts: Vec<Value> = body["positions"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|pos| {
                            let (p, o) = (pos[0].as_i64().unwrap() as usize, pos[1].as_i64().unwrap());
                            if o < earliest[p] {
                                return json!({ "partition": p, "next_offset": o, "error_code": 1, "error": "OFFSET_OUT_OF_RANGE", "retriable": false });
                            }
                            let records: Vec<Value> = (o..end[p]).map(|off| record(p as i32, off)).collect();
                            json!({ "partition": p, "next_offset": end[p].max(o), "error_code": 0, "records": records })
                        })
                        .collect();
                    json!({ "partitions": parts })
                }
                other => panic!("unexpected route {other}"),
            };
            Ok(Reply { status: 200, body: answer.to_string().into_bytes() })
        }
    }

    fn read_all(reader: &mut ProxyReader, proxy: FakeProxy, steps: usize) -> (Vec<(i32, i64)>, Vec<String>, ProxyClient<FakeProxy>) {
        let mut client = ProxyClient::new(proxy, "http://proxy");
        let (mut out, mut log) = (Vec::new(), Vec::new());
        let mut now = 0;
        for _ in 0..steps {
            now = block_on(reader.poll(&mut client, now, &mut out, &mut log)).unwrap();
        }
        (out.iter().map(|r| (r.partition, r.offset)).collect(), log, client)
    }

    #[test]
    fn reads_every_partition_from_the_startup_mode_resetting_what_retention_dropped() {
        // specific-offsets: partition 1 at 5, which retention dropped: it starts again at 10.
        let start = RemoteStart::Offsets([(1, 5)].into());
        let mut reader = ProxyReader::new("t", start, BTreeMap::new());
        let (got, log, _) = read_all(&mut reader, FakeProxy { down: 0, asked: vec![] }, 5);
        assert_eq!(got, [(0, 0), (0, 1), (0, 2), (1, 10), (1, 11)]);
        assert!(log[0].starts_with("kafka: reading `t`: 2 partitions from specific-offsets through http://proxy"), "{log:?}");
        assert!(log.iter().any(|l| l.contains("partition 1: offset 5 is out of range; reading from the earliest, 10")), "{log:?}");
        assert_eq!(reader.positions(), [(0, 3), (1, 12)].into());
    }

    #[test]
    fn a_proxy_that_does_not_answer_costs_a_back_off_and_no_record() {
        let mut reader = ProxyReader::new("t", RemoteStart::Latest, [(0, 1)].into());
        let mut client = ProxyClient::new(FakeProxy { down: 3, asked: vec![] }, "http://proxy");
        let (mut out, mut log) = (Vec::new(), Vec::new());
        let waits: Vec<i64> = (0..3).map(|_| block_on(reader.poll(&mut client, 0, &mut out, &mut log)).unwrap()).collect();
        assert_eq!(waits, [50, 100, 200]);
        assert_eq!(log.len(), 1, "one message for the first failure: {log:?}");
        // Up again: partition 0 goes on after the mirror's records, partition 1 from the latest.
        for _ in 0..3 {
            block_on(reader.poll(&mut client, 0, &mut out, &mut log)).unwrap();
        }
        let got: Vec<(i32, i64)> = out.iter().map(|r| (r.partition, r.offset)).collect();
        assert_eq!(got, [(0, 1), (0, 2)]);
        assert_eq!(reader.positions(), [(0, 3), (1, 12)].into());
    }

    #[test]
    fn group_offsets_without_a_commit_or_reset_end_reading_naming_the_partitions() {
        struct NoCommits;
        impl Transport for NoCommits {
            async fn send(&mut self, route: &str, _: &[u8]) -> Result<Reply, String> {
                let answer = match route {
                    "partitions" => json!({ "partitions": [0, 1] }),
                    _ => json!({ "offsets": [[0, 4], [1, null]] }),
                };
                Ok(Reply { status: 200, body: answer.to_string().into_bytes() })
            }
        }
        let mut reader = ProxyReader::new("t", RemoteStart::Group { group: "g".into(), reset: None }, BTreeMap::new());
        let mut client = ProxyClient::new(NoCommits, "http://proxy");
        let e = block_on(reader.poll(&mut client, 0, &mut Vec::new(), &mut Vec::new())).unwrap_err();
        assert!(e.contains("Undefined offset with no reset policy for partitions: [t-1]"), "{e}");
    }
}
