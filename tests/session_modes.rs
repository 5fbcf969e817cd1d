//! Batch mode and files given by content, through the session the page and runner share.
#![cfg(not(target_arch = "wasm32"))]

use sluice::session::{Outcome, Session};
use sluice::types::Value;

const TABLE: &str = "CREATE TABLE sensor_data (sensor_id INTEGER, current_temperature DOUBLE, status VARCHAR(6),
    event_time TIMESTAMP(3), WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND)
  WITH ('connector' = 'kinesis', 'stream' = 'my-input-stream', 'format' = 'json',
        'json.timestamp-format.standard' = 'ISO-8601')";

fn table_rows(outcomes: Vec<Outcome>) -> Vec<Vec<Value>> {
    match outcomes.into_iter().last() {
        Some(Outcome::Table { rows, .. }) => rows,
        other => panic!("expected a finite table, got {other:?}"),
    }
}

fn count(rows: &[Vec<Value>], column: usize) -> i64 {
    rows.iter().map(|r| if let Value::Int(n) = r[column] { n } else { panic!("not a count: {:?}", r[column]) }).sum()
}

#[test]
fn a_batch_query_reads_what_the_stream_holds_and_returns_final_rows() {
    let mut session = Session::new();
    session.execute(TABLE, 1_000).unwrap();
    // The generator fills my-input-stream at 20 records/s for 10 s.
    for t in (1_000..=11_000).step_by(250) {
        session.advance(t);
    }
    let held = session.streams().into_iter().find(|s| s.name == "my-input-stream").unwrap().records;
    assert!(held >= 190, "the generator wrote {held} records");
    let rows = table_rows(session.execute("%flink.bsql\nSELECT status, COUNT(*) AS num FROM sensor_data GROUP BY status", 11_000).unwrap());
    assert!(rows.len() <= 3);
    assert_eq!(count(&rows, 1) as u64, held, "each record is counted once, and no updates are left over");
    assert!(session.jobs().is_empty(), "a batch query leaves no job running");

    // The same through the session setting, and streaming again after RESET.
    session.execute("SET 'execution.runtime-mode' = 'batch'", 11_000).unwrap();
    let rows = table_rows(session.execute("SELECT COUNT(*) AS n FROM sensor_data", 11_000).unwrap());
    assert_eq!(rows.len(), 1);
    assert_eq!(count(&rows, 0) as u64, held);
    session.execute("RESET 'execution.runtime-mode'", 11_000).unwrap();
    let outcomes = session.execute("SELECT COUNT(*) AS n FROM sensor_data", 11_000).unwrap();
    assert!(matches!(outcomes.last(), Some(Outcome::Query { .. })), "streaming again: {outcomes:?}");
}

#[test]
fn a_file_given_by_content_is_a_bounded_table() {
    let mut session = Session::empty();
    session.add_file(
        "/in.jsonl",
        b"{\"sensor_id\": 1, \"status\": \"OK\"}\n\n{\"sensor_id\": 2, \"status\": \"ERROR\"}\r\n{\"sensor_id\": 3, \"status\": \"OK\"}"
            .to_vec(),
    );
    session
        .execute(
            "CREATE TABLE t (sensor_id INT, status STRING) WITH ('connector' = 'filesystem', 'path' = '/in.jsonl', 'format' = 'json')",
            0,
        )
        .unwrap();
    let rows = table_rows(session.execute("%flink.bsql\nSELECT status, SUM(sensor_id) AS s FROM t GROUP BY status", 0).unwrap());
    let mut got: Vec<String> = rows.iter().map(|r| format!("{}={}", r[0], r[1])).collect();
    got.sort();
    assert_eq!(got, ["ERROR=2", "OK=4"]);
}

#[test]
fn current_timestamp_follows_the_sessions_clock() {
    let mut session = Session::empty();
    session.add_file("/one.jsonl", b"{\"x\": 1}".to_vec());
    session.execute("CREATE TABLE one_row (x INT) WITH ('connector' = 'filesystem', 'path' = '/one.jsonl', 'format' = 'json')", 0).unwrap();
    session.set_now(1_621_423_209_999);
    let rows = table_rows(session.execute("%flink.bsql\nSELECT CURRENT_TIMESTAMP AS now FROM one_row", 1_621_423_209_999).unwrap());
    assert_eq!(rows[0][0].to_string(), "2021-05-19T11:20:09.999");
}

