//! The hostile-input corpus in wasm, in headless Chromium as the page runs it (a 1 MiB stack,
//! where about 10,000 levels of recursion used to kill the tab): the same cases as
//! `tests/hostile_input.rs` but `cli/`, read through `include_bytes!`, each a result or a clear
//! error, and what its `.expect` file or its JSON (LIKE and regex cases, run by a `Session`) says.
//!
//! Run with `CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_WEBDRIVER_JSON=$PWD/tests/wasm/webdriver.json
//! cargo test --target wasm32-unknown-unknown --test wasm_hostile`.
#![cfg(target_arch = "wasm32")]

#[path = "common/hostile.rs"]
mod hostile;

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn every_checked_in_case_gives_a_result_or_a_clear_error() {
    assert!(hostile::CASES.len() > 40, "the case list is empty: see tests/hostile/README.md");
    for (parser, name, bytes) in hostile::CASES.iter().filter(|(_, name, _)| hostile::is_case(name)) {
        let expect_name = hostile::expect_name(name);
        let expect = hostile::CASES.iter().find(|(p, n, _)| p == parser && *n == expect_name).map(|(.., b)| *b);
        // A panic aborts the test (wasm cannot catch it); the case's name is printed first.
        wasm_bindgen_test::console_log!("{parser}/{name}");
        let _ = hostile::check(parser, name, bytes, expect);
    }
}

#[wasm_bindgen_test]
fn every_generated_case_gives_a_result_or_a_clear_error() {
    for (parser, name, bytes) in hostile::generated() {
        wasm_bindgen_test::console_log!("{parser}/{name}");
        let _ = hostile::check(parser, &name, &bytes, None);
    }
}

/// The page's Kinesis transport reads an answer as it arrives and stops one byte past the bound,
/// so a server sending more than 32 MiB is refused without all of it held in the tab (before,
/// the whole body was read, then measured). A `data:` URL stands in for the server.
#[wasm_bindgen_test]
async fn the_page_reads_a_kinesis_answer_no_further_than_its_bound() {
    use sluice::connectors::kinesis::client::{KinesisClient, MAX_REPLY_BYTES};
    use sluice::connectors::kinesis::transport::Transport;
    use sluice::ui::fetch_transport::FetchTransport;
    // The transport fetches the URL with `/` added: Kinesis answers at the root.
    let reply = FetchTransport::proxy("data:text/plain,short").send("GetRecords", b"{}").await.unwrap();
    assert_eq!((reply.status, reply.body.as_slice()), (200, &b"short/"[..]));
    let huge = format!("data:text/plain,{}", "x".repeat(MAX_REPLY_BYTES + 1000));
    let reply = FetchTransport::proxy(&huge).send("GetRecords", b"{}").await.unwrap();
    assert_eq!(reply.body.len(), MAX_REPLY_BYTES + 1, "read no further than one byte past the bound");
    let e = KinesisClient::new(FetchTransport::proxy(&huge)).get_records("it", 10).await.unwrap_err();
    assert!(e.to_string().contains("GetRecords answered more than 33554432 bytes") && !e.is_retryable(), "{e}");
}
