//! Two watermark strategies side by side (issue 18, item 3): one query, run twice over the same
//! recorded records, its table declared once per strategy — two `WATERMARK` delays, or two
//! `table.exec.source.idle-timeout` values under the table's own watermark. The records the
//! page's stream (or local Kafka topic) holds are replayed, each at the moment it arrived (a
//! topic's each into its partition), into a session of its own per strategy (the page's jobs
//! are not touched), so the two differ only in the strategy: how many records each dropped as
//! late (completeness) and how long after a window's end its row came out (latency, for a
//! result with a `window_end` column). Idle timeouts matter where a quiet input holds the
//! watermark back: a topic's idle partition (Kafka's per-partition watermarks), not a Kinesis
//! stream's quiet shard (one watermark per table in Sluice, see DIFFERENCES.md).

use crate::connectors::kafka::ProducerRecord;
use crate::connectors::{local_stream_name, local_topic_names};
use crate::plan::catalog::{ColumnKind, TableDef};
use crate::session::{Outcome, Session};
use crate::types::{RowKind, Value};

/// Most records replayed (the stream's newest).
pub const MAX_RECORDS: usize = 5_000;
/// Most result rows kept per strategy.
const MAX_ROWS: usize = 10_000;
/// The setting an idle-timeout strategy varies.
const IDLE_TIMEOUT_KEY: &str = "table.exec.source.idle-timeout";

/// What one run varies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Strategy {
    /// The table's WATERMARK as `rowtime - delay` (ms).
    Delay(i64),
    /// The table's own WATERMARK, with `table.exec.source.idle-timeout` (ms; `None`: inputs and
    /// partitions never turn idle). The table's `scan.watermark.idle-timeout` is left out, as it
    /// would win.
    IdleTimeout(Option<i64>),
}

impl Strategy {
    /// `delay 5 s`, `idle timeout 5 s`, `no idle timeout`.
    pub fn label(self) -> String {
        match self {
            Strategy::Delay(ms) => format!("delay {}", seconds(ms)),
            Strategy::IdleTimeout(Some(ms)) => format!("idle timeout {}", seconds(ms)),
            Strategy::IdleTimeout(None) => "no idle timeout".into(),
        }
    }
}

/// One strategy's run.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct StrategyRun {
    pub strategy: Strategy,
    /// The final result (changes applied), in the order rows came.
    pub rows: Vec<Vec<Value>>,
    pub records_in: u64,
    pub late: u64,
    /// For each row emitted, how long after its `window_end` (ms on the clock).
    pub latencies_ms: Vec<i64>,
    pub error: Option<String>,
}

impl StrategyRun {
    /// Records that counted, as a share of those read (1 when none were read).
    pub fn completeness(&self) -> f64 {
        if self.records_in == 0 {
            1.0
        } else {
            (self.records_in - self.late.min(self.records_in)) as f64 / self.records_in as f64
        }
    }

    /// The median latency, if any row had a `window_end`.
    pub fn median_latency_ms(&self) -> Option<i64> {
        let mut l = self.latencies_ms.clone();
        l.sort_unstable();
        l.get(l.len() / 2).copied()
    }
}

#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Comparison {
    pub table: String,
    pub columns: Vec<String>,
    pub records: usize,
    /// `stream` or `topic`: what was replayed.
    pub source: String,
    pub runs: Vec<StrategyRun>,
}

/// The records a comparison replays: a local stream's (arrival ms, partition key, data), or a
/// local topic's records with their partition and timestamp.
enum Recorded {
    Stream { name: String, records: Vec<(i64, String, Vec<u8>)> },
    Topic { name: String, partitions: usize, records: Vec<crate::connectors::kafka::KafkaRecord> },
}

impl Recorded {
    fn len(&self) -> usize {
        match self {
            Recorded::Stream { records, .. } => records.len(),
            Recorded::Topic { records, .. } => records.len(),
        }
    }
}

