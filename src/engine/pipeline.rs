//! A running query: the source stage (computed columns, watermark assignment) and a chain of
//! operators built from a logical plan. Batches of decoded source rows go in; result changes
//! come out.

use std::sync::Arc;

use super::calc::Calc;
use super::regex::{Regex, RegexError};
use super::union::Union;
use super::eval::{eval, EvalContext, EvalError};
use super::group_aggregate::GroupAggregate;
use super::operator::{LateRecord, Operator, OperatorMetrics};
use super::over_aggregate::OverAggregate;
use super::watermark::{WatermarkAssigner, END_OF_INPUT};
use super::window::slicing::SliceAssigner;
use super::window::{SessionWindowAggregate, SliceWindowAggregate};
use crate::plan::catalog::{ColumnKind, TableDef};
use super::rank::{AppendOnlyTopN, Deduplicate};
use super::window::rank::{WindowRank, WindowRankKind};
use super::window::table_function::WindowTableFunction;
use crate::plan::logical::{Node, Plan, RankStrategy, WindowSpec};
use crate::plan::Expr;
use crate::types::{Batch, Column, DataType, Field};

pub struct Pipeline {
    table: Arc<TableDef>,
    watermark: Option<WatermarkAssigner>,
    operators: Vec<Box<dyn Operator>>,
    output_types: Vec<DataType>,
    context: EvalContext,
    records_in: u64,
    records_out: u64,
    /// The watermark last pushed through the operators.
    forwarded: i64,
    /// Windows over `PROCTIME()`: the clock, not the data, moves time (see [`Self::on_processing_time`]).
    processing_time: bool,
}

/// Why a plan cannot run as a streaming pipeline.
#[derive(Clone, Debug, PartialEq)]
pub struct BuildError(pub String);

impl Pipeline {
    pub fn new(plan: &Plan) -> Result<Pipeline, BuildError> {
        let mut operators: Vec<Box<dyn Operator>> = Vec::new();
        let table = build(plan, &mut operators)?;
        let watermark = table.watermark.as_ref().map(|w| WatermarkAssigner::new(w.expr.clone()));
        Ok(Pipeline {
            table,
            watermark,
            operators,
            output_types: plan.schema.fields.iter().map(|f| f.ty.data_type.clone()).collect(),
            context: EvalContext::default(),
            records_in: 0,
            records_out: 0,
            forwarded: i64::MIN,
            processing_time: has_processing_time_window(plan),
        })
    }

    pub fn table(&self) -> &Arc<TableDef> {
        &self.table
    }

    /// The columns a source must decode, in order (the table's physical columns).
    pub fn source_fields(&self) -> Vec<Field> {
        self.table.physical_columns().map(|(_, c)| Field { name: c.name.clone(), ty: c.ty.plain() }).collect()
    }

    pub fn output_types(&self) -> &[DataType] {
        &self.output_types
    }

    /// The processing-time clock seen by `PROCTIME()` and `CURRENT_TIMESTAMP`.
    pub fn set_now(&mut self, now_ms: i64) {
        self.context.now_ms = now_ms;
        for op in &mut self.operators {
            op.set_now(now_ms);
        }
    }

    pub fn watermark(&self) -> Option<i64> {
        self.watermark.as_ref().map(WatermarkAssigner::current)
    }

    /// Runs a batch of source rows (physical columns only) through the query.
    pub fn push(&mut self, physical: Batch, out: &mut Vec<Batch>) -> Result<(), EvalError> {
        self.records_in += physical.len() as u64;
        let mut batch = self.complete_row(physical)?;
        if self.processing_time {
            // A processing-time window's rows carry the clock's time: none is ever late, and
            // every window fires once the clock has passed its end.
            batch.arrival_watermarks = Some(vec![self.context.now_ms - 1; batch.len()]);
        } else if let Some(w) = &mut self.watermark {
            w.assign(&mut batch)?;
        }
        let before = out.len();
        self.run_from(0, vec![batch], out)?;
        if self.processing_time {
            self.forward_watermark(self.context.now_ms - 1, out)?;
        } else if let Some(wm) = self.watermark() {
            self.forward_watermark(wm, out)?;
        }
        self.records_out += out[before..].iter().map(|b| b.len() as u64).sum::<u64>();
        Ok(())
    }

