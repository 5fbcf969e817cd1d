//! `MATCH_RECOGNIZE` as Flink runs it: `StreamExecMatch`'s `CepOperator` over the NFA of the
//! pattern ([`nfa`], flink-cep's `NFACompiler` and `NFA`), with DEFINE and MEASURES read from
//! the match as `MatchCodeGenerator`'s generated code reads them.
//!
//! Event time, per partition (`CepOperator.processElement` / `onEventTime`):
//! - a row at or behind the watermark in force when it arrives is late and dropped;
//! - other rows are buffered by time; when the watermark passes a time, the partition's rows up
//!   to the watermark go into the NFA oldest first (rows of one time in arrival order, or by
//!   the ORDER BY's further keys), each time preceded by `advanceTime(time)`, and then
//!   `advanceTime(watermark)`, which drops partial matches older than WITHIN and releases
//!   completed matches that waited for an earlier partial one;
//! - a match becomes one row: the partition's columns, then the MEASURES, with
//!   `MATCH_ROWTIME()` the time the match was released at.
//!
//! State is the buffered rows, the partial matches (one path node per row taken, shared
//! between branches) and matches waiting to be released; WITHIN and the skip strategy bound
//! it as they bound Flink's.

pub mod nfa;
pub mod queue;

use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::Arc;

use nfa::{path_rows, Conditions, Event, Match, Nfa, NfaError, NfaState, PathNode};

use super::accumulator::{Accumulators, SortKey as Ordered};
use super::eval::{eval, EvalContext, EvalError};
use super::operator::{emit_rows, LateRecord, Operator, OperatorMetrics};
use super::rank::buffer::RankOrder;
use super::watermark::NO_WATERMARK;
use super::window::late::LateLog;
use crate::plan::match_recognize::{CepAggregate, CepExpr, MatchSpec, Navigation, Rows};
use crate::types::{Batch, BatchBuilder, ColumnData, DataType, RowKind, Value};

/// One partition's buffered rows and automaton.
struct Partition {
    key: Vec<Value>,
    pending: BTreeMap<i64, Vec<Vec<Value>>>,
    nfa: NfaState,
}

pub struct CepOperator {
    spec: Arc<MatchSpec>,
    nfa: Nfa,
    input_types: Vec<DataType>,
    output_types: Vec<DataType>,
    then_by: RankOrder,
    partitions: Vec<Partition>,
    index: BTreeMap<Vec<Ordered>, usize>,
    next_seq: u64,
    watermark: i64,
    /// The processing-time clock (`MATCH_PROCTIME()`, and the time of every row when the
    /// ORDER BY is a processing-time attribute).
    now: i64,
    buffered: u64,
    late: LateLog,
    metrics: OperatorMetrics,
}

impl CepOperator {
    pub fn new(spec: Arc<MatchSpec>, input_types: Vec<DataType>, output_types: Vec<DataType>) -> Self {
        let nfa = Nfa::compile(&spec);
        let then_by = RankOrder { keys: spec.order.iter().skip(1).copied().collect(), types: input_types.clone() };
        CepOperator {
            spec,
            nfa,
            input_types,
            output_types,
            then_by,
            partitions: Vec::new(),
            index: BTreeMap::new(),
            next_seq: 0,
            watermark: NO_WATERMARK,
            now: 0,
            buffered: 0,
            late: LateLog::default(),
            metrics: OperatorMetrics::default(),
        }
    }

    /// The watermark moved to `watermark`: every partition with rows due or matches in
    /// progress runs (Flink's per-key timers at each row's time and at watermark + 1).
    fn advance(&mut self, watermark: i64, out: &mut BatchBuilder) -> Result<(), EvalError> {
        let emitted_under = self.watermark;
        self.watermark = watermark;
        self.run_due(watermark, true, emitted_under, out)
    }

    /// Feeds each partition's rows up to `limit` into its automaton, oldest first; then, with
    /// `then_advance`, advances its time to `limit` (event time: `onEventTime`'s step 3; the
    /// processing-time `onProcessingTime` has none).
    fn run_due(&mut self, watermark: i64, then_advance: bool, emitted_under: i64, out: &mut BatchBuilder) -> Result<(), EvalError> {
        for p in 0..self.partitions.len() {
            let due = self.partitions[p].pending.first_key_value().is_some_and(|(t, _)| *t <= watermark);
            if !due && !self.partitions[p].nfa.is_active() {
                continue;
            }
            while let Some((&time, _)) = self.partitions[p].pending.first_key_value() {
                if time > watermark {
                    break;
                }
                let Some((_, mut rows)) = self.partitions[p].pending.pop_first() else { break };
                self.buffered -= rows.len() as u64;
                let released = self.partitions[p].nfa.advance_time(&self.nfa, &self.spec.skip, time);
                self.emit(p, released, time, emitted_under, out)?;
                if !self.then_by.keys.is_empty() {
                    let keys = &self.then_by.keys;
                    rows.sort_by(|a, b| {
                        let key = |r: &Vec<Value>| keys.iter().map(|k| r[k.column].clone()).collect::<Vec<_>>();
                        self.then_by.compare(&key(a), &key(b))
                    });
                }
                for row in rows {
                    let event = Rc::new(Event { seq: self.next_seq, time, row });
                    self.next_seq += 1;
                    let mut conditions = Defines { spec: &self.spec, types: &self.input_types, now: self.now };
                    let matches = self.partitions[p].nfa.process(&self.nfa, &self.spec.skip, &mut conditions, &event);
                    self.emit(p, matches, time, emitted_under, out)?;
                }
            }
            if then_advance {
                let released = self.partitions[p].nfa.advance_time(&self.nfa, &self.spec.skip, watermark);
                self.emit(p, released, watermark, emitted_under, out)?;
            }
        }
        self.metrics.state_rows = self.buffered + self.partitions.iter().map(|p| p.nfa.held() as u64).sum::<u64>();
        Ok(())
    }

