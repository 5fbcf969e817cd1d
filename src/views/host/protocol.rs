//! The session as messages, for a page whose session runs in a Web Worker: the page sends a
//! [`SessionRequest`] (a mutation or a question), the side that holds the session answers with a
//! [`SessionReply`], and after every engine tick (and every request) it sends a [`Published`]:
//! what the views read (the clock, jobs, streams, the catalog when it changed, printed lines,
//! Kinesis messages) and each query job's new result changes. The page keeps the last of these
//! in a [`super::mirror::SessionMirror`].
//!
//! Plain Rust, no web types: the same messages are served on the page's own thread when the
//! worker cannot start (see `src/ui/host.rs`), and natively in tests. A new kind of question is
//! one variant here and one arm in [`super::server::SessionServer::handle`].
//!
//! Messages cross as bytes (postcard: compact, exact for every `Value`, NaN and `i128` included).

use serde::{Deserialize, Serialize};

use crate::connectors::{Disorder, Scenario};
use crate::engine::operator::LateRecord;
use crate::session::clock::{Speed, Step};
use crate::session::diagnosis::Diagnosis;
use crate::session::ledger::{Ledger, WhatIf};
use crate::session::timeline::TimelineSample;
use crate::session::topology::Stage;
use crate::session::{Change, ColumnInfo, JobId, JobInfo, Outcome, StreamInfo, TableInfo};
use crate::sql::Location;
use crate::views::completion::FunctionHint;
use crate::views::exercise::Verdict;
use crate::views::strategies::{Comparison, Strategy};

/// What the page asks of the session.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum SessionRequest {
    /// Sets the clock to `start_ms` (paused or not) and the session to it; the page sends it
    /// first, from its address (`?start=`, `?paused`). Replies [`SessionReply::Done`].
    StartClock {
        start_ms: i64,
        paused: bool,
    },
    Pause,
    Resume,
    SetSpeed(Speed),
    /// Replies [`SessionReply::Stepped`].
    Step(Step),
    /// Runs a paragraph's statements at the clock's time. Replies [`SessionReply::Executed`].
    Execute {
        sql: String,
    },
    StopJob {
        job: JobId,
    },
    /// `STOP JOB … WITH DRAIN`: fires every pending event-time window, then stops the job.
    DrainJob {
        job: JobId,
    },
    SetGenerator {
        stream: String,
        running: bool,
        records_per_second: f64,
    },
    SetGeneratorDisorder {
        stream: String,
        disorder: Disorder,
    },
    /// Feeds a local stream with a sensor generator of its own seed.
    AttachGenerator {
        stream: String,
        records_per_second: f64,
    },
    /// A file for `filesystem` tables, by name. Replies [`SessionReply::FileAdded`].
    AddFile {
        name: String,
        data: Vec<u8>,
    },
    /// A file for `filesystem` tables that the worker reads itself: the page's `File` travels
    /// beside this message (see `src/ui/host.rs`), so its bytes never touch the page's thread.
    /// Replies [`SessionReply::FileAdded`].
    ReadFile {
        name: String,
    },
    /// Where Kinesis tables read and write from now on. Replies [`SessionReply::RemoteInUse`].
    UseRemote(RemoteAccess),
    /// Where Kafka tables read and write from now on. Replies [`SessionReply::RemoteInUse`].
    UseKafka(TopicAccess),
    /// Replies [`SessionReply::LateRecords`].
    LateRecords {
        job: JobId,
    },
    /// Replies [`SessionReply::Stages`].
    JobStages {
        job: JobId,
    },
    /// Replies [`SessionReply::Timeline`].
    TimelineSample {
        job: JobId,
        max_records: usize,
    },
    /// Why a job's windows wait (what `EXPLAIN JOB` says). Replies [`SessionReply::Diagnosis`].
    Diagnose {
        job: JobId,
    },
    /// A job's late records with the windows they missed. Replies [`SessionReply::LateLedger`].
    LateLedger {
        job: JobId,
    },
    /// The job's recorded input replayed under another WATERMARK delay. Replies
    /// [`SessionReply::WhatIf`].
    WhatIfDelay {
        job: JobId,
        delay_ms: i64,
    },
    /// A generator-fed stream starts going wrong one way, or (`None`) behaves again.
    BreakStream {
        stream: String,
        scenario: Option<Scenario>,
    },
    /// A paragraph's query replayed over its stream's (or topic's) recorded records under each
    /// strategy (watermark delays or idle timeouts). Replies [`SessionReply::Strategies`].
    CompareStrategies {
        query: String,
        strategies: Vec<Strategy>,
    },
    /// A learner's query checked against an `%exercise` paragraph's text, in a session of its
    /// own (the exercise's files are also given to this session, so the note's paragraphs run).
    /// Replies [`SessionReply::ExerciseChecked`].
    CheckExercise {
        exercise: String,
        query: String,
    },
    /// Gives this session the files of an `%exercise` paragraph's text (or of the exercise
    /// course, when `None`), so the note's own paragraphs read them.
    AddExerciseFiles {
        exercise: Option<String>,
    },
    /// A CREATE TABLE proposed from a sample of a stream's or a file's records. Replies
    /// [`SessionReply::Proposed`].
    TableFromSample(SampleOf),
    /// Runs a Python paragraph's code (its interpreter line blanked). Only the page's edge runs
    /// Python (Pyodide, `src/ui/python.rs`), so the server alone answers that it cannot.
    /// Replies [`SessionReply::PythonRan`].
    RunPython {
        code: String,
    },
    /// A query's columns, planned but not run (a Python Table's schema). Replies
    /// [`SessionReply::Columns`].
    QueryColumns {
        sql: String,
    },
    /// A note's paragraphs as a Flink SQL script (`crate::export::flink_script`, queries kept,
    /// generator-fed streams named). The export is a layer above this one, so the worker
    /// module's edge answers it (`src/ui/worker.rs`); the server alone answers that it cannot.
    /// Replies [`SessionReply::Exported`].
    ExportScript {
        note_name: String,
        paragraphs: Vec<String>,
    },
    /// The functions the editor's completion offers: the session's user functions, then the
    /// built-ins with their call forms (the page's module does not link the function table).
    /// Replies [`SessionReply::Functions`].
    Functions,
}

