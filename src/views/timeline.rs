//! A running query's timeline, as the page plots it: each record by its event time (up) against
//! when it arrived (across), the watermark as a line, the windows the query fired as spans of
//! event time, and the records the engine dropped as late marked; for a Kafka table, one thinner
//! line per partition (each keeps its own watermark, the job's is the least of those not idle).
//! Plain Rust and capped, so the page only draws.

use std::collections::VecDeque;

use crate::session::timeline::TimelineSample;

/// Records plotted (the newest) and watermark points kept.
pub const MAX_RECORDS: usize = 1_000;
pub const MAX_WATERMARKS: usize = 2_000;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Dot {
    pub arrival_ms: i64,
    pub event_time_ms: i64,
    /// The engine dropped this record as late.
    pub late: bool,
    /// Its topic partition (a Kafka table's records).
    pub partition: Option<u32>,
}

/// One partition's watermark line.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PartitionLine {
    pub partition: u32,
    /// (clock, watermark) where it moved, oldest first; the last point is its watermark now.
    pub points: VecDeque<(i64, i64)>,
    /// Its watermark now (`None`: no record yet).
    pub watermark: Option<i64>,
    pub idle: bool,
}

/// A window the query fired: its event-time span, and when the watermark fired it (on the
/// clock, as far as the samples tell).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Span {
    pub start_ms: i64,
    pub end_ms: i64,
    pub fired_at_ms: Option<i64>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Timeline {
    pub dots: Vec<Dot>,
    /// (clock, watermark) where it moved, oldest first.
    pub watermark: VecDeque<(i64, i64)>,
    pub windows: Vec<Span>,
    pub now_ms: i64,
    /// A Kafka table's partitions, each with its own line (empty for a stream).
    pub partitions: Vec<PartitionLine>,
}

impl Timeline {
    /// Takes a new sample of the job, and the `[start, end)` of the windows its result holds.
    pub fn update(&mut self, sample: TimelineSample, fired_windows: &[(i64, i64)]) {
        self.now_ms = sample.now_ms;
        let skip = sample.records.len().saturating_sub(MAX_RECORDS);
        self.dots = sample.records[skip..]
            .iter()
            .enumerate()
            .map(|(i, &(arrival_ms, event_time_ms))| Dot {
                arrival_ms,
                event_time_ms,
                late: false,
                partition: sample.partitions.get(skip + i).copied(),
            })
            .collect();
        mark_late(&mut self.dots, &sample.late);
        self.watermark = watermark_line(self.dots.iter(), sample.watermark);
        self.partitions = sample
            .partition_watermarks
            .iter()
            .enumerate()
            .map(|(p, &(watermark, idle))| {
                let partition = p as u32;
                let points = watermark_line(self.dots.iter().filter(|d| d.partition == Some(partition)), watermark);
                PartitionLine { partition, points, watermark, idle }
            })
            .collect();
        let mut spans: Vec<(i64, i64)> = fired_windows.to_vec();
        spans.sort_unstable();
        spans.dedup();
        self.windows = spans
            .into_iter()
            .map(|(start_ms, end_ms)| Span {
                start_ms,
                end_ms,
                fired_at_ms: self.watermark.iter().find(|(_, w)| *w >= end_ms - 1).map(|(t, _)| *t),
            })
            .collect();
    }

    /// Event times of the records marked late, in arrival order.
    pub fn late_event_times(&self) -> Vec<i64> {
        self.dots.iter().filter(|d| d.late).map(|d| d.event_time_ms).collect()
    }

    /// The plot's ranges: (arrival from, to), (event time from, to), with a little room.
    pub fn bounds(&self) -> Option<((i64, i64), (i64, i64))> {
        let first = self.dots.first()?;
        let x0 = first.arrival_ms;
        let x1 = self.now_ms.max(x0 + 1_000);
        let ys = self.dots.iter().map(|d| d.event_time_ms).chain(self.watermark.iter().filter(|(t, _)| *t >= x0).map(|(_, w)| *w));
        let (y0, y1) = ys.fold((i64::MAX, i64::MIN), |(lo, hi), y| (lo.min(y), hi.max(y)));
        let pad = ((y1 - y0) / 20).max(500);
        Some(((x0, x1), (y0 - pad, y1 + pad)))
    }
}

/// The watermark over the plotted records: after each arrival, the largest event time so far
/// less the job's current lag behind it (what `WATERMARK FOR t AS t - INTERVAL …` gives: the
/// lag is that interval), ending at the job's watermark now. One point per move, at most
/// [`MAX_WATERMARKS`].
fn watermark_line<'a>(dots: impl Iterator<Item = &'a Dot> + Clone, watermark: Option<i64>) -> VecDeque<(i64, i64)> {
    let mut line = VecDeque::new();
    let Some(current) = watermark else { return line };
    let Some(max_event) = dots.clone().map(|d| d.event_time_ms).max() else { return line };
    let lag = max_event - current;
    let mut highest = i64::MIN;
    for d in dots {
        if d.event_time_ms > highest {
            highest = d.event_time_ms;
            if line.len() == MAX_WATERMARKS {
                line.pop_front();
            }
            line.push_back((d.arrival_ms, highest - lag));
        }
    }
    // The last point is the job's watermark now (the largest event time less the lag); the
    // page extends it to the clock.
    line
}

