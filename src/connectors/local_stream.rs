//! Local streams: in-memory, Kinesis-like streams that live inside the page.
//!
//! Like Kinesis, a stream has shards; a record goes to the shard whose hash-key range holds the
//! MD5 of its partition key, gets a sequence number that grows with arrival, and stays readable
//! until retention drops it. Readers start at `TRIM_HORIZON`, `LATEST` or `AT_TIMESTAMP` and
//! read the shards merged in arrival order.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;

use super::remote_link::RemoteLink;

/// Shards a local stream has unless created otherwise.
pub const DEFAULT_SHARDS: usize = 2;
/// Bytes of record data a stream keeps before dropping its oldest records (Kinesis keeps
/// 24 hours; a tab has less memory).
pub const DEFAULT_RETENTION_BYTES: usize = 64 << 20;

/// A record as readers see it, borrowed from its stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StreamRecord<'a> {
    /// Grows with arrival across the whole stream.
    pub sequence_number: u64,
    pub partition_key: &'a Arc<str>,
    pub data: &'a [u8],
    /// When the record was put (the page's clock), as Kinesis's ApproximateArrivalTimestamp.
    pub arrival_ms: i64,
    /// For a record mirrored from a real stream whose data could not be taken (its `Data` not
    /// base64, say): where it was and why, and `data` is empty. A reader skips it where its
    /// format ignores parse errors and stops on it otherwise ([`super::source::Source::poll`]).
    pub fault: Option<&'a Arc<str>>,
}

/// A record held by a shard: its data is `len` bytes at `start` of the shard's chunk number
/// `chunk`.
struct Entry {
    sequence_number: u64,
    partition_key: Arc<str>,
    arrival_ms: i64,
    fault: Option<Arc<str>>,
    chunk: u64,
    start: usize,
    len: usize,
}

/// Bytes of one chunk of a shard's record data (a larger record gets a chunk of its own size).
const CHUNK_BYTES: usize = 64 << 10;

/// A shard's records, oldest first. Their data sits end to end in chunks of [`CHUNK_BYTES`]
/// rather than in an allocation per record: a put copies its bytes to the last chunk, and a
/// chunk goes when retention has dropped its last record (the page's generator puts every
/// record here, and an allocation and a free per record were a tenth of its ingest time).
#[derive(Default)]
struct Shard {
    records: VecDeque<Entry>,
    /// Index (since the shard began) of `records[0]`.
    first_index: u64,
    /// Chunks of record data, never grown past their capacity (so no bytes move).
    chunks: VecDeque<Vec<u8>>,
    /// Number (since the shard began) of `chunks[0]`.
    first_chunk: u64,
}

impl Shard {
    fn end_index(&self) -> u64 {
        self.first_index + self.records.len() as u64
    }

    fn view<'a>(&'a self, e: &'a Entry) -> StreamRecord<'a> {
        let data = match e.chunk.checked_sub(self.first_chunk).and_then(|c| self.chunks.get(c as usize)) {
            Some(chunk) if e.len > 0 => chunk.get(e.start..e.start + e.len).unwrap_or_default(),
            _ => &[],
        };
        StreamRecord {
            sequence_number: e.sequence_number,
            partition_key: &e.partition_key,
            data,
            arrival_ms: e.arrival_ms,
            fault: e.fault.as_ref(),
        }
    }

    /// Lets `write` append a record's data to the last chunk (a new one, `spare` if it is big
    /// enough, when fewer than `size` bytes are free in it); returns the chunk's number, where in
    /// it the data starts and its length. A record longer than `size` still fits: the chunk
    /// grows (its records keep their offsets).
    fn store(&mut self, size: usize, write: impl FnOnce(&mut Vec<u8>), spare: &mut Option<Vec<u8>>) -> (u64, usize, usize) {
        let last = self.first_chunk + self.chunks.len().saturating_sub(1) as u64;
        if size == 0 {
            return (last, 0, 0);
        }
        let fits = self.chunks.back().is_some_and(|c| c.capacity() - c.len() >= size);
        if !fits {
            let size = CHUNK_BYTES.max(size);
            let chunk = match spare.take() {
                Some(mut c) if c.capacity() >= size => {
                    c.clear();
                    c
                }
                _ => Vec::with_capacity(size),
            };
            self.chunks.push_back(chunk);
        }
        let number = self.first_chunk + self.chunks.len() as u64 - 1;
        match self.chunks.back_mut() {
            Some(chunk) => {
                let start = chunk.len();
                write(chunk);
                (number, start, chunk.len() - start)
            }
            None => (number, 0, 0),
        }
    }

