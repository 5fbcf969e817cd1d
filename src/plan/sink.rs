//! Fitting a query's result to a sink table's columns (INSERT INTO), with Flink's type checks.
//!
//! One deliberate difference (see DIFFERENCES.md): narrowing an integer, as the walkthrough's
//! `INSERT INTO sensor_state SELECT … COUNT(*) …` does into `num INTEGER`, is accepted with a
//! warning naming the column, where Flink 2.3 rejects it; an explicit CAST is inserted.
//!
//! [`check_changes`] refuses what Flink's planner refuses between an updating result and its
//! sink: a connector that writes only inserts (`filesystem`, `kinesis`: their formats are
//! insert-only), and a sink whose `PRIMARY KEY` is not the result's upsert key.

use super::bind::cast;
use super::catalog::{ColumnKind, TableDef};
use super::expr::Expr;
use super::logical::{Node, Plan, Schema, SchemaField};
use super::physical::{explain, PhysicalNode, PhysicalPlan};
use crate::sql::SqlError;
use crate::types::DataType;

pub fn fit_to_sink(plan: Plan, sink: &TableDef) -> Result<(Plan, Vec<String>), SqlError> {
    // A Kafka sink also writes its persisted metadata columns (`timestamp`, `headers`), as
    // Flink's sink schema holds every column but computed and VIRTUAL ones.
    let writes_metadata = matches!(sink.connector(), "kafka" | "upsert-kafka");
    let targets: Vec<_> = sink
        .columns
        .iter()
        .filter(|c| match c.kind {
            ColumnKind::Physical => true,
            ColumnKind::Metadata { is_virtual, .. } => writes_metadata && !is_virtual,
            ColumnKind::Computed(_) => false,
        })
        .collect();
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

/// Whether the sink's connector takes updates and deletions (`print` writes each change with
/// its kind, `blackhole` drops them); every other connector's format is insert-only, as Flink's
/// `json`, `csv` and `raw` are.
fn accepts_updates(sink: &TableDef) -> bool {
    matches!(sink.connector(), "print" | "blackhole" | "upsert-kafka")
}

/// Refuses an updating result for a sink that cannot take it, as Flink's
/// `FlinkChangelogModeInferenceProgram` and its sink checks (`StreamPhysicalSink`) do, with
/// their messages: an insert-only sink names the node whose changes it cannot consume; a sink
/// with a primary key needs a result whose upsert key lies within it (Flink 2.3 asks for an
/// `ON CONFLICT` clause otherwise, which Sluice does not parse).
pub fn check_changes(plan: &PhysicalPlan, sink: &TableDef) -> Result<(), SqlError> {
    if plan.changelog.is_insert_only() {
        return Ok(());
    }
    let qualified = format!("default_catalog.default_database.{}", sink.name);
    if !accepts_updates(sink) {
        let producer = producer_of_changes(plan);
        let mode = producer.changelog;
        let changes = match (mode.update_after, mode.delete) {
            (true, true) => "update and delete",
            (true, false) => "update",
            _ => "delete",
        };
        return Err(SqlError::new(format!(
            "Table sink '{qualified}' doesn't support consuming {changes} changes which is produced by node {}",
            explain::describe(producer)
        ))
        .hint("write into a 'print' or 'blackhole' table, or make the result append-only (a window aggregation instead of a GROUP BY)"));
    }
    if sink.primary_key.is_empty() {
        return Ok(());
    }
    let Some(key) = upsert_key(plan) else { return Ok(()) };
    let primary: Vec<&str> = sink.primary_key.iter().map(String::as_str).collect();
    let names: Vec<&str> = key.iter().filter_map(|&c| plan.schema.fields.get(c)).map(|f| f.name.as_str()).collect();
    let within = !key.is_empty() && names.iter().all(|n| primary.contains(n));
    if within {
        return Ok(());
    }
    let shown = if names.is_empty() { String::new() } else { format!("[{}]", names.join(", ")) };
    Err(SqlError::new(format!(
        "The query has an upsert key that differs from the primary key of the sink table '{qualified}'. Primary key: [{}], \
         upsert key: {shown}. This can lead to non-deterministic results when multiple records with different upsert keys map \
         to the same primary key. Please specify an ON CONFLICT clause to define how conflicts should be handled: ON CONFLICT \
         DO DEDUPLICATE (update to the latest record, state intensive, since we need to keep the entire history), or ON \
         CONFLICT DO ERROR (fail on conflict), or ON CONFLICT DO NOTHING (keep first record).",
        primary.join(", ")
    ))
    .hint("make the sink's PRIMARY KEY the columns the query groups by (Sluice does not parse ON CONFLICT yet)"))
}

/// The node whose updates reach the root: below the filters, projections and unions that only
/// pass them on (the node Flink's message names).
fn producer_of_changes(plan: &PhysicalPlan) -> &PhysicalPlan {
    let mut node = plan;
    loop {
        let next = match &node.node {
            PhysicalNode::Calc { input, .. } | PhysicalNode::WindowTableFunction { input, .. } => Some(&**input),
            PhysicalNode::Union { inputs } => inputs.iter().find(|i| !i.changelog.is_insert_only()),
            _ => None,
        };
        match next {
            Some(n) if !n.changelog.is_insert_only() => node = n,
            _ => return node,
        }
    }
}

/// The columns the rows of an updating `plan` are unique on, as far as Flink's
/// `FlinkRelMdUpsertKeys` would know them through Sluice's nodes: a group aggregate's keys, a
/// deduplication's partition, followed through filters and projections (an empty key when a
/// projection drops one of them). `None` where Sluice does not derive the key (a Top-N, a
/// join): then the sink is not checked.
fn upsert_key(plan: &PhysicalPlan) -> Option<Vec<usize>> {
    // The projections between the root and the keyed node, outermost first.
    let mut projections: Vec<&[Expr]> = Vec::new();
    let mut node = plan;
    let mut key = loop {
        match &node.node {
            PhysicalNode::Calc { input, projection, .. } => {
                if let Some(exprs) = projection {
                    projections.push(exprs);
                }
                node = input;
            }
            PhysicalNode::GroupAggregate { keys, .. } => break (0..*keys).collect::<Vec<usize>>(),
            PhysicalNode::Deduplicate { partition, .. } => break partition.clone(),
            _ => return None,
        }
    };
    for exprs in projections.iter().rev() {
        let moved: Option<Vec<usize>> = key.iter().map(|k| exprs.iter().position(|e| e.as_column() == Some(*k))).collect();
        match moved {
            Some(k) => key = k,
            None => return Some(Vec::new()),
        }
    }
    Some(key)
}
