//! `sluice run`'s independent queries side by side, one per core: a SELECT over files, `VALUES`
//! or bounded `datagen` ([`Session::detach_job`] says which) runs on a thread of its own, in a
//! session of its own, while the main thread goes on with the next statements. Whatever the
//! script prints keeps statement order, byte for byte what running one statement after the
//! other prints: output that comes after a query still running waits in a queue, and a query's
//! changes wait in a bounded channel ([`CHUNKS_IN_FLIGHT`] chunks of [`CHUNK_BYTES`]) until every
//! statement before it has printed, its thread blocking when the channel is full. A query that
//! fails stops the script at its place: what came after it is never printed.
//!
//! Anything else (an INSERT, a query reading a stream or topic, a live query) runs on the main
//! thread as before and is a barrier: every query running elsewhere ends, and prints, first.
//! At most `--jobs` queries run at once (every core by default), and they share the `--threads`
//! budget for decoding files: two at once on two cores decode on one thread each, one alone on
//! both. A finished query's session stays on its thread to answer `--metrics`.

use std::collections::VecDeque;
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{channel, sync_channel, Receiver, RecvTimeoutError, Sender, SyncSender};
use std::sync::Arc;
use std::time::Duration;

use crate::session::{ColumnInfo, DetachedJob, JobId, Session, SAVEPOINT_PATH_KEY};
use crate::sql::{Located, Statement};

/// A query's changes go to the main thread in chunks of about this many bytes of JSON lines.
pub const CHUNK_BYTES: usize = 32 * 1024;

/// Chunks a query may have waiting for its turn to print: its thread blocks beyond that, so a
/// huge result waiting behind a slow query holds about `CHUNK_BYTES × CHUNKS_IN_FLIGHT` bytes.
pub const CHUNKS_IN_FLIGHT: usize = 8;

/// How often the main thread, waiting on the first query's output, looks whether another
/// query has ended and freed its place for the next one.
const POLL: Duration = Duration::from_millis(5);

/// What a query's thread sends, in order: its changes as JSON lines, then how it ended.
enum Message {
    Lines(String),
    End(Result<(), String>),
}

/// What the runner asks a finished query's thread, whose session stays there.
enum Ask {
    /// The job's `--metrics` lines with the main session's clock at `now_ms`.
    Metrics { now_ms: i64, seconds: f64, reply: Sender<String> },
    /// The job's late ledger as `--metrics` prints it at the end.
    Ledger { reply: Sender<String> },
}

/// Output waiting for everything before it to print.
enum Item {
    Stdout(String),
    Stderr(String),
    Query(Running),
}

/// A query running on its own thread (or ended, its changes not all printed yet).
struct Running {
    messages: Receiver<Message>,
    /// `path: ` or `path: paragraph N: `, before the error it may end with.
    place: String,
}

/// The queries running elsewhere, and the output that waits for them.
pub struct Concurrent {
    /// Queries at once on threads of their own (1: none, every statement on the main thread).
    limit: usize,
    /// Threads decoding files that the queries running at once share.
    threads: usize,
    /// Queries still computing (not those only waiting to print what they computed).
    computing: Arc<AtomicUsize>,
    queue: VecDeque<Item>,
    /// Every query that ran elsewhere, by id, with the way to ask its thread.
    asks: Vec<(JobId, Sender<Ask>)>,
}

impl Concurrent {
    /// Up to `limit` queries at once, sharing `threads` decoding threads.
    pub fn new(limit: usize, threads: usize) -> Self {
        Concurrent {
            limit: limit.max(1),
            threads: threads.max(1),
            computing: Arc::new(AtomicUsize::new(0)),
            queue: VecDeque::new(),
            asks: Vec::new(),
        }
    }

    /// Whether queries may run on threads of their own.
    pub fn side_by_side(&self) -> bool {
        self.limit > 1
    }

    /// Decoding threads for a query starting now, `ahead` queries (itself included) about to
    /// start before the next barrier: the budget shared by those that will run at once.
    pub fn file_threads(&self, ahead: usize) -> usize {
        let at_once = (self.computing.load(Ordering::SeqCst) + ahead.max(1)).min(self.limit);
        (self.threads / at_once).max(1)
    }