/// Windows over `PROCTIME()` fire when the session's clock passes their end, whatever the
/// records' own times; the clock is the session's (a virtual one here).
#[test]
fn processing_time_windows_fire_on_the_clock() {
    let mut session = Session::new();
    session
        .execute(
            "CREATE TABLE readings (sensor_id INT, status STRING, pt AS PROCTIME())
             WITH ('connector' = 'kinesis', 'stream' = 'my-input-stream', 'format' = 'json')",
            0,
        )
        .unwrap();
    let outcomes = session
        .execute(
            "SELECT TUMBLE_START(pt, INTERVAL '10' SECOND) AS ws, TUMBLE_PROCTIME(pt, INTERVAL '10' SECOND) AS wt, COUNT(*) AS n
             FROM readings GROUP BY TUMBLE(pt, INTERVAL '10' SECOND)",
            0,
        )
        .unwrap();
    let Some(Outcome::Query { job, columns, .. }) = outcomes.into_iter().last() else { panic!("a streaming query starts a job") };
    assert_eq!(columns[1].ty.to_string(), "TIMESTAMP_LTZ(3) NOT NULL *PROCTIME*");
    let mut fired = Vec::new();
    // The generator writes 20 records/s; the clock moves in 250 ms ticks.
    for t in (250..=25_000).step_by(250) {
        session.advance(t);
        fired.extend(session.take_changes(job));
        if t == 9_750 {
            assert!(fired.is_empty(), "no window has ended at {t} ms");
        }
    }
    let rows: Vec<(String, i64)> =
        fired.iter().map(|c| (c.row[0].to_string(), if let Value::Int(n) = c.row[2] { n } else { -1 })).collect();
    assert_eq!(rows.len(), 2, "[0 s, 10 s) and [10 s, 20 s) fired, [20 s, 30 s) not yet: {rows:?}");
    assert_eq!(rows[0].0, "1970-01-01T00:00:00.000");
    assert_eq!(rows[1].0, "1970-01-01T00:00:10.000");
    // Records read in the tick at 10 s belong to [10 s, 20 s): 200 records each, give or take a tick.
    assert!(rows.iter().all(|(_, n)| (190..=210).contains(n)), "{rows:?}");
}

#[test]
fn rowtime_and_proctime_window_properties_are_not_mixed_up() {
    let mut session = Session::new();
    session
        .execute("CREATE TABLE r (status STRING, pt AS PROCTIME()) WITH ('connector' = 'kinesis', 'stream' = 'my-input-stream', 'format' = 'json')", 0)
        .unwrap();
    let err =
        session.execute("SELECT TUMBLE_ROWTIME(pt, INTERVAL '1' MINUTE) FROM r GROUP BY TUMBLE(pt, INTERVAL '1' MINUTE)", 0).unwrap_err();
    assert!(err.to_string().contains("TUMBLE_PROCTIME"), "{err}");
    assert!(err.location.is_some());
}

/// `table.exec.state.ttl`: a group idle longer than the TTL is forgotten silently, and its
/// key's next row starts over with `+I`, as in Flink.
#[test]
fn state_ttl_forgets_idle_groups() {
    let mut session = Session::empty();
    session.execute("CREATE TABLE t (k STRING) WITH ('connector' = 'kinesis', 'stream' = 's', 'format' = 'json')", 0).unwrap();
    assert!(session.execute("SET 'table.exec.state.ttl' = 'soon'", 0).is_err());
    session.execute("SET 'table.exec.state.ttl' = '10 s'", 0).unwrap();
    let Some(Outcome::Query { job, .. }) = session.execute("SELECT k, COUNT(*) AS n FROM t GROUP BY k", 0).unwrap().pop() else { panic!() };
    let put = |session: &mut Session, at: i64, key: &str| {
        session.set_now(at);
        session.put_record("s", key, format!("{{\"k\": \"{key}\"}}").into_bytes()).unwrap();
        session.advance(at);
        session
            .take_changes(job)
            .into_iter()
            .map(|c| format!("{}{}", c.kind.short(), c.row.iter().map(ToString::to_string).collect::<Vec<_>>().join(",")))
            .collect::<Vec<_>>()
    };
    assert_eq!(put(&mut session, 1_000, "a"), ["+Ia,1"]);
    assert_eq!(put(&mut session, 5_000, "a"), ["-Ua,1", "+Ua,2"]);
    assert_eq!(put(&mut session, 9_000, "b"), ["+Ib,1"]);
    // `a` was last touched at 5 s: at 16 s it has been idle 11 s and is gone; `b` is not.
    assert_eq!(put(&mut session, 16_000, "a"), ["+Ia,1"]);
    assert_eq!(put(&mut session, 16_500, "b"), ["-Ub,1", "+Ub,2"]);
}

