//! Top-N and deduplication as a person meets them in the session: the errors for what Flink
//! rejects, and SHOW JOBS / STOP JOB in the SQL client's form.

use sluice::session::{Outcome, Session};
use sluice::types::Value;

const TABLE: &str = "CREATE TABLE sensor_data (sensor_id INTEGER, current_temperature DOUBLE, status VARCHAR(6),
    event_time TIMESTAMP(3), WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND)
  WITH ('connector' = 'kinesis', 'stream' = 'my-input-stream', 'format' = 'json',
        'json.timestamp-format.standard' = 'ISO-8601')";

fn session() -> Session {
    let mut session = Session::new();
    session.execute(TABLE, 1_000).unwrap();
    session
}

fn error(session: &mut Session, sql: &str) -> (String, Option<String>, u32) {
    let e = session.execute(sql, 1_000).expect_err(sql);
    (e.message.clone(), e.hint.clone(), e.location.map_or(0, |l| l.column))
}

/// Without a Top-N filter a ranking is an OVER aggregate, which Flink 2.3 orders ascending only
/// (PyFlink 2.3's message; tests/clauses.rs runs the ones it takes).
#[test]
fn row_number_without_a_rank_filter_is_an_error_pointing_at_it() {
    let mut s = session();
    let sql = "SELECT *, ROW_NUMBER() OVER (PARTITION BY status ORDER BY current_temperature DESC) AS rn FROM sensor_data";
    let (message, hint, column) = error(&mut s, sql);
    assert_eq!(message, "The window can only be ordered in ASCENDING mode.");
    assert!(hint.unwrap().contains("WHERE rownum <= 3"));
    assert_eq!(column as usize, sql.find("ROW_NUMBER").unwrap() + 1);
}

#[test]
fn rank_and_dense_rank_are_refused_as_flink_refuses_them() {
    let mut s = session();
    for f in ["RANK", "DENSE_RANK"] {
        let sql = format!("SELECT * FROM (SELECT *, {f}() OVER (PARTITION BY status ORDER BY current_temperature DESC) AS r FROM sensor_data) WHERE r <= 3");
        let (message, hint, _) = error(&mut s, &sql);
        assert_eq!(message, format!("{f}() on streaming table is not supported currently"));
        assert!(hint.unwrap().contains("ROW_NUMBER"));
    }
}

#[test]
fn a_top_n_needs_an_upper_bound() {
    let mut s = session();
    let (message, _, _) = error(
        &mut s,
        "SELECT * FROM (SELECT *, ROW_NUMBER() OVER (ORDER BY current_temperature DESC) AS rn FROM sensor_data) WHERE rn > 3",
    );
    assert!(message.contains("upper bound"), "{message}");
}

#[test]
fn explain_names_the_operator_flink_would_run() {
    let mut s = session();
    let explain = |s: &mut Session, sql: &str| match s.execute(&format!("EXPLAIN {sql}"), 1_000).unwrap().pop() {
        Some(Outcome::Text(t)) => t,
        other => panic!("{other:?}"),
    };
    let dedup = explain(&mut s, "SELECT sensor_id FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY sensor_id ORDER BY event_time) AS rn FROM sensor_data) WHERE rn = 1");
    assert!(dedup.contains("Deduplicate(keep=[FirstRow], key=[sensor_id], order=[ROWTIME])"), "{dedup}");
    let top = explain(&mut s, "SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY status ORDER BY current_temperature DESC) AS rn FROM sensor_data) WHERE rn <= 3");
    assert!(top.contains("rankRange=[rankStart=1, rankEnd=3], partitionBy=[status], orderBy=[current_temperature DESC]"), "{top}");
}

