//! `sluice run SCRIPT.sql`: statement by statement, queries run to the end of their bounded
//! input before the next statement starts, changes printed as JSON lines (the contract tests and
//! benchmarks rely on). Independent queries run side by side, printing the same
//! (`concurrent.rs`).

use std::collections::BTreeMap;
use std::io::{BufWriter, Write};

use super::args::*;
use super::concurrent::{self, Concurrent};
use crate::connectors::kafka::mirror::{KafkaAccess, KafkaRemote};
use crate::connectors::kinesis::remote::{DefaultEndpoint, KinesisRemote};
use crate::session::{Change, ColumnInfo, JobInfo, Outcome, Session};
use crate::sql::Statement;
use crate::views::{ResultMode, ResultTable};

/// Longest wait, when stopping, for Kinesis to store what the sinks wrote.
const FLUSH_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

/// The Kinesis for tables without 'aws.endpoint': the flag, else the standard AWS variables.
fn kinesis_endpoint(options: &RunOptions) -> DefaultEndpoint {
    match options.kinesis_endpoint.as_deref() {
        Some("local") => DefaultEndpoint::Local,
        Some("aws") => DefaultEndpoint::Regional,
        Some(url) => DefaultEndpoint::Url(url.to_string()),
        None => DefaultEndpoint::from_env(),
    }
}

/// Which Kafka tables are real: `--kafka`, else `SLUICE_KAFKA`, else none (local topics).
fn kafka_access(options: &RunOptions) -> KafkaAccess {
    let given = options.kafka.clone().or_else(|| std::env::var("SLUICE_KAFKA").ok().filter(|v| !v.is_empty()));
    match given.as_deref() {
        None | Some("local") => KafkaAccess::Local,
        Some("tables") => KafkaAccess::Tables,
        Some(servers) => KafkaAccess::Bootstrap(servers.to_string()),
    }
}

/// How `sluice run` runs past its bounded inputs.
#[derive(Clone, Debug, Default)]
pub struct RunOptions {
    /// Local streams fed by the built-in sensor generator, with their rates (records/s).
    pub generators: Vec<(String, f64)>,
    pub seed: u64,
    /// Stop once no job has read a record for this long (seconds).
    pub exit_when_idle: Option<f64>,
    /// Stop after this long (seconds).
    pub duration: Option<f64>,
    /// Print job metrics to stderr this often (seconds) while running live.
    pub metrics_every: Option<f64>,
    /// Show each live query as a table redrawn in place (for a terminal), not JSON lines.
    pub table: bool,
    /// `--kinesis-endpoint`: the Kinesis that tables without 'aws.endpoint' use (`None`: from
    /// the environment, else local streams).
    pub kinesis_endpoint: Option<String>,
    /// `--kafka`: `tables` (each Kafka table's own 'properties.bootstrap.servers'), servers
    /// for every Kafka table, or `local` (`None`: `SLUICE_KAFKA`, else local topics).
    pub kafka: Option<String>,
    /// `--threads`: threads that decode files (`None`: every core); queries running at once
    /// share them.
    pub threads: Option<usize>,
    /// `--jobs`: independent queries that run at once, each on a thread of its own (`None` or
    /// 1: one after the other on the main thread, each decoding its files on every core).
    pub jobs: Option<usize>,
    /// `--drain`: when the live run stops, stop its jobs as `STOP JOB … WITH DRAIN` does,
    /// firing every window still waiting for the watermark.
    pub drain: bool,
}

pub const HELP: &str = "\
usage: sluice run [--generator STREAM[=RATE]]… [--seed N] [--exit-when-idle S] [--duration S]
                  [--metrics S] [--table] [--kinesis-endpoint URL|aws|local]
                  [--kafka HOST:PORT,…|tables|local] [--threads N] [--jobs N] [--drain]
                  NOTE.zpln|SCRIPT.sql

