//! Evaluates bound expressions over a batch, a column at a time.
//!
//! The planner has already inserted every implicit cast, so binary operators only ever see two
//! operands of the same physical kind; each operator is a tight loop over typed vectors.
//! Runtime failures (a failing CAST, division by zero) are [`EvalError`]s, never panics.

use std::fmt;
use std::rc::Rc;
use std::sync::Arc;

use super::like::{escape_char, LikeError, LikePattern};
use super::similar::SimilarPattern;
use crate::plan::expr::{BinaryOp, Expr, ExprKind, Function};
use crate::plan::functions::user::UserFunctionHost;
use crate::plan::functions::{Eval, Kernel};
use crate::types::decimal;
use crate::types::{cast_value, Batch, Column, ColumnData, DataType, StrColumn, Value};

#[derive(Clone, Debug, PartialEq)]
pub struct EvalError(pub String);

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

type Result<T> = std::result::Result<T, EvalError>;

/// What an expression may read besides the batch: the processing-time clock, and the host
/// that runs user-defined functions (none natively).
#[derive(Clone, Default)]
pub struct EvalContext {
    pub now_ms: i64,
    pub user_functions: Option<Rc<dyn UserFunctionHost>>,
}

impl fmt::Debug for EvalContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EvalContext").field("now_ms", &self.now_ms).field("user_functions", &self.user_functions.is_some()).finish()
    }
}

pub fn eval(expr: &Expr, batch: &Batch, ctx: &EvalContext) -> Result<Column> {
    let n = batch.len();
    Ok(match &expr.kind {
        ExprKind::Column(i) => batch.columns[*i].clone(),
        ExprKind::Field { arg, index, .. } => {
            let row = eval(arg, batch, ctx)?;
            let ColumnData::Row(mut fields) = row.data else {
                return Err(EvalError(format!("`{expr}` reads a field of a value that is not a ROW")));
            };
            if *index >= fields.len() {
                return Err(EvalError(format!("`{expr}`: the ROW has no such field")));
            }
            let mut field = fields.swap_remove(*index);
            // A NULL row has NULL fields.
            if let Some(row_valid) = row.validity {
                let valid = match field.validity.take() {
                    Some(v) => v.iter().zip(&row_valid).map(|(a, b)| *a && *b).collect(),
                    None => row_valid,
                };
                field.validity = Some(valid);
            }
            field
        }
        ExprKind::Literal(v) => constant(v, &expr.ty.data_type, n),
        ExprKind::Not(a) => {
            let c = eval(a, batch, ctx)?;
            map_bool(&c, |b| !b)
        }
        ExprKind::Negate(a) => {
            let c = eval(a, batch, ctx)?;
            let data = match &c.data {
                ColumnData::Int(v) => ColumnData::Int(v.iter().map(|x| x.wrapping_neg()).collect()),
                ColumnData::Double(v) => ColumnData::Double(v.iter().map(|x| -x).collect()),
                ColumnData::Decimal(v) => ColumnData::Decimal(v.iter().map(|x| -x).collect()),
                _ => return Err(EvalError("cannot negate a non-number".into())),
            };
            Column { data, validity: c.validity }
        }
        ExprKind::Binary { op, left, right } => {
            let l = operand(left, batch, ctx)?;
            let r = operand(right, batch, ctx)?;
            binary(*op, &l, &r, (&left.ty.data_type, &right.ty.data_type), &expr.ty.data_type)?
        }
        ExprKind::IsNull { arg, negated } => {
            let c = operand(arg, batch, ctx)?;
            let v = (0..n).map(|i| c.is_valid(i) == *negated).collect();
            Column::new(ColumnData::Bool(v))
        }
        ExprKind::IsBool { arg, value, negated } => {
            let c = operand(arg, batch, ctx)?;
            let ColumnData::Bool(b) = &c.data else { return Err(EvalError("IS TRUE needs a boolean".into())) };
            let v = (0..n).map(|i| (c.is_valid(i) && b[i] == *value) != *negated).collect();
            Column::new(ColumnData::Bool(v))
        }
        ExprKind::Cast { arg, try_cast } => {
            let c = operand(arg, batch, ctx)?;
            cast_column(&c, &arg.ty.data_type, &expr.ty.data_type, *try_cast)?
        }
        ExprKind::Case { whens, otherwise } => {
            let conds: Vec<Column> = whens.iter().map(|(w, _)| eval(w, batch, ctx)).collect::<Result<_>>()?;
            let results: Vec<Column> = whens.iter().map(|(_, t)| eval(t, batch, ctx)).collect::<Result<_>>()?;
            let other = otherwise.as_ref().map(|o| eval(o, batch, ctx)).transpose()?;
            let mut out = Column::empty(&expr.ty.data_type, n);
            for i in 0..n {
                let chosen = conds.iter().position(|c| truthy(c, i));
                match (chosen, &other) {
                    (Some(k), _) => push_from(&mut out, &results[k], i, &expr.ty.data_type),
                    (None, Some(o)) => push_from(&mut out, o, i, &expr.ty.data_type),
                    (None, None) => out.push_null(),
                }
            }
            out
        }
        ExprKind::InList { arg, list, negated } => {
            let a = eval(arg, batch, ctx)?;
            let items: Vec<Column> = list.iter().map(|e| eval(e, batch, ctx)).collect::<Result<_>>()?;
            let ty = &arg.ty.data_type;
            let mut out = Column::empty(&DataType::Boolean, n);
            for i in 0..n {
                if !a.is_valid(i) {
                    out.push_null();
                    continue;
                }
                let v = a.value(i, ty);
                let mut saw_null = false;
                let found = items.iter().any(|c| {
                    let x = c.value(i, ty);
                    saw_null |= x.is_null();
                    x == v
                });
                if found {
                    out.push(&Value::Bool(!negated));
                } else if saw_null {
                    out.push_null();
                } else {
                    out.push(&Value::Bool(*negated));
                }
            }
            out
        }
        ExprKind::Like { arg, pattern, escape, negated, similar } => {
            like_column(arg, pattern, escape.as_deref(), *negated, *similar, batch, ctx)?
        }
        ExprKind::Call { func, args } => {
            let cols: Vec<Column> = args.iter().map(|e| eval(e, batch, ctx)).collect::<Result<_>>()?;
            call(*func, &cols, args, &expr.ty.data_type, batch, ctx)?
        }
        ExprKind::UserCall { func, args } => {
            let cols: Vec<Column> = args.iter().map(|e| eval(e, batch, ctx)).collect::<Result<_>>()?;
            super::user_function::call_scalar(func, &cols, args, &expr.ty.data_type, n, ctx)?
        }
    })
}

