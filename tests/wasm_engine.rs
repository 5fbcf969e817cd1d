//! The engine as the page runs it: compiled to wasm32 and driven in headless Chromium through
//! the same door the UI uses, [`sluice::session::Session`]. Native `cargo test` covers the
//! engine's logic; these tests catch what only shows up in the browser build (panics on
//! `SystemTime`, 32-bit overflows, missing JS glue) on the walkthrough's path.
//!
//! Run with `CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown --tests`
//! (`.cargo/config.toml` makes `wasm-bindgen-test-runner` the runner).
#![cfg(target_arch = "wasm32")]

use std::collections::BTreeMap;

use sluice::session::{Change, Outcome, Session, DEFAULT_INPUT_STREAM};
use sluice::types::{RowKind, Value};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The walkthrough's table, as a reader types it in the studio (src/views/note/walkthrough.sql).
fn create_sensor_data() -> &'static str {
    sluice::views::note::seed::walkthrough()[0]
}

const GROUP_BY_STATUS: &str = "SELECT status, COUNT(*) AS num FROM sensor_data GROUP BY status";

/// A fixed wall clock (2024-05-01T00:00:00Z), so runs are repeatable; the browser's own clock
/// is only used by the page, never by the engine directly.
const T0: i64 = 1_714_521_600_000;

fn session_with_table() -> Session {
    let mut session = Session::new();
    let outcomes = session.execute(create_sensor_data(), T0).unwrap_or_else(|e| panic!("CREATE TABLE failed: {e}"));
    assert!(matches!(outcomes.as_slice(), [Outcome::Done { .. }]), "CREATE TABLE gave {outcomes:?}");
    session
}

fn input_records(session: &Session) -> u64 {
    session.streams().into_iter().find(|s| s.name == DEFAULT_INPUT_STREAM).expect("the session has my-input-stream").records
}

/// Starts `sql` (one SELECT) and returns its job id and column names.
fn start_query(session: &mut Session, sql: &str, now_ms: i64) -> (u32, Vec<String>) {
    let outcomes = session.execute(sql, now_ms).unwrap_or_else(|e| panic!("`{sql}` failed: {e}"));
    match outcomes.as_slice() {
        [Outcome::Query { job, columns, .. }] => (*job, columns.iter().map(|c| c.name.clone()).collect()),
        other => panic!("`{sql}` gave {other:?}, not a running query"),
    }
}

/// Moves the clock from `from` by `seconds`, in 250 ms ticks as the page's timer would.
fn tick(session: &mut Session, from: i64, seconds: i64) -> i64 {
    let mut now = from;
    for _ in 0..seconds * 4 {
        now += 250;
        session.advance(now);
    }
    now
}

/// A materialized result: rows keyed by their first column, with changelog semantics
/// (+I/+U add a row, -U/-D retract one), as the result table applies them.
#[derive(Default)]
struct Materialized {
    rows: BTreeMap<String, Vec<Value>>,
    changes: usize,
}

impl Materialized {
    fn apply(&mut self, changes: Vec<Change>) {
        for Change { kind, row } in changes {
            self.changes += 1;
            let key = row[0].to_string();
            match kind {
                RowKind::Insert | RowKind::UpdateAfter => {
                    let old = self.rows.insert(key.clone(), row);
                    assert!(old.is_none(), "{} for key {key} that is still in the result (no retraction before it)", kind.short());
                }
                RowKind::UpdateBefore | RowKind::Delete => {
                    let old = self.rows.remove(&key);
                    assert_eq!(old.as_ref(), Some(&row), "{} retracts a row the result does not hold", kind.short());
                }
            }
        }
    }

    fn count(&self, status: &str) -> i64 {
        match self.rows.get(status).map(|r| &r[1]) {
            Some(Value::Int(n)) => *n,
            None => 0,
            Some(other) => panic!("num of {status} is {other:?}, not an integer"),
        }
    }

    fn total(&self) -> i64 {
        self.rows.keys().map(|k| self.count(k)).sum()
    }
}

