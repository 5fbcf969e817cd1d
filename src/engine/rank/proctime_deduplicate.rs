//! Deduplication on processing time: `ROW_NUMBER() OVER (PARTITION BY k ORDER BY proc_time
//! [DESC]) = 1`, as Flink's `ProcTimeDeduplicateKeepFirstRowFunction` and
//! `ProcTimeDeduplicateKeepLastRowFunction` compute it over an insert-only input.
//!
//! Rows are ordered by when they arrive, so nothing waits and nothing is late:
//!
//! - Keep the first row (`ASC`): a key's first row is emitted at once as `+I`; every later row
//!   of the key is ignored. An append-only result.
//! - Keep the last row (`DESC`): a key's first row is emitted as `+I`, each later one as `-U` of
//!   the kept row and `+U` of the new one. A row equal to the kept one in every column but the
//!   processing time changes nothing (Flink compares rows whose time attribute is not yet
//!   materialized), unless `table.exec.state.ttl` is set: then Flink emits it anyway so that
//!   state downstream is not forgotten too early.
//!
//! Flink materializes the processing time of a row as it leaves the operator, so a `-U` row
//! carries the time of the row replacing it; so does this one.

use crate::engine::eval::EvalError;
use crate::engine::group_table::GroupTable;
use crate::engine::operator::{emit_rows, Operator, OperatorMetrics};
use crate::types::{Batch, BatchBuilder, DataType, RowKind, Value};

pub struct ProcTimeDeduplicate {
    keep_last: bool,
    time_column: usize,
    partition_columns: Vec<usize>,
    partitions: GroupTable,
    /// Keep last: each key's kept row. Keep first: empty rows, one per key seen (the key's
    /// presence is the state).
    kept: Vec<Vec<Value>>,
    state_ttl: bool,
    input_types: Vec<DataType>,
    output_types: Vec<DataType>,
    metrics: OperatorMetrics,
}

impl ProcTimeDeduplicate {
    pub fn new(keep_last: bool, time_column: usize, partition_columns: Vec<usize>, input_types: Vec<DataType>) -> Self {
        let key_types: Vec<DataType> = partition_columns.iter().map(|&c| input_types[c].clone()).collect();
        let mut output_types = input_types.clone();
        output_types.push(DataType::BigInt);
        ProcTimeDeduplicate {
            keep_last,
            time_column,
            partition_columns,
            partitions: GroupTable::new(&key_types),
            kept: Vec::new(),
            state_ttl: false,
            input_types,
            output_types,
            metrics: OperatorMetrics::default(),
        }
    }

    fn push(emit: &mut BatchBuilder, kind: RowKind, row: &[Value], wm: i64) {
        let mut values = row.to_vec();
        values.push(Value::Int(1));
        emit.push(kind, &values, wm);
    }

    /// Whether two rows are equal leaving out the processing-time column.
    fn same_but_time(&self, a: &[Value], b: &[Value]) -> bool {
        a.len() == b.len() && a.iter().zip(b).enumerate().all(|(c, (x, y))| c == self.time_column || x == y)
    }
}

impl Operator for ProcTimeDeduplicate {
    fn name(&self) -> String {
        "Deduplicate".to_string()
    }

    fn process(&mut self, batch: Batch, out: &mut Vec<Batch>) -> Result<(), EvalError> {
        self.metrics.records_in += batch.len() as u64;
        let mut emit = BatchBuilder::new(&self.output_types);
        for i in 0..batch.len() {
            if !batch.kind(i).is_accumulate() {
                // The planner ranks an updating input with a Top-N instead (as Flink does).
                return Err(EvalError("deduplication on processing time needs an insert-only input".into()));
            }
            let arrival = batch.arrival_watermark(i);
            let (p, new) = self.partitions.find_or_insert(&batch, &self.partition_columns, i);
            if new {
                let row = batch.row(i, &self.input_types);
                Self::push(&mut emit, RowKind::Insert, &row, arrival);
                self.kept.push(if self.keep_last { row } else { Vec::new() });
                continue;
            }
            if !self.keep_last {
                continue;
            }
            let row = batch.row(i, &self.input_types);
            let kept = &self.kept[p as usize];
            if !self.state_ttl && self.same_but_time(kept, &row) {
                continue;
            }
            let mut before = std::mem::replace(&mut self.kept[p as usize], row);
            if let (Some(t), Some(now)) = (before.get_mut(self.time_column), self.kept[p as usize].get(self.time_column)) {
                *t = now.clone();
            }
            Self::push(&mut emit, RowKind::UpdateBefore, &before, arrival);
            Self::push(&mut emit, RowKind::UpdateAfter, &self.kept[p as usize], arrival);
        }
        emit_rows(emit, &mut self.metrics, out);
        self.metrics.state_rows = self.kept.len() as u64;
        Ok(())
    }

