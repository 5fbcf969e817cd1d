//! `PRIMARY KEY (…) NOT ENFORCED` in CREATE TABLE and what a key means for an `INSERT`, with
//! the messages Apache Flink 2.3 gives (PyFlink 2.3.0, the same statements).
#![cfg(not(target_arch = "wasm32"))]

use sluice::session::{Outcome, Session};
use sluice::sql::SqlError;

fn create(ddl: &str) -> Result<Session, SqlError> {
    let mut session = Session::empty();
    session.execute(ddl, 0)?;
    Ok(session)
}

fn refused(ddl: &str) -> SqlError {
    match create(ddl) {
        Ok(_) => panic!("accepted: {ddl}"),
        Err(e) => e,
    }
}

#[test]
fn a_key_without_not_enforced_is_refused_as_flink_refuses_it() {
    for ddl in [
        "CREATE TABLE t (id INT, v STRING, PRIMARY KEY (id) ENFORCED) WITH ('connector'='blackhole')",
        "CREATE TABLE t (id INT, v STRING, PRIMARY KEY (id)) WITH ('connector'='blackhole')",
        "CREATE TABLE t (id INT PRIMARY KEY, v STRING) WITH ('connector'='blackhole')",
    ] {
        let e = refused(ddl);
        assert!(e.message.starts_with("Flink doesn't support ENFORCED mode for PRIMARY KEY constraint."), "{ddl}: {e}");
        assert!(e.location.is_some(), "{ddl}: {e}");
    }
}

#[test]
fn a_key_must_name_physical_columns_once() {
    let e = refused("CREATE TABLE a3 (id INT, v STRING, PRIMARY KEY (nope) NOT ENFORCED) WITH ('connector'='blackhole')");
    assert_eq!(e.message, "Primary key column 'nope' is not defined in the schema");
    assert_eq!(e.location.map(|l| (l.line, l.column)), Some((1, 49)), "Flink's position too");
    let e = refused("CREATE TABLE t (id INT, v AS id + 1, PRIMARY KEY (v) NOT ENFORCED) WITH ('connector'='blackhole')");
    assert_eq!(
        e.message,
        "Could not create a PRIMARY KEY with column 'v'.\nA PRIMARY KEY constraint must be declared on physical columns."
    );
    let e = refused("CREATE TABLE t (id INT, v STRING METADATA, PRIMARY KEY (v) NOT ENFORCED) WITH ('connector'='blackhole')");
    assert!(e.message.starts_with("Could not create a PRIMARY KEY with column 'v'."), "{e}");
    let e = refused("CREATE TABLE t (id INT, v STRING, PRIMARY KEY (id, id) NOT ENFORCED) WITH ('connector'='blackhole')");
    assert_eq!(e.message, "Invalid primary key 'PK_id_id'. A primary key must not contain duplicate columns. Found: [id]");
    let e =
        refused("CREATE TABLE t (id INT PRIMARY KEY NOT ENFORCED, v STRING, PRIMARY KEY (v) NOT ENFORCED) WITH ('connector'='blackhole')");
    assert_eq!(e.message, "Duplicate primary key definition");
}

const TABLES: &str = "
CREATE TABLE src (status STRING, id INT) WITH ('connector'='datagen', 'number-of-rows'='5');
CREATE TABLE file_sink (status STRING, n BIGINT) WITH ('connector'='filesystem', 'path'='/tmp/sluice-pk-test-never-written', 'format'='json');
CREATE TABLE stream_sink (status STRING, n BIGINT, PRIMARY KEY (status) NOT ENFORCED)
  WITH ('connector'='kinesis', 'stream'='pk_test', 'format'='json');
CREATE TABLE keyed_print (status STRING, n BIGINT, PRIMARY KEY (status) NOT ENFORCED) WITH ('connector'='print');
CREATE TABLE count_keyed (status STRING, n BIGINT, PRIMARY KEY (n) NOT ENFORCED) WITH ('connector'='print');
CREATE TABLE only_count (n BIGINT, PRIMARY KEY (n) NOT ENFORCED) WITH ('connector'='print');
CREATE TABLE wide (status STRING, id INT, n BIGINT, PRIMARY KEY (status) NOT ENFORCED) WITH ('connector'='print');
CREATE TABLE keyed_blackhole (status STRING, n BIGINT, PRIMARY KEY (status) NOT ENFORCED) WITH ('connector'='blackhole');
";

