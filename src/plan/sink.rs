//! Fitting a query's result to a sink table's columns (INSERT INTO), with Flink's type checks.
//!
//! One deliberate difference (see DIFFERENCES.md): narrowing an integer, as the walkthrough's
//! `INSERT INTO sensor_state SELECT … COUNT(*) …` does into `num INTEGER`, is accepted with a
//! warning naming the column, where Flink 2.3 rejects it; an explicit CAST is inserted.
//!
//! [`plan_insert`] refuses what Flink's planner refuses between an updating result and its
//! sink: a connector that writes only inserts (`filesystem`, `kinesis`: their formats are
//! insert-only), and a sink whose `PRIMARY KEY` is not the result's upsert key without an
//! `ON CONFLICT` clause; with `ON CONFLICT DO DEDUPLICATE` it asks for Flink's
//! `SinkUpsertMaterializer` ([`UpsertMaterialize`]).

use super::bind::cast;
use super::catalog::{ColumnKind, TableColumn, TableDef};
use super::expr::Expr;
use super::logical::{Node, Plan, Schema, SchemaField};
use super::physical::{explain, PhysicalNode, PhysicalPlan};
use crate::sql::ast::ConflictStrategy;
use crate::sql::SqlError;
use crate::types::DataType;

/// The query's rows as the sink's columns: `columns` (`INSERT INTO t (c, b) …`) names the sink
/// column each query column goes to, the others NULL, as in Flink; then each value is cast to
/// its column's type where Flink does.
pub fn fit_to_sink(plan: Plan, sink: &TableDef, columns: &[sqlparser::ast::Ident]) -> Result<(Plan, Vec<String>), SqlError> {
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
    let plan = if columns.is_empty() { plan } else { to_target_order(plan, &targets, columns)? };
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

/// `INSERT INTO t (c, b) SELECT x, y …`: the query's columns moved to the positions of the
/// sink columns named, NULL in the others (Flink's messages where it refuses).
fn to_target_order(plan: Plan, targets: &[&TableColumn], columns: &[sqlparser::ast::Ident]) -> Result<Plan, SqlError> {
    if columns.len() != plan.schema.len() {
        return Err(SqlError::new(format!(
            "Number of INSERT target columns ({}) does not equal number of source items ({})",
            columns.len(),
            plan.schema.len()
        )));
    }
    let mut source: Vec<Option<usize>> = vec![None; targets.len()];
    for (i, c) in columns.iter().enumerate() {
        let Some(t) = targets.iter().position(|t| t.name == c.value) else {
            return Err(SqlError::new(format!("Unknown target column '{}'", c.value)));
        };
        if source[t].replace(i).is_some() {
            return Err(SqlError::new(format!("Target column '{}' is assigned more than once", c.value)));
        }
    }
    let mut exprs = Vec::with_capacity(targets.len());
    let mut fields = Vec::with_capacity(targets.len());
    for (target, from) in targets.iter().zip(source) {
        let expr = match from {
            Some(i) => Expr::column(i, plan.schema.fields[i].ty.clone()),
            None if target.ty.nullable => Expr::literal(crate::types::Value::Null, target.ty.clone()),
            None => return Err(SqlError::new(format!("Column '{}' has no default value and does not allow NULLs", target.name))),
        };
        fields.push(SchemaField { name: target.name.clone(), ty: expr.ty.clone(), qualifier: None });
        exprs.push(expr);
    }
    Ok(Plan { schema: Schema { fields }, node: Node::Project { input: Box::new(plan), exprs } })
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
/// its kind, `blackhole` drops them, `debezium-json` writes them as Debezium's events); every
/// other format is insert-only, as Flink's `json`, `csv` and `raw` are.
fn accepts_updates(sink: &TableDef) -> bool {
    matches!(sink.connector(), "print" | "blackhole" | "upsert-kafka")
        || sink.option("value.format").or(sink.option("format")).is_some_and(super::physical::changelog::is_changelog_format)
}

/// The setting that says when an upsert sink's rows are materialized (Flink's option).
pub const UPSERT_MATERIALIZE_KEY: &str = "table.exec.sink.upsert-materialize";
/// The setting that makes Flink 2.3 ask for `ON CONFLICT` when the keys differ (default true).
pub const REQUIRE_ON_CONFLICT_KEY: &str = "table.exec.sink.require-on-conflict";

/// `table.exec.sink.upsert-materialize`: `NONE`, `AUTO` (the default: when the result's upsert
/// key is not within the sink's primary key) or `FORCE` (whenever the sink has a primary key).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MaterializeMode {
    None,
    Auto,
    Force,
}

/// The session settings an INSERT's sink plan reads.
#[derive(Clone, Copy, Debug)]
pub struct SinkSettings {
    pub materialize: MaterializeMode,
    pub require_on_conflict: bool,
}

impl SinkSettings {
    /// Reads the settings from the session's (`get` gives a setting's value), refusing a value
    /// Flink refuses.
    pub fn from_config<'a>(get: impl Fn(&str) -> Option<&'a str>) -> Result<SinkSettings, SqlError> {
        let materialize = match get(UPSERT_MATERIALIZE_KEY).map(|v| v.trim().to_ascii_uppercase()) {
            None => MaterializeMode::Auto,
            Some(v) if v == "AUTO" => MaterializeMode::Auto,
            Some(v) if v == "NONE" => MaterializeMode::None,
            Some(v) if v == "FORCE" => MaterializeMode::Force,
            Some(v) => {
                return Err(SqlError::new(format!("'{UPSERT_MATERIALIZE_KEY}' = '{v}' is not one of NONE, AUTO, FORCE")));
            }
        };
        let require_on_conflict = match get(REQUIRE_ON_CONFLICT_KEY).map(|v| v.trim().to_ascii_lowercase()) {
            None => true,
            Some(v) if v == "true" => true,
            Some(v) if v == "false" => false,
            Some(v) => return Err(SqlError::new(format!("'{REQUIRE_ON_CONFLICT_KEY}' = '{v}' is not true or false"))),
        };
        Ok(SinkSettings { materialize, require_on_conflict })
    }
}

