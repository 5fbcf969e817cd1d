//! Two-input operators: the joins.
//!
//! A join sees two inputs, each with its own watermark; what it may clean up or fire is
//! decided by the *combined* watermark, the lesser of the two, as in Flink's two-input
//! operators. Batches of both inputs are buffered by [`TwoInputs`] and handed to the join row by
//! row in arrival order, each with the combined watermark in force when it arrived — as if
//! Flink had seen a watermark after every record of either input.
//!
//! - [`regular`]: `StreamingJoinOperator`, both inputs kept for ever, retractions right.
//! - [`interval`]: `RowTimeIntervalJoin`, rows kept while a partner can still come.
//! - [`window`]: `WindowJoinOperator`, a window's rows joined when it fires.
//! - [`temporal`]: `TemporalRowTimeJoinOperator`, each left row joined with the right's
//!   version as of its time, once the watermark reaches it.

pub mod interval;
pub mod regular;
pub mod temporal;
pub mod window;

pub use interval::IntervalJoin;
pub use regular::RegularJoin;
pub use temporal::TemporalJoin;
pub use window::WindowJoin;

use super::eval::{eval, selection, EvalContext, EvalError};
use super::group_table::GroupTable;
use super::operator::{LateRecord, OperatorMetrics};
use super::watermark::{combine_at_arrival, combine_two_inputs, Progress, NO_WATERMARK};
use crate::plan::logical::Join;
use crate::plan::Expr;
use crate::types::{Batch, BatchBuilder, DataType, RowKind, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Left,
    Right,
}

impl Side {
    fn index(self) -> usize {
        match self {
            Side::Left => 0,
            Side::Right => 1,
        }
    }
}

pub trait TwoInputOperator {
    fn name(&self) -> String;

    /// The buffers every join has: pending input rows, built output, metrics.
    fn io(&mut self) -> &mut JoinIo;

    /// Joins one input row, `side`'s row `i` of `batch`, arriving under combined watermark `wm`.
    fn join_row(&mut self, side: Side, batch: &Batch, i: usize, wm: i64) -> Result<(), EvalError>;

    /// The combined watermark reached `wm`: fire (and forget) what it makes due.
    fn fire(&mut self, _wm: i64) -> Result<(), EvalError> {
        Ok(())
    }

    /// Takes a batch of one input (joined at the next [`Self::flush`]).
    fn process(&mut self, side: Side, batch: Batch) {
        let io = self.io();
        io.metrics.records_in += batch.len() as u64;
        io.inputs.push(side, batch);
    }

    /// Joins what [`Self::process`] took, both inputs' rows in arrival order.
    fn flush(&mut self, out: &mut Vec<Batch>) -> Result<(), EvalError> {
        let mut inputs = std::mem::take(&mut self.io().inputs);
        let result = inputs.drain(|side, batch, i, wm| self.join_row(side, batch, i, wm));
        self.io().inputs = inputs;
        result?;
        self.io().emit(out);
        Ok(())
    }

    /// The inputs' watermarks moved on: fire what the combined watermark makes due, and
    /// return it.
    fn on_watermarks(&mut self, left: Progress, right: Progress, out: &mut Vec<Batch>) -> Result<i64, EvalError> {
        let io = self.io();
        io.inputs.advance(left, right);
        let combined = io.inputs.combined();
        self.fire(combined)?;
        self.io().emit(out);
        Ok(combined)
    }

    /// The watermark the join's output has when its inputs' combined watermark is `combined`.
    fn output_watermark(&self, combined: i64) -> i64 {
        combined
    }

    fn metrics(&self) -> OperatorMetrics;

    fn set_now(&mut self, _now_ms: i64) {}

    /// The host that runs user-defined functions its condition calls.
    fn set_user_functions(&mut self, _host: &std::rc::Rc<dyn crate::plan::functions::user::UserFunctionHost>) {}

    /// `table.exec.state.ttl`: kept rows not written for this long (processing time) are gone.
    fn set_state_ttl(&mut self, _ttl_ms: Option<i64>) {}

    fn late_records(&self) -> Vec<LateRecord> {
        Vec::new()
    }
}

/// What every join buffers: its inputs' pending rows, the output being built, its metrics.
pub struct JoinIo {
    pub inputs: TwoInputs,
    pub output: JoinOutput,
    pub metrics: OperatorMetrics,
}

