//! The event-time temporal join (Flink's `TemporalRowTimeJoinOperator` with its
//! `TemporalRowTimeJoinHelper`): each left row joins the version of the right (a versioned
//! table: a primary-keyed changelog, or a deduplication keeping the last row per key) that was
//! current at the left row's time — the right row of its key with the largest time at or
//! before it.
//!
//! Per key, as Flink keeps it:
//! - left rows wait, in arrival order, until the combined watermark reaches their time;
//! - right rows are kept by their time (a later row with the same time replaces the earlier);
//! - one timer, at the smallest time registered since it last fired (a left row's or a right
//!   row's). When the watermark reaches it, every waiting left row at or before the watermark
//!   is joined, in arrival order, with the version as of its time (none if that version is a
//!   deletion, or the ON clause's other conditions fail: then a LEFT JOIN pads it with NULLs,
//!   an inner join drops it); then the versions before the latest one at or before the
//!   watermark are forgotten, and the timer is set again at the smallest time still waiting.
//!
//! Nothing is dropped as late: a left row behind the watermark waits for the next timer and
//! joins what the state still holds (so it may find no version). Rows come out just before
//! the watermark that released them, as Flink emits them from its timer before forwarding
//! the watermark.
//!
//! With `table.exec.state.ttl` (Flink's `BaseTwoInputStreamOperatorWithStateRetention`, min
//! retention the TTL, max 1.5 × it, enabled above 1 ms): each key has a processing-time
//! clean-up timer. A row of the key sets it to now + max unless it is already later than
//! now + min; when the event timer has fired, the key's remaining state sets it the same way
//! and a key left without state drops it. When the clock reaches it, the key's left rows,
//! versions and timer are forgotten: a later left row of the key finds no version.

use std::collections::{BTreeMap, BTreeSet};

use hashbrown::HashMap;

use super::{Condition, JoinIo, JoinKeys, Side, TwoInputOperator};
use crate::engine::eval::EvalError;
use crate::engine::operator::OperatorMetrics;
use crate::engine::watermark::NO_WATERMARK;
use crate::plan::logical::{Join, JoinKind, TemporalTimes};
use crate::types::{Batch, ColumnData, DataType, RowKind, Value};

/// One key's state.
#[derive(Default)]
struct KeyState {
    /// Waiting left rows in arrival order: time, row.
    left: Vec<(i64, Vec<Value>)>,
    /// The right's versions by time: whether it is a row (not a deletion), and its values.
    right: BTreeMap<i64, (bool, Vec<Value>)>,
    /// The key's one timer.
    timer: Option<i64>,
    /// The key's processing-time clean-up timer (with a state TTL).
    cleanup: Option<i64>,
}

pub struct TemporalJoin {
    left_outer: bool,
    keys: JoinKeys,
    condition: Condition,
    types: [Vec<DataType>; 2],
    times: TemporalTimes,
    state: HashMap<u32, KeyState>,
    /// Every key's timer, in firing order.
    timers: BTreeSet<(i64, u32)>,
    /// Left rows whose key holds a NULL: they match nothing (a LEFT JOIN pads them when the
    /// watermark reaches them).
    unmatched: Vec<(i64, Vec<Value>)>,
    /// The combined watermark before the current one: what released rows are stamped with.
    before: i64,
    /// `table.exec.state.ttl` as Flink's min and max retention times (none: kept for ever).
    retention: Option<(i64, i64)>,
    /// Every key's clean-up timer, in firing order.
    cleanups: BTreeSet<(i64, u32)>,
    /// The processing-time clock.
    now: i64,
    io: JoinIo,
}

impl TemporalJoin {
    pub fn new(join: &Join, times: TemporalTimes, left_types: Vec<DataType>, right_types: Vec<DataType>) -> Self {
        TemporalJoin {
            left_outer: join.kind == JoinKind::Left,
            keys: JoinKeys::new(join, &left_types),
            condition: Condition::new(join, &left_types, &right_types),
            io: JoinIo::new(&left_types, &right_types),
            types: [left_types, right_types],
            times,
            state: HashMap::new(),
            timers: BTreeSet::new(),
            unmatched: Vec::new(),
            before: NO_WATERMARK,
            retention: None,
            cleanups: BTreeSet::new(),
            now: 0,
        }
    }

