//! The `sluice-worker` binary: the page's worker module (wasm32 only), the session with its SQL
//! parser, planner, engine and connectors, which the page module never links. The page loads it
//! in a Web Worker, or on its own thread with `?engine=page` (see `src/ui/host.rs`).
//!
//! Its exports are here, not in the library: a `#[wasm_bindgen]` export of the library would be
//! a root of the page module too, and would pull the engine into it.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen::prelude::*;

/// Nothing happens on load: the script that loaded the module calls one of the functions below.
#[cfg(target_arch = "wasm32")]
fn main() {}

/// Starts the session in a Web Worker, told the page's address and this module's glue and wasm.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen]
pub fn worker_main(base: String, glue: String, wasm: String) {
    sluice::ui::worker_main(base, glue, wasm);
}

/// Starts one of the session's decode workers (in a worker the session's worker started).
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen]
pub fn decode_main() {
    sluice::ui::decode_main();
}

/// Starts the session on the page's thread; its messages go to `on_message`.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen]
pub fn start_on_page(base: String, on_message: js_sys::Function) {
    sluice::ui::start_on_page(base, on_message);
}

/// One request to the session on the page's thread: its bytes, and a file or `undefined`.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen]
pub fn handle_on_page(bytes: JsValue, file: JsValue) {
    sluice::ui::handle_on_page(bytes, file);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("sluice-worker is the page's engine module, built for wasm32 by Trunk; natively, run `sluice`");
    std::process::exit(2);
}
