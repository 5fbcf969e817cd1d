//! "Why is this window empty?": the diagnosis of a running job, on the virtual clock and a
//! seeded generator, so every run sees the same watermarks, windows and causes.
#![cfg(not(target_arch = "wasm32"))]

use sluice::session::diagnosis::{Cause, Remedy};
use sluice::session::{JobId, Outcome, Session};

const TABLE: &str = "CREATE TABLE sensor_data (sensor_id INTEGER, current_temperature DOUBLE, status VARCHAR(6),
    event_time TIMESTAMP(3), WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND)
  WITH ('connector' = 'kinesis', 'stream' = 'my-input-stream', 'format' = 'json',
        'json.timestamp-format.standard' = 'ISO-8601')";
const QUIET_TABLE: &str = "CREATE TABLE other_sensors (sensor_id INTEGER, current_temperature DOUBLE, status VARCHAR(6),
    event_time TIMESTAMP(3), WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND)
  WITH ('connector' = 'kinesis', 'stream' = 'quiet-stream', 'format' = 'json',
        'json.timestamp-format.standard' = 'ISO-8601')";
const TUMBLE: &str = "SELECT window_start, window_end, COUNT(*) AS n
  FROM TABLE(TUMBLE(TABLE sensor_data, DESCRIPTOR(event_time), INTERVAL '1' MINUTE)) GROUP BY window_start, window_end";
const UNION: &str = "WITH both_tables AS (SELECT * FROM sensor_data UNION ALL SELECT * FROM other_sensors)
  SELECT window_start, window_end, COUNT(*) AS n
  FROM TABLE(TUMBLE(TABLE both_tables, DESCRIPTOR(event_time), INTERVAL '10' SECOND)) GROUP BY window_start, window_end";

/// 2021-05-19T11:20:00, the walkthrough's morning.
const START_MS: i64 = 1_621_423_200_000;

fn run(session: &mut Session, sql: &str) -> JobId {
    match session.execute(sql, START_MS).unwrap().pop() {
        Some(Outcome::Query { job, .. }) => job,
        other => panic!("expected a running query, got {other:?}"),
    }
}

/// Advances the clock second by second from `from` to `to` (seconds after the start).
fn seconds(session: &mut Session, from: i64, to: i64) {
    for s in from..=to {
        session.advance(START_MS + s * 1_000);
    }
}

#[test]
fn a_pending_window_says_when_it_fires_at_the_measured_rate() {
    let mut session = Session::new();
    session.execute(TABLE, START_MS).unwrap();
    let job = run(&mut session, TUMBLE);
    seconds(&mut session, 0, 20);
    let d = session.diagnose(job).unwrap();
    // 20 s of readings: the watermark is 5 s behind the last one and moves 1 s per second.
    assert_eq!(d.watermark, Some(START_MS + 20_000 - 5_000));
    assert_eq!(d.inputs[0].delay_ms, Some(5_000));
    let rate = d.event_time_rate.unwrap();
    assert!((rate - 1.0).abs() < 0.01, "rate {rate}");
    assert_eq!(d.pending_total, 1);
    let window = &d.pending[0];
    assert_eq!((window.start, window.end), (START_MS, START_MS + 60_000));
    assert_eq!(window.event_ms_to_go, Some(60_000 - 1 - 15_000));
    assert_eq!(window.eta_ms, Some(44_999));
    // Nothing is wrong: the window waits for event time, and a smaller delay would fire it sooner.
    assert_eq!(d.inputs[0].cause, None);
    assert!(d.remedies.contains(&Remedy::SmallerDelay { input: "sensor_data".into(), delay_ms: 5_000 }));
    // The same text from EXPLAIN JOB and from the view.
    let Some(Outcome::Diagnosis(explained)) = session.execute(&format!("EXPLAIN JOB '{job}'"), START_MS + 20_000).unwrap().pop() else {
        panic!("EXPLAIN JOB gives a diagnosis")
    };
    let text = sluice::views::diagnosis::render(&explained);
    assert_eq!(text, sluice::views::diagnosis::render(&d));
    assert!(text.contains("1 window waits for the watermark"), "{text}");
    assert!(text.contains("fires when the watermark passes 2021-05-19 11:20:59.999: 45 s of event time to go, about 45 s"), "{text}");
}

#[test]
fn a_stopped_generator_holds_the_window_and_says_how_to_start_it() {
    let mut session = Session::new();
    session.execute(TABLE, START_MS).unwrap();
    let job = run(&mut session, TUMBLE);
    seconds(&mut session, 0, 10);
    session.set_generator("my-input-stream", false, 20.0);
    seconds(&mut session, 11, 30);
    let d = session.diagnose(job).unwrap();
    assert_eq!(d.held_back_by, Some(0));
    assert_eq!(d.inputs[0].cause, Some(Cause::GeneratorStopped));
    assert_eq!(d.remedies[0], Remedy::StartGenerator { stream: "my-input-stream".into() });
    // The watermark has stopped, so the window's wait is not counted down.
    assert_eq!(d.pending[0].eta_ms, None);
}

