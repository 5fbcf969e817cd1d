//! `sluice proxy`'s Kafka routes as both ends see them: the records and answers that travel as
//! JSON (`src/proxy/kafka.rs` answers them), and [`ProxyClient`], the page's side, which asks them
//! over any [`Transport`] (in the page a `fetch`, natively in tests an HTTP client). The proxy
//! holds the broker's address and any SASL secret; a request names only a topic.
//!
//! Every answer is JSON. A refused or failed request answers `{"error", "retriable"}`: retriable
//! ones (the broker restarting, a leader moving, no answer from the proxy at all) are asked again
//! after a back-off, as the native fetcher does; the others fail the jobs on the topic.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::record::{KafkaRecord, TimestampType};
use super::remote_start::{EARLIEST, LATEST};
use crate::connectors::kinesis::transport::Transport;

/// A record as it travels between the proxy and the page; bytes as base64.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct WireRecord {
    #[serde(default)]
    pub partition: i32,
    #[serde(default)]
    pub offset: i64,
    #[serde(default)]
    pub timestamp: i64,
    #[serde(default)]
    pub timestamp_type: String,
    pub key: Option<String>,
    pub value: Option<String>,
    #[serde(default)]
    pub headers: Vec<(String, Option<String>)>,
    #[serde(default)]
    pub leader_epoch: Option<i32>,
}

impl WireRecord {
    pub fn from_record(r: &KafkaRecord) -> WireRecord {
        WireRecord {
            partition: r.partition,
            offset: r.offset,
            timestamp: r.timestamp_ms,
            timestamp_type: r.timestamp_type.name().to_string(),
            key: r.key.as_ref().map(|k| B64.encode(k)),
            value: r.value.as_ref().map(|v| B64.encode(v)),
            headers: r.headers.iter().map(|(k, v)| (k.clone(), v.as_ref().map(|v| B64.encode(v)))).collect(),
            leader_epoch: r.leader_epoch,
        }
    }

    /// The record it carries, or why its bytes are not base64.
    pub fn to_record(&self) -> Result<KafkaRecord, String> {
        let mut headers = Vec::with_capacity(self.headers.len());
        for (k, v) in &self.headers {
            headers.push((k.clone(), unbase64(v, "a header's value")?));
        }
        let timestamp_type = match self.timestamp_type.as_str() {
            "CreateTime" => TimestampType::CreateTime,
            "LogAppendTime" => TimestampType::LogAppendTime,
            _ => TimestampType::NoTimestampType,
        };
        Ok(KafkaRecord {
            partition: self.partition,
            offset: self.offset,
            timestamp_ms: self.timestamp,
            timestamp_type,
            key: unbase64(&self.key, "a key")?,
            value: unbase64(&self.value, "a value")?,
            headers,
            leader_epoch: self.leader_epoch,
        })
    }
}

/// `s` decoded, when there is one.
pub fn unbase64(s: &Option<String>, what: &str) -> Result<Option<Vec<u8>>, String> {
    s.as_ref().map(|s| B64.decode(s).map_err(|_| format!("{what} is not base64"))).transpose()
}

/// One partition of a `fetch` answer.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct FetchedPartition {
    pub partition: i32,
    pub next_offset: i64,
    #[serde(default)]
    pub high_watermark: i64,
    /// Kafka's error code for the partition (0: none; 1: the offset is out of range).
    #[serde(default)]
    pub error_code: i16,
    /// Kafka's name for the error, when there is one.
    #[serde(default)]
    pub error: Option<String>,
    /// Whether asking again later may succeed.
    #[serde(default)]
    pub retriable: bool,
    #[serde(default)]
    pub records: Vec<WireRecord>,
}

#[derive(Deserialize)]
struct Fetched {
    partitions: Vec<FetchedPartition>,
}

