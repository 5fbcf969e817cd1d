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

WALKTHROUGH = os.path.join(REPO, "src", "views", "note", "walkthrough.sql")


def paragraphs(text):
    """The walkthrough file's paragraphs: a line starting with `%` begins one (as the seed note reads it)."""
    out = []
    for line in text.splitlines(keepends=True):
        if line.startswith("%"):
            out.append(line)
        elif out:
            out[-1] += line
    return [p.rstrip() for p in out]


def with_options(paragraph, options):
    """The paragraph's CREATE TABLE with its WITH (...) options replaced, and without PARTITIONED BY
    (a partitioned filesystem table would read and write directories per sensor)."""
    head = paragraph[: paragraph.index("WITH (")].replace("PARTITIONED BY (sensor_id)\n", "")
    return head + "WITH (\n" + ",\n".join(f"    '{k}' = '{v}'" for k, v in options) + "\n)\n"


# Steps 2 and 5 of the walkthrough (src/views/note/walkthrough.sql), the note the page starts from:
# the source table, the sink table and the INSERT. Filesystem options stand in for Kinesis.
STEPS = paragraphs(open(WALKTHROUGH, encoding="utf-8").read())
assert len(STEPS) == 5, f"{WALKTHROUGH}: expected the walkthrough's 5 paragraphs, found {len(STEPS)}"
FILE_FORMAT = [("format", "json"), ("json.timestamp-format.standard", "ISO-8601")]
SENSOR_DATA = with_options(STEPS[0], [("connector", "filesystem"), ("path", "{input}")] + FILE_FORMAT)
SENSOR_STATE = with_options(STEPS[3], [("connector", "filesystem"), ("path", "{output}")] + FILE_FORMAT)
INSERT = STEPS[4] + "\n"
assert INSERT.startswith("%flink.ssql(type=update)\n\nINSERT INTO sensor_state\n"), INSERT
QUERY = INSERT.split("INSERT INTO sensor_state\n", 1)[1].rstrip().rstrip(";")


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
