//! CREATE TABLE from a sample (issue 18, item 4): the proposed statement runs as it is and the
//! table reads back the very records it was inferred from — a stream fed by the generator, JSON
//! lines with nested values, CSV with a header, and epoch milliseconds.
#![cfg(not(target_arch = "wasm32"))]

use sluice::connectors::Disorder;
use sluice::session::{Outcome, Session};
use sluice::types::Value;
use sluice::views::sample;

fn batch(session: &mut Session, sql: &str) -> Vec<Vec<Value>> {
    match session.execute(&format!("%flink.bsql\n{sql}"), 0).unwrap_or_else(|e| panic!("{sql}: {e}")).pop() {
        Some(Outcome::Table { rows, .. }) => rows,
        other => panic!("expected rows, got {other:?}"),
    }
}

fn shown(rows: &[Vec<Value>]) -> Vec<String> {
    rows.iter().map(|r| r.iter().map(|v| v.to_string()).collect::<Vec<_>>().join("|")).collect()
}

#[test]
fn a_generated_stream_becomes_a_table_with_a_watermark_from_its_disorder() {
    let mut session = Session::empty();
    let start = 1_621_423_200_000;
    session.set_now(start);
    session.attach_generator("readings", 7, 20.0);
    // 30 % of readings up to 3 s out of order, none late.
    session.set_generator_disorder(
        "readings",
        Disorder { out_of_order_share: 0.3, max_delay_ms: 3_000, late_share: 0.0, late_bound_ms: 10_000 },
    );
    for t in (start..=start + 30_000).step_by(100) {
        session.advance(t);
    }
    let proposal = sample::from_stream(&session, "readings").unwrap();
    assert_eq!(
        proposal.columns,
        [("sensor_id", "BIGINT"), ("current_temperature", "DOUBLE"), ("status", "STRING"), ("event_time", "TIMESTAMP(3)")]
            .map(|(n, t)| (n.to_string(), t.to_string()))
    );
    assert_eq!(proposal.event_time.as_deref(), Some("event_time"));
    // Up to 3 s out of order: the 99.9th percentile of lateness rounds up to at most 3 s, and not 0.
    let delay = proposal.delay_seconds.unwrap();
    assert!((1..=3).contains(&delay), "{}", proposal.ddl);
    assert!(proposal.ddl.contains("'json.timestamp-format.standard' = 'ISO-8601'"), "{}", proposal.ddl);
    assert!(proposal.ddl.contains("99.9th percentile"), "{}", proposal.ddl);

    session.execute(&proposal.ddl, start + 30_000).unwrap_or_else(|e| panic!("{e}\n{}", proposal.ddl));
    let sampled = session.stream_sample("readings", sample::MAX_RECORDS).unwrap().len();
    let rows = batch(&mut session, "SELECT COUNT(*), COUNT(event_time), COUNT(sensor_id) FROM readings");
    assert_eq!(shown(&rows), [format!("{sampled}|{sampled}|{sampled}")]);
    // The watermark is the table's: a windowed query plans over it.
    batch(
        &mut session,
        "SELECT window_start, COUNT(*) FROM TABLE(TUMBLE(TABLE readings, DESCRIPTOR(event_time), INTERVAL '5' SECOND)) GROUP BY window_start, window_end",
    );
}

const NESTED: &str = r#"{"id": 1, "ts": "2021-05-19 11:20:01.250", "pos": {"lat": 52.5, "lon": 13.4}, "tags": {"a": 1}, "xs": [1, 2], "ok": true, "price": 12345678901234.5678, "day": "2021-05-19"}
{"id": 2, "ts": "2021-05-19 11:20:00", "pos": {"lat": 48.1, "lon": 11.6}, "tags": {"b": 2, "c": 3}, "xs": [], "ok": false, "price": 1.5, "day": "2021-05-20"}
{"id": 3, "ts": "2021-05-19 11:20:04", "pos": {"lat": 50.9, "lon": 6.9}, "tags": {}, "xs": [3], "ok": null, "price": 2, "day": null}
"#;

