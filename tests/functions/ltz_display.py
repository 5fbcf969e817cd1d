#!/usr/bin/env python3
"""Prints what goes in `ltz_display.txt`: how Apache Flink 2.3 shows TIMESTAMP_LTZ values with the session
time zone 'America/Los_Angeles' — the result table its SQL client prints (`TableResult.print()`:
the wall-clock time in the session zone) — for instants around the 2020 DST changes.
`tests/session_modes.rs` shows the same query's result through Sluice's session and compares.

    ~/.cache/sluice/flink-2.3.0/bin/python tests/functions/ltz_display.py > tests/functions/ltz_display.txt

(The table is printed by Flink's JVM to the process's standard output, so it is redirected there.)
"""

import os
import sys
import tempfile

INPUT = '{"id": 1, "ms": 1583661599000}\n{"id": 2, "ms": 1583661600000}\n{"id": 3, "ms": 1604219400000}\n{"id": 4, "ms": 0}\n'
TABLE = "CREATE TABLE t (id INT, ms BIGINT) WITH ('connector' = 'filesystem', 'path' = '{input}', 'format' = 'json')"
QUERY = "SELECT id, TO_TIMESTAMP_LTZ(ms, 3) AS l FROM t"


def main():
    from pyflink.table import EnvironmentSettings, TableEnvironment

    env = TableEnvironment.create(EnvironmentSettings.in_streaming_mode())
    env.get_config().set("parallelism.default", "1")
    env.get_config().set("table.local-time-zone", "America/Los_Angeles")
    path = os.path.join(tempfile.mkdtemp(), "input.jsonl")
    with open(path, "w", encoding="utf-8") as f:
        f.write(INPUT)
    env.execute_sql(TABLE.replace("{input}", path))
    print(f"-- input\n{INPUT}-- table\n{TABLE}\n-- query\n{QUERY}\n-- printed", flush=True)
    env.execute_sql(QUERY).print()
    sys.stdout.flush()


if __name__ == "__main__":
    main()
