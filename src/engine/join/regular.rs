//! The regular join (Flink's `StreamingJoinOperator`): every row of both inputs is kept,
//! keyed by the join key, and each new row joins with what the other side holds.
//!
//! Retractions follow Flink's `JoinHelper` exactly: an inner side forwards its input's row
//! kind; an outer side emits `+I`/`-D` only, retracting its NULL-padded row (`-D[row, null]`)
//! when the first partner arrives and re-inserting it when the last one goes. On an outer side each kept row
//! counts how many rows of the other side it is joined with. Flink keeps equal rows as one
//! entry with a count; keeping each copy on its own gives the same changes.

use hashbrown::HashMap;

use super::{Condition, JoinIo, JoinKeys, Side, TwoInputOperator};
use crate::engine::eval::EvalError;
use crate::engine::operator::OperatorMetrics;
use crate::plan::logical::{Join, JoinKind};
use crate::types::{Batch, DataType, RowKind, Value};

/// A row held by one side (each copy on its own), with (outer side) its number of partners and
/// when it was last written (for `table.exec.state.ttl`).
struct Kept {
    row: Vec<Value>,
    partners: u32,
    written: i64,
}

/// One side's rows per key id (rows with a NULL key under [`NULL_KEY`]: they match nothing but
/// must still be retractable).
type SideState = HashMap<u32, Vec<Kept>>;
const NULL_KEY: u32 = u32::MAX;

pub struct RegularJoin {
    kind: JoinKind,
    keys: JoinKeys,
    condition: Condition,
    types: [Vec<DataType>; 2],
    state: [SideState; 2],
    io: JoinIo,
    now: i64,
    /// `table.exec.state.ttl`, and when expired rows are next swept out of every key.
    ttl: Option<i64>,
    next_sweep: i64,
}

impl RegularJoin {
    pub fn new(join: &Join, left_types: Vec<DataType>, right_types: Vec<DataType>) -> Self {
        RegularJoin {
            kind: join.kind,
            keys: JoinKeys::new(join, &left_types),
            condition: Condition::new(join, &left_types, &right_types),
            io: JoinIo::new(&left_types, if join.kind.left_only() { &[] } else { &right_types }),
            types: [left_types, right_types],
            state: [SideState::new(), SideState::new()],
            now: 0,
            ttl: None,
            next_sweep: i64::MIN,
        }
    }

    /// Drops `key`'s rows on both sides whose time to live has passed: as in Flink, expired
    /// state is gone without a trace (an outer row's padding is not retracted).
    fn expire(&mut self, key: u32) {
        let Some(ttl) = self.ttl else { return };
        let now = self.now;
        for state in &mut self.state {
            if let Some(kept) = state.get_mut(&key) {
                kept.retain(|k| k.written.saturating_add(ttl) > now);
                if kept.is_empty() {
                    state.remove(&key);
                }
            }
        }
    }

    fn outer(&self, side: Side) -> bool {
        match side {
            Side::Left => self.kind.left_outer(),
            Side::Right => self.kind.right_outer(),
        }
    }

    fn emit(&mut self, kind: RowKind, side: Side, row: Option<&[Value]>, other: Option<&[Value]>, arrival: i64) {
        let (l, r) = match side {
            Side::Left => (row, other),
            Side::Right => (other, row),
        };
        self.io.output.push(kind, l, r, arrival);
    }

    fn set_partners(&mut self, side: usize, key: u32, j: usize, partners: u32) {
        let now = self.now;
        if let Some(k) = self.state[side].get_mut(&key).and_then(|kept| kept.get_mut(j)) {
            k.partners = partners;
            k.written = now;
        }
    }

    /// A semi- or anti-join's row (Flink's `StreamingSemiAntiJoinOperator`): a left row counts
    /// its partners and comes out (semi) while it has some, or (anti) while it has none; a right
    /// row changes its partners' counts, letting them in or out as a count leaves or reaches 0.
    fn semi_anti_one(&mut self, side: Side, batch: &Batch, i: usize, watermark: i64) -> Result<(), EvalError> {
        let semi = self.kind == JoinKind::Semi;
        let kind = batch.kind(i);
        let row = batch.row(i, &self.types[side.index()]);
        let (key, null_key) = self.keys.key(side, batch, i);
        let key = if null_key { NULL_KEY } else { key };
        self.expire(key);
        match side {
            Side::Left => {
                let partners = match self.state[1].get(&key).filter(|_| !null_key) {
                    Some(kept) => {
                        self.condition.matches(Side::Left, &row, kept.iter().map(|k| k.row.as_slice()))?.iter().filter(|m| **m).count()
                            as u32
                    }
                    None => 0,
                };
                if (partners > 0) == semi {
                    self.io.output.push(kind, Some(&row), None, watermark);
                }
                if kind.is_accumulate() {
                    add(&mut self.state[0], key, row, partners, self.now);
                } else {
                    retract(&mut self.state[0], key, &row);
                }
            }
            Side::Right => {
                if kind.is_accumulate() {
                    add(&mut self.state[1], key, row.clone(), 0, self.now);
                } else {
                    retract(&mut self.state[1], key, &row);
                }
                let Some(kept) = self.state[0].get(&key).filter(|_| !null_key) else { return Ok(()) };
                let matches = self.condition.matches(Side::Right, &row, kept.iter().map(|k| k.row.as_slice()))?;
                let now = self.now;
                let kept = self.state[0].get_mut(&key).expect("looked up above");
                for (k, matched) in kept.iter_mut().zip(matches) {
                    if !matched {
                        continue;
                    }
                    let (before, after) =
                        if kind.is_accumulate() { (k.partners, k.partners + 1) } else { (k.partners, k.partners.saturating_sub(1)) };
                    k.partners = after;
                    k.written = now;
                    if (before == 0) != (after == 0) {
                        // The row's side of the line changed: in for a semi-join gaining its
                        // first partner or an anti-join losing its last, out otherwise.
                        let enters = (after > 0) == semi;
                        self.io.output.push(if enters { RowKind::Insert } else { RowKind::Delete }, Some(&k.row), None, watermark);
                    }
                }
            }
        }
        Ok(())
    }