/// An operand that is only read: an input column borrowed rather than cloned (a watermark's
/// `event_time - INTERVAL '5' SECOND` reads its column per batch).
fn operand<'b>(expr: &Expr, batch: &'b Batch, ctx: &EvalContext) -> Result<std::borrow::Cow<'b, Column>> {
    Ok(match expr.kind {
        ExprKind::Column(i) => std::borrow::Cow::Borrowed(&batch.columns[i]),
        _ => std::borrow::Cow::Owned(eval(expr, batch, ctx)?),
    })
}

/// The rows where a boolean column is TRUE (NULL counts as not true).
pub fn selection(c: &Column) -> Vec<u32> {
    let ColumnData::Bool(v) = &c.data else { return Vec::new() };
    (0..v.len()).filter(|&i| v[i] && c.is_valid(i)).map(|i| i as u32).collect()
}

fn truthy(c: &Column, i: usize) -> bool {
    matches!(&c.data, ColumnData::Bool(v) if v[i]) && c.is_valid(i)
}

fn push_from(out: &mut Column, src: &Column, i: usize, ty: &DataType) {
    out.push(&src.value(i, ty));
}

pub fn constant(v: &Value, ty: &DataType, n: usize) -> Column {
    let data = match (v, ty) {
        (Value::Null, _) => {
            let mut c = Column::empty(ty, n);
            for _ in 0..n {
                c.push_null();
            }
            return c;
        }
        (Value::Bool(b), _) => ColumnData::Bool(vec![*b; n]),
        (Value::Int(i) | Value::Timestamp(i), DataType::Double | DataType::Float) => ColumnData::Double(vec![*i as f64; n]),
        (Value::Int(i) | Value::Timestamp(i), _) => ColumnData::Int(vec![*i; n]),
        (Value::Date(d) | Value::Time(d), _) => ColumnData::Int(vec![*d as i64; n]),
        (Value::Double(d), _) => ColumnData::Double(vec![*d; n]),
        (Value::Decimal(u, _), _) => ColumnData::Decimal(vec![*u; n]),
        (Value::Str(s), _) => {
            let mut c = StrColumn::with_capacity(n, n * s.len());
            for _ in 0..n {
                c.push(s);
            }
            ColumnData::Str(c)
        }
        (Value::Row(_) | Value::Bytes(_) | Value::Array(_) | Value::Map(_), _) => {
            let mut c = Column::empty(ty, n);
            for _ in 0..n {
                c.push(v);
            }
            return c;
        }
    };
    Column::new(data)
}

fn map_bool(c: &Column, f: impl Fn(bool) -> bool) -> Column {
    match &c.data {
        ColumnData::Bool(v) => Column { data: ColumnData::Bool(v.iter().map(|b| f(*b)).collect()), validity: c.validity.clone() },
        _ => c.clone(),
    }
}

