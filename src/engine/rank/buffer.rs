//! Flink's `TopNBuffer`: one partition's best rows, grouped by sort key in sort order; rows
//! with equal keys stay in arrival order, which decides their row numbers.

use std::cmp::Ordering;

use crate::engine::accumulator::SortKey as Ordered;
use crate::engine::group_table::GroupTable;
use crate::plan::logical::SortKey;
use crate::types::{Batch, BatchBuilder, DataType, RowKind, Value};

/// How a ranking orders rows: which values of a row, and in which direction.
#[derive(Clone, Debug)]
pub struct RankOrder {
    pub keys: Vec<SortKey>,
    pub types: Vec<DataType>,
}

impl RankOrder {
    /// The sort key of row `i` of `batch`.
    pub fn key(&self, batch: &Batch, i: usize) -> Vec<Value> {
        self.keys.iter().map(|k| batch.columns[k.column].value(i, &self.types[k.column])).collect()
    }

    pub fn compare(&self, a: &[Value], b: &[Value]) -> Ordering {
        for ((x, y), k) in a.iter().zip(b).zip(&self.keys) {
            let ord = match (x.is_null(), y.is_null()) {
                (true, true) => Ordering::Equal,
                (true, false) => return if k.nulls_first { Ordering::Less } else { Ordering::Greater },
                (false, true) => return if k.nulls_first { Ordering::Greater } else { Ordering::Less },
                // Invariant-free clones: sort keys are short.
                (false, false) => Ordered(x.clone()).cmp(&Ordered(y.clone())),
            };
            let ord = if k.descending { ord.reverse() } else { ord };
            if ord != Ordering::Equal {
                return ord;
            }
        }
        Ordering::Equal
    }
}

pub type Row = Vec<Value>;

#[derive(Default)]
pub struct TopNBuffer {
    /// (sort key, rows with that key in arrival order), best key first.
    pub entries: Vec<(Vec<Value>, Vec<Row>)>,
    /// Rows held (Flink's `currentTopNum`).
    pub count: usize,
}

impl TopNBuffer {
    fn find(&self, order: &RankOrder, key: &[Value]) -> Result<usize, usize> {
        self.entries.binary_search_by(|(k, _)| order.compare(k, key))
    }

    /// Whether a row with `key` may enter a buffer that keeps `top` rows.
    pub fn in_range(&self, order: &RankOrder, key: &[Value], top: u64) -> bool {
        match self.entries.last() {
            None => true,
            Some((worst, _)) if order.compare(key, worst) == Ordering::Less => true,
            Some(_) => (self.count as u64) < top,
        }
    }

    pub fn put(&mut self, order: &RankOrder, key: Vec<Value>, row: Row) {
        match self.find(order, &key) {
            Ok(i) => self.entries[i].1.push(row),
            Err(i) => self.entries.insert(i, (key, vec![row])),
        }
        self.count += 1;
    }

    /// Removes one row equal to `row` (whose sort key is `key`); false if there is none.
    pub fn remove(&mut self, order: &RankOrder, key: &[Value], row: &Row) -> bool {
        let Ok(i) = self.find(order, key) else { return false };
        let Some(j) = self.entries[i].1.iter().position(|r| r == row) else { return false };
        self.entries[i].1.remove(j);
        if self.entries[i].1.is_empty() {
            self.entries.remove(i);
        }
        self.count -= 1;
        true
    }

    /// Removes the last row of the worst key and returns it.
    pub fn remove_last(&mut self) -> Option<Row> {
        let (_, rows) = self.entries.last_mut()?;
        let row = rows.pop();
        if rows.is_empty() {
            self.entries.pop();
        }
        if row.is_some() {
            self.count -= 1;
        }
        row
    }

    /// Drops every entry from `index` on.
    pub fn truncate(&mut self, index: usize) {
        for (_, rows) in self.entries.drain(index.min(self.entries.len())..) {
            self.count -= rows.len();
        }
    }
}

/// What a Top-N keeps whatever its input: a buffer per partition, the order, the row numbers
/// kept, and the shape of its output (the input's columns, then the row number).
pub struct Partitioned {
    partition_columns: Vec<usize>,
    partitions: GroupTable,
    pub buffers: Vec<TopNBuffer>,
    pub order: RankOrder,
    /// The row numbers kept, 1-based, inclusive.
    pub start: u64,
    pub end: u64,
    pub output_number: bool,
    pub input_types: Vec<DataType>,
    pub output_types: Vec<DataType>,
}

impl Partitioned {
    pub fn new(
        partition_columns: Vec<usize>,
        order: Vec<SortKey>,
        range: (u64, u64),
        output_number: bool,
        input_types: Vec<DataType>,
    ) -> Self {
        let key_types: Vec<DataType> = partition_columns.iter().map(|&c| input_types[c].clone()).collect();
        let mut output_types = input_types.clone();
        output_types.push(DataType::BigInt);
        Partitioned {
            partition_columns,
            partitions: GroupTable::new(&key_types),
            buffers: Vec::new(),
            order: RankOrder { keys: order, types: input_types.clone() },
            start: range.0,
            end: range.1,
            output_number,
            input_types,
            output_types,
        }
    }

    /// The buffer of row `i`'s partition (a new partition starts with an empty one).
    pub fn partition(&mut self, batch: &Batch, i: usize) -> usize {
        let (p, new) = self.partitions.find_or_insert(batch, &self.partition_columns, i);
        if new {
            self.buffers.push(TopNBuffer::default());
        }
        p as usize
    }

    /// Emits `row` with row number `rank`, if that number is kept (the column holds a constant
    /// nobody reads when the row number is not selected).
    pub fn emit(&self, out: &mut BatchBuilder, kind: RowKind, row: &Row, rank: u64, wm: i64) {
        if rank < self.start || rank > self.end {
            return;
        }
        let mut values = row.clone();
        values.push(Value::Int(if self.output_number { rank as i64 } else { 0 }));
        out.push(kind, &values, wm);
    }

    /// Rows held in every partition's buffer.
    pub fn rows(&self) -> u64 {
        self.buffers.iter().map(|b| b.count as u64).sum()
    }
}
