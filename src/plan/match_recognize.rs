//! `MATCH_RECOGNIZE`: the clause checked and bound as Flink's planner takes it
//! (`FlinkLogicalMatch` → `StreamPhysicalMatch` → `StreamExecMatch`, whose
//! `CommonExecMatch.PatternVisitor` turns the pattern into a CEP `Pattern`, and whose
//! `MatchCodeGenerator` compiles DEFINE and MEASURES).
//!
//! What Flink 2.3 takes, and so what Sluice takes: PARTITION BY columns; ORDER BY an event-time
//! attribute ascending first (then any columns); a pattern that is a sequence of distinct
//! variables, each with an optional quantifier (`* + ? {n} {n,} {n,m} {,m}` and the reluctant
//! forms except `??`); DEFINE conditions over the current row and the rows already mapped to
//! any variable; MEASURES over the match; ONE ROW PER MATCH; every AFTER MATCH SKIP; WITHIN.
//! `SUBSET` union variables read in MEASURES; aggregates (any Flink takes outside OVER) over an
//! expression of one variable's columns, in DEFINE and MEASURES; `MATCH_PROCTIME()`; ORDER BY a
//! processing-time attribute. What Flink refuses is refused here with Flink's words: alternation
//! ("branching patterns"), groups, PERMUTE, `{- -}`, `??`, a greedy quantifier on the last
//! variable, repeated variables, PREV/NEXT ("physical offsets"), ALL ROWS PER MATCH,
//! `CLASSIFIER()`, DISTINCT and FILTER in aggregates, an aggregate over two variables, a SUBSET
//! in DEFINE (checked on Flink 2.3: `tests/plan/match_recognize.sql`).
//!
//! Expressions of DEFINE and MEASURES read the match through *navigations*: every column
//! reference (`A.temp`, `temp`, `LAST(A.temp, 1)`, `FIRST(temp)`), aggregate (`AVG(A.temp)`)
//! and `MATCH_ROWTIME()` becomes one slot, and the bound expression reads the slots as its
//! columns. The engine (`engine::cep`) fills the slots from the partial match.

use std::fmt;

use sqlparser::ast;

use super::bind::{self, aggregate_function, function_args, function_name, Binder, FnArg};
use super::expr::Expr;
use super::logical::{AggCall, AggFunc, Node, Plan, Schema, SchemaField, SortKey};
use crate::sql::walk;
use crate::sql::within::{SUBSET_SYMBOL, WITHIN_SYMBOL};
use crate::sql::{Location, SqlError};
use crate::types::{DataType, SqlType};

type Result<T> = std::result::Result<T, SqlError>;

/// The most states a pattern may compile to (a `{n,m}` quantifier is `m` states): a pattern
/// is outside input, and the NFA's size is bounded by it.
pub const MAX_PATTERN_STATES: u64 = 10_000;

/// A bound `MATCH_RECOGNIZE` clause.
#[derive(Clone, Debug, PartialEq)]
pub struct MatchSpec {
    /// Input columns the rows are partitioned by (none: one partition).
    pub partition: Vec<usize>,
    /// The ORDER BY: an ascending event-time attribute first.
    pub order: Vec<SortKey>,
    /// The pattern's variables, in pattern order.
    pub variables: Vec<String>,
    pub pattern: Vec<PatternTerm>,
    /// Each variable's DEFINE condition (none: every row qualifies).
    pub defines: Vec<Option<CepExpr>>,
    /// The MEASURES, in order, with their names.
    pub measures: Vec<(String, CepExpr)>,
    pub skip: AfterMatch,
    /// `WITHIN INTERVAL …` in milliseconds.
    pub within: Option<i64>,
    /// `SUBSET S = (A, B)`: each union variable's name and variables, for EXPLAIN.
    pub subsets: Vec<(String, Vec<usize>)>,
    /// Ordered by a processing-time attribute: rows are taken as they arrive, at the clock's
    /// time, none late (`CepOperator` without a comparator).
    pub proctime: bool,
}

impl MatchSpec {
    pub fn time_column(&self) -> usize {
        self.order[0].column
    }
}

/// One variable of the pattern with its quantifier, as `CommonExecMatch.applyQuantifier`
/// leaves it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PatternTerm {
    pub variable: usize,
    pub kind: TermKind,
    /// The quantifier admits no row at all (`?`, `*`, `{0,m}`).
    pub optional: bool,
    /// Greedy: the loop proceeds only when the row does not qualify (Flink's GREEDY property,
    /// given to a greedy quantifier that is not `?` or `{n}`).
    pub greedy: bool,
    /// What the SQL wrote, for EXPLAIN.
    pub min: u32,
    pub max: Option<u32>,
    pub reluctant: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TermKind {
    /// One row (`A`, `A?`).
    Single,
    /// `times(from, to)` consecutive: `from` rows, then up to `to - from` more (`{n}`, `{n,m}`).
    Times { from: u32, to: u32 },
    /// `timesOrMore(from)` consecutive, a loop after `from` rows (`+`, `*`, `{n,}`).
    Looping { from: u32 },
}

