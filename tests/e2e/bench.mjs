// Page benchmarks (they print figures and check nothing): time to first render, and frame times
// while the generator runs fast with a live table and a live bar chart open.
//
//   node tests/e2e/bench.mjs URL [RATE] [CHART]
//
// RATE is the generator's records per second (default 50000); CHART the live chart's kind (bar,
// line, area, pie or scatter; default bar). scripts/bench.sh runs it against the built page.
import { chromium } from 'playwright-core';
import { CHROMIUM } from './harness.mjs';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const url = process.argv[2];
const rate = Number(process.argv[3] ?? 50_000);
const chart = process.argv[4] ?? 'bar';
if (!url) {
  console.error('usage: node tests/e2e/bench.mjs URL [RATE]');
  process.exit(2);
}

const context = await chromium.launchPersistentContext(mkdtempSync(path.join(os.tmpdir(), 'sluice-bench-')), {
  ...CHROMIUM,
  deviceScaleFactor: 2,
  viewport: { width: 1400, height: 1000 },
});
const page = context.pages()[0] ?? (await context.newPage());
page.setDefaultTimeout(60_000);

// Time to first render: navigation start to the first paragraph on screen.
const loads = [];
for (let i = 0; i < 3; i++) {
  await page.goto(url, { waitUntil: 'commit' });
  await page.locator('[data-testid=paragraph]').first().waitFor();
  loads.push(await page.evaluate(() => performance.now()));
}
loads.sort((a, b) => a - b);
console.log(`page     first render: ${loads[1].toFixed(0)} ms (median of 3 loads; best ${loads[0].toFixed(0)} ms)`);

// The Sensors note: its table, SELECT * as a live table, GROUP BY status as a live bar chart.
const paragraphs = page.locator('[data-testid=paragraph]');
const run = async (i) => {
  await paragraphs.nth(i).locator('[data-testid=run]').click();
  await page.waitForTimeout(300);
};
await run(0);
await run(1);
await run(2);
await paragraphs.nth(2).locator(`[data-testid=view-${chart}]`).click();
const rateInput = page.locator('[data-testid=streams] [data-stream=my-input-stream] input[data-testid=generator-rate]');
await rateInput.fill(String(rate));
await rateInput.dispatchEvent('change');
await page.waitForTimeout(2000); // let it reach a steady state

const frames = await page.evaluate(
  () =>
    new Promise((resolve) => {
      const times = [];
      let last = performance.now();
      const end = last + 5000;
      const step = (t) => {
        times.push(t - last);
        last = t;
        if (t < end) requestAnimationFrame(step);
        else resolve(times);
      };
      requestAnimationFrame(step);
    }),
);
frames.sort((a, b) => a - b);
const pct = (p) => frames[Math.min(frames.length - 1, Math.floor((p / 100) * frames.length))];
const records = await page.locator('[data-testid=streams] [data-stream=my-input-stream] [data-testid=stream-records]').innerText();
console.log(
  `page     frames at ${rate} records/s with a live table and ${chart} chart: p50 ${pct(50).toFixed(1)} ms, p95 ${pct(95).toFixed(1)} ms, ` +
    `max ${frames[frames.length - 1].toFixed(1)} ms over ${frames.length} frames (stream holds ${records} records)`,
);
await context.close();
