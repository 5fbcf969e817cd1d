//! The built-in sensor generator: the walkthrough's readings (step 0), without any stream or
//! network. Deterministic for a seed, so tests and demos can repeat a run.
//!
//! By default every reading is stamped with the moment it was sent, so event time only moves
//! forward. [`Disorder`] is the teaching knob: it backdates a share of readings a little (out of
//! order, but within the watermark's bound) and a share a lot (late: behind any watermark that
//! allows `late_bound_ms`), so a class can watch watermarks hold windows open and drop what comes
//! too late.

use super::scenario::{ActiveScenario, Scenario};

/// One reading, as the walkthrough's Python sender makes it.
#[derive(Clone, Debug, PartialEq)]
pub struct SensorRecord {
    pub sensor_id: u32,
    pub current_temperature: f64,
    pub status: &'static str,
    /// Microseconds since the epoch (the sender's local wall clock, no zone).
    pub event_time_us: i64,
    /// The sensor id, as the sender's `put_record` uses it.
    pub partition_key: &'static str,
}

/// The sensors' ids as text, made once: a reading's partition key is one of them, so a record
/// costs no allocation for it.
fn sensor_key(sensor_id: u32) -> &'static str {
    static KEYS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    &KEYS.get_or_init(|| (0..=MAX_SENSOR_ID).map(|id| id.to_string()).collect())[sensor_id as usize]
}

impl SensorRecord {
    /// The record as the sender writes it:
    /// `{"sensor_id": 77, "current_temperature": 93.11, "status": "OK", "event_time": "2021-05-19T11:20:00.978328"}`.
    pub fn to_json(&self) -> String {
        let mut out = Vec::with_capacity(112);
        RecordWriter::default().write(self, &mut out);
        // The writer writes ASCII only.
        String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }
}

/// Writes readings as the sender's JSON ([`SensorRecord::to_json`]) into a byte buffer, keeping
/// the text of the last reading's second: the page's generator writes every record through one,
/// so a record costs no allocation, no formatter and no calendar arithmetic (writing the timestamp
/// through the general formatter was a twelfth of the page's ingest time). A record is laid out
/// in a [`Line`] on the stack and copied out once: the worker is built for size, where each
/// `extend_from_slice` stays a call that checks the vector's capacity.
#[derive(Clone, Debug, Default)]
pub struct RecordWriter {
    /// A day (since the epoch) and its `YYYY-MM-DDT`.
    date: Option<(i64, [u8; 11])>,
    /// A second (since the epoch) and its `YYYY-MM-DDTHH:MM:SS.`.
    second: Option<(i64, [u8; 20])>,
}

impl RecordWriter {
    /// About the most a record takes: a reading with the generator's own keys and statuses takes
    /// at most 118 bytes (longer ones are still written whole).
    pub const MAX_LEN: usize = Line::CAPACITY;

    /// Appends `r`'s JSON to `out`, byte for byte what [`SensorRecord::to_json`] makes.
    pub fn write(&mut self, r: &SensorRecord, out: &mut Vec<u8>) {
        let mut line = Line { bytes: [0; Line::CAPACITY], len: 0, out };
        line.put(b"{\"sensor_id\": ");
        line.put(r.partition_key.as_bytes());
        line.put(b", \"current_temperature\": ");
        write_hundredths(&mut line, r.current_temperature);
        line.put(b", \"status\": \"");
        line.put(r.status.as_bytes());
        line.put(b"\", \"event_time\": \"");
        self.write_time(&mut line, r.event_time_us);
        line.finish();
    }

    /// `us` as `2021-05-19T11:20:00.978328` (the milliseconds as [`crate::types::write_timestamp`]
    /// writes them, then the microseconds), and the record's closing `"}`.
    fn write_time(&mut self, line: &mut Line<'_>, us: i64) {
        let second = us.div_euclid(1_000_000);
        let prefix = match self.second {
            Some((s, text)) if s == second => text,
            _ => match self.second_text(second) {
                Some(text) => {
                    self.second = Some((second, text));
                    text
                }
                None => {
                    // Years the fixed layout does not hold: the general writer's text.
                    let mut text = String::new();
                    crate::types::write_timestamp(&mut text, us.div_euclid(1000));
                    line.put(text.as_bytes());
                    let mut micros = *b"000\"}";
                    put_digits(&mut micros[..3], us.rem_euclid(1000) as u32);
                    line.put(&micros);
                    return;
                }
            },
        };
        let mut text = *b"0000-00-00T00:00:00.000000\"}";
        text[..20].copy_from_slice(&prefix);
        put_digits(&mut text[20..26], us.rem_euclid(1_000_000) as u32);
        line.put(&text);
    }

