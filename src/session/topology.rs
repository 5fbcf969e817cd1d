//! A job as the chain of stages it runs, source to sink — the source scan, the watermark
//! assigner, each operator, the sink — with each stage's counts and changelog mode. EXPLAIN
//! prints the physical plan and these stages (read from the plan: nothing is built); the page
//! draws a running job's stages as a graph whose counts grow.

use super::{JobId, JobSink, Session};
use crate::engine::operator::OperatorMetrics;
use crate::engine::Pipeline;
use crate::plan::physical::{self, JoinOperator, PhysicalNode, PhysicalPlan, RankProcess, Source, WindowAssignment};

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum StageKind {
    Source,
    WatermarkAssigner,
    Operator,
    Sink,
}

/// One stage of a job and what went through it so far.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
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
    /// The operator's changelog mode as Flink prints it (`[I]`, `[I,UB,UA]`, …).
    pub changelog: Option<String>,
}

/// The stages of a job running `plan` as `pipeline`, writing to `sink` (a table's name, or
/// the paragraph's result).
pub fn stages(plan: &PhysicalPlan, pipeline: &Pipeline, sink: Option<&str>) -> Vec<Stage> {
    let sources = pipeline.sources();
    let counts: Vec<u64> = (0..sources.len()).map(|i| pipeline.input_records_in(i)).collect();
    let mut out = source_stages(&sources, &counts, pipeline);
    let operators = pipeline.operator_metrics();
    let planned = operator_nodes(plan);
    // The engine runs one operator per physical node, except where it fuses a union's
    // branches over one source into one operator; its stages then go without modes.
    let modes: Vec<Option<String>> = if planned.len() == operators.len() {
        planned.iter().map(|n| Some(n.changelog.to_string())).collect()
    } else {
        vec![None; operators.len()]
    };
    for ((name, metrics), changelog) in operators.into_iter().zip(modes) {
        out.push(Stage { kind: StageKind::Operator, name, detail: None, metrics, watermark: None, idle: false, changelog });
    }
    let written = pipeline.records_out();
    out.push(sink_stage(sink, written));
    out
}

fn stage(kind: StageKind, name: String, records: u64) -> Stage {
    Stage {
        kind,
        name,
        detail: None,
        metrics: OperatorMetrics { records_in: records, records_out: records, ..OperatorMetrics::default() },
        watermark: None,
        idle: false,
        changelog: None,
    }
}

fn sink_stage(sink: Option<&str>, written: u64) -> Stage {
    let name = sink.map_or_else(|| "Collect(result)".to_string(), |t| format!("Sink({t})"));
    stage(StageKind::Sink, name, written)
}

/// Each source the query reads, with its own count and (a table's) watermark assigner; a
/// join or union after them sees the least of their watermarks.
fn source_stages(sources: &[Source], read: &[u64], pipeline: &Pipeline) -> Vec<Stage> {
    let mut out = Vec::new();
    for (i, source) in sources.iter().enumerate() {
        let read = read.get(i).copied().unwrap_or(0);
        let table = match source {
            Source::Table(table) => table,
            Source::Values { .. } => {
                out.push(Stage { changelog: Some("[I]".into()), ..stage(StageKind::Source, "Values".into(), read) });
                continue;
            }
        };
        out.push(Stage { changelog: Some("[I]".into()), ..stage(StageKind::Source, format!("TableSourceScan({})", table.name), read) });
        if let Some(wm) = &table.watermark {
            let mut assigner = stage(StageKind::WatermarkAssigner, "WatermarkAssigner".into(), read);
            let column = &table.columns[wm.rowtime].name;
            assigner.detail =
                Some(if sources.len() == 1 { format!("{column}: {}", wm.text) } else { format!("{}.{column}: {}", table.name, wm.text) });
            assigner.watermark = pipeline.input_watermark(i).filter(|w| *w > i64::MIN && *w < i64::MAX);
            assigner.idle = pipeline.input_idle(i);
            out.push(assigner);
        }
    }
    out
}

