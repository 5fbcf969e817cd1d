//! Reading a Kafka table: its topics' local partitions (real topics are mirrored into them), and
//! each record's key, value and metadata decoded into the table's columns, as Flink's
//! `KafkaDynamicSource` with its `DynamicKafkaDeserializationSchema` does.
//!
//! - The value format decodes the `value.fields-include` fields, the key format the
//!   `key.fields`; where a field is in both, the value's wins (Flink's `OutputProjectionCollector`
//!   writes the key's fields first, then the value's).
//! - A record without a value (a tombstone) gives no row on a `kafka` table (the formats turn a
//!   null message into nothing); on an `upsert-kafka` table it is a delete of its key.
//! - Metadata columns follow the physical ones in the decoded batch, in table order, each cast
//!   to its declared type.
//! - Each row keeps the *split* (topic partition) it came from, so the table's watermark can be
//!   kept per partition as Flink's Kafka source keeps it (`engine::split_watermark`).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use super::metadata::MetadataKey;
use super::options::{KafkaTable, Topics};
use super::record::KafkaRecord;
use super::topic::{LocalTopics, TopicReader};
use crate::connectors::decoder::{decoder_for_format, Decoder};
use crate::connectors::source::SourceStatus;
use crate::types::{cast_value, Batch, Column, DataType, Field, RowKind, Value};

/// A record handed from a source to its decoder.
#[derive(Clone, Copy)]
pub enum RecordRef<'a> {
    /// A line of a file, a local stream's record data.
    Bytes(&'a [u8]),
    /// A Kafka record with its topic and the split (topic partition) number the source gave it.
    Kafka { topic: &'a Arc<str>, record: &'a KafkaRecord, split: u32 },
}

/// The topics a Kafka table reads, each from where the table says.
pub struct KafkaSource {
    table: KafkaTable,
    readers: Vec<(Arc<str>, TopicReader)>,
    pattern: Option<crate::engine::regex::Regex>,
    /// (topic index, partition) → split number, dense from 0 in the order partitions were seen.
    splits: HashMap<(usize, i32), u32>,
    /// Per topic (as `readers`), per partition: the offset after the last record read, what a
    /// consumer group commits.
    consumed: Vec<BTreeMap<i32, i64>>,
    bounded: bool,
}

impl KafkaSource {
    /// Opens the table's topics. `batch`: read what they hold now and end (`%flink.bsql`).
    pub fn open(table: KafkaTable, topics: &LocalTopics, batch: bool) -> Result<Self, String> {
        let pattern = match &table.topics {
            Topics::Pattern(p) => {
                Some(crate::engine::regex::Regex::new(p).map_err(|e| format!("'topic-pattern' = '{p}' is not a regular expression: {e}"))?)
            }
            Topics::Names(_) => None,
        };
        let bounded = batch || table.end.is_some();
        let mut source = KafkaSource { table, readers: Vec::new(), pattern, splits: HashMap::new(), consumed: Vec::new(), bounded };
        for name in source.table.topic_names().to_vec() {
            source.add_reader(&name, topics);
        }
        source.discover(topics);
        Ok(source)
    }

    fn add_reader(&mut self, name: &str, topics: &LocalTopics) {
        let mut reader = TopicReader::new(topics, name, &self.table.start);
        if let Some(end) = &self.table.end {
            reader = reader.bounded(topics, end);
        } else if self.bounded {
            reader = reader.bounded(topics, &super::topic::TopicEnd::Latest);
        }
        self.readers.push((name.into(), reader));
        self.consumed.push(BTreeMap::new());
    }

    /// Topics matching `topic-pattern` that appeared, and partitions that appeared, get readers
    /// and split numbers (Flink's partition discovery; new partitions are read from the earliest).
    fn discover(&mut self, topics: &LocalTopics) {
        if let Some(pattern) = &self.pattern {
            let new: Vec<String> = topics
                .names()
                .filter(|n| !self.readers.iter().any(|(r, _)| r.as_ref() == n.as_str()))
                .filter(|n| pattern.full_match(n).unwrap_or(false))
                .cloned()
                .collect();
            for name in new {
                self.add_reader(&name, topics);
            }
        }
        for (t, (name, _)) in self.readers.iter().enumerate() {
            // A new mirror's partitions are the real topic's only once its reader learned them.
            let Some(topic) = topics.get(name).filter(|t| t.partitions_known()) else { continue };
            for p in 0..topic.partition_count() as i32 {
                let next = self.splits.len() as u32;
                self.splits.entry((t, p)).or_insert(next);
            }
        }
    }

    /// How many splits (topic partitions) the source reads now: each holds the table's
    /// watermark back until it has records or turns idle.
    pub fn split_count(&self) -> usize {
        self.splits.len()
    }

    pub fn is_bounded(&self) -> bool {
        self.bounded
    }

    /// Per topic read, per partition read from: the offset after the last record read (the
    /// position a consumer group commits; partitions not read yet are left out).
    pub fn consumed_offsets(&self) -> impl Iterator<Item = (&str, &BTreeMap<i32, i64>)> {
        self.readers.iter().zip(&self.consumed).filter(|(_, c)| !c.is_empty()).map(|((name, _), c)| (name.as_ref(), c))
    }

