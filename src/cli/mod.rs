//! The native command line. `sluice run SCRIPT.sql` runs a Flink SQL script with the same
//! engine as the page and prints each query's changes as JSON lines.

pub mod bench;
mod run;

const USAGE: &str = "\
usage: sluice run SCRIPT.sql
       sluice gen RECORDS FILE     write the benchmark's sensor records as JSON lines
       sluice bench [RECORDS]      print engine and decoder throughput (default 5,000,000)

Runs a Flink SQL script. Tables with 'connector' = 'filesystem' are read as bounded inputs;
every SELECT prints its result changes to stdout, one JSON line each:
  {\"op\":\"+I\",\"row\":{\"col\":value,…}}
Errors go to stderr as line:column: message, and the exit code is 1.";

pub fn main() -> i32 {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["run", script] => run::run_script(script),
        ["gen", n, path] => match n.replace('_', "").parse() {
            Ok(n) => bench::generate(n, path),
            Err(_) => {
                eprintln!("error: `{n}` is not a number of records");
                2
            }
        },
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
