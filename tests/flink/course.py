#!/usr/bin/env python3
"""Runs the course's exercises (src/views/exercise/course/) on Apache Flink 2.3 and writes what
Flink produced to tests/flink/course.jsonl, one line per run: the exercise, the query's role
(`solution`, or `start` for the watermark exercise's starting query), Flink's watermark interval
(`0`: a watermark after every record, as Sluice emits them; `200`: Flink's default periodic
one), and the final rows as strings. tests/exercises.rs checks the course's `[expect rows]`
equal them. Not part of the test command; run it with the Python of scripts/setup.sh's Flink:

    ~/.cache/sluice/flink-2.3.0/bin/python tests/flink/course.py
"""

import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
COURSE = os.path.join(os.path.dirname(os.path.dirname(HERE)), "src", "views", "exercise", "course")
OUT = os.path.join(HERE, "course.jsonl")

QUERIES = {
    "tumble": "SELECT window_start, window_end, sensor_id, COUNT(*) AS readings "
    "FROM TABLE(TUMBLE(TABLE readings, DESCRIPTOR(event_time), INTERVAL '10' SECOND)) GROUP BY window_start, window_end, sensor_id",
    "hop": "SELECT window_start, window_end, MAX(temperature) AS max_temp "
    "FROM TABLE(HOP(TABLE readings, DESCRIPTOR(event_time), INTERVAL '5' SECOND, INTERVAL '10' SECOND)) GROUP BY window_start, window_end",
    "watermark": "SELECT window_start, window_end, COUNT(*) AS readings "
    "FROM TABLE(TUMBLE(TABLE hasty7, DESCRIPTOR(event_time), INTERVAL '10' SECOND)) GROUP BY window_start, window_end",
    "watermark-start": "SELECT window_start, window_end, COUNT(*) AS readings "
    "FROM TABLE(TUMBLE(TABLE hasty2, DESCRIPTOR(event_time), INTERVAL '10' SECOND)) GROUP BY window_start, window_end",
    "join": "SELECT s.location, r.temperature FROM readings AS r JOIN sensors AS s ON r.sensor_id = s.sensor_id WHERE r.status = 'ERROR'",
    "match-recognize": "SELECT * FROM readings MATCH_RECOGNIZE (PARTITION BY sensor_id ORDER BY event_time "
    "MEASURES FIRST(A.event_time) AS failed_at, B.event_time AS recovered_at ONE ROW PER MATCH "
    "AFTER MATCH SKIP PAST LAST ROW PATTERN (A+ B) DEFINE A AS A.status = 'ERROR', B AS B.status = 'OK')",
}


def run(interval, names):
    from pyflink.table import EnvironmentSettings, TableEnvironment

    env = TableEnvironment.create(EnvironmentSettings.in_streaming_mode())
    env.get_config().set("parallelism.default", "1")
    env.get_config().set("pipeline.auto-watermark-interval", interval)
    readings = os.path.join(COURSE, "readings.jsonl")
    for name, delay in [("readings", 10), ("hasty2", 2), ("hasty7", 7)]:
        env.execute_sql(
            f"CREATE TABLE {name} (sensor_id INT, temperature DOUBLE, status STRING, event_time TIMESTAMP(3), "
            f"WATERMARK FOR event_time AS event_time - INTERVAL '{delay}' SECOND) WITH ('connector' = 'filesystem', "
            f"'path' = '{readings}', 'format' = 'json', 'json.timestamp-format.standard' = 'ISO-8601')"
        )
    env.execute_sql(
        f"CREATE TABLE sensors (sensor_id INT, location STRING) WITH ('connector' = 'filesystem', "
        f"'path' = '{os.path.join(COURSE, 'sensors.jsonl')}', 'format' = 'json')"
    )
    out = []
    for name in names:
        rows = []
        with env.execute_sql(QUERIES[name]).collect() as it:
            for r in it:
                kind = str(r.get_row_kind())
                cells = [str(x) for x in r]
                if kind in ("+I", "+U"):  # RowKind prints as Flink's short string
                    rows.append(cells)
                else:
                    rows.remove(cells)
        start = name.endswith("-start")
        exercise = name[: -len("-start")] if start else name
        out.append({"exercise": exercise, "query": "start" if start else "solution", "interval": interval, "rows": sorted(rows)})
        print(name, interval, len(rows), file=sys.stderr, flush=True)
    return out


def main():
    lines = run("0", list(QUERIES)) + run("200", ["watermark-start"])
    with open(OUT, "w") as f:
        for line in lines:
            f.write(json.dumps(line) + "\n")


if __name__ == "__main__":
    main()