/// A regular join's rows live `table.exec.state.ttl` after they were written: a partner that
/// comes later finds nothing (and an outer row's padding stays), as with Flink's state TTL.
#[test]
fn state_ttl_expires_regular_join_rows() {
    let mut session = Session::empty();
    for (name, stream) in [("l", "ls"), ("r", "rs")] {
        session
            .execute(
                &format!("CREATE TABLE {name} (k STRING, v INT) WITH ('connector' = 'kinesis', 'stream' = '{stream}', 'format' = 'json')"),
                0,
            )
            .unwrap();
    }
    session.execute("SET 'table.exec.state.ttl' = '10 s'", 0).unwrap();
    let Some(Outcome::Query { job, .. }) = session.execute("SELECT l.k, l.v, r.v FROM l LEFT JOIN r ON l.k = r.k", 0).unwrap().pop() else {
        panic!()
    };
    let put = |session: &mut Session, at: i64, stream: &str, k: &str, v: i64| {
        session.set_now(at);
        session.put_record(stream, k, format!("{{\"k\": \"{k}\", \"v\": {v}}}").into_bytes()).unwrap();
        session.advance(at);
        session
            .take_changes(job)
            .into_iter()
            .map(|c| format!("{}{}", c.kind.short(), c.row.iter().map(ToString::to_string).collect::<Vec<_>>().join(",")))
            .collect::<Vec<_>>()
    };
    assert_eq!(put(&mut session, 1_000, "ls", "a", 1), ["+Ia,1,NULL"]);
    assert_eq!(put(&mut session, 5_000, "rs", "a", 2), ["-Da,1,NULL", "+Ia,1,2"]);
    // The left row was written at 5 s (its partner count changed): at 16 s it is gone.
    assert_eq!(put(&mut session, 16_000, "rs", "a", 3), Vec::<String>::new());
    assert_eq!(put(&mut session, 17_000, "ls", "a", 4), ["+Ia,4,3"]);
    assert!(session.job(job).unwrap().state_rows <= 2);
}

/// Many short-lived keys do not grow the state: expired groups are compacted away, and the
/// live ones keep their counts across the compaction.
#[test]
fn expired_groups_are_compacted_and_live_ones_survive() {
    let mut session = Session::empty();
    session.execute("CREATE TABLE t (k STRING) WITH ('connector' = 'kinesis', 'stream' = 's', 'format' = 'json')", 0).unwrap();
    session.execute("SET 'table.exec.state.ttl' = '3 s'", 0).unwrap();
    let Some(Outcome::Query { job, .. }) = session.execute("SELECT k, COUNT(*) AS n FROM t GROUP BY k", 0).unwrap().pop() else { panic!() };
    let mut last = Vec::new();
    for round in 0..10i64 {
        let now = round * 2_000;
        session.set_now(now);
        for i in 0..500 {
            session.put_record("s", "x", format!("{{\"k\": \"k{round}-{i}\"}}").into_bytes()).unwrap();
        }
        // One key stays alive throughout.
        session.put_record("s", "x", b"{\"k\": \"steady\"}".to_vec()).unwrap();
        session.advance(now);
        last = session.take_changes(job);
    }
    let steady: Vec<_> = last.iter().filter(|c| c.row[0].to_string() == "steady").map(|c| (c.kind.short(), c.row[1].to_string())).collect();
    assert_eq!(steady, [("-U", "9".to_string()), ("+U", "10".to_string())]);
    let state = session.jobs()[0].clone();
    assert!(state.error.is_none());
}

/// ROW fields read as Flink reads them: `loc.lat` (a column's field), `t.loc.name` (a table's
/// column's field); a NULL row has NULL fields; a wrong field name says which fields there are.
#[test]
fn row_fields_are_read_by_path() {
    let mut session = Session::empty();
    session.add_file(
        "/rows.jsonl",
        b"{\"id\": 1, \"loc\": {\"lat\": 1.5, \"name\": \"x\"}}\n{\"id\": 2, \"loc\": null}\n{\"id\": 3, \"loc\": {\"name\": \"x\"}}"
            .to_vec(),
    );
    session
        .execute("CREATE TABLE t (id BIGINT, loc ROW<lat DOUBLE, name STRING>) WITH ('connector' = 'filesystem', 'path' = '/rows.jsonl', 'format' = 'json')", 0)
        .unwrap();
    let rows = table_rows(session.execute("%flink.bsql\nSELECT id, loc.lat, t.loc.name AS n FROM t", 0).unwrap());
    let text: Vec<String> = rows.iter().map(|r| r.iter().map(ToString::to_string).collect::<Vec<_>>().join(",")).collect();
    assert_eq!(text, ["1,1.5,x", "2,NULL,NULL", "3,NULL,x"]);
    let rows = table_rows(session.execute("%flink.bsql\nSELECT loc.name, COUNT(*) FROM t GROUP BY loc.name", 0).unwrap());
    assert_eq!(rows.len(), 2);
    let err = session.execute("SELECT loc.height FROM t", 0).unwrap_err();
    assert!(err.to_string().contains("no field `height`") && err.to_string().contains("lat, name"), "{err}");
}

/// A paragraph that fails part-way leaves no job of its own running unseen; its DDL stays.
#[test]
fn a_failing_paragraph_takes_back_the_jobs_it_started() {
    let mut session = Session::new();
    let err = session.execute(&format!("{TABLE};\nSELECT * FROM sensor_data;\nSELECT nope FROM sensor_data"), 0).unwrap_err();
    assert_eq!(err.location.map(|l| l.line), Some(6), "{err}");
    assert!(session.jobs().is_empty(), "{:?}", session.jobs());
    assert_eq!(session.tables().len(), 1, "the CREATE TABLE before the error stays done");
}

