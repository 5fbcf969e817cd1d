//! SQL text → statements: Flink's dialect over sqlparser, and the errors it reports.
//!
//! [`parse_script`] splits a paragraph into [`Located`] statements. Queries and expressions
//! stay in sqlparser's AST; Flink's DDL and client statements get our own [`ast`] types.

pub mod ast;
mod ddl;
pub mod dialect;
mod error;
pub mod hints;
mod json;
pub mod on_conflict;
mod parser;
mod reserved;
pub mod walk;
pub mod within;

pub use ast::{Located, Statement};
pub use ddl::parse_type_text;
pub use error::{ErrorKind, Location, Result, SqlError};
pub use parser::{parse_expr, parse_script};
pub use reserved::is_reserved_word;
