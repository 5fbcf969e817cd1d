//! The native command line. `sluice run SCRIPT.sql` runs a Flink SQL script with the same
//! engine as the page and prints each query's changes as JSON lines; `sluice proxy` lets the page
//! reach real Kinesis streams.

mod args;
pub mod bench;
mod concurrent;
mod fuzz;
mod proxy;
mod run;

use std::ffi::OsString;

use args::*;

const OVERVIEW: &str = "\
usage: sluice run [--generator STREAM[=RATE]]… [--seed N] [--exit-when-idle S] [--duration S]
                  [--metrics S] [--table] [--kinesis-endpoint URL|aws|local]
                  [--kafka HOST:PORT,…|tables|local] [--threads N] [--jobs N]
                  NOTE.zpln|SCRIPT.sql
       sluice export [--kinesis legacy|current:ACCOUNT_ID] [--with-queries] [--paragraphs 1,3,4]
                     [--generator STREAM]… [--zpln|--pyflink|--sql] NOTE.zpln|NOTE.sql
                                   print the note as a Flink SQL script (or, with Python in it, a
                                   PyFlink program) Apache Flink runs unchanged
       sluice gen RECORDS FILE     write the benchmark's sensor records as JSON lines
       sluice bench [RECORDS]      print engine and decoder throughput (default 5,000,000)
       sluice bench --fuzz [SECONDS]
                                   run the parsers over hostile inputs, print executions/s and crashes
       sluice proxy [--port N] [--bind ADDR] [--endpoint URL] [--region R] [--profile NAME]
                    [--allow-origin ORIGIN]… [--allow-stream STREAM]… [--max-body BYTES] [--serve DIR]
                                   let the page call Kinesis through this machine's AWS keys

`sluice COMMAND --help` says more about each. Flags take `--name value` or `--name=value`;
`--` ends the flags. Errors go to stderr as line:column: message, and the exit code is 1
(2 for a wrong command line).";

const EXPORT_HELP: &str = "\
usage: sluice export [--kinesis legacy|current:ACCOUNT_ID] [--with-queries] [--paragraphs 1,3,4]
                     [--generator STREAM]… [--zpln|--pyflink|--sql] NOTE.zpln|NOTE.sql

Prints the note as a Flink SQL script Apache Flink runs unchanged (--zpln: as a Zeppelin note).
A note with Python paragraphs (%flink.pyflink) or Python functions prints as a PyFlink program
(a .py script, `python note.py`) instead; --pyflink and --sql choose either way.
--kinesis picks the Kinesis connector the script uses, --with-queries keeps the SELECTs,
--paragraphs picks paragraphs by number (from 1), --generator names streams `sluice run
--generator` would feed (their tables get a comment).";

const GEN_HELP: &str = "\
usage: sluice gen RECORDS FILE

Writes the benchmark's sensor records as JSON lines.";

const BENCH_HELP: &str = "\
usage: sluice bench [RECORDS]
       sluice bench --fuzz [SECONDS]

Prints engine and decoder throughput over RECORDS generated records (default 5,000,000).
--fuzz runs each parser of outside input over generated hostile inputs for SECONDS (default 3)
each and prints executions per second and the crashes found.";

pub fn main() -> i32 {
    main_with(std::env::args_os().skip(1))
}

