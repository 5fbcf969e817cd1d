//! EXPLAIN's `== Optimized Physical Plan ==`: the physical plan as an indented tree in Flink's
//! words, sink (or root) first, one operator per line, joins with both inputs under them.
//! `EXPLAIN CHANGELOG_MODE` adds each node's `changelogMode=[…]` as Flink 2.3 does.

use std::fmt::Write;

use super::{JoinOperator, PhysicalNode, PhysicalPlan};
use crate::plan::logical::{AggCall, AggFunc, Schema};

/// One line of the tree: its depth and the operator's text.
pub struct Line {
    pub depth: usize,
    pub text: String,
}

/// The plan's lines, root first (depth 0), each input after its parent, left before right.
/// `sink` names the table an INSERT writes, with what Flink writes after its fields
/// (`, upsertMaterialize=[true], conflictStrategy=[DEDUPLICATE]`); `changelog` adds the modes.
pub fn lines(plan: &PhysicalPlan, sink: Option<(&str, &str)>, changelog: bool) -> Vec<Line> {
    let mut out = Vec::new();
    let base = usize::from(sink.is_some());
    if let Some((table, attributes)) = sink {
        let mode = if changelog { ", changelogMode=[NONE]" } else { "" };
        out.push(Line { depth: 0, text: format!("Sink(table=[{table}], fields=[{}]{attributes}{mode})", names(&plan.schema)) });
    }
    // An explicit stack: plans nest as deep as the query's text does.
    let mut stack = vec![(plan, base)];
    while let Some((p, depth)) = stack.pop() {
        let mut text = describe(p);
        if changelog {
            // Every description ends with its closing parenthesis.
            text.pop();
            let _ = write!(text, ", changelogMode={})", p.changelog);
        }
        out.push(Line { depth, text });
        stack.extend(p.inputs().into_iter().rev().map(|i| (i, depth + 1)));
    }
    out
}

/// The tree as text, Flink's `+- ` under each parent.
pub fn explain(plan: &PhysicalPlan, sink: Option<(&str, &str)>, changelog: bool) -> String {
    let mut out = String::new();
    for line in lines(plan, sink, changelog) {
        if line.depth > 0 {
            out.push_str(&"   ".repeat(line.depth - 1));
            out.push_str("+- ");
        }
        out.push_str(&line.text);
        out.push('\n');
    }
    out
}

fn names(s: &Schema) -> String {
    s.fields.iter().map(|f| f.name.as_str()).collect::<Vec<_>>().join(", ")
}

fn agg_name(a: &AggCall, input: &Schema) -> String {
    let call = match a.arg.and_then(|i| input.fields.get(i)) {
        Some(f) => format!("{}({}{})", a.func.name(), if a.distinct { "DISTINCT " } else { "" }, f.name),
        None if matches!(a.func, AggFunc::Ranking(_)) => format!("{}()", a.func.name()),
        None => "COUNT(*)".to_string(),
    };
    match a.filter.and_then(|i| input.fields.get(i)) {
        Some(f) => format!("{call} FILTER {}", f.name),
        None => call,
    }
}

