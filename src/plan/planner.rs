//! The planner: statements → typed logical [`Plan`]s and catalog entries.
//!
//! Streaming-specific shapes are recognised here, as Flink's planner recognises them: a
//! `GROUP BY HOP(ts, …)` (legacy group window) or a `GROUP BY window_start, window_end` over a
//! window table function becomes a window [`Node::Aggregate`]; any other aggregate becomes an
//! updating group aggregate.

use std::sync::Arc;

use sqlparser::ast::{self, GroupByExpr, SelectItem, SetExpr, TableFactor};

use super::bind::{self, function_args, function_name, interval_ms, AggContext, Binder, FnArg, OverContext, WindowBinding};
use super::catalog::{Catalog, ColumnKind, TableColumn, TableDef, ViewDef, WatermarkSpec};
use super::expr::{BinaryOp, Expr, ExprKind};
use super::grouping::{self, GroupItem, GroupingSets, MAX_GROUPING_KEYS};
use super::join;
use super::logical::{
    self, AggCall, JoinKind, Node, OverWindow, Plan, RankFunction, RankStrategy, Schema, SchemaField, SortKey, WindowAgg, WindowSpec,
};
use super::rank;
use super::unnest;
use crate::sql::ast::{ColumnKind as AstColumnKind, CreateTable};
use crate::sql::dialect::TableArg;
use crate::sql::{Location, SqlError};
use crate::types::{DataType, SqlType};

type Result<T> = std::result::Result<T, SqlError>;

fn at(e: &impl ast::Spanned) -> Location {
    bind::location(e.span())
}

/// Resolves a `CREATE TABLE` against nothing but itself: types, computed columns, watermark.
pub fn plan_create_table(ddl: &CreateTable) -> Result<TableDef> {
    // Computed columns read the physical and metadata columns, wherever they are declared, and
    // not each other (Flink's rule): bound against those, then pointed at their places.
    let (stored, places): (Vec<SchemaField>, Vec<usize>) = ddl
        .columns
        .iter()
        .enumerate()
        .filter_map(|(i, c)| match &c.kind {
            AstColumnKind::Physical(ty) | AstColumnKind::Metadata { ty, .. } => {
                Some((SchemaField { name: c.name.value.clone(), ty: ty.clone(), qualifier: None }, i))
            }
            AstColumnKind::Computed(_) => None,
        })
        .unzip();
    let mut columns: Vec<TableColumn> = Vec::new();
    for c in &ddl.columns {
        if columns.iter().any(|x| x.name == c.name.value) {
            return Err(SqlError::new(format!("column `{}` is declared twice", c.name.value)).at(c.location));
        }
        let (ty, kind) = match &c.kind {
            AstColumnKind::Physical(ty) => (ty.clone(), ColumnKind::Physical),
            AstColumnKind::Metadata { ty, key, is_virtual } => {
                (ty.clone(), ColumnKind::Metadata { key: key.clone().unwrap_or_else(|| c.name.value.clone()), is_virtual: *is_virtual })
            }
            AstColumnKind::Computed(e) => {
                let bound = Binder::new(&stored).bind(e)?.remap_columns(&|i| places.get(i).copied().unwrap_or(i));
                (bound.ty.clone(), ColumnKind::Computed(bound))
            }
        };
        let expr_text = match &c.kind {
            AstColumnKind::Computed(e) => Some(e.to_string()),
            _ => None,
        };
        columns.push(TableColumn { name: c.name.value.clone(), ty, kind, expr_text, comment: c.comment.clone() });
    }
    let watermark = match &ddl.watermark {
        None => None,
        Some(wm) => {
            let Some(rowtime) = columns.iter().position(|c| c.name == wm.rowtime.value) else {
                let names = columns.iter().map(|c| c.name.as_str());
                let mut err = SqlError::new(format!("the watermark's rowtime column `{}` is not a column of the table", wm.rowtime.value))
                    .at(wm.location);
                if let Some(c) = bind::closest(&wm.rowtime.value, names) {
                    err = err.hint(format!("did you mean `{c}`?"));
                }
                return Err(err);
            };
            let ty = &columns[rowtime].ty.data_type;
            if !matches!(ty, DataType::Timestamp(p) | DataType::TimestampLtz(p) if *p <= 3) {
                // Flink 2.3's words.
                return Err(SqlError::new(format!(
                    "Invalid data type of time field for watermark definition. The field must be of type TIMESTAMP(p) or \
                     TIMESTAMP_LTZ(p), the supported precision 'p' is from 0 to 3, but the time field type is {}",
                    columns[rowtime].ty
                ))
                .at(wm.location)
                .hint(format!("the rowtime column `{}` must be TIMESTAMP(3) or TIMESTAMP_LTZ(3)", wm.rowtime.value)));
            }
            let scope: Vec<SchemaField> =
                columns.iter().map(|c| SchemaField { name: c.name.clone(), ty: c.ty.clone(), qualifier: None }).collect();
            let expr = Binder::new(&scope).bind(&wm.expr)?;
            if !expr.ty.data_type.is_timestamp() {
                return Err(SqlError::new(format!("the watermark expression must give a timestamp, not {}", expr.ty))
                    .at(at(&wm.expr))
                    .hint(format!("e.g. WATERMARK FOR {0} AS {0} - INTERVAL '5' SECOND", wm.rowtime.value)));
            }
            columns[rowtime].ty.rowtime = true;
            Some(WatermarkSpec { rowtime, expr, text: wm.expr.to_string() })
        }
    };
    check_primary_key(ddl, &columns)?;
    for key in &ddl.partitioned_by {
        if !columns.iter().any(|c| c.name == key.value) {
            return Err(SqlError::new(format!("`{}` is not a column of the table", key.value)).at(bind::location(key.span)));
        }
    }
    // Flink makes a key column NOT NULL, whatever the DDL said.
    for key in &ddl.primary_key {
        if let Some(c) = columns.iter_mut().find(|c| c.name == key.value) {
            c.ty.nullable = false;
        }
    }
    Ok(TableDef {
        name: ddl.name.value.clone(),
        columns,
        watermark,
        primary_key: ddl.primary_key.iter().map(|i| i.value.clone()).collect(),
        primary_key_name: ddl.primary_key_name.as_ref().map(|i| i.value.clone()),
        partitioned_by: ddl.partitioned_by.iter().map(|i| i.value.clone()).collect(),
        options: ddl.options.clone(),
        comment: ddl.comment.clone(),
    })
}

/// A primary key names physical columns of the table, each once (Flink's
/// `SchemaBuilderUtil.setPrimaryKey` and `Schema.primaryKey`, with their messages).
fn check_primary_key(ddl: &CreateTable, columns: &[TableColumn]) -> Result<()> {
    for (i, key) in ddl.primary_key.iter().enumerate() {
        let at = bind::location(key.span);
        let Some(column) = columns.iter().find(|c| c.name == key.value) else {
            let names = columns.iter().map(|c| c.name.as_str());
            let mut err = SqlError::new(format!("Primary key column '{}' is not defined in the schema", key.value)).at(at);
            if let Some(c) = bind::closest(&key.value, names) {
                err = err.hint(format!("did you mean `{c}`?"));
            }
            return Err(err);
        };
        if !matches!(column.kind, ColumnKind::Physical) {
            return Err(SqlError::new(format!(
                "Could not create a PRIMARY KEY with column '{}'.\nA PRIMARY KEY constraint must be declared on physical columns.",
                key.value
            ))
            .at(at));
        }
        if ddl.primary_key[..i].iter().any(|k| k.value == key.value) {
            let names: Vec<&str> = ddl.primary_key.iter().map(|k| k.value.as_str()).collect();
            return Err(SqlError::new(format!(
                "Invalid primary key '{}'. A primary key must not contain duplicate columns. Found: [{}]",
                super::catalog::default_constraint_name(&names),
                key.value
            ))
            .at(at));
        }
    }
    Ok(())
}

/// The `FOR SYSTEM_TIME AS OF` expression of a table in FROM, if it has one.
fn system_time_as_of(factor: &TableFactor) -> Option<&ast::Expr> {
    match factor {
        TableFactor::Table { version: Some(ast::TableVersion::ForSystemTimeAsOf(e)), .. } => Some(e),
        _ => None,
    }
}

pub struct Planner<'a> {
    catalog: &'a Catalog,
    ctes: Vec<(String, Plan)>,
    /// The session time zone (`table.local-time-zone`) the query's casts read.
    time_zone: String,
}

/// A window table function in FROM: its window and the scope positions of its three columns.
struct WindowTvf {
    spec: WindowSpec,
    /// A SESSION's `PARTITION BY` keys, over the input's columns.
    partition: Vec<Expr>,
    time_column: usize,
    columns: [usize; 3],
    proctime: bool,
    location: Location,
}

impl<'a> Planner<'a> {
    pub fn new(catalog: &'a Catalog) -> Self {
        Planner { catalog, ctes: Vec::new(), time_zone: super::local_time_zone::DEFAULT.to_string() }
    }

    /// Plans in the session time zone `zone` (a Java zone ID, as `table.local-time-zone` takes).
    pub fn with_time_zone(mut self, zone: &str) -> Self {
        self.time_zone = zone.to_string();
        self
    }

    /// Plans a whole query (not a part of one): rankings must have been bounded by now.
    pub fn plan_query(&mut self, query: &ast::Query) -> Result<Plan> {
        super::local_time_zone::check(&self.time_zone).map_err(|e| SqlError::new(e).at(at(query)))?;
        let _zone = super::local_time_zone::enter(&self.time_zone);
        let plan = self.plan_subquery(query)?;
        rank::finish(plan)
    }

    /// Plans a query that may be part of a larger one (a CTE, a derived table, a view).
    pub fn plan_subquery(&mut self, query: &ast::Query) -> Result<Plan> {
        let ctes_before = self.ctes.len();
        if let Some(with) = &query.with {
            if with.recursive {
                return Err(SqlError::new("WITH RECURSIVE is not supported in streaming queries").at(at(query)));
            }
            for cte in &with.cte_tables {
                let plan = self.plan_subquery(&cte.query)?;
                let plan =
                    rename(plan, &cte.alias.columns.iter().map(|c| c.name.value.clone()).collect::<Vec<_>>(), Some(&cte.alias.name.value))?;
                self.ctes.push((cte.alias.name.value.clone(), plan));
            }
        }
        let plan = self.plan_ordered(query)?;
        self.ctes.truncate(ctes_before);
        Ok(plan)
    }

    /// A query's body with its ORDER BY, LIMIT / FETCH and OFFSET. An ORDER BY item names a
    /// column of the SELECT list (by name, alias or 1-based position), is an expression over
    /// them (computed above the body), or reads what the SELECT leaves out: as Calcite plans
    /// it for Flink, the SELECT then computes it too, as a hidden column that the sort reads
    /// and a projection above it drops.
    fn plan_ordered(&mut self, query: &ast::Query) -> Result<Plan> {
        let plan = self.plan_set_expr(&query.body)?;
        let Some(order_by) = &query.order_by else {
            let visible = plan.schema.len();
            return order_and_limit(plan, Vec::new(), visible, query);
        };
        let ast::OrderByKind::Expressions(items) = &order_by.kind else {
            return Err(SqlError::new("ORDER BY ALL is not Flink SQL").at(at(order_by)));
        };
        let visible = plan.schema.fields.clone();
        let of_output = items.iter().map(|o| order_item_over(&visible, &o.expr)).collect::<Result<Vec<_>>>()?;
        let hidden: Vec<&ast::Expr> = items.iter().zip(&of_output).filter(|(_, e)| e.is_none()).map(|(o, _)| &o.expr).collect();
        let mut plan = match (hidden.first(), &*query.body) {
            (None, _) => plan,
            (Some(_), SetExpr::Select(select)) if !matches!(select.distinct, Some(ast::Distinct::Distinct)) => {
                // Named as Calcite names them (the column's name, `EXPR$n`; made unique).
                let mut extended = (**select).clone();
                extended.projection.extend(hidden.iter().map(|e| SelectItem::UnnamedExpr((*e).clone())));
                self.plan_select(&extended)?
            }
            // Calcite's words: a DISTINCT's rows are its SELECT list, a set operation's rows
            // its columns.
            (Some(e), SetExpr::Select(_)) => {
                return Err(SqlError::new(format!("Expression '{e}' is not in the select clause"))
                    .at(at(*e))
                    .hint("SELECT DISTINCT orders only by what it selects: add it to the SELECT list"))
            }
            (Some(e), _) => {
                return Err(SqlError::new(format!("Column '{e}' not found in any table"))
                    .at(at(*e))
                    .hint("a set operation orders only by its own columns (the first SELECT's names)"))
            }
        };
        // The keys: a hidden column is the extended SELECT's, an expression over the output
        // one more column of a projection above it.
        let width = plan.schema.len();
        let mut computed: Vec<Expr> = Vec::new();
        let mut keys = Vec::with_capacity(items.len());
        let mut next_hidden = visible.len();
        for (o, bound) in items.iter().zip(of_output) {
            let column = match bound {
                None => {
                    next_hidden += 1;
                    next_hidden - 1
                }
                Some(e) => match e.as_column() {
                    Some(c) => c,
                    None => {
                        computed.push(e);
                        width + computed.len() - 1
                    }
                },
            };
            let descending = match &o.options.sort {
                None | Some(ast::OrderBySort::Asc) => false,
                Some(ast::OrderBySort::Desc) => true,
                Some(ast::OrderBySort::Using(_)) => return Err(SqlError::new("ORDER BY … USING is not Flink SQL").at(at(&o.expr))),
            };
            // Flink sorts NULL as the smallest value unless told otherwise.
            keys.push(SortKey { column, descending, nulls_first: o.options.nulls_first.unwrap_or(!descending) });
        }
        if !computed.is_empty() {
            let mut exprs: Vec<Expr> = plan.schema.fields.iter().enumerate().map(|(i, f)| Expr::column(i, f.ty.clone())).collect();
            let mut fields = plan.schema.fields.clone();
            for (j, e) in computed.into_iter().enumerate() {
                fields.push(SchemaField { name: format!("$sort_expr{j}"), ty: e.ty.clone(), qualifier: None });
                exprs.push(e);
            }
            plan = project(plan, exprs, fields);
        }
        order_and_limit(plan, keys, visible.len(), query)
    }

    fn plan_set_expr(&mut self, body: &SetExpr) -> Result<Plan> {
        match body {
            SetExpr::Select(select) => self.plan_select(select),
            SetExpr::Query(q) => self.plan_query(q),
            SetExpr::SetOperation { op: ast::SetOperator::Union, set_quantifier, left, right } => {
                let all = match set_quantifier {
                    ast::SetQuantifier::All => true,
                    ast::SetQuantifier::Distinct | ast::SetQuantifier::None => false,
                    other => return Err(SqlError::new(format!("UNION {other} is not supported")).at(at(body))),
                };
                let (l, r) = (self.plan_set_expr(left)?, self.plan_set_expr(right)?);
                let union = union_all(l, r).map_err(|e| e.or_at(at(body)))?;
                // UNION without ALL is, as Flink plans it, UNION ALL then DISTINCT.
                Ok(if all { union } else { distinct(union) })
            }
            SetExpr::SetOperation {
                op: op @ (ast::SetOperator::Intersect | ast::SetOperator::Except | ast::SetOperator::Minus),
                set_quantifier,
                left,
                right,
            } => {
                let all = match set_quantifier {
                    ast::SetQuantifier::Distinct | ast::SetQuantifier::None => false,
                    ast::SetQuantifier::All => true,
                    other => return Err(SqlError::new(format!("{op} {other} is not supported")).at(at(body))),
                };
                let (l, r) = (self.plan_set_expr(left)?, self.plan_set_expr(right)?);
                let intersect = matches!(op, ast::SetOperator::Intersect);
                set_difference(l, r, intersect, all).map_err(|e| e.or_at(at(body)))
            }
            SetExpr::Values(values) => plan_values(values, at(body)),
            other => Err(SqlError::new(format!("`{other}` is not supported")).at(at(body))),
        }
    }

