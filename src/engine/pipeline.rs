//! A running query: the source stage (computed columns, watermark assignment) and the tree of
//! operators its physical plan names, built as the plan says with no choice of its own
//! (`plan::physical` chose the operators and checked they can run). Batches of decoded
//! source rows go in; result changes come out.

use std::sync::Arc;

use super::calc::Calc;
use super::changelog_normalize::ChangelogNormalize;
use super::correlate::Correlate;
use super::eval::{eval, EvalContext, EvalError};
use super::expand::Expand;
use super::group_aggregate::GroupAggregate;
use super::join::{IntervalJoin, RegularJoin, Side, TemporalJoin, TwoInputOperator, WindowJoin};
use super::limit::{Limit, RetractableLimit};
use super::operator::{run_chain, LateRecord, Operator, OperatorMetrics};
use super::over_aggregate::OverAggregate;
use super::rank::{AppendOnlyTopN, Deduplicate, ProcTimeDeduplicate, RetractableTopN};
use super::regex::{Regex, RegexError};
use super::temporal_sort::TemporalSort;
use super::union::Union;
use super::watermark::{combine_at_arrival, combine_channels, Progress, WatermarkAssigner, END_OF_INPUT, NO_WATERMARK};
use super::window::rank::{WindowRank, WindowRankKind};
use super::window::slicing::SliceAssigner;
use super::window::table_function::WindowTableFunction;
use super::window::{SessionTableFunction, SessionWindowAggregate, SliceWindowAggregate};
use crate::plan::catalog::{ColumnKind, TableDef};
use crate::plan::physical::{JoinOperator, PhysicalNode, PhysicalPlan, RankProcess, Source, WindowAssignment};
use crate::plan::Expr;
use crate::types::{Batch, Column, DataType, Field};

pub struct Pipeline {
    /// The tables the query reads, each once (a table scanned twice, as in a self-join, is
    /// read once and feeds both scans, as Flink reuses a source).
    inputs: Vec<Input>,
    root: Stage,
    output_types: Vec<DataType>,
    context: EvalContext,
    records_in: u64,
    records_out: u64,
    /// Windows over `PROCTIME()`: the clock, not the data, moves time (see [`Self::on_processing_time`]).
    processing_time: bool,
    /// `table.exec.source.idle-timeout` (`None`: inputs never turn idle).
    idle_timeout_ms: Option<i64>,
}

/// One source of a query (a table, or VALUES rows), with its watermark.
struct Input {
    source: Source,
    /// Which of its table's physical columns the plan reads (see
    /// [`PhysicalPlan::physical_columns_read`]).
    read: Option<Vec<bool>>,
    watermark: Option<WatermarkAssigner>,
    /// Set once a bounded input has ended: its watermark is then +∞.
    ended: bool,
    records_in: u64,
    /// When the input last had a record (processing time), once the clock has been seen.
    last_record_ms: Option<i64>,
    /// No record for `table.exec.source.idle-timeout` (see [`Progress`]).
    idle: bool,
    /// `STOP JOB … WITH DRAIN`: its event-time watermark is +∞ (Flink's `MAX_WATERMARK`).
    drained: bool,
}

impl Input {
    fn watermark(&self, processing_time: Option<i64>) -> i64 {
        if self.ended {
            return END_OF_INPUT;
        }
        if let Some(now) = processing_time {
            return now - 1;
        }
        if self.drained {
            return END_OF_INPUT;
        }
        self.watermark.as_ref().map_or(NO_WATERMARK, WatermarkAssigner::current)
    }

    fn progress(&self, processing_time: Option<i64>) -> Progress {
        Progress { watermark: self.watermark(processing_time), idle: self.idle }
    }
}

type Chain = Vec<Box<dyn Operator>>;

/// A part of the query's operator tree: where its rows come from, then a chain of one-input
/// operators. Batches enter at the leaves (the inputs) and leave at the root.
enum Stage {
    Source {
        input: usize,
        chain: Chain,
        forwarded: i64,
    },
    Join {
        left: Box<Stage>,
        right: Box<Stage>,
        join: Box<dyn TwoInputOperator>,
        chain: Chain,
        forwarded: i64,
    },
    /// UNION ALL of branches over different inputs; `levels` is each branch's progress when
    /// the watermarks last moved.
    Union {
        branches: Vec<Stage>,
        levels: Vec<Progress>,
        chain: Chain,
        forwarded: i64,
    },
}

impl Stage {
    fn chain(&mut self) -> &mut Chain {
        match self {
            Stage::Source { chain, .. } | Stage::Join { chain, .. } | Stage::Union { chain, .. } => chain,
        }
    }

