//! `GROUPING SETS`, `ROLLUP` and `CUBE`, as Flink's `StreamPhysicalExpand` runs them: one
//! aggregate over an `Expand` that copies each row once per grouping set, keeping that set's
//! keys, nulling the others, and adding the set's *expand id* `$e` as one more key (Flink's
//! `ExpandUtil.genExpandId`: bit `n − 1 − k` is set when the set leaves out key `k` of `n`).
//! `GROUPING(a)`, `GROUPING_ID(a, b)` and `GROUP_ID()` above the aggregate are CASEs over `$e`,
//! as Flink's `DecomposeGroupingSetsRule` writes them.
//!
//! A set listed twice is grouped once per copy: Calcite plans the copies as a union of
//! aggregates, the `k`-th copies of the repeated sets in the `k`-th one, with `GROUP_ID()` the
//! constant `k`; here each copy has an expand id of its own (the copy number above the key
//! bits), so the one aggregate keeps the copies' groups apart and `GROUP_ID()` is read from
//! `$e` like `GROUPING()`. The rows are the union's.
//!
//! ```text
//! GROUP BY GROUPING SETS ((status), (band), ())
//! GroupAggregate(groupBy=[status, band, $e], …)
//! +- Expand(projects=[{status, null AS band, 1 AS $e}, {null AS status, band, 2 AS $e}, {null AS status, null AS band, 3 AS $e}])
//! ```

use sqlparser::ast;

use super::expr::{BinaryOp, Expr, ExprKind};
use super::logical::{Node, Plan, Schema, SchemaField};
use crate::sql::{Location, SqlError};
use crate::types::{DataType, SqlType, Value};

/// More keys than this under grouping sets, or arguments of one GROUPING_ID, do not fit the
/// bits of a BIGINT.
pub const MAX_GROUPING_KEYS: usize = 63;

/// More grouping sets than this (a `CUBE` of 13 columns) is refused rather than expanded.
pub const MAX_GROUPING_SETS: usize = 4096;

/// A GROUP BY item: a plain expression (grouped in every set), or a list of grouping sets.
pub enum GroupItem<'a> {
    Plain(&'a ast::Expr),
    Sets(Vec<Vec<&'a ast::Expr>>),
}

/// The GROUP BY list's items, `ROLLUP` and `CUBE` spelled out as their grouping sets.
pub fn group_items(exprs: &[ast::Expr], location: Location) -> Result<Vec<GroupItem<'_>>, SqlError> {
    let too_many = || {
        SqlError::new(format!("GROUP BY makes more than {MAX_GROUPING_SETS} grouping sets"))
            .at(location)
            .hint("list the grouping sets you need with GROUPING SETS (…)")
    };
    fn flat(groups: &[Vec<ast::Expr>]) -> Vec<Vec<&ast::Expr>> {
        groups.iter().map(|g| g.iter().collect()).collect()
    }
    let mut items = Vec::new();
    for e in exprs {
        items.push(match e {
            ast::Expr::GroupingSets(sets) => GroupItem::Sets(flat(sets)),
            ast::Expr::Rollup(groups) => {
                // ROLLUP (a, b) = GROUPING SETS ((a, b), (a), ()).
                let groups = flat(groups);
                GroupItem::Sets((0..=groups.len()).rev().map(|n| groups[..n].concat()).collect())
            }
            ast::Expr::Cube(groups) => {
                // CUBE (a, b) = GROUPING SETS ((a, b), (a), (b), ()), in Calcite's order.
                let groups = flat(groups);
                if groups.len() > MAX_GROUPING_SETS.trailing_zeros() as usize {
                    return Err(too_many());
                }
                let n = groups.len();
                let sets = (0..1usize << n)
                    .map(|left_out| (0..n).filter(|k| left_out & (1 << (n - 1 - k)) == 0).flat_map(|k| groups[k].clone()).collect())
                    .collect();
                GroupItem::Sets(sets)
            }
            plain => GroupItem::Plain(plain),
        });
    }
    let mut count = 1usize;
    for item in &items {
        if let GroupItem::Sets(sets) = item {
            count = count.saturating_mul(sets.len());
            if count > MAX_GROUPING_SETS {
                return Err(too_many());
            }
        }
    }
    Ok(items)
}

