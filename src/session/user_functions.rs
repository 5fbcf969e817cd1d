//! User-defined functions in the session: the host that runs them, and the statements that
//! create, drop and list them (`CREATE [TEMPORARY] [SYSTEM] FUNCTION … LANGUAGE PYTHON`,
//! `DROP [TEMPORARY] [SYSTEM] FUNCTION`, `SHOW USER FUNCTIONS`). The functions themselves are
//! catalog entries (`plan/functions/user.rs` describes the seam); the host is set by whoever
//! runs Python: the page's worker (Pyodide) or a test.
//!
//! Flink's messages for a function that exists or does not come from its
//! `TableEnvironmentImpl` / `FunctionCatalog` (`createTemporarySystemFunction`,
//! `dropTemporaryCatalogFunction`, …).

use std::rc::Rc;

use super::statements::{done, info};
use super::{Outcome, Session};
use crate::plan::functions;
use crate::plan::functions::user::{UserFunction, UserFunctionHost, UserFunctionKind};
use crate::sql::ast::CreateFunction;
use crate::sql::{Location, SqlError};
use crate::types::{DataType, Value, STRING_LENGTH};

impl Session {
    /// Sets who runs user functions (the page's Pyodide worker, a test's Rust host). Functions
    /// created before there was a host are described by this one now; jobs started from now
    /// on call it.
    pub fn set_user_function_host(&mut self, host: Rc<dyn UserFunctionHost>) {
        let pending: Vec<UserFunction> = self.catalog.user_functions().filter(|f| !f.described).map(|f| (**f).clone()).collect();
        for f in pending {
            if let Ok(signature) = host.describe(&f.target) {
                let mut described = UserFunction::new(&f.name, &f.target, signature);
                described.system = f.system;
                self.catalog.add_user_function(described);
            }
        }
        self.user_function_host = Some(host);
    }

    /// The host jobs call user functions through, if one was set.
    pub fn user_function_host(&self) -> Option<&Rc<dyn UserFunctionHost>> {
        self.user_function_host.as_ref()
    }

    /// Registers a function (what PyFlink's `create_temporary_function` / `@udf` registration
    /// does), replacing one of the same name. A built-in of the same name is shadowed only by
    /// a `system` function, as in Flink.
    pub fn register_user_function(&mut self, function: UserFunction) -> Result<(), SqlError> {
        if function.name.is_empty() || function.name.contains(char::is_whitespace) {
            return Err(SqlError::new(format!("`{}` is not a function name", function.name)));
        }
        let mut function = function;
        if function.kind == UserFunctionKind::Table && function.described && !matches!(function.result, DataType::Row(_)) {
            // One result column: the row of that one column, named as Flink names it.
            function.result = DataType::Row(function.result_fields());
        }
        self.catalog.add_user_function(function);
        Ok(())
    }

    /// Drops the user function called `name` (any case); whether there was one.
    pub fn drop_user_function(&mut self, name: &str) -> bool {
        self.catalog.drop_user_function(name).is_some()
    }

    /// The user functions, by name.
    pub fn user_functions(&self) -> Vec<UserFunction> {
        self.catalog.user_functions().map(|f| (**f).clone()).collect()
    }

