//! SQL features beyond the Flink reference cases: each test runs `sluice run` on a small
//! script over a handful of hand-written records, so the expected rows can be worked out by
//! hand (and were, in the comments), following Flink 2.3's documented semantics.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{run_over, Run};
use serde_json::{json, Value};

fn run(records: &[Value], queries: &str) -> Run {
    run_over(records, queries)
}

fn ok(records: &[Value], queries: &str) -> Vec<(String, Value)> {
    let r = run(records, queries);
    assert_eq!(r.code, 0, "sluice run failed:\n{}", r.stderr);
    r.changes.into_iter().map(|(op, row)| (op, Value::Object(row))).collect()
}

fn rejected(records: &[Value], queries: &str) -> String {
    let r = run(records, queries);
    assert_ne!(r.code, 0, "expected an error, got {:?}", r.changes);
    assert!(!r.stderr.contains("panicked"), "panicked: {}", r.stderr);
    r.stderr
}

fn rec(sensor: i64, temp: f64, status: &str, time: &str) -> Value {
    json!({"sensor_id": sensor, "current_temperature": temp, "status": status, "event_time": format!("2021-05-19T11:{time}")})
}

/// Six records over two minutes (times are `mm:ss.fff` after 11:00).
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

/// The final rows of a changelog (as JSON values, in emission order of their last change).
fn final_rows(changes: &[(String, Value)]) -> Vec<Value> {
    let mut rows: Vec<Value> = Vec::new();
    for (op, row) in changes {
        match op.as_str() {
            "+I" | "+U" => rows.push(row.clone()),
            _ => {
                let i = rows.iter().position(|r| r == row).unwrap_or_else(|| panic!("{op} of a row not in the result: {row}"));
                rows.remove(i);
            }
        }
    }
    rows
}

fn ops(changes: &[(String, Value)]) -> Vec<&str> {
    changes.iter().map(|(op, _)| op.as_str()).collect()
}

#[test]
fn select_distinct_inserts_each_new_row_once() {
    let changes = ok(&records(), "SELECT DISTINCT sensor_id FROM sensor_data;");
    assert_eq!(ops(&changes), ["+I", "+I", "+I"]);
    assert_eq!(final_rows(&changes), [json!({"sensor_id": 1}), json!({"sensor_id": 2}), json!({"sensor_id": 3})]);
}

#[test]
fn select_distinct_over_an_updating_result_deletes_rows_that_disappear() {
    // Counts per status evolve OK:1,2 / ERROR:1 / OK:3,4,5: the distinct counts follow.
    let changes = ok(&records(), "SELECT DISTINCT c FROM (SELECT status, COUNT(*) AS c FROM sensor_data GROUP BY status);");
    assert_eq!(
        changes[..3],
        [("+I".to_string(), json!({"c": 1})), ("-D".to_string(), json!({"c": 1})), ("+I".to_string(), json!({"c": 2}))]
    );
    let mut rows = final_rows(&changes);
    rows.sort_by_key(|r| r["c"].as_i64());
    assert_eq!(rows, [json!({"c": 1}), json!({"c": 5})]);
}

#[test]
fn count_distinct_and_distinct_sum_per_group() {
    let changes = ok(
        &records(),
        "SELECT status, COUNT(DISTINCT sensor_id) AS n, SUM(DISTINCT sensor_id) AS s, COUNT(sensor_id) AS c FROM sensor_data GROUP BY status;",
    );
    let mut rows = final_rows(&changes);
    rows.sort_by_key(|r| r["status"].as_str().map(String::from));
    assert_eq!(rows, [json!({"status": "ERROR", "n": 1, "s": 1, "c": 1}), json!({"status": "OK", "n": 3, "s": 6, "c": 5})]);
    // The OK group's third row (sensor 1 again) changes COUNT but not COUNT(DISTINCT).
    assert!(changes.contains(&("+U".to_string(), json!({"status": "OK", "n": 2, "s": 3, "c": 3}))));
}