    /// `registerProcessingCleanupTimer`: the key's clean-up at now + max retention, unless it
    /// is already later than now + min retention.
    fn register_cleanup(&mut self, key: u32) {
        let Some((min, max)) = self.retention else { return };
        let Some(state) = self.state.get_mut(&key) else { return };
        if state.cleanup.is_some_and(|at| self.now.saturating_add(min) <= at) {
            return;
        }
        if let Some(old) = state.cleanup.take() {
            self.cleanups.remove(&(old, key));
        }
        let at = self.now.saturating_add(max);
        state.cleanup = Some(at);
        self.cleanups.insert((at, key));
    }

    /// Fires the clean-up timers at or before the clock (`cleanupState`): those keys' state goes.
    fn clean_up(&mut self) {
        while let Some(&(at, key)) = self.cleanups.first() {
            if at > self.now {
                break;
            }
            self.cleanups.pop_first();
            if let Some(state) = self.state.remove(&key) {
                if let Some(t) = state.timer {
                    self.timers.remove(&(t, key));
                }
            }
        }
    }

    fn time_of(batch: &Batch, column: usize, i: usize) -> Result<i64, EvalError> {
        match &batch.columns[column].data {
            ColumnData::Int(v) if batch.columns[column].is_valid(i) => Ok(v[i]),
            ColumnData::Int(_) => Err(EvalError("a temporal join's time attribute is NULL".into())),
            _ => Err(EvalError("a temporal join's time attribute is not a timestamp".into())),
        }
    }

    /// Registers `time` for `key` if it is smaller than the key's timer (Flink's
    /// `registerSmallestTimer`).
    fn register(&mut self, key: u32, time: i64) {
        let state = self.state.entry(key).or_default();
        match state.timer {
            Some(t) if t <= time => {}
            old => {
                if let Some(t) = old {
                    self.timers.remove(&(t, key));
                }
                state.timer = Some(time);
                self.timers.insert((time, key));
            }
        }
    }

    /// Fires every timer at or before `wm`, in time order.
    fn fire_timers(&mut self, wm: i64) -> Result<(), EvalError> {
        if wm > self.before {
            self.release_unmatched(wm);
        }
        while let Some(&(time, key)) = self.timers.first() {
            if time > wm {
                break;
            }
            self.timers.pop_first();
            let Some(mut state) = self.state.remove(&key) else { continue };
            state.timer = None;
            self.emit_and_clean(&mut state, wm)?;
            let waiting = state.left.iter().map(|(t, _)| *t).min();
            let keep = !state.left.is_empty() || !state.right.is_empty();
            if keep {
                self.state.insert(key, state);
                self.register_cleanup(key);
            } else if let Some(at) = state.cleanup {
                // `cleanupLastTimer`: nothing left to clean.
                self.cleanups.remove(&(at, key));
            }
            if let Some(t) = waiting {
                self.register(key, t);
            }
        }
        Ok(())
    }

    /// `emitResultAndCleanUpState`: joins the key's left rows at or before `wm`, then forgets
    /// the versions no later row can need.
    fn emit_and_clean(&mut self, state: &mut KeyState, wm: i64) -> Result<(), EvalError> {
        let (due, waiting): (Vec<_>, Vec<_>) = std::mem::take(&mut state.left).into_iter().partition(|(t, _)| *t <= wm);
        state.left = waiting;
        for (time, row) in due {
            let version = state.right.range(..=time).next_back().map(|(_, v)| v);
            let joined = match version {
                Some((true, right)) => self.condition.matches(Side::Left, &row, std::iter::once(right.as_slice()))?.first() == Some(&true),
                _ => false,
            };
            match version {
                Some((_, right)) if joined => self.io.output.push(RowKind::Insert, Some(&row), Some(right), self.before),
                _ if self.left_outer => self.io.output.push(RowKind::Insert, Some(&row), None, self.before),
                _ => {}
            }
        }
        // Keep the latest version at or before the watermark, and every later one.
        if let Some(&keep_from) = state.right.range(..=wm).next_back().map(|(t, _)| t) {
            state.right = state.right.split_off(&keep_from);
        }
        Ok(())
    }

    fn release_unmatched(&mut self, wm: i64) {
        if self.unmatched.is_empty() {
            return;
        }
        let (due, waiting): (Vec<_>, Vec<_>) = std::mem::take(&mut self.unmatched).into_iter().partition(|(t, _)| *t <= wm);
        self.unmatched = waiting;
        if self.left_outer {
            for (_, row) in due {
                self.io.output.push(RowKind::Insert, Some(&row), None, self.before);
            }
        }
    }

    fn advance(&mut self, wm: i64) -> Result<(), EvalError> {
        if wm > self.before {
            self.fire_timers(wm)?;
            self.before = wm;
        }
        Ok(())
    }
}

