//! The studio in the page (Leptos, client-side rendered). Browser-only code lives here: the
//! clock, storage, files, and the views. Everything they show comes from
//! [`crate::session::Session`] — in a Web Worker, read through the mirror of what it publishes
//! (`host.rs`) — and [`crate::views`].
//!
//! Two wasm modules link this: the page module ([`mount`], `src/main.rs`) and the worker module
//! (`src/worker_main.rs`: [`worker_main`], [`start_on_page`], [`handle_on_page`] → `worker.rs`,
//! [`decode_main`] → `decode_worker.rs`,
//! `python.rs`, `remotes.rs` and the Kinesis and Kafka tasks). Each keeps only what its entry
//! points reach, so nothing the page module calls may reach the parser, planner or engine.

mod app;
mod break_it;
mod chart;
mod clock;
mod data_files;
mod decode_pool;
mod decode_worker;
mod editor;
mod embed;
mod exercise;
mod explain;
pub mod fetch_transport;
mod files;
mod host;
mod late_ledger;
mod note;
mod notebook;
mod notes_panel;
mod output;
mod page_kafka;
mod page_remote;
mod paragraph;
mod python;
mod remotes;
mod result;
mod sample;
mod settings;
mod share;
mod sidebar;
mod storage;
mod strategies;
mod theme;
mod timeline;
mod why_empty;
mod worker;

use wasm_bindgen::JsCast;

pub(crate) use host::{now_ms, with_mirror};

/// Moves each time the page's views redraw (every 250 ms); views that show counts from the
/// session without a paragraph's changes (the plan graph) follow it.
#[derive(Clone, Copy)]
pub(crate) struct RedrawTick(pub leptos::prelude::RwSignal<u64>);

/// The browser's monotonic clock (ms), which the virtual clock's ticks measure real time by.
pub(crate) fn real_ms() -> f64 {
    let performance = match web_sys::window() {
        Some(window) => window.performance(),
        // In the session's worker.
        None => js_sys::global().dyn_into::<web_sys::WorkerGlobalScope>().ok().and_then(|scope| scope.performance()),
    };
    performance.map_or_else(js_sys::Date::now, |p| p.now())
}

/// The page's wall clock: local time as milliseconds since the epoch, as the walkthrough's
/// sender stamps `event_time` (local time, no zone). The virtual clock starts here.
pub(crate) fn wall_clock_ms() -> i64 {
    let date = js_sys::Date::new_0();
    let utc = date.get_time();
    let offset_minutes = date.get_timezone_offset();
    (utc - offset_minutes * 60_000.0) as i64
}

/// Mounts the studio (the page module's `main`).
pub fn mount() {
    if web_sys::window().is_none() {
        return;
    }
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}

/// The worker module's session starts here in a Web Worker (see `host.rs`), told the page's
/// address and the worker module's glue and wasm (which its decode workers load).
pub fn worker_main(base: String, glue: String, wasm: String) {
    worker::main(base, glue, wasm);
}

/// A decode worker of the session's worker starts here (see `decode_pool.rs`).
pub fn decode_main() {
    decode_worker::main();
}

/// The worker module's session starts here on the page's thread; it sends its messages to
/// `on_message` (see `worker.rs`).
pub fn start_on_page(base: String, on_message: js_sys::Function) {
    worker::start_on_page(base, on_message);
}

/// A request (its bytes and a file, if any) to the worker module's session on the page's thread.
pub fn handle_on_page(bytes: wasm_bindgen::JsValue, file: wasm_bindgen::JsValue) {
    worker::receive_on_page(bytes, file);
}
