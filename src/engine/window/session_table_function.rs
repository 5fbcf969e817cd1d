//! SESSION as a window table function without an aggregate over it (Flink's
//! `UnalignedWindowTableFunctionOperator`): per `PARTITION BY` key, a record opens the session
//! [ts, ts + gap) and merges with every session it touches, as the session window aggregate's
//! do; the rows are held until the watermark reaches the session's end − 1, then each comes out
//! once with window_start, window_end and window_time (end − 1) appended. A record is late, and
//! dropped, only if the session it would join has already closed.

use std::collections::BTreeSet;

use super::late::LateLog;
use crate::engine::eval::EvalError;
use crate::engine::group_table::GroupTable;
use crate::engine::operator::{LateRecord, Operator, OperatorMetrics};
use crate::engine::watermark::NO_WATERMARK;
use crate::types::{Batch, BatchBuilder, ColumnData, DataType, RowKind, Value};

#[derive(Clone, Copy, Debug)]
struct Session {
    start: i64,
    end: i64,
    /// Its rows: an index into `held`.
    rows: u32,
}

pub struct SessionTableFunction {
    gap: i64,
    key_columns: Vec<usize>,
    time_column: usize,
    keys: GroupTable,
    sessions: Vec<Vec<Session>>,
    held: Vec<Vec<Vec<Value>>>,
    /// Rows held in all sessions.
    held_rows: u64,
    free: Vec<u32>,
    /// (end, key, start) of every open session, to close in end order.
    timers: BTreeSet<(i64, u32, i64)>,
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
            gap,
            key_columns,
            time_column,
            keys: GroupTable::new(&key_types),
            sessions: Vec::new(),
            held: Vec::new(),
            held_rows: 0,
            free: Vec::new(),
            timers: BTreeSet::new(),
            watermark: NO_WATERMARK,
            input_types,
            output_types,
            late: LateLog::default(),
            metrics: OperatorMetrics::default(),
        }
    }

    /// Emits every session whose end − 1 the watermark has reached, its rows in arrival order.
    fn fire(&mut self, watermark: i64, emit: &mut BatchBuilder) {
        while let Some(&(end, key, start)) = self.timers.first() {
            if end - 1 > watermark {
                break;
            }
            self.timers.pop_first();
            let list = &mut self.sessions[key as usize];
            let Some(pos) = list.iter().position(|s| s.start == start && s.end == end) else { continue };
            let session = list.swap_remove(pos);
            let bounds = [Value::Timestamp(start), Value::Timestamp(end), Value::Timestamp(end - 1)];
            for mut row in std::mem::take(&mut self.held[session.rows as usize]) {
                row.extend(bounds.iter().cloned());
                emit.push(RowKind::Insert, &row, self.watermark);
                self.metrics.records_out += 1;
                self.held_rows -= 1;
            }
            self.free.push(session.rows);
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
            let (key, new) = self.keys.find_or_insert(&batch, &self.key_columns, i);
            if new {
                self.sessions.push(Vec::new());
            }
            let (mut start, mut end) = (ts, ts.saturating_add(self.gap));
            let mut merged: Vec<Session> = Vec::new();
            self.sessions[key as usize].retain(|s| {
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
            let rows = match merged.first() {
                Some(first) => first.rows,
                None => self.allocate(),
            };
            for s in &merged {
                self.timers.remove(&(s.end, key, s.start));
                if s.rows != rows {
                    let moved = std::mem::take(&mut self.held[s.rows as usize]);
                    self.held[rows as usize].extend(moved);
                    self.free.push(s.rows);
                }
            }
            self.held[rows as usize].push(batch.row(i, &self.input_types));
            self.held_rows += 1;
            self.sessions[key as usize].push(Session { start, end, rows });
            self.timers.insert((end, key, start));
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
        let mut out: Vec<(i64, i64)> = Vec::with_capacity(limit.min(self.timers.len()));
        for &(end, _, start) in &self.timers {
            if out.len() == limit {
                break;
            }
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
