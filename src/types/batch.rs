//! Columnar batches of changes: what flows between streaming operators.
//!
//! A batch holds typed columns (no per-value boxing), an optional row-kind per row (absent means
//! every row is an insert, the common case for append-only streams), and optionally the watermark
//! that was in force when each row arrived. That last column lets a micro-batch keep Flink's
//! per-record late-data semantics: a window operator drops a row exactly when Flink would have,
//! as if the watermark had advanced between every two records.

use std::sync::Arc;

use super::{DataType, Value};

/// The kind of change a row carries, with Flink's short names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum RowKind {
    Insert,
    UpdateBefore,
    UpdateAfter,
    Delete,
}

impl RowKind {
    pub fn short(self) -> &'static str {
        match self {
            RowKind::Insert => "+I",
            RowKind::UpdateBefore => "-U",
            RowKind::UpdateAfter => "+U",
            RowKind::Delete => "-D",
        }
    }
    /// Whether the row adds to a result (+I, +U) rather than retracting from it (-U, -D).
    pub fn is_accumulate(self) -> bool {
        matches!(self, RowKind::Insert | RowKind::UpdateAfter)
    }
}

/// Strings stored back to back, Arrow-style: row `i` is `bytes[offsets[i]..offsets[i + 1]]`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StrColumn {
    offsets: Vec<u32>,
    bytes: Vec<u8>,
}

impl StrColumn {
    pub fn with_capacity(rows: usize, bytes: usize) -> Self {
        let mut offsets = Vec::with_capacity(rows + 1);
        offsets.push(0);
        StrColumn { offsets, bytes: Vec::with_capacity(bytes) }
    }
    pub fn len(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    pub fn push(&mut self, s: &str) {
        if self.offsets.is_empty() {
            self.offsets.push(0);
        }
        self.bytes.extend_from_slice(s.as_bytes());
        self.offsets.push(self.bytes.len() as u32);
    }
    pub fn get(&self, i: usize) -> &str {
        let (a, b) = (self.offsets[i] as usize, self.offsets[i + 1] as usize);
        // Invariant: only `push(&str)` writes bytes, one whole UTF-8 string per row.
        std::str::from_utf8(&self.bytes[a..b]).unwrap_or_default()
    }
    /// Row `i`'s bytes, without the UTF-8 check `get` makes (for hashing and comparing).
    #[inline(always)]
    pub fn get_bytes(&self, i: usize) -> &[u8] {
        // Slices, not `Vec`s, are indexed: a `Vec`'s index stays a call in the worker's
        // size-optimised build, and this runs per row of a grouping or a join.
        let offsets = self.offsets.as_slice();
        &self.bytes.as_slice()[offsets[i] as usize..offsets[i + 1] as usize]
    }
    /// Keeps the first `len` rows.
    pub fn truncate(&mut self, len: usize) {
        if len < self.len() {
            self.offsets.truncate(len + 1);
            self.bytes.truncate(self.offsets[len] as usize);
        }
    }
    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }
    /// The offsets (`len() + 1` of them, or none when empty) and the bytes they cut.
    pub fn parts(&self) -> (&[u32], &[u8]) {
        (&self.offsets, &self.bytes)
    }
    /// A column from [`StrColumn::parts`]: the offsets must start at 0, never go back, end at
    /// the bytes' end and cut the UTF-8 bytes only between characters.
    pub fn from_parts(offsets: Vec<u32>, bytes: Vec<u8>) -> Result<Self, String> {
        let text = std::str::from_utf8(&bytes).map_err(|e| format!("a string that is not UTF-8: {e}"))?;
        if offsets.first() != Some(&0) || offsets.last().map(|&o| o as usize) != Some(bytes.len()) {
            return Err("string offsets that do not span the strings' bytes".into());
        }
        if offsets.windows(2).any(|w| w[0] > w[1]) || !offsets.iter().all(|&o| text.is_char_boundary(o as usize)) {
            return Err("string offsets that go back or cut a character".into());
        }
        Ok(StrColumn { offsets, bytes })
    }
}

