//! Real Kafka topics in the page, through `sluice proxy --kafka` (the page cannot open TCP). As
//! natively (`connectors::kafka::mirror`), a real topic is mirrored into the local topic of the
//! same name, at its own partitions and offsets, by a [`ProxyReader`], and records produced on a
//! forwarded local topic leave through a [`ProxyWriter`]; here each runs as a task on the event
//! loop of whichever thread holds the session (its worker, usually), awaiting `fetch`, and
//! [`RemoteTopics::pump`] (every engine tick) moves records between the tasks and the session's
//! local topics. Queries read the local topics as always: the same source code path.
//!
//! The broker's address and any SASL secret are the proxy's: a request names only a topic (the
//! table's `properties.*` never leave the page). The session's borrow never spans an await:
//! tasks and `pump` meet only in the small shared buffers below.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use super::fetch_transport::FetchTransport;
use crate::connectors::kafka::proxy_api::ProxyClient;
use crate::connectors::kafka::proxy_reader::ProxyReader;
use crate::connectors::kafka::proxy_writer::ProxyWriter;
use crate::connectors::kafka::remote_start::{table_topics, RemoteStart};
use crate::connectors::kafka::{KafkaRecord, LocalTopics, ProducerRecord, RemoteTopics};
use crate::connectors::RemoteEvent;
use crate::plan::catalog::TableDef;

#[derive(Default)]
struct Reader {
    /// The real topic's partition count, once learned and until the local topic takes it.
    partitions: Option<usize>,
    records: Vec<KafkaRecord>,
    stopped: bool,
}

#[derive(Default)]
struct Writer {
    /// Produced records with the local topic's partition count when they were taken.
    outgoing: Vec<(i32, Vec<ProducerRecord>)>,
    /// Handed over and not yet stored by the broker.
    pending: usize,
    stopped: bool,
}

pub struct PageTopics {
    url: String,
    readers: BTreeMap<String, Rc<RefCell<Reader>>>,
    writers: BTreeMap<String, Rc<RefCell<Writer>>>,
    events: Rc<RefCell<Vec<RemoteEvent>>>,
}

impl PageTopics {
    /// Kafka tables read and write real topics through `sluice proxy` at `url`.
    pub fn new(url: &str) -> PageTopics {
        PageTopics { url: url.to_string(), readers: BTreeMap::new(), writers: BTreeMap::new(), events: Rc::default() }
    }

    fn client(&self) -> ProxyClient<FetchTransport> {
        ProxyClient::new(FetchTransport::kafka_proxy(&self.url), &self.url)
    }
}

fn is_kafka(table: &TableDef) -> bool {
    matches!(table.connector(), "kafka" | "upsert-kafka")
}

/// Waits until `until_ms` (wall clock), at most `cap_ms`, so a stop is seen soon.
async fn nap(until_ms: i64, cap_ms: i64) {
    let ms = (until_ms - js_sys::Date::now() as i64).clamp(1, cap_ms);
    gloo_timers::future::TimeoutFuture::new(ms as u32).await;
}

impl RemoteTopics for PageTopics {
    fn attach_source(&mut self, table: &TableDef, topics: &mut LocalTopics) -> Result<bool, String> {
        if !is_kafka(table) {
            return Ok(false);
        }
        let start = RemoteStart::from_table(table)?;
        for name in table_topics(table)? {
            // One reader per topic: a second table on it reads the same mirror.
            if self.readers.get(&name).is_some_and(|r| !r.borrow().stopped) {
                continue;
            }
            let topic = topics.get_or_create(&name);
            topic.mirror_remote();
            let mut reader = ProxyReader::new(&name, start.clone(), topic.mirrored_up_to());
            let shared = Rc::new(RefCell::new(Reader::default()));
            self.readers.insert(name.clone(), shared.clone());
            let (events, mut client) = (self.events.clone(), self.client());
            wasm_bindgen_futures::spawn_local(async move {
                let (mut out, mut log) = (Vec::new(), Vec::new());
                let mut told_partitions = false;
                while !shared.borrow().stopped {
                    let result = reader.poll(&mut client, js_sys::Date::now() as i64, &mut out, &mut log).await;
                    events.borrow_mut().extend(log.drain(..).map(RemoteEvent::Info));
                    if let (false, Some(n)) = (told_partitions, reader.partition_count()) {
                        shared.borrow_mut().partitions = Some(n);
                        told_partitions = true;
                    }
                    shared.borrow_mut().records.append(&mut out);
                    match result {
                        Ok(next) => nap(next, 100).await,
                        Err(error) => {
                            shared.borrow_mut().stopped = true;
                            events.borrow_mut().push(RemoteEvent::Failed { stream: name, error });
                            return;
                        }
                    }
                }
            });
        }
        Ok(true)
    }

