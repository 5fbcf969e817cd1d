//! A [`Batch`] as bytes, for batches that cross between threads that share no memory (the page's
//! decode workers hand the session their chunks' rows this way, as transferred `ArrayBuffer`s).
//! Columns go as they are held: booleans and validity as bitmaps, integers, doubles and decimals
//! as little-endian words, strings as their offsets and bytes; a ROW column as its fields'
//! columns; BYTES, ARRAY, MAP and MULTISET values one by one, tagged.
//!
//! Reading trusts nothing in the bytes: every length is checked against what is left before
//! anything is allocated, strings must be UTF-8 cut at character boundaries, each column must
//! have the physical form its SQL type gives it ([`Column::empty`]), and nesting follows the
//! column types the reader is given, never the bytes, so it is as deep as the SQL type and no
//! deeper. Wrong bytes are an error naming what was wrong, never a panic.
//!
//! ```text
//! batch  := "SB1" rows:u64 flags:u8 columns:u32 column* kinds? watermarks?
//! column := tag:u8 has_validity:u8 bitmap? data
//! data   := Bool bitmap | Int i64* | Double f64* | Decimal i128* | Str u32*(rows+1) bytes
//!         | Row fields:u32 column* | Values value*
//! value  := tag:u8 payload (Row, Array and Map nest by the column's type)
//! ```

use std::sync::Arc;

use super::batch::{Batch, Column, ColumnData, RowKind, StrColumn};
use super::{DataType, Value};

const MAGIC: &[u8; 3] = b"SB1";

/// `batch` as bytes.
pub fn encode_batch(batch: &Batch) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 + batch.len() * batch.columns.len() * 8);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&(batch.len() as u64).to_le_bytes());
    out.push(u8::from(batch.kinds.is_some()) | u8::from(batch.arrival_watermarks.is_some()) << 1);
    out.extend_from_slice(&(batch.columns.len() as u32).to_le_bytes());
    for column in &batch.columns {
        encode_column(column, &mut out);
    }
    if let Some(kinds) = &batch.kinds {
        out.extend(kinds.iter().map(|k| kind_tag(*k)));
    }
    if let Some(watermarks) = &batch.arrival_watermarks {
        for w in watermarks {
            out.extend_from_slice(&w.to_le_bytes());
        }
    }
    out
}

/// The batch `bytes` hold, its columns of `types`; or what is wrong with them.
pub fn decode_batch(bytes: &[u8], types: &[DataType]) -> Result<Batch, String> {
    let mut r = Reader { bytes, pos: 0 };
    if r.take(3)? != MAGIC {
        return Err("not a batch (wrong magic bytes)".into());
    }
    let rows = usize::try_from(r.u64()?).map_err(|_| "a batch's row count is too large")?;
    let flags = r.u8()?;
    let count = r.u32()? as usize;
    if count != types.len() {
        return Err(format!("a batch of {count} columns where {} were expected", types.len()));
    }
    let mut columns = Vec::with_capacity(count);
    for (i, ty) in types.iter().enumerate() {
        columns.push(decode_column(&mut r, rows, ty).map_err(|e| format!("column {}: {e}", i + 1))?);
    }
    let mut batch = Batch::new(columns, rows);
    if flags & 1 != 0 {
        batch.kinds = Some(r.take(rows)?.iter().map(|&t| kind_of(t)).collect::<Result<_, _>>()?);
    }
    if flags & 2 != 0 {
        r.check(rows, 8)?;
        batch.arrival_watermarks = Some((0..rows).map(|_| r.i64()).collect::<Result<_, _>>()?);
    }
    if r.pos != bytes.len() {
        return Err(format!("{} bytes left over after the batch", bytes.len() - r.pos));
    }
    Ok(batch)
}

fn kind_tag(kind: RowKind) -> u8 {
    match kind {
        RowKind::Insert => 0,
        RowKind::UpdateBefore => 1,
        RowKind::UpdateAfter => 2,
        RowKind::Delete => 3,
    }
}

fn kind_of(tag: u8) -> Result<RowKind, String> {
    Ok(match tag {
        0 => RowKind::Insert,
        1 => RowKind::UpdateBefore,
        2 => RowKind::UpdateAfter,
        3 => RowKind::Delete,
        t => return Err(format!("unknown row kind {t}")),
    })
}

