//! Where the page's session runs, behind one switch: in a Web Worker (the default), so the page's
//! thread only draws, or on the page's own thread (`?engine=page`, or when the worker cannot
//! start). Either way the views talk to it the same way, through [`crate::views::host::protocol`]:
//!
//! - read what it last published from the [`SessionMirror`] ([`with_mirror`]);
//! - change it with [`send`], or ask it something and get the answer later with [`ask`] (a
//!   message later, wherever it runs: callers never assume when).
//!
//! The session is not in this module at all: it is the worker module (`src/worker_main.rs`,
//! built by Trunk beside the page's as `sluice-worker.js` and `sluice-worker_bg.wasm`), which the
//! page's thread never waits for before drawing. A worker loads it through a module script made
//! here (a `Blob`) that imports its glue and calls its `worker_main` (`src/ui/worker.rs`); it
//! needs no headers and no SharedArrayBuffer, so any static host serves it. On the page's thread
//! the page imports the same glue itself and exchanges the same bytes by function calls.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, VecDeque};

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::wall_clock_ms;
use crate::views::host::mirror::SessionMirror;
use crate::views::host::protocol::{decode, encode, FromSession, SessionReply, SessionRequest, ToSession};

/// The worker module's files, beside the page's own glue (Trunk does not hash a worker's names).
const WORKER_GLUE: &str = "sluice-worker.js";
const WORKER_WASM: &str = "sluice-worker_bg.wasm";

type OnReply = Box<dyn FnOnce(SessionReply)>;

/// The way to the session.
enum Link {
    /// The worker module in a Web Worker.
    Worker(web_sys::Worker),
    /// The worker module on the page's thread: its function that takes requests, once loaded.
    Page(Option<js_sys::Function>),
}

/// The session as the page sees it; requests wait in `queued` until it is ready.
struct Host {
    link: Link,
    ready: bool,
    queued: VecDeque<(ToSession, Option<web_sys::File>)>,
    module: WorkerModule,
}

/// Where the worker module is served, and the address the page's files are served at.
#[derive(Clone)]
struct WorkerModule {
    glue: String,
    wasm: String,
    base: String,
}

thread_local! {
    static HOST: RefCell<Option<Host>> = const { RefCell::new(None) };
    static MIRROR: RefCell<SessionMirror> = RefCell::new(SessionMirror::new(wall_clock_ms()));
    static WAITING: RefCell<HashMap<u64, OnReply>> = RefCell::new(HashMap::new());
    static NEXT_ID: Cell<u64> = const { Cell::new(1) };
}

/// Starts the session: in a worker unless `on_page` (or the worker cannot be made).
pub fn start(on_page: bool) {
    let module = match worker_module() {
        Ok(m) => m,
        Err(why) => return web_sys::console::error_1(&format!("Sluice's engine cannot be found: {why}").into()),
    };
    let worker = if on_page {
        None
    } else {
        match spawn_worker(&module) {
            Ok(worker) => Some(worker),
            Err(why) => {
                web_sys::console::warn_1(&format!("Sluice runs its engine on the page's thread: {why}").into());
                None
            }
        }
    };
    let on_page = worker.is_none();
    let link = worker.map_or(Link::Page(None), Link::Worker);
    HOST.with(|h| *h.borrow_mut() = Some(Host { link, ready: false, queued: VecDeque::new(), module: module.clone() }));
    if on_page {
        load_on_page(module);
    }
}

/// `?engine=page` in the address keeps the session on the page's thread (tests run both ways).
pub fn wants_page(search: &str) -> bool {
    search.trim_start_matches('?').split('&').any(|pair| pair == "engine=page")
}

