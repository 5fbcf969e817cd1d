//! The command line's arguments, read with lexopt: `--name value` and `--name=value`, `--` to
//! end the flags, `-h`/`--help` on every subcommand, and arguments that are not UTF-8 refused
//! with an error rather than a panic (`std::env::args` panics on them).

use std::ffi::OsString;

pub use lexopt::prelude::*;
pub use lexopt::{Arg, Parser};

/// What a subcommand's arguments asked for: to run with these options, or its help.
pub enum Parsed<T> {
    Run(T),
    Help,
}

/// A flag's value as text.
pub fn text(parser: &mut Parser, flag: &str) -> Result<String, String> {
    let value = parser.value().map_err(|_| format!("{flag} needs a value"))?;
    utf8(value, flag)
}

/// A flag's value as a number (`_` allowed between digits).
pub fn number<T: std::str::FromStr>(parser: &mut Parser, flag: &str, what: &str) -> Result<T, String> {
    let value = text(parser, flag)?;
    value.replace('_', "").parse().map_err(|_| format!("{flag} takes {what}, not `{value}`"))
}

/// An argument as text, or an error naming it.
pub fn utf8(value: OsString, what: &str) -> Result<String, String> {
    value.into_string().map_err(|v| format!("{what}: `{}` is not valid UTF-8", v.to_string_lossy()))
}

/// An argument the subcommand does not take.
pub fn unexpected(arg: Arg<'_>) -> String {
    match arg {
        Short(c) => format!("unexpected argument `-{c}`"),
        Long(name) => format!("unexpected argument `--{name}`"),
        Value(v) => format!("unexpected argument `{}`", v.to_string_lossy()),
    }
}

/// The next argument, lexopt's own errors (a value given to a switch: `--table=yes`) as text.
pub fn next(parser: &mut Parser) -> Result<Option<Arg<'_>>, String> {
    parser.next().map_err(|e| e.to_string())
}
