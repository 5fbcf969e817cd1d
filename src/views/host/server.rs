//! The side of [`super::protocol`] that holds the session: a [`Session`] and its
//! [`VirtualClock`], moved on by [`SessionServer::tick`], answering requests with
//! [`SessionServer::handle`] and saying what changed with [`SessionServer::publish`]. The page
//! runs one in its Web Worker (or on its own thread when the worker cannot start).

use std::collections::{BTreeMap, VecDeque};

use super::protocol::{ExecError, Proposed, Published, PythonRun, RemoteAccess, SampleOf, SessionReply, SessionRequest, TopicAccess};
use crate::connectors::kafka::RemoteTopics;
use crate::connectors::RemoteStreams;
use crate::session::clock::VirtualClock;
use crate::session::{Budget, Change, ColumnInfo, JobId, Session, TableInfo, MAX_PENDING_CHANGES};
use crate::views::{completion, exercise, sample, strategies};

/// Changes one publication carries at most, over all jobs; the rest wait for the next (a query
/// that emits millions of rows at once never sends the page more than it decodes in a few ms).
pub const MAX_CHANGES_PUBLISHED: usize = 20_000;

/// Makes the page's remote streams and topics for an access (`None`: local ones only). The
/// page's are `fetch`-based (`src/ui/page_remote.rs`, `src/ui/page_kafka.rs`); tests pass
/// [`LocalOnly`].
pub trait RemoteFactory {
    fn streams(&mut self, access: &RemoteAccess) -> Option<Box<dyn RemoteStreams>>;
    fn topics(&mut self, access: &TopicAccess) -> Option<Box<dyn RemoteTopics>>;
}

/// No remote streams or topics: everything stays local.
pub struct LocalOnly;

impl RemoteFactory for LocalOnly {
    fn streams(&mut self, _: &RemoteAccess) -> Option<Box<dyn RemoteStreams>> {
        None
    }
    fn topics(&mut self, _: &TopicAccess) -> Option<Box<dyn RemoteTopics>> {
        None
    }
}

pub struct SessionServer {
    session: Session,
    clock: VirtualClock,
    /// The catalog as last published.
    tables: Option<Vec<TableInfo>>,
    /// Changes taken from the session and not yet published, per job.
    outbox: BTreeMap<JobId, VecDeque<Change>>,
}

impl SessionServer {
    /// A new session whose clock starts at `start_ms` (ms since the epoch, local time).
    pub fn new(start_ms: i64) -> SessionServer {
        SessionServer { session: Session::new(), clock: VirtualClock::new(start_ms), tables: None, outbox: BTreeMap::new() }
    }

    pub fn session(&self) -> &Session {
        &self.session
    }

    /// Who runs the session's user functions from now on (the page's Pyodide, once loaded).
    pub fn set_user_function_host(&mut self, host: std::rc::Rc<dyn crate::plan::functions::user::UserFunctionHost>) {
        self.session.set_user_function_host(host);
    }

    /// How the session reads the files the page gives it: in `reading`'s chunks through `pool`
    /// (the page's decode workers), or on its own thread with no pool.
    pub fn set_file_decoding(
        &mut self,
        reading: crate::connectors::FileReading,
        pool: Option<std::sync::Arc<dyn crate::connectors::DecodePool>>,
    ) {
        self.session.set_file_reading(reading);
        self.session.set_decode_pool(pool);
    }

    /// Moves the clock on by the real time since the last tick, within `budget`.
    pub fn tick(&mut self, real_now_ms: f64, budget: &mut dyn Budget) {
        self.clock.tick(&mut self.session, real_now_ms, budget);
    }

