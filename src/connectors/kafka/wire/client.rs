//! A small synchronous Kafka client over [`Connection`]s: metadata with per-partition leaders,
//! ListOffsets, Fetch, Produce and a consumer group's committed offsets.
//!
//! It keeps one connection per broker and forgets a connection (and the leaders it served) on any
//! failure; the next call opens it again after refreshing metadata, so a broker restart or a
//! leader move costs one failed call, and callers ([`super::super::remote`]) back off and call
//! again from the offsets they hold. Nothing here sleeps or retries on its own.

use std::collections::{BTreeMap, HashMap};

use super::codec::Decoder;
use super::config::ClientConfig;
use super::conn::Connection;
use super::messages::{self, Request};
use super::records::{decode_batches, encode_batch, ProduceRecord};
use super::WireError;
use crate::connectors::kafka::KafkaRecord;

/// What one partition's fetch gave.
#[derive(Debug, Default)]
pub struct PartitionFetch {
    pub partition: i32,
    pub records: Vec<KafkaRecord>,
    /// Where to fetch next: after the last complete batch, or the same offset when none came.
    pub next_offset: i64,
    pub high_watermark: i64,
    /// A partition-level error (Kafka's code), e.g. OFFSET_OUT_OF_RANGE.
    pub error_code: i16,
}

pub struct KafkaClient {
    config: ClientConfig,
    brokers: HashMap<i32, (String, i32)>,
    conns: HashMap<i32, Connection>,
    /// (topic, partition) → leader node.
    leaders: HashMap<(String, i32), i32>,
    partitions: HashMap<String, Vec<i32>>,
    coordinators: HashMap<String, i32>,
}

/// Node ids for connections that are not a known broker's: bootstrap servers, coordinators.
const BOOTSTRAP_NODE: i32 = i32::MIN;

impl KafkaClient {
    pub fn new(config: ClientConfig) -> KafkaClient {
        KafkaClient {
            config,
            brokers: HashMap::new(),
            conns: HashMap::new(),
            leaders: HashMap::new(),
            partitions: HashMap::new(),
            coordinators: HashMap::new(),
        }
    }

    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// The topic's partitions, from fresh metadata.
    pub fn partitions(&mut self, topic: &str) -> Result<Vec<i32>, WireError> {
        self.refresh(topic)?;
        Ok(self.partitions.get(topic).cloned().unwrap_or_default())
    }

    /// The names of the cluster's topics, without Kafka's internal ones (as a consumer's
    /// `exclude.internal.topics` leaves them out), sorted: what `topic-pattern` is matched against.
    pub fn topics(&mut self) -> Result<Vec<String>, WireError> {
        let reply = self.metadata_call(&messages::metadata_all())?;
        let (brokers, topics) =
            messages::metadata_reply(&mut Decoder::new(&reply)).map_err(|e| WireError::Protocol(format!("metadata: {e}")))?;
        for b in brokers {
            self.brokers.insert(b.node_id, (b.host, b.port));
        }
        let mut names: Vec<String> = topics.into_iter().filter(|t| t.error_code == 0 && !t.internal).map(|t| t.name).collect();
        names.sort_unstable();
        Ok(names)
    }

    /// Asks any broker (known ones first, then the bootstrap list) for `topic`'s metadata.
    fn refresh(&mut self, topic: &str) -> Result<(), WireError> {
        let reply = self.metadata_call(&messages::metadata(&[topic]))?;
        let (brokers, topics) =
            messages::metadata_reply(&mut Decoder::new(&reply)).map_err(|e| WireError::Protocol(format!("metadata: {e}")))?;
        for b in brokers {
            self.brokers.insert(b.node_id, (b.host, b.port));
        }
        for t in topics {
            if t.error_code != 0 {
                return Err(WireError::Kafka { code: t.error_code, context: format!("topic `{}`", t.name) });
            }
            self.leaders.retain(|(name, _), _| *name != t.name);
            for &(p, err, leader) in &t.partitions {
                if err == 0 && leader >= 0 {
                    self.leaders.insert((t.name.clone(), p), leader);
                }
            }
            self.partitions.insert(t.name.clone(), t.partitions.iter().map(|p| p.0).collect());
        }
        Ok(())
    }

    /// Sends a metadata request to any broker: known ones first, then the bootstrap list.
    fn metadata_call(&mut self, req: &Request) -> Result<Vec<u8>, WireError> {
        let mut candidates: Vec<i32> = self.conns.keys().copied().collect();
        candidates.extend(self.brokers.keys().copied().filter(|n| !self.conns.contains_key(n)));
        let mut last = WireError::Io("no broker reachable".into());
        let mut reply = None;
        for node in candidates {
            match self.call(node, req) {
                Ok(r) => {
                    reply = Some(r);
                    break;
                }
                Err(e) => last = e,
            }
        }
        if reply.is_none() {
            for (host, port) in self.config.bootstrap.clone() {
                self.conns.remove(&BOOTSTRAP_NODE);
                match Connection::open(&host, port, &self.config) {
                    Ok(c) => {
                        self.conns.insert(BOOTSTRAP_NODE, c);
                        match self.call(BOOTSTRAP_NODE, req) {
                            Ok(r) => {
                                reply = Some(r);
                                break;
                            }
                            Err(e) => last = e,
                        }
                    }
                    Err(e) => last = e,
                }
            }
        }
        reply.ok_or(last)
    }

