//! Writing a Kafka table, as Flink's `KafkaDynamicSink` with `DynamicKafkaRecordSerializationSchema`:
//! each row becomes a record of the table's (first) topic, its key the `key.fields` in the key
//! format (no key without `key.format`), its value the `value.fields-include` fields in the
//! value format, its partition chosen by `sink.partitioner`, its timestamp and headers from the
//! persisted `timestamp` and `headers` metadata columns when the table has them.
//!
//! A `kafka` table takes inserts only (the planner refuses updating results before this),
//! unless its value format is a changelog format (`debezium-json` writes each change as an
//! event of its own). An
//! `upsert-kafka` table writes `+I` and `+U` rows as records of their key, and `-D` rows as
//! *tombstones* (the key with a null value), as Flink's upsert sink does; `-U` rows are not
//! written (Flink's planner sends an upsert sink none).

use super::metadata::MetadataKey;
use super::options::KafkaTable;
use super::partitioner::SinkPartitioner;
use super::topic::{LocalTopics, ProducerRecord};
use crate::connectors::format::avro::AvroEncoder;
use crate::connectors::format::csv::{CsvEncoder, CsvOptions};
use crate::connectors::format::debezium::DebeziumEncoder;
use crate::connectors::format::json::{JsonEncoder, JsonOptions};
use crate::plan::catalog::{ColumnKind, TableDef};
use crate::types::{Batch, DataType, Field, RowKind, Value};

enum Encoder {
    Json(JsonEncoder),
    Avro(AvroEncoder),
    /// `debezium-json`: every kind of change, as Debezium's events.
    Debezium(DebeziumEncoder),
    Csv(CsvEncoder),
    Raw,
}

impl Encoder {
    fn new(format: &str, fields: &[Field], options: &[(String, String)]) -> Result<Self, String> {
        Ok(match format {
            "csv" => Encoder::Csv(CsvEncoder::new(fields, CsvOptions::from_table_options(options)?)),
            "debezium-json" => Encoder::Debezium(DebeziumEncoder::new(fields, options)?),
            "avro" => {
                crate::connectors::format::avro::check(fields, options)?;
                Encoder::Avro(AvroEncoder::new(fields))
            }
            "raw" => {
                crate::connectors::format::raw::check(fields, options)?;
                Encoder::Raw
            }
            _ => Encoder::Json(JsonEncoder::new(fields, JsonOptions::from_table_options(options)?)),
        })
    }

    fn encode(&self, kind: RowKind, row: &[Value], out: &mut Vec<u8>) {
        match self {
            Encoder::Json(e) => e.encode(row, out),
            Encoder::Debezium(e) => e.encode(kind, row, out),
            Encoder::Avro(e) => e.encode(row, out),
            Encoder::Csv(e) => e.encode(row, out),
            Encoder::Raw => crate::connectors::format::raw::encode(row, out),
        }
    }
}

pub struct KafkaSink {
    topic: String,
    upsert: bool,
    key: Option<(Encoder, Vec<usize>)>,
    value: (Encoder, Vec<usize>),
    partitioner: SinkPartitioner,
    next_round_robin: i32,
    /// Positions in the written row of the `timestamp` and `headers` metadata columns.
    timestamp_column: Option<usize>,
    headers_column: Option<usize>,
    buffer: Vec<u8>,
}