fn data_tag(data: &ColumnData) -> u8 {
    match data {
        ColumnData::Bool(_) => 0,
        ColumnData::Int(_) => 1,
        ColumnData::Double(_) => 2,
        ColumnData::Decimal(_) => 3,
        ColumnData::Str(_) => 4,
        ColumnData::Row(_) => 5,
        ColumnData::Values(_) => 6,
    }
}

fn encode_column(column: &Column, out: &mut Vec<u8>) {
    out.push(data_tag(&column.data));
    match &column.validity {
        Some(valid) => {
            out.push(1);
            push_bits(valid, out);
        }
        None => out.push(0),
    }
    match &column.data {
        ColumnData::Bool(v) => push_bits(v, out),
        ColumnData::Int(v) => v.iter().for_each(|x| out.extend_from_slice(&x.to_le_bytes())),
        ColumnData::Double(v) => v.iter().for_each(|x| out.extend_from_slice(&x.to_le_bytes())),
        ColumnData::Decimal(v) => v.iter().for_each(|x| out.extend_from_slice(&x.to_le_bytes())),
        ColumnData::Str(s) => {
            let (offsets, bytes) = s.parts();
            // An empty column may hold no offsets at all; it is written as one that holds `[0]`.
            if offsets.is_empty() {
                out.extend_from_slice(&0u32.to_le_bytes());
            }
            offsets.iter().for_each(|o| out.extend_from_slice(&o.to_le_bytes()));
            out.extend_from_slice(bytes);
        }
        ColumnData::Row(fields) => {
            out.extend_from_slice(&(fields.len() as u32).to_le_bytes());
            fields.iter().for_each(|f| encode_column(f, out));
        }
        ColumnData::Values(values) => values.iter().for_each(|v| encode_value(v, out)),
    }
}

fn decode_column(r: &mut Reader, rows: usize, ty: &DataType) -> Result<Column, String> {
    let tag = r.u8()?;
    let expected = Column::empty(ty, 0).data;
    if tag != data_tag(&expected) {
        return Err(format!("physical form {tag} where the type {ty} needs {}", data_tag(&expected)));
    }
    let validity = match r.u8()? {
        0 => None,
        1 => Some(r.bits(rows)?),
        f => return Err(format!("validity flag {f}")),
    };
    let data = match expected {
        ColumnData::Bool(_) => ColumnData::Bool(r.bits(rows)?),
        ColumnData::Int(_) => {
            r.check(rows, 8)?;
            ColumnData::Int((0..rows).map(|_| r.i64()).collect::<Result<_, _>>()?)
        }
        ColumnData::Double(_) => {
            r.check(rows, 8)?;
            ColumnData::Double((0..rows).map(|_| r.i64().map(|x| f64::from_bits(x as u64))).collect::<Result<_, _>>()?)
        }
        ColumnData::Decimal(_) => {
            r.check(rows, 16)?;
            ColumnData::Decimal((0..rows).map(|_| r.i128()).collect::<Result<_, _>>()?)
        }
        ColumnData::Str(_) => {
            let count = rows.checked_add(1).ok_or("too many rows")?;
            r.check(count, 4)?;
            let offsets: Vec<u32> = (0..count).map(|_| r.u32()).collect::<Result<_, _>>()?;
            let total = offsets.last().copied().unwrap_or(0) as usize;
            let bytes = r.take(total)?.to_vec();
            ColumnData::Str(StrColumn::from_parts(offsets, bytes)?)
        }
        ColumnData::Row(_) => {
            let DataType::Row(fields) = ty else { return Err("a ROW column of another type".into()) };
            let count = r.u32()? as usize;
            if count != fields.len() {
                return Err(format!("a ROW of {count} fields where its type has {}", fields.len()));
            }
            let mut columns = Vec::with_capacity(count);
            for f in fields {
                columns.push(decode_column(r, rows, &f.ty.data_type).map_err(|e| format!("field `{}`: {e}", f.name))?);
            }
            ColumnData::Row(columns)
        }
        ColumnData::Values(_) => {
            r.check(rows, 1)?;
            ColumnData::Values((0..rows).map(|_| decode_value(r, ty)).collect::<Result<_, _>>()?)
        }
    };
    let column = Column { data, validity };
    if column.len() != rows {
        return Err(format!("{} values in a batch of {rows} rows", column.len()));
    }
    Ok(column)
}

