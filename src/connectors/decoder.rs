//! The decoder a table's `format` calls for (or, for `datagen`, the maker of its rows).

use super::datagen::{DatagenDecoder, DatagenOptions};
use super::format::avro::AvroDecoder;
use super::format::csv::{CsvDecoder, CsvOptions};
use super::format::debezium::DebeziumDecoder;
use super::format::json::{JsonDecoder, JsonOptions};
use super::format::raw::{self, RawDecoder};
use super::kafka::options::KafkaTable;
use super::kafka::source::{KafkaDecoder, RecordRef};
use crate::plan::catalog::TableDef;
use crate::types::{Batch, Field};

pub enum Decoder {
    Json(JsonDecoder),
    Csv(CsvDecoder),
    Raw(RawDecoder),
    /// `avro` (Kafka keys and values).
    Avro(AvroDecoder),
    /// `debezium-json`: rows with their kinds.
    Debezium(Box<DebeziumDecoder>),
    Datagen(DatagenDecoder),
    /// A Kafka table's key, value and metadata.
    Kafka(Box<KafkaDecoder>),
}

impl Decoder {
    /// Decodes one record into the pending batch; the error names the record and what was wrong.
    pub fn decode(&mut self, record: &[u8]) -> Result<(), String> {
        match self {
            Decoder::Json(d) => d.decode(record).map_err(|e| e.to_string()),
            Decoder::Csv(d) => d.decode(record),
            Decoder::Debezium(d) => d.decode(record),
            Decoder::Avro(d) => d.decode(record),
            Decoder::Raw(d) => {
                d.decode(record);
                Ok(())
            }
            Decoder::Datagen(d) => d.decode(record),
            Decoder::Kafka(_) => Err("a Kafka table reads Kafka records, not bytes".into()),
        }
    }

    /// Decodes one record a source handed over (bytes, or a Kafka record with its metadata).
    pub fn decode_record(&mut self, record: RecordRef<'_>) -> Result<(), String> {
        match (self, record) {
            (Decoder::Kafka(d), RecordRef::Kafka { topic, record, split }) => d.decode(topic, record, split),
            (Decoder::Kafka(_), RecordRef::Bytes(_)) => Err("a Kafka table reads Kafka records, not bytes".into()),
            (d, RecordRef::Bytes(bytes)) => d.decode(bytes),
            // A value read as bytes by a table that is not Kafka's (never built so).
            (d, RecordRef::Kafka { record, .. }) => record.value.as_deref().map_or(Ok(()), |v| d.decode(v)),
        }
    }

    /// The split (Kafka topic partition) of each row the last [`Decoder::finish`] returned,
    /// when the source has splits that keep their own watermarks.
    pub fn take_splits(&mut self) -> Option<Vec<u32>> {
        match self {
            Decoder::Kafka(d) => Some(d.take_splits()),
            _ => None,
        }
    }

    /// How many rows a record decoded into, for a format that may give several or none per
    /// record (a changelog format); `None` for one row per record.
    pub fn pending_rows(&self) -> Option<usize> {
        match self {
            Decoder::Debezium(d) => Some(d.rows()),
            _ => None,
        }
    }

    pub fn finish(&mut self) -> Batch {
        match self {
            Decoder::Json(d) => d.finish(),
            Decoder::Csv(d) => d.finish(),
            Decoder::Debezium(d) => d.finish(),
            Decoder::Avro(d) => d.finish(),
            Decoder::Raw(d) => d.finish(),
            Decoder::Datagen(d) => d.finish(),
            Decoder::Kafka(d) => d.finish(),
        }
    }

    /// Decodes only the fields `read` marks, where the format takes a projection (JSON, CSV);
    /// the others decode every field. See [`takes_projection`] for which tables get one.
    fn project(&mut self, read: &[bool]) {
        match self {
            Decoder::Json(d) => d.project(read),
            Decoder::Csv(d) => d.project(read),
            _ => {}
        }
    }

    /// Records skipped because the format's `*.ignore-parse-errors` is set.
    pub fn skipped(&self) -> u64 {
        match self {
            Decoder::Json(d) => d.skipped(),
            Decoder::Csv(d) => d.skipped(),
            Decoder::Debezium(d) => d.skipped(),
            Decoder::Kafka(d) => d.skipped(),
            Decoder::Raw(_) | Decoder::Avro(_) | Decoder::Datagen(_) => 0,
        }
    }
}

/// Whether `table`'s source takes the query's projection into its format, so that fields no
/// query reads are not decoded (and a bad value there is no error): a filesystem table's, as
/// Flink's `FileSystemTableSource` pushes projections into a projectable format. Flink's Kafka
/// and Kinesis sources do not, so their formats decode every field.
pub fn takes_projection(table: &TableDef) -> bool {
    table.connector() == "filesystem"
}

/// The decoder for `table`'s records; `read`, the fields the query reads where the caller pushes
/// a projection into the format (see [`takes_projection`]); `seed` makes `datagen` rows repeatable.
pub fn decoder_for(table: &TableDef, fields: &[Field], read: Option<&[bool]>, seed: u64) -> Result<Decoder, String> {
    if table.connector() == "datagen" {
        return Ok(Decoder::Datagen(DatagenDecoder::new(fields, &DatagenOptions::from_table(table)?, seed)));
    }
    if matches!(table.connector(), "kafka" | "upsert-kafka") {
        return Ok(Decoder::Kafka(Box::new(KafkaDecoder::new(&KafkaTable::from_table(table)?, fields)?)));
    }
    decoder_for_format(table.option("format").unwrap_or("json"), fields, &table.options, read)
}

/// The decoder of `format` for `fields`, with the format's options (`json.*`, `csv.*`, `raw.*`),
/// decoding only the fields `read` marks where the format takes a projection.
pub fn decoder_for_format(format: &str, fields: &[Field], options: &[(String, String)], read: Option<&[bool]>) -> Result<Decoder, String> {
    let mut decoder = match format {
        "csv" => {
            crate::connectors::format::csv::check_fields(fields)?;
            Decoder::Csv(CsvDecoder::new(fields, CsvOptions::from_table_options(options)?))
        }
        "raw" => {
            raw::check(fields, options)?;
            Decoder::Raw(RawDecoder::new(fields))
        }
        "debezium-json" => Decoder::Debezium(Box::new(DebeziumDecoder::new(fields, options)?)),
        "avro" => {
            super::format::avro::check(fields, options)?;
            Decoder::Avro(AvroDecoder::new(fields))
        }
        _ => Decoder::Json(JsonDecoder::new(fields, JsonOptions::from_table_options(options)?)),
    };
    if let Some(read) = read {
        decoder.project(read);
    }
    Ok(decoder)
}
