//! ALTER TABLE … SET / RESET / RENAME TO / RENAME col TO / ADD / MODIFY / DROP and ALTER VIEW … RENAME TO / AS, as
//! Apache Flink 2.3 runs them (each message, SHOW CREATE TABLE and DESCRIBE below is PyFlink
//! 2.3.0's own, for the same statements), except that Sluice checks the altered options as CREATE
//! TABLE does, where Flink takes any and fails when the table is read.
//! `tests/flink/statements.py alter alter_schema alter_schema_errors alter_rename alter_view` prints Flink's answers again.
#![cfg(not(target_arch = "wasm32"))]

#[path = "common/transcript.rs"]
mod transcript;

use sluice::session::{Outcome, Session};
use transcript::{differences, Flink, Flink::*};

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
}

/// ADD, MODIFY and DROP of columns, positions, the watermark and the primary key, one after
/// another on one table.
const SCHEMA_CHANGES: &[(&str, Flink)] = &[
    ("CREATE TABLE t (a INT, b STRING COMMENT 'bee', ts TIMESTAMP(3), c AS a + 1, p STRING, PRIMARY KEY (a) NOT ENFORCED, WATERMARK FOR ts AS ts - INTERVAL '1' SECOND) PARTITIONED BY (p) WITH ('connector'='datagen')", Done),
    ("ALTER TABLE t ADD d INT", Done),
    ("ALTER TABLE t ADD e STRING COMMENT 'the e' FIRST", Done),
    ("ALTER TABLE t ADD (f AS a * 2 AFTER a, g INT NOT NULL)", Done),
    ("SHOW CREATE TABLE t", Ddl("CREATE TABLE `default_catalog`.`default_database`.`t` (\n  `e` VARCHAR(2147483647) COMMENT 'the e',\n  `a` INT NOT NULL,\n  `f` AS `a` * 2,\n  `b` VARCHAR(2147483647) COMMENT 'bee',\n  `ts` TIMESTAMP(3),\n  `c` AS `a` + 1,\n  `p` VARCHAR(2147483647),\n  `d` INT,\n  `g` INT NOT NULL,\n  WATERMARK FOR `ts` AS `ts` - INTERVAL '1' SECOND,\n  CONSTRAINT `PK_a` PRIMARY KEY (`a`) NOT ENFORCED\n)\nPARTITIONED BY (`p`)\nWITH (\n  'connector' = 'datagen'\n)\n")),
    ("ALTER TABLE t MODIFY b VARCHAR(10)", Done),
    ("ALTER TABLE t MODIFY d BIGINT FIRST", Done),
    ("ALTER TABLE t MODIFY c AS a + 2 AFTER ts", Done),
    ("ALTER TABLE t MODIFY (WATERMARK FOR ts AS ts, PRIMARY KEY (a, g) NOT ENFORCED)", Done),
    ("SHOW CREATE TABLE t", Ddl("CREATE TABLE `default_catalog`.`default_database`.`t` (\n  `d` BIGINT,\n  `e` VARCHAR(2147483647) COMMENT 'the e',\n  `a` INT NOT NULL,\n  `f` AS `a` * 2,\n  `b` VARCHAR(10) COMMENT 'bee',\n  `ts` TIMESTAMP(3),\n  `c` AS `a` + 2,\n  `p` VARCHAR(2147483647),\n  `g` INT NOT NULL,\n  WATERMARK FOR `ts` AS `ts`,\n  CONSTRAINT `PK_a_g` PRIMARY KEY (`a`, `g`) NOT ENFORCED\n)\nPARTITIONED BY (`p`)\nWITH (\n  'connector' = 'datagen'\n)\n")),
    ("DESCRIBE t", Rows(&["d | BIGINT | TRUE |  |  |  | ", "e | STRING | TRUE |  |  |  | the e", "a | INT | FALSE | PRI(a, g) |  |  | ", "f | INT | FALSE |  | AS `a` * 2 |  | ", "b | VARCHAR(10) | TRUE |  |  |  | bee", "ts | TIMESTAMP(3) *ROWTIME* | TRUE |  |  | `ts` | ", "c | INT | FALSE |  | AS `a` + 2 |  | ", "p | STRING | TRUE |  |  |  | ", "g | INT | FALSE | PRI(a, g) |  |  | "])),
    ("ALTER TABLE t DROP (e, f)", Done),
    ("ALTER TABLE t DROP PRIMARY KEY", Done),
    ("ALTER TABLE t DROP WATERMARK", Done),
    ("SHOW CREATE TABLE t", Ddl("CREATE TABLE `default_catalog`.`default_database`.`t` (\n  `d` BIGINT,\n  `a` INT NOT NULL,\n  `b` VARCHAR(10) COMMENT 'bee',\n  `ts` TIMESTAMP(3),\n  `c` AS `a` + 2,\n  `p` VARCHAR(2147483647),\n  `g` INT NOT NULL\n)\nPARTITIONED BY (`p`)\nWITH (\n  'connector' = 'datagen'\n)\n")),
    ("ALTER TABLE t DROP (c, a)", Done),
    ("SHOW CREATE TABLE t", Ddl("CREATE TABLE `default_catalog`.`default_database`.`t` (\n  `d` BIGINT,\n  `b` VARCHAR(10) COMMENT 'bee',\n  `ts` TIMESTAMP(3),\n  `p` VARCHAR(2147483647),\n  `g` INT NOT NULL\n)\nPARTITIONED BY (`p`)\nWITH (\n  'connector' = 'datagen'\n)\n")),
    ("ALTER TABLE t ADD (x INT, CONSTRAINT my_pk PRIMARY KEY (x) NOT ENFORCED)", Done),
    ("SHOW CREATE TABLE t", Ddl("CREATE TABLE `default_catalog`.`default_database`.`t` (\n  `d` BIGINT,\n  `b` VARCHAR(10) COMMENT 'bee',\n  `ts` TIMESTAMP(3),\n  `p` VARCHAR(2147483647),\n  `g` INT NOT NULL,\n  `x` INT NOT NULL,\n  CONSTRAINT `my_pk` PRIMARY KEY (`x`) NOT ENFORCED\n)\nPARTITIONED BY (`p`)\nWITH (\n  'connector' = 'datagen'\n)\n")),
    ("ALTER TABLE t DROP CONSTRAINT PK_x", Err("Failed to execute ALTER TABLE statement.\nThe current table does not define a primary key constraint named 'PK_x'. Available constraint name: ['my_pk'].")),
    ("ALTER TABLE t DROP CONSTRAINT my_pk", Done),
    ("SHOW CREATE TABLE t", Ddl("CREATE TABLE `default_catalog`.`default_database`.`t` (\n  `d` BIGINT,\n  `b` VARCHAR(10) COMMENT 'bee',\n  `ts` TIMESTAMP(3),\n  `p` VARCHAR(2147483647),\n  `g` INT NOT NULL,\n  `x` INT NOT NULL\n)\nPARTITIONED BY (`p`)\nWITH (\n  'connector' = 'datagen'\n)\n")),
];