    /// `CREATE [TEMPORARY] [SYSTEM] FUNCTION [IF NOT EXISTS] f AS 'module.func' LANGUAGE PYTHON`:
    /// registers the function, typed by the host. With no host (natively) it is registered
    /// undescribed, so the script goes on and a query calling it says where Python runs.
    /// Java and Scala classes are refused: Sluice has no JVM to load them in.
    pub(super) fn create_function(&mut self, function: &CreateFunction) -> Result<Outcome, SqlError> {
        let CreateFunction { name, class, language, location, if_not_exists, temporary, system } = function;
        if language != "PYTHON" {
            return Err(SqlError::new(format!(
                "Could not register user-defined function '{name}': Sluice cannot run {language} classes ('{class}'): it has no JVM to load them in."
            ))
            .at(*location)
            .hint(
                "write the function in Python (CREATE FUNCTION … AS 'module.func' LANGUAGE PYTHON, over a module a \
                 %flink.pyflink paragraph defines), or as a SQL expression; `sluice export` keeps the statement for \
                 Flink, which loads the class from a jar",
            ));
        }
        if name.contains('.') {
            return Err(SqlError::new(format!(
                "Could not register user-defined function '{name}': Sluice has one catalog and database; name the function without a path."
            ))
            .at(*location));
        }
        if let Some(existing) = self.catalog.user_function(name) {
            if *if_not_exists {
                return Ok(done(format!("Function `{name}` already exists; nothing changed.")));
            }
            if existing.target != *class || existing.system != *system {
                let message = match (temporary, system) {
                    (true, true) => format!("Could not register temporary system function. A function named '{name}' does already exist."),
                    (true, false) => format!(
                        "Could not register temporary catalog function. A function 'default_catalog.default_database.{name}' does already exist."
                    ),
                    _ => format!("Function default_database.{name} already exists in Catalog default_catalog."),
                };
                return Err(SqlError::new(message).at(*location).hint(format!("DROP FUNCTION {name} first to define it anew")));
            }
            // The same statement again (a paragraph run twice): described anew below, as the
            // module may have changed.
        }
        let mut created = match &self.user_function_host {
            Some(host) => {
                let signature = host.describe(class).map_err(|why| {
                    SqlError::new(format!("Could not register user-defined function '{name}': {why}")).at(*location).hint(
                        "define the function in a %flink.pyflink paragraph first (@udf(result_type=…) def …), then run this statement",
                    )
                })?;
                UserFunction::new(name, class, signature)
            }
            None => UserFunction::undescribed(name, class),
        };
        created.system = *system;
        self.register_user_function(created).map_err(|e| e.at(*location))?;
        Ok(done(format!("Function `{name}` created.")))
    }

    /// `DROP [TEMPORARY] [SYSTEM] FUNCTION [IF EXISTS] name`, with Flink's messages for a
    /// missing one.
    pub(super) fn drop_function(
        &mut self,
        name: &str,
        if_exists: bool,
        temporary: bool,
        system: bool,
        location: Location,
    ) -> Result<Outcome, SqlError> {
        if self.drop_user_function(name) {
            return Ok(done(format!("Function `{name}` dropped.")));
        }
        if if_exists {
            return Ok(done(format!("Function `{name}` does not exist; nothing changed.")));
        }
        let message = match (temporary, system) {
            (true, true) => format!("Could not drop temporary system function. A function named '{name}' doesn't exist."),
            (true, false) => format!("Could not drop temporary catalog function. A function '{name}' doesn't exist."),
            _ => format!("Function {name} does not exist."),
        };
        let hint = if functions::names().iter().any(|f| f.eq_ignore_ascii_case(name)) {
            format!("{} is a built-in function, which cannot be dropped", name.to_ascii_uppercase())
        } else {
            "use DROP FUNCTION IF EXISTS to drop it only if it is there".to_string()
        };
        Err(SqlError::new(message).at(location).hint(hint))
    }

    /// `DESCRIBE FUNCTION [EXTENDED] f` for a user function: Flink's rows (not a system
    /// function unless SYSTEM, temporary), the kind and signature when EXTENDED.
    pub(super) fn describe_user_function(&self, f: &UserFunction, extended: bool) -> Outcome {
        let s = |x: &str| Value::Str(x.into());
        let yes_no = |b: bool| s(if b { "true" } else { "false" });
        let mut rows = vec![vec![s("is system function"), yes_no(f.system)], vec![s("is temporary"), s("true")]];
        if extended {
            rows.push(vec![s("kind"), s(&f.kind.name().to_ascii_uppercase())]);
            rows.push(vec![s("is deterministic"), yes_no(f.deterministic)]);
            rows.push(vec![s("signature"), s(&f.signature())]);
        }
        rows.push(vec![s("description"), s(&format!("Python {} function `{}`.", f.kind.name(), f.target))]);
        Outcome::Table {
            columns: vec![info("info name", DataType::Varchar(STRING_LENGTH)), info("info value", DataType::Varchar(STRING_LENGTH))],
            rows,
        }
    }
}
