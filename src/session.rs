//! A studio session: the catalog, the local streams with their generators, and the running
//! jobs. This is the one door the UI and the native runner use: SQL text goes in through
//! [`Session::execute`], time moves on through [`Session::advance`], and result changes come
//! out through [`Session::take_changes`]. No web types here; the page drives it from a timer.

pub mod clock;
pub mod timeline;
pub mod topology;

use std::collections::{BTreeMap, VecDeque};

use crate::connectors::{self, Decoder, Files, LocalStreams, ReadMode, SensorGenerator, Sink, Source, SourceStatus};
use crate::engine::Pipeline;
use crate::plan::functions;
use crate::plan::physical::{self, changelog::RootReader, Source as PlanSource};
use crate::plan::planner::plan_create_table;
use crate::plan::{Catalog, PhysicalPlan, Plan, Planner};
use crate::sql::{Located, SqlError, Statement};
use crate::types::{Batch, DataType, RowKind, SqlType, Value, STRING_LENGTH};

pub type JobId = u32;

/// A result column: its name and its Flink type (shown in result headers).
#[derive(Clone, Debug, PartialEq)]
pub struct ColumnInfo {
    pub name: String,
    pub ty: SqlType,
}

/// One change of a continuous query's result.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    pub kind: RowKind,
    pub row: Vec<Value>,
}

/// What running one statement produced.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// DDL, SET and the like: a short confirmation.
    Done { message: String, warnings: Vec<String> },
    /// A finite table of information (SHOW TABLES, DESCRIBE, …).
    Table { columns: Vec<ColumnInfo>, rows: Vec<Vec<Value>> },
    /// Text to show as is (EXPLAIN).
    Text(String),
    /// A continuous query is running; read its changes with [`Session::take_changes`].
    Query { job: JobId, columns: Vec<ColumnInfo>, warnings: Vec<String> },
    /// An `INSERT INTO` job is running, writing to `target`.
    Insert { job: JobId, target: String, warnings: Vec<String> },
}

/// A table in the catalog, as the catalog panel shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct TableInfo {
    pub name: String,
    pub columns: Vec<ColumnInfo>,
    /// `event_time - INTERVAL '5' SECOND` style text, when the table declares a watermark.
    pub watermark: Option<String>,
    pub connector: String,
    /// The stream a Kinesis table reads or writes, if any.
    pub stream: Option<String>,
}

/// A local (in-page) stream, as the catalog panel shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct StreamInfo {
    pub name: String,
    pub shards: usize,
    pub records: u64,
    pub generator: Option<GeneratorInfo>,
    /// The stream mirrors a real Kinesis stream: it holds that stream's records.
    pub kinesis_mirror: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct GeneratorInfo {
    pub running: bool,
    pub records_per_second: f64,
}

/// A running (or stopped) job, as the jobs panel shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct JobInfo {
    pub id: JobId,
    pub sql: String,
    pub running: bool,
    pub records_in: u64,
    pub records_out: u64,
    pub late_records_dropped: u64,
    /// The job's current event-time watermark (ms since the epoch), if any.
    pub watermark: Option<i64>,
    pub error: Option<String>,
    /// When the job started, on the session's clock (ms since the epoch).
    pub started_ms: i64,
    /// Rows its operators hold in state (groups, open windows × keys, buffered rows).
    pub state_rows: u64,
    /// Records skipped as unreadable (`json.ignore-parse-errors`, `csv.ignore-parse-errors`).
    pub skipped_records: u64,
    /// The job ended by itself (its bounded inputs ended, or its LIMIT has its rows), rather
    /// than being stopped or failing.
    pub finished: bool,
}

/// Changes kept per query job until the view takes them; older ones are dropped (and counted)
/// so a result nobody reads cannot grow without bound.
pub const MAX_PENDING_CHANGES: usize = 100_000;
/// Records a job reads per step, so one busy job cannot starve the page.
const RECORDS_PER_STEP: usize = 8192;

/// The studio's state: catalog, settings, local streams with their generators, and jobs.
pub struct Session {
    catalog: Catalog,
    config: BTreeMap<String, String>,
    streams: LocalStreams,
    files: Files,
    generators: Vec<AttachedGenerator>,
    jobs: Vec<Job>,
    /// Set while a `%flink.bsql` paragraph runs.
    batch_paragraph: bool,
    /// The statement text that created each table or view (whitespace collapsed), so running
    /// the same paragraph again is not an error.
    definitions: BTreeMap<String, String>,
    next_job: JobId,
    now_ms: i64,
    /// Real Kinesis streams mirrored into `streams` (natively, `sluice run` in remote mode).
    remote: Option<Box<dyn connectors::RemoteStreams>>,
    /// What the remote streams reported, until [`Session::take_remote_messages`].
    remote_messages: Vec<String>,
    /// Lines `print` sinks of finished batch jobs wrote, until [`Session::take_printed`].
    printed: Vec<String>,
}

struct AttachedGenerator {
    stream: String,
    generator: SensorGenerator,
    running: bool,
    rate: f64,
}

impl Default for Session {
    fn default() -> Self {
        Self::new()
    }
}

/// The stream the built-in generator feeds when a session starts, and the default sink.
pub const DEFAULT_INPUT_STREAM: &str = "my-input-stream";
pub const DEFAULT_OUTPUT_STREAM: &str = "my-output-stream";
/// Records per second the built-in generator starts with.
pub const DEFAULT_GENERATOR_RATE: f64 = 20.0;
/// Flink's setting naming the savepoint the next job starts from.
pub const SAVEPOINT_PATH_KEY: &str = "execution.savepoint.path";
/// Keyed state not written for this long may be forgotten (Flink's option).
const STATE_TTL_KEY: &str = "table.exec.state.ttl";
/// An input without a record for this long turns idle (Flink's option; see `engine::watermark::Progress`).
const IDLE_TIMEOUT_KEY: &str = "table.exec.source.idle-timeout";
/// Savepoints are kept in the session (a stopped job's state), named like Flink's paths.
const SAVEPOINT_PREFIX: &str = "sluice-savepoints/savepoint-";