    /// `table.exec.state.ttl` for the operators that keep keyed state (`None`: forever).
    pub fn set_state_ttl(&mut self, ttl_ms: Option<i64>) {
        for op in &mut self.operators {
            op.set_state_ttl(ttl_ms);
        }
    }

    /// The clock moved without new records: fires the processing-time windows that ended.
    pub fn on_processing_time(&mut self, out: &mut Vec<Batch>) -> Result<(), EvalError> {
        if !self.processing_time {
            return Ok(());
        }
        let before = out.len();
        self.forward_watermark(self.context.now_ms - 1, out)?;
        self.records_out += out[before..].iter().map(|b| b.len() as u64).sum::<u64>();
        Ok(())
    }

    /// The end of a bounded input: the watermark jumps to +∞ and every window fires.
    pub fn end_of_input(&mut self, out: &mut Vec<Batch>) -> Result<(), EvalError> {
        if let Some(w) = &mut self.watermark {
            w.advance_to(END_OF_INPUT);
        }
        let before = out.len();
        self.forward_watermark(END_OF_INPUT, out)?;
        self.records_out += out[before..].iter().map(|b| b.len() as u64).sum::<u64>();
        Ok(())
    }

    fn forward_watermark(&mut self, wm: i64, out: &mut Vec<Batch>) -> Result<(), EvalError> {
        if wm <= self.forwarded {
            return Ok(());
        }
        self.forwarded = wm;
        for i in 0..self.operators.len() {
            let mut fired = Vec::new();
            self.operators[i].on_watermark(wm, &mut fired)?;
            if !fired.is_empty() {
                self.run_from(i + 1, fired, out)?;
            }
        }
        Ok(())
    }

    fn run_from(&mut self, start: usize, batches: Vec<Batch>, out: &mut Vec<Batch>) -> Result<(), EvalError> {
        super::operator::run_chain(&mut self.operators[start..], batches, out)
    }

    /// Physical columns → the table's full row, computing computed columns in place.
    fn complete_row(&self, physical: Batch) -> Result<Batch, EvalError> {
        let n = physical.len();
        let has_other = self.table.columns.iter().any(|c| !matches!(c.kind, ColumnKind::Physical));
        if !has_other {
            return Ok(physical);
        }
        let mut decoded = physical.columns.into_iter();
        let mut row = Batch::new(Vec::new(), n);
        for c in &self.table.columns {
            let column = match &c.kind {
                ColumnKind::Physical => decoded.next().unwrap_or_else(|| Column::empty(&c.ty.data_type, 0)),
                ColumnKind::Computed(e) => eval(e, &row, &self.context)?,
                ColumnKind::Metadata { .. } => super::eval::constant(&crate::types::Value::Null, &c.ty.data_type, n),
            };
            let mut columns = std::mem::take(&mut row.columns);
            columns.push(column);
            row = Batch::new(columns, n);
        }
        Ok(row)
    }

    pub fn records_in(&self) -> u64 {
        self.records_in
    }

    pub fn records_out(&self) -> u64 {
        self.records_out
    }

    pub fn operator_metrics(&self) -> Vec<(String, OperatorMetrics)> {
        self.operators.iter().map(|o| (o.name(), o.metrics())).collect()
    }

    pub fn late_records_dropped(&self) -> u64 {
        self.operators.iter().map(|o| o.metrics().late_records_dropped).sum()
    }

    pub fn late_records(&self) -> Vec<LateRecord> {
        self.operators.iter().flat_map(|o| o.late_records()).collect()
    }
}

