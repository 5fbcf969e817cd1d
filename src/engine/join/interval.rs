//! The event-time interval join (Flink's `RowTimeIntervalJoin`):
//! `l.t BETWEEN r.t + lower AND r.t + upper`.
//!
//! Each side caches its rows by time, per join key, only while the other side's watermark can
//! still bring a partner; a clean-up timer per key and side drops what has expired (emitting
//! an outer side's unmatched rows NULL-padded). The output only appends, and its watermark is
//! held back by the larger relative bound, since a joined row can be that much older than the
//! watermark that let it out.
//!
//! This follows Flink's `TimeIntervalJoin` step for step, including what is subtle there: the
//! expiration times are per operator, not per key, and cached rows past their expiration still
//! join a late row until they are cleaned up.

use std::collections::{BTreeMap, BTreeSet};

use hashbrown::HashMap;

use super::{Condition, JoinIo, JoinKeys, Side, TwoInputOperator};
use crate::engine::eval::EvalError;
use crate::engine::operator::OperatorMetrics;
use crate::engine::watermark::{END_OF_INPUT, NO_WATERMARK};
use crate::plan::logical::{Join, JoinKind, TimeBounds};
use crate::types::{Batch, ColumnData, DataType, RowKind, Value};

/// Rows of one side by their time, each with whether it has joined yet (for outer padding).
type Cache = BTreeMap<i64, Vec<(Vec<Value>, bool)>>;

#[derive(Default)]
struct KeyState {
    caches: [Cache; 2],
    /// The clean-up timer of each side's cache, if one is set.
    timers: [Option<i64>; 2],
    /// Whether the key holds a NULL (its rows match nothing).
    null: bool,
}

pub struct IntervalJoin {
    kind: JoinKind,
    keys: JoinKeys,
    condition: Condition,
    types: [Vec<DataType>; 2],
    time_columns: [usize; 2],
    /// How far a partner's time may lie *before* a row's, per side: the left's is `-lower`
    /// (Flink's `leftRelativeSize`), the right's is `upper`.
    relative: [i64; 2],
    /// Times up to which each side's cache has been cleaned (per operator, as in Flink).
    expiration: [i64; 2],
    states: HashMap<u32, KeyState>,
    timers: BTreeSet<(i64, u32)>,
    io: JoinIo,
}

impl IntervalJoin {
    pub fn new(join: &Join, bounds: TimeBounds, left_types: Vec<DataType>, right_types: Vec<DataType>) -> Self {
        let TimeBounds { left_time, right_time, lower, upper } = bounds;
        IntervalJoin {
            kind: join.kind,
            keys: JoinKeys::new(join, &left_types),
            condition: Condition::new(join, &left_types, &right_types),
            io: JoinIo::new(&left_types, &right_types),
            types: [left_types, right_types],
            time_columns: [left_time, right_time],
            relative: [-lower, upper],
            expiration: [0, 0],
            states: HashMap::new(),
            timers: BTreeSet::new(),
        }
    }

    fn outer(&self, side: usize) -> bool {
        if side == 0 {
            self.kind.left_outer()
        } else {
            self.kind.right_outer()
        }
    }

    fn delay(&self) -> i64 {
        self.relative[0].max(self.relative[1])
    }

    fn output_arrival(&self, combined: i64) -> i64 {
        self.output_watermark(combined)
    }

    fn emit(&mut self, side: usize, row: &[Value], other: Option<&[Value]>, arrival: i64) {
        let (l, r) = if side == 0 { (Some(row), other) } else { (other, Some(row)) };
        self.io.output.push(RowKind::Insert, l, r, arrival);
    }

    /// Fires the clean-up timers due at watermark `wm`.
    fn fire_timers(&mut self, wm: i64) {
        while let Some(&(ts, key)) = self.timers.first() {
            if ts > wm {
                break;
            }
            self.timers.pop_first();
            let operator_time = operator_time(wm);
            // Flink checks the right cache's timer first, then the left's.
            for side in [1, 0] {
                if self.states.get(&key).and_then(|s| s.timers[side]) == Some(ts) {
                    self.expiration[side] = expiration_time(operator_time, self.relative[side]);
                    self.remove_expired(key, side, wm);
                }
            }
            if self.states.get(&key).is_some_and(|s| s.caches.iter().all(Cache::is_empty) && s.timers.iter().all(Option::is_none)) {
                self.states.remove(&key);
            }
        }
    }

    /// A timer's clean-up: `side`'s expired rows of `key` go, and a new timer is set for the
    /// earliest row left (Flink clears the cache when none is left after the epoch).
    fn remove_expired(&mut self, key: u32, side: usize, wm: i64) {
        self.drop_expired(key, side, self.output_arrival(wm));
        let Some(state) = self.states.get_mut(&key) else { return };
        state.timers[side] = None;
        match state.caches[side].keys().next().copied().filter(|t| *t > 0) {
            Some(t) => self.register_cleanup(key, side, t),
            None => state.caches[side].clear(),
        }
    }