impl fmt::Display for PatternTerm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let q = match (self.min, self.max) {
            (1, Some(1)) => String::new(),
            (0, Some(1)) => "?".into(),
            (0, None) => "*".into(),
            (1, None) => "+".into(),
            (n, None) => format!("{{{n},}}"),
            (n, Some(m)) if n == m => format!("{{{n}}}"),
            (n, Some(m)) => format!("{{{n},{m}}}"),
        };
        write!(f, "{q}{}", if self.reluctant { "?" } else { "" })
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AfterMatch {
    PastLastRow,
    ToNextRow,
    ToFirst(usize),
    ToLast(usize),
}

/// An expression of DEFINE or MEASURES: `expr`'s column `i` is `navigations[i]`.
#[derive(Clone, Debug, PartialEq)]
pub struct CepExpr {
    pub expr: Expr,
    pub navigations: Vec<Navigation>,
    /// Each slot's type.
    pub types: Vec<SqlType>,
    /// The SQL text, for EXPLAIN.
    pub text: String,
}

/// Where a slot's value comes from. In DEFINE the rows of the variable being defined include
/// the current row (running semantics); in MEASURES they are the match's (final semantics).
#[derive(Clone, Debug, PartialEq)]
pub enum Navigation {
    /// `LAST(v.column, offset)` or `FIRST(v.column, offset)`. NULL when there is no such row.
    Row { rows: Rows, column: usize, first: bool, offset: u32 },
    /// An aggregate over some rows of the match.
    Aggregate(Box<CepAggregate>),
    /// `MATCH_ROWTIME()`: the time the match is emitted at.
    MatchRowtime,
    /// `MATCH_PROCTIME()`: the processing time the match is emitted at.
    MatchProctime,
}

/// The rows of the match a navigation reads.
#[derive(Clone, Debug, PartialEq)]
pub enum Rows {
    /// A bare column (`temp`, `SUM(temp)`): every row.
    All,
    /// `A.temp`: the rows of variable `A`.
    Variable(usize),
    /// `S.temp` for `SUBSET S = (A, B)`: in SQL the rows of any of its variables; in Flink 2.3
    /// (and so here) none, see [`Rows::contains`].
    Subset { name: String, variables: Vec<usize> },
}

impl Rows {
    pub fn contains(&self, variable: usize) -> bool {
        match self {
            Rows::All => true,
            Rows::Variable(v) => *v == variable,
            // Flink 2.3's `MatchCodeGenerator` looks a union variable's name up in the match,
            // which maps only pattern variables to rows: a SUBSET reads no row (its FIRST/LAST
            // are NULL, COUNT 0), and so it does here (DIFFERENCES.md).
            Rows::Subset { .. } => false,
        }
    }

    fn describe(&self, variables: &[String]) -> String {
        match self {
            Rows::All => "*".to_string(),
            Rows::Variable(v) => variables[*v].clone(),
            Rows::Subset { name, .. } => name.clone(),
        }
    }
}

/// An aggregate of MEASURES or DEFINE (`SUM(B.temp * 2)`): `call` reads column 0 of a batch
/// holding `arg` evaluated over the rows (none for `COUNT(*)`), as `MatchCodeGenerator`'s
/// generated aggregate functions read their argument expressions.
#[derive(Clone, Debug, PartialEq)]
pub struct CepAggregate {
    pub rows: Rows,
    pub call: AggCall,
    /// The argument, bound over the input's columns.
    pub arg: Option<Expr>,
    /// The SQL text, for the plan view.
    pub text: String,
}

