// What the e2e scripts against real remote services share (tests/e2e/kinesis.mjs against moto,
// tests/e2e/kafka.mjs against tansu): waiting and checking, the walkthrough query's rows over the
// seeded file by `sluice run`, and one headless page with `test(name, shot, body)` and the note
// helpers (runNote, paragraphs, statusOf, errorOf). Each script keeps its own service's steps.
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM } from './harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repo = path.resolve(here, '../..');
const shots = path.join(here, 'screenshots');
/** The seeded sensor records and how many window rows the walkthrough's query makes of them. */
export const RECORDS = path.join(repo, 'tests/data/sensor_input.jsonl');
export const EXPECTED_ROWS = 317;

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export class Failure extends Error {}
export function check(cond, message) {
  if (!cond) throw new Failure(message);
}
export async function until(fn, { timeout = 10_000, every = 200, what = 'condition' } = {}) {
  const end = Date.now() + timeout;
  for (;;) {
    const last = await fn();
    if (last) return last;
    if (Date.now() > end) throw new Failure(`timed out after ${timeout} ms waiting for ${typeof what === 'function' ? await what() : what}`);
    await sleep(every);
  }
}

/** Waits for the `type=single` paragraph on `page` to show `expected`. A job's counts may run a
 * publication or two ahead of its view: a publication carries at most 20,000 changes (the
 * session's `MAX_CHANGES_PUBLISHED`) and a COUNT(*) without mini-batch changes twice per record,
 * so a big fetch's changes reach the view over several 40 ms beats. */
export async function singleValueShows(page, expected, timeout = 10_000) {
  const shown = async () => (await page.locator('[data-testid=single-value]').innerText()).trim();
  await until(async () => Number((await shown()).replace(/[^\d]/g, '')) === expected, {
    timeout,
    what: async () => `SELECT COUNT(*) to show ${expected} (it shows ${await shown()})`,
  });
}

/** What `sluice run` (the binary `sluice`) computes for the walkthrough's query over the file:
 * its rows as printed, in order. */
export function walkthroughRowsFromFile(sluice, tmpPrefix) {
  const dir = mkdtempSync(path.join(os.tmpdir(), tmpPrefix));
  const script = path.join(dir, 'q1.sql');
  writeFileSync(
    script,
    `CREATE TABLE sensor_data (sensor_id INTEGER, current_temperature DOUBLE, status VARCHAR(6), event_time TIMESTAMP(3),
       WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND)
     WITH ('connector' = 'filesystem', 'path' = '${RECORDS}', 'format' = 'json', 'json.timestamp-format.standard' = 'ISO-8601');
     SELECT sensor_data.status, COUNT(*) AS num, AVG(sensor_data.current_temperature) AS avg_current_temperature,
       HOP_ROWTIME(event_time, INTERVAL '10' second, INTERVAL '1' minute) as hop_time
     FROM sensor_data GROUP BY HOP(event_time, INTERVAL '10' second, INTERVAL '1' minute), sensor_data.status;`,
  );
  const out = execFileSync(sluice, ['run', script], { encoding: 'utf8' });
  return out.trim().split('\n').map((l) => JSON.parse(l).row);
}

/** One headless page (a fresh profile under `profilePrefix`) and the helpers that drive it. Any
 * page or console error fails the test it happened in; `finish()` closes the browser, prints the
 * tally and exits 1 if any test failed. */
export async function remotePage(profilePrefix) {
  mkdirSync(shots, { recursive: true });
  const profile = mkdtempSync(path.join(os.tmpdir(), profilePrefix));
  const context = await chromium.launchPersistentContext(profile, { ...CHROMIUM, viewport: { width: 1400, height: 1000 } });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(10_000);
  let pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(`page error: ${e.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !/favicon\.ico/.test(msg.location()?.url ?? '')) pageErrors.push(`console error: ${msg.text()}`);
  });
  /** Every request the page made, to look for keys where they must not be. */
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));

  const results = [];
  /** Runs one test; console errors matching `expectedErrors` are part of what it provokes. */
  async function test(name, shot, body, expectedErrors = null) {
    let failure = null;
    try {
      await body();
    } catch (e) {
      failure = e instanceof Failure ? e.message : `${e?.name ?? 'Error'}: ${e?.message ?? e}`;
    }
    await page.screenshot({ path: path.join(shots, shot), fullPage: true }).catch(() => {});
    if (expectedErrors) pageErrors = pageErrors.filter((e) => !expectedErrors.test(e));
    if (pageErrors.length > 0) {
      failure = [failure, ...pageErrors].filter(Boolean).join(' | ');
      pageErrors = [];
    }
    console.log(failure ? `not ok - ${name}: ${failure.replace(/\s+/g, ' ')}` : `ok - ${name}`);
    results.push(!failure);
  }

  const paragraphs = () => page.locator('[data-testid=paragraph]');
  const statusOf = async (i) => (await paragraphs().nth(i).locator('[data-testid=status]').first().innerText()).trim();
  const errorOf = async (i) => {
    const e = paragraphs().nth(i).locator('[data-testid=error]');
    return (await e.count()) ? (await e.first().innerText()).trim() : null;
  };

  /** A new note, then each text in its own paragraph, run in turn. */
  async function runNote(texts) {
    await page.locator('[data-testid=new-note]').click();
    await until(async () => (await paragraphs().count()) === 1, { what: 'the new note' });
    for (let i = 0; i < texts.length; i++) {
      if (i > 0) {
        await page.locator('[data-testid=add-paragraph]').click();
        await until(async () => (await paragraphs().count()) === i + 1, { what: `paragraph ${i + 1}` });
      }
      const editor = paragraphs().nth(i).locator('textarea[data-testid=editor]');
      await editor.fill(texts[i]);
      await editor.press('Shift+Enter');
      await until(async () => /done|running/i.test(await statusOf(i)) || (await errorOf(i)), { what: `paragraph ${i + 1} to run` });
      const error = await errorOf(i);
      check(error === null, `paragraph ${i + 1} failed: ${error}`);
    }
  }

  async function finish() {
    await context.close();
    const passed = results.filter(Boolean).length;
    console.log(`${passed} passed, ${results.length - passed} failed`);
    process.exit(passed === results.length ? 0 : 1);
  }

  return { page, requests, test, paragraphs, statusOf, errorOf, runNote, finish };
}