    /// Answers one request.
    pub fn handle(&mut self, request: SessionRequest, remote: &mut dyn RemoteFactory) -> SessionReply {
        let s = &mut self.session;
        match request {
            SessionRequest::StartClock { start_ms, paused } => {
                self.clock = VirtualClock::new(start_ms);
                if paused {
                    self.clock.pause();
                }
                self.clock.start(s);
            }
            SessionRequest::Pause => self.clock.pause(),
            SessionRequest::Resume => self.clock.resume(),
            SessionRequest::SetSpeed(speed) => self.clock.set_speed(speed),
            SessionRequest::Step(step) => return SessionReply::Stepped(self.clock.step(s, step)),
            SessionRequest::Execute { sql } => {
                let result = s.execute(&sql, self.clock.now_ms());
                return SessionReply::Executed(result.map_err(|e| ExecError { location: e.location, message: e.to_string() }));
            }
            SessionRequest::StopJob { job } => s.stop_job(job),
            // A failure is the job's error, shown in the jobs panel.
            SessionRequest::DrainJob { job } => {
                let _ = s.drain_job(job);
            }
            SessionRequest::SetGenerator { stream, running, records_per_second } => s.set_generator(&stream, running, records_per_second),
            SessionRequest::SetGeneratorDisorder { stream, disorder } => {
                s.set_generator_disorder(&stream, disorder);
            }
            SessionRequest::AttachGenerator { stream, records_per_second } => {
                // Each stream's generator has its own seed, so two streams carry different readings.
                let seed = 1 + s.streams().iter().filter(|x| x.generator.is_some()).count() as u64;
                // A local Kafka topic's generator writes keyed records, one partition per key.
                if s.streams().iter().any(|x| x.name == stream && x.kafka_topic) {
                    s.attach_topic_generator(&stream, seed, records_per_second);
                } else {
                    s.attach_generator(&stream, seed, records_per_second);
                }
            }
            SessionRequest::AddFile { name, data } => {
                let size = data.len();
                s.add_file(&name, data);
                return SessionReply::FileAdded(Ok((name, size)));
            }
            SessionRequest::ReadFile { name } => {
                return SessionReply::FileAdded(Err(format!("{name}: no file came with the request to read")));
            }
            SessionRequest::UseRemote(access) => {
                let is_remote = !matches!(access, RemoteAccess::Local);
                s.switch_remote(if is_remote { remote.streams(&access) } else { None });
                let stopped_generators = if is_remote { stop_generators(s, false) } else { Vec::new() };
                return SessionReply::RemoteInUse { stopped_generators };
            }
            SessionRequest::UseKafka(access) => {
                let is_remote = !matches!(access, TopicAccess::Local);
                s.switch_remote_topics(if is_remote { remote.topics(&access) } else { None });
                let stopped_generators = if is_remote { stop_generators(s, true) } else { Vec::new() };
                return SessionReply::RemoteInUse { stopped_generators };
            }
            SessionRequest::LateRecords { job } => return SessionReply::LateRecords(s.late_records(job)),
            SessionRequest::JobStages { job } => return SessionReply::Stages(s.job_stages(job)),
            SessionRequest::TimelineSample { job, max_records } => return SessionReply::Timeline(s.timeline_sample(job, max_records)),
            SessionRequest::Diagnose { job } => return SessionReply::Diagnosis(s.diagnose(job)),
            SessionRequest::LateLedger { job } => return SessionReply::LateLedger(s.late_ledger(job)),
            SessionRequest::WhatIfDelay { job, delay_ms } => return SessionReply::WhatIf(s.what_if_delay(job, delay_ms)),
            SessionRequest::BreakStream { stream, scenario } => {
                s.break_stream(&stream, scenario);
            }
            SessionRequest::CompareStrategies { query, strategies } => {
                return SessionReply::Strategies(strategies::compare(s, &query, &strategies));
            }
            SessionRequest::CheckExercise { exercise: text, query } => {
                let verdict = match exercise::parse(&text) {
                    Ok(ex) => {
                        add_files(s, &ex.files);
                        exercise::check(&ex, &query)
                    }
                    Err(e) => exercise::Verdict { passed: false, hint: format!("this exercise cannot be read: {e}"), rows: 0, late: 0 },
                };
                return SessionReply::ExerciseChecked(verdict);
            }
            SessionRequest::AddExerciseFiles { exercise: None } => add_files(s, &exercise::course::files()),
            SessionRequest::AddExerciseFiles { exercise: Some(text) } => {
                if let Ok(ex) = exercise::parse(&text) {
                    add_files(s, &ex.files);
                }
            }
            SessionRequest::TableFromSample(of) => return SessionReply::Proposed(propose(s, &of)),
            SessionRequest::RunPython { .. } => {
                let message = "Python paragraphs run in the page, where Pyodide runs them: this session has no Python".to_string();
                let error = Some(ExecError { message, location: None });
                return SessionReply::PythonRan(PythonRun { printed: String::new(), outcomes: Vec::new(), stream_type: None, error });
            }
            SessionRequest::ExportScript { .. } => {
                return SessionReply::Exported(Err("notes are exported by the page's engine module: this session cannot".into()));
            }
            SessionRequest::QueryColumns { sql } => {
                let columns =
                    s.plan_query(&sql).map(|plan| plan.schema.fields.into_iter().map(|f| ColumnInfo::new(f.name, f.ty)).collect());
                return SessionReply::Columns(columns.map_err(|e| ExecError { location: e.location, message: e.to_string() }));
            }
            SessionRequest::Functions => return SessionReply::Functions(completion::function_hints(&s.user_functions())),
        }
        SessionReply::Done
    }

