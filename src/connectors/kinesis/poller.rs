//! Reading a Kinesis stream: shards found with `ListShards` (again every
//! [`DISCOVERY_INTERVAL_MS`], so a reshard is noticed), each read with `GetShardIterator` and
//! `GetRecords` within Kinesis's limits, and the shards' records merged into one sequence in
//! arrival order.
//!
//! Why merge: a Sluice query reads a stream as local streams are read — all shards in arrival
//! order under one watermark (DIFFERENCES.md). So a record is handed over only once no shard
//! can still produce an earlier one: each shard has a *frontier*, the arrival time before which
//! it has been read completely (its last record's time, or — when `GetRecords` says it is
//! caught up — the time of that call less [`ARRIVAL_SLACK_MS`]), and records older than every
//! shard's frontier go out, oldest first.
//!
//! The rules Kinesis sets and this follows:
//! - at most 5 `GetRecords` per second per shard ([`GET_RECORDS_INTERVAL_MS`]);
//! - `ProvisionedThroughputExceededException` and server errors: back off, doubling up to
//!   [`MAX_BACKOFF_MS`];
//! - an expired iterator (or one the server keeps failing on) is re-acquired
//!   `AFTER_SEQUENCE_NUMBER` the last record read, so nothing is skipped or read twice;
//! - after a reshard, a child shard is read from its start once its parents have been read to
//!   their end.
//!
//! A poller can also take over from an earlier one ([`StreamPoller::resuming`]): given the last
//! record handed over from each shard, it goes on after those, so a mirror whose reader is
//! replaced (in the page, when a Kinesis access is chosen again) gets nothing twice.
//!
//! No clocks or threads here: the caller says what time it is and calls again when asked, so the
//! same code runs in a native thread, in the page, and in tests with a scripted transport.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;

use super::client::{IteratorStart, KinesisClient, KinesisError, ShardInfo, ShardRecord, StreamRef};
use super::transport::Transport;

/// At most 5 `GetRecords` calls per second per shard (Flink's default interval too).
pub const GET_RECORDS_INTERVAL_MS: i64 = 200;
/// How often shards are listed again to find the children of a reshard (Flink's default).
pub const DISCOVERY_INTERVAL_MS: i64 = 10_000;
pub const MAX_BACKOFF_MS: i64 = 5_000;
/// How far behind the reader's clock a caught-up shard's frontier is put: allowance for the
/// server's clock and for records stamped just before a call but not yet visible to it.
pub const ARRIVAL_SLACK_MS: i64 = 250;
const RECORDS_PER_CALL: usize = 10_000;
/// A shard this far ahead of the others is not read further until they catch up.
const MAX_QUEUED_PER_SHARD: usize = 100_000;
/// `GetRecords` failures in a row after which the iterator is taken again (moto answers 500
/// for an iterator it cannot read).
const FAILURES_BEFORE_NEW_ITERATOR: u32 = 3;

#[derive(Clone, Debug, PartialEq, Eq)]
enum Phase {
    /// A child of a reshard whose parents are still being read.
    WaitingForParents,
    NeedIterator(IteratorStart),
    Reading(String),
    /// Closed and read to its end (or gone).
    Finished,
}

struct Shard {
    info: ShardInfo,
    /// `info.id`, shared by the records handed over.
    id: Arc<str>,
    phase: Phase,
    /// Where reading begins once the parents are done: the table's position for shards there
    /// at the first listing, TRIM_HORIZON for shards a reshard made later, and after the last
    /// record an earlier poller handed over for shards it read.
    start: IteratorStart,
    last_sequence: Option<String>,
    next_call_ms: i64,
    backoff_ms: i64,
    failures: u32,
    frontier_ms: i64,
    queue: VecDeque<ShardRecord>,
    /// When the first iterator was taken: a `LATEST` reader that read nothing yet resumes there.
    started_ms: Option<i64>,
}

impl Shard {
    fn new(info: ShardInfo, phase: Phase, start: IteratorStart, now_ms: i64) -> Self {
        Shard {
            id: info.id.as_str().into(),
            info,
            phase,
            start,
            last_sequence: None,
            next_call_ms: now_ms,
            backoff_ms: 0,
            failures: 0,
            frontier_ms: i64::MIN,
            queue: VecDeque::new(),
            started_ms: None,
        }
    }

