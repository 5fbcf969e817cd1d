//! One of the page's decode workers (`decode_pool.rs` starts them from the session's worker): it
//! turns a chunk of a file's lines into columnar rows with the table's decoder, exactly as the
//! session's thread would ([`crate::connectors::decode_lines`]), and sends them back as bytes.
//! It holds no session, only a decoder per open read.

use std::cell::RefCell;
use std::collections::HashMap;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::decode_pool::{FromDecoder, ToDecoder};
use crate::connectors::{decode_lines, Decoder, ReadError};
use crate::types::encode_batch;
use crate::views::host::protocol::{decode, encode};

thread_local! {
    /// Each open read's decoder, or why it could not be made.
    static READS: RefCell<HashMap<u64, Result<Decoder, String>>> = RefCell::new(HashMap::new());
}

/// Starts taking messages, and says so.
pub fn main() {
    console_error_panic_hook::set_once();
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(|e: web_sys::MessageEvent| {
        let parts: js_sys::Array = e.data().unchecked_into();
        receive(&parts);
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    post(&FromDecoder::Ready, &[]);
}

fn receive(parts: &js_sys::Array) {
    let Some(header) = parts.get(0).dyn_ref::<js_sys::Uint8Array>().map(js_sys::Uint8Array::to_vec) else { return };
    let message = match decode::<ToDecoder>(&header) {
        Ok(m) => m,
        Err(e) => return web_sys::console::error_1(&e.into()),
    };
    match message {
        ToDecoder::Open { read, spec } => READS.with(|r| {
            r.borrow_mut().insert(read, spec.decoder());
        }),
        ToDecoder::Chunk { read, c } => {
            let lines = parts.get(1).dyn_ref::<js_sys::Uint8Array>().map(js_sys::Uint8Array::to_vec).unwrap_or_default();
            let (rows, skipped, error) = READS.with(|r| match r.borrow_mut().get_mut(&read) {
                Some(Ok(decoder)) => {
                    let decoded = decode_lines(&lines, decoder);
                    let rows = if decoded.batch.is_empty() { Vec::new() } else { encode_batch(&decoded.batch) };
                    (rows, decoded.skipped, decoded.error)
                }
                Some(Err(e)) => (Vec::new(), 0, Some(ReadError::File(e.clone()))),
                None => (Vec::new(), 0, Some(ReadError::File(format!("the decode worker was not told about read {read}")))),
            });
            post(&FromDecoder::Decoded { read, c, skipped, error }, &rows);
        }
        ToDecoder::Close { read } => READS.with(|r| {
            r.borrow_mut().remove(&read);
        }),
    }
}

/// Sends `message` and `rows` to the session's worker, both transferred.
fn post(message: &FromDecoder, rows: &[u8]) {
    let bytes = match encode(message) {
        Ok(b) => b,
        Err(e) => return web_sys::console::error_1(&e.into()),
    };
    let header = js_sys::Uint8Array::from(bytes.as_slice());
    let rows = js_sys::Uint8Array::from(rows);
    let transfer = js_sys::Array::of2(&header.buffer(), &rows.buffer());
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    if let Err(e) = scope.post_message_with_transfer(&js_sys::Array::of2(&header, &rows), &transfer) {
        web_sys::console::error_1(&e);
    }
}
