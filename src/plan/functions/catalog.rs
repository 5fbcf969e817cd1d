//! Catalog functions (Flink's reference, "catalog"): where the session's names live. Sluice has
//! one catalog with one database, named as Flink names its defaults (`default_catalog`,
//! `default_database`), so the answer is a constant.

use super::typing::str_value;
use super::{Eval, Family, FunctionDef};
use crate::types::{DataType, SqlType, STRING_LENGTH};

use crate::plan::catalog::DEFAULT_DATABASE;

pub static FUNCTIONS: &[FunctionDef] = &[FunctionDef {
    name: "CURRENT_DATABASE",
    aliases: &[],
    family: Family::Catalog,
    syntax: "CURRENT_DATABASE()",
    returns: "STRING NOT NULL",
    description: "The name of the current database.",
    example: "CURRENT_DATABASE() = 'default_database'",
    arity: (0, 0),
    deterministic: true,
    listed: true,
    typing: |_, _| Ok(SqlType::not_null(DataType::Varchar(STRING_LENGTH))),
    eval: Eval::Lenient(|_| Ok(str_value(DEFAULT_DATABASE))),
}];
