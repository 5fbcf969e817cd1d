//! Clauses Flink 2.3 runs that Sluice refused before: ORDER BY what the SELECT list leaves out
//! (a hidden sort column), LIMIT without ORDER BY over an updating input (a rank with no sort
//! key), a grouping set listed twice (GROUP_ID() tells the copies apart), RANK() / DENSE_RANK()
//! / ROW_NUMBER() without a Top-N filter (OVER aggregates). Every expectation is
//! PyFlink 2.3's answer to the same statement over the same records, as
//! `tests/flink/clauses.py` prints it (the comments name its queries): run it to remake them.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::run_over;
use serde_json::{json, Value};

fn rec(sensor: i64, temp: f64, status: &str, time: &str) -> Value {
    json!({"sensor_id": sensor, "current_temperature": temp, "status": status, "event_time": format!("2021-05-19T11:{time}")})
}

/// clauses.py's RECORDS (times are `mm:ss.fff` after 11:00).
fn records() -> Vec<Value> {
    vec![
        rec(1, 10.0, "OK", "20:01.000"),
        rec(2, 20.0, "OK", "20:15.000"),
        rec(1, 30.0, "ERROR", "20:25.000"),
        rec(1, 40.0, "OK", "20:45.000"),
        rec(3, 50.0, "OK", "21:05.000"),
        rec(2, 60.0, "OK", "21:30.000"),
    ]
}

/// A cell as clauses.py prints Flink's: NULL, a string as it is, a number as Python prints it
/// (`10.0`), a timestamp as Python's `str` of a whole second (`2021-05-19 11:20:00`).
fn cell(v: &Value) -> String {
    match v {
        Value::Null => "NULL".into(),
        Value::String(s) => match s.strip_suffix(".000") {
            Some(t) if t.len() == 19 && t.as_bytes()[10] == b'T' => t.replacen('T', " ", 1),
            _ => s.clone(),
        },
        other => other.to_string(),
    }
}

/// Every change `query` emits over `records`, as clauses.py prints them (`+I OK 1`).
fn changes(records: &[Value], query: &str) -> Vec<String> {
    let run = run_over(records, &format!("{query};"));
    assert_eq!(run.code, 0, "{query}: sluice run failed:\n{}", run.stderr);
    run.changes.iter().map(|(op, row)| std::iter::once(op.clone()).chain(row.values().map(cell)).collect::<Vec<_>>().join(" ")).collect()
}

/// The rows a changelog ends with, sorted: each `+I`/`+U` adds its row, each `-U`/`-D` takes
/// one equal row away.
fn final_rows(changes: &[impl AsRef<str>]) -> Vec<String> {
    let mut rows: Vec<String> = Vec::new();
    for change in changes {
        let (op, row) = change.as_ref().split_once(' ').unwrap_or((change.as_ref(), ""));
        match op {
            "+I" | "+U" => rows.push(row.to_string()),
            _ => {
                let i = rows.iter().position(|r| r == row).unwrap_or_else(|| panic!("{op} of a row not in the result: {row}"));
                rows.remove(i);
            }
        }
    }
    rows.sort();
    rows
}

/// The error `query` stops with (the statement must fail, and not by panicking).
fn refused(query: &str) -> String {
    let run = run_over(&records(), &format!("{query};"));
    assert_ne!(run.code, 0, "{query}: expected an error, got {:?}", run.changes);
    assert!(!run.stderr.contains("panicked"), "{query}: panicked: {}", run.stderr);
    run.stderr
}

type Cases = &'static [(&'static str, &'static [&'static str])];

