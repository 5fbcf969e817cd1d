//! `sluice proxy` in front of a real Kinesis API server (moto, from scripts/test.sh's `kinesis`
//! tier): the walkthrough's INSERT INTO runs through it with the file's rows, and it refuses what
//! Sluice does not need — other actions, other origins, other streams, iterators it did not hand
//! out, oversized bodies — without ever showing the secret key it signs with.
//!
//! Everything the tests send and read (boto3's sender and `sluice run`) goes through the proxy;
//! only creating the streams and reading the written rows back go to moto directly, since
//! `CreateStream` is exactly what the proxy does not forward.
// The proxy and the HTTP client the tests talk to it with are native only.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::process::{Child, Command, Stdio};
use std::sync::mpsc::Receiver;
use std::time::Duration;

use common::kinesis::*;

/// The keys the proxy signs with: neither may ever show in what it prints or answers.
const ACCESS_KEY_ID: &str = "AKIDPROXYTEST0000001";
const SECRET: &str = "proxy-test-secret-Zq81xWv";

struct Proxy {
    child: Child,
    url: String,
    lines: Receiver<String>,
}

impl Proxy {
    /// `sluice proxy` on a free port in front of `endpoint`, with `args` added.
    fn start(endpoint: &str, args: &[&str]) -> Proxy {
        Self::start_on(endpoint, "0", args)
    }

