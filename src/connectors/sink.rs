//! Sinks an `INSERT INTO` job writes to: local streams (JSON records, partition key from
//! `PARTITIONED BY`), natively files, and Flink's `print` and `blackhole`. An upsert sink whose
//! primary key is not the result's upsert key first runs Flink's `SinkUpsertMaterializer`
//! ([`Sink::materialize_upserts`]), or with `ON CONFLICT DO NOTHING | DO ERROR` its
//! `WatermarkCompactingSinkMaterializer` ([`Sink::compact_upserts`]), whatever its connector.

use super::format::csv::{CsvEncoder, CsvOptions};
use super::format::json::JsonEncoder;
use super::kafka::LocalTopics;
use super::local_stream::LocalStreams;
use crate::engine::sink_upsert_materializer::SinkUpsertMaterializer;
use crate::engine::watermark_compacting_materializer::WatermarkCompactingMaterializer;
use crate::plan::catalog::TableDef;
use crate::types::{Batch, DataType, Field, RowKind, Value};

pub struct Sink {
    target: Target,
    encoder: Encoder,
    /// Positions of the `PARTITIONED BY` columns among the written columns.
    partition_columns: Vec<usize>,
    buffer: Vec<u8>,
    /// Turns the result's changes into an upsert view by the sink's primary key before they
    /// are written (`INSERT … ON CONFLICT …`).
    materializer: Option<Box<Materializer>>,
}

enum Materializer {
    /// `ON CONFLICT DO DEDUPLICATE`.
    Deduplicate(SinkUpsertMaterializer),
    /// `ON CONFLICT DO NOTHING | DO ERROR`.
    Compact(WatermarkCompactingMaterializer),
}

/// How a row becomes a record: the table's `format`.
enum Encoder {
    Json(JsonEncoder),
    /// `debezium-json`: every kind of change, as Debezium's events.
    Debezium(super::format::debezium::DebeziumEncoder),
    Csv(CsvEncoder),
    Raw,
    /// `print` and `blackhole` take rows, not records.
    None,
}

impl Encoder {
    fn encode(&self, kind: RowKind, row: &[Value], out: &mut Vec<u8>) {
        match self {
            Encoder::Json(e) => e.encode(row, out),
            Encoder::Debezium(e) => e.encode(kind, row, out),
            Encoder::Csv(e) => e.encode(row, out),
            Encoder::Raw => super::format::raw::encode(row, out),
            Encoder::None => {}
        }
    }
}

/// Printed lines kept for the page (oldest dropped beyond this), as a TaskManager log would.
pub const MAX_PRINTED_LINES: usize = 10_000;

enum Target {
    Local(String),
    /// Flink's `print`: lines kept until [`Sink::take_printed`]; natively also written to
    /// stdout (or stderr with `standard-error`), where Flink's TaskManager writes them.
    Print {
        identifier: Option<String>,
        to_stderr: bool,
        lines: std::collections::VecDeque<String>,
    },
    /// Flink's `blackhole`: every row is taken and dropped.
    Blackhole,
    #[cfg(not(target_arch = "wasm32"))]
    File(super::filesystem::FileSink),
    /// A Kafka table's local topic: the Kafka sink encodes key, value and metadata itself.
    Kafka(Box<super::kafka::sink::KafkaSink>),
}

/// The options Flink's `print` and `blackhole` sinks take; others are rejected as Flink does.
pub fn check_sink_options(table: &TableDef) -> Result<(), String> {
    let supported: &[&str] = match table.connector() {
        "print" => &["connector", "print-identifier", "sink.parallelism", "standard-error"],
        _ => &["connector"],
    };
    let unsupported: Vec<&str> = table.options.iter().map(|(k, _)| k.as_str()).filter(|k| !supported.contains(k)).collect();
    if !unsupported.is_empty() {
        return Err(format!(
            "Unsupported options found for '{}'.\n\nUnsupported options:\n\n{}\n\nSupported options:\n\n{}",
            table.connector(),
            unsupported.join("\n"),
            supported.join("\n")
        ));
    }
    if let Some(v) = table.option("standard-error") {
        if !v.eq_ignore_ascii_case("true") && !v.eq_ignore_ascii_case("false") {
            return Err(format!("'standard-error' = '{v}' is not a boolean (true or false)"));
        }
    }
    Ok(())
}

