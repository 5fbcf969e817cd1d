//! Top-N and deduplication, recognised as Flink's planner recognises them.
//!
//! `ROW_NUMBER() OVER (…) AS rn` plans as a [`Node::Rank`] without a range; the WHERE of the
//! query reading it then supplies one (`rn <= 3`, `rn = 1`, `rn BETWEEN 2 AND 3`), and with it
//! the operator Flink would run:
//!
//! - ordered by one time attribute (event or processing time) and kept to `rn = 1` →
//!   deduplication (keep the first row for `ASC`, the last for `DESC`);
//! - partitioned by the `window_start` and `window_end` of a window table function or window
//!   aggregate → the per-window form of either, which emits final rows when the window ends;
//! - anything else → Top-N, an updating result.
//!
//! `RANK()` and `DENSE_RANK()` plan the same way; a WHERE that bounds them is refused, as
//! Flink 2.3 refuses them in a Top-N. Once the whole query is planned, [`finish`] makes a
//! ranking no WHERE bounded the OVER aggregate Flink's planner makes of it, and notes whether
//! anything reads a Top-N's row number: when nothing does, Flink emits a different, shorter
//! changelog.

use super::expr::{BinaryOp, Expr, ExprKind};
use super::logical::{AggCall, AggFunc, Node, OverFrame, OverWindow, Plan, RankFunction, RankStrategy};
use crate::sql::SqlError;
use crate::types::Value;

type Result<T> = std::result::Result<T, SqlError>;

/// The position of a not-yet-bounded ranking's row number in `plan`'s output, when `plan` is
/// that ranking, possibly under a projection (the SELECT list of the query computing it).
fn pending_rank_number(plan: &Plan) -> Option<usize> {
    match &plan.node {
        Node::Rank { input, rank } if rank.range.is_none() => Some(input.schema.len()),
        Node::Project { input, exprs } => {
            let inner = pending_rank_number(input)?;
            exprs.iter().position(|e| e.as_column() == Some(inner))
        }
        _ => None,
    }
}

fn pending_rank_mut(plan: &mut Plan) -> Option<&mut Plan> {
    match &plan.node {
        Node::Rank { rank, .. } if rank.range.is_none() => Some(plan),
        Node::Project { .. } => match &mut plan.node {
            Node::Project { input, .. } => pending_rank_mut(input),
            _ => None,
        },
        _ => None,
    }
}

/// Takes the conditions on the row number out of a WHERE over a ranking and makes them the
/// ranking's range; returns what is left of the predicate.
pub fn absorb_filter(input: &mut Plan, predicate: Expr) -> Result<Option<Expr>> {
    let Some(number) = pending_rank_number(input) else { return Ok(Some(predicate)) };
    let mut start: u64 = 1;
    let mut end: Option<u64> = None;
    let mut rest = Vec::new();
    for c in conjuncts(predicate) {
        match rank_bound(&c, number) {
            Some(Bound::AtMost(n)) => end = Some(end.map_or(n, |e| e.min(n))),
            Some(Bound::AtLeast(n)) => start = start.max(n),
            Some(Bound::Exactly(n)) => {
                start = start.max(n);
                end = Some(end.map_or(n, |e| e.min(n)));
            }
            None => rest.push(c),
        }
    }
    let Some(plan) = pending_rank_mut(input) else { return Ok(Some(predicate_of(rest))) };
    let Node::Rank { input: rank_input, rank } = &mut plan.node else { return Ok(Some(predicate_of(rest))) };
    let Some(end) = end else {
        if start > 1 {
            return Err(SqlError::new("a Top-N query needs an upper bound on the row number")
                .at(rank.location)
                .hint("e.g. WHERE rownum <= 10 or WHERE rownum BETWEEN 2 AND 10"));
        }
        // No condition on the row number: [`finish`] reports the ranking.
        return Ok(Some(predicate_of(rest)));
    };
    if rank.function != RankFunction::RowNumber {
        return Err(SqlError::new(format!("{}() on streaming table is not supported currently", rank.function.name()))
            .at(rank.location)
            .hint("Flink 2.3 ranks a stream with ROW_NUMBER() only; without the filter it is an OVER aggregate"));
    }
    rank.range = Some((start, end));
    let fields = &rank_input.schema.fields;
    let time_order = match rank.order.as_slice() {
        [key] if fields[key.column].ty.rowtime => Some((key.column, key.descending, false)),
        [key] if fields[key.column].ty.proctime => Some((key.column, key.descending, true)),
        _ => None,
    };
    let window = window_bounds(rank_input).filter(|(s, e)| rank.partition.contains(s) && rank.partition.contains(e));
    rank.strategy = match (window, time_order, (start, end)) {
        (Some((s, e)), Some((time_column, keep_last, false)), (1, 1)) => {
            rank.partition.retain(|c| *c != s && *c != e);
            RankStrategy::WindowDeduplicate { end_column: e, keep_last, time_column }
        }
        (Some(_), Some((_, _, true)), (1, 1)) => {
            return Err(SqlError::new("window deduplication on processing time is not supported yet")
                .at(rank.location)
                .hint("order by the window's event-time attribute (a column with WATERMARK FOR)"))
        }
        (Some((s, e)), _, _) => {
            rank.partition.retain(|c| *c != s && *c != e);
            RankStrategy::WindowTopN { end_column: e }
        }
        (None, Some((time_column, keep_last, proctime)), (1, 1)) => RankStrategy::Deduplicate { keep_last, time_column, proctime },
        (None, _, _) => RankStrategy::TopN,
    };
    Ok(if rest.is_empty() { None } else { Some(predicate_of(rest)) })
}

