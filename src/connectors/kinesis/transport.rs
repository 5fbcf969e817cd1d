//! The one thing the Kinesis client needs from the outside world: send a JSON 1.1 request
//! (`X-Amz-Target: Kinesis_20131202.<action>`, a JSON body) and get back a status and a body.
//!
//! Natively an HTTP client signs and sends it ([`super::http::HttpTransport`]); in the page a
//! `fetch` will (signed in the page, or unsigned through `sluice proxy`). Tests put a scripted
//! transport here to play throttling, expired iterators and failures without a server.

/// What came back: the HTTP status and the body (JSON for every Kinesis answer, but a broken
/// server or proxy may send anything).
#[derive(Clone, Debug, PartialEq)]
pub struct Reply {
    pub status: u16,
    pub body: Vec<u8>,
}

pub trait Transport: Send {
    /// Sends one request. `Err` means no answer at all (connection refused, reset, timed out):
    /// the caller may retry.
    fn send(&mut self, action: &str, body: &[u8]) -> Result<Reply, String>;
}

impl<T: Transport + ?Sized> Transport for Box<T> {
    fn send(&mut self, action: &str, body: &[u8]) -> Result<Reply, String> {
        (**self).send(action, body)
    }
}
