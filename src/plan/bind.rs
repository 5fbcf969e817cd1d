//! Binding: sqlparser expressions → typed [`Expr`]s over a scope of named columns.
//!
//! One [`Binder`] serves plain expressions (WHERE, projections without aggregates) and, with an
//! [`AggContext`], expressions above an aggregate: there an aggregate call becomes a reference
//! to its result column, an expression equal to a GROUP BY key becomes a reference to the key,
//! and window properties (`HOP_ROWTIME(…)`, `window_start`) become references to the window's
//! columns. Implicit casts are inserted here, so the engine only ever combines equal types.

use sqlparser::ast::{self, BinaryOperator, UnaryOperator};
use sqlparser::tokenizer::Span;

use super::catalog::Catalog;
use super::expr::{BinaryOp, Expr, ExprKind, Function};
use super::functions;
use super::logical::{AggFunc, OverFrame, Percentages, RankFunction, SchemaField, WindowSpec};
use crate::sql::{parse_type_text, Location, SqlError};
use crate::types::decimal;
use crate::types::{DataType, SqlType, Value};

type Result<T> = std::result::Result<T, SqlError>;

/// Offsets that keep aggregate and window references apart from key references until the
/// aggregate's final layout is known (see [`AggContext::finish`]).
const AGG_BASE: usize = 1 << 20;
const WINDOW_BASE: usize = 1 << 21;
/// Offset of OVER aggregate references until the OVER node's layout is known.
const OVER_BASE: usize = 1 << 22;

pub fn location(span: Span) -> Location {
    Location { line: span.start.line as u32, column: span.start.column as u32 }
}

fn at(expr: &ast::Expr) -> Location {
    use sqlparser::ast::Spanned;
    location(expr.span())
}

/// Grouping state while binding the SELECT list and HAVING of an aggregating query.
pub struct AggContext {
    /// GROUP BY keys (without the window), bound over the input scope.
    pub keys: Vec<Expr>,
    /// Aggregate calls, with arguments bound over the input scope.
    pub calls: Vec<BoundAgg>,
    pub window: Option<WindowBinding>,
    /// `GROUPING SETS`, `ROLLUP`, `CUBE`: the sets over `keys`, whose expand id `$e` is the
    /// aggregate's key after them.
    pub grouping: Option<super::grouping::GroupingSets>,
}

/// An aggregate call found while binding: function, argument, DISTINCT, result type.
#[derive(Clone, Debug, PartialEq)]
pub struct BoundAgg {
    pub func: AggFunc,
    pub arg: Option<Expr>,
    pub distinct: bool,
    pub ty: SqlType,
    /// LISTAGG's separator.
    pub separator: Option<String>,
    /// `FILTER (WHERE c)` as `c IS TRUE`, bound over the input scope.
    pub filter: Option<Expr>,
    /// LAG's default value, bound over the input scope.
    pub default: Option<Expr>,
}

/// How window properties are referred to in the query.
pub struct WindowBinding {
    pub spec: WindowSpec,
    /// Legacy group window: the function name (`HOP`) and its arguments' text, which
    /// `HOP_START(…)` and friends must repeat.
    pub legacy: Option<(String, Vec<String>)>,
    /// Window table function: the scope positions of window_start, window_end, window_time.
    pub tvf_columns: Option<[usize; 3]>,
    /// Over processing time (`PROCTIME()`) rather than event time.
    pub proctime: bool,
}

impl AggContext {
    /// The output schema's types: keys, aggregate results, then the window columns.
    pub fn output_types(&self) -> Vec<SqlType> {
        let mut types: Vec<SqlType> = self.keys.iter().map(|k| k.ty.plain()).collect();
        types.extend(self.calls.iter().map(|c| c.ty.clone()));
        if self.window.is_some() {
            let w = self.window.as_ref();
            types.extend(window_types(w.is_some_and(|w| w.legacy.is_some()), w.is_some_and(|w| w.proctime)));
        }
        types
    }

    /// Moves aggregate and window references to their final positions.
    pub fn finish(&self, expr: &Expr) -> Expr {
        let (keys, aggs) = (self.keys.len(), self.calls.len());
        expr.remap_columns(&|i| {
            if i >= WINDOW_BASE {
                keys + aggs + (i - WINDOW_BASE)
            } else if i >= AGG_BASE {
                keys + (i - AGG_BASE)
            } else {
                i
            }
        })
    }
}

/// window_start, window_end, window_time. Legacy `*_ROWTIME` is nullable, as Flink types it;
/// a processing-time window's time is `TIMESTAMP_LTZ(3) *PROCTIME*`.
pub fn window_types(legacy: bool, proctime: bool) -> [SqlType; 3] {
    let time = if proctime {
        SqlType { data_type: DataType::TimestampLtz(3), nullable: false, rowtime: false, proctime: true }
    } else {
        SqlType::nullable(DataType::Timestamp(3)).with_nullable(legacy).as_rowtime()
    };
    [SqlType::not_null(DataType::Timestamp(3)), SqlType::not_null(DataType::Timestamp(3)), time]
}

/// OVER calls found while binding a SELECT list: the aggregates and the one window they share.
#[derive(Default)]
pub struct OverContext {
    /// The query's `WINDOW name AS (…)` definitions.
    pub named: Vec<ast::NamedWindowDefinition>,
    pub calls: Vec<BoundAgg>,
    pub window: Option<BoundOverWindow>,
}

/// An OVER window with its partition keys bound over the input scope.
#[derive(Clone, Debug, PartialEq)]
pub struct BoundOverWindow {
    pub partition: Vec<Expr>,
    pub time_column: usize,
    pub frame: OverFrame,
}

impl OverContext {
    /// Moves OVER references to their final positions: the aggregates follow `columns` inputs.
    pub fn finish(&self, expr: &Expr, columns: usize) -> Expr {
        expr.remap_columns(&|i| if i >= OVER_BASE { columns + (i - OVER_BASE) } else { i })
    }
}

pub struct Binder<'a> {
    pub scope: &'a [SchemaField],
    pub agg: Option<&'a mut AggContext>,
    pub over: Option<&'a mut OverContext>,
    /// The catalog whose user-defined functions calls may name (after the built-ins, see
    /// `functions/user.rs`); `None` where only built-ins may be called.
    pub catalog: Option<&'a Catalog>,
}

impl<'a> Binder<'a> {
    pub fn new(scope: &'a [SchemaField]) -> Self {
        Binder { scope, agg: None, over: None, catalog: None }
    }

    pub fn with_aggregates(scope: &'a [SchemaField], agg: &'a mut AggContext) -> Self {
        Binder { scope, agg: Some(agg), over: None, catalog: None }
    }

    /// A binder for a SELECT list whose aggregates are OVER aggregates.
    pub fn with_over(scope: &'a [SchemaField], over: &'a mut OverContext) -> Self {
        Binder { scope, agg: None, over: Some(over), catalog: None }
    }

    /// Lets calls name the user-defined functions of `catalog`.
    pub fn with_catalog(mut self, catalog: &'a Catalog) -> Self {
        self.catalog = Some(catalog);
        self
    }

    /// Lets calls name the user-defined functions of `catalog`, if there is one.
    pub fn with_catalog_opt(mut self, catalog: Option<&'a Catalog>) -> Self {
        self.catalog = catalog;
        self
    }