    /// The same on `port`.
    fn start_on(endpoint: &str, port: &str, args: &[&str]) -> Proxy {
        let mut child = Command::new(env!("CARGO_BIN_EXE_sluice"))
            .args(["proxy", "--port", port, "--endpoint", endpoint])
            .args(args)
            .env("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID)
            .env("AWS_SECRET_ACCESS_KEY", SECRET)
            .env_remove("AWS_SESSION_TOKEN")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let lines = stderr_lines(&mut child, "");
        let first = lines.recv_timeout(Duration::from_secs(20)).expect("sluice proxy prints where it listens");
        let url = first.strip_prefix("sluice proxy: listening on ").unwrap_or_else(|| panic!("unexpected first line: {first}")).to_string();
        Proxy { child, url, lines }
    }

    /// Stops the proxy and returns every line it printed.
    fn stop(mut self) -> Vec<String> {
        let _ = self.child.kill();
        let _ = self.child.wait();
        std::thread::sleep(Duration::from_millis(100));
        self.lines.try_iter().collect()
    }
}

/// A plain HTTP client that reads error answers instead of failing on them.
fn agent() -> ureq::Agent {
    ureq::Agent::config_builder().http_status_as_error(false).timeout_global(Some(Duration::from_secs(30))).build().into()
}

/// What came back: status, the `Access-Control-Allow-Origin` header, the body.
struct Answer {
    status: u16,
    allow_origin: Option<String>,
    body: String,
}

fn kinesis_call(proxy: &Proxy, action: &str, body: &str, origin: Option<&str>) -> Answer {
    let mut request = agent()
        .post(&proxy.url)
        .header("content-type", "application/x-amz-json-1.1")
        .header("x-amz-target", &format!("Kinesis_20131202.{action}"));
    if let Some(origin) = origin {
        request = request.header("origin", origin);
    }
    answer(request.send(body).unwrap())
}

fn preflight(proxy: &Proxy, origin: &str) -> Answer {
    let request = agent()
        .options(&proxy.url)
        .header("origin", origin)
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type,x-amz-target");
    answer(request.call().unwrap())
}

fn answer(mut response: ureq::http::Response<ureq::Body>) -> Answer {
    let allow_origin = response.headers().get("access-control-allow-origin").and_then(|v| v.to_str().ok()).map(str::to_string);
    Answer { status: response.status().as_u16(), allow_origin, body: response.body_mut().read_to_string().unwrap_or_default() }
}

fn assert_never_shows_the_keys(what: &str, text: &str) {
    assert!(!text.contains(SECRET), "{what} shows the secret key: {text}");
    assert!(!text.contains(ACCESS_KEY_ID), "{what} shows the access key id: {text}");
    assert!(!text.contains("AWS4-HMAC-SHA256"), "{what} shows a signature: {text}");
}

#[test]
#[ignore = "needs the Kinesis server of scripts/test.sh's kinesis tier"]
fn the_walkthrough_insert_runs_through_the_proxy_with_the_files_rows() {
    let server = server();
    server.tool(&server.endpoint, &["create", "proxied-input", "4"]);
    server.tool(&server.endpoint, &["create", "proxied-output", "2"]);
    let proxy = Proxy::start(&server.endpoint, &["--allow-stream", "proxied-input", "--allow-stream", "proxied-output"]);
    let note = note("proxied-input", "proxied-output", "LATEST");
    let (child, lines) = start_sluice(&note, &proxy.url);
    wait_for(&lines, "kinesis: reading `proxied-input`: 4 shards from LATEST", Duration::from_secs(30));
    let path = repo().join(SENSOR_RECORDS);
    server.tool(&proxy.url, &["put", "proxied-input", path.to_str().unwrap(), "--batch", SENDER_BATCH, "--flush-record"]);
    let stderr = finish(child, &lines);
    assert!(stderr.iter().any(|l| l.contains("job 1: 10001 records in")), "every record read once: {stderr:#?}");
    assert_same_rows(&rows_from_stream(&server, "proxied-output"), &rows_from_file());
    let log = proxy.stop();
    for call in [
        "ListShards proxied-input -> 200",
        "GetShardIterator proxied-input -> 200",
        "GetRecords proxied-input -> 200",
        "PutRecords proxied-input -> 200",
        "PutRecords proxied-output -> 200",
    ] {
        assert!(log.iter().any(|l| l.contains(call)), "the proxy logged no `{call}`");
    }
    assert_never_shows_the_keys("the proxy's log", &log.join("\n"));
}

#[test]
#[ignore = "needs the Kinesis server of scripts/test.sh's kinesis tier"]
fn the_proxy_refuses_other_actions_origins_streams_iterators_and_large_bodies() {
    let server = server();
    server.tool(&server.endpoint, &["create", "allowed-stream", "1"]);
    server.tool(&server.endpoint, &["create", "other-stream", "1"]);
    let proxy = Proxy::start(&server.endpoint, &["--allow-stream", "allowed-stream", "--max-body", "4096"]);
    let page = "http://127.0.0.1:8080";
    let mut answers = Vec::new();
    let mut check = |what: &str, got: Answer, status: u16| {
        assert_eq!(got.status, status, "{what}: {}", got.body);
        answers.push(got.body.clone());
        got
    };

    // What Sluice uses is forwarded, with CORS for the studio's origin.
    let listed = check("ListShards", kinesis_call(&proxy, "ListShards", r#"{"StreamName":"allowed-stream"}"#, Some(page)), 200);
    assert!(listed.body.contains("shardId-000000000000"));
    assert_eq!(listed.allow_origin.as_deref(), Some(page));
    let ok = check("preflight", preflight(&proxy, page), 204);
    assert_eq!(ok.allow_origin.as_deref(), Some(page));
    let iterator = check(
        "GetShardIterator",
        kinesis_call(
            &proxy,
            "GetShardIterator",
            r#"{"StreamName":"allowed-stream","ShardId":"shardId-000000000000","ShardIteratorType":"TRIM_HORIZON"}"#,
            None,
        ),
        200,
    );
    let iterator: serde_json::Value = serde_json::from_str(&iterator.body).unwrap();
    let get = serde_json::json!({ "ShardIterator": iterator["ShardIterator"], "Limit": 10 }).to_string();
    check("GetRecords with the proxy's iterator", kinesis_call(&proxy, "GetRecords", &get, None), 200);

    // An action Sluice does not use: refused, and the stream is still there.
    let deleted = check("DeleteStream", kinesis_call(&proxy, "DeleteStream", r#"{"StreamName":"allowed-stream"}"#, None), 403);
    assert!(deleted.body.contains("not DeleteStream"), "{}", deleted.body);
    check("CreateStream", kinesis_call(&proxy, "CreateStream", r#"{"StreamName":"new","ShardCount":1}"#, None), 403);
    check("ListShards after DeleteStream", kinesis_call(&proxy, "ListShards", r#"{"StreamName":"allowed-stream"}"#, None), 200);

    // A page from another origin: no CORS answer, no forwarding.
    let foreign = check(
        "a foreign origin",
        kinesis_call(&proxy, "ListShards", r#"{"StreamName":"allowed-stream"}"#, Some("https://evil.example")),
        403,
    );
    assert_eq!(foreign.allow_origin, None);
    assert_eq!(check("a foreign preflight", preflight(&proxy, "https://evil.example"), 403).allow_origin, None);

    // Streams off the allowlist, by name, by ARN, or through an iterator got elsewhere.
    check("another stream", kinesis_call(&proxy, "ListShards", r#"{"StreamName":"other-stream"}"#, None), 403);
    check(
        "another stream's ARN",
        kinesis_call(&proxy, "ListShards", r#"{"StreamARN":"arn:aws:kinesis:us-east-1:123456789012:stream/other-stream"}"#, None),
        403,
    );
    // An iterator the proxy did not hand out reads as expired: no records, and the reader must
    // ask for a new one by a stream name the allowlist checks.
    let unknown = check(
        "an unknown iterator",
        kinesis_call(&proxy, "GetRecords", r#"{"ShardIterator":"AAAAAAAAAAF0cmlja3k=","Limit":10}"#, None),
        400,
    );
    assert!(unknown.body.contains("ExpiredIteratorException") && !unknown.body.contains("Records"), "{}", unknown.body);

    // A body over --max-body, and one that is not JSON.
    let records: Vec<_> = (0..100).map(|i| serde_json::json!({"PartitionKey": i.to_string(), "Data": "eyJhIjoxfQ=="})).collect();
    let large = serde_json::json!({"StreamName": "allowed-stream", "Records": records}).to_string();
    assert!(large.len() > 4096);
    check("an oversized PutRecords", kinesis_call(&proxy, "PutRecords", &large, None), 413);
    check("a body that is not JSON", kinesis_call(&proxy, "ListShards", "StreamName=allowed-stream", None), 400);

    let log = proxy.stop();
    let refusals = log.iter().filter(|l| l.contains("-> 403") || l.contains("-> 413") || l.contains("-> 400")).count();
    assert_eq!(refusals, 9, "one log line per refused request: {log:#?}");
    assert_never_shows_the_keys("the proxy's log", &log.join("\n"));
    assert_never_shows_the_keys("the proxy's answers", &answers.join("\n"));
}

#[test]
#[ignore = "needs the Kinesis server of scripts/test.sh's kinesis tier"]
fn the_proxy_serves_the_built_studio_on_its_own_origin() {
    let server = server();
    let dist_dir = tempfile::tempdir().unwrap();
    let dist = dist_dir.path();
    std::fs::write(dist.join("index.html"), "<!doctype html><title>Sluice</title>").unwrap();
    std::fs::write(dist.join("sluice_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    let proxy = Proxy::start(&server.endpoint, &["--serve", dist.to_str().unwrap()]);
    let mut page = agent().get(&proxy.url).call().unwrap();
    assert_eq!(page.status().as_u16(), 200);
    assert!(page.body_mut().read_to_string().unwrap().contains("<title>Sluice</title>"));
    let wasm = agent().get(&format!("{}/sluice_bg.wasm", proxy.url)).call().unwrap();
    assert_eq!(wasm.headers().get("content-type").and_then(|v| v.to_str().ok()), Some("application/wasm"));
    assert_eq!(agent().get(&format!("{}/../Cargo.toml", proxy.url)).call().unwrap().status().as_u16(), 403);
    // The page's own origin needs no --allow-origin.
    let own = kinesis_call(&proxy, "ListShards", r#"{"StreamName":"no-such-stream"}"#, Some(&proxy.url.clone()));
    assert_eq!(own.allow_origin.as_deref(), Some(proxy.url.as_str()));
    assert!(own.body.contains("ResourceNotFoundException"), "moto's own answer passed back: {}", own.body);
    proxy.stop();
}

/// The proxy restarted in the middle of a query: while it is gone the reader and the writer back
/// off, then go on through the new one (which reads the old iterators as expired, so the reader
/// asks for new ones after its last record), and the rows are still exactly the file's.
#[test]
#[ignore = "needs the Kinesis server of scripts/test.sh's kinesis tier"]
fn a_proxy_restarted_mid_query_changes_no_row() {
    let server = server();
    server.tool(&server.endpoint, &["create", "restart-input", "4"]);
    server.tool(&server.endpoint, &["create", "restart-output", "2"]);
    let allow = ["--allow-stream", "restart-input", "--allow-stream", "restart-output"];
    let proxy = Proxy::start(&server.endpoint, &allow);
    let port = proxy.url.trim_end_matches('/').rsplit(':').next().expect("the proxy's URL has a port").to_string();
    let note = note("restart-input", "restart-output", "LATEST");
    let (child, lines) = start_sluice(&note, &proxy.url);
    wait_for(&lines, "kinesis: reading `restart-input`: 4 shards from LATEST", Duration::from_secs(30));
    // The sender writes to moto directly, all through the restart.
    let sender = {
        let (python, endpoint) = (server.python.clone(), server.endpoint.clone());
        std::thread::spawn(move || {
            let server = common::kinesis::Server { python, endpoint };
            let path = repo().join(SENSOR_RECORDS);
            server.tool(&server.endpoint, &["put", "restart-input", path.to_str().unwrap(), "--batch", SENDER_BATCH, "--flush-record"]);
        })
    };
    std::thread::sleep(Duration::from_millis(1_000));
    let before = proxy.stop();
    std::thread::sleep(Duration::from_millis(2_000));
    let proxy = Proxy::start_on(&server.endpoint, &port, &allow);
    sender.join().expect("the sender finished");
    let stderr = finish(child, &lines);
    let after = proxy.stop();
    assert!(before.iter().any(|l| l.contains("GetRecords restart-input -> 200")), "the first proxy served reads: {before:#?}");
    assert!(after.iter().any(|l| l.contains("GetRecords restart-input -> 200")), "reading went on through the new proxy: {after:#?}");
    assert!(stderr.iter().any(|l| l.contains("job 1: 10001 records in")), "every record read once: {stderr:#?}");
    assert_same_rows(&rows_from_stream(&server, "restart-output"), &rows_from_file());
}
