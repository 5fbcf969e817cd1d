//! `sluice gen` and `sluice bench`: the benchmark workload ([`crate::workload`]) as a file, and
//! the figures it prints.

use std::io::{BufWriter, Write};
use std::time::Instant;

use crate::workload::{batch_codec_round_trip, decode_json_lines, decoded_batches, run_q1, EngineRun, Workload};

/// `sluice gen N FILE`: the workload as JSON lines, as the reference input writes them.
pub fn generate(records: u64, path: &str) -> i32 {
    let file = match std::fs::File::create(path) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: cannot write {path}: {e}");
            return 1;
        }
    };
    let mut out = BufWriter::with_capacity(1 << 20, file);
    let mut line = String::with_capacity(128);
    for r in Workload::new(42).take(records as usize) {
        line.clear();
        r.write_json_line(&mut line);
        if let Err(e) = out.write_all(line.as_bytes()) {
            eprintln!("error: writing {path}: {e}");
            return 1;
        }
    }
    if let Err(e) = out.flush() {
        eprintln!("error: writing {path}: {e}");
        return 1;
    }
    0
}

/// `sluice bench [N]`: prints throughput figures for the engine and the JSON decoder.
pub fn bench(records: u64) -> i32 {
    match run_bench(records) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: {e}");
            1
        }
    }
}

fn run_bench(records: u64) -> Result<(), String> {
    const BATCH: usize = 8192;

    // (a) Decoded records through the engine.
    let batches = decoded_batches(records, BATCH);
    let epoch = Instant::now();
    let clock = || epoch.elapsed().as_secs_f64();
    let mut best: Option<EngineRun> = None;
    for _ in 0..3 {
        let run = run_q1(&batches, &clock)?;
        if best.as_ref().is_none_or(|b| run.seconds < b.seconds) {
            best = Some(run);
        }
    }
    let best = best.expect("three runs");
    say(format!(
        "engine   Q1 over {records} decoded records: {:.3} s, {:.1} M records/s (best of 3; {} result rows, {} late dropped)",
        best.seconds,
        records as f64 / best.seconds / 1e6,
        best.result_rows,
        best.late_dropped
    ));

    // Q1 through a user function whose host is Rust: the cost of the Python seam itself.
    let mut udf: Option<EngineRun> = None;
    for _ in 0..3 {
        let run = crate::workload::run_user_function_query(&batches, &clock)?;
        if udf.as_ref().is_none_or(|b| run.seconds < b.seconds) {
            udf = Some(run);
        }
    }
    let udf = udf.expect("three runs");
    say(format!(
        "engine   Q1 with AVG(c_to_f(t)), c_to_f a user function on a Rust host (one call per batch): {:.3} s, {:.1} M records/s (best of 3)",
        udf.seconds,
        records as f64 / udf.seconds / 1e6
    ));

    for (name, query) in [("interval join", crate::workload::INTERVAL_JOIN), ("Top-N   ", crate::workload::TOP_N)] {
        let mut best: Option<EngineRun> = None;
        for _ in 0..3 {
            let run = crate::workload::run_query(query, &batches, &clock)?;
            if best.as_ref().is_none_or(|b| run.seconds < b.seconds) {
                best = Some(run);
            }
        }
        let best = best.expect("three runs");
        say(format!(
            "engine   {name} over {records} decoded records: {:.3} s, {:.1} M records/s (best of 3; {} result changes)",
            best.seconds,
            records as f64 / best.seconds / 1e6,
            best.result_rows
        ));
    }

    // The page's path (generator → JSON → local stream → decoder → Q1), natively, with and
    // without the what-if's recording (each job copies what it reads, up to 100,000 rows).
    let mut best = [(0, f64::INFINITY); 2];
    for _ in 0..3 {
        for (i, record) in [true, false].into_iter().enumerate() {
            let (read, seconds) = crate::workload::run_page_path_recording(90_000.0, 20, record, &clock)?;
            if seconds < best[i].1 {
                best[i] = (read, seconds);
            }
        }
    }
    let [(read, seconds), (read_off, seconds_off)] = best;
    say(format!(
        "page path generator → JSON → decoder → Q1, natively: {read} records in {seconds:.3} s, {:.2} M records/s (best of 3)",
        read as f64 / seconds / 1e6
    ));
    say(format!(
        "page path without the what-if recording: {read_off} records in {seconds_off:.3} s, {:.2} M records/s: recording costs {:+.1} %",
        read_off as f64 / seconds_off / 1e6,
        (seconds / seconds_off - 1.0) * 100.0
    ));

    patterns_bench();
    budget_bench()?;

    // The JSON decoder on the same records.
    let path = std::env::temp_dir().join(format!("sluice-bench-{}.jsonl", std::process::id()));
    let path_text = path.to_string_lossy().to_string();
    if generate(records, &path_text) != 0 {
        return Err("could not write the benchmark input".into());
    }
    let data = std::fs::read(&path).map_err(|e| e.to_string())?;
    let _ = std::fs::remove_file(&path);
    let mut best = f64::INFINITY;
    for _ in 0..3 {
        best = best.min(decode_json_lines(&data, BATCH, &clock)?);
    }
    say(format!(
        "decoder  JSON lines → columns, {records} records ({:.0} MB): {:.3} s, {:.1} M records/s, {:.0} MB/s (best of 3)",
        data.len() as f64 / 1e6,
        best,
        records as f64 / best / 1e6,
        data.len() as f64 / best / 1e6
    ));
    codec_bench(records, best, &clock)
}

