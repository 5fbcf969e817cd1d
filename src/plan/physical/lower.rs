//! Lowering a logical plan to a physical one: each logical node becomes the operator Flink's
//! `StreamPhysical*` rules would pick for it, with the kinds of change it emits (pass 1 of
//! [`super::changelog`]), and a node that needs an insert-only input but is given an updating
//! one is refused with the location of the SQL that asked for it. Pass 2 then settles how
//! updates are told, as the plan's reader asks.

use std::sync::Arc;

use super::changelog::{assign_update_kinds, ChangelogMode, RootReader};
use super::{JoinOperator, PhysicalNode, PhysicalPlan, RankProcess, WindowAssignment};
use crate::plan::logical::{JoinKind, Node, Plan, RankStrategy, WindowSpec};
use crate::sql::{Location, SqlError};

/// The physical plan of `plan`, read by `reader`.
pub fn lower(plan: &Plan, reader: RootReader) -> Result<PhysicalPlan, SqlError> {
    let mut physical = lower_node(plan)?;
    assign_update_kinds(&mut physical, reader);
    Ok(physical)
}

const UPDATING_EXAMPLE: &str = "(e.g. the output of a GROUP BY without a window)";

/// Refuses an updating `input` for an operator that reads only inserts.
fn insert_only(input: &PhysicalPlan, what: &str, location: Location) -> Result<(), SqlError> {
    if input.changelog.is_insert_only() {
        return Ok(());
    }
    Err(SqlError::new(format!("{what} cannot consume an updating result {UPDATING_EXAMPLE}"))
        .at(location)
        .hint("window the aggregation below, or read the table directly"))
}

