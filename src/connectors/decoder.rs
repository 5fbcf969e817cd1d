//! The decoder a table's `format` calls for (or, for `datagen`, the maker of its rows).

use super::datagen::{DatagenDecoder, DatagenOptions};
use super::format::csv::{CsvDecoder, CsvOptions};
use super::format::json::{JsonDecoder, JsonOptions};
use super::format::raw::{self, RawDecoder};
use crate::plan::catalog::TableDef;
use crate::types::{Batch, Field};

pub enum Decoder {
    Json(JsonDecoder),
    Csv(CsvDecoder),
    Raw(RawDecoder),
    Datagen(DatagenDecoder),
}

impl Decoder {
    /// Decodes one record into the pending batch; the error names the record and what was wrong.
    pub fn decode(&mut self, record: &[u8]) -> Result<(), String> {
        match self {
            Decoder::Json(d) => d.decode(record).map_err(|e| e.to_string()),
            Decoder::Csv(d) => d.decode(record),
            Decoder::Raw(d) => {
                d.decode(record);
                Ok(())
            }
            Decoder::Datagen(d) => d.decode(record),
        }
    }

    pub fn finish(&mut self) -> Batch {
        match self {
            Decoder::Json(d) => d.finish(),
            Decoder::Csv(d) => d.finish(),
            Decoder::Raw(d) => d.finish(),
            Decoder::Datagen(d) => d.finish(),
        }
    }

    /// Records skipped because the format's `*.ignore-parse-errors` is set.
    pub fn skipped(&self) -> u64 {
        match self {
            Decoder::Json(d) => d.skipped(),
            Decoder::Csv(d) => d.skipped(),
            Decoder::Raw(_) | Decoder::Datagen(_) => 0,
        }
    }
}

/// The decoder for `table`'s records; `seed` makes `datagen` rows repeatable.
pub fn decoder_for(table: &TableDef, fields: &[Field], seed: u64) -> Result<Decoder, String> {
    if table.connector() == "datagen" {
        return Ok(Decoder::Datagen(DatagenDecoder::new(fields, &DatagenOptions::from_table(table)?, seed)));
    }
    match table.option("format") {
        Some("csv") => {
            crate::connectors::format::csv::check_fields(fields)?;
            Ok(Decoder::Csv(CsvDecoder::new(fields, CsvOptions::from_table_options(&table.options)?)))
        }
        Some("raw") => {
            raw::check(fields, &table.options)?;
            Ok(Decoder::Raw(RawDecoder::new(fields)))
        }
        _ => Ok(Decoder::Json(JsonDecoder::new(fields, JsonOptions::from_table_options(&table.options)?))),
    }
}
