//! What each kind of statement does: DDL, SET and RESET, SHOW and DESCRIBE, EXPLAIN, and the
//! queries and INSERTs that start jobs. One function per statement kind; `execute_statement`
//! only picks one.

use std::collections::VecDeque;

use super::jobs::{flink_job_id, job_status, parse_job_id, JobSink};
use super::streams::percent;
use super::{
    normalized, topology, ColumnInfo, Outcome, Session, GENERATOR_KEYS, GENERATOR_LATE_KEY, GENERATOR_OUT_OF_ORDER_KEY,
    GENERATOR_SCENARIO_KEY, IDLE_TIMEOUT_KEY, LOCAL_TIME_ZONE_KEY, STATE_TTL_KEY,
};
use crate::connectors::{self, ReadMode};
use crate::plan::catalog::{ColumnKind, TableDef, DEFAULT_CATALOG, DEFAULT_DATABASE};
use crate::plan::functions;
use crate::plan::physical::{self, changelog::RootReader};
use crate::plan::planner::plan_create_table;
use crate::plan::sink::{SinkPlan, SinkSettings};
use crate::plan::table_ddl::quote_identifiers;
use crate::sql::ast::{AlterChange, ConflictStrategy, CreateTable, ShowLike};
use crate::sql::{Located, Location, SqlError, Statement};
use crate::types::{DataType, SqlType, Value, STRING_LENGTH};
use sqlparser::ast::{Ident, Query};

/// Savepoints are kept in the session (a stopped job's state), named like Flink's paths.
pub(super) const SAVEPOINT_PREFIX: &str = "sluice-savepoints/savepoint-";

impl Session {
    /// Runs one statement: picks the function for its kind.
    pub(super) fn execute_statement(&mut self, located: &Located) -> Result<Outcome, SqlError> {
        let at = located.location;
        match &located.statement {
            Statement::CreateTable(ddl) => match &ddl.query {
                Some(query) => self.create_table_as(ddl, query, located),
                None => self.create_table(ddl, located),
            },
            Statement::CreateView { name, query, if_not_exists, or_replace, temporary, columns, comment } => {
                // Flink 2.3 replaces nothing: OR REPLACE of a name its catalog holds fails, in
                // these words.
                if *or_replace && self.catalog.contains(&name.value) {
                    let path = format!("`{DEFAULT_CATALOG}`.`{DEFAULT_DATABASE}`.`{}`", name.value);
                    let message = if *temporary {
                        format!("Temporary table '{path}' already exists")
                    } else {
                        format!("Could not execute CreateTable in path {path}")
                    };
                    return Err(SqlError::new(message).at(at));
                }
                self.create_view(&name.value, query, *if_not_exists, columns, comment.clone(), located)
            }
            Statement::Drop { name, if_exists, view } => self.drop(&name.value, *if_exists, *view, at),
            Statement::Set { key: None, .. } => Ok(self.show_settings()),
            Statement::Set { key: Some(key), value } => self.set(key, value.as_deref().unwrap_or_default(), at),
            Statement::Reset { key } => Ok(self.reset(key.as_deref())),
            Statement::ShowTables { like } => {
                // Flink lists the views among the tables.
                let mut names: Vec<String> =
                    self.catalog.tables().map(|t| t.name.clone()).chain(self.catalog.views().map(|v| v.name.clone())).collect();
                names.sort_unstable();
                Ok(name_table("table name", filter_like(names, like.as_ref(), |n| n)?))
            }
            Statement::ShowColumns { table, like } => self.show_columns(&table.value, like.as_ref(), at),
            Statement::ShowCreateTable(name) => self.show_create_table(&name.value, at),
            Statement::Alter { name, view, if_exists, change, location } => self.alter(&name.value, *view, *if_exists, change, *location),
            Statement::ShowCatalogs { databases, current } => {
                let (column, name) = if *databases { ("database name", DEFAULT_DATABASE) } else { ("catalog name", DEFAULT_CATALOG) };
                let header = if *current { format!("current {column}") } else { column.to_string() };
                Ok(name_table(&header, vec![name.to_string()]))
            }
            Statement::Use { catalog, database, location } => use_catalog(catalog.as_deref(), database.as_deref(), *location),
            Statement::ShowModules { full: false } => Ok(name_table("module name", vec![CORE_MODULE.to_string()])),
            Statement::ShowModules { full: true } => Ok(Outcome::Table {
                columns: vec![info("module name", DataType::Varchar(STRING_LENGTH)), info("used", DataType::Boolean)],
                rows: vec![vec![Value::Str(CORE_MODULE.into()), Value::Bool(true)]],
            }),
            Statement::ShowNone(column) => Ok(name_table(column, Vec::new())),
            Statement::UseModules { names, location } => use_modules(names, *location),
            Statement::ShowViews { like } => {
                let names = self.catalog.views().map(|v| v.name.clone()).collect();
                Ok(name_table("view name", filter_like(names, like.as_ref(), |n| n)?))
            }
            Statement::ShowCreateView(name) => self.show_create_view(&name.value, at),
            Statement::ShowFunctions { user, like } => {
                // Flink lists the user's functions among the built-ins.
                let mut names: Vec<String> = self.catalog.user_functions().map(|f| f.name.clone()).collect();
                if !user {
                    names.extend(functions::names().iter().map(|s| s.to_string()));
                    names.sort_unstable();
                    names.dedup();
                }
                Ok(name_table("function name", filter_like(names, like.as_ref(), |n| n)?))
            }
            Statement::CreateFunction(function) => self.create_function(function),
            Statement::DropFunction { name, if_exists, temporary, system, location } => {
                self.drop_function(name, *if_exists, *temporary, *system, *location)
            }
            Statement::ShowJobs => Ok(self.show_jobs()),
            Statement::StopJob { id, savepoint, drain, location } => self.stop_job_statement(id, *savepoint, *drain, *location),
            Statement::Describe(name) => self.describe(&name.value, at),
            Statement::DescribeFunction { name, extended, location } => match self.catalog.user_function(name) {
                Some(f) if f.system || functions::lookup(name).is_none() => Ok(self.describe_user_function(&f.clone(), *extended)),
                _ => describe_function(name, *extended, *location),
            },
            Statement::Explain { statement: inner, changelog_mode } => self.explain(inner, *changelog_mode, at),
            Statement::ExplainJob { id, location } => self.explain_job(id, *location),
            Statement::Query(query) => self.query(query, located),
            Statement::Insert { table, columns, query, on_conflict, options } => {
                self.insert(&table.value, options, columns, query, *on_conflict, located)
            }
        }
    }

