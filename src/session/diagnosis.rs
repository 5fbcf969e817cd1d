//! "Why is this window empty?": a running job's event-time state, as facts a person can act on.
//!
//! The most repeated complaint about streaming SQL is a windowed query that shows nothing. The
//! answer is nearly always the watermark: an input with no records, a quiet producer, one input
//! behind the others, or a delay longer than the data so far. [`Session::diagnose`] gathers what
//! the job knows — its watermark and each input's (with the input's stream, shard by shard, and
//! the generator feeding it), the windows waiting for the watermark, how fast event time moves,
//! and what would change it — as a plain struct; `views::diagnosis` says it in words, for the
//! page, `EXPLAIN JOB '<id>'` and `sluice run --metrics`. Flink offers only the per-task
//! `currentInputWatermark` metric; the reasoning here is Sluice's.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

use super::jobs::{flink_job_id, job_status, Job};
use super::{JobId, Session};
use crate::connectors::{self, ActiveScenario};
use crate::engine::watermark::{END_OF_INPUT, NO_WATERMARK};

/// Pending windows listed (the earliest ends); the count says how many there are in all.
pub const PENDING_WINDOWS_SHOWN: usize = 5;

/// An input with no record for this long (processing time) is called quiet.
pub const QUIET_AFTER_MS: i64 = 3_000;

/// The idle timeout the diagnosis proposes when a quiet input holds the others back.
pub const PROPOSED_IDLE_TIMEOUT_MS: i64 = 5_000;

/// Watermark samples kept per job to measure how fast event time moves (one a second at most).
const SAMPLES_KEPT: usize = 16;

/// A job's event-time state and what holds it back.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Diagnosis {
    pub job: JobId,
    /// The job id as SHOW JOBS prints it.
    pub job_id: String,
    /// Flink's status name (RUNNING, FINISHED, …).
    pub status: String,
    /// The session's clock (ms since the epoch).
    pub now_ms: i64,
    /// The job's watermark; `None` before any, or when no input declares one.
    pub watermark: Option<i64>,
    /// Whether any input declares a WATERMARK (else windows are on processing time, or none).
    pub event_time: bool,
    pub inputs: Vec<InputDiagnosis>,
    /// The input that holds the job's watermark where it is, if one does.
    pub held_back_by: Option<usize>,
    /// Windows waiting for the watermark, earliest end first (at most [`PENDING_WINDOWS_SHOWN`]).
    pub pending: Vec<PendingWindow>,
    /// How many windows wait in all.
    pub pending_total: usize,
    /// Event-time ms the watermark moved per ms of the clock, over the last samples.
    pub event_time_rate: Option<f64>,
    pub late_dropped: u64,
    /// `table.exec.source.idle-timeout`, if set.
    pub idle_timeout_ms: Option<i64>,
    /// What would change it, most useful first.
    pub remedies: Vec<Remedy>,
}

/// One input (table or VALUES) of the job.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InputDiagnosis {
    pub name: String,
    /// Its own watermark, if it declares one (`None` also before its first record).
    pub watermark: Option<i64>,
    pub declares_watermark: bool,
    /// The delay its WATERMARK expression gives (rowtime − watermark), once a row was read.
    pub delay_ms: Option<i64>,
    pub records: u64,
    pub last_record_ms: Option<i64>,
    pub idle: bool,
    pub ended: bool,
    pub bounded: bool,
    /// The local stream it reads, with its shards and generator.
    pub stream: Option<StreamDiagnosis>,
    /// A Kafka input's partitions, each with its own watermark (the input's is the least of
    /// the partitions not idle); empty for an input of one watermark.
    pub partitions: Vec<PartitionDiagnosis>,
    /// Why it is where it is, if something is wrong.
    pub cause: Option<Cause>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StreamDiagnosis {
    pub name: String,
    pub shards: Vec<ShardDiagnosis>,
    /// The generator feeding it, if any: running, and the scenario it plays.
    pub generator_running: Option<bool>,
    pub scenario: Option<ActiveScenario>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShardDiagnosis {
    pub shard: usize,
    /// Records ever put on the shard.
    pub records: u64,
    /// When its last record arrived (the session's clock).
    pub last_arrival_ms: Option<i64>,
}

/// One partition of a Kafka input: Flink's per-split watermark.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PartitionDiagnosis {
    pub partition: usize,
    /// `None` before its first record.
    pub watermark: Option<i64>,
    /// Turned idle (`scan.watermark.idle-timeout`, else `table.exec.source.idle-timeout`).
    pub idle: bool,
}