/// Runs `query` (a paragraph's text) once per strategy over the newest records of the stream
/// or local topic its one table reads.
pub fn compare(session: &Session, query: &str, strategies: &[Strategy]) -> Result<Comparison, String> {
    // The paragraph's last statement (it may declare its table first, as a lesson's does).
    let body = crate::views::note::body(query);
    let statements = crate::sql::parse_script(body).map_err(|e| e.to_string())?;
    let sql = statements.last().map_or_else(String::new, |s| s.text.trim().trim_end_matches(';').to_string());
    let plan = session.plan_query(&sql).map_err(|e| e.to_string())?;
    let tables = plan.scanned_tables();
    let [table] = tables.as_slice() else {
        return Err(format!("the query reads {} tables; a comparison replays one stream", tables.len()));
    };
    let wm = table.watermark.as_ref().ok_or_else(|| format!("`{}` has no WATERMARK to vary", table.name))?;
    let rowtime = table.columns[wm.rowtime].name.clone();
    let recorded = recorded(session, table)?;
    let mut runs = Vec::with_capacity(strategies.len());
    let mut columns = Vec::new();
    for &strategy in strategies {
        let ddl = create_table(table, &rowtime, &wm.text, strategy, matches!(recorded, Recorded::Topic { .. }))?;
        let (run, names) = replay(&ddl, &sql, &recorded, strategy);
        if columns.is_empty() {
            columns = names;
        }
        runs.push(run);
    }
    let source = if matches!(recorded, Recorded::Topic { .. }) { "topic" } else { "stream" };
    Ok(Comparison { table: table.name.clone(), columns, records: recorded.len(), source: source.into(), runs })
}

/// The newest records of the table's local stream or (Kafka, one topic) local topic.
fn recorded(session: &Session, table: &TableDef) -> Result<Recorded, String> {
    if let Some(stream) = local_stream_name(table) {
        let records = session.stream_records(&stream, MAX_RECORDS).ok_or_else(|| format!("the stream `{stream}` is gone"))?;
        if records.is_empty() {
            return Err(format!("the stream `{stream}` holds no records yet"));
        }
        return Ok(Recorded::Stream { name: stream, records });
    }
    match local_topic_names(table).as_slice() {
        [] => Err(format!("`{}` does not read a stream or a topic", table.name)),
        [topic] => {
            let t = session.local_topics().get(topic).ok_or_else(|| format!("the topic `{topic}` is gone"))?;
            let records: Vec<_> = t.recent(MAX_RECORDS).into_iter().map(|r| r.record.clone()).collect();
            if records.is_empty() {
                return Err(format!("the topic `{topic}` holds no records yet"));
            }
            Ok(Recorded::Topic { name: topic.clone(), partitions: t.partition_count(), records })
        }
        more => Err(format!("`{}` reads {} topics; a comparison replays one", table.name, more.len())),
    }
}

/// The table's CREATE TABLE under `strategy`, reading its stream or topic from the start.
fn create_table(table: &TableDef, rowtime: &str, watermark: &str, strategy: Strategy, topic: bool) -> Result<String, String> {
    let q = crate::views::sample::quoted;
    let mut lines = Vec::new();
    for c in &table.columns {
        match &c.kind {
            ColumnKind::Physical => {
                let not_null = if c.ty.nullable { "" } else { " NOT NULL" };
                lines.push(format!("{} {}{not_null}", q(&c.name), c.ty.data_type))
            }
            ColumnKind::Computed(_) => {
                let expr = c.expr_text.as_deref().ok_or_else(|| format!("computed column `{}` has no text to replay", c.name))?;
                lines.push(format!("{} AS {expr}", q(&c.name)));
            }
            // A topic's records are replayed whole (timestamp, headers, partition): its
            // metadata columns read the same.
            ColumnKind::Metadata { key, is_virtual } if topic => {
                let virtual_ = if *is_virtual { " VIRTUAL" } else { "" };
                lines.push(format!("{} {} METADATA FROM '{}'{virtual_}", q(&c.name), c.ty.data_type, key.replace('\'', "''")));
            }
            ColumnKind::Metadata { .. } => {
                return Err(format!("`{}` has a metadata column (`{}`), which a replay cannot fill", table.name, c.name))
            }
        }
    }
    match strategy {
        Strategy::Delay(delay_ms) => {
            let delay_ms = delay_ms.max(0);
            lines.push(format!("WATERMARK FOR {0} AS {0} - INTERVAL '{1}.{2:03}' SECOND", q(rowtime), delay_ms / 1000, delay_ms % 1000));
        }
        Strategy::IdleTimeout(_) => lines.push(format!("WATERMARK FOR {} AS {watermark}", q(rowtime))),
    }
    let replaced = |k: &str| {
        k == "scan.stream.initpos"
            || k.starts_with("scan.startup.")
            || (matches!(strategy, Strategy::IdleTimeout(_)) && k == "scan.watermark.idle-timeout")
    };
    let mut options: Vec<String> = table
        .options
        .iter()
        .filter(|(k, _)| !replaced(k))
        .map(|(k, v)| format!("'{}' = '{}'", k.replace('\'', "''"), v.replace('\'', "''")))
        .collect();
    options.push(if topic { "'scan.startup.mode' = 'earliest-offset'".into() } else { "'scan.stream.initpos' = 'TRIM_HORIZON'".into() });
    Ok(format!("CREATE TABLE {} ({}) WITH ({})", q(&table.name), lines.join(", "), options.join(", ")))
}

