//! Aggregate accumulators, stored column-wise: one vector per aggregate, indexed by group id.
//!
//! Accumulating a run of rows is a tight loop per aggregate (`accumulate_rows`); updating
//! inputs (a changelog with -U/-D) go through `update`, which can also retract. MIN and MAX
//! over an updating input keep a multiset of values per group, as Flink's `MinWithRetract` does.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use crate::plan::logical::{AggCall, AggFunc};
use crate::types::{Batch, ColumnData, DataType, Value};

pub struct Accumulators {
    aggs: Vec<Acc>,
    groups: usize,
}

enum Acc {
    Count { arg: Option<usize>, n: Vec<i64> },
    Sum { arg: usize, kind: SumKind, avg: bool, n: Vec<i64> },
    MinMax { arg: usize, max: bool, ty: DataType, values: Vec<Option<Value>>, multiset: Option<Vec<BTreeMap<SortKey, i64>>> },
}

enum SumKind {
    Int { sum: Vec<i64>, ty: DataType },
    Double { sum: Vec<f64> },
    Decimal { sum: Vec<i128>, scale: u8 },
}

impl Accumulators {
    /// `retracting`: the input carries -U/-D rows.
    pub fn new(calls: &[AggCall], retracting: bool) -> Self {
        let aggs = calls
            .iter()
            .map(|c| match c.func {
                AggFunc::CountStar => Acc::Count { arg: None, n: Vec::new() },
                AggFunc::Count => Acc::Count { arg: c.arg, n: Vec::new() },
                AggFunc::Sum | AggFunc::Avg => {
                    let ty = c.arg_ty.as_ref().map(|t| t.data_type.clone()).unwrap_or(DataType::Double);
                    let kind = match ty {
                        DataType::Float | DataType::Double => SumKind::Double { sum: Vec::new() },
                        DataType::Decimal { scale, .. } => SumKind::Decimal { sum: Vec::new(), scale },
                        ty => SumKind::Int { sum: Vec::new(), ty },
                    };
                    Acc::Sum { arg: c.arg.unwrap_or(0), kind, avg: c.func == AggFunc::Avg, n: Vec::new() }
                }
                AggFunc::Min | AggFunc::Max => Acc::MinMax {
                    arg: c.arg.unwrap_or(0),
                    max: c.func == AggFunc::Max,
                    ty: c.ty.data_type.clone(),
                    values: Vec::new(),
                    multiset: retracting.then(Vec::new),
                },
            })
            .collect();
        Accumulators { aggs, groups: 0 }
    }

    pub fn len(&self) -> usize {
        self.groups
    }

    pub fn is_empty(&self) -> bool {
        self.groups == 0
    }

    /// Adds a group with empty accumulators; returns its id.
    pub fn add_group(&mut self) -> u32 {
        for a in &mut self.aggs {
            match a {
                Acc::Count { n, .. } => n.push(0),
                Acc::Sum { kind, n, .. } => {
                    n.push(0);
                    match kind {
                        SumKind::Int { sum, .. } => sum.push(0),
                        SumKind::Double { sum } => sum.push(0.0),
                        SumKind::Decimal { sum, .. } => sum.push(0),
                    }
                }
                Acc::MinMax { values, multiset, .. } => {
                    values.push(None);
                    if let Some(m) = multiset {
                        m.push(BTreeMap::new());
                    }
                }
            }
        }
        self.groups += 1;
        (self.groups - 1) as u32
    }

    /// Empties group `g` so its id can be reused.
    pub fn reset(&mut self, g: u32) {
        let g = g as usize;
        for a in &mut self.aggs {
            match a {
                Acc::Count { n, .. } => n[g] = 0,
                Acc::Sum { kind, n, .. } => {
                    n[g] = 0;
                    match kind {
                        SumKind::Int { sum, .. } => sum[g] = 0,
                        SumKind::Double { sum } => sum[g] = 0.0,
                        SumKind::Decimal { sum, .. } => sum[g] = 0,
                    }
                }
                Acc::MinMax { values, multiset, .. } => {
                    values[g] = None;
                    if let Some(m) = multiset {
                        m[g].clear();
                    }
                }
            }
        }
    }