    /// Drops `side`'s rows of `key` at or before its expiration time, emitting an outer side's
    /// never-joined rows NULL-padded.
    fn drop_expired(&mut self, key: u32, side: usize, arrival: i64) {
        let expiration = self.expiration[side];
        let Some(state) = self.states.get_mut(&key) else { return };
        if state.caches[side].first_key_value().is_none_or(|(t, _)| *t > expiration) {
            return;
        }
        let kept = state.caches[side].split_off(&expiration.saturating_add(1));
        let expired = std::mem::replace(&mut state.caches[side], kept);
        if self.outer(side) {
            for (row, _) in expired.into_values().flatten().filter(|(_, joined)| !joined) {
                self.emit(side, &row, None, arrival);
            }
        }
    }

    /// Sets the clean-up timer of `side`'s cache of `key` for a row at time `t`.
    fn register_cleanup(&mut self, key: u32, side: usize, t: i64) {
        let at = t.saturating_add(self.relative[side]).saturating_add(1);
        self.states.entry(key).or_default().timers[side] = Some(at);
        self.timers.insert((at, key));
    }

    fn join_one(&mut self, side: Side, batch: &Batch, i: usize, wm: i64) -> Result<(), EvalError> {
        self.fire_timers(wm);
        let s = side.index();
        let o = 1 - s;
        let ColumnData::Int(times) = &batch.columns[self.time_columns[s]].data else {
            return Err(EvalError("an interval join's time attribute is not a timestamp".into()));
        };
        if !batch.columns[self.time_columns[s]].is_valid(i) {
            return Ok(()); // no time, no interval: Flink fails here; the row cannot join.
        }
        let t = times[i];
        let row = batch.row(i, &self.types[s]);
        let (key, null) = self.keys.key(side, batch, i);
        let arrival = self.output_arrival(wm);
        let operator_time = operator_time(wm);
        // Partners on the other side lie in [t - relative[o], t + relative[s]].
        let (lower, upper) = (t.saturating_sub(self.relative[o]), t.saturating_add(self.relative[s]));
        let mut emitted = false;
        if self.expiration[o] < upper {
            self.expiration[o] = expiration_time(operator_time, self.relative[o]);
            let state = self.states.entry(key).or_default();
            state.null |= null;
            let matches = if state.null {
                None
            } else if self.condition.is_always_true() {
                Some(Vec::new())
            } else {
                let candidates = state.caches[o].range(lower..=upper).flat_map(|(_, rows)| rows.iter().map(|(r, _)| r.as_slice()));
                Some(self.condition.matches(side, &row, candidates)?)
            };
            if let Some(matches) = matches {
                let mut m = matches.into_iter();
                let (l, r) = if s == 0 { (Some(&row), None) } else { (None, Some(&row)) };
                for (_, rows) in state.caches[o].range_mut(lower..=upper) {
                    for (other, other_joined) in rows.iter_mut() {
                        if m.next().unwrap_or(true) {
                            let (l, r) = (l.or(Some(other)), r.or(Some(other)));
                            self.io.output.push(RowKind::Insert, l.map(Vec::as_slice), r.map(Vec::as_slice), arrival);
                            emitted = true;
                            *other_joined = true;
                        }
                    }
                }
            }
            // Clean the other side's expired rows while here, as Flink does.
            self.drop_expired(key, o, arrival);
        }
        if operator_time < upper {
            let state = self.states.entry(key).or_default();
            state.null |= null;
            state.caches[s].entry(t).or_default().push((row, emitted));
            if state.timers[s].is_none() {
                self.register_cleanup(key, s, t);
            }
        } else if !emitted && self.outer(s) {
            self.emit(s, &row, None, arrival);
        }
        Ok(())
    }
}

/// Flink's operator time: the watermark, or 0 before there is a positive one.
fn operator_time(wm: i64) -> i64 {
    if wm > 0 {
        wm
    } else {
        0
    }
}

fn expiration_time(operator_time: i64, relative: i64) -> i64 {
    if operator_time < i64::MAX {
        operator_time - relative - 1
    } else {
        i64::MAX
    }
}

impl TwoInputOperator for IntervalJoin {
    fn name(&self) -> String {
        format!("IntervalJoin({}, leftLowerBound={}, leftUpperBound={})", self.kind.sql(), -self.relative[0], self.relative[1])
    }

    fn io(&mut self) -> &mut JoinIo {
        &mut self.io
    }

    fn join_row(&mut self, side: Side, batch: &Batch, i: usize, wm: i64) -> Result<(), EvalError> {
        self.join_one(side, batch, i, wm)
    }

    fn fire(&mut self, wm: i64) -> Result<(), EvalError> {
        self.fire_timers(wm);
        Ok(())
    }

    fn output_watermark(&self, combined: i64) -> i64 {
        if combined == NO_WATERMARK || combined == END_OF_INPUT {
            combined
        } else {
            combined.saturating_sub(self.delay())
        }
    }

    fn metrics(&self) -> OperatorMetrics {
        let rows: usize = self.states.values().flat_map(|s| s.caches.iter()).flat_map(|c| c.values()).map(Vec::len).sum();
        OperatorMetrics { state_rows: rows as u64, ..self.io.metrics.clone() }
    }

    fn set_user_functions(&mut self, host: &std::rc::Rc<dyn crate::plan::functions::user::UserFunctionHost>) {
        self.condition.set_user_functions(host);
    }

    fn set_now(&mut self, now_ms: i64) {
        self.condition.set_now(now_ms);
    }
}
