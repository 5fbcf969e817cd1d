//! A `filesystem` table's file decoded on every core (natively, `sluice run`): the file is cut
//! into line-aligned chunks, worker threads decode them into columnar batches, and the job takes
//! the batches in file order. Operators see the very rows, in the very order, that the
//! single-threaded [`super::filesystem::FileSource`] gives, so watermarks, window firings and
//! late drops do not change; only the decoding (most of a file query's work) is spread out.
//!
//! Chunk `c` covers bytes `[c·size, (c+1)·size)` and owns the lines that *start* there (a line
//! starts at byte 0 or after a `\n`): a worker reads the byte before its range to know whether
//! the range starts a line, and reads on past the range's end to finish its last line. Worker
//! `w` of `n` decodes chunks `w, w+n, w+2n, …` and hands them over a channel that holds
//! [`IN_FLIGHT`] chunks, so memory stays at about `n × (IN_FLIGHT + 1)` chunks whatever the
//! file's size, and the job reads worker `c mod n`'s channel for chunk `c`: file order with no
//! reordering buffer. Flink reads a file split by split on parallel source tasks; here one
//! source keeps the order a single Flink reader would see.
//!
//! Threads are spawned, not scoped (`std::thread::scope`): a job is stepped by the session a
//! batch at a time, so the workers outlive each step; dropping the reader stops and joins them.

use std::fs::File;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::Arc;
use std::thread::JoinHandle;

use super::decoder::{decoder_for, Decoder};
use super::source::{Files, SourceStatus};
use crate::plan::catalog::TableDef;
use crate::types::{Batch, Field};

/// Decoded chunks a worker may have waiting for the job, besides the one it is decoding.
pub const IN_FLIGHT: usize = 2;

/// How far a worker reads at a time past its range to finish the last line it owns.
const EXTEND_BYTES: usize = 64 * 1024;

/// How `sluice run` reads files: on how many threads, in chunks of how many bytes. One thread
/// (the default, and the page's only choice) is the single-threaded source and decoder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileReading {
    pub threads: usize,
    pub chunk_bytes: usize,
}

impl Default for FileReading {
    fn default() -> Self {
        FileReading { threads: 1, chunk_bytes: 1 << 20 }
    }
}

impl FileReading {
    /// Every core the machine offers (`std::thread::available_parallelism`), 1 MiB chunks.
    pub fn all_cores() -> Self {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        FileReading { threads, ..FileReading::default() }
    }
}

/// A parallel reader for `table` when `reading` asks for more than one thread and the table is a
/// file on disk in `json` or `csv` (what decoding dominates); `None` otherwise (the caller then
/// reads it on one thread).
pub fn open_parallel(table: &TableDef, fields: &[Field], files: &Files, reading: FileReading) -> Result<Option<ParallelFile>, String> {
    if reading.threads <= 1 || table.connector() != "filesystem" || !matches!(table.option("format"), Some("json" | "csv") | None) {
        return Ok(None);
    }
    let path = table.option("path").ok_or("a filesystem table needs 'path'")?;
    if files.get(path).is_some() {
        return Ok(None);
    }
    let decoders = (0..reading.threads).map(|_| decoder_for(table, fields, 0)).collect::<Result<Vec<_>, _>>()?;
    ParallelFile::open(path, decoders, reading.chunk_bytes).map(Some)
}

/// What went wrong reading a file in parallel: the file itself, or a record in it.
#[derive(Clone, Debug, PartialEq)]
pub enum ReadError {
    /// Reading the file failed (the connector's error).
    File(String),
    /// A record could not be decoded (the format's error, naming the record).
    Record(String),
}

/// One chunk's rows, the records it skipped as unreadable, and the error that ended it.
struct Decoded {
    batch: Batch,
    skipped: u64,
    error: Option<ReadError>,
}

/// The next rows of the file, in order; `error` (after `batch`'s rows, which still count, as
/// the rows before a bad record do on one thread) ends the read.
pub struct Polled {
    pub batch: Batch,
    pub status: SourceStatus,
    pub error: Option<ReadError>,
}

pub struct ParallelFile {
    results: Vec<Receiver<Decoded>>,
    workers: Vec<JoinHandle<()>>,
    stop: Arc<AtomicBool>,
    next: u64,
    chunks: u64,
    skipped: u64,
    ended: bool,
}

