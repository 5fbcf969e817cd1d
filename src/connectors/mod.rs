//! Sources and sinks: local streams, the sensor generator, Flink's `datagen`, `print` and
//! `blackhole`, files, formats, and real Kinesis streams mirrored into local streams.
//!
//! Plain Rust with no web types: the page and the native runner use the same connectors; only
//! the file connector and Kinesis's HTTP transport and threads are native-only.

pub mod datagen;
mod decoder;
#[cfg(not(target_arch = "wasm32"))]
mod filesystem;
pub mod format;
pub mod generator;
pub mod kafka;
pub mod kinesis;
pub mod local_stream;
mod parallel_file;
mod print;
mod remote_link;
pub mod scenario;
mod sink;
mod source;
mod table;
mod values;

pub use decoder::{decoder_for, decoder_for_format, takes_projection, Decoder};
pub use generator::{Disorder, RecordWriter, SensorGenerator, SensorRecord};
pub use kafka::source::RecordRef;
pub use kinesis::{RemoteEvent, RemoteStreams};
pub use local_stream::{LocalStream, LocalStreams, StartPosition, StreamReader, StreamRecord};
pub use parallel_file::{
    decode_lines, open_parallel, read_chunk, Chunk, ChunkDecoders, ChunkPlan, DecodePool, Decoded, DecoderSpec, FileReading, ParallelFile,
    Polled, ReadError,
};
pub use scenario::{ActiveScenario, Scenario};
pub use sink::{open_sink, Sink, MAX_PRINTED_LINES};
pub use source::{open_source, start_position, Files, MemoryFile, ReadMode, Source, SourceStatus};
pub use table::{local_stream_name, local_topic_names, validate_table, CONNECTORS};
pub use values::ValuesSource;
