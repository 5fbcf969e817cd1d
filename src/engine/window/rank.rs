//! Top-N and deduplication per window (Flink's `WindowRankOperator` and
//! `WindowDeduplicateOperator`): the rows of a window are ranked within their partition as
//! they arrive, and the kept rows are emitted once, final, when the watermark passes the
//! window's end − 1. A row whose window has already fired is late and dropped.

use std::collections::BTreeMap;

use super::late::LateLog;
use crate::engine::eval::EvalError;
use crate::engine::group_table::GroupTable;
use crate::engine::operator::{emit_rows, LateRecord, Operator, OperatorMetrics};
use crate::engine::rank::buffer::{RankOrder, TopNBuffer};
use crate::engine::watermark::NO_WATERMARK;
use crate::plan::logical::SortKey;
use crate::types::{Batch, BatchBuilder, ColumnData, DataType, RowKind, Value};

/// What a window keeps per partition.
#[derive(Clone, Copy, Debug)]
pub enum WindowRankKind {
    /// Rows numbered `start..=end` by the sort order.
    TopN { start: u64, end: u64 },
    /// One row by the time column: the earliest, or the latest (ties: the later arrival).
    Deduplicate { keep_last: bool, time_column: usize },
}

struct Window {
    partitions: GroupTable,
    buffers: Vec<TopNBuffer>,
}

pub struct WindowRank {
    kind: WindowRankKind,
    end_column: usize,
    partition_columns: Vec<usize>,
    key_types: Vec<DataType>,
    order: RankOrder,
    windows: BTreeMap<i64, Window>,
    watermark: i64,
    input_types: Vec<DataType>,
    output_types: Vec<DataType>,
    late: LateLog,
    metrics: OperatorMetrics,
}

impl WindowRank {
    pub fn new(
        kind: WindowRankKind,
        end_column: usize,
        partition_columns: Vec<usize>,
        order: Vec<SortKey>,
        input_types: Vec<DataType>,
    ) -> Self {
        let key_types: Vec<DataType> = partition_columns.iter().map(|&c| input_types[c].clone()).collect();
        let mut output_types = input_types.clone();
        output_types.push(DataType::BigInt);
        WindowRank {
            kind,
            end_column,
            partition_columns,
            key_types,
            order: RankOrder { keys: order, types: input_types.clone() },
            windows: BTreeMap::new(),
            watermark: NO_WATERMARK,
            input_types,
            output_types,
            late: LateLog::default(),
            metrics: OperatorMetrics::default(),
        }
    }

    /// Emits every window whose end − 1 is at or before `watermark`.
    fn fire(&mut self, watermark: i64, emit: &mut BatchBuilder) {
        let under = self.watermark;
        while let Some(entry) = self.windows.first_entry() {
            if entry.key().saturating_sub(1) > watermark {
                break;
            }
            let window = entry.remove();
            for buffer in &window.buffers {
                let mut number = 0u64;
                'rows: for (_, rows) in &buffer.entries {
                    for row in rows {
                        number += 1;
                        let (start, end) = match self.kind {
                            WindowRankKind::TopN { start, end } => (start, end),
                            WindowRankKind::Deduplicate { .. } => (1, 1),
                        };
                        if number > end {
                            break 'rows;
                        }
                        if number >= start {
                            let mut values = row.clone();
                            values.push(Value::Int(number as i64));
                            emit.push(RowKind::Insert, &values, under);
                        }
                    }
                }
            }
        }
        self.watermark = self.watermark.max(watermark);
    }

    fn take(&mut self, batch: &Batch, i: usize, window_end: i64) {
        let key_types = &self.key_types;
        let window =
            self.windows.entry(window_end).or_insert_with(|| Window { partitions: GroupTable::new(key_types), buffers: Vec::new() });
        let (p, new) = window.partitions.find_or_insert(batch, &self.partition_columns, i);
        if new {
            window.buffers.push(TopNBuffer::default());
        }
        let buffer = &mut window.buffers[p as usize];
        match self.kind {
            WindowRankKind::TopN { end, .. } => {
                let key = self.order.key(batch, i);
                if buffer.in_range(&self.order, &key, end) {
                    buffer.put(&self.order, key, batch.row(i, &self.input_types));
                }
            }
            WindowRankKind::Deduplicate { keep_last, time_column } => {
                let ts = batch.columns[time_column].value(i, &self.input_types[time_column]);
                let replace = match buffer.entries.first() {
                    None => true,
                    Some((kept, _)) => {
                        let order =
                            crate::engine::accumulator::SortKey(ts.clone()).cmp(&crate::engine::accumulator::SortKey(kept[0].clone()));
                        crate::engine::rank::replaces_kept(keep_last, order)
                    }
                };
                if replace {
                    buffer.entries.clear();
                    buffer.count = 0;
                    buffer.entries.push((vec![ts], vec![batch.row(i, &self.input_types)]));
                    buffer.count = 1;
                }
            }
        }
    }
}

impl Operator for WindowRank {
    fn name(&self) -> String {
        match self.kind {
            WindowRankKind::TopN { .. } => "WindowRank".to_string(),
            WindowRankKind::Deduplicate { .. } => "WindowDeduplicate".to_string(),
        }
    }

    fn process(&mut self, batch: Batch, out: &mut Vec<Batch>) -> Result<(), EvalError> {
        self.metrics.records_in += batch.len() as u64;
        let ColumnData::Int(ends) = &batch.columns[self.end_column].data else {
            return Err(EvalError("window_end is not a timestamp".into()));
        };
        let ends = ends.clone();
        let mut emit = BatchBuilder::new(&self.output_types);
        for (i, &end) in ends.iter().enumerate() {
            let arrival = batch.arrival_watermark(i);
            if arrival > self.watermark {
                self.fire(arrival, &mut emit);
            }
            if end.saturating_sub(1) <= self.watermark {
                self.late.record(&batch, i, &self.input_types, end.saturating_sub(1), self.watermark);
                continue;
            }
            self.take(&batch, i, end);
        }
        emit_rows(emit, &mut self.metrics, out);
        self.metrics.late_records_dropped = self.late.dropped;
        self.metrics.state_rows = self.windows.values().map(|w| w.buffers.iter().map(|b| b.count as u64).sum::<u64>()).sum();
        Ok(())
    }

    fn on_watermark(&mut self, watermark: i64, out: &mut Vec<Batch>) -> Result<(), EvalError> {
        if watermark <= self.watermark {
            return Ok(());
        }
        let mut emit = BatchBuilder::new(&self.output_types);
        self.fire(watermark, &mut emit);
        emit_rows(emit, &mut self.metrics, out);
        Ok(())
    }

    fn late_records(&self) -> Vec<LateRecord> {
        self.late.recent()
    }

    fn metrics(&self) -> OperatorMetrics {
        self.metrics.clone()
    }
}
