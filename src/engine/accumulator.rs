//! Aggregate accumulators, stored column-wise: one vector per aggregate, indexed by group id.
//!
//! Accumulating a run of rows is a tight loop per aggregate (`accumulate_rows`); updating
//! inputs (a changelog with -U/-D) go through `update`, which can also retract. MIN and MAX
//! over an updating input keep a multiset of values per group, as Flink's `MinWithRetract` does;
//! FIRST_VALUE, LAST_VALUE and LISTAGG keep their values in arrival order for the same reason.
//!
//! A DISTINCT aggregate counts, per group, how often each value is present, and feeds a value
//! to its inner accumulator only when it first appears (and takes it back when its count drops
//! to zero), as Flink's distinct `MapView` does. Merging two groups (window slices, sessions)
//! merges those counts and feeds the inner accumulator only the values new to the target.

use std::cmp::Ordering;
use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;

use crate::plan::logical::{AggCall, AggFunc, Percentages};
use crate::types::decimal::{self, DecimalOp};
use crate::types::{cast_value, Batch, ColumnData, DataType, Value};

pub struct Accumulators {
    aggs: Vec<Acc>,
    /// Per aggregate, its `FILTER (WHERE …)` column: a row is accumulated only where it is TRUE.
    filters: Vec<Option<usize>>,
    groups: usize,
    /// Arrival order of accumulated values (FIRST_VALUE/LAST_VALUE across merged sessions).
    sequence: u64,
    /// Whether an aggregate can fail the job (JSON_OBJECTAGG's repeated key): only then are the
    /// groups an update touched checked, so other aggregates pay nothing.
    may_fail: bool,
    /// The first failure seen, for the operator to raise ([`Accumulators::take_failure`]).
    failure: Option<String>,
}

enum Acc {
    Count {
        arg: Option<usize>,
        n: Vec<i64>,
    },
    Sum {
        arg: usize,
        kind: SumKind,
        avg: bool,
        n: Vec<i64>,
    },
    MinMax {
        arg: usize,
        max: bool,
        ty: DataType,
        values: Vec<Option<Value>>,
        multiset: Option<Vec<BTreeMap<SortKey, i64>>>,
    },
    /// VAR_POP, VAR_SAMP, STDDEV_POP, STDDEV_SAMP: Welford's count, running mean and M2, as
    /// Flink's `WELFORD_M2` helper aggregate keeps them (it can retract and merge).
    Variance {
        arg: usize,
        func: AggFunc,
        arg_ty: DataType,
        out: DataType,
        n: Vec<i64>,
        mean: Vec<f64>,
        m2: Vec<f64>,
    },
    /// FIRST_VALUE / LAST_VALUE. Nulls are skipped. `history` (retracting inputs only) holds
    /// every present value by arrival, as Flink's `FirstValueWithRetract` orders them.
    FirstLast {
        arg: usize,
        last: bool,
        ty: DataType,
        values: Vec<Option<(u64, Value)>>,
        history: Option<Vec<BTreeMap<u64, Value>>>,
    },
    /// LISTAGG: the values joined in arrival order; `items` (retracting inputs only) keeps them
    /// apart so one can be taken back.
    ListAgg {
        arg: usize,
        separator: String,
        joined: Vec<Option<String>>,
        items: Option<Vec<Vec<Arc<str>>>>,
    },
    /// ARRAY_AGG and COLLECT: the values in arrival order. A retraction takes back the first
    /// equal value; one that finds none waits in `pending` until a merge brings the value, as
    /// the `retractList` of Flink's `ArrayAggFunction` does.
    Items {
        arg: usize,
        ty: DataType,
        kind: ItemsKind,
        items: Vec<Vec<Value>>,
        pending: Vec<Vec<Value>>,
    },
    Distinct {
        arg: usize,
        ty: DataType,
        seen: Vec<BTreeMap<SortKey, i64>>,
        inner: Box<Acc>,
    },
    /// LAG: the last `offset + 1` values (NULLs too) and the last row's default, as Flink's
    /// `LagAggFunction` keeps them. Only OVER windows without a frame use it: never retracted
    /// or merged.
    Lag {
        arg: usize,
        ty: DataType,
        offset: usize,
        default: Option<usize>,
        buffers: Vec<VecDeque<Value>>,
        defaults: Vec<Value>,
    },
}

/// A `FILTER (WHERE …)` column's verdict on a row (the planner makes it `IS TRUE(…)`).
fn is_true(col: &crate::types::Column, row: usize) -> bool {
    col.is_valid(row) && matches!(&col.data, ColumnData::Bool(v) if v[row])
}

#[derive(Clone, Copy)]
enum ItemsKind {
    /// ARRAY_AGG: an ARRAY, NULL when empty; NULL elements unless IGNORE NULLS.
    Array { ignore_nulls: bool },
    /// COLLECT: a MULTISET of the non-NULL values (each with its count), empty when none.
    Multiset,
    /// JSON_ARRAYAGG over JSON texts: `[a,b]`, `[]` when empty; a NULL is `null` unless ABSENT ON NULL.
    Json { absent_on_null: bool },
    /// JSON_OBJECTAGG over `ROW(key, JSON text)`: `{"a":1}`, keys sorted, `{}` when empty.
    JsonObject { absent_on_null: bool },
    /// PERCENTILE over the non-NULL numbers (or `ROW(number, frequency)`s): a DOUBLE or an
    /// ARRAY<DOUBLE>, NULL when empty.
    Percentile { percentages: Percentages },
}

impl ItemsKind {
    fn keeps(self, v: &Value) -> bool {
        match (self, v) {
            (ItemsKind::JsonObject { absent_on_null }, Value::Row(kv)) => kv.get(1).is_some_and(|v| !v.is_null()) || !absent_on_null,
            (ItemsKind::JsonObject { .. }, _) => false,
            _ => !v.is_null() || matches!(self, ItemsKind::Array { ignore_nulls: false } | ItemsKind::Json { absent_on_null: false }),
        }
    }
}

enum SumKind {
    Int {
        sum: Vec<i64>,
        ty: DataType,
    },
    Double {
        sum: Vec<f64>,
    },
    /// `avg`: the sum of an AVG, which stays NULL once it overflows (see [`add_decimal`]).
    Decimal {
        sum: Vec<i128>,
        scale: u8,
        avg: bool,
    },
}