/// Marks the dots the engine dropped. A late record is known by its event time; when several
/// plotted records share it, the one that arrived last is the late one (an on-time record with
/// that event time arrived when its time was current, a late one long after). Late records from
/// before the plotted range mark nothing.
fn mark_late(dots: &mut [Dot], late: &[(i64, i64)]) {
    for &(event_time, _) in late {
        if let Some(d) = dots.iter_mut().rev().find(|d| !d.late && d.event_time_ms == event_time) {
            d.late = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(now_ms: i64, watermark: Option<i64>, records: &[(i64, i64)], late: &[(i64, i64)]) -> TimelineSample {
        TimelineSample {
            now_ms,
            watermark,
            records: records.to_vec(),
            late: late.to_vec(),
            partitions: Vec::new(),
            partition_watermarks: Vec::new(),
        }
    }

    #[test]
    fn the_records_the_engine_dropped_are_marked_and_no_others() {
        let mut t = Timeline::default();
        // 2_000 arrived on time; 2_900 arrived at 2_950 after a record stamped 9_000 moved the
        // watermark on; another record is stamped 2_000 too, but arrived late.
        let records = [(1_000, 1_000), (2_000, 2_000), (2_950, 2_900), (9_000, 9_000), (9_050, 2_000)];
        t.update(sample(9_100, Some(4_000), &records, &[(2_000, 4_000)]), &[]);
        assert_eq!(t.late_event_times(), [2_000]);
        assert!(t.dots[4].late && !t.dots[1].late, "the later arrival with that event time is the late one");
        // A late record older than the plotted records marks nothing.
        t.update(sample(9_200, Some(4_000), &records[1..], &[(1_000, 4_000), (2_000, 4_000)]), &[]);
        assert_eq!(t.late_event_times(), [2_000]);
    }

    #[test]
    fn the_watermark_follows_the_records_and_windows_fire_when_it_passes_their_end() {
        let mut t = Timeline::default();
        // A 5 s watermark delay: records up to event time 14_999 make a watermark of 9_999.
        let records = [(1_000, 1_000), (6_000, 9_999), (7_000, 8_000), (11_000, 10_500), (15_000, 14_999)];
        t.update(sample(16_000, Some(9_999), &records, &[]), &[(0, 5_000), (5_000, 10_000), (0, 5_000)]);
        let line: Vec<(i64, i64)> = t.watermark.iter().copied().collect();
        assert_eq!(line, [(1_000, -4_000), (6_000, 4_999), (11_000, 5_500), (15_000, 9_999)], "it moves only on a new largest event time");
        assert_eq!(
            t.windows,
            [
                Span { start_ms: 0, end_ms: 5_000, fired_at_ms: Some(6_000) },
                Span { start_ms: 5_000, end_ms: 10_000, fired_at_ms: Some(15_000) }
            ]
        );
    }

    #[test]
    fn each_partition_gets_its_own_line_ending_at_its_own_watermark() {
        let mut t = Timeline::default();
        // Partition 0 stops at event time 3_000; partition 1 goes on to 12_000. 2 s delay.
        let records = [(1_000, 1_000), (1_500, 1_500), (3_000, 3_000), (6_000, 6_000), (12_000, 12_000)];
        let mut s = sample(12_500, Some(1_000), &records, &[]);
        s.partitions = vec![0, 1, 0, 1, 1];
        s.partition_watermarks = vec![(Some(1_000), false), (Some(10_000), false)];
        t.update(s, &[]);
        assert_eq!(t.partitions.len(), 2);
        assert_eq!(t.partitions[0].points.iter().copied().collect::<Vec<_>>(), [(1_000, -1_000), (3_000, 1_000)]);
        assert_eq!(t.partitions[1].points.iter().copied().collect::<Vec<_>>(), [(1_500, -500), (6_000, 4_000), (12_000, 10_000)]);
        assert_eq!((t.partitions[0].watermark, t.partitions[1].watermark), (Some(1_000), Some(10_000)));
        assert_eq!(t.dots[1].partition, Some(1));
    }

    #[test]
    fn it_keeps_only_the_newest_records() {
        let mut t = Timeline::default();
        let records: Vec<(i64, i64)> = (0..3 * MAX_RECORDS as i64).map(|i| (i, i)).collect();
        t.update(sample(10_000, None, &records, &[(0, 0), (2_999, 0)]), &[]);
        assert_eq!(t.dots.len(), MAX_RECORDS);
        assert_eq!(t.dots[0].arrival_ms, 2 * MAX_RECORDS as i64);
        assert_eq!(t.late_event_times(), [2_999]);
        assert_eq!(t.bounds().unwrap().0, (2_000, 10_000));
    }
}
