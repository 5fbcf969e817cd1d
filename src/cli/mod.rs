//! The native command line. `sluice run SCRIPT.sql` runs a Flink SQL script with the same
//! engine as the page and prints each query's changes as JSON lines; `sluice proxy` lets the page
//! reach real Kinesis streams.

pub mod bench;
mod proxy;
mod run;

const USAGE: &str = "\
usage: sluice run [--generator STREAM[=RATE]]… [--seed N] [--exit-when-idle S] [--duration S]
                  [--metrics S] [--table] [--kinesis-endpoint URL|aws|local]
                  NOTE.zpln|SCRIPT.sql
       sluice export [--kinesis legacy|current:ACCOUNT_ID] [--with-queries] [--paragraphs 1,3,4]
                     [--generator STREAM]… [--zpln] NOTE.zpln|NOTE.sql
                                   print the note as a Flink SQL script Apache Flink runs unchanged
       sluice gen RECORDS FILE     write the benchmark's sensor records as JSON lines
       sluice bench [RECORDS]      print engine and decoder throughput (default 5,000,000)
       sluice proxy [--port N] [--bind ADDR] [--endpoint URL] [--region R] [--profile NAME]
                    [--allow-origin ORIGIN]… [--allow-stream STREAM]… [--max-body BYTES] [--serve DIR]
                                   let the page call Kinesis through this machine's AWS keys

`run` runs a Flink SQL script or a note. Tables with 'connector' = 'filesystem' are bounded
inputs read in file order; every SELECT prints its result changes to stdout, one JSON line each:
  {\"op\":\"+I\",\"row\":{\"col\":value,…}}
Kinesis tables read local streams; --generator feeds one with the built-in sensor generator,
and then the queries run live until they end, --exit-when-idle, --duration or Ctrl-C;
--table shows them as tables redrawn in place instead of JSON lines.
A Kinesis table reads and writes a real stream when it has 'aws.endpoint', or when
--kinesis-endpoint (or AWS_ENDPOINT_URL_KINESIS / AWS_ENDPOINT_URL) names one; `aws` means
https://kinesis.<aws.region>.amazonaws.com. Credentials come from AWS_ACCESS_KEY_ID,
AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, else the shared files' profile (AWS_PROFILE).

`proxy` listens on 127.0.0.1:4599 and forwards the page's Kinesis calls (ListShards,
GetShardIterator, GetRecords, PutRecords, DescribeStreamSummary; nothing else) to
https://kinesis.<region>.amazonaws.com or --endpoint, signed with the credentials above
(--profile picks a profile). Pages may call it from its own origin and --allow-origin (default
http://127.0.0.1:8080 and http://localhost:8080); --allow-stream limits it to those streams;
bodies over --max-body (8 MiB) are refused; --serve dist serves the built studio as well.
Errors go to stderr as line:column: message, and the exit code is 1.";

pub fn main() -> i32 {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["run", rest @ ..] => match run::parse_run_args(rest) {
            Ok((options, path)) => run::run_note(&path, &options),
            Err(e) => {
                eprintln!("error: {e}\n{USAGE}");
                2
            }
        },
        ["gen", n, path] => match n.replace('_', "").parse() {
            Ok(n) => bench::generate(n, path),
            Err(_) => {
                eprintln!("error: `{n}` is not a number of records");
                2
            }
        },
        ["export", rest @ ..] => export(rest),
        ["proxy", rest @ ..] => proxy::proxy(rest),
        ["bench"] => bench::bench(5_000_000),
        ["bench", n] => match n.replace('_', "").parse() {
            Ok(n) => bench::bench(n),
            Err(_) => {
                eprintln!("error: `{n}` is not a number of records");
                2
            }
        },
        ["--help" | "-h" | "help"] => {
            println!("{USAGE}");
            0
        }
        _ => {
            eprintln!("{USAGE}");
            2
        }
    }
}

fn export(args: &[&str]) -> i32 {
    use crate::export::{flink_script_of, read_note, ExportOptions, KinesisOptions};
    use std::io::Write;
    let mut options = ExportOptions::default();
    let mut file = None;
    let mut chosen: Option<Vec<usize>> = None;
    let mut zeppelin = false;
    let mut args = args.iter();
    while let Some(&arg) = args.next() {
        match arg {
            "--with-queries" => options.include_queries = true,
            "--zpln" => zeppelin = true,
            "--generator" => match args.next() {
                // The streams `sluice run --generator` would feed: their tables get a comment.
                Some(stream) => options.generator_streams.push(stream.split('=').next().unwrap_or(stream).to_string()),
                None => {
                    eprintln!("error: --generator takes the name of a stream the generator feeds");
                    return 2;
                }
            },
            "--paragraphs" => {
                let list = args.next().copied().unwrap_or("");
                match list.split(',').map(|n| n.trim().parse::<usize>().ok().filter(|n| *n > 0)).collect::<Option<Vec<_>>>() {
                    Some(numbers) if !numbers.is_empty() => chosen = Some(numbers),
                    _ => {
                        eprintln!("error: --paragraphs takes paragraph numbers from 1, e.g. 1,2,5; not `{list}`");
                        return 2;
                    }
                }
            }
            "--kinesis" => {
                options.kinesis = match args.next().copied() {
                    Some("legacy") => KinesisOptions::Legacy,
                    Some(current) if current.starts_with("current:") => {
                        KinesisOptions::Current { account_id: current["current:".len()..].to_string() }
                    }
                    other => {
                        eprintln!("error: --kinesis takes `legacy` or `current:ACCOUNT_ID`, not {}", other.unwrap_or("nothing"));
                        return 2;
                    }
                }
            }
            path if file.is_none() && !path.starts_with("--") => file = Some(path),
            other => {
                eprintln!("error: unexpected argument `{other}`\n{USAGE}");
                return 2;
            }
        }
    }
    let Some(path) = file else {
        eprintln!("{USAGE}");
        return 2;
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
        use crate::views::note::{zeppelin::to_zpln, NoteDoc, ParagraphDoc};
        let paragraphs = texts.iter().map(|(n, t)| ParagraphDoc::new(format!("paragraph_{n}"), *t)).collect();
        // A closed stdout (`| head`) is not worth a panic: write and ignore the error.
        let _ = writeln!(std::io::stdout(), "{}", to_zpln(&NoteDoc { name, paragraphs }));
        return 0;
    }
    match flink_script_of(&name, &texts, &options) {
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
