//! Conditional functions (Flink's reference, "conditional" and TYPEOF from "conversion"):
//! choosing among values and testing strings. CASE, CAST and TRY_CAST are syntax the binder
//! handles itself.

use std::cmp::Ordering;

use super::typing::{check, str_value, text, unify, Arg};
use super::{Eval, Family, FunctionDef};
use crate::plan::bind::expect_boolean;
use crate::plan::expr::Expr;
use crate::types::{DataType, SqlType, Value};

const C: Family = Family::Conditional;

/// Two values of one type in SQL order (`None` when they are not comparable).
fn compare(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => Some(x.cmp(y)),
        (Value::Double(x), Value::Double(y)) => x.partial_cmp(y),
        (Value::Decimal(x, _), Value::Decimal(y, _)) => Some(x.cmp(y)),
        (Value::Str(x), Value::Str(y)) => Some(x.cmp(y)),
        (Value::Bool(x), Value::Bool(y)) => Some(x.cmp(y)),
        (Value::Date(x), Value::Date(y)) | (Value::Time(x), Value::Time(y)) => Some(x.cmp(y)),
        (Value::Timestamp(x), Value::Timestamp(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

fn extreme(a: &[Value], want: Ordering) -> Result<Value, String> {
    let mut best = &a[0];
    for v in &a[1..] {
        if compare(v, best).ok_or("values of different types")? == want {
            best = v;
        }
    }
    Ok(best.clone())
}

fn greatest_least(d: &FunctionDef, a: &mut [Expr]) -> Result<SqlType, String> {
    let ty = unify(a).map_err(|m| format!("{}: {m}", d.name))?;
    if matches!(ty.data_type, DataType::Row(_) | DataType::Interval) {
        return Err(format!("{} cannot compare values of type {}", d.name, ty));
    }
    Ok(ty)
}

/// `IS_ALPHA`, `IS_DIGIT`, `IS_DECIMAL`: FALSE for NULL, never NULL.
fn string_test(d: &FunctionDef, a: &mut [Expr]) -> Result<SqlType, String> {
    check(d, a, &[Arg::Str])?;
    Ok(SqlType::not_null(DataType::Boolean))
}

pub static FUNCTIONS: &[FunctionDef] = &[
    FunctionDef {
        name: "COALESCE",
        aliases: &[],
        family: C,
        syntax: "COALESCE(value1, value2, ...)",
        returns: "the common type, nullable only if every argument is",
        description: "The first argument that is not NULL.",
        example: "COALESCE(NULL, 'default') = 'default'",
        arity: (1, usize::MAX),
        deterministic: true,
        listed: true,
        typing: |_, a| {
            let ty = unify(a)?;
            Ok(ty.with_nullable(a.iter().all(|x| x.ty.nullable)))
        },
        eval: Eval::Lenient(|a| Ok(a.iter().find(|v| !v.is_null()).cloned().unwrap_or(Value::Null))),
    },
    FunctionDef {
        name: "IFNULL",
        aliases: &[],
        family: C,
        syntax: "IFNULL(value, replacement)",
        returns: "the common type, nullable only if replacement is",
        description: "replacement if value is NULL, else value.",
        example: "IFNULL(NULL, 5) = 5",
        arity: (2, 2),
        deterministic: true,
        listed: true,
        typing: |_, a| {
            let ty = unify(a)?;
            Ok(ty.with_nullable(a[1].ty.nullable))
        },
        eval: Eval::Lenient(|a| Ok(if a[0].is_null() { a[1].clone() } else { a[0].clone() })),
    },
    FunctionDef {
        name: "NULLIF",
        aliases: &[],
        family: C,
        syntax: "NULLIF(value1, value2)",
        returns: "the common type, nullable",
        description: "NULL if value1 equals value2, else value1.",
        example: "NULLIF(5, 5) = NULL",
        arity: (2, 2),
        deterministic: true,
        listed: true,
        typing: |_, a| Ok(unify(a)?.with_nullable(true)),
        eval: Eval::Lenient(|a| Ok(if a[0] == a[1] { Value::Null } else { a[0].clone() })),
    },
    FunctionDef {
        name: "IF",
        aliases: &[],
        family: C,
        syntax: "IF(condition, true_value, false_value)",
        returns: "the common type of the two values",
        description: "true_value if condition is TRUE, else false_value.",
        example: "IF(5 > 3, 5, 3) = 5",
        arity: (3, 3),
        deterministic: true,
        listed: true,
        typing: |_, a| {
            expect_boolean(&a[0], "IF")?;
            let nullable = a.iter().any(|x| x.ty.nullable);
            Ok(unify(&mut a[1..])?.with_nullable(nullable))
        },
        eval: Eval::Lenient(|a| Ok(if a[0] == Value::Bool(true) { a[1].clone() } else { a[2].clone() })),
    },
    FunctionDef {
        name: "GREATEST",
        aliases: &[],
        family: C,
        syntax: "GREATEST(value1, value2, ...)",
        returns: "the common type",
        description: "The greatest argument; NULL if any is NULL.",
        example: "GREATEST(1, 5, 3) = 5",
        arity: (1, usize::MAX),
        deterministic: true,
        listed: true,
        typing: greatest_least,
        eval: Eval::Strict(|a| extreme(a, Ordering::Greater)),
    },
    FunctionDef {
        name: "LEAST",
        aliases: &[],
        family: C,
        syntax: "LEAST(value1, value2, ...)",
        returns: "the common type",
        description: "The least argument; NULL if any is NULL.",
        example: "LEAST(1, 5, 3) = 1",
        arity: (1, usize::MAX),
        deterministic: true,
        listed: true,
        typing: greatest_least,
        eval: Eval::Strict(|a| extreme(a, Ordering::Less)),
    },
    FunctionDef {
        name: "IS_ALPHA",
        aliases: &[],
        family: C,
        syntax: "IS_ALPHA(string)",
        returns: "BOOLEAN NOT NULL",
        description: "Whether string is not empty and all its characters are letters; FALSE for NULL.",
        example: "IS_ALPHA('abc') = TRUE",
        arity: (1, 1),
        deterministic: true,
        listed: true,
        typing: string_test,
        eval: Eval::Lenient(|a| {
            let s = text(a, 0);
            Ok(Value::Bool(!a[0].is_null() && !s.is_empty() && s.chars().all(char::is_alphabetic)))
        }),
    },
    FunctionDef {
        name: "IS_DIGIT",
        aliases: &[],
        family: C,
        syntax: "IS_DIGIT(string)",
        returns: "BOOLEAN NOT NULL",
        description: "Whether string is not empty and all its characters are digits; FALSE for NULL.",
        example: "IS_DIGIT('123') = TRUE",
        arity: (1, 1),
        deterministic: true,
        listed: true,
        typing: string_test,
        eval: Eval::Lenient(|a| {
            let s = text(a, 0);
            Ok(Value::Bool(!a[0].is_null() && !s.is_empty() && s.chars().all(char::is_numeric)))
        }),
    },
    FunctionDef {
        name: "IS_DECIMAL",
        aliases: &[],
        family: C,
        syntax: "IS_DECIMAL(string)",
        returns: "BOOLEAN NOT NULL",
        description: "Whether string reads as a number; FALSE for NULL.",
        example: "IS_DECIMAL('-1.5e3') = TRUE",
        arity: (1, 1),
        deterministic: true,
        listed: true,
        typing: string_test,
        eval: Eval::Lenient(|a| Ok(Value::Bool(!a[0].is_null() && is_decimal(text(a, 0).trim())))),
    },
    FunctionDef {
        name: "TYPEOF",
        aliases: &[],
        family: C,
        syntax: "TYPEOF(value[, force_serializable])",
        returns: "STRING",
        description: "The name of value's data type, as DESCRIBE prints it.",
        example: "TYPEOF(1) = 'INT NOT NULL'",
        arity: (1, 2),
        deterministic: true,
        listed: true,
        typing: |_, _| Ok(SqlType::nullable(DataType::Varchar(crate::types::STRING_LENGTH))),
        eval: Eval::Rewrite(|a| {
            // Known when the query is planned: a constant.
            let ty = a[0].ty.clone();
            let name = if ty.nullable { ty.data_type.to_string() } else { format!("{} NOT NULL", ty.data_type) };
            Ok(Expr::literal(str_value(name), SqlType::nullable(DataType::Varchar(crate::types::STRING_LENGTH))))
        }),
    },
];

/// Java's `NumberUtils.isCreatable`-like test Flink's IS_DECIMAL uses: digits with an optional
/// sign, point and exponent.
fn is_decimal(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (mantissa, exponent) = match body.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e)),
        None => (body, None),
    };
    let digits = mantissa.chars().filter(char::is_ascii_digit).count();
    let points = mantissa.chars().filter(|c| *c == '.').count();
    let mantissa_ok = digits > 0 && points <= 1 && mantissa.chars().all(|c| c.is_ascii_digit() || c == '.');
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && e.chars().all(|c| c.is_ascii_digit())
    });
    mantissa_ok && exponent_ok
}

/// `a IS DISTINCT FROM b` (and, under a NOT, `IS NOT DISTINCT FROM`): inequality where two
/// NULLs are equal and NULL differs from any value; never NULL.
pub static IS_DISTINCT_FROM: FunctionDef = FunctionDef {
    name: "IS DISTINCT FROM",
    aliases: &[],
    family: C,
    syntax: "value1 IS [NOT] DISTINCT FROM value2",
    returns: "BOOLEAN NOT NULL",
    description: "Whether two values differ, a NULL being equal to a NULL.",
    example: "1 IS DISTINCT FROM NULL = TRUE",
    arity: (2, 2),
    deterministic: true,
    listed: false,
    typing: |_, a| {
        unify(a)?;
        Ok(SqlType::not_null(DataType::Boolean))
    },
    eval: Eval::Lenient(|a| Ok(Value::Bool(a[0] != a[1]))),
};
