//! Watermark generation from a table's `WATERMARK FOR rowtime AS expr`.
//!
//! As in Flink, the watermark is the largest value of `expr` seen so far, and it only moves
//! forward. Each row is stamped with the watermark in force *before* it arrived (see
//! `types::batch`), which is what later operators compare against to decide lateness.

use super::eval::{eval, EvalContext, EvalError};
use crate::plan::Expr;
use crate::types::{Batch, ColumnData};

/// The watermark before any has been emitted.
pub const NO_WATERMARK: i64 = i64::MIN;
/// The watermark at the end of a bounded input: every pending timer fires.
pub const END_OF_INPUT: i64 = i64::MAX;

pub struct WatermarkAssigner {
    expr: Expr,
    current: i64,
    context: EvalContext,
}

impl WatermarkAssigner {
    pub fn new(expr: Expr) -> Self {
        WatermarkAssigner { expr, current: NO_WATERMARK, context: EvalContext::default() }
    }

    pub fn current(&self) -> i64 {
        self.current
    }

    /// Stamps `batch` with arrival watermarks and advances the watermark past it.
    pub fn assign(&mut self, batch: &mut Batch) -> Result<(), EvalError> {
        let candidates = eval(&self.expr, batch, &self.context)?;
        let ColumnData::Int(values) = &candidates.data else {
            return Err(EvalError("the watermark expression did not give a timestamp".into()));
        };
        let mut stamps = Vec::with_capacity(batch.len());
        let mut wm = self.current;
        for (i, &v) in values.iter().enumerate() {
            stamps.push(wm);
            // A NULL rowtime produces no watermark (Flink skips it).
            if v > wm && candidates.is_valid(i) {
                wm = v;
            }
        }
        self.current = wm;
        batch.arrival_watermarks = Some(stamps);
        Ok(())
    }

    /// Forces the watermark (end of input, idleness handling).
    pub fn advance_to(&mut self, watermark: i64) {
        self.current = self.current.max(watermark);
    }
}