/// Whether a window in `plan` is over processing time.
fn has_processing_time_window(plan: &Plan) -> bool {
    match &plan.node {
        Node::Aggregate { input, window: Some(w), .. } => {
            input.schema.fields.get(w.time_column).is_some_and(|f| f.ty.proctime) || has_processing_time_window(input)
        }
        Node::Scan { .. } => false,
        Node::Filter { input, .. }
        | Node::Project { input, .. }
        | Node::Aggregate { input, .. }
        | Node::Over { input, .. }
        | Node::Rank { input, .. }
        | Node::WindowTvf { input, .. } => has_processing_time_window(input),
        Node::Union { inputs } => inputs.iter().any(has_processing_time_window),
    }
}

/// Appends the operators for `plan` (leaves first) and returns the table it reads.
fn build(plan: &Plan, ops: &mut Vec<Box<dyn Operator>>) -> Result<Arc<TableDef>, BuildError> {
    match &plan.node {
        Node::Scan { table } => Ok(table.clone()),
        Node::Filter { input, predicate } => {
            unsupported_regexes(predicate)?;
            let table = build(input, ops)?;
            ops.push(Box::new(Calc::new(Some(predicate.clone()), None)));
            Ok(table)
        }
        Node::Project { input, exprs } => {
            exprs.iter().try_for_each(unsupported_regexes)?;
            // Fuse a projection over a filter into one Calc.
            if let Node::Filter { input: inner, predicate } = &input.node {
                let table = build(inner, ops)?;
                ops.push(Box::new(Calc::new(Some(predicate.clone()), Some(exprs.clone()))));
                return Ok(table);
            }
            let table = build(input, ops)?;
            ops.push(Box::new(Calc::new(None, Some(exprs.clone()))));
            Ok(table)
        }
        Node::Aggregate { input, keys, aggs, window } => {
            let updating = is_updating(input);
            let table = build(input, ops)?;
            let key_types: Vec<DataType> = input.schema.fields[..*keys].iter().map(|f| f.ty.data_type.clone()).collect();
            let input_types: Vec<DataType> = input.schema.fields.iter().map(|f| f.ty.data_type.clone()).collect();
            match window {
                None => ops.push(Box::new(GroupAggregate::new(&key_types, aggs, updating))),
                Some(_) if updating => {
                    return Err(BuildError(
                        "a window aggregation cannot consume an updating result (e.g. the output of a GROUP BY without a window)".into(),
                    ))
                }
                Some(w) => match w.spec {
                    WindowSpec::Session { gap } => ops.push(Box::new(SessionWindowAggregate::new(gap, &key_types, aggs, w.time_column, input_types))),
                    spec => {
                        let assigner = SliceAssigner::new(spec).ok_or_else(|| BuildError("unsupported window".into()))?;
                        ops.push(Box::new(SliceWindowAggregate::new(assigner, &key_types, aggs, w.time_column, input_types)));
                    }
                },
            }
            Ok(table)
        }
        Node::Over { input, window, aggs } => {
            if is_updating(input) {
                return Err(BuildError(
                    "an OVER aggregation cannot consume an updating result (e.g. the output of a GROUP BY without a window)".into(),
                ));
            }
            let table = build(input, ops)?;
            let input_types: Vec<DataType> = input.schema.fields.iter().map(|f| f.ty.data_type.clone()).collect();
            ops.push(Box::new(OverAggregate::new(window.frame, window.partition.clone(), window.time_column, aggs, input_types)));
            Ok(table)
        }
        Node::Rank { input, rank } => {
            if is_updating(input) {
                return Err(BuildError(
                    "ROW_NUMBER() over an updating result (e.g. the output of a GROUP BY without a window) is not supported yet".into(),
                ));
            }
            let (start, end) = rank.range.ok_or_else(|| BuildError("ROW_NUMBER() must be filtered to a range of row numbers".into()))?;
            let table = build(input, ops)?;
            let input_types: Vec<DataType> = input.schema.fields.iter().map(|f| f.ty.data_type.clone()).collect();
            let partition = rank.partition.clone();
            match rank.strategy {
                RankStrategy::TopN => {
                    ops.push(Box::new(AppendOnlyTopN::new(partition, rank.order.clone(), (start, end), rank.output_number, input_types)))
                }
                RankStrategy::Deduplicate { keep_last, time_column } => {
                    ops.push(Box::new(Deduplicate::new(keep_last, time_column, partition, input_types)))
                }
                RankStrategy::WindowTopN { end_column } => ops.push(Box::new(WindowRank::new(
                    WindowRankKind::TopN { start, end },
                    end_column,
                    partition,
                    rank.order.clone(),
                    input_types,
                ))),
                RankStrategy::WindowDeduplicate { end_column, keep_last, time_column } => ops.push(Box::new(WindowRank::new(
                    WindowRankKind::Deduplicate { keep_last, time_column },
                    end_column,
                    partition,
                    rank.order.clone(),
                    input_types,
                ))),
            }
            Ok(table)
        }
        Node::WindowTvf { input, spec, time_column } => {
            if is_updating(input) {
                return Err(BuildError("a window table function cannot read an updating result".into()));
            }
            let assigner = SliceAssigner::new(*spec)
                .ok_or_else(|| BuildError("SESSION windows are only supported with a window aggregation (GROUP BY window_start, window_end)".into()))?;
            let table = build(input, ops)?;
            ops.push(Box::new(WindowTableFunction::new(assigner, *time_column)));
            Ok(table)
        }
        Node::Union { inputs } => {
            let mut branches = Vec::new();
            let mut table: Option<Arc<TableDef>> = None;
            for input in inputs {
                let mut chain = Vec::new();
                let t = build(input, &mut chain)?;
                if let Some(first) = &table {
                    if first.name != t.name {
                        return Err(BuildError(format!(
                            "UNION ALL of different tables (`{}` and `{}`) is not supported yet: a Sluice query reads exactly one source table",
                            first.name, t.name
                        )));
                    }
                }
                table = Some(t);
                branches.push(chain);
            }
            ops.push(Box::new(Union::new(branches)));
            table.ok_or_else(|| BuildError("a UNION needs inputs".into()))
        }
    }
}