/// The plan's operators (its nodes but the sources) in the order records reach them: a
/// node's inputs before it, left before right, as the engine lists its operators.
fn operator_nodes(plan: &PhysicalPlan) -> Vec<&PhysicalPlan> {
    // Parents first with inputs right to left, reversed: inputs first, left to right.
    let mut out = Vec::new();
    let mut stack = vec![plan];
    while let Some(p) = stack.pop() {
        out.push(p);
        stack.extend(p.inputs());
    }
    out.reverse();
    out.retain(|p| !p.inputs().is_empty());
    out
}

/// The name the engine gives the operator it runs for `node`.
fn operator_name(node: &PhysicalPlan) -> String {
    match &node.node {
        PhysicalNode::Calc { predicate: Some(p), projection: None, .. } => format!("Filter({p})"),
        PhysicalNode::Calc { predicate: Some(p), projection: Some(_), .. } => format!("Calc(where={p})"),
        PhysicalNode::Calc { predicate: None, .. } => "Calc".into(),
        PhysicalNode::WindowAggregate { assignment: WindowAssignment::Session { .. }, .. } => "SessionWindowAggregate".into(),
        PhysicalNode::Rank { process: RankProcess::Retract, .. } => "Rank(retract)".into(),
        PhysicalNode::Join { join, operator: JoinOperator::Regular, .. } => format!("Join({})", join.kind.sql()),
        PhysicalNode::Join { join, operator: JoinOperator::Interval(_), .. } => format!("IntervalJoin({})", join.kind.sql()),
        PhysicalNode::Join { join, operator: JoinOperator::Window { .. }, .. } => format!("WindowJoin({})", join.kind.sql()),
        PhysicalNode::Join { join, operator: JoinOperator::Temporal(_), .. } => format!("TemporalJoin({})", join.kind.sql()),
        _ => node.name().to_string(),
    }
}

/// The stages `plan` would run as, for EXPLAIN: read from the plan, nothing is built.
pub fn planned_stages(plan: &PhysicalPlan, sink: Option<&str>) -> Vec<Stage> {
    let sources = plan.sources();
    let mut out = Vec::new();
    for source in &sources {
        match source {
            Source::Values { .. } => out.push(stage(StageKind::Source, "Values".into(), 0)),
            Source::Table(table) => {
                out.push(stage(StageKind::Source, format!("TableSourceScan({})", table.name), 0));
                if let Some(wm) = &table.watermark {
                    let column = &table.columns[wm.rowtime].name;
                    let mut assigner = stage(StageKind::WatermarkAssigner, "WatermarkAssigner".into(), 0);
                    assigner.detail = Some(if sources.len() == 1 {
                        format!("{column}: {}", wm.text)
                    } else {
                        format!("{}.{column}: {}", table.name, wm.text)
                    });
                    out.push(assigner);
                }
            }
        }
    }
    for node in operator_nodes(plan) {
        out.push(Stage { changelog: Some(node.changelog.to_string()), ..stage(StageKind::Operator, operator_name(node), 0) });
    }
    out.push(sink_stage(sink, 0));
    out
}

/// EXPLAIN's whole text: the optimized physical plan (with changelog modes for
/// `EXPLAIN CHANGELOG_MODE`), then the stages records flow through.
/// `sink` is the INSERT's table and what Flink writes after the sink's fields.
pub fn explain(plan: &PhysicalPlan, sink: Option<(&str, &str)>, changelog: bool) -> String {
    format!(
        "== Optimized Physical Plan ==\n{}\n{}",
        physical::explain::explain(plan, sink, changelog),
        explain_execution(&planned_stages(plan, sink.map(|(table, _)| table)))
    )
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

impl Session {
    /// Job `job`'s stages with their counts so far.
    pub fn job_stages(&self, job: JobId) -> Option<Vec<Stage>> {
        let j = self.jobs.iter().find(|j| j.id == job)?;
        let target = match &j.sink {
            JobSink::Collect { .. } => None,
            JobSink::Table { table, .. } => Some(table.as_str()),
        };
        Some(stages(&j.plan, &j.pipeline, target))
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
        assert_eq!(lines[2], "Source: Values", "{execution}");
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
