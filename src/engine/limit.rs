//! `LIMIT n [OFFSET m]` without ORDER BY over an insert-only input, as Flink's
//! `AppendOnlyFirstNFunction` (the operator of `StreamExecLimit`) computes it: the rows are
//! counted as they arrive, and those numbered `offset + 1 ..= offset + n` pass on as `+I`;
//! every later row is ignored. The result never changes a row it emitted, so once `n` rows are
//! out the operator is [complete](Operator::is_complete) and a job ending in it can finish.
//!
//! Over an unbounded input the rows are "the first n to arrive": at parallelism 1 over a file
//! read in order that is the file's first rows, as in Flink.
//!
//! Over an updating input (a GROUP BY's result) `StreamExecLimit` runs a
//! `RetractableTopNFunction` with no sort key and one partition instead: [`RetractableLimit`].

use super::eval::EvalError;
use super::operator::{Operator, OperatorMetrics};
use super::rank::RetractableTopN;
use crate::types::{Batch, DataType};

pub struct Limit {
    /// Rows numbered `start..=end` (1-based) are kept.
    start: u64,
    end: u64,
    /// Rows seen so far (Flink's per-key counter state; a LIMIT has one key).
    seen: u64,
    metrics: OperatorMetrics,
}

impl Limit {
    pub fn new(offset: u64, fetch: u64) -> Self {
        Limit { start: offset.saturating_add(1), end: offset.saturating_add(fetch), seen: 0, metrics: OperatorMetrics::default() }
    }
}

impl Operator for Limit {
    fn name(&self) -> String {
        "Limit".to_string()
    }

    fn process(&mut self, batch: Batch, out: &mut Vec<Batch>) -> Result<(), EvalError> {
        let n = batch.len() as u64;
        self.metrics.records_in += n;
        if (0..batch.len()).any(|i| !batch.kind(i).is_accumulate()) {
            return Err(EvalError("LIMIT over an updating input is not supported yet".into()));
        }
        let (before, after) = (self.seen, self.seen.saturating_add(n).min(self.end));
        self.seen = after;
        // Rows numbered before+1 ..= after were counted; those from `start` on are kept.
        let first = self.start.max(before + 1);
        if first > after {
            return Ok(());
        }
        let (from, to) = ((first - before - 1) as usize, (after - before) as usize);
        let kept = if from == 0 && to == batch.len() {
            batch
        } else {
            let indices: Vec<u32> = (from as u32..to as u32).collect();
            batch.gather(&indices)
        };
        self.metrics.records_out += kept.len() as u64;
        out.push(kept);
        Ok(())
    }

    fn metrics(&self) -> OperatorMetrics {
        OperatorMetrics { state_rows: 1, ..self.metrics.clone() }
    }

    fn is_complete(&self) -> bool {
        self.seen >= self.end
    }
}

/// `LIMIT n [OFFSET m]` over an updating input: every row is kept in arrival order (the
/// ranking has no sort key, so all rows tie and keep the order they came in), the first n
/// after the offset are the result, and a row retracted from them lets the next row in; a
/// row's update is a retraction and a new row at the end. Its row number, which nobody reads,
/// is not passed on.
pub struct RetractableLimit {
    rank: RetractableTopN,
}

impl RetractableLimit {
    pub fn new(offset: u64, fetch: u64, input_types: Vec<DataType>) -> Self {
        let range = (offset.saturating_add(1), offset.saturating_add(fetch));
        RetractableLimit { rank: RetractableTopN::new(Vec::new(), Vec::new(), range, false, input_types) }
    }
}

impl Operator for RetractableLimit {
    fn name(&self) -> String {
        "Limit".to_string()
    }

    fn process(&mut self, batch: Batch, out: &mut Vec<Batch>) -> Result<(), EvalError> {
        let start = out.len();
        self.rank.process(batch, out)?;
        for ranked in &mut out[start..] {
            ranked.columns.pop();
        }
        Ok(())
    }

    fn metrics(&self) -> OperatorMetrics {
        self.rank.metrics()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{Column, DataType, Value};

    fn ints(values: std::ops::Range<i64>) -> Batch {
        let mut c = Column::empty(&DataType::BigInt, 0);
        let n = (values.end - values.start) as usize;
        values.for_each(|v| c.push(&Value::Int(v)));
        Batch::new(vec![c], n)
    }

    fn run(limit: &mut Limit, batch: Batch) -> Vec<Value> {
        let mut out = Vec::new();
        limit.process(batch, &mut out).unwrap();
        out.iter().flat_map(|b| (0..b.len()).map(move |i| b.row(i, &[DataType::BigInt])[0].clone())).collect()
    }

    #[test]
    fn keeps_the_rows_after_the_offset_across_batches_then_is_complete() {
        let mut limit = Limit::new(3, 4);
        assert_eq!(run(&mut limit, ints(0..2)), vec![]);
        assert!(!limit.is_complete());
        assert_eq!(run(&mut limit, ints(2..5)), vec![Value::Int(3), Value::Int(4)]);
        assert_eq!(run(&mut limit, ints(5..10)), vec![Value::Int(5), Value::Int(6)]);
        assert!(limit.is_complete());
        assert_eq!(run(&mut limit, ints(10..12)), vec![]);
    }

    #[test]
    fn limit_zero_emits_nothing_and_is_complete_at_once() {
        let mut limit = Limit::new(0, 0);
        assert!(limit.is_complete());
        assert_eq!(run(&mut limit, ints(0..3)), vec![]);
    }
}
