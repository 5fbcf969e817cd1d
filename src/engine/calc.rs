//! Calc: a filter and a projection fused into one pass, as Flink's `Calc` node does.

use super::eval::{eval, selection, EvalContext, EvalError};
use super::operator::{Operator, OperatorMetrics};
use crate::plan::expr::ExprKind;
use crate::plan::Expr;
use crate::types::{Batch, Column, ColumnData};

pub struct Calc {
    pub predicate: Option<Expr>,
    pub projection: Option<Vec<Expr>>,
    pub context: EvalContext,
    metrics: OperatorMetrics,
}

impl Calc {
    pub fn new(predicate: Option<Expr>, projection: Option<Vec<Expr>>) -> Self {
        Calc { predicate, projection, context: EvalContext::default(), metrics: OperatorMetrics::default() }
    }

    pub fn apply(&self, batch: Batch) -> Result<Batch, EvalError> {
        let batch = match &self.predicate {
            Some(p) => {
                let mask = eval(p, &batch, &self.context)?;
                let rows = selection(&mask);
                if rows.len() == batch.len() {
                    batch
                } else {
                    batch.gather(&rows)
                }
            }
            None => batch,
        };
        match &self.projection {
            None => Ok(batch),
            Some(exprs) => {
                // Computed columns first (in order, so the first error is the first expression's),
                // then the input's columns as they are: moved out of the batch, cloned only for
                // a column the projection repeats.
                let computed = exprs
                    .iter()
                    .map(|e| match e.kind {
                        ExprKind::Column(_) => Ok(None),
                        _ => eval(e, &batch, &self.context).map(Some),
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                let mut batch = batch;
                let mut uses = vec![0u32; batch.columns.len()];
                for e in exprs {
                    if let ExprKind::Column(i) = e.kind {
                        uses[i] += 1;
                    }
                }
                let mut columns = Vec::with_capacity(exprs.len());
                for (column, e) in computed.into_iter().zip(exprs) {
                    columns.push(match (column, &e.kind) {
                        (Some(column), _) => column,
                        (None, &ExprKind::Column(i)) => {
                            uses[i] -= 1;
                            if uses[i] == 0 {
                                std::mem::replace(&mut batch.columns[i], Column::new(ColumnData::Bool(Vec::new())))
                            } else {
                                batch.columns[i].clone()
                            }
                        }
                        (None, _) => eval(e, &batch, &self.context)?,
                    });
                }
                let mut out = Batch::new(columns, batch.len());
                out.kinds = batch.kinds;
                out.arrival_watermarks = batch.arrival_watermarks;
                Ok(out)
            }
        }
    }
}

impl Operator for Calc {
    fn set_now(&mut self, now_ms: i64) {
        self.context.now_ms = now_ms;
    }

    fn set_user_functions(&mut self, host: &std::rc::Rc<dyn crate::plan::functions::user::UserFunctionHost>) {
        self.context.user_functions = Some(host.clone());
    }

    fn is_stateless(&self) -> bool {
        true
    }

    fn name(&self) -> String {
        match (&self.predicate, &self.projection) {
            (Some(p), None) => format!("Filter({p})"),
            (None, Some(_)) => "Calc".to_string(),
            (Some(p), Some(_)) => format!("Calc(where={p})"),
            (None, None) => "Pass".to_string(),
        }
    }

    fn process(&mut self, batch: Batch, out: &mut Vec<Batch>) -> Result<(), EvalError> {
        self.metrics.records_in += batch.len() as u64;
        let result = self.apply(batch)?;
        self.metrics.records_out += result.len() as u64;
        if !result.is_empty() {
            out.push(result);
        }
        Ok(())
    }

    fn metrics(&self) -> OperatorMetrics {
        self.metrics.clone()
    }
}
