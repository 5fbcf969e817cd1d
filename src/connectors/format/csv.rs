//! Flink's `csv` format: one record per line, fields by position in the table's column order.
//!
//! Options as Flink spells them: `csv.field-delimiter` (one character, `,`),
//! `csv.quote-character` (`"`; a doubled quote inside quotes is a quote),
//! `csv.disable-quote-character`, `csv.null-literal`, `csv.allow-comments`,
//! `csv.ignore-parse-errors`. BYTES are base64 text, as Jackson (Flink's CSV library) reads
//! and writes binary. An empty
//! field is NULL for every type but strings. A record with the wrong number of fields, or a
//! field that is not of its column's type, is an error naming the record and the field — unless
//! `csv.ignore-parse-errors` is set: then, as in Flink, such fields are NULL (a record that cannot
//! be split at all, such as one with an open quote, is skipped) and the record is counted.

use crate::types::{cast_value, Batch, Column, DataType, Field, Value, STRING_LENGTH};

use super::json::{format_json_timestamp, write_java_double, TimestampStandard};
use super::{bool_option, Projection};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CsvOptions {
    pub delimiter: char,
    pub quote: Option<char>,
    pub null_literal: Option<String>,
    pub ignore_parse_errors: bool,
    /// `csv.allow-comments`: lines starting with `#` are not records.
    pub allow_comments: bool,
    /// `csv.array-element-delimiter`: between an ARRAY's elements (`;`).
    pub array_delimiter: String,
}

impl Default for CsvOptions {
    fn default() -> Self {
        CsvOptions {
            delimiter: ',',
            quote: Some('"'),
            null_literal: None,
            ignore_parse_errors: false,
            allow_comments: false,
            array_delimiter: ";".into(),
        }
    }
}

const KNOWN: &[&str] = &[
    "csv.field-delimiter",
    "csv.quote-character",
    "csv.disable-quote-character",
    "csv.null-literal",
    "csv.ignore-parse-errors",
    "csv.allow-comments",
    "csv.array-element-delimiter",
    "csv.escape-character",
    "csv.write-bigdecimal-in-scientific-notation",
];

fn one_char(key: &str, v: &str) -> Result<char, String> {
    // Flink takes '\t' spelled out as well as a real tab.
    let v = if v == "\\t" { "\t" } else { v };
    let mut chars = v.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => Ok(c),
        _ => Err(format!("Option '{key}' must be a string with single character, but was: {v}")),
    }
}

impl CsvOptions {
    pub fn from_table_options(options: &[(String, String)]) -> Result<Self, String> {
        let get = |key: &str| options.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
        if let Some((k, _)) = options.iter().find(|(k, _)| k.starts_with("csv.") && !KNOWN.contains(&k.as_str())) {
            return Err(format!("'{k}' is not an option of the csv format (it knows: {})", KNOWN.join(", ")));
        }
        let delimiter = get("csv.field-delimiter").map(|v| one_char("csv.field-delimiter", v)).transpose()?.unwrap_or(',');
        let disable_quote = bool_option(options, "csv.disable-quote-character")?;
        let quote = match get("csv.quote-character") {
            Some(_) if disable_quote => {
                return Err("Format cannot define a quote character and disabled quote character at the same time.".into())
            }
            Some(v) => Some(one_char("csv.quote-character", v)?),
            None if disable_quote => None,
            None => Some('"'),
        };
        if quote == Some(delimiter) {
            return Err("'csv.quote-character' cannot be the field delimiter".into());
        }
        Ok(CsvOptions {
            delimiter,
            quote,
            null_literal: get("csv.null-literal").map(str::to_string),
            ignore_parse_errors: bool_option(options, "csv.ignore-parse-errors")?,
            allow_comments: bool_option(options, "csv.allow-comments")?,
            array_delimiter: get("csv.array-element-delimiter").unwrap_or(";").to_string(),
        })
    }
}

/// Flink's csv format refuses a MAP or MULTISET column when the table is used ("Unsupported
/// type 'MAP<STRING, INT>' for field 'm'."); ARRAYs of them too.
pub fn check_fields(fields: &[Field]) -> Result<(), String> {
    for f in fields {
        let mut ty = &f.ty;
        while let DataType::Array(inner) = &ty.data_type {
            ty = inner;
        }
        if matches!(ty.data_type, DataType::Map(..) | DataType::Multiset(_)) {
            return Err(format!("Unsupported type '{}' for field '{}'.", f.ty.plain(), f.name));
        }
    }
    Ok(())
}

