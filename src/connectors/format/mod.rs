//! Record formats: how bytes on a stream become rows and back.

pub mod avro;
pub mod csv;
pub mod debezium;
pub mod json;
pub mod raw;

/// A boolean format option (`'json.ignore-parse-errors' = 'true'`); absent is false.
pub(crate) fn bool_option(options: &[(String, String)], key: &str) -> Result<bool, String> {
    match options.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str()) {
        None => Ok(false),
        Some(v) if v.eq_ignore_ascii_case("true") => Ok(true),
        Some(v) if v.eq_ignore_ascii_case("false") => Ok(false),
        Some(v) => Err(format!("'{key}' = '{v}' is not a boolean (true or false)")),
    }
}