    /// `CREATE TABLE`: the table goes into the catalog (and its local stream is made). Running
    /// the same definition again changes nothing.
    fn create_table(&mut self, ddl: &CreateTable, located: &Located) -> Result<Outcome, SqlError> {
        let name = &ddl.name.value;
        if ddl.or_replace && self.catalog.contains(name) {
            // Flink 2.3 replaces a table only with AS; otherwise, in its words:
            return Err(SqlError::new(format!("Could not execute CreateTable in path `{DEFAULT_CATALOG}`.`{DEFAULT_DATABASE}`.`{name}`"))
                .at(located.location));
        }
        if self.catalog.contains(name) {
            if ddl.if_not_exists || self.definitions.get(name) == Some(&normalized(&located.text)) {
                return Ok(done(format!("Table `{name}` already exists as defined here; nothing changed.")));
            }
            return Err(SqlError::new(format!("table `{name}` already exists"))
                .at(located.location)
                .hint(format!("use CREATE TABLE IF NOT EXISTS, or DROP TABLE {name} first")));
        }
        match &ddl.like {
            Some(like) => {
                let base = self.catalog.table(&like.source.value).ok_or_else(|| crate::plan::table_like::source_not_found(like))?;
                let merged = crate::plan::table_like::merge(ddl, base)?;
                self.add_table(&merged, located)
            }
            None => self.add_table(ddl, located),
        }
    }

    /// `CREATE [OR REPLACE] TABLE … AS query` (CTAS, RTAS): the table is made with the query's
    /// columns (and those it declares), replacing one of its name with OR REPLACE, then the
    /// query runs into it as `INSERT INTO` would. As in Flink 2.3 the table stays when the
    /// INSERT cannot run (a sink that takes no updates, say), and with IF NOT EXISTS an existing
    /// table is written as it is.
    fn create_table_as(&mut self, ddl: &CreateTable, query: &Query, located: &Located) -> Result<Outcome, SqlError> {
        if ddl.or_replace || !(ddl.if_not_exists && self.catalog.contains(&ddl.name.value)) {
            self.define_table_as(ddl, query, located)?;
        }
        self.insert(&ddl.name.value, &[], &[], query, None, located)
    }

    /// The table of `CREATE TABLE … AS query`, made but not written (a note's export follows
    /// the note's tables without running anything): its columns are the query's, named and
    /// typed as its result (the time attributes' markers dropped: the table stores timestamps).
    pub(crate) fn define_table_as(&mut self, ddl: &CreateTable, query: &Query, located: &Located) -> Result<Outcome, SqlError> {
        let name = &ddl.name.value;
        if self.catalog.contains(name) && !ddl.or_replace {
            return Err(SqlError::new(format!("table `{name}` already exists"))
                .at(located.location)
                .hint(format!("use CREATE TABLE IF NOT EXISTS … AS to write into it, or DROP TABLE {name} first")));
        }
        let table = self.table_for_query(ddl, query, located)?;
        self.add_table(&table, located)
    }

    /// The table `CREATE TABLE … AS query` writes: an existing one under IF NOT EXISTS, else one
    /// with the query's columns (not added to the catalog).
    fn target_of(&self, ddl: &CreateTable, query: &Query, located: &Located) -> Result<TableDef, SqlError> {
        match self.catalog.table(&ddl.name.value) {
            Some(existing) if ddl.if_not_exists && !ddl.or_replace => Ok(TableDef::clone(existing)),
            _ => plan_create_table(&self.table_for_query(ddl, query, located)?),
        }
    }

    /// `ddl` with the query's columns: named and typed as its result, the time attributes'
    /// markers dropped (the table stores timestamps).
    fn table_for_query(&self, ddl: &CreateTable, query: &Query, located: &Located) -> Result<CreateTable, SqlError> {
        // Flink 2.3's words.
        let refused = match (ddl.or_replace, ddl.if_not_exists, ddl.temporary) {
            (true, true, _) => Some("CREATE OR REPLACE TABLE AS SELECT syntax does not support IF NOT EXISTS statements yet."),
            (true, _, true) => Some("CREATE OR REPLACE TABLE AS SELECT syntax does not support temporary table yet."),
            (false, _, true) => Some("CREATE TABLE AS SELECT syntax does not support to create temporary table yet."),
            _ => None,
        };
        if let Some(message) = refused {
            return Err(SqlError::new(message).at(located.location));
        }
        if ddl.or_replace && self.catalog.view(&ddl.name.value).is_some() {
            return Err(SqlError::new(format!(
                "Table with identifier '{DEFAULT_CATALOG}.{DEFAULT_DATABASE}.{}' does not exist.",
                ddl.name.value
            ))
            .at(located.location));
        }
        let plan = self.planner().plan_query(query)?;
        crate::plan::table_as::merge(ddl, &plan.schema.fields, located.location)
    }

    /// A planned table into the catalog (and its local stream or topics made).
    fn add_table(&mut self, ddl: &CreateTable, located: &Located) -> Result<Outcome, SqlError> {
        let name = &ddl.name.value;
        let warnings = self.register_table(plan_create_table(ddl)?)?;
        self.definitions.insert(name.clone(), normalized(&located.text));
        Ok(Outcome::Done { message: format!("Table `{name}` has been created."), warnings })
    }

    /// Puts `table` into the catalog (replacing the one of its name) once its connector has
    /// checked it, and makes its local stream or topics; returns the connector's warnings.
    fn register_table(&mut self, table: TableDef) -> Result<Vec<String>, SqlError> {
        let warnings = connectors::validate_table(&table).map_err(SqlError::connector)?;
        if let Some(stream) = connectors::local_stream_name(&table) {
            self.streams.get_or_create(&stream);
        }
        for topic in connectors::local_topic_names(&table) {
            self.topics.get_or_create(&topic);
        }
        self.catalog.add_table(table);
        Ok(warnings)
    }

