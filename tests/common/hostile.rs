//! The hostile-input corpus (`tests/hostile/<parser>/<case>`), shared by the native runner
//! (`tests/hostile_input.rs`) and the wasm one (`tests/wasm_hostile.rs`): which parser reads a
//! folder's cases, and the cases too big to check in, generated here.
//!
//! A case passes when its parser gives a result or an error and does not panic, overflow its
//! stack or hang; in the folders of [`WITH_EXPECT`] it must also give what the `.expect` file
//! beside it says, and a LIKE or regex case (a JSON file: values, a query, its `rows` or its
//! `error`) must give its rows or fail with its error. A case that does not is a panic naming
//! why, which the runners report with the case's name. To add a parser, add a folder and an
//! arm to [`check`]; [`CASES`] lists the files for wasm (which cannot read the disk) and the
//! native runner keeps it in step.
#![allow(dead_code)]

use sluice::connectors::format::csv::{CsvDecoder, CsvOptions};
use sluice::connectors::format::json::{JsonDecoder, JsonOptions, TimestampStandard};
use sluice::connectors::format::raw::RawDecoder;
use sluice::connectors::kinesis::client::KinesisClient;
use sluice::connectors::kinesis::transport::{block_on, Reply, Transport};
use sluice::types::{DataType, Field, SqlType};
use sluice::views::markdown;
use sluice::views::note::{script, share, zeppelin, NoteDoc};

/// What a parser made of a case: a short description of the result, or its error.
pub type Outcome = Result<String, String>;

/// Runs one case through the parser its folder names; `expect` is the `.expect` file beside it
/// (folders of [`WITH_EXPECT`] only). Panics, naming why, when the case gives the wrong answer.
pub fn check(parser: &str, name: &str, bytes: &[u8], expect: Option<&[u8]>) -> Outcome {
    if WITH_EXPECT.contains(&parser) {
        let expect = expect.unwrap_or_else(|| panic!("no {} beside it", expect_name(name)));
        let text = |b: &[u8]| String::from_utf8(b.to_vec()).unwrap_or_else(|e| panic!("not UTF-8: {e}"));
        return page(parser, name, &expand(&text(bytes)), &text(expect));
    }
    match parser {
        "json" => json(bytes),
        "csv" => csv(bytes),
        "raw" => raw(bytes),
        "kinesis" => kinesis(name, bytes),
        "like" | "regex" => pattern(bytes),
        #[cfg(not(target_arch = "wasm32"))]
        "cli" => cli(bytes),
        other => panic!("tests/hostile/{other}/ has no parser: add an arm to check() in tests/common/hostile.rs"),
    }
}

/// Folders whose parser does not exist in wasm (the command line).
pub const NATIVE_ONLY: &[&str] = &["cli"];

/// Folders whose cases each have a `.expect` file beside them, with the same stem.
pub const WITH_EXPECT: &[&str] = &["markdown", "share", "zpln", "sql-script"];

/// Whether `name` is a case (not a `.expect` file, which belongs to its case).
pub fn is_case(name: &str) -> bool {
    !name.ends_with(".expect")
}

