//! The late-event ledger and its what-if: the records a job dropped, the windows they missed
//! and by how much, and a replay of the same recorded input under another WATERMARK delay.
//! Virtual clock and seeded generator: every run sees the same records.
#![cfg(not(target_arch = "wasm32"))]

use sluice::connectors::Scenario;
use sluice::session::diagnosis::Cause;
use sluice::session::{JobId, Outcome, Session};

const TABLE: &str = "CREATE TABLE sensor_data (sensor_id INTEGER, current_temperature DOUBLE, status VARCHAR(6),
    event_time TIMESTAMP(3), WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND)
  WITH ('connector' = 'kinesis', 'stream' = 'my-input-stream', 'format' = 'json',
        'json.timestamp-format.standard' = 'ISO-8601')";
const TUMBLE: &str = "SELECT window_start, window_end, COUNT(*) AS n, MAX(sensor_id) AS top
  FROM TABLE(TUMBLE(TABLE sensor_data, DESCRIPTOR(event_time), INTERVAL '10' SECOND)) GROUP BY window_start, window_end";

const START_MS: i64 = 1_621_423_200_000;

fn started(scenario: Scenario) -> (Session, JobId) {
    let mut session = Session::new();
    session.execute(TABLE, START_MS).unwrap();
    let Some(Outcome::Query { job, .. }) = session.execute(TUMBLE, START_MS).unwrap().pop() else { panic!("a query") };
    for s in 0..=20 {
        session.advance(START_MS + s * 1_000);
    }
    session.break_stream("my-input-stream", Some(scenario));
    for s in 21..=60 {
        session.advance(START_MS + s * 1_000);
    }
    (session, job)
}

#[test]
fn a_late_burst_fills_the_ledger_with_the_windows_each_record_missed() {
    let (session, job) = started(Scenario::LateBurst);
    let ledger = session.late_ledger(job).unwrap();
    // The readings due in the 5 s after 11:20:20 (99 at 20 a second), stamped 15 s back: behind
    // the watermark (event time − 5 s), in windows that have fired.
    assert_eq!(ledger.delay_ms, Some(5_000));
    assert_eq!(ledger.dropped, 99, "every reading of the burst is late");
    assert_eq!(ledger.entries.len(), 99);
    for e in &ledger.entries {
        assert_eq!(e.missed.len(), 1, "a tumbling window each");
        let (start, end) = e.missed[0];
        assert!(start <= e.event_time && e.event_time < end);
        assert_eq!(e.late_by_ms, e.watermark - (end - 1) + 1);
        assert!(e.late_by_ms > 0);
    }
    let text = sluice::views::late_ledger::render(&ledger, 3);
    assert!(text.starts_with(&format!("Job {job}: 99 records dropped as late under a watermark delay of 5 s.")), "{text}");
    assert!(text.contains("… and 96 more"), "{text}");
}

#[test]
fn a_larger_delay_keeps_the_late_records_and_the_replay_says_how_much_later_results_come() {
    let (session, job) = started(Scenario::LateBurst);
    let ledger = session.late_ledger(job).unwrap();
    let needed = ledger.entries.iter().map(|e| e.late_by_ms).max().unwrap();
    // Under the job's own delay the replay drops what the job dropped.
    let same = session.what_if_delay(job, 5_000).unwrap();
    assert_eq!((same.late_now, same.late_then, same.would_count), (ledger.dropped, ledger.dropped, 0));
    assert_eq!(same.rows_now, session.job(job).unwrap().records_out);
    // The delay the ledger names keeps every one of them; results come that much later.
    let kept = session.what_if_delay(job, 5_000 + needed).unwrap();
    assert_eq!(kept.late_then, 0);
    assert_eq!(kept.would_count, ledger.dropped);
    assert!(kept.rows_changed > 0, "the windows the late records fall in count more");
    assert_eq!(kept.latency_change_event_ms, needed);
    assert!(kept.latency_change_clock_ms.unwrap() > 0);
    // One ms less, and the latest of them is still late.
    let short = session.what_if_delay(job, 5_000 + needed - 1).unwrap();
    assert!(short.late_then > 0);
    let text = sluice::views::late_ledger::render_what_if(&kept);
    assert!(text.contains(&format!("late records: {} → 0", ledger.dropped)), "{text}");
    assert!(text.contains("later in event time"), "{text}");
}

#[test]
fn a_sensor_whose_clock_runs_behind_is_dropped_record_after_record() {
    let (session, job) = started(Scenario::ClockBehind);
    let ledger = session.late_ledger(job).unwrap();
    assert!(ledger.dropped > 0);
    assert!(ledger.entries.iter().all(|e| e.row.contains(&"42".to_string())), "only sensor 42 is late: {:?}", ledger.entries[0]);
}

