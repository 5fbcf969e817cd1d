// Page benchmarks (they print figures and check nothing): time to first render, frame times
// while the generator runs fast with a live table and a live bar chart open, and then with the
// clock "as fast as possible": the page path's records per second in the session's worker
// (generator → JSON → decoder → the GROUP BY), with the frames and long tasks meanwhile.
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

// Frame times over 5 s, and the main thread's long tasks meanwhile.
const sample = () =>
  page.evaluate(
    () =>
      new Promise((resolve) => {
        const times = [];
        const long = [];
        const observer = new PerformanceObserver((list) => list.getEntries().forEach((e) => long.push(e.duration)));
        observer.observe({ type: 'longtask' });
        let last = performance.now();
        const end = last + 5000;
        const step = (t) => {
          times.push(t - last);
          last = t;
          if (t < end) requestAnimationFrame(step);
          else {
            observer.disconnect();
            resolve({ times: times.sort((a, b) => a - b), long });
          }
        };
        requestAnimationFrame(step);
      }),
  );
const pct = (times, p) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))];
const { times: frames } = await sample();
const records = await page.locator('[data-testid=streams] [data-stream=my-input-stream] [data-testid=stream-records]').innerText();
console.log(
  `page     frames at ${rate} records/s with a live table and ${chart} chart: p50 ${pct(frames, 50).toFixed(1)} ms, p95 ${pct(frames, 95).toFixed(1)} ms, ` +
    `max ${frames[frames.length - 1].toFixed(1)} ms over ${frames.length} frames (stream holds ${records} records)`,
);

// As fast as possible: the clock runs free and the generator makes records as fast as the
// session takes them. Records in, from the GROUP BY paragraph's job line, over 5 s. The SELECT *
// is stopped first: every record it passes would cross to the page as a row.
await paragraphs.nth(1).locator('[data-testid=stop]').click();
await page.locator('[data-testid=clock-speed]').selectOption('max');
await page.waitForTimeout(2000);
const recordsIn = async () => {
  const line = await paragraphs.nth(2).locator('.job-line').innerText();
  const m = line.match(/· (\d+) in ·/);
  return m ? Number(m[1]) : NaN;
};
const t0 = Date.now();
const in0 = await recordsIn();
const fast = await sample();
const in1 = await recordsIn();
const perSecond = (in1 - in0) / ((Date.now() - t0) / 1000);
console.log(
  `page     as fast as possible, in the worker: ${(perSecond / 1e6).toFixed(2)} M records/s into the GROUP BY (page path target >= 3 M); ` +
    `frames p50 ${pct(fast.times, 50).toFixed(1)} ms, p95 ${pct(fast.times, 95).toFixed(1)} ms, max ${fast.times[fast.times.length - 1].toFixed(1)} ms; ` +
    `long tasks ${fast.long.length}${fast.long.length ? ` (longest ${Math.max(...fast.long).toFixed(0)} ms)` : ''}`,
);
await context.close();