    fn join_one(&mut self, side: Side, batch: &Batch, i: usize, watermark: i64) -> Result<(), EvalError> {
        if self.kind.left_only() {
            return self.semi_anti_one(side, batch, i, watermark);
        }
        let other_side = match side {
            Side::Left => Side::Right,
            Side::Right => Side::Left,
        };
        let (s, o) = (side.index(), other_side.index());
        let kind = batch.kind(i);
        let row = batch.row(i, &self.types[s]);
        let (key, null_key) = self.keys.key(side, batch, i);
        let key = if null_key { NULL_KEY } else { key };
        self.expire(key);
        // The other side's rows this one joins with: (index in the key's list, row, partners).
        let associated: Vec<(usize, Vec<Value>, u32)> = match self.state[o].get(&key).filter(|_| !null_key) {
            Some(kept) => {
                let matches = self.condition.matches(side, &row, kept.iter().map(|k| k.row.as_slice()))?;
                kept.iter().enumerate().filter(|(j, _)| matches[*j]).map(|(j, k)| (j, k.row.clone(), k.partners)).collect()
            }
            None => Vec::new(),
        };
        let count = associated.len() as u32;
        let (input_outer, other_outer) = (self.outer(side), self.outer(other_side));
        if kind.is_accumulate() {
            if input_outer && count == 0 {
                self.emit(RowKind::Insert, side, Some(&row), None, watermark);
                add(&mut self.state[s], key, row, 0, self.now);
                return Ok(());
            }
            if other_outer {
                for (j, other, partners) in &associated {
                    if *partners == 0 {
                        self.emit(RowKind::Delete, other_side, Some(other), None, watermark);
                    }
                    self.set_partners(o, key, *j, partners + 1);
                }
            }
            let out_kind = if input_outer || other_outer { RowKind::Insert } else { kind };
            for (_, other, _) in &associated {
                self.emit(out_kind, side, Some(&row), Some(other), watermark);
            }
            add(&mut self.state[s], key, row, if input_outer { count } else { 0 }, self.now);
        } else {
            retract(&mut self.state[s], key, &row);
            if count == 0 {
                if input_outer {
                    self.emit(RowKind::Delete, side, Some(&row), None, watermark);
                }
                return Ok(());
            }
            let out_kind = if input_outer { RowKind::Delete } else { kind };
            for (_, other, _) in &associated {
                self.emit(out_kind, side, Some(&row), Some(other), watermark);
            }
            if other_outer {
                for (j, other, partners) in &associated {
                    if *partners == 1 {
                        self.emit(RowKind::Insert, other_side, Some(other), None, watermark);
                    }
                    self.set_partners(o, key, *j, partners.saturating_sub(1));
                }
            }
        }
        Ok(())
    }
}

fn add(state: &mut SideState, key: u32, row: Vec<Value>, partners: u32, now: i64) {
    state.entry(key).or_default().push(Kept { row, partners, written: now });
}

/// Removes one copy of `row`. The retracted row was kept before (a changelog retracts only
/// what it inserted); if not, there is nothing to remove.
fn retract(state: &mut SideState, key: u32, row: &[Value]) {
    let Some(kept) = state.get_mut(&key) else { return };
    if let Some(j) = kept.iter().position(|k| k.row == row) {
        kept.remove(j);
    }
    if kept.is_empty() {
        state.remove(&key);
    }
}

impl TwoInputOperator for RegularJoin {
    fn name(&self) -> String {
        format!("Join({})", self.kind.sql())
    }

    fn io(&mut self) -> &mut JoinIo {
        &mut self.io
    }

    fn join_row(&mut self, side: Side, batch: &Batch, i: usize, wm: i64) -> Result<(), EvalError> {
        self.join_one(side, batch, i, wm)
    }

    fn metrics(&self) -> OperatorMetrics {
        let rows: usize = self.state.iter().flat_map(|s| s.values()).map(Vec::len).sum();
        OperatorMetrics { state_rows: rows as u64, ..self.io.metrics.clone() }
    }

    fn set_user_functions(&mut self, host: &std::rc::Rc<dyn crate::plan::functions::user::UserFunctionHost>) {
        self.condition.set_user_functions(host);
    }

    fn set_now(&mut self, now_ms: i64) {
        self.condition.set_now(now_ms);
        self.now = now_ms;
        // Keys nobody reads again would keep their expired rows: sweep them now and then.
        if let Some(ttl) = self.ttl {
            if now_ms >= self.next_sweep {
                self.next_sweep = now_ms.saturating_add((ttl / 4).max(1_000));
                let keys: Vec<u32> = self.state.iter().flat_map(|s| s.keys().copied()).collect();
                for key in keys {
                    self.expire(key);
                }
            }
        }
    }

    fn set_state_ttl(&mut self, ttl_ms: Option<i64>) {
        self.ttl = ttl_ms;
    }
}