/// One node's operator and attributes, `Name(key=[…], …)`.
pub fn describe(plan: &PhysicalPlan) -> String {
    let field = |s: &Schema, i: usize| s.fields.get(i).map_or_else(|| format!("${i}"), |f| f.name.clone());
    let list = |s: &Schema, cols: &[usize]| cols.iter().map(|&i| field(s, i)).collect::<Vec<_>>().join(", ");
    let order = |s: &Schema, keys: &[crate::plan::logical::SortKey]| {
        keys.iter().map(|k| format!("{} {}", field(s, k.column), if k.descending { "DESC" } else { "ASC" })).collect::<Vec<_>>().join(", ")
    };
    match &plan.node {
        PhysicalNode::TableSourceScan { table } => {
            let mut text = format!("TableSourceScan(table=[{}], fields=[{}]", table.name, names(&plan.schema));
            if let Some(wm) = &table.watermark {
                let _ = write!(text, ", watermark=[{}: {}]", table.columns[wm.rowtime].name, wm.text);
            }
            text.push(')');
            text
        }
        PhysicalNode::Values { rows } => {
            let tuples: Vec<String> = rows
                .iter()
                .map(|r| format!("{{ {} }}", r.iter().map(|v| v.to_string()).collect::<Vec<_>>().join(", ")))
                .collect();
            format!("Values(tuples=[[{}]])", tuples.join(", "))
        }
        PhysicalNode::Calc { predicate, projection, .. } => {
            let mut parts = Vec::new();
            if let Some(exprs) = projection {
                let items: Vec<String> = exprs.iter().zip(&plan.schema.fields).map(|(e, f)| format!("{e} AS {}", f.name)).collect();
                parts.push(format!("select=[{}]", items.join(", ")));
            }
            if let Some(p) = predicate {
                parts.push(format!("where=[{p}]"));
            }
            format!("Calc({})", parts.join(", "))
        }
        PhysicalNode::ChangelogNormalize { input, key } => format!("ChangelogNormalize(key=[{}])", list(&input.schema, key)),
        PhysicalNode::Expand { projects, .. } => {
            let lists: Vec<String> = projects
                .iter()
                .map(|exprs| {
                    let items: Vec<String> = exprs.iter().zip(&plan.schema.fields).map(|(e, f)| format!("{e} AS {}", f.name)).collect();
                    format!("{{{}}}", items.join(", "))
                })
                .collect();
            format!("Expand(projects=[{}])", lists.join(", "))
        }
        PhysicalNode::GroupAggregate { input, keys, aggs } => {
            let keys: Vec<usize> = (0..*keys).collect();
            let aggs: Vec<String> = aggs.iter().map(|a| agg_name(a, &input.schema)).collect();
            format!("GroupAggregate(groupBy=[{}], select=[{}])", list(&input.schema, &keys), aggs.join(", "))
        }
        PhysicalNode::WindowAggregate { input, keys, aggs, spec, time_column, .. } => {
            let keys: Vec<usize> = (0..*keys).collect();
            let aggs: Vec<String> = aggs.iter().map(|a| agg_name(a, &input.schema)).collect();
            format!(
                "WindowAggregate(groupBy=[{}], window=[{spec} on {}], select=[{}])",
                list(&input.schema, &keys),
                field(&input.schema, *time_column),
                aggs.join(", ")
            )
        }
        PhysicalNode::OverAggregate { input, window, aggs } => {
            let calls: Vec<String> = aggs.iter().enumerate().map(|(i, a)| format!("{} AS w0$o{i}", agg_name(a, &input.schema))).collect();
            format!(
                "OverAggregate(partitionBy=[{}], orderBy=[{} ASC], window=[{}], select=[{}])",
                list(&input.schema, &window.partition),
                field(&input.schema, window.time_column),
                window.frame,
                calls.join(", ")
            )
        }
        PhysicalNode::Rank { input, partition, order: keys, range: (start, end), process, .. } => format!(
            "Rank(strategy=[{}], rankType=[ROW_NUMBER], rankRange=[rankStart={start}, rankEnd={end}], partitionBy=[{}], orderBy=[{}], select=[{}])",
            process.sql(),
            list(&input.schema, partition),
            order(&input.schema, keys),
            names(&plan.schema)
        ),
        PhysicalNode::Deduplicate { input, partition, keep_last, proctime, .. } => format!(
            "Deduplicate(keep=[{}], key=[{}], order=[{}])",
            if *keep_last { "LastRow" } else { "FirstRow" },
            list(&input.schema, partition),
            if *proctime { "PROCTIME" } else { "ROWTIME" }
        ),
        PhysicalNode::WindowRank { input, partition, order: keys, range: (start, end), .. } => format!(
            "WindowRank(rankType=[ROW_NUMBER], rankRange=[rankStart={start}, rankEnd={end}], partitionBy=[{}], orderBy=[{}], select=[{}])",
            list(&input.schema, partition),
            order(&input.schema, keys),
            names(&plan.schema)
        ),
        PhysicalNode::WindowDeduplicate { input, partition, keep_last, time_column, .. } => format!(
            "WindowDeduplicate(keep=[{}], partitionKeys=[{}], orderKey=[{}], order=[ROWTIME])",
            if *keep_last { "LastRow" } else { "FirstRow" },
            list(&input.schema, partition),
            field(&input.schema, *time_column)
        ),
        PhysicalNode::WindowTableFunction { input, spec, partition, time_column } if !partition.is_empty() => format!(
            "WindowTableFunction(window=[{spec} on {}], partitionKeys=[{}])",
            field(&input.schema, *time_column),
            list(&input.schema, partition)
        ),
        PhysicalNode::WindowTableFunction { input, spec, time_column, .. } => {
            format!("WindowTableFunction(window=[{spec} on {}])", field(&input.schema, *time_column))
        }
        PhysicalNode::TemporalSort { input, order: keys } => format!("TemporalSort(orderBy=[{}])", order(&input.schema, keys)),
        PhysicalNode::Match { input, spec } => crate::plan::match_recognize::explain(spec, &input.schema),
        PhysicalNode::Correlate { input, unnest } => {
            let arg = match unnest.arg.as_column() {
                Some(i) => field(&input.schema, i),
                None => unnest.arg.to_string(),
            };
            let function = match &unnest.arg.kind {
                crate::plan::expr::ExprKind::UserCall { func, args } => {
                    let args: Vec<String> = args.iter().map(|a| a.as_column().map_or_else(|| a.to_string(), |i| field(&input.schema, i))).collect();
                    format!("{}({})", func.name, args.join(", "))
                }
                _ => format!("{}({arg})", if unnest.replicate { "$REPLICATE_ROWS$1" } else { "$UNNEST_ROWS$1" }),
            };
            format!(
                "Correlate(invocation=[{function}], select=[{}], joinType=[{}])",
                names(&plan.schema),
                if unnest.left_outer { "LEFT" } else { "INNER" }
            )
        }
        PhysicalNode::Limit { offset, fetch, .. } => format!("Limit(offset=[{offset}], fetch=[{fetch}])"),
        PhysicalNode::Union { .. } => format!("Union(all=[true], union=[{}])", names(&plan.schema)),
        PhysicalNode::Join { left, right, join, operator } => {
            let mut on: Vec<String> = join
                .left_keys
                .iter()
                .zip(&join.right_keys)
                .map(|(l, r)| format!("=({}, {})", field(&left.schema, *l), field(&right.schema, *r)))
                .collect();
            if let Some(c) = &join.condition {
                on.push(c.to_string());
            }
            let bounds = match operator {
                JoinOperator::Interval(b) => format!(
                    ", windowBounds=[isRowTime=true, leftLowerBound={}, leftUpperBound={}, leftTimeIndex={}, rightTimeIndex={}]",
                    b.lower, b.upper, b.left_time, b.right_time
                ),
                _ => String::new(),
            };
            format!("{}(joinType=[{}]{bounds}, where=[{}], select=[{}])", plan.name(), join.kind.sql(), on.join(", "), names(&plan.schema))
        }
    }
}
