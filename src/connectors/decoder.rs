//! The decoder a table's `format` calls for.

use super::format::json::{JsonDecoder, JsonOptions};
use crate::plan::catalog::TableDef;
use crate::types::{Batch, Field};

pub struct Decoder {
    json: JsonDecoder,
}

impl Decoder {
    pub fn decode(&mut self, record: &[u8]) -> Result<(), super::format::json::DecodeError> {
        self.json.decode(record)
    }

    pub fn finish(&mut self) -> Batch {
        self.json.finish()
    }

    /// Records skipped because `json.ignore-parse-errors` is set.
    pub fn skipped(&self) -> u64 {
        self.json.skipped()
    }
}

pub fn decoder_for(table: &TableDef, fields: &[Field]) -> Result<Decoder, String> {
    let options = JsonOptions::from_table_options(&table.options)?;
    Ok(Decoder { json: JsonDecoder::new(fields, options) })
}
