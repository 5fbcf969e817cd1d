//! Flink's `avro` format for Kafka keys and values: each record one Avro datum in Avro's binary
//! encoding, without a header or schema id, of the record schema Flink derives from the
//! table's columns (`AvroSchemaConverter`): a nullable column is the union `["null", T]`
//! (index 0 null, 1 a value), a NOT NULL one plain `T`.
//!
//! | SQL type | Avro type |
//! |---|---|
//! | BOOLEAN | boolean |
//! | TINYINT, SMALLINT, INT | int |
//! | BIGINT | long |
//! | FLOAT | float |
//! | DOUBLE | double |
//! | CHAR, VARCHAR, STRING | string |
//! | BINARY, VARBINARY, BYTES | bytes |
//! | DECIMAL(p, s) | bytes, `decimal` (the unscaled value, big-endian two's complement) |
//! | DATE | int, `date` (days) |
//! | TIME | int, `time-millis` |
//! | TIMESTAMP(p), TIMESTAMP_LTZ(p) | long, `timestamp-millis` (p ≤ 3) or `timestamp-micros` |
//!
//! Nested types (ROW, ARRAY, MAP) are refused when the table is read or written. Records come
//! from strangers: every length and count is checked against the bytes there are, nothing
//! recurses, and a record that does not decode is an error naming the field.

use crate::types::{Batch, Column, DataType, Field, Value};

/// The options `avro` takes, after its name and a dot (`avro.codec` is for files).
pub const OPTIONS: &[&str] = &["avro.codec", "avro.encoding", "avro.timestamp_mapping.legacy"];

/// Checks that Sluice can read and write `fields` as Avro and that the options are ones it has.
pub fn check(fields: &[Field], options: &[(String, String)]) -> Result<(), String> {
    for f in fields {
        if matches!(f.ty.data_type, DataType::Row(_) | DataType::Array(_) | DataType::Map(..) | DataType::Multiset(_)) {
            return Err(format!(
                "column `{}` is {}: Sluice's 'avro' format reads and writes columns of scalar types only",
                f.name, f.ty.data_type
            ));
        }
    }
    let option = |key: &str| options.iter().find(|(k, _)| k.ends_with(key)).map(|(_, v)| v.as_str());
    if let Some(v) = option("avro.encoding").filter(|v| !v.eq_ignore_ascii_case("binary")) {
        return Err(format!("'avro.encoding' = '{v}': Sluice's 'avro' format writes Avro's binary encoding only"));
    }
    if let Some(v) = option("avro.timestamp_mapping.legacy").filter(|v| !v.eq_ignore_ascii_case("true")) {
        return Err(format!("'avro.timestamp_mapping.legacy' = '{v}': Sluice maps timestamps the legacy way only (the default)"));
    }
    Ok(())
}

pub struct AvroDecoder {
    fields: Vec<Field>,
    columns: Vec<Column>,
    row: Vec<Value>,
    len: usize,
}

impl AvroDecoder {
    pub fn new(fields: &[Field]) -> Self {
        AvroDecoder {
            fields: fields.to_vec(),
            columns: fields.iter().map(|f| Column::empty(&f.ty.data_type, 256)).collect(),
            row: Vec::with_capacity(fields.len()),
            len: 0,
        }
    }

    /// Decodes one datum into a row; a bad one leaves nothing and says which field.
    pub fn decode(&mut self, record: &[u8]) -> Result<(), String> {
        let mut r = Reader { bytes: record, at: 0 };
        self.row.clear();
        for f in &self.fields {
            let value = (|| {
                if f.ty.nullable {
                    match r.long()? {
                        0 => return Ok(Value::Null),
                        1 => {}
                        i => return Err(format!("union index {i} (the schema's union is [\"null\", …])")),
                    }
                }
                r.value(&f.ty.data_type)
            })()
            .map_err(|e| format!("cannot decode Avro record at byte {} (field `{}`): {e}", r.at, f.name))?;
            self.row.push(value);
        }
        for (c, v) in self.columns.iter_mut().zip(&self.row) {
            c.push(v);
        }
        self.len += 1;
        Ok(())
    }

