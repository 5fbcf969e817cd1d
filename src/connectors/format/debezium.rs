//! Flink's `debezium-json` format: a table's rows as Debezium's change events, read as a
//! changelog (`DebeziumJsonDeserializationSchema`) and written as one (`…SerializationSchema`).
//!
//! Reading, each message `{"before": {…}, "after": {…}, "op": "…"}` (inside `"payload"` with
//! `debezium-json.schema-include`) becomes:
//!
//! - `op` `c` (create) or `r` (snapshot read): `+I` of `after`;
//! - `u`: `-U` of `before`, then `+U` of `after` (a missing `before` is an error naming
//!   Postgres's `REPLICA IDENTITY FULL`, as Flink's);
//! - `d`: `-D` of `before`.
//!
//! An empty message (a Kafka tombstone) is skipped. Anything else, an unknown `op`, or a row
//! that does not convert is a corrupt message: an error naming it, or with
//! `debezium-json.ignore-parse-errors` skipped and counted (a field that does not convert is
//! then NULL, as in `json`). A message gives all its rows or none.
//!
//! Writing, `+I` and `+U` rows become `{"before":null,"after":{…},"op":"c"}` and `-U` and `-D`
//! rows `{"before":{…},"after":null,"op":"d"}`, so an update is written as a delete and a create.

use super::bool_option;
use super::json::{object_members, string_of, JsonDecoder, JsonEncoder, JsonOptions};
use crate::types::{Batch, Field, RowKind, Value};

/// The options `debezium-json` takes, after its name and a dot.
pub const OPTIONS: &[&str] = &[
    "encode.decimal-as-plain-number",
    "encode.ignore-null-fields",
    "ignore-parse-errors",
    "map-null-key.literal",
    "map-null-key.mode",
    "schema-include",
    "timestamp-format.standard",
];

/// The `json.*` options the format's `debezium-json.*` options stand for (the row inside a
/// message is read and written as `json` reads and writes it).
fn json_options(options: &[(String, String)]) -> Result<JsonOptions, String> {
    let renamed: Vec<(String, String)> = options
        .iter()
        .filter_map(|(k, v)| k.strip_prefix("debezium-json.").map(|k| (format!("json.{k}"), v.clone())))
        .filter(|(k, _)| k != "json.schema-include")
        .collect();
    JsonOptions::from_table_options(&renamed).map_err(|e| e.replace("'json.", "'debezium-json."))
}

/// Checks the format's options (their values; their names are the connector's to check).
pub fn check_options(options: &[(String, String)]) -> Result<(), String> {
    json_options(options)?;
    bool_option(options, "debezium-json.schema-include")?;
    Ok(())
}

pub struct DebeziumDecoder {
    rows: JsonDecoder,
    kinds: Vec<RowKind>,
    schema_include: bool,
    ignore_parse_errors: bool,
    skipped: u64,
}

impl DebeziumDecoder {
    pub fn new(fields: &[Field], options: &[(String, String)]) -> Result<Self, String> {
        let mut json = json_options(options)?;
        // With `ignore-parse-errors` a row's field that does not convert is NULL (as in
        // `json`); a row that is not an object makes the whole message corrupt (see `row`).
        let ignore_parse_errors = json.ignore_parse_errors;
        json.fail_on_missing_field = false;
        Ok(DebeziumDecoder {
            rows: JsonDecoder::new(fields, json),
            kinds: Vec::new(),
            schema_include: bool_option(options, "debezium-json.schema-include")?,
            ignore_parse_errors,
            skipped: 0,
        })
    }

    /// Rows decoded and not yet taken by [`DebeziumDecoder::finish`].
    pub fn rows(&self) -> usize {
        self.kinds.len()
    }