pub fn open_sink(table: &TableDef, streams: &mut LocalStreams, topics: &mut LocalTopics) -> Result<Sink, String> {
    let fields: Vec<Field> = table.physical_columns().map(|(_, c)| Field { name: c.name.clone(), ty: c.ty.plain() }).collect();
    let partition_columns = table.partitioned_by.iter().filter_map(|p| fields.iter().position(|f| &f.name == p)).collect();
    let target = match table.connector() {
        "kinesis" => {
            let name = super::table::local_stream_name(table).ok_or("the table names no stream")?;
            streams.get_or_create(&name);
            Target::Local(name)
        }
        #[cfg(not(target_arch = "wasm32"))]
        "filesystem" => Target::File(super::filesystem::FileSink::create(table.option("path").ok_or("a filesystem table needs 'path'")?)?),
        "print" => {
            check_sink_options(table)?;
            Target::Print {
                identifier: table.option("print-identifier").map(str::to_string),
                to_stderr: table.option("standard-error").is_some_and(|v| v.eq_ignore_ascii_case("true")),
                lines: Default::default(),
            }
        }
        "blackhole" => {
            check_sink_options(table)?;
            Target::Blackhole
        }
        "kafka" | "upsert-kafka" => Target::Kafka(Box::new(super::kafka::sink::KafkaSink::open(table, topics)?)),
        "datagen" => return Err("Connector 'datagen' can only be used as a source. It cannot be used as a sink.".into()),
        other => return Err(format!("connector '{other}' cannot be written to yet")),
    };
    if matches!(target, Target::Print { .. } | Target::Blackhole | Target::Kafka(_)) {
        return Ok(Sink { target, encoder: Encoder::None, partition_columns, buffer: Vec::new(), materializer: None });
    }
    let encoder = match table.option("format") {
        Some("csv") => {
            super::format::csv::check_fields(&fields)?;
            Encoder::Csv(CsvEncoder::new(&fields, CsvOptions::from_table_options(&table.options)?))
        }
        Some("raw") => {
            super::format::raw::check(&fields, &table.options)?;
            Encoder::Raw
        }
        Some("debezium-json") => Encoder::Debezium(super::format::debezium::DebeziumEncoder::new(&fields, &table.options)?),
        _ => Encoder::Json(JsonEncoder::new(&fields, super::format::json::JsonOptions::from_table_options(&table.options)?)),
    };
    Ok(Sink { target, encoder, partition_columns, buffer: Vec::with_capacity(256), materializer: None })
}

impl Sink {
    /// Makes the sink write an upsert view of its input by `primary_key` (columns of the
    /// written rows), versions told apart by `upsert_key` (or whole rows without one).
    pub fn materialize_upserts(&mut self, primary_key: Vec<usize>, upsert_key: Option<Vec<usize>>, types: Vec<DataType>) {
        self.materializer = Some(Box::new(Materializer::Deduplicate(SinkUpsertMaterializer::new(primary_key, upsert_key, types))));
    }

    /// Makes the sink hold its input's changes until the watermark passes them and then write,
    /// per primary key, what they compact to (`ON CONFLICT DO NOTHING`, or `DO ERROR` when
    /// `error_on_conflict`: a key with several rows then fails the write).
    pub fn compact_upserts(
        &mut self,
        primary_key: Vec<usize>,
        primary_key_names: Vec<String>,
        upsert_key: Option<Vec<usize>>,
        error_on_conflict: bool,
        types: Vec<DataType>,
    ) {
        self.materializer = Some(Box::new(Materializer::Compact(WatermarkCompactingMaterializer::new(
            primary_key,
            primary_key_names,
            upsert_key,
            error_on_conflict,
            types,
        ))));
    }