    /// Accumulates `rows` of `batch` into groups `gids` (same length): inserts only.
    pub fn accumulate_rows(&mut self, gids: &[u32], rows: &[u32], batch: &Batch) {
        for a in &mut self.aggs {
            match a {
                Acc::Count { arg: None, n } => {
                    for &g in gids {
                        n[g as usize] += 1;
                    }
                }
                Acc::Count { arg: Some(c), n } => {
                    let col = &batch.columns[*c];
                    for (&g, &r) in gids.iter().zip(rows) {
                        n[g as usize] += col.is_valid(r as usize) as i64;
                    }
                }
                Acc::Sum { arg, kind, n, .. } => {
                    let col = &batch.columns[*arg];
                    match (kind, &col.data) {
                        (SumKind::Double { sum }, ColumnData::Double(v)) if col.validity.is_none() => {
                            for (&g, &r) in gids.iter().zip(rows) {
                                sum[g as usize] += v[r as usize];
                                n[g as usize] += 1;
                            }
                        }
                        (kind, _) => {
                            for (&g, &r) in gids.iter().zip(rows) {
                                add_sum(kind, n, g as usize, &col.data, col.is_valid(r as usize), r as usize, 1);
                            }
                        }
                    }
                }
                Acc::MinMax { .. } => {
                    for (&g, &r) in gids.iter().zip(rows) {
                        update_min_max(a, g as usize, batch, r as usize, false);
                    }
                }
            }
        }
    }

    /// Accumulates (or, with `retract`, takes back) one row.
    pub fn update(&mut self, g: u32, batch: &Batch, row: usize, retract: bool) {
        let g = g as usize;
        let sign = if retract { -1 } else { 1 };
        for a in &mut self.aggs {
            match a {
                Acc::Count { arg, n } => {
                    if arg.is_none_or(|c| batch.columns[c].is_valid(row)) {
                        n[g] += sign;
                    }
                }
                Acc::Sum { arg, kind, n, .. } => {
                    let col = &batch.columns[*arg];
                    add_sum(kind, n, g, &col.data, col.is_valid(row), row, sign);
                }
                Acc::MinMax { .. } => update_min_max(a, g, batch, row, retract),
            }
        }
    }

