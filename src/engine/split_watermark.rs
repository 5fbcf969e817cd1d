//! Per-split watermarks: a table's `WATERMARK` kept per Kafka partition, and the least of the
//! active partitions' watermarks emitted, as Flink's Kafka source does once the planner pushes
//! the watermark into it (`SupportsWatermarkPushDown`): the `SourceOperator` runs one watermark
//! generator per split (`ProgressiveTimestampsAndWatermarks`, per-split outputs of a
//! `WatermarkOutputMultiplexer`), and the source's watermark is the minimum over the splits that
//! are not idle (`CombinedWatermarkStatus`), never going back.
//!
//! - A split that has had no record yet has no watermark (`Long.MIN_VALUE`), so it holds the
//!   table's watermark back, however far the other partitions have got.
//! - A split turns idle after the idle timeout without records (`scan.watermark.idle-timeout`,
//!   else `table.exec.source.idle-timeout`: Flink applies either to the pushed-down strategy with
//!   `withIdleness`), counted from the split's last record, or from when the query first saw the
//!   clock for a split that never had one; it is active again at its next record.
//! - When every split is idle the source is idle (where inputs meet it then holds nothing back)
//!   and its watermark stays where it is; splits turning idle at one check count together.
//!
//! Rows are stamped as everywhere in the engine: each with the source's watermark in force
//! before it arrived.

use super::watermark::NO_WATERMARK;

#[derive(Clone, Copy, Debug)]
struct Split {
    watermark: i64,
    /// When the split last had a record (processing time), once the clock has been seen.
    last_record_ms: Option<i64>,
    idle: bool,
}

impl Default for Split {
    fn default() -> Self {
        Split { watermark: NO_WATERMARK, last_record_ms: None, idle: false }
    }
}

/// The watermarks of one source's splits and the watermark they combine into.
#[derive(Clone, Debug, Default)]
pub struct SplitWatermarks {
    splits: Vec<Split>,
    combined: i64,
    idle_timeout_ms: Option<i64>,
}

impl SplitWatermarks {
    pub fn new(splits: usize, idle_timeout_ms: Option<i64>) -> Self {
        SplitWatermarks {
            splits: vec![Split::default(); splits],
            combined: NO_WATERMARK,
            idle_timeout_ms: idle_timeout_ms.filter(|&t| t > 0),
        }
    }

    /// The source reads `count` splits now (a partition was added): new ones hold the
    /// watermark back until they have records or turn idle.
    pub fn set_split_count(&mut self, count: usize) {
        if count > self.splits.len() {
            self.splits.resize(count, Split::default());
        }
    }

    pub fn split_count(&self) -> usize {
        self.splits.len()
    }

    /// The source's watermark.
    pub fn current(&self) -> i64 {
        self.combined
    }

    /// Each split's own watermark and whether it is idle (for the timeline).
    pub fn splits(&self) -> impl Iterator<Item = (i64, bool)> + '_ {
        self.splits.iter().map(|s| (s.watermark, s.idle))
    }

    /// Whether every split is idle (the source then holds nothing back where inputs meet).
    pub fn all_idle(&self) -> bool {
        !self.splits.is_empty() && self.splits.iter().all(|s| s.idle)
    }

    /// A record of `split` whose watermark candidate is `candidate` (`None`: a NULL rowtime,
    /// which moves nothing) arrived at `now_ms`; returns the source's watermark before it.
    pub fn on_record(&mut self, split: u32, candidate: Option<i64>, now_ms: i64) -> i64 {
        let before = self.combined;
        let index = split as usize;
        if index >= self.splits.len() {
            self.splits.resize(index + 1, Split::default());
        }
        let s = &mut self.splits[index];
        s.idle = false;
        s.last_record_ms = Some(now_ms);
        if let Some(c) = candidate {
            s.watermark = s.watermark.max(c);
        }
        self.recombine();
        before
    }

    /// Marks splits without a record for the idle timeout as idle; true if one turned idle.
    ///
    /// Splits that turn idle at the same check count together, as Flink applies a periodic
    /// emit's idleness changes at once (deferred outputs of the multiplexer). One tie is broken
    /// Flink's way: a split that never had a record starts its inactivity at the first periodic
    /// check, one check before splits whose records were read at that moment, so it turns idle
    /// first and the others' watermarks count before they turn idle too.
    pub fn detect_idleness(&mut self, now_ms: i64) -> bool {
        let Some(timeout) = self.idle_timeout_ms else { return false };
        let mut changed = false;
        for never_had_a_record in [true, false] {
            let mut now_idle = false;
            for s in self.splits.iter_mut().filter(|s| !s.idle && (s.watermark == NO_WATERMARK) == never_had_a_record) {
                let since = *s.last_record_ms.get_or_insert(now_ms);
                if now_ms - since >= timeout {
                    s.idle = true;
                    now_idle = true;
                }
            }
            if now_idle {
                self.recombine();
                changed = true;
            }
        }
        changed
    }

    /// Forces the watermark (end of input).
    pub fn advance_to(&mut self, watermark: i64) {
        self.combined = self.combined.max(watermark);
    }

    fn recombine(&mut self) {
        if let Some(least) = self.splits.iter().filter(|s| !s.idle).map(|s| s.watermark).min() {
            self.combined = self.combined.max(least);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_least_active_split_sets_the_watermark_and_it_never_goes_back() {
        let mut w = SplitWatermarks::new(2, Some(1_000));
        assert_eq!(w.on_record(0, Some(50), 0), NO_WATERMARK);
        assert_eq!(w.current(), NO_WATERMARK, "split 1 has no record yet");
        w.on_record(1, Some(20), 0);
        assert_eq!(w.current(), 20);
        w.on_record(1, Some(70), 500);
        assert_eq!(w.current(), 50);
        assert!(w.detect_idleness(1_000), "split 0 had no record since 0");
        assert_eq!(w.current(), 70);
        w.on_record(0, Some(60), 1_100);
        assert_eq!(w.current(), 70, "an idle split waking up behind does not move it back");
        assert!(!w.all_idle());
        assert!(w.detect_idleness(5_000));
        assert!(w.all_idle());
        assert_eq!(w.current(), 70);
    }

    #[test]
    fn splits_idle_at_one_check_count_together_but_a_split_without_records_goes_first() {
        let mut w = SplitWatermarks::new(3, Some(1_000));
        w.on_record(0, Some(10), 0);
        w.on_record(1, Some(20), 0);
        w.detect_idleness(0);
        assert!(w.detect_idleness(1_000));
        assert!(w.all_idle());
        assert_eq!(w.current(), 10, "split 2 went first; 0 and 1 together: the least of them");
    }
}
