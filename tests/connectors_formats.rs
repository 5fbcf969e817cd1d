//! The `csv` and `raw` formats through the session: files read as tables, records written to a
//! stream and read back, and malformed records skipped and counted or stopping the query with
//! an error naming the record and the field.
#![cfg(not(target_arch = "wasm32"))]

use sluice::session::{Outcome, Session};
use sluice::types::Value;

fn batch(session: &mut Session, sql: &str) -> Result<Vec<Vec<Value>>, String> {
    match session.execute(&format!("%flink.bsql\n{sql}"), 0).map_err(|e| e.to_string())?.pop() {
        Some(Outcome::Table { rows, .. }) => Ok(rows),
        other => panic!("expected rows, got {other:?}"),
    }
}

fn shown(rows: &[Vec<Value>]) -> Vec<String> {
    rows.iter().map(|r| r.iter().map(|v| v.to_string()).collect::<Vec<_>>().join("|")).collect()
}

const READINGS: &[u8] = b"77,93.11,OK,2021-05-19 11:20:00.978\n\
12,\"150.5\",\"WARN,ING\",2021-05-19 11:20:01\n\
5,,ERROR,\n";

#[test]
fn a_csv_file_is_a_table() {
    let mut session = Session::empty();
    session.add_file("/readings.csv", READINGS.to_vec());
    session
        .execute("CREATE TABLE r (sensor_id INT, temp DOUBLE, status STRING, ts TIMESTAMP(3)) WITH ('connector' = 'filesystem', 'path' = '/readings.csv', 'format' = 'csv')", 0)
        .unwrap();
    let rows = batch(&mut session, "SELECT sensor_id, temp, status, ts FROM r").unwrap();
    assert_eq!(shown(&rows), ["77|93.11|OK|2021-05-19T11:20:00.978", "12|150.5|WARN,ING|2021-05-19T11:20:01.000", "5|NULL|ERROR|NULL"]);
}

