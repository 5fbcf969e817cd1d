//! `sluice proxy`: the page's way to a real Kinesis stream without holding AWS keys.
//!
//! The page sends the Kinesis JSON 1.1 requests it would send to AWS (`POST`, `X-Amz-Target:
//! Kinesis_20131202.<Action>`, a JSON body), unsigned, to the proxy on loopback; the proxy checks
//! them against its [`policy::Policy`] (origin, action, stream, size), signs them with SigV4 using
//! the credentials of the machine it runs on, and sends them to the regional endpoint or
//! `--endpoint` through the same [`HttpTransport`] the native runner uses. Its answers carry CORS
//! headers only for the allowed origins. With `--serve DIR` it also serves the built app, so the
//! page and its proxy share one origin.
//!
//! With `--kafka HOST:PORT,…` it also answers the page's Kafka requests (`POST /kafka/…`,
//! [`kafka`]): the page names a topic, the proxy speaks Kafka's protocol to the broker with its
//! own settings (`--kafka-property`, SASL credentials included), for allowed topics only
//! (`--allow-topic`). Without AWS credentials it still serves Kafka (and answers Kinesis calls
//! with an error saying so).
//!
//! Every request gets one log line on stderr — method, action, stream, status, milliseconds —
//! and nothing else: no headers, no bodies, so neither the keys nor a signature ever show.

pub mod kafka;
pub mod policy;
pub mod static_files;

use std::io::Read;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use tiny_http::{Header, Method, Request, Response, Server};

use crate::connectors::kafka::wire::{ClientConfig, KafkaClient};
use crate::connectors::kinesis::credentials::{standard_region, Credentials};
use crate::connectors::kinesis::http::{Endpoint, HttpTransport};
use crate::connectors::kinesis::transport::{block_on, Transport};
use policy::{AnswerTokens, IssuedTokens, Policy, Refusal, RequestTarget};
use static_files::Lookup;

pub const DEFAULT_PORT: u16 = 4599;
/// Requests are handled this many at a time (each with its own connection upstream): enough for
/// a page polling several shards while it writes.
const WORKERS: usize = 8;
/// Iterators and page tokens remembered for the stream allowlist and the log.
const ISSUED_TOKENS: usize = 100_000;
/// `trunk serve`'s address, where a studio under development runs.
const DEVELOPMENT_ORIGINS: [&str; 2] = ["http://127.0.0.1:8080", "http://localhost:8080"];

#[derive(Clone, Debug)]
pub struct ProxyConfig {
    pub bind: String,
    pub port: u16,
    /// Where requests go; `None` is `https://kinesis.<region>.amazonaws.com`.
    pub endpoint: Option<String>,
    pub region: Option<String>,
    pub profile: Option<String>,
    /// Origins besides the proxy's own; empty means the development server's.
    pub allowed_origins: Vec<String>,
    pub allowed_streams: Vec<String>,
    pub max_body: usize,
    pub serve: Option<PathBuf>,
    /// `--kafka`: the bootstrap servers the page's Kafka requests go to (`None`: no Kafka).
    pub kafka: Option<String>,
    /// `--kafka-property key=value`: the client's settings (SASL, timeouts), kept here.
    pub kafka_properties: Vec<(String, String)>,
    /// `--allow-topic`: topic names; empty means every topic.
    pub allowed_topics: Vec<String>,
}

impl Default for ProxyConfig {
    fn default() -> Self {
        ProxyConfig {
            bind: "127.0.0.1".into(),
            port: DEFAULT_PORT,
            endpoint: None,
            region: None,
            profile: None,
            allowed_origins: Vec::new(),
            allowed_streams: Vec::new(),
            max_body: policy::DEFAULT_MAX_BODY,
            serve: None,
            kafka: None,
            kafka_properties: Vec::new(),
            allowed_topics: Vec::new(),
        }
    }
}

