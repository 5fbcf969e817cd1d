//! The virtual clock: one time for the whole session, so generators and every running query
//! move together and a class can pause, step and speed up what it watches.
//!
//! The page's timer hands [`VirtualClock::tick`] the real time; the clock moves the session's
//! time on by the real time elapsed × its speed (or, at [`Speed::Fastest`], as far as the tick's
//! time allows). Paused, only the steps move it: to the next record, one second of event time on,
//! or to the next window firing. Whichever way time moves, it moves through
//! [`Session::advance`] in pieces of at most [`MAX_ADVANCE_MS`], and the engine's results do not
//! depend on how time was cut (records carry the watermark in force when they arrived), so the
//! same seed and the same steps give the same results as an unpaused run.

use super::{Budget, Session, Unlimited};

/// How fast virtual time runs against real time.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Speed {
    /// Virtual ms per real ms, within [`MIN_SPEED`] … [`MAX_SPEED`].
    Times(f64),
    /// As far as each tick's time budget allows.
    Fastest,
}

pub const MIN_SPEED: f64 = 0.1;
pub const MAX_SPEED: f64 = 100.0;
/// The speeds the top bar offers (besides "as fast as possible").
pub const SPEEDS: [f64; 9] = [0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 25.0, 100.0];

/// The most virtual time one [`Session::advance`] covers: a generator that falls further behind
/// than its catch-up limit skips ahead, which would make results depend on the tick sizes.
pub const MAX_ADVANCE_MS: i64 = 1_000;
/// A longer real gap between ticks (a sleeping tab) counts as this much: virtual time runs
/// only while the page does.
const MAX_REAL_GAP_MS: f64 = 1_000.0;
/// A step "to the next window firing" gives up after this much virtual time.
const MAX_STEP_TO_FIRING_MS: i64 = 3_600_000;

/// What one press of a step button moves the clock by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Step {
    /// To the moment the next generated record is due.
    Record,
    /// One second of event time.
    Second,
    /// Until a running query fires its next pending window.
    WindowFiring,
}

#[derive(Clone, Debug)]
pub struct VirtualClock {
    now_ms: i64,
    paused: bool,
    speed: Speed,
    /// The real time of the last tick; `None` right after a start or a resume.
    last_real_ms: Option<f64>,
    /// Virtual time earned but not yet advanced (below 1 ms at slow speeds).
    owed_ms: f64,
}

impl VirtualClock {
    /// A running clock at 1× starting at `start_ms` (ms since the epoch, local time).
    pub fn new(start_ms: i64) -> Self {
        VirtualClock { now_ms: start_ms, paused: false, speed: Speed::Times(1.0), last_real_ms: None, owed_ms: 0.0 }
    }

    /// Sets the session to the clock's time, so generators start counting from it whether the
    /// clock runs or waits paused for the first step.
    pub fn start(&self, session: &mut Session) {
        session.advance(self.now_ms);
    }

    pub fn now_ms(&self) -> i64 {
        self.now_ms
    }

    pub fn is_paused(&self) -> bool {
        self.paused
    }

    pub fn pause(&mut self) {
        self.paused = true;
        self.owed_ms = 0.0;
    }

    /// Runs on from where it was paused; the real time spent paused does not count.
    pub fn resume(&mut self) {
        self.paused = false;
        self.last_real_ms = None;
    }

    pub fn speed(&self) -> Speed {
        self.speed
    }

    /// Sets the speed; a multiple is clamped to 0.1× … 100× (anything not a number is 1×).
    pub fn set_speed(&mut self, speed: Speed) {
        self.speed = match speed {
            Speed::Times(x) if x.is_finite() => Speed::Times(x.clamp(MIN_SPEED, MAX_SPEED)),
            Speed::Times(_) => Speed::Times(1.0),
            Speed::Fastest => Speed::Fastest,
        };
    }

    /// The page's timer fired at `real_now_ms` (any monotonic ms): moves the session on by the
    /// real time since the last tick × the speed. At [`Speed::Fastest`] it moves on a second at
    /// a time until `budget` is spent (it is asked after each second, so every tick makes
    /// progress). The jobs' steps stop when the budget is spent too, and go on in the next tick.
    pub fn tick(&mut self, session: &mut Session, real_now_ms: f64, budget: &mut dyn Budget) {
        let gap = self.last_real_ms.map_or(0.0, |last| (real_now_ms - last).clamp(0.0, MAX_REAL_GAP_MS));
        self.last_real_ms = Some(real_now_ms);
        if self.paused {
            return;
        }
        match self.speed {
            Speed::Times(x) => {
                self.owed_ms += gap * x;
                let whole = self.owed_ms.floor();
                self.owed_ms -= whole;
                if whole >= 1.0 {
                    self.advance_to(session, self.now_ms + whole as i64, budget);
                }
            }
            Speed::Fastest => loop {
                self.advance_to(session, self.now_ms + MAX_ADVANCE_MS, budget);
                if budget.spent() {
                    break;
                }
            },
        }
    }

