//! `ALTER TABLE t ADD … | MODIFY … | DROP …`: the table's definition changed as Flink 2.3's
//! `SchemaAddConverter`, `SchemaModifyConverter` and `SchemaReferencesManager` change it, then
//! planned again as CREATE TABLE plans it (the column, watermark and key rules stay there).
//!
//! ADD puts a new column last, `FIRST` or `AFTER col`, and may add a watermark or a primary key
//! the table has none of; MODIFY replaces a column (keeping its comment unless it gives one)
//! and may move it, and replaces the watermark or key the table has; DROP removes columns no
//! computed column, partition, watermark or primary key uses (dropping the columns that use
//! others first), the primary key (`DROP PRIMARY KEY`, `DROP CONSTRAINT name`) or the
//! watermark. Messages are Flink's, after its `Failed to execute ALTER TABLE statement.` line.

use sqlparser::ast::Ident;

use super::bind;
use super::catalog::{default_constraint_name, ColumnKind, TableDef};
use super::planner::plan_create_table;
use super::table_ddl::{definition, quote_identifiers};
use crate::sql::ast::{AlterChange, ColumnDef, ColumnPosition, CreateTable, SchemaChange};
use crate::sql::{Location, Result, SqlError};

/// The first line of each of Flink's ALTER TABLE schema errors.
pub const PREFIX: &str = "Failed to execute ALTER TABLE statement.\n";

/// `table` after `change` (ADD, MODIFY or one of the DROPs; the others leave it as it is),
/// planned. `at` is where the statement names the table: errors found while planning the
/// changed definition point there.
pub fn alter_schema(table: &TableDef, change: &AlterChange, at: Location) -> Result<TableDef> {
    let mut ddl = definition(table, at)?;
    match change {
        AlterChange::Schema { modify, change } => apply(&mut ddl, table, *modify, change)?,
        AlterChange::DropColumns(columns) => drop_columns(&mut ddl, table, columns)?,
        AlterChange::RenameColumn { from, to } => rename_column(&mut ddl, table, from, to)?,
        AlterChange::DropPrimaryKey(name) => {
            if table.primary_key.is_empty() {
                return Err(error("The current table does not define any primary key.", at));
            }
            let constraint = table.primary_key_constraint();
            if let Some(name) = name.as_ref().filter(|n| n.value != constraint) {
                return Err(error(
                    &format!(
                        "The current table does not define a primary key constraint named '{}'. Available constraint name: ['{constraint}'].",
                        name.value
                    ),
                    bind::location(name.span),
                ));
            }
            ddl.primary_key.clear();
            ddl.primary_key_name = None;
        }
        AlterChange::DropWatermark => {
            if ddl.watermark.take().is_none() {
                return Err(error("The current table does not define any watermark strategy.", at));
            }
        }
        AlterChange::Set(_) | AlterChange::Reset(_) | AlterChange::RenameTo(_) | AlterChange::As(_) => {}
    }
    plan_create_table(&ddl).map_err(|e| SqlError { message: format!("{PREFIX}{}", e.message), location: Some(at), ..e })
}

fn error(message: &str, at: Location) -> SqlError {
    SqlError::new(format!("{PREFIX}{message}")).at(at)
}

