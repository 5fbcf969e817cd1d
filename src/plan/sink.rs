//! Fitting a query's result to a sink table's columns (INSERT INTO), with Flink's type checks.
//!
//! One deliberate difference (see DIFFERENCES.md): narrowing an integer, as the walkthrough's
//! `INSERT INTO sensor_state SELECT … COUNT(*) …` does into `num INTEGER`, is accepted with a
//! warning naming the column, where Flink 2.3 rejects it; an explicit CAST is inserted.

use super::bind::cast;
use super::catalog::{ColumnKind, TableDef};
use super::expr::Expr;
use super::logical::{Node, Plan, Schema, SchemaField};
use crate::sql::SqlError;
use crate::types::DataType;

pub fn fit_to_sink(plan: Plan, sink: &TableDef) -> Result<(Plan, Vec<String>), SqlError> {
    let targets: Vec<_> = sink.columns.iter().filter(|c| matches!(c.kind, ColumnKind::Physical)).collect();
    if targets.len() != plan.schema.len() {
        return Err(SqlError::new(format!(
            "the query gives {} columns but sink `{}` has {} ({})",
            plan.schema.len(),
            sink.name,
            targets.len(),
            targets.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(", ")
        )));
    }
    let mut warnings = Vec::new();
    let mut exprs = Vec::new();
    let mut fields = Vec::new();
    let mut changed = false;
    for (i, (field, target)) in plan.schema.fields.iter().zip(&targets).enumerate() {
        let from = &field.ty.data_type;
        let to = &target.ty.data_type;
        let column = Expr::column(i, field.ty.clone());
        let expr = if from == to || (from.is_string() && to.is_string()) || (from.is_timestamp() && to.is_timestamp()) {
            column
        } else if from.is_integer() && to.is_integer() && from.integer_rank() > to.integer_rank() {
            warnings.push(format!(
                "sink column `{}` is {} but the query gives {}: values are narrowed (Flink 2.3 rejects this; the Flink export writes CAST(… AS {}))",
                target.name, target.ty, field.ty, to
            ));
            changed = true;
            cast(column, target.ty.clone().with_nullable(field.ty.nullable), false).map_err(SqlError::new)?
        } else if widens(from, to) {
            changed = true;
            cast(column, target.ty.clone().with_nullable(field.ty.nullable), false).map_err(SqlError::new)?
        } else {
            return Err(SqlError::new(format!(
                "column types of query result and sink `{}` do not match: sink column `{}` is {} but the query gives {}",
                sink.name, target.name, target.ty, field.ty
            ))
            .hint(format!("CAST the value to {to}")));
        };
        fields.push(SchemaField { name: target.name.clone(), ty: expr.ty.clone(), qualifier: None });
        exprs.push(expr);
    }
    if !changed {
        let mut plan = plan;
        for (f, t) in plan.schema.fields.iter_mut().zip(&targets) {
            f.name = t.name.clone();
        }
        return Ok((plan, warnings));
    }
    Ok((Plan { schema: Schema { fields }, node: Node::Project { input: Box::new(plan), exprs } }, warnings))
}

/// The result columns an `INSERT` narrows into its sink (the integers Flink 2.3 rejects), with
/// the sink column's type: where an export for Flink must write an explicit `CAST`.
pub fn narrowed_columns(plan: &Plan, sink: &TableDef) -> Vec<(usize, DataType)> {
    let targets = sink.columns.iter().filter(|c| matches!(c.kind, ColumnKind::Physical));
    plan.schema
        .fields
        .iter()
        .zip(targets)
        .enumerate()
        .filter(|(_, (f, t))| {
            let (from, to) = (&f.ty.data_type, &t.ty.data_type);
            from.is_integer() && to.is_integer() && from.integer_rank() > to.integer_rank()
        })
        .map(|(i, (_, t))| (i, t.ty.data_type.clone()))
        .collect()
}

/// Implicit widening Flink allows into a sink.
fn widens(from: &DataType, to: &DataType) -> bool {
    (from.is_integer() && to.is_integer() && from.integer_rank() <= to.integer_rank())
        || (from.is_numeric() && matches!(to, DataType::Double))
        || (from.is_integer() && matches!(to, DataType::Float | DataType::Decimal { .. }))
}

/// What a sink table's connector reads of an updating result, as its `getChangelogMode`
/// answers Flink: `blackhole` drops `-U` rows and `upsert-kafka` writes by key, so `+U` rows
/// are enough for them; `print` and the others ask for every kind.
pub fn reader(sink: &TableDef) -> super::physical::changelog::RootReader {
    use super::physical::changelog::RootReader;
    match sink.option("connector") {
        Some("blackhole" | "upsert-kafka") => RootReader::UpdateAfterSuffices,
        _ => RootReader::NeedsUpdateBefore,
    }
}