/// A record to produce, as the page hands it to the proxy.
pub fn produce_record(
    key: &Option<Vec<u8>>,
    value: &Option<Vec<u8>>,
    timestamp_ms: i64,
    headers: &[(String, Option<Vec<u8>>)],
) -> WireRecord {
    WireRecord {
        partition: 0,
        offset: 0,
        timestamp: timestamp_ms,
        timestamp_type: String::new(),
        key: key.as_ref().map(|k| B64.encode(k)),
        value: value.as_ref().map(|v| B64.encode(v)),
        headers: headers.iter().map(|(k, v)| (k.clone(), v.as_ref().map(|v| B64.encode(v)))).collect(),
        leader_epoch: None,
    }
}

/// Why a request to the proxy failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProxyError {
    pub message: String,
    /// Back off and ask again (no answer, the broker unreachable or restarting).
    pub retriable: bool,
}

impl std::fmt::Display for ProxyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// The page's side of `sluice proxy`'s Kafka routes.
pub struct ProxyClient<T> {
    transport: T,
    /// Where the proxy is (for messages).
    pub url: String,
}

impl<T: Transport> ProxyClient<T> {
    /// Requests go through `transport`, whose `action` is the route (`fetch`, `produce`, …).
    pub fn new(transport: T, url: &str) -> Self {
        ProxyClient { transport, url: url.to_string() }
    }

    pub fn transport(&self) -> &T {
        &self.transport
    }

    async fn call(&mut self, route: &str, body: Value) -> Result<Value, ProxyError> {
        let reply = self.transport.send(route, body.to_string().as_bytes()).await.map_err(|e| ProxyError {
            message: format!("sluice proxy at {} gave no answer to `{route}`: {e}", self.url),
            retriable: true,
        })?;
        let parsed: Result<Value, _> = serde_json::from_slice(&reply.body);
        match (reply.status, parsed) {
            (200, Ok(v)) => Ok(v),
            (200, Err(e)) => Err(ProxyError { message: format!("sluice proxy's answer to `{route}` is not JSON: {e}"), retriable: true }),
            (status, Ok(v)) if v.get("error").is_some() => Err(ProxyError {
                message: format!("sluice proxy: {}", v["error"].as_str().unwrap_or("an error without a message")),
                retriable: v["retriable"].as_bool().unwrap_or(status >= 500),
            }),
            (status, _) => Err(ProxyError {
                message: format!(
                    "sluice proxy at {} answered `{route}` with status {status}{}",
                    self.url,
                    if status == 404 || status == 405 { " (is it a sluice proxy started with --kafka?)" } else { "" }
                ),
                retriable: status >= 500,
            }),
        }
    }

    fn field<D: for<'de> Deserialize<'de>>(route: &str, v: Value, name: &str) -> Result<D, ProxyError> {
        serde_json::from_value(v.get(name).cloned().unwrap_or(Value::Null)).map_err(|e| ProxyError {
            message: format!("sluice proxy's answer to `{route}` has no usable \"{name}\": {e}"),
            retriable: false,
        })
    }

    /// The topic's partitions.
    pub async fn partitions(&mut self, topic: &str) -> Result<Vec<i32>, ProxyError> {
        let v = self.call("partitions", json!({ "topic": topic })).await?;
        Self::field("partitions", v, "partitions")
    }

    /// Per partition, the offset at `at`: [`EARLIEST`], [`LATEST`] or a timestamp (ms).
    pub async fn list_offsets(&mut self, topic: &str, partitions: &[i32], at: i64) -> Result<Vec<(i32, i64)>, ProxyError> {
        let at = match at {
            EARLIEST => json!("earliest"),
            LATEST => json!("latest"),
            ms => json!(ms),
        };
        let v = self.call("offsets", json!({ "topic": topic, "partitions": partitions, "at": at })).await?;
        Self::field("offsets", v, "offsets")
    }

    /// The records after `positions` (partition, next offset), as the broker's fetch gives them.
    pub async fn fetch(&mut self, topic: &str, positions: &[(i32, i64)]) -> Result<Vec<FetchedPartition>, ProxyError> {
        let v = self.call("fetch", json!({ "topic": topic, "positions": positions })).await?;
        let fetched: Fetched = serde_json::from_value(v)
            .map_err(|e| ProxyError { message: format!("sluice proxy's answer to `fetch` does not fit: {e}"), retriable: false })?;
        Ok(fetched.partitions)
    }