    fn attach_sink(&mut self, table: &TableDef, topics: &mut LocalTopics) -> Result<bool, String> {
        if !is_kafka(table) {
            return Ok(false);
        }
        let names = table_topics(table)?;
        let [name] = names.as_slice() else {
            return Err("a Kafka sink writes one topic; 'topic' names several".into());
        };
        topics.get_or_create(name).forward_produced();
        if self.writers.get(name).is_some_and(|w| !w.borrow().stopped) {
            return Ok(true);
        }
        let shared = Rc::new(RefCell::new(Writer::default()));
        self.writers.insert(name.clone(), shared.clone());
        let (events, mut client, name) = (self.events.clone(), self.client(), name.clone());
        wasm_bindgen_futures::spawn_local(async move {
            let mut writer = ProxyWriter::new(&name);
            let mut log = Vec::new();
            let mut next_ms = i64::MIN;
            // A stopped writer still sends what it was handed.
            loop {
                for (n, records) in shared.borrow_mut().outgoing.drain(..) {
                    writer.push(n, records);
                }
                if writer.pending() == 0 && shared.borrow().stopped {
                    return;
                }
                let now = js_sys::Date::now() as i64;
                if writer.pending() == 0 || now < next_ms {
                    nap(if writer.pending() == 0 { now + 50 } else { next_ms }, 50).await;
                    continue;
                }
                let result = writer.poll(&mut client, now, &mut log).await;
                events.borrow_mut().extend(log.drain(..).map(RemoteEvent::Info));
                match result {
                    Ok((stored, next)) => {
                        let mut state = shared.borrow_mut();
                        state.pending = state.pending.saturating_sub(stored);
                        next_ms = next;
                    }
                    Err(error) => {
                        let mut state = shared.borrow_mut();
                        (state.stopped, state.pending) = (true, 0);
                        events.borrow_mut().push(RemoteEvent::Failed { stream: name, error });
                        return;
                    }
                }
            }
        });
        Ok(true)
    }

    fn pump(&mut self, topics: &mut LocalTopics, events: &mut Vec<RemoteEvent>) {
        for (name, reader) in &self.readers {
            let (partitions, records) = {
                let mut reader = reader.borrow_mut();
                (reader.partitions.take(), std::mem::take(&mut reader.records))
            };
            let Some(topic) = topics.get_mut(name) else { continue };
            if let Some(n) = partitions {
                topic.mirror_partitions(n);
            }
            for record in records {
                if let Err(error) = topic.mirror_record(record) {
                    reader.borrow_mut().stopped = true;
                    events.push(RemoteEvent::Failed { stream: name.clone(), error: format!("kafka: {error}") });
                    break;
                }
            }
        }
        for (name, writer) in &self.writers {
            let Some(topic) = topics.get_mut(name) else { continue };
            let out = topic.take_outbox();
            if out.is_empty() {
                continue;
            }
            let mut state = writer.borrow_mut();
            state.pending += out.len();
            state.outgoing.push((topic.partition_count() as i32, out));
        }
        events.append(&mut self.events.borrow_mut());
    }

    fn pending_writes(&self) -> usize {
        self.writers.values().map(|w| w.borrow().pending).sum()
    }
}

impl Drop for PageTopics {
    /// Another access chosen: this one's readers end at their next wake-up, its writers once
    /// they have sent what they hold.
    fn drop(&mut self) {
        for reader in self.readers.values() {
            reader.borrow_mut().stopped = true;
        }
        for writer in self.writers.values() {
            writer.borrow_mut().stopped = true;
        }
    }
}
