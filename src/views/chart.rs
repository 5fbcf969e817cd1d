//! A bar chart over a result table: one bar per value of a category column, its height an
//! aggregate of a numeric column (Zeppelin's chart settings: keys, values, aggregation).

use std::collections::BTreeMap;

use super::table::ResultTable;
use crate::types::{DataType, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BarAggregate {
    Sum,
    Avg,
    Count,
    Min,
    Max,
}

impl BarAggregate {
    pub const ALL: [BarAggregate; 5] = [BarAggregate::Avg, BarAggregate::Sum, BarAggregate::Count, BarAggregate::Min, BarAggregate::Max];

    pub fn name(self) -> &'static str {
        match self {
            BarAggregate::Sum => "sum",
            BarAggregate::Avg => "avg",
            BarAggregate::Count => "count",
            BarAggregate::Min => "min",
            BarAggregate::Max => "max",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.name() == name)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
}

/// Which columns a chart uses.
#[derive(Clone, Debug, PartialEq)]
pub struct BarChart {
    pub category: usize,
    pub value: usize,
    pub aggregate: BarAggregate,
}

impl BarChart {
    /// Sensible defaults for a result: the first string column as categories, the first
    /// floating-point column (else the first other numeric column) as values, averaged.
    pub fn default_for(types: &[DataType]) -> Option<Self> {
        let category = types.iter().position(|t| matches!(t, DataType::Char(_) | DataType::Varchar(_))).unwrap_or(0);
        let numeric = |t: &DataType| t.is_integer() || matches!(t, DataType::Float | DataType::Double | DataType::Decimal { .. });
        let value = (0..types.len())
            .find(|&i| i != category && matches!(types[i], DataType::Float | DataType::Double))
            .or_else(|| (0..types.len()).find(|&i| i != category && numeric(&types[i])))?;
        Some(BarChart { category, value, aggregate: BarAggregate::Avg })
    }

    /// The bars, ordered by label.
    pub fn bars(&self, table: &ResultTable) -> Vec<Bar> {
        let mut groups: BTreeMap<String, (f64, u64, f64, f64)> = BTreeMap::new();
        for row in table.rows() {
            let (Some(key), Some(v)) = (row.get(self.category), row.get(self.value)) else { continue };
            let label = match key {
                Value::Null => "NULL".to_string(),
                k => k.to_string(),
            };
            let entry = groups.entry(label).or_insert((0.0, 0, f64::INFINITY, f64::NEG_INFINITY));
            if let Some(x) = v.as_f64() {
                entry.0 += x;
                entry.1 += 1;
                entry.2 = entry.2.min(x);
                entry.3 = entry.3.max(x);
            } else if self.aggregate == BarAggregate::Count && !v.is_null() {
                entry.1 += 1;
            }
        }
        groups
            .into_iter()
            .map(|(label, (sum, n, min, max))| {
                let value = match self.aggregate {
                    BarAggregate::Sum => sum,
                    BarAggregate::Avg if n > 0 => sum / n as f64,
                    BarAggregate::Count => n as f64,
                    BarAggregate::Min if n > 0 => min,
                    BarAggregate::Max if n > 0 => max,
                    _ => 0.0,
                };
                Bar { label, value }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::{Change, ColumnInfo};
    use crate::types::{RowKind, SqlType};
    use crate::views::ResultMode;

    #[test]
    fn raw_rows_fold_into_one_bar_per_status() {
        let types = [DataType::Int, DataType::Double, DataType::Varchar(6)];
        let columns = types.iter().enumerate().map(|(i, t)| ColumnInfo { name: format!("c{i}"), ty: SqlType::nullable(t.clone()) }).collect();
        let mut t = ResultTable::new(columns, ResultMode::Append, 100);
        for (id, temp, status) in [(1, 50.0, "OK"), (2, 170.0, "ERROR"), (3, 70.0, "OK"), (4, 150.0, "WARNING")] {
            t.apply(&[Change { kind: RowKind::Insert, row: vec![Value::Int(id), Value::Double(temp), Value::Str(status.into())] }]);
        }
        let chart = BarChart::default_for(&types).unwrap();
        assert_eq!((chart.category, chart.value), (2, 1));
        let bars = chart.bars(&t);
        assert_eq!(bars.iter().map(|b| (b.label.as_str(), b.value)).collect::<Vec<_>>(), [("ERROR", 170.0), ("OK", 60.0), ("WARNING", 150.0)]);
        let count = BarChart { aggregate: BarAggregate::Count, ..chart };
        assert_eq!(count.bars(&t)[1].value, 2.0);
    }
}
