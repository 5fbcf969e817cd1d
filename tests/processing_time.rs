//! Queries ordered by processing time, run on the session's virtual clock.
//!
//! Flink's results for these depend on when each record arrives, so they are checked here
//! against the rules of Flink's operators (`ProcTimeDeduplicate…Function`,
//! `ProcTime…PrecedingFunction`, `ProcTimeSortOperator`) with the clock set by hand: every
//! record is put at a known time, and the changes are read after the clock moves.
#![cfg(not(target_arch = "wasm32"))]

use sluice::session::{JobId, Outcome, Session};

/// A session with a table `t (k STRING, v INT, pt AS PROCTIME())` read from the local stream `s`.
fn session() -> Session {
    let mut session = Session::empty();
    session
        .execute("CREATE TABLE t (k STRING, v INT, pt AS PROCTIME()) WITH ('connector' = 'kinesis', 'stream' = 's', 'format' = 'json')", 0)
        .unwrap();
    session
}

fn start(session: &mut Session, query: &str) -> JobId {
    match session.execute(query, 0).unwrap().pop() {
        Some(Outcome::Query { job, .. }) => job,
        other => panic!("a streaming query starts a job, got {other:?}"),
    }
}

/// Puts records `(k, v)` at `at` ms, moves the clock there and returns the changes, each as
/// `+Ik,v,…` (the processing time as ms since the epoch).
fn put(session: &mut Session, job: JobId, at: i64, records: &[(&str, i64)]) -> Vec<String> {
    session.set_now(at);
    for (k, v) in records {
        session.put_record("s", k, format!("{{\"k\": \"{k}\", \"v\": {v}}}").into_bytes()).unwrap();
    }
    session.advance(at);
    changes(session, job)
}

fn changes(session: &mut Session, job: JobId) -> Vec<String> {
    session
        .take_changes(job)
        .into_iter()
        .map(|c| format!("{}{}", c.kind.short(), c.row.iter().map(ToString::to_string).collect::<Vec<_>>().join(",")))
        .collect()
}

#[test]
fn deduplication_on_processing_time_keeps_each_keys_first_arrival_at_once() {
    let mut session = session();
    let job = start(&mut session, "SELECT k, v FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY k ORDER BY pt) AS rn FROM t) WHERE rn = 1");
    assert_eq!(put(&mut session, job, 1_000, &[("a", 1), ("b", 2), ("a", 3)]), ["+Ia,1", "+Ib,2"]);
    assert_eq!(put(&mut session, job, 2_000, &[("a", 4), ("c", 5)]), ["+Ic,5"]);
    let plan =
        explain(&mut session, "SELECT k, v FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY k ORDER BY pt) AS rn FROM t) WHERE rn = 1");
    assert!(plan.contains("Deduplicate(keep=[FirstRow], key=[k], order=[PROCTIME])"), "{plan}");
}

#[test]
fn deduplication_on_processing_time_keeps_each_keys_last_arrival() {
    let mut session = session();
    let job =
        start(&mut session, "SELECT k, v FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY k ORDER BY pt DESC) AS rn FROM t) WHERE rn = 1");
    assert_eq!(put(&mut session, job, 1_000, &[("a", 1), ("b", 2), ("a", 3)]), ["+Ia,1", "+Ib,2", "-Ua,1", "+Ua,3"]);
    // The same row again (only its processing time differs) changes nothing, as in Flink.
    assert_eq!(put(&mut session, job, 2_000, &[("a", 3), ("b", 6)]), ["-Ub,2", "+Ub,6"]);
}

fn explain(session: &mut Session, query: &str) -> String {
    match session.execute(&format!("EXPLAIN {query}"), 0).unwrap().pop() {
        Some(Outcome::Text(plan)) => plan,
        other => panic!("EXPLAIN gives a plan, got {other:?}"),
    }
}

/// Moves the clock to `at` without records and returns the changes.
fn tick(session: &mut Session, job: JobId, at: i64) -> Vec<String> {
    put(session, job, at, &[])
}

#[test]
fn a_rows_over_window_on_processing_time_emits_each_row_at_once() {
    let mut session = session();
    let job =
        start(&mut session, "SELECT k, v, SUM(v) OVER (PARTITION BY k ORDER BY pt ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS s FROM t");
    assert_eq!(put(&mut session, job, 1_000, &[("a", 1), ("a", 2), ("b", 5), ("a", 3)]), ["+Ia,1,1", "+Ia,2,3", "+Ib,5,5", "+Ia,3,5"]);
    assert_eq!(put(&mut session, job, 2_000, &[("a", 10)]), ["+Ia,10,13"]);
}

#[test]
fn an_unbounded_over_window_on_processing_time_has_no_peers() {
    let mut session = session();
    // The default frame is RANGE UNBOUNDED PRECEDING: on event time, rows of one time are peers
    // and share a result; Flink's ProcTimeUnboundedPrecedingFunction emits each row as it comes.
    let job = start(&mut session, "SELECT k, v, COUNT(*) OVER (PARTITION BY k ORDER BY pt) AS n FROM t");
    assert_eq!(put(&mut session, job, 1_000, &[("a", 1), ("a", 2), ("b", 3)]), ["+Ia,1,1", "+Ia,2,2", "+Ib,3,1"]);
    assert_eq!(put(&mut session, job, 5_000, &[("a", 4)]), ["+Ia,4,3"]);
}

#[test]
fn a_range_over_window_on_processing_time_emits_a_milliseconds_rows_once_the_clock_passes_it() {
    let mut session = session();
    let job = start(
        &mut session,
        "SELECT k, v, SUM(v) OVER (PARTITION BY k ORDER BY pt RANGE BETWEEN INTERVAL '2' SECOND PRECEDING AND CURRENT ROW) AS s FROM t",
    );
    // Held until the clock is past 1 000 ms, then emitted together (they are peers).
    assert!(put(&mut session, job, 1_000, &[("a", 1), ("a", 2)]).is_empty());
    assert_eq!(tick(&mut session, job, 1_500), ["+Ia,1,3", "+Ia,2,3"]);
    assert!(put(&mut session, job, 2_500, &[("a", 4)]).is_empty());
    // 1 000 ms is within 2 s of 2 500 ms: still in the frame.
    assert_eq!(tick(&mut session, job, 3_000), ["+Ia,4,7"]);
    assert!(put(&mut session, job, 4_000, &[("a", 8)]).is_empty());
    // 1 000 ms is more than 2 s before 4 000 ms: retracted.
    assert_eq!(tick(&mut session, job, 4_100), ["+Ia,8,12"]);
}

#[test]
fn order_by_processing_time_emits_each_milliseconds_rows_sorted_once_the_clock_passes_it() {
    let mut session = session();
    let query = "SELECT k, v, pt FROM t ORDER BY pt, v";
    let job = start(&mut session, query);
    assert!(put(&mut session, job, 1_000, &[("a", 3), ("b", 1), ("c", 2)]).is_empty());
    // The rows of 1 000 ms, without their time; d, at 1 001 ms, waits.
    let rows: Vec<String> =
        put(&mut session, job, 1_001, &[("d", 0)]).iter().filter_map(|r| Some(r.rsplit_once(',')?.0.to_string())).collect();
    assert_eq!(rows, ["+Ib,1", "+Ic,2", "+Ia,3"]);
    assert_eq!(tick(&mut session, job, 1_002).len(), 1);
    assert!(explain(&mut session, query).contains("TemporalSort(orderBy=[pt ASC, v ASC])"));
}
