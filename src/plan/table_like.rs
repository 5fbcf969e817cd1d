//! `CREATE TABLE t (…) WITH (…) LIKE source (options)`: the source table's definition merged with
//! the new one, as Flink 2.3's `MergeTableLikeUtil` merges them. The source's physical columns
//! always come first; its computed (GENERATED) and METADATA columns, watermark, primary key
//! (CONSTRAINTS), partitions and options follow their feature's strategy: INCLUDING (the
//! default; the new table may not declare the same again), EXCLUDING (left out), OVERWRITING
//! (the new table's win; the default for OPTIONS). The new table's own columns come last.
//! Messages are Flink's.

use super::catalog::{TableDef, DEFAULT_CATALOG, DEFAULT_DATABASE};
use super::table_ddl::definition;
use crate::sql::ast::{ColumnDef, ColumnKind as AstColumnKind, CreateTable, LikeClause, LikeFeature, LikeStrategy};
use crate::sql::{Result, SqlError};

/// Each feature's strategy after the clause's options, in order.
struct Strategies {
    constraints: LikeStrategy,
    partitions: LikeStrategy,
    generated: LikeStrategy,
    metadata: LikeStrategy,
    options: LikeStrategy,
    watermarks: LikeStrategy,
}

impl Strategies {
    fn of(like: &LikeClause) -> Result<Self> {
        use LikeStrategy::*;
        // Flink's default: INCLUDING ALL OVERWRITING OPTIONS.
        let mut s = Strategies {
            constraints: Including,
            partitions: Including,
            generated: Including,
            metadata: Including,
            options: Overwriting,
            watermarks: Including,
        };
        for &(strategy, feature) in &like.options {
            let slot = match feature {
                LikeFeature::All => {
                    if strategy == Overwriting {
                        return Err(SqlError::new(
                            "OVERWRITING ALL is not supported: OVERWRITING applies to GENERATED, METADATA, OPTIONS and WATERMARKS",
                        )
                        .at(like.location));
                    }
                    s = Strategies {
                        constraints: strategy,
                        partitions: strategy,
                        generated: strategy,
                        metadata: strategy,
                        options: strategy,
                        watermarks: strategy,
                    };
                    continue;
                }
                LikeFeature::Constraints | LikeFeature::Partitions if strategy == Overwriting => {
                    let name = if feature == LikeFeature::Constraints { "CONSTRAINTS" } else { "PARTITIONS" };
                    return Err(
                        SqlError::new(format!("OVERWRITING is not supported for {name}: INCLUDING or EXCLUDING them")).at(like.location)
                    );
                }
                LikeFeature::Constraints => &mut s.constraints,
                LikeFeature::Partitions => &mut s.partitions,
                LikeFeature::Generated => &mut s.generated,
                LikeFeature::Metadata => &mut s.metadata,
                LikeFeature::Options => &mut s.options,
                LikeFeature::Watermarks => &mut s.watermarks,
            };
            *slot = strategy;
        }
        Ok(s)
    }
}

