//! Top-N over an append-only input, as Flink's `AppendOnlyTopNFunction` computes it.
//!
//! Each partition keeps a [`TopNBuffer`] of its best rows. A row that cannot enter the top is
//! ignored. When the row number is read, a row entering the top moves every row below it down
//! one place: `-U`/`+U` per moved row, `+I` for the row that takes the last place. When it is
//! not read (or …), the row that falls out is deleted (`-D`) and the new row inserted (`+I`).

use super::buffer::{RankOrder, Row, TopNBuffer};
use crate::engine::eval::EvalError;
use crate::engine::group_table::GroupTable;
use crate::engine::operator::{emit_rows, Operator, OperatorMetrics};
use crate::plan::logical::SortKey;
use crate::types::{Batch, BatchBuilder, DataType, RowKind, Value};

pub struct AppendOnlyTopN {
    partition_columns: Vec<usize>,
    partitions: GroupTable,
    buffers: Vec<TopNBuffer>,
    order: RankOrder,
    /// The row numbers kept, 1-based, inclusive.
    start: u64,
    end: u64,
    output_number: bool,
    input_types: Vec<DataType>,
    output_types: Vec<DataType>,
    metrics: OperatorMetrics,
}

impl AppendOnlyTopN {
    pub fn new(partition_columns: Vec<usize>, order: Vec<SortKey>, range: (u64, u64), output_number: bool, input_types: Vec<DataType>) -> Self {
        let key_types: Vec<DataType> = partition_columns.iter().map(|&c| input_types[c].clone()).collect();
        let mut output_types = input_types.clone();
        output_types.push(DataType::BigInt);
        AppendOnlyTopN {
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

    fn emit(&self, out: &mut BatchBuilder, kind: RowKind, row: &Row, rank: u64, wm: i64) {
        if rank < self.start || rank > self.end {
            return;
        }
        let mut values = row.clone();
        values.push(Value::Int(if self.output_number { rank as i64 } else { 0 }));
        out.push(kind, &values, wm);
    }

    /// Flink's `processElementWithRowNumber`: the rows below the new one move down a place.
    fn with_row_number(&mut self, p: usize, key: &[Value], input: Row, wm: i64, out: &mut BatchBuilder) {
        let buffer = std::mem::take(&mut self.buffers[p]);
        let mut rank = 0u64;
        let mut found = false;
        let mut current = input;
        let mut index = 0;
        while index < buffer.entries.len() && rank <= self.end {
            let (k, rows) = &buffer.entries[index];
            if !found && self.order.compare(k, key).is_eq() {
                rank += rows.len() as u64;
                found = true;
            } else if found {
                for prev in rows {
                    if rank > self.end {
                        break;
                    }
                    self.emit(out, RowKind::UpdateBefore, prev, rank, wm);
                    self.emit(out, RowKind::UpdateAfter, &current, rank, wm);
                    current = prev.clone();
                    rank += 1;
                }
            } else {
                rank += rows.len() as u64;
            }
            index += 1;
        }
        if rank <= self.end {
            self.emit(out, RowKind::Insert, &current, rank, wm);
        }
        let mut buffer = buffer;
        buffer.truncate(index);
        self.buffers[p] = buffer;
    }

    /// Flink's `processElementWithoutRowNumber`: the row that falls out is deleted.
    fn without_row_number(&mut self, p: usize, input: Row, wm: i64, out: &mut BatchBuilder) {
        if self.buffers[p].count as u64 > self.end {
            if let Some(last) = self.buffers[p].remove_last() {
                if last == input {
                    return;
                }
                self.emit(out, RowKind::Delete, &last, self.start, wm);
            }
        }
        self.emit(out, RowKind::Insert, &input, self.start, wm);
    }
}

impl Operator for AppendOnlyTopN {
    fn name(&self) -> String {
        "Rank".to_string()
    }

    fn process(&mut self, batch: Batch, out: &mut Vec<Batch>) -> Result<(), EvalError> {
        self.metrics.records_in += batch.len() as u64;
        let mut emit = BatchBuilder::new(&self.output_types);
        for i in 0..batch.len() {
            if !batch.kind(i).is_accumulate() {
                return Err(EvalError("Top-N over an updating input is not supported yet".into()));
            }
            let (p, new) = self.partitions.find_or_insert(&batch, &self.partition_columns, i);
            if new {
                self.buffers.push(TopNBuffer::default());
            }
            let p = p as usize;
            let key = self.order.key(&batch, i);
            if !self.buffers[p].in_range(&self.order, &key, self.end) {
                continue;
            }
            let row = batch.row(i, &self.input_types);
            self.buffers[p].put(&self.order, key.clone(), row.clone());
            let wm = batch.arrival_watermark(i);
            if self.output_number || self.start > 1 {
                self.with_row_number(p, &key, row, wm, &mut emit);
            } else {
                self.without_row_number(p, row, wm, &mut emit);
            }
        }
        emit_rows(emit, &mut self.metrics, out);
        self.metrics.state_rows = self.buffers.iter().map(|b| b.count as u64).sum();
        Ok(())
    }

    fn metrics(&self) -> OperatorMetrics {
        self.metrics.clone()
    }
}
