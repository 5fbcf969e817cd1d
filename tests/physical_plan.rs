//! The physical plan as a person meets it: EXPLAIN prints the operators that run, joins with
//! both inputs, with each one's changelog mode on `EXPLAIN CHANGELOG_MODE`; a plan that cannot
//! run is refused before it starts, pointing at the SQL that asks for it.

use sluice::session::{Outcome, Session};

const TABLE: &str = "CREATE TABLE sensor_data (sensor_id INTEGER, current_temperature DOUBLE, status VARCHAR(6),
    event_time TIMESTAMP(3), WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND)
  WITH ('connector' = 'kinesis', 'stream' = 'my-input-stream', 'format' = 'json',
        'json.timestamp-format.standard' = 'ISO-8601')";

/// Each sensor's latest reading: an updating result (a newer reading replaces the last) that
/// keeps `event_time` as an event-time attribute.
const LAST_READING: &str = "CREATE VIEW last_reading AS SELECT sensor_id, status, event_time FROM (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY sensor_id ORDER BY event_time DESC) AS rn FROM sensor_data) WHERE rn = 1";

fn session() -> Session {
    let mut session = Session::new();
    session.execute(TABLE, 1_000).unwrap();
    session.execute(LAST_READING, 1_000).unwrap();
    session
}

fn explain(session: &mut Session, sql: &str) -> String {
    match session.execute(sql, 1_000).unwrap().pop() {
        Some(Outcome::Text(t)) => t,
        other => panic!("{other:?}"),
    }
}

/// The optimized plan's lines, without the execution plan after them.
fn optimized(text: &str) -> Vec<String> {
    let plan = text.split("== Physical Execution Plan ==").next().unwrap();
    plan.lines().skip(1).filter(|l| !l.trim().is_empty()).map(str::to_string).collect()
}

#[test]
fn a_window_aggregation_over_an_updating_result_is_refused_where_it_is_written() {
    let mut s = session();
    let sql = "SELECT window_start, COUNT(*) AS n FROM TABLE(TUMBLE(TABLE last_reading, DESCRIPTOR(event_time), INTERVAL '1' MINUTE)) GROUP BY window_start, window_end";
    let e = s.execute(sql, 1_000).expect_err(sql);
    assert!(e.message.contains("cannot consume an updating result"), "{}", e.message);
    let at = e.location.expect("the error says where");
    assert_eq!(at.line, 1);
    // The window aggregation is what refuses: its GROUP BY.
    assert_eq!(at.column as usize, sql.find("GROUP BY").unwrap() + "GROUP BY ".len() + 1, "{}", e.message);
}

#[test]
fn an_interval_join_of_an_updating_result_is_refused_at_the_join() {
    let mut s = session();
    let sql = "SELECT a.sensor_id FROM sensor_data a JOIN last_reading b
  ON a.sensor_id = b.sensor_id AND a.event_time BETWEEN b.event_time AND b.event_time + INTERVAL '1' SECOND";
    let e = s.execute(sql, 1_000).expect_err(sql);
    assert!(e.message.contains("an interval join cannot consume an updating result"), "{}", e.message);
    let at = e.location.expect("the error says where");
    assert_eq!((at.line, at.column as usize), (1, sql.find("last_reading").unwrap() + 1), "{}", e.message);
}

#[test]
fn explain_prints_a_join_with_both_inputs_under_it() {
    let mut s = session();
    let text = explain(
        &mut s,
        "EXPLAIN SELECT s.sensor_id, m.room FROM sensor_data AS s JOIN (VALUES (1, 'lab'), (2, 'hall')) AS m(id, room) ON s.sensor_id = m.id",
    );
    let lines = optimized(&text);
    assert!(lines[0].starts_with("Calc(select=["), "{text}");
    assert!(lines[1].starts_with("+- Join(joinType=[InnerJoin], where=[=(sensor_id, id)]"), "{text}");
    assert!(lines[2].starts_with("   +- TableSourceScan(table=[sensor_data]"), "{text}");
    assert_eq!(lines[3], "   +- Values(tuples=[[{ 1, lab }, { 2, hall }]])", "{text}");
}

