//! Kafka consumer-group offsets, committed as Flink's Kafka source commits them.
//!
//! Flink's `KafkaSourceReader` commits the offsets after the last records it read when a
//! checkpoint completes (`properties.commit.offsets.on.checkpoint`, on when the table has a
//! `properties.group.id`), and Kafka's consumer commits on its own every
//! `properties.auto.commit.interval.ms` only when `properties.enable.auto.commit` is `true`
//! (Flink sets it `false` otherwise). Sluice has no checkpoints; it commits a table's offsets
//! (for tables with a group, through the session's real-topic link):
//!
//! - every `execution.checkpointing.interval` of the session clock, when that is SET (Flink's
//!   checkpoints), unless `properties.commit.offsets.on.checkpoint` is `false`;
//! - when the job stops: STOP JOB, its bounded input ends, or `sluice run` exits (as Flink's
//!   stop-with-savepoint and final checkpoint do), with the same exception;
//! - every `properties.auto.commit.interval.ms` (5 s by default) when
//!   `properties.enable.auto.commit` is `true`.
//!
//! A job that fails commits nothing more, as Flink's does not. A commit that fails is reported
//! and the job goes on (Flink's reader logs it; the next checkpoint commits again).

use super::jobs::Feed;
use super::Session;
use crate::plan::catalog::TableDef;
use crate::plan::physical::Source as PlanSource;

/// Flink's checkpoint interval setting.
pub(super) const CHECKPOINT_INTERVAL_KEY: &str = "execution.checkpointing.interval";

/// When one Kafka input of a job commits its group's offsets.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct OffsetCommits {
    /// Commit every this many milliseconds of the session clock.
    every_ms: Option<i64>,
    /// Commit when the job stops.
    on_stop: bool,
    last_ms: i64,
}

impl OffsetCommits {
    /// How `table`'s offsets are committed, `None` when never (no group, not Kafka).
    pub(super) fn of(table: &TableDef, checkpoint_interval_ms: Option<i64>, now_ms: i64) -> Option<Self> {
        if !matches!(table.connector(), "kafka" | "upsert-kafka") || table.option("properties.group.id").is_none() {
            return None;
        }
        let flag = |key: &str| table.option(key).map(|v| v.trim().eq_ignore_ascii_case("true"));
        let on_checkpoint = flag("properties.commit.offsets.on.checkpoint").unwrap_or(true);
        let auto_every = match flag("properties.enable.auto.commit") {
            Some(true) => Some(table.option("properties.auto.commit.interval.ms").and_then(|v| v.trim().parse().ok()).unwrap_or(5_000)),
            _ => None,
        };
        let checkpoint_every = checkpoint_interval_ms.filter(|_| on_checkpoint);
        let every_ms = match (checkpoint_every, auto_every) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
        .filter(|ms| *ms > 0);
        if every_ms.is_none() && !on_checkpoint {
            return None;
        }
        Some(OffsetCommits { every_ms, on_stop: on_checkpoint, last_ms: now_ms })
    }
}

impl Session {
    /// Commits the offsets of the running jobs' inputs whose interval has passed.
    pub(super) fn commit_due_offsets(&mut self) {
        let now = self.now_ms;
        let due: Vec<(usize, usize)> = self
            .jobs
            .iter()
            .enumerate()
            .filter(|(_, j)| j.running)
            .flat_map(|(i, j)| {
                j.inputs.iter().enumerate().filter_map(move |(n, input)| {
                    let c = input.offsets.as_ref()?;
                    c.every_ms.is_some_and(|every| now - c.last_ms >= every).then_some((i, n))
                })
            })
            .collect();
        for (i, n) in due {
            self.commit_input_offsets(i, n);
        }
    }

    /// Commits the offsets of job `i`'s Kafka inputs as it stops (see the module's rules).
    pub(super) fn commit_offsets_on_stop(&mut self, i: usize) {
        let Some(job) = self.jobs.get(i) else { return };
        if job.error.is_some() {
            return;
        }
        let inputs: Vec<usize> =
            job.inputs.iter().enumerate().filter(|(_, x)| x.offsets.as_ref().is_some_and(|c| c.on_stop)).map(|(n, _)| n).collect();
        for n in inputs {
            self.commit_input_offsets(i, n);
        }
    }

    /// Commits the group offsets of every running job's Kafka tables now, as a stop would
    /// (`sluice run` calls it when it exits with jobs still running).
    pub fn commit_offsets(&mut self) {
        for i in 0..self.jobs.len() {
            if self.jobs[i].running {
                self.commit_offsets_on_stop(i);
            }
        }
    }

    fn commit_input_offsets(&mut self, i: usize, n: usize) {
        let now = self.now_ms;
        let Some(job) = self.jobs.get_mut(i) else { return };
        let table = match job.pipeline.sources().get(n) {
            Some(PlanSource::Table(table)) => table.clone(),
            _ => return,
        };
        let Some(input) = job.inputs.get_mut(n) else { return };
        if let Some(c) = &mut input.offsets {
            c.last_ms = now;
        }
        let Feed::Records { source, .. } = &input.feed else { return };
        let offsets = source.kafka_offsets();
        let Some(remote) = &mut self.remote_topics else { return };
        for (topic, positions) in offsets {
            if let Err(e) = remote.commit(&table, &topic, &positions) {
                self.remote_messages.push(e);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(options: &[(&str, &str)]) -> TableDef {
        let mut opts = vec![("connector", "kafka")];
        opts.extend_from_slice(options);
        crate::connectors::kafka::remote_start::options_table(&opts)
    }

    #[test]
    fn a_group_commits_on_checkpoints_and_stops_unless_told_otherwise() {
        let group = ("properties.group.id", "g");
        assert_eq!(OffsetCommits::of(&table(&[]), Some(1_000), 0), None, "no group, no commits");
        let plain = OffsetCommits::of(&table(&[group]), None, 0).unwrap();
        assert_eq!((plain.every_ms, plain.on_stop), (None, true));
        let checkpointed = OffsetCommits::of(&table(&[group]), Some(60_000), 0).unwrap();
        assert_eq!(checkpointed.every_ms, Some(60_000));
        let off = [group, ("properties.commit.offsets.on.checkpoint", "false")];
        assert_eq!(OffsetCommits::of(&table(&off), Some(60_000), 0), None);
        let auto = [group, ("properties.commit.offsets.on.checkpoint", "false"), ("properties.enable.auto.commit", "true")];
        let auto = OffsetCommits::of(&table(&auto), Some(60_000), 0).unwrap();
        assert_eq!((auto.every_ms, auto.on_stop), (Some(5_000), false));
    }
}
