//! Flink's `raw` format: the whole record is the value of the table's one physical column
//! (STRING), and back. Flink's `raw.charset` is UTF-8 only here.

use crate::types::{Batch, Column, Field, Value};

/// Checks that the table fits the raw format: one physical column, a string.
pub fn check(fields: &[Field], options: &[(String, String)]) -> Result<(), String> {
    for (k, v) in options.iter().filter(|(k, _)| k.starts_with("raw.")) {
        match k.as_str() {
            "raw.charset" if v.eq_ignore_ascii_case("UTF-8") => {}
            "raw.endianness" => {}
            _ => return Err(format!("'{k}' = '{v}' is not supported by the raw format here (only 'raw.charset' = 'UTF-8')")),
        }
    }
    match fields {
        [f] if f.ty.data_type.is_string() => Ok(()),
        [f] => Err(format!("the raw format needs a STRING column, but `{}` is {}", f.name, f.ty.data_type)),
        _ => Err(format!(
            "The 'raw' format only supports single physical column. However the defined schema contains multiple physical columns: {}",
            fields.len()
        )),
    }
}

pub struct RawDecoder {
    column: Column,
    ty: crate::types::DataType,
    len: usize,
}

impl RawDecoder {
    pub fn new(fields: &[Field]) -> Self {
        let ty = fields.first().map_or(crate::types::DataType::Varchar(crate::types::STRING_LENGTH), |f| f.ty.data_type.clone());
        RawDecoder { column: Column::empty(&ty, 1024), ty, len: 0 }
    }

    /// Every record is a value; bytes that are not UTF-8 are replaced, never refused.
    pub fn decode(&mut self, record: &[u8]) {
        self.column.push(&Value::Str(String::from_utf8_lossy(record).as_ref().into()));
        self.len += 1;
    }

    pub fn finish(&mut self) -> Batch {
        let column = std::mem::replace(&mut self.column, Column::empty(&self.ty, self.len.max(1024)));
        Batch::new(vec![column], std::mem::take(&mut self.len))
    }
}

/// The record for a row: its one value's text (NULL writes an empty record).
pub fn encode(row: &[Value], out: &mut Vec<u8>) {
    match row.first() {
        Some(Value::Str(s)) => out.extend_from_slice(s.as_bytes()),
        Some(Value::Null) | None => {}
        Some(other) => out.extend_from_slice(other.to_string().as_bytes()),
    }
}