    /// Moves the clock by one step (paused or not). An error says why it could not, and the
    /// clock is then where it was (a window step may have moved it as far as it looked).
    pub fn step(&mut self, session: &mut Session, step: Step) -> Result<(), String> {
        match step {
            Step::Record => {
                let due = session
                    .next_record_due_ms()
                    .ok_or("no generator is running, so there is no next record: start one in the Streams panel")?;
                self.advance_to(session, due, &mut Unlimited);
            }
            Step::Second => self.advance_to(session, self.now_ms + 1_000, &mut Unlimited),
            Step::WindowFiring => {
                if session.next_window_firing().is_none() && session.next_record_due_ms().is_some() {
                    // A query started while paused has seen no record yet: the next one opens its window.
                    self.step(session, Step::Record)?;
                }
                let target = session.next_window_firing().ok_or("no window is waiting to fire: run a windowed query first")?;
                let give_up = self.now_ms + MAX_STEP_TO_FIRING_MS;
                // Record by record when a generator feeds the queries, so the clock stops right
                // after the record whose watermark fired the window; else a second at a time.
                while session.next_window_firing().is_some_and(|t| t <= target) {
                    if self.now_ms >= give_up {
                        return Err("no window fired within an hour of event time: is anything feeding the query?".into());
                    }
                    match session.next_record_due_ms() {
                        Some(due) => self.advance_to(session, due, &mut Unlimited),
                        None => self.advance_to(session, self.now_ms + 1_000, &mut Unlimited),
                    }
                }
            }
        }
        Ok(())
    }

    /// Advances the session to `target_ms` in pieces of at most [`MAX_ADVANCE_MS`]; a target
    /// at or before now still advances once, so what is due now happens.
    fn advance_to(&mut self, session: &mut Session, target_ms: i64, budget: &mut dyn Budget) {
        if target_ms <= self.now_ms {
            session.advance_within(self.now_ms, budget);
            return;
        }
        while self.now_ms < target_ms {
            self.now_ms = (self.now_ms + MAX_ADVANCE_MS).min(target_ms);
            session.advance_within(self.now_ms, budget);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_at_its_speed_and_not_while_paused() {
        let mut session = Session::new();
        let mut clock = VirtualClock::new(1_000_000);
        clock.start(&mut session);
        let mut never = Unlimited;
        clock.tick(&mut session, 50.0, &mut never);
        assert_eq!(clock.now_ms(), 1_000_000, "the first tick only notes the real time");
        clock.tick(&mut session, 150.0, &mut never);
        assert_eq!(clock.now_ms(), 1_000_100);
        clock.set_speed(Speed::Times(0.1));
        for t in 1..=25 {
            clock.tick(&mut session, 150.0 + t as f64 * 4.0, &mut never);
        }
        assert_eq!(clock.now_ms(), 1_000_110, "fractions of a ms add up");
        clock.pause();
        clock.tick(&mut session, 10_000.0, &mut never);
        assert_eq!(clock.now_ms(), 1_000_110);
        clock.resume();
        clock.set_speed(Speed::Times(1.0));
        clock.tick(&mut session, 20_000.0, &mut never);
        clock.tick(&mut session, 20_040.0, &mut never);
        assert_eq!(clock.now_ms(), 1_000_150, "the paused time does not count");
        assert_eq!(session.now_ms(), clock.now_ms());
    }

    #[test]
    fn speeds_are_clamped_and_a_sleeping_tab_does_not_jump() {
        let mut clock = VirtualClock::new(0);
        clock.set_speed(Speed::Times(1_000.0));
        assert_eq!(clock.speed(), Speed::Times(MAX_SPEED));
        clock.set_speed(Speed::Times(f64::NAN));
        assert_eq!(clock.speed(), Speed::Times(1.0));
        let mut session = Session::new();
        let mut never = Unlimited;
        clock.tick(&mut session, 0.0, &mut never);
        clock.tick(&mut session, 3_600_000.0, &mut never);
        assert_eq!(clock.now_ms(), 1_000);
    }

    #[test]
    fn fastest_runs_until_the_budget_is_spent() {
        let mut session = Session::new();
        let mut clock = VirtualClock::new(0);
        clock.set_speed(Speed::Fastest);
        let mut seconds = 0;
        clock.tick(
            &mut session,
            0.0,
            &mut crate::session::SpentWhen(|| {
                seconds += 1;
                seconds == 30
            }),
        );
        assert_eq!(clock.now_ms(), 30_000);
    }

    #[test]
    fn a_record_step_ends_where_the_next_record_is_due() {
        let mut session = Session::new();
        let mut clock = VirtualClock::new(10_000);
        clock.pause();
        clock.start(&mut session);
        let before = session.streams()[0].records;
        clock.step(&mut session, Step::Record).unwrap();
        assert_eq!(clock.now_ms(), 10_050, "the generator makes 20 records a second");
        assert_eq!(session.streams()[0].records, before + 1);
    }

    #[test]
    fn steps_say_why_they_cannot_move() {
        let mut session = Session::empty();
        let mut clock = VirtualClock::new(0);
        assert!(clock.step(&mut session, Step::Record).unwrap_err().contains("no generator is running"));
        assert!(clock.step(&mut session, Step::WindowFiring).unwrap_err().contains("no window is waiting"));
        clock.step(&mut session, Step::Second).unwrap();
        assert_eq!(clock.now_ms(), 1_000);
    }
}
