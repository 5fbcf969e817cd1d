//! A job's diagnosis ([`crate::session::diagnosis`]) in plain words: the one text the page's
//! "why is this window empty?" box, `EXPLAIN JOB '<id>'` and `sluice run --metrics` show.

use std::fmt::Write;

use crate::session::diagnosis::{Cause, Diagnosis, InputDiagnosis, Remedy, ShardDiagnosis, QUIET_AFTER_MS};
use crate::types::format_timestamp;

/// `5 s`, `1.5 s`, `2 min 3 s`, `250 ms`, `1 h 2 min`.
pub fn duration(ms: i64) -> String {
    let sign = if ms < 0 { "-" } else { "" };
    let ms = ms.unsigned_abs();
    let text = if ms < 1_000 {
        format!("{ms} ms")
    } else if ms < 60_000 {
        let tenths = (ms + 50) / 100;
        if tenths.is_multiple_of(10) {
            format!("{} s", tenths / 10)
        } else {
            format!("{}.{} s", tenths / 10, tenths % 10)
        }
    } else if ms < 3_600_000 {
        let s = (ms + 500) / 1000;
        if s.is_multiple_of(60) {
            format!("{} min", s / 60)
        } else {
            format!("{} min {} s", s / 60, s % 60)
        }
    } else {
        let m = (ms + 30_000) / 60_000;
        format!("{} h {} min", m / 60, m % 60)
    };
    format!("{sign}{text}")
}

/// A timestamp as the result tables print one, with a space for the `T`.
fn at(ms: i64) -> String {
    format_timestamp(ms).replace('T', " ")
}