    /// A plain binder over `scope` that sees the same user-defined functions as this one.
    fn plain(&self, scope: &'a [SchemaField]) -> Binder<'a> {
        Binder { scope, agg: None, over: None, catalog: self.catalog }
    }

    pub fn bind(&mut self, e: &ast::Expr) -> Result<Expr> {
        if self.agg.is_some() {
            if let Some(bound) = self.bind_above_aggregate(e)? {
                return Ok(bound);
            }
        }
        self.bind_plain(e).map_err(|err| err.or_at(at(e)))
    }

    /// Binds a boolean condition (WHERE, HAVING).
    pub fn bind_predicate(&mut self, e: &ast::Expr, clause: &str) -> Result<Expr> {
        let bound = self.bind(e)?;
        if !matches!(bound.ty.data_type, DataType::Boolean | DataType::Null) {
            return Err(SqlError::new(format!("{clause} must be a boolean condition, not {}", bound.ty)).at(at(e)));
        }
        Ok(bound)
    }

    /// `[NOT] LIKE` and `[NOT] SIMILAR TO`, each with an optional `ESCAPE`: strings in, a
    /// boolean out, NULL when any operand is NULL. Patterns are checked when they are matched
    /// (`engine::like`, `engine::similar`), as Flink's generated code does.
    fn bind_like(
        &mut self,
        e: &ast::Expr,
        expr: &ast::Expr,
        pattern: &ast::Expr,
        escape: Option<&ast::Expr>,
        negated: bool,
        similar: bool,
    ) -> Result<Expr> {
        let (arg, pat) = (self.bind(expr)?, self.bind(pattern)?);
        let escape = escape.map(|x| self.bind(x)).transpose()?;
        let op = if similar { "SIMILAR TO" } else { "LIKE" };
        for side in [Some(&arg), Some(&pat), escape.as_ref()].into_iter().flatten() {
            if !side.ty.data_type.is_string() && side.ty.data_type != DataType::Null {
                return Err(SqlError::new(format!("{op} needs strings, not {}", side.ty)).at(at(e)));
            }
        }
        let nullable = arg.ty.nullable || pat.ty.nullable || escape.as_ref().is_some_and(|x| x.ty.nullable);
        Ok(Expr {
            kind: ExprKind::Like { arg: Box::new(arg), pattern: Box::new(pat), escape: escape.map(Box::new), negated, similar },
            ty: SqlType::nullable(DataType::Boolean).with_nullable(nullable),
        })
    }

    fn bind_above_aggregate(&mut self, e: &ast::Expr) -> Result<Option<Expr>> {
        // An aggregate call.
        if let ast::Expr::Function(f) = e {
            let name = function_name(f);
            if matches!(name.as_str(), "GROUPING" | "GROUPING_ID" | "GROUP_ID") {
                return self.bind_grouping(e, f, &name).map(Some);
            }
            if let Some(func) = aggregate_function(&name) {
                return self.bind_aggregate_call(e, f, func).map(Some);
            }
            if let Some(prop) = self.window_property(&name, f, e)? {
                return Ok(Some(prop));
            }
        }
        // An expression equal to a GROUP BY key (or a window column of a window TVF).
        let scope = self.scope;
        if let Ok(plain) = self.plain(scope).bind_plain(e) {
            let agg = self.agg.as_ref().expect("called only with an aggregate context");
            if let Some(i) = agg.keys.iter().position(|k| *k == plain) {
                let nullable = agg.grouping.as_ref().is_some_and(|g| g.nullable(i));
                return Ok(Some(Expr::column(i, plain.ty.plain().with_nullable(plain.ty.nullable || nullable))));
            }
            if let (Some(col), Some(w)) = (plain.as_column(), &agg.window) {
                if let Some(pos) = w.tvf_columns.and_then(|cols| cols.iter().position(|&c| c == col)) {
                    let ty = window_types(false, w.proctime)[pos].clone();
                    return Ok(Some(Expr::column(WINDOW_BASE + pos, ty)));
                }
            }
            if matches!(e, ast::Expr::Identifier(_) | ast::Expr::CompoundIdentifier(_)) {
                return Err(SqlError::new(format!("expression `{e}` is not being grouped"))
                    .at(at(e))
                    .hint("add it to GROUP BY, or aggregate it (e.g. MAX(…))"));
            }
        }
        Ok(None)
    }

    /// `GROUPING(k, …)`, `GROUPING_ID(k, …)`: which of the grouped expressions `k` the row's
    /// grouping set leaves out, as bits; `GROUP_ID()`: which copy of a repeated grouping set
    /// (0 for the first). `BIGINT NOT NULL`, as Flink types them.
    fn bind_grouping(&mut self, e: &ast::Expr, f: &ast::Function, name: &str) -> Result<Expr> {
        let (args, _) = function_args(f)?;
        let zero = Expr::literal(Value::Int(0), SqlType::not_null(DataType::BigInt));
        if name == "GROUP_ID" {
            if !args.is_empty() {
                return Err(SqlError::new("GROUP_ID takes no arguments: GROUP_ID()").at(at(e)));
            }
            let agg = self.agg.as_ref().expect("called only with an aggregate context");
            return Ok(agg.grouping.as_ref().map_or(zero, |sets| sets.group_id(agg.keys.len())));
        }
        if args.is_empty() {
            return Err(SqlError::new(format!("{name} needs at least one grouped expression, e.g. {name}(status)")).at(at(e)));
        }
        if args.len() > super::grouping::MAX_GROUPING_KEYS {
            return Err(SqlError::new(format!("{name} takes at most {} arguments", super::grouping::MAX_GROUPING_KEYS)).at(at(e)));
        }
        let scope = self.scope;
        let agg = self.agg.as_ref().expect("called only with an aggregate context");
        let mut keys = Vec::new();
        for a in &args {
            let FnArg::Expr(a) = a else {
                return Err(SqlError::new(format!("{name} takes grouped expressions, not *")).at(at(e)));
            };
            let plain = self.plain(scope).bind_plain(a)?;
            let Some(k) = agg.keys.iter().position(|k| *k == plain) else {
                return Err(SqlError::new(format!("Argument to {name} operator must be a grouped expression"))
                    .at(at(a))
                    .hint("pass an expression of the GROUP BY clause"));
            };
            keys.push(k);
        }
        Ok(match &agg.grouping {
            Some(sets) => sets.grouping(&keys, agg.keys.len()),
            None => zero,
        })
    }

    fn bind_aggregate_call(&mut self, e: &ast::Expr, f: &ast::Function, func: AggFunc) -> Result<Expr> {
        if matches!(func, AggFunc::Lag { .. }) {
            return Err(SqlError::new("OVER clause is necessary for window functions")
                .at(at(e))
                .hint("LAG(x) OVER (PARTITION BY k ORDER BY event_time)"));
        }
        if f.over.is_some() {
            return Err(SqlError::new("OVER aggregates cannot be mixed with GROUP BY or plain aggregates in one SELECT")
                .at(at(e))
                .hint("compute the OVER aggregates in a subquery and aggregate its result in an outer query"));
        }
        let key = self.bound_aggregate(e, f, func)?;
        let ty = key.ty.clone();
        let agg = self.agg.as_mut().expect("called only with an aggregate context");
        let index = match agg.calls.iter().position(|c| *c == key) {
            Some(i) => i,
            None => {
                agg.calls.push(key);
                agg.calls.len() - 1
            }
        };
        Ok(Expr::column(AGG_BASE + index, ty))
    }

    /// An aggregate call's function, argument, DISTINCT and result type.
    pub fn bound_aggregate(&self, e: &ast::Expr, f: &ast::Function, func: AggFunc) -> Result<BoundAgg> {
        if !f.within_group.is_empty() {
            return Err(SqlError::new("WITHIN GROUP is not supported").at(at(e)));
        }
        let (args, distinct) = function_args(f)?;
        if let AggFunc::Lag { .. } = func {
            return self.bound_lag(e, &args);
        }
        let mut separator = None;
        let func = match func {
            AggFunc::ArrayAgg { .. } => AggFunc::ArrayAgg { ignore_nulls: ignores_nulls(f) },
            func => func,
        };
        let (func, arg) = match (func, args.as_slice()) {
            (AggFunc::Count, [FnArg::Star] | []) if !distinct => (AggFunc::CountStar, None),
            (AggFunc::Ranking(_), []) if !distinct => (func, None),
            (AggFunc::Ranking(r), _) => return Err(SqlError::new(format!("{}() takes no arguments", r.name())).at(at(e))),
            (AggFunc::ListAgg, [FnArg::Expr(a), FnArg::Expr(sep)]) => {
                separator = Some(listagg_separator(sep)?);
                (func, Some(self.bind_aggregate_arg(a)?))
            }
            // The parser's fixed shape (`sql/json.rs`): the ON NULL behaviour, then JSON_STRING(v).
            (AggFunc::JsonArrayAgg { .. }, [FnArg::Expr(behaviour), FnArg::Expr(a)]) => {
                let absent_on_null = behaviour.to_string() != "'NULL'";
                (AggFunc::JsonArrayAgg { absent_on_null }, Some(self.bind_aggregate_arg(a)?))
            }
            (AggFunc::JsonObjectAgg { .. }, [FnArg::Expr(behaviour), FnArg::Expr(a)]) => {
                let absent_on_null = behaviour.to_string() == "'ABSENT'";
                (AggFunc::JsonObjectAgg { absent_on_null }, Some(self.bind_aggregate_arg(a)?))
            }
            (AggFunc::Percentile { .. }, [FnArg::Expr(a), FnArg::Expr(p)]) => {
                let percentages = percentile_percentages(p).map_err(|m| SqlError::new(m).at(at(e)))?;
                (AggFunc::Percentile { percentages }, Some(self.bind_aggregate_arg(a)?))
            }
            (AggFunc::Percentile { .. }, [FnArg::Expr(a), FnArg::Expr(p), FnArg::Expr(frequency)]) => {
                let percentages = percentile_percentages(p).map_err(|m| SqlError::new(m).at(at(e)))?;
                let (a, frequency) = (self.bind_aggregate_arg(a)?, self.bind_aggregate_arg(frequency)?);
                if !matches!(
                    frequency.ty.data_type,
                    DataType::TinyInt | DataType::SmallInt | DataType::Int | DataType::BigInt | DataType::Null
                ) {
                    return Err(SqlError::new(format!("PERCENTILE's frequency must be an integer, not {}", frequency.ty)).at(at(e)));
                }
                // One argument for the accumulator: each value with its frequency.
                let row = functions::lookup("ROW").ok_or_else(|| SqlError::new("ROW is missing from the function table"))?;
                let pair = functions::bind_call(row, vec![a, frequency]).map_err(|m| SqlError::new(m).at(at(e)))?;
                (AggFunc::Percentile { percentages }, Some(pair))
            }
            (AggFunc::Percentile { .. }, _) => {
                return Err(SqlError::new("PERCENTILE takes a value and a percentage literal, e.g. PERCENTILE(temperature, 0.9)").at(at(e)))
            }
            (_, [FnArg::Expr(a)]) => (func, Some(self.bind_aggregate_arg(a)?)),
            (AggFunc::ListAgg, _) => {
                return Err(SqlError::new("LISTAGG takes a value and an optional separator literal, e.g. LISTAGG(status, ';')").at(at(e)))
            }
            _ => return Err(SqlError::new(format!("{} takes one argument", function_name(f))).at(at(e))),
        };
        let ty = aggregate_type(func, arg.as_ref().map(|a| &a.ty)).map_err(|m| SqlError::new(m).at(at(e)))?;
        let filter = match &f.filter {
            Some(condition) => {
                let bound = self.plain(self.scope).bind_predicate(condition, "FILTER")?;
                let ty = SqlType::not_null(DataType::Boolean);
                Some(Expr { kind: ExprKind::IsBool { arg: Box::new(bound), value: true, negated: false }, ty })
            }
            None => None,
        };
        Ok(BoundAgg { func, arg, distinct, ty, separator, filter, default: None })
    }

    /// `LAG(value[, offset[, default]])`, typed as Flink's `LagAggFunction`: the value's type,
    /// NOT NULL only when the value and a default are; the default must be of the value's kind.
    fn bound_lag(&self, e: &ast::Expr, args: &[FnArg]) -> Result<BoundAgg> {
        let usage = || SqlError::new("LAG takes a value, an optional offset literal and an optional default, e.g. LAG(x, 1, 0)").at(at(e));
        let exprs: Vec<&ast::Expr> =
            args.iter().map(|a| if let FnArg::Expr(x) = a { Ok(&**x) } else { Err(usage()) }).collect::<Result<_>>()?;
        let (value, offset, default) = match exprs.as_slice() {
            [v] => (*v, None, None),
            [v, o] => (*v, Some(*o), None),
            [v, o, d] => (*v, Some(*o), Some(*d)),
            _ => return Err(usage()),
        };
        let arg = self.bind_aggregate_arg(value)?;
        let offset_ty = SqlType::not_null(DataType::Int);
        let offset = match offset {
            None => 1,
            Some(o) => match self.bind_aggregate_arg(o)?.kind {
                ExprKind::Literal(Value::Int(n)) if (0..=i64::from(i32::MAX)).contains(&n) => n as u32,
                ExprKind::Literal(Value::Int(n)) => return Err(SqlError::new(format!("Offset({n}) should be positive.")).at(at(o))),
                _ => return Err(SqlError::new("LAG's offset must be an integer literal").at(at(o))),
            },
        };
        let default = default.map(|d| self.bind_aggregate_arg(d)).transpose()?;
        if let Some(d) = default.as_ref().filter(|d| d.ty.data_type != DataType::Null) {
            // Flink compares the Java classes the two types convert to.
            let class = |t: &DataType| match t {
                DataType::Char(_) | DataType::Varchar(_) => std::mem::discriminant(&DataType::Varchar(0)),
                DataType::Decimal { .. } => std::mem::discriminant(&DataType::Decimal { precision: 0, scale: 0 }),
                DataType::Timestamp(_) => std::mem::discriminant(&DataType::Timestamp(0)),
                other => std::mem::discriminant(other),
            };
            if class(&d.ty.data_type) != class(&arg.ty.data_type) {
                return Err(SqlError::new(format!("Please explicitly cast default value {} to {offset_ty}.", d.ty))
                    .at(at(e))
                    .hint(format!("CAST the default AS {}", arg.ty.data_type)));
            }
        }
        // Stored as the value's type (a CHAR default for a VARCHAR value, another DECIMAL scale).
        let default = default.map(|d| match d.ty.data_type == arg.ty.data_type {
            true => d,
            false => {
                let ty = arg.ty.plain().with_nullable(d.ty.nullable);
                Expr { kind: ExprKind::Cast { arg: Box::new(d), try_cast: false }, ty }
            }
        });
        // Calcite's LEAD/LAG type: NOT NULL exactly when a NOT NULL default is given (even
        // when the value itself may be NULL).
        let not_null = default.as_ref().is_some_and(|d| !d.ty.nullable);
        let ty = arg.ty.plain().with_nullable(!not_null);
        Ok(BoundAgg {
            func: AggFunc::Lag { offset, default: None },
            arg: Some(arg),
            distinct: false,
            ty,
            separator: None,
            filter: None,
            default,
        })
    }

    /// `agg(…) OVER w`: registers the aggregate and checks its window against the query's one.
    fn bind_over_call(&mut self, f: &ast::Function, e: &ast::Expr) -> Result<Expr> {
        let name = function_name(f);
        // A ranking beside other OVER calls (or inside an expression) is one more OVER aggregate,
        // as Flink plans it; alone as a SELECT item it is planned as a ranking (`rank.rs`).
        let ranking = match name.as_str() {
            "ROW_NUMBER" => Some(RankFunction::RowNumber),
            "RANK" => Some(RankFunction::Rank),
            "DENSE_RANK" => Some(RankFunction::DenseRank),
            _ => None,
        };
        let Some(func) = ranking.map(AggFunc::Ranking).or_else(|| aggregate_function(&name)) else {
            return Err(match name.as_str() {
                "LEAD" | "CUME_DIST" | "PERCENT_RANK" | "NTILE" => {
                    SqlError::new(format!("{name} Function is not supported in stream mode.")).at(at(e)).hint(match name.as_str() {
                        "LEAD" => {
                            "LAG(x) OVER (PARTITION BY k ORDER BY event_time) looks back; a later row is not known when a row is emitted"
                        }
                        _ => "Flink runs no distribution function over a stream",
                    })
                }
                _ => SqlError::new(format!("`{name}` is not an aggregate function, so it cannot be used with OVER"))
                    .at(at(e))
                    .hint("OVER windows compute COUNT, SUM, AVG, MIN, MAX, … per row"),
            });
        };
        if f.filter.is_some() {
            // Calcite reads `agg(…) FILTER (…) OVER w` as OVER applied to a filtered call.
            return Err(SqlError::new("OVER must be applied to aggregate function")
                .at(at(e))
                .hint("Flink takes no FILTER (WHERE …) in an OVER aggregate: use CASE WHEN … THEN x END as its argument"));
        }
        let Some(over) = &f.over else { unreachable!("bind_over_call is only called for OVER calls") };
        let over_ctx = self.over.as_ref().expect("called only with an OVER context");
        let spec = resolve_window(over, &over_ctx.named, at(e))?;
        if matches!(func, AggFunc::Lag { .. } | AggFunc::Ranking(_)) && spec.window_frame.is_some() {
            // Calcite's check for ranking functions, which LAG is to it.
            return Err(SqlError::new("ROW/RANGE not allowed with RANK, DENSE_RANK or ROW_NUMBER functions").at(at(e)).hint(
                if ranking.is_some() {
                    "leave out the frame: a ranking counts the rows up to the current one"
                } else {
                    "LAG reads the partition's earlier rows: leave out the frame, OVER (PARTITION BY k ORDER BY event_time)"
                },
            ));
        }
        let mut window = self.bind_over_window(&spec, e)?;
        if ranking == Some(RankFunction::RowNumber) {
            // Calcite frames ROW_NUMBER by ROWS; the others keep the default RANGE.
            window.frame = OverFrame::Rows { preceding: None };
        }
        let call = self.bound_aggregate(e, f, func)?;
        let ty = call.ty.clone();
        let over_ctx = self.over.as_mut().expect("called only with an OVER context");
        match &over_ctx.window {
            Some(w) if *w != window => {
                return Err(SqlError::new("all OVER aggregates of a SELECT must be computed on the same window")
                    .at(at(e))
                    .hint("Flink runs one OVER window per SELECT: define it once with WINDOW w AS (…) and use OVER w everywhere, or compute the other window in a separate query"))
            }
            Some(_) => {}
            None => over_ctx.window = Some(window),
        }
        let index = match over_ctx.calls.iter().position(|c| *c == call) {
            Some(i) => i,
            None => {
                over_ctx.calls.push(call);
                over_ctx.calls.len() - 1
            }
        };
        Ok(Expr::column(OVER_BASE + index, ty))
    }

    /// Checks a window the way Flink's streaming planner does: ordered ascending by one
    /// event-time attribute, ending at the current row.
    fn bind_over_window(&self, spec: &ast::WindowSpec, e: &ast::Expr) -> Result<BoundOverWindow> {
        let streaming_form = "e.g. OVER (PARTITION BY k ORDER BY event_time ROWS BETWEEN 9 PRECEDING AND CURRENT ROW) or RANGE BETWEEN INTERVAL '1' MINUTE PRECEDING AND CURRENT ROW";
        let mut partition = Vec::new();
        for p in &spec.partition_by {
            partition.push(self.plain(self.scope).bind(p)?);
        }
        let order = match spec.order_by.as_slice() {
            [] => {
                return Err(SqlError::new(
                    "OVER windows' ordering in stream mode must be defined on a time attribute, but this window has no ORDER BY",
                )
                .at(at(e))
                .hint(streaming_form))
            }
            [one] => one,
            [_, second, ..] => {
                return Err(SqlError::new("an OVER window can only be ordered by a single time column")
                    .at(at(&second.expr))
                    .hint(streaming_form))
            }
        };
        if let Some(ast::OrderBySort::Desc | ast::OrderBySort::Using(_)) = &order.options.sort {
            return Err(SqlError::new("an OVER window can only be ordered in ASCENDING mode in streaming queries")
                .at(at(&order.expr))
                .hint(
                "rows are aggregated in event-time order; remove DESC (for the top rows by a value, use a Top-N query with ROW_NUMBER())",
            ));
        }
        let time = self.plain(self.scope).bind(&order.expr)?;
        let time_column = match time.as_column() {
            Some(i) if time.ty.rowtime || time.ty.proctime => i,
            _ => {
                return Err(SqlError::new(format!(
                    "OVER windows' ordering in stream mode must be defined on a time attribute, but `{}` is {}",
                    order.expr, time.ty
                ))
                .at(at(&order.expr))
                .hint("order by the table's rowtime column, the one declared with WATERMARK FOR"))
            }
        };
        let frame = match &spec.window_frame {
            // Flink's default frame with ORDER BY: RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW.
            None => OverFrame::Range { preceding: None },
            Some(frame) => self.bind_frame(frame, e, streaming_form)?,
        };
        Ok(BoundOverWindow { partition, time_column, frame })
    }

    fn bind_frame(&self, frame: &ast::WindowFrame, e: &ast::Expr, streaming_form: &str) -> Result<OverFrame> {
        use ast::WindowFrameBound as B;
        let bound_at = |b: &B| match b {
            B::Preceding(Some(x)) | B::Following(Some(x)) => at(x),
            _ => at(e),
        };
        match &frame.end_bound {
            None | Some(B::CurrentRow) => {}
            Some(b @ B::Following(_)) => {
                return Err(SqlError::new(
                    "OVER windows with a FOLLOWING bound are not supported in streaming queries: a row's result cannot wait for later rows",
                )
                .at(bound_at(b))
                .hint(streaming_form.to_string()))
            }
            Some(b) => {
                return Err(SqlError::new("an OVER window in a streaming query must end at CURRENT ROW")
                    .at(bound_at(b))
                    .hint(streaming_form.to_string()))
            }
        }
        let rows = match frame.units {
            ast::WindowFrameUnits::Rows => true,
            ast::WindowFrameUnits::Range => false,
            ast::WindowFrameUnits::Groups => {
                return Err(SqlError::new("GROUPS frames are not supported; use ROWS or RANGE").at(at(e)).hint(streaming_form.to_string()))
            }
        };
        let preceding =
            match &frame.start_bound {
                B::CurrentRow => Some(None),
                B::Preceding(None) => None,
                B::Preceding(Some(x)) => Some(Some(x)),
                b @ B::Following(_) => return Err(SqlError::new(
                    "OVER windows with a FOLLOWING bound are not supported in streaming queries: a row's result cannot wait for later rows",
                )
                .at(bound_at(b))
                .hint(streaming_form.to_string())),
            };
        let Some(bound) = preceding else {
            return Ok(if rows { OverFrame::Rows { preceding: None } } else { OverFrame::Range { preceding: None } });
        };
        let value = match bound {
            None => None,
            Some(x) => Some((x, self.plain(self.scope).bind(x)?)),
        };
        if rows {
            let n = match &value {
                None => 0,
                Some((x, v)) => match (&v.kind, &v.ty.data_type) {
                    (ExprKind::Literal(Value::Int(n)), t) if t.is_integer() && *n >= 0 => *n as u64,
                    _ => {
                        return Err(SqlError::new(format!("ROWS needs a non-negative integer constant before PRECEDING, not `{x}`"))
                            .at(at(x))
                            .hint("e.g. ROWS BETWEEN 9 PRECEDING AND CURRENT ROW; for a time span use RANGE BETWEEN INTERVAL '1' MINUTE PRECEDING AND CURRENT ROW"))
                    }
                },
            };
            Ok(OverFrame::Rows { preceding: Some(n) })
        } else {
            let ms = match &value {
                None => 0,
                Some((x, v)) => match interval_ms(v) {
                    Some(ms) if ms >= 0 => ms,
                    _ => {
                        return Err(SqlError::new(format!("RANGE over a time attribute needs a non-negative constant interval before PRECEDING, not `{x}`"))
                            .at(at(x))
                            .hint("e.g. RANGE BETWEEN INTERVAL '1' MINUTE PRECEDING AND CURRENT ROW; to count rows use ROWS BETWEEN 9 PRECEDING AND CURRENT ROW"))
                    }
                },
            };
            Ok(OverFrame::Range { preceding: Some(ms) })
        }
    }

    fn bind_aggregate_arg(&self, a: &ast::Expr) -> Result<Expr> {
        if contains_aggregate(a) {
            return Err(SqlError::new("aggregate calls cannot be nested").at(at(a)));
        }
        self.plain(self.scope).bind(a)
    }

    /// `HOP_START(ts, …)`, `TUMBLE_ROWTIME(ts, …)`, …: a legacy window's property.
    fn window_property(&mut self, name: &str, f: &ast::Function, e: &ast::Expr) -> Result<Option<Expr>> {
        let Some((kind, prop)) = name.rsplit_once('_') else { return Ok(None) };
        let pos = match prop {
            "START" => 0,
            "END" => 1,
            "ROWTIME" | "PROCTIME" => 2,
            _ => return Ok(None),
        };
        if !matches!(kind, "HOP" | "TUMBLE" | "SESSION") {
            return Ok(None);
        }
        let agg = self.agg.as_ref().expect("called only with an aggregate context");
        let Some((window_kind, window_args)) = agg.window.as_ref().and_then(|w| w.legacy.clone()) else {
            return Err(SqlError::new(format!("{name} needs a GROUP BY {kind}(…) window")).at(at(e)));
        };
        let (args, _) = function_args(f)?;
        let texts: Vec<String> = args.iter().map(|a| normalize(&a.to_string())).collect();
        if window_kind != kind || texts != window_args {
            return Err(SqlError::new(format!(
                "{name}({}) does not match the query's window {window_kind}({})",
                texts.join(", "),
                window_args.join(", ")
            ))
            .at(at(e))
            .hint("repeat the GROUP BY window's arguments exactly"));
        }
        let proctime = agg.window.as_ref().is_some_and(|w| w.proctime);
        match (prop, proctime) {
            ("ROWTIME", true) => {
                return Err(SqlError::new(format!("{name} needs an event-time window, but this {kind} window is over processing time"))
                    .at(at(e))
                    .hint(format!("use {kind}_PROCTIME")))
            }
            ("PROCTIME", false) => {
                return Err(SqlError::new(format!("{name} needs a processing-time window, but this {kind} window is over event time"))
                    .at(at(e))
                    .hint(format!("use {kind}_ROWTIME")))
            }
            _ => {}
        }
        let ty = window_types(true, proctime)[pos].clone();
        Ok(Some(Expr::column(WINDOW_BASE + pos, ty)))
    }

    fn bind_plain(&mut self, e: &ast::Expr) -> Result<Expr> {
        use ast::Expr as E;
        match e {
            E::Identifier(ident) => self.resolve(None, ident, e),
            E::CompoundIdentifier(parts) => self.resolve_path(parts, e),
            E::Nested(inner) => self.bind(inner),
            E::Value(v) => literal(&v.value).map_err(|m| SqlError::new(m).at(at(e))),
            E::Interval(interval) => bind_interval(interval).map_err(|m| SqlError::new(m).at(at(e))),
            E::TypedString(ts) => {
                let text = match &ts.value.value {
                    ast::Value::SingleQuotedString(s) => s.clone(),
                    other => other.to_string(),
                };
                let mut ty = parse_type_text(&ts.data_type.to_string())?;
                // `TIMESTAMP '… 10:11:12.345'` has the precision its digits give, as in Flink.
                if let (DataType::Timestamp(_), ast::DataType::Timestamp(None, _)) = (&ty.data_type, &ts.data_type) {
                    let digits = text.split_once('.').map_or(0, |(_, f)| f.trim().chars().take_while(char::is_ascii_digit).count());
                    ty.data_type = DataType::Timestamp(digits.min(9) as u8);
                }
                let lit = Expr::literal(Value::Str(text.into()), SqlType::not_null(DataType::Varchar(crate::types::STRING_LENGTH)));
                cast(lit, ty.with_nullable(false), false).map_err(|m| SqlError::new(m).at(at(e)))
            }
            E::UnaryOp { op, expr } => {
                let arg = self.bind(expr)?;
                match op {
                    UnaryOperator::Not => {
                        expect_boolean(&arg, "NOT").map_err(|m| SqlError::new(m).at(at(e)))?;
                        let ty = arg.ty.plain();
                        Ok(Expr { kind: ExprKind::Not(Box::new(arg)), ty })
                    }
                    UnaryOperator::Minus => {
                        if !arg.ty.data_type.is_numeric() && arg.ty.data_type != DataType::Interval {
                            return Err(SqlError::new(format!("cannot negate {}", arg.ty)).at(at(e)));
                        }
                        let ty = arg.ty.plain();
                        Ok(Expr { kind: ExprKind::Negate(Box::new(arg)), ty })
                    }
                    UnaryOperator::Plus => Ok(arg),
                    other => Err(SqlError::new(format!("operator `{other}` is not supported")).at(at(e))),
                }
            }
            E::BinaryOp { left, op, right } => {
                if let Some(shifted) = self.bind_year_month_shift(left, op, right, e) {
                    return shifted;
                }
                let (l, r) = (self.bind(left)?, self.bind(right)?);
                let op = binary_op(op).ok_or_else(|| SqlError::new(format!("operator `{op}` is not supported")).at(at(e)))?;
                binary(op, l, r).map_err(|m| SqlError::new(m).at(at(e)))
            }
            E::IsNull(a) | E::IsNotNull(a) => {
                let arg = self.bind(a)?;
                let negated = matches!(e, E::IsNotNull(_));
                Ok(Expr { kind: ExprKind::IsNull { arg: Box::new(arg), negated }, ty: SqlType::not_null(DataType::Boolean) })
            }
            E::IsTrue(a) | E::IsNotTrue(a) | E::IsFalse(a) | E::IsNotFalse(a) => {
                let arg = self.bind(a)?;
                expect_boolean(&arg, "IS TRUE/FALSE").map_err(|m| SqlError::new(m).at(at(e)))?;
                let value = matches!(e, E::IsTrue(_) | E::IsNotTrue(_));
                let negated = matches!(e, E::IsNotTrue(_) | E::IsNotFalse(_));
                Ok(Expr { kind: ExprKind::IsBool { arg: Box::new(arg), value, negated }, ty: SqlType::not_null(DataType::Boolean) })
            }
            E::IsUnknown(a) | E::IsNotUnknown(a) => {
                let arg = self.bind(a)?;
                expect_boolean(&arg, "IS UNKNOWN").map_err(|m| SqlError::new(m).at(at(e)))?;
                let negated = matches!(e, E::IsNotUnknown(_));
                Ok(Expr { kind: ExprKind::IsNull { arg: Box::new(arg), negated }, ty: SqlType::not_null(DataType::Boolean) })
            }
            E::IsDistinctFrom(a, b) | E::IsNotDistinctFrom(a, b) => {
                let args = vec![self.bind(a)?, self.bind(b)?];
                let distinct = call(Function::of(&functions::IS_DISTINCT_FROM), args).map_err(|m| SqlError::new(m).at(at(e)))?;
                Ok(if matches!(e, E::IsNotDistinctFrom(..)) {
                    Expr { kind: ExprKind::Not(Box::new(distinct)), ty: SqlType::not_null(DataType::Boolean) }
                } else {
                    distinct
                })
            }
            E::Between { expr, negated, low, high } => {
                let v = self.bind(expr)?;
                let (lo, hi) = (self.bind(low)?, self.bind(high)?);
                let ge = binary(BinaryOp::GtEq, v.clone(), lo).map_err(|m| SqlError::new(m).at(at(e)))?;
                let le = binary(BinaryOp::LtEq, v, hi).map_err(|m| SqlError::new(m).at(at(e)))?;
                let both = binary(BinaryOp::And, ge, le).map_err(|m| SqlError::new(m).at(at(e)))?;
                Ok(if *negated {
                    let ty = both.ty.clone();
                    Expr { kind: ExprKind::Not(Box::new(both)), ty }
                } else {
                    both
                })
            }
            E::In { expr, target, negated, .. } => {
                let ast::InTarget::List(list) = target else {
                    return Err(SqlError::new("IN with a subquery is not supported yet").at(at(e)));
                };
                let arg = self.bind(expr)?;
                let mut items = Vec::with_capacity(list.len());
                let mut nullable = arg.ty.nullable;
                for item in list {
                    let bound = self.bind(item)?;
                    // Coerce each item to the argument's type through the comparison rules.
                    let cmp = binary(BinaryOp::Eq, arg.clone(), bound).map_err(|m| SqlError::new(m).at(at(item)))?;
                    let ExprKind::Binary { right, .. } = cmp.kind else { unreachable!("binary() builds a Binary") };
                    nullable |= right.ty.nullable;
                    items.push(*right);
                }
                let (arg, items) = unify_in_list(arg, items);
                Ok(Expr {
                    kind: ExprKind::InList { arg: Box::new(arg), list: items, negated: *negated },
                    ty: SqlType::nullable(DataType::Boolean).with_nullable(nullable),
                })
            }
            E::Like { negated, expr, pattern, escape_char, any: false } => {
                self.bind_like(e, expr, pattern, escape_char.as_deref(), *negated, false)
            }
            E::SimilarTo { negated, expr, pattern, escape_char } => {
                self.bind_like(e, expr, pattern, escape_char.as_deref(), *negated, true)
            }
            E::Case { operand, conditions, else_result, .. } => {
                let operand = operand.as_ref().map(|o| self.bind(o)).transpose()?;
                let mut whens = Vec::new();
                for cw in conditions {
                    let cond = match &operand {
                        // `WHEN a, b` (the dialect's tuple): `o = a OR o = b`.
                        Some(o) => {
                            let values = match &cw.condition {
                                ast::Expr::Tuple(values) => values.iter().collect(),
                                one => vec![one],
                            };
                            let mut cond: Option<Expr> = None;
                            for value in values {
                                let v = self.bind(value)?;
                                let eq = binary(BinaryOp::Eq, o.clone(), v).map_err(|m| SqlError::new(m).at(at(value)))?;
                                cond = Some(match cond {
                                    None => eq,
                                    Some(c) => binary(BinaryOp::Or, c, eq).map_err(|m| SqlError::new(m).at(at(&cw.condition)))?,
                                });
                            }
                            cond.ok_or_else(|| SqlError::new("WHEN needs a value").at(at(&cw.condition)))?
                        }
                        None => self.bind_predicate(&cw.condition, "a CASE WHEN condition")?,
                    };
                    whens.push((cond, self.bind(&cw.result)?));
                }
                let otherwise = else_result.as_ref().map(|x| self.bind(x)).transpose()?;
                let mut results: Vec<Expr> = whens.iter().map(|(_, r)| r.clone()).collect();
                if let Some(o) = &otherwise {
                    results.push(o.clone());
                }
                let ty = common_type(&results).map_err(|m| SqlError::new(m).at(at(e)))?;
                let nullable = otherwise.is_none() || results.iter().any(|r| r.ty.nullable);
                let coerce = |x: Expr| cast_if_needed(x, &ty.data_type);
                let whens = whens
                    .into_iter()
                    .map(|(c, r)| Ok((c, coerce(r)?)))
                    .collect::<std::result::Result<Vec<_>, String>>()
                    .map_err(|m| SqlError::new(m).at(at(e)))?;
                let otherwise = otherwise.map(coerce).transpose().map_err(|m| SqlError::new(m).at(at(e)))?.map(Box::new);
                Ok(Expr { kind: ExprKind::Case { whens, otherwise }, ty: SqlType::nullable(ty.data_type).with_nullable(nullable) })
            }
            E::Cast { kind: ast::CastKind::DoubleColon, .. } => {
                // PyFlink 2.3: "SQL parse failed. Encountered ":"".
                Err(SqlError::new("`x::type` is not Flink SQL").at(at(e)).hint("write CAST(x AS type)"))
            }
            E::Cast { kind, expr, data_type, .. } => {
                let arg = self.bind(expr)?;
                let target = parse_type_text(&data_type.to_string()).map_err(|err| err.or_at(at(e)))?;
                let try_cast = matches!(kind, ast::CastKind::TryCast | ast::CastKind::SafeCast);
                let nullable = arg.ty.nullable || try_cast;
                cast(arg, target.with_nullable(nullable), try_cast).map_err(|m| SqlError::new(m).at(at(e)))
            }
            E::Floor { expr, field } | E::Ceil { expr, field } => {
                let arg = self.bind(expr)?;
                let is_floor = matches!(e, E::Floor { .. });
                match field {
                    ast::CeilFloorKind::DateTimeField(f) if !matches!(f, ast::DateTimeField::NoDateTime) => {
                        if !arg.ty.data_type.is_timestamp() {
                            return Err(SqlError::new(format!("FLOOR/CEIL … TO needs a timestamp, not {}", arg.ty)).at(at(e)));
                        }
                        let unit = time_unit_ms(f).ok_or_else(|| SqlError::new(format!("unsupported unit {f}")).at(at(e)))?;
                        let ty = arg.ty.plain();
                        let func = Function::of(if is_floor { &functions::FLOOR_TIME } else { &functions::CEIL_TIME });
                        Ok(Expr {
                            kind: ExprKind::Call {
                                func,
                                args: vec![arg, Expr::literal(Value::Int(unit), SqlType::not_null(DataType::BigInt))],
                            },
                            ty,
                        })
                    }
                    _ => call(builtin(if is_floor { "FLOOR" } else { "CEIL" }), vec![arg]).map_err(|m| SqlError::new(m).at(at(e))),
                }
            }
            E::Substring { expr, substring_from, substring_for, .. } => {
                let mut args = vec![self.bind(expr)?];
                if let Some(f) = substring_from {
                    args.push(self.bind(f)?);
                }
                if let Some(f) = substring_for {
                    args.push(self.bind(f)?);
                }
                call(builtin("SUBSTRING"), args).map_err(|m| SqlError::new(m).at(at(e)))
            }
            E::Overlay { expr, overlay_what, overlay_from, overlay_for } => {
                let mut args = vec![self.bind(expr)?, self.bind(overlay_what)?, self.bind(overlay_from)?];
                if let Some(f) = overlay_for {
                    args.push(self.bind(f)?);
                }
                call(builtin("OVERLAY"), args).map_err(|m| SqlError::new(m).at(at(e)))
            }
            E::Position { expr, r#in } => {
                let args = vec![self.bind(expr)?, self.bind(r#in)?];
                call(builtin("POSITION"), args).map_err(|m| SqlError::new(m).at(at(e)))
            }
            E::Trim { expr, trim_where, trim_what, trim_characters } => {
                if trim_characters.is_some() {
                    return Err(SqlError::new("TRIM(s, chars) is not Flink syntax").at(at(e)).hint("write TRIM(BOTH 'chars' FROM s)"));
                }
                let func = builtin(match trim_where {
                    None | Some(ast::TrimWhereField::Both) => "TRIM",
                    Some(ast::TrimWhereField::Leading) => "LTRIM",
                    Some(ast::TrimWhereField::Trailing) => "RTRIM",
                });
                let mut args = vec![self.bind(expr)?];
                if let Some(what) = trim_what {
                    args.push(self.bind(what)?);
                }
                call(func, args).map_err(|m| SqlError::new(m).at(at(e)))
            }
            E::Extract { field, expr, .. } => {
                let arg = self.bind(expr)?;
                let unit = field.to_string().to_ascii_uppercase();
                extract(&unit, arg).map_err(|m| SqlError::new(m).at(at(e)))
            }
            E::Function(f) => self.bind_function(f, e),
            E::Array(array) => {
                let elements = array.elem.iter().map(|x| self.bind(x)).collect::<Result<Vec<_>>>()?;
                call(builtin("ARRAY"), elements).map_err(|m| SqlError::new(m).at(at(e)))
            }
            E::CompoundFieldAccess { root, access_chain } => self.bind_access(root, access_chain, e),
            other => Err(SqlError::new(format!("`{other}` is not supported")).at(at(e))),
        }
    }

    fn bind_function(&mut self, f: &ast::Function, e: &ast::Expr) -> Result<Expr> {
        let name = function_name(f);
        if f.over.is_some() {
            if self.over.is_some() {
                return self.bind_over_call(f, e);
            }
            return Err(SqlError::new(format!("{name}(…) OVER … is only allowed in the SELECT list"))
                .at(at(e))
                .hint("compute it in the SELECT list of a subquery and refer to its alias"));
        }
        let user = self.catalog.and_then(|c| c.user_function(&name)).cloned();
        if let Some(uf) = user.filter(|u| u.system || (functions::lookup(&name).is_none() && aggregate_function(&name).is_none())) {
            // A temporary system function shadows a built-in; another user function is found
            // only where no built-in has the name (Flink's `FunctionCatalog` order).
            let (args, _) = function_args(f)?;
            let mut bound = Vec::with_capacity(args.len());
            for a in &args {
                match a {
                    FnArg::Expr(x) => bound.push(self.bind(x)?),
                    FnArg::Star => return Err(SqlError::new(format!("{name}(*) is not valid")).at(at(e))),
                }
            }
            return functions::user::bind_call(&uf, bound).map_err(|m| SqlError::new(m).at(at(e)));
        }
        if aggregate_function(&name).is_some() {
            return Err(SqlError::new(format!("aggregate {name} is not allowed here"))
                .at(at(e))
                .hint("aggregates belong in the SELECT list or HAVING of a grouped query"));
        }
        if matches!(name.as_str(), "ROW_NUMBER" | "RANK" | "DENSE_RANK") {
            // Calcite's words (PyFlink 2.3: `SELECT RANK() FROM t GROUP BY k`).
            return Err(SqlError::new("OVER clause is necessary for window functions")
                .at(at(e))
                .hint(format!("{name}() OVER (PARTITION BY k ORDER BY event_time)")));
        }
        if matches!(name.as_str(), "HOP" | "TUMBLE" | "SESSION" | "CUMULATE") {
            return Err(SqlError::new(format!("{name}(…) is only allowed in GROUP BY or as a table function in FROM"))
                .at(at(e))
                .hint(format!("write FROM TABLE({name}(TABLE t, DESCRIPTOR(ts), …)) or GROUP BY {name}(ts, …)")));
        }
        let (args, _) = function_args(f)?;
        if let ("TIMESTAMPADD" | "TIMESTAMPDIFF", [FnArg::Expr(unit), rest @ ..]) = (name.as_str(), args.as_slice()) {
            // The unit is a keyword, not a column.
            let unit_name = match unit.as_ref() {
                ast::Expr::Identifier(i) => i.value.to_ascii_uppercase(),
                other => other.to_string().to_ascii_uppercase(),
            };
            let mut bound = vec![unit_literal(&unit_name, &name).map_err(|m| SqlError::new(m).at(at(unit)))?];
            for a in rest {
                match a {
                    FnArg::Expr(x) => bound.push(self.bind(x)?),
                    FnArg::Star => return Err(SqlError::new(format!("{name}(*) is not valid")).at(at(e))),
                }
            }
            let func = builtin(&name);
            return call(func, bound).map_err(|m| SqlError::new(m).at(at(e)));
        }
        let mut bound = Vec::with_capacity(args.len());
        for a in &args {
            match a {
                FnArg::Expr(x) => bound.push(self.bind(x)?),
                FnArg::Star => return Err(SqlError::new(format!("{name}(*) is not valid")).at(at(e))),
            }
        }
        if matches!(name.as_str(), "TIMESTAMPADD" | "TIMESTAMPDIFF") {
            return Err(SqlError::new(format!(
                "{name} takes a unit, then {}",
                if name == "TIMESTAMPADD" {
                    "a count and a timestamp, e.g. TIMESTAMPADD(MINUTE, 5, ts)"
                } else {
                    "two timestamps, e.g. TIMESTAMPDIFF(SECOND, t1, t2)"
                }
            ))
            .at(at(e)));
        }
        let Some(func) = functions::lookup(&name) else {
            let hint = match functions::suggestions(&name).as_slice() {
                [] => "SHOW FUNCTIONS lists the functions Sluice knows".to_string(),
                [one] => format!("did you mean {one}?"),
                many => format!("did you mean {}?", many.join(", ")),
            };
            return Err(SqlError::new(format!("no function named {name}")).at(at(e)).hint(hint));
        };
        call(func, bound).map_err(|m| SqlError::new(m).at(at(e)))
    }

    /// `t ± INTERVAL 'y-m' YEAR TO MONTH` (or `'n' YEAR`, `'n' MONTH`, and `INTERVAL … + t`):
    /// `TIMESTAMPADD(MONTH, ±months, t)`, which clamps to the month's last day as Flink does
    /// (`2020-03-31` + 1 month is `2020-04-30`). Year-month intervals have no type of their own
    /// yet, so this is the one place they may appear.
    fn bind_year_month_shift(
        &mut self,
        left: &ast::Expr,
        op: &ast::BinaryOperator,
        right: &ast::Expr,
        e: &ast::Expr,
    ) -> Option<Result<Expr>> {
        let (time, months) = match (year_month_months(left), year_month_months(right), op) {
            (None, Some(m), ast::BinaryOperator::Plus) => (left, m),
            (None, Some(m), ast::BinaryOperator::Minus) => (left, m.map(|m| -m)),
            (Some(m), None, ast::BinaryOperator::Plus) => (right, m),
            _ => return None,
        };
        Some((|| {
            let months = months.map_err(|m| SqlError::new(m).at(at(e)))?;
            let time = self.bind(time)?;
            let unit = unit_literal("MONTH", "TIMESTAMPADD").map_err(|m| SqlError::new(m).at(at(e)))?;
            let args = vec![unit, Expr::literal(Value::Int(months), SqlType::not_null(DataType::Int)), time];
            call(builtin("TIMESTAMPADD"), args).map_err(|m| SqlError::new(m).at(at(e)))
        })())
    }

    /// `a.b.c`: a table's column and its ROW fields (`t.loc.lat`), or a column and its fields
    /// (`loc.lat`), as Calcite resolves them: a known table qualifier first.
    fn resolve_path(&self, parts: &[ast::Ident], e: &ast::Expr) -> Result<Expr> {
        let is_qualifier = |q: &ast::Ident| self.scope.iter().any(|f| f.qualifier.as_deref() == Some(q.value.as_str()));
        let (column, fields) = match parts {
            [q, name, rest @ ..] if is_qualifier(q) => (self.resolve(Some(q), name, e)?, rest),
            [name, rest @ ..] if self.scope.iter().any(|f| f.name == name.value) => (self.resolve(None, name, e)?, rest),
            [q, name, ..] => return self.resolve(Some(q), name, e),
            _ => return Err(SqlError::new(format!("cannot resolve `{e}`")).at(at(e))),
        };
        fields.iter().try_fold(column, |value, field| field_of(value, field, e))
    }

    /// `ARRAY[…]`'s elements, `value[i]`, `value['key']` and `value.field` after any
    /// expression (`ROW(1, 'x').EXPR$1`, `MAP['a', 1]['a']`).
    fn bind_access(&mut self, root: &ast::Expr, chain: &[ast::AccessExpr], e: &ast::Expr) -> Result<Expr> {
        let mut value = self.bind(root)?;
        for access in chain {
            value = match access {
                ast::AccessExpr::Subscript(ast::Subscript::Index { index }) => {
                    let index = self.bind(index)?;
                    call(Function::of(&functions::ITEM), vec![value, index]).map_err(|m| SqlError::new(m).at(at(e)))?
                }
                ast::AccessExpr::Dot(ast::Expr::Identifier(field)) => field_of(value, field, e)?,
                other => return Err(SqlError::new(format!("`{other}` is not supported")).at(at(e))),
            };
        }
        Ok(value)
    }

    fn resolve(&self, qualifier: Option<&ast::Ident>, ident: &ast::Ident, e: &ast::Expr) -> Result<Expr> {
        let matches: Vec<usize> = self
            .scope
            .iter()
            .enumerate()
            .filter(|(_, f)| f.name == ident.value)
            .filter(|(_, f)| qualifier.is_none_or(|q| f.qualifier.as_deref() == Some(q.value.as_str())))
            .map(|(i, _)| i)
            .collect();
        match matches.as_slice() {
            [i] => Ok(Expr::column(*i, self.scope[*i].ty.clone())),
            [] => {
                if let Some(q) = qualifier {
                    if !self.scope.iter().any(|f| f.qualifier.as_deref() == Some(q.value.as_str())) {
                        return Err(SqlError::new(format!("table or alias `{q}` is not in the FROM clause")).at(at(e)));
                    }
                }
                let names = self.scope.iter().map(|f| f.name.as_str());
                let mut err = SqlError::new(format!("column `{}` not found", ident.value)).at(at(e));
                if let Some(c) = closest(&ident.value, names) {
                    err = err.hint(format!("did you mean `{c}`?"));
                } else {
                    let all: Vec<&str> = self.scope.iter().map(|f| f.name.as_str()).collect();
                    err = err.hint(format!("the columns are: {}", all.join(", ")));
                }
                Err(err)
            }
            _ => Err(SqlError::new(format!("column `{}` is ambiguous", ident.value))
                .at(at(e))
                .hint("qualify it with its table name or alias")),
        }
    }
}

/// A function argument: an expression or `*`.
#[derive(Clone, Debug)]
pub enum FnArg {
    Expr(Box<ast::Expr>),
    Star,
}

impl std::fmt::Display for FnArg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FnArg::Expr(e) => write!(f, "{e}"),
            FnArg::Star => f.write_str("*"),
        }
    }
}