/// Why an input holds the watermark back.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Cause {
    /// It has had no record at all, so its watermark has not started.
    NoRecordsYet,
    /// No record for `quiet_ms`; its watermark stays where its last record put it.
    Quiet { quiet_ms: i64 },
    /// The generator feeding its stream is stopped.
    GeneratorStopped,
    /// The generator's "paused producer" scenario: nothing until `until_ms`.
    ProducerPaused { until_ms: i64 },
    /// It has records, but its watermark is `behind_ms` behind the next input's.
    Behind { behind_ms: i64 },
    /// One of its partitions, not idle, holds its watermark `behind_ms` behind the most
    /// advanced partition's (`None`: that partition has no record yet).
    PartitionBehind { partition: usize, behind_ms: Option<i64> },
}

/// Something the user can do.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Remedy {
    /// `SET 'table.exec.source.idle-timeout'`: the quiet input `input` would stop holding the
    /// others back.
    IdleTimeout { input: String, timeout_ms: i64 },
    /// A smaller WATERMARK delay fires every window sooner by as much (and drops more as late).
    SmallerDelay { input: String, delay_ms: i64 },
    /// Records moving event time on past the next window's end.
    MoreData { input: String, event_ms_needed: Option<i64> },
    /// Starting the generator that feeds `stream`.
    StartGenerator { stream: String },
    /// Records were dropped as late: a larger delay would have kept them (the ledger's what-if).
    LargerDelay { late: u64 },
}

/// A window that holds data and waits for the watermark.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PendingWindow {
    pub start: i64,
    pub end: i64,
    /// Event time the watermark still has to cover before it fires (end − 1 − watermark).
    pub event_ms_to_go: Option<i64>,
    /// At the current event-time rate, the clock's ms until it fires.
    pub eta_ms: Option<i64>,
}

/// A job's recent (clock, watermark) samples, to measure how fast event time moves.
#[derive(Clone, Debug, Default)]
pub(super) struct WatermarkSamples(VecDeque<(i64, i64)>);

impl WatermarkSamples {
    /// Notes the watermark at `now_ms` (at most one sample a second).
    pub(super) fn note(&mut self, now_ms: i64, watermark: Option<i64>) {
        let Some(wm) = watermark.filter(|w| *w != NO_WATERMARK && *w != END_OF_INPUT) else { return };
        if self.0.back().is_some_and(|&(t, _)| now_ms - t < 1_000) {
            return;
        }
        if self.0.len() == SAMPLES_KEPT {
            self.0.pop_front();
        }
        self.0.push_back((now_ms, wm));
    }

    /// Event-time ms per clock ms between the oldest and newest sample (`None` with fewer than
    /// two samples).
    fn rate(&self) -> Option<f64> {
        let (&(t0, w0), &(t1, w1)) = (self.0.front()?, self.0.back()?);
        (t1 > t0).then(|| (w1 - w0) as f64 / (t1 - t0) as f64)
    }
}

impl Session {
    /// Why job `job`'s windows have or have not fired; `None` if there is no such job.
    pub fn diagnose(&self, job: JobId) -> Option<Diagnosis> {
        let j = self.jobs.iter().find(|j| j.id == job)?;
        Some(self.diagnose_job(j))
    }

