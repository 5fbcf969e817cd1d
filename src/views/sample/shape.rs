//! What the sampled values of one column (or nested field) look like, merged record by record,
//! and the Flink type that holds them all.
//!
//! - Whole numbers are `BIGINT` (a `DECIMAL(p, 0)` past its range); numbers with a fraction are
//!   `DOUBLE`, or `DECIMAL(p, s)` when some value has more significant digits than a DOUBLE
//!   keeps (15).
//! - Strings that are all timestamps are `TIMESTAMP(3)` (`2021-05-19 11:20:00`, Flink's SQL
//!   standard, or `2021-05-19T11:20:00`, ISO-8601) or `TIMESTAMP_LTZ(3)` (ISO-8601 with `Z`); all
//!   dates are `DATE`; anything else is `STRING`.
//! - Objects are `ROW<…>` in the order their fields first appear, or `MAP<STRING, V>` when their
//!   keys vary: no key is in every object and the values share one type (`{"tags": {"a": 1}}`,
//!   `{"tags": {"b": 2}}`).
//! - Arrays are `ARRAY<element>`; values of kinds that do not mix (a number here, an object
//!   there) are `STRING`, which Flink's JSON reader fills with the value's JSON text.
//!
//! Shapes nest at most [`super::json::MAX_DEPTH`] deep, as the records they come from.

use super::json::Node;

/// Which timestamp writings a string column holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Strings {
    pub sql_timestamp: bool,
    pub iso_timestamp: bool,
    pub iso_timestamp_z: bool,
    pub date: bool,
    pub other: bool,
}

/// Numbers seen in a column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Numbers {
    /// Every value was a whole number within BIGINT's range.
    pub all_bigint: bool,
    /// Every value was written without a fraction or exponent.
    pub all_whole: bool,
    pub exponent: bool,
    /// Most digits before and after the point.
    pub int_digits: u32,
    pub scale: u32,
    pub min: i64,
    pub max: i64,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Shape {
    /// Only NULLs (or nothing) seen.
    Unknown,
    Bool,
    Number(Numbers),
    Str(Strings),
    Array(Box<Shape>),
    /// Fields in first-seen order with how many objects had them, and how many objects.
    Object {
        fields: Vec<(String, Shape, usize)>,
        objects: usize,
    },
    /// Values of kinds that do not mix.
    Mixed,
}

/// The type a table would declare for a shape.
#[derive(Clone, Debug, PartialEq)]
pub enum Inferred {
    Boolean,
    BigInt,
    Double,
    Decimal(u32, u32),
    String,
    Date,
    /// `TIMESTAMP(3)`; `iso` says it was written `…T…` (else `… …`).
    Timestamp {
        iso: bool,
    },
    /// `TIMESTAMP_LTZ(3)`, written ISO-8601 with `Z`.
    TimestampLtz,
    Array(Box<Inferred>),
    Map(Box<Inferred>),
    Row(Vec<(String, Inferred)>),
}

impl Shape {
    /// Adds one value to the shape.
    pub fn add(&mut self, node: &Node, depth: usize) {
        let next = Shape::of(node, depth);
        self.merge(next, depth);
    }

    fn of(node: &Node, depth: usize) -> Shape {
        if depth > super::json::MAX_DEPTH {
            return Shape::Mixed;
        }
        match node {
            Node::Null => Shape::Unknown,
            Node::Bool(_) => Shape::Bool,
            Node::Number(text) => Shape::Number(Numbers::of(text)),
            Node::Str(s) => Shape::Str(Strings::of(s)),
            Node::Array(items) => {
                let mut element = Shape::Unknown;
                for item in items {
                    element.add(item, depth + 1);
                }
                Shape::Array(Box::new(element))
            }
            Node::Object(entries) => {
                let mut fields = Vec::with_capacity(entries.len());
                for (k, v) in entries {
                    fields.push((k.clone(), Shape::of(v, depth + 1), 1));
                }
                Shape::Object { fields, objects: 1 }
            }
        }
    }

