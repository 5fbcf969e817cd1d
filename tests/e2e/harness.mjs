// The shared harness of the end-to-end tests (tests/e2e/run.mjs runs the areas in
// tests/e2e/areas/): the browser launched with TOOLCHAIN.md's flags, `test(name, shot, body)`,
// and helpers that drive the page through the DOM contract's selectors (data-testid / data-table
// / data-stream / data-name / data-type / data-column / data-current / data-op attributes).
//
// `page` is the page of the area running now: `openPage()` gives each area (or each test: see
// `freshSensors`, `freshBlankNote`, `freshTable`, `freshSteps`) a fresh browser context of one
// shared Chromium (a new profile: no saved notes, so the first visit opens the Sensors
// walkthrough note). Any uncaught page error or console error fails the test it happened in (a
// wasm panic kills the whole app, so it must never pass unnoticed). Screenshots go to tests/e2e/screenshots/.
import { chromium } from 'playwright-core';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The address of the page under test (set by run.mjs). */
export let url = '';
export function configure(address) {
  url = address;
}
/** Debian's Chromium, headless, with the flags this closed network needs (TOOLCHAIN.md): every
 * browser the e2e scripts start is launched with these. */
export const CHROMIUM = {
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
};

export const here = path.dirname(fileURLToPath(import.meta.url));
export const shots = path.join(here, 'screenshots');
mkdirSync(shots, { recursive: true });

export const SELECT_ALL = '%flink.ssql(type=update)\n\nSELECT * FROM sensor_data;';
export const GROUP_BY =
  '%flink.ssql(type=update)\n\nSELECT status, COUNT(*) AS num, AVG(current_temperature) AS avg_current_temperature FROM sensor_data GROUP BY status';
export const BAD = 'SELECT nope FROM sensor_data';

// The Sensors note a first visit opens: SEED-WALKTHROUGH.md steps 2–5, verbatim, from the file
// the seed note is built from (a line starting with `%` begins a paragraph).
export const WALKTHROUGH_FILE = path.join(here, '..', '..', 'src', 'views', 'note', 'walkthrough.sql');
export function walkthroughParagraphs(text) {
  const out = [];
  for (const line of text.split(/(?<=\n)/)) {
    if (line.startsWith('%')) out.push(line);
    else if (out.length > 0) out[out.length - 1] += line;
  }
  return out.map((p) => p.trimEnd());
}
export const WALKTHROUGH = walkthroughParagraphs(readFileSync(WALKTHROUGH_FILE, 'utf8'));
if (WALKTHROUGH.length !== 5) throw new Error(`${WALKTHROUGH_FILE}: ${WALKTHROUGH.length} paragraphs, expected the walkthrough's 5`);
/** Step 2: the source table, as a person pastes it into a blank paragraph: without the blank line
 * after the interpreter line (the editor and paragraph-action checks count lines). */
export const CREATE_TABLE = WALKTHROUGH[0].replace('%flink.ssql\n\n', '%flink.ssql\n');
export const MARKDOWN = `%md
# Sensor notes

Readings from **my-input-stream**, every *second*; see [Flink](https://flink.apache.org/).

- sensor_data holds COUNT(*) rows
- \`code\` stays code

<img src=x onerror="window.__pwned = 1"> <script>window.__pwned = 1</script>`;

export const LOAD_TIMEOUT = 30_000;
export const STEP_TIMEOUT = 10_000;

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export class Failure extends Error {}
export function check(cond, message) {
  if (!cond) throw new Failure(message);
}

/** Polls `fn` until it returns a truthy value or `timeout` passes; returns the last value.
 *  `what` (a text, or a function giving one when the wait times out) names what was awaited. */
export async function until(fn, { timeout = STEP_TIMEOUT, every = 100, what = 'condition' } = {}) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    last = await fn();
    if (last) return last;
    if (Date.now() > end) throw new Failure(`timed out after ${timeout} ms waiting for ${typeof what === 'function' ? what() : what}`);
    await sleep(every);
  }
}

export const numberIn = (text) => {
  const digits = String(text ?? '').replace(/[^\d]/g, '');
  return digits === '' ? NaN : Number(digits);
};

/** A number as a result table shows it: maybe a sign, thousands separators and a fraction. */
export const shownNumber = (text) => Number(String(text).replace(/,/g, ''));