#[wasm_bindgen_test]
fn catalog_shows_the_walkthrough_table() {
    let session = session_with_table();
    let tables = session.tables();
    assert_eq!(tables.len(), 1, "{tables:?}");
    let t = &tables[0];
    assert_eq!(t.name, "sensor_data");
    assert_eq!(t.connector, "kinesis");
    assert_eq!(t.stream.as_deref(), Some("my-input-stream"));
    let columns: Vec<(String, String)> = t.columns.iter().map(|c| (c.name.clone(), c.ty.to_string())).collect();
    let expected =
        [("sensor_id", "INT"), ("current_temperature", "DOUBLE"), ("status", "VARCHAR(6)"), ("event_time", "TIMESTAMP(3) *ROWTIME*")];
    assert_eq!(columns, expected.iter().map(|(n, ty)| (n.to_string(), ty.to_string())).collect::<Vec<_>>());
    let watermark = t.watermark.as_deref().expect("the table declares a watermark");
    assert!(watermark.contains("event_time - INTERVAL '5' SECOND"), "watermark text: {watermark}");
}

#[wasm_bindgen_test]
fn generator_feeds_the_input_stream() {
    let mut session = Session::new();
    let streams = session.streams();
    let input = streams.iter().find(|s| s.name == DEFAULT_INPUT_STREAM).expect("my-input-stream exists");
    let generator = input.generator.as_ref().expect("my-input-stream is fed by a generator");
    assert!(generator.running);
    assert_eq!(generator.records_per_second, 20.0);

    session.advance(T0);
    let start = input_records(&session);
    let now = tick(&mut session, T0, 5);
    let produced = input_records(&session) - start;
    // 20 records per second for 5 s; allow one either side for where the ticks fall.
    assert!((99..=101).contains(&produced), "5 s at 20 rec/s produced {produced} records");

    session.set_generator(DEFAULT_INPUT_STREAM, false, 20.0);
    let stopped_at = input_records(&session);
    let now = tick(&mut session, now, 2);
    assert_eq!(input_records(&session), stopped_at, "a stopped generator still produces");

    session.set_generator(DEFAULT_INPUT_STREAM, true, 50.0);
    let restarted_at = input_records(&session);
    tick(&mut session, now, 2);
    let produced = input_records(&session) - restarted_at;
    // 2 s at 50 rec/s is 100; the first tick after a restart only starts the clock. Back-filling
    // the 2 s the generator was stopped would give about twice as many.
    assert!((80..=105).contains(&produced), "2 s after restarting at 50 rec/s the stream gained {produced} records, expected about 100");
}

#[wasm_bindgen_test]
fn group_by_status_counts_every_record_read_after_the_query_started() {
    let mut session = session_with_table();
    // Let the generator run before the query: with initpos LATEST the job must not see these.
    let mut now = tick(&mut session, T0, 3);
    let before = input_records(&session);
    assert!(before > 0, "the generator produced nothing in 3 s");

    let (job, columns) = start_query(&mut session, GROUP_BY_STATUS, now);
    assert_eq!(columns, ["status", "num"]);

    let mut result = Materialized::default();
    let mut totals = Vec::new();
    for _ in 0..4 {
        now = tick(&mut session, now, 2);
        result.apply(session.take_changes(job));
        let produced = input_records(&session) - before;
        assert_eq!(
            result.total(),
            produced as i64,
            "counts {:?} do not add up to the {produced} records produced since the query started",
            result.rows
        );
        assert!(result.total() as u64 <= input_records(&session), "the query counted more records than the stream holds");
        totals.push(result.total());
    }
    assert!(totals.windows(2).all(|w| w[0] < w[1]), "counts did not grow: {totals:?}");
    assert!(result.rows.len() <= 3, "more than three statuses: {:?}", result.rows.keys());
    for status in result.rows.keys() {
        assert!(["OK", "WARNING", "ERROR"].contains(&status.as_str()), "unexpected status {status}");
    }
    assert!(result.count("OK") > 0, "no OK readings in {} records", result.total());
    assert!(result.changes as i64 >= result.total(), "fewer changes ({}) than records", result.changes);

    let info = session.jobs().into_iter().find(|j| j.id == job).expect("the job is listed");
    assert!(info.running, "the job stopped: {:?}", info.error);
    assert_eq!(info.error, None);
    assert_eq!(info.records_in as i64, result.total());
}

