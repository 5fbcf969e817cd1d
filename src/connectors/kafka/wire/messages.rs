//! The requests Sluice sends and the replies it reads, each at one fixed, non-flexible version
//! that every broker since Kafka 1.0 answers (and tansu, the test broker):
//!
//! | API | key | version | for |
//! |---|---|---|---|
//! | Produce | 0 | 3 | sinks (acks=all, record batch v2) |
//! | Fetch | 1 | 4 | sources (read-committed is not needed: isolation READ_UNCOMMITTED as Flink's default) |
//! | ListOffsets | 2 | 1 | `scan.startup.mode` earliest / latest / timestamp |
//! | Metadata | 3 | 1 | partitions and their leaders |
//! | OffsetCommit | 8 | 2 | group offsets, committed as Flink commits them: on checkpoint |
//! | OffsetFetch | 9 | 1 | `scan.startup.mode` = `group-offsets` |
//! | FindCoordinator | 10 | 1 | the group's coordinator |
//! | SaslHandshake | 17 | 1 | `sasl.mechanism` PLAIN, SCRAM-SHA-256/512 |
//! | SaslAuthenticate | 36 | 0 | the SASL exchange |
//!
//! Field names follow the protocol's JSON message definitions (`clients/src/main/resources/
//! common/message/*.json` in Apache Kafka). Replies are decoded with [`Decoder`], so a malformed
//! one is an error naming the field.

use super::codec::{DecodeError, Decoder, Encoder};

pub const PRODUCE: (i16, i16) = (0, 3);
pub const FETCH: (i16, i16) = (1, 4);
pub const LIST_OFFSETS: (i16, i16) = (2, 1);
pub const METADATA: (i16, i16) = (3, 1);
pub const OFFSET_COMMIT: (i16, i16) = (8, 2);
pub const OFFSET_FETCH: (i16, i16) = (9, 1);
pub const FIND_COORDINATOR: (i16, i16) = (10, 1);
pub const SASL_HANDSHAKE: (i16, i16) = (17, 1);
pub const SASL_AUTHENTICATE: (i16, i16) = (36, 0);

/// ListOffsets' special timestamps.
pub use crate::connectors::kafka::remote_start::{EARLIEST, LATEST};

/// Kafka's name for an error code (`Errors.java`), for messages people read.
pub fn error_name(code: i16) -> String {
    let name = match code {
        1 => "OFFSET_OUT_OF_RANGE",
        2 => "CORRUPT_MESSAGE",
        3 => "UNKNOWN_TOPIC_OR_PARTITION",
        5 => "LEADER_NOT_AVAILABLE",
        6 => "NOT_LEADER_OR_FOLLOWER",
        7 => "REQUEST_TIMED_OUT",
        10 => "MESSAGE_TOO_LARGE",
        13 => "NETWORK_EXCEPTION",
        14 => "COORDINATOR_LOAD_IN_PROGRESS",
        15 => "COORDINATOR_NOT_AVAILABLE",
        16 => "NOT_COORDINATOR",
        17 => "INVALID_TOPIC_EXCEPTION",
        19 => "NOT_ENOUGH_REPLICAS",
        25 => "UNKNOWN_MEMBER_ID",
        29 => "TOPIC_AUTHORIZATION_FAILED",
        30 => "GROUP_AUTHORIZATION_FAILED",
        31 => "CLUSTER_AUTHORIZATION_FAILED",
        33 => "UNSUPPORTED_SASL_MECHANISM",
        34 => "ILLEGAL_SASL_STATE",
        35 => "UNSUPPORTED_VERSION",
        58 => "SASL_AUTHENTICATION_FAILED",
        74 => "FENCED_LEADER_EPOCH",
        75 => "UNKNOWN_LEADER_EPOCH",
        _ => return format!("error code {code}"),
    };
    name.to_string()
}

/// Whether asking again (after refreshing metadata) may succeed (`RetriableException`s).
pub fn is_retriable(code: i16) -> bool {
    matches!(code, 2 | 3 | 5 | 6 | 7 | 13 | 14 | 15 | 16 | 19 | 74 | 75)
}

/// A request: its API key and version, and its body.
pub struct Request {
    pub api: (i16, i16),
    pub body: Vec<u8>,
}

// ---- Metadata v1 ----

pub fn metadata(topics: &[&str]) -> Request {
    let mut e = Encoder::new();
    e.array_len(topics.len());
    for t in topics {
        e.string(t);
    }
    Request { api: METADATA, body: e.buf }
}