    fn reads(&self, input: usize) -> bool {
        match self {
            Stage::Source { input: i, .. } => *i == input,
            Stage::Join { left, right, .. } => left.reads(input) || right.reads(input),
            Stage::Union { branches, .. } => branches.iter().any(|b| b.reads(input)),
        }
    }

    /// Runs a batch of input `input`'s rows through the stages that read it.
    fn push(&mut self, input: usize, batch: Batch, out: &mut Vec<Batch>) -> Result<(), EvalError> {
        match self {
            Stage::Source { input: i, chain, .. } => {
                if *i == input {
                    run_chain(chain, vec![batch], out)?;
                }
                Ok(())
            }
            Stage::Join { left, right, join, chain, .. } => {
                let mut joined = Vec::new();
                for (side, stage) in [(Side::Left, left), (Side::Right, right)] {
                    if stage.reads(input) {
                        let mut rows = Vec::new();
                        stage.push(input, batch.clone(), &mut rows)?;
                        for b in rows {
                            join.process(side, b);
                        }
                    }
                }
                join.flush(&mut joined)?;
                run_chain(chain, joined, out)
            }
            Stage::Union { branches, levels, chain, forwarded } => {
                let mut rows = Vec::new();
                for (k, b) in branches.iter_mut().enumerate().filter(|(_, b)| b.reads(input)) {
                    let from = rows.len();
                    b.push(input, batch.clone(), &mut rows)?;
                    // After the union a row is late against the watermark of all branches
                    // together, not its own branch's alone.
                    let others = levels.iter().enumerate().filter(|&(o, p)| o != k && !p.idle).map(|(_, p)| p.watermark).min();
                    for stamps in rows[from..].iter_mut().filter_map(|b| b.arrival_watermarks.as_mut()) {
                        for stamp in stamps {
                            *stamp = combine_at_arrival(*forwarded, *stamp, others);
                        }
                    }
                }
                run_chain(chain, rows, out)
            }
        }
    }

    /// Moves the watermarks on (`inputs[i]` is input `i`'s progress), firing what is due, and
    /// returns the progress this stage's output has now.
    fn advance(&mut self, inputs: &[Progress], out: &mut Vec<Batch>) -> Result<Progress, EvalError> {
        match self {
            Stage::Source { input, chain, forwarded } => {
                let progress = inputs[*input];
                forward_chain(chain, progress.watermark, forwarded, out)?;
                Ok(progress)
            }
            Stage::Join { left, right, join, chain, forwarded } => {
                let mut joined = Vec::new();
                let mut sides = [Progress::active(NO_WATERMARK); 2];
                for (k, (side, stage)) in [(Side::Left, left), (Side::Right, right)].into_iter().enumerate() {
                    let mut rows = Vec::new();
                    sides[k] = stage.advance(inputs, &mut rows)?;
                    for b in rows {
                        join.process(side, b);
                    }
                }
                join.flush(&mut joined)?;
                let combined = join.on_watermarks(sides[0], sides[1], &mut joined)?;
                run_chain(chain, joined, out)?;
                let wm = join.output_watermark(combined);
                forward_chain(chain, wm, forwarded, out)?;
                Ok(Progress { watermark: wm, idle: Progress::all_idle(&sides) })
            }
            Stage::Union { branches, levels, chain, forwarded } => {
                let mut rows = Vec::new();
                levels.clear();
                for b in branches.iter_mut() {
                    levels.push(b.advance(inputs, &mut rows)?);
                }
                run_chain(chain, rows, out)?;
                let wm = combine_channels(*forwarded, levels);
                forward_chain(chain, wm, forwarded, out)?;
                Ok(Progress { watermark: wm, idle: Progress::all_idle(levels) })
            }
        }
    }

    /// Every operator of this stage and below, leaves first (a join after its inputs, a chain
    /// after what feeds it), for the read-only walks: metrics, late records, timers.
    fn visit<'a>(&'a self, f: &mut dyn FnMut(OperatorRef<'a>)) {
        let chain = match self {
            Stage::Source { chain, .. } => chain,
            Stage::Join { left, right, join, chain, .. } => {
                left.visit(f);
                right.visit(f);
                f(OperatorRef::Two(join.as_ref()));
                chain
            }
            Stage::Union { branches, chain, .. } => {
                branches.iter().for_each(|b| b.visit(f));
                chain
            }
        };
        chain.iter().for_each(|o| f(OperatorRef::One(o.as_ref())));
    }

