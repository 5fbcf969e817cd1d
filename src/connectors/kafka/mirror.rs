//! Real Kafka topics natively: [`KafkaRemote`] is the runner's (and the proxy's)
//! [`RemoteTopics`]. Each mirrored topic has a fetcher thread that reads every partition from
//! its leader and sends the records to the session, which puts them in the local topic of the
//! same name at their own partitions and offsets ([`LocalTopic::mirror_record`]); each forwarded
//! topic has a producer thread sending what sinks produced there. As for Kinesis
//! (`kinesis/remote.rs`), queries never see the difference.
//!
//! Which tables are real: with [`KafkaAccess::Tables`], every Kafka table at its own
//! `properties.bootstrap.servers`; with [`KafkaAccess::Bootstrap`], every Kafka table at the
//! servers given (the runner's `--kafka`), its other `properties.*` kept; with
//! [`KafkaAccess::Local`] none (local topics, the default).
//!
//! Where reading starts is Flink's `scan.startup.mode`, resolved against the real topic once:
//! earliest, latest, a timestamp (ListOffsets), specific offsets (the partitions not named start
//! at the earliest), or the group's committed offsets (`group-offsets`, Flink's default), where a
//! partition without one resets as `properties.auto.offset.reset` says (`earliest`, `latest`) or,
//! as in Flink where it defaults to `none`, fails the query naming the partitions. A mirror that
//! already holds records goes on after them. An offset out of range (retention dropped it)
//! resets the partition to the earliest, as Flink's source sets the consumer's reset strategy.
//!
//! Failures: a broker that cannot be reached, restarts or moves a leader costs a back-off
//! (`reconnect.backoff.ms` doubling up to `reconnect.backoff.max.ms`) and a message; reading goes
//! on from the offsets held, writing re-sends the batch that failed (at-least-once, as
//! `sink.delivery-guarantee` = `at-least-once`: a batch whose acknowledgement was lost is written
//! twice). Refused credentials, a missing topic or an unsupported option fail the jobs on the
//! topic.
//!
//! Group offsets are committed as Flink commits them, on checkpoint: the session calls
//! [`KafkaRemote::commit`] with the offsets after the last records a job read, at each
//! `execution.checkpointing.interval` and when the job stops (`session/offsets.rs`).

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, Sender};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub use super::backoff::Backoff;
use super::partitioner::real_partition;
use super::remote::RemoteTopics;
use super::remote_start::{table_topics, RemoteStart};
use super::topic::{LocalTopics, ProducerRecord};
use super::wire::messages::{EARLIEST, LATEST};
use super::wire::{ClientConfig, KafkaClient, ProduceRecord, WireError};
use super::KafkaRecord;
use crate::connectors::RemoteEvent;
use crate::plan::catalog::TableDef;

/// Which Kafka tables read and write a real cluster.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KafkaAccess {
    /// None: Kafka tables read and write local topics.
    Local,
    /// Each table at its own `properties.bootstrap.servers`.
    Tables,
    /// Every Kafka table at these servers (`host:port,…`).
    Bootstrap(String),
}

/// Records per Produce request (and the batch a producer thread takes from its queue).
const PRODUCE_BATCH: usize = 500;

pub struct KafkaRemote {
    access: KafkaAccess,
    readers: BTreeMap<String, Reader>,
    writers: BTreeMap<String, Writer>,
    events: Sender<RemoteEvent>,
    incoming_events: Receiver<RemoteEvent>,
}

/// What a fetcher thread sends the session: first the real topic's partition count, then records.
enum Fetched {
    Partitions(usize),
    Records(Vec<KafkaRecord>),
}

struct Reader {
    records: Receiver<Fetched>,
    stop: Arc<AtomicBool>,
    config: ClientConfig,
}

struct Writer {
    /// The records and how many partitions the local topic had when they were produced.
    records: Sender<(i32, Vec<ProducerRecord>)>,
    pending: Arc<AtomicUsize>,
}

fn is_kafka(table: &TableDef) -> bool {
    matches!(table.connector(), "kafka" | "upsert-kafka")
}

impl KafkaRemote {
    pub fn new(access: KafkaAccess) -> Self {
        let (events, incoming_events) = channel();
        KafkaRemote { access, readers: BTreeMap::new(), writers: BTreeMap::new(), events, incoming_events }
    }

