//! Joins: the ON clause taken apart into what Flink's join operators need.
//!
//! Flink picks the join operator from the condition, and so does Sluice; here the condition
//! is taken apart into the facts the choice rests on (`plan::physical::lower` makes it):
//! - equalities between a left column and a right column become the join key;
//! - `l.t BETWEEN r.t - INTERVAL … AND r.t + INTERVAL …` (or `>=`/`<=`/`>`/`<` pairs) over two
//!   event-time attributes are *time bounds* (an interval join, whose state is bounded by the
//!   watermark);
//! - equal `window_start` and `window_end` of two windowed inputs are *window ends* (a window
//!   join);
//! - without either, a *regular join* keeps both inputs for ever.
//!
//! What is left of the condition is evaluated on each candidate pair.

use super::expr::{BinaryOp, Expr, ExprKind};
use super::logical::{Join, JoinKind, Node, Plan, RankStrategy, Schema, SchemaField, TemporalTimes, TimeBounds};
use crate::sql::{Location, SqlError};
use crate::types::DataType;

/// `left JOIN right ON condition`; `condition` is bound over the left's columns then the
/// right's.
pub fn plan_join(left: Plan, right: Plan, kind: JoinKind, condition: Option<Expr>, location: Location) -> Result<Plan, SqlError> {
    let split = left.schema.len();
    let mut conjuncts = Vec::new();
    if let Some(c) = condition {
        split_and(c, &mut conjuncts);
    }
    let mut left_keys = Vec::new();
    let mut right_keys = Vec::new();
    let mut bounds = BoundsFound::default();
    let mut rest = Vec::new();
    for c in conjuncts {
        if let Some((l, r)) = equi_key(&c, split, &left.schema, &right.schema) {
            left_keys.push(l);
            right_keys.push(r);
        } else if !bounds.absorb(&c, split, &left.schema, &right.schema) {
            rest.push(c);
        }
    }
    let mut window_ends = None;
    let time_bounds = if let Some((left_time, right_time, lower, upper)) = bounds.interval() {
        if lower > upper {
            return Err(SqlError::new(format!(
                "the time bounds of this interval join can never both hold ({lower} ms is after {upper} ms)"
            ))
            .at(location));
        }
        Some(TimeBounds { left_time, right_time, lower, upper })
    } else {
        // Time conditions that do not make an interval are ordinary conditions.
        rest.extend(bounds.conditions);
        window_ends = window_keys(&left, &right, &mut left_keys, &mut right_keys);
        None
    };
    let condition = rest.into_iter().reduce(|a, b| Expr {
        ty: crate::types::SqlType::nullable(DataType::Boolean),
        kind: ExprKind::Binary { op: BinaryOp::And, left: Box::new(a), right: Box::new(b) },
    });
    let keep_time = time_bounds.is_some();
    let side = |fields: &[SchemaField], outer: bool| -> Vec<SchemaField> {
        fields
            .iter()
            .map(|f| {
                let mut ty = f.ty.clone();
                if outer {
                    ty.nullable = true;
                }
                // Only an interval join keeps its inputs' time attributes; other joins
                // materialize them into plain timestamps, as Flink does.
                if !keep_time {
                    ty.rowtime = false;
                    ty.proctime = false;
                }
                SchemaField { ty, ..f.clone() }
            })
            .collect()
    };
    let mut fields = side(&left.schema.fields, kind.right_outer());
    if !kind.left_only() {
        fields.extend(side(&right.schema.fields, kind.left_outer()));
    }
    let join = Join { kind, left_keys, right_keys, condition, time_bounds, window_ends, temporal: None, location };
    Ok(Plan { schema: Schema { fields }, node: Node::Join { left: Box::new(left), right: Box::new(right), join } })
}