#[test]
fn count_distinct_retracts_per_value_over_an_updating_input() {
    // Per sensor, the latest status; then how many distinct statuses are current.
    let changes = ok(
        &records(),
        "SELECT COUNT(DISTINCT st) AS n FROM (SELECT sensor_id, LAST_VALUE(status) AS st FROM sensor_data GROUP BY sensor_id);",
    );
    // Sensor 1 goes OK → ERROR → OK: the distinct count rises to 2 and falls back to 1.
    let values: Vec<i64> = changes.iter().filter(|(op, _)| op == "+I" || op == "+U").map(|(_, r)| r["n"].as_i64().unwrap()).collect();
    assert!(values.contains(&2), "{changes:?}");
    assert_eq!(final_rows(&changes), [json!({"n": 1})]);
}

#[test]
fn variance_and_stddev_follow_flinks_types() {
    let changes = ok(
        &records(),
        "SELECT VAR_POP(current_temperature) AS vp, VAR_SAMP(current_temperature) AS vs, STDDEV_POP(current_temperature) AS sp, \
         STDDEV_SAMP(current_temperature) AS ss, STDDEV_SAMP(sensor_id) AS si, VARIANCE(sensor_id) AS vi FROM sensor_data;",
    );
    let row = final_rows(&changes).pop().unwrap();
    // Temperatures 10..60 step 10: mean 35, squared deviations sum 1750.
    let close = |k: &str, want: f64| {
        let got = row[k].as_f64().unwrap();
        assert!((got - want).abs() < 1e-9 * want, "{k}: {got} vs {want}");
    };
    close("vp", 1750.0 / 6.0);
    close("vs", 350.0);
    close("sp", (1750.0f64 / 6.0).sqrt());
    close("ss", 350f64.sqrt());
    // Sensors 1,2,1,1,3,2: mean 5/3, squared deviations sum 10/3; an INT argument gives an
    // INT result (Flink casts back to the argument's type): sqrt(2/3) → 0, 2/3 → 0.
    assert_eq!(row["si"], json!(0));
    assert_eq!(row["vi"], json!(0));
    // The first row alone: VAR_SAMP of one value is NULL.
    assert_eq!(changes[0].1["vs"], Value::Null);
    assert_eq!(changes[0].1["vp"], json!(0.0));
}

#[test]
fn first_last_value_and_listagg_per_group() {
    let changes = ok(
        &records(),
        "SELECT status, FIRST_VALUE(sensor_id) AS f, LAST_VALUE(sensor_id) AS l, LISTAGG(CAST(sensor_id AS STRING)) AS ids, \
         LISTAGG(status, '; ') AS st FROM sensor_data GROUP BY status;",
    );
    let mut rows = final_rows(&changes);
    rows.sort_by_key(|r| r["status"].as_str().map(String::from));
    assert_eq!(
        rows,
        [
            json!({"status": "ERROR", "f": 1, "l": 1, "ids": "1", "st": "ERROR"}),
            json!({"status": "OK", "f": 1, "l": 2, "ids": "1,2,1,3,2", "st": "OK; OK; OK; OK; OK"}),
        ]
    );
}

#[test]
fn new_aggregates_merge_window_slices() {
    // HOP 1 min every 30 s: the window [11:20:00, 11:21:00) merges the slices ending 11:20:30
    // and 11:21:00; [11:20:30, 11:21:30) merges 11:21:00 and 11:21:30.
    let changes = ok(
        &records(),
        "SELECT window_start, COUNT(DISTINCT sensor_id) AS n, STDDEV_POP(current_temperature) AS sd, LISTAGG(CAST(sensor_id AS STRING), '') AS ids, \
         FIRST_VALUE(sensor_id) AS f, LAST_VALUE(sensor_id) AS l \
         FROM TABLE(HOP(TABLE sensor_data, DESCRIPTOR(event_time), INTERVAL '30' SECOND, INTERVAL '1' MINUTE)) GROUP BY window_start, window_end;",
    );
    let row = |start: &str| {
        changes.iter().map(|(_, r)| r).find(|r| r["window_start"] == json!(format!("2021-05-19T11:{start}.000"))).unwrap().clone()
    };
    let w = row("20:00");
    assert_eq!((w["n"].clone(), w["ids"].clone(), w["f"].clone(), w["l"].clone()), (json!(2), json!("1211"), json!(1), json!(1)));
    // 10, 20, 30, 40: population variance 125.
    assert!((w["sd"].as_f64().unwrap() - 125f64.sqrt()).abs() < 1e-12);
    let w = row("20:30");
    assert_eq!((w["n"].clone(), w["ids"].clone(), w["f"].clone(), w["l"].clone()), (json!(2), json!("13"), json!(1), json!(3)));
    assert!((w["sd"].as_f64().unwrap() - 5.0).abs() < 1e-12);
}