/// Plans `input MATCH_RECOGNIZE (…)`.
pub fn plan(input: Plan, factor: &ast::TableFactor, location: Location) -> Result<Plan> {
    let ast::TableFactor::MatchRecognize {
        partition_by,
        order_by,
        measures,
        rows_per_match,
        after_match_skip,
        pattern,
        symbols,
        alias,
        ..
    } = factor
    else {
        return Err(SqlError::new("not a MATCH_RECOGNIZE clause").at(location));
    };
    let scope = input.schema.fields.clone();
    if matches!(rows_per_match, Some(ast::RowsPerMatch::AllRows(_))) {
        return Err(SqlError::new("All rows per match mode is not supported yet.").at(location).hint("use ONE ROW PER MATCH"));
    }
    let mut partition = Vec::new();
    for p in partition_by {
        let bound = Binder::new(&scope).bind(p)?;
        let column = bound
            .as_column()
            .ok_or_else(|| SqlError::new("PARTITION BY of MATCH_RECOGNIZE takes columns").at(bind::location(ast::Spanned::span(p))))?;
        partition.push(column);
    }
    let order = order_keys(&scope, order_by, location)?;
    let proctime = scope[order[0].column].ty.proctime;

    // The pattern: a sequence of variables with quantifiers.
    let mut variables: Vec<String> = Vec::new();
    let mut terms = Vec::new();
    let items: Vec<&ast::MatchRecognizePattern> = match pattern {
        ast::MatchRecognizePattern::Concat(items) => items.iter().collect(),
        other => vec![other],
    };
    let mut states: u64 = 0;
    for item in items {
        let (symbol, quantifier) = match item {
            ast::MatchRecognizePattern::Symbol(s) => (s, None),
            ast::MatchRecognizePattern::Repetition(inner, q) => match inner.as_ref() {
                ast::MatchRecognizePattern::Symbol(s) => (s, Some(q)),
                other => return Err(unsupported_pattern(other, location)),
            },
            other => return Err(unsupported_pattern(other, location)),
        };
        let name = match symbol {
            ast::MatchRecognizeSymbol::Named(i) => i.value.clone(),
            _ => return Err(SqlError::new(format!("`{symbol}` in a pattern is not supported by Flink")).at(location)),
        };
        if variables.contains(&name) {
            return Err(SqlError::new("Pattern variables must be unique. That might change in the future.")
                .at(location)
                .hint(format!("`{name}` appears twice in the pattern")));
        }
        variables.push(name);
        let term = quantified(variables.len() - 1, quantifier, location)?;
        states += match term.kind {
            TermKind::Single => 1,
            TermKind::Times { to, .. } => u64::from(to),
            TermKind::Looping { from } => u64::from(from) + 1,
        };
        if states > MAX_PATTERN_STATES {
            return Err(SqlError::new(format!("the pattern is too large (over {MAX_PATTERN_STATES} states)"))
                .at(location)
                .hint("use a smaller {n,m} quantifier"));
        }
        terms.push(term);
    }
    if terms.last().is_some_and(|t| t.greedy) {
        return Err(SqlError::new(
            "Greedy quantifiers are not allowed as the last element of a Pattern yet. Finish your pattern with either a simple variable or reluctant quantifier.",
        )
        .at(location));
    }

    let skip = match after_match_skip {
        None | Some(ast::AfterMatchSkip::ToNextRow) => AfterMatch::ToNextRow,
        Some(ast::AfterMatchSkip::PastLastRow) => AfterMatch::PastLastRow,
        Some(ast::AfterMatchSkip::ToFirst(v)) => AfterMatch::ToFirst(variable(&variables, v, location)?),
        Some(ast::AfterMatchSkip::ToLast(v)) => AfterMatch::ToLast(variable(&variables, v, location)?),
    };

    let mut defines: Vec<Option<CepExpr>> = vec![None; variables.len()];
    let mut within = None;
    let mut subsets = Vec::new();
    for s in symbols.iter().filter(|s| s.symbol.value == SUBSET_SYMBOL) {
        subsets.push(subset(&s.definition, &variables, &subsets)?);
    }
    let names = Names { variables: &variables, subsets: &subsets };
    for s in symbols {
        if s.symbol.value == WITHIN_SYMBOL {
            within = Some(within_ms(&s.definition)?);
            continue;
        }
        if s.symbol.value == SUBSET_SYMBOL {
            continue;
        }
        // A definition of a variable the pattern does not use is ignored, as in Flink.
        let Some(v) = variables.iter().position(|n| *n == s.symbol.value) else { continue };
        let bound = bind_cep(&s.definition, &scope, &names, Clause::Define)?;
        if !matches!(bound.expr.ty.data_type, DataType::Boolean | DataType::Null) {
            return Err(SqlError::new(format!("DEFINE {} must be a boolean condition, not {}", s.symbol.value, bound.expr.ty))
                .at(bind::location(ast::Spanned::span(&s.definition))));
        }
        defines[v] = Some(bound);
    }

    let mut fields: Vec<SchemaField> = partition.iter().map(|&c| scope[c].clone()).collect();
    let mut bound_measures = Vec::new();
    for m in measures {
        let bound = bind_cep(&m.expr, &scope, &names, Clause::Measures)?;
        fields.push(SchemaField { name: m.alias.value.clone(), ty: bound.expr.ty.clone(), qualifier: None });
        bound_measures.push((m.alias.value.clone(), bound));
    }
    if let Some(a) = alias {
        for f in &mut fields {
            f.qualifier = Some(a.name.value.clone());
        }
    }
    let spec =
        MatchSpec { partition, order, variables, pattern: terms, defines, measures: bound_measures, skip, within, subsets, proctime };
    Ok(Plan { schema: Schema { fields }, node: Node::Match { input: Box::new(input), spec: Box::new(spec), location } })
}

