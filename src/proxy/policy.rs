//! What `sluice proxy` lets through: which Kinesis actions, from which page origins, on which
//! streams, and how large a request may be. Plain decisions over a request's parts, so each
//! rule is tested without a server.
//!
//! A stream allowlist must also hold for requests that do not name a stream: `GetRecords` carries
//! only a shard iterator and a second `ListShards` page only a `NextToken`. Those tokens are
//! opaque, so the proxy remembers the ones it handed out for allowed streams ([`IssuedTokens`])
//! and refuses any other; a page cannot read a stream it may not name by bringing an iterator
//! got elsewhere.

use std::collections::{HashMap, VecDeque};

use serde::Deserialize;

/// The Kinesis actions Sluice uses, and so the only ones forwarded: a page (or anything else
/// that reaches the port) cannot delete a stream or change its shards through the proxy.
pub const FORWARDED_ACTIONS: [&str; 5] = ["ListShards", "GetShardIterator", "GetRecords", "PutRecords", "DescribeStreamSummary"];

/// The `X-Amz-Target` prefix of the Kinesis JSON 1.1 API.
pub const TARGET_PREFIX: &str = "Kinesis_20131202.";

/// Large enough for the largest `PutRecords` (5 MB of data, base64 in JSON: about 6.7 MB).
pub const DEFAULT_MAX_BODY: usize = 8 << 20;

#[derive(Clone, Debug)]
pub struct Policy {
    /// Exact origins (`http://127.0.0.1:8080`) a page may call from.
    pub allowed_origins: Vec<String>,
    /// Stream names; empty means every stream.
    pub allowed_streams: Vec<String>,
    pub max_body: usize,
}

/// Why a request is not forwarded: the HTTP status and a message for the log and the caller.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub status: u16,
    /// The Kinesis-style `__type` of the JSON answer.
    pub kind: &'static str,
    pub message: String,
}

impl Refusal {
    fn new(status: u16, kind: &'static str, message: String) -> Refusal {
        Refusal { status, kind, message }
    }

    /// An answer shaped like Kinesis's own errors, so the page's client reads it as one.
    pub fn body(&self) -> Vec<u8> {
        serde_json::json!({ "__type": self.kind, "message": self.message }).to_string().into_bytes()
    }
}

impl Policy {
    /// A request without an `Origin` header does not come from a page's script (curl, the
    /// native runner): CORS does not apply and it is served. A page's origin must be listed.
    pub fn check_origin(&self, origin: Option<&str>) -> Result<(), Refusal> {
        match origin {
            None => Ok(()),
            Some(origin) if self.origin_allowed(origin) => Ok(()),
            Some(origin) => Err(Refusal::new(
                403,
                "AccessDeniedException",
                format!("sluice proxy does not serve pages from {origin}: start it with --allow-origin {origin}"),
            )),
        }
    }

    pub fn origin_allowed(&self, origin: &str) -> bool {
        self.allowed_origins.iter().any(|o| o == origin)
    }

