//! `ORDER BY rowtime [, other columns]` on a stream, as Flink's `RowTimeSortOperator` (the
//! operator of `StreamExecTemporalSort`) sorts it: rows are buffered by their event time, and
//! when the watermark passes a time its rows come out as `+I`, in time order and, within one
//! time, by the other ORDER BY columns (a stable sort: equal rows keep their arrival order).
//!
//! Which rows are late follows Flink's state, not the watermark alone: the operator remembers
//! the last time it emitted rows for, and drops a row whose time is not after it. A row merely
//! behind the watermark is still taken and comes out at the next watermark that moves.
//!
//! `ORDER BY proc_time [, other columns]` (Flink's `ProcTimeSortOperator`) is the same operator
//! in a pipeline that runs on processing time (watermark = the clock − 1 ms): the rows that
//! arrived at one millisecond come out once the clock has passed it (Flink's timer at `t + 1`),
//! sorted by the other columns; none is late.

use std::collections::BTreeMap;

use super::eval::EvalError;
use super::operator::{emit_rows, LateRecord, Operator, OperatorMetrics};
use super::rank::buffer::RankOrder;
use super::watermark::NO_WATERMARK;
use super::window::late::LateLog;
use crate::plan::logical::SortKey;
use crate::types::{Batch, BatchBuilder, ColumnData, DataType, RowKind, Value};

pub struct TemporalSort {
    time_column: usize,
    /// The ORDER BY columns after the time attribute.
    then_by: RankOrder,
    input_types: Vec<DataType>,
    /// Buffered rows by event time, each time's rows in arrival order.
    pending: BTreeMap<i64, Vec<Vec<Value>>>,
    buffered: u64,
    /// Flink's `lastTriggeringTsState`: the last time rows were emitted for.
    last_fired: Option<i64>,
    watermark: i64,
    late: LateLog,
    metrics: OperatorMetrics,
}

impl TemporalSort {
    /// `order` is the whole ORDER BY; its first key is the time attribute `time_column`.
    pub fn new(time_column: usize, order: &[SortKey], input_types: Vec<DataType>) -> Self {
        TemporalSort {
            time_column,
            then_by: RankOrder { keys: order.iter().skip(1).copied().collect(), types: input_types.clone() },
            input_types,
            pending: BTreeMap::new(),
            buffered: 0,
            last_fired: None,
            watermark: NO_WATERMARK,
            late: LateLog::default(),
            metrics: OperatorMetrics::default(),
        }
    }

    /// The watermark moved to `watermark`: every time at or before it fires, oldest first.
    fn advance(&mut self, watermark: i64, out: &mut BatchBuilder) {
        // Rows fired by a watermark go out before it, under the one in force until then.
        let emitted_under = self.watermark;
        self.watermark = watermark;
        let later = self.pending.split_off(&watermark.saturating_add(1));
        let due = std::mem::replace(&mut self.pending, later);
        for (time, mut rows) in due {
            if !self.then_by.keys.is_empty() {
                let keys = &self.then_by.keys;
                rows.sort_by(|a, b| {
                    let key = |r: &Vec<Value>| keys.iter().map(|k| r[k.column].clone()).collect::<Vec<_>>();
                    self.then_by.compare(&key(a), &key(b))
                });
            }
            self.buffered -= rows.len() as u64;
            for row in &rows {
                out.push(RowKind::Insert, row, emitted_under);
            }
            self.last_fired = Some(time);
        }
    }
}

impl Operator for TemporalSort {
    fn name(&self) -> String {
        "TemporalSort".to_string()
    }

    fn process(&mut self, batch: Batch, out: &mut Vec<Batch>) -> Result<(), EvalError> {
        self.metrics.records_in += batch.len() as u64;
        let mut emit = BatchBuilder::new(&self.input_types);
        let time = &batch.columns[self.time_column];
        let ColumnData::Int(times) = &time.data else {
            return Err(EvalError("the ORDER BY time attribute is not a timestamp".into()));
        };
        for (i, &t) in times.iter().enumerate() {
            if !batch.kind(i).is_accumulate() {
                return Err(EvalError("ORDER BY a time attribute over an updating input is not supported".into()));
            }
            let arrival = batch.arrival_watermark(i);
            if arrival > self.watermark {
                self.advance(arrival, &mut emit);
            }
            // Flink reads a NULL rowtime as 0.
            let ts = if time.is_valid(i) { t } else { 0 };
            if self.last_fired.is_some_and(|last| ts <= last) {
                self.late.record(&batch, i, &self.input_types, ts, self.watermark);
                continue;
            }
            self.pending.entry(ts).or_default().push(batch.row(i, &self.input_types));
            self.buffered += 1;
        }
        emit_rows(emit, &mut self.metrics, out);
        self.metrics.state_rows = self.buffered;
        self.metrics.late_records_dropped = self.late.dropped;
        Ok(())
    }