impl Accumulators {
    /// `retracting`: the input carries -U/-D rows.
    pub fn new(calls: &[AggCall], retracting: bool) -> Self {
        let aggs = calls
            .iter()
            .map(|c| {
                let acc = new_acc(c, retracting);
                match (c.distinct, c.arg) {
                    (true, Some(arg)) => Acc::Distinct {
                        arg,
                        ty: c.arg_ty.as_ref().map_or(DataType::Null, |t| t.data_type.clone()),
                        seen: Vec::new(),
                        inner: Box::new(acc),
                    },
                    _ => acc,
                }
            })
            .collect();
        let filters = calls.iter().map(|c| c.filter).collect();
        let may_fail = calls.iter().any(|c| matches!(c.func, AggFunc::JsonObjectAgg { .. }));
        Accumulators { aggs, filters, groups: 0, sequence: 0, may_fail, failure: None }
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
            a.push_group();
        }
        self.groups += 1;
        (self.groups - 1) as u32
    }

    /// Empties group `g` so its id can be reused.
    pub fn reset(&mut self, g: u32) {
        for a in &mut self.aggs {
            a.reset(g as usize);
        }
    }

    /// Accumulates `rows` of `batch` into groups `gids` (same length): inserts only.
    pub fn accumulate_rows(&mut self, gids: &[u32], rows: &[u32], batch: &Batch) {
        let first_seq = self.sequence;
        self.sequence += rows.len() as u64;
        for (a, filter) in self.aggs.iter_mut().zip(&self.filters) {
            match filter {
                None => a.accumulate(gids, rows, batch, first_seq),
                Some(f) => {
                    let col = &batch.columns[*f];
                    let (gids, rows): (Vec<u32>, Vec<u32>) =
                        gids.iter().zip(rows).filter(|(_, &r)| is_true(col, r as usize)).map(|(&g, &r)| (g, r)).unzip();
                    a.accumulate(&gids, &rows, batch, first_seq);
                }
            }
        }
        if self.may_fail {
            for &g in gids {
                self.check(g as usize);
            }
        }
    }

    /// The failure an update caused (JSON_OBJECTAGG's repeated key, as Flink's
    /// `JsonObjectAggFunction` raises it), taken once: the operator fails the job with it.
    pub fn take_failure(&mut self) -> Option<String> {
        self.failure.take()
    }

    fn check(&mut self, g: usize) {
        if self.failure.is_some() {
            return;
        }
        for a in &self.aggs {
            if let Acc::Items { kind: ItemsKind::JsonObject { .. }, items, .. } = a {
                if let Some(key) = repeated_key(&items[g]) {
                    self.failure = Some(format!("Key '{key}' is already present. Duplicate keys are not allowed in JSON_OBJECTAGG. Please ensure that keys are unique."));
                    return;
                }
            }
        }
    }

    /// Accumulates (or, with `retract`, takes back) one row.
    pub fn update(&mut self, g: u32, batch: &Batch, row: usize, retract: bool) {
        let seq = self.sequence;
        self.sequence += 1;
        for (a, filter) in self.aggs.iter_mut().zip(&self.filters) {
            if filter.is_none_or(|f| is_true(&batch.columns[f], row)) {
                a.update_row(g as usize, batch, row, retract, seq);
            }
        }
        if self.may_fail && !retract {
            self.check(g as usize);
        }
    }

    /// Merges group `src` of `other` (built from the same calls) into group `dst`. Window
    /// slices are merged in time order, so `other` holds later values than `dst`.
    pub fn merge(&mut self, dst: u32, other: &Accumulators, src: u32) {
        let (d, s) = (dst as usize, src as usize);
        for (a, b) in self.aggs.iter_mut().zip(&other.aggs) {
            a.merge(d, b, s, false);
        }
    }

    /// Merges group `src` into group `dst` of the same store (sessions that grow together).
    pub fn merge_groups(&mut self, dst: u32, src: u32) {
        let (d, s) = (dst as usize, src as usize);
        for a in &mut self.aggs {
            // Take the source group's state out, so both can be borrowed.
            let mut taken = a.take_group(s);
            a.merge(d, &taken, 0, true);
            taken.reset(0);
        }
    }

    /// Appends the aggregate results of group `g`.
    pub fn results(&self, g: u32, out: &mut Vec<Value>) {
        for a in &self.aggs {
            out.push(a.result(g as usize));
        }
    }
}

fn new_acc(c: &AggCall, retracting: bool) -> Acc {
    let arg = c.arg.unwrap_or(0);
    let arg_ty = c.arg_ty.as_ref().map(|t| t.data_type.clone()).unwrap_or(DataType::Double);
    match c.func {
        // Flink's streaming OVER ranking counts the frame's rows (see `AggFunc::Ranking`).
        AggFunc::CountStar | AggFunc::Ranking(_) => Acc::Count { arg: None, n: Vec::new() },
        AggFunc::Count => Acc::Count { arg: c.arg, n: Vec::new() },
        AggFunc::Sum | AggFunc::Avg => {
            let kind = match arg_ty {
                DataType::Float | DataType::Double => SumKind::Double { sum: Vec::new() },
                DataType::Decimal { scale, .. } => SumKind::Decimal { sum: Vec::new(), scale, avg: c.func == AggFunc::Avg },
                ty => SumKind::Int { sum: Vec::new(), ty },
            };
            Acc::Sum { arg, kind, avg: c.func == AggFunc::Avg, n: Vec::new() }
        }
        AggFunc::Min | AggFunc::Max => Acc::MinMax {
            arg,
            max: c.func == AggFunc::Max,
            ty: c.ty.data_type.clone(),
            values: Vec::new(),
            multiset: retracting.then(Vec::new),
        },
        AggFunc::VarPop | AggFunc::VarSamp | AggFunc::StddevPop | AggFunc::StddevSamp => {
            Acc::Variance { arg, func: c.func, arg_ty, out: c.ty.data_type.clone(), n: Vec::new(), mean: Vec::new(), m2: Vec::new() }
        }
        AggFunc::FirstValue | AggFunc::LastValue => {
            Acc::FirstLast { arg, last: c.func == AggFunc::LastValue, ty: arg_ty, values: Vec::new(), history: retracting.then(Vec::new) }
        }
        AggFunc::Lag { offset, default } => {
            Acc::Lag { arg, ty: arg_ty, offset: offset as usize, default, buffers: Vec::new(), defaults: Vec::new() }
        }
        AggFunc::ArrayAgg { ignore_nulls } => {
            Acc::Items { arg, ty: arg_ty, kind: ItemsKind::Array { ignore_nulls }, items: Vec::new(), pending: Vec::new() }
        }
        AggFunc::JsonArrayAgg { absent_on_null } => {
            Acc::Items { arg, ty: arg_ty, kind: ItemsKind::Json { absent_on_null }, items: Vec::new(), pending: Vec::new() }
        }
        AggFunc::JsonObjectAgg { absent_on_null } => {
            Acc::Items { arg, ty: arg_ty, kind: ItemsKind::JsonObject { absent_on_null }, items: Vec::new(), pending: Vec::new() }
        }
        AggFunc::Collect => Acc::Items { arg, ty: arg_ty, kind: ItemsKind::Multiset, items: Vec::new(), pending: Vec::new() },
        AggFunc::Percentile { percentages } => {
            Acc::Items { arg, ty: arg_ty, kind: ItemsKind::Percentile { percentages }, items: Vec::new(), pending: Vec::new() }
        }
        AggFunc::ListAgg => Acc::ListAgg {
            arg,
            separator: c.separator.clone().unwrap_or_else(|| ",".to_string()),
            joined: Vec::new(),
            items: retracting.then(Vec::new),
        },
    }
}