impl KafkaSink {
    /// The sink for `table`; the rows it is given hold the table's physical and persisted
    /// metadata columns in table order (the INSERT's target columns).
    pub fn open(table: &TableDef, topics: &mut LocalTopics) -> Result<Self, String> {
        let options = KafkaTable::from_table(table)?;
        super::metadata::check_writable(table, &options.metadata, super::options::KAFKA_SINK_CLASS)?;
        let topic = match &options.topics {
            super::options::Topics::Names(names) if names.len() == 1 => names[0].clone(),
            // Flink's sink writes to the single topic it is given (a row's `topic` metadata
            // could pick another; Sluice does not write that key).
            _ => return Err("a Kafka sink writes to one topic: set 'topic' to a single name".into()),
        };
        topics.get_or_create(&topic);
        // Physical position → position in the written row.
        let mut physical_at = Vec::new();
        let (mut timestamp_column, mut headers_column) = (None, None);
        let mut at = 0;
        for c in &table.columns {
            match &c.kind {
                ColumnKind::Physical => {
                    physical_at.push(at);
                    at += 1;
                }
                ColumnKind::Metadata { key, is_virtual: false } => {
                    match MetadataKey::parse(key) {
                        Some(MetadataKey::Timestamp) => timestamp_column = Some(at),
                        Some(MetadataKey::Headers) => headers_column = Some(at),
                        _ => {}
                    }
                    at += 1;
                }
                _ => {}
            }
        }
        let physical: Vec<Field> = table.physical_columns().map(|(_, c)| Field { name: c.name.clone(), ty: c.ty.plain() }).collect();
        let project = |positions: &[usize], prefix: &str| -> Vec<Field> {
            positions
                .iter()
                .filter_map(|&p| physical.get(p))
                .map(|f| Field { name: f.name.strip_prefix(prefix).unwrap_or(&f.name).to_string(), ty: f.ty.clone() })
                .collect()
        };
        let in_row = |positions: &[usize]| -> Vec<usize> { positions.iter().filter_map(|&p| physical_at.get(p).copied()).collect() };
        let key = match &options.key {
            None => None,
            Some(spec) => Some((
                Encoder::new(&spec.name, &project(&options.key_fields, &options.key_prefix), &spec.options)?,
                in_row(&options.key_fields),
            )),
        };
        let value = (
            Encoder::new(&options.value.name, &project(&options.value_fields, ""), &options.value.options)?,
            in_row(&options.value_fields),
        );
        Ok(KafkaSink {
            topic,
            upsert: options.upsert,
            key,
            value,
            partitioner: options.partitioner,
            next_round_robin: 0,
            timestamp_column,
            headers_column,
            buffer: Vec::with_capacity(256),
        })
    }

    pub fn write(&mut self, batches: &[Batch], types: &[DataType], topics: &mut LocalTopics, now_ms: i64) -> Result<(), String> {
        let topic = topics.get_mut(&self.topic).ok_or_else(|| format!("local topic `{}` is gone", self.topic))?;
        let mut projected = Vec::new();
        for b in batches {
            for i in 0..b.len() {
                let kind = b.kind(i);
                let changelog = matches!(self.value.0, Encoder::Debezium(_));
                let tombstone = match kind {
                    RowKind::Insert | RowKind::UpdateAfter => false,
                    // A changelog format writes every change as a value of its own.
                    _ if changelog => false,
                    RowKind::Delete if self.upsert => true,
                    RowKind::UpdateBefore if self.upsert => continue,
                    _ => {
                        return Err(format!(
                            "the Kafka sink `{}` is append-only but the query produces updates ({}); write into an 'upsert-kafka' table, or make the result append-only",
                            self.topic,
                            kind.short()
                        ))
                    }
                };
                let row = b.row(i, types);
                let key = match &self.key {
                    None => None,
                    Some((encoder, positions)) => {
                        projected.clear();
                        projected.extend(positions.iter().map(|&p| row[p].clone()));
                        self.buffer.clear();
                        encoder.encode(RowKind::Insert, &projected, &mut self.buffer);
                        Some(self.buffer.clone())
                    }
                };
                let value = if tombstone {
                    None
                } else {
                    projected.clear();
                    projected.extend(self.value.1.iter().map(|&p| row[p].clone()));
                    self.buffer.clear();
                    self.value.0.encode(kind, &projected, &mut self.buffer);
                    Some(self.buffer.clone())
                };
                let timestamp_ms = self.timestamp_column.and_then(|c| match row[c] {
                    Value::Timestamp(ms) => Some(ms),
                    _ => None,
                });
                let headers = self.headers_column.map_or_else(Vec::new, |c| headers_of(&row[c]));
                let partition = match self.partitioner {
                    SinkPartitioner::Default => None,
                    SinkPartitioner::Fixed => Some(0),
                    SinkPartitioner::RoundRobin => {
                        let p = self.next_round_robin;
                        self.next_round_robin = (p + 1) % topic.partition_count().max(1) as i32;
                        Some(p)
                    }
                };
                topic.produce(ProducerRecord { partition, key, value, headers, timestamp_ms }, now_ms)?;
            }
        }
        Ok(())
    }
}

/// A `headers` column's map as record headers (entries with a NULL name are left out).
fn headers_of(value: &Value) -> Vec<(String, Option<Vec<u8>>)> {
    let Value::Map(entries) = value else { return Vec::new() };
    entries
        .iter()
        .filter_map(|(k, v)| {
            let Value::Str(name) = k else { return None };
            let bytes = match v {
                Value::Bytes(b) => Some(b.to_vec()),
                Value::Str(s) => Some(s.as_bytes().to_vec()),
                _ => None,
            };
            Some((name.to_string(), bytes))
        })
        .collect()
}
