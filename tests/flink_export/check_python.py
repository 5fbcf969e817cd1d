#!/usr/bin/env python3
"""A note with a Python UDF, promoted to production as a PyFlink program, on the real thing.

The note (python_udf_note.sql) defines `c_to_f` (Celsius → Fahrenheit) with PyFlink's @udf in a
%flink.pyflink paragraph and uses it in the walkthrough's HOP query, over a file. `sluice export`
turns it into a .py program; this runs that program unchanged on PyFlink 2.3 (a local
mini-cluster, the Beam-based Python worker running the UDF) and checks that the rows its INSERT
writes equal python_udf_rows.jsonl, the rows tests/user_functions.rs
(`the_python_udf_note_gives_flinks_rows`) checks Sluice gives for the same note, with a Rust
host running the same function (natively nothing runs Python). `--write` makes that file from
Flink's rows.

Usage: check_python.py PATH/TO/sluice [--write]   (run with the Python that has apache-flink==2.3.0)
"""

import glob
import json
import math
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
INPUT = os.path.join(REPO, "tests", "data", "sensor_input.jsonl")
NOTE = os.path.join(HERE, "python_udf_note.sql")
ROWS = os.path.join(HERE, "python_udf_rows.jsonl")


def fail(message):
    print(f"not ok - {message}")
    sys.exit(1)


def key(row):
    return (row["status"], int(row["num"]), row["hop_time"])


def main():
    sluice = sys.argv[1]
    write = "--write" in sys.argv[2:]
    work = tempfile.mkdtemp(prefix="sluice-pyflink-")
    flink_out = os.path.join(work, "flink-out")
    note_path = os.path.join(work, "PythonUdf.sql")
    with open(NOTE, encoding="utf-8") as f:
        note = f.read().replace("{input}", INPUT).replace("{output}", flink_out)
    with open(note_path, "w", encoding="utf-8") as f:
        f.write(note)

    exported = subprocess.run([sluice, "export", note_path], capture_output=True, text=True)
    if exported.returncode != 0:
        fail(f"sluice export failed: {exported.stderr}")
    program = exported.stdout
    if not program.startswith("# PyFlink program exported by Sluice"):
        fail("a note with a Python paragraph did not export as a PyFlink program:\n" + program)
    program_path = os.path.join(work, "python_udf.py")
    with open(program_path, "w", encoding="utf-8") as f:
        f.write(program)

    # Flink's rows: the exported program, as is, with this Python (apache-flink 2.3).
    started = time.time()
    ran = subprocess.run([sys.executable, program_path], capture_output=True, text=True, cwd=work)
    if ran.returncode != 0:
        fail(f"PyFlink could not run the exported program ({program_path}):\n{ran.stderr[-4000:]}")
    flink_rows = []
    for part in sorted(glob.glob(os.path.join(flink_out, "**", "*"), recursive=True)):
        if os.path.isfile(part) and not os.path.basename(part).startswith("."):
            with open(part) as f:
                flink_rows.extend(json.loads(line) for line in f if line.strip())
    print(f"# PyFlink 2.3 ran the exported program in {time.time() - started:.1f} s: {len(flink_rows)} rows")
    if not flink_rows:
        fail("Flink wrote no rows")
    if write:
        flink_rows.sort(key=lambda r: (r["hop_time"], r["status"], r["num"], r["avg_temperature_f"]))
        with open(ROWS, "w") as f:
            f.writelines(json.dumps(r, sort_keys=True) + "\n" for r in flink_rows)
        print(f"ok - wrote {len(flink_rows)} rows to {ROWS}")
        return

    with open(ROWS) as f:
        expected = [json.loads(line) for line in f if line.strip()]
    by_key = {}
    for row in expected:
        by_key.setdefault(key(row), []).append(row["avg_temperature_f"])
    mismatches = []
    for row in flink_rows:
        avgs = by_key.get(key(row))
        if not avgs:
            mismatches.append(f"Flink has {row}, Sluice (python_udf_rows.jsonl) does not")
            continue
        match = next((a for a in avgs if math.isclose(a, row["avg_temperature_f"], rel_tol=1e-9)), None)
        if match is None:
            mismatches.append(f"{key(row)}: Flink avg {row['avg_temperature_f']}, Sluice {avgs}")
        else:
            avgs.remove(match)
    mismatches.extend(f"Sluice (python_udf_rows.jsonl) has {k} avg {v}, Flink does not" for k, vs in by_key.items() for v in vs)
    if mismatches:
        fail(f"{len(mismatches)} rows differ:\n" + "\n".join(mismatches[:20]))
    print(f"ok - Apache Flink 2.3 ran the exported PyFlink program and wrote the {len(flink_rows)} rows Sluice computes")


if __name__ == "__main__":
    main()
