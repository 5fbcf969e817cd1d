//! A session's statements beside what Apache Flink 2.3 (PyFlink) answered each, as
//! `tests/flink/statements.py` prints them; tests that hold such transcripts include this file.
#![allow(dead_code)]

use sluice::session::{Outcome, Session};

/// What Flink answered a statement: done, a SHOW CREATE TABLE, DESCRIBE's rows (cells joined by
/// ` | `, NULL as nothing), or an error's message.
pub enum Flink {
    Done,
    Ddl(&'static str),
    Rows(&'static [&'static str]),
    Err(&'static str),
}
use Flink::*;

/// Runs `statements` in one session; returns each answer that is not Flink's.
pub fn differences(statements: &[(&str, Flink)]) -> Vec<String> {
    let mut s = Session::empty();
    let mut failures = Vec::new();
    for (statement, flink) in statements {
        let got = match s.execute(statement, 0) {
            Result::Err(e) => format!("Err({:?})", e.message),
            Ok(mut outcomes) => match (outcomes.pop(), flink) {
                (Some(Outcome::Table { rows, .. }), Ddl(_)) => format!("Ddl({:?})", rows[0][0].to_string()),
                (Some(Outcome::Table { rows, .. }), _) => {
                    let rows: Vec<String> = rows.iter().map(|r| r.iter().map(|v| v.to_string()).collect::<Vec<_>>().join(" | ")).collect();
                    format!("Rows({rows:?})")
                }
                _ => "Done".to_string(),
            },
        };
        let want = match flink {
            Done => "Done".to_string(),
            Ddl(d) => format!("Ddl({d:?})"),
            Rows(r) => format!("Rows({r:?})"),
            Err(e) => format!("Err({e:?})"),
        };
        if got != want {
            failures.push(format!("{statement}\n  Sluice: {got}\n  Flink:  {want}"));
        }
    }
    failures
}
