//! SESSION as a window table function without an aggregate over it (Flink's
//! `UnalignedWindowTableFunctionOperator`): per `PARTITION BY` key, a record opens the session
//! [ts, ts + gap) and merges with every session it touches, as the session window aggregate's
//! do; the rows are held until the watermark reaches the session's end − 1, then each comes out
//! once with window_start, window_end and window_time (end − 1) appended. A record is late, and
//! dropped, only if the session it would join has already closed.

use super::late::LateLog;
use super::open_sessions::{Join, OpenSessions};
use crate::engine::eval::EvalError;
use crate::engine::operator::{LateRecord, Operator, OperatorMetrics};
use crate::engine::watermark::NO_WATERMARK;
use crate::types::{Batch, BatchBuilder, ColumnData, DataType, RowKind, Value};

pub struct SessionTableFunction {
    key_columns: Vec<usize>,
    time_column: usize,
    /// Each session's state is its rows: an index into `held`.
    sessions: OpenSessions,
    held: Vec<Vec<Vec<Value>>>,
    /// Rows held in all sessions.
    held_rows: u64,
    free: Vec<u32>,
    watermark: i64,
    input_types: Vec<DataType>,
    output_types: Vec<DataType>,
    late: LateLog,
    metrics: OperatorMetrics,
}

impl SessionTableFunction {
    pub fn new(gap: i64, key_columns: Vec<usize>, time_column: usize, input_types: Vec<DataType>) -> Self {
        let key_types: Vec<DataType> = key_columns.iter().map(|&c| input_types[c].clone()).collect();
        let mut output_types = input_types.clone();
        output_types.extend([DataType::Timestamp(3), DataType::Timestamp(3), DataType::Timestamp(3)]);
        SessionTableFunction {
            key_columns,
            time_column,
            sessions: OpenSessions::new(gap, &key_types),
            held: Vec::new(),
            held_rows: 0,
            free: Vec::new(),
            watermark: NO_WATERMARK,
            input_types,
            output_types,
            late: LateLog::default(),
            metrics: OperatorMetrics::default(),
        }
    }

    /// Emits every session whose end − 1 the watermark has reached, its rows in arrival order.
    fn fire(&mut self, watermark: i64, emit: &mut BatchBuilder) {
        while let Some((_, session)) = self.sessions.close_due(watermark) {
            let bounds = [Value::Timestamp(session.start), Value::Timestamp(session.end), Value::Timestamp(session.end - 1)];
            for mut row in std::mem::take(&mut self.held[session.state as usize]) {
                row.extend(bounds.iter().cloned());
                emit.push(RowKind::Insert, &row, self.watermark);
                self.metrics.records_out += 1;
                self.held_rows -= 1;
            }
            self.free.push(session.state);
        }
    }

    fn allocate(&mut self) -> u32 {
        self.free.pop().unwrap_or_else(|| {
            self.held.push(Vec::new());
            (self.held.len() - 1) as u32
        })
    }
}

impl Operator for SessionTableFunction {
    fn name(&self) -> String {
        "WindowTableFunction".to_string()
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
            let rows = match merged.first() {
                Some(first) => first.state,
                None => self.allocate(),
            };
            for s in &merged {
                if s.state != rows {
                    let moved = std::mem::take(&mut self.held[s.state as usize]);
                    self.held[rows as usize].extend(moved);
                    self.free.push(s.state);
                }
            }
            self.held[rows as usize].push(batch.row(i, &self.input_types));
            self.held_rows += 1;
            self.sessions.open(key, start, end, rows);
        }
        if !emit.is_empty() {
            out.push(emit.finish());
        }
        self.metrics.late_records_dropped = self.late.dropped;
        self.metrics.state_rows = self.held_rows;
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
        self.metrics.state_rows = self.held_rows;
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