enum Bound {
    AtMost(u64),
    AtLeast(u64),
    Exactly(u64),
}

/// `rn <= 3`, `rn < 4`, `rn = 1`, `rn >= 2`, `rn > 1` and the mirrored forms.
fn rank_bound(c: &Expr, number: usize) -> Option<Bound> {
    let ExprKind::Binary { op, left, right } = &c.kind else { return None };
    let (op, k) = if left.as_column() == Some(number) {
        (*op, int_literal(right)?)
    } else if right.as_column() == Some(number) {
        let mirrored = match op {
            BinaryOp::Lt => BinaryOp::Gt,
            BinaryOp::LtEq => BinaryOp::GtEq,
            BinaryOp::Gt => BinaryOp::Lt,
            BinaryOp::GtEq => BinaryOp::LtEq,
            other => *other,
        };
        (mirrored, int_literal(left)?)
    } else {
        return None;
    };
    let clamp = |v: i64| v.max(0) as u64;
    Some(match op {
        BinaryOp::LtEq => Bound::AtMost(clamp(k)),
        BinaryOp::Lt => Bound::AtMost(clamp(k - 1)),
        BinaryOp::Eq => Bound::Exactly(clamp(k)),
        BinaryOp::GtEq => Bound::AtLeast(clamp(k)),
        BinaryOp::Gt => Bound::AtLeast(clamp(k.saturating_add(1))),
        _ => return None,
    })
}

fn int_literal(e: &Expr) -> Option<i64> {
    match &e.kind {
        ExprKind::Literal(Value::Int(v)) => Some(*v),
        ExprKind::Cast { arg, .. } => int_literal(arg),
        _ => None,
    }
}

fn conjuncts(e: Expr) -> Vec<Expr> {
    match e.kind {
        ExprKind::Binary { op: BinaryOp::And, left, right } => {
            let mut out = conjuncts(*left);
            out.extend(conjuncts(*right));
            out
        }
        _ => vec![e],
    }
}

fn predicate_of(mut parts: Vec<Expr>) -> Expr {
    let first = if parts.is_empty() {
        Expr::literal(Value::Bool(true), crate::types::SqlType::not_null(crate::types::DataType::Boolean))
    } else {
        parts.remove(0)
    };
    parts.into_iter().fold(first, |acc, p| {
        let ty = acc.ty.clone().with_nullable(acc.ty.nullable || p.ty.nullable);
        Expr { kind: ExprKind::Binary { op: BinaryOp::And, left: Box::new(acc), right: Box::new(p) }, ty }
    })
}

/// The output positions of `window_start` and `window_end` when `plan`'s rows belong to
/// windows (a window table function or a window aggregate, through projections and filters).
pub fn window_bounds(plan: &Plan) -> Option<(usize, usize)> {
    match &plan.node {
        Node::Aggregate { keys, aggs, window: Some(_), .. } => Some((keys + aggs.len(), keys + aggs.len() + 1)),
        Node::WindowTvf { input, .. } => Some((input.schema.len(), input.schema.len() + 1)),
        Node::Filter { input, .. } => window_bounds(input),
        Node::Rank { input, .. } => window_bounds(input),
        Node::Project { input, exprs } => {
            let (s, e) = window_bounds(input)?;
            let at = |c: usize| exprs.iter().position(|x| x.as_column() == Some(c));
            Some((at(s)?, at(e)?))
        }
        _ => None,
    }
}

