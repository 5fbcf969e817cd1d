//! What a chart over a result table shows, as Zeppelin's chart settings say it: **keys** (the
//! categories along the x axis, or the pie's slices), **groups** (one series each, told apart
//! by colour and named in the legend) and a **value** folded by its aggregate (sum, count, avg,
//! min, max). Bar, line and area charts fold rows per key and group; a pie folds per key (and
//! group); a scatter plot draws every row as a point. Also the scales and the hit-testing
//! behind tooltips, so the page only draws and asks.

use std::collections::BTreeMap;

use super::table::ResultTable;
use crate::types::{DataType, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChartKind {
    Bar,
    Line,
    Area,
    Pie,
    Scatter,
}

impl ChartKind {
    pub const ALL: [ChartKind; 5] = [ChartKind::Bar, ChartKind::Line, ChartKind::Area, ChartKind::Pie, ChartKind::Scatter];

    pub fn name(self) -> &'static str {
        match self {
            ChartKind::Bar => "bar",
            ChartKind::Line => "line",
            ChartKind::Area => "area",
            ChartKind::Pie => "pie",
            ChartKind::Scatter => "scatter",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Aggregate {
    Sum,
    Avg,
    Count,
    Min,
    Max,
}

impl Aggregate {
    pub const ALL: [Aggregate; 5] = [Aggregate::Avg, Aggregate::Sum, Aggregate::Count, Aggregate::Min, Aggregate::Max];

    pub fn name(self) -> &'static str {
        match self {
            Aggregate::Sum => "sum",
            Aggregate::Avg => "avg",
            Aggregate::Count => "count",
            Aggregate::Min => "min",
            Aggregate::Max => "max",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.name() == name)
    }
}

/// An aggregate being folded: every aggregate comes from these four numbers.
#[derive(Clone, Copy, Debug)]
struct Fold {
    sum: f64,
    count: u64,
    min: f64,
    max: f64,
}

impl Fold {
    const EMPTY: Fold = Fold { sum: 0.0, count: 0, min: f64::INFINITY, max: f64::NEG_INFINITY };

    fn add(&mut self, v: &Value, aggregate: Aggregate) {
        if let Some(x) = v.as_f64() {
            self.sum += x;
            self.count += 1;
            self.min = self.min.min(x);
            self.max = self.max.max(x);
        } else if aggregate == Aggregate::Count && !v.is_null() {
            // COUNT counts any non-null value, as Zeppelin's does; the others need numbers.
            self.count += 1;
        }
    }

    fn value(self, aggregate: Aggregate) -> Option<f64> {
        match aggregate {
            Aggregate::Count => Some(self.count as f64),
            _ if self.count == 0 || self.min > self.max => None,
            Aggregate::Sum => Some(self.sum),
            Aggregate::Avg => Some(self.sum / self.count as f64),
            Aggregate::Min => Some(self.min),
            Aggregate::Max => Some(self.max),
        }
    }
}

/// Which columns a chart uses (by position in the result).
#[derive(Clone, Debug, PartialEq)]
pub struct ChartSpec {
    pub keys: usize,
    pub group: Option<usize>,
    pub value: usize,
    pub aggregate: Aggregate,
}

/// One series: a value per key (`None` where the series has no row for that key).
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    pub name: String,
    pub values: Vec<Option<f64>>,
}

/// Bar, line and area charts' data: the keys in order, and a series per group.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CategoryData {
    pub keys: Vec<String>,
    pub series: Vec<Series>,
}

/// A pie's slice.
#[derive(Clone, Debug, PartialEq)]
pub struct Slice {
    pub label: String,
    pub value: f64,
}

/// A scatter plot's points, a series per group. `x` is the key when it is a number, else the
/// key's position among `x_labels`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ScatterData {
    pub x_labels: Option<Vec<String>>,
    pub series: Vec<(String, Vec<(f64, f64)>)>,
}

/// A key as the chart shows and orders it: numbers by value, anything else by its text
/// (timestamps' ISO text orders by time).
fn label(v: &Value) -> String {
    match v {
        Value::Null => "NULL".to_string(),
        v => v.to_string(),
    }
}

fn ordered_keys<'a>(keys: impl Iterator<Item = &'a Value>) -> Vec<String> {
    let mut distinct: BTreeMap<String, Option<f64>> = BTreeMap::new();
    for k in keys {
        distinct.entry(label(k)).or_insert_with(|| k.as_f64());
    }
    let mut keys: Vec<(String, Option<f64>)> = distinct.into_iter().collect();
    if keys.iter().all(|(_, n)| n.is_some()) {
        keys.sort_by(|a, b| a.1.unwrap_or(0.0).total_cmp(&b.1.unwrap_or(0.0)));
    }
    keys.into_iter().map(|(k, _)| k).collect()
}