#[test]
fn a_csv_delimiter_and_quote_are_options() {
    let mut session = Session::empty();
    session.add_file("/semi.csv", b"1;'a;b'\n2;'it''s'\n".to_vec());
    session
        .execute(
            "CREATE TABLE t (n INT, s STRING) WITH ('connector' = 'filesystem', 'path' = '/semi.csv', 'format' = 'csv',
               'csv.field-delimiter' = ';', 'csv.quote-character' = '''')",
            0,
        )
        .unwrap();
    assert_eq!(shown(&batch(&mut session, "SELECT n, s FROM t").unwrap()), ["1|a;b", "2|it's"]);
}

#[test]
fn a_malformed_csv_record_stops_the_query_naming_record_and_field() {
    let mut session = Session::empty();
    session.add_file("/bad.csv", b"1,2.0\n2,hot\n3,4.0\n".to_vec());
    session
        .execute("CREATE TABLE t (n INT, x DOUBLE) WITH ('connector' = 'filesystem', 'path' = '/bad.csv', 'format' = 'csv')", 0)
        .unwrap();
    let err = batch(&mut session, "SELECT n, x FROM t").unwrap_err();
    assert!(err.contains("`2,hot`") && err.contains("field `x`"), "{err}");

    // Streaming: the job fails with the same message, and rows before the bad one still count.
    let outcome = session.execute("SELECT n, x FROM t", 0).unwrap();
    let Some(Outcome::Query { job, .. }) = outcome.last() else { panic!("{outcome:?}") };
    session.advance(1);
    let info = session.job(*job).unwrap();
    assert!(info.error.as_deref().is_some_and(|e| e.contains("`2,hot`") && e.contains("field `x`")), "{info:?}");
    assert_eq!(session.take_changes(*job).len(), 1);
}

#[test]
fn csv_ignore_parse_errors_nulls_bad_fields_and_skips_unsplittable_records() {
    let mut session = Session::empty();
    session.add_file("/bad.csv", b"1,2.0\n2,hot\n\"open,1\n3\n4,4.0\n".to_vec());
    session
        .execute("CREATE TABLE t (n INT, x DOUBLE) WITH ('connector' = 'filesystem', 'path' = '/bad.csv', 'format' = 'csv', 'csv.ignore-parse-errors' = 'true')", 0)
        .unwrap();
    // As Flink 2.3 does: a bad or missing field is NULL; a record with an open quote is skipped.
    assert_eq!(shown(&batch(&mut session, "SELECT n, x FROM t").unwrap()), ["1|2.0", "2|NULL", "3|NULL", "4|4.0"]);
}

#[test]
fn csv_and_raw_records_written_to_a_stream_read_back() {
    let mut session = Session::empty();
    session.add_file("/in.csv", b"1,a\n2,\"b,c\"\n3,\n".to_vec());
    session
        .execute("CREATE TABLE src (n INT, s STRING) WITH ('connector' = 'filesystem', 'path' = '/in.csv', 'format' = 'csv')", 0)
        .unwrap();
    session
        .execute("CREATE TABLE out_csv (n INT, s STRING) WITH ('connector' = 'kinesis', 'stream' = 'out', 'format' = 'csv', 'csv.field-delimiter' = '|')", 0)
        .unwrap();
    session.execute("%flink.bsql\nINSERT INTO out_csv SELECT n * 10, s FROM src", 0).unwrap();
    // The raw format sees each record whole.
    session
        .execute("CREATE TABLE lines (line STRING) WITH ('connector' = 'kinesis', 'stream' = 'out', 'format' = 'raw', 'scan.stream.initpos' = 'TRIM_HORIZON')", 0)
        .unwrap();
    let mut lines = shown(&batch(&mut session, "SELECT line FROM lines").unwrap());
    lines.sort();
    // Flink's csv writer (Jackson) quotes every string that holds a character below the
    // delimiter, which with `|` is nearly all of them (checked against Flink 2.3).
    assert_eq!(lines, ["10|\"a\"", "20|\"b,c\"", "30|"]);
    // …and a raw sink writes its one column as the record.
    session.execute("CREATE TABLE echo (line STRING) WITH ('connector' = 'kinesis', 'stream' = 'echo', 'format' = 'raw')", 0).unwrap();
    session.execute("%flink.bsql\nINSERT INTO echo SELECT UPPER(line) FROM lines", 0).unwrap();
    session
        .execute("CREATE TABLE echoed (n INT, s STRING) WITH ('connector' = 'kinesis', 'stream' = 'echo', 'format' = 'csv', 'csv.field-delimiter' = '|', 'scan.stream.initpos' = 'TRIM_HORIZON')", 0)
        .unwrap();
    let mut rows = shown(&batch(&mut session, "SELECT n, s FROM echoed").unwrap());
    rows.sort();
    assert_eq!(rows, ["10|A", "20|B,C", "30|"]);
}

#[test]
fn raw_wants_exactly_one_string_column() {
    let mut session = Session::empty();
    let err = session
        .execute("CREATE TABLE t (a STRING, b STRING) WITH ('connector' = 'kinesis', 'stream' = 's', 'format' = 'raw')", 0)
        .unwrap_err();
    assert!(err.to_string().contains("single physical column"), "{err}");
    let err = session
        .execute(
            "CREATE TABLE t (a STRING) WITH ('connector' = 'kinesis', 'stream' = 's', 'format' = 'csv', 'csv.field-delimiter' = 'ab')",
            0,
        )
        .unwrap_err();
    assert!(err.to_string().contains("single character"), "{err}");
}

mod never_panics {
    use proptest::prelude::*;
    use sluice::connectors::format::csv::{CsvDecoder, CsvOptions};
    use sluice::types::{DataType, Field, SqlType};

    fn fields() -> Vec<Field> {
        [
            DataType::Int,
            DataType::Double,
            DataType::Decimal { precision: 5, scale: 2 },
            DataType::Timestamp(3),
            DataType::Boolean,
            DataType::Varchar(3),
        ]
        .into_iter()
        .enumerate()
        .map(|(i, ty)| Field { name: format!("c{i}"), ty: SqlType::nullable(ty) })
        .collect()
    }

    proptest! {
        #[test]
        fn any_bytes_are_a_row_or_an_error(record in proptest::collection::vec(any::<u8>(), 0..80), ignore in any::<bool>()) {
            let mut d = CsvDecoder::new(&fields(), CsvOptions { ignore_parse_errors: ignore, ..Default::default() });
            let _ = d.decode(&record);
            let _ = d.finish();
        }

        #[test]
        fn any_text_fields_are_a_row_or_an_error(parts in proptest::collection::vec("[-0-9a-zT:. ,\"eE+]{0,12}", 6)) {
            let mut d = CsvDecoder::new(&fields(), CsvOptions::default());
            let _ = d.decode(parts.join(",").as_bytes());
            let _ = d.finish();
        }
    }
}
