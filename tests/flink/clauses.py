#!/usr/bin/env python3
"""Prints what Apache Flink 2.3 answers to the clauses tests/clauses.rs checks: ORDER BY a column
the SELECT list leaves out, LIMIT without ORDER BY over an updating input, a grouping set
listed twice told apart by GROUP_ID(), RANK() / DENSE_RANK() as OVER aggregates.

Not part of the test command; run it with the Python of scripts/setup.sh's Flink venv to remake
or check the expectations written into tests/clauses.rs:

    ~/.cache/sluice/flink-2.3.0/bin/python tests/flink/clauses.py [NAME ...]

Every query reads six records as the `sensor_data` table of tests/common (streaming mode,
parallelism 1, a watermark after every record): RECORDS (tests/clauses.rs's `records()`), or
TIES for TIES_QUERIES (`ties()`: equal times, temperatures out of order). Per query it
prints `== name: query`, then every change in emission order (`+I OK 1`: the kind, then the
cells, NULL for null), or `ERROR: ` and the line of Flink's exception that carries its message
(`CAUSE: ` and the innermost one, when it says more).
"""

import json
import os
import sys
import tempfile

# tests/clauses.rs's records(): (sensor_id, current_temperature, status, time after 11:00)
RECORDS = [
    (1, 10.0, "OK", "20:01.000"),
    (2, 20.0, "OK", "20:15.000"),
    (1, 30.0, "ERROR", "20:25.000"),
    (1, 40.0, "OK", "20:45.000"),
    (3, 50.0, "OK", "21:05.000"),
    (2, 60.0, "OK", "21:30.000"),
]

# tests/clauses.rs's ties(): equal times, temperatures out of order (the queries in TIES read these)
TIES = [
    (1, 30.0, "OK", "20:01.000"),
    (2, 10.0, "OK", "20:01.000"),
    (1, 20.0, "ERROR", "20:05.000"),
    (3, 20.0, "OK", "20:10.000"),
    (2, 5.0, "OK", "20:20.000"),
    (1, 40.0, "OK", "20:20.000"),
]

COUNTS = "(SELECT status, COUNT(*) AS n, MAX(current_temperature) AS hi FROM sensor_data GROUP BY status)"