/// What every worker shares.
struct Shared {
    policy: Policy,
    issued: Mutex<IssuedTokens>,
    serve: Option<PathBuf>,
    allowed_topics: Vec<String>,
    /// Why Kinesis calls are not forwarded (no AWS credentials), when they are not.
    no_kinesis: Option<String>,
}

/// One worker's connections upstream.
struct Upstream {
    kinesis: Option<HttpTransport>,
    kafka: Option<KafkaClient>,
}

/// A bound proxy, not yet answering.
pub struct Proxy {
    server: Arc<Server>,
    shared: Arc<Shared>,
    upstreams: Vec<Upstream>,
    /// `http://127.0.0.1:4599`: where the page (or `--serve`'s app) reaches it.
    pub url: String,
    /// Lines worth printing at start: where it listens, where it forwards, whose keys.
    pub banner: Vec<String>,
}

impl Proxy {
    /// Finds the credentials, checks the endpoint and binds the port; errors say what to fix.
    pub fn bind(config: &ProxyConfig) -> Result<Proxy, String> {
        let kafka_config = match &config.kafka {
            None => None,
            Some(servers) => {
                let get = |k: &str| {
                    if k == "bootstrap.servers" {
                        return Some(servers.as_str());
                    }
                    config.kafka_properties.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str())
                };
                Some(ClientConfig::from_properties(get).map_err(|e| format!("--kafka: {e}"))?)
            }
        };
        // Kinesis needs AWS credentials; a proxy for Kafka alone does not.
        let credentials = match Credentials::from_standard_sources(config.profile.as_deref()) {
            Ok(c) => Some(c),
            Err(_) if kafka_config.is_some() => None,
            Err(e) => return Err(e),
        };
        let region = config.region.clone().or_else(|| standard_region(config.profile.as_deref())).unwrap_or_else(|| "us-east-1".into());
        let url = config.endpoint.clone().unwrap_or_else(|| format!("https://kinesis.{region}.amazonaws.com"));
        let endpoint = Endpoint { url: url.clone(), region: region.clone() };
        let mut upstreams = Vec::with_capacity(WORKERS);
        for _ in 0..WORKERS {
            let kinesis = match &credentials {
                Some((c, _)) => Some(HttpTransport::new(endpoint.clone(), c.clone())?),
                None => None,
            };
            upstreams.push(Upstream { kinesis, kafka: kafka_config.clone().map(KafkaClient::new) });
        }
        if let Some(dir) = &config.serve {
            if !dir.join("index.html").is_file() {
                return Err(format!("--serve {}: no index.html there (build the app first: trunk build --release)", dir.display()));
            }
        }
        let server = Server::http((config.bind.as_str(), config.port))
            .map_err(|e| format!("cannot listen on {}:{}: {e}", config.bind, config.port))?;
        let port = server.server_addr().to_ip().map_or(config.port, |a| a.port());
        let host = if config.bind.contains(':') { format!("[{}]", config.bind) } else { config.bind.clone() };
        let own = format!("http://{host}:{port}");
        let mut origins = vec![own.clone()];
        if config.bind == "127.0.0.1" {
            origins.push(format!("http://localhost:{port}"));
        }
        if config.allowed_origins.is_empty() {
            origins.extend(DEVELOPMENT_ORIGINS.iter().map(|o| o.to_string()));
        } else {
            origins.extend(config.allowed_origins.iter().map(|o| o.trim_end_matches('/').to_string()));
        }
        let mut banner = vec![format!("listening on {own}")];
        let no_kinesis = match &credentials {
            Some((_, source)) => {
                banner.push(format!("forwarding {} to {url} ({region}), signed with {source}", policy::FORWARDED_ACTIONS.join(", ")));
                None
            }
            None => {
                banner.push("no AWS credentials: Kinesis calls are refused, Kafka is served".into());
                Some("sluice proxy has no AWS credentials (it was started for Kafka only)".to_string())
            }
        };
        if let (Some(servers), Some(c)) = (&config.kafka, &kafka_config) {
            let auth = c.sasl.as_ref().map_or("no SASL".to_string(), |s| format!("SASL {}", s.mechanism()));
            banner.push(format!("Kafka at {servers} ({auth}) for /kafka/{{{}}}", kafka::ROUTES.join(",")));
            if !config.allowed_topics.is_empty() {
                banner.push(format!("topics allowed: {}", config.allowed_topics.join(", ")));
            }
        }
        banner.push(format!("pages allowed from {}", origins.join(", ")));
        if !config.allowed_streams.is_empty() {
            banner.push(format!("streams allowed: {}", config.allowed_streams.join(", ")));
        }
        if let Some(dir) = &config.serve {
            banner.push(format!("serving the studio from {} at {own}/", dir.display()));
        }
        if !matches!(config.bind.as_str(), "127.0.0.1" | "::1" | "localhost") {
            banner.push(format!("warning: bound to {}, not loopback: anyone who reaches this port uses your AWS keys", config.bind));
        }
        let shared = Shared {
            policy: Policy { allowed_origins: origins, allowed_streams: config.allowed_streams.clone(), max_body: config.max_body },
            issued: Mutex::new(IssuedTokens::new(ISSUED_TOKENS)),
            serve: config.serve.clone(),
            allowed_topics: config.allowed_topics.clone(),
            no_kinesis,
        };
        Ok(Proxy { server: Arc::new(server), shared: Arc::new(shared), upstreams, url: own, banner })
    }

    /// Answers requests until the process ends.
    pub fn run(self) {
        let workers: Vec<_> = self
            .upstreams
            .into_iter()
            .map(|mut upstream| {
                let server = self.server.clone();
                let shared = self.shared.clone();
                std::thread::spawn(move || {
                    while let Ok(request) = server.recv() {
                        handle(request, &shared, &mut upstream);
                    }
                })
            })
            .collect();
        for worker in workers {
            let _ = worker.join();
        }
    }
}

