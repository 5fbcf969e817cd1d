//! CREATE TABLE from a sample: the schema discovery Kinesis Analytics' SQL console had. From at
//! most [`MAX_RECORDS`] records of a stream (any source that hands over record bytes: a local
//! stream, a Kinesis mirror, a Kafka topic) or of a file (JSON lines, or CSV with a header
//! line), this proposes the columns and their Flink types ([`shape`]), the event-time column,
//! and a `WATERMARK` delay from the disorder the sample shows ([`disorder`]), and writes the
//! statement with comments saying how each was chosen.
//!
//! The statement is meant to be run as is: it names the options the records need
//! (`json.timestamp-format.standard`, `json.ignore-parse-errors` when some records are not
//! JSON), and it reads back the very records it was made from (tested).

pub mod disorder;
pub mod json;
pub mod shape;

use json::Node;
use shape::{Inferred, Numbers, Shape};

use crate::session::Session;

/// Most records a proposal reads.
pub const MAX_RECORDS: usize = 1000;
/// Most bytes of a file a proposal reads (the rest of the file is not looked at).
pub const MAX_FILE_BYTES: usize = 8 * 1024 * 1024;

/// Where the sampled records live, as the table's `WITH` clause will name it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A Kinesis stream (local or mirrored) of this name.
    KinesisStream(String),
    /// A file of this path (`'connector' = 'filesystem'`).
    File(String),
}

/// A proposed table.
#[derive(Clone, Debug, PartialEq)]
pub struct Proposal {
    pub table: String,
    /// The CREATE TABLE statement, with comments.
    pub ddl: String,
    /// Physical columns and their types, as the DDL declares them.
    pub columns: Vec<(String, String)>,
    /// The event-time column the watermark is on, if any column holds times.
    pub event_time: Option<String>,
    pub delay_seconds: Option<i64>,
    /// Records read.
    pub records: usize,
    /// For a CSV file with a header line: its records without that line, which the table
    /// reads (Flink's `csv` format has no header option), and the path to give them.
    pub rows_file: Option<(String, Vec<u8>)>,
}

/// A proposal for the last [`MAX_RECORDS`] records of local stream `name` (or its mirror).
pub fn from_stream(session: &Session, name: &str) -> Result<Proposal, String> {
    let records = session.stream_sample(name, MAX_RECORDS).ok_or_else(|| format!("there is no stream `{name}`"))?;
    from_records(Origin::KinesisStream(name.to_string()), &records)
}

/// A proposal for the file the session holds under `path`.
pub fn from_file(session: &Session, path: &str) -> Result<Proposal, String> {
    let data = session.file(path).ok_or_else(|| format!("there is no file `{path}`: pick or drop it in the Files panel"))?;
    from_file_data(path, &data)
}

/// A proposal for a file's bytes: CSV when its name ends in `.csv`, else JSON lines.
pub fn from_file_data(path: &str, data: &[u8]) -> Result<Proposal, String> {
    let data = &data[..data.len().min(MAX_FILE_BYTES)];
    if path.to_ascii_lowercase().ends_with(".csv") {
        return from_csv(path, data);
    }
    let lines: Vec<Vec<u8>> = data
        .split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .filter(|l| !l.iter().all(u8::is_ascii_whitespace))
        .take(MAX_RECORDS)
        .map(<[u8]>::to_vec)
        .collect();
    from_records(Origin::File(path.to_string()), &lines)
}

