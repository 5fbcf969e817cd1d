//! Non-windowed GROUP BY: an updating result, emitted as a changelog.
//!
//! Like Flink's `GroupAggFunction` without mini-batching: every input row updates its group and
//! emits `+I` (a new group), `-U`/`+U` (the old and new result), or `-D` (the group's last row
//! was retracted). A row that leaves the result unchanged emits nothing. Late data does not
//! exist here: an updating result takes every row.
//!
//! State stays bounded: with `table.exec.state.ttl`, a group idle for longer than the TTL
//! (processing time) is forgotten without emitting anything, as in Flink, and its key's next row
//! starts a new group (`+I`). Forgotten and emptied groups are compacted away once they
//! outnumber the live ones.

use super::accumulator::Accumulators;
use super::eval::EvalError;
use super::group_table::GroupTable;
use super::operator::{Operator, OperatorMetrics};
use crate::plan::logical::AggCall;
use crate::types::{Batch, BatchBuilder, DataType, RowKind, Value};

pub struct GroupAggregate {
    key_columns: Vec<usize>,
    key_types: Vec<DataType>,
    calls: Vec<AggCall>,
    retracting: bool,
    groups: GroupTable,
    accumulators: Accumulators,
    /// Rows accumulated minus rows retracted, per group; 0 for an empty or forgotten group.
    row_counts: Vec<i64>,
    /// When each group was last updated (processing time).
    last_access: Vec<i64>,
    /// Groups with no rows (emptied or expired), waiting for compaction.
    dead: usize,
    ttl: Option<i64>,
    now: i64,
    last_sweep: i64,
    output_types: Vec<DataType>,
    metrics: OperatorMetrics,
}

/// Compaction waits until this many groups are dead (and they outnumber the live ones).
const COMPACT_AFTER: usize = 1024;

impl GroupAggregate {
    pub fn new(key_types: &[DataType], calls: &[AggCall], retracting: bool) -> Self {
        let mut output_types = key_types.to_vec();
        output_types.extend(calls.iter().map(|c| c.ty.data_type.clone()));
        GroupAggregate {
            key_columns: (0..key_types.len()).collect(),
            key_types: key_types.to_vec(),
            calls: calls.to_vec(),
            retracting,
            groups: GroupTable::new(key_types),
            accumulators: Accumulators::new(calls, retracting),
            row_counts: Vec::new(),
            last_access: Vec::new(),
            dead: 0,
            ttl: None,
            now: 0,
            last_sweep: i64::MIN,
            output_types,
            metrics: OperatorMetrics::default(),
        }
    }

    /// Forgets groups idle for longer than the TTL.
    fn expire(&mut self) {
        let Some(ttl) = self.ttl else { return };
        // Sweeping costs a pass over the groups: at most a few times per TTL.
        if self.now.saturating_sub(self.last_sweep) < (ttl / 4).max(1) {
            return;
        }
        self.last_sweep = self.now;
        for g in 0..self.row_counts.len() {
            if self.row_counts[g] > 0 && self.now - self.last_access[g] > ttl {
                self.row_counts[g] = 0;
                self.accumulators.reset(g as u32);
                self.dead += 1;
            }
        }
        self.compact();
    }

    /// Rebuilds the tables without dead groups once they outnumber the live ones.
    fn compact(&mut self) {
        let live = self.row_counts.len() - self.dead;
        if self.dead < COMPACT_AFTER || self.dead <= live {
            return;
        }
        let mut groups = GroupTable::new(&self.key_types);
        let mut accumulators = Accumulators::new(&self.calls, self.retracting);
        let (mut row_counts, mut last_access) = (Vec::with_capacity(live), Vec::with_capacity(live));
        for g in 0..self.row_counts.len() {
            if self.row_counts[g] == 0 {
                continue;
            }
            let (ng, _) = groups.find_or_insert_from(&self.groups, g as u32);
            accumulators.add_group();
            accumulators.merge(ng, &self.accumulators, g as u32);
            row_counts.push(self.row_counts[g]);
            last_access.push(self.last_access[g]);
        }
        self.groups = groups;
        self.accumulators = accumulators;
        self.row_counts = row_counts;
        self.last_access = last_access;
        self.dead = 0;
    }