/// One request, answered and logged.
fn handle(mut request: Request, shared: &Shared, upstream: &mut Upstream) {
    let started = Instant::now();
    let origin = header(&request, "Origin");
    let allowed_origin = origin.as_deref().filter(|o| shared.policy.origin_allowed(o)).map(str::to_string);
    let (mut response, note) = match request.method() {
        Method::Options => preflight(&request, shared, origin.as_deref()),
        Method::Post if request.url().starts_with("/kafka/") => kafka_route(&mut request, shared, origin.as_deref(), upstream),
        Method::Post => match (&mut upstream.kinesis, &shared.no_kinesis) {
            (Some(transport), _) => forward(&mut request, shared, origin.as_deref(), transport),
            (None, why) => {
                let why = why.clone().unwrap_or_default();
                let refused = Refusal { status: 503, kind: "ServiceUnavailable", message: why.clone() };
                (refusal(&refused), Note::because("Kinesis -", why))
            }
        },
        Method::Get | Method::Head => serve_file(&request, shared),
        _ => (text(405, "sluice proxy answers POST (Kinesis), OPTIONS (CORS) and GET (--serve)"), Note::of("-")),
    };
    if let Some(origin) = allowed_origin {
        response.add_header(header_of("Access-Control-Allow-Origin", &origin));
    }
    // The answer depends on the Origin: a cache must not hand one origin's answer to another.
    response.add_header(header_of("Vary", "Origin"));
    let status = response.status_code().0;
    let method = request.method().to_string();
    // Logged before answering: once a caller has its answer, the line is already written, so
    // every answered request has its line even if the proxy is stopped straight after.
    let why = note.why.map(|w| format!(": {w}")).unwrap_or_default();
    eprintln!("sluice proxy: {method} {} -> {status} in {} ms{why}", note.subject, started.elapsed().as_millis());
    let _ = request.respond(response);
}

type Answer = Response<std::io::Cursor<Vec<u8>>>;

/// What a request's log line says besides method, status and time: what it was about (`GetRecords
/// my-input-stream`, a path) and, when it was not forwarded as asked, why.
struct Note {
    subject: String,
    why: Option<String>,
}