/// ORDER BY a column (or an expression over columns) the SELECT leaves out: Flink's planner
/// projects it as a hidden column, sorts (by time) or ranks (with LIMIT / FETCH) by it, and
/// drops it. Insert-only inputs: the same changes as Flink, in order.
const ORDER_BY_HIDDEN: Cases = &[
    (
        // order_hidden_time
        "SELECT status FROM sensor_data ORDER BY event_time",
        &["+I OK", "+I OK", "+I ERROR", "+I OK", "+I OK", "+I OK"],
    ),
    (
        // order_hidden_time_then_other
        "SELECT status FROM sensor_data ORDER BY event_time, current_temperature DESC",
        &["+I OK", "+I OK", "+I ERROR", "+I OK", "+I OK", "+I OK"],
    ),
    (
        // order_hidden_expression_time
        "SELECT sensor_id FROM sensor_data ORDER BY event_time, sensor_id + current_temperature",
        &["+I 1", "+I 2", "+I 1", "+I 1", "+I 3", "+I 2"],
    ),
    (
        // order_hidden_limit
        "SELECT sensor_id FROM sensor_data ORDER BY current_temperature DESC LIMIT 2",
        &["+I 1", "+I 2", "-D 1", "+I 1", "-D 2", "+I 1", "-D 1", "+I 3", "-D 1", "+I 2"],
    ),
    (
        // order_hidden_fetch
        "SELECT status FROM sensor_data ORDER BY current_temperature DESC OFFSET 1 ROWS FETCH NEXT 2 ROWS ONLY",
        &[
            "+I OK", "-U OK", "+U OK", "+I OK", "-U OK", "+U ERROR", "-U OK", "+U OK", "-U ERROR", "+U OK", "-U OK", "+U ERROR", "-U OK",
            "+U OK", "-U ERROR", "+U OK",
        ],
    ),
    (
        // order_hidden_expression_limit
        "SELECT status FROM sensor_data ORDER BY sensor_id * -1, current_temperature LIMIT 3",
        &["+I OK", "+I OK", "+I ERROR", "-D ERROR", "+I OK", "-D OK", "+I OK"],
    ),
    (
        // order_hidden_qualified
        "SELECT s.status FROM sensor_data AS s ORDER BY s.current_temperature LIMIT 1",
        &["+I OK"],
    ),
    (
        // order_hidden_alias_first
        "SELECT sensor_id AS current_temperature FROM sensor_data ORDER BY current_temperature DESC LIMIT 2",
        &["+I 1", "+I 2", "-D 1", "+I 3"],
    ),
    (
        // order_alias_in_expression
        "SELECT sensor_id AS id FROM sensor_data ORDER BY id * -1, current_temperature LIMIT 2",
        &["+I 1", "+I 2", "-D 1", "+I 3"],
    ),
];

#[test]
fn order_by_what_the_select_leaves_out_gives_flinks_changes() {
    for (query, expected) in ORDER_BY_HIDDEN {
        assert_eq!(changes(&records(), query), *expected, "{query}");
    }
}

/// The same over an aggregate (a key or an aggregate the SELECT leaves out) or a window's
/// result: a Top-N over an updating input, whose final rows are Flink's; its intermediate
/// changes differ as DIFFERENCES.md ("Top-N over an updating input") says.
const ORDER_BY_HIDDEN_OVER_UPDATES: Cases = &[
    (
        // order_hidden_group_key
        "SELECT COUNT(*) AS n FROM sensor_data GROUP BY status ORDER BY status LIMIT 5",
        &[
            "+I 1", "-U 1", "+U 2", "+I 1", "-U 2", "+U 3", "-U 3", "+U 4", "-U 4", "+U 5",
        ],
    ),
    (
        // order_hidden_aggregate
        "SELECT status FROM sensor_data GROUP BY status ORDER BY MAX(current_temperature) DESC LIMIT 1",
        &[
            "+I OK", "-U OK", "+U OK", "-U OK", "+U ERROR", "-U ERROR", "+U OK", "-U OK", "+U OK", "-U OK", "+U OK",
        ],
    ),
    (
        // order_hidden_subquery
        "SELECT status FROM (SELECT status, COUNT(*) AS n, MAX(current_temperature) AS hi FROM sensor_data GROUP BY status) ORDER BY hi DESC LIMIT 1",
        &[
            "+I OK", "-U OK", "+U OK", "-U OK", "+U ERROR", "-U ERROR", "+U OK", "-U OK", "+U OK", "-U OK", "+U OK",
        ],
    ),
    (
        // order_hidden_window
        "SELECT COUNT(*) AS n FROM TABLE(TUMBLE(TABLE sensor_data, DESCRIPTOR(event_time), INTERVAL '1' MINUTE)) GROUP BY window_start, window_end ORDER BY window_start DESC LIMIT 1",
        &[
            "+I 4", "-U 4", "+U 2",
        ],
    ),
];

