//! OVER aggregation: `agg(…) OVER (PARTITION BY k ORDER BY rowtime …)`, and its
//! processing-time forms (`ORDER BY proc_time`, see the end).
//!
//! Each input row comes out once, with the aggregates over its frame appended, when the
//! watermark passes its timestamp; rows of a partition come out in event-time order. This is a
//! transcription of Flink's process functions, including their timers, because which rows they
//! drop as late follows from those timers and not from the watermark alone:
//!
//! - `ROWS BETWEEN n PRECEDING` (`RowTimeRowsBoundedPrecedingFunction`) and `RANGE BETWEEN
//!   INTERVAL … PRECEDING` (`RowTimeRangeBoundedPrecedingFunction`) keep, per partition, the
//!   last timestamp a timer fired for, and drop a row whose timestamp is not after it (a row
//!   merely behind the watermark is still taken and comes out at the next watermark).
//!   RANGE also registers a state clean-up timer at `ts + 1.5 × range + 1`. When it fires after
//!   newer rows moved the clean-up point, it still advances the partition's last fired
//!   timestamp, so a row between the last emitted time and that timer is dropped (the "clean-up
//!   timer quirk"); when it fires with no newer rows it clears the partition's state.
//! - `UNBOUNDED PRECEDING` (`RowTimeRowsUnboundedPrecedingFunction` /
//!   `…RangeUnbounded…`) drops rows at or behind the watermark they arrived under.
//!
//! ROWS emits each row with the frame ending at that row; RANGE gives every row of one
//! timestamp the same result (its peers are in its frame). Rows are kept in one columnar arena
//! while buffered or inside a frame and freed as they leave it.
//!
//! Ordered by processing time (the row's `PROCTIME()`, the session's clock when it arrived):
//!
//! - `UNBOUNDED PRECEDING`, ROWS or RANGE (`ProcTimeUnboundedPrecedingFunction`) and `ROWS
//!   BETWEEN n PRECEDING` (`ProcTimeRowsBoundedPrecedingFunction`) emit each row at once, with
//!   the frame ending at it: rows that arrive together are not peers.
//! - `RANGE BETWEEN INTERVAL … PRECEDING` (`ProcTimeRangeBoundedPrecedingFunction`) holds the
//!   rows of one millisecond until the clock has passed it (Flink's timer at `t + 1`), then
//!   emits them together. That is the event-time RANGE above with the watermark at the clock
//!   minus 1 ms (how the pipeline runs processing-time timers), and Flink's clean-up timer at
//!   `t + 1.5 × range + 1` one earlier to match; nothing is ever late.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use super::accumulator::Accumulators;
use super::eval::EvalError;
use super::group_table::{append_value, GroupTable};
use super::operator::{LateRecord, Operator, OperatorMetrics};
use super::watermark::NO_WATERMARK;
use super::window::late::LateLog;
use crate::plan::logical::{AggCall, OverFrame};
use crate::types::{Batch, BatchBuilder, Column, ColumnData, DataType, RowKind, Value};

/// Which of Flink's process functions the operator behaves as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    /// Frame of the current row and the `n - 1` before it (Flink's `precedingOffset` = n).
    BoundedRows {
        rows: usize,
    },
    /// Frame of the rows at most `range` ms before the current row's timestamp.
    BoundedRange {
        range: i64,
    },
    UnboundedRows,
    UnboundedRange,
}

/// One partition's state (Flink keeps the same per key).
#[derive(Default)]
struct Partition {
    /// Rows waiting for the watermark, by timestamp, in arrival order within one timestamp.
    pending: BTreeMap<i64, Vec<u32>>,
    /// Rows already emitted that are still inside the frame, oldest first (bounded frames).
    frame: VecDeque<(i64, u32)>,
    /// `lastTriggeringTsState`: the last timer that fired, 0 when unset (bounded frames).
    last_fired: i64,
    /// `cleanupTsState`: where the RANGE state may be cleared (bounded RANGE only).
    cleanup_at: Option<i64>,
}

/// Input rows held by the operator, stored column-wise; dead slots are compacted away.
struct RowArena {
    rows: Batch,
    live: usize,
}

impl RowArena {
    fn new(types: &[DataType]) -> Self {
        RowArena { rows: Batch::new(types.iter().map(|t| Column::empty(t, 0)).collect(), 0), live: 0 }
    }

