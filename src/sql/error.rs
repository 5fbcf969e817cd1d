//! The error every rejected statement produces: where (line:column), what, and a hint.

use std::fmt;

/// A 1-based position in the SQL text the user typed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    pub line: u32,
    pub column: u32,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SqlError {
    /// Where the problem is, when it can be pinned to a place in the text.
    pub location: Option<Location>,
    pub message: String,
    /// What to do about it (a close column name, the form Flink expects, …).
    pub hint: Option<String>,
}

impl SqlError {
    pub fn new(message: impl Into<String>) -> Self {
        SqlError { location: None, message: message.into(), hint: None }
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