    fn for_each_operator(&mut self, f: &mut dyn FnMut(&mut dyn Operator), g: &mut dyn FnMut(&mut dyn TwoInputOperator)) {
        match self {
            Stage::Source { .. } => {}
            Stage::Join { left, right, join, .. } => {
                left.for_each_operator(f, g);
                right.for_each_operator(f, g);
                g(join.as_mut());
            }
            Stage::Union { branches, .. } => branches.iter_mut().for_each(|b| b.for_each_operator(f, g)),
        }
        for op in self.chain() {
            f(op.as_mut());
        }
    }
}

/// An operator of the tree, as [`Stage::visit`] hands it out.
enum OperatorRef<'a> {
    One(&'a dyn Operator),
    Two(&'a dyn TwoInputOperator),
}

impl OperatorRef<'_> {
    fn name(&self) -> String {
        match self {
            OperatorRef::One(o) => o.name(),
            OperatorRef::Two(o) => o.name(),
        }
    }

    fn metrics(&self) -> OperatorMetrics {
        match self {
            OperatorRef::One(o) => o.metrics(),
            OperatorRef::Two(o) => o.metrics(),
        }
    }

    fn late_records(&self) -> Vec<LateRecord> {
        match self {
            OperatorRef::One(o) => o.late_records(),
            OperatorRef::Two(o) => o.late_records(),
        }
    }
}

/// Hands watermark `wm` down a chain: each operator fires what is due, and what it fires runs
/// through the operators after it.
fn forward_chain(chain: &mut Chain, wm: i64, forwarded: &mut i64, out: &mut Vec<Batch>) -> Result<(), EvalError> {
    if wm <= *forwarded {
        return Ok(());
    }
    *forwarded = wm;
    for i in 0..chain.len() {
        let mut fired = Vec::new();
        chain[i].on_watermark(wm, &mut fired)?;
        if !fired.is_empty() {
            run_chain(&mut chain[i + 1..], fired, out)?;
        }
    }
    Ok(())
}

/// Why a plan cannot run as a streaming pipeline.
#[derive(Clone, Debug, PartialEq)]
pub struct BuildError(pub String);

impl Pipeline {
    pub fn new(plan: &PhysicalPlan) -> Result<Pipeline, BuildError> {
        let sources = plan.sources();
        let root = build(plan, &sources)?;
        let read = plan.physical_columns_read(&sources);
        let inputs = sources
            .into_iter()
            .zip(read)
            .map(|(source, read)| Input {
                read,
                watermark: source
                    .table()
                    .and_then(|t| t.watermark.as_ref())
                    .map(|w| WatermarkAssigner::with_rowtime(w.expr.clone(), w.rowtime)),
                source,
                ended: false,
                records_in: 0,
                last_record_ms: None,
                idle: false,
                drained: false,
            })
            .collect();
        Ok(Pipeline {
            inputs,
            root,
            output_types: plan.schema.fields.iter().map(|f| f.ty.data_type.clone()).collect(),
            context: EvalContext::default(),
            records_in: 0,
            records_out: 0,
            processing_time: plan.uses_processing_time(),
            idle_timeout_ms: None,
        })
    }

    /// The sources the query reads, in input order.
    pub fn sources(&self) -> Vec<Source> {
        self.inputs.iter().map(|i| i.source.clone()).collect()
    }

    /// The tables the query reads, in input order (its VALUES left out).
    pub fn tables(&self) -> Vec<Arc<TableDef>> {
        self.inputs.iter().filter_map(|i| i.source.table().cloned()).collect()
    }

    /// The columns input `input`'s source must decode, in order (a table's physical columns,
    /// all of a VALUES's).
    pub fn source_fields_of(&self, input: usize) -> Vec<Field> {
        match self.inputs.get(input).map(|i| &i.source) {
            Some(Source::Table(t)) => t.physical_columns().map(|(_, c)| Field { name: c.name.clone(), ty: c.ty.plain() }).collect(),
            Some(Source::Values { schema, .. }) => schema.fields.iter().map(|f| Field { name: f.name.clone(), ty: f.ty.plain() }).collect(),
            None => Vec::new(),
        }
    }

    /// Which of [`Self::source_fields_of`] the plan reads (`None`: all). A source that takes
    /// projections (a filesystem table's format, as in Flink) need decode only those.
    pub fn source_fields_read_of(&self, input: usize) -> Option<&[bool]> {
        self.inputs.get(input).and_then(|i| i.read.as_deref())
    }

    /// The columns the first input's source must decode.
    pub fn source_fields(&self) -> Vec<Field> {
        self.source_fields_of(0)
    }

    pub fn output_types(&self) -> &[DataType] {
        &self.output_types
    }

    /// The processing-time clock seen by `PROCTIME()` and `CURRENT_TIMESTAMP`.
    pub fn set_now(&mut self, now_ms: i64) {
        self.context.now_ms = now_ms;
        self.root.for_each_operator(&mut |op| op.set_now(now_ms), &mut |op| op.set_now(now_ms));
    }