/// The window an OVER clause names or spells out; `OVER (w …)` refines the named window `w`.
pub(super) fn resolve_window(over: &ast::WindowType, named: &[ast::NamedWindowDefinition], location: Location) -> Result<ast::WindowSpec> {
    let lookup = |name: &ast::Ident| -> Result<ast::WindowSpec> {
        let mut name = name.clone();
        // A chain of `WINDOW a AS b` is at most as long as the definitions.
        for _ in 0..=named.len() {
            let Some(def) = named.iter().find(|d| d.0.value.eq_ignore_ascii_case(&name.value)) else {
                let mut err = SqlError::new(format!("window `{name}` is not defined")).at(location);
                err = match closest(&name.value, named.iter().map(|d| d.0.value.as_str())) {
                    Some(c) => err.hint(format!("did you mean `{c}`?")),
                    None => err.hint(format!(
                        "define it after FROM/WHERE: WINDOW {name} AS (PARTITION BY … ORDER BY … ROWS BETWEEN … PRECEDING AND CURRENT ROW)"
                    )),
                };
                return Err(err);
            };
            match &def.1 {
                ast::NamedWindowExpr::WindowSpec(spec) => return Ok(spec.clone()),
                ast::NamedWindowExpr::NamedWindow(next) => name = next.clone(),
            }
        }
        Err(SqlError::new(format!("window `{name}` is defined in terms of itself")).at(location))
    };
    match over {
        ast::WindowType::NamedWindow(name) => lookup(name),
        ast::WindowType::WindowSpec(spec) => match &spec.window_name {
            None => Ok(spec.clone()),
            Some(base) => {
                let mut merged = lookup(base)?;
                if !spec.partition_by.is_empty() {
                    merged.partition_by = spec.partition_by.clone();
                }
                if !spec.order_by.is_empty() {
                    merged.order_by = spec.order_by.clone();
                }
                if spec.window_frame.is_some() {
                    merged.window_frame = spec.window_frame.clone();
                }
                merged.window_name = None;
                Ok(merged)
            }
        },
    }
}