/// The physical values of one column.
#[derive(Clone, Debug, PartialEq)]
pub enum ColumnData {
    Bool(Vec<bool>),
    /// Every integer type, DATE (days), TIME (ms of day) and timestamps (ms since the epoch).
    Int(Vec<i64>),
    Double(Vec<f64>),
    /// Unscaled decimals; the scale lives in the column's type.
    Decimal(Vec<i128>),
    Str(StrColumn),
    Row(Vec<Column>),
    /// BINARY/VARBINARY, ARRAY, MAP and MULTISET: one value per row (`Value::Null` where NULL).
    /// Scalar columns never take this form, so their hot paths stay unboxed.
    Values(Vec<Value>),
}

/// One column: values plus, when any may be NULL, a validity flag per row (`true` = not NULL).
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    pub data: ColumnData,
    pub validity: Option<Vec<bool>>,
}

impl Column {
    pub fn new(data: ColumnData) -> Self {
        Column { data, validity: None }
    }

    /// An empty column able to hold values of `ty`.
    pub fn empty(ty: &DataType, capacity: usize) -> Self {
        let data = match ty {
            DataType::Boolean => ColumnData::Bool(Vec::with_capacity(capacity)),
            DataType::Float | DataType::Double => ColumnData::Double(Vec::with_capacity(capacity)),
            DataType::Decimal { .. } => ColumnData::Decimal(Vec::with_capacity(capacity)),
            DataType::Char(_) | DataType::Varchar(_) => ColumnData::Str(StrColumn::with_capacity(capacity, capacity * 8)),
            DataType::Row(fields) => ColumnData::Row(fields.iter().map(|f| Column::empty(&f.ty.data_type, capacity)).collect()),
            t if t.is_binary() || t.is_collection() => ColumnData::Values(Vec::with_capacity(capacity)),
            _ => ColumnData::Int(Vec::with_capacity(capacity)),
        };
        Column { data, validity: None }
    }

