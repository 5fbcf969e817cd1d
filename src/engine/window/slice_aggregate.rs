//! The window aggregate for tumbling, hopping and cumulating windows (Flink's
//! `SlicingWindowOperator`).
//!
//! Rows are processed in arrival order. Before a row is taken, every window whose end − 1 is at
//! or below the watermark the row arrived under is fired, exactly as if Flink had received that
//! watermark between two records. A row is then late only if the last window of its slice has
//! fired; otherwise it joins its slice, and windows that already fired simply never see it.

use std::collections::{BTreeMap, BTreeSet};

use super::late::LateLog;
use super::slicing::SliceAssigner;
use crate::engine::accumulator::Accumulators;
use crate::engine::eval::EvalError;
use crate::engine::group_table::GroupTable;
use crate::engine::operator::{LateRecord, Operator, OperatorMetrics};
use crate::engine::watermark::NO_WATERMARK;
use crate::plan::logical::AggCall;
use crate::types::{Batch, BatchBuilder, ColumnData, DataType, RowKind, Value};

struct Slice {
    groups: GroupTable,
    accumulators: Accumulators,
}

pub struct SliceWindowAggregate {
    assigner: SliceAssigner,
    key_columns: Vec<usize>,
    key_types: Vec<DataType>,
    time_column: usize,
    calls: Vec<AggCall>,
    slices: BTreeMap<i64, Slice>,
    /// Ends of windows that hold data and have not fired.
    pending: BTreeSet<i64>,
    /// The smallest pending window end − 1 (the watermark that fires next), or `i64::MAX`.
    next_due: i64,
    watermark: i64,
    input_types: Vec<DataType>,
    output_types: Vec<DataType>,
    late: LateLog,
    metrics: OperatorMetrics,
}

impl SliceWindowAggregate {
    pub fn new(assigner: SliceAssigner, key_types: &[DataType], calls: &[AggCall], time_column: usize, input_types: Vec<DataType>) -> Self {
        let mut output_types = key_types.to_vec();
        output_types.extend(calls.iter().map(|c| c.ty.data_type.clone()));
        output_types.extend([DataType::Timestamp(3), DataType::Timestamp(3), DataType::Timestamp(3)]);
        SliceWindowAggregate {
            assigner,
            key_columns: (0..key_types.len()).collect(),
            key_types: key_types.to_vec(),
            time_column,
            calls: calls.to_vec(),
            slices: BTreeMap::new(),
            pending: BTreeSet::new(),
            next_due: i64::MAX,
            watermark: NO_WATERMARK,
            input_types,
            output_types,
            late: LateLog::default(),
            metrics: OperatorMetrics::default(),
        }
    }

    fn update_next_due(&mut self) {
        self.next_due = self.pending.first().map_or(i64::MAX, |e| e - 1);
    }

    /// Fires every window with end − 1 ≤ `watermark`.
    fn fire(&mut self, watermark: i64, emit: &mut BatchBuilder) {
        while let Some(&end) = self.pending.first() {
            if end - 1 > watermark {
                break;
            }
            self.pending.pop_first();
            self.emit_window(end, emit);
            // Free slices no later window needs.
            while let Some((&slice_end, _)) = self.slices.first_key_value() {
                if self.assigner.last_window_end(slice_end) > end {
                    break;
                }
                self.slices.pop_first();
            }
        }
        self.update_next_due();
    }

    fn emit_window(&mut self, end: i64, emit: &mut BatchBuilder) {
        let start = self.assigner.window_start(end);
        let bounds = [Value::Timestamp(start), Value::Timestamp(end), Value::Timestamp(end - 1)];
        let arrival = self.watermark;
        let mut in_window = self.slices.range(start + 1..=end).map(|(_, s)| s);
        let mut row = Vec::with_capacity(self.output_types.len());
        let mut push = |groups: &GroupTable, accs: &Accumulators, emit: &mut BatchBuilder, count: &mut u64| {
            for g in 0..groups.len() as u32 {
                row.clear();
                groups.key(g, &mut row);
                accs.results(g, &mut row);
                row.extend(bounds.iter().cloned());
                emit.push(RowKind::Insert, &row, arrival);
                *count += 1;
            }
        };
        let first = in_window.next();
        let rest: Vec<&Slice> = in_window.collect();
        let mut count = 0;
        match (first, rest.is_empty()) {
            (None, _) => {}
            (Some(only), true) => push(&only.groups, &only.accumulators, emit, &mut count),
            (Some(first), false) => {
                let mut groups = GroupTable::new(&self.key_types);
                let mut accs = Accumulators::new(&self.calls, false);
                for slice in std::iter::once(first).chain(rest) {
                    for g in 0..slice.groups.len() as u32 {
                        let (m, new) = groups.find_or_insert_from(&slice.groups, g);
                        if new {
                            accs.add_group();
                        }
                        accs.merge(m, &slice.accumulators, g);
                    }
                }
                push(&groups, &accs, emit, &mut count);
            }
        }
        self.metrics.records_out += count;
    }
}