/// ADD (`modify` false) or MODIFY: columns in the order written, then the watermark, then the
/// primary key, as Flink's `SqlAlterTableSchemaConverter` applies them.
fn apply(ddl: &mut CreateTable, table: &TableDef, modify: bool, change: &SchemaChange) -> Result<()> {
    let mut seen: Vec<&str> = Vec::new();
    for (column, position) in &change.columns {
        let name = column.name.value.as_str();
        if seen.contains(&name) {
            return Err(error(&format!("Encounter duplicate column `{name}`."), column.location));
        }
        seen.push(name);
        let existing = ddl.columns.iter().position(|c| c.name.value == name);
        let mut new = column.clone();
        match (existing, modify) {
            (Some(_), false) => return Err(error(&format!("Column `{name}` already exists in the table."), column.location)),
            (None, true) => return Err(error(&format!("Column `{name}` does not exist in the table."), column.location)),
            _ => {}
        }
        if let ColumnPosition::After(reference) = position {
            if !ddl.columns.iter().any(|c| c.name.value == reference.value) {
                return Err(error(
                    &format!("Referenced column `{}` by 'AFTER' does not exist in the table.", reference.value),
                    bind::location(reference.span),
                ));
            }
        }
        let mut index = ddl.columns.len();
        if let Some(i) = existing {
            let old = ddl.columns.remove(i);
            // MODIFY keeps the comment unless it gives one.
            new.comment = new.comment.or(old.comment);
            index = i;
        }
        index = match position {
            ColumnPosition::Unchanged => index,
            ColumnPosition::First => 0,
            // Flink's `indexOf + 1`: a column moved after itself (gone from the list) goes first.
            ColumnPosition::After(reference) => ddl.columns.iter().position(|c| c.name.value == reference.value).map_or(0, |i| i + 1),
        };
        ddl.columns.insert(index, new);
    }
    if let Some(watermark) = &change.watermark {
        match (&table.watermark, modify) {
            (Some(w), false) => {
                let names: Vec<&str> = table.columns.iter().map(|c| c.name.as_str()).collect();
                return Err(error(
                    &format!(
                        "The current table has already defined the watermark strategy `{}` AS {}. You might want to drop it before adding a new one.",
                        table.columns[w.rowtime].name,
                        quote_identifiers(&w.text, &names)
                    ),
                    watermark.location,
                ));
            }
            (None, true) => {
                return Err(error("The current table does not define any watermark. You might want to add a new one.", watermark.location))
            }
            _ => ddl.watermark = Some(watermark.clone()),
        }
    }
    if let Some(first) = change.primary_key.first() {
        let key_at = bind::location(first.span);
        match (table.primary_key.is_empty(), modify) {
            (false, false) => {
                return Err(error(
                    &format!(
                        "The current table has already defined the primary key constraint [`{}`]. You might want to drop it before adding a new one.",
                        table.primary_key.join("`, `")
                    ),
                    key_at,
                ))
            }
            (true, true) => {
                return Err(error(
                    "The current table does not define any primary key constraint. You might want to add a new one.",
                    key_at,
                ))
            }
            _ => {
                if let Some(missing) = change.primary_key.iter().find(|k| !ddl.columns.iter().any(|c| c.name.value == k.value)) {
                    let names: Vec<&str> = change.primary_key.iter().map(|k| k.value.as_str()).collect();
                    let constraint = change.primary_key_name.as_ref().map_or_else(|| default_constraint_name(&names), |n| n.value.clone());
                    return Err(error(
                        &format!("Invalid primary key '{constraint}'. Column '{}' does not exist.", missing.value),
                        bind::location(missing.span),
                    ));
                }
                ddl.primary_key.clone_from(&change.primary_key);
                ddl.primary_key_name.clone_from(&change.primary_key_name);
            }
        }
    }
    Ok(())
}