    /// Sends `req` to `node`, opening the connection if needed; any failure forgets it.
    fn call(&mut self, node: i32, req: &Request) -> Result<Vec<u8>, WireError> {
        if !self.conns.contains_key(&node) {
            let (host, port) = self.brokers.get(&node).cloned().ok_or_else(|| WireError::Io(format!("node {node} is unknown")))?;
            let conn = Connection::open(&host, port, &self.config)?;
            self.conns.insert(node, conn);
        }
        let result = match self.conns.get_mut(&node) {
            Some(conn) => conn.call(req),
            None => Err(WireError::Io(format!("node {node} is unknown"))),
        };
        if result.is_err() {
            self.forget(node);
        }
        result
    }

    /// Drops `node`'s connection and the leaderships it held (metadata is asked again).
    fn forget(&mut self, node: i32) {
        self.conns.remove(&node);
        self.leaders.retain(|_, n| *n != node);
        self.coordinators.retain(|_, n| *n != node);
    }

    /// Groups `items` of `topic` by their partition's leader, refreshing metadata once if one is
    /// unknown.
    fn by_leader<T: Copy>(&mut self, topic: &str, items: &[(i32, T)]) -> Result<BTreeMap<i32, Vec<(i32, T)>>, WireError> {
        if items.iter().any(|(p, _)| !self.leaders.contains_key(&(topic.to_string(), *p))) {
            self.refresh(topic)?;
        }
        let mut out: BTreeMap<i32, Vec<(i32, T)>> = BTreeMap::new();
        for &(p, t) in items {
            let leader = self
                .leaders
                .get(&(topic.to_string(), p))
                .copied()
                .ok_or(WireError::Kafka { code: 5, context: format!("`{topic}` partition {p}") })?;
            out.entry(leader).or_default().push((p, t));
        }
        Ok(out)
    }

    /// The offset of each partition at `timestamp` ([`messages::EARLIEST`], [`messages::LATEST`],
    /// or milliseconds: the first record at or after it, the end when none is).
    pub fn list_offsets(&mut self, topic: &str, partitions: &[i32], timestamp: i64) -> Result<Vec<(i32, i64)>, WireError> {
        let items: Vec<(i32, i64)> = partitions.iter().map(|&p| (p, timestamp)).collect();
        let mut out = Vec::new();
        for (node, items) in self.by_leader(topic, &items)? {
            let reply = self.call(node, &messages::list_offsets(topic, &items))?;
            let parts =
                messages::list_offsets_reply(&mut Decoder::new(&reply)).map_err(|e| WireError::Protocol(format!("list offsets: {e}")))?;
            for (p, err, ts, off) in parts {
                self.check(node, err, topic, p)?;
                // Asked for a timestamp, none found: -1 (read from the end, below).
                out.push((p, if timestamp >= 0 && ts < 0 { -1 } else { off }));
            }
        }
        // A timestamp after every record gives -1: reading starts at the end.
        if timestamp >= 0 && out.iter().any(|(_, o)| *o < 0) {
            let ends = self.list_offsets(topic, partitions, messages::LATEST)?;
            for (p, o) in out.iter_mut() {
                if *o < 0 {
                    *o = ends.iter().find(|(q, _)| q == p).map_or(0, |e| e.1);
                }
            }
        }
        out.sort_unstable();
        Ok(out)
    }

    /// A partition-level error: retriable ones forget the leader so metadata is asked again.
    fn check(&mut self, node: i32, err: i16, topic: &str, p: i32) -> Result<(), WireError> {
        if err == 0 {
            return Ok(());
        }
        if messages::is_retriable(err) {
            self.leaders.retain(|_, n| *n != node);
        }
        Err(WireError::Kafka { code: err, context: format!("`{topic}` partition {p}") })
    }

    /// Fetches from each (partition, offset), one request per leader.
    pub fn fetch(&mut self, topic: &str, positions: &[(i32, i64)]) -> Result<Vec<PartitionFetch>, WireError> {
        let mut out = Vec::new();
        let (wait, max, per) = (self.config.fetch_max_wait_ms, self.config.fetch_max_bytes, self.config.partition_max_bytes);
        for (node, items) in self.by_leader(topic, positions)? {
            let reply = self.call(node, &messages::fetch(topic, &items, wait, max, per))?;
            let parts = messages::fetch_reply(&mut Decoder::new(&reply)).map_err(|e| WireError::Protocol(format!("fetch: {e}")))?;
            for part in parts {
                let Some(&(_, from)) = items.iter().find(|(p, _)| *p == part.partition) else {
                    continue;
                };
                let mut f = PartitionFetch {
                    partition: part.partition,
                    next_offset: from,
                    high_watermark: part.high_watermark,
                    error_code: part.error_code,
                    records: Vec::new(),
                };
                if part.error_code != 0 {
                    if messages::is_retriable(part.error_code) {
                        self.leaders.retain(|_, n| *n != node);
                    }
                } else if let Some(next) = decode_batches(part.records, part.partition, from, &mut f.records)
                    .map_err(|e| WireError::Protocol(format!("`{topic}` partition {}: {e}", part.partition)))?
                {
                    f.next_offset = next.max(from);
                }
                out.push(f);
            }
        }
        Ok(out)
    }

