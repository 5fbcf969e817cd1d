//! Which partition a produced record goes to: Kafka's default partitioner and Flink's
//! `sink.partitioner` choices.
//!
//! - A keyed record: `toPositive(murmur2(keyBytes)) % numPartitions`, exactly Kafka's
//!   `BuiltInPartitioner.partitionForKey` over `Utils.murmur2` and `Utils.toPositive`, so a key
//!   lands where a Java producer would put it.
//! - A null key: Kafka's sticky partitioning (KIP-480, `BuiltInPartitioner` since 3.3): records
//!   stick to one partition until a batch's worth (`batch.size`, 16384 bytes) went there, then
//!   another is chosen at random. Ours chooses with a pseudo-random sequence seeded by the topic
//!   name, so a note gives the same partitions every run.
//! - Flink's `sink.partitioner` = `fixed` (`FlinkFixedPartitioner`: sink subtask i writes to
//!   partition i mod n; Sluice runs one subtask, so partition 0) and `round-robin` (Kafka's
//!   `RoundRobinPartitioner`).

use super::topic::ProducerRecord;

/// Kafka's `Utils.murmur2`: the 32-bit MurmurHash2 with Kafka's seed, as a Java `int`.
pub fn murmur2(data: &[u8]) -> i32 {
    const SEED: u32 = 0x9747_b28c;
    const M: u32 = 0x5bd1_e995;
    const R: u32 = 24;
    // Java's `int` arithmetic wraps; the casts keep the bits.
    let mut h: u32 = SEED ^ (data.len() as u32);
    let mut chunks = data.chunks_exact(4);
    for chunk in &mut chunks {
        let mut k = u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
        k = k.wrapping_mul(M);
        k ^= k >> R;
        k = k.wrapping_mul(M);
        h = h.wrapping_mul(M);
        h ^= k;
    }
    let tail = chunks.remainder();
    if tail.len() >= 3 {
        h ^= u32::from(tail[2]) << 16;
    }
    if tail.len() >= 2 {
        h ^= u32::from(tail[1]) << 8;
    }
    if !tail.is_empty() {
        h ^= u32::from(tail[0]);
        h = h.wrapping_mul(M);
    }
    h ^= h >> 13;
    h = h.wrapping_mul(M);
    h ^= h >> 15;
    h as i32
}

/// Kafka's `Utils.toPositive`: the sign bit cleared (not the absolute value).
pub fn to_positive(n: i32) -> i32 {
    n & 0x7fff_ffff
}

/// The partition Kafka's default partitioner gives a record with this key among `partitions`.
pub fn partition_for_key(key: &[u8], partitions: usize) -> i32 {
    let n = partitions.max(1) as i64;
    (i64::from(to_positive(murmur2(key))) % n) as i32
}

/// The real topic's partition for a record produced on a local topic of `local` partitions: when
/// the counts agree, the local choice (the sink's partitioner ran over the same count); otherwise
/// a keyed record goes where Kafka's default partitioner puts it among the real topic's `n`, and
/// a record without a key keeps its local partition wrapped into range.
pub fn real_partition(r: &ProducerRecord, local: i32, n: i32) -> i32 {
    match (&r.key, r.partition) {
        (_, Some(p)) if local == n && (0..n).contains(&p) => p,
        (Some(key), _) => partition_for_key(key, n as usize),
        (None, p) => p.unwrap_or(0).rem_euclid(n.max(1)),
    }
}

/// Kafka producer's default `batch.size`: the bytes a sticky partition takes before switching.
pub const STICKY_BATCH_BYTES: usize = 16_384;

/// The partition records without a key stick to, and when to move on.
#[derive(Clone, Debug)]
pub struct StickyPartitioner {
    current: Option<i32>,
    produced_bytes: usize,
    rng: u64,
}

impl StickyPartitioner {
    pub fn new(topic: &str) -> Self {
        // FNV-1a of the name: a seed that differs per topic and repeats per run.
        let seed = topic.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
        StickyPartitioner { current: None, produced_bytes: 0, rng: seed }
    }

