//! Flink's `json` format: records decoded straight into columns, rows encoded for sinks.
//!
//! The decoder is a small hand-written scanner rather than `serde_json::Value`: a record is
//! scanned once, each wanted field's value is converted without building a tree, and a row
//! reaches the columns only once all of it converted, so a bad record leaves no half row.
//! Conversions follow Flink's `JsonToRowDataConverters`: numbers in strings are accepted for
//! numeric columns, non-string values are kept as their JSON text in string columns, unknown
//! fields are ignored, missing fields are NULL unless `json.fail-on-missing-field` is set.
//!
//! Records come from strangers (a shared stream), so the scanner never recurses on input and
//! bounds what it reads as Jackson's `StreamReadConstraints` bound Flink (the defaults of
//! Jackson 2.20.1, which Flink 2.3's flink-dist shades; read from its classes): nesting depth,
//! number length, string and name length; document length and token count are unbounded. A
//! repeated key keeps its last value, as Jackson's tree and parser do.

use std::borrow::Cow;
use std::fmt;

use super::{bool_option, Projection};
use crate::types::{days_from_civil, parse_date, parse_decimal, parse_time, Batch, Column, ColumnData, DataType, Field, Value};

/// Deepest nesting of objects and arrays in a record, the outer object counting as 1: Jackson's
/// `StreamReadConstraints.DEFAULT_MAX_DEPTH`.
pub const MAX_NESTING_DEPTH: usize = 1000;
/// Longest number literal, in characters: Jackson's `DEFAULT_MAX_NUM_LEN`.
pub const MAX_NUMBER_LENGTH: usize = 1000;
/// Longest string value, in bytes: Jackson's `DEFAULT_MAX_STRING_LEN` (counted there in chars).
pub const MAX_STRING_LENGTH: usize = 20_000_000;
/// Longest object key, in bytes: Jackson's `DEFAULT_MAX_NAME_LEN`.
pub const MAX_NAME_LENGTH: usize = 50_000;

/// `json.timestamp-format.standard`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimestampStandard {
    /// `2021-05-19 11:20:00.978` (Flink's default).
    Sql,
    /// `2021-05-19T11:20:00.978`.
    Iso8601,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonOptions {
    pub timestamp_standard: TimestampStandard,
    pub fail_on_missing_field: bool,
    pub ignore_parse_errors: bool,
    /// `json.encode.decimal-as-plain-number`: DECIMALs written `100` rather than `1E+2`.
    pub decimal_as_plain_number: bool,
}

impl Default for JsonOptions {
    fn default() -> Self {
        JsonOptions {
            timestamp_standard: TimestampStandard::Sql,
            fail_on_missing_field: false,
            ignore_parse_errors: false,
            decimal_as_plain_number: false,
        }
    }
}

impl JsonOptions {
    /// Reads the `json.*` options of a table's `WITH` clause.
    pub fn from_table_options(options: &[(String, String)]) -> Result<Self, String> {
        let timestamp_standard = match options.iter().find(|(k, _)| k == "json.timestamp-format.standard").map(|(_, v)| v.as_str()) {
            None => TimestampStandard::Sql,
            Some(v) if v.eq_ignore_ascii_case("SQL") => TimestampStandard::Sql,
            Some(v) if v.eq_ignore_ascii_case("ISO-8601") => TimestampStandard::Iso8601,
            Some(v) => return Err(format!("'json.timestamp-format.standard' = '{v}' is not one of SQL, ISO-8601")),
        };
        let fail_on_missing_field = bool_option(options, "json.fail-on-missing-field")?;
        let ignore_parse_errors = bool_option(options, "json.ignore-parse-errors")?;
        if fail_on_missing_field && ignore_parse_errors {
            return Err("'json.fail-on-missing-field' and 'json.ignore-parse-errors' cannot both be true".into());
        }
        let decimal_as_plain_number = bool_option(options, "json.encode.decimal-as-plain-number")?;
        Ok(JsonOptions { timestamp_standard, fail_on_missing_field, ignore_parse_errors, decimal_as_plain_number })
    }
}

/// Why a record could not be decoded: where in the record, and what was wrong.
#[derive(Clone, Debug, PartialEq)]
pub struct DecodeError {
    pub offset: usize,
    pub message: String,
    /// The record, shortened for display.
    pub record: String,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot decode JSON record `{}` at byte {}: {}", self.record, self.offset, self.message)
    }
}

impl std::error::Error for DecodeError {}

/// Decodes JSON records into a batch of the table's physical columns.
pub struct JsonDecoder {
    fields: Vec<Field>,
    options: JsonOptions,
    columns: Vec<Column>,
    len: usize,
    skipped: u64,
    /// Which fields this record set (reused between records).
    seen: Vec<bool>,
    /// Which fields' names are [`plain_name`]s.
    plain: Vec<bool>,
    /// Which fields the query reads; see [`JsonDecoder::project`].
    read: Projection,
    /// The last timestamp's date and day number, kept between records (see [`NO_DAY`]).
    day: (i64, i64),
}

impl JsonDecoder {
    pub fn new(fields: &[Field], options: JsonOptions) -> Self {
        let columns = fields.iter().map(|f| Column::empty(&f.ty.data_type, 1024)).collect();
        let plain = fields.iter().map(|f| plain_name(&f.name)).collect();
        JsonDecoder {
            fields: fields.to_vec(),
            options,
            columns,
            len: 0,
            skipped: 0,
            seen: vec![false; fields.len()],
            plain,
            read: Projection::default(),
            day: NO_DAY,
        }
    }

    /// Decodes only the fields `read` marks, as Flink's JSON format does under a projection
    /// pushed into the scan: the others' values are skipped like unknown keys' (still checked to
    /// be JSON) and left NULL, so a bad or missing value there is no error.
    pub fn project(&mut self, read: &[bool]) {
        self.read = Projection::new(read, self.fields.len());
    }

    /// Decodes one record and appends it as a row. With `json.ignore-parse-errors` a bad record
    /// is counted and skipped; otherwise its error is returned. Either way a bad record leaves
    /// nothing behind: values written before the error are taken back.
    pub fn decode(&mut self, record: &[u8]) -> Result<(), DecodeError> {
        // Jackson skips a UTF-8 byte order mark before the record.
        let start = if record.starts_with(b"\xef\xbb\xbf") { 3 } else { 0 };
        let mut p = Parser { s: record, i: start, depth: 0, day: self.day };
        p.ws();
        let result = if p.peek() == Some(b'{') {
            let top = Object { fields: &self.fields, plain: &self.plain, read: &self.read };
            decode_object(&mut p, top, &mut self.columns, self.len, &mut self.seen, &self.options).and_then(|()| {
                p.ws();
                if p.i == record.len() {
                    Ok(())
                } else {
                    Err((p.i, "unexpected text after the object".into()))
                }
            })
        } else {
            Err((p.i, "a record must be a JSON object".into()))
        };
        self.day = p.day;
        match result {
            Ok(()) => {
                self.len += 1;
                Ok(())
            }
            Err(e) => {
                for c in &mut self.columns {
                    c.truncate(self.len);
                }
                if self.options.ignore_parse_errors {
                    self.skipped += 1;
                    return Ok(());
                }
                let (offset, message) = e;
                let text = String::from_utf8_lossy(record);
                let record =
                    if text.chars().count() > 120 { text.chars().take(117).collect::<String>() + "..." } else { text.into_owned() };
                Err(DecodeError { offset, message, record })
            }
        }
    }

    /// The rows decoded since the last call.
    pub fn finish(&mut self) -> Batch {
        let columns = self.fields.iter().map(|f| Column::empty(&f.ty.data_type, self.len.max(1024))).collect();
        let columns = std::mem::replace(&mut self.columns, columns);
        let len = std::mem::take(&mut self.len);
        Batch::new(columns, len)
    }

    pub fn skipped(&self) -> u64 {
        self.skipped
    }

    /// Rows decoded and not yet taken by [`JsonDecoder::finish`].
    pub fn rows(&self) -> usize {
        self.len
    }

    /// Takes back the rows decoded after the first `rows` (a record of several rows that
    /// failed part way, as a changelog format's update).
    pub fn truncate(&mut self, rows: usize) {
        if rows < self.len {
            self.len = rows;
            for c in &mut self.columns {
                c.truncate(rows);
            }
        }
    }
}

/// The raw text of members `names` of the JSON object `record` (each `None` when absent; the
/// last one when repeated, as Jackson keeps), checking the whole object is well-formed JSON
/// within the same bounds as the decoder. The error is the byte offset and what is wrong.
pub fn object_members<'a>(record: &'a [u8], names: &[&str]) -> Result<Vec<Option<&'a [u8]>>, (usize, String)> {
    let start = if record.starts_with(b"\xef\xbb\xbf") { 3 } else { 0 };
    let mut p = Parser { s: record, i: start, depth: 0, day: NO_DAY };
    let mut found = vec![None; names.len()];
    p.ws();
    if p.peek() != Some(b'{') {
        return Err((p.i, "a record must be a JSON object".into()));
    }
    p.members(|p, key, _| {
        let at = p.i;
        p.skip_value()?;
        if let Some(k) = names.iter().position(|n| n.as_bytes() == key.as_ref()) {
            found[k] = Some(&record[at..p.i]);
        }
        Ok(())
    })?;
    p.ws();
    if p.i != record.len() {
        return Err((p.i, "unexpected text after the object".into()));
    }
    Ok(found)
}

