//! Physical plans: what runs. The logical plan says what a query computes; lowering it
//! ([`lower`]) decides how, as Flink's optimizer does between its logical and its
//! `StreamPhysical*` nodes:
//!
//! - which operator each node becomes (append-only or retracting Top-N, deduplication,
//!   sliced or session windows, regular, interval or window joins, a filter and projection
//!   fused into one `Calc`);
//! - each node's **changelog mode** (`[I]`, `[I,UB,UA]`, `[I,UA]`, …), inferred as Flink's
//!   `FlinkChangelogModeInferenceProgram` does ([`changelog`]);
//! - whether the plan can run at all: an operator that needs an insert-only input refuses an
//!   updating one here, naming where the query asks for it.
//!
//! The engine's `Pipeline` is then built from the physical plan without further choices, and
//! `EXPLAIN` prints it ([`explain`]) without building anything. The walkthrough's query
//!
//! ```text
//! SELECT status, COUNT(*) AS num, HOP_ROWTIME(event_time, INTERVAL '10' SECOND, INTERVAL '1' MINUTE) AS hop_time
//! FROM sensor_data GROUP BY HOP(event_time, INTERVAL '10' SECOND, INTERVAL '1' MINUTE), status
//! ```
//!
//! lowers to (`EXPLAIN CHANGELOG_MODE`)
//!
//! ```text
//! Calc(select=[$0 AS status, $1 AS num, $4 AS hop_time], changelogMode=[I])
//! +- WindowAggregate(groupBy=[status], window=[HOP(slide=[10 s], size=[1 min]) on event_time], select=[COUNT(*)], changelogMode=[I])
//!    +- Calc(select=[$2 AS status, $3 AS event_time], changelogMode=[I])
//!       +- TableSourceScan(table=[sensor_data], fields=[…], watermark=[…], changelogMode=[I])
//! ```
//!
//! while the same query grouped by `status` alone becomes a `GroupAggregate` whose result
//! updates (`[I,UA]`, or `[I,UB,UA]` when its reader needs the old rows), which a window
//! aggregate above it would refuse.
//!
//! One file per concern rather than per node: the nodes are plain data (this file), and what
//! is done with them — lowering, the changelog passes, printing — each reads every node kind.

pub mod changelog;
pub mod explain;
pub mod lower;

use std::sync::Arc;

pub use changelog::ChangelogMode;
pub use lower::lower;

use super::catalog::TableDef;
use super::expr::Expr;
use super::logical::{AggCall, Join, OverWindow, Schema, SortKey, TemporalTimes, TimeBounds, Unnest, WindowSpec};
use super::match_recognize::MatchSpec;
use crate::types::Value;

/// A node of the physical plan, with its output schema and changelog mode.
#[derive(Clone, Debug)]
pub struct PhysicalPlan {
    pub node: PhysicalNode,
    pub schema: Schema,
    pub changelog: ChangelogMode,
}

/// Where a query's rows come from: a table's connector, or constant rows.
#[derive(Clone, Debug)]
pub enum Source {
    Table(Arc<TableDef>),
    /// `VALUES`: rows of the plan's column types, read by an in-memory bounded source.
    Values {
        rows: Arc<Vec<Vec<Value>>>,
        schema: Schema,
    },
}

impl Source {
    /// The name EXPLAIN and the jobs panel show.
    pub fn name(&self) -> &str {
        match self {
            Source::Table(t) => &t.name,
            Source::Values { .. } => "Values",
        }
    }

    pub fn table(&self) -> Option<&Arc<TableDef>> {
        match self {
            Source::Table(t) => Some(t),
            Source::Values { .. } => None,
        }
    }

    fn same(&self, other: &Source) -> bool {
        match (self, other) {
            // One table read with a hint's options is another source (`/*+ OPTIONS(…) */`).
            (Source::Table(a), Source::Table(b)) => a.name == b.name && a.options == b.options,
            (Source::Values { rows: a, .. }, Source::Values { rows: b, .. }) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

/// How a Top-N keeps its rows, as Flink's `RankProcessStrategy` names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RankProcess {
    /// Over an insert-only input (`AppendOnlyTopNFunction`).
    AppendFast,
    /// Over an updating input (`RetractableTopNFunction`): needs the input's `-U` rows.
    Retract,
}

impl RankProcess {
    pub fn sql(self) -> &'static str {
        match self {
            RankProcess::AppendFast => "AppendFastStrategy",
            RankProcess::Retract => "RetractStrategy",
        }
    }
}

/// How a window aggregate assigns rows to windows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WindowAssignment {
    /// Tumbling, hopping and cumulating windows, computed over slices
    /// (`SlicingWindowAggProcessor`).
    Sliced,
    /// Session windows, merged per key (`MergingWindowProcessor`).
    Session { gap: i64 },
}

