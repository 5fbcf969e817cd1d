//! Slices of tumbling, hopping and cumulating windows: which slice a timestamp falls in, which
//! windows a slice belongs to, and which slices make up a window. Windows are aligned to the
//! epoch (plus the optional offset), as in Flink.

use crate::plan::logical::WindowSpec;

#[derive(Clone, Copy, Debug)]
pub struct SliceAssigner {
    spec: WindowSpec,
}

impl SliceAssigner {
    /// Session windows are not sliced; the caller routes them elsewhere.
    pub fn new(spec: WindowSpec) -> Option<Self> {
        match spec {
            WindowSpec::Session { .. } => None,
            _ => Some(SliceAssigner { spec }),
        }
    }

    fn slice_size(&self) -> i64 {
        match self.spec {
            WindowSpec::Tumble { size, .. } => size,
            WindowSpec::Hop { slide, .. } => slide,
            WindowSpec::Cumulate { step, .. } => step,
            WindowSpec::Session { gap } => gap,
        }
    }

    fn offset(&self) -> i64 {
        match self.spec {
            WindowSpec::Tumble { offset, .. } | WindowSpec::Hop { offset, .. } | WindowSpec::Cumulate { offset, .. } => offset,
            WindowSpec::Session { .. } => 0,
        }
    }

    /// The end (exclusive) of the slice holding `ts`.
    pub fn slice_end(&self, ts: i64) -> i64 {
        let size = self.slice_size();
        let offset = self.offset();
        (ts - offset).div_euclid(size).saturating_mul(size).saturating_add(offset).saturating_add(size)
    }

    /// Whether `ts` falls in the slice ending at `slice_end` (a slice end this assigner gave):
    /// what `slice_end(ts) == slice_end` says, without a division away from the ends of time.
    #[inline]
    pub fn in_slice(&self, ts: i64, slice_end: i64) -> bool {
        let size = self.slice_size();
        match slice_end.checked_sub(size) {
            Some(start) if slice_end < i64::MAX - size => start <= ts && ts < slice_end,
            _ => self.slice_end(ts) == slice_end,
        }
    }

    /// The ends of every window the slice ending at `slice_end` belongs to, ascending.
    pub fn window_ends(&self, slice_end: i64) -> impl Iterator<Item = i64> {
        let (step, last) = match self.spec {
            WindowSpec::Hop { slide, size, .. } => (slide, slice_end + size - slide),
            WindowSpec::Cumulate { step, .. } => (step, self.last_window_end(slice_end)),
            _ => (1, slice_end),
        };
        (0..).map(move |k| slice_end + k * step).take_while(move |e| *e <= last)
    }

    /// The end of the last window containing the slice: once that window has fired, a record
    /// for the slice is late for every window.
    pub fn last_window_end(&self, slice_end: i64) -> i64 {
        match self.spec {
            WindowSpec::Hop { slide, size, .. } => slice_end + size - slide,
            WindowSpec::Cumulate { step, max_size, offset } => {
                (slice_end - step - offset).div_euclid(max_size) * max_size + offset + max_size
            }
            _ => slice_end,
        }
    }

    pub fn window_start(&self, window_end: i64) -> i64 {
        match self.spec {
            WindowSpec::Tumble { size, .. } => window_end - size,
            WindowSpec::Hop { size, .. } => window_end - size,
            WindowSpec::Cumulate { step, max_size, offset } => (window_end - step - offset).div_euclid(max_size) * max_size + offset,
            WindowSpec::Session { .. } => window_end,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hop_slices_belong_to_size_over_slide_windows() {
        let a = SliceAssigner::new(WindowSpec::Hop { slide: 10_000, size: 60_000, offset: 0 }).unwrap();
        assert_eq!(a.slice_end(15_486), 20_000);
        assert_eq!(a.window_ends(20_000).collect::<Vec<_>>(), vec![20_000, 30_000, 40_000, 50_000, 60_000, 70_000]);
        assert_eq!(a.window_start(70_000), 10_000);
        assert_eq!(a.slice_end(-1), 0);
        for ts in [-10_001, -10_000, -1, 0, 9_999, 10_000, 15_486, 19_999, 20_000] {
            for end in [-10_000, 0, 10_000, 20_000, 30_000] {
                assert_eq!(a.in_slice(ts, end), a.slice_end(ts) == end, "{ts} in the slice ending {end}");
            }
        }
    }

    #[test]
    fn cumulate_windows_grow_within_their_period() {
        let a = SliceAssigner::new(WindowSpec::Cumulate { step: 10_000, max_size: 60_000, offset: 0 }).unwrap();
        assert_eq!(a.window_ends(20_000).collect::<Vec<_>>(), vec![20_000, 30_000, 40_000, 50_000, 60_000]);
        assert_eq!(a.last_window_end(60_000), 60_000);
        assert_eq!(a.window_ends(70_000).next(), Some(70_000));
        assert_eq!(a.window_start(50_000), 0);
        assert_eq!(a.window_start(70_000), 60_000);
    }
}