fn merge_validity(a: &Column, b: &Column, n: usize) -> Option<Vec<bool>> {
    match (&a.validity, &b.validity) {
        (None, None) => None,
        (Some(v), None) | (None, Some(v)) => Some(v.clone()),
        (Some(x), Some(y)) => Some((0..n).map(|i| x[i] && y[i]).collect()),
    }
}

fn binary(op: BinaryOp, l: &Column, r: &Column, operand_tys: (&DataType, &DataType), result_ty: &DataType) -> Result<Column> {
    let n = l.len();
    if matches!(op, BinaryOp::And | BinaryOp::Or) {
        return Ok(logic(op, l, r, n));
    }
    let mut validity = merge_validity(l, r, n);
    let data = match (&l.data, &r.data) {
        (ColumnData::Int(a), ColumnData::Int(b)) => {
            if op.is_comparison() {
                ColumnData::Bool(compare(a, b, op))
            } else {
                ColumnData::Int(int_arith(op, a, b, l, r, result_ty)?)
            }
        }
        (ColumnData::Double(a), ColumnData::Double(b)) => {
            if op.is_comparison() {
                ColumnData::Bool(compare(a, b, op))
            } else {
                ColumnData::Double(match op {
                    BinaryOp::Add => a.iter().zip(b).map(|(x, y)| x + y).collect(),
                    BinaryOp::Subtract => a.iter().zip(b).map(|(x, y)| x - y).collect(),
                    BinaryOp::Multiply => a.iter().zip(b).map(|(x, y)| x * y).collect(),
                    BinaryOp::Divide => a.iter().zip(b).map(|(x, y)| x / y).collect(),
                    _ => a.iter().zip(b).map(|(x, y)| x % y).collect(),
                })
            }
        }
        (ColumnData::Decimal(a), ColumnData::Decimal(b)) => {
            if op.is_comparison() {
                // The binder brought both sides to one type.
                ColumnData::Bool(compare(a, b, op))
            } else {
                ColumnData::Decimal(decimal_arith(op, a, b, operand_tys, result_ty, &mut validity)?)
            }
        }
        (ColumnData::Str(a), ColumnData::Str(b)) => {
            if op == BinaryOp::Concat {
                let mut out = StrColumn::with_capacity(n, n * 16);
                let mut s = String::new();
                for i in 0..n {
                    s.clear();
                    s.push_str(a.get(i));
                    s.push_str(b.get(i));
                    out.push(&s);
                }
                ColumnData::Str(out)
            } else {
                let va: Vec<&str> = a.iter().collect();
                let vb: Vec<&str> = b.iter().collect();
                ColumnData::Bool(compare(&va, &vb, op))
            }
        }
        (ColumnData::Bool(a), ColumnData::Bool(b)) if op.is_comparison() => ColumnData::Bool(compare(a, b, op)),
        _ => return Err(EvalError(format!("cannot apply {} to these operands", op.symbol()))),
    };
    Ok(Column { data, validity })
}

fn compare<T: PartialOrd>(a: &[T], b: &[T], op: BinaryOp) -> Vec<bool> {
    let f: fn(&T, &T) -> bool = match op {
        BinaryOp::Eq => |x, y| x == y,
        BinaryOp::NotEq => |x, y| x != y,
        BinaryOp::Lt => |x, y| x < y,
        BinaryOp::LtEq => |x, y| x <= y,
        BinaryOp::Gt => |x, y| x > y,
        _ => |x, y| x >= y,
    };
    a.iter().zip(b).map(|(x, y)| f(x, y)).collect()
}

/// Exact DECIMAL arithmetic (`types::decimal`): each side keeps its own scale; a result that
/// does not fit its type is NULL, as in Flink, and a division by zero fails the query.
fn decimal_arith(
    op: BinaryOp,
    a: &[i128],
    b: &[i128],
    (left_ty, right_ty): (&DataType, &DataType),
    result_ty: &DataType,
    validity: &mut Option<Vec<bool>>,
) -> Result<Vec<i128>> {
    let (Some(decimal_op), Some((_, sx)), Some((_, sy)), Some(ty)) =
        (op.decimal_op(), decimal::as_decimal(left_ty), decimal::as_decimal(right_ty), decimal::as_decimal(result_ty))
    else {
        return Err(EvalError("decimal arithmetic on a non-decimal type".into()));
    };
    let mut out = Vec::with_capacity(a.len());
    for (i, (x, y)) in a.iter().zip(b).enumerate() {
        if validity.as_ref().is_some_and(|v| !v[i]) {
            out.push(0);
            continue;
        }
        match decimal::apply(decimal_op, (*x, sx), (*y, sy), ty).map_err(|e| EvalError(e.into()))? {
            Some(v) => out.push(v),
            None => {
                out.push(0);
                validity.get_or_insert_with(|| vec![true; a.len()])[i] = false;
            }
        }
    }
    Ok(out)
}

