//! The `sluice` binary: in the browser (wasm32) it is the page module, which mounts the studio
//! (the session runs in the worker module, `src/worker_main.rs`); natively it is the
//! command-line runner (`sluice run SCRIPT.sql`).

#[cfg(target_arch = "wasm32")]
fn main() {
    sluice::ui::mount();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    std::process::exit(sluice::cli::main());
}