/// The session setting that seeds `datagen` tables (Flink's datagen is random; ours repeats).
pub const DATAGEN_SEED_KEY: &str = "sluice.datagen.seed";
/// Session settings that make the sensor generators untidy, as the Streams panel's knobs do, so
/// a note can set up its own lesson: the percentage of readings out of order (up to
/// [`OUT_OF_ORDER_DELAY_MS`] early: within the walkthrough's 5 s watermark delay) and late
/// (more than [`LATE_BOUND_MS`] early: behind any such watermark).
const GENERATOR_KEYS: &str = "sluice.generator.";
pub const GENERATOR_OUT_OF_ORDER_KEY: &str = "sluice.generator.out-of-order-percent";
pub const GENERATOR_LATE_KEY: &str = "sluice.generator.late-percent";
pub const OUT_OF_ORDER_DELAY_MS: i64 = 3_000;
pub const LATE_BOUND_MS: i64 = 10_000;

impl Session {
    /// A fresh session: local streams `my-input-stream` (fed by a running sensor generator)
    /// and `my-output-stream`, an empty catalog, no jobs.
    pub fn new() -> Self {
        let mut session = Self::empty();
        session.streams.get_or_create(DEFAULT_INPUT_STREAM);
        session.streams.get_or_create(DEFAULT_OUTPUT_STREAM);
        session.attach_generator(DEFAULT_INPUT_STREAM, 1, DEFAULT_GENERATOR_RATE);
        session
    }

    /// A session without streams or generators (the native runner's starting point).
    pub fn empty() -> Self {
        Session {
            catalog: Catalog::default(),
            config: BTreeMap::new(),
            streams: LocalStreams::default(),
            files: Files::default(),
            generators: Vec::new(),
            jobs: Vec::new(),
            batch_paragraph: false,
            definitions: BTreeMap::new(),
            next_job: 1,
            now_ms: 0,
            remote: None,
            remote_messages: Vec::new(),
            printed: Vec::new(),
        }
    }

    /// Feeds `stream` from a new sensor generator (created running).
    pub fn attach_generator(&mut self, stream: &str, seed: u64, records_per_second: f64) {
        self.streams.get_or_create(stream);
        let mut generator = SensorGenerator::new(seed);
        generator.set_rate(records_per_second);
        self.generators.push(AttachedGenerator { stream: stream.to_string(), generator, running: true, rate: records_per_second });
    }

    /// Sets how far the readings of the generators feeding `stream` stray from the order they
    /// are sent in (the teaching knob for watermarks and late data); `Disorder::default()` is the
    /// walkthrough's in-order stream. Returns false when no generator feeds `stream`.
    pub fn set_generator_disorder(&mut self, stream: &str, disorder: connectors::Disorder) -> bool {
        let mut found = false;
        for g in self.generators.iter_mut().filter(|g| g.stream == stream) {
            g.generator.set_disorder(disorder);
            found = true;
        }
        found
    }

    /// Applies the `sluice.generator.*` settings to every generator (unset: in order). Only a
    /// SET or RESET of one of them calls this, so other settings leave the panel's knobs alone.
    fn apply_generator_settings(&mut self) {
        let share = |key: &str| self.config.get(key).and_then(|v| percent(v)).unwrap_or(0.0) / 100.0;
        let disorder = connectors::Disorder {
            out_of_order_share: share(GENERATOR_OUT_OF_ORDER_KEY),
            max_delay_ms: OUT_OF_ORDER_DELAY_MS,
            late_share: share(GENERATOR_LATE_KEY),
            late_bound_ms: LATE_BOUND_MS,
        };
        for g in &mut self.generators {
            g.generator.set_disorder(disorder);
        }
    }

    /// Plugs real streams in, or replaces the way they are reached (`None`: every stream is
    /// local), and returns the jobs this stopped. From then on, a Kinesis table the remote knows
    /// reads and writes its real stream, mirrored into the local stream of the same name.
    ///
    /// A running job that reads or writes a real stream is stopped, with a message: its reader
    /// goes with the old access, and what it wrote would pile up for a writer that is gone. What
    /// it wrote before is handed to the old writers, which finish sending it. With no access
    /// left, mirrors become plain local streams holding what they mirrored.
    pub fn switch_remote(&mut self, remote: Option<Box<dyn connectors::RemoteStreams>>) -> Vec<JobId> {
        self.pump_remote();
        let remote_streams: Vec<String> =
            self.streams.names().filter(|n| self.streams.get(n).is_some_and(|s| s.is_remote())).cloned().collect();
        let mut stopped = Vec::new();
        for job in self.jobs.iter_mut().filter(|j| j.running && j.streams.iter().any(|s| remote_streams.contains(s))) {
            job.stop();
            stopped.push(job.id);
        }
        if !stopped.is_empty() {
            let ids: Vec<String> = stopped.iter().map(|id| id.to_string()).collect();
            self.remote_messages.push(format!(
                "stopped job {}: it used real Kinesis streams through the access just replaced; run it again to use the new one",
                ids.join(", ")
            ));
        }
        for name in &remote_streams {
            if let Some(stream) = self.streams.get_mut(name) {
                stream.stop_forwarding();
                if remote.is_none() {
                    stream.stop_mirroring();
                }
            }
        }
        self.remote = remote;
        stopped
    }

    /// Moves records between the remote streams and the local ones; a remote stream that
    /// failed fails the jobs reading or writing it.
    pub fn pump_remote(&mut self) {
        let Some(remote) = &mut self.remote else { return };
        let mut events = Vec::new();
        remote.pump(&mut self.streams, &mut events);
        for event in events {
            match event {
                connectors::RemoteEvent::Info(message) => self.remote_messages.push(message),
                connectors::RemoteEvent::Failed { stream, error } => {
                    for job in self.jobs.iter_mut().filter(|j| j.running && j.streams.contains(&stream)) {
                        job.running = false;
                        job.error = Some(error.clone());
                    }
                    self.remote_messages.push(error);
                }
            }
        }
    }

    /// Records written to remote streams that Kinesis has not stored yet.
    pub fn remote_pending_writes(&self) -> usize {
        self.remote.as_ref().map_or(0, |r| r.pending_writes())
    }