    fn push(&mut self, batch: &Batch, row: usize) -> u32 {
        let mut columns = std::mem::take(&mut self.rows.columns);
        for (dst, src) in columns.iter_mut().zip(&batch.columns) {
            append_value(dst, src, row);
        }
        let len = self.rows.len() + 1;
        self.rows = Batch::new(columns, len);
        self.live += 1;
        (len - 1) as u32
    }

    fn free(&mut self) {
        self.live -= 1;
    }
}

pub struct OverAggregate {
    mode: Mode,
    partition_columns: Vec<usize>,
    time_column: usize,
    partitions_by_key: GroupTable,
    partitions: Vec<Partition>,
    accumulators: Accumulators,
    /// Event-time timers, (time, partition), fired in time order as Flink's timer queue does;
    /// a timer is registered once per partition and time.
    timers: BTreeSet<(i64, u32)>,
    arena: RowArena,
    watermark: i64,
    input_types: Vec<DataType>,
    agg_types: Vec<DataType>,
    late: LateLog,
    metrics: OperatorMetrics,
    /// Ordered by processing time (see the module's end).
    proctime: bool,
}

/// Rows emitted while handling one batch: arena slots and their aggregate values.
struct Emitted {
    rows: Vec<u32>,
    aggs: BatchBuilder,
}

impl OverAggregate {
    pub fn new(frame: OverFrame, partition_columns: Vec<usize>, time_column: usize, calls: &[AggCall], input_types: Vec<DataType>) -> Self {
        let mode = match frame {
            // Flink's precedingOffset for ROWS is n + 1: the frame holds n + 1 rows.
            OverFrame::Rows { preceding: Some(n) } => {
                Mode::BoundedRows { rows: usize::try_from(n).unwrap_or(usize::MAX).saturating_add(1) }
            }
            OverFrame::Range { preceding: Some(ms) } => Mode::BoundedRange { range: ms },
            OverFrame::Rows { preceding: None } => Mode::UnboundedRows,
            OverFrame::Range { preceding: None } => Mode::UnboundedRange,
        };
        let bounded = matches!(mode, Mode::BoundedRows { .. } | Mode::BoundedRange { .. });
        let key_types: Vec<DataType> = partition_columns.iter().map(|&c| input_types[c].clone()).collect();
        OverAggregate {
            mode,
            partition_columns,
            time_column,
            partitions_by_key: GroupTable::new(&key_types),
            partitions: Vec::new(),
            // Bounded frames take rows back out as they leave the frame.
            accumulators: Accumulators::new(calls, bounded),
            timers: BTreeSet::new(),
            arena: RowArena::new(&input_types),
            watermark: NO_WATERMARK,
            agg_types: calls.iter().map(|c| c.ty.data_type.clone()).collect(),
            input_types,
            late: LateLog::default(),
            metrics: OperatorMetrics::default(),
            proctime: false,
        }
    }

    /// The same window ordered by processing time.
    pub fn on_processing_time(mut self) -> Self {
        self.proctime = true;
        self
    }

    /// Processing time, a frame other than bounded RANGE: the row is emitted at once.
    fn emit_row_now(&mut self, batch: &Batch, i: usize, ts: i64, out: &mut Emitted) {
        let (p, new) = self.partitions_by_key.find_or_insert(batch, &self.partition_columns, i);
        if new {
            self.partitions.push(Partition::default());
            self.accumulators.add_group();
        }
        let slot = self.arena.push(batch, i);
        if let Mode::BoundedRows { rows: frame_rows } = self.mode {
            let part = &mut self.partitions[p as usize];
            if part.frame.len() >= frame_rows {
                if let Some((_, old)) = part.frame.pop_front() {
                    self.accumulators.update(p, &self.arena.rows, old as usize, true);
                    self.arena.free();
                }
            }
            part.frame.push_back((ts, slot));
            self.accumulators.update(p, &self.arena.rows, slot as usize, false);
            emit(&self.accumulators, p, &[slot], batch.arrival_watermark(i), out);
        } else {
            self.accumulators.update(p, &self.arena.rows, slot as usize, false);
            emit(&self.accumulators, p, &[slot], batch.arrival_watermark(i), out);
            self.arena.free();
        }
    }