    /// `CREATE VIEW`: the view's query is planned now, so a broken one is refused here.
    fn create_view(
        &mut self,
        name: &str,
        query: &Query,
        if_not_exists: bool,
        columns: &[sqlparser::ast::Ident],
        comment: Option<String>,
        located: &Located,
    ) -> Result<Outcome, SqlError> {
        if self.catalog.contains(name) {
            if if_not_exists || self.definitions.get(name) == Some(&normalized(&located.text)) {
                return Ok(done(format!("View `{name}` already exists as defined here; nothing changed.")));
            }
            return Err(SqlError::new(format!("`{name}` already exists")).at(located.location));
        }
        let view = crate::plan::planner::plan_view(&self.catalog, name, query, columns, comment).map_err(|e| e.or_at(located.location))?;
        self.catalog.add_view(view);
        self.definitions.insert(name.to_string(), normalized(&located.text));
        Ok(done(format!("View `{name}` has been created.")))
    }

    /// `DROP TABLE` and `DROP VIEW [IF EXISTS]`.
    fn drop(&mut self, name: &str, if_exists: bool, view: bool, at: Location) -> Result<Outcome, SqlError> {
        let dropped = if view { self.catalog.drop_view(name) } else { self.catalog.drop_table(name) };
        if dropped {
            self.definitions.remove(name);
        }
        match (dropped, if_exists) {
            (true, _) => Ok(done(format!("{} `{name}` has been dropped.", if view { "View" } else { "Table" }))),
            (false, true) => Ok(done(format!("`{name}` does not exist; nothing changed."))),
            (false, false) => Err(SqlError::new(format!("{} `{name}` does not exist", if view { "view" } else { "table" }))
                .at(at)
                .hint("use DROP … IF EXISTS to ignore a missing one")),
        }
    }

    /// `SET` alone: the session's settings.
    fn show_settings(&self) -> Outcome {
        Outcome::Table {
            columns: vec![info("key", DataType::Varchar(STRING_LENGTH)), info("value", DataType::Varchar(STRING_LENGTH))],
            rows: self.config.iter().map(|(k, v)| vec![Value::Str(k.as_str().into()), Value::Str(v.as_str().into())]).collect(),
        }
    }

    /// `SET 'key' = 'value'`: the settings Sluice reads are checked here, the rest kept as given.
    fn set(&mut self, key: &str, value: &str, at: Location) -> Result<Outcome, SqlError> {
        let invalid = match key {
            STATE_TTL_KEY | IDLE_TIMEOUT_KEY | super::offsets::CHECKPOINT_INTERVAL_KEY => {
                crate::types::parse_duration(value).is_none().then_some("a duration such as '1 h', '30 min' or '500 ms'")
            }
            "execution.runtime-mode" => {
                (!["streaming", "batch"].iter().any(|m| value.eq_ignore_ascii_case(m))).then_some("'streaming' or 'batch'")
            }
            GENERATOR_OUT_OF_ORDER_KEY | GENERATOR_LATE_KEY => percent(value).is_none().then_some("a percentage from 0 to 100"),
            GENERATOR_SCENARIO_KEY => connectors::Scenario::parse(value)
                .is_none()
                .then_some("one of 'idle-shard', 'late-burst', 'clock-behind', 'duplicates', 'paused-producer'"),
            _ => None,
        };
        if let Some(expected) = invalid {
            return Err(SqlError::new(format!("'{key}' = '{value}' is not valid: expected {expected}")).at(at));
        }
        self.config.insert(key.to_string(), value.to_string());
        if key.starts_with(GENERATOR_KEYS) {
            self.apply_generator_settings();
        }
        Ok(done(format!("Session property `{key}` set to '{value}'.")))
    }

    /// `RESET ['key']`.
    fn reset(&mut self, key: Option<&str>) -> Outcome {
        let generators_touched = match key {
            Some(k) => k.starts_with(GENERATOR_KEYS),
            None => self.config.keys().any(|k| k.starts_with(GENERATOR_KEYS)),
        };
        match key {
            Some(k) => {
                self.config.remove(k);
            }
            None => self.config.clear(),
        }
        if generators_touched {
            self.apply_generator_settings();
        }
        done("Session properties have been reset.".to_string())
    }

    /// `EXPLAIN [CHANGELOG_MODE]` of a query or an INSERT: the physical plan as a tree.
    fn explain(&self, inner: &Located, changelog_mode: bool, at: Location) -> Result<Outcome, SqlError> {
        match &inner.statement {
            Statement::Query(q) => {
                let plan = self.planner().plan_query(q)?;
                // A bare query has no sink to ask for `-U` rows: Flink explains it as if
                // its reader took `+U` rows alone.
                let physical = physical::lower(&plan, RootReader::UpdateAfterSuffices)?;
                Ok(Outcome::Text(topology::explain(&physical, None, changelog_mode)))
            }
            Statement::Insert { table, columns, query, on_conflict, options } => {
                let target = self.sink_table(&table.value, options, inner.location)?;
                self.explain_insert(&target, columns, query, *on_conflict, inner, changelog_mode)
            }
            // As Flink, CREATE TABLE … AS is explained as the INSERT it runs (nothing is created).
            Statement::CreateTable(ddl) => match &ddl.query {
                Some(query) => {
                    let target = self.target_of(ddl, query, inner)?;
                    self.explain_insert(&target, &[], query, None, inner, changelog_mode)
                }
                None => Err(SqlError::new("EXPLAIN takes a query, an INSERT or a CREATE TABLE … AS").at(at)),
            },
            _ => Err(SqlError::new("EXPLAIN takes a query, an INSERT or a CREATE TABLE … AS").at(at)),
        }
    }

