//! The native transport: Kinesis JSON 1.1 over HTTP/1.1 (ureq), each request signed with SigV4
//! ([`super::sign`]).
//!
//! HTTPS needs Sluice built with the `tls` feature; plain `http://` is for local test servers
//! (moto, kinesalite) and `sluice proxy`.

use std::time::{Duration, SystemTime};

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
        let body = response
            .body_mut()
            .with_config()
            .limit(super::client::MAX_REPLY_BYTES as u64 + 1)
            .read_to_vec()
            .map_err(|e| format!("{action} to {}: reading the answer: {e}", self.endpoint.url))?;
        Ok(Reply { status, body })
    }
}
