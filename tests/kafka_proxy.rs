//! `sluice proxy --kafka`: the page's Kafka requests over HTTP, answered by the proxy against a
//! real Kafka-protocol broker (tansu) — partitions, offsets, fetch, produce and group offsets for
//! allowed topics from allowed origins, one log line per request, without AWS credentials, and
//! with what kafka-python wrote and reads; and the page's own reader and writer of real topics
//! (the code its tasks run) over real HTTP to the proxy.
//!
//! The broker is started by `scripts/test.sh`'s `kafka` tier; these tests are `#[ignore]`d
//! without it.

#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::process::{Child, Command, Stdio};
use std::sync::mpsc::Receiver;
use std::time::Duration;

use base64::Engine;
use serde_json::{json, Value};

use common::kafka::*;
use common::kinesis::stderr_lines;
use sluice::connectors::kafka::proxy_api::ProxyClient;
use sluice::connectors::kafka::proxy_reader::ProxyReader;
use sluice::connectors::kafka::proxy_writer::ProxyWriter;
use sluice::connectors::kafka::remote_start::RemoteStart;
use sluice::connectors::kafka::{partition_for_key, LocalTopics, ProducerRecord, TopicReader};
use sluice::connectors::kinesis::transport::{block_on, Reply, Transport};

struct Proxy {
    child: Child,
    url: String,
    lines: Receiver<String>,
}

impl Proxy {
    fn start(bootstrap: &str, args: &[&str]) -> Proxy {
        let mut child = Command::new(env!("CARGO_BIN_EXE_sluice"))
            .args(["proxy", "--port", "0", "--kafka", bootstrap])
            .args(args)
            // No AWS keys anywhere: a proxy for Kafka alone needs none.
            .env_remove("AWS_ACCESS_KEY_ID")
            .env_remove("AWS_SECRET_ACCESS_KEY")
            .env_remove("AWS_SESSION_TOKEN")
            .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
            .env("AWS_CONFIG_FILE", "/nonexistent")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let lines = stderr_lines(&mut child, "");
        let first = lines.recv_timeout(Duration::from_secs(20)).expect("sluice proxy prints where it listens");
        let url = first.strip_prefix("sluice proxy: listening on ").unwrap_or_else(|| panic!("unexpected first line: {first}")).to_string();
        Proxy { child, url, lines }
    }

    fn stop(mut self) -> Vec<String> {
        let _ = self.child.kill();
        let _ = self.child.wait();
        std::thread::sleep(Duration::from_millis(100));
        self.lines.try_iter().collect()
    }

    fn post(&self, route: &str, body: Value, origin: Option<&str>) -> (u16, Value) {
        let agent: ureq::Agent =
            ureq::Agent::config_builder().http_status_as_error(false).timeout_global(Some(Duration::from_secs(30))).build().into();
        let mut request = agent.post(&format!("{}/kafka/{route}", self.url)).header("content-type", "application/json");
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        let mut response = request.send(body.to_string()).unwrap();
        let status = response.status().as_u16();
        let text = response.body_mut().read_to_string().unwrap_or_default();
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }
}

fn b64(s: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(s)
}

fn unb64(v: &Value) -> String {
    String::from_utf8(base64::engine::general_purpose::STANDARD.decode(v.as_str().unwrap()).unwrap()).unwrap()
}

