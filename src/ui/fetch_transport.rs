//! The page's Kinesis transport: each request one `fetch`, either to `sluice proxy` (unsigned:
//! the proxy signs with the keys of the machine it runs on) or straight to Kinesis, signed here
//! with the keys typed into the settings, which live only in this value. Also the page's way to
//! `sluice proxy`'s Kafka routes ([`FetchTransport::kafka_proxy`]: `POST /kafka/<route>`, JSON).

use std::time::{Duration, UNIX_EPOCH};

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::connectors::kinesis::client::MAX_REPLY_BYTES;
use crate::connectors::kinesis::credentials::Credentials;
use crate::connectors::kinesis::sign::sigv4_headers;
use crate::connectors::kinesis::transport::{Reply, Transport};

pub struct FetchTransport {
    url: String,
    signing: Option<(String, Credentials)>,
    /// Requests go to `sluice proxy`'s Kafka routes: the action is the route.
    kafka: bool,
}

impl FetchTransport {
    /// Requests to `sluice proxy` at `url`.
    pub fn proxy(url: &str) -> FetchTransport {
        FetchTransport { url: root_url(url), signing: None, kafka: false }
    }

    /// Kafka requests to `sluice proxy --kafka` at `url` (`/kafka/<route>`).
    pub fn kafka_proxy(url: &str) -> FetchTransport {
        FetchTransport { url: root_url(url), signing: None, kafka: true }
    }

    /// Requests to Kinesis at `url`, signed for `region`.
    pub fn direct(url: &str, region: &str, credentials: Credentials) -> FetchTransport {
        FetchTransport { url: root_url(url), signing: Some((region.to_string(), credentials)), kafka: false }
    }
}

/// Kinesis answers at `/`; the URL signed must be the URL fetched.
fn root_url(url: &str) -> String {
    format!("{}/", url.trim().trim_end_matches('/'))
}

impl Transport for FetchTransport {
    async fn send(&mut self, action: &str, body: &[u8]) -> Result<Reply, String> {
        let url = if self.kafka { format!("{}kafka/{action}", self.url) } else { self.url.clone() };
        let fail = |what: &str, e: JsValue| format!("{action} to {url}: {what}{}", describe(&e));
        let target = format!("Kinesis_20131202.{action}");
        let kinesis_headers = [("content-type", "application/x-amz-json-1.1"), ("x-amz-target", target.as_str())];
        let headers: &[(&str, &str)] = if self.kafka { &[("content-type", "application/json")] } else { &kinesis_headers };
        let request_headers = web_sys::Headers::new().map_err(|e| fail("", e))?;
        for &(name, value) in headers {
            request_headers.set(name, value).map_err(|e| fail("", e))?;
        }
        if let Some((region, credentials)) = &self.signing {
            let time = UNIX_EPOCH + Duration::from_millis(js_sys::Date::now().max(0.0) as u64);
            for (name, value) in sigv4_headers(&self.url, region, credentials, &kinesis_headers, body, time)? {
                request_headers.set(&name, &value).map_err(|e| fail("", e))?;
            }
        }
        let init = web_sys::RequestInit::new();
        init.set_method("POST");
        init.set_mode(web_sys::RequestMode::Cors);
        init.set_headers(&request_headers);
        init.set_body(&js_sys::Uint8Array::from(body));
        let request = web_sys::Request::new_with_str_and_init(&url, &init).map_err(|e| fail("", e))?;
        // The page's window, or the worker's scope when the session runs in one.
        let fetched = match web_sys::window() {
            Some(window) => window.fetch_with_request(&request),
            None => js_sys::global()
                .dyn_into::<web_sys::WorkerGlobalScope>()
                .map_err(|_| format!("{action}: nothing to fetch from"))?
                .fetch_with_request(&request),
        };
        // A refused connection or a CORS refusal both end here, as a TypeError without detail.
        let response = JsFuture::from(fetched)
            .await
            .map_err(|e| fail("no answer (is the endpoint up, and does it allow this page's origin?): ", e))?;
        let response: web_sys::Response = response.dyn_into().map_err(|e| fail("", e))?;
        let status = response.status();
        let body = read_bounded(&response).await.map_err(|e| fail("reading the answer: ", e))?;
        Ok(Reply { status, body })
    }
}

/// The body, read chunk by chunk as it arrives and no further than one byte past
/// [`MAX_REPLY_BYTES`] (the client refuses such an answer): a server or proxy sending gigabytes
/// never has them held in the tab. A `Content-Length` over the bound is refused before reading.
async fn read_bounded(response: &web_sys::Response) -> Result<Vec<u8>, JsValue> {
    let limit = MAX_REPLY_BYTES + 1;
    let declared = response.headers().get("content-length").ok().flatten().and_then(|l| l.trim().parse::<u64>().ok());
    let Some(stream) = response.body() else { return Ok(Vec::new()) };
    let reader: web_sys::ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
    if declared.is_some_and(|l| l > MAX_REPLY_BYTES as u64) {
        let _ = reader.cancel();
        // Only the length matters to the client: one byte more than it reads.
        return Ok(vec![0; limit]);
    }
    let mut body = Vec::with_capacity(declared.map_or(0, |l| l as usize));
    while body.len() < limit {
        let chunk = JsFuture::from(reader.read()).await?;
        if js_sys::Reflect::get(&chunk, &"done".into())?.is_truthy() {
            break;
        }
        let bytes: js_sys::Uint8Array = js_sys::Reflect::get(&chunk, &"value".into())?.dyn_into()?;
        let take = (bytes.length() as usize).min(limit - body.len());
        let start = body.len();
        body.resize(start + take, 0);
        bytes.subarray(0, take as u32).copy_to(&mut body[start..]);
    }
    if body.len() >= limit {
        let _ = reader.cancel();
    }
    Ok(body)
}

fn describe(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())).or_else(|| e.as_string()).unwrap_or_default()
}