#[test]
fn order_by_a_hidden_key_or_aggregate_ends_with_flinks_rows() {
    for (query, expected) in ORDER_BY_HIDDEN_OVER_UPDATES {
        assert_eq!(final_rows(&changes(&records(), query)), final_rows(expected), "{query}");
    }
}

/// What Flink refuses in these ORDER BYs, with its words (a column nobody has: Sluice's own).
#[test]
fn order_by_refusals_give_flinks_message() {
    for (query, message) in [
        ("SELECT status FROM sensor_data ORDER BY current_temperature", "Sort on a non-time-attribute field is not supported."),
        ("SELECT status FROM sensor_data ORDER BY event_time DESC", "Sort on a non-time-attribute field is not supported."),
        ("SELECT status FROM sensor_data GROUP BY status ORDER BY sensor_id LIMIT 1", "`sensor_id` is not being grouped"),
        (
            "SELECT DISTINCT status FROM sensor_data ORDER BY current_temperature LIMIT 1",
            "Expression 'current_temperature' is not in the select clause",
        ),
        (
            "SELECT status FROM sensor_data UNION ALL SELECT status FROM sensor_data ORDER BY current_temperature LIMIT 1",
            "Column 'current_temperature' not found in any table",
        ),
        ("SELECT * FROM sensor_data ORDER BY 9 LIMIT 2", "Ordinal out of range"),
        ("SELECT status FROM sensor_data ORDER BY nope LIMIT 1", "column `nope` not found"),
    ] {
        let err = refused(query);
        assert!(err.contains(message), "{query}: {err}");
    }
}

/// LIMIT without ORDER BY over an updating input: Flink's `StreamExecLimit` ranks every row
/// in arrival order, so a row's update leaves the first n and lets the next row in. The same
/// changes as Flink, in order.
const LIMIT_OVER_UPDATES: Cases = &[
    (
        // limit_updating
        "SELECT status, n FROM (SELECT status, COUNT(*) AS n, MAX(current_temperature) AS hi FROM sensor_data GROUP BY status) LIMIT 1",
        &[
            "+I OK 1", "-D OK 1", "+I OK 2", "-D OK 2", "+I ERROR 1",
        ],
    ),
    (
        // limit_updating_two
        "SELECT * FROM (SELECT status, COUNT(*) AS n, MAX(current_temperature) AS hi FROM sensor_data GROUP BY status) LIMIT 2",
        &[
            "+I OK 1 10.0", "-D OK 1 10.0", "+I OK 2 20.0", "+I ERROR 1 30.0", "-D OK 2 20.0", "+I OK 3 40.0", "-D OK 3 40.0",
            "+I OK 4 50.0", "-D OK 4 50.0", "+I OK 5 60.0",
        ],
    ),
    (
        // limit_updating_offset
        "SELECT status, n FROM (SELECT status, COUNT(*) AS n, MAX(current_temperature) AS hi FROM sensor_data GROUP BY status) LIMIT 1 OFFSET 1",
        &[
            "+I ERROR 1", "-D ERROR 1", "+I OK 3", "-D OK 3", "+I OK 4", "-D OK 4", "+I OK 5",
        ],
    ),
    (
        // limit_updating_fetch
        "SELECT n FROM (SELECT status, COUNT(*) AS n, MAX(current_temperature) AS hi FROM sensor_data GROUP BY status) FETCH FIRST 1 ROWS ONLY",
        &[
            "+I 1", "-D 1", "+I 2", "-D 2", "+I 1",
        ],
    ),
];

#[test]
fn limit_over_an_updating_input_gives_flinks_changes() {
    for (query, expected) in LIMIT_OVER_UPDATES {
        assert_eq!(changes(&records(), query), *expected, "{query}");
    }
}

/// `LIMIT 0` keeps no row (Calcite prunes it to an empty result for Flink): over an updating
/// input, ranked or not, Sluice's retracting rank keeps none either (it panicked ranking an
/// empty range before).
#[test]
fn limit_zero_over_an_updating_input_gives_no_rows() {
    for query in [
        // limit_zero_updating, order_limit_zero_updating
        "SELECT status, n FROM (SELECT status, COUNT(*) AS n FROM sensor_data GROUP BY status) LIMIT 0",
        "SELECT status FROM (SELECT status, COUNT(*) AS n FROM sensor_data GROUP BY status) ORDER BY n LIMIT 0",
    ] {
        assert_eq!(changes(&records(), query), Vec::<String>::new(), "{query}");
    }
}

