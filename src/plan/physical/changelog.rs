//! Changelog modes: which kinds of change each node of a physical plan emits, inferred as
//! Flink's `FlinkChangelogModeInferenceProgram` infers them, in its two passes.
//!
//! 1. **Which kinds** (`ModifyKindSet`), bottom up, while lowering: a source inserts; a
//!    `GroupAggregate` inserts and updates (and deletes when its input updates or deletes); a
//!    Top-N or a regular outer join may do anything; window operators, interval joins and
//!    deduplication need an insert-only input; a `Calc` or `Union` passes on what its inputs
//!    emit. A node that needs an insert-only input and gets an updating one is refused
//!    ([`super::lower`] says where).
//! 2. **How updates are told** (`UpdateKind`), top down, by [`assign_update_kinds`]: whoever
//!    reads an update either needs the old row first (`-U` then `+U`, *before and after*, as a
//!    `GroupAggregate` retracting from its accumulators) or only the new one (`+U`, *only
//!    after*, as an upsert sink keyed like its input). The root asks for *only after* when
//!    nothing above needs more, and falls back to *before and after* when a node below cannot
//!    give it (a `Calc` with a condition, FLINK-9528, unless Flink would push it below a join;
//!    a join whose updating input is not keyed by the join key; a retracting Top-N).
//!
//! Printed as Flink prints it: `[I]`, `[I,UB,UA]`, `[I,UA]`, `[I,UB,UA,D]`, `[I,UA,D]`.

use std::fmt;

use super::{JoinOperator, PhysicalNode, PhysicalPlan, RankProcess};
use crate::plan::catalog::TableDef;
use crate::plan::expr::Expr;

/// The kinds of change a node emits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct ChangelogMode {
    pub insert: bool,
    /// `-U`: the old row of an update (only when what reads it needs it).
    pub update_before: bool,
    /// `+U`: the new row of an update.
    pub update_after: bool,
    pub delete: bool,
}

impl ChangelogMode {
    pub const INSERT_ONLY: ChangelogMode = ChangelogMode { insert: true, update_before: false, update_after: false, delete: false };
    /// Every kind: what a node that may do anything provides before pass 2 (`ALL_CHANGES`).
    pub const ALL: ChangelogMode = ChangelogMode { insert: true, update_before: true, update_after: true, delete: true };

    /// An upsert source's (`upsert-kafka`): each record a new row of its key or a delete,
    /// `[UA,D]`; `ChangelogNormalize` makes it complete.
    pub const UPSERT: ChangelogMode = ChangelogMode { insert: false, update_before: false, update_after: true, delete: true };

    /// What a table's source emits, as its connector's and format's `getChangelogMode` answer
    /// Flink: `upsert-kafka` is an upsert source, a table in a changelog format
    /// (`debezium-json`) emits every kind, any other only inserts.
    pub fn of_source(table: &TableDef) -> ChangelogMode {
        if table.connector() == "upsert-kafka" {
            return ChangelogMode::UPSERT;
        }
        let format = table.option("value.format").or(table.option("format"));
        if format.is_some_and(is_changelog_format) {
            return ChangelogMode::ALL;
        }
        ChangelogMode::INSERT_ONLY
    }

    /// An upsert changelog: updates without their old rows (Flink's `isUpsertSource`).
    pub fn is_upsert(self) -> bool {
        self.update_after && !self.update_before
    }

    /// Only inserts: a reader never sees a row change or go.
    pub fn is_insert_only(self) -> bool {
        !self.update_after && !self.delete
    }

    /// Whether rows are updated (`+U`).
    pub fn updates(self) -> bool {
        self.update_after
    }

    /// Both modes' kinds (a union's, an inner join's).
    pub fn union(self, other: ChangelogMode) -> ChangelogMode {
        ChangelogMode {
            insert: self.insert || other.insert,
            update_before: self.update_before || other.update_before,
            update_after: self.update_after || other.update_after,
            delete: self.delete || other.delete,
        }
    }

    /// A `GroupAggregate`'s: inserts and updates, and deletes when its input updates or deletes.
    pub fn of_group_aggregate(input: ChangelogMode) -> ChangelogMode {
        ChangelogMode { insert: true, update_before: true, update_after: true, delete: !input.is_insert_only() }
    }
}

/// The formats that read a change stream (each record an insert, update or delete) that Sluice
/// has (Flink's `canal-json` and `maxwell-json` are refused by name).
pub fn is_changelog_format(format: &str) -> bool {
    format == "debezium-json"
}

impl fmt::Display for ChangelogMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kinds = [(self.insert, "I"), (self.update_before, "UB"), (self.update_after, "UA"), (self.delete, "D")];
        let names: Vec<&str> = kinds.iter().filter(|(on, _)| *on).map(|(_, n)| *n).collect();
        write!(f, "[{}]", names.join(","))
    }
}