    /// The partition a record of `record_bytes` without a key goes to among `partitions`.
    pub fn next(&mut self, partitions: usize, record_bytes: usize) -> i32 {
        let n = partitions.max(1);
        let partition = match self.current {
            Some(p) if (p as usize) < n => p,
            _ => {
                let p = (self.random() % n as u64) as i32;
                self.current = Some(p);
                self.produced_bytes = 0;
                p
            }
        };
        self.produced_bytes += record_bytes.max(1);
        if self.produced_bytes >= STICKY_BATCH_BYTES {
            // The batch is full: the next record starts a batch on another partition.
            self.current = None;
        }
        partition
    }

    /// splitmix64.
    fn random(&mut self) -> u64 {
        self.rng = self.rng.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.rng;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

/// Flink's `sink.partitioner` for a Kafka table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SinkPartitioner {
    /// `default`: Kafka's partitioner (murmur2 of the key, sticky for records without one).
    Default,
    /// `fixed`: every record of a sink subtask to one partition (subtask 0 → partition 0).
    Fixed,
    /// `round-robin`: each record to the next partition in turn.
    RoundRobin,
}

impl SinkPartitioner {
    /// Reads `sink.partitioner`; a class name (a custom `FlinkKafkaPartitioner`) cannot run here.
    pub fn parse(value: &str) -> Result<Self, String> {
        match value {
            "default" => Ok(SinkPartitioner::Default),
            "fixed" => Ok(SinkPartitioner::Fixed),
            "round-robin" => Ok(SinkPartitioner::RoundRobin),
            other => Err(format!(
                "Could not find and instantiate partitioner class '{other}': Sluice runs only the built-in partitioners 'default', 'fixed' and 'round-robin'"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn murmur2_gives_kafkas_values() {
        // Kafka's UtilsTest.testMurmur2.
        let cases: [(&[u8], i32); 6] = [
            (b"21", -973_932_308),
            (b"foobar", -790_332_482),
            (b"a-little-bit-long-string", -985_981_536),
            (b"a-little-bit-longer-string", -1_486_304_829),
            (b"lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58_897_971),
            (b"abc", 479_470_107),
        ];
        for (data, want) in cases {
            assert_eq!(murmur2(data), want, "{}", String::from_utf8_lossy(data));
        }
    }

    #[test]
    fn to_positive_clears_the_sign_bit() {
        assert_eq!(to_positive(-1), i32::MAX);
        assert_eq!(to_positive(i32::MIN), 0);
        assert_eq!(to_positive(-790_332_482), 1_357_151_166);
    }

    #[test]
    fn keys_map_to_kafkas_partitions() {
        assert_eq!(partition_for_key(b"foobar", 4), 1_357_151_166 % 4);
        assert_eq!(partition_for_key(b"21", 3), ((-973_932_308i32 & 0x7fff_ffff) % 3));
        assert_eq!(partition_for_key(b"", 1), 0);
    }

    #[test]
    fn null_keys_stick_to_a_partition_for_a_batch_then_move() {
        let mut s = StickyPartitioner::new("t");
        let first = s.next(4, 1000);
        for _ in 0..15 {
            assert_eq!(s.next(4, 1000), first, "16 records of 1000 bytes fill one batch");
        }
        let mut chosen = vec![first];
        for _ in 0..40 {
            let p = s.next(4, STICKY_BATCH_BYTES);
            assert!((0..4).contains(&p));
            chosen.push(p);
        }
        assert!((0..4).all(|p| chosen.contains(&p)), "every partition gets batches: {chosen:?}");
        let mut again = StickyPartitioner::new("t");
        assert_eq!(again.next(4, 1000), first, "the same topic sticks the same way every run");
    }

    #[test]
    fn sink_partitioner_names_are_flinks() {
        assert_eq!(SinkPartitioner::parse("round-robin"), Ok(SinkPartitioner::RoundRobin));
        assert!(SinkPartitioner::parse("com.example.MyPartitioner").unwrap_err().contains("com.example.MyPartitioner"));
    }
}