/// A join's operator, chosen from what its ON clause says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JoinOperator {
    /// `StreamingJoinOperator`: both inputs kept for ever; an updating result when a side is
    /// outer or an input updates.
    Regular,
    /// `RowTimeIntervalJoin`: rows are kept only while the other side's watermark can still
    /// bring a partner; the output stays append-only and keeps both time attributes.
    Interval(TimeBounds),
    /// `WindowJoinOperator`: a window's rows are joined once the watermark passes its end
    /// (`left_end`, `right_end`: each input's `window_end`).
    Window { left_end: usize, right_end: usize },
    /// `TemporalRowTimeJoinOperator`: each left row joined with the right's version as of its
    /// time once the watermark reaches it; append-only, keeps the left's time attribute.
    Temporal(TemporalTimes),
}

#[derive(Clone, Debug)]
pub enum PhysicalNode {
    TableSourceScan {
        table: Arc<TableDef>,
    },
    Values {
        rows: Arc<Vec<Vec<Value>>>,
    },
    /// An upsert source's changelog made complete per primary key (`key`: its columns), as
    /// Flink puts `ChangelogNormalize` over an `upsert-kafka` scan.
    ChangelogNormalize {
        input: Box<PhysicalPlan>,
        key: Vec<usize>,
    },
    /// A filter, a projection, or a projection over a filter, as one operator.
    Calc {
        input: Box<PhysicalPlan>,
        predicate: Option<Expr>,
        projection: Option<Vec<Expr>>,
    },
    /// Each input row once per project list (`GROUPING SETS`, `ROLLUP`, `CUBE`).
    Expand {
        input: Box<PhysicalPlan>,
        projects: Vec<Vec<Expr>>,
    },
    /// `GROUP BY` without a window: an updating result.
    GroupAggregate {
        input: Box<PhysicalPlan>,
        keys: usize,
        aggs: Vec<AggCall>,
    },
    WindowAggregate {
        input: Box<PhysicalPlan>,
        keys: usize,
        aggs: Vec<AggCall>,
        spec: WindowSpec,
        time_column: usize,
        assignment: WindowAssignment,
        /// The window is over `PROCTIME()`: the clock, not the data, fires it.
        proctime: bool,
    },
    OverAggregate {
        input: Box<PhysicalPlan>,
        window: OverWindow,
        aggs: Vec<AggCall>,
    },
    /// Top-N: the rows numbered `range` within each partition.
    Rank {
        input: Box<PhysicalPlan>,
        partition: Vec<usize>,
        order: Vec<SortKey>,
        range: (u64, u64),
        output_number: bool,
        process: RankProcess,
    },
    /// `ROW_NUMBER() … ORDER BY rowtime = 1` (`RowTimeDeduplicateFunction`), or ordered by a
    /// processing-time attribute (`ProcTimeDeduplicate…Function`, `proctime`).
    Deduplicate {
        input: Box<PhysicalPlan>,
        partition: Vec<usize>,
        keep_last: bool,
        time_column: usize,
        proctime: bool,
    },
    /// Top-N per window, once the window ends (`WindowRankOperator`).
    WindowRank {
        input: Box<PhysicalPlan>,
        partition: Vec<usize>,
        order: Vec<SortKey>,
        range: (u64, u64),
        output_number: bool,
        end_column: usize,
    },
    WindowDeduplicate {
        input: Box<PhysicalPlan>,
        partition: Vec<usize>,
        order: Vec<SortKey>,
        keep_last: bool,
        time_column: usize,
        end_column: usize,
    },
    WindowTableFunction {
        input: Box<PhysicalPlan>,
        spec: WindowSpec,
        /// A SESSION's `PARTITION BY` columns.
        partition: Vec<usize>,
        time_column: usize,
    },
    /// `LIMIT` without ORDER BY over an insert-only input: the first rows to arrive
    /// (`AppendOnlyFirstNFunction`).
    Limit {
        input: Box<PhysicalPlan>,
        offset: u64,
        fetch: u64,
    },
    /// `ORDER BY rowtime, …` without LIMIT over an insert-only input (`RowTimeSortOperator`).
    TemporalSort {
        input: Box<PhysicalPlan>,
        order: Vec<SortKey>,
    },
    /// `MATCH_RECOGNIZE` over an insert-only input (`CepOperator`).
    Match {
        input: Box<PhysicalPlan>,
        spec: Arc<MatchSpec>,
    },
    /// `UNNEST` of a column's collection beside each input row (Flink's
    /// `StreamPhysicalCorrelate` with the UNNEST table function).
    Correlate {
        input: Box<PhysicalPlan>,
        unnest: Unnest,
    },
    Union {
        inputs: Vec<PhysicalPlan>,
    },
    Join {
        left: Box<PhysicalPlan>,
        right: Box<PhysicalPlan>,
        join: Join,
        operator: JoinOperator,
    },
}

