//! A `filesystem` table's file decoded on several cores: the file is cut into line-aligned
//! chunks, decoders elsewhere turn them into columnar batches, and the job takes the batches in
//! file order. Operators see the very rows, in the very order, that the single-threaded source
//! gives (`filesystem::FileSource` natively, [`super::MemoryFile`] in the page), so watermarks,
//! window firings and late drops do not change; only the decoding (most of a file query's work)
//! is spread out. Flink reads a file split by split on parallel source tasks; here one source
//! keeps the order a single Flink reader would see.
//!
//! This file holds what every way of decoding shares: the chunk plan ([`ChunkPlan`], [`read_chunk`]),
//! how a chunk's lines are decoded ([`decode_lines`]), and the in-order hand-over with its
//! skipped counts and error rules ([`ParallelFile`]). *Who* decodes chunk `c` is a backend,
//! [`ChunkDecoders`]:
//! - natively, threads of this process (`threads.rs`): asking for a chunk waits for it;
//! - in the page, a pool of decode workers the page's edge provides (`pool.rs`, [`DecodePool`]):
//!   a chunk not back yet is "nothing yet" ([`SourceStatus::Idle`]), and the job is polled again
//!   on a later step.

mod pool;
#[cfg(not(target_arch = "wasm32"))]
mod threads;

use std::sync::Arc;

use super::decoder::Decoder;
use super::source::{Files, SourceStatus};
use crate::plan::catalog::TableDef;
use crate::types::{Batch, Field};

pub use pool::{DecodePool, DecoderSpec, PoolDecoders};
#[cfg(not(target_arch = "wasm32"))]
pub use threads::ThreadDecoders;

/// Decoded chunks a decoder may have waiting for the job, besides the one it is decoding.
pub const IN_FLIGHT: usize = 2;

/// How far a reader reads at a time past a chunk's range to finish the last line it owns.
const EXTEND_BYTES: usize = 64 * 1024;

/// How a session reads files: with how many decoders, in chunks of how many bytes. One decoder
/// (the default) is the single-threaded source and decoder.
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

/// A parallel reader for `table` when the table is a file in `json` or `csv` (what decoding
/// dominates): a file the session holds (given by the page) goes to `pool` when there is one;
/// a file on disk (natively) to `reading.threads` threads when that is more than one.
/// `None` otherwise (the caller then reads it on one thread).
pub fn open_parallel(
    table: &TableDef,
    fields: &[Field],
    read: Option<&[bool]>,
    files: &Files,
    reading: FileReading,
    pool: Option<&Arc<dyn DecodePool>>,
) -> Result<Option<ParallelFile>, String> {
    if table.connector() != "filesystem" || !matches!(table.option("format"), Some("json" | "csv") | None) {
        return Ok(None);
    }
    let path = table.option("path").ok_or("a filesystem table needs 'path'")?;
    if let Some(data) = files.get(path) {
        // The edge gives a pool only where decoders can run beside the session (the page's
        // decode workers, even one of them: decoding then leaves the session's thread).
        let Some(pool) = pool else { return Ok(None) };
        let spec = DecoderSpec::of(table, fields, read);
        // The spec is checked here, so a bad option is the job's error before any chunk is sent.
        spec.decoder()?;
        let plan = ChunkPlan::new(data.len() as u64, reading.chunk_bytes);
        let decoders = PoolDecoders::new(pool.clone(), spec, data, plan);
        return Ok(Some(ParallelFile::new(plan, Box::new(decoders))));
    }
    #[cfg(not(target_arch = "wasm32"))]
    if reading.threads > 1 {
        let decoders = (0..reading.threads).map(|_| super::decoder::decoder_for(table, fields, read, 0)).collect::<Result<Vec<_>, _>>()?;
        return ParallelFile::open(path, decoders, reading.chunk_bytes).map(Some);
    }
    Ok(None)
}

/// How a file of `len` bytes is cut: chunk `c` covers bytes `[c·chunk, (c+1)·chunk)` and owns
/// the lines that *start* there (a line starts at byte 0 or after a `\n`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChunkPlan {
    pub len: u64,
    pub chunk: u64,
}

