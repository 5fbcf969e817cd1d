//! `CROSS JOIN UNNEST(…)` and `LEFT JOIN UNNEST(…) ON TRUE`: Flink's `StreamExecCorrelate`
//! calling its built-in UNNEST table function (`UnnestRowsFunction`). Each input row is
//! followed by one output row per element of its collection: an ARRAY's elements in order (a
//! ROW element's fields as columns), a MAP's entries as key and value, a MULTISET's elements
//! each as often as it holds them; `WITH ORDINALITY` numbers them from 1. An empty or NULL
//! collection drops the row, or with LEFT keeps it once with NULLs. The output rows keep their
//! input row's kind and arrival watermark, so the operator passes on any changelog and keeps no
//! state. With `replicate` it is Flink's `$REPLICATE_ROWS$` instead: a row out as many times as
//! its count column says (for INTERSECT ALL / EXCEPT ALL). With a user-defined table function
//! (`LATERAL TABLE(f(x))`) the rows come from the host, one call per batch
//! (`user_function.rs`), each row it yields checked against the function's result row.

use super::eval::{eval, EvalContext, EvalError};
use super::operator::{Operator, OperatorMetrics};
use super::user_function;
use crate::plan::expr::ExprKind;
use crate::plan::functions::user::{UserFunctionError, UserFunctionKind};
use crate::plan::logical::Unnest;
use crate::types::{Batch, Column, DataType, Value};

pub struct Correlate {
    unnest: Unnest,
    /// The types of the columns UNNEST adds (after the input's).
    added: Vec<DataType>,
    context: EvalContext,
    metrics: OperatorMetrics,
}

impl Correlate {
    pub fn new(unnest: Unnest, added: Vec<DataType>) -> Self {
        Correlate { unnest, added, context: EvalContext::default(), metrics: OperatorMetrics::default() }
    }

    /// The added columns' values for each element of `collection`.
    fn elements(&self, collection: Value, out: &mut Vec<Vec<Value>>) {
        let width = self.added.len() - usize::from(self.unnest.ordinality);
        let mut push = |mut values: Vec<Value>| {
            values.resize(width, Value::Null);
            if self.unnest.ordinality {
                values.push(Value::Int(out.len() as i64 + 1));
            }
            out.push(values);
        };
        match collection {
            Value::Int(n) if self.unnest.replicate => (0..n.max(0)).for_each(|_| push(Vec::new())),
            Value::Array(items) => {
                for item in items {
                    match item {
                        Value::Row(fields) if self.unnest.expand_rows => push(fields),
                        other => push(vec![other]),
                    }
                }
            }
            // A MULTISET is a map of element to count; a MAP's entries are key and value.
            Value::Map(entries) if matches!(self.unnest.arg.ty.data_type, DataType::Multiset(_)) => {
                for (element, count) in entries {
                    let n = match count {
                        Value::Int(n) => n.max(0),
                        _ => 0,
                    };
                    for _ in 0..n {
                        push(vec![element.clone()]);
                    }
                }
            }
            Value::Map(entries) => entries.into_iter().for_each(|(k, v)| push(vec![k, v])),
            _ => {}
        }
    }
}

impl Correlate {
    /// For a user table function, the rows it yields for each row of `batch` (one host call),
    /// each checked against the added columns' types; `None` for UNNEST.
    fn table_function_rows(&self, batch: &Batch) -> Result<Option<Vec<Vec<Vec<Value>>>>, EvalError> {
        let ExprKind::UserCall { func, args } = &self.unnest.arg.kind else { return Ok(None) };
        if func.kind != UserFunctionKind::Table {
            return Ok(None);
        }
        let host = user_function::host(func, &self.context)?;
        let columns = args.iter().map(|a| eval(a, batch, &self.context)).collect::<Result<Vec<_>, _>>()?;
        let values = user_function::argument_values(&columns, args, batch.len());
        let mut per_row = host.call_table(func, &values, batch.len()).map_err(|e| user_function::failed(func, &values, e))?;
        if per_row.len() != batch.len() {
            return Err(EvalError(format!("{} returned rows for {} input rows, not {}", func.name, per_row.len(), batch.len())));
        }
        for (r, rows) in per_row.iter_mut().enumerate() {
            for row in rows.iter_mut() {
                if row.len() != self.added.len() {
                    let e =
                        UserFunctionError::at_row(r, format!("yielded {} values where its result row has {}", row.len(), self.added.len()));
                    return Err(user_function::failed(func, &values, e));
                }
                for (v, ty) in row.iter_mut().zip(&self.added) {
                    *v =
                        user_function::conform(v, ty).map_err(|m| user_function::failed(func, &values, UserFunctionError::at_row(r, m)))?;
                }
            }
        }
        Ok(Some(per_row))
    }
}

impl Operator for Correlate {
    fn name(&self) -> String {
        match &self.unnest.arg.kind {
            ExprKind::UserCall { .. } => format!("Correlate({})", self.unnest.arg),
            _ => format!("Correlate(UNNEST({}))", self.unnest.arg),
        }
    }

    fn set_now(&mut self, now_ms: i64) {
        self.context.now_ms = now_ms;
    }

    fn set_user_functions(&mut self, host: &std::rc::Rc<dyn crate::plan::functions::user::UserFunctionHost>) {
        self.context.user_functions = Some(host.clone());
    }

    fn is_stateless(&self) -> bool {
        true
    }

    fn process(&mut self, batch: Batch, out: &mut Vec<Batch>) -> Result<(), EvalError> {
        self.metrics.records_in += batch.len() as u64;
        let mut yielded = self.table_function_rows(&batch)?.map(Vec::into_iter);
        let collections = match yielded {
            Some(_) => None,
            None => Some(eval(&self.unnest.arg, &batch, &self.context)?),
        };
        let ty = &self.unnest.arg.ty.data_type;
        let mut indices: Vec<u32> = Vec::new();
        let mut added: Vec<Column> = self.added.iter().map(|t| Column::empty(t, batch.len())).collect();
        let mut rows: Vec<Vec<Value>> = Vec::new();
        for i in 0..batch.len() {
            rows.clear();
            match (&mut yielded, &collections) {
                (Some(per_row), _) => rows.extend(per_row.next().unwrap_or_default()),
                (None, Some(c)) => self.elements(c.value(i, ty), &mut rows),
                (None, None) => {}
            }
            if rows.is_empty() && self.unnest.left_outer {
                indices.push(i as u32);
                added.iter_mut().for_each(Column::push_null);
            }
            for row in &rows {
                indices.push(i as u32);
                for (column, value) in added.iter_mut().zip(row) {
                    column.push(value);
                }
            }
        }
        if indices.is_empty() {
            return Ok(());
        }
        let mut result = batch.gather(&indices);
        let len = result.len();
        result.columns.extend(added);
        let mut expanded = Batch::new(result.columns, len);
        expanded.kinds = result.kinds;
        expanded.arrival_watermarks = result.arrival_watermarks;
        self.metrics.records_out += len as u64;
        out.push(expanded);
        Ok(())
    }

    fn metrics(&self) -> OperatorMetrics {
        self.metrics.clone()
    }
}