/// Running the same CREATE paragraph again (Run all, twice) is not an error; a different
/// definition under the same name still is, as in Flink.
#[test]
fn rerunning_the_same_create_is_a_no_op() {
    let mut session = Session::new();
    session.execute(&format!("%flink.ssql\n\n{TABLE}"), 0).unwrap();
    let again = session.execute(&format!("%flink.ssql\n{}\n", TABLE.replace('\n', "\n  ")), 0).unwrap();
    assert!(matches!(&again[0], Outcome::Done { message, .. } if message.contains("nothing changed")), "{again:?}");
    let other = TABLE.replace("status VARCHAR(6)", "status STRING");
    let err = session.execute(&other, 0).unwrap_err();
    assert!(err.to_string().contains("already exists"), "{err}");
    session.execute("DROP TABLE sensor_data", 0).unwrap();
    session.execute(&other, 0).unwrap();
}

/// VALUES as a table: column types as Flink gives them (checked with PyFlink 2.3: `INT NOT
/// NULL`, `CHAR(1) NOT NULL` when every string has one length, else `VARCHAR(longest)`), and
/// located errors for ragged rows and non-constant values.
#[test]
fn values_are_typed_like_flink_and_checked() {
    let session = Session::empty();
    let plan = session.plan_query("SELECT * FROM (VALUES (1, 'a', 'x'), (2, 'b', 'yy')) AS t(id, c, v)").unwrap();
    let types: Vec<String> = plan.schema.fields.iter().map(|f| f.ty.to_string()).collect();
    assert_eq!(types, ["INT NOT NULL", "CHAR(1) NOT NULL", "VARCHAR(2) NOT NULL"]);
    let err = session.plan_query("SELECT * FROM (VALUES (1, 'a'), (2)) AS t(id, c)").unwrap_err();
    assert!(err.to_string().contains("every VALUES row needs 2 values"), "{err}");
    let err = session.plan_query("SELECT * FROM (VALUES (1), (CURRENT_TIMESTAMP)) AS t(x)").unwrap_err();
    assert!(err.to_string().contains("constant") && err.location.is_some(), "{err}");
}

/// `EXECUTE STATEMENT SET BEGIN … END`: every INSERT in it runs, each writing its sink.
#[test]
fn a_statement_set_runs_all_its_inserts() {
    let mut session = Session::new();
    session.execute(TABLE, 0).unwrap();
    session
        .execute(
            "CREATE TABLE hot (sensor_id INT, current_temperature DOUBLE) WITH ('connector' = 'kinesis', 'stream' = 'hot', 'format' = 'json');
             CREATE TABLE cold (sensor_id INT, current_temperature DOUBLE) WITH ('connector' = 'kinesis', 'stream' = 'cold', 'format' = 'json')",
            0,
        )
        .unwrap();
    let outcomes = session
        .execute(
            "%flink.ssql
EXECUTE STATEMENT SET
BEGIN
INSERT INTO hot SELECT sensor_id, current_temperature FROM sensor_data WHERE current_temperature > 100;
INSERT INTO cold SELECT sensor_id, current_temperature FROM sensor_data WHERE current_temperature <= 100;
END;",
            0,
        )
        .unwrap();
    assert_eq!(outcomes.iter().filter(|o| matches!(o, Outcome::Insert { .. })).count(), 2, "{outcomes:?}");
    for t in (250..=5_000).step_by(250) {
        session.advance(t);
    }
    let records = |name: &str| session.streams().into_iter().find(|s| s.name == name).map_or(0, |s| s.records);
    let input = records("my-input-stream");
    assert!(records("hot") > 0 && records("cold") > 0);
    assert_eq!(records("hot") + records("cold"), input, "every reading went to exactly one sink");
}

