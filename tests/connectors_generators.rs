//! Made-up data through the session, as a class would use it: the sensor generator's disorder
//! knob, and Flink's `datagen` connector read by queries and sent to `print` and `blackhole`.
#![cfg(not(target_arch = "wasm32"))]

use sluice::connectors::Disorder;
use sluice::session::{Outcome, Session};
use sluice::types::Value;

const SENSOR_TABLE: &str = "CREATE TABLE sensor_data (sensor_id INTEGER, current_temperature DOUBLE, status VARCHAR(6),
    event_time TIMESTAMP(3), WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND)
  WITH ('connector' = 'kinesis', 'stream' = 'my-input-stream', 'format' = 'json',
        'json.timestamp-format.standard' = 'ISO-8601', 'scan.stream.initpos' = 'TRIM_HORIZON')";

const WINDOWED: &str = "SELECT window_start, COUNT(*) AS n
  FROM TABLE(TUMBLE(TABLE sensor_data, DESCRIPTOR(event_time), INTERVAL '10' SECOND)) GROUP BY window_start, window_end";

fn job_of(outcomes: &[Outcome]) -> u32 {
    match outcomes.last() {
        Some(Outcome::Query { job, .. } | Outcome::Insert { job, .. }) => *job,
        other => panic!("expected a running job, got {other:?}"),
    }
}

/// [`late_dropped_after`] the generator's disorder is set (`None`: in order, as by default).
fn late_dropped_with(disorder: Option<Disorder>) -> u64 {
    late_dropped_after(|session, _| {
        if let Some(d) = disorder {
            assert!(session.set_generator_disorder("my-input-stream", d));
        }
    })
}

/// Runs the walkthrough's windowed count for 60 s of generator time after `setup` (given the
/// session and its start time); returns the late records the window dropped.
fn late_dropped_after(setup: impl FnOnce(&mut Session, i64)) -> u64 {
    let t0 = 1_621_423_200_000;
    let mut session = Session::new();
    setup(&mut session, t0);
    session.execute(SENSOR_TABLE, t0).unwrap();
    let job = job_of(&session.execute(WINDOWED, t0).unwrap());
    for t in (t0..=t0 + 60_000).step_by(100) {
        session.advance(t);
    }
    session.job(job).unwrap().late_records_dropped
}

#[test]
fn the_default_generator_is_in_order_and_drops_nothing() {
    assert_eq!(late_dropped_with(None), 0);
}

#[test]
fn late_readings_from_the_disorder_knob_are_dropped_by_the_window() {
    let late = late_dropped_with(Some(Disorder { out_of_order_share: 0.2, max_delay_ms: 4_000, late_share: 0.1, late_bound_ms: 15_000 }));
    // 20 records/s for 60 s, a tenth of them late by more than the 5 s watermark plus a window.
    assert!(late > 30, "only {late} late records were dropped");
}

#[test]
fn out_of_order_readings_within_the_bound_are_not_late() {
    assert_eq!(late_dropped_with(Some(Disorder { out_of_order_share: 0.5, max_delay_ms: 4_000, late_share: 0.0, late_bound_ms: 0 })), 0);
}

/// The same run with the disorder set by SQL, as a note does; returns the late records dropped.
fn late_dropped_with_settings(settings: &[&str]) -> u64 {
    late_dropped_after(|session, t0| {
        for sql in settings {
            session.execute(sql, t0).unwrap();
        }
    })
}

#[test]
fn a_note_makes_the_generator_untidy_with_set_and_tidy_with_reset() {
    let late =
        late_dropped_with_settings(&["SET 'sluice.generator.late-percent' = '10'", "SET 'sluice.generator.out-of-order-percent' = '30%'"]);
    assert!(late > 30, "only {late} late records were dropped");
    assert_eq!(
        late_dropped_with_settings(&["SET 'sluice.generator.out-of-order-percent' = '50'"]),
        0,
        "out of order within the 5 s watermark is not late"
    );
    assert_eq!(late_dropped_with_settings(&["SET 'sluice.generator.late-percent' = '10'", "RESET 'sluice.generator.late-percent'"]), 0);
    assert_eq!(late_dropped_with_settings(&["SET 'sluice.generator.late-percent' = '10'", "RESET"]), 0);
    let err = Session::new().execute("SET 'sluice.generator.late-percent' = '150'", 0).unwrap_err();
    assert!(err.to_string().contains("is not valid: expected a percentage from 0 to 100"), "{err}");
}

