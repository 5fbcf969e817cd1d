//! The native transport: Kinesis JSON 1.1 over HTTP/1.1 (ureq), each request signed with SigV4
//! ([`super::sign`]).
//!
//! HTTPS needs Sluice built with the `tls` feature; plain `http://` is for local test servers
//! (moto, kinesalite) and `sluice proxy`.

use std::io::Read as _;
use std::time::{Duration, SystemTime};

use super::client::MAX_REPLY_BYTES;

use super::sign::sigv4_headers;
use super::transport::{Reply, Transport};

pub use super::credentials::Credentials;

/// Where and how to reach Kinesis.
#[derive(Clone, Debug)]
pub struct Endpoint {
    /// `http://127.0.0.1:4567` or `https://kinesis.us-east-1.amazonaws.com`.
    pub url: String,
    pub region: String,
}

pub struct HttpTransport {
    agent: ureq::Agent,
    endpoint: Endpoint,
    url: String,
    credentials: Credentials,
}

/// Longest wait for one answer: a `GetRecords` of 10 MB on a slow link still fits.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

impl HttpTransport {
    pub fn new(endpoint: Endpoint, credentials: Credentials) -> Result<HttpTransport, String> {
        let url = format!("{}/", endpoint.url.trim_end_matches('/'));
        if !url.starts_with("http://") && !url.starts_with("https://") {
            return Err(format!("Kinesis endpoint `{}` is not an http:// or https:// URL", endpoint.url));
        }
        if url.starts_with("https://") && !cfg!(feature = "tls") {
            return Err(format!(
                "Kinesis endpoint `{}` needs HTTPS, and this sluice was built without it: rebuild with `cargo build --features tls`",
                endpoint.url
            ));
        }
        let agent: ureq::Agent = ureq::Agent::config_builder()
            // Kinesis explains its errors in the body; we want to read it, not an Err.
            .http_status_as_error(false)
            .timeout_global(Some(REQUEST_TIMEOUT))
            .build()
            .into();
        Ok(HttpTransport { agent, endpoint, url, credentials })
    }
}

impl Transport for HttpTransport {
    async fn send(&mut self, action: &str, body: &[u8]) -> Result<Reply, String> {
        let target = format!("Kinesis_20131202.{action}");
        let headers = [("content-type", "application/x-amz-json-1.1"), ("x-amz-target", target.as_str())];
        let signature = sigv4_headers(&self.url, &self.endpoint.region, &self.credentials, &headers, body, SystemTime::now())?;
        let mut request = self.agent.post(&self.url);
        for (name, value) in headers {
            request = request.header(name, value);
        }
        for (name, value) in &signature {
            request = request.header(name, value);
        }
        let mut response = request.send(body).map_err(|e| format!("{action} to {}: {e}", self.endpoint.url))?;
        let status = response.status().as_u16();
        // At most one byte past the bound is read, so the client sees the answer is too large
        // (an error reading it would be taken for a network failure and retried).
        let mut body = Vec::new();
        response
            .body_mut()
            .as_reader()
            .take(MAX_REPLY_BYTES as u64 + 1)
            .read_to_end(&mut body)
            .map_err(|e| format!("{action} to {}: reading the answer: {e}", self.endpoint.url))?;
        Ok(Reply { status, body })
    }
}

#[cfg(test)]
mod tests {
    use std::io::{Read as _, Write as _};

    use super::*;
    use crate::connectors::kinesis::client::{KinesisClient, KinesisError};
    use crate::connectors::kinesis::transport::block_on;

    /// An answer past the bound is cut one byte after it and refused by the client as too large,
    /// not an error reading it (which was taken for a network failure and retried for ever).
    #[test]
    fn an_answer_past_the_bound_is_cut_and_refused_not_retried() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let server = std::thread::spawn(move || {
            let (mut socket, _) = listener.accept().unwrap();
            // The whole request is read first: closing with some of it unread would reset the
            // connection under the client while it still reads the answer.
            let mut request = Vec::new();
            let mut chunk = [0u8; 4096];
            let complete = |r: &[u8]| {
                let text = String::from_utf8_lossy(r);
                let Some((head, body)) = text.split_once("\r\n\r\n") else { return false };
                let length = head
                    .lines()
                    .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse::<usize>().unwrap_or(0)));
                body.len() >= length.unwrap_or(0)
            };
            while !complete(&request) {
                match socket.read(&mut chunk) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => request.extend_from_slice(&chunk[..n]),
                }
            }
            let length = MAX_REPLY_BYTES + 100;
            let _ = write!(socket, "HTTP/1.1 200 OK\r\nContent-Length: {length}\r\n\r\n");
            let _ = socket.write_all(&vec![b' '; length]);
        });
        let credentials = Credentials { access_key_id: "k".into(), secret_access_key: "s".into(), session_token: None };
        let transport = HttpTransport::new(Endpoint { url, region: "us-east-1".into() }, credentials).unwrap();
        let e = block_on(KinesisClient::new(transport).get_records("it", 10)).unwrap_err();
        assert!(matches!(&e, KinesisError::Malformed(m) if m.contains("more than 33554432 bytes")), "{e:?}");
        let _ = server.join();
    }
}
