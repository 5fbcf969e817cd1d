//! Logical plans: what a query computes, as a tree of relational operators over typed
//! schemas. The engine turns a plan into a pipeline of streaming operators.

use std::fmt;
use std::sync::Arc;

use super::catalog::TableDef;
use super::expr::Expr;
use crate::sql::Location;
use crate::types::{SqlType, Value};

#[derive(Clone, Debug, PartialEq)]
pub struct SchemaField {
    pub name: String,
    pub ty: SqlType,
    /// The table or alias the column can be qualified with.
    pub qualifier: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Schema {
    pub fields: Vec<SchemaField>,
}

impl Schema {
    pub fn types(&self) -> Vec<SqlType> {
        self.fields.iter().map(|f| f.ty.clone()).collect()
    }
    pub fn len(&self) -> usize {
        self.fields.len()
    }
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }
}

#[derive(Clone, Debug)]
pub struct Plan {
    pub node: Node,
    pub schema: Schema,
}

#[derive(Clone, Debug)]
pub enum Node {
    /// Reads a table: its physical columns, then its computed columns, with its watermark.
    Scan {
        table: Arc<TableDef>,
    },
    /// `VALUES (…), (…)`: constant rows, already of the schema's types (Flink's `Values`).
    Values {
        rows: Arc<Vec<Vec<Value>>>,
    },
    Filter {
        input: Box<Plan>,
        predicate: Expr,
    },
    Project {
        input: Box<Plan>,
        exprs: Vec<Expr>,
    },
    /// Groups by the first `keys` input columns and aggregates. The output is the keys, then
    /// one column per aggregate, then (for a window aggregate) window_start, window_end and
    /// window_time.
    Aggregate {
        input: Box<Plan>,
        keys: usize,
        aggs: Vec<AggCall>,
        window: Option<WindowAgg>,
    },
    /// `GROUPING SETS`, `ROLLUP`, `CUBE` below their one aggregate (Flink's `Expand`): each
    /// input row once per project list, in order; a list is column references, NULLs for the
    /// keys its grouping set leaves out, and its expand id (`$e`) as a literal.
    Expand {
        input: Box<Plan>,
        projects: Vec<Vec<Expr>>,
    },
    /// `UNION ALL`: every input's rows, in the first input's column names. The inputs have
    /// equal column types (the planner casts them to their common type).
    Union {
        inputs: Vec<Plan>,
    },
    /// `agg(…) OVER (PARTITION BY … ORDER BY rowtime ROWS/RANGE … PRECEDING)`: every input row
    /// once the watermark passes it, followed by one column per aggregate over its frame.
    Over {
        input: Box<Plan>,
        window: OverWindow,
        aggs: Vec<AggCall>,
    },
    /// `ROW_NUMBER() OVER (PARTITION BY … ORDER BY …)` kept to a range of row numbers (Top-N,
    /// deduplication, and their per-window forms): the input's columns, then the row number.
    Rank {
        input: Box<Plan>,
        rank: Rank,
    },
    /// A window table function's rows without an aggregate over them: each input row once per
    /// window it falls in, followed by window_start, window_end and window_time.
    WindowTvf {
        input: Box<Plan>,
        spec: WindowSpec,
        /// A SESSION's `PARTITION BY` columns (its sessions are per key).
        partition: Vec<usize>,
        time_column: usize,
        /// Where the window table function is called, for errors found when it is lowered.
        location: Location,
    },
    /// `LIMIT fetch OFFSET offset` without ORDER BY: the rows numbered `offset + 1 ..=
    /// offset + fetch` in arrival order (Flink's `Limit`, run as a first-N rank).
    Limit {
        input: Box<Plan>,
        offset: u64,
        fetch: u64,
        /// Where the LIMIT (or FETCH) is written, for errors found when it is lowered.
        location: Location,
    },
    /// `ORDER BY rowtime [ASC] [, …]` without LIMIT: the input's rows in event-time order as
    /// the watermark passes them (Flink's `TemporalSort`). `order[0]` is the time attribute.
    TemporalSort {
        input: Box<Plan>,
        order: Vec<SortKey>,
        /// Where the ORDER BY is written, for errors found when it is lowered.
        location: Location,
    },
    /// `MATCH_RECOGNIZE`: one row per match of the pattern, the partition columns then the
    /// measures (Flink's `Match`).
    Match {
        input: Box<Plan>,
        spec: Box<super::match_recognize::MatchSpec>,
        /// Where MATCH_RECOGNIZE is written, for errors found when it is lowered.
        location: Location,
    },
    /// `CROSS JOIN UNNEST(collection)` / `LEFT JOIN UNNEST(…) ON TRUE` (Calcite's `Correlate`
    /// over Flink's UNNEST table function): each input row's columns followed by one row per
    /// element of its collection.
    Correlate {
        input: Box<Plan>,
        unnest: Unnest,
    },
    /// Two inputs joined: the left's columns, then the right's (an outer side's columns
    /// nullable). How state is kept and when rows come out depends on the [`JoinStrategy`].
    Join {
        left: Box<Plan>,
        right: Box<Plan>,
        join: Join,
    },
}

