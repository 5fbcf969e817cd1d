//! Sources a job reads: local streams (in the page) and files (natively).

use std::sync::Arc;

use super::format::bool_option;
use super::kafka::source::RecordRef;
use super::kafka::LocalTopics;
use super::local_stream::{LocalStreams, StartPosition, StreamReader};
use crate::plan::catalog::TableDef;
use crate::types::parse_timestamp;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceStatus {
    /// Records were read; there may be more right away.
    Progress,
    /// Nothing new right now (an unbounded source waiting for data).
    Idle,
    /// A bounded source has no more records.
    Ended,
}

pub enum Source {
    Local(LocalSource),
    /// A file the page was given (or a test put in memory), read line by line.
    Memory(MemoryFile),
    #[cfg(not(target_arch = "wasm32"))]
    File(super::filesystem::FileSource),
    /// Flink's `datagen`: rows made up on the session clock.
    Datagen(super::datagen::DatagenSource),
    /// A Kafka table's local topics.
    Kafka(Box<super::kafka::source::KafkaSource>),
}

impl Source {
    /// Reads up to `max` records due by `now_ms` (the session clock), handing each to `out`.
    pub fn poll(
        &mut self,
        streams: &LocalStreams,
        topics: &LocalTopics,
        now_ms: i64,
        max: usize,
        out: &mut dyn FnMut(RecordRef<'_>),
    ) -> Result<SourceStatus, String> {
        let bytes = &mut |b: &[u8]| out(RecordRef::Bytes(b));
        match self {
            Source::Datagen(g) => Ok(g.poll(now_ms, max, bytes)),
            Source::Local(local) => local.poll(streams, max, bytes),
            Source::Memory(file) => Ok(file.poll(max, bytes)),
            #[cfg(not(target_arch = "wasm32"))]
            Source::File(file) => file.poll(max, bytes),
            Source::Kafka(kafka) => kafka.poll(topics, max, out),
        }
    }

    /// For a source of splits with watermarks of their own (Kafka's partitions): how many it
    /// reads now, and `scan.watermark.idle-timeout`.
    pub fn splits(&self) -> Option<(usize, Option<i64>)> {
        match self {
            Source::Kafka(kafka) => Some((kafka.split_count(), kafka.idle_timeout_ms())),
            _ => None,
        }
    }

    /// A Kafka table's read positions: per topic, per partition, the offset after the last
    /// record read (what its consumer group commits).
    pub fn kafka_offsets(&self) -> Vec<(String, std::collections::BTreeMap<i32, i64>)> {
        match self {
            Source::Kafka(kafka) => kafka.consumed_offsets().map(|(t, o)| (t.to_string(), o.clone())).collect(),
            _ => Vec::new(),
        }
    }

    pub fn is_bounded(&self) -> bool {
        match self {
            Source::Local(local) => local.reader.is_bounded(),
            Source::Memory(_) => true,
            #[cfg(not(target_arch = "wasm32"))]
            Source::File(_) => true,
            Source::Datagen(g) => g.is_bounded(),
            Source::Kafka(kafka) => kafka.is_bounded(),
        }
    }

    /// A bounded source read to its end in one go (the native runner, batch mode) does not wait
    /// for the clock: its remaining records are all due now.
    pub fn read_without_pacing(&mut self) {
        if let Source::Datagen(g) = self {
            if g.is_bounded() {
                g.stop_pacing();
            }
        }
    }
}

/// A local stream read by a job, and what it does with a record mirrored from Kinesis that came
/// without usable data ([`super::local_stream::StreamRecord::fault`]): skipped where the table's
/// format ignores parse errors (`json.ignore-parse-errors`, `csv.ignore-parse-errors`), as any
/// record the format cannot read; otherwise the job stops on it, the error naming the record.
pub struct LocalSource {
    reader: StreamReader,
    skip_faults: bool,
    skipped: u64,
}

impl LocalSource {
    fn new(reader: StreamReader, table: &TableDef) -> Self {
        let key = match table.option("format") {
            Some("csv") => Some("csv.ignore-parse-errors"),
            Some("raw") => None,
            Some("debezium-json") => Some("debezium-json.ignore-parse-errors"),
            _ => Some("json.ignore-parse-errors"),
        };
        // A bad value is the decoder's error to report; here it skips nothing.
        let skip_faults = key.is_some_and(|key| bool_option(&table.options, key).unwrap_or(false));
        LocalSource { reader, skip_faults, skipped: 0 }
    }

    fn poll(&mut self, streams: &LocalStreams, max: usize, out: &mut dyn FnMut(&[u8])) -> Result<SourceStatus, String> {
        let (mut n, mut fault) = (0, None::<std::sync::Arc<str>>);
        let skip_faults = self.skip_faults;
        let skipped = &mut self.skipped;
        self.reader.poll(streams, max, &mut |r| {
            n += 1;
            match r.fault {
                // After a fault the job stops: what follows is not handed over.
                _ if fault.is_some() => {}
                None => out(r.data),
                Some(_) if skip_faults => *skipped += 1,
                Some(f) => fault = Some(f.clone()),
            }
        });
        if let Some(fault) = fault {
            return Err(format!("a record could not be read: {fault}"));
        }
        Ok(if self.reader.is_done(streams) {
            SourceStatus::Ended
        } else if n == 0 {
            SourceStatus::Idle
        } else {
            SourceStatus::Progress
        })
    }
}

impl Source {
    /// Records without usable data that the source skipped (see [`LocalSource`]).
    pub fn skipped(&self) -> u64 {
        match self {
            Source::Local(local) => local.skipped,
            _ => 0,
        }
    }
}

/// Files given to the session by content (the page cannot read paths), by path.
#[derive(Default)]
pub struct Files {
    files: std::collections::BTreeMap<String, Arc<[u8]>>,
}

impl Files {
    pub fn add(&mut self, path: &str, data: Vec<u8>) {
        self.files.insert(path.to_string(), data.into());
    }

