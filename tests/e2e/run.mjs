// End-to-end tests: the walkthrough, driven like a person would in headless Chromium.
//
//   node tests/e2e/run.mjs http://127.0.0.1:PORT/
//
// Prints `ok - name` / `not ok - name: reason` per test, then `N passed, M failed`; exits 1 if
// any failed. Any uncaught page error or console error fails the test it happened in (a wasm
// panic kills the whole app, so it must never pass unnoticed). Screenshots of each step go to
// tests/e2e/screenshots/stepN.png (taken even when the step fails).
//
// Only the DOM contract's selectors are used: data-testid / data-table / data-stream /
// data-name / data-type / data-column attributes.
import { chromium } from 'playwright-core';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const url = process.argv[2];
if (!url) {
  console.error('usage: node tests/e2e/run.mjs http://127.0.0.1:PORT/');
  process.exit(2);
}
const here = path.dirname(fileURLToPath(import.meta.url));
const shots = path.join(here, 'screenshots');
mkdirSync(shots, { recursive: true });

const CREATE_TABLE = `%flink.ssql
CREATE TABLE sensor_data (
    sensor_id INTEGER,
    current_temperature DOUBLE,
    status VARCHAR(6),
    event_time TIMESTAMP(3),
    WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND
)
PARTITIONED BY (sensor_id)
WITH (
    'connector' = 'kinesis',
    'stream' = 'my-input-stream',
    'aws.region' = 'us-east-1',
    'scan.stream.initpos' = 'LATEST',
    'format' = 'json',
    'json.timestamp-format.standard' = 'ISO-8601'
)`;
const SELECT_ALL = '%flink.ssql(type=update)\n\nSELECT * FROM sensor_data;';
const GROUP_BY =
  '%flink.ssql(type=update)\n\nSELECT status, COUNT(*) AS num, AVG(current_temperature) AS avg_current_temperature FROM sensor_data GROUP BY status';
const BAD = 'SELECT nope FROM sensor_data';

const LOAD_TIMEOUT = 30_000;
const STEP_TIMEOUT = 10_000;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

class Failure extends Error {}
function check(cond, message) {
  if (!cond) throw new Failure(message);
}

/** Polls `fn` until it returns a truthy value or `timeout` passes; returns the last value. */
async function until(fn, { timeout = STEP_TIMEOUT, every = 100, what = 'condition' } = {}) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    last = await fn();
    if (last) return last;
    if (Date.now() > end) throw new Failure(`timed out after ${timeout} ms waiting for ${what}`);
    await sleep(every);
  }
}

const numberIn = (text) => {
  const digits = String(text ?? '').replace(/[^\d]/g, '');
  return digits === '' ? NaN : Number(digits);
};

// ---------------------------------------------------------------------------------------------
// Browser and page

const profile = mkdtempSync(path.join(os.tmpdir(), 'sluice-e2e-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
  deviceScaleFactor: 2,
  viewport: { width: 1400, height: 1000 },
});
const page = context.pages()[0] ?? (await context.newPage());
page.setDefaultTimeout(STEP_TIMEOUT);

/** Errors the page reported since the last test took them. */
let pageErrors = [];
page.on('pageerror', (e) => pageErrors.push(`page error: ${e.message}`));
page.on('console', (msg) => {
  if (msg.type() !== 'error') return;
  // Chromium asks for /favicon.ico on its own; a missing one is not the app's error.
  if (/favicon\.ico/.test(msg.location()?.url ?? '')) return;
  pageErrors.push(`console error: ${msg.text()}`);
});
page.on('crash', () => pageErrors.push('the page crashed'));

const results = [];
async function test(name, shot, body) {
  let failure = null;
  try {
    await body();
  } catch (e) {
    failure = e instanceof Failure ? e.message : `${e?.name ?? 'Error'}: ${e?.message ?? e}`;
  }
  if (shot) {
    await page.screenshot({ path: path.join(shots, shot), fullPage: true }).catch(() => {});
  }
  if (pageErrors.length > 0) {
    const errors = pageErrors.join(' | ');
    failure = failure ? `${failure}; and ${errors}` : errors;
    pageErrors = [];
  }
  const oneLine = (s) => s.replace(/\s+/g, ' ').trim();
  console.log(failure ? `not ok - ${name}: ${oneLine(failure)}` : `ok - ${name}`);
  results.push(!failure);
}

// ---------------------------------------------------------------------------------------------
// The note

const paragraphs = () => page.locator('[data-testid=paragraph]');
const paragraph = (i) => paragraphs().nth(i);

