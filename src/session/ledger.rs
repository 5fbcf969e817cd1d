//! The late-event ledger, and its what-if: every record a job dropped as late, the windows it
//! missed and by how much; then the same recorded input replayed under another WATERMARK delay,
//! to show which of those records would have counted and how the results and their latency
//! change. Flink's SQL has no side output for late data; this is what one would show.
//!
//! The ledger keeps the last [`crate::engine::operator::LATE_RECORDS_KEPT`] records per
//! operator and counts the rest. A job that declares a watermark records what it reads (the
//! decoded rows, and when on the session's clock) up to [`RECORDED_ROWS`], so a what-if is a
//! fresh pipeline over exactly those rows: one run at the job's own delay (the baseline) and
//! one at the delay asked for, compared row for row.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::jobs::Job;
use super::{JobId, Session};
use crate::engine::operator::LateRecord;
use crate::engine::Pipeline;
use crate::types::{Batch, Value};

/// Rows a job records for what-if replays; later rows are read but not recorded.
pub const RECORDED_ROWS: usize = 100_000;

/// Ledger entries a what-if lists among those that would have counted.
pub const WOULD_COUNT_SHOWN: usize = 50;

/// What a job read, in order, with the clock's time of each read: the input of a replay.
#[derive(Default)]
pub(super) struct Recording {
    batches: Vec<(usize, i64, Batch)>,
    rows: usize,
    /// Rows read but not kept (past [`RECORDED_ROWS`]).
    missed: u64,
    on: bool,
}

impl Recording {
    /// A recording that keeps rows only for jobs that wait for event time.
    pub(super) fn new(on: bool) -> Self {
        Recording { on, ..Recording::default() }
    }

    /// Keeps a copy of `batch`, read from input `input` at `now_ms`, while there is room.
    pub(super) fn keep(&mut self, input: usize, now_ms: i64, batch: &Batch) {
        if !self.on {
            return;
        }
        if self.rows + batch.len() > RECORDED_ROWS {
            self.missed += batch.len() as u64;
            return;
        }
        self.rows += batch.len();
        self.batches.push((input, now_ms, batch.clone()));
    }
}

/// One late record.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LedgerEntry {
    /// The row as the operator saw it, each value as SQL prints it.
    pub row: Vec<String>,
    pub event_time: i64,
    /// The watermark in force when it arrived.
    pub watermark: i64,
    /// The windows (start, end) it would have counted in.
    pub missed: Vec<(i64, i64)>,
    /// How far the watermark was past the last of those windows' end − 1 (or past the record's
    /// event time, without windows): a delay this much larger would have kept it.
    pub late_by_ms: i64,
}

/// A job's late records.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ledger {
    pub job: JobId,
    /// Every record dropped as late, listed or not.
    pub dropped: u64,
    /// The most recent ones, oldest first.
    pub entries: Vec<LedgerEntry>,
    /// The job's WATERMARK delay, as measured (the least over its inputs).
    pub delay_ms: Option<i64>,
}

/// The same recorded input under another WATERMARK delay.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WhatIf {
    pub job: JobId,
    pub delay_ms: i64,
    /// The job's own delay: the baseline replay's.
    pub current_delay_ms: i64,
    pub records_replayed: u64,
    /// Records the job read after its recording was full (not replayed).
    pub records_not_recorded: u64,
    /// Late records under the job's delay, and under the other one.
    pub late_now: u64,
    pub late_then: u64,
    /// Ledger records that would have counted under the other delay (how many, and the first).
    pub would_count: u64,
    pub would_count_shown: Vec<LedgerEntry>,
    /// Records late under the other delay that count under the job's.
    pub would_drop: u64,
    /// Result changes under the job's delay, and under the other one.
    pub rows_now: u64,
    pub rows_then: u64,
    /// Result rows that come out under the other delay and not under the job's (windows whose
    /// values change because late records now count).
    pub rows_changed: u64,
    /// How much later (negative: sooner) the results come, in event time: the change of delay.
    pub latency_change_event_ms: i64,
    /// The same on the clock: the mean, over result rows both runs emit, of how much later the
    /// other delay emits them (`None` when no row matches).
    pub latency_change_clock_ms: Option<i64>,
}

impl Session {
    /// Job `job`'s late records; `None` if there is no such job.
    pub fn late_ledger(&self, job: JobId) -> Option<Ledger> {
        let j = self.jobs.iter().find(|j| j.id == job)?;
        Some(Ledger {
            job,
            dropped: j.pipeline.late_records_dropped(),
            entries: j.pipeline.late_records().iter().map(entry).collect(),
            delay_ms: job_delay(j),
        })
    }

