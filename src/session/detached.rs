//! A query job taken out of its session to run on another thread (natively: `sluice run` runs
//! independent queries side by side, one per core). The engine's pipelines share their parts
//! through `Rc`, so a job cannot cross threads; what it is made of can: its physical plan, its
//! inputs as opened (files, `VALUES`, bounded `datagen`: plain data and OS handles) and the
//! settings its pipeline was built with. [`Session::detach_job`] takes those out of a job that
//! has not run yet, and [`Session::with_detached`] builds, on the other thread, a session of its
//! own holding the same job — same id, same pipeline, same inputs at the same positions — so
//! running it there gives the changes, errors and metrics running it here would have.
//!
//! Only a job whose every input is bounded and local can go: a file, `VALUES` or bounded
//! `datagen` (streams, topics and generators live in the session it leaves), whose output is its
//! own changes (a SELECT; an INSERT writes into the session's tables and streams), and that runs
//! no user-defined function (their host lives on the session's thread).

use super::jobs::{Feed, Job, JobInput, JobSink, StepSize};
use super::ledger::Recording;
use super::{JobId, Session, IDLE_TIMEOUT_KEY, STATE_TTL_KEY};
use crate::connectors::Source;
use crate::engine::Pipeline;
use crate::plan::PhysicalPlan;
use crate::sql::SqlError;

/// What a detached job is made of: `Send`, so it can move to the thread that runs it.
pub struct DetachedJob {
    id: JobId,
    sql: String,
    plan: PhysicalPlan,
    inputs: Vec<JobInput>,
    started_ms: i64,
    now_ms: i64,
    state_ttl_ms: Option<i64>,
    idle_timeout_ms: Option<i64>,
    /// Whether it records what it reads for the late ledger's what-if (if it waits for event time).
    records_what_if: bool,
}

impl DetachedJob {
    /// The job's id in the session it left (and in the one [`Session::with_detached`] builds).
    pub fn id(&self) -> JobId {
        self.id
    }
}

impl Session {
    /// Takes query job `job` out of this session, to run in a session of its own on another
    /// thread, if it can run there exactly as here: it has not run yet, it is a SELECT (its
    /// changes are its only output), every input is a file, `VALUES` or bounded `datagen`, and
    /// the session has no user-defined function host. `None` (the job stays) otherwise.
    pub fn detach_job(&mut self, job: JobId) -> Option<DetachedJob> {
        if self.user_function_host.is_some() {
            return None;
        }
        let i = self.jobs.iter().position(|j| j.id == job)?;
        let j = &self.jobs[i];
        let fresh = j.running && j.savepoint.is_none() && j.pipeline.records_in() == 0 && j.error.is_none();
        let collects = matches!(&j.sink, JobSink::Collect { changes, dropped: 0 } if changes.is_empty());
        if !fresh || !collects || !j.inputs.iter().all(bounded_and_local) || !j.streams.is_empty() {
            return None;
        }
        let job = self.jobs.remove(i);
        Some(DetachedJob {
            id: job.id,
            sql: job.sql,
            plan: job.plan,
            inputs: job.inputs,
            started_ms: job.started_ms,
            now_ms: self.now_ms,
            state_ttl_ms: self.configured_ms(STATE_TTL_KEY),
            idle_timeout_ms: self.configured_ms(IDLE_TIMEOUT_KEY),
            records_what_if: !self.no_what_if_recording,
        })
    }

