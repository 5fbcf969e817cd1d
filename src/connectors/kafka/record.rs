//! One Kafka record as every layer sees it: where it sits (partition, offset), its timestamp,
//! and its bytes. Kafka's own names, so metadata columns (`partition`, `offset`, `timestamp`,
//! `timestamp-type`, `headers`, `leader-epoch`) read straight from it.

/// How a record's timestamp was set (Kafka's `timestamp-type` metadata column prints these).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TimestampType {
    NoTimestampType,
    CreateTime,
    LogAppendTime,
}

impl TimestampType {
    /// Flink's printed form (`Kafka's TimestampType.toString()`).
    pub fn name(self) -> &'static str {
        match self {
            TimestampType::NoTimestampType => "NoTimestampType",
            TimestampType::CreateTime => "CreateTime",
            TimestampType::LogAppendTime => "LogAppendTime",
        }
    }
}

/// A record in a partition of a topic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KafkaRecord {
    pub partition: i32,
    pub offset: i64,
    /// Milliseconds since the epoch; `-1` when the type is [`TimestampType::NoTimestampType`].
    pub timestamp_ms: i64,
    pub timestamp_type: TimestampType,
    /// `None` is a null key (Kafka's default partitioner then sticks to a partition).
    pub key: Option<Vec<u8>>,
    /// `None` is a tombstone (an `upsert-kafka` delete).
    pub value: Option<Vec<u8>>,
    /// In the order they were written; a header's value may be null.
    pub headers: Vec<(String, Option<Vec<u8>>)>,
    pub leader_epoch: Option<i32>,
}
