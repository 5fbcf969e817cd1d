//! Two watermark strategies side by side (issue 18, item 3): one query replayed over the same
//! recorded records under two WATERMARK delays. The replay under the table's own delay drops
//! exactly what the live job dropped; a longer delay drops nothing and answers later.
#![cfg(not(target_arch = "wasm32"))]

use sluice::connectors::Disorder;
use sluice::session::{Outcome, Session};
use sluice::types::Value;
use sluice::views::strategies::{self, Strategy};

const TABLE: &str = "CREATE TABLE readings (
    sensor_id INTEGER, current_temperature DOUBLE, status VARCHAR(6), event_time TIMESTAMP(3),
    WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND
) WITH ('connector' = 'kinesis', 'stream' = 'my-input-stream', 'format' = 'json', 'json.timestamp-format.standard' = 'ISO-8601')";

const QUERY: &str = "%flink.ssql(type=append)
SELECT window_start, window_end, COUNT(*) AS readings
  FROM TABLE(TUMBLE(TABLE readings, DESCRIPTOR(event_time), INTERVAL '5' SECOND))
 GROUP BY window_start, window_end;";

#[test]
fn a_longer_delay_keeps_every_late_record_and_answers_later() {
    let mut session = Session::empty();
    let start = 1_621_423_200_000;
    session.set_now(start);
    session.execute(TABLE, start).unwrap();
    session.attach_generator("my-input-stream", 3, 10.0);
    // 10 % of readings 10–20 s late, 30 % up to 3 s out of order.
    session.set_generator_disorder(
        "my-input-stream",
        Disorder { out_of_order_share: 0.3, max_delay_ms: 3_000, late_share: 0.1, late_bound_ms: 10_000 },
    );
    let Some(Outcome::Query { job, .. }) = session.execute(QUERY, start).unwrap().pop() else { panic!("not a query") };
    for t in (start..=start + 120_000).step_by(100) {
        session.advance(t);
    }
    let live = session.job(job).unwrap();
    assert!(live.late_records_dropped > 0, "{live:?}");

    let c = strategies::compare(&session, QUERY, &[Strategy::Delay(5_000), Strategy::Delay(25_000)]).unwrap();
    assert_eq!(c.table, "readings");
    assert_eq!((c.runs[0].error.as_deref(), c.runs[1].error.as_deref()), (None, None));
    assert_eq!(c.columns, ["window_start", "window_end", "readings"]);
    let (own, patient) = (&c.runs[0], &c.runs[1]);
    assert_eq!((own.error.as_deref(), patient.error.as_deref()), (None, None));
    // The replay under the table's own delay is the live job again.
    assert_eq!((own.records_in, own.late), (live.records_in, live.late_records_dropped));
    assert!(own.completeness() < 1.0);
    // 25 s waits past the latest straggler (at most 20 s behind): nothing is late …
    assert_eq!(patient.late, 0);
    assert_eq!(patient.completeness(), 1.0);
    // … and each window's row comes about 20 s later.
    let (fast, slow) = (own.median_latency_ms().unwrap(), patient.median_latency_ms().unwrap());
    assert!(slow - fast >= 15_000 && slow - fast <= 25_000, "median latency {fast} ms vs {slow} ms");
    // The chart draws both: full completeness for the patient run, and its longer latency.
    let svg = strategies::chart_svg(&c);
    assert!(svg.contains("data-completeness=\"1.000\"") && svg.contains(&format!("data-latency-ms=\"{slow}\"")), "{svg}");
    assert!(strategies::summary(patient).starts_with("delay 25 s: ") && strategies::summary(patient).contains(" 0 late (100.0 % counted)"));
    // The patient run counts at least as many readings in every window both have fired (its
    // newest windows have not fired yet: it waits 20 s longer).
    let mut both = 0;
    for row in &patient.rows {
        if let Some(twin) = own.rows.iter().find(|r| r[0] == row[0]) {
            both += 1;
            assert!(row[2].to_string().parse::<i64>().unwrap() >= twin[2].to_string().parse::<i64>().unwrap());
        }
    }
    assert!(both >= 15 && patient.rows.len() < own.rows.len(), "{both} windows in both; {} vs {}", patient.rows.len(), own.rows.len());
}