/// The pattern's variables and the SUBSET union variables, by name.
struct Names<'a> {
    variables: &'a [String],
    subsets: &'a [(String, Vec<usize>)],
}

impl Names<'_> {
    fn rows(&self, name: &ast::Ident, loc: Location) -> Result<Rows> {
        if let Some(v) = self.variables.iter().position(|n| *n == name.value) {
            return Ok(Rows::Variable(v));
        }
        if let Some((n, vs)) = self.subsets.iter().find(|(n, _)| *n == name.value) {
            return Ok(Rows::Subset { name: n.clone(), variables: vs.clone() });
        }
        Err(SqlError::new(format!("Unknown pattern '{}'", name.value))
            .at(loc)
            .hint(format!("the pattern's variables are: {}", self.variables.join(", "))))
    }
}

/// One `SUBSET` item, `S = (A, B)`, as the token pass (`sql::within`) leaves it.
fn subset(e: &ast::Expr, variables: &[String], known: &[(String, Vec<usize>)]) -> Result<(String, Vec<usize>)> {
    let loc = bind::location(ast::Spanned::span(e));
    let usage = || SqlError::new(format!("`{e}`: a SUBSET item is a name and its variables, e.g. SUBSET S = (A, B)")).at(loc);
    let ast::Expr::BinaryOp { left, op: ast::BinaryOperator::Eq, right } = e else { return Err(usage()) };
    let ast::Expr::Identifier(name) = left.as_ref() else { return Err(usage()) };
    let members: Vec<&ast::Expr> = match right.as_ref() {
        ast::Expr::Tuple(items) => items.iter().collect(),
        ast::Expr::Nested(item) => vec![item.as_ref()],
        _ => return Err(usage()),
    };
    if variables.contains(&name.value) || known.iter().any(|(n, _)| *n == name.value) {
        return Err(SqlError::new(format!("Pattern variable '{}' has already been defined", name.value)).at(loc));
    }
    let mut of = Vec::new();
    for m in members {
        let ast::Expr::Identifier(v) = m else { return Err(usage()) };
        let v = variable(variables, v, loc)?;
        if !of.contains(&v) {
            of.push(v);
        }
    }
    Ok((name.value.clone(), of))
}

/// `WITHIN INTERVAL …`: a positive interval of milliseconds or more.
fn within_ms(e: &ast::Expr) -> Result<i64> {
    let loc = bind::location(ast::Spanned::span(e));
    let bound = Binder::new(&[]).bind(e)?;
    match bind::interval_ms(&bound) {
        Some(ms) if ms > 0 => Ok(ms),
        _ => {
            Err(SqlError::new(format!("WITHIN takes a positive time interval, not `{e}`")).at(loc).hint("e.g. WITHIN INTERVAL '10' MINUTE"))
        }
    }
}

fn unsupported_pattern(p: &ast::MatchRecognizePattern, location: Location) -> SqlError {
    let message = match p {
        ast::MatchRecognizePattern::Alternation(_) => {
            format!("Expression not supported: {p}. Currently, CEP doesn't support branching patterns.")
        }
        ast::MatchRecognizePattern::Permute(_) => "Currently, CEP doesn't support PERMUTE patterns.".to_string(),
        ast::MatchRecognizePattern::Exclude(_) => "Currently, CEP doesn't support '{-' '-}' patterns.".to_string(),
        _ => format!("Expression not supported: {p} Group patterns are not supported yet."),
    };
    SqlError::new(message).at(location).hint("write the pattern as a sequence of variables, each with an optional quantifier")
}

fn variable(variables: &[String], v: &ast::Ident, location: Location) -> Result<usize> {
    variables.iter().position(|n| *n == v.value).ok_or_else(|| SqlError::new(format!("Unknown pattern '{}'", v.value)).at(location))
}

