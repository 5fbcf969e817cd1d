#!/usr/bin/env python3
"""Prints what Apache Flink 2.3 answers to the DDL and SHOW statements whose answers are written
into tests/show_like_flink.rs, tests/create_table_like.rs, tests/alter_table.rs,
tests/show_create_view.rs and tests/create_table_as.rs (DESCRIBE of a CTAS table, its errors).

Not part of the test command; run it with the Python of scripts/setup.sh's Flink venv to remake
or check those expectations:

    ~/.cache/sluice/flink-2.3.0/bin/python tests/flink/statements.py [SESSION ...]

Each session runs its statements in order in a fresh streaming TableEnvironment and prints, per
statement, `== statement` and then each result row's cells (repr, so a DDL's line breaks show) or
`ERROR: ` and the first line of Flink's ValidationException message (`ERROR+ ` and each further
line of it).
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SENSORS = os.path.join(HERE, "..", "data", "sensor_input.jsonl")

SHOW_DDL = [
    "CREATE TABLE t1 (a INT NOT NULL, b STRING COMMENT 'the b', ts TIMESTAMP(3), c AS a + 1,"
    " PRIMARY KEY (a) NOT ENFORCED, WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)"
    " COMMENT 'tbl' PARTITIONED BY (b) WITH ('connector'='datagen', 'number-of-rows'='3')",
    "CREATE TABLE k (id INT, price DECIMAL(10, 2), ts TIMESTAMP_LTZ(3) METADATA FROM 'timestamp',"
    " part INT METADATA FROM 'partition' VIRTUAL, `offset` BIGINT METADATA VIRTUAL, pt AS PROCTIME(), arr ARRAY<STRING>,"
    " WATERMARK FOR ts AS ts) WITH ('connector'='kafka', 'topic'='x', 'properties.bootstrap.servers'='localhost:9092',"
    " 'format'='json', 'scan.startup.mode'='earliest-offset')",
    "CREATE VIEW v1 AS SELECT a, b FROM t1 WHERE a > 1",
]

LIKE_BASE = (
    "CREATE TABLE base (id INT, name STRING, ts TIMESTAMP(3), c AS id + 1,"
    " m TIMESTAMP_LTZ(3) METADATA FROM 'file.modification-time' VIRTUAL, PRIMARY KEY (id) NOT ENFORCED,"
    " WATERMARK FOR ts AS ts - INTERVAL '1' SECOND) PARTITIONED BY (name)"
    " WITH ('connector'='filesystem', 'path'='/tmp/x', 'format'='json')"
)
LIKE = [
    "CREATE TABLE l1 WITH ('path'='/tmp/y') LIKE base",
    "CREATE TABLE l2 (extra STRING) WITH ('connector'='blackhole') LIKE base (EXCLUDING ALL)",
    "CREATE TABLE l3 (extra STRING, WATERMARK FOR ts AS ts) LIKE base"
    " (OVERWRITING WATERMARKS EXCLUDING PARTITIONS EXCLUDING CONSTRAINTS)",
    "CREATE TABLE l4 (WATERMARK FOR ts AS ts) LIKE base",
    "CREATE TABLE l5 (id INT) LIKE base",
    "CREATE TABLE l6 WITH ('path'='/tmp/z') LIKE base (INCLUDING OPTIONS)",
    "CREATE TABLE l7 WITH ('connector'='blackhole') LIKE base (EXCLUDING GENERATED EXCLUDING METADATA EXCLUDING OPTIONS)",
    "CREATE TABLE l7b LIKE base (EXCLUDING OPTIONS)",
    "CREATE TABLE l8 LIKE nope",
    "CREATE TABLE l9 (c AS id + 2) LIKE base (OVERWRITING GENERATED)",
]

ALTER_BASE = (
    "CREATE TABLE t (a INT, b STRING COMMENT 'bee', ts TIMESTAMP(3), c AS a + 1, p STRING, PRIMARY KEY (a) NOT ENFORCED,"
    " WATERMARK FOR ts AS ts - INTERVAL '1' SECOND) PARTITIONED BY (p) WITH ('connector'='datagen')"
)

SENSOR_TABLE = (
    "CREATE TABLE sensor_data (sensor_id INTEGER, current_temperature DOUBLE, status VARCHAR(6),"
    " event_time TIMESTAMP(3), WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND)"
    f" WITH ('connector'='filesystem', 'path'='{SENSORS}', 'format'='json', 'json.timestamp-format.standard'='ISO-8601')"
)

SESSIONS = {
    # tests/show_like_flink.rs
    "show": SHOW_DDL + [
        "SHOW CREATE TABLE t1", "SHOW CREATE TABLE k", "SHOW CREATE TABLE nope",
        "SHOW COLUMNS FROM t1", "SHOW COLUMNS FROM t1 LIKE '%s'", "SHOW COLUMNS FROM k NOT LIKE '%a%'",
        "SHOW TABLES", "SHOW TABLES LIKE 't%'", "SHOW TABLES FROM default_database NOT LIKE 't%'", "SHOW VIEWS",
        "SHOW CATALOGS", "SHOW DATABASES", "SHOW CURRENT CATALOG", "SHOW CURRENT DATABASE",
        "USE CATALOG default_catalog", "USE default_database", "USE default_catalog.default_database",
        "USE CATALOG nope", "USE nope",
        "SHOW MODULES", "SHOW FULL MODULES", "SHOW JARS", "SHOW MODELS", "SHOW MATERIALIZED TABLES", "SHOW PROCEDURES", "USE MODULES core", "USE MODULES hive", "USE MODULES core, core",
    ],
    # tests/create_table_like.rs: each statement after the base table (SHOW CREATE TABLE of the
    # table it makes, or its error)
    "like": [LIKE_BASE] + [s for stmt in LIKE for s in (stmt, "SHOW CREATE TABLE " + stmt.split()[2])],
    # tests/alter_table.rs
    "alter": [
        "CREATE TABLE t1 (a INT, b STRING) WITH ('connector'='datagen', 'number-of-rows'='3')",
        "CREATE VIEW v1 AS SELECT a FROM t1",
        "ALTER TABLE t1 SET ('number-of-rows'='5', 'fields.a.min'='1')", "SHOW CREATE TABLE t1",
        "ALTER TABLE t1 RESET ('fields.a.min')", "ALTER TABLE t1 RESET ('connector')",
        "ALTER TABLE t1 SET ('bogus'='1')", "SHOW CREATE TABLE t1",
        "ALTER TABLE t1 RENAME TO t2", "SHOW TABLES", "ALTER TABLE t2 RENAME TO v1",
        "ALTER VIEW v1 RENAME TO v2", "SHOW TABLES",
        "ALTER TABLE nope SET ('a'='b')", "ALTER TABLE IF EXISTS nope SET ('a'='b')", "ALTER TABLE v2 SET ('a'='b')",
    ],
    # tests/alter_table.rs: ADD / MODIFY / DROP on a table with every kind of part
    "alter_schema": [
        ALTER_BASE,
        "ALTER TABLE t ADD d INT", "ALTER TABLE t ADD e STRING COMMENT 'the e' FIRST",
        "ALTER TABLE t ADD (f AS a * 2 AFTER a, g INT NOT NULL)", "SHOW CREATE TABLE t",
        "ALTER TABLE t MODIFY b VARCHAR(10)", "ALTER TABLE t MODIFY d BIGINT FIRST", "ALTER TABLE t MODIFY c AS a + 2 AFTER ts",
        "ALTER TABLE t MODIFY (WATERMARK FOR ts AS ts, PRIMARY KEY (a, g) NOT ENFORCED)", "SHOW CREATE TABLE t", "DESCRIBE t",
        "ALTER TABLE t DROP (e, f)", "ALTER TABLE t DROP PRIMARY KEY", "ALTER TABLE t DROP WATERMARK", "SHOW CREATE TABLE t",
        "ALTER TABLE t DROP (c, a)", "SHOW CREATE TABLE t",
        "ALTER TABLE t ADD (x INT, CONSTRAINT my_pk PRIMARY KEY (x) NOT ENFORCED)", "SHOW CREATE TABLE t",
        "ALTER TABLE t DROP CONSTRAINT PK_x", "ALTER TABLE t DROP CONSTRAINT my_pk", "SHOW CREATE TABLE t",
    ],
    # tests/alter_table.rs: each misuse on a fresh ALTER_BASE
    "alter_schema_errors": [
        ALTER_BASE,
        "ALTER TABLE t ADD a INT", "ALTER TABLE t ADD x INT AFTER nope", "ALTER TABLE t ADD (y INT AFTER z, z INT)",
        "ALTER TABLE t ADD (g INT, g STRING)", "ALTER TABLE t ADD WATERMARK FOR ts AS ts",
        "ALTER TABLE t ADD PRIMARY KEY (b) NOT ENFORCED", "ALTER TABLE t ADD PRIMARY KEY (b)",
        "ALTER TABLE t MODIFY nope INT", "ALTER TABLE t MODIFY ts INT", "ALTER TABLE t MODIFY PRIMARY KEY (a, nope) NOT ENFORCED",
        "ALTER TABLE t DROP nope", "ALTER TABLE t DROP (b, b)", "ALTER TABLE t DROP a", "ALTER TABLE t DROP ts", "ALTER TABLE t DROP p",
        "ALTER TABLE t DROP CONSTRAINT nope",
        "CREATE TABLE plain (a INT, p INT, PRIMARY KEY (p) NOT ENFORCED) WITH ('connector'='datagen')",
        "ALTER TABLE plain DROP p", "ALTER TABLE plain MODIFY WATERMARK FOR a AS a", "ALTER TABLE plain DROP WATERMARK",
        "ALTER TABLE plain DROP PRIMARY KEY", "ALTER TABLE plain MODIFY PRIMARY KEY (a) NOT ENFORCED",
        "ALTER TABLE plain DROP CONSTRAINT PK_p",
        "ALTER TABLE nope ADD x INT", "ALTER TABLE IF EXISTS nope DROP x",
        "CREATE TABLE q (x INT, y INT, CONSTRAINT my_pk PRIMARY KEY (x) NOT ENFORCED) WITH ('connector'='datagen')",
        "SHOW CREATE TABLE q", "ALTER TABLE q DROP CONSTRAINT PK_x", "CREATE TABLE l LIKE q", "SHOW CREATE TABLE l",
    ],
    # tests/alter_table.rs: RENAME col TO new (ALTER_BASE's table, then a key and a metadata column)
    "alter_rename": [
        ALTER_BASE,
        "ALTER TABLE t RENAME b TO b2", "ALTER TABLE t RENAME c TO c2", "DESCRIBE t", "SHOW CREATE TABLE t",
        "ALTER TABLE t RENAME a TO a2", "ALTER TABLE t RENAME ts TO ts2", "ALTER TABLE t RENAME p TO p2",
        "ALTER TABLE t RENAME nope TO x", "ALTER TABLE t RENAME b2 TO a", "ALTER TABLE t RENAME b2 TO `b2`",
        "ALTER TABLE nope RENAME b TO x", "ALTER TABLE IF EXISTS nope RENAME b TO x",
        "CREATE VIEW v AS SELECT a FROM t", "ALTER TABLE v RENAME a TO x",
        "CREATE TABLE k (id INT, v STRING, PRIMARY KEY (id) NOT ENFORCED) WITH ('connector'='datagen')",
        "ALTER TABLE k RENAME id TO id2", "SHOW CREATE TABLE k", "ALTER TABLE k DROP CONSTRAINT PK_id",
        "CREATE TABLE m (id INT, ts TIMESTAMP_LTZ(3) METADATA FROM 'timestamp' COMMENT 'x') WITH ('connector'='kafka',"
        " 'topic'='t', 'properties.bootstrap.servers'='localhost:9092', 'format'='json')",
        "ALTER TABLE m RENAME ts TO ts2", "SHOW CREATE TABLE m",
    ],
    # tests/alter_table.rs: ALTER VIEW … AS
    "alter_view": [
        "CREATE TABLE t (a INT, b STRING) WITH ('connector'='datagen')",
        "CREATE VIEW v (x) COMMENT 'the v' AS SELECT a FROM t", "CREATE VIEW w AS SELECT x FROM v",
        "ALTER VIEW v AS SELECT b FROM t", "DESCRIBE v", "SHOW CREATE VIEW v", "DESCRIBE w",
        "ALTER VIEW v AS SELECT nope FROM t", "ALTER VIEW nov AS SELECT b FROM t", "ALTER VIEW t AS SELECT b FROM t",
        "ALTER VIEW v AS SELECT a, b FROM t", "DESCRIBE v",
    ],
    # tests/show_create_view.rs
    "views": [
        "CREATE TABLE t1 (a INT NOT NULL, b STRING COMMENT 'the b', ts TIMESTAMP(3), WATERMARK FOR ts AS ts)"
        " WITH ('connector'='datagen')",
        "CREATE VIEW v1 AS SELECT a, b FROM t1 WHERE a > 1",
        "CREATE VIEW v2 (x, y) AS SELECT a, UPPER(b) FROM t1",
        "CREATE VIEW v4 COMMENT 'four' AS SELECT COUNT(*) AS n, b FROM t1 GROUP BY b",
        "CREATE VIEW v6 (x) AS SELECT a, b FROM t1",
        "SHOW VIEWS", "SHOW VIEWS LIKE 'v_'", "SHOW VIEWS FROM default_database NOT LIKE '%1'",
        "SHOW CREATE VIEW v1", "SHOW CREATE VIEW v2", "SHOW CREATE VIEW v4",
        "SHOW CREATE VIEW nope", "SHOW CREATE VIEW t1", "SHOW CREATE TABLE v1",
        "DESCRIBE v2", "DESCRIBE EXTENDED t1", "DESC EXTENDED v1", "DESCRIBE nope", "DESCRIBE EXTENDED nope",
        "CREATE OR REPLACE VIEW v1 AS SELECT b FROM t1", "DESCRIBE v1", "CREATE OR REPLACE VIEW t1 AS SELECT 1",
        "CREATE OR REPLACE TEMPORARY VIEW v7 AS SELECT a FROM t1", "SHOW VIEWS",
    ],
    # tests/create_table_as.rs: CTAS with declared columns, a watermark, a key; RTAS
    "ctas_declared": [
        "CREATE TABLE src (a INT, b STRING, ts TIMESTAMP(3)) WITH ('connector'='datagen')",
        "CREATE VIEW v AS SELECT a FROM src",
        "CREATE TABLE c1 (x STRING, WATERMARK FOR ts AS ts) WITH ('connector'='blackhole') AS SELECT a, ts FROM src",
        "SHOW CREATE TABLE c1",
        "CREATE TABLE c2 (b VARCHAR(20) COMMENT 'bee', a BIGINT) WITH ('connector'='blackhole') AS SELECT a, b FROM src",
        "SHOW CREATE TABLE c2",
        "CREATE TABLE c3 (a BIGINT, PRIMARY KEY (a) NOT ENFORCED) WITH ('connector'='blackhole') AS SELECT a, b FROM src",
        "CREATE TABLE c4 (b INT) WITH ('connector'='blackhole') AS SELECT a, b FROM src",
        "CREATE TABLE c5 (n INT NOT NULL) WITH ('connector'='blackhole') AS SELECT a FROM src",
        "CREATE TABLE c6 (x INT, x INT) WITH ('connector'='blackhole') AS SELECT a FROM src",
        "CREATE TABLE c7 (a INT NOT NULL, PRIMARY KEY (a) NOT ENFORCED) WITH ('connector'='blackhole')"
        " AS SELECT COALESCE(a, 0) AS a, b FROM src",
        "SHOW CREATE TABLE c7",
        "CREATE TABLE c8 (c AS a + 1, d AS c + 1) WITH ('connector'='blackhole') AS SELECT a FROM src",
        "CREATE TABLE c8 (c AS a + 1) WITH ('connector'='blackhole') AS SELECT a FROM src", "SHOW CREATE TABLE c8",
        "CREATE OR REPLACE TABLE r WITH ('connector'='blackhole') AS SELECT a FROM src", "SHOW CREATE TABLE r",
        "CREATE OR REPLACE TABLE r (z INT) WITH ('connector'='blackhole') AS SELECT a, b FROM src", "SHOW CREATE TABLE r",
        "CREATE OR REPLACE TABLE IF NOT EXISTS r WITH ('connector'='blackhole') AS SELECT a FROM src",
        "CREATE OR REPLACE TEMPORARY TABLE r2 WITH ('connector'='blackhole') AS SELECT a FROM src",
        "CREATE OR REPLACE TABLE v WITH ('connector'='blackhole') AS SELECT a FROM src",
        "CREATE OR REPLACE TABLE r3 (a INT) WITH ('connector'='blackhole')", "SHOW CREATE TABLE r3",
        "CREATE OR REPLACE TABLE r3 (b INT) WITH ('connector'='blackhole')",
    ],
    # tests/create_table_as.rs (the rows CTAS prints are the golden case ctas_print_counts)
    "ctas": [
        SENSOR_TABLE,
        "CREATE TABLE c1 WITH ('connector'='blackhole') AS SELECT status, COUNT(*) AS n, MAX(event_time) AS last_time"
        " FROM sensor_data GROUP BY status",
        "DESCRIBE c1",
        "CREATE TABLE c2 WITH ('connector'='blackhole') AS SELECT sensor_id, sensor_id, status, event_time, 1 FROM sensor_data",
        "DESCRIBE c2",
        "CREATE TABLE c2 WITH ('connector'='blackhole') AS SELECT sensor_id FROM sensor_data",
        "CREATE TABLE IF NOT EXISTS c2 WITH ('connector'='blackhole') AS SELECT sensor_id FROM sensor_data",
        "CREATE TEMPORARY TABLE c5 WITH ('connector'='blackhole') AS SELECT sensor_id FROM sensor_data",
        "CREATE TABLE c6 WITH ('connector'='filesystem', 'path'='/tmp/sluice-ctas-c6', 'format'='json')"
        " AS SELECT status, COUNT(*) AS n FROM sensor_data GROUP BY status",
        "DESCRIBE c6",
        "CREATE TABLE c10 WITH ('connector'='blackhole') AS SELECT sensor_id, PROCTIME() AS pt FROM sensor_data",
        "DESCRIBE c10",
    ],
}


def run(name):
    from pyflink.table import EnvironmentSettings, TableEnvironment

    env = TableEnvironment.create(EnvironmentSettings.in_streaming_mode())
    env.get_config().set("parallelism.default", "1")
    print(f"# session {name}")
    for statement in SESSIONS[name]:
        print("==", statement)
        try:
            result = env.execute_sql(statement)
            if result.get_job_client() is not None:
                # CTAS starts a job: its rows are not this script's business.
                result.get_job_client().cancel()
                continue
            with result.collect() as rows:
                for row in rows:
                    print("  " + " | ".join(repr(cell) for cell in row))
        except Exception as e:  # Flink's ValidationException, through py4j
            # The message is on the line naming the exception.
            lines = [l for l in str(e).splitlines() if "Exception: " in l]
            print("ERROR:", lines[0].split("Exception: ", 1)[1] if lines else str(e).splitlines()[0])
            # The message's further lines, up to the stack trace: ALTER TABLE's own words follow
            # its first line, "Failed to execute ALTER TABLE statement.".
            text = str(e).splitlines()
            start = text.index(lines[0]) + 1 if lines else len(text)
            for line in text[start:]:
                if line.startswith("\tat ") or line.startswith("Caused by"):
                    break
                print("ERROR+", line)


def main():
    for name in sys.argv[1:] or list(SESSIONS):
        run(name)


if __name__ == "__main__":
    main()
