//! A window table function without an aggregate over it (Flink's
//! `WindowTableFunctionOperator`): each row once per tumbling, hopping or cumulating window it
//! falls in, with window_start, window_end and window_time (end − 1) appended. A window that
//! has already fired (end − 1 at or behind the watermark the row arrived under) is skipped.

use super::slicing::SliceAssigner;
use crate::engine::eval::EvalError;
use crate::engine::operator::{Operator, OperatorMetrics};
use crate::types::{Batch, Column, ColumnData};

pub struct WindowTableFunction {
    assigner: SliceAssigner,
    time_column: usize,
    metrics: OperatorMetrics,
}

impl WindowTableFunction {
    pub fn new(assigner: SliceAssigner, time_column: usize) -> Self {
        WindowTableFunction { assigner, time_column, metrics: OperatorMetrics::default() }
    }
}

impl Operator for WindowTableFunction {
    fn name(&self) -> String {
        "WindowTableFunction".to_string()
    }

    fn process(&mut self, batch: Batch, out: &mut Vec<Batch>) -> Result<(), EvalError> {
        self.metrics.records_in += batch.len() as u64;
        let time = &batch.columns[self.time_column];
        let ColumnData::Int(times) = &time.data else {
            return Err(EvalError("the window's time column is not a timestamp".into()));
        };
        let mut rows: Vec<u32> = Vec::with_capacity(batch.len());
        let (mut starts, mut ends, mut marks): (Vec<i64>, Vec<i64>, Vec<i64>) = Default::default();
        for (i, &ts) in times.iter().enumerate() {
            if !time.is_valid(i) {
                continue;
            }
            let wm = batch.arrival_watermark(i);
            let slice_end = self.assigner.slice_end(ts);
            for end in self.assigner.window_ends(slice_end) {
                rows.push(i as u32);
                starts.push(self.assigner.window_start(end));
                ends.push(end);
                marks.push(wm);
            }
        }
        if rows.is_empty() {
            return Ok(());
        }
        let mut result = batch.gather(&rows);
        let n = rows.len();
        let mut columns = std::mem::take(&mut result.columns);
        let window_time: Vec<i64> = ends.iter().map(|e| e - 1).collect();
        for values in [starts, ends, window_time] {
            columns.push(Column::new(ColumnData::Int(values)));
        }
        let mut b = Batch::new(columns, n);
        b.kinds = result.kinds;
        b.arrival_watermarks = Some(marks);
        self.metrics.records_out += n as u64;
        out.push(b);
        Ok(())
    }

    fn metrics(&self) -> OperatorMetrics {
        self.metrics.clone()
    }
}
