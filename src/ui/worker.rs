//! The session's side of the page, in the worker module (`src/worker_main.rs`): a
//! [`SessionServer`] moved on by its own ticks (in a worker on a 40 ms beat, back to back while
//! behind: `views::host::pacing`), answering the page's requests and publishing
//! after every tick and every request (the publication first, so a reply finds the mirror up to
//! date). A file the page hands over is read here, so its bytes never pass through the page's
//! thread.
//!
//! It runs in a Web Worker ([`main`]: messages are `postMessage`d both ways), or, with
//! `?engine=page` or when no worker can start, on the page's own thread ([`start_on_page`]: the
//! page calls [`receive_on_page`] and is called back with each message). Either way the page
//! and this side exchange the same bytes ([`crate::views::host::protocol`]).
//!
//! In a worker, a file the page gave is decoded by decode workers this worker starts
//! (`decode_pool.rs`) when the machine has a core to spare; a chunk coming back while a read waits
//! for it wakes the next tick at once ([`wake`]). For tests and benchmarks, `decode-chunk=<bytes>`
//! in the page's address sets the chunk size (1 MiB by default; tests make it small so a small
//! file is really split), and `decode-workers=<n>` how many decode workers, whatever the cores
//! (0: none, the file is decoded on the session's thread as before).

use std::cell::RefCell;
use std::sync::Arc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::{real_ms, wall_clock_ms};
use crate::connectors::{DecodePool, FileReading};
use crate::export::{flink_script, ExportOptions};
use crate::session::{Budget, Deadline, Session};
use crate::views::host::pacing::{Next, Pacer, TICK_MS};
use crate::views::host::protocol::{decode, encode, FromSession, SessionReply, SessionRequest, ToSession};
use crate::views::host::server::SessionServer;

/// On the page's thread (which also draws), the session ticks on the beat alone, each tick
/// spending at most this long moving on; the rest of the beat is the page's.
const PAGE_BUDGET_MS: f64 = 25.0;

/// Where this side's messages go.
enum Outlet {
    /// The page, from a worker.
    Worker(web_sys::DedicatedWorkerGlobalScope),
    /// The page's function that takes them, on the same thread.
    Page(js_sys::Function),
}

thread_local! {
    static SERVER: RefCell<SessionServer> = RefCell::new(SessionServer::new(wall_clock_ms()));
    /// The address the page's files are served at (Python's files are found from it).
    static BASE: RefCell<String> = const { RefCell::new(String::new()) };
    static OUTLET: RefCell<Option<Outlet>> = const { RefCell::new(None) };
    /// In a worker: when the next tick runs and whether a tick publishes (see `pacing`).
    static PACER: RefCell<Pacer> = RefCell::new(Pacer::new());
    /// In a worker: a channel to itself; a message posted on it runs the next tick after the
    /// messages already queued (the page's requests), without `setTimeout`'s clamping.
    static AT_ONCE: Option<web_sys::MessagePort> = at_once_port();
    /// In a worker: the timer of the next tick while it waits for the beat (`None` while a tick
    /// is due at once), so [`wake`] can bring it forward.
    static NEXT_TICK: RefCell<Option<gloo_timers::callback::Timeout>> = const { RefCell::new(None) };
}

/// The number `<key>=<n>` in the page's address says, if any (`decode-chunk` and
/// `decode-workers`, for tests and benchmarks).
fn number_in(base: &str, key: &str) -> Option<usize> {
    let query = base.split_once('?')?.1.split('#').next()?;
    query.split('&').find_map(|pair| pair.strip_prefix(key)?.strip_prefix('=')?.parse().ok())
}