/// Live, on the generator's stream: a join with a VALUES table of metadata gives each reading
/// of a listed sensor its room (the VALUES are read first, so nothing is padded and retracted),
/// and a self interval join pairs only readings of one sensor within its bounds.
#[test]
fn joins_run_live_on_a_generated_stream() {
    let mut session = Session::new();
    session.execute(TABLE, 0).unwrap();
    session.set_generator("my-input-stream", true, 200.0);
    let start = |session: &mut Session, sql: &str| match session.execute(sql, 0).unwrap().pop() {
        Some(Outcome::Query { job, .. }) => job,
        other => panic!("expected a query, got {other:?}"),
    };
    let rooms = start(
        &mut session,
        "SELECT s.sensor_id, m.room FROM sensor_data s LEFT JOIN (VALUES (1, 'lab'), (2, 'hall')) AS m(id, room) ON s.sensor_id = m.id",
    );
    let pairs = start(
        &mut session,
        "SELECT a.sensor_id AS a_id, b.sensor_id AS b_id, a.event_time AS a_time, b.event_time AS b_time FROM sensor_data a JOIN sensor_data b \
         ON a.sensor_id = b.sensor_id AND b.event_time BETWEEN a.event_time AND a.event_time + INTERVAL '2' SECOND",
    );
    let (mut room_changes, mut pair_changes) = (Vec::new(), Vec::new());
    for t in (250..=20_000).step_by(250) {
        session.advance(t);
        room_changes.extend(session.take_changes(rooms));
        pair_changes.extend(session.take_changes(pairs));
    }
    assert!(room_changes.len() > 3000, "about 200 readings a second for 20 s: {}", room_changes.len());
    for c in &room_changes {
        assert_eq!(c.kind, sluice::types::RowKind::Insert, "metadata read first: no padded row is retracted");
        let expected = match c.row[0] {
            Value::Int(1) => Value::Str("lab".into()),
            Value::Int(2) => Value::Str("hall".into()),
            _ => Value::Null,
        };
        assert_eq!(c.row[1], expected, "{:?}", c.row);
    }
    assert!(pair_changes.len() > room_changes.len(), "each reading pairs with itself at least once");
    for c in &pair_changes {
        let (Value::Timestamp(a), Value::Timestamp(b)) = (&c.row[2], &c.row[3]) else { panic!("{:?}", c.row) };
        assert_eq!(c.row[0], c.row[1]);
        assert!((0..=2_000).contains(&(b - a)), "{:?}", c.row);
    }
    // A row is kept until the watermark (5 s behind) passes it by the bound: about 7 s of the
    // left side and 5 s of the right at 200 readings/s, not the 20 s seen.
    let job = session.job(pairs).unwrap();
    assert!((1..3_000).contains(&job.state_rows), "the interval join keeps only rows a partner can still reach: {}", job.state_rows);
}

/// `STOP JOB … WITH SAVEPOINT` keeps the job's state and its sources' positions; the same INSERT
/// run with `SET 'execution.savepoint.path'` continues where it stopped. What it writes equals an
/// uninterrupted run's: nothing lost while it was stopped, nothing written twice.
#[test]
fn a_job_stopped_with_a_savepoint_resumes_where_it_stopped() {
    const INSERT: &str = "INSERT INTO counts SELECT status, COUNT(*) AS num, window_end \
        FROM TABLE(TUMBLE(TABLE sensor_data, DESCRIPTOR(event_time), INTERVAL '10' SECOND)) GROUP BY window_start, window_end, status";
    let written = |stop: Option<(i64, i64)>| -> Vec<String> {
        let mut session = Session::new();
        session.execute(TABLE, 0).unwrap();
        session
            .execute("CREATE TABLE counts (status VARCHAR(6), num BIGINT, window_end TIMESTAMP(3)) WITH ('connector' = 'kinesis', 'stream' = 'counts', 'format' = 'json')", 0)
            .unwrap();
        // A savepoint that does not exist is a clear error, and nothing starts.
        session.execute("SET 'execution.savepoint.path' = 'sluice-savepoints/nope'", 0).unwrap();
        let err = session.execute(INSERT, 0).unwrap_err();
        assert!(err.message.contains("there is no savepoint 'sluice-savepoints/nope'"), "{}", err.message);
        assert!(session.jobs().is_empty());
        session.execute("RESET 'execution.savepoint.path'", 0).unwrap();
        let Some(Outcome::Insert { job, .. }) = session.execute(INSERT, 0).unwrap().pop() else { panic!("no INSERT job") };
        for t in (250..=60_000).step_by(250) {
            session.advance(t);
            match stop {
                Some((at, _)) if at == t => {
                    let id = match session.execute("SHOW JOBS", t).unwrap().pop() {
                        Some(Outcome::Table { rows, .. }) => rows[0][0].to_string(),
                        other => panic!("{other:?}"),
                    };
                    let Some(Outcome::Done { message, .. }) = session.execute(&format!("STOP JOB '{id}' WITH SAVEPOINT"), t).unwrap().pop()
                    else {
                        panic!()
                    };
                    assert!(message.contains("savepoint 'sluice-savepoints/savepoint-"), "{message}");
                    let path = message.split('\'').nth(3).unwrap().to_string();
                    // Another statement cannot take the savepoint.
                    session.execute(&format!("SET 'execution.savepoint.path' = '{path}'"), t).unwrap();
                    let err = session.execute("INSERT INTO counts SELECT status, COUNT(*), window_end FROM TABLE(TUMBLE(TABLE sensor_data, DESCRIPTOR(event_time), INTERVAL '1' MINUTE)) GROUP BY window_start, window_end, status", t).unwrap_err();
                    assert!(err.message.contains("taken of another statement"), "{}", err.message);
                }
                Some((_, at)) if at == t => {
                    assert!(!session.job(job).unwrap().running);
                    let Some(Outcome::Insert { job: resumed, .. }) = session.execute(INSERT, t).unwrap().pop() else {
                        panic!("not resumed")
                    };
                    assert_eq!(resumed, job, "the stopped job itself goes on");
                    let Some(Outcome::Insert { job: fresh, .. }) = session.execute(INSERT, t).unwrap().pop() else { panic!() };
                    assert_ne!(fresh, job, "the setting is cleared: the next run starts fresh");
                    session.stop_job(fresh);
                }
                _ => {}
            }
        }
        let Some(Outcome::Table { rows, .. }) = session.execute("%flink.bsql\nSELECT * FROM counts", 60_000).unwrap().pop() else {
            panic!()
        };
        let mut rows: Vec<String> = rows.iter().map(|r| format!("{r:?}")).collect();
        rows.sort();
        rows
    };
    let uninterrupted = written(None);
    assert!(uninterrupted.len() > 10, "{uninterrupted:?}");
    assert_eq!(written(Some((20_000, 30_000))), uninterrupted);
}