    /// EXPLAIN of an INSERT of `query` into `target`: the plan under the sink.
    fn explain_insert(
        &self,
        target: &TableDef,
        columns: &[Ident],
        query: &Query,
        on_conflict: Option<ConflictStrategy>,
        inner: &Located,
        changelog_mode: bool,
    ) -> Result<Outcome, SqlError> {
        let at = inner.location;
        let plan = by_name(self.planner().plan_query(query)?, target, inner);
        let (plan, _) = crate::plan::sink::fit_to_sink(plan, target, columns).map_err(|e| e.or_at(at))?;
        let planned = self.plan_insert(&plan, target, on_conflict).map_err(|e| e.or_at(at))?;
        let attributes = planned.explain_attributes();
        Ok(Outcome::Text(topology::explain(&planned.physical, Some((&target.name, &attributes)), changelog_mode)))
    }

    /// A query: a job whose changes wait for the view (streaming), or its final rows (batch).
    /// With a savepoint set, the job stopped with it goes on instead.
    fn query(&mut self, query: &Query, located: &Located) -> Result<Outcome, SqlError> {
        let swapped = self.with_late_records(query)?;
        let query = swapped.as_ref().unwrap_or(query);
        let plan = self.planner().plan_query(query)?;
        // The page's result and the runner's output read every kind of change.
        let physical = physical::lower(&plan, RootReader::NeedsUpdateBefore)?;
        let zone = self.config.get(LOCAL_TIME_ZONE_KEY).map_or(crate::plan::local_time_zone::DEFAULT, String::as_str);
        let columns: Vec<ColumnInfo> =
            plan.schema.fields.iter().map(|f| ColumnInfo::of_result(f.name.clone(), f.ty.clone(), zone)).collect();
        if self.is_batch() {
            let job = self.start_job(&physical, located, JobSink::Collect { changes: VecDeque::new(), dropped: 0 }, ReadMode::Batch)?;
            let rows = self.finish_batch_job(job)?;
            return Ok(Outcome::Table { columns, rows });
        }
        let job = match self.resume_from_savepoint(located) {
            Some(resumed) => resumed?,
            None => self.start_job(&physical, located, JobSink::Collect { changes: VecDeque::new(), dropped: 0 }, ReadMode::Streaming)?,
        };
        Ok(Outcome::Query { job, columns, warnings: Vec::new() })
    }

    /// An INSERT's physical plan and its sink's conflict handling, under the session's settings
    /// (a batch result is final rows: any sink takes them).
    fn plan_insert(
        &self,
        plan: &crate::plan::logical::Plan,
        target: &TableDef,
        on_conflict: Option<ConflictStrategy>,
    ) -> Result<SinkPlan, SqlError> {
        let settings = SinkSettings::from_config(|k| self.config.get(k).map(String::as_str))?;
        crate::plan::sink::plan_insert(plan, target, on_conflict, settings, self.is_batch())
    }

    /// `INSERT INTO table query`: a job writing to the table's sink (in batch mode, run to its
    /// end here).
    /// An INSERT's table, with the options of its `/*+ OPTIONS(…) */` hint over its own (checked
    /// as CREATE TABLE checks a table's), for this statement only.
    fn sink_table(&self, table: &str, options: &[(String, String)], location: Location) -> Result<std::sync::Arc<TableDef>, SqlError> {
        let Some(target) = self.catalog.table(table).cloned() else {
            return Err(SqlError::new(format!("sink table `{table}` not found")).at(location));
        };
        if options.is_empty() {
            return Ok(target);
        }
        let mut hinted = TableDef::clone(&target);
        hinted.set_options(options);
        connectors::validate_table(&hinted).map_err(|e| SqlError::connector(e).or_at(location))?;
        Ok(std::sync::Arc::new(hinted))
    }

    fn insert(
        &mut self,
        table: &str,
        options: &[(String, String)],
        columns: &[Ident],
        query: &Query,
        on_conflict: Option<ConflictStrategy>,
        located: &Located,
    ) -> Result<Outcome, SqlError> {
        let target = self.sink_table(table, options, located.location)?;
        let swapped = self.with_late_records(query)?;
        let query = swapped.as_ref().unwrap_or(query);
        let plan = by_name(self.planner().plan_query(query)?, &target, located);
        let (plan, warnings) = crate::plan::sink::fit_to_sink(plan, &target, columns).map_err(|e| e.or_at(located.location))?;
        let planned = self.plan_insert(&plan, &target, on_conflict).map_err(|e| e.or_at(located.location))?;
        let physical = planned.physical;
        let mut sink = connectors::open_sink(&target, &mut self.streams, &mut self.topics).map_err(SqlError::connector)?;
        if let Some(m) = planned.materialize {
            let types = physical.schema.fields.iter().map(|f| f.ty.data_type.clone()).collect();
            match m.strategy {
                ConflictStrategy::Deduplicate => sink.materialize_upserts(m.primary_key, m.upsert_key, types),
                strategy => {
                    let names = m.primary_key.iter().filter_map(|&c| physical.schema.fields.get(c)).map(|f| f.name.clone()).collect();
                    sink.compact_upserts(m.primary_key, names, m.upsert_key, strategy == ConflictStrategy::Error, types);
                }
            }
        }
        if let Some(remote) = &mut self.remote {
            remote.attach_sink(&target, &mut self.streams).map_err(SqlError::connector)?;
        }
        if let Some(remote) = &mut self.remote_topics {
            remote.attach_sink(&target, &mut self.topics).map_err(SqlError::connector)?;
        }
        if self.is_batch() {
            let job = self.start_job(&physical, located, JobSink::Table { sink, table: target.name.clone() }, ReadMode::Batch)?;
            self.finish_batch_job(job)?;
            return Ok(Outcome::Done { message: format!("Inserted the batch result into `{}`.", target.name), warnings });
        }
        if let Some(resumed) = self.resume_from_savepoint(located) {
            return Ok(Outcome::Insert { job: resumed?, target: target.name.clone(), warnings });
        }
        let mut job_streams: Vec<String> =
            connectors::local_stream_name(&target).into_iter().chain(connectors::local_topic_names(&target)).collect();
        let job = self.start_job(&physical, located, JobSink::Table { sink, table: target.name.clone() }, ReadMode::Streaming)?;
        if let Some(j) = self.jobs.iter_mut().find(|j| j.id == job) {
            j.streams.append(&mut job_streams);
        }
        Ok(Outcome::Insert { job, target: target.name.clone(), warnings })
    }

