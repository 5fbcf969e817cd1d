//! `VALUES` rows as a bounded source (Flink's `ValuesInputFormat`): the rows are already of
//! their columns' types, so they go into the batch as they are, with nothing to decode.

use std::sync::Arc;

use super::SourceStatus;
use crate::types::{Batch, Column, DataType, Value};

pub struct ValuesSource {
    rows: Arc<Vec<Vec<Value>>>,
    types: Vec<DataType>,
    next: usize,
}

impl ValuesSource {
    pub fn new(rows: Arc<Vec<Vec<Value>>>, types: Vec<DataType>) -> Self {
        ValuesSource { rows, types, next: 0 }
    }

    /// The next `max` rows (at least one, so a step always moves), and whether any are left.
    pub fn poll(&mut self, max: usize) -> (Batch, SourceStatus) {
        let end = self.rows.len().min(self.next + max.max(1));
        let taken = self.rows.get(self.next..end).unwrap_or_default();
        let mut columns: Vec<Column> = self.types.iter().map(|t| Column::empty(t, taken.len())).collect();
        for row in taken {
            for (column, value) in columns.iter_mut().zip(row) {
                column.push(value);
            }
        }
        self.next = end;
        let status = if self.next >= self.rows.len() { SourceStatus::Ended } else { SourceStatus::Progress };
        (Batch::new(columns, taken.len()), status)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_come_out_as_typed_columns_then_the_source_ends() {
        let rows = Arc::new(vec![vec![Value::Int(1), Value::Str("lab".into())], vec![Value::Int(2), Value::Null]]);
        let types = vec![DataType::Int, DataType::Varchar(3)];
        let mut source = ValuesSource::new(rows, types.clone());
        let (first, status) = source.poll(1);
        assert_eq!((first.len(), status), (1, SourceStatus::Progress));
        assert_eq!(first.row(0, &types), [Value::Int(1), Value::Str("lab".into())]);
        let (second, status) = source.poll(10);
        assert_eq!((second.len(), status), (1, SourceStatus::Ended));
        assert_eq!(second.row(0, &types), [Value::Int(2), Value::Null]);
    }
}
