//! Where the engine's errors become Sluice's one error type ([`SqlError`]) at the session's
//! door, so `?` carries them with their kind: a plan the engine cannot build is a
//! [`ErrorKind::Plan`] error, an expression failing on a row a [`ErrorKind::Runtime`] one.
//! Connectors say why in a `String`; `SqlError::connector` takes those. The location is added
//! once, for the statement that failed, by `Session::execute_one`.

use crate::engine::eval::EvalError;
use crate::engine::pipeline::BuildError;
use crate::sql::{ErrorKind, SqlError};

impl From<EvalError> for SqlError {
    fn from(e: EvalError) -> Self {
        SqlError::new(e.0).kind(ErrorKind::Runtime)
    }
}

impl From<BuildError> for SqlError {
    fn from(e: BuildError) -> Self {
        SqlError::new(e.0).kind(ErrorKind::Plan)
    }
}
