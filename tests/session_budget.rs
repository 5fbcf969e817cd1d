//! `Session::advance_within`: a job step never holds the page for long (issue 14). A spent
//! budget stops the stepping and the next advance goes on where it stopped, losing and
//! reordering nothing; jobs take turns; a slow step makes the next one smaller.
#![cfg(not(target_arch = "wasm32"))]

use sluice::session::{Budget, Change, JobId, Outcome, Session, SpentWhen};

const TABLE: &str = "CREATE TABLE t (k STRING, v INT) WITH ('connector' = 'kinesis', 'stream' = 's', 'format' = 'json')";
const QUERY: &str = "SELECT k, SUM(v) AS total FROM t WHERE k LIKE '%7%' GROUP BY k";
const RECORDS: i64 = 3_000;

fn start(session: &mut Session, sql: &str) -> JobId {
    match session.execute(sql, 0).unwrap().pop() {
        Some(Outcome::Query { job, .. }) => job,
        other => panic!("expected a running query, got {other:?}"),
    }
}

/// A session with `jobs` copies of [`QUERY`] running and [`RECORDS`] records waiting for them.
fn session_with_records(jobs: usize) -> (Session, Vec<JobId>) {
    let mut session = Session::empty();
    session.execute(TABLE, 0).unwrap();
    let ids = (0..jobs).map(|_| start(&mut session, QUERY)).collect();
    for i in 0..RECORDS {
        let record = format!("{{\"k\": \"key-{}\", \"v\": {i}}}", i % 100);
        session.put_record("s", &format!("p{i}"), record.into_bytes()).unwrap();
    }
    (session, ids)
}

fn records_in(session: &Session, job: JobId) -> u64 {
    session.job(job).unwrap().records_in
}

#[test]
fn a_spent_budget_leaves_the_rest_for_the_next_advance_and_loses_nothing() {
    let (mut unlimited, jobs) = session_with_records(1);
    unlimited.advance(1_000);
    let expected = unlimited.take_changes(jobs[0]);
    assert_eq!(records_in(&unlimited, jobs[0]), RECORDS as u64, "one unlimited advance reads everything");
    assert!(expected.len() > 20, "{} changes", expected.len());

    let (mut budgeted, jobs) = session_with_records(1);
    let mut changes: Vec<Change> = Vec::new();
    let mut advances = 0;
    while records_in(&budgeted, jobs[0]) < RECORDS as u64 {
        // Out of time as soon as anyone asks: one step per advance.
        budgeted.advance_within(1_000, &mut SpentWhen(|| true));
        changes.extend(budgeted.take_changes(jobs[0]));
        advances += 1;
        assert!(advances < 50, "the job must get through its input");
    }
    assert!(advances > 1, "the first advance stopped before the end of the input");
    budgeted.advance_within(1_000, &mut SpentWhen(|| true));
    changes.extend(budgeted.take_changes(jobs[0]));
    assert_eq!(changes, expected, "the same changes, in the same order");
}

#[test]
fn the_budget_is_asked_after_each_step_and_the_first_step_always_runs() {
    let (mut session, jobs) = session_with_records(1);
    let mut asked = 0;
    session.advance_within(
        1_000,
        &mut SpentWhen(|| {
            asked += 1;
            asked == 2
        }),
    );
    assert_eq!(asked, 2, "asked after the first step (time left) and the second (spent)");
    let after_two_steps = records_in(&session, jobs[0]);
    assert!(after_two_steps > 0 && after_two_steps < RECORDS as u64, "{after_two_steps} records read");
}

#[test]
fn jobs_take_turns_so_a_spent_budget_does_not_starve_the_later_ones() {
    let (mut session, jobs) = session_with_records(3);
    let read = |session: &mut Session| {
        session.advance_within(1_000, &mut SpentWhen(|| true));
        jobs.iter().map(|&j| records_in(session, j) > 0).collect::<Vec<_>>()
    };
    assert_eq!(read(&mut session), [true, false, false]);
    assert_eq!(read(&mut session), [true, true, false]);
    assert_eq!(read(&mut session), [true, true, true]);
}

/// A clock on which every reading is `step_ms` after the one before, so each step "takes" it.
struct SlowClock {
    now: f64,
    step_ms: f64,
}

impl Budget for SlowClock {
    fn real_ms(&mut self) -> f64 {
        self.now += self.step_ms;
        self.now
    }
    fn spent(&mut self) -> bool {
        true
    }
}

#[test]
fn a_slow_step_makes_the_next_one_smaller_and_fast_ones_grow_it_back() {
    let (mut session, jobs) = session_with_records(1);
    let step = |session: &mut Session, budget: &mut dyn Budget| {
        let before = records_in(session, jobs[0]);
        session.advance_within(1_000, budget);
        records_in(session, jobs[0]) - before
    };
    let first = step(&mut session, &mut SlowClock { now: 0.0, step_ms: 100.0 });
    // The first step read `first` records in 100 ms: about 4 ms' worth is read next (in no time).
    let after_slow = step(&mut session, &mut SpentWhen(|| true));
    assert!(after_slow < first / 10, "after a slow step of {first} records the next reads {after_slow}");
    assert!(after_slow >= 1, "a step always reads something");
    // Steps that take no time double the size until it is back to the largest.
    let mut sizes = vec![after_slow];
    while records_in(&session, jobs[0]) < RECORDS as u64 {
        sizes.push(step(&mut session, &mut SpentWhen(|| true)));
    }
    assert_eq!(sizes[1], after_slow * 2, "{sizes:?}");
    assert!(sizes.windows(2).all(|w| w[1] <= w[0] * 2), "{sizes:?}");
}
