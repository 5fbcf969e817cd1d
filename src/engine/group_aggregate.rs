//! Non-windowed GROUP BY: an updating result, emitted as a changelog.
//!
//! Like Flink's `GroupAggFunction` without mini-batching: every input row updates its group and
//! emits `+I` (a new group), `-U`/`+U` (the old and new result), or `-D` (the group's last row
//! was retracted). A row that leaves the result unchanged emits nothing. Late data does not
//! exist here: an updating result takes every row.

use super::accumulator::Accumulators;
use super::eval::EvalError;
use super::group_table::GroupTable;
use super::operator::{Operator, OperatorMetrics};
use crate::plan::logical::AggCall;
use crate::types::{Batch, BatchBuilder, DataType, RowKind, Value};

pub struct GroupAggregate {
    key_columns: Vec<usize>,
    groups: GroupTable,
    accumulators: Accumulators,
    /// Rows accumulated minus rows retracted, per group.
    row_counts: Vec<i64>,
    output_types: Vec<DataType>,
    metrics: OperatorMetrics,
}

impl GroupAggregate {
    pub fn new(key_types: &[DataType], calls: &[AggCall], retracting: bool) -> Self {
        let mut output_types = key_types.to_vec();
        output_types.extend(calls.iter().map(|c| c.ty.data_type.clone()));
        GroupAggregate {
            key_columns: (0..key_types.len()).collect(),
            groups: GroupTable::new(key_types),
            accumulators: Accumulators::new(calls, retracting),
            row_counts: Vec::new(),
            output_types,
            metrics: OperatorMetrics::default(),
        }
    }

    fn result(&self, g: u32) -> Vec<Value> {
        let mut row = Vec::with_capacity(self.output_types.len());
        self.groups.key(g, &mut row);
        self.accumulators.results(g, &mut row);
        row
    }
}

impl Operator for GroupAggregate {
    fn name(&self) -> String {
        "GroupAggregate".to_string()
    }

    fn process(&mut self, batch: Batch, out: &mut Vec<Batch>) -> Result<(), EvalError> {
        self.metrics.records_in += batch.len() as u64;
        let mut emit = BatchBuilder::new(&self.output_types);
        for i in 0..batch.len() {
            let kind = batch.kind(i);
            let retract = !kind.is_accumulate();
            let (g, new) = self.groups.find_or_insert(&batch, &self.key_columns, i);
            if new {
                self.accumulators.add_group();
                self.row_counts.push(0);
            }
            let gi = g as usize;
            if retract && self.row_counts[gi] == 0 {
                // Retracting a row of a group we never saw: nothing to take back.
                continue;
            }
            let before = (self.row_counts[gi] > 0).then(|| self.result(g));
            self.accumulators.update(g, &batch, i, retract);
            self.row_counts[gi] += if retract { -1 } else { 1 };
            let wm = batch.arrival_watermark(i);
            if self.row_counts[gi] == 0 {
                if let Some(old) = before {
                    emit.push(RowKind::Delete, &old, wm);
                }
                self.accumulators.reset(g);
                continue;
            }
            let after = self.result(g);
            match before {
                None => emit.push(RowKind::Insert, &after, wm),
                Some(old) if old != after => {
                    emit.push(RowKind::UpdateBefore, &old, wm);
                    emit.push(RowKind::UpdateAfter, &after, wm);
                }
                Some(_) => {}
            }
        }
        if !emit.is_empty() {
            let b = emit.finish();
            self.metrics.records_out += b.len() as u64;
            out.push(b);
        }
        self.metrics.state_rows = self.row_counts.iter().filter(|c| **c > 0).count() as u64;
        Ok(())
    }

    fn metrics(&self) -> OperatorMetrics {
        self.metrics.clone()
    }
}
