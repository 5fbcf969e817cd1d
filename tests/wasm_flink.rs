//! The engine compiled to wasm32 and run in headless Chromium over the reference input gives
//! the rows Apache Flink 2.3 gave, as natively: the cases of `tests/flink/` marked for wasm (the
//! walkthrough's Q1, an interval self-join, a FULL JOIN of two updating aggregates), checked by
//! the same code as the native runner (`tests/flink_case/mod.rs`).
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

/// The cases of `tests/flink/` whose case.json says `"wasm": true`, each folder's files included,
/// each case a test of its own. A wasm test cannot list a folder; `tests/flink_reference.rs`
/// fails if this list and the marked folders differ.
macro_rules! cases {
    ($($name:ident),* $(,)?) => {$(
        #[wasm_bindgen_test]
        fn $name() {
            let files: [(&str, &str); 4] = [
                ("query.sql", include_str!(concat!("flink/", stringify!($name), "/query.sql"))),
                ("meta.json", include_str!(concat!("flink/", stringify!($name), "/meta.json"))),
                ("case.json", include_str!(concat!("flink/", stringify!($name), "/case.json"))),
                ("expected_exact.jsonl", include_str!(concat!("flink/", stringify!($name), "/expected_exact.jsonl"))),
            ];
            check_case(stringify!($name), &files);
        }
    )*};
}

/// Cases with an input and a table of their own (`input.jsonl`, `table.sql`).
macro_rules! own_input_cases {
    ($($name:ident),* $(,)?) => {$(
        #[wasm_bindgen_test]
        fn $name() {
            let files: [(&str, &str); 6] = [
                ("query.sql", include_str!(concat!("flink/", stringify!($name), "/query.sql"))),
                ("meta.json", include_str!(concat!("flink/", stringify!($name), "/meta.json"))),
                ("case.json", include_str!(concat!("flink/", stringify!($name), "/case.json"))),
                ("expected_exact.jsonl", include_str!(concat!("flink/", stringify!($name), "/expected_exact.jsonl"))),
                ("table.sql", include_str!(concat!("flink/", stringify!($name), "/table.sql"))),
                ("input.jsonl", include_str!(concat!("flink/", stringify!($name), "/input.jsonl"))),
            ];
            check_case(stringify!($name), &files);
        }
    )*};
}

cases! {
    agg_filter_tumble,
    exists_uncorrelated,
    interval_join_self,
    join_full_of_aggregates,
    limit_10,
    limit_offset_filtered,
    match_ok_then_error,
    match_subset_aggregates,
    order_by_limit_hottest,
    order_by_rowtime_then_id,
    scalar_subquery_count,
    q1_hop_legacy,
    select_without_from,
    temporal_join_last_error,
    tumble_grouping_sets,
}

own_input_cases! {
    json_collections_cardinality,
    temporal_join_debezium_rates,
    temporal_join_left_debezium_rates,
    unnest_cross_join,
}

/// Extra files a listed case's `case.json` names (an ordered changelog, variants of the rows):
/// (case, file name, text).
const EXTRA_FILES: &[(&str, &str, &str)] = &[
    ("temporal_join_last_error", "expected_run2.jsonl", include_str!("flink/temporal_join_last_error/expected_run2.jsonl")),
    ("temporal_join_debezium_rates", "rates.jsonl", include_str!("flink/temporal_join_debezium_rates/rates.jsonl")),
    ("temporal_join_left_debezium_rates", "rates.jsonl", include_str!("flink/temporal_join_left_debezium_rates/rates.jsonl")),
];

/// Runs `query` over the reference input (or a case's own `table.sql` and `input.jsonl`, and
/// the other files of its folder `{dir}` names, `(name, text)`) to its end: its changes, each
/// row as JSON by column.
fn changes(query: &str, own: Option<(String, String)>, others: &[(&str, &str)]) -> Result<Vec<flink_case::Change>, String> {
    let mut session = Session::empty();
    let table = match own {
        Some((table, input)) => {
            session.add_file("/case/input.jsonl", input.into_bytes());
            for (name, text) in others {
                session.add_file(&format!("/case/{name}"), text.as_bytes().to_vec());
            }
            table.replace("{input}", "/case/input.jsonl").replace("{dir}", "/case")
        }
        None => {
            session.add_file("/reference/input.jsonl", INPUT.as_bytes().to_vec());
            TABLE.to_string()
        }
    };
    // `table.sql` may create several tables, `;` between them.
    for statement in table.split(';').filter(|s| !s.trim().is_empty()) {
        session.execute(statement, 0).map_err(|e| format!("CREATE TABLE: {e}"))?;
    }
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
                        v => {
                            let mut text = String::new();
                            v.write_json(&mut text);
                            serde_json::from_str(&text).unwrap_or(serde_json::Value::Null)
                        }
                    };
                    (col.name.clone(), json)
                })
                .collect();
            (c.kind.short().to_string(), row)
        })
        .collect())
}

/// One case of `tests/flink/`, in the browser, checked as natively.
fn check_case(name: &str, files: &[(&str, &str)]) {
    let file = |f: &str| {
        let listed = files.iter().find(|(n, _)| *n == f).map(|(_, text)| *text);
        let extra = || EXTRA_FILES.iter().find(|(c, n, _)| *c == name && *n == f).map(|(_, _, text)| *text);
        listed.or_else(extra).map(str::to_string)
    };
    let own = file("table.sql").zip(file("input.jsonl"));
    let others: Vec<(&str, &str)> = EXTRA_FILES
        .iter()
        .filter(|(c, n, _)| *c == name && n.ends_with(".jsonl") && !n.starts_with("expected"))
        .map(|(_, n, t)| (*n, *t))
        .collect();
    let result = flink_case::Case::load(name, &file).and_then(|case| case.check(&changes(&case.query, own, &others)?));
    if let Err(e) = result {
        panic!("tests/flink/{name} differs in wasm: {e}");
    }
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