impl Default for SinkSettings {
    fn default() -> Self {
        SinkSettings { materialize: MaterializeMode::Auto, require_on_conflict: true }
    }
}

/// How an upsert sink's rows are put in order before they are written (Flink's
/// `upsertMaterialize=[true]`): by the sink's primary key, versions told apart by the result's
/// upsert key. `engine::sink_upsert_materializer` runs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UpsertMaterialize {
    /// The primary key's columns in the result.
    pub primary_key: Vec<usize>,
    /// The result's upsert key, where Sluice derives it; `None`: rows are compared whole.
    pub upsert_key: Option<Vec<usize>>,
    pub strategy: ConflictStrategy,
}

/// What an INSERT writes: the physical plan, and the sink's conflict handling as EXPLAIN shows it.
pub struct SinkPlan {
    pub physical: PhysicalPlan,
    pub strategy: Option<ConflictStrategy>,
    pub materialize: Option<UpsertMaterialize>,
}

impl SinkPlan {
    /// The attributes Flink's EXPLAIN writes after a sink's fields.
    pub fn explain_attributes(&self) -> String {
        let mut out = String::new();
        if self.materialize.is_some() {
            out.push_str(", upsertMaterialize=[true]");
        }
        if let Some(s) = self.strategy {
            out.push_str(&format!(", conflictStrategy=[{}]", s.sql()));
        }
        out
    }
}

/// Plans an `INSERT INTO sink` of `plan` (already fitted to the sink's columns): lowers it for
/// what the sink reads, refuses what Flink's planner refuses between an updating result and its
/// sink, and decides whether the rows are materialized by the sink's primary key, as Flink's
/// `FlinkChangelogModeInferenceProgram.analyzeUpsertMaterializeStrategy` does. In batch mode a
/// result is its final rows: any sink takes them.
pub fn plan_insert(
    plan: &Plan,
    sink: &TableDef,
    on_conflict: Option<ConflictStrategy>,
    settings: SinkSettings,
    batch: bool,
) -> Result<SinkPlan, SqlError> {
    let physical = super::physical::lower(plan, reader(sink))?;
    if batch {
        return Ok(SinkPlan { physical, strategy: on_conflict, materialize: None });
    }
    check_changes(&physical, sink)?;
    let materialize = upsert_materialize(&physical, sink, on_conflict, settings)?;
    // The materializer takes back retracted rows: it reads `-U` rows whatever the sink reads.
    let physical = if materialize.is_some() && reader(sink) != super::physical::changelog::RootReader::NeedsUpdateBefore {
        super::physical::lower(plan, super::physical::changelog::RootReader::NeedsUpdateBefore)?
    } else {
        physical
    };
    Ok(SinkPlan { physical, strategy: on_conflict, materialize })
}

/// Whether the sink is an append sink for this result, as its connector's `getChangelogMode`
/// answers Flink: an insert-only result makes `print` and `blackhole` append sinks too, while
/// `upsert-kafka` is an upsert sink whatever it is given. (No sink Sluice has is a retract
/// sink to Flink 2.3's conflict checks: `print` takes `ON CONFLICT` with or without a key.)
fn is_append_sink(plan: &PhysicalPlan, sink: &TableDef) -> bool {
    sink.connector() != "upsert-kafka" && (plan.changelog.is_insert_only() || !accepts_updates(sink))
}