    /// Drops the oldest record; frees the chunks no record uses any more (keeping one as
    /// `spare`). Returns the bytes the record counted for.
    fn pop_oldest(&mut self, spare: &mut Option<Vec<u8>>) -> Option<usize> {
        let r = self.records.pop_front()?;
        self.first_index += 1;
        // The last chunk stays while the shard is empty: the next put fills it on.
        let keep_from = self.records.front().map_or(self.first_chunk + self.chunks.len().saturating_sub(1) as u64, |e| e.chunk);
        while self.first_chunk < keep_from {
            let Some(chunk) = self.chunks.pop_front() else { break };
            *spare = Some(chunk);
            self.first_chunk += 1;
        }
        // What `LocalStream::append` counted for it.
        Some(r.len + r.partition_key.len() + r.fault.as_ref().map_or(0, |f| f.len()))
    }

    /// Drops every record and its data.
    fn clear(&mut self) {
        self.first_index += self.records.len() as u64;
        self.records.clear();
        self.first_chunk += self.chunks.len() as u64;
        self.chunks.clear();
    }
}

pub struct LocalStream {
    name: String,
    shards: Vec<Shard>,
    next_sequence: u64,
    bytes: usize,
    retention_bytes: usize,
    total_records: u64,
    /// The real Kinesis stream this one mirrors (its records then come in through
    /// [`LocalStream::mirror_record`] only) or forwards to ([`LocalStream::take_outbox`]): a
    /// put record's partition key and data.
    remote: RemoteLink<(String, Vec<u8>)>,
    /// For a mirror, per Kinesis shard id, the sequence number of the last record mirrored from
    /// that shard: where a new reader of the real stream goes on (records dropped by retention
    /// since count too, as they were mirrored).
    mirrored_up_to: BTreeMap<String, String>,
    /// Shards of recently seen partition keys, and the key shared by their records: producers
    /// reuse a few keys (the generator's are its 99 sensor ids), and an MD5 per record was a
    /// tenth of the page's ingest time.
    key_shards: hashbrown::HashMap<Arc<str>, usize>,
    /// A chunk freed by retention, for the next shard that needs one.
    spare_chunk: Option<Vec<u8>>,
}

/// Keys remembered by [`LocalStream::key_shards`] before it starts over.
const KEY_SHARDS_KEPT: usize = 4096;

