//! Flink's `TopNBuffer`: one partition's best rows, grouped by sort key in sort order; rows
//! with equal keys stay in arrival order, which decides their row numbers.

use std::cmp::Ordering;

use crate::engine::accumulator::SortKey as Ordered;
use crate::plan::logical::SortKey;
use crate::types::{Batch, DataType, Value};

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