#[test]
#[ignore = "needs the Kafka broker of scripts/test.sh's kafka tier"]
fn the_page_reads_and_writes_allowed_topics_through_the_proxy() {
    let b = broker();
    let input = topic("proxy-in");
    let output = topic("proxy-out");
    b.tool(&["create", &input, "4"]);
    b.tool(&["create", &output, "2"]);
    b.tool(&["put", &input, repo().join("tests/data/sensor_input.jsonl").to_str().unwrap(), "--lines", "0:100"]);
    let proxy = Proxy::start(&b.bootstrap, &["--allow-topic", &input, "--allow-topic", &output]);

    let (status, parts) = proxy.post("partitions", json!({"topic": input}), None);
    assert_eq!((status, &parts), (200, &json!({"partitions": [0, 1, 2, 3]})));
    let (_, ends) = proxy.post("offsets", json!({"topic": input, "partitions": [0, 1, 2, 3], "at": "latest"}), None);
    let total: i64 = ends["offsets"].as_array().unwrap().iter().map(|p| p[1].as_i64().unwrap()).sum();
    assert_eq!(total, 100);

    // Fetch every partition from 0 until the ends: the 100 records kafka-python produced.
    let mut positions: Vec<(i64, i64)> = (0..4).map(|p| (p, 0)).collect();
    let ends: Vec<(i64, i64)> =
        ends["offsets"].as_array().unwrap().iter().map(|p| (p[0].as_i64().unwrap(), p[1].as_i64().unwrap())).collect();
    let mut values = Vec::new();
    for _ in 0..50 {
        if positions.iter().zip(&ends).all(|(p, e)| p.1 >= e.1) {
            break;
        }
        let (status, reply) = proxy.post("fetch", json!({"topic": input, "positions": positions}), Some(&proxy.url));
        assert_eq!(status, 200, "{reply}");
        for part in reply["partitions"].as_array().unwrap() {
            let p = part["partition"].as_i64().unwrap();
            positions.iter_mut().find(|x| x.0 == p).unwrap().1 = part["next_offset"].as_i64().unwrap();
            values.extend(part["records"].as_array().unwrap().iter().map(|r| unb64(&r["value"])));
        }
    }
    let mut theirs: Vec<String> = b.tool(&["read", &input]).lines().map(str::to_string).collect();
    values.sort();
    theirs.sort();
    assert_eq!(values, theirs);

    // Produce through the proxy; kafka-python reads it.
    let records = json!([{"key": b64("k"), "value": b64("hello"), "timestamp": 1_621_500_000_000i64, "headers": [["h", b64("v")]]}]);
    let (status, reply) = proxy.post("produce", json!({"topic": output, "partition": 1, "records": records}), None);
    assert_eq!((status, &reply), (200, &json!({"base_offset": 0})));
    let got: Value = serde_json::from_str(b.tool(&["records", &output]).trim()).unwrap();
    assert_eq!((got["partition"].as_i64(), got["value"].as_str()), (Some(1), Some("hello")));

    // Group offsets.
    let group = format!("{input}-g");
    let (status, _) = proxy.post("commit", json!({"topic": input, "group": group, "offsets": [[0, 3]]}), None);
    assert_eq!(status, 200);
    let (_, committed) = proxy.post("committed", json!({"topic": input, "group": group, "partitions": [0, 1]}), None);
    assert_eq!(committed, json!({"offsets": [[0, 3], [1, null]]}));

    // Refused: a topic not allowed, a page from elsewhere, a route that does not exist.
    let (status, reply) = proxy.post("fetch", json!({"topic": "secret", "positions": [[0, 0]]}), None);
    assert_eq!(status, 403, "{reply}");
    assert!(reply["error"].as_str().unwrap().contains("serves only"), "{reply}");
    let (status, _) = proxy.post("partitions", json!({"topic": input}), Some("http://evil.example"));
    assert_eq!(status, 403);
    let (status, _) = proxy.post("delete-topic", json!({"topic": input}), None);
    assert_eq!(status, 404);

    let log = proxy.stop();
    let requests: Vec<&String> = log.iter().filter(|l| l.starts_with("sluice proxy: POST")).collect();
    assert!(requests.iter().any(|l| l.contains(&format!("kafka fetch {input} -> 200"))), "{log:#?}");
    assert!(requests.iter().any(|l| l.contains("kafka fetch secret -> 403")), "{log:#?}");
    assert!(log.iter().any(|l| l.contains("no AWS credentials")), "{log:#?}");
}

#[test]
fn an_unreachable_broker_answers_502_retriable_and_sasl_secrets_never_show() {
    let jaas = r#"org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="proxy-sasl-secret-77";"#;
    let proxy = Proxy::start(
        "127.0.0.1:1",
        &[
            "--kafka-property",
            "security.protocol=SASL_PLAINTEXT",
            "--kafka-property",
            "sasl.mechanism=PLAIN",
            "--kafka-property",
            &format!("sasl.jaas.config={jaas}"),
            "--kafka-property",
            "request.timeout.ms=2000",
        ],
    );
    let (status, reply) = proxy.post("partitions", json!({"topic": "t"}), None);
    assert_eq!(status, 502, "{reply}");
    assert_eq!(reply["retriable"], true, "{reply}");
    let log = proxy.stop();
    assert!(log.iter().any(|l| l.contains("SASL PLAIN")), "{log:#?}");
    assert!(log.iter().all(|l| !l.contains("proxy-sasl-secret-77")), "{log:#?}");
    assert!(!reply.to_string().contains("proxy-sasl-secret-77"));
}

/// The page's side of the proxy over real HTTP (the page uses `fetch`; the requests are the same).
struct PageHttp {
    url: String,
    agent: ureq::Agent,
    requests: usize,
}

impl Transport for PageHttp {
    async fn send(&mut self, route: &str, body: &[u8]) -> Result<Reply, String> {
        self.requests += 1;
        let mut response = self
            .agent
            .post(&format!("{}/kafka/{route}", self.url))
            .header("content-type", "application/json")
            .send(body)
            .map_err(|e| e.to_string())?;
        let status = response.status().as_u16();
        let body = response.body_mut().read_to_vec().map_err(|e| e.to_string())?;
        Ok(Reply { status, body })
    }
}

