//! Every built-in scalar function, described once: its SQL name and aliases, how it is called,
//! the result type Flink gives it, nullability, determinism, a one-line description with an
//! example, and how it is evaluated. The binder types calls from here, the engine evaluates
//! them from here, and `SHOW FUNCTIONS`, `DESCRIBE FUNCTION`, EXPLAIN and the editor's
//! completion read their names and help text from here.
//!
//! The shape is DataFusion's (`datafusion/functions/src/string/upper.rs`): a family per file
//! (`string.rs`, `math.rs`, `temporal.rs`, `conditional.rs`, `hash.rs`, `collection.rs`, `json.rs`, `catalog.rs`,
//! `binary.rs`), each function one
//! [`FunctionDef`] entry holding its typing rule and its evaluator side by side. Adding a
//! function is adding one entry. Flink's reference is `docs/data/sql_functions.yml` and its
//! `BuiltInFunctionDefinitions`; the behaviour each entry copies is Flink's runtime class
//! (`SqlFunctionUtils`, `functions/scalar/*`), checked against real Flink by
//! `tests/functions/` (see `tests/function_conformance.rs`).
//!
//! Evaluation is row by row over [`Value`]s for most functions ([`Eval::Strict`]: NULL in,
//! NULL out; [`Eval::Lenient`]: sees the NULLs). The few that need the engine — the clock,
//! the watermark, random numbers, and the regular-expression matcher that lives in
//! `engine/regex.rs` — name an engine [`Kernel`]; a handful are rewritten by the binder into
//! other expressions ([`Eval::Rewrite`], e.g. `MOD(a, b)` is `a % b`).

mod binary;
mod catalog;
mod collection;
mod conditional;
mod hash;
pub(crate) mod json;
mod math;
mod non_scalar;
mod printf;
mod string;
mod temporal;
mod typing;
pub mod user;

use std::fmt;
use std::sync::OnceLock;

use super::expr::Expr;
use crate::types::{SqlType, Value};

pub use collection::ITEM;
pub use conditional::IS_DISTINCT_FROM;
pub use non_scalar::{NonScalar, NON_SCALAR};
pub use temporal::{CEIL_TIME, EXTRACT, FLOOR_TIME, LTZ_TO_TIMESTAMP, TIMESTAMP_ADD_MS, TIMESTAMP_TO_LTZ};

/// Which part of Flink's function reference a function belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    Arithmetic,
    String,
    Temporal,
    Conditional,
    Hash,
    Collection,
    Binary,
    Json,
    Catalog,
}

impl Family {
    pub fn name(self) -> &'static str {
        match self {
            Family::Arithmetic => "arithmetic",
            Family::String => "string",
            Family::Temporal => "temporal",
            Family::Conditional => "conditional",
            Family::Hash => "hash",
            Family::Collection => "collection",
            Family::Binary => "binary",
            Family::Json => "json",
            Family::Catalog => "catalog",
        }
    }
}

/// Types a call's arguments (checking them, inserting casts) and gives the result type.
pub type Typing = fn(&FunctionDef, &mut [Expr]) -> Result<SqlType, String>;

/// How a function computes its value.
#[derive(Clone, Copy)]
pub enum Eval {
    /// NULL if any argument is NULL; otherwise the function of the arguments' values. An
    /// `Err` stops the query with the function's name and the message.
    Strict(fn(&[Value]) -> Result<Value, String>),
    /// Called with NULL arguments as they are (COALESCE, CONCAT_WS, IFNULL…).
    Lenient(fn(&[Value]) -> Result<Value, String>),
    /// Evaluated by the engine (`engine/eval.rs`), which holds what it needs.
    Kernel(Kernel),
    /// Rewritten by the binder into another expression of the same meaning.
    Rewrite(fn(Vec<Expr>) -> Result<Expr, String>),
}