/// A proposal for JSON records (the first [`MAX_RECORDS`]), in the order they arrived.
pub fn from_records(origin: Origin, records: &[Vec<u8>]) -> Result<Proposal, String> {
    let records = &records[..records.len().min(MAX_RECORDS)];
    if records.is_empty() {
        return Err(format!("{} holds no records yet: nothing to infer a table from", origin_text(&origin)));
    }
    let mut rows: Vec<Vec<(String, Node)>> = Vec::with_capacity(records.len());
    let mut first_error = None;
    for (i, record) in records.iter().enumerate() {
        match json::parse(record) {
            Ok(Node::Object(entries)) => rows.push(entries),
            Ok(_) => {
                first_error.get_or_insert_with(|| format!("record {} is not a JSON object", i + 1));
            }
            Err(e) => {
                first_error.get_or_insert_with(|| format!("record {} is not JSON ({e})", i + 1));
            }
        }
    }
    if rows.is_empty() {
        return Err(format!(
            "no record of {} is a JSON object ({}): Sluice infers tables from JSON records and CSV files with a header; \
             other records can be read whole with `line STRING` and 'format' = 'raw'",
            origin_text(&origin),
            first_error.unwrap_or_default()
        ));
    }
    let skipped = records.len() - rows.len();
    let mut shape = Shape::Unknown;
    for row in &rows {
        shape.add(&Node::Object(row.clone()), 0);
    }
    let Shape::Object { fields, .. } = &shape else {
        return Err("the records are not JSON objects".into());
    };
    // One timestamp standard serves the table: the one most columns are written in.
    let mut inferred: Vec<(String, Inferred, &Shape)> = fields.iter().map(|(n, s, _)| (n.clone(), s.inferred(false, 1), s)).collect();
    let (mut sql, mut iso) = (0, 0);
    inferred.iter().for_each(|(_, t, _)| t.timestamps(&mut sql, &mut iso, 0));
    let iso_standard = iso >= sql && iso > 0;
    let mut demoted = false;
    for (_, t, _) in &mut inferred {
        let before = t.clone();
        *t = std::mem::replace(t, Inferred::String).under_standard(iso_standard, 0);
        demoted |= *t != before;
    }
    let mut notes = Vec::new();
    if skipped > 0 {
        notes.push(format!(
            "{skipped} of {} records are not JSON objects ({}): 'json.ignore-parse-errors' skips them.",
            records.len(),
            first_error.unwrap_or_default()
        ));
    }
    if demoted {
        notes.push(format!(
            "Timestamps are written both ways; the table reads the {} ones, the others stay STRING.",
            if iso_standard { "ISO-8601" } else { "SQL" }
        ));
    }
    let columns: Vec<Column> = inferred
        .into_iter()
        .map(|(name, ty, shape)| {
            let numbers = match shape {
                Shape::Number(n) => Some(*n),
                _ => None,
            };
            Column { name, ty, numbers }
        })
        .collect();
    let time_of = |row: &Vec<(String, Node)>, column: &Column| -> Option<i64> {
        let (_, node) = row.iter().find(|(k, _)| *k == column.name)?;
        event_millis(node, column)
    };
    let mut options = vec![("format".to_string(), "json".to_string())];
    if iso_standard {
        options.push(("json.timestamp-format.standard".into(), "ISO-8601".into()));
    }
    if skipped > 0 {
        options.push(("json.ignore-parse-errors".into(), "true".into()));
    }
    let event = choose_event_time(&columns, rows.len(), |c| rows.iter().filter(|r| time_of(r, &columns[c]).is_some()).count());
    let times: Vec<i64> = match event {
        Some(c) => rows.iter().filter_map(|r| time_of(r, &columns[c])).collect(),
        None => Vec::new(),
    };
    Ok(write(origin, records.len(), "JSON", columns, event, &times, options, notes, None))
}

/// A column of the proposal: its name, type and, for numbers, what they looked like.
struct Column {
    name: String,
    ty: Inferred,
    numbers: Option<Numbers>,
}

impl Column {
    /// How a number column is a time: `Some(3)` for epoch milliseconds, `Some(0)` for seconds.
    fn epoch_precision(&self) -> Option<u32> {
        let n = self.numbers?;
        if self.ty != Inferred::BigInt {
            return None;
        }
        if n.looks_like_epoch_millis() {
            Some(3)
        } else if n.looks_like_epoch_seconds() && name_says_time(&self.name) > 0 {
            Some(0)
        } else {
            None
        }
    }

    fn is_time(&self) -> bool {
        matches!(self.ty, Inferred::Timestamp { .. } | Inferred::TimestampLtz) || self.epoch_precision().is_some()
    }
}

/// How strongly a column's name says it holds event time.
fn name_says_time(name: &str) -> u32 {
    let n = name.to_ascii_lowercase();
    let mut score = 0;
    if n.contains("event") || n == "rowtime" {
        score += 2;
    }
    if n.contains("time") || n == "ts" || n.ends_with("_ts") || n.ends_with("_at") || n.contains("epoch") || n.contains("date") {
        score += 1;
    }
    score
}

/// The column the watermark goes on: one that holds a time in every record if any does, then
/// the one whose name says so most, then the first.
fn choose_event_time(columns: &[Column], records: usize, filled: impl Fn(usize) -> usize) -> Option<usize> {
    columns
        .iter()
        .enumerate()
        .filter(|(_, c)| c.is_time())
        .map(|(i, c)| (i, (filled(i) == records, name_says_time(&c.name), std::cmp::Reverse(i))))
        .max_by_key(|(_, key)| *key)
        .map(|(i, _)| i)
}