fn session() -> Session {
    let mut session = Session::empty();
    session.execute(TABLES, 0).unwrap();
    session
}

fn explain(session: &mut Session, insert: &str) -> Result<String, SqlError> {
    match session.execute(&format!("EXPLAIN CHANGELOG_MODE {insert}"), 0)?.pop() {
        Some(Outcome::Text(text)) => Ok(text),
        _ => panic!("EXPLAIN gives text"),
    }
}

#[test]
fn an_updating_result_into_an_insert_only_sink_is_refused_when_planned() {
    let mut s = session();
    for sink in ["file_sink", "stream_sink"] {
        let insert = format!("INSERT INTO {sink} SELECT status, COUNT(*) FROM src GROUP BY status");
        let e = s.execute(&insert, 0).unwrap_err();
        // Flink 2.3: "Table sink 'default_catalog.default_database.snk' doesn't support consuming
        // update changes which is produced by node GroupAggregate(groupBy=[status], select=[…])".
        let expected = format!(
            "Table sink 'default_catalog.default_database.{sink}' doesn't support consuming update changes which is produced by node GroupAggregate(groupBy=[status]"
        );
        assert!(e.message.starts_with(&expected), "{e}");
        assert!(explain(&mut s, &insert).unwrap_err().message.starts_with(&expected));
    }
    // A join over an updating input is named itself, as Flink names it.
    let e = s
        .execute(
            "INSERT INTO file_sink SELECT a.status, b.n FROM src a JOIN (SELECT status, COUNT(*) AS n FROM src GROUP BY status) b ON a.status = b.status",
            0,
        )
        .unwrap_err();
    assert!(e.message.contains("doesn't support consuming update changes which is produced by node Join("), "{e}");
    // Inserts alone are fine.
    s.execute("INSERT INTO stream_sink SELECT status, CAST(id AS BIGINT) FROM src", 0).unwrap();
}

#[test]
fn a_keyed_sink_needs_the_results_upsert_key_within_its_primary_key_and_reads_what_its_connector_asks() {
    let mut s = session();
    let message = |e: SqlError| e.message;
    let e = message(s.execute("INSERT INTO count_keyed SELECT status, COUNT(*) FROM src GROUP BY status", 0).unwrap_err());
    assert!(
        e.starts_with(
            "The query has an upsert key that differs from the primary key of the sink table 'default_catalog.default_database.count_keyed'. Primary key: [n], upsert key: [status]. "
        ),
        "{e}"
    );
    let e = message(s.execute("INSERT INTO only_count SELECT COUNT(*) FROM src GROUP BY status", 0).unwrap_err());
    assert!(e.contains("Primary key: [n], upsert key: . This can lead"), "{e}");
    let e = message(s.execute("INSERT INTO wide SELECT status, id, COUNT(*) FROM src GROUP BY status, id", 0).unwrap_err());
    assert!(e.contains("Primary key: [status], upsert key: [status, id]."), "{e}");
    // An insert-only result has no upsert key to compare.
    s.execute("INSERT INTO keyed_print SELECT status, CAST(id AS BIGINT) FROM src", 0).unwrap();
    // Keyed by what the result is keyed by, a sink reads what its connector asks for. Flink 2.3: `print` asks for every kind, keyed or not; `blackhole` drops `-U` rows.
    let print = explain(&mut s, "INSERT INTO keyed_print SELECT status, COUNT(*) FROM src GROUP BY status").unwrap();
    assert!(print.contains("GroupAggregate(groupBy=[status], select=[COUNT(*)], changelogMode=[I,UB,UA])"), "{print}");
    let blackhole = explain(&mut s, "INSERT INTO keyed_blackhole SELECT status, COUNT(*) FROM src GROUP BY status").unwrap();
    assert!(blackhole.contains("changelogMode=[I,UA])"), "{blackhole}");
    s.execute("INSERT INTO keyed_print SELECT status, COUNT(*) FROM src GROUP BY status", 0).unwrap();
}