// ---------------------------------------------------------------------------------------------
// Browser and page

export let page = null;
let context = null;
/** One Chromium for every `openPage` of a run: a new context of it is a fresh profile (its own
 * empty storage and cache) at about half the cost of launching a browser for each test. */
let browser = null;
/** Errors the page reported since the last test took them. */
let pageErrors = [];

/** A fresh browser context (a profile with clean storage) and its page, the area's `page`;
 * `navigate` opens the studio in it. */
export async function openPage({ navigate = true } = {}) {
  await closePage();
  if (!browser || !browser.isConnected()) browser = await chromium.launch(CHROMIUM);
  context = await browser.newContext({
    deviceScaleFactor: 2,
    viewport: { width: 1400, height: 1000 },
  });
  page = await context.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT);
  page.on('pageerror', (e) => pageErrors.push(`page error: ${e.message}`));
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    // Chromium asks for /favicon.ico on its own; a missing one is not the app's error.
    if (/favicon\.ico/.test(msg.location()?.url ?? '')) return;
    pageErrors.push(`console error: ${msg.text()}`);
  });
  page.on('crash', () => pageErrors.push('the page crashed'));
  if (navigate) {
    await page.goto(url, { waitUntil: 'load', timeout: LOAD_TIMEOUT });
    await page.locator('[data-testid=paragraph]').first().waitFor({ timeout: LOAD_TIMEOUT });
  }
  return page;
}

export async function closePage() {
  if (context) await context.close().catch(() => {});
  context = null;
  page = null;
}

/** Closes the page and the browser `openPage` started (run.mjs, at the end). */
export async function closeBrowser() {
  await closePage();
  if (browser) await browser.close().catch(() => {});
  browser = null;
}

// ---------------------------------------------------------------------------------------------
// A fresh page per test: each test of an area may start with one of these, so it sets up what it
// needs itself and can fail, or run, alone (no earlier test's state to inherit).

/** A fresh browser profile (clean storage) with the studio open on the first-visit Sensors note,
 * its CREATE TABLE sensor_data run (paragraph 0): the table, and my-input-stream fed by its
 * generator, are there. */
export async function freshSensors() {
  await openPage();
  await paragraph(0).locator('[data-testid=run]').click();
  await waitForStatus(0, /done/i, "the Sensors note's CREATE TABLE");
  return page;
}

/** A fresh profile with a blank note made by New and open (the Sensors note stays first). */
export async function freshBlankNote() {
  await openPage();
  await page.locator('[data-testid=new-note]').click();
  await until(async () => (await currentNoteName()) !== 'Sensors' && (await paragraphs().count()) === 1, { what: 'the new blank note to open' });
  return page;
}

/** Walkthrough step 2 typed into a blank note of a fresh profile: CREATE TABLE sensor_data run in
 * paragraph 0 (its generator then feeds my-input-stream). */
export async function freshTable() {
  await freshBlankNote();
  await runInParagraph(0, CREATE_TABLE);
  await waitForStatus(0, /done/i, 'the CREATE TABLE paragraph to be done');
  return page;
}

/** Walkthrough steps 2–4 typed into a blank note of a fresh profile: CREATE TABLE in paragraph 0,
 * then SELECT * and the GROUP BY running with rows. Returns their paragraph indices. */
export async function freshSteps() {
  await freshTable();
  const selectAll = await addParagraph();
  await runInParagraph(selectAll, SELECT_ALL);
  await waitForRows(selectAll, 'rows in the SELECT * result table');
  const groupBy = await addParagraph();
  await runInParagraph(groupBy, GROUP_BY);
  await waitForRows(groupBy, 'rows in the GROUP BY result table');
  return { selectAll, groupBy };
}


const results = [];
/** How many tests passed and failed so far. */
export function summary() {
  const passed = results.filter(Boolean).length;
  return { passed, failed: results.length - passed };
}
/** SLUICE_E2E_ONLY=TEXT runs only the tests whose name contains TEXT (the others are neither run
 * nor counted). */