#[test]
fn distinct_aggregates_in_a_session_window() {
    let changes = ok(
        &records(),
        "SELECT window_start, COUNT(DISTINCT sensor_id) AS n, COUNT(*) AS c \
         FROM TABLE(SESSION(TABLE sensor_data, DESCRIPTOR(event_time), INTERVAL '15' SECOND)) GROUP BY window_start, window_end;",
    );
    // Gaps ≤ 15 s join 20:01, 20:15, 20:25 (then 20 s to 20:45); 20:45 and 21:05 are 20 s apart.
    let counts: Vec<(i64, i64)> = changes.iter().map(|(_, r)| (r["n"].as_i64().unwrap(), r["c"].as_i64().unwrap())).collect();
    assert_eq!(counts, [(2, 3), (1, 1), (1, 1), (1, 1)]);
}

#[test]
fn aggregate_argument_errors_are_located() {
    let err = rejected(&records(), "SELECT LISTAGG(status, status) FROM sensor_data;");
    assert!(err.contains("separator must be a string literal"), "{err}");
    assert!(err.contains("4:"), "{err}");
    let err = rejected(&records(), "SELECT STDDEV_POP(status) FROM sensor_data;");
    assert!(err.contains("STDDEV_POP needs a numeric argument"), "{err}");
}

#[test]
fn string_functions_trim_sides_and_character_sets() {
    let changes = ok(
        &records()[..1],
        "SELECT TRIM(BOTH 'xy' FROM 'xxhiyx') AS a, TRIM(LEADING 'x' FROM 'xxhix') AS b, TRIM(TRAILING FROM '  hi  ') AS c, \
         TRIM('  hi  ') AS d, LTRIM('  a ') AS e, RTRIM(' a  ') AS f, SUBSTRING(status FROM 1 FOR 1) AS g, SUBSTRING(status, 2) AS h, \
         POSITION('K' IN status) AS i, CONCAT(status, '-', 'x') AS j, status || '!' AS k, REPLACE(status, 'O', '0') AS l, \
         UPPER('a') || LOWER('B') AS m, CHAR_LENGTH(status) AS n FROM sensor_data;",
    );
    assert_eq!(
        changes[0].1,
        json!({"a": "hi", "b": "hix", "c": "  hi", "d": "hi", "e": "a ", "f": " a", "g": "O", "h": "K", "i": 2, "j": "OK-x", "k": "OK!", "l": "0K", "m": "Ab", "n": 2})
    );
}

#[test]
fn regular_expressions_follow_java_and_flink() {
    let changes = ok(
        &[rec(7, 1.0, "WARNING", "20:01.000")],
        "SELECT REGEXP(status, 'ARN') AS a, REGEXP(status, '^ARN') AS b, REGEXP_EXTRACT(status, '([A-Z])([A-Z]+)', 2) AS c, \
         REGEXP_EXTRACT(status, 'N.') AS d, REGEXP_EXTRACT(status, '(X)?W', 1) AS e, REGEXP_EXTRACT(status, 'W', 3) AS f, \
         REGEXP_REPLACE(status, '[AEIOU]', '$1') AS g, REGEXP_EXTRACT(status, '(') AS h, REGEXP_EXTRACT('ab12', '\\d+') AS i \
         FROM sensor_data;",
    );
    // Group 0 by default; a group that did not take part, an out-of-range group and an invalid
    // pattern are NULL; the replacement is literal (Flink quotes it).
    assert_eq!(
        changes[0].1,
        json!({"a": true, "b": false, "c": "ARNING", "d": "NI", "e": null, "f": null, "g": "W$1RN$1NG", "h": null, "i": "12"})
    );
}