/// One strategy: a fresh session, the table, the query, and the records put on the stream (or
/// produced into the topic, each to its partition) each at its arrival time — a topic record's
/// arrival is its timestamp (the clock when it was produced, unless its producer set one).
fn replay(ddl: &str, sql: &str, recorded: &Recorded, strategy: Strategy) -> (StrategyRun, Vec<String>) {
    let mut run = StrategyRun { strategy, rows: Vec::new(), records_in: 0, late: 0, latencies_ms: Vec::new(), error: None };
    let arrivals: Vec<i64> = match recorded {
        Recorded::Stream { records, .. } => records.iter().map(|r| r.0).collect(),
        // Arrival order, each no earlier than the one before.
        Recorded::Topic { records, .. } => records
            .iter()
            .scan(i64::MIN, |last, r| {
                *last = (*last).max(r.timestamp_ms);
                Some(*last)
            })
            .collect(),
    };
    let start = arrivals.first().map_or(0, |t| t - 1);
    let mut s = Session::empty();
    s.set_now(start);
    if let Recorded::Topic { name, partitions, .. } = recorded {
        s.local_topics_mut().create(name, *partitions);
    }
    let idle = match strategy {
        Strategy::IdleTimeout(Some(ms)) => format!("SET '{IDLE_TIMEOUT_KEY}' = '{} ms'", ms.max(1)),
        _ => String::new(),
    };
    for statement in [idle.as_str(), ddl] {
        if statement.is_empty() {
            continue;
        }
        if let Err(e) = s.execute(statement, start) {
            run.error = Some(format!("the table could not be declared again: {e}"));
            return (run, Vec::new());
        }
    }
    let (job, columns) = match s.execute(sql, start) {
        Ok(mut o) => match o.pop() {
            Some(Outcome::Query { job, columns, .. }) => (job, columns),
            _ => {
                run.error = Some("the paragraph's last statement is not a continuous query".into());
                return (run, Vec::new());
            }
        },
        Err(e) => {
            run.error = Some(e.to_string());
            return (run, Vec::new());
        }
    };
    let names: Vec<String> = columns.iter().map(|c| c.name.clone()).collect();
    let window_end = names.iter().position(|n| n.eq_ignore_ascii_case("window_end"));
    let take = |s: &mut Session, run: &mut StrategyRun| {
        let now = s.now_ms();
        for change in s.take_changes(job) {
            match change.kind {
                RowKind::Insert | RowKind::UpdateAfter => {
                    if let Some(Value::Timestamp(end)) = window_end.and_then(|i| change.row.get(i)) {
                        run.latencies_ms.push(now - end);
                    }
                    if run.rows.len() < MAX_ROWS {
                        run.rows.push(change.row);
                    }
                }
                RowKind::UpdateBefore | RowKind::Delete => {
                    if let Some(i) = run.rows.iter().position(|r| *r == change.row) {
                        run.rows.remove(i);
                    }
                }
            }
        }
    };
    for (i, arrival) in arrivals.iter().enumerate() {
        s.advance(*arrival);
        take(&mut s, &mut run);
        let put = match recorded {
            Recorded::Stream { name, records } => records.get(i).map(|(_, key, data)| s.put_record(name, key, data.clone()).map(|_| ())),
            Recorded::Topic { name, records, .. } => records.get(i).map(|r| {
                let record = ProducerRecord {
                    partition: Some(r.partition),
                    key: r.key.clone(),
                    value: r.value.clone(),
                    headers: r.headers.clone(),
                    timestamp_ms: Some(r.timestamp_ms),
                };
                s.produce(name, record).map(|_| ())
            }),
        };
        if let Some(Err(e)) = put {
            run.error = Some(e);
            break;
        }
    }
    let end = arrivals.last().map_or(start, |t| *t) + 1;
    s.advance(end);
    take(&mut s, &mut run);
    if let Some(info) = s.job(job) {
        run.records_in = info.records_in;
        run.late = info.late_records_dropped;
        if run.error.is_none() {
            run.error = info.error;
        }
    }
    (run, names)
}

