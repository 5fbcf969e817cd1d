//! `sluice run` past bounded inputs: a note over a generator-fed local stream runs live, prints
//! changes as windows fire, and stops on --duration, --exit-when-idle or Ctrl-C.
#![cfg(not(target_arch = "wasm32"))]

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const NOTE: &str = "%flink.ssql
CREATE TABLE sensor_data (sensor_id INTEGER, current_temperature DOUBLE, status VARCHAR(6),
    event_time TIMESTAMP(3), WATERMARK FOR event_time AS event_time - INTERVAL '1' SECOND)
  WITH ('connector' = 'kinesis', 'stream' = 'my-input-stream', 'format' = 'json', 'json.timestamp-format.standard' = 'ISO-8601');

%flink.ssql(type=update)
SELECT window_start, COUNT(*) AS n FROM TABLE(TUMBLE(TABLE sensor_data, DESCRIPTOR(event_time), INTERVAL '1' SECOND))
GROUP BY window_start, window_end;
";

/// The note in a file removed when the value is dropped: keep it while `sluice` may read it.
fn note_file(name: &str) -> tempfile::TempPath {
    let file = tempfile::Builder::new().prefix(&format!("sluice-live-{name}-")).suffix(".sql").tempfile().unwrap();
    std::fs::write(file.path(), NOTE).unwrap();
    file.into_temp_path()
}

#[test]
fn a_generator_fed_note_runs_live_until_its_duration() {
    let started = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_sluice"))
        .args(["run", "--generator", "my-input-stream=200", "--duration", "3.5"])
        .arg(note_file("duration").as_os_str())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(started.elapsed() >= Duration::from_secs(3));
    let rows: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    // One-second windows fire a second and a bit after they end: at least one full window.
    assert!(!rows.is_empty(), "no window fired: {}", String::from_utf8_lossy(&out.stderr));
    assert!(rows.iter().all(|r| r["op"] == "+I"));
    let full: Vec<i64> = rows.iter().map(|r| r["row"]["n"].as_i64().unwrap()).collect();
    assert!(full.iter().any(|n| (190..=210).contains(n)), "a full second at 200 records/s: {full:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("stopped: the duration is over"));
}

#[test]
fn an_idle_note_exits_when_idle() {
    let out = Command::new(env!("CARGO_BIN_EXE_sluice"))
        .args(["run", "--exit-when-idle", "0.5"])
        .arg(note_file("idle").as_os_str())
        .output()
        .unwrap();
    // Without a generator the note has nothing to run live: it ends at once.
    assert!(out.status.success());
    let out = Command::new(env!("CARGO_BIN_EXE_sluice"))
        .args(["run", "--generator", "other-stream", "--exit-when-idle", "0.5"])
        .arg(note_file("idle2").as_os_str())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("stopped: the sources have been idle"));
}

#[test]
fn ctrl_c_stops_cleanly_with_metrics() {
    let note = note_file("sigint");
    let child = Command::new(env!("CARGO_BIN_EXE_sluice"))
        .args(["run", "--generator", "my-input-stream=100"])
        .arg(note.as_os_str())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(2500));
    let killed = Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("stopped: interrupted"), "{stderr}");
    assert!(stderr.contains("job 1:"), "final metrics: {stderr}");
}