    /// Produces `records` to `partition` (acks=all); returns the first one's offset.
    pub fn produce(&mut self, topic: &str, partition: i32, records: &[ProduceRecord]) -> Result<i64, WireError> {
        let leaders = self.by_leader(topic, &[(partition, ())])?;
        let node = leaders.keys().next().copied().ok_or(WireError::Kafka { code: 5, context: topic.to_string() })?;
        let timeout = self.config.request_timeout.as_millis().min(i32::MAX as u128) as i32;
        let reply = self.call(node, &messages::produce(topic, &[(partition, encode_batch(records))], timeout))?;
        let parts = messages::produce_reply(&mut Decoder::new(&reply)).map_err(|e| WireError::Protocol(format!("produce: {e}")))?;
        let &(p, err, base) = parts
            .iter()
            .find(|r| r.0 == partition)
            .ok_or_else(|| WireError::Protocol(format!("produce: no answer for partition {partition}")))?;
        self.check(node, err, topic, p)?;
        Ok(base)
    }

    /// The group's coordinator, found once and remembered until its connection fails.
    fn coordinator(&mut self, group: &str) -> Result<i32, WireError> {
        if let Some(&n) = self.coordinators.get(group) {
            return Ok(n);
        }
        if self.brokers.is_empty() {
            self.refresh_any()?;
        }
        let node = self.brokers.keys().next().copied().ok_or_else(|| WireError::Io("no broker known".into()))?;
        let reply = self.call(node, &messages::find_coordinator(group))?;
        let (err, message, broker) = messages::find_coordinator_reply(&mut Decoder::new(&reply))
            .map_err(|e| WireError::Protocol(format!("find coordinator: {e}")))?;
        if err != 0 {
            return Err(WireError::Kafka {
                code: err,
                context: format!("group `{group}`{}", message.map(|m| format!(" ({m})")).unwrap_or_default()),
            });
        }
        self.brokers.insert(broker.node_id, (broker.host, broker.port));
        self.coordinators.insert(group.to_string(), broker.node_id);
        Ok(broker.node_id)
    }

    fn refresh_any(&mut self) -> Result<(), WireError> {
        // Metadata for no topic: just the brokers.
        let req = messages::metadata(&[]);
        for (host, port) in self.config.bootstrap.clone() {
            if let Ok(c) = Connection::open(&host, port, &self.config) {
                self.conns.insert(BOOTSTRAP_NODE, c);
                if let Ok(reply) = self.call(BOOTSTRAP_NODE, &req) {
                    let (brokers, _) =
                        messages::metadata_reply(&mut Decoder::new(&reply)).map_err(|e| WireError::Protocol(format!("metadata: {e}")))?;
                    for b in brokers {
                        self.brokers.insert(b.node_id, (b.host, b.port));
                    }
                    return Ok(());
                }
            }
        }
        Err(WireError::Io("no bootstrap server reachable".into()))
    }

    /// The group's committed offset of each partition (`None`: nothing committed).
    pub fn committed(&mut self, group: &str, topic: &str, partitions: &[i32]) -> Result<Vec<(i32, Option<i64>)>, WireError> {
        let node = self.coordinator(group)?;
        let reply = self.call(node, &messages::offset_fetch(group, topic, partitions))?;
        let parts =
            messages::offset_fetch_reply(&mut Decoder::new(&reply)).map_err(|e| WireError::Protocol(format!("offset fetch: {e}")))?;
        let mut out = Vec::new();
        for (p, err, off) in parts {
            if err != 0 {
                self.coordinators.remove(group);
                return Err(WireError::Kafka { code: err, context: format!("group `{group}` partition {p}") });
            }
            out.push((p, (off >= 0).then_some(off)));
        }
        out.sort_unstable();
        Ok(out)
    }

    /// Commits the next offset to read of each partition for the group.
    pub fn commit(&mut self, group: &str, topic: &str, offsets: &[(i32, i64)]) -> Result<(), WireError> {
        let node = self.coordinator(group)?;
        let reply = self.call(node, &messages::offset_commit(group, topic, offsets))?;
        let parts =
            messages::offset_commit_reply(&mut Decoder::new(&reply)).map_err(|e| WireError::Protocol(format!("offset commit: {e}")))?;
        for (p, err) in parts {
            if err != 0 {
                self.coordinators.remove(group);
                return Err(WireError::Kafka { code: err, context: format!("group `{group}` partition {p}") });
            }
        }
        Ok(())
    }
}