fn int_arith(op: BinaryOp, a: &[i64], b: &[i64], l: &Column, r: &Column, ty: &DataType) -> Result<Vec<i64>> {
    // One loop per operator, written in place: a `match` and a push per row stayed calls in the
    // worker's size-optimised build (a watermark's `event_time - INTERVAL '5' SECOND` runs this
    // per record).
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let mut out = vec![0; n];
    let rows = out.iter_mut().zip(a).zip(b);
    match op {
        BinaryOp::Add => rows.for_each(|((o, &x), &y)| *o = x.wrapping_add(y)),
        BinaryOp::Subtract => rows.for_each(|((o, &x), &y)| *o = x.wrapping_sub(y)),
        BinaryOp::Multiply => rows.for_each(|((o, &x), &y)| *o = x.wrapping_mul(y)),
        BinaryOp::Divide | BinaryOp::Modulo => {
            for (i, o) in out.iter_mut().enumerate() {
                let (x, y) = (a[i], b[i]);
                *o = if y == 0 {
                    if l.is_valid(i) && r.is_valid(i) {
                        return Err(EvalError("division by zero".into()));
                    }
                    0
                } else if op == BinaryOp::Divide {
                    x.wrapping_div(y)
                } else {
                    x.wrapping_rem(y)
                };
            }
        }
        _ => {}
    }
    // Only where `wrap_to` changes a value: narrower integers, timestamps below milliseconds.
    if matches!(ty, DataType::TinyInt | DataType::SmallInt | DataType::Int)
        || matches!(ty, DataType::Timestamp(p) | DataType::TimestampLtz(p) if *p < 3)
    {
        out.iter_mut().for_each(|v| *v = wrap_to(*v, ty));
    }
    Ok(out)
}

/// Integer results wrap around at their type's width, as in Java; a TIMESTAMP(p) ± an interval
/// keeps only the fraction digits of its precision, floored, as Flink's result does
/// (`TIMESTAMP(0)` plus 4 ms is the same second).
fn wrap_to(v: i64, ty: &DataType) -> i64 {
    match ty {
        DataType::TinyInt => v as i8 as i64,
        DataType::SmallInt => v as i16 as i64,
        DataType::Int => v as i32 as i64,
        DataType::Timestamp(p) | DataType::TimestampLtz(p) => crate::types::truncate_to_precision(v, *p),
        _ => v,
    }
}

/// Three-valued AND/OR.
fn logic(op: BinaryOp, l: &Column, r: &Column, n: usize) -> Column {
    let (ColumnData::Bool(a), ColumnData::Bool(b)) = (&l.data, &r.data) else {
        // A NULL literal operand arrives as an all-NULL column of another kind.
        let mut c = Column::empty(&DataType::Boolean, n);
        for _ in 0..n {
            c.push_null();
        }
        return c;
    };
    if l.validity.is_none() && r.validity.is_none() {
        let v = match op {
            BinaryOp::And => a.iter().zip(b).map(|(x, y)| *x && *y).collect(),
            _ => a.iter().zip(b).map(|(x, y)| *x || *y).collect(),
        };
        return Column::new(ColumnData::Bool(v));
    }
    let mut out = Column::empty(&DataType::Boolean, n);
    for i in 0..n {
        let x = l.is_valid(i).then_some(a[i]);
        let y = r.is_valid(i).then_some(b[i]);
        let v = match op {
            BinaryOp::And => match (x, y) {
                (Some(false), _) | (_, Some(false)) => Some(false),
                (Some(true), Some(true)) => Some(true),
                _ => None,
            },
            _ => match (x, y) {
                (Some(true), _) | (_, Some(true)) => Some(true),
                (Some(false), Some(false)) => Some(false),
                _ => None,
            },
        };
        match v {
            Some(b) => out.push(&Value::Bool(b)),
            None => out.push_null(),
        }
    }
    out
}

