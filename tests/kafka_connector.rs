//! The `kafka` and `upsert-kafka` connectors over local topics: Flink 2.3's option checks and
//! messages, key and value formats, metadata columns, and what sinks write.

#[path = "common/changes.rs"]
mod changes;

use changes::query_changes;
use sluice::connectors::kafka::{LocalTopics, ProducerRecord, TopicReader, TopicStart};
use sluice::session::Session;
use sluice::types::{RowKind, Value};

fn create_error(sql: &str) -> String {
    let mut session = Session::empty();
    session.execute(sql, 0).expect_err("the table should be refused").message
}

fn table(columns: &str, options: &str) -> String {
    format!("CREATE TABLE t ({columns}) WITH ('connector' = 'kafka', 'properties.bootstrap.servers' = 'localhost:9092'{options})")
}

#[test]
fn option_errors_are_worded_as_flinks() {
    let topic_and_pattern = create_error(&table("a INT", ", 'topic' = 'x', 'topic-pattern' = 'x.*', 'format' = 'json'"));
    assert_eq!(topic_and_pattern, "Option 'topic' and 'topic-pattern' shouldn't be set together.");
    assert_eq!(create_error(&table("a INT", ", 'format' = 'json'")), "Either 'topic' or 'topic-pattern' must be set.");
    let no_millis = create_error(&table("a INT", ", 'topic' = 'x', 'format' = 'json', 'scan.startup.mode' = 'timestamp'"));
    assert_eq!(no_millis, "'scan.startup.timestamp-millis' is required in 'timestamp' startup mode but missing.");
    let two_topics = create_error(&table(
        "a INT",
        ", 'topic' = 'x;y', 'format' = 'json', 'scan.startup.mode' = 'specific-offsets', 'scan.startup.specific-offsets' = 'partition:0,offset:1'",
    ));
    assert_eq!(two_topics, "Currently Kafka source only supports specific offset for single topic.");
    let bad_offsets = create_error(&table(
        "a INT",
        ", 'topic' = 'x', 'format' = 'json', 'scan.bounded.mode' = 'specific-offsets', 'scan.bounded.specific-offsets' = 'partition:0;offset:1'",
    ));
    assert_eq!(
        bad_offsets,
        "Invalid properties 'scan.bounded.specific-offsets' should follow the format 'partition:0,offset:42;partition:1,offset:300', but is 'partition:0;offset:1'."
    );
    let key_fields_without_format = create_error(&table("a INT", ", 'topic' = 'x', 'format' = 'json', 'key.fields' = 'a'"));
    assert_eq!(key_fields_without_format, "The option 'key.fields' can only be declared if a key format is defined using 'key.format'.");
    let prefix_with_all = create_error(&table(
        "k_a INT, b INT",
        ", 'topic' = 'x', 'value.format' = 'json', 'key.format' = 'json', 'key.fields' = 'k_a', 'key.fields-prefix' = 'k_'",
    ));
    assert!(
        prefix_with_all.starts_with("A key prefix is not allowed when option 'value.fields-include' is set to 'ALL'."),
        "{prefix_with_all}"
    );
    let round_robin_with_key = create_error(&table(
        "a INT",
        ", 'topic' = 'x', 'format' = 'json', 'key.format' = 'json', 'key.fields' = 'a', 'sink.partitioner' = 'round-robin'",
    ));
    assert_eq!(round_robin_with_key, "Currently 'round-robin' partitioner only works when option 'key.fields' is not specified.");
    let unknown = create_error(&table("a INT", ", 'topic' = 'x', 'format' = 'json', 'scan.startup.mod' = 'earliest-offset'"));
    assert!(
        unknown.starts_with("Unsupported options found for 'kafka'.\n\nUnsupported options:\n\nscan.startup.mod\n\nSupported options:"),
        "{unknown}"
    );
    assert!(unknown.contains("\njson.ignore-parse-errors\n"), "the format's options are listed: {unknown}");
    let no_servers = create_error("CREATE TABLE t (a INT) WITH ('connector' = 'kafka', 'topic' = 'x', 'format' = 'json')");
    assert!(no_servers.contains("Missing required options are:\n\nproperties.bootstrap.servers"), "{no_servers}");
    let exactly_once = create_error(&table("a INT", ", 'topic' = 'x', 'format' = 'json', 'sink.delivery-guarantee' = 'exactly-once'"));
    assert_eq!(exactly_once, "sink.transactional-id-prefix must be specified when using DeliveryGuarantee.EXACTLY_ONCE.");
    let primary_key = create_error(&table("a INT, PRIMARY KEY (a) NOT ENFORCED", ", 'topic' = 'x', 'format' = 'json'"));
    assert!(primary_key.starts_with(
        "The Kafka table 'default_catalog.default_database.t' with 'json' format doesn't support defining PRIMARY KEY constraint"
    ));
}