/// A JSON value's text as Flink reads it into a STRING column: a string's contents, any other
/// value's compact JSON text; `None` for `null`.
pub fn string_of(value: &[u8]) -> Option<String> {
    let mut p = Parser { s: value, i: 0, depth: 0, day: NO_DAY };
    match value.first() {
        Some(b'n') if value == b"null" => None,
        Some(b'"') => p.string().ok().map(|s| s.into_owned()),
        _ => Some(compact(value)),
    }
}

type Failure = (usize, String);

/// `a == b` for the short byte strings that keys are, eight bytes at a time, inline (a slice
/// comparison calls `memcmp`, which cost more than the comparing for keys of a few bytes).
#[inline(always)]
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let (mut x, mut y) = (a.chunks_exact(8), b.chunks_exact(8));
    let word = |c: &[u8]| u64::from_le_bytes(c.try_into().unwrap_or_default());
    if !(&mut x).zip(&mut y).all(|(p, q)| word(p) == word(q)) {
        return false;
    }
    x.remainder().iter().zip(y.remainder()).all(|(p, q)| p == q)
}

/// Whether a field's name, written as is between quotes, is read by [`Parser::key`] as that
/// very name: no quote or backslash in it, and not too long to be a key.
fn plain_name(name: &str) -> bool {
    name.len() <= MAX_NAME_LENGTH && !name.bytes().any(|b| b == b'"' || b == b'\\')
}

/// An object's fields, which of their names are plain, and which are read.
#[derive(Clone, Copy)]
struct Object<'a> {
    fields: &'a [Field],
    plain: &'a [bool],
    read: &'a Projection,
}

/// Reads one object into one new row of `columns` (one per field), which hold `rows` rows
/// before it. On error the columns may hold part of the row; the caller truncates them.
///
/// A value that is well-formed JSON but does not convert (`"hot"` for a DOUBLE) fails the
/// record, or with `json.ignore-parse-errors` makes just that field NULL, as Flink's
/// `JsonToRowDataConverters` wraps each field's converter; malformed JSON always fails the record.
fn decode_object(
    p: &mut Parser<'_>,
    object: Object<'_>,
    columns: &mut [Column],
    rows: usize,
    seen: &mut [bool],
    options: &JsonOptions,
) -> Result<(), Failure> {
    let Object { fields, plain, read } = object;
    seen.iter_mut().for_each(|s| *s = false);
    // Records usually list fields in table order: try the next one first, straight on the
    // record's bytes.
    let mut expected = 0;
    p.open(b'{')?;
    p.ws();
    if p.peek() == Some(b'}') {
        p.i += 1;
    } else {
        loop {
            p.ws();
            let idx = if plain.get(expected) == Some(&true) && p.plain_key_is(&fields[expected].name) {
                Some(expected)
            } else {
                let key = p.key()?;
                fields.iter().position(|f| f.name.as_bytes() == key.as_ref())
            };
            p.ws();
            p.expect(b':')?;
            p.ws();
            match idx {
                Some(idx) if read.skips(idx) => {
                    expected = idx + 1;
                    p.skip_value()?;
                }
                Some(idx) => {
                    let column = &mut columns[idx];
                    // A repeated key replaces the value read before (Jackson keeps the last).
                    if seen[idx] {
                        column.truncate(rows);
                    }
                    seen[idx] = true;
                    expected = idx + 1;
                    let (start, depth) = (p.i, p.depth);
                    if let Err((o, m)) = decode_value(p, &fields[idx].ty.data_type, column, options) {
                        let failure = (o, format!("field `{}`: {m}", fields[idx].name));
                        // An array or object where a value was wanted fails the record in Flink
                        // too (its parser is left inside the value), as does malformed JSON.
                        if !options.ignore_parse_errors || matches!(p.s.get(start), Some(b'[' | b'{')) {
                            return Err(failure);
                        }
                        // A scalar that does not convert: NULL.
                        (p.i, p.depth) = (start, depth);
                        p.skip_value().map_err(|_| failure)?;
                        column.truncate(rows);
                        column.push_null();
                    }
                }
                None => p.skip_value()?,
            }
            p.ws();
            match p.next() {
                Some(b',') => continue,
                Some(b'}') => break,
                _ => return Err((p.i.saturating_sub(1), "expected `,` or `}`".into())),
            }
        }
    }
    p.depth -= 1;
    for (i, s) in seen.iter().enumerate() {
        if !s {
            if options.fail_on_missing_field && !read.skips(i) {
                return Err((p.i, format!("field `{}` is missing ('json.fail-on-missing-field' is true)", fields[i].name)));
            }
            columns[i].push_null();
        }
    }
    Ok(())
}