pub fn cast_column(c: &Column, from: &DataType, to: &DataType, try_cast: bool) -> Result<Column> {
    let n = c.len();
    // Fast paths for the casts the planner inserts on hot paths.
    match (&c.data, to) {
        (ColumnData::Int(v), DataType::Double | DataType::Float) if from.is_integer() => {
            return Ok(Column { data: ColumnData::Double(v.iter().map(|x| *x as f64).collect()), validity: c.validity.clone() });
        }
        (ColumnData::Int(v), t) if from.is_integer() && t.is_integer() && from.integer_rank() <= t.integer_rank() => {
            return Ok(Column { data: ColumnData::Int(v.clone()), validity: c.validity.clone() });
        }
        // An integer into a DECIMAL with room for all its digits (as arithmetic with a DECIMAL
        // takes it): every value of the type fits, scaled (checked all the same).
        (ColumnData::Int(v), DataType::Decimal { precision, scale })
            if from.is_integer() && decimal::as_decimal(from).is_some_and(|(digits, _)| precision.saturating_sub(*scale) >= digits) =>
        {
            let m = 10i128.pow(u32::from(*scale));
            if let Some(scaled) = v.iter().map(|x| i128::from(*x).checked_mul(m)).collect::<Option<Vec<_>>>() {
                return Ok(Column { data: ColumnData::Decimal(scaled), validity: c.validity.clone() });
            }
        }
        // Below milliseconds each value is cut (`cast_value`).
        (ColumnData::Int(_), DataType::Timestamp(p) | DataType::TimestampLtz(p)) if from.is_timestamp() && *p >= 3 => return Ok(c.clone()),
        (ColumnData::Str(_), t) if from.is_string() && matches!(t, DataType::Varchar(n) if *n == crate::types::STRING_LENGTH) => {
            return Ok(c.clone())
        }
        _ => {}
    }
    let mut out = Column::empty(to, n);
    for i in 0..n {
        let v = c.value(i, from);
        match cast_value(&v, from, to) {
            Some(x) => out.push(&x),
            None if try_cast => out.push_null(),
            None => return Err(EvalError(format!("cannot cast '{v}' from {from} to {to}"))),
        }
    }
    Ok(out)
}

/// A compiled LIKE or SIMILAR TO pattern.
enum PatternMatcher {
    Like(LikePattern),
    Similar(SimilarPattern),
}

/// `[NOT] LIKE` / `[NOT] SIMILAR TO`: each distinct (pattern, escape) is compiled once (a
/// constant pattern once per batch, without materialising it), NULL in any operand gives NULL.
/// A bad pattern or escape stops the job with Calcite's message, as Flink's generated code does.
fn like_column(
    arg: &Expr,
    pattern: &Expr,
    escape: Option<&Expr>,
    negated: bool,
    similar: bool,
    batch: &Batch,
    ctx: &EvalContext,
) -> Result<Column> {
    let n = batch.len();
    let a = eval(arg, batch, ctx)?;
    let op = if similar { "SIMILAR TO" } else { "LIKE" };
    let ColumnData::Str(s) = &a.data else {
        return Err(EvalError(format!("{op} needs strings")));
    };
    let compile = |p: &str, e: Option<&str>| -> Result<PatternMatcher> {
        let fail = |err: LikeError| EvalError(format!("{op} '{p}': {err}"));
        let e = e.map(escape_char).transpose().map_err(fail)?;
        Ok(if similar {
            PatternMatcher::Similar(SimilarPattern::new(p, e).map_err(fail)?)
        } else {
            PatternMatcher::Like(LikePattern::new(p, e).map_err(fail)?)
        })
    };
    let run = |m: &PatternMatcher, text: &str, p: &str| -> Result<bool> {
        match m {
            PatternMatcher::Like(l) => Ok(l.matches(text)),
            PatternMatcher::Similar(r) => {
                r.matches(text).map_err(|err| EvalError(format!("{op} '{p}': {err} (value {})", quoted_value(text))))
            }
        }
    };
    let literal = |e: &Expr| match &e.kind {
        ExprKind::Literal(Value::Str(v)) => Some(Some(v.clone())),
        ExprKind::Literal(Value::Null) => Some(None),
        _ => None,
    };
    // None: not a constant; Some(None): NULL; Some(Some(escape)), where no ESCAPE is None.
    let constant_escape = match escape {
        None => Some(Some(None)),
        Some(e) => literal(e).map(|v| v.map(Some)),
    };
    if let (Some(p), Some(e)) = (literal(pattern), constant_escape) {
        // The hot path: one pattern for the whole batch.
        let (Some(p), Some(e)) = (p, e) else { return Ok(constant(&Value::Null, &DataType::Boolean, n)) };
        let m = compile(&p, e.as_deref())?;
        let mut v = Vec::with_capacity(n);
        for i in 0..n {
            v.push(a.is_valid(i) && run(&m, s.get(i), &p)? != negated);
        }
        return Ok(Column { data: ColumnData::Bool(v), validity: a.validity.clone() });
    }
    let p = eval(pattern, batch, ctx)?;
    let e = escape.map(|e| eval(e, batch, ctx)).transpose()?;
    let text_of = |c: &Column, i: usize| match &c.data {
        ColumnData::Str(x) if c.is_valid(i) => Some(x.get(i).to_string()),
        _ => None,
    };
    let mut out = Column::empty(&DataType::Boolean, n);
    let mut compiled: Option<(String, Option<String>, PatternMatcher)> = None;
    for i in 0..n {
        let pat = text_of(&p, i);
        let esc = e.as_ref().map(|c| text_of(c, i));
        let (Some(pat), true, true) = (pat, a.is_valid(i), esc.as_ref().is_none_or(Option::is_some)) else {
            out.push_null();
            continue;
        };
        let esc = esc.flatten();
        if compiled.as_ref().is_none_or(|(cp, ce, _)| *cp != pat || *ce != esc) {
            compiled = Some((pat.clone(), esc.clone(), compile(&pat, esc.as_deref())?));
        }
        let Some((_, _, m)) = &compiled else { unreachable!("compiled just above") };
        out.push(&Value::Bool(run(m, s.get(i), &pat)? != negated));
    }
    Ok(out)
}