    pub fn merge(&mut self, other: Shape, depth: usize) {
        let merged = match (std::mem::replace(self, Shape::Unknown), other) {
            (Shape::Unknown, s) | (s, Shape::Unknown) => s,
            (Shape::Bool, Shape::Bool) => Shape::Bool,
            (Shape::Number(a), Shape::Number(b)) => Shape::Number(a.merge(b)),
            (Shape::Str(a), Shape::Str(b)) => Shape::Str(Strings {
                sql_timestamp: a.sql_timestamp || b.sql_timestamp,
                iso_timestamp: a.iso_timestamp || b.iso_timestamp,
                iso_timestamp_z: a.iso_timestamp_z || b.iso_timestamp_z,
                date: a.date || b.date,
                other: a.other || b.other,
            }),
            (Shape::Array(mut a), Shape::Array(b)) if depth < super::json::MAX_DEPTH => {
                a.merge(*b, depth + 1);
                Shape::Array(a)
            }
            (Shape::Object { mut fields, objects }, Shape::Object { fields: theirs, objects: more }) if depth < super::json::MAX_DEPTH => {
                for (name, shape, count) in theirs {
                    match fields.iter_mut().find(|(n, _, _)| *n == name) {
                        Some(field) => {
                            field.1.merge(shape, depth + 1);
                            field.2 += count;
                        }
                        None => fields.push((name, shape, count)),
                    }
                }
                Shape::Object { fields, objects: objects + more }
            }
            _ => Shape::Mixed,
        };
        *self = merged;
    }

    /// The Flink type for this shape (`top` for a record's own fields, which are columns and
    /// never a MAP).
    pub fn inferred(&self, top: bool, depth: usize) -> Inferred {
        if depth > super::json::MAX_DEPTH {
            return Inferred::String;
        }
        match self {
            Shape::Unknown | Shape::Mixed => Inferred::String,
            Shape::Bool => Inferred::Boolean,
            Shape::Number(n) => n.inferred(),
            Shape::Str(s) => s.inferred(),
            Shape::Array(element) => Inferred::Array(Box::new(element.inferred(false, depth + 1))),
            Shape::Object { fields, objects } => {
                let keys_vary = fields.len() >= 2 && fields.iter().all(|(_, _, count)| count < objects);
                if !top && keys_vary {
                    let mut values = Shape::Unknown;
                    for (_, shape, _) in fields {
                        values.merge(shape.clone(), depth + 1);
                    }
                    if !matches!(values, Shape::Object { .. } | Shape::Mixed) {
                        return Inferred::Map(Box::new(values.inferred(false, depth + 1)));
                    }
                }
                Inferred::Row(fields.iter().map(|(name, shape, _)| (name.clone(), shape.inferred(false, depth + 1))).collect())
            }
        }
    }
}

impl Numbers {
    fn of(text: &str) -> Numbers {
        let unsigned = text.trim_start_matches('-');
        let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
            Some(i) => (&unsigned[..i], true),
            None => (unsigned, false),
        };
        let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let whole = frac.is_empty() && !exponent;
        let value = if whole { text.parse::<i64>().ok() } else { None };
        Numbers {
            all_bigint: value.is_some(),
            all_whole: whole,
            exponent,
            int_digits: int.trim_start_matches('0').len().max(1) as u32,
            scale: frac.len() as u32,
            min: value.unwrap_or(i64::MAX),
            max: value.unwrap_or(i64::MIN),
        }
    }

    fn merge(self, b: Numbers) -> Numbers {
        Numbers {
            all_bigint: self.all_bigint && b.all_bigint,
            all_whole: self.all_whole && b.all_whole,
            exponent: self.exponent || b.exponent,
            int_digits: self.int_digits.max(b.int_digits),
            scale: self.scale.max(b.scale),
            min: self.min.min(b.min),
            max: self.max.max(b.max),
        }
    }

    fn inferred(&self) -> Inferred {
        let digits = self.int_digits + self.scale;
        if self.all_bigint {
            Inferred::BigInt
        } else if self.all_whole && self.int_digits <= 38 {
            Inferred::Decimal(self.int_digits, 0)
        } else if !self.exponent && digits > 15 && digits <= 38 {
            Inferred::Decimal(digits, self.scale)
        } else {
            Inferred::Double
        }
    }

    /// Milliseconds since the epoch, 2000 to 2100: a time, not a count.
    pub fn looks_like_epoch_millis(&self) -> bool {
        self.all_bigint && self.min >= 946_684_800_000 && self.max < 4_102_444_800_000
    }

    /// Seconds since the epoch, 2000 to 2100 (taken as a time only when the name says so).
    pub fn looks_like_epoch_seconds(&self) -> bool {
        self.all_bigint && self.min >= 946_684_800 && self.max < 4_102_444_800
    }
}