/// One field's text as a value of `ty`: an ARRAY's elements split at the array delimiter (an
/// empty field is an empty ARRAY, an empty element NULL), BYTES from base64, others by CAST.
/// `None` when the text is not of the type.
fn field_value(text: &str, ty: &DataType, options: &CsvOptions) -> Option<Value> {
    use base64::Engine as _;
    match ty {
        _ if ty.is_string() => Some(Value::Str(text.into())),
        // Jackson's CSV reads binary as base64 text, as Flink's format does.
        _ if ty.is_binary() => base64::engine::general_purpose::STANDARD.decode(text.trim()).ok().map(|b| Value::Bytes(b.into())),
        DataType::Array(element) => {
            if text.is_empty() {
                return Some(Value::Array(Vec::new()));
            }
            let items = text
                .split(options.array_delimiter.as_str())
                .map(|t| {
                    if t.is_empty() && !element.data_type.is_string() {
                        Some(Value::Null)
                    } else {
                        field_value(t, &element.data_type, options)
                    }
                })
                .collect::<Option<Vec<Value>>>()?;
            Some(Value::Array(items))
        }
        _ => cast_value(&Value::Str(text.into()), &DataType::Varchar(STRING_LENGTH), ty),
    }
}

/// Splits one line into its fields (quotes removed, doubled quotes undone). `Err` for a quote
/// left open.
fn split_fields(line: &str, options: &CsvOptions, out: &mut Vec<String>) -> Result<(), String> {
    out.clear();
    let mut field = String::new();
    let mut chars = line.chars().peekable();
    let mut in_quotes = false;
    loop {
        match chars.next() {
            None => {
                if in_quotes {
                    return Err("a quoted field is not closed".into());
                }
                out.push(field);
                return Ok(());
            }
            Some(c) if in_quotes && Some(c) == options.quote => {
                if chars.peek() == Some(&c) {
                    chars.next();
                    field.push(c);
                } else {
                    in_quotes = false;
                }
            }
            Some(c) if !in_quotes && Some(c) == options.quote && field.is_empty() => in_quotes = true,
            Some(c) if !in_quotes && c == options.delimiter => out.push(std::mem::take(&mut field)),
            Some(c) => field.push(c),
        }
    }
}

/// Why a record was not read: the record (shortened) and, when one is to blame, the field.
pub fn describe(format: &str, record: &[u8], field: Option<&str>, message: &str) -> String {
    let text = String::from_utf8_lossy(record);
    let shown = if text.chars().count() > 120 { text.chars().take(117).collect::<String>() + "..." } else { text.into_owned() };
    match field {
        Some(f) => format!("cannot decode {format} record `{shown}`: field `{f}`: {message}"),
        None => format!("cannot decode {format} record `{shown}`: {message}"),
    }
}

pub struct CsvDecoder {
    fields: Vec<Field>,
    options: CsvOptions,
    columns: Vec<Column>,
    len: usize,
    skipped: u64,
    parts: Vec<String>,
    row: Vec<Value>,
    /// Which fields the query reads; see [`CsvDecoder::project`].
    read: Projection,
}

impl CsvDecoder {
    pub fn new(fields: &[Field], options: CsvOptions) -> Self {
        let columns = fields.iter().map(|f| Column::empty(&f.ty.data_type, 1024)).collect();
        CsvDecoder {
            fields: fields.to_vec(),
            options,
            columns,
            len: 0,
            skipped: 0,
            parts: Vec::new(),
            row: Vec::new(),
            read: Projection::default(),
        }
    }

    /// Converts only the fields `read` marks, as Flink's CSV format does under a projection
    /// pushed into the scan: the others are split out of the line but left NULL, so a bad value
    /// there is no error (a line of the wrong length still is).
    pub fn project(&mut self, read: &[bool]) {
        self.read = Projection::new(read, self.fields.len());
    }

    /// Decodes one line; a bad one is skipped and counted, or returned as an error.
    pub fn decode(&mut self, record: &[u8]) -> Result<(), String> {
        if self.options.allow_comments && record.first() == Some(&b'#') {
            return Ok(());
        }
        match self.parse(record) {
            Ok(()) => {
                for (c, v) in self.columns.iter_mut().zip(&self.row) {
                    c.push(v);
                }
                self.len += 1;
                Ok(())
            }
            // Flink skips a record it cannot split at all.
            Err(_) if self.options.ignore_parse_errors => {
                self.skipped += 1;
                Ok(())
            }
            Err((field, message)) => Err(describe("CSV", record, field.map(|i| self.fields[i].name.as_str()), &message)),
        }
    }

