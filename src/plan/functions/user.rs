//! User-defined functions: functions a user registered in the session (today, in Python), known
//! to the catalog by name, typed by the binder and evaluated by the engine a batch at a time
//! through a [`UserFunctionHost`].
//!
//! This file is the seam between Sluice's engine and Python. The engine stays plain Rust: it
//! knows a user function only by its [`UserFunction`] entry (name, kind, types, target) and
//! calls whatever host the session was given. In the page, the Web Worker that runs the session
//! sets a host backed by Pyodide; tests set a Rust one (`tests/user_functions.rs`); natively,
//! with no host, calling a Python function is an error that says where Python runs.
//!
//! The shape, for hosts:
//!
//! ```text
//! Session::set_user_function_host(Rc<dyn UserFunctionHost>)   once; replaces the previous host
//! Session::register_user_function(UserFunction)               what @udf/@udtf registration does
//! Session::execute("CREATE TEMPORARY FUNCTION f AS 'mod.f' LANGUAGE PYTHON")
//!     → UserFunctionHost::describe("mod.f") gives the signature (Flink reads it from the
//!       Python object's @udf(result_type=…)), then the function is registered
//! SELECT f(x) FROM t
//!     → per batch: UserFunctionHost::call_scalar(&f, &[column of x as Values]) → one Value per row
//! SELECT … FROM t, LATERAL TABLE(g(x)) [AS T(a, b)]
//!     → per batch: UserFunctionHost::call_table(&g, …) → for each input row, the rows it yields
//! ```
//!
//! Resolution follows Flink's `FunctionCatalog.lookupFunction` for a one-part name: temporary
//! system functions, then built-ins, then temporary catalog functions, then catalog functions.
//! Sluice's user functions are all temporary; a `SYSTEM` one shadows a built-in of the same name
//! (as `CREATE TEMPORARY SYSTEM FUNCTION` does in Flink), any other is found after the built-ins.
//! Names are case-insensitive, as Flink's function identifiers are normalized.
//!
//! Evaluation is vectorized: the engine collects a batch's argument columns as [`Value`]s
//! (`args[i][r]` is argument `i` of row `r`), makes ONE host call, and continues with the
//! returned column; a host error fails that job with the row shown, and other jobs go on.

use std::fmt;
use std::sync::Arc;

use crate::plan::bind::cast_if_needed;
use crate::plan::expr::{Expr, ExprKind};
use crate::types::{DataType, Field, SqlType, Value};

/// Scalar (one value per row, `@udf`) or table (rows per row, `@udtf`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum UserFunctionKind {
    Scalar,
    Table,
}

impl UserFunctionKind {
    /// As `SHOW USER FUNCTIONS` and errors say it.
    pub fn name(self) -> &'static str {
        match self {
            UserFunctionKind::Scalar => "scalar",
            UserFunctionKind::Table => "table",
        }
    }
}

/// The language a function is written in, as `CREATE FUNCTION … LANGUAGE` names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum FunctionLanguage {
    Python,
}

/// What a host reports about a Python object: its kind and types.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct UserSignature {
    pub kind: UserFunctionKind,
    /// The input types (`@udf(input_types=…)`), or `None` to take the arguments as they come.
    pub params: Option<Vec<DataType>>,
    /// A scalar function's result type, or a table function's row: `ROW<word STRING, n INT>`
    /// (a table function with one result column may give that column's type; it is then the
    /// row's one field, named `f0` as Flink names it).
    pub result: DataType,
    pub deterministic: bool,
}

/// A function a user defined, known to the catalog by name.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct UserFunction {
    /// As registered; looked up case-insensitively.
    pub name: String,
    pub kind: UserFunctionKind,
    /// The input types the arguments are cast to, or `None` for any arguments.
    pub params: Option<Vec<DataType>>,
    /// A scalar function's result type; a table function's `ROW<…>` of result columns.
    pub result: DataType,
    /// What the host calls: `module.func` from `CREATE FUNCTION … AS 'module.func'`, or the
    /// key a Python registration (`create_temporary_function`) chose.
    pub target: String,
    pub deterministic: bool,
    pub language: FunctionLanguage,
    /// `CREATE TEMPORARY SYSTEM FUNCTION`: shadows a built-in of the same name.
    pub system: bool,
    /// FALSE for a `CREATE FUNCTION … LANGUAGE PYTHON` run where no host could say its types
    /// (natively): kept so the script goes on, refused where a query calls it.
    pub described: bool,
}

impl UserFunction {
    /// A function from a host's signature.
    pub fn new(name: &str, target: &str, signature: UserSignature) -> UserFunction {
        UserFunction {
            name: name.to_string(),
            kind: signature.kind,
            params: signature.params,
            result: signature.result,
            target: target.to_string(),
            deterministic: signature.deterministic,
            language: FunctionLanguage::Python,
            system: false,
            described: true,
        }
    }

