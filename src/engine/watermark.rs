//! Watermark generation from a table's `WATERMARK FOR rowtime AS expr`.
//!
//! As in Flink, the watermark is the largest value of `expr` seen so far, and it only moves
//! forward. Each row is stamped with the watermark in force *before* it arrived (see
//! `types::batch`), which is what later operators compare against to decide lateness.

use super::eval::{eval, EvalContext, EvalError};
use super::split_watermark::SplitWatermarks;
use crate::plan::Expr;
use crate::types::{Batch, ColumnData};

/// The watermark before any has been emitted.
pub const NO_WATERMARK: i64 = i64::MIN;
/// The watermark at the end of a bounded input: every pending timer fires.
pub const END_OF_INPUT: i64 = i64::MAX;

pub struct WatermarkAssigner {
    expr: Expr,
    current: i64,
    context: EvalContext,
    /// Set for a source whose splits keep watermarks of their own (Kafka's partitions).
    splits: Option<SplitWatermarks>,
    /// The rowtime column, when known: the delay the expression gives is measured on it.
    rowtime: Option<usize>,
    /// The rowtime minus the expression's value, as last measured: `event_time - INTERVAL
    /// '5' SECOND` gives 5,000 (the diagnosis says "a delay of 5 s").
    delay_ms: Option<i64>,
    /// Subtracted from every value of the expression: a what-if replay under another delay
    /// (0 in a job).
    shift_ms: i64,
}

impl WatermarkAssigner {
    pub fn new(expr: Expr) -> Self {
        WatermarkAssigner {
            expr,
            current: NO_WATERMARK,
            context: EvalContext::default(),
            splits: None,
            rowtime: None,
            delay_ms: None,
            shift_ms: 0,
        }
    }

    /// An assigner that also measures its delay against the rowtime column `rowtime`.
    pub fn with_rowtime(expr: Expr, rowtime: usize) -> Self {
        WatermarkAssigner { rowtime: Some(rowtime), ..Self::new(expr) }
    }

    /// The delay the expression gives (rowtime − watermark candidate), once a row was seen.
    pub fn delay_ms(&self) -> Option<i64> {
        self.delay_ms.map(|d| d.saturating_add(self.shift_ms))
    }

    /// Lowers every watermark by `shift_ms` more (a what-if replay's longer delay; negative:
    /// shorter).
    /// The host of user-defined functions the watermark expression calls.
    pub fn set_user_functions(&mut self, host: &std::rc::Rc<dyn crate::plan::functions::user::UserFunctionHost>) {
        self.context.user_functions = Some(host.clone());
    }

    pub fn set_shift(&mut self, shift_ms: i64) {
        self.shift_ms = shift_ms;
    }

    pub fn current(&self) -> i64 {
        self.splits.as_ref().map_or(self.current, SplitWatermarks::current)
    }

    /// From now on the watermark is kept per split and combined (see [`SplitWatermarks`]).
    pub fn per_split(&mut self, splits: usize, idle_timeout_ms: Option<i64>) {
        match &mut self.splits {
            Some(s) => s.set_split_count(splits),
            None => self.splits = Some(SplitWatermarks::new(splits, idle_timeout_ms)),
        }
    }

    pub fn split_watermarks(&self) -> Option<&SplitWatermarks> {
        self.splits.as_ref()
    }

    pub fn split_watermarks_mut(&mut self) -> Option<&mut SplitWatermarks> {
        self.splits.as_mut()
    }

    /// Stamps `batch`, whose row `i` came from split `splits[i]`, with arrival watermarks, and
    /// advances each split's watermark past its rows; `now_ms` is when they arrived.
    pub fn assign_splits(&mut self, batch: &mut Batch, splits: &[u32], now_ms: i64) -> Result<(), EvalError> {
        let Some(state) = &mut self.splits else { return self.assign(batch) };
        let candidates = eval(&self.expr, batch, &self.context)?;
        let ColumnData::Int(values) = &candidates.data else {
            return Err(EvalError("the watermark expression did not give a timestamp".into()));
        };
        let mut stamps = Vec::with_capacity(batch.len());
        for (i, &v) in values.iter().enumerate() {
            let split = splits.get(i).copied().unwrap_or(0);
            stamps.push(state.on_record(split, candidates.is_valid(i).then_some(v.saturating_sub(self.shift_ms)), now_ms));
        }
        batch.arrival_watermarks = Some(stamps);
        Ok(())
    }