/// Whether an expression contains an `… OVER …` call.
pub fn contains_over(e: &ast::Expr) -> bool {
    let mut found = false;
    crate::sql::walk::search(e, |x: &ast::Expr| {
        if let ast::Expr::Function(f) = x {
            found |= f.over.is_some();
        }
        std::ops::ControlFlow::<()>::Continue(())
    });
    found
}

pub fn function_name(f: &ast::Function) -> String {
    f.name.0.last().and_then(|p| p.as_ident()).map_or_else(String::new, |i| i.value.to_ascii_uppercase())
}

/// The positional arguments of a call and whether it says DISTINCT; named arguments
/// (`SIZE => …`) are returned in the order written.
pub fn function_args(f: &ast::Function) -> Result<(Vec<FnArg>, bool)> {
    match &f.args {
        ast::FunctionArguments::None => Ok((vec![], false)),
        ast::FunctionArguments::Subquery(_) => Err(SqlError::new("subquery arguments are not supported")),
        ast::FunctionArguments::List(list) => {
            let distinct = matches!(list.duplicate_treatment, Some(ast::DuplicateTreatment::Distinct));
            let args = list
                .args
                .iter()
                .map(|a| match a {
                    ast::FunctionArg::Unnamed(x) | ast::FunctionArg::Named { arg: x, .. } | ast::FunctionArg::ExprNamed { arg: x, .. } => x,
                })
                .map(|x| match x {
                    ast::FunctionArgExpr::Expr(e) => FnArg::Expr(Box::new(e.clone())),
                    _ => FnArg::Star,
                })
                .collect();
            Ok((args, distinct))
        }
    }
}

