//! A streaming query's changes from a session, for the tests that drive a `Session` directly
//! (included by path, so that it builds for wasm32 too, where `common`'s process helpers do not).

use sluice::session::{Outcome, Session};
use sluice::types::{RowKind, Value};

/// Every change the streaming query `sql` emits over a few seconds of the session clock; the job
/// must not fail.
pub fn query_changes(session: &mut Session, sql: &str) -> Vec<(RowKind, Vec<Value>)> {
    let job = match session.execute(sql, 0).unwrap().pop() {
        Some(Outcome::Query { job, .. }) => job,
        other => panic!("expected a streaming query, got {other:?}"),
    };
    let mut out = Vec::new();
    for t in 1..5 {
        session.advance(t * 1_000);
        out.extend(session.take_changes(job).into_iter().map(|c| (c.kind, c.row)));
    }
    assert_eq!(session.job(job).unwrap().error, None);
    out
}
