//! Deduplication on event time: `ROW_NUMBER() OVER (PARTITION BY k ORDER BY rowtime) = 1`.
//!
//! - Keep the last row (`DESC`, Flink's `RowTimeDeduplicateFunction`): a row replaces the kept
//!   one when its time is not earlier, at once: `+I` for a key's first row, then `-U`/`+U`.
//!   Nothing is late: an older row is simply not kept.
//! - Keep the first row (`ASC`, `RowTimeDeduplicateKeepFirstRowFunction`): an append-only
//!   result. The earliest row seen so far waits for the watermark to pass its time and is then
//!   emitted once; later rows of the key are ignored, and a row behind the watermark it arrived
//!   under is dropped as late.

use std::collections::BTreeSet;

use super::replaces_kept;
use crate::engine::eval::EvalError;
use crate::engine::group_table::GroupTable;
use crate::engine::operator::{emit_rows, LateRecord, Operator, OperatorMetrics};
use crate::engine::watermark::NO_WATERMARK;
use crate::engine::window::late::LateLog;
use crate::types::{Batch, BatchBuilder, ColumnData, DataType, RowKind, Value};

/// One key's state.
#[derive(Default)]
struct Kept {
    /// Keep last: the row emitted last. Keep first: the row waiting for its timer.
    row: Option<(i64, Vec<Value>)>,
    /// Keep first: the key's row has been emitted.
    emitted: bool,
}

pub struct Deduplicate {
    keep_last: bool,
    time_column: usize,
    partition_columns: Vec<usize>,
    partitions: GroupTable,
    kept: Vec<Kept>,
    /// Keep first: (time, key) timers, one per waiting row.
    timers: BTreeSet<(i64, u32)>,
    watermark: i64,
    input_types: Vec<DataType>,
    output_types: Vec<DataType>,
    late: LateLog,
    metrics: OperatorMetrics,
}

impl Deduplicate {
    pub fn new(keep_last: bool, time_column: usize, partition_columns: Vec<usize>, input_types: Vec<DataType>) -> Self {
        let key_types: Vec<DataType> = partition_columns.iter().map(|&c| input_types[c].clone()).collect();
        let mut output_types = input_types.clone();
        output_types.push(DataType::BigInt);
        Deduplicate {
            keep_last,
            time_column,
            partition_columns,
            partitions: GroupTable::new(&key_types),
            kept: Vec::new(),
            timers: BTreeSet::new(),
            watermark: NO_WATERMARK,
            input_types,
            output_types,
            late: LateLog::default(),
            metrics: OperatorMetrics::default(),
        }
    }

    fn push(emit: &mut BatchBuilder, kind: RowKind, row: &[Value], wm: i64) {
        let mut values = row.to_vec();
        values.push(Value::Int(1));
        emit.push(kind, &values, wm);
    }

    /// Fires the keep-first timers at or before `watermark`.
    fn advance(&mut self, watermark: i64, emit: &mut BatchBuilder) {
        let under = self.watermark;
        while let Some(&(t, p)) = self.timers.first() {
            if t > watermark {
                break;
            }
            self.timers.pop_first();
            let kept = &mut self.kept[p as usize];
            if let Some((_, row)) = kept.row.take() {
                Self::push(emit, RowKind::Insert, &row, under);
            }
            kept.emitted = true;
        }
        self.watermark = self.watermark.max(watermark);
    }
}

impl Operator for Deduplicate {
    fn name(&self) -> String {
        "Deduplicate".to_string()
    }

    fn process(&mut self, batch: Batch, out: &mut Vec<Batch>) -> Result<(), EvalError> {
        self.metrics.records_in += batch.len() as u64;
        let ColumnData::Int(times) = &batch.columns[self.time_column].data else {
            return Err(EvalError("the deduplication's time column is not a timestamp".into()));
        };
        let mut emit = BatchBuilder::new(&self.output_types);
        for (i, &ts) in times.iter().enumerate() {
            if !batch.kind(i).is_accumulate() {
                return Err(EvalError("deduplication over an updating input is not supported yet".into()));
            }
            let arrival = batch.arrival_watermark(i);
            if !self.keep_last && arrival > self.watermark {
                self.advance(arrival, &mut emit);
            }
            if !batch.columns[self.time_column].is_valid(i) {
                continue;
            }
            let (p, new) = self.partitions.find_or_insert(&batch, &self.partition_columns, i);
            if new {
                self.kept.push(Kept::default());
            }
            let kept = &mut self.kept[p as usize];
            if self.keep_last {
                if kept.row.as_ref().is_some_and(|(prev, _)| !replaces_kept(true, ts.cmp(prev))) {
                    continue;
                }
                let row = batch.row(i, &self.input_types);
                match kept.row.take() {
                    None => Self::push(&mut emit, RowKind::Insert, &row, arrival),
                    Some((_, prev)) => {
                        Self::push(&mut emit, RowKind::UpdateBefore, &prev, arrival);
                        Self::push(&mut emit, RowKind::UpdateAfter, &row, arrival);
                    }
                }
                kept.row = Some((ts, row));
                continue;
            }
            if ts < self.watermark {
                self.late.record(&batch, i, &self.input_types, ts, self.watermark);
                continue;
            }
            if kept.emitted || kept.row.as_ref().is_some_and(|(prev, _)| !replaces_kept(false, ts.cmp(prev))) {
                continue;
            }
            if let Some((prev, _)) = &kept.row {
                self.timers.remove(&(*prev, p));
            }
            self.timers.insert((ts, p));
            kept.row = Some((ts, batch.row(i, &self.input_types)));
        }
        emit_rows(emit, &mut self.metrics, out);
        self.metrics.late_records_dropped = self.late.dropped;
        self.metrics.state_rows = self.kept.len() as u64;
        Ok(())
    }

    fn on_watermark(&mut self, watermark: i64, out: &mut Vec<Batch>) -> Result<(), EvalError> {
        if self.keep_last || watermark <= self.watermark {
            return Ok(());
        }
        let mut emit = BatchBuilder::new(&self.output_types);
        self.advance(watermark, &mut emit);
        emit_rows(emit, &mut self.metrics, out);
        Ok(())
    }

    fn late_records(&self) -> Vec<LateRecord> {
        self.late.recent()
    }

    fn metrics(&self) -> OperatorMetrics {
        self.metrics.clone()
    }
}