    /// `scan.watermark.idle-timeout`.
    pub fn idle_timeout_ms(&self) -> Option<i64> {
        self.table.idle_timeout_ms
    }

    pub fn poll(&mut self, topics: &LocalTopics, max: usize, out: &mut dyn FnMut(RecordRef<'_>)) -> Result<SourceStatus, String> {
        self.discover(topics);
        let mut n = 0;
        let splits = &mut self.splits;
        for ((t, (name, reader)), consumed) in self.readers.iter_mut().enumerate().zip(&mut self.consumed) {
            if n >= max {
                break;
            }
            n += reader.poll(topics, max - n, &mut |record| {
                let next = splits.len() as u32;
                let split = *splits.entry((t, record.partition)).or_insert(next);
                consumed.insert(record.partition, record.offset + 1);
                out(RecordRef::Kafka { topic: name, record, split });
            });
        }
        if self.bounded && self.readers.iter().all(|(_, r)| r.is_done(topics)) {
            return Ok(SourceStatus::Ended);
        }
        Ok(if n == 0 { SourceStatus::Idle } else { SourceStatus::Progress })
    }
}

/// Decodes Kafka records into a table's physical columns followed by its metadata columns.
pub struct KafkaDecoder {
    upsert: bool,
    key: Option<(Box<Decoder>, Vec<usize>)>,
    value: Box<Decoder>,
    value_fields: Vec<usize>,
    /// The physical columns' types, in table order.
    physical: Vec<DataType>,
    metadata: Vec<(MetadataKey, DataType, Column)>,
    /// Per decoded row: its split, kind, and whether its value is there (not a tombstone).
    splits: Vec<u32>,
    last_splits: Vec<u32>,
    kinds: Vec<RowKind>,
    has_value: Vec<bool>,
    has_key: Vec<bool>,
    /// Rows the value decoder made whose key the key decoder skipped: dropped at `finish`.
    dropped_values: Vec<u32>,
    value_rows: u32,
}

impl KafkaDecoder {
    pub fn new(table: &KafkaTable, physical: &[Field]) -> Result<Self, String> {
        let project = |positions: &[usize]| -> Vec<Field> { positions.iter().filter_map(|&p| physical.get(p).cloned()).collect() };
        let key = match &table.key {
            None => None,
            Some(spec) => {
                // Key fields are named without `key.fields-prefix` in the key format.
                let fields: Vec<Field> = project(&table.key_fields)
                    .into_iter()
                    .map(|f| Field { name: f.name.strip_prefix(table.key_prefix.as_str()).unwrap_or(&f.name).to_string(), ty: f.ty })
                    .collect();
                Some((Box::new(decoder_for_format(&spec.name, &fields, &spec.options, None)?), table.key_fields.clone()))
            }
        };
        let value = Box::new(decoder_for_format(&table.value.name, &project(&table.value_fields), &table.value.options, None)?);
        let metadata =
            table.metadata.iter().map(|m| (m.key, m.field.ty.data_type.clone(), Column::empty(&m.field.ty.data_type, 64))).collect();
        Ok(KafkaDecoder {
            upsert: table.upsert,
            key,
            value,
            value_fields: table.value_fields.clone(),
            physical: physical.iter().map(|f| f.ty.data_type.clone()).collect(),
            metadata,
            splits: Vec::new(),
            last_splits: Vec::new(),
            kinds: Vec::new(),
            has_value: Vec::new(),
            has_key: Vec::new(),
            dropped_values: Vec::new(),
            value_rows: 0,
        })
    }

    /// Decodes one record; the error names the record (topic, partition, offset) and the fault.
    /// A value in a changelog format (`debezium-json`) may give several rows, or none: each
    /// gets the record's key and metadata.
    pub fn decode(&mut self, topic: &Arc<str>, record: &KafkaRecord, split: u32) -> Result<(), String> {
        let at = |e: String| format!("topic `{topic}`, partition {}, offset {}: {e}", record.partition, record.offset);
        let (kind, rows) = match &record.value {
            Some(value) => {
                let skipped = self.value.skipped();
                let pending = self.value.pending_rows();
                self.value.decode(value).map_err(at)?;
                if self.value.skipped() > skipped {
                    return Ok(());
                }
                let rows = match (pending, self.value.pending_rows()) {
                    (Some(before), Some(after)) => after.saturating_sub(before) as u32,
                    _ => 1,
                };
                if rows == 0 {
                    return Ok(());
                }
                self.value_rows += rows;
                // A value is an insert, as the value format reads it (Flink's upsert source
                // keeps the format's kind; `ChangelogNormalize` makes it `+I` or `+U`); a
                // changelog format's rows keep the kinds it gave them.
                (RowKind::Insert, rows)
            }
            // A tombstone: nothing on a `kafka` table, a delete on an `upsert-kafka` one.
            None if self.upsert => (RowKind::Delete, 1),
            None => return Ok(()),
        };
        let mut has_key = false;
        if let (Some((key, _)), Some(bytes)) = (&mut self.key, &record.key) {
            // A null key: the key format reads nothing, so the key fields are NULL.
            let skipped = key.skipped();
            for _ in 0..rows {
                key.decode(bytes).map_err(at)?;
            }
            if key.skipped() > skipped {
                if kind != RowKind::Delete {
                    self.dropped_values.extend(self.value_rows - rows..self.value_rows);
                }
                return Ok(());
            }
            has_key = true;
        }
        for _ in 0..rows {
            self.has_key.push(has_key);
            for (key, ty, column) in &mut self.metadata {
                let value = key.value(topic, record);
                let value = cast_value(&value, &key.data_type().data_type, ty).unwrap_or(Value::Null);
                column.push(&value);
            }
            self.splits.push(split);
            self.kinds.push(kind);
            self.has_value.push(kind != RowKind::Delete);
        }
        Ok(())
    }

