//! Exercises that check themselves (issue 18, item 5): every exercise of the shipped course
//! passes with its reference solution and fails with its starting query, with a hint that names
//! the first difference.
#![cfg(not(target_arch = "wasm32"))]

use sluice::views::exercise::{self, course, Exercise};

fn course_exercises() -> Vec<(Exercise, String)> {
    let texts = course::paragraphs();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    refs.iter()
        .enumerate()
        .filter(|(_, t)| exercise::is_exercise(t))
        .map(|(i, t)| {
            let ex = exercise::parse(t).unwrap_or_else(|e| panic!("{e}\n{t}"));
            let start = exercise::learner_query(&refs, i).unwrap_or_else(|| panic!("no starting query above {}", ex.id)).to_string();
            (ex, start)
        })
        .collect()
}

#[test]
fn the_course_has_five_exercises_each_passing_with_its_solution_and_failing_with_its_start() {
    let exercises = course_exercises();
    let ids: Vec<&str> = exercises.iter().map(|(e, _)| e.id.as_str()).collect();
    assert_eq!(ids, ["tumble", "hop", "watermark", "join", "match-recognize"]);
    for (ex, start) in &exercises {
        let solution = ex.solution.as_deref().unwrap();
        let passed = exercise::check(ex, solution);
        assert!(passed.passed, "{}: the solution fails: {}", ex.id, passed.hint);
        let failed = exercise::check(ex, start);
        assert!(!failed.passed, "{}: the starting query passes: {}", ex.id, failed.hint);
    }
}

#[test]
fn a_hint_names_the_first_difference() {
    let exercises = course_exercises();
    let hint = |id: &str| {
        let (ex, start) = exercises.iter().find(|(e, _)| e.id == id).unwrap();
        exercise::check(ex, start).hint
    };
    assert_eq!(
        hint("tumble"),
        "your result's columns are sensor_id, readings; the exercise expects window_start, window_end, sensor_id, readings"
    );
    assert_eq!(
        hint("hop"),
        "your result has 3 windows ending by 11:20:30; the exercise wants 6: the first one missing is 11:19:55 – 11:20:05"
    );
    assert_eq!(hint("watermark"), "1 record was dropped as late; the exercise wants 0");
    assert_eq!(
        hint("match-recognize"),
        "1 of 2 expected rows match; the first one missing is (sensor_id = 3, failed_at = 2021-05-19 11:20:03, recovered_at = 2021-05-19 11:20:14)"
    );
}

#[test]
fn an_answer_written_differently_still_passes_and_extra_rows_are_named() {
    let exercises = course_exercises();
    let (ex, _) = exercises.iter().find(|(e, _)| e.id == "join").unwrap();
    // Another spelling of the same answer: a batch query, column names in another case.
    let other = "%flink.bsql\nSELECT s.location AS LOCATION, r.temperature FROM sensors s, readings r WHERE s.sensor_id = r.sensor_id AND r.status = 'ERROR'";
    let v = exercise::check(ex, other);
    assert!(v.passed, "{}", v.hint);
    let too_many = exercise::check(
        ex,
        "SELECT s.location, r.temperature FROM readings r JOIN sensors s ON r.sensor_id = s.sensor_id WHERE r.status <> 'OK'",
    );
    assert_eq!(too_many.hint, "every expected row is there, but 1 more is too: the first is (location = cellar, temperature = 24.5)");
    let broken = exercise::check(ex, "SELECT nope FROM readings");
    assert!(!broken.passed && broken.hint.starts_with("your query does not run:") && broken.hint.contains("nope"), "{}", broken.hint);
}

