//! Where the page's session runs, behind one switch: in a Web Worker (the default), so the page's
//! thread only draws, or on the page's own thread (`?engine=page`, or when the worker cannot
//! start). Either way the views talk to it the same way, through [`crate::views::host::protocol`]:
//!
//! - read what it last published from the [`SessionMirror`] ([`with_mirror`]);
//! - change it with [`send`], or ask it something and get the answer later with [`ask`] (at
//!   once on the page's thread, a message later from the worker: callers never assume which).
//!
//! The worker is this same wasm module loaded a second time, by a module script made here (a
//! `Blob`) that imports the page's wasm-bindgen glue and calls the exported `worker_main`
//! (`src/ui/worker.rs`); it needs no headers and no SharedArrayBuffer, so any static host serves it.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, VecDeque};

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::page_kafka::PageTopics;
use super::page_remote::{Access, PageRemote};
use super::{real_ms, wall_clock_ms};
use crate::connectors::kafka::RemoteTopics;
use crate::connectors::RemoteStreams;
use crate::session::Deadline;
use crate::views::host::mirror::SessionMirror;
use crate::views::host::protocol::{decode, encode, FromSession, RemoteAccess, SessionReply, SessionRequest, ToSession, TopicAccess};
use crate::views::host::server::{RemoteFactory, SessionServer};

/// At "as fast as possible", the share of each engine tick the clock may spend moving on when
/// the session shares the page's thread (the worker has its own, see `worker.rs`).
const PAGE_BUDGET_MS: f64 = 25.0;

type OnReply = Box<dyn FnOnce(SessionReply)>;

enum Host {
    /// The session on the page's thread.
    Page(Box<SessionServer>),
    /// The session in a worker; requests wait in `queued` until it says it is ready.
    Worker { worker: web_sys::Worker, ready: bool, queued: VecDeque<(ToSession, Option<web_sys::File>)> },
}

thread_local! {
    static HOST: RefCell<Option<Host>> = const { RefCell::new(None) };
    static MIRROR: RefCell<SessionMirror> = RefCell::new(SessionMirror::new(wall_clock_ms()));
    static WAITING: RefCell<HashMap<u64, OnReply>> = RefCell::new(HashMap::new());
    static NEXT_ID: Cell<u64> = const { Cell::new(1) };
}

/// Starts the session: in a worker unless `on_page` (or the worker cannot be made).
pub fn start(on_page: bool) {
    let host = if on_page {
        None
    } else {
        match spawn_worker() {
            Ok(worker) => Some(Host::Worker { worker, ready: false, queued: VecDeque::new() }),
            Err(why) => {
                web_sys::console::warn_1(&format!("Sluice runs its engine on the page's thread: {why}").into());
                None
            }
        }
    };
    let host = host.unwrap_or_else(|| Host::Page(Box::new(SessionServer::new(wall_clock_ms()))));
    HOST.with(|h| *h.borrow_mut() = Some(host));
}

/// `?engine=page` in the address keeps the session on the page's thread (tests run both ways).
pub fn wants_page(search: &str) -> bool {
    search.trim_start_matches('?').split('&').any(|pair| pair == "engine=page")
}

/// Whether the session runs in a worker (the page shows it in the clock bar's title).
pub fn in_worker() -> bool {
    HOST.with(|h| matches!(&*h.borrow(), Some(Host::Worker { .. })))
}

/// Runs `f` with what the session last published.
pub fn with_mirror<R>(f: impl FnOnce(&mut SessionMirror) -> R) -> R {
    MIRROR.with(|m| f(&mut m.borrow_mut()))
}

/// The session's time as last published (ms since the epoch, local time).
pub fn now_ms() -> i64 {
    with_mirror(|m| m.now_ms())
}

/// Changes the session; the views see the effect in the next publication.
pub fn send(request: SessionRequest) {
    ask(request, |_| {});
}

/// Asks the session; `on_reply` runs with its answer (after the publication that follows it).
pub fn ask(request: SessionRequest, on_reply: impl FnOnce(SessionReply) + 'static) {
    submit(request, None, Box::new(on_reply));
}

/// Hands the session a file for `filesystem` tables: the worker reads its bytes itself.
pub fn add_file(file: web_sys::File, on_reply: impl FnOnce(SessionReply) + 'static) {
    submit(SessionRequest::ReadFile { name: file.name() }, Some(file), Box::new(on_reply));
}