impl Strings {
    fn of(s: &str) -> Strings {
        let mut kinds = Strings::default();
        let b = s.as_bytes();
        let date_at = |b: &[u8]| {
            b.len() >= 10
                && b[..4].iter().all(u8::is_ascii_digit)
                && b[4] == b'-'
                && b[7] == b'-'
                && crate::types::parse_date(std::str::from_utf8(&b[..10]).unwrap_or("")).is_some()
        };
        if b.len() == 10 && date_at(b) {
            kinds.date = true;
        } else if b.len() >= 19 && date_at(b) && matches!(b[10], b' ' | b'T') {
            let (time, z) = match s[11..].strip_suffix('Z') {
                Some(t) => (t, true),
                None => (&s[11..], false),
            };
            let time_ok = time.len() >= 8 && crate::types::parse_time(time).is_some() && !time.starts_with(' ');
            match (b[10], z, time_ok) {
                (b' ', false, true) => kinds.sql_timestamp = true,
                (b'T', false, true) => kinds.iso_timestamp = true,
                (b'T', true, true) => kinds.iso_timestamp_z = true,
                _ => kinds.other = true,
            }
        } else {
            kinds.other = true;
        }
        kinds
    }

    fn inferred(&self) -> Inferred {
        let Strings { sql_timestamp, iso_timestamp, iso_timestamp_z, date, other } = *self;
        match (sql_timestamp, iso_timestamp, iso_timestamp_z, date, other) {
            (true, false, false, false, false) => Inferred::Timestamp { iso: false },
            (false, true, false, false, false) => Inferred::Timestamp { iso: true },
            (false, false, true, false, false) => Inferred::TimestampLtz,
            (false, false, false, true, false) => Inferred::Date,
            _ => Inferred::String,
        }
    }
}

impl Inferred {
    /// The type as Flink's DDL writes it.
    pub fn sql(&self, depth: usize) -> String {
        if depth > super::json::MAX_DEPTH {
            return "STRING".into();
        }
        match self {
            Inferred::Boolean => "BOOLEAN".into(),
            Inferred::BigInt => "BIGINT".into(),
            Inferred::Double => "DOUBLE".into(),
            Inferred::Decimal(p, s) => format!("DECIMAL({p}, {s})"),
            Inferred::String => "STRING".into(),
            Inferred::Date => "DATE".into(),
            Inferred::Timestamp { .. } => "TIMESTAMP(3)".into(),
            Inferred::TimestampLtz => "TIMESTAMP_LTZ(3)".into(),
            Inferred::Array(e) => format!("ARRAY<{}>", e.sql(depth + 1)),
            Inferred::Map(v) => format!("MAP<STRING, {}>", v.sql(depth + 1)),
            Inferred::Row(fields) => {
                let fields: Vec<String> = fields.iter().map(|(n, t)| format!("{} {}", super::quoted(n), t.sql(depth + 1))).collect();
                format!("ROW<{}>", fields.join(", "))
            }
        }
    }

    /// Whether a timestamp written in the other standard sits somewhere inside: the table's
    /// one `json.timestamp-format.standard` cannot read both, so such fields become STRING.
    pub fn timestamps(&self, sql: &mut usize, iso: &mut usize, depth: usize) {
        if depth > super::json::MAX_DEPTH {
            return;
        }
        match self {
            Inferred::Timestamp { iso: false } => *sql += 1,
            Inferred::Timestamp { iso: true } | Inferred::TimestampLtz => *iso += 1,
            Inferred::Array(e) | Inferred::Map(e) => e.timestamps(sql, iso, depth + 1),
            Inferred::Row(fields) => fields.iter().for_each(|(_, t)| t.timestamps(sql, iso, depth + 1)),
            _ => {}
        }
    }