/// The command line from its arguments (the program's name left out).
pub fn main_with(args: impl IntoIterator<Item = OsString>) -> i32 {
    let mut parser = Parser::from_args(args);
    let command = match next(&mut parser) {
        Ok(Some(Value(command))) => command,
        Ok(Some(Short('h') | Long("help"))) => return help(OVERVIEW),
        Ok(Some(other)) => return usage_error(&unexpected(other), OVERVIEW),
        Ok(None) => return usage_error("no command", OVERVIEW),
        Err(e) => return usage_error(&e, OVERVIEW),
    };
    match command.to_str() {
        Some("run") => match run::parse_run_args(&mut parser) {
            Ok(Parsed::Run((options, path))) => run::run_note(&path, &options),
            Ok(Parsed::Help) => help(run::HELP),
            Err(e) => usage_error(&e, run::HELP),
        },
        Some("export") => export(&mut parser),
        Some("gen") => match parse_gen(&mut parser) {
            Ok(Parsed::Run((n, path))) => bench::generate(n, &path),
            Ok(Parsed::Help) => help(GEN_HELP),
            Err(e) => usage_error(&e, GEN_HELP),
        },
        Some("bench") => match parse_bench(&mut parser) {
            Ok(Parsed::Run(Bench::Engine(n))) => bench::bench(n),
            Ok(Parsed::Run(Bench::Fuzz(seconds))) => fuzz::fuzz(seconds),
            Ok(Parsed::Help) => help(BENCH_HELP),
            Err(e) => usage_error(&e, BENCH_HELP),
        },
        Some("proxy") => proxy::proxy(&mut parser),
        Some("help") => help(OVERVIEW),
        _ => usage_error(&format!("unknown command `{}`", command.to_string_lossy()), OVERVIEW),
    }
}

/// Prints a help text to stdout; a closed stdout is not worth a panic.
fn help(text: &str) -> i32 {
    use std::io::Write;
    let _ = writeln!(std::io::stdout(), "{text}");
    0
}

/// A wrong command line: what is wrong, then how the command is used.
fn usage_error(error: &str, usage: &str) -> i32 {
    eprintln!("error: {error}\n{usage}");
    2
}

/// A count of records (`5_000_000` allowed).
fn records(value: OsString) -> Result<u64, String> {
    let text = utf8(value, "the number of records")?;
    text.replace('_', "").parse().map_err(|_| format!("`{text}` is not a number of records"))
}

fn parse_gen(parser: &mut Parser) -> Result<Parsed<(u64, String)>, String> {
    let (mut n, mut path) = (None, None);
    while let Some(arg) = next(parser)? {
        match arg {
            Short('h') | Long("help") => return Ok(Parsed::Help),
            Value(v) if n.is_none() => n = Some(records(v)?),
            Value(v) if path.is_none() => path = Some(utf8(v, "the file")?),
            other => return Err(unexpected(other)),
        }
    }
    match (n, path) {
        (Some(n), Some(path)) => Ok(Parsed::Run((n, path))),
        _ => Err("gen takes a number of records and a file".into()),
    }
}

enum Bench {
    Engine(u64),
    Fuzz(f64),
}

fn parse_bench(parser: &mut Parser) -> Result<Parsed<Bench>, String> {
    let (mut n, mut fuzz) = (None, false);
    while let Some(arg) = next(parser)? {
        match arg {
            Short('h') | Long("help") => return Ok(Parsed::Help),
            Long("fuzz") => fuzz = true,
            Value(v) if n.is_none() => n = Some(utf8(v, "bench")?),
            other => return Err(unexpected(other)),
        }
    }
    if fuzz {
        let seconds = match n {
            None => 3.0,
            Some(s) => s.parse::<f64>().ok().filter(|s| s.is_finite() && *s > 0.0).ok_or(format!("`{s}` is not a number of seconds"))?,
        };
        return Ok(Parsed::Run(Bench::Fuzz(seconds)));
    }
    Ok(Parsed::Run(Bench::Engine(match n {
        None => 5_000_000,
        Some(n) => records(n.into())?,
    })))
}