    fn set_state_ttl(&mut self, ttl_ms: Option<i64>) {
        self.state_ttl = ttl_ms.is_some_and(|ms| ms > 0);
    }

    fn metrics(&self) -> OperatorMetrics {
        self.metrics.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{Column, ColumnData};

    /// Rows (sensor, reading, processing time) in arrival order.
    fn batch(rows: &[(i64, i64, i64)]) -> Batch {
        Batch::new(
            vec![
                Column::new(ColumnData::Int(rows.iter().map(|r| r.0).collect())),
                Column::new(ColumnData::Int(rows.iter().map(|r| r.1).collect())),
                Column::new(ColumnData::Int(rows.iter().map(|r| r.2).collect())),
            ],
            rows.len(),
        )
    }

    fn changes(out: &[Batch]) -> Vec<(RowKind, i64, i64, i64)> {
        let types = [DataType::Int, DataType::Int, DataType::BigInt, DataType::BigInt];
        let int = |v: &Value| if let Value::Int(x) = v { *x } else { panic!("{v:?}") };
        let types = &types;
        out.iter()
            .flat_map(|b| (0..b.len()).map(move |i| (b.kind(i), b.row(i, types))))
            .map(|(k, r)| (k, int(&r[0]), int(&r[1]), int(&r[2])))
            .collect()
    }

    fn operator(keep_last: bool) -> ProcTimeDeduplicate {
        // The processing time as plain milliseconds: the operator only compares it.
        ProcTimeDeduplicate::new(keep_last, 2, vec![0], vec![DataType::Int, DataType::Int, DataType::BigInt])
    }

    #[test]
    fn keep_first_emits_each_keys_first_arrival_at_once() {
        let mut op = operator(false);
        let mut out = Vec::new();
        op.process(batch(&[(1, 10, 1000), (2, 20, 1000), (1, 11, 1000)]), &mut out).unwrap();
        op.process(batch(&[(1, 12, 2000), (3, 30, 2000)]), &mut out).unwrap();
        assert_eq!(changes(&out), vec![(RowKind::Insert, 1, 10, 1000), (RowKind::Insert, 2, 20, 1000), (RowKind::Insert, 3, 30, 2000)]);
    }

    #[test]
    fn keep_last_replaces_the_kept_row_and_skips_an_equal_one() {
        let mut op = operator(true);
        let mut out = Vec::new();
        op.process(batch(&[(1, 10, 1000), (1, 11, 1500)]), &mut out).unwrap();
        // Equal but for the time: no change. A new reading: -U (at the new time) and +U.
        op.process(batch(&[(1, 11, 2000), (1, 12, 3000)]), &mut out).unwrap();
        assert_eq!(
            changes(&out),
            vec![
                (RowKind::Insert, 1, 10, 1000),
                (RowKind::UpdateBefore, 1, 10, 1500),
                (RowKind::UpdateAfter, 1, 11, 1500),
                (RowKind::UpdateBefore, 1, 11, 3000),
                (RowKind::UpdateAfter, 1, 12, 3000),
            ]
        );
    }

    #[test]
    fn keep_last_with_state_ttl_emits_an_equal_row_too() {
        let mut op = operator(true);
        op.set_state_ttl(Some(60_000));
        let mut out = Vec::new();
        op.process(batch(&[(1, 10, 1000), (1, 10, 2000)]), &mut out).unwrap();
        assert_eq!(changes(&out).len(), 3);
    }
}