impl TwoInputOperator for TemporalJoin {
    fn name(&self) -> String {
        format!("TemporalJoin({})", if self.left_outer { JoinKind::Left.sql() } else { JoinKind::Inner.sql() })
    }

    fn io(&mut self) -> &mut JoinIo {
        &mut self.io
    }

    fn join_row(&mut self, side: Side, batch: &Batch, i: usize, wm: i64) -> Result<(), EvalError> {
        self.advance(wm)?;
        let (key, null) = self.keys.key(side, batch, i);
        match side {
            Side::Left => {
                let time = Self::time_of(batch, self.times.left_time, i)?;
                let row = batch.row(i, &self.types[0]);
                if null {
                    self.unmatched.push((time, row));
                } else {
                    self.state.entry(key).or_default().left.push((time, row));
                    self.register(key, time);
                    self.register_cleanup(key);
                }
            }
            Side::Right => {
                // `-U` rows never reach the join (it reads `+U` alone); a NULL key matches nothing.
                let kind = batch.kind(i);
                if null || kind == RowKind::UpdateBefore {
                    return Ok(());
                }
                let time = Self::time_of(batch, self.times.right_time, i)?;
                let row = batch.row(i, &self.types[1]);
                self.state.entry(key).or_default().right.insert(time, (kind != RowKind::Delete, row));
                self.register(key, time);
                self.register_cleanup(key);
            }
        }
        Ok(())
    }

    fn fire(&mut self, wm: i64) -> Result<(), EvalError> {
        self.advance(wm)
    }

    fn metrics(&self) -> OperatorMetrics {
        let rows: usize = self.state.values().map(|s| s.left.len() + s.right.len()).sum::<usize>() + self.unmatched.len();
        OperatorMetrics { state_rows: rows as u64, ..self.io.metrics.clone() }
    }

    fn set_user_functions(&mut self, host: &std::rc::Rc<dyn crate::plan::functions::user::UserFunctionHost>) {
        self.condition.set_user_functions(host);
    }

    fn set_now(&mut self, now_ms: i64) {
        self.condition.set_now(now_ms);
        self.now = now_ms;
        self.clean_up();
    }

