//! When the worker's session ticks and when it publishes. A tick moves the clock on within a
//! budget; one that spent its whole budget means the session is behind ("as fast as possible",
//! a big file), and the next tick comes at once (after the requests already queued) rather than
//! on the next beat of the 40 ms timer. Publications stay at most one per beat either way, so
//! ticking back to back does not flood the page.

/// The timer's beat, as the page's engine tick was: ticks when the session keeps up, and
/// publications always.
pub const TICK_MS: f64 = 40.0;
/// The most one tick may spend moving on: requests that arrive meanwhile wait at most this long.
pub const BUDGET_MS: f64 = 32.0;
/// The least a back-to-back tick is given, so every tick makes progress.
const MIN_BUDGET_MS: f64 = 4.0;

/// When the next tick should run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Next {
    /// As soon as the requests already queued are answered (the session is behind).
    AtOnce,
    /// After this many milliseconds (the session keeps up): the rest of the beat.
    After(f64),
}

/// The worker's pacing: what the last tick did decides the next tick's budget and time, and
/// whether its end is published.
#[derive(Debug, Default)]
pub struct Pacer {
    /// Real ms of the last publication after a tick (`None` before the first).
    published_ms: Option<f64>,
    /// The last tick spent its whole budget.
    behind: bool,
    /// The next tick was brought forward (a decoded chunk a read waited for came back).
    woken: bool,
}

impl Pacer {
    pub fn new() -> Self {
        Pacer::default()
    }

    /// The budget of a tick starting at `now_ms`: the whole budget on the timer's beat; back to
    /// back, what is left until the next publication is due (so the tick ends when one is), but
    /// at least [`MIN_BUDGET_MS`] and at most [`BUDGET_MS`].
    pub fn budget_ms(&self, now_ms: f64) -> f64 {
        match (self.behind, self.published_ms) {
            (true, Some(at)) => (at + TICK_MS - now_ms).clamp(MIN_BUDGET_MS, BUDGET_MS),
            _ => BUDGET_MS,
        }
    }

    /// The next tick runs before its beat, woken by something it waited for: it publishes only
    /// if a beat has passed since the last publication, as a tick that is behind does, so
    /// wake-ups (one per decoded chunk a read waits for) never flood the page.
    pub fn wake(&mut self) {
        self.woken = true;
    }

    /// A tick that started at `started_ms` ended at `now_ms`, having spent its whole budget or
    /// not. Returns whether to publish now, and when the next tick runs.
    pub fn ticked(&mut self, started_ms: f64, now_ms: f64, spent: bool) -> (bool, Next) {
        self.behind = spent;
        let woken = std::mem::take(&mut self.woken);
        // Keeping up, every tick publishes (they are a beat apart); behind or woken early, one a beat.
        let publish = (!spent && !woken) || self.published_ms.is_none_or(|at| now_ms - at >= TICK_MS);
        if publish {
            self.published_ms = Some(now_ms);
        }
        let next = if spent { Next::AtOnce } else { Next::After((started_ms + TICK_MS - now_ms).max(0.0)) };
        (publish, next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ticks as the worker does, each spending `spent_by(budget)` ms and reporting whether it
    /// spent it all; returns (tick start, budget, published) for each tick.
    fn run(ticks: usize, spent_by: impl Fn(f64) -> f64) -> Vec<(f64, f64, bool)> {
        let mut pacer = Pacer::new();
        let mut now = 1000.0;
        let mut out = Vec::new();
        for _ in 0..ticks {
            let budget = pacer.budget_ms(now);
            let took = spent_by(budget);
            let started = now;
            now += took;
            let (publish, next) = pacer.ticked(started, now, took >= budget);
            out.push((started, budget, publish));
            now += match next {
                // The queue's own turn: a request or two.
                Next::AtOnce => 0.5,
                Next::After(ms) => ms,
            };
        }
        out
    }

    #[test]
    fn keeping_up_ticks_on_the_beat_and_publishes_every_tick() {
        let ticks = run(6, |_| 5.0);
        for pair in ticks.windows(2) {
            assert_eq!(pair[1].0 - pair[0].0, TICK_MS);
        }
        assert!(ticks.iter().all(|&(_, budget, published)| budget == BUDGET_MS && published));
    }

    #[test]
    fn behind_ticks_back_to_back_and_publishes_once_a_beat() {
        // Every tick spends its whole budget (and a little more, as a real one does).
        let ticks = run(40, |budget| budget + 0.1);
        let span = ticks.last().map_or(0.0, |t| t.0 + t.1 + 0.1) - ticks[0].0;
        let ticking: f64 = ticks.iter().map(|t| t.1 + 0.1).sum();
        // The old 40 ms timer gave the clock 32 ms of each beat; back to back it gets all but
        // the queue's turns.
        assert!(ticking / span > 0.95, "{ticking} of {span} ms: {ticks:?}");
        // Publications a beat apart, never closer, and every budget within its bounds.
        let published: Vec<f64> = ticks.iter().filter(|t| t.2).map(|t| t.0 + t.1 + 0.1).collect();
        assert!(published.len() >= 15, "{published:?}");
        assert!(published.windows(2).all(|p| p[1] - p[0] >= TICK_MS && p[1] - p[0] < TICK_MS + 5.0), "{published:?}");
        assert!(ticks.iter().all(|t| (MIN_BUDGET_MS..=BUDGET_MS).contains(&t.1)));
    }

    #[test]
    fn woken_ticks_publish_once_a_beat_and_keep_the_beat() {
        let mut pacer = Pacer::new();
        assert_eq!(pacer.ticked(0.0, 5.0, false), (true, Next::After(35.0)));
        // Woken three times before the next beat (chunks back): no publication until a beat passed.
        for (start, end) in [(10.0, 12.0), (20.0, 22.0), (30.0, 33.0)] {
            pacer.wake();
            assert_eq!(pacer.ticked(start, end, false), (false, Next::After(start + TICK_MS - end)));
        }
        pacer.wake();
        assert_eq!(pacer.ticked(44.0, 46.0, false), (true, Next::After(38.0)));
        // A tick on the beat publishes as before.
        assert_eq!(pacer.ticked(84.0, 86.0, false), (true, Next::After(38.0)));
    }

    #[test]
    fn catching_up_publishes_at_once_and_goes_back_to_the_beat() {
        let mut pacer = Pacer::new();
        assert_eq!(pacer.ticked(0.0, 32.0, true), (true, Next::AtOnce));
        // Back to back: the whole budget while a publication is more than that away...
        assert_eq!(pacer.budget_ms(33.0), BUDGET_MS);
        assert_eq!(pacer.ticked(33.0, 65.0, true), (false, Next::AtOnce));
        // ...then what is left until one is due, and that tick publishes.
        assert_eq!(pacer.budget_ms(66.0), 6.0);
        assert_eq!(pacer.ticked(66.0, 72.1, true), (true, Next::AtOnce));
        // Caught up part way: publish what it reached, then wait the rest of a beat.
        assert_eq!(pacer.ticked(73.0, 80.0, false), (true, Next::After(33.0)));
        assert_eq!(pacer.budget_ms(113.0), BUDGET_MS);
    }
}