    fn result(&self, g: u32) -> Vec<Value> {
        let mut row = Vec::with_capacity(self.output_types.len());
        self.groups.key(g, &mut row);
        self.accumulators.results(g, &mut row);
        row
    }
}

impl Operator for GroupAggregate {
    fn name(&self) -> String {
        "GroupAggregate".to_string()
    }

    fn process(&mut self, batch: Batch, out: &mut Vec<Batch>) -> Result<(), EvalError> {
        self.metrics.records_in += batch.len() as u64;
        let mut emit = BatchBuilder::new(&self.output_types);
        for i in 0..batch.len() {
            let kind = batch.kind(i);
            let retract = !kind.is_accumulate();
            let (g, new) = self.groups.find_or_insert(&batch, &self.key_columns, i);
            if new {
                self.accumulators.add_group();
                self.row_counts.push(0);
                self.last_access.push(self.now);
            }
            let gi = g as usize;
            if retract && self.row_counts[gi] == 0 {
                // Retracting a row of a group we never saw (or forgot): nothing to take back.
                continue;
            }
            if !new && self.row_counts[gi] == 0 {
                // A dead group comes back to life.
                self.dead -= 1;
            }
            self.last_access[gi] = self.now;
            let before = (self.row_counts[gi] > 0).then(|| self.result(g));
            self.accumulators.update(g, &batch, i, retract);
            if let Some(failure) = self.accumulators.take_failure() {
                return Err(EvalError(failure));
            }
            self.row_counts[gi] += if retract { -1 } else { 1 };
            let wm = batch.arrival_watermark(i);
            if self.row_counts[gi] == 0 {
                if let Some(old) = before {
                    emit.push(RowKind::Delete, &old, wm);
                }
                self.accumulators.reset(g);
                self.dead += 1;
                continue;
            }
            let after = self.result(g);
            match before {
                None => emit.push(RowKind::Insert, &after, wm),
                Some(old) if old != after => {
                    emit.push(RowKind::UpdateBefore, &old, wm);
                    emit.push(RowKind::UpdateAfter, &after, wm);
                }
                Some(_) => {}
            }
        }
        if !emit.is_empty() {
            let b = emit.finish();
            self.metrics.records_out += b.len() as u64;
            out.push(b);
        }
        self.compact();
        self.metrics.state_rows = (self.row_counts.len() - self.dead) as u64;
        Ok(())
    }

    fn set_now(&mut self, now_ms: i64) {
        self.now = now_ms;
        self.expire();
    }

    fn set_state_ttl(&mut self, ttl_ms: Option<i64>) {
        self.ttl = ttl_ms.filter(|t| *t > 0);
    }

    fn metrics(&self) -> OperatorMetrics {
        self.metrics.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::logical::AggFunc;
    use crate::types::SqlType;

    fn count_star() -> AggCall {
        AggCall {
            func: AggFunc::Count,
            arg: None,
            distinct: false,
            separator: None,
            ty: SqlType::not_null(DataType::BigInt),
            arg_ty: None,
            filter: None,
        }
    }

    fn batch(keys: impl Iterator<Item = String>) -> Batch {
        let mut b = BatchBuilder::new(&[DataType::Varchar(10)]);
        for k in keys {
            b.push(RowKind::Insert, &[Value::Str(k.into())], i64::MIN);
        }
        b.finish()
    }

    #[test]
    fn expired_groups_are_compacted_away() {
        let mut agg = GroupAggregate::new(&[DataType::Varchar(10)], &[count_star()], false);
        agg.set_state_ttl(Some(1_000));
        let mut out = Vec::new();
        for round in 0..6 {
            agg.set_now(round * 2_000);
            agg.process(batch((0..2_000).map(|i| format!("{round}-{i}")).chain(["steady".to_string()])), &mut out).unwrap();
        }
        // Without compaction the table would hold 12,001 keys.
        assert!(agg.groups.len() <= 4_001, "{} groups kept", agg.groups.len());
        assert_eq!(agg.metrics.state_rows, 2_001);
        let last = out.last().unwrap();
        let types = [DataType::Varchar(10), DataType::BigInt];
        let steady: Vec<_> = (0..last.len()).map(|i| last.row(i, &types)).filter(|r| r[0].to_string() == "steady").collect();
        // `steady` was idle 2 s > 1 s each round: it starts over every time.
        assert_eq!(steady, [vec![Value::Str("steady".into()), Value::Int(1)]]);
    }
}