/// What a node's reader needs of the updates it emits (Flink's `UpdateKindTrait`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UpdateKind {
    /// The node emits no updates.
    None,
    /// `-U` and `+U`.
    BeforeAndAfter,
    /// `+U` only.
    OnlyAfter,
}

fn before_after_or_none(mode: ChangelogMode) -> UpdateKind {
    if mode.updates() {
        UpdateKind::BeforeAndAfter
    } else {
        UpdateKind::None
    }
}

fn only_after_or_none(mode: ChangelogMode) -> UpdateKind {
    if mode.updates() {
        UpdateKind::OnlyAfter
    } else {
        UpdateKind::None
    }
}

/// What reads the plan's root.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RootReader {
    /// A reader that needs `-U` rows (a retract sink such as `print`, the page's result).
    NeedsUpdateBefore,
    /// A reader content with `+U` rows (an upsert sink, EXPLAIN of a bare query).
    UpdateAfterSuffices,
}

/// Pass 2: sets `update_before` on every node, as the root's reader and the nodes between
/// ask. Never fails: *before and after* is always possible.
pub fn assign_update_kinds(plan: &mut PhysicalPlan, reader: RootReader) {
    let mode = plan.changelog;
    if !mode.updates() {
        satisfy(plan, UpdateKind::None);
        return;
    }
    if reader == RootReader::UpdateAfterSuffices && satisfy(plan, UpdateKind::OnlyAfter) {
        return;
    }
    satisfy(plan, UpdateKind::BeforeAndAfter);
}

/// Makes `plan` emit its updates as `required` asks, if it can; false if it cannot. A
/// success sets every node below; a failure may leave some set, which the next attempt
/// overwrites.
fn satisfy(plan: &mut PhysicalPlan, required: UpdateKind) -> bool {
    let provided = match &mut plan.node {
        PhysicalNode::Values { .. } => UpdateKind::None,
        // A source tells its updates as its format does: an upsert source `+U` alone, a
        // changelog format `-U` and `+U` (Flink drops the `-U` rows of such a source for a
        // reader content with `+U`; Sluice keeps them, so it asks for both).
        PhysicalNode::TableSourceScan { .. } => {
            let mode = plan.changelog;
            match (mode.updates(), mode.is_upsert()) {
                (false, _) => UpdateKind::None,
                (true, true) => UpdateKind::OnlyAfter,
                (true, false) => UpdateKind::BeforeAndAfter,
            }
        }
        // It reads `+U` rows alone and gives whatever its reader asks.
        PhysicalNode::ChangelogNormalize { input, .. } => {
            if !satisfy(input, UpdateKind::OnlyAfter) {
                return false;
            }
            required
        }
        PhysicalNode::GroupAggregate { input, .. } => {
            let child = before_after_or_none(input.changelog);
            if !satisfy(input, child) {
                return false;
            }
            required
        }
        PhysicalNode::OverAggregate { input, .. } => {
            let child = before_after_or_none(input.changelog);
            if !satisfy(input, child) {
                return false;
            }
            child
        }
        PhysicalNode::WindowAggregate { input, .. }
        | PhysicalNode::WindowRank { input, .. }
        | PhysicalNode::WindowDeduplicate { input, .. }
        | PhysicalNode::TemporalSort { input, .. }
        | PhysicalNode::Match { input, .. }
        | PhysicalNode::Deduplicate { input, .. } => {
            if !satisfy(input, UpdateKind::None) {
                return false;
            }
            required
        }
        // Over an updating input, a rank that keeps every row (`RetractStrategy`).
        PhysicalNode::Limit { input, .. } => {
            if !satisfy(input, before_after_or_none(input.changelog)) {
                return false;
            }
            required
        }
        PhysicalNode::Rank { input, process, .. } => {
            let child = match process {
                RankProcess::AppendFast => UpdateKind::None,
                RankProcess::Retract => UpdateKind::BeforeAndAfter,
            };
            if !satisfy(input, child) {
                return false;
            }
            required
        }
        PhysicalNode::Calc { input, predicate, .. } => {
            // Flink will not let a filter pass on only `+U` rows (FLINK-9528: `cnt < 10`
            // over an aggregate would keep a key's stale row once its count passes 10).
            if required == UpdateKind::OnlyAfter && predicate.as_ref().is_some_and(|p| !pushed_below_join(p, input)) {
                return false;
            }
            if !satisfy(input, required) {
                return false;
            }
            provided_of(input)
        }
        PhysicalNode::WindowTableFunction { input, .. } | PhysicalNode::Correlate { input, .. } | PhysicalNode::Expand { input, .. } => {
            if !satisfy(input, required) {
                return false;
            }
            provided_of(input)
        }
        PhysicalNode::Union { inputs } => {
            let mut merged = UpdateKind::None;
            for input in inputs.iter_mut() {
                let child = if input.changelog.is_insert_only() { UpdateKind::None } else { required };
                if !satisfy(input, child) {
                    return false;
                }
                merged = match (merged, provided_of(input)) {
                    (UpdateKind::None, k) | (k, UpdateKind::None) => k,
                    (a, b) if a == b => a,
                    // A union cannot mix `+U`-only inputs with retracting ones.
                    _ => return false,
                };
            }
            merged
        }
        // A temporal join reads the versioned side's new rows alone (`+U`, not `-U`): a
        // version replaces the one before it.
        PhysicalNode::Join { left, right, operator: JoinOperator::Temporal(_), .. } => {
            if !satisfy(left, UpdateKind::None) || !satisfy(right, only_after_or_none(right.changelog)) {
                return false;
            }
            required
        }
        PhysicalNode::Join { left, right, join, .. } => {
            let keys = [join.left_keys.clone(), join.right_keys.clone()];
            for (side, input) in [left, right].into_iter().enumerate() {
                let child = if required == UpdateKind::OnlyAfter {
                    // Only an input keyed by (part of) the join key can be joined from `+U`
                    // rows alone: its new row replaces the one row of that key.
                    if input.changelog.updates() && !unique_key_within(input, &keys[side]) {
                        return false;
                    }
                    only_after_or_none(input.changelog)
                } else {
                    before_after_or_none(input.changelog)
                };
                if !satisfy(input, child) {
                    return false;
                }
            }
            required
        }
    };
    let updates = plan.changelog.updates();
    // A node emitting updates must say how; one emitting none provides nothing to ask about.
    let provided = if updates && provided == UpdateKind::None { UpdateKind::BeforeAndAfter } else { provided };
    plan.changelog.update_before = updates && provided == UpdateKind::BeforeAndAfter;
    !(updates && required != UpdateKind::None && provided != required)
}

