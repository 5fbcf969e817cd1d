//! Kafka tables read as changelogs: an `upsert-kafka` table normalized per key as Flink's
//! `ChangelogNormalize` does, and the CDC format `debezium-json` on Kafka and file tables.

use sluice::connectors::kafka::ProducerRecord;
use sluice::session::{Outcome, Session};
use sluice::types::{RowKind, Value};

/// Every change a streaming query emits over a few seconds of the session clock.
fn changes(session: &mut Session, sql: &str) -> Vec<String> {
    let job = match session.execute(sql, 0).unwrap().pop() {
        Some(Outcome::Query { job, .. }) => job,
        other => panic!("expected a streaming query, got {other:?}"),
    };
    let mut out = Vec::new();
    for t in 1..5 {
        session.advance(t * 1_000);
        for c in session.take_changes(job) {
            let values: Vec<String> = c.row.iter().map(Value::to_string).collect();
            out.push(format!("{}[{}]", c.kind.short(), values.join(", ")));
        }
    }
    assert_eq!(session.job(job).unwrap().error, None);
    out
}

fn explain(session: &mut Session, sql: &str) -> String {
    match session.execute(&format!("EXPLAIN CHANGELOG_MODE {sql}"), 0).unwrap().pop() {
        Some(Outcome::Text(text)) => text,
        other => panic!("EXPLAIN gave {other:?}"),
    }
}

fn record(key: &str, value: Option<&str>) -> ProducerRecord {
    ProducerRecord {
        partition: Some(0),
        key: Some(key.as_bytes().to_vec()),
        value: value.map(|v| v.as_bytes().to_vec()),
        ..Default::default()
    }
}

const UPSERT_TABLE: &str = "CREATE TABLE latest (id INT, v STRING, PRIMARY KEY (id) NOT ENFORCED) WITH ('connector' = 'upsert-kafka', \
     'topic' = 'latest', 'properties.bootstrap.servers' = 'h:1', 'key.format' = 'json', 'value.format' = 'json')";

#[test]
fn an_upsert_kafka_table_reads_as_a_changelog_normalized_per_key() {
    let mut session = Session::empty();
    session.execute(UPSERT_TABLE, 0).unwrap();
    for (key, value) in [
        (r#"{"id":1}"#, Some(r#"{"id":1,"v":"a"}"#)),
        // The same value again: ChangelogNormalize drops it.
        (r#"{"id":1}"#, Some(r#"{"id":1,"v":"a"}"#)),
        (r#"{"id":2}"#, Some(r#"{"id":2,"v":"x"}"#)),
        (r#"{"id":1}"#, Some(r#"{"id":1,"v":"b"}"#)),
        // A tombstone deletes the key's last row, whole; one for a key without a row is nothing.
        (r#"{"id":2}"#, None),
        (r#"{"id":9}"#, None),
        (r#"{"id":2}"#, Some(r#"{"id":2,"v":"y"}"#)),
    ] {
        session.produce("latest", record(key, value)).unwrap();
    }
    let got = changes(&mut session, "SELECT * FROM latest");
    assert_eq!(got, ["+I[1, a]", "+I[2, x]", "-U[1, a]", "+U[1, b]", "-D[2, x]", "+I[2, y]"]);
    // An aggregate over it retracts as the keys change.
    let counts = changes(&mut session, "SELECT v, COUNT(*) AS n FROM latest GROUP BY v");
    assert_eq!(counts.last().map(String::as_str), Some("+I[y, 1]"), "{counts:?}");
    let plan = explain(&mut session, "SELECT * FROM latest");
    assert!(plan.contains("ChangelogNormalize(key=[id], changelogMode=[I,UA,D])"), "{plan}");
    assert!(plan.contains("changelogMode=[UA,D])"), "the scan is an upsert source: {plan}");
}

#[test]
fn an_upsert_kafka_table_written_by_one_query_is_read_back_by_another() {
    let mut session = Session::empty();
    session.execute(UPSERT_TABLE, 0).unwrap();
    session.execute("INSERT INTO latest SELECT id, v FROM (VALUES (1, 'a'), (2, 'b'), (1, 'c')) AS t(id, v)", 0).unwrap();
    for t in 1..4 {
        session.advance(t * 1_000);
    }
    let got = changes(&mut session, "SELECT * FROM latest");
    assert_eq!(got, ["+I[1, a]", "+I[2, b]", "-U[1, a]", "+U[1, c]"]);
}

#[test]
fn a_window_over_an_upsert_table_is_refused_as_flink_refuses_it() {
    let mut session = Session::empty();
    session
        .execute(
            "CREATE TABLE latest (id INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts, PRIMARY KEY (id) NOT ENFORCED) WITH ('connector' = 'upsert-kafka', \
             'topic' = 'latest', 'properties.bootstrap.servers' = 'h:1', 'key.format' = 'json', 'value.format' = 'json')",
            0,
        )
        .unwrap();
    let err = session
        .execute("SELECT window_start, COUNT(*) FROM TABLE(TUMBLE(TABLE latest, DESCRIPTOR(ts), INTERVAL '1' MINUTE)) GROUP BY window_start, window_end", 0)
        .unwrap_err();
    assert!(err.message.contains("cannot consume an updating result"), "{}", err.message);
}

#[test]
fn upsert_rows_keep_their_kind_through_the_session() {
    // The changes the page shows carry Flink's kinds.
    let mut session = Session::empty();
    session.execute(UPSERT_TABLE, 0).unwrap();
    session.produce("latest", record(r#"{"id":1}"#, Some(r#"{"id":1,"v":"a"}"#))).unwrap();
    session.produce("latest", record(r#"{"id":1}"#, None)).unwrap();
    let job = match session.execute("SELECT * FROM latest", 0).unwrap().pop() {
        Some(Outcome::Query { job, .. }) => job,
        other => panic!("{other:?}"),
    };
    session.advance(1_000);
    let kinds: Vec<RowKind> = session.take_changes(job).into_iter().map(|c| c.kind).collect();
    assert_eq!(kinds, [RowKind::Insert, RowKind::Delete]);
}