impl ParallelFile {
    /// Starts one worker per decoder on the file at `path`, cut into `chunk_bytes` chunks.
    pub fn open(path: &str, decoders: Vec<Decoder>, chunk_bytes: usize) -> Result<Self, String> {
        let file = File::open(path).map_err(|e| format!("cannot open '{path}': {e}"))?;
        let len = file.metadata().map_err(|e| format!("reading '{path}': {e}"))?.len();
        let chunk = chunk_bytes.max(1) as u64;
        let chunks = len.div_ceil(chunk);
        let file = Arc::new(file);
        let stop = Arc::new(AtomicBool::new(false));
        let count = decoders.len().max(1) as u64;
        let mut results = Vec::new();
        let mut workers = Vec::new();
        for (w, decoder) in decoders.into_iter().enumerate() {
            let (tx, rx) = sync_channel(IN_FLIGHT);
            let worker = Worker {
                file: file.clone(),
                path: path.to_string(),
                decoder,
                first: w as u64,
                step: count,
                chunks,
                chunk,
                len,
                stop: stop.clone(),
            };
            let handle = std::thread::Builder::new()
                .name(format!("sluice-decode-{w}"))
                .spawn(move || worker.run(tx))
                .map_err(|e| format!("cannot start a thread to read '{path}': {e}"))?;
            results.push(rx);
            workers.push(handle);
        }
        Ok(ParallelFile { results, workers, stop, next: 0, chunks, skipped: 0, ended: chunks == 0 })
    }

    /// The next chunk's rows, in file order (waiting for its worker if need be).
    pub fn poll(&mut self) -> Polled {
        if self.ended || self.next >= self.chunks {
            self.ended = true;
            return Polled { batch: Batch::new(Vec::new(), 0), status: SourceStatus::Ended, error: None };
        }
        let worker = (self.next % self.results.len().max(1) as u64) as usize;
        let received = self.results.get(worker).and_then(|rx| rx.recv().ok());
        let Some(decoded) = received else {
            // A worker stops early only after sending an error, which ends the read before
            // this: it died (a panic in a decoder would be a bug).
            self.ended = true;
            let error = Some(ReadError::File("a decoding thread stopped unexpectedly".into()));
            return Polled { batch: Batch::new(Vec::new(), 0), status: SourceStatus::Ended, error };
        };
        self.next += 1;
        self.skipped += decoded.skipped;
        if decoded.error.is_some() || self.next >= self.chunks {
            self.ended = true;
        }
        let status = if self.ended { SourceStatus::Ended } else { SourceStatus::Progress };
        Polled { batch: decoded.batch, status, error: decoded.error }
    }

    /// Records skipped as unreadable so far (`*.ignore-parse-errors`), in chunks taken.
    pub fn skipped(&self) -> u64 {
        self.skipped
    }
}

impl Drop for ParallelFile {
    fn drop(&mut self) {
        // Workers blocked on a full channel see it closed; the others stop before their next chunk.
        self.stop.store(true, Ordering::Relaxed);
        self.results.clear();
        for handle in self.workers.drain(..) {
            let _ = handle.join();
        }
    }
}

/// One decoding thread: chunks `first, first + step, …` of the file.
struct Worker {
    file: Arc<File>,
    path: String,
    decoder: Decoder,
    first: u64,
    step: u64,
    chunks: u64,
    chunk: u64,
    len: u64,
    stop: Arc<AtomicBool>,
}

impl Worker {
    fn run(mut self, tx: SyncSender<Decoded>) {
        let mut buf = Vec::new();
        let mut c = self.first;
        while c < self.chunks && !self.stop.load(Ordering::Relaxed) {
            let start = c * self.chunk;
            let end = (start + self.chunk).min(self.len);
            let decoded = match read_chunk(&self.file, start, end, self.len, &mut buf) {
                Ok(lines) => decode_lines(&buf[lines], &mut self.decoder),
                Err(e) => Decoded {
                    batch: Batch::new(Vec::new(), 0),
                    skipped: 0,
                    error: Some(ReadError::File(format!("reading '{}': {e}", self.path))),
                },
            };
            let failed = decoded.error.is_some();
            if tx.send(decoded).is_err() || failed {
                return;
            }
            c += self.step;
        }
    }
}

