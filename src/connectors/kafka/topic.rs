//! Local topics: in-memory Kafka topics that live inside the page (and `sluice run`).
//!
//! As in Kafka, a topic has partitions; a record goes to the partition Kafka's default
//! partitioner picks (the murmur2 hash of its key, or a sticky partition for a null key, see
//! [`partitioner`](super::partitioner)), gets the next offset of that partition, and stays readable
//! until retention drops it. A real topic is *mirrored* here: [`LocalTopic::mirror_record`] keeps
//! each record at its own partition and offset, so readers see the real offsets (gaps included,
//! as compaction and transaction markers leave them).
//!
//! Readers ([`TopicReader`]) start where `scan.startup.mode` says, per partition, may stop where
//! `scan.bounded.mode` says, and read the partitions merged in arrival order (the order records
//! reached this topic), so a query over a local topic gives the same rows every time.

use std::collections::{BTreeMap, VecDeque};

use super::partitioner::StickyPartitioner;
use super::record::{KafkaRecord, TimestampType};
use crate::connectors::remote_link::RemoteLink;

/// Partitions a local topic has unless created otherwise.
pub const DEFAULT_PARTITIONS: usize = 4;
/// Bytes of keys, values and headers a topic keeps before dropping its oldest records (Kafka
/// keeps a week by default; a tab has less memory).
pub const DEFAULT_RETENTION_BYTES: usize = 64 << 20;
/// Partitions a topic may have (Kafka has no hard limit; a mirror of a hostile reply must not
/// allocate without bound).
pub const MAX_PARTITIONS: usize = 10_000;

/// A record as the topic keeps it: Kafka's record and when it reached this topic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TopicRecord {
    /// Grows with arrival across the whole topic: the order readers merge partitions in.
    pub arrival: u64,
    pub record: KafkaRecord,
}

#[derive(Default)]
struct Partition {
    records: VecDeque<TopicRecord>,
    /// Index (since the partition began) of `records[0]`.
    first_index: u64,
    /// The offset the next produced record gets (Kafka's log end offset).
    end_offset: i64,
    /// The first offset still readable (Kafka's log start offset).
    start_offset: i64,
}

impl Partition {
    fn end_index(&self) -> u64 {
        self.first_index + self.records.len() as u64
    }

    fn get(&self, index: u64) -> Option<&TopicRecord> {
        index.checked_sub(self.first_index).and_then(|i| self.records.get(i as usize))
    }

    /// The index of the first record at or after `offset`.
    fn index_of_offset(&self, offset: i64) -> u64 {
        self.first_index + self.records.partition_point(|r| r.record.offset < offset) as u64
    }

    /// The index of the first record whose timestamp is at or after `ms` (Kafka's
    /// `offsetsForTimes`: timestamps are not ordered, the first such record counts).
    fn index_of_timestamp(&self, ms: i64) -> u64 {
        match self.records.iter().position(|r| r.record.timestamp_ms >= ms) {
            Some(i) => self.first_index + i as u64,
            None => self.end_index(),
        }
    }
}

/// A record for a local topic's producer: Kafka's `ProducerRecord`.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct ProducerRecord {
    /// `None`: the topic's partitioner picks one.
    pub partition: Option<i32>,
    pub key: Option<Vec<u8>>,
    pub value: Option<Vec<u8>>,
    pub headers: Vec<(String, Option<Vec<u8>>)>,
    /// `None`: the time it is produced (CreateTime, as Kafka's producer sets it).
    pub timestamp_ms: Option<i64>,
}

pub struct LocalTopic {
    name: String,
    partitions: Vec<Partition>,
    next_arrival: u64,
    bytes: usize,
    retention_bytes: usize,
    retention_records: usize,
    total_records: u64,
    sticky: StickyPartitioner,
    /// The real topic this one mirrors (its records then come in through
    /// [`LocalTopic::mirror_record`] only) or forwards to ([`LocalTopic::take_outbox`]).
    remote: RemoteLink<ProducerRecord>,
    /// Whether `partitions` is the topic's real count: false for a new mirror until its reader
    /// learns the real topic's ([`LocalTopic::mirror_partitions`]), so sources do not hold their
    /// watermark back for partitions the real topic does not have.
    partitions_known: bool,
}

