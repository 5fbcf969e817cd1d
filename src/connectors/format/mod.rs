//! Record formats: how bytes on a stream become rows and back.

pub mod avro;
pub mod csv;
pub mod debezium;
pub mod json;
pub mod raw;

/// The fields a query reads, when it reads fewer than all: Flink pushes a query's projection
/// into a filesystem table's format, which leaves the other fields NULL without converting them,
/// so a bad or missing value there is no error. The default reads every field.
#[derive(Clone, Debug, Default)]
pub(crate) struct Projection(Option<Vec<bool>>);

impl Projection {
    /// `read` marks which of a format's `fields` fields are read; marking them all is no
    /// projection.
    pub(crate) fn new(read: &[bool], fields: usize) -> Self {
        Projection((read.len() == fields && read.contains(&false)).then(|| read.to_vec()))
    }

    /// Whether field `i` is left unread.
    pub(crate) fn skips(&self, i: usize) -> bool {
        self.0.as_ref().is_some_and(|r| r.get(i) == Some(&false))
    }
}

/// A boolean format option (`'json.ignore-parse-errors' = 'true'`); absent is false.
pub(crate) fn bool_option(options: &[(String, String)], key: &str) -> Result<bool, String> {
    match options.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str()) {
        None => Ok(false),
        Some(v) if v.eq_ignore_ascii_case("true") => Ok(true),
        Some(v) if v.eq_ignore_ascii_case("false") => Ok(false),
        Some(v) => Err(format!("'{key}' = '{v}' is not a boolean (true or false)")),
    }
}