/** Types `text` into paragraph `i`'s editor and runs it with Shift+Enter. */
async function runInParagraph(i, text) {
  const editor = paragraph(i).locator('textarea[data-testid=editor]');
  await editor.click();
  await editor.fill(text);
  const typed = await editor.inputValue();
  check(typed === text, `the editor holds ${JSON.stringify(typed)} instead of what was typed`);
  await editor.press('Shift+Enter');
}

/** Adds a paragraph at the end of the note; returns its index. */
async function addParagraph() {
  const before = await paragraphs().count();
  await page.locator('[data-testid=add-paragraph]').click();
  await until(async () => (await paragraphs().count()) === before + 1, { what: `paragraph ${before + 1} to appear` });
  return before;
}

async function statusOf(i) {
  const status = paragraph(i).locator('[data-testid=status]');
  return (await status.count()) ? (await status.first().innerText()).trim() : '(no status element)';
}

async function errorOf(i) {
  const error = paragraph(i).locator('[data-testid=error]');
  return (await error.count()) ? (await error.first().innerText()).trim() : null;
}

/** Waits until paragraph `i`'s status matches `re`; fails with its error text if it failed. */
async function waitForStatus(i, re, what) {
  try {
    await until(async () => re.test(await statusOf(i)), { what });
  } catch (e) {
    const error = await errorOf(i);
    throw new Failure(`${e.message} (status "${await statusOf(i)}"${error ? `, error "${error}"` : ''})`);
  }
}

/** The result table of paragraph `i`: column names (from data-column) and cell texts. */
async function resultOf(i) {
  return paragraph(i).evaluate((p) => {
    const table = p.querySelector('table[data-testid=result-table]');
    if (!table) return null;
    const headers = [...table.querySelectorAll('thead th')].map((th) => ({
      column: th.getAttribute('data-column'),
      text: th.textContent.trim(),
    }));
    const rows = [...table.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((td) => td.textContent.trim()));
    const count = p.querySelector('[data-testid=row-count]');
    return { headers, rows, rowCount: count ? count.textContent.trim() : null };
  });
}

async function waitForRows(i, what) {
  return until(async () => {
    const r = await resultOf(i);
    return r && r.rows.length > 0 ? r : null;
  }, { what });
}

function columnNames(result) {
  const missing = result.headers.filter((h) => h.column === null).map((h) => h.text);
  check(missing.length === 0, `result header cells without a data-column attribute: ${JSON.stringify(missing)}`);
  return result.headers.map((h) => h.column);
}

/** Status → num of the GROUP BY paragraph. */
async function countsOf(i) {
  const r = await resultOf(i);
  check(r, 'the GROUP BY paragraph has no result table');
  const names = columnNames(r);
  const s = names.indexOf('status');
  const n = names.indexOf('num');
  check(s >= 0 && n >= 0, `the GROUP BY result has columns ${JSON.stringify(names)}`);
  const counts = {};
  for (const row of r.rows) {
    check(!(row[s] in counts), `status ${row[s]} appears twice in the GROUP BY result: ${JSON.stringify(r.rows)}`);
    counts[row[s]] = numberIn(row[n]);
  }
  return counts;
}
const total = (counts) => Object.values(counts).reduce((a, b) => a + b, 0);

// ---------------------------------------------------------------------------------------------
// Panels

const inputStream = () => page.locator('[data-testid=streams] [data-stream=my-input-stream]');

async function streamRecords() {
  const text = await inputStream().locator('[data-testid=stream-records]').innerText();
  const n = numberIn(text);
  check(Number.isFinite(n), `stream-records reads "${text}", not a number`);
  return n;
}

/** Records my-input-stream gained over `ms`. */
async function growth(ms) {
  const a = await streamRecords();
  await sleep(ms);
  return (await streamRecords()) - a;
}

// ---------------------------------------------------------------------------------------------
// Canvas