/// A grouping set listed twice: each copy is grouped on its own and GROUP_ID() says which copy
/// (Flink: a union of aggregates, one per copy; it emits one copy's changes after the other's,
/// either copy first from run to run, so only the final rows are compared).
const REPEATED_GROUPING_SETS: Cases = &[
    (
        // group_id_twice
        "SELECT status, COUNT(*) AS n, GROUP_ID() AS g FROM sensor_data GROUP BY GROUPING SETS ((status), (status))",
        &[
            "+I OK 1 0", "-U OK 1 0", "+U OK 2 0", "+I ERROR 1 0", "-U OK 2 0", "+U OK 3 0", "-U OK 3 0", "+U OK 4 0",
            "-U OK 4 0", "+U OK 5 0", "+I OK 1 1", "-U OK 1 1", "+U OK 2 1", "+I ERROR 1 1", "-U OK 2 1", "+U OK 3 1",
            "-U OK 3 1", "+U OK 4 1", "-U OK 4 1", "+U OK 5 1",
        ],
    ),
    (
        // group_id_three
        "SELECT sensor_id, COUNT(*) AS n, GROUP_ID() AS g, GROUPING(sensor_id) AS gs FROM sensor_data GROUP BY GROUPING SETS ((sensor_id), (), (sensor_id), ())",
        &[
            "+I 1 1 0 0", "+I NULL 1 0 1", "+I 2 1 0 0", "-U NULL 1 0 1", "+U NULL 2 0 1", "-U 1 1 0 0", "+U 1 2 0 0",
            "-U NULL 2 0 1", "+U NULL 3 0 1", "-U 1 2 0 0", "+U 1 3 0 0", "-U NULL 3 0 1", "+U NULL 4 0 1", "+I 3 1 0 0",
            "-U NULL 4 0 1", "+U NULL 5 0 1", "-U 2 1 0 0", "+U 2 2 0 0", "-U NULL 5 0 1", "+U NULL 6 0 1", "+I 1 1 1 0",
            "+I NULL 1 1 1", "+I 2 1 1 0", "-U NULL 1 1 1", "+U NULL 2 1 1", "-U 1 1 1 0", "+U 1 2 1 0", "-U NULL 2 1 1",
            "+U NULL 3 1 1", "-U 1 2 1 0", "+U 1 3 1 0", "-U NULL 3 1 1", "+U NULL 4 1 1", "+I 3 1 1 0", "-U NULL 4 1 1",
            "+U NULL 5 1 1", "-U 2 1 1 0", "+U 2 2 1 0", "-U NULL 5 1 1", "+U NULL 6 1 1",
        ],
    ),
    (
        // group_id_full_twice
        "SELECT status, sensor_id, COUNT(*) AS n, GROUP_ID() AS g FROM sensor_data GROUP BY GROUPING SETS ((status, sensor_id), (status), (), (status, sensor_id))",
        &[
            "+I OK 1 1 0", "+I OK NULL 1 0", "+I NULL NULL 1 0", "+I OK 2 1 0", "-U OK NULL 1 0", "+U OK NULL 2 0",
            "-U NULL NULL 1 0", "+U NULL NULL 2 0", "+I ERROR 1 1 0", "+I ERROR NULL 1 0", "-U NULL NULL 2 0",
            "+U NULL NULL 3 0", "-U OK 1 1 0", "+U OK 1 2 0", "-U OK NULL 2 0", "+U OK NULL 3 0", "-U NULL NULL 3 0",
            "+U NULL NULL 4 0", "+I OK 3 1 0", "-U OK NULL 3 0", "+U OK NULL 4 0", "-U NULL NULL 4 0", "+U NULL NULL 5 0",
            "-U OK 2 1 0", "+U OK 2 2 0", "-U OK NULL 4 0", "+U OK NULL 5 0", "-U NULL NULL 5 0", "+U NULL NULL 6 0",
            "+I OK 1 1 1", "+I OK 2 1 1", "+I ERROR 1 1 1", "-U OK 1 1 1", "+U OK 1 2 1", "+I OK 3 1 1", "-U OK 2 1 1",
            "+U OK 2 2 1",
        ],
    ),
    (
        // group_id_plain_key
        "SELECT status, sensor_id, COUNT(*) AS n, GROUP_ID() AS g FROM sensor_data GROUP BY status, GROUPING SETS ((sensor_id), (sensor_id))",
        &[
            "+I OK 1 1 0", "+I OK 2 1 0", "+I ERROR 1 1 0", "-U OK 1 1 0", "+U OK 1 2 0", "+I OK 3 1 0", "-U OK 2 1 0",
            "+U OK 2 2 0", "+I OK 1 1 1", "+I OK 2 1 1", "+I ERROR 1 1 1", "-U OK 1 1 1", "+U OK 1 2 1", "+I OK 3 1 1",
            "-U OK 2 1 1", "+U OK 2 2 1",
        ],
    ),
    (
        // group_id_once
        "SELECT status, COUNT(*) AS n, GROUP_ID() AS g FROM sensor_data GROUP BY GROUPING SETS ((status), ())",
        &[
            "+I OK 1 0", "+I NULL 1 0", "-U OK 1 0", "+U OK 2 0", "-U NULL 1 0", "+U NULL 2 0", "+I ERROR 1 0", "-U NULL 2 0",
            "+U NULL 3 0", "-U OK 2 0", "+U OK 3 0", "-U NULL 3 0", "+U NULL 4 0", "-U OK 3 0", "+U OK 4 0", "-U NULL 4 0",
            "+U NULL 5 0", "-U OK 4 0", "+U OK 5 0", "-U NULL 5 0", "+U NULL 6 0",
        ],
    ),
    (
        // group_id_no_select
        "SELECT status, COUNT(*) AS n FROM sensor_data GROUP BY GROUPING SETS ((status), (status))",
        &[
            "+I OK 1", "-U OK 1", "+U OK 2", "+I ERROR 1", "-U OK 2", "+U OK 3", "-U OK 3", "+U OK 4", "-U OK 4", "+U OK 5",
            "+I OK 1", "-U OK 1", "+U OK 2", "+I ERROR 1", "-U OK 2", "+U OK 3", "-U OK 3", "+U OK 4", "-U OK 4", "+U OK 5",
        ],
    ),
    (
        // group_id_window
        "SELECT window_start, status, COUNT(*) AS n, GROUP_ID() AS g FROM TABLE(TUMBLE(TABLE sensor_data, DESCRIPTOR(event_time), INTERVAL '1' MINUTE)) GROUP BY window_start, window_end, GROUPING SETS ((status), (status))",
        &[
            "+I 2021-05-19 11:20:00 OK 3 0", "+I 2021-05-19 11:20:00 ERROR 1 0", "+I 2021-05-19 11:21:00 OK 2 0",
            "+I 2021-05-19 11:20:00 OK 3 1", "+I 2021-05-19 11:20:00 ERROR 1 1", "+I 2021-05-19 11:21:00 OK 2 1",
        ],
    ),
];