    /// The same type with timestamps of the standard not chosen (and, under the SQL standard,
    /// `TIMESTAMP_LTZ` written with `Z`) turned into STRING.
    pub fn under_standard(self, iso: bool, depth: usize) -> Inferred {
        if depth > super::json::MAX_DEPTH {
            return Inferred::String;
        }
        match self {
            Inferred::Timestamp { iso: t } if t != iso => Inferred::String,
            Inferred::TimestampLtz if !iso => Inferred::String,
            Inferred::Array(e) => Inferred::Array(Box::new(e.under_standard(iso, depth + 1))),
            Inferred::Map(e) => Inferred::Map(Box::new(e.under_standard(iso, depth + 1))),
            Inferred::Row(fields) => Inferred::Row(fields.into_iter().map(|(n, t)| (n, t.under_standard(iso, depth + 1))).collect()),
            t => t,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::json::parse;
    use super::*;

    fn infer(records: &[&str]) -> String {
        let mut shape = Shape::Unknown;
        for r in records {
            shape.add(&parse(r.as_bytes()).unwrap(), 0);
        }
        shape.inferred(true, 0).sql(0)
    }

    #[test]
    fn numbers_are_bigint_double_or_decimal_by_their_digits() {
        assert_eq!(infer(&[r#"{"n": 1}"#, r#"{"n": -7}"#]), "ROW<n BIGINT>");
        assert_eq!(infer(&[r#"{"n": 1}"#, r#"{"n": 2.5}"#]), "ROW<n DOUBLE>");
        assert_eq!(infer(&[r#"{"n": 1e3}"#]), "ROW<n DOUBLE>");
        assert_eq!(infer(&[r#"{"n": 123456789012345678901234}"#]), "ROW<n DECIMAL(24, 0)>");
        assert_eq!(infer(&[r#"{"n": 12345678901234.5678}"#, r#"{"n": 1.5}"#]), "ROW<n DECIMAL(18, 4)>");
    }

    #[test]
    fn strings_are_timestamps_dates_or_strings() {
        assert_eq!(infer(&[r#"{"t": "2021-05-19 11:20:00.978"}"#, r#"{"t": "2021-05-19 11:20:01"}"#]), "ROW<t TIMESTAMP(3)>");
        assert_eq!(infer(&[r#"{"t": "2021-05-19T11:20:00"}"#]), "ROW<t TIMESTAMP(3)>");
        assert_eq!(infer(&[r#"{"t": "2021-05-19T11:20:00.5Z"}"#]), "ROW<t TIMESTAMP_LTZ(3)>");
        assert_eq!(infer(&[r#"{"d": "2021-05-19"}"#]), "ROW<d DATE>");
        assert_eq!(infer(&[r#"{"t": "2021-05-19T11:20:00"}"#, r#"{"t": "soon"}"#]), "ROW<t STRING>");
        assert_eq!(infer(&[r#"{"t": "2021-13-19 11:20:00"}"#]), "ROW<t STRING>");
    }

    #[test]
    fn objects_are_rows_or_maps_when_their_keys_vary() {
        assert_eq!(
            infer(&[
                r#"{"pos": {"lat": 1.5, "lon": 2.5}, "tags": {"a": 1}}"#,
                r#"{"pos": {"lat": 3.5, "lon": 4}, "tags": {"b": 2, "c": 3}}"#
            ]),
            "ROW<pos ROW<lat DOUBLE, lon DOUBLE>, tags MAP<STRING, BIGINT>>"
        );
        // An optional field keeps a ROW: `id` is in every object.
        assert_eq!(infer(&[r#"{"o": {"id": 1}}"#, r#"{"o": {"id": 2, "note": "x"}}"#]), "ROW<o ROW<id BIGINT, note STRING>>");
    }

    #[test]
    fn arrays_nulls_and_mixed_values() {
        assert_eq!(
            infer(&[r#"{"xs": [1, 2], "m": 1, "z": null}"#, r#"{"xs": [], "m": "one", "z": null}"#]),
            "ROW<xs ARRAY<BIGINT>, m STRING, z STRING>"
        );
        assert_eq!(infer(&[r#"{"rs": [{"a": true}]}"#]), "ROW<rs ARRAY<ROW<a BOOLEAN>>>");
    }
}
