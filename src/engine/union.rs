//! UNION ALL over one source: every input batch runs through each branch's chain of
//! operators, and the branches' outputs are merged back into arrival order.
//!
//! Flink reads the (reused) source once and hands each record to both branches. Merging the
//! branch outputs by their rows' arrival watermarks (stable, so branch order breaks ties)
//! keeps per-record lateness exact downstream: a window after the union never sees a row
//! "from the past" just because another branch's rows of the same batch came first.

use super::eval::EvalError;
use super::operator::{run_chain, LateRecord, Operator, OperatorMetrics};
use crate::types::{Batch, Column, RowKind};

pub type Chain = Vec<Box<dyn Operator>>;

pub struct Union {
    branches: Vec<Chain>,
    metrics: OperatorMetrics,
}

impl Union {
    pub fn new(branches: Vec<Chain>) -> Self {
        Union { branches, metrics: OperatorMetrics::default() }
    }
}

/// All rows of `batches`, stably ordered by arrival watermark, as one batch.
fn merge_by_arrival(batches: Vec<Batch>) -> Option<Batch> {
    let mut batches: Vec<Batch> = batches.into_iter().filter(|b| !b.is_empty()).collect();
    if batches.len() <= 1 {
        return batches.pop();
    }
    let len: usize = batches.iter().map(Batch::len).sum();
    let mut columns: Vec<Column> = batches[0].columns.clone();
    let mut kinds: Vec<RowKind> = (0..batches[0].len()).map(|i| batches[0].kind(i)).collect();
    let mut arrivals: Vec<i64> = (0..batches[0].len()).map(|i| batches[0].arrival_watermark(i)).collect();
    for b in &batches[1..] {
        for (c, other) in columns.iter_mut().zip(&b.columns) {
            c.extend(other);
        }
        kinds.extend((0..b.len()).map(|i| b.kind(i)));
        arrivals.extend((0..b.len()).map(|i| b.arrival_watermark(i)));
    }
    let mut all = Batch::new(columns, len);
    all.kinds = kinds.iter().any(|k| *k != RowKind::Insert).then_some(kinds);
    let mut order: Vec<u32> = (0..len as u32).collect();
    order.sort_by_key(|&i| arrivals[i as usize]);
    all.arrival_watermarks = Some(arrivals);
    Some(all.gather(&order))
}

impl Operator for Union {
    fn name(&self) -> String {
        "Union".to_string()
    }

    fn process(&mut self, batch: Batch, out: &mut Vec<Batch>) -> Result<(), EvalError> {
        self.metrics.records_in += batch.len() as u64;
        let mut produced = Vec::new();
        for branch in &mut self.branches {
            run_chain(branch, vec![batch.clone()], &mut produced)?;
        }
        if let Some(b) = merge_by_arrival(produced) {
            self.metrics.records_out += b.len() as u64;
            out.push(b);
        }
        Ok(())
    }

    fn on_watermark(&mut self, watermark: i64, out: &mut Vec<Batch>) -> Result<(), EvalError> {
        let mut produced = Vec::new();
        for branch in &mut self.branches {
            for i in 0..branch.len() {
                let mut fired = Vec::new();
                branch[i].on_watermark(watermark, &mut fired)?;
                if !fired.is_empty() {
                    run_chain(&mut branch[i + 1..], fired, &mut produced)?;
                }
            }
        }
        if let Some(b) = merge_by_arrival(produced) {
            self.metrics.records_out += b.len() as u64;
            out.push(b);
        }
        Ok(())
    }

    fn set_now(&mut self, now_ms: i64) {
        for op in self.branches.iter_mut().flatten() {
            op.set_now(now_ms);
        }
    }

    fn metrics(&self) -> OperatorMetrics {
        let inner = self.branches.iter().flatten().map(|o| o.metrics());
        let (late, state) = inner.fold((0, 0), |(l, s), m| (l + m.late_records_dropped, s + m.state_rows));
        OperatorMetrics { late_records_dropped: late, state_rows: state, ..self.metrics.clone() }
    }

    fn late_records(&self) -> Vec<LateRecord> {
        self.branches.iter().flatten().flat_map(|o| o.late_records()).collect()
    }

    fn next_timer(&self) -> Option<i64> {
        self.branches.iter().flatten().filter_map(|o| o.next_timer()).min()
    }
}
