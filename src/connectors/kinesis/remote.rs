//! Natively, each mirrored stream has a reader thread running its [`StreamPoller`] and each
//! written stream a writer thread running its [`PutBatcher`]; channels carry records to and from
//! the session, which moves them when it calls [`RemoteStreams::pump`].
//!
//! Which tables are remote: one with `'aws.endpoint'`, or any Kinesis table once the runner was
//! given a default endpoint (`--kinesis-endpoint`, `AWS_ENDPOINT_URL_KINESIS`,
//! `AWS_ENDPOINT_URL`; `aws` means the region's real endpoint).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, Sender};
use std::sync::Arc;
use std::time::Duration;

use super::client::KinesisClient;
use super::http::{Credentials, Endpoint, HttpTransport};
use super::poller::PolledRecord;
use super::transport::block_on;
use super::writer::PutBatcher;
use super::{mirror, mirror_poller, stream_ref, RemoteEvent, RemoteStreams};
use crate::connectors::local_stream::LocalStreams;
use crate::plan::catalog::TableDef;

/// The Kinesis a table without `'aws.endpoint'` uses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DefaultEndpoint {
    /// None: such tables read and write local streams.
    Local,
    /// This URL (a test server, a proxy, a VPC endpoint).
    Url(String),
    /// `https://kinesis.<aws.region>.amazonaws.com`.
    Regional,
}

impl DefaultEndpoint {
    /// From the standard AWS variables: `AWS_ENDPOINT_URL_KINESIS`, then `AWS_ENDPOINT_URL`.
    pub fn from_env() -> DefaultEndpoint {
        ["AWS_ENDPOINT_URL_KINESIS", "AWS_ENDPOINT_URL"]
            .iter()
            .find_map(|v| std::env::var(v).ok().filter(|u| !u.is_empty()))
            .map_or(DefaultEndpoint::Local, DefaultEndpoint::Url)
    }
}

pub struct KinesisRemote {
    default: DefaultEndpoint,
    readers: BTreeMap<String, Reader>,
    writers: BTreeMap<String, Writer>,
    events: Sender<RemoteEvent>,
    incoming_events: Receiver<RemoteEvent>,
}

struct Reader {
    records: Receiver<Vec<PolledRecord>>,
    stop: Arc<AtomicBool>,
}

struct Writer {
    records: Sender<(String, Vec<u8>)>,
    /// Handed to the thread and not yet stored by Kinesis.
    pending: Arc<AtomicUsize>,
}

impl KinesisRemote {
    pub fn new(default: DefaultEndpoint) -> Self {
        let (events, incoming_events) = channel();
        KinesisRemote { default, readers: BTreeMap::new(), writers: BTreeMap::new(), events, incoming_events }
    }

    /// Where `table` lives, or `None` for a local stream.
    pub fn endpoint_for(&self, table: &TableDef) -> Option<Endpoint> {
        if table.connector() != "kinesis" {
            return None;
        }
        let region = table
            .option("aws.region")
            .map(str::to_string)
            .or_else(|| std::env::var("AWS_REGION").ok())
            .or_else(|| std::env::var("AWS_DEFAULT_REGION").ok())
            .unwrap_or_else(|| "us-east-1".into());
        let url = match (table.option("aws.endpoint"), &self.default) {
            (Some(url), _) => url.to_string(),
            (None, DefaultEndpoint::Local) => return None,
            (None, DefaultEndpoint::Url(url)) => url.clone(),
            (None, DefaultEndpoint::Regional) => format!("https://kinesis.{region}.amazonaws.com"),
        };
        Some(Endpoint { url, region })
    }

    fn client_for(endpoint: &Endpoint) -> Result<KinesisClient<HttpTransport>, String> {
        let (credentials, _) = Credentials::from_standard_sources(None)?;
        Ok(KinesisClient::new(HttpTransport::new(endpoint.clone(), credentials)?))
    }
}

fn wall_clock_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}

/// Sleeps until `until_ms`, at most `cap`, so a stop request is seen soon.
fn nap(until_ms: i64, cap: Duration) {
    let ms = (until_ms - wall_clock_ms()).clamp(1, cap.as_millis() as i64);
    std::thread::sleep(Duration::from_millis(ms as u64));
}