/// Two streams with watermarks, `l` on stream `ls` and `r` on `rs`; rows `{k, ts}` put at
/// processing time `at` with event time `ts` seconds.
fn two_streams() -> Session {
    let mut session = Session::empty();
    for (name, stream) in [("l", "ls"), ("r", "rs")] {
        session
            .execute(
                &format!("CREATE TABLE {name} (k STRING, ts TIMESTAMP(3), WATERMARK FOR ts AS ts) WITH ('connector' = 'kinesis', 'stream' = '{stream}', 'format' = 'json')"),
                0,
            )
            .unwrap();
    }
    session
}

fn put_at(session: &mut Session, at: i64, stream: &str, k: &str, ts_s: i64) {
    session.set_now(at);
    session.put_record(stream, k, format!("{{\"k\": \"{k}\", \"ts\": \"2024-01-01 00:00:{ts_s:02}.000\"}}").into_bytes()).unwrap();
    session.advance(at);
}

fn rendered(session: &mut Session, job: sluice::session::JobId) -> Vec<String> {
    session
        .take_changes(job)
        .into_iter()
        .map(|c| format!("{}{}", c.kind.short(), c.row.iter().map(ToString::to_string).collect::<Vec<_>>().join(",")))
        .collect()
}

const WINDOW_JOIN: &str = "SELECT L.k, L.window_start FROM (SELECT * FROM TABLE(TUMBLE(TABLE l, DESCRIPTOR(ts), INTERVAL '10' SECOND))) L \
    JOIN (SELECT * FROM TABLE(TUMBLE(TABLE r, DESCRIPTOR(ts), INTERVAL '10' SECOND))) R \
    ON L.k = R.k AND L.window_start = R.window_start AND L.window_end = R.window_end";

/// Flink's `table.exec.source.idle-timeout`: an input without records holds a join's watermark
/// back until it has been quiet that long; then the other input alone moves it, and windows fire.
#[test]
fn an_idle_input_stops_holding_a_join_back_after_the_idle_timeout() {
    for timeout in [None, Some("5 s")] {
        let mut session = two_streams();
        if let Some(t) = timeout {
            assert!(session.execute("SET 'table.exec.source.idle-timeout' = 'a while'", 0).is_err());
            session.execute(&format!("SET 'table.exec.source.idle-timeout' = '{t}'"), 0).unwrap();
        }
        let Some(Outcome::Query { job, .. }) = session.execute(WINDOW_JOIN, 0).unwrap().pop() else { panic!() };
        put_at(&mut session, 1_000, "ls", "a", 1);
        put_at(&mut session, 1_000, "rs", "a", 2);
        // `l` moves on in event time; `r` falls silent.
        for (i, at) in (2_000..=12_000).step_by(1_000).enumerate() {
            put_at(&mut session, at, "ls", "b", 12 + i as i64);
        }
        let fired = rendered(&mut session, job);
        // 2024-01-01 00:00:00 UTC; the query's watermark is l's (22 s) once r is idle.
        let midnight = 1_704_067_200_000;
        let shown = session.job(job).unwrap().watermark;
        assert_eq!(shown, Some(midnight + if timeout.is_some() { 22_000 } else { 2_000 }));
        // The plan graph says which input is idle.
        let idle: Vec<String> = session.job_stages(job).unwrap().into_iter().filter(|s| s.idle).filter_map(|s| s.detail).collect();
        assert_eq!(idle, if timeout.is_some() { vec!["r.ts: ts".to_string()] } else { vec![] });
        match timeout {
            None => assert!(fired.is_empty(), "r's watermark (2 s) holds the window [0, 10) back: {fired:?}"),
            Some(_) => assert_eq!(fired, ["+Ia,2024-01-01T00:00:00.000"], "r idle since 1 s: at 6 s l's watermark alone counts"),
        }
        // Once `r` speaks again it counts again: its own watermark holds the next window.
        put_at(&mut session, 13_000, "rs", "b", 12);
        put_at(&mut session, 14_000, "ls", "c", 25);
        let next = rendered(&mut session, job);
        match timeout {
            None => assert_eq!(next, ["+Ia,2024-01-01T00:00:00.000"], "r's watermark passed 10 s"),
            Some(_) => assert!(next.is_empty(), "window [10, 20) waits for r (at 12 s): {next:?}"),
        }
    }
}