#[test]
fn an_input_without_records_holds_a_union_back_until_an_idle_timeout_is_set() {
    let mut session = Session::new();
    session.execute(TABLE, START_MS).unwrap();
    session.execute(QUIET_TABLE, START_MS).unwrap();
    let job = run(&mut session, UNION);
    seconds(&mut session, 0, 30);
    let d = session.diagnose(job).unwrap();
    assert_eq!(d.watermark, None, "the quiet input has no watermark, so neither has the union");
    assert_eq!(d.held_back_by, Some(1));
    assert_eq!(d.inputs[1].name, "other_sensors");
    assert_eq!(d.inputs[1].cause, Some(Cause::NoRecordsYet));
    assert!(d.pending_total >= 2, "windows of 10 s wait: {}", d.pending_total);
    assert!(d.remedies.contains(&Remedy::IdleTimeout { input: "other_sensors".into(), timeout_ms: 5_000 }));
    let text = sluice::views::diagnosis::render(&d);
    assert!(text.contains("holds the watermark back: it has had no record yet"), "{text}");
    assert!(text.contains("SET 'table.exec.source.idle-timeout' = '5 s'"), "{text}");

    // Following the advice: the quiet input turns idle and the windows fire.
    session.execute("SET 'table.exec.source.idle-timeout' = '5 s'", START_MS + 30_000).unwrap();
    let job = run(&mut session, UNION);
    seconds(&mut session, 31, 60);
    let d = session.diagnose(job).unwrap();
    assert!(d.inputs[1].idle);
    assert!(d.watermark.is_some());
    assert!(!session.take_changes(job).is_empty(), "windows fired");
    assert!(!d.remedies.iter().any(|r| matches!(r, Remedy::IdleTimeout { .. })));
}

#[test]
fn a_query_without_a_watermark_says_nothing_waits_for_event_time() {
    let mut session = Session::new();
    session.execute(&TABLE.replace(", WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND", ""), START_MS).unwrap();
    let job = run(&mut session, "SELECT status, COUNT(*) FROM sensor_data GROUP BY status");
    seconds(&mut session, 0, 3);
    let text = sluice::views::diagnosis::render(&session.diagnose(job).unwrap());
    assert!(text.contains("no input declares a WATERMARK"), "{text}");
    let err = session.execute("EXPLAIN JOB '99'", START_MS).unwrap_err();
    assert!(err.to_string().contains("there is no job '99'"), "{err}");
}

/// A Kafka table keeps a watermark per partition: when the idle-shard scenario silences
/// partition 0 of a generator-fed topic, the diagnosis names that partition (not "more data",
/// which would not help) and proposes an idle timeout; with one set, the partition turns idle.
#[test]
fn a_quiet_partition_of_a_topic_is_named_as_what_holds_the_watermark() {
    let topic_table = "CREATE TABLE topic_readings (sensor_id INTEGER, current_temperature DOUBLE, status VARCHAR(6),
        event_time TIMESTAMP(3), WATERMARK FOR event_time AS event_time - INTERVAL '2' SECOND)
      WITH ('connector' = 'kafka', 'topic' = 'readings', 'properties.bootstrap.servers' = 'h:1', 'format' = 'json',
            'json.timestamp-format.standard' = 'ISO-8601')";
    let query = "SELECT window_start, window_end, COUNT(*) AS n
      FROM TABLE(TUMBLE(TABLE topic_readings, DESCRIPTOR(event_time), INTERVAL '5' SECOND)) GROUP BY window_start, window_end";
    let mut session = Session::empty();
    session.set_now(START_MS);
    session.execute(topic_table, START_MS).unwrap();
    session.attach_topic_generator("readings", 5, 10.0);
    let job = run(&mut session, query);
    seconds(&mut session, 0, 20);
    let before = session.diagnose(job).unwrap();
    assert_eq!(before.inputs[0].partitions.len(), 4);
    assert_eq!(before.inputs[0].cause, None, "{before:?}");
    assert!(session.break_stream("readings", Some(sluice::connectors::Scenario::IdleShard)));
    seconds(&mut session, 21, 40);
    let d = session.diagnose(job).unwrap();
    let input = &d.inputs[0];
    assert!(matches!(input.cause, Some(Cause::PartitionBehind { partition: 0, behind_ms: Some(ms) }) if ms >= 15_000), "{:?}", input.cause);
    assert_eq!(d.held_back_by, Some(0));
    assert!(d.remedies.iter().any(|r| matches!(r, Remedy::IdleTimeout { input, .. } if input == "topic_readings")), "{:?}", d.remedies);
    let text = sluice::views::diagnosis::render(&d);
    assert!(text.contains("holds the watermark back: its partition 0 is "), "{text}");
    assert!(text.contains("partition 0: watermark 2021-05-19 11:20:"), "{text}");
    // The timeline draws the same partitions: each record's partition, each partition's watermark.
    let sample = session.timeline_sample(job, 1_000).unwrap();
    assert_eq!(sample.partitions.len(), sample.records.len());
    assert!(!sample.records.is_empty() && (0..4).all(|p| sample.partitions.contains(&p)), "{:?}", sample.partitions);
    let expected: Vec<(Option<i64>, bool)> = input.partitions.iter().map(|p| (p.watermark, p.idle)).collect();
    assert_eq!(sample.partition_watermarks, expected);
    let quiet_since = sample.records.iter().zip(&sample.partitions).filter(|(_, &p)| p == 0).map(|(r, _)| r.0).max().unwrap();
    assert!(quiet_since <= START_MS + 21_000, "partition 0 got records until {quiet_since}");

    // With an idle timeout the quiet partition turns idle and holds nothing back.
    let mut session2 = Session::empty();
    session2.set_now(START_MS);
    session2.execute("SET 'table.exec.source.idle-timeout' = '5 s'", START_MS).unwrap();
    session2.execute(topic_table, START_MS).unwrap();
    session2.attach_topic_generator("readings", 5, 10.0);
    let job2 = run(&mut session2, query);
    seconds(&mut session2, 0, 20);
    assert!(session2.break_stream("readings", Some(sluice::connectors::Scenario::IdleShard)));
    seconds(&mut session2, 21, 40);
    let d2 = session2.diagnose(job2).unwrap();
    assert!(d2.inputs[0].partitions[0].idle && d2.inputs[0].cause.is_none(), "{:?}", d2.inputs[0]);
    assert!(d2.watermark.unwrap() > d.watermark.unwrap() + 10_000);
}
