//! "Break it" scenarios: the ways a real producer goes wrong, one click each in the Streams
//! panel (or `SET 'sluice.generator.scenario' = 'late-burst'` in a note), so a class can watch
//! what each does to watermarks, windows and late data.
//!
//! A scenario starts at a moment of the session's clock and acts on the readings by their due
//! time, never on how time was cut into calls, so a run under one seed and one clock is the
//! same for everybody. The generator applies it ([`super::SensorGenerator::set_scenario`]);
//! only the idle shard needs the stream or topic, which the session knows
//! ([`Scenario::silences_shard`]).

use serde::{Deserialize, Serialize};

/// One way a producer goes wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scenario {
    /// The sensors whose partition keys map to the stream's first shard (a topic's partition 0)
    /// go quiet.
    IdleShard,
    /// For [`LATE_BURST_MS`], every reading is stamped [`LATE_BURST_BEHIND_MS`] in the past.
    LateBurst,
    /// One sensor ([`SLOW_CLOCK_SENSOR`]) stamps its readings [`SLOW_CLOCK_BEHIND_MS`] behind.
    ClockBehind,
    /// Every [`DUPLICATE_EVERY`]th reading is sent twice, as a producer retrying a put does.
    Duplicates,
    /// The producer sends nothing for [`PAUSE_MS`], then goes on (without filling the gap).
    PausedProducer,
}

/// How long a late burst lasts.
pub const LATE_BURST_MS: i64 = 5_000;
/// How far behind a late burst's readings are stamped: beyond the generator's late bound.
pub const LATE_BURST_BEHIND_MS: i64 = 15_000;
/// The sensor whose clock runs behind.
pub const SLOW_CLOCK_SENSOR: u32 = 42;
/// How far behind its clock runs.
pub const SLOW_CLOCK_BEHIND_MS: i64 = 30_000;
/// One reading in this many is sent twice.
pub const DUPLICATE_EVERY: u64 = 4;
/// How long a paused producer sends nothing.
pub const PAUSE_MS: i64 = 20_000;

impl Scenario {
    pub const ALL: [Scenario; 5] =
        [Scenario::IdleShard, Scenario::LateBurst, Scenario::ClockBehind, Scenario::Duplicates, Scenario::PausedProducer];

    /// The scenario's name in settings and the page (`idle-shard`, …).
    pub fn name(self) -> &'static str {
        match self {
            Scenario::IdleShard => "idle-shard",
            Scenario::LateBurst => "late-burst",
            Scenario::ClockBehind => "clock-behind",
            Scenario::Duplicates => "duplicates",
            Scenario::PausedProducer => "paused-producer",
        }
    }

    /// A button's label.
    pub fn label(self) -> &'static str {
        match self {
            Scenario::IdleShard => "Idle shard",
            Scenario::LateBurst => "Burst of late records",
            Scenario::ClockBehind => "Sensor clock behind",
            Scenario::Duplicates => "Duplicated records",
            Scenario::PausedProducer => "Paused producer",
        }
    }

    /// What it does, in a sentence.
    pub fn describe(self) -> String {
        match self {
            Scenario::IdleShard => "the sensors on shard 0 (a topic's partition 0) stop sending; the others go on".to_string(),
            Scenario::LateBurst => {
                format!("for {} s every reading is stamped {} s in the past", LATE_BURST_MS / 1000, LATE_BURST_BEHIND_MS / 1000)
            }
            Scenario::ClockBehind => {
                format!("sensor {SLOW_CLOCK_SENSOR}'s clock runs {} s behind the others", SLOW_CLOCK_BEHIND_MS / 1000)
            }
            Scenario::Duplicates => format!("one reading in {DUPLICATE_EVERY} is sent twice"),
            Scenario::PausedProducer => format!("the producer sends nothing for {} s, then goes on", PAUSE_MS / 1000),
        }
    }

    pub fn parse(name: &str) -> Option<Scenario> {
        let name = name.trim();
        Scenario::ALL.into_iter().find(|s| s.name().eq_ignore_ascii_case(name))
    }

    /// Whether a reading put on `shard` is silenced while the scenario runs.
    pub fn silences_shard(self, shard: usize) -> bool {
        self == Scenario::IdleShard && shard == 0
    }
}

/// A scenario and the moment (ms since the epoch, the session's clock) it started.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActiveScenario {
    pub scenario: Scenario,
    pub since_ms: i64,
}

impl ActiveScenario {
    /// Whether the reading due at `due_ms` is not sent (a paused producer).
    pub fn drops(&self, due_ms: i64) -> bool {
        self.scenario == Scenario::PausedProducer && (self.since_ms..self.since_ms + PAUSE_MS).contains(&due_ms)
    }

    /// How much earlier than due a reading of `sensor_id` due at `due_ms` is stamped.
    pub fn backdates_ms(&self, sensor_id: u32, due_ms: i64) -> i64 {
        match self.scenario {
            Scenario::LateBurst if (self.since_ms..self.since_ms + LATE_BURST_MS).contains(&due_ms) => LATE_BURST_BEHIND_MS,
            Scenario::ClockBehind if sensor_id == SLOW_CLOCK_SENSOR && due_ms >= self.since_ms => SLOW_CLOCK_BEHIND_MS,
            _ => 0,
        }
    }

    /// Whether the `n`th reading (counted from the generator's start) due at `due_ms` goes twice.
    pub fn duplicates(&self, n: u64, due_ms: i64) -> bool {
        self.scenario == Scenario::Duplicates && due_ms >= self.since_ms && n.is_multiple_of(DUPLICATE_EVERY)
    }

    /// Whether the scenario has run its course (a burst or a pause that is over).
    pub fn is_over(&self, now_ms: i64) -> bool {
        match self.scenario {
            Scenario::LateBurst => now_ms >= self.since_ms + LATE_BURST_MS,
            Scenario::PausedProducer => now_ms >= self.since_ms + PAUSE_MS,
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_back() {
        for s in Scenario::ALL {
            assert_eq!(Scenario::parse(s.name()), Some(s));
        }
        assert_eq!(Scenario::parse("nope"), None);
    }
}