pub fn aggregate_function(name: &str) -> Option<AggFunc> {
    Some(match name {
        "COUNT" => AggFunc::Count,
        "SUM" => AggFunc::Sum,
        "AVG" => AggFunc::Avg,
        "MIN" => AggFunc::Min,
        "MAX" => AggFunc::Max,
        "VAR_POP" => AggFunc::VarPop,
        "VAR_SAMP" | "VARIANCE" => AggFunc::VarSamp,
        "STDDEV_POP" => AggFunc::StddevPop,
        "STDDEV_SAMP" | "STDDEV" => AggFunc::StddevSamp,
        "FIRST_VALUE" => AggFunc::FirstValue,
        "LAST_VALUE" => AggFunc::LastValue,
        "LISTAGG" => AggFunc::ListAgg,
        "ARRAY_AGG" => AggFunc::ArrayAgg { ignore_nulls: false },
        "COLLECT" => AggFunc::Collect,
        "PERCENTILE" => AggFunc::Percentile { percentages: Percentages::new(&[], false)? },
        "JSON_ARRAYAGG" => AggFunc::JsonArrayAgg { absent_on_null: true },
        "JSON_OBJECTAGG" => AggFunc::JsonObjectAgg { absent_on_null: false },
        "LAG" => AggFunc::Lag { offset: 1, default: None },
        _ => return None,
    })
}

