//! Real Kinesis streams in the page. As natively (`connectors::kinesis::remote`), a stream is
//! mirrored into the local stream of the same name by a [`StreamPoller`] and written by a
//! [`PutBatcher`]; here each runs as a task on the page's event loop awaiting `fetch` instead of
//! a thread, and [`RemoteStreams::pump`] (every engine tick) moves records between the tasks and
//! the session's local streams. Queries run unchanged.
//!
//! The session's borrow never spans an await: tasks and `pump` meet only in the small shared
//! buffers below, each borrowed for a moment.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use super::fetch_transport::FetchTransport;
use crate::connectors::kinesis::client::KinesisClient;
use crate::connectors::kinesis::credentials::Credentials;
use crate::connectors::kinesis::poller::PolledRecord;
use crate::connectors::kinesis::writer::PutBatcher;
use crate::connectors::kinesis::{mirror, mirror_poller, stream_ref, RemoteEvent, RemoteStreams};
use crate::connectors::local_stream::LocalStreams;
use crate::plan::catalog::TableDef;

/// How the page reaches Kinesis, as chosen in the settings.
#[derive(Clone)]
pub enum Access {
    /// Every Kinesis table is an in-page local stream.
    Local,
    /// Through `sluice proxy` at this URL, which signs.
    Proxy { url: String },
    /// Straight to Kinesis, signed in the page. `endpoint` empty: the table's `aws.endpoint`,
    /// else `https://kinesis.<aws.region>.amazonaws.com`.
    Direct { endpoint: String, region: String, credentials: Credentials },
}

impl Access {
    /// The access the settings chose, as it crossed to the session's side.
    pub fn from_protocol(access: &crate::views::host::protocol::RemoteAccess) -> Access {
        use crate::views::host::protocol::RemoteAccess;
        match access {
            RemoteAccess::Local => Access::Local,
            RemoteAccess::Proxy { url } => Access::Proxy { url: url.clone() },
            RemoteAccess::Direct { endpoint, region, access_key_id, secret_access_key, session_token } => Access::Direct {
                endpoint: endpoint.clone(),
                region: region.clone(),
                credentials: Credentials {
                    access_key_id: access_key_id.clone(),
                    secret_access_key: secret_access_key.clone(),
                    session_token: session_token.clone(),
                },
            },
        }
    }

    /// The transport for `table`'s stream, and where it goes (for messages); `None` keeps the
    /// table on a local stream.
    fn transport_for(&self, table: &TableDef) -> Option<(FetchTransport, String)> {
        if table.connector() != "kinesis" {
            return None;
        }
        match self {
            Access::Local => None,
            Access::Proxy { url } => Some((FetchTransport::proxy(url), url.clone())),
            Access::Direct { endpoint, region, credentials } => {
                let region = table.option("aws.region").unwrap_or(region);
                let url = match table.option("aws.endpoint") {
                    _ if !endpoint.trim().is_empty() => endpoint.trim().to_string(),
                    Some(url) => url.to_string(),
                    None => format!("https://kinesis.{region}.amazonaws.com"),
                };
                Some((FetchTransport::direct(&url, region, credentials.clone()), url))
            }
        }
    }
}

#[derive(Default)]
struct Reader {
    records: Vec<PolledRecord>,
    stopped: bool,
}

#[derive(Default)]
struct Writer {
    outgoing: Vec<(String, Vec<u8>)>,
    /// Handed over and not yet stored by Kinesis.
    pending: usize,
    stopped: bool,
}

pub struct PageRemote {
    access: Access,
    readers: BTreeMap<String, Rc<RefCell<Reader>>>,
    writers: BTreeMap<String, Rc<RefCell<Writer>>>,
    events: Rc<RefCell<Vec<RemoteEvent>>>,
}

impl PageRemote {
    pub fn new(access: Access) -> PageRemote {
        PageRemote { access, readers: BTreeMap::new(), writers: BTreeMap::new(), events: Rc::default() }
    }
}