/// A record's event time (ms) in `column`.
fn event_millis(node: &Node, column: &Column) -> Option<i64> {
    match (node, &column.ty) {
        (Node::Str(s), Inferred::Timestamp { .. } | Inferred::TimestampLtz) => crate::types::parse_timestamp(s),
        (Node::Number(text), _) => {
            let n = text.parse::<i64>().ok()?;
            match column.epoch_precision()? {
                3 => Some(n),
                _ => n.checked_mul(1000),
            }
        }
        _ => None,
    }
}

/// Flink's CSV reads a line's fields by position; the header names them.
fn from_csv(path: &str, data: &[u8]) -> Result<Proposal, String> {
    let text = std::str::from_utf8(data).map_err(|e| format!("{path} is not UTF-8 text (at byte {})", e.valid_up_to()))?;
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let header = lines.next().ok_or_else(|| format!("{path} is empty: nothing to infer a table from"))?;
    let names = split_csv(header).ok_or_else(|| format!("{path}: the header line has an unclosed quote"))?;
    if names.iter().any(|n| n.trim().is_empty()) {
        return Err(format!("{path}: the header line `{header}` has an empty column name; give every column a name"));
    }
    let mut shapes: Vec<Shape> = vec![Shape::Unknown; names.len()];
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut body = String::new();
    for (i, line) in lines.take(MAX_RECORDS).enumerate() {
        let fields = split_csv(line).ok_or_else(|| format!("{path}: line {} has an unclosed quote", i + 2))?;
        if fields.len() != names.len() {
            return Err(format!("{path}: line {} has {} fields, the header {}", i + 2, fields.len(), names.len()));
        }
        for (shape, field) in shapes.iter_mut().zip(&fields) {
            shape.add(&csv_node(field), 1);
        }
        body.push_str(line);
        body.push('\n');
        rows.push(fields);
    }
    if rows.is_empty() {
        return Err(format!("{path} has a header but no records: nothing to infer types from"));
    }
    // Flink's CSV reads timestamps written the SQL way only (`2021-05-19 11:20:00`).
    let columns: Vec<Column> = names
        .iter()
        .zip(&shapes)
        .map(|(name, shape)| {
            let ty = match shape.inferred(false, 1) {
                Inferred::Timestamp { iso: false } => Inferred::Timestamp { iso: false },
                Inferred::Timestamp { .. } | Inferred::TimestampLtz => Inferred::String,
                t => t,
            };
            let numbers = match shape {
                Shape::Number(n) => Some(*n),
                _ => None,
            };
            Column { name: name.trim().to_string(), ty, numbers }
        })
        .collect();
    let time_of = |row: &Vec<String>, c: usize| event_millis(&csv_node(&row[c]), &columns[c]);
    let event = choose_event_time(&columns, rows.len(), |c| rows.iter().filter(|r| time_of(r, c).is_some()).count());
    let times: Vec<i64> = match event {
        Some(c) => rows.iter().filter_map(|r| time_of(r, c)).collect(),
        None => Vec::new(),
    };
    let rows_path = rows_file_name(path);
    let notes = vec![format!("Flink's csv format has no header option: the table reads {rows_path}, {path} without its header line.")];
    let options = vec![("format".to_string(), "csv".to_string())];
    let mut proposal = write(Origin::File(rows_path.clone()), rows.len(), "CSV", columns, event, &times, options, notes, Some(path));
    proposal.rows_file = Some((rows_path, body.into_bytes()));
    Ok(proposal)
}

/// `readings.csv` → `readings-rows.csv`.
fn rows_file_name(path: &str) -> String {
    match path.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => format!("{stem}-rows.{ext}"),
        _ => format!("{path}-rows"),
    }
}

/// A CSV field as the JSON value it would be: empty is NULL, `true`/`false` booleans, numbers.
fn csv_node(field: &str) -> Node {
    if field.is_empty() {
        Node::Null
    } else if field.eq_ignore_ascii_case("true") || field.eq_ignore_ascii_case("false") {
        Node::Bool(true)
    } else if json::parse(field.as_bytes()).is_ok_and(|n| matches!(n, Node::Number(_))) {
        Node::Number(field.to_string())
    } else {
        Node::Str(field.to_string())
    }
}

/// Splits a line at commas outside `"` quotes (a doubled quote inside is a quote).
fn split_csv(line: &str) -> Option<Vec<String>> {
    let mut fields = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        let field = fields.last_mut()?;
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(String::new()),
            c => field.push(c),
        }
    }
    (!quoted).then_some(fields)
}

fn origin_text(origin: &Origin) -> String {
    match origin {
        Origin::KinesisStream(name) => format!("stream `{name}`"),
        Origin::File(path) => format!("file `{path}`"),
    }
}