/// A quantifier as `CommonExecMatch.applyQuantifier` translates it.
fn quantified(variable: usize, q: Option<&ast::RepetitionQuantifier>, location: Location) -> Result<PatternTerm> {
    use ast::RepetitionQuantifier as Q;
    let (q, reluctant) = match q {
        Some(Q::Reluctant(inner)) => (Some(inner.as_ref()), true),
        other => (other, false),
    };
    let (min, max) = match q {
        None => (1, Some(1)),
        Some(Q::ZeroOrMore) => (0, None),
        Some(Q::OneOrMore) => (1, None),
        Some(Q::AtMostOne) => (0, Some(1)),
        Some(Q::Exactly(n)) => (*n, Some(*n)),
        Some(Q::AtLeast(n)) => (*n, None),
        Some(Q::AtMost(m)) => (0, Some(*m)),
        Some(Q::Range(n, m)) => (*n, Some(*m)),
        Some(Q::Reluctant(_)) => return Err(SqlError::new("a quantifier may be made reluctant only once").at(location)),
    };
    if max == Some(0) || max.is_some_and(|m| m < min) {
        return Err(SqlError::new(format!("the quantifier {{{min},{}}} matches no row", max.unwrap_or(0))).at(location));
    }
    let optional = min == 0;
    let kind = match max {
        Some(1) => TermKind::Single,
        Some(to) => TermKind::Times { from: min.max(1), to },
        None => TermKind::Looping { from: min.max(1) },
    };
    let single_or_exact = min == 0 && max == Some(1) || max == Some(min);
    if reluctant && min == 0 && max == Some(1) {
        return Err(SqlError::new("Reluctant optional variables are not supported yet.").at(location));
    }
    let greedy = !reluctant && !single_or_exact;
    Ok(PatternTerm { variable, kind, optional, greedy, min, max, reluctant })
}

/// The ORDER BY of MATCH_RECOGNIZE, checked as `StreamExecMatch.checkOrderKeys` checks it.
fn order_keys(scope: &[SchemaField], order_by: &[ast::OrderByExpr], location: Location) -> Result<Vec<SortKey>> {
    let Some(first) = order_by.first() else {
        return Err(SqlError::new("You must specify either rowtime or proctime for order by.")
            .at(location)
            .hint("ORDER BY the table's event-time attribute (its WATERMARK FOR column)"));
    };
    let mut keys = Vec::new();
    for o in order_by {
        let bound = Binder::new(scope).bind(&o.expr)?;
        let loc = bind::location(ast::Spanned::span(&o.expr));
        let column = bound.as_column().ok_or_else(|| SqlError::new("ORDER BY of MATCH_RECOGNIZE takes columns").at(loc))?;
        let descending = matches!(o.options.sort, Some(ast::OrderBySort::Desc));
        keys.push(SortKey { column, descending, nulls_first: o.options.nulls_first.unwrap_or(!descending) });
    }
    let time = &scope[keys[0].column].ty;
    let loc = bind::location(ast::Spanned::span(&first.expr));
    if !time.is_time_attribute() {
        return Err(SqlError::new("You must specify either rowtime or proctime for order by as the first one.").at(loc));
    }
    if keys[0].descending {
        return Err(SqlError::new("Primary sort order of a streaming table must be ascending on time.").at(loc));
    }
    Ok(keys)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Clause {
    Define,
    Measures,
}

/// Binds a DEFINE or MEASURES expression: its navigations become slots `$cep0`, `$cep1`, …
fn bind_cep(e: &ast::Expr, scope: &[SchemaField], names: &Names<'_>, clause: Clause) -> Result<CepExpr> {
    let mut rewritten = e.clone();
    let mut finder = Navigations { scope, names, clause, found: Vec::new() };
    walk::rewrite(&mut rewritten, |n| match n {
        walk::Node::Enter(e) => finder.visit_expr(e),
        _ => Ok(()),
    })?;
    let slots: Vec<SchemaField> = finder
        .found
        .iter()
        .enumerate()
        .map(|(i, (_, ty))| SchemaField { name: format!("$cep{i}"), ty: ty.clone(), qualifier: None })
        .collect();
    let expr = Binder::new(&slots).bind(&rewritten)?;
    let (navigations, types) = finder.found.into_iter().unzip();
    Ok(CepExpr { expr, navigations, types, text: e.to_string() })
}

struct Navigations<'a> {
    scope: &'a [SchemaField],
    names: &'a Names<'a>,
    clause: Clause,
    found: Vec<(Navigation, SqlType)>,
}