    /// Stamps `batch` with arrival watermarks and advances the watermark past it.
    pub fn assign(&mut self, batch: &mut Batch) -> Result<(), EvalError> {
        let candidates = eval(&self.expr, batch, &self.context)?;
        let ColumnData::Int(values) = &candidates.data else {
            return Err(EvalError("the watermark expression did not give a timestamp".into()));
        };
        if let Some(rowtime) = self.rowtime.and_then(|c| batch.columns.get(c)) {
            if let ColumnData::Int(times) = &rowtime.data {
                // The last row where both are set: the expression's delay as it stands now.
                let both = (0..values.len().min(times.len())).rev().find(|&i| candidates.is_valid(i) && rowtime.is_valid(i));
                if let Some(i) = both {
                    self.delay_ms = Some(times[i].saturating_sub(values[i]));
                }
            }
        }
        // Written in place rather than pushed: a push stays a call in the worker's
        // size-optimised build, and this runs per record.
        let mut stamps = vec![0; values.len()];
        let mut wm = self.current;
        for (i, (stamp, &v)) in stamps.iter_mut().zip(values).enumerate() {
            *stamp = wm;
            let v = v.saturating_sub(self.shift_ms);
            // A NULL rowtime produces no watermark (Flink skips it).
            if v > wm && candidates.is_valid(i) {
                wm = v;
            }
        }
        self.current = wm;
        batch.arrival_watermarks = Some(stamps);
        Ok(())
    }

    /// Forces the watermark (end of input, idleness handling).
    pub fn advance_to(&mut self, watermark: i64) {
        self.current = self.current.max(watermark);
        if let Some(s) = &mut self.splits {
            s.advance_to(watermark);
        }
    }
}

/// How far an input, or a stage fed by inputs, has got: its watermark, and whether it is idle.
///
/// An input with `table.exec.source.idle-timeout` set turns idle once that much processing time
/// passed without a record, and active again at its next record, as Flink's
/// `WatermarkAssignerOperator` marks its output `WatermarkStatus.IDLE`. Where inputs meet, an
/// idle one does not hold the watermark back: see [`combine_two_inputs`] and [`combine_channels`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    pub watermark: i64,
    pub idle: bool,
}

impl Progress {
    pub fn active(watermark: i64) -> Self {
        Progress { watermark, idle: false }
    }

    /// Idle when every one of `parts` is.
    pub fn all_idle(parts: &[Progress]) -> bool {
        parts.iter().all(|p| p.idle)
    }
}

/// The least watermark of the active `parts`, if any is active.
fn least_active(parts: &[Progress]) -> Option<i64> {
    parts.iter().filter(|p| !p.idle).map(|p| p.watermark).min()
}

/// A two-input operator's combined watermark, moved on from `previous` (Flink's
/// `CombinedWatermarkStatus`): the least of the active inputs' watermarks. When both inputs
/// are idle it stays where it is, and it never goes back, even when an idle input wakes up
/// behind it.
pub fn combine_two_inputs(previous: i64, parts: &[Progress]) -> i64 {
    least_active(parts).map_or(previous, |wm| wm.max(previous))
}

/// The combined watermark in force when a row arrives on one input whose own watermark is then
/// `own`, the other inputs' least active one being `others` (`None`: all idle), moved on from
/// `previous`. The row makes its input active, so a join's rule and a union's agree here.
pub fn combine_at_arrival(previous: i64, own: i64, others: Option<i64>) -> i64 {
    others.map_or(own, |o| o.min(own)).max(previous)
}

/// The watermark of several channels of one input, as after a UNION ALL of tables, moved on
/// from `previous` (Flink's `StatusWatermarkValve`): the least of the active channels'. When
/// the last active channel turns idle, the greatest of all channels' is taken instead, since
/// none of them will move it any more. It never goes back.
pub fn combine_channels(previous: i64, parts: &[Progress]) -> i64 {
    let wm = least_active(parts).or_else(|| parts.iter().map(|p| p.watermark).max());
    wm.map_or(previous, |wm| wm.max(previous))
}

#[cfg(test)]
mod tests {
    use super::*;

    const IDLE: bool = true;

    fn p(watermark: i64, idle: bool) -> Progress {
        Progress { watermark, idle }
    }

    #[test]
    fn idle_inputs_do_not_hold_the_watermark_back_and_it_never_goes_back() {
        assert_eq!(combine_two_inputs(0, &[p(10, false), p(3, false)]), 3);
        assert_eq!(combine_two_inputs(3, &[p(10, false), p(3, IDLE)]), 10);
        // The idle input wakes up behind: the combined watermark stays.
        assert_eq!(combine_two_inputs(10, &[p(10, false), p(4, false)]), 10);
        assert_eq!(combine_channels(10, &[p(12, false), p(4, false)]), 10);
        // A row's own input counts with the others' least active watermark, if any.
        assert_eq!(combine_at_arrival(3, 10, Some(5)), 5);
        assert_eq!(combine_at_arrival(3, 10, None), 10);
        assert_eq!(combine_at_arrival(8, 4, Some(5)), 8);
    }

    #[test]
    fn all_idle_holds_a_join_but_flushes_a_union_to_its_greatest_channel() {
        assert_eq!(combine_two_inputs(3, &[p(10, IDLE), p(3, IDLE)]), 3);
        assert_eq!(combine_channels(3, &[p(10, IDLE), p(3, IDLE)]), 10);
    }
}
