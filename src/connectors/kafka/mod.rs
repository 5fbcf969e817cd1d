//! Kafka topics: `'connector' = 'kafka'` and `'upsert-kafka'`.
//!
//! As with Kinesis, queries never read a real cluster directly: a topic is a local topic
//! (partitions of records at offsets), and a real topic is *mirrored* into the local topic of the
//! same name, so every query reads Kafka the same way whether the records came from the sensor
//! generator, a file, `sluice run` against a broker, or the page through `sluice proxy`.
//!
//! [`record::KafkaRecord`] is what every layer hands the next: the wire client decodes fetched
//! batches into it, local topics store it, sources decode its key and value with the table's
//! formats and read its metadata columns from it.
//!
//! A real topic is reached natively by the wire client (`mirror.rs` over `wire/`), and from the
//! page through `sluice proxy`'s HTTP routes (`proxy_api.rs`, read by `proxy_reader.rs` and
//! written by `proxy_writer.rs`, run by the page's tasks in `ui/page_kafka.rs`).

pub mod backoff;
pub mod metadata;
#[cfg(not(target_arch = "wasm32"))]
pub mod mirror;
pub mod options;
pub mod partitioner;
pub mod proxy_api;
pub mod proxy_reader;
pub mod proxy_writer;
pub mod record;
pub mod remote;
pub mod remote_start;
pub mod sink;
pub mod source;
pub mod topic;
#[cfg(not(target_arch = "wasm32"))]
pub mod wire;

pub use partitioner::{murmur2, partition_for_key, SinkPartitioner};
pub use record::{KafkaRecord, TimestampType};
pub use remote::RemoteTopics;
pub use topic::{LocalTopic, LocalTopics, ProducerRecord, TopicEnd, TopicReader, TopicRecord, TopicStart};
