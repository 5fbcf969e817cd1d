//! Top-N over an updating input (the result of a GROUP BY, say), as Flink's
//! `RetractableTopNFunction` keeps it: every row of each partition is kept in sort order, since
//! a retraction can bring a row from below back into the top.
//!
//! After each input change the partition's top rows before and after are compared rank by
//! rank: with the row number read, a rank whose row changed is updated (`-U`/`+U`), a rank that
//! appears is inserted and one that empties is deleted; without it, rows that left the top are
//! deleted and rows that entered it inserted. The final rows are Flink's; Flink orders some
//! intermediate changes differently (see DIFFERENCES.md).

use super::buffer::{Partitioned, Row};
use crate::engine::eval::EvalError;
use crate::engine::operator::{emit_rows, Operator, OperatorMetrics};
use crate::plan::logical::SortKey;
use crate::types::{Batch, BatchBuilder, DataType, RowKind};

pub struct RetractableTopN {
    top: Partitioned,
    metrics: OperatorMetrics,
}

impl RetractableTopN {
    pub fn new(
        partition_columns: Vec<usize>,
        order: Vec<SortKey>,
        range: (u64, u64),
        output_number: bool,
        input_types: Vec<DataType>,
    ) -> Self {
        RetractableTopN {
            top: Partitioned::new(partition_columns, order, range, output_number, input_types),
            metrics: OperatorMetrics::default(),
        }
    }

    /// The rows ranked `start..=end` of partition `p`, best first.
    fn top(&self, p: usize) -> Vec<Row> {
        self.top.buffers[p]
            .entries
            .iter()
            .flat_map(|(_, rows)| rows.iter())
            .skip(self.top.start.saturating_sub(1) as usize)
            // `LIMIT 0` keeps no row numbers (end = start − 1).
            .take(self.top.end.saturating_add(1).saturating_sub(self.top.start) as usize)
            .cloned()
            .collect()
    }

    fn emit_difference(&self, before: &[Row], after: &[Row], wm: i64, out: &mut BatchBuilder) {
        if self.top.output_number {
            for i in 0..before.len().max(after.len()) {
                let rank = self.top.start + i as u64;
                match (before.get(i), after.get(i)) {
                    (Some(old), Some(new)) if old != new => {
                        self.top.emit(out, RowKind::UpdateBefore, old, rank, wm);
                        self.top.emit(out, RowKind::UpdateAfter, new, rank, wm);
                    }
                    (Some(old), None) => self.top.emit(out, RowKind::Delete, old, rank, wm),
                    (None, Some(new)) => self.top.emit(out, RowKind::Insert, new, rank, wm),
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
            self.top.emit(out, RowKind::Delete, old, self.top.start, wm);
        }
        for new in remaining {
            self.top.emit(out, RowKind::Insert, new, self.top.start, wm);
        }
    }
}

impl Operator for RetractableTopN {
    fn name(&self) -> String {
        "Rank(retract)".to_string()
    }

    fn process(&mut self, batch: Batch, out: &mut Vec<Batch>) -> Result<(), EvalError> {
        self.metrics.records_in += batch.len() as u64;
        let mut emit = BatchBuilder::new(&self.top.output_types);
        for i in 0..batch.len() {
            let p = self.top.partition(&batch, i);
            let key = self.top.order.key(&batch, i);
            let row = batch.row(i, &self.top.input_types);
            let before = self.top(p);
            if batch.kind(i).is_accumulate() {
                self.top.buffers[p].put(&self.top.order, key, row);
            } else if !self.top.buffers[p].remove(&self.top.order, &key, &row) {
                // Retracting a row never added: Flink logs it and carries on; so do we.
                continue;
            }
            let after = self.top(p);
            self.emit_difference(&before, &after, batch.arrival_watermark(i), &mut emit);
        }
        emit_rows(emit, &mut self.metrics, out);
        self.metrics.state_rows = self.top.rows();
        Ok(())
    }

    fn metrics(&self) -> OperatorMetrics {
        self.metrics.clone()
    }
}