/// `x [NOT] IN (SELECT c …)`: a semi- (anti-) join of `left` with the subquery `right` on
/// left column `column` = the subquery's only column. The left's rows come out unchanged, so a
/// WHERE's other conditions still read the same columns.
pub fn plan_in_subquery(left: Plan, right: Plan, column: usize, negated: bool, location: Location) -> Result<Plan, SqlError> {
    if right.schema.len() != 1 {
        return Err(SqlError::new(format!("the subquery of IN must return one column, not {}", right.schema.len())).at(location));
    }
    let split = left.schema.len();
    let (x, c) = (Expr::column(column, left.schema.fields[column].ty.clone()), Expr::column(split, right.schema.fields[0].ty.clone()));
    if equi_key(&equals(x.clone(), c.clone()), split, &left.schema, &right.schema).is_none() {
        return Err(SqlError::new(format!(
            "IN compares `{}` ({}) with a subquery column of type {}: their types must match",
            left.schema.fields[column].name, left.schema.fields[column].ty, right.schema.fields[0].ty
        ))
        .at(location)
        .hint("CAST one side to the other's type"));
    }
    plan_join(left, right, if negated { JoinKind::Anti } else { JoinKind::Semi }, Some(in_condition(x, c, negated)), location)
}

fn equals(a: Expr, b: Expr) -> Expr {
    Expr {
        ty: crate::types::SqlType::nullable(DataType::Boolean),
        kind: ExprKind::Binary { op: BinaryOp::Eq, left: Box::new(a), right: Box::new(b) },
    }
}

/// The join condition of `x IN (SELECT c …)`: `x = c`. For NOT IN, Calcite's null-aware form
/// `x = c OR x IS NULL OR c IS NULL` (a term only for a side that can be NULL): a NULL on
/// either side makes `x NOT IN (…)` unknown, which lets no row through — Flink 2.3 gives no rows
/// for `x NOT IN (SELECT c …)` once a `c` is NULL, and none for a NULL `x` once there is a `c`.
pub fn in_condition(x: Expr, c: Expr, negated: bool) -> Expr {
    let or = |a: Expr, b: Expr| Expr {
        ty: crate::types::SqlType::nullable(DataType::Boolean),
        kind: ExprKind::Binary { op: BinaryOp::Or, left: Box::new(a), right: Box::new(b) },
    };
    let is_null = |e: &Expr| Expr {
        ty: crate::types::SqlType::not_null(DataType::Boolean),
        kind: ExprKind::IsNull { arg: Box::new(e.clone()), negated: false },
    };
    let mut condition = equals(x.clone(), c.clone());
    if negated {
        for side in [&x, &c] {
            if side.ty.nullable {
                condition = or(condition, is_null(side));
            }
        }
    }
    condition
}

fn split_and(e: Expr, out: &mut Vec<Expr>) {
    match e.kind {
        ExprKind::Binary { op: BinaryOp::And, left, right } => {
            split_and(*left, out);
            split_and(*right, out);
        }
        kind => out.push(Expr { kind, ty: e.ty }),
    }
}

/// `l.a = r.b` (either way round) over columns whose values compare as stored.
fn equi_key(e: &Expr, split: usize, left: &Schema, right: &Schema) -> Option<(usize, usize)> {
    let ExprKind::Binary { op: BinaryOp::Eq, left: a, right: b } = &e.kind else { return None };
    let (a, b) = (a.as_column()?, b.as_column()?);
    let (l, r) = match (a < split, b < split) {
        (true, false) => (a, b - split),
        (false, true) => (b, a - split),
        _ => return None,
    };
    // The key table compares values as stored: both sides must be stored alike (INT with
    // BIGINT is, INT with DOUBLE is not; such a pair stays an ordinary condition).
    let stored = |ty: &DataType| std::mem::discriminant(&crate::types::Column::empty(ty, 0).data);
    (stored(&left.fields[l].ty.data_type) == stored(&right.fields[r].ty.data_type)).then_some((l, r))
}

/// The time conditions between a left and a right event-time attribute, as bounds on
/// `left_time - right_time`.
#[derive(Default)]
struct BoundsFound {
    columns: Option<(usize, usize)>,
    lower: Option<i64>,
    upper: Option<i64>,
    conditions: Vec<Expr>,
}