#[test]
fn upsert_kafka_needs_a_primary_key_and_both_formats() {
    let no_key = create_error(
        "CREATE TABLE t (a INT, b INT) WITH ('connector' = 'upsert-kafka', 'topic' = 'x', 'properties.bootstrap.servers' = 'h:1', 'key.format' = 'json', 'value.format' = 'json')",
    );
    assert!(no_key.starts_with("'upsert-kafka' tables require to define a PRIMARY KEY constraint."), "{no_key}");
    let no_formats = create_error(
        "CREATE TABLE t (a INT, b INT, PRIMARY KEY (a) NOT ENFORCED) WITH ('connector' = 'upsert-kafka', 'topic' = 'x', 'properties.bootstrap.servers' = 'h:1')",
    );
    assert!(no_formats.contains("Missing required options are:\n\nkey.format\nvalue.format"), "{no_formats}");
}

#[test]
fn metadata_keys_and_types_are_checked_as_flink_checks_them() {
    let bad_key = create_error(&table("a INT, p INT METADATA FROM 'partitions'", ", 'topic' = 'x', 'format' = 'json'"));
    assert!(
        bad_key.starts_with("Invalid metadata key 'partitions' in column 'p' of table 't'. The DynamicTableSource class 'org.apache.flink.streaming.connectors.kafka.table.KafkaDynamicSource' supports the following metadata keys for reading:\ntopic\npartition\nheaders\nleader-epoch\noffset\ntimestamp\ntimestamp-type"),
        "{bad_key}"
    );
    let bad_type = create_error(&table("a INT, h STRING METADATA FROM 'headers'", ", 'topic' = 'x', 'format' = 'json'"));
    assert_eq!(
        bad_type,
        "Invalid data type for metadata column 'h' of table 't'. The column cannot be declared as 'STRING' because the type must be castable from metadata type 'MAP<STRING, BYTES> NOT NULL'."
    );
}