impl Note {
    fn of(subject: impl Into<String>) -> Note {
        Note { subject: subject.into(), why: None }
    }

    fn because(subject: impl Into<String>, why: impl Into<String>) -> Note {
        Note { subject: subject.into(), why: Some(why.into()) }
    }
}

/// The CORS preflight a page's browser sends before its first POST with `X-Amz-Target`.
fn preflight(request: &Request, shared: &Shared, origin: Option<&str>) -> (Answer, Note) {
    let what = format!("preflight from {}", origin.unwrap_or("no origin"));
    if let Err(refused) = shared.policy.check_origin(origin) {
        return (refusal(&refused), Note::because(what, refused.message));
    }
    let mut response = Response::from_data(Vec::new()).with_status_code(204);
    response.add_header(header_of("Access-Control-Allow-Methods", "POST"));
    response.add_header(header_of("Access-Control-Allow-Headers", "content-type, x-amz-target, x-amz-user-agent"));
    response.add_header(header_of("Access-Control-Max-Age", "600"));
    // Chrome asks before a public page may call loopback (Private Network Access).
    if header(request, "Access-Control-Request-Private-Network").as_deref() == Some("true") {
        response.add_header(header_of("Access-Control-Allow-Private-Network", "true"));
    }
    (response, Note::of(what))
}

/// A Kinesis call: checked, signed, sent, its answer passed back as it came.
fn forward(request: &mut Request, shared: &Shared, origin: Option<&str>, transport: &mut impl Transport) -> (Answer, Note) {
    let target = header(request, "X-Amz-Target");
    let action = match shared.policy.check_origin(origin).and_then(|()| shared.policy.check_action(target.as_deref())) {
        Ok(action) => action.to_string(),
        Err(refused) => {
            let named = target.as_deref().map_or("-", |t| t.strip_prefix(policy::TARGET_PREFIX).unwrap_or(t));
            return (refusal(&refused), Note::because(format!("{named} -"), refused.message));
        }
    };
    let body = match read_body(request, &shared.policy) {
        Ok(body) => body,
        Err(refused) => return (refusal(&refused), Note::because(format!("{action} -"), refused.message)),
    };
    let parsed: Result<RequestTarget, _> = serde_json::from_slice(&body);
    let stream = match &parsed {
        // A poisoned lock means a worker panicked mid-insert; the map is still a valid map.
        Ok(parsed) => parsed.stream(&shared.issued.lock().unwrap_or_else(|p| p.into_inner())),
        Err(_) => None,
    };
    let what = format!("{action} {}", stream.as_deref().unwrap_or("-"));
    if let Err(e) = parsed {
        let refused = Refusal { status: 400, kind: "SerializationException", message: format!("the body is not Kinesis JSON: {e}") };
        return (refusal(&refused), Note::because(what, refused.message));
    }
    let carries_iterator = parsed.as_ref().is_ok_and(|t| t.carries_iterator());
    if let Err(refused) = shared.policy.check_stream(stream.as_deref(), carries_iterator) {
        return (refusal(&refused), Note::because(what, refused.message));
    }
    match block_on(transport.send(&action, &body)) {
        Ok(reply) => {
            if let (200, Some(stream)) = (reply.status, &stream) {
                if let Ok(tokens) = serde_json::from_slice::<AnswerTokens>(&reply.body) {
                    shared.issued.lock().unwrap_or_else(|p| p.into_inner()).remember(stream, tokens);
                }
            }
            let response = Response::from_data(reply.body)
                .with_status_code(reply.status)
                .with_header(header_of("Content-Type", "application/x-amz-json-1.1"));
            (response, Note::of(what))
        }
        Err(e) => {
            // No answer upstream: a 502 the page's client retries like any server error.
            let refused = Refusal { status: 502, kind: "ServiceUnavailable", message: e.clone() };
            (refusal(&refused), Note::because(what, e))
        }
    }
}