#[test]
fn a_grouping_set_listed_twice_is_grouped_per_copy_as_in_flink() {
    for (query, expected) in REPEATED_GROUPING_SETS {
        assert_eq!(final_rows(&changes(&records(), query)), final_rows(expected), "{query}");
    }
}

/// Calcite's union of aggregates groups the second copies by every key with those copies as
/// grouping sets; one copy alone that leaves a key out is refused by Flink 2.3.
#[test]
fn a_lone_second_copy_leaving_a_key_out_is_refused_as_in_flink() {
    let err = refused(
        "SELECT status, sensor_id, COUNT(*) AS n, GROUP_ID() AS g FROM sensor_data \
         GROUP BY GROUPING SETS ((status, sensor_id), (status), (), (status))",
    );
    assert!(err.contains("GROUPING SETS are currently not supported."), "{err}");
}

/// clauses.py's TIES: rows at one time, temperatures out of order.
fn ties() -> Vec<Value> {
    vec![
        rec(1, 30.0, "OK", "20:01.000"),
        rec(2, 10.0, "OK", "20:01.000"),
        rec(1, 20.0, "ERROR", "20:05.000"),
        rec(3, 20.0, "OK", "20:10.000"),
        rec(2, 5.0, "OK", "20:20.000"),
        rec(1, 40.0, "OK", "20:20.000"),
    ]
}