/// The page's engine tick: moves the session on when it runs on this thread (the worker ticks
/// itself and publishes as it goes).
pub fn tick() {
    let published = HOST.with(|h| match &mut *h.borrow_mut() {
        Some(Host::Page(server)) => {
            server.tick(real_ms(), &mut Deadline::new(real_ms, PAGE_BUDGET_MS));
            Some(server.publish())
        }
        _ => None,
    });
    if let Some(p) = published {
        with_mirror(|m| m.apply(p));
    }
}

fn submit(request: SessionRequest, file: Option<web_sys::File>, on_reply: OnReply) {
    let id = NEXT_ID.with(|n| n.replace(n.get() + 1));
    let message = ToSession { id, request };
    let on_page = HOST.with(|h| match &mut *h.borrow_mut() {
        Some(Host::Worker { worker, ready, queued }) => {
            WAITING.with(|w| w.borrow_mut().insert(id, on_reply));
            if *ready {
                post(worker, &message, file.as_ref());
            } else {
                queued.push_back((message, file));
            }
            None
        }
        _ => Some((message, file, on_reply)),
    });
    // On the page's thread: served now, outside the borrow (the reply may ask again).
    if let Some((message, file, on_reply)) = on_page {
        serve_on_page(message, file, on_reply);
    }
}

/// Serves one request with the session on the page's thread; a file is read first.
fn serve_on_page(message: ToSession, file: Option<web_sys::File>, on_reply: OnReply) {
    if let (SessionRequest::ReadFile { name }, Some(file)) = (&message.request, file) {
        let name = name.clone();
        wasm_bindgen_futures::spawn_local(async move {
            match super::data_files::read_file(&file).await {
                Ok(data) => serve_on_page(ToSession { id: message.id, request: SessionRequest::AddFile { name, data } }, None, on_reply),
                Err(e) => on_reply(SessionReply::FileAdded(Err(e))),
            }
        });
        return;
    }
    if let SessionRequest::RunPython { code } = message.request {
        let Some(base) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.base_uri().ok().flatten()) else { return };
        let edge = super::python::Edge { base, with_server: with_page_server };
        wasm_bindgen_futures::spawn_local(async move {
            let run = super::python::run(code, edge).await;
            let published = HOST.with(|h| match &mut *h.borrow_mut() {
                Some(Host::Page(server)) => Some(server.publish()),
                _ => None,
            });
            if let Some(p) = published {
                with_mirror(|m| m.apply(p));
            }
            on_reply(SessionReply::PythonRan(run));
        });
        return;
    }
    let served = HOST.with(|h| match &mut *h.borrow_mut() {
        Some(Host::Page(server)) => {
            let reply = server.handle(message.request, &mut PageRemotes);
            Some((reply, server.publish()))
        }
        _ => None,
    });
    if let Some((reply, published)) = served {
        with_mirror(|m| m.apply(published));
        // Later, as from the worker: a chain of requests (a note's paragraphs run in turn)
        // never nests.
        wasm_bindgen_futures::spawn_local(async move { on_reply(reply) });
    }
}

/// Python's way to the session when it runs on the page's thread (see `python.rs`).
fn with_page_server(f: &mut dyn FnMut(&mut SessionServer)) -> bool {
    HOST.with(|h| match h.try_borrow_mut().as_deref_mut() {
        Ok(Some(Host::Page(server))) => {
            f(server);
            true
        }
        _ => false,
    })
}

/// The page's remote streams and topics for an access (`fetch`, from whichever thread holds the
/// session).
pub struct PageRemotes;

impl RemoteFactory for PageRemotes {
    fn streams(&mut self, access: &RemoteAccess) -> Option<Box<dyn RemoteStreams>> {
        Some(Box::new(PageRemote::new(Access::from_protocol(access))))
    }

    fn topics(&mut self, access: &TopicAccess) -> Option<Box<dyn RemoteTopics>> {
        match access {
            TopicAccess::Local => None,
            TopicAccess::Proxy { url } => Some(Box::new(PageTopics::new(url))),
        }
    }
}

