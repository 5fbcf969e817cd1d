// Python benchmark (prints figures, checks nothing): records per second through a trivial Python
// UDF in the page, against the same query without it, and how long Python takes to start.
//
//   node tests/e2e/python_bench.mjs URL [ROWS]
//
// A Python paragraph makes a bounded `datagen` table of ROWS rows (default 200,000) and collects
// `SELECT COUNT(*), SUM(x)` over it, then `SUM(same(x))` where `same` is a Python @udf returning
// its argument: the engine calls Python once per batch (src/ui/python.rs). scripts/bench.sh runs
// it against the built page.
import { chromium } from 'playwright-core';
import { CHROMIUM } from './harness.mjs';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const url = process.argv[2];
const rows = Number(process.argv[3] ?? 200_000);
if (!url) {
  console.error('usage: node tests/e2e/python_bench.mjs URL [ROWS]');
  process.exit(2);
}

const context = await chromium.launchPersistentContext(mkdtempSync(path.join(os.tmpdir(), 'sluice-python-bench-')), {
  ...CHROMIUM,
  viewport: { width: 1400, height: 1000 },
});
const page = context.pages()[0] ?? (await context.newPage());
page.setDefaultTimeout(180_000);
await page.goto(url);
await page.locator('[data-testid=new-note]').click();
const paragraph = page.locator('[data-testid=paragraph]').first();

const CODE = `%flink.pyflink
import time
from pyflink.table import DataTypes
from pyflink.table.udf import udf

@udf(result_type=DataTypes.DOUBLE())
def same(x):
    return x

st_env.create_temporary_function("same", same)
st_env.execute_sql("CREATE TABLE IF NOT EXISTS nums (x DOUBLE) WITH ('connector' = 'datagen', 'number-of-rows' = '${rows}')")

def timed(sql):
    best = None
    for _ in range(3):
        t = time.perf_counter()
        got = list(st_env.execute_sql(sql).collect())
        took = time.perf_counter() - t
        best = took if best is None else min(best, took)
    return best, got

plain, a = timed("SELECT COUNT(*) AS n, SUM(x) AS s FROM nums")
python, b = timed("SELECT COUNT(*) AS n, SUM(same(x)) AS s FROM nums")
assert a[0][0] == b[0][0] == ${rows}, (a, b)
print(f"python   without a UDF: {${rows} / plain:,.0f} records/s; through a trivial Python UDF: {${rows} / python:,.0f} records/s ({${rows}:,} rows, best of 3)")`;

const started = Date.now();
const editor = paragraph.locator('textarea[data-testid=editor]');
await editor.fill(CODE);
await editor.press('Shift+Enter');
const status = paragraph.locator('[data-testid=status]');
while (!/done|failed/i.test(await status.innerText())) {
  if (Date.now() - started > 600_000) break;
  await new Promise((r) => setTimeout(r, 200));
}
const out = paragraph.locator('pre.text-output');
const error = paragraph.locator('[data-testid=error]');
if (await error.count()) {
  console.log(`python   failed: ${(await error.innerText()).trim()}`);
} else {
  console.log((await out.innerText()).trim());
}
// Python's start: a second Python paragraph's run, against the first (which loaded Pyodide).
const first = Date.now() - started;
const second = page.locator('[data-testid=add-paragraph]');
await second.click();
const p2 = page.locator('[data-testid=paragraph]').nth(1);
const t = Date.now();
await p2.locator('textarea[data-testid=editor]').fill('%flink.pyflink\nprint(1)');
await p2.locator('textarea[data-testid=editor]').press('Shift+Enter');
while (!/done|failed/i.test(await p2.locator('[data-testid=status]').innerText())) await new Promise((r) => setTimeout(r, 50));
console.log(`python   first paragraph (loads Pyodide, then the benchmark): ${(first / 1000).toFixed(1)} s; a later print(1) paragraph: ${Date.now() - t} ms`);
await context.close();