impl Navigations<'_> {
    fn slot(&mut self, nav: Navigation, ty: SqlType) -> ast::Expr {
        let i = match self.found.iter().position(|(n, _)| *n == nav) {
            Some(i) => i,
            None => {
                self.found.push((nav, ty));
                self.found.len() - 1
            }
        };
        ast::Expr::Identifier(ast::Ident::new(format!("$cep{i}")))
    }

    /// The rows `name` stands for (a variable; a SUBSET only in MEASURES, as Flink).
    fn rows(&self, name: &ast::Ident, loc: Location) -> Result<Rows> {
        let rows = self.names.rows(name, loc)?;
        if self.clause == Clause::Define && matches!(rows, Rows::Subset { .. }) {
            return Err(SqlError::new(format!("Table '{}' not found", name.value))
                .at(loc)
                .hint("Flink reads a SUBSET only in MEASURES; name the variables in DEFINE"));
        }
        Ok(rows)
    }

    /// `v.column` or `column`: the rows (of the named variable or subset) and the column.
    fn column_ref(&self, e: &ast::Expr) -> Result<(Rows, usize)> {
        let loc = bind::location(ast::Spanned::span(e));
        let (var, name) = match e {
            ast::Expr::Identifier(c) => (Rows::All, c),
            ast::Expr::CompoundIdentifier(parts) if parts.len() == 2 => (self.rows(&parts[0], loc)?, &parts[1]),
            _ => {
                return Err(
                    SqlError::new(format!("`{e}`: navigations take a column, such as A.temperature or LAST(A.temperature, 1)")).at(loc)
                )
            }
        };
        let column = self.scope.iter().position(|f| f.name == name.value).ok_or_else(|| {
            let all: Vec<&str> = self.scope.iter().map(|f| f.name.as_str()).collect();
            SqlError::new(format!("column `{}` not found", name.value)).at(loc).hint(format!("the columns are: {}", all.join(", ")))
        })?;
        Ok((var, column))
    }

    fn navigation(&mut self, e: &ast::Expr) -> Result<Option<ast::Expr>> {
        let loc = bind::location(ast::Spanned::span(e));
        match e {
            ast::Expr::Identifier(_) | ast::Expr::CompoundIdentifier(_) => {
                let (rows, column) = self.column_ref(e)?;
                let ty = self.scope[column].ty.plain().with_nullable(true);
                Ok(Some(self.slot(Navigation::Row { rows, column, first: false, offset: 0 }, ty)))
            }
            ast::Expr::Function(f) => {
                let name = function_name(f);
                let (args, distinct) = function_args(f).map_err(|err| err.or_at(loc))?;
                match name.as_str() {
                    "PREV" | "NEXT" => Err(match self.clause {
                        Clause::Define => SqlError::new("Flink does not support physical offsets within partition.")
                            .at(loc)
                            .hint("read earlier rows of a variable with LAST(A.col, n) or FIRST(A.col, n)"),
                        Clause::Measures => SqlError::new(format!("Cannot use PREV/NEXT in MEASURE '{e}'")).at(loc),
                    }),
                    "FIRST" | "LAST" => {
                        let (arg, offset) = match args.as_slice() {
                            [FnArg::Expr(a)] => (a, 0),
                            [FnArg::Expr(a), FnArg::Expr(n)] => (a, offset_literal(n, loc)?),
                            _ => return Err(SqlError::new(format!("{name} takes a column and an optional offset")).at(loc)),
                        };
                        let (rows, column) = self.column_ref(arg)?;
                        let ty = self.scope[column].ty.plain().with_nullable(true);
                        Ok(Some(self.slot(Navigation::Row { rows, column, first: name == "FIRST", offset }, ty)))
                    }
                    "MATCH_ROWTIME" | "MATCH_PROCTIME" => {
                        // Flink 2.3 takes MATCH_PROCTIME() in DEFINE too (the clock when the row is taken).
                        if (self.clause == Clause::Define && name == "MATCH_ROWTIME") || !args.is_empty() {
                            return Err(SqlError::new(format!("{name}() is only allowed in MEASURES, without arguments")).at(loc));
                        }
                        Ok(Some(if name == "MATCH_ROWTIME" {
                            self.slot(Navigation::MatchRowtime, SqlType::not_null(DataType::Timestamp(3)).as_rowtime())
                        } else {
                            let mut ty = SqlType::not_null(DataType::TimestampLtz(3));
                            ty.proctime = true;
                            self.slot(Navigation::MatchProctime, ty)
                        }))
                    }
                    "CLASSIFIER" => Err(SqlError::new("Unsupported call: CLASSIFIER() ")
                        .at(loc)
                        .hint("Flink 2.3 cannot translate CLASSIFIER(); a measure per variable (A.col IS NOT NULL) tells which matched")),
                    _ => {
                        let Some(func) = aggregate_function(&name) else { return Ok(None) };
                        let aggregate = self.aggregate(e, f, func, distinct, loc)?;
                        let ty = aggregate.call.ty.clone();
                        Ok(Some(self.slot(Navigation::Aggregate(Box::new(aggregate)), ty)))
                    }
                }
            }
            _ => Ok(None),
        }
    }

    /// An aggregate call: its argument may be any expression over the columns of one variable
    /// (or SUBSET, or of every row when unqualified), as Calcite validates it.
    fn aggregate(&self, e: &ast::Expr, f: &ast::Function, func: AggFunc, distinct: bool, loc: Location) -> Result<CepAggregate> {
        if distinct {
            return Err(SqlError::new(format!("DISTINCT/ALL not allowed with {e} function"))
                .at(loc)
                .hint("Flink takes no DISTINCT aggregate in MATCH_RECOGNIZE"));
        }
        if f.over.is_some() {
            return Err(SqlError::new(format!("`{e}`: OVER is not allowed in MATCH_RECOGNIZE")).at(loc));
        }
        if matches!(func, AggFunc::Lag { .. }) {
            return Err(SqlError::new("OVER clause is necessary for window functions").at(loc));
        }
        if let AggFunc::JsonObjectAgg { .. } = func {
            // Checked on Flink 2.3: its MATCH_RECOGNIZE aggregates find no accumulate method. The
            // parser's fixed shape (`sql/json.rs`) puts the ON NULL behaviour first.
            let absent = matches!(function_args(f), Ok((a, _)) if matches!(a.first(), Some(FnArg::Expr(b)) if b.to_string() == "'ABSENT'"));
            let variant = if absent { "ABSENT" } else { "NULL" };
            return Err(SqlError::new(format!(
                "Could not find an implementation method 'accumulate' in class 'org.apache.flink.table.runtime.functions.aggregate.JsonObjectAggFunction' for function 'JSON_OBJECTAGG_{variant}_ON_NULL'"
            ))
            .at(loc)
            .hint("Flink 2.3 cannot run JSON_OBJECTAGG in MATCH_RECOGNIZE; JSON_ARRAYAGG and LISTAGG work"));
        }
        // Strip the variable from each column (`B.temp * 2` → `temp * 2`), noting which it was.
        let mut call = e.clone();
        let mut strip = StripVariables { found: Vec::new() };
        let _ = walk::rewrite(&mut call, |n| {
            if let walk::Node::Enter(e) = n {
                strip.visit_expr(e);
            }
            Ok(())
        });
        let ast::Expr::Function(stripped) = &call else { return Err(SqlError::new("not an aggregate call").at(loc)) };
        // `COUNT(*)`, `COUNT(A.*)`: the rows, no argument.
        let (args, _) = function_args(f).map_err(|err| err.or_at(loc))?;
        let star = match args.as_slice() {
            [FnArg::Star] | [] if func == AggFunc::Count => Some(None),
            [FnArg::Expr(a)] if func == AggFunc::Count => match a.as_ref() {
                ast::Expr::Wildcard(_) => Some(None),
                ast::Expr::QualifiedWildcard(ast::ObjectName(parts), _) if parts.len() == 1 => parts[0].as_ident().map(|i| Some(i.clone())),
                _ => None,
            },
            _ => None,
        };
        let mut qualifiers: Vec<Option<String>> = strip.found;
        if let Some(Some(v)) = &star {
            qualifiers.push(Some(v.value.clone()));
        }
        qualifiers.dedup();
        qualifiers.sort();
        qualifiers.dedup();
        if qualifiers.len() > 1 {
            return Err(SqlError::new(format!("Multiple pattern variables in '{e}'"))
                .at(loc)
                .hint("aggregate the columns of one variable, e.g. SUM(B.temp) - SUM(A.temp)"));
        }
        let rows = match qualifiers.first() {
            Some(Some(v)) => self.rows(&ast::Ident::new(v.clone()), loc)?,
            _ => Rows::All,
        };
        let bound = match star {
            Some(_) => bind::BoundAgg {
                func: AggFunc::CountStar,
                arg: None,
                distinct: false,
                ty: SqlType::not_null(DataType::BigInt),
                separator: None,
                filter: None,
                default: None,
            },
            None => Binder::new(self.scope).bound_aggregate(&call, stripped, func)?,
        };
        if f.filter.is_some() {
            return Err(SqlError::new(format!("Unsupported call: FILTER({}, BOOLEAN) ", bound.ty))
                .at(loc)
                .hint("Flink takes no FILTER (WHERE …) in MATCH_RECOGNIZE; write the condition into the argument with CASE"));
        }
        let call = AggCall {
            func: bound.func,
            arg: bound.arg.as_ref().map(|_| 0),
            distinct: false,
            separator: bound.separator,
            ty: bound.ty,
            arg_ty: bound.arg.as_ref().map(|a| a.ty.clone()),
            filter: None,
        };
        Ok(CepAggregate { rows, call, arg: bound.arg, text: e.to_string() })
    }
}

