//! `PRIMARY KEY (…) NOT ENFORCED` in CREATE TABLE and what a key means for an `INSERT`, with
//! the messages Apache Flink 2.3 gives (PyFlink 2.3.0, the same statements).
#![cfg(not(target_arch = "wasm32"))]

use sluice::session::Session;
use sluice::sql::SqlError;

fn create(ddl: &str) -> Result<Session, SqlError> {
    let mut session = Session::empty();
    session.execute(ddl, 0)?;
    Ok(session)
}

fn refused(ddl: &str) -> SqlError {
    match create(ddl) {
        Ok(_) => panic!("accepted: {ddl}"),
        Err(e) => e,
    }
}

#[test]
fn a_key_without_not_enforced_is_refused_as_flink_refuses_it() {
    for ddl in [
        "CREATE TABLE t (id INT, v STRING, PRIMARY KEY (id) ENFORCED) WITH ('connector'='blackhole')",
        "CREATE TABLE t (id INT, v STRING, PRIMARY KEY (id)) WITH ('connector'='blackhole')",
        "CREATE TABLE t (id INT PRIMARY KEY, v STRING) WITH ('connector'='blackhole')",
    ] {
        let e = refused(ddl);
        assert!(e.message.starts_with("Flink doesn't support ENFORCED mode for PRIMARY KEY constraint."), "{ddl}: {e}");
        assert!(e.location.is_some(), "{ddl}: {e}");
    }
}

#[test]
fn a_key_must_name_physical_columns_once() {
    let e = refused("CREATE TABLE a3 (id INT, v STRING, PRIMARY KEY (nope) NOT ENFORCED) WITH ('connector'='blackhole')");
    assert_eq!(e.message, "Primary key column 'nope' is not defined in the schema");
    assert_eq!(e.location.map(|l| (l.line, l.column)), Some((1, 49)), "Flink's position too");
    let e = refused("CREATE TABLE t (id INT, v AS id + 1, PRIMARY KEY (v) NOT ENFORCED) WITH ('connector'='blackhole')");
    assert_eq!(
        e.message,
        "Could not create a PRIMARY KEY with column 'v'.\nA PRIMARY KEY constraint must be declared on physical columns."
    );
    let e = refused("CREATE TABLE t (id INT, v STRING METADATA, PRIMARY KEY (v) NOT ENFORCED) WITH ('connector'='blackhole')");
    assert!(e.message.starts_with("Could not create a PRIMARY KEY with column 'v'."), "{e}");
    let e = refused("CREATE TABLE t (id INT, v STRING, PRIMARY KEY (id, id) NOT ENFORCED) WITH ('connector'='blackhole')");
    assert_eq!(e.message, "Invalid primary key 'PK_id_id'. A primary key must not contain duplicate columns. Found: [id]");
    let e =
        refused("CREATE TABLE t (id INT PRIMARY KEY NOT ENFORCED, v STRING, PRIMARY KEY (v) NOT ENFORCED) WITH ('connector'='blackhole')");
    assert_eq!(e.message, "Duplicate primary key definition");
}
