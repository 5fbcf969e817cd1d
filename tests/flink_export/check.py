#!/usr/bin/env python3
"""Promote the walkthrough's note to production, on the real thing.

Exports the note with `sluice export`, runs the script on Apache Flink 2.3 (PyFlink, a local
mini-cluster), and checks that the rows Flink's job writes equal the rows Sluice computes for the
same input. Filesystem tables stand in for the Kinesis streams; everything else (the WATERMARK, the
HOP window, the INSERT that narrows COUNT(*) into `num INTEGER`) is the walkthrough's own SQL.

Usage: check.py PATH/TO/sluice   (run with the Python that has apache-flink==2.3.0)
"""

import glob
import json
import math
import os
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
INPUT = os.path.join(REPO, "tests", "data", "sensor_input.jsonl")

SENSOR_DATA = """%flink.ssql

CREATE TABLE sensor_data (
    sensor_id INTEGER,
    current_temperature DOUBLE,
    status VARCHAR(6),
    event_time TIMESTAMP(3),
    WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND
)
WITH (
    'connector' = 'filesystem',
    'path' = '{input}',
    'format' = 'json',
    'json.timestamp-format.standard' = 'ISO-8601'
)
"""

SENSOR_STATE = """%flink.ssql

CREATE TABLE sensor_state (
    status VARCHAR(6),
    num INTEGER,
    avg_current_temperature DOUBLE,
    hop_time TIMESTAMP(3)
)
WITH (
'connector' = 'filesystem',
'path' = '{output}',
'format' = 'json',
'json.timestamp-format.standard' = 'ISO-8601');
"""

QUERY = """SELECT sensor_data.status,
    COUNT(*) AS num,
    AVG(sensor_data.current_temperature) AS avg_current_temperature,
    HOP_ROWTIME(event_time, INTERVAL '10' second, INTERVAL '1' minute) as hop_time
FROM sensor_data
GROUP BY HOP(event_time, INTERVAL '10' second, INTERVAL '1' minute), sensor_data.status"""

INSERT = "%flink.ssql(type=update)\n\nINSERT INTO sensor_state\n" + QUERY + ";\n"


def fail(message):
    print(f"not ok - {message}")
    sys.exit(1)


def statements(script):
    """The exported script's statements: comments dropped, split at a `;` that ends a line."""
    body = "\n".join(line for line in script.splitlines() if not line.lstrip().startswith("--"))
    return [s.strip() for s in body.split(";\n") if s.strip()]


def key(row):
    return (row["status"], int(row["num"]), row["hop_time"])


def main():
    sluice = sys.argv[1]
    work = tempfile.mkdtemp(prefix="sluice-flink-")
    flink_out = os.path.join(work, "flink-out")
    note_path = os.path.join(work, "Sensors.sql")
    with open(note_path, "w") as f:
        f.write(SENSOR_DATA.format(input=INPUT) + "\n" + SENSOR_STATE.format(output=flink_out) + "\n" + INSERT)

    exported = subprocess.run([sluice, "export", note_path], capture_output=True, text=True)
    if exported.returncode != 0:
        fail(f"sluice export failed: {exported.stderr}")
    script = exported.stdout
    if "CAST(COUNT(*) AS INT) AS num" not in script:
        fail("the export did not write the CAST Flink needs:\n" + script)

    # Sluice's rows: the INSERT's query over the same file.
    sluice_script = os.path.join(work, "sluice.sql")
    with open(sluice_script, "w") as f:
        f.write(SENSOR_DATA.format(input=INPUT) + "\n%flink.ssql\n" + QUERY + ";\n")
    ran = subprocess.run([sluice, "run", sluice_script], capture_output=True, text=True)
    if ran.returncode != 0:
        fail(f"sluice run failed: {ran.stderr}")
    sluice_rows = [json.loads(line)["row"] for line in ran.stdout.splitlines() if line.strip()]

    # Flink's rows: the exported script, statement by statement, on a local mini-cluster.
    from pyflink.table import EnvironmentSettings, TableEnvironment

    started = time.time()
    env = TableEnvironment.create(EnvironmentSettings.in_streaming_mode())
    config = env.get_config()
    config.set("parallelism.default", "1")
    # A watermark after every record, as the reference outputs were produced (tests/flink/README.md).
    config.set("pipeline.auto-watermark-interval", "0")
    for statement in statements(script):
        result = env.execute_sql(statement)
        if statement.upper().startswith("INSERT"):
            result.wait()
    flink_rows = []
    for part in sorted(glob.glob(os.path.join(flink_out, "**", "*"), recursive=True)):
        if os.path.isfile(part) and not os.path.basename(part).startswith("."):
            with open(part) as f:
                flink_rows.extend(json.loads(line) for line in f if line.strip())
    print(f"# Flink ran the exported script in {time.time() - started:.1f} s: {len(flink_rows)} rows; Sluice: {len(sluice_rows)} rows")

    if len(flink_rows) == 0:
        fail("Flink wrote no rows")
    by_key = {}
    for row in sluice_rows:
        by_key.setdefault(key(row), []).append(row["avg_current_temperature"])
    mismatches = []
    for row in flink_rows:
        avgs = by_key.get(key(row))
        if not avgs:
            mismatches.append(f"Flink has {row}, Sluice does not")
            continue
        flink_avg = row["avg_current_temperature"]
        match = next((a for a in avgs if math.isclose(a, flink_avg, rel_tol=1e-9)), None)
        if match is None:
            mismatches.append(f"{key(row)}: Flink avg {flink_avg}, Sluice {avgs}")
        else:
            avgs.remove(match)
    left = [(k, v) for k, vs in by_key.items() for v in vs]
    mismatches.extend(f"Sluice has {k} avg {v}, Flink does not" for k, v in left)
    if mismatches:
        fail(f"{len(mismatches)} rows differ:\n" + "\n".join(mismatches[:20]))
    print(f"ok - Apache Flink 2.3 ran the exported note and wrote the {len(flink_rows)} rows Sluice computes")


if __name__ == "__main__":
    main()