/// Rewrites `v.column` to `column` inside an aggregate's argument, collecting each `v` (none for
/// a bare column).
struct StripVariables {
    found: Vec<Option<String>>,
}

impl StripVariables {
    fn visit_expr(&mut self, expr: &mut ast::Expr) {
        match expr {
            ast::Expr::CompoundIdentifier(parts) if parts.len() == 2 => {
                self.found.push(Some(parts[0].value.clone()));
                *expr = ast::Expr::Identifier(parts[1].clone());
            }
            ast::Expr::Identifier(_) => self.found.push(None),
            _ => {}
        }
    }
}

fn offset_literal(e: &ast::Expr, loc: Location) -> Result<u32> {
    match e {
        ast::Expr::Value(v) => match &v.value {
            ast::Value::Number(n, _) => n.parse::<u32>().ok(),
            _ => None,
        },
        _ => None,
    }
    .ok_or_else(|| SqlError::new(format!("the offset `{e}` must be a non-negative integer literal")).at(loc))
}

impl Navigations<'_> {
    /// An expression, before its children: a navigation becomes its slot.
    fn visit_expr(&mut self, expr: &mut ast::Expr) -> Result<()> {
        if let Some(slot) = self.navigation(expr)? {
            *expr = slot;
        }
        Ok(())
    }
}