impl LocalTopic {
    pub fn new(name: &str, partitions: usize) -> Self {
        let partitions = partitions.clamp(1, MAX_PARTITIONS);
        LocalTopic {
            name: name.to_string(),
            partitions: (0..partitions).map(|_| Partition::default()).collect(),
            next_arrival: 1,
            bytes: 0,
            retention_bytes: DEFAULT_RETENTION_BYTES,
            retention_records: usize::MAX,
            total_records: 0,
            sticky: StickyPartitioner::new(name),
            remote: RemoteLink::default(),
            partitions_known: true,
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn partition_count(&self) -> usize {
        self.partitions.len()
    }

    /// Whether [`LocalTopic::partition_count`] is the topic's real count (a new mirror's is not
    /// until its reader learned the real topic's).
    pub fn partitions_known(&self) -> bool {
        self.partitions_known
    }

    /// Records the topic holds now.
    pub fn record_count(&self) -> usize {
        self.partitions.iter().map(|p| p.records.len()).sum()
    }

    /// Records ever appended.
    pub fn total_records(&self) -> u64 {
        self.total_records
    }

    /// Kafka's log start offset of `partition` (the earliest offset still readable).
    pub fn start_offset(&self, partition: i32) -> Option<i64> {
        self.partition(partition).map(|p| p.start_offset)
    }

    /// Kafka's log end offset of `partition` (the offset the next record gets).
    pub fn end_offset(&self, partition: i32) -> Option<i64> {
        self.partition(partition).map(|p| p.end_offset)
    }

    fn partition(&self, partition: i32) -> Option<&Partition> {
        usize::try_from(partition).ok().and_then(|p| self.partitions.get(p))
    }

    /// Keeps at most `bytes` of keys, values and headers, dropping the oldest records.
    pub fn set_retention_bytes(&mut self, bytes: usize) {
        self.retention_bytes = bytes;
        self.trim();
    }

    /// Keeps at most `records` records, dropping the oldest.
    pub fn set_retention_records(&mut self, records: usize) {
        self.retention_records = records;
        self.trim();
    }

    /// The partition Kafka's default producer sends a record with this key to (a null key: the
    /// sticky partition of the batch being filled, see [`super::partitioner`]).
    pub fn partition_for(&mut self, key: Option<&[u8]>, record_bytes: usize) -> i32 {
        let n = self.partitions.len();
        match key {
            Some(key) => super::partitioner::partition_for_key(key, n),
            None => self.sticky.next(n, record_bytes),
        }
    }

    /// Produces a record as Kafka's producer does: into its partition (or the one the default
    /// partitioner picks), at that partition's next offset, stamped `now_ms` unless it has a
    /// timestamp. Returns its partition and offset; `Err` names a partition the topic lacks. On
    /// a topic forwarded to a real one the record is also queued for it; on a mirrored one it is
    /// only queued (it comes back through the mirror, as any reader of the real topic sees it).
    pub fn produce(&mut self, record: ProducerRecord, now_ms: i64) -> Result<(i32, i64), String> {
        let size = record_size(record.key.as_deref(), record.value.as_deref(), &record.headers);
        let partition = match record.partition {
            Some(p) if self.partition(p).is_some() => p,
            Some(p) => {
                return Err(format!("topic `{}` has no partition {p} (it has {})", self.name, self.partitions.len()));
            }
            None => self.partition_for(record.key.as_deref(), size),
        };
        let record = ProducerRecord { partition: Some(partition), timestamp_ms: Some(record.timestamp_ms.unwrap_or(now_ms)), ..record };
        Ok(match self.remote.route(record) {
            Some(record) => self.append_produced(partition, record, now_ms),
            None => (partition, -1),
        })
    }

    fn append_produced(&mut self, partition: i32, record: ProducerRecord, now_ms: i64) -> (i32, i64) {
        // `partition` is one of ours: `produce` checked it.
        let p = &self.partitions[partition as usize];
        let offset = p.end_offset;
        let record = KafkaRecord {
            partition,
            offset,
            timestamp_ms: record.timestamp_ms.unwrap_or(now_ms),
            timestamp_type: TimestampType::CreateTime,
            key: record.key,
            value: record.value,
            headers: record.headers,
            leader_epoch: Some(0),
        };
        self.append(record);
        (partition, offset)
    }

    /// Appends a record read from the real topic this one mirrors, at its own partition and
    /// offset. The topic grows partitions the real one has (up to [`MAX_PARTITIONS`]); a record
    /// at or before an offset already held in its partition is not taken twice (`Ok(false)`).
    pub fn mirror_record(&mut self, record: KafkaRecord) -> Result<bool, String> {
        let Some(index) = usize::try_from(record.partition).ok().filter(|&p| p < MAX_PARTITIONS) else {
            return Err(format!("topic `{}`: partition {} is out of range (0 to {})", self.name, record.partition, MAX_PARTITIONS - 1));
        };
        if record.offset < 0 {
            return Err(format!("topic `{}`, partition {}: offset {} is negative", self.name, record.partition, record.offset));
        }
        if index >= self.partitions.len() {
            self.partitions.resize_with(index + 1, Partition::default);
        }
        let p = &mut self.partitions[index];
        if record.offset < p.end_offset {
            return Ok(false);
        }
        if p.records.is_empty() && p.start_offset == p.end_offset {
            // Nothing held yet: the real log starts (for us) here.
            p.start_offset = record.offset;
        }
        self.append(record);
        Ok(true)
    }

    /// Per partition, the offset after the last record mirrored into it: where a new reader of
    /// the real topic goes on (records dropped by retention since count too, as they were
    /// mirrored). Partitions nothing was mirrored into are left out.
    pub fn mirrored_up_to(&self) -> BTreeMap<i32, i64> {
        self.partitions.iter().enumerate().filter(|(_, p)| p.end_offset > 0).map(|(i, p)| (i as i32, p.end_offset)).collect()
    }

    /// From now on the topic mirrors a real topic (see [`LocalTopic::produce`]). What local
    /// producers left here before is dropped: a mirror holds the real topic's records only, at
    /// their real offsets.
    pub fn mirror_remote(&mut self) {
        if !self.remote.is_mirror() {
            for p in &mut self.partitions {
                p.first_index += p.records.len() as u64;
                p.records.clear();
                p.start_offset = 0;
                p.end_offset = 0;
            }
            self.bytes = 0;
            self.partitions_known = false;
        }
        self.remote.mirror();
    }

    /// The real topic this one mirrors has `n` partitions: the topic takes that count (keeping
    /// any partition it already mirrored records into) and its partitions are known from now on.
    pub fn mirror_partitions(&mut self, n: usize) {
        let held = self.partitions.iter().rposition(|p| p.end_offset > 0 || !p.records.is_empty()).map_or(0, |i| i + 1);
        let n = n.clamp(1, MAX_PARTITIONS).max(held);
        if n < self.partitions.len() {
            self.partitions.truncate(n);
        } else {
            self.partitions.resize_with(n, Partition::default);
        }
        self.partitions_known = true;
    }

    /// Whether the topic mirrors a real topic.
    pub fn is_mirror(&self) -> bool {
        self.remote.is_mirror()
    }

    /// From now on, records produced here are also queued for a real topic.
    pub fn forward_produced(&mut self) {
        self.remote.forward();
    }

    /// Whether the topic mirrors or forwards to a real topic.
    pub fn is_remote(&self) -> bool {
        self.remote.is_remote()
    }

    /// Produced records stay here again.
    pub fn stop_forwarding(&mut self) {
        self.remote.stop_forwarding();
    }

    /// The topic is a plain local topic again, keeping what it mirrored.
    pub fn stop_mirroring(&mut self) {
        self.remote.stop_mirroring();
    }

    /// The records produced since the last call, for the real topic, in order, each with the
    /// partition the default partitioner (or the producer) chose and its timestamp.
    pub fn take_outbox(&mut self) -> Vec<ProducerRecord> {
        self.remote.take_outbox()
    }

    fn append(&mut self, record: KafkaRecord) {
        let arrival = self.next_arrival;
        self.next_arrival += 1;
        self.total_records += 1;
        self.bytes += record_size(record.key.as_deref(), record.value.as_deref(), &record.headers);
        // Callers checked the partition is ours.
        let p = &mut self.partitions[record.partition as usize];
        p.end_offset = record.offset.saturating_add(1);
        p.records.push_back(TopicRecord { arrival, record });
        self.trim();
    }

    /// The last `n` records in arrival order (for a peek at the topic).
    pub fn recent(&self, n: usize) -> Vec<&TopicRecord> {
        let mut all: Vec<&TopicRecord> = self.partitions.iter().flat_map(|p| p.records.iter().rev().take(n)).collect();
        all.sort_by_key(|r| r.arrival);
        let skip = all.len().saturating_sub(n);
        all.split_off(skip)
    }

    fn trim(&mut self) {
        let mut held = self.record_count();
        while self.bytes > self.retention_bytes || held > self.retention_records {
            // Drop the oldest record of the whole topic.
            let Some(p) = self.partitions.iter_mut().filter(|p| !p.records.is_empty()).min_by_key(|p| p.records[0].arrival) else {
                break;
            };
            let Some(r) = p.records.pop_front() else { break };
            p.first_index += 1;
            p.start_offset = p.records.front().map_or(p.end_offset, |next| next.record.offset);
            self.bytes -= record_size(r.record.key.as_deref(), r.record.value.as_deref(), &r.record.headers);
            held -= 1;
        }
    }
}

/// What retention counts of a record: its key, value and headers.
fn record_size(key: Option<&[u8]>, value: Option<&[u8]>, headers: &[(String, Option<Vec<u8>>)]) -> usize {
    key.map_or(0, <[u8]>::len)
        + value.map_or(0, <[u8]>::len)
        + headers.iter().map(|(k, v)| k.len() + v.as_ref().map_or(0, Vec::len)).sum::<usize>()
}

/// The session's local topics, by name.
#[derive(Default)]
pub struct LocalTopics {
    topics: BTreeMap<String, LocalTopic>,
}

impl LocalTopics {
    /// The topic `name`, created with [`DEFAULT_PARTITIONS`] if it does not exist.
    pub fn get_or_create(&mut self, name: &str) -> &mut LocalTopic {
        self.topics.entry(name.to_string()).or_insert_with(|| LocalTopic::new(name, DEFAULT_PARTITIONS))
    }

    /// Creates `name` with `partitions` partitions unless it exists (then it is left as it is).
    pub fn create(&mut self, name: &str, partitions: usize) -> &mut LocalTopic {
        self.topics.entry(name.to_string()).or_insert_with(|| LocalTopic::new(name, partitions))
    }

    pub fn get(&self, name: &str) -> Option<&LocalTopic> {
        self.topics.get(name)
    }

    pub fn get_mut(&mut self, name: &str) -> Option<&mut LocalTopic> {
        self.topics.get_mut(name)
    }

    pub fn names(&self) -> impl Iterator<Item = &String> {
        self.topics.keys()
    }
}

/// Where a reader starts in each partition (`scan.startup.mode`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TopicStart {
    /// `earliest-offset`.
    Earliest,
    /// `latest-offset`.
    Latest,
    /// `timestamp`: the first record whose timestamp is at or after this (ms).
    Timestamp(i64),
    /// `specific-offsets`: these partitions at these offsets, the others from the earliest
    /// (as Flink's `OffsetsInitializer.offsets` resets partitions it was not given).
    Offsets(BTreeMap<i32, i64>),
}

/// Where a bounded reader stops in each partition (`scan.bounded.mode`); the record at the
/// stopping offset is not read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TopicEnd {
    /// `latest-offset`: the end offsets when reading began.
    Latest,
    /// `timestamp`: before the first record whose timestamp is at or after this (ms).
    Timestamp(i64),
    /// `specific-offsets`: these partitions at these offsets; the others are not read.
    Offsets(BTreeMap<i32, i64>),
}