impl Acc {
    /// Accumulates `rows` of `batch` into groups `gids` (same length): inserts only.
    fn accumulate(&mut self, gids: &[u32], rows: &[u32], batch: &Batch, first_seq: u64) {
        match self {
            // Slices, not `Vec`s, are indexed per row: a `Vec`'s index is a call in the worker's
            // size-optimised build.
            Acc::Count { arg: None, n } => {
                let n = n.as_mut_slice();
                for &g in gids {
                    n[g as usize] += 1;
                }
            }
            Acc::Count { arg: Some(c), n } => {
                let (col, n) = (&batch.columns[*c], n.as_mut_slice());
                for (&g, &r) in gids.iter().zip(rows) {
                    n[g as usize] += col.is_valid(r as usize) as i64;
                }
            }
            Acc::Sum { arg, kind, n, .. } => {
                let col = &batch.columns[*arg];
                match (kind, &col.data) {
                    (SumKind::Double { sum }, ColumnData::Double(v)) if col.validity.is_none() => {
                        let (sum, n, v) = (sum.as_mut_slice(), n.as_mut_slice(), v.as_slice());
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
            other => {
                for (i, (&g, &r)) in gids.iter().zip(rows).enumerate() {
                    other.update_row(g as usize, batch, r as usize, false, first_seq + i as u64);
                }
            }
        }
    }

    fn push_group(&mut self) {
        match self {
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
            Acc::Variance { n, mean, m2, .. } => {
                n.push(0);
                mean.push(0.0);
                m2.push(0.0);
            }
            Acc::FirstLast { values, history, .. } => {
                values.push(None);
                if let Some(h) = history {
                    h.push(BTreeMap::new());
                }
            }
            Acc::ListAgg { joined, items, .. } => {
                joined.push(None);
                if let Some(i) = items {
                    i.push(Vec::new());
                }
            }
            Acc::Items { items, pending, .. } => {
                items.push(Vec::new());
                pending.push(Vec::new());
            }
            Acc::Distinct { seen, inner, .. } => {
                seen.push(BTreeMap::new());
                inner.push_group();
            }
            Acc::Lag { buffers, defaults, .. } => {
                buffers.push(VecDeque::new());
                defaults.push(Value::Null);
            }
        }
    }

    fn reset(&mut self, g: usize) {
        match self {
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
            Acc::Variance { n, mean, m2, .. } => {
                n[g] = 0;
                mean[g] = 0.0;
                m2[g] = 0.0;
            }
            Acc::FirstLast { values, history, .. } => {
                values[g] = None;
                if let Some(h) = history {
                    h[g].clear();
                }
            }
            Acc::ListAgg { joined, items, .. } => {
                joined[g] = None;
                if let Some(i) = items {
                    i[g].clear();
                }
            }
            Acc::Items { items, pending, .. } => {
                items[g].clear();
                pending[g].clear();
            }
            Acc::Distinct { seen, inner, .. } => {
                seen[g].clear();
                inner.reset(g);
            }
            Acc::Lag { buffers, defaults, .. } => {
                buffers[g].clear();
                defaults[g] = Value::Null;
            }
        }
    }

    /// A one-group accumulator holding group `g`'s state; `g` is left empty.
    fn take_group(&mut self, g: usize) -> Acc {
        use std::mem::take;
        match self {
            Acc::Count { arg, n } => Acc::Count { arg: *arg, n: vec![take(&mut n[g])] },
            Acc::Sum { arg, kind, avg, n } => {
                let kind = match kind {
                    SumKind::Int { sum, ty } => SumKind::Int { sum: vec![take(&mut sum[g])], ty: ty.clone() },
                    SumKind::Double { sum } => SumKind::Double { sum: vec![take(&mut sum[g])] },
                    SumKind::Decimal { sum, scale, avg } => SumKind::Decimal { sum: vec![take(&mut sum[g])], scale: *scale, avg: *avg },
                };
                Acc::Sum { arg: *arg, kind, avg: *avg, n: vec![take(&mut n[g])] }
            }
            Acc::MinMax { arg, max, ty, values, multiset } => Acc::MinMax {
                arg: *arg,
                max: *max,
                ty: ty.clone(),
                values: vec![take(&mut values[g])],
                multiset: multiset.as_mut().map(|m| vec![take(&mut m[g])]),
            },
            Acc::Variance { arg, func, arg_ty, out, n, mean, m2 } => Acc::Variance {
                arg: *arg,
                func: *func,
                arg_ty: arg_ty.clone(),
                out: out.clone(),
                n: vec![take(&mut n[g])],
                mean: vec![take(&mut mean[g])],
                m2: vec![take(&mut m2[g])],
            },
            Acc::FirstLast { arg, last, ty, values, history } => Acc::FirstLast {
                arg: *arg,
                last: *last,
                ty: ty.clone(),
                values: vec![take(&mut values[g])],
                history: history.as_mut().map(|h| vec![take(&mut h[g])]),
            },
            Acc::ListAgg { arg, separator, joined, items } => Acc::ListAgg {
                arg: *arg,
                separator: separator.clone(),
                joined: vec![take(&mut joined[g])],
                items: items.as_mut().map(|i| vec![take(&mut i[g])]),
            },
            Acc::Items { arg, ty, kind, items, pending } => Acc::Items {
                arg: *arg,
                ty: ty.clone(),
                kind: *kind,
                items: vec![take(&mut items[g])],
                pending: vec![take(&mut pending[g])],
            },
            Acc::Distinct { arg, ty, seen, inner } => {
                Acc::Distinct { arg: *arg, ty: ty.clone(), seen: vec![take(&mut seen[g])], inner: Box::new(inner.take_group(g)) }
            }
            Acc::Lag { arg, ty, offset, default, buffers, defaults } => Acc::Lag {
                arg: *arg,
                ty: ty.clone(),
                offset: *offset,
                default: *default,
                buffers: vec![take(&mut buffers[g])],
                defaults: vec![std::mem::replace(&mut defaults[g], Value::Null)],
            },
        }
    }

    /// Accumulates (or retracts) row `row` of `batch` into group `g`.
    fn update_row(&mut self, g: usize, batch: &Batch, row: usize, retract: bool, seq: u64) {
        let sign = if retract { -1 } else { 1 };
        match self {
            Acc::Count { arg, n } => {
                if arg.is_none_or(|c| batch.columns[c].is_valid(row)) {
                    n[g] += sign;
                }
            }
            Acc::Sum { arg, kind, n, .. } => {
                let col = &batch.columns[*arg];
                add_sum(kind, n, g, &col.data, col.is_valid(row), row, sign);
            }
            Acc::MinMax { arg, ty, .. } => {
                let v = batch.columns[*arg].value(row, ty);
                self.update_value(g, &v, retract, seq);
            }
            Acc::Variance { arg, arg_ty, n, mean, m2, .. } => {
                let col = &batch.columns[*arg];
                if !col.is_valid(row) {
                    return;
                }
                let x = match &col.data {
                    ColumnData::Double(v) => v[row],
                    ColumnData::Int(v) => v[row] as f64,
                    // By the argument's type: a DECIMAL's digits at its scale.
                    _ => col.value(row, arg_ty).as_f64().unwrap_or(0.0),
                };
                welford(&mut n[g], &mut mean[g], &mut m2[g], x, retract);
            }
            Acc::FirstLast { arg, ty, .. } | Acc::Distinct { arg, ty, .. } => {
                let v = batch.columns[*arg].value(row, ty);
                self.update_value(g, &v, retract, seq);
            }
            Acc::ListAgg { arg, .. } => {
                let v = batch.columns[*arg].value(row, &DataType::Varchar(0));
                self.update_value(g, &v, retract, seq);
            }
            // ARRAY_AGG keeps NULLs, which `update_value` skips.
            Acc::Items { arg, ty, kind, items, pending } => {
                let v = batch.columns[*arg].value(row, ty);
                if kind.keeps(&v) {
                    update_items(&mut items[g], &mut pending[g], v, retract);
                }
            }
            Acc::Lag { arg, ty, offset, default, buffers, defaults } => {
                if retract {
                    return;
                }
                let buffer = &mut buffers[g];
                buffer.push_back(batch.columns[*arg].value(row, ty));
                while buffer.len() > *offset + 1 {
                    buffer.pop_front();
                }
                if let Some(d) = default {
                    defaults[g] = batch.columns[*d].value(row, ty);
                }
            }
        }
    }

    /// Accumulates (or retracts) one value: the path of DISTINCT aggregates and of the
    /// aggregates that keep values rather than numbers.
    fn update_value(&mut self, g: usize, v: &Value, retract: bool, seq: u64) {
        if v.is_null() {
            return;
        }
        let sign = if retract { -1 } else { 1 };
        match self {
            Acc::Count { n, .. } => n[g] += sign,
            Acc::Sum { kind, n, .. } => {
                n[g] += sign;
                match (kind, v) {
                    (SumKind::Double { sum }, _) => sum[g] += sign as f64 * v.as_f64().unwrap_or(0.0),
                    (SumKind::Int { sum, ty }, Value::Int(x)) => sum[g] = wrap(sum[g].wrapping_add(sign * x), ty),
                    (SumKind::Decimal { sum, avg, .. }, Value::Decimal(x, _)) => sum[g] = add_decimal(sum[g], sign as i128 * x, *avg),
                    _ => {}
                }
            }
            Acc::MinMax { max, values, multiset, .. } => match multiset {
                Some(m) => {
                    let set = &mut m[g];
                    let key = SortKey(v.clone());
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
                    if values[g].as_ref().is_none_or(|cur| better(v, cur, *max)) {
                        values[g] = Some(v.clone());
                    }
                }
            },
            Acc::Variance { n, mean, m2, .. } => {
                if let Some(x) = v.as_f64() {
                    welford(&mut n[g], &mut mean[g], &mut m2[g], x, retract);
                }
            }
            Acc::FirstLast { last, values, history, .. } => match history {
                Some(h) => {
                    let h = &mut h[g];
                    if retract {
                        // Flink takes back the oldest occurrence of the value.
                        if let Some(k) = h.iter().find(|(_, x)| *x == v).map(|(k, _)| *k) {
                            h.remove(&k);
                        }
                    } else {
                        h.insert(seq, v.clone());
                    }
                    let pick = if *last { h.iter().next_back() } else { h.iter().next() };
                    values[g] = pick.map(|(k, x)| (*k, x.clone()));
                }
                None => {
                    if *last || values[g].is_none() {
                        values[g] = Some((seq, v.clone()));
                    }
                }
            },
            Acc::ListAgg { separator, joined, items, .. } => {
                let Value::Str(s) = v else { return };
                match items {
                    Some(items) => {
                        let list = &mut items[g];
                        if retract {
                            if let Some(i) = list.iter().position(|x| x == s) {
                                list.remove(i);
                            }
                        } else {
                            list.push(s.clone());
                        }
                        joined[g] = (!list.is_empty()).then(|| join(list, separator));
                    }
                    None => match &mut joined[g] {
                        Some(j) => {
                            j.push_str(separator);
                            j.push_str(s);
                        }
                        slot => *slot = Some(s.to_string()),
                    },
                }
            }
            Acc::Items { items, pending, .. } => update_items(&mut items[g], &mut pending[g], v.clone(), retract),
            // LAG reads whole rows (`update_row`), NULLs included.
            Acc::Lag { .. } => {}
            Acc::Distinct { seen, inner, .. } => {
                let key = SortKey(v.clone());
                let count = seen[g].entry(key.clone()).or_insert(0);
                let before = *count;
                *count += sign;
                let after = *count;
                if after <= 0 {
                    seen[g].remove(&key);
                }
                if before <= 0 && after > 0 {
                    inner.update_value(g, v, false, seq);
                } else if before > 0 && after <= 0 {
                    inner.update_value(g, v, true, seq);
                }
            }
        }
    }

    /// Merges group `s` of `other` into group `d`. `ordered`: the groups come from one store
    /// and their arrival sequences compare; otherwise `other` holds the later values.
    fn merge(&mut self, d: usize, other: &Acc, s: usize, ordered: bool) {
        match (self, other) {
            (Acc::Count { n, .. }, Acc::Count { n: m, .. }) => n[d] += m[s],
            (Acc::Sum { kind, n, .. }, Acc::Sum { kind: k2, n: m, .. }) => {
                n[d] += m[s];
                match (kind, k2) {
                    (SumKind::Int { sum, ty }, SumKind::Int { sum: o, .. }) => sum[d] = wrap(sum[d].wrapping_add(o[s]), ty),
                    (SumKind::Double { sum }, SumKind::Double { sum: o }) => sum[d] += o[s],
                    (SumKind::Decimal { sum, avg, .. }, SumKind::Decimal { sum: o, .. }) => sum[d] = add_decimal(sum[d], o[s], *avg),
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
                    if values[d].as_ref().is_none_or(|cur| better(v, cur, *max)) {
                        values[d] = Some(v.clone());
                    }
                }
            }
            (Acc::Variance { n, mean, m2, .. }, Acc::Variance { n: on, mean: om, m2: o2, .. }) => {
                welford_merge(&mut n[d], &mut mean[d], &mut m2[d], on[s], om[s], o2[s]);
            }
            (Acc::FirstLast { last, values, history, .. }, Acc::FirstLast { values: ov, history: oh, .. }) => {
                if let (Some(h), Some(o)) = (history.as_mut(), oh.as_ref()) {
                    h[d].extend(o[s].iter().map(|(k, v)| (*k, v.clone())));
                }
                if let Some((seq, v)) = &ov[s] {
                    let take = match &values[d] {
                        None => true,
                        Some((cur, _)) if ordered => {
                            if *last {
                                seq > cur
                            } else {
                                seq < cur
                            }
                        }
                        Some(_) => *last,
                    };
                    if take {
                        values[d] = Some((*seq, v.clone()));
                    }
                }
            }
            (Acc::ListAgg { separator, joined, items, .. }, Acc::ListAgg { joined: oj, items: oi, .. }) => {
                if let (Some(i), Some(o)) = (items.as_mut(), oi.as_ref()) {
                    i[d].extend(o[s].iter().cloned());
                }
                if let Some(other) = &oj[s] {
                    match &mut joined[d] {
                        Some(j) => {
                            j.push_str(separator);
                            j.push_str(other);
                        }
                        slot => *slot = Some(other.clone()),
                    }
                }
            }
            (Acc::Items { items, pending, .. }, Acc::Items { items: oi, pending: op, .. }) => {
                // ArrayAggFunction.merge: append, then settle the retractions waiting on either side.
                items[d].extend(oi[s].iter().cloned());
                let waiting: Vec<Value> = pending[d].drain(..).chain(op[s].iter().cloned()).collect();
                for v in waiting {
                    update_items(&mut items[d], &mut pending[d], v, true);
                }
            }
            (Acc::Distinct { seen, inner, .. }, Acc::Distinct { seen: os, .. }) => {
                for (k, c) in &os[s] {
                    let count = seen[d].entry(k.clone()).or_insert(0);
                    if *count <= 0 && *c > 0 {
                        inner.update_value(d, &k.0, false, 0);
                    }
                    *count += c;
                }
            }
            _ => {}
        }
    }

    fn result(&self, g: usize) -> Value {
        match self {
            Acc::Count { n, .. } => Value::Int(n[g]),
            Acc::Sum { kind, avg, n, .. } => {
                if n[g] == 0 {
                    return Value::Null;
                }
                match kind {
                    SumKind::Double { sum } => Value::Double(if *avg { sum[g] / n[g] as f64 } else { sum[g] }),
                    SumKind::Int { sum, ty } => Value::Int(if *avg { wrap(sum[g] / n[g], ty) } else { sum[g] }),
                    SumKind::Decimal { sum, .. } if sum[g] == DECIMAL_NULL => Value::Null,
                    SumKind::Decimal { sum, scale, .. } => {
                        if *avg {
                            // Flink's DECIMAL average: the sum divided by the count as a
                            // DECIMAL(38, max(6, s)), rounded half up.
                            let out = (*scale).max(6);
                            match decimal::apply(DecimalOp::Divide, (sum[g], *scale), (i128::from(n[g]), 0), (38, out)) {
                                Ok(Some(v)) => Value::Decimal(v, out),
                                _ => Value::Null,
                            }
                        } else {
                            Value::Decimal(sum[g], *scale)
                        }
                    }
                }
            }
            Acc::MinMax { values, .. } => values[g].clone().unwrap_or(Value::Null),
            Acc::Variance { func, out, n, m2, .. } => variance_result(*func, out, n[g], m2[g]),
            Acc::FirstLast { values, .. } => values[g].as_ref().map_or(Value::Null, |(_, v)| v.clone()),
            Acc::ListAgg { joined, .. } => joined[g].as_ref().map_or(Value::Null, |s| Value::Str(s.as_str().into())),
            Acc::Items { kind: ItemsKind::Array { .. }, items, .. } => match items[g].is_empty() {
                true => Value::Null,
                false => Value::Array(items[g].clone()),
            },
            Acc::Items { kind: ItemsKind::Multiset, items, .. } => {
                // Each distinct value once, in order of first arrival, with its count.
                let mut index: BTreeMap<SortKey, usize> = BTreeMap::new();
                let mut counted: Vec<(Value, Value)> = Vec::new();
                for v in &items[g] {
                    let i = *index.entry(SortKey(v.clone())).or_insert_with(|| {
                        counted.push((v.clone(), Value::Int(0)));
                        counted.len() - 1
                    });
                    if let Value::Int(n) = &mut counted[i].1 {
                        *n += 1;
                    }
                }
                Value::Map(counted)
            }
            Acc::Items { kind: ItemsKind::Json { .. }, items, .. } => {
                let mut out = String::from("[");
                for (i, v) in items[g].iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    match v {
                        Value::Str(s) => out.push_str(s),
                        _ => out.push_str("null"),
                    }
                }
                out.push(']');
                Value::Str(out.into())
            }
            Acc::Items { kind: ItemsKind::JsonObject { .. }, items, .. } => json_object_text(&items[g]),
            Acc::Items { kind: ItemsKind::Percentile { percentages }, items, .. } => percentiles(&items[g], percentages),
            Acc::Distinct { inner, .. } => inner.result(g),
            Acc::Lag { offset, buffers, defaults, .. } => match buffers[g].len() == offset + 1 {
                true => buffers[g].front().cloned().unwrap_or(Value::Null),
                false => defaults[g].clone(),
            },
        }
    }
}

/// PERCENTILE's result over a group's `items` (numbers, or `ROW(number, frequency)`s): the
/// exact percentile at each percentage as Flink's `PercentileAggFunction` computes it — the
/// values sorted (each repeated by its frequency; a NULL or non-positive frequency leaves the
/// value out), at the 1-based position `p × (n − 1) + 1`, interpolated between its two
/// neighbours. NULL when there is no value.
fn percentiles(items: &[Value], percentages: &Percentages) -> Value {
    let mut values: Vec<(f64, i64)> = items
        .iter()
        .filter_map(|item| match item {
            Value::Row(pair) => match pair.as_slice() {
                [v, Value::Int(n)] if *n > 0 => v.as_f64().map(|v| (v, *n)),
                _ => None,
            },
            v => v.as_f64().map(|v| (v, 1)),
        })
        .collect();
    if values.is_empty() {
        return Value::Null;
    }
    values.sort_by(|a, b| a.0.total_cmp(&b.0));
    let count: i64 = values.iter().map(|(_, n)| n).sum();
    // The value at a position of the sorted values with their repeats, without expanding them.
    let at = |position: i64| {
        let mut seen = 0;
        for (v, n) in &values {
            seen += n;
            if position < seen {
                return *v;
            }
        }
        values[values.len() - 1].0
    };
    // Flink's arithmetic to the last bit: 1-based positions, and no interpolation between two
    // positions of the same value.
    let one = |p: f64| {
        let position = p * (count - 1) as f64 + 1.0;
        let (lower, higher) = (position.floor() as i64, position.ceil() as i64);
        let (low, high) = (at(lower - 1), at(higher - 1));
        if lower == higher || low == high {
            low
        } else {
            (higher as f64 - position) * low + (position - lower as f64) * high
        }
    };
    match percentages.is_array() {
        true => Value::Array(percentages.values().map(|p| Value::Double(one(p))).collect()),
        false => percentages.values().next().map_or(Value::Null, |p| Value::Double(one(p))),
    }
}

/// A key two of a group's `ROW(key, JSON text)` values share (JSON_OBJECTAGG refuses it).
fn repeated_key(items: &[Value]) -> Option<&str> {
    let mut seen = std::collections::HashSet::with_capacity(items.len());
    items.iter().find_map(|item| match item {
        Value::Row(kv) => match kv.first() {
            Some(Value::Str(k)) if !seen.insert(&**k) => Some(&**k),
            _ => None,
        },
        _ => None,
    })
}

/// JSON_OBJECTAGG's text of `ROW(key, JSON text)` values: keys in Java's order, as Jackson
/// writes Flink's object (a repeated key has failed the job before: [`repeated_key`]).
fn json_object_text(items: &[Value]) -> Value {
    use crate::plan::functions::json::document::write_string;
    let mut members: BTreeMap<Vec<u16>, (&str, Option<&str>)> = BTreeMap::new();
    for item in items {
        if let Value::Row(kv) = item {
            if let [Value::Str(k), v] = kv.as_slice() {
                let text = if let Value::Str(t) = v { Some(&**t) } else { None };
                members.insert(k.encode_utf16().collect(), (k, text));
            }
        }
    }
    let mut out = String::from("{");
    for (i, (k, v)) in members.values().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_string(k, &mut out);
        out.push(':');
        out.push_str(v.unwrap_or("null"));
    }
    out.push('}');
    Value::Str(out.into())
}

/// Adds `v` to a group's values, or takes back its first occurrence (waiting in `pending` when
/// there is none).
fn update_items(items: &mut Vec<Value>, pending: &mut Vec<Value>, v: Value, retract: bool) {
    if !retract {
        items.push(v);
    } else if let Some(i) = items.iter().position(|x| *x == v) {
        items.remove(i);
    } else {
        pending.push(v);
    }
}

fn join(items: &[Arc<str>], separator: &str) -> String {
    let mut out = String::new();
    for (i, s) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(separator);
        }
        out.push_str(s);
    }
    out
}

