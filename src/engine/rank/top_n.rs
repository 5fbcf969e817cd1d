//! Top-N over an append-only input, as Flink's `AppendOnlyTopNFunction` computes it.
//!
//! Each partition keeps a [`TopNBuffer`] of its best rows. A row that cannot enter the top is
//! ignored. When the row number is read, a row entering the top moves every row below it down
//! one place: `-U`/`+U` per moved row, `+I` for the row that takes the last place. When it is
//! not read (or …), the row that falls out is deleted (`-D`) and the new row inserted (`+I`).

use super::buffer::{Partitioned, Row};
use crate::engine::eval::EvalError;
use crate::engine::operator::{emit_rows, Operator, OperatorMetrics};
use crate::plan::logical::SortKey;
use crate::types::{Batch, BatchBuilder, DataType, RowKind, Value};

pub struct AppendOnlyTopN {
    top: Partitioned,
    metrics: OperatorMetrics,
}

impl AppendOnlyTopN {
    pub fn new(
        partition_columns: Vec<usize>,
        order: Vec<SortKey>,
        range: (u64, u64),
        output_number: bool,
        input_types: Vec<DataType>,
    ) -> Self {
        AppendOnlyTopN {
            top: Partitioned::new(partition_columns, order, range, output_number, input_types),
            metrics: OperatorMetrics::default(),
        }
    }

    /// Flink's `processElementWithRowNumber`: the rows below the new one move down a place.
    fn with_row_number(&mut self, p: usize, key: &[Value], input: Row, wm: i64, out: &mut BatchBuilder) {
        let buffer = std::mem::take(&mut self.top.buffers[p]);
        let mut rank = 0u64;
        let mut found = false;
        let mut current = input;
        let mut index = 0;
        while index < buffer.entries.len() && rank <= self.top.end {
            let (k, rows) = &buffer.entries[index];
            if !found && self.top.order.compare(k, key).is_eq() {
                rank += rows.len() as u64;
                found = true;
            } else if found {
                for prev in rows {
                    if rank > self.top.end {
                        break;
                    }
                    self.top.emit(out, RowKind::UpdateBefore, prev, rank, wm);
                    self.top.emit(out, RowKind::UpdateAfter, &current, rank, wm);
                    current = prev.clone();
                    rank += 1;
                }
            } else {
                rank += rows.len() as u64;
            }
            index += 1;
        }
        if rank <= self.top.end {
            self.top.emit(out, RowKind::Insert, &current, rank, wm);
        }
        let mut buffer = buffer;
        buffer.truncate(index);
        self.top.buffers[p] = buffer;
    }

    /// Flink's `processElementWithoutRowNumber`: the row that falls out is deleted.
    fn without_row_number(&mut self, p: usize, input: Row, wm: i64, out: &mut BatchBuilder) {
        if self.top.buffers[p].count as u64 > self.top.end {
            if let Some(last) = self.top.buffers[p].remove_last() {
                if last == input {
                    return;
                }
                self.top.emit(out, RowKind::Delete, &last, self.top.start, wm);
            }
        }
        self.top.emit(out, RowKind::Insert, &input, self.top.start, wm);
    }
}

impl Operator for AppendOnlyTopN {
    fn name(&self) -> String {
        "Rank".to_string()
    }

    fn process(&mut self, batch: Batch, out: &mut Vec<Batch>) -> Result<(), EvalError> {
        self.metrics.records_in += batch.len() as u64;
        let mut emit = BatchBuilder::new(&self.top.output_types);
        for i in 0..batch.len() {
            if !batch.kind(i).is_accumulate() {
                return Err(EvalError("Top-N over an updating input is not supported yet".into()));
            }
            let p = self.top.partition(&batch, i);
            let key = self.top.order.key(&batch, i);
            if !self.top.buffers[p].in_range(&self.top.order, &key, self.top.end) {
                continue;
            }
            let row = batch.row(i, &self.top.input_types);
            self.top.buffers[p].put(&self.top.order, key.clone(), row.clone());
            let wm = batch.arrival_watermark(i);
            if self.top.output_number || self.top.start > 1 {
                self.with_row_number(p, &key, row, wm, &mut emit);
            } else {
                self.without_row_number(p, row, wm, &mut emit);
            }
        }
        emit_rows(emit, &mut self.metrics, out);
        self.metrics.state_rows = self.top.rows();
        Ok(())
    }

    fn metrics(&self) -> OperatorMetrics {
        self.metrics.clone()
    }
}
