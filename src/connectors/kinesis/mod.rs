//! Real Kinesis streams, over the Kinesis JSON 1.1 API.
//!
//! Queries never read Kinesis directly: a real stream is *mirrored* into the local stream of the
//! same name, so every query runs exactly as it does on local streams. Reading, a
//! [`poller::StreamPoller`] brings the stream's records in, in arrival order; writing, records a
//! sink puts on a forwarded local stream leave through a [`writer::PutBatcher`]. A mirror
//! remembers the last record it holds from each shard, and a new reader goes on from there
//! ([`mirror_poller`]), so replacing the reader reads nothing twice.
//!
//! The layers, bottom up:
//! - [`transport::Transport`]: send one request, get status and body (natively
//!   [`http::HttpTransport`], SigV4-signed; in the page a `fetch`, `ui::fetch_transport`);
//! - [`credentials`]: AWS keys from the environment or a profile of the shared files;
//! - [`client::KinesisClient`]: the four actions Sluice uses, typed;
//! - [`poller`] and [`writer`]: Kinesis's limits, back-off, retries, resharding — pure state
//!   machines that are told the time;
//! - [`RemoteStreams`]: what the session sees; natively [`remote::KinesisRemote`] runs each
//!   poller and writer on its own thread, in the page `ui::page_remote` runs them as tasks.

pub mod client;
pub mod credentials;
#[cfg(not(target_arch = "wasm32"))]
pub mod http;
pub mod poller;
#[cfg(not(target_arch = "wasm32"))]
pub mod remote;
pub mod sign;
pub mod transport;
pub mod writer;

use super::local_stream::{LocalStreams, StartPosition};
use crate::plan::catalog::TableDef;
use client::{IteratorStart, ShardRecord, StreamRef};
use poller::{PolledRecord, StreamPoller};

/// Something a person watching a job should know about its remote streams.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RemoteEvent {
    /// Progress and transient trouble (`reading `x`: 4 shards from LATEST`, back-offs).
    Info(String),
    /// The stream cannot be read or written (missing stream, refused credentials): jobs on it
    /// fail with this error.
    Failed { stream: String, error: String },
}

/// Real streams plugged into a session's local streams.
pub trait RemoteStreams {
    /// Starts mirroring `table`'s stream into the local stream of the same name, if the table is
    /// remote; `Ok(false)` leaves it a local stream.
    fn attach_source(&mut self, table: &TableDef, streams: &mut LocalStreams) -> Result<bool, String>;
    /// Starts forwarding records put on `table`'s local stream to the real one, if remote.
    fn attach_sink(&mut self, table: &TableDef, streams: &mut LocalStreams) -> Result<bool, String>;
    /// Moves records: mirrored ones into local streams, forwarded ones out.
    fn pump(&mut self, streams: &mut LocalStreams, events: &mut Vec<RemoteEvent>);
    /// Records handed over for writing that Kinesis has not stored yet.
    fn pending_writes(&self) -> usize;
}

/// The stream a Kinesis table names: `stream` (or the name in `stream.arn`), with its ARN if given.
pub fn stream_ref(table: &TableDef) -> Result<StreamRef, String> {
    let name = super::local_stream_name(table).ok_or("the table names no stream")?;
    Ok(StreamRef { name, arn: table.option("stream.arn").map(str::to_string) })
}

/// Where reading a table's stream begins (`scan.stream.initpos`, `source.init.position`).
pub fn iterator_start(table: &TableDef) -> Result<IteratorStart, String> {
    Ok(match super::source::start_position(table)? {
        StartPosition::TrimHorizon => IteratorStart::TrimHorizon,
        StartPosition::Latest => IteratorStart::Latest,
        StartPosition::AtTimestamp(ms) => IteratorStart::AtTimestamp(ms),
    })
}

/// Makes the local stream named after `table`'s stream its mirror, and returns the stream's
/// name with the poller that fills the mirror, unless `reading(name)` says one already does. A
/// mirror already holding records (its earlier reader replaced, as when the page's Kinesis
/// access is chosen again) is not filled twice: shards it has records from go on after the last
/// of them, the others start at the table's position.
pub fn mirror_poller(
    table: &TableDef,
    streams: &mut LocalStreams,
    reading: impl Fn(&str) -> bool,
) -> Result<Option<(String, StreamPoller)>, String> {
    let stream = stream_ref(table)?;
    let mirror = streams.get_or_create(&stream.name);
    mirror.mirror_remote();
    if reading(&stream.name) {
        return Ok(None);
    }
    let last_read = mirror.mirrored_up_to().clone();
    let name = stream.name.clone();
    Ok(Some((name, StreamPoller::resuming(stream, iterator_start(table)?, last_read))))
}

/// Appends records a [`mirror_poller`] handed over to the mirror `name`.
pub fn mirror(streams: &mut LocalStreams, name: &str, records: impl IntoIterator<Item = PolledRecord>) {
    let stream = streams.get_or_create(name);
    for PolledRecord { shard_id, record } in records {
        let ShardRecord { sequence_number, partition_key, data, arrival_ms, fault } = record;
        match fault {
            None => {
                stream.mirror_record(&shard_id, &sequence_number, &partition_key, data, arrival_ms);
            }
            Some(fault) => {
                let fault = format!("Kinesis stream `{name}`, shard `{shard_id}`, sequence number {sequence_number}: {fault}");
                stream.mirror_faulty_record(&shard_id, &sequence_number, &partition_key, &fault, arrival_ms);
            }
        }
    }
}
