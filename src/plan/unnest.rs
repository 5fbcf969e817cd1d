//! `UNNEST` in FROM, as Flink's planner reads it (`LogicalUnnestRule` → a `Correlate` over the
//! UNNEST table function): `t CROSS JOIN UNNEST(t.tags) AS u(tag)`, `t, UNNEST(…)`,
//! `t LEFT JOIN UNNEST(…) ON TRUE`, with `WITH ORDINALITY`. The collection is an expression
//! over the row on its left; the result is the left's columns followed by the element's:
//!
//! | collection       | columns added                              |
//! |------------------|--------------------------------------------|
//! | `ARRAY<T>`       | one, of type T (a ROW's fields, each one)  |
//! | `MAP<K, V>`      | two, the key and the value                 |
//! | `MULTISET<T>`    | one, each element as often as it is held   |
//!
//! and `WITH ORDINALITY` a last `INT NOT NULL` column numbering the elements from 1.
//!
//! A user-defined table function joins the same way (Flink's `LogicalTableFunctionScan` under a
//! `Correlate`): `t, LATERAL TABLE(f(x)) [AS T(a, b)]`, `t CROSS JOIN LATERAL TABLE(…)`,
//! `t JOIN LATERAL TABLE(…) ON TRUE` and `t LEFT JOIN LATERAL TABLE(…) ON TRUE`. The columns
//! added are the fields of its result row; the call is the [`Unnest`]'s `arg`, which the
//! engine's `Correlate` hands to the host a batch at a time.

use sqlparser::ast::{self, TableFactor};

use super::bind::Binder;
use super::catalog::Catalog;
use super::expr::{Expr, ExprKind};
use super::functions::user;
use super::logical::{Node, Plan, Schema, SchemaField, Unnest};
use crate::sql::{Location, SqlError};
use crate::types::{DataType, SqlType, Value};

/// Whether a FROM item is an `UNNEST(…)` or a `LATERAL TABLE(…)`.
pub fn is_unnest(factor: &TableFactor) -> bool {
    parts(factor).is_some() || lateral_table(factor).is_some()
}