impl LocalStream {
    pub fn new(name: &str, shards: usize) -> Self {
        LocalStream {
            name: name.to_string(),
            shards: (0..shards.max(1)).map(|_| Shard::default()).collect(),
            next_sequence: 1,
            bytes: 0,
            retention_bytes: DEFAULT_RETENTION_BYTES,
            total_records: 0,
            remote: RemoteLink::default(),
            mirrored_up_to: BTreeMap::new(),
            key_shards: hashbrown::HashMap::new(),
            spare_chunk: None,
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn shard_count(&self) -> usize {
        self.shards.len()
    }

    /// Records the stream holds now.
    pub fn record_count(&self) -> usize {
        self.shards.iter().map(|s| s.records.len()).sum()
    }

    /// Per shard: records ever put on it, and when its newest record arrived.
    pub fn shard_summary(&self) -> Vec<(u64, Option<i64>)> {
        self.shards.iter().map(|s| (s.end_index(), s.records.back().map(|r| r.arrival_ms))).collect()
    }

    /// Records ever put.
    pub fn total_records(&self) -> u64 {
        self.total_records
    }

    pub fn set_retention_bytes(&mut self, bytes: usize) {
        self.retention_bytes = bytes;
        self.trim();
    }

    /// The shard a partition key maps to: shards split the 128-bit MD5 range evenly, as
    /// `CreateStream` does.
    pub fn shard_for(&self, partition_key: &str) -> usize {
        let hash = u128::from_be_bytes(md5(partition_key.as_bytes()));
        let n = self.shards.len() as u128;
        // One shard holds the whole range (its width, 2^128, does not fit a u128).
        let Some(width) = (u128::MAX / n).checked_add(1) else { return 0 };
        ((hash / width) as usize).min(self.shards.len() - 1)
    }

    /// Appends a record; returns its shard and sequence number. On a stream forwarded to Kinesis
    /// the record is also queued for it; on one mirrored from Kinesis it is only queued (it
    /// comes back through the mirror, as any reader of the real stream would see it).
    pub fn put_record(&mut self, partition_key: &str, data: impl AsRef<[u8]> + Into<Vec<u8>>, arrival_ms: i64) -> (usize, u64) {
        // Most streams are only local: no key copied for a queue that is not there (the page's
        // generator writes every record here).
        if !self.remote.is_remote() {
            return self.append(partition_key, data.as_ref(), arrival_ms, None);
        }
        match self.remote.route((partition_key.to_string(), data.into())) {
            Some((_, data)) => self.append(partition_key, &data, arrival_ms, None),
            None => (self.shard_for(partition_key), 0),
        }
    }

    /// [`LocalStream::put_record`] of the data `write` appends to the vector it is given, at most
    /// about `size` bytes: on a local stream it writes straight into the shard's storage (the
    /// page's generator writes every record so, without a copy).
    pub fn put_record_with(&mut self, partition_key: &str, size: usize, arrival_ms: i64, write: impl FnOnce(&mut Vec<u8>)) -> (usize, u64) {
        if self.remote.is_remote() {
            let mut data = Vec::with_capacity(size);
            write(&mut data);
            return self.put_record(partition_key, data, arrival_ms);
        }
        self.append_with(partition_key, size, arrival_ms, None, write)
    }

    /// Appends a record read from the real Kinesis stream this one mirrors (not forwarded back):
    /// record `sequence_number` of the real stream's shard `shard_id`.
    pub fn mirror_record(
        &mut self,
        shard_id: &str,
        sequence_number: &str,
        partition_key: &str,
        data: impl AsRef<[u8]>,
        arrival_ms: i64,
    ) -> (usize, u64) {
        self.mirrored_through(shard_id, sequence_number);
        self.append(partition_key, data.as_ref(), arrival_ms, None)
    }

    /// Appends, in its place, a record of the real stream whose data could not be taken: readers
    /// meet `fault` (saying which record and why) where its data would be.
    pub fn mirror_faulty_record(&mut self, shard_id: &str, sequence_number: &str, partition_key: &str, fault: &str, arrival_ms: i64) {
        self.mirrored_through(shard_id, sequence_number);
        self.append(partition_key, &[], arrival_ms, Some(fault.into()));
    }

    fn mirrored_through(&mut self, shard_id: &str, sequence_number: &str) {
        match self.mirrored_up_to.get_mut(shard_id) {
            Some(last) => sequence_number.clone_into(last),
            None => {
                self.mirrored_up_to.insert(shard_id.to_string(), sequence_number.to_string());
            }
        }
    }

    /// Whether the stream mirrors a real Kinesis stream (see [`LocalStream::mirror_remote`]).
    pub fn is_mirror(&self) -> bool {
        self.remote.is_mirror()
    }

    /// Per Kinesis shard id, the sequence number of the last record mirrored from that shard.
    pub fn mirrored_up_to(&self) -> &BTreeMap<String, String> {
        &self.mirrored_up_to
    }

    /// From now on the stream mirrors a real Kinesis stream (see [`LocalStream::put_record`]).
    /// What local puts left here before (in the page, the sensor generator fed it until a real
    /// access was chosen) is dropped as retention drops old records: a mirror holds the real
    /// stream's records only, so a query from TRIM_HORIZON reads those and no others.
    pub fn mirror_remote(&mut self) {
        if !self.remote.is_mirror() {
            for shard in &mut self.shards {
                shard.clear();
            }
            self.bytes = 0;
        }
        self.remote.mirror();
    }

    /// From now on, records put here are also queued for a real Kinesis stream.
    pub fn forward_puts(&mut self) {
        self.remote.forward();
    }

    /// Whether the stream mirrors or forwards to a real Kinesis stream.
    pub fn is_remote(&self) -> bool {
        self.remote.is_remote()
    }

    /// Puts here stay here again (see [`LocalStream::forward_puts`]).
    pub fn stop_forwarding(&mut self) {
        self.remote.stop_forwarding();
    }

    /// The stream is a plain local stream again: it keeps the records it mirrored, as local
    /// ones, and forgets where the real stream's shards were read up to, so mirroring it again
    /// starts over from an empty mirror (see [`LocalStream::mirror_remote`]).
    pub fn stop_mirroring(&mut self) {
        self.remote.stop_mirroring();
        self.mirrored_up_to.clear();
    }

    /// The records put since the last call, for the real Kinesis stream, in order.
    pub fn take_outbox(&mut self) -> Vec<(String, Vec<u8>)> {
        self.remote.take_outbox()
    }

    fn append(&mut self, partition_key: &str, data: &[u8], arrival_ms: i64, fault: Option<Arc<str>>) -> (usize, u64) {
        self.append_with(partition_key, data.len(), arrival_ms, fault, |chunk| chunk.extend_from_slice(data))
    }

    fn append_with(
        &mut self,
        partition_key: &str,
        size: usize,
        arrival_ms: i64,
        fault: Option<Arc<str>>,
        write: impl FnOnce(&mut Vec<u8>),
    ) -> (usize, u64) {
        let (key, shard) = match self.key_shards.get_key_value(partition_key) {
            Some((key, &shard)) => (key.clone(), shard),
            None => {
                let shard = self.shard_for(partition_key);
                if self.key_shards.len() == KEY_SHARDS_KEPT {
                    self.key_shards.clear();
                }
                let key: Arc<str> = partition_key.into();
                self.key_shards.insert(key.clone(), shard);
                (key, shard)
            }
        };
        let sequence_number = self.next_sequence;
        self.next_sequence += 1;
        self.total_records += 1;
        let Some(target) = self.shards.get_mut(shard) else { return (shard, sequence_number) };
        let (chunk, start, len) = target.store(size, write, &mut self.spare_chunk);
        self.bytes += len + partition_key.len() + fault.as_ref().map_or(0, |f| f.len());
        target.records.push_back(Entry { sequence_number, partition_key: key, arrival_ms, fault, chunk, start, len });
        self.trim();
        (shard, sequence_number)
    }

    /// The last `n` records in arrival order (for a peek at the stream).
    pub fn recent(&self, n: usize) -> Vec<StreamRecord<'_>> {
        let mut all: Vec<StreamRecord<'_>> = self.shards.iter().flat_map(|s| s.records.iter().rev().take(n).map(|e| s.view(e))).collect();
        all.sort_by_key(|r| r.sequence_number);
        let skip = all.len().saturating_sub(n);
        all.split_off(skip)
    }

    fn trim(&mut self) {
        while self.bytes > self.retention_bytes {
            // Drop the oldest record of the whole stream.
            let Some(shard) = self.shards.iter_mut().filter(|s| !s.records.is_empty()).min_by_key(|s| s.records[0].sequence_number) else {
                break;
            };
            let Some(bytes) = shard.pop_oldest(&mut self.spare_chunk) else { break };
            self.bytes -= bytes;
        }
    }
}

/// The page's local streams, by name.
#[derive(Default)]
pub struct LocalStreams {
    streams: BTreeMap<String, LocalStream>,
}

impl LocalStreams {
    pub fn get_or_create(&mut self, name: &str) -> &mut LocalStream {
        self.streams.entry(name.to_string()).or_insert_with(|| LocalStream::new(name, DEFAULT_SHARDS))
    }

