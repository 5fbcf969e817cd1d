//! Golden tests against Apache Flink 2.3: each case in `tests/flink/<case>/` holds a query, the
//! rows real Flink produced for `tests/data/sensor_input.jsonl`, and the count of changes it
//! emitted. `sluice run` must produce the same rows (as a multiset; doubles within 1e-9
//! relative, since Flink sums window slices in a different order) and the same change counts.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use common::{sensor_table as create_table, sluice_run, Run};
use serde_json::{Map, Value};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Applies a changelog: the final rows (+I/+U add a row, -U/-D remove an equal one).
fn final_rows(changes: &[(String, Map<String, Value>)]) -> Vec<Map<String, Value>> {
    let mut rows: Vec<Map<String, Value>> = Vec::new();
    for (op, row) in changes {
        match op.as_str() {
            "+I" | "+U" => rows.push(row.clone()),
            "-U" | "-D" => {
                let i = rows.iter().position(|r| r == row).unwrap_or_else(|| panic!("{op} of a row not in the result: {row:?}"));
                rows.swap_remove(i);
            }
            other => panic!("unknown op {other}"),
        }
    }
    rows
}

fn values_match(a: &Value, b: &Value, rel: f64) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) if x.is_f64() || y.is_f64() => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            x == y || (x - y).abs() <= rel * x.abs().max(y.abs())
        }
        _ => a == b,
    }
}

fn rows_match(a: &Map<String, Value>, b: &Map<String, Value>, rel: f64) -> bool {
    a.len() == b.len() && a.iter().all(|(k, v)| b.get(k).is_some_and(|w| values_match(v, w, rel)))
}

/// Multiset equality with a tolerance on doubles; panics with the first differences.
fn assert_same_rows(case: &str, actual: Vec<Map<String, Value>>, expected: Vec<Map<String, Value>>) {
    let mut unmatched: Vec<Map<String, Value>> = expected;
    let mut extra = Vec::new();
    // Bucket by the row's non-double values so matching stays fast on thousands of rows.
    let key = |r: &Map<String, Value>| r.iter().filter(|(_, v)| !v.is_f64()).map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",");
    let mut buckets: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, r) in unmatched.iter().enumerate() {
        buckets.entry(key(r)).or_default().push(i);
    }
    let mut used = vec![false; unmatched.len()];
    for row in actual {
        let hit = buckets.get(&key(&row)).and_then(|c| c.iter().copied().find(|&i| !used[i] && rows_match(&row, &unmatched[i], 1e-9)));
        match hit {
            Some(i) => used[i] = true,
            None => extra.push(row),
        }
    }
    let missing: Vec<_> = unmatched.drain(..).enumerate().filter(|(i, _)| !used[*i]).map(|(_, r)| r).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{case}: {} rows missing, {} unexpected\n  first missing: {:?}\n  first unexpected: {:?}",
        missing.len(),
        extra.len(),
        missing.first(),
        extra.first()
    );
}

fn read_jsonl(path: &Path) -> Vec<Map<String, Value>> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str::<Value>(l).unwrap().as_object().unwrap().clone())
        .collect()
}