/// The name of the `.expect` file beside case `name`: its stem and `.expect`.
pub fn expect_name(name: &str) -> String {
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    format!("{stem}.expect")
}

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
        Ok(page) => {
            let faults: Vec<&str> = page.records.iter().filter_map(|r| r.fault.as_deref()).collect();
            assert!(faults.iter().all(|f| f.len() < 1000), "a fault of {faults:?}");
            Ok(format!("{} records, {} without usable data", page.records.len(), faults.len()))
        }
        Err(e) => {
            let text = e.to_string();
            assert!(text.len() < 1000, "an error message of {} bytes", text.len());
            // A 200 answer that is not Kinesis JSON comes back the same if asked again: it must
            // stop the reader, not be retried for ever.
            assert!(status != 200 || !e.is_retryable(), "a 200 answer retried: {text}");
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

/// `{{N*text}}` → `text` repeated N times (`\n` in `text` a line break), so a 3 MB case stays a
/// line in git.
pub fn expand(input: &str) -> String {
    let mut out = String::new();
    let mut rest = input;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let (Some(star), Some(end)) = (after.find('*'), after.find("}}")) else {
            out.push_str("{{");
            rest = after;
            continue;
        };
        match after[..star].parse::<usize>() {
            Ok(n) if star < end => {
                out.push_str(&after[star + 1..end].replace("\\n", "\n").repeat(n));
                rest = &after[end + 2..];
            }
            _ => {
                out.push_str("{{");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// What one of the page's parsers gave: the rendered HTML or the note read, or the error.
enum Page {
    Html(String),
    Note(NoteDoc),
    Error(String),
}

fn ids() -> impl FnMut() -> String {
    let mut n = 0;
    move || {
        n += 1;
        format!("paragraph_{n}")
    }
}

/// A case of the page's parsers (`%md` rendering, `#share=` links, `.zpln` and `.sql` imports),
/// checked against its `.expect` lines.
fn page(parser: &str, name: &str, input: &str, expect: &str) -> Outcome {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    let note = |r: Result<NoteDoc, String>| r.map_or_else(Page::Error, Page::Note);
    let outcome = match parser {
        "markdown" => Page::Html(markdown::to_html(input)),
        "share" => {
            // A `.json` case is a note's JSON, deflated and encoded here; a `.link` is the fragment.
            let link = if name.ends_with(".json") {
                URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(input.as_bytes(), 6))
            } else {
                input.to_string()
            };
            match share::decode(&link, ids()) {
                // A shared note renders its markdown as it opens: render it as the page does.
                Ok(shared) => {
                    for p in &shared.note.paragraphs {
                        if sluice::views::note::is_markdown(&p.text) {
                            markdown::to_html(sluice::views::note::body(&p.text));
                        }
                    }
                    Page::Note(shared.note)
                }
                Err(e) => Page::Error(e),
            }
        }
        "zpln" => note(zeppelin::from_zpln(input, name, ids())),
        "sql-script" => note(script::from_sql(input, name, ids())),
        other => panic!("tests/hostile/{other}/ is not one of the page's parsers"),
    };
    if let Err(why) = expectations(&outcome, expect) {
        panic!("{why}");
    }
    match outcome {
        Page::Html(html) => Ok(format!("{} bytes of HTML", html.len())),
        Page::Note(note) => Ok(format!("a note of {} paragraphs", note.paragraphs.len())),
        Page::Error(e) => Err(e),
    }
}

/// Checks every line of a `.expect` file: `error: S`, `paragraphs: N`, `contains: S`,
/// `count: S = N`.
fn expectations(outcome: &Page, expect: &str) -> Result<(), String> {
    for line in expect.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (what, arg) = line.split_once(": ").ok_or_else(|| format!("bad expectation `{line}`"))?;
        match (what, outcome) {
            ("error", Page::Error(e)) if e.contains(arg) => {}
            ("error", Page::Error(e)) => return Err(format!("error `{e}` does not contain `{arg}`")),
            ("error", _) => return Err(format!("expected an error containing `{arg}`, and it was accepted")),
            (_, Page::Error(e)) => return Err(format!("expected `{line}`, got the error `{e}`")),
            ("paragraphs", Page::Note(n)) => {
                if n.paragraphs.len().to_string() != arg {
                    return Err(format!("{} paragraphs, expected {arg}", n.paragraphs.len()));
                }
            }
            ("contains", Page::Html(html)) => {
                if !html.contains(arg) {
                    return Err(format!("the HTML does not contain `{arg}`"));
                }
            }
            ("count", Page::Html(html)) => {
                let (needle, n) = arg.rsplit_once(" = ").ok_or_else(|| format!("bad count `{arg}`"))?;
                let found = html.matches(needle).count();
                if found.to_string() != n {
                    return Err(format!("`{needle}` appears {found} times, expected {n}"));
                }
            }
            _ => return Err(format!("`{line}` does not apply to this case")),
        }
    }
    Ok(())
}

/// A LIKE, SIMILAR TO or regular-expression case: `values` (strings, nulls, or `{"repeat":
/// "ab", "times": n, "then": "c"}` for long ones) in a table `t (s STRING)`, a `query` run to
/// its end through a [`Session`](sluice::session::Session) as the page runs it, and the `rows`
/// it must give or the `error` it must fail with. How fast pathological patterns are is
/// printed by `sluice bench` (the "patterns" lines), never timed here.
fn pattern(bytes: &[u8]) -> Outcome {
    use serde_json::{json, Value};
    use sluice::session::{Outcome as Done, Session};
    let case: Value = serde_json::from_slice(bytes).unwrap_or_else(|e| panic!("not a case's JSON: {e}"));
    let value = |spec: &Value| match spec {
        Value::Object(o) if o.contains_key("repeat") => {
            let unit = o["repeat"].as_str().expect("repeat is a string");
            let times = o["times"].as_u64().expect("times is a number") as usize;
            Value::String(unit.repeat(times) + o.get("then").and_then(Value::as_str).unwrap_or(""))
        }
        other => other.clone(),
    };
    let lines: Vec<String> = case["values"].as_array().expect("values").iter().map(|v| json!({ "s": value(v) }).to_string()).collect();
    let mut session = Session::empty();
    session.add_file("/hostile/t.jsonl", (lines.join("\n") + "\n").into_bytes());
    let script = format!(
        "CREATE TABLE t (s STRING) WITH ('connector'='filesystem', 'path'='/hostile/t.jsonl', 'format'='json');\n{};\n",
        case["query"].as_str().expect("query")
    );
    // The rows of every change, each an object by column as `sluice run` prints them.
    let result = session.execute(&script, 0).map_err(|e| e.to_string()).and_then(|outcomes| {
        let mut rows = Vec::new();
        for outcome in outcomes {
            let Done::Query { job, columns, .. } = outcome else { continue };
            let mut changes = Vec::new();
            session.run_to_end(job, &mut |c| changes.extend(c))?;
            for change in changes {
                let mut row = serde_json::Map::new();
                for (column, v) in columns.iter().zip(&change.row) {
                    let mut text = String::new();
                    v.write_json(&mut text);
                    row.insert(column.name.clone(), serde_json::from_str(&text).unwrap_or(Value::String(text)));
                }
                rows.push(Value::Object(row));
            }
        }
        Ok(Value::Array(rows))
    });
    match (case.get("rows"), case.get("error").and_then(Value::as_str), result) {
        (Some(rows), None, Ok(got)) if &got == rows => Ok(format!("{} rows as expected", got.as_array().map_or(0, Vec::len))),
        (Some(rows), None, Ok(got)) => panic!("rows differ:\n  expected {rows}\n  got      {got}"),
        (Some(_), None, Err(e)) => panic!("failed: {e}"),
        (None, Some(error), Err(e)) if e.contains(error) => Err(e),
        (None, Some(error), Err(e)) => panic!("expected the error `{error}`, got: {e}"),
        (None, Some(error), Ok(got)) => panic!("expected the error `{error}`, got rows {got}"),
        _ => panic!("a case has `rows` or `error`"),
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
        (
            "kinesis",
            "200_record_of_2_MiB".into(),
            format!(r#"{{"Records": [{{"SequenceNumber": "1", "PartitionKey": "k", "Data": "{}"}}]}}"#, "A".repeat(2 << 20)).into_bytes(),
        ),
        ("kinesis", "200_reply_of_33_MiB".into(), vec![b' '; 33 << 20]),
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
    ("kinesis", "200_array_instead_of_object.json", include_bytes!("../hostile/kinesis/200_array_instead_of_object.json")),
    ("kinesis", "200_arrival_is_a_string.json", include_bytes!("../hostile/kinesis/200_arrival_is_a_string.json")),
    ("kinesis", "200_arrival_out_of_range.json", include_bytes!("../hostile/kinesis/200_arrival_out_of_range.json")),
    ("kinesis", "200_bad_base64.json", include_bytes!("../hostile/kinesis/200_bad_base64.json")),
    ("kinesis", "200_bad_base64_beside_a_good_record.json", include_bytes!("../hostile/kinesis/200_bad_base64_beside_a_good_record.json")),
    ("kinesis", "200_captive_portal.html", include_bytes!("../hostile/kinesis/200_captive_portal.html")),
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
    ("kinesis", "503_service_unavailable.html", include_bytes!("../hostile/kinesis/503_service_unavailable.html")),
    ("like", "backslash_and_line_breaks.json", include_bytes!("../hostile/like/backslash_and_line_breaks.json")),
    ("like", "escape.json", include_bytes!("../hostile/like/escape.json")),
    ("like", "escape_at_end.json", include_bytes!("../hostile/like/escape_at_end.json")),
    ("like", "escape_not_one_char.json", include_bytes!("../hostile/like/escape_not_one_char.json")),
    ("like", "percent_chain_200.json", include_bytes!("../hostile/like/percent_chain_200.json")),
    ("like", "percent_chain_long.json", include_bytes!("../hostile/like/percent_chain_long.json")),
    ("like", "similar_to.json", include_bytes!("../hostile/like/similar_to.json")),
    ("like", "similar_to_bad_pattern.json", include_bytes!("../hostile/like/similar_to_bad_pattern.json")),
    ("like", "similar_to_pathological.json", include_bytes!("../hostile/like/similar_to_pathological.json")),
    ("markdown", "alternating-emphasis.expect", include_bytes!("../hostile/markdown/alternating-emphasis.expect")),
    ("markdown", "alternating-emphasis.md", include_bytes!("../hostile/markdown/alternating-emphasis.md")),
    ("markdown", "backticks.expect", include_bytes!("../hostile/markdown/backticks.expect")),
    ("markdown", "backticks.md", include_bytes!("../hostile/markdown/backticks.md")),
    ("markdown", "deep-quotes.expect", include_bytes!("../hostile/markdown/deep-quotes.expect")),
    ("markdown", "deep-quotes.md", include_bytes!("../hostile/markdown/deep-quotes.md")),
    ("markdown", "fences.expect", include_bytes!("../hostile/markdown/fences.expect")),
    ("markdown", "fences.md", include_bytes!("../hostile/markdown/fences.md")),
    ("markdown", "long-list.expect", include_bytes!("../hostile/markdown/long-list.expect")),
    ("markdown", "long-list.md", include_bytes!("../hostile/markdown/long-list.md")),
    ("markdown", "nested-links.expect", include_bytes!("../hostile/markdown/nested-links.expect")),
    ("markdown", "nested-links.md", include_bytes!("../hostile/markdown/nested-links.md")),
    ("markdown", "script.expect", include_bytes!("../hostile/markdown/script.expect")),
    ("markdown", "script.md", include_bytes!("../hostile/markdown/script.md")),
    ("markdown", "unclosed-links.expect", include_bytes!("../hostile/markdown/unclosed-links.expect")),
    ("markdown", "unclosed-links.md", include_bytes!("../hostile/markdown/unclosed-links.md")),
    ("markdown", "unclosed-stars.expect", include_bytes!("../hostile/markdown/unclosed-stars.expect")),
    ("markdown", "unclosed-stars.md", include_bytes!("../hostile/markdown/unclosed-stars.md")),
    ("markdown", "unclosed-underscores.expect", include_bytes!("../hostile/markdown/unclosed-underscores.expect")),
    ("markdown", "unclosed-underscores.md", include_bytes!("../hostile/markdown/unclosed-underscores.md")),
    ("raw", "empty.bin", include_bytes!("../hostile/raw/empty.bin")),
    ("raw", "invalid_utf8.bin", include_bytes!("../hostile/raw/invalid_utf8.bin")),
    ("raw", "nul_bytes.bin", include_bytes!("../hostile/raw/nul_bytes.bin")),
    ("regex", "backreference_budget.json", include_bytes!("../hostile/regex/backreference_budget.json")),
    ("regex", "java_flags.json", include_bytes!("../hostile/regex/java_flags.json")),
    ("regex", "nested_repetition.json", include_bytes!("../hostile/regex/nested_repetition.json")),
    ("regex", "unsupported_property.json", include_bytes!("../hostile/regex/unsupported_property.json")),
    ("share", "deep-json.expect", include_bytes!("../hostile/share/deep-json.expect")),
    ("share", "deep-json.json", include_bytes!("../hostile/share/deep-json.json")),
    ("share", "deflate-bomb.expect", include_bytes!("../hostile/share/deflate-bomb.expect")),
    ("share", "deflate-bomb.json", include_bytes!("../hostile/share/deflate-bomb.json")),
    ("share", "huge-link.expect", include_bytes!("../hostile/share/huge-link.expect")),
    ("share", "huge-link.link", include_bytes!("../hostile/share/huge-link.link")),
    ("share", "huge-markdown.expect", include_bytes!("../hostile/share/huge-markdown.expect")),
    ("share", "huge-markdown.json", include_bytes!("../hostile/share/huge-markdown.json")),
    ("share", "long-paragraph.expect", include_bytes!("../hostile/share/long-paragraph.expect")),
    ("share", "long-paragraph.json", include_bytes!("../hostile/share/long-paragraph.json")),
    ("share", "many-paragraphs.expect", include_bytes!("../hostile/share/many-paragraphs.expect")),
    ("share", "many-paragraphs.json", include_bytes!("../hostile/share/many-paragraphs.json")),
    ("share", "not-base64.expect", include_bytes!("../hostile/share/not-base64.expect")),
    ("share", "not-base64.link", include_bytes!("../hostile/share/not-base64.link")),
    ("share", "wrong-shape.expect", include_bytes!("../hostile/share/wrong-shape.expect")),
    ("share", "wrong-shape.json", include_bytes!("../hostile/share/wrong-shape.json")),
    ("sql-script", "long-statement.expect", include_bytes!("../hostile/sql-script/long-statement.expect")),
    ("sql-script", "long-statement.sql", include_bytes!("../hostile/sql-script/long-statement.sql")),
    ("sql-script", "many-marks.expect", include_bytes!("../hostile/sql-script/many-marks.expect")),
    ("sql-script", "many-marks.sql", include_bytes!("../hostile/sql-script/many-marks.sql")),
    ("sql-script", "many-statements.expect", include_bytes!("../hostile/sql-script/many-statements.expect")),
    ("sql-script", "many-statements.sql", include_bytes!("../hostile/sql-script/many-statements.sql")),
    ("sql-script", "unclosed-comment.expect", include_bytes!("../hostile/sql-script/unclosed-comment.expect")),
    ("sql-script", "unclosed-comment.sql", include_bytes!("../hostile/sql-script/unclosed-comment.sql")),
    ("sql-script", "unclosed-quote.expect", include_bytes!("../hostile/sql-script/unclosed-quote.expect")),
    ("sql-script", "unclosed-quote.sql", include_bytes!("../hostile/sql-script/unclosed-quote.sql")),
    ("zpln", "deep-config.expect", include_bytes!("../hostile/zpln/deep-config.expect")),
    ("zpln", "deep-config.zpln", include_bytes!("../hostile/zpln/deep-config.zpln")),
    ("zpln", "deep-json.expect", include_bytes!("../hostile/zpln/deep-json.expect")),
    ("zpln", "deep-json.zpln", include_bytes!("../hostile/zpln/deep-json.zpln")),
    ("zpln", "long-paragraph.expect", include_bytes!("../hostile/zpln/long-paragraph.expect")),
    ("zpln", "long-paragraph.zpln", include_bytes!("../hostile/zpln/long-paragraph.zpln")),
    ("zpln", "many-paragraphs.expect", include_bytes!("../hostile/zpln/many-paragraphs.expect")),
    ("zpln", "many-paragraphs.zpln", include_bytes!("../hostile/zpln/many-paragraphs.zpln")),
    ("zpln", "too-big.expect", include_bytes!("../hostile/zpln/too-big.expect")),
    ("zpln", "too-big.zpln", include_bytes!("../hostile/zpln/too-big.zpln")),
    // END CASES
];