#[test]
fn duplicated_records_are_read_twice() {
    let (session, job) = started(Scenario::Duplicates);
    let (plain, plain_job) = started(Scenario::LateBurst);
    let extra = session.job(job).unwrap().records_in - plain.job(plain_job).unwrap().records_in;
    // One reading in four from 11:20:20 on: 800 readings in those 40 s.
    assert_eq!(extra, 200);
}

#[test]
fn a_paused_producer_leaves_the_window_waiting_and_the_diagnosis_says_until_when() {
    let mut session = Session::new();
    session.execute(TABLE, START_MS).unwrap();
    let Some(Outcome::Query { job, .. }) = session.execute(TUMBLE, START_MS).unwrap().pop() else { panic!("a query") };
    for s in 0..=20 {
        session.advance(START_MS + s * 1_000);
    }
    session.execute("SET 'sluice.generator.scenario' = 'paused-producer'", START_MS + 20_000).unwrap();
    for s in 21..=35 {
        session.advance(START_MS + s * 1_000);
    }
    let d = session.diagnose(job).unwrap();
    assert_eq!(d.held_back_by, Some(0));
    assert_eq!(d.inputs[0].cause, Some(Cause::ProducerPaused { until_ms: START_MS + 40_000 }));
    assert_eq!(d.watermark, Some(START_MS + 15_000), "the watermark stopped with the last reading");
    assert_eq!(d.pending.first().map(|w| w.end), Some(START_MS + 20_000));
    let text = sluice::views::diagnosis::render(&d);
    assert!(text.contains("its producer is paused for another 5 s"), "{text}");
    assert!(text.contains("break-it scenario since 2021-05-19 11:20:20.000: the producer sends nothing for 20 s"), "{text}");
}

#[test]
fn queries_read_the_ledger_with_late_records() {
    let (mut session, job) = started(Scenario::LateBurst);
    let dropped = session.late_ledger(job).unwrap().dropped as i64;
    let count = format!("SELECT window_start, COUNT(*) AS late, MAX(late_by_ms) AS worst FROM late_records('{job}') GROUP BY window_start");
    session.execute("SET 'execution.runtime-mode' = 'batch'", START_MS + 60_000).unwrap();
    let Some(Outcome::Table { columns, rows }) = session.execute(&count, START_MS + 60_000).unwrap().pop() else {
        panic!("a batch query gives a table")
    };
    assert_eq!(columns.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["window_start", "late", "worst"]);
    let total: i64 = rows.iter().map(|r| r[1].to_string().parse::<i64>().unwrap()).sum();
    assert_eq!(total, dropped);
    let ledger = session.late_ledger(job).unwrap();
    let worst = ledger.entries.iter().map(|e| e.late_by_ms).max().unwrap();
    assert!(rows.iter().any(|r| r[2].to_string() == worst.to_string()));
    // A job without late records gives no rows; an unknown one is an error naming the jobs.
    session.execute("RESET 'execution.runtime-mode'", START_MS).unwrap();
    let Some(Outcome::Query { job: plain, .. }) = session.execute("SELECT * FROM sensor_data", START_MS).unwrap().pop() else {
        panic!("a query")
    };
    session.execute("SET 'execution.runtime-mode' = 'batch'", START_MS).unwrap();
    let Some(Outcome::Table { rows, .. }) = session.execute(&format!("SELECT * FROM late_records('{plain}')"), START_MS).unwrap().pop()
    else {
        panic!("a table")
    };
    assert!(rows.is_empty(), "{rows:?}");
    let err = session.execute("SELECT * FROM late_records('77')", START_MS).unwrap_err().to_string();
    assert!(err.contains("late_records('77'): there is no job '77'"), "{err}");
}

/// `sluice bench` measures the what-if's recording by turning it off: the ledger still lists
/// the late records (the operators keep them), only the replay is gone, and it says why.
#[test]
fn without_the_recording_the_ledger_stays_and_the_what_if_says_why_it_cannot_replay() {
    let mut session = Session::new();
    session.set_what_if_recording(false);
    session.execute(TABLE, START_MS).unwrap();
    let Some(Outcome::Query { job, .. }) = session.execute(TUMBLE, START_MS).unwrap().pop() else { panic!("a query") };
    for s in 0..=20 {
        session.advance(START_MS + s * 1_000);
    }
    session.break_stream("my-input-stream", Some(Scenario::LateBurst));
    for s in 21..=40 {
        session.advance(START_MS + s * 1_000);
    }
    assert!(session.late_ledger(job).unwrap().dropped > 0);
    let e = session.what_if_delay(job, 30_000).unwrap_err();
    assert!(e.contains("did not record its input"), "{e}");
}