    pub fn finish(&mut self) -> Batch {
        let columns = self.fields.iter().map(|f| Column::empty(&f.ty.data_type, 256)).collect();
        Batch::new(std::mem::replace(&mut self.columns, columns), std::mem::take(&mut self.len))
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], String> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len()).ok_or("the record ends early")?;
        let out = &self.bytes[self.at..end];
        self.at = end;
        Ok(out)
    }

    /// A zig-zag varint of at most 10 bytes.
    fn long(&mut self) -> Result<i64, String> {
        let mut n: u64 = 0;
        for shift in (0..70).step_by(7) {
            let b = self.take(1)?[0];
            n |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok((n >> 1) as i64 ^ -((n & 1) as i64));
            }
        }
        Err("a varint longer than 10 bytes".into())
    }

    fn int(&mut self) -> Result<i32, String> {
        let v = self.long()?;
        i32::try_from(v).map_err(|_| format!("{v} is not an Avro int"))
    }

    fn bytes(&mut self) -> Result<&[u8], String> {
        let len = self.long()?;
        let len = usize::try_from(len).map_err(|_| format!("a negative length {len}"))?;
        self.take(len)
    }

    fn value(&mut self, ty: &DataType) -> Result<Value, String> {
        Ok(match ty {
            DataType::Boolean => match self.take(1)?[0] {
                0 => Value::Bool(false),
                1 => Value::Bool(true),
                b => return Err(format!("{b} is not an Avro boolean")),
            },
            DataType::TinyInt | DataType::SmallInt | DataType::Int => Value::Int(i64::from(self.int()?)),
            DataType::BigInt => Value::Int(self.long()?),
            DataType::Float => {
                let b = self.take(4)?;
                Value::Double(f64::from(f32::from_le_bytes([b[0], b[1], b[2], b[3]])))
            }
            DataType::Double => {
                let b = self.take(8)?;
                let mut a = [0u8; 8];
                a.copy_from_slice(b);
                Value::Double(f64::from_le_bytes(a))
            }
            DataType::Char(_) | DataType::Varchar(_) => {
                let b = self.bytes()?;
                Value::Str(std::str::from_utf8(b).map_err(|_| "a string that is not UTF-8".to_string())?.into())
            }
            DataType::Binary(_) | DataType::Varbinary(_) => Value::Bytes(self.bytes()?.into()),
            DataType::Decimal { scale, .. } => {
                let b = self.bytes()?;
                if b.len() > 16 {
                    return Err(format!("a decimal of {} bytes", b.len()));
                }
                // Big-endian two's complement, sign-extended from its first byte.
                let mut v: i128 = if b.first().is_some_and(|&x| x & 0x80 != 0) { -1 } else { 0 };
                for &x in b {
                    v = (v << 8) | i128::from(x);
                }
                Value::Decimal(v, *scale)
            }
            DataType::Date => Value::Date(self.int()?),
            DataType::Time(_) => Value::Time(self.int()?),
            DataType::Timestamp(p) | DataType::TimestampLtz(p) => {
                let v = self.long()?;
                Value::Timestamp(if *p <= 3 { v } else { v.div_euclid(1000) })
            }
            other => return Err(format!("{other} is not read as Avro")),
        })
    }
}

pub struct AvroEncoder {
    fields: Vec<Field>,
}

impl AvroEncoder {
    pub fn new(fields: &[Field]) -> Self {
        AvroEncoder { fields: fields.to_vec() }
    }

    /// Appends `row` as one Avro datum.
    pub fn encode(&self, row: &[Value], out: &mut Vec<u8>) {
        for (f, v) in self.fields.iter().zip(row) {
            if f.ty.nullable {
                if v.is_null() {
                    long(0, out);
                    continue;
                }
                long(1, out);
            }
            value(&f.ty.data_type, v, out);
        }
    }
}