    fn diagnose_job(&self, j: &Job) -> Diagnosis {
        let now = self.now_ms;
        let p = &j.pipeline;
        let real = |w: i64| (w != NO_WATERMARK && w != END_OF_INPUT).then_some(w);
        let sources = p.sources();
        let mut inputs: Vec<InputDiagnosis> = sources
            .iter()
            .enumerate()
            .map(|(n, source)| {
                let bounded = j.inputs.get(n).is_some_and(|x| x.is_bounded());
                let stream = source.table().and_then(|t| connectors::local_stream_name(t)).map(|s| self.stream_diagnosis(&s));
                let partitions = p
                    .input_split_watermarks(n)
                    .into_iter()
                    .enumerate()
                    .map(|(partition, (w, idle))| PartitionDiagnosis { partition, watermark: real(w), idle })
                    .collect();
                InputDiagnosis {
                    name: source.name().to_string(),
                    watermark: p.input_watermark(n).and_then(real),
                    declares_watermark: p.input_watermark(n).is_some(),
                    delay_ms: p.input_watermark_delay(n),
                    records: p.input_records_in(n),
                    last_record_ms: p.input_last_record_ms(n),
                    idle: p.input_idle(n),
                    ended: p.input_ended(n) || j.inputs.get(n).is_some_and(|x| x.ended),
                    bounded,
                    stream,
                    partitions,
                    cause: None,
                }
            })
            .collect();
        let watermark = p.watermark().and_then(real);
        let event_time = inputs.iter().any(|i| i.declares_watermark);
        // The input holding the watermark: the active declared one with the least watermark
        // (no watermark yet counts as the least of all).
        let holder = inputs
            .iter()
            .enumerate()
            .filter(|(_, i)| i.declares_watermark && !i.idle && !i.ended)
            .min_by_key(|(_, i)| i.watermark.unwrap_or(i64::MIN))
            .map(|(n, _)| n);
        let active_watermarks: Vec<i64> =
            inputs.iter().filter(|i| i.declares_watermark && !i.idle && !i.ended).map(|i| i.watermark.unwrap_or(i64::MIN)).collect();
        for (n, input) in inputs.iter_mut().enumerate() {
            if !input.declares_watermark || input.ended {
                continue;
            }
            let generator = input.stream.as_ref().and_then(|s| s.generator_running.map(|r| (r, s.scenario)));
            input.cause = if let Some((false, _)) = generator {
                Some(Cause::GeneratorStopped)
            } else if let Some(until) =
                generator.and_then(|(_, s)| s).filter(|s| s.drops(now)).map(|s| s.since_ms + connectors::scenario::PAUSE_MS)
            {
                Some(Cause::ProducerPaused { until_ms: until })
            } else if input.records == 0 {
                Some(Cause::NoRecordsYet)
            } else if let Some(quiet) = input.last_record_ms.map(|t| now - t).filter(|q| *q >= QUIET_AFTER_MS) {
                Some(Cause::Quiet { quiet_ms: quiet })
            } else if let Some(cause) = partition_behind(&input.partitions) {
                Some(cause)
            } else if Some(n) == holder && active_watermarks.len() > 1 {
                let own = input.watermark.unwrap_or(i64::MIN);
                let next = active_watermarks.iter().copied().filter(|w| *w > own).min();
                next.map(|next| Cause::Behind { behind_ms: next.saturating_sub(own) })
            } else {
                None
            };
        }
        let rate = j.samples.rate().filter(|r| r.is_finite() && *r > 0.0);
        let (windows, pending_total) = p.pending_windows(PENDING_WINDOWS_SHOWN);
        let pending: Vec<PendingWindow> = windows
            .into_iter()
            .map(|(start, end)| {
                let to_go = watermark.map(|wm| (end - 1).saturating_sub(wm).max(0));
                let eta = to_go.zip(rate).map(|(ms, r)| (ms as f64 / r).round() as i64);
                PendingWindow { start, end, event_ms_to_go: to_go, eta_ms: eta }
            })
            .collect();
        let held_back_by = holder.filter(|&n| inputs[n].cause.is_some() || pending_total > 0);
        let mut diagnosis = Diagnosis {
            job: j.id,
            job_id: flink_job_id(j.id),
            status: job_status(j).to_string(),
            now_ms: now,
            watermark,
            event_time,
            inputs,
            held_back_by,
            pending,
            pending_total,
            event_time_rate: rate,
            late_dropped: p.late_records_dropped(),
            idle_timeout_ms: p.idle_timeout(),
            remedies: Vec::new(),
        };
        diagnosis.remedies = remedies(&diagnosis);
        diagnosis
    }