#[test]
fn unsupported_regex_constructs_are_named() {
    let err = rejected(&records(), "SELECT REGEXP_EXTRACT(status, '\\p{InGreek}+') FROM sensor_data;");
    assert!(err.contains("\\p{InGreek}") && err.contains("REGEXP_EXTRACT"), "{err}");
    let err = rejected(&records(), "SELECT status FROM sensor_data WHERE REGEXP(status, '\\GA');");
    assert!(err.contains("\\G"), "{err}");
}

#[test]
fn temporal_functions() {
    let changes = ok(
        &records()[..1],
        "SELECT EXTRACT(HOUR FROM event_time) AS h, EXTRACT(DOW FROM event_time) AS dow, YEAR(event_time) AS y, \
         EXTRACT(MONTH FROM DATE '2021-05-19') AS m, DATE_FORMAT(event_time, 'yyyy-MM-dd HH:mm:ss') AS f, \
         DATE_FORMAT(event_time, 'HH:mm:ss.SSS') AS f2, TO_TIMESTAMP('2021-05-19 11:20:00') AS t, \
         TO_TIMESTAMP('19/05/2021', 'dd/MM/yyyy') AS t2, TO_TIMESTAMP('not a time') AS t3, TO_DATE('2021-05-19') AS d, \
         TIMESTAMPADD(MINUTE, 5, event_time) AS a, TIMESTAMPADD(MONTH, 1, TIMESTAMP '2021-01-31 10:00:00') AS a2, \
         TIMESTAMPDIFF(SECOND, TIMESTAMP '2021-05-19 11:00:00', event_time) AS s, TIMESTAMPDIFF(DAY, event_time, TIMESTAMP '2021-05-17 12:00:00') AS s2, \
         FLOOR(event_time TO MINUTE) AS fl, CEIL(event_time TO HOUR) AS ce, DATE '2021-05-19' AS dl, TIME '11:20:00' AS tl \
         FROM sensor_data;",
    );
    assert_eq!(
        changes[0].1,
        json!({"h": 11, "dow": 4, "y": 2021, "m": 5, "f": "2021-05-19 11:20:01", "f2": "11:20:01.000",
               "t": "2021-05-19T11:20:00.000", "t2": "2021-05-19T00:00:00.000", "t3": null, "d": "2021-05-19",
               "a": "2021-05-19T11:25:01.000", "a2": "2021-02-28T10:00:00.000", "s": 1201, "s2": -1,
               "fl": "2021-05-19T11:20:00.000", "ce": "2021-05-19T12:00:00.000", "dl": "2021-05-19", "tl": "11:20:00"})
    );
    let err = rejected(&records(), "SELECT EXTRACT(EPOCH FROM event_time) FROM sensor_data;");
    assert!(err.contains("EXTRACT does not know the unit EPOCH"), "{err}");
}

#[test]
fn union_all_runs_both_branches_over_one_source() {
    let changes = ok(
        &records(),
        "SELECT sensor_id, status FROM sensor_data WHERE status = 'ERROR' UNION ALL SELECT sensor_id * 10, 'TEN' FROM sensor_data WHERE sensor_id = 2;",
    );
    assert_eq!(
        final_rows(&changes),
        [json!({"sensor_id": 20, "status": "TEN"}), json!({"sensor_id": 1, "status": "ERROR"}), json!({"sensor_id": 20, "status": "TEN"})]
    );
    // UNION without ALL removes duplicates, as a DISTINCT over the union.
    let changes = ok(&records(), "SELECT status FROM sensor_data UNION SELECT 'OK' FROM sensor_data;");
    assert_eq!(final_rows(&changes), [json!({"status": "OK"}), json!({"status": "ERROR"})]);
}