    /// What the views read now, with the query jobs' changes since the last publication (at most
    /// [`MAX_CHANGES_PUBLISHED`]; the rest wait, in order, for the next).
    pub fn publish(&mut self) -> Published {
        let s = &mut self.session;
        let jobs = s.jobs();
        for job in &jobs {
            let new = s.take_changes(job.id);
            if new.is_empty() {
                continue;
            }
            let queue = self.outbox.entry(job.id).or_default();
            queue.extend(new);
            // As the session does for a result nobody reads: the oldest go.
            let excess = queue.len().saturating_sub(MAX_PENDING_CHANGES);
            queue.drain(..excess);
        }
        self.outbox.retain(|id, queue| !queue.is_empty() && jobs.iter().any(|j| j.id == *id));
        let mut room = MAX_CHANGES_PUBLISHED;
        let mut changes = Vec::new();
        for (job, queue) in &mut self.outbox {
            if room == 0 {
                break;
            }
            let take = queue.len().min(room);
            room -= take;
            changes.push((*job, queue.drain(..take).collect()));
        }
        let tables = s.tables();
        let tables = if self.tables.as_ref() == Some(&tables) {
            None
        } else {
            self.tables = Some(tables.clone());
            Some(tables)
        };
        Published {
            now_ms: self.clock.now_ms(),
            paused: self.clock.is_paused(),
            speed: self.clock.speed(),
            changes,
            jobs,
            streams: s.streams(),
            tables,
            printed: s.take_printed(),
            remote_messages: s.take_remote_messages(),
        }
    }
}

/// Stops the running sensor generators of local topics (`topics`) or streams, and names them: a
/// real stream or topic is read as it is, so a generator must not slip readings into its mirror
/// (nor, unasked, into the real one). They stay stopped until started again.
fn stop_generators(s: &mut Session, topics: bool) -> Vec<String> {
    let mut stopped = Vec::new();
    for st in s.streams().into_iter().filter(|st| st.kafka_topic == topics) {
        if let Some(g) = st.generator.filter(|g| g.running) {
            s.set_generator(&st.name, false, g.records_per_second);
            stopped.push(st.name);
        }
    }
    stopped
}

/// Files (name, content) for `filesystem` tables, as an exercise gives them.
fn add_files<N: AsRef<str>, C: AsRef<str>>(s: &mut Session, files: &[(N, C)]) {
    for (name, content) in files {
        s.add_file(name.as_ref(), content.as_ref().as_bytes().to_vec());
    }
}

/// A CREATE TABLE proposal; a CSV file's rows (without their header line) become a file of
/// their own that the proposed table reads.
fn propose(s: &mut Session, of: &SampleOf) -> Result<Proposed, String> {
    let proposal = match of {
        SampleOf::Stream(name) => sample::from_stream(s, name),
        SampleOf::File(path) => sample::from_file(s, path),
    }?;
    if let Some((path, data)) = proposal.rows_file {
        s.add_file(&path, data);
    }
    Ok(Proposed { table: proposal.table, ddl: proposal.ddl, records: proposal.records })
}