    /// An earlier poller handed over this shard's records up to `sequence`: go on after it, once
    /// the parents are done as for any shard (a closed shard read to its end finds nothing more
    /// and finishes).
    fn resume_after(&mut self, sequence: String) {
        self.phase = Phase::WaitingForParents;
        self.start = IteratorStart::AfterSequence(sequence.clone());
        self.last_sequence = Some(sequence);
    }

    /// A call failed in a way a later one may not: count it, back off, and say so the first time.
    fn retry_later(&mut self, e: &KinesisError, now_ms: i64, stream: &str, stats: &mut PollerStats, log: &mut Vec<String>) {
        match e {
            KinesisError::Throttled(_) => stats.throttled += 1,
            _ => stats.server_errors += 1,
        }
        self.back_off(now_ms);
        if self.failures == 1 {
            log.push(format!("`{stream}` {}: {e}; backing off", self.info.id));
        }
    }

    fn back_off(&mut self, now_ms: i64) {
        self.failures += 1;
        self.backoff_ms = (self.backoff_ms * 2).clamp(GET_RECORDS_INTERVAL_MS, MAX_BACKOFF_MS);
        self.next_call_ms = now_ms + self.backoff_ms;
    }

    /// Where a new iterator starts so that the next record is the one after the last read.
    fn resume_position(&self, initial: &IteratorStart) -> IteratorStart {
        match (&self.last_sequence, initial, self.started_ms) {
            (Some(seq), _, _) => IteratorStart::AfterSequence(seq.clone()),
            (None, IteratorStart::Latest, Some(started)) => IteratorStart::AtTimestamp(started),
            (None, start, _) => start.clone(),
        }
    }
}

/// A record as the poller hands it over: with the shard it was read from, so that whoever
/// keeps it knows where a later poller resumes ([`StreamPoller::resuming`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolledRecord {
    pub shard_id: Arc<str>,
    pub record: ShardRecord,
}

/// Counters for metrics and tests.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PollerStats {
    pub get_records_calls: u64,
    pub records: u64,
    pub throttled: u64,
    pub server_errors: u64,
    pub iterators_renewed: u64,
    pub shards_finished: u64,
}

pub struct StreamPoller {
    stream: StreamRef,
    start: IteratorStart,
    shards: Vec<Shard>,
    /// Shard id → sequence number of the last record an earlier poller handed over, for shards
    /// not listed yet (see [`Self::resuming`]).
    resume: BTreeMap<String, String>,
    /// Shards that went on where an earlier poller stopped.
    resumed: usize,
    next_discovery_ms: i64,
    discovered: bool,
    announced: bool,
    /// A shard was read to its end and no listing has been made since: its children may be
    /// unknown yet, so it still holds records of other shards back (see [`Self::frontier`]).
    awaiting_listing: bool,
    pub stats: PollerStats,
}

impl StreamPoller {
    pub fn new(stream: StreamRef, start: IteratorStart) -> Self {
        Self::resuming(stream, start, BTreeMap::new())
    }

    /// Takes over from an earlier poller that handed over, from each shard in `last_read`, the
    /// records up to the sequence number it maps to: those shards go on after it, the others
    /// start at `start`. Records are then neither lost nor handed over twice, provided the
    /// earlier poller's were kept up to the last one counted in `last_read`.
    pub fn resuming(stream: StreamRef, start: IteratorStart, last_read: BTreeMap<String, String>) -> Self {
        StreamPoller {
            stream,
            start,
            shards: Vec::new(),
            resume: last_read,
            resumed: 0,
            next_discovery_ms: i64::MIN,
            discovered: false,
            announced: false,
            awaiting_listing: false,
            stats: PollerStats::default(),
        }
    }