/// The grouping sets of a GROUP BY with GROUPING SETS, ROLLUP or CUBE, over its `keys`.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupingSets {
    /// Per set, per key: whether the set groups by the key.
    pub sets: Vec<Vec<bool>>,
}

impl GroupingSets {
    /// The cross product of the items' sets, each set given as key positions.
    pub fn cross(keys: usize, items: &[Vec<Vec<usize>>]) -> Self {
        let mut sets = vec![vec![false; keys]];
        for item in items {
            let mut next = Vec::with_capacity(sets.len() * item.len());
            for set in &sets {
                for member in item {
                    let mut s = set.clone();
                    member.iter().for_each(|&k| s[k] = true);
                    next.push(s);
                }
            }
            sets = next;
        }
        GroupingSets { sets }
    }

    pub fn keys(&self) -> usize {
        self.sets.first().map_or(0, Vec::len)
    }

    /// A key left out of some set: NULL in that set's rows.
    pub fn nullable(&self, key: usize) -> bool {
        self.sets.iter().any(|s| !s[key])
    }

    /// Flink's expand id of `set` (a bit per key left out), with the set's copy number above
    /// those bits when it is listed more than once ([`Self::check_copies`] keeps it in range).
    pub fn expand_id(&self, set: usize) -> i64 {
        let n = self.keys();
        let bits: i64 = (0..n).filter(|&k| !self.sets[set][k]).map(|k| 1i64 << (n - 1 - k)).sum();
        bits + ((self.copy(set) as i64) << n)
    }

    /// How many times `set` is listed before: `GROUP_ID()` of its rows.
    pub fn copy(&self, set: usize) -> usize {
        self.sets[..set].iter().filter(|s| **s == self.sets[set]).count()
    }

    /// Refuses repeated sets Flink 2.3 cannot run: in Calcite's union the aggregate of the
    /// `k`-th copies groups by every key with the `k`-th copies as its grouping sets, and one
    /// holding a single set that leaves a key out is neither a plain GROUP BY nor an `Expand`
    /// for Flink (`GROUPING SETS (ROLLUP (a, b), (a))`).
    pub fn check_copies(&self) -> Result<(), String> {
        let most = (0..self.sets.len()).map(|s| self.copy(s)).max().unwrap_or(0);
        if most == 0 {
            return Ok(());
        }
        // The copy number sits above the key bits of `$e`, a BIGINT.
        if self.keys() + (usize::BITS - most.leading_zeros()) as usize > MAX_GROUPING_KEYS {
            return Err(format!("{} grouping keys and a set listed {} times do not fit the expand id (a BIGINT)", self.keys(), most + 1));
        }
        for k in 1..=most {
            let copies: Vec<usize> = (0..self.sets.len()).filter(|&s| self.copy(s) == k).collect();
            if let [only] = copies[..] {
                if self.sets[only].iter().any(|grouped| !grouped) {
                    return Err("GROUPING SETS are currently not supported.".into());
                }
            }
        }
        Ok(())
    }

    /// `GROUP_ID()`: which copy of a repeated set the row's group is, as a CASE over `$e` at
    /// column `e_column` (the constant 0 when no set is repeated).
    pub fn group_id(&self, e_column: usize) -> Expr {
        self.case_over_sets(e_column, |s| self.copy(s) as i64)
    }

    /// `GROUPING(k…)` / `GROUPING_ID(k…)` (the same thing: bit `m − 1 − j` set when argument
    /// `j` of `m` is not grouped in the row's set), as a CASE over `$e` at column `e_column`.
    pub fn grouping(&self, args: &[usize], e_column: usize) -> Expr {
        let value = |set: usize| -> i64 {
            let m = args.len();
            args.iter().enumerate().filter(|(_, &k)| !self.sets[set][k]).map(|(j, _)| 1i64 << (m - 1 - j)).sum()
        };
        self.case_over_sets(e_column, value)
    }

