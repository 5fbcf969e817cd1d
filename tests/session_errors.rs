//! Sluice's one error type: every error the session returns says its kind (parse, plan,
//! connector, runtime) and where, whichever layer it came from.
#![cfg(not(target_arch = "wasm32"))]

use sluice::session::{Outcome, Session};
use sluice::sql::{ErrorKind, Location, SqlError};

fn error_of(session: &mut Session, sql: &str) -> SqlError {
    session.execute(sql, 0).expect_err("the statement fails")
}

#[test]
fn each_error_says_its_kind_and_the_statement_it_came_from() {
    let mut session = Session::empty();
    let parse = error_of(&mut session, "SELEC 1");
    assert_eq!(parse.kind, ErrorKind::Parse, "{parse}");

    let plan = error_of(&mut session, "SELECT * FROM missing");
    assert_eq!(plan.kind, ErrorKind::Plan, "{plan}");

    let option = error_of(&mut session, "CREATE TABLE t (s STRING) WITH ('connector' = 'filesystem', 'format' = 'json')");
    assert_eq!(option.kind, ErrorKind::Connector, "{option}");
    assert_eq!(option.location, Some(Location { line: 1, column: 1 }));
}

#[test]
fn a_failed_batch_job_is_a_runtime_error_at_its_statement() {
    let mut session = Session::empty();
    session.add_file("/in.jsonl", b"{\"n\": 1}\n{\"n\": oops}\n".to_vec());
    session.execute("CREATE TABLE t (n INT) WITH ('connector' = 'filesystem', 'path' = '/in.jsonl', 'format' = 'json')", 0).unwrap();
    let err = error_of(&mut session, "%flink.bsql\n\nSELECT n FROM t");
    assert_eq!(err.kind, ErrorKind::Runtime, "{err}");
    assert_eq!(err.location, Some(Location { line: 3, column: 1 }));
    assert!(err.message.starts_with("a record of `t` could not be read: "), "{err}");

    let err = error_of(&mut session, "%flink.bsql\nSELECT 10 / (n - 1) FROM (VALUES (1)) AS v (n)");
    assert_eq!(err.kind, ErrorKind::Runtime, "{err}");
}

#[test]
fn a_failed_streaming_job_keeps_its_message() {
    let mut session = Session::empty();
    session.execute("CREATE TABLE t (n INT) WITH ('connector' = 'kinesis', 'stream' = 's', 'format' = 'json')", 0).unwrap();
    let Some(Outcome::Query { job, .. }) = session.execute("SELECT n FROM t", 0).unwrap().pop() else { panic!("a query") };
    session.put_record("s", "k", b"{\"n\": oops}".to_vec()).unwrap();
    session.advance(1_000);
    let error = session.job(job).unwrap().error.expect("the job failed");
    assert!(error.starts_with("a record of `t` could not be read: "), "{error}");
}