    /// Decodes one message into zero, one or two rows.
    pub fn decode(&mut self, message: &[u8]) -> Result<(), String> {
        if message.is_empty() {
            return Ok(());
        }
        let rows = self.rows.rows();
        let kinds = self.kinds.len();
        match self.decode_message(message) {
            Ok(()) => Ok(()),
            Err(cause) => {
                self.rows.truncate(rows);
                self.kinds.truncate(kinds);
                if self.ignore_parse_errors {
                    self.skipped += 1;
                    return Ok(());
                }
                let text = String::from_utf8_lossy(message);
                let text = if text.chars().count() > 120 { text.chars().take(117).collect::<String>() + "..." } else { text.into_owned() };
                Err(format!("Corrupt Debezium JSON message '{text}': {cause}"))
            }
        }
    }

    fn decode_message(&mut self, message: &[u8]) -> Result<(), String> {
        let at = |(offset, m): (usize, String)| format!("at byte {offset}: {m}");
        let mut envelope = message;
        if self.schema_include {
            envelope = match object_members(message, &["payload"]).map_err(at)?[0] {
                Some(p) if p != b"null" => p,
                _ => return Err("the message has no \"payload\" ('debezium-json.schema-include' is true)".into()),
            };
        }
        let members = object_members(envelope, &["before", "after", "op"]).map_err(at)?;
        let (before, after) = (not_null(members[0]), not_null(members[1]));
        let Some(op) = members[2].and_then(string_of) else { return Err("the message has no \"op\"".into()) };
        let replica = |what: &str| {
            format!("The \"before\" field of {what} message is null, if you are using Debezium Postgres Connector, please check the Postgres table has been set REPLICA IDENTITY to FULL level.")
        };
        match op.as_str() {
            "c" | "r" => self.row(after, RowKind::Insert, "after"),
            "u" => {
                let before = before.ok_or_else(|| replica("UPDATE"))?;
                self.row(Some(before), RowKind::UpdateBefore, "before")?;
                self.row(after, RowKind::UpdateAfter, "after")
            }
            "d" => self.row(Some(before.ok_or_else(|| replica("DELETE"))?), RowKind::Delete, "before"),
            other => Err(format!("Unknown \"op\" value \"{other}\". The Debezium JSON message is '{}'", String::from_utf8_lossy(message))),
        }
    }

    fn row(&mut self, value: Option<&[u8]>, kind: RowKind, field: &str) -> Result<(), String> {
        let value = value.ok_or_else(|| format!("the \"{field}\" row is null"))?;
        let (rows, skipped) = (self.rows.rows(), self.rows.skipped());
        self.rows.decode(value).map_err(|e| format!("the \"{field}\" row: {}", e.message))?;
        if self.rows.skipped() > skipped || self.rows.rows() == rows {
            return Err(format!("the \"{field}\" row is not a JSON object"));
        }
        self.kinds.push(kind);
        Ok(())
    }

    /// The rows decoded since the last call, with their kinds.
    pub fn finish(&mut self) -> Batch {
        let mut batch = self.rows.finish();
        let kinds = std::mem::take(&mut self.kinds);
        if kinds.iter().any(|k| *k != RowKind::Insert) {
            batch.kinds = Some(kinds);
        }
        batch
    }

    /// Messages skipped as corrupt (`debezium-json.ignore-parse-errors`).
    pub fn skipped(&self) -> u64 {
        self.skipped
    }
}

/// A member's text, unless it is absent or `null`.
fn not_null(member: Option<&[u8]>) -> Option<&[u8]> {
    member.filter(|v| *v != b"null")
}

pub struct DebeziumEncoder {
    row: JsonEncoder,
}

impl DebeziumEncoder {
    pub fn new(fields: &[Field], options: &[(String, String)]) -> Result<Self, String> {
        Ok(DebeziumEncoder { row: JsonEncoder::new(fields, json_options(options)?) })
    }