    /// `SHOW JOBS`: Flink's SQL client columns. A job's id is its Sluice number in Flink's
    /// 32-hex-digit form; its name is its statement.
    pub(super) fn show_jobs(&self) -> Outcome {
        let columns = vec![
            info("job id", DataType::Varchar(STRING_LENGTH)),
            info("job name", DataType::Varchar(STRING_LENGTH)),
            info("status", DataType::Varchar(STRING_LENGTH)),
            info("start time", DataType::TimestampLtz(3)),
        ];
        let rows = self
            .jobs
            .iter()
            .map(|j| {
                vec![
                    Value::Str(flink_job_id(j.id).into()),
                    Value::Str(j.sql.trim().into()),
                    Value::Str(job_status(j).into()),
                    Value::Timestamp(j.started_ms),
                ]
            })
            .collect();
        Outcome::Table { columns, rows }
    }

    /// `STOP JOB '<id>' [WITH SAVEPOINT]`: cancels a running job (Flink without a savepoint
    /// cancels it too). With a savepoint the job keeps its state and its sources' positions, and
    /// the same statement run with `SET 'execution.savepoint.path'` continues where it stopped.
    /// `EXPLAIN JOB '<id>'`: the job's watermarks, pending windows and what holds them back.
    fn explain_job(&self, id: &str, location: Location) -> Result<Outcome, SqlError> {
        let diagnosis = parse_job_id(id).and_then(|job| self.diagnose(job));
        diagnosis.map(|d| Outcome::Diagnosis(Box::new(d))).ok_or_else(|| {
            let ids: Vec<String> = self.jobs.iter().map(|j| format!("'{}'", j.id)).collect();
            let err = SqlError::new(format!("there is no job '{id}'")).at(location);
            if ids.is_empty() {
                err.hint("no job has run yet; SHOW JOBS lists them")
            } else {
                err.hint(format!("jobs: {}", ids.join(", ")))
            }
        })
    }

    pub(super) fn stop_job_statement(
        &mut self,
        id: &str,
        savepoint: bool,
        drain: bool,
        location: crate::sql::Location,
    ) -> Result<Outcome, SqlError> {
        if drain && savepoint {
            // Flink restores a drained savepoint with its windows fired and its watermark
            // starting over; Sluice resumes a job's operators as they stopped (watermark +∞).
            return Err(SqlError::new("STOP JOB … WITH SAVEPOINT WITH DRAIN is not supported: a drained job cannot be resumed here")
                .at(location)
                .hint(format!(
                    "STOP JOB '{id}' WITH DRAIN fires every pending window and ends the job; STOP JOB '{id}' WITH SAVEPOINT keeps its state to resume it"
                )));
        }
        let wanted = parse_job_id(id);
        let Some(i) = self.jobs.iter().position(|j| Some(j.id) == wanted) else {
            let ids: Vec<String> = self.jobs.iter().filter(|j| j.running).map(|j| format!("'{}'", flink_job_id(j.id))).collect();
            let err = SqlError::new(format!("there is no job '{id}'")).at(location);
            return Err(if ids.is_empty() {
                err.hint("no job is running; SHOW JOBS lists them")
            } else {
                err.hint(format!("running jobs: {}", ids.join(", ")))
            });
        };
        if !self.jobs[i].running {
            return Err(SqlError::new(format!("job '{id}' is not running (it is {})", job_status(&self.jobs[i])))
                .at(location)
                .hint("SHOW JOBS lists the jobs and their status"));
        }
        // Its Kafka tables commit their group offsets, as Flink's stop-with-savepoint does
        // (a drain commits what it read up to the end it drained to).
        if drain {
            let id = self.jobs[i].id;
            let drained = self.drain_job(id);
            self.commit_offsets_on_stop(i);
            drained?;
            return Ok(done(format!("Job '{}' has been drained and stopped.", flink_job_id(id))));
        }
        self.commit_offsets_on_stop(i);
        let job = &mut self.jobs[i];
        job.stop();
        if savepoint {
            let path = format!("{SAVEPOINT_PREFIX}{}", flink_job_id(job.id));
            job.savepoint = Some(path.clone());
            return Ok(done(format!(
                "Job '{}' has been stopped with savepoint '{path}'. SET 'execution.savepoint.path' = '{path}' and run the same statement to resume it.",
                flink_job_id(job.id)
            )));
        }
        Ok(done(format!("Job '{}' has been stopped.", flink_job_id(job.id))))
    }

