//! CREATE VIEW with its column names and comment, SHOW CREATE VIEW, SHOW VIEWS [NOT] LIKE and
//! DESCRIBE [EXTENDED], as Apache Flink 2.3 answers them: each expected value below is PyFlink
//! 2.3.0's own output for the same statements (`tests/flink/statements.py views` prints them
//! again), except SHOW CREATE VIEW's query, which Flink prints as its validator expanded it and
//! Sluice as it keeps it (DIFFERENCES.md).
#![cfg(not(target_arch = "wasm32"))]

use sluice::session::{Outcome, Session};

const DDL: &str = "CREATE TABLE t1 (a INT NOT NULL, b STRING COMMENT 'the b', ts TIMESTAMP(3), WATERMARK FOR ts AS ts)
  WITH ('connector'='datagen');
CREATE VIEW v1 AS SELECT a, b FROM t1 WHERE a > 1;
CREATE VIEW v2 (x, y) AS SELECT a, UPPER(b) FROM t1;
CREATE VIEW v4 COMMENT 'four' AS SELECT COUNT(*) AS n, b FROM t1 GROUP BY b";

fn session() -> Session {
    let mut session = Session::empty();
    session.execute(DDL, 0).unwrap();
    session
}

/// The statement's rows, each row's cells as text.
fn rows(session: &mut Session, sql: &str) -> Vec<Vec<String>> {
    let Some(Outcome::Table { rows, .. }) = session.execute(sql, 0).unwrap().pop() else { panic!("{sql} gives a table") };
    rows.iter().map(|r| r.iter().map(ToString::to_string).collect()).collect()
}

fn error(session: &mut Session, sql: &str) -> String {
    session.execute(sql, 0).unwrap_err().message
}

#[test]
fn show_create_view_prints_flinks_header_and_the_query() {
    let mut s = session();
    // Flink: "CREATE VIEW `default_catalog`.`default_database`.`v1` (\n  `a`,\n  `b`\n)\nAS SELECT
    // `t1`.`a`, `t1`.`b`\nFROM `default_catalog`.`default_database`.`t1` AS `t1`\nWHERE `t1`.`a` > 1\n"
    assert_eq!(
        rows(&mut s, "SHOW CREATE VIEW v1"),
        [["CREATE VIEW `default_catalog`.`default_database`.`v1` (\n  `a`,\n  `b`\n)\nAS SELECT a, b FROM t1 WHERE a > 1\n"]]
    );
    // The view's own names for its columns, and its comment, where Flink puts them.
    let v2 = &rows(&mut s, "SHOW CREATE VIEW v2")[0][0];
    assert!(v2.starts_with("CREATE VIEW `default_catalog`.`default_database`.`v2` (\n  `x`,\n  `y`\n)\nAS SELECT "), "{v2}");
    let v4 = &rows(&mut s, "SHOW CREATE VIEW v4")[0][0];
    assert!(
        v4.starts_with("CREATE VIEW `default_catalog`.`default_database`.`v4` (\n  `n`,\n  `b`\n)\nCOMMENT 'four'\nAS SELECT "),
        "{v4}"
    );
}

#[test]
fn a_view_names_its_columns_as_its_column_list_says() {
    let mut s = session();
    assert_eq!(rows(&mut s, "DESCRIBE v2"), [["x", "INT", "FALSE", "", "", ""], ["y", "STRING", "TRUE", "", "", ""]]);
    let Some(Outcome::Query { columns, .. }) = s.execute("SELECT * FROM v2", 0).unwrap().pop() else { panic!("a query") };
    assert_eq!(columns.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["x", "y"]);
    assert_eq!(
        error(&mut s, "CREATE VIEW v6 (x) AS SELECT a, b FROM t1"),
        "VIEW definition and input fields not match:\n\tDef fields: [x].\n\tInput fields: [a, b]."
    );
}