    /// Merges group `src` of `other` (built from the same calls) into group `dst`.
    pub fn merge(&mut self, dst: u32, other: &Accumulators, src: u32) {
        let (d, s) = (dst as usize, src as usize);
        for (a, b) in self.aggs.iter_mut().zip(&other.aggs) {
            match (a, b) {
                (Acc::Count { n, .. }, Acc::Count { n: m, .. }) => n[d] += m[s],
                (Acc::Sum { kind, n, .. }, Acc::Sum { kind: k2, n: m, .. }) => {
                    n[d] += m[s];
                    match (kind, k2) {
                        (SumKind::Int { sum, ty }, SumKind::Int { sum: o, .. }) => sum[d] = wrap(sum[d].wrapping_add(o[s]), ty),
                        (SumKind::Double { sum }, SumKind::Double { sum: o }) => sum[d] += o[s],
                        (SumKind::Decimal { sum, .. }, SumKind::Decimal { sum: o, .. }) => sum[d] += o[s],
                        _ => {}
                    }
                }
                (Acc::MinMax { max, values, multiset, .. }, Acc::MinMax { values: ov, multiset: om, .. }) => {
                    if let (Some(m), Some(o)) = (multiset.as_mut(), om.as_ref()) {
                        for (k, c) in &o[s] {
                            *m[d].entry(k.clone()).or_insert(0) += c;
                        }
                    }
                    if let Some(v) = &ov[s] {
                        let better = match &values[d] {
                            None => true,
                            Some(cur) => better(v, cur, *max),
                        };
                        if better {
                            values[d] = Some(v.clone());
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// Merges group `src` into group `dst` of the same store (sessions that grow together).
    pub fn merge_groups(&mut self, dst: u32, src: u32) {
        let (d, s) = (dst as usize, src as usize);
        for a in &mut self.aggs {
            match a {
                Acc::Count { n, .. } => n[d] += n[s],
                Acc::Sum { kind, n, .. } => {
                    n[d] += n[s];
                    match kind {
                        SumKind::Int { sum, ty } => sum[d] = wrap(sum[d].wrapping_add(sum[s]), ty),
                        SumKind::Double { sum } => sum[d] += sum[s],
                        SumKind::Decimal { sum, .. } => sum[d] += sum[s],
                    }
                }
                Acc::MinMax { max, values, multiset, .. } => {
                    if let Some(m) = multiset {
                        let moved = std::mem::take(&mut m[s]);
                        for (k, c) in moved {
                            *m[d].entry(k).or_insert(0) += c;
                        }
                    }
                    if let Some(v) = values[s].clone() {
                        if values[d].as_ref().is_none_or(|cur| better(&v, cur, *max)) {
                            values[d] = Some(v);
                        }
                    }
                }
            }
        }
    }

    /// Appends the aggregate results of group `g`.
    pub fn results(&self, g: u32, out: &mut Vec<Value>) {
        let g = g as usize;
        for a in &self.aggs {
            out.push(match a {
                Acc::Count { n, .. } => Value::Int(n[g]),
                Acc::Sum { kind, avg, n, .. } => {
                    if n[g] == 0 {
                        Value::Null
                    } else {
                        match kind {
                            SumKind::Double { sum } => Value::Double(if *avg { sum[g] / n[g] as f64 } else { sum[g] }),
                            SumKind::Int { sum, ty } => Value::Int(if *avg { wrap(sum[g] / n[g], ty) } else { sum[g] }),
                            SumKind::Decimal { sum, scale } => {
                                if *avg {
                                    let q = sum[g] / n[g] as i128;
                                    let r = (sum[g] % n[g] as i128).abs() * 2;
                                    Value::Decimal(q + if r >= n[g] as i128 { sum[g].signum() } else { 0 }, *scale)
                                } else {
                                    Value::Decimal(sum[g], *scale)
                                }
                            }
                        }
                    }
                }
                Acc::MinMax { values, .. } => values[g].clone().unwrap_or(Value::Null),
            });
        }
    }
}

fn wrap(v: i64, ty: &DataType) -> i64 {
    match ty {
        DataType::TinyInt => v as i8 as i64,
        DataType::SmallInt => v as i16 as i64,
        DataType::Int => v as i32 as i64,
        _ => v,
    }
}

fn add_sum(kind: &mut SumKind, n: &mut [i64], g: usize, data: &ColumnData, valid: bool, row: usize, sign: i64) {
    if !valid {
        return;
    }
    n[g] += sign;
    match (kind, data) {
        (SumKind::Double { sum }, ColumnData::Double(v)) => sum[g] += sign as f64 * v[row],
        (SumKind::Int { sum, ty }, ColumnData::Int(v)) => sum[g] = wrap(sum[g].wrapping_add(sign * v[row]), ty),
        (SumKind::Decimal { sum, .. }, ColumnData::Decimal(v)) => sum[g] += sign as i128 * v[row],
        _ => {}
    }
}

fn better(candidate: &Value, current: &Value, max: bool) -> bool {
    let ord = SortKey(candidate.clone()).cmp(&SortKey(current.clone()));
    if max { ord == Ordering::Greater } else { ord == Ordering::Less }
}

fn update_min_max(a: &mut Acc, g: usize, batch: &Batch, row: usize, retract: bool) {
    let Acc::MinMax { arg, max, ty, values, multiset } = a else { return };
    let col = &batch.columns[*arg];
    if !col.is_valid(row) {
        return;
    }
    let v = col.value(row, ty);
    match multiset {
        Some(m) => {
            let set = &mut m[g];
            let key = SortKey(v);
            if retract {
                if let Some(c) = set.get_mut(&key) {
                    *c -= 1;
                    if *c <= 0 {
                        set.remove(&key);
                    }
                }
            } else {
                *set.entry(key).or_insert(0) += 1;
            }
            let extreme = if *max { set.keys().next_back() } else { set.keys().next() };
            values[g] = extreme.map(|k| k.0.clone());
        }
        None => {
            let replace = match &values[g] {
                None => true,
                Some(cur) => better(&v, cur, *max),
            };
            if replace {
                values[g] = Some(v);
            }
        }
    }
}

/// A total order over values of one type, for MIN/MAX.
#[derive(Clone, Debug, PartialEq)]
pub struct SortKey(pub Value);

impl Eq for SortKey {}

impl PartialOrd for SortKey {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for SortKey {
    fn cmp(&self, other: &Self) -> Ordering {
        use Value as V;
        match (&self.0, &other.0) {
            (V::Int(a), V::Int(b)) | (V::Timestamp(a), V::Timestamp(b)) => a.cmp(b),
            (V::Double(a), V::Double(b)) => a.total_cmp(b),
            (V::Decimal(a, _), V::Decimal(b, _)) => a.cmp(b),
            (V::Str(a), V::Str(b)) => a.cmp(b),
            (V::Bool(a), V::Bool(b)) => a.cmp(b),
            (V::Date(a), V::Date(b)) | (V::Time(a), V::Time(b)) => a.cmp(b),
            (a, b) => a.to_string().cmp(&b.to_string()),
        }
    }
}