    /// Prints `text` on stdout now, or after the queries before it.
    pub fn stdout(&mut self, out: &mut impl Write, text: String) {
        if self.queue.is_empty() {
            let _ = out.write_all(text.as_bytes());
        } else {
            self.queue.push_back(Item::Stdout(text));
        }
    }

    /// Prints `line` (and a newline) on stderr now, or after the queries before it.
    pub fn stderr(&mut self, line: String) {
        if self.queue.is_empty() {
            eprintln!("{line}");
        } else {
            self.queue.push_back(Item::Stderr(line));
        }
    }

    /// Waits (printing what is due meanwhile) until one more query may start; `Err` when a
    /// query failed (its error printed: the script stops).
    pub fn wait_for_place(&mut self, out: &mut impl Write) -> Result<(), ()> {
        while self.computing.load(Ordering::SeqCst) >= self.limit {
            self.print_next(out)?;
        }
        Ok(())
    }

    /// The barrier: every query running elsewhere ends and everything waiting prints; `Err`
    /// when a query failed (its error printed, nothing after it).
    pub fn drain(&mut self, out: &mut impl Write) -> Result<(), ()> {
        while !self.queue.is_empty() {
            self.print_next(out)?;
        }
        Ok(())
    }

    /// A statement failed with `line`: what comes before it prints first (a query before it
    /// failing stops the script there instead), then the error. The script's exit code.
    pub fn fail(&mut self, out: &mut impl Write, line: String) -> i32 {
        if self.drain(out).is_ok() {
            let _ = out.flush();
            eprintln!("{line}");
        }
        1
    }

    /// Runs `job` (a query, its result `columns`) on a thread of its own; its changes print
    /// after everything before it. `place` leads its error, if it fails.
    pub fn spawn(&mut self, job: DetachedJob, columns: Vec<ColumnInfo>, place: String) -> Result<(), String> {
        let id = job.id();
        let (lines, messages) = sync_channel(CHUNKS_IN_FLIGHT);
        let (asks, questions) = channel();
        let computing = self.computing.clone();
        computing.fetch_add(1, Ordering::SeqCst);
        let spawned = std::thread::Builder::new()
            .name(format!("sluice-job-{id}"))
            .spawn(move || run_elsewhere(job, &columns, &lines, &questions, &computing));
        if let Err(e) = spawned {
            self.computing.fetch_sub(1, Ordering::SeqCst);
            return Err(format!("cannot start a thread for job {id}: {e}"));
        }
        self.queue.push_back(Item::Query(Running { messages, place }));
        self.asks.push((id, asks));
        Ok(())
    }

    /// The `--metrics` lines of the queries that ran elsewhere, by job id.
    pub fn metrics(&self, now_ms: i64, seconds: f64) -> Vec<(JobId, String)> {
        self.ask_each(|reply| Ask::Metrics { now_ms, seconds, reply })
    }

    /// The late ledgers (`--metrics`, at the end) of the queries that ran elsewhere, by job id.
    pub fn ledgers(&self) -> Vec<(JobId, String)> {
        self.ask_each(|reply| Ask::Ledger { reply })
    }

    fn ask_each(&self, ask: impl Fn(Sender<String>) -> Ask) -> Vec<(JobId, String)> {
        self.asks
            .iter()
            .filter_map(|(id, asks)| {
                let (reply, answer) = channel();
                asks.send(ask(reply)).ok()?;
                answer.recv().ok().map(|text| (*id, text))
            })
            .collect()
    }