/// One line per strategy: `WATERMARK delay 5 s: 412 records, 37 late (91.0 % counted), rows 6.2 s after their window`.
pub fn summary(run: &StrategyRun) -> String {
    let latency = match run.median_latency_ms() {
        Some(ms) => format!(", a window's row {} after its end (median)", seconds(ms)),
        None => String::new(),
    };
    format!(
        "{}: {} records read, {} late ({:.1} % counted), {} rows{latency}",
        run.strategy.label(),
        run.records_in,
        run.late,
        run.completeness() * 100.0,
        run.rows.len()
    )
}

fn seconds(ms: i64) -> String {
    if ms % 1000 == 0 {
        format!("{} s", ms / 1000)
    } else {
        format!("{:.1} s", ms as f64 / 1000.0)
    }
}

/// The comparison as a small SVG: per strategy, a bar of completeness and a bar of median
/// latency (scaled to the larger), side by side.
pub fn chart_svg(c: &Comparison) -> String {
    const ROW: i64 = 30;
    const LABEL: i64 = 120;
    const BAR: i64 = 180;
    let height = 30 + ROW * c.runs.len() as i64;
    let width = LABEL + 2 * (BAR + 70);
    let max_latency = c.runs.iter().filter_map(StrategyRun::median_latency_ms).max().unwrap_or(0).max(1);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"completeness and latency per watermark strategy\" font-size=\"12\" font-family=\"system-ui, sans-serif\">"
    );
    svg.push_str(&format!(
        "<text x=\"{LABEL}\" y=\"16\" fill=\"currentColor\">completeness</text><text x=\"{}\" y=\"16\" fill=\"currentColor\">latency (median)</text>",
        LABEL + BAR + 70
    ));
    for (i, run) in c.runs.iter().enumerate() {
        let y = 26 + ROW * i as i64;
        let complete = (run.completeness() * BAR as f64).round() as i64;
        svg.push_str(&format!("<text x=\"0\" y=\"{}\" fill=\"currentColor\">{}</text>", y + 15, run.strategy.label()));
        svg.push_str(&format!(
            "<rect x=\"{LABEL}\" y=\"{y}\" width=\"{BAR}\" height=\"20\" fill=\"#8884\"/><rect x=\"{LABEL}\" y=\"{y}\" width=\"{complete}\" height=\"20\" fill=\"#2e9e5b\" data-completeness=\"{:.3}\"/><text x=\"{}\" y=\"{}\" fill=\"currentColor\">{:.1} %</text>",
            run.completeness(),
            LABEL + BAR + 6,
            y + 15,
            run.completeness() * 100.0
        ));
        let x = LABEL + BAR + 70;
        match run.median_latency_ms() {
            Some(ms) => {
                let w = (ms.max(0) as f64 / max_latency as f64 * BAR as f64).round() as i64;
                svg.push_str(&format!(
                    "<rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"20\" fill=\"#2563eb\" data-latency-ms=\"{ms}\"/><text x=\"{}\" y=\"{}\" fill=\"currentColor\">{}</text>",
                    x + w + 6,
                    y + 15,
                    seconds(ms)
                ));
            }
            None => svg.push_str(&format!("<text x=\"{x}\" y=\"{}\" fill=\"currentColor\">no window_end column</text>", y + 15)),
        }
    }
    svg.push_str("</svg>");
    svg
}