QUERIES = {
    # 1. ORDER BY what the SELECT list leaves out
    "order_hidden_time": "SELECT status FROM sensor_data ORDER BY event_time",
    "order_hidden_time_then_other": "SELECT status FROM sensor_data ORDER BY event_time, current_temperature DESC",
    "order_hidden_expression_time": "SELECT sensor_id FROM sensor_data ORDER BY event_time, sensor_id + current_temperature",
    "order_hidden_not_time": "SELECT status FROM sensor_data ORDER BY current_temperature",
    "order_hidden_time_desc": "SELECT status FROM sensor_data ORDER BY event_time DESC",
    "order_hidden_limit": "SELECT sensor_id FROM sensor_data ORDER BY current_temperature DESC LIMIT 2",
    "order_hidden_fetch": "SELECT status FROM sensor_data ORDER BY current_temperature DESC OFFSET 1 ROWS FETCH NEXT 2 ROWS ONLY",
    "order_hidden_expression_limit": "SELECT status FROM sensor_data ORDER BY sensor_id * -1, current_temperature LIMIT 3",
    "order_hidden_qualified": "SELECT s.status FROM sensor_data AS s ORDER BY s.current_temperature LIMIT 1",
    "order_hidden_alias_first": "SELECT sensor_id AS current_temperature FROM sensor_data ORDER BY current_temperature DESC LIMIT 2",
    "order_hidden_group_key": "SELECT COUNT(*) AS n FROM sensor_data GROUP BY status ORDER BY status LIMIT 5",
    "order_hidden_aggregate": "SELECT status FROM sensor_data GROUP BY status ORDER BY MAX(current_temperature) DESC LIMIT 1",
    "order_hidden_not_grouped": "SELECT status FROM sensor_data GROUP BY status ORDER BY sensor_id LIMIT 1",
    "order_hidden_distinct": "SELECT DISTINCT status FROM sensor_data ORDER BY current_temperature LIMIT 1",
    "order_hidden_union": "SELECT status FROM sensor_data UNION ALL SELECT status FROM sensor_data ORDER BY current_temperature LIMIT 1",
    "order_hidden_unknown": "SELECT status FROM sensor_data ORDER BY nope LIMIT 1",
    "order_hidden_subquery": f"SELECT status FROM {COUNTS} ORDER BY hi DESC LIMIT 1",
    "order_ordinal_out_of_range": "SELECT * FROM sensor_data ORDER BY 9 LIMIT 2",
    "order_alias_in_expression": "SELECT sensor_id AS id FROM sensor_data ORDER BY id * -1, current_temperature LIMIT 2",
    "order_hidden_window": "SELECT COUNT(*) AS n FROM TABLE(TUMBLE(TABLE sensor_data, DESCRIPTOR(event_time), INTERVAL '1' MINUTE))"
    " GROUP BY window_start, window_end ORDER BY window_start DESC LIMIT 1",
    # 2. LIMIT without ORDER BY over an updating input
    "limit_updating": f"SELECT status, n FROM {COUNTS} LIMIT 1",
    "limit_updating_two": f"SELECT * FROM {COUNTS} LIMIT 2",
    "limit_updating_offset": f"SELECT status, n FROM {COUNTS} LIMIT 1 OFFSET 1",
    "limit_updating_fetch": f"SELECT n FROM {COUNTS} FETCH FIRST 1 ROWS ONLY",
    "limit_zero_updating": f"SELECT status, n FROM {COUNTS} LIMIT 0",
    "order_limit_zero_updating": f"SELECT status FROM {COUNTS} ORDER BY n LIMIT 0",
    # 3. a grouping set listed twice
    "group_id_twice": "SELECT status, COUNT(*) AS n, GROUP_ID() AS g FROM sensor_data GROUP BY GROUPING SETS ((status), (status))",
    "group_id_three": "SELECT sensor_id, COUNT(*) AS n, GROUP_ID() AS g, GROUPING(sensor_id) AS gs FROM sensor_data"
    " GROUP BY GROUPING SETS ((sensor_id), (), (sensor_id), ())",
    "group_id_rollup_twice": "SELECT status, sensor_id, COUNT(*) AS n, GROUP_ID() AS g FROM sensor_data"
    " GROUP BY GROUPING SETS ((status, sensor_id), (status), (), (status))",
    "group_id_full_twice": "SELECT status, sensor_id, COUNT(*) AS n, GROUP_ID() AS g FROM sensor_data"
    " GROUP BY GROUPING SETS ((status, sensor_id), (status), (), (status, sensor_id))",
    "group_id_plain_key": "SELECT status, sensor_id, COUNT(*) AS n, GROUP_ID() AS g FROM sensor_data"
    " GROUP BY status, GROUPING SETS ((sensor_id), (sensor_id))",
    "group_id_once": "SELECT status, COUNT(*) AS n, GROUP_ID() AS g FROM sensor_data GROUP BY GROUPING SETS ((status), ())",
    "group_id_no_select": "SELECT status, COUNT(*) AS n FROM sensor_data GROUP BY GROUPING SETS ((status), (status))",
    "group_id_window": "SELECT window_start, status, COUNT(*) AS n, GROUP_ID() AS g"
    " FROM TABLE(TUMBLE(TABLE sensor_data, DESCRIPTOR(event_time), INTERVAL '1' MINUTE))"
    " GROUP BY window_start, window_end, GROUPING SETS ((status), (status))",
    # 4. RANK() / DENSE_RANK() as OVER aggregates
    "rank_time": "SELECT sensor_id, RANK() OVER (ORDER BY event_time) AS r FROM sensor_data",
    "dense_rank_time": "SELECT sensor_id, DENSE_RANK() OVER (ORDER BY event_time) AS r FROM sensor_data",
    "rank_partition_time": "SELECT sensor_id, RANK() OVER (PARTITION BY sensor_id ORDER BY event_time) AS r FROM sensor_data",
    "dense_rank_partition_time": "SELECT sensor_id, DENSE_RANK() OVER (PARTITION BY status ORDER BY event_time) AS r FROM sensor_data",
    "rank_not_time": "SELECT sensor_id, RANK() OVER (ORDER BY current_temperature) AS r FROM sensor_data",
    "rank_partition_not_time": "SELECT sensor_id, RANK() OVER (PARTITION BY status ORDER BY current_temperature) AS r FROM sensor_data",
    "row_number_time": "SELECT sensor_id, ROW_NUMBER() OVER (ORDER BY event_time) AS r FROM sensor_data",
    "rank_with_sum": "SELECT sensor_id, RANK() OVER w AS r, SUM(current_temperature) OVER w AS s FROM sensor_data"
    " WINDOW w AS (PARTITION BY status ORDER BY event_time)",
    "rank_plus_one": "SELECT sensor_id, RANK() OVER (ORDER BY event_time) + 1 AS r FROM sensor_data",
    "row_number_with_sum": "SELECT sensor_id, ROW_NUMBER() OVER w AS r, SUM(current_temperature) OVER w AS s FROM sensor_data"
    " WINDOW w AS (ORDER BY event_time)",
    "rank_with_sum_filtered": "SELECT * FROM (SELECT sensor_id, RANK() OVER w AS r, SUM(current_temperature) OVER w AS s"
    " FROM sensor_data WINDOW w AS (ORDER BY event_time)) WHERE r <= 2",
    "rank_no_order": "SELECT sensor_id, RANK() OVER () AS r FROM sensor_data",
    "row_number_no_order": "SELECT sensor_id, ROW_NUMBER() OVER (PARTITION BY status) AS r FROM sensor_data",
    "rank_no_over": "SELECT RANK() FROM sensor_data GROUP BY status",
    "rank_rows_frame": "SELECT sensor_id, RANK() OVER (ORDER BY event_time ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS r FROM sensor_data",
    "rank_time_desc": "SELECT sensor_id, RANK() OVER (ORDER BY event_time DESC) AS r FROM sensor_data",
}