/// Runs a reference case and checks its rows, change counts and column order.
fn check_case(case: &str) -> Run {
    let dir = root().join("tests/flink").join(case);
    let query = std::fs::read_to_string(dir.join("query.sql")).unwrap();
    let script = format!("{}{};\n", create_table(&root().join("tests/data/sensor_input.jsonl")), query.trim().trim_end_matches(';'));
    let run = sluice_run(&script);
    assert_eq!(run.code, 0, "{case}: sluice run failed:\n{}", run.stderr);
    let meta: Value = serde_json::from_str(&std::fs::read_to_string(dir.join("meta.json")).unwrap()).unwrap();
    // Some cases compare rows only; generate.py says why for each.
    let compare_changes = meta["changes_not_compared"].is_null();
    for op in ["+I", "-U", "+U", "-D"].into_iter().filter(|_| compare_changes) {
        let count = run.changes.iter().filter(|(o, _)| o == op).count() as u64;
        assert_eq!(count, meta["ops"][op].as_u64().unwrap(), "{case}: number of {op} changes");
    }
    let columns: Vec<&str> = meta["columns"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    if let Some((_, first)) = run.changes.first() {
        assert_eq!(first.keys().map(String::as_str).collect::<Vec<_>>(), columns, "{case}: column names and order");
    }
    let expected = read_jsonl(&dir.join("expected_exact.jsonl"));
    assert_same_rows(case, final_rows(&run.changes), expected);
    run
}

#[test]
fn groupby_status_final_rows_and_changelog_match_flink() {
    let run = check_case("groupby_status");
    // Flink's changelog order, change by change (printed to 6 significant digits).
    let expected: Vec<Value> = std::fs::read_to_string(root().join("tests/flink/groupby_status/changelog.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(run.changes.len(), expected.len());
    for (i, ((op, row), want)) in run.changes.iter().zip(&expected).enumerate() {
        assert_eq!(op, want["op"].as_str().unwrap(), "change {i}");
        assert!(rows_match(row, want["row"].as_object().unwrap(), 5e-6), "change {i}: {row:?} vs {want}");
    }
}

#[test]
fn filter_projection_matches_flink() {
    check_case("filter_projection");
}

#[test]
fn walkthrough_hop_query_matches_flink() {
    check_case("q1_hop_legacy");
}

#[test]
fn hop_start_and_end_match_flink() {
    check_case("q1_hop_legacy_start_end");
}

#[test]
fn hop_table_function_matches_flink() {
    check_case("hop_tvf");
}

#[test]
fn tumble_table_function_matches_flink() {
    check_case("tumble_tvf");
}

#[test]
fn tumble_after_filter_matches_flink() {
    check_case("tumble_tvf_filtered_sensor");
}

#[test]
fn cumulate_table_function_matches_flink() {
    check_case("cumulate_tvf");
}

#[test]
fn session_table_function_matches_flink() {
    check_case("session_tvf");
}

#[test]
fn over_rows_window_matches_flink() {
    check_case("over_rows_avg");
}

#[test]
fn over_range_window_matches_flink_including_its_cleanup_timer_drop() {
    check_case("over_range_1min");
}

// Cases of our own, with rows produced by Apache Flink 2.3 (tests/flink/generate.py).

#[test]
fn select_distinct_matches_flink() {
    check_case("select_distinct");
}

#[test]
fn count_distinct_changelog_matches_flink() {
    check_case("count_distinct");
}

/// HAVING over an updating aggregate: Flink filters each change on its own, so a group that
/// passes HAVING late shows up as a `+U` with no `+I` before it.
#[test]
fn having_filters_each_change_like_flink() {
    check_case("group_having_int_avg");
}

#[test]
fn window_statistics_and_distinct_counts_match_flink() {
    check_case("tumble_statistics");
}

#[test]
fn listagg_in_arrival_order_matches_flink() {
    check_case("tumble_listagg");
}

#[test]
fn scalar_functions_match_flink() {
    check_case("scalar_functions");
}

#[test]
fn union_all_into_group_by_matches_flink() {
    check_case("union_all_groupby");
}

#[test]
fn cascading_windows_over_a_cte_match_flink() {
    check_case("cascading_tumble");
}

// Top-N, deduplication and their per-window forms (issue 4).

/// With the row number selected, a row entering the top moves the rows below it down:
/// `-U`/`+U` per moved row, as Flink's `AppendOnlyTopNFunction` emits them.
#[test]
fn top_n_with_row_number_changelog_matches_flink() {
    check_case("topn_hottest_per_status");
}

/// Without the row number, the row falling out is deleted and the new one inserted.
#[test]
fn top_n_without_row_number_changelog_matches_flink() {
    check_case("topn_hottest_no_rownum");
}

#[test]
fn top_n_with_an_offset_matches_flink() {
    check_case("topn_coolest_offset");
}

/// Keep-first emits each key's earliest row once the watermark passes it, and drops late rows.
#[test]
fn deduplication_keeping_the_first_row_matches_flink() {
    check_case("dedup_first_rowtime");
}

#[test]
fn deduplication_keeping_the_last_row_matches_flink() {
    check_case("dedup_last_rowtime");
}

#[test]
fn window_top_n_after_a_window_aggregate_matches_flink() {
    check_case("window_topn_after_agg");
}

#[test]
fn window_top_n_over_a_window_table_function_matches_flink() {
    check_case("window_topn_tvf");
}

#[test]
fn window_deduplication_matches_flink() {
    check_case("window_dedup_last");
}

/// A window table function read directly: each row once per window, late windows skipped.
#[test]
fn hopping_window_rows_without_an_aggregate_match_flink() {
    check_case("window_tvf_hop_rows");
}

#[test]
fn values_as_a_table_matches_flink() {
    check_case("values_table");
}

#[test]
fn values_into_group_by_matches_flink() {
    check_case("values_group_by");
}

/// A stream joined with a VALUES table of sensor metadata (one sensor has no readings).
#[test]
fn join_with_a_values_table_matches_flink() {
    check_case("join_values_inner");
}

/// LEFT JOIN of a stream with a bounded table: Sluice reads the bounded side first, so no
/// NULL-padded row is ever retracted (Flink read it first here too).
#[test]
fn left_join_with_a_values_table_matches_flink() {
    check_case("join_values_left");
}

/// FULL JOIN of two updating aggregates over the same source: retractions on both sides.
#[test]
fn full_join_of_two_group_aggregates_matches_flink() {
    check_case("join_full_of_aggregates");
}

/// A self interval join (each reading with the same sensor's readings 1–10 s later), late
/// rows included.
#[test]
fn interval_self_join_matches_flink() {
    check_case("interval_join_self");
}

/// A LEFT interval join with strict and inclusive bounds: errors with and without a recovery
/// within 30 s; the unmatched come out NULL-padded once the watermark passes their bound.
#[test]
fn left_outer_interval_join_matches_flink() {
    check_case("interval_join_left_outer");
}

/// A window join of two window aggregates on window_start/window_end and the sensor.
#[test]
fn window_join_of_window_aggregates_matches_flink() {
    check_case("window_join_aggregates");
}

/// A FULL window join of two window table functions' rows; late rows are dropped.
#[test]
fn full_window_join_of_window_rows_matches_flink() {
    check_case("window_join_full_tvf");
}

/// INTERSECT (set semantics) of two views of one table.
#[test]
fn intersect_matches_flink() {
    check_case("intersect_sensors");
}

/// EXCEPT (set semantics): rows of the left that the right never has, retracted when it does.
#[test]
fn except_matches_flink() {
    check_case("except_sensors");
}

/// UNION ALL of a stream and a VALUES table: two different inputs.
#[test]
fn union_all_of_a_stream_and_values_matches_flink() {
    check_case("union_all_values");
}

/// Top-N over a GROUP BY's updating result, with the row number read.
#[test]
fn top_n_over_an_updating_aggregate_matches_flink() {
    check_case("topn_over_group_by");
}

/// Top-N over an updating aggregate without the row number.
#[test]
fn top_n_over_an_updating_aggregate_without_row_number_matches_flink() {
    check_case("topn_over_group_by_no_rownum");
}

/// `x IN (SELECT …)` as a semi-join: a reading comes out once its sensor has a partner.
#[test]
fn in_subquery_matches_flink() {
    check_case("in_subquery_semi");
}

/// `x NOT IN (SELECT …)` as an anti-join: a reading comes out, and goes when a partner comes.
#[test]
fn not_in_subquery_matches_flink() {
    check_case("not_in_subquery_anti");
}

/// `SELECT 1 AS n, …` without FROM: one row from a one-row, zero-column VALUES, then the job ends.
#[test]
fn select_without_from_matches_flink() {
    check_case("select_without_from");
}

/// A bare `VALUES` query: Flink names its columns EXPR$0, EXPR$1.
#[test]
fn values_query_matches_flink() {
    check_case("values_query");
}

/// `SELECT * … LIMIT 10` over the stream: the first ten rows to arrive. At parallelism 1 over
/// the file read in order (as generate.py runs Flink) they are the file's first ten; with
/// more parallel readers Flink's ten could differ from run to run.
#[test]
fn limit_without_order_matches_flink() {
    check_case("limit_10");
}

/// `LIMIT 5 OFFSET 3` after a filter: rows 4 to 8 of those that pass it.
#[test]
fn limit_with_offset_matches_flink() {
    check_case("limit_offset_filtered");
}

/// `FETCH FIRST 4 ROWS ONLY`, the standard spelling of LIMIT.
#[test]
fn fetch_first_matches_flink() {
    check_case("fetch_first");
}

/// `ORDER BY current_temperature DESC, event_time LIMIT 5`: a Top-N over the whole stream,
/// deleting each row that falls out of the top five (Flink's `SortLimit`).
#[test]
fn order_by_limit_matches_flink() {
    check_case("order_by_limit_hottest");
}

/// Event times of a run's rows, in the order they were emitted.
fn emitted_times(run: &Run) -> Vec<String> {
    run.changes.iter().map(|(_, row)| row["event_time"].as_str().unwrap_or_default().to_string()).collect()
}

/// `ORDER BY event_time` on the stream (Flink's `TemporalSort`): every row that is not late
/// comes out once the watermark passes it, in event-time order.
#[test]
fn order_by_a_time_attribute_matches_flink() {
    let run = check_case("order_by_rowtime");
    let times = emitted_times(&run);
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "rows come out in event-time order");
}

/// `ORDER BY event_time, sensor_id DESC` over many sensors, with late rows dropped as Flink's
/// `RowTimeSortOperator` drops them (at or before the last time it emitted).
#[test]
fn order_by_a_time_attribute_then_a_column_matches_flink() {
    let run = check_case("order_by_rowtime_then_id");
    let times = emitted_times(&run);
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "rows come out in event-time order");
    let ids: Vec<(String, i64)> =
        run.changes.iter().map(|(_, r)| (r["event_time"].to_string(), r["sensor_id"].as_i64().unwrap())).collect();
    assert!(ids.windows(2).all(|w| w[0].0 != w[1].0 || w[0].1 >= w[1].1), "ties on time ordered by sensor_id DESC");
}
