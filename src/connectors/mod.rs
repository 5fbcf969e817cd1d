//! Sources and sinks: local streams, the sensor generator, files, formats.
//!
//! Plain Rust with no web types: the page and the native runner use the same connectors; only
//! the file connector is native-only.

mod decoder;
#[cfg(not(target_arch = "wasm32"))]
mod filesystem;
pub mod format;
pub mod generator;
pub mod local_stream;
mod sink;
mod source;
mod table;

pub use decoder::{decoder_for, Decoder};
pub use generator::{SensorGenerator, SensorRecord};
pub use local_stream::{LocalStream, LocalStreams, StartPosition, StreamReader, StreamRecord};
pub use sink::{open_sink, Sink};
pub use source::{open_source, Files, MemoryFile, ReadMode, Source, SourceStatus};
pub use table::{local_stream_name, validate_table, CONNECTORS};