#[test]
fn other_settings_leave_the_panels_disorder_alone() {
    let t0 = 1_621_423_200_000;
    let mut session = Session::new();
    session.set_generator_disorder(
        "my-input-stream",
        Disorder { out_of_order_share: 0.0, max_delay_ms: 0, late_share: 0.1, late_bound_ms: 15_000 },
    );
    session.execute("SET 'table.exec.state.ttl' = '1 h'", t0).unwrap();
    session.execute("RESET 'table.exec.state.ttl'", t0).unwrap();
    session.execute(SENSOR_TABLE, t0).unwrap();
    let job = job_of(&session.execute(WINDOWED, t0).unwrap());
    for t in (t0..=t0 + 60_000).step_by(100) {
        session.advance(t);
    }
    assert!(session.job(job).unwrap().late_records_dropped > 30);
}

#[test]
fn disorder_is_set_only_where_a_generator_feeds() {
    let mut session = Session::new();
    assert!(!session.set_generator_disorder("my-output-stream", Disorder::default()));
}

const DATAGEN: &str = "CREATE TABLE orders (id BIGINT, price DOUBLE, qty INT, name STRING, code VARCHAR(4), ts TIMESTAMP(3))
  WITH ('connector' = 'datagen', 'number-of-rows' = '50',
        'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '1000',
        'fields.price.min' = '1', 'fields.price.max' = '2',
        'fields.qty.min' = '5', 'fields.qty.max' = '9', 'fields.qty.null-rate' = '0.5',
        'fields.name.length' = '8', 'fields.ts.max-past' = '5 s')";

fn batch_rows(session: &mut Session, sql: &str) -> Vec<Vec<Value>> {
    match session.execute(&format!("%flink.bsql\n{sql}"), 1_000_000).unwrap().pop() {
        Some(Outcome::Table { rows, .. }) => rows,
        other => panic!("expected rows, got {other:?}"),
    }
}

#[test]
fn datagen_makes_rows_within_their_options() {
    let mut session = Session::empty();
    session.execute(DATAGEN, 1_000_000).unwrap();
    let rows = batch_rows(&mut session, "SELECT * FROM orders");
    assert_eq!(rows.len(), 50, "number-of-rows bounds the table");
    let mut nulls = 0;
    for (i, r) in rows.iter().enumerate() {
        assert_eq!(r[0], Value::Int(i as i64 + 1), "the sequence counts from its start");
        let Value::Double(p) = r[1] else { panic!("price {:?}", r[1]) };
        assert!((1.0..=2.0).contains(&p));
        match &r[2] {
            Value::Null => nulls += 1,
            Value::Int(q) => assert!((5..=9).contains(q)),
            other => panic!("qty {other:?}"),
        }
        let Value::Str(name) = &r[3] else { panic!("name {:?}", r[3]) };
        assert_eq!(name.len(), 8);
        let Value::Str(code) = &r[4] else { panic!("code {:?}", r[4]) };
        assert_eq!(code.len(), 4, "a string is no longer than its type allows");
        let Value::Timestamp(ts) = r[5] else { panic!("ts {:?}", r[5]) };
        assert!((1_000_000 - 5_000..=1_000_000).contains(&ts), "ts {ts} is within max-past of the clock");
    }
    assert!((10..=40).contains(&nulls), "about half the quantities are NULL, got {nulls}");
}

#[test]
fn datagen_repeats_for_a_seed_and_changes_with_it() {
    let run = |seed: Option<u64>| {
        let mut session = Session::empty();
        if let Some(s) = seed {
            session.execute(&format!("SET 'sluice.datagen.seed' = '{s}'"), 0).unwrap();
        }
        session.execute(DATAGEN, 1_000_000).unwrap();
        batch_rows(&mut session, "SELECT * FROM orders")
    };
    assert_eq!(run(None), run(None));
    assert_eq!(run(Some(7)), run(Some(7)));
    assert_ne!(run(None), run(Some(7)));
}

#[test]
fn a_sequence_ends_the_table_when_it_runs_out() {
    let mut session = Session::empty();
    session
        .execute("CREATE TABLE s (n INT, label STRING) WITH ('connector' = 'datagen', 'fields.n.kind' = 'sequence', 'fields.n.start' = '3', 'fields.n.end' = '7', 'fields.label.kind' = 'sequence', 'fields.label.start' = '10', 'fields.label.end' = '99')", 0)
        .unwrap();
    let rows = batch_rows(&mut session, "SELECT n, label FROM s");
    let got: Vec<String> = rows.iter().map(|r| format!("{}/{}", r[0], r[1])).collect();
    assert_eq!(got, ["3/10", "4/11", "5/12", "6/13", "7/14"]);
}

