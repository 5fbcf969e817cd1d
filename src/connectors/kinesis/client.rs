//! The Kinesis actions Sluice uses, as typed calls over a [`Transport`]: `ListShards`,
//! `GetShardIterator`, `GetRecords` and `PutRecords`. Requests and answers are the JSON 1.1
//! shapes of the Kinesis API reference; record data travels as base64.
//!
//! Errors are sorted by what the caller should do about them ([`KinesisError::is_retryable`]),
//! not by HTTP status alone.
//!
//! Answers are outside input (a proxy, a test server or a broken middlebox may send anything):
//! they are bounded in size ([`MAX_REPLY_BYTES`]), in nesting (serde_json's limit of 128) and in
//! records per page (what was asked); a `200` answer that is not the call's JSON is
//! [`KinesisError::Malformed`], which retrying will not fix. One record whose `Data` is not
//! base64, or holds more than Kinesis's 1 MiB, does not spoil its page: it comes back with a
//! [`ShardRecord::fault`], for the reading job to skip or stop on as its format says.

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use serde::Deserialize;
use serde_json::{json, Value};

use super::transport::Transport;

/// Largest answer read: a `GetRecords` page holds at most 10 MiB of data, 13.4 MiB as base64.
pub const MAX_REPLY_BYTES: usize = 32 << 20;
/// Largest record Kinesis stores (data and partition key): 1 MiB.
pub const MAX_RECORD_BYTES: usize = 1 << 20;
/// Longest part of an unexpected answer quoted in an error.
const QUOTED_CHARS: usize = 200;

/// A stream, as the table names it: `stream` (a name) or `stream.arn`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StreamRef {
    pub name: String,
    pub arn: Option<String>,
}

impl StreamRef {
    /// The request fields that name the stream (`StreamARN` wins when there is one).
    fn put_into(&self, body: &mut Value) {
        match &self.arn {
            Some(arn) => body["StreamARN"] = json!(arn),
            None => body["StreamName"] = json!(self.name),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum KinesisError {
    /// `ProvisionedThroughputExceededException`, `LimitExceededException`: slow down and retry.
    Throttled(String),
    /// `ExpiredIteratorException`: get a new iterator after the last record read.
    ExpiredIterator(String),
    /// `ResourceNotFoundException`: the stream (or shard) is not there.
    NotFound(String),
    /// A 5xx answer, or one that is not Kinesis JSON: retry, the server or a proxy had trouble.
    Server { status: u16, message: String },
    /// No answer at all.
    Network(String),
    /// Any other 4xx (bad credentials, access denied, invalid argument): retrying won't help.
    Rejected { kind: String, message: String },
    /// A `200` answer that is not the call's JSON (an HTML page, a wrong shape, cut short, too
    /// large): a server or middlebox that does not speak Kinesis; asking again gets the same.
    Malformed(String),
}

impl KinesisError {
    pub fn is_retryable(&self) -> bool {
        matches!(self, KinesisError::Throttled(_) | KinesisError::Server { .. } | KinesisError::Network(_))
    }
}

impl std::fmt::Display for KinesisError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KinesisError::Throttled(m) => write!(f, "throttled by Kinesis: {m}"),
            KinesisError::ExpiredIterator(m) => write!(f, "shard iterator expired: {m}"),
            KinesisError::NotFound(m) => write!(f, "not found: {m}"),
            KinesisError::Server { status, message } => write!(f, "the server answered {status}: {message}"),
            KinesisError::Network(m) => write!(f, "no answer from the Kinesis endpoint: {m}"),
            KinesisError::Rejected { kind, message } => write!(f, "{kind}: {message}"),
            KinesisError::Malformed(m) => write!(f, "{m}"),
        }
    }
}

/// A shard as `ListShards` describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShardInfo {
    pub id: String,
    pub parent: Option<String>,
    pub adjacent_parent: Option<String>,
    /// Set once the shard is closed (split or merged away): it will get no more records.
    pub ending_sequence: Option<String>,
}

/// Where a shard iterator starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IteratorStart {
    TrimHorizon,
    Latest,
    /// The first record that arrived at or after this time (ms since the epoch).
    AtTimestamp(i64),
    AfterSequence(String),
}

/// A record read from a shard.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShardRecord {
    pub sequence_number: String,
    pub partition_key: String,
    pub data: Vec<u8>,
    /// `ApproximateArrivalTimestamp`, in ms since the epoch.
    pub arrival_ms: i64,
    /// Why the record's `Data` could not be taken (not base64, larger than Kinesis stores);
    /// `data` is then empty. A record-level error, like a record its format cannot parse.
    pub fault: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RecordsPage {
    pub records: Vec<ShardRecord>,
    /// `None` once a closed shard has been read to its end.
    pub next_iterator: Option<String>,
    pub millis_behind_latest: Option<i64>,
}