    /// The action named by `X-Amz-Target`, if it is one Sluice uses.
    pub fn check_action<'a>(&self, target: Option<&'a str>) -> Result<&'a str, Refusal> {
        let Some(action) = target.and_then(|t| t.strip_prefix(TARGET_PREFIX)) else {
            return Err(Refusal::new(
                400,
                "UnknownOperationException",
                format!("not a Kinesis request: X-Amz-Target is `{}`, expected {TARGET_PREFIX}<Action>", target.unwrap_or("")),
            ));
        };
        if FORWARDED_ACTIONS.contains(&action) {
            Ok(action)
        } else {
            Err(Refusal::new(
                403,
                "AccessDeniedException",
                format!("sluice proxy forwards only {}, not {action}", FORWARDED_ACTIONS.join(", ")),
            ))
        }
    }

    pub fn check_size(&self, length: usize) -> Result<(), Refusal> {
        if length > self.max_body {
            return Err(Refusal::new(
                413,
                "ValidationException",
                format!("the request body is larger than {} bytes (sluice proxy --max-body)", self.max_body),
            ));
        }
        Ok(())
    }

    /// With a stream allowlist, the request's stream (named, or known from its token) must be
    /// on it. A shard iterator the proxy did not hand out (it restarted, or forgot the oldest)
    /// is answered as expired: the reader gets a new one with `GetShardIterator`, which names
    /// its stream, and reads on after its last record — nothing is read without a checked name.
    pub fn check_stream(&self, stream: Option<&str>, carries_iterator: bool) -> Result<(), Refusal> {
        if self.allowed_streams.is_empty() {
            return Ok(());
        }
        let what = match stream {
            Some(stream) if self.allowed_streams.iter().any(|s| s == stream) => return Ok(()),
            Some(stream) => format!("stream `{stream}` is not allowed"),
            None if carries_iterator => {
                return Err(Refusal::new(
                    400,
                    "ExpiredIteratorException",
                    "sluice proxy did not hand out this shard iterator (it may have restarted): get a new one with GetShardIterator".into(),
                ))
            }
            None => "the request names no stream, or carries a page token this proxy did not hand out".into(),
        };
        Err(Refusal::new(403, "AccessDeniedException", format!("{what}: sluice proxy serves only {}", self.allowed_streams.join(", "))))
    }
}

/// The fields of a request that say which stream it is about; the rest is not looked at.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RequestTarget {
    stream_name: Option<String>,
    #[serde(rename = "StreamARN")]
    stream_arn: Option<String>,
    shard_iterator: Option<String>,
    next_token: Option<String>,
}

impl RequestTarget {
    pub fn carries_iterator(&self) -> bool {
        self.shard_iterator.is_some()
    }

    /// The stream: `StreamName`, else the name at the end of `StreamARN`
    /// (`arn:aws:kinesis:REGION:ACCOUNT:stream/NAME`), else the one the proxy handed the
    /// request's iterator or page token out for.
    pub fn stream(&self, issued: &IssuedTokens) -> Option<String> {
        if let Some(name) = &self.stream_name {
            return Some(name.clone());
        }
        if let Some(arn) = &self.stream_arn {
            return arn.split_once(":stream/").map(|(_, name)| name.to_string());
        }
        [&self.shard_iterator, &self.next_token].into_iter().flatten().find_map(|t| issued.stream_of(t)).map(str::to_string)
    }
}

/// The tokens in an answer that later requests bring back instead of a stream name.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AnswerTokens {
    shard_iterator: Option<String>,
    next_shard_iterator: Option<String>,
    next_token: Option<String>,
}

/// Shard iterators and `ListShards` page tokens the proxy passed back, with their stream,
/// newest kept: the oldest are forgotten past a bound, as Kinesis itself expires iterators after
/// five minutes (a reader with a forgotten one gets a new iterator as after an expiry).
pub struct IssuedTokens {
    streams: HashMap<String, String>,
    order: VecDeque<String>,
    capacity: usize,
}

impl IssuedTokens {
    pub fn new(capacity: usize) -> Self {
        IssuedTokens { streams: HashMap::new(), order: VecDeque::new(), capacity }
    }

    pub fn stream_of(&self, token: &str) -> Option<&str> {
        self.streams.get(token).map(String::as_str)
    }