    /// `ALTER TABLE … SET | RESET | RENAME TO`, `ALTER VIEW … RENAME TO`: the catalog's entry
    /// changes (checked as CREATE TABLE checks it); jobs already running keep the table they
    /// started with, as in Flink.
    fn alter(&mut self, name: &str, view: bool, if_exists: bool, change: &AlterChange, at: Location) -> Result<Outcome, SqlError> {
        let qualified = |n: &str| format!("{DEFAULT_CATALOG}.{DEFAULT_DATABASE}.{n}");
        if let (true, AlterChange::As(query)) = (view, change) {
            // Flink 2.3's words.
            let Some(old) = self.catalog.view(name).cloned() else {
                let message = if self.catalog.table(name).is_some() {
                    "ALTER VIEW for a table is not allowed".to_string()
                } else {
                    format!("View `{DEFAULT_CATALOG}`.`{DEFAULT_DATABASE}`.`{name}` doesn't exist or is a temporary view.")
                };
                return Err(SqlError::new(message).at(at));
            };
            // The new query's own columns (names the view gave the old one go) and its comment.
            let view = crate::plan::planner::plan_view(&self.catalog, name, query, &[], old.comment.clone()).map_err(|e| e.or_at(at))?;
            self.catalog.drop_view(name);
            self.catalog.add_view(view);
            self.definitions.remove(name);
            return Ok(done(format!("View `{name}` has been altered.")));
        }
        if view {
            let (Some(v), AlterChange::RenameTo(to)) = (self.catalog.view(name).cloned(), change) else {
                return Err(SqlError::new(format!("view `{name}` does not exist")).at(at));
            };
            if self.catalog.contains(&to.value) {
                return Err(
                    SqlError::new(format!("Could not execute ALTER VIEW {} RENAME TO {}", qualified(name), qualified(&to.value))).at(at)
                );
            }
            self.catalog.drop_view(name);
            self.catalog.add_view(crate::plan::catalog::ViewDef { name: to.value.clone(), ..crate::plan::catalog::ViewDef::clone(&v) });
            self.definitions.remove(name);
            return Ok(done(format!("View `{name}` has been renamed to `{}`.", to.value)));
        }
        let Some(table) = self.catalog.table(name).cloned() else {
            if if_exists {
                return Ok(done(format!("`{name}` does not exist; nothing changed.")));
            }
            if self.catalog.view(name).is_some() {
                return Err(SqlError::new("ALTER TABLE for a view is not allowed").at(at));
            }
            // Flink 2.3's words.
            return Err(SqlError::new(format!(
                "Table `{DEFAULT_CATALOG}`.`{DEFAULT_DATABASE}`.`{name}` doesn't exist or is a temporary table."
            ))
            .at(at));
        };
        let mut altered = TableDef::clone(&table);
        match change {
            AlterChange::Set(options) => {
                altered.set_options(options);
            }
            AlterChange::Reset(keys) => {
                if keys.iter().any(|k| k == "connector") {
                    return Err(SqlError::new("ALTER TABLE RESET does not support changing 'connector'").at(at));
                }
                altered.options.retain(|(k, _)| !keys.contains(k));
            }
            AlterChange::Schema { .. }
            | AlterChange::As(_)
            | AlterChange::RenameColumn { .. }
            | AlterChange::DropColumns(_)
            | AlterChange::DropPrimaryKey(_)
            | AlterChange::DropWatermark => {
                // A job running on the table keeps the definition it started with.
                altered = crate::plan::alter_schema::alter_schema(&table, change, at)?;
            }
            AlterChange::RenameTo(to) => {
                if self.catalog.contains(&to.value) {
                    return Err(SqlError::new(format!(
                        "Could not execute ALTER TABLE {} RENAME TO {}",
                        qualified(name),
                        qualified(&to.value)
                    ))
                    .at(at));
                }
                altered.name = to.value.clone();
            }
        }
        let renamed = altered.name != name;
        let warnings = self.register_table(altered)?;
        if renamed {
            self.catalog.drop_table(name);
        }
        let message = match change {
            AlterChange::RenameTo(to) => format!("Table `{name}` has been renamed to `{}`.", to.value),
            _ => format!("Table `{name}` has been altered."),
        };
        // Running the first CREATE TABLE again is no longer "as defined here".
        self.definitions.remove(name);
        Ok(Outcome::Done { message, warnings })
    }

    /// `SHOW COLUMNS FROM t [[NOT] LIKE 'p']`: DESCRIBE's rows whose name matches.
    fn show_columns(&self, name: &str, like: Option<&ShowLike>, at: Location) -> Result<Outcome, SqlError> {
        match self.describe(name, at)? {
            Outcome::Table { columns, rows } => {
                let rows = filter_like(rows, like, |r| match r.first() {
                    Some(Value::Str(s)) => s,
                    _ => "",
                })?;
                Ok(Outcome::Table { columns, rows })
            }
            other => Ok(other),
        }
    }

    /// `SHOW CREATE TABLE t`: the table's DDL as Flink 2.3 prints it (qualified name, types in
    /// full, the primary key as a named constraint, options sorted), in one `result` cell.
    fn show_create_table(&self, name: &str, at: Location) -> Result<Outcome, SqlError> {
        let Some(t) = self.catalog.table(name) else {
            // Flink 2.3's words.
            return Err(SqlError::new(if self.catalog.view(name).is_some() {
                format!(
                    "SHOW CREATE TABLE is only supported for tables, but `{DEFAULT_CATALOG}`.`{DEFAULT_DATABASE}`.`{name}` is a view. Please use SHOW CREATE VIEW instead."
                )
            } else {
                format!(
                    "Could not execute SHOW CREATE TABLE. Table with identifier `{DEFAULT_CATALOG}`.`{DEFAULT_DATABASE}`.`{name}` does not exist."
                )
            })
            .at(at));
        };
        let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
        let mut lines: Vec<String> = t
            .columns
            .iter()
            .map(|c| {
                let mut line = match &c.kind {
                    ColumnKind::Computed(_) => format!("`{}` {}", c.name, column_extras(c, &names)),
                    ColumnKind::Metadata { .. } => format!("`{}` {} {}", c.name, ddl_type(&c.ty), column_extras(c, &names)),
                    ColumnKind::Physical => format!("`{}` {}", c.name, ddl_type(&c.ty)),
                };
                if let Some(comment) = &c.comment {
                    let _ = std::fmt::Write::write_fmt(&mut line, format_args!(" COMMENT '{}'", comment.replace('\'', "''")));
                }
                line
            })
            .collect();
        if let Some(w) = &t.watermark {
            lines.push(format!("WATERMARK FOR `{}` AS {}", t.columns[w.rowtime].name, quote_identifiers(&w.text, &names)));
        }
        if !t.primary_key.is_empty() {
            let columns: Vec<String> = t.primary_key.iter().map(|k| format!("`{k}`")).collect();
            lines.push(format!("CONSTRAINT `{}` PRIMARY KEY ({}) NOT ENFORCED", t.primary_key_constraint(), columns.join(", ")));
        }
        let mut text = format!("CREATE TABLE `{DEFAULT_CATALOG}`.`{DEFAULT_DATABASE}`.`{}` (\n  {}\n)\n", t.name, lines.join(",\n  "));
        if let Some(comment) = &t.comment {
            text.push_str(&format!("COMMENT '{}'\n", comment.replace('\'', "''")));
        }
        if !t.partitioned_by.is_empty() {
            let columns: Vec<String> = t.partitioned_by.iter().map(|k| format!("`{k}`")).collect();
            text.push_str(&format!("PARTITIONED BY ({})\n", columns.join(", ")));
        }
        let mut options: Vec<&(String, String)> = t.options.iter().collect();
        options.sort();
        let options: Vec<String> = options.iter().map(|(k, v)| format!("'{k}' = '{}'", v.replace('\'', "''"))).collect();
        text.push_str(&format!("WITH (\n  {}\n)\n", options.join(",\n  ")));
        Ok(Outcome::Table { columns: vec![info("result", DataType::Varchar(STRING_LENGTH))], rows: vec![vec![Value::Str(text.into())]] })
    }