/// The functions the engine evaluates itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kernel {
    /// The processing-time clock as a TIMESTAMP/TIMESTAMP_LTZ (fixed for a batch).
    Now,
    CurrentDate,
    CurrentTime,
    /// `UNIX_TIMESTAMP()` reads the clock; with arguments it parses them.
    UnixTimestamp,
    /// The watermark the row arrived under; NULL before the first one.
    CurrentWatermark,
    Rand,
    RandInteger,
    Uuid,
    Regexp,
    RegexpExtract,
    RegexpExtractAll,
    RegexpReplace,
    RegexpCount,
    RegexpInstr,
    RegexpSubstr,
}

impl Kernel {
    /// The REGEXP family, whose constant patterns the pipeline checks before a query starts.
    pub fn is_regex(self) -> bool {
        matches!(
            self,
            Kernel::Regexp
                | Kernel::RegexpExtract
                | Kernel::RegexpExtractAll
                | Kernel::RegexpReplace
                | Kernel::RegexpCount
                | Kernel::RegexpInstr
                | Kernel::RegexpSubstr
        )
    }
}

/// One built-in scalar function.
pub struct FunctionDef {
    /// The SQL name (upper case), as Flink's reference spells it.
    pub name: &'static str,
    /// Other names for the same function (`CEILING` for `CEIL`).
    pub aliases: &'static [&'static str],
    pub family: Family,
    /// How it is called: `LPAD(string, length, pad)`; several forms separated by ` | `.
    pub syntax: &'static str,
    /// The result type, as Flink infers it.
    pub returns: &'static str,
    pub description: &'static str,
    /// A call and its value: `LPAD('hi', 4, '??')` = `'??hi'`.
    pub example: &'static str,
    /// The least and most arguments (`usize::MAX`: any number).
    pub arity: (usize, usize),
    /// FALSE for RAND, UUID, the clock: evaluated anew for every row.
    pub deterministic: bool,
    /// Found by name and listed by SHOW FUNCTIONS; FALSE for the binder's own forms
    /// (`FLOOR(ts TO MINUTE)` binds to an unlisted function).
    pub listed: bool,
    pub typing: Typing,
    pub eval: Eval,
}

impl FunctionDef {
    /// The text `DESCRIBE FUNCTION` and the editor's help show.
    pub fn help(&self) -> String {
        format!("{} → {}. {} Example: {}", self.syntax, self.returns, self.description, self.example)
    }
}

/// A bound function: a reference to its entry in the table.
#[derive(Clone, Copy)]
pub struct Function(&'static FunctionDef);

impl Function {
    pub fn of(def: &'static FunctionDef) -> Function {
        Function(def)
    }
    pub fn def(self) -> &'static FunctionDef {
        self.0
    }
    pub fn name(self) -> &'static str {
        self.0.name
    }
    /// The engine kernel that evaluates it, if any.
    pub fn kernel(self) -> Option<Kernel> {
        match self.0.eval {
            Eval::Kernel(k) => Some(k),
            _ => None,
        }
    }
}

impl PartialEq for Function {
    fn eq(&self, other: &Function) -> bool {
        std::ptr::eq(self.0, other.0)
    }
}

impl Eq for Function {}

impl fmt::Debug for Function {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.name)
    }
}

const FAMILIES: &[&[FunctionDef]] = &[
    math::FUNCTIONS,
    string::FUNCTIONS,
    temporal::FUNCTIONS,
    conditional::FUNCTIONS,
    hash::FUNCTIONS,
    collection::FUNCTIONS,
    binary::FUNCTIONS,
    json::FUNCTIONS,
    catalog::FUNCTIONS,
];

/// Every scalar function the table lists (the binder's own forms left out).
pub fn all() -> impl Iterator<Item = &'static FunctionDef> {
    FAMILIES.iter().flat_map(|f| f.iter()).filter(|d| d.listed)
}

/// The scalar function called `name` (any case, aliases included).
pub fn lookup(name: &str) -> Option<Function> {
    all().find(|d| d.name.eq_ignore_ascii_case(name) || d.aliases.iter().any(|a| a.eq_ignore_ascii_case(name))).map(Function)
}