Runs a Flink SQL script or a note. Tables with 'connector' = 'filesystem' are bounded
inputs read in file order (JSON and CSV files decoded on --threads threads, every core by
default, with the same results as one); every SELECT prints its result changes to stdout, one JSON line each:
  {\"op\":\"+I\",\"row\":{\"col\":value,…}}
Statements run in order, each query on every core. With --jobs N, up to N SELECTs whose inputs
are all files, VALUES or bounded datagen run side by side, each on a thread of its own while the
next statements go on; they share the --threads, and the output is the same, in statement order
(INSERTs and other queries wait for those before them to end). A file query already uses every
core, so side by side pays for queries that cannot: VALUES and datagen.
Kinesis tables read local streams and Kafka tables local topics; --generator feeds a stream
(or, as kafka:TOPIC, a topic) with the built-in sensor generator, and then the queries run live until they end, --exit-when-idle, --duration or Ctrl-C;
--table shows them as tables redrawn in place instead of JSON lines; with --drain, stopping
drains the jobs first (STOP JOB … WITH DRAIN): every window still waiting fires.
A Kinesis table reads and writes a real stream when it has 'aws.endpoint', or when
--kinesis-endpoint (or AWS_ENDPOINT_URL_KINESIS / AWS_ENDPOINT_URL) names one; `aws` means
https://kinesis.<aws.region>.amazonaws.com. Credentials come from AWS_ACCESS_KEY_ID,
AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, else the shared files' profile (AWS_PROFILE).
Kafka tables read and write local topics unless --kafka (or SLUICE_KAFKA) says otherwise:
`tables` uses each table's 'properties.bootstrap.servers', HOST:PORT,… uses those servers for
every Kafka table (its other 'properties.*', SASL included, still apply).";

/// Parses `run`'s flags; returns the options and the note's path.
pub fn parse_run_args(parser: &mut Parser) -> Result<Parsed<(RunOptions, String)>, String> {
    let mut options = RunOptions { seed: 1, ..RunOptions::default() };
    let mut path = None;
    let seconds = |parser: &mut Parser, flag: &str| -> Result<f64, String> {
        Some(number::<f64>(parser, flag, "a number of seconds")?)
            .filter(|s| s.is_finite() && *s >= 0.0)
            .ok_or_else(|| format!("{flag} takes a number of seconds"))
    };
    while let Some(arg) = next(parser)? {
        match arg {
            Short('h') | Long("help") => return Ok(Parsed::Help),
            Long("generator") => {
                let spec = text(parser, "--generator").map_err(|_| "--generator takes STREAM or STREAM=RATE")?;
                let (stream, rate) = match spec.split_once('=') {
                    Some((s, r)) => (
                        s,
                        r.parse::<f64>()
                            .ok()
                            .filter(|r| r.is_finite() && *r > 0.0)
                            .ok_or_else(|| format!("`{r}` is not a rate (records per second)"))?,
                    ),
                    None => (spec.as_str(), crate::session::DEFAULT_GENERATOR_RATE),
                };
                options.generators.push((stream.to_string(), rate));
            }
            Long("seed") => options.seed = number(parser, "--seed", "a number")?,
            Long("exit-when-idle") => options.exit_when_idle = Some(seconds(parser, "--exit-when-idle")?),
            Long("duration") => options.duration = Some(seconds(parser, "--duration")?),
            Long("metrics") => options.metrics_every = Some(seconds(parser, "--metrics")?).filter(|s| *s > 0.0),
            Long("table") => options.table = true,
            Long("drain") => options.drain = true,
            Long("threads") => {
                options.threads = Some(number::<usize>(parser, "--threads", "a number of threads")?)
                    .filter(|n| *n > 0)
                    .ok_or("--threads takes a number of threads (1 or more)")
                    .map(Some)?
            }
            Long("jobs") => {
                options.jobs = Some(number::<usize>(parser, "--jobs", "a number of queries")?)
                    .filter(|n| *n > 0)
                    .ok_or("--jobs takes a number of queries to run at once (1 or more)")
                    .map(Some)?
            }
            Long("kinesis-endpoint") => {
                let url = text(parser, "--kinesis-endpoint")
                    .map_err(|_| "--kinesis-endpoint takes a URL, `aws` (the region's endpoint) or `local`")?;
                options.kinesis_endpoint = Some(url);
            }
            Long("kafka") => {
                let v = text(parser, "--kafka").map_err(|_| "--kafka takes HOST:PORT,…, `tables` or `local`")?;
                options.kafka = Some(v);
            }
            Value(p) if path.is_none() => path = Some(utf8(p, "the note's path")?),
            other => return Err(unexpected(other)),
        }
    }
    Ok(Parsed::Run((options, path.ok_or("no note or script to run")?)))
}

/// A remote stream's or topic's message: Kafka's already say `kafka: `, Kinesis's get `kinesis: `.
fn print_remote(message: &str) {
    if message.starts_with("kafka: ") {
        eprintln!("{message}");
    } else {
        eprintln!("kinesis: {message}");
    }
}

fn wall_clock_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}