    /// The rows decoded since the last call: physical columns in table order, then the metadata
    /// columns; with row kinds when the table is an upsert changelog.
    pub fn finish(&mut self) -> Batch {
        let rows = self.kinds.len();
        self.last_splits = std::mem::take(&mut self.splits);
        let mut value = self.value.finish();
        if !self.dropped_values.is_empty() {
            let keep: Vec<u32> = (0..value.len() as u32).filter(|i| !self.dropped_values.contains(i)).collect();
            value = value.gather(&keep);
            self.dropped_values.clear();
        }
        let value_kinds = value.kinds.take();
        self.value_rows = 0;
        let key = self.key.as_mut().map(|(d, positions)| (d.finish(), positions.clone()));
        let mut columns: Vec<Option<Column>> = vec![None; self.physical.len()];
        // Rows without a key (a null key) or a value (a delete) have no row in that decoder's
        // batch: its rows are spread over the rows that have one.
        if let Some((key, positions)) = key {
            let spread = spread_of(&self.has_key);
            for (column, &p) in key.columns.into_iter().zip(&positions) {
                let column = match &spread {
                    None => column,
                    Some(rows) => spread_rows(&column, rows, &self.physical[p], None),
                };
                if let Some(slot) = columns.get_mut(p) {
                    *slot = Some(column);
                }
            }
        }
        let spread = spread_of(&self.has_value);
        for (column, &p) in value.columns.into_iter().zip(&self.value_fields) {
            let column = match &spread {
                None => column,
                // A row without a value (a tombstone) keeps what its key gave the field, as
                // Flink writes the key's fields first and the value's only when there is one.
                Some(rows) => spread_rows(&column, rows, &self.physical[p], columns.get(p).and_then(Option::as_ref)),
            };
            if let Some(slot) = columns.get_mut(p) {
                *slot = Some(column);
            }
        }
        let mut out: Vec<Column> = columns
            .into_iter()
            .zip(&self.physical)
            .map(|(c, ty)| c.filter(|c| c.len() == rows).unwrap_or_else(|| null_column(ty, rows)))
            .collect();
        for (_, ty, column) in &mut self.metadata {
            out.push(std::mem::replace(column, Column::empty(ty, 64)));
        }
        let mut batch = Batch::new(out, rows);
        if self.upsert {
            batch.kinds = Some(std::mem::take(&mut self.kinds));
        } else {
            // Every row has a value here: the value format's kinds are the rows' kinds.
            batch.kinds = value_kinds.filter(|k| k.len() == rows);
            self.kinds.clear();
        }
        self.has_value.clear();
        self.has_key.clear();
        batch
    }

    /// The split of each row [`KafkaDecoder::finish`] returned last, in order.
    pub fn take_splits(&mut self) -> Vec<u32> {
        std::mem::take(&mut self.last_splits)
    }

    pub fn skipped(&self) -> u64 {
        self.value.skipped() + self.key.as_ref().map_or(0, |(k, _)| k.skipped())
    }
}

fn null_column(ty: &DataType, rows: usize) -> Column {
    let mut c = Column::empty(ty, rows);
    for _ in 0..rows {
        c.push_null();
    }
    c
}

/// Where each row's entry is in a decoder's batch that has rows only where `has` is true;
/// `None` when every row has one.
fn spread_of(has: &[bool]) -> Option<Vec<Option<u32>>> {
    if has.iter().all(|&h| h) {
        return None;
    }
    let mut next = 0u32;
    Some(
        has.iter()
            .map(|&h| {
                h.then(|| {
                    next += 1;
                    next - 1
                })
            })
            .collect(),
    )
}

/// `column`'s rows placed at the rows that have a value; elsewhere `otherwise`'s row (the key's
/// value of the field), or NULL.
fn spread_rows(column: &Column, rows: &[Option<u32>], ty: &DataType, otherwise: Option<&Column>) -> Column {
    let mut out = Column::empty(ty, rows.len());
    for (at, r) in rows.iter().enumerate() {
        match (r, otherwise) {
            (Some(i), _) => out.push(&column.value(*i as usize, ty)),
            (None, Some(other)) if other.len() == rows.len() => out.push(&other.value(at, ty)),
            (None, _) => out.push_null(),
        }
    }
    out
}