#[test]
fn show_jobs_lists_jobs_and_stop_job_cancels_one() {
    let mut s = session();
    let job = match s.execute("SELECT * FROM sensor_data", 1_000).unwrap().pop() {
        Some(Outcome::Query { job, .. }) => job,
        other => panic!("{other:?}"),
    };
    let id = format!("{job:032x}");
    let rows = match s.execute("SHOW JOBS", 1_000).unwrap().pop() {
        Some(Outcome::Table { columns, rows }) => {
            let names: Vec<&str> = columns.iter().map(|c| c.name.as_str()).collect();
            assert_eq!(names, ["job id", "job name", "status", "start time"]);
            rows
        }
        other => panic!("{other:?}"),
    };
    assert_eq!(rows[0][0], Value::Str(id.clone().into()));
    assert_eq!(rows[0][2], Value::Str("RUNNING".into()));

    assert!(matches!(s.execute(&format!("STOP JOB '{id}'"), 1_000).unwrap().pop(), Some(Outcome::Done { .. })));
    assert!(!s.job(job).unwrap().running);
    match s.execute("SHOW JOBS", 1_000).unwrap().pop() {
        Some(Outcome::Table { rows, .. }) => assert_eq!(rows[0][2], Value::Str("CANCELED".into())),
        other => panic!("{other:?}"),
    }
    let (message, hint, _) = error(&mut s, &format!("STOP JOB '{id}'"));
    assert!(message.contains("is not running"), "{message}");
    assert!(hint.is_some());
    let (message, _, column) = error(&mut s, "STOP JOB 'abc'");
    assert_eq!(message, "there is no job 'abc'");
    assert_eq!(column, 10);
    let (message, hint, _) = error(&mut s, &format!("STOP JOB '{id}' WITH SAVEPOINT WITH DRAIN"));
    assert!(message.contains("a drained job cannot be resumed"), "{message}");
    assert!(hint.is_some_and(|h| h.contains("WITH SAVEPOINT")));
}

/// `STOP JOB … WITH DRAIN` is Flink's stop-with-drain: the watermark goes to +∞ before the job
/// stops, so a window still waiting for the watermark fires into the result; a plain STOP
/// leaves it unfired.
#[test]
fn stop_with_drain_fires_the_pending_windows_then_stops() {
    let run = |stop: &str| {
        let mut s = Session::empty();
        s.execute(
            "CREATE TABLE r (k STRING, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND)
             WITH ('connector' = 'kinesis', 'stream' = 's', 'format' = 'json', 'json.timestamp-format.standard' = 'ISO-8601')",
            0,
        )
        .unwrap();
        let job = match s
            .execute(
                "SELECT window_start, k, COUNT(*) AS n FROM TABLE(TUMBLE(TABLE r, DESCRIPTOR(ts), INTERVAL '10' SECOND))
                 GROUP BY window_start, window_end, k",
                0,
            )
            .unwrap()
            .pop()
        {
            Some(Outcome::Query { job, .. }) => job,
            other => panic!("{other:?}"),
        };
        for (k, second) in [("a", 1), ("b", 2), ("a", 12), ("a", 14)] {
            let record = format!("{{\"k\": \"{k}\", \"ts\": \"2021-05-19T11:20:{second:02}\"}}");
            s.put_record("s", k, record.into_bytes()).unwrap();
        }
        s.advance(1_000);
        // The watermark is 11:20:09: no window has ended.
        assert!(s.take_changes(job).is_empty());
        let done = s.execute(&format!("STOP JOB '{job:032x}'{stop}"), 1_000).unwrap().pop();
        assert!(matches!(done, Some(Outcome::Done { .. })), "{done:?}");
        assert!(!s.job(job).unwrap().running);
        s.advance(2_000);
        let mut rows: Vec<String> =
            s.take_changes(job).iter().map(|c| c.row.iter().map(ToString::to_string).collect::<Vec<_>>().join(",")).collect();
        rows.sort();
        rows
    };
    assert_eq!(run(" WITH DRAIN"), ["2021-05-19T11:20:00.000,a,1", "2021-05-19T11:20:00.000,b,1", "2021-05-19T11:20:10.000,a,2"]);
    assert!(run("").is_empty());
}