    /// `SHOW CREATE VIEW v`: Flink's layout (qualified name, the columns, the comment) around the
    /// view's query as Sluice keeps it: Flink prints the query as its validator expanded it
    /// (names qualified, `*` spelled out), which Sluice does not (DIFFERENCES.md).
    fn show_create_view(&self, name: &str, at: Location) -> Result<Outcome, SqlError> {
        let Some(v) = self.catalog.view(name) else {
            // Flink 2.3's words.
            return Err(SqlError::new(if self.catalog.table(name).is_some() {
                format!(
                    "SHOW CREATE VIEW is only supported for views, but `{DEFAULT_CATALOG}`.`{DEFAULT_DATABASE}`.`{name}` is a table. Please use SHOW CREATE TABLE instead."
                )
            } else {
                format!(
                    "Could not execute SHOW CREATE VIEW. View with identifier `{DEFAULT_CATALOG}`.`{DEFAULT_DATABASE}`.`{name}` does not exist."
                )
            })
            .at(at));
        };
        let columns: Vec<String> = v.columns.iter().map(|(n, _)| format!("`{n}`")).collect();
        let mut text = format!("CREATE VIEW `{DEFAULT_CATALOG}`.`{DEFAULT_DATABASE}`.`{}` (\n  {}\n)\n", v.name, columns.join(",\n  "));
        if let Some(comment) = &v.comment {
            text.push_str(&format!("COMMENT '{}'\n", comment.replace('\'', "''")));
        }
        text.push_str(&format!("AS {}\n", v.query));
        Ok(Outcome::Table { columns: vec![info("result", DataType::Varchar(STRING_LENGTH))], rows: vec![vec![Value::Str(text.into())]] })
    }

    pub(super) fn describe(&self, name: &str, location: crate::sql::Location) -> Result<Outcome, SqlError> {
        let columns = vec![
            info("name", DataType::Varchar(STRING_LENGTH)),
            info("type", DataType::Varchar(STRING_LENGTH)),
            info("null", DataType::Boolean),
            info("key", DataType::Varchar(STRING_LENGTH)),
            info("extras", DataType::Varchar(STRING_LENGTH)),
            info("watermark", DataType::Varchar(STRING_LENGTH)),
        ];
        let s = |x: &str| Value::Str(x.into());
        if let Some(t) = self.catalog.table(name) {
            // Flink adds a `comment` column when a column has one.
            let commented = t.columns.iter().any(|c| c.comment.is_some());
            let mut columns = columns;
            if commented {
                columns.push(info("comment", DataType::Varchar(STRING_LENGTH)));
            }
            let rows = t
                .columns
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    // As Flink 2.3 prints it: the type with its time marker but without NOT NULL
                    // (that is the `null` column), expressions with quoted identifiers.
                    let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
                    let key = if t.primary_key.contains(&c.name) { format!("PRI({})", t.primary_key.join(", ")) } else { String::new() };
                    let extras = column_extras(c, &names);
                    let wm = t.watermark.as_ref().filter(|w| w.rowtime == i).map_or(String::new(), |w| quote_identifiers(&w.text, &names));
                    let mut row = vec![
                        s(&c.name),
                        s(&c.ty.clone().with_nullable(true).to_string()),
                        Value::Bool(c.ty.nullable),
                        s(&key),
                        s(&extras),
                        s(&wm),
                    ];
                    if commented {
                        row.push(s(c.comment.as_deref().unwrap_or_default()));
                    }
                    row
                })
                .collect();
            return Ok(Outcome::Table { columns, rows });
        }
        if let Some(v) = self.catalog.view(name) {
            let rows = v
                .columns
                .iter()
                .map(|(n, t)| vec![s(n), s(&t.plain().with_nullable(true).to_string()), Value::Bool(t.nullable), s(""), s(""), s("")])
                .collect();
            return Ok(Outcome::Table { columns, rows });
        }
        // Flink 2.3's words.
        Err(SqlError::new(format!("Tables or views with the identifier '{DEFAULT_CATALOG}.{DEFAULT_DATABASE}.{name}' doesn't exist."))
            .at(location))
    }
}

/// A CTAS that declares columns writes the query's columns by name (Flink's
/// `MergeTableAsUtil.maybeRewriteQuery`); other INSERTs write them in order.
fn by_name(plan: crate::plan::Plan, target: &TableDef, located: &Located) -> crate::plan::Plan {
    match &located.statement {
        Statement::CreateTable(ddl) if !ddl.columns.is_empty() => crate::plan::table_as::select_by_name(plan, target),
        _ => plan,
    }
}

pub(super) fn done(message: String) -> Outcome {
    Outcome::Done { message, warnings: Vec::new() }
}

pub(super) fn info(name: &str, ty: DataType) -> ColumnInfo {
    ColumnInfo::new(name, SqlType::nullable(ty))
}

/// `DESCRIBE FUNCTION [EXTENDED] name`: Flink's `info name | info value` rows (is system
/// function, is temporary; EXTENDED adds kind, is deterministic and signature), and Sluice's
/// description and example after them.
pub(super) fn describe_function(name: &str, extended: bool, location: crate::sql::Location) -> Result<Outcome, SqlError> {
    let s = |x: &str| Value::Str(x.into());
    let (kind, deterministic, syntax, description, example) = if let Some(f) = functions::lookup(name) {
        let d = f.def();
        ("SCALAR", d.deterministic, d.syntax, d.description.to_string(), Some(d.example))
    } else if let Some(f) = functions::NON_SCALAR.iter().find(|f| f.name.eq_ignore_ascii_case(name)) {
        (f.kind, true, f.syntax, f.description.to_string(), None)
    } else {
        let mut err = SqlError::new(format!("function {name} does not exist")).at(location);
        err = match functions::suggestions(name).as_slice() {
            [] => err.hint("SHOW FUNCTIONS lists the functions Sluice knows"),
            names => err.hint(format!("did you mean {}?", names.join(", "))),
        };
        return Err(err);
    };
    let mut rows = vec![vec![s("is system function"), s("true")], vec![s("is temporary"), s("false")]];
    if extended {
        rows.push(vec![s("kind"), s(kind)]);
        rows.push(vec![s("is deterministic"), s(if deterministic { "true" } else { "false" })]);
        rows.push(vec![s("signature"), s(syntax)]);
    }
    rows.push(vec![s("description"), s(&description)]);
    if let Some(example) = example {
        rows.push(vec![s("example"), s(example)]);
    }
    Ok(Outcome::Table {
        columns: vec![info("info name", DataType::Varchar(STRING_LENGTH)), info("info value", DataType::Varchar(STRING_LENGTH))],
        rows,
    })
}