    pub fn get(&self, name: &str) -> Option<&LocalStream> {
        self.streams.get(name)
    }

    pub fn get_mut(&mut self, name: &str) -> Option<&mut LocalStream> {
        self.streams.get_mut(name)
    }

    pub fn names(&self) -> impl Iterator<Item = &String> {
        self.streams.keys()
    }
}

/// Where a reader starts (`scan.stream.initpos`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StartPosition {
    TrimHorizon,
    Latest,
    /// The first record that arrived at or after this time (ms).
    AtTimestamp(i64),
}

/// A reader's position in every shard of one stream.
pub struct StreamReader {
    stream: String,
    next: Vec<u64>,
    /// For a bounded read (batch mode), where each shard ends.
    end: Option<Vec<u64>>,
}

impl StreamReader {
    /// Starts reading `stream` at `start` (a missing stream reads as empty until it appears).
    pub fn new(streams: &LocalStreams, stream: &str, start: StartPosition) -> Self {
        let next = match streams.get(stream) {
            None => Vec::new(),
            Some(s) => s
                .shards
                .iter()
                .map(|shard| match start {
                    StartPosition::TrimHorizon => shard.first_index,
                    StartPosition::Latest => shard.end_index(),
                    StartPosition::AtTimestamp(ms) => {
                        let skip = shard.records.partition_point(|r| r.arrival_ms < ms);
                        shard.first_index + skip as u64
                    }
                })
                .collect(),
        };
        StreamReader { stream: stream.to_string(), next, end: None }
    }