impl PhysicalPlan {
    /// The node's inputs, left to right.
    pub fn inputs(&self) -> Vec<&PhysicalPlan> {
        match &self.node {
            PhysicalNode::TableSourceScan { .. } | PhysicalNode::Values { .. } => Vec::new(),
            PhysicalNode::Calc { input, .. }
            | PhysicalNode::ChangelogNormalize { input, .. }
            | PhysicalNode::Expand { input, .. }
            | PhysicalNode::GroupAggregate { input, .. }
            | PhysicalNode::WindowAggregate { input, .. }
            | PhysicalNode::OverAggregate { input, .. }
            | PhysicalNode::Rank { input, .. }
            | PhysicalNode::Deduplicate { input, .. }
            | PhysicalNode::WindowRank { input, .. }
            | PhysicalNode::WindowDeduplicate { input, .. }
            | PhysicalNode::WindowTableFunction { input, .. }
            | PhysicalNode::Limit { input, .. }
            | PhysicalNode::TemporalSort { input, .. }
            | PhysicalNode::Match { input, .. } => vec![input],
            PhysicalNode::Correlate { input, .. } => vec![input],
            PhysicalNode::Union { inputs } => inputs.iter().collect(),
            PhysicalNode::Join { left, right, .. } => vec![left, right],
        }
    }