/// A JSON value's text without the whitespace between its tokens, as Jackson writes a tree.
fn compact(value: &[u8]) -> String {
    let mut out = Vec::with_capacity(value.len());
    let (mut in_string, mut escaped) = (false, false);
    for &b in value {
        if in_string {
            out.push(b);
            (in_string, escaped) = (escaped || b != b'"', !escaped && b == b'\\');
        } else if !matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
            out.push(b);
            in_string = b == b'"';
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Marks the row just appended to `column` as not NULL.
#[inline]
fn valid(column: &mut Column) {
    if let Some(v) = &mut column.validity {
        v.push(true);
    }
}

/// Converts the value at the parser's position and appends it to `column` (of type `ty`).
fn decode_value(p: &mut Parser<'_>, ty: &DataType, column: &mut Column, options: &JsonOptions) -> Result<(), Failure> {
    let at = p.i;
    match p.peek() {
        None => return Err((at, "the record ends where a value should be".into())),
        Some(b'n') => {
            p.literal(b"null")?;
            column.push_null();
            return Ok(());
        }
        _ => {}
    }
    match (ty, &mut column.data) {
        (DataType::Row(fields), ColumnData::Row(children)) => {
            if p.peek() != Some(b'{') {
                return Err((at, format!("expected an object for {ty}")));
            }
            let mut seen = vec![false; fields.len()];
            let plain: Vec<bool> = fields.iter().map(|f| plain_name(&f.name)).collect();
            let rows = children.first().map_or(0, Column::len);
            decode_object(p, Object { fields, plain: &plain, read: &Projection::default() }, children, rows, &mut seen, options)?;
            valid(column);
        }
        (DataType::Char(_) | DataType::Varchar(_), ColumnData::Str(v)) => {
            if p.peek() == Some(b'"') {
                v.push(&p.string()?);
            } else {
                // Flink keeps a non-string value as its JSON text, written without whitespace.
                let start = p.i;
                p.skip_value()?;
                v.push(&compact(&p.s[start..p.i]));
            }
            valid(column);
        }
        (DataType::Boolean, ColumnData::Bool(v)) => {
            let b = match p.peek() {
                Some(b't') => p.literal(b"true").map(|_| true)?,
                Some(b'f') => p.literal(b"false").map(|_| false)?,
                Some(b'"') => p.string()?.trim().eq_ignore_ascii_case("true"),
                _ => return Err((at, format!("expected a boolean for {ty}"))),
            };
            v.push(b);
            valid(column);
        }
        (DataType::TinyInt | DataType::SmallInt | DataType::Int | DataType::BigInt, ColumnData::Int(v)) => {
            let n = match p.integer() {
                Some(n) => n,
                None => {
                    let (text, quoted) = p.number_or_string()?;
                    let text = text.trim();
                    match text.parse::<i64>() {
                        Ok(n) => n,
                        // Jackson's canConvertToInt accepts a fractional number and truncates it.
                        Err(_) if !quoted => match text.parse::<f64>() {
                            // 2^63: past it `as` would saturate and the error name i64::MAX.
                            Ok(d) if d.abs() < 2f64.powi(63) => d.trunc() as i64,
                            Ok(d) if d.is_finite() => return Err((at, format!("`{text}` is out of range for {ty}"))),
                            _ => return Err((at, format!("`{text}` is not a number"))),
                        },
                        Err(_) => return Err((at, format!("`{text}` is not an integer"))),
                    }
                }
            };
            let (lo, hi) = match ty {
                DataType::TinyInt => (i8::MIN as i64, i8::MAX as i64),
                DataType::SmallInt => (i16::MIN as i64, i16::MAX as i64),
                DataType::Int => (i32::MIN as i64, i32::MAX as i64),
                _ => (i64::MIN, i64::MAX),
            };
            if n < lo || n > hi {
                return Err((at, format!("{n} is out of range for {ty}")));
            }
            v.push(n);
            valid(column);
        }
        (DataType::Float | DataType::Double, ColumnData::Double(v)) => {
            let d = match p.short_decimal() {
                Some(d) => d,
                None => {
                    let (text, _) = p.number_or_string()?;
                    let text = text.trim();
                    match text {
                        "NaN" => f64::NAN,
                        "Infinity" => f64::INFINITY,
                        "-Infinity" => f64::NEG_INFINITY,
                        _ => text.parse::<f64>().map_err(|_| (at, format!("`{text}` is not a number")))?,
                    }
                }
            };
            v.push(if matches!(ty, DataType::Float) { d as f32 as f64 } else { d });
            valid(column);
        }
        (DataType::Decimal { precision, scale }, ColumnData::Decimal(v)) => {
            let (text, _) = p.number_or_string()?;
            match parse_decimal(text.trim(), *precision, *scale) {
                Some(u) => {
                    v.push(u);
                    valid(column);
                }
                // Flink turns a decimal that does not fit into NULL.
                None if text.trim().parse::<f64>().is_ok() => column.push_null(),
                None => return Err((at, format!("`{text}` is not a decimal"))),
            }
        }
        (DataType::Date, ColumnData::Int(v)) => {
            let s = p.string_value(ty)?;
            v.push(parse_date(&s).ok_or((at, format!("`{s}` is not a date (yyyy-MM-dd)")))? as i64);
            valid(column);
        }
        (DataType::Time(_), ColumnData::Int(v)) => {
            let s = p.string_value(ty)?;
            v.push(parse_time(&s).ok_or((at, format!("`{s}` is not a time (HH:mm:ss)")))? as i64);
            valid(column);
        }
        (DataType::Timestamp(_) | DataType::TimestampLtz(_), ColumnData::Int(v)) => {
            let ltz = matches!(ty, DataType::TimestampLtz(_));
            let ms = match p.quoted_timestamp(options.timestamp_standard, ltz) {
                Some(ms) => ms,
                None => {
                    let s = p.string_value(ty)?;
                    match fast_timestamp(s.as_bytes(), options.timestamp_standard, ltz, &mut p.day) {
                        Some(ms) => ms,
                        None => parse_json_timestamp(&s, options.timestamp_standard, ltz).map_err(|m| (at, m))?,
                    }
                }
            };
            v.push(ms);
            valid(column);
        }
        (t, ColumnData::Values(v)) if t.is_binary() || t.is_collection() => {
            v.push(decode_composite(p, t, options)?);
            valid(column);
        }
        _ => return Err((at, format!("a JSON value cannot be read as {ty}"))),
    }
    Ok(())
}

/// A value of a type held as [`Value`]s, as Flink's `JsonToRowDataConverters` reads it: bytes
/// from base64 text, an ARRAY from a JSON array, a MAP from an object (keys converted from
/// their text), a MULTISET from an object of element to count. Elements go through
/// [`decode_value`], so this recurses once per level of the column's SQL type (bounded by the
/// type reader), never by the record's own nesting.
fn decode_composite(p: &mut Parser<'_>, ty: &DataType, options: &JsonOptions) -> Result<Value, Failure> {
    use base64::Engine as _;
    let at = p.i;
    let one = |p: &mut Parser<'_>, ty: &DataType| -> Result<Value, Failure> {
        let mut cell = Column::empty(ty, 1);
        decode_value(p, ty, &mut cell, options)?;
        Ok(cell.value(0, ty))
    };
    match ty {
        t if t.is_binary() => {
            let text = p.string_value(ty)?;
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(text.as_bytes())
                .map_err(|e| (at, format!("`{text}` is not base64 for {ty}: {e}")))?;
            Ok(Value::Bytes(bytes.into()))
        }
        DataType::Array(element) => {
            if p.peek() != Some(b'[') {
                return Err((at, format!("expected an array for {ty}")));
            }
            p.open(b'[')?;
            let mut items = Vec::new();
            p.ws();
            if p.peek() == Some(b']') {
                p.i += 1;
            } else {
                loop {
                    p.ws();
                    items.push(one(p, &element.data_type)?);
                    p.ws();
                    match p.next() {
                        Some(b',') => continue,
                        Some(b']') => break,
                        _ => return Err((p.i.saturating_sub(1), "expected `,` or `]`".into())),
                    }
                }
            }
            p.depth -= 1;
            Ok(Value::Array(items))
        }
        DataType::Map(..) | DataType::Multiset(_) => {
            let (key_ty, value_ty) = match ty {
                DataType::Map(k, v) => (k.data_type.clone(), v.data_type.clone()),
                DataType::Multiset(e) => (e.data_type.clone(), DataType::Int),
                _ => unreachable!("matched MAP or MULTISET above"),
            };
            if p.peek() != Some(b'{') {
                return Err((at, format!("expected an object for {ty}")));
            }
            let mut entries: Vec<(Value, Value)> = Vec::new();
            // Where each key's entry is, so a record of many keys reads in linear time.
            let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
            p.members(|p, key, key_at| {
                let text = String::from_utf8_lossy(&key).into_owned();
                let key = if key_ty.is_string() {
                    Value::Str(text.as_str().into())
                } else {
                    let value = Value::Str(text.as_str().into());
                    crate::types::cast_value(&value, &DataType::Varchar(crate::types::STRING_LENGTH), &key_ty)
                        .ok_or_else(|| (key_at, format!("key `{text}` is not a {key_ty}")))?
                };
                let value = one(p, &value_ty)?;
                // A repeated key keeps its last value, as Jackson's tree does.
                match index.entry(text) {
                    std::collections::hash_map::Entry::Occupied(e) => entries[*e.get()].1 = value,
                    std::collections::hash_map::Entry::Vacant(e) => {
                        e.insert(entries.len());
                        entries.push((key, value));
                    }
                }
                Ok(())
            })?;
            Ok(Value::Map(entries))
        }
        _ => Err((at, format!("a JSON value cannot be read as {ty}"))),
    }
}

/// The common timestamp layout `yyyy-MM-dd?HH:mm:ss[.f…]` read straight from bytes; `None`
/// sends anything else to the general parser (which also explains what is wrong).
#[inline]
fn fast_timestamp(b: &[u8], standard: TimestampStandard, ltz: bool, day: &mut (i64, i64)) -> Option<i64> {
    let b = if ltz { b.strip_suffix(b"Z")? } else { b };
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let sep = if standard == TimestampStandard::Sql { b' ' } else { b'T' };
    if b[10] != sep {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        b[r].iter().try_fold(0i64, |n, &c| c.is_ascii_digit().then(|| n * 10 + (c - b'0') as i64))
    };
    let (y, m, d, h, mi, sec) = (num(0..4)?, num(5..7)?, num(8..10)?, num(11..13)?, num(14..16)?, num(17..19)?);
    let mut ms = 0;
    match &b[19..] {
        [] => {}
        [b'.', frac @ ..] if !frac.is_empty() && frac.len() <= 9 && frac.iter().all(u8::is_ascii_digit) => {
            for i in 0..3 {
                ms = ms * 10 + frac.get(i).map_or(0, |c| (c - b'0') as i64);
            }
        }
        _ => return None,
    }
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let month_days = match m {
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => 31,
    };
    if !(1..=12).contains(&m) || d < 1 || d > month_days || h > 23 || mi > 59 || sec > 59 {
        return None;
    }
    // Records of a file or stream mostly share their date: its day number is kept.
    let date = (y * 100 + m) * 100 + d;
    if day.0 != date {
        *day = (date, days_from_civil(y, m as u32, d as u32));
    }
    let days = day.1;
    Some(days * 86_400_000 + ((h * 60 + mi) * 60 + sec) * 1000 + ms)
}

/// A timestamp in the table's standard: SQL `yyyy-MM-dd HH:mm:ss[.f…]` or ISO-8601
/// `yyyy-MM-ddTHH:mm:ss[.f…]` (with a `Z` for `TIMESTAMP_LTZ`). Digits past the millisecond are
/// truncated, as Sluice keeps timestamps in milliseconds.
pub fn parse_json_timestamp(s: &str, standard: TimestampStandard, ltz: bool) -> Result<i64, String> {
    let (sep, name) = match standard {
        TimestampStandard::Sql => (' ', "an SQL"),
        TimestampStandard::Iso8601 => ('T', "an ISO-8601"),
    };
    let body = if ltz { s.strip_suffix('Z').ok_or_else(|| format!("`{s}` has no `Z` (TIMESTAMP_LTZ wants UTC)"))? } else { s };
    let Some(split) = body.find(sep) else {
        let other = if sep == ' ' { "'ISO-8601'" } else { "'SQL'" };
        return Err(format!(
            "`{s}` is not {name} timestamp (yyyy-MM-dd{}HH:mm:ss); if the data is right, set 'json.timestamp-format.standard' = {other}",
            if sep == ' ' { " " } else { "T" }
        ));
    };
    let days = parse_date(&body[..split]).ok_or_else(|| format!("`{s}` has no valid date"))? as i64;
    let time = parse_time(&body[split + 1..]).ok_or_else(|| format!("`{s}` has no valid time"))? as i64;
    Ok(days * 86_400_000 + time)
}

#[cold]
fn too_long(at: usize, what: &str, len: usize, max: usize) -> Failure {
    (at, format!("a {what} of {len} bytes exceeds the maximum of {max}"))
}

/// A date (`(y·100 + m)·100 + d`) and its day number, for [`fast_timestamp`]; none yet.
const NO_DAY: (i64, i64) = (-1, 0);

/// A cursor over one record's bytes.
struct Parser<'a> {
    s: &'a [u8],
    i: usize,
    /// Objects and arrays open at `i` (bounded by [`MAX_NESTING_DEPTH`]).
    depth: usize,
    /// The last timestamp's date and day number (see [`NO_DAY`]).
    day: (i64, i64),
}