    pub fn get(&self, path: &str) -> Option<Arc<[u8]>> {
        self.files.get(path).cloned()
    }

    pub fn paths(&self) -> impl Iterator<Item = &String> {
        self.files.keys()
    }
}

/// A bounded source over bytes in memory: JSON lines, in order.
pub struct MemoryFile {
    data: Arc<[u8]>,
    pos: usize,
}

impl MemoryFile {
    pub fn new(data: Arc<[u8]>) -> Self {
        MemoryFile { data, pos: 0 }
    }

    fn poll(&mut self, max: usize, out: &mut dyn FnMut(&[u8])) -> SourceStatus {
        for _ in 0..max {
            if self.pos >= self.data.len() {
                return SourceStatus::Ended;
            }
            let rest = &self.data[self.pos..];
            // memchr: SIMD where the target has it, word-at-a-time otherwise (3–4× a byte loop on ~100-byte lines).
            let len = memchr::memchr(b'\n', rest).unwrap_or(rest.len());
            self.pos += len + 1;
            let mut line = &rest[..len];
            while let [head @ .., b'\r'] = line {
                line = head;
            }
            if !line.iter().all(u8::is_ascii_whitespace) {
                out(line);
            }
        }
        if self.pos >= self.data.len() {
            SourceStatus::Ended
        } else {
            SourceStatus::Progress
        }
    }
}

/// How a job reads its table: continuously (streaming) or what is there now, then the end
/// (batch mode).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadMode {
    Streaming,
    Batch,
}

/// Where a Kinesis table starts reading: `scan.stream.initpos` (legacy) or
/// `source.init.position` (current connector), LATEST unless said otherwise.
pub fn start_position(table: &TableDef) -> Result<StartPosition, String> {
    let position = table.option("scan.stream.initpos").or(table.option("source.init.position")).unwrap_or("LATEST");
    Ok(match position.to_ascii_uppercase().as_str() {
        "TRIM_HORIZON" => StartPosition::TrimHorizon,
        "AT_TIMESTAMP" => {
            let ts = table
                .option("scan.stream.initpos-timestamp")
                .or(table.option("source.init.timestamp"))
                .ok_or("AT_TIMESTAMP needs 'scan.stream.initpos-timestamp'")?;
            let ms = ts
                .parse::<f64>()
                .map(|secs| (secs * 1000.0) as i64)
                .ok()
                .or_else(|| parse_timestamp(ts))
                .ok_or_else(|| format!("'{ts}' is not a timestamp (seconds since the epoch, or yyyy-MM-ddTHH:mm:ss)"))?;
            StartPosition::AtTimestamp(ms)
        }
        _ => StartPosition::Latest,
    })
}

pub fn open_source(
    table: &TableDef,
    streams: &LocalStreams,
    topics: &LocalTopics,
    files: &Files,
    mode: ReadMode,
) -> Result<Source, String> {
    match table.connector() {
        // An `upsert-kafka` table reads its records as an upsert changelog: the planner puts
        // `ChangelogNormalize` over it.
        "kafka" | "upsert-kafka" => {
            let options = super::kafka::options::KafkaTable::from_table(table)?;
            Ok(Source::Kafka(Box::new(super::kafka::source::KafkaSource::open(options, topics, mode == ReadMode::Batch)?)))
        }
        "kinesis" => {
            let name = super::table::local_stream_name(table).ok_or("the table names no stream")?;
            if streams.get(&name).is_none() {
                return Err(format!("local stream `{name}` does not exist"));
            }
            let start = start_position(table)?;
            if mode == ReadMode::Batch {
                return Ok(Source::Local(LocalSource::new(StreamReader::snapshot(streams, &name), table)));
            }
            Ok(Source::Local(LocalSource::new(StreamReader::new(streams, &name, start), table)))
        }
        "filesystem" => {
            let path = table.option("path").ok_or("a filesystem table needs 'path'")?;
            if let Some(data) = files.get(path) {
                return Ok(Source::Memory(MemoryFile::new(data)));
            }
            #[cfg(not(target_arch = "wasm32"))]
            return Ok(Source::File(super::filesystem::FileSource::open(path)?));
            #[cfg(target_arch = "wasm32")]
            Err(format!("file `{path}` is not in the page; open it in the page first, or run this script with `sluice run`"))
        }
        "datagen" => Ok(Source::Datagen(super::datagen::DatagenSource::new(&super::datagen::DatagenOptions::from_table(table)?))),
        "print" | "blackhole" => {
            Err(format!("Connector '{}' can only be used as a sink. It cannot be used as a source.", table.connector()))
        }
        other => Err(format!("connector '{other}' cannot be read")),
    }
}