/// A decoded chunk's trip from a decode worker to the engine's worker (bytes and back, as the
/// page's decode pool does), beside the decoding it follows: what SharedArrayBuffer could save.
fn codec_bench(records: u64, decoding_seconds: f64, clock: &dyn Fn() -> f64) -> Result<(), String> {
    // A 1 MiB chunk of these lines holds about 10,000 records.
    let batches = decoded_batches(records, 10_000);
    let mut best = f64::INFINITY;
    for _ in 0..3 {
        best = best.min(batch_codec_round_trip(&batches, clock)?);
    }
    say(format!(
        "codec    decoded chunks → bytes → batches, {records} records: {best:.3} s, {:.1} M records/s, {:.0} % of decoding them",
        records as f64 / best / 1e6,
        best / decoding_seconds * 100.0
    ));
    Ok(())
}

/// LIKE and REGEXP over 200-character values: a plain pattern next to a pathological one (issue
/// 14: `%a%a%a%a%a%a%a%a%b` used to take more than 30 s on one value).
fn patterns_bench() {
    use crate::engine::like::LikePattern;
    use crate::engine::regex::Regex;
    let values: Vec<String> = (0..2_000).map(|i| "a".repeat(199) + if i % 2 == 0 { "b" } else { "c" }).collect();
    // The best of three passes, so a cold first pass does not count.
    let time_per_row = |f: &dyn Fn(&str) -> bool| {
        let mut best = (f64::INFINITY, 0);
        for _ in 0..3 {
            let start = Instant::now();
            let mut hits = 0;
            for v in &values {
                hits += usize::from(f(v));
            }
            let ns = start.elapsed().as_nanos() as f64 / values.len() as f64;
            if ns < best.0 {
                best = (ns, hits);
            }
        }
        best
    };
    for (plain, evil) in [("a%", "%a%a%a%a%a%a%a%a%b"), ("%b", "%a_a%a_a%a_a%a_a%b")] {
        let (p, e) = (LikePattern::new(plain, None), LikePattern::new(evil, None));
        let (Ok(p), Ok(e)) = (p, e) else { continue };
        let (plain_ns, _) = time_per_row(&|v| p.matches(v));
        let (evil_ns, hits) = time_per_row(&|v| e.matches(v));
        say(format!(
            "patterns LIKE '{evil}' over 200-character values: {evil_ns:.0} ns/row ({hits} matches); '{plain}': {plain_ns:.0} ns/row"
        ));
    }
    for (plain, evil) in [("^a+b$", "^(a|aa)*b$"), ("a*c", "(a*)*c")] {
        let (Ok(p), Ok(e)) = (Regex::new(plain), Regex::new(evil)) else { continue };
        let (plain_ns, _) = time_per_row(&|v| p.is_match(v).unwrap_or(false));
        let (evil_ns, hits) = time_per_row(&|v| e.is_match(v).unwrap_or(false));
        say(format!(
            "patterns REGEXP '{evil}' over 200-character values: {evil_ns:.0} ns/row ({hits} matches); '{plain}': {plain_ns:.0} ns/row"
        ));
    }
}

/// A job over records whose every row is costly (LIKE with many `%` over long values, issue 14):
/// the longest single `Session::advance` without a time budget, and with the page's 25 ms one
/// (its steps resized by their cost), until the job has read every record.
fn budget_bench() -> Result<(), String> {
    use crate::session::{Deadline, Outcome, Session};
    const RECORDS: usize = 16_384;
    const VALUE_CHARS: usize = 4_000;
    const FRAME_MS: f64 = 25.0;
    let epoch = Instant::now();
    let clock = move || epoch.elapsed().as_secs_f64() * 1000.0;
    let value = "a".repeat(VALUE_CHARS - 1) + "c";
    let pattern = "%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%a%b";
    for budgeted in [false, true] {
        let mut session = Session::empty();
        let table = "CREATE TABLE t (s STRING) WITH ('connector' = 'kinesis', 'stream' = 's', 'format' = 'json')";
        session.execute(table, 0).map_err(|e| e.to_string())?;
        let query = format!("SELECT CHAR_LENGTH(s) AS n FROM t WHERE s LIKE '{pattern}'");
        let Some(Outcome::Query { job, .. }) = session.execute(&query, 0).map_err(|e| e.to_string())?.pop() else {
            return Err("the crafted query did not start".into());
        };
        for i in 0..RECORDS {
            session.put_record("s", &i.to_string(), format!("{{\"s\": \"{value}\"}}").into_bytes())?;
        }
        let (mut longest, mut advances, started) = (0.0f64, 0, clock());
        while session.job(job).is_some_and(|j| j.running && j.records_in < RECORDS as u64) {
            let before = clock();
            if budgeted {
                session.advance_within(1_000, &mut Deadline::new(clock, FRAME_MS));
            } else {
                session.advance(1_000);
            }
            longest = longest.max(clock() - before);
            advances += 1;
        }
        say(format!(
            "budget   LIKE '{pattern}' over {RECORDS} {VALUE_CHARS}-character values, {}: longest advance {longest:.1} ms, {advances} advances, {:.0} ms in all",
            if budgeted { "25 ms budget" } else { "no budget" },
            clock() - started
        ));
    }
    Ok(())
}

/// Prints a figure line; a closed stdout (`sluice bench | head -1`) is not an error worth a panic.
fn say(line: String) {
    let _ = writeln!(std::io::stdout(), "{line}");
}