    /// The host that runs the user-defined functions the query calls (the page's Python, a
    /// test's Rust host); without one, calling such a function fails the job saying so.
    pub fn set_user_functions(&mut self, host: &std::rc::Rc<dyn crate::plan::functions::user::UserFunctionHost>) {
        self.context.user_functions = Some(host.clone());
        for input in &mut self.inputs {
            if let Some(w) = &mut input.watermark {
                w.set_user_functions(host);
            }
        }
        self.root.for_each_operator(&mut |op| op.set_user_functions(host), &mut |op| op.set_user_functions(host));
    }

    /// The host [`Self::set_user_functions`] gave, for a replay of the same query.
    pub fn user_functions(&self) -> Option<&std::rc::Rc<dyn crate::plan::functions::user::UserFunctionHost>> {
        self.context.user_functions.as_ref()
    }

    /// The query's event-time watermark: the least of its active inputs' (of all of them
    /// when all are idle, the greatest), or `None` if no input declares one.
    pub fn watermark(&self) -> Option<i64> {
        let declared: Vec<Progress> = self.inputs.iter().filter(|i| i.watermark.is_some()).map(|i| i.progress(None)).collect();
        (!declared.is_empty()).then(|| combine_channels(NO_WATERMARK, &declared))
    }

    /// Runs a batch of the first input's source rows (physical columns only) through the query.
    pub fn push(&mut self, physical: Batch, out: &mut Vec<Batch>) -> Result<(), EvalError> {
        self.push_input(0, physical, out)
    }

    /// Runs a batch of input `input`'s source rows (physical columns only) through the query.
    pub fn push_input(&mut self, input: usize, physical: Batch, out: &mut Vec<Batch>) -> Result<(), EvalError> {
        self.push_input_splits(input, physical, None, out)
    }

    /// Input `input`'s source reads `count` splits whose watermarks are kept apart and combined
    /// (Kafka's partitions, see `engine::split_watermark`); `idle_timeout_ms` is the table's
    /// `scan.watermark.idle-timeout`, else `table.exec.source.idle-timeout` applies per split.
    pub fn set_input_splits(&mut self, input: usize, count: usize, idle_timeout_ms: Option<i64>) {
        let session_timeout = self.idle_timeout_ms;
        if let Some(w) = self.inputs.get_mut(input).and_then(|i| i.watermark.as_mut()) {
            w.per_split(count, idle_timeout_ms.or(session_timeout));
        }
    }

    /// Input `input`'s splits: each one's own watermark and whether it is idle (empty when the
    /// input keeps one watermark).
    pub fn input_split_watermarks(&self, input: usize) -> Vec<(i64, bool)> {
        self.inputs
            .get(input)
            .and_then(|i| i.watermark.as_ref())
            .and_then(|w| w.split_watermarks())
            .map(|s| s.splits().collect())
            .unwrap_or_default()
    }

    /// [`Self::push_input`] for a source of splits: row `i` came from split `splits[i]`.
    pub fn push_input_splits(
        &mut self,
        input: usize,
        physical: Batch,
        splits: Option<&[u32]>,
        out: &mut Vec<Batch>,
    ) -> Result<(), EvalError> {
        self.records_in += physical.len() as u64;
        let i = &mut self.inputs[input];
        i.records_in += physical.len() as u64;
        i.last_record_ms = Some(self.context.now_ms);
        i.idle = false;
        let mut batch = match &self.inputs[input].source {
            Source::Table(table) => complete_row(table, &self.context, physical)?,
            Source::Values { .. } => physical,
        };
        if self.processing_time {
            // A processing-time window's rows carry the clock's time: none is ever late, and
            // every window fires once the clock has passed its end.
            batch.arrival_watermarks = Some(vec![self.context.now_ms - 1; batch.len()]);
        } else if let Some(w) = &mut self.inputs[input].watermark {
            match splits {
                Some(splits) => w.assign_splits(&mut batch, splits, self.context.now_ms)?,
                None => w.assign(&mut batch)?,
            }
        }
        let before = out.len();
        self.root.push(input, batch, out)?;
        self.advance(out)?;
        self.records_out += out[before..].iter().map(|b| b.len() as u64).sum::<u64>();
        Ok(())
    }

    fn advance(&mut self, out: &mut Vec<Batch>) -> Result<(), EvalError> {
        let now = self.processing_time.then_some(self.context.now_ms);
        let progress: Vec<Progress> = self.inputs.iter().map(|i| i.progress(now)).collect();
        self.root.advance(&progress, out)?;
        Ok(())
    }

