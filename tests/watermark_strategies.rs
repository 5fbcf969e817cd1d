//! Two watermark strategies side by side (issue 18, item 3): one query replayed over the same
//! recorded records under two WATERMARK delays. The replay under the table's own delay drops
//! exactly what the live job dropped; a longer delay drops nothing and answers later.
#![cfg(not(target_arch = "wasm32"))]

use sluice::connectors::Disorder;
use sluice::session::{Outcome, Session};
use sluice::views::strategies;

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

    let c = strategies::compare(&session, QUERY, &[5_000, 25_000]).unwrap();
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
    let e = strategies::compare(&session, "SELECT x FROM t", &[0, 1000]).unwrap_err();
    assert!(e.contains("no WATERMARK"), "{e}");
}
