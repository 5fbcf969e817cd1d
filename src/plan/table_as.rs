//! `CREATE [OR REPLACE] TABLE t [(columns, WATERMARK …, PRIMARY KEY …)] WITH (…) AS query`: the
//! table's columns from the query's and the declared ones, as Flink 2.3's `MergeTableAsUtil`
//! merges them, and the query fitted to them by name.
//!
//! Declared columns the query does not give come first, in their order; then the query's
//! columns, in its order, a declared column of the same name taking its place (its type must
//! take the query's by an implicit cast). When the table is written, each of its stored
//! columns takes the query's column of its name, or NULL (refused for a NOT NULL column).
//! Messages are Flink's.

use sqlparser::ast::Ident;

use super::catalog::{ColumnKind, TableDef};
use super::expr::Expr;
use super::logical::{Node, Plan, Schema, SchemaField};
use crate::sql::ast::{ColumnDef, ColumnKind as AstColumnKind, CreateTable};
use crate::sql::{Location, Result, SqlError};
use crate::types::{DataType, SqlType, Value};

/// `ddl`'s columns merged with the query's `fields` (named and typed as its result; the
/// time-attribute markers dropped: the table stores timestamps).
pub fn merge(ddl: &CreateTable, fields: &[SchemaField], at: Location) -> Result<CreateTable> {
    let mut query_columns: Vec<ColumnDef> = Vec::with_capacity(fields.len());
    for f in fields {
        // Calcite's way with a repeated name: `sensor_id`, `sensor_id0`, `sensor_id1`, …
        let mut name = f.name.clone();
        let mut n = 0;
        while query_columns.iter().any(|c| c.name.value.eq_ignore_ascii_case(&name)) {
            name = format!("{}{n}", f.name);
            n += 1;
        }
        let ty = SqlType { rowtime: false, proctime: false, ..f.ty.clone() };
        query_columns.push(ColumnDef { name: Ident::new(name), kind: AstColumnKind::Physical(ty), comment: None, location: at });
    }
    let mut declared_first: Vec<ColumnDef> = Vec::new();
    for (position, column) in ddl.columns.iter().enumerate() {
        let name = &column.name.value;
        if ddl.columns[..position].iter().any(|c| &c.name.value == name) {
            return Err(SqlError::new(format!("A column named '{name}' already exists in the schema. ")).at(column.location));
        }
        match query_columns.iter_mut().find(|q| &q.name.value == name) {
            Some(query_column) => {
                if let (AstColumnKind::Physical(from), AstColumnKind::Physical(to)) = (&query_column.kind, &column.kind) {
                    // A key column is NOT NULL, whatever the DDL says.
                    let keyed = ddl.primary_key.iter().any(|k| &k.value == name);
                    let to = &SqlType { nullable: to.nullable && !keyed, ..to.clone() };
                    if !implicitly_casts(from, to) {
                        return Err(SqlError::new(format!(
                            "Incompatible types for sink column '{name}' at position {}. The source column has type '{}', while the target column has type '{}'.",
                            position + 1,
                            from,
                            to
                        ))
                        .at(column.location));
                    }
                }
                *query_column = column.clone();
            }
            None => {
                if matches!(&column.kind, AstColumnKind::Physical(ty) if !ty.nullable) {
                    return Err(
                        SqlError::new(format!("Column '{name}' has no default value and does not allow NULLs.")).at(column.location)
                    );
                }
                declared_first.push(column.clone());
            }
        }
    }
    declared_first.extend(query_columns);
    Ok(CreateTable { columns: declared_first, like: None, ..ddl.clone() })
}

/// Whether a query's column of type `from` fits a sink column of type `to` as Flink's INSERT
/// casts implicitly: the same type, a wider number, text to text, a timestamp to a timestamp;
/// never a nullable one into NOT NULL.
fn implicitly_casts(from: &SqlType, to: &SqlType) -> bool {
    let (f, t) = (&from.data_type, &to.data_type);
    let fits = f == t
        || (f.is_string() && t.is_string())
        || (f.is_timestamp() && t.is_timestamp())
        || (f.is_integer() && t.is_integer() && f.integer_rank() <= t.integer_rank())
        || (f.is_numeric() && matches!(t, DataType::Double))
        || (f.is_integer() && matches!(t, DataType::Float | DataType::Decimal { .. }));
    fits && (to.nullable || !from.nullable)
}

/// `plan` reshaped to `sink`'s stored columns by name: each takes the query's column of its
/// name, or a NULL of its type (INSERT then fits the types).
pub fn select_by_name(plan: Plan, sink: &TableDef) -> Plan {
    let mut exprs = Vec::new();
    let mut fields = Vec::new();
    for c in sink.columns.iter().filter(|c| matches!(c.kind, ColumnKind::Physical)) {
        let expr = match plan.schema.fields.iter().position(|f| f.name == c.name) {
            Some(i) => Expr::column(i, plan.schema.fields[i].ty.clone()),
            None => Expr::literal(Value::Null, c.ty.clone().with_nullable(true)),
        };
        fields.push(SchemaField { name: c.name.clone(), ty: expr.ty.clone(), qualifier: None });
        exprs.push(expr);
    }
    Plan { schema: Schema { fields }, node: Node::Project { input: Box::new(plan), exprs } }
}
