//! The hostile-input corpus (`tests/hostile/<parser>/<case>`), shared by the native runner
//! (`tests/hostile_input.rs`) and the wasm one (`tests/wasm_hostile.rs`): which parser reads a
//! folder's cases, and the cases too big to check in, generated here.
//!
//! A case passes when its parser gives a result or an error and does not panic, overflow its
//! stack or hang. To add a parser, add a folder and an arm to [`check`]; [`CASES`] lists the
//! files for wasm (which cannot read the disk) and the native runner keeps it in step.
#![allow(dead_code)]

use sluice::connectors::format::csv::{CsvDecoder, CsvOptions};
use sluice::connectors::format::json::{JsonDecoder, JsonOptions, TimestampStandard};
use sluice::connectors::format::raw::RawDecoder;
use sluice::connectors::kinesis::client::KinesisClient;
use sluice::connectors::kinesis::transport::{block_on, Reply, Transport};
use sluice::types::{DataType, Field, SqlType};

/// What a parser made of a case: a short description of the result, or its error.
pub type Outcome = Result<String, String>;

/// Runs one case through the parser its folder names.
pub fn check(parser: &str, name: &str, bytes: &[u8]) -> Outcome {
    match parser {
        "json" => json(bytes),
        "csv" => csv(bytes),
        "raw" => raw(bytes),
        "kinesis" => kinesis(name, bytes),
        #[cfg(not(target_arch = "wasm32"))]
        "cli" => cli(bytes),
        other => panic!("tests/hostile/{other}/ has no parser: add an arm to check() in tests/common/hostile.rs"),
    }
}

/// Folders whose parser does not exist in wasm (the command line).
pub const NATIVE_ONLY: &[&str] = &["cli"];

/// The walkthrough's table, plus a nested row so ROW decoding is exercised too.
pub fn sensor_fields() -> Vec<Field> {
    let inner = vec![Field { name: "a".into(), ty: SqlType::nullable(DataType::Int) }];
    [
        ("sensor_id", DataType::Int),
        ("current_temperature", DataType::Double),
        ("status", DataType::Varchar(6)),
        ("event_time", DataType::Timestamp(3)),
        ("price", DataType::Decimal { precision: 10, scale: 2 }),
        ("nested", DataType::Row(inner)),
    ]
    .into_iter()
    .map(|(n, t)| Field { name: n.into(), ty: SqlType::nullable(t) })
    .collect()
}

/// A JSON record, read strictly and with 'json.ignore-parse-errors'.
fn json(bytes: &[u8]) -> Outcome {
    let mut lenient = JsonDecoder::new(
        &sensor_fields(),
        JsonOptions { ignore_parse_errors: true, timestamp_standard: TimestampStandard::Iso8601, ..JsonOptions::default() },
    );
    lenient.decode(bytes).map_err(|e| format!("with 'json.ignore-parse-errors' = 'true' a record still failed: {e}"))?;
    let kept = lenient.finish().len();
    let mut strict = JsonDecoder::new(&sensor_fields(), JsonOptions::default());
    match strict.decode(bytes) {
        Ok(()) => Ok(format!("a row ({kept} kept when lenient)")),
        Err(e) if e.to_string().starts_with("cannot decode JSON record") => Err(e.to_string()),
        Err(e) => panic!("an error that does not say which record: {e}"),
    }
}

/// CSV lines, each a record, read strictly and with 'csv.ignore-parse-errors'.
fn csv(bytes: &[u8]) -> Outcome {
    let fields = sensor_fields()[..4].to_vec();
    let mut lenient = CsvDecoder::new(&fields, CsvOptions { ignore_parse_errors: true, ..CsvOptions::default() });
    let mut strict = CsvDecoder::new(&fields, CsvOptions::default());
    let mut errors = Vec::new();
    for line in bytes.strip_suffix(b"\n").unwrap_or(bytes).split(|b| *b == b'\n') {
        lenient.decode(line).map_err(|e| format!("with 'csv.ignore-parse-errors' = 'true' a record still failed: {e}"))?;
        if let Err(e) = strict.decode(line) {
            errors.push(e);
        }
    }
    let rows = strict.finish().len();
    if errors.is_empty() {
        Ok(format!("{rows} rows"))
    } else {
        Err(errors.join("; "))
    }
}

fn raw(bytes: &[u8]) -> Outcome {
    let mut decoder = RawDecoder::new(&sensor_fields()[2..3]);
    decoder.decode(bytes);
    Ok(format!("{} row", decoder.finish().len()))
}

/// Answers every call with one reply.
struct Replay(Option<Reply>);

impl Transport for Replay {
    async fn send(&mut self, _action: &str, _body: &[u8]) -> Result<Reply, String> {
        self.0.take().ok_or_else(|| "asked twice".to_string())
    }
}