#[cfg(test)]
mod tests {
    use super::super::mirror::SessionMirror;
    use super::super::protocol::{decode, encode, FromSession, ToSession};
    use super::*;
    use crate::session::clock::Step;
    use crate::session::Outcome;
    use crate::types::Value;
    use crate::views::strategies::Strategy;

    const FILE: &[u8] = b"1,0.5,OK\n2,NaN,ERROR\n3,-1.25,OK\n1,2.0,OK\n";
    const TABLE: &str =
        "CREATE TABLE r (id INT, temp DOUBLE, status STRING) WITH ('connector' = 'filesystem', 'path' = 'r.csv', 'format' = 'csv')";
    const QUERIES: [&str; 2] = [
        "SELECT status, COUNT(*) AS n, SUM(temp) AS total FROM r GROUP BY status",
        "SELECT id, ARRAY[temp, temp * 2], ROW(status, CAST(id AS DECIMAL(10, 2))), CAST(NULL AS STRING) FROM r",
    ];

    /// One request through the page's path: written and read as bytes both ways, and the
    /// publication after it applied to the mirror (as the worker sends it before the reply).
    fn ask(server: &mut SessionServer, mirror: &mut SessionMirror, request: SessionRequest) -> SessionReply {
        let sent: ToSession = decode(&encode(&ToSession { id: 7, request }).unwrap()).unwrap();
        let reply = server.handle(sent.request, &mut LocalOnly);
        for message in [FromSession::Published(server.publish()), FromSession::Reply { id: sent.id, reply }] {
            match decode(&encode(&message).unwrap()).unwrap() {
                FromSession::Published(p) => mirror.apply(p),
                FromSession::Reply { id, reply } => {
                    assert_eq!(id, 7);
                    return reply;
                }
                FromSession::Ready => unreachable!(),
            }
        }
        unreachable!()
    }

    /// The same statements and steps on a session driven directly and on one driven through
    /// messages give the same outcomes and the same changes, in order (NaN, arrays, rows,
    /// decimals and NULLs included), and the mirror shows the session's jobs and catalog.
    #[test]
    fn a_session_through_messages_gives_what_the_session_gives() {
        let start = 1_700_000_000_000;
        let mut direct = Session::new();
        let mut clock = VirtualClock::new(start);
        clock.start(&mut direct);
        direct.add_file("r.csv", FILE.to_vec());
        let mut server = SessionServer::new(0);
        let mut mirror = SessionMirror::new(0);
        assert_eq!(ask(&mut server, &mut mirror, SessionRequest::StartClock { start_ms: start, paused: false }), SessionReply::Done);
        let added = ask(&mut server, &mut mirror, SessionRequest::AddFile { name: "r.csv".into(), data: FILE.to_vec() });
        assert_eq!(added, SessionReply::FileAdded(Ok(("r.csv".into(), FILE.len()))));

        for sql in std::iter::once(TABLE).chain(QUERIES) {
            let expected = direct.execute(sql, clock.now_ms()).unwrap();
            let SessionReply::Executed(Ok(outcomes)) = ask(&mut server, &mut mirror, SessionRequest::Execute { sql: sql.into() }) else {
                panic!("{sql} failed through messages")
            };
            assert_eq!(outcomes, expected);
        }
        let jobs: Vec<JobId> = direct.jobs().iter().map(|j| j.id).collect();
        assert_eq!(jobs.len(), 2);
        let (mut want, mut got) = (vec![Vec::new(); 2], vec![Vec::new(); 2]);
        for _ in 0..3 {
            clock.step(&mut direct, Step::Second).unwrap();
            assert_eq!(ask(&mut server, &mut mirror, SessionRequest::Step(Step::Second)), SessionReply::Stepped(Ok(())));
            for (i, job) in jobs.iter().enumerate() {
                want[i].extend(direct.take_changes(*job));
                got[i].extend(mirror.take_changes(*job));
            }
        }
        // NaN is not equal to itself: compare as printed.
        assert_eq!(format!("{got:?}"), format!("{want:?}"));
        assert_eq!(got[0].len(), 6, "{:?}", got[0]);
        assert!(got[0].iter().any(|c| matches!(c.row[2], Value::Double(d) if d.is_nan())));
        assert_eq!(mirror.jobs(), direct.jobs().as_slice());
        assert_eq!(mirror.tables(), direct.tables().as_slice());
        assert_eq!(mirror.now_ms(), clock.now_ms());
        let mut stages = ask(&mut server, &mut mirror, SessionRequest::JobStages { job: jobs[0] });
        assert_eq!(stages, SessionReply::Stages(direct.job_stages(jobs[0])));
        stages = ask(&mut server, &mut mirror, SessionRequest::Execute { sql: "SELECT nope FROM r".into() });
        let SessionReply::Executed(Err(e)) = stages else { panic!("an unknown column ran") };
        assert_eq!(e.message, direct.execute("SELECT nope FROM r", 0).unwrap_err().to_string());
        assert!(e.location.is_some());
        assert!(matches!(direct.execute("SHOW TABLES", 0).unwrap()[0], Outcome::Table { .. }));
    }

