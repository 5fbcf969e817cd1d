//! A job as the chain of stages it runs, source to sink — the source scan, the watermark
//! assigner, each operator, the sink — with each stage's counts. EXPLAIN prints it as the
//! physical execution plan; the page draws it as a graph whose counts grow while the job runs.

use super::{JobId, JobSink, Session};
use crate::engine::operator::OperatorMetrics;
use crate::engine::Pipeline;
use crate::plan::Plan;
use crate::sql::Statement;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StageKind {
    Source,
    WatermarkAssigner,
    Operator,
    Sink,
}

/// One stage of a job and what went through it so far.
#[derive(Clone, Debug, PartialEq)]
pub struct Stage {
    pub kind: StageKind,
    /// `TableSourceScan(sensor_data)`, `WindowAggregate`, `Sink(sensor_state)`, …
    pub name: String,
    /// The watermark expression, for the assigner.
    pub detail: Option<String>,
    pub metrics: OperatorMetrics,
    /// The assigner's current watermark (ms since the epoch).
    pub watermark: Option<i64>,
    /// The assigner's input is idle: its watermark holds nothing back.
    pub idle: bool,
}

/// The stages of `pipeline`, writing to `sink` (a table's name, or the paragraph's result).
pub fn stages(pipeline: &Pipeline, sink: Option<&str>) -> Vec<Stage> {
    let tables = pipeline.tables();
    let stage = |kind, name: String, records_in, records_out| Stage {
        kind,
        name,
        detail: None,
        metrics: OperatorMetrics { records_in, records_out, ..OperatorMetrics::default() },
        watermark: None,
        idle: false,
    };
    // Each table the query reads is a source with its own count and watermark assigner; a
    // join or union after them sees the least of their watermarks.
    let mut out = Vec::new();
    for (i, table) in tables.iter().enumerate() {
        let read = pipeline.input_records_in(i);
        out.push(stage(StageKind::Source, format!("TableSourceScan({})", table.name), read, read));
        if let Some(wm) = &table.watermark {
            let mut assigner = stage(StageKind::WatermarkAssigner, "WatermarkAssigner".into(), read, read);
            let column = &table.columns[wm.rowtime].name;
            assigner.detail =
                Some(if tables.len() == 1 { format!("{column}: {}", wm.text) } else { format!("{}.{column}: {}", table.name, wm.text) });
            assigner.watermark = pipeline.input_watermark(i).filter(|w| *w > i64::MIN && *w < i64::MAX);
            assigner.idle = pipeline.input_idle(i);
            out.push(assigner);
        }
    }
    for (name, metrics) in pipeline.operator_metrics() {
        out.push(Stage { kind: StageKind::Operator, name, detail: None, metrics, watermark: None, idle: false });
    }
    let written = pipeline.records_out();
    let sink_name = sink.map_or_else(|| "Collect(result)".to_string(), |t| format!("Sink({t})"));
    out.push(stage(StageKind::Sink, sink_name, written, written));
    out
}

/// EXPLAIN's `== Physical Execution Plan ==`: the stages in the order records flow through
/// them, source first (the optimized plan above it reads the other way, sink first).
pub fn explain_execution(stages: &[Stage]) -> String {
    let mut out = String::from("== Physical Execution Plan ==\n");
    for s in stages {
        // Each table read starts a line of its own; a join's operators follow the last one.
        let lead = if s.kind == StageKind::Source { "Source: " } else { "  -> " };
        let detail = s.detail.as_ref().map_or(String::new(), |d| format!("({d})"));
        out.push_str(&format!("{lead}{}{detail}\n", s.name));
    }
    out
}

/// The stages `plan` would run as, for EXPLAIN (nothing runs). `None` when it cannot run as a
/// streaming pipeline (starting it says why).
pub fn planned_stages(plan: &Plan, sink: Option<&str>) -> Option<Vec<Stage>> {
    Pipeline::new(plan).ok().map(|p| stages(&p, sink))
}

impl Session {
    /// Job `job`'s stages with their counts so far.
    pub fn job_stages(&self, job: JobId) -> Option<Vec<Stage>> {
        let j = self.jobs.iter().find(|j| j.id == job)?;
        let target = match &j.sink {
            JobSink::Collect { .. } => None,
            JobSink::Table(_) => Some(insert_target(&j.sql).unwrap_or_else(|| "table".into())),
        };
        Some(stages(&j.pipeline, target.as_deref()))
    }
}