    /// Makes the calls due at `now_ms`; appends to `out` the records that are ready, in arrival
    /// order, and to `log` what a person watching should know. Returns when to call again, or
    /// an error that retrying will not fix (no such stream, access denied).
    pub async fn poll<T: Transport>(
        &mut self,
        client: &mut KinesisClient<T>,
        now_ms: i64,
        out: &mut Vec<PolledRecord>,
        log: &mut Vec<String>,
    ) -> Result<i64, KinesisError> {
        if now_ms >= self.next_discovery_ms {
            match self.discover(client, now_ms).await {
                Ok(()) => {
                    self.next_discovery_ms = now_ms + DISCOVERY_INTERVAL_MS;
                    self.awaiting_listing = false;
                }
                Err(e) if e.is_retryable() => {
                    log.push(format!("listing the shards of `{}`: {e}; trying again", self.stream.name));
                    self.next_discovery_ms = now_ms + MAX_BACKOFF_MS.min(1_000);
                }
                Err(e) => return Err(e),
            }
        }
        self.start_children(now_ms);
        for i in 0..self.shards.len() {
            if self.shards[i].next_call_ms <= now_ms && self.shards[i].queue.len() < MAX_QUEUED_PER_SHARD {
                self.call_shard(i, client, now_ms, log).await?;
            }
        }
        if !self.announced && self.discovered && self.shards.iter().all(|s| !matches!(s.phase, Phase::NeedIterator(_))) {
            self.announced = true;
            let open = self.shards.iter().filter(|s| s.phase != Phase::Finished).count();
            log.push(match self.resumed {
                0 => format!("reading `{}`: {open} shards from {}", self.stream.name, describe(&self.start)),
                resumed => format!(
                    "reading `{}`: {open} shards, {resumed} going on after the last record read before, any others from {}",
                    self.stream.name,
                    describe(&self.start)
                ),
            });
        }
        self.release(out);
        let next_shard =
            self.shards.iter().filter(|s| s.phase != Phase::Finished && s.phase != Phase::WaitingForParents).map(|s| s.next_call_ms).min();
        Ok(next_shard.unwrap_or(i64::MAX).min(self.next_discovery_ms))
    }

    /// Open shards and shards still being read.
    pub fn active_shards(&self) -> usize {
        self.shards.iter().filter(|s| s.phase != Phase::Finished).count()
    }

    async fn discover<T: Transport>(&mut self, client: &mut KinesisClient<T>, now_ms: i64) -> Result<(), KinesisError> {
        let listed = client.list_shards(&self.stream).await?;
        let first = !self.discovered;
        self.discovered = true;
        for info in listed {
            if let Some(known) = self.shards.iter_mut().find(|s| s.info.id == info.id) {
                known.info.ending_sequence = info.ending_sequence;
                continue;
            }
            let (phase, start) = match (first, &self.start) {
                // LATEST: nothing new will ever arrive in a closed shard, and open ones start now
                // whatever their parents.
                (true, IteratorStart::Latest) if info.ending_sequence.is_some() => (Phase::Finished, IteratorStart::Latest),
                (true, IteratorStart::Latest) => (Phase::NeedIterator(IteratorStart::Latest), IteratorStart::Latest),
                (true, start) => (Phase::WaitingForParents, start.clone()),
                (false, _) => (Phase::WaitingForParents, IteratorStart::TrimHorizon),
            };
            let mut shard = Shard::new(info, phase, start, now_ms);
            if let Some(sequence) = self.resume.remove(&shard.info.id) {
                shard.resume_after(sequence);
                self.resumed += 1;
            }
            self.shards.push(shard);
        }
        Ok(())
    }

    /// Children whose parents have been read to their end start reading.
    fn start_children(&mut self, now_ms: i64) {
        for i in 0..self.shards.len() {
            if self.shards[i].phase != Phase::WaitingForParents {
                continue;
            }
            let info = &self.shards[i].info;
            let parents_done = [&info.parent, &info.adjacent_parent].into_iter().flatten().all(|p| {
                // A parent no longer listed has aged out of the stream: nothing to wait for.
                self.shards.iter().find(|s| &s.info.id == p).is_none_or(|s| s.phase == Phase::Finished)
            });
            if parents_done {
                let shard = &mut self.shards[i];
                shard.phase = Phase::NeedIterator(shard.start.clone());
                shard.next_call_ms = now_ms;
            }
        }
    }