/// One entry's fate in a `PutRecords` answer, in request order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PutOutcome {
    Stored { sequence_number: String },
    Failed { code: String, message: String },
}

impl PutOutcome {
    /// Per-entry throttling: the entry may be sent again (after a pause).
    pub fn is_throttled(&self) -> bool {
        matches!(self, PutOutcome::Failed { code, .. } if code == "ProvisionedThroughputExceededException")
    }
}

pub struct KinesisClient<T> {
    transport: T,
}

impl<T: Transport> KinesisClient<T> {
    pub fn new(transport: T) -> Self {
        KinesisClient { transport }
    }

    /// The transport (tests look at what a scripted one was asked).
    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// Every shard of the stream, open and closed (following `NextToken`).
    pub async fn list_shards(&mut self, stream: &StreamRef) -> Result<Vec<ShardInfo>, KinesisError> {
        #[derive(Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct Shard {
            shard_id: String,
            parent_shard_id: Option<String>,
            adjacent_parent_shard_id: Option<String>,
            sequence_number_range: Option<SequenceRange>,
        }
        #[derive(Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct SequenceRange {
            ending_sequence_number: Option<String>,
        }
        #[derive(Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct Page {
            #[serde(default)]
            shards: Vec<Shard>,
            next_token: Option<String>,
        }
        let mut shards = Vec::new();
        let mut token: Option<String> = None;
        loop {
            // With a NextToken the stream must not be named again (the token carries it).
            let mut body = json!({});
            match &token {
                Some(t) => body["NextToken"] = json!(t),
                None => stream.put_into(&mut body),
            }
            let page: Page = self.call("ListShards", &body).await?;
            shards.extend(page.shards.into_iter().map(|s| ShardInfo {
                id: s.shard_id,
                parent: s.parent_shard_id,
                adjacent_parent: s.adjacent_parent_shard_id,
                ending_sequence: s.sequence_number_range.and_then(|r| r.ending_sequence_number),
            }));
            match page.next_token {
                Some(t) if !t.is_empty() => token = Some(t),
                _ => return Ok(shards),
            }
        }
    }

    pub async fn get_shard_iterator(&mut self, stream: &StreamRef, shard_id: &str, start: &IteratorStart) -> Result<String, KinesisError> {
        #[derive(Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct Answer {
            shard_iterator: String,
        }
        let mut body = json!({ "ShardId": shard_id });
        stream.put_into(&mut body);
        match start {
            IteratorStart::TrimHorizon => body["ShardIteratorType"] = json!("TRIM_HORIZON"),
            IteratorStart::Latest => body["ShardIteratorType"] = json!("LATEST"),
            IteratorStart::AtTimestamp(ms) => {
                body["ShardIteratorType"] = json!("AT_TIMESTAMP");
                body["Timestamp"] = json!(*ms as f64 / 1000.0);
            }
            IteratorStart::AfterSequence(seq) => {
                body["ShardIteratorType"] = json!("AFTER_SEQUENCE_NUMBER");
                body["StartingSequenceNumber"] = json!(seq);
            }
        }
        let answer: Answer = self.call("GetShardIterator", &body).await?;
        Ok(answer.shard_iterator)
    }

    /// Up to `limit` records (Kinesis allows 10,000 per call).
    pub async fn get_records(&mut self, iterator: &str, limit: usize) -> Result<RecordsPage, KinesisError> {
        #[derive(Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct Record {
            sequence_number: String,
            partition_key: String,
            data: String,
            approximate_arrival_timestamp: Option<f64>,
        }
        #[derive(Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct Answer {
            #[serde(default)]
            records: Vec<Record>,
            next_shard_iterator: Option<String>,
            millis_behind_latest: Option<i64>,
        }
        let limit = limit.clamp(1, 10_000);
        let answer: Answer = self.call("GetRecords", &json!({ "ShardIterator": iterator, "Limit": limit })).await?;
        if answer.records.len() > limit {
            return Err(KinesisError::Malformed(format!("GetRecords answered {} records, {limit} were asked for", answer.records.len())));
        }
        let mut records = Vec::with_capacity(answer.records.len());
        for r in answer.records {
            let (data, fault) = decode_data(&r.data);
            records.push(ShardRecord {
                sequence_number: r.sequence_number,
                partition_key: r.partition_key,
                data,
                arrival_ms: r.approximate_arrival_timestamp.map_or(0, |s| (s * 1000.0).round() as i64),
                fault,
            });
        }
        Ok(RecordsPage {
            records,
            next_iterator: answer.next_shard_iterator.filter(|i| !i.is_empty()),
            millis_behind_latest: answer.millis_behind_latest,
        })
    }

    /// Sends up to 500 records in one call; the answer says, entry by entry, which were stored.
    pub async fn put_records(&mut self, stream: &StreamRef, entries: &[(&str, &[u8])]) -> Result<Vec<PutOutcome>, KinesisError> {
        #[derive(Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct Entry {
            sequence_number: Option<String>,
            error_code: Option<String>,
            error_message: Option<String>,
        }
        #[derive(Deserialize)]
        #[serde(rename_all = "PascalCase")]
        struct Answer {
            records: Vec<Entry>,
        }
        let records: Vec<Value> = entries.iter().map(|(key, data)| json!({ "PartitionKey": key, "Data": BASE64.encode(data) })).collect();
        let mut body = json!({ "Records": records });
        stream.put_into(&mut body);
        let answer: Answer = self.call("PutRecords", &body).await?;
        if answer.records.len() != entries.len() {
            return Err(KinesisError::Malformed(format!(
                "PutRecords answered for {} records, {} were sent",
                answer.records.len(),
                entries.len()
            )));
        }
        Ok(answer
            .records
            .into_iter()
            .map(|e| match (e.error_code, e.sequence_number) {
                (Some(code), _) => PutOutcome::Failed { code, message: e.error_message.unwrap_or_default() },
                (None, Some(sequence_number)) => PutOutcome::Stored { sequence_number },
                (None, None) => {
                    PutOutcome::Failed { code: "InternalFailure".into(), message: "neither a sequence number nor an error".into() }
                }
            })
            .collect())
    }

    async fn call<R: for<'de> Deserialize<'de>>(&mut self, action: &str, body: &Value) -> Result<R, KinesisError> {
        // Invariant: a `serde_json::Value` always serializes (its keys are strings).
        let bytes = serde_json::to_vec(body).expect("a JSON value always serializes");
        let reply = self.transport.send(action, &bytes).await.map_err(KinesisError::Network)?;
        if reply.body.len() > MAX_REPLY_BYTES {
            let message = format!("{action} answered more than {MAX_REPLY_BYTES} bytes, the most Sluice reads");
            return Err(match reply.status {
                200 => KinesisError::Malformed(message),
                status => KinesisError::Server { status, message },
            });
        }
        if reply.status == 200 {
            return serde_json::from_slice(&reply.body).map_err(|e| {
                KinesisError::Malformed(format!("{action} answered with something that is not its JSON ({e}): {}", snippet(&reply.body)))
            });
        }
        Err(classify(reply.status, &reply.body))
    }
}

