//! The virtual clock changes nothing but the time: a session paused and stepped record by
//! record, second by second and window by window gives the same windows, and drops the same
//! late records, as one left running at any speed, for the same seeded generator.
#![cfg(not(target_arch = "wasm32"))]

use sluice::connectors::Disorder;
use sluice::session::clock::{Speed, Step, VirtualClock};
use sluice::session::{Change, JobId, Outcome, Session, SpentWhen, Unlimited};
use sluice::types::Value;

const TABLE: &str = "CREATE TABLE sensor_data (sensor_id INTEGER, current_temperature DOUBLE, status VARCHAR(6),
    event_time TIMESTAMP(3), WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND)
  WITH ('connector' = 'kinesis', 'stream' = 'my-input-stream', 'format' = 'json',
        'json.timestamp-format.standard' = 'ISO-8601')";
const HOP: &str = "SELECT status, COUNT(*) AS num, AVG(current_temperature) AS avg_t,
    HOP_ROWTIME(event_time, INTERVAL '10' SECOND, INTERVAL '1' MINUTE) AS hop_time
  FROM sensor_data GROUP BY HOP(event_time, INTERVAL '10' SECOND, INTERVAL '1' MINUTE), status";
const TUMBLE: &str = "SELECT window_end, COUNT(*) AS n, MAX(sensor_id) AS top
  FROM TABLE(TUMBLE(TABLE sensor_data, DESCRIPTOR(event_time), INTERVAL '5' SECOND)) GROUP BY window_start, window_end";

/// 2021-05-19T11:20:00, the walkthrough's morning.
const START_MS: i64 = 1_621_423_200_000;

/// A session with the generator made untidy (so some records are late) and two windowed
/// queries started at the clock's start, paused.
fn started() -> (Session, VirtualClock, Vec<JobId>) {
    let mut session = Session::new();
    session.set_generator_disorder(
        "my-input-stream",
        Disorder { out_of_order_share: 0.3, max_delay_ms: 4_000, late_share: 0.05, late_bound_ms: 5_000 },
    );
    let mut clock = VirtualClock::new(START_MS);
    clock.pause();
    clock.start(&mut session);
    session.execute(TABLE, clock.now_ms()).unwrap();
    let jobs = [HOP, TUMBLE]
        .iter()
        .map(|sql| match session.execute(sql, clock.now_ms()).unwrap().pop() {
            Some(Outcome::Query { job, .. }) => job,
            other => panic!("expected a running query, got {other:?}"),
        })
        .collect();
    (session, clock, jobs)
}

/// Every change so far, per job, plus the late records each dropped.
struct Seen {
    changes: Vec<Vec<Change>>,
}

impl Seen {
    fn new(n: usize) -> Self {
        Seen { changes: vec![Vec::new(); n] }
    }

    fn take(&mut self, session: &mut Session, jobs: &[JobId]) {
        for (i, job) in jobs.iter().enumerate() {
            self.changes[i].extend(session.take_changes(*job));
        }
    }

    /// The rows of windows ending at or before `until_ms` (a fired window's rows are final).
    fn windows_until(&self, job: usize, time_column: usize, until_ms: i64) -> Vec<String> {
        self.changes[job]
            .iter()
            .filter(|c| matches!(c.row[time_column], Value::Timestamp(t) if t <= until_ms))
            .map(|c| format!("{} {:?}", c.kind.short(), c.row))
            .collect()
    }
}

fn late_until(session: &Session, job: JobId, until_ms: i64) -> Vec<(i64, i64)> {
    session.late_records(job).iter().filter(|r| r.watermark <= until_ms).map(|r| (r.event_time, r.watermark)).collect()
}

#[test]
fn pausing_and_stepping_give_the_results_of_an_unpaused_run() {
    // Stepped: a mix of every kind of step, the clock paused throughout.
    let (mut stepped, mut clock, jobs) = started();
    let mut seen_stepped = Seen::new(jobs.len());
    let steps = [Step::WindowFiring, Step::Record, Step::Second, Step::Record, Step::WindowFiring];
    for round in 0..30 {
        for step in steps.iter().cycle().skip(round % steps.len()).take(4) {
            clock.step(&mut stepped, *step).unwrap();
            seen_stepped.take(&mut stepped, &jobs);
        }
    }
    let stepped_until = clock.now_ms();
    assert!(stepped_until - START_MS > 60_000, "the steps covered {} ms", stepped_until - START_MS);

    // Unpaused: ticks of uneven real length at 3×, then a burst at full speed.
    let (mut running, mut clock, jobs2) = started();
    assert_eq!(jobs, jobs2);
    let mut seen_running = Seen::new(jobs.len());
    clock.set_speed(Speed::Times(3.0));
    clock.resume();
    let mut real = 0.0;
    let mut jitter = 7u64;
    while clock.now_ms() < START_MS + 40_000 {
        jitter = jitter.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        real += 16.0 + (jitter >> 58) as f64;
        clock.tick(&mut running, real, &mut Unlimited);
        seen_running.take(&mut running, &jobs);
    }
    clock.set_speed(Speed::Fastest);
    while clock.now_ms() < stepped_until + 20_000 {
        let mut budget = 3;
        // Spent after its third question, and from then on (the jobs' steps ask too).
        clock.tick(
            &mut running,
            real,
            &mut SpentWhen(|| {
                budget -= 1;
                budget <= 0
            }),
        );
        seen_running.take(&mut running, &jobs);
    }

    // Everything the stepped run had fired by its end, the running one fired the same.
    let watermark = stepped.job(jobs[0]).unwrap().watermark.unwrap();
    let hop = seen_stepped.windows_until(0, 3, watermark);
    assert!(hop.len() > 20, "{} HOP rows", hop.len());
    assert_eq!(hop, seen_running.windows_until(0, 3, watermark));
    let tumble = seen_stepped.windows_until(1, 0, watermark);
    assert!(tumble.len() > 8, "{} TUMBLE rows", tumble.len());
    assert_eq!(tumble, seen_running.windows_until(1, 0, watermark));
    // A record 5–10 s behind is late for a 5-second TUMBLE (a minute-long HOP still takes it).
    let late = late_until(&stepped, jobs[1], watermark);
    assert!(!late.is_empty(), "the disorder makes some records late");
    assert_eq!(late, late_until(&running, jobs[1], watermark));
}