impl BoundsFound {
    /// Takes `e` if it bounds the two time attributes (the first pair seen fixes which).
    fn absorb(&mut self, e: &Expr, split: usize, left: &Schema, right: &Schema) -> bool {
        let ExprKind::Binary { op, left: a, right: b } = &e.kind else { return false };
        if !op.is_comparison() || *op == BinaryOp::NotEq {
            return false;
        }
        let (Some((ca, oa)), Some((cb, ob))) = (time_plus_offset(a), time_plus_offset(b)) else { return false };
        // Orient as `l (+ ol) op r (+ or)`.
        let (l, ol, r, or, op) = match (ca < split, cb < split) {
            (true, false) => (ca, oa, cb - split, ob, *op),
            (false, true) => (cb, ob, ca - split, oa, flip(*op)),
            _ => return false,
        };
        let is_time = |f: &SchemaField| f.ty.rowtime;
        if !is_time(&left.fields[l]) || !is_time(&right.fields[r]) {
            return false;
        }
        if self.columns.is_some_and(|c| c != (l, r)) {
            return false;
        }
        self.columns = Some((l, r));
        // l + ol op r + or  ⇔  l - r op or - ol
        let c = or - ol;
        let (lower, upper) = match op {
            BinaryOp::GtEq => (Some(c), None),
            BinaryOp::Gt => (Some(c + 1), None),
            BinaryOp::LtEq => (None, Some(c)),
            BinaryOp::Lt => (None, Some(c - 1)),
            BinaryOp::Eq => (Some(c), Some(c)),
            _ => return false,
        };
        if let Some(lo) = lower {
            self.lower = Some(self.lower.map_or(lo, |x| x.max(lo)));
        }
        if let Some(hi) = upper {
            self.upper = Some(self.upper.map_or(hi, |x| x.min(hi)));
        }
        self.conditions.push(e.clone());
        true
    }

    fn interval(&self) -> Option<(usize, usize, i64, i64)> {
        let (l, r) = self.columns?;
        Some((l, r, self.lower?, self.upper?))
    }
}

/// `col`, `col + INTERVAL …` or `col - INTERVAL …` → the column and the offset in ms.
fn time_plus_offset(e: &Expr) -> Option<(usize, i64)> {
    if let Some(c) = e.as_column() {
        return Some((c, 0));
    }
    match &e.kind {
        ExprKind::Binary { op: op @ (BinaryOp::Add | BinaryOp::Subtract), left, right } => {
            let c = left.as_column()?;
            let ms = super::bind::interval_ms(right)?;
            Some((c, if *op == BinaryOp::Add { ms } else { -ms }))
        }
        ExprKind::Cast { arg, .. } => time_plus_offset(arg),
        _ => None,
    }
}

fn flip(op: BinaryOp) -> BinaryOp {
    match op {
        BinaryOp::Lt => BinaryOp::Gt,
        BinaryOp::LtEq => BinaryOp::GtEq,
        BinaryOp::Gt => BinaryOp::Lt,
        BinaryOp::GtEq => BinaryOp::LtEq,
        other => other,
    }
}

/// A window join's `l.window_start = r.window_start AND l.window_end = r.window_end`: both
/// inputs windowed, both equalities among the keys. They leave the keys (the operator keeps
/// rows per window already); the window ends' columns are returned.
fn window_keys(left: &Plan, right: &Plan, left_keys: &mut Vec<usize>, right_keys: &mut Vec<usize>) -> Option<(usize, usize)> {
    if !is_windowed(left) || !is_windowed(right) {
        return None;
    }
    let find = |name: &str| -> Option<usize> {
        left_keys
            .iter()
            .zip(right_keys.iter())
            .position(|(l, r)| left.schema.fields[*l].name == name && right.schema.fields[*r].name == name)
    };
    let (start, end) = (find("window_start")?, find("window_end")?);
    let ends = (left_keys[end], right_keys[end]);
    for i in [start.max(end), start.min(end)] {
        left_keys.remove(i);
        right_keys.remove(i);
    }
    Some(ends)
}

