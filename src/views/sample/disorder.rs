//! How out of order a sample's event times are, and the watermark delay that would have kept
//! nearly all of it: a record's *lateness* is how far its time is behind the largest time
//! before it (what a `WATERMARK FOR t AS t - INTERVAL 'n' SECOND` must wait for it to count);
//! the delay is the 99.9th percentile of lateness (nearest rank), rounded up to whole seconds.

/// The percentile of lateness the delay covers, in tenths of a percent.
const COVERED_PER_MILLE: usize = 999;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Disorder {
    /// Records with a time.
    pub records: usize,
    /// Records behind the largest time before them.
    pub out_of_order: usize,
    /// The 99.9th percentile of lateness and the largest, in ms.
    pub p999_ms: i64,
    pub max_ms: i64,
    pub delay_seconds: i64,
    /// Records of the sample that the proposed delay would still drop as late.
    pub late: usize,
}

impl Disorder {
    /// From event times (ms) in the order the records arrived.
    pub fn of(times: &[i64]) -> Disorder {
        let mut largest = i64::MIN;
        let mut lateness: Vec<i64> = Vec::with_capacity(times.len());
        for &t in times {
            lateness.push(if largest > t { largest.saturating_sub(t) } else { 0 });
            largest = largest.max(t);
        }
        let out_of_order = lateness.iter().filter(|&&l| l > 0).count();
        let mut sorted = lateness.clone();
        sorted.sort_unstable();
        let p999_ms = match sorted.len() {
            0 => 0,
            n => sorted[(n * COVERED_PER_MILLE).div_ceil(1000).clamp(1, n) - 1],
        };
        let max_ms = sorted.last().copied().unwrap_or(0);
        let delay_seconds = p999_ms.saturating_add(999) / 1000;
        let late = lateness.iter().filter(|&&l| l > delay_seconds.saturating_mul(1000)).count();
        Disorder { records: times.len(), out_of_order, p999_ms, max_ms, delay_seconds, late }
    }

    /// One line for the DDL's comment.
    pub fn explain(&self) -> String {
        if self.out_of_order == 0 {
            return format!(
                "the {} sampled times arrived in order, so 0 s loses none of them; raise it if windows drop late records.",
                self.records
            );
        }
        format!(
            "{} of {} records arrived behind a later time (at most {}); the 99.9th percentile of that lateness is {}, \
             rounded up to {} s{}.",
            self.out_of_order,
            self.records,
            seconds(self.max_ms),
            seconds(self.p999_ms),
            self.delay_seconds,
            match self.late {
                0 => ": no sampled record would be late".to_string(),
                1 => ": 1 sampled record would still be late".to_string(),
                n => format!(": {n} sampled records would still be late"),
            }
        )
    }
}

fn seconds(ms: i64) -> String {
    format!("{}.{:03} s", ms / 1000, ms % 1000).replace(".000 s", " s")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delay_is_the_999th_permille_of_lateness_rounded_up() {
        // 1,000 times in order but for two: one 2.4 s behind, one 11.2 s behind.
        let mut times: Vec<i64> = (0..1000).map(|i| 100_000 + i * 100).collect();
        times[500] -= 2_400 + 100;
        times[800] -= 11_200 + 100;
        let d = Disorder::of(&times);
        assert_eq!((d.out_of_order, d.max_ms), (2, 11_200));
        // Nearest rank 999 of 1,000: the 2.4 s one; the 11.2 s one is the 0.1 % left out.
        assert_eq!((d.p999_ms, d.delay_seconds, d.late), (2_400, 3, 1));
        assert!(d.explain().contains("rounded up to 3 s: 1 sampled record would still be late"), "{}", d.explain());
    }

    #[test]
    fn in_order_times_need_no_delay() {
        let d = Disorder::of(&[1000, 2000, 2000, 3000]);
        assert_eq!((d.delay_seconds, d.late, d.out_of_order), (0, 0, 0));
        assert_eq!(Disorder::of(&[]).delay_seconds, 0);
    }
}