/// Decodes the lines of `data` as the single-threaded source hands them over: split at `\n`,
/// trailing `\r`s dropped, blank lines skipped; stops at the first record in error.
fn decode_lines(data: &[u8], decoder: &mut Decoder) -> Decoded {
    let skipped_before = decoder.skipped();
    let mut error = None;
    for_each_line(data, |line| {
        if error.is_some() {
            return;
        }
        if let Err(e) = decoder.decode(line) {
            error = Some(ReadError::Record(e));
        }
    });
    let batch = decoder.finish();
    Decoded { batch, skipped: decoder.skipped() - skipped_before, error }
}

/// Hands each record of `data` (whole lines) to `out`, as [`super::filesystem::FileSource`] cuts them.
fn for_each_line(data: &[u8], mut out: impl FnMut(&[u8])) {
    let mut from = 0;
    while from < data.len() {
        let to = memchr::memchr(b'\n', &data[from..]).map_or(data.len(), |i| from + i);
        let mut record = &data[from..to];
        while let [rest @ .., b'\r'] = record {
            record = rest;
        }
        if !record.iter().all(u8::is_ascii_whitespace) {
            out(record);
        }
        from = to + 1;
    }
}

/// Reads into `buf` the lines that start in `[start, end)` of a file of `len` bytes (the last
/// one read on to its end), and returns where they are in `buf`. `buf` is only ever grown, never
/// cleared: its bytes past the returned range are stale, and zeroing a chunk's worth of buffer
/// for every chunk cost as much as a tenth of the read.
fn read_chunk(file: &File, start: u64, end: u64, len: u64, buf: &mut Vec<u8>) -> std::io::Result<std::ops::Range<usize>> {
    // The byte before the range says whether the range starts a line.
    let from = start.saturating_sub(1);
    let want = (end - from) as usize;
    if buf.len() < want {
        buf.resize(want, 0);
    }
    let mut filled = read_at_most(file, from, &mut buf[..want])?;
    let first = if start == 0 {
        0
    } else {
        match buf[..filled].first() {
            Some(b'\n') => 1,
            Some(_) => match memchr::memchr(b'\n', &buf[1..filled]) {
                Some(i) => i + 2,
                None => return Ok(0..0),
            },
            None => return Ok(0..0),
        }
    };
    if first >= filled {
        // The only line start in range would be at `end`: the next chunk's.
        return Ok(0..0);
    }
    // The last line started in range; read on to its `\n` (or the end of the file).
    let mut pos = from + filled as u64;
    while pos < len && buf[..filled].last() != Some(&b'\n') {
        let n = EXTEND_BYTES.min((len - pos) as usize);
        if buf.len() < filled + n {
            buf.resize(filled + n, 0);
        }
        let got = read_at_most(file, pos, &mut buf[filled..filled + n])?;
        if got == 0 {
            break;
        }
        let old = filled;
        filled += got;
        pos += got as u64;
        if let Some(i) = memchr::memchr(b'\n', &buf[old..filled]) {
            filled = old + i + 1;
        }
    }
    Ok(first..filled)
}

/// Fills `buf` from `offset`, short only at the end of the file.
fn read_at_most(file: &File, offset: u64, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut done = 0;
    while done < buf.len() {
        let n = read_at(file, offset + done as u64, &mut buf[done..])?;
        if n == 0 {
            break;
        }
        done += n;
    }
    Ok(done)
}

#[cfg(unix)]
fn read_at(file: &File, offset: u64, buf: &mut [u8]) -> std::io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(file, buf, offset)
}