    fn on_watermark(&mut self, watermark: i64, out: &mut Vec<Batch>) -> Result<(), EvalError> {
        if watermark <= self.watermark {
            return Ok(());
        }
        let mut emit = BatchBuilder::new(&self.input_types);
        self.advance(watermark, &mut emit);
        emit_rows(emit, &mut self.metrics, out);
        self.metrics.state_rows = self.buffered;
        Ok(())
    }

    fn metrics(&self) -> OperatorMetrics {
        self.metrics.clone()
    }

    fn late_records(&self) -> Vec<LateRecord> {
        self.late.recent()
    }

    fn next_timer(&self) -> Option<i64> {
        self.pending.keys().next().copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::Column;

    /// Rows of (time, id), each arriving under the watermark given.
    fn batch(rows: &[(i64, i64, i64)]) -> Batch {
        let (mut t, mut id) = (Column::empty(&DataType::Timestamp(3), 0), Column::empty(&DataType::BigInt, 0));
        for &(ts, v, _) in rows {
            t.push(&Value::Timestamp(ts));
            id.push(&Value::Int(v));
        }
        let mut b = Batch::new(vec![t, id], rows.len());
        b.arrival_watermarks = Some(rows.iter().map(|r| r.2).collect());
        b
    }

    fn ids(out: &[Batch]) -> Vec<i64> {
        let types = [DataType::Timestamp(3), DataType::BigInt];
        let mut ids = Vec::new();
        for b in out {
            for i in 0..b.len() {
                ids.push(match b.row(i, &types)[1] {
                    Value::Int(v) => v,
                    _ => -1,
                });
            }
        }
        ids
    }

    fn sort(order: &[SortKey]) -> TemporalSort {
        TemporalSort::new(0, order, vec![DataType::Timestamp(3), DataType::BigInt])
    }

    const TIME: SortKey = SortKey { column: 0, descending: false, nulls_first: true };

    #[test]
    fn rows_come_out_in_time_order_when_the_watermark_passes_them() {
        let mut s = sort(&[TIME]);
        let mut out = Vec::new();
        s.process(batch(&[(30, 1, 0), (10, 2, 0), (20, 3, 0)]), &mut out).unwrap();
        assert!(out.is_empty());
        s.on_watermark(20, &mut out).unwrap();
        assert_eq!(ids(&out), [2, 3]);
        s.on_watermark(i64::MAX, &mut out).unwrap();
        assert_eq!(ids(&out), [2, 3, 1]);
    }

    /// Late means "at or before the last time emitted", not "behind the watermark".
    #[test]
    fn a_row_behind_the_watermark_but_after_the_last_emitted_time_is_kept() {
        let mut s = sort(&[TIME]);
        let mut out = Vec::new();
        // Watermark 100 fires time 50; then 60 (behind the watermark, after 50) is kept and
        // 50 and 40 are dropped.
        s.process(batch(&[(50, 1, 0), (200, 2, 0), (60, 3, 100), (50, 4, 100), (40, 5, 100)]), &mut out).unwrap();
        assert_eq!(ids(&out), [1]);
        s.on_watermark(150, &mut out).unwrap();
        assert_eq!(ids(&out), [1, 3]);
        assert_eq!(s.metrics().late_records_dropped, 2);
        assert_eq!(s.late_records().iter().map(|r| r.event_time).collect::<Vec<_>>(), [50, 40]);
    }

    #[test]
    fn rows_of_one_time_are_ordered_by_the_other_keys_then_by_arrival() {
        let desc = SortKey { column: 1, descending: true, nulls_first: false };
        let mut s = sort(&[TIME, desc]);
        let mut out = Vec::new();
        s.process(batch(&[(10, 1, 0), (10, 3, 0), (10, 2, 0), (5, 9, 0)]), &mut out).unwrap();
        s.on_watermark(10, &mut out).unwrap();
        assert_eq!(ids(&out), [9, 3, 2, 1]);
    }
}