impl<'a> Parser<'a> {
    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }

    #[inline(always)]
    fn next(&mut self) -> Option<u8> {
        let b = self.peek();
        self.i += 1;
        b
    }

    #[inline(always)]
    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.i += 1;
        }
    }

    #[inline(always)]
    fn expect(&mut self, b: u8) -> Result<(), (usize, String)> {
        if self.peek() == Some(b) {
            self.i += 1;
            Ok(())
        } else {
            Err(self.expected(b))
        }
    }

    /// Reads the `{` or `[` that opens a container, one level deeper.
    #[inline(always)]
    fn open(&mut self, b: u8) -> Result<(), Failure> {
        self.expect(b)?;
        self.depth += 1;
        if self.depth > MAX_NESTING_DEPTH {
            return Err(self.too_deep());
        }
        Ok(())
    }

    #[cold]
    fn too_deep(&self) -> Failure {
        (
            self.i - 1,
            format!(
                "nesting depth {} exceeds the maximum of {MAX_NESTING_DEPTH} objects and arrays (Flink's JSON parser, Jackson, stops there too)",
                self.depth
            ),
        )
    }

    #[cold]
    fn expected(&self, b: u8) -> (usize, String) {
        (self.i, format!("expected `{}`", b as char))
    }

    fn literal(&mut self, word: &[u8]) -> Result<(), (usize, String)> {
        if self.s[self.i..].starts_with(word) {
            self.i += word.len();
            Ok(())
        } else {
            Err((self.i, format!("expected `{}`", String::from_utf8_lossy(word))))
        }
    }

    /// Reads an object (from its `{`, one level deeper while inside) calling `member` with the
    /// parser at each member's value, the member's key and where the key starts; `member` reads
    /// or skips the value.
    #[inline(always)]
    fn members(&mut self, mut member: impl FnMut(&mut Self, Cow<'a, [u8]>, usize) -> Result<(), Failure>) -> Result<(), Failure> {
        self.open(b'{')?;
        self.ws();
        if self.peek() == Some(b'}') {
            self.i += 1;
        } else {
            loop {
                self.ws();
                let key_at = self.i;
                let key = self.key()?;
                self.ws();
                self.expect(b':')?;
                self.ws();
                member(self, key, key_at)?;
                self.ws();
                match self.next() {
                    Some(b',') => continue,
                    Some(b'}') => break,
                    _ => return Err((self.i.saturating_sub(1), "expected `,` or `}`".into())),
                }
            }
        }
        self.depth -= 1;
        Ok(())
    }

    /// An object key's bytes, borrowed unless it has escapes.
    #[inline(always)]
    fn key(&mut self) -> Result<Cow<'a, [u8]>, Failure> {
        let start = self.i;
        let key = self.key_bytes()?;
        if key.len() > MAX_NAME_LENGTH {
            return Err(too_long(start, "key", key.len(), MAX_NAME_LENGTH));
        }
        Ok(key)
    }

    /// Whether the object key at the parser is `name` written as is (no escapes), reading it if
    /// so. `name` must be [`plain_name`].
    #[inline(always)]
    fn plain_key_is(&mut self, name: &str) -> bool {
        let name = name.as_bytes();
        let end = self.i + 1 + name.len();
        if self.s.get(self.i) == Some(&b'"')
            && self.s.get(end) == Some(&b'"')
            && self.s.get(self.i + 1..end).is_some_and(|k| same_bytes(k, name))
        {
            self.i = end + 1;
            true
        } else {
            false
        }
    }

    #[inline(always)]
    fn key_bytes(&mut self) -> Result<Cow<'a, [u8]>, Failure> {
        if self.peek() == Some(b'"') {
            let body = self.i + 1;
            let mut j = body;
            while let Some(&b) = self.s.get(j) {
                match b {
                    b'"' => {
                        self.i = j + 1;
                        return Ok(Cow::Borrowed(&self.s[body..j]));
                    }
                    b'\\' => break,
                    _ => j += 1,
                }
            }
        }
        Ok(match self.string()? {
            Cow::Borrowed(s) => Cow::Borrowed(s.as_bytes()),
            Cow::Owned(s) => Cow::Owned(s.into_bytes()),
        })
    }

    /// A plain integer literal (`-12`, `77`) read straight from bytes; `None` (and nothing
    /// consumed) for anything else, such as `1.5`, `1e3` or `"12"`.
    #[inline(always)]
    fn integer(&mut self) -> Option<i64> {
        let mut j = self.i;
        let negative = self.s.get(j) == Some(&b'-');
        if negative {
            j += 1;
        }
        let digits_start = j;
        let mut n: i64 = 0;
        while let Some(&c) = self.s.get(j) {
            if !c.is_ascii_digit() {
                break;
            }
            n = n.checked_mul(10)?.checked_add((c - b'0') as i64)?;
            j += 1;
        }
        if j == digits_start || matches!(self.s.get(j), Some(b'.' | b'e' | b'E')) {
            return None;
        }
        self.i = j;
        Some(if negative { -n } else { n })
    }

    /// A number written `-?d+(.d+)?` with at most 15 digits, read straight from bytes as the
    /// nearest double; `None` (and nothing consumed) for anything else. Exact: the digits as an
    /// integer (< 2^53) and the power of ten (≤ 10^22) are both doubles, and one IEEE division
    /// rounds correctly, so this is what `str::parse::<f64>` gives for the same text.
    #[inline(always)]
    fn short_decimal(&mut self) -> Option<f64> {
        const POW10: [f64; 16] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];
        let mut j = self.i;
        let negative = self.s.get(j) == Some(&b'-');
        j += negative as usize;
        let (mut m, mut digits, mut fraction) = (0u64, 0usize, 0usize);
        let mut dot = false;
        loop {
            match self.s.get(j) {
                Some(&c @ b'0'..=b'9') => {
                    m = m * 10 + (c - b'0') as u64;
                    digits += 1;
                    fraction += dot as usize;
                    if digits > 15 {
                        return None;
                    }
                }
                Some(b'.') if !dot && digits > 0 => dot = true,
                _ => break,
            }
            j += 1;
        }
        // What `number_or_string` would read on: an exponent, a sign, a second dot.
        if digits == 0 || (dot && fraction == 0) || matches!(self.s.get(j), Some(b'-' | b'+' | b'.' | b'e' | b'E')) {
            return None;
        }
        self.i = j;
        let d = m as f64 / POW10[fraction];
        Some(if negative { -d } else { d })
    }

    /// A timestamp string in the common layout (see [`fast_timestamp`]) read straight from the
    /// record's bytes; `None` (and nothing consumed) for anything else. Such a string holds only
    /// digits and separators, so there is no escape to undo and it is its own text.
    #[inline(always)]
    fn quoted_timestamp(&mut self, standard: TimestampStandard, ltz: bool) -> Option<i64> {
        if self.peek() != Some(b'"') {
            return None;
        }
        let body = self.i + 1;
        // `yyyy-MM-ddTHH:mm:ss` is 19 bytes, `yyyy-MM-ddTHH:mm:ss.fffffffffZ` 30: the closing
        // quote is looked for only there (a string with a quote in its first 19 bytes is shorter,
        // and `fast_timestamp` finds a digit or separator missing there).
        let window = self.s.get(body..)?;
        let len = 19 + window.get(19..)?.iter().take(12).position(|&b| b == b'"')?;
        let ms = fast_timestamp(&window[..len], standard, ltz, &mut self.day)?;
        self.i = body + len + 1;
        Some(ms)
    }

    /// A string literal, borrowed unless it has escapes.
    fn string(&mut self) -> Result<Cow<'a, str>, (usize, String)> {
        let start = self.i;
        self.expect(b'"')?;
        let body = self.i;
        while let Some(&b) = self.s.get(self.i) {
            match b {
                b'"' => {
                    if self.i - body > MAX_STRING_LENGTH {
                        return Err(too_long(start, "string", self.i - body, MAX_STRING_LENGTH));
                    }
                    let text = std::str::from_utf8(&self.s[body..self.i]).map_err(|_| (body, "the string is not UTF-8".to_string()))?;
                    self.i += 1;
                    return Ok(Cow::Borrowed(text));
                }
                b'\\' => return self.escaped_string(body),
                0..=0x1f => return Err((self.i, "control character in a string".into())),
                _ => self.i += 1,
            }
        }
        Err((start, "the string is not closed".into()))
    }

    fn escaped_string(&mut self, body: usize) -> Result<Cow<'a, str>, (usize, String)> {
        let mut out: Vec<u8> = self.s[body..self.i].to_vec();
        loop {
            let Some(b) = self.next() else { return Err((body - 1, "the string is not closed".into())) };
            match b {
                b'"' => break,
                b'\\' => {
                    let at = self.i - 1;
                    let c = match self.next() {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            let hi = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&hi) && self.s[self.i..].starts_with(b"\\u") {
                                self.i += 2;
                                let lo = self.hex4()?;
                                0x10000 + ((hi - 0xD800) << 10) + (lo.wrapping_sub(0xDC00) & 0x3ff)
                            } else {
                                hi
                            };
                            char::from_u32(code).unwrap_or('\u{fffd}')
                        }
                        _ => return Err((at, "invalid escape".into())),
                    };
                    let mut buf = [0; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
                0..=0x1f => return Err((self.i - 1, "control character in a string".into())),
                _ => out.push(b),
            }
        }
        if out.len() > MAX_STRING_LENGTH {
            return Err(too_long(body - 1, "string", out.len(), MAX_STRING_LENGTH));
        }
        String::from_utf8(out).map(Cow::Owned).map_err(|_| (body, "the string is not UTF-8".into()))
    }

    fn hex4(&mut self) -> Result<u32, (usize, String)> {
        let at = self.i;
        let digits = self.s.get(self.i..self.i + 4).ok_or((at, "short \\u escape".to_string()))?;
        let text = std::str::from_utf8(digits).map_err(|_| (at, "bad \\u escape".to_string()))?;
        let v = u32::from_str_radix(text, 16).map_err(|_| (at, "bad \\u escape".to_string()))?;
        self.i += 4;
        Ok(v)
    }

    /// A number's text, or a string's contents (Flink parses numbers given as strings).
    fn number_or_string(&mut self) -> Result<(Cow<'a, str>, bool), (usize, String)> {
        if self.peek() == Some(b'"') {
            return Ok((self.string()?, true));
        }
        let start = self.i;
        while let Some(b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E') = self.peek() {
            self.i += 1;
        }
        if self.i == start {
            return Err((start, "expected a number".into()));
        }
        if self.i - start > MAX_NUMBER_LENGTH {
            return Err((start, format!("a number of {} characters exceeds the maximum of {MAX_NUMBER_LENGTH}", self.i - start)));
        }
        // Only ASCII was consumed.
        Ok((Cow::Borrowed(std::str::from_utf8(&self.s[start..self.i]).unwrap_or_default()), false))
    }

    fn string_value(&mut self, ty: &DataType) -> Result<Cow<'a, str>, (usize, String)> {
        if self.peek() == Some(b'"') {
            self.string()
        } else {
            Err((self.i, format!("expected a string for {ty}")))
        }
    }

    /// Skips any JSON value, checking its structure. Iterative: the open containers are a stack
    /// of bits (object or array), at most [`MAX_NESTING_DEPTH`] deep in all.
    fn skip_value(&mut self) -> Result<(), (usize, String)> {
        let base = self.depth;
        // Bit `k` set: the container at depth `base + k + 1` is an object.
        let mut objects = [0u64; MAX_NESTING_DEPTH.div_ceil(64)];
        loop {
            // A value, or the opening of a container.
            self.ws();
            match self.peek() {
                Some(c @ (b'{' | b'[')) => {
                    self.open(c)?;
                    let k = self.depth - base - 1;
                    let is_object = c == b'{';
                    if is_object {
                        objects[k / 64] |= 1 << (k % 64);
                    } else {
                        objects[k / 64] &= !(1 << (k % 64));
                    }
                    self.ws();
                    let close = if is_object { b'}' } else { b']' };
                    if self.peek() == Some(close) {
                        self.i += 1;
                        self.depth -= 1;
                    } else {
                        if is_object {
                            self.member_name()?;
                        }
                        continue;
                    }
                }
                Some(b'"') => self.string().map(|_| ())?,
                Some(b't') => self.literal(b"true")?,
                Some(b'f') => self.literal(b"false")?,
                Some(b'n') => self.literal(b"null")?,
                Some(_) => self.number_or_string().map(|_| ())?,
                None => return Err((self.i, "the record ends where a value should be".into())),
            }
            // After a value: close containers until one continues with `,` (or none is open).
            loop {
                if self.depth == base {
                    return Ok(());
                }
                let k = self.depth - base - 1;
                let is_object = objects[k / 64] & (1 << (k % 64)) != 0;
                let close = if is_object { b'}' } else { b']' };
                self.ws();
                match self.next() {
                    Some(b',') => {
                        if is_object {
                            self.ws();
                            self.member_name()?;
                        }
                        break;
                    }
                    Some(c) if c == close => self.depth -= 1,
                    _ => return Err((self.i.saturating_sub(1), format!("expected `,` or `{}`", close as char))),
                }
            }
        }
    }

    /// An object member's `"name":` inside a skipped value.
    fn member_name(&mut self) -> Result<(), Failure> {
        self.key()?;
        self.ws();
        self.expect(b':')
    }
}

