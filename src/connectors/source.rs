//! Sources a job reads: local streams (in the page) and files (natively).

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
    Local(StreamReader),
    #[cfg(not(target_arch = "wasm32"))]
    File(super::filesystem::FileSource),
}

impl Source {
    /// Reads up to `max` records, handing each one's bytes to `out`.
    pub fn poll(&mut self, streams: &LocalStreams, max: usize, out: &mut dyn FnMut(&[u8])) -> Result<SourceStatus, String> {
        match self {
            Source::Local(reader) => {
                let mut n = 0;
                reader.poll(streams, max, &mut |r| {
                    n += 1;
                    out(&r.data)
                });
                Ok(if n == 0 { SourceStatus::Idle } else { SourceStatus::Progress })
            }
            #[cfg(not(target_arch = "wasm32"))]
            Source::File(file) => file.poll(max, out),
        }
    }

    pub fn is_bounded(&self) -> bool {
        match self {
            Source::Local(_) => false,
            #[cfg(not(target_arch = "wasm32"))]
            Source::File(_) => true,
        }
    }
}

pub fn open_source(table: &TableDef, streams: &LocalStreams, now_ms: i64) -> Result<Source, String> {
    match table.connector() {
        "kinesis" => {
            let name = super::table::local_stream_name(table).ok_or("the table names no stream")?;
            if streams.get(&name).is_none() {
                return Err(format!("local stream `{name}` does not exist"));
            }
            let position = table.option("scan.stream.initpos").or(table.option("source.init.position")).unwrap_or("LATEST");
            let start = match position.to_ascii_uppercase().as_str() {
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
            };
            let _ = now_ms;
            Ok(Source::Local(StreamReader::new(streams, &name, start)))
        }
        #[cfg(not(target_arch = "wasm32"))]
        "filesystem" => {
            let path = table.option("path").ok_or("a filesystem table needs 'path'")?;
            Ok(Source::File(super::filesystem::FileSource::open(path)?))
        }
        #[cfg(target_arch = "wasm32")]
        "filesystem" => Err("files are read in the page by picking them (not supported yet); run this with `sluice run`".into()),
        other => Err(format!("connector '{other}' cannot be read")),
    }
}
