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