    fn emit(
        &self,
        partition: usize,
        matches: Result<Vec<Match>, NfaError<EvalError>>,
        time: i64,
        emitted_under: i64,
        out: &mut BatchBuilder,
    ) -> Result<(), EvalError> {
        let matches = matches.map_err(|e| match e {
            NfaError::Condition(e) => e,
            NfaError::SkipToFirstRow => EvalError("Could not skip to first element of a match.".into()),
            NfaError::Skip(v) => EvalError(format!(
                "Could not skip to {}. No such element in the found match",
                self.spec.variables.get(v).map_or("?", String::as_str)
            )),
        })?;
        for m in matches {
            let rows = path_rows(Some(&m));
            let mut row = self.partitions[partition].key.clone();
            for (_, measure) in &self.spec.measures {
                let slots = measure
                    .navigations
                    .iter()
                    .map(|n| navigate(n, &rows, None, time, self.now, &self.input_types))
                    .collect::<Result<Vec<_>, _>>()?;
                row.push(evaluate(measure, slots)?);
            }
            out.push(RowKind::Insert, &row, emitted_under);
        }
        Ok(())
    }
}

/// The DEFINE conditions over a partial match (running semantics: the variable being defined
/// and bare columns see the current row last).
struct Defines<'a> {
    spec: &'a MatchSpec,
    types: &'a [DataType],
    now: i64,
}

impl Conditions for Defines<'_> {
    type Error = EvalError;

    fn takes(&mut self, variable: usize, path: Option<&Rc<PathNode>>, event: &Event) -> Result<bool, EvalError> {
        let Some(define) = self.spec.defines.get(variable).and_then(Option::as_ref) else { return Ok(true) };
        let rows = path_rows(path);
        let slots = define
            .navigations
            .iter()
            .map(|n| navigate(n, &rows, Some((variable, event)), event.time, self.now, self.types))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(matches!(evaluate(define, slots)?, Value::Bool(true)))
    }
}

/// A slot's value: the rows of the navigation's variable in the match (and the current row,
/// when it is being defined), read as the navigation says.
fn navigate(
    nav: &Navigation,
    rows: &[(usize, &Event)],
    current: Option<(usize, &Event)>,
    time: i64,
    now: i64,
    types: &[DataType],
) -> Result<Value, EvalError> {
    let of = |wanted: &Rows| -> Vec<&Event> {
        let mut list: Vec<&Event> = rows.iter().filter(|(v, _)| wanted.contains(*v)).map(|(_, e)| *e).collect();
        if let Some((v, e)) = current {
            if wanted.contains(v) {
                list.push(e);
            }
        }
        list
    };
    Ok(match nav {
        Navigation::MatchRowtime => Value::Timestamp(time),
        Navigation::MatchProctime => Value::Timestamp(now),
        Navigation::Row { rows, column, first, offset } => {
            let list = of(rows);
            let offset = *offset as usize;
            let at = if *first { Some(offset) } else { list.len().checked_sub(offset + 1) };
            at.and_then(|i| list.get(i)).map_or(Value::Null, |e| e.row[*column].clone())
        }
        Navigation::Aggregate(a) => aggregate(a, &of(&a.rows), types)?,
    })
}

/// An aggregate over `events`: its argument evaluated over them as one batch, then fed to the
/// same accumulator a GROUP BY uses (so every aggregate and type is computed as there).
fn aggregate(a: &CepAggregate, events: &[&Event], types: &[DataType]) -> Result<Value, EvalError> {
    let mut acc = Accumulators::new(std::slice::from_ref(&a.call), false);
    let group = acc.add_group();
    if !events.is_empty() {
        let mut b = BatchBuilder::new(types);
        for e in events {
            b.push(RowKind::Insert, &e.row, NO_WATERMARK);
        }
        let input = b.finish();
        let batch = match &a.arg {
            Some(arg) => Batch::new(vec![eval(arg, &input, &EvalContext::default())?], input.len()),
            None => input,
        };
        let rows: Vec<u32> = (0..batch.len() as u32).collect();
        acc.accumulate_rows(&vec![group; rows.len()], &rows, &batch);
    }
    if let Some(failure) = acc.take_failure() {
        return Err(EvalError(failure));
    }
    let mut out = Vec::with_capacity(1);
    acc.results(group, &mut out);
    Ok(out.pop().unwrap_or(Value::Null))
}