    /// The client settings for `table`, or `None` when its topics are local.
    pub fn config_for(&self, table: &TableDef) -> Result<Option<ClientConfig>, String> {
        if !is_kafka(table) {
            return Ok(None);
        }
        let props = |k: &str| table.option(&format!("properties.{k}"));
        match &self.access {
            KafkaAccess::Local => Ok(None),
            KafkaAccess::Tables => ClientConfig::from_properties(props).map(Some),
            KafkaAccess::Bootstrap(servers) => {
                let servers = servers.as_str();
                ClientConfig::from_properties(|k| if k == "bootstrap.servers" { Some(servers) } else { props(k) }).map(Some)
            }
        }
    }

    /// Commits `positions` (the next offset to read in each partition) of `table`'s `topic` for
    /// its group (`properties.group.id`), as Flink's source does on a checkpoint; tables without
    /// a group or real topic commit nothing. Blocking: called when a job stops.
    pub fn commit(&self, table: &TableDef, topic: &str, positions: &BTreeMap<i32, i64>) -> Result<(), String> {
        let (Some(config), Some(group)) = (self.config_for(table)?, table.option("properties.group.id")) else {
            return Ok(());
        };
        let offsets: Vec<(i32, i64)> = positions.iter().map(|(&p, &o)| (p, o)).collect();
        if offsets.is_empty() {
            return Ok(());
        }
        let mut client = KafkaClient::new(config);
        client.commit(group, topic, &offsets).map_err(|e| format!("kafka: committing `{topic}` for group `{group}`: {e}"))
    }
}

impl RemoteTopics for KafkaRemote {
    fn attach_source(&mut self, table: &TableDef, topics: &mut LocalTopics) -> Result<bool, String> {
        let Some(config) = self.config_for(table)? else {
            return Ok(false);
        };
        let start = RemoteStart::from_table(table)?;
        let names = match table.option("topic-pattern") {
            Some(pattern) => pattern_topics(pattern, &config)?,
            None => table_topics(table)?,
        };
        for name in names {
            if self.readers.get(&name).is_some_and(|r| r.config == config) {
                continue;
            }
            if let Some(old) = self.readers.remove(&name) {
                old.stop.store(true, Ordering::SeqCst);
            }
            let topic = topics.get_or_create(&name);
            topic.mirror_remote();
            let resume = topic.mirrored_up_to();
            let (send, records) = channel();
            let stop = Arc::new(AtomicBool::new(false));
            let fetcher = Fetcher {
                topic: name.clone(),
                client: KafkaClient::new(config.clone()),
                start: start.clone(),
                resume,
                records: send,
                events: self.events.clone(),
                stop: stop.clone(),
            };
            std::thread::Builder::new()
                .name(format!("kafka-fetch-{name}"))
                .spawn(move || fetcher.run())
                .map_err(|e| format!("kafka: cannot start a reader thread: {e}"))?;
            self.readers.insert(name, Reader { records, stop, config: config.clone() });
        }
        Ok(true)
    }

    fn attach_sink(&mut self, table: &TableDef, topics: &mut LocalTopics) -> Result<bool, String> {
        let Some(config) = self.config_for(table)? else {
            return Ok(false);
        };
        let names = table_topics(table)?;
        let [name] = names.as_slice() else {
            return Err("a Kafka sink writes one topic; 'topic' names several".into());
        };
        topics.get_or_create(name).forward_produced();
        if self.writers.contains_key(name) {
            return Ok(true);
        }
        let (send, receive) = channel();
        let pending = Arc::new(AtomicUsize::new(0));
        let producer = Producer {
            topic: name.clone(),
            client: KafkaClient::new(config),
            records: receive,
            events: self.events.clone(),
            pending: pending.clone(),
        };
        std::thread::Builder::new()
            .name(format!("kafka-produce-{name}"))
            .spawn(move || producer.run())
            .map_err(|e| format!("kafka: cannot start a writer thread: {e}"))?;
        self.writers.insert(name.clone(), Writer { records: send, pending });
        Ok(true)
    }

