//! The `sluice` binary: in the browser (wasm32) it mounts the studio; natively it is the
//! command-line runner (`sluice run SCRIPT.sql`).

#[cfg(target_arch = "wasm32")]
fn main() {
    sluice::ui::mount();
}

/// The page's session worker calls this once it has loaded this module (see `src/ui/host.rs`).
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn worker_main(base: String) {
    sluice::ui::worker_main(base);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    std::process::exit(sluice::cli::main());
}