impl Navigation {
    pub fn describe(&self, variables: &[String], input: &Schema) -> String {
        let col = |c: usize| input.fields.get(c).map_or_else(|| format!("${c}"), |f| f.name.clone());
        match self {
            Navigation::Row { rows, column, first, offset } => {
                format!("{}({}.{}, {offset})", if *first { "FIRST" } else { "LAST" }, rows.describe(variables), col(*column))
            }
            Navigation::Aggregate(a) => a.text.clone(),
            Navigation::MatchRowtime => "MATCH_ROWTIME()".to_string(),
            Navigation::MatchProctime => "MATCH_PROCTIME()".to_string(),
        }
    }
}

/// EXPLAIN's line for a `Match` node, in the shape of Flink's.
pub fn explain(spec: &MatchSpec, input: &Schema) -> String {
    let name = |c: usize| input.fields.get(c).map_or_else(|| format!("${c}"), |f| f.name.clone());
    let partition: Vec<String> = spec.partition.iter().map(|&c| name(c)).collect();
    let order: Vec<String> =
        spec.order.iter().map(|k| format!("{} {}", name(k.column), if k.descending { "DESC" } else { "ASC" })).collect();
    let measures: Vec<String> = spec.measures.iter().map(|(n, m)| format!("FINAL({}) AS {n}", m.text)).collect();
    let skip = match &spec.skip {
        AfterMatch::PastLastRow => "SKIP PAST LAST ROW".to_string(),
        AfterMatch::ToNextRow => "SKIP TO NEXT ROW".to_string(),
        AfterMatch::ToFirst(v) => format!("SKIP TO FIRST {}", spec.variables[*v]),
        AfterMatch::ToLast(v) => format!("SKIP TO LAST {}", spec.variables[*v]),
    };
    let pattern: Vec<String> = spec.pattern.iter().map(|t| format!("{}{t}", spec.variables[t.variable])).collect();
    let within = spec.within.map_or_else(String::new, |ms| format!(" WITHIN {ms} ms"));
    let subsets: Vec<String> = spec
        .subsets
        .iter()
        .map(|(n, vs)| format!("{n} = ({})", vs.iter().map(|&v| spec.variables[v].as_str()).collect::<Vec<_>>().join(", ")))
        .collect();
    let subset = if subsets.is_empty() { String::new() } else { format!("subset=[{}], ", subsets.join(", ")) };
    let define: Vec<String> =
        spec.defines.iter().enumerate().filter_map(|(v, d)| d.as_ref().map(|d| format!("{} AS {}", spec.variables[v], d.text))).collect();
    let partition = if partition.is_empty() { String::new() } else { format!("partitionBy=[{}], ", partition.join(", ")) };
    format!(
        "Match({partition}orderBy=[{}], measures=[{}], rowsPerMatch=[ONE ROW PER MATCH], after=[{skip}], pattern=[({}){within}], {subset}define=[{{{}}}])",
        order.join(", "),
        measures.join(", "),
        pattern.join(" "),
        define.join(", ")
    )
}