const only = process.env.SLUICE_E2E_ONLY ?? '';
export async function test(name, shot, body) {
  if (only && !name.includes(only)) return;
  let failure = null;
  try {
    await body();
  } catch (e) {
    failure = e instanceof Failure ? e.message : `${e?.name ?? 'Error'}: ${e?.message ?? e}`;
  }
  if (shot && page) {
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

export const paragraphs = (pg = page) => pg.locator('[data-testid=paragraph]');
export const paragraph = (i, pg = page) => paragraphs(pg).nth(i);

/** Types `text` into paragraph `i`'s editor (of page `pg`) and runs it with Shift+Enter. */
export async function runInParagraph(i, text, pg = page) {
  const editor = paragraph(i, pg).locator('textarea[data-testid=editor]');
  await editor.click();
  await editor.fill(text);
  const typed = await editor.inputValue();
  check(typed === text, `the editor holds ${JSON.stringify(typed)} instead of what was typed`);
  await editor.press('Shift+Enter');
}

/** Adds a paragraph at the end of the note (of page `pg`); returns its index. */
export async function addParagraph(pg = page) {
  // Every note has a paragraph: on a page just loaded, count them once the note is drawn.
  await paragraphs(pg).first().waitFor({ timeout: LOAD_TIMEOUT });
  const before = await paragraphs(pg).count();
  // The click event itself, not a click at the button's place: a result above it that grows
  // just then (a stopped job's last rows) can move the button from under a pointer click (seen
  // once in a loaded test run: the paragraph never came).
  await pg.locator('[data-testid=add-paragraph]').dispatchEvent('click');
  await until(async () => (await paragraphs(pg).count()) === before + 1, { what: `paragraph ${before + 1} to appear` });
  return before;
}

export async function textOf(i) {
  return paragraph(i).locator('textarea[data-testid=editor]').inputValue();
}

export async function allStatuses() {
  return paragraphs().evaluateAll((ps) => ps.map((p) => p.querySelector('[data-testid=status]')?.textContent.trim()));
}

/** Waits until the paragraphs' statuses are `expected` in order: run all and stop all go on
 *  asynchronously, so the last paragraphs settle a moment after the one a test waited for. */
export async function statusesBecome(expected, what) {
  const want = JSON.stringify(expected);
  let seen = '';
  await until(async () => (seen = JSON.stringify(await allStatuses())) === want, {
    what: () => `statuses ${what} to be ${want} (last seen ${seen})`,
  });
}

// ---------------------------------------------------------------------------------------------
// Notes

export const noteItems = () => page.locator('[data-testid=notes] [data-testid=note-item]');
export const noteNames = () => noteItems().locator('[data-testid=note-link]').evaluateAll((ls) => ls.map((l) => l.textContent.trim()));
export const currentNoteName = () => page.locator('[data-testid=note-name]').inputValue();

/** Opens the note named `name` from the notes list. */
export async function openNote(name) {
  const item = noteItems().filter({ has: page.locator('[data-testid=note-link]', { hasText: name }) }).first();
  await item.locator('[data-testid=note-link]').click();
  await until(async () => (await currentNoteName()) === name, { what: `note "${name}" to open` });
}

/** Texts of every paragraph of the open note. */
export async function noteTexts() {
  return paragraphs().locator('textarea[data-testid=editor]').evaluateAll((es) => es.map((e) => e.value));
}

/** Clicks `button` and returns the downloaded file's name and text. */
export async function downloadOf(button) {
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: STEP_TIMEOUT }), button.click()]);
  const file = await download.path();
  return { name: download.suggestedFilename(), text: readFileSync(file, 'utf8') };
}

export async function noticeText() {
  const notice = page.locator('[data-testid=notice]');
  return (await notice.count()) ? (await notice.innerText()).trim() : null;
}

export async function statusOf(i) {
  const status = paragraph(i).locator('[data-testid=status]');
  return (await status.count()) ? (await status.first().innerText()).trim() : '(no status element)';
}

export async function errorOf(i) {
  const error = paragraph(i).locator('[data-testid=error]');
  return (await error.count()) ? (await error.first().innerText()).trim() : null;
}

/** Waits until paragraph `i`'s status matches `re`; fails with its error text if it failed. */
/** The late records paragraph `i`'s job line says its job dropped (NaN until it says). */
export async function lateDropped(i) {
  const line = await paragraph(i).locator('.job-line').innerText();
  return Number((line.match(/([\d,]+) late dropped/) ?? [])[1]?.replace(/,/g, '') ?? NaN);
}