impl JoinIo {
    pub fn new(left_types: &[DataType], right_types: &[DataType]) -> Self {
        JoinIo { inputs: TwoInputs::default(), output: JoinOutput::new(left_types, right_types), metrics: OperatorMetrics::default() }
    }

    fn emit(&mut self, out: &mut Vec<Batch>) {
        self.output.emit(&mut self.metrics, out);
    }
}

/// Both inputs' pending batches and watermarks.
pub struct TwoInputs {
    pending: [Vec<Batch>; 2],
    /// Each input's watermark as far as the join has seen it.
    watermarks: [i64; 2],
    /// Whether each input is idle: an idle input's watermark does not count.
    idle: [bool; 2],
    /// The combined watermark so far (see [`combine_two_inputs`]).
    combined: i64,
}

impl Default for TwoInputs {
    fn default() -> Self {
        TwoInputs { pending: [Vec::new(), Vec::new()], watermarks: [NO_WATERMARK; 2], idle: [false; 2], combined: NO_WATERMARK }
    }
}

impl TwoInputs {
    pub fn push(&mut self, side: Side, batch: Batch) {
        if !batch.is_empty() {
            self.pending[side.index()].push(batch);
        }
    }

    pub fn combined(&self) -> i64 {
        self.combined
    }

    pub fn advance(&mut self, left: Progress, right: Progress) {
        for (k, p) in [left, right].into_iter().enumerate() {
            self.watermarks[k] = self.watermarks[k].max(p.watermark);
            self.idle[k] = p.idle;
        }
        let parts = [0, 1].map(|k| Progress { watermark: self.watermarks[k], idle: self.idle[k] });
        self.combined = combine_two_inputs(self.combined, &parts);
    }

    /// The combined watermark in force when input `own` reached `own_wm` and the other input
    /// is at `other` (`None` when it is idle); a row makes its own input active.
    fn arrive(&mut self, own: usize, own_wm: i64, other: Option<i64>) -> i64 {
        self.watermarks[own] = own_wm;
        self.idle[own] = false;
        self.combined = combine_at_arrival(self.combined, own_wm, other);
        self.combined
    }

    /// Hands every pending row to `f` in arrival order (left first on ties), with the combined
    /// watermark in force when it arrived: its own input's watermark before it, and the other
    /// input's watermark before that input's next pending row.
    pub fn drain(&mut self, mut f: impl FnMut(Side, &Batch, usize, i64) -> Result<(), EvalError>) -> Result<(), EvalError> {
        let [left, right] = std::mem::take(&mut self.pending);
        let rows = |batches: &[Batch]| -> Vec<(usize, usize)> {
            batches.iter().enumerate().flat_map(|(b, batch)| (0..batch.len()).map(move |r| (b, r))).collect()
        };
        let (l, r) = (rows(&left), rows(&right));
        let arrival = |batches: &[Batch], (b, r): (usize, usize)| batches[b].arrival_watermark(r);
        let (mut i, mut j) = (0, 0);
        while i < l.len() || j < r.len() {
            let take_left = j == r.len() || (i < l.len() && arrival(&left, l[i]) <= arrival(&right, r[j]));
            // The other input counts if it has a row pending (then it is active) or is active.
            if take_left {
                let own = arrival(&left, l[i]).max(self.watermarks[0]);
                let other = if j < r.len() {
                    Some(arrival(&right, r[j]).max(self.watermarks[1]))
                } else {
                    (!self.idle[1]).then_some(self.watermarks[1])
                };
                let wm = self.arrive(0, own, other);
                f(Side::Left, &left[l[i].0], l[i].1, wm)?;
                i += 1;
            } else {
                let own = arrival(&right, r[j]).max(self.watermarks[1]);
                let other = if i < l.len() {
                    Some(arrival(&left, l[i]).max(self.watermarks[0]))
                } else {
                    (!self.idle[0]).then_some(self.watermarks[0])
                };
                let wm = self.arrive(1, own, other);
                f(Side::Right, &right[r[j].0], r[j].1, wm)?;
                j += 1;
            }
        }
        Ok(())
    }
}