/// Scalar functions, evaluated row by row over their argument columns by the function
/// table's evaluator (`plan/functions/`); the engine's own kernels below. (Functions are rare
/// on hot paths; arithmetic and comparisons above are the vectorised ones.)
fn call(func: Function, cols: &[Column], args: &[Expr], ty: &DataType, batch: &Batch, ctx: &EvalContext) -> Result<Column> {
    let n = batch.len();
    let (f, strict) = match func.def().eval {
        Eval::Strict(f) => (f, true),
        Eval::Lenient(f) => (f, false),
        Eval::Kernel(k) => return kernel(k, func, cols, args, ty, batch, ctx),
        Eval::Rewrite(_) => return Err(EvalError(format!("{} should have been rewritten when the query was planned", func.name()))),
    };
    let mut out = Column::empty(ty, n);
    let mut row = Vec::with_capacity(cols.len());
    for i in 0..n {
        row.clear();
        row.extend(cols.iter().zip(args).map(|(c, a)| c.value(i, &a.ty.data_type)));
        if strict && row.iter().any(Value::is_null) {
            out.push_null();
            continue;
        }
        out.push(&f(&row).map_err(|m| EvalError(format!("{}: {m}", func.name())))?);
    }
    Ok(out)
}

/// The functions that need the engine: the clock, the watermark, random numbers, the regex
/// matcher.
fn kernel(k: Kernel, func: Function, cols: &[Column], args: &[Expr], ty: &DataType, batch: &Batch, ctx: &EvalContext) -> Result<Column> {
    let n = batch.len();
    const MS_PER_DAY: i64 = 86_400_000;
    match k {
        Kernel::Now => return Ok(constant(&Value::Timestamp(ctx.now_ms), ty, n)),
        Kernel::CurrentDate => return Ok(constant(&Value::Date(ctx.now_ms.div_euclid(MS_PER_DAY) as i32), ty, n)),
        Kernel::CurrentTime => {
            // TIME(0): whole seconds.
            let ms = ctx.now_ms.rem_euclid(MS_PER_DAY);
            return Ok(constant(&Value::Time((ms - ms % 1000) as i32), ty, n));
        }
        Kernel::CurrentWatermark => {
            let mut out = Column::empty(ty, n);
            for i in 0..n {
                match batch.arrival_watermark(i) {
                    i64::MIN => out.push_null(),
                    w => out.push(&Value::Timestamp(w)),
                }
            }
            return Ok(out);
        }
        Kernel::UnixTimestamp if cols.is_empty() => return Ok(constant(&Value::Int(ctx.now_ms.div_euclid(1000)), ty, n)),
        Kernel::Regexp
        | Kernel::RegexpExtract
        | Kernel::RegexpExtractAll
        | Kernel::RegexpReplace
        | Kernel::RegexpCount
        | Kernel::RegexpInstr
        | Kernel::RegexpSubstr => return regexp_call(k, func, cols, args, ty, n),
        _ => {}
    }
    let mut out = Column::empty(ty, n);
    let mut rng = random::Source::new(ctx.now_ms);
    let mut seeded: Option<random::JavaRandom> = None;
    let mut row = Vec::with_capacity(cols.len());
    for i in 0..n {
        row.clear();
        row.extend(cols.iter().zip(args).map(|(c, a)| c.value(i, &a.ty.data_type)));
        let value = match k {
            Kernel::UnixTimestamp => match (&row[0], row.get(1)) {
                (Value::Str(s), None) => parse_seconds(s, "yyyy-MM-dd HH:mm:ss")?,
                (Value::Str(s), Some(Value::Str(p))) => parse_seconds(s, p)?,
                _ => Value::Null,
            },
            // A seed makes Java's `new Random(seed)` sequence, as Flink's RAND(seed).
            Kernel::Rand => match row.first() {
                Some(Value::Int(seed)) => Value::Double(seeded.get_or_insert_with(|| random::JavaRandom::new(*seed)).next_double()),
                _ => Value::Double(rng.next_double()),
            },
            Kernel::RandInteger => {
                let (seed, bound) = match row.as_slice() {
                    [Value::Int(bound)] => (None, *bound),
                    [Value::Int(seed), Value::Int(bound)] => (Some(*seed), *bound),
                    _ => (None, 0),
                };
                if bound <= 0 {
                    return Err(EvalError(format!("RAND_INTEGER: the bound must be positive, not {bound}")));
                }
                let bound = bound.min(i32::MAX as i64) as i32;
                Value::Int(match seed {
                    Some(seed) => seeded.get_or_insert_with(|| random::JavaRandom::new(seed)).next_int(bound),
                    None => (rng.next_double() * bound as f64) as i32,
                } as i64)
            }
            Kernel::Uuid => Value::Str(rng.uuid().into()),
            _ => Value::Null,
        };
        out.push(&value);
    }
    Ok(out)
}

