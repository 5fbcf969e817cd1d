//! The engine compiled to wasm32 and run in headless Chromium over the reference input gives
//! the rows Apache Flink 2.3 gave, as natively: every case of `tests/flink/`, checked by the same
//! code as the native runner (`tests/flink_case/mod.rs`).
#![cfg(target_arch = "wasm32")]

use sluice::session::{Outcome, Session};
use sluice::types::Value;
use wasm_bindgen_test::*;

mod flink_case;

wasm_bindgen_test_configure!(run_in_browser);

const INPUT: &str = include_str!("data/sensor_input.jsonl");

const TABLE: &str = "CREATE TABLE sensor_data (sensor_id INTEGER, current_temperature DOUBLE, status VARCHAR(6),
    event_time TIMESTAMP(3), WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND)
  WITH ('connector' = 'filesystem', 'path' = '/reference/input.jsonl', 'format' = 'json',
        'json.timestamp-format.standard' = 'ISO-8601')";

/// The cases of `tests/flink/`, each folder's files included. A wasm test cannot list a folder;
/// `tests/flink_reference.rs` fails if a folder is missing here.
macro_rules! cases {
    ($($name:ident),* $(,)?) => {
        const CASES: &[(&str, &[(&str, &str)])] = &[$((
            stringify!($name),
            &[
                ("query.sql", include_str!(concat!("flink/", stringify!($name), "/query.sql"))),
                ("meta.json", include_str!(concat!("flink/", stringify!($name), "/meta.json"))),
                ("case.json", include_str!(concat!("flink/", stringify!($name), "/case.json"))),
                ("expected_exact.jsonl", include_str!(concat!("flink/", stringify!($name), "/expected_exact.jsonl"))),
            ],
        )),*];
    };
}

cases! {
    cascading_tumble,
    count_distinct,
    cumulate_tvf,
    dedup_first_rowtime,
    dedup_last_rowtime,
    except_sensors,
    filter_projection,
    group_having_int_avg,
    groupby_status,
    hop_tvf,
    in_subquery_semi,
    intersect_sensors,
    interval_join_left_outer,
    interval_join_self,
    join_full_of_aggregates,
    join_values_inner,
    join_values_left,
    not_in_subquery_anti,
    over_range_1min,
    over_rows_avg,
    q1_hop_legacy,
    q1_hop_legacy_start_end,
    scalar_functions,
    select_distinct,
    session_tvf,
    topn_coolest_offset,
    topn_hottest_no_rownum,
    topn_hottest_per_status,
    topn_over_group_by,
    topn_over_group_by_no_rownum,
    tumble_listagg,
    tumble_statistics,
    tumble_tvf,
    tumble_tvf_filtered_sensor,
    union_all_groupby,
    union_all_values,
    values_group_by,
    values_table,
    window_dedup_last,
    window_join_aggregates,
    window_join_full_tvf,
    window_topn_after_agg,
    window_topn_tvf,
    window_tvf_hop_rows
}

/// Extra files a case's `case.json` names (an ordered changelog, variants of the rows).
const EXTRA_FILES: &[(&str, &str, &str)] = &[("groupby_status", "changelog.jsonl", include_str!("flink/groupby_status/changelog.jsonl"))];

/// Runs `query` over the reference input to its end: its changes, each row as JSON by column.
fn changes(query: &str) -> Result<Vec<flink_case::Change>, String> {
    let mut session = Session::empty();
    session.add_file("/reference/input.jsonl", INPUT.as_bytes().to_vec());
    session.execute(TABLE, 0).map_err(|e| format!("CREATE TABLE: {e}"))?;
    let outcomes = session.execute(query, 0).map_err(|e| e.to_string())?;
    let Some(Outcome::Query { job, columns, .. }) = outcomes.into_iter().last() else { return Err("the query started no job".into()) };
    let mut changes = Vec::new();
    session.run_to_end(job, &mut |c| changes.extend(c)).map_err(|e| format!("the job failed: {e}"))?;
    Ok(changes
        .iter()
        .map(|c| {
            let row = columns
                .iter()
                .zip(&c.row)
                .map(|(col, v)| {
                    let json = match v {
                        Value::Timestamp(_) => serde_json::Value::String(v.to_string()),
                        v => v.to_json(),
                    };
                    (col.name.clone(), json)
                })
                .collect();
            (c.kind.short().to_string(), row)
        })
        .collect())
}

/// Every case of `tests/flink/`, in the browser, as natively.
#[wasm_bindgen_test]
fn every_case_in_the_browser_matches_flink() {
    let mut failures = Vec::new();
    for (name, files) in CASES {
        let file = |f: &str| {
            let listed = files.iter().find(|(n, _)| *n == f).map(|(_, text)| *text);
            let extra = || EXTRA_FILES.iter().find(|(c, n, _)| c == name && *n == f).map(|(_, _, text)| *text);
            listed.or_else(extra).map(str::to_string)
        };
        let result = flink_case::Case::load(name, &file).and_then(|case| case.check(&changes(&case.query)?));
        if let Err(e) = result {
            failures.push(format!("tests/flink/{name}: {e}"));
        }
    }
    assert!(failures.is_empty(), "{} of {} Flink cases differ in wasm:\n\n{}", failures.len(), CASES.len(), failures.join("\n\n"));
}

#[wasm_bindgen_test]
fn batch_mode_folds_the_changelog_in_the_browser() {
    let mut session = Session::empty();
    session.add_file("/reference/input.jsonl", INPUT.as_bytes().to_vec());
    session.execute(TABLE, 0).unwrap_or_else(|e| panic!("CREATE TABLE: {e}"));
    let outcomes = session
        .execute("%flink.bsql\nSELECT status, COUNT(*) AS num FROM sensor_data GROUP BY status", 0)
        .unwrap_or_else(|e| panic!("batch query: {e}"));
    let Some(Outcome::Table { rows, .. }) = outcomes.into_iter().last() else { panic!("a batch query returns a table") };
    let total: i64 = rows.iter().map(|r| if let Value::Int(n) = r[1] { n } else { 0 }).sum();
    assert_eq!(rows.len(), 3);
    assert_eq!(total, 10_000, "every reference record is counted once");
}
