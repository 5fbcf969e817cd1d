//! What a running query's timeline plots, read from the session: the records the job read from
//! its stream (when each arrived on the session's clock, and its event time as the job decodes
//! it), the job's watermark now, and the late records its operators dropped.
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
        let stream_name = connectors::local_stream_name(table).ok_or_else(|| format!("`{}` does not read a stream", table.name))?;
        let stream = self.streams.get(&stream_name).ok_or_else(|| format!("the stream `{stream_name}` is gone"))?;
        // The job reads its stream in arrival order and keeps up with it between steps, so the
        // records it has read are the stream's newest `records_in`.
        let read = usize::try_from(j.pipeline.records_in()).unwrap_or(usize::MAX);
        let recent = stream.recent(max_records.min(read));
        // The job's own decoding, so event times are exactly those its operators compared.
        let mut decoder = connectors::decoder_for(table, &j.pipeline.source_fields(), 0)?;
        let mut arrivals = Vec::with_capacity(recent.len());
        for r in &recent {
            if decoder.decode(&r.data).is_err() {
                // Rows decoded so far stay lined up with their arrivals; a bad record ends the look.
                break;
            }
            arrivals.push(r.arrival_ms);
        }
        let batch = decoder.finish();
        let mut records = Vec::with_capacity(arrivals.len());
        if let Some(column) = batch.columns.get(at) {
            if let ColumnData::Int(times) = &column.data {
                for (i, (&arrival, &t)) in arrivals.iter().zip(times).enumerate() {
                    if column.is_valid(i) {
                        records.push((arrival, t));
                    }
                }
            }
        }
        let late = j.pipeline.late_records().iter().map(|r| (r.event_time, r.watermark)).collect();
        let watermark = j.pipeline.watermark().filter(|w| *w > i64::MIN && *w < i64::MAX);
        Ok(TimelineSample { now_ms: self.now_ms, watermark, records, late })
    }
}