    /// Progress and trouble the remote streams reported since the last call.
    pub fn take_remote_messages(&mut self) -> Vec<String> {
        std::mem::take(&mut self.remote_messages)
    }

    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// Runs every statement in `sql` (a paragraph may hold several, separated by `;`).
    /// `now_ms` is the local wall-clock time in ms since the epoch. A leading Zeppelin
    /// interpreter line (`%flink.ssql(type=update)`) is ignored, keeping line numbers.
    pub fn execute(&mut self, sql: &str, now_ms: i64) -> Result<Vec<Outcome>, SqlError> {
        self.now_ms = now_ms;
        self.batch_paragraph = sql.trim_start().starts_with("%flink.bsql");
        let result = self.execute_paragraph(sql);
        self.batch_paragraph = false;
        result
    }

    fn execute_paragraph(&mut self, sql: &str) -> Result<Vec<Outcome>, SqlError> {
        let text = blank_interpreter_line(sql);
        let statements = crate::sql::parse_script(&text)?;
        if statements.is_empty() {
            return Err(SqlError::new("there is no statement to run").hint("type a SQL statement, e.g. SELECT * FROM sensor_data"));
        }
        let mut outcomes = Vec::new();
        for located in &statements {
            match self.execute_one(located) {
                Ok(o) => outcomes.push(o),
                Err(e) => {
                    // The paragraph failed: the jobs its earlier statements started would run
                    // on with nobody showing their results, so they go. (DDL stays done, as in
                    // Flink's SQL client.)
                    let started: Vec<JobId> = outcomes
                        .iter()
                        .filter_map(|o| match o {
                            Outcome::Query { job, .. } | Outcome::Insert { job, .. } => Some(*job),
                            _ => None,
                        })
                        .collect();
                    self.jobs.retain(|j| !started.contains(&j.id));
                    return Err(e);
                }
            }
        }
        Ok(outcomes)
    }

    /// Sets the processing-time clock (ms since the epoch) without moving generators or jobs.
    pub fn set_now(&mut self, now_ms: i64) {
        self.now_ms = now_ms;
    }

    /// The session's clock: the time [`Session::advance`] last moved to (ms since the epoch).
    pub fn now_ms(&self) -> i64 {
        self.now_ms
    }

    /// When a running generator's next reading is due (the virtual clock's "one record" step).
    /// A generator that has not produced yet makes its first reading at the next advance: now.
    pub fn next_record_due_ms(&self) -> Option<i64> {
        self.generators.iter().filter(|g| g.running).map(|g| g.generator.next_due_ms().unwrap_or(self.now_ms)).min()
    }

    /// The smallest watermark at which a running job fires a window (that window's end − 1).
    pub fn next_window_firing(&self) -> Option<i64> {
        self.jobs.iter().filter(|j| j.running).filter_map(|j| j.pipeline.next_timer()).min()
    }

    /// Gives the session a file's content under `path`, so `'connector' = 'filesystem'` tables
    /// with that path read it (the page cannot read paths; natively this overrides the disk).
    pub fn add_file(&mut self, path: &str, data: Vec<u8>) {
        self.files.add(path, data);
    }

    /// Whether queries run in batch mode: `%flink.bsql`, or `SET 'execution.runtime-mode' = 'batch'`.
    pub fn is_batch(&self) -> bool {
        self.batch_paragraph || self.config.get("execution.runtime-mode").is_some_and(|m| m.eq_ignore_ascii_case("batch"))
    }

    /// Plans a single query without running it (benchmarks and tools build their own pipeline).
    pub fn plan_query(&self, sql: &str) -> Result<Plan, SqlError> {
        let statements = crate::sql::parse_script(sql)?;
        match statements.as_slice() {
            [located] => match &located.statement {
                Statement::Query(q) => Planner::new(&self.catalog).plan_query(q).map_err(|e| e.or_at(located.location)),
                _ => Err(SqlError::new("expected a query").at(located.location)),
            },
            _ => Err(SqlError::new("expected exactly one query")),
        }
    }

    /// Runs one parsed statement (the native runner goes statement by statement).
    pub fn execute_one(&mut self, located: &Located) -> Result<Outcome, SqlError> {
        self.execute_statement(located).map_err(|e| e.or_at(located.location))
    }