pub fn run_note(path: &str, options: &RunOptions) -> i32 {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: cannot read {path}: {e}");
            return 1;
        }
    };
    // A plain script is one paragraph; a note (`%flink.ssql` lines, or a Zeppelin .zpln) has
    // several, each run as the studio runs it (`%flink.bsql` in batch mode).
    let is_json = text.trim_start().starts_with('{');
    let paragraphs = match crate::export::read_note(path, &text) {
        Ok((_, p)) if is_json || text.lines().any(|l| l.starts_with('%')) => p,
        Ok(_) => vec![text.clone()],
        Err(e) => {
            eprintln!("error: {e}");
            return 1;
        }
    };
    let mut session = Session::empty();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = options.threads.unwrap_or(cores);
    let reading = crate::connectors::FileReading { threads, ..Default::default() };
    session.set_file_reading(reading);
    session.switch_remote(Some(Box::new(KinesisRemote::new(kinesis_endpoint(options)))));
    session.switch_remote_topics(Some(Box::new(KafkaRemote::new(kafka_access(options)))));
    // CURRENT_TIMESTAMP, PROCTIME() and the generators read the machine's clock (UTC: the
    // runner has no time zone).
    let now = wall_clock_ms();
    session.set_now(now);
    for (stream, rate) in &options.generators {
        match stream.strip_prefix("kafka:") {
            Some(topic) => session.attach_topic_generator(topic, options.seed, *rate),
            None => session.attach_generator(stream, options.seed, *rate),
        }
    }
    // Independent queries run side by side with `--jobs N`; the output is what running them one
    // after the other prints. Not by default: a file query already decodes on every core, and on
    // 2 free cores three file queries took 1.72-1.76 s side by side against 1.30-1.32 s in turn.
    let limit = if concurrent::allowed(&paragraphs) { options.jobs.unwrap_or(1) } else { 1 };
    let mut elsewhere = Concurrent::new(limit, threads);
    // Queries still running after their first pass (unbounded sources), with their columns.
    let mut live: Vec<(crate::session::JobId, Vec<ColumnInfo>)> = Vec::new();
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut first_line = 0;
    for (index, paragraph) in paragraphs.iter().enumerate() {
        // Where errors point: lines of the file for a script, the paragraph for a .zpln.
        let place = |e: &dyn std::fmt::Display, location: Option<crate::sql::Location>| match (is_json, location) {
            (true, _) => format!("{path}: paragraph {}: {e}", index + 1),
            (false, Some(l)) => format!("{path}:{}:{}: {}", l.line as usize + first_line, l.column, strip_location(&e.to_string())),
            (false, None) => format!("{path}: {e}"),
        };
        let lines_here = paragraph.matches('\n').count();
        // Statement by statement: each one's job runs to the end of its bounded input before
        // the next statement starts (an INSERT's file is written before a later query opens it).
        let statements = match session.start_paragraph(paragraph, now) {
            Ok(s) => s,
            Err(e) => return elsewhere.fail(&mut out, place(&e, e.location)),
        };
        for (k, located) in statements.iter().enumerate() {
            let query = matches!(located.statement, Statement::Query(_));
            // An INSERT (or CREATE TABLE … AS) writes what later statements read: whatever runs elsewhere ends first.
            if located.statement.writes_a_table() && elsewhere.drain(&mut out).is_err() {
                return 1;
            }
            if query && elsewhere.side_by_side() {
                if elsewhere.wait_for_place(&mut out).is_err() {
                    return 1;
                }
                session.set_file_reading(crate::connectors::FileReading {
                    threads: elsewhere.file_threads(concurrent::queries_ahead(&statements[k..])),
                    ..reading
                });
            }
            let outcome = session.execute_one(located);
            session.set_file_reading(reading);
            let outcome = match outcome {
                Ok(o) => o,
                Err(e) => return elsewhere.fail(&mut out, place(&e, e.location)),
            };
            let (job, columns) = match outcome {
                Outcome::Done { message, warnings } => {
                    for w in warnings {
                        elsewhere.stderr(format!("warning: {w}"));
                    }
                    elsewhere.stderr(message);
                    continue;
                }
                Outcome::Table { columns, rows } => {
                    let mut text = String::new();
                    for row in rows {
                        let change = Change { kind: crate::types::RowKind::Insert, row };
                        write_change(&mut text, &change, &columns);
                    }
                    elsewhere.stdout(&mut out, text);
                    continue;
                }
                Outcome::Text(t) => {
                    elsewhere.stdout(&mut out, format!("{t}\n"));
                    continue;
                }
                Outcome::Diagnosis(d) => {
                    elsewhere.stdout(&mut out, format!("{}\n", crate::views::diagnosis::render(&d)));
                    continue;
                }
                Outcome::Query { job, columns, .. } => {
                    if let Some(detached) = elsewhere.side_by_side().then(|| session.detach_job(job)).flatten() {
                        if let Err(e) = elsewhere.spawn(detached, columns, place(&"", None)) {
                            return elsewhere.fail(&mut out, place(&format!("error: {e}"), None));
                        }
                        continue;
                    }
                    (job, columns)
                }
                Outcome::Insert { job, warnings, .. } => {
                    for w in warnings {
                        elsewhere.stderr(format!("warning: {w}"));
                    }
                    (job, Vec::new())
                }
            };
            // Not independent: it runs here, after every query running elsewhere.
            if elsewhere.drain(&mut out).is_err() {
                return 1;
            }
            let mut line = String::with_capacity(256);
            let result = session.run_to_end(job, &mut |changes| {
                for c in changes {
                    line.clear();
                    write_change(&mut line, &c, &columns);
                    let _ = out.write_all(line.as_bytes());
                }
            });
            if let Err(e) = result {
                let _ = out.flush();
                eprintln!("{}", place(&format!("error: {e}"), None));
                return 1;
            }
            if session.job(job).is_some_and(|j| j.running) {
                live.push((job, columns));
            }
        }
        session.end_paragraph();
        first_line += lines_here;
    }
    if elsewhere.drain(&mut out).is_err() {
        return 1;
    }
    let _ = out.flush();
    if live.is_empty() && options.generators.is_empty() {
        if options.metrics_every.is_some() {
            print_ledgers(&session, &elsewhere);
        }
        return 0;
    }
    run_live(&mut session, &live, options, &mut out, &elsewhere)
}

