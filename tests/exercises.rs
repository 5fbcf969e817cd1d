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
        "3 of 7 expected rows match; the first one missing is (window_start = 2021-05-19 11:19:55, window_end = 2021-05-19 11:20:05, max_temp = 35.5)"
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