export async function waitForStatus(i, re, what) {
  try {
    await until(async () => re.test(await statusOf(i)), { what });
  } catch (e) {
    const error = await errorOf(i);
    throw new Failure(`${e.message} (status "${await statusOf(i)}"${error ? `, error "${error}"` : ''})`);
  }
}

/** The result table of paragraph `i`: column names (from data-column) and cell texts. */
export async function resultOf(i) {
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

export async function waitForRows(i, what) {
  return until(async () => {
    const r = await resultOf(i);
    return r && r.rows.length > 0 ? r : null;
  }, { what });
}

export function columnNames(result) {
  const missing = result.headers.filter((h) => h.column === null).map((h) => h.text);
  check(missing.length === 0, `result header cells without a data-column attribute: ${JSON.stringify(missing)}`);
  return result.headers.map((h) => h.column);
}

/** Status → num of the GROUP BY paragraph. */
export async function countsOf(i) {
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
export const total = (counts) => Object.values(counts).reduce((a, b) => a + b, 0);

// ---------------------------------------------------------------------------------------------
// Panels

export const inputStream = () => page.locator('[data-testid=streams] [data-stream=my-input-stream]');

export async function streamRecords() {
  const text = await inputStream().locator('[data-testid=stream-records]').innerText();
  const n = numberIn(text);
  check(Number.isFinite(n), `stream-records reads "${text}", not a number`);
  return n;
}

/** Records my-input-stream gained over `ms`. */
export async function growth(ms) {
  const a = await streamRecords();
  await sleep(ms);
  return (await streamRecords()) - a;
}

// ---------------------------------------------------------------------------------------------
// Canvas

export async function canvasFacts(i) {
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
// Fresh browser profiles of their own, beside the area's page (share links, embeds, the clock).

/** A page in a new browser profile (no saved notes), reporting its errors like the main one. */
export async function freshPage(address) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sluice-e2e-fresh-'));
  const ctx = await chromium.launchPersistentContext(dir, {
    ...CHROMIUM,
    viewport: { width: 1400, height: 1000 },
  });
  const pg = ctx.pages()[0] ?? (await ctx.newPage());
  pg.setDefaultTimeout(STEP_TIMEOUT);
  pg.on('pageerror', (e) => pageErrors.push(`page error (fresh profile): ${e.message}`));
  pg.on('console', (msg) => {
    if (msg.type() === 'error' && !/favicon\.ico/.test(msg.location()?.url ?? '')) pageErrors.push(`console error (fresh profile): ${msg.text()}`);
  });
  await pg.goto(address, { waitUntil: 'load' });
  const close = async () => {
    await ctx.close().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  };
  return { pg, close };
}

export const clockTime = (pg) => pg.locator('[data-testid=clock-time]').innerText();

/** Rows of paragraph `i`'s result table in page `pg`, each as its cells joined by ' | '. */
export async function rowsIn(pg, i) {
  return pg.locator('[data-testid=paragraph]').nth(i).evaluate((p) =>
    [...p.querySelectorAll('table[data-testid=result-table] tbody tr')].map((tr) => [...tr.children].map((td) => td.textContent.trim()).join(' | ')),
  );
}

export async function runIn(pg, i) {
  const p = pg.locator('[data-testid=paragraph]').nth(i);
  await p.locator('[data-testid=run]').click();
  await until(async () => /running|done/i.test(await p.locator('[data-testid=status]').innerText()), { what: `paragraph ${i + 1} to run` });
}

/** A fresh profile's page with the Sensors note's CREATE TABLE sensor_data run. */
export async function freshSensorsPage() {
  const fresh = await freshPage(url);
  try {
    await runIn(fresh.pg, 0);
    await until(async () => /done/i.test(await paragraph(0, fresh.pg).locator('[data-testid=status]').innerText()), { what: 'the CREATE TABLE' });
    return fresh;
  } catch (e) {
    await fresh.close();
    throw e;
  }
}

// The HOP paragraph of the Sensors note and the column its window time is in.
export const HOP = 2;
export const hopTime = (row) => row.split(' | ')[3];
export const START = '2021-05-19T11:20:00';