    fn plan_select(&mut self, select: &ast::Select) -> Result<Plan> {
        if let Some((part, instead)) = foreign_select_part(select) {
            let error = SqlError::new(format!("{part} is not Flink SQL")).at(at(select));
            return Err(match instead {
                Some(instead) => error.hint(instead),
                None => error,
            });
        }
        let plan = self.plan_select_all(select)?;
        match &select.distinct {
            None | Some(ast::Distinct::All) => Ok(plan),
            Some(ast::Distinct::Distinct) => Ok(distinct(plan)),
            Some(ast::Distinct::On(_)) => Err(SqlError::new("SELECT DISTINCT ON is not supported in Flink SQL")
                .at(at(select))
                .hint("use SELECT DISTINCT, or a deduplication query (ROW_NUMBER() OVER …)")),
        }
    }

    /// A SELECT without its DISTINCT.
    fn plan_select_all(&mut self, select: &ast::Select) -> Result<Plan> {
        // `FROM a, b WHERE …` is an inner join on the WHERE clause, as Flink plans it.
        let comma_join = select.from.len() > 1;
        let (mut input, tvf) = if select.from.is_empty() {
            // `SELECT 1 AS n`: one row of no columns under the projection, as Calcite plans
            // it (`Values(tuples=[[{ 0 }]])`): a bounded, one-shot result.
            (Plan { schema: Schema::default(), node: Node::Values { rows: Arc::new(vec![Vec::new()]) } }, None)
        } else if comma_join || !select.from[0].joins.is_empty() {
            let mut joined: Option<Plan> = None;
            for from in &select.from {
                if system_time_as_of(&from.relation).is_some() {
                    return Err(SqlError::new("FOR SYSTEM_TIME AS OF reads a versioned table in a JOIN … ON only")
                        .at(at(&from.relation))
                        .hint("FROM orders o JOIN rates FOR SYSTEM_TIME AS OF o.event_time AS r ON o.currency = r.currency"));
                }
                // `t, UNNEST(t.tags)`: the UNNEST reads the row on its left.
                if let Some(left) = joined.take_if(|_| unnest::is_unnest(&from.relation)) {
                    let mut plan = unnest::correlate(left, &from.relation, None, at(&from.relation), Some(self.catalog))?;
                    if std::ptr::eq(from, select.from.last().expect("FROM has items")) {
                        if let Some(w) = &select.selection {
                            let predicate = Binder::new(&plan.schema.fields).with_catalog(self.catalog).bind_predicate(w, "WHERE")?;
                            plan = Plan { schema: plan.schema.clone(), node: Node::Filter { input: Box::new(plan), predicate } };
                        }
                    }
                    joined = Some(plan);
                    continue;
                }
                let mut plan = self.plan_join_input(&from.relation)?;
                for join in &from.joins {
                    if unnest::is_unnest(&join.relation) {
                        plan = unnest::correlate(plan, &join.relation, Some(&join.join_operator), at(&join.relation), Some(self.catalog))?;
                        continue;
                    }
                    let right = self.plan_join_input(&join.relation)?;
                    plan = match system_time_as_of(&join.relation) {
                        Some(as_of) => self.plan_temporal_join(plan, right, &join.join_operator, as_of, at(&join.relation))?,
                        None => self.plan_join(plan, right, &join.join_operator, at(&join.relation))?,
                    };
                }
                joined = Some(match joined {
                    None => plan,
                    Some(left) => {
                        let last = select.from.len() > 1 && std::ptr::eq(from, select.from.last().expect("FROM has items"));
                        let on = match (&select.selection, last) {
                            (Some(w), true) => Some(self.bind_join_condition(&left, &plan, w)?),
                            _ => None,
                        };
                        join::plan_join(left, plan, JoinKind::Inner, on, at(&from.relation))?
                    }
                });
            }
            (joined.expect("FROM has items"), None)
        } else {
            if system_time_as_of(&select.from[0].relation).is_some() {
                return Err(SqlError::new("FOR SYSTEM_TIME AS OF reads a versioned table in a join only")
                    .at(at(&select.from[0].relation))
                    .hint("FROM orders o JOIN rates FOR SYSTEM_TIME AS OF o.event_time AS r ON o.currency = r.currency"));
            }
            self.plan_table_factor(&select.from[0].relation)?
        };
        let mut scope = input.schema.fields.clone();
        if let Some(tvf) = &tvf {
            // A cascaded window's input (an earlier window's result) may have window columns of
            // its own: as in Flink, a name both have is ambiguous, in the SELECT list's `*` too
            // (window-agg.md's cascading example, whose view keeps window_start, is refused).
            let names = ["window_start", "window_end", "window_time"];
            if let Some(twice) = scope.iter().find(|f| names.contains(&f.name.as_str())) {
                if let Some(star) = select.projection.iter().find(|i| matches!(i, SelectItem::Wildcard(_))) {
                    return Err(SqlError::new(format!("column `{}` is ambiguous", twice.name))
                        .at(at(star))
                        .hint(format!("the window's input has a `{}` of its own: rename it there", twice.name)));
                }
            }
            let [s, e, t] = bind::window_types(false, tvf.proctime);
            for (name, ty) in [("window_start", s), ("window_end", e), ("window_time", t)] {
                scope.push(SchemaField { name: name.to_string(), ty, qualifier: None });
            }
            debug_assert_eq!(tvf.columns[0], input.schema.len());
        }
        let real_columns = input.schema.len();

        // `x [NOT] IN (SELECT …)` conditions of the WHERE become semi- and anti-joins.
        let mut selection = select.selection.clone().filter(|_| !comma_join);
        if let Some(w) = selection.take() {
            let mut rest = Vec::new();
            for c in split_ast_and(w) {
                match c {
                    ast::Expr::In { ref expr, target: ast::InTarget::Subquery(ref subquery), negated, .. } => {
                        let bound = Binder::new(&scope).with_catalog(self.catalog).bind(expr)?;
                        let column = bound.as_column().filter(|c| *c < input.schema.len()).ok_or_else(|| {
                            SqlError::new("IN (SELECT …) must compare a column of the FROM clause")
                                .at(at(&c))
                                .hint("compute the value in a subquery in FROM first")
                        })?;
                        input = match self.plan_subquery(subquery) {
                            Ok(right) => join::plan_in_subquery(input, right, column, negated, at(&c))?,
                            // A subquery that reads the outer row (window-join.md's `L.num IN
                            // (SELECT num FROM … R WHERE L.window_start = R.window_start …)`).
                            Err(e) => self.plan_correlated_in(input, column, subquery, negated, at(&c)).map_err(|_| e)?,
                        };
                    }
                    ast::Expr::Exists { ref subquery, negated } => {
                        input = self.plan_exists(input, subquery, negated, at(&c))?;
                    }
                    ref other if has_scalar_subquery(&SelectItem::UnnamedExpr(other.clone())) => {
                        if tvf.is_some() {
                            return Err(SqlError::new("a scalar subquery in the WHERE of a window table function is not supported yet")
                                .at(at(&c))
                                .hint("filter in an outer query"));
                        }
                        input = self.filter_by_scalar_subqueries(input, c)?;
                    }
                    other => rest.push(other),
                }
            }
            selection =
                rest.into_iter().reduce(|a, b| ast::Expr::BinaryOp { left: Box::new(a), op: ast::BinaryOperator::And, right: Box::new(b) });
        }
        if let Some(selection) = &selection {
            let predicate = Binder::new(&scope).with_catalog(self.catalog).bind_predicate(selection, "WHERE")?;
            if reads_beyond(&predicate, real_columns) {
                return Err(SqlError::new("filtering on window_start/window_end/window_time before the aggregation is not supported yet")
                    .at(at(selection))
                    .hint("filter in HAVING or in an outer query"));
            }
            // Over a ranking, the conditions on its row number become its range.
            if let Some(predicate) = rank::absorb_filter(&mut input, predicate)? {
                input = Plan { schema: input.schema.clone(), node: Node::Filter { input: Box::new(input), predicate } };
            }
        }

        let group_exprs = match &select.group_by {
            GroupByExpr::Expressions(exprs, modifiers) if modifiers.is_empty() => exprs.clone(),
            GroupByExpr::Expressions(..) => return Err(SqlError::new("GROUP BY modifiers are not supported").at(at(select))),
            GroupByExpr::All(_) => return Err(SqlError::new("GROUP BY ALL is not supported").at(at(select))),
        };
        let aggregates = !group_exprs.is_empty()
            || select.having.is_some()
            || select.projection.iter().any(|item| match item {
                SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } => contains_outer_aggregate(e),
                _ => false,
            });
        let over = select.projection.iter().any(|item| match item {
            SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } => bind::contains_over(e),
            _ => false,
        });
        // A ranking alone (its only OVER call, a whole SELECT item) may become a Top-N or a
        // deduplication (`rank.rs`); beside other OVER calls it is one of the OVER aggregates.
        let over_items: Vec<&SelectItem> = select
            .projection
            .iter()
            .filter(|item| matches!(item, SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } if bind::contains_over(e)))
            .collect();
        if over && !aggregates && matches!(over_items.as_slice(), [item] if is_ranking_item(item)) {
            if let Some(tvf) = &tvf {
                input = window_table_function(input, tvf);
            }
            return self.plan_rank(input, &scope, select);
        }
        if over && !aggregates {
            if tvf.is_some() {
                return Err(SqlError::new("OVER aggregation over a window table function is not supported yet")
                    .at(select.from.first().map_or_else(|| at(select), |from| at(&from.relation)))
                    .hint("read the table directly: SELECT …, COUNT(*) OVER w FROM t WINDOW w AS (…)"));
            }
            return self.plan_over(input, &scope, select);
        }
        if !aggregates && tvf.is_none() && select.projection.iter().any(has_scalar_subquery) {
            let (joined, items) = self.plan_scalar_subqueries(input, &select.projection)?;
            let scope = joined.schema.fields.clone();
            return self.plan_projection(joined, &scope, &items);
        }
        if !aggregates {
            if let Some(tvf) = &tvf {
                input = window_table_function(input, tvf);
            }
            return self.plan_projection(input, &scope, &select.projection);
        }
        self.plan_aggregate(input, scope, tvf, &group_exprs, select)
    }

    fn plan_projection(&self, input: Plan, scope: &[SchemaField], items: &[SelectItem]) -> Result<Plan> {
        let mut exprs = Vec::new();
        let mut fields = Vec::new();
        for (i, item) in items.iter().enumerate() {
            match item {
                SelectItem::Wildcard(_) => {
                    for (j, f) in scope.iter().enumerate() {
                        exprs.push(Expr::column(j, f.ty.clone()));
                        fields.push(SchemaField { name: f.name.clone(), ty: f.ty.clone(), qualifier: f.qualifier.clone() });
                    }
                }
                SelectItem::QualifiedWildcard(kind, _) => {
                    let q = kind.to_string();
                    let before = exprs.len();
                    for (j, f) in scope.iter().enumerate().filter(|(_, f)| f.qualifier.as_deref() == Some(q.as_str())) {
                        exprs.push(Expr::column(j, f.ty.clone()));
                        fields.push(f.clone());
                    }
                    if exprs.len() == before {
                        return Err(SqlError::new(format!("`{q}` is not a table in FROM")).at(at(item)));
                    }
                }
                SelectItem::UnnamedExpr(e) => {
                    let bound = Binder::new(scope).with_catalog(self.catalog).bind(e)?;
                    fields.push(SchemaField { name: column_name(e, i), ty: bound.ty.clone(), qualifier: None });
                    exprs.push(bound);
                }
                SelectItem::ExprWithAlias { expr, alias } => {
                    let bound = Binder::new(scope).with_catalog(self.catalog).bind(expr)?;
                    fields.push(SchemaField { name: alias.value.clone(), ty: bound.ty.clone(), qualifier: None });
                    exprs.push(bound);
                }
                other => return Err(SqlError::new(format!("`{other}` is not supported")).at(at(item))),
            }
        }
        unique_names(&mut fields);
        Ok(project(input, exprs, fields))
    }

    /// `SELECT …, ROW_NUMBER() OVER (PARTITION BY … ORDER BY …) AS rn FROM t`: a [`Node::Rank`]
    /// below a projection that computes the SELECT list. Its range (and so whether it is a
    /// Top-N or a deduplication) comes from the WHERE of the query that reads it
    /// ([`rank::absorb_filter`]).
    fn plan_rank(&self, input: Plan, scope: &[SchemaField], select: &ast::Select) -> Result<Plan> {
        // The SELECT's one OVER call (`plan_select_all` sends only such SELECTs here).
        let rank_call = select.projection.iter().find_map(|item| match item {
            SelectItem::UnnamedExpr(e @ ast::Expr::Function(f)) | SelectItem::ExprWithAlias { expr: e @ ast::Expr::Function(f), .. }
                if f.over.is_some() && is_ranking_function(&function_name(f)) =>
            {
                Some((f, e))
            }
            _ => None,
        });
        let Some((f, call)) = rank_call else {
            return Err(SqlError::new("ROW_NUMBER() must be a whole SELECT item, e.g. ROW_NUMBER() OVER (…) AS rownum").at(at(select)));
        };
        let name = function_name(f);
        // RANK and DENSE_RANK are Flink's OVER aggregates unless a Top-N filter bounds them,
        // which Flink refuses ([`rank::absorb_filter`], [`rank::finish`]).
        let function = match name.as_str() {
            "RANK" => RankFunction::Rank,
            "DENSE_RANK" => RankFunction::DenseRank,
            _ => RankFunction::RowNumber,
        };
        if !matches!(&f.args, ast::FunctionArguments::None) && !matches!(&f.args, ast::FunctionArguments::List(l) if l.args.is_empty()) {
            return Err(SqlError::new(format!("{name}() takes no arguments")).at(at(call)));
        }
        let Some(over) = &f.over else { unreachable!("only OVER calls are ranking items") };
        let spec = bind::resolve_window(over, &select.named_window, at(call))?;
        if spec.window_frame.is_some() {
            return Err(SqlError::new("ROW/RANGE not allowed with RANK, DENSE_RANK or ROW_NUMBER functions")
                .at(at(call))
                .hint(format!("leave the frame out: {name}() OVER (PARTITION BY … ORDER BY …)")));
        }
        if spec.order_by.is_empty() {
            // Flink's words: Calcite's for RANK and DENSE_RANK, the planner's for ROW_NUMBER.
            let message = match function {
                RankFunction::RowNumber => {
                    "Over Agg: The window rank function requires order by clause with non-constant fields. please re-check the over window statement."
                }
                _ => "RANK or DENSE_RANK functions require ORDER BY clause in window specification",
            };
            return Err(SqlError::new(message).at(at(call)).hint(format!("e.g. {name}() OVER (PARTITION BY k ORDER BY x DESC)")));
        }
        // Below the ranking: the input's columns, then partition and sort expressions that are
        // not plain columns.
        let mut pre_exprs: Vec<Expr> = scope.iter().enumerate().map(|(i, f)| Expr::column(i, f.ty.clone())).collect();
        let mut pre_fields: Vec<SchemaField> = scope.to_vec();
        let mut column_of = |e: Expr| -> usize {
            if let Some(i) = e.as_column() {
                return i;
            }
            if let Some(i) = pre_exprs.iter().position(|p| *p == e) {
                return i;
            }
            pre_fields.push(SchemaField { name: format!("$f{}", pre_fields.len()), ty: e.ty.clone(), qualifier: None });
            pre_exprs.push(e);
            pre_exprs.len() - 1
        };
        let mut partition = Vec::new();
        for p in &spec.partition_by {
            partition.push(column_of(Binder::new(scope).with_catalog(self.catalog).bind(p)?));
        }
        let mut order = Vec::new();
        for o in &spec.order_by {
            let descending = match &o.options.sort {
                None | Some(ast::OrderBySort::Asc) => false,
                Some(ast::OrderBySort::Desc) => true,
                Some(ast::OrderBySort::Using(_)) => return Err(SqlError::new("ORDER BY … USING is not Flink SQL").at(at(&o.expr))),
            };
            // Flink sorts NULL as the smallest value unless told otherwise.
            let nulls_first = o.options.nulls_first.unwrap_or(!descending);
            order.push(SortKey {
                column: column_of(Binder::new(scope).with_catalog(self.catalog).bind(&o.expr)?),
                descending,
                nulls_first,
            });
        }
        let pre = project(input, pre_exprs, pre_fields);
        let number = pre.schema.len();
        let mut fields = pre.schema.fields.clone();
        fields.push(SchemaField { name: "w0$o0".into(), ty: SqlType::not_null(DataType::BigInt), qualifier: None });
        let rank = logical::Rank {
            partition,
            order,
            range: None,
            output_number: true,
            strategy: RankStrategy::TopN,
            function,
            location: at(call),
        };
        let ranked = Plan { schema: Schema { fields }, node: Node::Rank { input: Box::new(pre), rank } };
        let mut exprs = Vec::new();
        let mut out_fields = Vec::new();
        for (i, item) in select.projection.iter().enumerate() {
            let (e, name) = match item {
                SelectItem::Wildcard(_) => {
                    for (j, f) in scope.iter().enumerate() {
                        exprs.push(Expr::column(j, f.ty.clone()));
                        out_fields.push(f.clone());
                    }
                    continue;
                }
                SelectItem::UnnamedExpr(e) => (e, column_name(e, i)),
                SelectItem::ExprWithAlias { expr, alias } => (expr, alias.value.clone()),
                other => return Err(SqlError::new(format!("`{other}` is not supported with ROW_NUMBER()")).at(at(item))),
            };
            let bound = if std::ptr::eq(e, call) {
                Expr::column(number, ranked.schema.fields[number].ty.clone())
            } else {
                Binder::new(scope).with_catalog(self.catalog).bind(e)?
            };
            out_fields.push(SchemaField { name, ty: bound.ty.clone(), qualifier: None });
            exprs.push(bound);
        }
        unique_names(&mut out_fields);
        Ok(project(ranked, exprs, out_fields))
    }

    /// `SELECT …, agg(…) OVER w … FROM t WINDOW w AS (…)`: an OVER node that appends the
    /// aggregates to each input row, under a projection that computes the SELECT list. As in
    /// Flink, every OVER aggregate of the SELECT must share one window.
    fn plan_over(&self, input: Plan, scope: &[SchemaField], select: &ast::Select) -> Result<Plan> {
        let mut ctx = OverContext { named: select.named_window.clone(), ..OverContext::default() };
        let mut outputs = Vec::new();
        let mut names = Vec::new();
        for (i, item) in select.projection.iter().enumerate() {
            let (e, name) = match item {
                SelectItem::Wildcard(_) => {
                    for (j, f) in scope.iter().enumerate() {
                        outputs.push(Expr::column(j, f.ty.clone()));
                        names.push(f.name.clone());
                    }
                    continue;
                }
                SelectItem::UnnamedExpr(e) => (e, column_name(e, i)),
                SelectItem::ExprWithAlias { expr, alias } => (expr, alias.value.clone()),
                other => return Err(SqlError::new(format!("`{other}` is not supported with OVER aggregates")).at(at(item))),
            };
            outputs.push(Binder::with_over(scope, &mut ctx).with_catalog(self.catalog).bind(e)?);
            names.push(name);
        }
        let Some(window) = ctx.window.clone() else {
            return Err(SqlError::new("expected an aggregate with OVER in the SELECT list").at(at(select)));
        };
        // Below the OVER node: the input's columns, then the partition keys and aggregate
        // arguments that are not plain columns.
        let mut pre_exprs: Vec<Expr> = scope.iter().enumerate().map(|(i, f)| Expr::column(i, f.ty.clone())).collect();
        let mut pre_fields: Vec<SchemaField> = scope.to_vec();
        let mut column_of = |e: &Expr| -> usize {
            if let Some(i) = e.as_column() {
                return i;
            }
            if let Some(i) = pre_exprs.iter().position(|p| p == e) {
                return i;
            }
            pre_exprs.push(e.clone());
            pre_fields.push(SchemaField { name: format!("$f{}", pre_fields.len()), ty: e.ty.clone(), qualifier: None });
            pre_exprs.len() - 1
        };
        let partition: Vec<usize> = window.partition.iter().map(&mut column_of).collect();
        let aggs: Vec<AggCall> = ctx
            .calls
            .iter()
            .map(|call| AggCall {
                func: match call.func {
                    logical::AggFunc::Lag { offset, .. } => {
                        logical::AggFunc::Lag { offset, default: call.default.as_ref().map(&mut column_of) }
                    }
                    func => func,
                },
                arg: call.arg.as_ref().map(&mut column_of),
                distinct: call.distinct,
                separator: call.separator.clone(),
                ty: call.ty.clone(),
                arg_ty: call.arg.as_ref().map(|a| a.ty.clone()),
                filter: call.filter.as_ref().map(&mut column_of),
            })
            .collect();
        let pre = project(input, pre_exprs, pre_fields);
        let columns = pre.schema.len();
        let mut fields = pre.schema.fields.clone();
        for (i, a) in aggs.iter().enumerate() {
            fields.push(SchemaField { name: format!("w0$o{i}"), ty: a.ty.clone(), qualifier: None });
        }
        let proctime = pre.schema.fields.get(window.time_column).is_some_and(|f| f.ty.proctime);
        let over_window = OverWindow { partition, time_column: window.time_column, proctime, frame: window.frame, location: at(select) };
        let plan = Plan { schema: Schema { fields }, node: Node::Over { input: Box::new(pre), window: over_window, aggs } };
        let exprs: Vec<Expr> = outputs.iter().map(|o| ctx.finish(o, columns)).collect();
        let mut fields: Vec<SchemaField> =
            exprs.iter().zip(names).map(|(e, name)| SchemaField { name, ty: e.ty.clone(), qualifier: None }).collect();
        unique_names(&mut fields);
        Ok(project(plan, exprs, fields))
    }

    fn plan_aggregate(
        &mut self,
        input: Plan,
        scope: Vec<SchemaField>,
        tvf: Option<WindowTvf>,
        group_exprs: &[ast::Expr],
        select: &ast::Select,
    ) -> Result<Plan> {
        let mut ctx = AggContext { keys: Vec::new(), calls: Vec::new(), window: None, grouping: None };
        let mut window_time_column: Option<usize> = None;
        let mut grouped_window_columns = [false; 3];
        let items = grouping::group_items(group_exprs, at(select))?;
        let flat: Vec<&ast::Expr> = items
            .iter()
            .flat_map(|item| match item {
                GroupItem::Plain(e) => vec![*e],
                GroupItem::Sets(sets) => sets.iter().flatten().copied().collect(),
            })
            .collect();
        for g in flat {
            if let ast::Expr::Function(f) = g {
                let name = function_name(f);
                if matches!(name.as_str(), "HOP" | "TUMBLE" | "SESSION" | "CUMULATE") {
                    if ctx.window.is_some() {
                        return Err(SqlError::new("a query can group by only one window").at(at(g)));
                    }
                    let (spec, time) = legacy_window(&name, f, &scope, g)?;
                    let (args, _) = function_args(f)?;
                    ctx.window = Some(WindowBinding {
                        spec,
                        legacy: Some((name, args.iter().map(|a| bind::normalize(&a.to_string())).collect())),
                        tvf_columns: None,
                        proctime: scope[time].ty.proctime,
                    });
                    window_time_column = Some(time);
                    continue;
                }
            }
            let key = Binder::new(&scope).with_catalog(self.catalog).bind(g)?;
            if let (Some(col), Some(tvf)) = (key.as_column(), &tvf) {
                if let Some(pos) = tvf.columns.iter().position(|&c| c == col) {
                    grouped_window_columns[pos] = true;
                    continue;
                }
            }
            if reads_beyond(&key, input.schema.len()) {
                return Err(SqlError::new("window columns can only be grouped by directly").at(at(g)));
            }
            if !ctx.keys.contains(&key) {
                ctx.keys.push(key);
            }
        }
        if let Some(tvf) = &tvf {
            if !(grouped_window_columns[0] && grouped_window_columns[1]) {
                return Err(SqlError::new("a window aggregation must GROUP BY window_start and window_end")
                    .at(at(select))
                    .hint("add `window_start, window_end` to GROUP BY"));
            }
            // Flink reads sessions per PARTITION BY key; grouped without one, it assigns the
            // sessions first (a session WindowTableFunction) and aggregates their rows in an
            // updating GROUP BY window_start, window_end, …: so does Sluice.
            if tvf.partition.iter().any(|p| !ctx.keys.contains(p)) {
                let windowed = window_table_function(input, tvf);
                return self.plan_aggregate(windowed, scope, None, group_exprs, select);
            }
            ctx.window = Some(WindowBinding { spec: tvf.spec, legacy: None, tvf_columns: Some(tvf.columns), proctime: tvf.proctime });
            window_time_column = Some(tvf.time_column);
        }
        if items.iter().any(|i| matches!(i, GroupItem::Sets(_))) {
            ctx.grouping = self.grouping_sets(&items, &ctx.keys, &scope)?;
        }

        // Bind the SELECT list and HAVING above the aggregate.
        let mut outputs = Vec::new();
        let mut names = Vec::new();
        for (i, item) in select.projection.iter().enumerate() {
            let (e, name) = match item {
                SelectItem::UnnamedExpr(e) => (e, column_name(e, i)),
                SelectItem::ExprWithAlias { expr, alias } => (expr, alias.value.clone()),
                _ => {
                    return Err(SqlError::new("`*` cannot be used with GROUP BY")
                        .at(at(item))
                        .hint("list the grouped columns and aggregates"))
                }
            };
            outputs.push(Binder::with_aggregates(&scope, &mut ctx).with_catalog(self.catalog).bind(e)?);
            names.push(name);
        }
        let having = match &select.having {
            Some(h) => Some(Binder::with_aggregates(&scope, &mut ctx).with_catalog(self.catalog).bind_predicate(h, "HAVING")?),
            None => None,
        };

        // Below the aggregate: keys, then aggregate arguments, then the window's time column.
        let mut pre_exprs: Vec<Expr> = ctx.keys.clone();
        let mut pre_fields: Vec<SchemaField> = ctx
            .keys
            .iter()
            .enumerate()
            .map(|(i, k)| SchemaField { name: key_name(k, &scope, i), ty: k.ty.clone(), qualifier: None })
            .collect();
        let mut calls = Vec::new();
        for call in &ctx.calls {
            let arg = &call.arg;
            // Under grouping sets the Expand nulls the keys, so an argument equal to a key
            // reads a copy of its own, as in Flink's Expand.
            let shared = if ctx.grouping.is_some() { ctx.keys.len() } else { 0 };
            let mut column_of = |a: &Expr| match pre_exprs.iter().skip(shared).position(|p| p == a) {
                Some(i) => shared + i,
                None => {
                    pre_exprs.push(a.clone());
                    pre_fields.push(SchemaField { name: format!("$f{}", pre_fields.len()), ty: a.ty.clone(), qualifier: None });
                    pre_exprs.len() - 1
                }
            };
            let arg_index = arg.as_ref().map(&mut column_of);
            let filter = call.filter.as_ref().map(&mut column_of);
            calls.push(AggCall {
                func: call.func,
                arg: arg_index,
                distinct: call.distinct,
                separator: call.separator.clone(),
                ty: call.ty.clone(),
                arg_ty: arg.as_ref().map(|a| a.ty.clone()),
                filter,
            });
        }
        let window = match (&ctx.window, window_time_column) {
            (Some(w), Some(time)) => {
                pre_exprs.push(Expr::column(time, scope[time].ty.clone()));
                pre_fields.push(SchemaField { name: scope[time].name.clone(), ty: scope[time].ty.clone(), qualifier: None });
                Some(WindowAgg {
                    spec: w.spec,
                    time_column: pre_exprs.len() - 1,
                    location: group_exprs.first().map_or_else(|| at(select), at),
                })
            }
            _ => None,
        };
        let mut keys = ctx.keys.len();
        let mut pre = project(input, pre_exprs, pre_fields);
        let mut window = window;
        if let Some(sets) = &ctx.grouping {
            // The expand id `$e` follows the keys, as one more key of the aggregate.
            pre = sets.expand(pre);
            let shift = |a: usize| if a >= keys { a + 1 } else { a };
            calls.iter_mut().for_each(|c| (c.arg, c.filter) = (c.arg.map(shift), c.filter.map(shift)));
            if let Some(w) = &mut window {
                w.time_column += 1;
            }
            ctx.keys.push(Expr::column(keys, SqlType::not_null(DataType::BigInt)));
            keys += 1;
        }

        let mut agg_fields: Vec<SchemaField> =
            pre.schema.fields[..keys].iter().map(|f| SchemaField { ty: f.ty.plain(), ..f.clone() }).collect();
        let types = ctx.output_types();
        for (i, c) in calls.iter().enumerate() {
            agg_fields.push(SchemaField { name: format!("$a{i}"), ty: c.ty.clone(), qualifier: None });
        }
        if window.is_some() {
            for (name, ty) in ["window_start", "window_end", "window_time"].iter().zip(&types[keys + calls.len()..]) {
                agg_fields.push(SchemaField { name: name.to_string(), ty: ty.clone(), qualifier: None });
            }
        }
        let mut plan =
            Plan { schema: Schema { fields: agg_fields }, node: Node::Aggregate { input: Box::new(pre), keys, aggs: calls, window } };
        if let Some(h) = having {
            let predicate = ctx.finish(&h);
            plan = Plan { schema: plan.schema.clone(), node: Node::Filter { input: Box::new(plan), predicate } };
        }
        let exprs: Vec<Expr> = outputs.iter().map(|o| ctx.finish(o)).collect();
        let mut fields: Vec<SchemaField> =
            exprs.iter().zip(names).map(|(e, name)| SchemaField { name, ty: e.ty.clone(), qualifier: None }).collect();
        unique_names(&mut fields);
        Ok(project(plan, exprs, fields))
    }

    /// The grouping sets of a GROUP BY with GROUPING SETS, ROLLUP or CUBE, as positions in
    /// `keys`; `None` when they come to one set (then it is a plain GROUP BY, as in Flink).
    fn grouping_sets(&self, items: &[GroupItem], keys: &[Expr], scope: &[SchemaField]) -> Result<Option<GroupingSets>> {
        let position = |e: &ast::Expr| -> Result<Option<usize>> {
            let key = Binder::new(scope).with_catalog(self.catalog).bind(e)?;
            Ok(keys.iter().position(|k| *k == key))
        };
        let mut crossed = Vec::new();
        for item in items {
            match item {
                GroupItem::Plain(e) => {
                    // A window (or its columns) is grouped in every set, outside `$e`.
                    if let Some(k) = position(e).ok().flatten() {
                        crossed.push(vec![vec![k]]);
                    }
                }
                GroupItem::Sets(sets) => {
                    let mut item_sets = Vec::new();
                    for set in sets {
                        let mut members = Vec::new();
                        for e in set {
                            members.push(position(e)?.ok_or_else(|| {
                                SqlError::new("a window is grouped outside GROUPING SETS, ROLLUP and CUBE")
                                    .at(at(*e))
                                    .hint("GROUP BY window_start, window_end, GROUPING SETS (…)")
                            })?);
                        }
                        item_sets.push(members);
                    }
                    crossed.push(item_sets);
                }
            }
        }
        if keys.len() > MAX_GROUPING_KEYS {
            // The expand id `$e` keeps a bit per key in a BIGINT.
            return Err(SqlError::new(format!("GROUPING SETS, ROLLUP and CUBE group by at most {MAX_GROUPING_KEYS} expressions"))
                .at(group_location(items).unwrap_or_default()));
        }
        let sets = GroupingSets::cross(keys.len(), &crossed);
        sets.check_copies().map_err(|m| {
            SqlError::new(m)
                .at(group_location(items).unwrap_or_default())
                .hint("Flink groups a set listed twice in a second aggregate, which must group by every key or by several sets")
        })?;
        Ok((sets.sets.len() > 1).then_some(sets))
    }

    /// `[NOT] EXISTS (SELECT … FROM t WHERE …)` as Flink decorrelates it: a semi- (anti-) join
    /// of `input` with the subquery's FROM, filtered by the conditions that read only it; the
    /// conditions that read the outer query's columns are the join's condition (none: every
    /// row has a partner once the subquery has any row).
    fn plan_exists(&mut self, input: Plan, subquery: &ast::Query, negated: bool, location: Location) -> Result<Plan> {
        let simple = match subquery.body.as_ref() {
            SetExpr::Select(s)
                if s.having.is_none()
                    && s.distinct.is_none()
                    && matches!(&s.group_by, GroupByExpr::Expressions(g, m) if g.is_empty() && m.is_empty())
                    && !s.projection.iter().any(|item| match item {
                        SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } => bind::contains_aggregate(e),
                        _ => false,
                    }) =>
            {
                Some(s)
            }
            _ => None,
        };
        let (Some(select), None, None) = (simple, &subquery.with, &subquery.order_by) else {
            return self.plan_exists_over_query(input, subquery, negated, location);
        };
        // The subquery's FROM, all its columns, under the conditions that read only them.
        let mut from = (**select).clone();
        from.selection = None;
        from.projection = vec![SelectItem::Wildcard(ast::WildcardAdditionalOptions::default())];
        let mut right = self.plan_select(&from)?;
        let (mut own, mut correlated) = (Vec::new(), Vec::new());
        for c in select.selection.clone().map(split_ast_and).unwrap_or_default() {
            match Binder::new(&right.schema.fields).with_catalog(self.catalog).bind_predicate(&c, "WHERE") {
                Ok(bound) => own.push(bound),
                Err(_) => correlated.push(c),
            }
        }
        if let Some(predicate) = own.into_iter().reduce(|a, b| Expr {
            ty: SqlType::nullable(DataType::Boolean),
            kind: ExprKind::Binary { op: BinaryOp::And, left: Box::new(a), right: Box::new(b) },
        }) {
            right = Plan { schema: right.schema.clone(), node: Node::Filter { input: Box::new(right), predicate } };
        }
        if correlated.is_empty() {
            // As Flink: a semi- (anti-) join on TRUE with `SELECT MIN(TRUE) AS m FROM … WHERE m
            // IS NOT NULL`, a one-row updating input whose row exists once the subquery has one.
            let mut any = (**select).clone();
            any.projection = vec![SelectItem::ExprWithAlias {
                expr: ast::Expr::Function(ast::Function {
                    name: ast::ObjectName::from(vec![ast::Ident::new("MIN")]),
                    uses_odbc_syntax: false,
                    parameters: ast::FunctionArguments::None,
                    args: ast::FunctionArguments::List(ast::FunctionArgumentList {
                        duplicate_treatment: None,
                        args: vec![ast::FunctionArg::Unnamed(ast::FunctionArgExpr::Expr(ast::Expr::Value(
                            ast::Value::Boolean(true).into(),
                        )))],
                        clauses: Vec::new(),
                    }),
                    filter: None,
                    null_treatment: None,
                    over: None,
                    within_group: Vec::new(),
                }),
                alias: ast::Ident::new("$m"),
            }];
            let any = self.plan_select(&any)?;
            let m = Expr::column(0, any.schema.fields[0].ty.clone());
            let predicate = Expr { ty: SqlType::not_null(DataType::Boolean), kind: ExprKind::IsNull { arg: Box::new(m), negated: true } };
            let exists = Plan {
                schema: Schema::default(),
                node: Node::Project {
                    input: Box::new(Plan { schema: any.schema.clone(), node: Node::Filter { input: Box::new(any), predicate } }),
                    exprs: Vec::new(),
                },
            };
            return join::plan_join(input, exists, if negated { JoinKind::Anti } else { JoinKind::Semi }, None, location);
        }
        let condition = correlated
            .into_iter()
            .reduce(|a, b| ast::Expr::BinaryOp { left: Box::new(a), op: ast::BinaryOperator::And, right: Box::new(b) })
            .map(|c| self.bind_join_condition(&input, &right, &c))
            .transpose()?;
        join::plan_join(input, right, if negated { JoinKind::Anti } else { JoinKind::Semi }, condition, location)
    }

    /// `x [NOT] IN (SELECT c FROM … WHERE …)` whose WHERE reads the outer row: as Calcite
    /// decorrelates it, a semi- (anti-) join with the subquery's FROM under its own conditions,
    /// on `x = c` and the correlating ones. Only a plain SELECT of one column of its FROM; the
    /// caller reports the subquery's own error for anything else.
    fn plan_correlated_in(&mut self, input: Plan, column: usize, subquery: &ast::Query, negated: bool, location: Location) -> Result<Plan> {
        let select = match subquery.body.as_ref() {
            SetExpr::Select(s)
                if subquery.with.is_none()
                    && subquery.order_by.is_none()
                    && s.having.is_none()
                    && s.distinct.is_none()
                    && matches!(&s.group_by, GroupByExpr::Expressions(g, m) if g.is_empty() && m.is_empty()) =>
            {
                s
            }
            _ => return Err(SqlError::new("a correlated IN subquery must be a plain SELECT").at(location)),
        };
        let [SelectItem::UnnamedExpr(selected) | SelectItem::ExprWithAlias { expr: selected, .. }] = select.projection.as_slice() else {
            return Err(SqlError::new("the subquery of IN must return one column").at(location));
        };
        let mut from = (**select).clone();
        from.selection = None;
        from.projection = vec![SelectItem::Wildcard(ast::WildcardAdditionalOptions::default())];
        let mut right = self.plan_select(&from)?;
        let inner = Binder::new(&right.schema.fields).with_catalog(self.catalog).bind(selected)?;
        let Some(inner) = inner.as_column() else {
            return Err(SqlError::new("a correlated IN subquery must select a column of its FROM").at(location));
        };
        let (mut own, mut correlated) = (Vec::new(), Vec::new());
        for c in select.selection.clone().map(split_ast_and).unwrap_or_default() {
            match Binder::new(&right.schema.fields).with_catalog(self.catalog).bind_predicate(&c, "WHERE") {
                Ok(bound) => own.push(bound),
                Err(_) => correlated.push(c),
            }
        }
        let and = |a: Expr, b: Expr| Expr {
            ty: SqlType::nullable(DataType::Boolean),
            kind: ExprKind::Binary { op: BinaryOp::And, left: Box::new(a), right: Box::new(b) },
        };
        if let Some(predicate) = own.into_iter().reduce(and) {
            right = Plan { schema: right.schema.clone(), node: Node::Filter { input: Box::new(right), predicate } };
        }
        let split = input.schema.len();
        let mut condition = join::in_condition(
            Expr::column(column, input.schema.fields[column].ty.clone()),
            Expr::column(split + inner, right.schema.fields[inner].ty.clone()),
            negated,
        );
        for c in &correlated {
            condition = and(condition, self.bind_join_condition(&input, &right, c)?);
        }
        join::plan_join(input, right, if negated { JoinKind::Anti } else { JoinKind::Semi }, Some(condition), location)
    }

    /// `[NOT] EXISTS` over a subquery that is not a plain SELECT: a grouped one whose WHERE
    /// correlates by equalities (`… WHERE t.k = s.k GROUP BY g HAVING …`) is a semi- (anti-)
    /// join with its groups, grouped by the correlating keys too, on those keys, as Calcite
    /// decorrelates it; one that reads no outer column (an aggregate, a set operation, a WITH)
    /// is a semi- (anti-) join on TRUE with `MIN(TRUE)` over its rows, as for a plain SELECT.
    fn plan_exists_over_query(&mut self, input: Plan, subquery: &ast::Query, negated: bool, location: Location) -> Result<Plan> {
        let kind = if negated { JoinKind::Anti } else { JoinKind::Semi };
        let unsupported = |why: &str| {
            SqlError::new(format!("EXISTS over {why} is not supported yet")).at(location).hint(
                "correlate a grouped subquery by equalities in its WHERE: EXISTS (SELECT g FROM t WHERE t.k = s.k GROUP BY g HAVING …)",
            )
        };
        let grouped = match subquery.body.as_ref() {
            SetExpr::Select(s) if subquery.with.is_none() && subquery.order_by.is_none() => {
                matches!(&s.group_by, GroupByExpr::Expressions(g, m) if !g.is_empty() && m.is_empty()).then_some(s)
            }
            _ => None,
        };
        if let Some(select) = grouped {
            let mut from = (**select).clone();
            from.selection = None;
            from.having = None;
            from.distinct = None;
            from.group_by = GroupByExpr::Expressions(Vec::new(), Vec::new());
            from.projection = vec![SelectItem::Wildcard(ast::WildcardAdditionalOptions::default())];
            let inner = self.plan_select(&from)?;
            let (mut own, mut keys) = (Vec::new(), Vec::new());
            for c in select.selection.clone().map(split_ast_and).unwrap_or_default() {
                if Binder::new(&inner.schema.fields).bind(&c).is_ok() {
                    own.push(c);
                    continue;
                }
                let binds_inner = |e: &ast::Expr| Binder::new(&inner.schema.fields).bind(e).is_ok();
                let binds_outer = |e: &ast::Expr| Binder::new(&input.schema.fields).bind(e).is_ok();
                match &c {
                    ast::Expr::BinaryOp { left, op: ast::BinaryOperator::Eq, right } => match (binds_inner(left), binds_inner(right)) {
                        (true, false) if binds_outer(right) => keys.push(((**left).clone(), (**right).clone())),
                        (false, true) if binds_outer(left) => keys.push(((**right).clone(), (**left).clone())),
                        _ => return Err(unsupported("a grouped subquery correlated other than by equalities inner = outer")),
                    },
                    _ => return Err(unsupported("a grouped subquery correlated other than by equalities inner = outer")),
                }
            }
            if !keys.is_empty() {
                let key_name = |i: usize| ast::Ident::new(format!("$ek{i}"));
                let GroupByExpr::Expressions(groups, _) = &select.group_by else { return Err(unsupported("this GROUP BY")) };
                let mut by_key = (**select).clone();
                by_key.selection = own.into_iter().reduce(|a, b| ast::Expr::BinaryOp {
                    left: Box::new(a),
                    op: ast::BinaryOperator::And,
                    right: Box::new(b),
                });
                by_key.projection = key_items(&keys, key_name).collect();
                by_key.distinct = None;
                by_key.group_by = GroupByExpr::Expressions(
                    groups.iter().cloned().chain(keys.iter().map(|(inner, _)| inner.clone())).collect(),
                    Vec::new(),
                );
                let right = with_qualifier(self.plan_select(&by_key)?, "$e");
                let condition = key_equalities(&keys, key_name);
                let condition = condition.map(|c| self.bind_join_condition(&input, &right, &c)).transpose()?;
                return join::plan_join(input, right, kind, condition, location);
            }
        }
        // Uncorrelated: its rows, then `MIN(TRUE) AS $m … WHERE $m IS NOT NULL` (one row once
        // the subquery has any).
        let rows = self.plan_subquery(subquery).map_err(|e| {
            SqlError::new(format!(
                "EXISTS over a correlated aggregate without GROUP BY, set operation or WITH is not supported yet: {}",
                e.message
            ))
            .at(location)
            .hint("correlate a grouped subquery by equalities in its WHERE: EXISTS (SELECT g FROM t WHERE t.k = s.k GROUP BY g HAVING …)")
        })?;
        let truth = SqlType::not_null(DataType::Boolean);
        let flags = Plan {
            schema: Schema { fields: vec![SchemaField { name: "$t".into(), ty: truth.clone(), qualifier: None }] },
            node: Node::Project {
                input: Box::new(rows),
                exprs: vec![Expr { kind: ExprKind::Literal(crate::types::Value::Bool(true)), ty: truth.clone() }],
            },
        };
        let min_ty = SqlType::nullable(DataType::Boolean);
        let any = Plan {
            schema: Schema { fields: vec![SchemaField { name: "$m".into(), ty: min_ty.clone(), qualifier: None }] },
            node: Node::Aggregate {
                input: Box::new(flags),
                keys: 0,
                aggs: vec![AggCall {
                    func: logical::AggFunc::Min,
                    arg: Some(0),
                    distinct: false,
                    separator: None,
                    ty: min_ty.clone(),
                    arg_ty: Some(truth),
                    filter: None,
                }],
                window: None,
            },
        };
        let m = Expr::column(0, min_ty);
        let predicate = Expr { ty: SqlType::not_null(DataType::Boolean), kind: ExprKind::IsNull { arg: Box::new(m), negated: true } };
        let exists = Plan {
            schema: Schema::default(),
            node: Node::Project {
                input: Box::new(Plan { schema: any.schema.clone(), node: Node::Filter { input: Box::new(any), predicate } }),
                exprs: Vec::new(),
            },
        };
        join::plan_join(input, exists, kind, None, location)
    }

    /// A WHERE condition reading scalar subqueries, as Flink decorrelates them. An uncorrelated
    /// one, `x > (SELECT AVG(x) + 50 FROM t)`: `input` joined on TRUE with the subquery's one
    /// row (an aggregate without GROUP BY, updating as its input grows). A correlated one,
    /// `x > (SELECT AVG(y) FROM t WHERE t.k = s.k)`: `input` LEFT JOIN the aggregate grouped by
    /// the correlating keys ([`Self::join_scalar_subquery`]). Then filtered by the condition
    /// and projected back to `input`'s columns. Flink keeps the condition inside its join; the
    /// rows are the same.
    fn filter_by_scalar_subqueries(&mut self, input: Plan, condition: ast::Expr) -> Result<Plan> {
        let location = at(&condition);
        let mut condition = condition;
        let mut queries: Vec<(ast::Query, Location)> = Vec::new();
        crate::sql::walk::rewrite_exprs(&mut condition, |e: &mut ast::Expr| {
            if let ast::Expr::Subquery(q) = e {
                let name = format!("$sqw{}", queries.len());
                queries.push(((**q).clone(), at(&*e)));
                *e = ast::Expr::Identifier(ast::Ident::new(name));
            }
        });
        let original = input.schema.clone();
        let mut joined = input;
        for (n, (query, at_query)) in queries.iter().enumerate() {
            let one_row = match query.body.as_ref() {
                SetExpr::Select(s) => {
                    matches!(&s.group_by, GroupByExpr::Expressions(g, m) if g.is_empty() && m.is_empty())
                        && s.having.is_none()
                        && matches!(s.projection.as_slice(), [SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. }] if bind::contains_aggregate(e))
                }
                _ => false,
            };
            if !one_row {
                return Err(SqlError::new(
                    "this scalar subquery is not supported yet: in a WHERE it must be one aggregate without GROUP BY",
                )
                .at(*at_query)
                .hint("a scalar subquery here is (SELECT agg(…) FROM t [WHERE …])"));
            }
            let name = format!("$sqw{n}");
            let sub = match self.plan_subquery(query) {
                Ok(sub) => sub,
                Err(_) if self.reads_outer(query, &joined) => {
                    // Correlated: a LEFT JOIN with the aggregate grouped by the correlating
                    // keys, as in a SELECT list; the condition reads the value (at COUNT = 0
                    // for a key without a group).
                    joined = self.join_scalar_subquery(joined, query, &name, *at_query)?;
                    let value = scalar_value(query, &name);
                    let placeholder = name.clone();
                    crate::sql::walk::rewrite_exprs(&mut condition, |e: &mut ast::Expr| {
                        if matches!(e, ast::Expr::Identifier(i) if i.value == placeholder) {
                            *e = value.clone();
                        }
                    });
                    continue;
                }
                Err(e) => return Err(e),
            };
            let mut sub = with_qualifier(sub, &name);
            sub.schema.fields[0].name = format!("$sqw{n}");
            joined = join::plan_join(joined, sub, JoinKind::Inner, None, *at_query)?;
        }
        let predicate = Binder::new(&joined.schema.fields)
            .with_catalog(self.catalog)
            .bind_predicate(&condition, "WHERE")
            .map_err(|e| e.or_at(location))?;
        let filtered = Plan { schema: joined.schema.clone(), node: Node::Filter { input: Box::new(joined), predicate } };
        let exprs = original.fields.iter().enumerate().map(|(i, f)| Expr::column(i, f.ty.clone())).collect();
        Ok(Plan { schema: original, node: Node::Project { input: Box::new(filtered), exprs } })
    }

    /// Scalar subqueries of a SELECT list, `(SELECT MAX(x) FROM t WHERE t.k = s.k)`, as Flink
    /// decorrelates them: `input` LEFT JOIN the subquery's aggregate grouped by the inner sides
    /// of its correlating equalities, on those equalities. Each subquery becomes a column
    /// `$sqN` of the joined rows, which the rewritten SELECT items read.
    fn plan_scalar_subqueries(&mut self, mut input: Plan, items: &[SelectItem]) -> Result<(Plan, Vec<SelectItem>)> {
        let mut items = items.to_vec();
        let mut queries: Vec<(ast::Query, Location)> = Vec::new();
        for (position, item) in items.iter_mut().enumerate() {
            let unnamed = matches!(item, SelectItem::UnnamedExpr(_));
            let expr = match item {
                SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } => e,
                _ => {
                    return Err(SqlError::new("`*` cannot be combined with a scalar subquery yet").at(at(&*item)).hint("list the columns"))
                }
            };
            let original = expr.clone();
            crate::sql::walk::rewrite_exprs(expr, |e: &mut ast::Expr| {
                if let ast::Expr::Subquery(q) = e {
                    let value = scalar_value(q, &format!("$sq{}", queries.len()));
                    queries.push(((**q).clone(), at(&*e)));
                    *e = value;
                }
            });
            if unnamed {
                let alias = ast::Ident::new(column_name(&original, position));
                *item = SelectItem::ExprWithAlias { expr: expr.clone(), alias };
            }
        }
        for (n, (query, location)) in queries.iter().enumerate() {
            input = self.join_scalar_subquery(input, query, &format!("$sq{n}"), *location)?;
        }
        Ok((input, items))
    }

    /// Whether `query`'s WHERE reads a column of `outer` that its own FROM does not have.
    fn reads_outer(&mut self, query: &ast::Query, outer: &Plan) -> bool {
        let SetExpr::Select(select) = query.body.as_ref() else { return false };
        let mut from = (**select).clone();
        from.selection = None;
        from.projection = vec![SelectItem::Wildcard(ast::WildcardAdditionalOptions::default())];
        let Ok(inner) = self.plan_select(&from) else { return false };
        select.selection.clone().map(split_ast_and).unwrap_or_default().iter().any(|c| {
            Binder::new(&inner.schema.fields).bind(c).is_err() && {
                let mut both = inner.schema.fields.clone();
                both.extend(outer.schema.fields.iter().cloned());
                Binder::new(&both).bind(c).is_ok()
            }
        })
    }

    /// `input` LEFT JOIN a correlated scalar subquery's aggregate grouped by the inner sides
    /// of its correlating equalities, on them: its value is column `name`, its keys
    /// `{name}k0`, `{name}k1`, …
    fn join_scalar_subquery(&mut self, input: Plan, query: &ast::Query, name: &str, location: Location) -> Result<Plan> {
        let unsupported = |why: &str| {
            SqlError::new(format!("this scalar subquery is not supported yet: {why}"))
                .at(location)
                .hint("a scalar subquery here is SELECT agg(…) FROM t WHERE t.k = outer.k [AND …]")
        };
        let select = match query.body.as_ref() {
            SetExpr::Select(s) if query.with.is_none() && query.order_by.is_none() => s,
            _ => return Err(unsupported("it is not a plain SELECT")),
        };
        let item = match select.projection.as_slice() {
            [SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. }] => e.clone(),
            _ => return Err(unsupported("it must select one value")),
        };
        let plain_group = matches!(&select.group_by, GroupByExpr::Expressions(g, m) if g.is_empty() && m.is_empty());
        if !bind::contains_aggregate(&item) || !plain_group || select.having.is_some() || select.distinct.is_some() {
            return Err(unsupported("its value must be one aggregate without GROUP BY"));
        }
        let mut from = (**select).clone();
        from.selection = None;
        from.projection = vec![SelectItem::Wildcard(ast::WildcardAdditionalOptions::default())];
        let inner = self.plan_select(&from)?;
        let (mut own, mut keys) = (Vec::new(), Vec::new());
        for c in select.selection.clone().map(split_ast_and).unwrap_or_default() {
            if Binder::new(&inner.schema.fields).with_catalog(self.catalog).bind(&c).is_ok() {
                own.push(c);
                continue;
            }
            let ast::Expr::BinaryOp { left, op: ast::BinaryOperator::Eq, right } = &c else {
                return Err(unsupported("a condition on the outer query must be an equality inner = outer"));
            };
            let binds_inner = |e: &ast::Expr| Binder::new(&inner.schema.fields).with_catalog(self.catalog).bind(e).is_ok();
            let binds_outer = |e: &ast::Expr| Binder::new(&input.schema.fields).with_catalog(self.catalog).bind(e).is_ok();
            match (binds_inner(left), binds_inner(right)) {
                (true, false) if binds_outer(right) => keys.push(((**left).clone(), (**right).clone())),
                (false, true) if binds_outer(left) => keys.push(((**right).clone(), (**left).clone())),
                _ => return Err(unsupported("a condition on the outer query must be an equality inner = outer")),
            }
        }
        if keys.is_empty() {
            return Err(unsupported("it reads no column of the outer query"));
        }
        let key_name = |i: usize| ast::Ident::new(format!("{name}k{i}"));
        let mut grouped = (**select).clone();
        grouped.selection =
            own.into_iter().reduce(|a, b| ast::Expr::BinaryOp { left: Box::new(a), op: ast::BinaryOperator::And, right: Box::new(b) });
        grouped.projection =
            key_items(&keys, key_name).chain([SelectItem::ExprWithAlias { expr: item, alias: ast::Ident::new(name) }]).collect();
        grouped.group_by = GroupByExpr::Expressions(keys.iter().map(|(inner, _)| inner.clone()).collect(), Vec::new());
        let right = with_qualifier(self.plan_select(&grouped)?, name);
        let condition = key_equalities(&keys, key_name).expect("keys is not empty");
        let condition = self.bind_join_condition(&input, &right, &condition)?;
        join::plan_join(input, right, JoinKind::Left, Some(condition), location)
    }

    /// One side of a join: a table, a derived table, or a window table function's rows.
    fn plan_join_input(&mut self, factor: &TableFactor) -> Result<Plan> {
        let (plan, tvf) = self.plan_table_factor(factor)?;
        Ok(match tvf {
            Some(tvf) => {
                let qualifier = plan.schema.fields.first().and_then(|f| f.qualifier.clone());
                let mut plan = window_table_function(plan, &tvf);
                if let Some(q) = qualifier {
                    plan = with_qualifier(plan, &q);
                }
                plan
            }
            None => plan,
        })
    }

    fn plan_join(&mut self, left: Plan, right: Plan, op: &ast::JoinOperator, location: Location) -> Result<Plan> {
        use ast::JoinOperator as J;
        let (kind, constraint) = match op {
            J::Join(c) | J::Inner(c) => (JoinKind::Inner, Some(c)),
            J::Left(c) | J::LeftOuter(c) => (JoinKind::Left, Some(c)),
            J::Right(c) | J::RightOuter(c) => (JoinKind::Right, Some(c)),
            J::FullOuter(c) => (JoinKind::Full, Some(c)),
            J::CrossJoin(_) => (JoinKind::Inner, None),
            other => {
                let name = unsupported_join_name(other);
                return Err(SqlError::new(format!("{name} joins are not supported in Flink SQL streaming queries"))
                    .at(location)
                    .hint("use [INNER | LEFT | RIGHT | FULL] JOIN … ON …, or WHERE [NOT] EXISTS / IN for a semi- or anti-join"));
            }
        };
        let on = match constraint {
            None | Some(ast::JoinConstraint::None) => None,
            Some(ast::JoinConstraint::On(e)) => Some(self.bind_join_condition(&left, &right, e)?),
            Some(ast::JoinConstraint::Using(names)) => {
                let names =
                    names.iter().map(|n| n.0.last().and_then(|p| p.as_ident()).map(|i| i.value.clone()).unwrap_or_default()).collect();
                return join::plan_using_join(left, right, kind, Some(names), location);
            }
            Some(ast::JoinConstraint::Natural) => return join::plan_using_join(left, right, kind, None, location),
            Some(_) => return Err(SqlError::new("this join constraint is not Flink SQL").at(location).hint("write JOIN r ON l.id = r.id")),
        };
        join::plan_join(left, right, kind, on, location)
    }

    /// `JOIN versioned FOR SYSTEM_TIME AS OF l.t ON …` ([`join::plan_temporal_join`]).
    fn plan_temporal_join(
        &mut self,
        left: Plan,
        right: Plan,
        op: &ast::JoinOperator,
        as_of: &ast::Expr,
        location: Location,
    ) -> Result<Plan> {
        use ast::JoinOperator as J;
        let (kind, constraint) = match op {
            J::Join(c) | J::Inner(c) => (JoinKind::Inner, c),
            J::Left(c) | J::LeftOuter(c) => (JoinKind::Left, c),
            J::Right(c) | J::RightOuter(c) => (JoinKind::Right, c),
            J::FullOuter(c) => (JoinKind::Full, c),
            _ => return Err(SqlError::new("a temporal join is written [LEFT] JOIN … FOR SYSTEM_TIME AS OF … ON …").at(location)),
        };
        let on = match constraint {
            ast::JoinConstraint::On(e) => Some(self.bind_join_condition(&left, &right, e)?),
            _ => None,
        };
        let time = Binder::new(&left.schema.fields).with_catalog(self.catalog).bind(as_of)?;
        join::plan_temporal_join(left, right, kind, on, &time, location)
    }

    fn bind_join_condition(&self, left: &Plan, right: &Plan, e: &ast::Expr) -> Result<Expr> {
        let scope: Vec<SchemaField> = left.schema.fields.iter().chain(&right.schema.fields).cloned().collect();
        Binder::new(&scope).with_catalog(self.catalog).bind_predicate(e, "ON")
    }

    fn plan_table_factor(&mut self, factor: &TableFactor) -> Result<(Plan, Option<WindowTvf>)> {
        match factor {
            TableFactor::Table { version: Some(v), .. } if system_time_as_of(factor).is_none() => {
                Err(SqlError::new(format!("`{v}` is not Flink SQL"))
                    .at(at(factor))
                    .hint("Flink reads a version with JOIN t FOR SYSTEM_TIME AS OF l.rowtime"))
            }
            // Flink parses TABLESAMPLE and plans a Sample it has no operator for, in both modes.
            TableFactor::Table { sample: Some(_), .. } | TableFactor::Derived { sample: Some(_), .. } => Err(SqlError::new(
                "Cannot generate a valid execution plan for the given query: TABLESAMPLE (Flink plans a Sample it cannot run). \
                 This exception indicates that the query uses an unsupported SQL feature.",
            )
            .at(at(factor))),
            TableFactor::Table { name, alias, args: None, with_hints, .. } => {
                let ident = name.0.last().and_then(|p| p.as_ident()).map(|i| i.value.clone()).unwrap_or_default();
                let qualifier = alias.as_ref().map_or(ident.clone(), |a| a.name.value.clone());
                let plan = if with_hints.is_empty() {
                    self.scan(&ident, at(factor))?
                } else {
                    let options = crate::sql::hints::options(with_hints).map_err(|m| SqlError::new(m).at(at(factor)))?;
                    self.scan_with_options(&ident, options, at(factor))?
                };
                Ok((with_qualifier(plan, &qualifier), None))
            }
            TableFactor::Derived { subquery, alias, .. } => {
                let plan = self.plan_subquery(subquery)?;
                let plan = match alias {
                    Some(a) => rename(plan, &a.columns.iter().map(|c| c.name.value.clone()).collect::<Vec<_>>(), Some(&a.name.value))?,
                    None => plan,
                };
                Ok((plan, None))
            }
            TableFactor::TableFunction { expr, alias } => {
                let (plan, tvf) = self.plan_window_tvf(expr)?;
                let plan = match alias {
                    Some(a) => with_qualifier(plan, &a.name.value),
                    None => plan,
                };
                Ok((plan, Some(tvf)))
            }
            TableFactor::MatchRecognize { table, .. } => {
                let (input, tvf) = self.plan_table_factor(table)?;
                if tvf.is_some() {
                    return Err(SqlError::new("MATCH_RECOGNIZE over a window table function is not supported yet").at(at(factor)));
                }
                Ok((super::match_recognize::plan(input, factor, at(factor))?, None))
            }
            other => Err(SqlError::new(format!("`{other}` in FROM is not supported")).at(at(factor))),
        }
    }

    fn scan(&self, name: &str, location: Location) -> Result<Plan> {
        if let Some((_, plan)) = self.ctes.iter().rev().find(|(n, _)| n == name) {
            return Ok(plan.clone());
        }
        if let Some(view) = self.catalog.view(name) {
            let mut inner = Planner::new(self.catalog);
            return inner
                .plan_subquery(&view.query)
                .and_then(|plan| rename(plan, &view.aliases, None))
                .map_err(|e| SqlError::new(format!("in view `{name}`: {}", e.message)).at(location));
        }
        let Some(table) = self.catalog.table(name) else {
            let mut err = SqlError::new(format!("table `{name}` not found")).at(location);
            let names: Vec<&str> = self.catalog.names().chain(self.ctes.iter().map(|(n, _)| n.as_str())).collect();
            err = match bind::closest(name, names.iter().copied()) {
                Some(c) => err.hint(format!("did you mean `{c}`?")),
                None if names.is_empty() => err.hint("declare it first with CREATE TABLE"),
                None => err.hint(format!("the tables are: {}", names.join(", "))),
            };
            return Err(err);
        };
        Ok(scan_table(table))
    }

    /// A table read with `/*+ OPTIONS(…) */`: its options, those given replacing its own of the
    /// same key, for this one reference (the session checks them as the connector does when the
    /// job opens it). As in Flink, a view or a WITH query takes no options.
    fn scan_with_options(&self, name: &str, options: Vec<(String, String)>, location: Location) -> Result<Plan> {
        if self.ctes.iter().any(|(n, _)| n == name) || self.catalog.view(name).is_some() {
            // Flink 2.3's words.
            return Err(SqlError::new(format!(
                "View '`default_catalog`.`default_database`.`{name}`' cannot be enriched with new options. Hints can only be applied to tables."
            ))
            .at(location));
        }
        let plan = self.scan(name, location)?;
        let Node::Scan { table } = &plan.node else { return Ok(plan) };
        let mut hinted = TableDef::clone(table);
        hinted.set_options(&options);
        Ok(scan_table(&Arc::new(hinted)))
    }

    fn plan_window_tvf(&mut self, expr: &ast::Expr) -> Result<(Plan, WindowTvf)> {
        let ast::Expr::Function(f) = expr else {
            return Err(
                SqlError::new("expected a window function such as TUMBLE(TABLE t, DESCRIPTOR(ts), INTERVAL '1' MINUTE)").at(at(expr))
            );
        };
        let name = function_name(f);
        let expected: &[&str] = match name.as_str() {
            "TUMBLE" => &["DATA", "TIMECOL", "SIZE", "OFFSET"],
            "HOP" => &["DATA", "TIMECOL", "SLIDE", "SIZE", "OFFSET"],
            "CUMULATE" => &["DATA", "TIMECOL", "STEP", "SIZE", "OFFSET"],
            "SESSION" => &["DATA", "TIMECOL", "GAP"],
            _ => {
                return Err(SqlError::new(format!("`{name}` is not a window table function"))
                    .at(at(expr))
                    .hint("use TUMBLE, HOP, CUMULATE or SESSION"))
            }
        };
        let args = tvf_args(f, expected).map_err(|m| SqlError::new(m).at(at(expr)))?;
        let data = args[0].as_ref().ok_or_else(|| SqlError::new(format!("{name} needs a TABLE argument")).at(at(expr)))?;
        let Some((table, partition_ast)) = crate::sql::dialect::table_arg(data) else {
            return Err(SqlError::new(format!("{name}'s first argument must be `TABLE name`")).at(at(data)));
        };
        let input = match table {
            TableArg::Named(table_name) => {
                let ident = table_name.last().map(|i| i.value.clone()).unwrap_or_default();
                with_qualifier(self.scan(&ident, at(data))?, &ident)
            }
            // Flink 2.3's parser refuses `TABLE (SELECT …)`; accepting it here would let a note
            // work in Sluice and fail when exported.
            TableArg::Subquery(_) => {
                return Err(SqlError::new(format!(
                    "{name}(TABLE (SELECT …)) is not Flink SQL: a table argument must be a table or view name"
                ))
                .at(at(data))
                .hint("name the query: WITH w AS (SELECT …) SELECT … FROM TABLE(TUMBLE(TABLE w, …)), or CREATE VIEW"))
            }
        };
        let scope = &input.schema.fields;
        if !partition_ast.is_empty() && name != "SESSION" {
            return Err(SqlError::new("PARTITION BY is only allowed for SESSION windows").at(at(data)));
        }
        let partition =
            partition_ast.iter().map(|p| Binder::new(scope).with_catalog(self.catalog).bind(p)).collect::<Result<Vec<Expr>>>()?;
        if let Some(p) = partition.iter().position(|p| p.as_column().is_none()) {
            return Err(SqlError::new("PARTITION BY takes columns of the table").at(at(&partition_ast[p])));
        }
        let timecol = args[1].as_ref().ok_or_else(|| SqlError::new(format!("{name} needs DESCRIPTOR(time_column)")).at(at(expr)))?;
        let time_column = descriptor_column(timecol, scope)?;
        let interval = |i: usize, what: &str| -> Result<Option<i64>> {
            match &args[i] {
                None => Ok(None),
                Some(e) => {
                    let bound = Binder::new(scope).with_catalog(self.catalog).bind(e)?;
                    interval_ms(&bound).filter(|ms| *ms >= 0).map(Some).ok_or_else(|| {
                        SqlError::new(format!("{name}'s {what} must be a constant interval such as INTERVAL '10' SECOND")).at(at(e))
                    })
                }
            }
        };
        let need = |v: Option<i64>, what: &str| v.ok_or_else(|| SqlError::new(format!("{name} needs a {what}")).at(at(expr)));
        let spec = match name.as_str() {
            "TUMBLE" => WindowSpec::Tumble { size: need(interval(2, "size")?, "size")?, offset: interval(3, "offset")?.unwrap_or(0) },
            "HOP" => WindowSpec::Hop {
                slide: need(interval(2, "slide")?, "slide")?,
                size: need(interval(3, "size")?, "size")?,
                offset: interval(4, "offset")?.unwrap_or(0),
            },
            "CUMULATE" => WindowSpec::Cumulate {
                step: need(interval(2, "step")?, "step")?,
                max_size: need(interval(3, "size")?, "size")?,
                offset: interval(4, "offset")?.unwrap_or(0),
            },
            _ => WindowSpec::Session { gap: need(interval(2, "gap")?, "gap")? },
        };
        validate_window(&spec).map_err(|m| SqlError::new(m).at(at(expr)))?;
        let n = input.schema.len();
        let proctime = input.schema.fields[time_column].ty.proctime;
        Ok((input, WindowTvf { spec, partition, time_column, columns: [n, n + 1, n + 2], proctime, location: at(expr) }))
    }
}

