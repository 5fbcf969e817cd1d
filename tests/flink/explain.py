#!/usr/bin/env python3
"""Stores Flink 2.3's optimized physical plan, with each node's changelog mode, for every case.

Not part of the test command: tests/flink_changelog_mode.rs reads the committed files. Run it
with the Python of scripts/setup.sh's Flink venv after adding a case (or all of them):

    ~/.cache/sluice/flink-2.3.0/bin/python tests/flink/explain.py [CASE ...]

For each folder under tests/flink/ holding a `query.sql`, writes `explain_changelog.txt`: the
`== Optimized Physical Plan ==` section of `TableEnvironment.explain_sql(query,
ExplainDetail.CHANGELOG_MODE)`, over the table of generate.py, in streaming mode with
parallelism 1 (the settings the rows were produced with).
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from generate import TABLE  # noqa: E402


def optimized_physical_plan(text):
    """The `== Optimized Physical Plan ==` section of an EXPLAIN, without its heading."""
    lines = text.splitlines()
    start = lines.index("== Optimized Physical Plan ==") + 1
    out = []
    for line in lines[start:]:
        if line.startswith("== "):
            break
        out.append(line)
    while out and not out[-1].strip():
        out.pop()
    return "\n".join(out) + "\n"


def explain(name):
    from pyflink.table import EnvironmentSettings, ExplainDetail, TableEnvironment

    folder = os.path.join(HERE, name)
    with open(os.path.join(folder, "query.sql")) as f:
        query = f.read().strip().rstrip(";")
    env = TableEnvironment.create(EnvironmentSettings.in_streaming_mode())
    env.get_config().set("parallelism.default", "1")
    # A case with an input of its own has its table in `table.sql` (see generate.py).
    table_file = os.path.join(folder, "table.sql")
    if os.path.isfile(table_file):
        with open(table_file) as f:
            table = f.read().replace("{input}", os.path.join(folder, "input.jsonl")).replace("{dir}", folder)
    else:
        table = TABLE
    # `table.sql` may create several tables, `;` between them.
    for statement in table.split(";"):
        if statement.strip():
            env.execute_sql(statement)
    # An INSERT case has its sink table in `sink.sql`.
    sink_file = os.path.join(folder, "sink.sql")
    if os.path.isfile(sink_file):
        with open(sink_file) as f:
            env.execute_sql(f.read())
    plan = optimized_physical_plan(env.explain_sql(query, ExplainDetail.CHANGELOG_MODE))
    with open(os.path.join(folder, "explain_changelog.txt"), "w") as f:
        f.write(plan)
    print(f"{name}: {plan.count(chr(10))} nodes")


def main():
    names = sys.argv[1:] or sorted(
        d for d in os.listdir(HERE) if os.path.isfile(os.path.join(HERE, d, "query.sql"))
    )
    for name in names:
        explain(name)


if __name__ == "__main__":
    main()
