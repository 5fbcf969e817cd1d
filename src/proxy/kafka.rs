//! `sluice proxy`'s Kafka routes: the page cannot open TCP, so it asks the proxy over HTTP, and
//! the proxy asks the broker with the native wire client (`connectors::kafka::wire`). The broker,
//! and any SASL user and password (`--kafka-property`), are the proxy's: the page names only a
//! topic, and only an allowed one (`--allow-topic`; none given means every topic).
//!
//! Every route is `POST /kafka/<route>` with a JSON body and a JSON answer; bytes travel as
//! base64. Errors answer `{"error": "…", "retriable": bool}` with status 400 (a request the proxy
//! refuses), 403 (a topic not allowed), 502 (the broker failed or could not be reached: the page
//! backs off and asks again, as the native fetcher does). The records and answers are
//! `connectors::kafka::proxy_api`'s, which the page's client reads.
//!
//! | route | body | answer |
//! |---|---|---|
//! | `partitions` | `{"topic"}` | `{"partitions": [0, 1, …]}` |
//! | `offsets` | `{"topic", "partitions": [..], "at": "earliest" \| "latest" \| ms}` | `{"offsets": [[p, offset], …]}` |
//! | `fetch` | `{"topic", "positions": [[p, offset], …]}` | `{"partitions": [{"partition", "next_offset", "high_watermark", "error_code", "error", "retriable", "records": [..]}]}` |
//! | `produce` | `{"topic", "partition", "records": [{"key", "value", "timestamp", "headers"}]}` | `{"base_offset"}` |
//! | `committed` | `{"topic", "group", "partitions": [..]}` | `{"offsets": [[p, offset or null], …]}` |
//! | `commit` | `{"topic", "group", "offsets": [[p, offset], …]}` | `{}` |

use serde::Deserialize;
use serde_json::{json, Value};

use crate::connectors::kafka::proxy_api::{unbase64, WireRecord};
use crate::connectors::kafka::wire::messages::{self, EARLIEST, LATEST};
use crate::connectors::kafka::wire::{KafkaClient, ProduceRecord, WireError};

/// The routes under `/kafka/`.
pub const ROUTES: [&str; 6] = ["partitions", "offsets", "fetch", "produce", "committed", "commit"];

/// Records in one produce request (a bound on the work one request asks of the broker).
const MAX_PRODUCE_RECORDS: usize = 10_000;

/// A request's answer: status, JSON body, and the topic it was about (for the log line).
pub struct KafkaAnswer {
    pub status: u16,
    pub body: Vec<u8>,
    pub topic: String,
    pub why: Option<String>,
}

#[derive(Deserialize)]
struct TopicOnly {
    topic: String,
}

#[derive(Deserialize)]
struct OffsetsRequest {
    topic: String,
    partitions: Vec<i32>,
    at: Value,
}

#[derive(Deserialize)]
struct FetchRequest {
    topic: String,
    positions: Vec<(i32, i64)>,
}

#[derive(Deserialize)]
struct ProduceRequest {
    topic: String,
    partition: i32,
    records: Vec<WireRecord>,
}

#[derive(Deserialize)]
struct CommittedRequest {
    topic: String,
    group: String,
    partitions: Vec<i32>,
}

#[derive(Deserialize)]
struct CommitRequest {
    topic: String,
    group: String,
    offsets: Vec<(i32, i64)>,
}

/// Answers `POST /kafka/<route>` with `body`, for a page allowed to read `allowed` topics.
pub fn answer(route: &str, body: &[u8], client: &mut KafkaClient, allowed: &[String]) -> KafkaAnswer {
    let topic = serde_json::from_slice::<TopicOnly>(body).map(|t| t.topic).unwrap_or_else(|_| "-".into());
    let refuse = |status: u16, message: String| KafkaAnswer {
        status,
        body: json!({ "error": message, "retriable": false }).to_string().into_bytes(),
        topic: topic.clone(),
        why: Some(message),
    };
    if !ROUTES.contains(&route) {
        return refuse(404, format!("no Kafka route `{route}`: sluice proxy answers {}", ROUTES.join(", ")));
    }
    if topic == "-" {
        return refuse(400, "the body is not JSON naming a \"topic\"".into());
    }
    if !allowed.is_empty() && !allowed.contains(&topic) {
        return refuse(403, format!("topic `{topic}`: sluice proxy serves only {}", allowed.join(", ")));
    }
    let result = match route {
        "partitions" => client.partitions(&topic).map(|p| json!({ "partitions": p })).map_err(Into::into),
        "offsets" => offsets(body, client),
        "fetch" => fetch(body, client),
        "produce" => produce(body, client),
        "committed" => committed(body, client),
        _ => commit(body, client),
    };
    match result {
        Ok(v) => KafkaAnswer { status: 200, body: v.to_string().into_bytes(), topic, why: None },
        Err(Failure::Request(m)) => refuse(400, m),
        Err(Failure::Broker(e)) => {
            let message = e.to_string();
            KafkaAnswer {
                status: 502,
                body: json!({ "error": message, "retriable": e.retriable() }).to_string().into_bytes(),
                topic,
                why: Some(message),
            }
        }
    }
}