    /// The job's watermark now (`None`: it has none), before its changes are written.
    pub fn set_watermark(&mut self, watermark: Option<i64>) {
        if let Some(Materializer::Compact(m)) = self.materializer.as_deref_mut() {
            m.set_watermark(watermark.unwrap_or(i64::MIN));
        }
    }

    /// Lines a `print` sink wrote since the last call.
    pub fn take_printed(&mut self) -> Vec<String> {
        match &mut self.target {
            Target::Print { lines, .. } => lines.drain(..).collect(),
            _ => Vec::new(),
        }
    }

    pub fn write(
        &mut self,
        batches: &[Batch],
        types: &[DataType],
        streams: &mut LocalStreams,
        topics: &mut LocalTopics,
        now_ms: i64,
    ) -> Result<(), String> {
        let materialized;
        let batches = match self.materializer.as_deref_mut() {
            Some(Materializer::Deduplicate(m)) => {
                materialized = m.process(batches);
                &materialized[..]
            }
            Some(Materializer::Compact(m)) => {
                materialized = m.process(batches)?;
                &materialized[..]
            }
            None => batches,
        };
        match &mut self.target {
            Target::Kafka(kafka) => return kafka.write(batches, types, topics, now_ms),
            // A changelog sink: updates and deletions are printed with their kind, as in Flink.
            Target::Print { identifier, to_stderr, lines } => {
                #[cfg(not(target_arch = "wasm32"))]
                let mut text = String::new();
                for b in batches {
                    for i in 0..b.len() {
                        let mut line = String::with_capacity(64);
                        super::print::write_print_line(&mut line, identifier.as_deref(), b.kind(i), &b.row(i, types), types);
                        #[cfg(not(target_arch = "wasm32"))]
                        {
                            text.push_str(&line);
                            text.push('\n');
                        }
                        if lines.len() == MAX_PRINTED_LINES {
                            lines.pop_front();
                        }
                        lines.push_back(line);
                    }
                }
                #[cfg(not(target_arch = "wasm32"))]
                if !text.is_empty() {
                    if *to_stderr {
                        eprint!("{text}");
                    } else {
                        print!("{text}");
                    }
                }
                #[cfg(target_arch = "wasm32")]
                let _ = to_stderr;
                return Ok(());
            }
            Target::Blackhole => return Ok(()),
            _ => {}
        }
        for b in batches {
            for i in 0..b.len() {
                let kind = b.kind(i);
                if kind != RowKind::Insert && !matches!(self.encoder, Encoder::Debezium(_)) {
                    return Err(format!(
                        "the sink is append-only but the query produces updates ({}); write a windowed aggregation, or into a print or blackhole table",
                        kind.short()
                    ));
                }
                let row = b.row(i, types);
                self.buffer.clear();
                self.encoder.encode(kind, &row, &mut self.buffer);
                match &mut self.target {
                    Target::Local(name) => {
                        let key: String = if self.partition_columns.is_empty() {
                            format!("{}", now_ms.wrapping_add(i as i64))
                        } else {
                            self.partition_columns.iter().map(|&c| row[c].to_string()).collect::<Vec<_>>().join("|")
                        };
                        let stream = streams.get_mut(name).ok_or_else(|| format!("local stream `{name}` is gone"))?;
                        stream.put_record(&key, self.buffer.clone(), now_ms);
                    }
                    #[cfg(not(target_arch = "wasm32"))]
                    Target::File(f) => f.write_line(&self.buffer)?,
                    Target::Print { .. } | Target::Blackhole | Target::Kafka(_) => {}
                }
            }
        }
        #[cfg(not(target_arch = "wasm32"))]
        if let Target::File(f) = &mut self.target {
            f.flush()?;
        }
        Ok(())
    }
}
