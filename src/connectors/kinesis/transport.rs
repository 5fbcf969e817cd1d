//! The one thing the Kinesis client needs from the outside world: send a JSON 1.1 request
//! (`X-Amz-Target: Kinesis_20131202.<action>`, a JSON body) and get back a status and a body.
//!
//! Natively an HTTP client signs and sends it ([`super::http::HttpTransport`]); in the page a
//! `fetch` does (signed in the page, or unsigned through `sluice proxy`). Tests put a scripted
//! transport here to play throttling, expired iterators and failures without a server.
//!
//! Sending is `async` so that one client, poller and writer serve both: the page awaits its
//! `fetch`, while natively the blocking client has answered by the time the future is first
//! polled, and [`block_on`] runs it on the calling thread.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

/// What came back: the HTTP status and the body (JSON for every Kinesis answer, but a broken
/// server or proxy may send anything).
#[derive(Clone, Debug, PartialEq)]
pub struct Reply {
    pub status: u16,
    pub body: Vec<u8>,
}

pub trait Transport {
    /// Sends one request. `Err` means no answer at all (connection refused, reset, timed out):
    /// the caller may retry. A body longer than [`super::client::MAX_REPLY_BYTES`] is read no
    /// further than one byte past it (the client then refuses it).
    fn send(&mut self, action: &str, body: &[u8]) -> impl Future<Output = Result<Reply, String>>;
}

/// Runs `future` to its end on this thread. Made for futures over a blocking transport, which
/// are ready when first polled; any other is polled again until it is (nothing here sleeps
/// waiting for a wake-up, so a future that needs one from elsewhere would spin).
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut context = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
        std::thread::yield_now();
    }
}