/// Whether an expression contains an aggregate call anywhere (by its text; cheap and exact
/// enough for deciding whether a query aggregates).
pub fn contains_aggregate(e: &ast::Expr) -> bool {
    let mut found = false;
    crate::sql::walk::search(e, |x: &ast::Expr| {
        if let ast::Expr::Function(f) = x {
            if aggregate_function(&function_name(f)).is_some() && f.over.is_none() {
                found = true;
            }
        }
        std::ops::ControlFlow::<()>::Continue(())
    });
    found
}

/// `ARRAY_AGG(x IGNORE NULLS)` (after the argument, or after the call): whether NULLs are left
/// out; RESPECT NULLS, the default, keeps them.
fn ignores_nulls(f: &ast::Function) -> bool {
    let inside = match &f.args {
        ast::FunctionArguments::List(list) => list.clauses.iter().find_map(|c| match c {
            ast::FunctionArgumentClause::IgnoreOrRespectNulls(t) => Some(t),
            _ => None,
        }),
        _ => None,
    };
    matches!(inside.or(f.null_treatment.as_ref()), Some(ast::NullTreatment::IgnoreNulls))
}

/// PERCENTILE's percentages: a numeric literal from 0 to 1, or an ARRAY of them.
fn percentile_percentages(p: &ast::Expr) -> std::result::Result<Percentages, String> {
    let (items, array): (Vec<&ast::Expr>, bool) = match p {
        ast::Expr::Array(a) => (a.elem.iter().collect(), true),
        p => (vec![p], false),
    };
    if array && items.is_empty() {
        return Err("PERCENTILE's ARRAY of percentages is empty".into());
    }
    let values = items.into_iter().map(percentile_percentage).collect::<std::result::Result<Vec<f64>, String>>()?;
    Percentages::new(&values, array).ok_or_else(|| format!("PERCENTILE takes at most {} percentages", Percentages::MAX))
}

/// One percentage: a numeric literal from 0 to 1.
fn percentile_percentage(p: &ast::Expr) -> std::result::Result<f64, String> {
    let text = match p {
        ast::Expr::Value(v) => match &v.value {
            ast::Value::Number(n, _) => n.to_string(),
            _ => String::new(),
        },
        _ => String::new(),
    };
    match text.parse::<f64>() {
        Ok(x) if (0.0..=1.0).contains(&x) => Ok(x),
        Ok(x) => Err(format!("PERCENTILE's percentage must be between 0.0 and 1.0, not {x}")),
        Err(_) => Err(format!("PERCENTILE's percentage must be a numeric literal between 0.0 and 1.0, not {p}")),
    }
}

/// Flink's result type of an aggregate.
pub fn aggregate_type(func: AggFunc, arg: Option<&SqlType>) -> std::result::Result<SqlType, String> {
    Ok(match (func, arg) {
        (AggFunc::CountStar | AggFunc::Count | AggFunc::Ranking(_), _) => SqlType::not_null(DataType::BigInt),
        (AggFunc::Sum | AggFunc::Avg, Some(t)) => {
            if !t.data_type.is_numeric() {
                return Err(format!("{} needs a numeric argument, not {t}", func.name()));
            }
            match (&t.data_type, func) {
                // Flink's `findSumAggType` and `findAvgAggType`.
                (DataType::Decimal { scale, .. }, AggFunc::Sum) => SqlType::nullable(DataType::Decimal { precision: 38, scale: *scale }),
                (DataType::Decimal { scale, .. }, _) => SqlType::nullable(DataType::Decimal { precision: 38, scale: (*scale).max(6) }),
                (d, _) => SqlType::nullable(d.clone()),
            }
        }
        (AggFunc::Min | AggFunc::Max | AggFunc::FirstValue | AggFunc::LastValue | AggFunc::Lag { .. }, Some(t)) => {
            SqlType::nullable(t.data_type.clone())
        }
        // Calcite types these like AVG: the argument's type (DECIMAL(38, max(6, s)) for decimals).
        (AggFunc::VarPop | AggFunc::VarSamp | AggFunc::StddevPop | AggFunc::StddevSamp, Some(t)) => match &t.data_type {
            DataType::Decimal { scale, .. } => SqlType::nullable(DataType::Decimal { precision: 38, scale: (*scale).max(6) }),
            d if d.is_numeric() => SqlType::nullable(d.clone()),
            _ => return Err(format!("{} needs a numeric argument, not {t}", func.name())),
        },
        (AggFunc::ListAgg, Some(t)) => {
            if !t.data_type.is_string() && t.data_type != DataType::Null {
                return Err(format!("LISTAGG needs a string argument, not {t}; CAST it to STRING"));
            }
            // Calcite types LISTAGG as its argument (the joined text may be longer: Flink's
            // types do not bound it either).
            if t.data_type == DataType::Null {
                SqlType::nullable(DataType::Varchar(crate::types::STRING_LENGTH))
            } else {
                t.clone()
            }
        }
        // ArrayAggFunction's output: ARRAY of the argument's type; NULL when there is no value.
        // (NOT NULL when the argument is: a group has a row, and Flink types it so).
        (AggFunc::ArrayAgg { .. }, Some(t)) => SqlType::not_null(DataType::Array(Box::new(t.clone()))).with_nullable(t.nullable),
        // CollectAggFunction's output: an empty MULTISET when there is no value.
        (AggFunc::Collect, Some(t)) => SqlType::not_null(DataType::Multiset(Box::new(t.clone()))),
        (AggFunc::Percentile { percentages }, Some(t)) => {
            // With a frequency the argument is ROW(value, frequency).
            let value = match &t.data_type {
                DataType::Row(fields) => fields.first().map_or(&DataType::Null, |f| &f.ty.data_type),
                other => other,
            };
            if !value.is_numeric() && *value != DataType::Null {
                return Err(format!("PERCENTILE needs a numeric argument, not {value}"));
            }
            match percentages.is_array() {
                true => SqlType::nullable(DataType::Array(Box::new(SqlType::nullable(DataType::Double)))),
                false => SqlType::nullable(DataType::Double),
            }
        }
        (AggFunc::JsonArrayAgg { .. }, Some(_)) => SqlType::not_null(DataType::Varchar(2000)),
        (AggFunc::JsonObjectAgg { .. }, Some(t)) => {
            let key = match &t.data_type {
                DataType::Row(fields) => fields.first().map(|f| &f.ty),
                _ => None,
            };
            if let Some(key) = key.filter(|k| !k.data_type.is_string() || k.nullable) {
                return Err(format!("JSON_OBJECTAGG keys must be strings that are never NULL, not {key}"));
            }
            SqlType::not_null(DataType::Varchar(2000))
        }
        (_, None) => return Err(format!("{} needs an argument", func.name())),
    })
}

/// The units EXTRACT and TIMESTAMPADD/DIFF accept (the engine's `temporal::Unit` reads them).
const UNITS: &[&str] = &[
    "MILLISECOND",
    "SECOND",
    "MINUTE",
    "HOUR",
    "DAY",
    "DAYOFMONTH",
    "WEEK",
    "MONTH",
    "QUARTER",
    "YEAR",
    "DOW",
    "DAYOFWEEK",
    "DOY",
    "DAYOFYEAR",
    "SQL_TSI_SECOND",
    "SQL_TSI_MINUTE",
    "SQL_TSI_HOUR",
    "SQL_TSI_DAY",
    "SQL_TSI_WEEK",
    "SQL_TSI_MONTH",
    "SQL_TSI_QUARTER",
    "SQL_TSI_YEAR",
    "FRAC_SECOND",
];

fn unit_literal(unit: &str, func: &str) -> std::result::Result<Expr, String> {
    let calendar_only = matches!(unit, "DOW" | "DAYOFWEEK" | "DOY" | "DAYOFYEAR" | "DAYOFMONTH");
    if !UNITS.contains(&unit) || (func != "EXTRACT" && calendar_only) {
        return Err(format!("{func} does not know the unit {unit}; use SECOND, MINUTE, HOUR, DAY, WEEK, MONTH, QUARTER or YEAR"));
    }
    Ok(Expr::literal(Value::Str(unit.into()), SqlType::not_null(DataType::Varchar(crate::types::STRING_LENGTH))))
}

/// `EXTRACT(unit FROM t)` and its shorthands (`YEAR(t)`, `HOUR(t)`, …): a BIGINT.
fn extract(unit: &str, arg: Expr) -> std::result::Result<Expr, String> {
    let t = &arg.ty.data_type;
    if !(t.is_timestamp() || *t == DataType::Date || *t == DataType::Null) {
        return Err(format!("EXTRACT needs a timestamp or date, not {}", arg.ty));
    }
    if *t == DataType::Date && matches!(unit, "HOUR" | "MINUTE" | "SECOND" | "MILLISECOND") {
        return Err(format!("cannot extract {unit} from a DATE"));
    }
    let arg = if *t == DataType::Date {
        cast(arg.clone(), SqlType::nullable(DataType::Timestamp(3)).with_nullable(arg.ty.nullable), false)?
    } else {
        arg
    };
    let unit = unit_literal(unit, "EXTRACT")?;
    call(Function::of(functions::EXTRACT), vec![unit, arg])
}

/// LISTAGG's separator: Flink accepts only a character literal.
fn listagg_separator(e: &ast::Expr) -> Result<String> {
    match e {
        ast::Expr::Value(v) => match &v.value {
            ast::Value::SingleQuotedString(s) => Ok(s.clone()),
            _ => Err(SqlError::new("LISTAGG's separator must be a string literal such as ';'").at(at(e))),
        },
        _ => Err(SqlError::new("LISTAGG's separator must be a string literal such as ';'").at(at(e))),
    }
}