#[test]
fn a_batch_result_goes_into_an_insert_only_sink() {
    let mut s = session();
    s.execute("SET 'execution.runtime-mode' = 'batch'", 0).unwrap();
    s.execute("INSERT INTO stream_sink SELECT status, COUNT(*) FROM src GROUP BY status", 0).unwrap();
}

/// Flink 2.3's `ON CONFLICT` rules (checked with PyFlink's EXPLAIN): DO DEDUPLICATE puts Flink's
/// `SinkUpsertMaterializer` in front of a sink keyed otherwise than the result, reading `-U`
/// rows even into a `blackhole`; a key within the result's needs none; the clause is refused for
/// an insert-only result; `table.exec.sink.upsert-materialize` and
/// `table.exec.sink.require-on-conflict` switch it as they do in Flink.
#[test]
fn on_conflict_do_deduplicate_materializes_a_sink_keyed_otherwise_than_the_result() {
    let mut s = session();
    s.execute(
        "CREATE TABLE wide_blackhole (status STRING, id INT, n BIGINT, PRIMARY KEY (status) NOT ENFORCED) WITH ('connector'='blackhole')",
        0,
    )
    .unwrap();
    let grouped = "SELECT status, id, COUNT(*) FROM src GROUP BY status, id";
    let plan = explain(&mut s, &format!("INSERT INTO wide {grouped} ON CONFLICT DO DEDUPLICATE")).unwrap();
    assert!(plan.starts_with("== Optimized Physical Plan ==\nSink(table=[wide], fields=[status, id, n], upsertMaterialize=[true], conflictStrategy=[DEDUPLICATE], changelogMode=[NONE])"), "{plan}");
    let plan = explain(&mut s, &format!("INSERT INTO wide_blackhole {grouped} ON CONFLICT DO DEDUPLICATE")).unwrap();
    assert!(plan.contains("upsertMaterialize=[true]") && plan.contains("changelogMode=[I,UB,UA])"), "{plan}");
    // The result's key is the sink's: nothing to materialize, the clause is shown.
    let plan =
        explain(&mut s, "INSERT INTO keyed_print SELECT status, COUNT(*) FROM src GROUP BY status ON CONFLICT DO DEDUPLICATE").unwrap();
    assert!(plan.contains("fields=[status, n], conflictStrategy=[DEDUPLICATE], changelogMode=[NONE])"), "{plan}");
    s.execute(&format!("INSERT INTO wide {grouped} ON CONFLICT DO DEDUPLICATE"), 0).unwrap();

    let e = s.execute("INSERT INTO wide SELECT status, id, CAST(1 AS BIGINT) FROM src ON CONFLICT DO DEDUPLICATE", 0).unwrap_err();
    assert_eq!(
        e.message,
        "ON CONFLICT clause is only allowed for upsert sinks. The sink 'default_catalog.default_database.wide' is not an upsert sink because it only accepts INSERT (append-only) changes."
    );

    s.execute("SET 'table.exec.sink.require-on-conflict' = 'false'", 0).unwrap();
    let plan = explain(&mut s, &format!("INSERT INTO wide {grouped}")).unwrap();
    assert!(plan.contains("fields=[status, id, n], upsertMaterialize=[true], changelogMode=[NONE])"), "{plan}");
    s.execute("SET 'table.exec.sink.require-on-conflict' = 'true'", 0).unwrap();
    s.execute("SET 'table.exec.sink.upsert-materialize' = 'NONE'", 0).unwrap();
    let plan = explain(&mut s, &format!("INSERT INTO wide {grouped}")).unwrap();
    assert!(plan.contains("fields=[status, id, n], changelogMode=[NONE])"), "{plan}");
    s.execute("SET 'table.exec.sink.upsert-materialize' = 'FORCE'", 0).unwrap();
    let plan = explain(&mut s, "INSERT INTO keyed_print SELECT status, COUNT(*) FROM src GROUP BY status").unwrap();
    assert!(plan.contains("fields=[status, n], upsertMaterialize=[true], changelogMode=[NONE])"), "{plan}");
    s.execute("SET 'table.exec.sink.upsert-materialize' = 'SOMETIMES'", 0).unwrap();
    let e = s.execute("INSERT INTO keyed_print SELECT status, COUNT(*) FROM src GROUP BY status", 0).unwrap_err();
    assert!(e.message.contains("is not one of NONE, AUTO, FORCE"), "{e}");
}