    fn execute_statement(&mut self, located: &Located) -> Result<Outcome, SqlError> {
        match &located.statement {
            Statement::CreateTable(ddl) => {
                let name = &ddl.name.value;
                if self.catalog.contains(name) {
                    if ddl.if_not_exists || self.definitions.get(name) == Some(&normalized(&located.text)) {
                        return Ok(done(format!("Table `{name}` already exists as defined here; nothing changed.")));
                    }
                    return Err(SqlError::new(format!("table `{name}` already exists"))
                        .at(located.location)
                        .hint(format!("use CREATE TABLE IF NOT EXISTS, or DROP TABLE {name} first")));
                }
                let table = plan_create_table(ddl)?;
                let warnings = connectors::validate_table(&table).map_err(|m| SqlError::new(m).at(located.location))?;
                if let Some(stream) = connectors::local_stream_name(&table) {
                    self.streams.get_or_create(&stream);
                }
                self.catalog.add_table(table);
                self.definitions.insert(name.clone(), normalized(&located.text));
                Ok(Outcome::Done { message: format!("Table `{name}` has been created."), warnings })
            }
            Statement::CreateView { name, query, if_not_exists, .. } => {
                if self.catalog.contains(&name.value) {
                    if *if_not_exists || self.definitions.get(&name.value) == Some(&normalized(&located.text)) {
                        return Ok(done(format!("View `{}` already exists as defined here; nothing changed.", name.value)));
                    }
                    return Err(SqlError::new(format!("`{}` already exists", name.value)).at(located.location));
                }
                let view = crate::plan::planner::plan_view(&self.catalog, &name.value, query)?;
                self.catalog.add_view(view);
                self.definitions.insert(name.value.clone(), normalized(&located.text));
                Ok(done(format!("View `{}` has been created.", name.value)))
            }
            Statement::Drop { name, if_exists, view } => {
                let dropped = if *view { self.catalog.drop_view(&name.value) } else { self.catalog.drop_table(&name.value) };
                if dropped {
                    self.definitions.remove(&name.value);
                }
                match (dropped, if_exists) {
                    (true, _) => Ok(done(format!("{} `{}` has been dropped.", if *view { "View" } else { "Table" }, name.value))),
                    (false, true) => Ok(done(format!("`{}` does not exist; nothing changed.", name.value))),
                    (false, false) => {
                        Err(SqlError::new(format!("{} `{}` does not exist", if *view { "view" } else { "table" }, name.value))
                            .at(located.location)
                            .hint("use DROP … IF EXISTS to ignore a missing one"))
                    }
                }
            }
            Statement::Set { key: None, .. } => Ok(Outcome::Table {
                columns: vec![info("key", DataType::Varchar(STRING_LENGTH)), info("value", DataType::Varchar(STRING_LENGTH))],
                rows: self.config.iter().map(|(k, v)| vec![Value::Str(k.as_str().into()), Value::Str(v.as_str().into())]).collect(),
            }),
            Statement::Set { key: Some(k), value } => {
                let value = value.clone().unwrap_or_default();
                let invalid = match k.as_str() {
                    STATE_TTL_KEY | IDLE_TIMEOUT_KEY => {
                        crate::types::parse_duration(&value).is_none().then_some("a duration such as '1 h', '30 min' or '500 ms'")
                    }
                    "execution.runtime-mode" => {
                        (!["streaming", "batch"].iter().any(|m| value.eq_ignore_ascii_case(m))).then_some("'streaming' or 'batch'")
                    }
                    GENERATOR_OUT_OF_ORDER_KEY | GENERATOR_LATE_KEY => percent(&value).is_none().then_some("a percentage from 0 to 100"),
                    _ => None,
                };
                if let Some(expected) = invalid {
                    return Err(SqlError::new(format!("'{k}' = '{value}' is not valid: expected {expected}")).at(located.location));
                }
                self.config.insert(k.clone(), value.clone());
                if k.starts_with(GENERATOR_KEYS) {
                    self.apply_generator_settings();
                }
                Ok(done(format!("Session property `{k}` set to '{value}'.")))
            }
            Statement::Reset { key } => {
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
                Ok(done("Session properties have been reset.".to_string()))
            }
            Statement::ShowTables => Ok(name_table("table name", self.catalog.tables().map(|t| t.name.clone()).collect())),
            Statement::ShowViews => Ok(name_table("view name", self.catalog.views().map(|v| v.name.clone()).collect())),
            Statement::ShowFunctions => Ok(name_table("function name", functions::names().iter().map(|s| s.to_string()).collect())),
            Statement::ShowJobs => Ok(self.show_jobs()),
            Statement::StopJob { id, savepoint, drain, location } => self.stop_job_statement(id, *savepoint, *drain, *location),
            Statement::Describe(name) => self.describe(&name.value, located.location),
            Statement::DescribeFunction { name, extended, location } => describe_function(name, *extended, *location),
            Statement::Explain { statement: inner, changelog_mode } => match &inner.statement {
                Statement::Query(q) => {
                    let plan = Planner::new(&self.catalog).plan_query(q)?;
                    // A bare query has no sink to ask for `-U` rows: Flink explains it as if
                    // its reader took `+U` rows alone.
                    let physical = physical::lower(&plan, RootReader::UpdateAfterSuffices)?;
                    Ok(Outcome::Text(topology::explain(&physical, None, *changelog_mode)))
                }
                Statement::Insert { table, query } => {
                    let Some(target) = self.catalog.table(&table.value).cloned() else {
                        return Err(SqlError::new(format!("sink table `{}` not found", table.value)).at(inner.location));
                    };
                    let plan = Planner::new(&self.catalog).plan_query(query)?;
                    let (plan, _) = crate::plan::sink::fit_to_sink(plan, &target).map_err(|e| e.or_at(inner.location))?;
                    let physical = physical::lower(&plan, crate::plan::sink::reader(&target))?;
                    if !self.is_batch() {
                        crate::plan::sink::check_changes(&physical, &target).map_err(|e| e.or_at(inner.location))?;
                    }
                    Ok(Outcome::Text(topology::explain(&physical, Some(&target.name), *changelog_mode)))
                }
                _ => Err(SqlError::new("EXPLAIN takes a query or an INSERT").at(located.location)),
            },
            Statement::Query(q) => {
                let plan = Planner::new(&self.catalog).plan_query(q)?;
                // The page's result and the runner's output read every kind of change.
                let physical = physical::lower(&plan, RootReader::NeedsUpdateBefore)?;
                let columns: Vec<ColumnInfo> =
                    plan.schema.fields.iter().map(|f| ColumnInfo { name: f.name.clone(), ty: f.ty.clone() }).collect();
                if self.is_batch() {
                    let job =
                        self.start_job(&physical, located, JobSink::Collect { changes: VecDeque::new(), dropped: 0 }, ReadMode::Batch)?;
                    let rows = self.finish_batch_job(job).map_err(|m| SqlError::new(m).at(located.location))?;
                    return Ok(Outcome::Table { columns, rows });
                }
                let job = match self.resume_from_savepoint(located) {
                    Some(resumed) => resumed?,
                    None => {
                        self.start_job(&physical, located, JobSink::Collect { changes: VecDeque::new(), dropped: 0 }, ReadMode::Streaming)?
                    }
                };
                Ok(Outcome::Query { job, columns, warnings: Vec::new() })
            }
            Statement::Insert { table, query } => {
                let Some(target) = self.catalog.table(&table.value).cloned() else {
                    return Err(SqlError::new(format!("sink table `{}` not found", table.value)).at(located.location));
                };
                let plan = Planner::new(&self.catalog).plan_query(query)?;
                let (plan, warnings) = crate::plan::sink::fit_to_sink(plan, &target).map_err(|e| e.or_at(located.location))?;
                let physical = physical::lower(&plan, crate::plan::sink::reader(&target))?;
                // A batch result is final rows: any sink takes them.
                if !self.is_batch() {
                    crate::plan::sink::check_changes(&physical, &target).map_err(|e| e.or_at(located.location))?;
                }
                let sink = connectors::open_sink(&target, &mut self.streams).map_err(|m| SqlError::new(m).at(located.location))?;
                if let Some(remote) = &mut self.remote {
                    remote.attach_sink(&target, &mut self.streams).map_err(|m| SqlError::new(m).at(located.location))?;
                }
                if self.is_batch() {
                    let job = self.start_job(&physical, located, JobSink::Table { sink, table: target.name.clone() }, ReadMode::Batch)?;
                    self.finish_batch_job(job).map_err(|m| SqlError::new(m).at(located.location))?;
                    return Ok(Outcome::Done { message: format!("Inserted the batch result into `{}`.", target.name), warnings });
                }
                if let Some(resumed) = self.resume_from_savepoint(located) {
                    return Ok(Outcome::Insert { job: resumed?, target: target.name.clone(), warnings });
                }
                let mut job_streams: Vec<String> = connectors::local_stream_name(&target).into_iter().collect();
                let job = self.start_job(&physical, located, JobSink::Table { sink, table: target.name.clone() }, ReadMode::Streaming)?;
                if let Some(j) = self.jobs.iter_mut().find(|j| j.id == job) {
                    j.streams.append(&mut job_streams);
                }
                Ok(Outcome::Insert { job, target: target.name.clone(), warnings })
            }
        }
    }