/// The table an `INSERT INTO` statement writes.
fn insert_target(sql: &str) -> Option<String> {
    match crate::sql::parse_script(sql).ok()?.first().map(|l| &l.statement) {
        Some(Statement::Insert { table, .. }) => Some(table.value.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::Outcome;

    const TABLE: &str = "CREATE TABLE sensor_data (sensor_id INTEGER, current_temperature DOUBLE, status VARCHAR(6),
        event_time TIMESTAMP(3), WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND)
      WITH ('connector' = 'kinesis', 'stream' = 'my-input-stream', 'format' = 'json', 'json.timestamp-format.standard' = 'ISO-8601')";
    const QUERY: &str = "SELECT status, COUNT(*) AS n, TUMBLE_END(event_time, INTERVAL '5' SECOND) AS t FROM sensor_data
        WHERE current_temperature > 20 GROUP BY TUMBLE(event_time, INTERVAL '5' SECOND), status";

    #[test]
    fn a_running_job_lists_its_stages_with_growing_counts() {
        let mut session = Session::new();
        session.advance(0);
        session.execute(TABLE, 0).unwrap();
        let Some(Outcome::Query { job, .. }) = session.execute(QUERY, 0).unwrap().pop() else { panic!("not a query") };
        session.advance(2_000);
        let early = session.job_stages(job).unwrap();
        let kinds: Vec<StageKind> = early.iter().map(|s| s.kind).collect();
        use StageKind::*;
        assert_eq!(kinds, [Source, WatermarkAssigner, Operator, Operator, Operator, Sink], "{early:?}");
        assert_eq!(early[0].name, "TableSourceScan(sensor_data)");
        assert_eq!(early[1].detail.as_deref(), Some("event_time: event_time - INTERVAL '5' SECOND"));
        assert_eq!(early[3].name, "WindowAggregate");
        assert_eq!(early[5].name, "Collect(result)");
        assert!(early[0].metrics.records_out > 0);
        session.advance(20_000);
        let later = session.job_stages(job).unwrap();
        assert!(later[0].metrics.records_out > early[0].metrics.records_out);
        assert!(later[3].metrics.records_in > early[3].metrics.records_in);
        assert!(later[2].metrics.records_out < later[2].metrics.records_in, "the filter dropped the coldest readings");
        assert!(later[5].metrics.records_in > 0, "windows fired into the result");
        assert!(later[1].watermark.is_some());
    }

    #[test]
    fn a_join_reads_each_table_as_its_own_source() {
        let mut session = Session::new();
        session.execute(TABLE, 0).unwrap();
        let sql = "EXPLAIN SELECT s.sensor_id, m.room FROM sensor_data AS s JOIN (VALUES (1, 'lab'), (2, 'hall')) AS m(id, room) ON s.sensor_id = m.id";
        let Some(Outcome::Text(text)) = session.execute(sql, 0).unwrap().pop() else { panic!("no text") };
        let execution = text.split("== Physical Execution Plan ==\n").nth(1).expect(&text);
        let lines: Vec<&str> = execution.lines().collect();
        assert_eq!(lines[0], "Source: TableSourceScan(sensor_data)", "{execution}");
        assert!(lines[2].starts_with("Source: TableSourceScan($values"), "{execution}");
        assert_eq!(lines.iter().filter(|l| l.contains("WatermarkAssigner")).count(), 1, "only sensor_data has one: {execution}");
        assert!(lines.iter().any(|l| l.contains("Join")), "{execution}");
        assert_eq!(lines.last(), Some(&"  -> Collect(result)"));
    }

    #[test]
    fn explain_prints_the_execution_plan_after_the_optimized_one() {
        let mut session = Session::new();
        session.execute(TABLE, 0).unwrap();
        session.execute("CREATE TABLE out_t (status VARCHAR(6), n BIGINT, t TIMESTAMP(3)) WITH ('connector' = 'blackhole')", 0).unwrap();
        let Some(Outcome::Text(text)) = session.execute(&format!("EXPLAIN INSERT INTO out_t {QUERY}"), 0).unwrap().pop() else {
            panic!("no text")
        };
        let execution = text.split("== Physical Execution Plan ==\n").nth(1).expect(&text);
        assert_eq!(
            execution,
            "Source: TableSourceScan(sensor_data)\n  -> WatermarkAssigner(event_time: event_time - INTERVAL '5' SECOND)\n  -> Calc(where=($1 > 20.0))\n  -> WindowAggregate\n  -> Calc\n  -> Sink(out_t)\n"
        );
    }
}