    /// Remembers the tokens of an answer about `stream`.
    pub fn remember(&mut self, stream: &str, answer: AnswerTokens) {
        for token in [answer.shard_iterator, answer.next_shard_iterator, answer.next_token].into_iter().flatten() {
            if self.streams.insert(token.clone(), stream.to_string()).is_none() {
                self.order.push_back(token);
            }
        }
        while self.order.len() > self.capacity {
            if let Some(old) = self.order.pop_front() {
                self.streams.remove(&old);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn policy(streams: &[&str]) -> Policy {
        Policy {
            allowed_origins: vec!["http://127.0.0.1:8080".into()],
            allowed_streams: streams.iter().map(|s| s.to_string()).collect(),
            max_body: 100,
        }
    }

    #[test]
    fn only_the_actions_sluice_uses_are_forwarded() {
        let p = policy(&[]);
        assert_eq!(p.check_action(Some("Kinesis_20131202.GetRecords")), Ok("GetRecords"));
        let refused = p.check_action(Some("Kinesis_20131202.DeleteStream")).unwrap_err();
        assert_eq!(refused.status, 403);
        assert!(refused.message.contains("not DeleteStream"), "{}", refused.message);
        assert_eq!(p.check_action(Some("DynamoDB_20120810.Scan")).unwrap_err().status, 400);
        assert_eq!(p.check_action(None).unwrap_err().status, 400);
    }

    #[test]
    fn pages_from_other_origins_are_refused_and_scripts_without_one_served() {
        let p = policy(&[]);
        assert!(p.check_origin(Some("http://127.0.0.1:8080")).is_ok());
        assert!(p.check_origin(None).is_ok());
        let refused = p.check_origin(Some("https://evil.example")).unwrap_err();
        assert_eq!(refused.status, 403);
        assert!(refused.message.contains("--allow-origin https://evil.example"));
        // Exact match: a port or a scheme makes another origin.
        assert!(p.check_origin(Some("http://127.0.0.1:8081")).is_err());
        assert!(p.check_origin(Some("https://127.0.0.1:8080")).is_err());
    }

    fn target(v: serde_json::Value) -> RequestTarget {
        serde_json::from_value(v).unwrap()
    }

    fn tokens(v: serde_json::Value) -> AnswerTokens {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn a_request_is_about_the_stream_it_names_or_whose_iterator_it_carries() {
        let mut issued = IssuedTokens::new(10);
        assert_eq!(target(json!({"StreamName": "in", "ShardId": "s0"})).stream(&issued).as_deref(), Some("in"));
        assert_eq!(target(json!({"StreamARN": "arn:aws:kinesis:us-east-1:1:stream/in"})).stream(&issued).as_deref(), Some("in"));
        assert_eq!(target(json!({"ShardIterator": "it-1", "Limit": 10})).stream(&issued), None);
        issued.remember("in", tokens(json!({"ShardIterator": "it-1"})));
        assert_eq!(target(json!({"ShardIterator": "it-1", "Limit": 10})).stream(&issued).as_deref(), Some("in"));
        issued.remember("in", tokens(json!({"Records": [], "NextShardIterator": "it-2"})));
        assert_eq!(target(json!({"ShardIterator": "it-2"})).stream(&issued).as_deref(), Some("in"));
    }

    #[test]
    fn a_stream_allowlist_refuses_other_streams_and_unknown_iterators() {
        let p = policy(&["my-input-stream"]);
        assert!(p.check_stream(Some("my-input-stream"), false).is_ok());
        assert!(p.check_stream(Some("payroll"), false).unwrap_err().message.contains("`payroll` is not allowed"));
        assert_eq!(p.check_stream(None, false).unwrap_err().status, 403);
        assert_eq!(p.check_stream(None, true).unwrap_err().kind, "ExpiredIteratorException");
        assert!(policy(&[]).check_stream(Some("payroll"), false).is_ok());
        assert!(policy(&[]).check_stream(None, true).is_ok());
    }

    #[test]
    fn issued_tokens_forget_the_oldest_past_their_bound() {
        let mut issued = IssuedTokens::new(2);
        for t in ["a", "b", "c"] {
            issued.remember("in", tokens(json!({"NextShardIterator": t})));
        }
        assert_eq!([issued.stream_of("a"), issued.stream_of("b"), issued.stream_of("c")], [None, Some("in"), Some("in")]);
    }

    #[test]
    fn oversized_bodies_are_refused_with_413() {
        assert!(policy(&[]).check_size(100).is_ok());
        assert_eq!(policy(&[]).check_size(101).unwrap_err().status, 413);
    }
}