    /// `table.exec.source.idle-timeout`: an input without a record for this long (processing
    /// time) turns idle until its next record (`None` or 0: never).
    pub fn set_idle_timeout(&mut self, timeout_ms: Option<i64>) {
        self.idle_timeout_ms = timeout_ms.filter(|&ms| ms > 0);
    }

    /// Marks the inputs that have had no record for the idle timeout as idle; true if one
    /// turned idle just now.
    fn detect_idleness(&mut self) -> bool {
        let now = self.context.now_ms;
        let mut changed = false;
        // A source of splits is idle when all its splits are (each with its own timeout).
        for input in self.inputs.iter_mut().filter(|i| !i.ended) {
            let Some(splits) = input.watermark.as_mut().and_then(|w| w.split_watermarks_mut()) else { continue };
            if splits.detect_idleness(now) {
                changed = true;
            }
            input.idle = splits.all_idle();
        }
        let Some(timeout) = self.idle_timeout_ms else { return changed };
        let split_source = |i: &Input| i.watermark.as_ref().is_some_and(|w| w.split_watermarks().is_some());
        for input in self.inputs.iter_mut().filter(|i| !i.ended && !i.idle && !split_source(i)) {
            // The timeout counts from when the query first saw the clock, as Flink's counts
            // from when the operator opened.
            let since = *input.last_record_ms.get_or_insert(now);
            if now - since >= timeout {
                input.idle = true;
                changed = true;
            }
        }
        changed
    }

    /// `table.exec.state.ttl` for the operators that keep keyed state (`None`: forever).
    pub fn set_state_ttl(&mut self, ttl_ms: Option<i64>) {
        self.root.for_each_operator(&mut |op| op.set_state_ttl(ttl_ms), &mut |op| op.set_state_ttl(ttl_ms));
    }

    /// The clock moved without new records: fires the processing-time windows that ended, and
    /// what an input turning idle lets the watermark pass.
    pub fn on_processing_time(&mut self, out: &mut Vec<Batch>) -> Result<(), EvalError> {
        if !self.detect_idleness() && !self.processing_time {
            return Ok(());
        }
        let before = out.len();
        self.advance(out)?;
        self.records_out += out[before..].iter().map(|b| b.len() as u64).sum::<u64>();
        Ok(())
    }

    /// The end of a bounded first input (see [`Self::end_of_input_of`]).
    pub fn end_of_input(&mut self, out: &mut Vec<Batch>) -> Result<(), EvalError> {
        for i in 0..self.inputs.len() {
            self.end_of_input_of(i, out)?;
        }
        Ok(())
    }

    /// The end of bounded input `input`: its watermark jumps to +∞, so once every input has
    /// ended every window fires.
    pub fn end_of_input_of(&mut self, input: usize, out: &mut Vec<Batch>) -> Result<(), EvalError> {
        let i = &mut self.inputs[input];
        i.ended = true;
        // Its +∞ counts even if it was idle (Flink marks the input active to send it).
        i.idle = false;
        if let Some(w) = &mut i.watermark {
            w.advance_to(END_OF_INPUT);
        }
        let before = out.len();
        self.advance(out)?;
        self.records_out += out[before..].iter().map(|b| b.len() as u64).sum::<u64>();
        Ok(())
    }

    /// `STOP JOB … WITH DRAIN`: every input sends Flink's `MAX_WATERMARK`, so every pending
    /// event-time window and timer fires; processing-time ones do not (Flink fires no
    /// processing-time timer on a drain either). The job is stopped after this.
    pub fn drain(&mut self, out: &mut Vec<Batch>) -> Result<(), EvalError> {
        for i in &mut self.inputs {
            i.drained = true;
            i.idle = false;
        }
        let before = out.len();
        self.advance(out)?;
        self.records_out += out[before..].iter().map(|b| b.len() as u64).sum::<u64>();
        Ok(())
    }

    pub fn records_in(&self) -> u64 {
        self.records_in
    }

    /// Records read from input `input` (its table) so far.
    pub fn input_records_in(&self, input: usize) -> u64 {
        self.inputs.get(input).map_or(0, |i| i.records_in)
    }

    /// Whether input `input` is idle (`table.exec.source.idle-timeout` passed without a record).
    pub fn input_idle(&self, input: usize) -> bool {
        self.inputs.get(input).is_some_and(|i| i.idle)
    }

    /// Input `input`'s own watermark, if its table declares one.
    pub fn input_watermark(&self, input: usize) -> Option<i64> {
        self.inputs.get(input).filter(|i| i.watermark.is_some()).map(|i| i.watermark(None))
    }