    /// Prints the first waiting item, or what its query sent within [`POLL`].
    fn print_next(&mut self, out: &mut impl Write) -> Result<(), ()> {
        let Some(first) = self.queue.front() else { return Ok(()) };
        let ended = match first {
            Item::Stdout(text) => {
                let _ = out.write_all(text.as_bytes());
                Ok(true)
            }
            Item::Stderr(line) => {
                eprintln!("{line}");
                Ok(true)
            }
            Item::Query(running) => match running.messages.recv_timeout(POLL) {
                Ok(Message::Lines(lines)) => {
                    let _ = out.write_all(lines.as_bytes());
                    Ok(false)
                }
                Ok(Message::End(Ok(()))) => Ok(true),
                Ok(Message::End(Err(e))) => Err(format!("{}error: {e}", running.place)),
                Err(RecvTimeoutError::Timeout) => Ok(false),
                // Its thread ends only after `End`: it died (a panic would be a bug).
                Err(RecvTimeoutError::Disconnected) => {
                    Err(format!("{}error: the thread running this query stopped unexpectedly", running.place))
                }
            },
        };
        match ended {
            Ok(true) => {
                self.queue.pop_front();
                Ok(())
            }
            Ok(false) => Ok(()),
            Err(line) => {
                // Queries after it are dropped with the queue: nothing after it prints.
                self.queue.clear();
                let _ = out.flush();
                eprintln!("{line}");
                Err(())
            }
        }
    }
}

/// A query's thread: builds the job's session, runs the job to the end sending its changes as
/// JSON lines, then answers questions about it until the runner is done.
fn run_elsewhere(
    job: DetachedJob,
    columns: &[ColumnInfo],
    lines: &SyncSender<Message>,
    questions: &Receiver<Ask>,
    computing: &AtomicUsize,
) {
    let id = job.id();
    let mut session = match Session::with_detached(job) {
        Ok(session) => session,
        Err(e) => {
            computing.fetch_sub(1, Ordering::SeqCst);
            let _ = lines.send(Message::End(Err(e.to_string())));
            return;
        }
    };
    let mut chunk = String::with_capacity(CHUNK_BYTES + 4096);
    let mut printing = true;
    let result = session.run_to_end(id, &mut |changes| {
        for c in changes {
            super::run::write_change(&mut chunk, &c, columns);
        }
        if chunk.len() >= CHUNK_BYTES && printing {
            // The runner gone (another query failed first): nobody will read the rest.
            printing = lines.send(Message::Lines(std::mem::take(&mut chunk))).is_ok();
            chunk.reserve(CHUNK_BYTES + 4096);
        }
        if !printing {
            chunk.clear();
        }
    });
    computing.fetch_sub(1, Ordering::SeqCst);
    if !chunk.is_empty() && lines.send(Message::Lines(chunk)).is_err() {
        return;
    }
    if lines.send(Message::End(result)).is_err() {
        return;
    }
    while let Ok(question) = questions.recv() {
        let Some(info) = session.job(id) else { return };
        match question {
            Ask::Metrics { now_ms, seconds, reply } => {
                session.set_now(now_ms);
                let _ = reply.send(super::run::job_metrics(&session, &info, seconds));
            }
            Ask::Ledger { reply } => {
                let _ = reply.send(super::run::job_ledger(&session, &info));
            }
        }
    }
}

/// Whether a script's queries may run side by side: no statement in it looks at the session's
/// jobs (SHOW JOBS, STOP JOB, EXPLAIN JOB, `late_records(…)`, a savepoint to resume), which a
/// query run in a session of its own is not among. A paragraph that does not parse is left to
/// fail in its turn.
pub fn allowed(paragraphs: &[String]) -> bool {
    paragraphs.iter().all(|p| match crate::session::paragraph::statements(p) {
        Ok(statements) => !statements.iter().any(looks_at_jobs),
        Err(_) => true,
    })
}

fn looks_at_jobs(located: &Located) -> bool {
    match &located.statement {
        Statement::ShowJobs | Statement::StopJob { .. } | Statement::ExplainJob { .. } => true,
        Statement::Set { key: Some(key), .. } => key == SAVEPOINT_PATH_KEY,
        _ => located.text.to_ascii_lowercase().contains(crate::session::LATE_RECORDS),
    }
}