    /// A session holding only the detached job, under its own id, its pipeline built again from
    /// its plan with the settings it had (as [`Session::start_job`] built it), its clock where
    /// the session it left had it.
    pub fn with_detached(detached: DetachedJob) -> Result<Session, SqlError> {
        let mut pipeline = Pipeline::new(&detached.plan)?;
        if let Some(ttl) = detached.state_ttl_ms {
            pipeline.set_state_ttl(Some(ttl));
        }
        pipeline.set_idle_timeout(detached.idle_timeout_ms);
        pipeline.set_now(detached.now_ms);
        for (i, input) in detached.inputs.iter().enumerate() {
            if let Feed::Records { source, .. } = &input.feed {
                if let Some((count, idle_timeout)) = source.splits() {
                    pipeline.set_input_splits(i, count, idle_timeout);
                }
            }
        }
        let event_time = pipeline.watermark().is_some();
        let mut session = Session::empty();
        session.now_ms = detached.now_ms;
        session.no_what_if_recording = !detached.records_what_if;
        session.next_job = detached.id.saturating_add(1);
        session.first_to_step = detached.id;
        session.jobs.push(Job {
            id: detached.id,
            sql: detached.sql,
            plan: detached.plan,
            pipeline,
            inputs: detached.inputs,
            sink: JobSink::Collect { changes: Default::default(), dropped: 0 },
            running: true,
            finished: false,
            stopped: false,
            error: None,
            started_ms: detached.started_ms,
            streams: Vec::new(),
            savepoint: None,
            step_size: StepSize::default(),
            samples: Default::default(),
            recording: Recording::new(event_time && detached.records_what_if),
        });
        Ok(session)
    }

    /// A duration setting in ms, if set (and valid: a job started with it checked it).
    fn configured_ms(&self, key: &str) -> Option<i64> {
        self.config.get(key).and_then(|text| crate::types::parse_duration(text))
    }
}

/// An input that ends and that nothing else in the session feeds.
fn bounded_and_local(input: &JobInput) -> bool {
    match &input.feed {
        Feed::Values(_) | Feed::Parallel(_) => true,
        Feed::Records { source, .. } => match source {
            #[cfg(not(target_arch = "wasm32"))]
            Source::File(_) => true,
            Source::Memory(_) => true,
            Source::Datagen(_) => source.is_bounded(),
            Source::Local(_) | Source::Kafka(_) => false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn send<T: Send>(_: &T) {}

    /// The whole point: what a detached job is made of crosses threads.
    #[test]
    fn a_detached_values_query_runs_on_another_thread_as_it_would_here() {
        let sql = "SELECT a, COUNT(*) AS n FROM (VALUES (1), (2), (1)) AS t(a) GROUP BY a";
        let mut here = Session::empty();
        let job = match here.execute(sql, 0).unwrap().pop() {
            Some(crate::session::Outcome::Query { job, .. }) => job,
            other => panic!("not a query: {other:?}"),
        };
        let mut expected = Vec::new();
        let mut there = Session::empty();
        let detached = match there.execute(sql, 0).unwrap().pop() {
            Some(crate::session::Outcome::Query { job, .. }) => there.detach_job(job).unwrap(),
            other => panic!("not a query: {other:?}"),
        };
        assert!(there.job(job).is_none(), "the job left its session");
        here.run_to_end(job, &mut |c| expected.extend(c)).unwrap();
        send(&detached);
        let changes = std::thread::spawn(move || {
            let mut session = Session::with_detached(detached).unwrap();
            let mut changes = Vec::new();
            session.run_to_end(job, &mut |c| changes.extend(c)).map(|()| changes)
        })
        .join()
        .unwrap()
        .unwrap();
        assert_eq!(changes, expected);
        assert_eq!(changes.len(), 4, "+I 1, +I 2, -U 1, +U 1: {changes:?}");
    }

    #[test]
    fn a_job_fed_by_a_stream_stays() {
        let mut session = Session::new();
        session
            .execute("CREATE TABLE s (a INT) WITH ('connector' = 'kinesis', 'stream' = 'my-input-stream', 'format' = 'json')", 0)
            .unwrap();
        let Some(crate::session::Outcome::Query { job, .. }) = session.execute("SELECT a FROM s", 0).unwrap().pop() else {
            panic!("not a query")
        };
        assert!(session.detach_job(job).is_none());
        assert!(session.job(job).is_some_and(|j| j.running));
    }
}