fn page_client(proxy: &Proxy) -> ProxyClient<PageHttp> {
    let agent = ureq::Agent::config_builder().http_status_as_error(false).timeout_global(Some(Duration::from_secs(30))).build().into();
    ProxyClient::new(PageHttp { url: proxy.url.clone(), agent, requests: 0 }, &proxy.url)
}

/// What the page runs for a Kafka table in proxy mode: its reader mirrors a real 4-partition
/// topic into the local topic of the same name at the real offsets, and its writer produces what
/// a sink put on a forwarded local topic, each record where Kafka's partitioner puts its key.
/// The proxy logs exactly one line per request the page made.
#[test]
#[ignore = "needs the Kafka broker of scripts/test.sh's kafka tier"]
fn the_pages_reader_and_writer_mirror_and_produce_through_the_proxy() {
    let b = broker();
    let (input, output) = (topic("page-in"), topic("page-out"));
    b.tool(&["create", &input, "4"]);
    b.tool(&["create", &output, "3"]);
    b.tool(&["put", &input, repo().join("tests/data/sensor_input.jsonl").to_str().unwrap(), "--lines", "0:300"]);
    let proxy = Proxy::start(&b.bootstrap, &["--allow-topic", &input, "--allow-topic", &output]);
    let mut client = page_client(&proxy);

    let mut topics = LocalTopics::default();
    let local = topics.get_or_create(&input);
    local.mirror_remote();
    let mut reader = ProxyReader::new(&input, RemoteStart::Earliest, local.mirrored_up_to());
    let (mut out, mut log) = (Vec::new(), Vec::new());
    for _ in 0..100 {
        block_on(reader.poll(&mut client, 0, &mut out, &mut log)).unwrap();
        for r in out.drain(..) {
            assert!(topics.get_mut(&input).unwrap().mirror_record(r).unwrap());
        }
        if topics.get(&input).unwrap().record_count() == 300 {
            break;
        }
    }
    assert!(log[0].starts_with(&format!("kafka: reading `{input}`: 4 partitions from earliest-offset through {}", proxy.url)), "{log:?}");
    let theirs: Vec<Value> = b.tool(&["records", &input]).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let mirror = topics.get(&input).unwrap();
    assert_eq!(mirror.record_count(), theirs.len());
    let mut reader_all = TopicReader::snapshot(&topics, &input);
    let mut mine = Vec::new();
    reader_all.poll(&topics, usize::MAX, &mut |r| {
        mine.push(json!([r.partition, r.offset, String::from_utf8(r.value.clone().unwrap()).unwrap()]));
    });
    let mut theirs: Vec<Value> = theirs.iter().map(|r| json!([r["partition"], r["offset"], r["value"]])).collect();
    mine.sort_by_key(|v| v.to_string());
    theirs.sort_by_key(|v| v.to_string());
    assert_eq!(mine, theirs, "the mirror holds the real records at their partitions and offsets");

    // A sink's records on a forwarded local topic of 4 partitions, to a real topic of 3.
    let produced: Vec<ProducerRecord> = (0..40)
        .map(|i| ProducerRecord {
            partition: Some(i % 4),
            key: Some(format!("k{i}").into_bytes()),
            value: Some(format!("v{i}").into_bytes()),
            headers: vec![("h".into(), Some(b"x".to_vec()))],
            timestamp_ms: Some(1_621_500_000_000 + i as i64),
        })
        .collect();
    let mut writer = ProxyWriter::new(&output);
    writer.push(4, produced.clone());
    let mut stored = 0;
    for _ in 0..20 {
        stored += block_on(writer.poll(&mut client, 0, &mut log)).unwrap().0;
        if writer.pending() == 0 {
            break;
        }
    }
    assert_eq!(stored, 40);
    let written: Vec<Value> = b.tool(&["records", &output]).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(written.len(), 40);
    for r in &written {
        let key = r["key"].as_str().unwrap();
        assert_eq!(r["partition"].as_i64().unwrap() as i32, partition_for_key(key.as_bytes(), 3), "{r}");
        assert_eq!(r["value"].as_str().unwrap(), key.replace('k', "v"));
        assert_eq!(r["headers"], json!([["h", "x"]]));
    }

    let requests = client.transport().requests;
    let lines = proxy.stop();
    let logged = lines.iter().filter(|l| l.starts_with("sluice proxy: POST kafka ")).count();
    assert_eq!(logged, requests, "one log line per request: {lines:#?}");
}