    /// `YYYY-MM-DDTHH:MM:SS.` of a second since the epoch, if its year has four digits.
    fn second_text(&mut self, second: i64) -> Option<[u8; 20]> {
        let day = second.div_euclid(86_400);
        let date = match self.date {
            Some((d, text)) if d == day => text,
            _ => {
                let (y, m, d) = crate::types::civil_from_days(day);
                if !(0..=9999).contains(&y) {
                    return None;
                }
                let mut text = *b"0000-00-00T";
                put_digits(&mut text[0..4], y as u32);
                put_digits(&mut text[5..7], m);
                put_digits(&mut text[8..10], d);
                self.date = Some((day, text));
                text
            }
        };
        let t = second.rem_euclid(86_400) as u32;
        let mut text = *b"0000-00-00T00:00:00.";
        text[..11].copy_from_slice(&date);
        put_digits(&mut text[11..13], t / 3600);
        put_digits(&mut text[14..16], t / 60 % 60);
        put_digits(&mut text[17..19], t % 60);
        Some(text)
    }
}

/// A record's bytes on the stack, copied to `out` once when finished (or, should a record not
/// fit, as it fills).
struct Line<'a> {
    bytes: [u8; Line::CAPACITY],
    len: usize,
    out: &'a mut Vec<u8>,
}

impl Line<'_> {
    const CAPACITY: usize = 160;

    #[inline(always)]
    fn put(&mut self, bytes: &[u8]) {
        match self.bytes.get_mut(self.len..self.len + bytes.len()) {
            Some(slot) => {
                slot.copy_from_slice(bytes);
                self.len += bytes.len();
            }
            None => {
                self.finish();
                self.len = 0;
                self.out.extend_from_slice(bytes);
            }
        }
    }

    fn finish(&mut self) {
        self.out.extend_from_slice(&self.bytes[..self.len]);
    }
}

/// Fills `slot` with `v`'s last `slot.len()` decimal digits, zero-padded. Forced inline: the
/// worker module is built for size, where a call per field was a twentieth of the page's ingest.
#[inline(always)]
fn put_digits(slot: &mut [u8], mut v: u32) {
    for b in slot.iter_mut().rev() {
        *b = b'0' + (v % 10) as u8;
        v /= 10;
    }
}

/// Sensor ids are uniform from 1 to this (the walkthrough's distribution).
const MAX_SENSOR_ID: u32 = 99;

/// Writes `v`, a temperature rounded to hundredths, exactly as `{:?}` would (the shortest text
/// that reads back as `v`: `93.11`, `12.5`, `100.0`) without the float formatter, which was the
/// largest single cost of making a record. Anything else goes to the formatter.
fn write_hundredths(line: &mut Line<'_>, v: f64) {
    // `floor(x + 0.5)` rather than `round`, a call in the worker: where the two differ the
    // check below fails and the formatter writes `v`.
    let hundredths = (v * 100.0 + 0.5).floor();
    if v.is_sign_negative() || !(0.0..1e9).contains(&hundredths) || hundredths / 100.0 != v {
        line.put(format!("{v:?}").as_bytes());
        return;
    }
    let hundredths = hundredths as u32;
    let (whole, fraction) = (hundredths / 100, hundredths % 100);
    let mut text = [0u8; 12];
    let digits = whole.checked_ilog10().map_or(1, |d| d as usize + 1);
    put_digits(&mut text[..digits], whole);
    text[digits] = b'.';
    text[digits + 1] = b'0' + (fraction / 10) as u8;
    let end = if fraction % 10 != 0 {
        text[digits + 2] = b'0' + (fraction % 10) as u8;
        digits + 3
    } else {
        digits + 2
    };
    line.put(&text[..end]);
}