fn literal(v: &ast::Value) -> std::result::Result<Expr, String> {
    Ok(match v {
        ast::Value::Number(n, _) => number_literal(n)?,
        ast::Value::SingleQuotedString(s) => {
            Expr::literal(Value::Str(s.as_str().into()), SqlType::not_null(DataType::Char(s.chars().count() as u32)))
        }
        ast::Value::Boolean(b) => Expr::literal(Value::Bool(*b), SqlType::not_null(DataType::Boolean)),
        ast::Value::Null => Expr::literal(Value::Null, SqlType::nullable(DataType::Null)),
        other => return Err(format!("literal `{other}` is not supported")),
    })
}

fn number_literal(n: &str) -> std::result::Result<Expr, String> {
    if n.contains(['e', 'E']) {
        let d: f64 = n.parse().map_err(|_| format!("invalid number `{n}`"))?;
        return Ok(Expr::literal(Value::Double(d), SqlType::not_null(DataType::Double)));
    }
    // Calcite's validator takes an exact literal whose unscaled digits fit a BIGINT, in Flink's words.
    let out_of_range = || format!("Numeric literal '{n}' out of range");
    if let Some((int, frac)) = n.split_once('.') {
        let digits = format!("{int}{frac}");
        let unscaled: i64 = digits.parse().map_err(|_| out_of_range())?;
        // Calcite counts every digit written (`0.5` is DECIMAL(2, 1), `.5` DECIMAL(1, 1)), at most 38.
        let scale = frac.len();
        if scale > usize::from(decimal::MAX_PRECISION) {
            return Err(format!("Decimal scale must be between 0 and the precision {} (both inclusive).", decimal::MAX_PRECISION));
        }
        let precision = digits.len().clamp(1, usize::from(decimal::MAX_PRECISION)) as u8;
        let scale = scale as u8;
        return Ok(Expr::literal(Value::Decimal(i128::from(unscaled), scale), SqlType::not_null(DataType::Decimal { precision, scale })));
    }
    let v: i64 = n.parse().map_err(|_| out_of_range())?;
    let ty = if i32::try_from(v).is_ok() { DataType::Int } else { DataType::BigInt };
    Ok(Expr::literal(Value::Int(v), SqlType::not_null(ty)))
}

fn time_unit_ms(f: &ast::DateTimeField) -> Option<i64> {
    use ast::DateTimeField as F;
    Some(match f {
        F::Millisecond | F::Milliseconds => 1,
        F::Second | F::Seconds => 1000,
        F::Minute | F::Minutes => 60_000,
        F::Hour | F::Hours => 3_600_000,
        F::Day | F::Days => 86_400_000,
        F::Week(_) | F::Weeks => 7 * 86_400_000,
        _ => return None,
    })
}

/// The months of a year-month interval literal (`INTERVAL '2-10' YEAR TO MONTH` is 34,
/// `INTERVAL '-1' YEAR` is -12), or `None` for any other expression.
fn year_month_months(e: &ast::Expr) -> Option<std::result::Result<i64, String>> {
    use ast::DateTimeField as F;
    let ast::Expr::Interval(interval) = e else { return None };
    let is_year = |f: &F| matches!(f, F::Year | F::Years);
    let is_month = |f: &F| matches!(f, F::Month | F::Months);
    let leading = interval.leading_field.as_ref()?;
    let range = match &interval.last_field {
        None if is_year(leading) => 0,
        None if is_month(leading) => 1,
        Some(last) if is_year(leading) && is_month(last) => 2,
        _ => return None,
    };
    let text = match interval.value.as_ref() {
        ast::Expr::Value(v) => match &v.value {
            ast::Value::SingleQuotedString(s) | ast::Value::Number(s, _) => s.trim().to_string(),
            _ => return Some(Err(format!("invalid interval value {}", interval.value))),
        },
        _ => return Some(Err(format!("invalid interval value {}", interval.value))),
    };
    let bad = || format!("invalid interval value '{text}' for {interval}");
    let (negative, body) = match text.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, text.strip_prefix('+').unwrap_or(&text)),
    };
    let number = |s: &str| s.parse::<u32>().map(i64::from).map_err(|_| bad());
    let months = match range {
        0 => number(body).map(|y| y * 12),
        1 => number(body),
        _ => match body.split_once('-') {
            Some((y, m)) => number(y).and_then(|y| number(m).and_then(|m| if m < 12 { Ok(y * 12 + m) } else { Err(bad()) })),
            None => Err(bad()),
        },
    };
    Some(months.map(|m| if negative { -m } else { m }))
}

/// `INTERVAL '10' SECOND` → 10 000 ms. Year-month intervals exist only added to a timestamp
/// (see `bind_year_month_shift`).
fn bind_interval(interval: &ast::Interval) -> std::result::Result<Expr, String> {
    let text = match interval.value.as_ref() {
        ast::Expr::Value(v) => match &v.value {
            ast::Value::SingleQuotedString(s) => s.clone(),
            ast::Value::Number(n, _) => n.clone(),
            other => return Err(format!("invalid interval value {other}")),
        },
        other => return Err(format!("invalid interval value {other}")),
    };
    let unit = interval.leading_field.as_ref().ok_or("an interval needs a unit, e.g. INTERVAL '5' SECOND")?;
    if let Some(last) = &interval.last_field {
        return day_time_range(&text, unit, last).map(|ms| Expr::literal(Value::Int(ms), SqlType::not_null(DataType::Interval)));
    }
    let ms = time_unit_ms(unit).ok_or_else(|| format!("interval unit {unit} is not supported yet (use SECOND, MINUTE, HOUR or DAY)"))?;
    let value: f64 = text.trim().parse().map_err(|_| format!("invalid interval value '{text}'"))?;
    Ok(Expr::literal(Value::Int((value * ms as f64).round() as i64), SqlType::not_null(DataType::Interval)))
}

/// `INTERVAL 'd hh:mm:ss.fff' DAY TO SECOND` and its narrower ranges (`'hh:mm' HOUR TO MINUTE`,
/// …): the fields from the leading unit to the last, separated by a space, colons and a point,
/// with an optional sign.
fn day_time_range(text: &str, leading: &ast::DateTimeField, last: &ast::DateTimeField) -> std::result::Result<i64, String> {
    use ast::DateTimeField as F;
    let rank = |f: &F| match f {
        F::Day | F::Days => Some(0),
        F::Hour | F::Hours => Some(1),
        F::Minute | F::Minutes => Some(2),
        F::Second | F::Seconds => Some(3),
        _ => None,
    };
    let unsupported = || {
        format!("interval range {leading} TO {last} is not supported (year-month intervals are not yet; use DAY TO SECOND or its parts)")
    };
    let (from, to) = (rank(leading).ok_or_else(unsupported)?, rank(last).ok_or_else(unsupported)?);
    if to <= from {
        return Err(unsupported());
    }
    let trimmed = text.trim();
    let (negative, body) = match trimmed.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, trimmed.strip_prefix('+').unwrap_or(trimmed)),
    };
    let bad = || format!("invalid interval value '{text}' for {leading} TO {last}");
    let parts: Vec<&str> = body.split([' ', ':']).collect();
    if parts.len() != to - from + 1 {
        return Err(bad());
    }
    const UNIT_MS: [i64; 4] = [86_400_000, 3_600_000, 60_000, 1000];
    let mut ms: i64 = 0;
    for (i, part) in parts.iter().enumerate() {
        let unit = from + i;
        let value: f64 = if unit == 3 { part.parse().map_err(|_| bad())? } else { part.parse::<u32>().map_err(|_| bad())? as f64 };
        ms = ms.checked_add((value * UNIT_MS[unit] as f64).round() as i64).ok_or_else(bad)?;
    }
    Ok(if negative { -ms } else { ms })
}

/// The value of a constant interval expression, in ms.
pub fn interval_ms(e: &Expr) -> Option<i64> {
    match (&e.kind, &e.ty.data_type) {
        (ExprKind::Literal(Value::Int(ms)), DataType::Interval) => Some(*ms),
        _ => None,
    }
}

fn binary_op(op: &BinaryOperator) -> Option<BinaryOp> {
    Some(match op {
        BinaryOperator::Plus => BinaryOp::Add,
        BinaryOperator::Minus => BinaryOp::Subtract,
        BinaryOperator::Multiply => BinaryOp::Multiply,
        BinaryOperator::Divide => BinaryOp::Divide,
        BinaryOperator::Modulo => BinaryOp::Modulo,
        BinaryOperator::Eq => BinaryOp::Eq,
        BinaryOperator::NotEq => BinaryOp::NotEq,
        BinaryOperator::Lt => BinaryOp::Lt,
        BinaryOperator::LtEq => BinaryOp::LtEq,
        BinaryOperator::Gt => BinaryOp::Gt,
        BinaryOperator::GtEq => BinaryOp::GtEq,
        BinaryOperator::And => BinaryOp::And,
        BinaryOperator::Or => BinaryOp::Or,
        BinaryOperator::StringConcat => BinaryOp::Concat,
        _ => return None,
    })
}

pub(crate) fn expect_boolean(e: &Expr, what: &str) -> std::result::Result<(), String> {
    match e.ty.data_type {
        DataType::Boolean | DataType::Null => Ok(()),
        _ => Err(format!("{what} needs a BOOLEAN, not {}", e.ty)),
    }
}

/// The type two numeric operands are brought to before arithmetic or comparison.
fn numeric_common(a: &DataType, b: &DataType) -> Option<DataType> {
    use DataType as T;
    Some(match (a, b) {
        (T::Null, x) | (x, T::Null) => x.clone(),
        (x, y) if x.is_integer() && y.is_integer() => {
            if x.integer_rank() >= y.integer_rank() {
                x.clone()
            } else {
                y.clone()
            }
        }
        (T::Double, _) | (_, T::Double) => T::Double,
        (T::Float, y) | (y, T::Float) if y.is_numeric() => {
            if matches!(y, T::Decimal { .. }) {
                T::Double
            } else {
                T::Float
            }
        }
        (T::Decimal { precision: p1, scale: s1 }, T::Decimal { precision: p2, scale: s2 }) => {
            let scale = *s1.max(s2);
            let int = (p1 - s1).max(p2 - s2);
            T::Decimal { precision: (int + scale + 1).min(38), scale }
        }
        (T::Decimal { precision, scale }, y) | (y, T::Decimal { precision, scale }) if y.is_integer() => {
            T::Decimal { precision: (precision + 10).min(38), scale: *scale }
        }
        _ => return None,
    })
}

/// The least restrictive of two numeric types, as Calcite finds it for CASE, COALESCE,
/// GREATEST, VALUES and ARRAY (not for arithmetic, whose decimal result grows by a digit): a
/// DECIMAL keeps the larger integer part and the larger scale, an integer counting as a DECIMAL
/// of its digits (INT: DECIMAL(10, 0)).
fn numeric_least_restrictive(a: &DataType, b: &DataType) -> Option<DataType> {
    use DataType as T;
    let digits = |t: &DataType| match t {
        T::TinyInt => Some(3u8),
        T::SmallInt => Some(5),
        T::Int => Some(10),
        T::BigInt => Some(19),
        _ => None,
    };
    match (a, b) {
        (T::Decimal { precision: p1, scale: s1 }, T::Decimal { precision: p2, scale: s2 }) => {
            let scale = *s1.max(s2);
            Some(T::Decimal { precision: ((p1 - s1).max(p2 - s2) + scale).min(38), scale })
        }
        (T::Decimal { precision, scale }, y) | (y, T::Decimal { precision, scale }) if y.is_integer() => {
            let int = (precision - scale).max(digits(y)?);
            Some(T::Decimal { precision: (int + scale).min(38), scale: *scale })
        }
        _ => numeric_common(a, b),
    }
}