/// The diagnosis as a few short paragraphs.
pub fn render(d: &Diagnosis) -> String {
    let mut out = String::new();
    let _ = write!(out, "Job {} ({}): ", d.job, d.status);
    if !d.event_time {
        out.push_str("no input declares a WATERMARK, so nothing here waits for event time.\n");
        return out;
    }
    match d.watermark {
        Some(wm) => {
            let _ = write!(out, "watermark {}", at(wm));
            match d.event_time_rate {
                Some(r) => {
                    let _ = write!(out, ", moving {r:.2} s of event time per second.");
                }
                None => out.push_str(", not moving lately."),
            }
        }
        None => out.push_str("no watermark yet: a window fires only once the watermark passes its end."),
    }
    out.push_str("\n\nInputs:\n");
    for (n, input) in d.inputs.iter().enumerate() {
        input_lines(&mut out, input, d.now_ms, d.held_back_by == Some(n));
    }
    out.push('\n');
    match d.pending_total {
        0 if d.watermark.is_none() => out.push_str("No window holds data yet.\n"),
        0 => out.push_str("No window is waiting: every window with data has fired.\n"),
        n => {
            let _ = writeln!(out, "{n} window{} wait{} for the watermark:", plural(n), if n == 1 { "s" } else { "" });
            for w in &d.pending {
                let _ = write!(out, "  [{}, {}) fires when the watermark passes {}", at(w.start), at(w.end), at(w.end - 1));
                match (w.event_ms_to_go, w.eta_ms) {
                    (Some(go), Some(eta)) => {
                        let _ = write!(out, ": {} of event time to go, about {} at the current rate", duration(go), duration(eta));
                    }
                    (Some(go), None) => {
                        let _ = write!(out, ": {} of event time to go, and event time is not moving", duration(go));
                    }
                    _ => {}
                }
                out.push('\n');
            }
            if n > d.pending.len() {
                let _ = writeln!(out, "  … and {} more", n - d.pending.len());
            }
        }
    }
    if d.late_dropped > 0 {
        let _ = writeln!(out, "{} record{} dropped as late.", d.late_dropped, plural(d.late_dropped as usize));
    }
    if !d.remedies.is_empty() {
        out.push_str("\nWhat would change it:\n");
        for r in &d.remedies {
            let _ = writeln!(out, "  - {}", remedy(r));
        }
    }
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn input_lines(out: &mut String, input: &InputDiagnosis, now: i64, holds: bool) {
    let _ = write!(out, "  {}: ", input.name);
    if !input.declares_watermark {
        out.push_str("no WATERMARK");
    } else if input.ended {
        out.push_str("ended (its watermark is +∞)");
    } else {
        match input.watermark {
            Some(wm) => {
                let _ = write!(out, "watermark {}", at(wm));
            }
            None => out.push_str("no watermark yet"),
        }
        if let Some(delay) = input.delay_ms {
            let _ = write!(out, " (event time − {})", duration(delay));
        }
    }
    let _ = write!(out, ", {} record{}", input.records, plural(input.records as usize));
    if let Some(t) = input.last_record_ms {
        let _ = write!(out, ", the last {} ago", duration(now - t));
    }
    if input.idle {
        out.push_str(", idle");
    }
    out.push('\n');
    if let Some(cause) = &input.cause {
        let _ = writeln!(out, "    {}{}", if holds { "holds the watermark back: " } else { "" }, cause_text(cause, now));
    } else if holds {
        out.push_str("    its watermark is the job's: the windows fire as its event time moves on\n");
    }
    if !input.partitions.is_empty() {
        let parts: Vec<String> = input
            .partitions
            .iter()
            .map(|p| {
                let wm = p.watermark.map_or("no watermark yet".to_string(), |w| format!("watermark {}", at(w)));
                format!("partition {}: {wm}{}", p.partition, if p.idle { ", idle" } else { "" })
            })
            .collect();
        let _ = writeln!(out, "    {}", parts.join("; "));
    }
    if let Some(stream) = &input.stream {
        let shards: Vec<String> = stream
            .shards
            .iter()
            .map(|s| match s.last_arrival_ms {
                Some(t) => format!("shard {}: {} records, the last {} ago", s.shard, s.records, duration(now - t)),
                None => format!("shard {}: no records", s.shard),
            })
            .collect();
        let _ = writeln!(out, "    stream {}: {}", stream.name, shards.join("; "));
        let quiet = |s: &&ShardDiagnosis| s.last_arrival_ms.is_none_or(|t| now - t >= QUIET_AFTER_MS);
        if stream.shards.iter().any(|s| quiet(&s)) && !stream.shards.iter().all(|s| quiet(&s)) {
            out.push_str("    (shards are merged before the watermark, so a quiet shard holds nothing back)\n");
        }
        if let Some(s) = &stream.scenario {
            let _ = writeln!(out, "    break-it scenario since {}: {}", at(s.since_ms), s.scenario.describe());
        }
    }
}

fn cause_text(cause: &Cause, now: i64) -> String {
    match cause {
        Cause::NoRecordsYet => "it has had no record yet, so its watermark has not started".to_string(),
        Cause::Quiet { quiet_ms } => format!("no record for {}: its watermark waits for the next one", duration(*quiet_ms)),
        Cause::GeneratorStopped => "the generator feeding its stream is stopped".to_string(),
        Cause::ProducerPaused { until_ms } => format!("its producer is paused for another {}", duration(until_ms - now)),
        Cause::Behind { behind_ms } => format!("its event time is {} behind the next input's", duration(*behind_ms)),
        Cause::PartitionBehind { partition, behind_ms: Some(ms) } => format!(
            "its partition {partition} is {} behind its most advanced partition (a partition that is not idle holds the input's watermark)",
            duration(*ms)
        ),
        Cause::PartitionBehind { partition, behind_ms: None } => {
            format!("its partition {partition} has had no record yet (a partition that is not idle holds the input's watermark)")
        }
    }
}

fn remedy(r: &Remedy) -> String {
    match r {
        Remedy::IdleTimeout { input, timeout_ms } => format!(
            "SET 'table.exec.source.idle-timeout' = '{}': `{input}` (or its quiet partition) would turn idle after that long without a record and stop holding the others back",
            duration(*timeout_ms)
        ),
        Remedy::SmallerDelay { input, delay_ms } => format!(
            "a smaller delay in `{input}`'s WATERMARK (now {}) fires every window sooner by as much, but drops more records as late",
            duration(*delay_ms)
        ),
        Remedy::MoreData { input, event_ms_needed: Some(ms) } => {
            format!("records in `{input}` with event times {} past its watermark fire the next window", duration(*ms))
        }
        Remedy::MoreData { input, event_ms_needed: None } => format!("more records in `{input}` move its watermark on"),
        Remedy::StartGenerator { stream } => format!("start the generator of stream {stream} (Streams panel)"),
        Remedy::LargerDelay { late } => format!(
            "a larger delay would have kept the {late} late record{}: the late ledger's what-if replays them under another delay",
            plural(*late as usize)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_people_say_them() {
        assert_eq!(duration(250), "250 ms");
        assert_eq!(duration(5_000), "5 s");
        assert_eq!(duration(1_500), "1.5 s");
        assert_eq!(duration(123_000), "2 min 3 s");
        assert_eq!(duration(3_720_000), "1 h 2 min");
        assert_eq!(duration(-5_000), "-5 s");
    }
}