/// SplitMix64: small, fast, and good enough for simulated sensors and `datagen`.
#[derive(Clone, Debug)]
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform integer in `lo..=hi`.
    fn int(&mut self, lo: u32, hi: u32) -> u32 {
        lo + (self.next_u64() % (hi - lo + 1) as u64) as u32
    }
}

/// How far readings' event times stray from the moment they are sent. The default is none:
/// the walkthrough's in-order stream.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Disorder {
    /// Share (0 … 1) of readings stamped up to `max_delay_ms` earlier than sent.
    pub out_of_order_share: f64,
    pub max_delay_ms: i64,
    /// Share (0 … 1) of readings stamped more than `late_bound_ms` earlier than sent, so a
    /// watermark of `event_time - late_bound` has already passed them.
    pub late_share: f64,
    pub late_bound_ms: i64,
}

impl Disorder {
    pub fn is_none(&self) -> bool {
        self.out_of_order_share <= 0.0 && self.late_share <= 0.0
    }

    /// Shares clamped to 0 … 1 (and to a sum of at most 1), delays to zero or more.
    fn clamped(self) -> Self {
        let share = |s: f64| if s.is_finite() { s.clamp(0.0, 1.0) } else { 0.0 };
        let late_share = share(self.late_share);
        Disorder {
            out_of_order_share: share(self.out_of_order_share).min(1.0 - late_share),
            max_delay_ms: self.max_delay_ms.max(0),
            late_share,
            late_bound_ms: self.late_bound_ms.max(0),
        }
    }
}

/// Makes readings at a steady rate, each stamped with the time it was due (or earlier, per
/// its [`Disorder`]).
#[derive(Clone, Debug)]
pub struct SensorGenerator {
    rng: Rng,
    /// Draws for the disorder only, so the readings themselves are the same with or without it.
    disorder_rng: Rng,
    disorder: Disorder,
    records_per_second: f64,
    /// When the next record is due (µs since the epoch); `None` until the first call. Kept
    /// unrounded, so the readings' times do not depend on how time was cut into calls (the
    /// virtual clock's determinism).
    next_due_us: Option<f64>,
    /// A "break it" scenario, if one was started.
    scenario: Option<ActiveScenario>,
    /// Readings made so far (which ones a duplicating producer sends twice).
    made: u64,
}

/// A generator that fell further behind than this (a sleeping tab) skips ahead instead of
/// flooding the stream with stale readings.
const MAX_CATCH_UP_MS: i64 = 5_000;

impl SensorGenerator {
    pub fn new(seed: u64) -> Self {
        SensorGenerator {
            rng: Rng(seed),
            disorder_rng: Rng(seed ^ 0xD150_4DE5_0000_0000),
            disorder: Disorder::default(),
            records_per_second: 10.0,
            next_due_us: None,
            scenario: None,
            made: 0,
        }
    }

    /// Starts `scenario` at `now_ms` (`None`: back to a well-behaved producer).
    pub fn set_scenario(&mut self, scenario: Option<Scenario>, now_ms: i64) {
        self.scenario = scenario.map(|scenario| ActiveScenario { scenario, since_ms: now_ms });
    }

    pub fn scenario(&self) -> Option<ActiveScenario> {
        self.scenario
    }

    pub fn set_disorder(&mut self, disorder: Disorder) {
        self.disorder = disorder.clamped();
    }

    pub fn disorder(&self) -> Disorder {
        self.disorder
    }

    /// The event time of a reading sent at `sent_us`: the same, or backdated per the disorder.
    fn event_time_us(&mut self, sent_us: i64) -> i64 {
        let d = self.disorder;
        if d.is_none() {
            return sent_us;
        }
        let draw = self.disorder_rng.unit();
        let delay_ms = if draw < d.late_share {
            // Beyond the bound by up to the bound again (at least 1 ms), so it is surely late.
            d.late_bound_ms + 1 + (self.disorder_rng.unit() * d.late_bound_ms.max(1) as f64) as i64
        } else if draw < d.late_share + d.out_of_order_share {
            (self.disorder_rng.unit() * (d.max_delay_ms + 1) as f64) as i64
        } else {
            0
        };
        sent_us - delay_ms * 1000
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
        let sensor_id = self.rng.int(1, MAX_SENSOR_ID);
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
        SensorRecord { sensor_id, current_temperature, status, event_time_us, partition_key: sensor_key(sensor_id) }
    }