/// Whether `plan`'s rows carry the windows of a window table function or aggregate.
fn is_windowed(plan: &Plan) -> bool {
    match &plan.node {
        Node::WindowTvf { .. } | Node::Aggregate { window: Some(_), .. } => true,
        Node::Filter { input, .. } | Node::Project { input, .. } => is_windowed(input),
        Node::Rank { input, rank } => {
            matches!(
                rank.strategy,
                super::logical::RankStrategy::WindowTopN { .. } | super::logical::RankStrategy::WindowDeduplicate { .. }
            ) && is_windowed(input)
        }
        _ => false,
    }
}

/// `left [LEFT] JOIN right FOR SYSTEM_TIME AS OF left.t ON …` over a versioned table, as
/// Flink's `TemporalJoinRewriteWithUniqueKeyRule` and `StreamPhysicalTemporalJoinRule` accept
/// it: an inner or left join, `t` a left event-time attribute, `right` keyed (a primary key, or
/// the partition of a deduplication on its time attribute, `key`) and holding a time
/// attribute, and its key within the ON clause's equalities. `key` is `None` when `right` has
/// none.
pub fn plan_temporal_join(
    left: Plan,
    right: Plan,
    kind: JoinKind,
    condition: Option<Expr>,
    as_of: &Expr,
    location: Location,
) -> Result<Plan, SqlError> {
    if !matches!(kind, JoinKind::Inner | JoinKind::Left) {
        return Err(SqlError::new(format!(
            "Unsupported join type {} for a temporal join: only INNER JOIN and LEFT JOIN are supported",
            kind.sql()
        ))
        .at(location));
    }
    if !as_of.ty.data_type.is_timestamp() {
        return Err(SqlError::new(format!(
            "The system time period specification expects Timestamp type but is '{}'",
            as_of.ty.clone().with_nullable(true)
        ))
        .at(location));
    }
    let Some(left_time) = as_of.as_column().filter(|_| as_of.ty.rowtime || as_of.ty.proctime) else {
        return Err(SqlError::new(format!("FOR SYSTEM_TIME AS OF needs a time attribute of the left input, not `{as_of}`"))
            .at(location)
            .hint("write FOR SYSTEM_TIME AS OF l.t where t is the left table's WATERMARK column"));
    };
    let proctime = as_of.ty.proctime;
    let versioned = versioned_key(&right);
    if versioned.filtered_source && !proctime {
        return Err(SqlError::new(
            "Filter is not allowed for right changelog input of event time temporal join, it will corrupt the versioning of data. \
             Please consider removing the filter before joining.",
        )
        .at(location)
        .hint("filter the versioned table's rows below a deduplication (ROW_NUMBER() … = 1), or filter the join's result"));
    }
    let key = versioned.key;
    let right_time = right.schema.fields.iter().position(|f| f.ty.rowtime);
    let mut plan = plan_join(left, right, kind, condition, location)?;
    let Node::Join { join, left, right } = &mut plan.node else {
        return Err(SqlError::new("a temporal join did not plan as a join").at(location));
    };
    let Some(key) = key.filter(|k| !k.is_empty()) else {
        return Err(SqlError::new(
            "Temporal Table Join requires primary key in versioned table, but no primary key can be found.",
        )
        .at(location)
        .hint("read a table with PRIMARY KEY (…) NOT ENFORCED, or a view keeping the last row per key: ROW_NUMBER() OVER (PARTITION BY k ORDER BY rowtime DESC) = 1"));
    };
    if join.right_keys.is_empty() {
        return Err(SqlError::new("Currently the join key in Temporal Table Join can not be empty.").at(location));
    }
    if !key.iter().all(|k| join.right_keys.contains(k)) {
        let names: Vec<&str> = key.iter().filter_map(|&k| right.schema.fields.get(k)).map(|f| f.name.as_str()).collect();
        return Err(SqlError::new("Temporal Table Join requires primary key in versioned table, but no primary key can be found.")
            .at(location)
            .hint(format!("the ON clause must equate the versioned table's key [{}]", names.join(", "))));
    }
    // Flink 2.3 has no processing-time temporal join over a versioned table; a lookup join
    // needs a lookup source (JDBC, HBase, …), which neither a file nor VALUES is.
    if proctime {
        return Err(SqlError::new("Processing-time temporal join is not supported yet.")
            .at(location)
            .hint("join FOR SYSTEM_TIME AS OF the left table's event-time (WATERMARK) column"));
    }
    let Some(right_time) = right_time else {
        return Err(SqlError::new(
            "Event-Time Temporal Table Join requires both primary key and row time attribute in versioned table, but no row time attribute can be found.",
        )
        .at(location));
    };
    // Time bounds or window columns are ordinary conditions here.
    if let Some(b) = join.time_bounds.take() {
        return Err(SqlError::new(format!(
            "a temporal join cannot also bound `{}` by time",
            left.schema.fields.get(b.left_time).map_or("", |f| f.name.as_str())
        ))
        .at(location));
    }
    join.window_ends = None;
    join.temporal = Some(TemporalTimes { left_time, right_time });
    // Flink keeps the left's time attribute: a window may follow the join.
    if let Some(f) = plan.schema.fields.get_mut(left_time) {
        f.ty.rowtime = true;
    }
    Ok(plan)
}

