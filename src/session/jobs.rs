//! The jobs: how a planned query starts (one input per table or `VALUES` it reads, and its
//! sink), how it steps (a step reads a few records per input and pushes them through the
//! pipeline), and how it stops, fails, finishes or waits in a savepoint. Steps are sized by what
//! they cost and taken in turns within the caller's [`Budget`], as Flink's task threads share a
//! slot without one starving the others.

use std::collections::VecDeque;

use super::diagnosis::WatermarkSamples;
use super::ledger::Recording;
use super::offsets::{OffsetCommits, CHECKPOINT_INTERVAL_KEY};
use super::{
    Budget, Change, JobId, JobInfo, Session, Unlimited, DATAGEN_SEED_KEY, IDLE_TIMEOUT_KEY, MAX_PENDING_CHANGES, SAVEPOINT_PATH_KEY,
    STATE_TTL_KEY,
};
use crate::connectors::kafka::{LocalTopics, ProducerRecord};
use crate::connectors::{self, Decoder, LocalStreams, ReadMode, RecordWriter, Sink, Source, SourceStatus};
use crate::engine::Pipeline;
use crate::plan::physical::Source as PlanSource;
use crate::plan::PhysicalPlan;
use crate::sql::{Located, SqlError};
use crate::types::{Batch, DataType, Value};

/// The most records a job reads per input in one step.
const MAX_RECORDS_PER_STEP: usize = 8192;

/// Records a new job reads per input in its first step; the step grows from there while steps
/// are fast, so a job of costly rows (a pathological pattern) never starts with a long one.
const FIRST_RECORDS_PER_STEP: usize = 256;

/// The real time one step aims at: a few of them fit in the page's frame budget.
const TARGET_STEP_MS: f64 = 4.0;

/// The most steps one job takes in one [`Session::advance`]: enough to keep up with a fast
/// generator, and a bound even without a time budget.
const MAX_STEPS_PER_ADVANCE: usize = 64;

impl Session {
    /// The smallest watermark at which a running job fires a window (that window's end − 1).
    pub fn next_window_firing(&self) -> Option<i64> {
        self.jobs.iter().filter(|j| j.running).filter_map(|j| j.pipeline.next_timer()).min()
    }