/// One step of Welford's algorithm, exactly as Flink's `WelfordM2AggFunction` takes it
/// (including its handling of counts that retraction drives to zero or below).
fn welford(n: &mut i64, mean: &mut f64, m2: &mut f64, x: f64, retract: bool) {
    if retract {
        *n -= 1;
        if *n <= 0 {
            if *n == 0 {
                *mean = 0.0;
                *m2 = 0.0;
            }
            return;
        }
        let delta2 = x - *mean;
        *mean -= delta2 / *n as f64;
        let delta = x - *mean;
        *m2 -= delta * delta2;
    } else {
        *n += 1;
        if *n <= 0 {
            return;
        }
        let delta = x - *mean;
        *mean += delta / *n as f64;
        let delta2 = x - *mean;
        *m2 += delta * delta2;
    }
}

/// Chan et al.'s parallel merge of two Welford states, as Flink merges window slices.
fn welford_merge(n: &mut i64, mean: &mut f64, m2: &mut f64, on: i64, omean: f64, om2: f64) {
    if on <= 0 {
        *n += on;
    } else if *n == 0 {
        (*n, *mean, *m2) = (on, omean, om2);
        return;
    } else {
        let total = *n + on;
        let delta = omean - *mean;
        let new_mean = *mean + on as f64 / total as f64 * delta;
        let new_m2 = *m2 + om2 + *n as f64 * on as f64 / total as f64 * delta * delta;
        (*n, *mean, *m2) = (total, new_mean, new_m2);
    }
    if *n <= 0 {
        *mean = 0.0;
        *m2 = 0.0;
    }
}

