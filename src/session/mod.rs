//! A studio session: the catalog, the local streams with their generators, and the running
//! jobs. This is the one door the UI and the native runner use: SQL text goes in through
//! [`Session::execute`], time moves on through [`Session::advance`], and result changes come
//! out through [`Session::take_changes`]. No web types here; the page drives it from a timer.
//!
//! The door is this file; behind it, `statements.rs` runs each kind of statement (DDL, SET,
//! SHOW, DESCRIBE, EXPLAIN, queries and INSERT), `jobs.rs` keeps the jobs (start, step, stop,
//! savepoints), and `streams.rs` the local streams, their generators and the real Kinesis
//! streams mirrored into them; `detached.rs` lets a query job go to another thread.

pub mod budget;
pub mod clock;
mod detached;
pub mod diagnosis;
mod errors;
mod jobs;
mod late_table;
pub mod ledger;
mod offsets;
pub mod paragraph;
mod statements;
mod streams;
pub mod timeline;
pub mod topology;
mod user_functions;

use std::collections::BTreeMap;

use crate::connectors::kafka::LocalTopics;
use crate::connectors::{self, Files, LocalStreams};
use crate::plan::{Catalog, Plan, Planner};
use crate::sql::{Located, SqlError, Statement};
use crate::types::{RowKind, SqlType, Value};
pub use budget::{Budget, Deadline, SpentWhen, Unlimited};
pub use detached::DetachedJob;
use jobs::{Job, JobSink};
pub use late_table::LATE_RECORDS;
use streams::AttachedGenerator;

pub type JobId = u32;

/// A result column: its name and its Flink type (shown in result headers).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ColumnInfo {
    pub name: String,
    pub ty: SqlType,
    /// The session time zone (`table.local-time-zone`) a TIMESTAMP_LTZ column of a query's
    /// result is shown in; `None` for other columns (shown as they are).
    #[serde(default)]
    pub zone: Option<String>,
}

impl ColumnInfo {
    pub fn new(name: impl Into<String>, ty: SqlType) -> Self {
        ColumnInfo { name: name.into(), ty, zone: None }
    }

    /// A query's result column, shown in the session zone `zone` when it is a TIMESTAMP_LTZ.
    pub fn of_result(name: impl Into<String>, ty: SqlType, zone: &str) -> Self {
        let zone = matches!(ty.data_type, crate::types::DataType::TimestampLtz(_)).then(|| zone.to_string());
        ColumnInfo { name: name.into(), ty, zone }
    }

    /// `value` as a result table shows it: a TIMESTAMP_LTZ as the wall-clock time in the session
    /// zone, as Flink's SQL client prints it (the print sink and the JSON format write the
    /// instant in UTC, as Flink's do); anything else as it prints.
    pub fn show(&self, value: &Value) -> String {
        match (value, &self.zone) {
            (Value::Timestamp(ms), Some(zone)) => {
                let zone = crate::types::java_time_zone(zone);
                crate::types::format_timestamp(ms + crate::types::offset_at(&zone, *ms))
            }
            _ => value.to_string(),
        }
    }
}

/// One change of a continuous query's result.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Change {
    pub kind: RowKind,
    pub row: Vec<Value>,
}

/// What running one statement produced.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
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
    /// `EXPLAIN JOB '<id>'`: why the job's windows have or have not fired
    /// (`views::diagnosis::render` says it in words).
    Diagnosis(Box<diagnosis::Diagnosis>),
}