#[test]
fn json_lines_with_nested_values_read_back_as_they_were_written() {
    let mut session = Session::empty();
    session.add_file("nested.jsonl", NESTED.as_bytes().to_vec());
    let proposal = sample::from_file(&session, "nested.jsonl").unwrap();
    let types: Vec<&str> = proposal.columns.iter().map(|(_, t)| t.as_str()).collect();
    assert_eq!(
        types,
        [
            "BIGINT",
            "TIMESTAMP(3)",
            "ROW<lat DOUBLE, lon DOUBLE>",
            "MAP<STRING, BIGINT>",
            "ARRAY<BIGINT>",
            "BOOLEAN",
            "DECIMAL(18, 4)",
            "DATE"
        ]
    );
    // SQL-standard timestamps are the json format's default: no option needed.
    assert!(!proposal.ddl.contains("timestamp-format"), "{}", proposal.ddl);
    // The second record is 1.25 s behind the first: 2 s.
    assert_eq!(proposal.delay_seconds, Some(2), "{}", proposal.ddl);
    assert!(proposal.ddl.contains("WATERMARK FOR ts AS ts - INTERVAL '2' SECOND"), "{}", proposal.ddl);

    session.execute(&proposal.ddl, 0).unwrap_or_else(|e| panic!("{e}\n{}", proposal.ddl));
    let rows = batch(&mut session, "SELECT id, ts, pos.lat, tags['b'], CARDINALITY(xs), ok, price, `day` FROM nested");
    assert_eq!(
        shown(&rows),
        [
            "1|2021-05-19T11:20:01.250|52.5|NULL|2|TRUE|12345678901234.5678|2021-05-19",
            "2|2021-05-19T11:20:00.000|48.1|2|0|FALSE|1.5000|2021-05-20",
            "3|2021-05-19T11:20:04.000|50.9|NULL|1|NULL|2.0000|NULL",
        ]
    );
}

#[test]
fn a_csv_file_with_a_header_reads_back_without_it() {
    let mut session = Session::empty();
    let csv = "sensor,temp,status,taken at\n1,20.5,OK,2021-05-19 11:20:00\n2,,\"WARN, hot\",2021-05-19 11:20:03.5\n";
    session.add_file("sensors.csv", csv.as_bytes().to_vec());
    let proposal = sample::from_file(&session, "sensors.csv").unwrap();
    let (rows_path, rows_data) = proposal.rows_file.clone().unwrap();
    assert_eq!(rows_path, "sensors-rows.csv");
    assert!(proposal.ddl.contains("`taken at` TIMESTAMP(3)"), "{}", proposal.ddl);
    assert!(proposal.ddl.contains("'path' = 'sensors-rows.csv'"), "{}", proposal.ddl);
    session.add_file(&rows_path, rows_data);
    session.execute(&proposal.ddl, 0).unwrap_or_else(|e| panic!("{e}\n{}", proposal.ddl));
    assert_eq!(
        shown(&batch(&mut session, "SELECT * FROM sensors")),
        ["1|20.5|OK|2021-05-19T11:20:00.000", "2|NULL|WARN, hot|2021-05-19T11:20:03.500"]
    );
}

#[test]
fn epoch_milliseconds_become_a_computed_event_time() {
    let mut session = Session::empty();
    let lines: String = [1_621_423_200_000i64, 1_621_423_201_000, 1_621_423_199_500, 1_621_423_203_000]
        .iter()
        .map(|t| format!("{{\"v\": 1, \"at\": {t}}}\n"))
        .collect();
    session.add_file("clicks.json", lines.into_bytes());
    let proposal = sample::from_file(&session, "clicks.json").unwrap();
    assert!(proposal.ddl.contains("event_time AS TO_TIMESTAMP_LTZ(`at`, 3)"), "{}", proposal.ddl);
    assert_eq!((proposal.event_time.as_deref(), proposal.delay_seconds), (Some("event_time"), Some(2)));
    session.execute(&proposal.ddl, 0).unwrap_or_else(|e| panic!("{e}\n{}", proposal.ddl));
    assert_eq!(shown(&batch(&mut session, "SELECT COUNT(*), MIN(event_time) FROM clicks")), ["4|2021-05-19T11:19:59.500"]);
}

#[test]
fn records_that_are_not_json_say_so() {
    let mut session = Session::empty();
    session.add_file("notes.txt", b"hello\nworld\n".to_vec());
    let e = sample::from_file(&session, "notes.txt").unwrap_err();
    assert!(e.contains("record 1 is not JSON") && e.contains("'format' = 'raw'"), "{e}");
    // Some bad records among good ones: the table skips them.
    session.add_file("mixed.jsonl", b"{\"a\": 1}\nnot json\n{\"a\": 2}\n".to_vec());
    let proposal = sample::from_file(&session, "mixed.jsonl").unwrap();
    assert!(proposal.ddl.contains("'json.ignore-parse-errors' = 'true'"), "{}", proposal.ddl);
    session.execute(&proposal.ddl, 0).unwrap();
    assert_eq!(shown(&batch(&mut session, "SELECT a FROM mixed")), ["1", "2"]);
}
