//! The late-event ledger ([`crate::session::ledger`]) and its what-if, in words: the page's
//! ledger list and delay slider, and the ledger `sluice run` prints at the end.

use std::fmt::Write;

use super::diagnosis::duration;
use crate::session::ledger::{Ledger, LedgerEntry, WhatIf};
use crate::types::format_timestamp;

fn at(ms: i64) -> String {
    format_timestamp(ms).replace('T', " ")
}

/// One ledger line: `11:20:03.120 (sensor 7, …) missed [11:20:00, 11:21:00) by 2.5 s`.
pub fn entry_line(e: &LedgerEntry) -> String {
    let mut out = format!("{} ({})", at(e.event_time), e.row.join(", "));
    if e.missed.is_empty() {
        let _ = write!(out, " arrived under watermark {}, {} late", at(e.watermark), duration(e.late_by_ms));
        return out;
    }
    let windows: Vec<String> = e.missed.iter().map(|(s, end)| format!("[{}, {})", at(*s), at(*end))).collect();
    let _ = write!(out, " missed {} by {}", windows.join(" "), duration(e.late_by_ms));
    out
}

/// The ledger: how many were dropped, and the last `shown` of them, newest first.
pub fn render(ledger: &Ledger, shown: usize) -> String {
    let mut out = String::new();
    if ledger.dropped == 0 {
        let _ = writeln!(out, "Job {}: no record was dropped as late.", ledger.job);
        return out;
    }
    let _ = write!(out, "Job {}: {} record{} dropped as late", ledger.job, ledger.dropped, if ledger.dropped == 1 { "" } else { "s" });
    if let Some(d) = ledger.delay_ms {
        let _ = write!(out, " under a watermark delay of {}", duration(d));
    }
    out.push_str(".\n");
    let needed = ledger.entries.iter().map(|e| e.late_by_ms).max();
    if let (Some(d), Some(n)) = (ledger.delay_ms, needed) {
        let _ = writeln!(out, "A delay of {} would have kept every listed one.", duration(d + n));
    }
    for e in ledger.entries.iter().rev().take(shown) {
        let _ = writeln!(out, "  {}", entry_line(e));
    }
    let listed = ledger.entries.len().min(shown) as u64;
    // With none listed here (the page lists them itself), no "… and N more".
    if shown > 0 && ledger.dropped > listed {
        let _ = writeln!(out, "  … and {} more", ledger.dropped - listed);
    }
    out
}

/// A what-if's outcome in a few sentences.
pub fn render_what_if(w: &WhatIf) -> String {
    let mut out = format!(
        "Under a delay of {} instead of {}, replaying the {} records job {} read:\n",
        duration(w.delay_ms),
        duration(w.current_delay_ms),
        w.records_replayed,
        w.job
    );
    let _ = writeln!(out, "  late records: {} → {}", w.late_now, w.late_then);
    if w.would_count > 0 {
        let _ = writeln!(out, "  {} of today's late records would have counted", w.would_count);
    }
    if w.would_drop > 0 {
        let _ = writeln!(out, "  {} records that count today would be dropped as late", w.would_drop);
    }
    let differ = if w.rows_changed == 1 { "row differs" } else { "rows differ" };
    let _ = writeln!(out, "  result changes: {} → {} ({} {differ})", w.rows_now, w.rows_then, w.rows_changed);
    let when = match w.latency_change_event_ms {
        0 => "at the same time".to_string(),
        ms if ms > 0 => format!("{} later in event time", duration(ms)),
        ms => format!("{} sooner in event time", duration(-ms)),
    };
    let _ = write!(out, "  results come {when}");
    if let Some(clock) = w.latency_change_clock_ms {
        let _ = write!(out, " ({} on the clock, on average)", duration(clock));
    }
    out.push('\n');
    if w.records_not_recorded > 0 {
        let _ = writeln!(out, "  ({} later records were not recorded and are not replayed)", w.records_not_recorded);
    }
    out
}
