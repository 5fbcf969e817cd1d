//! Expand: each input row once per project list, as Flink's `StreamExecExpand` (its generated
//! `ExpandFunction`) runs `GROUPING SETS`, `ROLLUP` and `CUBE` below one aggregate. A project
//! list keeps the keys of one grouping set, NULLs the others and adds the set's expand id
//! (`$e`); an input row's copies come out together, in the lists' order, as Flink emits them.

use super::eval::{eval, EvalContext, EvalError};
use super::operator::{Operator, OperatorMetrics};
use crate::plan::Expr;
use crate::types::Batch;

pub struct Expand {
    projects: Vec<Vec<Expr>>,
    context: EvalContext,
    metrics: OperatorMetrics,
}

impl Expand {
    pub fn new(projects: Vec<Vec<Expr>>) -> Self {
        Expand { projects, context: EvalContext::default(), metrics: OperatorMetrics::default() }
    }

    /// The batch's rows, each followed by its other copies: row `i`'s copy for list `k` is at
    /// `i * lists + k`.
    fn apply(&self, batch: &Batch) -> Result<Batch, EvalError> {
        let (rows, lists) = (batch.len(), self.projects.len());
        let mut columns: Vec<crate::types::Column> = Vec::new();
        for exprs in &self.projects {
            let evaluated = exprs.iter().map(|e| eval(e, batch, &self.context)).collect::<Result<Vec<_>, _>>()?;
            if columns.is_empty() {
                columns = evaluated;
            } else {
                for (all, one) in columns.iter_mut().zip(&evaluated) {
                    all.extend(one);
                }
            }
        }
        // Column position of row i's copy k in the stacked lists: k * rows + i.
        let order: Vec<u32> = (0..rows).flat_map(|i| (0..lists).map(move |k| (k * rows + i) as u32)).collect();
        let mut out = Batch::new(columns.iter().map(|c| c.gather(&order)).collect(), rows * lists);
        let repeat = |i: u32| i as usize / lists.max(1);
        out.kinds = batch.kinds.as_ref().map(|kinds| (0..(rows * lists) as u32).map(|i| kinds[repeat(i)]).collect());
        out.arrival_watermarks = batch.arrival_watermarks.as_ref().map(|wms| (0..(rows * lists) as u32).map(|i| wms[repeat(i)]).collect());
        Ok(out)
    }
}

impl Operator for Expand {
    fn name(&self) -> String {
        "Expand".to_string()
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
        if batch.is_empty() || self.projects.is_empty() {
            return Ok(());
        }
        let result = self.apply(&batch)?;
        self.metrics.records_out += result.len() as u64;
        out.push(result);
        Ok(())
    }

    fn metrics(&self) -> OperatorMetrics {
        self.metrics.clone()
    }
}