/// What DESCRIBE's `extras` and SHOW CREATE TABLE write after a column's type, as Flink 2.3
/// prints them: `AS expr` (names in backquotes), `METADATA [FROM 'key'] [VIRTUAL]` (`METADATA`
/// alone when the key is the column's name), nothing for a physical column.
fn column_extras(c: &crate::plan::catalog::TableColumn, names: &[&str]) -> String {
    match &c.kind {
        ColumnKind::Computed(e) => format!("AS {}", c.expr_text.as_deref().map_or_else(|| e.to_string(), |t| quote_identifiers(t, names))),
        ColumnKind::Metadata { key, is_virtual } => format!(
            "METADATA{}{}",
            if *key == c.name { String::new() } else { format!(" FROM '{key}'") },
            if *is_virtual { " VIRTUAL" } else { "" }
        ),
        ColumnKind::Physical => String::new(),
    }
}

/// The names a SHOW statement's `[NOT] LIKE` keeps (SQL's `%` and `_`, case-sensitive as Flink's).
fn filter_like<T>(items: Vec<T>, like: Option<&ShowLike>, name: impl Fn(&T) -> &str) -> Result<Vec<T>, SqlError> {
    let Some(like) = like else { return Ok(items) };
    // ILIKE: pattern and names compared in lower case.
    let fold = |s: &str| if like.ilike { s.to_lowercase() } else { s.to_string() };
    let pattern = crate::engine::like::LikePattern::new(&fold(&like.pattern), None)
        .map_err(|e| SqlError::new(format!("LIKE '{}': {e}", like.pattern)).at(like.location))?;
    Ok(items.into_iter().filter(|item| pattern.matches(&fold(name(item))) != like.not).collect())
}

/// `USE CATALOG name` / `USE [catalog.]database`: Sluice has Flink's default ones; another name
/// is refused with Flink's message.
fn use_catalog(catalog: Option<&str>, database: Option<&str>, at: Location) -> Result<Outcome, SqlError> {
    if let Some(c) = catalog.filter(|c| *c != DEFAULT_CATALOG) {
        return Err(SqlError::new(format!("A catalog with name [{c}] does not exist."))
            .at(at)
            .hint(format!("Sluice has one catalog, `{DEFAULT_CATALOG}`, with one database, `{DEFAULT_DATABASE}`")));
    }
    if let Some(d) = database.filter(|d| *d != DEFAULT_DATABASE) {
        return Err(SqlError::new(format!("A database with name [{d}] does not exist in the catalog: [{DEFAULT_CATALOG}]."))
            .at(at)
            .hint(format!("Sluice has one catalog, `{DEFAULT_CATALOG}`, with one database, `{DEFAULT_DATABASE}`")));
    }
    Ok(done("OK".to_string()))
}

/// The one module Sluice has: Flink's built-in functions.
const CORE_MODULE: &str = "core";

/// `USE MODULES …`: `core` alone is there, so only it can be used (Flink's messages otherwise).
fn use_modules(names: &[String], at: Location) -> Result<Outcome, SqlError> {
    let refuse = |why: String| {
        SqlError::new(format!("Could not execute USE MODULES: [{}]. {why}", names.join(", ")))
            .at(at)
            .hint("Sluice has one module, `core` (Flink's built-in functions); LOAD MODULE is not supported")
    };
    for (i, name) in names.iter().enumerate() {
        if name != CORE_MODULE {
            return Err(refuse(format!("No module with name '{name}' exists")));
        }
        if names[..i].contains(name) {
            return Err(refuse(format!("Module '{name}' appears more than once")));
        }
    }
    Ok(done("OK".to_string()))
}

/// A type as Flink's SHOW CREATE TABLE writes it: `STRING` as `VARCHAR(2147483647)`, `BYTES` as
/// `VARBINARY(2147483647)`, `TIMESTAMP_LTZ(p)` as `TIMESTAMP(p) WITH LOCAL TIME ZONE`, nested
/// types too (names in backquotes left alone), no time-attribute marker.
fn ddl_type(ty: &SqlType) -> String {
    let text = SqlType { rowtime: false, proctime: false, ..ty.clone() }.to_string();
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text.as_str();
    while let Some(c) = rest.chars().next() {
        if c == '`' {
            let end = rest[1..].find('`').map_or(rest.len(), |e| e + 2);
            out.push_str(&rest[..end]);
            rest = &rest[end..];
        } else if c.is_ascii_alphabetic() || c == '_' {
            let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(rest.len());
            let word = &rest[..end];
            rest = &rest[end..];
            match word {
                "STRING" => out.push_str("VARCHAR(2147483647)"),
                "BYTES" => out.push_str("VARBINARY(2147483647)"),
                "TIMESTAMP_LTZ" => {
                    // `(p)` follows; the zone words come after it.
                    let close = rest.find(')').map_or(0, |e| e + 1);
                    out.push_str("TIMESTAMP");
                    out.push_str(&rest[..close]);
                    out.push_str(" WITH LOCAL TIME ZONE");
                    rest = &rest[close..];
                }
                w => out.push_str(w),
            }
        } else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

pub(super) fn name_table(header: &str, names: Vec<String>) -> Outcome {
    Outcome::Table {
        columns: vec![info(header, DataType::Varchar(STRING_LENGTH))],
        rows: names.into_iter().map(|n| vec![Value::Str(n.into())]).collect(),
    }
}
