//! Calls of user-defined functions (`plan/functions/user.rs`), a batch at a time: the
//! arguments' columns become [`Value`]s, the session's host is called ONCE for the batch, and
//! its answer becomes a column of the declared type. This is Flink's vectorized Python
//! function runner (`PythonScalarFunctionOperator` sends a bundle of rows to the Python
//! worker, not one row at a time) without the worker process: the host runs where Python is.
//!
//! A host error fails the job naming the function, the row (its arguments) and the message;
//! a value of the wrong kind (a string where `DOUBLE` was declared) does too.

use super::eval::{EvalContext, EvalError};
use crate::plan::expr::Expr;
use crate::plan::functions::user::{no_host, UserFunction, UserFunctionError, UserFunctionHost, UserFunctionKind};
use crate::types::{cast_value, Column, DataType, Value};

/// The host of `ctx`, or the error saying none runs Python here.
pub fn host<'a>(f: &UserFunction, ctx: &'a EvalContext) -> Result<&'a dyn UserFunctionHost, EvalError> {
    ctx.user_functions.as_deref().ok_or_else(|| EvalError(no_host(&f.name)))
}

/// The argument columns as values: `args[i][r]` is argument `i` of row `r`.
pub fn argument_values(columns: &[Column], args: &[Expr], rows: usize) -> Vec<Vec<Value>> {
    columns.iter().zip(args).map(|(c, a)| (0..rows).map(|r| c.value(r, &a.ty.data_type)).collect()).collect()
}

/// A user scalar function over a batch of `rows` rows.
pub fn call_scalar(
    f: &UserFunction,
    columns: &[Column],
    args: &[Expr],
    ty: &DataType,
    rows: usize,
    ctx: &EvalContext,
) -> Result<Column, EvalError> {
    let host = host(f, ctx)?;
    if f.kind != UserFunctionKind::Scalar {
        return Err(EvalError(format!("{} is a table function: call it in FROM as LATERAL TABLE({}(…))", f.name, f.name)));
    }
    let values = argument_values(columns, args, rows);
    let results = host.call_scalar(f, &values, rows).map_err(|e| failed(f, &values, e))?;
    if results.len() != rows {
        return Err(EvalError(format!("{} returned {} values for {rows} rows", f.name, results.len())));
    }
    let mut out = Column::empty(ty, rows);
    for (r, v) in results.iter().enumerate() {
        let v = conform(v, ty).map_err(|m| failed(f, &values, UserFunctionError::at_row(r, m)))?;
        out.push(&v);
    }
    Ok(out)
}

/// The job's error for a failed call: the function, the failing row's arguments, the message.
pub fn failed(f: &UserFunction, args: &[Vec<Value>], e: UserFunctionError) -> EvalError {
    match e.row {
        Some(r) => {
            let shown: Vec<String> = args.iter().map(|column| column.get(r).map_or("?".to_string(), show)).collect();
            EvalError(format!("{}({}) failed: {}", f.name, shown.join(", "), e.message))
        }
        None => EvalError(format!("{} failed: {}", f.name, e.message)),
    }
}

fn show(v: &Value) -> String {
    match v {
        Value::Str(s) => format!("'{s}'"),
        Value::Null => "NULL".to_string(),
        other => other.to_string(),
    }
}

/// `v` as a value of `ty`, as the engine stores it: numbers widened or rescaled to the
/// declared type; any other mismatch is the function's error.
pub fn conform(v: &Value, ty: &DataType) -> Result<Value, String> {
    use DataType as T;
    let ok = match (v, ty) {
        (Value::Null, _) => true,
        (Value::Bool(_), T::Boolean) => true,
        (Value::Int(_), t) if t.is_integer() => true,
        (Value::Int(i), T::Double | T::Float) => return Ok(Value::Double(*i as f64)),
        (Value::Double(_), T::Double | T::Float) => true,
        (Value::Int(_), T::Decimal { .. }) => return cast_value(v, &T::BigInt, ty).ok_or_else(|| mismatch(v, ty)),
        (Value::Double(_), T::Decimal { .. }) => return cast_value(v, &T::Double, ty).ok_or_else(|| mismatch(v, ty)),
        (Value::Decimal(_, s), T::Decimal { .. }) => {
            return cast_value(v, &T::Decimal { precision: 38, scale: *s }, ty).ok_or_else(|| mismatch(v, ty))
        }
        (Value::Str(_), t) if t.is_string() => true,
        (Value::Bytes(_), t) if t.is_binary() => true,
        (Value::Timestamp(_), t) if t.is_timestamp() => true,
        (Value::Date(_), T::Date) | (Value::Time(_), T::Time(_)) => true,
        (Value::Array(_), T::Array(_)) | (Value::Map(_), T::Map(..) | T::Multiset(_)) => true,
        (Value::Row(fields), T::Row(types)) => fields.len() == types.len(),
        _ => false,
    };
    if ok {
        Ok(v.clone())
    } else {
        Err(mismatch(v, ty))
    }
}

fn mismatch(v: &Value, ty: &DataType) -> String {
    format!("returned {} where its result type is {ty}", show(v))
}
