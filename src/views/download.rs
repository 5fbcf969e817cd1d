//! A result's rows as files a person downloads: CSV (RFC 4180, a header row of column names)
//! and JSON (a list of objects, keys in column order, values as Flink's JSON format writes
//! them).
//!
//! Downloads are opened in spreadsheets, and results carry strangers' text: a text cell that
//! starts with `=`, `+`, `-`, `@`, a tab or a carriage return would run as a formula, so it gets
//! OWASP's guard (a leading `'`, the cell quoted). Numbers are left as they are: `-3` is data.
//! DECIMAL values are written with their exact digits in JSON, never through a double.

use crate::session::ColumnInfo;
use crate::types::Value;

pub fn to_csv<'a>(columns: &[ColumnInfo], rows: impl IntoIterator<Item = &'a Vec<Value>>) -> String {
    let mut out = String::new();
    let line = |cells: &mut dyn Iterator<Item = String>, out: &mut String| {
        let mut first = true;
        for cell in cells {
            if !first {
                out.push(',');
            }
            first = false;
            out.push_str(&csv_field(&cell));
        }
        out.push_str("\r\n");
    };
    line(&mut columns.iter().map(|c| defuse_formula(&c.name)), &mut out);
    for row in rows {
        // NULL is an empty field, as most CSV readers expect.
        line(
            &mut row.iter().map(|v| match v {
                Value::Null => String::new(),
                Value::Str(s) => defuse_formula(s),
                v => v.to_string(),
            }),
            &mut out,
        );
    }
    out
}

/// Text a spreadsheet would read as a formula, prefixed with `'` (OWASP's CSV injection guard).
fn defuse_formula(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) || text.starts_with([' ', '\'']) || text.ends_with(' ') {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

pub fn to_json<'a>(columns: &[ColumnInfo], rows: impl IntoIterator<Item = &'a Vec<Value>>) -> String {
    let keys: Vec<String> = columns.iter().map(|c| serde_json::Value::String(c.name.clone()).to_string()).collect();
    let mut out = String::from("[");
    for (n, row) in rows.into_iter().enumerate() {
        out.push_str(if n == 0 { "\n  {" } else { ",\n  {" });
        for (i, (key, value)) in keys.iter().zip(row).enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            out.push_str(key);
            out.push_str(": ");
            value.write_json(&mut out);
        }
        out.push('}');
    }
    out.push_str(if out.len() == 1 { "]\n" } else { "\n]\n" });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{DataType, SqlType};

    fn columns() -> Vec<ColumnInfo> {
        vec![
            ColumnInfo::new("status", SqlType::nullable(DataType::Varchar(6))),
            ColumnInfo::new("avg", SqlType::nullable(DataType::Double)),
        ]
    }

    #[test]
    fn csv_quotes_what_needs_quoting() {
        let rows = vec![vec![Value::Str("OK".into()), Value::Double(71.5)], vec![Value::Str("a,\"b\"".into()), Value::Null]];
        assert_eq!(to_csv(&columns(), &rows), "status,avg\r\nOK,71.5\r\n\"a,\"\"b\"\"\",\r\n");
    }

    #[test]
    fn json_keeps_column_order_and_types() {
        let rows = vec![vec![Value::Str("OK".into()), Value::Double(71.5)], vec![Value::Str("x\"".into()), Value::Null]];
        let json = to_json(&columns(), &rows);
        assert_eq!(json, "[\n  {\"status\": \"OK\", \"avg\": 71.5},\n  {\"status\": \"x\\\"\", \"avg\": null}\n]\n");
        let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(parsed[0]["avg"], 71.5);
        assert_eq!(to_json(&columns(), &Vec::new()), "[]\n");
    }

    #[test]
    fn csv_text_that_looks_like_a_formula_is_defused_numbers_are_not() {
        let columns = vec![
            ColumnInfo::new("=cmd", SqlType::nullable(DataType::Varchar(20))),
            ColumnInfo::new("n", SqlType::nullable(DataType::Int)),
            ColumnInfo::new("d", SqlType::nullable(DataType::Double)),
        ];
        let rows: Vec<Vec<Value>> = ["=1+2", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\ry", "ok", "a=b"]
            .iter()
            .map(|s| vec![Value::Str((*s).into()), Value::Int(-3), Value::Double(-1.5)])
            .collect();
        assert_eq!(
            to_csv(&columns, &rows),
            "\"'=cmd\",n,d\r\n\"'=1+2\",-3,-1.5\r\n\"'+SUM(A1)\",-3,-1.5\r\n\"'-2+3\",-3,-1.5\r\n\"'@cmd\",-3,-1.5\r\n\
             \"'\tx\",-3,-1.5\r\n\"'\ry\",-3,-1.5\r\nok,-3,-1.5\r\na=b,-3,-1.5\r\n"
        );
    }

    #[test]
    fn json_writes_decimals_with_every_digit() {
        let columns = vec![ColumnInfo::new("d", SqlType::nullable(DataType::Decimal { precision: 38, scale: 10 }))];
        let rows = vec![vec![Value::Decimal(12_345_678_901_234_567_890_123_456_789_012_345_678, 10)], vec![Value::Decimal(-5, 3)]];
        assert_eq!(to_json(&columns, &rows), "[\n  {\"d\": 1234567890123456789012345678.9012345678},\n  {\"d\": -0.005}\n]\n");
    }
}
