//! Logical plans: what a query computes, as a tree of relational operators over typed
//! schemas. The engine turns a plan into a pipeline of streaming operators.

use std::fmt;
use std::sync::Arc;

use super::catalog::TableDef;
use super::expr::Expr;
use crate::types::SqlType;

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
        time_column: usize,
    },
    /// Two inputs joined: the left's columns, then the right's (an outer side's columns
    /// nullable). How state is kept and when rows come out depends on the [`JoinStrategy`].
    Join {
        left: Box<Plan>,
        right: Box<Plan>,
        join: Join,
    },
}

/// A join's type, keys, time bounds and remaining condition, as Flink's `Join`,
/// `IntervalJoin` and `WindowJoin` nodes describe it.
#[derive(Clone, Debug, PartialEq)]
pub struct Join {
    pub kind: JoinKind,
    /// Equi-join keys: left column `left_keys[i]` equals right column `right_keys[i]`. Rows
    /// whose key holds a NULL match nothing.
    pub left_keys: Vec<usize>,
    pub right_keys: Vec<usize>,
    /// What else the ON clause asks, over the joined row (left columns, then right columns).
    pub condition: Option<Expr>,
    pub strategy: JoinStrategy,
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

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JoinStrategy {
    /// Both inputs kept in state for ever (Flink's `StreamingJoinOperator`): an updating result
    /// when a side is outer or an input updates.
    Regular,
    /// `l.t BETWEEN r.t + lower AND r.t + upper` over two event-time attributes
    /// (`RowTimeIntervalJoin`): rows are kept only while the other side's watermark can still
    /// bring a partner; the output stays append-only and keeps both time attributes.
    Interval { left_time: usize, right_time: usize, lower: i64, upper: i64 },
    /// Equal `window_start`/`window_end` of two windowed inputs (`WindowJoinOperator`): a
    /// window's rows are joined once the watermark passes its end.
    Window { left_end: usize, right_end: usize },
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
    /// Where `ROW_NUMBER()` is written, for errors found later.
    pub location: crate::sql::Location,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RankStrategy {
    /// Top-N over an append-only input (`AppendOnlyTopNFunction`): an updating result.
    TopN,
    /// `ROW_NUMBER() … ORDER BY rowtime = 1` (`RowTimeDeduplicate…Function`).
    Deduplicate { keep_last: bool, time_column: usize },
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
    /// The event-time attribute the window is ordered by (ascending).
    pub time_column: usize,
    pub frame: OverFrame,
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
}

/// An event-time window an aggregate groups by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WindowSpec {
    Tumble { size: i64, offset: i64 },
    Hop { slide: i64, size: i64, offset: i64 },
    Cumulate { step: i64, max_size: i64, offset: i64 },
    Session { gap: i64 },
}

#[derive(Clone, Debug, PartialEq)]
pub struct WindowAgg {
    pub spec: WindowSpec,
    /// The input column holding the event time the window is over.
    pub time_column: usize,
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
    /// The plan as indented text, one operator per line (EXPLAIN).
    pub fn explain(&self) -> String {
        let mut out = String::new();
        self.explain_into(&mut out, 0);
        out
    }