#[test]
fn show_create_refuses_the_wrong_kind_and_a_missing_name_in_flinks_words() {
    let mut s = session();
    assert_eq!(
        error(&mut s, "SHOW CREATE VIEW nope"),
        "Could not execute SHOW CREATE VIEW. View with identifier `default_catalog`.`default_database`.`nope` does not exist."
    );
    assert_eq!(
        error(&mut s, "SHOW CREATE VIEW t1"),
        "SHOW CREATE VIEW is only supported for views, but `default_catalog`.`default_database`.`t1` is a table. Please use SHOW CREATE TABLE instead."
    );
    assert_eq!(
        error(&mut s, "SHOW CREATE TABLE v1"),
        "SHOW CREATE TABLE is only supported for tables, but `default_catalog`.`default_database`.`v1` is a view. Please use SHOW CREATE VIEW instead."
    );
}

#[test]
fn show_views_filters_by_like() {
    let mut s = session();
    assert_eq!(rows(&mut s, "SHOW VIEWS"), [["v1"], ["v2"], ["v4"]]);
    assert_eq!(rows(&mut s, "SHOW VIEWS LIKE 'v_'"), [["v1"], ["v2"], ["v4"]]);
    assert_eq!(rows(&mut s, "SHOW VIEWS FROM default_database NOT LIKE '%1'"), [["v2"], ["v4"]]);
}

#[test]
fn describe_extended_shows_what_describe_shows() {
    let mut s = session();
    assert_eq!(
        rows(&mut s, "DESCRIBE EXTENDED t1"),
        [
            ["a", "INT", "FALSE", "", "", "", ""],
            ["b", "STRING", "TRUE", "", "", "", "the b"],
            ["ts", "TIMESTAMP(3) *ROWTIME*", "TRUE", "", "", "`ts`", ""],
        ]
    );
    assert_eq!(rows(&mut s, "DESC EXTENDED v1"), [["a", "INT", "FALSE", "", "", ""], ["b", "STRING", "TRUE", "", "", ""]]);
    for sql in ["DESCRIBE nope", "DESCRIBE EXTENDED nope"] {
        assert_eq!(error(&mut s, sql), "Tables or views with the identifier 'default_catalog.default_database.nope' doesn't exist.");
    }
    // A table named `extended` (a reserved word: backquoted, as Flink asks) is described by name.
    s.execute("CREATE TABLE `extended` (e INT) WITH ('connector'='datagen')", 0).unwrap();
    assert_eq!(rows(&mut s, "DESCRIBE `extended`"), [["e", "INT", "TRUE", "", "", ""]]);
    assert!(error(&mut s, "DESCRIBE extended").contains("`extended` is a reserved word"));
}

/// Flink 2.3 takes `CREATE OR REPLACE [TEMPORARY] VIEW` and replaces nothing: a new name is
/// created, a name its catalog holds is refused (these words).
#[test]
fn create_or_replace_view_creates_and_replaces_nothing() {
    let mut s = session();
    assert_eq!(
        error(&mut s, "CREATE OR REPLACE VIEW v1 AS SELECT b FROM t1"),
        "Could not execute CreateTable in path `default_catalog`.`default_database`.`v1`"
    );
    assert_eq!(
        error(&mut s, "CREATE OR REPLACE VIEW t1 AS SELECT 1"),
        "Could not execute CreateTable in path `default_catalog`.`default_database`.`t1`"
    );
    assert_eq!(rows(&mut s, "DESCRIBE v1"), [["a", "INT", "FALSE", "", "", ""], ["b", "STRING", "TRUE", "", "", ""]]);
    s.execute("CREATE OR REPLACE TEMPORARY VIEW v7 AS SELECT a FROM t1", 0).unwrap();
    assert_eq!(
        error(&mut s, "CREATE OR REPLACE TEMPORARY VIEW v7 AS SELECT b FROM t1"),
        "Temporary table '`default_catalog`.`default_database`.`v7`' already exists"
    );
    assert_eq!(rows(&mut s, "SHOW VIEWS"), [["v1"], ["v2"], ["v4"], ["v7"]]);
}