    /// Takes one row (after the timers due at its arrival watermark have fired).
    fn take_row(&mut self, batch: &Batch, i: usize, ts: i64) {
        let (p, new) = self.partitions_by_key.find_or_insert(batch, &self.partition_columns, i);
        if new {
            self.partitions.push(Partition::default());
            self.accumulators.add_group();
        }
        let part = &mut self.partitions[p as usize];
        let accepted = match self.mode {
            Mode::BoundedRows { .. } | Mode::BoundedRange { .. } => ts > part.last_fired,
            Mode::UnboundedRows | Mode::UnboundedRange => ts > self.watermark,
        };
        if !accepted {
            self.late.record(batch, i, &self.input_types, ts, self.watermark);
            return;
        }
        let slot = self.arena.push(batch, i);
        let first_at_ts = !part.pending.contains_key(&ts);
        part.pending.entry(ts).or_default().push(slot);
        match self.mode {
            Mode::BoundedRows { .. } => {
                if first_at_ts {
                    self.timers.insert((ts, p));
                }
            }
            Mode::BoundedRange { range } => {
                if first_at_ts {
                    self.timers.insert((ts, p));
                }
                // Flink's registerCleanupTimer: move the clean-up point only when it would come
                // too early for this row, and never delete the timer registered before.
                // A processing-time timer at T fires with the watermark at T − 1.
                let shift = if self.proctime { 0 } else { 1 };
                let min_cleanup = ts.saturating_add(range).saturating_add(shift);
                let max_cleanup = ts.saturating_add((range as f64 * 1.5) as i64).saturating_add(shift);
                if part.cleanup_at.is_none_or(|c| c < min_cleanup) {
                    self.timers.insert((max_cleanup, p));
                    part.cleanup_at = Some(max_cleanup);
                }
            }
            Mode::UnboundedRows | Mode::UnboundedRange => {
                // One timer for the next watermark (at 0 while the watermark is negative).
                let at = if self.watermark < 0 { 0 } else { self.watermark + 1 };
                self.timers.insert((at, p));
            }
        }
    }

    /// The watermark moved to `watermark`: fires every timer at or before it, in time order.
    fn advance(&mut self, watermark: i64, out: &mut Emitted) {
        let emitted_under = self.watermark;
        while let Some(&(t, p)) = self.timers.first() {
            if t > watermark {
                break;
            }
            self.timers.pop_first();
            self.on_timer(t, p, watermark, emitted_under, out);
        }
        self.watermark = watermark;
    }

    fn on_timer(&mut self, t: i64, p: u32, watermark: i64, emitted_under: i64, out: &mut Emitted) {
        let g = p as usize;
        match self.mode {
            Mode::BoundedRows { rows: frame_rows } => {
                if let Some(rows) = self.partitions[g].pending.remove(&t) {
                    for slot in rows {
                        let part = &mut self.partitions[g];
                        if part.frame.len() >= frame_rows {
                            if let Some((_, old)) = part.frame.pop_front() {
                                self.accumulators.update(p, &self.arena.rows, old as usize, true);
                                self.arena.free();
                            }
                        }
                        self.accumulators.update(p, &self.arena.rows, slot as usize, false);
                        self.partitions[g].frame.push_back((t, slot));
                        emit(&self.accumulators, p, &[slot], emitted_under, out);
                    }
                }
                self.partitions[g].last_fired = t;
            }
            Mode::BoundedRange { range } => {
                if self.partitions[g].cleanup_at.is_some_and(|c| c <= t) {
                    // No row came that needs the state: Flink clears it, including the last
                    // fired timestamp (so the partition starts afresh).
                    let part = std::mem::take(&mut self.partitions[g]);
                    for _ in part.pending.values().flatten().chain(part.frame.iter().map(|(_, s)| s)) {
                        self.arena.free();
                    }
                    self.accumulators.reset(p);
                    return;
                }
                if let Some(rows) = self.partitions[g].pending.remove(&t) {
                    while let Some(&(ts, old)) = self.partitions[g].frame.front() {
                        if t.saturating_sub(ts) <= range {
                            break;
                        }
                        self.partitions[g].frame.pop_front();
                        self.accumulators.update(p, &self.arena.rows, old as usize, true);
                        self.arena.free();
                    }
                    for &slot in &rows {
                        self.accumulators.update(p, &self.arena.rows, slot as usize, false);
                    }
                    emit(&self.accumulators, p, &rows, emitted_under, out);
                    self.partitions[g].frame.extend(rows.into_iter().map(|s| (t, s)));
                }
                // Also when this was an outdated clean-up timer: the quirk described above.
                self.partitions[g].last_fired = t;
            }
            Mode::UnboundedRows | Mode::UnboundedRange => {
                let part = &mut self.partitions[g];
                let later = part.pending.split_off(&watermark.saturating_add(1));
                let due = std::mem::replace(&mut part.pending, later);
                for (_, rows) in due {
                    if self.mode == Mode::UnboundedRows {
                        for slot in rows {
                            self.accumulators.update(p, &self.arena.rows, slot as usize, false);
                            emit(&self.accumulators, p, &[slot], emitted_under, out);
                            self.arena.free();
                        }
                    } else {
                        for &slot in &rows {
                            self.accumulators.update(p, &self.arena.rows, slot as usize, false);
                        }
                        emit(&self.accumulators, p, &rows, emitted_under, out);
                        for _ in &rows {
                            self.arena.free();
                        }
                    }
                }
                if !self.partitions[g].pending.is_empty() && watermark < i64::MAX {
                    self.timers.insert((watermark + 1, p));
                }
            }
        }
    }

