//! The session window aggregate: per key, a record opens the window [ts, ts + gap) and merges
//! with every session it touches. A session fires when the watermark reaches its end − 1. A
//! record is late only if, after merging with the sessions still open, its session has already
//! ended under the watermark (it found no open session to join).

use super::late::LateLog;
use super::open_sessions::{Join, OpenSessions};
use crate::engine::accumulator::Accumulators;
use crate::engine::eval::EvalError;
use crate::engine::operator::{LateRecord, Operator, OperatorMetrics};
use crate::engine::watermark::NO_WATERMARK;
use crate::plan::logical::AggCall;
use crate::types::{Batch, BatchBuilder, ColumnData, DataType, RowKind, Value};

pub struct SessionWindowAggregate {
    key_columns: Vec<usize>,
    time_column: usize,
    /// Each session's state is a group of `accumulators`.
    sessions: OpenSessions,
    accumulators: Accumulators,
    free: Vec<u32>,
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
            key_columns: (0..key_types.len()).collect(),
            time_column,
            sessions: OpenSessions::new(gap, key_types),
            accumulators: Accumulators::new(calls, false),
            free: Vec::new(),
            watermark: NO_WATERMARK,
            input_types,
            output_types,
            late: LateLog::default(),
            metrics: OperatorMetrics::default(),
        }
    }

    fn fire(&mut self, watermark: i64, emit: &mut BatchBuilder) {
        let mut row = Vec::with_capacity(self.output_types.len());
        while let Some((key, session)) = self.sessions.close_due(watermark) {
            row.clear();
            self.sessions.key(key, &mut row);
            self.accumulators.results(session.state, &mut row);
            row.extend([Value::Timestamp(session.start), Value::Timestamp(session.end), Value::Timestamp(session.end - 1)]);
            emit.push(RowKind::Insert, &row, self.watermark);
            self.metrics.records_out += 1;
            self.accumulators.reset(session.state);
            self.free.push(session.state);
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
            let (key, start, end, merged) = match self.sessions.join(&batch, &self.key_columns, i, ts, self.watermark) {
                Join::Late { window } => {
                    self.late.record_missing(&batch, i, &self.input_types, ts, self.watermark, vec![window]);
                    continue;
                }
                Join::Open { key, start, end, merged } => (key, start, end, merged),
            };
            let acc = match merged.first() {
                Some(first) => first.state,
                None => self.allocate(),
            };
            for s in &merged {
                if s.state != acc {
                    self.accumulators.merge_groups(acc, s.state);
                    self.accumulators.reset(s.state);
                    self.free.push(s.state);
                }
            }
            self.accumulators.update(acc, &batch, i, false);
            if let Some(failure) = self.accumulators.take_failure() {
                return Err(EvalError(failure));
            }
            self.sessions.open(key, start, end, acc);
        }
        if !emit.is_empty() {
            out.push(emit.finish());
        }
        self.metrics.late_records_dropped = self.late.dropped;
        self.metrics.state_rows = self.sessions.len() as u64;
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
        self.metrics.state_rows = self.sessions.len() as u64;
        Ok(())
    }

    fn metrics(&self) -> OperatorMetrics {
        self.metrics.clone()
    }

    fn late_records(&self) -> Vec<LateRecord> {
        self.late.recent()
    }

    fn pending_windows(&self, limit: usize) -> Vec<(i64, i64)> {
        self.sessions.pending_windows(limit)
    }

    fn pending_window_count(&self) -> usize {
        self.sessions.len()
    }

    fn next_timer(&self) -> Option<i64> {
        self.sessions.next_timer()
    }
}