    /// Writes `records` to one partition; answers the offset of the first.
    pub async fn produce(&mut self, topic: &str, partition: i32, records: &[WireRecord]) -> Result<i64, ProxyError> {
        let v = self.call("produce", json!({ "topic": topic, "partition": partition, "records": records })).await?;
        Self::field("produce", v, "base_offset")
    }

    /// The group's committed offsets for `partitions` (`None`: nothing committed).
    pub async fn committed(&mut self, group: &str, topic: &str, partitions: &[i32]) -> Result<Vec<(i32, Option<i64>)>, ProxyError> {
        let v = self.call("committed", json!({ "topic": topic, "group": group, "partitions": partitions })).await?;
        Self::field("committed", v, "offsets")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connectors::kinesis::transport::{block_on, Reply};

    /// Answers each request with the next scripted reply, remembering what was asked.
    struct Scripted {
        replies: Vec<Result<Reply, String>>,
        asked: Vec<(String, Value)>,
    }

    impl Transport for Scripted {
        async fn send(&mut self, action: &str, body: &[u8]) -> Result<Reply, String> {
            self.asked.push((action.to_string(), serde_json::from_slice(body).unwrap()));
            self.replies.remove(0)
        }
    }

    fn reply(status: u16, body: Value) -> Result<Reply, String> {
        Ok(Reply { status, body: body.to_string().into_bytes() })
    }

    #[test]
    fn records_cross_as_base64_and_come_back_whole() {
        let record = KafkaRecord {
            partition: 3,
            offset: 42,
            timestamp_ms: 1_621_423_200_000,
            timestamp_type: TimestampType::LogAppendTime,
            key: Some(b"7".to_vec()),
            value: None,
            headers: vec![("h".into(), Some(vec![0, 255])), ("n".into(), None)],
            leader_epoch: Some(2),
        };
        let wire: WireRecord = serde_json::from_str(&serde_json::to_string(&WireRecord::from_record(&record)).unwrap()).unwrap();
        assert_eq!(wire.to_record().unwrap(), record);
        let bad = WireRecord { value: Some("not base64!".into()), ..wire };
        assert_eq!(bad.to_record().unwrap_err(), "a value is not base64");
    }

    #[test]
    fn answers_and_refusals_become_values_or_errors_that_say_whether_to_ask_again() {
        let mut client = ProxyClient::new(
            Scripted {
                replies: vec![
                    reply(200, json!({ "offsets": [[0, 5], [1, 0]] })),
                    reply(403, json!({ "error": "topic `x`: sluice proxy serves only a", "retriable": false })),
                    reply(502, json!({ "error": "`x` partition 0: LEADER_NOT_AVAILABLE", "retriable": true })),
                    Err("connection refused".into()),
                    Ok(Reply { status: 404, body: b"not found".to_vec() }),
                ],
                asked: Vec::new(),
            },
            "http://127.0.0.1:4599",
        );
        assert_eq!(block_on(client.list_offsets("x", &[0, 1], EARLIEST)).unwrap(), [(0, 5), (1, 0)]);
        assert_eq!(client.transport.asked[0], ("offsets".to_string(), json!({ "topic": "x", "partitions": [0, 1], "at": "earliest" })));
        let refused = block_on(client.partitions("x")).unwrap_err();
        assert!(!refused.retriable && refused.message.contains("serves only a"), "{refused:?}");
        assert!(block_on(client.partitions("x")).unwrap_err().retriable);
        let none = block_on(client.partitions("x")).unwrap_err();
        assert!(none.retriable && none.message.contains("gave no answer"), "{none:?}");
        let wrong = block_on(client.partitions("x")).unwrap_err();
        assert!(!wrong.retriable && wrong.message.contains("--kafka"), "{wrong:?}");
    }
}