/// `LATERAL TABLE(f(…)) [AS alias(columns)]`: the call and the alias. sqlparser reads it as a
/// lateral table function named TABLE whose one argument is the call.
fn lateral_table(factor: &TableFactor) -> Option<(&ast::Expr, Option<&ast::TableAlias>)> {
    match factor {
        TableFactor::Function { lateral: true, name, args, alias, .. }
            if name.0.len() == 1 && name.0[0].as_ident().is_some_and(|i| i.value.eq_ignore_ascii_case("TABLE")) =>
        {
            match args.as_slice() {
                [ast::FunctionArg::Unnamed(ast::FunctionArgExpr::Expr(call @ ast::Expr::Function(_)))] => Some((call, alias.as_ref())),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The user table function a `LATERAL TABLE(f(…))` calls, bound over the row on its left:
/// the call (typed as its result row) and the columns it adds.
fn table_call(
    call: &ast::Expr,
    left: &Plan,
    catalog: Option<&Catalog>,
    location: Location,
) -> Result<(Expr, Vec<(String, SqlType)>), SqlError> {
    let ast::Expr::Function(f) = call else { return Err(SqlError::new("LATERAL TABLE takes a function call").at(location)) };
    let name = f.name.to_string();
    let Some(function) = catalog.and_then(|c| c.user_function(&name)).cloned() else {
        return Err(SqlError::new(format!("no table function named {name}"))
            .at(location)
            .hint("register a Python @udtf (CREATE TEMPORARY FUNCTION … LANGUAGE PYTHON, or st_env.create_temporary_function); SHOW USER FUNCTIONS lists them"));
    };
    if function.kind != user::UserFunctionKind::Table {
        return Err(SqlError::new(format!("{name} is a scalar function, not a table function"))
            .at(location)
            .hint(format!("call it in the SELECT list: SELECT {name}(…) FROM …")));
    }
    let (args, _) = super::bind::function_args(f)?;
    let mut bound = Vec::with_capacity(args.len());
    for a in &args {
        match a {
            super::bind::FnArg::Expr(x) => bound.push(Binder::new(&left.schema.fields).with_catalog_opt(catalog).bind(x)?),
            super::bind::FnArg::Star => return Err(SqlError::new(format!("{name}(*) is not valid")).at(location)),
        }
    }
    user::check_arguments(&function, &mut bound).map_err(|m| SqlError::new(m).at(location))?;
    let added = function.result_fields().into_iter().map(|f| (f.name, f.ty.plain().with_nullable(true))).collect();
    let ty = SqlType::nullable(function.result.clone());
    Ok((Expr { kind: ExprKind::UserCall { func: function, args: bound }, ty }, added))
}

/// An UNNEST's alias, arguments and `WITH ORDINALITY`. sqlparser reads `UNNEST(…)` in FROM as
/// a table function named UNNEST for dialects other than its own few.
fn parts(factor: &TableFactor) -> Option<(Option<&ast::TableAlias>, Vec<&ast::Expr>, bool)> {
    match factor {
        TableFactor::UNNEST { alias, array_exprs, with_ordinality, with_offset: false, .. } => {
            Some((alias.as_ref(), array_exprs.iter().collect(), *with_ordinality))
        }
        TableFactor::Table { name, alias, args: Some(args), with_ordinality, .. }
            if name.0.len() == 1 && name.0[0].as_ident().is_some_and(|i| i.value.eq_ignore_ascii_case("UNNEST")) =>
        {
            let exprs = args
                .args
                .iter()
                .map(|a| match a {
                    ast::FunctionArg::Unnamed(ast::FunctionArgExpr::Expr(e)) => Some(e),
                    _ => None,
                })
                .collect::<Option<Vec<_>>>()?;
            Some((alias.as_ref(), exprs, *with_ordinality))
        }
        _ => None,
    }
}

/// `left` joined with the UNNEST in `factor`; `op` is the join written before it (`None` for a
/// comma).
pub fn correlate(
    left: Plan,
    factor: &TableFactor,
    op: Option<&ast::JoinOperator>,
    location: Location,
    catalog: Option<&Catalog>,
) -> Result<Plan, SqlError> {
    let table = lateral_table(factor);
    let (alias, array_exprs, with_ordinality) = match (parts(factor), table) {
        (Some(parts), _) => parts,
        (None, Some((call, alias))) => (alias, vec![call], false),
        (None, None) => return Err(SqlError::new("expected UNNEST(…) or LATERAL TABLE(…)").at(location)),
    };
    let what = if table.is_some() { "LATERAL TABLE" } else { "UNNEST" };
    let [arg] = array_exprs.as_slice() else {
        return Err(SqlError::new("UNNEST takes one ARRAY, MAP or MULTISET").at(location));
    };
    use ast::JoinOperator as J;
    let (left_outer, condition) = match op {
        None | Some(J::CrossJoin(_)) => (false, None),
        Some(J::Join(c) | J::Inner(c)) => (false, on(c)),
        Some(J::Left(c) | J::LeftOuter(c)) => match on(c) {
            Some(e) if is_true(e) => (true, None),
            _ => {
                return Err(SqlError::new(format!("a LEFT JOIN with {what} must be `ON TRUE`"))
                    .at(location)
                    .hint(format!("write LEFT JOIN {what}(…) AS t(x) ON TRUE and filter in WHERE")))
            }
        },
        Some(_) => {
            return Err(SqlError::new(format!("{what} can only be joined with CROSS JOIN, JOIN … ON or LEFT JOIN … ON TRUE")).at(location))
        }
    };
    let nullable_side = left_outer;
    let mut expand_rows = false;
    let (arg, mut added) = if table.is_some() {
        table_call(arg, &left, catalog, location)?
    } else {
        let arg = Binder::new(&left.schema.fields).with_catalog_opt(catalog).bind(arg)?;
        let added = unnested_columns(&arg, &mut expand_rows, location)?;
        (arg, added)
    };
    if with_ordinality {
        added.push(("ORDINALITY".to_string(), SqlType::not_null(DataType::Int)));
    }
    let qualifier = alias.map(|a| a.name.value.clone());
    if let Some(names) = alias.map(|a| &a.columns).filter(|c| !c.is_empty()) {
        if names.len() != added.len() {
            return Err(
                SqlError::new(format!("UNNEST here gives {} columns, but the alias names {}", added.len(), names.len())).at(location)
            );
        }
        for ((name, _), column) in added.iter_mut().zip(names) {
            *name = column.name.value.clone();
        }
    }
    let mut fields = left.schema.fields.clone();
    fields.extend(added.into_iter().map(|(name, ty)| SchemaField {
        name,
        ty: ty.plain().with_nullable(ty.nullable || nullable_side),
        qualifier: qualifier.clone(),
    }));
    let unnest = Unnest { arg, ordinality: with_ordinality, left_outer, expand_rows, replicate: false };
    let plan = Plan { schema: Schema { fields }, node: Node::Correlate { input: Box::new(left), unnest } };
    match condition {
        None => Ok(plan),
        Some(e) => {
            let predicate = Binder::new(&plan.schema.fields).bind_predicate(e, "ON")?;
            if matches!(predicate.kind, ExprKind::Literal(Value::Bool(true))) {
                return Ok(plan);
            }
            Ok(Plan { schema: plan.schema.clone(), node: Node::Filter { input: Box::new(plan), predicate } })
        }
    }
}

fn on(c: &ast::JoinConstraint) -> Option<&ast::Expr> {
    match c {
        ast::JoinConstraint::On(e) => Some(e),
        _ => None,
    }
}

fn is_true(e: &ast::Expr) -> bool {
    matches!(e, ast::Expr::Value(v) if v.value == ast::Value::Boolean(true))
}

/// The columns an UNNEST of `arg` adds; `expand_rows` is set for an ARRAY of ROWs.
fn unnested_columns(arg: &Expr, expand_rows: &mut bool, location: Location) -> Result<Vec<(String, SqlType)>, SqlError> {
    Ok(match &arg.ty.data_type {
        DataType::Array(element) => match &element.data_type {
            DataType::Row(fields) => {
                *expand_rows = true;
                fields.iter().map(|f| (f.name.clone(), f.ty.clone())).collect()
            }
            _ => vec![("f0".to_string(), (**element).clone())],
        },
        DataType::Multiset(element) => vec![("f0".to_string(), (**element).clone())],
        DataType::Map(k, v) => vec![("f0".to_string(), (**k).clone()), ("f1".to_string(), (**v).clone())],
        _ => {
            return Err(SqlError::new(format!("UNNEST needs an ARRAY, MAP or MULTISET, not {}", arg.ty))
                .at(location)
                .hint("SPLIT(text, ',') makes an ARRAY of a string"))
        }
    })
}