    /// Converts the whole row before any of it reaches the columns, so a bad record leaves
    /// nothing behind.
    fn parse(&mut self, record: &[u8]) -> Result<(), (Option<usize>, String)> {
        let line = std::str::from_utf8(record).map_err(|_| (None, "the record is not UTF-8".to_string()))?;
        split_fields(line, &self.options, &mut self.parts).map_err(|m| (None, m))?;
        // With `csv.ignore-parse-errors`, as in Flink, missing and unreadable fields are NULL
        // and the record is kept (and counted); otherwise they fail it.
        let lenient = self.options.ignore_parse_errors;
        let mut flawed = false;
        if self.parts.len() != self.fields.len() {
            if !lenient {
                return Err((None, format!("Row length mismatch. {} fields expected but was {}.", self.fields.len(), self.parts.len())));
            }
            flawed = true;
        }
        self.row.clear();
        for (i, field) in self.fields.iter().enumerate() {
            let ty = &field.ty.data_type;
            let text = self.parts.get(i).map(String::as_str);
            let value = match text {
                None => Value::Null,
                Some(_) if self.read.skips(i) => {
                    self.row.push(Value::Null);
                    continue;
                }
                // Flink reads an empty field as NULL but for strings, BYTES and ARRAYs (empty ones).
                Some(t)
                    if self.options.null_literal.as_deref() == Some(t)
                        || (t.is_empty() && !ty.is_string() && !ty.is_binary() && !matches!(ty, DataType::Array(_))) =>
                {
                    Value::Null
                }
                Some(t) => match field_value(t, ty, &self.options) {
                    Some(v) => v,
                    None if lenient => {
                        flawed = true;
                        Value::Null
                    }
                    None => return Err((Some(i), format!("`{t}` is not a {ty} value"))),
                },
            };
            if value.is_null() && !field.ty.nullable {
                return Err((Some(i), "NULL in a NOT NULL column".into()));
            }
            self.row.push(value);
        }
        if flawed {
            self.skipped += 1;
        }
        Ok(())
    }

    pub fn finish(&mut self) -> Batch {
        let columns = self.fields.iter().map(|f| Column::empty(&f.ty.data_type, self.len.max(1024))).collect();
        let columns = std::mem::replace(&mut self.columns, columns);
        Batch::new(columns, std::mem::take(&mut self.len))
    }

    /// Records with a parse error that `csv.ignore-parse-errors` let through or skipped.
    pub fn skipped(&self) -> u64 {
        self.skipped
    }
}

/// Writes rows as Flink's csv format does: quoted only when needed, NULL as the null literal
/// (empty by default).
pub struct CsvEncoder {
    fields: Vec<Field>,
    options: CsvOptions,
}

impl CsvEncoder {
    pub fn new(fields: &[Field], options: CsvOptions) -> Self {
        CsvEncoder { fields: fields.to_vec(), options }
    }

    /// One value's text (an ARRAY element's too): NULL as the null literal, BYTES as base64.
    fn scalar_text(&self, value: &Value, ty: &DataType) -> String {
        match value {
            Value::Null => self.options.null_literal.clone().unwrap_or_default(),
            Value::Double(d) => {
                let mut b = Vec::new();
                write_java_double(if matches!(ty, DataType::Float) { *d as f32 as f64 } else { *d }, &mut b);
                String::from_utf8_lossy(&b).into_owned()
            }
            Value::Bool(b) => b.to_string(),
            Value::Bytes(b) => {
                use base64::Engine as _;
                base64::engine::general_purpose::STANDARD.encode(b)
            }
            Value::Timestamp(ms) => format_json_timestamp(*ms, TimestampStandard::Sql, matches!(ty, DataType::TimestampLtz(_))),
            other => other.to_string(),
        }
    }