    /// Reads what `stream` holds now, from its oldest record, and then ends (batch mode).
    pub fn snapshot(streams: &LocalStreams, stream: &str) -> Self {
        let mut reader = Self::new(streams, stream, StartPosition::TrimHorizon);
        reader.end = Some(streams.get(stream).map(|s| s.shards.iter().map(Shard::end_index).collect()).unwrap_or_default());
        reader
    }

    /// Whether a bounded reader has read everything it will read.
    pub fn is_done(&self, streams: &LocalStreams) -> bool {
        let Some(end) = &self.end else { return false };
        let Some(stream) = streams.get(&self.stream) else { return true };
        stream
            .shards
            .iter()
            .enumerate()
            .all(|(i, shard)| self.next.get(i).copied().unwrap_or(0).max(shard.first_index) >= end.get(i).copied().unwrap_or(0))
    }

    pub fn is_bounded(&self) -> bool {
        self.end.is_some()
    }

    /// Hands up to `max` new records to `out`, in arrival order across shards; returns how many.
    pub fn poll(&mut self, streams: &LocalStreams, max: usize, out: &mut dyn FnMut(&StreamRecord<'_>)) -> usize {
        let Some(stream) = streams.get(&self.stream) else { return 0 };
        self.next.resize(stream.shards.len(), 0);
        // Records trimmed by retention before they were read are gone, as in Kinesis.
        for (next, shard) in self.next.iter_mut().zip(&stream.shards) {
            *next = (*next).max(shard.first_index);
        }
        let end = |i: usize| self.end.as_ref().map_or(u64::MAX, |end| end.get(i).copied().unwrap_or(0));
        let mut n = 0;
        while n < max {
            // The shard whose next record came first, and when the next record of any other
            // shard came: the first shard's records before that one go in one run.
            let (mut first, mut first_sequence, mut others) = (None, u64::MAX, u64::MAX);
            for (i, shard) in stream.shards.iter().enumerate() {
                let at = self.next[i];
                if at >= end(i) {
                    continue;
                }
                let Some(entry) = shard.records.get((at - shard.first_index) as usize) else { continue };
                if entry.sequence_number < first_sequence {
                    others = first_sequence;
                    (first, first_sequence) = (Some(i), entry.sequence_number);
                } else {
                    others = others.min(entry.sequence_number);
                }
            }
            let Some(i) = first else { break };
            let shard = &stream.shards[i];
            let (from, until) = (self.next[i], end(i).min(self.next[i].saturating_add((max - n) as u64)));
            for entry in shard.records.range((from - shard.first_index) as usize..) {
                if self.next[i] >= until || entry.sequence_number > others {
                    break;
                }
                out(&shard.view(entry));
                self.next[i] += 1;
            }
            n += (self.next[i] - from) as usize;
        }
        n
    }
}

/// MD5 (RFC 1321), which Kinesis uses to map partition keys to shards: the `md-5` crate's, as the
/// MD5 SQL function computes it.
pub fn md5(input: &[u8]) -> [u8; 16] {
    use md5::Digest as _;
    md5::Md5::digest(input).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(b: [u8; 16]) -> String {
        b.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn md5_matches_rfc_1321() {
        assert_eq!(hex(md5(b"")), "d41d8cd98f00b204e9800998ecf8427e");
        assert_eq!(hex(md5(b"abc")), "900150983cd24fb0d6963f7d28e17f72");
        assert_eq!(
            hex(md5(b"12345678901234567890123456789012345678901234567890123456789012345678901234567890")),
            "57edf4a22be3c955ac49da2e2107b67a"
        );
    }

    #[test]
    fn keys_spread_over_shards_and_stay_put() {
        let mut s = LocalStream::new("s", 4);
        let mut used = [0; 4];
        for id in 1..100 {
            let key = id.to_string();
            let (shard, _) = s.put_record(&key, vec![1], 0);
            assert_eq!(shard, s.shard_for(&key));
            used[shard] += 1;
        }
        assert!(used.iter().all(|&n| n > 10), "{used:?}");
    }

    #[test]
    fn a_stream_of_one_shard_takes_every_key() {
        let mut s = LocalStream::new("s", 1);
        for key in ["1", "77", "sensor-a", ""] {
            assert_eq!(s.put_record(key, vec![1], 0).0, 0);
        }
    }

    #[test]
    fn readers_start_where_asked_and_read_in_arrival_order() {
        let mut streams = LocalStreams::default();
        let s = streams.get_or_create("in");
        for i in 0..10 {
            s.put_record(&format!("k{i}"), vec![i as u8], i * 100);
        }
        let mut latest = StreamReader::new(&streams, "in", StartPosition::Latest);
        let mut horizon = StreamReader::new(&streams, "in", StartPosition::TrimHorizon);
        let mut at = StreamReader::new(&streams, "in", StartPosition::AtTimestamp(450));
        streams.get_mut("in").unwrap().put_record("x", vec![10], 1000);
        let read = |r: &mut StreamReader, streams: &LocalStreams, max| {
            let mut got = Vec::new();
            r.poll(streams, max, &mut |rec| got.push(rec.data[0]));
            got
        };
        assert_eq!(read(&mut latest, &streams, 100), vec![10]);
        assert_eq!(read(&mut horizon, &streams, 4), vec![0, 1, 2, 3]);
        assert_eq!(read(&mut horizon, &streams, 100), vec![4, 5, 6, 7, 8, 9, 10]);
        assert_eq!(read(&mut at, &streams, 100), vec![5, 6, 7, 8, 9, 10]);
    }

    #[test]
    fn shards_merge_in_arrival_order_however_the_reads_are_cut() {
        let mut streams = LocalStreams::default();
        streams.streams.insert("in".into(), LocalStream::new("in", 3));
        let s = streams.get_mut("in").unwrap();
        s.set_retention_bytes(150);
        let mut reader = StreamReader::new(&streams, "in", StartPosition::TrimHorizon);
        let (mut got, mut put) = (Vec::new(), 0u64);
        for (round, max) in [1usize, 2, 3, 5, 8, 13, 1000, 0, 7].into_iter().cycle().take(60).enumerate() {
            let s = streams.get_mut("in").unwrap();
            for _ in 0..round % 11 {
                s.put_record(&format!("k{}", put * 7 % 23), put.to_le_bytes().to_vec(), 0);
                put += 1;
            }
            let before = got.len();
            let n = reader.poll(&streams, max, &mut |r| got.push((r.sequence_number, u64::from_le_bytes(r.data.try_into().unwrap()))));
            assert_eq!(n, got.len() - before);
            assert!(n <= max);
        }
        reader.poll(&streams, usize::MAX, &mut |r| got.push((r.sequence_number, u64::from_le_bytes(r.data.try_into().unwrap()))));
        // In order, nothing twice, and what retention dropped before it was read is all that is missing.
        assert!(got.windows(2).all(|w| w[0].0 < w[1].0), "{got:?}");
        assert!(got.iter().all(|(sequence, data)| *sequence == data + 1));
        assert_eq!(got.last().map(|g| g.1), Some(put - 1));
        assert!(got.len() < put as usize, "retention dropped some before they were read");
    }

    #[test]
    fn a_snapshot_reads_what_is_there_and_ends() {
        let mut streams = LocalStreams::default();
        for i in 0..5u8 {
            streams.get_or_create("in").put_record(&i.to_string(), vec![i], 0);
        }
        let mut r = StreamReader::snapshot(&streams, "in");
        streams.get_mut("in").unwrap().put_record("late", vec![9], 1);
        let mut got = Vec::new();
        assert!(!r.is_done(&streams));
        r.poll(&streams, 100, &mut |rec| got.push(rec.data[0]));
        assert_eq!(got, vec![0, 1, 2, 3, 4]);
        assert!(r.is_done(&streams));
    }

    #[test]
    fn retention_drops_the_oldest_records() {
        let mut streams = LocalStreams::default();
        let s = streams.get_or_create("in");
        s.set_retention_bytes(50);
        for i in 0..20u8 {
            s.put_record("k", vec![i; 9], 0);
        }
        assert_eq!(s.record_count(), 5);
        let mut r = StreamReader::new(&streams, "in", StartPosition::TrimHorizon);
        let mut got = Vec::new();
        r.poll(&streams, 100, &mut |rec| got.push(rec.data[0]));
        assert_eq!(got, vec![15, 16, 17, 18, 19]);
    }

    #[test]
    fn retention_forgets_the_bytes_of_faulty_records_it_drops() {
        let mut streams = LocalStreams::default();
        let s = streams.get_or_create("in");
        // Room for five 10-byte records (a 1-byte key and 9 bytes of data).
        s.set_retention_bytes(50);
        for i in 0..20u8 {
            s.mirror_faulty_record("shardId-000000000000", "1", "k", "not base64", i.into());
        }
        for i in 0..20u8 {
            s.put_record("k", vec![i; 9], 0);
        }
        // The faulty records are gone and forgotten: five good records fit again.
        assert_eq!(s.record_count(), 5);
    }

    /// Record `i`'s data: mostly a few hundred bytes, now and then empty or larger than a chunk.
    fn data(i: u64) -> Vec<u8> {
        let len = match i % 50 {
            0 => CHUNK_BYTES + 7,
            1 => 0,
            n => n as usize * 37,
        };
        (0..len).map(|j| (i as usize * 31 + j) as u8).collect()
    }

    #[test]
    fn records_keep_their_bytes_across_chunks_and_retention() {
        let mut streams = LocalStreams::default();
        streams.get_or_create("in").set_retention_bytes(3 * CHUNK_BYTES);
        let mut reader = StreamReader::new(&streams, "in", StartPosition::TrimHorizon);
        let (mut read, mut last) = (0, 0);
        for i in 0..3_000u64 {
            let s = streams.get_mut("in").unwrap();
            if i % 97 == 5 {
                s.mirror_faulty_record("shardId-000000000000", "1", &format!("k{}", i % 7), "not base64", i as i64);
            } else {
                s.put_record(&format!("k{}", i % 7), data(i), i as i64);
            }
            if i % 500 == 499 {
                reader.poll(&streams, usize::MAX, &mut |r| {
                    let i = r.sequence_number - 1;
                    assert!(r.sequence_number > last, "in arrival order");
                    last = r.sequence_number;
                    if i % 97 == 5 {
                        assert_eq!((r.data, r.fault.map(|f| &**f)), (&[][..], Some("not base64")));
                    } else {
                        assert_eq!((r.data, r.fault), (&data(i)[..], None), "record {i}");
                    }
                    assert_eq!((&**r.partition_key, r.arrival_ms), (&*format!("k{}", i % 7), i as i64));
                    read += 1;
                });
            }
        }
        let s = streams.get("in").unwrap();
        assert!(read > 300 && read < 3_000, "retention dropped some records unread: {read}");
        assert!(s.bytes <= 3 * CHUNK_BYTES);
        let recent = s.recent(5);
        assert_eq!(recent.iter().map(|r| r.sequence_number).collect::<Vec<_>>(), [2_996, 2_997, 2_998, 2_999, 3_000]);
        assert!(recent.iter().all(|r| r.data == data(r.sequence_number - 1)));
        // Whole chunks go with their last record: a shard holds its records' bytes and at most
        // two chunks more (the one being filled, the one its oldest record is in).
        for shard in &s.shards {
            let held: usize = shard.chunks.iter().map(Vec::capacity).sum();
            let used: usize = shard.records.iter().map(|e| e.len).sum();
            assert!(held <= used + 2 * CHUNK_BYTES + 8, "{held} bytes held for {used}");
        }
    }

    #[test]
    fn a_stream_emptied_for_a_mirror_takes_records_again() {
        let mut s = LocalStream::new("in", 2);
        for i in 0..100 {
            s.put_record(&i.to_string(), data(i), 0);
        }
        s.mirror_remote();
        assert_eq!(s.record_count(), 0);
        s.mirror_record("shardId-000000000000", "7", "3", data(7), 1);
        s.mirror_record("shardId-000000000000", "8", "4", data(8), 1);
        let recent: Vec<_> = s.recent(10).iter().map(|r| (r.sequence_number, r.data.to_vec())).collect();
        assert_eq!(recent, [(101, data(7)), (102, data(8))]);
    }

    #[test]
    fn a_mirror_holds_only_the_real_streams_records() {
        let mut streams = LocalStreams::default();
        streams.get_or_create("in").put_record("generated", vec![1], 0);
        let mut before = StreamReader::new(&streams, "in", StartPosition::TrimHorizon);
        let s = streams.get_mut("in").unwrap();
        s.mirror_remote();
        s.mirror_record("shardId-000000000000", "49", "real", vec![2], 5);
        s.mirror_remote();
        let mut got = Vec::new();
        StreamReader::new(&streams, "in", StartPosition::TrimHorizon).poll(&streams, 100, &mut |rec| got.push(rec.data[0]));
        before.poll(&streams, 100, &mut |rec| got.push(rec.data[0]));
        assert_eq!(got, vec![2, 2], "the generated record is gone for new and old readers alike");
    }

    #[test]
    fn a_mirror_remembers_the_last_record_of_each_real_shard() {
        let mut s = LocalStream::new("in", 2);
        s.mirror_remote();
        s.set_retention_bytes(10);
        s.mirror_record("shardId-000000000000", "101", "a", vec![0; 8], 1);
        s.mirror_record("shardId-000000000001", "201", "a", vec![0; 8], 2);
        s.mirror_record("shardId-000000000000", "102", "a", vec![0; 8], 3);
        assert_eq!(s.record_count(), 1, "retention dropped the older records");
        let up_to: Vec<(&str, &str)> = s.mirrored_up_to().iter().map(|(shard, seq)| (shard.as_str(), seq.as_str())).collect();
        assert_eq!(up_to, [("shardId-000000000000", "102"), ("shardId-000000000001", "201")]);
    }
}