fn lower_node(plan: &Plan) -> Result<PhysicalPlan, SqlError> {
    let schema = plan.schema.clone();
    let node = |node: PhysicalNode, changelog: ChangelogMode| PhysicalPlan { node, schema: schema.clone(), changelog };
    Ok(match &plan.node {
        Node::Scan { table } => {
            let mode = ChangelogMode::of_source(table);
            let scan = node(PhysicalNode::TableSourceScan { table: table.clone() }, mode);
            // An upsert source is normalized per primary key before anything reads it, as
            // Flink's `StreamPhysicalTableSourceScanRule` puts `ChangelogNormalize` over it.
            if !mode.is_upsert() {
                return Ok(scan);
            }
            let key: Vec<usize> = table.primary_key.iter().filter_map(|k| schema.fields.iter().position(|f| &f.name == k)).collect();
            if key.len() != table.primary_key.len() || key.is_empty() {
                return Err(SqlError::new(format!("the upsert table `{}` needs a PRIMARY KEY of its columns", table.name)));
            }
            node(PhysicalNode::ChangelogNormalize { input: Box::new(scan), key }, ChangelogMode::ALL)
        }
        Node::Values { rows } => node(PhysicalNode::Values { rows: Arc::clone(rows) }, ChangelogMode::INSERT_ONLY),
        Node::Filter { input, predicate } => {
            let input = lower_node(input)?;
            let mode = input.changelog;
            node(PhysicalNode::Calc { input: Box::new(input), predicate: Some(predicate.clone()), projection: None }, mode)
        }
        Node::Project { input, exprs } => {
            // A projection over a filter is one Calc, as Flink's `FlinkCalcMergeRule` makes it.
            let (input, predicate) = match &input.node {
                Node::Filter { input: inner, predicate } => (lower_node(inner)?, Some(predicate.clone())),
                _ => (lower_node(input)?, None),
            };
            let mode = input.changelog;
            node(PhysicalNode::Calc { input: Box::new(input), predicate, projection: Some(exprs.clone()) }, mode)
        }
        Node::Expand { input, projects } => {
            let input = lower_node(input)?;
            let mode = input.changelog;
            node(PhysicalNode::Expand { input: Box::new(input), projects: projects.clone() }, mode)
        }
        Node::Aggregate { input, keys, aggs, window: None } => {
            let input = lower_node(input)?;
            let mode = ChangelogMode::of_group_aggregate(input.changelog);
            node(PhysicalNode::GroupAggregate { input: Box::new(input), keys: *keys, aggs: aggs.clone() }, mode)
        }
        Node::Aggregate { input, keys, aggs, window: Some(w) } => {
            let input = lower_node(input)?;
            insert_only(&input, "a window aggregation", w.location)?;
            let assignment = match w.spec {
                WindowSpec::Session { gap } => WindowAssignment::Session { gap },
                _ => WindowAssignment::Sliced,
            };
            let proctime = input.schema.fields.get(w.time_column).is_some_and(|f| f.ty.proctime);
            node(
                PhysicalNode::WindowAggregate {
                    input: Box::new(input),
                    keys: *keys,
                    aggs: aggs.clone(),
                    spec: w.spec,
                    time_column: w.time_column,
                    assignment,
                    proctime,
                },
                ChangelogMode::INSERT_ONLY,
            )
        }
        Node::Over { input, window, aggs } => {
            let input = lower_node(input)?;
            insert_only(&input, "an OVER aggregation", window.location)?;
            node(
                PhysicalNode::OverAggregate { input: Box::new(input), window: window.clone(), aggs: aggs.clone() },
                ChangelogMode::INSERT_ONLY,
            )
        }
        Node::Rank { input, rank } => {
            let input = lower_node(input)?;
            let range = rank.range.ok_or_else(|| {
                SqlError::new("ROW_NUMBER() must be filtered to a range of row numbers")
                    .at(rank.location)
                    .hint("add WHERE rn <= N in the query that reads it")
            })?;
            let updating = !input.changelog.is_insert_only();
            if matches!(rank.strategy, RankStrategy::WindowTopN { .. } | RankStrategy::WindowDeduplicate { .. }) && updating {
                return Err(SqlError::new(format!("a window ranking over an updating result {UPDATING_EXAMPLE} is not supported"))
                    .at(rank.location));
            }
            let partition = rank.partition.clone();
            let order = rank.order.clone();
            let input = Box::new(input);
            match rank.strategy {
                // Flink turns a deduplication into a Deduplicate only over an insert-only input;
                // over an updating one it stays a Top-1 `Rank` (RetractStrategy).
                RankStrategy::TopN | RankStrategy::Deduplicate { .. } if updating => node(
                    PhysicalNode::Rank { input, partition, order, range, output_number: rank.output_number, process: RankProcess::Retract },
                    ChangelogMode::ALL,
                ),
                RankStrategy::TopN => {
                    let process = if input.changelog.is_insert_only() { RankProcess::AppendFast } else { RankProcess::Retract };
                    node(
                        PhysicalNode::Rank { input, partition, order, range, output_number: rank.output_number, process },
                        ChangelogMode::ALL,
                    )
                }
                // Keeping the first row by event time emits each key's row once its watermark
                // has passed; keeping the last replaces it with every newer one (Flink 2.3).
                // On processing time, the first row is emitted at once and the last replaces it
                // at once (`ProcTimeDeduplicate…Function`).
                RankStrategy::Deduplicate { keep_last, time_column, proctime } => {
                    let mode = if keep_last { ChangelogMode::ALL } else { ChangelogMode::INSERT_ONLY };
                    node(PhysicalNode::Deduplicate { input, partition, keep_last, time_column, proctime }, mode)
                }
                RankStrategy::WindowTopN { end_column } => node(
                    PhysicalNode::WindowRank { input, partition, order, range, output_number: rank.output_number, end_column },
                    ChangelogMode::INSERT_ONLY,
                ),
                RankStrategy::WindowDeduplicate { end_column, keep_last, time_column } => node(
                    PhysicalNode::WindowDeduplicate { input, partition, order, keep_last, time_column, end_column },
                    ChangelogMode::INSERT_ONLY,
                ),
            }
        }
        Node::WindowTvf { input, spec, partition, time_column, location } => {
            let input = lower_node(input)?;
            insert_only(&input, "a window table function", *location)?;
            let mode = input.changelog;
            node(
                PhysicalNode::WindowTableFunction {
                    input: Box::new(input),
                    spec: *spec,
                    partition: partition.clone(),
                    time_column: *time_column,
                },
                mode,
            )
        }
        // Over an updating input a LIMIT may delete a row it emitted, when a retraction lets
        // a later row into the first n (Flink's `StreamPhysicalLimit`: all kinds of change).
        Node::Limit { input, offset, fetch, .. } => {
            let input = lower_node(input)?;
            let mode = if input.changelog.is_insert_only() { ChangelogMode::INSERT_ONLY } else { ChangelogMode::ALL };
            node(PhysicalNode::Limit { input: Box::new(input), offset: *offset, fetch: *fetch }, mode)
        }
        Node::TemporalSort { input, order, location } => {
            let input = lower_node(input)?;
            insert_only(&input, "ORDER BY a time attribute", *location)?;
            node(PhysicalNode::TemporalSort { input: Box::new(input), order: order.clone() }, ChangelogMode::INSERT_ONLY)
        }
        Node::Match { input, spec, location } => {
            let input = lower_node(input)?;
            insert_only(&input, "MATCH_RECOGNIZE", *location)?;
            node(PhysicalNode::Match { input: Box::new(input), spec: Arc::new((**spec).clone()) }, ChangelogMode::INSERT_ONLY)
        }
        // A correlate emits the kinds of change its input does, one per element.
        Node::Correlate { input, unnest } => {
            let input = lower_node(input)?;
            let mode = input.changelog;
            node(PhysicalNode::Correlate { input: Box::new(input), unnest: unnest.clone() }, mode)
        }
        Node::Union { inputs } => {
            let inputs = inputs.iter().map(lower_node).collect::<Result<Vec<_>, _>>()?;
            let mode = inputs.iter().fold(ChangelogMode::INSERT_ONLY, |m, i| m.union(i.changelog));
            node(PhysicalNode::Union { inputs }, mode)
        }
        Node::Join { left, right, join } => {
            let left = lower_node(left)?;
            let right = lower_node(right)?;
            // As Flink's `StreamPhysicalIntervalJoinRule` and `StreamPhysicalWindowJoinRule`:
            // time bounds between two event-time attributes make an interval join, equal
            // windows a window join, anything else a regular join.
            // `FOR SYSTEM_TIME AS OF` a left event-time attribute makes an event-time temporal
            // join (`StreamPhysicalTemporalJoinRule`).
            let operator = match (join.temporal, join.time_bounds, join.window_ends) {
                (Some(times), _, _) => JoinOperator::Temporal(times),
                (None, Some(bounds), _) => JoinOperator::Interval(bounds),
                (None, None, Some((left_end, right_end))) => JoinOperator::Window { left_end, right_end },
                (None, None, None) => JoinOperator::Regular,
            };
            let mode = match operator {
                JoinOperator::Regular => {
                    // An inner or semi join passes on what its inputs do; any other may
                    // retract a row it emitted (a padded row once a partner comes).
                    match join.kind {
                        JoinKind::Inner | JoinKind::Semi => left.changelog.union(right.changelog),
                        _ => ChangelogMode::ALL,
                    }
                }
                JoinOperator::Interval(_) => {
                    for side in [&left, &right] {
                        insert_only(side, "an interval join", join.location)?;
                    }
                    ChangelogMode::INSERT_ONLY
                }
                JoinOperator::Window { .. } => {
                    for side in [&left, &right] {
                        insert_only(side, "a window join", join.location)?;
                    }
                    ChangelogMode::INSERT_ONLY
                }
                // The versioned side may update and delete; the probe side is a stream of
                // facts, each joined once.
                JoinOperator::Temporal(_) => {
                    insert_only(&left, "the left input of a temporal join", join.location)?;
                    ChangelogMode::INSERT_ONLY
                }
            };
            node(PhysicalNode::Join { left: Box::new(left), right: Box::new(right), join: join.clone(), operator }, mode)
        }
    })
}
