//! The page's decode workers, as the session's [`DecodePool`]: a file the page gave the session
//! is decoded chunk by chunk in nested dedicated workers (`decode_worker.rs`), so a big file's
//! parsing runs on every core while the session's worker keeps the order
//! (`connectors::parallel_file`: the same chunks, rows and errors as one thread).
//!
//! The session's worker starts them lazily, on the first read that uses them:
//! `navigator.hardwareConcurrency − 1` of them when that is 2 or more (at most [`MAX_WORKERS`]), loaded
//! from the worker module's own glue and wasm, and keeps them for every later read. Chunk `c`
//! goes to worker `c mod n`. Messages are bytes both ways, transferred, not copied: to a worker
//! a [`ToDecoder`] and the chunk's lines; back a [`FromDecoder`] and the rows
//! ([`crate::types::encode_batch`]). No `SharedArrayBuffer` is needed, so any static host
//! serves it. A chunk back while the session waits for it wakes the session's tick
//! (`worker.rs`), so a read neither spins nor waits for the next beat.
//!
//! With one or two cores, no `Worker` in workers, or the session on the page's thread, there is no pool
//! and files are read on the session's thread as before.

use std::cell::RefCell;
use std::collections::HashMap;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::connectors::{DecodePool, Decoded, DecoderSpec, ReadError};
use crate::types::{decode_batch, Batch, DataType};
use crate::views::host::protocol::{decode, encode};

/// The most decode workers a page starts.
pub const MAX_WORKERS: usize = 8;

/// From the session's worker to a decode worker.
#[derive(serde::Serialize, serde::Deserialize)]
pub(super) enum ToDecoder {
    /// Read `read`'s chunks are decoded by `spec`'s decoder.
    Open { read: u64, spec: DecoderSpec },
    /// Decode these lines (the message's second part) as chunk `c` of `read`.
    Chunk { read: u64, c: u64 },
    /// Read `read` is over.
    Close { read: u64 },
}

/// From a decode worker to the session's worker.
#[derive(serde::Serialize, serde::Deserialize)]
pub(super) enum FromDecoder {
    /// Loaded: it takes messages from now on.
    Ready,
    /// Chunk `c` of `read`: its rows (the message's second part; empty bytes for none).
    Decoded { read: u64, c: u64, skipped: u64, error: Option<ReadError> },
}

/// The session's handle on the pool (the pool itself lives in this thread's [`POOL`]).
pub struct PagePool;

struct Pool {
    /// The worker module's glue and wasm, which decode workers load.
    glue: String,
    wasm: String,
    size: usize,
    /// What wakes the session's tick when a chunk it waits for is back.
    wake: fn(),
    workers: Vec<DecodeWorker>,
    next_read: u64,
    /// The column types of each open read, to read its rows by.
    reads: HashMap<u64, Vec<DataType>>,
    /// Chunks back and not yet taken.
    done: HashMap<(u64, u64), Result<Decoded, String>>,
    /// Chunks out at a worker (which one).
    out: HashMap<(u64, u64), usize>,
    /// The chunk the session last found not back yet.
    waiting: Option<(u64, u64)>,
}

struct DecodeWorker {
    /// `None` when it could not be made (then `failed` says why).
    worker: Option<web_sys::Worker>,
    ready: bool,
    /// Messages (and their transfer lists) waiting for it to be ready.
    queued: Vec<(js_sys::Array, js_sys::Array)>,
    /// Why it stopped, if it did.
    failed: Option<String>,
}

thread_local! {
    static POOL: RefCell<Option<Pool>> = const { RefCell::new(None) };
}