#[test]
fn a_window_step_stops_right_after_the_window_fires() {
    let (mut session, mut clock, jobs) = started();
    clock.step(&mut session, Step::Second).unwrap();
    let pending = session.next_window_firing().expect("a record opened a window");
    clock.step(&mut session, Step::WindowFiring).unwrap();
    let watermark = session.job(jobs[1]).unwrap().watermark.unwrap();
    assert!(watermark >= pending, "the watermark {watermark} reached the window's {pending}");
    assert!(session.next_window_firing().unwrap() > pending);
    let fired = session.take_changes(jobs[1]);
    assert_eq!(fired.len(), 1, "one TUMBLE window fired: {fired:?}");
    // One record earlier the window had not fired: the step stopped at the first record that
    // moved the watermark past it.
    let (mut again, mut clock2, _) = started();
    clock2.step(&mut again, Step::Second).unwrap();
    while clock2.now_ms() < clock.now_ms() - 1 {
        let due = again.next_record_due_ms().unwrap();
        if due >= clock.now_ms() {
            break;
        }
        clock2.step(&mut again, Step::Record).unwrap();
    }
    assert_eq!(again.next_window_firing(), Some(pending));
}

#[test]
fn the_watermarks_note_runs_as_written_and_drops_late_readings() {
    use sluice::views::note::{is_markdown, seed};
    let note = seed::watermarks(|| "p".to_string());
    let mut session = Session::new();
    let mut clock = VirtualClock::new(START_MS);
    clock.pause();
    clock.start(&mut session);
    let mut query = None;
    for p in note.paragraphs.iter().filter(|p| !is_markdown(&p.text)).take(3) {
        if let Some(Outcome::Query { job, .. }) = session.execute(&p.text, clock.now_ms()).unwrap().pop() {
            query = Some(job);
        }
    }
    let job = query.expect("the note's query runs");
    for step in 0..12 {
        clock.step(&mut session, Step::WindowFiring).unwrap();
        // Usually one window; two when a straggler opened an older one the same watermark fires.
        let fired = session.take_changes(job).len();
        assert!((1..=2).contains(&fired), "step {step} fired {fired} windows");
    }
    let dropped = session.job(job).unwrap().late_records_dropped;
    assert!(dropped > 0, "60 s at 20 readings/s, 5 % late: some were dropped");
    // The RESETs the note suggests put the generator back in order.
    let reset = "RESET 'sluice.generator.out-of-order-percent';\nRESET 'sluice.generator.late-percent';";
    assert!(note.paragraphs.last().unwrap().text.contains(reset));
    session.execute(reset, clock.now_ms()).unwrap();
    for _ in 0..20 {
        clock.step(&mut session, Step::Second).unwrap();
    }
    let later = session.job(job).unwrap().late_records_dropped;
    for _ in 0..30 {
        clock.step(&mut session, Step::Second).unwrap();
    }
    assert_eq!(session.job(job).unwrap().late_records_dropped, later, "in order again: nothing more is late");
}

#[test]
fn the_timeline_marks_exactly_the_records_the_engine_dropped() {
    use sluice::views::timeline::Timeline;
    let (mut session, mut clock, jobs) = started();
    let mut timeline = Timeline::default();
    for _ in 0..40 {
        clock.step(&mut session, Step::Second).unwrap();
        timeline.update(session.timeline_sample(jobs[1], 1_000).unwrap(), &[]);
    }
    assert_eq!(timeline.dots.len(), 800, "40 s at 20 records/s, all since the job started");
    let mut marked = timeline.late_event_times();
    let mut dropped: Vec<i64> = session.late_records(jobs[1]).iter().map(|r| r.event_time).collect();
    assert!(dropped.len() > 10, "{} late", dropped.len());
    marked.sort_unstable();
    dropped.sort_unstable();
    assert_eq!(marked, dropped);
    // Every marked record is behind the watermark it met; the HOP job (a minute wide) dropped none.
    assert!(session.timeline_sample(jobs[0], 1_000).unwrap().late.is_empty());
}