fn parse_seconds(text: &str, pattern: &str) -> Result<Value> {
    let t = crate::types::calendar::parse(text, pattern).map_err(|m| EvalError(format!("UNIX_TIMESTAMP: {m}")))?;
    // Flink's value for text that does not fit: Long.MIN_VALUE.
    Ok(Value::Int(t.map_or(i64::MIN, |t| t.div_euclid(1000))))
}

/// The REGEXP family, compiling each distinct pattern once per run of equal patterns. As in
/// Flink, a pattern Java would reject gives NULL (REGEXP: FALSE); a pattern Java accepts but
/// Sluice's matcher does not is an error naming the construct.
fn regexp_call(k: Kernel, func: Function, cols: &[Column], args: &[Expr], ty: &DataType, n: usize) -> Result<Column> {
    use crate::engine::regex::{group_text, Regex, RegexError};
    let name = func.name();
    let mut out = Column::empty(ty, n);
    let mut compiled: Option<(Arc<str>, std::result::Result<Regex, RegexError>)> = None;
    let mut row = Vec::with_capacity(cols.len());
    for i in 0..n {
        row.clear();
        row.extend(cols.iter().zip(args).map(|(c, a)| c.value(i, &a.ty.data_type)));
        let (Value::Str(text), Value::Str(pattern)) = (&row[0], &row[1]) else {
            out.push_null();
            continue;
        };
        if compiled.as_ref().is_none_or(|(p, _)| p != pattern) {
            compiled = Some((pattern.clone(), Regex::new(pattern)));
        }
        let Some((_, re)) = &compiled else { unreachable!("compiled just above") };
        let re = match re {
            Ok(re) => re,
            Err(RegexError::Invalid(_)) => {
                out.push(&if k == Kernel::Regexp { Value::Bool(false) } else { Value::Null });
                continue;
            }
            Err(e) => return Err(EvalError(format!("{name}: {e} (pattern '{pattern}')"))),
        };
        let fail = |e: RegexError| EvalError(format!("{name}: {e} (pattern '{pattern}', value {})", quoted_value(text)));
        let value = match k {
            Kernel::Regexp => Value::Bool(re.is_match(text).map_err(fail)?),
            Kernel::RegexpReplace => match &row[2] {
                Value::Str(replacement) => Value::Str(re.replace_all(text, replacement).map_err(fail)?.into()),
                _ => Value::Null,
            },
            Kernel::RegexpExtractAll => {
                let group = match row.get(2) {
                    None => 1,
                    Some(Value::Int(g)) => *g,
                    Some(_) => {
                        out.push_null();
                        continue;
                    }
                };
                if group < 0 || group as usize > re.groups() {
                    out.push_null();
                    continue;
                }
                let chars: Vec<char> = text.chars().collect();
                let (mut found, mut from) = (Vec::new(), 0usize);
                while from <= chars.len() {
                    let Some(caps) = re.find_at(&chars, from).map_err(fail)? else { break };
                    let Some(Some((start, end))) = caps.first().copied() else { break };
                    found.push(group_text(&chars, &caps, group as usize).map_or(Value::Null, |t| Value::Str(t.into())));
                    from = if end > start { end } else { end + 1 };
                }
                Value::Array(found)
            }
            Kernel::RegexpCount => {
                let chars: Vec<char> = text.chars().collect();
                let (mut count, mut from) = (0i64, 0usize);
                while from <= chars.len() {
                    let Some(caps) = re.find_at(&chars, from).map_err(fail)? else { break };
                    let Some(Some((start, end))) = caps.first().copied() else { break };
                    count += 1;
                    from = if end > start { end } else { end + 1 };
                }
                Value::Int(count)
            }
            _ => {
                let chars: Vec<char> = text.chars().collect();
                let found = re.find_at(&chars, 0).map_err(fail)?;
                match k {
                    Kernel::RegexpInstr => Value::Int(found.and_then(|c| c.first().copied().flatten()).map_or(0, |(s, _)| s as i64 + 1)),
                    Kernel::RegexpSubstr => {
                        found.and_then(|caps| group_text(&chars, &caps, 0)).map_or(Value::Null, |t| Value::Str(t.into()))
                    }
                    _ => {
                        let group = match row.get(2) {
                            None => 0,
                            Some(Value::Int(g)) => *g,
                            Some(_) => {
                                out.push_null();
                                continue;
                            }
                        };
                        // A group index out of range is an exception in Java, which Flink turns into NULL.
                        match found {
                            Some(caps) if group >= 0 && (group as usize) <= re.groups() => {
                                group_text(&chars, &caps, group as usize).map_or(Value::Null, |t| Value::Str(t.into()))
                            }
                            _ => Value::Null,
                        }
                    }
                }
            }
        };
        out.push(&value);
    }
    Ok(out)
}