/// Makes the pool ready to start (nothing starts yet), if this worker can start workers: returns
/// its size. `asked` (the address's `decode-workers`, for tests and benchmarks) says how many, 0
/// for none; otherwise one per core but this one's, when that is at least 2 (on 2 cores, one
/// decode worker beside the session's was slower than none in `file_bench.mjs`: README).
pub fn install(glue: String, wasm: String, asked: Option<usize>, wake: fn()) -> Option<usize> {
    let global = js_sys::global();
    if !js_sys::Reflect::has(&global, &"Worker".into()).unwrap_or(false) || glue.is_empty() {
        return None;
    }
    let cores = js_sys::Reflect::get(&global, &"navigator".into())
        .and_then(|n| js_sys::Reflect::get(&n, &"hardwareConcurrency".into()))
        .ok()
        .and_then(|n| n.as_f64())
        .unwrap_or(1.0) as usize;
    let size = match asked {
        Some(n) => n.min(MAX_WORKERS),
        None if cores >= 3 => (cores - 1).min(MAX_WORKERS),
        None => 0,
    };
    if size == 0 {
        return None;
    }
    POOL.with(|p| {
        *p.borrow_mut() = Some(Pool {
            glue,
            wasm,
            size,
            wake,
            workers: Vec::new(),
            next_read: 0,
            reads: HashMap::new(),
            done: HashMap::new(),
            out: HashMap::new(),
            waiting: None,
        })
    });
    Some(size)
}

fn with_pool<R>(f: impl FnOnce(&mut Pool) -> R) -> Option<R> {
    POOL.with(|p| p.borrow_mut().as_mut().map(f))
}

impl DecodePool for PagePool {
    fn size(&self) -> usize {
        with_pool(|p| p.size).unwrap_or(1)
    }

    fn open(&self, spec: &DecoderSpec) -> u64 {
        with_pool(|p| {
            if p.workers.is_empty() {
                p.start();
            }
            p.next_read += 1;
            let read = p.next_read;
            p.reads.insert(read, spec.fields.iter().map(|f| f.ty.data_type.clone()).collect());
            for w in 0..p.workers.len() {
                p.send(w, &ToDecoder::Open { read, spec: spec.clone() }, None);
            }
            read
        })
        .unwrap_or(0)
    }

    fn submit(&self, read: u64, c: u64, lines: &[u8]) {
        with_pool(|p| {
            let n = p.workers.len().max(1);
            // The worker for `c`, or the next one still working.
            let Some(w) = (0..n).map(|k| (c as usize + k) % n).find(|&w| p.workers.get(w).is_some_and(|x| x.failed.is_none())) else {
                p.done.insert((read, c), Err("no decode worker is left to read the file".into()));
                return;
            };
            p.out.insert((read, c), w);
            p.send(w, &ToDecoder::Chunk { read, c }, Some(lines));
        });
    }

    fn take(&self, read: u64, c: u64) -> Option<Result<Decoded, String>> {
        with_pool(|p| {
            let taken = p.done.remove(&(read, c));
            p.waiting = if taken.is_none() { Some((read, c)) } else { None };
            taken
        })
        .flatten()
    }

    fn close(&self, read: u64) {
        with_pool(|p| {
            p.reads.remove(&read);
            p.done.retain(|(r, _), _| *r != read);
            p.out.retain(|(r, _), _| *r != read);
            for w in 0..p.workers.len() {
                p.send(w, &ToDecoder::Close { read }, None);
            }
        });
    }
}

impl Pool {
    /// Starts the workers; one that cannot start is marked failed (its chunks go to the others).
    fn start(&mut self) {
        for w in 0..self.size {
            let (worker, failed) = match spawn(&self.glue, &self.wasm, w) {
                Ok(worker) => (Some(worker), None),
                Err(why) => {
                    web_sys::console::warn_1(&format!("Sluice's decode worker {w} did not start: {why}").into());
                    (None, Some(why))
                }
            };
            self.workers.push(DecodeWorker { worker, ready: false, queued: Vec::new(), failed });
        }
    }