#[wasm_bindgen_test]
fn a_bad_statement_reports_line_and_column_and_the_session_goes_on() {
    let mut session = session_with_table();
    let mut now = tick(&mut session, T0, 1);
    let (job, _) = start_query(&mut session, GROUP_BY_STATUS, now);

    // An unknown column: a planning error, pinned to where `nope` is typed.
    let err = session.execute("%flink.ssql\n\nSELECT nope FROM sensor_data", now).expect_err("an unknown column is rejected");
    let text = err.to_string();
    let location = err.location.expect("the error has a location");
    assert_eq!((location.line, location.column), (3, 8), "error: {text}");
    assert!(text.starts_with("3:8: "), "error text does not start with line:column: {text}");
    assert!(text.contains("nope"), "error text does not name the column: {text}");

    // A syntax error in the middle of a statement: located at the offending token.
    let err = session.execute("SELECT status FROM sensor_data WHERE WHERE", now).expect_err("WHERE WHERE is rejected");
    let text = err.to_string();
    assert!(text.starts_with("1:38: "), "syntax error not located at the second WHERE: {text}");

    // No statement at all.
    assert!(session.execute("%flink.ssql\n   \n", now).is_err(), "an empty paragraph runs");

    // Running the same CREATE TABLE again changes nothing; another definition under the same
    // name is an error, and neither disturbs the first table.
    session.execute(create_sensor_data(), now).expect("the same CREATE TABLE again is a no-op");
    let err = session
        .execute(&create_sensor_data().replace("status VARCHAR(6)", "status STRING"), now)
        .expect_err("a different sensor_data is rejected");
    assert!(err.to_string().contains("already exists"), "{err}");
    assert_eq!(session.tables().len(), 1);

    // The running query and new ones still work.
    let before = input_records(&session);
    let mut result = Materialized::default();
    result.apply(session.take_changes(job));
    let counted = result.total();
    now = tick(&mut session, now, 2);
    result.apply(session.take_changes(job));
    assert_eq!(result.total() - counted, (input_records(&session) - before) as i64, "the first query stopped counting after the errors");
    let (second, columns) = start_query(&mut session, "SELECT * FROM sensor_data", now);
    assert_eq!(columns, ["sensor_id", "current_temperature", "status", "event_time"]);
    tick(&mut session, now, 1);
    let rows = session.take_changes(second);
    assert!(!rows.is_empty(), "a query started after the errors gets no rows");
    assert!(rows.iter().all(|c| c.kind == RowKind::Insert && c.row.len() == 4), "SELECT * is not an insert-only stream of 4-column rows");
    assert!(rows.iter().all(|c| matches!(c.row[3], Value::Timestamp(_))), "event_time is not a timestamp");
}

/// A statement cut short (the reader is still typing) fails at the end of the text, and the
/// error says where: the page shows `line:column` for every error.
#[wasm_bindgen_test]
fn a_statement_cut_short_reports_where_it_ends() {
    let mut session = session_with_table();
    for sql in ["SELECT status FROM sensor_data WHERE", "%flink.ssql\n\nSELECT status,\n  COUNT(*\n"] {
        let err = session.execute(sql, T0).expect_err("a truncated statement is rejected");
        let text = err.to_string();
        let location = err.location.unwrap_or_else(|| panic!("{sql:?} fails without a line:column: {text}"));
        let last_line = sql.trim_end().lines().count() as u32;
        assert!(location.line >= last_line, "{sql:?} fails at {location}, before its last line: {text}");
        assert!(text.starts_with(&format!("{location}: ")), "the error text does not start with its location: {text}");
    }
}

