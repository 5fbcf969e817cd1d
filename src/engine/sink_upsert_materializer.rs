//! Flink's `SinkUpsertMaterializer`: between an updating result and an upsert sink whose
//! primary key is not the result's upsert key (`INSERT … ON CONFLICT DO DEDUPLICATE`), it keeps,
//! per primary key, every row currently alive under it, in arrival order, and writes the sink
//! an upsert view of them:
//!
//! - `+I`/`+U`: the row replaces the kept row with its upsert key (or is appended when none has
//!   it, or when the result has no upsert key), and is written as `+I` if the primary key had no
//!   row, `+U` otherwise;
//! - `-U`/`-D`: the first kept row equal to it (on the upsert key, else on every column) goes;
//!   if none is left the row is written as `-D`; if the removed row was the latest, the one kept
//!   before it is written again as `+U`; otherwise nothing is written (a retraction of a row
//!   already overwritten is swallowed). A retraction finding nothing is ignored, as Flink does
//!   after its state expired.
//!
//! Connector-agnostic: the sink path (`connectors::Sink`) runs it before any connector writes.

use super::group_table::GroupTable;
use crate::types::{Batch, BatchBuilder, DataType, RowKind, Value};

pub struct SinkUpsertMaterializer {
    primary_key: Vec<usize>,
    /// The result's upsert key: rows agreeing on it are versions of one row. `None`: rows are
    /// compared whole.
    upsert_key: Option<Vec<usize>>,
    types: Vec<DataType>,
    keys: GroupTable,
    /// Per primary key (its group id in `keys`), the rows alive under it, oldest first.
    rows: Vec<Vec<Vec<Value>>>,
}

impl SinkUpsertMaterializer {
    pub fn new(primary_key: Vec<usize>, upsert_key: Option<Vec<usize>>, types: Vec<DataType>) -> Self {
        let key_types: Vec<DataType> = primary_key.iter().filter_map(|&c| types.get(c).cloned()).collect();
        let upsert_key = upsert_key.filter(|k| !k.is_empty());
        SinkUpsertMaterializer { primary_key, upsert_key, types, keys: GroupTable::new(&key_types), rows: Vec::new() }
    }

    /// The upsert view of `batches`' changes, in their order.
    pub fn process(&mut self, batches: &[Batch]) -> Vec<Batch> {
        let mut out = BatchBuilder::new(&self.types);
        for b in batches {
            for i in 0..b.len() {
                let (g, _) = self.keys.find_or_insert(b, &self.primary_key, i);
                let g = g as usize;
                if g >= self.rows.len() {
                    self.rows.resize_with(g + 1, Vec::new);
                }
                let row = b.row(i, &self.types);
                let watermark = b.arrival_watermark(i);
                let kept = &mut self.rows[g];
                let found = kept.iter().position(|k| same(self.upsert_key.as_deref(), k, &row));
                match b.kind(i) {
                    RowKind::Insert | RowKind::UpdateAfter => {
                        let kind = if kept.is_empty() { RowKind::Insert } else { RowKind::UpdateAfter };
                        out.push(kind, &row, watermark);
                        match found.filter(|_| self.upsert_key.is_some()) {
                            Some(at) => kept[at] = row,
                            None => kept.push(row),
                        }
                    }
                    RowKind::UpdateBefore | RowKind::Delete => {
                        let Some(at) = found else { continue };
                        let last = kept.len() - 1;
                        kept.remove(at);
                        match kept.last() {
                            None => out.push(RowKind::Delete, &row, watermark),
                            Some(latest) if at == last => out.push(RowKind::UpdateAfter, latest, watermark),
                            Some(_) => {}
                        }
                    }
                }
            }
        }
        if out.is_empty() {
            Vec::new()
        } else {
            vec![out.finish()]
        }
    }
}

/// Whether `a` and `b` are versions of one row: equal on the upsert key, or whole.
fn same(upsert_key: Option<&[usize]>, a: &[Value], b: &[Value]) -> bool {
    match upsert_key {
        Some(key) => key.iter().all(|&c| a.get(c) == b.get(c)),
        None => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn batch(changes: &[(RowKind, i64, &str)]) -> Batch {
        let mut b = BatchBuilder::new(&[DataType::BigInt, DataType::Varchar(10)]);
        for (kind, id, status) in changes {
            b.push(*kind, &[Value::Int(*id), Value::Str((*status).into())], 0);
        }
        b.finish()
    }

    fn changes(b: &[Batch]) -> Vec<(RowKind, i64)> {
        let types = [DataType::BigInt, DataType::Varchar(10)];
        let mut out = Vec::new();
        for b in b {
            for i in 0..b.len() {
                let id = if let Value::Int(v) = b.row(i, &types)[0] { v } else { -1 };
                out.push((b.kind(i), id));
            }
        }
        out
    }

    /// Two upsert keys (ids) share the primary key `status`: the sink sees the latest row, and
    /// falls back to the earlier one when the latest is retracted.
    #[test]
    fn the_latest_row_of_a_primary_key_is_written_and_an_earlier_one_comes_back() {
        use RowKind::*;
        let mut m = SinkUpsertMaterializer::new(vec![1], Some(vec![0]), vec![DataType::BigInt, DataType::Varchar(10)]);
        let out = m.process(&[batch(&[(Insert, 1, "OK"), (Insert, 2, "OK"), (UpdateBefore, 1, "OK"), (Delete, 2, "OK")])]);
        // +I 1; +U 2; -U 1 is not the latest: swallowed; -D 2 was the latest: 1 is gone too, so
        // nothing is left and the deletion is written.
        assert_eq!(changes(&out), [(Insert, 1), (UpdateAfter, 2), (Delete, 2)]);
        let out = m.process(&[batch(&[(Insert, 3, "OK"), (Insert, 4, "OK"), (Delete, 4, "OK"), (Delete, 9, "OK")])]);
        assert_eq!(changes(&out), [(Insert, 3), (UpdateAfter, 4), (UpdateAfter, 3)]);
    }
}