/// Arguments of a window TVF by position or by name (`SIZE => …`), in `expected` order.
/// Where the first GROUPING SETS, ROLLUP or CUBE of a GROUP BY is written.
fn group_location(items: &[GroupItem]) -> Option<Location> {
    items.iter().find_map(|i| match i {
        GroupItem::Sets(sets) => sets.iter().flatten().next().map(|e| at(*e)),
        GroupItem::Plain(_) => None,
    })
}

fn tvf_args(f: &ast::Function, expected: &[&str]) -> std::result::Result<Vec<Option<ast::Expr>>, String> {
    let mut out = vec![None; expected.len()];
    let ast::FunctionArguments::List(list) = &f.args else { return Err("missing arguments".into()) };
    for (i, a) in list.args.iter().enumerate() {
        let (slot, arg) = match a {
            ast::FunctionArg::Unnamed(x) => (i, x),
            // An unquoted OFFSET never gets here: Flink's parser reads it as the keyword of
            // `OFFSET n ROWS` (window-tvf.md's own `OFFSET => INTERVAL …` fails there), and so
            // does Sluice's (`sql/reserved.rs`); `` `OFFSET` => … `` is the argument.
            ast::FunctionArg::Named { name, arg, .. } => {
                let n = name.value.to_ascii_uppercase();
                let n = if n == "MAX_SIZE" { "SIZE".to_string() } else { n };
                (
                    expected
                        .iter()
                        .position(|e| *e == n)
                        .ok_or_else(|| format!("unknown argument name {}; expected one of {}", name.value, expected.join(", ")))?,
                    arg,
                )
            }
            ast::FunctionArg::ExprNamed { .. } => return Err("unsupported named argument form".into()),
        };
        let ast::FunctionArgExpr::Expr(e) = arg else { return Err("`*` is not a valid argument".into()) };
        if slot >= out.len() {
            return Err(format!("too many arguments; expected {}", expected.join(", ")));
        }
        out[slot] = Some(e.clone());
    }
    Ok(out)
}