/// Evaluates a bound expression over its slots (a one-row batch).
fn evaluate(e: &CepExpr, slots: Vec<Value>) -> Result<Value, EvalError> {
    let types: Vec<DataType> = e.types.iter().map(|t| t.data_type.clone()).collect();
    let mut b = BatchBuilder::new(&types);
    b.push(RowKind::Insert, &slots, NO_WATERMARK);
    let batch = b.finish();
    let column = eval(&e.expr, &batch, &EvalContext::default())?;
    Ok(column.value(0, &e.expr.ty.data_type))
}

impl CepOperator {
    /// Buffers `row` of its partition at `time`.
    fn buffer(&mut self, row: Vec<Value>, time: i64) {
        let key: Vec<Value> = self.spec.partition.iter().map(|&c| row[c].clone()).collect();
        let ordered: Vec<Ordered> = key.iter().cloned().map(Ordered).collect();
        let p = match self.index.get(&ordered) {
            Some(&p) => p,
            None => {
                self.partitions.push(Partition { key, pending: BTreeMap::new(), nfa: NfaState::new(&self.nfa) });
                self.index.insert(ordered, self.partitions.len() - 1);
                self.partitions.len() - 1
            }
        };
        self.partitions[p].pending.entry(time).or_default().push(row);
        self.buffered += 1;
    }

    /// ORDER BY a processing-time attribute (`CepOperator.processElement` with
    /// `isProcessingTime`): each row is taken at the clock's time as it arrives, after
    /// `advanceTime` to it; rows arriving at one time are sorted by the further ORDER BY keys
    /// (Flink buffers them for a timer at that time). Nothing is late, and WITHIN drops partial
    /// matches only when a later row comes.
    fn process_in_proctime(&mut self, batch: Batch, out: &mut Vec<Batch>) -> Result<(), EvalError> {
        let mut emit = BatchBuilder::new(&self.output_types);
        for i in 0..batch.len() {
            if !batch.kind(i).is_accumulate() {
                return Err(EvalError("MATCH_RECOGNIZE over an updating input is not supported".into()));
            }
            self.watermark = self.watermark.max(batch.arrival_watermark(i));
            let row = batch.row(i, &self.input_types);
            self.buffer(row, self.now);
        }
        self.run_due(self.now, false, self.watermark, &mut emit)?;
        self.metrics.state_rows = self.buffered + self.partitions.iter().map(|p| p.nfa.held() as u64).sum::<u64>();
        emit_rows(emit, &mut self.metrics, out);
        Ok(())
    }
}

impl Operator for CepOperator {
    fn name(&self) -> String {
        "Match".to_string()
    }

    fn process(&mut self, batch: Batch, out: &mut Vec<Batch>) -> Result<(), EvalError> {
        self.metrics.records_in += batch.len() as u64;
        let mut emit = BatchBuilder::new(&self.output_types);
        if self.spec.proctime {
            return self.process_in_proctime(batch, out);
        }
        let time_column = self.spec.time_column();
        let ColumnData::Int(times) = &batch.columns[time_column].data else {
            return Err(EvalError("the MATCH_RECOGNIZE time attribute is not a timestamp".into()));
        };
        for (i, &t) in times.iter().enumerate() {
            if !batch.kind(i).is_accumulate() {
                return Err(EvalError("MATCH_RECOGNIZE over an updating input is not supported".into()));
            }
            let arrival = batch.arrival_watermark(i);
            if arrival > self.watermark {
                self.advance(arrival, &mut emit)?;
            }
            // Flink reads a NULL rowtime as 0.
            let ts = if batch.columns[time_column].is_valid(i) { t } else { 0 };
            if ts <= self.watermark {
                self.late.record(&batch, i, &self.input_types, ts, self.watermark);
                continue;
            }
            let row = batch.row(i, &self.input_types);
            self.buffer(row, ts);
        }
        emit_rows(emit, &mut self.metrics, out);
        self.metrics.late_records_dropped = self.late.dropped;
        Ok(())
    }

    fn set_now(&mut self, now_ms: i64) {
        self.now = now_ms;
    }

    fn on_watermark(&mut self, watermark: i64, out: &mut Vec<Batch>) -> Result<(), EvalError> {
        if watermark <= self.watermark {
            return Ok(());
        }
        if self.spec.proctime {
            // Processing time: no row waits for a watermark, none is late.
            self.watermark = watermark;
            return Ok(());
        }
        let mut emit = BatchBuilder::new(&self.output_types);
        self.advance(watermark, &mut emit)?;
        emit_rows(emit, &mut self.metrics, out);
        Ok(())
    }

    fn metrics(&self) -> OperatorMetrics {
        self.metrics.clone()
    }

    fn late_records(&self) -> Vec<LateRecord> {
        self.late.recent()
    }

    fn next_timer(&self) -> Option<i64> {
        if self.spec.proctime {
            return None;
        }
        self.partitions.iter().filter_map(|p| p.pending.keys().next().copied()).min()
    }
}