/// A `GetRecords` answer: the body is the file, the status its name's leading number.
fn kinesis(name: &str, bytes: &[u8]) -> Outcome {
    let status = name.split('_').next().and_then(|s| s.parse().ok()).unwrap_or(200);
    let mut client = KinesisClient::new(Replay(Some(Reply { status, body: bytes.to_vec() })));
    match block_on(client.get_records("iterator", 2)) {
        Ok(page) => Ok(format!("{} records", page.records.len())),
        Err(e) => {
            let text = e.to_string();
            assert!(text.len() < 1000, "an error message of {} bytes", text.len());
            Err(text)
        }
    }
}

/// The `sluice` binary with the file's lines as arguments (any bytes, not only UTF-8).
#[cfg(not(target_arch = "wasm32"))]
fn cli(bytes: &[u8]) -> Outcome {
    use std::os::unix::ffi::OsStrExt;
    let args: Vec<&std::ffi::OsStr> = bytes.split(|b| *b == b'\n').filter(|a| !a.is_empty()).map(std::ffi::OsStr::from_bytes).collect();
    let dir = std::env::temp_dir();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_sluice")).args(&args).current_dir(dir).output().expect("sluice starts");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "sluice panicked: {stderr}");
    match out.status.code() {
        Some(0) => Ok(String::from_utf8_lossy(&out.stdout).lines().next().unwrap_or_default().to_string()),
        Some(1 | 2) if stderr.starts_with("error: ") || stderr.contains(": ") => Err(stderr.lines().next().unwrap_or_default().to_string()),
        other => panic!("sluice ended with {other:?}: {stderr}"),
    }
}