/// What `UNNEST` expands and how, for [`Node::Correlate`].
#[derive(Clone, Debug, PartialEq)]
pub struct Unnest {
    /// The ARRAY, MAP or MULTISET, over the input's columns.
    pub arg: Expr,
    /// `WITH ORDINALITY`: a last column numbering the elements from 1.
    pub ordinality: bool,
    /// `LEFT JOIN … ON TRUE`: a row with no (or a NULL) collection is kept once, padded with NULLs.
    pub left_outer: bool,
    /// The elements are ROWs whose fields become columns (Flink's expansion of ARRAY<ROW<…>>).
    pub expand_rows: bool,
    /// Not UNNEST but Flink's `$REPLICATE_ROWS$` (INTERSECT ALL / EXCEPT ALL): `arg` is a BIGINT
    /// count, each input row comes out that many times and no column is added.
    pub replicate: bool,
}

/// A join's type, keys and condition, with what the ON clause says about time: the facts
/// from which lowering picks Flink's `Join`, `IntervalJoin` or `WindowJoin`.
#[derive(Clone, Debug, PartialEq)]
pub struct Join {
    pub kind: JoinKind,
    /// Equi-join keys: left column `left_keys[i]` equals right column `right_keys[i]`. Rows
    /// whose key holds a NULL match nothing.
    pub left_keys: Vec<usize>,
    pub right_keys: Vec<usize>,
    /// What else the ON clause asks, over the joined row (left columns, then right columns).
    pub condition: Option<Expr>,
    /// `l.t BETWEEN r.t + lower AND r.t + upper` over two event-time attributes, when the ON
    /// clause bounds them so (those conditions are then not in `condition`).
    pub time_bounds: Option<TimeBounds>,
    /// The inputs' `window_end` columns, when both inputs are windowed and the ON clause
    /// equates their `window_start` and `window_end` (those equalities are then not keys).
    pub window_ends: Option<(usize, usize)>,
    /// `JOIN versioned FOR SYSTEM_TIME AS OF l.t`: an event-time temporal join (the left's
    /// time attribute and the versioned table's); the keys then hold the versioned table's
    /// primary key.
    pub temporal: Option<TemporalTimes>,
    /// Where the join is written, for errors found when it is lowered.
    pub location: Location,
}

/// An event-time temporal join's time attributes: the left row's time picks the version of
/// the right (the latest whose `right_time` is at or before it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TemporalTimes {
    pub left_time: usize,
    /// Within the right input.
    pub right_time: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JoinKind {
    Inner,
    Left,
    Right,
    Full,
    /// `WHERE x IN (SELECT …)`: the left rows that have a partner; only the left's columns.
    Semi,
    /// `WHERE x NOT IN (SELECT …)`: the left rows that have none.
    Anti,
}

