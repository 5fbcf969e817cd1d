//! A query's result as a table, kept as Zeppelin's `%flink.ssql(type=…)` modes keep it.

use std::collections::VecDeque;

use crate::session::{Change, ColumnInfo};
use crate::types::{RowKind, Value};

/// How a paragraph shows its result (`%flink.ssql(type=update|append|single)`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ResultMode {
    /// Rows are updated in place: `-U`/`+U` replace a row, `-D` removes it.
    #[default]
    Update,
    /// Every change is a new row, newest last.
    Append,
    /// One value: the first column of the latest row.
    Single,
}

impl ResultMode {
    /// Reads the paragraph header's `type` property (`update` when absent or unknown).
    pub fn from_property(value: Option<&str>) -> Result<Self, String> {
        match value.map(str::trim) {
            None | Some("update") => Ok(ResultMode::Update),
            Some("append") => Ok(ResultMode::Append),
            Some("single") => Ok(ResultMode::Single),
            Some(other) => Err(format!("type={other} is not one of update, append, single")),
        }
    }

    /// The mode a paragraph's interpreter line asks for: `%flink.ssql(type=append)`.
    pub fn from_paragraph(text: &str) -> Result<Self, String> {
        super::properties::ParagraphProperties::parse(text).map(|p| p.mode)
    }
}

/// The result rows, capped: past `cap` rows the oldest are dropped (and counted), so a result
/// that grows forever (`SELECT *` over a stream) keeps the newest rows and the page stays fast.
#[derive(Clone, Debug)]
pub struct ResultTable {
    pub columns: Vec<ColumnInfo>,
    mode: ResultMode,
    rows: VecDeque<Vec<Value>>,
    cap: usize,
    /// Where the last `-U` removed a row, so the `+U` after it lands in the same place.
    retracted_at: Option<usize>,
    dropped: u64,
    changes: u64,
}

impl ResultTable {
    pub fn new(columns: Vec<ColumnInfo>, mode: ResultMode, cap: usize) -> Self {
        ResultTable { columns, mode, rows: VecDeque::new(), cap: cap.max(1), retracted_at: None, dropped: 0, changes: 0 }
    }

    pub fn mode(&self) -> ResultMode {
        self.mode
    }

    pub fn apply(&mut self, changes: &[Change]) {
        for change in changes {
            self.changes += 1;
            match (self.mode, change.kind) {
                (ResultMode::Append, _) => self.push(change.row.clone()),
                (_, RowKind::Insert) => {
                    self.retracted_at = None;
                    self.push(change.row.clone());
                }
                (_, RowKind::UpdateAfter) => match self.retracted_at.take() {
                    Some(at) if at <= self.rows.len() => self.rows.insert(at, change.row.clone()),
                    _ => self.push(change.row.clone()),
                },
                (_, RowKind::UpdateBefore | RowKind::Delete) => {
                    // The newest equal row: with duplicates, which one goes does not matter.
                    self.retracted_at = self.rows.iter().rposition(|r| *r == change.row);
                    if let Some(at) = self.retracted_at {
                        self.rows.remove(at);
                    }
                }
            }
        }
    }

    fn push(&mut self, row: Vec<Value>) {
        self.rows.push_back(row);
        while self.rows.len() > self.cap {
            self.rows.pop_front();
            self.dropped += 1;
        }
    }

    pub fn rows(&self) -> impl DoubleEndedIterator<Item = &Vec<Value>> + ExactSizeIterator {
        self.rows.iter()
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Rows dropped because the table was full.
    pub fn dropped(&self) -> u64 {
        self.dropped
    }

    /// Changes applied so far.
    pub fn changes(&self) -> u64 {
        self.changes
    }

    pub fn cap(&self) -> usize {
        self.cap
    }

    /// The value `single` mode shows.
    pub fn single_value(&self) -> Option<&Value> {
        self.rows.back().and_then(|r| r.first())
    }

    /// The row `single` mode shows through a template (the newest).
    pub fn single_row(&self) -> Option<&[Value]> {
        self.rows.back().map(Vec::as_slice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{DataType, SqlType};

    fn change(kind: RowKind, key: &str, n: i64) -> Change {
        Change { kind, row: vec![Value::Str(key.into()), Value::Int(n)] }
    }

    fn columns() -> Vec<ColumnInfo> {
        vec![
            ColumnInfo::new("status", SqlType::nullable(DataType::Varchar(6))),
            ColumnInfo::new("num", SqlType::not_null(DataType::BigInt)),
        ]
    }

    #[test]
    fn updates_replace_rows_in_place() {
        let mut t = ResultTable::new(columns(), ResultMode::Update, 100);
        t.apply(&[
            change(RowKind::Insert, "OK", 1),
            change(RowKind::Insert, "ERROR", 1),
            change(RowKind::UpdateBefore, "OK", 1),
            change(RowKind::UpdateAfter, "OK", 2),
            change(RowKind::Insert, "WARNING", 1),
            change(RowKind::Delete, "ERROR", 1),
        ]);
        let rows: Vec<_> = t.rows().map(|r| (r[0].to_string(), r[1].to_string())).collect();
        assert_eq!(rows, [("OK".into(), "2".into()), ("WARNING".into(), "1".into())]);
        assert_eq!(t.changes(), 6);
    }

    #[test]
    fn append_keeps_every_change_and_caps() {
        let mut t = ResultTable::new(columns(), ResultMode::Append, 3);
        for n in 0..5 {
            t.apply(&[change(RowKind::Insert, "OK", n)]);
        }
        assert_eq!(t.len(), 3);
        assert_eq!(t.dropped(), 2);
        assert_eq!(t.rows().next().unwrap()[1], Value::Int(2));
        assert_eq!(t.single_value(), Some(&Value::Str("OK".into())));
    }

    #[test]
    fn modes_come_from_the_paragraph_header() {
        assert_eq!(ResultMode::from_property(None).unwrap(), ResultMode::Update);
        assert_eq!(ResultMode::from_property(Some("append")).unwrap(), ResultMode::Append);
        assert!(ResultMode::from_property(Some("table")).is_err());
        assert_eq!(ResultMode::from_paragraph("%flink.ssql(type=append)\nSELECT 1").unwrap(), ResultMode::Append);
        assert_eq!(ResultMode::from_paragraph("\n%flink.ssql\nSELECT 1").unwrap(), ResultMode::Update);
        assert_eq!(ResultMode::from_paragraph("SELECT 1").unwrap(), ResultMode::Update);
    }
}
