//! Kafka tables read as changelogs: an `upsert-kafka` table normalized per key as Flink's
//! `ChangelogNormalize` does, and the CDC format `debezium-json` on Kafka and file tables.

#[path = "common/changes.rs"]
mod changes;
#[cfg(not(target_arch = "wasm32"))]
mod common;

use sluice::connectors::kafka::ProducerRecord;
use sluice::session::{Outcome, Session};
use sluice::types::{RowKind, Value};

use changes::query_changes;

/// Every change a streaming query emits over a few seconds of the session clock.
fn changes(session: &mut Session, sql: &str) -> Vec<String> {
    query_changes(session, sql)
        .into_iter()
        .map(|(kind, row)| {
            let values: Vec<String> = row.iter().map(Value::to_string).collect();
            format!("{}[{}]", kind.short(), values.join(", "))
        })
        .collect()
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

const DEBEZIUM_TABLE: &str = "CREATE TABLE products (id INT, name STRING, PRIMARY KEY (id) NOT ENFORCED) WITH ('connector' = 'kafka', \
     'topic' = 'dbserver.products', 'properties.bootstrap.servers' = 'h:1', 'scan.startup.mode' = 'earliest-offset', \
     'format' = 'debezium-json')";

fn value(value: &str) -> ProducerRecord {
    ProducerRecord { partition: Some(0), value: Some(value.as_bytes().to_vec()), ..Default::default() }
}

#[test]
fn a_debezium_json_topic_reads_as_a_changelog() {
    let mut session = Session::empty();
    session.execute(DEBEZIUM_TABLE, 0).unwrap();
    for v in [
        r#"{"before":null,"after":{"id":1,"name":"scooter"},"op":"r"}"#,
        r#"{"before":null,"after":{"id":2,"name":"drill"},"op":"c"}"#,
        r#"{"before":{"id":1,"name":"scooter"},"after":{"id":1,"name":"e-scooter"},"op":"u"}"#,
        r#"{"before":{"id":2,"name":"drill"},"after":null,"op":"d"}"#,
    ] {
        session.produce("dbserver.products", value(v)).unwrap();
    }
    // A tombstone (Debezium writes one after a delete) is skipped.
    session.produce("dbserver.products", ProducerRecord { partition: Some(0), ..Default::default() }).unwrap();
    let got = changes(&mut session, "SELECT * FROM products");
    assert_eq!(got, ["+I[1, scooter]", "+I[2, drill]", "-U[1, scooter]", "+U[1, e-scooter]", "-D[2, drill]"]);
    let plan = explain(&mut session, "SELECT * FROM products");
    assert!(plan.contains("changelogMode=[I,UB,UA,D])"), "{plan}");
}

#[test]
fn each_row_of_an_update_keeps_the_records_key_and_metadata() {
    let mut session = Session::empty();
    session
        .execute(
            "CREATE TABLE products (k STRING, id INT, name STRING, off BIGINT METADATA FROM 'offset' VIRTUAL) WITH ('connector' = 'kafka', \
             'topic' = 'p', 'properties.bootstrap.servers' = 'h:1', 'scan.startup.mode' = 'earliest-offset', \
             'key.format' = 'raw', 'key.fields' = 'k', 'value.format' = 'debezium-json', 'value.fields-include' = 'EXCEPT_KEY')",
            0,
        )
        .unwrap();
    session
        .produce(
            "p",
            ProducerRecord {
                partition: Some(0),
                key: Some(b"one".to_vec()),
                value: Some(br#"{"before":{"id":1,"name":"a"},"after":{"id":1,"name":"b"},"op":"u"}"#.to_vec()),
                ..Default::default()
            },
        )
        .unwrap();
    let got = changes(&mut session, "SELECT * FROM products");
    assert_eq!(got, ["-U[one, 1, a, 0]", "+U[one, 1, b, 0]"]);
}

#[test]
fn a_corrupt_debezium_message_stops_the_query_naming_it_unless_errors_are_ignored() {
    let mut session = Session::empty();
    session.execute(DEBEZIUM_TABLE, 0).unwrap();
    session.produce("dbserver.products", value(r#"{"after":{"id":1,"name":"a"},"op":"c"}"#)).unwrap();
    session.produce("dbserver.products", value(r#"{"before":null,"after":{"id":1,"name":"b"},"op":"u"}"#)).unwrap();
    let job = match session.execute("SELECT * FROM products", 0).unwrap().pop() {
        Some(Outcome::Query { job, .. }) => job,
        other => panic!("{other:?}"),
    };
    session.advance(1_000);
    let error = session.job(job).unwrap().error.clone().expect("the job stops");
    assert!(error.contains("offset 1: Corrupt Debezium JSON message"), "{error}");
    assert!(error.contains("REPLICA IDENTITY to FULL"), "{error}");
    session.execute("DROP TABLE products", 0).unwrap();
    session
        .execute(
            &DEBEZIUM_TABLE
                .replace("'format' = 'debezium-json'", "'format' = 'debezium-json', 'debezium-json.ignore-parse-errors' = 'true'"),
            0,
        )
        .unwrap();
    assert_eq!(changes(&mut session, "SELECT * FROM products"), ["+I[1, a]"]);
}

#[test]
fn an_updating_result_is_written_as_debezium_creates_and_deletes() {
    let mut session = Session::empty();
    session
        .execute(
            "CREATE TABLE counts (k STRING, n BIGINT) WITH ('connector' = 'kafka', 'topic' = 'counts', \
             'properties.bootstrap.servers' = 'h:1', 'format' = 'debezium-json')",
            0,
        )
        .unwrap();
    session.execute("INSERT INTO counts SELECT k, COUNT(*) FROM (VALUES ('a'), ('a')) AS v(k) GROUP BY k", 0).unwrap();
    for t in 1..4 {
        session.advance(t * 1_000);
    }
    let topics = session.local_topics();
    let mut got = Vec::new();
    sluice::connectors::kafka::TopicReader::new(topics, "counts", &sluice::connectors::kafka::TopicStart::Earliest).poll(
        topics,
        100,
        &mut |r| got.push(String::from_utf8(r.value.clone().unwrap()).unwrap()),
    );
    assert_eq!(
        got,
        [
            r#"{"before":null,"after":{"k":"a","n":1},"op":"c"}"#,
            r#"{"before":{"k":"a","n":1},"after":null,"op":"d"}"#,
            r#"{"before":null,"after":{"k":"a","n":2},"op":"c"}"#,
        ]
    );
    // Read back, the events are the result's changelog again.
    session
        .execute(
            "CREATE TABLE counts_in (k STRING, n BIGINT) WITH ('connector' = 'kafka', 'topic' = 'counts', \
             'properties.bootstrap.servers' = 'h:1', 'scan.startup.mode' = 'earliest-offset', 'format' = 'debezium-json')",
            0,
        )
        .unwrap();
    assert_eq!(changes(&mut session, "SELECT * FROM counts_in"), ["+I[a, 1]", "-D[a, 1]", "+I[a, 2]"]);
}

#[test]
fn debezium_json_is_checked_as_flink_checks_it() {
    let mut session = Session::empty();
    let key = session
        .execute(
            "CREATE TABLE t (id INT) WITH ('connector' = 'kafka', 'topic' = 'x', 'properties.bootstrap.servers' = 'h:1', \
             'format' = 'json', 'key.format' = 'debezium-json', 'key.fields' = 'id')",
            0,
        )
        .unwrap_err()
        .message;
    assert_eq!(key, "A key format should only deal with INSERT-only records. But debezium-json has a changelog mode of [I,UB,UA,D].");
    let upsert = session
        .execute(
            "CREATE TABLE t (id INT, PRIMARY KEY (id) NOT ENFORCED) WITH ('connector' = 'upsert-kafka', 'topic' = 'x', \
             'properties.bootstrap.servers' = 'h:1', 'key.format' = 'json', 'value.format' = 'debezium-json')",
            0,
        )
        .unwrap_err()
        .message;
    assert_eq!(
        upsert,
        "'upsert-kafka' connector doesn't support 'debezium-json' as value format, because 'debezium-json' is not in insert-only mode."
    );
    let bad = session
        .execute(
            "CREATE TABLE t (id INT) WITH ('connector' = 'kafka', 'topic' = 'x', 'properties.bootstrap.servers' = 'h:1', \
             'format' = 'debezium-json', 'debezium-json.schema-include' = 'maybe')",
            0,
        )
        .unwrap_err()
        .message;
    assert!(bad.contains("'debezium-json.schema-include' = 'maybe' is not a boolean"), "{bad}");
}

/// What Flink 2.3 wrote for `INSERT INTO o SELECT * FROM t`, both `debezium-json` files (checked
/// with PyFlink): an update is written as a delete of its old row and a create of its new one.
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn a_debezium_json_file_is_copied_into_another_as_flink_writes_it() {
    let dir = common::temp_dir("debezium");
    let input = dir.join("in.jsonl");
    std::fs::write(
        &input,
        [
            r#"{"before":null,"after":{"id":1,"name":"a","w":1.5},"op":"c"}"#,
            r#"{"before":null,"after":{"id":2,"name":"b","w":2.5},"op":"r"}"#,
            r#"{"before":{"id":1,"name":"a","w":1.5},"after":{"id":1,"name":"a2","w":3.5},"op":"u"}"#,
            r#"{"before":{"id":2,"name":"b","w":2.5},"after":null,"op":"d"}"#,
            r#"{"before":null,"after":{"id":3,"name":"c","w":4.5},"op":"c","source":{"x":1}}"#,
        ]
        .join("\n"),
    )
    .unwrap();
    let output = dir.join("out.jsonl");
    let script = format!(
        "CREATE TABLE t (id INT, name STRING, w DOUBLE) WITH ('connector'='filesystem', 'path'='{}', 'format'='debezium-json');\n\
         CREATE TABLE o (id INT, name STRING, w DOUBLE) WITH ('connector'='filesystem', 'path'='{}', 'format'='debezium-json');\n\
         INSERT INTO o SELECT * FROM t;\n",
        input.display(),
        output.display()
    );
    let (_, stderr, code) = common::sluice_run_text(&script);
    assert_eq!(code, 0, "{stderr}");
    let written = std::fs::read_to_string(&output).unwrap();
    assert_eq!(
        written.lines().collect::<Vec<_>>(),
        [
            r#"{"before":null,"after":{"id":1,"name":"a","w":1.5},"op":"c"}"#,
            r#"{"before":null,"after":{"id":2,"name":"b","w":2.5},"op":"c"}"#,
            r#"{"before":{"id":1,"name":"a","w":1.5},"after":null,"op":"d"}"#,
            r#"{"before":null,"after":{"id":1,"name":"a2","w":3.5},"op":"c"}"#,
            r#"{"before":{"id":2,"name":"b","w":2.5},"after":null,"op":"d"}"#,
            r#"{"before":null,"after":{"id":3,"name":"c","w":4.5},"op":"c"}"#,
        ]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// An `upsert-kafka` table as the versioned table of an event-time temporal join (Flink's
/// docs: a primary key and a watermark make it one). ChangelogNormalize turns each record
/// into +I/-U/+U per key and a tombstone into a -D of the key's last row, so the deletion
/// carries that row's time: from then on the key has no version.
#[test]
fn an_upsert_kafka_table_is_the_versioned_table_of_a_temporal_join() {
    let mut session = Session::empty();
    // One partition each: no quiet partition holds the watermark back.
    session.local_topics_mut().create("rates", 1);
    session.local_topics_mut().create("orders", 1);
    session
        .execute(
            "CREATE TABLE rates (currency STRING, rate DOUBLE, update_time TIMESTAMP(3), \
               WATERMARK FOR update_time AS update_time - INTERVAL '5' SECOND, PRIMARY KEY (currency) NOT ENFORCED) \
             WITH ('connector' = 'upsert-kafka', 'topic' = 'rates', 'properties.bootstrap.servers' = 'h:1', \
               'key.format' = 'json', 'value.format' = 'json')",
            0,
        )
        .unwrap();
    session
        .execute(
            "CREATE TABLE orders (order_id INT, currency STRING, order_time TIMESTAMP(3), \
               WATERMARK FOR order_time AS order_time - INTERVAL '5' SECOND) \
             WITH ('connector' = 'kafka', 'topic' = 'orders', 'properties.bootstrap.servers' = 'h:1', \
               'scan.startup.mode' = 'earliest-offset', 'format' = 'json')",
            0,
        )
        .unwrap();
    let rate = |currency: &str, rate: Option<f64>, time: &str| {
        let key = format!(r#"{{"currency":"{currency}"}}"#);
        let value = rate.map(|r| format!(r#"{{"currency":"{currency}","rate":{r},"update_time":"2021-05-19 {time}"}}"#));
        record(&key, value.as_deref())
    };
    for r in [
        rate("EUR", Some(1.10), "10:00:00"),
        rate("GBP", Some(1.30), "10:00:05"),
        rate("EUR", Some(1.12), "10:00:20"),
        // A tombstone: GBP's -D carries its last row, time 10:00:05.
        rate("GBP", None, ""),
        rate("EUR", Some(1.15), "10:01:00"),
        rate("GBP", Some(1.28), "10:01:10"),
        rate("CHF", Some(1.05), "10:02:00"),
    ] {
        session.produce("rates", r).unwrap();
    }
    for (id, currency, time) in [
        (1, "EUR", "10:00:02"),
        (2, "GBP", "10:00:04"),
        (3, "EUR", "10:00:25"),
        (4, "GBP", "10:00:35"),
        (5, "EUR", "10:01:05"),
        (6, "GBP", "10:01:15"),
        (7, "CHF", "10:02:10"),
    ] {
        let value = format!(r#"{{"order_id":{id},"currency":"{currency}","order_time":"2021-05-19 {time}"}}"#);
        session.produce("orders", ProducerRecord { partition: Some(0), value: Some(value.into_bytes()), ..Default::default() }).unwrap();
    }
    let got = changes(
        &mut session,
        "SELECT o.order_id, r.rate, r.update_time FROM orders AS o \
         LEFT JOIN rates FOR SYSTEM_TIME AS OF o.order_time AS r ON o.currency = r.currency",
    );
    assert_eq!(
        got,
        // Released as the watermark passes them, key by key in the order their timers fire
        // (so 4 before 3); order 7 waits for a watermark past 10:02:10. Order 4 (GBP at
        // 10:00:35) finds the tombstone's deletion at 10:00:05.
        [
            "+I[1, 1.1, 2021-05-19T10:00:00.000]",
            "+I[2, NULL, NULL]",
            "+I[4, NULL, NULL]",
            "+I[3, 1.12, 2021-05-19T10:00:20.000]",
            "+I[5, 1.15, 2021-05-19T10:01:00.000]",
            "+I[6, 1.28, 2021-05-19T10:01:10.000]",
        ]
    );
}