/// A value for an error message: quoted, and cut after 100 characters.
fn quoted_value(text: &str) -> String {
    match text.char_indices().nth(100) {
        Some((at, _)) => format!("'{}…' ({} characters)", &text[..at], text.chars().count()),
        None => format!("'{text}'"),
    }
}

/// Random numbers for RAND, RAND_INTEGER and UUID.
mod random {
    use std::sync::atomic::{AtomicU64, Ordering};

    /// Java's `java.util.Random`: what Flink's seeded RAND(seed) and RAND_INTEGER(seed, n)
    /// draw from, so a seeded call gives Flink's very numbers.
    pub struct JavaRandom(i64);

    impl JavaRandom {
        const MULTIPLIER: i64 = 0x5DEECE66D;
        const MASK: i64 = (1 << 48) - 1;
        pub fn new(seed: i64) -> JavaRandom {
            JavaRandom((seed ^ Self::MULTIPLIER) & Self::MASK)
        }
        fn next(&mut self, bits: u32) -> i32 {
            self.0 = (self.0.wrapping_mul(Self::MULTIPLIER).wrapping_add(0xB)) & Self::MASK;
            (self.0 >> (48 - bits)) as i32
        }
        pub fn next_double(&mut self) -> f64 {
            let high = (self.next(26) as i64) << 27;
            (high + self.next(27) as i64) as f64 * (1.0 / (1u64 << 53) as f64)
        }
        pub fn next_int(&mut self, bound: i32) -> i32 {
            if bound & (bound - 1) == 0 {
                return ((bound as i64 * self.next(31) as i64) >> 31) as i32;
            }
            loop {
                let bits = self.next(31);
                let value = bits % bound;
                if bits - value + (bound - 1) >= 0 {
                    return value;
                }
            }
        }
    }

    /// An unseeded source (splitmix64), different for every batch and run.
    pub struct Source(u64);

    static COUNTER: AtomicU64 = AtomicU64::new(0x853c_49e6_748f_ea9b);

    impl Source {
        pub fn new(now_ms: i64) -> Source {
            Source(COUNTER.fetch_add(0x9e37_79b9_7f4a_7c15, Ordering::Relaxed) ^ now_ms as u64)
        }
        fn next_u64(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        }
        pub fn next_double(&mut self) -> f64 {
            (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
        }
        /// A version 4 UUID, as `java.util.UUID.randomUUID()` prints it.
        pub fn uuid(&mut self) -> String {
            let (a, b) = (self.next_u64(), self.next_u64());
            let a = (a & !0xF000) | 0x4000;
            let b = (b & !(0b11 << 62)) | (0b10 << 62);
            format!("{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", a >> 32, (a >> 16) & 0xFFFF, a & 0xFFFF, b >> 48, b & 0xFFFF_FFFF_FFFF)
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn seeded_numbers_are_javas() {
            // new java.util.Random(42): nextInt(100) gives 30 then 63; nextDouble() starts 0.7275636800328681.
            let mut r = JavaRandom::new(42);
            assert_eq!(r.next_int(100), 30);
            assert_eq!(r.next_int(100), 63);
            assert_eq!(JavaRandom::new(42).next_double(), 0.7275636800328681);
        }

        #[test]
        fn uuids_have_version_4_shape() {
            let u = Source::new(0).uuid();
            assert_eq!(u.len(), 36);
            assert_eq!(&u[14..15], "4");
            assert!(matches!(&u[19..20], "8" | "9" | "a" | "b"));
        }
    }
}
