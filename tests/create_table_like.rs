//! `CREATE TABLE … LIKE source (options)` as Apache Flink 2.3 merges the two definitions: every
//! expected DDL and message below is PyFlink 2.3.0's own output (SHOW CREATE TABLE of the new
//! table, or the ValidationException's message) for the same statements; `tests/flink/statements.py
//! like` prints them again.
#![cfg(not(target_arch = "wasm32"))]

use sluice::session::{Outcome, Session};

const BASE: &str = "CREATE TABLE base (id INT, name STRING, ts TIMESTAMP(3), c AS id + 1, m TIMESTAMP_LTZ(3) METADATA FROM 'file.modification-time' VIRTUAL, PRIMARY KEY (id) NOT ENFORCED, WATERMARK FOR ts AS ts - INTERVAL '1' SECOND) PARTITIONED BY (name) WITH ('connector'='filesystem', 'path'='/tmp/x', 'format'='json')";

/// What Flink printed for each statement: the new table's SHOW CREATE TABLE, or its error.
const CASES: &[(&str, Result<&str, &str>)] = &[
    ("CREATE TABLE l1 WITH ('path'='/tmp/y') LIKE base", Ok("CREATE TABLE `default_catalog`.`default_database`.`l1` (\n  `id` INT NOT NULL,\n  `name` VARCHAR(2147483647),\n  `ts` TIMESTAMP(3),\n  `c` AS `id` + 1,\n  `m` TIMESTAMP(3) WITH LOCAL TIME ZONE METADATA FROM 'file.modification-time' VIRTUAL,\n  WATERMARK FOR `ts` AS `ts` - INTERVAL '1' SECOND,\n  CONSTRAINT `PK_id` PRIMARY KEY (`id`) NOT ENFORCED\n)\nPARTITIONED BY (`name`)\nWITH (\n  'connector' = 'filesystem',\n  'format' = 'json',\n  'path' = '/tmp/y'\n)\n")),
    ("CREATE TABLE l2 (extra STRING) WITH ('connector'='blackhole') LIKE base (EXCLUDING ALL)", Ok("CREATE TABLE `default_catalog`.`default_database`.`l2` (\n  `id` INT NOT NULL,\n  `name` VARCHAR(2147483647),\n  `ts` TIMESTAMP(3),\n  `extra` VARCHAR(2147483647)\n)\nPARTITIONED BY (`name`)\nWITH (\n  'connector' = 'blackhole'\n)\n")),
    ("CREATE TABLE l3 (extra STRING, WATERMARK FOR ts AS ts) LIKE base (OVERWRITING WATERMARKS EXCLUDING PARTITIONS EXCLUDING CONSTRAINTS)", Ok("CREATE TABLE `default_catalog`.`default_database`.`l3` (\n  `id` INT NOT NULL,\n  `name` VARCHAR(2147483647),\n  `ts` TIMESTAMP(3),\n  `c` AS `id` + 1,\n  `m` TIMESTAMP(3) WITH LOCAL TIME ZONE METADATA FROM 'file.modification-time' VIRTUAL,\n  `extra` VARCHAR(2147483647),\n  WATERMARK FOR `ts` AS `ts`\n)\nPARTITIONED BY (`name`)\nWITH (\n  'connector' = 'filesystem',\n  'format' = 'json',\n  'path' = '/tmp/x'\n)\n")),
    ("CREATE TABLE l4 (WATERMARK FOR ts AS ts) LIKE base", Err("There already exists a watermark spec for column 'ts' in the base table. You might want to specify EXCLUDING WATERMARKS or OVERWRITING WATERMARKS.")),
    ("CREATE TABLE l5 (id INT) LIKE base", Err("A column named 'id' already exists in the base table.")),
    ("CREATE TABLE l6 WITH ('path'='/tmp/z') LIKE base (INCLUDING OPTIONS)", Err("There already exists an option ['path' -> '/tmp/x']  in the base table. You might want to specify EXCLUDING OPTIONS or OVERWRITING OPTIONS.")),
    ("CREATE TABLE l7 WITH ('connector'='blackhole') LIKE base (EXCLUDING GENERATED EXCLUDING METADATA EXCLUDING OPTIONS)", Ok("CREATE TABLE `default_catalog`.`default_database`.`l7` (\n  `id` INT NOT NULL,\n  `name` VARCHAR(2147483647),\n  `ts` TIMESTAMP(3),\n  WATERMARK FOR `ts` AS `ts` - INTERVAL '1' SECOND,\n  CONSTRAINT `PK_id` PRIMARY KEY (`id`) NOT ENFORCED\n)\nPARTITIONED BY (`name`)\nWITH (\n  'connector' = 'blackhole'\n)\n")),
    ("CREATE TABLE l8 LIKE nope", Err("Source table '`default_catalog`.`default_database`.`nope`' of the LIKE clause not found in the catalog")),
    ("CREATE TABLE l9 (c AS id + 2) LIKE base (OVERWRITING GENERATED)", Ok("CREATE TABLE `default_catalog`.`default_database`.`l9` (\n  `id` INT NOT NULL,\n  `name` VARCHAR(2147483647),\n  `ts` TIMESTAMP(3),\n  `c` AS `id` + 2,\n  `m` TIMESTAMP(3) WITH LOCAL TIME ZONE METADATA FROM 'file.modification-time' VIRTUAL,\n  WATERMARK FOR `ts` AS `ts` - INTERVAL '1' SECOND,\n  CONSTRAINT `PK_id` PRIMARY KEY (`id`) NOT ENFORCED\n)\nPARTITIONED BY (`name`)\nWITH (\n  'connector' = 'filesystem',\n  'format' = 'json',\n  'path' = '/tmp/x'\n)\n")),
];

#[test]
fn like_merges_as_flink_does() {
    let mut failures = Vec::new();
    for (statement, flink) in CASES {
        let mut session = Session::empty();
        session.execute(BASE, 0).unwrap();
        let name = statement.split_whitespace().nth(2).unwrap();
        let got = match session.execute(statement, 0) {
            Err(e) => Err(e.message),
            Ok(_) => match session.execute(&format!("SHOW CREATE TABLE {name}"), 0).unwrap().pop() {
                Some(Outcome::Table { rows, .. }) => Ok(rows[0][0].to_string()),
                other => panic!("{other:?}"),
            },
        };
        let want = flink.map(str::to_string).map_err(str::to_string);
        if got != want {
            failures.push(format!("{statement}\n  Sluice: {got:?}\n  Flink:  {want:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Flink takes `CREATE TABLE l7 LIKE base (… EXCLUDING OPTIONS)` (a table with no connector) and
/// fails when it is read; Sluice checks a table's options when it is created (DIFFERENCES.md).
#[test]
fn a_table_left_without_a_connector_is_refused_when_created() {
    let mut session = Session::empty();
    session.execute(BASE, 0).unwrap();
    let err = session.execute("CREATE TABLE l7 LIKE base (EXCLUDING OPTIONS)", 0).unwrap_err();
    assert!(err.message.contains("no 'connector' option"), "{err}");
}