    /// A function whose types no host has told yet.
    pub fn undescribed(name: &str, target: &str) -> UserFunction {
        let signature = UserSignature { kind: UserFunctionKind::Scalar, params: None, result: DataType::Null, deterministic: true };
        UserFunction { described: false, ..UserFunction::new(name, target, signature) }
    }

    /// A table function's result columns (one field named `f0` for a non-ROW result).
    pub fn result_fields(&self) -> Vec<Field> {
        match &self.result {
            DataType::Row(fields) => fields.clone(),
            other => vec![Field { name: "f0".to_string(), ty: SqlType::nullable(other.clone()) }],
        }
    }

    /// `f(DOUBLE) → DOUBLE`, as SHOW USER FUNCTIONS and DESCRIBE FUNCTION print it.
    pub fn signature(&self) -> String {
        let params = match &self.params {
            Some(p) => p.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "),
            None => "…".to_string(),
        };
        format!("{}({params}) → {}", self.name, self.result)
    }
}

/// A failed host call: which row of the batch (when one row is to blame) and why, with the
/// Python traceback if there is one.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct UserFunctionError {
    pub row: Option<usize>,
    pub message: String,
}

impl UserFunctionError {
    pub fn new(message: impl Into<String>) -> UserFunctionError {
        UserFunctionError { row: None, message: message.into() }
    }
    pub fn at_row(row: usize, message: impl Into<String>) -> UserFunctionError {
        UserFunctionError { row: Some(row), message: message.into() }
    }
}

impl fmt::Display for UserFunctionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Who runs user functions. The page's worker sets one backed by Pyodide; tests set a Rust one.
pub trait UserFunctionHost {
    /// The kind and types of the Python object `target` names (`module.func`), for
    /// `CREATE FUNCTION … AS 'module.func' LANGUAGE PYTHON`. An `Err` says why (no such
    /// module, not a `@udf`), and the CREATE fails with it.
    fn describe(&self, target: &str) -> Result<UserSignature, String>;

    /// One call per batch of rows: `args[i][r]` is argument `i` of row `r`, `rows` the batch's
    /// row count (arguments may be none); returns one value per row, of `f.result`'s type
    /// (the engine casts numbers and checks the rest), or the row that failed and why.
    fn call_scalar(&self, f: &UserFunction, args: &[Vec<Value>], rows: usize) -> Result<Vec<Value>, UserFunctionError>;

    /// A table function over a batch: for each input row, the rows it yields, each a value
    /// per field of `f.result_fields()`.
    fn call_table(&self, f: &UserFunction, args: &[Vec<Value>], rows: usize) -> Result<Vec<Vec<Vec<Value>>>, UserFunctionError>;
}

/// A type as Flink's SQL (and PyFlink's `str(DataTypes.…)`) writes it: `DOUBLE`,
/// `DECIMAL(10, 2)`, `ROW<word STRING, n INT>`; for hosts building a [`UserSignature`].
pub fn parse_data_type(text: &str) -> Result<DataType, String> {
    crate::sql::parse_type_text(text).map(|t| t.data_type).map_err(|e| e.message)
}

/// The error for calling a Python function where no host runs Python (`sluice run`).
pub fn no_host(name: &str) -> String {
    format!("Python functions run in the page (Pyodide); `sluice run` cannot call `{name}`")
}

/// Types a call of user scalar function `f`: checks the arguments against its parameters
/// (numbers widen, strings fit any string type, a NULL fits anything, as Flink's implicit
/// casts for function arguments) and casts them; the result may be NULL (a Python function
/// may return `None`).
pub fn bind_call(f: &Arc<UserFunction>, mut args: Vec<Expr>) -> Result<Expr, String> {
    if f.kind == UserFunctionKind::Table {
        return Err(format!(
            "{} is a table function: call it in FROM, as LATERAL TABLE({}(…)) or JOIN LATERAL TABLE({}(…)) ON TRUE",
            f.name, f.name, f.name
        ));
    }
    check_arguments(f, &mut args)?;
    Ok(Expr { kind: ExprKind::UserCall { func: f.clone(), args }, ty: SqlType::nullable(f.result.clone()) })
}

/// Checks and casts the arguments of a call of `f` (scalar or table function).
pub fn check_arguments(f: &UserFunction, args: &mut [Expr]) -> Result<(), String> {
    if !f.described {
        return Err(no_host(&f.name));
    }
    let Some(params) = &f.params else { return Ok(()) };
    if params.len() != args.len() {
        let list = params.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
        return Err(format!(
            "{} takes {} argument{} ({list}), got {}",
            f.name,
            params.len(),
            if params.len() == 1 { "" } else { "s" },
            args.len()
        ));
    }
    for (i, (a, p)) in args.iter_mut().zip(params).enumerate() {
        let from = &a.ty.data_type;
        let fits = *from == DataType::Null || from == p || (from.is_numeric() && p.is_numeric()) || (from.is_string() && p.is_string());
        if !fits {
            return Err(format!("{} takes {p} as argument {}, not {}: {}", f.name, i + 1, a.ty, f.signature()));
        }
        *a = cast_if_needed(a.clone(), p)?;
    }
    Ok(())
}