    /// `SHOW JOBS`: Flink's SQL client columns. A job's id is its Sluice number in Flink's
    /// 32-hex-digit form; its name is its statement.
    fn show_jobs(&self) -> Outcome {
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
    fn stop_job_statement(&mut self, id: &str, savepoint: bool, drain: bool, location: crate::sql::Location) -> Result<Outcome, SqlError> {
        if drain {
            return Err(SqlError::new("STOP JOB … WITH DRAIN is not supported: it would fire every window as if the input had ended")
                .at(location)
                .hint(format!("STOP JOB '{id}' WITH SAVEPOINT keeps the job's state to resume it later")));
        }
        let wanted = parse_job_id(id);
        let Some(job) = self.jobs.iter_mut().find(|j| Some(j.id) == wanted) else {
            let ids: Vec<String> = self.jobs.iter().filter(|j| j.running).map(|j| format!("'{}'", flink_job_id(j.id))).collect();
            let err = SqlError::new(format!("there is no job '{id}'")).at(location);
            return Err(if ids.is_empty() {
                err.hint("no job is running; SHOW JOBS lists them")
            } else {
                err.hint(format!("running jobs: {}", ids.join(", ")))
            });
        };
        if !job.running {
            return Err(SqlError::new(format!("job '{id}' is not running (it is {})", job_status(job)))
                .at(location)
                .hint("SHOW JOBS lists the jobs and their status"));
        }
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

    /// With `execution.savepoint.path` set, the statement resumes the job stopped with that
    /// savepoint (its state and positions, so nothing is read twice or lost), if it is the same
    /// statement; the setting is then cleared, so later statements start fresh. `None` when no
    /// savepoint is set.
    fn resume_from_savepoint(&mut self, located: &Located) -> Option<Result<JobId, SqlError>> {
        let path = self.config.get(SAVEPOINT_PATH_KEY)?.clone();
        let text = |sql: &str| sql.split_whitespace().collect::<Vec<_>>().join(" ");
        let Some(job) = self.jobs.iter_mut().find(|j| j.savepoint.as_deref() == Some(path.as_str())) else {
            let known: Vec<String> = self.jobs.iter().filter_map(|j| j.savepoint.as_ref()).map(|p| format!("'{p}'")).collect();
            let err = SqlError::new(format!("there is no savepoint '{path}' to resume from")).at(located.location);
            return Some(Err(if known.is_empty() {
                err.hint(format!("STOP JOB '<id>' WITH SAVEPOINT makes one; RESET '{SAVEPOINT_PATH_KEY}' starts the statement fresh"))
            } else {
                err.hint(format!("savepoints: {}", known.join(", ")))
            }));
        };
        if text(&job.sql) != text(&located.text) {
            return Some(Err(SqlError::new(format!("savepoint '{path}' was taken of another statement: {}", job.sql.trim()))
                .at(located.location)
                .hint(format!("run that statement to resume it, or RESET '{SAVEPOINT_PATH_KEY}' to start this one fresh"))));
        }
        job.savepoint = None;
        job.running = true;
        job.stopped = false;
        let id = job.id;
        self.config.remove(SAVEPOINT_PATH_KEY);
        Some(Ok(id))
    }

    fn describe(&self, name: &str, location: crate::sql::Location) -> Result<Outcome, SqlError> {
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
            let rows = t
                .columns
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    // As Flink 2.3 prints it: the type with its time marker but without NOT NULL
                    // (that is the `null` column), expressions with quoted identifiers.
                    let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
                    let key = if t.primary_key.contains(&c.name) { format!("PRI({})", t.primary_key.join(", ")) } else { String::new() };
                    let extras = match &c.kind {
                        crate::plan::catalog::ColumnKind::Computed(e) => {
                            format!("AS {}", c.expr_text.as_deref().map_or_else(|| e.to_string(), |t| quote_identifiers(t, &names)))
                        }
                        crate::plan::catalog::ColumnKind::Metadata { key, is_virtual } => {
                            format!("METADATA FROM '{key}'{}", if *is_virtual { " VIRTUAL" } else { "" })
                        }
                        _ => String::new(),
                    };
                    let wm = t.watermark.as_ref().filter(|w| w.rowtime == i).map_or(String::new(), |w| quote_identifiers(&w.text, &names));
                    vec![
                        s(&c.name),
                        s(&c.ty.clone().with_nullable(true).to_string()),
                        Value::Bool(c.ty.nullable),
                        s(&key),
                        s(&extras),
                        s(&wm),
                    ]
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
        Err(SqlError::new(format!("table or view `{name}` not found")).at(location))
    }

    /// Runs a batch job to its end and removes it; returns its final rows (the changelog
    /// folded: what a batch query outputs).
    fn finish_batch_job(&mut self, job: JobId) -> Result<Vec<Vec<Value>>, String> {
        let mut changes = Vec::new();
        let result = self.run_to_end(job, &mut |c| changes.extend(c));
        // The job goes, but what it printed stays for the page to show.
        if let Some(JobSink::Table { sink, .. }) = self.jobs.iter_mut().find(|j| j.id == job).map(|j| &mut j.sink) {
            self.printed.append(&mut sink.take_printed());
        }
        self.jobs.retain(|j| j.id != job);
        result?;
        Ok(final_rows(changes))
    }

    fn start_job(&mut self, plan: &PhysicalPlan, located: &Located, sink: JobSink, mode: ReadMode) -> Result<JobId, SqlError> {
        let mut pipeline = Pipeline::new(plan).map_err(|e| SqlError::new(e.0).at(located.location))?;
        let duration = |key: &str| -> Result<Option<i64>, SqlError> {
            let Some(text) = self.config.get(key) else { return Ok(None) };
            let ms = crate::types::parse_duration(text).ok_or_else(|| {
                SqlError::new(format!("'{key}' = '{text}' is not a duration"))
                    .at(located.location)
                    .hint("write e.g. '1 h', '30 min', '10 s' or '500 ms'")
            })?;
            Ok(Some(ms))
        };
        if let Some(ttl) = duration(STATE_TTL_KEY)? {
            pipeline.set_state_ttl(Some(ttl));
        }
        pipeline.set_idle_timeout(duration(IDLE_TIMEOUT_KEY)?);
        pipeline.set_now(self.now_ms);
        let mut inputs = Vec::new();
        let mut streams = Vec::new();
        for (i, source) in pipeline.sources().into_iter().enumerate() {
            let table = match source {
                PlanSource::Table(table) => table,
                PlanSource::Values { rows, schema } => {
                    let values = connectors::ValuesSource::new(rows, schema.fields.iter().map(|f| f.ty.data_type.clone()).collect());
                    inputs.push(JobInput { feed: Feed::Values(values), ended: false, read_rank: 0 });
                    continue;
                }
            };
            if let Some(remote) = &mut self.remote {
                remote.attach_source(&table, &mut self.streams).map_err(|m| SqlError::new(m).at(located.location))?;
            }
            streams.extend(connectors::local_stream_name(&table));
            let source =
                connectors::open_source(&table, &self.streams, &self.files, mode).map_err(|m| SqlError::new(m).at(located.location))?;
            let decoder = connectors::decoder_for(&table, &pipeline.source_fields_of(i), self.datagen_seed(&table.name))
                .map_err(|m| SqlError::new(m).at(located.location))?;
            let read_rank = if source.is_bounded() { 1 } else { 2 };
            inputs.push(JobInput { feed: Feed::Records { source, decoder }, ended: false, read_rank });
        }
        let id = self.next_job;
        self.next_job += 1;
        self.jobs.push(Job {
            id,
            sql: located.text.clone(),
            plan: plan.clone(),
            pipeline,
            inputs,
            sink,
            running: true,
            finished: false,
            stopped: false,
            error: None,
            started_ms: self.now_ms,
            streams,
            savepoint: None,
        });
        Ok(id)
    }

    /// The seed of a `datagen` table's rows: `SET 'sluice.datagen.seed' = 'N'` (0 unless set),
    /// mixed with the table's name so two tables do not make the same rows.
    fn datagen_seed(&self, table: &str) -> u64 {
        let seed: u64 = self.config.get(DATAGEN_SEED_KEY).and_then(|s| s.trim().parse().ok()).unwrap_or(0);
        table.bytes().fold(seed ^ 0xCBF2_9CE4_8422_2325, |h, b| (h ^ b as u64).wrapping_mul(0x100_0000_01B3))
    }

    /// Moves time on to `now_ms`: generators produce their records, jobs consume them.
    pub fn advance(&mut self, now_ms: i64) {
        self.now_ms = now_ms;
        self.pump_remote();
        for g in &mut self.generators {
            if !g.running {
                continue;
            }
            let Some(stream) = self.streams.get_mut(&g.stream) else { continue };
            g.generator.generate_until(now_ms, &mut |record| {
                stream.put_record(record.partition_key, record.to_json().into_bytes(), now_ms);
            });
        }
        for i in 0..self.jobs.len() {
            if self.jobs[i].running {
                // Keep up with a fast generator, but give the page its frame back eventually.
                for _ in 0..64 {
                    if self.step_job(i) == StepResult::Idle {
                        break;
                    }
                }
            }
        }
        self.pump_remote();
    }

    /// Runs job `job` until its bounded input ends (or it fails or stops), handing each batch of
    /// changes to `on_changes`. Used by the native runner.
    pub fn run_to_end(&mut self, job: JobId, on_changes: &mut dyn FnMut(Vec<Change>)) -> Result<(), String> {
        let Some(i) = self.jobs.iter().position(|j| j.id == job) else { return Err(format!("no job {job}")) };
        // Nobody moves the clock while this runs, so a bounded source must not wait for it.
        for input in &mut self.jobs[i].inputs {
            input.read_without_pacing();
        }
        loop {
            let step = self.step_job(i);
            on_changes(self.take_changes(job));
            match step {
                StepResult::Progress => {}
                StepResult::Idle if self.jobs[i].inputs.iter().any(|x| !x.ended && x.is_bounded()) => {}
                StepResult::Idle | StepResult::Done => break,
            }
            if !self.jobs[i].running {
                break;
            }
        }
        match &self.jobs[i].error {
            Some(e) => Err(e.clone()),
            None => Ok(()),
        }
    }

    fn step_job(&mut self, i: usize) -> StepResult {
        let now = self.now_ms;
        let job = &mut self.jobs[i];
        job.pipeline.set_now(now);
        // Small bounded inputs are read before the others (a VALUES list first, then files),
        // so a stream joined with sensor metadata meets a complete table rather than padding
        // rows it must retract. Flink gives no order; this is one it may take.
        let first = job.inputs.iter().filter(|x| !x.ended).map(|x| x.read_rank).min().unwrap_or(0);
        let mut out = Vec::new();
        let mut status = StepResult::Idle;
        let result = (|| -> Result<(), String> {
            for (n, input) in job.inputs.iter_mut().enumerate() {
                if input.ended || input.read_rank > first {
                    continue;
                }
                let read = match &mut input.feed {
                    Feed::Values(values) => {
                        let (batch, read) = values.poll(RECORDS_PER_STEP);
                        if !batch.is_empty() {
                            job.pipeline.push_input(n, batch, &mut out).map_err(|e| e.to_string())?;
                        }
                        read
                    }
                    Feed::Records { source, decoder } => {
                        let mut decode_error = None;
                        let read = source.poll(&self.streams, now, RECORDS_PER_STEP, &mut |record: &[u8]| {
                            if decode_error.is_none() {
                                if let Err(e) = decoder.decode(record) {
                                    decode_error = Some(e);
                                }
                            }
                        });
                        let read = read?;
                        // Rows decoded before a bad record still count, as they would in Flink.
                        let batch = decoder.finish();
                        if !batch.is_empty() {
                            job.pipeline.push_input(n, batch, &mut out).map_err(|e| e.to_string())?;
                        }
                        if let Some(e) = decode_error {
                            job.sink.write(&out, job.pipeline.output_types(), &mut self.streams, now)?;
                            out.clear();
                            let name = job.pipeline.sources().get(n).map_or_else(String::new, |s| s.name().to_string());
                            return Err(format!("a record of `{name}` could not be read: {e}"));
                        }
                        read
                    }
                };
                match read {
                    SourceStatus::Ended => {
                        input.ended = true;
                        job.pipeline.end_of_input_of(n, &mut out).map_err(|e| e.to_string())?;
                        status = StepResult::Progress;
                    }
                    SourceStatus::Idle => {}
                    _ => status = StepResult::Progress,
                }
            }
            job.pipeline.on_processing_time(&mut out).map_err(|e| e.to_string())?;
            job.sink.write(&out, job.pipeline.output_types(), &mut self.streams, now)?;
            Ok(())
        })();
        match result {
            Ok(()) if job.inputs.iter().all(|x| x.ended) || job.pipeline.is_complete() => {
                job.running = false;
                job.finished = true;
                StepResult::Done
            }
            Ok(()) => status,
            Err(e) => {
                job.running = false;
                job.error = Some(e);
                StepResult::Done
            }
        }
    }

    /// The lines `print` sinks wrote since the last call (every job's, in job order), so the
    /// page can show what Flink would write to the TaskManager's stdout.
    pub fn take_printed(&mut self) -> Vec<String> {
        let mut printed = std::mem::take(&mut self.printed);
        for job in &mut self.jobs {
            if let JobSink::Table { sink, .. } = &mut job.sink {
                printed.append(&mut sink.take_printed());
            }
        }
        printed
    }

    /// The changes job `job` produced since the last call.
    pub fn take_changes(&mut self, job: JobId) -> Vec<Change> {
        match self.jobs.iter_mut().find(|j| j.id == job).map(|j| &mut j.sink) {
            Some(JobSink::Collect { changes, .. }) => changes.drain(..).collect(),
            _ => Vec::new(),
        }
    }

    pub fn stop_job(&mut self, job: JobId) {
        if let Some(j) = self.jobs.iter_mut().find(|j| j.id == job) {
            j.stop();
        }
    }

    /// Late records the job's operators dropped (the most recent ones).
    pub fn late_records(&self, job: JobId) -> Vec<crate::engine::operator::LateRecord> {
        self.jobs.iter().find(|j| j.id == job).map(|j| j.pipeline.late_records()).unwrap_or_default()
    }

    pub fn tables(&self) -> Vec<TableInfo> {
        self.catalog
            .tables()
            .map(|t| TableInfo {
                name: t.name.clone(),
                columns: t.columns.iter().map(|c| ColumnInfo { name: c.name.clone(), ty: c.ty.clone() }).collect(),
                watermark: t.watermark.as_ref().map(|w| w.text.clone()),
                connector: t.connector().to_string(),
                stream: connectors::local_stream_name(t),
            })
            .collect()
    }

    pub fn streams(&self) -> Vec<StreamInfo> {
        self.streams
            .names()
            .filter_map(|name| {
                let stream = self.streams.get(name)?;
                let generator = self
                    .generators
                    .iter()
                    .find(|g| &g.stream == name)
                    .map(|g| GeneratorInfo { running: g.running, records_per_second: g.rate });
                Some(StreamInfo {
                    name: name.clone(),
                    shards: stream.shard_count(),
                    records: stream.record_count() as u64,
                    generator,
                    kinesis_mirror: stream.is_mirror(),
                })
            })
            .collect()
    }

    pub fn jobs(&self) -> Vec<JobInfo> {
        self.jobs.iter().map(Self::job_info).collect()
    }

    pub fn job(&self, id: JobId) -> Option<JobInfo> {
        self.jobs.iter().find(|j| j.id == id).map(Self::job_info)
    }

    fn job_info(j: &Job) -> JobInfo {
        JobInfo {
            id: j.id,
            sql: j.sql.clone(),
            running: j.running,
            records_in: j.pipeline.records_in(),
            records_out: j.pipeline.records_out(),
            late_records_dropped: j.pipeline.late_records_dropped(),
            watermark: j.pipeline.watermark().filter(|w| *w > i64::MIN && *w < i64::MAX),
            error: j.error.clone(),
            started_ms: j.started_ms,
            state_rows: j.pipeline.operator_metrics().iter().map(|(_, m)| m.state_rows).sum(),
            skipped_records: j.inputs.iter().map(JobInput::skipped).sum(),
            finished: j.finished,
        }
    }

    /// Puts one record on a local stream (as Kinesis's PutRecord does); returns its shard and
    /// sequence number.
    pub fn put_record(&mut self, stream: &str, partition_key: &str, data: Vec<u8>) -> Result<(usize, u64), String> {
        let now = self.now_ms;
        let s = self.streams.get_mut(stream).ok_or_else(|| format!("local stream `{stream}` does not exist"))?;
        Ok(s.put_record(partition_key, data, now))
    }

    /// Starts or stops the generator feeding `stream` and sets its rate.
    pub fn set_generator(&mut self, stream: &str, running: bool, records_per_second: f64) {
        let rate = if records_per_second.is_finite() { records_per_second.clamp(0.0, 1_000_000.0) } else { 0.0 };
        for g in self.generators.iter_mut().filter(|g| g.stream == stream) {
            if !running {
                // Restarting later begins at that moment instead of back-filling the pause.
                g.generator.pause();
            }
            g.running = running;
            g.rate = rate;
            g.generator.set_rate(rate);
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum StepResult {
    Progress,
    Idle,
    Done,
}

struct Job {
    id: JobId,
    sql: String,
    /// What runs: EXPLAIN's plan, with each operator's changelog mode.
    plan: PhysicalPlan,
    pipeline: Pipeline,
    /// One source per table the query reads, in the pipeline's input order.
    inputs: Vec<JobInput>,
    sink: JobSink,
    running: bool,
    finished: bool,
    /// Stopped (STOP JOB, the jobs panel, another Kinesis access) before its input ended.
    stopped: bool,
    error: Option<String>,
    started_ms: i64,
    /// The streams the job reads and writes (a remote one failing fails the job).
    streams: Vec<String>,
    /// Set by `STOP JOB … WITH SAVEPOINT`: the stopped job keeps its operators' state and its
    /// sources' positions under this path, until a run of the same statement resumes it.
    savepoint: Option<String>,
}

impl Job {
    /// Stops the job if it runs; a job that ended or failed stays as it is.
    fn stop(&mut self) {
        self.stopped |= self.running;
        self.running = false;
    }
}

struct JobInput {
    feed: Feed,
    ended: bool,
    /// Inputs of the lowest rank still reading are read first: 0 VALUES, 1 other bounded, 2 the rest.
    read_rank: u8,
}

/// Where an input's rows come from. A job has a few inputs, each read on every step, so the
/// records' variant stays inline rather than behind a box on the read path.
#[allow(clippy::large_enum_variant)]
enum Feed {
    /// A connector's records, decoded into columns.
    Records { source: Source, decoder: Decoder },
    /// VALUES rows, columns already.
    Values(connectors::ValuesSource),
}

impl JobInput {
    fn is_bounded(&self) -> bool {
        match &self.feed {
            Feed::Records { source, .. } => source.is_bounded(),
            Feed::Values(_) => true,
        }
    }

    fn read_without_pacing(&mut self) {
        if let Feed::Records { source, .. } = &mut self.feed {
            source.read_without_pacing();
        }
    }

    /// Records the decoder skipped as unreadable.
    fn skipped(&self) -> u64 {
        match &self.feed {
            Feed::Records { decoder, .. } => decoder.skipped(),
            Feed::Values(_) => 0,
        }
    }
}

enum JobSink {
    /// A SELECT: changes wait here for the view.
    Collect { changes: VecDeque<Change>, dropped: u64 },
    /// An INSERT INTO: rows go to the sink table, `table`.
    Table { sink: Sink, table: String },
}

impl JobSink {
    fn write(&mut self, batches: &[Batch], types: &[DataType], streams: &mut LocalStreams, now_ms: i64) -> Result<(), String> {
        match self {
            JobSink::Collect { changes, dropped } => {
                for b in batches {
                    for i in 0..b.len() {
                        if changes.len() == MAX_PENDING_CHANGES {
                            changes.pop_front();
                            *dropped += 1;
                        }
                        changes.push_back(Change { kind: b.kind(i), row: b.row(i, types) });
                    }
                }
                Ok(())
            }
            JobSink::Table { sink, .. } => sink.write(batches, types, streams, now_ms),
        }
    }
}

/// `'30'` or `'30%'` → 30.0, when it is a percentage from 0 to 100.
fn percent(text: &str) -> Option<f64> {
    text.trim().trim_end_matches('%').trim().parse::<f64>().ok().filter(|p| (0.0..=100.0).contains(p))
}

/// A job id as Flink prints one: 32 hex digits.
fn flink_job_id(id: JobId) -> String {
    format!("{id:032x}")
}

/// `STOP JOB '…'` takes the id as SHOW JOBS prints it, or the plain job number.
fn parse_job_id(text: &str) -> Option<JobId> {
    let text = text.trim();
    if text.len() == 32 {
        return u128::from_str_radix(text, 16).ok().and_then(|v| JobId::try_from(v).ok());
    }
    text.parse().ok()
}

/// Flink's job status names.
fn job_status(j: &Job) -> &'static str {
    if j.running {
        "RUNNING"
    } else if j.error.is_some() {
        "FAILED"
    } else if j.savepoint.is_some() {
        // Stopped with a savepoint, as Flink reports it.
        "FINISHED"
    } else if j.stopped {
        "CANCELED"
    } else if j.finished {
        "FINISHED"
    } else {
        "CANCELED"
    }
}

fn done(message: String) -> Outcome {
    Outcome::Done { message, warnings: Vec::new() }
}

fn info(name: &str, ty: DataType) -> ColumnInfo {
    ColumnInfo { name: name.to_string(), ty: SqlType::nullable(ty) }
}

/// `DESCRIBE FUNCTION [EXTENDED] name`: Flink's `info name | info value` rows (is system
/// function, is temporary; EXTENDED adds kind, is deterministic and signature), and Sluice's
/// description and example after them.
fn describe_function(name: &str, extended: bool, location: crate::sql::Location) -> Result<Outcome, SqlError> {
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

fn name_table(header: &str, names: Vec<String>) -> Outcome {
    Outcome::Table {
        columns: vec![info(header, DataType::Varchar(STRING_LENGTH))],
        rows: names.into_iter().map(|n| vec![Value::Str(n.into())]).collect(),
    }
}

/// SQL text with the table's column names in backquotes, as Flink prints expressions
/// (`event_time - INTERVAL '5' SECOND` → `` `event_time` - INTERVAL '5' SECOND ``).
fn quote_identifiers(text: &str, columns: &[&str]) -> String {
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

/// A statement's text with runs of whitespace collapsed and no trailing `;`.
fn normalized(text: &str) -> String {
    text.trim().trim_end_matches(';').split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The rows a changelog leaves: `+I`/`+U` add a row, `-U`/`-D` take an equal one away.
fn final_rows(changes: Vec<Change>) -> Vec<Vec<Value>> {
    let mut rows: Vec<Option<Vec<Value>>> = Vec::new();
    // Rows by their rendering (values are not `Hash`: doubles), newest last.
    let mut positions: std::collections::HashMap<String, Vec<usize>> = std::collections::HashMap::new();
    for change in changes {
        let key = format!("{:?}", change.row);
        if change.kind.is_accumulate() {
            positions.entry(key).or_default().push(rows.len());
            rows.push(Some(change.row));
        } else if let Some(at) = positions.get_mut(&key).and_then(Vec::pop) {
            rows[at] = None;
        }
    }
    rows.into_iter().flatten().collect()
}

/// Replaces a leading `%interpreter(…)` line with spaces, so positions stay where the user
/// sees them.
fn blank_interpreter_line(text: &str) -> String {
    let trimmed = text.trim_start();
    if !trimmed.starts_with('%') {
        return text.to_string();
    }
    let lead = text.len() - trimmed.len();
    let end = trimmed.find('\n').map_or(text.len(), |i| lead + i);
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..lead]);
    out.extend(text[lead..end].chars().map(|_| ' '));
    out.push_str(&text[end..]);
    out
}