/// A constant pattern of REGEXP/REGEXP_EXTRACT/REGEXP_REPLACE that Java accepts but Sluice's
/// matcher cannot run is rejected before the query starts, naming the construct.
fn unsupported_regexes(e: &Expr) -> Result<(), BuildError> {
    use crate::plan::expr::{ExprKind, Function};
    let mut result = Ok(());
    e.visit(&mut |x| {
        if let ExprKind::Call { func: func @ (Function::Regexp | Function::RegexpExtract | Function::RegexpReplace), args } = &x.kind {
            if let Some(ExprKind::Literal(crate::types::Value::Str(pattern))) = args.get(1).map(|a| &a.kind) {
                if let Err(RegexError::Unsupported(m)) = Regex::new(pattern) {
                    let name = format!("{func:?}").to_uppercase().replace("REGEXPEXTRACT", "REGEXP_EXTRACT").replace("REGEXPREPLACE", "REGEXP_REPLACE");
                    result = Err(BuildError(format!("{name}('{pattern}'): the regular expression construct {m} is not supported by Sluice")));
                }
            }
        }
    });
    result
}

/// Whether a plan's output is an updating changelog (contains a non-windowed aggregate).
pub fn is_updating(plan: &Plan) -> bool {
    match &plan.node {
        Node::Scan { .. } => false,
        Node::Filter { input, .. } | Node::Project { input, .. } | Node::Over { input, .. } | Node::WindowTvf { input, .. } => {
            is_updating(input)
        }
        Node::Rank { input, rank } => match rank.strategy {
            RankStrategy::TopN | RankStrategy::Deduplicate { keep_last: true, .. } => true,
            _ => is_updating(input),
        },
        Node::Aggregate { input, window, .. } => window.is_none() || is_updating(input),
        Node::Union { inputs } => inputs.iter().any(is_updating),
    }
}
