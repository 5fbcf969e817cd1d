//! Flink's `print` sink: each change as one line the way Flink's `PrintSinkFunction` writes it,
//! `+I[1, a,b, 1.0, +I[2, x], null]`, after `print-identifier> ` when one is set. Values are
//! shown as Java's `toString` shows them (`2021-05-19T11:20:00.978`, `1.0E10`), since that is
//! what a user compares with Flink's TaskManager log.

use crate::types::{format_date, DataType, RowKind, Value};

use super::format::json::write_java_double;

/// Appends one printed line (without the newline) for `row` of the given `kind`.
pub fn write_print_line(out: &mut String, identifier: Option<&str>, kind: RowKind, row: &[Value], types: &[DataType]) {
    if let Some(id) = identifier {
        out.push_str(id);
        out.push_str("> ");
    }
    write_row(out, kind, row, types);
}

fn write_row(out: &mut String, kind: RowKind, row: &[Value], types: &[DataType]) {
    out.push_str(kind.short());
    out.push('[');
    for (i, value) in row.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        write_value(out, value, types.get(i).unwrap_or(&DataType::Null));
    }
    out.push(']');
}

fn write_value(out: &mut String, value: &Value, ty: &DataType) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Double(d) => {
            let mut bytes = Vec::with_capacity(24);
            if matches!(ty, DataType::Float) {
                write_java_double(*d as f32 as f64, &mut bytes);
            } else {
                write_java_double(*d, &mut bytes);
            }
            out.push_str(&String::from_utf8_lossy(&bytes));
        }
        Value::Date(d) => out.push_str(&format_date(*d)),
        Value::Time(ms) => write_local_time(out, ms.rem_euclid(86_400_000) as i64),
        Value::Timestamp(ms) => {
            out.push_str(&format_date(ms.div_euclid(86_400_000) as i32));
            out.push('T');
            write_local_time(out, ms.rem_euclid(86_400_000));
            if matches!(ty, DataType::TimestampLtz(_)) {
                out.push('Z');
            }
        }
        Value::Row(values) => {
            let fields: Vec<DataType> = match ty {
                DataType::Row(f) => f.iter().map(|f| f.ty.data_type.clone()).collect(),
                _ => Vec::new(),
            };
            write_row(out, RowKind::Insert, values, &fields);
        }
        other => out.push_str(&other.to_string()),
    }
}

/// Java's `LocalTime.toString`: `HH:mm`, then `:ss` unless seconds and fraction are zero, then
/// `.SSS` unless the fraction is zero.
fn write_local_time(out: &mut String, ms_of_day: i64) {
    use std::fmt::Write;
    let (h, m, s, ms) = (ms_of_day / 3_600_000, ms_of_day / 60_000 % 60, ms_of_day / 1000 % 60, ms_of_day % 1000);
    let _ = write!(out, "{h:02}:{m:02}");
    if s != 0 || ms != 0 {
        let _ = write!(out, ":{s:02}");
    }
    if ms != 0 {
        let _ = write!(out, ".{ms:03}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{Field, SqlType};

    fn line(identifier: Option<&str>, kind: RowKind, row: &[Value], types: &[DataType]) -> String {
        let mut out = String::new();
        write_print_line(&mut out, identifier, kind, row, types);
        out
    }

    #[test]
    fn prints_rows_as_flink_does() {
        // Checked against Flink 2.3: INSERT INTO a print table VALUES (1, 'a,b', 1.0, ROW(2,'x'), NULL).
        let row_ty = DataType::Row(vec![
            Field { name: "a".into(), ty: SqlType::nullable(DataType::Int) },
            Field { name: "b".into(), ty: SqlType::nullable(DataType::Varchar(5)) },
        ]);
        let types = [DataType::Int, DataType::Varchar(9), DataType::Double, row_ty, DataType::Int];
        let row = [
            Value::Int(1),
            Value::Str("a,b".into()),
            Value::Double(1.0),
            Value::Row(vec![Value::Int(2), Value::Str("x".into())]),
            Value::Null,
        ];
        assert_eq!(line(Some("out"), RowKind::Insert, &row, &types), "out> +I[1, a,b, 1.0, +I[2, x], null]");
        assert_eq!(line(None, RowKind::UpdateBefore, &[Value::Bool(false)], &[DataType::Boolean]), "-U[false]");
    }

    #[test]
    fn prints_timestamps_as_java_local_date_times() {
        let ts = crate::types::parse_timestamp("2026-11-25 17:08:45.840").unwrap();
        let minute = crate::types::parse_timestamp("2026-11-25 17:08:00").unwrap();
        let types = [DataType::Timestamp(3), DataType::Timestamp(3), DataType::Double];
        let row = [Value::Timestamp(ts), Value::Timestamp(minute), Value::Double(1.7901029777770561E308)];
        assert_eq!(line(None, RowKind::Insert, &row, &types), "+I[2026-11-25T17:08:45.840, 2026-11-25T17:08, 1.7901029777770561E308]");
    }
}