/// Metadata of every topic of the cluster (a null topic array, Metadata v1 and later).
pub fn metadata_all() -> Request {
    let mut e = Encoder::new();
    e.i32(-1);
    Request { api: METADATA, body: e.buf }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Broker {
    pub node_id: i32,
    pub host: String,
    pub port: i32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TopicMetadata {
    pub error_code: i16,
    pub name: String,
    /// Kafka's own topics (`__consumer_offsets`), which consumers leave out by default.
    pub internal: bool,
    /// (partition, error code, leader node or -1).
    pub partitions: Vec<(i32, i16, i32)>,
}

pub fn metadata_reply(d: &mut Decoder) -> Result<(Vec<Broker>, Vec<TopicMetadata>), DecodeError> {
    let n = d.array_len("brokers")?;
    let mut brokers = Vec::with_capacity(n);
    for _ in 0..n {
        let node_id = d.i32("node_id")?;
        let host = d.string("host")?;
        let port = d.i32("port")?;
        let _rack = d.nullable_string("rack")?;
        brokers.push(Broker { node_id, host, port });
    }
    let _controller = d.i32("controller_id")?;
    let n = d.array_len("topics")?;
    let mut topics = Vec::with_capacity(n);
    for _ in 0..n {
        let error_code = d.i16("error_code")?;
        let name = d.string("name")?;
        let internal = d.bool("is_internal")?;
        let np = d.array_len("partitions")?;
        let mut partitions = Vec::with_capacity(np);
        for _ in 0..np {
            let error = d.i16("error_code")?;
            let index = d.i32("partition_index")?;
            let leader = d.i32("leader_id")?;
            for what in ["replica_nodes", "isr_nodes"] {
                let k = d.array_len(what)?;
                d.take(4 * k, what)?;
            }
            partitions.push((index, error, leader));
        }
        partitions.sort_unstable();
        topics.push(TopicMetadata { error_code, name, internal, partitions });
    }
    Ok((brokers, topics))
}

// ---- ListOffsets v1 ----

pub fn list_offsets(topic: &str, partitions: &[(i32, i64)]) -> Request {
    let mut e = Encoder::new();
    e.i32(-1).array_len(1).string(topic).array_len(partitions.len());
    for &(p, ts) in partitions {
        e.i32(p).i64(ts);
    }
    Request { api: LIST_OFFSETS, body: e.buf }
}

/// (partition, error code, timestamp, offset). Asked for a timestamp with no record at or after
/// it, Kafka answers timestamp -1 and offset -1 (tansu: timestamp -1, offset 0).
pub fn list_offsets_reply(d: &mut Decoder) -> Result<Vec<(i32, i16, i64, i64)>, DecodeError> {
    let mut out = Vec::new();
    for _ in 0..d.array_len("topics")? {
        let _name = d.string("name")?;
        for _ in 0..d.array_len("partitions")? {
            let p = d.i32("partition_index")?;
            let err = d.i16("error_code")?;
            let ts = d.i64("timestamp")?;
            let off = d.i64("offset")?;
            out.push((p, err, ts, off));
        }
    }
    Ok(out)
}

// ---- Fetch v4 ----

/// One fetch of `partitions` (partition, offset) of `topic`, waiting up to `max_wait_ms` for
/// `min_bytes`, at most `max_bytes` in all and `partition_max_bytes` each.
pub fn fetch(topic: &str, partitions: &[(i32, i64)], max_wait_ms: i32, max_bytes: i32, partition_max_bytes: i32) -> Request {
    let mut e = Encoder::new();
    e.i32(-1).i32(max_wait_ms).i32(1).i32(max_bytes).i8(0);
    e.array_len(1).string(topic).array_len(partitions.len());
    for &(p, off) in partitions {
        e.i32(p).i64(off).i32(partition_max_bytes);
    }
    Request { api: FETCH, body: e.buf }
}

/// One partition of a fetch reply; `records` borrows the reply.
pub struct FetchedPartition<'a> {
    pub partition: i32,
    pub error_code: i16,
    pub high_watermark: i64,
    pub records: &'a [u8],
}

pub fn fetch_reply<'a>(d: &mut Decoder<'a>) -> Result<Vec<FetchedPartition<'a>>, DecodeError> {
    let _throttle = d.i32("throttle_time_ms")?;
    let mut out = Vec::new();
    for _ in 0..d.array_len("responses")? {
        let _topic = d.string("topic")?;
        for _ in 0..d.array_len("partitions")? {
            let partition = d.i32("partition_index")?;
            let error_code = d.i16("error_code")?;
            let high_watermark = d.i64("high_watermark")?;
            let _lso = d.i64("last_stable_offset")?;
            let aborted = d.array_len("aborted_transactions")?;
            d.take(16 * aborted, "aborted_transactions")?;
            let records = d.bytes("records")?.unwrap_or(&[]);
            out.push(FetchedPartition { partition, error_code, high_watermark, records });
        }
    }
    Ok(out)
}

// ---- Produce v3 ----

/// Produces one batch per partition, acks=all (-1) as Flink's at-least-once sink needs.
pub fn produce(topic: &str, batches: &[(i32, Vec<u8>)], timeout_ms: i32) -> Request {
    let mut e = Encoder::new();
    e.nullable_string(None).i16(-1).i32(timeout_ms);
    e.array_len(1).string(topic).array_len(batches.len());
    for (p, batch) in batches {
        e.i32(*p).bytes(Some(batch));
    }
    Request { api: PRODUCE, body: e.buf }
}