# Over TIES
TIES_QUERIES = {
    "ties_rank_time": "SELECT sensor_id, RANK() OVER (ORDER BY event_time) AS r FROM sensor_data",
    "ties_dense_rank_time": "SELECT sensor_id, DENSE_RANK() OVER (ORDER BY event_time) AS r FROM sensor_data",
    "ties_row_number_time": "SELECT sensor_id, ROW_NUMBER() OVER (ORDER BY event_time) AS r FROM sensor_data",
    "ties_rank_partition_time": "SELECT sensor_id, RANK() OVER (PARTITION BY status ORDER BY event_time) AS r FROM sensor_data",
    "ties_rank_not_time": "SELECT sensor_id, current_temperature, RANK() OVER (ORDER BY current_temperature) AS r FROM sensor_data",
    "ties_dense_rank_not_time": "SELECT sensor_id, current_temperature, DENSE_RANK() OVER (ORDER BY current_temperature) AS r FROM sensor_data",
    "ties_row_number_not_time": "SELECT sensor_id, current_temperature, ROW_NUMBER() OVER (ORDER BY current_temperature) AS r FROM sensor_data",
    "ties_rank_partition_not_time": "SELECT sensor_id, RANK() OVER (PARTITION BY status ORDER BY current_temperature DESC) AS r FROM sensor_data",
    "ties_rank_time_then_other": "SELECT sensor_id, RANK() OVER (ORDER BY event_time, current_temperature) AS r FROM sensor_data",
    "ties_row_number_desc_not_time": "SELECT sensor_id, ROW_NUMBER() OVER (PARTITION BY status ORDER BY current_temperature DESC) AS r"
    " FROM sensor_data",
    "ties_rank_top_n": "SELECT * FROM (SELECT sensor_id, RANK() OVER (ORDER BY event_time) AS r FROM sensor_data) WHERE r <= 2",
    "ties_rank_in_view": "SELECT r FROM (SELECT sensor_id, RANK() OVER (PARTITION BY sensor_id ORDER BY event_time) AS r FROM sensor_data)"
    " WHERE sensor_id = 1",
    "ties_sum_time": "SELECT sensor_id, SUM(current_temperature) OVER (ORDER BY event_time) AS s FROM sensor_data",
}
ALL = {**QUERIES, **TIES_QUERIES}


def sensor_table(path):
    return (
        "CREATE TABLE sensor_data (sensor_id INTEGER, current_temperature DOUBLE, status VARCHAR(6),"
        " event_time TIMESTAMP(3), WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND)"
        f" WITH ('connector'='filesystem', 'path'='{path}', 'format'='json', 'json.timestamp-format.standard'='ISO-8601')"
    )


def main():
    from pyflink.common import RowKind
    from pyflink.table import EnvironmentSettings, TableEnvironment

    names = sys.argv[1:] or list(ALL)
    with tempfile.TemporaryDirectory() as d:
        envs = {}
        for key, records in [("records", RECORDS), ("ties", TIES)]:
            path = os.path.join(d, f"{key}.jsonl")
            with open(path, "w") as f:
                for s, t, st, time in records:
                    f.write(json.dumps({"sensor_id": s, "current_temperature": t, "status": st, "event_time": f"2021-05-19T11:{time}"}) + "\n")
            env = TableEnvironment.create(EnvironmentSettings.in_streaming_mode())
            env.get_config().set("parallelism.default", "1")
            env.get_config().set("pipeline.auto-watermark-interval", "0")
            env.execute_sql(sensor_table(path))
            envs[key] = env
        kinds = {RowKind.INSERT: "+I", RowKind.UPDATE_BEFORE: "-U", RowKind.UPDATE_AFTER: "+U", RowKind.DELETE: "-D"}
        for name in names:
            query = ALL[name]
            env = envs["ties" if name in TIES_QUERIES else "records"]
            print(f"== {name}: {query}", flush=True)
            try:
                with env.execute_sql(query).collect() as it:
                    for row in it:
                        print(f"  {kinds[row.get_row_kind()]} {' '.join('NULL' if c is None else str(c) for c in row)}", flush=True)
            except Exception as e:  # Flink's exception, through py4j
                # The first line naming an exception, and the innermost cause when it says more.
                lines = [l.split("Exception: ", 1)[1] for l in str(e).splitlines() if "Exception: " in l]
                print("ERROR:", lines[0] if lines else str(e).splitlines()[0], flush=True)
                if len(lines) > 1 and lines[-1] != lines[0]:
                    print("CAUSE:", lines[-1], flush=True)


if __name__ == "__main__":
    main()