/// Flink rewrites VAR_POP(x) to `CAST(M2 / COUNT(x) AS t)`, VAR_SAMP divides by COUNT(x) − 1
/// (NULL for one row), and STDDEV_* take `POWER(…, 0.5)`; `t` is the argument's type, so an
/// INT column's standard deviation is truncated to an INT.
fn variance_result(func: AggFunc, out: &DataType, n: i64, m2: f64) -> Value {
    if n <= 0 || m2 < 0.0 {
        return Value::Null;
    }
    let sample = matches!(func, AggFunc::VarSamp | AggFunc::StddevSamp);
    let denominator = if sample { n - 1 } else { n };
    if denominator == 0 {
        return Value::Null;
    }
    let mut v = m2 / denominator as f64;
    if matches!(func, AggFunc::StddevPop | AggFunc::StddevSamp) {
        v = v.powf(0.5);
    }
    match out {
        DataType::Double => Value::Double(v),
        DataType::Float => Value::Double(v as f32 as f64),
        // Java's double-to-integer cast: truncation, saturating at the type's range.
        DataType::TinyInt => Value::Int(v as i32 as i8 as i64),
        DataType::SmallInt => Value::Int(v as i32 as i16 as i64),
        DataType::Int => Value::Int(v as i32 as i64),
        DataType::BigInt => Value::Int(v as i64),
        ty => cast_value(&Value::Double(v), &DataType::Double, ty).unwrap_or(Value::Null),
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

/// A DECIMAL sum past 38 digits is NULL in Flink (a `DecimalData` cannot hold it), held here
/// as this value, which no 38-digit sum reaches.
const DECIMAL_NULL: i128 = i128::MIN;

/// `sum + x` as Flink's DECIMAL SUM and AVG accumulate it: a sum past 38 digits becomes NULL;
/// SUM then starts again from the next value (its accumulate takes a NULL sum for none yet),
/// AVG's stays NULL (its sum starts at 0, and NULL + x is NULL).
fn add_decimal(sum: i128, x: i128, avg: bool) -> i128 {
    if sum == DECIMAL_NULL || x == DECIMAL_NULL {
        return match (avg, sum == DECIMAL_NULL) {
            (true, _) => DECIMAL_NULL,
            (false, true) => x,
            (false, false) => sum,
        };
    }
    match sum.checked_add(x) {
        Some(v) if v.unsigned_abs() < 10u128.pow(u32::from(decimal::MAX_PRECISION)) => v,
        _ => DECIMAL_NULL,
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
        (SumKind::Decimal { sum, avg, .. }, ColumnData::Decimal(v)) => sum[g] = add_decimal(sum[g], sign as i128 * v[row], *avg),
        _ => {}
    }
}

fn better(candidate: &Value, current: &Value, max: bool) -> bool {
    let ord = SortKey(candidate.clone()).cmp(&SortKey(current.clone()));
    if max {
        ord == Ordering::Greater
    } else {
        ord == Ordering::Less
    }
}

/// A total order over values of one type, for MIN/MAX and DISTINCT.
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{Column, SqlType};

    fn call(func: AggFunc, distinct: bool, ty: DataType, out: DataType) -> AggCall {
        AggCall {
            func,
            arg: Some(0),
            distinct,
            separator: None,
            ty: SqlType::nullable(out),
            arg_ty: Some(SqlType::nullable(ty)),
            filter: None,
        }
    }

    fn ints(v: &[i64]) -> Batch {
        Batch::new(vec![Column::new(ColumnData::Int(v.to_vec()))], v.len())
    }

    fn result(a: &Accumulators, g: u32) -> Value {
        let mut out = Vec::new();
        a.results(g, &mut out);
        out[0].clone()
    }

    #[test]
    fn count_distinct_counts_each_value_once_and_retracts_per_value() {
        let mut a = Accumulators::new(&[call(AggFunc::Count, true, DataType::Int, DataType::BigInt)], true);
        let g = a.add_group();
        let b = ints(&[1, 2, 1]);
        for r in 0..3 {
            a.update(g, &b, r, false);
        }
        assert_eq!(result(&a, g), Value::Int(2));
        a.update(g, &b, 0, true);
        assert_eq!(result(&a, g), Value::Int(2), "1 is still present once");
        a.update(g, &b, 2, true);
        assert_eq!(result(&a, g), Value::Int(1));
    }

    #[test]
    fn distinct_sum_merges_slices_without_double_counting() {
        let calls = [call(AggFunc::Sum, true, DataType::Int, DataType::Int)];
        let mut s1 = Accumulators::new(&calls, false);
        let mut s2 = Accumulators::new(&calls, false);
        s1.add_group();
        s2.add_group();
        s1.accumulate_rows(&[0, 0], &[0, 1], &ints(&[5, 7]));
        s2.accumulate_rows(&[0, 0], &[0, 1], &ints(&[7, 9]));
        let mut w = Accumulators::new(&calls, false);
        w.add_group();
        w.merge(0, &s1, 0);
        w.merge(0, &s2, 0);
        assert_eq!(result(&w, 0), Value::Int(21));
    }

    #[test]
    fn variance_of_ints_is_truncated_to_int_and_merges_like_one_pass() {
        let calls = [call(AggFunc::StddevSamp, false, DataType::Int, DataType::Int)];
        let mut one = Accumulators::new(&calls, false);
        one.add_group();
        one.accumulate_rows(&[0; 4], &[0, 1, 2, 3], &ints(&[1, 2, 3, 10]));
        // sample variance of 1, 2, 3, 10 = 50 / 3; its square root 4.08… truncates to 4.
        assert_eq!(result(&one, 0), Value::Int(4));
        let doubles = [call(AggFunc::VarPop, false, DataType::Double, DataType::Double)];
        let mut a = Accumulators::new(&doubles, false);
        let mut b = Accumulators::new(&doubles, false);
        a.add_group();
        b.add_group();
        let d = |v: &[f64]| Batch::new(vec![Column::new(ColumnData::Double(v.to_vec()))], v.len());
        a.accumulate_rows(&[0, 0], &[0, 1], &d(&[1.0, 2.0]));
        b.accumulate_rows(&[0, 0], &[0, 1], &d(&[3.0, 10.0]));
        a.merge(0, &b, 0);
        let Value::Double(v) = result(&a, 0) else { panic!() };
        assert!((v - 12.5).abs() < 1e-12);
    }

    #[test]
    fn var_samp_of_one_row_is_null_and_retracting_to_empty_is_null() {
        let calls = [call(AggFunc::VarSamp, false, DataType::Int, DataType::Int)];
        let mut a = Accumulators::new(&calls, true);
        let g = a.add_group();
        let b = ints(&[4, 6]);
        a.update(g, &b, 0, false);
        assert_eq!(result(&a, g), Value::Null);
        a.update(g, &b, 1, false);
        assert_eq!(result(&a, g), Value::Int(2));
        a.update(g, &b, 1, true);
        a.update(g, &b, 0, true);
        assert_eq!(result(&a, g), Value::Null);
    }

    #[test]
    fn first_and_last_value_follow_arrival_and_retraction() {
        let calls =
            [call(AggFunc::FirstValue, false, DataType::Int, DataType::Int), call(AggFunc::LastValue, false, DataType::Int, DataType::Int)];
        let mut a = Accumulators::new(&calls, true);
        let g = a.add_group();
        let b = ints(&[3, 1, 2]);
        for r in 0..3 {
            a.update(g, &b, r, false);
        }
        let mut out = Vec::new();
        a.results(g, &mut out);
        assert_eq!(out, vec![Value::Int(3), Value::Int(2)]);
        a.update(g, &b, 0, true);
        a.update(g, &b, 2, true);
        out.clear();
        a.results(g, &mut out);
        assert_eq!(out, vec![Value::Int(1), Value::Int(1)]);
    }

    #[test]
    fn listagg_joins_in_arrival_order_and_takes_back_one_occurrence() {
        let mut c = call(AggFunc::ListAgg, false, DataType::Varchar(10), DataType::Varchar(10));
        c.separator = Some("|".into());
        let mut a = Accumulators::new(&[c], true);
        let g = a.add_group();
        let mut col = Column::empty(&DataType::Varchar(10), 3);
        for s in ["a", "b", "a"] {
            col.push(&Value::Str(s.into()));
        }
        let b = Batch::new(vec![col], 3);
        for r in 0..3 {
            a.update(g, &b, r, false);
        }
        assert_eq!(result(&a, g), Value::Str("a|b|a".into()));
        a.update(g, &b, 0, true);
        assert_eq!(result(&a, g), Value::Str("b|a".into()));
    }

    fn ints_with_null(v: &[Option<i64>]) -> Batch {
        let mut col = Column::empty(&DataType::Int, v.len());
        for x in v {
            col.push(&x.map_or(Value::Null, Value::Int));
        }
        Batch::new(vec![col], v.len())
    }

    #[test]
    fn array_agg_keeps_nulls_in_order_and_takes_back_the_first_equal_value() {
        let out = DataType::Array(Box::new(SqlType::nullable(DataType::Int)));
        let mut a = Accumulators::new(&[call(AggFunc::ArrayAgg { ignore_nulls: false }, false, DataType::Int, out)], true);
        let g = a.add_group();
        let b = ints_with_null(&[Some(1), None, Some(3), Some(1)]);
        for r in 0..4 {
            a.update(g, &b, r, false);
        }
        assert_eq!(result(&a, g), Value::Array(vec![Value::Int(1), Value::Null, Value::Int(3), Value::Int(1)]));
        a.update(g, &b, 3, true);
        a.update(g, &b, 1, true);
        assert_eq!(result(&a, g), Value::Array(vec![Value::Int(3), Value::Int(1)]));
        a.update(g, &b, 0, true);
        a.update(g, &b, 2, true);
        assert_eq!(result(&a, g), Value::Null, "an emptied ARRAY_AGG is NULL");
    }

    #[test]
    fn array_agg_ignore_nulls_skips_them_and_a_retraction_before_its_value_waits_for_the_merge() {
        let out = DataType::Array(Box::new(SqlType::nullable(DataType::Int)));
        let calls = [call(AggFunc::ArrayAgg { ignore_nulls: true }, false, DataType::Int, out)];
        let b = ints_with_null(&[Some(1), None, Some(2)]);
        let mut early = Accumulators::new(&calls, true);
        let e = early.add_group();
        early.update(e, &b, 2, true);
        early.update(e, &b, 1, false);
        assert_eq!(result(&early, e), Value::Null);
        let mut late = Accumulators::new(&calls, true);
        let l = late.add_group();
        late.update(l, &b, 0, false);
        late.update(l, &b, 2, false);
        early.merge(e, &late, l);
        assert_eq!(result(&early, e), Value::Array(vec![Value::Int(1)]), "the waiting retraction of 2 settles on merge");
    }

    #[test]
    fn collect_counts_non_null_values_in_first_arrival_order_and_is_empty_without_values() {
        let out = DataType::Multiset(Box::new(SqlType::nullable(DataType::Int)));
        let mut a = Accumulators::new(&[call(AggFunc::Collect, false, DataType::Int, out)], true);
        let g = a.add_group();
        let b = ints_with_null(&[Some(2), None, Some(1), Some(2)]);
        a.update(g, &b, 1, false);
        assert_eq!(result(&a, g), Value::Map(vec![]));
        for r in [0, 2, 3] {
            a.update(g, &b, r, false);
        }
        assert_eq!(result(&a, g), Value::Map(vec![(Value::Int(2), Value::Int(2)), (Value::Int(1), Value::Int(1))]));
        a.update(g, &b, 0, true);
        assert_eq!(result(&a, g), Value::Map(vec![(Value::Int(1), Value::Int(1)), (Value::Int(2), Value::Int(1))]));
    }
}