    /// A query that emits more changes at once than one publication carries sends them over
    /// several, in order, none lost.
    #[test]
    fn a_large_result_crosses_in_bounded_publications() {
        let rows = MAX_CHANGES_PUBLISHED * 2 + 17;
        let file: String = (0..rows).map(|i| format!("{i}\n")).collect();
        let mut server = SessionServer::new(0);
        let mut mirror = SessionMirror::new(0);
        ask(&mut server, &mut mirror, SessionRequest::AddFile { name: "n.csv".into(), data: file.into_bytes() });
        ask(
            &mut server,
            &mut mirror,
            SessionRequest::Execute {
                sql: "CREATE TABLE n (i INT) WITH ('connector' = 'filesystem', 'path' = 'n.csv', 'format' = 'csv')".into(),
            },
        );
        let SessionReply::Executed(Ok(outcomes)) = ask(&mut server, &mut mirror, SessionRequest::Execute { sql: "SELECT i FROM n".into() })
        else {
            panic!()
        };
        let Outcome::Query { job, .. } = outcomes[0] else { panic!() };
        let mut seen = Vec::new();
        for _ in 0..20 {
            server.handle(SessionRequest::Step(Step::Second), &mut LocalOnly);
            let p = server.publish();
            assert!(p.changes.iter().map(|(_, c)| c.len()).sum::<usize>() <= MAX_CHANGES_PUBLISHED);
            mirror.apply(decode(&encode(&p).unwrap()).unwrap());
            seen.extend(mirror.take_changes(job));
        }
        let want: Vec<Value> = (0..rows as i64).map(Value::Int).collect();
        let seen: Vec<Value> = seen.into_iter().map(|c| c.row[0].clone()).collect();
        assert_eq!(seen.len(), want.len());
        assert!(seen == want, "the changes came out of order");
    }