    fn pump(&mut self, topics: &mut LocalTopics, events: &mut Vec<RemoteEvent>) {
        for (name, reader) in &self.readers {
            let Some(topic) = topics.get_mut(name) else { continue };
            while let Ok(fetched) = reader.records.try_recv() {
                let batch = match fetched {
                    Fetched::Partitions(n) => {
                        topic.mirror_partitions(n);
                        continue;
                    }
                    Fetched::Records(batch) => batch,
                };
                for record in batch {
                    if let Err(error) = topic.mirror_record(record) {
                        events.push(RemoteEvent::Failed { stream: name.clone(), error: format!("kafka: {error}") });
                        reader.stop.store(true, Ordering::SeqCst);
                        break;
                    }
                }
            }
        }
        for (name, writer) in &self.writers {
            let Some(topic) = topics.get_mut(name) else { continue };
            let out = topic.take_outbox();
            if !out.is_empty() {
                writer.pending.fetch_add(out.len(), Ordering::SeqCst);
                let n = out.len();
                if writer.records.send((topic.partition_count() as i32, out)).is_err() {
                    writer.pending.fetch_sub(n, Ordering::SeqCst);
                }
            }
        }
        events.extend(self.incoming_events.try_iter());
    }

    fn commit(&mut self, table: &TableDef, topic: &str, positions: &BTreeMap<i32, i64>) -> Result<(), String> {
        KafkaRemote::commit(self, table, topic, positions)
    }

    fn pending_writes(&self) -> usize {
        self.writers.values().map(|w| w.pending.load(Ordering::SeqCst)).sum()
    }
}

/// The cluster's topics whose whole name matches `topic-pattern`, listed once as the query starts
/// (Flink lists them again every `scan.topic-partition-discovery.interval`: DIFFERENCES.md).
fn pattern_topics(pattern: &str, config: &ClientConfig) -> Result<Vec<String>, String> {
    let regex =
        crate::engine::regex::Regex::new(pattern).map_err(|e| format!("'topic-pattern' = '{pattern}' is not a regular expression: {e}"))?;
    let listed = KafkaClient::new(config.clone()).topics().map_err(|e| format!("kafka: listing the topics for 'topic-pattern': {e}"))?;
    let mut names = Vec::new();
    for name in listed {
        if regex.full_match(&name).map_err(|e| format!("'topic-pattern' = '{pattern}': {e}"))? {
            names.push(name);
        }
    }
    Ok(names)
}

impl Drop for KafkaRemote {
    fn drop(&mut self) {
        for r in self.readers.values() {
            r.stop.store(true, Ordering::SeqCst);
        }
    }
}

struct Fetcher {
    topic: String,
    client: KafkaClient,
    start: RemoteStart,
    resume: BTreeMap<i32, i64>,
    records: Sender<Fetched>,
    events: Sender<RemoteEvent>,
    stop: Arc<AtomicBool>,
}

impl Fetcher {
    fn info(&self, message: String) {
        let _ = self.events.send(RemoteEvent::Info(message));
    }

    fn fail(&self, error: String) {
        let _ = self.events.send(RemoteEvent::Failed { stream: self.topic.clone(), error });
    }

    /// Sleeps `d` in small steps; `false` once told to stop.
    fn wait(&self, d: Duration) -> bool {
        let step = Duration::from_millis(50);
        let mut left = d;
        while !left.is_zero() {
            if self.stop.load(Ordering::SeqCst) {
                return false;
            }
            let s = left.min(step);
            std::thread::sleep(s);
            left -= s;
        }
        !self.stop.load(Ordering::SeqCst)
    }

