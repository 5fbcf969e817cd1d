//! Temporal joins (`JOIN v FOR SYSTEM_TIME AS OF l.t`): what Flink 2.3 refuses when planning,
//! with its messages (PyFlink 2.3.0, the same statements), and the versioned tables it takes.
//! The rows are checked against Flink by the golden cases `tests/flink/temporal_join_*`.
#![cfg(not(target_arch = "wasm32"))]

use sluice::session::{Outcome, Session};

const TABLES: &str = "
CREATE TABLE sensor_data (sensor_id INT, current_temperature DOUBLE, status STRING, event_time TIMESTAMP(3),
  pt AS PROCTIME(), WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND) WITH ('connector'='datagen');
CREATE TABLE keyed (sensor_id INT, status STRING, event_time TIMESTAMP(3), PRIMARY KEY (sensor_id) NOT ENFORCED,
  WATERMARK FOR event_time AS event_time) WITH ('connector'='datagen');
CREATE TABLE unkeyed (sensor_id INT, status STRING, event_time TIMESTAMP(3), WATERMARK FOR event_time AS event_time)
  WITH ('connector'='datagen');
CREATE VIEW latest AS SELECT sensor_id, status, event_time FROM (
  SELECT *, ROW_NUMBER() OVER (PARTITION BY sensor_id ORDER BY event_time DESC) AS rn FROM sensor_data) WHERE rn = 1;
CREATE VIEW fixed AS SELECT * FROM (VALUES (1, 'lab'), (2, 'roof')) AS t(sensor_id, room);
";

fn explain(query: &str) -> Result<String, String> {
    let mut session = Session::empty();
    session.execute(TABLES, 0).unwrap();
    match session.execute(&format!("EXPLAIN {query}"), 0).map_err(|e| e.message)?.pop() {
        Some(Outcome::Text(text)) => Ok(text),
        other => panic!("EXPLAIN gave {other:?}"),
    }
}

#[test]
fn a_keyed_table_or_a_last_row_view_is_a_versioned_table() {
    for versioned in ["keyed", "latest"] {
        let plan = explain(&format!(
            "SELECT o.sensor_id, r.status FROM sensor_data o JOIN {versioned} FOR SYSTEM_TIME AS OF o.event_time AS r ON o.sensor_id = r.sensor_id"
        ))
        .unwrap();
        assert!(plan.contains("TemporalJoin(joinType=[InnerJoin]"), "{plan}");
    }
    let plan = explain(
        "SELECT o.sensor_id, r.status FROM sensor_data o LEFT JOIN latest FOR SYSTEM_TIME AS OF o.event_time AS r ON o.sensor_id = r.sensor_id",
    )
    .unwrap();
    assert!(plan.contains("TemporalJoin(joinType=[LeftOuterJoin]"), "{plan}");
}

#[test]
fn flinks_refusals_of_a_temporal_join() {
    let no_key = "Temporal Table Join requires primary key in versioned table, but no primary key can be found.";
    let cases = [
        ("SELECT o.sensor_id FROM sensor_data o JOIN unkeyed FOR SYSTEM_TIME AS OF o.event_time AS r ON o.sensor_id = r.sensor_id", no_key),
        // The key is the table's, but the ON clause does not equate it.
        ("SELECT o.sensor_id FROM sensor_data o JOIN keyed FOR SYSTEM_TIME AS OF o.event_time AS r ON o.status = r.status", no_key),
        (
            "SELECT o.sensor_id FROM sensor_data o JOIN keyed FOR SYSTEM_TIME AS OF o.event_time AS r ON TRUE",
            "Currently the join key in Temporal Table Join can not be empty.",
        ),
        (
            "SELECT o.sensor_id FROM sensor_data o JOIN keyed FOR SYSTEM_TIME AS OF o.current_temperature AS r ON o.sensor_id = r.sensor_id",
            "The system time period specification expects Timestamp type but is 'DOUBLE'",
        ),
    ];
    for (query, message) in cases {
        assert_eq!(explain(query).unwrap_err(), message, "{query}");
    }
    // A filter between a keyed table and the join would drop versions (Flink 2.3 refuses it);
    // below a deduplication it is fine (the golden cases filter there).
    let filtered = explain(
        "WITH roof AS (SELECT * FROM keyed WHERE status = 'roof')
         SELECT o.sensor_id FROM sensor_data o JOIN roof FOR SYSTEM_TIME AS OF o.event_time AS r ON o.sensor_id = r.sensor_id",
    );
    assert!(filtered.unwrap_err().starts_with("Filter is not allowed for right changelog input of event time temporal join"));
    let full = explain(
        "SELECT o.sensor_id FROM sensor_data o FULL JOIN keyed FOR SYSTEM_TIME AS OF o.event_time AS r ON o.sensor_id = r.sensor_id",
    );
    assert!(full.unwrap_err().contains("only INNER JOIN and LEFT JOIN"));
    let alone = explain("SELECT * FROM keyed FOR SYSTEM_TIME AS OF TIMESTAMP '2021-05-19 11:20:00'");
    assert!(alone.unwrap_err().contains("in a join only"));
    let comma =
        explain("SELECT o.sensor_id FROM sensor_data o, keyed FOR SYSTEM_TIME AS OF o.event_time AS r WHERE o.sensor_id = r.sensor_id");
    assert!(comma.unwrap_err().contains("in a JOIN … ON only"));
}

/// Flink 2.3 runs a processing-time lookup only against a lookup source (JDBC, HBase, …); over
/// a file, a keyed table or VALUES it refuses the join, and so does Sluice.
#[test]
fn a_processing_time_temporal_join_is_refused_as_flink_refuses_it() {
    let no_key = "Temporal Table Join requires primary key in versioned table, but no primary key can be found.";
    let cases = [
        (
            "SELECT o.sensor_id FROM sensor_data o JOIN keyed FOR SYSTEM_TIME AS OF o.pt AS r ON o.sensor_id = r.sensor_id",
            "Processing-time temporal join is not supported yet.",
        ),
        ("SELECT o.sensor_id FROM sensor_data o LEFT JOIN unkeyed FOR SYSTEM_TIME AS OF o.pt AS r ON o.sensor_id = r.sensor_id", no_key),
        ("SELECT o.sensor_id FROM sensor_data o JOIN fixed FOR SYSTEM_TIME AS OF o.pt AS r ON o.sensor_id = r.sensor_id", no_key),
    ];
    for (query, message) in cases {
        assert_eq!(explain(query).unwrap_err(), message, "{query}");
    }
}