    fn finish(&mut self, emitted: Emitted, out: &mut Vec<Batch>) {
        if !emitted.rows.is_empty() {
            let aggs = emitted.aggs.finish();
            let n = emitted.rows.len();
            let mut columns = self.arena.rows.gather(&emitted.rows).columns;
            columns.extend(aggs.columns);
            let mut batch = Batch::new(columns, n);
            batch.arrival_watermarks = aggs.arrival_watermarks;
            self.metrics.records_out += n as u64;
            out.push(batch);
        }
        self.compact();
        self.metrics.late_records_dropped = self.late.dropped;
        self.metrics.state_rows = self.arena.live as u64;
    }

    /// Drops dead arena slots once they outnumber the live ones.
    fn compact(&mut self) {
        let dead = self.arena.rows.len() - self.arena.live;
        if dead < 1024 || dead < self.arena.live {
            return;
        }
        let mut keep: Vec<u32> = Vec::with_capacity(self.arena.live);
        for part in &self.partitions {
            keep.extend(part.pending.values().flatten());
            keep.extend(part.frame.iter().map(|(_, s)| *s));
        }
        keep.sort_unstable();
        let mut moved_to = vec![u32::MAX; self.arena.rows.len()];
        for (new, &old) in keep.iter().enumerate() {
            moved_to[old as usize] = new as u32;
        }
        for part in &mut self.partitions {
            for slot in part.pending.values_mut().flatten() {
                *slot = moved_to[*slot as usize];
            }
            for (_, slot) in part.frame.iter_mut() {
                *slot = moved_to[*slot as usize];
            }
        }
        self.arena.rows = self.arena.rows.gather(&keep);
        self.arena.live = keep.len();
    }
}

fn emit(accumulators: &Accumulators, p: u32, slots: &[u32], watermark: i64, out: &mut Emitted) {
    let mut values: Vec<Value> = Vec::new();
    accumulators.results(p, &mut values);
    for &slot in slots {
        out.rows.push(slot);
        out.aggs.push(RowKind::Insert, &values, watermark);
    }
}

impl Operator for OverAggregate {
    fn name(&self) -> String {
        "OverAggregate".to_string()
    }

    fn process(&mut self, batch: Batch, out: &mut Vec<Batch>) -> Result<(), EvalError> {
        self.metrics.records_in += batch.len() as u64;
        let mut emitted = Emitted { rows: Vec::new(), aggs: BatchBuilder::new(&self.agg_types) };
        let time = &batch.columns[self.time_column];
        let ColumnData::Int(times) = &time.data else {
            return Err(EvalError("the OVER window's time column is not a timestamp".into()));
        };
        for (i, &t) in times.iter().enumerate() {
            let arrival = batch.arrival_watermark(i);
            if arrival > self.watermark {
                self.advance(arrival, &mut emitted);
            }
            // Flink reads a NULL rowtime as 0.
            let ts = if time.is_valid(i) { t } else { 0 };
            if self.proctime && !matches!(self.mode, Mode::BoundedRange { .. }) {
                self.emit_row_now(&batch, i, ts, &mut emitted);
            } else {
                self.take_row(&batch, i, ts);
            }
        }
        self.finish(emitted, out);
        Ok(())
    }

