//! Flink 2.3's `WatermarkCompactingSinkMaterializer` (FLIP-558): between an updating result
//! and an upsert sink written with `INSERT … ON CONFLICT DO NOTHING` or `DO ERROR`.
//!
//! Each change is held, per primary key, in a bucket named by the watermark in force when it
//! arrived; within a bucket an addition and an equal retraction cancel out. Once the watermark
//! passes a bucket (Flink's timer at its time + 1), the key's last written row and the bucket's
//! changes are compacted, in bucket order: additions are appended (or replace the row with the
//! same upsert key, when the result has one), retractions remove the first equal row. Then:
//!
//! - nothing left: the last written row, if any, is written as `-D`;
//! - one row: it is written as `+I` (no row before) or `+U` (if it differs from the last one);
//! - several rows, a conflict: `DO ERROR` fails the job naming the key; `DO NOTHING` writes the
//!   first row as `+I` if the key had none, and otherwise keeps the last written one.
//!
//! Buckets of one time are compacted in the order they were opened (their first change), as
//! Flink's timers of one time fire in the order they were registered.
//! Connector-agnostic, like [`super::sink_upsert_materializer`]: `connectors::Sink` runs it.

use std::collections::{BTreeMap, HashMap};

use super::group_table::GroupTable;
use crate::types::{Batch, BatchBuilder, DataType, RowKind, Value};

/// A bucket's primary key (its group id) and changes, in arrival order.
type Bucket = (u32, Vec<(RowKind, Vec<Value>)>);

pub struct WatermarkCompactingMaterializer {
    primary_key: Vec<usize>,
    /// Names of the primary key's columns, for the conflict error.
    primary_key_names: Vec<String>,
    /// The result's upsert key: rows agreeing on it are versions of one row.
    upsert_key: Option<Vec<usize>>,
    /// `DO ERROR` (else `DO NOTHING`).
    error_on_conflict: bool,
    types: Vec<DataType>,
    keys: GroupTable,
    /// Per primary key, the row last written.
    current: Vec<Option<Vec<Value>>>,
    /// Held changes by (arrival watermark, order of opening), with their primary key.
    buffer: BTreeMap<(i64, u64), Bucket>,
    /// Where each (arrival watermark, primary key)'s bucket is in `buffer`.
    open: HashMap<(i64, u32), u64>,
    opened: u64,
    /// The job's watermark as of the last write.
    watermark: i64,
}

impl WatermarkCompactingMaterializer {
    pub fn new(
        primary_key: Vec<usize>,
        primary_key_names: Vec<String>,
        upsert_key: Option<Vec<usize>>,
        error_on_conflict: bool,
        types: Vec<DataType>,
    ) -> Self {
        let key_types: Vec<DataType> = primary_key.iter().filter_map(|&c| types.get(c).cloned()).collect();
        WatermarkCompactingMaterializer {
            primary_key,
            primary_key_names,
            upsert_key: upsert_key.filter(|k| !k.is_empty()),
            error_on_conflict,
            types,
            keys: GroupTable::new(&key_types),
            current: Vec::new(),
            buffer: BTreeMap::new(),
            open: HashMap::new(),
            opened: 0,
            watermark: i64::MIN,
        }
    }

    /// The job's watermark now, before its next changes are given.
    pub fn set_watermark(&mut self, watermark: i64) {
        self.watermark = watermark;
    }

    /// Holds `batches`' changes, then writes what the watermark lets through. A conflict
    /// under `DO ERROR` is an error naming the key.
    pub fn process(&mut self, batches: &[Batch]) -> Result<Vec<Batch>, String> {
        let watermark = self.watermark;
        for b in batches {
            for i in 0..b.len() {
                let (g, new) = self.keys.find_or_insert(b, &self.primary_key, i);
                if new {
                    self.current.push(None);
                }
                let kind = b.kind(i);
                let row = b.row(i, &self.types);
                let time = b.arrival_watermark(i);
                let seq = *self.open.entry((time, g)).or_insert_with(|| {
                    self.opened += 1;
                    self.opened
                });
                let (_, bucket) = self.buffer.entry((time, seq)).or_insert_with(|| (g, Vec::new()));
                let cancels = |(k, r): &(RowKind, Vec<Value>)| kind.is_accumulate() != k.is_accumulate() && *r == row;
                match bucket.iter().position(cancels) {
                    Some(at) => {
                        bucket.remove(at);
                    }
                    None => bucket.push((kind, row)),
                }
            }
        }
        let mut out = BatchBuilder::new(&self.types);
        while let Some(entry) = self.buffer.first_entry() {
            let (time, _) = *entry.key();
            if time >= watermark {
                break;
            }
            let (g, changes) = entry.remove();
            self.open.remove(&(time, g));
            self.compact(g, changes, time, &mut out)?;
        }
        Ok(if out.is_empty() { Vec::new() } else { vec![out.finish()] })
    }

    fn compact(&mut self, g: u32, changes: Vec<(RowKind, Vec<Value>)>, time: i64, out: &mut BatchBuilder) -> Result<(), String> {
        let previous = self.current[g as usize].take();
        let mut rows: Vec<Vec<Value>> = previous.iter().cloned().collect();
        for (kind, row) in changes {
            let found = rows.iter().position(|r| match &self.upsert_key {
                Some(key) => key.iter().all(|&c| r.get(c) == row.get(c)),
                None => *r == row,
            });
            match (kind.is_accumulate(), found) {
                (true, Some(at)) if self.upsert_key.is_some() => rows[at] = row,
                (true, _) => rows.push(row),
                (false, Some(at)) => {
                    rows.remove(at);
                }
                // Flink logs that state was cleared (TTL) and goes on.
                (false, None) => {}
            }
        }
        let current = match (rows.len(), previous) {
            (0, Some(previous)) => {
                out.push(RowKind::Delete, &previous, time);
                None
            }
            (0, None) => None,
            (1, None) => {
                let row = rows.pop();
                if let Some(row) = &row {
                    out.push(RowKind::Insert, row, time);
                }
                row
            }
            (1, Some(previous)) => {
                let row = rows.pop();
                match row {
                    Some(row) if row != previous => {
                        out.push(RowKind::UpdateAfter, &row, time);
                        Some(row)
                    }
                    _ => Some(previous),
                }
            }
            (_, previous) if self.error_on_conflict => {
                let key = previous.as_ref().or(rows.first()).map(|r| self.key_text(r)).unwrap_or_default();
                return Err(format!(
                    "Primary key constraint violation: multiple distinct records with the same primary key detected. \
                     Conflicting key: [{key}]. Use ON CONFLICT DO NOTHING to keep the first record."
                ));
            }
            (_, None) => {
                let first = rows.swap_remove(0);
                out.push(RowKind::Insert, &first, time);
                Some(first)
            }
            (_, Some(previous)) => Some(previous),
        };
        self.current[g as usize] = current;
        Ok(())
    }

    /// `name=value, …` of a row's primary key, as Flink writes it in the conflict error.
    fn key_text(&self, row: &[Value]) -> String {
        let value = |c: usize| row.get(c).map_or_else(|| "null".to_string(), |v| if v.is_null() { "null".into() } else { v.to_string() });
        self.primary_key.iter().zip(&self.primary_key_names).map(|(&c, name)| format!("{name}={}", value(c))).collect::<Vec<_>>().join(", ")
    }
}