fn export(parser: &mut Parser) -> i32 {
    use crate::export::{flink_script_of, read_note, ExportOptions, KinesisOptions};
    use std::io::Write;
    let mut options = ExportOptions::default();
    let mut file = None;
    let mut chosen: Option<Vec<usize>> = None;
    let mut zeppelin = false;
    let mut pyflink: Option<bool> = None;
    let parsed = (|| -> Result<Parsed<()>, String> {
        while let Some(arg) = next(parser)? {
            match arg {
                Short('h') | Long("help") => return Ok(Parsed::Help),
                Long("with-queries") => options.include_queries = true,
                Long("zpln") => zeppelin = true,
                Long("pyflink") => pyflink = Some(true),
                Long("sql") => pyflink = Some(false),
                Long("generator") => {
                    // The streams `sluice run --generator` would feed: their tables get a comment.
                    let stream = text(parser, "--generator").map_err(|_| "--generator takes the name of a stream the generator feeds")?;
                    options.generator_streams.push(stream.split('=').next().unwrap_or(&stream).to_string());
                }
                Long("paragraphs") => {
                    let list = text(parser, "--paragraphs").unwrap_or_default();
                    match list.split(',').map(|n| n.trim().parse::<usize>().ok().filter(|n| *n > 0)).collect::<Option<Vec<_>>>() {
                        Some(numbers) if !numbers.is_empty() => chosen = Some(numbers),
                        _ => return Err(format!("--paragraphs takes paragraph numbers from 1, e.g. 1,2,5; not `{list}`")),
                    }
                }
                Long("kinesis") => {
                    let value = text(parser, "--kinesis").ok();
                    options.kinesis = match value.as_deref() {
                        Some("legacy") => KinesisOptions::Legacy,
                        Some(current) if current.starts_with("current:") => {
                            KinesisOptions::Current { account_id: current["current:".len()..].to_string() }
                        }
                        other => {
                            return Err(format!("--kinesis takes `legacy` or `current:ACCOUNT_ID`, not {}", other.unwrap_or("nothing")))
                        }
                    }
                }
                Value(path) if file.is_none() => file = Some(utf8(path, "the note's path")?),
                other => return Err(unexpected(other)),
            }
        }
        Ok(Parsed::Run(()))
    })();
    match parsed {
        Ok(Parsed::Run(())) => {}
        Ok(Parsed::Help) => return help(EXPORT_HELP),
        Err(e) => return usage_error(&e, EXPORT_HELP),
    }
    let Some(path) = file.as_deref() else {
        return usage_error("no note to export", EXPORT_HELP);
    };
    let content = match std::fs::read_to_string(path) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: cannot read {path}: {e}");
            return 1;
        }
    };
    let (name, paragraphs) = match read_note(path, &content) {
        Ok(n) => n,
        Err(e) => {
            eprintln!("error: {e}");
            return 1;
        }
    };
    // Chosen paragraphs (numbered from 1) keep the note's order; the tables they use must be
    // among them, as in the walkthrough's "SensorsApp" note.
    if let Some(n) = chosen.iter().flatten().find(|n| **n > paragraphs.len()) {
        eprintln!("error: the note has {} paragraphs, not {n}", paragraphs.len());
        return 2;
    }
    let texts: Vec<(usize, &str)> = paragraphs
        .iter()
        .enumerate()
        .map(|(i, p)| (i + 1, p.as_str()))
        .filter(|(n, _)| chosen.as_ref().is_none_or(|c| c.contains(n)))
        .collect();
    if zeppelin {
        // The note as a Zeppelin note (Managed Service for Apache Flink Studio imports these):
        // paragraph text kept exactly, as the studio's own export keeps it.
        // Credentials redacted, as the page's download (or refused with where and why).
        use crate::views::note::{NoteDoc, ParagraphDoc};
        let paragraphs = texts.iter().map(|(n, t)| ParagraphDoc::new(format!("paragraph_{n}"), *t)).collect();
        return match crate::export::zpln(&NoteDoc { name, paragraphs }) {
            Ok(zpln) => {
                // A closed stdout (`| head`) is not worth a panic: write and ignore the error.
                let _ = writeln!(std::io::stdout(), "{zpln}");
                0
            }
            Err(e) => {
                eprintln!("{path}: {e}");
                1
            }
        };
    }
    let all: Vec<&str> = texts.iter().map(|(_, t)| *t).collect();
    let program = if pyflink.unwrap_or_else(|| crate::export::pyflink::has_python(&all)) {
        crate::export::pyflink::pyflink_program(&name, &texts, &options)
    } else {
        flink_script_of(&name, &texts, &options)
    };
    match program {
        Ok(script) => {
            let _ = write!(std::io::stdout(), "{script}");
            0
        }
        Err(e) => {
            eprintln!("{path}: {e}");
            1
        }
    }
}