    /// The teaching views' questions and mutations through messages, as the page's worker
    /// answers them: EXPLAIN JOB's diagnosis (its causes and remedies), the late ledger and a
    /// what-if replay, a break-it scenario, two watermark strategies, an exercise check and a
    /// CREATE TABLE from a sample all cross as bytes and answer what the session itself says.
    #[test]
    fn the_teaching_questions_cross_as_messages() {
        use crate::connectors::Scenario;
        use crate::views::exercise::{self, course};
        const KINESIS: &str = "CREATE TABLE sensor_data (sensor_id INTEGER, current_temperature DOUBLE, status VARCHAR(6),
    event_time TIMESTAMP(3), WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND)
  WITH ('connector' = 'kinesis', 'stream' = 'my-input-stream', 'format' = 'json',
        'json.timestamp-format.standard' = 'ISO-8601')";
        const TUMBLE: &str = "SELECT window_start, window_end, COUNT(*) AS n
  FROM TABLE(TUMBLE(TABLE sensor_data, DESCRIPTOR(event_time), INTERVAL '10' SECOND)) GROUP BY window_start, window_end";
        let mut server = SessionServer::new(0);
        let mut mirror = SessionMirror::new(0);
        let mut ask = |server: &mut SessionServer, request| ask(server, &mut mirror, request);
        ask(&mut server, SessionRequest::StartClock { start_ms: 1_621_423_200_000, paused: true });
        ask(&mut server, SessionRequest::Execute { sql: KINESIS.into() });
        let SessionReply::Executed(Ok(outcomes)) = ask(&mut server, SessionRequest::Execute { sql: TUMBLE.into() }) else { panic!() };
        let Outcome::Query { job, .. } = outcomes[0] else { panic!("{outcomes:?}") };
        for _ in 0..20 {
            ask(&mut server, SessionRequest::Step(Step::Second));
        }
        let stream = "my-input-stream".to_string();
        ask(&mut server, SessionRequest::BreakStream { stream: stream.clone(), scenario: Some(Scenario::LateBurst) });
        for _ in 0..40 {
            ask(&mut server, SessionRequest::Step(Step::Second));
        }
        let s = server.session();
        let (ledger, diagnosis, what_if) = (s.late_ledger(job), s.diagnose(job), s.what_if_delay(job, 20_000));
        let proposal = sample::from_stream(s, &stream).unwrap();
        assert!(ledger.as_ref().is_some_and(|l| l.dropped > 0), "{ledger:?}");
        assert!(diagnosis.as_ref().is_some_and(|d| !d.remedies.is_empty()), "{diagnosis:?}");
        assert_eq!(ask(&mut server, SessionRequest::LateLedger { job }), SessionReply::LateLedger(ledger));
        assert_eq!(ask(&mut server, SessionRequest::Diagnose { job }), SessionReply::Diagnosis(diagnosis.clone()));
        assert_eq!(ask(&mut server, SessionRequest::WhatIfDelay { job, delay_ms: 20_000 }), SessionReply::WhatIf(what_if));
        // EXPLAIN JOB's outcome carries the same diagnosis.
        let explain = SessionRequest::Execute { sql: format!("EXPLAIN JOB '{}'", diagnosis.as_ref().unwrap().job_id) };
        let SessionReply::Executed(Ok(outcomes)) = ask(&mut server, explain) else { panic!() };
        assert!(matches!(&outcomes[0], Outcome::Diagnosis(d) if d.job == job), "{outcomes:?}");
        let active = mirror_scenario(&mut server, &stream);
        assert_eq!(active, Some(Scenario::LateBurst));

        let delays = vec![Strategy::Delay(2_000), Strategy::Delay(15_000)];
        let compare = SessionRequest::CompareStrategies { query: TUMBLE.into(), strategies: delays.clone() };
        let SessionReply::Strategies(Ok(c)) = ask(&mut server, compare) else { panic!("no comparison") };
        assert_eq!(c.runs.iter().map(|r| r.strategy).collect::<Vec<_>>(), delays);
        assert!(c.runs[0].late >= c.runs[1].late);

        let SessionReply::Proposed(Ok(p)) = ask(&mut server, SessionRequest::TableFromSample(SampleOf::Stream(stream.clone()))) else {
            panic!("no proposal")
        };
        assert_eq!((p.table, p.ddl, p.records), (proposal.table, proposal.ddl, proposal.records));
        let missing = ask(&mut server, SessionRequest::TableFromSample(SampleOf::File("nope.csv".into())));
        assert!(matches!(missing, SessionReply::Proposed(Err(e)) if e.contains("nope.csv")));