/// A reader's position in every partition of one topic, by index into the partition (not by
/// offset, so offsets with gaps cost nothing).
pub struct TopicReader {
    topic: String,
    next: Vec<u64>,
    /// For a bounded read, the index each partition ends at.
    end: Option<Vec<u64>>,
}

impl TopicReader {
    /// Starts reading `topic` at `start` (a missing topic reads as empty until it appears; its
    /// partitions are then read from the earliest, as are partitions added later).
    pub fn new(topics: &LocalTopics, topic: &str, start: &TopicStart) -> Self {
        let next = match topics.get(topic) {
            None => Vec::new(),
            Some(t) => t
                .partitions
                .iter()
                .enumerate()
                .map(|(i, p)| match start {
                    TopicStart::Earliest => p.first_index,
                    TopicStart::Latest => p.end_index(),
                    TopicStart::Timestamp(ms) => p.index_of_timestamp(*ms),
                    TopicStart::Offsets(offsets) => match offsets.get(&(i as i32)) {
                        Some(&offset) => p.index_of_offset(offset),
                        None => p.first_index,
                    },
                })
                .collect(),
        };
        TopicReader { topic: topic.to_string(), next, end: None }
    }

    /// Stops each partition where `end` says, as the topic is now (`scan.bounded.mode`).
    pub fn bounded(mut self, topics: &LocalTopics, end: &TopicEnd) -> Self {
        let ends = match topics.get(&self.topic) {
            None => Vec::new(),
            Some(t) => t
                .partitions
                .iter()
                .enumerate()
                .map(|(i, p)| match end {
                    TopicEnd::Latest => p.end_index(),
                    TopicEnd::Timestamp(ms) => p.index_of_timestamp(*ms),
                    TopicEnd::Offsets(offsets) => match offsets.get(&(i as i32)) {
                        Some(&offset) => p.index_of_offset(offset),
                        None => 0,
                    },
                })
                .collect(),
        };
        self.end = Some(ends);
        self
    }