#[test]
fn bad_flags_are_explained() {
    let out = Command::new(env!("CARGO_BIN_EXE_sluice")).args(["run", "--generator", "s=fast", "x.sql"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("`fast` is not a rate"));
}

#[test]
fn table_mode_redraws_the_current_rows() {
    let path = tempfile::Builder::new().prefix("sluice-live-table-").suffix(".sql").tempfile().unwrap().into_temp_path();
    std::fs::write(&path, NOTE.replace(
        "SELECT window_start, COUNT(*) AS n FROM TABLE(TUMBLE(TABLE sensor_data, DESCRIPTOR(event_time), INTERVAL '1' SECOND))\nGROUP BY window_start, window_end;",
        "SELECT status, COUNT(*) AS num FROM sensor_data GROUP BY status;",
    ))
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_sluice"))
        .args(["run", "--table", "--generator", "my-input-stream=100", "--duration", "1.5", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let screen = String::from_utf8_lossy(&out.stdout);
    let last = screen.rsplit("\x1b[H\x1b[2J").next().unwrap();
    assert!(last.starts_with("query 1: "), "{last}");
    assert!(last.lines().nth(1).unwrap().starts_with(" status  │ num"), "{last}");
    // Updated in place: one line per status, never more than three.
    let rows = last.lines().skip(3).filter(|l| !l.trim().is_empty()).count();
    assert!((1..=3).contains(&rows), "{last}");
}

#[test]
fn metrics_say_why_windows_wait_and_the_ledger_comes_at_the_end() {
    let path = tempfile::Builder::new().prefix("sluice-live-ledger-").suffix(".sql").tempfile().unwrap().into_temp_path();
    // Sensor 42's clock runs 30 s behind: its readings fall in windows that fired long ago.
    std::fs::write(
        &path,
        NOTE.replace("%flink.ssql(type=update)", "SET 'sluice.generator.scenario' = 'clock-behind';\n\n%flink.ssql(type=update)"),
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_sluice"))
        .args(["run", "--generator", "my-input-stream=200", "--duration", "3", "--metrics", "1", path.to_str().unwrap()])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("  Inputs:\n    sensor_data: watermark"), "the diagnosis: {stderr}");
    assert!(stderr.contains("window waits for the watermark") || stderr.contains("windows wait for the watermark"), "{stderr}");
    assert!(stderr.contains("break-it scenario since"), "{stderr}");
    assert!(stderr.contains("dropped as late under a watermark delay of 1 s."), "the ledger: {stderr}");
    assert!(stderr.contains(") missed ["), "each listed with the window it missed: {stderr}");
    // The what-if under the delay the ledger names: every listed record would have counted.
    let needed = stderr.split("A delay of ").nth(1).and_then(|r| r.split(" would have kept").next()).expect("the ledger names a delay");
    assert!(stderr.contains(&format!("Under a delay of {needed} instead of 1 s, replaying the ")), "the what-if: {stderr}");
    assert!(stderr.contains(" of today's late records would have counted"), "{stderr}");
}

#[test]
fn a_generator_fed_kafka_topic_runs_live_through_an_insert_into_another_topic() {
    // The walkthrough on local topics: the generator feeds `readings`, an INSERT counts its
    // readings per second into `counts`, and a query reads `counts` back.
    let note = "%flink.ssql
CREATE TABLE sensor_data (sensor_id INTEGER, current_temperature DOUBLE, status VARCHAR(6),
    event_time TIMESTAMP(3), `partition` INT METADATA VIRTUAL, WATERMARK FOR event_time AS event_time - INTERVAL '1' SECOND)
  WITH ('connector' = 'kafka', 'topic' = 'readings', 'properties.bootstrap.servers' = 'localhost:9092',
        'scan.startup.mode' = 'earliest-offset', 'format' = 'json', 'json.timestamp-format.standard' = 'ISO-8601',
        'scan.watermark.idle-timeout' = '1 s');
CREATE TABLE counts (window_start TIMESTAMP(3), n BIGINT)
  WITH ('connector' = 'kafka', 'topic' = 'counts', 'properties.bootstrap.servers' = 'localhost:9092',
        'scan.startup.mode' = 'earliest-offset', 'format' = 'json');

%flink.ssql
INSERT INTO counts SELECT window_start, COUNT(*) FROM TABLE(TUMBLE(TABLE sensor_data, DESCRIPTOR(event_time), INTERVAL '1' SECOND))
GROUP BY window_start, window_end;

%flink.ssql(type=update)
SELECT n FROM counts;
";
    let file = tempfile::Builder::new().prefix("sluice-live-kafka-").suffix(".sql").tempfile().unwrap();
    std::fs::write(file.path(), note).unwrap();
    let path = file.into_temp_path();
    let out = Command::new(env!("CARGO_BIN_EXE_sluice"))
        .args(["run", "--generator", "kafka:readings=200", "--duration", "4"])
        .arg(path.as_os_str())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let rows: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let counts: Vec<i64> = rows.iter().map(|r| r["row"]["n"].as_i64().unwrap()).collect();
    assert!(counts.iter().any(|n| (190..=210).contains(n)), "a full second at 200 records/s went through both topics: {counts:?}");
}
