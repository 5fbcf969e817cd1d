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

use sqlparser::ast::{self, TableFactor};

use super::bind::Binder;
use super::expr::ExprKind;
use super::logical::{Node, Plan, Schema, SchemaField, Unnest};
use crate::sql::{Location, SqlError};
use crate::types::{DataType, SqlType, Value};

/// Whether a FROM item is an `UNNEST(…)`.
pub fn is_unnest(factor: &TableFactor) -> bool {
    parts(factor).is_some()
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
pub fn correlate(left: Plan, factor: &TableFactor, op: Option<&ast::JoinOperator>, location: Location) -> Result<Plan, SqlError> {
    let Some((alias, array_exprs, with_ordinality)) = parts(factor) else {
        return Err(SqlError::new("expected UNNEST(…)").at(location));
    };
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
                return Err(SqlError::new("a LEFT JOIN with UNNEST must be `ON TRUE`")
                    .at(location)
                    .hint("write LEFT JOIN UNNEST(…) AS t(x) ON TRUE and filter in WHERE"))
            }
        },
        Some(_) => return Err(SqlError::new("UNNEST can only be joined with CROSS JOIN, JOIN … ON or LEFT JOIN … ON TRUE").at(location)),
    };
    let arg = Binder::new(&left.schema.fields).bind(arg)?;
    let nullable_side = left_outer;
    let mut expand_rows = false;
    let mut added: Vec<(String, SqlType)> = match &arg.ty.data_type {
        DataType::Array(element) => match &element.data_type {
            DataType::Row(fields) => {
                expand_rows = true;
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
