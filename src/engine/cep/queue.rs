//! `java.util.PriorityQueue` as Flink's NFA uses it for partial and completed matches: a
//! binary heap whose ties are broken by the heap's shape, not by arrival. Which of two matches
//! that start at the same row is emitted first (and so which one the skip strategy keeps)
//! depends on that shape, so it is reproduced exactly: `offer` sifts up, `poll` moves the last
//! element to the root and sifts it down, iteration walks the array, and removing several
//! elements compacts the array in order and re-heapifies (`bulkRemove` then `heapify`).

use std::cmp::Ordering;

pub struct JavaPriorityQueue<T> {
    queue: Vec<T>,
}

impl<T> Default for JavaPriorityQueue<T> {
    fn default() -> Self {
        JavaPriorityQueue { queue: Vec::new() }
    }
}

/// What the heap orders by: Flink's `COMPUTATION_STATE_COMPARATOR` (the start event's id).
pub trait HeapKey {
    fn key(&self) -> u64;
}

fn cmp<T: HeapKey>(a: &T, b: &T) -> Ordering {
    a.key().cmp(&b.key())
}

impl<T: HeapKey> JavaPriorityQueue<T> {
    pub fn len(&self) -> usize {
        self.queue.len()
    }

    pub fn is_empty(&self) -> bool {
        self.queue.is_empty()
    }

    pub fn peek(&self) -> Option<&T> {
        self.queue.first()
    }

    /// The elements in the heap's array order (Java's iterator).
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.queue.iter()
    }

    pub fn offer(&mut self, x: T) {
        self.queue.push(x);
        let mut k = self.queue.len() - 1;
        while k > 0 {
            let parent = (k - 1) >> 1;
            if cmp(&self.queue[k], &self.queue[parent]) != Ordering::Less {
                break;
            }
            self.queue.swap(k, parent);
            k = parent;
        }
    }

    pub fn poll(&mut self) -> Option<T> {
        let last = self.queue.pop()?;
        if self.queue.is_empty() {
            return Some(last);
        }
        let result = std::mem::replace(&mut self.queue[0], last);
        self.sift_down(0);
        Some(result)
    }

    /// Java's `siftDownUsingComparator` from `k`.
    fn sift_down(&mut self, mut k: usize) {
        let n = self.queue.len();
        let half = n >> 1;
        while k < half {
            let mut child = (k << 1) + 1;
            let right = child + 1;
            if right < n && cmp(&self.queue[child], &self.queue[right]) == Ordering::Greater {
                child = right;
            }
            if cmp(&self.queue[k], &self.queue[child]) != Ordering::Greater {
                break;
            }
            self.queue.swap(k, child);
            k = child;
        }
    }

    /// Removes every element `remove` says to (Java's `removeIf`/`removeAll`): when any is
    /// removed, the rest keep their array order and the heap is rebuilt.
    pub fn remove_where(&mut self, mut remove: impl FnMut(&T) -> bool) -> Vec<T> {
        if !self.queue.iter().any(&mut remove) {
            return Vec::new();
        }
        let (removed, kept): (Vec<T>, Vec<T>) = std::mem::take(&mut self.queue).into_iter().partition(|x| remove(x));
        self.queue = kept;
        let n = self.queue.len();
        for i in (0..n >> 1).rev() {
            self.sift_down(i);
        }
        removed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    impl HeapKey for (u64, char) {
        fn key(&self) -> u64 {
            self.0
        }
    }

    /// Java: `new PriorityQueue<>(comparing(e -> e.key))`, offer (1,a) (1,b) (0,c) (1,d),
    /// polls c, then d, then a, then b (ties go by the heap's shape).
    #[test]
    fn ties_come_out_in_java_heap_order() {
        let mut q = JavaPriorityQueue::default();
        for x in [(1, 'a'), (1, 'b'), (0, 'c'), (1, 'd')] {
            q.offer(x);
        }
        let order: Vec<char> = std::iter::from_fn(|| q.poll()).map(|x| x.1).collect();
        assert_eq!(order, ['c', 'd', 'a', 'b']);
    }
}