#[test]
fn a_query_over_no_stream_says_why_it_cannot_be_compared() {
    let mut session = Session::empty();
    session.execute("CREATE TABLE t (x INT) WITH ('connector' = 'datagen')", 0).unwrap();
    let e = strategies::compare(&session, "SELECT x FROM t", &[Strategy::Delay(0), Strategy::Delay(1000)]).unwrap_err();
    assert!(e.contains("no WATERMARK"), "{e}");
}

/// Two idle timeouts compared over a local topic whose partition 0 went quiet (the "idle
/// shard" scenario): without a timeout the quiet partition holds the watermark, so windows stop
/// firing; with 5 s it turns idle and the others' watermark fires them.
#[test]
fn an_idle_timeout_lets_windows_fire_past_an_idle_partition() {
    let mut session = Session::empty();
    let start = 1_621_423_200_000;
    session.set_now(start);
    session
        .execute(
            "CREATE TABLE readings (sensor_id INTEGER, current_temperature DOUBLE, status VARCHAR(6), event_time TIMESTAMP(3),
                 produced TIMESTAMP_LTZ(3) METADATA FROM 'timestamp' VIRTUAL,
                 WATERMARK FOR event_time AS event_time - INTERVAL '2' SECOND)
             WITH ('connector' = 'kafka', 'topic' = 'readings', 'properties.bootstrap.servers' = 'h:1',
                   'scan.startup.mode' = 'latest-offset', 'format' = 'json', 'json.timestamp-format.standard' = 'ISO-8601')",
            start,
        )
        .unwrap();
    session.attach_topic_generator("readings", 5, 10.0);
    let Some(Outcome::Query { job, .. }) = session.execute(QUERY, start).unwrap().pop() else { panic!("not a query") };
    let mut idle_from = 0;
    for t in (start..=start + 90_000).step_by(100) {
        if t == start + 30_000 {
            assert!(session.break_stream("readings", Some(sluice::connectors::Scenario::IdleShard)));
            idle_from = session.local_topics().get("readings").unwrap().end_offset(0).unwrap();
        }
        session.advance(t);
    }
    // Partition 0 got nothing after the scenario began; the others went on.
    let topic = session.local_topics().get("readings").unwrap();
    assert_eq!(topic.end_offset(0), Some(idle_from));
    assert!((1..4).all(|p| topic.end_offset(p).unwrap() > 50), "the other partitions go on");
    let live = session.job(job).unwrap();

    // The paragraph may declare its table first: the last statement is the query compared.
    let paragraph = format!("%flink.ssql\nSET 'sluice.x' = 'y';\n{}", QUERY.trim_start_matches("%flink.ssql(type=append)\n"));
    let c = strategies::compare(&session, &paragraph, &[Strategy::IdleTimeout(None), Strategy::IdleTimeout(Some(5_000))]).unwrap();
    assert_eq!((c.source.as_str(), c.records), ("topic", topic.record_count()));
    let (never, five) = (&c.runs[0], &c.runs[1]);
    assert_eq!((never.error.as_deref(), five.error.as_deref()), (None, None));
    // Without a timeout the replay is the live job again (the topic read from its start).
    assert_eq!((never.records_in, never.rows.len()), (live.records_in, session.take_changes(job).len()));
    // Windows stop about 30 s in without a timeout; with 5 s they go on to about 88 s.
    let last_end = |run: &strategies::StrategyRun| {
        run.rows.iter().filter_map(|r| if let Value::Timestamp(ms) = r[1] { Some(ms - start) } else { None }).max().unwrap_or(0)
    };
    assert!((25_000..=35_000).contains(&last_end(never)), "without a timeout the last window ends {} ms in", last_end(never));
    assert!(last_end(five) >= 80_000, "with 5 s the last window ends {} ms in", last_end(five));
    assert!(five.rows.len() >= never.rows.len() + 8, "{} rows vs {}", five.rows.len(), never.rows.len());
    assert!(strategies::summary(five).starts_with("idle timeout 5 s: "), "{}", strategies::summary(five));
    assert!(strategies::summary(never).starts_with("no idle timeout: "));
    assert!(strategies::chart_svg(&c).contains(">idle timeout 5 s</text>"));
}