#[test]
fn a_window_over_a_union_counts_each_branch_and_keeps_lateness() {
    let mut input = records();
    // Late: the watermark is 11:21:25 when this 11:20:10 record arrives; its window has fired.
    input.push(rec(9, 1.0, "OK", "20:10.000"));
    let changes = ok(
        &input,
        "SELECT TUMBLE_START(event_time, INTERVAL '1' MINUTE) AS w, COUNT(*) AS c FROM \
         (SELECT event_time FROM sensor_data UNION ALL SELECT event_time FROM sensor_data WHERE sensor_id = 1) \
         GROUP BY TUMBLE(event_time, INTERVAL '1' MINUTE);",
    );
    assert_eq!(final_rows(&changes), [json!({"w": "2021-05-19T11:20:00.000", "c": 7}), json!({"w": "2021-05-19T11:21:00.000", "c": 2})]);
}

#[test]
fn union_errors_name_the_problem() {
    let err = rejected(&records(), "SELECT sensor_id FROM sensor_data UNION ALL SELECT sensor_id, status FROM sensor_data;");
    assert!(err.contains("same number of columns"), "{err}");
    let err = rejected(&records(), "SELECT status FROM sensor_data UNION ALL SELECT event_time FROM sensor_data;");
    assert!(err.contains("incompatible types"), "{err}");
    let err = rejected(
        &records(),
        "CREATE TABLE other (x INT) WITH ('connector'='filesystem', 'path'='/nonexistent.jsonl', 'format'='json');\nSELECT sensor_id FROM sensor_data UNION ALL SELECT x FROM other;",
    );
    assert!(err.contains("/nonexistent.jsonl"), "a union reads both tables, and says which is missing: {err}");
    let err = rejected(&records(), "SELECT status FROM sensor_data INTERSECT ALL SELECT status, sensor_id FROM sensor_data;");
    assert!(err.contains("INTERSECT needs the same number of columns"), "{err}");
}

#[test]
fn using_and_natural_joins_give_flinks_columns() {
    // What Flink 2.3 gave for these (PyFlink): the USING column once and first, COALESCE(l, r)
    // for FULL, the right's for RIGHT; the other columns left then right.
    let x = "(VALUES (1, 'a'), (2, 'b')) AS x(k, a)";
    let y = "(VALUES (2, 'c'), (3, 'd')) AS y(k, c)";
    let full = ok(&records(), &format!("SELECT * FROM {x} FULL JOIN {y} USING (k);"));
    let mut rows = final_rows(&full);
    rows.sort_by_key(|r| r["k"].as_i64());
    assert_eq!(rows, [json!({"k": 1, "a": "a", "c": null}), json!({"k": 2, "a": "b", "c": "c"}), json!({"k": 3, "a": null, "c": "d"})]);
    let natural = ok(&records(), &format!("SELECT * FROM {x} NATURAL RIGHT JOIN {y};"));
    let mut rows = final_rows(&natural);
    rows.sort_by_key(|r| r["k"].as_i64());
    assert_eq!(rows, [json!({"k": 2, "a": "b", "c": "c"}), json!({"k": 3, "a": null, "c": "d"})]);
    let err = rejected(&records(), &format!("SELECT * FROM {x} JOIN {y} USING (z);"));
    assert!(err.contains("`z` of USING is not in the join's left input"), "{err}");
    // Flink reads `x.k` as the left's own value; Sluice refuses it rather than give the merged one.
    let err = rejected(&records(), &format!("SELECT x.k FROM {x} FULL JOIN {y} USING (k);"));
    assert!(err.contains("column `k` not found"), "{err}");
}