    /// When input `input` last had a record (processing time), if it had one.
    pub fn input_last_record_ms(&self, input: usize) -> Option<i64> {
        self.inputs.get(input).filter(|i| i.records_in > 0).and_then(|i| i.last_record_ms)
    }

    /// Whether bounded input `input` has ended (its watermark is then +∞).
    pub fn input_ended(&self, input: usize) -> bool {
        self.inputs.get(input).is_some_and(|i| i.ended)
    }

    /// The delay input `input`'s WATERMARK expression gives (rowtime − watermark), once it
    /// has seen a row.
    pub fn input_watermark_delay(&self, input: usize) -> Option<i64> {
        self.inputs.get(input).and_then(|i| i.watermark.as_ref()).and_then(WatermarkAssigner::delay_ms)
    }

    /// A what-if: every input's watermark lags `shift_ms` more than its expression says
    /// (before any row is pushed).
    pub fn shift_watermarks(&mut self, shift_ms: i64) {
        for w in self.inputs.iter_mut().filter_map(|i| i.watermark.as_mut()) {
            w.set_shift(shift_ms);
        }
    }

    /// `table.exec.source.idle-timeout` as set, if any.
    pub fn idle_timeout(&self) -> Option<i64> {
        self.idle_timeout_ms
    }

    /// The windows waiting for the watermark, earliest end first (at most `limit`), and how
    /// many there are in all.
    pub fn pending_windows(&self, limit: usize) -> (Vec<(i64, i64)>, usize) {
        let (mut windows, mut count) = (Vec::new(), 0);
        self.root.visit(&mut |o| {
            if let OperatorRef::One(o) = o {
                windows.extend(o.pending_windows(limit));
                count += o.pending_window_count();
            }
        });
        windows.sort_by_key(|&(start, end)| (end, start));
        windows.dedup();
        windows.truncate(limit);
        (windows, count)
    }

    /// Whether the query's result will change no more, whatever its inputs bring: its last
    /// stateful operator is complete (a LIMIT that has its rows over an input that only
    /// inserts), with only filters and projections after it. A job over unbounded inputs
    /// then finishes, as a notebook's `SELECT * … LIMIT 10` does once it shows ten rows.
    pub fn is_complete(&self) -> bool {
        let chain = match &self.root {
            Stage::Source { chain, .. } | Stage::Join { chain, .. } | Stage::Union { chain, .. } => chain,
        };
        chain.iter().rev().find(|o| !o.is_stateless()).is_some_and(|o| o.is_complete())
    }

    pub fn records_out(&self) -> u64 {
        self.records_out
    }

    pub fn operator_metrics(&self) -> Vec<(String, OperatorMetrics)> {
        let mut out = Vec::new();
        self.root.visit(&mut |o| out.push((o.name(), o.metrics())));
        out
    }

    pub fn late_records_dropped(&self) -> u64 {
        self.operator_metrics().iter().map(|(_, m)| m.late_records_dropped).sum()
    }

    pub fn late_records(&self) -> Vec<LateRecord> {
        let mut out = Vec::new();
        self.root.visit(&mut |o| out.extend(o.late_records()));
        out
    }

    /// The watermark at which the query fires its next window, if one is pending.
    pub fn next_timer(&self) -> Option<i64> {
        let mut next: Option<i64> = None;
        // Joins report no timer (the clock's "next window" step does not wait for them).
        self.root.visit(&mut |o| {
            if let OperatorRef::One(o) = o {
                next = next.into_iter().chain(o.next_timer()).min();
            }
        });
        next
    }
}

/// Physical columns → the table's full row, computing computed columns in place.
fn complete_row(table: &TableDef, context: &EvalContext, physical: Batch) -> Result<Batch, EvalError> {
    let n = physical.len();
    let has_other = table.columns.iter().any(|c| !matches!(c.kind, ColumnKind::Physical));
    if !has_other {
        return Ok(physical);
    }
    // A source that reads metadata (Kafka's) decodes it after the physical columns, in table
    // order; the others leave metadata columns NULL.
    let physical_count = table.physical_columns().count();
    let kinds = physical.kinds;
    let mut columns = physical.columns;
    let mut metadata = columns.split_off(physical_count.min(columns.len())).into_iter();
    let mut decoded = columns.into_iter();
    let null = |ty: &crate::types::DataType| super::eval::constant(&crate::types::Value::Null, ty, n);
    let mut columns = Vec::with_capacity(table.columns.len());
    for c in &table.columns {
        columns.push(match &c.kind {
            ColumnKind::Physical => decoded.next().unwrap_or_else(|| Column::empty(&c.ty.data_type, 0)),
            // Computed once the row holds every physical and metadata column (a computed column
            // reads those, wherever they are declared, as in Flink).
            ColumnKind::Computed(_) => null(&c.ty.data_type),
            ColumnKind::Metadata { .. } => match metadata.next() {
                Some(column) if column.len() == n => column,
                _ => null(&c.ty.data_type),
            },
        });
    }
    let mut row = Batch::new(columns, n);
    for (k, c) in table.columns.iter().enumerate() {
        if let ColumnKind::Computed(e) = &c.kind {
            let column = eval(e, &row, context)?;
            row.columns[k] = column;
        }
    }
    row.kinds = kinds;
    Ok(row)
}