/// Encodes rows as Flink's JSON format writes them.
pub struct JsonEncoder {
    fields: Vec<Field>,
    options: JsonOptions,
    /// `"name":` per field, JSON-escaped once.
    keys: Vec<String>,
}

impl JsonEncoder {
    pub fn new(fields: &[Field], options: JsonOptions) -> Self {
        let keys = fields.iter().map(|f| format!("{}:", serde_json::Value::String(f.name.clone()))).collect();
        JsonEncoder { fields: fields.to_vec(), options, keys }
    }

    /// Appends `row` as one JSON object (no newline) to `out`.
    pub fn encode(&self, row: &[Value], out: &mut Vec<u8>) {
        out.push(b'{');
        for (i, (value, field)) in row.iter().zip(&self.fields).enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(self.keys[i].as_bytes());
            self.write_value(value, &field.ty.data_type, out);
        }
        out.push(b'}');
    }

    fn write_value(&self, value: &Value, ty: &DataType, out: &mut Vec<u8>) {
        use std::io::Write;
        match value {
            Value::Null => out.extend_from_slice(b"null"),
            Value::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
            Value::Int(i) => {
                let _ = write!(out, "{i}");
            }
            Value::Double(d) => write_java_double(*d, out),
            Value::Decimal(unscaled, scale) => write_java_decimal(*unscaled, *scale, self.options.decimal_as_plain_number, out),
            Value::Str(s) => write_json_string(s, out),
            Value::Date(_) | Value::Time(_) => {
                let _ = write!(out, "\"{value}\"");
            }
            Value::Timestamp(ms) => {
                let text = format_json_timestamp(*ms, self.options.timestamp_standard, matches!(ty, DataType::TimestampLtz(_)));
                let _ = write!(out, "\"{text}\"");
            }
            Value::Row(values) => {
                let fields: &[Field] = match ty {
                    DataType::Row(f) => f,
                    _ => &[],
                };
                out.push(b'{');
                for (i, (v, f)) in values.iter().zip(fields).enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    write_json_string(&f.name, out);
                    out.push(b':');
                    self.write_value(v, &f.ty.data_type, out);
                }
                out.push(b'}');
            }
            // As Flink's `RowDataToJsonConverters`: bytes in base64, an array as a JSON array,
            // a map (and a multiset, element to count) as an object keyed by the keys' text.
            Value::Bytes(b) => {
                use base64::Engine as _;
                write_json_string(&base64::engine::general_purpose::STANDARD.encode(b), out);
            }
            Value::Array(items) => {
                let element = match ty {
                    DataType::Array(t) => t.data_type.clone(),
                    _ => DataType::Null,
                };
                out.push(b'[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    self.write_value(v, &element, out);
                }
                out.push(b']');
            }
            Value::Map(entries) => {
                let value_ty = match ty {
                    DataType::Map(_, v) => v.data_type.clone(),
                    _ => DataType::Int,
                };
                out.push(b'{');
                for (i, (k, v)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    write_json_string(&k.to_string(), out);
                    out.push(b':');
                    self.write_value(v, &value_ty, out);
                }
                out.push(b'}');
            }
        }
    }
}

/// A timestamp as Flink's JSON format writes it: the fraction only when non-zero (SQL: as few
/// digits as needed; ISO-8601: in groups of three).
pub fn format_json_timestamp(ms: i64, standard: TimestampStandard, ltz: bool) -> String {
    let mut text = crate::types::format_timestamp(ms);
    let millis = ms.rem_euclid(1000);
    if millis == 0 {
        text.truncate(text.len() - 4);
    } else if standard == TimestampStandard::Sql {
        while text.ends_with('0') {
            text.pop();
        }
    }
    if standard == TimestampStandard::Sql {
        text.replace_range(10..11, " ");
    }
    if ltz && standard == TimestampStandard::Iso8601 {
        text.push('Z');
    }
    text
}