    /// Replays what job `job` read under a WATERMARK delay of `delay_ms` (every input's delay
    /// moved by the same amount) and compares it with a replay under the job's own delay.
    pub fn what_if_delay(&self, job: JobId, delay_ms: i64) -> Result<WhatIf, String> {
        let j = self.jobs.iter().find(|j| j.id == job).ok_or_else(|| format!("there is no job '{job}'"))?;
        let current = job_delay(j).ok_or_else(|| format!("job {job} has no event-time watermark to change (or has read no row yet)"))?;
        if !j.recording.on {
            return Err(format!("job {job} did not record its input (it does not wait for event time, or its session records none)"));
        }
        let base = replay(j, 0)?;
        let other = replay(j, delay_ms - current)?;
        let key = |r: &LateRecord| (r.event_time, format!("{:?}", r.row));
        let late_then: HashMap<_, ()> = other.late.iter().map(|r| (key(r), ())).collect();
        let late_now: HashMap<_, ()> = base.late.iter().map(|r| (key(r), ())).collect();
        let counted: Vec<&LateRecord> = base.late.iter().filter(|r| !late_then.contains_key(&key(r))).collect();
        let would_drop = other.late.iter().filter(|r| !late_now.contains_key(&key(r))).count() as u64;
        // Rows by content, with the clock time each was first emitted.
        let mut first_seen: HashMap<String, i64> = HashMap::new();
        for (t, row) in &base.rows {
            first_seen.entry(row.clone()).or_insert(*t);
        }
        let (mut shift_sum, mut matched, mut changed) = (0i128, 0i64, 0u64);
        let mut seen_then: HashMap<&str, ()> = HashMap::new();
        for (t, row) in &other.rows {
            if seen_then.insert(row.as_str(), ()).is_some() {
                continue;
            }
            match first_seen.get(row) {
                Some(t0) => {
                    shift_sum += (t - t0) as i128;
                    matched += 1;
                }
                None => changed += 1,
            }
        }
        Ok(WhatIf {
            job,
            delay_ms,
            current_delay_ms: current,
            records_replayed: j.recording.rows as u64,
            records_not_recorded: j.recording.missed,
            late_now: base.dropped,
            late_then: other.dropped,
            would_count: counted.len() as u64,
            would_count_shown: counted.iter().take(WOULD_COUNT_SHOWN).map(|r| entry(r)).collect(),
            would_drop,
            rows_now: base.rows.len() as u64,
            rows_then: other.rows.len() as u64,
            rows_changed: changed,
            latency_change_event_ms: delay_ms - current,
            latency_change_clock_ms: (matched > 0).then(|| (shift_sum / matched as i128) as i64),
        })
    }
}

/// The job's delay: the least its inputs' WATERMARK expressions give.
fn job_delay(j: &Job) -> Option<i64> {
    (0..j.inputs.len()).filter_map(|n| j.pipeline.input_watermark_delay(n)).min()
}

fn entry(r: &LateRecord) -> LedgerEntry {
    let reference = r.missed.iter().map(|&(_, end)| end - 1).max().unwrap_or(r.event_time);
    LedgerEntry {
        row: r.row.iter().map(Value::to_string).collect(),
        event_time: r.event_time,
        watermark: r.watermark,
        missed: r.missed.clone(),
        late_by_ms: r.watermark.saturating_sub(reference).saturating_add(1),
    }
}

/// What a replay produced: result rows (clock time, rendering), late records, the late count.
struct Replayed {
    rows: Vec<(i64, String)>,
    late: Vec<LateRecord>,
    dropped: u64,
}

/// A fresh pipeline of job `j`'s plan, its watermarks lowered by `shift_ms`, over its recording.
fn replay(j: &Job, shift_ms: i64) -> Result<Replayed, String> {
    let mut pipeline = Pipeline::new(&j.plan).map_err(|e| e.0)?;
    pipeline.set_idle_timeout(j.pipeline.idle_timeout());
    if let Some(host) = j.pipeline.user_functions() {
        pipeline.set_user_functions(host);
    }
    pipeline.shift_watermarks(shift_ms);
    let types = pipeline.output_types().to_vec();
    let mut rows = Vec::new();
    let mut out = Vec::new();
    for (input, now, batch) in &j.recording.batches {
        pipeline.set_now(*now);
        pipeline.push_input(*input, batch.clone(), &mut out).map_err(|e| e.0)?;
        pipeline.on_processing_time(&mut out).map_err(|e| e.0)?;
        for b in out.drain(..) {
            for i in 0..b.len() {
                let row: Vec<String> = b.row(i, &types).iter().map(Value::to_string).collect();
                rows.push((*now, format!("{} {}", b.kind(i).short(), row.join(", "))));
            }
        }
    }
    Ok(Replayed { rows, late: pipeline.late_records(), dropped: pipeline.late_records_dropped() })
}
