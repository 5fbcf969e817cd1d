//! Shared by the tests against the `kinesis` tier's Kinesis API server (moto): the boto3 helper,
//! the walkthrough note, `sluice run` against an endpoint, and rows compared with the file's.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

use serde_json::Value;

pub const SENSOR_RECORDS: &str = "tests/data/sensor_input.jsonl";
pub const EXPECTED_ROWS: usize = 317;
pub const SENDER_BATCH: &str = "10";

pub struct Server {
    pub endpoint: String,
    pub python: String,
}

/// The Kinesis API server the `kinesis` tier of scripts/test.sh starts. These tests are
/// `#[ignore]`d in a plain `cargo test` (reported as ignored, never as passed) and that tier runs
/// them with `--ignored`; without the server they fail.
pub fn server() -> Server {
    match (std::env::var("SLUICE_KINESIS_ENDPOINT"), std::env::var("SLUICE_KINESIS_PYTHON")) {
        (Ok(endpoint), Ok(python)) => Server { endpoint, python },
        _ => panic!("no Kinesis test server: run these through scripts/test.sh's `kinesis` tier"),
    }
}

/// kinesalite, which the `kinesis` tier starts beside moto because it reshards as Kinesis does
/// (a split shard keeps its records and closes; moto moves them into the children).
pub fn kinesalite() -> Server {
    match (std::env::var("SLUICE_KINESALITE_ENDPOINT"), std::env::var("SLUICE_KINESIS_PYTHON")) {
        (Ok(endpoint), Ok(python)) => Server { endpoint, python },
        _ => panic!("no kinesalite server: run these through scripts/test.sh's `kinesis` tier"),
    }
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

impl Server {
    /// The boto3 helper, talking to `endpoint`.
    pub fn tool(&self, endpoint: &str, args: &[&str]) -> String {
        let out = Command::new(&self.python)
            .arg(repo().join("tests/kinesis/kinesis_tool.py"))
            .args(args)
            .envs(aws_env(endpoint))
            .output()
            .expect("the test Python runs");
        assert!(out.status.success(), "kinesis_tool.py {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        eprint!("{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }
}

pub fn aws_env(endpoint: &str) -> Vec<(&'static str, String)> {
    vec![
        ("AWS_ENDPOINT_URL", endpoint.to_string()),
        ("AWS_ACCESS_KEY_ID", "testing".into()),
        ("AWS_SECRET_ACCESS_KEY", "testing".into()),
        ("AWS_DEFAULT_REGION", "us-east-1".into()),
    ]
}

/// The walkthrough note (src/views/note/walkthrough.sql), steps 2 and 5 only (its tables and
/// the INSERT, not the two SELECTs), with its streams renamed and its start position set.
/// The note's file is removed when the value is dropped: keep it while `sluice` runs.
pub fn note(input: &str, output: &str, initpos: &str) -> tempfile::TempPath {
    let steps = sluice::views::note::seed::walkthrough();
    let text = [steps[0], steps[3], steps[4]]
        .join("\n\n")
        .replace("my-input-stream", input)
        .replace("my-output-stream", output)
        .replace("'scan.stream.initpos' = 'LATEST'", &format!("'scan.stream.initpos' = '{initpos}'"));
    let path = tempfile::Builder::new().prefix(&format!("sluice-kinesis-{input}-")).suffix(".sql").tempfile().unwrap().into_temp_path();
    std::fs::write(&path, text).unwrap();
    path
}

/// `sluice run` on `note` against `endpoint`, its stderr lines arriving on the receiver.
pub fn start_sluice(note: &Path, endpoint: &str) -> (Child, Receiver<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sluice"))
        .args(["run", "--exit-when-idle", "6", "--kinesis-endpoint", endpoint])
        .arg(note)
        .envs(aws_env(endpoint))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let lines = stderr_lines(&mut child, "sluice: ");
    (child, lines)
}

/// `child`'s stderr (piped), line by line on the receiver, each echoed after `prefix`.
pub fn stderr_lines(child: &mut Child, prefix: &'static str) -> Receiver<String> {
    let (send, lines) = channel();
    let stderr = child.stderr.take().expect("stderr is piped");
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            eprintln!("{prefix}{line}");
            let _ = send.send(line);
        }
    });
    lines
}

