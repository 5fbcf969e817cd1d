//! Keeps the most recent late records of an operator, for display.

use std::collections::VecDeque;

use crate::engine::operator::{LateRecord, LATE_RECORDS_KEPT};
use crate::types::{Batch, DataType};

#[derive(Default)]
pub struct LateLog {
    pub dropped: u64,
    recent: VecDeque<LateRecord>,
}

impl LateLog {
    pub fn record(&mut self, batch: &Batch, row: usize, types: &[DataType], event_time: i64, watermark: i64) {
        self.record_missing(batch, row, types, event_time, watermark, Vec::new());
    }

    /// A late record that would have counted in the windows `missed` (start, end).
    pub fn record_missing(
        &mut self,
        batch: &Batch,
        row: usize,
        types: &[DataType],
        event_time: i64,
        watermark: i64,
        missed: Vec<(i64, i64)>,
    ) {
        self.dropped += 1;
        if self.recent.len() == LATE_RECORDS_KEPT {
            self.recent.pop_front();
        }
        self.recent.push_back(LateRecord { row: batch.row(row, types), event_time, watermark, missed });
    }

    pub fn recent(&self) -> Vec<LateRecord> {
        self.recent.iter().cloned().collect()
    }
}