/// Cases too big to check in: (parser, name, bytes).
pub fn generated() -> Vec<(&'static str, String, Vec<u8>)> {
    let nest = |prefix: &str, open: &str, middle: &str, close: &str, n: usize, suffix: &str| {
        format!("{prefix}{}{middle}{}{suffix}", open.repeat(n), close.repeat(n)).into_bytes()
    };
    let records = |n: usize| {
        let one = r#"{"SequenceNumber": "1", "PartitionKey": "k", "Data": "eA=="}"#;
        format!(r#"{{"Records": [{}]}}"#, vec![one; n].join(",")).into_bytes()
    };
    vec![
        ("json", "unknown_object_300000_deep".into(), nest(r#"{"x": "#, r#"{"a": "#, "1", "}", 300_000, "}")),
        ("json", "unknown_array_300000_deep".into(), nest(r#"{"x": "#, "[", "", "]", 300_000, "}")),
        ("json", "string_column_array_200000_deep".into(), nest(r#"{"status": "#, "[", "", "]", 200_000, "}")),
        ("json", "row_column_300000_deep".into(), nest(r#"{"nested": "#, r#"{"a": "#, "1", "}", 300_000, "}")),
        ("json", "unclosed_300000_deep".into(), nest(r#"{"x": "#, "[", "", "", 300_000, "")),
        ("json", "number_100000_digits".into(), format!(r#"{{"sensor_id": {}}}"#, "7".repeat(100_000)).into_bytes()),
        ("json", "key_100000_long".into(), format!(r#"{{"{}": 1}}"#, "k".repeat(100_000)).into_bytes()),
        ("json", "100000_repeated_keys".into(), format!("{{{}}}", vec![r#""status": "OK""#; 100_000].join(",")).into_bytes()),
        ("csv", "1000000_fields".into(), ",".repeat(1_000_000).into_bytes()),
        ("csv", "unclosed_quote_1000000_long".into(), format!("1,\"{}", "x".repeat(1_000_000)).into_bytes()),
        ("kinesis", "200_reply_300000_deep".into(), nest(r#"{"Records": "#, "[", "", "]", 300_000, "}")),
        ("kinesis", "500_error_300000_deep".into(), nest("", "[", "", "]", 300_000, "")),
        ("kinesis", "200_20000_records_for_2_asked".into(), records(20_000)),
    ]
}

/// Every checked-in case, for wasm (kept in step with the folders by the native runner).
pub const CASES: &[(&str, &str, &[u8])] = &[
    // BEGIN CASES (written by `SLUICE_UPDATE_HOSTILE=1 cargo test --test hostile_input`)
    ("csv", "comment_line.csv", include_bytes!("../hostile/csv/comment_line.csv")),
    ("csv", "empty_lines.csv", include_bytes!("../hostile/csv/empty_lines.csv")),
    ("csv", "formula_cells.csv", include_bytes!("../hostile/csv/formula_cells.csv")),
    ("csv", "invalid_utf8.csv", include_bytes!("../hostile/csv/invalid_utf8.csv")),
    ("csv", "nul_bytes.csv", include_bytes!("../hostile/csv/nul_bytes.csv")),
    ("csv", "numbers_out_of_range.csv", include_bytes!("../hostile/csv/numbers_out_of_range.csv")),
    ("csv", "only_delimiters.csv", include_bytes!("../hostile/csv/only_delimiters.csv")),
    ("csv", "quotes_everywhere.csv", include_bytes!("../hostile/csv/quotes_everywhere.csv")),
    ("csv", "unclosed_quote.csv", include_bytes!("../hostile/csv/unclosed_quote.csv")),
    ("json", "array_record.json", include_bytes!("../hostile/json/array_record.json")),
    ("json", "bad_escape.json", include_bytes!("../hostile/json/bad_escape.json")),
    ("json", "byte_order_mark.json", include_bytes!("../hostile/json/byte_order_mark.json")),
    ("json", "comments.json", include_bytes!("../hostile/json/comments.json")),
    ("json", "control_character.json", include_bytes!("../hostile/json/control_character.json")),
    ("json", "deep_in_a_string_column.json", include_bytes!("../hostile/json/deep_in_a_string_column.json")),
    ("json", "depth_1000_accepted.json", include_bytes!("../hostile/json/depth_1000_accepted.json")),
    ("json", "depth_1001_refused.json", include_bytes!("../hostile/json/depth_1001_refused.json")),
    ("json", "duplicate_key_last_wins.json", include_bytes!("../hostile/json/duplicate_key_last_wins.json")),
    ("json", "empty.json", include_bytes!("../hostile/json/empty.json")),
    ("json", "huge_exponent.json", include_bytes!("../hostile/json/huge_exponent.json")),
    ("json", "integer_overflow.json", include_bytes!("../hostile/json/integer_overflow.json")),
    ("json", "invalid_utf8.json", include_bytes!("../hostile/json/invalid_utf8.json")),
    ("json", "keys_without_quotes.json", include_bytes!("../hostile/json/keys_without_quotes.json")),
    ("json", "lone_surrogate.json", include_bytes!("../hostile/json/lone_surrogate.json")),
    ("json", "not_json.json", include_bytes!("../hostile/json/not_json.json")),
    ("json", "nul_bytes.json", include_bytes!("../hostile/json/nul_bytes.json")),
    ("json", "number_1001_digits.json", include_bytes!("../hostile/json/number_1001_digits.json")),
    ("json", "signs_and_dots.json", include_bytes!("../hostile/json/signs_and_dots.json")),
    ("json", "special_numbers.json", include_bytes!("../hostile/json/special_numbers.json")),
    ("json", "string_record.json", include_bytes!("../hostile/json/string_record.json")),
    ("json", "temperature_hot.json", include_bytes!("../hostile/json/temperature_hot.json")),
    ("json", "timestamp_nonsense.json", include_bytes!("../hostile/json/timestamp_nonsense.json")),
    ("json", "timestamp_not_a_string.json", include_bytes!("../hostile/json/timestamp_not_a_string.json")),
    ("json", "trailing_text.json", include_bytes!("../hostile/json/trailing_text.json")),
    ("json", "unbalanced_brackets.json", include_bytes!("../hostile/json/unbalanced_brackets.json")),
    ("json", "unclosed_object.json", include_bytes!("../hostile/json/unclosed_object.json")),
    ("json", "unclosed_string.json", include_bytes!("../hostile/json/unclosed_string.json")),
    ("json", "whitespace_only.json", include_bytes!("../hostile/json/whitespace_only.json")),
    ("kinesis", "200_arrival_out_of_range.json", include_bytes!("../hostile/kinesis/200_arrival_out_of_range.json")),
    ("kinesis", "200_bad_base64.json", include_bytes!("../hostile/kinesis/200_bad_base64.json")),
    ("kinesis", "200_empty_body.json", include_bytes!("../hostile/kinesis/200_empty_body.json")),
    ("kinesis", "200_html_page.html", include_bytes!("../hostile/kinesis/200_html_page.html")),
    ("kinesis", "200_invalid_utf8.json", include_bytes!("../hostile/kinesis/200_invalid_utf8.json")),
    ("kinesis", "200_more_records_than_asked.json", include_bytes!("../hostile/kinesis/200_more_records_than_asked.json")),
    ("kinesis", "200_null.json", include_bytes!("../hostile/kinesis/200_null.json")),
    ("kinesis", "200_records_not_a_list.json", include_bytes!("../hostile/kinesis/200_records_not_a_list.json")),
    ("kinesis", "200_sequence_is_a_number.json", include_bytes!("../hostile/kinesis/200_sequence_is_a_number.json")),
    ("kinesis", "200_truncated.json", include_bytes!("../hostile/kinesis/200_truncated.json")),
    ("kinesis", "400_type_not_a_string.json", include_bytes!("../hostile/kinesis/400_type_not_a_string.json")),
    ("kinesis", "400_unknown_error.json", include_bytes!("../hostile/kinesis/400_unknown_error.json")),
    ("kinesis", "500_deep_error.json", include_bytes!("../hostile/kinesis/500_deep_error.json")),
    ("kinesis", "502_bad_gateway.html", include_bytes!("../hostile/kinesis/502_bad_gateway.html")),
    ("raw", "empty.bin", include_bytes!("../hostile/raw/empty.bin")),
    ("raw", "invalid_utf8.bin", include_bytes!("../hostile/raw/invalid_utf8.bin")),
    ("raw", "nul_bytes.bin", include_bytes!("../hostile/raw/nul_bytes.bin")),
    // END CASES
];