/// Every function name Sluice knows, scalar or not, aliases included, sorted: what SHOW
/// FUNCTIONS lists and the editor completes.
pub fn names() -> &'static [&'static str] {
    static NAMES: OnceLock<Vec<&'static str>> = OnceLock::new();
    NAMES.get_or_init(|| {
        let mut names: Vec<&'static str> = all().flat_map(|d| std::iter::once(d.name).chain(d.aliases.iter().copied())).collect();
        names.extend(NON_SCALAR.iter().map(|f| f.name));
        names.sort_unstable();
        names.dedup();
        names
    })
}

/// Help for any function name: a scalar function's syntax, type, description and example, or
/// an aggregate's, window function's or table function's.
pub fn help(name: &str) -> Option<String> {
    if let Some(f) = lookup(name) {
        return Some(f.def().help());
    }
    NON_SCALAR.iter().find(|f| f.name.eq_ignore_ascii_case(name)).map(|f| format!("{} ({}). {}", f.syntax, f.kind, f.description))
}

/// The known names closest to a misspelt one, best first (at most three).
pub fn suggestions(name: &str) -> Vec<&'static str> {
    let lower = name.to_lowercase();
    let mut scored: Vec<(usize, &'static str)> = names()
        .iter()
        .map(|c| (super::bind::edit_distance(&lower, &c.to_lowercase()), *c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .collect();
    scored.sort_by_key(|(d, c)| (*d, *c));
    scored.into_iter().take(3).map(|(_, c)| c).collect()
}

/// Checks a call's argument count and types it: the binder's one door to the table.
pub fn bind_call(func: Function, mut args: Vec<Expr>) -> Result<Expr, String> {
    let def = func.def();
    let (min, max) = def.arity;
    if args.len() < min || args.len() > max {
        let count = match (min, max) {
            (a, b) if a == b => format!("{a} argument{}", if a == 1 { "" } else { "s" }),
            (a, usize::MAX) => format!("at least {a} argument{}", if a == 1 { "" } else { "s" }),
            (a, b) => format!("{a} to {b} arguments"),
        };
        return Err(format!("{} takes {count}, got {}: {}", def.name, args.len(), def.syntax));
    }
    if let Eval::Rewrite(rewrite) = def.eval {
        return rewrite(args);
    }
    let ty = (def.typing)(def, &mut args)?;
    temporal::in_session_zone(Expr { kind: super::expr::ExprKind::Call { func, args }, ty })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_across_the_table() {
        let mut seen = std::collections::HashSet::new();
        for d in all() {
            for n in std::iter::once(d.name).chain(d.aliases.iter().copied()) {
                assert!(seen.insert(n), "{n} is described twice");
            }
        }
    }

    #[test]
    fn the_binders_own_names_are_in_the_table() {
        for n in ["FLOOR", "CEIL", "OVERLAY", "SUBSTRING", "POSITION", "TRIM", "LTRIM", "RTRIM", "TIMESTAMPADD", "TIMESTAMPDIFF", "EXTRACT"]
        {
            assert!(lookup(n).is_some(), "{n}");
        }
        assert!(Function::of(&FLOOR_TIME) != lookup("FLOOR").unwrap());
    }

    #[test]
    fn every_listed_function_has_help_text() {
        for d in all() {
            assert!(!d.description.is_empty() && !d.example.is_empty() && d.syntax.starts_with(d.name), "{} lacks help", d.name);
        }
    }

    #[test]
    fn show_functions_lists_aliases_flink_documents() {
        for n in ["CEILING", "CHARACTER_LENGTH", "SUBSTR", "CURRENT_ROW_TIMESTAMP", "LPAD", "COUNT", "TUMBLE"] {
            assert!(names().contains(&n), "{n} missing");
        }
    }

    #[test]
    fn a_misspelt_name_suggests_the_closest() {
        assert_eq!(suggestions("UPPPER").first(), Some(&"UPPER"));
        assert!(suggestions("LPADD").contains(&"LPAD"));
    }
}