/// The rows of a window table function: the input's columns, then window_start, window_end
/// and window_time of each window a row falls in.
fn window_table_function(input: Plan, tvf: &WindowTvf) -> Plan {
    let mut fields = input.schema.fields.clone();
    let types = bind::window_types(false, tvf.proctime);
    for (name, ty) in ["window_start", "window_end", "window_time"].into_iter().zip(types) {
        fields.push(SchemaField { name: name.to_string(), ty, qualifier: None });
    }
    Plan {
        schema: Schema { fields },
        node: Node::WindowTvf {
            input: Box::new(input),
            spec: tvf.spec,
            partition: tvf.partition.iter().filter_map(Expr::as_column).collect(),
            time_column: tvf.time_column,
            location: tvf.location,
        },
    }
}

/// The SQL words of a join Flink has no streaming form of, as sqlparser read them (its dialects'
/// SEMI, ANTI, APPLY, ASOF, STRAIGHT_JOIN and ARRAY joins).
fn unsupported_join_name(op: &ast::JoinOperator) -> &'static str {
    use ast::JoinOperator as J;
    match op {
        J::Semi(_) => "SEMI",
        J::LeftSemi(_) => "LEFT SEMI",
        J::RightSemi(_) => "RIGHT SEMI",
        J::Anti(_) => "ANTI",
        J::LeftAnti(_) => "LEFT ANTI",
        J::RightAnti(_) => "RIGHT ANTI",
        J::CrossApply => "CROSS APPLY",
        J::OuterApply => "OUTER APPLY",
        J::AsOf { .. } => "ASOF",
        J::StraightJoin(_) => "STRAIGHT_JOIN",
        J::ArrayJoin => "ARRAY",
        J::LeftArrayJoin => "LEFT ARRAY",
        J::InnerArrayJoin => "INNER ARRAY",
        J::Join(_) | J::Inner(_) => "INNER",
        J::Left(_) | J::LeftOuter(_) => "LEFT",
        J::Right(_) | J::RightOuter(_) => "RIGHT",
        J::FullOuter(_) => "FULL",
        J::CrossJoin(_) => "CROSS",
    }
}