/// Writes the statement and the proposal around it.
#[allow(clippy::too_many_arguments)]
fn write(
    origin: Origin,
    records: usize,
    format: &str,
    columns: Vec<Column>,
    event: Option<usize>,
    times: &[i64],
    mut options: Vec<(String, String)>,
    notes: Vec<String>,
    sampled_file: Option<&str>,
) -> Proposal {
    let source_name = match &origin {
        Origin::KinesisStream(name) => name.clone(),
        Origin::File(path) => sampled_file.unwrap_or(path).to_string(),
    };
    let table = table_name(&source_name);
    let mut ddl = String::new();
    let sampled = match &origin {
        Origin::KinesisStream(name) => format!("stream `{name}`"),
        Origin::File(_) => format!("file {source_name}"),
    };
    ddl.push_str(&format!(
        "-- Proposed from {records} record{} of {sampled} ({format}); check the types before relying on them.\n",
        if records == 1 { "" } else { "s" }
    ));
    for note in &notes {
        ddl.push_str(&format!("-- {note}\n"));
    }
    let mut lines: Vec<String> = columns.iter().map(|c| format!("    {} {}", quoted(&c.name), c.ty.sql(0))).collect();
    let mut event_time = None;
    let mut delay_seconds = None;
    if let Some(c) = event.map(|i| &columns[i]) {
        let rowtime = match c.epoch_precision() {
            Some(precision) => {
                let name = if columns.iter().any(|x| x.name.eq_ignore_ascii_case("event_time")) {
                    format!("{}_time", c.name)
                } else {
                    "event_time".to_string()
                };
                lines.push(format!("    {} AS TO_TIMESTAMP_LTZ({}, {precision})", quoted(&name), quoted(&c.name)));
                ddl.push_str(&format!(
                    "-- Event time: {} holds epoch {} (every value between 2000 and 2100); {name} is it as a TIMESTAMP_LTZ.\n",
                    c.name,
                    if precision == 3 { "milliseconds" } else { "seconds" }
                ));
                name
            }
            None => {
                ddl.push_str(&format!("-- Event time: {} ({} of {} records have one).\n", c.name, times.len(), records));
                c.name.clone()
            }
        };
        let d = disorder::Disorder::of(times);
        ddl.push_str(&format!("-- Watermark: {}\n", d.explain()));
        lines.push(format!("    WATERMARK FOR {0} AS {0} - INTERVAL '{1}' SECOND", quoted(&rowtime), d.delay_seconds));
        event_time = Some(rowtime);
        delay_seconds = Some(d.delay_seconds);
    } else {
        ddl.push_str("-- No column holds times (timestamps, or epoch milliseconds), so no watermark: windows need one.\n");
    }
    let mut with = match &origin {
        Origin::KinesisStream(name) => vec![
            ("connector".to_string(), "kinesis".to_string()),
            ("stream".to_string(), name.clone()),
            // From the oldest record kept, so the table reads the records it was made from.
            ("scan.stream.initpos".to_string(), "TRIM_HORIZON".to_string()),
        ],
        Origin::File(path) => vec![("connector".to_string(), "filesystem".to_string()), ("path".to_string(), path.clone())],
    };
    with.append(&mut options);
    ddl.push_str(&format!("CREATE TABLE {} (\n{}\n) WITH (\n", quoted(&table), lines.join(",\n")));
    let with: Vec<String> = with.iter().map(|(k, v)| format!("    '{}' = '{}'", k, v.replace('\'', "''"))).collect();
    ddl.push_str(&with.join(",\n"));
    ddl.push_str("\n)");
    Proposal {
        table,
        ddl,
        columns: columns.iter().map(|c| (c.name.clone(), c.ty.sql(0))).collect(),
        event_time,
        delay_seconds,
        records,
        rows_file: None,
    }
}

/// A table name from a stream or file name: `my-input-stream` → `my_input_stream`,
/// `data/Readings 2.jsonl` → `readings_2`.
pub fn table_name(source: &str) -> String {
    let base = source.rsplit(['/', '\\']).next().unwrap_or(source);
    let stem = match base.split_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => base,
    };
    let mut name: String = stem.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect();
    name = name.trim_matches('_').to_string();
    if name.is_empty() {
        name = "sampled".into();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert_str(0, "t_");
    }
    name
}

/// A column or field name as DDL writes it: in backquotes unless a plain identifier Flink does
/// not reserve.
pub fn quoted(name: &str) -> String {
    let plain = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !crate::sql::is_reserved_word(name);
    if plain {
        name.to_string()
    } else {
        format!("`{}`", name.replace('`', "``"))
    }
}