    fn on_watermark(&mut self, watermark: i64, out: &mut Vec<Batch>) -> Result<(), EvalError> {
        if watermark <= self.watermark {
            return Ok(());
        }
        let mut emitted = Emitted { rows: Vec::new(), aggs: BatchBuilder::new(&self.agg_types) };
        self.advance(watermark, &mut emitted);
        self.finish(emitted, out);
        Ok(())
    }

    fn metrics(&self) -> OperatorMetrics {
        self.metrics.clone()
    }

    fn late_records(&self) -> Vec<LateRecord> {
        self.late.recent()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::logical::AggFunc;
    use crate::types::SqlType;

    /// Rows (sensor, time) arriving in order, each under the watermark time − 5 s of the row
    /// before it.
    fn batch(rows: &[(i64, i64)], watermark_before: i64) -> Batch {
        let mut wm = watermark_before;
        let mut stamps = Vec::new();
        for &(_, t) in rows {
            stamps.push(wm);
            wm = wm.max(t - 5000);
        }
        let mut b = Batch::new(
            vec![
                Column::new(ColumnData::Int(rows.iter().map(|r| r.0).collect())),
                Column::new(ColumnData::Int(rows.iter().map(|r| r.1).collect())),
            ],
            rows.len(),
        );
        b.arrival_watermarks = Some(stamps);
        b
    }

    fn count_star() -> AggCall {
        AggCall {
            func: AggFunc::CountStar,
            arg: None,
            distinct: false,
            separator: None,
            ty: SqlType::not_null(DataType::BigInt),
            arg_ty: None,
            filter: None,
        }
    }

    #[test]
    fn rows_leave_state_as_they_leave_the_frame() {
        let mut op = OverAggregate::new(
            OverFrame::Rows { preceding: Some(1) },
            vec![0],
            1,
            &[count_star()],
            vec![DataType::Int, DataType::Timestamp(3)],
        );
        let mut out = Vec::new();
        let mut wm = NO_WATERMARK;
        for chunk in 0..50 {
            let rows: Vec<(i64, i64)> = (0..100).map(|i| (i % 3, 1_000_000 + (chunk * 100 + i) * 100)).collect();
            let b = batch(&rows, wm);
            wm = rows.iter().map(|r| r.1 - 5000).max().unwrap_or(wm).max(wm);
            op.process(b, &mut out).unwrap();
            // Held: the 2-row frame of each of 3 partitions, plus the last 5 s (50 rows) waiting.
            assert!(op.metrics().state_rows <= 6 + 51, "{:?}", op.metrics());
            assert!(op.arena.rows.len() <= 2 * 1024 + 200, "arena of {} slots", op.arena.rows.len());
        }
        op.on_watermark(i64::MAX, &mut out).unwrap();
        assert_eq!(out.iter().map(Batch::len).sum::<usize>(), 5000);
        assert_eq!(op.metrics().state_rows, 6);
    }

    #[test]
    fn range_state_is_cleared_once_a_partition_goes_quiet() {
        let mut op = OverAggregate::new(
            OverFrame::Range { preceding: Some(10_000) },
            vec![0],
            1,
            &[count_star()],
            vec![DataType::Int, DataType::Timestamp(3)],
        );
        let mut out = Vec::new();
        op.process(batch(&[(1, 1_000_000), (1, 1_001_000)], NO_WATERMARK), &mut out).unwrap();
        assert_eq!(op.metrics().state_rows, 2);
        // Far later rows of another partition: sensor 1's clean-up timer fires and frees it.
        op.process(batch(&[(2, 2_000_000), (2, 2_000_001)], 1_001_000 - 5000), &mut out).unwrap();
        // Sensor 1's two rows came out and its state went at 1 015 001; sensor 2's two wait.
        assert_eq!(out.iter().map(Batch::len).sum::<usize>(), 2);
        assert_eq!(op.metrics().state_rows, 2);
        assert!(op.partitions[0].frame.is_empty() && op.partitions[0].pending.is_empty());
    }
}