impl ChartSpec {
    /// Sensible defaults for a result: the first string column as keys, the first
    /// floating-point column (else the first other numeric column) as values, averaged; no
    /// groups.
    pub fn default_for(types: &[DataType]) -> Option<Self> {
        let keys = types.iter().position(|t| matches!(t, DataType::Char(_) | DataType::Varchar(_))).unwrap_or(0);
        let numeric = |t: &DataType| t.is_integer() || matches!(t, DataType::Float | DataType::Double | DataType::Decimal { .. });
        let value = (0..types.len())
            .find(|&i| i != keys && matches!(types[i], DataType::Float | DataType::Double))
            .or_else(|| (0..types.len()).find(|&i| i != keys && numeric(&types[i])))?;
        Some(ChartSpec { keys, group: None, value, aggregate: Aggregate::Avg })
    }

    /// `avg(current_temperature)`, with the result's column names.
    pub fn value_label(&self, columns: &[String]) -> String {
        format!("{}({})", self.aggregate.name(), columns.get(self.value).map_or("", String::as_str))
    }

    fn cells<'a>(&self, table: &'a ResultTable) -> impl Iterator<Item = (&'a Value, Option<&'a Value>, &'a Value)> + 'a {
        let (keys, group, value) = (self.keys, self.group, self.value);
        table.rows().filter_map(move |row| {
            let g = match group {
                Some(g) => Some(row.get(g)?),
                None => None,
            };
            Some((row.get(keys)?, g, row.get(value)?))
        })
    }

    /// Bar, line and area data. Without groups there is one series, named after the value.
    pub fn categories(&self, table: &ResultTable, value_label: &str) -> CategoryData {
        let keys = ordered_keys(self.cells(table).map(|(k, _, _)| k));
        let groups = match self.group {
            Some(_) => ordered_keys(self.cells(table).filter_map(|(_, g, _)| g)),
            None => vec![value_label.to_string()],
        };
        let key_index: BTreeMap<&str, usize> = keys.iter().enumerate().map(|(i, k)| (k.as_str(), i)).collect();
        let group_index: BTreeMap<&str, usize> = groups.iter().enumerate().map(|(i, g)| (g.as_str(), i)).collect();
        let mut folds = vec![vec![None::<Fold>; keys.len()]; groups.len()];
        for (k, g, v) in self.cells(table) {
            let (Some(&ki), Some(&gi)) =
                (key_index.get(label(k).as_str()), group_index.get(g.map_or(value_label.to_string(), label).as_str()))
            else {
                continue;
            };
            folds[gi][ki].get_or_insert(Fold::EMPTY).add(v, self.aggregate);
        }
        let series = groups
            .iter()
            .zip(folds)
            .map(|(name, folds)| Series {
                name: name.clone(),
                values: folds.into_iter().map(|f| f.and_then(|f| f.value(self.aggregate))).collect(),
            })
            .collect();
        CategoryData { keys, series }
    }

    /// A pie's slices: one per key, or per key and group (`OK · 3`) when grouped. Slices at or
    /// below zero have no area and are left out.
    pub fn slices(&self, table: &ResultTable) -> Vec<Slice> {
        let data = self.categories(table, "");
        let grouped = self.group.is_some();
        let mut slices = Vec::new();
        for (ki, key) in data.keys.iter().enumerate() {
            for s in &data.series {
                if let Some(v) = s.values[ki].filter(|v| *v > 0.0) {
                    let label = if grouped { format!("{key} · {}", s.name) } else { key.clone() };
                    slices.push(Slice { label, value: v });
                }
            }
        }
        slices
    }

    /// A scatter plot: every row a point (keys along x, the value up), a series per group.
    pub fn scatter(&self, table: &ResultTable, value_label: &str) -> ScatterData {
        let numeric_x = self.cells(table).all(|(k, _, _)| k.as_f64().is_some());
        let x_labels = (!numeric_x).then(|| ordered_keys(self.cells(table).map(|(k, _, _)| k)));
        let mut series: BTreeMap<String, Vec<(f64, f64)>> = BTreeMap::new();
        for (k, g, v) in self.cells(table) {
            let Some(y) = v.as_f64() else { continue };
            let x = match &x_labels {
                Some(labels) => labels.iter().position(|l| *l == label(k)).unwrap_or(0) as f64,
                None => k.as_f64().unwrap_or(0.0),
            };
            series.entry(g.map_or(value_label.to_string(), label)).or_default().push((x, y));
        }
        ScatterData { x_labels, series: series.into_iter().collect() }
    }
}