/// RANK(), DENSE_RANK() and ROW_NUMBER() that no Top-N filter bounds, ordered by the event-time
/// attribute: Flink's planner runs them as OVER aggregates, each row emitted when the
/// watermark passes it, and Flink 2.3 gives the count of the frame's rows (ROWS for
/// ROW_NUMBER, RANGE for the others: rows at one time share the count up to it, DENSE_RANK
/// too). The same changes as Flink, in order, over RECORDS and over TIES.
const RANKINGS_OVER_TIME: Cases = &[
    (
        // rank_time
        "SELECT sensor_id, RANK() OVER (ORDER BY event_time) AS r FROM sensor_data",
        &["+I 1 1", "+I 2 2", "+I 1 3", "+I 1 4", "+I 3 5", "+I 2 6"],
    ),
    (
        // dense_rank_time
        "SELECT sensor_id, DENSE_RANK() OVER (ORDER BY event_time) AS r FROM sensor_data",
        &["+I 1 1", "+I 2 2", "+I 1 3", "+I 1 4", "+I 3 5", "+I 2 6"],
    ),
    (
        // rank_partition_time
        "SELECT sensor_id, RANK() OVER (PARTITION BY sensor_id ORDER BY event_time) AS r FROM sensor_data",
        &["+I 1 1", "+I 2 1", "+I 1 2", "+I 1 3", "+I 3 1", "+I 2 2"],
    ),
    (
        // dense_rank_partition_time
        "SELECT sensor_id, DENSE_RANK() OVER (PARTITION BY status ORDER BY event_time) AS r FROM sensor_data",
        &["+I 1 1", "+I 2 2", "+I 1 1", "+I 1 3", "+I 3 4", "+I 2 5"],
    ),
    (
        // row_number_time
        "SELECT sensor_id, ROW_NUMBER() OVER (ORDER BY event_time) AS r FROM sensor_data",
        &["+I 1 1", "+I 2 2", "+I 1 3", "+I 1 4", "+I 3 5", "+I 2 6"],
    ),
];

/// Rankings beside other OVER calls or inside an expression are OVER aggregates of the one
/// window; a filter on them is then a plain filter (Flink makes a Top-N of a ranking alone).
const RANKINGS_AMONG_OVER_AGGREGATES: Cases = &[
    (
        // rank_with_sum
        "SELECT sensor_id, RANK() OVER w AS r, SUM(current_temperature) OVER w AS s FROM sensor_data WINDOW w AS (PARTITION BY status ORDER BY event_time)",
        &[
            "+I 1 1 10.0", "+I 2 2 30.0", "+I 1 1 30.0", "+I 1 3 70.0", "+I 3 4 120.0", "+I 2 5 180.0",
        ],
    ),
    (
        // rank_plus_one
        "SELECT sensor_id, RANK() OVER (ORDER BY event_time) + 1 AS r FROM sensor_data",
        &[
            "+I 1 2", "+I 2 3", "+I 1 4", "+I 1 5", "+I 3 6", "+I 2 7",
        ],
    ),
    (
        // rank_with_sum_filtered
        "SELECT * FROM (SELECT sensor_id, RANK() OVER w AS r, SUM(current_temperature) OVER w AS s FROM sensor_data WINDOW w AS (ORDER BY event_time)) WHERE r <= 2",
        &[
            "+I 1 1 10.0", "+I 2 2 30.0",
        ],
    ),
];

