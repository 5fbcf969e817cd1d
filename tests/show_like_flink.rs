//! SHOW CREATE TABLE, SHOW COLUMNS, SHOW TABLES [NOT] LIKE, SHOW CATALOGS / DATABASES / CURRENT …,
//! SHOW [FULL] MODULES, SHOW JARS and USE [MODULES] print what Apache Flink 2.3 prints: each
//! expected value below is PyFlink 2.3.0's own output for the same statements (`tests/flink/statements.py show` prints them again).
#![cfg(not(target_arch = "wasm32"))]

use sluice::session::{Outcome, Session};

const DDL: &str = "CREATE TABLE t1 (a INT NOT NULL, b STRING COMMENT 'the b', ts TIMESTAMP(3), c AS a + 1,
    PRIMARY KEY (a) NOT ENFORCED, WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
  COMMENT 'tbl' PARTITIONED BY (b) WITH ('connector'='datagen', 'number-of-rows'='3');
CREATE TABLE k (id INT, price DECIMAL(10, 2), ts TIMESTAMP_LTZ(3) METADATA FROM 'timestamp',
    part INT METADATA FROM 'partition' VIRTUAL, `offset` BIGINT METADATA VIRTUAL, pt AS PROCTIME(), arr ARRAY<STRING>,
    WATERMARK FOR ts AS ts)
  WITH ('connector'='kafka', 'topic'='x', 'properties.bootstrap.servers'='localhost:9092', 'format'='json',
        'scan.startup.mode'='earliest-offset');
CREATE VIEW v1 AS SELECT a, b FROM t1 WHERE a > 1";

fn session() -> Session {
    let mut session = Session::empty();
    session.execute(DDL, 0).unwrap();
    session
}

/// The statement's table: its column names, and each row's cells as text.
fn table(session: &mut Session, sql: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let Some(Outcome::Table { columns, rows }) = session.execute(sql, 0).unwrap().pop() else { panic!("{sql} gives a table") };
    (columns.iter().map(|c| c.name.clone()).collect(), rows.iter().map(|r| r.iter().map(ToString::to_string).collect()).collect())
}

fn names(session: &mut Session, sql: &str) -> Vec<String> {
    table(session, sql).1.into_iter().map(|r| r.join("|")).collect()
}

#[test]
fn show_create_table_prints_flinks_ddl() {
    let mut s = session();
    let (columns, rows) = table(&mut s, "SHOW CREATE TABLE t1");
    assert_eq!(columns, ["result"]);
    assert_eq!(
        rows,
        [["CREATE TABLE `default_catalog`.`default_database`.`t1` (\n  `a` INT NOT NULL,\n  `b` VARCHAR(2147483647) COMMENT 'the b',\n  `ts` TIMESTAMP(3),\n  `c` AS `a` + 1,\n  WATERMARK FOR `ts` AS `ts` - INTERVAL '1' SECOND,\n  CONSTRAINT `PK_a` PRIMARY KEY (`a`) NOT ENFORCED\n)\nCOMMENT 'tbl'\nPARTITIONED BY (`b`)\nWITH (\n  'connector' = 'datagen',\n  'number-of-rows' = '3'\n)\n"]]
    );
    let (_, rows) = table(&mut s, "SHOW CREATE TABLE k");
    assert_eq!(
        rows,
        [["CREATE TABLE `default_catalog`.`default_database`.`k` (\n  `id` INT,\n  `price` DECIMAL(10, 2),\n  `ts` TIMESTAMP(3) WITH LOCAL TIME ZONE METADATA FROM 'timestamp',\n  `part` INT METADATA FROM 'partition' VIRTUAL,\n  `offset` BIGINT METADATA VIRTUAL,\n  `pt` AS PROCTIME(),\n  `arr` ARRAY<VARCHAR(2147483647)>,\n  WATERMARK FOR `ts` AS `ts`\n)\nWITH (\n  'connector' = 'kafka',\n  'format' = 'json',\n  'properties.bootstrap.servers' = 'localhost:9092',\n  'scan.startup.mode' = 'earliest-offset',\n  'topic' = 'x'\n)\n"]]
    );
    let err = s.execute("SHOW CREATE TABLE nope", 0).unwrap_err();
    assert_eq!(
        err.message,
        "Could not execute SHOW CREATE TABLE. Table with identifier `default_catalog`.`default_database`.`nope` does not exist."
    );
}