#[test]
fn join_errors_name_the_problem() {
    let err = rejected(&records(), "SELECT a.status FROM sensor_data a JOIN sensor_data b ON sensor_id = sensor_id;");
    assert!(err.contains("`sensor_id` is ambiguous") && err.contains("qualify"), "{err}");
    let err = rejected(&records(), "SELECT status FROM sensor_data WHERE sensor_id IN (SELECT sensor_id, status FROM sensor_data);");
    assert!(err.contains("must return one column, not 2"), "{err}");
    let err = rejected(&records(), "SELECT status FROM sensor_data WHERE sensor_id + 1 IN (SELECT sensor_id FROM sensor_data);");
    assert!(err.contains("must compare a column"), "{err}");
    let err = rejected(&records(), "SELECT status FROM sensor_data WHERE status IN (SELECT sensor_id FROM sensor_data);");
    assert!(err.contains("types must match"), "{err}");
    let err = rejected(&records(), "SELECT a.status FROM sensor_data a JOIN sensor_data b ON a.sensor_id = c.sensor_id;");
    assert!(err.contains("`c` is not in the FROM clause"), "{err}");
    // Joins of other dialects that sqlparser reads are named in SQL's words, not Rust's.
    let err = rejected(&records(), "SELECT a.status FROM sensor_data a LEFT SEMI JOIN sensor_data b ON a.sensor_id = b.sensor_id;");
    assert!(err.contains("LEFT SEMI joins are not supported"), "{err}");
    let err = rejected(
        &records(),
        "SELECT a.status FROM sensor_data a ASOF JOIN sensor_data b MATCH_CONDITION (a.event_time >= b.event_time) ON a.sensor_id = b.sensor_id;",
    );
    assert!(err.contains("ASOF joins are not supported"), "{err}");
    // A regular join materializes time attributes: no window over its result, as in Flink.
    let err = rejected(
        &records(),
        "SELECT window_start, COUNT(*) FROM TABLE(TUMBLE(TABLE (SELECT a.event_time FROM sensor_data a JOIN sensor_data b ON a.sensor_id = b.sensor_id), DESCRIPTOR(event_time), INTERVAL '1' MINUTE)) GROUP BY window_start, window_end;",
    );
    assert!(!err.is_empty());
    // MAX(event_time) of a GROUP BY is no time attribute, so time bounds on it are an ordinary
    // condition of a regular join over an updating input, whose -U rows pass through.
    let changes = ok(
        &records(),
        "SELECT a.status, a.n, b.sensor_id FROM (SELECT status, COUNT(*) AS n, MAX(event_time) AS t FROM sensor_data GROUP BY status) a \
         JOIN sensor_data b ON a.status = b.status AND b.event_time BETWEEN a.t AND a.t + INTERVAL '1' SECOND;",
    );
    assert!(ops(&changes).contains(&"-U"), "{changes:?}");
    assert_eq!(final_rows(&changes), [json!({"status": "ERROR", "n": 1, "sensor_id": 1}), json!({"status": "OK", "n": 5, "sensor_id": 2})]);
}

/// `FROM a, b WHERE …` is an inner join on the WHERE clause; hand-checked over the six records.
#[test]
fn comma_join_is_an_inner_join_on_the_where_clause() {
    let changes = ok(
        &records(),
        "SELECT a.sensor_id, a.event_time AS t1, b.event_time AS t2 FROM sensor_data a, sensor_data b \
         WHERE a.sensor_id = b.sensor_id AND a.event_time < b.event_time;",
    );
    // Sensor 1 at 20:01, 20:25, 20:45 gives three ordered pairs; sensor 2 at 20:15, 21:30 one.
    assert_eq!(final_rows(&changes).len(), 4, "{changes:?}");
    assert!(ops(&changes).iter().all(|o| *o == "+I"));
}