const RANKINGS_OVER_TIME_WITH_TIES: Cases = &[
    (
        // ties_rank_time
        "SELECT sensor_id, RANK() OVER (ORDER BY event_time) AS r FROM sensor_data",
        &[
            "+I 1 2", "+I 2 2", "+I 1 3", "+I 3 4", "+I 2 6", "+I 1 6",
        ],
    ),
    (
        // ties_dense_rank_time
        "SELECT sensor_id, DENSE_RANK() OVER (ORDER BY event_time) AS r FROM sensor_data",
        &[
            "+I 1 2", "+I 2 2", "+I 1 3", "+I 3 4", "+I 2 6", "+I 1 6",
        ],
    ),
    (
        // ties_row_number_time
        "SELECT sensor_id, ROW_NUMBER() OVER (ORDER BY event_time) AS r FROM sensor_data",
        &[
            "+I 1 1", "+I 2 2", "+I 1 3", "+I 3 4", "+I 2 5", "+I 1 6",
        ],
    ),
    (
        // ties_rank_partition_time
        "SELECT sensor_id, RANK() OVER (PARTITION BY status ORDER BY event_time) AS r FROM sensor_data",
        &[
            "+I 1 2", "+I 2 2", "+I 1 1", "+I 3 3", "+I 2 5", "+I 1 5",
        ],
    ),
    (
        // ties_rank_in_view
        "SELECT r FROM (SELECT sensor_id, RANK() OVER (PARTITION BY sensor_id ORDER BY event_time) AS r FROM sensor_data) WHERE sensor_id = 1",
        &[
            "+I 1", "+I 2", "+I 3",
        ],
    ),
];

#[test]
fn rankings_without_a_top_n_filter_are_flinks_over_aggregates() {
    for (query, expected) in RANKINGS_OVER_TIME {
        assert_eq!(changes(&records(), query), *expected, "{query}");
    }
    for (query, expected) in RANKINGS_AMONG_OVER_AGGREGATES {
        assert_eq!(changes(&records(), query), *expected, "{query}");
    }
    for (query, expected) in RANKINGS_OVER_TIME_WITH_TIES {
        assert_eq!(changes(&ties(), query), *expected, "{query}");
    }
}

/// What Flink 2.3 refuses of these rankings, in its words; ordered by a column that is not a
/// time attribute Flink runs an updating OVER aggregate Sluice does not have yet
/// (DIFFERENCES.md), refused saying so.
#[test]
fn ranking_refusals_give_flinks_message() {
    for (query, message) in [
        (
            "SELECT sensor_id, RANK() OVER (ORDER BY event_time DESC) AS r FROM sensor_data",
            "The window can only be ordered in ASCENDING mode.",
        ),
        (
            "SELECT sensor_id, ROW_NUMBER() OVER (PARTITION BY status ORDER BY current_temperature DESC) AS r FROM sensor_data",
            "The window can only be ordered in ASCENDING mode.",
        ),
        (
            "SELECT sensor_id, RANK() OVER (ORDER BY event_time, current_temperature) AS r FROM sensor_data",
            "The window can only be ordered by a single time column.",
        ),
        (
            "SELECT sensor_id, RANK() OVER (ORDER BY event_time ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS r FROM sensor_data",
            "ROW/RANGE not allowed with RANK, DENSE_RANK or ROW_NUMBER functions",
        ),
        (
            // Flink: "Over Agg: Unsupported use of OVER windows. All aggregates must be computed on
            // the same window." (ROW_NUMBER's frame is ROWS, SUM's RANGE)
            "SELECT sensor_id, ROW_NUMBER() OVER w AS r, SUM(current_temperature) OVER w AS s FROM sensor_data WINDOW w AS (ORDER BY event_time)",
            "all OVER aggregates of a SELECT must be computed on the same window",
        ),
        (
            "SELECT * FROM (SELECT sensor_id, RANK() OVER (ORDER BY event_time) AS r FROM sensor_data) WHERE r <= 2",
            "RANK() on streaming table is not supported currently",
        ),
        ("SELECT sensor_id, RANK() OVER () AS r FROM sensor_data", "RANK or DENSE_RANK functions require ORDER BY clause in window specification"),
        (
            "SELECT sensor_id, ROW_NUMBER() OVER (PARTITION BY status) AS r FROM sensor_data",
            "Over Agg: The window rank function requires order by clause with non-constant fields.",
        ),
        ("SELECT RANK() FROM sensor_data GROUP BY status", "OVER clause is necessary for window functions"),
        (
            "SELECT sensor_id, RANK() OVER (ORDER BY current_temperature) AS r FROM sensor_data",
            "RANK() OVER an ORDER BY that is not a time attribute is not supported yet without a Top-N filter",
        ),
    ] {
        let err = refused(query);
        assert!(err.contains(message), "{query}: {err}");
    }
}
