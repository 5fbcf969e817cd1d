// End-to-end area `python`: `%flink.pyflink` paragraphs as a Kinesis Data Analytics Studio note
// has them. Python (Pyodide) loads in the engine's worker when the first Python paragraph runs:
// a Python UDF (Celsius → Fahrenheit) registered from Python is called by the walkthrough's HOP
// query in a SQL paragraph; a Table built with the Table API is shown live with `z.show`; a
// Python exception shows its traceback with the paragraph's line; a UDF that raises on a row
// fails its job only. Each test starts from a fresh profile (Python loads again in each).
import {
  CREATE_TABLE,
  LOAD_TIMEOUT,
  addParagraph,
  check,
  errorOf,
  freshTable,
  page,
  paragraph,
  resultOf,
  runInParagraph,
  sleep,
  statusOf,
  test,
  until,
  waitForRows,
  waitForStatus,
} from '../harness.mjs';

/** Python loads in a few seconds, more on a busy machine. */
const PYTHON_TIMEOUT = 120_000;

export const UDF = `%flink.pyflink
from pyflink.table import DataTypes
from pyflink.table.udf import udf

@udf(input_types=[DataTypes.DOUBLE()], result_type=DataTypes.DOUBLE())
def c_to_f(celsius):
    return celsius * 9.0 / 5.0 + 32.0

st_env.create_temporary_function("c_to_f", c_to_f)
print("tables:", st_env.list_tables())`;

/** The walkthrough's HOP query (step 3) with the average in Fahrenheit, through the Python UDF. */
export const HOP_F = `%flink.ssql(type=update)

SELECT sensor_data.status,
       COUNT(*) AS num,
       AVG(c_to_f(sensor_data.current_temperature)) AS avg_fahrenheit,
       AVG(sensor_data.current_temperature) AS avg_celsius,
       HOP_ROWTIME(event_time, INTERVAL '10' second, INTERVAL '1' minute) as hop_time
  FROM sensor_data
 GROUP BY HOP(event_time, INTERVAL '10' second, INTERVAL '1' minute), sensor_data.status;`;

export const SHOW = `%flink.pyflink
from pyflink.table.expressions import col, lit

hot = (st_env.from_path("sensor_data")
       .where(col("status") == "OK")
       .select(col("sensor_id"), col("current_temperature").alias("celsius"),
               c_to_f(col("current_temperature")).alias("fahrenheit")))
z.show(hot, stream_type="append")`;

const TRACEBACK = `%flink.pyflink
def ratio(a, b):
    return a / b

x = 1
print(ratio(x, 0))`;

const RAISES = `%flink.pyflink
from pyflink.table import DataTypes
from pyflink.table.udf import udf

@udf(result_type=DataTypes.DOUBLE())
def picky(t):
    if t > 0:
        raise ValueError(f"no positive readings: {t}")
    return t

st_env.create_temporary_function("picky", picky)`;

/** The number in the result's cell under `column`, for each row. */
function column(result, name) {
  const i = result.headers.findIndex((h) => h.column === name);
  check(i >= 0, `no column ${name} in ${JSON.stringify(result.headers.map((h) => h.column))}`);
  return result.rows.map((r) => r[i]);
}

async function textOutput(i) {
  const out = paragraph(i).locator('pre.text-output');
  return (await out.count()) ? (await out.first().innerText()).trim() : '';
}