/// A DECIMAL as Flink's JSON format writes it, every digit kept: Jackson takes the `BigDecimal`
/// without its trailing zeros (`1.50` → `1.5`, `100` → `1E+2`, `0.00` → `0`) and prints it with
/// `BigDecimal.toString` (scientific when the exponent is positive or the number is below
/// 10⁻⁶), or `toPlainString` under `json.encode.decimal-as-plain-number`. Checked on Flink 2.3.
pub fn write_java_decimal(unscaled: i128, scale: u8, plain: bool, out: &mut Vec<u8>) {
    use std::io::Write;
    if unscaled == 0 {
        out.push(b'0');
        return;
    }
    let (mut digits_of, mut scale) = (unscaled.unsigned_abs(), i32::from(scale));
    while digits_of % 10 == 0 {
        digits_of /= 10;
        scale -= 1;
    }
    if unscaled < 0 {
        out.push(b'-');
    }
    let digits = digits_of.to_string();
    let len = digits.len() as i32;
    // The exponent of the first digit: `BigDecimal`'s "adjusted exponent".
    let adjusted = len - 1 - scale;
    if scale <= 0 && plain {
        out.extend_from_slice(digits.as_bytes());
        out.extend(std::iter::repeat_n(b'0', (-scale) as usize));
    } else if scale >= 0 && (adjusted >= -6 || plain) {
        if scale >= len {
            out.extend_from_slice(b"0.");
            out.extend(std::iter::repeat_n(b'0', (scale - len) as usize));
            out.extend_from_slice(digits.as_bytes());
        } else {
            let point = (len - scale) as usize;
            out.extend_from_slice(&digits.as_bytes()[..point]);
            if scale > 0 {
                out.push(b'.');
                out.extend_from_slice(&digits.as_bytes()[point..]);
            }
        }
    } else {
        out.extend_from_slice(&digits.as_bytes()[..1]);
        if len > 1 {
            out.push(b'.');
            out.extend_from_slice(&digits.as_bytes()[1..]);
        }
        let _ = write!(out, "E{}{adjusted}", if adjusted > 0 { "+" } else { "" });
    }
}

/// A double as Java's `Double.toString` (which Jackson uses) prints it: `93.11`, `100.0`,
/// `1.0E7`, `1.5E-4`.
pub fn write_java_double(d: f64, out: &mut Vec<u8>) {
    use std::io::Write;
    if d.is_nan() || d.is_infinite() {
        // Jackson writes these as strings.
        let _ = write!(
            out,
            "\"{}\"",
            if d.is_nan() {
                "NaN"
            } else if d > 0.0 {
                "Infinity"
            } else {
                "-Infinity"
            }
        );
        return;
    }
    let abs = d.abs();
    if abs == 0.0 || (1e-3..1e7).contains(&abs) {
        if d.fract() == 0.0 {
            let _ = write!(out, "{d:.1}");
        } else {
            let _ = write!(out, "{d}");
        }
        return;
    }
    // Shortest round-trip digits in scientific form, mantissa with at least one decimal.
    let sci = format!("{d:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    if mantissa.contains('.') {
        let _ = write!(out, "{mantissa}E{exp}");
    } else {
        let _ = write!(out, "{mantissa}.0E{exp}");
    }
}

