//! The native backend of [`super::ParallelFile`]: one thread per decoder over the file on disk.
//! Thread `w` of `n` decodes chunks `w, w+n, w+2n, …` and hands them over a channel that holds
//! [`IN_FLIGHT`] chunks, so memory stays at about `n × (IN_FLIGHT + 1)` chunks whatever the
//! file's size, and the job reads thread `c mod n`'s channel for chunk `c`: file order with no
//! reordering buffer. Asking for a chunk waits for it (a thread is always working on it).
//!
//! Threads are spawned, not scoped (`std::thread::scope`): a job is stepped by the session a
//! batch at a time, so the threads outlive each step; dropping the reader stops and joins them.

use std::fs::File;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::Arc;
use std::thread::JoinHandle;

use super::{decode_lines, read_chunk, Chunk, ChunkDecoders, ChunkPlan, Decoded, ReadError, IN_FLIGHT};
use crate::connectors::decoder::Decoder;
use crate::types::Batch;

pub struct ThreadDecoders {
    results: Vec<Receiver<Decoded>>,
    workers: Vec<JoinHandle<()>>,
    stop: Arc<AtomicBool>,
}

impl ThreadDecoders {
    /// Starts one thread per decoder on the file at `path`, cut into `chunk_bytes` chunks.
    pub fn open(path: &str, decoders: Vec<Decoder>, chunk_bytes: usize) -> Result<(ChunkPlan, Self), String> {
        let file = File::open(path).map_err(|e| format!("cannot open '{path}': {e}"))?;
        let len = file.metadata().map_err(|e| format!("reading '{path}': {e}"))?.len();
        let plan = ChunkPlan::new(len, chunk_bytes);
        let file = Arc::new(file);
        let stop = Arc::new(AtomicBool::new(false));
        let count = decoders.len().max(1) as u64;
        let mut results = Vec::new();
        let mut workers = Vec::new();
        for (w, decoder) in decoders.into_iter().enumerate() {
            let (tx, rx) = sync_channel(IN_FLIGHT);
            let worker =
                Worker { file: file.clone(), path: path.to_string(), decoder, first: w as u64, step: count, plan, stop: stop.clone() };
            let handle = std::thread::Builder::new()
                .name(format!("sluice-decode-{w}"))
                .spawn(move || worker.run(tx))
                .map_err(|e| format!("cannot start a thread to read '{path}': {e}"))?;
            results.push(rx);
            workers.push(handle);
        }
        Ok((plan, ThreadDecoders { results, workers, stop }))
    }
}

impl ChunkDecoders for ThreadDecoders {
    fn take(&mut self, c: u64) -> Chunk {
        let worker = (c % self.results.len().max(1) as u64) as usize;
        match self.results.get(worker).and_then(|rx| rx.recv().ok()) {
            Some(decoded) => Chunk::Ready(decoded),
            // A worker stops early only after sending an error, which ends the read before
            // this: it died (a panic in a decoder would be a bug).
            None => Chunk::Lost("a decoding thread stopped unexpectedly".into()),
        }
    }
}

impl Drop for ThreadDecoders {
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
    plan: ChunkPlan,
    stop: Arc<AtomicBool>,
}

impl Worker {
    fn run(mut self, tx: SyncSender<Decoded>) {
        let mut buf = Vec::new();
        let mut c = self.first;
        while c < self.plan.chunks() && !self.stop.load(Ordering::Relaxed) {
            let decoded = match read_chunk(&*self.file, self.plan, c, &mut buf) {
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