/// A ranking no Top-N filter bounds, as Flink's planner runs it: an OVER aggregate over the
/// time attribute it is ordered by ([`AggFunc::Ranking`]: ROWS for ROW_NUMBER, RANGE for RANK
/// and DENSE_RANK), refused in Flink's words when it is not ordered by one ascending column.
/// Ordered by another column Flink 2.3 runs it as an updating OVER aggregate
/// (`NonTime…UnboundedPrecedingFunction`), which Sluice does not have yet.
fn over_aggregate(plan: &mut Plan) -> Result<Plan> {
    let schema = plan.schema.clone();
    let Node::Rank { input, rank } = std::mem::replace(&mut plan.node, Node::Values { rows: Default::default() }) else {
        unreachable!("called on a ranking")
    };
    let order = match rank.order.as_slice() {
        [one] => *one,
        _ => return Err(SqlError::new("The window can only be ordered by a single time column.").at(rank.location)),
    };
    if order.descending {
        return Err(SqlError::new("The window can only be ordered in ASCENDING mode.")
            .at(rank.location)
            .hint("for the top rows by a value, filter the row number: WHERE rownum <= 3 (a Top-N)"));
    }
    let time = &input.schema.fields[order.column].ty;
    if !(time.rowtime || time.proctime) {
        let name = rank.function.name();
        return Err(SqlError::new(format!(
            "{name}() OVER an ORDER BY that is not a time attribute is not supported yet without a Top-N filter"
        ))
        .at(rank.location)
        .hint(format!(
            "order by the event-time attribute, or keep the top rows: SELECT * FROM (SELECT …, {name}() OVER (…) AS rownum FROM t) WHERE rownum <= 3"
        )));
    }
    let frame = match rank.function {
        RankFunction::RowNumber => OverFrame::Rows { preceding: None },
        RankFunction::Rank | RankFunction::DenseRank => OverFrame::Range { preceding: None },
    };
    let window =
        OverWindow { partition: rank.partition, time_column: order.column, proctime: time.proctime, frame, location: rank.location };
    let count = AggCall {
        func: AggFunc::Ranking(rank.function),
        arg: None,
        distinct: false,
        separator: None,
        ty: crate::types::SqlType::not_null(crate::types::DataType::BigInt),
        arg_ty: None,
        filter: None,
    };
    Ok(Plan { schema, node: Node::Over { input, window, aggs: vec![count] } })
}

/// Checks a planned query's rankings and marks those whose row number nothing reads; a ranking
/// no filter bounds becomes an OVER aggregate ([`over_aggregate`]).
pub fn finish(mut plan: Plan) -> Result<Plan> {
    let used = vec![true; plan.schema.len()];
    mark_used(&mut plan, &used)?;
    Ok(plan)
}

fn mark_used(plan: &mut Plan, used: &[bool]) -> Result<()> {
    match &mut plan.node {
        Node::Scan { .. } | Node::Values { .. } => Ok(()),
        Node::Filter { input, predicate } => {
            let mut below = used.to_vec();
            below.resize(input.schema.len(), false);
            predicate.visit_columns(&mut |c| {
                if let Some(u) = below.get_mut(c) {
                    *u = true;
                }
            });
            mark_used(input, &below)
        }
        Node::Project { input, exprs } => {
            let mut below = vec![false; input.schema.len()];
            for (e, _) in exprs.iter().zip(used).filter(|(_, u)| **u) {
                e.visit_columns(&mut |c| {
                    if let Some(u) = below.get_mut(c) {
                        *u = true;
                    }
                });
            }
            mark_used(input, &below)
        }
        Node::Rank { rank, .. } if rank.range.is_none() => {
            let over = over_aggregate(plan)?;
            *plan = over;
            mark_used(plan, used)
        }
        Node::Rank { input, rank } => {
            rank.output_number = used.last().copied().unwrap_or(true);
            let all = vec![true; input.schema.len()];
            mark_used(input, &all)
        }
        Node::Aggregate { input, .. }
        | Node::Expand { input, .. }
        | Node::Over { input, .. }
        | Node::WindowTvf { input, .. }
        | Node::Correlate { input, .. }
        | Node::Limit { input, .. }
        | Node::TemporalSort { input, .. }
        | Node::Match { input, .. } => {
            let all = vec![true; input.schema.len()];
            mark_used(input, &all)
        }
        Node::Union { inputs } => inputs.iter_mut().try_for_each(|i| mark_used(i, used)),
        Node::Join { left, right, .. } => {
            mark_used(left, &vec![true; left.schema.len()])?;
            mark_used(right, &vec![true; right.schema.len()])
        }
    }
}