/// After a UNION ALL of two tables a window fires on the lesser watermark of the two, unless
/// the slower table has been idle for `table.exec.source.idle-timeout`. A row of the faster
/// table is late only against the union's watermark, not its own table's.
#[test]
fn a_union_of_tables_waits_for_both_unless_one_is_idle() {
    let query = "WITH u AS (SELECT k, ts FROM l UNION ALL SELECT k, ts FROM r) \
        SELECT window_start, COUNT(*) AS n FROM TABLE(TUMBLE(TABLE u, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY window_start, window_end";
    for timeout in [None, Some("5 s")] {
        let mut session = two_streams();
        if let Some(t) = timeout {
            session.execute(&format!("SET 'table.exec.source.idle-timeout' = '{t}'"), 0).unwrap();
        }
        let Some(Outcome::Query { job, .. }) = session.execute(query, 0).unwrap().pop() else { panic!() };
        put_at(&mut session, 1_000, "rs", "x", 3);
        put_at(&mut session, 1_000, "ls", "x", 15);
        // l's own watermark (15 s) is past this row's window; the union's (3 s) is not.
        put_at(&mut session, 1_500, "ls", "y", 5);
        for at in (2_000..=8_000).step_by(1_000) {
            put_at(&mut session, at, "ls", "z", 16);
        }
        let fired = rendered(&mut session, job);
        match timeout {
            None => assert!(fired.is_empty(), "r holds the union at 3 s: {fired:?}"),
            Some(_) => assert_eq!(fired, ["+I2024-01-01T00:00:00.000,2"], "r idle from 6 s: both rows of [0, 10) count"),
        }
        assert_eq!(session.job(job).unwrap().late_records_dropped, 0);
    }
}

/// Real streams as the page's remote access makes them, without a network: a Kinesis table's
/// stream becomes a mirror (fed here by `put_record`), a sink's forwards its puts.
struct FakeRemote;

impl sluice::connectors::RemoteStreams for FakeRemote {
    fn attach_source(
        &mut self,
        table: &sluice::plan::catalog::TableDef,
        streams: &mut sluice::connectors::LocalStreams,
    ) -> Result<bool, String> {
        let Some(stream) = table.option("stream") else { return Ok(false) };
        streams.get_or_create(stream).mirror_remote();
        Ok(true)
    }
    fn attach_sink(
        &mut self,
        table: &sluice::plan::catalog::TableDef,
        streams: &mut sluice::connectors::LocalStreams,
    ) -> Result<bool, String> {
        let Some(stream) = table.option("stream") else { return Ok(false) };
        streams.get_or_create(stream).forward_puts();
        Ok(true)
    }
    fn pump(&mut self, _: &mut sluice::connectors::LocalStreams, _: &mut Vec<sluice::connectors::RemoteEvent>) {}
    fn pending_writes(&self) -> usize {
        0
    }
}

/// Choosing another Kinesis access stops the jobs on real streams (their reader and writer go
/// with the old access) and says so; back to local streams, a mirror is a local stream that
/// keeps what it mirrored, and a new query reads it.
#[test]
fn switching_the_kinesis_access_stops_the_jobs_on_real_streams_and_keeps_the_records() {
    let mut session = Session::empty();
    for (name, stream) in [("src", "in"), ("dst", "out")] {
        session
            .execute(&format!("CREATE TABLE {name} (k STRING) WITH ('connector' = 'kinesis', 'stream' = '{stream}', 'scan.stream.initpos' = 'TRIM_HORIZON', 'format' = 'json')"), 0)
            .unwrap();
    }
    session
        .execute(
            "CREATE TABLE local_only (k STRING) WITH ('connector' = 'datagen', 'number-of-rows' = '1000000', 'rows-per-second' = '1')",
            0,
        )
        .unwrap();
    assert!(session.switch_remote(Some(Box::new(FakeRemote))).is_empty(), "no job to stop yet");
    let job = |outcomes: Vec<Outcome>| match outcomes.into_iter().last() {
        Some(Outcome::Query { job, .. }) | Some(Outcome::Insert { job, .. }) => job,
        other => panic!("expected a job, got {other:?}"),
    };
    let reader = job(session.execute("SELECT k FROM src", 0).unwrap());
    let writer = job(session.execute("INSERT INTO dst SELECT k FROM src", 0).unwrap());
    let bystander = job(session.execute("SELECT k FROM local_only", 0).unwrap());
    for i in 0..5 {
        session.put_record("in", "p", format!("{{\"k\": \"r{i}\"}}").into_bytes()).unwrap();
    }
    session.advance(1_000);
    let mirror = |session: &Session| session.streams().into_iter().find(|s| s.name == "in").unwrap();
    assert!(mirror(&session).kinesis_mirror);

    let mut stopped = session.switch_remote(None);
    stopped.sort();
    assert_eq!(stopped, [reader, writer]);
    assert!(session.job(bystander).unwrap().running, "a job on no real stream runs on");
    assert!(session.take_remote_messages().iter().any(|m| m.starts_with(&format!("stopped job {reader}, {writer}"))));
    let now_local = mirror(&session);
    assert!(!now_local.kinesis_mirror);
    assert_eq!(now_local.records, 5, "the mirrored records stay, as local ones");
    let again = job(session.execute("SELECT k FROM src", 2_000).unwrap());
    session.advance(2_000);
    assert_eq!(session.job(again).unwrap().records_in, 5);
}

