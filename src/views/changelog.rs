//! A query's changelog as it arrives — `+I`, `-U`, `+U`, `-D` — capped to the newest entries,
//! with counts of every kind since the query started (the counts are never capped).

use std::collections::VecDeque;

use crate::session::Change;
use crate::types::RowKind;

#[derive(Clone, Debug)]
pub struct Changelog {
    entries: VecDeque<Change>,
    cap: usize,
    /// Changes by kind: +I, -U, +U, -D.
    counts: [u64; 4],
}

fn slot(kind: RowKind) -> usize {
    match kind {
        RowKind::Insert => 0,
        RowKind::UpdateBefore => 1,
        RowKind::UpdateAfter => 2,
        RowKind::Delete => 3,
    }
}

impl Changelog {
    pub fn new(cap: usize) -> Self {
        Changelog { entries: VecDeque::new(), cap: cap.max(1), counts: [0; 4] }
    }

    pub fn apply(&mut self, changes: &[Change]) {
        // Only the newest `cap` of a large batch can stay: skip the rest without cloning them.
        let skip = changes.len().saturating_sub(self.cap);
        for change in changes {
            self.counts[slot(change.kind)] += 1;
        }
        for change in &changes[skip..] {
            if self.entries.len() == self.cap {
                self.entries.pop_front();
            }
            self.entries.push_back(change.clone());
        }
    }

    /// The kept entries, oldest first.
    pub fn entries(&self) -> impl DoubleEndedIterator<Item = &Change> + ExactSizeIterator {
        self.entries.iter()
    }

    pub fn count(&self, kind: RowKind) -> u64 {
        self.counts[slot(kind)]
    }

    /// Every change since the query started.
    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// Changes no longer kept.
    pub fn dropped(&self) -> u64 {
        self.total() - self.entries.len() as u64
    }

    pub fn cap(&self) -> usize {
        self.cap
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::Value;

    fn change(kind: RowKind, n: i64) -> Change {
        Change { kind, row: vec![Value::Int(n)] }
    }

    #[test]
    fn keeps_the_newest_changes_and_counts_them_all() {
        let mut log = Changelog::new(3);
        log.apply(&[change(RowKind::Insert, 1), change(RowKind::UpdateBefore, 1), change(RowKind::UpdateAfter, 2)]);
        log.apply(&[change(RowKind::Delete, 2), change(RowKind::Insert, 3)]);
        let kept: Vec<_> = log.entries().map(|c| (c.kind.short(), c.row[0].to_string())).collect();
        assert_eq!(kept, [("+U", "2".to_string()), ("-D", "2".into()), ("+I", "3".into())]);
        assert_eq!(
            (log.count(RowKind::Insert), log.count(RowKind::UpdateBefore), log.count(RowKind::UpdateAfter), log.count(RowKind::Delete)),
            (2, 1, 1, 1)
        );
        assert_eq!((log.total(), log.dropped()), (5, 2));
        let mut big = Changelog::new(2);
        big.apply(&(0..10).map(|n| change(RowKind::Insert, n)).collect::<Vec<_>>());
        assert_eq!(big.entries().map(|c| c.row[0].to_string()).collect::<Vec<_>>(), ["8", "9"]);
        assert_eq!(big.total(), 10);
    }
}
