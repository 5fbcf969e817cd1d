//! `sluice run SCRIPT.sql`: statement by statement, queries run to the end of their bounded
//! input, changes printed as JSON lines (the contract tests and benchmarks rely on).

use std::io::{BufWriter, Write};

use crate::session::{Change, ColumnInfo, Outcome, Session};

pub fn run_script(path: &str) -> i32 {
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
    // CURRENT_TIMESTAMP and PROCTIME() read the machine's clock (UTC: the runner has no zone).
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64);
    session.set_now(now);
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
        let outcomes = match session.execute(paragraph, now) {
            Ok(o) => o,
            Err(e) => {
                let _ = out.flush();
                eprintln!("{}", place(&e, e.location));
                return 1;
            }
        };
        for outcome in outcomes {
            let (job, columns) = match outcome {
                Outcome::Done { message, warnings } => {
                    for w in warnings {
                        eprintln!("warning: {w}");
                    }
                    eprintln!("{message}");
                    continue;
                }
                Outcome::Table { columns, rows } => {
                    for row in rows {
                        let change = Change { kind: crate::types::RowKind::Insert, row };
                        let _ = writeln!(out, "{}", change_json(&change, &columns));
                    }
                    continue;
                }
                Outcome::Text(t) => {
                    let _ = writeln!(out, "{t}");
                    continue;
                }
                Outcome::Query { job, columns, .. } => (job, columns),
                Outcome::Insert { job, warnings, .. } => {
                    for w in warnings {
                        eprintln!("warning: {w}");
                    }
                    (job, Vec::new())
                }
            };
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
        }
        first_line += lines_here;
    }
    let _ = out.flush();
    0
}

/// An error's text without its leading `line:column: ` (the runner prints its own).
fn strip_location(text: &str) -> &str {
    let mut parts = text.splitn(3, ':');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(l), Some(c), Some(rest)) if l.parse::<u32>().is_ok() && c.parse::<u32>().is_ok() => rest.trim_start(),
        _ => text,
    }
}

fn change_json(change: &Change, columns: &[ColumnInfo]) -> String {
    let mut s = String::new();
    write_change(&mut s, change, columns);
    s.pop();
    s
}

/// `{"op":"+I","row":{"col":value,…}}` with keys in column order, and a newline.
fn write_change(out: &mut String, change: &Change, columns: &[ColumnInfo]) {
    out.push_str("{\"op\":\"");
    out.push_str(change.kind.short());
    out.push_str("\",\"row\":{");
    for (i, (c, v)) in columns.iter().zip(&change.row).enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&serde_json::to_string(&c.name).unwrap_or_default());
        out.push(':');
        out.push_str(&v.to_json().to_string());
    }
    out.push_str("}}\n");
}
