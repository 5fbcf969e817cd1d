//! The streaming operator interface: batches of changes in, batches out, and watermarks.

use super::eval::EvalError;
use crate::types::Value;

/// What an operator reports for the jobs panel and EXPLAIN's live counts.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct OperatorMetrics {
    pub records_in: u64,
    pub records_out: u64,
    pub late_records_dropped: u64,
    /// Rows (groups, windows × keys, …) held in state right now.
    pub state_rows: u64,
}

/// A record an operator dropped because it arrived behind the watermark.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LateRecord {
    /// The operator's input row.
    pub row: Vec<Value>,
    pub event_time: i64,
    /// The watermark in force when the record arrived.
    pub watermark: i64,
    /// The windows (start, end) it would have counted in, all already fired, for a window
    /// operator; empty where the operator has no windows (an OVER aggregate, a sort).
    pub missed: Vec<(i64, i64)>,
}

/// At most this many late records are kept per operator for display.
pub const LATE_RECORDS_KEPT: usize = 1000;

pub trait Operator {
    fn name(&self) -> String;

    /// Processes one batch, appending whatever it emits to `out`.
    fn process(&mut self, batch: crate::types::Batch, out: &mut Vec<crate::types::Batch>) -> Result<(), EvalError>;

    /// The watermark has advanced to `watermark`: fire what is due.
    fn on_watermark(&mut self, _watermark: i64, _out: &mut Vec<crate::types::Batch>) -> Result<(), EvalError> {
        Ok(())
    }

    fn metrics(&self) -> OperatorMetrics;

    /// The processing-time clock moved (`PROCTIME()`, `CURRENT_TIMESTAMP`, state expiry).
    fn set_now(&mut self, _now_ms: i64) {}

    /// The host that runs user-defined functions its expressions call.
    fn set_user_functions(&mut self, _host: &std::rc::Rc<dyn crate::plan::functions::user::UserFunctionHost>) {}

    /// `table.exec.state.ttl`: keyed state idle this long (processing time) may be dropped.
    fn set_state_ttl(&mut self, _ttl_ms: Option<i64>) {}

    /// The most recent records dropped as late (oldest first).
    fn late_records(&self) -> Vec<LateRecord> {
        Vec::new()
    }

    /// The windows (start, end) that hold data and wait for the watermark to pass their end,
    /// earliest end first, at most `limit` of them (the diagnosis of an empty result).
    fn pending_windows(&self, _limit: usize) -> Vec<(i64, i64)> {
        Vec::new()
    }

    /// How many windows wait for the watermark (see [`Self::pending_windows`]).
    fn pending_window_count(&self) -> usize {
        0
    }

    /// The watermark at which this operator fires next (a pending window's end − 1), if it
    /// waits for one. The virtual clock steps "to the next window firing" with it.
    fn next_timer(&self) -> Option<i64> {
        None
    }

    /// Whether the operator will emit nothing more, whatever it is given (a LIMIT that has
    /// its rows). A job whose result operator is complete is finished.
    fn is_complete(&self) -> bool {
        false
    }

    /// Whether the operator emits only rows computed from the batch it is given, keeping no
    /// state and firing nothing on a watermark (a filter or projection): after a complete
    /// operator, it emits nothing more either.
    fn is_stateless(&self) -> bool {
        false
    }
}

/// Runs `batches` through `chain` in order, appending what comes out of the last operator to
/// `out` (the pipeline's operators, and each branch of a UNION ALL).
pub fn run_chain(
    chain: &mut [Box<dyn Operator>],
    mut batches: Vec<crate::types::Batch>,
    out: &mut Vec<crate::types::Batch>,
) -> Result<(), EvalError> {
    for op in chain {
        let mut next = Vec::with_capacity(batches.len());
        for b in batches {
            op.process(b, &mut next)?;
        }
        batches = next;
        if batches.is_empty() {
            return Ok(());
        }
    }
    out.extend(batches);
    Ok(())
}

/// Hands an operator's built rows on, if there are any, counting them as its output.
pub fn emit_rows(emit: crate::types::BatchBuilder, metrics: &mut OperatorMetrics, out: &mut Vec<crate::types::Batch>) {
    if !emit.is_empty() {
        let b = emit.finish();
        metrics.records_out += b.len() as u64;
        out.push(b);
    }
}