/// Whether the session runs in a worker (the page shows it in the clock bar's title).
pub fn in_worker() -> bool {
    HOST.with(|h| matches!(&*h.borrow(), Some(Host { link: Link::Worker(_), .. })))
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

/// Hands the session a file for `filesystem` tables: the session's side reads its bytes itself.
pub fn add_file(file: web_sys::File, on_reply: impl FnOnce(SessionReply) + 'static) {
    submit(SessionRequest::ReadFile { name: file.name() }, Some(file), Box::new(on_reply));
}

fn submit(request: SessionRequest, file: Option<web_sys::File>, on_reply: OnReply) {
    // Not `with_mirror`: a caller inside one must not make this panic (the list of functions
    // would then be asked again only after the next run).
    MIRROR.with(|m| {
        if let Ok(mut m) = m.try_borrow_mut() {
            m.sent(&request);
        }
    });
    let id = NEXT_ID.with(|n| n.replace(n.get() + 1));
    let message = ToSession { id, request };
    WAITING.with(|w| w.borrow_mut().insert(id, on_reply));
    HOST.with(|h| match &mut *h.borrow_mut() {
        Some(host) if host.ready => post(&host.link, &message, file.as_ref()),
        Some(host) => host.queued.push_back((message, file)),
        None => web_sys::console::error_1(&"Sluice's engine did not start: the request is dropped".into()),
    });
}

/// Sends one request: to a worker its bytes (transferred, not copied) and the file, if any; on
/// the page's thread, the same to the worker module's function.
fn post(link: &Link, message: &ToSession, file: Option<&web_sys::File>) {
    let bytes = match encode(message) {
        Ok(b) => b,
        Err(e) => return web_sys::console::error_1(&e.into()),
    };
    let array = js_sys::Uint8Array::from(bytes.as_slice());
    let sent = match link {
        Link::Worker(worker) => {
            let parts = js_sys::Array::of1(&array);
            if let Some(file) = file {
                parts.push(file);
            }
            worker.post_message_with_transfer(&parts, &js_sys::Array::of1(&array.buffer()))
        }
        Link::Page(Some(handle)) => {
            let file = file.map_or(JsValue::UNDEFINED, |f| f.clone().into());
            handle.call2(&JsValue::NULL, &array, &file).map(|_| ())
        }
        Link::Page(None) => Err("Sluice's engine is not loaded yet".into()),
    };
    if let Err(e) = sent {
        web_sys::console::error_1(&e);
    }
}

/// What the session sent: publications go to the mirror, replies to whoever asked.
fn receive(data: JsValue) {
    let Some(bytes) = data.dyn_ref::<js_sys::Uint8Array>().map(js_sys::Uint8Array::to_vec) else { return };
    let message = match decode::<FromSession>(&bytes) {
        Ok(m) => m,
        Err(e) => return web_sys::console::error_1(&e.into()),
    };
    match message {
        FromSession::Ready => become_ready(None),
        FromSession::Published(p) => with_mirror(|m| m.apply(p)),
        FromSession::Reply { id, reply } => {
            if let Some(on_reply) = WAITING.with(|w| w.borrow_mut().remove(&id)) {
                on_reply(reply);
            }
        }
    }
}

/// The session takes requests from now on (on the page's thread, through `handle`): what
/// waited is sent, in order.
fn become_ready(handle: Option<js_sys::Function>) {
    HOST.with(|h| {
        if let Some(host) = &mut *h.borrow_mut() {
            if let Some(handle) = handle {
                host.link = Link::Page(Some(handle));
            }
            host.ready = true;
            for (message, file) in host.queued.drain(..) {
                post(&host.link, &message, file.as_ref());
            }
        }
    });
}

/// The worker failed to start (its script or the wasm would not load): the session moves to the
/// page's thread, and what was waiting for the worker is served there.
fn fall_back(why: String) {
    let module = HOST.with(|h| match &mut *h.borrow_mut() {
        Some(host @ Host { link: Link::Worker(_), ready: false, .. }) => {
            if let Link::Worker(worker) = &host.link {
                worker.terminate();
            }
            host.link = Link::Page(None);
            Some(host.module.clone())
        }
        _ => None,
    });
    let Some(module) = module else {
        return web_sys::console::error_1(&format!("Sluice's engine worker failed: {why}").into());
    };
    web_sys::console::warn_1(&format!("Sluice's engine worker did not start ({why}); the engine runs on the page's thread").into());
    load_on_page(module);
}

/// Loads the worker module on the page's thread and starts its session there, then sends it
/// what waited. Its messages come back through a function that defers them, as a worker's
/// would come later: a reply that asks again never nests in the call that sent.
fn load_on_page(module: WorkerModule) {
    let on_message = Closure::<dyn FnMut(JsValue)>::new(|data: JsValue| wasm_bindgen_futures::spawn_local(async move { receive(data) }));
    let load = js_sys::Function::new_with_args(
        "glue, wasm, base, onMessage",
        "return import(glue).then(async (m) => { await m.default({ module_or_path: wasm }); m.start_on_page(base, onMessage); return m.handle_on_page; });",
    );
    let loaded = js_sys::Array::of4(&module.glue.into(), &module.wasm.into(), &module.base.into(), on_message.as_ref());
    on_message.forget();
    let promise = match load.apply(&JsValue::NULL, &loaded).map(js_sys::Promise::from) {
        Ok(p) => p,
        Err(e) => return web_sys::console::error_1(&e),
    };
    wasm_bindgen_futures::spawn_local(async move {
        match wasm_bindgen_futures::JsFuture::from(promise).await.map(|f| f.dyn_into::<js_sys::Function>()) {
            Ok(Ok(handle)) => become_ready(Some(handle)),
            Ok(Err(_)) => web_sys::console::error_1(&"Sluice's engine module has no `handle_on_page`".into()),
            Err(e) => web_sys::console::error_1(&format!("Sluice's engine could not be loaded: {e:?}").into()),
        }
    });
}

/// The worker module's addresses, found beside the page's own glue (`link[rel=modulepreload]`,
/// which Trunk writes), with the page's glue's name as a version so a cached engine from another
/// build of the page is not reused.
fn worker_module() -> Result<WorkerModule, String> {
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let base = document.base_uri().ok().flatten().ok_or("no base address")?;
    let href = document
        .query_selector("link[rel=modulepreload]")
        .ok()
        .flatten()
        .and_then(|e| e.get_attribute("href"))
        .ok_or("the page has no link[rel=modulepreload]")?;
    let page_glue = web_sys::Url::new_with_base(&href, &base).map_err(|_| format!("`{href}` is not an address"))?;
    let version = page_glue.pathname().rsplit('/').next().unwrap_or_default().to_string();
    let beside = |file: &str| -> Result<String, String> {
        let url = web_sys::Url::new_with_base(file, &page_glue.href()).map_err(|_| format!("`{file}` is not an address"))?;
        url.set_search(&format!("v={version}"));
        Ok(url.href())
    };
    Ok(WorkerModule { glue: beside(WORKER_GLUE)?, wasm: beside(WORKER_WASM)?, base })
}

/// A module worker running `call` (`entry(args…)`, an export of the worker module) once the
/// worker module at `glue` / `wasm` is loaded: the script is made here, as a `Blob`, so it works
/// from any static host. `what` names the worker in errors; `name` is its name in the browser's
/// tools.
pub(super) fn module_worker(glue: &str, wasm: &str, call: &str, what: &str, name: Option<&str>) -> Result<web_sys::Worker, String> {
    let entry = call.split('(').next().unwrap_or(call);
    let script = format!("import init, {{ {entry} }} from {glue:?};\nawait init({{ module_or_path: {wasm:?} }});\n{call};\n");
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/javascript");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&js_sys::Array::of1(&script.into()), &options)
        .map_err(|_| format!("the {what}'s script could not be made"))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| format!("the {what}'s script has no address"))?;
    let worker_options = web_sys::WorkerOptions::new();
    worker_options.set_type(web_sys::WorkerType::Module);
    if let Some(name) = name {
        worker_options.set_name(name);
    }
    web_sys::Worker::new_with_options(&url, &worker_options).map_err(|e| format!("no {what}: {e:?}"))
}

/// The worker: a module script that loads the worker module and calls its `worker_main`.
fn spawn_worker(module: &WorkerModule) -> Result<web_sys::Worker, String> {
    let WorkerModule { glue, wasm, base } = module;
    let worker = module_worker(glue, wasm, &format!("worker_main({base:?}, {glue:?}, {wasm:?})"), "worker", None)?;
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
