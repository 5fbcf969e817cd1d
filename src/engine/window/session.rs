//! The session window aggregate: per key, a record opens the window [ts, ts + gap) and merges
//! with every session it touches. A session fires when the watermark reaches its end − 1. A
//! record is late only if, after merging with the sessions still open, its session has already
//! ended under the watermark (it found no open session to join).

use std::collections::BTreeSet;

use super::late::LateLog;
use crate::engine::accumulator::Accumulators;
use crate::engine::eval::EvalError;
use crate::engine::group_table::GroupTable;
use crate::engine::operator::{LateRecord, Operator, OperatorMetrics};
use crate::engine::watermark::NO_WATERMARK;
use crate::plan::logical::AggCall;
use crate::types::{Batch, BatchBuilder, ColumnData, DataType, RowKind, Value};

#[derive(Clone, Copy, Debug)]
struct Session {
    start: i64,
    end: i64,
    acc: u32,
}

pub struct SessionWindowAggregate {
    gap: i64,
    key_columns: Vec<usize>,
    time_column: usize,
    keys: GroupTable,
    sessions: Vec<Vec<Session>>,
    accumulators: Accumulators,
    free: Vec<u32>,
    /// (end, key, start) of every open session, to fire in end order.
    timers: BTreeSet<(i64, u32, i64)>,
    watermark: i64,
    input_types: Vec<DataType>,
    output_types: Vec<DataType>,
    late: LateLog,
    metrics: OperatorMetrics,
}

impl SessionWindowAggregate {
    pub fn new(gap: i64, key_types: &[DataType], calls: &[AggCall], time_column: usize, input_types: Vec<DataType>) -> Self {
        let mut output_types = key_types.to_vec();
        output_types.extend(calls.iter().map(|c| c.ty.data_type.clone()));
        output_types.extend([DataType::Timestamp(3), DataType::Timestamp(3), DataType::Timestamp(3)]);
        SessionWindowAggregate {
            gap,
            key_columns: (0..key_types.len()).collect(),
            time_column,
            keys: GroupTable::new(key_types),
            sessions: Vec::new(),
            accumulators: Accumulators::new(calls, false),
            free: Vec::new(),
            timers: BTreeSet::new(),
            watermark: NO_WATERMARK,
            input_types,
            output_types,
            late: LateLog::default(),
            metrics: OperatorMetrics::default(),
        }
    }

    fn fire(&mut self, watermark: i64, emit: &mut BatchBuilder) {
        let mut row = Vec::with_capacity(self.output_types.len());
        while let Some(&(end, key, start)) = self.timers.first() {
            if end - 1 > watermark {
                break;
            }
            self.timers.pop_first();
            let list = &mut self.sessions[key as usize];
            let Some(pos) = list.iter().position(|s| s.start == start && s.end == end) else { continue };
            let session = list.swap_remove(pos);
            row.clear();
            self.keys.key(key, &mut row);
            self.accumulators.results(session.acc, &mut row);
            row.extend([Value::Timestamp(start), Value::Timestamp(end), Value::Timestamp(end - 1)]);
            emit.push(RowKind::Insert, &row, self.watermark);
            self.metrics.records_out += 1;
            self.accumulators.reset(session.acc);
            self.free.push(session.acc);
        }
    }

    fn allocate(&mut self) -> u32 {
        self.free.pop().unwrap_or_else(|| self.accumulators.add_group())
    }
}

impl Operator for SessionWindowAggregate {
    fn name(&self) -> String {
        "SessionWindowAggregate".to_string()
    }

    fn process(&mut self, batch: Batch, out: &mut Vec<Batch>) -> Result<(), EvalError> {
        self.metrics.records_in += batch.len() as u64;
        let time = &batch.columns[self.time_column];
        let ColumnData::Int(times) = &time.data else {
            return Err(EvalError("the window's time column is not a timestamp".into()));
        };
        let mut emit = BatchBuilder::new(&self.output_types);
        for (i, &ts) in times.iter().enumerate() {
            let arrival = batch.arrival_watermark(i);
            if arrival > self.watermark {
                self.fire(arrival, &mut emit);
                self.watermark = arrival;
            }
            if !time.is_valid(i) {
                continue;
            }
            let (key, new) = self.keys.find_or_insert(&batch, &self.key_columns, i);
            if new {
                self.sessions.push(Vec::new());
            }
            let (mut start, mut end) = (ts, ts.saturating_add(self.gap));
            let list = &mut self.sessions[key as usize];
            let mut merged: Vec<Session> = Vec::new();
            list.retain(|s| {
                let touches = s.start <= end && s.end >= start;
                if touches {
                    merged.push(*s);
                }
                !touches
            });
            for s in &merged {
                start = start.min(s.start);
                end = end.max(s.end);
            }
            if merged.is_empty() && end - 1 <= self.watermark {
                let missed = vec![(ts, ts.saturating_add(self.gap))];
                self.late.record_missing(&batch, i, &self.input_types, ts, self.watermark, missed);
                continue;
            }
            let acc = match merged.first() {
                Some(first) => first.acc,
                None => self.allocate(),
            };
            for s in &merged {
                self.timers.remove(&(s.end, key, s.start));
                if s.acc != acc {
                    self.accumulators.merge_groups(acc, s.acc);
                    self.accumulators.reset(s.acc);
                    self.free.push(s.acc);
                }
            }
            self.accumulators.update(acc, &batch, i, false);
            if let Some(failure) = self.accumulators.take_failure() {
                return Err(EvalError(failure));
            }
            self.sessions[key as usize].push(Session { start, end, acc });
            self.timers.insert((end, key, start));
        }
        if !emit.is_empty() {
            out.push(emit.finish());
        }
        self.metrics.late_records_dropped = self.late.dropped;
        self.metrics.state_rows = self.timers.len() as u64;
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
        self.metrics.state_rows = self.timers.len() as u64;
        Ok(())
    }

    fn metrics(&self) -> OperatorMetrics {
        self.metrics.clone()
    }

    fn late_records(&self) -> Vec<LateRecord> {
        self.late.recent()
    }

    fn pending_windows(&self, limit: usize) -> Vec<(i64, i64)> {
        let mut out: Vec<(i64, i64)> = Vec::with_capacity(limit.min(self.timers.len()));
        for &(end, _, start) in &self.timers {
            if out.len() == limit {
                break;
            }
            // One entry per distinct session bounds: many keys share a window.
            if out.last() != Some(&(start, end)) {
                out.push((start, end));
            }
        }
        out
    }

    fn pending_window_count(&self) -> usize {
        self.timers.len()
    }

    fn next_timer(&self) -> Option<i64> {
        self.timers.first().map(|(end, _, _)| end - 1)
    }
}
