//! `CROSS JOIN UNNEST(…)` and `LEFT JOIN UNNEST(…) ON TRUE`: Flink's `StreamExecCorrelate`
//! calling its built-in UNNEST table function (`UnnestRowsFunction`). Each input row is
//! followed by one output row per element of its collection: an ARRAY's elements in order (a
//! ROW element's fields as columns), a MAP's entries as key and value, a MULTISET's elements
//! each as often as it holds them; `WITH ORDINALITY` numbers them from 1. An empty or NULL
//! collection drops the row, or with LEFT keeps it once with NULLs. The output rows keep their
//! input row's kind and arrival watermark, so the operator passes on any changelog and keeps no
//! state. With `replicate` it is Flink's `$REPLICATE_ROWS$` instead: a row out as many times as
//! its count column says (for INTERSECT ALL / EXCEPT ALL).

use super::eval::{eval, EvalContext, EvalError};
use super::operator::{Operator, OperatorMetrics};
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

impl Operator for Correlate {
    fn name(&self) -> String {
        format!("Correlate(UNNEST({}))", self.unnest.arg)
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
        let collections = eval(&self.unnest.arg, &batch, &self.context)?;
        let ty = &self.unnest.arg.ty.data_type;
        let mut indices: Vec<u32> = Vec::new();
        let mut added: Vec<Column> = self.added.iter().map(|t| Column::empty(t, batch.len())).collect();
        let mut rows: Vec<Vec<Value>> = Vec::new();
        for i in 0..batch.len() {
            rows.clear();
            self.elements(collections.value(i, ty), &mut rows);
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