/// Whether a SELECT item is `ROW_NUMBER()`/`RANK()`/`DENSE_RANK()` with OVER.
/// Whether an expression aggregates, leaving out the aggregates of its scalar subqueries.
fn contains_outer_aggregate(e: &ast::Expr) -> bool {
    let mut outer = e.clone();
    crate::sql::walk::rewrite_exprs(&mut outer, |x: &mut ast::Expr| {
        if matches!(x, ast::Expr::Subquery(_)) {
            *x = ast::Expr::Value(ast::Value::Null.into());
        }
    });
    bind::contains_aggregate(&outer)
}

/// Whether a SELECT item holds a scalar subquery `(SELECT …)`.
/// Whether a scalar subquery's one value is a bare `COUNT(…)`.
fn counts_only(query: &ast::Query) -> bool {
    let SetExpr::Select(s) = query.body.as_ref() else { return false };
    matches!(s.projection.as_slice(), [SelectItem::UnnamedExpr(ast::Expr::Function(f)) | SelectItem::ExprWithAlias { expr: ast::Expr::Function(f), .. }]
        if f.over.is_none() && f.name.to_string().eq_ignore_ascii_case("COUNT"))
}

/// What the outer query reads for a correlated scalar subquery joined as column `name`
/// ([`Planner::join_scalar_subquery`]): the column; for a value over COUNT, the value a key
/// without a group gives, as Calcite's decorrelation does (the LEFT JOIN pads such a key with
/// NULL): a bare COUNT is `COALESCE(c, 0)`, an expression over COUNTs is `CASE WHEN {name}k0 IS
/// NULL THEN <the value with each COUNT 0 and each other aggregate NULL> ELSE c END`.
fn scalar_value(query: &ast::Query, name: &str) -> ast::Expr {
    let column = ast::Expr::Identifier(ast::Ident::new(name));
    if counts_only(query) {
        return coalesce_zero(column);
    }
    let SetExpr::Select(s) = query.body.as_ref() else { return column };
    let [SelectItem::UnnamedExpr(item) | SelectItem::ExprWithAlias { expr: item, .. }] = s.projection.as_slice() else { return column };
    let mut counts = false;
    let mut empty = item.clone();
    crate::sql::walk::rewrite_exprs(&mut empty, |e: &mut ast::Expr| {
        if let ast::Expr::Function(f) = e {
            let fname = bind::function_name(f);
            if f.over.is_none() && bind::aggregate_function(&fname).is_some() {
                let count = fname == "COUNT";
                counts |= count;
                *e = ast::Expr::Value(if count { ast::Value::Number("0".into(), false) } else { ast::Value::Null }.into());
            }
        }
    });
    if !counts {
        return column;
    }
    let missing = ast::Expr::IsNull(Box::new(ast::Expr::Identifier(ast::Ident::new(format!("{name}k0")))));
    ast::Expr::Case {
        case_token: ast::helpers::attached_token::AttachedToken::empty(),
        end_token: ast::helpers::attached_token::AttachedToken::empty(),
        operand: None,
        conditions: vec![ast::CaseWhen { condition: missing, result: ast::Expr::Nested(Box::new(empty)) }],
        else_result: Some(Box::new(column)),
    }
}