/// The operator tree for `plan`: each physical node becomes its operator, as lowering chose
/// it. `sources` is the plan's [`PhysicalPlan::sources`].
fn build(plan: &PhysicalPlan, sources: &[Source]) -> Result<Stage, BuildError> {
    let types = |p: &PhysicalPlan| -> Vec<DataType> { p.schema.fields.iter().map(|f| f.ty.data_type.clone()).collect() };
    let one_input = |input: &PhysicalPlan, operator: Box<dyn Operator>| -> Result<Stage, BuildError> {
        let mut stage = build(input, sources)?;
        stage.chain().push(operator);
        Ok(stage)
    };
    match &plan.node {
        PhysicalNode::TableSourceScan { .. } | PhysicalNode::Values { .. } => {
            let input = PhysicalPlan::source_index(sources, plan).ok_or_else(|| BuildError("a source of the plan is missing".into()))?;
            Ok(Stage::Source { input, chain: Vec::new(), forwarded: NO_WATERMARK })
        }
        PhysicalNode::Calc { input, predicate, projection } => {
            predicate.iter().chain(projection.iter().flatten()).try_for_each(unsupported_regexes)?;
            one_input(input, Box::new(Calc::new(predicate.clone(), projection.clone())))
        }
        PhysicalNode::ChangelogNormalize { input, key } => {
            one_input(input, Box::new(ChangelogNormalize::new(key.clone(), types(input), plan.changelog.update_before)))
        }
        PhysicalNode::Expand { input, projects } => {
            projects.iter().flatten().try_for_each(unsupported_regexes)?;
            one_input(input, Box::new(Expand::new(projects.clone())))
        }
        PhysicalNode::GroupAggregate { input, keys, aggs } => {
            let key_types = &types(input)[..*keys];
            one_input(input, Box::new(GroupAggregate::new(key_types, aggs, !input.changelog.is_insert_only())))
        }
        PhysicalNode::WindowAggregate { input, keys, aggs, spec, time_column, assignment, .. } => {
            let input_types = types(input);
            let key_types = &input_types[..*keys];
            let operator: Box<dyn Operator> = match assignment {
                WindowAssignment::Session { gap } => {
                    Box::new(SessionWindowAggregate::new(*gap, key_types, aggs, *time_column, input_types.clone()))
                }
                WindowAssignment::Sliced => {
                    let assigner = SliceAssigner::new(*spec).ok_or_else(|| BuildError(format!("{spec} cannot be sliced")))?;
                    Box::new(SliceWindowAggregate::new(assigner, key_types, aggs, *time_column, input_types.clone()))
                }
            };
            one_input(input, operator)
        }
        PhysicalNode::OverAggregate { input, window, aggs } => {
            let over = OverAggregate::new(window.frame, window.partition.clone(), window.time_column, aggs, types(input));
            one_input(input, Box::new(if window.proctime { over.on_processing_time() } else { over }))
        }
        PhysicalNode::Rank { input, partition, order, range, output_number, process } => {
            let (partition, order) = (partition.clone(), order.clone());
            let operator: Box<dyn Operator> = match process {
                RankProcess::AppendFast => Box::new(AppendOnlyTopN::new(partition, order, *range, *output_number, types(input))),
                RankProcess::Retract => Box::new(RetractableTopN::new(partition, order, *range, *output_number, types(input))),
            };
            one_input(input, operator)
        }
        PhysicalNode::Deduplicate { input, partition, keep_last, time_column, proctime: false } => {
            one_input(input, Box::new(Deduplicate::new(*keep_last, *time_column, partition.clone(), types(input))))
        }
        PhysicalNode::Deduplicate { input, partition, keep_last, time_column, proctime: true } => {
            one_input(input, Box::new(ProcTimeDeduplicate::new(*keep_last, *time_column, partition.clone(), types(input))))
        }
        PhysicalNode::WindowRank { input, partition, order, range: (start, end), end_column, .. } => one_input(
            input,
            Box::new(WindowRank::new(
                WindowRankKind::TopN { start: *start, end: *end },
                *end_column,
                partition.clone(),
                order.clone(),
                types(input),
            )),
        ),
        PhysicalNode::WindowDeduplicate { input, partition, order, keep_last, time_column, end_column } => one_input(
            input,
            Box::new(WindowRank::new(
                WindowRankKind::Deduplicate { keep_last: *keep_last, time_column: *time_column },
                *end_column,
                partition.clone(),
                order.clone(),
                types(input),
            )),
        ),
        PhysicalNode::WindowTableFunction { input, spec: crate::plan::logical::WindowSpec::Session { gap }, partition, time_column } => {
            one_input(input, Box::new(SessionTableFunction::new(*gap, partition.clone(), *time_column, types(input))))
        }
        PhysicalNode::WindowTableFunction { input, spec, time_column, .. } => {
            let assigner = SliceAssigner::new(*spec).ok_or_else(|| BuildError(format!("{spec} cannot be sliced")))?;
            one_input(input, Box::new(WindowTableFunction::new(assigner, *time_column)))
        }
        PhysicalNode::TemporalSort { input, order } => {
            let time_column = order.first().map(|k| k.column).ok_or_else(|| BuildError("ORDER BY without a key".into()))?;
            one_input(input, Box::new(TemporalSort::new(time_column, order, types(input))))
        }
        PhysicalNode::Match { input, spec } => {
            one_input(input, Box::new(super::cep::CepOperator::new(spec.clone(), types(input), types(plan))))
        }
        PhysicalNode::Correlate { input, unnest } => {
            let added = types(plan)[input.schema.len()..].to_vec();
            one_input(input, Box::new(Correlate::new(unnest.clone(), added)))
        }
        PhysicalNode::Limit { input, offset, fetch } if input.changelog.is_insert_only() => {
            one_input(input, Box::new(Limit::new(*offset, *fetch)))
        }
        PhysicalNode::Limit { input, offset, fetch } => one_input(input, Box::new(RetractableLimit::new(*offset, *fetch, types(input)))),
        PhysicalNode::Union { inputs: branches } => {
            let mut stages = branches.iter().map(|b| build(b, sources)).collect::<Result<Vec<_>, _>>()?;
            // Branches that each read the same one input without joins run as one operator,
            // which keeps their rows in arrival order (see `union`).
            let single = match stages.first() {
                Some(Stage::Source { input, .. }) => {
                    let first = *input;
                    stages.iter().all(|s| matches!(s, Stage::Source { input, .. } if *input == first)).then_some(first)
                }
                _ => None,
            };
            if let Some(input) = single {
                let chains = stages.iter_mut().map(|s| std::mem::take(s.chain())).collect();
                return Ok(Stage::Source { input, chain: vec![Box::new(Union::new(chains))], forwarded: NO_WATERMARK });
            }
            Ok(Stage::Union {
                levels: vec![Progress::active(NO_WATERMARK); stages.len()],
                branches: stages,
                chain: Vec::new(),
                forwarded: NO_WATERMARK,
            })
        }
        PhysicalNode::Join { left, right, join, operator } => {
            let (left_types, right_types) = (types(left), types(right));
            let operator: Box<dyn TwoInputOperator> = match operator {
                JoinOperator::Regular => Box::new(RegularJoin::new(join, left_types, right_types)),
                JoinOperator::Interval(bounds) => Box::new(IntervalJoin::new(join, *bounds, left_types, right_types)),
                JoinOperator::Window { left_end, right_end } => {
                    Box::new(WindowJoin::new(join, [*left_end, *right_end], left_types, right_types))
                }
                JoinOperator::Temporal(times) => Box::new(TemporalJoin::new(join, *times, left_types, right_types)),
            };
            let left = build(left, sources)?;
            let right = build(right, sources)?;
            Ok(Stage::Join { left: Box::new(left), right: Box::new(right), join: operator, chain: Vec::new(), forwarded: NO_WATERMARK })
        }
    }
}

/// A constant pattern of a REGEXP function that Java accepts but Sluice's
/// matcher cannot run is rejected before the query starts, naming the construct.
fn unsupported_regexes(e: &Expr) -> Result<(), BuildError> {
    use crate::plan::expr::ExprKind;
    let mut result = Ok(());
    e.visit(&mut |x| {
        if let ExprKind::Call { func, args } = &x.kind {
            if !func.kernel().is_some_and(|k| k.is_regex()) {
                return;
            }
            if let Some(ExprKind::Literal(crate::types::Value::Str(pattern))) = args.get(1).map(|a| &a.kind) {
                if let Err(RegexError::Unsupported(m)) = Regex::new(pattern) {
                    result = Err(BuildError(format!(
                        "{}('{pattern}'): the regular expression construct {m} is not supported by Sluice",
                        func.name()
                    )));
                }
            }
        }
    });
    result
}