#[test]
fn on_conflict_do_nothing_and_do_error_need_watermarks() {
    let mut s = session();
    let grouped = "SELECT status, id, COUNT(*) FROM src GROUP BY status, id";
    for strategy in ["NOTHING", "ERROR"] {
        let e = s.execute(&format!("INSERT INTO wide {grouped} ON CONFLICT DO {strategy}"), 0).unwrap_err();
        assert_eq!(
            e.message,
            format!(
                "ON CONFLICT DO {strategy} requires all source tables to define watermarks, but the following source(s) do not: default_catalog.default_database.src. Please add a WATERMARK declaration to these tables."
            )
        );
    }
    s.execute("CREATE TABLE timed (status STRING, id INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts) WITH ('connector'='datagen')", 0)
        .unwrap();
    let plan =
        explain(&mut s, "INSERT INTO wide SELECT status, id, COUNT(*) FROM timed GROUP BY status, id ON CONFLICT DO NOTHING").unwrap();
    assert!(plan.contains("upsertMaterialize=[true], conflictStrategy=[NOTHING]"), "{plan}");
    // PostgreSQL's forms are not Flink's.
    let e = s.execute(&format!("INSERT INTO wide {grouped} ON CONFLICT DO UPDATE SET n = 1"), 0).unwrap_err();
    assert!(e.message.contains("DO DEDUPLICATE, DO NOTHING or DO ERROR"), "{e}");
}

/// `ON CONFLICT DO ERROR` (Flink's `WatermarkCompactingSinkMaterializer`): rows wait for the
/// watermark; once it passes them, a primary key holding two distinct rows fails the job,
/// naming the key. `DO NOTHING` keeps the first row instead.
#[test]
fn on_conflict_do_error_fails_the_job_naming_the_conflicting_key() {
    let run = |strategy: &str| {
        let mut s = session();
        s.execute(
            "CREATE TABLE r (status STRING, id INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts)
             WITH ('connector' = 'kinesis', 'stream' = 'r', 'format' = 'json', 'json.timestamp-format.standard' = 'ISO-8601')",
            0,
        )
        .unwrap();
        let outcome = s
            .execute(&format!("INSERT INTO wide SELECT status, id, COUNT(*) FROM r GROUP BY status, id ON CONFLICT DO {strategy}"), 0)
            .unwrap()
            .pop();
        let Some(Outcome::Insert { job, .. }) = outcome else { panic!("{outcome:?}") };
        let put = |s: &mut Session, id: i64, second: i64| {
            let record = format!("{{\"status\": \"OK\", \"id\": {id}, \"ts\": \"2021-05-19T11:20:{second:02}\"}}");
            s.put_record("r", "k", record.into_bytes()).unwrap();
            s.advance(second * 1000);
        };
        put(&mut s, 1, 1);
        // Sensor 1's row waits for the watermark to pass 11:20:01; the next record moves it.
        put(&mut s, 1, 2);
        put(&mut s, 2, 3);
        put(&mut s, 2, 4);
        (s.job(job).unwrap(), s.take_printed())
    };
    let (job, printed) = run("ERROR");
    assert_eq!(printed, ["+I[OK, 1, 1]", "+U[OK, 1, 2]"]);
    let error = job.error.expect("the job failed");
    assert!(
        error.contains(
            "Primary key constraint violation: multiple distinct records with the same primary key detected. Conflicting key: [status=OK]. Use ON CONFLICT DO NOTHING to keep the first record."
        ),
        "{error}"
    );
    let (job, printed) = run("NOTHING");
    assert!(job.error.is_none());
    assert_eq!(printed, ["+I[OK, 1, 1]", "+U[OK, 1, 2]"]);
}