fn long(v: i64, out: &mut Vec<u8>) {
    let mut n = ((v << 1) ^ (v >> 63)) as u64;
    while n >= 0x80 {
        out.push((n as u8 & 0x7f) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn bytes(b: &[u8], out: &mut Vec<u8>) {
    long(b.len() as i64, out);
    out.extend_from_slice(b);
}

/// A NOT NULL column holding NULL (never planned so) is written as its type's zero.
fn value(ty: &DataType, v: &Value, out: &mut Vec<u8>) {
    match (ty, v) {
        (DataType::Boolean, Value::Bool(b)) => out.push(u8::from(*b)),
        (DataType::Float, Value::Double(d)) => out.extend_from_slice(&(*d as f32).to_le_bytes()),
        (DataType::Double, Value::Double(d)) => out.extend_from_slice(&d.to_le_bytes()),
        (DataType::Float | DataType::Double, Value::Int(i)) => value(ty, &Value::Double(*i as f64), out),
        (_, Value::Int(i)) => long(*i, out),
        (_, Value::Str(s)) => bytes(s.as_bytes(), out),
        (_, Value::Bytes(b)) => bytes(b, out),
        (DataType::Decimal { .. }, Value::Decimal(unscaled, _)) => {
            // Java's BigInteger.toByteArray: the shortest big-endian two's complement.
            let all = unscaled.to_be_bytes();
            let sign = if *unscaled < 0 { 0xff } else { 0 };
            let mut start = 0;
            while start < 15 && all[start] == sign && (all[start + 1] & 0x80) == (sign & 0x80) {
                start += 1;
            }
            bytes(&all[start..], out);
        }
        (_, Value::Date(d)) => long(i64::from(*d), out),
        (_, Value::Time(t)) => long(i64::from(*t), out),
        (DataType::Timestamp(p) | DataType::TimestampLtz(p), Value::Timestamp(ms)) => {
            long(if *p <= 3 { *ms } else { ms.saturating_mul(1000) }, out)
        }
        (_, Value::Bool(b)) => out.push(u8::from(*b)),
        _ => long(0, out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::SqlType;

    fn fields() -> Vec<Field> {
        vec![
            Field { name: "id".into(), ty: SqlType::not_null(DataType::Int) },
            Field { name: "name".into(), ty: SqlType::nullable(DataType::Varchar(20)) },
            Field { name: "t".into(), ty: SqlType::nullable(DataType::Double) },
            Field { name: "price".into(), ty: SqlType::nullable(DataType::Decimal { precision: 10, scale: 2 }) },
            Field { name: "ts".into(), ty: SqlType::nullable(DataType::Timestamp(3)) },
        ]
    }

    #[test]
    fn rows_are_written_as_avro_binary_and_read_back() {
        let row =
            vec![Value::Int(-3), Value::Str("hé".into()), Value::Null, Value::Decimal(-12_345, 2), Value::Timestamp(1_621_423_200_978)];
        let mut out = Vec::new();
        AvroEncoder::new(&fields()).encode(&row, &mut out);
        // id: zig-zag -3 = 5; name: union 1, length 3, bytes; t: union 0; price: union 1, bytes.
        assert_eq!(&out[..7], &[5, 2, 6, b'h', 0xc3, 0xa9, 0]);
        assert_eq!(&out[7..11], &[2, 4, 0xcf, 0xc7], "-12345 as two big-endian bytes");
        let mut d = AvroDecoder::new(&fields());
        d.decode(&out).unwrap();
        let batch = d.finish();
        let types: Vec<DataType> = fields().iter().map(|f| f.ty.data_type.clone()).collect();
        assert_eq!(batch.row(0, &types), row);
    }

    #[test]
    fn a_short_or_bad_record_is_an_error_naming_the_field_and_leaves_no_row() {
        let mut d = AvroDecoder::new(&fields());
        let e = d.decode(&[5, 2, 40, b'a']).unwrap_err();
        assert!(e.contains("field `name`") && e.contains("ends early"), "{e}");
        let e = d.decode(&[5, 4]).unwrap_err();
        assert!(e.contains("union index 2"), "{e}");
        assert!(d.decode(&[0xff; 12]).unwrap_err().contains("longer than 10 bytes"));
        assert_eq!(d.finish().len(), 0);
    }
}