    /// `value(set)` of the row's set: a CASE over `$e` at `e_column`, or a constant when every
    /// set has the same value.
    fn case_over_sets(&self, e_column: usize, value: impl Fn(usize) -> i64) -> Expr {
        let bigint = SqlType::not_null(DataType::BigInt);
        let literal = |v: i64| Expr::literal(Value::Int(v), bigint.clone());
        let last = self.sets.len() - 1;
        if (0..last).all(|s| value(s) == value(last)) {
            return literal(value(last));
        }
        let e = Expr::column(e_column, bigint.clone());
        let whens = (0..last)
            .map(|s| {
                let test = Expr {
                    kind: ExprKind::Binary { op: BinaryOp::Eq, left: Box::new(e.clone()), right: Box::new(literal(self.expand_id(s))) },
                    ty: SqlType::not_null(DataType::Boolean),
                };
                (test, literal(value(s)))
            })
            .collect();
        Expr { kind: ExprKind::Case { whens, otherwise: Some(Box::new(literal(value(last)))) }, ty: bigint }
    }

    /// `input`'s rows once per set: its first `keys` columns (nulled where the set leaves them
    /// out), then `$e`, then the rest of its columns.
    pub fn expand(&self, input: Plan) -> Plan {
        let n = self.keys();
        let fields = &input.schema.fields;
        let mut out: Vec<SchemaField> = fields[..n]
            .iter()
            .enumerate()
            .map(|(k, f)| SchemaField { ty: f.ty.plain().with_nullable(f.ty.nullable || self.nullable(k)), ..f.clone() })
            .collect();
        out.push(SchemaField { name: "$e".into(), ty: SqlType::not_null(DataType::BigInt), qualifier: None });
        out.extend(fields[n..].iter().cloned());
        let projects = (0..self.sets.len())
            .map(|s| {
                let mut exprs: Vec<Expr> = (0..n)
                    .map(|k| match self.sets[s][k] {
                        true => Expr::column(k, out[k].ty.clone()),
                        false => Expr::literal(Value::Null, out[k].ty.clone()),
                    })
                    .collect();
                exprs.push(Expr::literal(Value::Int(self.expand_id(s)), SqlType::not_null(DataType::BigInt)));
                exprs.extend((n..fields.len()).map(|c| Expr::column(c, fields[c].ty.clone())));
                exprs
            })
            .collect();
        Plan { schema: Schema { fields: out }, node: Node::Expand { input: Box::new(input), projects } }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expand_ids_set_a_bit_per_key_left_out() {
        // GROUPING SETS ((status), (band), ()) over keys [status, band]: Flink's 1, 2, 3.
        let sets = GroupingSets::cross(2, &[vec![vec![0], vec![1], vec![]]]);
        assert_eq!((0..3).map(|s| sets.expand_id(s)).collect::<Vec<_>>(), [1, 2, 3]);
        assert!(sets.nullable(0) && sets.nullable(1));
        assert_eq!(sets.check_copies(), Ok(()));
    }

    #[test]
    fn plain_keys_cross_every_set() {
        // GROUP BY status, ROLLUP (sensor_id): (status, sensor_id), (status).
        let sets = GroupingSets::cross(2, &[vec![vec![0]], vec![vec![1], vec![]]]);
        assert_eq!(sets.sets, [vec![true, true], vec![true, false]]);
        assert!(!sets.nullable(0));
    }

    #[test]
    fn a_repeated_set_has_an_expand_id_per_copy() {
        // GROUPING SETS ((a), (), (a), ()): the second copies above the key bit.
        let sets = GroupingSets::cross(1, &[vec![vec![0], vec![], vec![0], vec![]]]);
        assert_eq!((0..4).map(|s| sets.expand_id(s)).collect::<Vec<_>>(), [0, 1, 2, 3]);
        assert_eq!((0..4).map(|s| sets.copy(s)).collect::<Vec<_>>(), [0, 0, 1, 1]);
        assert_eq!(sets.check_copies(), Ok(()));
        // ROLLUP (a, b), (a): the second copy of (a) alone leaves b out, which Flink refuses.
        let sets = GroupingSets::cross(2, &[vec![vec![0, 1], vec![0], vec![], vec![0]]]);
        assert_eq!(sets.check_copies(), Err("GROUPING SETS are currently not supported.".into()));
    }
}