/// What the right side of a temporal join offers as a versioned table.
struct Versioned {
    /// The key its rows are unique on, as Flink finds it: a table's primary key, or the
    /// partition of a deduplication keeping the last row on its time attribute, through the
    /// filters and projections above it. `None` when there is none.
    key: Option<Vec<usize>>,
    /// A filter lies between the join and the table read (Flink's
    /// `EventTimeTemporalJoinRewriteRule` refuses it: it would drop versions, not rows).
    filtered_source: bool,
}

fn versioned_key(plan: &Plan) -> Versioned {
    let mut filtered = false;
    let mut projections: Vec<&[Expr]> = Vec::new();
    let mut node = plan;
    let mut key = loop {
        match &node.node {
            Node::Filter { input, .. } => {
                filtered = true;
                node = input;
            }
            Node::Project { input, exprs } => {
                projections.push(exprs);
                node = input;
            }
            Node::Rank { rank, .. } if matches!(rank.strategy, RankStrategy::Deduplicate { keep_last: true, proctime: false, .. }) => {
                break rank.partition.clone();
            }
            Node::Scan { table } => {
                let positions: Option<Vec<usize>> =
                    table.primary_key.iter().map(|k| table.columns.iter().position(|c| &c.name == k)).collect();
                match positions {
                    Some(p) if !p.is_empty() => break p,
                    _ => return Versioned { key: None, filtered_source: filtered },
                }
            }
            _ => return Versioned { key: None, filtered_source: false },
        }
    };
    let filtered_source = filtered && matches!(node.node, Node::Scan { .. });
    for exprs in projections.iter().rev() {
        match key.iter().map(|k| exprs.iter().position(|e| e.as_column() == Some(*k))).collect::<Option<Vec<usize>>>() {
            Some(k) => key = k,
            None => return Versioned { key: None, filtered_source },
        }
    }
    Versioned { key: Some(key), filtered_source }
}