async function canvasFacts(i) {
  return paragraph(i).evaluate((p) => {
    const canvas = p.querySelector('canvas[data-testid=bar-chart]');
    if (!canvas) return null;
    // The bitmap is stretched over the content box: the border box less borders and padding.
    const rect = canvas.getBoundingClientRect();
    const style = getComputedStyle(canvas);
    const px = (name) => parseFloat(style.getPropertyValue(name)) || 0;
    const ctx = canvas.getContext('2d');
    const facts = {
      width: canvas.width,
      height: canvas.height,
      cssWidth: rect.width - px('border-left-width') - px('border-right-width') - px('padding-left') - px('padding-right'),
      cssHeight: rect.height - px('border-top-width') - px('border-bottom-width') - px('padding-top') - px('padding-bottom'),
      dpr: window.devicePixelRatio,
    };
    if (!ctx || canvas.width === 0 || canvas.height === 0) return { ...facts, colored: 0, hash: 0, background: null };
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    // The background is the most common color; bars are saturated pixels that are not it.
    const freq = new Map();
    for (let k = 0; k < data.length; k += 4 * 7) {
      const key = (data[k] << 24) | (data[k + 1] << 16) | (data[k + 2] << 8) | data[k + 3];
      freq.set(key, (freq.get(key) ?? 0) + 1);
    }
    let background = 0;
    let best = -1;
    for (const [key, n] of freq) if (n > best) [background, best] = [key, n];
    let colored = 0;
    let hash = 2166136261;
    for (let k = 0; k < data.length; k += 4) {
      const [r, g, b, a] = [data[k], data[k + 1], data[k + 2], data[k + 3]];
      hash = Math.imul(hash ^ r ^ (g << 8) ^ (b << 16) ^ (a << 24), 16777619) >>> 0;
      const key = (r << 24) | (g << 16) | (b << 8) | a;
      if (key === background || a < 128) continue;
      if (Math.max(r, g, b) - Math.min(r, g, b) > 40) colored += 1;
    }
    return { ...facts, colored, hash, background: (background >>> 0).toString(16).padStart(8, '0') };
  });
}

// ---------------------------------------------------------------------------------------------
// The walkthrough

let selectAll = -1; // paragraph indices, set by the steps that create them
let groupBy = -1;

await test('page loads and the note shows a paragraph', null, async () => {
  const response = await page.goto(url, { waitUntil: 'load', timeout: LOAD_TIMEOUT });
  check(response && response.ok(), `GET ${url} answered ${response?.status()}`);
  try {
    await page.locator('[data-testid=paragraph]').first().waitFor({ timeout: LOAD_TIMEOUT });
  } catch {
    throw new Failure(`no [data-testid=paragraph] within ${LOAD_TIMEOUT / 1000} s (the wasm app did not mount)`);
  }
  check(await page.locator('[data-testid=add-paragraph]').count() === 1, 'no single [data-testid=add-paragraph] button');
});

await test('step1: CREATE TABLE puts sensor_data with its columns and watermark in the catalog', 'step1.png', async () => {
  await runInParagraph(0, CREATE_TABLE);
  await waitForStatus(0, /done/i, 'the CREATE TABLE paragraph to be done');
  const error = await errorOf(0);
  check(error === null, `CREATE TABLE shows an error: ${error}`);
  const table = page.locator('[data-testid=catalog] [data-table=sensor_data]');
  await until(async () => (await table.count()) === 1, { what: 'sensor_data in [data-testid=catalog]' });
  const columns = await table.locator('[data-testid=column]').evaluateAll((els) =>
    els.map((e) => [e.getAttribute('data-name'), e.getAttribute('data-type')]),
  );
  const expected = [
    ['sensor_id', 'INT'],
    ['current_temperature', 'DOUBLE'],
    ['status', 'VARCHAR(6)'],
    ['event_time', 'TIMESTAMP(3) *ROWTIME*'],
  ];
  check(JSON.stringify(columns) === JSON.stringify(expected), `catalog columns are ${JSON.stringify(columns)}, expected ${JSON.stringify(expected)}`);
  const watermark = table.locator('[data-testid=watermark]');
  check((await watermark.count()) === 1, 'sensor_data has no [data-testid=watermark]');
  const text = await watermark.innerText();
  check(text.includes("event_time - INTERVAL '5' SECOND"), `watermark reads "${text}"`);
});

