//! The native backend of [`super::ParallelFile`]: on `n` threads, the job's own thread and
//! `n − 1` helper threads decode the chunks of a file on disk.
//!
//! Whoever is free claims the next chunk nobody has claimed, in file order, and leaves it decoded
//! in a shared table; the job takes chunks from the table in order. When the chunk the job needs
//! is not there yet, the job claims and decodes one itself instead of waiting: so `n` threads
//! decode on `n` cores (not `n` helpers beside a job thread that also needs a core), and the
//! chunks the job decodes itself are used while still in its cache — rows a helper decoded must
//! first travel from the other core's cache, which made decoding about a sixth dearer when every
//! chunk was decoded elsewhere. Claims stop [`IN_FLIGHT`] + 1 chunks per thread ahead of the job,
//! so memory stays at about `n × (IN_FLIGHT + 1)` chunks whatever the file's size. One thread is
//! the job alone, decoding every chunk as it needs it.
//!
//! Helpers are spawned, not scoped (`std::thread::scope`): a job is stepped by the session a
//! batch at a time, so the helpers outlive each step; dropping the reader stops and joins them.

use std::collections::BTreeMap;
use std::fs::File;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;

use super::{decode_lines, read_chunk, Chunk, ChunkDecoders, ChunkPlan, Decoded, ReadError, IN_FLIGHT};
use crate::connectors::decoder::Decoder;
use crate::types::Batch;

pub struct ThreadDecoders {
    shared: Arc<Shared>,
    /// The job's own decoder, for the chunks it decodes itself.
    own: ChunkReader,
    helpers: Vec<JoinHandle<()>>,
}

/// What the job and its helpers share.
struct Shared {
    state: Mutex<State>,
    /// Signalled whenever a chunk is left decoded, the job takes one, or the read stops.
    changed: Condvar,
    plan: ChunkPlan,
    /// How many chunks past the next one the job takes may be claimed.
    window: u64,
}

struct State {
    /// The first chunk nobody has claimed (every chunk before it is claimed).
    unclaimed: u64,
    /// The chunk the job takes next.
    next: u64,
    /// Chunks decoded and not yet taken.
    ready: BTreeMap<u64, Decoded>,
    /// No more claims: the job is gone, or a chunk ended the read with an error.
    stopped: bool,
    /// A helper died decoding a chunk (a bug in a decoder): that chunk never comes.
    lost: bool,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // Nothing panics while holding the lock; a poisoned lock still holds consistent state.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The next chunk to decode, claimed, if one may be claimed now.
    fn claim(&self, state: &mut State) -> Option<u64> {
        let c = state.unclaimed;
        (!state.stopped && c < self.plan.chunks() && c < state.next + self.window).then(|| {
            state.unclaimed += 1;
            c
        })
    }

    /// Leaves chunk `c` decoded for the job; an error stops further claims (the read ends there).
    fn leave(&self, c: u64, decoded: Decoded) {
        let mut state = self.lock();
        state.stopped |= decoded.error.is_some();
        state.ready.insert(c, decoded);
        drop(state);
        self.changed.notify_all();
    }
}

/// A decoder with its read buffer, on one thread.
struct ChunkReader {
    file: Arc<File>,
    path: String,
    decoder: Decoder,
    buf: Vec<u8>,
}

impl ChunkReader {
    fn decode(&mut self, plan: ChunkPlan, c: u64) -> Decoded {
        match read_chunk(&*self.file, plan, c, &mut self.buf) {
            Ok(lines) => decode_lines(&self.buf[lines], &mut self.decoder),
            Err(e) => Decoded {
                batch: Batch::new(Vec::new(), 0),
                skipped: 0,
                error: Some(ReadError::File(format!("reading '{}': {e}", self.path))),
            },
        }
    }
}

impl ThreadDecoders {
    /// Decodes the file at `path`, cut into `chunk_bytes` chunks, on one thread per decoder: the
    /// job's (the first decoder) and a helper for each of the others.
    pub fn open(path: &str, decoders: Vec<Decoder>, chunk_bytes: usize) -> Result<(ChunkPlan, Self), String> {
        let file = File::open(path).map_err(|e| format!("cannot open '{path}': {e}"))?;
        let len = file.metadata().map_err(|e| format!("reading '{path}': {e}"))?.len();
        let plan = ChunkPlan::new(len, chunk_bytes);
        let file = Arc::new(file);
        let threads = decoders.len().max(1) as u64;
        let state = State { unclaimed: 0, next: 0, ready: BTreeMap::new(), stopped: false, lost: false };
        let shared = Arc::new(Shared { state: Mutex::new(state), changed: Condvar::new(), plan, window: threads * (IN_FLIGHT as u64 + 1) });
        let mut readers =
            decoders.into_iter().map(|decoder| ChunkReader { file: file.clone(), path: path.to_string(), decoder, buf: Vec::new() });
        let own = readers.next().ok_or("no decoder to read with")?;
        let mut decoders = ThreadDecoders { shared: shared.clone(), own, helpers: Vec::new() };
        for (w, reader) in readers.enumerate() {
            let shared = shared.clone();
            let handle = std::thread::Builder::new()
                .name(format!("sluice-decode-{}", w + 1))
                .spawn(move || help(&shared, reader))
                .map_err(|e| format!("cannot start a thread to read '{path}': {e}"))?;
            decoders.helpers.push(handle);
        }
        Ok((plan, decoders))
    }
}

/// A helper thread: claims and decodes chunks until there are none left to claim.
fn help(shared: &Shared, mut reader: ChunkReader) {
    loop {
        let c = {
            let mut state = shared.lock();
            loop {
                if state.stopped || state.unclaimed >= shared.plan.chunks() {
                    return;
                }
                if let Some(c) = shared.claim(&mut state) {
                    break c;
                }
                state = shared.changed.wait(state).unwrap_or_else(|e| e.into_inner());
            }
        };
        // Should the decoder panic (a bug), the job learns the chunk is lost instead of waiting.
        let mut guard = LostIfDropped(Some(shared));
        let decoded = reader.decode(shared.plan, c);
        guard.0 = None;
        shared.leave(c, decoded);
    }
}

/// Marks the read lost when dropped armed: by unwinding out of a chunk's decoding.
struct LostIfDropped<'a>(Option<&'a Shared>);

impl Drop for LostIfDropped<'_> {
    fn drop(&mut self) {
        if let Some(shared) = self.0 {
            shared.lock().lost = true;
            shared.changed.notify_all();
        }
    }
}

impl ChunkDecoders for ThreadDecoders {
    fn take(&mut self, c: u64) -> Chunk {
        let shared = &*self.shared;
        let mut state = shared.lock();
        loop {
            if let Some(decoded) = state.ready.remove(&c) {
                state.next = c + 1;
                drop(state);
                shared.changed.notify_all();
                return Chunk::Ready(decoded);
            }
            if state.lost {
                return Chunk::Lost("a decoding thread stopped unexpectedly".into());
            }
            // Rather than wait, decode the next unclaimed chunk here: `c` itself when no helper
            // has it (always so on one thread), else one the job needs soon.
            if let Some(k) = shared.claim(&mut state) {
                drop(state);
                let decoded = self.own.decode(shared.plan, k);
                shared.leave(k, decoded);
                state = shared.lock();
                continue;
            }
            state = shared.changed.wait(state).unwrap_or_else(|e| e.into_inner());
        }
    }
}

impl Drop for ThreadDecoders {
    fn drop(&mut self) {
        self.shared.lock().stopped = true;
        self.shared.changed.notify_all();
        for handle in self.helpers.drain(..) {
            let _ = handle.join();
        }
    }
}