/// `COALESCE(e, 0)`.
fn coalesce_zero(e: ast::Expr) -> ast::Expr {
    let arg = |e| ast::FunctionArg::Unnamed(ast::FunctionArgExpr::Expr(e));
    ast::Expr::Function(ast::Function {
        name: ast::ObjectName::from(vec![ast::Ident::new("COALESCE")]),
        uses_odbc_syntax: false,
        parameters: ast::FunctionArguments::None,
        args: ast::FunctionArguments::List(ast::FunctionArgumentList {
            duplicate_treatment: None,
            args: vec![arg(e), arg(ast::Expr::Value(ast::Value::Number("0".into(), false).into()))],
            clauses: Vec::new(),
        }),
        filter: None,
        null_treatment: None,
        over: None,
        within_group: Vec::new(),
    })
}

fn has_scalar_subquery(item: &SelectItem) -> bool {
    let (SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. }) = item else { return false };
    let mut found = false;
    crate::sql::walk::search(e, |x: &ast::Expr| {
        found |= matches!(x, ast::Expr::Subquery(_));
        std::ops::ControlFlow::<()>::Continue(())
    });
    found
}

fn is_ranking_item(item: &SelectItem) -> bool {
    match item {
        SelectItem::UnnamedExpr(ast::Expr::Function(f)) | SelectItem::ExprWithAlias { expr: ast::Expr::Function(f), .. } => {
            f.over.is_some() && is_ranking_function(&function_name(f))
        }
        _ => false,
    }
}

