//! Flink's `ChangelogNormalize`: turns an *upsert* changelog (an `upsert-kafka` table's records:
//! each a new value of its key, or a tombstone deleting it) into a complete one, keeping the
//! last row of every primary key, as Flink's `ProcTimeDeduplicateKeepLastRowFunction` does over
//! a changelog (`DeduplicateFunctionHelper.processLastRowOnChangelog`):
//!
//! - `+I`/`+U`: the key's first row is emitted `+I`; a later one `-U` (the kept row, when the
//!   reader needs it) then `+U`. A row equal to the kept one is dropped, unless
//!   `table.exec.state.ttl` is set (then downstream state must be kept alive, as in Flink). Flink
//!   compares rows with their kind, and keeps rows as `+I`: only an `+I` row (what an upsert
//!   source's value format gives) equal to the kept row is a duplicate.
//! - `-U`/`-D`: the kept row is emitted `-D` (the input row may hold only the key, as a
//!   tombstone does) and forgotten; a delete of a key without a row is dropped.
//!
//! With a TTL a key's row is forgotten once it was not written for that long (Flink's state TTL
//! on create and write), so a later value is a `+I` again.

use super::eval::EvalError;
use super::group_table::GroupTable;
use super::operator::{emit_rows, Operator, OperatorMetrics};
use crate::types::{Batch, BatchBuilder, DataType, RowKind, Value};

pub struct ChangelogNormalize {
    key: Vec<usize>,
    types: Vec<DataType>,
    keys: GroupTable,
    /// Per key (group id): its last row and when it was written (processing time).
    kept: Vec<Option<(Vec<Value>, i64)>>,
    /// Whether the reader needs `-U` rows (the plan's changelog mode says).
    update_before: bool,
    ttl: Option<i64>,
    now: i64,
    metrics: OperatorMetrics,
}

impl ChangelogNormalize {
    pub fn new(key: Vec<usize>, types: Vec<DataType>, update_before: bool) -> Self {
        let key_types: Vec<DataType> = key.iter().filter_map(|&c| types.get(c).cloned()).collect();
        ChangelogNormalize {
            key,
            types,
            keys: GroupTable::new(&key_types),
            kept: Vec::new(),
            update_before,
            ttl: None,
            now: 0,
            metrics: OperatorMetrics::default(),
        }
    }

    fn kept_row(&mut self, g: usize) -> Option<Vec<Value>> {
        let (row, written) = self.kept.get_mut(g)?.take()?;
        if self.ttl.is_some_and(|ttl| self.now - written > ttl) {
            self.metrics.state_rows -= 1;
            return None;
        }
        Some(row)
    }
}

impl Operator for ChangelogNormalize {
    fn name(&self) -> String {
        "ChangelogNormalize".into()
    }

    fn process(&mut self, batch: Batch, out: &mut Vec<Batch>) -> Result<(), EvalError> {
        self.metrics.records_in += batch.len() as u64;
        let mut emit = BatchBuilder::new(&self.types);
        for i in 0..batch.len() {
            let (g, _) = self.keys.find_or_insert(&batch, &self.key, i);
            let g = g as usize;
            if g >= self.kept.len() {
                self.kept.resize_with(g + 1, || None);
            }
            let watermark = batch.arrival_watermark(i);
            let kind = batch.kind(i);
            let previous = self.kept_row(g);
            match kind {
                RowKind::Insert | RowKind::UpdateAfter => {
                    let row = batch.row(i, &self.types);
                    match previous {
                        None => {
                            emit.push(RowKind::Insert, &row, watermark);
                            self.metrics.state_rows += 1;
                        }
                        Some(previous) => {
                            if self.ttl.is_none() && kind == RowKind::Insert && previous == row {
                                self.kept[g] = Some((previous, self.now));
                                continue;
                            }
                            if self.update_before {
                                emit.push(RowKind::UpdateBefore, &previous, watermark);
                            }
                            emit.push(RowKind::UpdateAfter, &row, watermark);
                        }
                    }
                    self.kept[g] = Some((row, self.now));
                }
                RowKind::UpdateBefore | RowKind::Delete => {
                    if let Some(previous) = previous {
                        emit.push(RowKind::Delete, &previous, watermark);
                        self.metrics.state_rows -= 1;
                    }
                }
            }
        }
        emit_rows(emit, &mut self.metrics, out);
        Ok(())
    }

    fn metrics(&self) -> OperatorMetrics {
        self.metrics.clone()
    }

    fn set_now(&mut self, now_ms: i64) {
        self.now = now_ms;
    }

    fn set_state_ttl(&mut self, ttl_ms: Option<i64>) {
        self.ttl = ttl_ms.filter(|t| *t > 0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TYPES: [DataType; 2] = [DataType::BigInt, DataType::Double];

    fn batch(changes: &[(RowKind, i64, Option<f64>)]) -> Batch {
        let mut b = BatchBuilder::new(&TYPES);
        for (kind, id, v) in changes {
            b.push(*kind, &[Value::Int(*id), v.map_or(Value::Null, Value::Double)], 0);
        }
        b.finish()
    }

    fn run(op: &mut ChangelogNormalize, changes: &[(RowKind, i64, Option<f64>)]) -> Vec<String> {
        let mut out = Vec::new();
        op.process(batch(changes), &mut out).unwrap();
        let mut lines = Vec::new();
        for b in &out {
            for i in 0..b.len() {
                let row = b.row(i, &TYPES);
                lines.push(format!("{}{},{}", b.kind(i).short(), row[0], row[1]));
            }
        }
        lines
    }

    #[test]
    fn first_value_inserts_later_ones_update_and_a_tombstone_deletes_the_kept_row() {
        let mut op = ChangelogNormalize::new(vec![0], TYPES.to_vec(), true);
        let lines = run(
            &mut op,
            &[
                (RowKind::Insert, 1, Some(1.5)),
                (RowKind::Insert, 1, Some(2.5)),
                (RowKind::Insert, 2, Some(9.0)),
                (RowKind::Delete, 1, None),
                (RowKind::Delete, 1, None),
                (RowKind::Insert, 1, Some(3.5)),
            ],
        );
        assert_eq!(lines, ["+I1,1.5", "-U1,1.5", "+U1,2.5", "+I2,9.0", "-D1,2.5", "+I1,3.5"]);
        assert_eq!(op.metrics().state_rows, 2);
    }

    #[test]
    fn a_repeated_value_is_dropped_unless_state_ttl_is_set() {
        let mut op = ChangelogNormalize::new(vec![0], TYPES.to_vec(), false);
        let lines = run(&mut op, &[(RowKind::Insert, 1, Some(1.5)), (RowKind::Insert, 1, Some(1.5))]);
        assert_eq!(lines, ["+I1,1.5"]);
        // An +U row is never equal to the kept (+I) row in Flink's comparison.
        assert_eq!(run(&mut op, &[(RowKind::UpdateAfter, 1, Some(1.5))]), ["+U1,1.5"]);
        let mut op = ChangelogNormalize::new(vec![0], TYPES.to_vec(), false);
        op.set_state_ttl(Some(1_000));
        let lines = run(&mut op, &[(RowKind::Insert, 1, Some(1.5)), (RowKind::Insert, 1, Some(1.5))]);
        assert_eq!(lines, ["+I1,1.5", "+U1,1.5"]);
        // Not written for longer than the TTL: forgotten, so the next value inserts.
        op.set_now(5_000);
        assert_eq!(run(&mut op, &[(RowKind::Insert, 1, Some(1.5))]), ["+I1,1.5"]);
    }
}