/// A notebook's `SELECT * … LIMIT 10` on a live stream shows ten rows, and its job finishes
/// once it has them (nothing upstream can take a row back), while the generator runs on; an
/// `ORDER BY … LIMIT` keeps running, since a hotter reading may still come.
#[test]
fn a_limit_on_a_live_stream_shows_its_rows_and_finishes() {
    let mut session = Session::new();
    session.execute(TABLE, 0).unwrap();
    session.set_generator("my-input-stream", true, 200.0);
    let start = |session: &mut Session, sql: &str| match session.execute(sql, 0).unwrap().pop() {
        Some(Outcome::Query { job, .. }) => job,
        other => panic!("expected a query, got {other:?}"),
    };
    let first = start(&mut session, "SELECT sensor_id, status FROM sensor_data WHERE sensor_id < 50 LIMIT 10");
    let top = start(&mut session, "SELECT sensor_id, current_temperature FROM sensor_data ORDER BY current_temperature DESC LIMIT 3");
    let mut changes = Vec::new();
    let mut finished_at = None;
    for t in (250..=5_000).step_by(250) {
        session.advance(t);
        changes.extend(session.take_changes(first));
        let job = session.job(first).unwrap();
        if job.finished && finished_at.is_none() {
            finished_at = Some(t);
        }
    }
    assert_eq!(changes.len(), 10, "{changes:?}");
    assert!(changes.iter().all(|c| c.kind == sluice::types::RowKind::Insert));
    assert!(changes.iter().all(|c| matches!(c.row[0], Value::Int(id) if id < 50)));
    let job = session.job(first).unwrap();
    assert!(job.finished && !job.running && job.error.is_none(), "the LIMIT job ends by itself: {job:?}");
    assert!(finished_at.is_some_and(|t| t < 5_000), "it finished as soon as it had ten rows: {finished_at:?}");
    let top = session.job(top).unwrap();
    assert!(top.running && !top.finished, "an ORDER BY … LIMIT keeps updating its top rows");
}

/// A TIMESTAMP_LTZ column of a query's result is shown in the session time zone, as Flink's SQL
/// client shows it: `tests/functions/ltz_display.txt` holds what Flink 2.3 printed for the same
/// table, input and query with `table.local-time-zone` = 'America/Los_Angeles' (made by
/// `ltz_display.py`), around the 2020 DST changes.
#[test]
fn timestamp_ltz_results_are_shown_in_the_session_zone() {
    let golden = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/functions/ltz_display.txt")).unwrap();
    let section = |name: &str| golden.split(&format!("-- {name}\n")).nth(1).unwrap().split("\n-- ").next().unwrap().to_string();
    // Flink's table: `| +I |  1 | 2020-03-08 01:59:59.000 |`, the LTZ column last.
    let flink: Vec<String> = section("printed")
        .lines()
        .filter(|l| l.starts_with("| +I"))
        .map(|l| l.trim_end_matches('|').rsplit('|').next().unwrap().trim().to_string())
        .collect();
    assert_eq!(flink.len(), 4);
    let mut session = Session::empty();
    session.add_file("/ltz/input.jsonl", section("input").into_bytes());
    session.execute("SET 'table.local-time-zone' = 'America/Los_Angeles'", 0).unwrap();
    session.execute(&section("table").replace("{input}", "/ltz/input.jsonl"), 0).unwrap();
    let Some(Outcome::Query { job, columns, .. }) = session.execute(&section("query"), 0).unwrap().pop() else { panic!("not a query") };
    let mut shown = Vec::new();
    session.run_to_end(job, &mut |changes| shown.extend(changes.iter().map(|c| columns[1].show(&c.row[1]).replace('T', " ")))).unwrap();
    assert_eq!(shown, flink);
    // The value itself stays the instant: in UTC the same rows show the UTC wall clock.
    let utc = sluice::session::ColumnInfo::new("l", columns[1].ty.clone());
    assert_eq!(utc.show(&Value::Timestamp(0)), "1970-01-01T00:00:00.000");
}
