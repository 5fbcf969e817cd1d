//! A single SQL value, as it leaves the engine: for result tables, charts, JSON lines and
//! literals. The engine's hot path works on typed columns (`Batch`), not on `Value`s.

use std::fmt;
use std::sync::Arc;

use base64::Engine as _;

use super::time;

#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Value {
    Null,
    Bool(bool),
    /// TINYINT, SMALLINT, INT and BIGINT.
    Int(i64),
    /// FLOAT and DOUBLE.
    Double(f64),
    /// DECIMAL: the unscaled integer and the scale.
    Decimal(i128, u8),
    Str(Arc<str>),
    /// Days since the epoch.
    Date(i32),
    /// Milliseconds of the day.
    Time(i32),
    /// Milliseconds since the epoch (TIMESTAMP and TIMESTAMP_LTZ).
    Timestamp(i64),
    Row(Vec<Value>),
    /// BINARY, VARBINARY and BYTES.
    Bytes(Arc<[u8]>),
    /// ARRAY's elements in order.
    Array(Vec<Value>),
    /// MAP's entries in insertion order (keys distinct); a MULTISET's elements with their counts.
    Map(Vec<(Value, Value)>),
}

impl Value {
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The value as a number, for charts and numeric summaries.
    pub fn as_f64(&self) -> Option<f64> {
        match *self {
            Value::Int(i) => Some(i as f64),
            Value::Double(d) => Some(d),
            Value::Decimal(u, s) => Some(u as f64 / 10f64.powi(s as i32)),
            Value::Timestamp(t) => Some(t as f64),
            _ => None,
        }
    }

    /// The value as JSON text, every digit of a DECIMAL kept (`1.50`, with its scale): what
    /// downloads and `sluice run` write. There is no `serde_json::Value` form: it would hold a
    /// DECIMAL as a double. Sinks write Flink's JSON format instead (`format::json::JsonEncoder`).
    pub fn write_json(&self, out: &mut String) {
        use std::fmt::Write;
        match self {
            Value::Null => out.push_str("null"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Int(i) => {
                let _ = write!(out, "{i}");
            }
            Value::Double(d) => match serde_json::Number::from_f64(*d) {
                Some(n) => {
                    let _ = write!(out, "{n}");
                }
                None => out.push_str("null"),
            },
            Value::Decimal(..) => {
                let _ = write!(out, "{self}");
            }
            // Rows and collections nest as deep as their SQL type, which the SQL parser bounds.
            Value::Map(entries) => {
                out.push('{');
                for (i, (k, v)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&serde_json::Value::String(k.to_string()).to_string());
                    out.push(':');
                    v.write_json(out);
                }
                out.push('}');
            }
            Value::Row(fields) | Value::Array(fields) => {
                out.push('[');
                for (i, v) in fields.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    v.write_json(out);
                }
                out.push(']');
            }
            // Flink's JSON format writes bytes as base64 text.
            Value::Bytes(b) => {
                out.push('"');
                out.push_str(&base64::engine::general_purpose::STANDARD.encode(b));
                out.push('"');
            }
            other => out.push_str(&serde_json::Value::String(other.to_string()).to_string()),
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("NULL"),
            Value::Bool(b) => f.write_str(if *b { "TRUE" } else { "FALSE" }),
            Value::Int(i) => write!(f, "{i}"),
            Value::Double(d) => {
                if d.is_finite() && d.fract() == 0.0 && d.abs() < 1e15 {
                    write!(f, "{d:.1}")
                } else {
                    write!(f, "{d}")
                }
            }
            Value::Decimal(unscaled, scale) => {
                let scale = *scale as u32;
                if scale == 0 {
                    return write!(f, "{unscaled}");
                }
                let pow = 10i128.pow(scale);
                let sign = if *unscaled < 0 { "-" } else { "" };
                let abs = unscaled.unsigned_abs();
                write!(f, "{sign}{}.{:0width$}", abs / pow as u128, abs % pow as u128, width = scale as usize)
            }
            Value::Str(s) => f.write_str(s),
            Value::Date(d) => f.write_str(&time::format_date(*d)),
            Value::Time(t) => f.write_str(&time::format_time(*t)),
            Value::Timestamp(ms) => f.write_str(&time::format_timestamp(*ms)),
            Value::Row(fields) => write_list(f, "(", fields, ")"),
            Value::Array(items) => write_list(f, "[", items, "]"),
            Value::Map(entries) => {
                f.write_str("{")?;
                for (i, (k, v)) in entries.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{k}={v}")?;
                }
                f.write_str("}")
            }
            Value::Bytes(b) => {
                f.write_str("x'")?;
                for byte in b.iter() {
                    write!(f, "{byte:02x}")?;
                }
                f.write_str("'")
            }
        }
    }
}

/// `(a, b)` / `[a, b]`: what Flink's result printer writes for a ROW and an ARRAY.
fn write_list(f: &mut fmt::Formatter<'_>, open: &str, items: &[Value], close: &str) -> fmt::Result {
    f.write_str(open)?;
    for (i, v) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write!(f, "{v}")?;
    }
    f.write_str(close)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_render_like_flink() {
        assert_eq!(Value::Decimal(-12345, 2).to_string(), "-123.45");
        assert_eq!(Value::Decimal(5, 3).to_string(), "0.005");
        let mut json = String::new();
        Value::Row(vec![Value::Decimal(12_345_678_901_234_567_890_123, 3), Value::Null]).write_json(&mut json);
        assert_eq!(json, "[12345678901234567890.123,null]");
        assert_eq!(Value::Double(2.0).to_string(), "2.0");
        let json = |v: Value| {
            let mut out = String::new();
            v.write_json(&mut out);
            out
        };
        assert_eq!(json(Value::Timestamp(0)), r#""1970-01-01T00:00:00.000""#);
        assert_eq!(json(Value::Double(135.18427600000015)), "135.18427600000015");
        assert_eq!(json(Value::Double(f64::NAN)), "null");
        assert_eq!(json(Value::Row(vec![Value::Str("a\"b".into()), Value::Bool(true), Value::Int(-3)])), r#"["a\"b",true,-3]"#);
    }

    #[test]
    fn collections_print_as_flinks_result_printer_does() {
        let array = Value::Array(vec![Value::Str("x".into()), Value::Null]);
        assert_eq!(array.to_string(), "[x, NULL]");
        let map = Value::Map(vec![(Value::Str("a".into()), Value::Int(1)), (Value::Str("b".into()), Value::Int(2))]);
        assert_eq!(map.to_string(), "{a=1, b=2}");
        assert_eq!(Value::Row(vec![Value::Int(1), Value::Str("x".into())]).to_string(), "(1, x)");
        assert_eq!(Value::Bytes(Arc::from(&b"ab"[..])).to_string(), "x'6162'");
        let mut json = String::new();
        Value::Array(vec![map, Value::Bytes(Arc::from(&b"ab"[..]))]).write_json(&mut json);
        assert_eq!(json, r#"[{"a":1,"b":2},"YWI="]"#);
    }
}