    pub fn len(&self) -> usize {
        match &self.data {
            ColumnData::Bool(v) => v.len(),
            ColumnData::Int(v) => v.len(),
            ColumnData::Double(v) => v.len(),
            ColumnData::Decimal(v) => v.len(),
            ColumnData::Str(v) => v.len(),
            ColumnData::Values(v) => v.len(),
            ColumnData::Row(fields) => match &self.validity {
                Some(valid) => valid.len(),
                None => fields.first().map_or(0, Column::len),
            },
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Keeps the first `len` rows (undoes a partly appended row).
    pub fn truncate(&mut self, len: usize) {
        match &mut self.data {
            ColumnData::Bool(v) => v.truncate(len),
            ColumnData::Int(v) => v.truncate(len),
            ColumnData::Double(v) => v.truncate(len),
            ColumnData::Decimal(v) => v.truncate(len),
            ColumnData::Str(v) => v.truncate(len),
            ColumnData::Values(v) => v.truncate(len),
            ColumnData::Row(fields) => fields.iter_mut().for_each(|f| f.truncate(len)),
        }
        if let Some(v) = &mut self.validity {
            v.truncate(len);
        }
    }

    #[inline(always)]
    pub fn is_valid(&self, i: usize) -> bool {
        // A match and a slice index: `is_none_or` and a `Vec`'s index stay calls in the
        // worker's size-optimised build.
        match &self.validity {
            None => true,
            Some(v) => v.as_slice()[i],
        }
    }

    /// Appends a value; `Value::Null` (or a value of the wrong physical kind) appends NULL.
    pub fn push(&mut self, value: &Value) {
        let before = self.len();
        let valid = match (&mut self.data, value) {
            (ColumnData::Bool(v), Value::Bool(b)) => {
                v.push(*b);
                true
            }
            (ColumnData::Int(v), Value::Int(i) | Value::Timestamp(i)) => {
                v.push(*i);
                true
            }
            (ColumnData::Int(v), Value::Date(i) | Value::Time(i)) => {
                v.push(*i as i64);
                true
            }
            (ColumnData::Double(v), Value::Double(d)) => {
                v.push(*d);
                true
            }
            (ColumnData::Double(v), Value::Int(i)) => {
                v.push(*i as f64);
                true
            }
            (ColumnData::Decimal(v), Value::Decimal(u, _)) => {
                v.push(*u);
                true
            }
            (ColumnData::Str(v), Value::Str(s)) => {
                v.push(s);
                true
            }
            (ColumnData::Row(fields), Value::Row(values)) if fields.len() == values.len() => {
                for (f, v) in fields.iter_mut().zip(values) {
                    f.push(v);
                }
                true
            }
            (ColumnData::Values(v), value @ (Value::Bytes(_) | Value::Array(_) | Value::Map(_))) => {
                v.push(value.clone());
                true
            }
            _ => {
                self.push_null();
                return;
            }
        };
        self.mark(before, valid);
    }

    pub fn push_null(&mut self) {
        let before = self.len();
        match &mut self.data {
            ColumnData::Bool(v) => v.push(false),
            ColumnData::Int(v) => v.push(0),
            ColumnData::Double(v) => v.push(0.0),
            ColumnData::Decimal(v) => v.push(0),
            ColumnData::Str(v) => v.push(""),
            ColumnData::Values(v) => v.push(Value::Null),
            ColumnData::Row(fields) => fields.iter_mut().for_each(Column::push_null),
        }
        self.mark(before, false);
    }

    fn mark(&mut self, row: usize, valid: bool) {
        match (&mut self.validity, valid) {
            (Some(v), _) => v.push(valid),
            (None, true) => {}
            (None, false) => {
                let mut v = vec![true; row];
                v.push(false);
                self.validity = Some(v);
            }
        }
    }

    /// The value at row `i`, typed by the column's logical type.
    pub fn value(&self, i: usize, ty: &DataType) -> Value {
        if !self.is_valid(i) {
            return Value::Null;
        }
        match &self.data {
            ColumnData::Bool(v) => Value::Bool(v[i]),
            ColumnData::Int(v) => match ty {
                DataType::Date => Value::Date(v[i] as i32),
                DataType::Time(_) => Value::Time(v[i] as i32),
                DataType::Timestamp(_) | DataType::TimestampLtz(_) => Value::Timestamp(v[i]),
                _ => Value::Int(v[i]),
            },
            ColumnData::Double(v) => Value::Double(v[i]),
            ColumnData::Decimal(v) => match ty {
                DataType::Decimal { scale, .. } => Value::Decimal(v[i], *scale),
                _ => Value::Decimal(v[i], 0),
            },
            ColumnData::Str(v) => Value::Str(Arc::from(v.get(i))),
            ColumnData::Values(v) => v[i].clone(),
            ColumnData::Row(fields) => {
                let types: Vec<&DataType> = match ty {
                    DataType::Row(f) => f.iter().map(|f| &f.ty.data_type).collect(),
                    _ => return Value::Null,
                };
                Value::Row(fields.iter().zip(types).map(|(c, t)| c.value(i, t)).collect())
            }
        }
    }

    /// The rows at `indices`, in that order.
    pub fn gather(&self, indices: &[u32]) -> Column {
        let data = match &self.data {
            ColumnData::Bool(v) => ColumnData::Bool(indices.iter().map(|&i| v[i as usize]).collect()),
            ColumnData::Int(v) => ColumnData::Int(indices.iter().map(|&i| v[i as usize]).collect()),
            ColumnData::Double(v) => ColumnData::Double(indices.iter().map(|&i| v[i as usize]).collect()),
            ColumnData::Decimal(v) => ColumnData::Decimal(indices.iter().map(|&i| v[i as usize]).collect()),
            ColumnData::Str(v) => {
                let mut out = StrColumn::with_capacity(indices.len(), indices.len() * 8);
                for &i in indices {
                    out.push(v.get(i as usize));
                }
                ColumnData::Str(out)
            }
            ColumnData::Row(fields) => ColumnData::Row(fields.iter().map(|f| f.gather(indices)).collect()),
            ColumnData::Values(v) => ColumnData::Values(indices.iter().map(|&i| v[i as usize].clone()).collect()),
        };
        let validity = self.validity.as_ref().map(|v| indices.iter().map(|&i| v[i as usize]).collect());
        Column { data, validity }
    }

    /// Appends all rows of `other` (which must have the same physical kind).
    pub fn extend(&mut self, other: &Column) {
        let before = self.len();
        match (&mut self.data, &other.data) {
            (ColumnData::Bool(a), ColumnData::Bool(b)) => a.extend_from_slice(b),
            (ColumnData::Int(a), ColumnData::Int(b)) => a.extend_from_slice(b),
            (ColumnData::Double(a), ColumnData::Double(b)) => a.extend_from_slice(b),
            (ColumnData::Decimal(a), ColumnData::Decimal(b)) => a.extend_from_slice(b),
            (ColumnData::Str(a), ColumnData::Str(b)) => b.iter().for_each(|s| a.push(s)),
            (ColumnData::Row(a), ColumnData::Row(b)) => a.iter_mut().zip(b).for_each(|(a, b)| a.extend(b)),
            (ColumnData::Values(a), ColumnData::Values(b)) => a.extend_from_slice(b),
            _ => {
                for _ in 0..other.len() {
                    self.push_null();
                }
                return;
            }
        }
        match (&mut self.validity, &other.validity) {
            (None, None) => {}
            (Some(a), None) => a.resize(before + other.len(), true),
            (a, Some(b)) => {
                let v = a.get_or_insert_with(|| vec![true; before]);
                v.extend_from_slice(b);
            }
        }
    }
}

/// A batch of rows flowing between operators.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Batch {
    pub columns: Vec<Column>,
    /// Row kinds; `None` means every row is `+I`.
    pub kinds: Option<Vec<RowKind>>,
    /// The watermark in force when each row arrived (see the module docs); `None` when unknown.
    pub arrival_watermarks: Option<Vec<i64>>,
    len: usize,
}

impl Batch {
    pub fn new(columns: Vec<Column>, len: usize) -> Self {
        debug_assert!(columns.iter().all(|c| c.len() == len));
        Batch { columns, kinds: None, arrival_watermarks: None, len }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// (A match and a slice index, as [`Column::is_valid`]: this runs per row.)
    #[inline(always)]
    pub fn kind(&self, i: usize) -> RowKind {
        match &self.kinds {
            None => RowKind::Insert,
            Some(k) => k.as_slice()[i],
        }
    }

    #[inline(always)]
    pub fn arrival_watermark(&self, i: usize) -> i64 {
        match &self.arrival_watermarks {
            None => i64::MIN,
            Some(w) => w.as_slice()[i],
        }
    }

    /// The rows at `indices`, keeping their kinds and arrival watermarks.
    pub fn gather(&self, indices: &[u32]) -> Batch {
        Batch {
            columns: self.columns.iter().map(|c| c.gather(indices)).collect(),
            kinds: self.kinds.as_ref().map(|k| indices.iter().map(|&i| k[i as usize]).collect()),
            arrival_watermarks: self.arrival_watermarks.as_ref().map(|w| indices.iter().map(|&i| w[i as usize]).collect()),
            len: indices.len(),
        }
    }

    /// Row `i` as values, for the edges (results, sinks, tests).
    pub fn row(&self, i: usize, types: &[DataType]) -> Vec<Value> {
        self.columns.iter().zip(types).map(|(c, t)| c.value(i, t)).collect()
    }
}

/// Builds a batch row by row from values; used where rows are produced one at a time
/// (aggregate results), not on the per-record hot path.
pub struct BatchBuilder {
    columns: Vec<Column>,
    kinds: Vec<RowKind>,
    watermarks: Vec<i64>,
}

impl BatchBuilder {
    pub fn new(types: &[DataType]) -> Self {
        BatchBuilder { columns: types.iter().map(|t| Column::empty(t, 16)).collect(), kinds: Vec::new(), watermarks: Vec::new() }
    }
    pub fn push(&mut self, kind: RowKind, row: &[Value], arrival_watermark: i64) {
        for (c, v) in self.columns.iter_mut().zip(row) {
            c.push(v);
        }
        self.kinds.push(kind);
        self.watermarks.push(arrival_watermark);
    }
    /// Pushes a row given as values in order (no intermediate row to build).
    pub fn push_values<'a>(&mut self, kind: RowKind, values: impl Iterator<Item = &'a Value>, arrival_watermark: i64) {
        for (c, v) in self.columns.iter_mut().zip(values) {
            c.push(v);
        }
        self.kinds.push(kind);
        self.watermarks.push(arrival_watermark);
    }
    pub fn is_empty(&self) -> bool {
        self.kinds.is_empty()
    }
    pub fn finish(self) -> Batch {
        let len = self.kinds.len();
        let all_insert = self.kinds.iter().all(|k| *k == RowKind::Insert);
        Batch {
            columns: self.columns,
            kinds: if all_insert { None } else { Some(self.kinds) },
            arrival_watermarks: Some(self.watermarks),
            len,
        }
    }
}