    async fn call_shard<T: Transport>(
        &mut self,
        i: usize,
        client: &mut KinesisClient<T>,
        now_ms: i64,
        log: &mut Vec<String>,
    ) -> Result<(), KinesisError> {
        let stream = self.stream.clone();
        let shard = &mut self.shards[i];
        let initial = shard.start.clone();
        match shard.phase.clone() {
            Phase::WaitingForParents | Phase::Finished => Ok(()),
            Phase::NeedIterator(start) => match client.get_shard_iterator(&stream, &shard.info.id, &start).await {
                Ok(iterator) => {
                    shard.started_ms.get_or_insert(now_ms);
                    shard.phase = Phase::Reading(iterator);
                    shard.backoff_ms = 0;
                    shard.next_call_ms = now_ms;
                    Ok(())
                }
                Err(KinesisError::NotFound(_)) => {
                    shard.phase = Phase::Finished;
                    Ok(())
                }
                Err(e) if e.is_retryable() => {
                    shard.retry_later(&e, now_ms, &stream.name, &mut self.stats, log);
                    Ok(())
                }
                Err(e) => Err(e),
            },
            Phase::Reading(iterator) => {
                self.stats.get_records_calls += 1;
                match client.get_records(&iterator, RECORDS_PER_CALL).await {
                    Ok(page) => {
                        shard.failures = 0;
                        shard.backoff_ms = 0;
                        shard.next_call_ms = now_ms + GET_RECORDS_INTERVAL_MS;
                        self.stats.records += page.records.len() as u64;
                        if let Some(last) = page.records.last() {
                            shard.last_sequence = Some(last.sequence_number.clone());
                            shard.frontier_ms = shard.frontier_ms.max(last.arrival_ms);
                        }
                        // A closed shard's children go on where it ended: its last record,
                        // not the clock, is how far it reached. A full page is never the end,
                        // whatever MillisBehindLatest says (kinesalite always says 0).
                        let caught_up = page.millis_behind_latest == Some(0) && page.records.len() < RECORDS_PER_CALL;
                        if caught_up && page.next_iterator.is_some() {
                            shard.frontier_ms = shard.frontier_ms.max(now_ms - ARRIVAL_SLACK_MS);
                        }
                        shard.queue.extend(page.records);
                        match page.next_iterator {
                            Some(next) => shard.phase = Phase::Reading(next),
                            None => {
                                // Closed and read to the end: its children may start, and a
                                // listing finds them if it has not yet.
                                shard.phase = Phase::Finished;
                                self.stats.shards_finished += 1;
                                self.next_discovery_ms = now_ms;
                                self.awaiting_listing = true;
                            }
                        }
                        Ok(())
                    }
                    Err(KinesisError::ExpiredIterator(_)) => {
                        self.stats.iterators_renewed += 1;
                        shard.phase = Phase::NeedIterator(shard.resume_position(&initial));
                        shard.next_call_ms = now_ms;
                        Ok(())
                    }
                    Err(KinesisError::NotFound(_)) => {
                        shard.phase = Phase::Finished;
                        Ok(())
                    }
                    Err(e) if e.is_retryable() => {
                        shard.retry_later(&e, now_ms, &stream.name, &mut self.stats, log);
                        if shard.failures >= FAILURES_BEFORE_NEW_ITERATOR && !matches!(e, KinesisError::Throttled(_)) {
                            self.stats.iterators_renewed += 1;
                            shard.phase = Phase::NeedIterator(shard.resume_position(&initial));
                        }
                        Ok(())
                    }
                    Err(e) => Err(e),
                }
            }
        }
    }

    /// The arrival time before which shard `i` can add nothing more.
    fn frontier(&self, i: usize) -> i64 {
        let shard = &self.shards[i];
        match shard.phase {
            // Until a listing has shown a finished shard's children, records of other shards
            // that arrived after its last one may have to wait for theirs.
            Phase::Finished if self.awaiting_listing => shard.frontier_ms,
            Phase::Finished => i64::MAX,
            // A waiting child's records all come after its parents' last ones.
            Phase::WaitingForParents => [&shard.info.parent, &shard.info.adjacent_parent]
                .into_iter()
                .flatten()
                .filter_map(|p| self.shards.iter().find(|s| &s.info.id == p))
                .map(|p| p.frontier_ms)
                .min()
                .unwrap_or(i64::MIN),
            _ => shard.frontier_ms,
        }
    }