#[test]
fn add_modify_and_drop_change_the_schema_as_flink_does() {
    let failures = differences(SCHEMA_CHANGES);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Each misuse, in Flink's words; none of them changes the table.
const SCHEMA_ERRORS: &[(&str, Flink)] = &[
    ("CREATE TABLE t (a INT, b STRING COMMENT 'bee', ts TIMESTAMP(3), c AS a + 1, p STRING, PRIMARY KEY (a) NOT ENFORCED, WATERMARK FOR ts AS ts - INTERVAL '1' SECOND) PARTITIONED BY (p) WITH ('connector'='datagen')", Done),
    ("ALTER TABLE t ADD a INT", Err("Failed to execute ALTER TABLE statement.\nColumn `a` already exists in the table.")),
    ("ALTER TABLE t ADD x INT AFTER nope", Err("Failed to execute ALTER TABLE statement.\nReferenced column `nope` by 'AFTER' does not exist in the table.")),
    ("ALTER TABLE t ADD (y INT AFTER z, z INT)", Err("Failed to execute ALTER TABLE statement.\nReferenced column `z` by 'AFTER' does not exist in the table.")),
    ("ALTER TABLE t ADD (g INT, g STRING)", Err("Failed to execute ALTER TABLE statement.\nEncounter duplicate column `g`.")),
    ("ALTER TABLE t ADD WATERMARK FOR ts AS ts", Err("Failed to execute ALTER TABLE statement.\nThe current table has already defined the watermark strategy `ts` AS `ts` - INTERVAL '1' SECOND. You might want to drop it before adding a new one.")),
    ("ALTER TABLE t ADD PRIMARY KEY (b) NOT ENFORCED", Err("Failed to execute ALTER TABLE statement.\nThe current table has already defined the primary key constraint [`a`]. You might want to drop it before adding a new one.")),
    ("ALTER TABLE t ADD PRIMARY KEY (b)", Err("Flink doesn't support ENFORCED mode for PRIMARY KEY constraint. ENFORCED/NOT ENFORCED controls if the constraint checks are performed on the incoming/outgoing data. Flink does not own the data therefore the only supported mode is the NOT ENFORCED mode")),
    ("ALTER TABLE t MODIFY nope INT", Err("Failed to execute ALTER TABLE statement.\nColumn `nope` does not exist in the table.")),
    ("ALTER TABLE t MODIFY ts INT", Err("Failed to execute ALTER TABLE statement.\nInvalid data type of time field for watermark definition. The field must be of type TIMESTAMP(p) or TIMESTAMP_LTZ(p), the supported precision 'p' is from 0 to 3, but the time field type is INT")),
    ("ALTER TABLE t MODIFY PRIMARY KEY (a, nope) NOT ENFORCED", Err("Failed to execute ALTER TABLE statement.\nInvalid primary key 'PK_a_nope'. Column 'nope' does not exist.")),
    ("ALTER TABLE t DROP nope", Err("Failed to execute ALTER TABLE statement.\nThe column `nope` does not exist in the base table.")),
    ("ALTER TABLE t DROP (b, b)", Err("Failed to execute ALTER TABLE statement.\nDuplicate column `b`.")),
    ("ALTER TABLE t DROP a", Err("Failed to execute ALTER TABLE statement.\nThe column `a` is referenced by computed column `c`.")),
    ("ALTER TABLE t DROP ts", Err("Failed to execute ALTER TABLE statement.\nThe column `ts` is referenced by watermark expression.")),
    ("ALTER TABLE t DROP p", Err("Failed to execute ALTER TABLE statement.\nThe column `p` is used as the partition keys.")),
    ("ALTER TABLE t DROP CONSTRAINT nope", Err("Failed to execute ALTER TABLE statement.\nThe current table does not define a primary key constraint named 'nope'. Available constraint name: ['PK_a'].")),
    ("CREATE TABLE plain (a INT, p INT, PRIMARY KEY (p) NOT ENFORCED) WITH ('connector'='datagen')", Done),
    ("ALTER TABLE plain DROP p", Err("Failed to execute ALTER TABLE statement.\nThe column `p` is used as the primary key.")),
    ("ALTER TABLE plain MODIFY WATERMARK FOR a AS a", Err("Failed to execute ALTER TABLE statement.\nThe current table does not define any watermark. You might want to add a new one.")),
    ("ALTER TABLE plain DROP WATERMARK", Err("Failed to execute ALTER TABLE statement.\nThe current table does not define any watermark strategy.")),
    ("ALTER TABLE plain DROP PRIMARY KEY", Done),
    ("ALTER TABLE plain MODIFY PRIMARY KEY (a) NOT ENFORCED", Err("Failed to execute ALTER TABLE statement.\nThe current table does not define any primary key constraint. You might want to add a new one.")),
    ("ALTER TABLE plain DROP CONSTRAINT PK_p", Err("Failed to execute ALTER TABLE statement.\nThe current table does not define any primary key.")),
    ("ALTER TABLE nope ADD x INT", Err("Table `default_catalog`.`default_database`.`nope` doesn't exist or is a temporary table.")),
    ("ALTER TABLE IF EXISTS nope DROP x", Done),
    ("CREATE TABLE q (x INT, y INT, CONSTRAINT my_pk PRIMARY KEY (x) NOT ENFORCED) WITH ('connector'='datagen')", Done),
    ("SHOW CREATE TABLE q", Ddl("CREATE TABLE `default_catalog`.`default_database`.`q` (\n  `x` INT NOT NULL,\n  `y` INT,\n  CONSTRAINT `my_pk` PRIMARY KEY (`x`) NOT ENFORCED\n)\nWITH (\n  'connector' = 'datagen'\n)\n")),
    ("ALTER TABLE q DROP CONSTRAINT PK_x", Err("Failed to execute ALTER TABLE statement.\nThe current table does not define a primary key constraint named 'PK_x'. Available constraint name: ['my_pk'].")),
    ("CREATE TABLE l LIKE q", Done),
    ("SHOW CREATE TABLE l", Ddl("CREATE TABLE `default_catalog`.`default_database`.`l` (\n  `x` INT NOT NULL,\n  `y` INT,\n  CONSTRAINT `my_pk` PRIMARY KEY (`x`) NOT ENFORCED\n)\nWITH (\n  'connector' = 'datagen'\n)\n")),
];

#[test]
fn add_modify_and_drop_refuse_in_flinks_words() {
    let failures = differences(SCHEMA_ERRORS);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// RENAME col TO new: the column keeps its place, type and comment; a column something reads
/// stays; a primary key is renamed with its column and keeps its constraint's name.
const RENAMES: &[(&str, Flink)] = &[
    ("CREATE TABLE t (a INT, b STRING COMMENT 'bee', ts TIMESTAMP(3), c AS a + 1, p STRING, PRIMARY KEY (a) NOT ENFORCED, WATERMARK FOR ts AS ts - INTERVAL '1' SECOND) PARTITIONED BY (p) WITH ('connector'='datagen')", Done),
    ("ALTER TABLE t RENAME b TO b2", Done),
    ("ALTER TABLE t RENAME c TO c2", Done),
    ("DESCRIBE t", Rows(&["a | INT | FALSE | PRI(a) |  |  | ", "b2 | STRING | TRUE |  |  |  | bee", "ts | TIMESTAMP(3) *ROWTIME* | TRUE |  |  | `ts` - INTERVAL '1' SECOND | ", "c2 | INT | FALSE |  | AS `a` + 1 |  | ", "p | STRING | TRUE |  |  |  | "])),
    ("SHOW CREATE TABLE t", Ddl("CREATE TABLE `default_catalog`.`default_database`.`t` (\n  `a` INT NOT NULL,\n  `b2` VARCHAR(2147483647) COMMENT 'bee',\n  `ts` TIMESTAMP(3),\n  `c2` AS `a` + 1,\n  `p` VARCHAR(2147483647),\n  WATERMARK FOR `ts` AS `ts` - INTERVAL '1' SECOND,\n  CONSTRAINT `PK_a` PRIMARY KEY (`a`) NOT ENFORCED\n)\nPARTITIONED BY (`p`)\nWITH (\n  'connector' = 'datagen'\n)\n")),
    ("ALTER TABLE t RENAME a TO a2", Err("Failed to execute ALTER TABLE statement.\nThe column `a` is referenced by computed column `c2`.")),
    ("ALTER TABLE t RENAME ts TO ts2", Err("Failed to execute ALTER TABLE statement.\nThe column `ts` is referenced by watermark expression.")),
    ("ALTER TABLE t RENAME p TO p2", Err("Failed to execute ALTER TABLE statement.\nThe column `p` is used as the partition keys.")),
    ("ALTER TABLE t RENAME nope TO x", Err("Failed to execute ALTER TABLE statement.\nThe column `nope` does not exist in the base table.")),
    ("ALTER TABLE t RENAME b2 TO a", Err("Failed to execute ALTER TABLE statement.\nThe column `a` already existed in table schema.")),
    ("ALTER TABLE t RENAME b2 TO `b2`", Err("Failed to execute ALTER TABLE statement.\nThe column `b2` already existed in table schema.")),
    ("ALTER TABLE nope RENAME b TO x", Err("Table `default_catalog`.`default_database`.`nope` doesn't exist or is a temporary table.")),
    ("ALTER TABLE IF EXISTS nope RENAME b TO x", Done),
    ("CREATE VIEW v AS SELECT a FROM t", Done),
    ("ALTER TABLE v RENAME a TO x", Err("ALTER TABLE for a view is not allowed")),
    ("CREATE TABLE k (id INT, v STRING, PRIMARY KEY (id) NOT ENFORCED) WITH ('connector'='datagen')", Done),
    ("ALTER TABLE k RENAME id TO id2", Done),
    ("SHOW CREATE TABLE k", Ddl("CREATE TABLE `default_catalog`.`default_database`.`k` (\n  `id2` INT NOT NULL,\n  `v` VARCHAR(2147483647),\n  CONSTRAINT `PK_id` PRIMARY KEY (`id2`) NOT ENFORCED\n)\nWITH (\n  'connector' = 'datagen'\n)\n")),
    ("ALTER TABLE k DROP CONSTRAINT PK_id", Done),
    ("CREATE TABLE m (id INT, ts TIMESTAMP_LTZ(3) METADATA FROM 'timestamp' COMMENT 'x') WITH ('connector'='kafka', 'topic'='t', 'properties.bootstrap.servers'='localhost:9092', 'format'='json')", Done),
    ("ALTER TABLE m RENAME ts TO ts2", Done),
    ("SHOW CREATE TABLE m", Ddl("CREATE TABLE `default_catalog`.`default_database`.`m` (\n  `id` INT,\n  `ts2` TIMESTAMP(3) WITH LOCAL TIME ZONE METADATA FROM 'timestamp' COMMENT 'x'\n)\nWITH (\n  'connector' = 'kafka',\n  'format' = 'json',\n  'properties.bootstrap.servers' = 'localhost:9092',\n  'topic' = 't'\n)\n")),
];

#[test]
fn rename_column_renames_as_flink_does() {
    let failures = differences(RENAMES);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// ALTER VIEW v AS query: the view takes the new query's columns (names it gave the old one
/// go) and keeps its comment; a view over it keeps the columns it was created with.
const VIEW_QUERIES: &[(&str, Flink)] = &[
    ("CREATE TABLE t (a INT, b STRING) WITH ('connector'='datagen')", Done),
    ("CREATE VIEW v (x) COMMENT 'the v' AS SELECT a FROM t", Done),
    ("CREATE VIEW w AS SELECT x FROM v", Done),
    ("ALTER VIEW v AS SELECT b FROM t", Done),
    ("DESCRIBE v", Rows(&["b | STRING | TRUE |  |  | "])),
    ("DESCRIBE w", Rows(&["x | INT | TRUE |  |  | "])),
    ("ALTER VIEW nov AS SELECT b FROM t", Err("View `default_catalog`.`default_database`.`nov` doesn't exist or is a temporary view.")),
    ("ALTER VIEW t AS SELECT b FROM t", Err("ALTER VIEW for a table is not allowed")),
    ("ALTER VIEW v AS SELECT a, b FROM t", Done),
    ("DESCRIBE v", Rows(&["a | INT | TRUE |  |  | ", "b | STRING | TRUE |  |  | "])),
];

#[test]
fn alter_view_as_replaces_the_query_as_flink_does() {
    let failures = differences(VIEW_QUERIES);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The comment stays (Flink: `COMMENT 'the v'` in SHOW CREATE VIEW); a bad query changes nothing.
    let mut s = Session::empty();
    s.execute("CREATE TABLE t (a INT, b STRING) WITH ('connector'='datagen'); CREATE VIEW v (x) COMMENT 'the v' AS SELECT a FROM t", 0)
        .unwrap();
    s.execute("ALTER VIEW v AS SELECT b FROM t", 0).unwrap();
    let Some(Outcome::Table { rows, .. }) = s.execute("SHOW CREATE VIEW v", 0).unwrap().pop() else { panic!("a table") };
    assert!(rows[0][0].to_string().contains("(\n  `b`\n)\nCOMMENT 'the v'\nAS SELECT b FROM t"), "{}", rows[0][0]);
    let err = s.execute("ALTER VIEW v AS SELECT nope FROM t", 0).unwrap_err();
    assert!(err.message.contains("`nope` not found"), "{err}");
    let Some(Outcome::Table { rows, .. }) = s.execute("DESCRIBE v", 0).unwrap().pop() else { panic!("a table") };
    assert_eq!(rows.len(), 1);
}

/// As in Flink, a job keeps the table it was planned with: dropping a column under a running
/// query changes what the next query reads, not what the running one reads.
#[test]
fn a_running_job_keeps_reading_the_table_as_it_was() {
    let mut s = Session::empty();
    s.add_file("/in.csv", b"1,a\n2,b\n".to_vec());
    s.execute("CREATE TABLE f (n INT, s STRING) WITH ('connector' = 'filesystem', 'path' = '/in.csv', 'format' = 'csv')", 0).unwrap();
    let Some(Outcome::Query { job, .. }) = s.execute("SELECT * FROM f", 0).unwrap().pop() else { panic!("a query") };
    s.execute("ALTER TABLE f DROP s", 0).unwrap();
    s.advance(1);
    let rows: Vec<usize> = s.take_changes(job).iter().map(|c| c.row.len()).collect();
    assert_eq!(rows, [2, 2]);
    let Some(Outcome::Query { columns, .. }) = s.execute("SELECT * FROM f", 0).unwrap().pop() else { panic!("a query") };
    assert_eq!(columns.len(), 1);
}

/// Errors point at what they are about: the column, the AFTER reference, the constraint name.
#[test]
fn schema_errors_point_at_the_element() {
    let mut s = session();
    let err = s.execute("ALTER TABLE t1 ADD (c INT, a INT)", 0).unwrap_err();
    assert_eq!(err.location.map(|l| (l.line, l.column)), Some((1, 28)), "{err}");
    let err = s.execute("ALTER TABLE t1 ADD c INT AFTER nope", 0).unwrap_err();
    assert_eq!(err.location.map(|l| (l.line, l.column)), Some((1, 32)), "{err}");
    let err = s.execute("ALTER TABLE t1 DROP (b, nope)", 0).unwrap_err();
    assert_eq!(err.location.map(|l| (l.line, l.column)), Some((1, 25)), "{err}");
    // The parser's own errors point at the token.
    let err = s.execute("ALTER TABLE t1 DROP CONSTRAINT", 0).unwrap_err();
    assert!(err.location.is_some(), "{err}");
    let err = s.execute("ALTER TABLE t1 ADD c INT LAST", 0).unwrap_err();
    assert_eq!(err.location.map(|l| (l.line, l.column)), Some((1, 26)), "{err}");
}

/// As in Flink, a computed column reads the physical and metadata columns wherever they are
/// declared (`ADD d AS a * 3 FIRST`, `CREATE TABLE x (c AS a + 1, a INT)`), and not other
/// computed columns (Flink: "Unknown identifier 'c'").
#[test]
fn a_computed_column_reads_the_stored_columns_wherever_they_are() {
    let mut s = Session::empty();
    s.add_file("/in.csv", b"1\n2\n".to_vec());
    s.execute("CREATE TABLE x (c AS a + 1, a INT) WITH ('connector' = 'filesystem', 'path' = '/in.csv', 'format' = 'csv')", 0).unwrap();
    s.execute("ALTER TABLE x ADD d AS a * 3 FIRST", 0).unwrap();
    assert_eq!(
        ddl(&mut s, "x"),
        "CREATE TABLE `default_catalog`.`default_database`.`x` (\n  `d` AS `a` * 3,\n  `c` AS `a` + 1,\n  `a` INT\n)\nWITH (\n  'connector' = 'filesystem',\n  'format' = 'csv',\n  'path' = '/in.csv'\n)\n"
    );
    let Some(Outcome::Table { rows, .. }) = s.execute("%flink.bsql\nSELECT * FROM x", 0).unwrap().pop() else { panic!("rows") };
    let rows: Vec<String> = rows.iter().map(|r| r.iter().map(|v| v.to_string()).collect::<Vec<_>>().join(",")).collect();
    assert_eq!(rows, ["3,2,1", "6,3,2"]);
    let err = s.execute("CREATE TABLE y (a INT, c AS a + 1, d AS c + 1) WITH ('connector' = 'datagen')", 0).unwrap_err();
    assert!(err.message.contains('c') && err.location.is_some(), "{err}");
}

/// An OPTIONS hint on an INSERT's table is checked as the table's own options are, and one that
/// no INSERT takes says where it belongs; neither starts a job or changes the table.
#[test]
fn a_bad_or_misplaced_sink_hint_is_refused_with_a_reason() {
    let mut s = Session::empty();
    s.execute(
        "CREATE TABLE src (a INT) WITH ('connector'='datagen', 'number-of-rows'='3'); CREATE TABLE snk (a INT) WITH ('connector'='print')",
        0,
    )
    .unwrap();
    let err = s.execute("INSERT INTO snk /*+ OPTIONS('foo'='bar') */ SELECT a FROM src", 0).unwrap_err();
    assert!(err.message.contains("Unsupported options found for 'print'") && err.message.contains("foo"), "{err}");
    let err = s.execute("INSERT INTO snk /*+ OPTIONS('connector'='nope') */ SELECT a FROM src", 0).unwrap_err();
    assert!(err.message.contains("nope"), "{err}");
    let err = s.execute("INSERT INTO snk /*+ OPTIONS('a' = ) */ SELECT a FROM src", 0).unwrap_err();
    assert!(err.message.contains("quoted pairs"), "{err}");
    let err = s.execute("SELECT a INTO snk /*+ OPTIONS('a'='1') */ FROM src", 0).unwrap_err();
    assert!(err.message.contains("goes on an INSERT's table"), "{err}");
    assert!(!ddl(&mut s, "snk").contains("foo"));
    assert!(s.jobs().is_empty());
}