/// A record the table cannot read fails the job that reads it, with the reason, and nothing
/// else: no panic (a panic in the page kills the whole studio), other jobs keep running.
///
/// `Session` has no public way to put raw bytes on a stream, so the bad record is made with
/// SQL: a table that writes `status` (text) into the stream where another table expects an
/// integer `sensor_id`.
#[wasm_bindgen_test]
fn an_unreadable_record_fails_only_its_job() {
    let mut session = session_with_table();
    let mut now = tick(&mut session, T0, 1);
    session
        .execute(
            "CREATE TABLE text_out (sensor_id VARCHAR(6)) WITH ('connector' = 'kinesis', 'stream' = 'odd-stream', 'format' = 'json');
             CREATE TABLE typed_in (sensor_id INT) WITH ('connector' = 'kinesis', 'stream' = 'odd-stream', 'scan.stream.initpos' = 'TRIM_HORIZON', 'format' = 'json')",
            now,
        )
        .unwrap_or_else(|e| panic!("creating the tables failed: {e}"));
    assert!(session.streams().iter().any(|s| s.name == "odd-stream"), "CREATE TABLE did not create the local stream");

    let (healthy, _) = start_query(&mut session, GROUP_BY_STATUS, now);
    let (reader, _) = start_query(&mut session, "SELECT sensor_id FROM typed_in", now);
    let outcomes =
        session.execute("INSERT INTO text_out SELECT status FROM sensor_data", now).unwrap_or_else(|e| panic!("INSERT failed: {e}"));
    assert!(matches!(outcomes.as_slice(), [Outcome::Insert { .. }]), "INSERT gave {outcomes:?}");

    now = tick(&mut session, now, 2);
    let odd = session.streams().into_iter().find(|s| s.name == "odd-stream").expect("odd-stream");
    assert!(odd.records > 0, "the INSERT job wrote nothing to odd-stream");

    let jobs = session.jobs();
    let failed = jobs.iter().find(|j| j.id == reader).expect("the reading job is listed");
    assert!(!failed.running, "a job reading `\"OK\"` as an INT is still running");
    let error = failed.error.as_deref().expect("the failed job has an error");
    assert!(error.contains("typed_in") && error.contains("could not be read"), "unclear error: {error}");
    assert!(error.contains("sensor_id"), "the error does not name the field: {error}");
    assert!(session.take_changes(reader).is_empty(), "the failed job produced rows from a bad record");

    // The rest of the session is untouched.
    let healthy_info = jobs.iter().find(|j| j.id == healthy).expect("the healthy job is listed");
    assert!(healthy_info.running && healthy_info.error.is_none(), "the healthy job was hurt: {healthy_info:?}");
    let mut result = Materialized::default();
    result.apply(session.take_changes(healthy));
    let counted = result.total();
    tick(&mut session, now, 1);
    result.apply(session.take_changes(healthy));
    assert!(result.total() > counted, "the healthy job stopped counting after the other one failed");
}

#[wasm_bindgen_test]
fn windowed_aggregation_emits_in_the_browser() {
    let mut session = session_with_table();
    let now = tick(&mut session, T0, 1);
    let (job, columns) = start_query(
        &mut session,
        "SELECT window_start, window_end, status, COUNT(*) AS num
         FROM TABLE(TUMBLE(TABLE sensor_data, DESCRIPTOR(event_time), INTERVAL '2' SECOND))
         GROUP BY window_start, window_end, status",
        now,
    );
    assert_eq!(columns, ["window_start", "window_end", "status", "num"]);
    // Windows close once the watermark (event time − 5 s) passes their end.
    tick(&mut session, now, 12);
    let changes = session.take_changes(job);
    assert!(!changes.is_empty(), "no window closed in 12 s");
    assert!(changes.iter().all(|c| c.kind == RowKind::Insert), "a window TVF emitted updates");
    for c in &changes {
        match (&c.row[0], &c.row[1]) {
            (Value::Timestamp(start), Value::Timestamp(end)) => assert_eq!(end - start, 2000, "window {start}..{end}"),
            other => panic!("window bounds are not timestamps: {other:?}"),
        }
    }
}