await test('step2: my-input-stream is local and generator-fed; the generator stops, restarts and speeds up', 'step2.png', async () => {
  await until(async () => (await inputStream().count()) === 1, { what: 'my-input-stream in [data-testid=streams]' });
  const kind = await inputStream().locator('[data-testid=stream-kind]').innerText();
  check(/local/i.test(kind), `stream-kind reads "${kind}"`);
  const toggle = inputStream().locator('[data-testid=generator-toggle]');
  check((await toggle.count()) === 1, 'my-input-stream has no [data-testid=generator-toggle] (not generator-fed?)');
  check(/stop generator/i.test(await toggle.innerText()), `the toggle of a running generator reads "${await toggle.innerText()}"`);

  const running = await growth(1500);
  check(running > 0, `the record count did not grow in 1.5 s with the generator running (+${running})`);

  await toggle.click();
  await until(async () => /start generator/i.test(await toggle.innerText()), { what: 'the toggle to read "Start generator"' });
  await sleep(700); // let a panel refresh that was already under way land
  const stopped = await growth(1500);
  check(stopped === 0, `the record count grew by ${stopped} in 1.5 s with the generator stopped`);

  await toggle.click();
  await until(async () => /stop generator/i.test(await toggle.innerText()), { what: 'the toggle to read "Stop generator" again' });
  const restarted = await growth(1500);
  check(restarted > 0, `the record count did not grow in 1.5 s after restarting the generator (+${restarted})`);

  const rate = inputStream().locator('input[data-testid=generator-rate]');
  await rate.fill('50');
  await rate.dispatchEvent('change');
  await sleep(300);
  check((await rate.inputValue()) === '50', `the rate input reads "${await rate.inputValue()}" after setting 50`);
  const fast = await growth(2000);
  check(fast > 0, `the record count did not grow in 2 s at 50 rec/s (+${fast})`);
  console.log(`# records/s: running ${(running / 1.5).toFixed(1)}, restarted ${(restarted / 1.5).toFixed(1)}, at rate 50: ${(fast / 2).toFixed(1)}`);
});

await test('step3: SELECT * streams rows into the result table, and pause freezes them', 'step3.png', async () => {
  selectAll = await addParagraph();
  await runInParagraph(selectAll, SELECT_ALL);
  await waitForStatus(selectAll, /running/i, 'the SELECT * paragraph to be running');
  const first = await waitForRows(selectAll, 'rows in the SELECT * result table');
  const names = columnNames(first);
  const expected = ['sensor_id', 'current_temperature', 'status', 'event_time'];
  check(JSON.stringify(names) === JSON.stringify(expected), `header columns are ${JSON.stringify(names)}`);
  for (const row of first.rows) check(row.length === 4, `a body row has ${row.length} cells: ${JSON.stringify(row)}`);

  // The table never holds more rows than the cap its row count shows.
  for (let k = 0; k < 2; k++) {
    const r = await resultOf(selectAll);
    check(r.rowCount !== null, 'no [data-testid=row-count]');
    const shown = (r.rowCount.match(/\d[\d,]*/g) ?? []).map(numberIn);
    check(shown.length > 0, `row-count reads "${r.rowCount}"`);
    check(r.rows.length <= Math.max(...shown), `${r.rows.length} body rows but row-count reads "${r.rowCount}"`);
    await sleep(1000);
  }

  const pause = paragraph(selectAll).locator('[data-testid=pause]');
  check(/pause/i.test(await pause.innerText()), `the pause button reads "${await pause.innerText()}"`);
  await pause.click();
  await until(async () => /resume/i.test(await pause.innerText()), { what: 'the pause button to read "Resume"' });
  await sleep(200);
  const rowsOf = async () => {
    const r = await resultOf(selectAll);
    return JSON.stringify(r && { headers: r.headers, rows: r.rows });
  };
  const frozen = await rowsOf();
  await sleep(1500);
  check((await rowsOf()) === frozen, 'the result table changed during 1.5 s of pause');

  await pause.click();
  await until(async () => /^\s*pause/i.test(await pause.innerText()), { what: 'the pause button to read "Pause" again' });
  await until(async () => (await rowsOf()) !== frozen, { timeout: 5000, what: 'the result table to change after resuming' });
});