    fn stream_diagnosis(&self, name: &str) -> StreamDiagnosis {
        let shards = self.streams.get(name).map_or_else(Vec::new, |s| {
            s.shard_summary()
                .into_iter()
                .enumerate()
                .map(|(shard, (records, last_arrival_ms))| ShardDiagnosis { shard, records, last_arrival_ms })
                .collect()
        });
        let generator = self.generators.iter().find(|g| g.stream == name);
        StreamDiagnosis {
            name: name.to_string(),
            shards,
            generator_running: generator.map(|g| g.running),
            scenario: generator.and_then(|g| g.generator.scenario()),
        }
    }
}

/// The partition (not idle) holding an input's watermark, when it is [`QUIET_AFTER_MS`] or more
/// behind the most advanced one, or has no record while others have.
fn partition_behind(partitions: &[PartitionDiagnosis]) -> Option<Cause> {
    let active = || partitions.iter().filter(|p| !p.idle);
    let ahead = active().filter_map(|p| p.watermark).max()?;
    let least = active().min_by_key(|p| p.watermark.unwrap_or(i64::MIN))?;
    match least.watermark {
        None => Some(Cause::PartitionBehind { partition: least.partition, behind_ms: None }),
        Some(w) if ahead - w >= QUIET_AFTER_MS => Some(Cause::PartitionBehind { partition: least.partition, behind_ms: Some(ahead - w) }),
        Some(_) => None,
    }
}

/// What would move the watermark on, or keep what it dropped.
fn remedies(d: &Diagnosis) -> Vec<Remedy> {
    let mut out = Vec::new();
    let declared = d.inputs.iter().filter(|i| i.declares_watermark).count();
    if let Some(holder) = d.held_back_by.map(|n| &d.inputs[n]) {
        if let Some(stream) = holder.stream.as_ref().filter(|_| holder.cause == Some(Cause::GeneratorStopped)) {
            out.push(Remedy::StartGenerator { stream: stream.name.clone() });
        }
        let quiet = matches!(
            holder.cause,
            Some(Cause::NoRecordsYet | Cause::Quiet { .. } | Cause::GeneratorStopped | Cause::ProducerPaused { .. })
        );
        // Idleness only helps where inputs (or a Kafka input's partitions) meet: a lone input's
        // watermark moves only with records.
        let partition = matches!(holder.cause, Some(Cause::PartitionBehind { .. }));
        if ((quiet && declared > 1) || partition) && d.idle_timeout_ms.is_none() {
            out.push(Remedy::IdleTimeout { input: holder.name.clone(), timeout_ms: PROPOSED_IDLE_TIMEOUT_MS });
        }
        if d.pending_total > 0 {
            let needed = d.pending.first().and_then(|w| w.event_ms_to_go);
            out.push(Remedy::MoreData { input: holder.name.clone(), event_ms_needed: needed });
            if let Some(delay) = holder.delay_ms.filter(|d| *d > 0) {
                out.push(Remedy::SmallerDelay { input: holder.name.clone(), delay_ms: delay });
            }
        }
    }
    if d.late_dropped > 0 {
        out.push(Remedy::LargerDelay { late: d.late_dropped });
    }
    out
}