fn push_bits(bits: &[bool], out: &mut Vec<u8>) {
    for byte in bits.chunks(8) {
        out.push(byte.iter().enumerate().fold(0u8, |acc, (i, &b)| acc | (u8::from(b) << i)));
    }
}

fn encode_value(value: &Value, out: &mut Vec<u8>) {
    let len = |n: usize, out: &mut Vec<u8>| out.extend_from_slice(&(n as u32).to_le_bytes());
    match value {
        Value::Null => out.push(0),
        Value::Bool(b) => out.extend_from_slice(&[1, u8::from(*b)]),
        Value::Int(i) => {
            out.push(2);
            out.extend_from_slice(&i.to_le_bytes());
        }
        Value::Double(d) => {
            out.push(3);
            out.extend_from_slice(&d.to_le_bytes());
        }
        Value::Decimal(u, scale) => {
            out.push(4);
            out.extend_from_slice(&u.to_le_bytes());
            out.push(*scale);
        }
        Value::Str(s) => {
            out.push(5);
            len(s.len(), out);
            out.extend_from_slice(s.as_bytes());
        }
        Value::Date(d) => {
            out.push(6);
            out.extend_from_slice(&d.to_le_bytes());
        }
        Value::Time(t) => {
            out.push(7);
            out.extend_from_slice(&t.to_le_bytes());
        }
        Value::Timestamp(t) => {
            out.push(8);
            out.extend_from_slice(&t.to_le_bytes());
        }
        // Values nest as deep as their SQL type, which the SQL parser bounds.
        Value::Row(fields) => {
            out.push(9);
            len(fields.len(), out);
            fields.iter().for_each(|f| encode_value(f, out));
        }
        Value::Bytes(b) => {
            out.push(10);
            len(b.len(), out);
            out.extend_from_slice(b);
        }
        Value::Array(items) => {
            out.push(11);
            len(items.len(), out);
            items.iter().for_each(|v| encode_value(v, out));
        }
        Value::Map(entries) => {
            out.push(12);
            len(entries.len(), out);
            for (k, v) in entries {
                encode_value(k, out);
                encode_value(v, out);
            }
        }
    }
}

/// One value of type `ty`: only the type's children are descended into, so the depth is the type's.
fn decode_value(r: &mut Reader, ty: &DataType) -> Result<Value, String> {
    Ok(match r.u8()? {
        0 => Value::Null,
        1 => Value::Bool(r.u8()? != 0),
        2 => Value::Int(r.i64()?),
        3 => Value::Double(f64::from_bits(r.i64()? as u64)),
        4 => {
            let u = r.i128()?;
            Value::Decimal(u, r.u8()?)
        }
        5 => {
            let n = r.u32()? as usize;
            let s = std::str::from_utf8(r.take(n)?).map_err(|e| format!("a string that is not UTF-8: {e}"))?;
            Value::Str(Arc::from(s))
        }
        6 => Value::Date(r.i64_of(4)? as i32),
        7 => Value::Time(r.i64_of(4)? as i32),
        8 => Value::Timestamp(r.i64()?),
        9 => {
            let DataType::Row(fields) = ty else { return Err(format!("a ROW value where the type is {ty}")) };
            let n = r.u32()? as usize;
            if n != fields.len() {
                return Err(format!("a ROW value of {n} fields where its type has {}", fields.len()));
            }
            Value::Row(fields.iter().map(|f| decode_value(r, &f.ty.data_type)).collect::<Result<_, _>>()?)
        }
        10 => {
            let n = r.u32()? as usize;
            Value::Bytes(Arc::from(r.take(n)?))
        }
        11 => {
            let DataType::Array(element) = ty else { return Err(format!("an ARRAY value where the type is {ty}")) };
            let n = r.u32()? as usize;
            r.check(n, 1)?;
            Value::Array((0..n).map(|_| decode_value(r, &element.data_type)).collect::<Result<_, _>>()?)
        }
        12 => {
            let (key, value) = match ty {
                DataType::Map(k, v) => (&k.data_type, &v.data_type),
                DataType::Multiset(e) => (&e.data_type, &DataType::Int),
                _ => return Err(format!("a MAP value where the type is {ty}")),
            };
            let n = r.u32()? as usize;
            r.check(n, 2)?;
            let mut entries = Vec::with_capacity(n);
            for _ in 0..n {
                let k = decode_value(r, key)?;
                entries.push((k, decode_value(r, value)?));
            }
            Value::Map(entries)
        }
        t => return Err(format!("unknown value tag {t}")),
    })
}

