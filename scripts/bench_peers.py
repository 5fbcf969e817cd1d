#!/usr/bin/env python3
"""Q1 (the walkthrough's HOP 10 s / 1 min by status) over a JSON-lines file, run by Sluice's
peers for scripts/bench.sh, each writing its rows sorted as JSON lines so the bench can check
that every engine gave the same rows:

    duckdb-venv/bin/python scripts/bench_peers.py duckdb INPUT THREADS OUT
    duckdb-venv/bin/python scripts/bench_peers.py duckdb-windows INPUT THREADS OUT   # late rows kept
    flink-2.3.0/bin/python scripts/bench_peers.py flink INPUT OUT
    python3 scripts/bench_peers.py compare SLUICE_OUT PEER_OUT   # Sluice's `+I` lines vs a peer's

DuckDB is a batch engine: it gets Flink's streaming semantics spelled out in SQL, the watermark
before each record (the largest event time so far, minus 5 s, in file order: WITH ORDINALITY)
and a record left out of each window that had fired when it came, so its rows are Flink's.
Flink runs the query itself (parallelism 1, a watermark after every record, as the golden cases).
The Flink run prints the peak memory of its JVM, which the Python process starts and `time`
does not count.
"""

import json
import os
import sys

Q1_FLINK = """SELECT status, COUNT(*) AS num, AVG(current_temperature) AS avg_current_temperature,
       HOP_ROWTIME(event_time, INTERVAL '10' SECOND, INTERVAL '1' MINUTE) AS hop_time
  FROM sensor_data GROUP BY HOP(event_time, INTERVAL '10' SECOND, INTERVAL '1' MINUTE), status"""

# With Flink's late drops (scripts/q1_duckdb.sql), over the file's records in file order.
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "q1_duckdb.sql")) as f:
    Q1_DUCKDB = f.read().replace(
        "{records}",
        """  SELECT status, current_temperature AS t, epoch_ms(event_time) AS ms, ordinality AS i
    FROM read_json(?, format = 'newline_delimited',
                   columns = {sensor_id: 'INTEGER', current_temperature: 'DOUBLE', status: 'VARCHAR', event_time: 'TIMESTAMP'})
         WITH ORDINALITY""",
    )

# The same windows as a plain batch query: late records are counted (not Flink's rows: a few
# counts differ), the comparison issue 17 first made.
Q1_DUCKDB_WINDOWS = """
WITH records AS (
  SELECT status, current_temperature AS t, epoch_ms(event_time) AS ms
    FROM read_json(?, format = 'newline_delimited',
                   columns = {sensor_id: 'INTEGER', current_temperature: 'DOUBLE', status: 'VARCHAR', event_time: 'TIMESTAMP'})
)
SELECT status, count(*) AS num, avg(t) AS avg_t, ms - ms % 10000 - back + 60000 - 1 AS hop_ms
  FROM records, range(0, 60000, 10000) AS hops(back)
 GROUP BY status, ms - ms % 10000 - back
"""


def iso(ms):
    import datetime
    t = datetime.datetime(1970, 1, 1) + datetime.timedelta(milliseconds=ms)
    return t.isoformat(timespec="milliseconds")


def write_rows(rows, out):
    """(status, num, avg, hop_time text) rows, sorted, as JSON lines."""
    with open(out, "w") as f:
        for status, num, avg, hop in sorted(rows, key=lambda r: (r[3], r[0])):
            f.write(json.dumps({"status": status, "num": num, "avg": avg, "hop_time": hop}) + "\n")


def duckdb_q1(path, threads, out, query=Q1_DUCKDB):
    import duckdb
    con = duckdb.connect()
    con.execute(f"SET threads = {int(threads)}")
    rows = con.execute(query, [path]).fetchall()
    write_rows([(s, n, a, iso(h)) for s, n, a, h in rows], out)
    print(f"{len(rows)} rows")


def jvm_peak_kib():
    """The largest VmHWM of this process's children (PyFlink's JVM), in KiB."""
    peak = 0
    me = str(os.getpid())
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as f:
                ppid = f.read().rsplit(")", 1)[1].split()[1]
            if ppid != me:
                continue
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        peak = max(peak, int(line.split()[1]))
        except (OSError, IndexError, ValueError):
            continue
    return peak


def flink_q1(path, out):
    from pyflink.table import EnvironmentSettings, TableEnvironment
    env = TableEnvironment.create(EnvironmentSettings.in_streaming_mode())
    env.get_config().set("parallelism.default", "1")
    env.get_config().set("pipeline.auto-watermark-interval", "0")
    env.execute_sql(f"""CREATE TABLE sensor_data (sensor_id INTEGER, current_temperature DOUBLE, status VARCHAR(6),
        event_time TIMESTAMP(3), WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND)
      WITH ('connector'='filesystem', 'path'='{path}', 'format'='json', 'json.timestamp-format.standard'='ISO-8601')""")
    rows = []
    with env.execute_sql(Q1_FLINK).collect() as it:
        for r in it:
            rows.append((r[0], r[1], r[2], r[3].isoformat(timespec="milliseconds")))
    write_rows(rows, out)
    print(f"{len(rows)} rows, JVM peak {jvm_peak_kib() // 1024} MiB")


def compare(sluice_out, peer_out):
    """Sluice's change lines (all `+I`: Q1 is append-only) against a peer's rows."""
    rows = []
    with open(sluice_out) as f:
        for line in f:
            change = json.loads(line)
            if change["op"] != "+I":
                print(f"unexpected change {change['op']}")
                return 1
            r = change["row"]
            rows.append((r["status"], r["num"], r["avg_current_temperature"], r["hop_time"]))
    mine = sorted(rows, key=lambda r: (r[3], r[0]))
    with open(peer_out) as f:
        theirs = [json.loads(line) for line in f]
    if len(mine) != len(theirs):
        print(f"DIFFERENT: {len(mine)} rows against {len(theirs)}")
        return 1
    for a, b in zip(mine, theirs):
        same = (a[0], a[1], a[3]) == (b["status"], b["num"], b["hop_time"]) and abs(a[2] - b["avg"]) <= 1e-9 * max(1.0, abs(a[2]))
        if not same:
            print(f"DIFFERENT: first difference {a} against {b}")
            return 1
    print(f"same {len(mine)} rows")
    return 0


def main():
    match sys.argv[1:]:
        case ["duckdb", path, threads, out]:
            duckdb_q1(path, threads, out)
        case ["duckdb-windows", path, threads, out]:
            duckdb_q1(path, threads, out, Q1_DUCKDB_WINDOWS)
        case ["flink", path, out]:
            flink_q1(path, out)
        case ["compare", sluice_out, peer_out]:
            return compare(sluice_out, peer_out)
        case _:
            print(__doc__)
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