    /// Appends `row`, a change of kind `kind`, as one Debezium message.
    pub fn encode(&self, kind: RowKind, row: &[Value], out: &mut Vec<u8>) {
        if kind.is_accumulate() {
            out.extend_from_slice(br#"{"before":null,"after":"#);
            self.row.encode(row, out);
            out.extend_from_slice(br#","op":"c"}"#);
        } else {
            out.extend_from_slice(br#"{"before":"#);
            self.row.encode(row, out);
            out.extend_from_slice(br#","after":null,"op":"d"}"#);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::DataType;

    fn fields() -> Vec<Field> {
        [("id", DataType::Int), ("name", DataType::Varchar(10))]
            .into_iter()
            .map(|(n, t)| Field { name: n.into(), ty: crate::types::SqlType::nullable(t) })
            .collect()
    }

    fn decoded(decoder: &mut DebeziumDecoder) -> Vec<String> {
        let batch = decoder.finish();
        let types = [DataType::Int, DataType::Varchar(10)];
        (0..batch.len())
            .map(|i| {
                let row = batch.row(i, &types);
                format!("{}{},{}", batch.kind(i).short(), row[0], row[1])
            })
            .collect()
    }

    #[test]
    fn each_op_becomes_its_changes() {
        let mut d = DebeziumDecoder::new(&fields(), &[]).unwrap();
        for m in [
            r#"{"before":null,"after":{"id":1,"name":"a"},"op":"c"}"#,
            r#"{"after":{"id":2,"name":"b"},"op":"r","source":{"db":"x"}}"#,
            r#"{"before":{"id":1,"name":"a"},"after":{"id":1,"name":"a2"},"op":"u"}"#,
            r#"{"before":{"id":2,"name":"b"},"after":null,"op":"d"}"#,
            "",
        ] {
            d.decode(m.as_bytes()).unwrap();
        }
        assert_eq!(decoded(&mut d), ["+I1,a", "+I2,b", "-U1,a", "+U1,a2", "-D2,b"]);
    }

    #[test]
    fn a_corrupt_message_leaves_no_row_and_is_named_or_skipped() {
        let mut d = DebeziumDecoder::new(&fields(), &[]).unwrap();
        let e = d.decode(br#"{"before":null,"after":{"id":1},"op":"u"}"#).unwrap_err();
        assert!(e.starts_with("Corrupt Debezium JSON message '{\"before\":null"), "{e}");
        assert!(e.contains("REPLICA IDENTITY to FULL"), "{e}");
        // The update's before row decoded, its after row is not an object: neither is kept.
        assert!(d.decode(br#"{"before":{"id":1},"after":7,"op":"u"}"#).is_err());
        let e = d.decode(br#"{"after":{"id":1},"op":"x"}"#).unwrap_err();
        assert!(e.contains("Unknown \"op\" value \"x\""), "{e}");
        assert!(d.decode(b"{\"after\":{\"id\":1},").is_err());
        assert_eq!(decoded(&mut d), Vec::<String>::new());
        let options = [("debezium-json.ignore-parse-errors".to_string(), "true".to_string())];
        let mut d = DebeziumDecoder::new(&fields(), &options).unwrap();
        d.decode(br#"{"before":{"id":1},"after":7,"op":"u"}"#).unwrap();
        d.decode(br#"{"after":{"id":"one","name":"z"},"op":"c"}"#).unwrap();
        assert_eq!(d.skipped(), 1);
        assert_eq!(decoded(&mut d), ["+INULL,z"]);
    }

    #[test]
    fn schema_include_reads_the_payload() {
        let options = [("debezium-json.schema-include".to_string(), "true".to_string())];
        let mut d = DebeziumDecoder::new(&fields(), &options).unwrap();
        d.decode(br#"{"schema":{"type":"struct"},"payload":{"before":null,"after":{"id":3,"name":"c"},"op":"c"}}"#).unwrap();
        assert_eq!(decoded(&mut d), ["+I3,c"]);
    }

    #[test]
    fn changes_are_written_as_creates_and_deletes() {
        let e = DebeziumEncoder::new(&fields(), &[]).unwrap();
        let row = [Value::Int(1), Value::Str("a".into())];
        let mut out = Vec::new();
        e.encode(RowKind::UpdateAfter, &row, &mut out);
        out.push(b'\n');
        e.encode(RowKind::UpdateBefore, &row, &mut out);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\"before\":null,\"after\":{\"id\":1,\"name\":\"a\"},\"op\":\"c\"}\n{\"before\":{\"id\":1,\"name\":\"a\"},\"after\":null,\"op\":\"d\"}"
        );
    }
}
