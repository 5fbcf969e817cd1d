//! Sluice's one error type: every rejected statement and every failed job says what kind of
//! problem it is, where (line:column, when the text is to blame), what, and a hint. Errors of
//! other layers (connectors' messages, the engine's `EvalError`) become one at the session's
//! door; the kind never changes the text a user reads.

use std::fmt;

/// A 1-based position in the SQL text the user typed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub struct Location {
    pub line: u32,
    pub column: u32,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// What kind of problem an error is, for whoever handles it (the text says the rest).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The text is not SQL in Flink's dialect.
    Parse,
    /// The statement is SQL but cannot run as written: an unknown name, a wrong type, a
    /// setting's bad value, a query shape Flink refuses.
    #[default]
    Plan,
    /// A connector or format cannot be opened, read or written: a missing file, a bad option,
    /// a stream that failed.
    Connector,
    /// A job failed while it ran: an expression that fails on a row, a record that cannot be read.
    Runtime,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SqlError {
    pub kind: ErrorKind,
    /// Where the problem is, when it can be pinned to a place in the text.
    pub location: Option<Location>,
    pub message: String,
    /// What to do about it (a close column name, the form Flink expects, …).
    pub hint: Option<String>,
}

impl SqlError {
    /// A statement that cannot run as written ([`ErrorKind::Plan`]).
    pub fn new(message: impl Into<String>) -> Self {
        SqlError { kind: ErrorKind::Plan, location: None, message: message.into(), hint: None }
    }
    /// A connector's refusal or failure, from its message.
    pub fn connector(message: impl Into<String>) -> Self {
        SqlError::new(message).kind(ErrorKind::Connector)
    }
    /// A job's failure while it ran, from its message.
    pub fn runtime(message: impl Into<String>) -> Self {
        SqlError::new(message).kind(ErrorKind::Runtime)
    }
    pub fn kind(mut self, kind: ErrorKind) -> Self {
        self.kind = kind;
        self
    }
    pub fn at(mut self, location: Location) -> Self {
        if location.line > 0 {
            self.location = Some(location);
        }
        self
    }
    /// Sets the location only if none is known yet (inner errors are more precise).
    pub fn or_at(self, location: Location) -> Self {
        if self.location.is_some() {
            self
        } else {
            self.at(location)
        }
    }
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for SqlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(loc) = self.location {
            write!(f, "{loc}: ")?;
        }
        f.write_str(&self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

impl std::error::Error for SqlError {}

pub type Result<T, E = SqlError> = std::result::Result<T, E>;