#[test]
fn datagen_streams_at_rows_per_second_on_the_session_clock() {
    let mut session = Session::empty();
    session.execute("CREATE TABLE g (x INT) WITH ('connector' = 'datagen', 'rows-per-second' = '5')", 0).unwrap();
    let job = job_of(&session.execute("SELECT x FROM g", 0).unwrap());
    let mut seen = 0;
    for t in (0..=10_000).step_by(100) {
        session.advance(t);
        seen += session.take_changes(job).len();
    }
    assert_eq!(seen, 51, "one at once, then 5 a second for 10 s");
    assert!(session.job(job).unwrap().running, "without number-of-rows it never ends");
}

#[test]
fn unknown_datagen_options_are_rejected_as_flink_does() {
    let mut session = Session::empty();
    let err = session.execute("CREATE TABLE g (id INT) WITH ('connector' = 'datagen',\n  'fields.nope.kind' = 'random')", 0).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("Unsupported options found for 'datagen'"), "{text}");
    assert!(text.contains("fields.nope.kind"), "{text}");
    assert!(text.contains("fields.id.min"), "the supported options are listed: {text}");
    assert!(err.location.is_some(), "the error points at the statement");
    // A string has no min, as in Flink.
    let err = session.execute("CREATE TABLE g2 (s STRING) WITH ('connector' = 'datagen', 'fields.s.min' = '1')", 0).unwrap_err();
    assert!(err.to_string().contains("fields.s.min"), "{err}");
    let err = session.execute("CREATE TABLE g3 (id INT) WITH ('connector' = 'datagen', 'fields.id.kind' = 'sequence')", 0).unwrap_err();
    assert!(err.to_string().contains("Could not find required property 'fields.id.start' for sequence generator"), "{err}");
    let err = session.execute("CREATE TABLE g4 (id INT) WITH ('connector' = 'datagen', 'fields.id.kind' = 'wat')", 0).unwrap_err();
    assert!(err.to_string().contains("Unsupported generator kind: wat"), "{err}");
    let err = session.execute("CREATE TABLE g5 (s VARCHAR(4)) WITH ('connector' = 'datagen', 'fields.s.length' = '10')", 0).unwrap_err();
    assert!(err.to_string().contains("Custom length '10' for variable-length type"), "{err}");
}

#[test]
fn print_keeps_flink_lines_for_the_page_and_blackhole_takes_everything() {
    let mut session = Session::empty();
    session
        .execute("CREATE TABLE g (id INT, s STRING) WITH ('connector' = 'datagen', 'number-of-rows' = '3', 'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '9', 'fields.s.length' = '2')", 0)
        .unwrap();
    session.execute("CREATE TABLE shown (id INT, s STRING) WITH ('connector' = 'print', 'print-identifier' = 'out')", 0).unwrap();
    session.execute("CREATE TABLE sink (id INT) WITH ('connector' = 'blackhole')", 0).unwrap();
    session.execute("CREATE TABLE counts (n BIGINT) WITH ('connector' = 'print')", 0).unwrap();
    session.execute("INSERT INTO shown SELECT id, s FROM g", 0).unwrap();
    let blackhole = job_of(&session.execute("INSERT INTO sink SELECT id FROM g", 0).unwrap());
    session.execute("INSERT INTO counts SELECT COUNT(*) FROM g", 0).unwrap();
    // Rows come at the default 10,000 a second from the first step on.
    session.advance(0);
    session.advance(1_000);
    let printed = session.take_printed();
    let out: Vec<&String> = printed.iter().filter(|l| l.starts_with("out> ")).collect();
    assert_eq!(out.len(), 3, "{printed:?}");
    assert!(out[0].starts_with("out> +I[1, ") && out[0].ends_with(']'), "{}", out[0]);
    // An updating query prints its changelog, as Flink's print sink does.
    let counts: Vec<&str> = printed.iter().filter(|l| !l.starts_with("out> ")).map(String::as_str).collect();
    assert_eq!(counts.first(), Some(&"+I[1]"), "{counts:?}");
    assert!(counts.contains(&"-U[1]") && counts.last() == Some(&"+U[3]"), "{counts:?}");
    assert!(session.take_printed().is_empty(), "taken lines are gone");
    assert_eq!(session.job(blackhole).unwrap().records_in, 3);
    assert!(session.job(blackhole).unwrap().error.is_none());
}