/// Sends one request to the worker: its bytes (transferred, not copied) and the file, if any.
fn post(worker: &web_sys::Worker, message: &ToSession, file: Option<&web_sys::File>) {
    let bytes = match encode(message) {
        Ok(b) => b,
        Err(e) => return web_sys::console::error_1(&e.into()),
    };
    let array = js_sys::Uint8Array::from(bytes.as_slice());
    let parts = js_sys::Array::of1(&array);
    if let Some(file) = file {
        parts.push(file);
    }
    if let Err(e) = worker.post_message_with_transfer(&parts, &js_sys::Array::of1(&array.buffer())) {
        web_sys::console::error_1(&e);
    }
}

/// What the worker sent: publications go to the mirror, replies to whoever asked.
fn receive(data: JsValue) {
    let Some(bytes) = data.dyn_ref::<js_sys::Uint8Array>().map(js_sys::Uint8Array::to_vec) else { return };
    let message = match decode::<FromSession>(&bytes) {
        Ok(m) => m,
        Err(e) => return web_sys::console::error_1(&e.into()),
    };
    match message {
        FromSession::Ready => HOST.with(|h| {
            if let Some(Host::Worker { worker, ready, queued }) = &mut *h.borrow_mut() {
                *ready = true;
                for (message, file) in queued.drain(..) {
                    post(worker, &message, file.as_ref());
                }
            }
        }),
        FromSession::Published(p) => with_mirror(|m| m.apply(p)),
        FromSession::Reply { id, reply } => {
            if let Some(on_reply) = WAITING.with(|w| w.borrow_mut().remove(&id)) {
                on_reply(reply);
            }
        }
    }
}

/// The worker failed to start (its script or the wasm would not load): the session moves to the
/// page's thread, and what was waiting for the worker is served there.
fn fall_back(why: String) {
    let queued = HOST.with(|h| {
        let mut h = h.borrow_mut();
        match &mut *h {
            Some(Host::Worker { worker, ready: false, queued }) => {
                worker.terminate();
                let queued = std::mem::take(queued);
                *h = Some(Host::Page(Box::new(SessionServer::new(wall_clock_ms()))));
                Some(queued)
            }
            _ => None,
        }
    });
    let Some(queued) = queued else {
        return web_sys::console::error_1(&format!("Sluice's engine worker failed: {why}").into());
    };
    web_sys::console::warn_1(&format!("Sluice's engine worker did not start ({why}); the engine runs on the page's thread").into());
    for (message, file) in queued {
        let on_reply = WAITING.with(|w| w.borrow_mut().remove(&message.id)).unwrap_or_else(|| Box::new(|_| {}));
        serve_on_page(message, file, on_reply);
    }
}

/// The worker: a module script that loads the page's own glue and wasm and calls `worker_main`.
fn spawn_worker() -> Result<web_sys::Worker, String> {
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let base = document.base_uri().ok().flatten().ok_or("no base address")?;
    let link = |selector: &str| -> Result<String, String> {
        let href = document
            .query_selector(selector)
            .ok()
            .flatten()
            .and_then(|e| e.get_attribute("href"))
            .ok_or_else(|| format!("the page has no {selector}"))?;
        web_sys::Url::new_with_base(&href, &base).map(|u| u.href()).map_err(|_| format!("`{href}` is not an address"))
    };
    let glue = link("link[rel=modulepreload]")?;
    let wasm = link("link[rel=preload][as=fetch]")?;
    let script =
        format!("import init, {{ worker_main }} from {glue:?};\nawait init({{ module_or_path: {wasm:?} }});\nworker_main({base:?});\n");
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/javascript");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&js_sys::Array::of1(&script.into()), &options)
        .map_err(|_| "the worker's script could not be made")?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| "the worker's script has no address")?;
    let worker_options = web_sys::WorkerOptions::new();
    worker_options.set_type(web_sys::WorkerType::Module);
    let worker = web_sys::Worker::new_with_options(&url, &worker_options).map_err(|e| format!("no worker: {e:?}"))?;
    let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(|e: web_sys::MessageEvent| receive(e.data()));
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(|e: web_sys::Event| {
        let why = e.dyn_ref::<web_sys::ErrorEvent>().map(|e| e.message()).unwrap_or_else(|| "it failed to load".into());
        fall_back(why);
    });
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    on_error.forget();
    Ok(worker)
}
