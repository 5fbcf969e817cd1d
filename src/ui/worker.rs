//! The session's side of the page, in a Web Worker: a [`SessionServer`] moved on by its own
//! ticks (on a 40 ms beat, back to back while behind: `views::host::pacing`), answering the page's requests and publishing after every tick and every request
//! (the publication first, so a reply finds the mirror up to date). A file the page hands over
//! is read here, so its bytes never pass through the page's thread.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::{real_ms, wall_clock_ms};
use crate::session::{Budget, Deadline};
use crate::views::host::pacing::{Next, Pacer, TICK_MS};
use crate::views::host::protocol::{decode, encode, FromSession, SessionReply, SessionRequest, ToSession};
use crate::views::host::server::SessionServer;

thread_local! {
    static SERVER: RefCell<SessionServer> = RefCell::new(SessionServer::new(wall_clock_ms()));
    /// The address the page's files are served at (Python's files are found from it).
    static BASE: RefCell<String> = const { RefCell::new(String::new()) };
    /// When the next tick runs and whether a tick publishes (see `pacing`).
    static PACER: RefCell<Pacer> = RefCell::new(Pacer::new());
    /// A channel to itself: a message posted on it runs the next tick after the messages already
    /// queued (the page's requests), without `setTimeout`'s clamping of nested timers.
    static AT_ONCE: Option<web_sys::MessagePort> = at_once_port();
}

/// Starts the worker's session: called once by the worker's script, with the page's address.
pub fn main(base: String) {
    BASE.with(|b| *b.borrow_mut() = base);
    console_error_panic_hook::set_once();
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(|e: web_sys::MessageEvent| receive(e.data()));
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    schedule(Next::After(TICK_MS));
    post(&FromSession::Ready);
}

/// One tick of the session's clock, then the next one scheduled: on the 40 ms beat while the
/// session keeps up, at once while it is behind (its budget spent).
fn tick() {
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
            gloo_timers::callback::Timeout::new(ms.round() as u32, tick).forget();
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
