//! A catalog table as the CREATE TABLE that makes it: what `CREATE TABLE … LIKE` merges a new
//! definition into and what `ALTER TABLE … ADD / MODIFY / DROP` changes, both then planned again
//! by [`plan_create_table`](super::planner::plan_create_table) so the rules for columns,
//! watermarks and primary keys live in one place. Flink keeps a table's unresolved `Schema` for
//! the same purpose (`ResolvedCatalogBaseTable::getUnresolvedSchema`).

use sqlparser::ast::Ident;

use super::catalog::{ColumnKind, TableDef};
use crate::sql::ast::{ColumnDef, ColumnKind as AstColumnKind, CreateTable, WatermarkDef};
use crate::sql::{parse_expr, Location, Result};
use crate::types::SqlType;

/// `table`'s definition: its columns (types without time-attribute markers, which planning
/// sets again; a primary key's columns stay NOT NULL, as in Flink), watermark, key, partitions,
/// options and comment. Expressions are read back from their text; everything made here is
/// located at `at`.
pub fn definition(table: &TableDef, at: Location) -> Result<CreateTable> {
    let plain = |ty: &SqlType| SqlType { rowtime: false, proctime: false, ..ty.clone() };
    let mut columns = Vec::with_capacity(table.columns.len());
    for c in &table.columns {
        let kind = match &c.kind {
            ColumnKind::Physical => AstColumnKind::Physical(plain(&c.ty)),
            ColumnKind::Computed(e) => {
                AstColumnKind::Computed(Box::new(parse_expr(&c.expr_text.clone().unwrap_or_else(|| e.to_string()))?))
            }
            ColumnKind::Metadata { key, is_virtual } => {
                AstColumnKind::Metadata { ty: plain(&c.ty), key: Some(key.clone()), is_virtual: *is_virtual }
            }
        };
        columns.push(ColumnDef { name: Ident::new(c.name.clone()), kind, comment: c.comment.clone(), location: at });
    }
    let watermark = match &table.watermark {
        Some(w) => {
            Some(WatermarkDef { rowtime: Ident::new(table.columns[w.rowtime].name.clone()), expr: parse_expr(&w.text)?, location: at })
        }
        None => None,
    };
    let idents = |names: &[String]| names.iter().map(|n| Ident::new(n.clone())).collect::<Vec<_>>();
    Ok(CreateTable {
        columns,
        watermark,
        primary_key: idents(&table.primary_key),
        primary_key_name: table.primary_key_name.as_ref().map(|n| Ident::new(n.clone())),
        partitioned_by: idents(&table.partitioned_by),
        options: table.options.clone(),
        comment: table.comment.clone(),
        ..CreateTable::named(Ident::new(table.name.clone()))
    })
}

/// SQL text with the table's column names in backquotes, as Flink prints expressions
/// (`event_time - INTERVAL '5' SECOND` → `` `event_time` - INTERVAL '5' SECOND ``).
pub fn quote_identifiers(text: &str, columns: &[&str]) -> String {
    use sqlparser::tokenizer::{Token, Tokenizer};
    let Ok(tokens) = Tokenizer::new(&crate::sql::dialect::FlinkDialect, text).tokenize() else { return text.to_string() };
    tokens
        .iter()
        .map(|t| match t {
            Token::Word(w) if w.quote_style.is_none() && columns.contains(&w.value.as_str()) => format!("`{}`", w.value),
            t => t.to_string(),
        })
        .collect()
}