/// Runs the jobs on unbounded sources in real time until they end, the note has been idle or
/// running long enough, or Ctrl-C; prints their changes as they come.
fn run_live(
    session: &mut Session,
    live: &[(crate::session::JobId, Vec<ColumnInfo>)],
    options: &RunOptions,
    out: &mut impl Write,
    elsewhere: &Concurrent,
) -> i32 {
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    {
        let stop = stop.clone();
        // Ctrl-C ends the loop between two steps: sinks have written every change so far.
        let _ = ctrlc::set_handler(move || stop.store(true, std::sync::atomic::Ordering::SeqCst));
    }
    let started = std::time::Instant::now();
    let mut last_progress = std::time::Instant::now();
    let mut last_metrics = std::time::Instant::now();
    let mut last_in = 0u64;
    let mut line = String::with_capacity(256);
    let mut tables: Vec<ResultTable> =
        live.iter().map(|(_, columns)| ResultTable::new(columns.clone(), ResultMode::Update, TABLE_ROWS)).collect();
    let mut print_changes = |session: &mut Session, out: &mut dyn Write| {
        let mut changed = false;
        for ((job, columns), table) in live.iter().zip(&mut tables) {
            let changes = session.take_changes(*job);
            changed |= !changes.is_empty();
            if options.table {
                table.apply(&changes);
                continue;
            }
            for c in changes {
                line.clear();
                write_change(&mut line, &c, columns);
                let _ = out.write_all(line.as_bytes());
            }
        }
        if options.table && changed {
            // Home the cursor and clear the screen, then draw every live query's rows.
            let _ = out.write_all(b"\x1b[H\x1b[2J");
            for (i, table) in tables.iter().enumerate() {
                let _ = out.write_all(render_table(i + 1, table).as_bytes());
            }
        }
        let _ = out.flush();
    };
    let reason = loop {
        if stop.load(std::sync::atomic::Ordering::SeqCst) {
            break "interrupted";
        }
        session.advance(wall_clock_ms());
        for message in session.take_remote_messages() {
            print_remote(&message);
        }
        print_changes(session, out);
        let jobs = session.jobs();
        if let Some(failed) = jobs.iter().find(|j| j.error.is_some()) {
            eprintln!("error: job {} failed: {}", failed.id, failed.error.clone().unwrap_or_default());
            flush_remote(session);
            return 1;
        }
        let records_in: u64 = jobs.iter().map(|j| j.records_in).sum();
        if records_in != last_in {
            last_in = records_in;
            last_progress = std::time::Instant::now();
        }
        if !jobs.iter().any(|j| j.running) && options.generators.is_empty() {
            break "every job has ended";
        }
        if options.exit_when_idle.is_some_and(|s| last_progress.elapsed().as_secs_f64() >= s) {
            break "the sources have been idle";
        }
        if options.duration.is_some_and(|s| started.elapsed().as_secs_f64() >= s) {
            break "the duration is over";
        }
        if let Some(every) = options.metrics_every {
            if last_metrics.elapsed().as_secs_f64() >= every {
                last_metrics = std::time::Instant::now();
                print_metrics(session, elsewhere, started.elapsed().as_secs_f64());
            }
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    if options.drain {
        for job in session.jobs().into_iter().filter(|j| j.running) {
            if let Err(e) = session.drain_job(job.id) {
                eprintln!("error: job {} failed while draining: {e}", job.id);
            }
        }
        print_changes(session, out);
    }
    let _ = out.flush();
    // Jobs still running stop here: their Kafka tables commit their group offsets.
    session.commit_offsets();
    let flushed = flush_remote(session);
    print_metrics(session, elsewhere, started.elapsed().as_secs_f64());
    if options.metrics_every.is_some() {
        print_ledgers(session, elsewhere);
    }
    eprintln!("stopped: {reason}");
    if flushed {
        0
    } else {
        1
    }
}

/// Waits until Kinesis has stored every record the sinks wrote (or [`FLUSH_TIMEOUT`] passed);
/// says so and returns false if some were not.
fn flush_remote(session: &mut Session) -> bool {
    let started = std::time::Instant::now();
    loop {
        session.pump_remote();
        for message in session.take_remote_messages() {
            print_remote(&message);
        }
        let pending = session.remote_pending_writes();
        if pending == 0 {
            return true;
        }
        if started.elapsed() >= FLUSH_TIMEOUT {
            eprintln!("error: {pending} records were not stored in Kinesis after {}s", FLUSH_TIMEOUT.as_secs());
            return false;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// Rows a live table on a terminal keeps (the newest).
const TABLE_ROWS: usize = 40;

/// A result as a compact text table: a header, a rule, the rows; columns as wide as they need.
fn render_table(query: usize, table: &ResultTable) -> String {
    let header: Vec<String> = table.columns.iter().map(|c| c.name.clone()).collect();
    let rows: Vec<Vec<String>> = table.rows().map(|r| r.iter().zip(&table.columns).map(|(v, c)| c.show(v)).collect()).collect();
    let widths: Vec<usize> = (0..header.len())
        .map(|i| rows.iter().map(|r| r[i].chars().count()).chain([header[i].chars().count()]).max().unwrap_or(0))
        .collect();
    let line = |cells: &[String]| -> String {
        let padded: Vec<String> = cells.iter().zip(&widths).map(|(c, w)| format!("{c:<w$}")).collect();
        format!(" {}\n", padded.join(" │ ").trim_end())
    };
    let mut out = format!("query {query}: {} row{}\n", table.len(), if table.len() == 1 { "" } else { "s" });
    out.push_str(&line(&header));
    out.push_str(&format!("─{}─\n", widths.iter().map(|w| "─".repeat(*w)).collect::<Vec<_>>().join("─┼─")));
    for r in &rows {
        out.push_str(&line(r));
    }
    out.push('\n');
    out
}

/// Every job's metrics, in job order: those that ran here and those that ran elsewhere.
fn print_metrics(session: &Session, elsewhere: &Concurrent, seconds: f64) {
    let mut text: BTreeMap<crate::session::JobId, String> =
        session.jobs().iter().map(|j| (j.id, job_metrics(session, j, seconds))).collect();
    text.extend(elsewhere.metrics(session.now_ms(), seconds));
    for lines in text.values() {
        eprint!("{lines}");
    }
}

/// A job's metrics line, and why its windows wait if it waits for event time.
pub(super) fn job_metrics(session: &Session, j: &JobInfo, seconds: f64) -> String {
    let wm = j.watermark.map(crate::types::format_timestamp).unwrap_or_else(|| "none".into());
    let mut text = format!(
        "job {}: {} records in ({:.0}/s), {} out, {} late dropped, watermark {wm}, {}\n",
        j.id,
        j.records_in,
        j.records_in as f64 / seconds.max(0.001),
        j.records_out,
        j.late_records_dropped,
        if j.running { "running" } else { "ended" }
    );
    if let Some(d) = session.diagnose(j.id).filter(|d| d.event_time) {
        for line in crate::views::diagnosis::render(&d).lines() {
            text.push_str(&format!("  {line}\n"));
        }
    }
    text
}

/// Rows of each job's late ledger printed at the end.
const LEDGER_ROWS: usize = 20;

/// Every job's late ledger (with `--metrics`, at the end), in job order: the records dropped
/// as late, the windows they missed, the delay that would have kept them, and the what-if under
/// that delay (the page's slider, here at the one delay that keeps every listed record).
fn print_ledgers(session: &Session, elsewhere: &Concurrent) {
    let mut text: BTreeMap<crate::session::JobId, String> = session.jobs().iter().map(|j| (j.id, job_ledger(session, j))).collect();
    text.extend(elsewhere.ledgers());
    for ledger in text.values() {
        eprint!("{ledger}");
    }
}

/// A job's late ledger and what-if, as [`print_ledgers`] prints them (nothing without late records).
pub(super) fn job_ledger(session: &Session, j: &JobInfo) -> String {
    let mut text = String::new();
    if j.late_records_dropped == 0 {
        return text;
    }
    if let Some(ledger) = session.late_ledger(j.id) {
        text.push_str(&crate::views::late_ledger::render(&ledger, LEDGER_ROWS));
        let needed = ledger.entries.iter().map(|e| e.late_by_ms).max();
        if let (Some(delay), Some(late_by)) = (ledger.delay_ms, needed) {
            match session.what_if_delay(j.id, delay.saturating_add(late_by)) {
                Ok(what_if) => text.push_str(&crate::views::late_ledger::render_what_if(&what_if)),
                Err(why) => text.push_str(&format!("no what-if for job {}: {why}\n", j.id)),
            }
        }
    }
    text
}

/// An error's text without its leading `line:column: ` (the runner prints its own).
fn strip_location(text: &str) -> &str {
    let mut parts = text.splitn(3, ':');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(l), Some(c), Some(rest)) if l.parse::<u32>().is_ok() && c.parse::<u32>().is_ok() => rest.trim_start(),
        _ => text,
    }
}

/// `{"op":"+I","row":{"col":value,…}}` with keys in column order, and a newline.
pub(super) fn write_change(out: &mut String, change: &Change, columns: &[ColumnInfo]) {
    out.push_str("{\"op\":\"");
    out.push_str(change.kind.short());
    out.push_str("\",\"row\":{");
    for (i, (c, v)) in columns.iter().zip(&change.row).enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&serde_json::to_string(&c.name).unwrap_or_default());
        out.push(':');
        v.write_json(out);
    }
    out.push_str("}}\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<RunOptions, String> {
        match parse_run_args(&mut Parser::from_iter(std::iter::once("run").chain(args.iter().copied())))? {
            Parsed::Run((options, _)) => Ok(options),
            Parsed::Help => Err("help".into()),
        }
    }

    #[test]
    fn threads_default_to_every_core_and_take_a_positive_count() {
        assert_eq!(parse(&["q.sql"]).unwrap().threads, None);
        assert_eq!(parse(&["--threads", "3", "q.sql"]).unwrap().threads, Some(3));
        assert_eq!(parse(&["--threads=1", "q.sql"]).unwrap().threads, Some(1));
        assert!(parse(&["--threads", "0", "q.sql"]).unwrap_err().contains("1 or more"));
        assert!(parse(&["--threads", "many", "q.sql"]).unwrap_err().contains("--threads takes a number"));
    }

    #[test]
    fn jobs_default_to_none_and_take_a_positive_count() {
        assert_eq!(parse(&["q.sql"]).unwrap().jobs, None);
        assert_eq!(parse(&["--jobs", "1", "q.sql"]).unwrap().jobs, Some(1));
        assert_eq!(parse(&["--jobs=4", "q.sql"]).unwrap().jobs, Some(4));
        assert!(parse(&["--jobs", "0", "q.sql"]).unwrap_err().contains("1 or more"));
    }
}
