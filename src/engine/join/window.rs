//! The window join (Flink's `WindowJoinOperator`): two windowed inputs joined on equal
//! `window_start`/`window_end` (and their keys).
//!
//! Each input's rows are kept per window and key until the combined watermark passes the
//! window's end; then the window's rows are joined (inner, or padded for an outer side) and
//! forgotten. A row whose window has already fired is dropped as late, as Flink drops it.

use std::collections::{BTreeMap, VecDeque};

use hashbrown::HashMap;

use super::{Condition, JoinIo, JoinKeys, Side, TwoInputOperator};
use crate::engine::eval::EvalError;
use crate::engine::operator::{LateRecord, OperatorMetrics, LATE_RECORDS_KEPT};
use crate::plan::logical::{Join, JoinKind};
use crate::types::{Batch, ColumnData, DataType, RowKind, Value};

/// One window's rows of one key: the left's, the right's, and whether the key holds a NULL.
#[derive(Default)]
struct WindowRows {
    sides: [Vec<Vec<Value>>; 2],
    null: bool,
}

pub struct WindowJoin {
    kind: JoinKind,
    keys: JoinKeys,
    condition: Condition,
    types: [Vec<DataType>; 2],
    end_columns: [usize; 2],
    /// Open windows by their end, then by key id.
    windows: BTreeMap<i64, HashMap<u32, WindowRows>>,
    io: JoinIo,
    late: VecDeque<LateRecord>,
}

impl WindowJoin {
    /// `end_columns`: each input's `window_end` column.
    pub fn new(join: &Join, end_columns: [usize; 2], left_types: Vec<DataType>, right_types: Vec<DataType>) -> Self {
        WindowJoin {
            kind: join.kind,
            keys: JoinKeys::new(join, &left_types),
            condition: Condition::new(join, &left_types, &right_types),
            io: JoinIo::new(&left_types, &right_types),
            types: [left_types, right_types],
            end_columns,
            windows: BTreeMap::new(),
            late: VecDeque::new(),
        }
    }

    /// Joins and forgets every window whose end the watermark `wm` has passed.
    fn fire_windows(&mut self, wm: i64) -> Result<(), EvalError> {
        while let Some(entry) = self.windows.first_entry() {
            if *entry.key() - 1 > wm {
                break;
            }
            for (_, rows) in entry.remove() {
                self.join_window(rows, wm)?;
            }
        }
        Ok(())
    }

    fn join_window(&mut self, rows: WindowRows, wm: i64) -> Result<(), EvalError> {
        let [left, right] = &rows.sides;
        let (left_outer, right_outer) = (self.kind.left_outer(), self.kind.right_outer());
        // matched[l][r]: whether left row l and right row r join.
        let mut matched = Vec::with_capacity(left.len());
        for l in left {
            matched.push(if rows.null || right.is_empty() {
                vec![false; right.len()]
            } else {
                self.condition.matches(Side::Left, l, right.iter().map(Vec::as_slice))?
            });
        }
        match self.kind {
            // Flink's `WindowJoinOperator.SemiAntiJoinOperator`: a left row comes out once if
            // some right row of its window joins it (semi), or if none does (anti).
            JoinKind::Semi | JoinKind::Anti => {
                let semi = self.kind == JoinKind::Semi;
                for (left_row, partners) in left.iter().zip(&matched) {
                    if partners.iter().any(|m| *m) == semi {
                        self.io.output.push(RowKind::Insert, Some(left_row), None, wm);
                    }
                }
            }
            JoinKind::Right => {
                for (r, right_row) in right.iter().enumerate() {
                    let mut any = false;
                    for (l, left_row) in left.iter().enumerate() {
                        if matched[l][r] {
                            self.io.output.push(RowKind::Insert, Some(left_row), Some(right_row), wm);
                            any = true;
                        }
                    }
                    if !any {
                        self.io.output.push(RowKind::Insert, None, Some(right_row), wm);
                    }
                }
            }
            _ => {
                let mut right_joined = vec![false; right.len()];
                for (l, left_row) in left.iter().enumerate() {
                    let mut any = false;
                    for (r, right_row) in right.iter().enumerate() {
                        if matched[l][r] {
                            self.io.output.push(RowKind::Insert, Some(left_row), Some(right_row), wm);
                            any = true;
                            right_joined[r] = true;
                        }
                    }
                    if !any && left_outer {
                        self.io.output.push(RowKind::Insert, Some(left_row), None, wm);
                    }
                }
                if right_outer {
                    for (r, right_row) in right.iter().enumerate() {
                        if !right_joined[r] {
                            self.io.output.push(RowKind::Insert, None, Some(right_row), wm);
                        }
                    }
                }
            }
        }
        Ok(())
    }

    fn join_one(&mut self, side: Side, batch: &Batch, i: usize, wm: i64) -> Result<(), EvalError> {
        self.fire_windows(wm)?;
        let s = side.index();
        let ColumnData::Int(ends) = &batch.columns[self.end_columns[s]].data else {
            return Err(EvalError("a window join's window_end is not a timestamp".into()));
        };
        let end = ends[i];
        let row = batch.row(i, &self.types[s]);
        if end - 1 <= wm {
            self.io.metrics.late_records_dropped += 1;
            if self.late.len() == LATE_RECORDS_KEPT {
                self.late.pop_front();
            }
            self.late.push_back(LateRecord { row, event_time: end - 1, watermark: wm, missed: Vec::new() });
            return Ok(());
        }
        let (key, null) = self.keys.key(side, batch, i);
        let rows = self.windows.entry(end).or_default().entry(key).or_default();
        rows.null |= null;
        rows.sides[s].push(row);
        Ok(())
    }
}

impl TwoInputOperator for WindowJoin {
    fn name(&self) -> String {
        format!("WindowJoin({})", self.kind.sql())
    }

    fn io(&mut self) -> &mut JoinIo {
        &mut self.io
    }

    fn join_row(&mut self, side: Side, batch: &Batch, i: usize, wm: i64) -> Result<(), EvalError> {
        self.join_one(side, batch, i, wm)
    }

    fn fire(&mut self, wm: i64) -> Result<(), EvalError> {
        self.fire_windows(wm)
    }

    fn metrics(&self) -> OperatorMetrics {
        let rows: usize = self.windows.values().flat_map(|w| w.values()).map(|r| r.sides[0].len() + r.sides[1].len()).sum();
        OperatorMetrics { state_rows: rows as u64, ..self.io.metrics.clone() }
    }

    fn set_user_functions(&mut self, host: &std::rc::Rc<dyn crate::plan::functions::user::UserFunctionHost>) {
        self.condition.set_user_functions(host);
    }

    fn set_now(&mut self, now_ms: i64) {
        self.condition.set_now(now_ms);
    }

    fn late_records(&self) -> Vec<LateRecord> {
        self.late.iter().cloned().collect()
    }
}