/// Waits for a stderr line containing `text`; returns every line seen.
pub fn wait_for(lines: &Receiver<String>, text: &str, timeout: Duration) -> Vec<String> {
    let deadline = Instant::now() + timeout;
    let mut seen = Vec::new();
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match lines.recv_timeout(left) {
            Ok(line) => {
                let found = line.contains(text);
                seen.push(line);
                if found {
                    return seen;
                }
            }
            Err(_) => break,
        }
    }
    panic!("sluice did not print `{text}` within {timeout:?}; it printed: {seen:#?}");
}

pub fn finish(mut child: Child, lines: &Receiver<String>) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(180);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("sluice run did not stop");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    std::thread::sleep(Duration::from_millis(200));
    let stderr: Vec<String> = lines.try_iter().collect();
    assert!(status.success(), "sluice run failed: {stderr:#?}");
    stderr
}

/// A window result as a comparable row: averages to 9 decimals (shards interleave, so the
/// sum's order — and its last bits — may differ from the file's).
pub fn row_key(row: &Value) -> (String, i64, String, String) {
    (
        row["status"].as_str().unwrap().to_string(),
        row["num"].as_i64().unwrap(),
        format!("{:.9}", row["avg_current_temperature"].as_f64().unwrap()),
        row["hop_time"].as_str().unwrap().replace(' ', "T"),
    )
}

/// What `sluice run` computes for the walkthrough's query over the records in the file.
pub fn rows_from_file() -> Vec<(String, i64, String, String)> {
    walkthrough_rows(&repo().join(SENSOR_RECORDS))
}

/// What `sluice run` computes for the walkthrough's query over the JSON lines at `data`, sorted.
pub fn walkthrough_rows(data: &Path) -> Vec<(String, i64, String, String)> {
    let script = format!(
        "CREATE TABLE sensor_data (sensor_id INTEGER, current_temperature DOUBLE, status VARCHAR(6), event_time TIMESTAMP(3),
             WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND)
         WITH ('connector' = 'filesystem', 'path' = '{}', 'format' = 'json', 'json.timestamp-format.standard' = 'ISO-8601');
         SELECT sensor_data.status, COUNT(*) AS num, AVG(sensor_data.current_temperature) AS avg_current_temperature,
             HOP_ROWTIME(event_time, INTERVAL '10' second, INTERVAL '1' minute) as hop_time
         FROM sensor_data GROUP BY HOP(event_time, INTERVAL '10' second, INTERVAL '1' minute), sensor_data.status;",
        data.display()
    );
    let path = tempfile::Builder::new().prefix("sluice-walkthrough-").suffix(".sql").tempfile().unwrap().into_temp_path();
    std::fs::write(&path, script).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_sluice")).arg("run").arg(&path).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut rows: Vec<_> =
        String::from_utf8_lossy(&out.stdout).lines().map(|l| row_key(&serde_json::from_str::<Value>(l).unwrap()["row"])).collect();
    rows.sort();
    rows
}

pub fn rows_from_stream(server: &Server, stream: &str) -> Vec<(String, i64, String, String)> {
    let mut rows: Vec<_> =
        server.tool(&server.endpoint, &["read", stream]).lines().map(|l| row_key(&serde_json::from_str(l).unwrap())).collect();
    rows.sort();
    rows
}

pub fn assert_same_rows(got: &[(String, i64, String, String)], expected: &[(String, i64, String, String)]) {
    assert_eq!(expected.len(), EXPECTED_ROWS, "the file's rows (tests/flink/q1_hop_legacy)");
    let missing: Vec<_> = expected.iter().filter(|r| !got.contains(r)).collect();
    let extra: Vec<_> = got.iter().filter(|r| !expected.contains(r)).collect();
    assert!(missing.is_empty() && extra.is_empty(), "missing from the stream: {missing:#?}\nnot from the file: {extra:#?}");
    assert_eq!(got.len(), expected.len(), "a row written twice");
}