/// DROP col / DROP (a, b): each named once and existing, used by no computed column that stays,
/// no partition, the watermark or the primary key. Columns using others go first (dropping
/// `c AS a + 1` frees `a`), else in the order written.
fn drop_columns(ddl: &mut CreateTable, table: &TableDef, names: &[Ident]) -> Result<()> {
    let mut dropped: Vec<&Ident> = Vec::new();
    for name in names {
        if dropped.iter().any(|d| d.value == name.value) {
            return Err(error(&format!("Duplicate column `{}`.", name.value), bind::location(name.span)));
        }
        dropped.push(name);
    }
    let index = |name: &str| table.columns.iter().position(|c| c.name == name);
    let references = References::of(table);
    dropped.sort_by_key(|d| std::cmp::Reverse(index(&d.value).map_or(0, |i| references.reads[i].len())));
    let mut gone: Vec<usize> = Vec::new();
    for name in dropped {
        let here = bind::location(name.span);
        let i = references.check(table, &gone, &name.value, here)?;
        if table.primary_key.contains(&name.value) {
            return Err(error(&format!("The column `{}` is used as the primary key.", name.value), here));
        }
        gone.push(i);
    }
    ddl.columns = std::mem::take(&mut ddl.columns)
        .into_iter()
        .enumerate()
        .filter(|(i, _)| !gone.contains(i))
        .map(|(_, c)| c)
        .collect::<Vec<ColumnDef>>();
    Ok(())
}

/// `RENAME col TO new`, as Flink's `SqlAlterTableRenameColumnConverter`: a column nothing else
/// reads (no computed column, partition or watermark; a primary key is renamed with it and
/// keeps its constraint's name) takes a name no other column has, keeping its place, type and
/// comment.
fn rename_column(ddl: &mut CreateTable, table: &TableDef, from: &Ident, to: &Ident) -> Result<()> {
    References::of(table).check(table, &[], &from.value, bind::location(from.span))?;
    if table.columns.iter().any(|c| c.name == to.value) {
        return Err(error(&format!("The column `{}` already existed in table schema.", to.value), bind::location(to.span)));
    }
    if let Some(column) = ddl.columns.iter_mut().find(|c| c.name.value == from.value) {
        column.name = to.clone();
    }
    if let Some(key) = ddl.primary_key.iter_mut().find(|k| k.value == from.value) {
        *key = to.clone();
        ddl.primary_key_name.get_or_insert_with(|| Ident::new(table.primary_key_constraint()));
    }
    Ok(())
}

/// Which columns each column's computed expression reads, and which the watermark reads (its
/// rowtime column too): what Flink's `SchemaReferencesManager` keeps.
struct References {
    reads: Vec<Vec<usize>>,
    watermark_reads: Vec<usize>,
}

impl References {
    fn of(table: &TableDef) -> Self {
        let reads = table
            .columns
            .iter()
            .map(|c| {
                let mut read = Vec::new();
                if let ColumnKind::Computed(e) = &c.kind {
                    e.visit_columns(&mut |i| read.push(i));
                }
                read.sort_unstable();
                read.dedup();
                read
            })
            .collect();
        let mut watermark_reads = Vec::new();
        if let Some(w) = &table.watermark {
            watermark_reads.push(w.rowtime);
            w.expr.visit_columns(&mut |i| watermark_reads.push(i));
        }
        References { reads, watermark_reads }
    }

    /// Flink's `checkReferences`: `column` exists and nothing reads it but the columns in `gone`
    /// (dropped already); its index. Errors in Flink's words and order.
    fn check(&self, table: &TableDef, gone: &[usize], column: &str, here: Location) -> Result<usize> {
        let Some(i) = table.columns.iter().position(|c| c.name == column) else {
            return Err(error(&format!("The column `{column}` does not exist in the base table."), here));
        };
        let mut users: Vec<&str> = (0..table.columns.len())
            .filter(|&k| !gone.contains(&k) && self.reads[k].contains(&i))
            .map(|k| table.columns[k].name.as_str())
            .collect();
        if !users.is_empty() {
            users.sort_unstable();
            let users: Vec<String> = users.iter().map(|u| format!("`{u}`")).collect();
            return Err(error(&format!("The column `{column}` is referenced by computed column {}.", users.join(", ")), here));
        }
        if table.partitioned_by.iter().any(|p| p == column) {
            return Err(error(&format!("The column `{column}` is used as the partition keys."), here));
        }
        if self.watermark_reads.contains(&i) {
            return Err(error(&format!("The column `{column}` is referenced by watermark expression."), here));
        }
        Ok(i)
    }
}
