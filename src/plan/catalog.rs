//! The catalog: tables and views declared in a session, with their resolved schemas.

use std::collections::BTreeMap;
use std::sync::Arc;

use sqlparser::ast::Query;

use super::expr::Expr;
use super::functions::user::UserFunction;
use crate::types::SqlType;

/// The catalog Flink's sessions start in, and Sluice's only one.
pub const DEFAULT_CATALOG: &str = "default_catalog";
/// The database Flink's sessions start in, and Sluice's only one.
pub const DEFAULT_DATABASE: &str = "default_database";

#[derive(Clone, Debug)]
pub struct TableDef {
    pub name: String,
    pub columns: Vec<TableColumn>,
    pub watermark: Option<WatermarkSpec>,
    pub primary_key: Vec<String>,
    /// `CONSTRAINT name PRIMARY KEY …`'s name, if the DDL gave one.
    pub primary_key_name: Option<String>,
    pub partitioned_by: Vec<String>,
    /// The `WITH` options, in the order they were written.
    pub options: Vec<(String, String)>,
    pub comment: Option<String>,
}

#[derive(Clone, Debug)]
pub struct TableColumn {
    pub name: String,
    pub ty: SqlType,
    pub kind: ColumnKind,
    /// A computed column's expression as SQL text (`DESCRIBE` shows it).
    pub expr_text: Option<String>,
    /// `COMMENT '…'` after the column.
    pub comment: Option<String>,
}

#[derive(Clone, Debug)]
pub enum ColumnKind {
    Physical,
    /// Computed from the table's physical columns (bound against them, in table order).
    Computed(Expr),
    Metadata {
        key: String,
        is_virtual: bool,
    },
}

/// `WATERMARK FOR rowtime AS expr`: `expr` is bound against the table's full row.
#[derive(Clone, Debug)]
pub struct WatermarkSpec {
    pub rowtime: usize,
    pub expr: Expr,
    /// The expression as the user wrote it, for the catalog panel and DESCRIBE.
    pub text: String,
}

#[derive(Clone, Debug)]
pub struct ViewDef {
    pub name: String,
    pub query: Box<Query>,
    /// Its columns, named as the view names them.
    pub columns: Vec<(String, SqlType)>,
    /// `CREATE VIEW v (a, b)`: the view's names for the query's columns (none: the query's own).
    pub aliases: Vec<String>,
    pub comment: Option<String>,
}

/// Flink's name for a primary key constraint declared without one: `PK_` and the key's columns
/// joined by `_`.
pub fn default_constraint_name<S: AsRef<str>>(columns: &[S]) -> String {
    let names: Vec<&str> = columns.iter().map(AsRef::as_ref).collect();
    format!("PK_{}", names.join("_"))
}

impl TableDef {
    pub fn option(&self, key: &str) -> Option<&str> {
        self.options.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }
    /// Sets option `key` to `value`, replacing the one of that key if there is one (a query's
    /// `/*+ OPTIONS(…) */`, `ALTER TABLE … SET`).
    pub fn set_option(&mut self, key: &str, value: &str) {
        match self.options.iter_mut().find(|(k, _)| k == key) {
            Some(option) => value.clone_into(&mut option.1),
            None => self.options.push((key.to_string(), value.to_string())),
        }
    }
    /// `options` over the table's own (a hint's `OPTIONS(…)`, `ALTER TABLE … SET (…)`).
    pub fn set_options(&mut self, options: &[(String, String)]) {
        for (key, value) in options {
            self.set_option(key, value);
        }
    }
    /// The primary key's constraint name: the one given, else Flink's `PK_` and the key's
    /// columns joined by `_`.
    pub fn primary_key_constraint(&self) -> String {
        self.primary_key_name.clone().unwrap_or_else(|| default_constraint_name(&self.primary_key))
    }
    pub fn connector(&self) -> &str {
        self.option("connector").unwrap_or("")
    }
    /// Positions of the columns stored in records (what a format decodes).
    pub fn physical_columns(&self) -> impl Iterator<Item = (usize, &TableColumn)> {
        self.columns.iter().enumerate().filter(|(_, c)| matches!(c.kind, ColumnKind::Physical))
    }
}

#[derive(Clone, Debug, Default)]
pub struct Catalog {
    tables: BTreeMap<String, Arc<TableDef>>,
    views: BTreeMap<String, Arc<ViewDef>>,
    /// User-defined functions, keyed by their lower-cased name (function names are
    /// case-insensitive, as Flink normalizes them).
    functions: BTreeMap<String, Arc<UserFunction>>,
}

impl Catalog {
    pub fn table(&self, name: &str) -> Option<&Arc<TableDef>> {
        self.tables.get(name)
    }
    pub fn view(&self, name: &str) -> Option<&Arc<ViewDef>> {
        self.views.get(name)
    }
    pub fn contains(&self, name: &str) -> bool {
        self.tables.contains_key(name) || self.views.contains_key(name)
    }
    pub fn add_table(&mut self, table: TableDef) {
        self.tables.insert(table.name.clone(), Arc::new(table));
    }
    pub fn add_view(&mut self, view: ViewDef) {
        self.views.insert(view.name.clone(), Arc::new(view));
    }
    pub fn drop_table(&mut self, name: &str) -> bool {
        self.tables.remove(name).is_some()
    }
    pub fn drop_view(&mut self, name: &str) -> bool {
        self.views.remove(name).is_some()
    }
    pub fn tables(&self) -> impl Iterator<Item = &Arc<TableDef>> {
        self.tables.values()
    }
    pub fn views(&self) -> impl Iterator<Item = &Arc<ViewDef>> {
        self.views.values()
    }
    /// Every table and view name, for "did you mean" hints.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.tables.keys().chain(self.views.keys()).map(String::as_str)
    }
    /// The user function called `name` (any case).
    pub fn user_function(&self, name: &str) -> Option<&Arc<UserFunction>> {
        self.functions.get(&name.to_lowercase())
    }
    /// Registers `function`, replacing one of the same name.
    pub fn add_user_function(&mut self, function: UserFunction) {
        self.functions.insert(function.name.to_lowercase(), Arc::new(function));
    }
    pub fn drop_user_function(&mut self, name: &str) -> Option<Arc<UserFunction>> {
        self.functions.remove(&name.to_lowercase())
    }
    /// The user functions, by name.
    pub fn user_functions(&self) -> impl Iterator<Item = &Arc<UserFunction>> {
        self.functions.values()
    }
}