#[test]
fn key_value_and_metadata_columns_read_from_the_record() {
    let mut session = Session::empty();
    session
        .execute(
            &table(
                "k_id INT, v STRING, part INT METADATA FROM 'partition' VIRTUAL, `offset` BIGINT METADATA VIRTUAL, \
                 ts TIMESTAMP_LTZ(3) METADATA FROM 'timestamp', tp STRING METADATA FROM 'timestamp-type' VIRTUAL, \
                 h MAP<STRING, BYTES> METADATA FROM 'headers', topic STRING METADATA VIRTUAL",
                ", 'topic' = 'in', 'value.format' = 'json', 'key.format' = 'json', 'key.fields' = 'k_id', \
                 'key.fields-prefix' = 'k_', 'value.fields-include' = 'EXCEPT_KEY', 'scan.startup.mode' = 'earliest-offset'",
            ),
            0,
        )
        .unwrap();
    session
        .produce(
            "in",
            ProducerRecord {
                partition: Some(2),
                key: Some(br#"{"id": 7}"#.to_vec()),
                value: Some(br#"{"v": "x"}"#.to_vec()),
                headers: vec![("h1".into(), Some(b"a".to_vec())), ("h2".into(), None)],
                timestamp_ms: Some(1_000),
            },
        )
        .unwrap();
    // A tombstone gives no row on a `kafka` table.
    session.produce("in", ProducerRecord { partition: Some(2), key: Some(br#"{"id": 7}"#.to_vec()), ..Default::default() }).unwrap();
    let got = query_changes(&mut session, "SELECT * FROM t");
    assert_eq!(got.len(), 1, "{got:?}");
    let (kind, row) = &got[0];
    assert_eq!(*kind, RowKind::Insert);
    assert_eq!(row[0], Value::Int(7), "the key field, decoded without its prefix");
    assert_eq!(row[1], Value::Str("x".into()));
    assert_eq!(row[2], Value::Int(2));
    assert_eq!(row[3], Value::Int(0));
    assert_eq!(row[4], Value::Timestamp(1_000));
    assert_eq!(row[5], Value::Str("CreateTime".into()));
    assert_eq!(
        row[6],
        Value::Map(vec![(Value::Str("h1".into()), Value::Bytes(b"a".as_slice().into())), (Value::Str("h2".into()), Value::Null)])
    );
    assert_eq!(row[7], Value::Str("in".into()));
}

#[test]
fn an_insert_writes_key_value_timestamp_and_headers_to_the_topic() {
    let mut session = Session::empty();
    session
        .execute(
            &table(
                "id INT, v STRING, ts TIMESTAMP_LTZ(3) METADATA FROM 'timestamp', `offset` BIGINT METADATA VIRTUAL",
                ", 'topic' = 'out', 'format' = 'json', 'key.format' = 'raw', 'key.fields' = 'v'",
            ),
            0,
        )
        .unwrap();
    session.execute("SET 'sluice.datagen.seed' = '1'", 0).unwrap();
    session
        .execute("INSERT INTO t SELECT id, v, TO_TIMESTAMP_LTZ(id * 1000, 3) FROM (VALUES (1, 'foobar'), (2, '21')) AS x(id, v)", 0)
        .unwrap();
    for t in 1..5 {
        session.advance(t * 1_000);
    }
    let topics: &LocalTopics = session.local_topics();
    let mut got = Vec::new();
    TopicReader::new(topics, "out", &TopicStart::Earliest).poll(topics, 10, &mut |r| {
        got.push((r.partition, r.key.clone(), r.value.clone(), r.timestamp_ms));
    });
    got.sort();
    // The raw key's murmur2 picks the partition: "21" → 0 and "foobar" → 2 of 4.
    assert_eq!(
        got,
        [
            (0, Some(b"21".to_vec()), Some(br#"{"id":2,"v":"21"}"#.to_vec()), 2_000),
            (2, Some(b"foobar".to_vec()), Some(br#"{"id":1,"v":"foobar"}"#.to_vec()), 1_000),
        ]
    );
}

#[test]
fn a_sink_cannot_write_read_only_metadata() {
    let mut session = Session::empty();
    session.execute(&table("id INT, `offset` BIGINT METADATA", ", 'topic' = 'out', 'format' = 'json'"), 0).unwrap();
    let error = session.execute("INSERT INTO t SELECT 1, CAST(2 AS BIGINT)", 0).unwrap_err().message;
    assert!(
        error.starts_with("Invalid metadata key 'offset' in column 'offset' of table 't'. The DynamicTableSink class 'org.apache.flink.streaming.connectors.kafka.table.KafkaDynamicSink' supports the following metadata keys for writing:\nheaders\ntimestamp"),
        "{error}"
    );
}

#[test]
fn the_generator_feeds_a_topic_keyed_by_sensor_and_the_streams_panel_lists_it() {
    let mut session = Session::empty();
    session.attach_topic_generator("readings", 1, 100.0);
    session.advance(1_000);
    session.advance(3_000);
    let info = session.streams().into_iter().find(|s| s.name == "readings").expect("the topic is listed");
    assert!(info.kafka_topic && !info.kafka_mirror);
    assert_eq!(info.shards, 4, "a local topic has four partitions unless created otherwise");
    assert!(info.records >= 150, "{info:?}");
    assert!(info.generator.is_some_and(|g| g.running));
    let topics = session.local_topics();
    let mut used = [0; 4];
    TopicReader::new(topics, "readings", &TopicStart::Earliest).poll(topics, 1_000, &mut |r| {
        let key = r.key.as_deref().expect("keyed by sensor id");
        assert_eq!(r.partition, sluice::connectors::kafka::partition_for_key(key, 4), "Kafka's partitioner placed it");
        used[r.partition as usize] += 1;
    });
    assert!(used.iter().all(|&n| n > 0), "sensors spread over the partitions: {used:?}");
}

#[test]
fn an_upsert_kafka_sink_writes_updates_by_key_and_deletes_as_tombstones() {
    let mut session = Session::empty();
    session
        .execute(
            "CREATE TABLE per_count (cnt BIGINT, keys BIGINT, PRIMARY KEY (cnt) NOT ENFORCED) WITH ('connector' = 'upsert-kafka', \
             'topic' = 'out', 'properties.bootstrap.servers' = 'h:1', 'key.format' = 'json', 'value.format' = 'json')",
            0,
        )
        .unwrap();
    // Key `a` is counted once, then twice: the group for count 1 empties and is deleted.
    session
        .execute(
            "INSERT INTO per_count SELECT cnt, COUNT(*) FROM (SELECT k, COUNT(*) AS cnt FROM (VALUES ('a'), ('a')) AS v(k) GROUP BY k) GROUP BY cnt",
            0,
        )
        .unwrap();
    for t in 1..5 {
        session.advance(t * 1_000);
    }
    let topics = session.local_topics();
    let mut got = Vec::new();
    TopicReader::new(topics, "out", &TopicStart::Earliest).poll(topics, 100, &mut |r| {
        got.push((r.offset, String::from_utf8(r.key.clone().unwrap()).unwrap(), r.value.clone().map(|v| String::from_utf8(v).unwrap())));
    });
    got.sort();
    let deleted: Vec<_> = got.iter().filter(|(_, _, v)| v.is_none()).map(|(_, k, _)| k.clone()).collect();
    assert_eq!(deleted, [r#"{"cnt":1}"#], "{got:?}");
    let last = got.iter().rev().find(|(_, k, _)| k == r#"{"cnt":2}"#).and_then(|(_, _, v)| v.clone());
    assert_eq!(last.as_deref(), Some(r#"{"cnt":2,"keys":1}"#), "{got:?}");
    // Read back, the topic is the table's final rows: count 1 was deleted.
    let read = query_changes(&mut session, "SELECT * FROM per_count");
    let mut live: Vec<Vec<Value>> = Vec::new();
    for (kind, row) in read {
        match kind {
            RowKind::Insert | RowKind::UpdateAfter => live.push(row),
            _ => live.retain(|r| *r != row),
        }
    }
    assert_eq!(live, [vec![Value::Int(2), Value::Int(1)]]);
}

#[test]
fn avro_keys_and_values_are_written_as_avro_binary_and_read_back() {
    let mut session = Session::empty();
    session
        .execute(
            &table(
                "id BIGINT NOT NULL, name STRING, temp DOUBLE, ts TIMESTAMP(3)",
                ", 'topic' = 'av', 'scan.startup.mode' = 'earliest-offset', 'key.format' = 'avro', 'key.fields' = 'id', \
                 'value.format' = 'avro', 'value.fields-include' = 'EXCEPT_KEY'",
            ),
            0,
        )
        .unwrap();
    session
        .execute("INSERT INTO t SELECT id, name, temp, TIMESTAMP '2021-05-19 11:20:00.978' FROM (VALUES (CAST(7 AS BIGINT), 'a', 1.5), (CAST(-1 AS BIGINT), CAST(NULL AS STRING), CAST(NULL AS DOUBLE))) AS v(id, name, temp)", 0)
        .unwrap();
    for t in 1..4 {
        session.advance(t * 1_000);
    }
    let topics = session.local_topics();
    let mut records = Vec::new();
    TopicReader::new(topics, "av", &TopicStart::Earliest)
        .poll(topics, 10, &mut |r| records.push((r.key.clone().unwrap(), r.value.clone().unwrap())));
    records.sort();
    // The key: a NOT NULL long, zig-zag 7 = 14; the value: name as union 1 + string, temp as
    // union 1 + 8 bytes, ts as union 1 + long millis.
    let (key, value) = records.iter().find(|(k, _)| k == &[14]).expect("the record of id 7");
    assert_eq!(key, &[14]);
    assert_eq!(&value[..3], &[2, 2, b'a']);
    assert_eq!(&value[3..12], &[2, 0, 0, 0, 0, 0, 0, 0xf8, 0x3f]);
    assert_eq!(value.len(), 12 + 1 + 6, "{value:?}");
    let got = query_changes(&mut session, "SELECT * FROM t");
    let mut rows: Vec<Vec<Value>> = got.into_iter().map(|(_, r)| r).collect();
    rows.sort_by_key(|r| r[0].to_string());
    assert_eq!(rows[0], vec![Value::Int(-1), Value::Null, Value::Null, Value::Timestamp(1_621_423_200_978)]);
    assert_eq!(rows[1], vec![Value::Int(7), Value::Str("a".into()), Value::Double(1.5), Value::Timestamp(1_621_423_200_978)]);
    let confluent = create_error(&table("a INT", ", 'topic' = 'x', 'format' = 'avro-confluent'"));
    assert!(confluent.starts_with("format 'avro-confluent' needs a Confluent Schema Registry"), "{confluent}");
    let nested = session.execute(&table("a ARRAY<INT>", ", 'topic' = 'y', 'format' = 'avro'").replace("TABLE t", "TABLE n"), 0);
    let nested = nested.and_then(|_| session.execute("SELECT * FROM n", 0)).err().map(|e| e.message).unwrap_or_default();
    assert!(nested.contains("scalar types only"), "{nested}");
}