    fn run(mut self) {
        let config = self.client.config().clone();
        let mut backoff = Backoff::new(config.reconnect_backoff, config.reconnect_backoff_max);
        let topic = self.topic.clone();
        // Where each partition starts, asked until the broker answers.
        let mut positions = loop {
            match self.start_positions() {
                Ok(p) => break p,
                Err(e) if e.retriable() => {
                    self.info(format!("kafka: `{topic}`: {e}; trying again"));
                    if !self.wait(backoff.failed()) {
                        return;
                    }
                }
                Err(e) => return self.fail(format!("kafka: reading `{topic}`: {e}")),
            }
        };
        backoff.succeeded();
        self.info(format!("kafka: reading `{topic}`: {} partitions from {}", positions.len(), self.start.describe()));
        if self.records.send(Fetched::Partitions(positions.len())).is_err() {
            return;
        }
        while !self.stop.load(Ordering::SeqCst) {
            let asked: Vec<(i32, i64)> = positions.iter().map(|(&p, &o)| (p, o)).collect();
            match self.client.fetch(&topic, &asked) {
                Ok(parts) => {
                    backoff.succeeded();
                    let mut batch = Vec::new();
                    for part in parts {
                        match part.error_code {
                            0 => {}
                            1 => {
                                // OFFSET_OUT_OF_RANGE: retention passed us; go on from the earliest.
                                match self.client.list_offsets(&topic, &[part.partition], EARLIEST) {
                                    Ok(o) => {
                                        if let Some(&(_, off)) = o.first() {
                                            self.info(format!(
                                                "kafka: `{topic}` partition {}: offset {} is out of range; reading from the earliest, {off}",
                                                part.partition, positions[&part.partition]
                                            ));
                                            positions.insert(part.partition, off);
                                        }
                                    }
                                    Err(e) => self.info(format!("kafka: `{topic}`: {e}")),
                                }
                                continue;
                            }
                            code => {
                                let e = WireError::Kafka { code, context: format!("`{topic}` partition {}", part.partition) };
                                if !e.retriable() {
                                    return self.fail(format!("kafka: reading `{topic}`: {e}"));
                                }
                                self.info(format!("kafka: {e}; trying again"));
                                continue;
                            }
                        }
                        positions.insert(part.partition, part.next_offset);
                        batch.extend(part.records);
                    }
                    if !batch.is_empty() && self.records.send(Fetched::Records(batch)).is_err() {
                        return;
                    }
                }
                Err(e) if e.retriable() => {
                    let wait = backoff.failed();
                    if backoff.failures() == 1 || backoff.failures().is_multiple_of(10) {
                        self.info(format!("kafka: `{topic}`: {e}; reconnecting in {} ms", wait.as_millis()));
                    }
                    if !self.wait(wait) {
                        return;
                    }
                }
                Err(e) => return self.fail(format!("kafka: reading `{topic}`: {e}")),
            }
        }
    }

    fn start_positions(&mut self) -> Result<BTreeMap<i32, i64>, WireError> {
        let topic = self.topic.clone();
        let partitions = self.client.partitions(&topic)?;
        let fresh: Vec<i32> = partitions.iter().copied().filter(|p| !self.resume.contains_key(p)).collect();
        let mut out: BTreeMap<i32, i64> = partitions.iter().filter_map(|p| self.resume.get(p).map(|&o| (*p, o))).collect();
        if fresh.is_empty() {
            return Ok(out);
        }
        let found: Vec<(i32, i64)> = match &self.start {
            RemoteStart::Earliest => self.client.list_offsets(&topic, &fresh, EARLIEST)?,
            RemoteStart::Latest => self.client.list_offsets(&topic, &fresh, LATEST)?,
            RemoteStart::Timestamp(ms) => self.client.list_offsets(&topic, &fresh, *ms)?,
            RemoteStart::Offsets(given) => {
                let rest: Vec<i32> = fresh.iter().copied().filter(|p| !given.contains_key(p)).collect();
                let mut v: Vec<(i32, i64)> = fresh.iter().filter_map(|p| given.get(p).map(|&o| (*p, o))).collect();
                if !rest.is_empty() {
                    v.extend(self.client.list_offsets(&topic, &rest, EARLIEST)?);
                }
                v
            }
            RemoteStart::Group { group, reset } => {
                let committed = self.client.committed(group, &topic, &fresh)?;
                let missing: Vec<i32> = committed.iter().filter(|c| c.1.is_none()).map(|c| c.0).collect();
                let mut v: Vec<(i32, i64)> = committed.iter().filter_map(|&(p, o)| o.map(|o| (p, o))).collect();
                if !missing.is_empty() {
                    let Some(reset) = reset else {
                        let list: Vec<String> = missing.iter().map(|p| format!("{topic}-{p}")).collect();
                        return Err(WireError::Fatal(format!(
                            "Undefined offset with no reset policy for partitions: [{}] (group `{group}` has committed no offset for them; set 'properties.auto.offset.reset' to 'earliest' or 'latest', or choose another 'scan.startup.mode')",
                            list.join(", ")
                        )));
                    };
                    v.extend(self.client.list_offsets(&topic, &missing, *reset)?);
                }
                v
            }
        };
        out.extend(found);
        Ok(out)
    }
}

struct Producer {
    topic: String,
    client: KafkaClient,
    records: Receiver<(i32, Vec<ProducerRecord>)>,
    events: Sender<RemoteEvent>,
    pending: Arc<AtomicUsize>,
}