/// `left JOIN right USING (c, …)` and `NATURAL JOIN` (`names` None: the columns both sides
/// have), as Calcite expands them: the equalities as the condition, then a projection with each
/// USING column once and first (the left's value, the right's for RIGHT JOIN,
/// `COALESCE(l, r)` for FULL JOIN), then the left's other columns, then the right's. The USING
/// columns lose their qualifiers: `l.c` is refused rather than read from the wrong side.
pub fn plan_using_join(left: Plan, right: Plan, kind: JoinKind, names: Option<Vec<String>>, location: Location) -> Result<Plan, SqlError> {
    let names = names.unwrap_or_else(|| {
        left.schema.fields.iter().filter(|l| right.schema.fields.iter().any(|r| r.name == l.name)).map(|f| f.name.clone()).collect()
    });
    let split = left.schema.len();
    let find = |fields: &[SchemaField], name: &str, side: &str| -> Result<usize, SqlError> {
        let mut at = fields.iter().enumerate().filter(|(_, f)| f.name == name).map(|(i, _)| i);
        match (at.next(), at.next()) {
            (Some(i), None) => Ok(i),
            (None, _) => Err(SqlError::new(format!("column `{name}` of USING is not in the join's {side} input")).at(location)),
            (Some(_), Some(_)) => {
                Err(SqlError::new(format!("column `{name}` of USING is ambiguous in the join's {side} input")).at(location))
            }
        }
    };
    let mut pairs: Vec<(usize, usize)> = Vec::with_capacity(names.len());
    for name in &names {
        if pairs.iter().any(|&(l, _)| left.schema.fields[l].name == *name) {
            return Err(SqlError::new(format!("column `{name}` appears more than once in USING")).at(location));
        }
        pairs.push((find(&left.schema.fields, name, "left")?, find(&right.schema.fields, name, "right")?));
    }
    let boolean = crate::types::SqlType::nullable(DataType::Boolean);
    let condition = pairs
        .iter()
        .map(|&(l, r)| Expr {
            kind: ExprKind::Binary {
                op: BinaryOp::Eq,
                left: Box::new(Expr::column(l, left.schema.fields[l].ty.clone())),
                right: Box::new(Expr::column(split + r, right.schema.fields[r].ty.clone())),
            },
            ty: boolean.clone(),
        })
        .reduce(|a, b| Expr { kind: ExprKind::Binary { op: BinaryOp::And, left: Box::new(a), right: Box::new(b) }, ty: boolean.clone() });
    let joined = plan_join(left, right, kind, condition, location)?;
    let fields = &joined.schema.fields;
    let column = |i: usize| Expr::column(i, fields[i].ty.clone());
    let (mut exprs, mut out) = (Vec::new(), Vec::new());
    for &(l, r) in &pairs {
        let (lf, rf) = (&fields[l], &fields[split + r]);
        let mut ty = match kind {
            JoinKind::Right => rf.ty.clone(),
            _ => lf.ty.clone(),
        }
        .plain();
        let expr = match kind {
            JoinKind::Inner => {
                // Both sides hold the same non-NULL value: not null if either is.
                ty.nullable = lf.ty.nullable && rf.ty.nullable;
                Expr { kind: column(l).kind, ty: ty.clone() }
            }
            JoinKind::Right => column(split + r),
            JoinKind::Full => {
                ty.nullable = lf.ty.nullable && rf.ty.nullable;
                let present = Expr {
                    kind: ExprKind::IsNull { arg: Box::new(column(l)), negated: true },
                    ty: crate::types::SqlType::not_null(DataType::Boolean),
                };
                Expr {
                    kind: ExprKind::Case { whens: vec![(present, column(l))], otherwise: Some(Box::new(column(split + r))) },
                    ty: ty.clone(),
                }
            }
            _ => column(l),
        };
        exprs.push(expr);
        out.push(SchemaField { name: lf.name.clone(), ty, qualifier: None });
    }
    for (i, f) in fields.iter().enumerate() {
        let used = if i < split { pairs.iter().any(|&(l, _)| l == i) } else { pairs.iter().any(|&(_, r)| split + r == i) };
        if !used {
            exprs.push(column(i));
            out.push(f.clone());
        }
    }
    let input = Box::new(joined);
    Ok(Plan { schema: Schema { fields: out }, node: Node::Project { input, exprs } })
}