/// A record's `Data`, decoded, or why it cannot be: base64 that is not, or that holds more than
/// Kinesis's [`MAX_RECORD_BYTES`] (checked before decoding: 4 characters for 3 bytes).
fn decode_data(base64: &str) -> (Vec<u8>, Option<String>) {
    if base64.len() / 4 * 3 > MAX_RECORD_BYTES {
        let fault = format!("its Data is {} characters of base64, more than Kinesis's {MAX_RECORD_BYTES}-byte records hold", base64.len());
        return (Vec::new(), Some(fault));
    }
    match BASE64.decode(base64.as_bytes()) {
        Ok(data) => (data, None),
        Err(e) => (Vec::new(), Some(format!("its Data is not base64 ({e})"))),
    }
}

/// Sorts an error answer: Kinesis names the exception in `__type` (sometimes prefixed with a
/// namespace and `#`) and explains it in `message` or `Message`.
pub fn classify(status: u16, body: &[u8]) -> KinesisError {
    let parsed: Option<Value> = serde_json::from_slice(body).ok();
    let kind = parsed.as_ref().and_then(|v| v.get("__type")).and_then(Value::as_str).map(|t| t.rsplit('#').next().unwrap_or(t).to_string());
    let message = parsed
        .as_ref()
        .and_then(|v| v.get("message").or_else(|| v.get("Message")))
        .and_then(Value::as_str)
        .map(quoted)
        .unwrap_or_else(|| snippet(body));
    match kind.as_deref() {
        Some("ProvisionedThroughputExceededException" | "LimitExceededException" | "ThrottlingException") => {
            KinesisError::Throttled(message)
        }
        Some("ExpiredIteratorException") => KinesisError::ExpiredIterator(message),
        Some("ResourceNotFoundException") => KinesisError::NotFound(message),
        _ if status >= 500 || status == 429 => KinesisError::Server { status, message },
        Some(kind) => KinesisError::Rejected { kind: kind.to_string(), message },
        None => KinesisError::Rejected { kind: format!("HTTP {status}"), message },
    }
}