/// Whether the sink's rows are materialized, with Flink's validation of `ON CONFLICT`.
fn upsert_materialize(
    plan: &PhysicalPlan,
    sink: &TableDef,
    on_conflict: Option<ConflictStrategy>,
    settings: SinkSettings,
) -> Result<Option<UpsertMaterialize>, SqlError> {
    let qualified = format!("default_catalog.default_database.{}", sink.name);
    let append = is_append_sink(plan, sink);
    if on_conflict.is_some() && append {
        return Err(SqlError::new(format!(
            "ON CONFLICT clause is only allowed for upsert sinks. The sink '{qualified}' is not an upsert sink because it only \
             accepts INSERT (append-only) changes."
        ))
        .hint("ON CONFLICT is for an updating result (a GROUP BY) written by key; leave it out here"));
    }
    if let Some(strategy @ (ConflictStrategy::Nothing | ConflictStrategy::Error)) = on_conflict {
        let without: Vec<String> = plan
            .sources()
            .iter()
            .filter_map(|s| s.table())
            .filter(|t| t.watermark.is_none())
            .map(|t| format!("default_catalog.default_database.{}", t.name))
            .collect();
        if !without.is_empty() {
            return Err(SqlError::new(format!(
                "ON CONFLICT DO {} requires all source tables to define watermarks, but the following source(s) do not: {}. \
                 Please add a WATERMARK declaration to these tables.",
                strategy.sql(),
                without.join(", ")
            )));
        }
    }
    let primary_key: Vec<usize> = sink.primary_key.iter().filter_map(|k| plan.schema.fields.iter().position(|f| &f.name == k)).collect();
    if primary_key.is_empty() || append {
        return Ok(None);
    }
    let key = upsert_key(plan);
    let materialize = |strategy| Some(UpsertMaterialize { primary_key: primary_key.clone(), upsert_key: key.clone(), strategy });
    let input_is_append = plan.changelog.is_insert_only();
    match settings.materialize {
        MaterializeMode::None => return Ok(None),
        MaterializeMode::Force => return Ok(materialize(on_conflict.unwrap_or(ConflictStrategy::Deduplicate))),
        MaterializeMode::Auto => {}
    }
    let deduplicate = on_conflict.is_none_or(|s| s == ConflictStrategy::Deduplicate);
    if input_is_append && deduplicate {
        return Ok(None);
    }
    // Where Sluice does not derive the upsert key of an updating result (a Top-N, a join) it
    // does not check it, and materializes only when asked to. An insert-only result has none
    // (reaching here with ON CONFLICT DO NOTHING or DO ERROR, which Flink materializes).
    let differs = match &key {
        Some(key) => {
            let names: Vec<&str> = key.iter().filter_map(|&c| plan.schema.fields.get(c)).map(|f| f.name.as_str()).collect();
            key.is_empty() || !names.iter().all(|n| sink.primary_key.iter().any(|p| p == n))
        }
        None => input_is_append || on_conflict.is_some(),
    };
    if settings.require_on_conflict && differs && on_conflict.is_none() {
        let names: Vec<&str> = key.iter().flatten().filter_map(|&c| plan.schema.fields.get(c)).map(|f| f.name.as_str()).collect();
        // Flink 2.3 writes an empty upsert key as nothing at all (`upsert key: .`).
        let shown = if names.is_empty() { String::new() } else { format!("[{}]", names.join(", ")) };
        return Err(SqlError::new(format!(
            "The query has an upsert key that differs from the primary key of the sink table '{qualified}'. Primary key: [{}], \
             upsert key: {shown}. This can lead to non-deterministic results when multiple records with different upsert keys map \
             to the same primary key. Please specify an ON CONFLICT clause to define how conflicts should be handled: ON CONFLICT \
             DO DEDUPLICATE (update to the latest record, state intensive, since we need to keep the entire history), or ON \
             CONFLICT DO ERROR (fail on conflict), or ON CONFLICT DO NOTHING (keep first record).",
            sink.primary_key.join(", ")
        ))
        .hint("add ON CONFLICT DO DEDUPLICATE, or make the sink's PRIMARY KEY the columns the query groups by"));
    }
    Ok(if differs { materialize(on_conflict.unwrap_or(ConflictStrategy::Deduplicate)) } else { None })
}

/// Refuses an updating result for a sink that cannot take it, as Flink's
/// `FlinkChangelogModeInferenceProgram` and its sink checks (`StreamPhysicalSink`) do, with
/// their messages: an insert-only sink names the node whose changes it cannot consume.
fn check_changes(plan: &PhysicalPlan, sink: &TableDef) -> Result<(), SqlError> {
    if plan.changelog.is_insert_only() || accepts_updates(sink) {
        return Ok(());
    }
    let qualified = format!("default_catalog.default_database.{}", sink.name);
    let producer = producer_of_changes(plan);
    let mode = producer.changelog;
    let changes = match (mode.update_after, mode.delete) {
        (true, true) => "update and delete",
        (true, false) => "update",
        _ => "delete",
    };
    Err(SqlError::new(format!(
        "Table sink '{qualified}' doesn't support consuming {changes} changes which is produced by node {}",
        explain::describe(producer)
    ))
    .hint("write into a 'print' or 'blackhole' table, or make the result append-only (a window aggregation instead of a GROUP BY)"))
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
            PhysicalNode::ChangelogNormalize { key, .. } => break key.clone(),
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