/// The issue's own example, "3 windows by 11:21; none late": windows counted by their
/// `window_end` over the exercise's records, the hint naming the windows it saw.
#[test]
fn windows_by_a_time_and_none_late_are_checked_over_the_records() {
    let readings = sluice::views::exercise::course::files()[0].1;
    let table = "CREATE TABLE r (sensor_id INT, temperature DOUBLE, status STRING, event_time TIMESTAMP(3), \
                 WATERMARK FOR event_time AS event_time - INTERVAL 'DELAY' SECOND) \
                 WITH ('connector' = 'filesystem', 'path' = 'readings.jsonl', 'format' = 'json', \
                 'json.timestamp-format.standard' = 'ISO-8601')";
    let text = format!("%exercise\nid: by\n[records readings.jsonl]\n{readings}[expect]\nwindows: 3 by 11:21; late: none\n");
    let ex = exercise::parse(&text).unwrap();
    let query = |delay: &str, size: &str| {
        format!(
            "{};\nSELECT window_start, window_end, COUNT(*) AS n FROM TABLE(TUMBLE(TABLE r, DESCRIPTOR(event_time), INTERVAL '{size}' SECOND)) GROUP BY window_start, window_end",
            table.replace("DELAY", delay)
        )
    };
    let passed = exercise::check(&ex, &query("10", "10"));
    assert!(passed.passed, "{}", passed.hint);
    assert_eq!(
        exercise::check(&ex, &query("10", "20")).hint,
        "your result has 2 windows ending by 11:21:00 (their ends: 11:20:20, 11:20:40); the exercise wants 3"
    );
    assert_eq!(exercise::check(&ex, &query("2", "10")).hint, "1 record was dropped as late; the exercise wants 0");
    // Only windows ending by the time count.
    let by_earlier = exercise::parse(&text.replace("by 11:21", "by 2021-05-19 11:20:20")).unwrap();
    assert_eq!(
        exercise::check(&by_earlier, &query("10", "10")).hint,
        "your result has 2 windows ending by 2021-05-19 11:20:20 (their ends: 11:20:10, 11:20:20); the exercise wants 3"
    );
    let no_windows = exercise::check(&ex, &format!("{};\nSELECT sensor_id FROM r", table.replace("DELAY", "10")));
    assert!(!no_windows.passed && no_windows.hint.contains("no window_end column"), "{}", no_windows.hint);
}

/// The course's expected rows are what Apache Flink 2.3 produced over the same records
/// (`tests/flink/course.py` wrote `tests/flink/course.jsonl`), with a watermark after every
/// record as Sluice emits them. The watermark exercise's starting query drops its straggler in
/// Flink under its default periodic watermark (200 ms) as well, so the exercise teaches the same
/// thing there.
#[test]
fn the_course_expects_the_rows_real_flink_produced() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/flink/course.jsonl")).unwrap();
    let runs: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let flink = |exercise: &str, query: &str, interval: &str| -> Vec<Vec<String>> {
        let run = runs
            .iter()
            .find(|r| r["exercise"] == exercise && r["query"] == query && r["interval"] == interval)
            .unwrap_or_else(|| panic!("no Flink run of {exercise}'s {query} at interval {interval}"));
        let mut rows: Vec<Vec<String>> = serde_json::from_value(run["rows"].clone()).unwrap();
        rows.sort();
        rows
    };
    let exercises = course_exercises();
    for (ex, _) in &exercises {
        let mut expected = ex.expect_rows.clone().unwrap().rows;
        expected.sort();
        assert_eq!(expected, flink(&ex.id, "solution", "0"), "{}: the course's rows are not Flink's", ex.id);
    }
    // The starting query of the watermark exercise loses its straggler per record and periodically.
    let (watermark, start) = exercises.iter().find(|(e, _)| e.id == "watermark").unwrap();
    let counts = |rows: Vec<Vec<String>>| rows.into_iter().map(|r| r[2].clone()).collect::<Vec<_>>();
    assert_eq!(counts(flink("watermark", "start", "0")), ["6", "4", "5"]);
    assert_eq!(counts(flink("watermark", "start", "200")), ["6", "4", "5"]);
    let ours = exercise::check(watermark, start);
    assert_eq!((ours.rows, ours.late), (3, 1), "Sluice drops the straggler as Flink does per record");
}