fn is_ranking_function(name: &str) -> bool {
    matches!(name, "ROW_NUMBER" | "RANK" | "DENSE_RANK")
}

/// `DESCRIPTOR(ts)` → the position of `ts`, which must be an event-time attribute.
fn descriptor_column(e: &ast::Expr, scope: &[SchemaField]) -> Result<usize> {
    let ast::Expr::Function(f) = e else {
        return Err(SqlError::new("expected DESCRIPTOR(time_column)").at(at(e)));
    };
    if function_name(f) != "DESCRIPTOR" {
        return Err(SqlError::new("expected DESCRIPTOR(time_column)").at(at(e)));
    }
    let (args, _) = function_args(f)?;
    let [FnArg::Expr(col)] = args.as_slice() else {
        return Err(SqlError::new("DESCRIPTOR takes one column").at(at(e)));
    };
    let bound = Binder::new(scope).bind(col)?;
    time_attribute(&bound, col)
}

fn time_attribute(bound: &Expr, e: &ast::Expr) -> Result<usize> {
    match bound.as_column() {
        Some(i) if bound.ty.rowtime => Ok(i),
        Some(i) if bound.ty.proctime => Ok(i),
        _ => Err(SqlError::new(format!("the window's time column must be a time attribute, but `{e}` is {}", bound.ty))
            .at(at(e))
            .hint("declare event time with WATERMARK FOR in CREATE TABLE, or processing time with a `pt AS PROCTIME()` column")),
    }
}

/// `GROUP BY HOP(ts, slide, size)`, `TUMBLE(ts, size)`, `SESSION(ts, gap)`.
fn legacy_window(name: &str, f: &ast::Function, scope: &[SchemaField], e: &ast::Expr) -> Result<(WindowSpec, usize)> {
    let (args, _) = function_args(f)?;
    let exprs: Vec<&ast::Expr> = args
        .iter()
        .map(|a| match a {
            FnArg::Expr(x) => Ok(x.as_ref()),
            FnArg::Star => Err(SqlError::new("`*` is not a valid window argument").at(at(e))),
        })
        .collect::<Result<_>>()?;
    let expected = match name {
        "HOP" => 3,
        "TUMBLE" | "SESSION" => 2,
        _ => return Err(SqlError::new(format!("GROUP BY {name}(…) is not a group window; use the {name} table function")).at(at(e))),
    };
    if exprs.len() != expected {
        return Err(SqlError::new(format!(
            "{name} takes {expected} arguments: the time column and {}",
            if name == "HOP" { "slide and size intervals" } else { "an interval" }
        ))
        .at(at(e)));
    }
    let time_expr = Binder::new(scope).bind(exprs[0])?;
    let time = time_attribute(&time_expr, exprs[0])?;
    let mut intervals = Vec::new();
    for x in &exprs[1..] {
        let bound = Binder::new(scope).bind(x)?;
        intervals.push(interval_ms(&bound).filter(|v| *v > 0).ok_or_else(|| {
            SqlError::new(format!("{name}'s arguments after the time column must be positive constant intervals")).at(at(*x))
        })?);
    }
    let spec = match name {
        "HOP" => WindowSpec::Hop { slide: intervals[0], size: intervals[1], offset: 0 },
        "TUMBLE" => WindowSpec::Tumble { size: intervals[0], offset: 0 },
        _ => WindowSpec::Session { gap: intervals[0] },
    };
    validate_window(&spec).map_err(|m| SqlError::new(m).at(at(e)))?;
    Ok((spec, time))
}

fn validate_window(spec: &WindowSpec) -> std::result::Result<(), String> {
    match *spec {
        WindowSpec::Tumble { size, .. } if size <= 0 => Err("the window size must be positive".into()),
        WindowSpec::Hop { slide, size, .. } if slide <= 0 || size <= 0 => Err("HOP's slide and size must be positive".into()),
        WindowSpec::Hop { slide, size, .. } if size % slide != 0 => {
            Err(format!("HOP's size ({size} ms) must be a whole multiple of its slide ({slide} ms)"))
        }
        WindowSpec::Cumulate { step, max_size, .. } if step <= 0 || max_size % step != 0 => {
            Err("CUMULATE's max size must be a positive whole multiple of its step".into())
        }
        WindowSpec::Session { gap } if gap <= 0 => Err("SESSION's gap must be positive".into()),
        _ => Ok(()),
    }
}

pub fn scan_table(table: &Arc<TableDef>) -> Plan {
    let fields =
        table.columns.iter().map(|c| SchemaField { name: c.name.clone(), ty: c.ty.clone(), qualifier: Some(table.name.clone()) }).collect();
    Plan { schema: Schema { fields }, node: Node::Scan { table: table.clone() } }
}

/// `VALUES (…), (…)`: a bounded table of constant rows, each value cast to its column's type.
/// Column types follow Flink: the common type of each column's values, strings `CHAR(n)` when
/// all have one length and `VARCHAR(longest)` otherwise, `NOT NULL` unless a value is NULL.
/// A query's `ORDER BY`, `LIMIT`/`FETCH` and `OFFSET` over its body, as Flink's planner takes
/// them on a stream:
///
/// - `LIMIT n [OFFSET m]` (or `[OFFSET m ROWS] FETCH FIRST n ROWS ONLY`) alone → a
///   [`Node::Limit`]: the first rows to arrive (`StreamPhysicalLimit`);
/// - `ORDER BY … LIMIT n` → a Top-N over one partition whose row number nobody reads
///   (`StreamPhysicalSortLimit`, run as a rank): an updating result;
/// - `ORDER BY` alone is refused unless Flink would sort by a time attribute.
///
/// `order` reads `plan`'s columns; those from `visible` on are the sort's own, dropped after it.
fn order_and_limit(plan: Plan, order: Vec<SortKey>, visible: usize, query: &ast::Query) -> Result<Plan> {
    let (mut fetch, mut offset) = (None, 0u64);
    let count = |e: &ast::Expr, what: &str| -> Result<u64> {
        let bound = Binder::new(&[]).bind(e)?;
        match constant(&bound) {
            Some(crate::types::Value::Int(n)) if n >= 0 => Ok(n as u64),
            _ => Err(SqlError::new(format!("{what} takes a non-negative integer literal; `{e}` is not one")).at(at(e))),
        }
    };
    match &query.limit_clause {
        None => {}
        Some(ast::LimitClause::LimitOffset { limit, offset: o, limit_by }) => {
            if !limit_by.is_empty() {
                return Err(SqlError::new("LIMIT … BY is not Flink SQL").at(at(query)));
            }
            if let Some(limit) = limit {
                fetch = Some(count(limit, "LIMIT")?);
            }
            if let Some(o) = o {
                offset = count(&o.value, "OFFSET")?;
            }
        }
        Some(ast::LimitClause::OffsetCommaLimit { .. }) => {
            return Err(SqlError::new("LIMIT start, count is not supported by Flink SQL")
                .at(at(query))
                .hint("write LIMIT count OFFSET start"));
        }
    }
    if let Some(f) = &query.fetch {
        if f.with_ties || f.percent {
            return Err(SqlError::new("FETCH … PERCENT and WITH TIES are not supported by Flink SQL").at(at(query)));
        }
        fetch = Some(match &f.quantity {
            Some(q) => count(q, "FETCH")?,
            None => 1,
        });
    }
    let location = at(query);
    match (order.is_empty(), fetch) {
        (true, None) if offset > 0 => Err(SqlError::new("FETCH is missed, which on streaming table is not supported currently.")
            .at(location)
            .hint("add LIMIT n (or FETCH NEXT n ROWS ONLY) after the OFFSET")),
        (true, None) => Ok(plan),
        (true, Some(fetch)) => {
            Ok(Plan { schema: plan.schema.clone(), node: Node::Limit { input: Box::new(plan), offset, fetch, location } })
        }
        (false, Some(fetch)) => {
            let fields = plan.schema.fields.clone();
            let mut ranked_fields = fields.clone();
            ranked_fields.push(SchemaField { name: "w0$o0".into(), ty: SqlType::not_null(DataType::BigInt), qualifier: None });
            let rank = logical::Rank {
                partition: Vec::new(),
                order,
                range: Some((offset.saturating_add(1), offset.saturating_add(fetch))),
                output_number: false,
                strategy: RankStrategy::TopN,
                function: RankFunction::RowNumber,
                location,
            };
            let ranked = Plan { schema: Schema { fields: ranked_fields }, node: Node::Rank { input: Box::new(plan), rank } };
            Ok(keep_columns(ranked, &fields[..visible]))
        }
        (false, None) => {
            let location = query.order_by.as_ref().map_or(location, at);
            // As Flink's `StreamPhysicalTemporalSortRule`: the first key must be a time
            // attribute, ascending; a later key may be anything.
            let time = &plan.schema.fields[order[0].column].ty;
            if order[0].descending || !(time.rowtime || time.proctime) {
                return Err(SqlError::new("Sort on a non-time-attribute field is not supported.")
                    .at(location)
                    .hint("order by an event-time attribute ascending first, or add LIMIT n (a Top-N)"));
            }
            let sorted = Plan { schema: plan.schema.clone(), node: Node::TemporalSort { input: Box::new(plan), order, location } };
            let fields = sorted.schema.fields[..visible].to_vec();
            Ok(keep_columns(sorted, &fields))
        }
    }
}

/// `plan`'s first columns, `fields` (a projection when there are more).
fn keep_columns(plan: Plan, fields: &[SchemaField]) -> Plan {
    let exprs = fields.iter().enumerate().map(|(i, f)| Expr::column(i, f.ty.clone())).collect();
    project(plan, exprs, fields.to_vec())
}

/// An ORDER BY item over a query's output `fields`: a 1-based position or a name (an alias
/// wins over a FROM column, as in Calcite) gives that column, an expression over them the
/// expression; `None` when it reads anything else (the SELECT's FROM, say).
fn order_item_over(fields: &[SchemaField], e: &ast::Expr) -> Result<Option<Expr>> {
    if let ast::Expr::Value(v) = e {
        if let ast::Value::Number(n, _) = &v.value {
            let Some(p) = n.parse::<usize>().ok().filter(|p| (1..=fields.len()).contains(p)) else {
                return Err(SqlError::new("Ordinal out of range")
                    .at(at(e))
                    .hint(format!("ORDER BY n names the n-th column of the SELECT list, 1 to {}", fields.len())));
            };
            return Ok(Some(Expr::column(p - 1, fields[p - 1].ty.clone())));
        }
    }
    Ok(Binder::new(fields).bind(e).ok())
}

fn plan_values(values: &ast::Values, location: Location) -> Result<Plan> {
    use crate::types::Value;
    let rows: Vec<&Vec<ast::Expr>> = values.rows.iter().map(|r| &r.content).collect();
    let width = rows.first().map_or(0, |r| r.len());
    if width == 0 {
        return Err(SqlError::new("VALUES needs at least one row with at least one value").at(location));
    }
    let mut cells: Vec<Vec<Expr>> = Vec::with_capacity(rows.len());
    for row in &rows {
        if row.len() != width {
            return Err(SqlError::new(format!("every VALUES row needs {width} values, like the first; one has {}", row.len())).at(location));
        }
        let mut bound = Vec::with_capacity(width);
        for e in row.iter() {
            let b = Binder::new(&[]).bind(e)?;
            let Some(value) = constant(&b) else {
                return Err(SqlError::new(format!("VALUES takes constant values; `{e}` is not one")).at(at(e)));
            };
            bound.push(Expr { kind: ExprKind::Literal(value), ty: b.ty });
        }
        cells.push(bound);
    }
    let mut columns = Vec::with_capacity(width);
    for c in 0..width {
        let column: Vec<Expr> = cells.iter().map(|r| r[c].clone()).collect();
        let mut ty = bind::common_type(&column).map_err(|m| SqlError::new(format!("VALUES column {}: {m}", c + 1)).at(location))?;
        // String literals alone make CHAR(n) (VARCHAR(n) if their lengths differ), as Calcite types
        // them; a cell with a wider type of its own (`CAST(NULL AS STRING)`, a column) keeps it.
        let literals_only = column.iter().all(|e| matches!(e.ty.data_type, DataType::Char(_) | DataType::Null));
        if ty.data_type.is_string() && literals_only {
            let lengths: Vec<u32> = column
                .iter()
                .filter_map(|e| match &e.kind {
                    ExprKind::Literal(Value::Str(s)) => Some(s.chars().count() as u32),
                    _ => None,
                })
                .collect();
            let longest = lengths.iter().copied().max().unwrap_or(1).max(1);
            ty.data_type = if lengths.windows(2).all(|w| w[0] == w[1]) { DataType::Char(longest) } else { DataType::Varchar(longest) };
        }
        if ty.data_type == DataType::Null {
            ty.data_type = DataType::Varchar(1);
        }
        columns.push(ty);
    }
    let rows: Vec<Vec<Value>> = cells
        .iter()
        .map(|row| {
            row.iter()
                .zip(&columns)
                .map(|(e, ty)| match &e.kind {
                    ExprKind::Literal(v) => crate::types::cast_value(v, &e.ty.data_type, &ty.data_type).unwrap_or(Value::Null),
                    _ => Value::Null,
                })
                .collect()
        })
        .collect();
    let fields = columns.into_iter().enumerate().map(|(c, ty)| SchemaField { name: format!("EXPR${c}"), ty, qualifier: None }).collect();
    Ok(Plan { schema: Schema { fields }, node: Node::Values { rows: Arc::new(rows) } })
}

/// The value of a constant expression: a literal, a negated one, a cast of one.
fn constant(e: &Expr) -> Option<crate::types::Value> {
    use crate::types::Value;
    match &e.kind {
        ExprKind::Literal(v) => Some(v.clone()),
        ExprKind::Negate(inner) => match constant(inner)? {
            Value::Int(i) => i.checked_neg().map(Value::Int),
            Value::Double(d) => Some(Value::Double(-d)),
            Value::Decimal(u, s) => Some(Value::Decimal(-u, s)),
            _ => None,
        },
        ExprKind::Cast { arg, .. } => crate::types::cast_value(&constant(arg)?, &arg.ty.data_type, &e.ty.data_type),
        _ => None,
    }
}

/// The top-level AND-ed conditions of a WHERE clause.
/// A correlated subquery's grouping keys projected as its output: `inner AS key_name(i)` for
/// each correlation `(inner, outer)`.
fn key_items<'k>(keys: &'k [(ast::Expr, ast::Expr)], key_name: impl Fn(usize) -> ast::Ident + 'k) -> impl Iterator<Item = SelectItem> + 'k {
    keys.iter().enumerate().map(move |(i, (inner, _))| SelectItem::ExprWithAlias { expr: inner.clone(), alias: key_name(i) })
}