/// A table in the catalog, as the catalog panel shows it.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
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
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct StreamInfo {
    pub name: String,
    pub shards: usize,
    pub records: u64,
    pub generator: Option<GeneratorInfo>,
    /// The stream mirrors a real Kinesis stream: it holds that stream's records.
    pub kinesis_mirror: bool,
    /// A local Kafka topic (its `shards` are partitions), listed after the local streams.
    pub kafka_topic: bool,
    /// The topic mirrors a real Kafka topic: it holds that topic's records.
    pub kafka_mirror: bool,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct GeneratorInfo {
    pub running: bool,
    pub records_per_second: f64,
    /// The "break it" scenario started on it, if any, and when.
    pub scenario: Option<connectors::ActiveScenario>,
}

/// A running (or stopped) job, as the jobs panel shows it.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
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

/// The studio's state: catalog, settings, local streams with their generators, and jobs.
pub struct Session {
    catalog: Catalog,
    config: BTreeMap<String, String>,
    streams: LocalStreams,
    /// Kafka's local topics, beside the Kinesis-like local streams.
    topics: LocalTopics,
    files: Files,
    generators: Vec<AttachedGenerator>,
    jobs: Vec<Job>,
    /// Set while a `%flink.bsql` paragraph runs.
    batch_paragraph: bool,
    /// Whether new event-time jobs record what they read for the what-if (on unless a
    /// benchmark measures the cost of it, see [`Session::set_what_if_recording`]).
    no_what_if_recording: bool,
    /// The statement text that created each table or view (whitespace collapsed), so running
    /// the same paragraph again is not an error.
    definitions: BTreeMap<String, String>,
    next_job: JobId,
    now_ms: i64,
    /// Real Kinesis streams mirrored into `streams` (natively, `sluice run` in remote mode).
    remote: Option<Box<dyn connectors::RemoteStreams>>,
    /// What the remote streams reported, until [`Session::take_remote_messages`].
    remote_messages: Vec<String>,
    /// Real Kafka topics mirrored into `topics` (see [`connectors::kafka::RemoteTopics`]).
    remote_topics: Option<Box<dyn connectors::kafka::RemoteTopics>>,
    /// Lines `print` sinks of finished batch jobs wrote, until [`Session::take_printed`].
    printed: Vec<String>,
    /// The job [`Session::advance_within`] steps first (the one after the last it stepped), so a
    /// budget spent on one slow job leaves the others their turn in the next advance.
    first_to_step: JobId,
    /// Who runs user-defined (Python) functions: the page's worker or a test; none natively.
    user_function_host: Option<std::rc::Rc<dyn crate::plan::functions::user::UserFunctionHost>>,
    /// How files are read: on one thread unless the runner (threads) or the page (decode
    /// workers) asks for more.
    file_reading: connectors::FileReading,
    /// Decoders elsewhere for files the session holds (the page's decode workers).
    decode_pool: Option<std::sync::Arc<dyn connectors::DecodePool>>,
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
/// Flink's session time zone: how TIMESTAMP_LTZ values convert to and from zone-less ones.
const LOCAL_TIME_ZONE_KEY: &str = "table.local-time-zone";

/// An input without a record for this long turns idle (Flink's option; see `engine::watermark::Progress`).
const IDLE_TIMEOUT_KEY: &str = "table.exec.source.idle-timeout";

/// The session setting that seeds `datagen` tables (Flink's datagen is random; ours repeats).
pub const DATAGEN_SEED_KEY: &str = "sluice.datagen.seed";

/// Session settings that make the sensor generators untidy, as the Streams panel's knobs do, so
/// a note can set up its own lesson: the percentage of readings out of order (up to
/// [`OUT_OF_ORDER_DELAY_MS`] early: within the walkthrough's 5 s watermark delay) and late
/// (more than [`LATE_BOUND_MS`] early: behind any such watermark).
const GENERATOR_KEYS: &str = "sluice.generator.";

pub const GENERATOR_OUT_OF_ORDER_KEY: &str = "sluice.generator.out-of-order-percent";

pub const GENERATOR_LATE_KEY: &str = "sluice.generator.late-percent";

/// The "break it" scenario the generators play (`idle-shard`, `late-burst`, `clock-behind`,
/// `duplicates`, `paused-producer`; see `connectors::Scenario`), from the moment it is set.
pub const GENERATOR_SCENARIO_KEY: &str = "sluice.generator.scenario";

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

    /// Whether jobs started from now on record what they read (up to `ledger::RECORDED_ROWS`
    /// rows) so the late ledger's what-if can replay it. On by default; `sluice bench` turns it
    /// off to print what it costs.
    pub fn set_what_if_recording(&mut self, on: bool) {
        self.no_what_if_recording = !on;
    }

    /// A session without streams or generators (the native runner's starting point).
    pub fn empty() -> Self {
        Session {
            catalog: Catalog::default(),
            config: BTreeMap::new(),
            streams: LocalStreams::default(),
            topics: LocalTopics::default(),
            files: Files::default(),
            generators: Vec::new(),
            jobs: Vec::new(),
            batch_paragraph: false,
            no_what_if_recording: false,
            definitions: BTreeMap::new(),
            next_job: 1,
            now_ms: 0,
            remote: None,
            remote_messages: Vec::new(),
            remote_topics: None,
            printed: Vec::new(),
            first_to_step: 0,
            user_function_host: None,
            file_reading: connectors::FileReading::default(),
            decode_pool: None,
        }
    }

    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// Runs every statement in `sql` (a paragraph may hold several, separated by `;`).
    /// `now_ms` is the local wall-clock time in ms since the epoch. A leading Zeppelin
    /// interpreter line (`%flink.ssql(type=update)`) is ignored, keeping line numbers; a Python
    /// (`%flink.pyflink`) or Scala (`%flink`) paragraph is refused, saying where it runs
    /// ([`paragraph::refusal`]). Python code in the page calls this for its SQL
    /// (`st_env.execute_sql`), and gets the outcomes a SQL paragraph gets.
    pub fn execute(&mut self, sql: &str, now_ms: i64) -> Result<Vec<Outcome>, SqlError> {
        let result = self.start_paragraph(sql, now_ms).and_then(|statements| self.execute_paragraph(&statements));
        self.end_paragraph();
        result
    }

    /// Starts running paragraph `sql` statement by statement (the native runner, which runs each
    /// statement's job before the next statement starts): sets the clock and the paragraph's mode
    /// (`%flink.bsql`: batch) and returns its statements, for [`Session::execute_one`] one at a
    /// time; [`Session::end_paragraph`] ends it. Refused as [`Session::execute`] refuses it.
    pub fn start_paragraph(&mut self, sql: &str, now_ms: i64) -> Result<Vec<Located>, SqlError> {
        if let Some(refusal) = paragraph::refusal(sql) {
            return Err(refusal);
        }
        self.now_ms = now_ms;
        self.batch_paragraph = sql.trim_start().starts_with("%flink.bsql");
        paragraph::statements(sql)
    }

    /// Ends the paragraph [`Session::start_paragraph`] started (back to streaming mode).
    pub fn end_paragraph(&mut self) {
        self.batch_paragraph = false;
    }

    fn execute_paragraph(&mut self, statements: &[Located]) -> Result<Vec<Outcome>, SqlError> {
        let mut outcomes = Vec::new();
        for located in statements {
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

    /// How jobs started from now on read files: `sluice run` decodes files on disk on every
    /// core; the rows, their order and so every result stay those of one thread.
    pub fn set_file_reading(&mut self, reading: connectors::FileReading) {
        self.file_reading = reading;
    }

    /// Decoders for the files the session holds (given by content): jobs started from now on
    /// read such a file in `file_reading`'s chunks through `pool` when it has more than one
    /// decoder (the page's decode workers), with the rows and order of one thread.
    pub fn set_decode_pool(&mut self, pool: Option<std::sync::Arc<dyn connectors::DecodePool>>) {
        self.decode_pool = pool;
    }

    /// Sets the processing-time clock (ms since the epoch) without moving generators or jobs.
    pub fn set_now(&mut self, now_ms: i64) {
        self.now_ms = now_ms;
    }

    /// The session's clock: the time [`Session::advance`] last moved to (ms since the epoch).
    pub fn now_ms(&self) -> i64 {
        self.now_ms
    }

    /// Gives the session a file's content under `path`, so `'connector' = 'filesystem'` tables
    /// with that path read it (the page cannot read paths; natively this overrides the disk).
    pub fn add_file(&mut self, path: &str, data: Vec<u8>) {
        self.files.add(path, data);
    }

    /// The content the session holds for `path` (given by [`Session::add_file`]).
    pub fn file(&self, path: &str) -> Option<std::sync::Arc<[u8]>> {
        self.files.get(path)
    }

    /// Whether queries run in batch mode: `%flink.bsql`, or `SET 'execution.runtime-mode' = 'batch'`.
    pub fn is_batch(&self) -> bool {
        self.batch_paragraph || self.config.get("execution.runtime-mode").is_some_and(|m| m.eq_ignore_ascii_case("batch"))
    }

    /// A planner in the session's time zone (`SET 'table.local-time-zone'`).
    fn planner(&self) -> Planner<'_> {
        let zone = self.config.get(LOCAL_TIME_ZONE_KEY).map_or(crate::plan::local_time_zone::DEFAULT, String::as_str);
        Planner::new(&self.catalog).with_time_zone(zone)
    }

    /// Plans a single query without running it (benchmarks and tools build their own pipeline).
    pub fn plan_query(&self, sql: &str) -> Result<Plan, SqlError> {
        let statements = crate::sql::parse_script(sql)?;
        match statements.as_slice() {
            [located] => match &located.statement {
                Statement::Query(q) => self.planner().plan_query(q).map_err(|e| e.or_at(located.location)),
                _ => Err(SqlError::new("expected a query").at(located.location)),
            },
            _ => Err(SqlError::new("expected exactly one query")),
        }
    }

    /// Runs one parsed statement (the native runner goes statement by statement).
    pub fn execute_one(&mut self, located: &Located) -> Result<Outcome, SqlError> {
        self.execute_statement(located).map_err(|e| e.or_at(located.location))
    }

    pub fn tables(&self) -> Vec<TableInfo> {
        self.catalog
            .tables()
            .map(|t| TableInfo {
                name: t.name.clone(),
                columns: t.columns.iter().map(|c| ColumnInfo::new(c.name.clone(), c.ty.clone())).collect(),
                watermark: t.watermark.as_ref().map(|w| w.text.clone()),
                connector: t.connector().to_string(),
                stream: connectors::local_stream_name(t),
            })
            .collect()
    }
}

/// A statement's text with runs of whitespace collapsed and no trailing `;`.
fn normalized(text: &str) -> String {
    text.trim().trim_end_matches(';').split_whitespace().collect::<Vec<_>>().join(" ")
}