impl ChunkPlan {
    pub fn new(len: u64, chunk_bytes: usize) -> Self {
        ChunkPlan { len, chunk: chunk_bytes.max(1) as u64 }
    }

    pub fn chunks(&self) -> u64 {
        self.len.div_ceil(self.chunk)
    }

    /// The bytes chunk `c` covers (its lines may run on past the end).
    pub fn range(&self, c: u64) -> (u64, u64) {
        let start = c.saturating_mul(self.chunk).min(self.len);
        (start, start.saturating_add(self.chunk).min(self.len))
    }
}

/// What went wrong reading a file in parallel: the file itself, or a record in it.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum ReadError {
    /// Reading the file failed (the connector's error).
    File(String),
    /// A record could not be decoded (the format's error, naming the record).
    Record(String),
}

/// One chunk's rows, the records it skipped as unreadable, and the error that ended it.
#[derive(Debug, PartialEq)]
pub struct Decoded {
    pub batch: Batch,
    pub skipped: u64,
    pub error: Option<ReadError>,
}

/// A backend's answer for one chunk.
pub enum Chunk {
    /// Decoded.
    Ready(Decoded),
    /// Not back yet: ask again later.
    Pending,
    /// Will never come (a decoder died): the read ends with this error.
    Lost(String),
}

/// Who decodes the chunks. The job asks for chunks `0, 1, 2, …` in order, each until it is
/// [`Chunk::Ready`]; a backend decodes ahead as it likes.
pub trait ChunkDecoders: Send {
    fn take(&mut self, c: u64) -> Chunk;
}

/// The next rows of the file, in order; `error` (after `batch`'s rows, which still count, as
/// the rows before a bad record do on one thread) ends the read.
pub struct Polled {
    pub batch: Batch,
    pub status: SourceStatus,
    pub error: Option<ReadError>,
}

/// The in-order hand-over of a file's decoded chunks to the job.
pub struct ParallelFile {
    decoders: Box<dyn ChunkDecoders>,
    next: u64,
    chunks: u64,
    skipped: u64,
    ended: bool,
}

impl ParallelFile {
    /// The file of `plan`, its chunks decoded by `decoders`.
    pub fn new(plan: ChunkPlan, decoders: Box<dyn ChunkDecoders>) -> Self {
        let chunks = plan.chunks();
        ParallelFile { decoders, next: 0, chunks, skipped: 0, ended: chunks == 0 }
    }