/// The common type of several expressions (CASE branches, COALESCE arguments).
pub fn common_type(exprs: &[Expr]) -> std::result::Result<SqlType, String> {
    let mut ty = DataType::Null;
    for e in exprs {
        let t = &e.ty.data_type;
        ty = if ty == DataType::Null {
            t.clone()
        } else if *t == DataType::Null || *t == ty {
            ty
        } else if ty.is_string() && t.is_string() {
            // Strings of different lengths meet as a VARCHAR of the longest, as Flink's type
            // system (`shouldConvertRaggedUnionTypesToVarying`) has Calcite do.
            let length = |t: &DataType| match t {
                DataType::Char(n) | DataType::Varchar(n) => *n,
                _ => crate::types::STRING_LENGTH,
            };
            DataType::Varchar(length(&ty).max(length(t)))
        } else if let Some(c) = numeric_least_restrictive(&ty, t) {
            c
        } else if ty.is_timestamp() && t.is_timestamp() {
            ty
        } else {
            return Err(format!("incompatible types {ty} and {t}"));
        };
    }
    Ok(SqlType::nullable(ty).with_nullable(exprs.iter().any(|e| e.ty.nullable)))
}

pub(crate) fn cast_if_needed(e: Expr, to: &DataType) -> std::result::Result<Expr, String> {
    if e.ty.data_type == *to || (e.ty.data_type.is_string() && to.is_string()) {
        return Ok(e);
    }
    let nullable = e.ty.nullable;
    cast(e, SqlType::nullable(to.clone()).with_nullable(nullable), false)
}

/// Builds a cast, checking it is one Flink allows. Outside UTC, a cast between TIMESTAMP_LTZ and
/// a zone-less type goes through the wall-clock TIMESTAMP of the session's zone, as Flink's does.
pub fn cast(arg: Expr, to: SqlType, try_cast: bool) -> std::result::Result<Expr, String> {
    use DataType as T;
    let local = |t: &T| matches!(t, T::Timestamp(_) | T::Date | T::Time(_)) || t.is_string();
    let ltz_from = matches!(arg.ty.data_type, T::TimestampLtz(_)) && local(&to.data_type);
    let ltz_to = matches!(to.data_type, T::TimestampLtz(_)) && local(&arg.ty.data_type);
    if !ltz_from && !ltz_to {
        return plain_cast(arg, to, try_cast);
    }
    let zone = super::local_time_zone::current();
    if zone == super::local_time_zone::DEFAULT {
        return plain_cast(arg, to, try_cast);
    }
    let zone = Expr::literal(Value::Str(zone.as_str().into()), SqlType::not_null(T::Varchar(crate::types::STRING_LENGTH)));
    if ltz_from {
        let p = if let T::TimestampLtz(p) = arg.ty.data_type { p } else { 3 };
        let ty = SqlType::nullable(T::Timestamp(p)).with_nullable(arg.ty.nullable);
        let local = Expr { kind: ExprKind::Call { func: Function::of(&functions::LTZ_TO_TIMESTAMP), args: vec![arg, zone] }, ty };
        return plain_cast(local, to, try_cast);
    }
    let p = if let T::TimestampLtz(p) = to.data_type { p } else { 3 };
    let local = plain_cast(arg, SqlType::nullable(T::Timestamp(p)).with_nullable(to.nullable), try_cast)?;
    Ok(Expr { kind: ExprKind::Call { func: Function::of(&functions::TIMESTAMP_TO_LTZ), args: vec![local, zone] }, ty: to })
}

/// A cast that ignores the session zone.
fn plain_cast(arg: Expr, to: SqlType, try_cast: bool) -> std::result::Result<Expr, String> {
    use DataType as T;
    let from = &arg.ty.data_type;
    let ok = crate::types::castable(from, &to.data_type)
        || (from.is_numeric() && to.data_type.is_numeric())
        || (from.is_string() && !to.data_type.is_collection() && !matches!(to.data_type, T::Row(_)))
        || to.data_type.is_string()
        || (from.is_timestamp() && (to.data_type.is_timestamp() || matches!(to.data_type, T::Date | T::Time(_))))
        || (*from == T::Date && to.data_type.is_timestamp())
        || (*from == T::Boolean && to.data_type.is_numeric())
        || (from.is_numeric() && to.data_type == T::Boolean)
        || (from.is_integer() && to.data_type.is_timestamp());
    if !ok {
        return Err(format!("cannot cast {} to {}", arg.ty, to));
    }
    // Literal folding keeps constants cheap and lets the planner read them (intervals, sizes).
    if let ExprKind::Literal(v) = &arg.kind {
        if let Some(folded) = crate::types::cast_value(v, from, &to.data_type) {
            return Ok(Expr::literal(folded, to));
        }
    }
    Ok(Expr { kind: ExprKind::Cast { arg: Box::new(arg), try_cast }, ty: to })
}

/// Builds `left op right`, inserting the casts the engine needs for equal operand types.
pub fn binary(op: BinaryOp, left: Expr, right: Expr) -> std::result::Result<Expr, String> {
    use DataType as T;
    let nullable = left.ty.nullable || right.ty.nullable;
    let (lt, rt) = (left.ty.data_type.clone(), right.ty.data_type.clone());
    let mismatch = || format!("cannot apply `{}` to {} and {}", op.symbol(), left.ty, right.ty);
    let make = |l: Expr, r: Expr, ty: DataType| Expr {
        kind: ExprKind::Binary { op, left: Box::new(l), right: Box::new(r) },
        ty: SqlType::nullable(ty).with_nullable(nullable),
    };
    match op {
        BinaryOp::And | BinaryOp::Or => {
            expect_boolean(&left, op.symbol())?;
            expect_boolean(&right, op.symbol())?;
            Ok(make(left, right, T::Boolean))
        }
        BinaryOp::Concat => {
            if !(lt.is_string() || lt == T::Null) || !(rt.is_string() || rt == T::Null) {
                return Err(mismatch());
            }
            // Calcite's DYADIC_STRING_SUM_PRECISION: two CHARs make a CHAR of both lengths, else a
            // VARCHAR of both (STRING once either is).
            let ty = match (&lt, &rt) {
                (T::Char(a), T::Char(b)) => T::Char(a.saturating_add(*b).min(crate::types::STRING_LENGTH)),
                (T::Char(a) | T::Varchar(a), T::Char(b) | T::Varchar(b)) => {
                    T::Varchar(a.saturating_add(*b).min(crate::types::STRING_LENGTH))
                }
                _ => T::Varchar(crate::types::STRING_LENGTH),
            };
            Ok(make(left, right, ty))
        }
        _ if op.is_comparison() => {
            let common = if lt == rt || (lt.is_string() && rt.is_string()) {
                lt.clone()
            } else if let Some(c) = numeric_common(&lt, &rt) {
                c
            } else if lt.is_timestamp() && (rt.is_timestamp() || rt.is_string()) {
                lt.clone()
            } else if rt.is_timestamp() && lt.is_string() {
                rt.clone()
            } else if lt == T::Null || rt == T::Null {
                if lt == T::Null {
                    rt.clone()
                } else {
                    lt.clone()
                }
            } else {
                return Err(mismatch());
            };
            let l = cast_if_needed(left, &common)?;
            let r = cast_if_needed(right, &common)?;
            Ok(make(l, r, T::Boolean))
        }
        _ => {
            // Timestamp ± interval and interval arithmetic.
            match (&lt, &rt, op) {
                (a, T::Interval, BinaryOp::Add | BinaryOp::Subtract) if a.is_timestamp() => {
                    let ty = left.ty.data_type.clone();
                    return Ok(make(left, right, ty));
                }
                (T::Interval, b, BinaryOp::Add) if b.is_timestamp() => {
                    let ty = right.ty.data_type.clone();
                    return Ok(make(right, left, ty));
                }
                (T::Interval, T::Interval, BinaryOp::Add | BinaryOp::Subtract) => return Ok(make(left, right, T::Interval)),
                _ => {}
            }
            let common = numeric_common(&lt, &rt).filter(|c| c.is_numeric()).ok_or_else(mismatch)?;
            if let Some(decimal_op) = op.decimal_op().filter(|_| matches!(common, T::Decimal { .. })) {
                // Exact arithmetic: each side a DECIMAL of its own (an integer one of its digits),
                // the result typed as Flink's LogicalTypeMerging types it.
                let own = |t: &T| decimal::as_decimal(if *t == T::Null { &common } else { t });
                let (Some(l_dec), Some(r_dec)) = (own(&lt), own(&rt)) else { return Err(mismatch()) };
                let (precision, scale) = decimal::result_type(decimal_op, l_dec, r_dec);
                let l = cast_if_needed(left, &T::Decimal { precision: l_dec.0, scale: l_dec.1 })?;
                let r = cast_if_needed(right, &T::Decimal { precision: r_dec.0, scale: r_dec.1 })?;
                refuse_constant_division_by_zero(op, &l, &r)?;
                return Ok(make(l, r, T::Decimal { precision, scale }));
            }
            let l = cast_if_needed(left, &common)?;
            let r = cast_if_needed(right, &common)?;
            refuse_constant_division_by_zero(op, &l, &r)?;
            let ty = match (&common, op) {
                // Calcite types an integer MOD as its divisor (the remainder is smaller than it).
                (c, BinaryOp::Modulo) if c.is_integer() && rt.is_integer() => rt.clone(),
                _ => common,
            };
            Ok(make(l, r, ty))
        }
    }
}

/// A constant divided by a constant zero: Flink's planner reduces constant expressions with
/// exact (BigDecimal) arithmetic and fails the statement ("Division by zero") before the job
/// runs, whatever the type (a DOUBLE too, which gives Infinity at run time for a column).
fn refuse_constant_division_by_zero(op: BinaryOp, l: &Expr, r: &Expr) -> std::result::Result<(), String> {
    let zero = |v: &Value| match v {
        Value::Int(0) | Value::Decimal(0, _) => true,
        Value::Double(d) => *d == 0.0,
        _ => false,
    };
    match (&l.kind, &r.kind) {
        (ExprKind::Literal(a), ExprKind::Literal(b)) if matches!(op, BinaryOp::Divide | BinaryOp::Modulo) && !a.is_null() && zero(b) => {
            Err(decimal::DIVISION_BY_ZERO.to_string())
        }
        _ => Ok(()),
    }
}

fn unify_in_list(arg: Expr, items: Vec<Expr>) -> (Expr, Vec<Expr>) {
    // `binary` may have cast the argument instead of the item; compare everything in the type
    // of the first comparison.
    let Some(first) = items.first() else { return (arg, items) };
    let target = first.ty.data_type.clone();
    let arg = cast_if_needed(arg.clone(), &target).unwrap_or(arg);
    let items = items.into_iter().map(|i| cast_if_needed(i.clone(), &target).unwrap_or(i)).collect();
    (arg, items)
}

/// Types a scalar function call, coercing its arguments (the function table's rule).
pub fn call(func: Function, args: Vec<Expr>) -> std::result::Result<Expr, String> {
    functions::bind_call(func, args)
}

/// A ROW value's field `field`.
fn field_of(value: Expr, field: &ast::Ident, e: &ast::Expr) -> Result<Expr> {
    let DataType::Row(row_fields) = &value.ty.data_type else {
        return Err(SqlError::new(format!("`{field}` is not a field: the value before it is {}, not a ROW", value.ty)).at(at(e)));
    };
    let Some(index) = row_fields.iter().position(|f| f.name == field.value) else {
        let names: Vec<&str> = row_fields.iter().map(|f| f.name.as_str()).collect();
        return Err(SqlError::new(format!("the ROW has no field `{field}`"))
            .at(at(e))
            .hint(format!("its fields are: {}", names.join(", "))));
    };
    let ty = row_fields[index].ty.clone().with_nullable(row_fields[index].ty.nullable || value.ty.nullable);
    Ok(Expr { kind: ExprKind::Field { arg: Box::new(value), index, name: field.value.clone() }, ty: ty.plain() })
}

/// A function the binder names itself.
fn builtin(name: &str) -> Function {
    // The binder only names functions the table lists (`functions::tests` checks each).
    functions::lookup(name).unwrap_or_else(|| unreachable!("{name} is in the function table"))
}

/// The candidate closest to `name` by edit distance, if it is close enough to be a typo.
pub fn closest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let lower = name.to_lowercase();
    candidates
        .map(|c| (edit_distance(&lower, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Normalizes expression text for comparing window arguments (`INTERVAL '10' second` vs
/// `INTERVAL '10' SECOND`).
pub fn normalize(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").to_uppercase()
}