impl Operator for SliceWindowAggregate {
    fn name(&self) -> String {
        "WindowAggregate".to_string()
    }

    fn process(&mut self, batch: Batch, out: &mut Vec<Batch>) -> Result<(), EvalError> {
        let n = batch.len();
        self.metrics.records_in += n as u64;
        let time = &batch.columns[self.time_column];
        let ColumnData::Int(times) = &time.data else {
            return Err(EvalError("the window's time column is not a timestamp".into()));
        };
        let mut emit = BatchBuilder::new(&self.output_types);
        // Rows of one slice are gathered and accumulated together.
        let mut run_slice = i64::MIN;
        let mut gids: Vec<u32> = Vec::with_capacity(n.min(4096));
        let mut rows: Vec<u32> = Vec::with_capacity(n.min(4096));
        for (i, &ts) in times.iter().enumerate() {
            let arrival = batch.arrival_watermark(i);
            if arrival > self.watermark {
                if arrival >= self.next_due {
                    flush(&mut self.slices, run_slice, &self.key_columns, &mut gids, &mut rows, &batch);
                    self.fire(arrival, &mut emit);
                }
                self.watermark = arrival;
            }
            if !time.is_valid(i) {
                continue;
            }
            // Rows come mostly in time order: most fall in the run's slice.
            let slice_end = if self.assigner.in_slice(ts, run_slice) { run_slice } else { self.assigner.slice_end(ts) };
            if self.assigner.last_window_end(slice_end) - 1 <= self.watermark {
                let missed = self.assigner.window_ends(slice_end).map(|e| (self.assigner.window_start(e), e)).collect();
                self.late.record_missing(&batch, i, &self.input_types, ts, self.watermark, missed);
                continue;
            }
            if slice_end != run_slice {
                flush(&mut self.slices, run_slice, &self.key_columns, &mut gids, &mut rows, &batch);
                run_slice = slice_end;
                if !self.slices.contains_key(&slice_end) {
                    self.slices.insert(
                        slice_end,
                        Slice { groups: GroupTable::new(&self.key_types), accumulators: Accumulators::new(&self.calls, false) },
                    );
                    let wm = self.watermark;
                    self.pending.extend(self.assigner.window_ends(slice_end).filter(|e| e - 1 > wm));
                    self.update_next_due();
                }
            }
            rows.push(i as u32);
        }
        flush(&mut self.slices, run_slice, &self.key_columns, &mut gids, &mut rows, &batch);
        if let Some(failure) = self.slices.values_mut().find_map(|s| s.accumulators.take_failure()) {
            return Err(EvalError(failure));
        }
        if !emit.is_empty() {
            out.push(emit.finish());
        }
        self.metrics.late_records_dropped = self.late.dropped;
        self.metrics.state_rows = self.slices.values().map(|s| s.groups.len() as u64).sum();
        Ok(())
    }

    fn on_watermark(&mut self, watermark: i64, out: &mut Vec<Batch>) -> Result<(), EvalError> {
        if watermark <= self.watermark {
            return Ok(());
        }
        let mut emit = BatchBuilder::new(&self.output_types);
        self.fire(watermark, &mut emit);
        self.watermark = watermark;
        if !emit.is_empty() {
            out.push(emit.finish());
        }
        self.metrics.state_rows = self.slices.values().map(|s| s.groups.len() as u64).sum();
        Ok(())
    }

    fn metrics(&self) -> OperatorMetrics {
        self.metrics.clone()
    }

    fn late_records(&self) -> Vec<LateRecord> {
        self.late.recent()
    }

    fn pending_windows(&self, limit: usize) -> Vec<(i64, i64)> {
        self.pending.iter().take(limit).map(|&e| (self.assigner.window_start(e), e)).collect()
    }

    fn pending_window_count(&self) -> usize {
        self.pending.len()
    }

    fn next_timer(&self) -> Option<i64> {
        (self.next_due != i64::MAX).then_some(self.next_due)
    }
}

/// Accumulates `rows` of `batch` (a run of rows of one slice, in order) into the slice ending at
/// `slice_end`: each row's group is found (or added) in row order, then the run is accumulated
/// at once. The slice is looked up once per run, not once per row.
fn flush(
    slices: &mut BTreeMap<i64, Slice>,
    slice_end: i64,
    key_columns: &[usize],
    gids: &mut Vec<u32>,
    rows: &mut Vec<u32>,
    batch: &Batch,
) {
    if rows.is_empty() {
        return;
    }
    // The run's slice was inserted when the run began; slices are only removed in `fire`,
    // which flushes the run first.
    if let Some(slice) = slices.get_mut(&slice_end) {
        gids.clear();
        for &i in rows.iter() {
            let (g, new) = slice.groups.find_or_insert(batch, key_columns, i as usize);
            if new {
                slice.accumulators.add_group();
            }
            gids.push(g);
        }
        slice.accumulators.accumulate_rows(gids, rows, batch);
    }
    gids.clear();
    rows.clear();
}