#[test]
fn explain_changelog_mode_annotates_every_operator() {
    let mut s = session();
    let text = explain(&mut s, "EXPLAIN CHANGELOG_MODE SELECT status, COUNT(*) AS n FROM sensor_data WHERE sensor_id < 10 GROUP BY status");
    let lines = optimized(&text);
    assert_eq!(lines.len(), 3, "{text}");
    assert!(lines[0].starts_with("GroupAggregate(") && lines[0].ends_with(", changelogMode=[I,UA])"), "{text}");
    assert!(lines[1].ends_with(", changelogMode=[I])"), "{text}");
    assert!(lines[2].contains("TableSourceScan(") && lines[2].ends_with(", changelogMode=[I])"), "{text}");
    // A filter above the aggregate cannot pass on `+U` rows alone (FLINK-9528), so the whole
    // plan retracts: the aggregate emits `-U` too.
    let having =
        explain(&mut s, "EXPLAIN CHANGELOG_MODE SELECT status, COUNT(*) AS n FROM sensor_data GROUP BY status HAVING COUNT(*) > 3");
    assert!(optimized(&having).iter().any(|l| l.contains("GroupAggregate(") && l.ends_with("changelogMode=[I,UB,UA])")), "{having}");
    // Without CHANGELOG_MODE the plan says nothing of them.
    let plain = explain(&mut s, "EXPLAIN SELECT status, COUNT(*) AS n FROM sensor_data GROUP BY status");
    assert!(!plain.contains("changelogMode"), "{plain}");
}

#[test]
fn a_top_n_over_an_updating_result_retracts_and_says_so() {
    let mut s = session();
    let text = explain(
        &mut s,
        "EXPLAIN CHANGELOG_MODE SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY status ORDER BY n DESC) AS rn
           FROM (SELECT status, sensor_id, COUNT(*) AS n FROM sensor_data GROUP BY status, sensor_id)) WHERE rn <= 3",
    );
    let lines = optimized(&text);
    let rank = lines.iter().find(|l| l.contains("Rank(")).expect(&text);
    assert!(rank.contains("strategy=[RetractStrategy]") && rank.ends_with("changelogMode=[I,UA,D])"), "{text}");
    let agg = lines.iter().find(|l| l.contains("GroupAggregate(")).expect(&text);
    assert!(agg.ends_with("changelogMode=[I,UB,UA])"), "{text}");
}

#[test]
fn an_insert_names_its_sink_in_the_plan_and_its_running_stages() {
    let mut s = session();
    s.execute("CREATE TABLE counts (status VARCHAR(6), n BIGINT) WITH ('connector' = 'print')", 1_000).unwrap();
    let insert = "INSERT INTO counts SELECT status, COUNT(*) AS n FROM sensor_data GROUP BY status";
    let text = explain(&mut s, &format!("EXPLAIN CHANGELOG_MODE {insert}"));
    let lines = optimized(&text);
    assert_eq!(lines[0], "Sink(table=[counts], fields=[status, n], changelogMode=[NONE])", "{text}");
    // `print` writes `-U` rows, so the aggregate emits them.
    assert!(lines[1].ends_with("changelogMode=[I,UB,UA])"), "{text}");
    let job = match s.execute(insert, 1_000).unwrap().pop() {
        Some(Outcome::Insert { job, .. }) => job,
        other => panic!("{other:?}"),
    };
    let stages = s.job_stages(job).unwrap();
    assert_eq!(stages.last().unwrap().name, "Sink(counts)");
    let aggregate = stages.iter().find(|st| st.name == "GroupAggregate").unwrap();
    assert_eq!(aggregate.changelog.as_deref(), Some("[I,UB,UA]"));
}