/// The bytes being read, and how far.
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.bytes.len())
            .ok_or_else(|| format!("the batch's bytes end early ({n} more wanted at byte {} of {})", self.pos, self.bytes.len()))?;
        let out = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(out)
    }

    /// That `count` items of at least `size` bytes each can still be there (before allocating them).
    fn check(&self, count: usize, size: usize) -> Result<(), String> {
        match count.checked_mul(size) {
            Some(n) if n <= self.bytes.len() - self.pos => Ok(()),
            _ => Err(format!("{count} values cannot fit in the {} bytes left", self.bytes.len() - self.pos)),
        }
    }

    fn u8(&mut self) -> Result<u8, String> {
        Ok(self.take(1)?[0])
    }

    fn u32(&mut self) -> Result<u32, String> {
        Ok(self.i64_of(4)? as u32)
    }

    fn u64(&mut self) -> Result<u64, String> {
        Ok(self.i64()? as u64)
    }

    fn i64(&mut self) -> Result<i64, String> {
        let mut word = [0u8; 8];
        word.copy_from_slice(self.take(8)?);
        Ok(i64::from_le_bytes(word))
    }

    /// A little-endian unsigned integer of `n` ≤ 8 bytes.
    fn i64_of(&mut self, n: usize) -> Result<i64, String> {
        let mut word = [0u8; 8];
        word[..n].copy_from_slice(self.take(n)?);
        Ok(i64::from_le_bytes(word))
    }

    fn i128(&mut self) -> Result<i128, String> {
        let mut word = [0u8; 16];
        word.copy_from_slice(self.take(16)?);
        Ok(i128::from_le_bytes(word))
    }

    fn bits(&mut self, count: usize) -> Result<Vec<bool>, String> {
        let bytes = self.take(count.div_ceil(8))?;
        Ok((0..count).map(|i| bytes[i / 8] & (1 << (i % 8)) != 0).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{Field, SqlType, STRING_LENGTH};

    fn sql(ty: DataType) -> SqlType {
        SqlType::nullable(ty)
    }

    fn types() -> Vec<DataType> {
        let row = DataType::Row(vec![
            Field { name: "x".into(), ty: sql(DataType::Int) },
            Field { name: "name".into(), ty: sql(DataType::Varchar(STRING_LENGTH)) },
        ]);
        vec![
            DataType::Boolean,
            DataType::BigInt,
            DataType::Double,
            DataType::Decimal { precision: 20, scale: 2 },
            DataType::Varchar(STRING_LENGTH),
            DataType::Timestamp(3),
            row.clone(),
            DataType::Varbinary(STRING_LENGTH),
            DataType::Array(Box::new(sql(row))),
            DataType::Map(Box::new(sql(DataType::Varchar(STRING_LENGTH))), Box::new(sql(DataType::Array(Box::new(sql(DataType::Int)))))),
            DataType::Multiset(Box::new(sql(DataType::Date))),
        ]
    }

    fn rows() -> Vec<Vec<Value>> {
        let s = |s: &str| Value::Str(Arc::from(s));
        let row = |x: i64, n: &str| Value::Row(vec![Value::Int(x), s(n)]);
        vec![
            vec![
                Value::Bool(true),
                Value::Int(-7),
                Value::Double(1.5),
                Value::Decimal(12345, 2),
                s("héllo"),
                Value::Timestamp(1_700_000_000_123),
                row(1, "a"),
                Value::Bytes(Arc::from(&[0u8, 255, 7][..])),
                Value::Array(vec![row(2, "b"), Value::Null, row(3, "")]),
                Value::Map(vec![(s("k"), Value::Array(vec![Value::Int(1), Value::Null])), (s("e"), Value::Array(vec![]))]),
                Value::Map(vec![(Value::Date(19000), Value::Int(2))]),
            ],
            vec![Value::Null; 11],
            vec![
                Value::Bool(false),
                Value::Int(i64::MAX),
                Value::Double(f64::NEG_INFINITY),
                Value::Decimal(-1, 2),
                s(""),
                Value::Timestamp(-1),
                Value::Row(vec![Value::Null, s("ü")]),
                Value::Bytes(Arc::from(&[][..])),
                Value::Array(vec![]),
                Value::Map(vec![]),
                Value::Map(vec![]),
            ],
        ]
    }

    fn batch(rows: &[Vec<Value>]) -> Batch {
        let mut columns: Vec<Column> = types().iter().map(|t| Column::empty(t, 4)).collect();
        for row in rows {
            for (c, v) in columns.iter_mut().zip(row) {
                c.push(v);
            }
        }
        Batch::new(columns, rows.len())
    }

    fn values(batch: &Batch) -> Vec<Vec<Value>> {
        (0..batch.len()).map(|i| batch.row(i, &types())).collect()
    }

    #[test]
    fn every_column_kind_comes_back_as_it_went() {
        let sent = batch(&rows());
        let back = decode_batch(&encode_batch(&sent), &types()).unwrap();
        assert_eq!(back, sent);
        assert_eq!(values(&back), rows());
    }

    #[test]
    fn row_kinds_and_arrival_watermarks_come_back_and_an_empty_batch_too() {
        let mut sent = batch(&rows());
        sent.kinds = Some(vec![RowKind::Insert, RowKind::UpdateBefore, RowKind::Delete]);
        sent.arrival_watermarks = Some(vec![i64::MIN, 0, 42]);
        assert_eq!(decode_batch(&encode_batch(&sent), &types()).unwrap(), sent);
        let empty = batch(&[]);
        assert_eq!(decode_batch(&encode_batch(&empty), &types()).unwrap(), empty);
        let no_columns = Batch::new(vec![], 0);
        assert_eq!(decode_batch(&encode_batch(&no_columns), &[]).unwrap(), no_columns);
    }

    #[test]
    fn truncated_bytes_are_an_error_at_every_length() {
        let bytes = encode_batch(&batch(&rows()));
        for n in 0..bytes.len() {
            assert!(decode_batch(&bytes[..n], &types()).is_err(), "{n} of {} bytes", bytes.len());
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(decode_batch(&longer, &types()).unwrap_err().contains("left over"));
    }

    #[test]
    fn garbage_is_an_error_or_a_batch_never_a_panic() {
        let bytes = encode_batch(&batch(&rows()));
        // Every byte changed in turn to a few awkward values: decoding returns, whatever it returns.
        for i in 0..bytes.len() {
            for b in [0u8, 1, 5, 9, 0x7f, 0x80, 0xff] {
                let mut bad = bytes.clone();
                bad[i] = b;
                let _ = decode_batch(&bad, &types());
            }
        }
        // A huge row count with nothing behind it is refused before anything is allocated.
        let mut huge = b"SB1".to_vec();
        huge.extend_from_slice(&u64::MAX.to_le_bytes());
        huge.push(0);
        huge.extend_from_slice(&1u32.to_le_bytes());
        huge.extend_from_slice(&[1, 0]);
        assert!(decode_batch(&huge, &[DataType::BigInt]).is_err());
        // The wrong types for the bytes, and nesting the type does not have, are errors.
        assert!(decode_batch(&bytes, &[DataType::Int]).is_err());
        let mut shifted = types();
        shifted.swap(0, 1);
        assert!(decode_batch(&bytes, &shifted).unwrap_err().contains("column 1"));
        let nested = encode_batch(&{
            let mut c = Column::empty(&DataType::Array(Box::new(sql(DataType::Int))), 1);
            c.push(&Value::Array(vec![Value::Array(vec![Value::Int(1)])]));
            Batch::new(vec![c], 1)
        });
        assert!(decode_batch(&nested, &[DataType::Array(Box::new(sql(DataType::Int)))]).unwrap_err().contains("ARRAY value"));
        // Strings that are not UTF-8 or cut inside a character.
        let mut s = Column::empty(&DataType::Varchar(STRING_LENGTH), 1);
        s.push(&Value::Str(Arc::from("é")));
        let mut cut = encode_batch(&Batch::new(vec![s], 1));
        let at = cut.len() - 2;
        cut[at] = 0xff;
        assert!(decode_batch(&cut, &[DataType::Varchar(STRING_LENGTH)]).is_err());
    }
}