/// The join condition back to the outer query of a subquery whose keys are [`key_items`]:
/// `outer = key_name(i)` for each correlation `(inner, outer)`, ANDed; `None` without keys.
fn key_equalities(keys: &[(ast::Expr, ast::Expr)], key_name: impl Fn(usize) -> ast::Ident) -> Option<ast::Expr> {
    keys.iter()
        .enumerate()
        .map(|(i, (_, outer))| ast::Expr::BinaryOp {
            left: Box::new(outer.clone()),
            op: ast::BinaryOperator::Eq,
            right: Box::new(ast::Expr::Identifier(key_name(i))),
        })
        .reduce(|a, b| ast::Expr::BinaryOp { left: Box::new(a), op: ast::BinaryOperator::And, right: Box::new(b) })
}

fn split_ast_and(e: ast::Expr) -> Vec<ast::Expr> {
    match e {
        ast::Expr::BinaryOp { left, op: ast::BinaryOperator::And, right } => {
            let mut all = split_ast_and(*left);
            all.extend(split_ast_and(*right));
            all
        }
        ast::Expr::Nested(inner) if matches!(*inner, ast::Expr::BinaryOp { op: ast::BinaryOperator::And, .. }) => split_ast_and(*inner),
        other => vec![other],
    }
}

/// `left UNION ALL right`: the column counts must agree; each column takes the common type of
/// its two sides (casts are added below the union), the left side's name, and stays an
/// event-time attribute only if it is one on both sides.
fn union_all(left: Plan, right: Plan) -> Result<Plan> {
    if left.schema.len() != right.schema.len() {
        return Err(SqlError::new(format!(
            "UNION needs the same number of columns on both sides, but the left has {} and the right {}",
            left.schema.len(),
            right.schema.len()
        )));
    }
    let mut fields = Vec::new();
    let mut types = Vec::new();
    for (i, (l, r)) in left.schema.fields.iter().zip(&right.schema.fields).enumerate() {
        let sides = [Expr::column(i, l.ty.clone()), Expr::column(i, r.ty.clone())];
        let common = bind::common_type(&sides).map_err(|m| {
            SqlError::new(format!("UNION column {} (`{}`) has incompatible types {} and {}: {m}", i + 1, l.name, l.ty, r.ty))
        })?;
        let mut ty = common.clone();
        ty.rowtime = l.ty.rowtime && r.ty.rowtime && l.ty.data_type == r.ty.data_type;
        fields.push(SchemaField { name: l.name.clone(), ty: ty.clone(), qualifier: None });
        types.push(ty);
    }
    let coerce = |plan: Plan| -> Result<Plan> {
        if plan.schema.fields.iter().zip(&types).all(|(f, t)| f.ty.data_type == t.data_type) {
            return Ok(plan);
        }
        let mut exprs = Vec::new();
        for (i, (f, t)) in plan.schema.fields.iter().zip(&types).enumerate() {
            let column = Expr::column(i, f.ty.clone());
            exprs.push(if f.ty.data_type == t.data_type {
                column
            } else {
                bind::cast(column, t.plain().with_nullable(f.ty.nullable), false).map_err(SqlError::new)?
            });
        }
        let out_fields = plan.schema.fields.iter().zip(&exprs).map(|(f, e)| SchemaField { ty: e.ty.clone(), ..f.clone() }).collect();
        Ok(project(plan, exprs, out_fields))
    };
    let inputs = vec![coerce(left)?, coerce(right)?];
    // Flatten `a UNION ALL b UNION ALL c` into one union.
    let inputs = inputs
        .into_iter()
        .flat_map(|p| match p.node {
            Node::Union { inputs } => inputs,
            node => vec![Plan { node, schema: p.schema }],
        })
        .collect();
    Ok(Plan { schema: Schema { fields }, node: Node::Union { inputs } })
}

/// `left INTERSECT right` / `left EXCEPT right` (set semantics): the distinct rows of `left`
/// that `right` has (or has not). Each side's rows are tagged, unioned, and counted per distinct
/// row; a row is kept while its counts say so. The result is an updating table with the rows
/// Flink's semi-/anti-join plan gives; its intermediate changes may differ.
/// With `all` (bag semantics) it is Flink's plan: a row comes out `min(left, right)` times
/// (INTERSECT ALL) or `left - right` times (EXCEPT ALL), through `$REPLICATE_ROWS$`.
fn set_difference(left: Plan, right: Plan, intersect: bool, all: bool) -> Result<Plan> {
    use crate::types::Value;
    let n = left.schema.len();
    let tag = |plan: Plan, (l, r): (i64, i64)| -> Plan {
        let mut exprs: Vec<Expr> = plan.schema.fields.iter().enumerate().map(|(i, f)| Expr::column(i, f.ty.clone())).collect();
        let mut fields = plan.schema.fields.clone();
        for (name, v) in [("$left", l), ("$right", r)] {
            exprs.push(Expr::literal(Value::Int(v), SqlType::not_null(DataType::BigInt)));
            fields.push(SchemaField { name: name.into(), ty: SqlType::not_null(DataType::BigInt), qualifier: None });
        }
        project(plan, exprs, fields)
    };
    if left.schema.len() != right.schema.len() {
        let op = if intersect { "INTERSECT" } else { "EXCEPT" };
        return Err(SqlError::new(format!(
            "{op} needs the same number of columns on both sides, but the left has {} and the right {}",
            left.schema.len(),
            right.schema.len()
        )));
    }
    let union = union_all(tag(left, (1, 0)), tag(right, (0, 1)))?;
    let mut fields: Vec<SchemaField> = union.schema.fields[..n].iter().map(|f| SchemaField { ty: f.ty.plain(), ..f.clone() }).collect();
    let count_ty = SqlType::nullable(DataType::BigInt);
    let aggs: Vec<AggCall> = [n, n + 1]
        .into_iter()
        .map(|arg| AggCall {
            func: logical::AggFunc::Sum,
            arg: Some(arg),
            distinct: false,
            separator: None,
            ty: count_ty.clone(),
            arg_ty: Some(SqlType::not_null(DataType::BigInt)),
            filter: None,
        })
        .collect();
    for name in ["$left", "$right"] {
        fields.push(SchemaField { name: name.into(), ty: count_ty.clone(), qualifier: None });
    }
    let counted =
        Plan { schema: Schema { fields: fields.clone() }, node: Node::Aggregate { input: Box::new(union), keys: n, aggs, window: None } };
    let compare = |column: usize, op: BinaryOp| -> Expr {
        Expr {
            kind: ExprKind::Binary {
                op,
                left: Box::new(Expr::column(column, count_ty.clone())),
                right: Box::new(Expr::literal(Value::Int(0), SqlType::not_null(DataType::BigInt))),
            },
            ty: SqlType::nullable(DataType::Boolean),
        }
    };
    if all {
        return Ok(replicate(counted, n, intersect));
    }
    let right_test = compare(n + 1, if intersect { BinaryOp::Gt } else { BinaryOp::Eq });
    let predicate = Expr {
        kind: ExprKind::Binary { op: BinaryOp::And, left: Box::new(compare(n, BinaryOp::Gt)), right: Box::new(right_test) },
        ty: SqlType::nullable(DataType::Boolean),
    };
    let filtered = Plan { schema: counted.schema.clone(), node: Node::Filter { input: Box::new(counted), predicate } };
    let exprs = fields[..n].iter().enumerate().map(|(i, f)| Expr::column(i, f.ty.clone())).collect();
    Ok(project(filtered, exprs, fields[..n].to_vec()))
}

/// The end of INTERSECT ALL / EXCEPT ALL over `counted` (`n` columns, then the left's and the
/// right's counts): each row's number of copies, rows with none dropped, the rest replicated.
fn replicate(counted: Plan, n: usize, intersect: bool) -> Plan {
    use crate::types::Value;
    let count_ty = SqlType::nullable(DataType::BigInt);
    let column = |i: usize| Expr::column(i, count_ty.clone());
    let binary = |op: BinaryOp, left: Expr, right: Expr, ty: SqlType| Expr {
        kind: ExprKind::Binary { op, left: Box::new(left), right: Box::new(right) },
        ty,
    };
    let copies = if intersect {
        // IF(left > right, right, left), as Flink's Calc writes it.
        let test = binary(BinaryOp::Gt, column(n), column(n + 1), SqlType::nullable(DataType::Boolean));
        Expr { kind: ExprKind::Case { whens: vec![(test, column(n + 1))], otherwise: Some(Box::new(column(n))) }, ty: count_ty.clone() }
    } else {
        binary(BinaryOp::Subtract, column(n), column(n + 1), count_ty.clone())
    };
    let mut fields = counted.schema.fields[..n].to_vec();
    let mut exprs: Vec<Expr> = fields.iter().enumerate().map(|(i, f)| Expr::column(i, f.ty.clone())).collect();
    exprs.push(copies);
    fields.push(SchemaField { name: "$copies".into(), ty: count_ty.clone(), qualifier: None });
    let counts = project(counted, exprs, fields.clone());
    let zero = Expr::literal(Value::Int(0), SqlType::not_null(DataType::BigInt));
    let predicate = binary(BinaryOp::Gt, column(n), zero, SqlType::nullable(DataType::Boolean));
    let kept = Plan { schema: counts.schema.clone(), node: Node::Filter { input: Box::new(counts), predicate } };
    let unnest = logical::Unnest { arg: column(n), ordinality: false, left_outer: false, expand_rows: false, replicate: true };
    let copied = Plan { schema: kept.schema.clone(), node: Node::Correlate { input: Box::new(kept), unnest } };
    let exprs = fields[..n].iter().enumerate().map(|(i, f)| Expr::column(i, f.ty.clone())).collect();
    project(copied, exprs, fields[..n].to_vec())
}

/// `SELECT DISTINCT …`: as Flink plans it, a group aggregate keyed by every selected column
/// and computing nothing; its result is an updating table (a new row is inserted once; rows
/// of an updating input are deleted when their last copy is retracted).
fn distinct(input: Plan) -> Plan {
    let fields: Vec<SchemaField> = input.schema.fields.iter().map(|f| SchemaField { ty: f.ty.plain(), ..f.clone() }).collect();
    let keys = fields.len();
    Plan { schema: Schema { fields }, node: Node::Aggregate { input: Box::new(input), keys, aggs: Vec::new(), window: None } }
}

fn project(input: Plan, exprs: Vec<Expr>, fields: Vec<SchemaField>) -> Plan {
    // A projection that passes its input through unchanged is dropped.
    let identity = exprs.len() == input.schema.len() && exprs.iter().enumerate().all(|(i, e)| e.as_column() == Some(i));
    if identity {
        return Plan { schema: Schema { fields }, node: input.node };
    }
    Plan { schema: Schema { fields }, node: Node::Project { input: Box::new(input), exprs } }
}

fn with_qualifier(mut plan: Plan, qualifier: &str) -> Plan {
    for f in &mut plan.schema.fields {
        f.qualifier = Some(qualifier.to_string());
    }
    plan
}

fn rename(mut plan: Plan, columns: &[String], qualifier: Option<&str>) -> Result<Plan> {
    if !columns.is_empty() {
        if columns.len() != plan.schema.len() {
            return Err(SqlError::new(format!("{} column names given for {} columns", columns.len(), plan.schema.len())));
        }
        for (f, n) in plan.schema.fields.iter_mut().zip(columns) {
            f.name = n.clone();
        }
    }
    Ok(match qualifier {
        Some(q) => with_qualifier(plan, q),
        None => plan,
    })
}

fn reads_beyond(e: &Expr, columns: usize) -> bool {
    let mut beyond = false;
    e.visit_columns(&mut |i| beyond |= i >= columns);
    beyond
}

/// Calcite's names for a SELECT list's columns: a name taken by an earlier column gets the first
/// free suffix 0, 1, … (`SELECT *` over a join with `id` on both sides: `id`, `id0`), so every
/// column of Flink's result has a name of its own.
fn unique_names(fields: &mut [SchemaField]) {
    let mut used: std::collections::HashSet<String> = std::collections::HashSet::with_capacity(fields.len());
    for f in fields.iter_mut() {
        if !used.contains(&f.name) {
            used.insert(f.name.clone());
            continue;
        }
        if let Some(free) = (0..=used.len()).map(|j| format!("{}{j}", f.name)).find(|n| !used.contains(n)) {
            f.name = free;
        }
        used.insert(f.name.clone());
    }
}

/// Flink's name for a SELECT item without an alias: the column's name, or `EXPR$n`.
fn column_name(e: &ast::Expr, position: usize) -> String {
    match e {
        ast::Expr::Identifier(i) => i.value.clone(),
        ast::Expr::CompoundIdentifier(parts) => parts.last().map_or_else(String::new, |i| i.value.clone()),
        _ => format!("EXPR${position}"),
    }
}

fn key_name(k: &Expr, scope: &[SchemaField], i: usize) -> String {
    match k.kind {
        ExprKind::Column(c) => scope[c].name.clone(),
        _ => format!("$k{i}"),
    }
}

/// A view's columns, for the catalog.
pub fn plan_view(catalog: &Catalog, name: &str, query: &ast::Query, aliases: &[ast::Ident], comment: Option<String>) -> Result<ViewDef> {
    let plan = Planner::new(catalog).plan_subquery(query)?;
    let aliases: Vec<String> = aliases.iter().map(|a| a.value.clone()).collect();
    if !aliases.is_empty() && aliases.len() != plan.schema.fields.len() {
        // Flink 2.3's words.
        let names: Vec<&str> = plan.schema.fields.iter().map(|f| f.name.as_str()).collect();
        return Err(SqlError::new(format!(
            "VIEW definition and input fields not match:\n\tDef fields: [{}].\n\tInput fields: [{}].",
            aliases.join(", "),
            names.join(", ")
        )));
    }
    let plan = rename(plan, &aliases, None)?;
    Ok(ViewDef {
        name: name.to_string(),
        query: Box::new(query.clone()),
        columns: plan.schema.fields.iter().map(|f| (f.name.clone(), f.ty.clone())).collect(),
        aliases,
        comment,
    })
}

/// A view's query's columns named as the view names them (`CREATE VIEW v (a, b) AS …`).
/// The types of a plan's output, for sinks and result headers.
pub fn output_types(plan: &Plan) -> Vec<SqlType> {
    plan.schema.types()
}

/// A part of a SELECT that sqlparser reads for another dialect and Flink 2.3's parser refuses
/// (PyFlink: "SQL parse failed. Encountered …"): refused here rather than ignored.
fn foreign_select_part(select: &ast::Select) -> Option<(&'static str, Option<&'static str>)> {
    if select.top.is_some() {
        Some(("SELECT TOP n", Some("write LIMIT n")))
    } else if !select.lateral_views.is_empty() {
        Some(("LATERAL VIEW", Some("write CROSS JOIN UNNEST(…) or LATERAL TABLE(…)")))
    } else if select.prewhere.is_some() {
        Some(("PREWHERE", None))
    } else if !select.connect_by.is_empty() {
        Some(("CONNECT BY", None))
    } else if !select.cluster_by.is_empty() {
        Some(("CLUSTER BY", None))
    } else if !select.distribute_by.is_empty() {
        Some(("DISTRIBUTE BY", None))
    } else if !select.sort_by.is_empty() {
        Some(("SORT BY", Some("write ORDER BY")))
    } else if select.value_table_mode.is_some() {
        Some(("SELECT AS STRUCT / AS VALUE", None))
    } else {
        None
    }
}