#[test]
fn show_columns_is_describe_with_a_comment_column_when_one_has_a_comment() {
    let mut s = session();
    let (columns, rows) = table(&mut s, "SHOW COLUMNS FROM t1 LIKE '%s'");
    assert_eq!(columns, ["name", "type", "null", "key", "extras", "watermark", "comment"]);
    assert_eq!(rows, [["ts", "TIMESTAMP(3) *ROWTIME*", "TRUE", "", "", "`ts` - INTERVAL '1' SECOND", ""]]);
    assert_eq!(table(&mut s, "SHOW COLUMNS FROM t1").1[1], ["b", "STRING", "TRUE", "", "", "", "the b"]);
    let (columns, rows) = table(&mut s, "SHOW COLUMNS FROM k NOT LIKE '%a%'");
    assert_eq!(columns, ["name", "type", "null", "key", "extras", "watermark"]);
    let expected = [
        ["id", "INT", "TRUE", "", "", ""],
        ["price", "DECIMAL(10, 2)", "TRUE", "", "", ""],
        ["ts", "TIMESTAMP_LTZ(3) *ROWTIME*", "TRUE", "", "METADATA FROM 'timestamp'", "`ts`"],
        ["offset", "BIGINT", "TRUE", "", "METADATA VIRTUAL", ""],
        ["pt", "TIMESTAMP_LTZ(3) *PROCTIME*", "FALSE", "", "AS PROCTIME()", ""],
    ];
    assert_eq!(rows, expected);
}

#[test]
fn show_tables_lists_the_views_too_and_filters_by_like() {
    let mut s = session();
    assert_eq!(names(&mut s, "SHOW TABLES"), ["k", "t1", "v1"]);
    assert_eq!(names(&mut s, "SHOW TABLES LIKE 't%'"), ["t1"]);
    assert_eq!(names(&mut s, "SHOW TABLES FROM default_database NOT LIKE 't%'"), ["k", "v1"]);
    assert_eq!(names(&mut s, "SHOW VIEWS"), ["v1"]);
}

#[test]
fn the_one_catalog_and_database_are_flinks_defaults() {
    let mut s = session();
    assert_eq!(table(&mut s, "SHOW CATALOGS"), (vec!["catalog name".to_string()], vec![vec!["default_catalog".to_string()]]));
    assert_eq!(table(&mut s, "SHOW DATABASES"), (vec!["database name".to_string()], vec![vec!["default_database".to_string()]]));
    assert_eq!(table(&mut s, "SHOW CURRENT CATALOG").0, ["current catalog name"]);
    assert_eq!(table(&mut s, "SHOW CURRENT DATABASE").1, [["default_database"]]);
    for ok in ["USE CATALOG default_catalog", "USE default_database", "USE default_catalog.default_database"] {
        assert!(matches!(s.execute(ok, 0).as_deref(), Ok([Outcome::Done { .. }])), "{ok}");
    }
    assert_eq!(s.execute("USE CATALOG nope", 0).unwrap_err().message, "A catalog with name [nope] does not exist.");
    assert_eq!(
        s.execute("USE nope", 0).unwrap_err().message,
        "A database with name [nope] does not exist in the catalog: [default_catalog]."
    );
}

#[test]
fn the_one_module_is_flinks_core_and_there_are_no_jars() {
    let mut s = session();
    assert_eq!(table(&mut s, "SHOW MODULES"), (vec!["module name".to_string()], vec![vec!["core".to_string()]]));
    assert_eq!(
        table(&mut s, "SHOW FULL MODULES"),
        (vec!["module name".to_string(), "used".to_string()], vec![vec!["core".to_string(), "TRUE".to_string()]])
    );
    assert_eq!(table(&mut s, "SHOW JARS"), (vec!["jars".to_string()], Vec::<Vec<String>>::new()));
    // PyFlink 2.3 in a fresh session: no models, no materialized tables, and its in-memory
    // catalog cannot list procedures.
    assert_eq!(table(&mut s, "SHOW MODELS"), (vec!["model name".to_string()], Vec::<Vec<String>>::new()));
    assert_eq!(table(&mut s, "SHOW MATERIALIZED TABLES"), (vec!["materialized table".to_string()], Vec::<Vec<String>>::new()));
    assert_eq!(
        s.execute("SHOW PROCEDURES", 0).unwrap_err().message,
        "listProcedures is not implemented for class org.apache.flink.table.catalog.GenericInMemoryCatalog."
    );
    assert!(matches!(s.execute("USE MODULES core", 0).as_deref(), Ok([Outcome::Done { .. }])));
    assert_eq!(
        s.execute("USE MODULES hive", 0).unwrap_err().message,
        "Could not execute USE MODULES: [hive]. No module with name 'hive' exists"
    );
    assert_eq!(
        s.execute("USE MODULES core, core", 0).unwrap_err().message,
        "Could not execute USE MODULES: [core, core]. Module 'core' appears more than once"
    );
}