/// `ddl` with `base`'s definition merged in (its LIKE clause dropped).
pub fn merge(ddl: &CreateTable, base: &TableDef) -> Result<CreateTable> {
    let Some(like) = &ddl.like else { return Ok(ddl.clone()) };
    let s = Strategies::of(like)?;
    let at = like.location;
    let base = definition(base, at)?;
    let declared = |name: &str| ddl.columns.iter().find(|c| c.name.value == name);
    let mut columns: Vec<ColumnDef> = Vec::new();
    let mut placed: Vec<&str> = Vec::new();
    for c in &base.columns {
        let name = c.name.value.as_str();
        let (strategy, kind, feature) = match &c.kind {
            AstColumnKind::Physical(_) => {
                if declared(name).is_some() {
                    return Err(SqlError::new(format!("A column named '{name}' already exists in the base table.")).at(at));
                }
                columns.push(c.clone());
                continue;
            }
            AstColumnKind::Computed(_) => (s.generated, "generated", "GENERATED"),
            AstColumnKind::Metadata { .. } => (s.metadata, "metadata", "METADATA"),
        };
        let Some(column) = kept(ddl, name, strategy, kind, feature, at)? else { continue };
        let kind = match column {
            Some(new) => {
                placed.push(&new.name.value);
                new.kind.clone()
            }
            None => c.kind.clone(),
        };
        columns.push(ColumnDef { kind, ..c.clone() });
    }
    columns.extend(ddl.columns.iter().filter(|c| !placed.contains(&c.name.value.as_str())).cloned());

    let watermark = match (s.watermarks, &ddl.watermark, base.watermark) {
        (LikeStrategy::Including, Some(_), Some(base)) => {
            return Err(SqlError::new(format!(
                "There already exists a watermark spec for column '{}' in the base table. You might want to specify EXCLUDING WATERMARKS or OVERWRITING WATERMARKS.",
                base.rowtime.value
            ))
            .at(at))
        }
        (_, Some(new), _) => Some(new.clone()),
        (LikeStrategy::Excluding, None, _) => None,
        (_, None, base) => base,
    };

    let (primary_key, primary_key_name) = match s.constraints {
        LikeStrategy::Including if !base.primary_key.is_empty() && !ddl.primary_key.is_empty() => {
            return Err(SqlError::new("The base table already has a primary key. You might want to specify EXCLUDING CONSTRAINTS.").at(at))
        }
        LikeStrategy::Including if ddl.primary_key.is_empty() => (base.primary_key, base.primary_key_name),
        _ => (ddl.primary_key.clone(), ddl.primary_key_name.clone()),
    };

    // Flink 2.3 keeps the base's partitions even when told to exclude them (checked with
    // PyFlink 2.3.0); the new table's own win.
    let partitioned_by = if ddl.partitioned_by.is_empty() { base.partitioned_by } else { ddl.partitioned_by.clone() };

    let mut options: Vec<(String, String)> = Vec::new();
    if s.options != LikeStrategy::Excluding {
        options.extend(base.options);
    }
    for (key, value) in &ddl.options {
        match options.iter_mut().find(|(k, _)| k == key) {
            Some((k, v)) if s.options == LikeStrategy::Including => {
                return Err(SqlError::new(format!(
                    "There already exists an option ['{k}' -> '{v}']  in the base table. You might want to specify EXCLUDING OPTIONS or OVERWRITING OPTIONS."
                ))
                .at(at))
            }
            Some(option) => option.1.clone_from(value),
            None => options.push((key.clone(), value.clone())),
        }
    }

    Ok(CreateTable {
        columns,
        watermark,
        primary_key,
        primary_key_name,
        partitioned_by,
        options,
        comment: ddl.comment.clone().or_else(|| base.comment.clone()),
        like: None,
        ..ddl.clone()
    })
}

/// Whether a base column of a kind (`generated`, `metadata`) stays: `None` when excluded, else
/// `Some(the new table's column of that name, if it overwrites it)`.
fn kept<'a>(
    ddl: &'a CreateTable,
    name: &str,
    strategy: LikeStrategy,
    kind: &str,
    feature: &str,
    at: crate::sql::Location,
) -> Result<Option<Option<&'a ColumnDef>>> {
    let new = ddl.columns.iter().find(|c| c.name.value == name);
    match (strategy, new) {
        (LikeStrategy::Excluding, _) => Ok(None),
        (LikeStrategy::Including, Some(_)) => Err(SqlError::new(format!(
            "A {kind} column named '{name}' already exists in the base table. You might want to specify EXCLUDING {feature} or OVERWRITING {feature}."
        ))
        .at(at)),
        (_, new) => Ok(Some(new)),
    }
}

/// The message for a LIKE source that is not a table of the catalog (Flink's).
pub fn source_not_found(like: &LikeClause) -> SqlError {
    SqlError::new(format!(
        "Source table '`{DEFAULT_CATALOG}`.`{DEFAULT_DATABASE}`.`{}`' of the LIKE clause not found in the catalog",
        like.source.value
    ))
    .at(like.location)
}