impl JoinKind {
    pub fn left_outer(self) -> bool {
        matches!(self, JoinKind::Left | JoinKind::Full)
    }
    pub fn right_outer(self) -> bool {
        matches!(self, JoinKind::Right | JoinKind::Full)
    }
    /// Whether only the left's columns come out.
    pub fn left_only(self) -> bool {
        matches!(self, JoinKind::Semi | JoinKind::Anti)
    }
    pub fn sql(self) -> &'static str {
        match self {
            JoinKind::Inner => "InnerJoin",
            JoinKind::Left => "LeftOuterJoin",
            JoinKind::Right => "RightOuterJoin",
            JoinKind::Full => "FullOuterJoin",
            JoinKind::Semi => "LeftSemiJoin",
            JoinKind::Anti => "LeftAntiJoin",
        }
    }
}

/// `l.t BETWEEN r.t + lower AND r.t + upper`: the left's time column, the right's, and the
/// bounds in milliseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimeBounds {
    pub left_time: usize,
    pub right_time: usize,
    pub lower: i64,
    pub upper: i64,
}

/// A ranking over the input, as Flink's `Rank`/`Deduplicate`/`WindowRank` nodes describe it.
#[derive(Clone, Debug, PartialEq)]
pub struct Rank {
    /// Input columns the rows are ranked within (for a window rank, without the window columns).
    pub partition: Vec<usize>,
    pub order: Vec<SortKey>,
    /// The row numbers kept, 1-based and inclusive. `None` until the WHERE above the ranking
    /// gives it; a ranking without one is not a streaming query Flink runs.
    pub range: Option<(u64, u64)>,
    /// Whether the row number is read above. When it is not, Flink emits a shorter changelog
    /// (a row leaving the top is deleted, instead of every row below it moving up), and the
    /// number column holds a constant nobody reads.
    pub output_number: bool,
    pub strategy: RankStrategy,
    /// ROW_NUMBER, or RANK / DENSE_RANK, which Flink 2.3 runs only as OVER aggregates.
    pub function: RankFunction,
    /// Where `ROW_NUMBER()` is written, for errors found later.
    pub location: Location,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RankStrategy {
    /// Top-N over an append-only input (`AppendOnlyTopNFunction`): an updating result.
    TopN,
    /// `ROW_NUMBER() … ORDER BY rowtime = 1` (`RowTimeDeduplicate…Function`), or ordered by a
    /// processing-time attribute (`ProcTimeDeduplicate…Function`, `proctime`).
    Deduplicate { keep_last: bool, time_column: usize, proctime: bool },
    /// Top-N per window over a window's rows (`WindowRankOperator`): final rows, once the
    /// window ends. `end_column` is the input's `window_end`.
    WindowTopN { end_column: usize },
    /// `… = 1` per window, ordered by the rowtime (`WindowDeduplicateOperator`).
    WindowDeduplicate { end_column: usize, keep_last: bool, time_column: usize },
}

/// One ORDER BY item of a ranking.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SortKey {
    pub column: usize,
    pub descending: bool,
    pub nulls_first: bool,
}

/// The one window every OVER aggregate of a query is computed on.
#[derive(Clone, Debug, PartialEq)]
pub struct OverWindow {
    /// Input columns the rows are partitioned by (none: one partition).
    pub partition: Vec<usize>,
    /// The time attribute the window is ordered by (ascending).
    pub time_column: usize,
    /// That attribute is processing time (`PROCTIME()`): rows are ordered by arrival.
    pub proctime: bool,
    pub frame: OverFrame,
    /// Where the OVER aggregate is written, for errors found when it is lowered.
    pub location: Location,
}

/// The frame of an OVER window; it always ends at the current row. `None` is UNBOUNDED PRECEDING.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OverFrame {
    /// `ROWS BETWEEN n PRECEDING AND CURRENT ROW`.
    Rows { preceding: Option<u64> },
    /// `RANGE BETWEEN INTERVAL … PRECEDING AND CURRENT ROW`, in milliseconds.
    Range { preceding: Option<i64> },
}

impl fmt::Display for OverFrame {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            OverFrame::Rows { preceding: Some(n) } => write!(f, "ROWS BETWEEN {n} PRECEDING AND CURRENT ROW"),
            OverFrame::Rows { preceding: None } => write!(f, "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW"),
            OverFrame::Range { preceding: Some(ms) } => write!(f, "RANGE BETWEEN {ms} PRECEDING AND CURRENT ROW"),
            OverFrame::Range { preceding: None } => write!(f, "RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW"),
        }
    }
}