export default async function () {
  await test('a Python UDF (Celsius → Fahrenheit) defined in a Python paragraph is called by the walkthrough HOP query', 'python-udf-hop.png', async () => {
    await freshTable();
    const requested = [];
    page.context().on('request', (r) => requested.push(r.url()));
    // A SQL query runs without Python: nothing of it is fetched until a Python paragraph runs.
    const sql = await addParagraph();
    await runInParagraph(sql, '%flink.ssql(type=update)\n\nSELECT status, COUNT(*) AS n FROM sensor_data GROUP BY status');
    await waitForRows(sql, 'rows of a SQL paragraph');
    check(!requested.some((u) => /pyodide|python\//.test(u)), `Python was fetched before a Python paragraph ran: ${requested.filter((u) => /pyodide|python\//.test(u))}`);
    const udf = await addParagraph();
    await runInParagraph(udf, UDF);
    // Python loads now, not before: the paragraph says so while it waits.
    await until(async () => (await paragraph(udf).innerText()).includes('Starting Python') || (await statusOf(udf)).toLowerCase() === 'done', { what: 'the loading message' });
    
    await until(async () => (await statusOf(udf)).toLowerCase() === 'done', { timeout: PYTHON_TIMEOUT, what: 'the Python paragraph to be done' }).catch(async (e) => {
      throw new Error(`${e.message}: status ${await statusOf(udf)}, error ${await errorOf(udf)}`);
    });
    check((await textOutput(udf)).includes("tables: ['sensor_data']"), `the paragraph printed ${JSON.stringify(await textOutput(udf))}`);
    check(requested.some((u) => u.endsWith('/pyodide/pyodide.asm.wasm')), `Pyodide's wasm was not fetched by the run: ${requested.filter((u) => !u.startsWith('data:'))}`);
    const hop = await addParagraph();
    // The editor's completion now offers the user function, first, with its signature (the
    // session's side answers: the page's module has no function table).
    const editor = paragraph(hop).locator('textarea[data-testid=editor]');
    await editor.fill('%flink.ssql\nSELECT ');
    await editor.press('End');
    await editor.pressSequentially('c_to');
    const popup = paragraph(hop).locator('[data-testid=completion]');
    await popup.waitFor({ state: 'visible' });
    const offered = await until(async () => {
      const texts = await popup.locator('[data-testid=completion-item] .completion-text').allInnerTexts();
      return texts.includes('c_to_f') ? texts : null;
    }, { what: 'c_to_f among the completions for "c_to"' });
    check(offered[0] === 'c_to_f', `completion offers ${JSON.stringify(offered)} for "c_to"`);
    const detail = await popup.locator('[data-testid=completion-item] .completion-detail').first().innerText();
    check(detail.includes('c_to_f(DOUBLE) → DOUBLE'), `c_to_f's completion says ${JSON.stringify(detail)}`);
    await editor.press('Escape');
    await runInParagraph(hop, HOP_F);
    await waitForStatus(hop, /running/i, 'the HOP query to run');
    const result = await until(async () => {
      const r = await resultOf(hop);
      return r && r.rows.length >= 2 ? r : null;
    }, { timeout: 60_000, what: 'windows of the HOP query' });
    const f = column(result, 'avg_fahrenheit').map(Number);
    const c = column(result, 'avg_celsius').map(Number);
    for (let r = 0; r < f.length; r++) {
      check(Math.abs(f[r] - (c[r] * 9 / 5 + 32)) < 1e-6, `row ${r}: ${f[r]} °F is not ${c[r]} °C`);
    }
    check((await statusOf(hop)).toLowerCase() === 'running', `the HOP paragraph is ${await statusOf(hop)}`);
  });

  await test('z.show shows a Table built in Python live, rows growing, as a SQL paragraph shows its query', 'python-z-show.png', async () => {
    await freshTable();
    const udf = await addParagraph();
    await runInParagraph(udf, UDF);
    await until(async () => (await statusOf(udf)).toLowerCase() === 'done', { timeout: PYTHON_TIMEOUT, what: 'the UDF paragraph to be done' });
    const show = await addParagraph();
    await runInParagraph(show, SHOW);
    await until(async () => (await statusOf(show)).toLowerCase() === 'running', { timeout: 30_000, what: 'z.show to start a job' });
    const first = await waitForRows(show, 'rows of the shown table');
    check(JSON.stringify(first.headers.map((h) => h.column)) === JSON.stringify(['sensor_id', 'celsius', 'fahrenheit']), `columns ${JSON.stringify(first.headers)}`);
    const countOf = async () => {
      const r = await resultOf(show);
      return r ? r.rows.length : 0;
    };
    const before = await countOf();
    await sleep(3000);
    const after = await countOf();
    check(after > before, `the shown table did not grow: ${before} rows, then ${after}`);
    const r = await resultOf(show);
    const c = column(r, 'celsius').map(Number);
    const f = column(r, 'fahrenheit').map(Number);
    for (let i = 0; i < c.length; i++) check(Math.abs(f[i] - (c[i] * 9 / 5 + 32)) < 1e-6, `row ${i}: ${f[i]} is not ${c[i]} in °F`);
    // The job line shows it is a job like any other.
    check(/job \d+/.test(await paragraph(show).locator('.job-line').innerText()), 'no job line');
  });

  await test('a Python exception shows its traceback with the line in the paragraph', 'python-traceback.png', async () => {
    await freshTable();
    const p = await addParagraph();
    await runInParagraph(p, TRACEBACK);
    await until(async () => (await statusOf(p)).toLowerCase() === 'failed', { timeout: PYTHON_TIMEOUT, what: 'the paragraph to fail' });
    const error = await errorOf(p);
    check(/ZeroDivisionError/.test(error), `the error reads ${JSON.stringify(error)}`);
    check(/File "<paragraph>", line 3, in ratio/.test(error), `no line 3 (in ratio) in ${JSON.stringify(error)}`);
    check(/line 6/.test(error), `no line 6 in ${JSON.stringify(error)}`);
    // The editor underlines the paragraph's line.
    const underline = paragraph(p).locator('[data-testid=error-mark], .error-mark, mark');
    check((await underline.count()) > 0, 'no mark in the editor at the failing line');
  });

  await test('a UDF raising on a row fails its job with the row shown; other jobs go on', 'python-udf-raises.png', async () => {
    await freshTable();
    const p = await addParagraph();
    await runInParagraph(p, RAISES);
    await until(async () => (await statusOf(p)).toLowerCase() === 'done', { timeout: PYTHON_TIMEOUT, what: 'the UDF paragraph to be done' });
    const ok = await addParagraph();
    await runInParagraph(ok, '%flink.ssql(type=update)\n\nSELECT status, COUNT(*) AS n FROM sensor_data GROUP BY status');
    const bad = await addParagraph();
    await runInParagraph(bad, '%flink.ssql(type=update)\n\nSELECT sensor_id, picky(current_temperature) AS t FROM sensor_data');
    await until(async () => (await statusOf(bad)).toLowerCase() === 'failed', { timeout: 30_000, what: 'the job calling the raising UDF to fail' });
    const error = await errorOf(bad);
    check(/ValueError: no positive readings/.test(error), `the error reads ${JSON.stringify(error)}`);
    // The row is shown by the arguments it called the function with.
    check(/picky\(\d+(\.\d+)?\) failed/.test(error), `the error does not show the row: ${JSON.stringify(error)}`);
    check(/line 8, in picky/.test(error), `the traceback does not name the paragraph's line: ${JSON.stringify(error)}`);
    const before = await resultOf(ok);
    await sleep(2500);
    check((await statusOf(ok)).toLowerCase() === 'running', `the other job is ${await statusOf(ok)}`);
    const after = await resultOf(ok);
    check(JSON.stringify(before.rows) !== JSON.stringify(after.rows), 'the other job stopped moving');
  });
}