impl SessionRequest {
    /// Whether the request can create or drop a user function (a paragraph's statements, a
    /// Python paragraph's `create_temporary_function`): the page's list of functions is then
    /// asked again.
    pub fn may_change_functions(&self) -> bool {
        matches!(self, SessionRequest::Execute { .. } | SessionRequest::RunPython { .. })
    }
}

/// What a CREATE TABLE proposal samples.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SampleOf {
    /// A local stream (or a Kinesis mirror), by name.
    Stream(String),
    /// A file the session holds, by name.
    File(String),
}

/// A proposed CREATE TABLE: the statement, its table and the records it was made from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Proposed {
    pub table: String,
    pub ddl: String,
    pub records: usize,
}

/// How the page reaches Kinesis (the settings' choice). Keys travel only between the page and
/// its own worker, in memory; `Debug` never shows them.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub enum RemoteAccess {
    Local,
    Proxy { url: String },
    Direct { endpoint: String, region: String, access_key_id: String, secret_access_key: String, session_token: Option<String> },
}

impl std::fmt::Debug for RemoteAccess {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RemoteAccess::Local => f.write_str("Local"),
            RemoteAccess::Proxy { url } => write!(f, "Proxy({url})"),
            RemoteAccess::Direct { endpoint, region, access_key_id, .. } => write!(f, "Direct({endpoint}, {region}, {access_key_id})"),
        }
    }
}

/// How the page reaches Kafka (the settings' choice): local topics, or real topics through
/// `sluice proxy --kafka`, which holds the broker's address and any SASL secret: the page names
/// only topics.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TopicAccess {
    Local,
    Proxy { url: String },
}

/// A statement that failed: the message as the page shows it, and where in the text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExecError {
    pub message: String,
    pub location: Option<Location>,
}

/// The answer to one request.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum SessionReply {
    Done,
    Executed(Result<Vec<Outcome>, ExecError>),
    Stepped(Result<(), String>),
    /// The name and size of the file now held, or why it could not be read.
    FileAdded(Result<(String, usize), String>),
    /// The local streams (or topics) whose sensor generators were stopped because Kinesis (or
    /// Kafka) tables now read real ones.
    RemoteInUse {
        stopped_generators: Vec<String>,
    },
    LateRecords(Vec<LateRecord>),
    Stages(Option<Vec<Stage>>),
    Timeline(Result<TimelineSample, String>),
    Diagnosis(Option<Diagnosis>),
    LateLedger(Option<Ledger>),
    WhatIf(Result<WhatIf, String>),
    Strategies(Result<Comparison, String>),
    ExerciseChecked(Verdict),
    Proposed(Result<Proposed, String>),
    PythonRan(PythonRun),
    Columns(Result<Vec<ColumnInfo>, ExecError>),
    /// The script, or why the note cannot be exported (naming the paragraph).
    Exported(Result<String, String>),
    Functions(Vec<FunctionHint>),
}

/// What running a Python paragraph did: what it printed, the statements it ran whose results
/// the paragraph shows (`z.show`'s query, `INSERT` jobs), and its error with the traceback.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PythonRun {
    pub printed: String,
    pub outcomes: Vec<Outcome>,
    /// `z.show(…, stream_type=…)`: how the shown result reads, `update` / `append` / `single`.
    pub stream_type: Option<String>,
    pub error: Option<ExecError>,
}

/// What the views read, as of one moment of the session.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Published {
    pub now_ms: i64,
    pub paused: bool,
    pub speed: Speed,
    /// New result changes of query jobs since the last publication, oldest first.
    pub changes: Vec<(JobId, Vec<Change>)>,
    pub jobs: Vec<JobInfo>,
    pub streams: Vec<StreamInfo>,
    /// The catalog, when it changed since the last publication.
    pub tables: Option<Vec<TableInfo>>,
    /// New lines of `print` sinks.
    pub printed: Vec<String>,
    /// New reports of the remote (Kinesis) streams.
    pub remote_messages: Vec<String>,
}

/// A message to the session's side: a request and the number its reply will carry.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ToSession {
    pub id: u64,
    pub request: SessionRequest,
}

/// A message from the session's side.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum FromSession {
    /// The worker has started and reads requests.
    Ready,
    Published(Published),
    Reply {
        id: u64,
        reply: SessionReply,
    },
}

/// `message` as bytes.
pub fn encode<T: Serialize>(message: &T) -> Result<Vec<u8>, String> {
    postcard::to_stdvec(message).map_err(|e| format!("the session's message could not be written: {e}"))
}

/// A message from `bytes`, or why they are not one.
pub fn decode<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Result<T, String> {
    postcard::from_bytes(bytes).map_err(|e| format!("the session's message could not be read ({} bytes): {e}", bytes.len()))
}