/// PERCENTILE's literal percentages, held by value so the aggregate stays `Copy` and `Eq`:
/// one (`PERCENTILE(x, 0.5)`, a DOUBLE result) or an ARRAY of up to [`Percentages::MAX`] (an
/// ARRAY<DOUBLE> result).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Percentages {
    bits: [u64; Percentages::MAX],
    len: u8,
    array: bool,
}

impl Percentages {
    pub const MAX: usize = 16;

    /// `None` when there are more than [`Percentages::MAX`].
    pub fn new(values: &[f64], array: bool) -> Option<Percentages> {
        let mut bits = [0; Percentages::MAX];
        for (b, v) in bits.iter_mut().zip(values) {
            *b = v.to_bits();
        }
        (values.len() <= Percentages::MAX).then_some(Percentages { bits, len: values.len() as u8, array })
    }

    pub fn values(&self) -> impl Iterator<Item = f64> + '_ {
        self.bits[..self.len as usize].iter().map(|b| f64::from_bits(*b))
    }

    /// Whether the percentages came as an ARRAY (the result is then an ARRAY<DOUBLE>).
    pub fn is_array(&self) -> bool {
        self.array
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AggFunc {
    CountStar,
    Count,
    Sum,
    Avg,
    Min,
    Max,
    VarPop,
    VarSamp,
    StddevPop,
    StddevSamp,
    FirstValue,
    LastValue,
    ListAgg,
    /// `ARRAY_AGG(x [RESPECT | IGNORE NULLS])`: the values in arrival order as an ARRAY, NULL
    /// for none (Flink's `ArrayAggFunction`; RESPECT NULLS, the default, keeps NULL elements).
    ArrayAgg {
        ignore_nulls: bool,
    },
    /// `COLLECT(x)`: the non-NULL values as a MULTISET (Flink's `CollectAggFunction`).
    Collect,
    /// `PERCENTILE(x, p[, frequency])`: the exact percentile of the non-NULL values at the
    /// literal `p` in [0, 1] (or at each of an ARRAY of them), interpolated linearly (Flink's
    /// `PercentileAggFunction`). With a frequency the argument is `ROW(x, frequency)`.
    Percentile {
        percentages: Percentages,
    },
    /// `JSON_ARRAYAGG(v [NULL | ABSENT ON NULL])` over `JSON_STRING(v)`: a JSON array text of the
    /// values in arrival order (Flink's `JsonArrayAggFunction`).
    JsonArrayAgg {
        absent_on_null: bool,
    },
    /// `JSON_OBJECTAGG([KEY] k VALUE v [NULL | ABSENT ON NULL])` over `ROW(k, JSON_STRING(v))`: a
    /// JSON object text, keys sorted (Flink's `JsonObjectAggFunction`).
    JsonObjectAgg {
        absent_on_null: bool,
    },
    /// `LAG(value[, offset[, default]]) OVER w`: the value `offset` rows back in the partition
    /// (Flink's `LagAggFunction`); `default` is the input column read when there is none.
    Lag {
        offset: u32,
        default: Option<usize>,
    },
    /// `ROW_NUMBER()`, `RANK()` or `DENSE_RANK()` as an OVER aggregate over a time attribute, a
    /// ranking no Top-N filter bounds ([`super::rank::finish`]). Flink 2.3 computes each as the
    /// number of rows in the frame: ROWS for ROW_NUMBER (1, 2, 3, …), RANGE for RANK and
    /// DENSE_RANK (rows at one time all get the count up to that time, so DENSE_RANK has gaps
    /// too: PyFlink gives 2, 2, 3 for times t, t, t + 1).
    Ranking(RankFunction),
}

/// Which ranking function a [`Rank`] computes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RankFunction {
    RowNumber,
    Rank,
    DenseRank,
}

impl RankFunction {
    pub fn name(self) -> &'static str {
        match self {
            RankFunction::RowNumber => "ROW_NUMBER",
            RankFunction::Rank => "RANK",
            RankFunction::DenseRank => "DENSE_RANK",
        }
    }
}