    /// With `execution.savepoint.path` set, the statement resumes the job stopped with that
    /// savepoint (its state and positions, so nothing is read twice or lost), if it is the same
    /// statement; the setting is then cleared, so later statements start fresh. `None` when no
    /// savepoint is set.
    pub(super) fn resume_from_savepoint(&mut self, located: &Located) -> Option<Result<JobId, SqlError>> {
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

    /// Runs a batch job to its end and removes it; returns its final rows (the changelog
    /// folded: what a batch query outputs).
    pub(super) fn finish_batch_job(&mut self, job: JobId) -> Result<Vec<Vec<Value>>, SqlError> {
        let mut changes = Vec::new();
        let result = self.run_job_to_end(job, &mut |c| changes.extend(c));
        // The job goes, but what it printed stays for the page to show.
        if let Some(JobSink::Table { sink, .. }) = self.jobs.iter_mut().find(|j| j.id == job).map(|j| &mut j.sink) {
            self.printed.append(&mut sink.take_printed());
        }
        self.jobs.retain(|j| j.id != job);
        result?;
        Ok(final_rows(changes))
    }

    pub(super) fn start_job(&mut self, plan: &PhysicalPlan, located: &Located, sink: JobSink, mode: ReadMode) -> Result<JobId, SqlError> {
        let mut pipeline = Pipeline::new(plan)?;
        if let Some(host) = &self.user_function_host {
            pipeline.set_user_functions(host);
        }
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
        let checkpoint_interval = duration(CHECKPOINT_INTERVAL_KEY)?;
        pipeline.set_now(self.now_ms);
        let mut inputs = Vec::new();
        let mut streams = Vec::new();
        for (i, source) in pipeline.sources().into_iter().enumerate() {
            let table = match source {
                PlanSource::Table(table) => table,
                PlanSource::Values { rows, schema } => {
                    let values = connectors::ValuesSource::new(rows, schema.fields.iter().map(|f| f.ty.data_type.clone()).collect());
                    inputs.push(JobInput { feed: Feed::Values(values), ended: false, read_rank: 0, offsets: None });
                    continue;
                }
            };
            // Checked when created; again here for the options a query's hint gives it.
            connectors::validate_table(&table).map_err(SqlError::connector)?;
            if let Some(remote) = &mut self.remote {
                remote.attach_source(&table, &mut self.streams).map_err(SqlError::connector)?;
            }
            if let Some(remote) = &mut self.remote_topics {
                remote.attach_source(&table, &mut self.topics).map_err(SqlError::connector)?;
            }
            streams.extend(connectors::local_stream_name(&table));
            streams.extend(connectors::local_topic_names(&table));
            let pool = self.decode_pool.as_ref();
            // Only the columns the query reads are decoded, where the source takes that.
            let read = pipeline.source_fields_read_of(i).filter(|_| connectors::takes_projection(&table));
            if let Some(file) = connectors::open_parallel(&table, &pipeline.source_fields_of(i), read, &self.files, self.file_reading, pool)
                .map_err(SqlError::connector)?
            {
                inputs.push(JobInput { feed: Feed::Parallel(file), ended: false, read_rank: 1, offsets: None });
                continue;
            }
            let source = connectors::open_source(&table, &self.streams, &self.topics, &self.files, mode).map_err(SqlError::connector)?;
            let decoder = connectors::decoder_for(&table, &pipeline.source_fields_of(i), read, self.datagen_seed(&table.name))
                .map_err(SqlError::connector)?;
            if let Some((count, idle_timeout)) = source.splits() {
                pipeline.set_input_splits(i, count, idle_timeout);
            }
            let read_rank = if source.is_bounded() { 1 } else { 2 };
            let offsets = OffsetCommits::of(&table, checkpoint_interval, self.now_ms);
            inputs.push(JobInput { feed: Feed::Records { source, decoder }, ended: false, read_rank, offsets });
        }
        let id = self.next_job;
        self.next_job += 1;
        // A job that waits for event time records what it reads, for the late ledger's what-if.
        let event_time = pipeline.watermark().is_some();
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
            step_size: StepSize::default(),
            samples: WatermarkSamples::default(),
            recording: Recording::new(event_time && !self.no_what_if_recording),
        });
        Ok(id)
    }

    /// The seed of a `datagen` table's rows: `SET 'sluice.datagen.seed' = 'N'` (0 unless set),
    /// mixed with the table's name so two tables do not make the same rows.
    pub(super) fn datagen_seed(&self, table: &str) -> u64 {
        let seed: u64 = self.config.get(DATAGEN_SEED_KEY).and_then(|s| s.trim().parse().ok()).unwrap_or(0);
        table.bytes().fold(seed ^ 0xCBF2_9CE4_8422_2325, |h, b| (h ^ b as u64).wrapping_mul(0x100_0000_01B3))
    }

    /// Moves time on to `now_ms`: generators produce their records, jobs consume them (up to
    /// `MAX_STEPS_PER_ADVANCE` steps each, without a time limit).
    pub fn advance(&mut self, now_ms: i64) {
        self.advance_within(now_ms, &mut Unlimited);
    }

    /// [`Session::advance`] that gives its caller the time back once `budget` is spent: the jobs
    /// then read the rest of their input in the next advance, in order, so what they produce is
    /// what an unlimited advance would have produced. The jobs take one step each in turn,
    /// starting after the last job stepped, so a slow job does not starve the others. At least
    /// one step is taken, so every advance makes progress.
    pub fn advance_within(&mut self, now_ms: i64, budget: &mut dyn Budget) {
        self.now_ms = now_ms;
        self.pump_remote();
        for g in &mut self.generators {
            if !g.running {
                continue;
            }
            if g.topic {
                let Some(topic) = self.topics.get_mut(&g.stream) else { continue };
                let scenario = g.generator.scenario().map(|s| s.scenario);
                let json = &mut g.json;
                g.generator.generate_until(now_ms, &mut |record| {
                    let key = record.partition_key.as_bytes().to_vec();
                    let mut value = Vec::with_capacity(112);
                    json.write(&record, &mut value);
                    // The default partitioner's choice, so an idle shard is a quiet partition.
                    let partition = topic.partition_for(Some(&key), key.len() + value.len());
                    if scenario.is_some_and(|s| s.silences_shard(partition as usize)) {
                        return;
                    }
                    let reading =
                        ProducerRecord { partition: Some(partition), key: Some(key), value: Some(value), ..ProducerRecord::default() };
                    // The partition is the topic's own: never refused.
                    let _ = topic.produce(reading, now_ms);
                });
                continue;
            }
            let Some(stream) = self.streams.get_mut(&g.stream) else { continue };
            let scenario = g.generator.scenario().map(|s| s.scenario);
            let json = &mut g.json;
            g.generator.generate_until(now_ms, &mut |record| {
                if scenario.is_some_and(|s| s.silences_shard(stream.shard_for(record.partition_key))) {
                    return;
                }
                stream.put_record_with(record.partition_key, RecordWriter::MAX_LEN, now_ms, |data| json.write(&record, data));
            });
        }
        self.step_jobs(budget);
        self.commit_due_offsets();
        for job in self.jobs.iter_mut().filter(|j| j.running) {
            job.samples.note(now_ms, job.pipeline.watermark());
        }
        self.pump_remote();
    }

    /// Steps the running jobs round-robin until each is idle or has taken its steps, or the
    /// budget is spent.
    pub(super) fn step_jobs(&mut self, budget: &mut dyn Budget) {
        let count = self.jobs.len();
        let start = self.jobs.iter().position(|j| j.id >= self.first_to_step).unwrap_or(0);
        let mut busy: Vec<bool> = self.jobs.iter().map(|j| j.running).collect();
        for _ in 0..MAX_STEPS_PER_ADVANCE {
            let mut stepped = false;
            for k in 0..count {
                let i = (start + k) % count;
                if !busy[i] {
                    continue;
                }
                stepped = true;
                busy[i] = self.timed_step(i, budget) == StepResult::Progress;
                // The next advance starts with the job after this one.
                self.first_to_step = self.jobs.get(i + 1).map_or(0, |j| j.id);
                if budget.spent() {
                    return;
                }
            }
            if !stepped {
                return;
            }
        }
    }

    /// One step of job `i`, timed on the budget's clock to size the job's next step.
    pub(super) fn timed_step(&mut self, i: usize, budget: &mut dyn Budget) -> StepResult {
        let records_before = self.jobs[i].pipeline.records_in();
        let started = budget.real_ms();
        let result = self.step_job(i);
        // A job whose input ended commits its Kafka offsets as it finishes.
        if self.jobs[i].finished && result == StepResult::Done {
            self.commit_offsets_on_stop(i);
        }
        let took_ms = budget.real_ms() - started;
        let job = &mut self.jobs[i];
        job.step_size.after_step(job.pipeline.records_in() - records_before, took_ms);
        result
    }

    /// Runs job `job` until its bounded input ends (or it fails or stops), handing each batch of
    /// changes to `on_changes`. Used by the native runner.
    pub fn run_to_end(&mut self, job: JobId, on_changes: &mut dyn FnMut(Vec<Change>)) -> Result<(), String> {
        self.run_job_to_end(job, on_changes).map_err(|e| e.to_string())
    }

    fn run_job_to_end(&mut self, job: JobId, on_changes: &mut dyn FnMut(Vec<Change>)) -> Result<(), SqlError> {
        let Some(i) = self.jobs.iter().position(|j| j.id == job) else { return Err(SqlError::runtime(format!("no job {job}"))) };
        // Nobody moves the clock while this runs, so a bounded source must not wait for it.
        for input in &mut self.jobs[i].inputs {
            input.read_without_pacing();
        }
        loop {
            let step = self.timed_step(i, &mut Unlimited);
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

    pub(super) fn step_job(&mut self, i: usize) -> StepResult {
        let now = self.now_ms;
        let job = &mut self.jobs[i];
        job.pipeline.set_now(now);
        // Small bounded inputs are read before the others (a VALUES list first, then files),
        // so a stream joined with sensor metadata meets a complete table rather than padding
        // rows it must retract. Flink gives no order; this is one it may take.
        let first = job.inputs.iter().filter(|x| !x.ended).map(|x| x.read_rank).min().unwrap_or(0);
        let records = job.step_size.records();
        let mut out = Vec::new();
        let mut status = StepResult::Idle;
        let result = (|| -> Result<(), SqlError> {
            for (n, input) in job.inputs.iter_mut().enumerate() {
                if input.ended || input.read_rank > first {
                    continue;
                }
                let read = match &mut input.feed {
                    Feed::Values(values) => {
                        let (batch, read) = values.poll(records);
                        if !batch.is_empty() {
                            job.recording.keep(n, now, &batch);
                            job.pipeline.push_input(n, batch, &mut out)?;
                        }
                        read
                    }
                    Feed::Parallel(file) => {
                        let polled = file.poll();
                        if !polled.batch.is_empty() {
                            job.recording.keep(n, now, &polled.batch);
                            job.pipeline.push_input(n, polled.batch, &mut out)?;
                        }
                        if let Some(e) = polled.error {
                            job.sink
                                .write(&out, job.pipeline.output_types(), &mut self.streams, &mut self.topics, now)
                                .map_err(SqlError::connector)?;
                            out.clear();
                            return Err(match e {
                                connectors::ReadError::File(e) => SqlError::connector(e),
                                connectors::ReadError::Record(e) => {
                                    let name = job.pipeline.sources().get(n).map_or_else(String::new, |s| s.name().to_string());
                                    SqlError::runtime(format!("a record of `{name}` could not be read: {e}"))
                                }
                            });
                        }
                        polled.status
                    }
                    Feed::Records { source, decoder } => {
                        let mut decode_error = None;
                        let read = source.poll(&self.streams, &self.topics, now, records, &mut |record| {
                            if decode_error.is_none() {
                                if let Err(e) = decoder.decode_record(record) {
                                    decode_error = Some(e);
                                }
                            }
                        });
                        // Rows decoded before a bad record still count, as they would in Flink,
                        // whether the format or the source (a record without usable data) found it.
                        let batch = decoder.finish();
                        let splits = decoder.take_splits();
                        if let Some((count, idle_timeout)) = source.splits() {
                            job.pipeline.set_input_splits(n, count, idle_timeout);
                        }
                        if !batch.is_empty() {
                            job.recording.keep(n, now, &batch);
                            job.pipeline.push_input_splits(n, batch, splits.as_deref(), &mut out)?;
                        }
                        let read = match read {
                            Ok(read) => read,
                            Err(e) => {
                                job.sink
                                    .write(&out, job.pipeline.output_types(), &mut self.streams, &mut self.topics, now)
                                    .map_err(SqlError::connector)?;
                                out.clear();
                                return Err(SqlError::connector(e));
                            }
                        };
                        if let Some(e) = decode_error {
                            job.sink
                                .write(&out, job.pipeline.output_types(), &mut self.streams, &mut self.topics, now)
                                .map_err(SqlError::connector)?;
                            out.clear();
                            let name = job.pipeline.sources().get(n).map_or_else(String::new, |s| s.name().to_string());
                            return Err(SqlError::runtime(format!("a record of `{name}` could not be read: {e}")));
                        }
                        read
                    }
                };
                match read {
                    SourceStatus::Ended => {
                        input.ended = true;
                        job.pipeline.end_of_input_of(n, &mut out)?;
                        status = StepResult::Progress;
                    }
                    SourceStatus::Idle => {}
                    _ => status = StepResult::Progress,
                }
            }
            job.pipeline.on_processing_time(&mut out)?;
            job.sink.set_watermark(job.pipeline.watermark());
            job.sink.write(&out, job.pipeline.output_types(), &mut self.streams, &mut self.topics, now).map_err(SqlError::connector)?;
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
        if let Some(i) = self.jobs.iter().position(|j| j.id == job && j.running) {
            self.commit_offsets_on_stop(i);
            self.jobs[i].stop();
        }
    }

    /// `STOP JOB … WITH DRAIN`, Flink's stop-with-drain: the job reads nothing more, every
    /// input's watermark goes to +∞ so every pending event-time window and timer fires into
    /// the job's sink, and then the job stops. A job that is not running is left as it is.
    /// An error firing the windows or writing them fails the job and is returned.
    pub fn drain_job(&mut self, job: JobId) -> Result<(), SqlError> {
        let now = self.now_ms;
        let Some(j) = self.jobs.iter_mut().find(|j| j.id == job && j.running) else { return Ok(()) };
        j.pipeline.set_now(now);
        let mut out = Vec::new();
        let result = j.pipeline.drain(&mut out).map_err(SqlError::from).and_then(|()| {
            j.sink.set_watermark(j.pipeline.watermark());
            j.sink.write(&out, j.pipeline.output_types(), &mut self.streams, &mut self.topics, now).map_err(SqlError::connector)
        });
        j.stop();
        if let Err(e) = &result {
            j.error = Some(e.clone());
        }
        result
    }

    /// Late records the job's operators dropped (the most recent ones).
    pub fn late_records(&self, job: JobId) -> Vec<crate::engine::operator::LateRecord> {
        self.jobs.iter().find(|j| j.id == job).map(|j| j.pipeline.late_records()).unwrap_or_default()
    }

    pub fn jobs(&self) -> Vec<JobInfo> {
        self.jobs.iter().map(Self::job_info).collect()
    }

    pub fn job(&self, id: JobId) -> Option<JobInfo> {
        self.jobs.iter().find(|j| j.id == id).map(Self::job_info)
    }

    pub(super) fn job_info(j: &Job) -> JobInfo {
        JobInfo {
            id: j.id,
            sql: j.sql.clone(),
            running: j.running,
            records_in: j.pipeline.records_in(),
            records_out: j.pipeline.records_out(),
            late_records_dropped: j.pipeline.late_records_dropped(),
            watermark: j.pipeline.watermark().filter(|w| *w > i64::MIN && *w < i64::MAX),
            error: j.error.as_ref().map(SqlError::to_string),
            started_ms: j.started_ms,
            state_rows: j.pipeline.operator_metrics().iter().map(|(_, m)| m.state_rows).sum(),
            skipped_records: j.inputs.iter().map(JobInput::skipped).sum(),
            finished: j.finished,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum StepResult {
    Progress,
    Idle,
    Done,
}

pub(super) struct Job {
    pub(super) id: JobId,
    pub(super) sql: String,
    /// What runs: EXPLAIN's plan, with each operator's changelog mode.
    pub(super) plan: PhysicalPlan,
    pub(super) pipeline: Pipeline,
    /// One source per table the query reads, in the pipeline's input order.
    pub(super) inputs: Vec<JobInput>,
    pub(super) sink: JobSink,
    pub(super) running: bool,
    pub(super) finished: bool,
    /// Stopped (STOP JOB, the jobs panel, another Kinesis access) before its input ended.
    pub(super) stopped: bool,
    pub(super) error: Option<SqlError>,
    pub(super) started_ms: i64,
    /// The streams the job reads and writes (a remote one failing fails the job).
    pub(super) streams: Vec<String>,
    /// Set by `STOP JOB … WITH SAVEPOINT`: the stopped job keeps its operators' state and its
    /// sources' positions under this path, until a run of the same statement resumes it.
    pub(super) savepoint: Option<String>,
    /// How many records the job reads per input in its next step.
    pub(super) step_size: StepSize,
    /// Its watermark now and then, for how fast event time moves (the diagnosis).
    pub(super) samples: WatermarkSamples,
    /// What it read, for what-if replays under another delay (the late ledger).
    pub(super) recording: Recording,
}

/// Records per step, sized from how long the last steps took: a step of costly rows (a
/// pathological pattern over long values) shrinks the next one toward [`TARGET_STEP_MS`], and
/// fast steps let it grow back, at most doubling each time, up to [`MAX_RECORDS_PER_STEP`].
#[derive(Clone, Copy, Debug)]
pub(super) struct StepSize(usize);

impl Default for StepSize {
    fn default() -> Self {
        StepSize(FIRST_RECORDS_PER_STEP)
    }
}

impl StepSize {
    pub(super) fn records(self) -> usize {
        self.0
    }

    /// A step read `records` records in `took_ms` of real time.
    pub(super) fn after_step(&mut self, records: u64, took_ms: f64) {
        if records == 0 {
            // Nothing to learn from: the step had no input (or only timers fired).
            return;
        }
        let grown = (self.0 * 2).min(MAX_RECORDS_PER_STEP);
        self.0 = if took_ms > 0.0 && took_ms.is_finite() {
            // The records the target time holds at this step's cost per record.
            let fitting = TARGET_STEP_MS * records as f64 / took_ms;
            (fitting as usize).clamp(1, grown)
        } else {
            grown
        };
    }
}

impl Job {
    /// Stops the job if it runs; a job that ended or failed stays as it is.
    pub(super) fn stop(&mut self) {
        self.stopped |= self.running;
        self.running = false;
    }
}

pub(super) struct JobInput {
    pub(super) feed: Feed,
    pub(super) ended: bool,
    /// Inputs of the lowest rank still reading are read first: 0 VALUES, 1 other bounded, 2 the rest.
    pub(super) read_rank: u8,
    /// When a Kafka table's consumer-group offsets are committed (`offsets.rs`).
    pub(super) offsets: Option<OffsetCommits>,
}

/// Where an input's rows come from. A job has a few inputs, each read on every step, so the
/// records' variant stays inline rather than behind a box on the read path.
#[allow(clippy::large_enum_variant)]
pub(super) enum Feed {
    /// A connector's records, decoded into columns.
    Records { source: Source, decoder: Decoder },
    /// VALUES rows, columns already.
    Values(connectors::ValuesSource),
    /// A file decoded on several threads or decode workers (see `Session::set_file_reading`,
    /// `Session::set_decode_pool`).
    Parallel(connectors::ParallelFile),
}

impl JobInput {
    pub(super) fn is_bounded(&self) -> bool {
        match &self.feed {
            Feed::Records { source, .. } => source.is_bounded(),
            Feed::Values(_) => true,
            Feed::Parallel(_) => true,
        }
    }

    pub(super) fn read_without_pacing(&mut self) {
        if let Feed::Records { source, .. } = &mut self.feed {
            source.read_without_pacing();
        }
    }

    /// Records skipped as unreadable: by the decoder, or by the source (a Kinesis record whose
    /// data could not be taken at all).
    pub(super) fn skipped(&self) -> u64 {
        match &self.feed {
            Feed::Records { decoder, source } => decoder.skipped() + source.skipped(),
            Feed::Values(_) => 0,
            Feed::Parallel(file) => file.skipped(),
        }
    }
}

pub(super) enum JobSink {
    /// A SELECT: changes wait here for the view.
    Collect { changes: VecDeque<Change>, dropped: u64 },
    /// An INSERT INTO: rows go to the sink table, `table`.
    Table { sink: Sink, table: String },
}

impl JobSink {
    /// The job's watermark now: it releases the rows an `ON CONFLICT DO NOTHING | DO ERROR`
    /// sink holds.
    pub(super) fn set_watermark(&mut self, watermark: Option<i64>) {
        if let JobSink::Table { sink, .. } = self {
            sink.set_watermark(watermark);
        }
    }

    pub(super) fn write(
        &mut self,
        batches: &[Batch],
        types: &[DataType],
        streams: &mut LocalStreams,
        topics: &mut LocalTopics,
        now_ms: i64,
    ) -> Result<(), String> {
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
            JobSink::Table { sink, .. } => sink.write(batches, types, streams, topics, now_ms),
        }
    }
}

/// A job id as Flink prints one: 32 hex digits.
pub(super) fn flink_job_id(id: JobId) -> String {
    format!("{id:032x}")
}

/// `STOP JOB '…'` takes the id as SHOW JOBS prints it, or the plain job number.
pub(super) fn parse_job_id(text: &str) -> Option<JobId> {
    let text = text.trim();
    if text.len() == 32 {
        return u128::from_str_radix(text, 16).ok().and_then(|v| JobId::try_from(v).ok());
    }
    text.parse().ok()
}

/// Flink's job status names.
pub(super) fn job_status(j: &Job) -> &'static str {
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

/// The rows a changelog leaves: `+I`/`+U` add a row, `-U`/`-D` take an equal one away.
pub(super) fn final_rows(changes: Vec<Change>) -> Vec<Vec<Value>> {
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
