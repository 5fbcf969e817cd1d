//! Waits between failed calls to a broker, natively (`mirror.rs`) and through `sluice proxy`
//! (`proxy_reader.rs`, `proxy_writer.rs`): Kafka's `reconnect.backoff.ms`, doubling up to
//! `reconnect.backoff.max.ms`, back to the start after a success.

use std::time::Duration;

/// Kafka's client defaults for `reconnect.backoff.ms` and `reconnect.backoff.max.ms`.
pub const DEFAULT_BASE: Duration = Duration::from_millis(50);
pub const DEFAULT_MAX: Duration = Duration::from_millis(1000);

#[derive(Clone, Debug)]
pub struct Backoff {
    attempt: u32,
    base: Duration,
    max: Duration,
}

impl Backoff {
    pub fn new(base: Duration, max: Duration) -> Self {
        Backoff { attempt: 0, base, max }
    }

    /// The wait before the next attempt after a failure.
    pub fn failed(&mut self) -> Duration {
        let d = self.base.saturating_mul(1u32 << self.attempt.min(16)).min(self.max);
        self.attempt = self.attempt.saturating_add(1);
        d
    }

    pub fn succeeded(&mut self) {
        self.attempt = 0;
    }

    /// Failures since the last success.
    pub fn failures(&self) -> u32 {
        self.attempt
    }

    /// Whether a failure is worth a message: the first, then every tenth, so a broker down for
    /// minutes does not flood the log.
    pub fn worth_saying(&self) -> bool {
        self.attempt == 1 || self.attempt.is_multiple_of(10)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_off_doubles_to_its_bound_and_resets_on_success() {
        let mut b = Backoff::new(Duration::from_millis(50), Duration::from_millis(1000));
        let waits: Vec<u128> = (0..7).map(|_| b.failed().as_millis()).collect();
        assert_eq!(waits, [50, 100, 200, 400, 800, 1000, 1000]);
        b.succeeded();
        assert_eq!(b.failed(), Duration::from_millis(50));
    }
}