impl AggFunc {
    /// The function's SQL name (EXPLAIN, error messages).
    pub fn name(self) -> &'static str {
        match self {
            AggFunc::CountStar | AggFunc::Count => "COUNT",
            AggFunc::Sum => "SUM",
            AggFunc::Avg => "AVG",
            AggFunc::Min => "MIN",
            AggFunc::Max => "MAX",
            AggFunc::VarPop => "VAR_POP",
            AggFunc::VarSamp => "VAR_SAMP",
            AggFunc::StddevPop => "STDDEV_POP",
            AggFunc::StddevSamp => "STDDEV_SAMP",
            AggFunc::FirstValue => "FIRST_VALUE",
            AggFunc::LastValue => "LAST_VALUE",
            AggFunc::ListAgg => "LISTAGG",
            AggFunc::ArrayAgg { .. } => "ARRAY_AGG",
            AggFunc::Collect => "COLLECT",
            AggFunc::Percentile { .. } => "PERCENTILE",
            AggFunc::JsonArrayAgg { .. } => "JSON_ARRAYAGG",
            AggFunc::JsonObjectAgg { .. } => "JSON_OBJECTAGG",
            AggFunc::Lag { .. } => "LAG",
            AggFunc::Ranking(f) => f.name(),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct AggCall {
    pub func: AggFunc,
    /// The input column aggregated (none for COUNT(*)).
    pub arg: Option<usize>,
    pub distinct: bool,
    /// LISTAGG's separator (a literal; `,` when omitted).
    pub separator: Option<String>,
    /// The result type (Flink's rules: COUNT is BIGINT NOT NULL, AVG of INT is INT, …).
    pub ty: SqlType,
    /// The input's type.
    pub arg_ty: Option<SqlType>,
    /// `FILTER (WHERE …)`: the input column (`IS TRUE(condition)`) that admits a row.
    pub filter: Option<usize>,
}

/// An event-time window an aggregate groups by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WindowSpec {
    Tumble { size: i64, offset: i64 },
    Hop { slide: i64, size: i64, offset: i64 },
    Cumulate { step: i64, max_size: i64, offset: i64 },
    Session { gap: i64 },
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WindowAgg {
    pub spec: WindowSpec,
    /// The input column holding the event time the window is over.
    pub time_column: usize,
    /// Where the window is grouped by, for errors found when it is lowered.
    pub location: Location,
}

impl fmt::Display for WindowSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            WindowSpec::Tumble { size, .. } => write!(f, "TUMBLE(size=[{}])", ms(size)),
            WindowSpec::Hop { slide, size, .. } => write!(f, "HOP(slide=[{}], size=[{}])", ms(slide), ms(size)),
            WindowSpec::Cumulate { step, max_size, .. } => {
                write!(f, "CUMULATE(step=[{}], max_size=[{}])", ms(step), ms(max_size))
            }
            WindowSpec::Session { gap } => write!(f, "SESSION(gap=[{}])", ms(gap)),
        }
    }
}

fn ms(v: i64) -> String {
    if v % 60_000 == 0 {
        format!("{} min", v / 60_000)
    } else if v % 1000 == 0 {
        format!("{} s", v / 1000)
    } else {
        format!("{v} ms")
    }
}

impl Plan {
    /// The tables this plan scans (with repeats), for checks that need one source.
    pub fn scanned_tables(&self) -> Vec<Arc<TableDef>> {
        match &self.node {
            Node::Scan { table } => vec![table.clone()],
            Node::Values { .. } => Vec::new(),
            Node::Filter { input, .. }
            | Node::Project { input, .. }
            | Node::Aggregate { input, .. }
            | Node::Expand { input, .. }
            | Node::Over { input, .. }
            | Node::Rank { input, .. }
            | Node::Limit { input, .. }
            | Node::TemporalSort { input, .. }
            | Node::Match { input, .. }
            | Node::Correlate { input, .. }
            | Node::WindowTvf { input, .. } => input.scanned_tables(),
            Node::Union { inputs } => inputs.iter().flat_map(Plan::scanned_tables).collect(),
            Node::Join { left, right, .. } => left.scanned_tables().into_iter().chain(right.scanned_tables()).collect(),
        }
    }
}