/// (partition, error code, base offset).
pub fn produce_reply(d: &mut Decoder) -> Result<Vec<(i32, i16, i64)>, DecodeError> {
    let mut out = Vec::new();
    for _ in 0..d.array_len("responses")? {
        let _name = d.string("name")?;
        for _ in 0..d.array_len("partition_responses")? {
            let p = d.i32("index")?;
            let err = d.i16("error_code")?;
            let base = d.i64("base_offset")?;
            let _append_time = d.i64("log_append_time_ms")?;
            out.push((p, err, base));
        }
    }
    let _throttle = d.i32("throttle_time_ms")?;
    Ok(out)
}

// ---- FindCoordinator v1, OffsetCommit v2, OffsetFetch v1 ----

pub fn find_coordinator(group: &str) -> Request {
    let mut e = Encoder::new();
    e.string(group).i8(0);
    Request { api: FIND_COORDINATOR, body: e.buf }
}

/// (error code, error message, the coordinator).
pub fn find_coordinator_reply(d: &mut Decoder) -> Result<(i16, Option<String>, Broker), DecodeError> {
    let _throttle = d.i32("throttle_time_ms")?;
    let err = d.i16("error_code")?;
    let message = d.nullable_string("error_message")?;
    let node_id = d.i32("node_id")?;
    let host = d.string("host")?;
    let port = d.i32("port")?;
    Ok((err, message, Broker { node_id, host, port }))
}

/// Commits offsets outside any group generation (generation -1, no member), as Flink's
/// KafkaSource does: it assigns partitions itself and only stores its position in the group.
pub fn offset_commit(group: &str, topic: &str, offsets: &[(i32, i64)]) -> Request {
    let mut e = Encoder::new();
    e.string(group).i32(-1).string("").i64(-1);
    e.array_len(1).string(topic).array_len(offsets.len());
    for &(p, off) in offsets {
        e.i32(p).i64(off).nullable_string(Some(""));
    }
    Request { api: OFFSET_COMMIT, body: e.buf }
}

/// (partition, error code).
pub fn offset_commit_reply(d: &mut Decoder) -> Result<Vec<(i32, i16)>, DecodeError> {
    let mut out = Vec::new();
    for _ in 0..d.array_len("topics")? {
        let _name = d.string("name")?;
        for _ in 0..d.array_len("partitions")? {
            out.push((d.i32("partition_index")?, d.i16("error_code")?));
        }
    }
    Ok(out)
}

pub fn offset_fetch(group: &str, topic: &str, partitions: &[i32]) -> Request {
    let mut e = Encoder::new();
    e.string(group).array_len(1).string(topic).array_len(partitions.len());
    for &p in partitions {
        e.i32(p);
    }
    Request { api: OFFSET_FETCH, body: e.buf }
}

/// (partition, error code, committed offset; -1 when the group has none).
pub fn offset_fetch_reply(d: &mut Decoder) -> Result<Vec<(i32, i16, i64)>, DecodeError> {
    let mut out = Vec::new();
    for _ in 0..d.array_len("topics")? {
        let _name = d.string("name")?;
        for _ in 0..d.array_len("partitions")? {
            let p = d.i32("partition_index")?;
            let off = d.i64("committed_offset")?;
            let _meta = d.nullable_string("metadata")?;
            let err = d.i16("error_code")?;
            out.push((p, err, off));
        }
    }
    Ok(out)
}

// ---- SASL ----

pub fn sasl_handshake(mechanism: &str) -> Request {
    let mut e = Encoder::new();
    e.string(mechanism);
    Request { api: SASL_HANDSHAKE, body: e.buf }
}

/// (error code, the mechanisms the broker offers).
pub fn sasl_handshake_reply(d: &mut Decoder) -> Result<(i16, Vec<String>), DecodeError> {
    let err = d.i16("error_code")?;
    let n = d.array_len("mechanisms")?;
    let mut mechanisms = Vec::with_capacity(n);
    for _ in 0..n {
        mechanisms.push(d.string("mechanism")?);
    }
    Ok((err, mechanisms))
}

pub fn sasl_authenticate(bytes: &[u8]) -> Request {
    let mut e = Encoder::new();
    e.bytes(Some(bytes));
    Request { api: SASL_AUTHENTICATE, body: e.buf }
}

/// (error code, error message, the server's bytes).
pub fn sasl_authenticate_reply(d: &mut Decoder) -> Result<(i16, Option<String>, Vec<u8>), DecodeError> {
    let err = d.i16("error_code")?;
    let message = d.nullable_string("error_message")?;
    let bytes = d.bytes("auth_bytes")?.unwrap_or(&[]).to_vec();
    Ok((err, message, bytes))
}