impl RemoteStreams for KinesisRemote {
    fn attach_source(&mut self, table: &TableDef, streams: &mut LocalStreams) -> Result<bool, String> {
        let Some(endpoint) = self.endpoint_for(table) else { return Ok(false) };
        let Some((name, mut poller)) = mirror_poller(table, streams, |name| self.readers.contains_key(name))? else { return Ok(true) };
        let mut client = Self::client_for(&endpoint)?;
        let (send, records) = channel();
        let stop = Arc::new(AtomicBool::new(false));
        let events = self.events.clone();
        let thread_stop = stop.clone();
        std::thread::Builder::new()
            .name(format!("kinesis-read-{name}"))
            .spawn(move || {
                let mut out = Vec::new();
                let mut log = Vec::new();
                while !thread_stop.load(Ordering::Relaxed) {
                    match block_on(poller.poll(&mut client, wall_clock_ms(), &mut out, &mut log)) {
                        Ok(next) => {
                            for line in log.drain(..) {
                                let _ = events.send(RemoteEvent::Info(line));
                            }
                            if !out.is_empty() && send.send(std::mem::take(&mut out)).is_err() {
                                return;
                            }
                            nap(next, Duration::from_millis(100));
                        }
                        Err(e) => {
                            let error = format!("reading Kinesis stream `{name}` at {}: {e}", endpoint.url);
                            let _ = events.send(RemoteEvent::Failed { stream: name, error });
                            return;
                        }
                    }
                }
            })
            .map_err(|e| format!("cannot start a thread to read `{}`: {e}", table.name))?;
        self.readers.insert(stream_name(table), Reader { records, stop });
        Ok(true)
    }

    fn attach_sink(&mut self, table: &TableDef, streams: &mut LocalStreams) -> Result<bool, String> {
        let Some(endpoint) = self.endpoint_for(table) else { return Ok(false) };
        let stream = stream_ref(table)?;
        streams.get_or_create(&stream.name).forward_puts();
        if self.writers.contains_key(&stream.name) {
            return Ok(true);
        }
        let mut client = Self::client_for(&endpoint)?;
        let (records, incoming) = channel::<(String, Vec<u8>)>();
        let pending = Arc::new(AtomicUsize::new(0));
        let events = self.events.clone();
        let name = stream.name.clone();
        let thread_pending = pending.clone();
        std::thread::Builder::new()
            .name(format!("kinesis-write-{name}"))
            .spawn(move || {
                let mut batcher = PutBatcher::new(stream);
                let mut log = Vec::new();
                let mut next_ms = i64::MIN;
                loop {
                    if batcher.pending() == 0 {
                        match incoming.recv_timeout(Duration::from_millis(100)) {
                            Ok((key, data)) => batcher.push(key, data),
                            Err(RecvTimeoutError::Timeout) => continue,
                            Err(RecvTimeoutError::Disconnected) => return,
                        }
                    }
                    while let Ok((key, data)) = incoming.try_recv() {
                        batcher.push(key, data);
                    }
                    let now = wall_clock_ms();
                    if now >= next_ms {
                        match block_on(batcher.poll(&mut client, now, &mut log)) {
                            Ok((stored, next)) => {
                                thread_pending.fetch_sub(stored, Ordering::SeqCst);
                                next_ms = next;
                            }
                            Err(e) => {
                                let error = format!("writing Kinesis stream `{name}` at {}: {e}", endpoint.url);
                                let _ = events.send(RemoteEvent::Failed { stream: name, error });
                                return;
                            }
                        }
                        for line in log.drain(..) {
                            let _ = events.send(RemoteEvent::Info(line));
                        }
                    }
                    if next_ms > wall_clock_ms() {
                        nap(next_ms, Duration::from_millis(50));
                    }
                }
            })
            .map_err(|e| format!("cannot start a thread to write `{}`: {e}", table.name))?;
        self.writers.insert(stream_name(table), Writer { records, pending });
        Ok(true)
    }

    fn pump(&mut self, streams: &mut LocalStreams, events: &mut Vec<RemoteEvent>) {
        for (name, reader) in &self.readers {
            while let Ok(batch) = reader.records.try_recv() {
                mirror(streams, name, batch);
            }
        }
        for (name, writer) in &self.writers {
            let Some(stream) = streams.get_mut(name) else { continue };
            let outgoing = stream.take_outbox();
            writer.pending.fetch_add(outgoing.len(), Ordering::SeqCst);
            for record in outgoing {
                // A writer that stopped has sent its error as an event.
                let _ = writer.records.send(record);
            }
        }
        events.extend(self.incoming_events.try_iter());
    }

    fn pending_writes(&self) -> usize {
        self.writers.values().map(|w| w.pending.load(Ordering::SeqCst)).sum()
    }
}

impl Drop for KinesisRemote {
    fn drop(&mut self) {
        for reader in self.readers.values() {
            reader.stop.store(true, Ordering::Relaxed);
        }
    }
}

fn stream_name(table: &TableDef) -> String {
    crate::connectors::local_stream_name(table).unwrap_or_default()
}