/// A value axis's range: from zero (or below, for negatives) to a little past the largest
/// value, so the tallest bar or highest point does not touch the top.
pub fn value_range(values: impl Iterator<Item = f64>, from_zero: bool) -> (f64, f64) {
    let (mut min, mut max) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values.filter(|v| v.is_finite()) {
        min = min.min(v);
        max = max.max(v);
    }
    if min > max {
        return (0.0, 1.0);
    }
    if from_zero {
        min = min.min(0.0);
        max = max.max(0.0);
    }
    let span = if max > min { max - min } else { max.abs().max(1.0) };
    let low = if from_zero && min >= 0.0 { 0.0 } else { min - span * 0.08 };
    (low, max + span * 0.08)
}

/// Where a drawn mark is (CSS pixels on the canvas), so hovering can say what it shows.
#[derive(Clone, Debug, PartialEq)]
pub enum Shape {
    Rect {
        left: f64,
        top: f64,
        right: f64,
        bottom: f64,
    },
    Point {
        x: f64,
        y: f64,
    },
    /// Angles in radians, clockwise from twelve o'clock.
    Wedge {
        cx: f64,
        cy: f64,
        radius: f64,
        from: f64,
        to: f64,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    pub shape: Shape,
    /// What the tooltip says.
    pub text: String,
}

/// How far from a point the pointer may be and still show it (CSS px).
const POINT_REACH: f64 = 12.0;

/// The mark under (or, for points, nearest to) the pointer at `(x, y)`.
pub fn hit_test(hits: &[Hit], x: f64, y: f64) -> Option<&Hit> {
    let mut nearest: Option<(f64, &Hit)> = None;
    for hit in hits {
        match hit.shape {
            Shape::Rect { left, top, right, bottom } => {
                if x >= left.min(right) && x <= left.max(right) && y >= top.min(bottom) && y <= top.max(bottom) {
                    return Some(hit);
                }
            }
            Shape::Point { x: px, y: py } => {
                let d = ((x - px).powi(2) + (y - py).powi(2)).sqrt();
                if d <= POINT_REACH && nearest.is_none_or(|(best, _)| d < best) {
                    nearest = Some((d, hit));
                }
            }
            Shape::Wedge { cx, cy, radius, from, to } => {
                let (dx, dy) = (x - cx, y - cy);
                if (dx * dx + dy * dy).sqrt() <= radius {
                    // Clockwise from twelve o'clock, in [0, 2π).
                    let angle = dx.atan2(-dy).rem_euclid(std::f64::consts::TAU);
                    if angle >= from && angle < to {
                        return Some(hit);
                    }
                }
            }
        }
    }
    nearest.map(|(_, h)| h)
}

/// A value as a tooltip or legend shows it: integers plainly, others to four significant
/// decimals.
pub fn format_value(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        let s = format!("{v:.4}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::{Change, ColumnInfo};
    use crate::types::{RowKind, SqlType};
    use crate::views::ResultMode;

    /// Rows of (sensor_id, current_temperature, status).
    fn readings(rows: &[(i64, f64, &str)]) -> ResultTable {
        let types = [DataType::Int, DataType::Double, DataType::Varchar(6)];
        let columns = types.iter().enumerate().map(|(i, t)| ColumnInfo::new(format!("c{i}"), SqlType::nullable(t.clone()))).collect();
        let mut t = ResultTable::new(columns, ResultMode::Append, 100);
        for &(id, temp, status) in rows {
            t.apply(&[Change { kind: RowKind::Insert, row: vec![Value::Int(id), Value::Double(temp), Value::Str(status.into())] }]);
        }
        t
    }

    const ROWS: [(i64, f64, &str); 5] = [(1, 50.0, "OK"), (2, 170.0, "ERROR"), (3, 70.0, "OK"), (10, 150.0, "WARNING"), (2, 90.0, "OK")];

    #[test]
    fn raw_rows_fold_into_one_value_per_status() {
        let t = readings(&ROWS);
        let chart = ChartSpec::default_for(&[DataType::Int, DataType::Double, DataType::Varchar(6)]).unwrap();
        assert_eq!((chart.keys, chart.group, chart.value), (2, None, 1));
        let data = chart.categories(&t, "avg(c1)");
        assert_eq!(data.keys, ["ERROR", "OK", "WARNING"]);
        assert_eq!(data.series, [Series { name: "avg(c1)".into(), values: vec![Some(170.0), Some(70.0), Some(150.0)] }]);
        let count = ChartSpec { aggregate: Aggregate::Count, ..chart.clone() };
        assert_eq!(count.categories(&t, "n").series[0].values, [Some(1.0), Some(3.0), Some(1.0)]);
    }

    #[test]
    fn every_aggregate_folds_the_same_rows() {
        let t = readings(&ROWS);
        let ok = |aggregate| ChartSpec { keys: 2, group: None, value: 1, aggregate }.categories(&t, "v").series[0].values[1];
        assert_eq!(ok(Aggregate::Sum), Some(210.0));
        assert_eq!(ok(Aggregate::Count), Some(3.0));
        assert_eq!(ok(Aggregate::Avg), Some(70.0));
        assert_eq!(ok(Aggregate::Min), Some(50.0));
        assert_eq!(ok(Aggregate::Max), Some(90.0));
    }

    #[test]
    fn groups_make_a_series_each_with_gaps_where_they_have_no_rows() {
        let t = readings(&ROWS);
        let chart = ChartSpec { keys: 0, group: Some(2), value: 1, aggregate: Aggregate::Max };
        let data = chart.categories(&t, "max(c1)");
        // Numeric keys order by number: 2 before 10.
        assert_eq!(data.keys, ["1", "2", "3", "10"]);
        let names: Vec<_> = data.series.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["ERROR", "OK", "WARNING"]);
        assert_eq!(data.series[1].values, [Some(50.0), Some(90.0), Some(70.0), None]);
        assert_eq!(data.series[0].values, [None, Some(170.0), None, None]);
    }

    #[test]
    fn pie_slices_per_key_and_per_key_and_group() {
        let t = readings(&ROWS);
        let by_status = ChartSpec { keys: 2, group: None, value: 1, aggregate: Aggregate::Count }.slices(&t);
        assert_eq!(
            by_status,
            [
                Slice { label: "ERROR".into(), value: 1.0 },
                Slice { label: "OK".into(), value: 3.0 },
                Slice { label: "WARNING".into(), value: 1.0 }
            ]
        );
        let grouped = ChartSpec { keys: 0, group: Some(2), value: 1, aggregate: Aggregate::Sum }.slices(&t);
        assert_eq!(
            grouped.iter().map(|s| s.label.as_str()).collect::<Vec<_>>(),
            ["1 · OK", "2 · ERROR", "2 · OK", "3 · OK", "10 · WARNING"]
        );
    }

    #[test]
    fn scatter_plots_every_row_with_numeric_or_positional_x() {
        let t = readings(&ROWS);
        let numeric = ChartSpec { keys: 0, group: Some(2), value: 1, aggregate: Aggregate::Avg }.scatter(&t, "c1");
        assert_eq!(numeric.x_labels, None);
        assert_eq!(numeric.series[1], ("OK".to_string(), vec![(1.0, 50.0), (3.0, 70.0), (2.0, 90.0)]));
        let by_status = ChartSpec { keys: 2, group: None, value: 1, aggregate: Aggregate::Avg }.scatter(&t, "c1");
        assert_eq!(by_status.x_labels.as_deref(), Some(&["ERROR".to_string(), "OK".into(), "WARNING".into()][..]));
        assert_eq!(by_status.series, [("c1".to_string(), vec![(1.0, 50.0), (0.0, 170.0), (1.0, 70.0), (2.0, 150.0), (1.0, 90.0)])]);
    }

    #[test]
    fn value_ranges_start_at_zero_and_leave_headroom() {
        assert_eq!(value_range([10.0, 50.0].into_iter(), true), (0.0, 54.0));
        let (low, high) = value_range([-10.0, 10.0].into_iter(), true);
        assert!(low < -10.0 && high > 10.0);
        assert_eq!(value_range(std::iter::empty(), true), (0.0, 1.0));
        let (low, high) = value_range([5.0, 5.0].into_iter(), false);
        assert!(low < 5.0 && high > 5.0);
    }

    #[test]
    fn hovering_finds_the_bar_the_nearest_point_or_the_wedge() {
        let hits = [
            Hit { shape: Shape::Rect { left: 0.0, top: 10.0, right: 20.0, bottom: 100.0 }, text: "bar".into() },
            Hit { shape: Shape::Point { x: 50.0, y: 50.0 }, text: "far".into() },
            Hit { shape: Shape::Point { x: 55.0, y: 50.0 }, text: "near".into() },
            Hit {
                shape: Shape::Wedge { cx: 200.0, cy: 200.0, radius: 50.0, from: 0.0, to: std::f64::consts::FRAC_PI_2 },
                text: "wedge".into(),
            },
        ];
        assert_eq!(hit_test(&hits, 10.0, 50.0).map(|h| h.text.as_str()), Some("bar"));
        assert_eq!(hit_test(&hits, 57.0, 51.0).map(|h| h.text.as_str()), Some("near"));
        // Up and to the right of the centre: the first quarter, clockwise from twelve.
        assert_eq!(hit_test(&hits, 220.0, 180.0).map(|h| h.text.as_str()), Some("wedge"));
        assert_eq!(hit_test(&hits, 180.0, 220.0), None);
        assert_eq!(hit_test(&hits, 300.0, 300.0), None);
    }

    #[test]
    fn values_print_short() {
        assert_eq!(format_value(3.0), "3");
        assert_eq!(format_value(71.795671), "71.7957");
        assert_eq!(format_value(0.5), "0.5");
    }
}