fn write_json_string(s: &str, out: &mut Vec<u8>) {
    out.push(b'"');
    for c in s.chars() {
        match c {
            '"' => out.extend_from_slice(b"\\\""),
            '\\' => out.extend_from_slice(b"\\\\"),
            '\n' => out.extend_from_slice(b"\\n"),
            '\r' => out.extend_from_slice(b"\\r"),
            '\t' => out.extend_from_slice(b"\\t"),
            c if (c as u32) < 0x20 => {
                use std::io::Write;
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => {
                let mut buf = [0; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::SqlType;

    fn sensor_fields() -> Vec<Field> {
        [
            ("sensor_id", DataType::Int),
            ("current_temperature", DataType::Double),
            ("status", DataType::Varchar(6)),
            ("event_time", DataType::Timestamp(3)),
        ]
        .into_iter()
        .map(|(n, t)| Field { name: n.into(), ty: SqlType::nullable(t) })
        .collect()
    }

    fn iso() -> JsonOptions {
        JsonOptions { timestamp_standard: TimestampStandard::Iso8601, ..JsonOptions::default() }
    }

    fn rows(decoder: &mut JsonDecoder) -> Vec<Vec<Value>> {
        let fields = sensor_fields();
        let types: Vec<DataType> = fields.iter().map(|f| f.ty.data_type.clone()).collect();
        let b = decoder.finish();
        (0..b.len()).map(|i| b.row(i, &types)).collect()
    }

    #[test]
    fn a_field_the_query_does_not_read_is_skipped_even_when_bad_or_missing() {
        let strict = JsonOptions { fail_on_missing_field: true, ..iso() };
        let mut d = JsonDecoder::new(&sensor_fields(), strict.clone());
        d.project(&[true, false, true, false]);
        d.decode(br#"{"sensor_id": 1, "current_temperature": "hot", "status": "OK", "event_time": "yesterday"}"#).unwrap();
        d.decode(br#"{"status": "WARN", "sensor_id": 2, "current_temperature": 1.5, "current_temperature": [1]}"#).unwrap();
        let null = Value::Null;
        assert_eq!(
            rows(&mut d),
            vec![
                vec![Value::Int(1), null.clone(), Value::Str("OK".into()), null.clone()],
                vec![Value::Int(2), null.clone(), Value::Str("WARN".into()), null.clone()],
            ]
        );
        // A field it reads still fails the record, missing or bad; malformed JSON anywhere does.
        assert!(d.decode(br#"{"sensor_id": 3, "current_temperature": 1.5}"#).is_err());
        assert!(d.decode(br#"{"sensor_id": "x", "status": "OK"}"#).is_err());
        assert!(d.decode(br#"{"sensor_id": 4, "status": "OK", "event_time": [1, }"#).is_err());
        // Reading every field is no projection: as before.
        let mut all = JsonDecoder::new(&sensor_fields(), strict);
        all.project(&[true; 4]);
        assert!(all
            .decode(br#"{"sensor_id": 1, "current_temperature": "hot", "status": "OK", "event_time": "2021-05-19T11:20:00"}"#)
            .is_err());
    }

    #[test]
    fn decodes_the_walkthrough_record() {
        let mut d = JsonDecoder::new(&sensor_fields(), iso());
        d.decode(br#"{"sensor_id": 77, "current_temperature": 93.11, "status": "OK", "event_time": "2021-05-19T11:20:00.978328"}"#)
            .unwrap();
        let r = rows(&mut d);
        assert_eq!(r[0][0], Value::Int(77));
        assert_eq!(r[0][1], Value::Double(93.11));
        assert_eq!(r[0][2], Value::Str("OK".into()));
        assert_eq!(r[0][3].to_string(), "2021-05-19T11:20:00.978");
    }

    #[test]
    fn missing_unknown_null_and_lenient_fields() {
        let mut d = JsonDecoder::new(&sensor_fields(), iso());
        d.decode(br#"{"extra": {"a": [1, {"b": null}]}, "status": 42, "sensor_id": "12", "current_temperature": null}"#).unwrap();
        let r = rows(&mut d);
        assert_eq!(r[0], vec![Value::Int(12), Value::Null, Value::Str("42".into()), Value::Null]);
    }

    #[test]
    fn a_bad_record_leaves_no_half_row_and_says_where() {
        let mut d = JsonDecoder::new(&sensor_fields(), iso());
        d.decode(br#"{"sensor_id": 1, "status": "OK"}"#).unwrap();
        let e = d.decode(br#"{"sensor_id": 2, "current_temperature": "hot"}"#).unwrap_err();
        assert!(e.message.contains("current_temperature"), "{e}");
        assert_eq!(e.offset, 40);
        let e = d.decode(br#"{"sensor_id": 3, "event_time": "2021-05-19 11:20:00"}"#).unwrap_err();
        assert!(e.message.contains("'json.timestamp-format.standard'"), "{e}");
        assert!(d.decode(b"[1,2]").is_err());
        assert!(d.decode(br#"{"sensor_id": 3"#).is_err());
        assert_eq!(rows(&mut d).len(), 1);
    }

    #[test]
    fn ignore_parse_errors_skips_and_counts() {
        let options = JsonOptions { ignore_parse_errors: true, ..iso() };
        let mut d = JsonDecoder::new(&sensor_fields(), options);
        d.decode(b"not json").unwrap();
        d.decode(br#"{"sensor_id": 5}"#).unwrap();
        assert_eq!(d.skipped(), 1);
        assert_eq!(rows(&mut d).len(), 1);
    }

    /// `{"x": [[[…]]]}` with `arrays` arrays: nesting depth `arrays + 1`.
    fn deep_record(key: &str, arrays: usize, open: &str, close: &str) -> Vec<u8> {
        format!(r#"{{"sensor_id": 1, "{key}": {}{}}}"#, open.repeat(arrays), close.repeat(arrays)).into_bytes()
    }

    #[test]
    fn a_record_nested_300000_deep_is_an_error_not_a_stack_overflow() {
        for (key, open, close) in [("unknown", "[", "]"), ("unknown", "{\"a\":", "}"), ("status", "[", "]")] {
            let mut d = JsonDecoder::new(&sensor_fields(), iso());
            let e = d.decode(&deep_record(key, 300_000, open, close)).unwrap_err();
            assert!(e.message.contains("nesting depth 1001 exceeds the maximum of 1000"), "{e}");
            assert!(e.to_string().starts_with(r#"cannot decode JSON record `{"sensor_id": 1,"#), "{e}");
        }
    }

    #[test]
    fn arrays_maps_multisets_and_bytes_read_and_write_as_flinks_json_format() {
        let ty = |t: &str| crate::sql::parse_type_text(t).unwrap();
        let fields = vec![
            Field { name: "tags".into(), ty: ty("ARRAY<STRING>") },
            Field { name: "m".into(), ty: ty("MAP<INT, ARRAY<DOUBLE>>") },
            Field { name: "s".into(), ty: ty("MULTISET<STRING>") },
            Field { name: "b".into(), ty: ty("BYTES") },
        ];
        let mut d = JsonDecoder::new(&fields, JsonOptions::default());
        let record = br#"{"tags": ["a", null, "b"], "m": {"1": [1.5], "2": [], "1": [2]}, "s": {"x": 2}, "b": "YWI="}"#;
        d.decode(record).unwrap();
        d.decode(br#"{"tags": [], "m": null}"#).unwrap();
        assert!(d.decode(br#"{"tags": "a"}"#).is_err(), "a string is not an array");
        assert!(d.decode(br#"{"m": {"x": []}}"#).is_err(), "x is not an INT key");
        let r = rows(&mut d);
        let s = |t: &str| Value::Str(t.into());
        assert_eq!(r[0][0], Value::Array(vec![s("a"), Value::Null, s("b")]));
        assert_eq!(
            r[0][1],
            Value::Map(vec![(Value::Int(1), Value::Array(vec![Value::Double(2.0)])), (Value::Int(2), Value::Array(vec![]))])
        );
        assert_eq!(r[0][2], Value::Map(vec![(s("x"), Value::Int(2))]));
        assert_eq!(r[0][3], Value::Bytes((*b"ab").into()));
        assert_eq!(r[1], vec![Value::Array(vec![]), Value::Null, Value::Null, Value::Null]);
        let mut out = Vec::new();
        JsonEncoder::new(&fields, JsonOptions::default()).encode(&r[0], &mut out);
        assert_eq!(String::from_utf8(out).unwrap(), r#"{"tags":["a",null,"b"],"m":{"1":[2.0],"2":[]},"s":{"x":2},"b":"YWI="}"#);
    }

    #[test]
    fn nesting_is_bounded_at_jacksons_1000() {
        let mut d = JsonDecoder::new(&sensor_fields(), iso());
        d.decode(&deep_record("unknown", 999, "[", "]")).unwrap();
        d.decode(&deep_record("status", 999, "[", "]")).unwrap();
        assert!(d.decode(&deep_record("unknown", 1000, "[", "]")).is_err());
        let r = rows(&mut d);
        assert_eq!(r.len(), 2);
        assert_eq!(r[1][2], Value::Str(format!("{}{}", "[".repeat(999), "]".repeat(999)).into()));
    }

    #[test]
    fn ignore_parse_errors_skips_a_too_deep_record() {
        let mut d = JsonDecoder::new(&sensor_fields(), JsonOptions { ignore_parse_errors: true, ..iso() });
        d.decode(&deep_record("unknown", 300_000, "[", "]")).unwrap();
        d.decode(br#"{"sensor_id": 2}"#).unwrap();
        assert_eq!(d.skipped(), 1);
        assert_eq!(rows(&mut d).len(), 1);
    }

    #[test]
    fn a_byte_order_mark_is_skipped_as_jackson_does() {
        let mut d = JsonDecoder::new(&sensor_fields(), iso());
        d.decode(b"\xef\xbb\xbf{\"sensor_id\": 5}").unwrap();
        assert_eq!(rows(&mut d)[0][0], Value::Int(5));
    }

    /// The column of `{"x": <text>}` read as `ty`: its value, or the error's message.
    fn decode_one(ty: DataType, options: JsonOptions, text: &str) -> Result<Value, String> {
        let fields = [Field { name: "x".into(), ty: SqlType::nullable(ty.clone()) }];
        let mut d = JsonDecoder::new(&fields, options);
        d.decode(format!("{{\"x\": {text}}}").as_bytes()).map_err(|e| e.message)?;
        Ok(d.finish().row(0, &[ty])[0].clone())
    }

    #[test]
    fn doubles_read_straight_from_bytes_are_what_str_parse_gives() {
        let mut texts: Vec<String> = [
            "0",
            "-0",
            "-0.0",
            "0.1",
            "118.7",
            "-56.75",
            "00012.50",
            "1.",
            ".5",
            "-",
            "1e3",
            "1.5E-3",
            "1.2.3",
            "1-2",
            "123456789012345",
            "1234567890123456",
            "0.123456789012345",
            "9007199254740993",
            "99999999999999.9",
        ]
        .iter()
        .map(|t| t.to_string())
        .collect();
        // Every digit count up to 17 and every place of the point, digits from a fixed LCG.
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        for digits in 1..=17 {
            for point in 0..=digits {
                for _ in 0..40 {
                    x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                    let mut t: String = (0..digits).map(|k| char::from(b'0' + ((x >> (k * 3 % 61)) % 10) as u8)).collect();
                    if point < digits {
                        t.insert(digits - point, '.');
                    }
                    if x >> 63 == 1 {
                        t.insert(0, '-');
                    }
                    texts.push(t);
                }
            }
        }
        for text in texts {
            let expected = text.parse::<f64>().ok();
            match decode_one(DataType::Double, JsonOptions::default(), &text) {
                Ok(Value::Double(d)) => assert_eq!(Some(d.to_bits()), expected.map(f64::to_bits), "`{text}`"),
                other => assert!(expected.is_none(), "`{text}`: {other:?}, parse gives {expected:?}"),
            }
        }
    }

    #[test]
    fn timestamps_read_straight_from_bytes_match_the_general_parser() {
        let sql = JsonOptions::default();
        for (text, options, ltz) in [
            ("2021-05-19T11:20:00.978328", iso(), false),
            ("2021-05-19T11:20:00", iso(), false),
            ("2021-05-19T11:20:00.9", iso(), false),
            ("2021-05-19 11:20:00.038", sql.clone(), false),
            ("2021-05-19T11:20:00.038Z", iso(), true),
            ("2024-02-29T23:59:59.999999999", iso(), false),
        ] {
            let ty = if ltz { DataType::TimestampLtz(3) } else { DataType::Timestamp(3) };
            let expected = parse_json_timestamp(text, options.timestamp_standard, ltz).unwrap();
            let got = decode_one(ty.clone(), options.clone(), &format!("\"{text}\"")).unwrap();
            assert_eq!(got, Value::Timestamp(expected), "{text}");
        }
        // One decoder over changing dates (it keeps the last date's day number).
        let fields = [Field { name: "t".into(), ty: SqlType::nullable(DataType::Timestamp(3)) }];
        let mut d = JsonDecoder::new(&fields, iso());
        let texts = ["2021-05-19T23:59:59.999", "2021-05-20T00:00:00", "2021-05-19T11:20:00", "1969-12-31T00:00:01", "2021-05-19T00:00:00"];
        for text in texts {
            d.decode(format!("{{\"t\": \"{text}\"}}").as_bytes()).unwrap();
        }
        let b = d.finish();
        for (i, text) in texts.iter().enumerate() {
            let expected = parse_json_timestamp(text, TimestampStandard::Iso8601, false).unwrap();
            assert_eq!(b.row(i, &[DataType::Timestamp(3)])[0], Value::Timestamp(expected), "{text}");
        }
        // Escaped, too long, or in the other standard: the general path reads (or refuses) them.
        let escaped = decode_one(DataType::Timestamp(3), iso(), r#""2021-05-19T11:20:00\u002e978""#).unwrap();
        assert_eq!(escaped.to_string(), "2021-05-19T11:20:00.978");
        assert!(decode_one(DataType::Timestamp(3), iso(), r#""2021-05-19T11:20:00.1234567890""#).is_err());
        assert!(decode_one(DataType::Timestamp(3), iso(), r#""2021-05-19 11:20:00""#).unwrap_err().contains("ISO-8601"));
        assert!(decode_one(DataType::Timestamp(3), sql, r#""2021-05-19T11:20:00""#).unwrap_err().contains("SQL"));
        assert!(decode_one(DataType::Timestamp(3), iso(), r#""2021-02-29T11:20:00""#).is_err());
        assert!(decode_one(DataType::Timestamp(3), iso(), r#""2021-05-19T11:20:00"#).is_err());
        // A short string whose closing quote comes before the 19th byte, then more strings.
        let fields = [
            Field { name: "t".into(), ty: SqlType::nullable(DataType::Timestamp(3)) },
            Field { name: "u".into(), ty: SqlType::nullable(DataType::Varchar(9)) },
        ];
        let mut d = JsonDecoder::new(&fields, iso());
        let err = d.decode(br#"{"t": "2021-05-19", "u": "1:20:00.1"}"#).unwrap_err();
        assert!(err.message.contains("`2021-05-19` is not an ISO-8601 timestamp"), "{}", err.message);
    }

    #[test]
    fn keys_match_fields_however_they_are_written() {
        let fields: Vec<Field> = ["a\"b", "c\\d", "ab", "sensor_id"]
            .iter()
            .map(|n| Field { name: n.to_string(), ty: SqlType::nullable(DataType::Int) })
            .collect();
        let mut d = JsonDecoder::new(&fields, JsonOptions::default());
        d.decode(br#"{"a\"b": 1, "c\\d": 2, "a\u0062": 3, "sensor_idx": 9, "sensor_id": 4}"#).unwrap();
        d.decode(br#"{"sensor_i": 8, "ab": 5, "a\"b": 6}"#).unwrap();
        let b = d.finish();
        let types = [DataType::Int, DataType::Int, DataType::Int, DataType::Int];
        assert_eq!(b.row(0, &types), vec![Value::Int(1), Value::Int(2), Value::Int(3), Value::Int(4)]);
        assert_eq!(b.row(1, &types), vec![Value::Int(6), Value::Null, Value::Int(5), Value::Null]);
    }

    #[test]
    fn a_repeated_key_keeps_the_last_value_as_jackson_does() {
        let mut d = JsonDecoder::new(&sensor_fields(), iso());
        d.decode(br#"{"sensor_id": 1, "status": "OK", "sensor_id": 2, "status": null, "x": {"a": 1, "a": 2}}"#).unwrap();
        d.decode(br#"{"status": null, "status": "ERROR"}"#).unwrap();
        let r = rows(&mut d);
        assert_eq!(r[0][..3], [Value::Int(2), Value::Null, Value::Null]);
        assert_eq!(r[1][..3], [Value::Null, Value::Null, Value::Str("ERROR".into())]);
    }

    #[test]
    fn ignore_parse_errors_nulls_a_field_that_does_not_convert() {
        let mut d = JsonDecoder::new(&sensor_fields(), JsonOptions { ignore_parse_errors: true, ..iso() });
        d.decode(br#"{"sensor_id": 2, "current_temperature": "hot", "status": "OK", "event_time": "yesterday"}"#).unwrap();
        d.decode(br#"{"sensor_id": 99999999999, "status": {"a": [1, " x\" "]}}"#).unwrap();
        // An array or object for a number, and malformed JSON, still skip the whole record.
        d.decode(br#"{"sensor_id": 3, "current_temperature": {"a": [1, 2]}, "status": "OK"}"#).unwrap();
        d.decode(br#"{"sensor_id": 4, "current_temperature": [1, 2, "status": "OK"}"#).unwrap();
        assert_eq!(d.skipped(), 2);
        let r = rows(&mut d);
        assert_eq!(
            r,
            vec![
                vec![Value::Int(2), Value::Null, Value::Str("OK".into()), Value::Null],
                vec![Value::Null, Value::Null, Value::Str(r#"{"a":[1," x\" "]}"#.into()), Value::Null],
            ]
        );
    }

    #[test]
    fn numbers_strings_and_keys_are_bounded_like_jackson() {
        let mut d = JsonDecoder::new(&sensor_fields(), iso());
        let long = "1".repeat(MAX_NUMBER_LENGTH + 1);
        let e = d.decode(format!(r#"{{"current_temperature": {long}}}"#).as_bytes()).unwrap_err();
        assert!(e.message.contains("a number of 1001 characters exceeds the maximum of 1000"), "{e}");
        let e = d.decode(format!(r#"{{"x": {long}}}"#).as_bytes()).unwrap_err();
        assert!(e.message.contains("exceeds the maximum of 1000"), "{e}");
        let key = "k".repeat(MAX_NAME_LENGTH + 1);
        let e = d.decode(format!(r#"{{"{key}": 1}}"#).as_bytes()).unwrap_err();
        assert!(e.message.contains("a key of 50001 bytes exceeds the maximum of 50000"), "{e}");
        let text = "s".repeat(MAX_STRING_LENGTH + 1);
        let e = d.decode(format!(r#"{{"x": "{text}"}}"#).as_bytes()).unwrap_err();
        assert!(e.message.contains("a string of 20000001 bytes exceeds the maximum of 20000000"), "{e}");
        d.decode(format!(r#"{{"current_temperature": {}}}"#, "1".repeat(MAX_NUMBER_LENGTH)).as_bytes()).unwrap();
        let e = d.decode(br#"{"sensor_id": 99999999999999999999999999999}"#).unwrap_err();
        assert!(e.message.contains("`99999999999999999999999999999` is out of range for INT"), "{e}");
    }

    #[test]
    fn escapes_and_unicode_round_trip() {
        let mut d = JsonDecoder::new(&sensor_fields(), iso());
        d.decode(r#"{"status": "a\"b\\c\u00e9\ud83d\ude00ü"}"#.as_bytes()).unwrap();
        let r = rows(&mut d);
        assert_eq!(r[0][2], Value::Str("a\"b\\cé😀ü".into()));
        let e = JsonEncoder::new(&sensor_fields(), iso());
        let mut out = Vec::new();
        e.encode(&r[0], &mut out);
        let back: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(back["status"], "a\"b\\cé😀ü");
    }

    #[test]
    fn encodes_like_flink() {
        let e = JsonEncoder::new(&sensor_fields(), JsonOptions::default());
        let mut out = Vec::new();
        e.encode(&[Value::Int(7), Value::Double(100.0), Value::Str("OK".into()), Value::Timestamp(1_621_423_209_500)], &mut out);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            r#"{"sensor_id":7,"current_temperature":100.0,"status":"OK","event_time":"2021-05-19 11:20:09.5"}"#
        );
        assert_eq!(format_json_timestamp(1_621_423_209_000, TimestampStandard::Iso8601, false), "2021-05-19T11:20:09");
        assert_eq!(format_json_timestamp(1_621_423_209_500, TimestampStandard::Iso8601, false), "2021-05-19T11:20:09.500");
        for (d, s) in [(1e7, "1.0E7"), (1.5e-4, "1.5E-4"), (93.11, "93.11"), (-0.001, "-0.001"), (123456789.0, "1.23456789E8")] {
            let mut out = Vec::new();
            write_java_double(d, &mut out);
            assert_eq!(String::from_utf8(out).unwrap(), s);
        }
    }

    /// What Flink 2.3's JSON format wrote for these DECIMALs into a filesystem sink (PyFlink,
    /// `INSERT INTO s VALUES (CAST('1.50' AS DECIMAL(10,2)), …)`).
    #[test]
    fn decimals_are_written_as_flink_writes_them() {
        let cases = [
            ((150, 2), "1.5"),
            ((0, 2), "0"),
            ((-150, 2), "-1.5"),
            ((10010, 2), "100.1"),
            ((1234567890, 2), "12345678.9"),
            ((100, 0), "1E+2"),
            ((0, 0), "0"),
            ((1234567, 0), "1234567"),
            ((-10, 0), "-1E+1"),
            ((12345678901234567890, 0), "1.234567890123456789E+19"),
            ((1, 4), "0.0001"),
            ((1, 18), "1E-18"),
            ((100, 9), "1E-7"),
            ((1000, 9), "0.000001"),
            ((123456789120000000, 9), "123456789.12"),
            ((-10, 9), "-1E-8"),
        ];
        for ((unscaled, scale), flink) in cases {
            let mut out = Vec::new();
            write_java_decimal(unscaled, scale, false, &mut out);
            assert_eq!(String::from_utf8(out).unwrap(), flink, "{unscaled} scale {scale}");
        }
        // `json.encode.decimal-as-plain-number`: `toPlainString` of the same stripped value.
        for ((unscaled, scale), plain) in
            [((100, 0), "100"), ((12345678901234567890, 0), "12345678901234567890"), ((1, 18), "0.000000000000000001"), ((150, 2), "1.5")]
        {
            let mut out = Vec::new();
            write_java_decimal(unscaled, scale, true, &mut out);
            assert_eq!(String::from_utf8(out).unwrap(), plain, "{unscaled} scale {scale}");
        }
        let fields = [Field { name: "d".into(), ty: SqlType::nullable(DataType::Decimal { precision: 10, scale: 2 }) }];
        let mut out = Vec::new();
        JsonEncoder::new(&fields, JsonOptions::default()).encode(&[Value::Decimal(150, 2)], &mut out);
        assert_eq!(out, br#"{"d":1.5}"#);
        let plain = JsonOptions::from_table_options(&[("json.encode.decimal-as-plain-number".into(), "true".into())]).unwrap();
        assert!(plain.decimal_as_plain_number);
    }

    #[test]
    fn options_are_checked() {
        let opt = |k: &str, v: &str| vec![(k.to_string(), v.to_string())];
        assert!(JsonOptions::from_table_options(&opt("json.timestamp-format.standard", "RFC")).is_err());
        assert!(JsonOptions::from_table_options(&opt("json.ignore-parse-errors", "yes")).is_err());
        assert_eq!(JsonOptions::from_table_options(&opt("json.timestamp-format.standard", "ISO-8601")).unwrap(), iso());
    }
}