#[test]
fn cascading_windows_over_a_view_and_a_cte_not_a_subquery() {
    // 10-second counts rolled up into 1-minute windows: the same as counting per minute. The
    // inner window keeps only window_time: its window_start and window_end would be ambiguous
    // beside the outer window's, which Flink 2.3 refuses ("Column 'window_start' is ambiguous").
    let inner = "SELECT window_time, COUNT(*) AS c \
                 FROM TABLE(TUMBLE(TABLE sensor_data, DESCRIPTOR(event_time), INTERVAL '10' SECOND)) GROUP BY window_start, window_end, window_time";
    let both = "SELECT window_start, window_end, window_time, COUNT(*) AS c \
                FROM TABLE(TUMBLE(TABLE sensor_data, DESCRIPTOR(event_time), INTERVAL '10' SECOND)) GROUP BY window_start, window_end, window_time";
    let expected = [
        json!({"window_start": "2021-05-19T11:20:00.000", "window_end": "2021-05-19T11:21:00.000", "total": 4}),
        json!({"window_start": "2021-05-19T11:21:00.000", "window_end": "2021-05-19T11:22:00.000", "total": 2}),
    ];
    let outer = |from: &str| {
        format!(
            "SELECT window_start, window_end, SUM(c) AS total FROM TABLE(TUMBLE({from}, DESCRIPTOR(window_time), INTERVAL '1' MINUTE)) \
             GROUP BY window_start, window_end;"
        )
    };
    assert_eq!(final_rows(&ok(&records(), &format!("CREATE VIEW v AS {inner};\n{}", outer("TABLE v")))), expected);
    assert_eq!(final_rows(&ok(&records(), &format!("WITH v AS ({inner})\n{}", outer("TABLE v")))), expected);
    let err = rejected(&records(), &format!("WITH v AS ({both})\n{}", outer("TABLE v")));
    assert!(err.contains("column `window_start` is ambiguous"), "{err}");
    // Flink's parser refuses a subquery as the table argument; so does Sluice, with the way out.
    let err = rejected(&records(), &outer(&format!("TABLE ({inner})")));
    assert!(err.contains("not Flink SQL") && err.contains("WITH w AS"), "{err}");
    // A window needs an event-time attribute: an updating result has none.
    let err = rejected(
        &records(),
        "WITH counts AS (SELECT status, COUNT(*) AS c FROM sensor_data GROUP BY status)
         SELECT window_start, COUNT(*) FROM TABLE(TUMBLE(TABLE counts, DESCRIPTOR(event_time), INTERVAL '30' SECOND)) GROUP BY window_start, window_end;",
    );
    assert!(err.contains("column `event_time` not found"), "{err}");
}

#[test]
fn create_view_after_another_statement_parses() {
    // CREATE [TEMPORARY] that is not CREATE TABLE is handed back to sqlparser intact.
    let changes =
        ok(&records(), "CREATE TEMPORARY VIEW ok_rows AS SELECT sensor_id FROM sensor_data WHERE status = 'OK';\nSELECT * FROM ok_rows;");
    assert_eq!(changes.len(), 5);
}

/// What Flink 2.3 refuses in ORDER BY / OFFSET on a stream, with its own messages (checked
/// with PyFlink 2.3: `StreamExecSort` and `StreamExecLimit` raise them, Calcite's validator
/// an ordinal past the SELECT list). Ordering by a column the SELECT leaves out is
/// tests/clauses.rs's.
#[test]
fn order_by_and_offset_refusals_give_flinks_message() {
    for query in [
        "SELECT * FROM sensor_data ORDER BY current_temperature;",
        "SELECT * FROM sensor_data ORDER BY event_time DESC;",
        "SELECT sensor_id, event_time FROM sensor_data ORDER BY sensor_id, event_time;",
    ] {
        let err = rejected(&records(), query);
        assert!(err.contains("Sort on a non-time-attribute field is not supported."), "{query}: {err}");
    }
    let err = rejected(&records(), "SELECT * FROM sensor_data ORDER BY 9 LIMIT 2;");
    assert!(err.contains("Ordinal out of range"), "{err}");
    let err = rejected(&records(), "SELECT * FROM sensor_data OFFSET 3 ROWS;");
    assert!(err.contains("FETCH is missed, which on streaming table is not supported currently."), "{err}");
}

/// ORDER BY names a SELECT item by alias or position; OFFSET skips rows of the Top-N.
#[test]
fn order_by_limit_takes_aliases_positions_and_offsets() {
    let changes = ok(&records(), "SELECT sensor_id AS id, current_temperature AS t FROM sensor_data ORDER BY t DESC, 1 LIMIT 2 OFFSET 1;");
    let rows = final_rows(&changes);
    let all: Vec<(i64, f64)> = {
        let mut v: Vec<(i64, f64)> =
            records().iter().map(|r| (r["sensor_id"].as_i64().unwrap(), r["current_temperature"].as_f64().unwrap())).collect();
        v.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        v
    };
    let mut got: Vec<(i64, f64)> = rows.iter().map(|r| (r["id"].as_i64().unwrap(), r["t"].as_f64().unwrap())).collect();
    got.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    assert_eq!(got, all[1..3].to_vec());
}