    /// Reads what `topic` holds now, from the earliest offsets, and then ends (batch mode).
    pub fn snapshot(topics: &LocalTopics, topic: &str) -> Self {
        Self::new(topics, topic, &TopicStart::Earliest).bounded(topics, &TopicEnd::Latest)
    }

    pub fn topic(&self) -> &str {
        &self.topic
    }

    pub fn is_bounded(&self) -> bool {
        self.end.is_some()
    }

    /// Whether a bounded reader has read everything it will read.
    pub fn is_done(&self, topics: &LocalTopics) -> bool {
        let Some(end) = &self.end else { return false };
        let Some(topic) = topics.get(&self.topic) else { return true };
        topic
            .partitions
            .iter()
            .enumerate()
            .all(|(i, p)| self.next.get(i).copied().unwrap_or(0).max(p.first_index) >= end.get(i).copied().unwrap_or(0))
    }

    /// Hands up to `max` new records to `out`, in arrival order across partitions; returns how
    /// many.
    pub fn poll(&mut self, topics: &LocalTopics, max: usize, out: &mut dyn FnMut(&KafkaRecord)) -> usize {
        let Some(topic) = topics.get(&self.topic) else { return 0 };
        if self.next.len() < topic.partitions.len() {
            // Partitions that appeared since (a mirror learning the real topic's): from the start.
            let from = self.next.len();
            self.next.extend(topic.partitions[from..].iter().map(|p| p.first_index));
        }
        let mut n = 0;
        while n < max {
            let mut best: Option<(usize, &TopicRecord)> = None;
            for (i, p) in topic.partitions.iter().enumerate() {
                // Records dropped by retention before they were read are gone, as in Kafka
                // (`auto.offset.reset` aside).
                let at = self.next[i].max(p.first_index);
                self.next[i] = at;
                if self.end.as_ref().is_some_and(|end| at >= end.get(i).copied().unwrap_or(0)) {
                    continue;
                }
                if let Some(r) = p.get(at) {
                    if best.is_none_or(|(_, b)| r.arrival < b.arrival) {
                        best = Some((i, r));
                    }
                }
            }
            let Some((i, record)) = best else { break };
            out(&record.record);
            self.next[i] += 1;
            n += 1;
        }
        n
    }

