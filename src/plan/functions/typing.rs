//! The small vocabulary the function entries type their arguments with, and the value helpers
//! their evaluators share. A bare `NULL` literal fits any argument, as in Flink.

use super::FunctionDef;
use crate::plan::bind::{cast_if_needed, common_type};
use crate::plan::expr::Expr;
use crate::types::{DataType, SqlType, Value, STRING_LENGTH};

/// What an argument must be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arg {
    /// CHAR or VARCHAR.
    Str,
    /// TINYINT … BIGINT.
    Int,
    /// Any number; cast to DOUBLE.
    Double,
    /// Any number, kept as it is.
    Num,
    /// TIMESTAMP, TIMESTAMP_LTZ or DATE.
    Time,
    Any,
}

impl Arg {
    fn accepts(self, t: &DataType) -> bool {
        *t == DataType::Null
            || match self {
                Arg::Str => t.is_string(),
                Arg::Int => t.is_integer(),
                Arg::Double | Arg::Num => t.is_numeric(),
                Arg::Time => t.is_timestamp() || *t == DataType::Date,
                Arg::Any => true,
            }
    }
    fn what(self) -> &'static str {
        match self {
            Arg::Str => "a string",
            Arg::Int => "an integer",
            Arg::Double | Arg::Num => "a number",
            Arg::Time => "a timestamp or date",
            Arg::Any => "a value",
        }
    }
}

/// Checks each argument against `kinds` (the last kind repeats for variadic functions) and
/// inserts the casts they ask for.
pub fn check(d: &FunctionDef, args: &mut [Expr], kinds: &[Arg]) -> Result<(), String> {
    for (i, a) in args.iter_mut().enumerate() {
        let Some(&kind) = kinds.get(i).or(kinds.last()) else { continue };
        if !kind.accepts(&a.ty.data_type) {
            return Err(format!("{} needs {} as argument {}, not {}: {}", d.name, kind.what(), i + 1, a.ty, d.syntax));
        }
        if kind == Arg::Double && a.ty.data_type != DataType::Double {
            *a = cast_if_needed(a.clone(), &DataType::Double)?;
        }
    }
    Ok(())
}

/// Whether any argument may be NULL (the result of a NULL-in, NULL-out function then may be).
pub fn any_nullable(args: &[Expr]) -> bool {
    args.iter().any(|a| a.ty.nullable)
}

pub fn string(nullable: bool) -> SqlType {
    SqlType::nullable(DataType::Varchar(STRING_LENGTH)).with_nullable(nullable)
}

/// `kinds` checked; the result is `ty`, NULL when an argument is.
pub fn returns(d: &FunctionDef, args: &mut [Expr], kinds: &[Arg], ty: DataType) -> Result<SqlType, String> {
    check(d, args, kinds)?;
    Ok(SqlType::nullable(ty).with_nullable(any_nullable(args)))
}

/// `kinds` checked; the result is always nullable (NULL for inputs the function refuses).
pub fn returns_nullable(d: &FunctionDef, args: &mut [Expr], kinds: &[Arg], ty: DataType) -> Result<SqlType, String> {
    check(d, args, kinds)?;
    Ok(SqlType::nullable(ty))
}

/// The common type of `args`, every argument cast to it. Strings keep Flink's precision:
/// `CHAR(n)` when all are `CHAR(n)`, else `VARCHAR` of the longest.
pub fn unify(args: &mut [Expr]) -> Result<SqlType, String> {
    let mut ty = common_type(args)?;
    let lengths: Option<Vec<(bool, u32)>> = args
        .iter()
        .filter(|a| a.ty.data_type != DataType::Null)
        .map(|a| match a.ty.data_type {
            DataType::Char(n) => Some((true, n)),
            DataType::Varchar(n) => Some((false, n)),
            _ => None,
        })
        .collect();
    if let Some(lengths) = lengths.filter(|l| !l.is_empty()) {
        let longest = lengths.iter().map(|(_, n)| *n).max().unwrap_or(STRING_LENGTH);
        let all_char_same = lengths.iter().all(|(c, n)| *c && *n == longest);
        ty.data_type = if all_char_same { DataType::Char(longest) } else { DataType::Varchar(longest) };
        // Strings need no cast between lengths; the engine keeps them as they are.
        return Ok(ty);
    }
    for a in args.iter_mut() {
        *a = cast_if_needed(a.clone(), &ty.data_type)?;
    }
    Ok(ty)
}

pub fn text(a: &[Value], i: usize) -> &str {
    match a.get(i) {
        Some(Value::Str(s)) => s,
        _ => "",
    }
}

pub fn int(a: &[Value], i: usize) -> i64 {
    match a.get(i) {
        Some(Value::Int(x)) => *x,
        Some(v) => v.as_f64().unwrap_or(0.0) as i64,
        None => 0,
    }
}

pub fn double(a: &[Value], i: usize) -> f64 {
    a.get(i).and_then(Value::as_f64).unwrap_or(0.0)
}

pub fn str_value(s: impl Into<std::sync::Arc<str>>) -> Value {
    Value::Str(s.into())
}
