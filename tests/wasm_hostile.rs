//! The hostile-input corpus in wasm, in headless Chromium as the page runs it (a 1 MiB stack,
//! where about 10,000 levels of recursion used to kill the tab): the same cases as
//! `tests/hostile_input.rs`, read through `include_bytes!`, each a result or a clear error.
//!
//! Run with `CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown --test wasm_hostile`.
#![cfg(target_arch = "wasm32")]

#[path = "common/hostile.rs"]
mod hostile;

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn every_checked_in_case_gives_a_result_or_a_clear_error() {
    assert!(hostile::CASES.len() > 40, "the case list is empty: see tests/hostile/README.md");
    for (parser, name, bytes) in hostile::CASES {
        // A panic aborts the test (wasm cannot catch it); the case's name is printed first.
        wasm_bindgen_test::console_log!("{parser}/{name}");
        let _ = hostile::check(parser, name, bytes);
    }
}

#[wasm_bindgen_test]
fn every_generated_case_gives_a_result_or_a_clear_error() {
    for (parser, name, bytes) in hostile::generated() {
        wasm_bindgen_test::console_log!("{parser}/{name}");
        let _ = hostile::check(parser, &name, &bytes);
    }
}
