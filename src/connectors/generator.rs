//! The built-in sensor generator: the walkthrough's readings (step 0), without any stream or
//! network. Deterministic for a seed, so tests and demos can repeat a run.

use std::fmt::Write;

/// One reading, as the walkthrough's Python sender makes it.
#[derive(Clone, Debug, PartialEq)]
pub struct SensorRecord {
    pub sensor_id: u32,
    pub current_temperature: f64,
    pub status: &'static str,
    /// Microseconds since the epoch (the sender's local wall clock, no zone).
    pub event_time_us: i64,
    /// The sensor id, as the sender's `put_record` uses it.
    pub partition_key: String,
}

impl SensorRecord {
    /// The record as the sender writes it:
    /// `{"sensor_id": 77, "current_temperature": 93.11, "status": "OK", "event_time": "2021-05-19T11:20:00.978328"}`.
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(112);
        let _ = write!(
            out,
            "{{\"sensor_id\": {}, \"current_temperature\": {:?}, \"status\": \"{}\", \"event_time\": \"",
            self.sensor_id, self.current_temperature, self.status
        );
        let ms = self.event_time_us.div_euclid(1000);
        let micros = self.event_time_us.rem_euclid(1000);
        crate::types::write_timestamp(&mut out, ms);
        let _ = write!(out, "{micros:03}\"}}");
        out
    }
}

/// SplitMix64: small, fast, and good enough for simulated sensors.
#[derive(Clone, Debug)]
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform integer in `lo..=hi`.
    fn int(&mut self, lo: u32, hi: u32) -> u32 {
        lo + (self.next_u64() % (hi - lo + 1) as u64) as u32
    }
}

/// Makes readings at a steady rate, each stamped with the time it was due.
#[derive(Clone, Debug)]
pub struct SensorGenerator {
    rng: Rng,
    records_per_second: f64,
    /// When the next record is due (µs since the epoch); `None` until the first call.
    next_due_us: Option<i64>,
}

/// A generator that fell further behind than this (a sleeping tab) skips ahead instead of
/// flooding the stream with stale readings.
const MAX_CATCH_UP_MS: i64 = 5_000;

impl SensorGenerator {
    pub fn new(seed: u64) -> Self {
        SensorGenerator { rng: Rng(seed), records_per_second: 10.0, next_due_us: None }
    }

    /// Sets the rate (clamped to 0.1 … 100,000 records per second).
    pub fn set_rate(&mut self, records_per_second: f64) {
        let rate = if records_per_second.is_finite() { records_per_second } else { 10.0 };
        self.records_per_second = rate.clamp(0.1, 100_000.0);
    }

    pub fn rate(&self) -> f64 {
        self.records_per_second
    }

    /// One reading with the walkthrough's distribution.
    pub fn reading(&mut self, event_time_us: i64) -> SensorRecord {
        let sensor_id = self.rng.int(1, 99);
        let current_temperature = ((10.0 + self.rng.unit() * 170.0) * 100.0).round() / 100.0;
        let status = if current_temperature > 160.0 {
            "ERROR"
        } else if current_temperature > 140.0 || self.rng.int(1, 99) > 80 {
            if self.rng.next_u64() & 1 == 0 {
                "WARNING"
            } else {
                "ERROR"
            }
        } else {
            "OK"
        };
        SensorRecord { sensor_id, current_temperature, status, event_time_us, partition_key: sensor_id.to_string() }
    }

    /// Produces every reading due up to `now_ms`, each stamped with its due time.
    pub fn generate_until(&mut self, now_ms: i64, out: &mut dyn FnMut(SensorRecord)) {
        let now_us = now_ms.saturating_mul(1000);
        let interval_us = (1_000_000.0 / self.records_per_second).max(1.0);
        let mut due = match self.next_due_us {
            Some(d) if now_us - d <= MAX_CATCH_UP_MS * 1000 => d as f64,
            // First call, or far behind: start now.
            _ => now_us as f64,
        };
        while due <= now_us as f64 {
            let record = self.reading(due as i64);
            out(record);
            due += interval_us;
        }
        self.next_due_us = Some(due as i64);
    }
}

/// Resets after a pause so the generator does not fill the gap.
impl SensorGenerator {
    pub fn pause(&mut self) {
        self.next_due_us = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_the_walkthrough_distribution() {
        let mut g = SensorGenerator::new(7);
        let n = 100_000;
        let mut counts = std::collections::HashMap::new();
        for i in 0..n {
            let r = g.reading(i);
            assert!((1..=99).contains(&r.sensor_id));
            assert!((10.0..=180.0).contains(&r.current_temperature));
            assert_eq!((r.current_temperature * 100.0).round() / 100.0, r.current_temperature);
            if r.current_temperature > 160.0 {
                assert_eq!(r.status, "ERROR");
            }
            if r.status == "OK" {
                assert!(r.current_temperature <= 140.0);
            }
            *counts.entry(r.status).or_insert(0) += 1;
        }
        // P(hot) = 40/170; P(warm) = 20/170 (→ W/E); of the rest, 19/99 → W/E.
        let ok = counts["OK"] as f64 / n as f64;
        let expected_ok = (130.0 / 170.0) * (80.0 / 99.0);
        assert!((ok - expected_ok).abs() < 0.01, "OK share {ok} vs {expected_ok}");
        assert!(counts["ERROR"] > counts["WARNING"]);
    }

    #[test]
    fn keeps_its_rate_and_stamps_records_with_their_due_time() {
        let mut g = SensorGenerator::new(1);
        g.set_rate(20.0);
        let mut times = Vec::new();
        g.generate_until(1_000, &mut |r| times.push(r.event_time_us));
        g.generate_until(2_000, &mut |r| times.push(r.event_time_us));
        assert_eq!(times.len(), 21);
        assert!(times.windows(2).all(|w| w[1] - w[0] == 50_000));
        // A long sleep does not flood the stream.
        let before = times.len();
        g.generate_until(3_600_000, &mut |r| times.push(r.event_time_us));
        assert_eq!(times.len(), before + 1);
    }

    #[test]
    fn writes_the_senders_json() {
        let r = SensorRecord {
            sensor_id: 77,
            current_temperature: 93.11,
            status: "OK",
            event_time_us: 1_621_423_200_978_328,
            partition_key: "77".into(),
        };
        assert_eq!(
            r.to_json(),
            r#"{"sensor_id": 77, "current_temperature": 93.11, "status": "OK", "event_time": "2021-05-19T11:20:00.978328"}"#
        );
    }
}