/// The equi-join keys of both inputs as ids in one table.
pub struct JoinKeys {
    table: GroupTable,
    columns: [Vec<usize>; 2],
}

impl JoinKeys {
    pub fn new(join: &Join, left_types: &[DataType]) -> Self {
        let key_types: Vec<DataType> = join.left_keys.iter().map(|&c| left_types[c].clone()).collect();
        JoinKeys { table: GroupTable::new(&key_types), columns: [join.left_keys.clone(), join.right_keys.clone()] }
    }

    /// The key id of row `row` of a `side` batch, and whether a key column is NULL (such a row
    /// matches nothing: SQL's `NULL = x` is never true).
    pub fn key(&mut self, side: Side, batch: &Batch, row: usize) -> (u32, bool) {
        let columns = &self.columns[side.index()];
        let null = columns.iter().any(|&c| !batch.columns[c].is_valid(row));
        (self.table.find_or_insert(batch, columns, row).0, null)
    }
}

/// The part of the ON clause that is neither key nor time bound, tested on candidate pairs.
pub struct Condition {
    expr: Option<Expr>,
    types: Vec<DataType>,
    context: EvalContext,
}

impl Condition {
    pub fn new(join: &Join, left_types: &[DataType], right_types: &[DataType]) -> Self {
        Condition { expr: join.condition.clone(), types: [left_types, right_types].concat(), context: EvalContext::default() }
    }

    pub fn set_now(&mut self, now_ms: i64) {
        self.context.now_ms = now_ms;
    }

    pub fn set_user_functions(&mut self, host: &std::rc::Rc<dyn crate::plan::functions::user::UserFunctionHost>) {
        self.context.user_functions = Some(host.clone());
    }

    /// Whether there is nothing to test (every candidate joins).
    pub fn is_always_true(&self) -> bool {
        self.expr.is_none()
    }

    /// Which of `others` joins with `row` (`row` on `side`, the others on the other side).
    pub fn matches<'a>(&self, side: Side, row: &[Value], others: impl Iterator<Item = &'a [Value]>) -> Result<Vec<bool>, EvalError> {
        let Some(expr) = &self.expr else { return Ok(others.map(|_| true).collect()) };
        let mut pairs = BatchBuilder::new(&self.types);
        let mut n = 0;
        let mut joined = Vec::with_capacity(self.types.len());
        for other in others {
            joined.clear();
            match side {
                Side::Left => joined.extend(row.iter().chain(other).cloned()),
                Side::Right => joined.extend(other.iter().chain(row).cloned()),
            }
            pairs.push(RowKind::Insert, &joined, 0);
            n += 1;
        }
        if n == 0 {
            return Ok(Vec::new());
        }
        let mask = eval(expr, &pairs.finish(), &self.context)?;
        let mut keep = vec![false; n];
        for i in selection(&mask) {
            keep[i as usize] = true;
        }
        Ok(keep)
    }
}

/// Builds a join's output rows: the left row's values then the right's, NULL for a missing side.
pub struct JoinOutput {
    types: Vec<DataType>,
    widths: [usize; 2],
    builder: BatchBuilder,
}

impl JoinOutput {
    pub fn new(left_types: &[DataType], right_types: &[DataType]) -> Self {
        let types = [left_types, right_types].concat();
        JoinOutput { builder: BatchBuilder::new(&types), types, widths: [left_types.len(), right_types.len()] }
    }

    pub fn push<'a>(&mut self, kind: RowKind, left: Option<&'a [Value]>, right: Option<&'a [Value]>, arrival: i64) {
        const NULL: Value = Value::Null;
        // A missing side is as many NULLs as it has columns.
        let side = |values: Option<&'a [Value]>, width: usize| {
            values.into_iter().flatten().chain(std::iter::repeat_n(&NULL, if values.is_none() { width } else { 0 }))
        };
        let (l, r) = (side(left, self.widths[0]), side(right, self.widths[1]));
        self.builder.push_values(kind, l.chain(r), arrival);
    }

    /// The rows built so far, handed on (and counted) if there are any.
    pub fn emit(&mut self, metrics: &mut OperatorMetrics, out: &mut Vec<Batch>) {
        let built = std::mem::replace(&mut self.builder, BatchBuilder::new(&self.types));
        super::operator::emit_rows(built, metrics, out);
    }
}
