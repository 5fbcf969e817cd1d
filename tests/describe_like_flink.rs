//! `DESCRIBE` prints what Apache Flink 2.3 prints. The expected table below is Flink's own output
//! for the same DDL (PyFlink 2.3.0, `DESCRIBE sensor_data`).
#![cfg(not(target_arch = "wasm32"))]

use sluice::session::{Outcome, Session};

const DDL: &str = "CREATE TABLE sensor_data (sensor_id INTEGER NOT NULL, current_temperature DOUBLE, status VARCHAR(6),
    event_time TIMESTAMP(3), pt AS PROCTIME(), c AS sensor_id + 1, PRIMARY KEY (sensor_id) NOT ENFORCED,
    WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND)
  WITH ('connector'='filesystem', 'path'='/tmp/x.jsonl', 'format'='json')";

/// Flink 2.3's rows: name | type | null | key | extras | watermark.
const FLINK: &str = "
|           sensor_id |                         INT | FALSE | PRI(sensor_id) |                    |                                    |
| current_temperature |                      DOUBLE |  TRUE |                |                    |                                    |
|              status |                  VARCHAR(6) |  TRUE |                |                    |                                    |
|          event_time |      TIMESTAMP(3) *ROWTIME* |  TRUE |                |                    | `event_time` - INTERVAL '5' SECOND |
|                  pt | TIMESTAMP_LTZ(3) *PROCTIME* | FALSE |                |      AS PROCTIME() |                                    |
|                   c |                         INT | FALSE |                | AS `sensor_id` + 1 |                                    |";

#[test]
fn describe_matches_flink() {
    let mut session = Session::empty();
    session.execute(DDL, 0).unwrap();
    let Some(Outcome::Table { columns, rows }) = session.execute("DESCRIBE sensor_data", 0).unwrap().pop() else {
        panic!("DESCRIBE gives a table")
    };
    let names: Vec<&str> = columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["name", "type", "null", "key", "extras", "watermark"]);
    let expected: Vec<Vec<String>> = FLINK
        .lines()
        .filter(|l| l.starts_with('|'))
        .map(|l| l.trim_matches('|').split(" | ").map(|c| c.trim().to_string()).collect())
        .collect();
    let got: Vec<Vec<String>> = rows.iter().map(|r| r.iter().map(ToString::to_string).collect()).collect();
    assert_eq!(got, expected);
}