/// Starts the session in a worker: called once by the worker's script, with the page's address
/// and the worker module's glue and wasm (its decode workers load them).
pub fn main(base: String, glue: String, wasm: String) {
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(|e: web_sys::MessageEvent| {
        let parts: js_sys::Array = e.data().unchecked_into();
        receive(parts.get(0), parts.get(1));
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    if let Some(threads) = super::decode_pool::install(glue, wasm, number_in(&base, "decode-workers"), wake) {
        let chunk_bytes = number_in(&base, "decode-chunk").filter(|&n| n > 0).unwrap_or(FileReading::default().chunk_bytes);
        let reading = FileReading { threads, chunk_bytes };
        let pool: Arc<dyn DecodePool> = Arc::new(super::decode_pool::PagePool);
        SERVER.with(|s| s.borrow_mut().set_file_decoding(reading, Some(pool)));
    }
    start(base, Outlet::Worker(scope));
    schedule(Next::After(TICK_MS));
    post(&FromSession::Ready);
}

/// Starts the session on the page's thread: `on_message` takes each message's bytes (a
/// `Uint8Array`). The page sends with [`receive_on_page`] from now on.
pub fn start_on_page(base: String, on_message: js_sys::Function) {
    start(base, Outlet::Page(on_message));
    gloo_timers::callback::Interval::new(TICK_MS as u32, || {
        let published = SERVER.with(|s| {
            let mut s = s.borrow_mut();
            s.tick(real_ms(), &mut Deadline::new(real_ms, PAGE_BUDGET_MS));
            s.publish()
        });
        post(&FromSession::Published(published));
    })
    .forget();
}

/// One request from the page on the same thread: its bytes and the file, if any.
pub fn receive_on_page(bytes: JsValue, file: JsValue) {
    receive(bytes, file);
}

fn start(base: String, outlet: Outlet) {
    console_error_panic_hook::set_once();
    BASE.with(|b| *b.borrow_mut() = base);
    OUTLET.with(|o| *o.borrow_mut() = Some(outlet));
}

/// One tick of the worker's session clock, then the next one scheduled: on the 40 ms beat while the
/// session keeps up, at once while it is behind (its budget spent).
fn tick() {
    // The timer that ran this (if one did) has fired: its closure has run and is gone.
    if let Some(fired) = NEXT_TICK.with(|t| t.borrow_mut().take()) {
        fired.forget();
    }
    let published = SERVER.with(|s| {
        let mut s = s.borrow_mut();
        let started = real_ms();
        let mut deadline = Deadline::new(real_ms, PACER.with(|p| p.borrow().budget_ms(started)));
        s.tick(started, &mut deadline);
        let spent = deadline.spent();
        let (publish, next) = PACER.with(|p| p.borrow_mut().ticked(started, real_ms(), spent));
        schedule(next);
        publish.then(|| s.publish())
    });
    if let Some(published) = published {
        post(&FromSession::Published(published));
    }
}

/// Brings the next tick forward to now if it waits for the beat (a chunk a read waits for is
/// back); the tick's publication still keeps to the beat (`Pacer::wake`).
fn wake() {
    if let Some(timer) = NEXT_TICK.with(|t| t.borrow_mut().take()) {
        timer.cancel();
        PACER.with(|p| p.borrow_mut().wake());
        schedule(Next::AtOnce);
    }
}

/// Runs [`tick`] when `next` says.
fn schedule(next: Next) {
    match next {
        Next::AtOnce => match AT_ONCE.with(|port| port.as_ref().map(|p| p.post_message(&JsValue::NULL))) {
            Some(Ok(())) => {}
            // No channel: a timer of 0 (browsers may stretch it to 4 ms).
            failed => {
                if let Some(Err(e)) = failed {
                    web_sys::console::error_1(&e);
                }
                gloo_timers::callback::Timeout::new(0, tick).forget();
            }
        },
        Next::After(ms) => {
            let timer = gloo_timers::callback::Timeout::new(ms.round() as u32, tick);
            NEXT_TICK.with(|t| *t.borrow_mut() = Some(timer));
        }
    }
}

/// The sending end of a channel whose receiving end ticks.
fn at_once_port() -> Option<web_sys::MessagePort> {
    let channel = web_sys::MessageChannel::new().map_err(|e| web_sys::console::error_1(&e)).ok()?;
    let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(|_: web_sys::MessageEvent| tick());
    channel.port1().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    Some(channel.port2())
}

/// One request from the page: its bytes and the file that came with it, if any.
fn receive(bytes: JsValue, file: JsValue) {
    let Some(bytes) = bytes.dyn_ref::<js_sys::Uint8Array>().map(js_sys::Uint8Array::to_vec) else { return };
    let message = match decode::<ToSession>(&bytes) {
        Ok(m) => m,
        Err(e) => return web_sys::console::error_1(&e.into()),
    };
    let ToSession { id, request } = message;
    if let (SessionRequest::ReadFile { name }, Ok(file)) = (&request, file.dyn_into::<web_sys::File>()) {
        let name = name.clone();
        wasm_bindgen_futures::spawn_local(async move {
            match super::data_files::read_file(&file).await {
                Ok(data) => serve(id, SessionRequest::AddFile { name, data }),
                Err(e) => post(&FromSession::Reply { id, reply: SessionReply::FileAdded(Err(e)) }),
            }
        });
        return;
    }
    if let SessionRequest::RunPython { code } = request {
        let edge = super::python::Edge { base: BASE.with(|b| b.borrow().clone()), with_server };
        wasm_bindgen_futures::spawn_local(async move {
            let run = super::python::run(code, edge).await;
            let published = SERVER.with(|s| s.borrow_mut().publish());
            post(&FromSession::Published(published));
            post(&FromSession::Reply { id, reply: SessionReply::PythonRan(run) });
        });
        return;
    }
    if let SessionRequest::ExportScript { note_name, paragraphs } = request {
        let script = SERVER.with(|s| export_script(s.borrow().session(), &note_name, &paragraphs));
        post(&FromSession::Reply { id, reply: SessionReply::Exported(script) });
        return;
    }
    serve(id, request);
}

/// The note as a Flink SQL script: queries kept (the SQL client shows them), and the streams
/// the session's generators feed named in a comment.
fn export_script(session: &Session, note_name: &str, paragraphs: &[String]) -> Result<String, String> {
    let generator_streams = session.streams().iter().filter(|st| st.generator.is_some()).map(|st| st.name.clone()).collect();
    let options = ExportOptions { include_queries: true, generator_streams, ..ExportOptions::default() };
    let texts: Vec<&str> = paragraphs.iter().map(String::as_str).collect();
    flink_script(note_name, &texts, &options).map_err(|e| e.to_string())
}

/// Python's way to the session (see `python.rs`): not while a tick holds it.
fn with_server(f: &mut dyn FnMut(&mut SessionServer)) -> bool {
    SERVER.with(|s| match s.try_borrow_mut() {
        Ok(mut s) => {
            f(&mut s);
            true
        }
        Err(_) => false,
    })
}

fn serve(id: u64, request: SessionRequest) {
    let (reply, published) = SERVER.with(|s| {
        let mut s = s.borrow_mut();
        let reply = s.handle(request, &mut super::remotes::PageRemotes);
        (reply, s.publish())
    });
    post(&FromSession::Published(published));
    post(&FromSession::Reply { id, reply });
}

/// Sends `message` to the page: from a worker its bytes transferred rather than copied; on the
/// page's thread handed to the page's function (which defers its work, so nothing nests).
fn post(message: &FromSession) {
    let bytes = match encode(message) {
        Ok(b) => b,
        Err(e) => return web_sys::console::error_1(&e.into()),
    };
    let array = js_sys::Uint8Array::from(bytes.as_slice());
    let sent = OUTLET.with(|o| match &*o.borrow() {
        Some(Outlet::Worker(scope)) => scope.post_message_with_transfer(&array, &js_sys::Array::of1(&array.buffer())),
        Some(Outlet::Page(on_message)) => on_message.call1(&JsValue::NULL, &array).map(|_| ()),
        None => Ok(()),
    });
    if let Err(e) = sent {
        web_sys::console::error_1(&e);
    }
}
