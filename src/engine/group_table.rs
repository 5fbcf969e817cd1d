//! A hash table from grouping keys to dense group ids, keyed straight off batch columns.
//!
//! Keys are stored column-wise (like the batches they come from), so looking a row up hashes
//! and compares typed values in place: no per-row allocation, no `Value`s on the hot path.

use std::hash::{BuildHasher, Hasher};

use hashbrown::{DefaultHashBuilder, HashTable};

use crate::types::{Batch, Column, ColumnData, DataType, Value};

pub struct GroupTable {
    table: HashTable<u32>,
    /// The key of group `g` is row `g` of these columns.
    keys: Vec<Column>,
    key_types: Vec<DataType>,
    hashes: Vec<u64>,
    hasher: DefaultHashBuilder,
}

impl GroupTable {
    pub fn new(key_types: &[DataType]) -> Self {
        GroupTable {
            table: HashTable::new(),
            keys: key_types.iter().map(|t| Column::empty(t, 0)).collect(),
            key_types: key_types.to_vec(),
            hashes: Vec::new(),
            hasher: DefaultHashBuilder::default(),
        }
    }

    pub fn len(&self) -> usize {
        self.hashes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.hashes.is_empty()
    }

    /// The group id of row `row` of `batch` (whose first key columns are the key), and whether
    /// the group is new.
    pub fn find_or_insert(&mut self, batch: &Batch, key_columns: &[usize], row: usize) -> (u32, bool) {
        let hash = self.hash_row(&batch.columns, key_columns, row);
        let keys = &self.keys;
        if let Some(&g) = self.table.find(hash, |&g| keys_equal(keys, g as usize, &batch.columns, key_columns, row)) {
            return (g, false);
        }
        let g = self.hashes.len() as u32;
        for (stored, &c) in self.keys.iter_mut().zip(key_columns) {
            append_value(stored, &batch.columns[c], row);
        }
        self.hashes.push(hash);
        let hashes = &self.hashes;
        self.table.insert_unique(hash, g, |&g| hashes[g as usize]);
        (g, true)
    }

    /// Looks up (or adds) the key of group `g` of another table.
    pub fn find_or_insert_from(&mut self, other: &GroupTable, g: u32) -> (u32, bool) {
        let all: Vec<usize> = (0..other.keys.len()).collect();
        // Each table seeds its own hasher, so the other table's hash cannot be reused.
        let hash = self.hash_row(&other.keys, &all, g as usize);
        let keys = &self.keys;
        if let Some(&found) = self.table.find(hash, |&x| keys_equal(keys, x as usize, &other.keys, &all, g as usize)) {
            return (found, false);
        }
        let new = self.hashes.len() as u32;
        for (stored, src) in self.keys.iter_mut().zip(&other.keys) {
            append_value(stored, src, g as usize);
        }
        self.hashes.push(hash);
        let hashes = &self.hashes;
        self.table.insert_unique(hash, new, |&x| hashes[x as usize]);
        (new, true)
    }

    /// The key of group `g` as values.
    pub fn key(&self, g: u32, out: &mut Vec<Value>) {
        for (c, t) in self.keys.iter().zip(&self.key_types) {
            out.push(c.value(g as usize, t));
        }
    }

    #[inline(always)]
    fn hash_row(&self, columns: &[Column], key_columns: &[usize], row: usize) -> u64 {
        let mut h = self.hasher.build_hasher();
        for &c in key_columns {
            hash_value(&mut h, &columns[c], row);
        }
        h.finish()
    }
}

#[inline(always)]
fn hash_value(h: &mut impl Hasher, c: &Column, row: usize) {
    if !c.is_valid(row) {
        h.write_u8(0);
        return;
    }
    match &c.data {
        ColumnData::Bool(v) => h.write_u8(v[row] as u8 + 1),
        ColumnData::Int(v) => h.write_i64(v[row]),
        // -0.0 and 0.0 group together, as SQL's equality says.
        ColumnData::Double(v) => h.write_u64(if v[row] == 0.0 { 0 } else { v[row].to_bits() }),
        ColumnData::Decimal(v) => h.write_i128(v[row]),
        ColumnData::Str(v) => h.write(v.get_bytes(row)),
        ColumnData::Row(fields) => fields.iter().for_each(|f| hash_value(h, f, row)),
        // Collections and bytes as keys are rare: hashed by their printed form.
        ColumnData::Values(v) => h.write(v[row].to_string().as_bytes()),
    }
}

#[inline(always)]
fn keys_equal(stored: &[Column], g: usize, columns: &[Column], key_columns: &[usize], row: usize) -> bool {
    // A loop, not `Iterator::all`, which stays a call in the worker's size-optimised build.
    for (s, &c) in stored.iter().zip(key_columns) {
        if !value_equal(s, g, &columns[c], row) {
            return false;
        }
    }
    true
}

fn value_equal(a: &Column, i: usize, b: &Column, j: usize) -> bool {
    match (a.is_valid(i), b.is_valid(j)) {
        (false, false) => return true,
        (true, true) => {}
        _ => return false,
    }
    match (&a.data, &b.data) {
        (ColumnData::Bool(x), ColumnData::Bool(y)) => x[i] == y[j],
        (ColumnData::Int(x), ColumnData::Int(y)) => x[i] == y[j],
        (ColumnData::Double(x), ColumnData::Double(y)) => x[i] == y[j] || (x[i].is_nan() && y[j].is_nan()),
        (ColumnData::Decimal(x), ColumnData::Decimal(y)) => x[i] == y[j],
        (ColumnData::Str(x), ColumnData::Str(y)) => x.get_bytes(i) == y.get_bytes(j),
        (ColumnData::Row(x), ColumnData::Row(y)) => x.iter().zip(y).all(|(p, q)| value_equal(p, i, q, j)),
        (ColumnData::Values(x), ColumnData::Values(y)) => x[i] == y[j],
        _ => false,
    }
}

/// Appends row `row` of `src` to `dst` (same physical kind).
pub fn append_value(dst: &mut Column, src: &Column, row: usize) {
    if !src.is_valid(row) {
        dst.push_null();
        return;
    }
    let before = dst.len();
    match (&mut dst.data, &src.data) {
        (ColumnData::Bool(d), ColumnData::Bool(s)) => d.push(s[row]),
        (ColumnData::Int(d), ColumnData::Int(s)) => d.push(s[row]),
        (ColumnData::Double(d), ColumnData::Double(s)) => d.push(s[row]),
        (ColumnData::Decimal(d), ColumnData::Decimal(s)) => d.push(s[row]),
        (ColumnData::Str(d), ColumnData::Str(s)) => d.push(s.get(row)),
        (ColumnData::Values(d), ColumnData::Values(s)) => d.push(s[row].clone()),
        (ColumnData::Row(d), ColumnData::Row(s)) => {
            for (df, sf) in d.iter_mut().zip(s) {
                append_value(df, sf, row);
            }
        }
        _ => {
            dst.push_null();
            return;
        }
    }
    if let Some(v) = &mut dst.validity {
        v.resize(before + 1, true);
    }
}