    /// Hands over, oldest first, every queued record older than all frontiers.
    fn release(&mut self, out: &mut Vec<PolledRecord>) {
        let frontier = (0..self.shards.len()).map(|i| self.frontier(i)).min().unwrap_or(i64::MAX);
        loop {
            let next = self
                .shards
                .iter()
                .enumerate()
                .filter_map(|(i, s)| s.queue.front().map(|r| (r.arrival_ms, i)))
                .filter(|&(arrival, _)| arrival < frontier)
                .min();
            let Some((_, i)) = next else { break };
            let shard = &mut self.shards[i];
            out.extend(shard.queue.pop_front().map(|record| PolledRecord { shard_id: shard.id.clone(), record }));
        }
    }
}

fn describe(start: &IteratorStart) -> String {
    match start {
        IteratorStart::TrimHorizon => "TRIM_HORIZON".into(),
        IteratorStart::Latest => "LATEST".into(),
        IteratorStart::AtTimestamp(ms) => format!("AT_TIMESTAMP {}", crate::types::format_timestamp(*ms)),
        IteratorStart::AfterSequence(s) => format!("after sequence number {s}"),
    }
}

#[cfg(test)]
mod tests {
    use super::super::mirror;
    use super::super::transport::{block_on, Reply};
    use super::*;
    use crate::connectors::local_stream::{LocalStreams, StartPosition, StreamReader};
    use base64::Engine as _;
    use serde_json::{json, Value};

    /// An in-memory Kinesis: shards of (arrival ms, data), iterators "shard:next-index", and
    /// faults to play on chosen calls.
    #[derive(Default)]
    struct FakeKinesis {
        shards: Vec<(ShardInfo, Vec<(i64, String)>)>,
        /// The n-th GetRecords call (from 0) answers ExpiredIteratorException instead.
        expire_call: Option<usize>,
        get_records_calls: usize,
        iterator_requests: Vec<Value>,
        page_size: usize,
    }

    impl FakeKinesis {
        fn shard(&mut self, id: &str, parent: Option<&str>, closed: bool, records: &[(i64, &str)]) {
            let info = ShardInfo {
                id: id.into(),
                parent: parent.map(Into::into),
                adjacent_parent: None,
                ending_sequence: closed.then(|| "end".into()),
            };
            self.shards.push((info, records.iter().map(|(t, d)| (*t, d.to_string())).collect()));
        }
    }

