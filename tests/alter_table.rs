//! ALTER TABLE … SET / RESET / RENAME TO and ALTER VIEW … RENAME TO, as Apache Flink 2.3 runs them
//! (each message and SHOW CREATE TABLE below is PyFlink 2.3.0's own, for the same statements),
//! except that Sluice checks the altered options as CREATE TABLE does, where Flink takes any and
//! fails when the table is read. `tests/flink/statements.py alter` prints Flink's answers again.
#![cfg(not(target_arch = "wasm32"))]

use sluice::session::{Outcome, Session};

fn session() -> Session {
    let mut s = Session::empty();
    s.execute(
        "CREATE TABLE t1 (a INT, b STRING) WITH ('connector'='datagen', 'number-of-rows'='3'); CREATE VIEW v1 AS SELECT a FROM t1",
        0,
    )
    .unwrap();
    s
}

fn ddl(s: &mut Session, table: &str) -> String {
    let Some(Outcome::Table { rows, .. }) = s.execute(&format!("SHOW CREATE TABLE {table}"), 0).unwrap().pop() else { panic!("a table") };
    rows[0][0].to_string()
}

fn names(s: &mut Session) -> Vec<String> {
    let Some(Outcome::Table { rows, .. }) = s.execute("SHOW TABLES", 0).unwrap().pop() else { panic!("a table") };
    rows.iter().map(|r| r[0].to_string()).collect()
}

#[test]
fn set_and_reset_change_the_options() {
    let mut s = session();
    s.execute("ALTER TABLE t1 SET ('number-of-rows'='5', 'fields.a.min'='1')", 0).unwrap();
    assert_eq!(
        ddl(&mut s, "t1"),
        "CREATE TABLE `default_catalog`.`default_database`.`t1` (\n  `a` INT,\n  `b` VARCHAR(2147483647)\n)\nWITH (\n  'connector' = 'datagen',\n  'fields.a.min' = '1',\n  'number-of-rows' = '5'\n)\n"
    );
    s.execute("ALTER TABLE t1 RESET ('fields.a.min')", 0).unwrap();
    assert!(!ddl(&mut s, "t1").contains("fields.a.min"));
    let err = s.execute("ALTER TABLE t1 RESET ('connector')", 0).unwrap_err();
    assert_eq!(err.message, "ALTER TABLE RESET does not support changing 'connector'");
    // Flink takes any option here and fails reading the table; Sluice checks now, and the
    // table stays as it was.
    let err = s.execute("ALTER TABLE t1 SET ('bogus'='1')", 0).unwrap_err();
    assert!(err.message.contains("bogus"), "{err}");
    assert!(!ddl(&mut s, "t1").contains("bogus"));
    // A query after the ALTER reads with the new options: 5 rows.
    let Some(Outcome::Table { rows, .. }) = s.execute("%flink.bsql\nSELECT a FROM t1", 0).unwrap().pop() else { panic!("rows") };
    assert_eq!(rows.len(), 5);
}

#[test]
fn rename_moves_the_table_or_view_and_refuses_a_taken_name() {
    let mut s = session();
    s.execute("ALTER TABLE t1 RENAME TO t2", 0).unwrap();
    assert_eq!(names(&mut s), ["t2", "v1"]);
    let err = s.execute("ALTER TABLE t2 RENAME TO v1", 0).unwrap_err();
    assert_eq!(
        err.message,
        "Could not execute ALTER TABLE default_catalog.default_database.t2 RENAME TO default_catalog.default_database.v1"
    );
    s.execute("ALTER VIEW v1 RENAME TO v2", 0).unwrap();
    assert_eq!(names(&mut s), ["t2", "v2"]);
}

#[test]
fn a_missing_table_or_a_view_is_refused_in_flinks_words() {
    let mut s = session();
    let err = s.execute("ALTER TABLE nope SET ('a'='b')", 0).unwrap_err();
    assert_eq!(err.message, "Table `default_catalog`.`default_database`.`nope` doesn't exist or is a temporary table.");
    assert!(s.execute("ALTER TABLE IF EXISTS nope SET ('a'='b')", 0).is_ok());
    let err = s.execute("ALTER TABLE v1 SET ('a'='b')", 0).unwrap_err();
    assert_eq!(err.message, "ALTER TABLE for a view is not allowed");
    let err = s.execute("ALTER TABLE t1 ADD c INT", 0).unwrap_err();
    assert_eq!(err.message, "ALTER TABLE … ADD is not supported yet");
}