#[test]
fn sinks_and_sources_are_used_the_right_way_round() {
    let mut session = Session::empty();
    session.execute("CREATE TABLE g (id INT) WITH ('connector' = 'datagen')", 0).unwrap();
    session.execute("CREATE TABLE p (id INT) WITH ('connector' = 'print')", 0).unwrap();
    let err = session.execute("SELECT * FROM p", 0).unwrap_err();
    assert!(err.to_string().contains("can only be used as a sink"), "{err}");
    let err = session.execute("INSERT INTO g SELECT id FROM g", 0).unwrap_err();
    assert!(err.to_string().contains("can only be used as a source"), "{err}");
    let err = session.execute("CREATE TABLE b (id INT) WITH ('connector' = 'blackhole', 'foo' = '1')", 0).unwrap_err();
    assert!(err.to_string().contains("Unsupported options found for 'blackhole'"), "{err}");
}

#[test]
fn sluice_run_prints_a_bounded_datagen_table_at_once_to_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("print.sql");
    std::fs::write(
        &script,
        "CREATE TABLE g (id INT) WITH ('connector' = 'datagen', 'rows-per-second' = '1', 'number-of-rows' = '4',
           'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '9');
         CREATE TABLE p (id INT) WITH ('connector' = 'print');
         INSERT INTO p SELECT id * 10 FROM g;",
    )
    .unwrap();
    let started = std::time::Instant::now();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_sluice")).arg("run").arg(&script).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "+I[10]\n+I[20]\n+I[30]\n+I[40]\n");
    assert!(started.elapsed().as_secs() < 3, "a bounded table is not paced at 1 row/s natively");
}

#[test]
fn a_datagen_table_with_a_watermark_feeds_event_time_windows() {
    let t0 = 1_621_423_200_000;
    let mut session = Session::empty();
    session
        .execute(
            "CREATE TABLE clicks (user_id INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
             WITH ('connector' = 'datagen', 'rows-per-second' = '10', 'fields.user_id.min' = '1', 'fields.user_id.max' = '3',
                   'fields.ts.max-past' = '3 s')",
            t0,
        )
        .unwrap();
    let job = job_of(
        &session
            .execute("SELECT window_start, COUNT(*) AS n FROM TABLE(TUMBLE(TABLE clicks, DESCRIPTOR(ts), INTERVAL '5' SECOND)) GROUP BY window_start, window_end", t0)
            .unwrap(),
    );
    let mut counted = 0;
    for t in (t0..=t0 + 30_000).step_by(100) {
        session.advance(t);
        for c in session.take_changes(job) {
            let Value::Int(n) = c.row[1] else { panic!("{:?}", c.row) };
            counted += n;
        }
    }
    let info = session.job(job).unwrap();
    assert!(info.error.is_none(), "{info:?}");
    // Timestamps up to 3 s in the past behind a 1 s watermark: some rows are late, the rest counted.
    assert!(info.late_records_dropped > 0, "{info:?}");
    assert!(counted > 150, "windows counted {counted} rows");
    assert!(counted as u64 + info.late_records_dropped <= info.records_in, "no row is counted twice: {info:?}");
}

#[test]
fn a_batch_insert_into_print_keeps_its_lines_after_the_job_is_gone() {
    let mut session = Session::empty();
    session
        .execute("CREATE TABLE g (id INT) WITH ('connector' = 'datagen', 'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '2')", 0)
        .unwrap();
    session.execute("CREATE TABLE p (id INT) WITH ('connector' = 'print')", 0).unwrap();
    session.execute("%flink.bsql\nINSERT INTO p SELECT id FROM g", 0).unwrap();
    assert!(session.jobs().is_empty());
    assert_eq!(session.take_printed(), ["+I[1]", "+I[2]"]);
}

#[test]
fn a_random_decimal_fits_its_precision_and_is_positive_as_in_flink() {
    let mut session = Session::empty();
    session.execute("CREATE TABLE d (x DECIMAL(5, 2)) WITH ('connector' = 'datagen', 'number-of-rows' = '200')", 0).unwrap();
    for row in batch_rows(&mut session, "SELECT x FROM d") {
        let Value::Decimal(unscaled, 2) = row[0] else { panic!("{:?}", row[0]) };
        assert!((0..=99_999).contains(&unscaled), "{unscaled}");
    }
}

#[test]
fn datagen_fills_only_the_physical_columns() {
    let mut session = Session::empty();
    session
        .execute(
            "CREATE TABLE d (x INT, doubled AS x * 2, pt AS PROCTIME())
             WITH ('connector' = 'datagen', 'number-of-rows' = '3', 'fields.x.kind' = 'sequence', 'fields.x.start' = '1', 'fields.x.end' = '3')",
            0,
        )
        .unwrap();
    let rows = batch_rows(&mut session, "SELECT x, doubled FROM d");
    assert_eq!(rows, vec![vec![Value::Int(1), Value::Int(2)], vec![Value::Int(2), Value::Int(4)], vec![Value::Int(3), Value::Int(6)]]);
}