    /// Reads the file at `path` on one thread per decoder, cut into `chunk_bytes` chunks.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn open(path: &str, decoders: Vec<Decoder>, chunk_bytes: usize) -> Result<Self, String> {
        let (plan, threads) = ThreadDecoders::open(path, decoders, chunk_bytes)?;
        Ok(ParallelFile::new(plan, Box::new(threads)))
    }

    /// The next chunk's rows, in file order: [`SourceStatus::Idle`] with no rows while the
    /// chunk is not back from its decoder.
    pub fn poll(&mut self) -> Polled {
        let nothing = |status, error| Polled { batch: Batch::new(Vec::new(), 0), status, error };
        if self.ended || self.next >= self.chunks {
            self.ended = true;
            return nothing(SourceStatus::Ended, None);
        }
        let decoded = match self.decoders.take(self.next) {
            Chunk::Ready(decoded) => decoded,
            Chunk::Pending => return nothing(SourceStatus::Idle, None),
            Chunk::Lost(why) => {
                self.ended = true;
                return nothing(SourceStatus::Ended, Some(ReadError::File(why)));
            }
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

/// Decodes the lines of `data` as the single-threaded source hands them over: split at `\n`,
/// trailing `\r`s dropped, blank lines skipped; stops at the first record in error.
pub fn decode_lines(data: &[u8], decoder: &mut Decoder) -> Decoded {
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

/// Hands each record of `data` (whole lines) to `out`, as the single-threaded sources cut them.
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

/// Bytes read at an offset: a file on disk, or bytes in memory.
pub trait ReadAt {
    /// Fills as much of `buf` as there is from `offset` (0 at the end).
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> std::io::Result<usize>;
}

impl ReadAt for [u8] {
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> std::io::Result<usize> {
        let from = usize::try_from(offset).unwrap_or(usize::MAX).min(self.len());
        let n = buf.len().min(self.len() - from);
        buf[..n].copy_from_slice(&self[from..from + n]);
        Ok(n)
    }
}

#[cfg(unix)]
impl ReadAt for std::fs::File {
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> std::io::Result<usize> {
        std::os::unix::fs::FileExt::read_at(self, buf, offset)
    }
}

#[cfg(windows)]
impl ReadAt for std::fs::File {
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> std::io::Result<usize> {
        std::os::windows::fs::FileExt::seek_read(self, buf, offset)
    }
}

/// Reads into `buf` the lines chunk `c` of `plan` owns (the last one read on to its end), and
/// returns where they are in `buf`. A reader reads the byte before the chunk to know whether the
/// chunk starts a line, and on past its end to finish its last line. `buf` is only ever grown,
/// never cleared: its bytes past the returned range are stale, and zeroing a chunk's worth of
/// buffer for every chunk cost as much as a tenth of the read.
pub fn read_chunk<R: ReadAt + ?Sized>(source: &R, plan: ChunkPlan, c: u64, buf: &mut Vec<u8>) -> std::io::Result<std::ops::Range<usize>> {
    let (start, end) = plan.range(c);
    let len = plan.len;
    if start >= end {
        return Ok(0..0);
    }
    // The byte before the range says whether the range starts a line.
    let from = start.saturating_sub(1);
    let want = (end - from) as usize;
    if buf.len() < want {
        buf.resize(want, 0);
    }
    let mut filled = read_at_most(source, from, &mut buf[..want])?;
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
        let got = read_at_most(source, pos, &mut buf[filled..filled + n])?;
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

/// Fills `buf` from `offset`, short only at the end of the source.
fn read_at_most<R: ReadAt + ?Sized>(source: &R, offset: u64, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut done = 0;
    while done < buf.len() {
        let n = source.read_at(offset + done as u64, &mut buf[done..])?;
        if n == 0 {
            break;
        }
        done += n;
    }
    Ok(done)
}

// Files on disk and threads: native only (the pool's tests need neither, but compare with them).
#[cfg(all(test, not(target_arch = "wasm32")))]
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

    /// A read's rows, skipped count and record error.
    type Read = (Vec<Vec<Value>>, u64, Option<String>);

    /// What the single-threaded source and decoder give: rows, skipped count, first error.
    fn serial(path: &str, ignore_errors: bool) -> Read {
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

    fn parallel(path: &str, threads: usize, chunk: usize, ignore_errors: bool) -> Read {
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

    /// A pool that decodes what it is given at once but answers in its own time: chunk `c` is
    /// back only after it has been asked for `late(c)` times, and `lost` never comes back.
    struct FakePool {
        size: usize,
        late: fn(u64) -> u32,
        lost: Option<u64>,
        ignore_errors: bool,
        state: std::sync::Mutex<FakeState>,
    }

    #[derive(Default)]
    struct FakeState {
        next_read: u64,
        done: std::collections::HashMap<(u64, u64), (Decoded, u32)>,
        closed: Vec<u64>,
        most_waiting: usize,
    }

    impl FakePool {
        fn new(size: usize, late: fn(u64) -> u32, lost: Option<u64>, ignore_errors: bool) -> Arc<FakePool> {
            Arc::new(FakePool { size, late, lost, ignore_errors, state: Default::default() })
        }
    }

    impl DecodePool for FakePool {
        fn size(&self) -> usize {
            self.size
        }
        fn open(&self, spec: &DecoderSpec) -> u64 {
            assert_eq!(spec.fields, fields());
            let mut state = self.state.lock().unwrap();
            state.next_read += 1;
            state.next_read
        }
        fn submit(&self, read: u64, c: u64, lines: &[u8]) {
            // A fresh decoder per chunk, as a decode worker that has not seen this read may use.
            let decoded = decode_lines(lines, &mut decoder(self.ignore_errors));
            let mut state = self.state.lock().unwrap();
            state.done.insert((read, c), (decoded, (self.late)(c)));
            let waiting = state.done.len();
            state.most_waiting = state.most_waiting.max(waiting);
        }
        fn take(&self, read: u64, c: u64) -> Option<Result<Decoded, String>> {
            if self.lost == Some(c) {
                return Some(Err("a decode worker stopped".into()));
            }
            let mut state = self.state.lock().unwrap();
            let (_, wait) = state.done.get_mut(&(read, c)).expect("asked for a chunk never submitted");
            if *wait > 0 {
                *wait -= 1;
                return None;
            }
            state.done.remove(&(read, c)).map(|(d, _)| Ok(d))
        }
        fn close(&self, read: u64) {
            let mut state = self.state.lock().unwrap();
            state.done.retain(|(r, _), _| *r != read);
            state.closed.push(read);
        }
    }

    /// Reads `content` through `pool` as a job does: polling again while nothing is back.
    fn pooled(content: &str, pool: &Arc<FakePool>, chunk: usize) -> (Read, Option<ReadError>, u32) {
        let data: Arc<[u8]> = content.as_bytes().into();
        let plan = ChunkPlan::new(data.len() as u64, chunk);
        let spec = DecoderSpec { format: "json".into(), fields: fields(), options: vec![], read: None };
        let pool_dyn: Arc<dyn DecodePool> = pool.clone();
        let mut file = ParallelFile::new(plan, Box::new(PoolDecoders::new(pool_dyn, spec, data, plan)));
        let mut batches = Vec::new();
        let mut idle = 0;
        loop {
            let polled = file.poll();
            if polled.status == SourceStatus::Idle {
                assert!(polled.batch.is_empty() && polled.error.is_none());
                idle += 1;
                continue;
            }
            batches.push(polled.batch);
            match polled.error {
                Some(ReadError::Record(e)) => return ((rows(&batches), file.skipped(), Some(e)), None, idle),
                Some(e) => return ((rows(&batches), file.skipped(), None), Some(e), idle),
                None if polled.status == SourceStatus::Ended => return ((rows(&batches), file.skipped(), None), None, idle),
                None => {}
            }
        }
    }

    #[test]
    fn a_pool_answering_late_and_out_of_order_gives_the_single_threaded_rows_in_order() {
        with_file(AWKWARD, |path| {
            let expected = serial(path, false);
            // Later chunks come back first: chunk c waits 7 - c % 8 asks.
            let pool = FakePool::new(3, |c| 7 - (c % 8) as u32, None, false);
            for chunk in 1..=AWKWARD.len() + 1 {
                let (got, error, idle) = pooled(AWKWARD, &pool, chunk);
                assert_eq!((got, error), (expected.clone(), None), "{chunk}-byte chunks");
                assert!(idle > 0);
            }
            let state = pool.state.lock().unwrap();
            // Every read closed, nothing left behind, and never more than the window in flight.
            assert_eq!(state.closed.len(), AWKWARD.len() + 1);
            assert!(state.done.is_empty());
            assert!(state.most_waiting <= 3 * (IN_FLIGHT + 1), "{}", state.most_waiting);
        });
    }

    #[test]
    fn a_pool_keeps_the_rows_before_a_bad_record_its_error_and_the_skipped_count() {
        let content = "{\"a\":1}\n{\"a\":2}\n{\"a\":\n{\"a\":4}\n";
        with_file(content, |path| {
            let expected = serial(path, false);
            let skipping = serial(path, true);
            for chunk in 1..=content.len() {
                let pool = FakePool::new(2, |c| (c % 3) as u32, None, false);
                assert_eq!(pooled(content, &pool, chunk).0, expected, "{chunk}-byte chunks");
                let pool = FakePool::new(2, |c| (c % 3) as u32, None, true);
                assert_eq!(pooled(content, &pool, chunk).0, skipping, "{chunk}-byte chunks");
            }
        });
    }

    #[test]
    fn a_chunk_the_pool_loses_ends_the_read_with_a_file_error_after_the_rows_before_it() {
        let content = "{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n{\"a\":4}\n";
        let pool = FakePool::new(2, |_| 1, Some(2), false);
        let ((rows, _, _), error, _) = pooled(content, &pool, 8);
        assert_eq!(rows.len(), 2);
        assert_eq!(error, Some(ReadError::File("a decode worker stopped".into())));
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