/// The start of an unexpected body, for error messages.
fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(QUOTED_CHARS)]);
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text from an answer, shortened to [`QUOTED_CHARS`] characters for an error message.
fn quoted(text: &str) -> String {
    match text.char_indices().nth(QUOTED_CHARS) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::transport::{block_on, Reply};
    use super::*;

    /// Answers every call with the next scripted reply and remembers what was asked.
    struct Scripted {
        replies: Vec<Reply>,
        asked: Vec<(String, Value)>,
    }

    impl Transport for Scripted {
        async fn send(&mut self, action: &str, body: &[u8]) -> Result<Reply, String> {
            self.asked.push((action.to_string(), serde_json::from_slice(body).unwrap()));
            Ok(self.replies.remove(0))
        }
    }

    fn ok(v: Value) -> Reply {
        Reply { status: 200, body: v.to_string().into_bytes() }
    }

    #[test]
    fn get_records_decodes_data_and_arrival_times() {
        let page = json!({"Records": [{"SequenceNumber": "7", "PartitionKey": "42", "Data": "eyJhIjoxfQ==", "ApproximateArrivalTimestamp": 1795625139.594}],
                          "NextShardIterator": "it-2", "MillisBehindLatest": 0});
        let mut client = KinesisClient::new(Scripted { replies: vec![ok(page)], asked: vec![] });
        let got = block_on(client.get_records("it-1", 100)).unwrap();
        assert_eq!(got.records[0].data, br#"{"a":1}"#);
        assert_eq!(got.records[0].arrival_ms, 1_795_625_139_594);
        assert_eq!(got.next_iterator.as_deref(), Some("it-2"));
        assert_eq!(client.transport.asked[0], ("GetRecords".to_string(), json!({"ShardIterator": "it-1", "Limit": 100})));
    }

    #[test]
    fn list_shards_follows_next_token_without_naming_the_stream_again() {
        let first = json!({"Shards": [{"ShardId": "s0", "SequenceNumberRange": {"StartingSequenceNumber": "0", "EndingSequenceNumber": "9"}}], "NextToken": "t"});
        let second = json!({"Shards": [{"ShardId": "s1", "ParentShardId": "s0"}]});
        let mut client = KinesisClient::new(Scripted { replies: vec![ok(first), ok(second)], asked: vec![] });
        let stream = StreamRef { name: "in".into(), arn: None };
        let shards = block_on(client.list_shards(&stream)).unwrap();
        assert_eq!(shards[0].ending_sequence.as_deref(), Some("9"));
        assert_eq!(shards[1].parent.as_deref(), Some("s0"));
        assert_eq!(client.transport.asked[1].1, json!({"NextToken": "t"}));
    }

    #[test]
    fn errors_are_sorted_by_what_to_do_about_them() {
        let throttled = classify(400, br#"{"__type":"ProvisionedThroughputExceededException","message":"Rate exceeded"}"#);
        assert_eq!(throttled, KinesisError::Throttled("Rate exceeded".into()));
        assert!(throttled.is_retryable());
        let expired = classify(400, br#"{"__type":"com.amazonaws#ExpiredIteratorException","Message":"old"}"#);
        assert_eq!(expired, KinesisError::ExpiredIterator("old".into()));
        assert!(matches!(classify(500, b"<html>oops</html>"), KinesisError::Server { status: 500, .. }));
        let denied = classify(400, br#"{"__type":"AccessDeniedException","message":"no"}"#);
        assert!(!denied.is_retryable());
    }

    /// What `GetRecords` makes of one hostile answer.
    fn records_from(status: u16, body: &[u8]) -> Result<RecordsPage, KinesisError> {
        let reply = Reply { status, body: body.to_vec() };
        block_on(KinesisClient::new(Scripted { replies: vec![reply], asked: vec![] }).get_records("it", 2))
    }

    fn message(e: KinesisError) -> String {
        e.to_string()
    }

    #[test]
    fn hostile_answers_are_errors_that_name_the_call() {
        let deep = format!(r#"{{"Records": [], "More": {}{}}}"#, "[".repeat(100_000), "]".repeat(100_000));
        let html = b"<html><body><h1>502 Bad Gateway</h1></body></html>";
        let e = message(records_from(200, html).unwrap_err());
        assert!(e.contains("GetRecords answered with something that is not its JSON") && e.contains("502 Bad Gateway"), "{e}");
        assert!(matches!(records_from(502, html), Err(KinesisError::Server { status: 502, .. })));
        // serde_json skips an unknown field without recursing, and bounds a known one at 128.
        assert!(records_from(200, deep.as_bytes()).is_ok());
        let deep_known = format!(r#"{{"Records": {}{}}}"#, "[".repeat(100_000), "]".repeat(100_000));
        let e = message(records_from(200, deep_known.as_bytes()).unwrap_err());
        assert!(e.contains("GetRecords answered with something that is not its JSON"), "{e}");
        let e = message(records_from(500, deep_known.as_bytes()).unwrap_err());
        assert!(e.starts_with("the server answered 500: {\"Records\": [[[["), "{e}");
        let e = message(records_from(200, br#"{"Records": "many"}"#).unwrap_err());
        assert!(e.contains("GetRecords") && e.contains("invalid type"), "{e}");
        let e = message(records_from(200, br#"{"Records": [{"SequenceNumber": "1", "PartitionKey": "k", "Data": "eyJh"#).unwrap_err());
        assert!(e.contains("GetRecords") && e.contains("EOF"), "{e}");
        let record = |data: &str| format!(r#"{{"SequenceNumber": "7", "PartitionKey": "k", "Data": "{data}"}}"#);
        // A record whose Data cannot be taken spoils neither the page nor the records beside it.
        let big = "A".repeat(MAX_RECORD_BYTES / 3 * 4 + 8);
        let page = records_from(200, format!(r#"{{"Records": [{}, {}]}}"#, record("not base64!"), record(&big)).as_bytes()).unwrap();
        let faults: Vec<_> = page.records.iter().map(|r| r.fault.as_deref().unwrap_or_default()).collect();
        assert!(faults[0].starts_with("its Data is not base64 (Invalid"), "{faults:?}");
        assert!(faults[1].contains("more than Kinesis's 1048576-byte records hold"), "{faults:?}");
        assert!(page.records.iter().all(|r| r.data.is_empty()));
        let page = records_from(200, format!(r#"{{"Records": [{}, {}]}}"#, record("eA=="), record("%%%")).as_bytes()).unwrap();
        assert_eq!((page.records[0].data.as_slice(), page.records[0].fault.is_none()), (&b"x"[..], true));
        assert!(page.records[1].fault.is_some());
        let three = [record("eA=="), record("eA=="), record("eA==")].join(",");
        let e = message(records_from(200, format!(r#"{{"Records": [{three}]}}"#).as_bytes()).unwrap_err());
        assert!(e.contains("GetRecords answered 3 records, 2 were asked for"), "{e}");
        let e = records_from(200, &vec![b' '; MAX_REPLY_BYTES + 1]).unwrap_err();
        assert!(e.to_string().contains("GetRecords answered more than 33554432 bytes") && !e.is_retryable(), "{e}");
        // A 200 answer that is not Kinesis JSON is not asked for again (it would come back the same).
        assert!(matches!(records_from(200, html), Err(KinesisError::Malformed(_))));
        assert!(!records_from(200, br#"{"Records": [{"SequenceNumber": 1}]}"#).unwrap_err().is_retryable());
        let long = format!(r#"{{"__type": "AccessDeniedException", "message": "{}"}}"#, "x".repeat(10_000));
        assert!(message(records_from(400, long.as_bytes()).unwrap_err()).len() < 300);
    }

    #[test]
    fn put_records_reports_each_entry() {
        let answer = json!({"FailedRecordCount": 1, "Records": [{"SequenceNumber": "1", "ShardId": "s0"},
                            {"ErrorCode": "ProvisionedThroughputExceededException", "ErrorMessage": "slow down"}]});
        let mut client = KinesisClient::new(Scripted { replies: vec![ok(answer)], asked: vec![] });
        let stream = StreamRef { name: "out".into(), arn: Some("arn:aws:kinesis:us-east-1:1:stream/out".into()) };
        let got = block_on(client.put_records(&stream, &[("a", b"x"), ("b", b"y")])).unwrap();
        assert_eq!(got[0], PutOutcome::Stored { sequence_number: "1".into() });
        assert!(got[1].is_throttled());
        let sent = &client.transport.asked[0].1;
        assert_eq!(sent["StreamARN"], "arn:aws:kinesis:us-east-1:1:stream/out");
        assert_eq!(sent["Records"][1], json!({"PartitionKey": "b", "Data": "eQ=="}));
    }
}