    pub fn encode(&self, row: &[Value], out: &mut Vec<u8>) {
        let mut text = String::new();
        for (i, (value, field)) in row.iter().zip(&self.fields).enumerate() {
            if i > 0 {
                text.push(self.options.delimiter);
            }
            let ty = &field.ty.data_type;
            // Jackson, which Flink's csv writer uses, quotes text (strings, dates, times) that
            // holds any character up to the delimiter or quote, so `2021-05-19 11:20:00` is
            // quoted for its space; numbers and booleans never are.
            let is_text = matches!(value, Value::Str(_) | Value::Date(_) | Value::Time(_) | Value::Timestamp(_) | Value::Array(_));
            let shown = match value {
                Value::Array(items) => {
                    let element = match ty {
                        DataType::Array(e) => e.data_type.clone(),
                        _ => DataType::Null,
                    };
                    let texts: Vec<String> = items.iter().map(|v| self.scalar_text(v, &element)).collect();
                    texts.join(&self.options.array_delimiter)
                }
                v => self.scalar_text(v, ty),
            };
            let needs_quotes = self.options.quote.is_some_and(|q| {
                let min_safe = (q as u32).max(self.options.delimiter as u32).max('\n' as u32) + 1;
                is_text && shown.chars().any(|c| (c as u32) < min_safe || c == q || c == self.options.delimiter)
            });
            match self.options.quote {
                Some(q) if needs_quotes => {
                    text.push(q);
                    for c in shown.chars() {
                        if c == q {
                            text.push(q);
                        }
                        text.push(c);
                    }
                    text.push(q);
                }
                _ => text.push_str(&shown),
            }
        }
        out.extend_from_slice(text.as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::SqlType;

    fn fields() -> Vec<Field> {
        vec![
            Field { name: "id".into(), ty: SqlType::nullable(DataType::Int) },
            Field { name: "name".into(), ty: SqlType::nullable(DataType::Varchar(STRING_LENGTH)) },
            Field { name: "price".into(), ty: SqlType::nullable(DataType::Double) },
        ]
    }

    fn rows(d: &mut CsvDecoder) -> Vec<Vec<Value>> {
        let types: Vec<DataType> = fields().iter().map(|f| f.ty.data_type.clone()).collect();
        let b = d.finish();
        (0..b.len()).map(|i| b.row(i, &types)).collect()
    }

    #[test]
    fn reads_quoted_fields_with_delimiters_and_doubled_quotes() {
        let mut d = CsvDecoder::new(&fields(), CsvOptions::default());
        d.decode(br#"1,"a, ""b""",2.5"#).unwrap();
        d.decode(b"2,,").unwrap();
        assert_eq!(
            rows(&mut d),
            vec![
                vec![Value::Int(1), Value::Str("a, \"b\"".into()), Value::Double(2.5)],
                vec![Value::Int(2), Value::Str("".into()), Value::Null]
            ]
        );
    }

    #[test]
    fn a_bad_field_is_named_or_skipped_and_counted() {
        let mut d = CsvDecoder::new(&fields(), CsvOptions::default());
        let err = d.decode(b"1,x,abc").unwrap_err();
        assert!(err.contains("`1,x,abc`") && err.contains("field `price`"), "{err}");
        let err = d.decode(b"1,x").unwrap_err();
        assert!(err.contains("Row length mismatch. 3 fields expected but was 2."), "{err}");
        // Checked against Flink 2.3: bad and missing fields become NULL; an open quote skips.
        let mut d = CsvDecoder::new(&fields(), CsvOptions { ignore_parse_errors: true, ..Default::default() });
        d.decode(b"1,x,abc").unwrap();
        d.decode(b"\"open,x,1").unwrap();
        d.decode(b"2,y").unwrap();
        d.decode(b"3,z,1").unwrap();
        assert_eq!(d.skipped(), 3);
        assert_eq!(
            rows(&mut d),
            vec![
                vec![Value::Int(1), Value::Str("x".into()), Value::Null],
                vec![Value::Int(2), Value::Str("y".into()), Value::Null],
                vec![Value::Int(3), Value::Str("z".into()), Value::Double(1.0)],
            ]
        );
    }

    #[test]
    fn custom_delimiter_and_quote_round_trip() {
        let options =
            CsvOptions::from_table_options(&[("csv.field-delimiter".into(), "|".into()), ("csv.quote-character".into(), "'".into())])
                .unwrap();
        let e = CsvEncoder::new(&fields(), options.clone());
        let mut out = Vec::new();
        e.encode(&[Value::Int(7), Value::Str("it's|here".into()), Value::Null], &mut out);
        assert_eq!(String::from_utf8_lossy(&out), "7|'it''s|here'|");
        let mut d = CsvDecoder::new(&fields(), options);
        d.decode(&out).unwrap();
        assert_eq!(rows(&mut d), vec![vec![Value::Int(7), Value::Str("it's|here".into()), Value::Null]]);
    }

    #[test]
    fn writes_as_flinks_csv_writer_does() {
        // Checked against Flink 2.3's filesystem sink with 'format' = 'csv'.
        let fields = vec![
            Field { name: "n".into(), ty: SqlType::nullable(DataType::Int) },
            Field { name: "x".into(), ty: SqlType::nullable(DataType::Double) },
            Field { name: "s".into(), ty: SqlType::nullable(DataType::Varchar(STRING_LENGTH)) },
            Field { name: "ts".into(), ty: SqlType::nullable(DataType::Timestamp(3)) },
            Field { name: "b".into(), ty: SqlType::nullable(DataType::Boolean) },
        ];
        let e = CsvEncoder::new(&fields, CsvOptions::default());
        let ts = crate::types::parse_timestamp("2021-05-19 11:20:00").unwrap();
        let line = |row: &[Value]| {
            let mut out = Vec::new();
            e.encode(row, &mut out);
            String::from_utf8(out).unwrap()
        };
        assert_eq!(
            line(&[Value::Int(2), Value::Null, Value::Str("q\"x".into()), Value::Timestamp(ts), Value::Bool(false)]),
            r#"2,,"q""x","2021-05-19 11:20:00",false"#
        );
        assert_eq!(line(&[Value::Int(3), Value::Double(1e10), Value::Str("".into()), Value::Null, Value::Null]), "3,1.0E10,,,");
        assert_eq!(
            line(&[Value::Int(1), Value::Double(1.0), Value::Str("a,b".into()), Value::Timestamp(ts + 978), Value::Bool(true)]),
            r#"1,1.0,"a,b","2021-05-19 11:20:00.978",true"#
        );
    }

    #[test]
    fn comment_lines_are_skipped_when_allowed() {
        let options = CsvOptions::from_table_options(&[("csv.allow-comments".into(), "true".into())]).unwrap();
        let mut d = CsvDecoder::new(&fields(), options);
        d.decode(b"# id,name,price").unwrap();
        d.decode(b"1,a,2").unwrap();
        assert_eq!(rows(&mut d).len(), 1);
        assert!(CsvDecoder::new(&fields(), CsvOptions::default()).decode(b"# id,name,price").is_err());
    }

    #[test]
    fn options_are_checked() {
        assert!(CsvOptions::from_table_options(&[("csv.field-delimiter".into(), ";;".into())]).unwrap_err().contains("single character"));
        assert!(CsvOptions::from_table_options(&[("csv.nope".into(), "1".into())]).is_err());
    }

    /// What Flink 2.3's csv format read and wrote (PyFlink, filesystem connector): BYTES as
    /// base64, ARRAYs split at `;`, an empty field an empty BYTES or ARRAY; MAP refused.
    #[test]
    fn bytes_and_arrays_as_flink_reads_and_writes_them() {
        let field = |name: &str, ty: DataType| Field { name: name.into(), ty: SqlType::nullable(ty) };
        let array = |t: DataType| DataType::Array(Box::new(SqlType::nullable(t)));
        let fields = vec![
            field("b", DataType::Varbinary(STRING_LENGTH)),
            field("a", array(DataType::Int)),
            field("s", array(DataType::Varchar(STRING_LENGTH))),
        ];
        let types: Vec<DataType> = fields.iter().map(|f| f.ty.data_type.clone()).collect();
        let mut d = CsvDecoder::new(&fields, CsvOptions::default());
        for line in ["aGk=,1;2;3,x;y", ",,", "AAEC,7,"] {
            d.decode(line.as_bytes()).unwrap();
        }
        let b = d.finish();
        let shown: Vec<String> = (0..b.len()).map(|i| format!("{:?}", b.row(i, &types))).collect();
        let bytes = |b: &[u8]| Value::Bytes(b.into());
        let ints = |v: &[i64]| Value::Array(v.iter().map(|x| Value::Int(*x)).collect());
        let strs = |v: &[&str]| Value::Array(v.iter().map(|x| Value::Str((*x).into())).collect());
        assert_eq!(
            shown,
            [
                format!("{:?}", vec![bytes(b"hi"), ints(&[1, 2, 3]), strs(&["x", "y"])]),
                format!("{:?}", vec![bytes(b""), ints(&[]), strs(&[])]),
                format!("{:?}", vec![bytes(&[0, 1, 2]), ints(&[7]), strs(&[])]),
            ]
        );
        let e = CsvEncoder::new(&fields, CsvOptions::default());
        let mut out = Vec::new();
        e.encode(&[bytes(&[0, 1, 255]), Value::Array(vec![Value::Int(1), Value::Null]), strs(&["a,b", "c;d", ""])], &mut out);
        assert_eq!(String::from_utf8(out).unwrap(), r#"AAH/,1;,"a,b;c;d;""#);
        let map = vec![field(
            "m",
            DataType::Map(Box::new(SqlType::nullable(DataType::Varchar(STRING_LENGTH))), Box::new(SqlType::nullable(DataType::Int))),
        )];
        assert_eq!(check_fields(&map).unwrap_err(), "Unsupported type 'MAP<STRING, INT>' for field 'm'.");
    }
}