/// Waits until `until_ms` (wall clock), at most `cap_ms`, so a stop is seen soon.
async fn nap(until_ms: i64, cap_ms: i64) {
    let ms = (until_ms - js_sys::Date::now() as i64).clamp(1, cap_ms);
    gloo_timers::future::TimeoutFuture::new(ms as u32).await;
}

impl RemoteStreams for PageRemote {
    fn attach_source(&mut self, table: &TableDef, streams: &mut LocalStreams) -> Result<bool, String> {
        let Some((transport, url)) = self.access.transport_for(table) else { return Ok(false) };
        let Some((name, mut poller)) = mirror_poller(table, streams, |name| self.readers.contains_key(name))? else { return Ok(true) };
        let reader = Rc::new(RefCell::new(Reader::default()));
        self.readers.insert(name.clone(), reader.clone());
        let events = self.events.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let mut client = KinesisClient::new(transport);
            let (mut out, mut log) = (Vec::new(), Vec::new());
            while !reader.borrow().stopped {
                match poller.poll(&mut client, js_sys::Date::now() as i64, &mut out, &mut log).await {
                    Ok(next) => {
                        events.borrow_mut().extend(log.drain(..).map(RemoteEvent::Info));
                        reader.borrow_mut().records.append(&mut out);
                        nap(next, 100).await;
                    }
                    Err(e) => {
                        let error = format!("reading Kinesis stream `{name}` at {url}: {e}");
                        events.borrow_mut().push(RemoteEvent::Failed { stream: name, error });
                        return;
                    }
                }
            }
        });
        Ok(true)
    }

    fn attach_sink(&mut self, table: &TableDef, streams: &mut LocalStreams) -> Result<bool, String> {
        let Some((transport, url)) = self.access.transport_for(table) else { return Ok(false) };
        let stream = stream_ref(table)?;
        streams.get_or_create(&stream.name).forward_puts();
        if self.writers.contains_key(&stream.name) {
            return Ok(true);
        }
        let writer = Rc::new(RefCell::new(Writer::default()));
        self.writers.insert(stream.name.clone(), writer.clone());
        let events = self.events.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let name = stream.name.clone();
            let mut batcher = PutBatcher::new(stream);
            let mut client = KinesisClient::new(transport);
            let mut log = Vec::new();
            let mut next_ms = i64::MIN;
            // A stopped writer still sends what it was handed.
            while !writer.borrow().stopped || !writer.borrow().outgoing.is_empty() || batcher.pending() > 0 {
                for (key, data) in writer.borrow_mut().outgoing.drain(..) {
                    batcher.push(key, data);
                }
                let now = js_sys::Date::now() as i64;
                if batcher.pending() == 0 || now < next_ms {
                    nap(if batcher.pending() == 0 { now + 50 } else { next_ms }, 50).await;
                    continue;
                }
                match batcher.poll(&mut client, now, &mut log).await {
                    Ok((stored, next)) => {
                        let mut state = writer.borrow_mut();
                        state.pending = state.pending.saturating_sub(stored);
                        next_ms = next;
                    }
                    Err(e) => {
                        let error = format!("writing Kinesis stream `{name}` at {url}: {e}");
                        events.borrow_mut().push(RemoteEvent::Failed { stream: name, error });
                        return;
                    }
                }
                events.borrow_mut().extend(log.drain(..).map(RemoteEvent::Info));
            }
        });
        Ok(true)
    }

    fn pump(&mut self, streams: &mut LocalStreams, events: &mut Vec<RemoteEvent>) {
        for (name, reader) in &self.readers {
            let records = std::mem::take(&mut reader.borrow_mut().records);
            if records.is_empty() {
                continue;
            }
            mirror(streams, name, records);
        }
        for (name, writer) in &self.writers {
            let Some(stream) = streams.get_mut(name) else { continue };
            let outgoing = stream.take_outbox();
            let mut state = writer.borrow_mut();
            state.pending += outgoing.len();
            state.outgoing.extend(outgoing);
        }
        events.append(&mut self.events.borrow_mut());
    }

    fn pending_writes(&self) -> usize {
        self.writers.values().map(|w| w.borrow().pending).sum()
    }
}

impl Drop for PageRemote {
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
