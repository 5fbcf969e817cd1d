//! The session's side of the page, in a Web Worker: a [`SessionServer`] moved on by its own
//! timer, answering the page's requests and publishing after every tick and every request
//! (the publication first, so a reply finds the mirror up to date). A file the page hands over
//! is read here, so its bytes never pass through the page's thread.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::{real_ms, wall_clock_ms};
use crate::session::Deadline;
use crate::views::host::protocol::{decode, encode, FromSession, SessionReply, SessionRequest, ToSession};
use crate::views::host::server::SessionServer;

/// How often the worker moves time on and publishes, as the page's engine tick did.
const ENGINE_TICK_MS: u32 = 40;
/// At "as fast as possible", the share of each tick the clock may spend moving on: the rest is
/// for the page's requests, which wait between ticks.
const WORKER_BUDGET_MS: f64 = 32.0;

thread_local! {
    static SERVER: RefCell<SessionServer> = RefCell::new(SessionServer::new(wall_clock_ms()));
    /// The address the page's files are served at (Python's files are found from it).
    static BASE: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Starts the worker's session: called once by the worker's script, with the page's address.
pub fn main(base: String) {
    BASE.with(|b| *b.borrow_mut() = base);
    console_error_panic_hook::set_once();
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(|e: web_sys::MessageEvent| receive(e.data()));
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    gloo_timers::callback::Interval::new(ENGINE_TICK_MS, || {
        let published = SERVER.with(|s| {
            let mut s = s.borrow_mut();
            s.tick(real_ms(), &mut Deadline::new(real_ms, WORKER_BUDGET_MS));
            s.publish()
        });
        post(&FromSession::Published(published));
    })
    .forget();
    post(&FromSession::Ready);
}

/// One request from the page: `[bytes, file?]`.
fn receive(data: JsValue) {
    let parts: js_sys::Array = data.unchecked_into();
    let Some(bytes) = parts.get(0).dyn_ref::<js_sys::Uint8Array>().map(js_sys::Uint8Array::to_vec) else { return };
    let message = match decode::<ToSession>(&bytes) {
        Ok(m) => m,
        Err(e) => return web_sys::console::error_1(&e.into()),
    };
    let ToSession { id, request } = message;
    if let (SessionRequest::ReadFile { name }, Ok(file)) = (&request, parts.get(1).dyn_into::<web_sys::File>()) {
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
    serve(id, request);
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
        let reply = s.handle(request, &mut super::host::PageRemotes);
        (reply, s.publish())
    });
    post(&FromSession::Published(published));
    post(&FromSession::Reply { id, reply });
}

/// Sends `message` to the page, its bytes transferred rather than copied.
fn post(message: &FromSession) {
    let bytes = match encode(message) {
        Ok(b) => b,
        Err(e) => return web_sys::console::error_1(&e.into()),
    };
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let array = js_sys::Uint8Array::from(bytes.as_slice());
    if let Err(e) = scope.post_message_with_transfer(&array, &js_sys::Array::of1(&array.buffer())) {
        web_sys::console::error_1(&e);
    }
}
