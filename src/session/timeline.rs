//! What a running query's timeline plots, read from the session: the records the job read from
//! its stream (when each arrived on the session's clock, and its event time as the job decodes
//! it), the job's watermark now, and the late records its operators dropped. For a Kafka table
//! over a local topic, each record's partition and each partition's own watermark too.
//! The view model that marks and caps them is [`crate::views::timeline`].

use super::{JobId, Session};
use crate::connectors;
use crate::plan::catalog::ColumnKind;
use crate::types::ColumnData;

/// One look at a job for its timeline.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TimelineSample {
    /// The session's clock (ms since the epoch).
    pub now_ms: i64,
    pub watermark: Option<i64>,
    /// (arrival, event time) of the newest records the job read from its stream, oldest first
    /// (ms since the epoch).
    pub records: Vec<(i64, i64)>,
    /// (event time, watermark it met) of the late records the job dropped, its newest ones.
    pub late: Vec<(i64, i64)>,
    /// A topic's records: each record's partition, in the order of `records` (empty for a
    /// stream).
    pub partitions: Vec<u32>,
    /// A topic's partitions' own watermarks now (`None`: no record yet) and whether each is idle.
    pub partition_watermarks: Vec<(Option<i64>, bool)>,
}

impl Session {
    /// The job's timeline data, with at most `max_records` records. `Err` says why a job has
    /// none: no watermark, an event time that is computed rather than read, no local stream.
    pub fn timeline_sample(&self, job: JobId, max_records: usize) -> Result<TimelineSample, String> {
        let j = self.jobs.iter().find(|j| j.id == job).ok_or("the job has ended")?;
        let sources = j.pipeline.sources();
        let [source] = sources.as_slice() else {
            return Err(format!("the query reads {} tables, and the timeline follows one", sources.len()));
        };
        let table = source.table().ok_or("the query reads only VALUES, which has no event time")?;
        let wm =
            table.watermark.as_ref().ok_or_else(|| format!("`{}` has no watermark, so the query runs on no event time", table.name))?;
        let physical: Vec<usize> =
            table.columns.iter().enumerate().filter(|(_, c)| matches!(c.kind, ColumnKind::Physical)).map(|(i, _)| i).collect();
        let at = physical
            .iter()
            .position(|&i| i == wm.rowtime)
            .ok_or_else(|| format!("the event time `{}` is computed, not read from the records", table.columns[wm.rowtime].name))?;
        // The job reads its stream (or topic) in arrival order and keeps up with it between
        // steps, so the records it has read are the newest `records_in`.
        let read = usize::try_from(j.pipeline.records_in()).unwrap_or(usize::MAX).min(max_records);
        // The job's own decoding, so event times are exactly those its operators compared.
        let mut decoder = connectors::decoder_for(table, &j.pipeline.source_fields(), None, 0)?;
        let mut arrivals = Vec::new();
        let mut partitions = Vec::new();
        if let Some(stream_name) = connectors::local_stream_name(table) {
            let stream = self.streams.get(&stream_name).ok_or_else(|| format!("the stream `{stream_name}` is gone"))?;
            for r in stream.recent(read) {
                if decoder.decode(r.data).is_err() {
                    // Rows decoded so far stay lined up with their arrivals; a bad record ends the look.
                    break;
                }
                arrivals.push(r.arrival_ms);
            }
        } else if let [topic_name] = connectors::local_topic_names(table).as_slice() {
            let topic = self.topics.get(topic_name).ok_or_else(|| format!("the topic `{topic_name}` is gone"))?;
            let name: std::sync::Arc<str> = topic_name.as_str().into();
            for r in topic.recent(read) {
                let record = connectors::RecordRef::Kafka { topic: &name, record: &r.record, split: r.record.partition as u32 };
                if r.record.value.is_none() || decoder.decode_record(record).is_err() {
                    break;
                }
                // A topic record arrives when it is produced: its timestamp, unless its producer set one.
                arrivals.push(r.record.timestamp_ms);
                partitions.push(r.record.partition as u32);
            }
        } else {
            return Err(format!("`{}` does not read a stream or one topic", table.name));
        }
        let batch = decoder.finish();
        let mut records = Vec::with_capacity(arrivals.len());
        let mut kept = Vec::with_capacity(partitions.len());
        if let Some(column) = batch.columns.get(at) {
            if let ColumnData::Int(times) = &column.data {
                for (i, (&arrival, &t)) in arrivals.iter().zip(times).enumerate() {
                    if column.is_valid(i) {
                        records.push((arrival, t));
                        if let Some(&p) = partitions.get(i) {
                            kept.push(p);
                        }
                    }
                }
            }
        }
        let real = |w: i64| (w > i64::MIN && w < i64::MAX).then_some(w);
        let partition_watermarks = j.pipeline.input_split_watermarks(0).into_iter().map(|(w, idle)| (real(w), idle)).collect();
        let late = j.pipeline.late_records().iter().map(|r| (r.event_time, r.watermark)).collect();
        let watermark = j.pipeline.watermark().filter(|w| *w > i64::MIN && *w < i64::MAX);
        Ok(TimelineSample { now_ms: self.now_ms, watermark, records, late, partitions: kept, partition_watermarks })
    }
}