/// Queries from the first of `statements` up to the next INSERT (the next barrier one can see).
pub fn queries_ahead(statements: &[Located]) -> usize {
    statements.iter().take_while(|s| !s.statement.writes_a_table()).filter(|s| matches!(s.statement, Statement::Query(_))).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::Outcome;

    /// A query started in `session` and taken out of it, with its columns.
    fn detached(session: &mut Session, sql: &str) -> (DetachedJob, Vec<ColumnInfo>) {
        match session.execute(sql, 0).unwrap().pop() {
            Some(Outcome::Query { job, columns, .. }) => (session.detach_job(job).expect("independent"), columns),
            other => panic!("not a query: {other:?}"),
        }
    }

    #[test]
    fn output_keeps_statement_order_whatever_ends_first() {
        let mut session = Session::empty();
        // The first query prints far more than a channel holds, so the second ends first.
        let big = "SELECT id FROM gen";
        session
            .execute(
                "CREATE TABLE gen (id BIGINT) WITH ('connector' = 'datagen', 'number-of-rows' = '50000', \
                 'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '50000')",
                0,
            )
            .unwrap();
        let mut concurrent = Concurrent::new(2, 2);
        let mut out = Vec::new();
        concurrent.stdout(&mut out, "before\n".into());
        let (job, columns) = detached(&mut session, big);
        concurrent.spawn(job, columns, String::new()).unwrap();
        concurrent.stdout(&mut out, "between\n".into());
        let (job, columns) = detached(&mut session, "SELECT x FROM (VALUES (7)) AS t(x)");
        concurrent.spawn(job, columns, String::new()).unwrap();
        assert_eq!(out, b"before\n", "what follows a running query waits");
        concurrent.drain(&mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 50_003);
        assert_eq!(lines[1], r#"{"op":"+I","row":{"id":1}}"#);
        assert_eq!(lines[50_000], r#"{"op":"+I","row":{"id":50000}}"#);
        assert_eq!(&lines[50_001..], ["between", r#"{"op":"+I","row":{"x":7}}"#]);
    }

    #[test]
    fn a_failed_query_drops_what_comes_after_it() {
        let dir = tempfile::tempdir().unwrap();
        let bad = dir.path().join("bad.json");
        std::fs::write(&bad, "{\"a\":1}\nnot json\n").unwrap();
        let mut session = Session::empty();
        let ddl = format!("CREATE TABLE bad (a INT) WITH ('connector' = 'filesystem', 'path' = '{}', 'format' = 'json')", bad.display());
        session.execute(&ddl, 0).unwrap();
        let mut concurrent = Concurrent::new(2, 2);
        let mut out = Vec::new();
        let (job, columns) = detached(&mut session, "SELECT a FROM bad");
        concurrent.spawn(job, columns, "script.sql: ".into()).unwrap();
        concurrent.stdout(&mut out, "after\n".into());
        assert!(concurrent.drain(&mut out).is_err());
        assert_eq!(String::from_utf8(out).unwrap(), "{\"op\":\"+I\",\"row\":{\"a\":1}}\n");
        assert!(concurrent.drain(&mut Vec::new()).is_ok(), "nothing waits any more");
    }

    #[test]
    fn scripts_that_look_at_jobs_run_them_one_after_the_other() {
        let script = |s: &str| vec![s.to_string()];
        assert!(allowed(&script("SELECT 1; CREATE VIEW v AS SELECT 2; SELECT * FROM v")));
        assert!(!allowed(&script("SELECT 1; SHOW JOBS")));
        assert!(!allowed(&script("SELECT 1; EXPLAIN JOB '1'")));
        assert!(!allowed(&script("SELECT * FROM LATE_RECORDS('1')")));
        assert!(!allowed(&script("SET 'execution.savepoint.path' = 'x'; SELECT 1")));
    }

    #[test]
    fn decoding_threads_are_shared_by_the_queries_about_to_run_at_once() {
        let concurrent = Concurrent::new(2, 2);
        assert_eq!(concurrent.file_threads(1), 2, "one query alone uses every thread");
        assert_eq!(concurrent.file_threads(3), 1, "two at once: one each");
        assert_eq!(Concurrent::new(4, 8).file_threads(2), 4);
    }
}
