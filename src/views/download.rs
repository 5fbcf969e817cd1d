//! A result's rows as files a person downloads: CSV (RFC 4180, a header row of column names)
//! and JSON (a list of objects, keys in column order, values as Flink's JSON format writes
//! them).

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
    line(&mut columns.iter().map(|c| c.name.clone()), &mut out);
    for row in rows {
        // NULL is an empty field, as most CSV readers expect.
        line(&mut row.iter().map(|v| if v.is_null() { String::new() } else { v.to_string() }), &mut out);
    }
    out
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) || text.starts_with(' ') || text.ends_with(' ') {
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
            out.push_str(&value.to_json().to_string());
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
            ColumnInfo { name: "status".into(), ty: SqlType::nullable(DataType::Varchar(6)) },
            ColumnInfo { name: "avg".into(), ty: SqlType::nullable(DataType::Double) },
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
}