/// Whether Flink would push `predicate` (over `input`'s columns) below `input`, a regular
/// join, into one of its insert-only inputs, where it filters inserts only: Flink's
/// `FlinkFilterJoinRule` moves a WHERE on the columns of one side that is never padded with
/// NULLs into that side. Sluice keeps the filter above the join (the same rows), so for the
/// changelog modes it counts as pushed.
fn pushed_below_join(predicate: &Expr, input: &PhysicalPlan) -> bool {
    let PhysicalNode::Join { left, right, join, operator: JoinOperator::Regular } = &input.node else { return false };
    let width = left.schema.len();
    let (mut any_left, mut any_right) = (false, false);
    predicate.visit_columns(&mut |c| {
        any_left |= c < width;
        any_right |= c >= width;
    });
    let into_left = !any_right && !join.kind.right_outer() && left.changelog.is_insert_only();
    let into_right = !any_left && !join.kind.left_outer() && !join.kind.left_only() && right.changelog.is_insert_only();
    into_left || into_right
}

fn provided_of(plan: &PhysicalPlan) -> UpdateKind {
    match (plan.changelog.updates(), plan.changelog.update_before) {
        (false, _) => UpdateKind::None,
        (true, true) => UpdateKind::BeforeAndAfter,
        (true, false) => UpdateKind::OnlyAfter,
    }
}

/// Whether `plan`'s rows are unique on a set of columns that all lie within `columns` (Flink's
/// upsert keys, as far as Sluice's nodes keep them: a group aggregate's keys, through the
/// filters and projections above it).
fn unique_key_within(plan: &PhysicalPlan, columns: &[usize]) -> bool {
    unique_key(plan).is_some_and(|key| key.iter().all(|c| columns.contains(c)))
}

fn unique_key(plan: &PhysicalPlan) -> Option<Vec<usize>> {
    match &plan.node {
        PhysicalNode::GroupAggregate { keys, .. } => Some((0..*keys).collect()),
        PhysicalNode::Calc { input, projection, .. } => {
            let key = unique_key(input)?;
            match projection {
                None => Some(key),
                Some(exprs) => key.iter().map(|k| exprs.iter().position(|e| e.as_column() == Some(*k))).collect(),
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_print_as_flink_prints_them() {
        let upsert = ChangelogMode { update_before: false, ..ChangelogMode::ALL };
        assert_eq!(ChangelogMode::INSERT_ONLY.to_string(), "[I]");
        assert_eq!(ChangelogMode::ALL.to_string(), "[I,UB,UA,D]");
        assert_eq!(upsert.to_string(), "[I,UA,D]");
        assert_eq!(ChangelogMode::of_group_aggregate(ChangelogMode::INSERT_ONLY).to_string(), "[I,UB,UA]");
    }
}
