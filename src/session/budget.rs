//! How long one [`Session::advance`](super::Session::advance) may hold its caller: the page's
//! frame, or the runner's loop. The session stops stepping jobs when the budget is spent and
//! goes on next time from where it stopped, and it times each step against the budget's clock to
//! size the next one (see `jobs.rs`). No web types: the caller brings the clock (the page its
//! `performance.now()`, natively an `Instant`).

/// A time budget for one call into the session.
pub trait Budget {
    /// Real time in ms on any monotonic clock; only differences between two readings count.
    fn real_ms(&mut self) -> f64;
    /// Whether the time allowed is spent: the session then gives its caller the time back.
    fn spent(&mut self) -> bool;
}

/// No limit: steps are as large and as many as the session allows (tests, batch runs).
#[derive(Clone, Copy, Debug, Default)]
pub struct Unlimited;

impl Budget for Unlimited {
    fn real_ms(&mut self) -> f64 {
        0.0
    }
    fn spent(&mut self) -> bool {
        false
    }
}

/// Spent once `clock` reads `allowed_ms` past the moment the deadline was made.
pub struct Deadline<C: FnMut() -> f64> {
    clock: C,
    until_ms: f64,
}

impl<C: FnMut() -> f64> Deadline<C> {
    pub fn new(mut clock: C, allowed_ms: f64) -> Self {
        let until_ms = clock() + allowed_ms;
        Deadline { clock, until_ms }
    }
}

impl<C: FnMut() -> f64> Budget for Deadline<C> {
    fn real_ms(&mut self) -> f64 {
        (self.clock)()
    }
    fn spent(&mut self) -> bool {
        (self.clock)() >= self.until_ms
    }
}

/// A budget without a clock, spent whenever `F` says so: for tests, and for callers that count
/// something other than time. Steps are not timed, so their size only grows.
pub struct SpentWhen<F: FnMut() -> bool>(pub F);

impl<F: FnMut() -> bool> Budget for SpentWhen<F> {
    fn real_ms(&mut self) -> f64 {
        0.0
    }
    fn spent(&mut self) -> bool {
        (self.0)()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deadline_is_spent_when_its_clock_passes_it() {
        let mut now = 100.0;
        let mut deadline = Deadline::new(
            || {
                now += 15.0;
                now
            },
            25.0,
        );
        assert!(!deadline.spent(), "15 ms of 25");
        assert!(deadline.spent(), "30 ms of 25");
        assert!(!Unlimited.spent());
    }
}