    /// Per partition, the offset the reader reads next (what a consumer group commits).
    pub fn positions(&self, topics: &LocalTopics) -> BTreeMap<i32, i64> {
        let Some(topic) = topics.get(&self.topic) else { return BTreeMap::new() };
        topic
            .partitions
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let at = self.next.get(i).copied().unwrap_or(p.first_index).max(p.first_index);
                let offset = p.get(at).map_or(p.end_offset, |r| r.record.offset);
                (i as i32, offset)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keyed(key: &str, value: u8) -> ProducerRecord {
        ProducerRecord { key: Some(key.as_bytes().to_vec()), value: Some(vec![value]), ..Default::default() }
    }

    fn read(r: &mut TopicReader, topics: &LocalTopics, max: usize) -> Vec<(i32, i64, u8)> {
        let mut got = Vec::new();
        r.poll(topics, max, &mut |rec| got.push((rec.partition, rec.offset, rec.value.as_ref().map_or(0, |v| v[0]))));
        got
    }

    #[test]
    fn a_keyed_record_goes_to_its_murmur2_partition_at_the_next_offset() {
        let mut t = LocalTopic::new("t", 4);
        // toPositive(murmur2("foobar")) % 4 = (-790332482 & 0x7fffffff) % 4 = 1357151166 % 4 = 2.
        assert_eq!(t.produce(keyed("foobar", 1), 0), Ok((2, 0)));
        assert_eq!(t.produce(keyed("foobar", 2), 0), Ok((2, 1)));
        // murmur2("21") = -973932308 → 1173551340 % 4 = 0.
        assert_eq!(t.produce(keyed("21", 3), 0), Ok((0, 0)));
        assert_eq!(t.end_offset(2), Some(2));
        assert_eq!(t.end_offset(1), Some(0));
    }

    #[test]
    fn an_explicit_partition_is_kept_and_a_missing_one_is_refused() {
        let mut t = LocalTopic::new("t", 2);
        assert_eq!(t.produce(ProducerRecord { partition: Some(1), ..keyed("foobar", 1) }, 0), Ok((1, 0)));
        let err = t.produce(ProducerRecord { partition: Some(7), ..keyed("x", 1) }, 0).unwrap_err();
        assert_eq!(err, "topic `t` has no partition 7 (it has 2)");
    }

    #[test]
    fn produced_records_take_the_producers_time_unless_they_have_one() {
        let mut topics = LocalTopics::default();
        let t = topics.get_or_create("t");
        t.produce(keyed("a", 1), 500).unwrap();
        t.produce(ProducerRecord { timestamp_ms: Some(42), ..keyed("a", 2) }, 600).unwrap();
        let mut got = Vec::new();
        TopicReader::new(&topics, "t", &TopicStart::Earliest).poll(&topics, 10, &mut |r| got.push((r.timestamp_ms, r.timestamp_type)));
        assert_eq!(got, [(500, TimestampType::CreateTime), (42, TimestampType::CreateTime)]);
    }

    #[test]
    fn readers_start_where_asked_and_read_partitions_in_arrival_order() {
        let mut topics = LocalTopics::default();
        let t = topics.get_or_create("in");
        for i in 0..8u8 {
            t.produce(ProducerRecord { partition: Some(i32::from(i % 2)), timestamp_ms: Some(i64::from(i) * 100), ..keyed("k", i) }, 0)
                .unwrap();
        }
        let mut latest = TopicReader::new(&topics, "in", &TopicStart::Latest);
        let mut earliest = TopicReader::new(&topics, "in", &TopicStart::Earliest);
        let mut at = TopicReader::new(&topics, "in", &TopicStart::Timestamp(450));
        let mut offsets = TopicReader::new(&topics, "in", &TopicStart::Offsets(BTreeMap::from([(1, 3)])));
        topics.get_mut("in").unwrap().produce(ProducerRecord { partition: Some(0), ..keyed("k", 8) }, 0).unwrap();
        assert_eq!(read(&mut latest, &topics, 100), [(0, 4, 8)]);
        assert_eq!(read(&mut earliest, &topics, 3), [(0, 0, 0), (1, 0, 1), (0, 1, 2)]);
        assert_eq!(read(&mut at, &topics, 100), [(1, 2, 5), (0, 3, 6), (1, 3, 7), (0, 4, 8)]);
        // Partition 1 from offset 3, partition 0 (not given) from the earliest.
        assert_eq!(read(&mut offsets, &topics, 100), [(0, 0, 0), (0, 1, 2), (0, 2, 4), (0, 3, 6), (1, 3, 7), (0, 4, 8)]);
    }

    #[test]
    fn a_bounded_reader_stops_where_asked_and_ends() {
        let mut topics = LocalTopics::default();
        let t = topics.get_or_create("in");
        for i in 0..6u8 {
            t.produce(ProducerRecord { partition: Some(i32::from(i % 2)), timestamp_ms: Some(i64::from(i)), ..keyed("k", i) }, 0).unwrap();
        }
        let mut snapshot = TopicReader::snapshot(&topics, "in");
        let mut by_offsets =
            TopicReader::new(&topics, "in", &TopicStart::Earliest).bounded(&topics, &TopicEnd::Offsets(BTreeMap::from([(0, 2)])));
        let mut by_time = TopicReader::new(&topics, "in", &TopicStart::Earliest).bounded(&topics, &TopicEnd::Timestamp(3));
        topics.get_mut("in").unwrap().produce(keyed("late", 9), 0).unwrap();
        assert!(!snapshot.is_done(&topics));
        assert_eq!(read(&mut snapshot, &topics, 100).len(), 6);
        assert!(snapshot.is_done(&topics));
        assert_eq!(read(&mut by_offsets, &topics, 100), [(0, 0, 0), (0, 1, 2)]);
        assert!(by_offsets.is_done(&topics));
        assert_eq!(read(&mut by_time, &topics, 100), [(0, 0, 0), (1, 0, 1), (0, 1, 2)]);
        assert!(by_time.is_done(&topics));
    }

    #[test]
    fn retention_drops_the_oldest_records_by_bytes_or_count() {
        let mut topics = LocalTopics::default();
        let t = topics.get_or_create("in");
        t.set_retention_bytes(50);
        for i in 0..20u8 {
            t.produce(ProducerRecord { key: Some(vec![b'k']), value: Some(vec![i; 9]), ..Default::default() }, 0).unwrap();
        }
        assert_eq!(t.record_count(), 5);
        let p = t.recent(1)[0].record.partition;
        assert_eq!(t.start_offset(p), Some(15));
        assert_eq!(t.end_offset(p), Some(20));
        t.set_retention_records(2);
        let mut r = TopicReader::new(&topics, "in", &TopicStart::Earliest);
        assert_eq!(read(&mut r, &topics, 100).iter().map(|r| r.1).collect::<Vec<_>>(), [18, 19]);
    }

    #[test]
    fn a_mirror_keeps_real_offsets_grows_partitions_and_takes_nothing_twice() {
        let mut topics = LocalTopics::default();
        let t = topics.create("in", 1);
        t.produce(keyed("generated", 1), 0).unwrap();
        t.mirror_remote();
        let real = |partition, offset, v| KafkaRecord {
            partition,
            offset,
            timestamp_ms: 7,
            timestamp_type: TimestampType::LogAppendTime,
            key: None,
            value: Some(vec![v]),
            headers: vec![],
            leader_epoch: Some(3),
        };
        assert_eq!(t.mirror_record(real(2, 40, 2)), Ok(true));
        assert_eq!(t.mirror_record(real(2, 45, 3)), Ok(true), "a gap in offsets (compaction) is kept");
        assert_eq!(t.mirror_record(real(2, 45, 3)), Ok(false));
        assert_eq!(t.partition_count(), 3);
        assert!(t.mirror_record(real(-1, 0, 0)).is_err());
        assert!(t.mirror_record(real(MAX_PARTITIONS as i32, 0, 0)).is_err());
        assert_eq!(t.mirrored_up_to(), BTreeMap::from([(2, 46)]));
        assert_eq!(t.start_offset(2), Some(40));
        let mut r = TopicReader::new(&topics, "in", &TopicStart::Offsets(BTreeMap::from([(2, 41)])));
        assert_eq!(read(&mut r, &topics, 100), [(2, 45, 3)], "the generated record is gone; offset 41 reads from 45");
        assert_eq!(r.positions(&topics).get(&2), Some(&46));
    }

    #[test]
    fn a_new_mirror_takes_the_real_topics_partition_count_keeping_what_it_holds() {
        let mut topics = LocalTopics::default();
        let t = topics.get_or_create("in");
        assert!(t.partitions_known(), "a local topic's partitions are its own");
        t.mirror_remote();
        assert!(!t.partitions_known(), "until the reader learns the real topic's");
        t.mirror_partitions(1);
        assert_eq!((t.partition_count(), t.partitions_known()), (1, true));
        t.mirror_partitions(6);
        assert_eq!(t.partition_count(), 6);
        let record = KafkaRecord {
            partition: 4,
            offset: 9,
            timestamp_ms: 0,
            timestamp_type: TimestampType::CreateTime,
            key: None,
            value: Some(vec![1]),
            headers: vec![],
            leader_epoch: None,
        };
        assert_eq!(t.mirror_record(record), Ok(true));
        t.mirror_partitions(2);
        assert_eq!(t.partition_count(), 5, "a partition holding mirrored records stays");
        t.mirror_partitions(0);
        assert_eq!(t.partition_count(), 5);
    }

    #[test]
    fn a_mirrored_topic_queues_produced_records_for_the_real_one() {
        let mut t = LocalTopic::new("out", 4);
        t.mirror_remote();
        t.forward_produced();
        assert_eq!(t.produce(keyed("foobar", 1), 9), Ok((2, -1)));
        assert_eq!(t.record_count(), 0, "it comes back through the mirror");
        let out = t.take_outbox();
        assert_eq!(out.len(), 1);
        assert_eq!((out[0].partition, out[0].timestamp_ms), (Some(2), Some(9)));
    }
}