#[test]
fn unnest_passes_an_updating_inputs_changes_on_per_element() {
    // OK ends with 5 rows and ERROR with 1; each count's row becomes two, [c, c * 10], and each
    // update of a count retracts both rows of the old count.
    let changes = ok(
        &records(),
        "SELECT s, x FROM (SELECT status AS s, COUNT(*) AS c FROM sensor_data GROUP BY status) CROSS JOIN UNNEST(ARRAY[c, c * 10]) AS t(x);",
    );
    let mut rows = final_rows(&changes);
    rows.sort_by_key(|r| (r["s"].to_string(), r["x"].as_i64()));
    assert_eq!(
        rows,
        vec![json!({"s": "ERROR", "x": 1}), json!({"s": "ERROR", "x": 10}), json!({"s": "OK", "x": 5}), json!({"s": "OK", "x": 50})]
    );
    assert!(ops(&changes).contains(&"-U"), "the count's updates are passed on: {:?}", ops(&changes));
}

#[test]
fn unnest_refuses_what_flink_refuses() {
    let e = rejected(&records(), "SELECT x FROM sensor_data LEFT JOIN UNNEST(ARRAY[1, 2]) AS t(x) ON x > 1;");
    assert!(e.contains("must be `ON TRUE`"), "{e}");
    let e = rejected(&records(), "SELECT x FROM sensor_data CROSS JOIN UNNEST(status) AS t(x);");
    assert!(e.contains("UNNEST needs an ARRAY, MAP or MULTISET"), "{e}");
    let e = rejected(&records(), "SELECT x FROM sensor_data CROSS JOIN UNNEST(ARRAY[1]) AS t(x, y);");
    assert!(e.contains("gives 1 columns, but the alias names 2"), "{e}");
}

/// `AFTER MATCH SKIP TO FIRST A` where A is the match's first row would start the next match
/// where this one started, forever: Flink 2.3 fails the job with "Could not skip to first
/// element of a match." (match_recognize.md's own SKIP TO FIRST A example does). Over these
/// rows SKIP TO LAST A meets a match whose only A is its first row too (A = 30, C = 40 after the
/// first match), and Flink fails it the same way (both checked with PyFlink 2.3).
#[test]
fn skip_to_the_first_row_of_a_match_fails_as_in_flink() {
    for skip in ["FIRST", "LAST"] {
        let err = rejected(
            &records(),
            &format!(
                "SELECT * FROM sensor_data MATCH_RECOGNIZE (ORDER BY event_time \
                 MEASURES SUM(A.current_temperature) AS s, C.current_temperature AS c \
                 AFTER MATCH SKIP TO {skip} A PATTERN (A+ C) DEFINE A AS SUM(A.current_temperature) < 100);"
            ),
        );
        assert!(err.contains("Could not skip to first element of a match."), "SKIP TO {skip} A: {err}");
    }
}

/// `x NOT IN (SELECT c …)` is null-aware, as Calcite plans it for Flink (an anti-join on
/// `x = c OR x IS NULL OR c IS NULL`): a NULL `c` lets no row through, a NULL `x` goes once the
/// subquery has a row. The rows are PyFlink 2.3's for the same statements.
#[test]
fn not_in_is_null_aware_as_flink() {
    let views = "CREATE TEMPORARY VIEW l AS SELECT * FROM (VALUES (1), (2), (CAST(NULL AS INT)), (4)) AS t(x);
        CREATE TEMPORARY VIEW r AS SELECT * FROM (VALUES (1), (CAST(NULL AS INT))) AS t(c);
        CREATE TEMPORARY VIEW r2 AS SELECT * FROM (VALUES (1), (3)) AS t(c);";
    let xs = |query: &str| -> Vec<Value> {
        let mut rows: Vec<Value> = final_rows(&ok(&[], &format!("{views}\n{query}"))).iter().map(|r| r["x"].clone()).collect();
        rows.sort_by_key(|v| v.to_string());
        rows
    };
    assert_eq!(xs("SELECT x FROM l WHERE x NOT IN (SELECT c FROM r);"), Vec::<Value>::new());
    assert_eq!(xs("SELECT x FROM l WHERE x NOT IN (SELECT c FROM r2);"), vec![json!(2), json!(4)]);
    assert_eq!(xs("SELECT x FROM l WHERE x IN (SELECT c FROM r);"), vec![json!(1)]);
}