    /// Produces every reading due up to `now_ms`, each stamped with its due time.
    pub fn generate_until(&mut self, now_ms: i64, out: &mut dyn FnMut(SensorRecord)) {
        let now_us = now_ms.saturating_mul(1000);
        let interval_us = (1_000_000.0 / self.records_per_second).max(1.0);
        let mut due = match self.next_due_us {
            Some(d) if now_us as f64 - d <= (MAX_CATCH_UP_MS * 1000) as f64 => d,
            // First call, or far behind: start now.
            _ => now_us as f64,
        };
        while due <= now_us as f64 {
            let event_time_us = self.event_time_us(due as i64);
            let mut record = self.reading(event_time_us);
            self.made += 1;
            let due_ms = (due as i64).div_euclid(1000);
            match self.scenario {
                None => out(record),
                Some(s) if s.drops(due_ms) => {}
                Some(s) => {
                    record.event_time_us -= s.backdates_ms(record.sensor_id, due_ms) * 1000;
                    if s.duplicates(self.made, due_ms) {
                        out(record.clone());
                    }
                    out(record);
                }
            }
            due += interval_us;
        }
        self.next_due_us = Some(due);
    }

    /// The first ms at which [`Self::generate_until`] produces the next reading; `None` before
    /// the first call (that call produces one at once).
    pub fn next_due_ms(&self) -> Option<i64> {
        self.next_due_us.map(|d| (d / 1000.0).ceil() as i64)
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

    fn event_times(g: &mut SensorGenerator, until_ms: i64) -> Vec<i64> {
        let mut times = Vec::new();
        g.generate_until(0, &mut |r| times.push(r.event_time_us / 1000));
        g.generate_until(until_ms, &mut |r| times.push(r.event_time_us / 1000));
        times
    }

    #[test]
    fn the_next_due_reading_comes_at_the_announced_ms() {
        let mut g = SensorGenerator::new(2);
        g.set_rate(3.0);
        assert_eq!(g.next_due_ms(), None);
        let mut times = Vec::new();
        g.generate_until(1_000, &mut |r| times.push(r.event_time_us));
        for _ in 0..5 {
            let due = g.next_due_ms().unwrap();
            let before = times.len();
            g.generate_until(due - 1, &mut |r| times.push(r.event_time_us));
            assert_eq!(times.len(), before, "nothing before {due}");
            g.generate_until(due, &mut |r| times.push(r.event_time_us));
            assert_eq!(times.len(), before + 1, "one reading at {due}");
        }
    }

    #[test]
    fn how_time_is_cut_into_calls_does_not_change_the_readings() {
        let run = |steps: &[i64]| {
            let mut g = SensorGenerator::new(9);
            g.set_rate(7.0);
            let mut out = Vec::new();
            for &t in steps {
                g.generate_until(t, &mut |r| out.push(r));
            }
            out
        };
        let fine: Vec<i64> = (0..=3_000).step_by(13).chain([3_000]).collect();
        assert_eq!(run(&[0, 1_000, 3_000]), run(&fine));
    }

    #[test]
    fn without_disorder_event_time_never_goes_back() {
        let mut g = SensorGenerator::new(3);
        g.set_rate(100.0);
        let times = event_times(&mut g, 4_000);
        assert!(times.windows(2).all(|w| w[1] > w[0]));
    }

    #[test]
    fn disorder_changes_only_the_times_not_the_readings() {
        let mut plain = SensorGenerator::new(5);
        let mut disordered = SensorGenerator::new(5);
        disordered.set_disorder(Disorder { out_of_order_share: 0.5, max_delay_ms: 2_000, late_share: 0.1, late_bound_ms: 5_000 });
        let (mut a, mut b) = (Vec::new(), Vec::new());
        plain.generate_until(0, &mut |r| a.push(r));
        plain.generate_until(3_000, &mut |r| a.push(r));
        disordered.generate_until(0, &mut |r| b.push(r));
        disordered.generate_until(3_000, &mut |r| b.push(r));
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(&b) {
            assert_eq!((x.sensor_id, x.current_temperature, x.status), (y.sensor_id, y.current_temperature, y.status));
        }
        assert!(a.iter().zip(&b).any(|(x, y)| x.event_time_us != y.event_time_us));
    }

    #[test]
    fn out_of_order_and_late_shares_are_kept_and_seeded() {
        let disorder = Disorder { out_of_order_share: 0.3, max_delay_ms: 2_000, late_share: 0.05, late_bound_ms: 5_000 };
        let run = || {
            let mut g = SensorGenerator::new(11);
            g.set_rate(1_000.0);
            g.set_disorder(disorder);
            let mut delays = Vec::new();
            g.generate_until(0, &mut |_| {});
            let mut sent_ms = 1;
            for step in 1..=20 {
                g.generate_until(step * 1_000, &mut |r| {
                    delays.push(sent_ms - r.event_time_us / 1000);
                    sent_ms += 1;
                });
            }
            delays
        };
        let delays = run();
        assert_eq!(delays, run(), "same seed, same disorder");
        let n = delays.len() as f64;
        let late = delays.iter().filter(|&&d| d > 5_000).count() as f64 / n;
        let disordered = delays.iter().filter(|&&d| d > 0 && d <= 2_000).count() as f64 / n;
        assert!(delays.iter().all(|&d| (0..=10_001).contains(&d)), "{:?}", delays.iter().max());
        assert!(delays.iter().all(|&d| d <= 2_000 || d > 5_000), "out-of-order delays stay within their maximum");
        assert!((late - 0.05).abs() < 0.01, "late share {late}");
        // A delay drawn as 0 ms is in order, so the measured share is a little under 30 %.
        assert!((disordered - 0.3).abs() < 0.02, "out-of-order share {disordered}");
    }

    /// Every second up to 40 s (within the generator's catch-up bound).
    fn seconds() -> Vec<i64> {
        (1..=40).map(|s| s * 1_000).collect()
    }

    fn scenario_run(scenario: Scenario, steps: &[i64]) -> Vec<SensorRecord> {
        let mut g = SensorGenerator::new(4);
        g.set_rate(10.0);
        let mut out = Vec::new();
        g.generate_until(0, &mut |r| out.push(r));
        g.set_scenario(Some(scenario), 10_000);
        for &t in steps {
            g.generate_until(t, &mut |r| out.push(r));
        }
        out
    }

    #[test]
    fn scenarios_act_by_due_time_so_how_time_is_cut_changes_nothing() {
        let fine: Vec<i64> = (0..=40_000).step_by(370).chain([40_000]).collect();
        for s in Scenario::ALL {
            assert!(scenario_run(s, &seconds()) == scenario_run(s, &fine), "{}", s.name());
        }
    }

    #[test]
    fn each_scenario_breaks_the_stream_its_own_way() {
        let plain = scenario_run(Scenario::IdleShard, &seconds());
        let sent_ms = |r: &SensorRecord| r.event_time_us / 1000;
        // A paused producer sends nothing for 20 s from 10 s on, then goes on.
        let paused = scenario_run(Scenario::PausedProducer, &seconds());
        assert!(paused.iter().all(|r| !(10_000..30_000).contains(&sent_ms(r))));
        assert!(paused.iter().any(|r| sent_ms(r) >= 30_000));
        // A late burst stamps 5 s of readings 15 s back: behind a 10 s-late watermark.
        let burst = scenario_run(Scenario::LateBurst, &seconds());
        let behind = burst.windows(2).filter(|w| sent_ms(&w[1]) + 10_000 < sent_ms(&w[0])).count();
        assert_eq!(behind, 1, "the burst starts with one jump back");
        assert_eq!(burst.len(), plain.len());
        // Sensor 42 alone runs 30 s behind.
        let slow = scenario_run(Scenario::ClockBehind, &seconds());
        for (a, b) in plain.iter().zip(&slow) {
            let back = if b.sensor_id == SLOW_CLOCK_SENSOR_FOR_TESTS && sent_ms(a) >= 10_000 { 30_000_000 } else { 0 };
            assert_eq!(a.event_time_us - b.event_time_us, back);
        }
        // One in four readings after 10 s comes twice.
        let dup = scenario_run(Scenario::Duplicates, &seconds());
        let twice = dup.windows(2).filter(|w| w[0] == w[1]).count();
        assert_eq!(dup.len(), plain.len() + twice);
        assert_eq!(twice, plain.iter().filter(|r| sent_ms(r) >= 10_000).count() / 4);
    }

    const SLOW_CLOCK_SENSOR_FOR_TESTS: u32 = super::super::scenario::SLOW_CLOCK_SENSOR;

    #[test]
    fn hundredths_are_written_as_the_float_formatter_writes_them() {
        let written = |v: f64| {
            let mut out = Vec::new();
            let mut line = Line { bytes: [0; Line::CAPACITY], len: 0, out: &mut out };
            write_hundredths(&mut line, v);
            line.finish();
            out
        };
        for cents in (0..=100_000u32).chain([999_999_999, 1_000_000_000, 4_294_967_295]) {
            let v = cents as f64 / 100.0;
            assert_eq!(written(v), format!("{v:?}").as_bytes(), "{cents}");
        }
        for v in [0.125, 0.005, 0.004999999999999999, 1e20, f64::NAN, f64::INFINITY, -0.0, -3.25, 1e-300] {
            assert_eq!(written(v), format!("{v:?}").as_bytes());
        }
    }

    /// The sender's JSON spelled with the general formatters, as the generator wrote it before
    /// [`RecordWriter`].
    fn formatted_json(r: &SensorRecord) -> String {
        let mut time = String::new();
        crate::types::write_timestamp(&mut time, r.event_time_us.div_euclid(1000));
        format!(
            "{{\"sensor_id\": {}, \"current_temperature\": {:?}, \"status\": \"{}\", \"event_time\": \"{time}{:03}\"}}",
            r.partition_key,
            r.current_temperature,
            r.status,
            r.event_time_us.rem_euclid(1000)
        )
    }

    #[test]
    fn one_writer_reused_across_days_and_back_in_time_writes_what_the_formatters_write() {
        let mut g = SensorGenerator::new(13);
        let mut writer = RecordWriter::default();
        let day_us = 86_400_000_000;
        let midnight = 1_621_382_400_000_000; // 2021-05-19T00:00
        let mut times = vec![midnight - 1, midnight, midnight + 1, midnight - 1, midnight + day_us - 1, midnight + day_us, midnight];
        times.extend((0..2_000).map(|i| midnight - 3 * day_us + i * 131_072_003_917));
        // Within a second, across it and back (the writer keeps the last second's text).
        times.extend((0..60).map(|i| midnight + 59_000_000 + i * 33_337 - (i % 3) * 1_000_000));
        // Before the epoch, the year 0 and before it, the year 9999 and after it.
        times.extend([-1, 0, -day_us, -62_167_219_200_000_000, -62_167_219_200_000_001, 253_402_300_799_999_999, 253_402_300_800_000_000]);
        times.extend([i64::MIN, i64::MAX, midnight]);
        for t in times {
            let r = g.reading(t);
            let mut out = Vec::new();
            writer.write(&r, &mut out);
            assert_eq!(String::from_utf8(out).unwrap(), formatted_json(&r), "{t}");
        }
    }

    #[test]
    fn writes_the_senders_json() {
        let r = SensorRecord {
            sensor_id: 77,
            current_temperature: 93.11,
            status: "OK",
            event_time_us: 1_621_423_200_978_328,
            partition_key: "77",
        };
        assert_eq!(
            r.to_json(),
            r#"{"sensor_id": 77, "current_temperature": 93.11, "status": "OK", "event_time": "2021-05-19T11:20:00.978328"}"#
        );
        // Fields longer than the writer's line on the stack are written whole, in order.
        const LONG: &str = "0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz";
        for (partition_key, status) in [(LONG, "OK"), ("77", LONG), (LONG, LONG)] {
            let long = SensorRecord { partition_key, status, current_temperature: 0.1 + 0.2, ..r.clone() };
            assert_eq!(long.to_json(), formatted_json(&long));
        }
    }
}