    fn explain_into(&self, out: &mut String, depth: usize) {
        use std::fmt::Write;
        let pad = if depth == 0 { String::new() } else { format!("{}+- ", "   ".repeat(depth - 1)) };
        let names = |s: &Schema| s.fields.iter().map(|f| f.name.clone()).collect::<Vec<_>>().join(", ");
        match &self.node {
            Node::Scan { table } => {
                let _ = write!(out, "{pad}TableSourceScan(table=[{}], fields=[{}])", table.name, names(&self.schema));
                if let Some(wm) = &table.watermark {
                    let _ = write!(out, " with WatermarkAssigner(rowtime=[{}], watermark=[{}])", table.columns[wm.rowtime].name, wm.text);
                }
                out.push('\n');
            }
            Node::Filter { input, predicate } => {
                let _ = writeln!(out, "{pad}Filter(condition=[{predicate}])");
                input.explain_into(out, depth + 1);
            }
            Node::Project { input, exprs } => {
                let items: Vec<String> = exprs.iter().zip(&self.schema.fields).map(|(e, f)| format!("{e} AS {}", f.name)).collect();
                let _ = writeln!(out, "{pad}Calc(select=[{}])", items.join(", "));
                input.explain_into(out, depth + 1);
            }
            Node::Aggregate { input, keys, aggs, window } => {
                let key_names: Vec<String> = input.schema.fields[..*keys].iter().map(|f| f.name.clone()).collect();
                let agg_names: Vec<String> = aggs
                    .iter()
                    .map(|a| match a.arg {
                        Some(i) => {
                            format!("{}({}{})", a.func.name(), if a.distinct { "DISTINCT " } else { "" }, input.schema.fields[i].name)
                        }
                        None => "COUNT(*)".to_string(),
                    })
                    .collect();
                match window {
                    Some(w) => {
                        let _ = writeln!(
                            out,
                            "{pad}WindowAggregate(groupBy=[{}], window=[{} on {}], select=[{}])",
                            key_names.join(", "),
                            w.spec,
                            input.schema.fields[w.time_column].name,
                            agg_names.join(", ")
                        );
                    }
                    None => {
                        let _ = writeln!(out, "{pad}GroupAggregate(groupBy=[{}], select=[{}])", key_names.join(", "), agg_names.join(", "));
                    }
                }
                input.explain_into(out, depth + 1);
            }
            Node::Over { input, window, aggs } => {
                let fields = &input.schema.fields;
                let partition: Vec<&str> = window.partition.iter().map(|&i| fields[i].name.as_str()).collect();
                let calls: Vec<String> = aggs
                    .iter()
                    .enumerate()
                    .map(|(i, a)| match a.arg {
                        Some(c) => format!("{}({}{}) AS w0$o{i}", a.func.name(), if a.distinct { "DISTINCT " } else { "" }, fields[c].name),
                        None => format!("COUNT(*) AS w0$o{i}"),
                    })
                    .collect();
                let _ = writeln!(
                    out,
                    "{pad}OverAggregate(partitionBy=[{}], orderBy=[{} ASC], window=[{}], select=[{}])",
                    partition.join(", "),
                    fields[window.time_column].name,
                    window.frame,
                    calls.join(", ")
                );
                input.explain_into(out, depth + 1);
            }
            Node::Rank { input, rank } => {
                let fields = &input.schema.fields;
                let partition: Vec<&str> = rank.partition.iter().map(|&i| fields[i].name.as_str()).collect();
                let order: Vec<String> =
                    rank.order.iter().map(|k| format!("{} {}", fields[k.column].name, if k.descending { "DESC" } else { "ASC" })).collect();
                let (start, end) = rank.range.unwrap_or((1, u64::MAX));
                let select = if rank.output_number { names(&self.schema) } else { names(&input.schema) };
                let _ = match rank.strategy {
                    RankStrategy::TopN => writeln!(
                        out,
                        "{pad}Rank(strategy=[AppendFastStrategy], rankType=[ROW_NUMBER], rankRange=[rankStart={start}, rankEnd={end}], partitionBy=[{}], orderBy=[{}], select=[{select}])",
                        partition.join(", "),
                        order.join(", ")
                    ),
                    RankStrategy::Deduplicate { keep_last, .. } => writeln!(
                        out,
                        "{pad}Deduplicate(keep=[{}], key=[{}], order=[ROWTIME])",
                        if keep_last { "LastRow" } else { "FirstRow" },
                        partition.join(", ")
                    ),
                    RankStrategy::WindowTopN { .. } => writeln!(
                        out,
                        "{pad}WindowRank(rankType=[ROW_NUMBER], rankRange=[rankStart={start}, rankEnd={end}], partitionBy=[{}], orderBy=[{}], select=[{select}])",
                        partition.join(", "),
                        order.join(", ")
                    ),
                    RankStrategy::WindowDeduplicate { keep_last, time_column, .. } => writeln!(
                        out,
                        "{pad}WindowDeduplicate(keep=[{}], partitionKeys=[{}], orderKey=[{}], order=[ROWTIME])",
                        if keep_last { "LastRow" } else { "FirstRow" },
                        partition.join(", "),
                        fields[time_column].name
                    ),
                };
                input.explain_into(out, depth + 1);
            }
            Node::WindowTvf { input, spec, time_column } => {
                let _ = writeln!(out, "{pad}WindowTableFunction(window=[{spec} on {}])", input.schema.fields[*time_column].name);
                input.explain_into(out, depth + 1);
            }
            Node::Union { inputs } => {
                let _ = writeln!(out, "{pad}Union(all=[true], union=[{}])", names(&self.schema));
                for input in inputs {
                    input.explain_into(out, depth + 1);
                }
            }
            Node::Join { left, right, join } => {
                let keys: Vec<String> = join
                    .left_keys
                    .iter()
                    .zip(&join.right_keys)
                    .map(|(l, r)| format!("=({}, {})", left.schema.fields[*l].name, right.schema.fields[*r].name))
                    .collect();
                let mut on = keys.join(", ");
                if let Some(c) = &join.condition {
                    on = if on.is_empty() { c.to_string() } else { format!("{on}, {c}") };
                }
                let node = match join.strategy {
                    JoinStrategy::Regular => "Join",
                    JoinStrategy::Interval { .. } => "IntervalJoin",
                    JoinStrategy::Window { .. } => "WindowJoin",
                };
                let bounds = match join.strategy {
                    JoinStrategy::Interval { left_time, right_time, lower, upper } => format!(
                        ", windowBounds=[isRowTime=true, leftLowerBound={lower}, leftUpperBound={upper}, leftTimeIndex={left_time}, rightTimeIndex={right_time}]"
                    ),
                    _ => String::new(),
                };
                let _ =
                    writeln!(out, "{pad}{node}(joinType=[{}]{bounds}, where=[{on}], select=[{}])", join.kind.sql(), names(&self.schema));
                left.explain_into(out, depth + 1);
                right.explain_into(out, depth + 1);
            }
        }
    }

    /// The tables this plan scans (with repeats), for checks that need one source.
    pub fn scanned_tables(&self) -> Vec<Arc<TableDef>> {
        match &self.node {
            Node::Scan { table } => vec![table.clone()],
            Node::Filter { input, .. }
            | Node::Project { input, .. }
            | Node::Aggregate { input, .. }
            | Node::Over { input, .. }
            | Node::Rank { input, .. }
            | Node::WindowTvf { input, .. } => input.scanned_tables(),
            Node::Union { inputs } => inputs.iter().flat_map(Plan::scanned_tables).collect(),
            Node::Join { left, right, .. } => left.scanned_tables().into_iter().chain(right.scanned_tables()).collect(),
        }
    }
}