    fn set_state_ttl(&mut self, ttl_ms: Option<i64>) {
        // Flink cleans state only when the minimum retention is over 1 ms.
        self.retention = ttl_ms.filter(|&t| t > 1).map(|t| (t, t.saturating_mul(3) / 2));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::Location;
    use crate::types::BatchBuilder;

    const LEFT: [DataType; 2] = [DataType::Int, DataType::Timestamp(3)];
    const RIGHT: [DataType; 3] = [DataType::Int, DataType::Int, DataType::Timestamp(3)];

    fn join(kind: JoinKind) -> TemporalJoin {
        let join = Join {
            kind,
            left_keys: vec![0],
            right_keys: vec![0],
            condition: None,
            time_bounds: None,
            window_ends: None,
            temporal: Some(TemporalTimes { left_time: 1, right_time: 2 }),
            location: Location::default(),
        };
        TemporalJoin::new(&join, TemporalTimes { left_time: 1, right_time: 2 }, LEFT.to_vec(), RIGHT.to_vec())
    }

    fn one(types: &[DataType], kind: RowKind, row: &[Value]) -> Batch {
        let mut b = BatchBuilder::new(types);
        b.push(kind, row, 0);
        b.finish()
    }

    /// Feeds `(side, kind, key, value, time, watermark)` rows; returns the output as
    /// `(left time, right value or None)`.
    fn run(op: &mut TemporalJoin, rows: &[(Side, RowKind, i64, i64, i64, i64)]) -> Vec<(i64, Option<i64>)> {
        feed(op, rows);
        op.fire(i64::MAX).unwrap();
        output(op)
    }

    fn feed(op: &mut TemporalJoin, rows: &[(Side, RowKind, i64, i64, i64, i64)]) {
        for &(side, kind, key, value, time, wm) in rows {
            let batch = match side {
                Side::Left => one(&LEFT, kind, &[Value::Int(key), Value::Timestamp(time)]),
                Side::Right => one(&RIGHT, kind, &[Value::Int(key), Value::Int(value), Value::Timestamp(time)]),
            };
            op.join_row(side, &batch, 0, wm).unwrap();
        }
    }

    fn output(op: &mut TemporalJoin) -> Vec<(i64, Option<i64>)> {
        let mut out = Vec::new();
        op.io.output.emit(&mut op.io.metrics, &mut out);
        let types = [LEFT.as_slice(), RIGHT.as_slice()].concat();
        out.iter()
            .flat_map(|b| (0..b.len()).map(|i| b.row(i, &types)))
            .map(|r| {
                let Value::Timestamp(t) = r[1] else { panic!("left time") };
                (t, if let Value::Int(v) = r[3] { Some(v) } else { None })
            })
            .collect()
    }

    use RowKind::{Delete, Insert, UpdateAfter, UpdateBefore};
    use Side::{Left, Right};

    #[test]
    fn each_left_row_joins_the_version_as_of_its_time_once_the_watermark_reaches_it() {
        let mut op = join(JoinKind::Inner);
        let out = run(
            &mut op,
            &[
                (Right, Insert, 1, 10, 1_000, 0),
                (Left, Insert, 1, 0, 2_000, 0),
                (Right, UpdateBefore, 1, 10, 1_000, 0),
                (Right, UpdateAfter, 1, 20, 3_000, 0),
                (Left, Insert, 1, 0, 3_500, 0),
                // Before any version of its key: nothing to join.
                (Left, Insert, 1, 0, 500, 0),
            ],
        );
        assert_eq!(out, [(2_000, Some(10)), (3_500, Some(20))]);
    }

    #[test]
    fn a_late_left_row_joins_what_the_state_still_holds_and_a_deletion_joins_nothing() {
        let mut op = join(JoinKind::Left);
        let out = run(
            &mut op,
            &[
                (Right, Insert, 1, 10, 1_000, 0),
                (Right, UpdateAfter, 1, 20, 3_000, 0),
                (Left, Insert, 1, 0, 4_000, 0),
                // The watermark passes 4 s: the left row joins, and the 1 s version goes (the
                // 3 s one is the latest at the watermark).
                (Left, Insert, 1, 0, 1_500, 5_000),
                (Left, Insert, 1, 0, 3_200, 5_000),
                (Right, Delete, 1, 20, 6_000, 5_500),
                (Left, Insert, 1, 0, 7_000, 5_500),
            ],
        );
        assert_eq!(out, [(4_000, Some(20)), (1_500, None), (3_200, Some(20)), (7_000, None)]);
    }

    /// A version written at `written` (processing time), the watermark past it, then a left
    /// row at event time 2 s arriving at processing time `probe`: what it joins.
    fn joined_after_idle(ttl: Option<i64>, touched: Option<i64>, probe: i64) -> Vec<(i64, Option<i64>)> {
        let mut op = join(JoinKind::Left);
        op.set_state_ttl(ttl);
        op.set_now(0);
        feed(&mut op, &[(Right, Insert, 1, 10, 1_000, 0), (Left, Insert, 1, 0, 1_500, 0)]);
        op.fire(1_500).unwrap();
        if let Some(t) = touched {
            op.set_now(t);
            feed(&mut op, &[(Left, Insert, 1, 0, 1_600, 1_500)]);
            op.fire(1_600).unwrap();
        }
        let _ = output(&mut op);
        op.set_now(probe);
        feed(&mut op, &[(Left, Insert, 1, 0, 2_000, 1_600)]);
        op.fire(2_500).unwrap();
        output(&mut op)
    }

    #[test]
    fn with_a_state_ttl_an_idle_key_forgets_its_versions_after_one_and_a_half_ttl() {
        // Without a TTL the version is kept for ever.
        assert_eq!(joined_after_idle(None, None, 1_000_000), [(2_000, Some(10))]);
        // TTL 1 s: the key's clean-up is at 1.5 s of processing time.
        assert_eq!(joined_after_idle(Some(1_000), None, 1_499), [(2_000, Some(10))]);
        assert_eq!(joined_after_idle(Some(1_000), None, 1_500), [(2_000, None)]);
        // A row at 0.6 s (0.6 + 1 > 1.5) moves the clean-up to 0.6 + 1.5 = 2.1 s; one at 0.4 s
        // (0.4 + 1 <= 1.5) does not.
        assert_eq!(joined_after_idle(Some(1_000), Some(600), 2_000), [(2_000, Some(10))]);
        assert_eq!(joined_after_idle(Some(1_000), Some(600), 2_100), [(2_000, None)]);
        assert_eq!(joined_after_idle(Some(1_000), Some(400), 1_500), [(2_000, None)]);
        // Flink cleans nothing with a TTL of 1 ms.
        assert_eq!(joined_after_idle(Some(1), None, 1_000_000), [(2_000, Some(10))]);
    }
}