#[cfg(windows)]
fn read_at(file: &File, offset: u64, buf: &mut [u8]) -> std::io::Result<usize> {
    std::os::windows::fs::FileExt::seek_read(file, buf, offset)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connectors::format::json::{JsonDecoder, JsonOptions};
    use crate::connectors::source::SourceStatus;
    use crate::types::{DataType, Field, SqlType, Value};

    fn fields() -> Vec<Field> {
        vec![
            Field { name: "a".into(), ty: SqlType::nullable(DataType::Int) },
            Field { name: "s".into(), ty: SqlType::nullable(DataType::Varchar(crate::types::STRING_LENGTH)) },
        ]
    }

    fn decoder(ignore_errors: bool) -> Decoder {
        let mut options = vec![];
        if ignore_errors {
            options.push(("json.ignore-parse-errors".to_string(), "true".to_string()));
        }
        Decoder::Json(JsonDecoder::new(&fields(), JsonOptions::from_table_options(&options).unwrap()))
    }

    fn rows(batches: &[Batch]) -> Vec<Vec<Value>> {
        let types: Vec<DataType> = fields().into_iter().map(|f| f.ty.data_type).collect();
        batches.iter().flat_map(|b| (0..b.len()).map(|i| b.row(i, &types)).collect::<Vec<_>>()).collect()
    }

    /// What the single-threaded source and decoder give: rows, skipped count, first error.
    fn serial(path: &str, ignore_errors: bool) -> (Vec<Vec<Value>>, u64, Option<String>) {
        let mut source = crate::connectors::filesystem::FileSource::open(path).unwrap();
        let mut d = decoder(ignore_errors);
        let mut error = None;
        while source
            .poll(3, &mut |r| {
                if error.is_none() {
                    error = d.decode(r).err();
                }
            })
            .unwrap()
            != SourceStatus::Ended
        {}
        let batch = d.finish();
        (rows(&[batch]), d.skipped(), error)
    }

    fn parallel(path: &str, threads: usize, chunk: usize, ignore_errors: bool) -> (Vec<Vec<Value>>, u64, Option<String>) {
        let mut file = ParallelFile::open(path, (0..threads).map(|_| decoder(ignore_errors)).collect(), chunk).unwrap();
        let mut batches = Vec::new();
        loop {
            let polled = file.poll();
            batches.push(polled.batch);
            if let Some(e) = polled.error {
                let ReadError::Record(e) = e else { panic!("{e:?}") };
                return (rows(&batches), file.skipped(), Some(e));
            }
            if polled.status == SourceStatus::Ended {
                return (rows(&batches), file.skipped(), None);
            }
        }
    }

    fn with_file(content: &str, check: impl FnOnce(&str)) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("input.jsonl");
        std::fs::write(&path, content).unwrap();
        check(path.to_str().unwrap());
    }

    const AWKWARD: &str = "{\"a\":1,\"s\":\"x\"}\r\n\n   \n{\"a\":2,\"s\":\"a much longer line than most chunks are\"}\n\
        {\"a\":3}\r\r\n\r\n{\"a\":4,\"s\":\"\\n not a line break\"}\n{\"a\":5,\"s\":\"y\"}";

    #[test]
    fn every_chunk_size_and_thread_count_gives_the_single_threaded_rows_in_order() {
        with_file(AWKWARD, |path| {
            let expected = serial(path, false);
            assert_eq!(expected.0.len(), 5);
            for threads in 1..=4 {
                for chunk in 1..=AWKWARD.len() + 1 {
                    assert_eq!(parallel(path, threads, chunk, false), expected, "{threads} threads, {chunk}-byte chunks");
                }
            }
        });
    }

    #[test]
    fn a_bad_record_keeps_the_rows_before_it_and_ends_the_read_with_its_error() {
        let content = "{\"a\":1}\n{\"a\":2}\n{\"a\":\n{\"a\":4}\n";
        with_file(content, |path| {
            let expected = serial(path, false);
            assert!(expected.2.is_some());
            assert_eq!(expected.0.len(), 2);
            for chunk in 1..=content.len() {
                assert_eq!(parallel(path, 3, chunk, false), expected, "{chunk}-byte chunks");
            }
            let skipping = serial(path, true);
            assert_eq!((skipping.0.len(), skipping.1), (3, 1));
            for chunk in 1..=content.len() {
                assert_eq!(parallel(path, 2, chunk, true), skipping, "{chunk}-byte chunks");
            }
        });
    }

    #[test]
    fn an_empty_file_ends_at_once() {
        with_file("", |path| assert_eq!(parallel(path, 2, 16, false), (vec![], 0, None)));
    }

    #[test]
    fn dropping_a_reader_mid_file_stops_its_workers() {
        let content = "{\"a\":1}\n".repeat(10_000);
        with_file(&content, |path| {
            let mut file = ParallelFile::open(path, vec![decoder(false), decoder(false)], 64).unwrap();
            assert_eq!(file.poll().status, SourceStatus::Progress);
            drop(file);
        });
    }
}