    impl Transport for FakeKinesis {
        async fn send(&mut self, action: &str, body: &[u8]) -> Result<Reply, String> {
            let body: Value = serde_json::from_slice(body).unwrap();
            let answer = match action {
                "ListShards" => json!({"Shards": self.shards.iter().map(|(s, _)| {
                    let mut v = json!({"ShardId": s.id, "SequenceNumberRange": {"StartingSequenceNumber": "0"}});
                    if let Some(p) = &s.parent { v["ParentShardId"] = json!(p); }
                    if s.ending_sequence.is_some() { v["SequenceNumberRange"]["EndingSequenceNumber"] = json!("9"); }
                    v
                }).collect::<Vec<_>>()}),
                "GetShardIterator" => {
                    self.iterator_requests.push(body.clone());
                    let shard = body["ShardId"].as_str().unwrap();
                    let len = self.shards.iter().find(|(s, _)| s.id == shard).unwrap().1.len();
                    let at = match body["ShardIteratorType"].as_str().unwrap() {
                        "TRIM_HORIZON" => 0,
                        "LATEST" => len,
                        "AFTER_SEQUENCE_NUMBER" => body["StartingSequenceNumber"].as_str().unwrap().parse::<usize>().unwrap() + 1,
                        other => panic!("{other}"),
                    };
                    json!({"ShardIterator": format!("{shard}:{at}")})
                }
                "GetRecords" => {
                    self.get_records_calls += 1;
                    if self.expire_call == Some(self.get_records_calls - 1) {
                        return Ok(Reply { status: 400, body: br#"{"__type":"ExpiredIteratorException","message":"old"}"#.to_vec() });
                    }
                    let (shard, at) = body["ShardIterator"].as_str().unwrap().split_once(':').unwrap();
                    let at: usize = at.parse().unwrap();
                    let (info, records) = self.shards.iter().find(|(s, _)| s.id == shard).unwrap();
                    let end = (at + self.page_size.max(1)).min(records.len());
                    let page: Vec<Value> = records[at..end]
                        .iter()
                        .enumerate()
                        .map(|(i, (t, d))| json!({"SequenceNumber": (at + i).to_string(), "PartitionKey": "k", "ApproximateArrivalTimestamp": *t as f64 / 1000.0,
                                                  "Data": base64::engine::general_purpose::STANDARD.encode(d)}))
                        .collect();
                    let done = end == records.len();
                    let next = if done && info.ending_sequence.is_some() { Value::Null } else { json!(format!("{shard}:{end}")) };
                    json!({"Records": page, "NextShardIterator": next, "MillisBehindLatest": if done { 0 } else { 1000 }})
                }
                other => panic!("unexpected {other}"),
            };
            Ok(Reply { status: 200, body: answer.to_string().into_bytes() })
        }
    }

    /// Polls until `until_ms` (a simulated clock, stepping to each wake-up); returns the records
    /// handed over.
    fn poll_until(client: &mut KinesisClient<FakeKinesis>, poller: &mut StreamPoller, until_ms: i64) -> Vec<PolledRecord> {
        let (mut out, mut log, mut now) = (Vec::new(), Vec::new(), 1_000_000);
        while now < until_ms {
            let next = block_on(poller.poll(client, now, &mut out, &mut log)).unwrap();
            now = next.max(now + 1);
        }
        out
    }

    /// Polls until `until_ms`; returns the data read.
    fn read_all(client: &mut KinesisClient<FakeKinesis>, poller: &mut StreamPoller, until_ms: i64) -> Vec<String> {
        poll_until(client, poller, until_ms).into_iter().map(|r| String::from_utf8(r.record.data).unwrap()).collect()
    }

    fn stream() -> StreamRef {
        StreamRef { name: "in".into(), arn: None }
    }

    #[test]
    fn shards_are_merged_in_arrival_order_even_when_read_a_page_at_a_time() {
        let mut fake = FakeKinesis { page_size: 2, ..Default::default() };
        fake.shard("s0", None, false, &[(10, "a"), (13, "d"), (14, "e"), (30, "h")]);
        fake.shard("s1", None, false, &[(11, "b"), (12, "c"), (20, "f"), (21, "g")]);
        let mut client = KinesisClient::new(fake);
        let mut poller = StreamPoller::new(stream(), IteratorStart::TrimHorizon);
        assert_eq!(read_all(&mut client, &mut poller, 1_005_000), ["a", "b", "c", "d", "e", "f", "g", "h"]);
    }

    #[test]
    fn get_records_stays_within_five_calls_per_second_per_shard() {
        let mut fake = FakeKinesis { page_size: 1, ..Default::default() };
        fake.shard("s0", None, false, &[(1, "a"); 100]);
        let mut client = KinesisClient::new(fake);
        let mut poller = StreamPoller::new(stream(), IteratorStart::TrimHorizon);
        read_all(&mut client, &mut poller, 1_000_000 + 10_000);
        let calls = client.transport().get_records_calls;
        assert!((45..=51).contains(&calls), "{calls} calls in 10 s");
    }

    #[test]
    fn an_expired_iterator_resumes_after_the_last_record_read() {
        let mut fake = FakeKinesis { page_size: 2, expire_call: Some(1), ..Default::default() };
        fake.shard("s0", None, false, &[(1, "a"), (2, "b"), (3, "c"), (4, "d"), (5, "e")]);
        let mut client = KinesisClient::new(fake);
        let mut poller = StreamPoller::new(stream(), IteratorStart::TrimHorizon);
        assert_eq!(read_all(&mut client, &mut poller, 1_003_000), ["a", "b", "c", "d", "e"]);
        let renewed = &client.transport().iterator_requests[1];
        assert_eq!(renewed["ShardIteratorType"], "AFTER_SEQUENCE_NUMBER");
        assert_eq!(renewed["StartingSequenceNumber"], "1");
        assert_eq!(poller.stats.iterators_renewed, 1);
    }

    #[test]
    fn after_a_reshard_children_are_read_once_their_parent_is_finished() {
        let mut fake = FakeKinesis { page_size: 1, ..Default::default() };
        fake.shard("parent", None, true, &[(1, "p1"), (2, "p2"), (3, "p3")]);
        fake.shard("child", Some("parent"), false, &[(4, "c1"), (5, "c2")]);
        fake.shard("other", None, false, &[(2, "o1"), (6, "o2")]);
        let mut client = KinesisClient::new(fake);
        let mut poller = StreamPoller::new(stream(), IteratorStart::TrimHorizon);
        assert_eq!(read_all(&mut client, &mut poller, 1_005_000), ["p1", "p2", "o1", "p3", "c1", "c2", "o2"]);
        let first_child_call = client.transport().iterator_requests.iter().position(|r| r["ShardId"] == "child").unwrap();
        assert!(first_child_call > 1, "the child's iterator comes after its parent's");
    }

    #[test]
    fn latest_skips_closed_shards_and_what_is_already_there() {
        let mut fake = FakeKinesis { page_size: 10, ..Default::default() };
        fake.shard("old", None, true, &[(1, "x")]);
        fake.shard("s0", Some("old"), false, &[(2, "y")]);
        let mut client = KinesisClient::new(fake);
        let mut poller = StreamPoller::new(stream(), IteratorStart::Latest);
        assert!(read_all(&mut client, &mut poller, 1_001_000).is_empty());
        assert_eq!(poller.active_shards(), 1);
    }

    /// `parent` split into `child` after p3, with `other` beside it; `later` adds what arrives
    /// afterwards.
    fn resharded(later: bool) -> FakeKinesis {
        let mut fake = FakeKinesis { page_size: 1, ..Default::default() };
        fake.shard("parent", None, true, &[(1, "p1"), (2, "p2"), (3, "p3")]);
        let (mut child, mut other) = (vec![(4, "c1"), (5, "c2"), (6, "c3")], vec![(2, "o1"), (7, "o2")]);
        if later {
            child.push((8, "c4"));
            other.push((9, "o3"));
        }
        fake.shard("child", Some("parent"), false, &child);
        fake.shard("other", None, false, &other);
        fake
    }

    #[test]
    fn a_poller_taking_over_a_mirror_adds_only_what_it_lacks_wherever_the_first_stopped() {
        let mut cuts = Vec::new();
        for stop_ms in (1_000_000..1_004_000).step_by(100) {
            let mut streams = LocalStreams::default();
            streams.get_or_create("in").mirror_remote();
            let mut first = StreamPoller::new(stream(), IteratorStart::TrimHorizon);
            mirror(&mut streams, "in", poll_until(&mut KinesisClient::new(resharded(false)), &mut first, stop_ms));
            let last_read = streams.get("in").unwrap().mirrored_up_to().clone();

            let mut client = KinesisClient::new(resharded(true));
            let mut second = StreamPoller::resuming(stream(), IteratorStart::TrimHorizon, last_read.clone());
            mirror(&mut streams, "in", poll_until(&mut client, &mut second, 1_010_000));
            let mut got = Vec::new();
            StreamReader::new(&streams, "in", StartPosition::TrimHorizon)
                .poll(&streams, 100, &mut |r| got.push(String::from_utf8(r.data.to_vec()).unwrap()));
            assert_eq!(
                got,
                ["p1", "p2", "o1", "p3", "c1", "c2", "c3", "o2", "c4", "o3"],
                "the first poller stopped at {stop_ms}, having mirrored up to {last_read:?}"
            );
            for (shard, sequence) in &last_read {
                let first_request = client.transport().iterator_requests.iter().find(|r| r["ShardId"] == shard.as_str()).unwrap();
                assert_eq!(first_request["ShardIteratorType"], "AFTER_SEQUENCE_NUMBER", "{shard}");
                assert_eq!(first_request["StartingSequenceNumber"], sequence.as_str(), "{shard}");
            }
            if last_read.get("parent").is_some_and(|s| s == "2") {
                assert!(second.stats.shards_finished == 1, "the finished parent, read again after its last record, finishes");
            }
            cuts.push(last_read);
        }
        let split_and_child_begun =
            |c: &BTreeMap<String, String>| c.get("parent").is_some_and(|s| s == "2") && c.get("child").is_some_and(|s| s == "0");
        assert!(cuts.iter().any(split_and_child_begun), "some cut falls after the parent and within the child: {cuts:?}");
        assert!(
            cuts.iter().any(BTreeMap::is_empty) && cuts.iter().any(|c| c.len() == 3),
            "cuts before anything and after everything: {cuts:?}"
        );
    }
}