    /// The operator's name as Flink's EXPLAIN writes it.
    pub fn name(&self) -> &'static str {
        match &self.node {
            PhysicalNode::TableSourceScan { .. } => "TableSourceScan",
            PhysicalNode::Values { .. } => "Values",
            PhysicalNode::Calc { .. } => "Calc",
            PhysicalNode::ChangelogNormalize { .. } => "ChangelogNormalize",
            PhysicalNode::Expand { .. } => "Expand",
            PhysicalNode::GroupAggregate { .. } => "GroupAggregate",
            PhysicalNode::WindowAggregate { .. } => "WindowAggregate",
            PhysicalNode::OverAggregate { .. } => "OverAggregate",
            PhysicalNode::Rank { .. } => "Rank",
            PhysicalNode::Deduplicate { .. } => "Deduplicate",
            PhysicalNode::WindowRank { .. } => "WindowRank",
            PhysicalNode::WindowDeduplicate { .. } => "WindowDeduplicate",
            PhysicalNode::WindowTableFunction { .. } => "WindowTableFunction",
            PhysicalNode::Limit { .. } => "Limit",
            PhysicalNode::TemporalSort { .. } => "TemporalSort",
            PhysicalNode::Match { .. } => "Match",
            PhysicalNode::Correlate { .. } => "Correlate",
            PhysicalNode::Union { .. } => "Union",
            PhysicalNode::Join { operator: JoinOperator::Regular, .. } => "Join",
            PhysicalNode::Join { operator: JoinOperator::Interval(_), .. } => "IntervalJoin",
            PhysicalNode::Join { operator: JoinOperator::Window { .. }, .. } => "WindowJoin",
            PhysicalNode::Join { operator: JoinOperator::Temporal(_), .. } => "TemporalJoin",
        }
    }

    /// The sources the plan reads, each once and in the order first read (a table scanned
    /// twice, as in a self-join, is read once, as Flink reuses a source).
    pub fn sources(&self) -> Vec<Source> {
        let mut out: Vec<Source> = Vec::new();
        self.visit(&mut |p| {
            let source = match &p.node {
                PhysicalNode::TableSourceScan { table } => Source::Table(table.clone()),
                PhysicalNode::Values { rows } => Source::Values { rows: rows.clone(), schema: p.schema.clone() },
                _ => return,
            };
            if !out.iter().any(|s| s.same(&source)) {
                out.push(source);
            }
        });
        out
    }

    /// For each of [`Self::sources`] (same order), which of its table's *physical* columns the
    /// plan reads: those a `Calc` right over a scan of it names (in its filter and projection),
    /// every one when anything else reads the scan, and those the table's watermark and the
    /// computed columns read need (the first, when that is none). Flink pushes the same
    /// projection into the scan (`PushProjectIntoTableSourceScanRule`), and a filesystem table's
    /// format then decodes only these: a bad or missing value in a column no query reads is no
    /// error. `None` for VALUES.
    pub fn physical_columns_read(&self, sources: &[Source]) -> Vec<Option<Vec<bool>>> {
        let mut read: Vec<Vec<bool>> = sources
            .iter()
            .map(|s| match s {
                Source::Table(t) => vec![false; t.columns.len()],
                Source::Values { .. } => Vec::new(),
            })
            .collect();
        let mut mark = |scan: &PhysicalPlan, calc: Option<(&Option<Expr>, &Vec<Expr>)>| {
            let Some(columns) = Self::source_index(sources, scan).and_then(|i| read.get_mut(i)) else { return };
            match calc {
                // A scan's rows are its table's columns in table order, as the Calc's columns.
                Some((predicate, projection)) if scan.schema.fields.len() == columns.len() => {
                    for e in predicate.iter().chain(projection) {
                        e.visit_columns(&mut |c| {
                            if let Some(x) = columns.get_mut(c) {
                                *x = true;
                            }
                        });
                    }
                }
                _ => columns.iter_mut().for_each(|x| *x = true),
            }
        };
        if self.inputs().is_empty() {
            mark(self, None);
        }
        self.visit(&mut |p| {
            for input in p.inputs().into_iter().filter(|i| i.inputs().is_empty()) {
                match &p.node {
                    PhysicalNode::Calc { predicate, projection: Some(projection), .. } => mark(input, Some((predicate, projection))),
                    _ => mark(input, None),
                }
            }
        });
        sources
            .iter()
            .zip(read)
            .map(|(source, mut read)| {
                let Source::Table(table) = source else { return None };
                let mark = |read: &mut Vec<bool>, c: usize| {
                    if let Some(x) = read.get_mut(c) {
                        *x = true;
                    }
                };
                if let Some(w) = &table.watermark {
                    mark(&mut read, w.rowtime);
                    w.expr.visit_columns(&mut |c| mark(&mut read, c));
                }
                // A computed column reads physical and metadata columns only (planner.rs's
                // plan_create_table): marking what the read ones need is one pass.
                for (k, column) in table.columns.iter().enumerate().rev() {
                    if let (Some(true), super::catalog::ColumnKind::Computed(e)) = (read.get(k), &column.kind) {
                        e.visit_columns(&mut |c| mark(&mut read, c));
                    }
                }
                let physical = table.columns.iter().zip(&read).filter(|(c, _)| matches!(c.kind, super::catalog::ColumnKind::Physical));
                let mut physical: Vec<bool> = physical.map(|(_, &r)| r).collect();
                // Reading no column at all (`COUNT(*)`, `SELECT 1`), Flink's scan still reads its
                // first: a bad value there fails the query, elsewhere it does not.
                if let (false, Some(first)) = (physical.contains(&true), physical.first_mut()) {
                    *first = true;
                }
                Some(physical)
            })
            .collect()
    }

    /// The position of the source a leaf reads in [`Self::sources`].
    pub fn source_index(sources: &[Source], leaf: &PhysicalPlan) -> Option<usize> {
        let source = match &leaf.node {
            PhysicalNode::TableSourceScan { table } => Source::Table(table.clone()),
            PhysicalNode::Values { rows } => Source::Values { rows: rows.clone(), schema: Schema::default() },
            _ => return None,
        };
        sources.iter().position(|s| s.same(&source))
    }

    /// Whether the plan has timers on processing time: a window over it, an OVER aggregate's
    /// `RANGE … PRECEDING` frame or an ORDER BY ordered by it (rows with one processing time
    /// are emitted together once the clock has moved on).
    pub fn uses_processing_time(&self) -> bool {
        let mut found = false;
        self.visit(&mut |p| {
            found |= match &p.node {
                PhysicalNode::WindowAggregate { proctime, .. } => *proctime,
                PhysicalNode::OverAggregate { window, .. } => {
                    window.proctime && matches!(window.frame, super::logical::OverFrame::Range { preceding: Some(_) })
                }
                PhysicalNode::TemporalSort { input, order } => {
                    order.first().is_some_and(|k| input.schema.fields.get(k.column).is_some_and(|f| f.ty.proctime))
                }
                _ => false,
            }
        });
        found
    }

    /// Every node, parents before their inputs, inputs left to right.
    pub fn visit<'a>(&'a self, f: &mut dyn FnMut(&'a PhysicalPlan)) {
        // An explicit stack: plans nest as deep as the query's text does.
        let mut stack = vec![self];
        while let Some(p) = stack.pop() {
            f(p);
            stack.extend(p.inputs().into_iter().rev());
        }
    }
}