    /// Sends worker `w` `message` and, for a chunk, `lines` (copied once into a buffer that is
    /// then transferred).
    fn send(&mut self, w: usize, message: &ToDecoder, lines: Option<&[u8]>) {
        let Some(worker) = self.workers.get_mut(w) else { return };
        if worker.failed.is_some() {
            return;
        }
        let bytes = match encode(message) {
            Ok(b) => b,
            Err(e) => return web_sys::console::error_1(&e.into()),
        };
        let header = js_sys::Uint8Array::from(bytes.as_slice());
        let parts = js_sys::Array::of1(&header);
        let transfer = js_sys::Array::of1(&header.buffer());
        if let Some(lines) = lines {
            let lines = js_sys::Uint8Array::from(lines);
            transfer.push(&lines.buffer());
            parts.push(&lines);
        }
        if let (true, Some(to)) = (worker.ready, &worker.worker) {
            if let Err(e) = to.post_message_with_transfer(&parts, &transfer) {
                web_sys::console::error_1(&e);
            }
        } else {
            worker.queued.push((parts, transfer));
        }
    }

    /// Worker `w` answered.
    fn received(&mut self, w: usize, header: &[u8], rows: &[u8]) -> bool {
        let message = match decode::<FromDecoder>(header) {
            Ok(m) => m,
            Err(e) => {
                self.fail(w, e);
                return true;
            }
        };
        match message {
            FromDecoder::Ready => {
                if let Some(DecodeWorker { worker: Some(to), ready, queued, .. }) = self.workers.get_mut(w) {
                    *ready = true;
                    for (parts, transfer) in queued.drain(..) {
                        if let Err(e) = to.post_message_with_transfer(&parts, &transfer) {
                            web_sys::console::error_1(&e);
                        }
                    }
                }
                false
            }
            FromDecoder::Decoded { read, c, skipped, error } => {
                self.out.remove(&(read, c));
                let Some(types) = self.reads.get(&read) else { return false };
                let batch = if rows.is_empty() { Ok(Batch::new(Vec::new(), 0)) } else { decode_batch(rows, types) };
                let decoded = batch
                    .map(|batch| Decoded { batch, skipped, error })
                    .map_err(|e| format!("the rows of chunk {c} could not be read back from its decode worker: {e}"));
                self.done.insert((read, c), decoded);
                self.waiting == Some((read, c))
            }
        }
    }

    /// Worker `w` stopped: every chunk out at it will never come back.
    fn fail(&mut self, w: usize, why: String) {
        if let Some(worker) = self.workers.get_mut(w) {
            if let Some(to) = &worker.worker {
                to.terminate();
            }
            worker.failed = Some(why.clone());
            worker.queued.clear();
        }
        let lost: Vec<(u64, u64)> = self.out.iter().filter(|(_, &at)| at == w).map(|(&k, _)| k).collect();
        for key in lost {
            self.out.remove(&key);
            self.done.insert(key, Err(format!("a decode worker stopped: {why}")));
        }
    }
}

/// Worker `w`: a module script that loads the worker module and calls its `decode_main`.
fn spawn(glue: &str, wasm: &str, w: usize) -> Result<web_sys::Worker, String> {
    let worker = super::host::module_worker(glue, wasm, "decode_main()", "decode worker", Some(&format!("sluice-decode-{w}")))?;
    let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
        let parts: js_sys::Array = e.data().unchecked_into();
        let bytes = |i: u32| parts.get(i).dyn_ref::<js_sys::Uint8Array>().map(js_sys::Uint8Array::to_vec).unwrap_or_default();
        let (header, rows) = (bytes(0), bytes(1));
        if let Some((true, wake)) = with_pool(|p| (p.received(w, &header, &rows), p.wake)) {
            wake();
        }
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
        let why = e.dyn_ref::<web_sys::ErrorEvent>().map(|e| e.message()).unwrap_or_else(|| "it failed to load".into());
        web_sys::console::warn_1(&format!("Sluice's decode worker {w} stopped: {why}").into());
        if let Some(wake) = with_pool(|p| {
            p.fail(w, why);
            p.wake
        }) {
            wake();
        }
    });
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    on_error.forget();
    Ok(worker)
}