/// A Kafka request (`POST /kafka/<route>`): origin and size checked as for Kinesis, then
/// [`kafka::answer`].
fn kafka_route(request: &mut Request, shared: &Shared, origin: Option<&str>, upstream: &mut Upstream) -> (Answer, Note) {
    let route = request.url().trim_start_matches("/kafka/").split('?').next().unwrap_or("").to_string();
    let json_answer = |status: u16, body: Vec<u8>| {
        Response::from_data(body).with_status_code(status).with_header(header_of("Content-Type", "application/json"))
    };
    let refuse = |status: u16, message: String| {
        let body = serde_json::json!({ "error": message, "retriable": false }).to_string().into_bytes();
        (json_answer(status, body), Note::because(format!("kafka {route} -"), message))
    };
    if let Err(refused) = shared.policy.check_origin(origin) {
        return refuse(refused.status, refused.message);
    }
    let Some(client) = &mut upstream.kafka else {
        return refuse(503, "sluice proxy was started without --kafka".into());
    };
    let body = match read_body(request, &shared.policy) {
        Ok(body) => body,
        Err(refused) => return refuse(refused.status, refused.message),
    };
    let a = kafka::answer(&route, &body, client, &shared.allowed_topics);
    let subject = format!("kafka {route} {}", a.topic);
    let note = match a.why {
        Some(why) => Note::because(subject, why),
        None => Note::of(subject),
    };
    (json_answer(a.status, a.body), note)
}

/// The body, up to the policy's limit: a larger one is refused before it is read whole (by its
/// `Content-Length`, or once one byte more than the limit has come).
fn read_body(request: &mut Request, policy: &Policy) -> Result<Vec<u8>, Refusal> {
    if let Some(length) = request.body_length() {
        policy.check_size(length)?;
    }
    let mut body = Vec::new();
    let read = request.as_reader().take(policy.max_body as u64 + 1).read_to_end(&mut body);
    if let Err(e) = read {
        return Err(Refusal { status: 400, kind: "SerializationException", message: format!("reading the request body: {e}") });
    }
    policy.check_size(body.len())?;
    Ok(body)
}

fn serve_file(request: &Request, shared: &Shared) -> (Answer, Note) {
    let url = request.url().to_string();
    let Some(root) = &shared.serve else {
        return (text(404, "sluice proxy: POST Kinesis requests here (start it with --serve DIR to serve the studio too)"), Note::of(url));
    };
    match static_files::lookup(root, &url) {
        Lookup::File { path, content_type } => match std::fs::read(&path) {
            Ok(data) => {
                let response = Response::from_data(data)
                    .with_header(header_of("Content-Type", content_type))
                    .with_header(header_of("Cache-Control", "no-cache"));
                (response, Note::of(url))
            }
            Err(e) => (text(500, "cannot read the file"), Note::because(url, format!("cannot read {}: {e}", path.display()))),
        },
        Lookup::NotFound => (text(404, "not found"), Note::of(url)),
        Lookup::Forbidden => (text(403, "forbidden"), Note::of(url)),
    }
}

fn refusal(refused: &Refusal) -> Answer {
    Response::from_data(refused.body())
        .with_status_code(refused.status)
        .with_header(header_of("Content-Type", "application/x-amz-json-1.1"))
}

fn text(status: u16, message: &str) -> Answer {
    Response::from_data(message.as_bytes().to_vec())
        .with_status_code(status)
        .with_header(header_of("Content-Type", "text/plain; charset=utf-8"))
}

fn header(request: &Request, name: &str) -> Option<String> {
    request.headers().iter().find(|h| h.field.as_str().as_str().eq_ignore_ascii_case(name)).map(|h| h.value.as_str().to_string())
}

/// Header names here are constants and values come from our own text or a listed origin;
/// a value tiny_http refuses (non-ASCII) is dropped as an empty header rather than a panic.
fn header_of(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes())
        .or_else(|()| Header::from_bytes(name.as_bytes(), &b""[..]))
        .unwrap_or_else(|()| unreachable!("an ASCII header name with an empty value is a valid header"))
}