enum Failure {
    Request(String),
    Broker(WireError),
}

impl From<WireError> for Failure {
    fn from(e: WireError) -> Self {
        Failure::Broker(e)
    }
}

fn parse<'a, T: Deserialize<'a>>(body: &'a [u8]) -> Result<T, Failure> {
    serde_json::from_slice(body).map_err(|e| Failure::Request(format!("the body does not fit the route: {e}")))
}

fn offsets(body: &[u8], client: &mut KafkaClient) -> Result<Value, Failure> {
    let r: OffsetsRequest = parse(body)?;
    let at = match &r.at {
        Value::String(s) if s == "earliest" => EARLIEST,
        Value::String(s) if s == "latest" => LATEST,
        Value::Number(n) if n.as_i64().is_some_and(|n| n >= 0) => n.as_i64().unwrap_or(0),
        other => return Err(Failure::Request(format!("\"at\" is \"earliest\", \"latest\" or milliseconds, not {other}"))),
    };
    Ok(json!({ "offsets": client.list_offsets(&r.topic, &r.partitions, at)? }))
}

fn fetch(body: &[u8], client: &mut KafkaClient) -> Result<Value, Failure> {
    let r: FetchRequest = parse(body)?;
    let parts = client.fetch(&r.topic, &r.positions)?;
    let parts: Vec<Value> = parts
        .iter()
        .map(|p| {
            json!({
                "partition": p.partition,
                "next_offset": p.next_offset,
                "high_watermark": p.high_watermark,
                "error_code": p.error_code,
                "error": (p.error_code != 0).then(|| messages::error_name(p.error_code)),
                "retriable": messages::is_retriable(p.error_code),
                "records": p.records.iter().map(WireRecord::from_record).collect::<Vec<_>>(),
            })
        })
        .collect();
    Ok(json!({ "partitions": parts }))
}

fn produce(body: &[u8], client: &mut KafkaClient) -> Result<Value, Failure> {
    let r: ProduceRequest = parse(body)?;
    if r.records.is_empty() || r.records.len() > MAX_PRODUCE_RECORDS {
        return Err(Failure::Request(format!("a produce request carries 1 to {MAX_PRODUCE_RECORDS} records, not {}", r.records.len())));
    }
    let mut records = Vec::with_capacity(r.records.len());
    for w in &r.records {
        let mut headers = Vec::with_capacity(w.headers.len());
        for (k, v) in &w.headers {
            headers.push((k.clone(), unbase64(v, "a header's value").map_err(Failure::Request)?));
        }
        records.push(ProduceRecord {
            key: unbase64(&w.key, "a key").map_err(Failure::Request)?,
            value: unbase64(&w.value, "a value").map_err(Failure::Request)?,
            timestamp_ms: w.timestamp,
            headers,
        });
    }
    Ok(json!({ "base_offset": client.produce(&r.topic, r.partition, &records)? }))
}

fn committed(body: &[u8], client: &mut KafkaClient) -> Result<Value, Failure> {
    let r: CommittedRequest = parse(body)?;
    Ok(json!({ "offsets": client.committed(&r.group, &r.topic, &r.partitions)? }))
}

fn commit(body: &[u8], client: &mut KafkaClient) -> Result<Value, Failure> {
    let r: CommitRequest = parse(body)?;
    client.commit(&r.group, &r.topic, &r.offsets)?;
    Ok(json!({}))
}