impl Producer {
    fn run(mut self) {
        let config = self.client.config().clone();
        let mut backoff = Backoff::new(config.reconnect_backoff, config.reconnect_backoff_max);
        let topic = self.topic.clone();
        let mut real_partitions: Option<i32> = None;
        let mut queue: Vec<ProducerRecord> = Vec::new();
        let mut local = 0;
        loop {
            if queue.is_empty() {
                match self.records.recv_timeout(Duration::from_millis(200)) {
                    Ok((n, batch)) => (local, queue) = (n, batch),
                    Err(RecvTimeoutError::Timeout) => continue,
                    Err(RecvTimeoutError::Disconnected) => return,
                }
            }
            while let Ok((n, more)) = self.records.try_recv() {
                local = n;
                queue.extend(more);
            }
            let n = match real_partitions {
                Some(n) => n,
                None => match self.client.partitions(&topic) {
                    Ok(p) if !p.is_empty() => *real_partitions.insert(p.len() as i32),
                    Ok(_) => return self.fail(format!("kafka: writing `{topic}`: the topic has no partitions")),
                    Err(e) if e.retriable() => {
                        self.retry(&mut backoff, &e);
                        continue;
                    }
                    Err(e) => return self.fail(format!("kafka: writing `{topic}`: {e}")),
                },
            };
            // One Produce per partition, in the order the records were produced.
            let take = queue.len().min(PRODUCE_BATCH);
            let mut by_partition: BTreeMap<i32, Vec<ProduceRecord>> = BTreeMap::new();
            let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64);
            for r in &queue[..take] {
                by_partition.entry(real_partition(r, local, n)).or_default().push(ProduceRecord {
                    key: r.key.clone(),
                    value: r.value.clone(),
                    timestamp_ms: r.timestamp_ms.unwrap_or(now),
                    headers: r.headers.clone(),
                });
            }
            let mut sent: HashMap<i32, bool> = HashMap::new();
            let mut failed = None;
            for (p, records) in &by_partition {
                match self.client.produce(&topic, *p, records) {
                    Ok(_) => {
                        sent.insert(*p, true);
                    }
                    Err(e) => {
                        failed = Some(e);
                        break;
                    }
                }
            }
            match failed {
                None => {
                    backoff.succeeded();
                    queue.drain(..take);
                    self.pending.fetch_sub(take, Ordering::SeqCst);
                }
                Some(e) if e.retriable() => {
                    // Keep only what was not acknowledged, in order; send it again.
                    let before = queue.len();
                    let mut i = 0;
                    queue.retain(|r| {
                        i += 1;
                        if i > take {
                            return true;
                        }
                        !sent.contains_key(&real_partition(r, local, n))
                    });
                    self.pending.fetch_sub(before - queue.len(), Ordering::SeqCst);
                    real_partitions = None;
                    self.retry(&mut backoff, &e);
                }
                Some(e) => return self.fail(format!("kafka: writing `{topic}`: {e}")),
            }
        }
    }

    fn retry(&self, backoff: &mut Backoff, e: &WireError) {
        let wait = backoff.failed();
        if backoff.failures() == 1 || backoff.failures().is_multiple_of(10) {
            let _ = self.events.send(RemoteEvent::Info(format!(
                "kafka: writing `{}`: {e}; trying again in {} ms",
                self.topic,
                wait.as_millis()
            )));
        }
        std::thread::sleep(wait);
    }

    fn fail(&self, error: String) {
        self.pending.store(0, Ordering::SeqCst);
        let _ = self.events.send(RemoteEvent::Failed { stream: self.topic.clone(), error });
    }
}

#[cfg(test)]
mod tests {
    use super::super::remote_start::tests::table;
    use super::*;

    #[test]
    fn tables_are_local_until_the_runner_is_given_kafka() {
        let t = table(&[("connector", "kafka"), ("topic", "a"), ("properties.bootstrap.servers", "b:9092")]);
        assert_eq!(KafkaRemote::new(KafkaAccess::Local).config_for(&t).unwrap(), None);
        let own = KafkaRemote::new(KafkaAccess::Tables).config_for(&t).unwrap().unwrap();
        assert_eq!(own.bootstrap, vec![("b".into(), 9092)]);
        let given = KafkaRemote::new(KafkaAccess::Bootstrap("127.0.0.1:1234".into())).config_for(&t).unwrap().unwrap();
        assert_eq!(given.bootstrap, vec![("127.0.0.1".into(), 1234)]);
        let kinesis = table(&[("connector", "kinesis")]);
        assert_eq!(KafkaRemote::new(KafkaAccess::Tables).config_for(&kinesis).unwrap(), None);
    }
}