        let texts = course::paragraphs();
        let (i, text) = texts.iter().enumerate().find(|(_, t)| exercise::is_exercise(t)).unwrap();
        let ex = exercise::parse(text).unwrap();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let start = exercise::learner_query(&refs, i).unwrap().to_string();
        for query in [start, ex.solution.clone().unwrap()] {
            let want = exercise::check(&ex, &query);
            let got = ask(&mut server, SessionRequest::CheckExercise { exercise: text.clone(), query });
            assert_eq!(got, SessionReply::ExerciseChecked(want));
        }
        // The exercise's files are the page session's now, for the note's own paragraphs.
        assert!(ex.files.iter().all(|(name, _)| server.session().file(name).is_some()));
    }

    /// A Kafka access chosen in the page plugs the factory's real topics into the session: a
    /// Kafka table's query attaches to them (Kinesis tables do not), the sensor generator of a
    /// local topic stops while one on a local stream keeps running, and back to local topics the
    /// session lets them go.
    #[test]
    fn choosing_kafka_through_the_proxy_plugs_real_topics_in_and_stops_topic_generators() {
        use crate::connectors::kafka::{LocalTopics, RemoteTopics};
        use crate::connectors::RemoteEvent;
        use crate::plan::catalog::TableDef;
        use std::cell::RefCell;
        use std::rc::Rc;

        /// Remembers the tables attached and whether it was dropped.
        struct Recording(Rc<RefCell<Vec<String>>>);
        impl RemoteTopics for Recording {
            fn attach_source(&mut self, table: &TableDef, topics: &mut LocalTopics) -> Result<bool, String> {
                let kafka = table.connector() == "kafka";
                if kafka {
                    self.0.borrow_mut().push(format!("source {}", table.name));
                    topics.get_or_create(table.option("topic").unwrap_or("")).mirror_remote();
                }
                Ok(kafka)
            }
            fn attach_sink(&mut self, _: &TableDef, _: &mut LocalTopics) -> Result<bool, String> {
                Ok(false)
            }
            fn pump(&mut self, _: &mut LocalTopics, _: &mut Vec<RemoteEvent>) {}
            fn pending_writes(&self) -> usize {
                0
            }
        }
        impl Drop for Recording {
            fn drop(&mut self) {
                self.0.borrow_mut().push("dropped".into());
            }
        }
        struct Factory(Rc<RefCell<Vec<String>>>);
        impl RemoteFactory for Factory {
            fn streams(&mut self, _: &RemoteAccess) -> Option<Box<dyn RemoteStreams>> {
                None
            }
            fn topics(&mut self, access: &TopicAccess) -> Option<Box<dyn RemoteTopics>> {
                self.0.borrow_mut().push(format!("{access:?}"));
                Some(Box::new(Recording(self.0.clone())))
            }
        }

        let seen = Rc::new(RefCell::new(Vec::new()));
        let mut factory = Factory(seen.clone());
        let mut server = SessionServer::new(0);
        let mut run = |server: &mut SessionServer, request| server.handle(request, &mut factory);
        run(&mut server, SessionRequest::StartClock { start_ms: 1_621_423_200_000, paused: true });
        for sql in [
            "CREATE TABLE k (sensor_id INT) WITH ('connector' = 'kafka', 'topic' = 'sensors', 'properties.bootstrap.servers' = 'b:9092', 'scan.startup.mode' = 'earliest-offset', 'format' = 'json')",
            "CREATE TABLE s (sensor_id INT) WITH ('connector' = 'kinesis', 'stream' = 'readings', 'format' = 'json')",
        ] {
            assert!(matches!(run(&mut server, SessionRequest::Execute { sql: sql.into() }), SessionReply::Executed(Ok(_))));
        }
        for stream in ["sensors", "readings"] {
            run(&mut server, SessionRequest::AttachGenerator { stream: stream.into(), records_per_second: 5.0 });
        }
        let url = "http://127.0.0.1:4599".to_string();
        let reply = run(&mut server, SessionRequest::UseKafka(TopicAccess::Proxy { url: url.clone() }));
        assert_eq!(reply, SessionReply::RemoteInUse { stopped_generators: vec!["sensors".into()] });
        let running = |server: &SessionServer, name: &str| {
            server.session().streams().iter().any(|s| s.name == name && s.generator.as_ref().is_some_and(|g| g.running))
        };
        assert!(!running(&server, "sensors") && running(&server, "readings"));
        for sql in ["SELECT * FROM k", "SELECT * FROM s"] {
            assert!(matches!(run(&mut server, SessionRequest::Execute { sql: sql.into() }), SessionReply::Executed(Ok(_))));
        }
        run(&mut server, SessionRequest::UseKafka(TopicAccess::Local));
        assert_eq!(*seen.borrow(), [format!("Proxy {{ url: \"{url}\" }}"), "source k".into(), "dropped".into()]);
    }

    /// A Python Table's schema is its query planned, not run (no job starts); a bad query's
    /// error keeps its place. Python itself runs only at the page's edge: the server says so.
    #[test]
    fn python_asks_for_a_querys_columns_and_runs_only_at_the_edge() {
        let mut server = SessionServer::new(0);
        let mut mirror = SessionMirror::new(0);
        ask(&mut server, &mut mirror, SessionRequest::AddFile { name: "r.csv".into(), data: FILE.to_vec() });
        ask(&mut server, &mut mirror, SessionRequest::Execute { sql: TABLE.into() });
        let columns = ask(&mut server, &mut mirror, SessionRequest::QueryColumns { sql: QUERIES[0].into() });
        let SessionReply::Columns(Ok(columns)) = columns else { panic!("{columns:?}") };
        let named: Vec<String> = columns.iter().map(|c| format!("{} {}", c.name, c.ty)).collect();
        assert_eq!(named, ["status STRING", "n BIGINT NOT NULL", "total DOUBLE"]);
        assert!(mirror.jobs().is_empty(), "planning a query started {:?}", mirror.jobs());
        let bad = ask(&mut server, &mut mirror, SessionRequest::QueryColumns { sql: "SELECT nope FROM r".into() });
        let SessionReply::Columns(Err(e)) = bad else { panic!("{bad:?}") };
        assert!(e.message.contains("nope") && e.location.is_some(), "{e:?}");
        let ran = ask(&mut server, &mut mirror, SessionRequest::RunPython { code: "print(1)".into() });
        let SessionReply::PythonRan(PythonRun { error: Some(e), outcomes, .. }) = ran else { panic!("{ran:?}") };
        assert!(e.message.contains("Python paragraphs run in the page") && outcomes.is_empty(), "{e:?}");
    }

    /// The editor's completion asks the session for its functions (the page's module has no
    /// function table): the built-ins with their call forms, and a user function once a paragraph
    /// creates it, first, with its signature; the mirror keeps the list until a paragraph runs.
    #[test]
    fn the_page_asks_for_functions_user_ones_included_after_create_function() {
        let mut server = SessionServer::new(0);
        server.set_user_function_host(std::rc::Rc::new(crate::workload::FahrenheitHost));
        let mut mirror = SessionMirror::new(0);
        let functions = |server: &mut SessionServer, mirror: &mut SessionMirror| {
            assert!(!mirror.functions_fresh());
            mirror.asked_functions();
            let SessionReply::Functions(list) = ask(server, mirror, SessionRequest::Functions) else { panic!("not a list of functions") };
            mirror.set_functions(list);
            assert!(mirror.functions_fresh());
            mirror.functions().to_vec()
        };
        let before = functions(&mut server, &mut mirror);
        assert!(before.iter().any(|f| f.name == "LPAD" && f.detail == "LPAD(string, length, pad)"), "{before:?}");
        assert!(!before.iter().any(|f| f.name == "c_to_f"));
        let create = SessionRequest::Execute { sql: "CREATE TEMPORARY FUNCTION c_to_f AS 'udfs.c_to_f' LANGUAGE PYTHON".into() };
        mirror.sent(&create);
        assert!(matches!(ask(&mut server, &mut mirror, create), SessionReply::Executed(Ok(_))));
        let after = functions(&mut server, &mut mirror);
        assert_eq!((after[0].name.as_str(), after[0].detail.as_str()), ("c_to_f", "c_to_f(DOUBLE) → DOUBLE · Python scalar function"));
        assert_eq!(after.len(), before.len() + 1);
    }

    /// The scenario the mirror shows on `stream`, after one more publication.
    fn mirror_scenario(server: &mut SessionServer, stream: &str) -> Option<crate::connectors::Scenario> {
        let mut mirror = SessionMirror::new(0);
        mirror.apply(decode(&encode(&server.publish()).unwrap()).unwrap());
        mirror.stream(stream).and_then(|s| s.generator).and_then(|g| g.scenario).map(|a| a.scenario)
    }
}
