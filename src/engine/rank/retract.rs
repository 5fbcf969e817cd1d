//! Top-N over an updating input (the result of a GROUP BY, say), as Flink's
//! `RetractableTopNFunction` keeps it: every row of each partition is kept in sort order, since
//! a retraction can bring a row from below back into the top.
//!
//! After each input change the partition's top rows before and after are compared rank by
//! rank: with the row number read, a rank whose row changed is updated (`-U`/`+U`), a rank that
//! appears is inserted and one that empties is deleted; without it, rows that left the top are
//! deleted and rows that entered it inserted. The final rows are Flink's; Flink orders some
//! intermediate changes differently (see DIFFERENCES.md).

use super::buffer::{RankOrder, Row, TopNBuffer};
use crate::engine::eval::EvalError;
use crate::engine::group_table::GroupTable;
use crate::engine::operator::{emit_rows, Operator, OperatorMetrics};
use crate::plan::logical::SortKey;
use crate::types::{Batch, BatchBuilder, DataType, RowKind, Value};

pub struct RetractableTopN {
    partition_columns: Vec<usize>,
    partitions: GroupTable,
    /// Every row of each partition (not only the top).
    buffers: Vec<TopNBuffer>,
    order: RankOrder,
    start: u64,
    end: u64,
    output_number: bool,
    input_types: Vec<DataType>,
    output_types: Vec<DataType>,
    metrics: OperatorMetrics,
}

impl RetractableTopN {
    pub fn new(partition_columns: Vec<usize>, order: Vec<SortKey>, range: (u64, u64), output_number: bool, input_types: Vec<DataType>) -> Self {
        let key_types: Vec<DataType> = partition_columns.iter().map(|&c| input_types[c].clone()).collect();
        let mut output_types = input_types.clone();
        output_types.push(DataType::BigInt);
        RetractableTopN {
            partition_columns,
            partitions: GroupTable::new(&key_types),
            buffers: Vec::new(),
            order: RankOrder { keys: order, types: input_types.clone() },
            start: range.0,
            end: range.1,
            output_number,
            input_types,
            output_types,
            metrics: OperatorMetrics::default(),
        }
    }

    /// The rows ranked `start..=end` of partition `p`, best first.
    fn top(&self, p: usize) -> Vec<Row> {
        self.buffers[p]
            .entries
            .iter()
            .flat_map(|(_, rows)| rows.iter())
            .skip(self.start as usize - 1)
            .take((self.end - self.start + 1) as usize)
            .cloned()
            .collect()
    }

    fn emit(&self, out: &mut BatchBuilder, kind: RowKind, row: &Row, rank: u64, wm: i64) {
        let mut values = row.clone();
        values.push(Value::Int(if self.output_number { rank as i64 } else { 0 }));
        out.push(kind, &values, wm);
    }

    fn emit_difference(&self, before: &[Row], after: &[Row], wm: i64, out: &mut BatchBuilder) {
        if self.output_number {
            for i in 0..before.len().max(after.len()) {
                let rank = self.start + i as u64;
                match (before.get(i), after.get(i)) {
                    (Some(old), Some(new)) if old != new => {
                        self.emit(out, RowKind::UpdateBefore, old, rank, wm);
                        self.emit(out, RowKind::UpdateAfter, new, rank, wm);
                    }
                    (Some(old), None) => self.emit(out, RowKind::Delete, old, rank, wm),
                    (None, Some(new)) => self.emit(out, RowKind::Insert, new, rank, wm),
                    _ => {}
                }
            }
            return;
        }
        // Without the row number, a row's place does not matter: only entering and leaving.
        let mut remaining: Vec<&Row> = after.iter().collect();
        let mut left = Vec::new();
        for old in before {
            match remaining.iter().position(|r| *r == old) {
                Some(j) => {
                    remaining.remove(j);
                }
                None => left.push(old),
            }
        }
        for old in left {
            self.emit(out, RowKind::Delete, old, self.start, wm);
        }
        for new in remaining {
            self.emit(out, RowKind::Insert, new, self.start, wm);
        }
    }
}

impl Operator for RetractableTopN {
    fn name(&self) -> String {
        "Rank(retract)".to_string()
    }

    fn process(&mut self, batch: Batch, out: &mut Vec<Batch>) -> Result<(), EvalError> {
        self.metrics.records_in += batch.len() as u64;
        let mut emit = BatchBuilder::new(&self.output_types);
        for i in 0..batch.len() {
            let (p, new) = self.partitions.find_or_insert(&batch, &self.partition_columns, i);
            if new {
                self.buffers.push(TopNBuffer::default());
            }
            let p = p as usize;
            let key = self.order.key(&batch, i);
            let row = batch.row(i, &self.input_types);
            let before = self.top(p);
            if batch.kind(i).is_accumulate() {
                self.buffers[p].put(&self.order, key, row);
            } else if !self.buffers[p].remove(&self.order, &key, &row) {
                // Retracting a row never added: Flink logs it and carries on; so do we.
                continue;
            }
            let after = self.top(p);
            self.emit_difference(&before, &after, batch.arrival_watermark(i), &mut emit);
        }
        emit_rows(emit, &mut self.metrics, out);
        self.metrics.state_rows = self.buffers.iter().map(|b| b.count as u64).sum();
        Ok(())
    }

    fn metrics(&self) -> OperatorMetrics {
        self.metrics.clone()
    }
}