await test('step4: GROUP BY status counts grow, and its bar chart is sharp and live', 'step4.png', async () => {
  groupBy = await addParagraph();
  await runInParagraph(groupBy, GROUP_BY);
  await waitForStatus(groupBy, /running/i, 'the GROUP BY paragraph to be running');
  const first = await waitForRows(groupBy, 'rows in the GROUP BY result table');
  const names = columnNames(first);
  check(JSON.stringify(names) === JSON.stringify(['status', 'num', 'avg_current_temperature']), `header columns are ${JSON.stringify(names)}`);
  const before = await countsOf(groupBy);
  await sleep(2500);
  const after = await countsOf(groupBy);
  for (const counts of [before, after]) {
    const statuses = Object.keys(counts);
    check(statuses.length <= 3, `more than 3 rows: ${JSON.stringify(counts)}`);
    for (const s of statuses) check(['OK', 'WARNING', 'ERROR'].includes(s), `unexpected status "${s}" in ${JSON.stringify(counts)}`);
    for (const s of statuses) check(Number.isFinite(counts[s]) && counts[s] > 0, `num of ${s} is not a positive count: ${JSON.stringify(counts)}`);
  }
  check(total(after) > total(before), `num did not grow in 2.5 s: ${JSON.stringify(before)} then ${JSON.stringify(after)}`);
  for (const s of Object.keys(before)) {
    check((after[s] ?? 0) >= before[s], `num of ${s} went down: ${JSON.stringify(before)} then ${JSON.stringify(after)}`);
  }

  await paragraph(groupBy).locator('[data-testid=view-bar]').click();
  const canvas = paragraph(groupBy).locator('canvas[data-testid=bar-chart]');
  await canvas.waitFor({ state: 'visible' });
  // Pick the axes as a person would, when the chart offers the choice.
  const x = paragraph(groupBy).locator('[data-testid=chart-x]');
  const y = paragraph(groupBy).locator('[data-testid=chart-y]');
  if ((await x.count()) && (await y.count())) {
    const xs = await x.locator('option').evaluateAll((os) => os.map((o) => o.value));
    const ys = await y.locator('option').evaluateAll((os) => os.map((o) => o.value));
    check(xs.includes('status'), `chart-x offers ${JSON.stringify(xs)}, not status`);
    check(ys.includes('num'), `chart-y offers ${JSON.stringify(ys)}, not num`);
    await x.selectOption('status');
    await y.selectOption('num');
  }
  await sleep(500);
  const a = await canvasFacts(groupBy);
  check(a, 'no canvas[data-testid=bar-chart]');
  check(a.cssWidth > 0 && a.cssHeight > 0, `the canvas has no size on the page (${a.cssWidth}×${a.cssHeight} CSS px)`);
  check(a.dpr === 2, `devicePixelRatio is ${a.dpr}, expected 2`);
  check(Math.abs(a.width - a.cssWidth * a.dpr) <= 1 && Math.abs(a.height - a.cssHeight * a.dpr) <= 1,
    `canvas backing store is ${a.width}×${a.height} for a ${a.cssWidth}×${a.cssHeight} CSS px content box at devicePixelRatio ${a.dpr} (blurry: expected ${a.cssWidth * a.dpr}×${a.cssHeight * a.dpr})`);
  const threshold = Math.max(500, Math.round(a.width * a.height * 0.002));
  check(a.colored > threshold, `only ${a.colored} bar-colored pixels on the canvas (background #${a.background}; expected > ${threshold})`);
  await sleep(2000);
  const b = await canvasFacts(groupBy);
  check(b && b.hash !== a.hash, 'the bar chart did not change in 2 s while counts grow');
  console.log(`# canvas ${a.width}×${a.height} px for ${a.cssWidth}×${a.cssHeight} CSS px, ${a.colored} bar-colored pixels`);
});

await test('step5: an unknown column shows a located error and the note keeps running', 'step5.png', async () => {
  const bad = await addParagraph();
  await runInParagraph(bad, BAD);
  const error = paragraph(bad).locator('[data-testid=error]');
  try {
    await error.first().waitFor({ state: 'visible' });
  } catch {
    throw new Failure(`no visible [data-testid=error] under the paragraph (status "${await statusOf(bad)}")`);
  }
  const text = (await error.first().innerText()).trim();
  check(/\d+:\d+/.test(text), `the error has no line:column: "${text}"`);
  check(text.includes('nope'), `the error does not name \`nope\`: "${text}"`);
  check(/fail/i.test(await statusOf(bad)), `the failed paragraph's status reads "${await statusOf(bad)}"`);

  // The earlier paragraphs are untouched and still live.
  for (const i of [0, selectAll, groupBy]) {
    if (i < 0) continue;
    const e = await errorOf(i);
    check(e === null, `paragraph ${i + 1} now shows an error: ${e}`);
  }
  if (groupBy >= 0) {
    // Step 4 left it showing the bar chart; the counts are in the table view.
    await paragraph(groupBy).locator('[data-testid=view-table]').click();
    await waitForRows(groupBy, 'the GROUP BY table after switching back to the table view');
    const before = await countsOf(groupBy);
    await sleep(2000);
    const after = await countsOf(groupBy);
    check(total(after) > total(before), `the GROUP BY counts stopped growing after the error: ${JSON.stringify(before)} then ${JSON.stringify(after)}`);
  }
  const grew = await growth(1500);
  check(grew > 0, 'my-input-stream stopped growing after the error');
});

await context.close().catch(() => {});
rmSync(profile, { recursive: true, force: true });

const passed = results.filter(Boolean).length;
const failed = results.length - passed;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
